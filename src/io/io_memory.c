/*
 * io_memory.c: an in-memory FileIO for tests, plus readers over memory
 * blocks and writers into fl_buf (see io.h).
 *
 * The memory fs keeps a flat table of (location, blob) under one mutex.
 * A blob is immutable and reference counted: readers hold a reference, so a
 * reader stays valid after its file is removed or replaced (and after the
 * fs is freed), and read_at needs no lock. Writers collect bytes privately
 * and publish on close, with the same semantics as the local filesystem:
 * plain create replaces, IO_CREATE_EXCLUSIVE fails with FLOE_EEXISTS if the
 * location exists at close, abort discards. Locations are opaque strings;
 * list goes by path components as documented in io.h.
 */
#include "io.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/buf.h"

typedef struct {
    atomic_int refs;
    size_t len;
    char *data;
} mem_blob;

typedef struct {
    char *name;
    mem_blob *blob;
} mem_file;

typedef struct {
    io_fs base;
    pthread_mutex_t lock;
    mem_file *files;
    size_t len, cap;
} mem_fs;

static void blob_release(mem_blob *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        fl_free(b->data);
        fl_free(b);
    }
}

static int range_error(fl_error *err, const char *loc, uint64_t offset, size_t len, uint64_t size)
{
    return fl_error_set(err, FLOE_ECORRUPT,
                        "could not read file \"%s\": unexpected end of file reading %zu bytes at "
                        "offset %llu (file size %llu)",
                        loc, len, (unsigned long long)offset, (unsigned long long)size);
}

/* ---- readers over memory ---- */

typedef struct {
    io_reader base;
    const char *data;
    mem_blob *blob;     /* NULL for io_reader_from_memory */
    char *loc;
} mem_reader;

static int mem_read_at(io_reader *r, uint64_t offset, void *dst, size_t len, fl_error *err)
{
    mem_reader *mr = (mem_reader *)r;
    if (offset > r->size || len > r->size - offset)
        return range_error(err, r->location, offset, len, r->size);
    if (len) memcpy(dst, mr->data + offset, len);
    return 0;
}

static void mem_reader_close(io_reader *r)
{
    mem_reader *mr = (mem_reader *)r;
    blob_release(mr->blob);
    fl_free(mr->loc);
    fl_free(mr);
}

static const struct io_reader_ops mem_reader_ops = {mem_read_at, mem_reader_close};

int io_reader_from_memory(const void *data, size_t len, io_reader **out, fl_error *err)
{
    mem_reader *mr = fl_calloc(1, sizeof *mr);
    if (!mr) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    mr->base.ops = &mem_reader_ops;
    mr->base.size = len;
    mr->base.location = "memory";
    mr->data = data;
    *out = &mr->base;
    return 0;
}

/* ---- writer into a caller's fl_buf ---- */

typedef struct {
    io_writer base;
    fl_buf *buf;
    size_t start;
} buf_writer;

static int buf_write(io_writer *w, const void *p, size_t len, fl_error *err)
{
    buf_writer *bw = (buf_writer *)w;
    if (len == 0) return 0;
    if (fl_buf_append(bw->buf, p, len) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    w->written += len;
    return 0;
}

static int buf_close(io_writer *w, fl_error *err)
{
    (void)err;
    fl_free(w);
    return 0;
}

static void buf_abort(io_writer *w)
{
    buf_writer *bw = (buf_writer *)w;
    bw->buf->len = bw->start;
    if (bw->buf->data) bw->buf->data[bw->start] = 0;
    fl_free(bw);
}

static const struct io_writer_ops buf_writer_ops = {buf_write, buf_close, buf_abort};

int io_writer_to_buf(fl_buf *buf, io_writer **out, fl_error *err)
{
    buf_writer *bw = fl_calloc(1, sizeof *bw);
    if (!bw) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    bw->base.ops = &buf_writer_ops;
    bw->base.location = "buffer";
    bw->buf = buf;
    bw->start = buf->len;
    *out = &bw->base;
    return 0;
}

/* ---- the memory filesystem ---- */

/* Index of name, or -1. Caller holds the lock. */
static long find_file(const mem_fs *fs, const char *name)
{
    for (size_t i = 0; i < fs->len; i++)
        if (strcmp(fs->files[i].name, name) == 0) return (long)i;
    return -1;
}

static int mem_open(io_fs *iofs, const char *location, io_reader **out, fl_error *err)
{
    mem_fs *fs = (mem_fs *)iofs;
    mem_reader *mr = fl_calloc(1, sizeof *mr);
    char *loc = fl_strdup(location);
    if (!mr || !loc) {
        fl_free(mr);
        fl_free(loc);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    pthread_mutex_lock(&fs->lock);
    long i = find_file(fs, location);
    mem_blob *b = i >= 0 ? fs->files[i].blob : NULL;
    if (b) atomic_fetch_add(&b->refs, 1);
    pthread_mutex_unlock(&fs->lock);
    if (!b) {
        fl_free(mr);
        fl_free(loc);
        return fl_error_set(err, FLOE_ENOTFOUND, "could not open file \"%s\": no such file",
                            location);
    }
    mr->base.ops = &mem_reader_ops;
    mr->base.size = b->len;
    mr->base.location = loc;
    mr->loc = loc;
    mr->data = b->data;
    mr->blob = b;
    *out = &mr->base;
    return 0;
}

typedef struct {
    io_writer base;
    mem_fs *fs;
    int flags;
    char *loc;
    fl_buf data;
} mem_writer;

static int mem_write(io_writer *w, const void *p, size_t len, fl_error *err)
{
    mem_writer *mw = (mem_writer *)w;
    if (len == 0) return 0;
    if (fl_buf_append(&mw->data, p, len) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "could not write file \"%s\": out of memory", mw->loc);
    w->written += len;
    return 0;
}

static void mem_writer_free(mem_writer *mw)
{
    fl_buf_dispose(&mw->data);
    fl_free(mw->loc);
    fl_free(mw);
}

static void mem_abort(io_writer *w) { mem_writer_free((mem_writer *)w); }

static int mem_close(io_writer *w, fl_error *err)
{
    mem_writer *mw = (mem_writer *)w;
    mem_fs *fs = mw->fs;
    mem_blob *b = fl_calloc(1, sizeof *b);
    char *name = fl_strdup(mw->loc);
    if (!b || !name) {
        fl_free(b);
        fl_free(name);
        int rc = fl_error_set(err, FLOE_ENOMEM, "could not write file \"%s\": out of memory", mw->loc);
        mem_writer_free(mw);
        return rc;
    }
    atomic_init(&b->refs, 1);
    size_t len = 0;
    b->data = fl_buf_detach(&mw->data, &len);
    b->len = len;
    int rc = 0;
    mem_blob *old = NULL;
    pthread_mutex_lock(&fs->lock);
    long i = find_file(fs, mw->loc);
    if (i >= 0 && (mw->flags & IO_CREATE_EXCLUSIVE)) {
        rc = fl_error_set(err, FLOE_EEXISTS, "could not create file \"%s\": file already exists",
                          mw->loc);
    } else if (i >= 0) {
        old = fs->files[i].blob;
        fs->files[i].blob = b;
    } else if (fs->len == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        mem_file *files = fl_realloc(fs->files, cap * sizeof *files);
        if (!files) {
            rc = fl_error_set(err, FLOE_ENOMEM, "could not write file \"%s\": out of memory", mw->loc);
        } else {
            fs->files = files;
            fs->cap = cap;
        }
    }
    if (rc == 0 && i < 0) {
        fs->files[fs->len].name = name;
        fs->files[fs->len].blob = b;
        fs->len++;
        name = NULL;
    }
    pthread_mutex_unlock(&fs->lock);
    if (rc < 0) blob_release(b);
    blob_release(old);
    fl_free(name);
    mem_writer_free(mw);
    return rc;
}

static const struct io_writer_ops mem_writer_ops = {mem_write, mem_close, mem_abort};

static int mem_create(io_fs *iofs, const char *location, int flags, io_writer **out, fl_error *err)
{
    mem_fs *fs = (mem_fs *)iofs;
    size_t len = strlen(location);
    if (len == 0 || location[len - 1] == '/')
        return fl_error_set(err, FLOE_EINVAL, "could not create file \"%s\": not a file location",
                            location);
    if (flags & IO_CREATE_EXCLUSIVE) {
        pthread_mutex_lock(&fs->lock);
        long i = find_file(fs, location);
        pthread_mutex_unlock(&fs->lock);
        if (i >= 0)
            return fl_error_set(err, FLOE_EEXISTS, "could not create file \"%s\": file already exists",
                                location);
    }
    mem_writer *mw = fl_calloc(1, sizeof *mw);
    char *loc = fl_strdup(location);
    if (!mw || !loc) {
        fl_free(mw);
        fl_free(loc);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    mw->base.ops = &mem_writer_ops;
    mw->base.location = loc;
    mw->fs = fs;
    mw->flags = flags;
    mw->loc = loc;
    fl_buf_init(&mw->data);
    *out = &mw->base;
    return 0;
}

static int mem_remove(io_fs *iofs, const char *location, fl_error *err)
{
    mem_fs *fs = (mem_fs *)iofs;
    mem_file gone = {NULL, NULL};
    pthread_mutex_lock(&fs->lock);
    long i = find_file(fs, location);
    if (i >= 0) {
        gone = fs->files[i];
        fs->files[i] = fs->files[--fs->len];
    }
    pthread_mutex_unlock(&fs->lock);
    if (i < 0)
        return fl_error_set(err, FLOE_ENOTFOUND, "could not remove file \"%s\": no such file",
                            location);
    fl_free(gone.name);
    blob_release(gone.blob);
    return 0;
}

/* Is name under prefix, by path components (see io.h)? */
static bool under_prefix(const char *name, const char *prefix, size_t plen)
{
    if (plen == 0) return true;
    if (strncmp(name, prefix, plen) != 0) return false;
    if (name[plen] == 0) return prefix[plen - 1] != '/';
    return prefix[plen - 1] == '/' || name[plen] == '/';
}

static int mem_list(io_fs *iofs, const char *prefix, io_list_fn fn, void *ctx, fl_error *err)
{
    mem_fs *fs = (mem_fs *)iofs;
    size_t plen = strlen(prefix);
    /* Snapshot the matches, then call fn without the lock (fn may use the fs). */
    char **names = NULL;
    uint64_t *sizes = NULL;
    size_t n = 0;
    int rc = 0;
    pthread_mutex_lock(&fs->lock);
    if (fs->len) {
        names = fl_malloc(fs->len * sizeof *names);
        sizes = fl_malloc(fs->len * sizeof *sizes);
    }
    if (fs->len && (!names || !sizes)) {
        rc = fl_error_set(err, FLOE_ENOMEM, "could not list \"%s\": out of memory", prefix);
    } else {
        for (size_t i = 0; i < fs->len; i++) {
            if (!under_prefix(fs->files[i].name, prefix, plen)) continue;
            if (!(names[n] = fl_strdup(fs->files[i].name))) {
                rc = fl_error_set(err, FLOE_ENOMEM, "could not list \"%s\": out of memory", prefix);
                break;
            }
            sizes[n++] = fs->files[i].blob->len;
        }
    }
    pthread_mutex_unlock(&fs->lock);
    for (size_t i = 0; i < n && rc == 0; i++) rc = fn(ctx, names[i], sizes[i]);
    for (size_t i = 0; i < n; i++) fl_free(names[i]);
    fl_free(names);
    fl_free(sizes);
    return rc;
}

static void mem_fs_free(io_fs *iofs)
{
    mem_fs *fs = (mem_fs *)iofs;
    for (size_t i = 0; i < fs->len; i++) {
        fl_free(fs->files[i].name);
        blob_release(fs->files[i].blob);
    }
    fl_free(fs->files);
    pthread_mutex_destroy(&fs->lock);
    fl_free(fs);
}

static const struct io_fs_ops mem_fs_ops = {mem_open, mem_create, mem_remove, mem_list, mem_fs_free};

io_fs *io_memory_new(void)
{
    mem_fs *fs = fl_calloc(1, sizeof *fs);
    if (!fs) return NULL;
    if (pthread_mutex_init(&fs->lock, NULL) != 0) {
        fl_free(fs);
        return NULL;
    }
    fs->base.ops = &mem_fs_ops;
    return &fs->base;
}
