/*
 * test_scan_expr.c: scan predicates (ice_expr): the filter parser and its
 * errors, NOT push-down, and the row, partition (through transforms) and
 * range (partition summaries / column metrics) evaluators.
 */
#include <string.h>

#include "../test.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/column.h"
#include "../../../src/iceberg/ice_expr.h"
#include "../../../src/iceberg/ice_json.h"

static const char *SCHEMA_JSON =
    "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
    "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamp\"},"
    "{\"id\":4,\"name\":\"Price\",\"required\":false,\"type\":\"decimal(9,2)\"},"
    "{\"id\":5,\"name\":\"score\",\"required\":false,\"type\":\"double\"},"
    "{\"id\":6,\"name\":\"d\",\"required\":false,\"type\":\"date\"}]}";

static const char *SPEC_JSON =
    "{\"spec-id\":0,\"fields\":["
    "{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":3,\"field-id\":1000},"
    "{\"name\":\"id_bucket\",\"transform\":\"bucket[4]\",\"source-id\":1,\"field-id\":1001}]}";

typedef struct env {
    fl_arena *arena;
    ice_schema *schema;
    ice_partition_spec *spec;
} env;

static bool env_init(env *e)
{
    fl_error err;
    e->arena = fl_arena_new(0);
    json_t *js = json_loads(SCHEMA_JSON, 0, NULL);
    json_t *jp = json_loads(SPEC_JSON, 0, NULL);
    bool ok = CHECK_OK(ice_schema_from_json(&e->schema, js, e->arena, &err), &err) &&
              CHECK_OK(ice_partition_spec_from_json(&e->spec, jp, e->arena, &err), &err);
    json_decref(js);
    json_decref(jp);
    return ok;
}

static const char *fmt(env *e, const ice_expr *x)
{
    fl_buf b;
    fl_buf_init(&b);
    ice_expr_format(&b, x);
    char *s = fl_arena_strdup(e->arena, fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    return s;
}

TEST(scan_expr_parse_and_format)
{
    env e;
    if (!env_init(&e)) return;
    fl_error err;
    const ice_expr *x;
    CHECK_OK(ice_expr_parse(&x, "ts >= '2024-01-01' and id in (1,2, 3)", e.schema, e.arena, &err), &err);
    CHECK_STR(fmt(&e, x), "(#3 >= 1704067200000000 and #1 in 1, 2, 3)");
    CHECK_OK(ice_expr_parse(&x, "NOT (name STARTS WITH 'ab''c') OR price between 1.5 and 2", e.schema, e.arena, &err), &err);
    CHECK_STR(fmt(&e, x), "(not #2 startsWith 'ab'c' or (#4 >= 1.50 and #4 <= 2.00))");
    CHECK_OK(ice_expr_parse(&x, "id not in (4) and name is not null and score is nan and d <> '2024-02-29'",
                            e.schema, e.arena, &err), &err);
    CHECK_STR(fmt(&e, x), "(((#1 notIn 4 and #2 notNull) and #5 isNaN) and #6 != 19782)");
    CHECK_OK(ice_expr_parse(&x, "\"Price\" = 3 or true", e.schema, e.arena, &err), &err);
    CHECK(x->kind == ICE_EXPR_TRUE);
    CHECK_OK(ice_expr_parse(&x, "id not between 1 and 5", e.schema, e.arena, &err), &err);
    CHECK_STR(fmt(&e, ice_expr_rewrite_not(e.arena, x)), "(#1 < 1 or #1 > 5)");
    fl_arena_free(e.arena);
}

TEST(scan_expr_parse_errors)
{
    env e;
    if (!env_init(&e)) return;
    fl_error err;
    const ice_expr *x;
    CHECK_EQ(ice_expr_parse(&x, "nope = 1", e.schema, e.arena, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "column \"nope\" at position 1 does not exist") != NULL);
    CHECK_EQ(ice_expr_parse(&x, "id =", e.schema, e.arena, &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "at end of input: expected a literal") != NULL);
    CHECK_EQ(ice_expr_parse(&x, "id = 'abc'", e.schema, e.arena, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "invalid literal \"abc\" at position 6 for column \"id\"") != NULL);
    CHECK_EQ(ice_expr_parse(&x, "(id = 1", e.schema, e.arena, &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "expected \")\"") != NULL);
    CHECK_EQ(ice_expr_parse(&x, "id = 1 id", e.schema, e.arena, &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "position 8") != NULL);
    CHECK_EQ(ice_expr_parse(&x, "name = 'x", e.schema, e.arena, &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "unterminated") != NULL);
    CHECK_EQ(ice_expr_parse(&x, "id starts with 'a'", e.schema, e.arena, &err), FLOE_ETYPE);
    CHECK_EQ(ice_expr_parse(&x, "id ; 1", e.schema, e.arena, &err), FLOE_ESYNTAX);
    CHECK_EQ(ice_expr_parse(&x, "   ", e.schema, e.arena, &err), FLOE_ESYNTAX);
    CHECK_EQ(ice_expr_parse(&x, "id is maybe", e.schema, e.arena, &err), FLOE_ESYNTAX);
    /* deep nesting is refused, not a stack overflow */
    char deep[1200];
    memset(deep, '(', 1000);
    memcpy(deep + 1000, "id = 1", 7);
    CHECK_EQ(ice_expr_parse(&x, deep, e.schema, e.arena, &err), FLOE_ELIMIT);
    fl_arena_free(e.arena);
}

TEST(scan_expr_rows)
{
    env e;
    if (!env_init(&e)) return;
    fl_error err;
    fl_column *id = fl_column_new(e.arena, fl_type_make(FL_TYPE_INT64), 5);
    fl_column *name = fl_column_new(e.arena, fl_type_make(FL_TYPE_STRING), 5);
    const char *names[] = {"apple", "banana", NULL, "cherry", "avocado"};
    for (int i = 0; i < 5; i++) {
        ((int64_t *)id->data)[i] = i + 1;
        if (names[i]) ((fl_strv *)name->data)[i] = fl_strv_cstr(names[i]);
        else fl_column_set_null(name, (size_t)i);
    }
    id->len = name->len = 5;
    fl_column *cols[] = {id, name};
    int32_t ids[] = {1, 2};
    struct { const char *filter; const char *want; } cases[] = {
        {"id > 2", "00111"},
        {"name starts with 'a'", "10001"},
        {"name != 'apple'", "01011"},          /* NULL is neither equal nor unequal */
        {"not (name = 'apple')", "01011"},
        {"name is null", "00100"},
        {"id in (1, 5) or name = 'cherry'", "10011"},
        {"id not in (1, 5)", "01110"},
        {"id between 2 and 3 and name is not null", "01000"},
        {"not (id < 3 or name starts with 'c')", "00001"},   /* NULL name: unknown, not selected */
    };
    for (size_t c = 0; c < FL_ARRAY_SIZE(cases); c++) {
        const ice_expr *x;
        uint8_t sel[5];
        char got[6] = {0};
        if (!CHECK_OK(ice_expr_parse(&x, cases[c].filter, e.schema, e.arena, &err), &err)) continue;
        CHECK_OK(ice_expr_eval_rows(sel, x, cols, ids, 2, 5, &err), &err);
        for (int i = 0; i < 5; i++) got[i] = sel[i] ? '1' : '0';
        if (!CHECK_STR(got, cases[c].want)) fprintf(stderr, "  filter %s\n", cases[c].filter);
    }
    const ice_expr *x;
    uint8_t sel[5];
    CHECK_OK(ice_expr_parse(&x, "score > 1", e.schema, e.arena, &err), &err);
    CHECK_EQ(ice_expr_eval_rows(sel, x, cols, ids, 2, 5, &err), FLOE_EINVAL);
    fl_arena_free(e.arena);
}

static const ice_expr *parse(env *e, const char *text)
{
    fl_error err;
    const ice_expr *x = NULL;
    CHECK_OK(ice_expr_parse(&x, text, e->schema, e->arena, &err), &err);
    return x ? ice_expr_rewrite_not(e->arena, x) : ice_expr_false();
}

TEST(scan_expr_partitions)
{
    env e;
    if (!env_init(&e)) return;
    fl_error err;
    /* day(2024-01-01) = 19723; bucket[4] of id */
    fl_value id7 = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = 7};
    int32_t hash;
    CHECK_OK(ice_hash_value(&hash, ice_type_primitive(ICE_TYPE_LONG), &id7, &err), &err);
    int32_t b7 = ice_bucket_of_hash(hash, 4);
    fl_value part[2];
    memset(part, 0, sizeof(part));
    part[0].type = fl_type_make(FL_TYPE_DATE);
    part[0].v.i64 = 19723;
    part[1].type = fl_type_make(FL_TYPE_INT32);
    part[1].v.i64 = b7;
    struct { const char *filter; bool want; } cases[] = {
        {"ts >= '2024-01-02'", false},
        {"ts >= '2024-01-01 23:59:59'", true},
        {"ts < '2024-01-01'", false},
        {"ts < '2024-01-01 00:00:01'", true},
        {"id = 7", true},
        {"id = 7 and ts > '2024-02-01'", false},
        {"id = 7 or ts > '2024-02-01'", true},
        {"id > 100", true},                       /* bucket cannot project ranges */
        {"ts is null", false},
        {"not (ts is null)", true},
        {"name = 'x'", true},                     /* not a partition source */
    };
    for (size_t c = 0; c < FL_ARRAY_SIZE(cases); c++) {
        bool got = !cases[c].want;
        CHECK_OK(ice_expr_eval_partition(&got, parse(&e, cases[c].filter), e.spec, e.schema, part, e.arena, &err), &err);
        if (!CHECK_EQ(got, cases[c].want)) fprintf(stderr, "  filter %s\n", cases[c].filter);
    }
    /* another bucket */
    part[1].v.i64 = (b7 + 1) % 4;
    bool got = true;
    CHECK_OK(ice_expr_eval_partition(&got, parse(&e, "id = 7"), e.spec, e.schema, part, e.arena, &err), &err);
    CHECK(!got);
    /* a null partition value */
    part[0].is_null = true;
    CHECK_OK(ice_expr_eval_partition(&got, parse(&e, "ts is null"), e.spec, e.schema, part, e.arena, &err), &err);
    CHECK(got);
    CHECK_OK(ice_expr_eval_partition(&got, parse(&e, "ts > '2000-01-01'"), e.spec, e.schema, part, e.arena, &err), &err);
    CHECK(!got);
    /* the projection onto partition fields */
    const ice_expr *p;
    CHECK_OK(ice_expr_project(&p, parse(&e, "ts >= '2024-01-02' and id = 7"), e.spec, e.schema, e.arena, &err), &err);
    char want[64];
    snprintf(want, sizeof(want), "(#1000 >= 19724 and #1001 = %d)", (int)b7);
    CHECK_STR(fmt(&e, p), want);
    fl_arena_free(e.arena);
}

typedef struct stats_fixture {
    ice_range_stats id, name;
} stats_fixture;

static int lookup(void *ctx, int32_t field_id, const ice_type *t, ice_range_stats *out, fl_error *err)
{
    (void)t;
    (void)err;
    stats_fixture *s = ctx;
    if (field_id == 1) *out = s->id;
    else if (field_id == 2) *out = s->name;
    return 0;
}

TEST(scan_expr_ranges)
{
    env e;
    if (!env_init(&e)) return;
    fl_error err;
    stats_fixture s;
    ice_range_stats_unknown(&s.id);
    ice_range_stats_unknown(&s.name);
    s.id.has_lower = s.id.has_upper = true;
    s.id.lower = (fl_value){.type = fl_type_make(FL_TYPE_INT32), .v.i64 = 10};   /* promoted int bounds */
    s.id.upper = (fl_value){.type = fl_type_make(FL_TYPE_INT32), .v.i64 = 20};
    s.id.may_have_null = false;
    s.name.has_lower = s.name.has_upper = true;
    s.name.lower = (fl_value){.type = fl_type_make(FL_TYPE_STRING), .v.s = fl_strv_cstr("apple")};
    s.name.upper = (fl_value){.type = fl_type_make(FL_TYPE_STRING), .v.s = fl_strv_cstr("banana")};
    struct { const char *filter; bool want; } cases[] = {
        {"id < 10", false}, {"id < 11", true}, {"id <= 9", false}, {"id <= 10", true},
        {"id > 20", false}, {"id >= 20", true}, {"id = 25", false}, {"id = 15", true},
        {"id in (1, 2, 30)", false}, {"id in (1, 15)", true}, {"id != 15", true},
        {"id is null", false}, {"id is not null", true},
        {"name starts with 'c'", false}, {"name starts with 'b'", true}, {"name starts with 'ap'", true},
        {"name starts with 'aa'", false}, {"name = 'cherry'", false}, {"name > 'banana'", false},
        {"name is null", true},                   /* unknown null count */
        {"id < 10 or name = 'avocado'", true}, {"id < 10 and name = 'avocado'", false},
        {"not (id >= 10)", false},
    };
    for (size_t c = 0; c < FL_ARRAY_SIZE(cases); c++) {
        bool got = !cases[c].want;
        CHECK_OK(ice_expr_eval_ranges(&got, parse(&e, cases[c].filter), lookup, &s, 100, &err), &err);
        if (!CHECK_EQ(got, cases[c].want)) fprintf(stderr, "  filter %s\n", cases[c].filter);
    }
    /* a column of nulls only */
    ice_range_stats_unknown(&s.name);
    s.name.all_null = true;
    bool got = true;
    CHECK_OK(ice_expr_eval_ranges(&got, parse(&e, "name = 'x'"), lookup, &s, 100, &err), &err);
    CHECK(!got);
    CHECK_OK(ice_expr_eval_ranges(&got, parse(&e, "name is not null"), lookup, &s, 100, &err), &err);
    CHECK(!got);
    CHECK_OK(ice_expr_eval_ranges(&got, parse(&e, "name is null"), lookup, &s, 100, &err), &err);
    CHECK(got);
    /* no rows at all */
    CHECK_OK(ice_expr_eval_ranges(&got, ice_expr_true(), lookup, &s, 0, &err), &err);
    CHECK(!got);
    fl_arena_free(e.arena);
}
