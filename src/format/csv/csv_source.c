/*
 * csv_source.c: the first stage of the CSV reader: bytes of text out of a
 * plain, zstd or gzip file, in large pieces, streaming.
 *
 * The input is read with io_read_at in 4 MiB pieces and decompressed with
 * the streaming APIs of libzstd (ZSTD_decompressStream, any number of
 * frames) and zlib (inflate with gzip/zlib header detection, concatenated
 * gzip members), straight into the reader's text buffer. Nothing holds more
 * than one input piece and the caller's output window, so a 1 GB text file
 * never sits in memory. One source is used by one thread at a time (the
 * reader runs at most one read task per round).
 */
#include "csv_internal.h"

#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "../../base/alloc.h"

enum { SRC_PLAIN, SRC_ZSTD, SRC_GZIP };

#define SRC_IN_CHUNK ((size_t)4 << 20)

struct csv_source {
    io_reader *file;
    char *name;
    int kind;
    uint64_t offset;            /* next input byte to read */
    char *in;                   /* compressed input piece */
    size_t in_len, in_pos;
    ZSTD_DStream *zs;
    z_stream gz;
    bool gz_live;
    bool stream_end;            /* gzip: last member finished; zstd: frame finished */
};

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int csv_source_open(csv_source **out, io_reader *src, const char *name, fl_error *err)
{
    *out = NULL;
    csv_source *s = fl_calloc(1, sizeof *s);
    if (!s || !(s->name = fl_strdup(name))) {
        fl_free(s);
        io_reader_close(src);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory opening \"%s\"", name);
    }
    s->file = src;
    uint8_t magic[4] = {0};
    size_t head = src->size < 4 ? (size_t)src->size : 4;
    int rc = 0;
    if (head && (rc = io_read_at(src, 0, magic, head, err)) < 0) goto fail;
    static const uint8_t zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};
    if (head == 4 && memcmp(magic, zstd_magic, 4) == 0) {
        s->kind = SRC_ZSTD;
    } else if (head >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        s->kind = SRC_GZIP;
    } else if (has_suffix(name, ".zst") || has_suffix(name, ".gz")) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "could not read \"%s\": not a %s file", name,
                          has_suffix(name, ".zst") ? "zstd" : "gzip");
        goto fail;
    } else {
        s->kind = SRC_PLAIN;
    }
    if (s->kind != SRC_PLAIN && !(s->in = fl_malloc(SRC_IN_CHUNK))) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening \"%s\"", name);
        goto fail;
    }
    if (s->kind == SRC_ZSTD) {
        if (!(s->zs = ZSTD_createDStream()) || ZSTD_isError(ZSTD_initDStream(s->zs))) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening \"%s\"", name);
            goto fail;
        }
    } else if (s->kind == SRC_GZIP) {
        if (inflateInit2(&s->gz, 15 + 32) != Z_OK) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening \"%s\"", name);
            goto fail;
        }
        s->gz_live = true;
    }
    *out = s;
    return 0;
fail:
    csv_source_free(s);
    return rc;
}

uint64_t csv_source_size_hint(const csv_source *s)
{
    return s->kind == SRC_PLAIN ? s->file->size : UINT64_MAX;
}

void csv_source_free(csv_source *s)
{
    if (!s) return;
    io_reader_close(s->file);
    if (s->zs) ZSTD_freeDStream(s->zs);
    if (s->gz_live) inflateEnd(&s->gz);
    fl_free(s->in);
    fl_free(s->name);
    fl_free(s);
}

/* Refills the compressed input piece; *more = false at the end of the file. */
static int fill_input(csv_source *s, bool *more, fl_error *err)
{
    *more = s->offset < s->file->size;
    if (!*more) return 0;
    uint64_t left = s->file->size - s->offset;
    size_t n = left < SRC_IN_CHUNK ? (size_t)left : SRC_IN_CHUNK;
    int rc = io_read_at(s->file, s->offset, s->in, n, err);
    if (rc < 0) return rc;
    s->offset += n;
    s->in_len = n;
    s->in_pos = 0;
    return 0;
}

/* Makes compressed input available: 1 when there is some, 0 at the end of
 * the file after a complete stream (sets *eof), an error when the stream
 * (codec names it) is cut short. */
static int input_ready(csv_source *s, const char *codec, bool *eof, fl_error *err)
{
    if (s->in_pos < s->in_len) return 1;
    bool more;
    FL_TRY(fill_input(s, &more, err));
    if (more) return 1;
    if (!s->stream_end)
        return fl_error_set(err, FLOE_ECORRUPT, "could not decompress \"%s\": truncated %s stream",
                            s->name, codec);
    *eof = true;
    return 0;
}

static int read_zstd(csv_source *s, char *dst, size_t *len, size_t want, bool *eof,
                     fl_error *err)
{
    ZSTD_outBuffer ob = {dst + *len, want, 0};
    while (ob.pos < ob.size) {
        int ready = input_ready(s, "zstd", eof, err);
        if (ready < 0) return ready;
        if (ready == 0) break;
        ZSTD_inBuffer ib = {s->in, s->in_len, s->in_pos};
        size_t hint = ZSTD_decompressStream(s->zs, &ob, &ib);
        s->in_pos = ib.pos;
        if (ZSTD_isError(hint))
            return fl_error_set(err, FLOE_ECORRUPT, "could not decompress \"%s\": %s", s->name,
                                ZSTD_getErrorName(hint));
        s->stream_end = hint == 0;
    }
    *len += ob.pos;
    return 0;
}

static int read_gzip(csv_source *s, char *dst, size_t *len, size_t want, bool *eof,
                     fl_error *err)
{
    size_t produced = 0;
    while (produced < want) {
        int ready = input_ready(s, "gzip", eof, err);
        if (ready < 0) return ready;
        if (ready == 0) break;
        if (s->stream_end) {
            /* another gzip member follows (concatenated .gz files) */
            if (inflateReset(&s->gz) != Z_OK)
                return fl_error_set(err, FLOE_ECORRUPT, "could not decompress \"%s\"", s->name);
            s->stream_end = false;
        }
        size_t out_room = want - produced;
        size_t in_left = s->in_len - s->in_pos;
        s->gz.next_in = (Bytef *)s->in + s->in_pos;
        s->gz.avail_in = in_left > UINT32_MAX ? UINT32_MAX : (uInt)in_left;
        s->gz.next_out = (Bytef *)dst + *len + produced;
        s->gz.avail_out = out_room > UINT32_MAX ? UINT32_MAX : (uInt)out_room;
        uInt in_before = s->gz.avail_in, out_before = s->gz.avail_out;
        int zrc = inflate(&s->gz, Z_NO_FLUSH);
        s->in_pos += in_before - s->gz.avail_in;
        produced += out_before - s->gz.avail_out;
        if (zrc == Z_STREAM_END) {
            s->stream_end = true;
        } else if (zrc == Z_BUF_ERROR && in_before == 0) {
            continue;   /* needs more input: loop refills */
        } else if (zrc != Z_OK) {
            return fl_error_set(err, FLOE_ECORRUPT, "could not decompress \"%s\": %s", s->name,
                                s->gz.msg ? s->gz.msg : "corrupt gzip data");
        }
    }
    *len += produced;
    return 0;
}

int csv_source_read(csv_source *s, char *dst, size_t *len, size_t want, bool *eof,
                    fl_error *err)
{
    *eof = false;
    if (s->kind == SRC_ZSTD) return read_zstd(s, dst, len, want, eof, err);
    if (s->kind == SRC_GZIP) return read_gzip(s, dst, len, want, eof, err);
    uint64_t left = s->file->size - s->offset;
    size_t n = left < want ? (size_t)left : want;
    if (n) FL_TRY(io_read_at(s->file, s->offset, dst + *len, n, err));
    s->offset += n;
    *len += n;
    *eof = s->offset == s->file->size;
    return 0;
}
