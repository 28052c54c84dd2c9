/*
 * test_encoding_files.c: the encoding decoders against pages written by
 * parquet-mr, from the shared parquet-testing fixtures, compared with the
 * expected CSV next to each file.
 *
 * Finding pages is the reader's job, so these tests locate the (uncompressed,
 * one page per column) page data by hand: by the DELTA_BINARY_PACKED header
 * bytes each page starts with, searched within the column chunk ranges the
 * fixture's .md file lists. That keeps this test independent of the reader.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/error.h"
#include "../../../src/format/parquet/pq_encoding.h"

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* A small CSV table: rows x cols fields, quotes stripped (no escaped quotes
 * in these fixtures). Field (r, c) is cells[r * ncols + c]. */
typedef struct {
    char *text;
    char **cells;
    size_t nrows, ncols;
} csv_table;

static int csv_load(csv_table *t, const char *path)
{
    size_t len;
    memset(t, 0, sizeof *t);
    uint8_t *raw = read_all(path, &len);
    if (!raw) return -1;
    t->text = realloc(raw, len + 1);
    t->text[len] = 0;
    size_t cap = 1024, n = 0, cols = 0, row_cols = 0;
    t->cells = malloc(cap * sizeof *t->cells);
    char *p = t->text, *out = t->text;
    while (*p) {
        /* one field */
        char *start = out;
        int quoted = 0;
        while (*p && (quoted || (*p != ',' && *p != '\n' && *p != '\r'))) {
            if (*p == '"') quoted = !quoted;
            else *out++ = *p;
            p++;
        }
        char end = *p;
        if (*p) p++;
        if (end == '\r' && *p == '\n') p++;
        *out++ = 0;
        if (n == cap) t->cells = realloc(t->cells, (cap *= 2) * sizeof *t->cells);
        t->cells[n++] = start;
        row_cols++;
        if (end != ',') {
            if (!cols) cols = row_cols;
            row_cols = 0;
        }
    }
    t->ncols = cols;
    t->nrows = cols ? n / cols : 0;
    return 0;
}

static void csv_free(csv_table *t)
{
    free(t->text);
    free(t->cells);
}

static const uint8_t *find(const uint8_t *p, size_t len, const uint8_t *pat, size_t plen)
{
    for (size_t i = 0; i + plen <= len; i++)
        if (memcmp(p + i, pat, plen) == 0) return p + i;
    return NULL;
}

/* 66 INT64 (and one INT32) columns of 200 values, bit widths 0..64: each
 * page starts with block 128, 4 miniblocks, 200 values (80 01 04 c8 01). */
TEST(pq_delta_decodes_parquet_mr_bit_widths)
{
    size_t len;
    uint8_t *file = read_all(ft_shared("fixtures/parquet/data/delta_binary_packed.parquet"), &len);
    csv_table csv;
    if (!CHECK(file != NULL) ||
        !CHECK(csv_load(&csv, ft_shared("fixtures/parquet/data/delta_binary_packed_expect.csv")) ==
               0)) {
        free(file);
        return;
    }
    CHECK_EQ(csv.ncols, 66);
    CHECK_EQ(csv.nrows, 201);
    static const uint8_t pat[] = {0x80, 0x01, 0x04, 0xc8, 0x01};
    const uint8_t *p = file, *end = file + len;
    size_t columns = 0;
    int mismatches = 0;
    while ((p = find(p, (size_t)(end - p), pat, sizeof pat)) != NULL && columns < 66) {
        int64_t vals[200];
        size_t total = 0, used = 0;
        fl_error err;
        if (!CHECK_OK(pq_delta_int_decode(p, (size_t)(end - p), vals, 200, &total, &used, &err),
                      &err))
            break;
        CHECK_EQ(total, 200);
        for (size_t r = 0; r < 200; r++) {
            long long expect = strtoll(csv.cells[(r + 1) * csv.ncols + columns], NULL, 10);
            /* the INT32 column wraps in 32 bits, as parquet-mr computes it */
            if (vals[r] != expect && (int32_t)vals[r] != (int32_t)expect) mismatches++;
        }
        columns++;
        p += used;
    }
    CHECK_EQ(columns, 66);
    CHECK_EQ(mismatches, 0);
    csv_free(&csv);
    free(file);
}

/* 9 INT32 DELTA_BINARY_PACKED and 8 DELTA_BYTE_ARRAY columns of 100 values
 * in data pages v2; chunk offsets and sizes from the fixture's .md file. */
TEST(pq_delta_byte_array_decodes_parquet_mr_strings)
{
    static const size_t chunks[17][2] = {
        {4, 50},     {54, 388},   {442, 261},  {703, 307},  {1010, 247}, {1257, 247},
        {1504, 131}, {1635, 115}, {1750, 144}, {1894, 933}, {2827, 378}, {3205, 707},
        {3912, 751}, {4663, 154}, {4817, 1154}, {5971, 2857}, {8828, 405}};
    size_t len;
    uint8_t *file =
        read_all(ft_shared("fixtures/parquet/data/delta_encoding_required_column.parquet"), &len);
    csv_table csv;
    if (!CHECK(file != NULL) ||
        !CHECK(csv_load(&csv, ft_shared(
                   "fixtures/parquet/data/delta_encoding_required_column_expect.csv")) == 0)) {
        free(file);
        return;
    }
    CHECK_EQ(csv.ncols, 17);
    CHECK_EQ(csv.nrows, 101);
    fl_arena *arena = fl_arena_new(0);
    static const uint8_t pat[] = {0x80, 0x01, 0x04, 0x64};
    int mismatches = 0;
    for (size_t c = 0; c < 17; c++) {
        size_t off = chunks[c][0], size = chunks[c][1];
        if (!CHECK(off + size <= len)) break;
        const uint8_t *data = find(file + off, size, pat, sizeof pat);
        if (!CHECK(data != NULL)) continue;
        size_t data_len = (size_t)(file + off + size - data);
        fl_error err;
        if (c < 9) {
            int64_t vals[100];
            size_t total = 0, used = 0;
            if (!CHECK_OK(pq_delta_int_decode(data, data_len, vals, 100, &total, &used, &err),
                          &err))
                continue;
            CHECK_EQ(used, data_len);   /* the page ends with the block */
            for (size_t r = 0; r < 100; r++)
                if (vals[r] != strtoll(csv.cells[(r + 1) * 17 + c], NULL, 10)) mismatches++;
        } else {
            fl_strv vals[100];
            if (!CHECK_OK(pq_delta_byte_array_decode(data, data_len, vals, 100, arena, &err),
                          &err))
                continue;
            for (size_t r = 0; r < 100; r++)
                if (!fl_strv_eq(vals[r], fl_strv_cstr(csv.cells[(r + 1) * 17 + c]))) {
                    if (mismatches++ < 3)
                        fprintf(stderr, "    column %zu row %zu: \"%.*s\" != \"%s\"\n", c, r,
                                (int)vals[r].len, vals[r].ptr, csv.cells[(r + 1) * 17 + c]);
                }
        }
    }
    CHECK_EQ(mismatches, 0);
    fl_arena_free(arena);
    csv_free(&csv);
    free(file);
}
