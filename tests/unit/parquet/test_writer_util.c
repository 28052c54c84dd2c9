/*
 * test_writer_util.c: helpers for the Parquet writer tests (see
 * test_writer_util.h). No TEST()s here.
 */
#include "test_writer_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/crc32.h"
#include "../test.h"

pq_field tw_leaf(const char *name, fl_type type, bool nullable, int32_t field_id)
{
    pq_field f;
    memset(&f, 0, sizeof f);
    f.name = name;
    f.type = type;
    f.nullable = nullable;
    f.field_id = field_id;
    f.has_field_id = field_id > 0;
    f.leaf_index = -1;
    return f;
}

pq_field tw_group(const char *name, fl_type_id kind, bool nullable, int32_t field_id,
                  pq_field *children, uint32_t n_children)
{
    pq_field f = tw_leaf(name, fl_type_make(kind), nullable, field_id);
    f.children = children;
    f.n_children = n_children;
    return f;
}

uint64_t tw_rand(uint64_t *state)
{
    uint64_t x = *state += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static const char *words[] = {"", "a", "apple", "Zebra", "\xc3\xa9t\xc3\xa9", "b\0c", "zz",
                              "a longer string value that goes on", "\xff\xfe", "~"};

fl_column *tw_gen(fl_arena *arena, fl_type type, size_t rows, int null_every, int cardinality,
                  uint64_t seed)
{
    fl_column *col = fl_column_new(arena, type, rows);
    if (!col) return NULL;
    col->len = rows;
    uint64_t st = seed;
    for (size_t i = 0; i < rows; i++) {
        uint64_t r = tw_rand(&st);
        if (cardinality > 0) {
            uint64_t k = r % (uint64_t)cardinality;
            r = tw_rand(&k) ^ seed;
        }
        int64_t s = (int64_t)r;
        void *d = col->data;
        switch ((fl_type_id)type.id) {
        case FL_TYPE_BOOL: ((uint8_t *)d)[i] = r & 1; break;
        case FL_TYPE_INT8: ((int8_t *)d)[i] = (int8_t)s; break;
        case FL_TYPE_INT16: ((int16_t *)d)[i] = (int16_t)s; break;
        case FL_TYPE_INT32: ((int32_t *)d)[i] = (int32_t)s; break;
        case FL_TYPE_DATE: ((int32_t *)d)[i] = (int32_t)(s % 100000); break;
        case FL_TYPE_INT64:
        case FL_TYPE_TIMESTAMP:
        case FL_TYPE_TIMESTAMPTZ:
        case FL_TYPE_TIMESTAMP_NS:
        case FL_TYPE_TIMESTAMPTZ_NS: ((int64_t *)d)[i] = s; break;
        case FL_TYPE_TIME: ((int64_t *)d)[i] = (int64_t)(r % (uint64_t)86400000000); break;
        case FL_TYPE_UINT8: ((uint8_t *)d)[i] = (uint8_t)r; break;
        case FL_TYPE_UINT16: ((uint16_t *)d)[i] = (uint16_t)r; break;
        case FL_TYPE_UINT32: ((uint32_t *)d)[i] = (uint32_t)r; break;
        case FL_TYPE_UINT64: ((uint64_t *)d)[i] = r; break;
        case FL_TYPE_FLOAT:
            ((float *)d)[i] = (r % 50 == 0) ? __builtin_nanf("") : (float)(s % 100000) / 7.0f;
            break;
        case FL_TYPE_DOUBLE:
            ((double *)d)[i] = (r % 50 == 0) ? -0.0 : (double)s / 3.0e9;
            break;
        case FL_TYPE_DECIMAL: {
            int p = type.precision;
            if (p <= 18) {
                int64_t bound = 1;
                for (int k = 0; k < p; k++) bound *= 10;
                ((int64_t *)d)[i] = s % bound;
            } else {
                fl_int128 v = (fl_int128)((unsigned __int128)r << 64 | tw_rand(&st));
                fl_int128 bound = 1;
                for (int k = 0; k < p; k++) bound *= 10;
                v %= bound;
                ((fl_int128 *)d)[i] = v;
            }
            break;
        }
        case FL_TYPE_STRING:
        case FL_TYPE_BINARY: {
            char buf[64];
            size_t len;
            if (r % 3 == 0) {
                size_t k = r % FL_ARRAY_SIZE(words);
                if (k == 8 && type.id == FL_TYPE_STRING) k = 4;   /* strings stay valid UTF-8 */
                const char *w = words[k];
                len = k == 5 ? 3 : strlen(w);
                memcpy(buf, w, len);
            } else {
                len = (size_t)snprintf(buf, sizeof buf, "v%llu", (unsigned long long)(r % 1000000007));
            }
            fl_column_copy_str(col, buf, len, &((fl_strv *)d)[i]);
            break;
        }
        case FL_TYPE_FIXED:
        case FL_TYPE_UUID: {
            uint8_t buf[64];
            size_t len = (size_t)(type.id == FL_TYPE_UUID ? 16 : type.fixed_len);
            for (size_t k = 0; k < len && k < sizeof buf; k++) buf[k] = (uint8_t)(r >> (k % 8 * 8)) ^ (uint8_t)k;
            fl_column_copy_str(col, (const char *)buf, len, &((fl_strv *)d)[i]);
            break;
        }
        default: break;
        }
        if (null_every > 0 && i % (size_t)null_every == (size_t)null_every - 1)
            fl_column_set_null(col, i);
    }
    return col;
}

fl_column *tw_gen_field(fl_arena *arena, const pq_field *f, size_t rows, int null_every,
                        int max_len, uint64_t seed)
{
    int nulls = f->nullable ? null_every : 0;
    if (!fl_type_is_nested(f->type)) return tw_gen(arena, f->type, rows, nulls, 0, seed);
    fl_column *col = fl_column_new(arena, f->type, rows);
    if (!col) return NULL;
    col->len = rows;
    uint64_t st = seed * 31 + 7;
    size_t child_rows = rows;
    if (f->type.id != FL_TYPE_STRUCT) {
        int64_t total = 0;
        col->offsets[0] = 0;
        for (size_t i = 0; i < rows; i++) {
            bool is_null = nulls > 0 && tw_rand(&st) % (uint64_t)nulls == 0;
            if (!is_null) total += (int64_t)(tw_rand(&st) % (uint64_t)(max_len + 1));
            col->offsets[i + 1] = total;
            if (is_null) fl_column_set_null(col, i);
        }
        child_rows = (size_t)total;
    } else if (nulls > 0) {
        for (size_t i = 0; i < rows; i++)
            if (tw_rand(&st) % (uint64_t)nulls == 0) fl_column_set_null(col, i);
    }
    for (uint32_t i = 0; i < f->n_children; i++) {
        fl_column *child = tw_gen_field(arena, &f->children[i], child_rows, null_every, max_len,
                                        seed * 131 + i + 1);
        if (!child || fl_column_add_child(col, child) < 0) return NULL;
    }
    return col;
}

fl_column *tw_slice(fl_arena *arena, const fl_column *col, size_t off, size_t n)
{
    FL_ASSERT(off % 8 == 0);
    fl_column *v = fl_arena_alloc(arena, sizeof *v);
    *v = *col;
    v->len = v->cap = n;
    size_t width = fl_type_width(col->type);
    if (col->data) v->data = (char *)col->data + off * width;
    if (col->validity) v->validity = col->validity + off / 8;
    if (col->offsets) v->offsets = col->offsets + off;
    if (col->type.id == FL_TYPE_STRUCT) {
        v->children = fl_arena_alloc(arena, col->child_count * sizeof *v->children);
        for (uint32_t i = 0; i < col->child_count; i++)
            v->children[i] = tw_slice(arena, col->children[i], off, n);
    }
    return v;
}

int tw_write(fl_buf *out, const pq_field *root, fl_column **cols, size_t rows, size_t batch,
             const pq_writer_opts *opts, fl_error *err)
{
    io_writer *dst = NULL;
    pq_writer *w = NULL;
    fl_arena *arena = fl_arena_new(0);
    int rc = io_writer_to_buf(out, &dst, err);
    if (rc < 0) goto done;
    rc = pq_writer_new(&w, dst, root, opts, err);
    if (rc < 0) goto done;
    if (batch == 0) batch = rows ? rows : 1;
    for (size_t off = 0; off < rows && rc == 0; off += batch) {
        size_t n = rows - off < batch ? rows - off : batch;
        fl_column *view[64];
        FL_ASSERT(root->n_children <= 64);
        for (uint32_t i = 0; i < root->n_children; i++)
            view[i] = off ? tw_slice(arena, cols[i], off, n) : cols[i];
        rc = pq_writer_write(w, view, n, err);
    }
    if (rc == 0) rc = pq_writer_close(w, err);
    /* FLOE_TEST_PARQUET_DUMP=dir keeps every file written, for checking them
     * with other readers by hand */
    const char *dump = getenv("FLOE_TEST_PARQUET_DUMP");
    if (rc == 0 && dump) {
        static int n_dumped;
        char path[512];
        snprintf(path, sizeof path, "%s/w%03d.parquet", dump, n_dumped++);
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(out->data, 1, out->len, f);
            fclose(f);
        }
    }
done:
    pq_writer_free(w);
    if (dst) {
        if (rc == 0)
            rc = io_writer_close(dst, err);
        else
            io_writer_abort(dst);
    }
    fl_arena_free(arena);
    return rc;
}

static bool prim_eq(const fl_column *e, size_t er, const fl_column *g, size_t gr)
{
    if (fl_type_is_varlen(e->type))
        return fl_strv_eq(((const fl_strv *)e->data)[er], ((const fl_strv *)g->data)[gr]);
    size_t w = fl_type_width(e->type);
    if (w == 0) return true;
    return memcmp((const char *)e->data + er * w, (const char *)g->data + gr * w, w) == 0;
}

bool tw_value_eq(const fl_column *e, size_t er, const fl_column *g, size_t gr)
{
    if (!fl_type_eq(e->type, g->type)) return false;
    bool ve = fl_column_is_valid(e, er) && e->type.id != FL_TYPE_NULL;
    bool vg = fl_column_is_valid(g, gr) && g->type.id != FL_TYPE_NULL;
    if (ve != vg) return false;
    if (!ve) return true;
    switch (e->type.id) {
    case FL_TYPE_STRUCT:
        if (e->child_count != g->child_count) return false;
        for (uint32_t i = 0; i < e->child_count; i++)
            if (!tw_value_eq(e->children[i], er, g->children[i], gr)) return false;
        return true;
    case FL_TYPE_LIST:
    case FL_TYPE_MAP: {
        int64_t eb = e->offsets[er], ee = e->offsets[er + 1];
        int64_t gb = g->offsets[gr], ge = g->offsets[gr + 1];
        if (ee - eb != ge - gb || e->child_count != g->child_count) return false;
        for (int64_t k = 0; k < ee - eb; k++)
            for (uint32_t c = 0; c < e->child_count; c++)
                if (!tw_value_eq(e->children[c], (size_t)(eb + k), g->children[c], (size_t)(gb + k)))
                    return false;
        return true;
    }
    default: return prim_eq(e, er, g, gr);
    }
}

size_t tw_check_roundtrip(const fl_buf *file, fl_column **expected, int n_cols, size_t rows)
{
    io_reader *src = NULL;
    pq_file *pf = NULL;
    pq_scan *scan = NULL;
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    fl_error_clear(&err);
    size_t total = 0;
    if (!CHECK_OK(io_reader_from_memory(file->data, file->len, &src, &err), &err)) goto done;
    if (!CHECK_OK(pq_file_open(&pf, src, &err), &err)) goto done;
    CHECK_EQ(pq_file_num_rows(pf), rows);
    pq_scan_opts so;
    memset(&so, 0, sizeof so);
    so.verify_crc = true;
    if (!CHECK_OK(pq_scan_new(&scan, pf, &so, &err), &err)) goto done;
    int mismatches = 0;
    for (;;) {
        fl_column *cols[64];
        size_t n = 0;
        fl_arena_reset(arena);
        if (!CHECK_OK(pq_scan_next(scan, arena, cols, &n, &err), &err)) break;
        if (n == 0) break;
        for (int c = 0; c < n_cols && mismatches < 5; c++) {
            for (size_t r = 0; r < n && total + r < rows; r++) {
                if (!tw_value_eq(expected[c], total + r, cols[c], r)) {
                    CHECK(!"round-tripped value differs");
                    fprintf(stderr, "    column %d row %zu\n", c, total + r);
                    if (++mismatches >= 5) break;
                }
            }
        }
        total += n;
    }
    CHECK_EQ(total, rows);
done:
    pq_scan_free(scan);
    pq_file_free(pf);
    io_reader_close(src);
    fl_arena_free(arena);
    return total;
}

pq_file_meta *tw_footer(const fl_buf *file, fl_arena *arena)
{
    if (file->len < 12) return NULL;
    const uint8_t *p = (const uint8_t *)file->data;
    if (memcmp(p, "PAR1", 4) != 0 || memcmp(p + file->len - 4, "PAR1", 4) != 0) return NULL;
    uint32_t len = fl_load_u32le(p + file->len - 8);
    if (len > file->len - 12) return NULL;
    pq_file_meta *m = NULL;
    fl_error err;
    if (pq_file_meta_read(&m, p + file->len - 8 - len, len, arena, &err) < 0) {
        fprintf(stderr, "    footer: %s\n", err.message);
        return NULL;
    }
    return m;
}

int tw_count_pages(const fl_buf *file, const pq_column_chunk *cc, int *dict_pages,
                   int *v2_pages, int *crc_pages, fl_arena *arena)
{
    const pq_column_meta *m = &cc->meta;
    int64_t pos = m->has_dictionary_page_offset ? m->dictionary_page_offset : m->data_page_offset;
    int64_t end = pos + m->total_compressed_size;
    int64_t values = 0;
    int data = 0;
    *dict_pages = *v2_pages = *crc_pages = 0;
    if (pos < 4 || end > (int64_t)file->len) return -1;
    while (pos < end) {
        pq_page_header h;
        size_t used = 0;
        fl_error err;
        if (pq_page_header_read(&h, (const uint8_t *)file->data + pos, (size_t)(end - pos), &used,
                                arena, &err) < 0)
            return -1;
        pos += (int64_t)used;
        if (pos + h.compressed_page_size > end) return -1;
        if (h.has_crc) {
            uint32_t crc = fl_crc32(0, file->data + pos, (size_t)h.compressed_page_size);
            if ((int32_t)crc != h.crc) return -1;
            (*crc_pages)++;
        }
        pos += h.compressed_page_size;
        if (h.type == PQ_PAGE_DICTIONARY) {
            (*dict_pages)++;
        } else {
            data++;
            values += h.num_values;
            if (h.type == PQ_PAGE_DATA_V2) (*v2_pages)++;
        }
    }
    if (values != m->num_values) return -1;
    return data;
}
