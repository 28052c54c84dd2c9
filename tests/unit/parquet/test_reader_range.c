/*
 * test_reader_range.c: row ranges of the Parquet reader (pq_scan_opts
 * first_row / end_row). Every range scan is checked against the same slice of
 * a full scan, rendered row by row as text: ranges at page boundaries, inside
 * pages, spanning row groups, empty, past the end, on flat and nested columns
 * (v1 and v2 pages, rows spanning v1 pages), with row-group ranges and
 * predicates; pages wholly outside the range are not decoded (a corrupt
 * page there does not fail the scan); and one row group split between
 * threads by ranges reads back whole.
 */
#include "../test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/value_text.h"
#include "../../../src/format/parquet/pq_encoding.h"
#include "../../../src/format/parquet/pq_meta.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"

/* ---- scanning to text ---- */

typedef struct rows_text {
    char **row;      /* malloc'd "c1|c2|..." per row */
    size_t n, cap;
} rows_text;

static void rows_free(rows_text *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->row[i]);
    free(t->row);
    memset(t, 0, sizeof *t);
}

/* Scans f with opts, appending every row rendered as text to out. */
static int scan_rows(pq_file *f, const pq_scan_opts *opts, rows_text *out, fl_error *err)
{
    memset(out, 0, sizeof *out);
    pq_scan *s = NULL;
    int rc = pq_scan_new(&s, f, opts, err);
    if (rc < 0) return rc;
    size_t ncols = opts && opts->columns ? (size_t)opts->n_columns : pq_file_schema(f)->n_children;
    fl_column **cols = calloc(ncols + 1, sizeof *cols);
    fl_arena *a = fl_arena_new(0);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    fl_buf b;
    fl_buf_init(&b);
    for (;;) {
        size_t rows;
        fl_arena_reset(a);
        if ((rc = pq_scan_next(s, a, cols, &rows, err)) < 0 || rows == 0) break;
        for (size_t r = 0; r < rows; r++) {
            fl_buf_reset(&b);
            for (size_t c = 0; c < ncols; c++) {
                if (c) fl_buf_append(&b, "|", 1);
                if (cols[c]->len != rows) fl_buf_append(&b, "<bad length>", 12);
                else fl_column_render(&b, cols[c], r, &st);
            }
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->row = realloc(out->row, out->cap * sizeof *out->row);
            }
            char *line = malloc(b.len + 1);
            if (b.len) memcpy(line, b.data, b.len);
            line[b.len] = 0;
            out->row[out->n++] = line;
        }
    }
    fl_buf_dispose(&b);
    fl_arena_free(a);
    free(cols);
    pq_scan_free(s);
    return rc;
}

/* Scans rows [lo, hi) (hi 0 = to the end) with base's other options and
 * checks them against full[lo, min(hi, n)). Returns false on a mismatch. */
static bool check_range(pq_file *f, const pq_scan_opts *base, const rows_text *full, int64_t lo,
                        int64_t hi, const char *what)
{
    pq_scan_opts o = base ? *base : (pq_scan_opts){0};
    o.first_row = lo;
    o.end_row = hi;
    rows_text got;
    fl_error err = {0};
    int rc = scan_rows(f, &o, &got, &err);
    bool ok = CHECK_OK(rc, &err);
    size_t end = hi == 0 || (size_t)hi > full->n ? full->n : (size_t)hi;
    size_t want = (size_t)lo < end ? end - (size_t)lo : 0;
    if (ok && !CHECK_EQ(got.n, want)) ok = false;
    for (size_t i = 0; ok && i < got.n; i++)
        if (!CHECK_STR(got.row[i], full->row[(size_t)lo + i])) ok = false;
    if (!ok)
        fprintf(stderr, "  %s: range [%lld, %lld), batch %zu\n", what, (long long)lo, (long long)hi,
                o.batch_rows);
    rows_free(&got);
    return ok;
}

/* ---- files from the writer ---- */

/* id INT64 (required), name STRING (NULL every 5th), tags LIST<INT32>
 * (NULL every 7th, empty every 11th, else id % 4 elements with a NULL
 * element every 3rd), pt STRUCT<x INT32, s STRING?>, in row groups of
 * about 1000 rows and pages of a few hundred bytes. */
static void write_file_rg(fl_buf *out, size_t n, int page_version, int codec, size_t rg_bytes,
                          size_t page_bytes)
{
    fl_buf_init(out);
    io_writer *w = NULL;
    fl_error err = {0};
    io_writer_to_buf(out, &w, &err);
    pq_field elem = {.name = "element", .type = fl_type_make(FL_TYPE_INT32), .nullable = true,
                     .field_id = 4, .has_field_id = true};
    pq_field pt_kids[2] = {
        {.name = "x", .type = fl_type_make(FL_TYPE_INT32), .nullable = false, .field_id = 6, .has_field_id = true},
        {.name = "s", .type = fl_type_make(FL_TYPE_STRING), .nullable = true, .field_id = 7, .has_field_id = true},
    };
    pq_field kids[4] = {
        {.name = "id", .type = fl_type_make(FL_TYPE_INT64), .nullable = false, .field_id = 1, .has_field_id = true},
        {.name = "name", .type = fl_type_make(FL_TYPE_STRING), .nullable = true, .field_id = 2, .has_field_id = true},
        {.name = "tags", .type = fl_type_make(FL_TYPE_LIST), .nullable = true, .field_id = 3, .has_field_id = true,
         .children = &elem, .n_children = 1},
        {.name = "pt", .type = fl_type_make(FL_TYPE_STRUCT), .nullable = true, .field_id = 5, .has_field_id = true,
         .children = pt_kids, .n_children = 2},
    };
    pq_field root = {.name = "schema", .type = fl_type_make(FL_TYPE_STRUCT), .children = kids, .n_children = 4};
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.row_group_bytes = rg_bytes;
    o.page_bytes = page_bytes;
    o.codec = codec;
    o.page_version = page_version;
    pq_writer *pw = NULL;
    CHECK_OK(pq_writer_new(&pw, w, &root, &o, &err), &err);
    fl_arena *a = fl_arena_new(0);
    size_t batch = 700;
    for (size_t start = 0; start < n; start += batch) {
        size_t m = n - start < batch ? n - start : batch;
        fl_column *cols[4];
        cols[0] = fl_column_new(a, kids[0].type, m);
        cols[1] = fl_column_new(a, kids[1].type, m);
        cols[2] = fl_column_new(a, kids[2].type, m);
        cols[3] = fl_column_new(a, kids[3].type, m);
        fl_column *el = fl_column_new(a, elem.type, m * 4);
        fl_column *px = fl_column_new(a, pt_kids[0].type, m), *ps = fl_column_new(a, pt_kids[1].type, m);
        size_t ne = 0;
        cols[2]->offsets[0] = 0;
        for (size_t i = 0; i < m; i++) {
            int64_t id = (int64_t)(start + i);
            ((int64_t *)cols[0]->data)[i] = id;
            char buf[32];
            int len = snprintf(buf, sizeof buf, "name-%lld", (long long)id);
            if (id % 5 == 0) fl_column_set_null(cols[1], i);
            else fl_column_copy_str(cols[1], buf, (size_t)len, &((fl_strv *)cols[1]->data)[i]);
            if (id % 7 == 0) fl_column_set_null(cols[2], i);
            else if (id % 11 != 0)
                for (int k = 0; k < id % 4; k++, ne++) {
                    ((int32_t *)el->data)[ne] = (int32_t)(id * 10 + k);
                    if ((id + k) % 3 == 0) fl_column_set_null(el, ne);
                }
            cols[2]->offsets[i + 1] = (int64_t)ne;
            ((int32_t *)px->data)[i] = (int32_t)(id * 3);
            if (id % 13 == 0) fl_column_set_null(cols[3], i);
            if (id % 2) fl_column_set_null(ps, i);
            else fl_column_copy_str(ps, buf, (size_t)len, &((fl_strv *)ps->data)[i]);
        }
        el->len = ne;
        px->len = ps->len = m;
        fl_column_add_child(cols[2], el);
        px->name = "x";
        ps->name = "s";
        fl_column_add_child(cols[3], px);
        fl_column_add_child(cols[3], ps);
        for (int c = 0; c < 4; c++) cols[c]->len = m;
        CHECK_OK(pq_writer_write(pw, cols, m, &err), &err);
        fl_arena_reset(a);
    }
    CHECK_OK(pq_writer_close(pw, &err), &err);
    pq_writer_free(pw);
    CHECK_OK(io_writer_close(w, &err), &err);
    fl_arena_free(a);
}

static void write_file(fl_buf *out, size_t n, int page_version, int codec)
{
    write_file_rg(out, n, page_version, codec, 40000, 400);
}

/* Row counts of the data pages of column chunk (rg, leaf), in order. */
static size_t page_rows(const uint8_t *file, const pq_file_meta *m, int rg, int leaf, int64_t *out,
                        size_t cap)
{
    const pq_column_meta *cm = &m->row_groups[rg].columns[leaf].meta;
    int64_t pos = cm->data_page_offset;
    if (cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0 &&
        cm->dictionary_page_offset < pos)
        pos = cm->dictionary_page_offset;
    int64_t end = pos + cm->total_compressed_size;
    size_t n = 0;
    fl_arena *a = fl_arena_new(0);
    while (pos < end && n < cap) {
        pq_page_header h;
        size_t hlen;
        fl_error err = {0};
        if (!CHECK_OK(pq_page_header_read(&h, file + pos, (size_t)(end - pos), &hlen, a, &err), &err)) break;
        if (h.type == PQ_PAGE_DATA || h.type == PQ_PAGE_DATA_V2)
            out[n++] = h.type == PQ_PAGE_DATA_V2 ? h.num_rows : h.num_values;
        pos += (int64_t)hlen + h.compressed_page_size;
    }
    fl_arena_free(a);
    return n;
}

TEST(reader_range_writer_files)
{
    for (int version = 1; version <= 2; version++) {
        fl_buf buf;
        write_file(&buf, 3000, version, version == 1 ? PQ_CODEC_SNAPPY : PQ_CODEC_ZSTD);
        fl_error err = {0};
        io_reader *mem = NULL;
        pq_file *f = NULL;
        CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
        if (!CHECK_OK(pq_file_open(&f, mem, &err), &err)) goto next;
        const pq_file_meta *m = pq_file_metadata(f);
        CHECK(m->n_row_groups >= 3);
        rows_text full;
        if (!CHECK_OK(scan_rows(f, NULL, &full, &err), &err)) goto next;
        CHECK_EQ(full.n, 3000);
        CHECK_STR(full.row[14], "14|name-14|NULL|{'x': 42, 's': name-14}");
        CHECK_STR(full.row[15], "15|NULL|[NULL, 151, 152]|{'x': 45, 's': NULL}");
        CHECK_STR(full.row[22], "22|name-22|[]|{'x': 66, 's': name-22}");
        CHECK_STR(full.row[26], "26|name-26|[260, NULL]|NULL");

        /* boundaries of row groups and of the pages of the id column (flat)
         * and of the list column (nested; leaf 2) in every row group */
        int64_t cuts[512];
        size_t ncuts = 0;
        int64_t base = 0;
        for (int g = 0; g < m->n_row_groups; g++) {
            int64_t pr[256];
            for (int leaf = 0; leaf <= 2; leaf += 2) {
                size_t np = page_rows((const uint8_t *)buf.data, m, g, leaf, pr, 256);
                CHECK(np >= 3);
                int64_t at = base;
                for (size_t i = 0; i < np && ncuts < 500; i += 1 + i % 3) {
                    cuts[ncuts++] = at;
                    at += pr[i];
                }
            }
            base += m->row_groups[g].num_rows;
        }
        CHECK_EQ(base, 3000);
        cuts[ncuts++] = 3000;
        pq_scan_opts o = {0};
        for (size_t i = 0; i < ncuts; i += 2) {
            int64_t c = cuts[i], d = cuts[(i * 7 + 3) % ncuts];
            int64_t lo = c < d ? c : d, hi = c < d ? d : c;
            o.batch_rows = 1 + (i % 5) * 97;
            /* exactly at page boundaries, one row inside, one row outside */
            if (!check_range(f, &o, &full, lo, hi, "page cuts")) break;
            if (lo > 0 && !check_range(f, &o, &full, lo - 1, hi + 1, "page cuts +-1")) break;
            if (!check_range(f, &o, &full, lo + 1, hi > lo + 1 ? hi - 1 : lo + 1, "page cuts -+1")) break;
            if (!check_range(f, &o, &full, lo, lo + 1, "one row")) break;
        }
        /* spanning row groups, whole file, to the end, beyond the end */
        int64_t g0 = m->row_groups[0].num_rows;
        o.batch_rows = 0;
        check_range(f, &o, &full, g0 - 5, g0 + 5, "across groups");
        check_range(f, &o, &full, 10, 2990, "nearly all");
        check_range(f, &o, &full, 0, 0, "whole file");
        check_range(f, &o, &full, 1234, 0, "to the end");
        check_range(f, &o, &full, 2990, 1000000, "beyond the end");
        check_range(f, &o, &full, g0, g0 + m->row_groups[1].num_rows, "one whole group");
        /* empty ranges */
        check_range(f, &o, &full, 5, 5, "empty");
        check_range(f, &o, &full, g0, g0, "empty at a group boundary");
        check_range(f, &o, &full, 3000, 3005, "past the end");
        check_range(f, &o, &full, 5000, 0, "past the end to the end");
        /* only some columns: the nested ones alone, the flat one alone */
        int nested[] = {3, 2};
        o.columns = nested;
        o.n_columns = 2;
        rows_text full_nested;
        if (CHECK_OK(scan_rows(f, &o, &full_nested, &err), &err)) {
            check_range(f, &o, &full_nested, 17, 2222, "nested columns");
            check_range(f, &o, &full_nested, g0 - 1, g0 + 1, "nested columns across groups");
        }
        rows_free(&full_nested);

        /* with row-group ranges: rows must be in both */
        pq_scan_opts og = {0};
        og.row_group_begin = 1;
        og.row_group_end = 2;
        rows_text mid;
        int64_t g1 = m->row_groups[1].num_rows;
        if (CHECK_OK(scan_rows(f, &og, &mid, &err), &err)) {
            CHECK_EQ(mid.n, (size_t)g1);
            og.first_row = g0 - 10;
            og.end_row = g0 + 10;   /* only [g0, g0 + 10) is in group 1 */
            rows_text got;
            if (CHECK_OK(scan_rows(f, &og, &got, &err), &err) && CHECK_EQ(got.n, 10))
                for (size_t i = 0; i < 10; i++) CHECK_STR(got.row[i], full.row[g0 + (int64_t)i]);
            rows_free(&got);
            og.first_row = 0;
            og.end_row = g0;   /* wholly outside group 1 */
            if (CHECK_OK(scan_rows(f, &og, &got, &err), &err)) CHECK_EQ(got.n, 0);
            rows_free(&got);
        }
        rows_free(&mid);

        /* with predicates: id >= g0 refutes group 0; the range keeps [g0 - 50, g0 + 50) */
        pq_predicate p = {.column = 0, .op = PQ_PRED_GE, .value = {.type = fl_type_make(FL_TYPE_INT64)}};
        p.value.v.i64 = g0;
        pq_scan_opts op = {0};
        op.preds = &p;
        op.n_preds = 1;
        op.first_row = g0 - 50;
        op.end_row = g0 + 50;
        pq_scan *s = NULL;
        rows_text got;
        if (CHECK_OK(scan_rows(f, &op, &got, &err), &err) && CHECK_EQ(got.n, 50))
            for (size_t i = 0; i < 50; i++) CHECK_STR(got.row[i], full.row[g0 + (int64_t)i]);
        rows_free(&got);
        /* a range inside the refuted group reads nothing */
        op.first_row = 3;
        op.end_row = 9;
        if (CHECK_OK(pq_scan_new(&s, f, &op, &err), &err)) {
            fl_arena *a = fl_arena_new(0);
            fl_column *cols[4];
            size_t rows = 1;
            CHECK_OK(pq_scan_next(s, a, cols, &rows, &err), &err);
            CHECK_EQ(rows, 0);
            CHECK_EQ(pq_scan_skipped_row_groups(s), 1);
            fl_arena_free(a);
            pq_scan_free(s);
        }

        /* bad ranges */
        pq_scan_opts bad = {0};
        bad.first_row = 10;
        bad.end_row = 5;
        CHECK_EQ(pq_scan_new(&s, f, &bad, &err), FLOE_EINVAL);
        bad.first_row = -1;
        bad.end_row = 0;
        CHECK_EQ(pq_scan_new(&s, f, &bad, &err), FLOE_EINVAL);
        bad.first_row = 0;
        bad.end_row = -3;
        CHECK_EQ(pq_scan_new(&s, f, &bad, &err), FLOE_EINVAL);
        rows_free(&full);
    next:
        pq_file_free(f);
        io_reader_close(mem);
        fl_buf_dispose(&buf);
    }
}

/* Breaks the k-th data page of column chunk (rg 0, leaf 1: "name", optional,
 * PLAIN) of an UNCOMPRESSED v1 file: its definition levels' length prefix
 * becomes 0xffffffff, so decoding that page fails. Returns the rows before
 * that page and sets *page_n to its rows. */
static int64_t break_page(fl_buf *buf, const pq_file_meta *m, int k, int64_t *page_n)
{
    const pq_column_meta *cm = &m->row_groups[0].columns[1].meta;
    int64_t pos = cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0
                      ? cm->dictionary_page_offset : cm->data_page_offset;
    int64_t end = pos + cm->total_compressed_size, before = 0;
    fl_arena *a = fl_arena_new(0);
    int seen = 0;
    while (pos < end) {
        pq_page_header h;
        size_t hlen;
        fl_error err = {0};
        if (!CHECK_OK(pq_page_header_read(&h, (const uint8_t *)buf->data + pos, (size_t)(end - pos), &hlen, a, &err), &err)) break;
        if (h.type == PQ_PAGE_DATA) {
            if (seen++ == k) {
                memset(buf->data + pos + (int64_t)hlen, 0xff, 4);
                *page_n = h.num_values;
                break;
            }
            before += h.num_values;
        }
        pos += (int64_t)hlen + h.compressed_page_size;
    }
    fl_arena_free(a);
    return before;
}

static void check_names(const rows_text *got, int64_t first, size_t n)
{
    if (!CHECK_EQ(got->n, n)) return;
    for (size_t i = 0; i < n; i++) {
        int64_t id = first + (int64_t)i;
        char want[32];
        if (id % 5 == 0) snprintf(want, sizeof want, "NULL");
        else snprintf(want, sizeof want, "name-%lld", (long long)id);
        CHECK_STR(got->row[i], want);
    }
}

TEST(reader_range_skips_pages_undecoded)
{
    fl_buf buf;
    write_file(&buf, 3000, 1, PQ_CODEC_UNCOMPRESSED);
    fl_error err = {0};
    io_reader *mem = NULL;
    pq_file *f = NULL;
    CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
    if (!CHECK_OK(pq_file_open(&f, mem, &err), &err)) goto out;
    int cols[] = {1};
    pq_scan_opts o = {0};
    o.columns = cols;
    o.n_columns = 1;
    o.verify_crc = true;
    rows_text got;
    o.first_row = 100;
    o.end_row = 200;
    if (CHECK_OK(scan_rows(f, &o, &got, &err), &err)) check_names(&got, 100, 100);
    rows_free(&got);
    int64_t n = 0, before = break_page(&buf, pq_file_metadata(f), 2, &n);
    CHECK(before > 0 && n > 0);
    /* the broken page is read: the scan fails */
    o.first_row = o.end_row = 0;
    CHECK_EQ(scan_rows(f, &o, &got, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "level length") != NULL);
    rows_free(&got);
    o.first_row = before + n - 1;   /* its last row */
    o.end_row = before + n + 3;
    CHECK_EQ(scan_rows(f, &o, &got, &err), FLOE_ECORRUPT);
    rows_free(&got);
    /* ranges that start after it or end before it never decode it */
    o.first_row = before + n;
    o.end_row = before + n + 100;
    if (CHECK_OK(scan_rows(f, &o, &got, &err), &err)) check_names(&got, before + n, 100);
    rows_free(&got);
    o.first_row = 1;
    o.end_row = before;
    if (CHECK_OK(scan_rows(f, &o, &got, &err), &err)) check_names(&got, 1, (size_t)before - 1);
    rows_free(&got);
out:
    pq_file_free(f);
    io_reader_close(mem);
    fl_buf_dispose(&buf);
}

/* ---- other writers' files ---- */

TEST(reader_range_corpus_files)
{
    static const char *files[] = {
        "fixtures/parquet/data/alltypes_tiny_pages.parquet",
        "fixtures/parquet/data/datapage_v2.snappy.parquet",
        "fixtures/parquet/data/nested_lists.snappy.parquet",
        "fixtures/parquet/data/nested_maps.snappy.parquet",
        "fixtures/parquet/data/nullable.impala.parquet",
        "fixtures/parquet/data/repeated_no_annotation.parquet",
        "fixtures/parquet/data/int32_with_null_pages.parquet",
        "fixtures/parquet/data/delta_encoding_optional_column.parquet",
        "fixtures/parquet/data/delta_byte_array.parquet",
        "fixtures/parquet/data/list_columns.parquet",
        "fixtures/parquet/data/byte_stream_split.zstd.parquet",
        "fixtures/parquet/data/null_list.parquet",
        "fixtures/parquet/data/old_list_structure.parquet",
        "fixtures/parquet/data/datapage_v2_empty_datapage.snappy.parquet",
    };
    for (size_t fi = 0; fi < FL_ARRAY_SIZE(files); fi++) {
        fl_error err = {0};
        pq_file *f = NULL;
        if (!CHECK_OK(pq_file_open_path(&f, ft_shared(files[fi]), &err), &err)) continue;
        rows_text full;
        if (CHECK_OK(scan_rows(f, NULL, &full, &err), &err)) {
            int64_t n = (int64_t)full.n;
            pq_scan_opts o = {0};
            bool ok = true;
            if (n <= 12) {   /* every range */
                for (int64_t lo = 0; ok && lo <= n; lo++)
                    for (int64_t hi = lo; ok && hi <= n + 1; hi++) {
                        o.batch_rows = (size_t)(1 + (lo + hi) % 3);
                        ok = check_range(f, &o, &full, lo, hi, files[fi]);
                    }
            } else {
                uint64_t x = 88172645463325252ull;
                for (int k = 0; ok && k < 60; k++) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    int64_t lo = (int64_t)(x % (uint64_t)(n + 1));
                    int64_t hi = lo + (int64_t)((x >> 20) % (uint64_t)(k % 3 ? 50 : n + 1));
                    o.batch_rows = (size_t)(1 + (x >> 40) % 300);
                    ok = check_range(f, &o, &full, lo, hi > n ? 0 : hi, files[fi]);
                }
            }
            if (ok) check_range(f, NULL, &full, n / 2, 0, files[fi]);
        }
        rows_free(&full);
        pq_file_free(f);
    }
}

/* ---- one row group split between threads ---- */

typedef struct split_arg {
    pq_file *file;
    int64_t lo, hi;
    rows_text rows;
    int rc;
} split_arg;

static void *scan_split(void *p)
{
    split_arg *a = p;
    pq_scan_opts o = {0};
    o.first_row = a->lo;
    o.end_row = a->hi;
    o.batch_rows = 1000;
    fl_error err = {0};
    a->rc = scan_rows(a->file, &o, &a->rows, &err);
    return NULL;
}

TEST(reader_range_threads_split_one_row_group)
{
    fl_buf buf;
    write_file_rg(&buf, 20000, 1, PQ_CODEC_ZSTD, 0, 400);
    fl_error err = {0};
    io_reader *mem = NULL;
    pq_file *f = NULL;
    CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
    rows_text full = {0};
    if (!CHECK_OK(pq_file_open(&f, mem, &err), &err)) goto out;
    CHECK_EQ(pq_file_num_row_groups(f), 1);
    if (!CHECK_OK(scan_rows(f, NULL, &full, &err), &err)) goto out;
    enum { T = 5 };
    split_arg args[T];
    pthread_t th[T];
    for (int t = 0; t < T; t++) {
        args[t] = (split_arg){f, 20000 * t / T + (t == 2), t == T - 1 ? 0 : 20000 * (t + 1) / T + (t == 1), {0}, 0};
        pthread_create(&th[t], NULL, scan_split, &args[t]);
    }
    size_t at = 0;
    for (int t = 0; t < T; t++) {
        pthread_join(th[t], NULL);
        CHECK_EQ(args[t].rc, 0);
        for (size_t i = 0; i < args[t].rows.n && at < full.n; i++, at++)
            if (!CHECK_STR(args[t].rows.row[i], full.row[at])) break;
        rows_free(&args[t].rows);
    }
    CHECK_EQ(at, 20000);
out:
    rows_free(&full);
    pq_file_free(f);
    io_reader_close(mem);
    fl_buf_dispose(&buf);
}

/* ---- bytes read ---- */

typedef struct counting_reader {
    io_reader base;
    io_reader *inner;
    uint64_t bytes;
} counting_reader;

static int counting_read_at(io_reader *r, uint64_t off, void *dst, size_t len, fl_error *err)
{
    counting_reader *c = (counting_reader *)r;
    c->bytes += len;
    return io_read_at(c->inner, off, dst, len, err);
}

static void counting_close(io_reader *r) { (void)r; }

static const struct io_reader_ops counting_ops = {counting_read_at, counting_close};

TEST(reader_range_reads_part_of_the_chunks)
{
    /* one row group of 200000 rows in pages of 128 KiB (13-20 per column):
     * a range of a tenth of it reads the page headers before it, its pages
     * and some read-ahead -- under half the chunks, not all of them */
    fl_buf buf;
    write_file_rg(&buf, 200000, 2, PQ_CODEC_ZSTD, 0, 128 << 10);
    fl_error err = {0};
    io_reader *mem = NULL;
    CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
    counting_reader cr = {{&counting_ops, mem->size, "counting"}, mem, 0};
    pq_file *f = NULL;
    rows_text full = {0};
    if (!CHECK_OK(pq_file_open(&f, &cr.base, &err), &err)) goto out;
    CHECK_EQ(pq_file_num_row_groups(f), 1);
    uint64_t chunks = 0, dicts = 0;   /* dictionary pages are always read */
    const pq_row_group *g = &pq_file_metadata(f)->row_groups[0];
    for (int c = 0; c < g->n_columns; c++) {
        const pq_column_meta *cm = &g->columns[c].meta;
        chunks += (uint64_t)cm->total_compressed_size;
        if (cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0)
            dicts += (uint64_t)(cm->data_page_offset - cm->dictionary_page_offset);
    }
    CHECK(dicts < chunks / 2);
    cr.bytes = 0;
    if (!CHECK_OK(scan_rows(f, NULL, &full, &err), &err)) goto out;
    CHECK(cr.bytes >= chunks);   /* whole chunks */
    pq_scan_opts o = {0};
    o.batch_rows = 777;
    int64_t cuts[][2] = {{100000, 120000}, {0, 20000}, {180000, 0}, {123456, 123457}};
    for (size_t i = 0; i < FL_ARRAY_SIZE(cuts); i++) {
        cr.bytes = 0;
        if (!check_range(f, &o, &full, cuts[i][0], cuts[i][1], "windowed")) break;
        if (!CHECK(cr.bytes < dicts + (chunks - dicts) / 2))
            fprintf(stderr, "  range [%lld, %lld) read %llu of %llu chunk bytes\n", (long long)cuts[i][0],
                    (long long)cuts[i][1], (unsigned long long)cr.bytes, (unsigned long long)chunks);
    }
out:
    rows_free(&full);
    pq_file_free(f);
    io_reader_close(mem);
    fl_buf_dispose(&buf);
}
