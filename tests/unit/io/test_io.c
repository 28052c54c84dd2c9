/*
 * test_io.c: FileIO semantics, run against both the local and the memory
 * filesystem (publish on close, exclusive create, abort, remove, list, short
 * reads), plus local-only details (file URIs, parent directories, temp
 * files, concurrent pread) and the memory/buffer adapters.
 */
#include "../test.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/buf.h"
#include "../../../src/io/io.h"

static int write_file(io_fs *fs, const char *loc, int flags, const char *text, fl_error *err)
{
    io_writer *w;
    int rc = io_create(fs, loc, flags, &w, err);
    if (rc < 0) return rc;
    if ((rc = io_write(w, text, strlen(text), err)) < 0) {
        io_writer_abort(w);
        return rc;
    }
    return io_writer_close(w, err);
}

/* Reads the whole file into buf (NUL-terminated); returns status. */
static int read_file(io_fs *fs, const char *loc, char *buf, size_t cap, fl_error *err)
{
    io_reader *r;
    int rc = io_open(fs, loc, &r, err);
    if (rc < 0) return rc;
    if (r->size >= cap) {
        io_reader_close(r);
        return -100;
    }
    rc = io_read_at(r, 0, buf, (size_t)r->size, err);
    buf[rc < 0 ? 0 : r->size] = 0;
    io_reader_close(r);
    return rc;
}

static const char *join(const char *base, const char *rel)
{
    static char ring[8][1024];
    static int next;
    char *b = ring[next++ & 7];
    snprintf(b, 1024, "%s/%s", base, rel);
    return b;
}

/* ---- list collection ---- */

typedef struct {
    char *names[64];
    uint64_t sizes[64];
    int n;
    int stop_after;
} listing;

static int collect(void *ctx, const char *loc, uint64_t size)
{
    listing *l = ctx;
    if (l->n < 64) {
        l->names[l->n] = fl_strdup(loc);
        l->sizes[l->n] = size;
    }
    l->n++;
    return l->stop_after && l->n >= l->stop_after ? 42 : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void listing_sort(listing *l) { qsort(l->names, (size_t)(l->n < 64 ? l->n : 64), sizeof(char *), cmp_str); }

static void listing_free(listing *l)
{
    for (int i = 0; i < l->n && i < 64; i++) fl_free(l->names[i]);
    memset(l, 0, sizeof *l);
}

/* ---- shared semantics ---- */

static void check_roundtrip_and_short_read(io_fs *fs, const char *base_in)
{
    char base[512];
    snprintf(base, sizeof base, "%s", base_in);
    fl_error err;
    char buf[256];
    const char *loc = join(base, "a/b/c.txt");
    CHECK_OK(write_file(fs, loc, 0, "hello, world", &err), &err);
    CHECK_OK(read_file(fs, loc, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "hello, world");

    io_reader *r;
    CHECK_OK(io_open(fs, loc, &r, &err), &err);
    CHECK_EQ(r->size, 12);
    CHECK_STR(r->location, loc);
    CHECK_OK(io_read_at(r, 7, buf, 5, &err), &err);
    CHECK_MEM(buf, 5, "world", 5);
    CHECK_OK(io_read_at(r, 12, buf, 0, &err), &err);           /* empty read at EOF is fine */
    CHECK_EQ(io_read_at(r, 8, buf, 5, &err), FLOE_ECORRUPT);   /* one byte short */
    CHECK(strstr(err.message, "c.txt") != NULL);
    CHECK(strstr(err.message, "end of file") != NULL);
    CHECK_EQ(io_read_at(r, 100, buf, 1, &err), FLOE_ECORRUPT);
    CHECK(io_read_at(r, UINT64_MAX - 2, buf, 8, &err) < 0);
    io_reader_close(r);

    /* replace */
    CHECK_OK(write_file(fs, loc, 0, "second", &err), &err);
    CHECK_OK(read_file(fs, loc, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "second");

    /* empty file */
    CHECK_OK(write_file(fs, join(base, "empty"), 0, "", &err), &err);
    CHECK_OK(io_open(fs, join(base, "empty"), &r, &err), &err);
    CHECK_EQ(r->size, 0);
    CHECK_EQ(io_read_at(r, 0, buf, 1, &err), FLOE_ECORRUPT);
    io_reader_close(r);
}

static void check_missing(io_fs *fs, const char *base_in)
{
    char base[512];
    snprintf(base, sizeof base, "%s", base_in);
    fl_error err;
    io_reader *r;
    const char *loc = join(base, "nope/missing.parquet");
    CHECK_EQ(io_open(fs, loc, &r, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "missing.parquet") != NULL);
    CHECK_EQ(io_remove(fs, loc, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "missing.parquet") != NULL);
}

static void check_publish_on_close(io_fs *fs, const char *base_in)
{
    char base[512];
    snprintf(base, sizeof base, "%s", base_in);
    fl_error err;
    io_writer *w;
    io_reader *r;
    const char *loc = join(base, "pending.bin");
    CHECK_OK(io_create(fs, loc, 0, &w, &err), &err);
    CHECK_OK(io_write(w, NULL, 0, &err), &err);
    CHECK_OK(io_write(w, "abc", 3, &err), &err);
    CHECK_EQ(w->written, 3);
    CHECK_EQ(io_open(fs, loc, &r, &err), FLOE_ENOTFOUND);   /* not visible yet */
    listing l = {0};
    CHECK_OK(io_list(fs, base, collect, &l, &err), &err);
    CHECK_EQ(l.n, 0);                                       /* temp files are hidden */
    listing_free(&l);
    CHECK_OK(io_writer_close(w, &err), &err);
    CHECK_OK(io_open(fs, loc, &r, &err), &err);
    CHECK_EQ(r->size, 3);
    io_reader_close(r);

    /* abort: nothing appears, the old version survives */
    CHECK_OK(io_create(fs, loc, 0, &w, &err), &err);
    CHECK_OK(io_write(w, "zzzzzz", 6, &err), &err);
    io_writer_abort(w);
    char buf[16];
    CHECK_OK(read_file(fs, loc, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "abc");
    CHECK_OK(io_create(fs, join(base, "never.bin"), 0, &w, &err), &err);
    io_writer_abort(w);
    CHECK_EQ(io_open(fs, join(base, "never.bin"), &r, &err), FLOE_ENOTFOUND);
    CHECK_OK(io_list(fs, base, collect, &l, &err), &err);
    CHECK_EQ(l.n, 1);
    listing_free(&l);
}

static void check_exclusive(io_fs *fs, const char *base_in)
{
    char base[512];
    snprintf(base, sizeof base, "%s", base_in);
    fl_error err;
    char buf[64];
    const char *loc = join(base, "meta/v1.json");
    CHECK_OK(write_file(fs, loc, IO_CREATE_EXCLUSIVE, "one", &err), &err);
    /* existing target: fails at create already */
    io_writer *w1, *w2;
    CHECK_EQ(io_create(fs, loc, IO_CREATE_EXCLUSIVE, &w1, &err), FLOE_EEXISTS);
    CHECK(strstr(err.message, "v1.json") != NULL);
    CHECK(strstr(err.message, "already exists") != NULL);

    /* two racing writers: the first close wins, the second gets EEXISTS */
    const char *loc2 = join(base, "meta/v2.json");
    CHECK_OK(io_create(fs, loc2, IO_CREATE_EXCLUSIVE, &w1, &err), &err);
    CHECK_OK(io_create(fs, loc2, IO_CREATE_EXCLUSIVE, &w2, &err), &err);
    CHECK_OK(io_write(w1, "first", 5, &err), &err);
    CHECK_OK(io_write(w2, "second", 6, &err), &err);
    CHECK_OK(io_writer_close(w2, &err), &err);
    CHECK_EQ(io_writer_close(w1, &err), FLOE_EEXISTS);
    CHECK(strstr(err.message, "v2.json") != NULL);
    CHECK_OK(read_file(fs, loc2, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "second");

    /* a plain create replaces; an exclusive one still refuses */
    CHECK_OK(write_file(fs, loc, 0, "replaced", &err), &err);
    CHECK_EQ(write_file(fs, loc, IO_CREATE_EXCLUSIVE, "x", &err), FLOE_EEXISTS);
    CHECK_OK(read_file(fs, loc, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "replaced");

    listing l = {0};
    CHECK_OK(io_list(fs, join(base, "meta"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 2);   /* no temp files left behind */
    listing_free(&l);

    /* remove, then exclusive create succeeds again */
    CHECK_OK(io_remove(fs, loc, &err), &err);
    CHECK_OK(write_file(fs, loc, IO_CREATE_EXCLUSIVE, "again", &err), &err);
}

static void check_list(io_fs *fs, const char *base_in)
{
    char base[512];
    snprintf(base, sizeof base, "%s", base_in);
    fl_error err;
    const char *files[] = {"t/data/a.parquet", "t/data/x/b.parquet", "t/data/x/y/c.parquet",
                           "t/data2/d.parquet", "t/metadata/v1.json", "t/datafile"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(files); i++)
        CHECK_OK(write_file(fs, join(base, files[i]), 0, files[i], &err), &err);

    listing l = {0};
    CHECK_OK(io_list(fs, join(base, "t/data"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 3);
    listing_sort(&l);
    CHECK_STR(l.names[0], join(base, "t/data/a.parquet"));
    CHECK_STR(l.names[1], join(base, "t/data/x/b.parquet"));
    CHECK_STR(l.names[2], join(base, "t/data/x/y/c.parquet"));
    CHECK_EQ(l.sizes[0] + l.sizes[1] + l.sizes[2],
             strlen("t/data/a.parquet") + strlen("t/data/x/b.parquet") + strlen("t/data/x/y/c.parquet"));
    listing_free(&l);

    CHECK_OK(io_list(fs, join(base, "t/data/"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 3);
    listing_sort(&l);
    CHECK_STR(l.names[0], join(base, "t/data/a.parquet"));
    listing_free(&l);

    CHECK_OK(io_list(fs, join(base, "t"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 6);
    listing_free(&l);

    /* a file exactly at the prefix */
    CHECK_OK(io_list(fs, join(base, "t/datafile"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 1);
    listing_free(&l);

    /* nothing there: empty, no error */
    CHECK_OK(io_list(fs, join(base, "t/nothing"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 0);
    CHECK_OK(io_list(fs, join(base, "t/dat"), collect, &l, &err), &err);
    CHECK_EQ(l.n, 0);

    /* the callback stops the listing with its own value */
    l.stop_after = 2;
    CHECK_EQ(io_list(fs, join(base, "t"), collect, &l, &err), 42);
    CHECK_EQ(l.n, 2);
    listing_free(&l);
}

static void check_large_write(io_fs *fs, const char *base_in)
{
    char base[512];
    snprintf(base, sizeof base, "%s", base_in);
    fl_error err;
    size_t total = 3 * 1024 * 1024 + 17;
    unsigned char *data = fl_malloc(total), *back = fl_malloc(total);
    for (size_t i = 0; i < total; i++) data[i] = (unsigned char)(i * 7 + (i >> 13));
    io_writer *w;
    const char *loc = join(base, "big.bin");
    CHECK_OK(io_create(fs, loc, 0, &w, &err), &err);
    size_t off = 0, step = 1;
    while (off < total) {                  /* tiny, medium and huge writes */
        size_t n = step < total - off ? step : total - off;
        CHECK_OK(io_write(w, data + off, n, &err), &err);
        off += n;
        step = step < 200000 ? step * 3 + 1 : 1;
        if (off > total / 2 && off < total / 2 + 10) step = 1000000;
    }
    CHECK_EQ(w->written, total);
    CHECK_OK(io_writer_close(w, &err), &err);
    io_reader *r;
    CHECK_OK(io_open(fs, loc, &r, &err), &err);
    CHECK_EQ(r->size, total);
    CHECK_OK(io_read_at(r, 0, back, total, &err), &err);
    CHECK(memcmp(data, back, total) == 0);
    io_reader_close(r);
    fl_free(data);
    fl_free(back);
}

static void run_semantics(io_fs *fs, const char *base)
{
    check_roundtrip_and_short_read(fs, join(base, "rt"));
    check_missing(fs, join(base, "missing"));
    check_publish_on_close(fs, join(base, "pub"));
    check_exclusive(fs, join(base, "excl"));
    check_list(fs, join(base, "list"));
    check_large_write(fs, join(base, "large"));
}

TEST(io_local_semantics)
{
    io_fs *fs = io_local_new();
    CHECK(fs != NULL);
    run_semantics(fs, ft_tmpdir());
    io_fs_free(fs);
}

TEST(io_memory_semantics)
{
    io_fs *fs = io_memory_new();
    CHECK(fs != NULL);
    run_semantics(fs, "mem://bucket");
    io_fs_free(fs);
}

TEST(io_local_file_uris)
{
    fl_error err;
    char buf[64];
    const char *dir = ft_tmpdir();
    char uri[1024], uri2[1024], plain[1024];
    io_fs *fs = io_local_new();
    snprintf(uri, sizeof uri, "file://%s/sp%%20ace/x.txt", dir);
    snprintf(plain, sizeof plain, "%s/sp ace/x.txt", dir);
    CHECK_OK(write_file(fs, uri, 0, "via uri", &err), &err);
    CHECK_OK(read_file(fs, plain, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "via uri");
    snprintf(uri2, sizeof uri2, "file://localhost%s/sp ace/x.txt", dir);
    CHECK_OK(read_file(fs, uri2, buf, sizeof buf, &err), &err);
    CHECK_STR(buf, "via uri");
    snprintf(uri2, sizeof uri2, "file:%s/sp ace/x.txt", dir);
    CHECK_OK(read_file(fs, uri2, buf, sizeof buf, &err), &err);

    /* listing a URI prefix reports (encoded) URIs */
    listing l = {0};
    snprintf(uri2, sizeof uri2, "file://%s/sp%%20ace", dir);
    CHECK_OK(io_list(fs, uri2, collect, &l, &err), &err);
    CHECK_EQ(l.n, 1);
    if (l.n == 1) CHECK_STR(l.names[0], uri);
    listing_free(&l);

    io_reader *r;
    CHECK_EQ(io_open(fs, "file://otherhost/x", &r, &err), FLOE_EUNSUPPORTED);
    CHECK_EQ(io_open(fs, "file:///tmp/bad%zzescape", &r, &err), FLOE_EINVAL);
    CHECK_EQ(io_open(fs, "file:///tmp/trunc%4", &r, &err), FLOE_EINVAL);
    CHECK_EQ(io_open(fs, "file:///tmp/nul%00", &r, &err), FLOE_EINVAL);
    CHECK_EQ(io_open(fs, "file:relative", &r, &err), FLOE_EINVAL);
    CHECK_EQ(io_open(fs, "", &r, &err), FLOE_EINVAL);
    io_fs_free(fs);
}

static int count_dir_entries(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
    closedir(d);
    return n;
}

TEST(io_local_errors_and_temp_files)
{
    fl_error err;
    const char *dir = ft_tmpdir();
    char path[1024], sub[1024];
    io_reader *r;
    io_writer *w;
    snprintf(path, sizeof path, "%s/missing.bin", dir);
    CHECK_EQ(io_open_local(path, &r, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, path) != NULL);
    CHECK(strstr(err.message, "No such file or directory") != NULL);
    CHECK_EQ(io_open_local(dir, &r, &err), FLOE_EINVAL);   /* a directory */

    /* a temp file exists only while writing, in the target's directory */
    snprintf(path, sizeof path, "%s/d/f.bin", dir);
    snprintf(sub, sizeof sub, "%s/d", dir);
    CHECK_OK(io_create_local(path, 0, &w, &err), &err);
    CHECK_EQ(count_dir_entries(sub), 1);
    io_writer_abort(w);
    CHECK_EQ(count_dir_entries(sub), 0);
    CHECK_OK(io_create_local(path, IO_CREATE_EXCLUSIVE, &w, &err), &err);
    CHECK_OK(io_writer_close(w, &err), &err);
    CHECK_EQ(count_dir_entries(sub), 1);

    /* a parent that is a file, and a directory target */
    snprintf(sub, sizeof sub, "%s/d/f.bin/child", dir);
    CHECK_EQ(io_create_local(sub, 0, &w, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "child") != NULL);
    snprintf(sub, sizeof sub, "%s/d/", dir);
    CHECK_EQ(io_create_local(sub, 0, &w, &err), FLOE_EINVAL);
    snprintf(sub, sizeof sub, "%s/d", dir);
    CHECK_OK(io_create_local(sub, 0, &w, &err), &err);
    CHECK(io_writer_close(w, &err) < 0);                    /* cannot replace a directory */
    CHECK(strstr(err.message, dir) != NULL);
    CHECK_EQ(count_dir_entries(sub), 1);                    /* temp removed */
}

/* ---- concurrent reads ---- */

typedef struct {
    io_reader *r;
    const unsigned char *expect;
    int seed;
    int bad;
} reader_arg;

static void *read_worker(void *varg)
{
    reader_arg *a = varg;
    unsigned s = (unsigned)a->seed;
    unsigned char buf[4096];
    for (int i = 0; i < 2000; i++) {
        s = s * 1103515245u + 12345u;
        size_t len = (s >> 8) % sizeof buf;
        uint64_t off = (s >> 3) % (a->r->size - len);
        if (io_read_at(a->r, off, buf, len, NULL) < 0 || memcmp(buf, a->expect + off, len) != 0)
            a->bad++;
    }
    return NULL;
}

static void check_concurrent_reads(io_fs *fs, const char *loc)
{
    fl_error err;
    size_t size = 256 * 1024;
    unsigned char *data = fl_malloc(size);
    for (size_t i = 0; i < size; i++) data[i] = (unsigned char)(i ^ (i >> 9));
    io_writer *w;
    CHECK_OK(io_create(fs, loc, 0, &w, &err), &err);
    CHECK_OK(io_write(w, data, size, &err), &err);
    CHECK_OK(io_writer_close(w, &err), &err);
    io_reader *r;
    CHECK_OK(io_open(fs, loc, &r, &err), &err);
    pthread_t t[4];
    reader_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (reader_arg){r, data, i + 1, 0};
        pthread_create(&t[i], NULL, read_worker, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ(args[i].bad, 0);
    }
    io_reader_close(r);
    fl_free(data);
}

TEST(io_concurrent_read_at)
{
    io_fs *fs = io_local_new();
    check_concurrent_reads(fs, join(ft_tmpdir(), "shared.bin"));
    io_fs_free(fs);
    fs = io_memory_new();
    check_concurrent_reads(fs, "mem/shared.bin");
    io_fs_free(fs);
}

TEST(io_memory_reader_outlives_remove_and_fs)
{
    fl_error err;
    io_fs *fs = io_memory_new();
    io_reader *r;
    char buf[8];
    CHECK_OK(write_file(fs, "k/v", 0, "payload", &err), &err);
    CHECK_OK(io_open(fs, "k/v", &r, &err), &err);
    CHECK_OK(io_remove(fs, "k/v", &err), &err);
    CHECK_OK(write_file(fs, "k/v", 0, "other", &err), &err);
    io_fs_free(fs);
    CHECK_OK(io_read_at(r, 0, buf, 7, &err), &err);
    CHECK_MEM(buf, 7, "payload", 7);
    io_reader_close(r);
}

TEST(io_reader_from_memory_and_writer_to_buf)
{
    fl_error err;
    static const char data[] = "0123456789";
    io_reader *r;
    char buf[16];
    CHECK_OK(io_reader_from_memory(data, 10, &r, &err), &err);
    CHECK_EQ(r->size, 10);
    CHECK_OK(io_read_at(r, 3, buf, 4, &err), &err);
    CHECK_MEM(buf, 4, "3456", 4);
    CHECK_EQ(io_read_at(r, 8, buf, 3, &err), FLOE_ECORRUPT);
    CHECK_EQ(io_read_at(r, UINT64_MAX, buf, 1, &err), FLOE_ECORRUPT);
    io_reader_close(r);

    fl_buf b;
    fl_buf_init(&b);
    fl_buf_append_str(&b, "head:");
    io_writer *w;
    CHECK_OK(io_writer_to_buf(&b, &w, &err), &err);
    CHECK_OK(io_write(w, "abc", 3, &err), &err);
    CHECK_OK(io_write(w, "def", 3, &err), &err);
    CHECK_EQ(w->written, 6);
    CHECK_OK(io_writer_close(w, &err), &err);
    CHECK_STR(fl_buf_cstr(&b), "head:abcdef");
    CHECK_OK(io_writer_to_buf(&b, &w, &err), &err);
    CHECK_OK(io_write(w, "discard", 7, &err), &err);
    io_writer_abort(w);
    CHECK_STR(fl_buf_cstr(&b), "head:abcdef");
    fl_buf_dispose(&b);
}

/* Every allocation failure inside create/write/close/open/list is reported
 * as FLOE_ENOMEM and leaves nothing half-published (ASan checks leaks). */
static void check_oom(io_fs *fs, const char *base)
{
    int saw_oom = 0, bad = 0;
    for (long n = 0; n < 40; n++) {
        fl_error err;
        char loc[600];
        snprintf(loc, sizeof loc, "%s/oom/f%ld", base, n);
        fl_alloc_fail_after(n);
        int rc = write_file(fs, loc, IO_CREATE_EXCLUSIVE, "data", &err);
        fl_alloc_fail_after(-1);
        io_reader *r;
        int open_rc = io_open(fs, loc, &r, &err);
        if (open_rc == 0) io_reader_close(r);
        if (rc == FLOE_ENOMEM) {
            saw_oom++;
            if (open_rc != FLOE_ENOTFOUND) bad++;
        } else if (rc != 0 || open_rc != 0) {
            fprintf(stderr, "oom n=%ld rc=%d open=%d %s\n", n, rc, open_rc, err.message);
            bad++;
        }
        listing l = {0};
        fl_alloc_fail_after(n);
        rc = io_list(fs, base, collect, &l, &err);
        fl_alloc_fail_after(-1);
        if (rc != 0 && rc != FLOE_ENOMEM) {
            fprintf(stderr, "oom list n=%ld rc=%d %s\n", n, rc, err.message);
            bad++;
        }
        listing_free(&l);
    }
    CHECK(saw_oom > 0);
    CHECK_EQ(bad, 0);
}

TEST(io_out_of_memory_paths)
{
    io_fs *fs = io_memory_new();
    check_oom(fs, "mem://oom");
    io_fs_free(fs);
    fs = io_local_new();
    check_oom(fs, ft_tmpdir());
    io_fs_free(fs);
}

TEST(io_whole_file_helpers)
{
    fl_error err;
    io_fs *fs = io_memory_new();
    CHECK_OK(io_write_file(fs, "m/v1.json", IO_CREATE_EXCLUSIVE, "{\"a\":1}", 7, &err), &err);
    CHECK_EQ(io_write_file(fs, "m/v1.json", IO_CREATE_EXCLUSIVE, "{}", 2, &err), FLOE_EEXISTS);
    fl_buf b;
    fl_buf_init(&b);
    fl_buf_append_str(&b, ">");
    CHECK_OK(io_read_file(fs, "m/v1.json", &b, &err), &err);
    CHECK_STR(fl_buf_cstr(&b), ">{\"a\":1}");
    CHECK_EQ(io_read_file(fs, "m/v2.json", &b, &err), FLOE_ENOTFOUND);
    CHECK_STR(fl_buf_cstr(&b), ">{\"a\":1}");
    CHECK_OK(io_write_file(fs, "m/empty", 0, NULL, 0, &err), &err);
    fl_buf_reset(&b);
    CHECK_OK(io_read_file(fs, "m/empty", &b, &err), &err);
    CHECK_EQ(b.len, 0);
    fl_buf_dispose(&b);
    io_fs_free(fs);

    fs = io_local_new();
    char path[600];
    snprintf(path, sizeof path, "%s/x/y.bin", ft_tmpdir());
    CHECK_OK(io_write_file(fs, path, 0, "local", 5, &err), &err);
    fl_buf_init(&b);
    CHECK_OK(io_read_file(fs, path, &b, &err), &err);
    CHECK_STR(fl_buf_cstr(&b), "local");
    fl_buf_dispose(&b);
    io_fs_free(fs);
}
