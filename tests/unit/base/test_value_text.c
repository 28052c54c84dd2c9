/*
 * test_value_text.c: DuckDB-style and JSON rendering of values and nested
 * column rows, shortest float text, CSV field quoting, text-to-value
 * parsing and the loose comparison used by the corpus tests.
 */
#include "../test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/decimal.h"
#include "../../../src/base/time.h"
#include "../../../src/base/value_text.h"

static const char *dbl(double v)
{
    static char buf[4][48];
    static int i;
    char *b = buf[i++ & 3];
    int n = fl_format_double(v, b);
    CHECK_EQ(n, (int)strlen(b));
    return b;
}

static const char *flt(float v)
{
    static char buf[48];
    fl_format_float(v, buf);
    return buf;
}

TEST(value_text_double_shortest_duckdb_layout)
{
    CHECK_STR(dbl(0.1), "0.1");
    CHECK_STR(dbl(0.0), "0.0");
    CHECK_STR(dbl(-0.0), "-0.0");
    CHECK_STR(dbl(1.0), "1.0");
    CHECK_STR(dbl(42.125), "42.125");
    CHECK_STR(dbl(7.7), "7.7");
    CHECK_STR(dbl(10.1), "10.1");
    CHECK_STR(dbl(-2.5), "-2.5");
    CHECK_STR(dbl(1.100000023841858), "1.100000023841858");
    CHECK_STR(dbl((double)1.1f), "1.100000023841858");
    CHECK_STR(dbl(0.1 + 0.2), "0.30000000000000004");
    CHECK_STR(dbl(1e15), "1000000000000000.0");
    CHECK_STR(dbl(1e16), "1e+16");
    CHECK_STR(dbl(1.5e16), "1.5e+16");
    CHECK_STR(dbl(123456789012345.6), "123456789012345.6");
    CHECK_STR(dbl(0.0001), "0.0001");
    CHECK_STR(dbl(0.00001), "1e-05");
    CHECK_STR(dbl(1.5e-7), "1.5e-07");
    CHECK_STR(dbl(1e100), "1e+100");
    CHECK_STR(dbl(1.7976931348623157e308), "1.7976931348623157e+308");
    CHECK_STR(dbl(5e-324), "5e-324");
    CHECK_STR(dbl(NAN), "nan");
    CHECK_STR(dbl(INFINITY), "inf");
    CHECK_STR(dbl(-INFINITY), "-inf");
    CHECK_STR(flt(1.1f), "1.1");
    CHECK_STR(flt(0.3f), "0.3");
    CHECK_STR(flt(16777216.0f), "16777216.0");
    CHECK_STR(flt(3.4028235e38f), "3.4028235e+38");
    CHECK_STR(flt(1e-10f), "1e-10");
}

TEST(value_text_double_roundtrips)
{
    uint64_t x = 0x2545F4914F6CDD1DULL;
    char buf[48];
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, 8);
        if (!isfinite(d)) continue;
        fl_format_double(d, buf);
        if (!CHECK(strtod(buf, NULL) == d)) {
            printf("  %s\n", buf);
            break;
        }
        float f = (float)(int32_t)(x >> 32) / 1024.0f;
        fl_format_float(f, buf);
        if (!CHECK(strtof(buf, NULL) == f)) break;
    }
}

static fl_value val(fl_type_id id)
{
    fl_value v;
    memset(&v, 0, sizeof v);
    v.type = fl_type_make(id);
    return v;
}

static const char *render(const fl_value *v, fl_text_format f, unsigned flags)
{
    static fl_buf b;
    static bool init;
    if (!init) {
        fl_buf_init(&b);
        init = true;
    }
    fl_buf_reset(&b);
    fl_text_style st = fl_text_style_make(f, flags);
    CHECK_EQ(fl_value_render(&b, v, &st), 0);
    return fl_buf_cstr(&b);
}

TEST(value_text_scalars_duckdb_style)
{
    fl_value v = val(FL_TYPE_BOOL);
    v.v.b = true;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "true");
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, FL_TEXT_BOOL_CAPITALIZED), "True");
    v.v.b = false;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, FL_TEXT_BOOL_CAPITALIZED), "False");
    v.is_null = true;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "NULL");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "null");
    v = val(FL_TYPE_INT64);
    v.v.i64 = INT64_MIN;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "-9223372036854775808");
    v = val(FL_TYPE_UINT64);
    v.v.u64 = UINT64_MAX;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "18446744073709551615");
    v = val(FL_TYPE_FLOAT);
    v.v.f64 = 1.1f;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "1.1");
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, FL_TEXT_FLOAT_AS_DOUBLE), "1.100000023841858");
    v.type = fl_type_decimal(7, 2);
    v.v.i64 = 100;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "1.00");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "1.00");
    v.type = fl_type_decimal(38, 10);
    v.v.i128 = -fl_pow10_i128(30) - 5;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "-100000000000000000000.0000000005");
    v = val(FL_TYPE_DATE);
    v.v.i64 = fl_days_from_civil(2024, 1, 31);
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "2024-01-31");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"2024-01-31\"");
    v.v.i64 = fl_days_from_civil(0, 1, 1);
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "0001-01-01 (BC)");
    v.v.i64 = fl_days_from_civil(12345, 6, 7);
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "12345-06-07");
    v = val(FL_TYPE_TIME);
    v.v.i64 = (13 * 3600 + 45 * 60) * FL_MICROS_PER_SECOND + 500;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "13:45:00.0005");
    int64_t ts = (int64_t)fl_days_from_civil(2009, 1, 1) * FL_MICROS_PER_DAY + 60000000;
    v = val(FL_TYPE_TIMESTAMP);
    v.v.i64 = ts;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "2009-01-01 00:01:00");
    v = val(FL_TYPE_TIMESTAMPTZ);
    v.v.i64 = ts + 123456;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "2009-01-01 00:01:00.123456+00");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"2009-01-01 00:01:00.123456+00\"");
    v = val(FL_TYPE_TIMESTAMP_NS);
    v.v.i64 = ts * 1000 + 7;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "2009-01-01 00:01:00.000000007");
    v.v.i64 = -1;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "1969-12-31 23:59:59.999999999");
    v = val(FL_TYPE_TIMESTAMP);
    v.v.i64 = (int64_t)fl_days_from_civil(-99, 3, 4) * FL_MICROS_PER_DAY;
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "0100-03-04 (BC) 00:00:00");
}

TEST(value_text_strings_blobs_uuids)
{
    fl_value v = val(FL_TYPE_STRING);
    v.v.s = fl_strv_cstr("it's \"x\"\n\\");
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "it's \"x\"\n\\");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"it's \\\"x\\\"\\n\\\\\"");
    v.v.s = fl_strv_make("a\x01\x1f", 3);
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"a\\u0001\\u001f\"");
    v.v.s = fl_strv_cstr("h\xc3\xa9llo");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"h\xc3\xa9llo\"");
    v = val(FL_TYPE_BINARY);
    v.v.s = fl_strv_make("\x00" "ab\\'\"\x0a\x7f\xff~ ", 11);
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "\\x00ab\\x5C\\x27\\x22\\x0A\\x7F\\xFF~ ");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"0061625C27220A7FFF7E20\"");
    v.v.s = fl_strv_make("", 0);
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "");
    v = val(FL_TYPE_UUID);
    v.v.s = fl_strv_make("\xc7\xce\x6b\xef\xd5\xb0\x48\x63\xb1\x99\x8e\xa8\xc7\xfb\x11\x7b", 16);
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "c7ce6bef-d5b0-4863-b199-8ea8c7fb117b");
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"c7ce6bef-d5b0-4863-b199-8ea8c7fb117b\"");
    v = val(FL_TYPE_DOUBLE);
    v.v.f64 = NAN;
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"NaN\"");
    v.v.f64 = -INFINITY;
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "\"-Infinity\"");
    CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), "-inf");
    v.v.f64 = 2.5;
    CHECK_STR(render(&v, FL_TEXT_JSON, 0), "2.5");
}

/* ---------- nested columns ---------- */

static fl_column *int_col(fl_arena *a, const char *name, const int32_t *vals, const bool *nulls,
                          size_t n)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_INT32), n);
    for (size_t i = 0; i < n; i++) {
        ((int32_t *)c->data)[i] = vals[i];
        if (nulls && nulls[i]) fl_column_set_null(c, i);
    }
    c->len = n;
    c->name = name;
    return c;
}

static fl_column *str_col(fl_arena *a, const char *name, const char *const *vals, size_t n)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_STRING), n);
    for (size_t i = 0; i < n; i++) {
        if (vals[i]) ((fl_strv *)c->data)[i] = fl_strv_cstr(vals[i]);
        else fl_column_set_null(c, i);
    }
    c->len = n;
    c->name = name;
    return c;
}

static fl_column *offsets_col(fl_arena *a, fl_type_id id, const char *name, const int64_t *offs,
                              const bool *nulls, size_t n)
{
    fl_column *c = fl_column_new(a, fl_type_make(id), n);
    memcpy(c->offsets, offs, (n + 1) * sizeof *offs);
    for (size_t i = 0; i < n; i++)
        if (nulls && nulls[i]) fl_column_set_null(c, i);
    c->len = n;
    c->name = name;
    return c;
}

static const char *render_col(const fl_column *c, size_t row, fl_text_format f, unsigned flags)
{
    static fl_buf b;
    static bool init;
    if (!init) {
        fl_buf_init(&b);
        init = true;
    }
    fl_buf_reset(&b);
    fl_text_style st = fl_text_style_make(f, flags);
    CHECK_EQ(fl_column_render(&b, c, row, &st), 0);
    return fl_buf_cstr(&b);
}

TEST(value_text_lists)
{
    fl_arena *a = fl_arena_new(4096);
    /* list_columns.parquet, column 1: [1, 2, 3] / [NULL, 1] / [4] */
    int32_t vals[] = {1, 2, 3, 0, 1, 4};
    bool nulls[] = {0, 0, 0, 1, 0, 0};
    int64_t offs[] = {0, 3, 5, 6, 6};
    bool list_nulls[] = {0, 0, 0, 1};
    fl_column *list = offsets_col(a, FL_TYPE_LIST, "l", offs, list_nulls, 4);
    fl_column_add_child(list, int_col(a, "element", vals, nulls, 6));
    CHECK_STR(render_col(list, 0, FL_TEXT_DUCKDB, 0), "[1, 2, 3]");
    CHECK_STR(render_col(list, 1, FL_TEXT_DUCKDB, 0), "[NULL, 1]");
    CHECK_STR(render_col(list, 2, FL_TEXT_DUCKDB, 0), "[4]");
    CHECK_STR(render_col(list, 3, FL_TEXT_DUCKDB, 0), "NULL");
    CHECK_STR(render_col(list, 1, FL_TEXT_JSON, 0), "[null,1]");
    /* nested lists of strings: [[[a, b], [c]], [NULL, [d]]] */
    const char *strs[] = {"a", "b", "c", "d"};
    int64_t inner_offs[] = {0, 2, 3, 3, 4};
    bool inner_nulls[] = {0, 0, 1, 0};
    int64_t mid_offs[] = {0, 2, 4};
    int64_t top_offs[] = {0, 2};
    fl_column *inner = offsets_col(a, FL_TYPE_LIST, "i", inner_offs, inner_nulls, 4);
    fl_column_add_child(inner, str_col(a, "s", strs, 4));
    fl_column *mid = offsets_col(a, FL_TYPE_LIST, "m", mid_offs, NULL, 2);
    fl_column_add_child(mid, inner);
    fl_column *top = offsets_col(a, FL_TYPE_LIST, "t", top_offs, NULL, 1);
    fl_column_add_child(top, mid);
    CHECK_STR(render_col(top, 0, FL_TEXT_DUCKDB, 0), "[[[a, b], [c]], [NULL, [d]]]");
    CHECK_STR(render_col(top, 0, FL_TEXT_JSON, 0), "[[[\"a\",\"b\"],[\"c\"]],[null,[\"d\"]]]");
    /* empty list */
    int64_t empty_offs[] = {0, 0};
    fl_column *empty = offsets_col(a, FL_TYPE_LIST, "e", empty_offs, NULL, 1);
    fl_column_add_child(empty, int_col(a, "x", vals, NULL, 0));
    CHECK_STR(render_col(empty, 0, FL_TEXT_DUCKDB, 0), "[]");
    CHECK_STR(render_col(empty, 0, FL_TEXT_JSON, 0), "[]");
    /* corrupt offsets are reported, not read out of bounds */
    int64_t bad_offs[] = {0, 99};
    fl_column *bad = offsets_col(a, FL_TYPE_LIST, "b", bad_offs, NULL, 1);
    fl_column_add_child(bad, int_col(a, "x", vals, NULL, 6));
    fl_buf b;
    fl_buf_init(&b);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    CHECK(fl_column_render(&b, bad, 0, &st) < 0);
    CHECK(fl_column_render(&b, bad, 5, &st) < 0);
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

TEST(value_text_structs_and_maps)
{
    fl_arena *a = fl_arena_new(4096);
    /* repeated_no_annotation row 6 shape: {'phone': [{'number': .., 'kind': ..}, ...]} */
    fl_column *number = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 3);
    int64_t nums[] = {1111111111, 2222222222, 3333333333};
    memcpy(number->data, nums, sizeof nums);
    number->len = 3;
    number->name = "number";
    const char *kinds[] = {"home", NULL, "mobile"};
    fl_column *elem = fl_column_new(a, fl_type_make(FL_TYPE_STRUCT), 3);
    elem->len = 3;
    fl_column_add_child(elem, number);
    fl_column_add_child(elem, str_col(a, "kind", kinds, 3));
    int64_t offs[] = {0, 3};
    fl_column *phone = offsets_col(a, FL_TYPE_LIST, "phone", offs, NULL, 1);
    fl_column_add_child(phone, elem);
    fl_column *rec = fl_column_new(a, fl_type_make(FL_TYPE_STRUCT), 1);
    rec->len = 1;
    fl_column_add_child(rec, phone);
    CHECK_STR(render_col(rec, 0, FL_TEXT_DUCKDB, 0),
              "{'phone': [{'number': 1111111111, 'kind': home}, {'number': 2222222222, 'kind': NULL}, "
              "{'number': 3333333333, 'kind': mobile}]}");
    CHECK_STR(render_col(rec, 0, FL_TEXT_JSON, 0),
              "{\"phone\":[{\"number\":1111111111,\"kind\":\"home\"},{\"number\":2222222222,"
              "\"kind\":null},{\"number\":3333333333,\"kind\":\"mobile\"}]}");

    /* nested_maps shape: {a={1=true, 2=false}} / {c=NULL} / {d={}} */
    fl_column *inner_keys = int_col(a, "key", (int32_t[]){1, 2}, NULL, 2);
    fl_column *inner_vals = fl_column_new(a, fl_type_make(FL_TYPE_BOOL), 2);
    ((uint8_t *)inner_vals->data)[0] = 1;
    inner_vals->len = 2;
    int64_t inner_offs[] = {0, 2, 2, 2};
    bool inner_nulls[] = {0, 1, 0};
    fl_column *inner = offsets_col(a, FL_TYPE_MAP, "value", inner_offs, inner_nulls, 3);
    fl_column_add_child(inner, inner_keys);
    fl_column_add_child(inner, inner_vals);
    const char *keys[] = {"a", "c", "d"};
    int64_t outer_offs[] = {0, 1, 2, 3};
    fl_column *outer = offsets_col(a, FL_TYPE_MAP, "m", outer_offs, NULL, 3);
    fl_column_add_child(outer, str_col(a, "key", keys, 3));
    fl_column_add_child(outer, inner);
    CHECK_STR(render_col(outer, 0, FL_TEXT_DUCKDB, FL_TEXT_BOOL_CAPITALIZED), "{a={1=true, 2=false}}");
    CHECK_STR(render_col(outer, 1, FL_TEXT_DUCKDB, 0), "{c=NULL}");
    CHECK_STR(render_col(outer, 2, FL_TEXT_DUCKDB, 0), "{d={}}");
    CHECK_STR(render_col(outer, 0, FL_TEXT_JSON, 0), "{\"a\":{\"1\":true,\"2\":false}}");
    CHECK_STR(render_col(outer, 1, FL_TEXT_JSON, 0), "{\"c\":null}");
    fl_arena_free(a);
}

TEST(value_text_nested_string_quoting)
{
    fl_arena *a = fl_arena_new(4096);
    const char *strs[] = {"red", "  lead", "null", "a:b", "it's", "", "x,y", "NULL", "back\\slash",
                          "trail\n", "two words"};
    int64_t offs[] = {0, 11};
    fl_column *list = offsets_col(a, FL_TYPE_LIST, "l", offs, NULL, 1);
    fl_column_add_child(list, str_col(a, "s", strs, 11));
    CHECK_STR(render_col(list, 0, FL_TEXT_DUCKDB, 0),
              "[red, '  lead', 'null', 'a:b', 'it\\'s', '', 'x,y', 'NULL', 'back\\\\slash', "
              "'trail\n', two words]");
    CHECK_STR(render_col(list, 0, FL_TEXT_DUCKDB, FL_TEXT_NESTED_RAW_STRINGS),
              "[red,   lead, null, a:b, it's, , x,y, NULL, back\\slash, trail\n, two words]");
    /* struct keys are always quoted, with quotes escaped */
    fl_column *st = fl_column_new(a, fl_type_make(FL_TYPE_STRUCT), 1);
    st->len = 1;
    fl_column_add_child(st, int_col(a, "it's", (int32_t[]){5}, NULL, 1));
    CHECK_STR(render_col(st, 0, FL_TEXT_DUCKDB, 0), "{'it\\'s': 5}");
    CHECK_STR(render_col(st, 0, FL_TEXT_JSON, 0), "{\"it's\":5}");
    /* top-level strings are never quoted; a NULL text can be chosen */
    fl_column *top = str_col(a, "t", (const char *[]){"a:b", NULL}, 2);
    CHECK_STR(render_col(top, 0, FL_TEXT_DUCKDB, 0), "a:b");
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    style.null_text = "";
    fl_buf b;
    fl_buf_init(&b);
    CHECK_EQ(fl_column_render(&b, top, 1, &style), 0);
    CHECK_EQ(b.len, 0);
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

TEST(value_text_csv_field_quoting)
{
    fl_buf b;
    fl_buf_init(&b);
    CHECK_EQ(fl_csv_append_field(&b, "plain", 5, ',', '"', false), 0);
    CHECK_STR(fl_buf_cstr(&b), "plain");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "a,b", 3, ',', '"', false);
    CHECK_STR(fl_buf_cstr(&b), "\"a,b\"");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "say \"hi\"", 8, ',', '"', false);
    CHECK_STR(fl_buf_cstr(&b), "\"say \"\"hi\"\"\"");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "l1\nl2", 5, ',', '"', false);
    CHECK_STR(fl_buf_cstr(&b), "\"l1\nl2\"");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "cr\r", 3, ',', '"', false);
    CHECK_STR(fl_buf_cstr(&b), "\"cr\r\"");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "a,b|c", 5, '|', '\'', false);
    CHECK_STR(fl_buf_cstr(&b), "'a,b|c'");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "", 0, ',', '"', true);
    CHECK_STR(fl_buf_cstr(&b), "\"\"");
    fl_buf_reset(&b);
    fl_csv_append_field(&b, "", 0, ',', '"', false);
    CHECK_EQ(b.len, 0);
    fl_csv_append_field(&b, "\"", 1, ',', '"', false);
    CHECK_STR(fl_buf_cstr(&b), "\"\"\"\"");
    fl_buf_dispose(&b);
}

TEST(value_text_parse_text)
{
    fl_value v;
    fl_error err;
    uint8_t scratch[16];
#define PARSE(type, s) fl_value_parse_text(&v, (type), (s), strlen(s), scratch, &err)
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_BOOL), " TRUE "), &err);
    CHECK(v.v.b);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_BOOL), "f"), &err);
    CHECK(!v.v.b);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_BOOL), "maybe"), FLOE_EINVAL);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_INT8), "-128"), &err);
    CHECK_EQ(v.v.i64, -128);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_INT8), "128"), FLOE_ERANGE);
    CHECK(strstr(err.message, "out of range for type tinyint") != NULL);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_INT64), "-9223372036854775808"), &err);
    CHECK_EQ(v.v.i64, INT64_MIN);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_INT64), "9223372036854775808"), FLOE_ERANGE);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_INT64), "99999999999999999999999"), FLOE_ERANGE);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_INT32), "12a"), FLOE_EINVAL);
    CHECK(strstr(err.message, "invalid input syntax for type integer: \"12a\"") != NULL);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_INT32), ""), FLOE_EINVAL);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_INT32), "-"), FLOE_EINVAL);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_UINT64), "18446744073709551615"), &err);
    CHECK(v.v.u64 == UINT64_MAX);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_UINT64), "18446744073709551616"), FLOE_ERANGE);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_UINT8), "-1"), FLOE_ERANGE);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_UINT8), "255"), &err);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_UINT16), "65536"), FLOE_ERANGE);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_DOUBLE), "1e-5"), &err);
    CHECK(v.v.f64 == 1e-5);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_DOUBLE), "-inf"), &err);
    CHECK(isinf(v.v.f64) && v.v.f64 < 0);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_DOUBLE), "NaN"), &err);
    CHECK(isnan(v.v.f64));
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_DOUBLE), "1e999"), FLOE_ERANGE);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_DOUBLE), "0x10"), FLOE_EINVAL);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_DOUBLE), "1.5.2"), FLOE_EINVAL);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_FLOAT), "1.1"), &err);
    CHECK(v.v.f64 == (double)1.1f);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_FLOAT), "1e39"), FLOE_ERANGE);
    CHECK_OK(PARSE(fl_type_decimal(7, 2), "123.456"), &err);
    CHECK_EQ(v.v.i64, 12346);
    CHECK_OK(PARSE(fl_type_decimal(30, 2), "-123.456"), &err);
    CHECK(v.v.i128 == -12346);
    CHECK_EQ(PARSE(fl_type_decimal(3, 2), "10"), FLOE_ERANGE);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_DATE), "2024-01-31"), &err);
    CHECK_EQ(v.v.i64, fl_days_from_civil(2024, 1, 31));
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_DATE), "2023-02-29"), FLOE_EINVAL);
    CHECK(strstr(err.message, "invalid input syntax for type date") != NULL);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_TIME), "13:45:00.5"), &err);
    CHECK_EQ(v.v.i64, (13 * 3600 + 45 * 60) * FL_MICROS_PER_SECOND + 500000);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_TIMESTAMPTZ), "2024-01-31 15:45:00+02"), &err);
    CHECK_EQ(v.v.i64, (int64_t)fl_days_from_civil(2024, 1, 31) * FL_MICROS_PER_DAY +
                          (13 * 3600 + 45 * 60) * FL_MICROS_PER_SECOND);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_TIMESTAMP_NS), "1970-01-01 00:00:00.000000001"), &err);
    CHECK_EQ(v.v.i64, 1);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_STRING), " keep spaces "), &err);
    CHECK_EQ(v.v.s.len, 13);
    CHECK_OK(PARSE(fl_type_fixed(3), "abc"), &err);
    CHECK_EQ(PARSE(fl_type_fixed(3), "abcd"), FLOE_EINVAL);
    CHECK_OK(PARSE(fl_type_make(FL_TYPE_UUID), "C7CE6BEF-d5b0-4863-b199-8ea8c7fb117b"), &err);
    CHECK_MEM(v.v.s.ptr, v.v.s.len,
              "\xc7\xce\x6b\xef\xd5\xb0\x48\x63\xb1\x99\x8e\xa8\xc7\xfb\x11\x7b", 16);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_UUID), "c7ce6bef-d5b0-4863-b199-8ea8c7fb117"), FLOE_EINVAL);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_UUID), "c7ce6bef-d5b0-4863-b199x8ea8c7fb117b"), FLOE_EINVAL);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_UUID), "g7ce6bef-d5b0-4863-b199-8ea8c7fb117b"), FLOE_EINVAL);
    CHECK_EQ(PARSE(fl_type_make(FL_TYPE_LIST), "[1]"), FLOE_EUNSUPPORTED);
#undef PARSE
}

TEST(value_text_parse_render_roundtrip)
{
    /* what the renderer prints, the parser reads back */
    static const struct { fl_type_id id; const char *text; } cases[] = {
        {FL_TYPE_INT32, "-42"}, {FL_TYPE_DOUBLE, "0.30000000000000004"}, {FL_TYPE_DOUBLE, "1e-05"},
        {FL_TYPE_DATE, "1999-12-31"}, {FL_TYPE_TIME, "23:59:59.999999"},
        {FL_TYPE_TIMESTAMP, "2024-02-29 12:00:00.5"}, {FL_TYPE_TIMESTAMPTZ, "2024-02-29 12:00:00+00"},
        {FL_TYPE_UUID, "00112233-4455-6677-8899-aabbccddeeff"}, {FL_TYPE_BOOL, "false"},
    };
    uint8_t scratch[16];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fl_value v;
        fl_error err;
        if (!CHECK_OK(fl_value_parse_text(&v, fl_type_make(cases[i].id), cases[i].text,
                                          strlen(cases[i].text), scratch, &err), &err))
            continue;
        CHECK_STR(render(&v, FL_TEXT_DUCKDB, 0), cases[i].text);
    }
}

TEST(value_text_loose_equality)
{
#define LEQ(a, b, tol) fl_text_loose_eq((a), strlen(a), (b), strlen(b), (tol))
    CHECK(LEQ("1.000000", "1.0", 0));
    CHECK(LEQ("{'i': [1.100000, NULL]}", "{'i': [1.1, NULL]}", 0));
    CHECK(LEQ("True", "true", 0));
    CHECK(LEQ("{a={1=true, 2=False}}", "{a={1=True, 2=false}}", 0));
    CHECK(LEQ("1.100000023841858", "1.1", 1e-6));
    CHECK(!LEQ("1.100000023841858", "1.1", 0));
    CHECK(!LEQ("1.5", "1.4", 0));
    CHECK(!LEQ("abc", "abd", 0));
    CHECK(!LEQ("abc", "ab", 0));
    CHECK(!LEQ("Home", "home", 0));
    CHECK(LEQ("k1=1", "k1=1", 0));
    CHECK(!LEQ("k1=1", "k2=1", 0));
    CHECK(LEQ("nan", "nan", 0));
    CHECK(LEQ("-2.5e+00", "-2.5", 0));
    CHECK(LEQ("2009-01-01 00:01:00", "2009-01-01 00:01:00", 0));
    CHECK(!LEQ("2009-01-01 00:01:00", "2009-01-01 00:02:00", 0));
#undef LEQ
}
