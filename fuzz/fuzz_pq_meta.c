/*
 * fuzz_pq_meta.c: libFuzzer target for the Parquet thrift metadata decoders
 * (src/format/parquet/pq_meta.h): the input is tried as a FileMetaData
 * footer and as a PageHeader.
 *
 * Besides "no crash, no read past len, no unbounded allocation", it checks
 * that every failure is FLOE_ECORRUPT with a message, that a decoded page
 * header consumed no more than the input, and that whatever decodes
 * re-encodes (pq_*_write) to bytes that decode again to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/base/error.h"
#include "../src/format/parquet/pq_meta.h"

static void check(int ok)
{
    if (!ok) abort();
}

static void check_failure(int rc, const fl_error *err)
{
    check(rc == FLOE_ECORRUPT);
    check(err->message[0] != 0);
}

static int same_str(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

static void compare_meta(const pq_file_meta *a, const pq_file_meta *b)
{
    check(a->version == b->version && a->num_rows == b->num_rows);
    check(a->n_schema == b->n_schema && a->n_row_groups == b->n_row_groups);
    check(a->n_kv == b->n_kv && a->n_column_orders == b->n_column_orders);
    check(same_str(a->created_by, b->created_by));
    for (int32_t i = 0; i < a->n_schema; i++) {
        const pq_schema_element *x = &a->schema[i], *y = &b->schema[i];
        check(same_str(x->name, y->name));
        check(x->type == y->type && x->repetition == y->repetition);
        check(x->num_children == y->num_children && x->field_id == y->field_id);
        check(x->logical.kind == y->logical.kind || x->logical.kind == PQ_LT_OTHER);
    }
    for (int32_t g = 0; g < a->n_row_groups; g++) {
        const pq_row_group *x = &a->row_groups[g], *y = &b->row_groups[g];
        check(x->num_rows == y->num_rows && x->n_columns == y->n_columns);
        check(x->n_sorting == y->n_sorting);
        for (int32_t c = 0; c < x->n_columns; c++) {
            const pq_column_chunk *p = &x->columns[c], *q = &y->columns[c];
            check(p->file_offset == q->file_offset && p->has_meta == q->has_meta);
            if (!p->has_meta) continue;
            check(p->meta.codec == q->meta.codec && p->meta.num_values == q->meta.num_values);
            check(p->meta.path_len == q->meta.path_len && p->meta.n_kv == q->meta.n_kv);
            check(p->meta.has_stats == q->meta.has_stats);
            check(fl_strv_eq(p->meta.stats.min_value, q->meta.stats.min_value));
            check(fl_strv_eq(p->meta.stats.max_value, q->meta.stats.max_value));
        }
    }
}

static void fuzz_file_meta(const uint8_t *data, size_t size, fl_arena *arena)
{
    fl_error err;
    pq_file_meta *m = NULL;
    int rc = pq_file_meta_read(&m, data, size, arena, &err);
    if (rc < 0) {
        check(m == NULL);
        check_failure(rc, &err);
        return;
    }
    check(m != NULL && m->n_schema >= 1);
    fl_buf b;
    fl_buf_init(&b);
    /* encrypted columns (no metadata) cannot be re-encoded as they were */
    int encrypted = m->encrypted;
    for (int32_t g = 0; g < m->n_row_groups; g++)
        for (int32_t c = 0; c < m->row_groups[g].n_columns; c++)
            encrypted |= m->row_groups[g].columns[c].encrypted;
    rc = pq_file_meta_write(&b, m, &err);
    check(rc == 0);
    pq_file_meta *again = NULL;
    rc = pq_file_meta_read(&again, (const uint8_t *)b.data, b.len, arena, &err);
    if (!encrypted) {
        check(rc == 0);
        compare_meta(m, again);
    }
    fl_buf_dispose(&b);
}

static void fuzz_page_header(const uint8_t *data, size_t size, fl_arena *arena)
{
    fl_error err;
    pq_page_header h, h2;
    size_t used = 0, used2 = 0;
    int rc = pq_page_header_read(&h, data, size, &used, arena, &err);
    if (rc < 0) {
        check_failure(rc, &err);
        return;
    }
    check(used > 0 && used <= size);
    if (!h.has_data_header || h.type < 0 || h.type > PQ_PAGE_DATA_V2) return;
    fl_buf b;
    fl_buf_init(&b);
    check(pq_page_header_write(&b, &h, &err) == 0);
    check(pq_page_header_read(&h2, (const uint8_t *)b.data, b.len, &used2, arena, &err) == 0);
    check(used2 == b.len);
    check(h2.type == h.type && h2.num_values == h.num_values && h2.encoding == h.encoding);
    check(h2.compressed_page_size == h.compressed_page_size);
    check(h2.uncompressed_page_size == h.uncompressed_page_size);
    check(h2.has_crc == h.has_crc && h2.crc == h.crc && h2.has_stats == h.has_stats);
    fl_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_arena *arena = fl_arena_new(0);
    if (!arena) return 0;
    fuzz_file_meta(data, size, arena);
    fl_arena_reset(arena);
    fuzz_page_header(data, size, arena);
    fl_arena_free(arena);
    return 0;
}
