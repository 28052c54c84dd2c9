/*
 * fuzz_ice_manifest.c: libFuzzer target for Iceberg manifests and manifest
 * lists (src/iceberg/ice_manifest_*.c).
 *
 * The input is read from memory twice: as a manifest list (every entry),
 * and as a manifest whose spec and schema come from its own header (every
 * entry, each deep-copied and its bounds decoded against the header
 * schema). When the manifest reads cleanly, its entries are written again
 * with floe's manifest writer (same spec and schema, format v2) and the
 * result must read back with the same number of entries. Bad input must
 * only ever give an error code with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/iceberg/ice_manifest.h"

static void read_list(const uint8_t *data, size_t size)
{
    fl_error err = {0};
    io_reader *in;
    ice_manifest_list *l = NULL;
    if (io_reader_from_memory(data, size, &in, &err) < 0) abort();
    if (ice_manifest_list_read_io(&l, in, "fuzz", &err) == 0) {
        for (size_t i = 0; i < l->count; i++)
            if (!l->files[i].manifest_path) abort();
        ice_manifest_list_free(l);
    } else if (err.message[0] == '\0') {
        abort();
    }
    io_reader_close(in);
}

static size_t count_entries(const fl_buf *file)
{
    fl_error err = {0};
    io_reader *in;
    ice_manifest_reader *r;
    const ice_manifest_entry *e;
    size_t n = 0;
    int rc;
    if (io_reader_from_memory(file->data, file->len, &in, &err) < 0) abort();
    if (ice_manifest_reader_open_io(&r, in, "rewritten", NULL, NULL, &err) < 0) abort();
    while ((rc = ice_manifest_reader_next(r, &e, &err)) == 1) n++;
    if (rc < 0) abort();
    ice_manifest_reader_free(r);
    io_reader_close(in);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_list(data, size);
    fl_error err = {0};
    io_reader *in;
    ice_manifest_reader *r = NULL;
    if (io_reader_from_memory(data, size, &in, &err) < 0) abort();
    if (ice_manifest_reader_open_io(&r, in, "fuzz", NULL, NULL, &err) < 0) {
        io_reader_close(in);
        return 0;
    }
    fl_arena *arena = fl_arena_new(0);
    fl_buf out;
    fl_buf_init(&out);
    io_writer *w = NULL;
    ice_manifest_writer *mw = NULL;
    const ice_schema *schema = ice_manifest_reader_schema(r);
    ice_manifest_writer_opts wo = {2, ice_manifest_reader_content(r), schema,
                                   ice_manifest_reader_spec(r), 1, AVRO_CODEC_NULL, 0};
    bool rewrite = io_writer_to_buf(&out, &w, &err) == 0 &&
                   ice_manifest_writer_open_io(&mw, w, "rewritten", &wo, &err) == 0;
    const ice_manifest_entry *e;
    size_t n = 0;
    int rc;
    while ((rc = ice_manifest_reader_next(r, &e, &err)) == 1) {
        ice_data_file copy;
        if (ice_data_file_copy(&copy, &e->file, arena, &err) < 0) abort();
        for (size_t i = 0; i < copy.lower_bound_count; i++) {
            fl_value v;
            bool found;
            (void)ice_data_file_bound(&v, &found, &copy, schema, copy.lower_bounds[i].field_id, false, &err);
        }
        /* entries the writer refuses (a data file in a delete manifest,
         * values that do not fit) make the rewrite moot, not a failure */
        if (rewrite && ice_manifest_writer_add_entry(mw, e, &err) < 0) {
            ice_manifest_writer_abort(mw);
            mw = NULL;
            rewrite = false;
        }
        n++;
    }
    if (rc < 0) {
        ice_manifest_writer_abort(mw);
        rewrite = false;
    } else if (rewrite) {
        if (ice_manifest_writer_close(mw, NULL, NULL, &err) < 0) abort();
        if (count_entries(&out) != n) abort();
    }
    ice_manifest_reader_free(r);
    io_reader_close(in);
    fl_buf_dispose(&out);
    fl_arena_free(arena);
    return 0;
}
