/*
 * fuzz_pq_codec.c: libFuzzer target for Parquet page decompression
 * (src/format/parquet/pq_codec.h).
 *
 * Input layout: byte 0 picks the codec (modulo 8, so LZO's rejection is
 * exercised too), bytes 1-3 the little-endian expected uncompressed size
 * (20 bits: under 1 MiB, so executions stay fast), the rest is the
 * compressed page. Besides "no crash, no write past the expected size", it
 * checks that every failure is FLOE_ECORRUPT or FLOE_EUNSUPPORTED with a
 * message, and that the payload round-trips through pq_compress and
 * pq_decompress for every codec floe writes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/buf.h"
#include "../src/base/error.h"
#include "../src/format/parquet/pq_codec.h"
#include "../src/format/parquet/pq_meta.h"

static void check(int ok)
{
    if (!ok) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4) return 0;
    int codec = data[0] % 8;
    size_t want = (size_t)data[1] | (size_t)data[2] << 8 | (size_t)(data[3] & 0x0f) << 16;
    const uint8_t *src = data + 4;
    size_t src_len = size - 4;
    fl_error err;

    /* exactly `want` bytes: ASan catches any write beyond */
    uint8_t *out = malloc(want ? want : 1);
    if (!out) return 0;
    int rc = pq_decompress(codec, src, src_len, want ? out : NULL, want, &err);
    if (rc < 0) {
        check(rc == FLOE_ECORRUPT || rc == FLOE_EUNSUPPORTED);
        check(err.message[0] != 0);
    }
    free(out);

    static const int writable[] = {PQ_CODEC_UNCOMPRESSED, PQ_CODEC_SNAPPY, PQ_CODEC_GZIP,
                                   PQ_CODEC_ZSTD, PQ_CODEC_LZ4_RAW, PQ_CODEC_BROTLI};
    int wcodec = writable[data[1] % 6];
    if (wcodec == PQ_CODEC_BROTLI && src_len > 4096) return 0;   /* keep executions fast */
    fl_buf b;
    fl_buf_init(&b);
    check(pq_compress(wcodec, 1, src, src_len, &b, &err) == 0);
    uint8_t *back = malloc(src_len ? src_len : 1);
    check(back != NULL);
    check(pq_decompress(wcodec, (const uint8_t *)b.data, b.len, back, src_len, &err) == 0);
    check(src_len == 0 || memcmp(back, src, src_len) == 0);
    free(back);
    fl_buf_dispose(&b);
    return 0;
}
