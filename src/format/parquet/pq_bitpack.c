/*
 * pq_bitpack.c: the bit-packing kernels behind the RLE/bit-packed hybrid,
 * PLAIN booleans and (packing side of) DELTA_BINARY_PACKED.
 *
 * Unpacking is the innermost loop of every Parquet reader, so it is
 * specialised per width: unpack_*_w is always inlined, and the dispatch
 * switch calls it with a literal width in each case, which lets the compiler
 * fold every shift and mask to a constant and unroll the 8 values of a group.
 * Widths up to 8 load the whole group (w <= 8 bytes) in one 64-bit word.
 * See pq_bitpack.h for the slack rule on reads past a group.
 */
#include "pq_bitpack.h"

#include <string.h>

/* ---- unpacking ---- */

static PQ_ALWAYS_INLINE void unpack8_u32(const uint8_t *in, int w, uint32_t *out)
{
    uint64_t mask = pq_width_mask(w);
    if (w <= 8) {
        uint64_t word = fl_load_u64le(in);
        for (int i = 0; i < 8; i++) out[i] = (uint32_t)((word >> (i * w)) & mask);
    } else {
        for (int i = 0; i < 8; i++)
            out[i] = (uint32_t)pq_unpack_extract(in, (unsigned)(i * w), w, mask);
    }
}

static PQ_ALWAYS_INLINE void unpack8_u8(const uint8_t *in, int w, uint8_t *out)
{
    uint64_t mask = pq_width_mask(w);
    uint64_t word = fl_load_u64le(in);
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)((word >> (i * w)) & mask);
}

static PQ_ALWAYS_INLINE void unpack_u32_w(const uint8_t *in, const uint8_t *end, int w,
                                          uint32_t *out, size_t ngroups)
{
    size_t fast = pq_fast_groups(in, end, w, ngroups);
    for (size_t g = 0; g < fast; g++, in += w, out += 8) unpack8_u32(in, w, out);
    for (size_t g = fast; g < ngroups; g++, in += w, out += 8) {
        uint8_t tmp[32 + PQ_UNPACK_SLACK] = {0};
        memcpy(tmp, in, (size_t)w);
        unpack8_u32(tmp, w, out);
    }
}

static PQ_ALWAYS_INLINE void unpack_u8_w(const uint8_t *in, const uint8_t *end, int w,
                                         uint8_t *out, size_t ngroups)
{
    size_t fast = pq_fast_groups(in, end, w, ngroups);
    for (size_t g = 0; g < fast; g++, in += w, out += 8) unpack8_u8(in, w, out);
    for (size_t g = fast; g < ngroups; g++, in += w, out += 8) {
        uint8_t tmp[8 + PQ_UNPACK_SLACK] = {0};
        memcpy(tmp, in, (size_t)w);
        unpack8_u8(tmp, w, out);
    }
}

void pq_unpack_u32(const uint8_t *in, const uint8_t *end, int w, uint32_t *out, size_t ngroups)
{
    switch (w) {
    case 0: memset(out, 0, ngroups * 8 * sizeof *out); break;
    case 1: unpack_u32_w(in, end, 1, out, ngroups); break;
    case 2: unpack_u32_w(in, end, 2, out, ngroups); break;
    case 3: unpack_u32_w(in, end, 3, out, ngroups); break;
    case 4: unpack_u32_w(in, end, 4, out, ngroups); break;
    case 5: unpack_u32_w(in, end, 5, out, ngroups); break;
    case 6: unpack_u32_w(in, end, 6, out, ngroups); break;
    case 7: unpack_u32_w(in, end, 7, out, ngroups); break;
    case 8: unpack_u32_w(in, end, 8, out, ngroups); break;
    case 9: unpack_u32_w(in, end, 9, out, ngroups); break;
    case 10: unpack_u32_w(in, end, 10, out, ngroups); break;
    case 11: unpack_u32_w(in, end, 11, out, ngroups); break;
    case 12: unpack_u32_w(in, end, 12, out, ngroups); break;
    case 13: unpack_u32_w(in, end, 13, out, ngroups); break;
    case 14: unpack_u32_w(in, end, 14, out, ngroups); break;
    case 15: unpack_u32_w(in, end, 15, out, ngroups); break;
    case 16: unpack_u32_w(in, end, 16, out, ngroups); break;
    case 17: unpack_u32_w(in, end, 17, out, ngroups); break;
    case 18: unpack_u32_w(in, end, 18, out, ngroups); break;
    case 19: unpack_u32_w(in, end, 19, out, ngroups); break;
    case 20: unpack_u32_w(in, end, 20, out, ngroups); break;
    case 21: unpack_u32_w(in, end, 21, out, ngroups); break;
    case 22: unpack_u32_w(in, end, 22, out, ngroups); break;
    case 23: unpack_u32_w(in, end, 23, out, ngroups); break;
    case 24: unpack_u32_w(in, end, 24, out, ngroups); break;
    case 25: unpack_u32_w(in, end, 25, out, ngroups); break;
    case 26: unpack_u32_w(in, end, 26, out, ngroups); break;
    case 27: unpack_u32_w(in, end, 27, out, ngroups); break;
    case 28: unpack_u32_w(in, end, 28, out, ngroups); break;
    case 29: unpack_u32_w(in, end, 29, out, ngroups); break;
    case 30: unpack_u32_w(in, end, 30, out, ngroups); break;
    case 31: unpack_u32_w(in, end, 31, out, ngroups); break;
    case 32: unpack_u32_w(in, end, 32, out, ngroups); break;
    default: memset(out, 0, ngroups * 8 * sizeof *out); break;
    }
}

void pq_unpack_u8(const uint8_t *in, const uint8_t *end, int w, uint8_t *out, size_t ngroups)
{
    switch (w) {
    case 1: unpack_u8_w(in, end, 1, out, ngroups); break;
    case 2: unpack_u8_w(in, end, 2, out, ngroups); break;
    case 3: unpack_u8_w(in, end, 3, out, ngroups); break;
    case 4: unpack_u8_w(in, end, 4, out, ngroups); break;
    case 5: unpack_u8_w(in, end, 5, out, ngroups); break;
    case 6: unpack_u8_w(in, end, 6, out, ngroups); break;
    case 7: unpack_u8_w(in, end, 7, out, ngroups); break;
    case 8: unpack_u8_w(in, end, 8, out, ngroups); break;
    default: memset(out, 0, ngroups * 8); break;   /* width 0 (callers reject > 8) */
    }
}

/* ---- packing ---- */

typedef struct packer {
    uint8_t *d;
    uint64_t acc;
    unsigned nbits;
} packer;

static PQ_ALWAYS_INLINE void packer_put(packer *pk, uint64_t v, int w)
{
    pk->acc |= v << pk->nbits;
    pk->nbits += (unsigned)w;
    if (pk->nbits >= 64) {
        fl_store_u64le(pk->d, pk->acc);
        pk->d += 8;
        pk->nbits -= 64;
        pk->acc = pk->nbits ? v >> ((unsigned)w - pk->nbits) : 0;
    }
}

static inline void packer_flush(packer *pk)
{
    while (pk->nbits > 0) {
        *pk->d++ = (uint8_t)pk->acc;
        pk->acc >>= 8;
        pk->nbits = pk->nbits > 8 ? pk->nbits - 8 : 0;
    }
}

/* pq_pack_u64, pq_pack_u32 and pq_pack_u8: the same packing over each
 * element type. */
#define DEFINE_PACK(name, T)                                                        \
    size_t name(uint8_t *dst, const T *vals, size_t count, int w)                   \
    {                                                                               \
        if (w == 0) return 0;                                                       \
        uint64_t mask = pq_width_mask(w);                                           \
        packer pk = {dst, 0, 0};                                                    \
        for (size_t i = 0; i < count; i++) packer_put(&pk, vals[i] & mask, w);      \
        packer_flush(&pk);                                                          \
        return (size_t)(pk.d - dst);                                                \
    }

DEFINE_PACK(pq_pack_u64, uint64_t)
DEFINE_PACK(pq_pack_u32, uint32_t)
DEFINE_PACK(pq_pack_u8, uint8_t)
