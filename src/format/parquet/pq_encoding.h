/*
 * pq_encoding.h: Parquet value and level encodings (Encodings.md), decode and
 * encode, independent of pages and files.
 *
 * The reader (pq_page_read.c) and the writer (pq_writer.c) use these on the
 * decompressed bytes of one page. Decoders take (pointer, length), bound
 * every read by it and return FLOE_ECORRUPT with a message on malformed
 * input; they never read past `len` (p may be NULL when len is 0, and with
 * count 0 an empty input is valid for every encoding). Most decode exactly
 * `count` values; the `consumed` out-parameter, where present, receives how
 * many input bytes the values took (so a caller can find what follows).
 *
 * Strings decoded as fl_strv views point into the input (PLAIN,
 * DELTA_LENGTH_BYTE_ARRAY) or into `arena` (DELTA_BYTE_ARRAY, which rebuilds
 * values from shared prefixes).
 *
 * Encoders append to an fl_buf and return 0 or FLOE_ENOMEM.
 */
#ifndef PQ_ENCODING_H
#define PQ_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/error.h"

/* Bits needed to represent max_value (0 for 0). */
int pq_bit_width(uint64_t max_value);

/* ---- RLE / bit-packed hybrid (levels, dictionary indices, RLE booleans) ----
 * The bare run sequence, without the 4-byte length prefix that v1 levels and
 * RLE booleans carry (the caller strips it). bit_width 0..32. Decodes exactly
 * `count` values; FLOE_ECORRUPT if the runs end first. A final bit-packed run
 * may be padded past `count`: the padding is ignored. */
int pq_rle_decode(const uint8_t *p, size_t len, int bit_width, uint32_t *out, size_t count,
                  fl_error *err);
/* Same, into bytes (levels and booleans fit in uint8_t: bit_width <= 8). */
int pq_rle_decode_u8(const uint8_t *p, size_t len, int bit_width, uint8_t *out, size_t count,
                     fl_error *err);
/* Deprecated BIT_PACKED levels (MSB first, no runs): count values. */
int pq_bitpacked_legacy_decode(const uint8_t *p, size_t len, int bit_width, uint8_t *out,
                               size_t count, fl_error *err);
/* Encodes values (each < 2^bit_width) as RLE runs for repeats of 8 or more and
 * bit-packed groups of 8 otherwise. No length prefix. */
int pq_rle_encode(fl_buf *out, const uint32_t *vals, size_t count, int bit_width);
int pq_rle_encode_u8(fl_buf *out, const uint8_t *vals, size_t count, int bit_width);

/* ---- PLAIN ---- */
/* BOOLEAN: bit-packed, LSB first. */
int pq_plain_bool_decode(const uint8_t *p, size_t len, uint8_t *out, size_t count,
                         size_t *consumed, fl_error *err);
/* BYTE_ARRAY: 4-byte little-endian length + bytes; views into p. */
int pq_plain_bytes_decode(const uint8_t *p, size_t len, fl_strv *out, size_t count,
                          size_t *consumed, fl_error *err);
int pq_plain_bool_encode(fl_buf *out, const uint8_t *vals, size_t count);
int pq_plain_bytes_encode(fl_buf *out, const fl_strv *vals, size_t count);
/* Fixed-width types (INT32, INT64, INT96, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY)
 * are little-endian arrays: callers memcpy, checking count * width <= len. */

/* ---- DELTA_BINARY_PACKED (INT32 and INT64; INT32 values sign-extended) ----
 * Decodes the header's total count of values but at most `count` into out;
 * *total receives the header's value count (may be NULL) and *consumed the
 * bytes of the whole encoded block (needed: DELTA_BYTE_ARRAY and
 * DELTA_LENGTH_BYTE_ARRAY embed these blocks). Arithmetic wraps modulo 2^64
 * as the spec requires; for INT32 columns callers truncate to 32 bits. */
int pq_delta_int_decode(const uint8_t *p, size_t len, int64_t *out, size_t count,
                        size_t *total, size_t *consumed, fl_error *err);
/* Block size 128, 4 miniblocks of 32. */
int pq_delta_int_encode(fl_buf *out, const int64_t *vals, size_t count);
/* INT32 columns: deltas taken modulo 2^32, so no miniblock is wider than 32
 * bits as the spec requires (pq_delta_int_encode on sign-extended INT32
 * values may need 33). Decode with pq_delta_int_decode and truncate. */
int pq_delta_int32_encode(fl_buf *out, const int32_t *vals, size_t count);

/* ---- DELTA_LENGTH_BYTE_ARRAY ---- (views into p) */
int pq_delta_length_decode(const uint8_t *p, size_t len, fl_strv *out, size_t count,
                           size_t *consumed, fl_error *err);
int pq_delta_length_encode(fl_buf *out, const fl_strv *vals, size_t count);

/* ---- DELTA_BYTE_ARRAY (incremental/front coding) ---- (values in arena) */
int pq_delta_byte_array_decode(const uint8_t *p, size_t len, fl_strv *out, size_t count,
                               fl_arena *arena, fl_error *err);
int pq_delta_byte_array_encode(fl_buf *out, const fl_strv *vals, size_t count);

/* ---- BYTE_STREAM_SPLIT ----
 * width-byte values (2 FLOAT16, 4, 8, or a FIXED_LEN_BYTE_ARRAY length)
 * split into `width` streams of count bytes each; len must be count * width. */
int pq_bss_decode(const uint8_t *p, size_t len, size_t width, uint8_t *out, size_t count,
                  fl_error *err);
int pq_bss_encode(fl_buf *out, const uint8_t *vals, size_t width, size_t count);

#endif
