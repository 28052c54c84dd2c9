/*
 * varint.h: ULEB128 varints and zigzag, shared by thrift (Parquet) and Avro.
 *
 * Decoders are bounds-checked: they return the number of bytes consumed, or 0
 * when the input ends early or the varint is longer than 10 bytes.
 */
#ifndef FL_VARINT_H
#define FL_VARINT_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t fl_zigzag_encode(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline int64_t fl_zigzag_decode(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static inline size_t fl_varint_decode(const uint8_t *p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0;
    const uint8_t *start = p;
    while (p < end && shift < 70) {
        uint8_t b = *p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return (size_t)(p - start);
        }
        shift += 7;
    }
    return 0;
}

/* Writes at most 10 bytes to dst; returns the count. */
static inline size_t fl_varint_encode(uint8_t *dst, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        dst[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    dst[n++] = (uint8_t)v;
    return n;
}

#endif
