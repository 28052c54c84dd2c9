/*
 * pq_delta.c: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY and
 * DELTA_BYTE_ARRAY (Encodings.md).
 *
 * DELTA_BINARY_PACKED: a header <block size> <miniblocks per block> <total
 * count> <zigzag first value>, then blocks of <zigzag min delta> <one bit
 * width byte per miniblock> <miniblocks>, each miniblock holding
 * block_size / miniblocks deltas (minus the min delta) bit-packed LSB first.
 * All arithmetic is done in uint64_t so that wrapped deltas restore the
 * original values (the spec requires 2's complement wrap-around).
 *
 * The decoder fuses unpacking, adding the min delta and the prefix sum into
 * one pass per group of 8 values, specialised per bit width by a switch
 * with literal widths (see pq_bitpack.c). Values past `count` are skipped by
 * walking block headers only, so *consumed is exact without decoding them.
 * Every miniblock that holds a needed value must be fully present (writers
 * pad the last one); bit widths of unneeded miniblocks in the last block are
 * ignored, as the spec asks.
 *
 * DELTA_LENGTH_BYTE_ARRAY is a DELTA_BINARY_PACKED block of lengths followed
 * by the concatenated bytes; DELTA_BYTE_ARRAY is a block of prefix lengths
 * followed by the suffixes as DELTA_LENGTH_BYTE_ARRAY, rebuilt into one arena
 * allocation capped at PQ_DELTA_BYTES_MAX.
 */
#include "pq_encoding.h"
#include "pq_bitpack.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "../../base/alloc.h"

/* The most bytes DELTA_BYTE_ARRAY may rebuild from one page. */
#define PQ_DELTA_BYTES_MAX ((uint64_t)1 << 30)

#define DELTA_BLOCK 128
#define DELTA_MINIBLOCKS 4
#define DELTA_MB_VALUES (DELTA_BLOCK / DELTA_MINIBLOCKS)

/* ---- DELTA_BINARY_PACKED decoding ---- */

static PQ_ALWAYS_INLINE void delta8(const uint8_t *in, int w, uint64_t min_delta,
                                    uint64_t *last, int64_t *out)
{
    uint64_t mask = pq_width_mask(w), acc = *last;
    if (w <= 8) {
        uint64_t word = fl_load_u64le(in);
        for (int i = 0; i < 8; i++) {
            acc += min_delta + ((word >> (i * w)) & mask);
            out[i] = (int64_t)acc;
        }
    } else {
        for (int i = 0; i < 8; i++) {
            acc += min_delta + pq_unpack_extract(in, (unsigned)(i * w), w, mask);
            out[i] = (int64_t)acc;
        }
    }
    *last = acc;
}

/* n values of width w (1..64) from the miniblock at `in`, whose
 * ceil(n / 8) groups lie inside [in, end). */
static PQ_ALWAYS_INLINE void delta_w(const uint8_t *in, const uint8_t *end, int w, size_t n,
                                     uint64_t min_delta, uint64_t *last, int64_t *out)
{
    size_t groups = n / 8, rest = n % 8;
    size_t fast = pq_fast_groups(in, end, w, groups);
    size_t g = 0;
    for (; g < fast; g++, in += w, out += 8) delta8(in, w, min_delta, last, out);
    for (; g < groups; g++, in += w, out += 8) {
        uint8_t tmp[64 + PQ_UNPACK_SLACK] = {0};
        memcpy(tmp, in, (size_t)w);
        delta8(tmp, w, min_delta, last, out);
    }
    if (rest) {
        uint8_t tmp[64 + PQ_UNPACK_SLACK] = {0};
        int64_t vals[8];
        uint64_t acc = *last;
        memcpy(tmp, in, (size_t)w);
        delta8(tmp, w, min_delta, &acc, vals);
        memcpy(out, vals, rest * sizeof *vals);
        *last = (uint64_t)vals[rest - 1];
    }
}

static void delta_unpack(const uint8_t *in, const uint8_t *end, int w, size_t n,
                         uint64_t min_delta, uint64_t *last, int64_t *out)
{
    switch (w) {
    case 0: {
        uint64_t acc = *last;
        for (size_t i = 0; i < n; i++) {
            acc += min_delta;
            out[i] = (int64_t)acc;
        }
        *last = acc;
        break;
    }
    case 1: delta_w(in, end, 1, n, min_delta, last, out); break;
    case 2: delta_w(in, end, 2, n, min_delta, last, out); break;
    case 3: delta_w(in, end, 3, n, min_delta, last, out); break;
    case 4: delta_w(in, end, 4, n, min_delta, last, out); break;
    case 5: delta_w(in, end, 5, n, min_delta, last, out); break;
    case 6: delta_w(in, end, 6, n, min_delta, last, out); break;
    case 7: delta_w(in, end, 7, n, min_delta, last, out); break;
    case 8: delta_w(in, end, 8, n, min_delta, last, out); break;
    case 9: delta_w(in, end, 9, n, min_delta, last, out); break;
    case 10: delta_w(in, end, 10, n, min_delta, last, out); break;
    case 11: delta_w(in, end, 11, n, min_delta, last, out); break;
    case 12: delta_w(in, end, 12, n, min_delta, last, out); break;
    case 13: delta_w(in, end, 13, n, min_delta, last, out); break;
    case 14: delta_w(in, end, 14, n, min_delta, last, out); break;
    case 15: delta_w(in, end, 15, n, min_delta, last, out); break;
    case 16: delta_w(in, end, 16, n, min_delta, last, out); break;
    case 17: delta_w(in, end, 17, n, min_delta, last, out); break;
    case 18: delta_w(in, end, 18, n, min_delta, last, out); break;
    case 19: delta_w(in, end, 19, n, min_delta, last, out); break;
    case 20: delta_w(in, end, 20, n, min_delta, last, out); break;
    case 21: delta_w(in, end, 21, n, min_delta, last, out); break;
    case 22: delta_w(in, end, 22, n, min_delta, last, out); break;
    case 23: delta_w(in, end, 23, n, min_delta, last, out); break;
    case 24: delta_w(in, end, 24, n, min_delta, last, out); break;
    case 25: delta_w(in, end, 25, n, min_delta, last, out); break;
    case 26: delta_w(in, end, 26, n, min_delta, last, out); break;
    case 27: delta_w(in, end, 27, n, min_delta, last, out); break;
    case 28: delta_w(in, end, 28, n, min_delta, last, out); break;
    case 29: delta_w(in, end, 29, n, min_delta, last, out); break;
    case 30: delta_w(in, end, 30, n, min_delta, last, out); break;
    case 31: delta_w(in, end, 31, n, min_delta, last, out); break;
    case 32: delta_w(in, end, 32, n, min_delta, last, out); break;
    case 33: delta_w(in, end, 33, n, min_delta, last, out); break;
    case 34: delta_w(in, end, 34, n, min_delta, last, out); break;
    case 35: delta_w(in, end, 35, n, min_delta, last, out); break;
    case 36: delta_w(in, end, 36, n, min_delta, last, out); break;
    case 37: delta_w(in, end, 37, n, min_delta, last, out); break;
    case 38: delta_w(in, end, 38, n, min_delta, last, out); break;
    case 39: delta_w(in, end, 39, n, min_delta, last, out); break;
    case 40: delta_w(in, end, 40, n, min_delta, last, out); break;
    case 41: delta_w(in, end, 41, n, min_delta, last, out); break;
    case 42: delta_w(in, end, 42, n, min_delta, last, out); break;
    case 43: delta_w(in, end, 43, n, min_delta, last, out); break;
    case 44: delta_w(in, end, 44, n, min_delta, last, out); break;
    case 45: delta_w(in, end, 45, n, min_delta, last, out); break;
    case 46: delta_w(in, end, 46, n, min_delta, last, out); break;
    case 47: delta_w(in, end, 47, n, min_delta, last, out); break;
    case 48: delta_w(in, end, 48, n, min_delta, last, out); break;
    case 49: delta_w(in, end, 49, n, min_delta, last, out); break;
    case 50: delta_w(in, end, 50, n, min_delta, last, out); break;
    case 51: delta_w(in, end, 51, n, min_delta, last, out); break;
    case 52: delta_w(in, end, 52, n, min_delta, last, out); break;
    case 53: delta_w(in, end, 53, n, min_delta, last, out); break;
    case 54: delta_w(in, end, 54, n, min_delta, last, out); break;
    case 55: delta_w(in, end, 55, n, min_delta, last, out); break;
    case 56: delta_w(in, end, 56, n, min_delta, last, out); break;
    case 57: delta_w(in, end, 57, n, min_delta, last, out); break;
    case 58: delta_w(in, end, 58, n, min_delta, last, out); break;
    case 59: delta_w(in, end, 59, n, min_delta, last, out); break;
    case 60: delta_w(in, end, 60, n, min_delta, last, out); break;
    case 61: delta_w(in, end, 61, n, min_delta, last, out); break;
    case 62: delta_w(in, end, 62, n, min_delta, last, out); break;
    case 63: delta_w(in, end, 63, n, min_delta, last, out); break;
    case 64: delta_w(in, end, 64, n, min_delta, last, out); break;
    default: FL_ASSERT(0 && "delta bit width checked by the caller"); break;
    }
}

static int delta_varint(const uint8_t **pp, const uint8_t *end, const uint8_t *start,
                        uint64_t *out, const char *what, fl_error *err)
{
    size_t n = pq_uleb(*pp, end, out);
    if (n == 0)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "DELTA_BINARY_PACKED %s at byte %zu is a %s varint", what,
                            (size_t)(*pp - start), *pp >= end ? "missing" : "truncated or overlong");
    *pp += n;
    return 0;
}

int pq_delta_int_decode(const uint8_t *p, size_t len, int64_t *out, size_t count,
                        size_t *total, size_t *consumed, fl_error *err)
{
    p = pq_nonnull(p);
    if (count == 0 && len == 0) {   /* an empty page may omit even the header */
        if (total) *total = 0;
        if (consumed) *consumed = 0;
        return 0;
    }
    const uint8_t *start = p, *end = p + len;
    uint64_t block_size = 0, mb_count = 0, total_count = 0, first_zz = 0;
    FL_TRY(delta_varint(&p, end, start, &block_size, "block size", err));
    FL_TRY(delta_varint(&p, end, start, &mb_count, "miniblock count", err));
    FL_TRY(delta_varint(&p, end, start, &total_count, "value count", err));
    FL_TRY(delta_varint(&p, end, start, &first_zz, "first value", err));
    if (block_size == 0 || block_size % 128 != 0 || mb_count == 0 || block_size % mb_count != 0 ||
        (block_size / mb_count) % 32 != 0)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "DELTA_BINARY_PACKED block size %" PRIu64 " with %" PRIu64
                            " miniblocks is invalid (need a multiple of 128 split into "
                            "miniblocks of a multiple of 32 values)", block_size, mb_count);
    uint64_t vpm = block_size / mb_count;
    if (total) *total = total_count > SIZE_MAX ? SIZE_MAX : (size_t)total_count;

    size_t nout = total_count < count ? (size_t)total_count : count, written = 0;
    uint64_t last = (uint64_t)fl_zigzag_decode(first_zz);
    if (nout > 0) out[written++] = (int64_t)last;
    uint64_t remaining = total_count ? total_count - 1 : 0;

    while (remaining > 0) {
        uint64_t min_zz = 0;
        size_t block_at = (size_t)(p - start);
        FL_TRY(delta_varint(&p, end, start, &min_zz, "block min delta", err));
        uint64_t min_delta = (uint64_t)fl_zigzag_decode(min_zz);
        if (mb_count > (uint64_t)(end - p))
            return fl_error_set(err, FLOE_ECORRUPT,
                                "DELTA_BINARY_PACKED block at byte %zu: %" PRIu64 " miniblock bit "
                                "widths run past the end of the data", block_at, mb_count);
        const uint8_t *widths = p;
        p += mb_count;
        for (uint64_t m = 0; m < mb_count && remaining > 0; m++) {
            int w = widths[m];
            if (w > 64)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "DELTA_BINARY_PACKED block at byte %zu: miniblock %" PRIu64
                                    " has bit width %d, more than 64", block_at, m, w);
            size_t avail = (size_t)(end - p);
            if (w > 0 && vpm / 8 > avail / (size_t)w)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "DELTA_BINARY_PACKED miniblock at byte %zu of %" PRIu64
                                    " values of width %d runs past the end of the data (%zu "
                                    "bytes remain)", (size_t)(p - start), vpm, w, avail);
            size_t mb_bytes = (size_t)(vpm / 8) * (size_t)w;
            uint64_t take = vpm < remaining ? vpm : remaining;
            size_t want = nout - written;
            size_t n = take < want ? (size_t)take : want;
            if (n > 0) {
                delta_unpack(p, end, w, n, min_delta, &last, out + written);
                written += n;
            }
            p += mb_bytes;
            remaining -= take;
        }
    }
    if (consumed) *consumed = (size_t)(p - start);
    return 0;
}

/* ---- DELTA_BINARY_PACKED encoding ---- */

static int put_varint(fl_buf *out, uint64_t v)
{
    uint8_t tmp[10];
    return fl_buf_append(out, tmp, fl_varint_encode(tmp, v));
}

/* Encodes one block of n (1..DELTA_BLOCK) raw deltas. With narrow, the
 * deltas are INT32 differences taken modulo 2^32: the min delta and the
 * relative deltas are computed in 32 bits too, so no miniblock is wider
 * than 32 bits (the spec forbids wider for INT32), and a reader that adds
 * in 64 bits still gets the right values modulo 2^32. */
static int delta_encode_block(fl_buf *out, uint64_t *deltas, size_t n, bool narrow)
{
    int64_t min_delta = INT64_MAX;
    if (narrow) {
        int32_t min32 = INT32_MAX;
        for (size_t k = 0; k < n; k++)
            if ((int32_t)(uint32_t)deltas[k] < min32) min32 = (int32_t)(uint32_t)deltas[k];
        for (size_t k = 0; k < n; k++) deltas[k] = (uint32_t)((uint32_t)deltas[k] - (uint32_t)min32);
        min_delta = min32;
    } else {
        for (size_t k = 0; k < n; k++)
            if ((int64_t)deltas[k] < min_delta) min_delta = (int64_t)deltas[k];
        for (size_t k = 0; k < n; k++) deltas[k] -= (uint64_t)min_delta;
    }
    for (size_t k = n; k < DELTA_BLOCK; k++) deltas[k] = 0;

    uint8_t widths[DELTA_MINIBLOCKS];
    size_t body = 0;
    for (size_t m = 0; m < DELTA_MINIBLOCKS; m++) {
        uint64_t bits = 0;
        for (size_t k = m * DELTA_MB_VALUES; k < (m + 1) * DELTA_MB_VALUES; k++) bits |= deltas[k];
        widths[m] = (uint8_t)pq_bit_width(bits);   /* padding and unused miniblocks are 0 */
        body += (size_t)widths[m] * DELTA_MB_VALUES / 8;
    }
    uint8_t head[10 + DELTA_MINIBLOCKS];
    size_t hl = fl_varint_encode(head, fl_zigzag_encode(min_delta));
    memcpy(head + hl, widths, DELTA_MINIBLOCKS);
    hl += DELTA_MINIBLOCKS;
    uint8_t *d = fl_buf_extend(out, hl + body);
    if (!d) return FLOE_ENOMEM;
    memcpy(d, head, hl);
    d += hl;
    for (size_t m = 0; m < DELTA_MINIBLOCKS; m++) {
        if (m * DELTA_MB_VALUES >= n) break;   /* unneeded miniblocks have no body */
        d += pq_pack_u64(d, deltas + m * DELTA_MB_VALUES, DELTA_MB_VALUES, widths[m]);
    }
    return 0;
}

static int delta_header(fl_buf *out, size_t count, int64_t first)
{
    FL_TRY(put_varint(out, DELTA_BLOCK));
    FL_TRY(put_varint(out, DELTA_MINIBLOCKS));
    FL_TRY(put_varint(out, count));
    return put_varint(out, fl_zigzag_encode(first));
}

int pq_delta_int_encode(fl_buf *out, const int64_t *vals, size_t count)
{
    FL_TRY(delta_header(out, count, count ? vals[0] : 0));
    uint64_t deltas[DELTA_BLOCK];
    for (size_t i = 1; i < count; i += DELTA_BLOCK) {
        size_t n = count - i < DELTA_BLOCK ? count - i : DELTA_BLOCK;
        for (size_t k = 0; k < n; k++) deltas[k] = (uint64_t)vals[i + k] - (uint64_t)vals[i + k - 1];
        FL_TRY(delta_encode_block(out, deltas, n, false));
    }
    return 0;
}

int pq_delta_int32_encode(fl_buf *out, const int32_t *vals, size_t count)
{
    FL_TRY(delta_header(out, count, count ? vals[0] : 0));
    uint64_t deltas[DELTA_BLOCK];
    for (size_t i = 1; i < count; i += DELTA_BLOCK) {
        size_t n = count - i < DELTA_BLOCK ? count - i : DELTA_BLOCK;
        for (size_t k = 0; k < n; k++) deltas[k] = (uint32_t)vals[i + k] - (uint32_t)vals[i + k - 1];
        FL_TRY(delta_encode_block(out, deltas, n, true));
    }
    return 0;
}

/* ---- DELTA_LENGTH_BYTE_ARRAY ---- */

/* Decodes `count` lengths from the DELTA_BINARY_PACKED block at p into a new
 * fl_malloc'd array (*lens_out, caller frees); *used receives the block's bytes. */
static int decode_lengths(const uint8_t *p, size_t len, size_t count, int64_t **lens_out,
                          size_t *used, const char *what, fl_error *err)
{
    *lens_out = NULL;
    if (count > SIZE_MAX / sizeof(int64_t))
        return fl_error_set(err, FLOE_ELIMIT, "%s: %zu values are too many", what, count);
    int64_t *lens = fl_malloc((count ? count : 1) * sizeof *lens);
    if (!lens) return fl_error_set(err, FLOE_ENOMEM, "%s: out of memory for %zu lengths", what,
                                   count);
    size_t total = 0;
    int rc = pq_delta_int_decode(p, len, lens, count, &total, used, err);
    if (rc < 0) {
        fl_error_prefix(err, "%s: ", what);
    } else if (total < count) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "%s: %zu lengths for %zu values", what, total,
                          count);
    }
    if (rc < 0) {
        fl_free(lens);
        return rc;
    }
    *lens_out = lens;
    return 0;
}

int pq_delta_length_decode(const uint8_t *p, size_t len, fl_strv *out, size_t count,
                           size_t *consumed, fl_error *err)
{
    p = pq_nonnull(p);
    if (count == 0 && len == 0) {   /* an empty page may omit even the header */
        if (consumed) *consumed = 0;
        return 0;
    }
    int64_t *lens;
    size_t pos;
    FL_TRY(decode_lengths(p, len, count, &lens, &pos, "DELTA_LENGTH_BYTE_ARRAY lengths", err));
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        int64_t n = lens[i];
        if (n < 0 || n > INT32_MAX) {
            rc = fl_error_set(err, FLOE_ECORRUPT,
                              "DELTA_LENGTH_BYTE_ARRAY value %zu has invalid length %" PRId64, i,
                              n);
            break;
        }
        if ((uint64_t)n > len - pos) {
            rc = fl_error_set(err, FLOE_ECORRUPT,
                              "DELTA_LENGTH_BYTE_ARRAY value %zu of length %" PRId64
                              " exceeds the %zu bytes remaining", i, n, len - pos);
            break;
        }
        out[i].ptr = (const char *)p + pos;
        out[i].len = (uint32_t)n;
        pos += (size_t)n;
    }
    fl_free(lens);
    if (rc == 0 && consumed) *consumed = pos;
    return rc;
}

int pq_delta_length_encode(fl_buf *out, const fl_strv *vals, size_t count)
{
    int64_t *lens = fl_malloc((count ? count : 1) * sizeof *lens);
    if (!lens) return FLOE_ENOMEM;
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        lens[i] = vals[i].len;
        total += vals[i].len;
    }
    int rc = pq_delta_int_encode(out, lens, count);
    fl_free(lens);
    if (rc < 0) return rc;
    uint8_t *d = fl_buf_extend(out, total);
    if (!d) return FLOE_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        if (vals[i].len) memcpy(d, vals[i].ptr, vals[i].len);
        d += vals[i].len;
    }
    return 0;
}

/* ---- DELTA_BYTE_ARRAY ---- */

int pq_delta_byte_array_decode(const uint8_t *p, size_t len, fl_strv *out, size_t count,
                               fl_arena *arena, fl_error *err)
{
    p = pq_nonnull(p);
    if (count == 0 && len == 0) return 0;
    int64_t *prefix;
    size_t used;
    FL_TRY(decode_lengths(p, len, count, &prefix, &used, "DELTA_BYTE_ARRAY prefix lengths", err));
    int rc = pq_delta_length_decode(p + used, len - used, out, count, NULL, err);
    if (rc < 0) {
        fl_error_prefix(err, "DELTA_BYTE_ARRAY suffixes: ");
        goto done;
    }
    /* pass 1: validate prefix lengths and size the rebuilt values */
    uint64_t prev_len = 0, sum = 0;
    for (size_t i = 0; i < count; i++) {
        int64_t pl = prefix[i];
        if (pl < 0 || (uint64_t)pl > prev_len) {
            rc = fl_error_set(err, FLOE_ECORRUPT,
                              "DELTA_BYTE_ARRAY value %zu has prefix length %" PRId64
                              " but the previous value has %" PRIu64 " bytes", i, pl, prev_len);
            goto done;
        }
        uint64_t vlen = (uint64_t)pl + out[i].len;
        sum += vlen;
        if (vlen > INT32_MAX || sum > PQ_DELTA_BYTES_MAX) {
            rc = fl_error_set(err, FLOE_ELIMIT,
                              "DELTA_BYTE_ARRAY values rebuild to more than %" PRIu64 " bytes",
                              vlen > INT32_MAX ? (uint64_t)INT32_MAX : PQ_DELTA_BYTES_MAX);
            goto done;
        }
        prev_len = vlen;
    }
    /* pass 2: rebuild into one arena block */
    char *dst = fl_arena_alloc(arena, sum ? (size_t)sum : 1);
    if (!dst) {
        rc = fl_error_set(err, FLOE_ENOMEM, "DELTA_BYTE_ARRAY: out of memory for %" PRIu64
                          " bytes", sum);
        goto done;
    }
    const char *prev = dst;
    for (size_t i = 0; i < count; i++) {
        size_t pl = (size_t)prefix[i];
        fl_strv suffix = out[i];
        if (pl) memcpy(dst, prev, pl);
        if (suffix.len) memcpy(dst + pl, suffix.ptr, suffix.len);
        out[i].ptr = dst;
        out[i].len = (uint32_t)(pl + suffix.len);
        prev = dst;
        dst += out[i].len;
    }
done:
    fl_free(prefix);
    return rc;
}

int pq_delta_byte_array_encode(fl_buf *out, const fl_strv *vals, size_t count)
{
    int64_t *prefix = fl_malloc((count ? count : 1) * sizeof *prefix);
    fl_strv *suffix = fl_malloc((count ? count : 1) * sizeof *suffix);
    int rc = FLOE_ENOMEM;
    if (!prefix || !suffix) goto done;
    for (size_t i = 0; i < count; i++) {
        uint32_t pl = 0;
        if (i > 0) {
            uint32_t maxp = vals[i - 1].len < vals[i].len ? vals[i - 1].len : vals[i].len;
            while (pl < maxp && vals[i - 1].ptr[pl] == vals[i].ptr[pl]) pl++;
        }
        prefix[i] = pl;
        suffix[i] = fl_strv_make(vals[i].ptr + pl, vals[i].len - pl);
    }
    if ((rc = pq_delta_int_encode(out, prefix, count)) < 0) goto done;
    rc = pq_delta_length_encode(out, suffix, count);
done:
    fl_free(prefix);
    fl_free(suffix);
    return rc;
}
