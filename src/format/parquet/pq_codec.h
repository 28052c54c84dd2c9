/*
 * pq_codec.h: page compression codecs.
 *
 * Decompression (pq_decompress.c) covers UNCOMPRESSED, SNAPPY, GZIP
 * (multi-member), ZSTD, LZ4_RAW, legacy LZ4 (Hadoop framing, falling back to
 * raw LZ4 block and LZ4 frame) and BROTLI. Compression (pq_compress.c) covers
 * UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW (and BROTLI).
 * The expected uncompressed size is known from the page header and enforced.
 */
#ifndef PQ_CODEC_H
#define PQ_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "../../base/buf.h"
#include "../../base/error.h"

/* Decompresses src[src_len] into dst, which has room for exactly dst_len
 * bytes; the result must be exactly dst_len bytes or it is FLOE_ECORRUPT. */
int pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                  fl_error *err);
/* Appends the compressed form of src to out. level 0 = codec default. */
int pq_compress(int codec, int level, const uint8_t *src, size_t src_len, fl_buf *out,
                fl_error *err);
/* Parses "zstd", "snappy", "gzip", "lz4_raw"/"lz4", "brotli", "none"/"uncompressed". */
int pq_codec_parse(const char *name, int *codec, fl_error *err);

#endif
