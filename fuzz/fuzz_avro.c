/*
 * fuzz_avro.c: libFuzzer target for the Avro layer (src/format/avro).
 *
 * The input is read from memory as an object container file: header,
 * schema JSON, every block (any codec) and every datum. Each decoded datum
 * is then encoded again with the file's schema; the encoding must succeed,
 * decode back to a datum that encodes to the same bytes, and be written
 * into a fresh OCF file (snappy, tiny blocks) that must read back with the
 * same datum count. A second pass reads the input with a projection (the
 * root record's first field) and must end the same way after the same
 * number of datums. Any difference aborts; bad input must only ever give an
 * error code with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/format/avro/avro.h"

static void check_reencode(const avro_schema *schema, const avro_value *v, fl_arena *arena, fl_buf *e1,
                           fl_buf *e2)
{
    fl_error err = {0};
    fl_buf_reset(e1);
    fl_buf_reset(e2);
    if (avro_encode_datum(e1, schema, v, &err) < 0) abort();
    const uint8_t *p = (const uint8_t *)e1->data;
    avro_value *back;
    if (avro_decode_datum(&back, schema, &p, p + e1->len, arena, &err) < 0) abort();
    if (p != (const uint8_t *)e1->data + e1->len) abort();
    if (avro_encode_datum(e2, schema, back, &err) < 0) abort();
    if (e1->len != e2->len || memcmp(e1->data, e2->data, e1->len) != 0) abort();
}

static uint64_t count_datums(const fl_buf *file)
{
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    uint64_t n = 0;
    if (io_reader_from_memory(file->data, file->len, &in, &err) < 0) abort();
    if (avro_reader_open(&r, in, NULL, &err) < 0) abort();
    fl_arena *arena = fl_arena_new(0);
    avro_value *v;
    int rc;
    while ((rc = avro_reader_next(r, &v, arena, &err)) == 1) n++;
    if (rc < 0) abort();
    fl_arena_free(arena);
    avro_reader_free(r);
    io_reader_close(in);
    return n;
}

/* Reads the input again keeping only the root record's first field. */
static void projected_pass(const uint8_t *data, size_t size, const avro_reader_opts *opts, int want_rc,
                           uint64_t want_count)
{
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    if (io_reader_from_memory(data, size, &in, &err) < 0) abort();
    if (avro_reader_open(&r, in, opts, &err) < 0) abort();
    const avro_schema *root = avro_reader_schema(r);
    avro_projection *proj = NULL;
    if (root->type == AVRO_RECORD && root->field_count > 0) {
        avro_path path = {.index = {0}, .depth = 1, .leaf = root->fields[0].type};
        if (avro_projection_new(&proj, &path, 1, root, &err) < 0) abort();
        avro_reader_set_projection(r, proj);
    }
    fl_arena *arena = fl_arena_new(0);
    avro_value *v;
    int rc;
    while ((rc = avro_reader_next(r, &v, arena, &err)) == 1) {
        for (size_t i = 1; proj && i < root->field_count; i++) {
            if (avro_value_field(v, (int)i) != NULL) abort();
        }
        fl_arena_reset(arena);
    }
    /* skipping checks what decoding checks, so both end alike */
    if ((rc < 0) != (want_rc < 0) || avro_reader_count(r) != want_count) abort();
    fl_arena_free(arena);
    avro_projection_free(proj);
    avro_reader_free(r);
    io_reader_close(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fl_error err = {0};
    io_reader *in;
    if (io_reader_from_memory(data, size, &in, &err) < 0) return 0;
    avro_reader_opts opts = {.max_block_size = 4u << 20, .max_header_size = 1u << 20};
    avro_reader *r;
    if (avro_reader_open(&r, in, &opts, &err) < 0) {
        if (err.message[0] == '\0') abort();
        io_reader_close(in);
        return 0;
    }
    const avro_schema *schema = avro_reader_schema(r);
    size_t schema_len;
    const char *schema_text = avro_schema_text(avro_reader_schema_doc(r), &schema_len);
    fl_buf copy, e1, e2;
    fl_buf_init(&copy);
    fl_buf_init(&e1);
    fl_buf_init(&e2);
    io_writer *out;
    avro_writer *w = NULL;
    avro_writer_opts wopts = {.codec = AVRO_CODEC_SNAPPY, .block_size = 64};
    if (io_writer_to_buf(&copy, &out, &err) < 0) abort();
    if (avro_writer_open(&w, out, schema_text, schema_len, NULL, 0, &wopts, &err) < 0) abort();

    fl_arena *arena = fl_arena_new(0), *scratch = fl_arena_new(0);
    avro_value *v;
    int rc;
    while ((rc = avro_reader_next(r, &v, arena, &err)) == 1) {
        fl_buf text;
        fl_buf_init(&text);
        if (avro_value_to_text(&text, v) < 0) abort();
        fl_buf_dispose(&text);
        check_reencode(schema, v, scratch, &e1, &e2);
        if (avro_writer_append(w, v, &err) < 0) abort();
        fl_arena_reset(arena);
        fl_arena_reset(scratch);
    }
    if (rc < 0 && err.message[0] == '\0') abort();
    uint64_t written = avro_writer_count(w);
    if (avro_writer_close(w, &err) < 0) abort();
    if (count_datums(&copy) != written) abort();
    if (rc == 0 && written != avro_reader_count(r)) abort();
    projected_pass(data, size, &opts, rc, avro_reader_count(r));

    fl_arena_free(arena);
    fl_arena_free(scratch);
    fl_buf_dispose(&copy);
    fl_buf_dispose(&e1);
    fl_buf_dispose(&e2);
    avro_reader_free(r);
    io_reader_close(in);
    return 0;
}
