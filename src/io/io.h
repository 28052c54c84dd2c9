/*
 * io.h: the FileIO interface: how every layer above reads and writes bytes.
 *
 * A filesystem (io_fs) opens readers and writers by location. Locations are
 * plain paths or URIs (`file:///x`, later `s3://bucket/key`). Readers are
 * random-access: the Parquet reader fetches the footer first, then only the
 * column chunks it needs, so it works the same over object storage.
 * Writers stream bytes and make them visible only on a successful close:
 * with IO_CREATE_EXCLUSIVE the close fails with FLOE_EEXISTS if the
 * location already exists (create-if-absent, atomic).
 *
 * Threads: a reader's read_at CAN be called from several threads at once.
 * A writer is used by one thread at a time.
 */
#ifndef IO_H
#define IO_H

#include <stdint.h>
#include <stddef.h>

#include "../base/error.h"

struct fl_buf;
typedef struct io_reader io_reader;
typedef struct io_writer io_writer;
typedef struct io_fs io_fs;

struct io_reader_ops {
    /* Reads exactly len bytes at offset; FLOE_EIO/FLOE_ECORRUPT if short. */
    int (*read_at)(io_reader *r, uint64_t offset, void *dst, size_t len, fl_error *err);
    void (*close)(io_reader *r);
};

struct io_reader {
    const struct io_reader_ops *ops;
    uint64_t size;
    const char *location;
};

struct io_writer_ops {
    int (*write)(io_writer *w, const void *p, size_t len, fl_error *err);
    /* Publishes the bytes and frees the writer (even on failure). */
    int (*close)(io_writer *w, fl_error *err);
    /* Discards what was written and frees the writer. */
    void (*abort)(io_writer *w);
};

struct io_writer {
    const struct io_writer_ops *ops;
    uint64_t written;
    const char *location;
};

enum { IO_CREATE_EXCLUSIVE = 1 };

/* Listing callback: return 0 to go on; any other value stops the listing
 * and becomes list's return value (set err yourself if it is negative). */
typedef int (*io_list_fn)(void *ctx, const char *location, uint64_t size);

struct io_fs_ops {
    int (*open)(io_fs *fs, const char *location, io_reader **out, fl_error *err);
    int (*create)(io_fs *fs, const char *location, int flags, io_writer **out, fl_error *err);
    int (*remove)(io_fs *fs, const char *location, fl_error *err);
    /* Calls fn for every file under prefix (recursively), in no set order.
     * "Under" goes by path components: prefix "t/data" (or "t/data/") lists
     * "t/data/a.parquet" and "t/data/x/b.parquet" but not "t/data2/c"; a file
     * located exactly at prefix is listed too. A prefix matching nothing
     * lists nothing (not an error). Files still being written (not yet
     * closed) are never listed. Locations are reported in the prefix's form. */
    int (*list)(io_fs *fs, const char *prefix, io_list_fn fn, void *ctx, fl_error *err);
    void (*free)(io_fs *fs);
};

struct io_fs {
    const struct io_fs_ops *ops;
};

static inline int io_read_at(io_reader *r, uint64_t off, void *dst, size_t len, fl_error *err)
{
    return r->ops->read_at(r, off, dst, len, err);
}
static inline void io_reader_close(io_reader *r) { if (r) r->ops->close(r); }
static inline int io_write(io_writer *w, const void *p, size_t len, fl_error *err)
{
    return w->ops->write(w, p, len, err);
}
static inline int io_writer_close(io_writer *w, fl_error *err) { return w->ops->close(w, err); }
static inline void io_writer_abort(io_writer *w) { if (w) w->ops->abort(w); }
static inline int io_open(io_fs *fs, const char *loc, io_reader **out, fl_error *err)
{
    return fs->ops->open(fs, loc, out, err);
}
static inline int io_create(io_fs *fs, const char *loc, int flags, io_writer **out, fl_error *err)
{
    return fs->ops->create(fs, loc, flags, out, err);
}
static inline int io_remove(io_fs *fs, const char *loc, fl_error *err)
{
    return fs->ops->remove(fs, loc, err);
}
static inline int io_list(io_fs *fs, const char *prefix, io_list_fn fn, void *ctx, fl_error *err)
{
    return fs->ops->list(fs, prefix, fn, ctx, err);
}
static inline void io_fs_free(io_fs *fs) { if (fs) fs->ops->free(fs); }

/* Local filesystem ("file://" prefix or plain paths). NULL on OOM. */
io_fs *io_local_new(void);
/* In-memory filesystem for tests: same semantics as the local one (atomic
 * publish on close, exclusive create, list by path components). Readers
 * keep their file's bytes alive after a remove or replace, and may outlive
 * the fs; writers must be closed or aborted before io_fs_free. NULL on OOM. */
io_fs *io_memory_new(void);

/* Shortcuts on the local filesystem. */
int io_open_local(const char *path, io_reader **out, fl_error *err);
int io_create_local(const char *path, int flags, io_writer **out, fl_error *err);
/* Whole-file helpers on any fs. io_read_file appends the file's bytes to
 * out (a caller-initialized fl_buf); io_write_file creates, writes and closes
 * (aborting on a failed write), with create's flags. */
int io_read_file(io_fs *fs, const char *location, struct fl_buf *out, fl_error *err);
int io_write_file(io_fs *fs, const char *location, int flags, const void *data, size_t len,
                  fl_error *err);

/* A reader over a caller-owned memory block (must outlive the reader). */
int io_reader_from_memory(const void *data, size_t len, io_reader **out, fl_error *err);
/* A writer appending to a caller-owned fl_buf (close does not free the buf). */
int io_writer_to_buf(struct fl_buf *buf, io_writer **out, fl_error *err);

#endif
