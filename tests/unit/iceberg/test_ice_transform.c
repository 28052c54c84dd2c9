/*
 * test_ice_transform.c: partition transforms against the spec's examples:
 * Appendix B hash values, truncate examples, temporal transforms before and
 * after 1970, result types, transform strings, human-readable values and
 * partition paths.
 */
#include "../test.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/time.h"
#include "../../../src/base/uuid.h"
#include "../../../src/iceberg/ice_partition.h"
#include "../../../src/iceberg/ice_transform.h"

static fl_value ival(fl_type_id id, int64_t v)
{
    fl_value x = {.type = fl_type_make(id)};
    x.v.i64 = v;
    return x;
}

static fl_value sval(fl_type_id id, const char *p, size_t len)
{
    fl_value x = {.type = fl_type_make(id)};
    x.v.s = fl_strv_make(p, len);
    return x;
}

static int64_t ts(const char *text)
{
    int64_t us = 0;
    bool zone;
    CHECK(fl_timestamp_parse(text, strlen(text), &us, &zone));
    return us;
}

static int64_t ts_ns(const char *text)
{
    int64_t ns = 0;
    bool zone;
    CHECK(fl_timestamp_ns_parse(text, strlen(text), &ns, &zone));
    return ns;
}

static int32_t date(const char *text)
{
    int32_t d = 0;
    CHECK(fl_date_parse(text, strlen(text), &d));
    return d;
}

static int32_t hash_of(ice_type_id id, fl_value v)
{
    int32_t h = 0;
    fl_error err;
    CHECK_OK(ice_hash_value(&h, ice_type_primitive(id), &v, &err), &err);
    return h;
}

TEST(ice_bucket_hash_appendix_b)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_EQ(hash_of(ICE_TYPE_INT, ival(FL_TYPE_INT32, 34)), 2017239379);
    CHECK_EQ(hash_of(ICE_TYPE_LONG, ival(FL_TYPE_INT64, 34)), 2017239379);
    fl_value dec = {.type = fl_type_decimal(9, 2)};
    dec.v.i64 = 1420;
    int32_t h;
    fl_error err;
    ice_type *dt = ice_type_new_decimal(a, 9, 2);
    CHECK_OK(ice_hash_value(&h, dt, &dec, &err), &err);
    CHECK_EQ(h, -500754589);
    ice_type *wide = ice_type_new_decimal(a, 38, 2);
    dec.type = fl_type_decimal(38, 2);
    dec.v.i128 = 1420;
    CHECK_OK(ice_hash_value(&h, wide, &dec, &err), &err);
    CHECK_EQ(h, -500754589);
    CHECK_EQ(hash_of(ICE_TYPE_DATE, ival(FL_TYPE_DATE, date("2017-11-16"))), -653330422);
    int64_t t = 0;
    CHECK(fl_time_parse("22:31:08", 8, &t));
    CHECK_EQ(hash_of(ICE_TYPE_TIME, ival(FL_TYPE_TIME, t)), -662762989);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMP, ival(FL_TYPE_TIMESTAMP, ts("2017-11-16T22:31:08"))), -2047944441);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMP, ival(FL_TYPE_TIMESTAMP, ts("2017-11-16T22:31:08.000001"))),
             -1207196810);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMPTZ, ival(FL_TYPE_TIMESTAMPTZ, ts("2017-11-16T14:31:08-08:00"))),
             -2047944441);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMPTZ, ival(FL_TYPE_TIMESTAMPTZ, ts("2017-11-16T14:31:08.000001-08:00"))),
             -1207196810);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMP_NS, ival(FL_TYPE_TIMESTAMP_NS, ts_ns("2017-11-16T22:31:08"))),
             -2047944441);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMP_NS,
                     ival(FL_TYPE_TIMESTAMP_NS, ts_ns("2017-11-16T22:31:08.000001001"))),
             -1207196810);
    CHECK_EQ(hash_of(ICE_TYPE_TIMESTAMPTZ_NS,
                     ival(FL_TYPE_TIMESTAMPTZ_NS, ts_ns("2017-11-16T14:31:08.000001001-08:00"))),
             -1207196810);
    CHECK_EQ(hash_of(ICE_TYPE_STRING, sval(FL_TYPE_STRING, "iceberg", 7)), 1210000089);
    fl_uuid u;
    CHECK_OK(fl_uuid_parse(&u, "f79c3e09-677c-4bbd-a479-3f349cb785e7", 36, &err), &err);
    CHECK_EQ(hash_of(ICE_TYPE_UUID, sval(FL_TYPE_UUID, (const char *)u.b, 16)), 1488055340);
    CHECK_EQ(hash_of(ICE_TYPE_BINARY, sval(FL_TYPE_BINARY, "\x00\x01\x02\x03", 4)), -188683207);
    ice_type *fx = ice_type_new_fixed(a, 4);
    fl_value fv = sval(FL_TYPE_FIXED, "\x00\x01\x02\x03", 4);
    CHECK_OK(ice_hash_value(&h, fx, &fv, &err), &err);
    CHECK_EQ(h, -188683207);
    fl_value b = {.type = fl_type_make(FL_TYPE_BOOL)};
    b.v.b = true;
    CHECK_EQ(hash_of(ICE_TYPE_BOOLEAN, b), 1392991556);
    fl_value f = {.type = fl_type_make(FL_TYPE_DOUBLE)};
    f.v.f64 = 1.0;
    CHECK_EQ(hash_of(ICE_TYPE_DOUBLE, f), -142385009);
    CHECK_EQ(hash_of(ICE_TYPE_FLOAT, f), -142385009);
    f.v.f64 = 0.0;
    CHECK_EQ(hash_of(ICE_TYPE_DOUBLE, f), 1669671676);
    f.v.f64 = -0.0;
    CHECK_EQ(hash_of(ICE_TYPE_DOUBLE, f), 1669671676);
    f.v.f64 = NAN;
    int32_t nan1 = hash_of(ICE_TYPE_DOUBLE, f);
    f.v.f64 = -NAN;
    CHECK_EQ(hash_of(ICE_TYPE_DOUBLE, f), nan1);

    /* bucket[N] = (hash & MAX) % N */
    ice_transform bucket = ice_transform_make(ICE_TRANSFORM_BUCKET, 16);
    fl_value in = ival(FL_TYPE_INT32, 34), out;
    CHECK_OK(ice_transform_apply(&out, &bucket, ice_type_primitive(ICE_TYPE_INT), &in, &err), &err);
    CHECK_EQ(out.v.i64, (2017239379 & 0x7fffffff) % 16);
    CHECK_EQ(out.type.id, FL_TYPE_INT32);
    fl_value str = sval(FL_TYPE_STRING, "iceberg", 7);
    CHECK_OK(ice_transform_apply(&out, &bucket, ice_type_primitive(ICE_TYPE_STRING), &str, &err), &err);
    CHECK_EQ(out.v.i64, 1210000089 % 16);
    fl_value bin = sval(FL_TYPE_BINARY, "\x00\x01\x02\x03", 4);
    CHECK_OK(ice_transform_apply(&out, &bucket, ice_type_primitive(ICE_TYPE_BINARY), &bin, &err), &err);
    CHECK_EQ(out.v.i64, (int64_t)((uint32_t)-188683207 & 0x7fffffffu) % 16);
    CHECK_EQ(ice_transform_apply(&out, &bucket, ice_type_primitive(ICE_TYPE_DOUBLE), &f, &err), FLOE_EINVAL);
    fl_arena_free(a);
}

static fl_value apply(const ice_transform *t, const ice_type *src, fl_value in)
{
    fl_value out;
    fl_error err;
    memset(&out, 0, sizeof(out));
    CHECK_OK(ice_transform_apply(&out, t, src, &in, &err), &err);
    return out;
}

TEST(ice_truncate_examples)
{
    fl_arena *a = fl_arena_new(0);
    ice_transform t10 = ice_transform_make(ICE_TRANSFORM_TRUNCATE, 10);
    const ice_type *it = ice_type_primitive(ICE_TYPE_INT), *lt = ice_type_primitive(ICE_TYPE_LONG);
    CHECK_EQ(apply(&t10, it, ival(FL_TYPE_INT32, 1)).v.i64, 0);
    CHECK_EQ(apply(&t10, it, ival(FL_TYPE_INT32, -1)).v.i64, -10);
    CHECK_EQ(apply(&t10, it, ival(FL_TYPE_INT32, 10)).v.i64, 10);
    CHECK_EQ(apply(&t10, lt, ival(FL_TYPE_INT64, 1)).v.i64, 0);
    CHECK_EQ(apply(&t10, lt, ival(FL_TYPE_INT64, -1)).v.i64, -10);
    CHECK_EQ(apply(&t10, lt, ival(FL_TYPE_INT64, -10)).v.i64, -10);
    CHECK_EQ(apply(&t10, lt, ival(FL_TYPE_INT64, -11)).v.i64, -20);
    /* decimal(9,2) 10.65 truncate[50] -> 10.50 */
    ice_transform t50 = ice_transform_make(ICE_TRANSFORM_TRUNCATE, 50);
    fl_value d = {.type = fl_type_decimal(9, 2)};
    d.v.i64 = 1065;
    CHECK_EQ(apply(&t50, ice_type_new_decimal(a, 9, 2), d).v.i64, 1050);
    d.type = fl_type_decimal(38, 2);
    d.v.i128 = -1065;
    fl_value wd = apply(&t50, ice_type_new_decimal(a, 38, 2), d);
    CHECK(wd.v.i128 == -1100);
    /* strings by code points, binary by bytes */
    ice_transform t3 = ice_transform_make(ICE_TRANSFORM_TRUNCATE, 3);
    fl_value s = apply(&t3, ice_type_primitive(ICE_TYPE_STRING), sval(FL_TYPE_STRING, "iceberg", 7));
    CHECK_MEM(s.v.s.ptr, s.v.s.len, "ice", 3);
    s = apply(&t3, ice_type_primitive(ICE_TYPE_STRING), sval(FL_TYPE_STRING, "\xc3\xa9t\xc3\xa9s", 7));
    CHECK_MEM(s.v.s.ptr, s.v.s.len, "\xc3\xa9t\xc3\xa9", 5);
    s = apply(&t3, ice_type_primitive(ICE_TYPE_STRING), sval(FL_TYPE_STRING, "ab", 2));
    CHECK_MEM(s.v.s.ptr, s.v.s.len, "ab", 2);
    s = apply(&t3, ice_type_primitive(ICE_TYPE_BINARY), sval(FL_TYPE_BINARY, "\x01\x02\x03\x04\x05", 5));
    CHECK_MEM(s.v.s.ptr, s.v.s.len, "\x01\x02\x03", 3);
    fl_value nul = {.type = fl_type_make(FL_TYPE_INT32), .is_null = true};
    CHECK(apply(&t10, it, nul).is_null);
    fl_arena_free(a);
}

TEST(ice_temporal_transforms)
{
    const ice_type *tst = ice_type_primitive(ICE_TYPE_TIMESTAMP), *dt = ice_type_primitive(ICE_TYPE_DATE);
    const ice_type *ns = ice_type_primitive(ICE_TYPE_TIMESTAMPTZ_NS);
    ice_transform year = ice_transform_make(ICE_TRANSFORM_YEAR, 0), month = ice_transform_make(ICE_TRANSFORM_MONTH, 0);
    ice_transform day = ice_transform_make(ICE_TRANSFORM_DAY, 0), hour = ice_transform_make(ICE_TRANSFORM_HOUR, 0);
    fl_value v = ival(FL_TYPE_TIMESTAMP, ts("2017-11-16T22:31:08"));
    CHECK_EQ(apply(&year, tst, v).v.i64, 47);
    CHECK_EQ(apply(&month, tst, v).v.i64, 47 * 12 + 10);
    fl_value dv = apply(&day, tst, v);
    CHECK_EQ(dv.v.i64, date("2017-11-16"));
    CHECK_EQ(dv.type.id, FL_TYPE_DATE);
    CHECK_EQ(apply(&hour, tst, v).v.i64, (int64_t)date("2017-11-16") * 24 + 22);
    /* before the epoch: floor, not truncation toward zero */
    v = ival(FL_TYPE_TIMESTAMP, ts("1969-12-31T23:59:59.999999"));
    CHECK_EQ(apply(&year, tst, v).v.i64, -1);
    CHECK_EQ(apply(&month, tst, v).v.i64, -1);
    CHECK_EQ(apply(&day, tst, v).v.i64, -1);
    CHECK_EQ(apply(&hour, tst, v).v.i64, -1);
    v = ival(FL_TYPE_TIMESTAMP, ts("1969-01-01T00:00:00"));
    CHECK_EQ(apply(&year, tst, v).v.i64, -1);
    CHECK_EQ(apply(&month, tst, v).v.i64, -12);
    CHECK_EQ(apply(&day, tst, v).v.i64, -365);
    CHECK_EQ(apply(&hour, tst, v).v.i64, -365 * 24);
    v = ival(FL_TYPE_TIMESTAMP, ts("1970-01-01T00:00:00"));
    CHECK_EQ(apply(&hour, tst, v).v.i64, 0);
    fl_value d = ival(FL_TYPE_DATE, date("1969-12-31"));
    CHECK_EQ(apply(&year, dt, d).v.i64, -1);
    CHECK_EQ(apply(&month, dt, d).v.i64, -1);
    CHECK_EQ(apply(&day, dt, d).v.i64, -1);
    d = ival(FL_TYPE_DATE, date("2017-11-16"));
    CHECK_EQ(apply(&month, dt, d).v.i64, 574);
    fl_value n = ival(FL_TYPE_TIMESTAMPTZ_NS, -1);  /* 1 ns before the epoch */
    CHECK_EQ(apply(&day, ns, n).v.i64, -1);
    CHECK_EQ(apply(&hour, ns, n).v.i64, -1);
    fl_value out;
    fl_error err;
    CHECK_EQ(ice_transform_apply(&out, &hour, dt, &d, &err), FLOE_EINVAL);
    ice_transform vd = ice_transform_make(ICE_TRANSFORM_VOID, 0);
    CHECK(apply(&vd, dt, d).is_null);
}

TEST(ice_transform_strings_and_types)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_transform t;
    char buf[64];
    const char *names[] = {"identity", "bucket[16]", "truncate[3]", "year", "month", "day", "hour", "void"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(names); i++) {
        CHECK_OK(ice_transform_parse(&t, names[i], a, &err), &err);
        ice_transform_format(&t, buf, sizeof(buf));
        CHECK_STR(buf, names[i]);
    }
    CHECK_OK(ice_transform_parse(&t, "zorder", a, &err), &err);
    CHECK_EQ(t.kind, ICE_TRANSFORM_UNKNOWN);
    ice_transform_format(&t, buf, sizeof(buf));
    CHECK_STR(buf, "zorder");
    CHECK_EQ(ice_transform_parse(&t, "bucket[0]", a, &err), FLOE_ECORRUPT);
    CHECK_OK(ice_transform_parse(&t, "days", a, &err), &err);
    CHECK_EQ(t.kind, ICE_TRANSFORM_DAY);
    const ice_type *rt;
    t = ice_transform_make(ICE_TRANSFORM_DAY, 0);
    CHECK_OK(ice_transform_result_type(&rt, &t, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ), &err), &err);
    CHECK_EQ(rt->id, ICE_TYPE_DATE);
    t = ice_transform_make(ICE_TRANSFORM_TRUNCATE, 4);
    CHECK_OK(ice_transform_result_type(&rt, &t, ice_type_primitive(ICE_TYPE_STRING), &err), &err);
    CHECK_EQ(rt->id, ICE_TYPE_STRING);
    CHECK_EQ(ice_transform_result_type(&rt, &t, ice_type_primitive(ICE_TYPE_DATE), &err), FLOE_EINVAL);
    t = ice_transform_make(ICE_TRANSFORM_BUCKET, 4);
    CHECK_OK(ice_transform_result_type(&rt, &t, ice_type_primitive(ICE_TYPE_UUID), &err), &err);
    CHECK_EQ(rt->id, ICE_TYPE_INT);
    CHECK(!ice_transform_can_apply(&t, ice_type_primitive(ICE_TYPE_FLOAT)));
    t = ice_transform_make(ICE_TRANSFORM_IDENTITY, 0);
    CHECK(!ice_transform_can_apply(&t, ice_type_primitive(ICE_TYPE_GEOMETRY)));
    fl_arena_free(a);
}

static void check_human(ice_transform_kind kind, const ice_type *rt, fl_value v, const char *expect)
{
    fl_buf b;
    fl_error err;
    fl_buf_init(&b);
    ice_transform t = ice_transform_make(kind, kind == ICE_TRANSFORM_TRUNCATE ? 3 : 0);
    if (CHECK_OK(ice_partition_human(&b, &t, rt, &v, &err), &err)) CHECK_STR(fl_buf_cstr(&b), expect);
    fl_buf_dispose(&b);
}

TEST(ice_partition_human_strings)
{
    const ice_type *it = ice_type_primitive(ICE_TYPE_INT);
    check_human(ICE_TRANSFORM_YEAR, it, ival(FL_TYPE_INT32, 47), "2017");
    check_human(ICE_TRANSFORM_MONTH, it, ival(FL_TYPE_INT32, 574), "2017-11");
    check_human(ICE_TRANSFORM_MONTH, it, ival(FL_TYPE_INT32, -1), "1969-12");
    check_human(ICE_TRANSFORM_DAY, ice_type_primitive(ICE_TYPE_DATE), ival(FL_TYPE_DATE, date("2017-11-16")),
                "2017-11-16");
    check_human(ICE_TRANSFORM_DAY, it, ival(FL_TYPE_INT32, -1), "1969-12-31");
    check_human(ICE_TRANSFORM_HOUR, it, ival(FL_TYPE_INT32, (int64_t)date("2017-11-16") * 24 + 22),
                "2017-11-16-22");
    check_human(ICE_TRANSFORM_HOUR, it, ival(FL_TYPE_INT32, -1), "1969-12-31-23");
    fl_value nul = {.type = fl_type_make(FL_TYPE_INT32), .is_null = true};
    check_human(ICE_TRANSFORM_IDENTITY, it, nul, "null");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_TIMESTAMP),
                ival(FL_TYPE_TIMESTAMP, ts("2017-11-16T22:31:08")), "2017-11-16T22:31:08");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_TIMESTAMP),
                ival(FL_TYPE_TIMESTAMP, ts("2017-11-16T22:31:00")), "2017-11-16T22:31");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ),
                ival(FL_TYPE_TIMESTAMPTZ, ts("2017-11-16T22:31:08.1")), "2017-11-16T22:31:08.100Z");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ),
                ival(FL_TYPE_TIMESTAMPTZ, ts("2017-11-16T22:31:08.000001")), "2017-11-16T22:31:08.000001Z");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_TIME), ival(FL_TYPE_TIME, 3600000000LL),
                "01:00");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_BINARY),
                sval(FL_TYPE_BINARY, "\x01\x02\x03\x04", 4), "AQIDBA==");
    check_human(ICE_TRANSFORM_TRUNCATE, ice_type_primitive(ICE_TYPE_STRING), sval(FL_TYPE_STRING, "ice", 3), "ice");
    fl_value dbl = {.type = fl_type_make(FL_TYPE_DOUBLE)};
    dbl.v.f64 = 1.0;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_DOUBLE), dbl, "1.0");
    dbl.v.f64 = 1e10;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_DOUBLE), dbl, "1.0E10");
    dbl.v.f64 = 0.0001;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_DOUBLE), dbl, "1.0E-4");
    dbl.v.f64 = -2.5;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_DOUBLE), dbl, "-2.5");
    dbl.v.f64 = 1234567.125;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_DOUBLE), dbl, "1234567.125");
    dbl.v.f64 = 0.001;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_DOUBLE), dbl, "0.001");
    dbl.v.f64 = 1.1f;
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_FLOAT), dbl, "1.1");
    char buf[32];
    ice_java_double_string(12345678.0, buf);
    CHECK_STR(buf, "1.2345678E7");
    ice_java_double_string(100.0, buf);
    CHECK_STR(buf, "100.0");
}

TEST(ice_partition_path_rendering)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    const char *text =
        "{\"spec-id\":1,\"fields\":[{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":1,\"field-id\":1000},"
        "{\"name\":\"cat egory\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1001},"
        "{\"name\":\"id_bucket\",\"transform\":\"bucket[16]\",\"source-id\":3,\"field-id\":1002},"
        "{\"name\":\"ts_hour\",\"transform\":\"hour\",\"source-id\":1,\"field-id\":1003}]}";
    const char *schema_text =
        "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"ts\",\"required\":false,"
        "\"type\":\"timestamptz\"},{\"id\":2,\"name\":\"category\",\"required\":false,\"type\":\"string\"},"
        "{\"id\":3,\"name\":\"id\",\"required\":true,\"type\":\"long\"}]}";
    json_t *sj = json_loads(text, 0, NULL), *schj = json_loads(schema_text, 0, NULL);
    ice_partition_spec *spec;
    ice_schema *schema;
    const ice_type *pt;
    if (CHECK_OK(ice_partition_spec_from_json(&spec, sj, a, &err), &err) &&
        CHECK_OK(ice_schema_from_json(&schema, schj, a, &err), &err) &&
        CHECK_OK(ice_partition_type(&pt, spec, schema, false, a, &err), &err)) {
        CHECK_EQ(pt->field_count, 4);
        CHECK_EQ(pt->fields[0].type->id, ICE_TYPE_DATE);
        CHECK_EQ(pt->fields[1].type->id, ICE_TYPE_STRING);
        CHECK_EQ(pt->fields[2].type->id, ICE_TYPE_INT);
        CHECK_EQ(pt->fields[2].id, 1002);
        int64_t t = ts("2017-11-16T22:31:08");
        fl_value src_ts = ival(FL_TYPE_TIMESTAMPTZ, t), src_id = ival(FL_TYPE_INT64, 34);
        fl_value vals[4];
        CHECK_OK(ice_transform_apply(&vals[0], &spec->fields[0].transform, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ),
                                     &src_ts, &err), &err);
        vals[1] = sval(FL_TYPE_STRING, "a/b c=d&é", 10);
        CHECK_OK(ice_transform_apply(&vals[2], &spec->fields[2].transform, ice_type_primitive(ICE_TYPE_LONG),
                                     &src_id, &err), &err);
        CHECK_OK(ice_transform_apply(&vals[3], &spec->fields[3].transform, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ),
                                     &src_ts, &err), &err);
        fl_buf path;
        fl_buf_init(&path);
        CHECK_OK(ice_partition_path(&path, spec, pt, vals, &err), &err);
        CHECK_STR(fl_buf_cstr(&path), "ts_day=2017-11-16/cat+egory=a%2Fb+c%3Dd%26%C3%A9/id_bucket=3/ts_hour=2017-11-16-22");
        vals[1].is_null = true;
        fl_buf_reset(&path);
        CHECK_OK(ice_partition_path(&path, spec, pt, vals, &err), &err);
        CHECK(strstr(fl_buf_cstr(&path), "cat+egory=null/") != NULL);
        fl_buf_dispose(&path);
        json_t *back = ice_partition_spec_to_json(spec);
        ice_partition_spec *spec2;
        if (CHECK_OK(ice_partition_spec_from_json(&spec2, back, a, &err), &err)) CHECK(ice_partition_spec_equal(spec, spec2));
        char *dump = json_dumps(back, JSON_COMPACT);
        CHECK(strstr(dump, "{\"name\":\"id_bucket\",\"transform\":\"bucket[16]\",\"source-id\":3,\"field-id\":1002}") != NULL);
        free(dump);
        json_decref(back);
    }
    json_decref(sj);
    json_decref(schj);
    fl_arena_free(a);
}

/* Partition directory names written by Java engines in the fixtures. */
TEST(ice_partition_human_matches_fixture_dirs)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    /* hive_v1_hour_part_timestamptz: hour(ts) of EXPECTED.md's rows */
    static const char *const hours[][2] = {
        {"1969-01-01 00:00:00", "1969-01-01-00"}, {"1969-01-01 00:15:00", "1969-01-01-00"},
        {"2021-10-31 00:15:00", "2021-10-31-00"}, {"2021-10-31 01:15:00", "2021-10-31-01"},
        {"2021-01-10 11:00:00", "2021-01-10-11"}, {"2022-04-10 22:04:00", "2022-04-10-22"},
        {"2022-04-11 10:04:55", "2022-04-11-10"},
    };
    ice_transform hour = ice_transform_make(ICE_TRANSFORM_HOUR, 0);
    for (size_t i = 0; i < FL_ARRAY_SIZE(hours); i++) {
        fl_value h = apply(&hour, ice_type_primitive(ICE_TYPE_TIMESTAMPTZ), ival(FL_TYPE_TIMESTAMPTZ, ts(hours[i][0])));
        char dir[96];
        snprintf(dir, sizeof(dir), "fixtures/iceberg/hive_v1_hour_part_timestamptz/data/ts_hour=%s", hours[i][1]);
        fl_buf b;
        fl_buf_init(&b);
        CHECK_OK(ice_partition_human(&b, &hour, ice_type_primitive(ICE_TYPE_INT), &h, &err), &err);
        CHECK_STR(fl_buf_cstr(&b), hours[i][1]);
        CHECK(access(ft_shared(dir), F_OK) == 0);
        fl_buf_dispose(&b);
    }
    /* impala_v1_bucket_part_uppercase_cols: bucket[16] of the string ids '1' and '2' */
    ice_transform b16 = ice_transform_make(ICE_TRANSFORM_BUCKET, 16);
    int64_t b1 = apply(&b16, ice_type_primitive(ICE_TYPE_STRING), sval(FL_TYPE_STRING, "1", 1)).v.i64;
    int64_t b2 = apply(&b16, ice_type_primitive(ICE_TYPE_STRING), sval(FL_TYPE_STRING, "2", 1)).v.i64;
    CHECK((b1 == 3 && b2 == 7) || (b1 == 7 && b2 == 3));
    /* spark_v2_identity_part_decimal_bigint_nocol: decimal(16,11) as BigDecimal.toString */
    ice_type *d = ice_type_new_decimal(a, 16, 11);
    static const struct { int64_t unscaled; const char *text; } decs[] = {
        {0, "0E-11"}, {1, "1E-11"}, {-12345678901LL, "-0.12345678901"}, {999999999999999LL, "9999.99999999999"},
        {-543210987654321LL, "-5432.10987654321"},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(decs); i++) {
        fl_value v = {.type = fl_type_decimal(16, 11)};
        v.v.i64 = decs[i].unscaled;
        fl_buf b;
        fl_buf_init(&b);
        ice_transform id = ice_transform_make(ICE_TRANSFORM_IDENTITY, 0);
        CHECK_OK(ice_partition_human(&b, &id, d, &v, &err), &err);
        CHECK_STR(fl_buf_cstr(&b), decs[i].text);
        char dir[160];
        snprintf(dir, sizeof(dir), "fixtures/iceberg/spark_v2_identity_part_decimal_bigint_nocol/data/partition_col=%s",
                 decs[i].text);
        CHECK(access(ft_shared(dir), F_OK) == 0);
        fl_buf_dispose(&b);
    }
    /* float identity (Float.toString) and binary (base64) */
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_FLOAT),
                (fl_value){.type = fl_type_make(FL_TYPE_FLOAT), .v.f64 = 3.1415927f}, "3.1415927");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_FLOAT),
                (fl_value){.type = fl_type_make(FL_TYPE_FLOAT), .v.f64 = 2.7182817f}, "2.7182817");
    CHECK(access(ft_shared("fixtures/iceberg/spark_v2_identity_part_float_nocol/data/partition_col=1.23"), F_OK) == 0);
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_FLOAT),
                (fl_value){.type = fl_type_make(FL_TYPE_FLOAT), .v.f64 = 1.23f}, "1.23");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_BINARY),
                sval(FL_TYPE_BINARY, "\xaa\xbb\xcc", 3), "qrvM");
    check_human(ICE_TRANSFORM_IDENTITY, ice_type_primitive(ICE_TYPE_BINARY), sval(FL_TYPE_BINARY, "\x01\x02\x03", 3),
                "AQID");
    fl_arena_free(a);
}
