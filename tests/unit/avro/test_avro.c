/*
 * test_avro.c: unit tests of src/format/avro: schema parsing (attributes,
 * names and namespaces, references, errors), datum round trips of every
 * type through value trees and the streaming encoder, every codec with
 * many blocks, header metadata, hand-made encodings (negative block counts,
 * known bytes) and hostile inputs (huge counts, bad unions, bad sync,
 * bad snappy CRC, trailing bytes) that must fail cleanly.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "../../../src/base/alloc.h"
#include "../../../src/base/varint.h"
#include "../../../src/format/avro/avro.h"

static const char k_all_types[] =
    "{\"type\":\"record\",\"name\":\"all\",\"namespace\":\"t.ns\",\"doc\":\"every type\",\"fields\":["
    "{\"name\":\"n\",\"type\":\"null\",\"field-id\":1},"
    "{\"name\":\"b\",\"type\":\"boolean\",\"field-id\":2},"
    "{\"name\":\"i\",\"type\":\"int\",\"field-id\":3},"
    "{\"name\":\"l\",\"type\":\"long\",\"field-id\":4,\"doc\":\"a long\"},"
    "{\"name\":\"f\",\"type\":\"float\",\"field-id\":5},"
    "{\"name\":\"d\",\"type\":\"double\",\"field-id\":6},"
    "{\"name\":\"by\",\"type\":\"bytes\",\"field-id\":7},"
    "{\"name\":\"s\",\"type\":\"string\",\"field-id\":8,\"aliases\":[\"str\"]},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"color\",\"symbols\":[\"RED\",\"GREEN\"]},\"field-id\":9},"
    "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"f4\",\"size\":4},\"field-id\":10},"
    "{\"name\":\"dec\",\"type\":{\"type\":\"fixed\",\"name\":\"dec9\",\"size\":4,\"logicalType\":\"decimal\","
    "\"precision\":9,\"scale\":2},\"field-id\":11},"
    "{\"name\":\"date\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"},\"field-id\":12},"
    "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"adjust-to-utc\":true},"
    "\"field-id\":13},"
    "{\"name\":\"u\",\"type\":{\"type\":\"fixed\",\"name\":\"uuid_fixed\",\"size\":16,\"logicalType\":\"uuid\"},"
    "\"field-id\":14},"
    "{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":\"int\",\"element-id\":16},\"field-id\":15},"
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"long\"],\"key-id\":18,\"value-id\":19},"
    "\"field-id\":17},"
    "{\"name\":\"opt\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":20},"
    "{\"name\":\"nested\",\"type\":{\"type\":\"record\",\"name\":\"inner\",\"namespace\":\"other\",\"fields\":["
    "{\"name\":\"x\",\"type\":\"int\",\"field-id\":22},{\"name\":\"c\",\"type\":\"t.ns.color\"}]},\"field-id\":21},"
    "{\"name\":\"kv\",\"type\":{\"type\":\"array\",\"logicalType\":\"map\",\"items\":{\"type\":\"record\","
    "\"name\":\"k24_v25\",\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":24},"
    "{\"name\":\"value\",\"type\":\"string\",\"field-id\":25}]}},\"field-id\":23},"
    "{\"name\":\"again\",\"type\":\"other.inner\",\"field-id\":26},"
    "{\"name\":\"list\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"node\",\"fields\":["
    "{\"name\":\"v\",\"type\":\"int\"},{\"name\":\"next\",\"type\":[\"null\",\"node\"]}]}],\"field-id\":27}"
    "]}";

static avro_schema_doc *parse_ok(const char *json)
{
    fl_error err = {0};
    avro_schema_doc *doc = NULL;
    CHECK_OK(avro_schema_parse(&doc, json, strlen(json), &err), &err);
    return doc;
}

TEST(avro_schema_attributes)
{
    avro_schema_doc *doc = parse_ok(k_all_types);
    if (!doc) return;
    const avro_schema *root = avro_schema_root(doc);
    CHECK_EQ(root->type, AVRO_RECORD);
    CHECK_STR(root->name, "t.ns.all");
    CHECK_EQ(root->field_count, 21);
    CHECK_STR(avro_json_str_attr(root->json, "doc"), "every type");
    CHECK_EQ(avro_record_find(root, 4, NULL), 3);
    CHECK_EQ(avro_record_find(root, -1, "l"), 3);
    CHECK_EQ(avro_record_find(root, 999, "s"), -1);     /* "s" is field 8, not 999 */
    CHECK_EQ(avro_record_find(root, -1, "s"), 7);       /* by name only */
    CHECK_EQ(avro_record_find(root, -1, "str"), 7);     /* alias */
    CHECK_EQ(avro_record_find(root, 999, "zzz"), -1);
    CHECK_STR(avro_json_str_attr(root->fields[3].json, "doc"), "a long");
    const avro_schema *e = root->fields[8].type;
    CHECK_EQ(e->type, AVRO_ENUM);
    CHECK_STR(e->name, "t.ns.color");
    CHECK_EQ(e->symbol_count, 2);
    const avro_schema *dec = root->fields[10].type;
    CHECK_STR(dec->logical_type, "decimal");
    CHECK_EQ(dec->precision, 9);
    CHECK_EQ(dec->scale, 2);
    CHECK_EQ(dec->size, 4);
    CHECK(root->fields[12].type->adjust_to_utc);
    CHECK_STR(root->fields[12].type->logical_type, "timestamp-micros");
    const avro_schema *arr = root->fields[14].type;
    CHECK(arr->has_element_id);
    CHECK_EQ(arr->element_id, 16);
    const avro_schema *m = root->fields[15].type;
    CHECK(m->has_key_id && m->has_value_id);
    CHECK_EQ(m->key_id, 18);
    CHECK_EQ(m->value_id, 19);
    CHECK(root->fields[16].has_default);
    CHECK_EQ(avro_schema_nonnull(root->fields[16].type)->type, AVRO_LONG);
    const avro_schema *inner = root->fields[17].type;
    CHECK_STR(inner->name, "other.inner");
    CHECK(inner->fields[1].type == e);                   /* reference to the same node */
    CHECK(root->fields[19].type == inner);               /* by full name */
    CHECK(avro_schema_named(doc, "t.ns.node") != NULL);
    const avro_schema *node = avro_schema_named(doc, "t.ns.node");
    CHECK(avro_schema_nonnull(node->fields[1].type) == node);   /* recursive */
    CHECK_EQ(root->fields[18].type->logical_type != NULL, 1);
    int32_t id;
    CHECK(avro_json_int_attr(root->fields[18].type->items->fields[0].json, "field-id", &id) && id == 24);
    size_t len;
    CHECK_STR(avro_schema_text(doc, &len), k_all_types);
    CHECK_EQ(len, strlen(k_all_types));
    /* min sizes: null 0, record sums */
    CHECK_EQ(root->fields[0].type->min_size, 0);
    CHECK_EQ(root->fields[9].type->min_size, 4);
    CHECK_EQ(inner->min_size, 2);
    avro_schema_free(doc);
}

TEST(avro_schema_primitives_and_errors)
{
    avro_schema_doc *doc = parse_ok("\"long\"");
    if (doc) CHECK_EQ(avro_schema_root(doc)->type, AVRO_LONG);
    avro_schema_free(doc);
    doc = parse_ok("[\"null\",\"string\"]");
    if (doc) CHECK_EQ(avro_schema_root(doc)->branch_count, 2);
    avro_schema_free(doc);
    /* quoted field-id is accepted */
    doc = parse_ok("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"field-id\":\"7\"}]}");
    if (doc) CHECK_EQ(avro_record_find(avro_schema_root(doc), 7, NULL), 0);
    avro_schema_free(doc);
    /* no ids in the file (migrated tables): asked by id, found by name */
    doc = parse_ok("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                   "{\"name\":\"b\",\"type\":\"int\",\"aliases\":[\"old_b\"]}]}");
    if (doc) {
        CHECK_EQ(avro_record_find(avro_schema_root(doc), 5, "a"), 0);
        CHECK_EQ(avro_record_find(avro_schema_root(doc), 6, "old_b"), 1);
    }
    avro_schema_free(doc);

    static const char *bad[] = {
        "", "{", "42", "\"nosuchtype\"", "{\"type\":\"record\",\"name\":\"r\"}",
        "{\"type\":\"record\",\"fields\":[]}", "{\"type\":\"enum\",\"name\":\"e\"}",
        "{\"type\":\"fixed\",\"name\":\"f\"}", "{\"type\":\"fixed\",\"name\":\"f\",\"size\":-1}",
        "{\"type\":\"array\"}", "{\"type\":\"map\"}", "[]", "[\"null\",\"null\"]", "[[\"int\"]]",
        "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"a\",\"type\":\"long\"}]}",
        "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\"}]}",
        "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"me\",\"type\":\"r\"}]}",
        "[{\"type\":\"fixed\",\"name\":\"f\",\"size\":1},{\"type\":\"fixed\",\"name\":\"f\",\"size\":2}]",
        "{\"type\":\"record\",\"name\":\"\",\"fields\":[]}",
        "{\"type\":\"record\",\"name\":\"a..b\",\"fields\":[]}",
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(bad); i++) {
        fl_error err = {0};
        avro_schema_doc *d = NULL;
        int rc = avro_schema_parse(&d, bad[i], strlen(bad[i]), &err);
        if (!CHECK(rc < 0)) fprintf(stderr, "  accepted bad schema %s\n", bad[i]);
        CHECK(d == NULL);
        CHECK(strstr(err.message, "avro schema") != NULL);
    }
    /* deep nesting is refused, not a stack overflow */
    fl_buf deep;
    fl_buf_init(&deep);
    for (int i = 0; i < 2000; i++) fl_buf_append_str(&deep, "{\"type\":\"array\",\"items\":");
    fl_buf_append_str(&deep, "\"int\"");
    for (int i = 0; i < 2000; i++) fl_buf_append_str(&deep, "}");
    fl_error err = {0};
    avro_schema_doc *d = NULL;
    CHECK(avro_schema_parse(&d, deep.data, deep.len, &err) < 0);
    fl_buf_dispose(&deep);
}

/* A value of the all-types schema, varied by n. */
static avro_value *make_all(fl_arena *a, const avro_schema *root, int n)
{
    avro_value *v = avro_value_list(a, AVRO_RECORD, 21);
    avro_value **f = v->u.list.items;
    char s[64];
    int len = snprintf(s, sizeof s, "row %d \xc3\xa9\"\\", n);
    uint8_t u[16];
    for (int i = 0; i < 16; i++) u[i] = (uint8_t)(n * 16 + i);
    f[0] = avro_value_null(a);
    f[1] = avro_value_boolean(a, n % 2);
    f[2] = avro_value_int(a, n % 3 == 0 ? INT32_MIN + n : -n * 1000);
    f[3] = avro_value_long(a, n % 5 == 0 ? INT64_MAX - n : (int64_t)n * -123456789012LL);
    f[4] = avro_value_float(a, (float)n / 3.0f);
    f[5] = avro_value_double(a, n % 7 == 0 ? -0.0 : n * 1e-300);
    f[6] = avro_value_bytes(a, AVRO_BYTES, "\0\1\2\xff", (size_t)(n % 5));
    f[7] = avro_value_string(a, s, (size_t)len);
    f[8] = avro_value_enum(a, n % 2);
    f[9] = avro_value_bytes(a, AVRO_FIXED, "abcd", 4);
    f[10] = avro_value_bytes(a, AVRO_FIXED, "\x00\x00\x30\x39", 4);
    f[11] = avro_value_int(a, 19000 + n);
    f[12] = avro_value_long(a, 1700000000000000LL + n);
    f[13] = avro_value_bytes(a, AVRO_FIXED, u, 16);
    f[14] = avro_value_list(a, AVRO_ARRAY, (size_t)(n % 4));
    for (int i = 0; i < n % 4; i++) f[14]->u.list.items[i] = avro_value_int(a, i * n);
    f[15] = avro_value_map(a, (size_t)(n % 3));
    for (int i = 0; i < n % 3; i++) {
        char k[16];
        int kl = snprintf(k, sizeof k, "k%d", i);
        f[15]->u.map.entries[i].key = fl_strv_make(fl_arena_strndup(a, k, (size_t)kl), (size_t)kl);
        f[15]->u.map.entries[i].value = i == 1 ? avro_value_null(a) : avro_value_long(a, i);
    }
    f[16] = n % 2 ? avro_value_null(a) : avro_value_long(a, n);
    f[17] = avro_value_list(a, AVRO_RECORD, 2);
    f[17]->schema = root ? root->fields[17].type : NULL;
    f[17]->u.list.items[0] = avro_value_int(a, n);
    f[17]->u.list.items[1] = avro_value_enum(a, 1);
    f[18] = avro_value_list(a, AVRO_ARRAY, 1);
    f[18]->u.list.items[0] = avro_value_list(a, AVRO_RECORD, 2);
    f[18]->u.list.items[0]->u.list.items[0] = avro_value_int(a, n);
    f[18]->u.list.items[0]->u.list.items[1] = avro_value_string(a, "v", 1);
    f[19] = f[17];
    /* linked list of n % 3 nodes */
    avro_value *list = avro_value_null(a);
    for (int i = 0; i < n % 3; i++) {
        avro_value *node = avro_value_list(a, AVRO_RECORD, 2);
        node->u.list.items[0] = avro_value_int(a, i);
        node->u.list.items[1] = list;
        list = node;
    }
    f[20] = list;
    return v;
}

static const char *render(fl_buf *b, const avro_value *v)
{
    fl_buf_reset(b);
    avro_value_to_text(b, v);
    return fl_buf_cstr(b);
}

/* Do two value trees encode to the same bytes as `schema`? (Built values
 * carry no schema pointers, so their renderings lack names.) */
static bool same_datum(const avro_schema *schema, const avro_value *a, const avro_value *b)
{
    fl_buf ea, eb;
    fl_buf_init(&ea);
    fl_buf_init(&eb);
    fl_error err = {0};
    bool ok = avro_encode_datum(&ea, schema, a, &err) == 0 && avro_encode_datum(&eb, schema, b, &err) == 0 &&
              ea.len == eb.len && memcmp(ea.data, eb.data, ea.len) == 0;
    fl_buf_dispose(&ea);
    fl_buf_dispose(&eb);
    return ok;
}

TEST(avro_datum_round_trip_all_types)
{
    avro_schema_doc *doc = parse_ok(k_all_types);
    if (!doc) return;
    const avro_schema *root = avro_schema_root(doc);
    CHECK_STR(root->fields[20].name, "list");
    fl_arena *a = fl_arena_new(0);
    fl_buf enc, t1, t2;
    fl_buf_init(&enc);
    fl_buf_init(&t1);
    fl_buf_init(&t2);
    for (int n = 0; n < 30; n++) {
        avro_value *v = make_all(a, root, n);
        fl_error err = {0};
        fl_buf_reset(&enc);
        if (!CHECK_OK(avro_encode_datum(&enc, root, v, &err), &err)) break;
        const uint8_t *p = (const uint8_t *)enc.data;
        avro_value *back = NULL;
        if (!CHECK_OK(avro_decode_datum(&back, root, &p, p + enc.len, a, &err), &err)) break;
        CHECK(p == (const uint8_t *)enc.data + enc.len);
        CHECK(same_datum(root, back, v));
        /* skipping walks exactly the same bytes; any shorter input fails */
        p = (const uint8_t *)enc.data;
        CHECK_OK(avro_skip_datum(root, &p, p + enc.len, &err), &err);
        CHECK(p == (const uint8_t *)enc.data + enc.len);
        for (size_t cut = 0; cut < enc.len; cut++) {
            p = (const uint8_t *)enc.data;
            CHECK_EQ(avro_skip_datum(root, &p, p + cut, &err), FLOE_ECORRUPT);
            p = (const uint8_t *)enc.data;
            avro_value *partial;
            CHECK_EQ(avro_decode_datum(&partial, root, &p, p + cut, a, &err), FLOE_ECORRUPT);
        }
        if (n == 4)
            CHECK_STR(render(&t1, back),
                      "{\"n\": null, \"b\": false, \"i\": -4000, \"l\": -493827156048, \"f\": 1.33333337, "
                      "\"d\": 4.0000000000000001e-300, \"by\": \"\\u0000\\u0001\\u0002\\u00ff\", "
                      "\"s\": \"row 4 \xc3\xa9\\\"\\\\\", \"e\": \"RED\", \"fx\": \"abcd\", "
                      "\"dec\": \"\\u0000\\u000009\", \"date\": 19004, \"ts\": 1700000000000004, "
                      "\"u\": \"@ABCDEFGHIJKLMNO\", \"arr\": [], \"m\": {\"k0\": 0}, \"opt\": 4, "
                      "\"nested\": {\"x\": 4, \"c\": \"GREEN\"}, \"kv\": [{\"key\": 4, \"value\": \"v\"}], "
                      "\"again\": {\"x\": 4, \"c\": \"GREEN\"}, \"list\": {\"v\": 0, \"next\": null}}");
        /* typed access by field id */
        int64_t l;
        CHECK_OK(avro_value_get_long(avro_value_find(back, 4, NULL), &l, &err), &err);
        CHECK_EQ(l, v->u.list.items[3]->u.l);
        CHECK_OK(avro_value_get_long(avro_value_find(back, 3, "i"), &l, &err), &err);   /* int -> long */
        CHECK_EQ(l, v->u.list.items[2]->u.i);
        fl_strv sv;
        CHECK_OK(avro_value_get_bytes(avro_value_find(back, -1, "e"), &sv, &err), &err);
        CHECK(fl_strv_eq(sv, fl_strv_cstr(n % 2 ? "GREEN" : "RED")));
        const avro_value *opt = avro_value_find(back, 20, NULL);
        CHECK_EQ(avro_value_is_null(opt), n % 2);
        CHECK_EQ(opt->branch, n % 2 ? 0 : 1);
        CHECK(avro_value_get_long(opt, &l, &err) == (n % 2 ? FLOE_ETYPE : 0));
    }
    fl_buf_dispose(&enc);
    fl_buf_dispose(&t1);
    fl_buf_dispose(&t2);
    fl_arena_free(a);
    avro_schema_free(doc);
}

/* Writes `rows` all-types datums to a memory buffer with the codec. */
static bool write_file(fl_buf *file, avro_codec codec, int rows, size_t block_size, const avro_meta *meta,
                       size_t meta_count)
{
    fl_error err = {0};
    io_writer *out;
    if (!CHECK_OK(io_writer_to_buf(file, &out, &err), &err)) return false;
    avro_writer_opts opts = {.codec = codec, .block_size = block_size};
    avro_writer *w;
    if (!CHECK_OK(avro_writer_open(&w, out, k_all_types, strlen(k_all_types), meta, meta_count, &opts, &err),
                  &err))
        return false;
    fl_arena *a = fl_arena_new(0);
    bool ok = true;
    for (int n = 0; n < rows && ok; n++) {
        fl_arena_reset(a);
        ok = CHECK_OK(avro_writer_append(w, make_all(a, avro_writer_schema(w), n), &err), &err);
    }
    CHECK_EQ(avro_writer_count(w), rows);
    fl_arena_free(a);
    if (!ok) {
        avro_writer_abort(w);
        return false;
    }
    return CHECK_OK(avro_writer_close(w, &err), &err);
}

/* Reads a file back and compares every datum with make_all(n). */
static int read_back(const fl_buf *file, int rows, const char *meta_key, const char *meta_value)
{
    fl_error err = {0};
    io_reader *in;
    if (!CHECK_OK(io_reader_from_memory(file->data, file->len, &in, &err), &err)) return -1;
    avro_reader *r;
    if (!CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        io_reader_close(in);
        return -1;
    }
    size_t len;
    const char *schema = (const char *)avro_reader_meta(r, "avro.schema", &len);
    CHECK(schema && len == strlen(k_all_types) && memcmp(schema, k_all_types, len) == 0);
    if (meta_key) {
        const char *v = (const char *)avro_reader_meta(r, meta_key, &len);
        CHECK(v != NULL);
        if (v) CHECK_STR(v, meta_value);
    }
    fl_arena *a = fl_arena_new(0), *exp = fl_arena_new(0);
    fl_buf t1, t2;
    fl_buf_init(&t1);
    fl_buf_init(&t2);
    avro_value *v;
    int n = 0, rc;
    while ((rc = avro_reader_next(r, &v, a, &err)) == 1) {
        fl_arena_reset(exp);
        if (n < rows && !CHECK(same_datum(avro_reader_schema(r), v, make_all(exp, avro_reader_schema(r), n))))
            fprintf(stderr, "  datum %d: %s\n", n, render(&t1, v));
        n++;
        if (n % 100 == 0) fl_arena_reset(a);
    }
    CHECK_OK(rc, &err);
    CHECK_EQ(avro_reader_count(r), n);
    fl_buf_dispose(&t1);
    fl_buf_dispose(&t2);
    fl_arena_free(a);
    fl_arena_free(exp);
    avro_reader_free(r);
    io_reader_close(in);
    return n;
}

static size_t count_blocks(const fl_buf *file)
{
    /* the sync marker is the 16 bytes before the first block: count its repeats */
    size_t hits = 0;
    if (file->len < 16) return 0;
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    if (io_reader_from_memory(file->data, file->len, &in, &err) < 0) return 0;
    if (avro_reader_open(&r, in, NULL, &err) == 0) {
        avro_reader_free(r);
    }
    io_reader_close(in);
    const char *sync = file->data + file->len - 16;
    for (size_t i = 0; i + 16 <= file->len; i++) {
        if (memcmp(file->data + i, sync, 16) == 0) hits++;
    }
    return hits - 1;   /* the header's copy */
}

TEST(avro_ocf_round_trip_codecs)
{
    static const avro_codec codecs[] = {AVRO_CODEC_NULL, AVRO_CODEC_DEFLATE, AVRO_CODEC_SNAPPY, AVRO_CODEC_ZSTD};
    avro_meta meta[] = {{"format-version", (const uint8_t *)"2", 1}, {"content", (const uint8_t *)"data", 4}};
    for (size_t c = 0; c < FL_ARRAY_SIZE(codecs); c++) {
        fl_buf file;
        fl_buf_init(&file);
        if (write_file(&file, codecs[c], 1000, 2000, meta, 2)) {
            CHECK_EQ(read_back(&file, 1000, "content", "data"), 1000);
            CHECK(count_blocks(&file) > 20);
            /* one big block */
            fl_buf_reset(&file);
            write_file(&file, codecs[c], 300, 1 << 20, NULL, 0);
            CHECK_EQ(count_blocks(&file), 1);
            CHECK_EQ(read_back(&file, 300, "avro.codec", avro_codec_name(codecs[c])), 300);
            /* empty file: header only */
            fl_buf_reset(&file);
            write_file(&file, codecs[c], 0, 0, NULL, 0);
            CHECK_EQ(read_back(&file, 0, NULL, NULL), 0);
        }
        fl_buf_dispose(&file);
    }
}

TEST(avro_writer_rejects)
{
    fl_buf file;
    fl_buf_init(&file);
    fl_error err = {0};
    io_writer *out;
    avro_writer *w;
    /* reserved header key */
    avro_meta bad = {"avro.codec", (const uint8_t *)"x", 1};
    CHECK_OK(io_writer_to_buf(&file, &out, &err), &err);
    CHECK_EQ(avro_writer_open(&w, out, "\"long\"", 6, &bad, 1, NULL, &err), FLOE_EINVAL);
    /* bad schema */
    CHECK_OK(io_writer_to_buf(&file, &out, &err), &err);
    CHECK_EQ(avro_writer_open(&w, out, "{\"type\":1}", 10, NULL, 0, NULL, &err), FLOE_ECORRUPT);
    /* values that do not match the schema; the writer stays usable */
    static const char schema[] = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                                 "{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"f2\",\"size\":2}}]}";
    CHECK_OK(io_writer_to_buf(&file, &out, &err), &err);
    if (!CHECK_OK(avro_writer_open(&w, out, schema, strlen(schema), NULL, 0, NULL, &err), &err)) return;
    fl_arena *a = fl_arena_new(0);
    avro_value *v = avro_value_list(a, AVRO_RECORD, 2);
    v->u.list.items[0] = avro_value_string(a, "x", 1);
    v->u.list.items[1] = avro_value_bytes(a, AVRO_FIXED, "ab", 2);
    CHECK_EQ(avro_writer_append(w, v, &err), FLOE_ETYPE);
    CHECK(strstr(err.message, "field \"a\"") != NULL);
    v->u.list.items[0] = avro_value_long(a, 1LL << 40);
    CHECK_EQ(avro_writer_append(w, v, &err), FLOE_ERANGE);
    v->u.list.items[0] = avro_value_long(a, 5);
    v->u.list.items[1] = avro_value_bytes(a, AVRO_FIXED, "abc", 3);
    CHECK_EQ(avro_writer_append(w, v, &err), FLOE_ETYPE);
    v->u.list.items[1] = avro_value_bytes(a, AVRO_FIXED, "ab", 2);
    CHECK_OK(avro_writer_append(w, v, &err), &err);
    CHECK_OK(avro_writer_close(w, &err), &err);
    /* read back: exactly one datum {5, "ab"} */
    io_reader *in;
    avro_reader *r;
    CHECK_OK(io_reader_from_memory(file.data, file.len, &in, &err), &err);
    if (CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        avro_value *got;
        fl_buf t;
        fl_buf_init(&t);
        CHECK_EQ(avro_reader_next(r, &got, a, &err), 1);
        CHECK_STR(render(&t, got), "{\"a\": 5, \"f\": \"ab\"}");
        CHECK_EQ(avro_reader_next(r, &got, a, &err), 0);
        fl_buf_dispose(&t);
        avro_reader_free(r);
    }
    io_reader_close(in);
    fl_arena_free(a);
    fl_buf_dispose(&file);
}

static const char k_entry_schema[] =
    "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
    "{\"name\":\"manifest_path\",\"type\":\"string\",\"field-id\":500},"
    "{\"name\":\"added_snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":503},"
    "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\","
    "\"name\":\"r508\",\"fields\":[{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509}]},"
    "\"element-id\":508}],\"default\":null,\"field-id\":507}]}";

TEST(avro_streaming_encoder)
{
    fl_buf file;
    fl_buf_init(&file);
    fl_error err = {0};
    io_writer *out;
    avro_writer *w;
    CHECK_OK(io_writer_to_buf(&file, &out, &err), &err);
    avro_writer_opts opts = {.codec = AVRO_CODEC_DEFLATE, .block_size = 256};
    if (!CHECK_OK(avro_writer_open(&w, out, k_entry_schema, strlen(k_entry_schema), NULL, 0, &opts, &err), &err))
        return;
    for (int i = 0; i < 500; i++) {
        fl_buf *b = avro_writer_buf(w);
        char path[64];
        int len = snprintf(path, sizeof path, "s3://b/m-%d.avro", i);
        avro_enc_bytes(b, path, (size_t)len);
        if (i % 3 == 0) {
            avro_enc_long(b, 0);                 /* null branch */
        } else {
            avro_enc_long(b, 1);
            avro_enc_long(b, 1000000000000LL * i);
        }
        avro_enc_long(b, 1);                     /* array branch */
        if (i % 2) {
            avro_enc_long(b, 2);
            avro_enc_bool(b, true);
            avro_enc_bool(b, false);
        }
        avro_enc_long(b, 0);
        if (!CHECK_OK(avro_writer_end_datum(w, &err), &err)) break;
    }
    /* an unfinished datum is dropped at close */
    avro_enc_bytes(avro_writer_buf(w), "junk", 4);
    CHECK_OK(avro_writer_close(w, &err), &err);

    io_reader *in;
    avro_reader *r;
    CHECK_OK(io_reader_from_memory(file.data, file.len, &in, &err), &err);
    if (CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        CHECK_EQ(avro_reader_codec(r), AVRO_CODEC_DEFLATE);
        const avro_schema *s = avro_reader_schema(r);
        int path_idx = avro_record_find(s, 500, "manifest_path");
        int snap_idx = avro_record_find(s, 503, "added_snapshot_id");
        int parts_idx = avro_record_find(s, 507, NULL);
        CHECK(path_idx == 0 && snap_idx == 1 && parts_idx == 2);
        const avro_schema *parts = avro_schema_nonnull(s->fields[parts_idx].type);
        CHECK(parts->has_element_id && parts->element_id == 508);
        fl_arena *a = fl_arena_new(0);
        avro_value *v;
        int n = 0, rc;
        while ((rc = avro_reader_next(r, &v, a, &err)) == 1) {
            char path[64];
            int len = snprintf(path, sizeof path, "s3://b/m-%d.avro", n);
            fl_strv sv;
            CHECK_OK(avro_value_get_bytes(avro_value_field(v, path_idx), &sv, &err), &err);
            CHECK(fl_strv_eq(sv, fl_strv_make(path, (size_t)len)));
            const avro_value *snap = avro_value_field(v, snap_idx);
            if (n % 3 == 0) {
                CHECK(avro_value_is_null(snap));
            } else {
                int64_t id = 0;
                CHECK_OK(avro_value_get_long(snap, &id, &err), &err);
                CHECK_EQ(id, 1000000000000LL * n);
            }
            const avro_value *pv = avro_value_field(v, parts_idx);
            CHECK_EQ(pv->type, AVRO_ARRAY);
            CHECK_EQ(pv->u.list.count, n % 2 ? 2 : 0);
            if (n % 2) {
                bool b0 = false, b1 = true;
                CHECK_OK(avro_value_get_bool(avro_value_find(pv->u.list.items[0], 509, NULL), &b0, &err), &err);
                CHECK_OK(avro_value_get_bool(avro_value_find(pv->u.list.items[1], 509, NULL), &b1, &err), &err);
                CHECK(b0 && !b1);
            }
            n++;
        }
        CHECK_OK(rc, &err);
        CHECK_EQ(n, 500);
        fl_arena_free(a);
        avro_reader_free(r);
    }
    io_reader_close(in);
    fl_buf_dispose(&file);
}

/* ---- hand-made encodings ---- */

static void put_long(fl_buf *b, int64_t v) { avro_enc_long(b, v); }

/* An OCF file with schema, one block holding `count` datums `data`. */
static void make_ocf(fl_buf *f, const char *schema, const char *codec, int64_t count, const void *data, size_t len)
{
    static const uint8_t sync[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    fl_buf_reset(f);
    fl_buf_append(f, "Obj\x01", 4);
    put_long(f, codec ? -2 : -1);   /* negative count: a byte size follows */
    put_long(f, 0);                 /* (size is not checked by readers) */
    avro_enc_bytes(f, "avro.schema", 11);
    avro_enc_bytes(f, schema, strlen(schema));
    if (codec) {
        avro_enc_bytes(f, "avro.codec", 10);
        avro_enc_bytes(f, codec, strlen(codec));
    }
    put_long(f, 0);
    fl_buf_append(f, sync, 16);
    if (count >= 0) {
        put_long(f, count);
        put_long(f, (int64_t)len);
        fl_buf_append(f, data, len);
        fl_buf_append(f, sync, 16);
    }
}

static int read_all(const fl_buf *f, int *datums, fl_error *err)
{
    io_reader *in;
    avro_reader *r;
    *datums = 0;
    int rc = io_reader_from_memory(f->data, f->len, &in, err);
    if (rc < 0) return rc;
    if ((rc = avro_reader_open(&r, in, NULL, err)) == 0) {
        fl_arena *a = fl_arena_new(0);
        avro_value *v;
        while ((rc = avro_reader_next(r, &v, a, err)) == 1) (*datums)++;
        fl_arena_free(a);
        avro_reader_free(r);
    }
    io_reader_close(in);
    return rc;
}

TEST(avro_handmade_blocks)
{
    fl_buf f, d;
    fl_buf_init(&f);
    fl_buf_init(&d);
    fl_error err = {0};
    int n;
    /* array<long> written with a negative block count (and its byte size), then a positive one */
    put_long(&d, -2);
    put_long(&d, 2);
    put_long(&d, 7);
    put_long(&d, -1);
    put_long(&d, 1);
    put_long(&d, 9);
    put_long(&d, 0);
    make_ocf(&f, "{\"type\":\"array\",\"items\":\"long\"}", NULL, 1, d.data, d.len);
    io_reader *in;
    avro_reader *r;
    CHECK_OK(io_reader_from_memory(f.data, f.len, &in, &err), &err);
    if (CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        fl_arena *a = fl_arena_new(0);
        avro_value *v;
        fl_buf t;
        fl_buf_init(&t);
        CHECK_EQ(avro_reader_next(r, &v, a, &err), 1);
        CHECK_STR(render(&t, v), "[7, -1, 9]");
        CHECK_EQ(avro_reader_next(r, &v, a, &err), 0);
        fl_buf_dispose(&t);
        fl_arena_free(a);
        avro_reader_free(r);
    }
    io_reader_close(in);

    /* known bytes: long 1 = 0x02, -1 = 0x01, 64 = 0x80 0x01; string "foo" = 06 66 6f 6f */
    fl_buf_reset(&d);
    avro_enc_long(&d, 1);
    avro_enc_long(&d, -1);
    avro_enc_long(&d, 64);
    avro_enc_bytes(&d, "foo", 3);
    CHECK_MEM(d.data, d.len, "\x02\x01\x80\x01\x06" "foo", 8);

    struct { const char *schema; const char *data; size_t len; int64_t count; const char *msg; } bad[] = {
        {"\"long\"", "\x02", 1, 2, "claims"},                                /* count > bytes */
        {"\"null\"", "", 0, 1LL << 40, "claims"},                            /* zero-size datums */
        {"\"string\"", "\x7e" "ab", 3, 1, "past the end"},                   /* length 63 > 2 bytes */
        {"\"string\"", "\x01", 1, 1, "negative length"},
        {"[\"null\",\"int\"]", "\x04", 1, 1, "union branch"},
        {"\"int\"", "\xff\xff\xff\xff\x7f", 5, 1, "out of range"},
        {"\"long\"", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11, 1, "bad varint"},
        {"{\"type\":\"array\",\"items\":\"long\"}", "\xfe\xff\xff\xff\x0f\x00", 6, 1, "larger than the data"},
        {"{\"type\":\"array\",\"items\":\"null\"}", "\xfe\xff\xff\xff\x0f\x00", 6, 1, "zero-length"},
        {"{\"type\":\"map\",\"values\":\"int\"}", "\x02\x02k", 3, 1, "end of data"},
        {"{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[\"A\"]}", "\x02", 1, 1, "enum index"},
        {"\"boolean\"", "\x05", 1, 1, "boolean"},
        {"\"long\"", "\x02\x02", 2, 1, "left after"},                        /* trailing bytes */
        {"\"double\"", "\x00\x00\x00", 3, 1, "claims"},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(bad); i++) {
        make_ocf(&f, bad[i].schema, NULL, bad[i].count, bad[i].data, bad[i].len);
        int rc = read_all(&f, &n, &err);
        if (!CHECK_EQ(rc, FLOE_ECORRUPT)) fprintf(stderr, "  case %zu\n", i);
        if (!CHECK(strstr(err.message, bad[i].msg) != NULL)) fprintf(stderr, "  case %zu: %s\n", i, err.message);
    }
    /* bad sync marker */
    make_ocf(&f, "\"long\"", NULL, 1, "\x02", 1);
    f.data[f.len - 1] ^= 1;
    CHECK_EQ(read_all(&f, &n, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "sync marker") != NULL);
    /* unsupported codec */
    make_ocf(&f, "\"long\"", "bzip2", 1, "\x02", 1);
    CHECK_EQ(read_all(&f, &n, &err), FLOE_EUNSUPPORTED);
    /* snappy with a wrong CRC */
    fl_buf_reset(&d);
    CHECK_OK(avro_compress(AVRO_CODEC_SNAPPY, 0, (const uint8_t *)"\x02\x04", 2, &d, &err), &err);
    make_ocf(&f, "\"long\"", "snappy", 2, d.data, d.len);
    CHECK_OK(read_all(&f, &n, &err), &err);
    CHECK_EQ(n, 2);
    d.data[d.len - 1] ^= 0x40;
    make_ocf(&f, "\"long\"", "snappy", 2, d.data, d.len);
    CHECK_EQ(read_all(&f, &n, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "CRC") != NULL);
    /* deflate bomb: 1 MiB of zeros with a 64 KiB block limit */
    fl_buf big;
    fl_buf_init(&big);
    memset(fl_buf_extend(&big, 1 << 20), 0, 1 << 20);
    fl_buf_reset(&d);
    CHECK_OK(avro_compress(AVRO_CODEC_DEFLATE, 0, (const uint8_t *)big.data, big.len, &d, &err), &err);
    fl_buf out;
    fl_buf_init(&out);
    CHECK_EQ(avro_decompress(AVRO_CODEC_DEFLATE, (const uint8_t *)d.data, d.len, 65536, &out, &err), FLOE_ELIMIT);
    CHECK_OK(avro_decompress(AVRO_CODEC_DEFLATE, (const uint8_t *)d.data, d.len, 1 << 20, &out, &err), &err);
    CHECK_EQ(out.len, 1 << 20);
    fl_buf_reset(&out);
    CHECK_EQ(avro_decompress(AVRO_CODEC_DEFLATE, (const uint8_t *)d.data, d.len / 2, 1 << 20, &out, &err),
             FLOE_ECORRUPT);
    fl_buf_reset(&d);
    CHECK_OK(avro_compress(AVRO_CODEC_ZSTD, 0, (const uint8_t *)big.data, big.len, &d, &err), &err);
    fl_buf_reset(&out);
    CHECK_EQ(avro_decompress(AVRO_CODEC_ZSTD, (const uint8_t *)d.data, d.len, 65536, &out, &err), FLOE_ELIMIT);
    fl_buf_reset(&out);
    CHECK_OK(avro_decompress(AVRO_CODEC_ZSTD, (const uint8_t *)d.data, d.len, 1 << 20, &out, &err), &err);
    CHECK_EQ(out.len, 1 << 20);
    fl_buf_reset(&out);
    CHECK_EQ(avro_decompress(AVRO_CODEC_ZSTD, (const uint8_t *)d.data, d.len - 3, 1 << 20, &out, &err),
             FLOE_ECORRUPT);
    fl_buf_dispose(&out);
    fl_buf_dispose(&big);
    /* not avro at all; header truncated */
    fl_buf_reset(&f);
    fl_buf_append_str(&f, "PAR1 not avro");
    CHECK_EQ(read_all(&f, &n, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "magic") != NULL);
    make_ocf(&f, "\"long\"", NULL, -1, NULL, 0);
    for (size_t cut = 0; cut < f.len; cut++) {
        fl_buf part;
        fl_buf_init(&part);
        fl_buf_append(&part, f.data, cut);
        CHECK(read_all(&part, &n, &err) < 0);
        fl_buf_dispose(&part);
    }
    CHECK_OK(read_all(&f, &n, &err), &err);
    CHECK_EQ(n, 0);
    fl_buf_dispose(&f);
    fl_buf_dispose(&d);
}

TEST(avro_deep_recursion_is_refused)
{
    /* node -> next -> node ... 100000 levels deep in the data */
    static const char schema[] = "{\"type\":\"record\",\"name\":\"node\",\"fields\":[{\"name\":\"next\","
                                 "\"type\":[\"null\",\"node\"]}]}";
    fl_buf d, f;
    fl_buf_init(&d);
    fl_buf_init(&f);
    for (int i = 0; i < 100000; i++) avro_enc_long(&d, 1);
    avro_enc_long(&d, 0);
    make_ocf(&f, schema, NULL, 1, d.data, d.len);
    fl_error err = {0};
    int n;
    CHECK_EQ(read_all(&f, &n, &err), FLOE_ELIMIT);
    CHECK(strstr(err.message, "nested deeper") != NULL);
    fl_buf_dispose(&d);
    fl_buf_dispose(&f);
}

/* Write then read a small file with the Nth allocation failing, for every N
 * until both succeed: each step fails with FLOE_ENOMEM (or succeeds), never
 * crashes or leaks (ASan checks the leaks). */
TEST(avro_out_of_memory_sweep)
{
    avro_meta meta[] = {{"content", (const uint8_t *)"data", 4}};
    int succeeded = 0;
    long n;
    for (n = 0; n < 2000 && !succeeded; n++) {
        fl_buf file;
        fl_buf_init(&file);
        fl_error err = {0};
        io_writer *out = NULL;
        avro_writer *w = NULL;
        fl_arena *a = fl_arena_new(0);
        avro_value *row = make_all(a, NULL, 5);
        fl_alloc_fail_after(n);
        int rc = io_writer_to_buf(&file, &out, &err);
        if (rc == 0) {
            avro_writer_opts opts = {.codec = AVRO_CODEC_SNAPPY, .block_size = 64};
            rc = avro_writer_open(&w, out, k_all_types, strlen(k_all_types), meta, 1, &opts, &err);
        }
        for (int i = 0; rc == 0 && i < 3; i++) rc = avro_writer_append(w, row, &err);
        if (rc == 0) rc = avro_writer_close(w, &err);
        else if (w) avro_writer_abort(w);
        io_reader *in = NULL;
        avro_reader *r = NULL;
        if (rc == 0) rc = io_reader_from_memory(file.data, file.len, &in, &err);
        if (rc == 0) rc = avro_reader_open(&r, in, NULL, &err);
        int datums = 0;
        avro_value *v;
        while (rc == 0 && (rc = avro_reader_next(r, &v, a, &err)) == 1) {
            datums++;
            rc = 0;
        }
        fl_alloc_fail_after(-1);
        if (rc == 0) {
            CHECK_EQ(datums, 3);
            succeeded = 1;
        } else if (!CHECK_EQ(rc, FLOE_ENOMEM)) {
            fprintf(stderr, "  allocation %ld: %s\n", n, err.message);
        }
        avro_reader_free(r);
        io_reader_close(in);
        fl_arena_free(a);
        fl_buf_dispose(&file);
    }
    CHECK(succeeded);
    CHECK(n > 10);
}

/* An io_reader that counts read_at calls (the cost on object storage). */
typedef struct counting_reader {
    io_reader base;
    io_reader *inner;
    int reads;
} counting_reader;

static int counting_read_at(io_reader *r, uint64_t off, void *dst, size_t len, fl_error *err)
{
    counting_reader *c = (counting_reader *)r;
    c->reads++;
    return io_read_at(c->inner, off, dst, len, err);
}

static void counting_close(io_reader *r) { (void)r; }

static const struct io_reader_ops k_counting_ops = {counting_read_at, counting_close};

static int count_reads(const fl_buf *file, int *datums)
{
    fl_error err = {0};
    counting_reader c = {{&k_counting_ops, file->len, "counted"}, NULL, 0};
    avro_reader *r;
    *datums = 0;
    if (!CHECK_OK(io_reader_from_memory(file->data, file->len, &c.inner, &err), &err)) return -1;
    c.base.size = c.inner->size;
    if (CHECK_OK(avro_reader_open(&r, &c.base, NULL, &err), &err)) {
        fl_arena *a = fl_arena_new(0);
        avro_value *v;
        int rc;
        while ((rc = avro_reader_next(r, &v, a, &err)) == 1) (*datums)++;
        CHECK_OK(rc, &err);
        fl_arena_free(a);
        avro_reader_free(r);
    }
    io_reader_close(c.inner);
    return c.reads;
}

TEST(avro_reader_reads_small_files_once)
{
    fl_buf file;
    fl_buf_init(&file);
    int datums;
    /* a manifest-sized file (several blocks, < 64 KiB): one read in all */
    if (write_file(&file, AVRO_CODEC_DEFLATE, 200, 2000, NULL, 0)) {
        CHECK(file.len < 65536);
        CHECK(count_blocks(&file) > 3);
        CHECK_EQ(count_reads(&file, &datums), 1);
        CHECK_EQ(datums, 200);
    }
    /* a big file: the prefix, then two reads per block past it */
    fl_buf_reset(&file);
    if (write_file(&file, AVRO_CODEC_NULL, 3000, 16384, NULL, 0)) {
        CHECK(file.len > 4 * 65536);
        size_t blocks = count_blocks(&file);
        int reads = count_reads(&file, &datums);
        CHECK_EQ(datums, 3000);
        CHECK(reads > 1 && (size_t)reads <= 1 + 2 * blocks);
    }
    fl_buf_dispose(&file);
}
