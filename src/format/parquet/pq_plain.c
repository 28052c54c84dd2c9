/*
 * pq_plain.c: PLAIN booleans and byte arrays, and BYTE_STREAM_SPLIT.
 *
 * PLAIN BOOLEAN is a bit-packed stream of width 1, LSB first (the packing of
 * the RLE/bit-packed hybrid); PLAIN BYTE_ARRAY is a 4-byte little-endian
 * length followed by the bytes, decoded as views into the page. Fixed-width
 * PLAIN types are plain little-endian arrays the caller copies itself.
 *
 * BYTE_STREAM_SPLIT scatters byte k of every value into stream k; the
 * common widths 4 and 8 get their own loops, other widths (2, FLOAT16, and
 * FIXED_LEN_BYTE_ARRAY lengths) a generic one.
 */
#include "pq_encoding.h"
#include "pq_bitpack.h"

#include <string.h>

/* ---- PLAIN BOOLEAN ---- */

int pq_plain_bool_decode(const uint8_t *p, size_t len, uint8_t *out, size_t count,
                         size_t *consumed, fl_error *err)
{
    p = pq_nonnull(p);
    size_t need = count / 8 + (count % 8 != 0);
    if (need > len)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "PLAIN boolean data of %zu bytes is too short for %zu values", len,
                            count);
    pq_unpack_u8(p, p + len, 1, out, count / 8);
    if (count % 8) {
        uint8_t b = p[count / 8];
        for (size_t i = 0; i < count % 8; i++) out[count / 8 * 8 + i] = (b >> i) & 1;
    }
    if (consumed) *consumed = need;
    return 0;
}

int pq_plain_bool_encode(fl_buf *out, const uint8_t *vals, size_t count)
{
    size_t nbytes = count / 8 + (count % 8 != 0);
    uint8_t *d = fl_buf_extend(out, nbytes);
    if (!d) return FLOE_ENOMEM;
    size_t full = count / 8;
    for (size_t g = 0; g < full; g++) {
        const uint8_t *v = vals + g * 8;
        d[g] = (uint8_t)((v[0] != 0) | (v[1] != 0) << 1 | (v[2] != 0) << 2 | (v[3] != 0) << 3 |
                         (v[4] != 0) << 4 | (v[5] != 0) << 5 | (v[6] != 0) << 6 |
                         (v[7] != 0) << 7);
    }
    if (count % 8) {
        uint8_t b = 0;
        for (size_t i = 0; i < count % 8; i++) b |= (uint8_t)((vals[full * 8 + i] != 0) << i);
        d[full] = b;
    }
    return 0;
}

/* ---- PLAIN BYTE_ARRAY ---- */

int pq_plain_bytes_decode(const uint8_t *p, size_t len, fl_strv *out, size_t count,
                          size_t *consumed, fl_error *err)
{
    p = pq_nonnull(p);
    size_t pos = 0;
    for (size_t i = 0; i < count; i++) {
        if (len - pos < 4)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "PLAIN byte array %zu of %zu: length at byte %zu is truncated", i,
                                count, pos);
        uint32_t n = fl_load_u32le(p + pos);
        pos += 4;
        if (n > INT32_MAX)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "PLAIN byte array %zu of %zu has negative length %d", i, count,
                                (int32_t)n);
        if (n > len - pos)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "PLAIN byte array %zu of %zu: length %u at byte %zu exceeds the "
                                "%zu bytes remaining", i, count, n, pos - 4, len - pos);
        out[i].ptr = (const char *)p + pos;
        out[i].len = n;
        pos += n;
    }
    if (consumed) *consumed = pos;
    return 0;
}

int pq_plain_bytes_encode(fl_buf *out, const fl_strv *vals, size_t count)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += 4 + (size_t)vals[i].len;
    uint8_t *d = fl_buf_extend(out, total);
    if (!d) return FLOE_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        fl_store_u32le(d, vals[i].len);
        if (vals[i].len) memcpy(d + 4, vals[i].ptr, vals[i].len);
        d += 4 + (size_t)vals[i].len;
    }
    return 0;
}

/* ---- BYTE_STREAM_SPLIT ---- */

int pq_bss_decode(const uint8_t *p, size_t len, size_t width, uint8_t *out, size_t count,
                  fl_error *err)
{
    p = pq_nonnull(p);
    if (width == 0 || count > SIZE_MAX / width || count * width != len)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "BYTE_STREAM_SPLIT data of %zu bytes does not hold %zu values of "
                            "width %zu", len, count, width);
    if (width == 4) {
        const uint8_t *s0 = p, *s1 = p + count, *s2 = p + 2 * count, *s3 = p + 3 * count;
        for (size_t i = 0; i < count; i++) {
            uint8_t *o = out + 4 * i;
            o[0] = s0[i];
            o[1] = s1[i];
            o[2] = s2[i];
            o[3] = s3[i];
        }
    } else if (width == 8) {
        for (size_t i = 0; i < count; i++) {
            uint8_t *o = out + 8 * i;
            for (size_t k = 0; k < 8; k++) o[k] = p[k * count + i];
        }
    } else {
        for (size_t k = 0; k < width; k++) {
            const uint8_t *s = p + k * count;
            for (size_t i = 0; i < count; i++) out[i * width + k] = s[i];
        }
    }
    return 0;
}

int pq_bss_encode(fl_buf *out, const uint8_t *vals, size_t width, size_t count)
{
    FL_ASSERT(width > 0);
    uint8_t *d = fl_buf_extend(out, count * width);
    if (!d) return FLOE_ENOMEM;
    if (width == 4) {
        uint8_t *s0 = d, *s1 = d + count, *s2 = d + 2 * count, *s3 = d + 3 * count;
        for (size_t i = 0; i < count; i++) {
            const uint8_t *v = vals + 4 * i;
            s0[i] = v[0];
            s1[i] = v[1];
            s2[i] = v[2];
            s3[i] = v[3];
        }
    } else {
        for (size_t k = 0; k < width; k++) {
            uint8_t *s = d + k * count;
            for (size_t i = 0; i < count; i++) s[i] = vals[i * width + k];
        }
    }
    return 0;
}
