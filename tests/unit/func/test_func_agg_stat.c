/*
 * test_func_agg_stat.c: stddev/variance (single pass equals combined
 * partial states), bool_and/bool_or, and approx_distinct's error on 100k
 * distinct values and its exact merge.
 */
#include <math.h>

#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_agg_variance)
{
    fl_arena *a = fl_arena_new(0);
    for (int split = 0; split < 2; split++) {
        CHECK_STR(ft_agg(a, "var_samp", "double", "1|2|3|4|NULL", NULL, split), "double:1.6666666666666667");
        CHECK_STR(ft_agg(a, "variance", "double", "1|2|3|4", NULL, split), "double:1.6666666666666667");
        CHECK_STR(ft_agg(a, "var_pop", "double", "1|2|3|4", NULL, split), "double:1.25");
        CHECK_STR(ft_agg(a, "stddev_pop", "double", "1|2|3|4", NULL, split), "double:1.118033988749895");
        CHECK_STR(ft_agg(a, "stddev", "integer", "1|2|3|4", NULL, split), "double:1.2909944487358056");
        CHECK_STR(ft_agg(a, "stddev_samp", "decimal(5,2)", "2.00|4.00", NULL, split), "double:1.4142135623730951");
        CHECK_STR(ft_agg(a, "var_samp", "double", "5|NULL", NULL, split), "double:NULL");
        CHECK_STR(ft_agg(a, "var_pop", "double", "5|NULL", NULL, split), "double:0.0");
        CHECK_STR(ft_agg(a, "var_pop", "double", "NULL|NULL", NULL, split), "double:NULL");
    }
    CHECK_STR(ft_agg(a, "var_samp", "bigint", "1|2|10|20", "0101", true), "double:40.5|162.0");
    fl_arena_free(a);
}

TEST(func_agg_bool)
{
    fl_arena *a = fl_arena_new(0);
    for (int split = 0; split < 2; split++) {
        CHECK_STR(ft_agg(a, "bool_and", "boolean", "true|NULL|true|false", NULL, split), "boolean:false");
        CHECK_STR(ft_agg(a, "bool_and", "boolean", "true|NULL|true|true", NULL, split), "boolean:true");
        CHECK_STR(ft_agg(a, "every", "boolean", "true|true", NULL, split), "boolean:true");
        CHECK_STR(ft_agg(a, "bool_or", "boolean", "false|NULL|false|true", NULL, split), "boolean:true");
        CHECK_STR(ft_agg(a, "bool_or", "boolean", "NULL|NULL", NULL, split), "boolean:NULL");
    }
    fl_arena_free(a);
}

/* approx_distinct over `rows` values v(i) in chunks of 2048, alternating
 * between two partial states that are combined at the end. */
static int64_t hll_run(fl_arena *a, fl_type t, size_t rows, int64_t (*v)(size_t), bool split)
{
    fl_error err;
    const fn_agg_def *fn;
    CHECK_OK(fn_agg_bind(&fn, "approx_distinct", &t, 1, a, &err), &err);
    void *st[2] = {fl_arena_alloc(a, fn->state_size), fl_arena_alloc(a, fn->state_size)};
    fn->init(fn, st[0]);
    fn->init(fn, st[1]);
    fl_column *col = fl_column_new(a, t, 2048);
    void *states[2048];
    for (size_t start = 0, chunk = 0; start < rows; start += 2048, chunk++) {
        size_t n = rows - start < 2048 ? rows - start : 2048;
        col->len = n;
        for (size_t i = 0; i < n; i++) {
            int64_t x = v(start + i);
            if (t.id == FL_TYPE_STRING) {
                char buf[32];
                int len = snprintf(buf, sizeof buf, "key-%lld", (long long)x);
                ((fl_strv *)col->data)[i] = fl_strv_make(fl_arena_memdup(a, buf, (size_t)len), (size_t)len);
            } else {
                ((int64_t *)col->data)[i] = x;
            }
            states[i] = st[split ? chunk % 2 : 0];
        }
        ex_vector vec = {.kind = EX_VECTOR_FLAT, .col = col};
        CHECK_OK(fn->update(fn, states, &vec, n, a, &err), &err);
    }
    CHECK_OK(fn->combine(fn, st[0], st[1], a, &err), &err);
    fl_column *out = fl_column_new(a, fn->ret, 1);
    out->len = 1;
    CHECK_OK(fn->finalize(fn, st, 1, out, a, &err), &err);
    return ((int64_t *)out->data)[0];
}

static int64_t ident(size_t i) { return (int64_t)i * 7919 - 350000; }
static int64_t mod1000(size_t i) { return (int64_t)(i % 1000); }
static int64_t mod10(size_t i) { return (int64_t)(i % 10); }

TEST(func_agg_approx_distinct)
{
    fl_arena *a = fl_arena_new(0);
    fl_type bigint = fl_type_make(FL_TYPE_INT64), str = fl_type_make(FL_TYPE_STRING);
    int64_t e1 = hll_run(a, bigint, 100000, ident, false);
    int64_t e2 = hll_run(a, bigint, 100000, ident, true);
    CHECK_EQ(e1, e2);   /* register-wise max merges exactly */
    /* within 3 standard errors (3 * 2.3%) */
    CHECK(fabs((double)e1 - 100000) / 100000 < 0.069);
    int64_t es = hll_run(a, str, 100000, ident, true);
    CHECK(fabs((double)es - 100000) / 100000 < 0.069);
    int64_t ed = hll_run(a, bigint, 100000, mod1000, true);
    CHECK(fabs((double)ed - 1000) / 1000 < 0.069);
    CHECK_EQ(hll_run(a, bigint, 5000, mod10, false), 10);
    CHECK_STR(ft_agg(a, "approx_distinct", "varchar", "a|b|a|NULL|c", NULL, true), "bigint:3");
    CHECK_STR(ft_agg(a, "approx_distinct", "integer", "NULL|NULL", NULL, false), "bigint:0");
    fl_arena_free(a);
}
