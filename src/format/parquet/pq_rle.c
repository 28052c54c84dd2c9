/*
 * pq_rle.c: the RLE/bit-packed hybrid encoding (levels, dictionary indices,
 * RLE booleans) and the deprecated BIT_PACKED level encoding.
 *
 * Grammar (Encodings.md): a sequence of runs, each starting with a ULEB128
 * header. An odd header is a bit-packed run of (header >> 1) groups of 8
 * values, packed LSB first, taking (header >> 1) * bit_width bytes; an even
 * header is an RLE run of (header >> 1) copies of one value stored in
 * ceil(bit_width / 8) little-endian bytes.
 *
 * The decoders are strict where the spec is: runs of length 0, runs longer
 * than the values still expected (a bit-packed run may only pad its last
 * group), RLE values wider than bit_width and truncated input are corrupt.
 * Bytes after the `count`th value are ignored (v1 level lengths may cover
 * padding). The u32 and u8 variants share one always-inlined body.
 */
#include "pq_encoding.h"
#include "pq_bitpack.h"

#include <inttypes.h>
#include <string.h>

int pq_bit_width(uint64_t max_value)
{
    return max_value ? 64 - __builtin_clzll(max_value) : 0;
}

/* ---- decoding ---- */

static PQ_ALWAYS_INLINE int rle_decode(const uint8_t *p, size_t len, int w, uint32_t *o32,
                                       uint8_t *o8, size_t count, fl_error *err)
{
    const uint8_t *start = p, *end = p + len;
    size_t n = 0, vbytes = ((size_t)w + 7) / 8;
    uint64_t maxv = pq_width_mask(w);

    while (n < count) {
        size_t remaining = count - n;
        uint64_t header = 0;
        size_t hl = pq_uleb(p, end, &header);
        if (hl == 0) {
            if (p >= end)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "RLE/bit-packed data ends after %zu of %zu values", n, count);
            return fl_error_set(err, FLOE_ECORRUPT,
                                "RLE/bit-packed data: run header at byte %zu is a truncated or "
                                "overlong varint", (size_t)(p - start));
        }
        size_t at = (size_t)(p - start);
        p += hl;
        uint64_t run = header >> 1;
        if (run == 0)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "RLE/bit-packed data: run at byte %zu has length 0", at);
        if (header & 1) {
            /* bit-packed: run groups of 8. Writers (DuckDB among them) may
             * declare more groups than the values left, padding the run;
             * only the groups holding the remaining values must be there. */
            size_t groups = (size_t)run;
            if (run > (remaining + 7) / 8) groups = (remaining + 7) / 8;
            size_t avail = (size_t)(end - p);
            if (w > 0 && groups > avail / (size_t)w)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "RLE/bit-packed data: bit-packed run at byte %zu needs %zu "
                                    "bytes but %zu remain", at,
                                    groups * (size_t)w, avail);
            size_t take = groups * 8 < remaining ? groups * 8 : remaining;
            size_t full = take / 8, rest = take % 8;
            if (o32) pq_unpack_u32(p, end, w, o32 + n, full);
            else pq_unpack_u8(p, end, w, o8 + n, full);
            if (rest) {
                const uint8_t *g = p + full * (size_t)w;
                if (o32) {
                    uint32_t tmp[8];
                    pq_unpack_u32(g, end, w, tmp, 1);
                    memcpy(o32 + n + full * 8, tmp, rest * sizeof *tmp);
                } else {
                    uint8_t tmp[8];
                    pq_unpack_u8(g, end, w, tmp, 1);
                    memcpy(o8 + n + full * 8, tmp, rest);
                }
            }
            p += groups * (size_t)w;
            n += take;
        } else {
            /* a run longer than the values still wanted is cut short */
            if (run > remaining) run = remaining;
            if ((size_t)(end - p) < vbytes)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "RLE/bit-packed data: RLE run at byte %zu is truncated before "
                                    "its value", at);
            uint64_t v = 0;
            for (size_t i = 0; i < vbytes; i++) v |= (uint64_t)p[i] << (8 * i);
            if (v > maxv)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "RLE/bit-packed data: RLE run at byte %zu has value %" PRIu64
                                    " wider than bit width %d", at, v, w);
            p += vbytes;
            size_t k = (size_t)run;
            if (o32) {
                uint32_t *o = o32 + n, v32 = (uint32_t)v;
                for (size_t i = 0; i < k; i++) o[i] = v32;
            } else {
                memset(o8 + n, (int)v, k);
            }
            n += k;
        }
    }
    return 0;
}

int pq_rle_decode(const uint8_t *p, size_t len, int bit_width, uint32_t *out, size_t count,
                  fl_error *err)
{
    p = pq_nonnull(p);
    if (bit_width < 0 || bit_width > 32)
        return fl_error_set(err, FLOE_ECORRUPT, "RLE/bit-packed bit width %d is not in 0..32",
                            bit_width);
    return rle_decode(p, len, bit_width, out, NULL, count, err);
}

int pq_rle_decode_u8(const uint8_t *p, size_t len, int bit_width, uint8_t *out, size_t count,
                     fl_error *err)
{
    p = pq_nonnull(p);
    if (bit_width < 0 || bit_width > 8)
        return fl_error_set(err, FLOE_ECORRUPT, "RLE/bit-packed bit width %d is not in 0..8",
                            bit_width);
    return rle_decode(p, len, bit_width, NULL, out, count, err);
}

int pq_bitpacked_legacy_decode(const uint8_t *p, size_t len, int bit_width, uint8_t *out,
                               size_t count, fl_error *err)
{
    p = pq_nonnull(p);
    if (bit_width < 0 || bit_width > 8)
        return fl_error_set(err, FLOE_ECORRUPT, "BIT_PACKED bit width %d is not in 0..8",
                            bit_width);
    size_t w = (size_t)bit_width;
    if (w == 0) {
        if (count) memset(out, 0, count);
        return 0;
    }
    /* ceil(count * w / 8) without overflow */
    size_t need = count / 8 * w + (count % 8 * w + 7) / 8;
    if (count / 8 > len / w || need > len)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "BIT_PACKED data of %zu bytes is too short for %zu values of width %d",
                            len, count, bit_width);
    unsigned mask = (1u << w) - 1;
    for (size_t i = 0; i < count; i++) {
        size_t bit = i * w, byte = bit / 8;
        unsigned two = (unsigned)p[byte] << 8 | (byte + 1 < len ? p[byte + 1] : 0);
        out[i] = (uint8_t)((two >> (16 - bit % 8 - w)) & mask);
    }
    return 0;
}

/* ---- incremental decoding (pq_rle_cursor) ---- */

void pq_rle_cursor_init(pq_rle_cursor *c, const uint8_t *p, size_t len, int bw, size_t count)
{
    memset(c, 0, sizeof *c);
    c->start = c->p = c->pk = pq_nonnull(p);
    c->end = c->p + len;
    c->bw = bw;
    c->left = count;
}

/* Reads the next run header: the same rules as rle_decode. */
static int cursor_next_run(pq_rle_cursor *c, fl_error *err)
{
    if (c->left == 0)
        return fl_error_set(err, FLOE_ECORRUPT, "RLE/bit-packed data ends after %zu values", c->taken);
    uint64_t header = 0;
    size_t hl = pq_uleb(c->p, c->end, &header);
    if (hl == 0) {
        if (c->p >= c->end)
            return fl_error_set(err, FLOE_ECORRUPT, "RLE/bit-packed data ends after %zu of %zu values",
                                c->taken, c->taken + c->left);
        return fl_error_set(err, FLOE_ECORRUPT,
                            "RLE/bit-packed data: run header at byte %zu is a truncated or overlong "
                            "varint", (size_t)(c->p - c->start));
    }
    size_t at = (size_t)(c->p - c->start);
    const uint8_t *p = c->p + hl;
    uint64_t run = header >> 1;
    if (run == 0)
        return fl_error_set(err, FLOE_ECORRUPT, "RLE/bit-packed data: run at byte %zu has length 0", at);
    size_t w = (size_t)c->bw;
    if (header & 1) {
        size_t groups = (size_t)run;
        if (run > (c->left + 7) / 8) groups = (c->left + 7) / 8;
        size_t avail = (size_t)(c->end - p);
        if (w > 0 && groups > avail / w)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "RLE/bit-packed data: bit-packed run at byte %zu needs %zu bytes but "
                                "%zu remain", at, groups * w, avail);
        c->packed = true;
        c->pk = p;
        c->run_left = groups * 8 < c->left ? groups * 8 : c->left;
        c->p = p + groups * w;
    } else {
        size_t vbytes = (w + 7) / 8;
        if ((size_t)(c->end - p) < vbytes)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "RLE/bit-packed data: RLE run at byte %zu is truncated before its value",
                                at);
        uint64_t v = 0;
        for (size_t i = 0; i < vbytes; i++) v |= (uint64_t)p[i] << (8 * i);
        if (v > pq_width_mask(c->bw))
            return fl_error_set(err, FLOE_ECORRUPT,
                                "RLE/bit-packed data: RLE run at byte %zu has value %" PRIu64
                                " wider than bit width %d", at, v, c->bw);
        c->packed = false;
        c->value = (uint32_t)v;
        c->run_left = run < c->left ? (size_t)run : c->left;
        c->p = p + vbytes;
    }
    c->left -= c->run_left;
    return 0;
}

/* Unpacks the run's next group into pend (the run's last group may be partial). */
static void cursor_fill_pend(pq_rle_cursor *c)
{
    pq_unpack_u32(c->pk, c->end, c->bw, c->pend, 1);
    c->pk += c->bw;
    c->pend_n = c->run_left < 8 ? (unsigned)c->run_left : 8;
    c->pend_pos = 0;
    c->run_left -= c->pend_n;
}

static int index_error(uint32_t idx, uint32_t dict_count, fl_error *err)
{
    return fl_error_set(err, FLOE_ECORRUPT, "dictionary index %u out of range (%u entries)", idx,
                        dict_count);
}

/* Four accumulators: no compare-and-move chain through every value. */
static PQ_ALWAYS_INLINE uint32_t max_u32(const uint32_t *v, size_t n)
{
    uint32_t m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        m0 = v[i] > m0 ? v[i] : m0;
        m1 = v[i + 1] > m1 ? v[i + 1] : m1;
        m2 = v[i + 2] > m2 ? v[i + 2] : m2;
        m3 = v[i + 3] > m3 ? v[i + 3] : m3;
    }
    for (; i < n; i++) m0 = v[i] > m0 ? v[i] : m0;
    m0 = m1 > m0 ? m1 : m0;
    m2 = m3 > m2 ? m3 : m2;
    return m2 > m0 ? m2 : m0;
}

static PQ_ALWAYS_INLINE void gather_vals(uint8_t *out, const uint8_t *dict, const uint32_t *idx,
                                         size_t n, size_t W)
{
    for (size_t i = 0; i < n; i++) memcpy(out + i * W, dict + (size_t)idx[i] * W, W);
}

/* n copies of one entry; 4-byte entries are stored two at a time. */
static PQ_ALWAYS_INLINE void fill_vals(uint8_t *out, const uint8_t *entry, size_t n, size_t W)
{
    if (W == 1) {
        memset(out, entry[0], n);
        return;
    }
    size_t i = 0;
    if (W == 4) {
        uint32_t v;
        memcpy(&v, entry, 4);
        uint64_t two = (uint64_t)v << 32 | v;
        for (; i + 2 <= n; i += 2) memcpy(out + i * 4, &two, 8);
    }
    for (; i < n; i++) memcpy(out + i * W, entry, W);
}

#define GATHER_CHUNK 32   /* groups unpacked at a time: 256 indices, 1 KiB */

static PQ_ALWAYS_INLINE int gather_w(pq_rle_cursor *c, const uint8_t *dict, uint32_t dict_count,
                                     size_t W, uint8_t *out, size_t n, fl_error *err)
{
    uint32_t tmp[GATHER_CHUNK * 8];
    while (n) {
        if (c->pend_pos < c->pend_n) {
            size_t k = c->pend_n - c->pend_pos < n ? c->pend_n - c->pend_pos : n;
            const uint32_t *idx = c->pend + c->pend_pos;
            uint32_t m = max_u32(idx, k);
            if (m >= dict_count) return index_error(m, dict_count, err);
            gather_vals(out, dict, idx, k, W);
            c->pend_pos += (unsigned)k;
            out += k * W;
            n -= k;
            c->taken += k;
            continue;
        }
        if (c->run_left == 0) FL_TRY(cursor_next_run(c, err));
        size_t k = c->run_left < n ? c->run_left : n;
        if (!c->packed) {
            if (c->value >= dict_count) return index_error(c->value, dict_count, err);
            fill_vals(out, dict + (size_t)c->value * W, k, W);
            c->run_left -= k;
            out += k * W;
            n -= k;
            c->taken += k;
            continue;
        }
        size_t groups = k / 8;
        while (groups) {
            size_t g = groups < GATHER_CHUNK ? groups : GATHER_CHUNK, m8 = g * 8;
            pq_unpack_u32(c->pk, c->end, c->bw, tmp, g);
            uint32_t m = max_u32(tmp, m8);
            if (m >= dict_count) return index_error(m, dict_count, err);
            gather_vals(out, dict, tmp, m8, W);
            c->pk += g * (size_t)c->bw;
            c->run_left -= m8;
            out += m8 * W;
            n -= m8;
            c->taken += m8;
            groups -= g;
        }
        if (n && c->run_left) cursor_fill_pend(c);   /* fewer than 8 wanted, or the run's tail */
    }
    return 0;
}

int pq_rle_gather(pq_rle_cursor *c, const void *dict, uint32_t dict_count, size_t w, void *out,
                  size_t n, fl_error *err)
{
    const uint8_t *d = dict;
    uint8_t *o = out;
    switch (w) {
    case 1: return gather_w(c, d, dict_count, 1, o, n, err);
    case 2: return gather_w(c, d, dict_count, 2, o, n, err);
    case 4: return gather_w(c, d, dict_count, 4, o, n, err);
    case 8: return gather_w(c, d, dict_count, 8, o, n, err);
    case 16: return gather_w(c, d, dict_count, 16, o, n, err);
    default: return gather_w(c, d, dict_count, w, o, n, err);
    }
}

/* As gather_w, but hands out the indices themselves (checked the same way):
 * bit-packed groups are unpacked straight into out. */
int pq_rle_indices(pq_rle_cursor *c, uint32_t dict_count, uint32_t *out, size_t n, fl_error *err)
{
    while (n) {
        if (c->pend_pos < c->pend_n) {
            size_t k = c->pend_n - c->pend_pos < n ? c->pend_n - c->pend_pos : n;
            const uint32_t *idx = c->pend + c->pend_pos;
            uint32_t m = max_u32(idx, k);
            if (m >= dict_count) return index_error(m, dict_count, err);
            memcpy(out, idx, k * sizeof *out);
            c->pend_pos += (unsigned)k;
            out += k;
            n -= k;
            c->taken += k;
            continue;
        }
        if (c->run_left == 0) FL_TRY(cursor_next_run(c, err));
        size_t k = c->run_left < n ? c->run_left : n;
        if (!c->packed) {
            if (c->value >= dict_count) return index_error(c->value, dict_count, err);
            for (size_t i = 0; i < k; i++) out[i] = c->value;
            c->run_left -= k;
            out += k;
            n -= k;
            c->taken += k;
            continue;
        }
        size_t groups = k / 8;
        if (groups) {
            size_t m8 = groups * 8;
            pq_unpack_u32(c->pk, c->end, c->bw, out, groups);
            uint32_t m = max_u32(out, m8);
            if (m >= dict_count) return index_error(m, dict_count, err);
            c->pk += groups * (size_t)c->bw;
            c->run_left -= m8;
            out += m8;
            n -= m8;
            c->taken += m8;
        }
        if (n && c->run_left) cursor_fill_pend(c);   /* fewer than 8 wanted, or the run's tail */
    }
    return 0;
}

int pq_rle_skip(pq_rle_cursor *c, size_t n, fl_error *err)
{
    while (n) {
        if (c->pend_pos < c->pend_n) {
            size_t k = c->pend_n - c->pend_pos < n ? c->pend_n - c->pend_pos : n;
            c->pend_pos += (unsigned)k;
            n -= k;
            c->taken += k;
            continue;
        }
        if (c->run_left == 0) FL_TRY(cursor_next_run(c, err));
        size_t k = c->run_left < n ? c->run_left : n;
        if (c->packed) {
            k = k / 8 * 8;
            c->pk += k / 8 * (size_t)c->bw;
        }
        c->run_left -= k;
        n -= k;
        c->taken += k;
        if (n && c->packed && c->run_left) cursor_fill_pend(c);
    }
    return 0;
}

/* ---- encoding ---- */

static PQ_ALWAYS_INLINE uint32_t get_val(const uint32_t *v32, const uint8_t *v8, size_t i)
{
    return v32 ? v32[i] : v8[i];
}

/* True when vals[s..s+8) exist and are all equal. */
static PQ_ALWAYS_INLINE int run_of_8(const uint32_t *v32, const uint8_t *v8, size_t s,
                                     size_t count)
{
    if (count - s < 8) return 0;
    uint32_t v = get_val(v32, v8, s);
    for (size_t k = 1; k < 8; k++)
        if (get_val(v32, v8, s + k) != v) return 0;
    return 1;
}

static int put_varint(fl_buf *out, uint64_t v)
{
    uint8_t tmp[10];
    return fl_buf_append(out, tmp, fl_varint_encode(tmp, v));
}

/* Longest run the spec allows: 2^31 - 1 values (bit-packed: whole groups). */
#define RLE_MAX_RUN ((size_t)0x7fffffff)

static PQ_ALWAYS_INLINE int rle_encode(fl_buf *out, const uint32_t *v32, const uint8_t *v8,
                                       size_t count, int w)
{
    FL_ASSERT(w >= 0 && w <= 32);
    size_t vbytes = ((size_t)w + 7) / 8, i = 0;
    uint32_t mask = (uint32_t)pq_width_mask(w);
    while (i < count) {
        uint32_t v = get_val(v32, v8, i);
        size_t j = i + 1;
        while (j < count && j - i < RLE_MAX_RUN && get_val(v32, v8, j) == v) j++;
        if (j - i >= 8) {
            uint8_t *d;
            v &= mask;
            if (put_varint(out, (uint64_t)(j - i) << 1) < 0) return FLOE_ENOMEM;
            if (!(d = fl_buf_extend(out, vbytes))) return FLOE_ENOMEM;
            for (size_t k = 0; k < vbytes; k++) d[k] = (uint8_t)(v >> (8 * k));
            i = j;
            continue;
        }
        /* bit-packed groups until a run of 8 starts on a group boundary */
        size_t s = i + 8, groups = 1;
        while (s < count && !run_of_8(v32, v8, s, count) && groups < RLE_MAX_RUN / 8) {
            s += 8;
            groups++;
        }
        size_t nvals = s < count ? s - i : count - i;
        size_t nbytes = groups * (size_t)w;
        if (put_varint(out, (uint64_t)groups << 1 | 1) < 0) return FLOE_ENOMEM;
        uint8_t *d = fl_buf_extend(out, nbytes);
        if (!d) return FLOE_ENOMEM;
        memset(d, 0, nbytes);
        if (v32) pq_pack_u32(d, v32 + i, nvals, w);
        else pq_pack_u8(d, v8 + i, nvals, w);
        i += nvals;
    }
    return 0;
}

int pq_rle_encode(fl_buf *out, const uint32_t *vals, size_t count, int bit_width)
{
    return rle_encode(out, vals, NULL, count, bit_width);
}

int pq_rle_encode_u8(fl_buf *out, const uint8_t *vals, size_t count, int bit_width)
{
    FL_ASSERT(bit_width <= 8);
    return rle_encode(out, NULL, vals, count, bit_width);
}
