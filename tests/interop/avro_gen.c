/*
 * avro_gen.c: floe's side of the Avro interop check (tests/interop/avro_check.mjs).
 *
 *   floe-avro-gen write DIR    writes DIR/schema.json and DIR/floe_<codec>.avro
 *                              (null, deflate, snappy, zstandard): ROWS rows of an
 *                              Iceberg-manifest-like schema with field ids
 *   floe-avro-gen check FILE   reads FILE (written by another implementation)
 *                              and checks it holds exactly the same ROWS rows;
 *                              prints "ok N" or the first difference (exit 1)
 *
 * The rows are a pure function of the row number; avro_check.mjs computes
 * the same values in JavaScript, so each side checks the other's file.
 */
#include <stdio.h>
#include <string.h>

#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/format/avro/avro.h"

#define ROWS 100

static const char k_schema[] =
    "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
    "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
    "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
    "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
    "{\"name\":\"file_path\",\"type\":\"string\",\"doc\":\"Location URI with FS scheme\",\"field-id\":100},"
    "{\"name\":\"file_format\",\"type\":\"string\",\"field-id\":101},"
    "{\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":["
    "{\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null,"
    "\"field-id\":1000}]},\"field-id\":102},"
    "{\"name\":\"record_count\",\"type\":\"long\",\"field-id\":103},"
    "{\"name\":\"value_counts\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":\"map\",\"items\":"
    "{\"type\":\"record\",\"name\":\"k119_v120\",\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":119},"
    "{\"name\":\"value\",\"type\":\"long\",\"field-id\":120}]}}],\"default\":null,\"field-id\":109},"
    "{\"name\":\"lower_bounds\",\"type\":[\"null\",{\"type\":\"array\",\"logicalType\":\"map\",\"items\":"
    "{\"type\":\"record\",\"name\":\"k126_v127\",\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":126},"
    "{\"name\":\"value\",\"type\":\"bytes\",\"field-id\":127}]}}],\"default\":null,\"field-id\":125},"
    "{\"name\":\"split_offsets\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"long\",\"element-id\":133}],"
    "\"default\":null,\"field-id\":132},"
    "{\"name\":\"props\",\"type\":{\"type\":\"map\",\"values\":\"string\",\"key-id\":140,\"value-id\":141},"
    "\"field-id\":139},"
    "{\"name\":\"id\",\"type\":{\"type\":\"fixed\",\"name\":\"uuid_fixed\",\"size\":16,\"logicalType\":\"uuid\"},"
    "\"field-id\":142},"
    "{\"name\":\"score\",\"type\":\"double\",\"field-id\":143},"
    "{\"name\":\"ratio\",\"type\":\"float\",\"field-id\":144},"
    "{\"name\":\"valid\",\"type\":\"boolean\",\"field-id\":145},"
    "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"kind\",\"symbols\":[\"DATA\",\"DELETES\"]},"
    "\"field-id\":146}"
    "]},\"field-id\":2}]}";

static const char k_partition_spec[] = "[{\"name\":\"day\",\"transform\":\"identity\",\"source-id\":4,\"field-id\":1000}]";

static avro_value *kv(fl_arena *a, int32_t key, avro_value *value)
{
    avro_value *r = avro_value_list(a, AVRO_RECORD, 2);
    r->u.list.items[0] = avro_value_int(a, key);
    r->u.list.items[1] = value;
    return r;
}

/* Row i; avro_check.mjs's row() must give the same values. */
static avro_value *make_row(fl_arena *a, int i)
{
    char text[128];
    int len;
    avro_value *row = avro_value_list(a, AVRO_RECORD, 3);
    row->u.list.items[0] = avro_value_int(a, i % 3);
    row->u.list.items[1] = i % 4 == 0 ? avro_value_null(a) : avro_value_long(a, 7000000000000000000LL + i);
    avro_value *df = avro_value_list(a, AVRO_RECORD, 13);
    avro_value **f = df->u.list.items;
    row->u.list.items[2] = df;
    len = snprintf(text, sizeof text, "s3://bucket/data/\xc3\xa9t\xc3\xa9-%d.parquet", i);
    f[0] = avro_value_string(a, text, (size_t)len);
    f[1] = avro_value_string(a, "PARQUET", 7);
    f[2] = avro_value_list(a, AVRO_RECORD, 1);
    f[2]->u.list.items[0] = i % 5 == 0 ? avro_value_null(a) : avro_value_int(a, 19000 + i);
    f[3] = avro_value_long(a, (int64_t)i * 1000 + 1);
    if (i % 2) {
        f[4] = avro_value_null(a);
    } else {
        f[4] = avro_value_list(a, AVRO_ARRAY, 2);
        f[4]->u.list.items[0] = kv(a, 1, avro_value_long(a, i));
        f[4]->u.list.items[1] = kv(a, 2, avro_value_long(a, 2 * i));
    }
    uint8_t bound[3] = {(uint8_t)(i & 255), 0, 255};
    f[5] = avro_value_list(a, AVRO_ARRAY, 1);
    f[5]->u.list.items[0] = kv(a, 1, avro_value_bytes(a, AVRO_BYTES, bound, 3));
    if (i % 3 == 0) {
        f[6] = avro_value_null(a);
    } else {
        f[6] = avro_value_list(a, AVRO_ARRAY, 2);
        f[6]->u.list.items[0] = avro_value_long(a, 4);
        f[6]->u.list.items[1] = avro_value_long(a, 4 + i);
    }
    f[7] = avro_value_map(a, i % 2 ? 2 : 1);
    len = snprintf(text, sizeof text, "%d", i);
    f[7]->u.map.entries[0].key = fl_strv_cstr("a");
    f[7]->u.map.entries[0].value = avro_value_string(a, text, (size_t)len);
    if (i % 2) {
        f[7]->u.map.entries[1].key = fl_strv_cstr("b");
        f[7]->u.map.entries[1].value = avro_value_string(a, "x", 1);
    }
    uint8_t id[16];
    for (int k = 0; k < 16; k++) id[k] = (uint8_t)((i * 7 + k) & 255);
    f[8] = avro_value_bytes(a, AVRO_FIXED, id, 16);
    f[9] = avro_value_double(a, i * 0.125);
    f[10] = avro_value_float(a, (float)i * 0.5f);
    f[11] = avro_value_boolean(a, i % 2 == 0);
    f[12] = avro_value_enum(a, i % 2);
    return row;
}

static int write_all(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/schema.json", dir);
    FILE *sf = fopen(path, "wb");
    if (!sf || fwrite(k_schema, 1, strlen(k_schema), sf) != strlen(k_schema) || fclose(sf) != 0) {
        fprintf(stderr, "floe-avro-gen: could not write %s\n", path);
        return 1;
    }
    static const avro_codec codecs[] = {AVRO_CODEC_NULL, AVRO_CODEC_DEFLATE, AVRO_CODEC_SNAPPY, AVRO_CODEC_ZSTD};
    avro_meta meta[] = {
        {"format-version", (const uint8_t *)"2", 1},
        {"content", (const uint8_t *)"data", 4},
        {"partition-spec", (const uint8_t *)k_partition_spec, sizeof k_partition_spec - 1},
    };
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        fl_error err = {0};
        io_writer *out;
        avro_writer *w;
        snprintf(path, sizeof path, "%s/floe_%s.avro", dir, avro_codec_name(codecs[c]));
        avro_writer_opts opts = {.codec = codecs[c], .block_size = 1024};
        if (io_create_local(path, 0, &out, &err) < 0 ||
            avro_writer_open(&w, out, k_schema, strlen(k_schema), meta, 3, &opts, &err) < 0) {
            fprintf(stderr, "floe-avro-gen: %s\n", err.message);
            return 1;
        }
        fl_arena *a = fl_arena_new(0);
        int rc = 0;
        for (int i = 0; i < ROWS && rc == 0; i++) {
            fl_arena_reset(a);
            rc = avro_writer_append(w, make_row(a, i), &err);
        }
        fl_arena_free(a);
        if (rc < 0) {
            avro_writer_abort(w);
        } else {
            rc = avro_writer_close(w, &err);
        }
        if (rc < 0) {
            fprintf(stderr, "floe-avro-gen: %s: %s\n", path, err.message);
            return 1;
        }
    }
    return 0;
}

static bool same(const avro_schema *s, const avro_value *x, const avro_value *y)
{
    fl_buf a, b;
    fl_buf_init(&a);
    fl_buf_init(&b);
    fl_error err = {0};
    bool ok = avro_encode_datum(&a, s, x, &err) == 0 && avro_encode_datum(&b, s, y, &err) == 0 &&
              a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
    fl_buf_dispose(&a);
    fl_buf_dispose(&b);
    return ok;
}

static int check_file(const char *path)
{
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    if (io_open_local(path, &in, &err) < 0 || avro_reader_open(&r, in, NULL, &err) < 0) {
        printf("error: %s\n", err.message);
        return 1;
    }
    const avro_schema *s = avro_reader_schema(r);
    /* the other writer must have kept the ids */
    int df = avro_record_find(s, 2, NULL);
    int status = 1;
    if (df != 2 || avro_record_find(s->fields[df].type, 142, NULL) != 8) {
        printf("error: field ids are missing from the schema\n");
    } else {
        fl_arena *a = fl_arena_new(0), *exp = fl_arena_new(0);
        fl_buf t1, t2;
        fl_buf_init(&t1);
        fl_buf_init(&t2);
        avro_value *v;
        int n = 0, rc;
        while ((rc = avro_reader_next(r, &v, a, &err)) == 1) {
            fl_arena_reset(exp);
            avro_value *want = make_row(exp, n);
            if (n >= ROWS || !same(s, v, want)) {
                avro_value_to_text(&t1, v);
                printf("error: row %d differs: %s\n", n, fl_buf_cstr(&t1));
                rc = 1;
                break;
            }
            n++;
            fl_arena_reset(a);
        }
        if (rc < 0) printf("error: %s\n", err.message);
        else if (rc == 0 && n != ROWS) printf("error: %d rows, expected %d\n", n, ROWS);
        else if (rc == 0) {
            printf("ok %d %s\n", n, avro_codec_name(avro_reader_codec(r)));
            status = 0;
        }
        fl_buf_dispose(&t1);
        fl_buf_dispose(&t2);
        fl_arena_free(a);
        fl_arena_free(exp);
    }
    avro_reader_free(r);
    io_reader_close(in);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write") == 0) return write_all(argv[2]);
    if (argc == 3 && strcmp(argv[1], "check") == 0) return check_file(argv[2]);
    fprintf(stderr, "usage: floe-avro-gen write DIR | check FILE\n");
    return 2;
}
