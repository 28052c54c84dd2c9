/*
 * io_local.c: the FileIO implementation over the local filesystem (see io.h).
 *
 * Locations are plain paths ("data/x.parquet", "/tmp/t/x") or file URIs
 * ("file:///tmp/t/x", "file://localhost/tmp/t/x", "file:/tmp/t/x"); URIs
 * are percent-decoded.
 *
 * Reading uses pread on one descriptor, so read_at is safe from several
 * threads at once. Writing goes to a hidden temporary file in the target's
 * directory (".<name>.floe-tmp.<random>") through a 64 KiB buffer. Close
 * flushes, fsyncs, and publishes: rename() for a plain create (replacing any
 * old file atomically), link() + unlink() for IO_CREATE_EXCLUSIVE, so an
 * existing target fails with FLOE_EEXISTS and the check-and-create is one
 * atomic step (renameat2(RENAME_NOREPLACE) where the filesystem has no hard
 * links). The directory is fsynced after publishing so the new name survives
 * a crash. Abort and every failed close remove the temporary file. Parent
 * directories are created as needed. Listing skips temporary files.
 */
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/buf.h"

#define WRITE_BUF_SIZE (64 * 1024)
#define TMP_MARK ".floe-tmp."

/* ---- locations and errors ---- */

static int os_error(fl_error *err, int errnum, const char *what, const char *location)
{
    char buf[128];
    int code = FLOE_EIO;
    if (errnum == ENOENT || errnum == ENOTDIR) code = FLOE_ENOTFOUND;
    else if (errnum == EEXIST) code = FLOE_EEXISTS;
    else if (errnum == ENOMEM) code = FLOE_ENOMEM;
    return fl_error_set(err, code, "could not %s \"%s\": %s", what, location,
                        strerror_r(errnum, buf, sizeof buf));
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_file_uri(const char *location) { return strncmp(location, "file:", 5) == 0; }

/* The filesystem path for a location, heap-allocated in *out. */
static int local_path(const char *location, char **out, fl_error *err)
{
    if (!location || !*location) return fl_error_set(err, FLOE_EINVAL, "invalid location: empty");
    if (!is_file_uri(location)) {
        *out = fl_strdup(location);
        return *out ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    const char *p = location + 5;
    if (strncmp(p, "//", 2) == 0) {
        p += 2;
        if (strncmp(p, "localhost/", 10) == 0) p += 9;
        else if (*p != '/')
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "invalid location \"%s\": file URIs with a host are not supported",
                                location);
    }
    if (*p != '/')
        return fl_error_set(err, FLOE_EINVAL, "invalid location \"%s\": file URI path must be absolute",
                            location);
    size_t len = strlen(p);
    char *path = fl_malloc(len + 1), *q = path;
    if (!path) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '%') {
            *q++ = p[i];
            continue;
        }
        int hi = hex_digit(p[i + 1]);              /* p[i + 1] is at worst the NUL */
        int lo = hi >= 0 ? hex_digit(p[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            fl_free(path);
            return fl_error_set(err, FLOE_EINVAL, "invalid location \"%s\": bad percent escape",
                                location);
        }
        *q++ = (char)(hi * 16 + lo);
        i += 2;
    }
    *q = 0;
    *out = path;
    return 0;
}

/* Appends name to b, percent-encoding it when the location is a URI. */
static int append_name(fl_buf *b, const char *name, bool uri)
{
    if (!uri) return fl_buf_append_str(b, name);
    static const char keep[] = "-._~/!$&'()*+,;=:@";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        int rc;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            rc = fl_buf_append_byte(b, *p);
        else
            rc = fl_buf_appendf(b, "%%%02X", *p);
        if (rc < 0) return rc;
    }
    return 0;
}

/* ---- reader ---- */

typedef struct {
    io_reader base;
    int fd;
    char *loc;
} local_reader;

static int local_read_at(io_reader *r, uint64_t offset, void *dst, size_t len, fl_error *err)
{
    local_reader *lr = (local_reader *)r;
    if (offset > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - offset)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "could not read file \"%s\": %zu bytes at offset %llu is out of range",
                            lr->loc, len, (unsigned long long)offset);
    size_t done = 0;
    while (done < len) {
        size_t chunk = len - done;
        if (chunk > (1u << 30)) chunk = 1u << 30;
        ssize_t n = pread(lr->fd, (char *)dst + done, chunk, (off_t)(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return os_error(err, errno, "read file", lr->loc);
        }
        if (n == 0)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "could not read file \"%s\": unexpected end of file reading %zu "
                                "bytes at offset %llu (file size %llu)",
                                lr->loc, len, (unsigned long long)offset,
                                (unsigned long long)lr->base.size);
        done += (size_t)n;
    }
    return 0;
}

static void local_reader_close(io_reader *r)
{
    local_reader *lr = (local_reader *)r;
    close(lr->fd);
    fl_free(lr->loc);
    fl_free(lr);
}

static const struct io_reader_ops local_reader_ops = {local_read_at, local_reader_close};

static int local_open(io_fs *fs, const char *location, io_reader **out, fl_error *err)
{
    (void)fs;
    char *path = NULL;
    int rc = local_path(location, &path, err);
    if (rc < 0) return rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    fl_free(path);
    if (fd < 0) return os_error(err, errno, "open file", location);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = os_error(err, errno, "stat file", location);
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fl_error_set(err, FLOE_EINVAL, "could not open file \"%s\": not a regular file",
                            location);
    }
    local_reader *lr = fl_calloc(1, sizeof *lr);
    char *loc = fl_strdup(location);
    if (!lr || !loc) {
        fl_free(lr);
        fl_free(loc);
        close(fd);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    lr->base.ops = &local_reader_ops;
    lr->base.size = (uint64_t)st.st_size;
    lr->base.location = loc;
    lr->fd = fd;
    lr->loc = loc;
    *out = &lr->base;
    return 0;
}

/* ---- writer ---- */

typedef struct {
    io_writer base;
    int fd;
    int flags;
    int failed;         /* a write failed: close must fail too */
    char *loc, *path, *tmp, *dir;
    size_t buf_len;
    unsigned char buf[WRITE_BUF_SIZE];
} local_writer;

static int write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len > 0) {
        ssize_t n = write(fd, c, len > (1u << 30) ? (1u << 30) : len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        c += n;
        len -= (size_t)n;
    }
    return 0;
}

static int flush_buf(local_writer *w, fl_error *err)
{
    if (w->buf_len == 0) return 0;
    int e = write_all(w->fd, w->buf, w->buf_len);
    w->buf_len = 0;
    if (e) {
        w->failed = 1;
        return os_error(err, e, "write file", w->loc);
    }
    return 0;
}

static int local_write(io_writer *iw, const void *p, size_t len, fl_error *err)
{
    local_writer *w = (local_writer *)iw;
    if (w->failed)
        return fl_error_set(err, FLOE_EIO, "could not write file \"%s\": an earlier write failed",
                            w->loc);
    if (len == 0) return 0;
    if (len <= sizeof w->buf - w->buf_len) {
        memcpy(w->buf + w->buf_len, p, len);
        w->buf_len += len;
    } else {
        int rc = flush_buf(w, err);
        if (rc < 0) return rc;
        if (len < sizeof w->buf) {
            memcpy(w->buf, p, len);
            w->buf_len = len;
        } else {
            int e = write_all(w->fd, p, len);
            if (e) {
                w->failed = 1;
                return os_error(err, e, "write file", w->loc);
            }
        }
    }
    w->base.written += len;
    return 0;
}

static void writer_free(local_writer *w)
{
    fl_free(w->loc);
    fl_free(w->path);
    fl_free(w->tmp);
    fl_free(w->dir);
    fl_free(w);
}

static void local_abort(io_writer *iw)
{
    local_writer *w = (local_writer *)iw;
    if (w->fd >= 0) close(w->fd);
    unlink(w->tmp);
    writer_free(w);
}

/* fsyncs the directory so the new name is durable; filesystems that cannot
 * sync directories are ignored. Allocates nothing: it runs after publishing. */
static int sync_dir(const char *dir, const char *location, fl_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != EBADF)
        rc = os_error(err, errno, "sync directory of", location);
    close(fd);
    return rc;
}

static int publish(local_writer *w, fl_error *err)
{
    if (!(w->flags & IO_CREATE_EXCLUSIVE)) {
        if (rename(w->tmp, w->path) != 0) return os_error(err, errno, "rename file to", w->loc);
        return 0;
    }
    if (link(w->tmp, w->path) == 0) {
        unlink(w->tmp);
        return 0;
    }
    int e = errno;
    if (e == EEXIST)
        return fl_error_set(err, FLOE_EEXISTS, "could not create file \"%s\": file already exists",
                            w->loc);
    if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS || e == EMLINK) {
        if (renameat2(AT_FDCWD, w->tmp, AT_FDCWD, w->path, RENAME_NOREPLACE) == 0) return 0;
        e = errno;
        if (e == EEXIST)
            return fl_error_set(err, FLOE_EEXISTS,
                                "could not create file \"%s\": file already exists", w->loc);
    }
    return os_error(err, e, "create file", w->loc);
}

static int local_close(io_writer *iw, fl_error *err)
{
    local_writer *w = (local_writer *)iw;
    int rc = 0;
    if (w->failed)
        rc = fl_error_set(err, FLOE_EIO, "could not write file \"%s\": an earlier write failed",
                          w->loc);
    if (rc == 0) rc = flush_buf(w, err);
    if (rc == 0 && fdatasync(w->fd) != 0) rc = os_error(err, errno, "sync file", w->loc);
    if (close(w->fd) != 0 && rc == 0) rc = os_error(err, errno, "close file", w->loc);
    w->fd = -1;
    if (rc == 0) rc = publish(w, err);
    if (rc == 0) rc = sync_dir(w->dir, w->loc, err);
    unlink(w->tmp);   /* no-op after rename; removes it after link or failure */
    writer_free(w);
    return rc;
}

static const struct io_writer_ops local_writer_ops = {local_write, local_close, local_abort};

/* mkdir -p for the directory holding path. */
static int make_parent_dirs(char *path, const char *location, fl_error *err)
{
    char *last = strrchr(path, '/');
    if (!last || last == path) return 0;
    for (char *p = path + 1; p <= last; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(path, 0777) != 0) {
            int e = errno;
            struct stat st;
            if (e == EEXIST && stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) e = ENOTDIR;
            if (e != EEXIST) {
                *p = '/';
                return os_error(err, e, "create directory for", location);
            }
        }
        *p = '/';
    }
    return 0;
}

static void random_suffix(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() << 32 ^
            (uint64_t)(uintptr_t)out;
    }
    for (int i = 0; i < 16; i++) out[i] = hex[(r >> (i * 4)) & 15];
    out[16] = 0;
}

static int local_create(io_fs *fs, const char *location, int flags, io_writer **out,
                        fl_error *err)
{
    (void)fs;
    char *path = NULL;
    int rc = local_path(location, &path, err);
    if (rc < 0) return rc;
    size_t plen = strlen(path);
    if (plen == 0 || path[plen - 1] == '/') {
        fl_free(path);
        return fl_error_set(err, FLOE_EINVAL, "could not create file \"%s\": location is a directory",
                            location);
    }
    if ((rc = make_parent_dirs(path, location, err)) < 0) {
        fl_free(path);
        return rc;
    }
    struct stat st;
    if ((flags & IO_CREATE_EXCLUSIVE) && stat(path, &st) == 0) {
        fl_free(path);
        return fl_error_set(err, FLOE_EEXISTS, "could not create file \"%s\": file already exists",
                            location);
    }
    /* temp name: <dir>/.<base>.floe-tmp.<random> */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    char rnd[17];
    random_suffix(rnd);
    fl_buf tmp;
    fl_buf_init(&tmp);
    rc = fl_buf_append(&tmp, path, dir_len);
    if (rc == 0) rc = fl_buf_appendf(&tmp, ".%s" TMP_MARK "%s", path + dir_len, rnd);
    local_writer *w = rc == 0 ? fl_calloc(1, sizeof *w) : NULL;
    char *loc = fl_strdup(location);
    char *dir = dir_len > 1 ? fl_strndup(path, dir_len - 1) : fl_strdup(dir_len ? "/" : ".");
    if (!w || !loc || !dir) {
        fl_buf_dispose(&tmp);
        fl_free(path);
        fl_free(w);
        fl_free(loc);
        fl_free(dir);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    w->dir = dir;
    w->tmp = fl_buf_detach(&tmp, NULL);
    w->path = path;
    w->loc = loc;
    w->flags = flags;
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (w->fd < 0) {
        rc = os_error(err, errno, "create file", location);
        writer_free(w);
        return rc;
    }
    w->base.ops = &local_writer_ops;
    w->base.location = loc;
    *out = &w->base;
    return 0;
}

/* ---- remove and list ---- */

static int local_remove(io_fs *fs, const char *location, fl_error *err)
{
    (void)fs;
    char *path = NULL;
    int rc = local_path(location, &path, err);
    if (rc < 0) return rc;
    if (unlink(path) != 0) rc = os_error(err, errno, "remove file", location);
    fl_free(path);
    return rc;
}

typedef struct {
    io_list_fn fn;
    void *ctx;
    bool uri;
    fl_buf path;    /* filesystem path of the current directory, with '/' */
    fl_buf loc;     /* reported location of the current directory, with '/' */
    const char *prefix;
    int depth;
} list_state;

static bool is_temp_name(const char *name)
{
    return name[0] == '.' && strstr(name, TMP_MARK) != NULL;
}

static int walk_dir(list_state *s, fl_error *err)
{
    if (++s->depth > 128) {
        s->depth--;
        return fl_error_set(err, FLOE_ELIMIT, "could not list \"%s\": directories nested too deeply",
                            s->prefix);
    }
    DIR *d = opendir(fl_buf_cstr(&s->path));
    if (!d) {
        int e = errno;
        s->depth--;
        if (e == ENOENT || e == ENOTDIR) return 0;   /* vanished meanwhile */
        return os_error(err, e, "open directory", fl_buf_cstr(&s->path));
    }
    int rc = 0;
    size_t path_len = s->path.len, loc_len = s->loc.len;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno) rc = os_error(err, errno, "read directory", fl_buf_cstr(&s->path));
            break;
        }
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || is_temp_name(name)) continue;
        struct stat st;
        if (fstatat(dirfd(d), name, &st, 0) != 0) {
            if (errno == ENOENT) continue;   /* removed meanwhile, or a dangling link */
            rc = os_error(err, errno, "stat file", name);
            break;
        }
        bool is_link = de->d_type == DT_LNK;
        if (de->d_type == DT_UNKNOWN) {
            struct stat lst;
            is_link = fstatat(dirfd(d), name, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode);
        }
        if (!S_ISREG(st.st_mode) && !(S_ISDIR(st.st_mode) && !is_link)) continue;
        s->path.len = path_len;
        s->loc.len = loc_len;
        if ((rc = fl_buf_append_str(&s->path, name)) < 0 || (rc = append_name(&s->loc, name, s->uri)) < 0) {
            fl_error_set(err, rc, "out of memory");
            break;
        }
        if (S_ISREG(st.st_mode)) {
            rc = s->fn(s->ctx, fl_buf_cstr(&s->loc), (uint64_t)st.st_size);
        } else {
            if ((rc = fl_buf_append_byte(&s->path, '/')) < 0 || (rc = fl_buf_append_byte(&s->loc, '/')) < 0) {
                fl_error_set(err, rc, "out of memory");
                break;
            }
            rc = walk_dir(s, err);
        }
        if (rc != 0) break;
    }
    s->path.len = path_len;
    s->loc.len = loc_len;
    closedir(d);
    s->depth--;
    return rc;
}

static int local_list(io_fs *fs, const char *prefix, io_list_fn fn, void *ctx, fl_error *err)
{
    (void)fs;
    char *path = NULL;
    int rc = local_path(prefix, &path, err);
    if (rc < 0) return rc;
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/') path[--plen] = 0;
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        fl_free(path);
        if (e == ENOENT || e == ENOTDIR) return 0;
        return os_error(err, e, "list", prefix);
    }
    size_t pfx_len = strlen(prefix);
    if (S_ISREG(st.st_mode)) {
        fl_free(path);
        return prefix[pfx_len - 1] == '/' ? 0 : fn(ctx, prefix, (uint64_t)st.st_size);
    }
    if (!S_ISDIR(st.st_mode)) {
        fl_free(path);
        return 0;
    }
    list_state s = {fn, ctx, is_file_uri(prefix), {0}, {0}, prefix, 0};
    fl_buf_init(&s.path);
    fl_buf_init(&s.loc);
    rc = fl_buf_append_str(&s.path, path);
    if (rc == 0 && path[plen - 1] != '/') rc = fl_buf_append_byte(&s.path, '/');
    if (rc == 0) rc = fl_buf_append(&s.loc, prefix, pfx_len);
    if (rc == 0 && prefix[pfx_len - 1] != '/') rc = fl_buf_append_byte(&s.loc, '/');
    if (rc < 0) fl_error_set(err, rc, "out of memory");
    else rc = walk_dir(&s, err);
    fl_buf_dispose(&s.path);
    fl_buf_dispose(&s.loc);
    fl_free(path);
    return rc;
}

/* ---- the filesystem object ---- */

static void local_free(io_fs *fs) { fl_free(fs); }

static const struct io_fs_ops local_fs_ops = {local_open, local_create, local_remove, local_list,
                                              local_free};

io_fs *io_local_new(void)
{
    io_fs *fs = fl_malloc(sizeof *fs);
    if (fs) fs->ops = &local_fs_ops;
    return fs;
}

int io_open_local(const char *path, io_reader **out, fl_error *err)
{
    return local_open(NULL, path, out, err);
}

int io_create_local(const char *path, int flags, io_writer **out, fl_error *err)
{
    return local_create(NULL, path, flags, out, err);
}
