/*
 * test_encoding_corrupt.c: Parquet decoders (pq_encoding.h) on malformed
 * input: hand-made corruptions named in the brief (overlong varints, bit
 * widths too large, runs beyond the count, bad prefix lengths, negative and
 * overlong lengths, absurd header values), then sweeps that truncate valid
 * encodings at every length and flip every byte. Decoders must return
 * FLOE_ECORRUPT (with a message naming the encoding) or a valid result, and
 * never read past `len`: every input is an exact-size heap copy, so run this
 * under AddressSanitizer (`make asan`) to prove it.
 */
#include "../test.h"

#include <stdio.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/error.h"
#include "../../../src/format/parquet/pq_encoding.h"
#include "test_encoding_util.h"

/* Decodes an exact copy of p[0..len) as RLE with u32 and u8 outputs. */
static int rle_try(const uint8_t *p, size_t len, int w, size_t count, fl_error *err)
{
    uint8_t *c = te_copy(p, len);
    uint32_t *out = malloc((count ? count : 1) * sizeof *out);
    int rc = pq_rle_decode(c, len, w, out, count, err);
    if (w <= 8) {
        uint8_t *o8 = malloc(count ? count : 1);
        fl_error err8;
        int rc8 = pq_rle_decode_u8(c, len, w, o8, count, &err8);
        if (rc8 != rc) rc = -1000;   /* the two variants must agree */
        free(o8);
    }
    free(out);
    free(c);
    return rc;
}

static int mentions(const fl_error *err, const char *what)
{
    return strstr(err->message, what) != NULL;
}

TEST(pq_rle_corrupt_cases)
{
    fl_error err;
    /* overlong varint header: 11 continuation bytes, and a 10-byte varint
     * whose last byte overflows 64 bits */
    uint8_t overlong[11];
    memset(overlong, 0x80, sizeof overlong);
    CHECK_EQ(rle_try(overlong, 11, 1, 4, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "RLE/bit-packed") && mentions(&err, "varint"));
    uint8_t overflow[11] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x00};
    CHECK_EQ(rle_try(overflow, 11, 1, 4, &err), FLOE_ECORRUPT);
    /* bit widths out of range */
    uint32_t o[8];
    uint8_t o8[8];
    static const uint8_t run[] = {0x10, 0x01};   /* RLE run of 8 x 1 */
    CHECK_EQ(pq_rle_decode(run, 2, 33, o, 8, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "bit width 33"));
    CHECK_EQ(pq_rle_decode(run, 2, -1, o, 8, &err), FLOE_ECORRUPT);
    CHECK_EQ(pq_rle_decode_u8(run, 2, 9, o8, 8, &err), FLOE_ECORRUPT);
    CHECK_OK(pq_rle_decode_u8(run, 2, 1, o8, 8, &err), &err);
    CHECK_EQ(o8[7], 1);
    /* a run longer than the values expected is cut short (writers such as
     * DuckDB pad their last run); the values asked for are decoded */
    memset(o8, 7, sizeof o8);
    CHECK_OK(pq_rle_decode_u8(run, 2, 1, o8, 5, &err), &err);
    CHECK_EQ(o8[4], 1);
    CHECK_EQ(o8[5], 7);
    /* bit-packed: 2 groups for 8 values is padding too; 1 group for 5 also */
    static const uint8_t bp2[] = {0x05, 0xff, 0xff};
    static const uint8_t bp1[] = {0x03, 0x1f};
    memset(o8, 7, sizeof o8);
    CHECK_OK(pq_rle_decode_u8(bp2, 3, 1, o8, 8, &err), &err);
    CHECK_EQ(o8[7], 1);
    CHECK_OK(rle_try(bp2, 3, 1, 5, &err), &err);
    /* ... but the groups holding the wanted values must be present */
    static const uint8_t bp_short[] = {0x07, 0xff};
    CHECK_EQ(rle_try(bp_short, 2, 1, 9, &err), FLOE_ECORRUPT);
    CHECK_OK(rle_try(bp1, 2, 1, 5, &err), &err);
    CHECK_OK(rle_try(bp2, 3, 1, 9, &err), &err);
    CHECK_EQ(rle_try(bp2, 2, 1, 9, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "needs 2 bytes but 1 remain"));
    /* runs of length 0 */
    static const uint8_t zero_rle[] = {0x00, 0x01}, zero_bp[] = {0x01};
    CHECK_EQ(rle_try(zero_rle, 2, 1, 1, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "length 0"));
    CHECK_EQ(rle_try(zero_bp, 1, 1, 1, &err), FLOE_ECORRUPT);
    /* an RLE value wider than the bit width */
    static const uint8_t wide[] = {0x10, 0x02};
    CHECK_EQ(rle_try(wide, 2, 1, 8, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "wider than bit width 1"));
    /* value bytes missing, data ending early */
    static const uint8_t nov[] = {0x10, 0x01};
    CHECK_EQ(rle_try(nov, 2, 9, 8, &err), FLOE_ECORRUPT);
    CHECK_EQ(rle_try(run, 2, 1, 9, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "ends after 8 of 9 values"));
    /* a huge RLE run of width-0 zeros is bounded by count, not by allocation */
    static const uint8_t huge[] = {0xfe, 0xff, 0xff, 0xff, 0x0f};
    CHECK_OK(rle_try(huge, 5, 0, 100, &err), &err);
    /* trailing bytes after count values are ignored */
    static const uint8_t trail[] = {0x10, 0x01, 0xee, 0xee};
    CHECK_OK(rle_try(trail, 4, 1, 8, &err), &err);
    CHECK_OK(rle_try(trail, 0, 1, 0, &err), &err);
}

TEST(pq_bitpacked_legacy_corrupt_cases)
{
    fl_error err;
    uint8_t out[16], in[2] = {0xff, 0xff};
    CHECK_EQ(pq_bitpacked_legacy_decode(in, 2, 9, out, 1, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "BIT_PACKED"));
    CHECK_EQ(pq_bitpacked_legacy_decode(in, 2, 3, out, 6, &err), FLOE_ECORRUPT);
    CHECK_OK(pq_bitpacked_legacy_decode(in, 2, 3, out, 5, &err), &err);
    CHECK_EQ(out[4], 7);
    CHECK_EQ(pq_bitpacked_legacy_decode(in, 2, 1, out, SIZE_MAX / 2, &err), FLOE_ECORRUPT);
}

/* Decodes an exact copy as DELTA_BINARY_PACKED into a count-sized array. */
static int delta_try(const uint8_t *p, size_t len, size_t count, size_t *total, size_t *used,
                     fl_error *err)
{
    uint8_t *c = te_copy(p, len);
    int64_t *out = malloc((count ? count : 1) * sizeof *out);
    int rc = pq_delta_int_decode(c, len, out, count, total, used, err);
    free(out);
    free(c);
    return rc;
}

TEST(pq_delta_corrupt_cases)
{
    fl_error err;
    size_t total, used;
    /* header fields: invalid block shapes */
    static const uint8_t bs100[] = {0x64, 0x04, 0x05, 0x02};
    CHECK_EQ(delta_try(bs100, sizeof bs100, 5, &total, &used, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "DELTA_BINARY_PACKED") && mentions(&err, "block size 100"));
    static const uint8_t mb0[] = {0x80, 0x01, 0x00, 0x05, 0x02};
    CHECK_EQ(delta_try(mb0, sizeof mb0, 5, &total, &used, &err), FLOE_ECORRUPT);
    static const uint8_t mb3[] = {0x80, 0x01, 0x03, 0x05, 0x02};
    CHECK_EQ(delta_try(mb3, sizeof mb3, 5, &total, &used, &err), FLOE_ECORRUPT);
    static const uint8_t mb8[] = {0x80, 0x01, 0x08, 0x05, 0x02};   /* 16 per miniblock */
    CHECK_EQ(delta_try(mb8, sizeof mb8, 5, &total, &used, &err), FLOE_ECORRUPT);
    /* overlong varints in the header and in a block */
    uint8_t ovl[16] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
    CHECK_EQ(delta_try(ovl, 16, 5, &total, &used, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "block size") && mentions(&err, "varint"));
    uint8_t ovl2[20] = {0x80, 0x01, 0x04, 0x05, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0};
    CHECK_EQ(delta_try(ovl2, 20, 5, &total, &used, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "min delta"));
    /* miniblock bit width 65 (and 64 is fine) */
    uint8_t w65[5 + 1 + 4 + 256] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 65, 0, 0, 0};
    CHECK_EQ(delta_try(w65, sizeof w65, 5, &total, &used, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "bit width 65"));
    w65[6] = 64;
    CHECK_OK(delta_try(w65, 10 + 256, 5, &total, &used, &err), &err);
    CHECK_EQ(used, 10 + 256);
    CHECK_EQ(delta_try(w65, 10 + 255, 5, &total, &used, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "runs past the end"));
    /* widths missing */
    static const uint8_t nowidths[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00};
    CHECK_EQ(delta_try(nowidths, sizeof nowidths, 5, &total, &used, &err), FLOE_ECORRUPT);
    /* a total count of 2^63 with a short buffer fails fast, allocating nothing */
    static const uint8_t big[] = {0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                  0x80, 0x80, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    CHECK_EQ(delta_try(big, sizeof big, 4, &total, &used, &err), FLOE_ECORRUPT);
    /* ... but 2^61 zero-width values in blocks of 2^62 are legal and fast */
    static const uint8_t flat[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40,
                                   0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                   0x20, 0x0e, 0x02, 0x00};
    int64_t out[10];
    CHECK_OK(pq_delta_int_decode(flat, sizeof flat, out, 10, &total, &used, &err), &err);
    CHECK_EQ(used, sizeof flat);
    CHECK_EQ(out[9], 16);
    /* a block size of 2^62 with width 1: the miniblock would need 2^59 bytes */
    static const uint8_t wide_mb[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40,
                                      0x01, 0x05, 0x00, 0x00, 0x01, 0xff, 0xff};
    CHECK_EQ(delta_try(wide_mb, sizeof wide_mb, 5, &total, &used, &err), FLOE_ECORRUPT);
    /* 2^40 miniblocks per block: their widths cannot fit */
    static const uint8_t many_mb[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
                                      0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x05, 0x00, 0x00};
    CHECK_EQ(delta_try(many_mb, sizeof many_mb, 5, &total, &used, &err), FLOE_ECORRUPT);
}

TEST(pq_byte_array_corrupt_cases)
{
    fl_error err;
    fl_strv out[4];
    fl_buf b;
    fl_buf_init(&b);
    /* DELTA_LENGTH_BYTE_ARRAY: a negative length, a length past the end,
     * fewer lengths than values */
    int64_t lens[3] = {2, -1, 1};
    CHECK_OK(pq_delta_int_encode(&b, lens, 3), NULL);
    CHECK_OK(fl_buf_append(&b, "abcdef", 6), NULL);
    CHECK_EQ(pq_delta_length_decode((const uint8_t *)b.data, b.len, out, 3, NULL, &err),
             FLOE_ECORRUPT);
    CHECK(mentions(&err, "DELTA_LENGTH_BYTE_ARRAY") && mentions(&err, "invalid length -1"));
    fl_buf_reset(&b);
    lens[1] = 4;
    CHECK_OK(pq_delta_int_encode(&b, lens, 3), NULL);
    size_t hdr = b.len;
    CHECK_OK(fl_buf_append(&b, "abcdef", 6), NULL);
    CHECK_EQ(pq_delta_length_decode((const uint8_t *)b.data, b.len, out, 3, NULL, &err),
             FLOE_ECORRUPT);
    CHECK(mentions(&err, "exceeds the 0 bytes remaining"));
    size_t used = 0;
    CHECK_OK(pq_delta_length_decode((const uint8_t *)b.data, b.len, out, 2, &used, &err), &err);
    CHECK_EQ(used, hdr + 6);
    CHECK_EQ(pq_delta_length_decode((const uint8_t *)b.data, b.len, out, 4, NULL, &err),
             FLOE_ECORRUPT);
    CHECK(mentions(&err, "3 lengths for 4 values"));
    CHECK_EQ(pq_delta_length_decode((const uint8_t *)b.data, 0, out, 1, NULL, &err),
             FLOE_ECORRUPT);
    CHECK(mentions(&err, "DELTA_LENGTH_BYTE_ARRAY lengths: DELTA_BINARY_PACKED"));

    /* DELTA_BYTE_ARRAY: a prefix longer than the previous value */
    fl_arena *arena = fl_arena_new(0);
    int64_t prefixes[3] = {0, 2, 3};
    fl_strv suffixes[3] = {fl_strv_cstr("ab"), fl_strv_cstr("c"), fl_strv_cstr("d")};
    fl_buf_reset(&b);
    CHECK_OK(pq_delta_int_encode(&b, prefixes, 3), NULL);
    CHECK_OK(pq_delta_length_encode(&b, suffixes, 3), NULL);
    CHECK_OK(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len, out, 3, arena, &err),
             &err);
    CHECK(fl_strv_eq(out[2], fl_strv_cstr("abcd")));
    fl_buf_reset(&b);
    prefixes[1] = 3;
    CHECK_OK(pq_delta_int_encode(&b, prefixes, 3), NULL);
    CHECK_OK(pq_delta_length_encode(&b, suffixes, 3), NULL);
    CHECK_EQ(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len, out, 3, arena, &err),
             FLOE_ECORRUPT);
    CHECK(mentions(&err, "DELTA_BYTE_ARRAY value 1 has prefix length 3"));
    fl_buf_reset(&b);
    prefixes[1] = -5;
    CHECK_OK(pq_delta_int_encode(&b, prefixes, 3), NULL);
    CHECK_OK(pq_delta_length_encode(&b, suffixes, 3), NULL);
    CHECK_EQ(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len, out, 3, arena, &err),
             FLOE_ECORRUPT);
    /* suffix data cut short */
    fl_buf_reset(&b);
    prefixes[1] = 1;
    CHECK_OK(pq_delta_int_encode(&b, prefixes, 3), NULL);
    CHECK_OK(pq_delta_length_encode(&b, suffixes, 3), NULL);
    CHECK_EQ(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len - 1, out, 3, arena, &err),
             FLOE_ECORRUPT);
    CHECK(mentions(&err, "DELTA_BYTE_ARRAY suffixes: "));

    /* PLAIN: a negative length and a length past the end */
    static const uint8_t neg[] = {0xff, 0xff, 0xff, 0xff, 'a'};
    CHECK_EQ(pq_plain_bytes_decode(neg, sizeof neg, out, 1, NULL, &err), FLOE_ECORRUPT);
    CHECK(mentions(&err, "PLAIN") && mentions(&err, "negative length"));
    static const uint8_t past[] = {0x02, 0x00, 0x00, 0x00, 'a'};
    CHECK_EQ(pq_plain_bytes_decode(past, sizeof past, out, 1, NULL, &err), FLOE_ECORRUPT);
    CHECK_EQ(pq_plain_bytes_decode(past, 3, out, 1, NULL, &err), FLOE_ECORRUPT);
    fl_arena_free(arena);
    fl_buf_dispose(&b);
}

/* DELTA_BYTE_ARRAY whose values would rebuild to far more than the page:
 * one 4000-byte value, then 2^19 - 1 values each sharing all of it (2 GB). */
TEST(pq_delta_byte_array_expansion_is_capped)
{
    fl_buf b;
    fl_buf_init(&b);
    size_t count = (size_t)1 << 19;
    int64_t *prefix = malloc(count * sizeof *prefix);
    fl_strv *suffix = malloc(count * sizeof *suffix), *out = malloc(count * sizeof *out);
    static char big[4000];
    memset(big, 'x', sizeof big);
    prefix[0] = 0;
    suffix[0] = fl_strv_make(big, sizeof big);
    for (size_t i = 1; i < count; i++) {
        prefix[i] = (int64_t)sizeof big;
        suffix[i] = fl_strv_make("", 0);
    }
    CHECK_OK(pq_delta_int_encode(&b, prefix, count), NULL);
    CHECK_OK(pq_delta_length_encode(&b, suffix, count), NULL);
    CHECK(b.len < 100000);
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    CHECK_EQ(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len, out, count, arena, &err),
             FLOE_ELIMIT);
    CHECK(mentions(&err, "DELTA_BYTE_ARRAY"));
    CHECK(fl_arena_used(arena) == 0);
    /* the first 4096 values (16 MB) are fine */
    CHECK_OK(pq_delta_byte_array_decode((const uint8_t *)b.data, b.len, out, 4096, arena, &err),
             &err);
    CHECK(fl_strv_eq(out[4095], fl_strv_make(big, sizeof big)));
    fl_arena_free(arena);
    free(prefix);
    free(suffix);
    free(out);
    fl_buf_dispose(&b);
}

TEST(pq_encoding_out_of_memory)
{
    fl_strv vals[300];
    char store[300 * 8];
    for (int i = 0; i < 300; i++) {
        int n = snprintf(store + i * 8, 8, "v%05d", i * 7);
        vals[i] = fl_strv_make(store + i * 8, (size_t)n);
    }
    fl_buf enc;
    fl_buf_init(&enc);
    CHECK_OK(pq_delta_byte_array_encode(&enc, vals, 300), NULL);
    fl_strv out[300];
    int ok_seen = 0;
    for (long n = 0; n < 12; n++) {
        fl_arena *arena = fl_arena_new(0);
        fl_error err;
        fl_alloc_fail_after(n);
        int rc = pq_delta_byte_array_decode((const uint8_t *)enc.data, enc.len, out, 300, arena,
                                            &err);
        fl_buf b;
        fl_buf_init(&b);
        int rc2 = pq_delta_byte_array_encode(&b, vals, 300);
        int rc3 = pq_delta_length_decode((const uint8_t *)enc.data, enc.len, out, 300, NULL, &err);
        fl_alloc_fail_after(-1);
        CHECK(rc == 0 || rc == FLOE_ENOMEM);
        CHECK(rc2 == 0 || rc2 == FLOE_ENOMEM);
        CHECK(rc3 == 0 || rc3 == FLOE_ENOMEM);
        if (rc == 0) {
            ok_seen++;
            CHECK(fl_strv_eq(out[299], vals[299]));
        }
        fl_buf_dispose(&b);
        fl_arena_free(arena);
    }
    CHECK(ok_seen > 0);
    fl_buf_dispose(&enc);
}

/* Empty input may come as (NULL, 0), with NULL outputs for count 0. */
TEST(pq_encoding_null_empty_input)
{
    fl_error err;
    size_t used = 7, total = 7;
    fl_arena *arena = fl_arena_new(0);
    CHECK_OK(pq_rle_decode(NULL, 0, 3, NULL, 0, &err), &err);
    CHECK_OK(pq_rle_decode_u8(NULL, 0, 0, NULL, 0, &err), &err);
    CHECK_OK(pq_bitpacked_legacy_decode(NULL, 0, 0, NULL, 0, &err), &err);
    CHECK_OK(pq_bitpacked_legacy_decode(NULL, 0, 2, NULL, 0, &err), &err);
    CHECK_OK(pq_plain_bool_decode(NULL, 0, NULL, 0, &used, &err), &err);
    CHECK_EQ(used, 0);
    used = 7;
    CHECK_OK(pq_plain_bytes_decode(NULL, 0, NULL, 0, &used, &err), &err);
    CHECK_EQ(used, 0);
    CHECK_OK(pq_bss_decode(NULL, 0, 4, NULL, 0, &err), &err);
    CHECK_OK(pq_delta_length_decode(NULL, 0, NULL, 0, &used, &err), &err);
    CHECK_OK(pq_delta_byte_array_decode(NULL, 0, NULL, 0, arena, &err), &err);
    CHECK_OK(pq_delta_int_decode(NULL, 0, NULL, 0, &total, &used, &err), &err);
    CHECK_EQ(total, 0);
    int64_t one;
    CHECK_EQ(pq_delta_int_decode(NULL, 0, &one, 1, &total, &used, &err), FLOE_ECORRUPT);
    uint8_t u8[1];
    CHECK_EQ(pq_rle_decode_u8(NULL, 0, 1, u8, 1, &err), FLOE_ECORRUPT);
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_rle_encode(&b, NULL, 0, 5), NULL);
    CHECK_OK(pq_plain_bool_encode(&b, NULL, 0), NULL);
    CHECK_OK(pq_plain_bytes_encode(&b, NULL, 0), NULL);
    CHECK_OK(pq_bss_encode(&b, NULL, 4, 0), NULL);
    CHECK_EQ(b.len, 0);
    fl_buf_dispose(&b);
    fl_arena_free(arena);
}

/* ---- sweeps: truncation at every length, byte flips at every position ---- */

typedef enum { K_RLE, K_RLE8, K_LEGACY, K_BOOL, K_PLAIN_BYTES, K_DELTA, K_DLBA, K_DBA, K_BSS } kind;

/* Decodes an exact copy of p[0..len) as `k`; returns the status. */
static int decode_kind(kind k, const uint8_t *p, size_t len, size_t count, int w, fl_error *err)
{
    uint8_t *c = te_copy(p, len);
    size_t n = count ? count : 1, used = 0, total = 0;
    void *out = malloc(n * 16 + 16);
    fl_arena *arena = k == K_DBA ? fl_arena_new(0) : NULL;
    int rc = FLOE_EINTERNAL;
    switch (k) {
    case K_RLE: rc = pq_rle_decode(c, len, w, out, count, err); break;
    case K_RLE8: rc = pq_rle_decode_u8(c, len, w, out, count, err); break;
    case K_LEGACY: rc = pq_bitpacked_legacy_decode(c, len, w, out, count, err); break;
    case K_BOOL: rc = pq_plain_bool_decode(c, len, out, count, &used, err); break;
    case K_PLAIN_BYTES: rc = pq_plain_bytes_decode(c, len, out, count, &used, err); break;
    case K_DELTA: rc = pq_delta_int_decode(c, len, out, count, &total, &used, err); break;
    case K_DLBA: rc = pq_delta_length_decode(c, len, out, count, &used, err); break;
    case K_DBA: rc = pq_delta_byte_array_decode(c, len, out, count, arena, err); break;
    case K_BSS: rc = pq_bss_decode(c, len, (size_t)w, out, count, err); break;
    }
    if (rc == 0 && used > len) rc = FLOE_EINTERNAL;
    fl_arena_free(arena);
    free(out);
    free(c);
    return rc;
}

static const char *const kind_names[] = {"RLE", "RLE", "BIT_PACKED", "PLAIN", "PLAIN",
                                         "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY",
                                         "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT"};

/* Every decoder needs all of its bytes, so truncation must be an error;
 * flipped bytes may decode (to other values) but must not crash, and any
 * error is FLOE_ECORRUPT naming the encoding (or the rebuild cap). */
static int sweep(kind k, const uint8_t *enc, size_t len, size_t count, int w, te_rng *r)
{
    int bad = 0;
    fl_error err;
    for (size_t cut = 0; cut < len && bad < 3; cut++) {
        int rc = decode_kind(k, enc, cut, count, w, &err);
        if (rc != FLOE_ECORRUPT || !strstr(err.message, kind_names[k])) {
            fprintf(stderr, "    kind %d truncated at %zu of %zu: rc %d \"%s\"\n", k, cut, len,
                    rc, rc ? err.message : "");
            bad++;
        }
    }
    uint8_t *mut = malloc(len ? len : 1);
    for (size_t pos = 0; pos < len && bad < 3; pos++) {
        static const uint8_t flips[] = {0x01, 0x80, 0xff, 0x40};
        for (size_t f = 0; f <= FL_ARRAY_SIZE(flips); f++) {
            memcpy(mut, enc, len);
            mut[pos] ^= f < FL_ARRAY_SIZE(flips) ? flips[f] : (uint8_t)(1 | te_next(r));
            int rc = decode_kind(k, mut, len, count, w, &err);
            int ok = rc == 0 || ((rc == FLOE_ECORRUPT || rc == FLOE_ELIMIT) && err.message[0] &&
                                 strstr(err.message, kind_names[k]));
            if (!ok) {
                fprintf(stderr, "    kind %d flip at %zu: rc %d \"%s\"\n", k, pos, rc,
                        err.message);
                bad++;
            }
        }
    }
    free(mut);
    return bad;
}

TEST(pq_encoding_truncation_and_flip_sweeps)
{
    te_rng r = {2024};
    fl_buf b;
    fl_buf_init(&b);
    static const size_t counts[] = {1, 9, 300};
    for (size_t ci = 0; ci < FL_ARRAY_SIZE(counts); ci++) {
        size_t count = counts[ci];
        uint32_t v32[300];
        uint8_t v8[300 * 8];
        int64_t v64[300];
        fl_strv sv[300];
        char store[300 * 12];
        for (int w = 1; w <= 32; w += (w < 8 ? 1 : 7)) {
            for (size_t i = 0; i < count; i++)   /* runs and noise */
                v32[i] = (i / 40) % 2 ? 1 : (uint32_t)te_bits(&r, w);
            fl_buf_reset(&b);
            CHECK_OK(pq_rle_encode(&b, v32, count, w), NULL);
            CHECK_EQ(sweep(K_RLE, (uint8_t *)b.data, b.len, count, w, &r), 0);
            if (w <= 8) {
                for (size_t i = 0; i < count; i++) v8[i] = (uint8_t)v32[i];
                CHECK_EQ(sweep(K_RLE8, (uint8_t *)b.data, b.len, count, w, &r), 0);
                size_t nbytes = (count * (size_t)w + 7) / 8;
                for (size_t i = 0; i < nbytes; i++) v8[i] = (uint8_t)te_next(&r);
                CHECK_EQ(sweep(K_LEGACY, v8, nbytes, count, w, &r), 0);
            }
        }
        for (size_t i = 0; i < count; i++) v8[i] = (uint8_t)(te_next(&r) & 1);
        fl_buf_reset(&b);
        CHECK_OK(pq_plain_bool_encode(&b, v8, count), NULL);
        CHECK_EQ(sweep(K_BOOL, (uint8_t *)b.data, b.len, count, 0, &r), 0);

        for (size_t i = 0; i < count; i++)
            v64[i] = i % 50 == 7 ? INT64_MIN : (int64_t)(i * 1000) + (int64_t)te_bits(&r, 9);
        fl_buf_reset(&b);
        CHECK_OK(pq_delta_int_encode(&b, v64, count), NULL);
        CHECK_EQ(sweep(K_DELTA, (uint8_t *)b.data, b.len, count, 0, &r), 0);

        for (size_t i = 0; i < count; i++) {
            char *s = store + i * 12;
            size_t n = 1 + te_next(&r) % 11;
            for (size_t k = 0; k < n; k++) s[k] = (char)('a' + (i / 3 + k) % 4);
            sv[i] = fl_strv_make(s, n);
        }
        fl_buf_reset(&b);
        CHECK_OK(pq_plain_bytes_encode(&b, sv, count), NULL);
        CHECK_EQ(sweep(K_PLAIN_BYTES, (uint8_t *)b.data, b.len, count, 0, &r), 0);
        fl_buf_reset(&b);
        CHECK_OK(pq_delta_length_encode(&b, sv, count), NULL);
        CHECK_EQ(sweep(K_DLBA, (uint8_t *)b.data, b.len, count, 0, &r), 0);
        fl_buf_reset(&b);
        CHECK_OK(pq_delta_byte_array_encode(&b, sv, count), NULL);
        CHECK_EQ(sweep(K_DBA, (uint8_t *)b.data, b.len, count, 0, &r), 0);

        for (size_t i = 0; i < count * 8; i++) v8[i] = (uint8_t)te_next(&r);
        CHECK_EQ(sweep(K_BSS, v8, count * 8, count, 8, &r), 0);
        CHECK_EQ(sweep(K_BSS, v8, count * 3, count, 3, &r), 0);
    }
    fl_buf_dispose(&b);
}

/* Random garbage of every small length into every decoder. */
TEST(pq_encoding_random_garbage)
{
    te_rng r = {77};
    uint8_t buf[256];
    fl_error err;
    int bad = 0;
    for (int iter = 0; iter < 4000 && bad < 3; iter++) {
        size_t len = te_next(&r) % sizeof buf;
        for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)te_next(&r);
        if (iter % 2 && len > 4) {   /* a plausible delta header up front */
            buf[0] = 0x80;
            buf[1] = 0x01;
            buf[2] = 0x04;
            buf[3] &= 0x7f;
        }
        size_t count = te_next(&r) % 200;
        int w = (int)(te_next(&r) % 34);
        for (int k = K_RLE; k <= K_BSS; k++) {
            int kw = k == K_RLE8 || k == K_LEGACY ? w % 9 : k == K_BSS ? 1 + w % 9 : w;
            int rc = decode_kind((kind)k, buf, len, count, kw, &err);
            if (rc != 0 && rc != FLOE_ECORRUPT && rc != FLOE_ELIMIT) {
                fprintf(stderr, "    kind %d len %zu: rc %d %s\n", k, len, rc, err.message);
                bad++;
            }
        }
    }
    CHECK_EQ(bad, 0);
}
