/*
 * test_codec.c: page compression and decompression (pq_compress.c,
 * pq_decompress.c): round trips of every writable codec over varied data
 * (empty, tiny, incompressible, repetitive) and levels; the exact-size rule;
 * truncated and garbled input for every codec; the alternative framings
 * (GZIP members, ZSTD frames without a content size, legacy LZ4 as Hadoop
 * frames, raw blocks and LZ4 frames); every page of the corpus files that
 * use each codec; per-thread state across threads; codec name parsing.
 */
#include "../test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <lz4.h>
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/format/parquet/pq_codec.h"
#include "../../../src/format/parquet/pq_meta.h"

static const int writable[] = {PQ_CODEC_UNCOMPRESSED, PQ_CODEC_SNAPPY, PQ_CODEC_GZIP,
                               PQ_CODEC_ZSTD, PQ_CODEC_LZ4_RAW, PQ_CODEC_BROTLI};

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

typedef struct sample {
    const char *name;
    uint8_t *data;
    size_t len;
} sample;

/* kind 0 zeros, 1 random, 2 text-like, 3 int32 sequence */
static sample make_sample(const char *name, int kind, size_t len)
{
    sample s = {name, fl_malloc(len ? len : 1), len};
    uint64_t seed = 0x1234567ULL + len + (uint64_t)kind;
    static const char *words[] = {"lake ", "floe ", "parquet ", "iceberg ", "snapshot ", "row "};
    size_t i = 0;
    while (i < len) {
        switch (kind) {
        case 0: s.data[i++] = 0; break;
        case 1: s.data[i++] = (uint8_t)rng_next(&seed); break;
        case 2: {
            const char *w = words[rng_next(&seed) % FL_ARRAY_SIZE(words)];
            for (size_t k = 0; w[k] && i < len; k++) s.data[i++] = (uint8_t)w[k];
            break;
        }
        default: {
            uint32_t v = (uint32_t)(i / 4) * 7u;
            s.data[i] = (uint8_t)(v >> (8 * (i % 4)));
            i++;
            break;
        }
        }
    }
    return s;
}

static bool roundtrip(int codec, int level, const uint8_t *src, size_t len)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    bool ok = CHECK_OK(pq_compress(codec, level, src, len, &b, &err), &err);
    uint8_t *out = fl_malloc(len + 1);
    if (ok) {
        /* decompression from an unaligned offset inside a larger buffer */
        ok = CHECK_OK(pq_decompress(codec, (const uint8_t *)b.data, b.len, out, len, &err), &err);
        if (ok) ok = CHECK_MEM(out, len, src, len);
        if (!ok) fprintf(stderr, "  codec %s level %d len %zu\n", pq_codec_name(codec), level, len);
    }
    fl_free(out);
    fl_buf_dispose(&b);
    return ok;
}

TEST(codec_roundtrip_every_codec)
{
    sample samples[] = {
        make_sample("empty", 0, 0),         make_sample("one", 1, 1),
        make_sample("zeros", 0, 65536),     make_sample("random", 1, 100000),
        make_sample("text", 2, 300000),     make_sample("ints", 3, 40000),
        make_sample("odd", 2, 13),
    };
    for (size_t c = 0; c < FL_ARRAY_SIZE(writable); c++)
        for (size_t s = 0; s < FL_ARRAY_SIZE(samples); s++)
            roundtrip(writable[c], 0, samples[s].data, samples[s].len);
    /* levels */
    const sample *text = &samples[4];
    CHECK(roundtrip(PQ_CODEC_ZSTD, 1, text->data, text->len));
    CHECK(roundtrip(PQ_CODEC_ZSTD, -5, text->data, text->len));
    CHECK(roundtrip(PQ_CODEC_ZSTD, 12, text->data, 50000));
    CHECK(roundtrip(PQ_CODEC_GZIP, 1, text->data, text->len));
    CHECK(roundtrip(PQ_CODEC_GZIP, 9, text->data, text->len));
    CHECK(roundtrip(PQ_CODEC_GZIP, 0, text->data, text->len));   /* back to the default */
    CHECK(roundtrip(PQ_CODEC_BROTLI, 1, text->data, text->len));
    CHECK(roundtrip(PQ_CODEC_BROTLI, 11, text->data, 20000));

    /* compression actually compresses, and appends after existing bytes */
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    CHECK_OK(fl_buf_append(&b, "HDR", 3), &err);
    CHECK_OK(pq_compress(PQ_CODEC_ZSTD, 0, text->data, text->len, &b, &err), &err);
    CHECK(b.len < text->len / 3);
    CHECK_MEM(b.data, 3, "HDR", 3);
    uint8_t *out = fl_malloc(text->len);
    CHECK_OK(pq_decompress(PQ_CODEC_ZSTD, (const uint8_t *)b.data + 3, b.len - 3, out, text->len,
                           &err), &err);
    CHECK_MEM(out, text->len, text->data, text->len);
    fl_free(out);
    fl_buf_dispose(&b);

    for (size_t s = 0; s < FL_ARRAY_SIZE(samples); s++) fl_free(samples[s].data);
}

TEST(codec_levels_and_unwritable)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    const uint8_t x[4] = {1, 2, 3, 4};
    CHECK_EQ(pq_compress(PQ_CODEC_GZIP, 10, x, 4, &b, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "GZIP") != NULL);
    CHECK_EQ(pq_compress(PQ_CODEC_ZSTD, 1000, x, 4, &b, &err), FLOE_EINVAL);
    CHECK_EQ(pq_compress(PQ_CODEC_BROTLI, 12, x, 4, &b, &err), FLOE_EINVAL);
    CHECK_EQ(pq_compress(PQ_CODEC_LZ4, 0, x, 4, &b, &err), FLOE_EUNSUPPORTED);
    CHECK_EQ(pq_compress(PQ_CODEC_LZO, 0, x, 4, &b, &err), FLOE_EUNSUPPORTED);
    CHECK_EQ(pq_compress(42, 0, x, 4, &b, &err), FLOE_EINVAL);
    CHECK_EQ(b.len, 0);
    uint8_t out[4];
    CHECK_EQ(pq_decompress(PQ_CODEC_LZO, x, 4, out, 4, &err), FLOE_EUNSUPPORTED);
    CHECK_EQ(pq_decompress(99, x, 4, out, 4, &err), FLOE_ECORRUPT);
    /* an empty page with no bytes is fine for every codec, even snappy */
    for (int codec = 0; codec <= PQ_CODEC_LZ4_RAW; codec++)
        CHECK_EQ(pq_decompress(codec, NULL, 0, NULL, 0, &err), 0);
    fl_buf_dispose(&b);
}

/* Truncations, wrong expected sizes and byte flips of a valid stream. */
static void corrupt_codec(int codec, const uint8_t *src, size_t len)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    if (codec == PQ_CODEC_LZ4) {   /* legacy: a Hadoop frame of one LZ4_RAW block */
        fl_buf raw;
        fl_buf_init(&raw);
        CHECK_OK(pq_compress(PQ_CODEC_LZ4_RAW, 0, src, len, &raw, &err), &err);
        uint8_t hdr[8] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                          (uint8_t)len, (uint8_t)(raw.len >> 24), (uint8_t)(raw.len >> 16),
                          (uint8_t)(raw.len >> 8), (uint8_t)raw.len};
        fl_buf_append(&b, hdr, 8);
        fl_buf_append(&b, raw.data, raw.len);
        fl_buf_dispose(&raw);
    } else {
        CHECK_OK(pq_compress(codec, 0, src, len, &b, &err), &err);
    }
    uint8_t *out = fl_malloc(len + 64);
    const uint8_t *z = (const uint8_t *)b.data;
    CHECK_OK(pq_decompress(codec, z, b.len, out, len, &err), &err);
    /* wrong expected sizes */
    CHECK_EQ(pq_decompress(codec, z, b.len, out, len - 1, &err), FLOE_ECORRUPT);
    CHECK_EQ(pq_decompress(codec, z, b.len, out, len + 1, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, pq_codec_name(codec)) != NULL);
    /* every truncation */
    for (size_t n = 0; n < b.len; n++) {
        int rc = pq_decompress(codec, z, n, out, len, &err);
        if (!CHECK_EQ(rc, FLOE_ECORRUPT)) {
            fprintf(stderr, "  %s truncated to %zu of %zu\n", pq_codec_name(codec), n, b.len);
            break;
        }
    }
    /* byte flips: decode (to something of the right size) or fail cleanly */
    uint8_t *copy = fl_malloc(b.len);
    uint64_t seed = 77 + (uint64_t)codec;
    int failures = 0;
    for (int iter = 0; iter < 400; iter++) {
        memcpy(copy, z, b.len);
        int k = 1 + (int)(rng_next(&seed) % 3);
        for (int j = 0; j < k; j++) copy[rng_next(&seed) % b.len] ^= (uint8_t)(1 + rng_next(&seed) % 255);
        int rc = pq_decompress(codec, copy, b.len, out, len, &err);
        if (rc != 0) {
            failures++;
            CHECK_EQ(rc, FLOE_ECORRUPT);
        }
    }
    if (codec != PQ_CODEC_UNCOMPRESSED) CHECK(failures > 0);
    /* garbage of assorted lengths */
    for (size_t n = 1; n < 300; n += 7) {
        for (size_t i = 0; i < n; i++) copy[i % b.len] = (uint8_t)rng_next(&seed);
        int rc = pq_decompress(codec, copy, n < b.len ? n : b.len, out, len, &err);
        CHECK(rc == 0 || rc == FLOE_ECORRUPT);
    }
    fl_free(copy);
    fl_free(out);
    fl_buf_dispose(&b);
}

TEST(codec_corrupt_input_every_codec)
{
    sample text = make_sample("text", 2, 5000);
    for (size_t c = 0; c < FL_ARRAY_SIZE(writable); c++) corrupt_codec(writable[c], text.data, text.len);
    corrupt_codec(PQ_CODEC_LZ4, text.data, text.len);
    fl_free(text.data);
}

TEST(codec_gzip_members_and_zlib)
{
    sample a = make_sample("a", 2, 7000), c = make_sample("c", 3, 5000);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    CHECK_OK(pq_compress(PQ_CODEC_GZIP, 0, a.data, a.len, &b, &err), &err);
    CHECK_OK(pq_compress(PQ_CODEC_GZIP, 1, NULL, 0, &b, &err), &err);   /* empty member */
    CHECK_OK(pq_compress(PQ_CODEC_GZIP, 9, c.data, c.len, &b, &err), &err);
    uint8_t *out = fl_malloc(a.len + c.len);
    CHECK_OK(pq_decompress(PQ_CODEC_GZIP, (const uint8_t *)b.data, b.len, out, a.len + c.len, &err),
             &err);
    CHECK_MEM(out, a.len, a.data, a.len);
    CHECK_MEM(out + a.len, c.len, c.data, c.len);
    /* trailing garbage after the members is an error */
    fl_buf_append(&b, "xyz", 3);
    CHECK_EQ(pq_decompress(PQ_CODEC_GZIP, (const uint8_t *)b.data, b.len, out, a.len + c.len, &err),
             FLOE_ECORRUPT);
    /* zlib-wrapped deflate is accepted too */
    uLongf zlen = compressBound((uLong)a.len);
    uint8_t *z = fl_malloc(zlen);
    CHECK_EQ(compress2(z, &zlen, a.data, (uLong)a.len, 6), Z_OK);
    CHECK_OK(pq_decompress(PQ_CODEC_GZIP, z, zlen, out, a.len, &err), &err);
    CHECK_MEM(out, a.len, a.data, a.len);
    fl_free(z);
    fl_free(out);
    fl_buf_dispose(&b);
    fl_free(a.data);
    fl_free(c.data);
}

TEST(codec_zstd_frames)
{
    sample a = make_sample("a", 2, 9000);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    CHECK_EQ(ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0)), 0);
    size_t cap = ZSTD_compressBound(a.len) * 2 + 64;
    uint8_t *z = fl_malloc(cap);
    size_t n1 = ZSTD_compress2(cc, z, cap, a.data, a.len);
    CHECK(!ZSTD_isError(n1));
    CHECK_EQ(ZSTD_getFrameContentSize(z, n1), ZSTD_CONTENTSIZE_UNKNOWN);
    size_t n2 = ZSTD_compress2(cc, z + n1, cap - n1, a.data, 1000);   /* a second frame */
    CHECK(!ZSTD_isError(n2));
    uint8_t *out = fl_malloc(a.len + 1000);
    fl_error err;
    CHECK_OK(pq_decompress(PQ_CODEC_ZSTD, z, n1, out, a.len, &err), &err);
    CHECK_MEM(out, a.len, a.data, a.len);
    CHECK_OK(pq_decompress(PQ_CODEC_ZSTD, z, n1 + n2, out, a.len + 1000, &err), &err);
    CHECK_MEM(out + a.len, 1000, a.data, 1000);
    /* an unknown-size frame larger than the page says */
    CHECK_EQ(pq_decompress(PQ_CODEC_ZSTD, z, n1, out, a.len - 10, &err), FLOE_ECORRUPT);
    ZSTD_freeCCtx(cc);
    fl_free(z);
    fl_free(out);
    fl_free(a.data);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

TEST(codec_lz4_legacy_framings)
{
    sample a = make_sample("a", 2, 30000);
    size_t cap = (size_t)LZ4_compressBound((int)a.len) * 2 + 64;
    uint8_t *z = fl_malloc(cap), *out = fl_malloc(a.len);
    fl_error err;
    /* Hadoop: chunk 1 = 20000 bytes in two blocks, chunk 2 = 10000 in one */
    size_t n = 0;
    put_be32(z + n, 20000), n += 4;
    for (int blk = 0; blk < 2; blk++) {
        int c = LZ4_compress_default((const char *)a.data + blk * 10000, (char *)z + n + 4, 10000,
                                     (int)(cap - n - 4));
        put_be32(z + n, (uint32_t)c), n += 4 + (size_t)c;
    }
    put_be32(z + n, 10000), n += 4;
    int c = LZ4_compress_default((const char *)a.data + 20000, (char *)z + n + 4, 10000,
                                 (int)(cap - n - 4));
    put_be32(z + n, (uint32_t)c), n += 4 + (size_t)c;
    memset(out, 0, a.len);
    CHECK_OK(pq_decompress(PQ_CODEC_LZ4, z, n, out, a.len, &err), &err);
    CHECK_MEM(out, a.len, a.data, a.len);
    CHECK_EQ(pq_decompress(PQ_CODEC_LZ4, z, n - 1, out, a.len, &err), FLOE_ECORRUPT);

    /* a raw block */
    c = LZ4_compress_default((const char *)a.data, (char *)z, (int)a.len, (int)cap);
    memset(out, 0, a.len);
    CHECK_OK(pq_decompress(PQ_CODEC_LZ4, z, (size_t)c, out, a.len, &err), &err);
    CHECK_MEM(out, a.len, a.data, a.len);

    /* LZ4 frames, two back to back */
    size_t f1 = LZ4F_compressFrame(z, cap, a.data, 20000, NULL);
    CHECK(!LZ4F_isError(f1));
    size_t f2 = LZ4F_compressFrame(z + f1, cap - f1, a.data + 20000, 10000, NULL);
    CHECK(!LZ4F_isError(f2));
    memset(out, 0, a.len);
    CHECK_OK(pq_decompress(PQ_CODEC_LZ4, z, f1 + f2, out, a.len, &err), &err);
    CHECK_MEM(out, a.len, a.data, a.len);
    CHECK_EQ(pq_decompress(PQ_CODEC_LZ4, z, f1 + f2 - 3, out, a.len, &err), FLOE_ECORRUPT);
    CHECK_EQ(pq_decompress(PQ_CODEC_LZ4, z, f1, out, a.len, &err), FLOE_ECORRUPT);
    fl_free(z);
    fl_free(out);
    fl_free(a.data);
}

/* ------------------------------------------------------ corpus pages */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = fl_malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        fl_free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* Decompresses every page (up to 16 MiB) of every column chunk; returns the
 * count of pages decompressed. */
static int decompress_file(const char *rel, int want_codec)
{
    char path[256];
    snprintf(path, sizeof path, "fixtures/parquet/data/%s", rel);
    size_t len;
    uint8_t *file = slurp(ft_shared(path), &len);
    if (!CHECK(file != NULL)) return 0;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    pq_file_meta *m = NULL;
    uint32_t flen = fl_load_u32le(file + len - 8);
    int pages = 0;
    if (!CHECK_OK(pq_file_meta_read(&m, file + len - 8 - flen, flen, a, &err), &err)) goto done;
    for (int32_t g = 0; g < m->n_row_groups; g++) {
        for (int32_t ci = 0; ci < m->row_groups[g].n_columns; ci++) {
            const pq_column_meta *cm = &m->row_groups[g].columns[ci].meta;
            CHECK_EQ(cm->codec, want_codec);
            int64_t off = cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0
                              ? cm->dictionary_page_offset : cm->data_page_offset;
            int64_t end = off + cm->total_compressed_size;
            if (!CHECK(end <= (int64_t)len)) continue;
            while (off < end) {
                pq_page_header h;
                size_t used;
                if (!CHECK_OK(pq_page_header_read(&h, file + off, (size_t)(end - off), &used, a,
                                                  &err), &err))
                    break;
                const uint8_t *body = file + off + used;
                size_t clen = (size_t)h.compressed_page_size, ulen = (size_t)h.uncompressed_page_size;
                if (!CHECK(off + (int64_t)used + (int64_t)clen <= end)) break;
                bool compressed = true;
                if (h.type == PQ_PAGE_DATA_V2) {   /* levels are stored uncompressed */
                    size_t levels = (size_t)h.definition_levels_byte_length +
                                    (size_t)h.repetition_levels_byte_length;
                    body += levels;
                    clen -= levels;
                    ulen -= levels;
                    compressed = h.is_compressed;
                }
                if (ulen > ((size_t)16 << 20)) {   /* large_string_map: 1 GiB pages, too slow here */
                    off += (int64_t)used + h.compressed_page_size;
                    continue;
                }
                uint8_t *out = fl_malloc(ulen ? ulen : 1);
                int rc = pq_decompress(compressed ? cm->codec : PQ_CODEC_UNCOMPRESSED, body, clen,
                                       out, ulen, &err);
                if (!CHECK_OK(rc, &err)) fprintf(stderr, "  %s page %d\n", rel, pages);
                fl_free(out);
                off += (int64_t)used + h.compressed_page_size;
                pages++;
            }
        }
    }
done:
    fl_arena_free(a);
    fl_free(file);
    return pages;
}

TEST(codec_corpus_pages)
{
    CHECK(decompress_file("alltypes_plain.snappy.parquet", PQ_CODEC_SNAPPY) > 10);
    CHECK(decompress_file("datapage_v2.snappy.parquet", PQ_CODEC_SNAPPY) > 3);
    CHECK(decompress_file("datapage_v2_empty_datapage.snappy.parquet", PQ_CODEC_SNAPPY) >= 1);
    CHECK(decompress_file("concatenated_gzip_members.parquet", PQ_CODEC_GZIP) >= 1);
    CHECK(decompress_file("rle_boolean_encoding.parquet", PQ_CODEC_GZIP) >= 1);
    CHECK(decompress_file("byte_stream_split_extended.gzip.parquet", PQ_CODEC_GZIP) > 5);
    CHECK(decompress_file("byte_stream_split.zstd.parquet", PQ_CODEC_ZSTD) >= 2);
    CHECK(decompress_file("page_v2_empty_compressed.parquet", PQ_CODEC_ZSTD) >= 1);
    CHECK(decompress_file("delta_length_byte_array.parquet", PQ_CODEC_ZSTD) >= 1);
    CHECK(decompress_file("large_string_map.brotli.parquet", PQ_CODEC_BROTLI) >= 2);
    CHECK(decompress_file("hadoop_lz4_compressed.parquet", PQ_CODEC_LZ4) >= 3);
    CHECK(decompress_file("hadoop_lz4_compressed_larger.parquet", PQ_CODEC_LZ4) >= 1);
    CHECK(decompress_file("non_hadoop_lz4_compressed.parquet", PQ_CODEC_LZ4) >= 3);
    CHECK(decompress_file("lz4_raw_compressed.parquet", PQ_CODEC_LZ4_RAW) >= 3);
    CHECK(decompress_file("lz4_raw_compressed_larger.parquet", PQ_CODEC_LZ4_RAW) >= 1);
}

TEST(codec_concatenated_gzip_values)
{
    /* 513 UINT64 values in one DATA_PAGE_V2 made of two gzip members */
    size_t len;
    uint8_t *file = slurp(ft_shared("fixtures/parquet/data/concatenated_gzip_members.parquet"), &len);
    if (!CHECK(file != NULL)) return;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    pq_file_meta *m;
    uint32_t flen = fl_load_u32le(file + len - 8);
    if (CHECK_OK(pq_file_meta_read(&m, file + len - 8 - flen, flen, a, &err), &err)) {
        const pq_column_meta *cm = &m->row_groups[0].columns[0].meta;
        pq_page_header h;
        size_t used;
        int64_t off = cm->data_page_offset;
        CHECK_OK(pq_page_header_read(&h, file + off, len - (size_t)off, &used, a, &err), &err);
        CHECK_EQ(h.type, PQ_PAGE_DATA_V2);
        size_t levels = (size_t)(h.definition_levels_byte_length + h.repetition_levels_byte_length);
        size_t ulen = (size_t)h.uncompressed_page_size - levels;
        uint8_t *out = fl_malloc(ulen);
        CHECK_OK(pq_decompress(PQ_CODEC_GZIP, file + off + used + levels,
                               (size_t)h.compressed_page_size - levels, out, ulen, &err), &err);
        CHECK_EQ(h.num_values, 513);
        CHECK(ulen >= 513 * 8);
        /* values are 1..513 (first and last PLAIN values after levels) */
        uint64_t first = fl_load_u64le(out + ulen - 513 * 8), last = fl_load_u64le(out + ulen - 8);
        CHECK_EQ(first, 1);
        CHECK_EQ(last, 513);
        fl_free(out);
    }
    fl_arena_free(a);
    fl_free(file);
}

/* ------------------------------------------------------------ threads */

typedef struct job {
    int codec;
    const sample *s;
    int failures;
    int oom_rc;
} job;

static void *thread_roundtrips(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 50; i++) {
        fl_buf b;
        fl_buf_init(&b);
        fl_error err;
        uint8_t *out = fl_malloc(j->s->len);
        if (pq_compress(j->codec, 0, j->s->data, j->s->len, &b, &err) < 0 ||
            pq_decompress(j->codec, (const uint8_t *)b.data, b.len, out, j->s->len, &err) < 0 ||
            memcmp(out, j->s->data, j->s->len) != 0)
            j->failures++;
        fl_free(out);
        fl_buf_dispose(&b);
    }
    return NULL;
}

static void *thread_oom(void *arg)
{
    job *j = arg;
    uint8_t z[64], out[8] = {0};
    fl_error err;
    /* the thread's first use must allocate its cache: make that fail */
    fl_alloc_fail_after(0);
    j->oom_rc = pq_decompress(PQ_CODEC_GZIP, z, sizeof z, out, sizeof out, &err);
    fl_alloc_fail_after(-1);
    return NULL;
}

TEST(codec_threads)
{
    sample s = make_sample("t", 2, 20000);
    job jobs[4] = {{PQ_CODEC_ZSTD, &s, 0, 0}, {PQ_CODEC_GZIP, &s, 0, 0},
                   {PQ_CODEC_ZSTD, &s, 0, 0}, {PQ_CODEC_GZIP, &s, 0, 0}};
    pthread_t t[4];
    for (int i = 0; i < 4; i++) CHECK_EQ(pthread_create(&t[i], NULL, thread_roundtrips, &jobs[i]), 0);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) CHECK_EQ(jobs[i].failures, 0);
    job oom = {0};
    pthread_t to;
    CHECK_EQ(pthread_create(&to, NULL, thread_oom, &oom), 0);
    pthread_join(to, NULL);
    CHECK_EQ(oom.oom_rc, FLOE_ENOMEM);
    fl_free(s.data);
}

TEST(codec_out_of_memory)
{
    sample s = make_sample("m", 2, 3000);
    for (size_t c = 0; c < FL_ARRAY_SIZE(writable); c++) {
        fl_buf b;
        fl_buf_init(&b);
        fl_error err;
        fl_alloc_fail_after(0);   /* the output buffer cannot grow */
        int rc = pq_compress(writable[c], 0, s.data, s.len, &b, &err);
        fl_alloc_fail_after(-1);
        CHECK_EQ(rc, FLOE_ENOMEM);
        CHECK_EQ(b.len, 0);
        fl_buf_dispose(&b);
    }
    fl_free(s.data);
}

TEST(codec_parse_names)
{
    int codec = -1;
    fl_error err;
    CHECK_OK(pq_codec_parse("zstd", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_ZSTD);
    CHECK_OK(pq_codec_parse("SNAPPY", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_SNAPPY);
    CHECK_OK(pq_codec_parse("gzip", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_GZIP);
    CHECK_OK(pq_codec_parse("lz4", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_LZ4_RAW);
    CHECK_OK(pq_codec_parse("lz4_raw", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_LZ4_RAW);
    CHECK_OK(pq_codec_parse("Brotli", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_BROTLI);
    CHECK_OK(pq_codec_parse("none", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_UNCOMPRESSED);
    CHECK_OK(pq_codec_parse("uncompressed", &codec, &err), &err);
    CHECK_EQ(codec, PQ_CODEC_UNCOMPRESSED);
    codec = 123;
    CHECK_EQ(pq_codec_parse("lzo", &codec, &err), FLOE_EINVAL);
    CHECK_EQ(codec, 123);
    CHECK(strstr(err.message, "\"lzo\"") != NULL);
    CHECK_EQ(pq_codec_parse("", &codec, &err), FLOE_EINVAL);
}
