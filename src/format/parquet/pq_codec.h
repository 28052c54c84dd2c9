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
 * bytes; the result must be exactly dst_len bytes or it is FLOE_ECORRUPT.
 * src_len == dst_len == 0 succeeds for every codec (writers emit empty pages
 * with no compressed bytes). LZO is FLOE_EUNSUPPORTED. Thread-safe: costly
 * codec state is cached per thread. */
int pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                  fl_error *err);
/* Appends the compressed form of src to out. level 0 = codec default (ZSTD 3,
 * GZIP 6, BROTLI 8); SNAPPY and LZ4_RAW ignore it; an out-of-range level is
 * FLOE_EINVAL. Legacy LZ4 and LZO are FLOE_EUNSUPPORTED. Thread-safe. */
int pq_compress(int codec, int level, const uint8_t *src, size_t src_len, fl_buf *out,
                fl_error *err);
/* Parses "zstd", "snappy", "gzip", "lz4_raw"/"lz4" (both LZ4_RAW), "brotli",
 * "none"/"uncompressed", case-insensitively; FLOE_EINVAL otherwise. */
int pq_codec_parse(const char *name, int *codec, fl_error *err);

#endif
