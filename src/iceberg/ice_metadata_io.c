/*
 * ice_metadata_io.c: reading table metadata files: gzip (spec Appendix C,
 * "A metadata JSON file may be compressed with GZIP") and zstd inflation,
 * detected by their magic bytes, and the read-through-FileIO entry point.
 * Inflated sizes are capped so a small hostile file cannot exhaust memory.
 */
#include "ice_metadata.h"

#include <zlib.h>
#include <zstd.h>

#include "../base/buf.h"

/* Far above any real metadata file (Java writes a few MB at most). */
#define MAX_INFLATED (UINT64_C(1) << 30)

static int gunzip(fl_buf *out, const uint8_t *p, size_t len, fl_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    int rc = 0, zrc = Z_OK;
    while (zrc != Z_STREAM_END) {
        if (out->len >= MAX_INFLATED) {
            rc = fl_error_set(err, FLOE_ELIMIT, "gzip-compressed metadata inflates to more than 1 GiB");
            break;
        }
        if (fl_buf_reserve(out, 65536) < 0) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            break;
        }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)(out->cap - out->len - 1);
        size_t before = zs.avail_out;
        zrc = inflate(&zs, Z_NO_FLUSH);
        out->len += before - zs.avail_out;
        if (zrc == Z_STREAM_END) break;
        if (zrc != Z_OK || (zs.avail_in == 0 && before == zs.avail_out)) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid gzip-compressed metadata: %s",
                              zs.msg ? zs.msg : "truncated stream");
            break;
        }
    }
    inflateEnd(&zs);
    if (out->data) out->data[out->len] = '\0';
    return rc;
}

static int unzstd(fl_buf *out, const uint8_t *p, size_t len, fl_error *err)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    if (ds == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    ZSTD_inBuffer in = {p, len, 0};
    int rc = 0;
    size_t zrc = 1;
    while (zrc != 0) {
        if (out->len >= MAX_INFLATED) {
            rc = fl_error_set(err, FLOE_ELIMIT, "zstd-compressed metadata inflates to more than 1 GiB");
            break;
        }
        if (fl_buf_reserve(out, 65536) < 0) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            break;
        }
        ZSTD_outBuffer ob = {out->data + out->len, out->cap - out->len - 1, 0};
        zrc = ZSTD_decompressStream(ds, &ob, &in);
        out->len += ob.pos;
        if (ZSTD_isError(zrc)) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd-compressed metadata: %s", ZSTD_getErrorName(zrc));
            break;
        }
        if (zrc != 0 && in.pos == in.size && ob.pos == 0) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd-compressed metadata: truncated stream");
            break;
        }
    }
    ZSTD_freeDStream(ds);
    if (out->data) out->data[out->len] = '\0';
    return rc;
}

int ice_metadata_decompress(fl_buf *out, const void *data, size_t len, fl_error *err)
{
    const uint8_t *p = data;
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) return gunzip(out, p, len, err);
    if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) return unzstd(out, p, len, err);
    if (fl_buf_append(out, data, len) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

int ice_metadata_read(ice_metadata **out, io_fs *fs, const char *location, fl_error *err)
{
    fl_buf raw;
    fl_buf_init(&raw);
    int rc = io_read_file(fs, location, &raw, err);
    if (rc == 0) rc = ice_metadata_parse(out, raw.data ? raw.data : "", raw.len, err);
    fl_buf_dispose(&raw);
    if (rc < 0) fl_error_prefix(err, "could not read table metadata \"%s\": ", location);
    return rc;
}
