/*
 * avro_writer.c: writes Avro object container files.
 *
 * The header carries the schema JSON exactly as the caller gave it (Iceberg
 * readers need its field-id attributes), the codec name and the caller's
 * metadata. Datums are encoded into a block buffer, from value trees or by
 * the caller's streaming avro_enc_* calls; when the buffer reaches
 * block_size it is compressed and written as one block followed by the
 * sync marker. Empty blocks are never written. After any failure the writer
 * refuses further work; close then aborts the output.
 */
#include "avro.h"

#include <string.h>
#include <sys/random.h>

#include "../../base/alloc.h"

#define SYNC_LEN 16
#define DEFAULT_BLOCK_SIZE (64u << 10)

struct avro_writer {
    io_writer *out;
    avro_schema_doc *schema;
    avro_codec codec;
    int level;
    size_t block_size;
    uint8_t sync[SYNC_LEN];
    fl_buf block;               /* encoded datums of the current block */
    fl_buf staged;              /* block header + compressed data */
    uint64_t block_count;       /* datums in the current block */
    uint64_t total;
    size_t datum_start;         /* block.len when the current datum began */
    int failed;                 /* the first error, sticky */
};

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory writing an avro file"); }

static int write_header(avro_writer *w, const char *schema_json, size_t schema_len, const avro_meta *meta,
                        size_t meta_count, fl_error *err)
{
    fl_buf h;
    fl_buf_init(&h);
    const char *codec = avro_codec_name(w->codec);
    int rc = 0;
    if (fl_buf_append(&h, "Obj\x01", 4) < 0 || avro_enc_long(&h, (int64_t)(meta_count + 2)) < 0 ||
        avro_enc_bytes(&h, "avro.schema", 11) < 0 || avro_enc_bytes(&h, schema_json, schema_len) < 0 ||
        avro_enc_bytes(&h, "avro.codec", 10) < 0 || avro_enc_bytes(&h, codec, strlen(codec)) < 0) {
        rc = oom(err);
        goto done;
    }
    for (size_t i = 0; i < meta_count; i++) {
        if (strncmp(meta[i].key, "avro.", 5) == 0) {
            rc = fl_error_set(err, FLOE_EINVAL, "avro header key \"%s\" is reserved", meta[i].key);
            goto done;
        }
        for (size_t k = 0; k < i; k++) {
            if (strcmp(meta[i].key, meta[k].key) == 0) {
                rc = fl_error_set(err, FLOE_EINVAL, "avro header key \"%s\" is given twice", meta[i].key);
                goto done;
            }
        }
        if (avro_enc_bytes(&h, meta[i].key, strlen(meta[i].key)) < 0 ||
            avro_enc_bytes(&h, meta[i].value, meta[i].len) < 0) {
            rc = oom(err);
            goto done;
        }
    }
    if (avro_enc_long(&h, 0) < 0 || fl_buf_append(&h, w->sync, SYNC_LEN) < 0) {
        rc = oom(err);
        goto done;
    }
    rc = io_write(w->out, h.data, h.len, err);
done:
    fl_buf_dispose(&h);
    return rc;
}

int avro_writer_open(avro_writer **out_writer, io_writer *out, const char *schema_json,
                     size_t schema_len, const avro_meta *meta, size_t meta_count,
                     const avro_writer_opts *opts, fl_error *err)
{
    *out_writer = NULL;
    avro_writer *w = fl_calloc(1, sizeof *w);
    if (!w) {
        io_writer_abort(out);
        return oom(err);
    }
    w->out = out;
    w->codec = opts ? opts->codec : AVRO_CODEC_NULL;
    w->level = opts ? opts->level : 0;
    w->block_size = opts && opts->block_size ? opts->block_size : DEFAULT_BLOCK_SIZE;
    fl_buf_init(&w->block);
    fl_buf_init(&w->staged);
    int rc;
    if (opts && opts->sync) {
        memcpy(w->sync, opts->sync, SYNC_LEN);
    } else if (getrandom(w->sync, SYNC_LEN, 0) != SYNC_LEN) {
        rc = fl_error_set(err, FLOE_EIO, "could not get random bytes for an avro sync marker");
        goto fail;
    }
    if ((unsigned)w->codec > AVRO_CODEC_ZSTD) {
        rc = fl_error_set(err, FLOE_EINVAL, "unknown avro codec %d", (int)w->codec);
        goto fail;
    }
    if ((rc = avro_schema_parse(&w->schema, schema_json, schema_len, err)) < 0) goto fail;
    if ((rc = write_header(w, schema_json, schema_len, meta, meta_count, err)) < 0) goto fail;
    *out_writer = w;
    return 0;
fail:
    avro_writer_abort(w);
    return rc;
}

const avro_schema *avro_writer_schema(const avro_writer *w) { return avro_schema_root(w->schema); }
fl_buf *avro_writer_buf(avro_writer *w) { return &w->block; }
uint64_t avro_writer_count(const avro_writer *w) { return w->total; }

static int fail(avro_writer *w, int rc)
{
    if (!w->failed) w->failed = rc;
    return rc;
}

static int flush_block(avro_writer *w, fl_error *err)
{
    if (w->block_count == 0) return 0;
    fl_buf *s = &w->staged;
    fl_buf_reset(s);
    fl_buf body;
    fl_buf_init(&body);
    const fl_buf *data = &w->block;
    int rc = 0;
    if (w->codec != AVRO_CODEC_NULL) {
        if ((rc = avro_compress(w->codec, w->level, (const uint8_t *)w->block.data, w->block.len, &body, err)) < 0)
            goto done;
        data = &body;
    }
    if (avro_enc_long(s, (int64_t)w->block_count) < 0 || avro_enc_long(s, (int64_t)data->len) < 0 ||
        fl_buf_append(s, data->data, data->len) < 0 || fl_buf_append(s, w->sync, SYNC_LEN) < 0) {
        rc = oom(err);
        goto done;
    }
    if ((rc = io_write(w->out, s->data, s->len, err)) < 0) goto done;
    fl_buf_reset(&w->block);
    w->block_count = 0;
done:
    fl_buf_dispose(&body);
    return rc < 0 ? fail(w, rc) : 0;
}

static int refused(avro_writer *w, fl_error *err)
{
    return fl_error_set(err, w->failed, "avro writer for \"%s\" failed earlier",
                        w->out->location ? w->out->location : "(memory)");
}

int avro_writer_end_datum(avro_writer *w, fl_error *err)
{
    if (w->failed) return refused(w, err);
    w->block_count++;
    w->total++;
    int rc = w->block.len >= w->block_size ? flush_block(w, err) : 0;
    w->datum_start = w->block.len;
    return rc;
}

int avro_writer_append(avro_writer *w, const avro_value *v, fl_error *err)
{
    if (w->failed) return refused(w, err);
    int rc = avro_encode_datum(&w->block, avro_writer_schema(w), v, err);
    if (rc < 0) return rc;   /* nothing was added: the writer stays usable */
    return avro_writer_end_datum(w, err);
}

int avro_writer_close(avro_writer *w, fl_error *err)
{
    if (w->failed) {
        int rc = refused(w, err);
        avro_writer_abort(w);
        return rc;
    }
    /* bytes after the last end_datum are an unfinished datum: drop them */
    w->block.len = w->datum_start;
    int rc = flush_block(w, err);
    if (rc < 0) {
        avro_writer_abort(w);
        return rc;
    }
    rc = io_writer_close(w->out, err);
    w->out = NULL;
    avro_writer_abort(w);
    return rc;
}

void avro_writer_abort(avro_writer *w)
{
    if (!w) return;
    io_writer_abort(w->out);
    avro_schema_free(w->schema);
    fl_buf_dispose(&w->block);
    fl_buf_dispose(&w->staged);
    fl_free(w);
}
