/*
 * test_ice_projection.c: inclusive and strict projection of predicates
 * through every transform (Iceberg Java's projection table), including the
 * widening for values before 1970 and string prefixes; sort order JSON.
 */
#include "../test.h"

#include <stdlib.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/time.h"
#include "../../../src/iceberg/ice_projection.h"
#include "../../../src/iceberg/ice_sort.h"

static fl_value ival(fl_type_id id, int64_t v)
{
    fl_value x = {.type = fl_type_make(id)};
    x.v.i64 = v;
    return x;
}

static fl_value sval(const char *s)
{
    fl_value x = {.type = fl_type_make(FL_TYPE_STRING)};
    x.v.s = fl_strv_cstr(s);
    return x;
}

typedef struct pcase {
    ice_partition_field pf;
    const ice_type *source;
    fl_arena *arena;
} pcase;

static pcase make_case(ice_transform_kind kind, int32_t param, ice_type_id source, fl_arena *a)
{
    pcase c;
    memset(&c, 0, sizeof(c));
    c.pf.field_id = 1000;
    c.pf.source_id = 1;
    c.pf.name = "p";
    c.pf.transform = ice_transform_make(kind, param);
    c.source = ice_type_primitive(source);
    c.arena = a;
    return c;
}

/* Projects `op value` and checks the result op and (first) value. */
static void check(pcase *c, bool strict, ice_pred_op op, fl_value v, ice_pred_op want_op, int64_t want)
{
    ice_pred in = {op, 1, &v, 1}, out;
    fl_error err;
    int rc = strict ? ice_project_strict(&out, &in, &c->pf, c->source, c->arena, &err)
                    : ice_project_inclusive(&out, &in, &c->pf, c->source, c->arena, &err);
    if (!CHECK_OK(rc, &err)) return;
    if (!CHECK_EQ(out.op, want_op)) fprintf(stderr, "  (op %s, got %s)\n", ice_pred_op_name(op), ice_pred_op_name(out.op));
    if (want_op > ICE_PRED_NOT_NAN) {
        CHECK_EQ(out.field_id, 1000);
        if (CHECK(out.value_count >= 1)) CHECK_EQ(out.values[0].v.i64, want);
    }
}

static void check_str(pcase *c, bool strict, ice_pred_op op, const char *v, ice_pred_op want_op,
                      const char *want)
{
    fl_value x = sval(v);
    ice_pred in = {op, 1, &x, 1}, out;
    fl_error err;
    int rc = strict ? ice_project_strict(&out, &in, &c->pf, c->source, c->arena, &err)
                    : ice_project_inclusive(&out, &in, &c->pf, c->source, c->arena, &err);
    if (!CHECK_OK(rc, &err)) return;
    CHECK_EQ(out.op, want_op);
    if (want) CHECK_MEM(out.values[0].v.s.ptr, out.values[0].v.s.len, want, strlen(want));
}

static int64_t micros(const char *s)
{
    int64_t us = 0;
    bool z;
    CHECK(fl_timestamp_parse(s, strlen(s), &us, &z));
    return us;
}

TEST(ice_projection_day_of_timestamp)
{
    fl_arena *a = fl_arena_new(0);
    pcase c = make_case(ICE_TRANSFORM_DAY, 0, ICE_TYPE_TIMESTAMP, a);
    fl_value x = ival(FL_TYPE_TIMESTAMP, micros("2017-11-16T10:00:00"));
    fl_value mid = ival(FL_TYPE_TIMESTAMP, micros("2017-11-16T00:00:00"));
    int64_t d = 17486;   /* 2017-11-16 */
    /* inclusive: ts >= X -> day(ts) >= day(X), and so on */
    check(&c, false, ICE_PRED_GT_EQ, x, ICE_PRED_GT_EQ, d);
    check(&c, false, ICE_PRED_GT, x, ICE_PRED_GT_EQ, d);
    check(&c, false, ICE_PRED_LT, x, ICE_PRED_LT_EQ, d);
    check(&c, false, ICE_PRED_LT, mid, ICE_PRED_LT_EQ, d - 1);
    check(&c, false, ICE_PRED_LT_EQ, x, ICE_PRED_LT_EQ, d);
    check(&c, false, ICE_PRED_EQ, x, ICE_PRED_EQ, d);
    check(&c, false, ICE_PRED_NOT_EQ, x, ICE_PRED_TRUE, 0);
    check(&c, false, ICE_PRED_IS_NULL, x, ICE_PRED_IS_NULL, 0);
    /* strict */
    check(&c, true, ICE_PRED_LT, x, ICE_PRED_LT, d);
    check(&c, true, ICE_PRED_LT_EQ, x, ICE_PRED_LT, d);
    check(&c, true, ICE_PRED_GT, x, ICE_PRED_GT, d);
    check(&c, true, ICE_PRED_GT_EQ, mid, ICE_PRED_GT, d - 1);
    check(&c, true, ICE_PRED_GT_EQ, x, ICE_PRED_GT, d);
    check(&c, true, ICE_PRED_EQ, x, ICE_PRED_FALSE, 0);
    check(&c, true, ICE_PRED_NOT_EQ, x, ICE_PRED_NOT_EQ, d);
    /* before 1970 the projections widen by one unit as Java's do */
    fl_value old = ival(FL_TYPE_TIMESTAMP, micros("1969-12-30T10:00:00"));
    check(&c, false, ICE_PRED_LT_EQ, old, ICE_PRED_LT_EQ, -1);
    check(&c, false, ICE_PRED_GT_EQ, old, ICE_PRED_GT_EQ, -2);
    ice_pred in = {ICE_PRED_EQ, 1, &old, 1}, out;
    fl_error err;
    CHECK_OK(ice_project_inclusive(&out, &in, &c.pf, c.source, a, &err), &err);
    CHECK_EQ(out.op, ICE_PRED_IN);
    CHECK_EQ(out.value_count, 2);
    CHECK_EQ(out.values[0].v.i64, -2);
    CHECK_EQ(out.values[1].v.i64, -1);
    check(&c, true, ICE_PRED_GT_EQ, old, ICE_PRED_GT, -1);
    check(&c, true, ICE_PRED_GT, ival(FL_TYPE_TIMESTAMP, micros("1970-01-01T10:00:00")), ICE_PRED_GT, 1);
    CHECK_OK(ice_project_strict(&out, &(ice_pred){ICE_PRED_NOT_EQ, 1, &old, 1}, &c.pf, c.source, a, &err), &err);
    CHECK_EQ(out.op, ICE_PRED_NOT_IN);
    CHECK_EQ(out.value_count, 2);
    fl_arena_free(a);
}

TEST(ice_projection_other_transforms)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    /* identity: unchanged, both ways */
    pcase id = make_case(ICE_TRANSFORM_IDENTITY, 0, ICE_TYPE_LONG, a);
    check(&id, false, ICE_PRED_LT, ival(FL_TYPE_INT64, 5), ICE_PRED_LT, 5);
    check(&id, true, ICE_PRED_NOT_EQ, ival(FL_TYPE_INT64, 5), ICE_PRED_NOT_EQ, 5);
    pcase idd = make_case(ICE_TRANSFORM_IDENTITY, 0, ICE_TYPE_DOUBLE, a);
    check(&idd, false, ICE_PRED_IS_NAN, ival(FL_TYPE_DOUBLE, 0), ICE_PRED_IS_NAN, 0);
    /* bucket */
    pcase b = make_case(ICE_TRANSFORM_BUCKET, 16, ICE_TYPE_INT, a);
    check(&b, false, ICE_PRED_EQ, ival(FL_TYPE_INT32, 34), ICE_PRED_EQ, 3);
    check(&b, false, ICE_PRED_LT, ival(FL_TYPE_INT32, 34), ICE_PRED_TRUE, 0);
    check(&b, false, ICE_PRED_NOT_EQ, ival(FL_TYPE_INT32, 34), ICE_PRED_TRUE, 0);
    check(&b, true, ICE_PRED_NOT_EQ, ival(FL_TYPE_INT32, 34), ICE_PRED_NOT_EQ, 3);
    check(&b, true, ICE_PRED_EQ, ival(FL_TYPE_INT32, 34), ICE_PRED_FALSE, 0);
    fl_value in_vals[2] = {ival(FL_TYPE_INT32, 34), ival(FL_TYPE_INT32, 35)};
    ice_pred in = {ICE_PRED_IN, 1, in_vals, 2}, out;
    CHECK_OK(ice_project_inclusive(&out, &in, &b.pf, b.source, a, &err), &err);
    CHECK_EQ(out.op, ICE_PRED_IN);
    CHECK_EQ(out.value_count, 2);
    /* truncate integers */
    pcase t = make_case(ICE_TRANSFORM_TRUNCATE, 10, ICE_TYPE_INT, a);
    check(&t, false, ICE_PRED_LT, ival(FL_TYPE_INT32, 100), ICE_PRED_LT_EQ, 90);
    check(&t, false, ICE_PRED_LT_EQ, ival(FL_TYPE_INT32, 100), ICE_PRED_LT_EQ, 100);
    check(&t, false, ICE_PRED_GT, ival(FL_TYPE_INT32, 99), ICE_PRED_GT_EQ, 100);
    check(&t, false, ICE_PRED_GT_EQ, ival(FL_TYPE_INT32, 99), ICE_PRED_GT_EQ, 90);
    check(&t, false, ICE_PRED_EQ, ival(FL_TYPE_INT32, -1), ICE_PRED_EQ, -10);
    check(&t, true, ICE_PRED_LT, ival(FL_TYPE_INT32, 100), ICE_PRED_LT, 100);
    check(&t, true, ICE_PRED_LT_EQ, ival(FL_TYPE_INT32, 99), ICE_PRED_LT, 100);
    check(&t, true, ICE_PRED_GT, ival(FL_TYPE_INT32, 100), ICE_PRED_GT, 100);
    check(&t, true, ICE_PRED_GT_EQ, ival(FL_TYPE_INT32, 100), ICE_PRED_GT, 90);
    check(&t, true, ICE_PRED_EQ, ival(FL_TYPE_INT32, 100), ICE_PRED_FALSE, 0);
    /* no value below INT32_MIN: keeps x <= v; the result wraps like Java's int math */
    check(&t, false, ICE_PRED_LT, ival(FL_TYPE_INT32, INT32_MIN), ICE_PRED_LT_EQ, 2147483646);
    /* truncate strings */
    pcase s = make_case(ICE_TRANSFORM_TRUNCATE, 3, ICE_TYPE_STRING, a);
    check_str(&s, false, ICE_PRED_LT, "iceberg", ICE_PRED_LT_EQ, "ice");
    check_str(&s, false, ICE_PRED_GT, "iceberg", ICE_PRED_GT_EQ, "ice");
    check_str(&s, false, ICE_PRED_EQ, "iceberg", ICE_PRED_EQ, "ice");
    check_str(&s, false, ICE_PRED_STARTS_WITH, "ic", ICE_PRED_STARTS_WITH, "ic");
    check_str(&s, false, ICE_PRED_STARTS_WITH, "iceberg", ICE_PRED_EQ, "ice");
    check_str(&s, false, ICE_PRED_NOT_STARTS_WITH, "ice", ICE_PRED_NOT_EQ, "ice");
    check_str(&s, false, ICE_PRED_NOT_STARTS_WITH, "iceberg", ICE_PRED_TRUE, NULL);
    check_str(&s, true, ICE_PRED_LT, "iceberg", ICE_PRED_LT, "ice");
    check_str(&s, true, ICE_PRED_STARTS_WITH, "ic", ICE_PRED_STARTS_WITH, "ic");
    check_str(&s, true, ICE_PRED_STARTS_WITH, "iceberg", ICE_PRED_FALSE, NULL);
    check_str(&s, true, ICE_PRED_EQ, "iceberg", ICE_PRED_FALSE, NULL);
    check_str(&s, true, ICE_PRED_NOT_EQ, "iceberg", ICE_PRED_NOT_EQ, "ice");
    /* year of date, month of timestamp */
    pcase y = make_case(ICE_TRANSFORM_YEAR, 0, ICE_TYPE_DATE, a);
    check(&y, false, ICE_PRED_GT_EQ, ival(FL_TYPE_DATE, 17486), ICE_PRED_GT_EQ, 47);
    check(&y, true, ICE_PRED_GT_EQ, ival(FL_TYPE_DATE, 17486), ICE_PRED_GT, 47);
    pcase m = make_case(ICE_TRANSFORM_MONTH, 0, ICE_TYPE_TIMESTAMPTZ, a);
    check(&m, false, ICE_PRED_LT, ival(FL_TYPE_TIMESTAMPTZ, micros("2017-12-01T00:00:00")), ICE_PRED_LT_EQ, 574);
    /* void and unknown */
    pcase v = make_case(ICE_TRANSFORM_VOID, 0, ICE_TYPE_INT, a);
    check(&v, false, ICE_PRED_EQ, ival(FL_TYPE_INT32, 1), ICE_PRED_TRUE, 0);
    check(&v, true, ICE_PRED_EQ, ival(FL_TYPE_INT32, 1), ICE_PRED_FALSE, 0);
    check(&v, false, ICE_PRED_IS_NULL, ival(FL_TYPE_INT32, 1), ICE_PRED_TRUE, 0);
    /* malformed predicates */
    ice_pred bad = {ICE_PRED_LT, 1, NULL, 0};
    CHECK_EQ(ice_project_inclusive(&out, &bad, &t.pf, t.source, a, &err), FLOE_EINVAL);
    fl_arena_free(a);
}

TEST(ice_sort_order_json)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    const char *text = "{\"order-id\":3,\"fields\":[{\"transform\":\"identity\",\"source-id\":2,"
                       "\"direction\":\"asc\",\"null-order\":\"nulls-first\"},{\"transform\":\"bucket[4]\","
                       "\"source-id\":3,\"direction\":\"desc\",\"null-order\":\"nulls-last\"}]}";
    json_t *j = json_loads(text, 0, NULL);
    ice_sort_order *o, *o2;
    if (CHECK_OK(ice_sort_order_from_json(&o, j, a, &err), &err)) {
        CHECK_EQ(o->order_id, 3);
        CHECK_EQ(o->field_count, 2);
        CHECK(o->fields[0].nulls_first && !o->fields[0].descending);
        CHECK(o->fields[1].descending && !o->fields[1].nulls_first);
        CHECK_EQ(o->fields[1].transform.kind, ICE_TRANSFORM_BUCKET);
        json_t *back = ice_sort_order_to_json(o);
        char *dump = json_dumps(back, JSON_COMPACT | JSON_SORT_KEYS);
        char *orig = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        CHECK_STR(dump, orig);
        if (CHECK_OK(ice_sort_order_from_json(&o2, back, a, &err), &err)) CHECK(ice_sort_order_equal(o, o2));
        free(dump);
        free(orig);
        json_decref(back);
    }
    json_decref(j);
    j = json_loads("{\"order-id\":1,\"fields\":[{\"transform\":\"identity\",\"source-id\":2,"
                   "\"direction\":\"up\",\"null-order\":\"nulls-first\"}]}", 0, NULL);
    CHECK_EQ(ice_sort_order_from_json(&o, j, a, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "\"up\"") != NULL);
    json_decref(j);
    fl_arena_free(a);
}
