/*
 * pq_compress.c: page compression for the codecs floe writes, and codec
 * name parsing (see pq_codec.h).
 *
 * Each call reserves the codec's worst-case bound in the output buffer and
 * compresses straight into it. Compression sits on the writer's hot path,
 * so the costly state (ZSTD_CCtx, zlib's deflate state) is kept per thread,
 * created on first use and freed by a pthread key destructor at thread exit;
 * zlib allocates through fl_malloc, libzstd through its own allocator.
 *
 * Levels: 0 picks the codec default (ZSTD 3, GZIP 6, BROTLI 8); ZSTD takes
 * ZSTD_minCLevel()..ZSTD_maxCLevel(), GZIP 1..9, BROTLI 1..11. SNAPPY and
 * LZ4_RAW have no levels and ignore it. Legacy LZ4 and LZO are not written
 * (parquet-format deprecates LZ4 in favour of LZ4_RAW).
 */
#include "pq_codec.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include <brotli/encode.h>
#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "../../base/alloc.h"
#include "../../base/tls_cache.h"
#include "pq_meta.h"

#define ZSTD_DEFAULT_LEVEL 3
#define GZIP_DEFAULT_LEVEL 6
#define BROTLI_DEFAULT_LEVEL 8

/* ------------------------------------------------- per-thread contexts */

typedef struct cctx_cache {
    ZSTD_CCtx *zstd;
    z_stream deflate;
    bool deflate_ready;
    int deflate_level;
} cctx_cache;

static void cache_release(void *arg)
{
    cctx_cache *c = arg;
    ZSTD_freeCCtx(c->zstd);
    if (c->deflate_ready) deflateEnd(&c->deflate);
}

static fl_tls_cache cache = FL_TLS_CACHE_INIT(sizeof(cctx_cache), cache_release, "compression state");
static _Thread_local void *tl_cache;

static cctx_cache *cache_get(fl_error *err)
{
    if (FL_LIKELY(tl_cache != NULL)) return tl_cache;
    return fl_tls_cache_get(&cache, &tl_cache, err);
}

/* Room for `bound` bytes at the end of out; commit the used part after. */
static uint8_t *room(fl_buf *out, size_t bound, const char *codec, fl_error *err)
{
    if (fl_buf_reserve(out, bound) < 0) {
        fl_error_set(err, FLOE_ENOMEM, "out of memory compressing %s page", codec);
        return NULL;
    }
    return (uint8_t *)out->data + out->len;
}

static void commit(fl_buf *out, size_t n)
{
    out->len += n;
    out->data[out->len] = 0;
}

static int bad_level(fl_error *err, const char *codec, int level, int lo, int hi)
{
    return fl_error_set(err, FLOE_EINVAL, "invalid %s compression level %d: must be %d to %d", codec,
                        level, lo, hi);
}

/* --------------------------------------------------------------- codecs */

static int do_snappy(const uint8_t *src, size_t src_len, fl_buf *out, fl_error *err)
{
    size_t bound = snappy_max_compressed_length(src_len);
    uint8_t *dst = room(out, bound, "SNAPPY", err);
    if (!dst) return FLOE_ENOMEM;
    size_t n = bound;
    if (snappy_compress((const char *)src, src_len, (char *)dst, &n) != SNAPPY_OK)
        return fl_error_set(err, FLOE_EINTERNAL, "snappy compression failed");
    commit(out, n);
    return 0;
}

static int do_gzip(int level, const uint8_t *src, size_t src_len, fl_buf *out, fl_error *err)
{
    if (level == 0) level = GZIP_DEFAULT_LEVEL;
    if (level < 1 || level > 9) return bad_level(err, "GZIP", level, 1, 9);
    if (src_len > UINT_MAX / 2)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "GZIP page of 2 GiB or more is not supported");
    cctx_cache *c = cache_get(err);
    if (!c) return FLOE_ENOMEM;
    z_stream *zs = &c->deflate;
    if (!c->deflate_ready) {
        memset(zs, 0, sizeof *zs);
        zs->zalloc = fl_zlib_alloc;
        zs->zfree = fl_zlib_free;
        /* 15 + 16: a gzip header and trailer, as Parquet's GZIP means */
        if (deflateInit2(zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory creating gzip compression state");
        c->deflate_ready = true;
        c->deflate_level = level;
    } else {
        if (deflateReset(zs) != Z_OK) return fl_error_set(err, FLOE_EINTERNAL, "gzip reset failed");
        if (level != c->deflate_level) {
            if (deflateParams(zs, level, Z_DEFAULT_STRATEGY) != Z_OK)
                return fl_error_set(err, FLOE_EINTERNAL, "gzip level change failed");
            c->deflate_level = level;
        }
    }
    size_t bound = deflateBound(zs, (uLong)src_len);
    uint8_t *dst = room(out, bound, "GZIP", err);
    if (!dst) return FLOE_ENOMEM;
    zs->next_in = (Bytef *)src;
    zs->avail_in = (uInt)src_len;
    zs->next_out = dst;
    zs->avail_out = (uInt)bound;
    int zrc = deflate(zs, Z_FINISH);
    if (zrc != Z_STREAM_END) {
        /* leave the cached stream usable: the next call resets it */
        return fl_error_set(err, zrc == Z_MEM_ERROR ? FLOE_ENOMEM : FLOE_EINTERNAL,
                            "gzip compression failed: %s", zs->msg ? zs->msg : "no detail");
    }
    commit(out, bound - zs->avail_out);
    return 0;
}

static int do_zstd(int level, const uint8_t *src, size_t src_len, fl_buf *out, fl_error *err)
{
    if (level == 0) level = ZSTD_DEFAULT_LEVEL;
    if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
        return bad_level(err, "ZSTD", level, ZSTD_minCLevel(), ZSTD_maxCLevel());
    cctx_cache *c = cache_get(err);
    if (!c) return FLOE_ENOMEM;
    if (!c->zstd && !(c->zstd = ZSTD_createCCtx()))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating zstd compression state");
    size_t bound = ZSTD_compressBound(src_len);
    uint8_t *dst = room(out, bound, "ZSTD", err);
    if (!dst) return FLOE_ENOMEM;
    size_t n = ZSTD_compressCCtx(c->zstd, dst, bound, src, src_len, level);
    if (ZSTD_isError(n))
        return fl_error_set(err, FLOE_EINTERNAL, "zstd compression failed: %s", ZSTD_getErrorName(n));
    commit(out, n);
    return 0;
}

static int do_lz4_raw(const uint8_t *src, size_t src_len, fl_buf *out, fl_error *err)
{
    if (src_len > LZ4_MAX_INPUT_SIZE)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "LZ4_RAW page of %zu bytes is too large",
                            src_len);
    int bound = LZ4_compressBound((int)src_len);
    uint8_t *dst = room(out, (size_t)bound, "LZ4_RAW", err);
    if (!dst) return FLOE_ENOMEM;
    int n = LZ4_compress_default((const char *)src, (char *)dst, (int)src_len, bound);
    if (n <= 0) return fl_error_set(err, FLOE_EINTERNAL, "lz4 compression failed");
    commit(out, (size_t)n);
    return 0;
}

static int do_brotli(int level, const uint8_t *src, size_t src_len, fl_buf *out, fl_error *err)
{
    if (level == 0) level = BROTLI_DEFAULT_LEVEL;
    if (level < 1 || level > BROTLI_MAX_QUALITY) return bad_level(err, "BROTLI", level, 1, 11);
    size_t bound = BrotliEncoderMaxCompressedSize(src_len);
    if (bound == 0)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "BROTLI page of %zu bytes is too large", src_len);
    uint8_t *dst = room(out, bound, "BROTLI", err);
    if (!dst) return FLOE_ENOMEM;
    size_t n = bound;
    if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, src_len, src, &n,
                               dst))
        return fl_error_set(err, FLOE_ENOMEM, "brotli compression failed");
    commit(out, n);
    return 0;
}

int pq_compress(int codec, int level, const uint8_t *src, size_t src_len, fl_buf *out,
                fl_error *err)
{
    static const uint8_t empty[1];
    if (!src) src = empty;   /* libraries may reject NULL even for zero bytes */
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        if (fl_buf_append(out, src, src_len) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory copying uncompressed page");
        return 0;
    case PQ_CODEC_SNAPPY: return do_snappy(src, src_len, out, err);
    case PQ_CODEC_GZIP: return do_gzip(level, src, src_len, out, err);
    case PQ_CODEC_ZSTD: return do_zstd(level, src, src_len, out, err);
    case PQ_CODEC_LZ4_RAW: return do_lz4_raw(src, src_len, out, err);
    case PQ_CODEC_BROTLI: return do_brotli(level, src, src_len, out, err);
    case PQ_CODEC_LZ4:
        return fl_error_set(err, FLOE_EUNSUPPORTED,
                            "writing the deprecated LZ4 codec is not supported: use LZ4_RAW");
    case PQ_CODEC_LZO:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "LZO compression is not supported");
    default:
        return fl_error_set(err, FLOE_EINVAL, "unknown compression codec %d", codec);
    }
}

int pq_codec_parse(const char *name, int *codec, fl_error *err)
{
    static const struct { const char *name; int codec; } names[] = {
        {"uncompressed", PQ_CODEC_UNCOMPRESSED}, {"none", PQ_CODEC_UNCOMPRESSED},
        {"snappy", PQ_CODEC_SNAPPY}, {"gzip", PQ_CODEC_GZIP}, {"zstd", PQ_CODEC_ZSTD},
        {"lz4_raw", PQ_CODEC_LZ4_RAW}, {"lz4", PQ_CODEC_LZ4_RAW}, {"brotli", PQ_CODEC_BROTLI},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(names); i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *codec = names[i].codec;
            return 0;
        }
    }
    return fl_error_set(err, FLOE_EINVAL,
                        "unrecognized compression codec \"%s\": expected uncompressed, snappy, "
                        "gzip, zstd, lz4_raw or brotli", name);
}
