/*
 * test_ice_type.c: Iceberg types, schemas, single values and name
 * mappings: type strings, JSON round trips of nested types with defaults,
 * the id/name index, and the single-value serializations.
 */
#include "../test.h"

#include <stdlib.h>

#include "../../../src/base/arena.h"
#include "../../../src/iceberg/ice_name_mapping.h"
#include "../../../src/iceberg/ice_schema.h"
#include "../../../src/iceberg/ice_type.h"
#include "../../../src/iceberg/ice_value.h"

static json_t *parse(const char *text)
{
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    CHECK(j != NULL);
    return j;
}

static void check_type_string(const char *in, const char *canonical, fl_arena *a)
{
    const ice_type *t = NULL;
    fl_error err;
    if (!CHECK_OK(ice_type_parse_primitive(&t, in, a, &err), &err)) return;
    char buf[128];
    ice_type_format(t, buf, sizeof(buf));
    CHECK_STR(buf, canonical);
}

TEST(ice_type_strings)
{
    fl_arena *a = fl_arena_new(0);
    check_type_string("int", "int", a);
    check_type_string("decimal(9,2)", "decimal(9,2)", a);
    check_type_string("decimal( 9 , 2 )", "decimal(9,2)", a);
    check_type_string("fixed[16]", "fixed[16]", a);
    check_type_string("fixed[ 3 ]", "fixed[3]", a);
    check_type_string("timestamptz_ns", "timestamptz_ns", a);
    check_type_string("unknown", "unknown", a);
    check_type_string("variant", "variant", a);
    check_type_string("geometry(srid:4326)", "geometry(srid:4326)", a);
    check_type_string("geography(srid:4326, spherical)", "geography(srid:4326, spherical)", a);
    const ice_type *t;
    fl_error err;
    CHECK_EQ(ice_type_parse_primitive(&t, "decimal(39,2)", a, &err), FLOE_ECORRUPT);
    CHECK_EQ(ice_type_parse_primitive(&t, "fixed[x]", a, &err), FLOE_ECORRUPT);
    CHECK_EQ(ice_type_parse_primitive(&t, "integer", a, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "integer") != NULL);
    CHECK_EQ(ice_type_parse_primitive(&t, "decimal(9)", a, &err), FLOE_ECORRUPT);
    fl_type ft;
    CHECK_OK(ice_type_parse_primitive(&t, "decimal(38,10)", a, &err), &err);
    CHECK_OK(ice_type_to_fl(&ft, t, &err), &err);
    CHECK(fl_type_eq(ft, fl_type_decimal(38, 10)));
    CHECK_OK(ice_type_to_fl(&ft, ice_type_primitive(ICE_TYPE_INT), &err), &err);
    CHECK_EQ(ft.id, FL_TYPE_INT32);
    CHECK_EQ(ice_type_to_fl(&ft, ice_type_primitive(ICE_TYPE_VARIANT), &err), FLOE_EUNSUPPORTED);
    fl_arena_free(a);
}

static const char *nested_schema =
    "{\"type\":\"struct\",\"schema-id\":3,\"identifier-field-ids\":[1],\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\",\"doc\":\"key\"},"
    "{\"id\":2,\"name\":\"Points\",\"required\":false,\"type\":{\"type\":\"list\",\"element-id\":3,"
    "\"element-required\":true,\"element\":{\"type\":\"struct\",\"fields\":["
    "{\"id\":4,\"name\":\"x\",\"required\":true,\"type\":\"double\"},"
    "{\"id\":5,\"name\":\"y\",\"required\":false,\"type\":\"decimal(9, 2)\","
    "\"initial-default\":\"1.50\",\"write-default\":\"-2.00\"}]}}},"
    "{\"id\":6,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"map\",\"key-id\":7,"
    "\"key\":\"string\",\"value-id\":8,\"value-required\":false,\"value\":\"timestamptz\"}},"
    "{\"id\":9,\"name\":\"s\",\"required\":false,\"type\":{\"type\":\"struct\",\"fields\":["
    "{\"id\":10,\"name\":\"u\",\"required\":false,\"type\":\"uuid\","
    "\"initial-default\":\"f79c3e09-677c-4bbd-a479-3f349cb785e7\"}]},\"initial-default\":{}}]}";

TEST(ice_schema_json_round_trip)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    json_t *j = parse(nested_schema);
    ice_schema *s = NULL, *s2 = NULL;
    if (!CHECK_OK(ice_schema_from_json(&s, j, a, &err), &err)) goto done;
    CHECK_EQ(s->schema_id, 3);
    CHECK_EQ(s->identifier_count, 1);
    CHECK_EQ(s->index_count, 10);
    CHECK_EQ(s->highest_field_id, 10);
    const ice_schema_entry *e = ice_schema_find_id(s, 5);
    CHECK(e != NULL && strcmp(e->name, "Points.element.y") == 0);
    CHECK(e && strcmp(e->short_name, "Points.y") == 0);
    CHECK(e && e->parent_id == 3);
    CHECK(e && e->field->has_initial_default && e->field->initial_default.v.i64 == 150);
    CHECK(e && e->field->write_default.v.i64 == -200);
    CHECK_OK(ice_schema_find_name(&e, s, "Points.x", true, &err), &err);
    CHECK(e && e->id == 4);
    CHECK_OK(ice_schema_find_name(&e, s, "points.element.X", false, &err), &err);
    CHECK(e && e->id == 4);
    CHECK_EQ(ice_schema_find_name(&e, s, "points.x", true, &err), FLOE_ENOTFOUND);
    CHECK_OK(ice_schema_find_name(&e, s, "tags.value", true, &err), &err);
    CHECK(e && e->id == 8 && e->field->type->id == ICE_TYPE_TIMESTAMPTZ);
    CHECK_OK(ice_schema_find_name(&e, s, "s.u", true, &err), &err);
    CHECK(e && e->field->initial_default.v.s.len == 16 &&
          (uint8_t)e->field->initial_default.v.s.ptr[0] == 0xf7);
    CHECK(ice_schema_find_id(s, 11) == NULL);

    json_t *out = ice_schema_to_json(s);
    CHECK(out != NULL);
    char *text = json_dumps(out, JSON_COMPACT);
    /* canonical decimal string and ordering of list members */
    CHECK(strstr(text, "\"decimal(9,2)\"") != NULL);
    CHECK(strstr(text, "\"initial-default\":\"1.50\"") != NULL);
    CHECK(strstr(text, "\"initial-default\":{}") != NULL);
    CHECK(strstr(text, "\"element-id\":3,\"element\":{") != NULL);
    if (CHECK_OK(ice_schema_from_json(&s2, out, a, &err), &err)) {
        CHECK(ice_schema_same_structure(s, s2));
        CHECK_EQ(s2->schema_id, 3);
    }
    free(text);
    json_decref(out);
done:
    json_decref(j);
    fl_arena_free(a);
}

static int schema_error(const char *text, fl_error *err)
{
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(text, 0, NULL);
    ice_schema *s;
    int rc = j ? ice_schema_from_json(&s, j, a, err) : -100;
    json_decref(j);
    fl_arena_free(a);
    return rc;
}

TEST(ice_schema_invalid)
{
    fl_error err;
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,"
                          "\"type\":\"int\"},{\"id\":1,\"name\":\"b\",\"required\":true,\"type\":\"int\"}]}",
                          &err),
             FLOE_ECORRUPT);
    CHECK(strstr(err.message, "field id 1 is used twice") != NULL);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,"
                          "\"type\":\"int\"},{\"id\":2,\"name\":\"a\",\"required\":true,\"type\":\"int\"}]}",
                          &err),
             FLOE_ECORRUPT);
    CHECK(strstr(err.message, "multiple fields for name \"a\"") != NULL);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true}]}", &err),
             FLOE_ECORRUPT);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"type\":\"int\"}]}", &err),
             FLOE_ECORRUPT);
    CHECK(strstr(err.message, "\"required\"") != NULL);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,"
                          "\"type\":\"int\",\"initial-default\":\"x\"}]}", &err),
             FLOE_ECORRUPT);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"identifier-field-ids\":[2],\"fields\":[{\"id\":1,"
                          "\"name\":\"a\",\"required\":true,\"type\":\"int\"}]}", &err),
             FLOE_ECORRUPT);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"identifier-field-ids\":[1],\"fields\":[{\"id\":1,"
                          "\"name\":\"a\",\"required\":false,\"type\":\"int\"}]}", &err),
             FLOE_ECORRUPT);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,"
                          "\"type\":{\"type\":\"list\",\"element-id\":2,\"element\":\"int\"}}]}", &err),
             FLOE_ECORRUPT);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":true,"
                          "\"type\":{\"type\":\"tuple\"}}]}", &err),
             FLOE_ECORRUPT);
    CHECK_EQ(schema_error("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"a\",\"required\":false,"
                          "\"type\":\"unknown\",\"initial-default\":1}]}", &err),
             FLOE_ECORRUPT);
}

static void check_json_value(const char *type, const char *json, const char *expect_out)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    const ice_type *t;
    json_t *j = json_loads(json, JSON_DECODE_ANY, NULL);
    fl_value v;
    if (CHECK(j != NULL) && CHECK_OK(ice_type_parse_primitive(&t, type, a, &err), &err) &&
        CHECK_OK(ice_value_from_json(&v, t, j, a, &err), &err)) {
        json_t *o = ice_value_to_json(&v, t);
        char *text = json_dumps(o, JSON_ENCODE_ANY | JSON_COMPACT);
        CHECK_STR(text, expect_out);
        free(text);
        json_decref(o);
    }
    json_decref(j);
    fl_arena_free(a);
}

TEST(ice_value_json)
{
    check_json_value("boolean", "true", "true");
    check_json_value("int", "34", "34");
    check_json_value("long", "-9223372036854775808", "-9223372036854775808");
    check_json_value("double", "1.5", "1.5");
    check_json_value("decimal(9,2)", "\"14.20\"", "\"14.20\"");
    check_json_value("decimal(38,2)", "\"-123456789012345678901234567890.01\"",
                     "\"-123456789012345678901234567890.01\"");
    check_json_value("date", "\"2017-11-16\"", "\"2017-11-16\"");
    check_json_value("date", "\"1969-12-31\"", "\"1969-12-31\"");
    check_json_value("time", "\"22:31:08.123456\"", "\"22:31:08.123456\"");
    check_json_value("time", "\"00:00:00.012345\"", "\"00:00:00.012345\"");
    check_json_value("timestamp", "\"2017-11-16T22:31:08.123456\"", "\"2017-11-16T22:31:08.123456\"");
    check_json_value("timestamp", "\"1969-12-31T23:59:59.123456\"", "\"1969-12-31T23:59:59.123456\"");
    check_json_value("timestamptz", "\"2017-11-16T22:31:08.123456+00:00\"",
                     "\"2017-11-16T22:31:08.123456+00:00\"");
    check_json_value("timestamptz", "\"2017-11-16T14:31:08-08:00\"", "\"2017-11-16T22:31:08+00:00\"");
    check_json_value("timestamp_ns", "\"2017-11-16T22:31:08.123456789\"",
                     "\"2017-11-16T22:31:08.123456789\"");
    check_json_value("timestamptz_ns", "\"2017-11-16T22:31:08.1+00:00\"",
                     "\"2017-11-16T22:31:08.1+00:00\"");
    check_json_value("string", "\"iceberg\"", "\"iceberg\"");
    check_json_value("uuid", "\"F79C3E09-677C-4BBD-A479-3F349CB785E7\"",
                     "\"f79c3e09-677c-4bbd-a479-3f349cb785e7\"");
    check_json_value("fixed[4]", "\"000102FF\"", "\"000102ff\"");
    check_json_value("binary", "\"\"", "\"\"");
    check_json_value("int", "null", "null");

    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_value v;
    json_t *j = json_string("2017-11-16T22:31:08");
    CHECK_EQ(ice_value_from_json(&v, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ), j, a, &err), FLOE_ECORRUPT);
    json_decref(j);
    j = json_string("2017-11-16T22:31:08+00:00");
    CHECK_EQ(ice_value_from_json(&v, ice_type_primitive(ICE_TYPE_TIMESTAMP), j, a, &err), FLOE_ECORRUPT);
    json_decref(j);
    j = json_integer(1LL << 40);
    CHECK_EQ(ice_value_from_json(&v, ice_type_primitive(ICE_TYPE_INT), j, a, &err), FLOE_ECORRUPT);
    json_decref(j);
    j = json_string("0g");
    CHECK_EQ(ice_value_from_json(&v, ice_type_primitive(ICE_TYPE_BINARY), j, a, &err), FLOE_ECORRUPT);
    json_decref(j);
    fl_arena_free(a);
}

TEST(ice_value_bytes)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_buf b;
    fl_buf_init(&b);
    const ice_type *dec;
    CHECK_OK(ice_type_parse_primitive(&dec, "decimal(9,2)", a, &err), &err);
    fl_value v = {.type = fl_type_decimal(9, 2)};
    v.v.i64 = 1420;
    CHECK_OK(ice_value_to_bytes(&b, &v, dec, &err), &err);
    CHECK_MEM(b.data, b.len, "\x05\x8c", 2);
    fl_value back;
    CHECK_OK(ice_value_from_bytes(&back, dec, (const uint8_t *)b.data, b.len, &err), &err);
    CHECK_EQ(back.v.i64, 1420);
    /* an int bound read for a long column (type promotion) */
    CHECK_OK(ice_value_from_bytes(&back, ice_type_primitive(ICE_TYPE_LONG),
                                  (const uint8_t *)"\xfe\xff\xff\xff", 4, &err), &err);
    CHECK_EQ(back.v.i64, -2);
    CHECK_EQ(ice_value_from_bytes(&back, ice_type_primitive(ICE_TYPE_INT),
                                  (const uint8_t *)"\x01\x02", 2, &err), FLOE_ECORRUPT);
    fl_buf_reset(&b);
    v.type = fl_type_make(FL_TYPE_DATE);
    v.v.i64 = 17486;
    CHECK_OK(ice_value_to_bytes(&b, &v, ice_type_primitive(ICE_TYPE_DATE), &err), &err);
    CHECK_MEM(b.data, b.len, "\x4e\x44\x00\x00", 4);
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

TEST(ice_name_mapping_parse_lookup)
{
    const char *text =
        "[ { \"field-id\": 1, \"names\": [\"id\", \"record_id\"] },"
        "  { \"field-id\": 2, \"names\": [\"data\"] },"
        "  { \"field-id\": 3, \"names\": [\"location\"], \"fields\": ["
        "      { \"field-id\": 4, \"names\": [\"latitude\", \"lat\"] },"
        "      { \"field-id\": 5, \"names\": [\"longitude\", \"long\"] } ] },"
        "  { \"names\": [\"unmapped\"] } ]";
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_name_mapping *m;
    if (CHECK_OK(ice_name_mapping_parse(&m, text, strlen(text), a, &err), &err)) {
        CHECK_EQ(m->count, 4);
        const ice_mapped_field *f = ice_name_mapping_find(m, "record_id");
        CHECK(f && f->has_field_id && f->field_id == 1);
        const char *path[] = {"location", "lat"};
        f = ice_name_mapping_find_path(m, path, 2);
        CHECK(f && f->field_id == 4);
        f = ice_name_mapping_find(m, "unmapped");
        CHECK(f && !f->has_field_id);
        CHECK(ice_name_mapping_find(m, "ID") == NULL);
        json_t *j = ice_name_mapping_to_json(m);
        ice_name_mapping *m2;
        if (CHECK_OK(ice_name_mapping_from_json(&m2, j, a, &err), &err)) {
            CHECK_EQ(m2->count, 4);
            CHECK(ice_name_mapping_find_path(m2, path, 2)->field_id == 4);
        }
        json_decref(j);
    }
    CHECK_EQ(ice_name_mapping_parse(&m, "{}", 2, a, &err), FLOE_ECORRUPT);
    CHECK_EQ(ice_name_mapping_parse(&m, "[{\"field-id\":1}]", 16, a, &err), FLOE_ECORRUPT);
    CHECK_EQ(ice_name_mapping_parse(&m, "[", 1, a, &err), FLOE_ECORRUPT);
    fl_arena_free(a);
}
