/*
 * io_util.c: whole-file helpers over any FileIO (see io.h): read a file into
 * a buffer, write a buffer as a file. Metadata files (JSON, manifests) are
 * read and written whole; these keep that pattern in one place.
 */
#include "io.h"

#include "../base/buf.h"

int io_read_file(io_fs *fs, const char *location, fl_buf *out, fl_error *err)
{
    io_reader *r;
    int rc = io_open(fs, location, &r, err);
    if (rc < 0) return rc;
    if (r->size > (uint64_t)SIZE_MAX / 2) {
        rc = fl_error_set(err, FLOE_ELIMIT, "could not read file \"%s\": %llu bytes is too large",
                          location, (unsigned long long)r->size);
    } else {
        size_t old_len = out->len;
        void *dst = fl_buf_extend(out, (size_t)r->size);
        if (!dst) {
            rc = fl_error_set(err, FLOE_ENOMEM, "could not read file \"%s\": out of memory", location);
        } else if ((rc = io_read_at(r, 0, dst, (size_t)r->size, err)) < 0) {
            out->len = old_len;
            if (out->data) out->data[old_len] = 0;
        }
    }
    io_reader_close(r);
    return rc;
}

int io_write_file(io_fs *fs, const char *location, int flags, const void *data, size_t len,
                  fl_error *err)
{
    io_writer *w;
    int rc = io_create(fs, location, flags, &w, err);
    if (rc < 0) return rc;
    if ((rc = io_write(w, data, len, err)) < 0) {
        io_writer_abort(w);
        return rc;
    }
    return io_writer_close(w, err);
}
