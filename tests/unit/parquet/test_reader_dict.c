/*
 * test_reader_dict.c: dictionary batches of the Parquet reader
 * (pq_scan_opts.keep_dictionaries, pq_scan_next_dict). Every dictionary scan
 * runs next to a flat scan (pq_scan_next) of the same file with the same
 * options, and every row of a dictionary batch (values row idx[i]) must equal
 * the flat batch's row: files written by floe's writer with NULLs, several
 * row groups, v1 and v2 pages and batch sizes crossing pages; row ranges
 * inside a row group; a chunk whose writer abandoned the dictionary part way
 * (spliced: dictionary pages then PLAIN pages) comes back flat from the
 * batch that meets PLAIN; ids stay equal within a column chunk and differ
 * across chunks; the NULL entry; a dictionary too small for the indices is
 * FLOE_ECORRUPT; and files written by other implementations (shared corpus).
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/format/parquet/pq_meta.h"
#include "test_writer_util.h"

/* ---- comparing a dictionary scan with a flat scan ---- */

typedef struct dict_stats {
    size_t rows;
    size_t dict_batches, flat_batches;   /* over the dictionary-capable columns */
    int id_changes;                      /* per column, summed: ids seen change */
    bool ok;
} dict_stats;

/* Whether column c's rows may come back as dictionaries. */
static bool dict_capable(const pq_file *f, int c)
{
    const pq_field *fld = &pq_file_schema(f)->children[c];
    return fld->n_children == 0 && fld->max_rep == 0 && fld->physical_type == PQ_BYTE_ARRAY &&
           (fld->type.id == FL_TYPE_STRING || fld->type.id == FL_TYPE_BINARY);
}

/* Scans f twice with opts (all columns), flat and with dictionaries,
 * comparing batch by batch. Checks ids: equal within a row group's batches,
 * never equal to an earlier row group's (batches never cross row groups). */
static dict_stats compare_scans(pq_file *f, const pq_scan_opts *base)
{
    dict_stats st = {0};
    st.ok = true;
    pq_scan_opts o = *base;
    o.keep_dictionaries = true;
    fl_error err = {0};
    pq_scan *flat = NULL, *dict = NULL;
    if (!CHECK_OK(pq_scan_new(&flat, f, base, &err), &err) || !CHECK_OK(pq_scan_new(&dict, f, &o, &err), &err)) {
        pq_scan_free(flat);
        st.ok = false;
        return st;
    }
    uint32_t ncols = pq_file_schema(f)->n_children;
    fl_column **fc = calloc(ncols + 1, sizeof *fc), **dc = calloc(ncols + 1, sizeof *dc);
    fl_dict_column **dd = calloc(ncols + 1, sizeof *dd);
    uint64_t *last_id = calloc(ncols + 1, sizeof *last_id);
    fl_column **last_values = calloc(ncols + 1, sizeof *last_values);
    int *last_rg = calloc(ncols + 1, sizeof *last_rg);
    uint64_t *seen_ids = calloc(4096, sizeof *seen_ids);
    size_t n_seen = 0;
    fl_arena *fa = fl_arena_new(0), *da = fl_arena_new(0);
    const pq_file_meta *m = pq_file_metadata(f);
    /* the scans' first row in file numbering */
    int64_t first = base->first_row, before = 0;
    for (int g = 0; g < base->row_group_begin; g++) before += m->row_groups[g].num_rows;
    if (before > first) first = before;
    for (;;) {
        size_t fr = 0, dr = 0;
        fl_arena_reset(fa);
        fl_arena_reset(da);
        int rc1 = pq_scan_next(flat, fa, fc, &fr, &err);
        if (!CHECK_OK(rc1, &err)) { st.ok = false; break; }
        int rc2 = pq_scan_next_dict(dict, da, dc, dd, &dr, &err);
        if (!CHECK_OK(rc2, &err)) { st.ok = false; break; }
        if (!CHECK_EQ(dr, fr)) { st.ok = false; break; }
        if (fr == 0) break;
        /* the batch's row group, from its first row in file numbering (the
         * scans read contiguous rows: no predicates here) */
        int64_t at = first + (int64_t)st.rows, acc = 0;
        int rg = 0;
        for (; rg < m->n_row_groups && acc + m->row_groups[rg].num_rows <= at; rg++)
            acc += m->row_groups[rg].num_rows;
        for (uint32_t c = 0; c < ncols; c++) {
            if (!dict_capable(f, (int)c)) {
                if (!CHECK(dd[c] == NULL && dc[c] != NULL)) st.ok = false;
            }
            if (dd[c]) {
                if (!CHECK(dc[c] == NULL) || !CHECK_EQ(dd[c]->len, fr)) { st.ok = false; continue; }
                st.dict_batches++;
                const fl_column *v = dd[c]->values;
                CHECK(dd[c]->id != 0);
                CHECK(fl_type_eq(v->type, fc[c]->type));
                /* the NULL entry: last, only in optional columns */
                const pq_field *fld = &pq_file_schema(f)->children[c];
                if (fld->max_def > 0) {
                    if (!CHECK(v->len >= 1 && v->validity && !fl_column_is_valid(v, v->len - 1))) st.ok = false;
                    for (size_t k = 0; k + 1 < v->len; k++)
                        if (!fl_column_is_valid(v, k)) {
                            CHECK(!"a NULL dictionary entry before the last");
                            st.ok = false;
                            break;
                        }
                } else if (!CHECK(v->validity == NULL)) {
                    st.ok = false;
                }
                for (size_t r = 0; r < fr; r++) {
                    if (dd[c]->idx[r] >= v->len) {
                        CHECK(!"index outside values");
                        st.ok = false;
                        break;
                    }
                    if (!tw_value_eq(fc[c], r, v, dd[c]->idx[r])) {
                        fprintf(stderr, "column %u row %zu of batch at %zu differs\n", c, r, st.rows);
                        CHECK(!"dictionary row differs from the flat row");
                        st.ok = false;
                        break;
                    }
                }
                /* ids: same chunk -> same id and values; new chunk -> new id */
                if (last_id[c] && last_rg[c] == rg) {
                    if (!CHECK(dd[c]->id == last_id[c]) || !CHECK(dd[c]->values == last_values[c])) st.ok = false;
                } else {
                    for (size_t k = 0; k < n_seen; k++)
                        if (seen_ids[k] == dd[c]->id) {
                            CHECK(!"an id seen in another column chunk");
                            st.ok = false;
                        }
                    if (last_id[c]) st.id_changes++;
                    if (n_seen < 4096) seen_ids[n_seen++] = dd[c]->id;
                }
                last_id[c] = dd[c]->id;
                last_values[c] = dd[c]->values;
                last_rg[c] = rg;
            } else {
                if (!CHECK(dc[c] != NULL) || !CHECK_EQ(dc[c]->len, fr)) { st.ok = false; continue; }
                if (dict_capable(f, (int)c)) st.flat_batches++;
                for (size_t r = 0; r < fr; r++)
                    if (!tw_value_eq(fc[c], r, dc[c], r)) {
                        CHECK(!"flat row of the dictionary scan differs");
                        st.ok = false;
                        break;
                    }
            }
        }
        st.rows += fr;
    }
    fl_arena_free(fa);
    fl_arena_free(da);
    free(fc);
    free(dc);
    free(dd);
    free(last_id);
    free(last_values);
    free(last_rg);
    free(seen_ids);
    pq_scan_free(flat);
    pq_scan_free(dict);
    return st;
}

static pq_file *open_buf(const fl_buf *b, io_reader **r)
{
    fl_error err = {0};
    *r = NULL;
    pq_file *f = NULL;
    if (!CHECK_OK(io_reader_from_memory(b->data, b->len, r, &err), &err)) return NULL;
    if (!CHECK_OK(pq_file_open(&f, *r, &err), &err)) {
        io_reader_close(*r);
        *r = NULL;
        return NULL;
    }
    return f;
}

static void close_file(pq_file *f, io_reader *r)
{
    pq_file_free(f);
    io_reader_close(r);
}

/* Distinct long strings: no dictionary survives dict_page_bytes. */
static fl_column *gen_long(fl_arena *a, size_t rows, int null_every, uint64_t seed)
{
    fl_column *col = fl_column_new(a, fl_type_make(FL_TYPE_STRING), rows);
    col->len = rows;
    for (size_t i = 0; i < rows; i++) {
        char buf[160];
        int n = snprintf(buf, sizeof buf, "%0120llu-%zu", (unsigned long long)(seed * 1000003u + i), i);
        fl_column_copy_str(col, buf, (size_t)n, &((fl_strv *)col->data)[i]);
        if (null_every && i % (size_t)null_every == 3) fl_column_set_null(col, i);
    }
    return col;
}

/* six columns: nullable low-cardinality string, required string, nullable
 * binary, int64, high-cardinality long strings (PLAIN: too big a
 * dictionary), an all-NULL string */
static int write_mixed(fl_buf *out, size_t rows, int page_version, size_t row_group_bytes, fl_arena *a)
{
    pq_field kids[6] = {
        tw_leaf("s", fl_type_make(FL_TYPE_STRING), true, 1),
        tw_leaf("r", fl_type_make(FL_TYPE_STRING), false, 2),
        tw_leaf("b", fl_type_make(FL_TYPE_BINARY), true, 3),
        tw_leaf("i", fl_type_make(FL_TYPE_INT64), true, 4),
        tw_leaf("l", fl_type_make(FL_TYPE_STRING), true, 5),
        tw_leaf("n", fl_type_make(FL_TYPE_STRING), true, 6),
    };
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, kids, 6);
    fl_column *cols[6] = {
        tw_gen(a, kids[0].type, rows, 7, 40, 11),
        tw_gen(a, kids[1].type, rows, 0, 12, 12),
        tw_gen(a, kids[2].type, rows, 3, 9, 13),
        tw_gen(a, kids[3].type, rows, 5, 0, 14),
        gen_long(a, rows, 10, 15),
        tw_gen(a, kids[5].type, rows, 1, 5, 16),
    };
    pq_writer_opts wo;
    pq_writer_opts_init(&wo);
    wo.page_version = page_version;
    wo.page_rows = 300;
    wo.dict_page_bytes = 16 << 10;
    wo.row_group_bytes = row_group_bytes;
    fl_error err = {0};
    int rc = tw_write(out, &root, cols, rows, 1000, &wo, &err);
    CHECK_OK(rc, &err);
    return rc;
}

TEST(test_reader_dict_matches_flat)
{
    fl_arena *a = fl_arena_new(0);
    for (int v = 1; v <= 2; v++) {
        fl_buf file;
        fl_buf_init(&file);
        if (write_mixed(&file, 7000, v, 150 << 10, a) == 0) {
            io_reader *r;
            pq_file *f = open_buf(&file, &r);
            if (f) {
                CHECK(pq_file_num_row_groups(f) >= 3);
                size_t batches[] = {1, 7, 299, 300, 301, 1000, 2048, 5000};
                for (size_t k = 0; k < FL_ARRAY_SIZE(batches); k++) {
                    pq_scan_opts o = {0};
                    o.batch_rows = batches[k];
                    if (batches[k] == 1) o.end_row = 700;   /* keep it short */
                    dict_stats st = compare_scans(f, &o);
                    CHECK(st.ok);
                    CHECK_EQ(st.rows, batches[k] == 1 ? 700 : 7000);
                    CHECK(st.dict_batches > 0);
                    /* "l" (PLAIN, too big a dictionary) is flat in every batch */
                    CHECK(st.flat_batches > 0);
                    if (batches[k] >= 1000) CHECK(st.id_changes >= 2);
                }
            }
            close_file(f, r);
        }
        fl_buf_dispose(&file);
    }
    fl_arena_free(a);
}

/* pq_scan_next ignores keep_dictionaries; the kinds of column per batch. */
TEST(test_reader_dict_kinds)
{
    fl_arena *a = fl_arena_new(0);
    fl_buf file;
    fl_buf_init(&file);
    if (write_mixed(&file, 3000, 1, 0, a) == 0) {
        io_reader *r;
        pq_file *f = open_buf(&file, &r);
        pq_scan_opts o = {0};
        o.keep_dictionaries = true;
        o.batch_rows = 1024;
        fl_error err = {0};
        pq_scan *s = NULL;
        if (f && CHECK_OK(pq_scan_new(&s, f, &o, &err), &err)) {
            fl_column *cols[6];
            fl_dict_column *dicts[6];
            size_t rows;
            fl_arena *b = fl_arena_new(0);
            CHECK_OK(pq_scan_next(s, b, cols, &rows, &err), &err);
            CHECK_EQ(rows, 1024);
            for (int c = 0; c < 6; c++) CHECK(cols[c] && cols[c]->len == 1024);
            CHECK_OK(pq_scan_next_dict(s, b, cols, dicts, &rows, &err), &err);
            CHECK_EQ(rows, 1024);
            CHECK(dicts[0] && !cols[0]);   /* nullable string */
            CHECK(dicts[1] && !cols[1]);   /* required string */
            CHECK(dicts[2] && !cols[2]);   /* binary */
            CHECK(!dicts[3] && cols[3]);   /* int64 */
            CHECK(!dicts[4] && cols[4]);   /* PLAIN */
            CHECK(dicts[5] && !cols[5]);   /* all NULL: only the NULL entry is used */
            if (dicts[1]) CHECK(dicts[1]->values->validity == NULL);
            if (dicts[5]) {
                fl_dict_column *d = dicts[5];
                for (size_t i = 0; i < d->len; i++)
                    if (!CHECK(!fl_column_is_valid(d->values, d->idx[i]))) break;
            }
            /* distinct ids per column chunk in one row group */
            if (dicts[0] && dicts[1] && dicts[2]) {
                CHECK(dicts[0]->id != dicts[1]->id && dicts[1]->id != dicts[2]->id &&
                      dicts[0]->id != dicts[2]->id);
                CHECK(dicts[0]->values->len <= 41 && dicts[1]->values->len <= 12);
            }
            fl_arena_free(b);
        }
        pq_scan_free(s);
        close_file(f, r);
    }
    fl_buf_dispose(&file);
    fl_arena_free(a);
}

TEST(test_reader_dict_row_range)
{
    fl_arena *a = fl_arena_new(0);
    fl_buf file;
    fl_buf_init(&file);
    if (write_mixed(&file, 6000, 1, 150 << 10, a) == 0) {
        io_reader *r;
        pq_file *f = open_buf(&file, &r);
        const pq_file_meta *m = f ? pq_file_metadata(f) : NULL;
        if (m && CHECK(m->n_row_groups >= 2)) {
            int64_t g0 = m->row_groups[0].num_rows;
            /* inside the first row group; across the first boundary; a tail */
            int64_t ranges[][2] = {{g0 / 3 + 1, g0 - 17}, {g0 - 450, g0 + 333}, {5555, 0}, {10, 11}};
            size_t batches[] = {64, 700, 2048};
            for (size_t k = 0; k < FL_ARRAY_SIZE(ranges); k++)
                for (size_t b = 0; b < FL_ARRAY_SIZE(batches); b++) {
                    pq_scan_opts o = {0};
                    o.batch_rows = batches[b];
                    o.first_row = ranges[k][0];
                    o.end_row = ranges[k][1];
                    dict_stats st = compare_scans(f, &o);
                    CHECK(st.ok);
                    int64_t end = ranges[k][1] ? ranges[k][1] : 6000;
                    CHECK_EQ(st.rows, end - ranges[k][0]);
                    CHECK(st.dict_batches > 0);
                }
            /* a row-group range too */
            pq_scan_opts o = {0};
            o.row_group_begin = 1;
            o.batch_rows = 500;
            dict_stats st = compare_scans(f, &o);
            CHECK(st.ok);
            CHECK_EQ(st.rows, 6000 - g0);
        }
        close_file(f, r);
    }
    fl_buf_dispose(&file);
    fl_arena_free(a);
}

/* ---- splicing column chunks: a dictionary abandoned part way ---- */

/* One-column, one-row-group file parts: the chunk's dictionary page (with
 * header) and its data pages. */
typedef struct chunk_parts {
    const uint8_t *dict, *data;
    size_t dict_len, data_len;
    int64_t rows, values, usize;
    pq_file_meta *meta;
} chunk_parts;

static bool split_chunk(const fl_buf *file, fl_arena *a, chunk_parts *out)
{
    memset(out, 0, sizeof *out);
    pq_file_meta *m = tw_footer(file, a);
    if (!CHECK(m && m->n_row_groups == 1 && m->row_groups[0].n_columns == 1)) return false;
    const pq_column_meta *cm = &m->row_groups[0].columns[0].meta;
    int64_t start = cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0 &&
                            cm->dictionary_page_offset < cm->data_page_offset
                        ? cm->dictionary_page_offset : cm->data_page_offset;
    const uint8_t *p = (const uint8_t *)file->data + start;
    size_t len = (size_t)cm->total_compressed_size;
    pq_page_header h;
    size_t hl = 0;
    fl_error err = {0};
    if (!CHECK_OK(pq_page_header_read(&h, p, len, &hl, a, &err), &err)) return false;
    if (h.type == PQ_PAGE_DICTIONARY) {
        out->dict = p;
        out->dict_len = hl + (size_t)h.compressed_page_size;
        p += out->dict_len;
        len -= out->dict_len;
    }
    out->data = p;
    out->data_len = len;
    out->rows = m->row_groups[0].num_rows;
    out->values = cm->num_values;
    out->usize = cm->total_uncompressed_size;
    out->meta = m;
    return true;
}

/* A file of `meta`'s schema whose one chunk is dict (may be NULL) + the
 * data pages of parts[0..n) in order. */
static void splice(fl_buf *out, pq_file_meta *meta, const uint8_t *dict, size_t dict_len,
                   const chunk_parts *parts, int n)
{
    fl_buf_reset(out);
    fl_buf_append(out, "PAR1", 4);
    int64_t rows = 0, values = 0, usize = 0;
    if (dict) fl_buf_append(out, dict, dict_len);
    int64_t data_off = (int64_t)out->len;
    for (int i = 0; i < n; i++) {
        fl_buf_append(out, parts[i].data, parts[i].data_len);
        rows += parts[i].rows;
        values += parts[i].values;
        usize += parts[i].usize;
    }
    pq_row_group *g = &meta->row_groups[0];
    pq_column_chunk *cc = &g->columns[0];
    pq_column_meta *cm = &cc->meta;
    cm->num_values = values;
    cm->total_compressed_size = (int64_t)out->len - 4;
    cm->total_uncompressed_size = usize;
    cm->data_page_offset = data_off;
    cm->has_dictionary_page_offset = dict != NULL;
    cm->dictionary_page_offset = 4;
    cm->has_stats = false;
    cm->has_index_page_offset = false;
    cc->has_offset_index = cc->has_column_index = false;
    cc->file_offset = 4;
    g->num_rows = rows;
    g->total_byte_size = usize;
    meta->num_rows = rows;
    fl_buf footer;
    fl_buf_init(&footer);
    fl_error err = {0};
    CHECK_OK(pq_file_meta_write(&footer, meta, &err), &err);
    fl_buf_append(out, footer.data, footer.len);
    uint8_t tail[8];
    uint32_t fl = (uint32_t)footer.len;
    memcpy(tail, &fl, 4);   /* little-endian hosts */
    memcpy(tail + 4, "PAR1", 4);
    fl_buf_append(out, tail, 8);
    fl_buf_dispose(&footer);
}

static int write_one(fl_buf *out, fl_column *col, bool nullable, bool no_dict, int version)
{
    pq_field kid = tw_leaf("s", fl_type_make(FL_TYPE_STRING), nullable, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &kid, 1);
    pq_writer_opts wo;
    pq_writer_opts_init(&wo);
    wo.page_version = version;
    wo.page_rows = 250;
    wo.no_dictionary = no_dict;
    wo.codec = version == 2 ? PQ_CODEC_SNAPPY : PQ_CODEC_ZSTD;
    fl_error err = {0};
    int rc = tw_write(out, &root, &col, col->len, 0, &wo, &err);
    CHECK_OK(rc, &err);
    return rc;
}

TEST(test_reader_dict_abandoned)
{
    for (int version = 1; version <= 2; version++) {
        fl_arena *a = fl_arena_new(0);
        fl_buf fa, fb, spliced;
        fl_buf_init(&fa);
        fl_buf_init(&fb);
        fl_buf_init(&spliced);
        /* 1100 dictionary rows (pages of 250: the last partly filled), then
         * 900 PLAIN rows of long distinct strings, as a writer that gave up
         * its dictionary would leave them */
        fl_column *ca = tw_gen(a, fl_type_make(FL_TYPE_STRING), 1100, 6, 30, 21);
        fl_column *cb = gen_long(a, 900, 8, 22);
        chunk_parts p[2];
        if (write_one(&fa, ca, true, false, version) == 0 && write_one(&fb, cb, true, true, version) == 0 &&
            split_chunk(&fa, a, &p[0]) && split_chunk(&fb, a, &p[1]) && CHECK(p[0].dict != NULL) &&
            CHECK(p[1].dict == NULL)) {
            splice(&spliced, p[0].meta, p[0].dict, p[0].dict_len, p, 2);
            io_reader *r;
            pq_file *f = open_buf(&spliced, &r);
            if (f) {
                size_t batches[] = {100, 250, 333, 1100, 1101, 2048};
                for (size_t k = 0; k < FL_ARRAY_SIZE(batches); k++) {
                    pq_scan_opts o = {0};
                    o.batch_rows = batches[k];
                    dict_stats st = compare_scans(f, &o);
                    CHECK(st.ok);
                    CHECK_EQ(st.rows, 2000);
                    /* batches wholly in the first 1100 rows are dictionaries,
                     * every other one is flat */
                    size_t want_dict = 1100 / batches[k];
                    size_t total = (2000 + batches[k] - 1) / batches[k];
                    CHECK_EQ(st.dict_batches, want_dict);
                    CHECK_EQ(st.flat_batches, total - want_dict);
                }
                /* the values themselves, through the dictionary scan */
                pq_scan_opts o = {0};
                o.keep_dictionaries = true;
                o.batch_rows = 512;
                fl_error err = {0};
                pq_scan *s = NULL;
                size_t row = 0;
                if (CHECK_OK(pq_scan_new(&s, f, &o, &err), &err)) {
                    fl_arena *b = fl_arena_new(0);
                    for (;;) {
                        fl_column *col;
                        fl_dict_column *d;
                        size_t n;
                        fl_arena_reset(b);
                        if (!CHECK_OK(pq_scan_next_dict(s, b, &col, &d, &n, &err), &err) || n == 0) break;
                        for (size_t i = 0; i < n; i++, row++) {
                            const fl_column *src = row < 1100 ? ca : cb;
                            size_t sr = row < 1100 ? row : row - 1100;
                            bool ok = d ? tw_value_eq(src, sr, d->values, d->idx[i]) : tw_value_eq(src, sr, col, i);
                            if (!CHECK(ok)) break;
                        }
                    }
                    fl_arena_free(b);
                }
                CHECK_EQ(row, 2000);
                pq_scan_free(s);
                close_file(f, r);
            }
        }
        fl_buf_dispose(&fa);
        fl_buf_dispose(&fb);
        fl_buf_dispose(&spliced);
        fl_arena_free(a);
    }
}

/* Indices beyond a (spliced-in, smaller) dictionary: FLOE_ECORRUPT from the
 * dictionary scan as from the flat one, never a read outside values. */
TEST(test_reader_dict_index_out_of_range)
{
    fl_arena *a = fl_arena_new(0);
    fl_buf fa, fs, spliced;
    fl_buf_init(&fa);
    fl_buf_init(&fs);
    fl_buf_init(&spliced);
    fl_column *big = tw_gen(a, fl_type_make(FL_TYPE_STRING), 800, 5, 40, 31);
    fl_column *small = tw_gen(a, fl_type_make(FL_TYPE_STRING), 800, 5, 2, 32);
    chunk_parts p[2];
    if (write_one(&fa, big, true, false, 1) == 0 && write_one(&fs, small, true, false, 1) == 0 &&
        split_chunk(&fa, a, &p[0]) && split_chunk(&fs, a, &p[1])) {
        splice(&spliced, p[0].meta, p[1].dict, p[1].dict_len, p, 1);
        io_reader *r;
        pq_file *f = open_buf(&spliced, &r);
        for (int mode = 0; f && mode < 2; mode++) {
            pq_scan_opts o = {0};
            o.keep_dictionaries = true;
            o.batch_rows = 100;
            fl_error err = {0};
            pq_scan *s = NULL;
            int rc = pq_scan_new(&s, f, &o, &err);
            CHECK_OK(rc, &err);
            fl_arena *b = fl_arena_new(0);
            while (rc == 0) {
                fl_column *col;
                fl_dict_column *d = NULL;
                size_t n;
                fl_arena_reset(b);
                rc = mode ? pq_scan_next_dict(s, b, &col, &d, &n, &err) : pq_scan_next(s, b, &col, &n, &err);
                if (rc < 0 || n == 0) break;
                for (size_t i = 0; d && i < n; i++) CHECK(d->idx[i] < d->values->len);
            }
            CHECK_EQ(rc, FLOE_ECORRUPT);
            CHECK(strstr(err.message, "out of range") != NULL);
            fl_arena_free(b);
            pq_scan_free(s);
        }
        close_file(f, r);
    }
    fl_buf_dispose(&fa);
    fl_buf_dispose(&fs);
    fl_buf_dispose(&spliced);
    fl_arena_free(a);
}

/* ---- files written by other implementations ---- */

TEST(test_reader_dict_corpus)
{
    struct {
        const char *path;
        bool want_dict;
    } files[] = {
        {"fixtures/parquet/data/alltypes_tiny_pages.parquet", true},          /* parquet-mr, tiny pages */
        {"fixtures/parquet/data/sort_columns.parquet", true},                 /* arrow, NULLs, 2 row groups */
        {"fixtures/parquet/data/plain-dict-uncompressed-checksum.parquet", true},
        {"fixtures/parquet/data/rle-dict-snappy-checksum.parquet", true},     /* DataPageV2 */
        {"fixtures/parquet/data/nation.dict-malformed.parquet", false},
        {"fixtures/parquet/data/alltypes_dictionary.parquet", true},
        {"fixtures/parquet/data/datapage_v2.snappy.parquet", false},          /* nested too */
        {"fixtures/parquet/data/data_index_bloom_encoding_with_length.parquet", true},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(files); i++) {
        pq_file *f = NULL;
        fl_error err = {0};
        if (!CHECK_OK(pq_file_open_path(&f, ft_shared(files[i].path), &err), &err)) continue;
        size_t batches[] = {3, 100, 2048};
        for (size_t b = 0; b < FL_ARRAY_SIZE(batches); b++) {
            pq_scan_opts o = {0};
            o.batch_rows = batches[b];
            dict_stats st = compare_scans(f, &o);
            if (!CHECK(st.ok)) fprintf(stderr, "  in %s\n", files[i].path);
            CHECK_EQ((int64_t)st.rows, pq_file_num_rows(f) ? pq_file_num_rows(f) : (int64_t)st.rows);
            if (files[i].want_dict && !CHECK(st.dict_batches > 0)) fprintf(stderr, "  in %s\n", files[i].path);
        }
        pq_file_free(f);
    }
}
