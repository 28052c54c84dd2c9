/*
 * fuzz_pq_encoding.c: libFuzzer target for the Parquet value and level
 * decoders (src/format/parquet/pq_encoding.h).
 *
 * Input layout: byte 0 is the bit width (RLE: 0..33, so 33 exercises the
 * rejection; BIT_PACKED and u8 RLE use it modulo 9; BYTE_STREAM_SPLIT uses
 * 1 + it modulo 16 as the value width), bytes 1-2 the little-endian value
 * count (12 bits, so outputs stay small and runs fast), the rest the data,
 * which goes to every decoder. Besides "no crash, no read past len", it
 * checks that whatever decodes re-encodes to bytes that decode to the same
 * values, and that every failure is FLOE_ECORRUPT (or the DELTA_BYTE_ARRAY
 * size cap) with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/base/error.h"
#include "../src/format/parquet/pq_encoding.h"

static void check(int ok)
{
    if (!ok) abort();
}

static void check_failure(int rc, const fl_error *err)
{
    check(rc == FLOE_ECORRUPT || rc == FLOE_ELIMIT);
    check(err->message[0] != 0);
}

static void fuzz_rle(const uint8_t *p, size_t len, int w, size_t count)
{
    fl_error err;
    uint32_t *out = malloc((count + 1) * sizeof *out);
    int rc = pq_rle_decode(p, len, w, out, count, &err);
    if (rc == 0) {
        fl_buf b;
        fl_buf_init(&b);
        check(pq_rle_encode(&b, out, count, w) == 0);
        uint32_t *back = malloc((count + 1) * sizeof *back);
        check(pq_rle_decode((const uint8_t *)b.data, b.len, w, back, count, &err) == 0);
        check(count == 0 || memcmp(out, back, count * sizeof *out) == 0);
        free(back);
        fl_buf_dispose(&b);
    } else {
        check_failure(rc, &err);
    }
    if (w >= 0 && w <= 8) {
        uint8_t *o8 = malloc(count + 1);
        int rc8 = pq_rle_decode_u8(p, len, w, o8, count, &err);
        check(rc8 == rc);   /* the two variants agree */
        for (size_t i = 0; rc8 == 0 && i < count; i++) check(o8[i] == out[i]);
        free(o8);
    }
    free(out);
}

static void fuzz_levels(const uint8_t *p, size_t len, int w, size_t count)
{
    fl_error err;
    uint8_t *out = malloc(count + 1);
    int rc = pq_bitpacked_legacy_decode(p, len, w, out, count, &err);
    if (rc < 0) check_failure(rc, &err);
    size_t used = 0;
    rc = pq_plain_bool_decode(p, len, out, count, &used, &err);
    if (rc == 0) {
        check(used <= len);
        fl_buf b;
        fl_buf_init(&b);
        check(pq_plain_bool_encode(&b, out, count) == 0);
        check(b.len == used);
        uint8_t *back = malloc(count + 1);
        check(pq_plain_bool_decode((const uint8_t *)b.data, b.len, back, count, &used, &err) == 0);
        check(count == 0 || memcmp(out, back, count) == 0);
        free(back);
        fl_buf_dispose(&b);
    } else {
        check_failure(rc, &err);
    }
    free(out);
}

static void fuzz_delta(const uint8_t *p, size_t len, size_t count)
{
    fl_error err;
    int64_t *out = malloc((count + 1) * sizeof *out);
    size_t total = 0, used = 0;
    int rc = pq_delta_int_decode(p, len, out, count, &total, &used, &err);
    if (rc == 0) {
        check(used <= len);
        size_t n = total < count ? total : count;
        fl_buf b;
        fl_buf_init(&b);
        check(pq_delta_int_encode(&b, out, n) == 0);
        int64_t *back = malloc((n + 1) * sizeof *back);
        size_t total2 = 0, used2 = 0;
        check(pq_delta_int_decode((const uint8_t *)b.data, b.len, back, n, &total2, &used2,
                                  &err) == 0);
        check(total2 == n && used2 == b.len);
        check(n == 0 || memcmp(out, back, n * sizeof *out) == 0);
        /* the INT32 encoder on the values truncated to 32 bits */
        int32_t *narrow = malloc((n + 1) * sizeof *narrow);
        for (size_t i = 0; i < n; i++) narrow[i] = (int32_t)out[i];
        fl_buf_reset(&b);
        check(pq_delta_int32_encode(&b, narrow, n) == 0);
        check(pq_delta_int_decode((const uint8_t *)b.data, b.len, back, n, &total2, &used2,
                                  &err) == 0);
        for (size_t i = 0; i < n; i++) check((int32_t)back[i] == narrow[i]);
        free(narrow);
        free(back);
        fl_buf_dispose(&b);
    } else {
        check_failure(rc, &err);
    }
    free(out);
}

/* kind 0 PLAIN, 1 DELTA_LENGTH_BYTE_ARRAY, 2 DELTA_BYTE_ARRAY */
static int decode_strings(int kind, const uint8_t *p, size_t len, fl_strv *out, size_t count,
                          fl_arena *arena, fl_error *err)
{
    size_t used = 0;
    int rc;
    if (kind == 0) rc = pq_plain_bytes_decode(p, len, out, count, &used, err);
    else if (kind == 1) rc = pq_delta_length_decode(p, len, out, count, &used, err);
    else rc = pq_delta_byte_array_decode(p, len, out, count, arena, err);
    if (rc == 0) check(used <= len);
    return rc;
}

static void fuzz_strings(const uint8_t *p, size_t len, size_t count)
{
    fl_strv *out = malloc((count + 1) * sizeof *out), *back = malloc((count + 1) * sizeof *back);
    fl_arena *arena = fl_arena_new(0);
    for (int kind = 0; kind < 3; kind++) {
        fl_error err;
        int rc = decode_strings(kind, p, len, out, count, arena, &err);
        if (rc < 0) {
            check_failure(rc, &err);
            continue;
        }
        uint64_t bytes = 0;
        for (size_t i = 0; i < count; i++) bytes += out[i].len;
        if (bytes > ((uint64_t)16 << 20)) continue;   /* keep runs fast: skip the round trip */
        fl_buf b;
        fl_buf_init(&b);
        if (kind == 0) check(pq_plain_bytes_encode(&b, out, count) == 0);
        else if (kind == 1) check(pq_delta_length_encode(&b, out, count) == 0);
        else check(pq_delta_byte_array_encode(&b, out, count) == 0);
        check(decode_strings(kind, (const uint8_t *)b.data, b.len, back, count, arena, &err) == 0);
        for (size_t i = 0; i < count; i++) check(fl_strv_eq(out[i], back[i]));
        fl_buf_dispose(&b);
    }
    fl_arena_free(arena);
    free(out);
    free(back);
}

static void fuzz_bss(const uint8_t *p, size_t len, size_t width, size_t count)
{
    fl_error err;
    /* the count that fits, so the decode usually succeeds, then the header's */
    size_t counts[2] = {len / width, count};
    for (int k = 0; k < 2; k++) {
        size_t n = counts[k];
        uint8_t *out = malloc(n * width + 1);
        int rc = pq_bss_decode(p, len, width, out, n, &err);
        if (rc == 0) {
            fl_buf b;
            fl_buf_init(&b);
            check(pq_bss_encode(&b, out, width, n) == 0);
            check(b.len == len && (len == 0 || memcmp(b.data, p, len) == 0));
            fl_buf_dispose(&b);
        } else {
            check_failure(rc, &err);
        }
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    int w = data[0] % 34;
    size_t count = (size_t)data[1] | (size_t)(data[2] & 0x0f) << 8;
    const uint8_t *p = data + 3;
    size_t len = size - 3;
    fuzz_rle(p, len, w, count);
    fuzz_levels(p, len, w % 9, count);
    fuzz_delta(p, len, count);
    fuzz_strings(p, len, count);
    fuzz_bss(p, len, 1 + (size_t)(data[0] % 16), count);
    return 0;
}
