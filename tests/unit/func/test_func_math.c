/*
 * test_func_math.c: round (double, integer, decimal with Trino's result
 * types), abs with overflow, ceil/floor, sign, the double functions,
 * mod as an alias and random.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_math_round)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call1(a, "round", "double", "2.5|-2.5|0.4|NULL"), "3.0|-3.0|0.0|NULL");
    CHECK_STR(ft_call2(a, "round", "double", "1.2345|1.235|-1.235|123.4", "integer", "2|2|2|-1"),
              "1.23|1.24|-1.24|120.0");
    ex_vector d0[1] = {ft_vec(a, "decimal(5,2)", "2.50|-2.50|2.49")};
    CHECK_STR(ft_call_ex(a, "round", d0, 1, true), "decimal(4,0):3|-3|2");
    CHECK_STR(ft_typed2(a, "round", "decimal(5,3)", "1.235|-1.235|1.234", "integer", "2|2|2"),
              "decimal(6,3):1.240|-1.240|1.230");
    CHECK_STR(ft_typed2(a, "round", "decimal(5,1)", "1234.5", "integer", "-2"), "decimal(6,1):1200.0");
    CHECK_STR(ft_typed2(a, "round", "integer", "125|-125|124|7", "integer", "-1|-1|-1|0"),
              "integer:130|-130|120|7");
    CHECK_STR(ft_call2(a, "round", "tinyint", "125", "integer", "-1"),
              "ERR 22003: tinyint overflow: round(125, -1)");
    fl_arena_free(a);
}

TEST(func_math_abs_ceil_floor_sign)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call1(a, "abs", "integer", "-5|5|NULL"), "5|5|NULL");
    CHECK_STR(ft_call1(a, "abs", "bigint", "-9223372036854775808"),
              "ERR 22003: bigint overflow: abs(-9223372036854775808)");
    CHECK_STR(ft_call1(a, "abs", "decimal(5,2)", "-1.50"), "1.50");
    CHECK_STR(ft_call1(a, "abs", "double", "-0.5"), "0.5");
    ex_vector c[1] = {ft_vec(a, "decimal(5,2)", "1.01|-1.01|2.00")};
    CHECK_STR(ft_call_ex(a, "ceil", c, 1, true), "decimal(4,0):2|-1|2");
    CHECK_STR(ft_call_ex(a, "floor", c, 1, true), "decimal(4,0):1|-2|2");
    CHECK_STR(ft_call_ex(a, "ceiling", c, 1, true), "decimal(4,0):2|-1|2");
    CHECK_STR(ft_call1(a, "ceil", "double", "1.1|-1.1"), "2.0|-1.0");
    CHECK_STR(ft_call1(a, "floor", "double", "1.9|-1.1"), "1.0|-2.0");
    CHECK_STR(ft_call1(a, "sign", "integer", "-3|0|9"), "-1|0|1");
    ex_vector s[1] = {ft_vec(a, "decimal(7,2)", "-3.50|0.00")};
    CHECK_STR(ft_call_ex(a, "sign", s, 1, true), "decimal(1,0):-1|0");
    CHECK_STR(ft_call1(a, "truncate", "double", "-1.7|1.7"), "-1.0|1.0");
    fl_arena_free(a);
}

TEST(func_math_double_functions)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call1(a, "sqrt", "double", "4|-1"), "2.0|nan");
    CHECK_STR(ft_call1(a, "sqrt", "integer", "9"), "3.0");
    CHECK_STR(ft_call1(a, "ln", "double", "1|0"), "0.0|-inf");
    CHECK_STR(ft_call1(a, "log10", "double", "1000"), "3.0");
    CHECK_STR(ft_call1(a, "exp", "double", "0"), "1.0");
    CHECK_STR(ft_call2(a, "power", "integer", "2", "integer", "10"), "1024.0");
    CHECK_STR(ft_call2(a, "pow", "double", "4", "double", "0.5"), "2.0");
    CHECK_STR(ft_call2(a, "mod", "integer", "7|-7", "integer", "3|3"), "1|-1");
    fl_error err;
    const fn_scalar_bound *fn;
    CHECK_OK(fn_scalar_bind(&fn, "random", NULL, 0, a, &err), &err);
    CHECK(fn->is_volatile);
    fl_column *out = fl_column_new(a, fn->ret, 100);
    out->len = 100;
    fn_exec_ctx ctx = {fn, NULL, a, a};
    CHECK_OK(fn->init(&ctx, NULL, 0, &err), &err);
    CHECK_OK(fn->exec(&ctx, NULL, 0, 100, out, &err), &err);
    const double *r = out->data;
    bool in_range = true, varied = false;
    for (int i = 0; i < 100; i++) {
        in_range &= r[i] >= 0 && r[i] < 1;
        varied |= r[i] != r[0];
    }
    CHECK(in_range);
    CHECK(varied);
    fl_arena_free(a);
}
