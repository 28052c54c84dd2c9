/*
 * pq_bitpack.h: internal bit-packing kernels shared by the Parquet encodings
 * (pq_rle.c, pq_delta.c, pq_plain.c). Not part of the pq_encoding.h contract.
 *
 * Values are packed LSB first (Encodings.md, RLE/bit-packing hybrid, note 1):
 * value i of width w occupies bits [i*w, (i+1)*w) of the little-endian bit
 * stream. Unpacking works on groups of 8 values, which always take exactly w
 * bytes. The kernels read each value with one unaligned 64-bit load, so they
 * may read up to PQ_UNPACK_SLACK bytes beyond a group's last byte; the unpack
 * functions below check the remaining input themselves and fall back to a
 * zero-padded copy for the last groups, so callers only guarantee that the
 * groups' own bytes (ngroups * w) lie inside [in, end).
 *
 * pq_unpack_extract is inline so that pq_delta.c can fuse its own kernel
 * (unpack + min delta + prefix sum) with a constant width per switch case.
 */
#ifndef PQ_BITPACK_H
#define PQ_BITPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/buf.h"
#include "../../base/error.h"
#include "../../base/varint.h"

#define PQ_UNPACK_SLACK 9
#define PQ_ALWAYS_INLINE inline __attribute__((always_inline))

static inline uint64_t pq_width_mask(int w)
{
    return w >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << w) - 1);
}

/* Value at bit offset `bit` of width w (1..64) from `in`; reads bytes
 * in[bit/8 .. bit/8 + 8]. With a constant w the branch folds away. */
static PQ_ALWAYS_INLINE uint64_t pq_unpack_extract(const uint8_t *in, unsigned bit, int w,
                                                   uint64_t mask)
{
    const uint8_t *q = in + bit / 8;
    unsigned shift = bit % 8;
    uint64_t v = fl_load_u64le(q) >> shift;
    if (w > 56 && shift + (unsigned)w > 64) v |= (uint64_t)q[8] << (64 - shift);
    return v & mask;
}

/* Decoders accept (NULL, 0) for empty input; pointer arithmetic on NULL is
 * undefined even with offset 0, so they swap in a static empty buffer. */
static inline const uint8_t *pq_nonnull(const uint8_t *p)
{
    static const uint8_t empty[1];
    return p ? p : empty;
}

/* How many of ngroups groups of width w (>= 1) starting at `in` can be
 * unpacked by direct loads, their reads staying inside [in, end). */
static inline size_t pq_fast_groups(const uint8_t *in, const uint8_t *end, int w, size_t ngroups)
{
    size_t avail = (size_t)(end - in);
    if (avail < (size_t)w + PQ_UNPACK_SLACK) return 0;
    size_t fast = (avail - PQ_UNPACK_SLACK) / (size_t)w;
    return fast < ngroups ? fast : ngroups;
}

/* ULEB128 varint at p (bounded by end) into *out; returns the bytes taken, or
 * 0 when the input ends first or the varint is longer than 10 bytes or
 * overflows 64 bits. */
static inline size_t pq_uleb(const uint8_t *p, const uint8_t *end, uint64_t *out)
{
    if (FL_LIKELY(p < end && p[0] < 0x80)) {
        *out = p[0];
        return 1;
    }
    size_t n = fl_varint_decode(p, end, out);
    if (n == 10 && p[9] > 1) return 0;
    return n;
}

/* Unpacks ngroups groups of 8 values of width w (0..32) from in (which holds
 * at least ngroups * w bytes before end) into out[ngroups * 8]. */
void pq_unpack_u32(const uint8_t *in, const uint8_t *end, int w, uint32_t *out, size_t ngroups);
/* Same for w 0..8 into bytes. */
void pq_unpack_u8(const uint8_t *in, const uint8_t *end, int w, uint8_t *out, size_t ngroups);

/* ---- RLE/bit-packed hybrid, decoded incrementally (pq_rle.c) ----
 *
 * A cursor over one page's run sequence (no length prefix) that hands out
 * values as they are asked for, so the reader decodes dictionary indices
 * straight into output columns batch by batch: pq_rle_gather unpacks the
 * indices of bit-packed runs a few groups at a time into a small stack
 * buffer, checks them against the dictionary size and copies the entries
 * out; an RLE run becomes a fill of one entry. The checks are those of
 * pq_rle_decode (zero-length runs, truncated runs, RLE values wider than
 * the bit width), made when a run is reached; asking for more values than
 * `count` is corrupt data ("ends after"). */
typedef struct pq_rle_cursor {
    const uint8_t *start, *p, *end;  /* p: the next run header */
    const uint8_t *pk;               /* bit-packed run: its next group */
    int bw;
    bool packed;
    uint32_t value;                  /* RLE run: its value */
    size_t run_left;                 /* values of the run not yet taken (bit-packed: not unpacked) */
    size_t left;                     /* values expected after the current run */
    size_t taken;                    /* values handed out so far */
    uint32_t pend[8];                /* unpacked, not yet taken values of a bit-packed group */
    unsigned pend_pos, pend_n;
} pq_rle_cursor;

/* bw 0..32 (checked by the caller); count: the values the page holds. */
void pq_rle_cursor_init(pq_rle_cursor *c, const uint8_t *p, size_t len, int bw, size_t count);
/* The next n values as dictionary indices: out[i] = dict[index] (entries of
 * w bytes; w 1, 2, 4, 8, 16 or any other). An index >= dict_count is
 * FLOE_ECORRUPT ("dictionary index %u out of range (%u entries)"). */
int pq_rle_gather(pq_rle_cursor *c, const void *dict, uint32_t dict_count, size_t w, void *out,
                  size_t n, fl_error *err);
/* The next n values as dictionary indices themselves, each checked against
 * dict_count as pq_rle_gather does (dictionary batches of the reader). */
int pq_rle_indices(pq_rle_cursor *c, uint32_t dict_count, uint32_t *out, size_t n, fl_error *err);
/* Passes over the next n values (their runs are still checked). */
int pq_rle_skip(pq_rle_cursor *c, size_t n, fl_error *err);

/* Packs `count` values of width w (0..64) LSB first into dst, which must have
 * room for ceil(count * w / 8) bytes; returns the bytes written. The unused
 * bits of the last byte are zero. Values are masked to w bits. */
size_t pq_pack_u32(uint8_t *dst, const uint32_t *vals, size_t count, int w);
size_t pq_pack_u8(uint8_t *dst, const uint8_t *vals, size_t count, int w);
size_t pq_pack_u64(uint8_t *dst, const uint64_t *vals, size_t count, int w);

#endif
