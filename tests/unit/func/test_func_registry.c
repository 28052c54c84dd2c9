/*
 * test_func_registry.c: type names, implicit coercions, common supertypes
 * and overload resolution (the overload Trino would pick, and the error for
 * a call that matches nothing).
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

static fl_type ty(const char *name)
{
    fl_type t;
    fl_error err;
    if (strcmp(name, "unknown") == 0) return fl_type_make(FL_TYPE_NULL);
    CHECK_OK(fl_type_parse(&t, name, strlen(name), &err), &err);
    return t;
}

static const char *tname(fl_type t)
{
    static char buf[64];
    fn_type_sql_name(t, buf, sizeof buf);
    return buf;
}

TEST(func_type_sql_names)
{
    CHECK_STR(tname(ty("int")), "integer");
    CHECK_STR(tname(ty("bigint")), "bigint");
    CHECK_STR(tname(ty("decimal(7,2)")), "decimal(7,2)");
    CHECK_STR(tname(ty("varchar")), "varchar");
    CHECK_STR(tname(ty("double")), "double");
    CHECK_STR(tname(ty("real")), "real");
    CHECK_STR(tname(ty("timestamptz")), "timestamp with time zone");
    CHECK_STR(tname(fl_type_make(FL_TYPE_NULL)), "unknown");
}

TEST(func_can_coerce_follows_trino)
{
    CHECK(fn_can_coerce(ty("tinyint"), ty("integer")));
    CHECK(fn_can_coerce(ty("integer"), ty("bigint")));
    CHECK(!fn_can_coerce(ty("bigint"), ty("integer")));
    CHECK(fn_can_coerce(ty("integer"), ty("decimal(10,0)")));
    CHECK(fn_can_coerce(ty("integer"), ty("decimal(12,2)")));
    CHECK(!fn_can_coerce(ty("integer"), ty("decimal(9,0)")));
    CHECK(fn_can_coerce(ty("bigint"), ty("double")));
    CHECK(fn_can_coerce(ty("decimal(5,2)"), ty("decimal(7,3)")));
    CHECK(!fn_can_coerce(ty("decimal(5,2)"), ty("decimal(5,3)")));
    CHECK(fn_can_coerce(ty("decimal(5,2)"), ty("double")));
    CHECK(!fn_can_coerce(ty("double"), ty("decimal(38,10)")));
    CHECK(fn_can_coerce(ty("real"), ty("double")));
    CHECK(!fn_can_coerce(ty("double"), ty("real")));
    CHECK(fn_can_coerce(ty("date"), ty("timestamp")));
    CHECK(!fn_can_coerce(ty("timestamp"), ty("date")));
    CHECK(fn_can_coerce(ty("unknown"), ty("varchar")));
    CHECK(!fn_can_coerce(ty("varchar"), ty("integer")));
    CHECK(!fn_can_coerce(ty("integer"), ty("varchar")));
}

static const char *common(const char *a, const char *b)
{
    static char buf[700];
    fl_type out;
    fl_error err;
    memset(&err, 0, sizeof err);
    if (fn_common_type(ty(a), ty(b), &out, &err) < 0)
        snprintf(buf, sizeof buf, "ERR %s: %s", err.sqlstate, err.message);
    else
        fn_type_sql_name(out, buf, sizeof buf);
    return buf;
}

TEST(func_common_type)
{
    CHECK_STR(common("integer", "bigint"), "bigint");
    CHECK_STR(common("integer", "decimal(5,2)"), "decimal(12,2)");
    CHECK_STR(common("decimal(5,2)", "decimal(10,4)"), "decimal(10,4)");
    CHECK_STR(common("decimal(38,0)", "decimal(10,4)"), "decimal(38,4)");
    CHECK_STR(common("decimal(5,2)", "double"), "double");
    CHECK_STR(common("real", "bigint"), "real");
    CHECK_STR(common("date", "timestamp"), "timestamp");
    CHECK_STR(common("unknown", "varchar"), "varchar");
    CHECK_STR(common("varchar", "varchar"), "varchar");
    CHECK_STR(common("varchar", "integer"), "ERR 42804: types varchar and integer cannot be matched");
    CHECK_STR(common("date", "boolean"), "ERR 42804: types date and boolean cannot be matched");
}

static const char *resolve(fl_arena *a, const char *name, const char *t1, const char *t2)
{
    fl_type args[2] = {ty(t1), t2 ? ty(t2) : ty("integer")};
    const fn_scalar_bound *fn;
    fl_error err;
    memset(&err, 0, sizeof err);
    if (fn_scalar_bind(&fn, name, args, t2 ? 2 : 1, a, &err) < 0) return ft_err_text(a, &err);
    char r[64], p0[64], p1[64] = "";
    fn_type_sql_name(fn->ret, r, sizeof r);
    fn_type_sql_name(fn->arg_types[0], p0, sizeof p0);
    if (t2) fn_type_sql_name(fn->arg_types[1], p1, sizeof p1);
    char buf[256];
    snprintf(buf, sizeof buf, "%s(%s%s%s) -> %s", fn->name, p0, t2 ? ", " : "", p1, r);
    return fl_arena_strdup(a, buf);
}

TEST(func_resolution_picks_the_most_specific_overload)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(resolve(a, "+", "integer", "integer"), "+(integer, integer) -> integer");
    CHECK_STR(resolve(a, "+", "integer", "bigint"), "+(bigint, bigint) -> bigint");
    CHECK_STR(resolve(a, "+", "tinyint", "tinyint"), "+(tinyint, tinyint) -> tinyint");
    CHECK_STR(resolve(a, "+", "smallint", "integer"), "+(integer, integer) -> integer");
    CHECK_STR(resolve(a, "+", "integer", "decimal(5,2)"),
              "+(decimal(10,0), decimal(5,2)) -> decimal(13,2)");
    CHECK_STR(resolve(a, "+", "bigint", "double"), "+(double, double) -> double");
    CHECK_STR(resolve(a, "*", "real", "integer"), "*(real, real) -> real");
    CHECK_STR(resolve(a, "/", "decimal(5,2)", "double"), "/(double, double) -> double");
    CHECK_STR(resolve(a, "=", "date", "timestamp"), "=(timestamp, timestamp) -> boolean");
    CHECK_STR(resolve(a, "<", "decimal(5,2)", "decimal(7,4)"),
              "<(decimal(5,2), decimal(7,4)) -> boolean");
    CHECK_STR(resolve(a, "=", "unknown", "varchar"), "=(varchar, varchar) -> boolean");
    CHECK_STR(resolve(a, "neg", "bigint", NULL), "neg(bigint) -> bigint");
    CHECK_STR(resolve(a, "+", "date", "integer"), "+(date, integer) -> date");
    /* names are case-insensitive */
    CHECK(fn_scalar_exists("+"));
    CHECK(!fn_scalar_exists("no_such_function"));
    fl_arena_free(a);
}

TEST(func_resolution_rejects_bad_calls)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(resolve(a, "+", "varchar", "integer"),
              "ERR 42883: function +(varchar, integer) does not exist");
    CHECK_STR(resolve(a, "nosuch", "integer", NULL),
              "ERR 42883: function nosuch(integer) does not exist");
    CHECK_STR(resolve(a, "=", "date", "integer"),
              "ERR 42883: function =(date, integer) does not exist");
    fl_type none[1];
    const fn_agg_def *agg;
    fl_error err;
    none[0] = ty("varchar");
    CHECK(fn_agg_bind(&agg, "sum", none, 1, a, &err) == FLOE_ENOTFOUND);
    CHECK_STR(err.message, "function sum(varchar) does not exist");
    CHECK_STR(err.sqlstate, "42883");
    fl_arena_free(a);
}

TEST(func_window_defs)
{
    fl_arena *a = fl_arena_new(0);
    const fn_window_def *w;
    fl_error err;
    CHECK_OK(fn_window_bind(&w, "row_number", NULL, 0, a, &err), &err);
    CHECK_EQ(w->kind, FN_WIN_ROW_NUMBER);
    CHECK_EQ(w->ret.id, FL_TYPE_INT64);
    fl_type lag_args[3] = {ty("decimal(7,2)"), ty("integer"), ty("integer")};
    CHECK_OK(fn_window_bind(&w, "lag", lag_args, 3, a, &err), &err);
    CHECK_EQ(w->kind, FN_WIN_LAG);
    CHECK_STR(tname(w->ret), "decimal(12,2)");
    CHECK_STR(tname(w->arg_types[1]), "bigint");
    CHECK_STR(tname(w->arg_types[2]), "decimal(12,2)");
    CHECK_OK(fn_window_bind(&w, "percent_rank", NULL, 0, a, &err), &err);
    CHECK_EQ(w->ret.id, FL_TYPE_DOUBLE);
    fl_type s = ty("varchar");
    CHECK(fn_window_bind(&w, "ntile", &s, 1, a, &err) == FLOE_ENOTFOUND);
    CHECK(fn_window_exists("dense_rank"));
    CHECK(!fn_window_exists("sum"));
    fl_arena_free(a);
}
