/*
 * test_reader_fast.c: the reader's decoding fast paths. The incremental
 * RLE/bit-packed cursor (pq_rle_gather / pq_rle_skip) against the whole-page
 * decoder for every bit width, entry width and request pattern, and its
 * checks on corrupt runs; flat columns decoded straight into the output
 * (dictionary indices gathered on the way, PLAIN values converted on the
 * way, NULLs placed from the page's NULL positions or spread backwards) for
 * every NULL density, batch size and row range, against the written values.
 */
#include "../test.h"
#include "test_writer_util.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/format/parquet/pq_bitpack.h"
#include "../../../src/format/parquet/pq_encoding.h"

/* ---- the cursor ---- */

/* Values with runs (for RLE runs) and noise (for bit-packed runs) below
 * 2^min(w, 12), packed at width w. */
static void gen_indices(uint32_t *v, size_t n, int w, uint64_t *seed)
{
    uint64_t mask = pq_width_mask(w < 12 ? w : 12);   /* a dictionary of 4096 entries at most */
    size_t i = 0;
    while (i < n) {
        uint64_t r = tw_rand(seed);
        size_t len = 1 + (size_t)(r >> 40) % 40;
        bool run = (r & 3) == 0;
        uint32_t x = (uint32_t)(tw_rand(seed) & mask);
        for (size_t k = 0; k < len && i < n; k++, i++) v[i] = run ? x : (uint32_t)(tw_rand(seed) & mask);
    }
}

TEST(reader_rle_cursor_matches_decoder)
{
    enum { N = 3001 };
    static uint32_t vals[N], want[N];
    static uint8_t out[N * 16], dict[(1u << 12) * 16];
    static const size_t widths[] = {1, 2, 4, 8, 16, 12};
    uint64_t seed = 42;
    fl_error err = {0};
    for (int bw = 0; bw <= 32; bw++) {
        gen_indices(vals, N, bw, &seed);
        fl_buf b;
        fl_buf_init(&b);
        CHECK_OK(pq_rle_encode(&b, vals, N, bw), NULL);
        if (!CHECK_OK(pq_rle_decode((const uint8_t *)b.data, b.len, bw, want, N, &err), &err)) break;
        uint32_t dict_count = 1u << (bw < 12 ? bw : 12);
        for (size_t wi = 0; wi < FL_ARRAY_SIZE(widths); wi++) {
            size_t w = widths[wi];
            for (uint32_t e = 0; e < dict_count; e++)
                for (size_t k = 0; k < w; k++) dict[e * w + k] = (uint8_t)(e * 7 + k * 13 + (e >> 8));
            pq_rle_cursor c;
            pq_rle_cursor_init(&c, (const uint8_t *)b.data, b.len, bw, N);
            memset(out, 0xee, N * w);
            size_t pos = 0;
            uint64_t s2 = (uint64_t)bw * 131 + w;
            bool ok = true;
            while (pos < N && ok) {
                size_t step = 1 + (size_t)(tw_rand(&s2) % 300);
                if (step > N - pos) step = N - pos;
                if (tw_rand(&s2) % 4 == 0) {
                    ok = CHECK_OK(pq_rle_skip(&c, step, &err), &err);
                    for (size_t i = pos; i < pos + step; i++) memcpy(out + i * w, dict + want[i] * w, w);
                } else {
                    ok = CHECK_OK(pq_rle_gather(&c, dict, dict_count, w, out + pos * w, step, &err), &err);
                }
                pos += step;
            }
            for (size_t i = 0; ok && i < N; i++)
                if (memcmp(out + i * w, dict + want[i] * w, w) != 0) {
                    CHECK(false);
                    fprintf(stderr, "  bit width %d, entry width %zu: value %zu differs\n", bw, w, i);
                    ok = false;
                }
            /* one value more than the page holds is corrupt */
            if (ok) CHECK_EQ(pq_rle_gather(&c, dict, dict_count, w, out, 1, &err), FLOE_ECORRUPT);
        }
        fl_buf_dispose(&b);
    }
}

TEST(reader_rle_cursor_corrupt_runs)
{
    fl_error err = {0};
    uint8_t dict[64] = {0};
    uint8_t out[256];
    pq_rle_cursor c;
    /* RLE run of 10 x value 5 (bit width 3): index 5 of a 4-entry dictionary */
    const uint8_t rle[] = {20, 5};
    pq_rle_cursor_init(&c, rle, sizeof rle, 3, 10);
    CHECK_EQ(pq_rle_gather(&c, dict, 4, 4, out, 10, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "dictionary index 5 out of range (4 entries)") != NULL);
    pq_rle_cursor_init(&c, rle, sizeof rle, 3, 10);
    CHECK_OK(pq_rle_gather(&c, dict, 6, 4, out, 10, &err), &err);
    /* skipping does not check indices, but still reads the runs */
    pq_rle_cursor_init(&c, rle, sizeof rle, 3, 10);
    CHECK_OK(pq_rle_skip(&c, 10, &err), &err);
    /* value wider than the bit width */
    const uint8_t wide[] = {20, 9};
    pq_rle_cursor_init(&c, wide, sizeof wide, 3, 10);
    CHECK_EQ(pq_rle_skip(&c, 3, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "wider than bit width") != NULL);
    /* zero-length run, truncated value, overlong varint, missing bit-packed bytes */
    const uint8_t zero[] = {0, 1};
    pq_rle_cursor_init(&c, zero, sizeof zero, 3, 4);
    CHECK_EQ(pq_rle_gather(&c, dict, 8, 4, out, 1, &err), FLOE_ECORRUPT);
    const uint8_t trunc[] = {20};
    pq_rle_cursor_init(&c, trunc, sizeof trunc, 3, 10);
    CHECK_EQ(pq_rle_gather(&c, dict, 8, 4, out, 1, &err), FLOE_ECORRUPT);
    const uint8_t overlong[] = {0x80, 0x80};
    pq_rle_cursor_init(&c, overlong, sizeof overlong, 3, 10);
    CHECK_EQ(pq_rle_gather(&c, dict, 8, 4, out, 1, &err), FLOE_ECORRUPT);
    const uint8_t packed[] = {5, 0xff, 0xff};   /* 2 groups of width 3 need 6 bytes */
    pq_rle_cursor_init(&c, packed, sizeof packed, 3, 16);
    CHECK_EQ(pq_rle_gather(&c, dict, 8, 4, out, 16, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "needs 6 bytes") != NULL);
    /* the data ends before the values the page declares */
    pq_rle_cursor_init(&c, rle, sizeof rle, 3, 12);
    CHECK_EQ(pq_rle_gather(&c, dict, 8, 4, out, 12, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "ends after 10") != NULL);
    /* empty input with nothing asked */
    pq_rle_cursor_init(&c, NULL, 0, 3, 0);
    CHECK_OK(pq_rle_gather(&c, dict, 8, 4, out, 0, &err), &err);
}

/* ---- flat columns ---- */

/* Scans with batch size `batch` and row range [lo, hi) (hi 0 = to the end),
 * checking every value against expected[c] rows lo... */
static void check_scan(const fl_buf *file, fl_column **expected, int n_cols, size_t rows,
                       size_t batch, int64_t lo, int64_t hi)
{
    fl_error err = {0};
    io_reader *r = NULL;
    pq_file *f = NULL;
    pq_scan *s = NULL;
    fl_arena *a = fl_arena_new(0);
    CHECK_OK(io_reader_from_memory(file->data, file->len, &r, &err), &err);
    if (!CHECK_OK(pq_file_open(&f, r, &err), &err)) goto done;
    pq_scan_opts o = {0};
    o.batch_rows = batch;
    o.first_row = lo;
    o.end_row = hi;
    if (!CHECK_OK(pq_scan_new(&s, f, &o, &err), &err)) goto done;
    size_t at = (size_t)lo, end = hi ? (size_t)hi : rows;
    if (end > rows) end = rows;
    for (;;) {
        fl_column *cols[16];
        size_t n;
        fl_arena_reset(a);
        if (!CHECK_OK(pq_scan_next(s, a, cols, &n, &err), &err) || n == 0) break;
        for (int c = 0; c < n_cols; c++) {
            for (size_t i = 0; i < n; i++) {
                if (!tw_value_eq(expected[c], at + i, cols[c], i)) {
                    CHECK(false);
                    fprintf(stderr, "  column %d row %zu (batch %zu, range [%lld, %lld))\n", c, at + i,
                            batch, (long long)lo, (long long)hi);
                    goto done;
                }
                /* NULL slots hold zeros */
                size_t w = fl_type_width(cols[c]->type);
                if (!fl_column_is_valid(cols[c], i) && w) {
                    static const uint8_t zero[16];
                    if (!CHECK(memcmp((uint8_t *)cols[c]->data + i * w, zero, w) == 0)) goto done;
                }
            }
        }
        at += n;
    }
    CHECK_EQ(at, end > (size_t)lo ? end : (size_t)lo);
done:
    pq_scan_free(s);
    pq_file_free(f);
    io_reader_close(r);
    fl_arena_free(a);
}

TEST(reader_flat_null_densities_and_encodings)
{
    /* NULL every k-th row for k in {0 (none), 1000, 17, 3, 2, 1 (all)}, over
     * types whose values are gathered (dictionary) or converted (PLAIN
     * INT32 decimals -> int64, INT8 / INT16 narrowed, millisecond
     * timestamps, FLOAT, strings) */
    static const int every[] = {0, 1000, 17, 3, 2, 1};
    fl_type types[] = {
        fl_type_make(FL_TYPE_INT64), fl_type_decimal(7, 2), fl_type_make(FL_TYPE_INT8),
        fl_type_make(FL_TYPE_INT16), fl_type_make(FL_TYPE_INT32), fl_type_make(FL_TYPE_DOUBLE),
        fl_type_make(FL_TYPE_STRING), fl_type_make(FL_TYPE_DATE), fl_type_decimal(30, 4),
        fl_type_make(FL_TYPE_TIMESTAMP),
    };
    enum { NT = sizeof types / sizeof types[0], ROWS = 5000 };
    for (int dict = 0; dict <= 1; dict++)
        for (size_t e = 0; e < FL_ARRAY_SIZE(every); e++) {
            fl_arena *a = fl_arena_new(0);
            pq_field fields[NT];
            fl_column *cols[NT];
            char names[NT][16];
            for (int c = 0; c < NT; c++) {
                snprintf(names[c], sizeof names[c], "c%d", c);
                fields[c] = tw_leaf(names[c], types[c], every[e] != 0 || c % 2, c + 1);
                cols[c] = tw_gen(a, types[c], ROWS, every[e], dict ? 50 : 0, (uint64_t)(c * 7 + e));
            }
            pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, fields, NT);
            pq_writer_opts o;
            pq_writer_opts_init(&o);
            o.no_dictionary = !dict;
            o.page_bytes = 2000;
            o.page_version = e % 2 ? 2 : 1;
            fl_buf file;
            fl_buf_init(&file);
            fl_error err = {0};
            if (CHECK_OK(tw_write(&file, &root, cols, ROWS, 0, &o, &err), &err)) {
                check_scan(&file, cols, NT, ROWS, 0, 0, 0);
                check_scan(&file, cols, NT, ROWS, 1, 4900, 0);
                check_scan(&file, cols, NT, ROWS, 7, 10, 300);
                check_scan(&file, cols, NT, ROWS, 333, 1234, 4321);
                check_scan(&file, cols, NT, ROWS, 4096, 0, 0);
            }
            fl_buf_dispose(&file);
            fl_arena_free(a);
        }
}
