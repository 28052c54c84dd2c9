/*
 * avro_codec.c: the block codecs of Avro object container files.
 *
 * Avro's codecs are not Parquet's, so pq_codec is not reused: "deflate" is
 * raw deflate (RFC 1951, no zlib header: windowBits -15), "snappy" blocks
 * end with the big-endian CRC-32 of the uncompressed bytes (checked on
 * read), "zstandard" is one or more zstd frames. Decompression appends to a
 * buffer and stops at max_len, so a hostile block cannot inflate without
 * bound.
 */
#include "avro.h"

#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "../../base/crc32.h"

const char *avro_codec_name(avro_codec c)
{
    switch (c) {
    case AVRO_CODEC_NULL: return "null";
    case AVRO_CODEC_DEFLATE: return "deflate";
    case AVRO_CODEC_SNAPPY: return "snappy";
    case AVRO_CODEC_ZSTD: return "zstandard";
    }
    return "unknown";
}

int avro_codec_parse(avro_codec *out, const char *name, size_t len, fl_error *err)
{
    static const struct { const char *name; avro_codec c; } names[] = {
        {"null", AVRO_CODEC_NULL},     {"deflate", AVRO_CODEC_DEFLATE}, {"snappy", AVRO_CODEC_SNAPPY},
        {"zstandard", AVRO_CODEC_ZSTD}, {"zstd", AVRO_CODEC_ZSTD},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(names); i++) {
        if (strlen(names[i].name) == len && memcmp(names[i].name, name, len) == 0) {
            *out = names[i].c;
            return 0;
        }
    }
    return fl_error_set(err, FLOE_EUNSUPPORTED, "avro codec \"%.*s\" is not supported", (int)(len > 64 ? 64 : len),
                        name);
}

static int too_big(size_t max_len, fl_error *err)
{
    return fl_error_set(err, FLOE_ELIMIT, "avro block decompresses to more than %zu bytes", max_len);
}

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory in an avro codec"); }

static int inflate_raw(const uint8_t *src, size_t len, size_t max_len, fl_buf *out, fl_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -15) != Z_OK) return oom(err);
    int rc = 0;
    size_t start = out->len;
    zs.next_in = (Bytef *)(uintptr_t)src;
    size_t in_left = len;
    for (;;) {
        if (zs.avail_in == 0 && in_left) {
            zs.avail_in = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
            in_left -= zs.avail_in;
        }
        size_t produced = out->len - start;
        if (produced >= max_len) {
            /* full: only legal if the stream ends without more output */
            uint8_t probe;
            zs.next_out = &probe;
            zs.avail_out = 1;
            int z = inflate(&zs, Z_NO_FLUSH);
            if (z == Z_STREAM_END && zs.avail_out == 1) break;
            rc = z == Z_DATA_ERROR ? fl_error_set(err, FLOE_ECORRUPT, "invalid deflate data in avro block: %s",
                                                  zs.msg ? zs.msg : "bad stream")
                                   : too_big(max_len, err);
            break;
        }
        size_t chunk = len * 4 < 65536 ? 65536 : len * 4;
        if (chunk > max_len - produced) chunk = max_len - produced;
        if (chunk > (1u << 30)) chunk = 1u << 30;
        if (fl_buf_reserve(out, chunk) < 0) {
            rc = oom(err);
            break;
        }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)chunk;
        int z = inflate(&zs, Z_NO_FLUSH);
        out->len += chunk - zs.avail_out;
        if (z == Z_STREAM_END) break;
        if (z == Z_OK) continue;
        if (z == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid deflate data in avro block: stream is truncated");
            break;
        }
        if (z == Z_MEM_ERROR) {
            rc = oom(err);
            break;
        }
        rc = fl_error_set(err, FLOE_ECORRUPT, "invalid deflate data in avro block: %s", zs.msg ? zs.msg : "bad stream");
        break;
    }
    inflateEnd(&zs);
    if (rc < 0) out->len = start;
    if (out->data) out->data[out->len] = '\0';
    return rc;
}

static int unsnappy(const uint8_t *src, size_t len, size_t max_len, fl_buf *out, fl_error *err)
{
    if (len < 4) return fl_error_set(err, FLOE_ECORRUPT, "invalid snappy avro block: %zu bytes is too short", len);
    size_t body = len - 4, ulen;
    if (snappy_uncompressed_length((const char *)src, body, &ulen) != SNAPPY_OK)
        return fl_error_set(err, FLOE_ECORRUPT, "invalid snappy avro block: bad length header");
    if (ulen > max_len) return too_big(max_len, err);
    char *dst = fl_buf_extend(out, ulen);
    if (!dst && ulen) return oom(err);
    size_t got = ulen;
    if (snappy_uncompress((const char *)src, body, dst, &got) != SNAPPY_OK || got != ulen) {
        out->len -= ulen;
        return fl_error_set(err, FLOE_ECORRUPT, "invalid snappy avro block: bad compressed data");
    }
    const uint8_t *c = src + body;
    uint32_t want = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
    uint32_t have = fl_crc32(0, dst, ulen);
    if (want != have) {
        out->len -= ulen;
        return fl_error_set(err, FLOE_ECORRUPT, "invalid snappy avro block: CRC-32 %08x does not match %08x", have,
                            want);
    }
    return 0;
}

static int unzstd(const uint8_t *src, size_t len, size_t max_len, fl_buf *out, fl_error *err)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    if (!ds) return oom(err);
    int rc = 0;
    size_t start = out->len;
    ZSTD_inBuffer in = {src, len, 0};
    size_t last = 1;
    while (in.pos < in.size || last != 0) {
        size_t produced = out->len - start;
        size_t chunk = ZSTD_DStreamOutSize();
        if (produced >= max_len) {
            /* full: more output means the block is too big */
            uint8_t probe;
            ZSTD_outBuffer o = {&probe, 1, 0};
            last = ZSTD_decompressStream(ds, &o, &in);
            if (ZSTD_isError(last)) {
                rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd avro block: %s", ZSTD_getErrorName(last));
                break;
            }
            if (o.pos) {
                rc = too_big(max_len, err);
                break;
            }
            if (in.pos == in.size && last != 0) {
                rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd avro block: stream is truncated");
                break;
            }
            continue;
        }
        if (chunk > max_len - produced) chunk = max_len - produced;
        if (fl_buf_reserve(out, chunk) < 0) {
            rc = oom(err);
            break;
        }
        ZSTD_outBuffer o = {out->data + out->len, chunk, 0};
        size_t in_before = in.pos;
        last = ZSTD_decompressStream(ds, &o, &in);
        if (ZSTD_isError(last)) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd avro block: %s", ZSTD_getErrorName(last));
            break;
        }
        out->len += o.pos;
        if (o.pos == 0 && in.pos == in_before && last != 0) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd avro block: stream is truncated");
            break;
        }
    }
    ZSTD_freeDStream(ds);
    if (rc < 0) out->len = start;
    if (out->data) out->data[out->len] = '\0';
    return rc;
}

int avro_decompress(avro_codec c, const uint8_t *src, size_t len, size_t max_len, fl_buf *out,
                    fl_error *err)
{
    switch (c) {
    case AVRO_CODEC_NULL:
        if (len > max_len) return too_big(max_len, err);
        return fl_buf_append(out, src, len) < 0 ? oom(err) : 0;
    case AVRO_CODEC_DEFLATE: return inflate_raw(src, len, max_len, out, err);
    case AVRO_CODEC_SNAPPY: return unsnappy(src, len, max_len, out, err);
    case AVRO_CODEC_ZSTD: return unzstd(src, len, max_len, out, err);
    }
    return fl_error_set(err, FLOE_EUNSUPPORTED, "unknown avro codec %d", (int)c);
}

static int deflate_raw(int level, const uint8_t *src, size_t len, fl_buf *out, fl_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (level <= 0 || level > 9) level = Z_DEFAULT_COMPRESSION;
    if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return oom(err);
    if (len > (1u << 30)) {
        deflateEnd(&zs);
        return fl_error_set(err, FLOE_ELIMIT, "avro block of %zu bytes is too large to deflate", len);
    }
    size_t bound = deflateBound(&zs, (uLong)len);
    int rc = 0;
    if (fl_buf_reserve(out, bound) < 0) {
        rc = oom(err);
    } else {
        zs.next_in = (Bytef *)(uintptr_t)src;
        zs.avail_in = (uInt)len;
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)bound;
        if (deflate(&zs, Z_FINISH) != Z_STREAM_END) rc = fl_error_set(err, FLOE_EINTERNAL, "deflate did not finish");
        else out->len += bound - zs.avail_out;
        out->data[out->len] = '\0';
    }
    deflateEnd(&zs);
    return rc;
}

int avro_compress(avro_codec c, int level, const uint8_t *src, size_t len, fl_buf *out,
                  fl_error *err)
{
    switch (c) {
    case AVRO_CODEC_NULL: return fl_buf_append(out, src, len) < 0 ? oom(err) : 0;
    case AVRO_CODEC_DEFLATE: return deflate_raw(level, src, len, out, err);
    case AVRO_CODEC_SNAPPY: {
        size_t bound = snappy_max_compressed_length(len);
        if (fl_buf_reserve(out, bound + 4) < 0) return oom(err);
        size_t clen = bound;
        if (snappy_compress((const char *)src, len, out->data + out->len, &clen) != SNAPPY_OK)
            return fl_error_set(err, FLOE_EINTERNAL, "snappy compression failed");
        out->len += clen;
        uint32_t crc = fl_crc32(0, src, len);
        uint8_t be[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
        return fl_buf_append(out, be, 4) < 0 ? oom(err) : 0;
    }
    case AVRO_CODEC_ZSTD: {
        size_t bound = ZSTD_compressBound(len);
        if (fl_buf_reserve(out, bound) < 0) return oom(err);
        size_t n = ZSTD_compress(out->data + out->len, bound, src, len, level > 0 ? level : 3);
        if (ZSTD_isError(n)) return fl_error_set(err, FLOE_EINTERNAL, "zstd compression failed: %s", ZSTD_getErrorName(n));
        out->len += n;
        out->data[out->len] = '\0';
        return 0;
    }
    }
    return fl_error_set(err, FLOE_EUNSUPPORTED, "unknown avro codec %d", (int)c);
}
