/*
 * test_encoding.c: Parquet encodings (pq_encoding.h): byte vectors worked out
 * from the examples in Encodings.md, and seeded random round trips over many
 * bit widths and value counts. Corrupt input is in test_encoding_corrupt.c.
 */
#include "../test.h"

#include <stdio.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/error.h"
#include "../../../src/base/varint.h"
#include "../../../src/format/parquet/pq_encoding.h"
#include "test_encoding_util.h"

/* ---- known vectors from the spec ---- */

TEST(pq_bit_width_values)
{
    CHECK_EQ(pq_bit_width(0), 0);
    CHECK_EQ(pq_bit_width(1), 1);
    CHECK_EQ(pq_bit_width(7), 3);
    CHECK_EQ(pq_bit_width(8), 4);
    CHECK_EQ(pq_bit_width(UINT32_MAX), 32);
    CHECK_EQ(pq_bit_width(UINT64_MAX), 64);
}

/* "The numbers 1 through 7 using bit width 3" in the RLE section: one
 * bit-packed run of one group (header 1 << 1 | 1). */
TEST(pq_rle_spec_bitpacked_example)
{
    static const uint8_t enc[] = {0x03, 0x88, 0xc6, 0xfa};
    uint32_t out[8];
    uint8_t out8[8];
    fl_error err;
    CHECK_OK(pq_rle_decode(enc, sizeof enc, 3, out, 8, &err), &err);
    CHECK_OK(pq_rle_decode_u8(enc, sizeof enc, 3, out8, 8, &err), &err);
    for (uint32_t i = 0; i < 8; i++) {
        CHECK_EQ(out[i], i);
        CHECK_EQ(out8[i], i);
    }
    uint32_t vals[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_rle_encode(&b, vals, 8, 3), NULL);
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    fl_buf_reset(&b);
    CHECK_OK(pq_rle_encode_u8(&b, out8, 8, 3), NULL);
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    fl_buf_dispose(&b);
}

/* The same values in the deprecated BIT_PACKED order (MSB first). */
TEST(pq_bitpacked_legacy_spec_example)
{
    static const uint8_t enc[] = {0x05, 0x39, 0x77};
    uint8_t out[8];
    fl_error err;
    CHECK_OK(pq_bitpacked_legacy_decode(enc, sizeof enc, 3, out, 8, &err), &err);
    for (int i = 0; i < 8; i++) CHECK_EQ(out[i], i);
    /* "30 values of 2 bits take 8 bytes" */
    uint8_t lv[30];
    static const uint8_t enc2[8] = {0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x1b, 0x10};
    CHECK_OK(pq_bitpacked_legacy_decode(enc2, 8, 2, lv, 30, &err), &err);
    for (int i = 0; i < 30; i++) CHECK_EQ(lv[i], i % 4);
    CHECK(pq_bitpacked_legacy_decode(enc2, 7, 2, lv, 30, &err) == FLOE_ECORRUPT);
}

TEST(pq_rle_run_vectors)
{
    /* 100 x 5 at width 3: header 200 = c8 01, value in one byte */
    uint32_t vals[100];
    for (int i = 0; i < 100; i++) vals[i] = 5;
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_rle_encode(&b, vals, 100, 3), NULL);
    static const uint8_t enc[] = {0xc8, 0x01, 0x05};
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    /* width 9..16 values take two bytes, 17..24 three, 25..32 four */
    for (int i = 0; i < 100; i++) vals[i] = 0x01020304u & ((1u << 25) - 1);
    fl_buf_reset(&b);
    CHECK_OK(pq_rle_encode(&b, vals, 100, 25), NULL);
    static const uint8_t enc25[] = {0xc8, 0x01, 0x04, 0x03, 0x02, 0x01};
    CHECK_MEM(b.data, b.len, enc25, sizeof enc25);
    /* width 0: an RLE run without a value byte */
    uint32_t zeros[20] = {0}, out[20];
    fl_buf_reset(&b);
    CHECK_OK(pq_rle_encode(&b, zeros, 20, 0), NULL);
    static const uint8_t enc0[] = {40};
    CHECK_MEM(b.data, b.len, enc0, sizeof enc0);
    fl_error err;
    memset(out, 0xff, sizeof out);
    CHECK_OK(pq_rle_decode(enc0, 1, 0, out, 20, &err), &err);
    CHECK(memcmp(out, zeros, sizeof out) == 0);
    /* 3 values then 10 repeats: a run of 8 must start on a group boundary,
     * so the encoder bit-packs 2 groups (13 values padded to 16 with 0). */
    uint32_t mixed[13] = {1, 2, 3, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
    fl_buf_reset(&b);
    CHECK_OK(pq_rle_encode(&b, mixed, 13, 3), NULL);
    static const uint8_t encm[] = {0x05, 0xd1, 0xfe, 0xff, 0xff, 0x7f, 0x00};
    CHECK_MEM(b.data, b.len, encm, sizeof encm);
    uint32_t back[13];
    CHECK_OK(pq_rle_decode((const uint8_t *)b.data, b.len, 3, back, 13, &err), &err);
    CHECK(memcmp(back, mixed, sizeof back) == 0);
    fl_buf_dispose(&b);
}

/* A long run inside random values: group-aligned runs become RLE runs. */
TEST(pq_rle_encoder_uses_runs)
{
    uint32_t vals[8 + 1000 + 8];
    for (int i = 0; i < 8; i++) vals[i] = (uint32_t)i;
    for (int i = 8; i < 1008; i++) vals[i] = 3;
    for (int i = 1008; i < 1016; i++) vals[i] = (uint32_t)(i % 8);
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_rle_encode(&b, vals, 1016, 3), NULL);
    /* group (1 + 3 bytes) + run header (2) + value (1) + group (1 + 3) */
    CHECK_EQ(b.len, 11);
    CHECK_EQ((uint8_t)b.data[4], ((1000 << 1) & 0x7f) | 0x80);
    uint32_t out[1016];
    fl_error err;
    CHECK_OK(pq_rle_decode((const uint8_t *)b.data, b.len, 3, out, 1016, &err), &err);
    CHECK(memcmp(out, vals, sizeof out) == 0);
    fl_buf_dispose(&b);
}

/* Example 1 of DELTA_BINARY_PACKED (1..5), with the real block size 128 and
 * 4 miniblocks: every delta is the min delta, so all widths are 0. */
TEST(pq_delta_spec_example1)
{
    static const uint8_t enc[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00};
    int64_t vals[5] = {1, 2, 3, 4, 5}, out[5];
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_delta_int_encode(&b, vals, 5), NULL);
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    size_t total = 0, used = 0;
    fl_error err;
    CHECK_OK(pq_delta_int_decode(enc, sizeof enc, out, 5, &total, &used, &err), &err);
    CHECK_EQ(total, 5);
    CHECK_EQ(used, sizeof enc);
    CHECK(memcmp(out, vals, sizeof out) == 0);
    /* one miniblock of 128 values, the example's shape */
    static const uint8_t enc1[] = {0x80, 0x01, 0x01, 0x05, 0x02, 0x02, 0x00};
    memset(out, 0, sizeof out);
    CHECK_OK(pq_delta_int_decode(enc1, sizeof enc1, out, 5, &total, &used, &err), &err);
    CHECK_EQ(used, sizeof enc1);
    CHECK(memcmp(out, vals, sizeof out) == 0);
    fl_buf_dispose(&b);
}

/* Example 2: 7, 5, 3, 1, 2, 3, 4, 5: min delta -2, relative deltas
 * 0,0,0,3,3,3,3 in a width-2 miniblock padded to 32 values (8 bytes). */
TEST(pq_delta_spec_example2)
{
    static const uint8_t enc[] = {0x80, 0x01, 0x04, 0x08, 0x0e, 0x03, 0x02, 0x00, 0x00,
                                  0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    int64_t vals[8] = {7, 5, 3, 1, 2, 3, 4, 5}, out[8];
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_delta_int_encode(&b, vals, 8), NULL);
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    size_t total = 0, used = 0;
    fl_error err;
    CHECK_OK(pq_delta_int_decode(enc, sizeof enc, out, 8, &total, &used, &err), &err);
    CHECK_EQ(total, 8);
    CHECK_EQ(used, sizeof enc);
    CHECK(memcmp(out, vals, sizeof out) == 0);
    /* padding bits may be arbitrary: readers must accept them */
    uint8_t dirty[sizeof enc];
    memcpy(dirty, enc, sizeof enc);
    dirty[11] |= 0xc0;
    for (int i = 12; i < 18; i++) dirty[i] = 0xa5;
    CHECK_OK(pq_delta_int_decode(dirty, sizeof dirty, out, 8, &total, &used, &err), &err);
    CHECK(memcmp(out, vals, sizeof out) == 0);
    /* so may the widths of unneeded miniblocks (no bytes follow for them) */
    dirty[7] = 0xff;
    dirty[8] = 7;
    CHECK_OK(pq_delta_int_decode(dirty, sizeof dirty, out, 8, &total, &used, &err), &err);
    CHECK(memcmp(out, vals, sizeof out) == 0);
    CHECK_EQ(used, sizeof enc);
    fl_buf_dispose(&b);
}

TEST(pq_delta_count_0_and_1)
{
    static const uint8_t enc0[] = {0x80, 0x01, 0x04, 0x00, 0x00};
    static const uint8_t enc1[] = {0x80, 0x01, 0x04, 0x01, 0x53};   /* -42 */
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_delta_int_encode(&b, NULL, 0), NULL);
    CHECK_MEM(b.data, b.len, enc0, sizeof enc0);
    int64_t v = -42, out = 0;
    fl_buf_reset(&b);
    CHECK_OK(pq_delta_int_encode(&b, &v, 1), NULL);
    CHECK_MEM(b.data, b.len, enc1, sizeof enc1);
    size_t total = 9, used = 0;
    fl_error err;
    CHECK_OK(pq_delta_int_decode(enc0, sizeof enc0, &out, 1, &total, &used, &err), &err);
    CHECK_EQ(total, 0);
    CHECK_EQ(used, 5);
    CHECK_OK(pq_delta_int_decode(enc1, sizeof enc1, &out, 1, &total, &used, &err), &err);
    CHECK_EQ(total, 1);
    CHECK_EQ(out, -42);
    fl_buf_dispose(&b);
}

/* "Hello", "World", "Foobar", "ABCDEF": lengths 5,5,6,6 then the bytes. */
TEST(pq_delta_length_spec_example)
{
    static const uint8_t enc[] = {0x80, 0x01, 0x04, 0x04, 0x0a, 0x00, 0x01, 0x00, 0x00, 0x00,
                                  0x02, 0x00, 0x00, 0x00, 'H', 'e', 'l', 'l', 'o', 'W',
                                  'o', 'r', 'l', 'd', 'F', 'o', 'o', 'b', 'a', 'r',
                                  'A', 'B', 'C', 'D', 'E', 'F'};
    fl_strv vals[4] = {fl_strv_cstr("Hello"), fl_strv_cstr("World"), fl_strv_cstr("Foobar"),
                       fl_strv_cstr("ABCDEF")};
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_delta_length_encode(&b, vals, 4), NULL);
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    fl_strv out[4];
    size_t used = 0;
    fl_error err;
    CHECK_OK(pq_delta_length_decode(enc, sizeof enc, out, 4, &used, &err), &err);
    CHECK_EQ(used, sizeof enc);
    for (int i = 0; i < 4; i++) CHECK(fl_strv_eq(out[i], vals[i]));
    CHECK(out[0].ptr == (const char *)enc + 14);   /* views into the input */
    fl_buf_dispose(&b);
}

/* "axis", "axle", "babble", "babyhood": prefixes 0,2,0,3, suffixes
 * "axis" "le" "babble" "yhood". */
TEST(pq_delta_byte_array_spec_example)
{
    fl_strv vals[4] = {fl_strv_cstr("axis"), fl_strv_cstr("axle"), fl_strv_cstr("babble"),
                       fl_strv_cstr("babyhood")};
    fl_buf b, expect;
    fl_buf_init(&b);
    fl_buf_init(&expect);
    CHECK_OK(pq_delta_byte_array_encode(&b, vals, 4), NULL);
    int64_t prefixes[4] = {0, 2, 0, 3};
    fl_strv suffixes[4] = {fl_strv_cstr("axis"), fl_strv_cstr("le"), fl_strv_cstr("babble"),
                           fl_strv_cstr("yhood")};
    CHECK_OK(pq_delta_int_encode(&expect, prefixes, 4), NULL);
    CHECK_OK(pq_delta_length_encode(&expect, suffixes, 4), NULL);
    CHECK_MEM(b.data, b.len, expect.data, expect.len);
    CHECK(b.len > 17 && memcmp(b.data + b.len - 17, "axislebabbleyhood", 17) == 0);
    fl_arena *arena = fl_arena_new(0);
    fl_strv out[4];
    fl_error err;
    CHECK_OK(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len, out, 4, arena, &err),
             &err);
    for (int i = 0; i < 4; i++) CHECK(fl_strv_eq(out[i], vals[i]));
    fl_arena_free(arena);
    fl_buf_dispose(&b);
    fl_buf_dispose(&expect);
}

TEST(pq_bss_spec_example)
{
    static const uint8_t raw[] = {0xaa, 0xbb, 0xcc, 0xdd, 0x00, 0x11,
                                  0x22, 0x33, 0xa3, 0xb4, 0xc5, 0xd6};
    static const uint8_t enc[] = {0xaa, 0x00, 0xa3, 0xbb, 0x11, 0xb4,
                                  0xcc, 0x22, 0xc5, 0xdd, 0x33, 0xd6};
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_bss_encode(&b, raw, 4, 3), NULL);
    CHECK_MEM(b.data, b.len, enc, sizeof enc);
    uint8_t out[12];
    fl_error err;
    CHECK_OK(pq_bss_decode(enc, sizeof enc, 4, out, 3, &err), &err);
    CHECK_MEM(out, 12, raw, 12);
    /* the same 12 bytes as 2 values of 6 (FIXED_LEN_BYTE_ARRAY(6)) */
    fl_buf_reset(&b);
    CHECK_OK(pq_bss_encode(&b, raw, 6, 2), NULL);
    static const uint8_t enc6[] = {0xaa, 0x22, 0xbb, 0x33, 0xcc, 0xa3,
                                   0xdd, 0xb4, 0x00, 0xc5, 0x11, 0xd6};
    CHECK_MEM(b.data, b.len, enc6, sizeof enc6);
    CHECK_OK(pq_bss_decode(enc6, sizeof enc6, 6, out, 2, &err), &err);
    CHECK_MEM(out, 12, raw, 12);
    CHECK(pq_bss_decode(enc, 11, 4, out, 3, &err) == FLOE_ECORRUPT);
    CHECK(strstr(err.message, "BYTE_STREAM_SPLIT") != NULL);
    fl_buf_dispose(&b);
}

TEST(pq_plain_vectors)
{
    uint8_t bools[9] = {1, 0, 1, 1, 0, 0, 0, 0, 1};
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_plain_bool_encode(&b, bools, 9), NULL);
    static const uint8_t encb[] = {0x0d, 0x01};
    CHECK_MEM(b.data, b.len, encb, sizeof encb);
    uint8_t outb[9];
    size_t used = 0;
    fl_error err;
    CHECK_OK(pq_plain_bool_decode(encb, 2, outb, 9, &used, &err), &err);
    CHECK_EQ(used, 2);
    CHECK_MEM(outb, 9, bools, 9);
    CHECK(pq_plain_bool_decode(encb, 1, outb, 9, &used, &err) == FLOE_ECORRUPT);

    fl_strv strs[3] = {fl_strv_cstr("ab"), fl_strv_cstr(""), fl_strv_cstr("xyz")};
    fl_buf_reset(&b);
    CHECK_OK(pq_plain_bytes_encode(&b, strs, 3), NULL);
    static const uint8_t encs[] = {2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z'};
    CHECK_MEM(b.data, b.len, encs, sizeof encs);
    fl_strv outs[3];
    CHECK_OK(pq_plain_bytes_decode(encs, sizeof encs, outs, 3, &used, &err), &err);
    CHECK_EQ(used, sizeof encs);
    for (int i = 0; i < 3; i++) CHECK(fl_strv_eq(outs[i], strs[i]));
    fl_buf_dispose(&b);
}

/* ---- round trips ---- */

/* Fills vals with a mix: random within the width, long runs, short runs. */
static void fill_levels(te_rng *r, uint32_t *vals, size_t count, int w, int shape)
{
    size_t i = 0;
    while (i < count) {
        uint32_t v = (uint32_t)te_bits(r, w);
        size_t run = shape == 0 ? 1 : shape == 1 ? 1 + te_next(r) % 20 : 1 + te_next(r) % 300;
        for (size_t k = 0; k < run && i < count; k++) vals[i++] = v;
    }
}

TEST(pq_rle_round_trip_widths_and_counts)
{
    te_rng r = {42};
    size_t maxc = 100000;
    uint32_t *vals = malloc(maxc * sizeof *vals), *out = malloc((maxc + 8) * sizeof *out);
    uint8_t *v8 = malloc(maxc), *o8 = malloc(maxc + 8);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    int failures = 0;
    for (int w = 0; w <= 32 && failures < 5; w++) {
        for (size_t ci = 0; ci < FL_ARRAY_SIZE(te_counts); ci++) {
            size_t count = te_counts[ci];
            for (int shape = 0; shape < 3; shape++) {
                fill_levels(&r, vals, count, w, shape);
                fl_buf_reset(&b);
                CHECK_OK(pq_rle_encode(&b, vals, count, w), NULL);
                uint8_t *enc = te_copy(b.data, b.len);
                out[count] = 0xdeadbeef;
                int rc = pq_rle_decode(enc, b.len, w, out, count, &err);
                if (!CHECK_OK(rc, &err) || !CHECK(memcmp(out, vals, count * 4) == 0) ||
                    !CHECK_EQ(out[count], 0xdeadbeef)) {
                    fprintf(stderr, "    width %d count %zu shape %d\n", w, count, shape);
                    failures++;
                }
                free(enc);
                if (w > 8) continue;
                for (size_t i = 0; i < count; i++) v8[i] = (uint8_t)vals[i];
                fl_buf_reset(&b);
                CHECK_OK(pq_rle_encode_u8(&b, v8, count, w), NULL);
                enc = te_copy(b.data, b.len);
                rc = pq_rle_decode_u8(enc, b.len, w, o8, count, &err);
                if (!CHECK_OK(rc, &err) || !CHECK(memcmp(o8, v8, count) == 0)) {
                    fprintf(stderr, "    u8 width %d count %zu shape %d\n", w, count, shape);
                    failures++;
                }
                /* the u32 decoder reads what the u8 encoder wrote */
                rc = pq_rle_decode(enc, b.len, w, out, count, &err);
                if (!CHECK_OK(rc, &err) || !CHECK(memcmp(out, vals, count * 4) == 0)) failures++;
                free(enc);
            }
        }
    }
    fl_buf_dispose(&b);
    free(vals);
    free(out);
    free(v8);
    free(o8);
}

/* MSB-first packing, written independently of the decoder. */
static size_t legacy_pack(uint8_t *dst, const uint8_t *vals, size_t count, int w)
{
    size_t nbytes = (count * (size_t)w + 7) / 8;
    memset(dst, 0, nbytes);
    for (size_t i = 0; i < count; i++)
        for (int k = 0; k < w; k++)
            if (vals[i] >> (w - 1 - k) & 1) {
                size_t bit = i * (size_t)w + (size_t)k;
                dst[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
            }
    return nbytes;
}

TEST(pq_bitpacked_legacy_round_trip)
{
    te_rng r = {7};
    uint8_t vals[1000], out[1000], enc[1000];
    fl_error err;
    for (int w = 0; w <= 8; w++) {
        for (size_t count = 0; count < 1000; count += 1 + count / 3) {
            for (size_t i = 0; i < count; i++) vals[i] = (uint8_t)te_bits(&r, w);
            size_t n = legacy_pack(enc, vals, count, w);
            uint8_t *c = te_copy(enc, n);
            if (!CHECK_OK(pq_bitpacked_legacy_decode(c, n, w, out, count, &err), &err) ||
                !CHECK(memcmp(out, vals, count) == 0))
                fprintf(stderr, "    width %d count %zu\n", w, count);
            free(c);
        }
    }
}

/* Value generators for delta: small steps, random magnitudes, extremes. */
static int64_t delta_value(te_rng *r, int shape, size_t i, int64_t prev)
{
    switch (shape) {
    case 0: return (int64_t)i;                                      /* constant delta */
    case 1: return prev + (int64_t)(te_next(r) % 1000) - 300;       /* small jitter */
    case 2: return (int64_t)te_bits(r, 1 + (int)(i % 64));         /* varying widths */
    case 3: return (int64_t)te_next(r);                             /* full 64-bit */
    case 4: return i % 2 ? INT64_MAX : INT64_MIN;                   /* extreme deltas */
    case 5: return (int64_t)(int32_t)te_next(r);                    /* INT32 column */
    case 6: return i % 3 == 0 ? INT64_MIN : i % 3 == 1 ? 0 : INT64_MAX;
    default: return (i / 200) % 2 ? 5 : (int64_t)te_bits(r, 20);   /* flat blocks */
    }
}

TEST(pq_delta_round_trip)
{
    te_rng r = {1234};
    size_t maxc = 100000;
    int64_t *vals = malloc(maxc * sizeof *vals), *out = malloc((maxc + 1) * sizeof *out);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    int failures = 0;
    for (int shape = 0; shape < 8 && failures < 5; shape++) {
        for (size_t ci = 0; ci < FL_ARRAY_SIZE(te_counts); ci++) {
            size_t count = te_counts[ci];
            int64_t prev = 0;
            for (size_t i = 0; i < count; i++) prev = vals[i] = delta_value(&r, shape, i, prev);
            fl_buf_reset(&b);
            CHECK_OK(pq_delta_int_encode(&b, vals, count), NULL);
            /* trailing bytes after the block must not be counted as consumed */
            CHECK_OK(fl_buf_append(&b, "tail", 4), NULL);
            uint8_t *enc = te_copy(b.data, b.len);
            size_t total = 0, used = 0;
            out[count] = 77;
            int rc = pq_delta_int_decode(enc, b.len, out, count, &total, &used, &err);
            if (!CHECK_OK(rc, &err) || !CHECK_EQ(total, count) || !CHECK_EQ(used, b.len - 4) ||
                !CHECK(memcmp(out, vals, count * 8) == 0) || !CHECK_EQ(out[count], 77)) {
                fprintf(stderr, "    shape %d count %zu\n", shape, count);
                failures++;
            }
            /* a shorter out: only the first values, the same consumed */
            if (count > 3) {
                size_t part = count / 3;
                out[part] = 77;
                rc = pq_delta_int_decode(enc, b.len, out, part, &total, &used, &err);
                if (!CHECK_OK(rc, &err) || !CHECK_EQ(total, count) ||
                    !CHECK_EQ(used, b.len - 4) || !CHECK(memcmp(out, vals, part * 8) == 0) ||
                    !CHECK_EQ(out[part], 77))
                    failures++;
            }
            free(enc);
        }
    }
    fl_buf_dispose(&b);
    free(vals);
    free(out);
}

/* The widest miniblock bit width in a DELTA_BINARY_PACKED block written by
 * our encoder (block 128, 4 miniblocks), walking the block headers. */
static int max_delta_width(const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    uint64_t v[4];
    for (int i = 0; i < 4; i++) {
        size_t n = fl_varint_decode(p, end, &v[i]);
        if (!n) return -1;
        p += n;
    }
    int maxw = 0;
    for (uint64_t left = v[2] ? v[2] - 1 : 0; left > 0; left -= left < 128 ? left : 128) {
        uint64_t min;
        size_t n = fl_varint_decode(p, end, &min);
        if (!n || end - p < 4 + (ptrdiff_t)n) return -1;
        p += n;
        const uint8_t *w = p;
        p += 4;
        for (int m = 0; m < 4 && (uint64_t)m * 32 < left; m++) {
            if (w[m] > maxw) maxw = w[m];
            p += 4 * (size_t)w[m];
        }
    }
    return p == end ? maxw : -1;
}

TEST(pq_delta_int32_stays_within_32_bits)
{
    te_rng r = {321};
    size_t maxc = 100000;
    int32_t *vals = malloc(maxc * sizeof *vals);
    int64_t *wide = malloc(maxc * sizeof *wide), *out = malloc(maxc * sizeof *out);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    for (int shape = 0; shape < 3; shape++) {
        for (size_t ci = 0; ci < FL_ARRAY_SIZE(te_counts); ci++) {
            size_t count = te_counts[ci];
            for (size_t i = 0; i < count; i++) {
                vals[i] = shape == 0   ? (i % 2 ? INT32_MAX : INT32_MIN)
                          : shape == 1 ? (int32_t)te_next(&r)
                                       : (int32_t)(i * 3) - (int32_t)te_bits(&r, 4);
                wide[i] = vals[i];
            }
            fl_buf_reset(&b);
            CHECK_OK(pq_delta_int32_encode(&b, vals, count), NULL);
            int maxw = max_delta_width((const uint8_t *)b.data, b.len);
            CHECK(maxw >= 0 && maxw <= 32);
            size_t total = 0, used = 0;
            CHECK_OK(pq_delta_int_decode((const uint8_t *)b.data, b.len, out, count, &total, &used,
                                         &err), &err);
            CHECK_EQ(used, b.len);
            int bad = 0;
            for (size_t i = 0; i < count; i++) bad += (int32_t)out[i] != vals[i];
            if (!CHECK_EQ(bad, 0)) fprintf(stderr, "    shape %d count %zu\n", shape, count);
            /* the 64-bit encoder on the same values needs 33 bits for extremes */
            if (shape == 0 && count > 2) {
                fl_buf_reset(&b);
                CHECK_OK(pq_delta_int_encode(&b, wide, count), NULL);
                CHECK_EQ(max_delta_width((const uint8_t *)b.data, b.len), 33);
            }
        }
    }
    fl_buf_dispose(&b);
    free(vals);
    free(wide);
    free(out);
}

/* Another writer's choices: block 256 with 2 miniblocks of 128, every width
 * 0..64 once, hand-packed and decoded against the expected sums. */
TEST(pq_delta_decodes_other_block_shapes)
{
    fl_error err;
    for (int w = 0; w <= 64; w++) {
        uint8_t enc[2100];
        size_t n = 0;
        enc[n++] = 0x80;                /* 256 */
        enc[n++] = 0x02;
        enc[n++] = 0x02;                /* 2 miniblocks of 128 */
        enc[n++] = 0xc8;                /* 200 values */
        enc[n++] = 0x01;
        enc[n++] = 0x00;                /* first 0 */
        enc[n++] = 0x01;                /* min delta -1 */
        enc[n++] = (uint8_t)w;
        enc[n++] = (uint8_t)w;
        /* deltas (minus min): the all-ones pattern of width w for every value */
        size_t bits = 128 * (size_t)w;
        memset(enc + n, 0xff, bits / 8 * 2);
        n += bits / 8 * 2;
        int64_t out[200];
        size_t total = 0, used = 0;
        uint8_t *c = te_copy(enc, n);
        if (!CHECK_OK(pq_delta_int_decode(c, n, out, 200, &total, &used, &err), &err)) {
            free(c);
            continue;
        }
        free(c);
        CHECK_EQ(used, n);
        uint64_t step = (w == 64 ? ~(uint64_t)0 : (((uint64_t)1 << w) - 1)) - 1;
        uint64_t acc = 0;
        int bad = 0;
        for (int i = 0; i < 200; i++) {
            if ((uint64_t)out[i] != acc) bad++;
            acc += step;
        }
        if (!CHECK_EQ(bad, 0)) fprintf(stderr, "    width %d\n", w);
    }
}

static void random_string(te_rng *r, char *buf, uint32_t *len, const char *prev,
                          uint32_t prev_len)
{
    uint32_t keep = prev_len ? (uint32_t)(te_next(r) % (prev_len + 1)) : 0;
    uint32_t add = (uint32_t)(te_next(r) % 24);
    memcpy(buf, prev, keep);
    for (uint32_t k = 0; k < add; k++) buf[keep + k] = (char)('a' + te_next(r) % 3);
    *len = keep + add;
}

TEST(pq_byte_array_round_trips)
{
    te_rng r = {99};
    size_t maxc = 100000;
    fl_strv *vals = malloc(maxc * sizeof *vals), *out = malloc(maxc * sizeof *out);
    char *store = malloc(maxc * 64);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    fl_arena *arena = fl_arena_new(0);
    int failures = 0;
    for (size_t ci = 0; ci < FL_ARRAY_SIZE(te_counts) && failures < 5; ci++) {
        size_t count = te_counts[ci];
        char *s = store;
        for (size_t i = 0; i < count; i++) {
            uint32_t len;
            random_string(&r, s, &len, i ? vals[i - 1].ptr : "", i ? vals[i - 1].len : 0);
            vals[i] = fl_strv_make(s, len);
            s += len;
        }
        for (int enc_kind = 0; enc_kind < 3; enc_kind++) {
            fl_buf_reset(&b);
            fl_arena_reset(arena);
            size_t used = 0;
            int rc;
            if (enc_kind == 0) CHECK_OK(pq_plain_bytes_encode(&b, vals, count), NULL);
            else if (enc_kind == 1) CHECK_OK(pq_delta_length_encode(&b, vals, count), NULL);
            else CHECK_OK(pq_delta_byte_array_encode(&b, vals, count), NULL);
            uint8_t *enc = te_copy(b.data, b.len);
            if (enc_kind == 0) {
                rc = pq_plain_bytes_decode(enc, b.len, out, count, &used, &err);
            } else if (enc_kind == 1) {
                rc = pq_delta_length_decode(enc, b.len, out, count, &used, &err);
            } else {
                rc = pq_delta_byte_array_decode(enc, b.len, out, count, arena, &err);
                used = b.len;
            }
            int bad = 0;
            if (rc == 0)
                for (size_t i = 0; i < count; i++) bad += !fl_strv_eq(out[i], vals[i]);
            if (!CHECK_OK(rc, &err) || !CHECK_EQ(used, b.len) || !CHECK_EQ(bad, 0)) {
                fprintf(stderr, "    kind %d count %zu\n", enc_kind, count);
                failures++;
            }
            free(enc);
        }
    }
    fl_arena_free(arena);
    fl_buf_dispose(&b);
    free(vals);
    free(out);
    free(store);
}

TEST(pq_bool_and_bss_round_trips)
{
    te_rng r = {5};
    size_t maxc = 100000;
    uint8_t *vals = malloc(maxc * 16), *out = malloc(maxc * 16);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    for (size_t ci = 0; ci < FL_ARRAY_SIZE(te_counts); ci++) {
        size_t count = te_counts[ci], used = 0;
        for (size_t i = 0; i < count; i++) vals[i] = (uint8_t)(te_next(&r) & 1);
        fl_buf_reset(&b);
        CHECK_OK(pq_plain_bool_encode(&b, vals, count), NULL);
        CHECK_EQ(b.len, (count + 7) / 8);
        uint8_t *enc = te_copy(b.data, b.len);
        CHECK_OK(pq_plain_bool_decode(enc, b.len, out, count, &used, &err), &err);
        CHECK_EQ(used, b.len);
        CHECK(memcmp(out, vals, count) == 0);
        free(enc);
        static const size_t widths[] = {1, 2, 3, 4, 8, 12, 16};
        for (size_t wi = 0; wi < FL_ARRAY_SIZE(widths); wi++) {
            size_t w = widths[wi];
            for (size_t i = 0; i < count * w; i++) vals[i] = (uint8_t)te_next(&r);
            fl_buf_reset(&b);
            CHECK_OK(pq_bss_encode(&b, vals, w, count), NULL);
            enc = te_copy(b.data, b.len);
            if (!CHECK_OK(pq_bss_decode(enc, b.len, w, out, count, &err), &err) ||
                !CHECK(memcmp(out, vals, count * w) == 0))
                fprintf(stderr, "    width %zu count %zu\n", w, count);
            free(enc);
        }
    }
    fl_buf_dispose(&b);
    free(vals);
    free(out);
}
