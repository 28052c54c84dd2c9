/*
 * pq_decompress.c: page decompression for every Parquet codec floe reads
 * (see pq_codec.h).
 *
 * The caller knows the uncompressed size from the page header and passes a
 * buffer of exactly that size; anything that decodes to a different size,
 * or does not decode, is FLOE_ECORRUPT with a message naming the codec.
 *
 * Pages are decompressed millions of times, so the state that is costly to
 * set up (ZSTD_DCtx, zlib's inflate state and window, LZ4F_dctx) lives in a
 * per-thread cache created on first use and freed by a pthread key
 * destructor at thread exit. zlib allocates through fl_malloc; libzstd and
 * liblz4 use their own allocators (their custom-allocator entry points are
 * not part of their stable API).
 *
 * Legacy LZ4 (codec 5) has had three framings in the wild: Hadoop's
 * ([BE u32 uncompressed][BE u32 compressed][block]... per chunk), a bare LZ4
 * block (older parquet-cpp) and the LZ4 frame format. They are tried in that
 * order, as Arrow does. GZIP pages may hold several concatenated members.
 */
#include "pq_codec.h"

#include <limits.h>
#include <string.h>

#include <brotli/decode.h>
#include <lz4.h>
#include <lz4frame.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "../../base/alloc.h"
#include "../../base/tls_cache.h"
#include "pq_meta.h"

/* ------------------------------------------------- per-thread contexts */

typedef struct dctx_cache {
    ZSTD_DCtx *zstd;
    z_stream inflate;
    bool inflate_ready;
    LZ4F_dctx *lz4f;
} dctx_cache;

static void cache_release(void *arg)
{
    dctx_cache *c = arg;
    ZSTD_freeDCtx(c->zstd);
    if (c->inflate_ready) inflateEnd(&c->inflate);
    if (c->lz4f) LZ4F_freeDecompressionContext(c->lz4f);
}

static fl_tls_cache cache = FL_TLS_CACHE_INIT(sizeof(dctx_cache), cache_release, "decompression state");
static _Thread_local void *tl_cache;

static dctx_cache *cache_get(fl_error *err)
{
    if (FL_LIKELY(tl_cache != NULL)) return tl_cache;
    return fl_tls_cache_get(&cache, &tl_cache, err);
}

static int corrupt(fl_error *err, const char *codec, const char *why)
{
    return fl_error_set(err, FLOE_ECORRUPT, "could not decompress %s page: %s", codec, why);
}

static int size_mismatch(fl_error *err, const char *codec, size_t got, size_t want)
{
    return fl_error_set(err, FLOE_ECORRUPT,
                        "could not decompress %s page: decompressed size %zu does not match "
                        "the expected %zu", codec, got, want);
}

/* --------------------------------------------------------------- codecs */

static int do_snappy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                     fl_error *err)
{
    size_t n;
    if (snappy_uncompressed_length((const char *)src, src_len, &n) != SNAPPY_OK)
        return corrupt(err, "SNAPPY", "invalid length header");
    if (n != dst_len) return size_mismatch(err, "SNAPPY", n, dst_len);
    char dummy;
    n = dst_len;
    if (snappy_uncompress((const char *)src, src_len, dst_len ? (char *)dst : &dummy, &n) !=
        SNAPPY_OK)
        return corrupt(err, "SNAPPY", "invalid compressed data");
    if (n != dst_len) return size_mismatch(err, "SNAPPY", n, dst_len);
    return 0;
}

static int do_gzip(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                   fl_error *err)
{
    if (src_len > UINT_MAX || dst_len > UINT_MAX)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "GZIP page of 4 GiB or more is not supported");
    dctx_cache *c = cache_get(err);
    if (!c) return FLOE_ENOMEM;
    z_stream *zs = &c->inflate;
    if (!c->inflate_ready) {
        memset(zs, 0, sizeof *zs);
        zs->zalloc = fl_zlib_alloc;
        zs->zfree = fl_zlib_free;
        /* 15 + 32: a gzip or zlib header, detected automatically */
        if (inflateInit2(zs, 15 + 32) != Z_OK)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory creating gzip decompression state");
        c->inflate_ready = true;
    }
    uint8_t dummy;
    const uint8_t *in = src;
    size_t in_left = src_len;
    uint8_t *out = dst_len ? dst : &dummy;
    size_t out_left = dst_len;
    /* one inflate per member; a page may hold several members back to back */
    do {
        if (inflateReset(zs) != Z_OK) return corrupt(err, "GZIP", "could not reset the stream");
        zs->next_in = (Bytef *)in;
        zs->avail_in = (uInt)in_left;
        zs->next_out = out;
        zs->avail_out = (uInt)out_left;
        uInt avail_in0 = zs->avail_in, avail_out0 = zs->avail_out;
        int zrc = inflate(zs, Z_FINISH);
        size_t used = avail_in0 - zs->avail_in, made = avail_out0 - zs->avail_out;
        in += used;
        in_left -= used;
        out += made;
        out_left -= made;
        if (zrc == Z_BUF_ERROR && zs->avail_out == 0 && out_left == 0)
            return corrupt(err, "GZIP", "data is larger than the expected size");
        if (zrc != Z_STREAM_END)
            return corrupt(err, "GZIP", zs->msg ? zs->msg : "data is truncated");
    } while (in_left > 0);
    if (out_left != 0) return size_mismatch(err, "GZIP", dst_len - out_left, dst_len);
    return 0;
}

static int do_zstd(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                   fl_error *err)
{
    dctx_cache *c = cache_get(err);
    if (!c) return FLOE_ENOMEM;
    if (!c->zstd && !(c->zstd = ZSTD_createDCtx()))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating zstd decompression state");
    uint8_t dummy;
    /* handles several frames and frames without a content size */
    size_t n = ZSTD_decompressDCtx(c->zstd, dst_len ? dst : &dummy, dst_len, src, src_len);
    if (ZSTD_isError(n)) {
        if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall)
            return corrupt(err, "ZSTD", "data is larger than the expected size");
        return corrupt(err, "ZSTD", ZSTD_getErrorName(n));
    }
    if (n != dst_len) return size_mismatch(err, "ZSTD", n, dst_len);
    return 0;
}

static int do_lz4_raw(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                      fl_error *err)
{
    if (src_len > INT_MAX || dst_len > INT_MAX)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "LZ4_RAW page of 2 GiB or more is not supported");
    char dummy;
    int n = LZ4_decompress_safe((const char *)src, dst_len ? (char *)dst : &dummy, (int)src_len,
                                (int)dst_len);
    if (n < 0) return corrupt(err, "LZ4_RAW", "invalid compressed data");
    if ((size_t)n != dst_len) return size_mismatch(err, "LZ4_RAW", (size_t)n, dst_len);
    return 0;
}

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Hadoop framing: chunks of [BE u32 chunk uncompressed size] followed by
 * [BE u32 compressed size][LZ4 block] pairs until the chunk is complete. */
static bool lz4_hadoop(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
    size_t in = 0, out = 0;
    if (src_len < 8 || dst_len == 0) return false;
    while (in < src_len) {
        if (src_len - in < 8) return false;
        uint32_t chunk = load_be32(src + in);
        in += 4;
        if (chunk > dst_len - out) return false;
        size_t chunk_end = out + chunk;
        do {
            if (src_len - in < 4) return false;
            uint32_t clen = load_be32(src + in);
            in += 4;
            if (clen > src_len - in || clen > INT_MAX) return false;
            int n = LZ4_decompress_safe((const char *)src + in, (char *)dst + out, (int)clen,
                                        (int)(chunk_end - out));
            if (n < 0 || (n == 0 && clen == 0)) return false;
            in += clen;
            out += (size_t)n;
        } while (out < chunk_end);
    }
    return out == dst_len;
}

static bool lz4_frame(dctx_cache *c, const uint8_t *src, size_t src_len, uint8_t *dst,
                      size_t dst_len)
{
    if (!c->lz4f && LZ4F_isError(LZ4F_createDecompressionContext(&c->lz4f, LZ4F_VERSION))) {
        c->lz4f = NULL;
        return false;
    }
    LZ4F_resetDecompressionContext(c->lz4f);
    size_t in = 0, out = 0;
    uint8_t dummy;
    for (;;) {
        size_t in_sz = src_len - in, out_sz = dst_len - out;
        size_t hint = LZ4F_decompress(c->lz4f, out_sz ? dst + out : &dummy, &out_sz, src + in,
                                      &in_sz, NULL);
        if (LZ4F_isError(hint)) return false;
        in += in_sz;
        out += out_sz;
        if (hint == 0) {   /* a frame ended; another may follow */
            if (in == src_len) return out == dst_len;
            continue;
        }
        if (in_sz == 0 && out_sz == 0) return false;   /* no progress: truncated or too large */
    }
}

static int do_lz4_legacy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                         fl_error *err)
{
    if (src_len > INT_MAX || dst_len > INT_MAX)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "LZ4 page of 2 GiB or more is not supported");
    if (lz4_hadoop(src, src_len, dst, dst_len)) return 0;
    char dummy;
    int n = LZ4_decompress_safe((const char *)src, dst_len ? (char *)dst : &dummy, (int)src_len,
                                (int)dst_len);
    if (n >= 0 && (size_t)n == dst_len) return 0;
    dctx_cache *c = cache_get(err);
    if (!c) return FLOE_ENOMEM;
    if (lz4_frame(c, src, src_len, dst, dst_len)) return 0;
    return corrupt(err, "LZ4", "data is neither Hadoop-framed, a raw LZ4 block nor an LZ4 frame "
                               "of the expected size");
}

static int do_brotli(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                     fl_error *err)
{
    size_t n = dst_len;
    uint8_t dummy;
    BrotliDecoderResult r = BrotliDecoderDecompress(src_len, src, &n, dst_len ? dst : &dummy);
    if (r != BROTLI_DECODER_RESULT_SUCCESS)
        return corrupt(err, "BROTLI", "invalid or truncated data, or larger than the expected size");
    if (n != dst_len) return size_mismatch(err, "BROTLI", n, dst_len);
    return 0;
}

int pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                  fl_error *err)
{
    /* Nothing to decompress into nothing: some writers emit empty pages with
     * no compressed bytes at all (datapage_v2_empty_datapage.snappy). */
    if (src_len == 0 && dst_len == 0) return 0;
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        if (src_len != dst_len) return size_mismatch(err, "UNCOMPRESSED", src_len, dst_len);
        if (dst_len) memcpy(dst, src, dst_len);
        return 0;
    case PQ_CODEC_SNAPPY: return do_snappy(src, src_len, dst, dst_len, err);
    case PQ_CODEC_GZIP: return do_gzip(src, src_len, dst, dst_len, err);
    case PQ_CODEC_ZSTD: return do_zstd(src, src_len, dst, dst_len, err);
    case PQ_CODEC_LZ4_RAW: return do_lz4_raw(src, src_len, dst, dst_len, err);
    case PQ_CODEC_LZ4: return do_lz4_legacy(src, src_len, dst, dst_len, err);
    case PQ_CODEC_BROTLI: return do_brotli(src, src_len, dst, dst_len, err);
    case PQ_CODEC_LZO:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "LZO compression is not supported");
    default:
        return fl_error_set(err, FLOE_ECORRUPT, "unknown compression codec %d", codec);
    }
}
