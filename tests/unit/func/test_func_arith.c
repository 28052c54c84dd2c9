/*
 * test_func_arith.c: arithmetic operators: results with NULLs and constant
 * arguments, overflow and division by zero (and none on NULL rows), and
 * Trino's decimal result types and rounding.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_arith_integers)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "+", "integer", "1|2|NULL", "integer", "3|4|5"), "4|6|NULL");
    CHECK_STR(ft_call2(a, "-", "bigint", "10|-3", "bigint", "=4"), "6|-7");
    CHECK_STR(ft_call2(a, "*", "smallint", "=3", "smallint", "4|NULL|-5"), "12|NULL|-15");
    CHECK_STR(ft_call2(a, "/", "integer", "7|-7|6", "integer", "2|2|-4"), "3|-3|-1");
    CHECK_STR(ft_call2(a, "%", "integer", "7|-7|5", "integer", "3|3|-1"), "1|-1|0");
    CHECK_STR(ft_call2(a, "+", "integer", "1", "bigint", "9223372036854775806"),
              "9223372036854775807");
    CHECK_STR(ft_call1(a, "neg", "integer", "5|NULL|-7"), "-5|NULL|7");
    fl_arena_free(a);
}

TEST(func_arith_integer_errors)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "+", "integer", "1|2147483647", "integer", "1|1"),
              "ERR 22003: integer addition overflow: 2147483647 + 1");
    CHECK_STR(ft_call2(a, "*", "bigint", "4611686018427387904", "bigint", "2"),
              "ERR 22003: bigint multiplication overflow: 4611686018427387904 * 2");
    CHECK_STR(ft_call2(a, "-", "tinyint", "-128", "tinyint", "1"),
              "ERR 22003: tinyint subtraction overflow: -128 - 1");
    CHECK_STR(ft_call2(a, "-", "bigint", "0|-9223372036854775808", "bigint", "=1"),
              "ERR 22003: bigint subtraction overflow: -9223372036854775808 - 1");
    CHECK_STR(ft_call2(a, "+", "bigint", "9223372036854775807|-5", "bigint", "-1|-9223372036854775803"),
              "9223372036854775806|-9223372036854775808");
    CHECK_STR(ft_call2(a, "/", "integer", "1|2", "integer", "1|0"), "ERR 22012: division by zero");
    CHECK_STR(ft_call2(a, "%", "bigint", "5", "bigint", "0"), "ERR 22012: division by zero");
    CHECK_STR(ft_call2(a, "/", "integer", "-2147483648", "integer", "-1"),
              "ERR 22003: integer division overflow: -2147483648 / -1");
    CHECK_STR(ft_call1(a, "neg", "bigint", "-9223372036854775808"),
              "ERR 22003: bigint negation overflow: -(-9223372036854775808)");
    /* a zero divisor on a NULL row is no error */
    CHECK_STR(ft_call2(a, "/", "integer", "NULL|8", "integer", "0|2"), "NULL|4");
    CHECK_STR(ft_call2(a, "/", "integer", "8|8", "integer", "NULL|0"), "ERR 22012: division by zero");

    /* an overflow hidden under a NULL row's garbage is no error either */
    ex_vector args[2] = {ft_vec(a, "integer", "2147483647|1"), ft_vec(a, "integer", "5|2")};
    fl_column_set_null(args[1].col, 0);
    ((int32_t *)args[1].col->data)[0] = 5;
    CHECK_STR(ft_call_ex(a, "+", args, 2, false), "NULL|3");
    fl_arena_free(a);
}

TEST(func_arith_floating_point)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "+", "double", "1.5|NULL", "double", "2.25|1"), "3.75|NULL");
    CHECK_STR(ft_call2(a, "/", "double", "1|-1|0", "double", "0|0|0"), "inf|-inf|nan");
    CHECK_STR(ft_call2(a, "%", "double", "7.5", "double", "2"), "1.5");
    CHECK_STR(ft_typed2(a, "*", "real", "1.5", "integer", "2"), "real:3.0");
    CHECK_STR(ft_typed2(a, "+", "bigint", "1", "double", "0.5"), "double:1.5");
    fl_arena_free(a);
}

TEST(func_arith_decimal_types_and_values)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_typed2(a, "+", "decimal(7,2)", "1.25|NULL|-3.50", "decimal(10,4)", "0.0001|1|2"),
              "decimal(11,4):1.2501|NULL|-1.5000");
    CHECK_STR(ft_typed2(a, "-", "decimal(5,2)", "1.00", "decimal(5,2)", "=2.50"),
              "decimal(6,2):-1.50");
    CHECK_STR(ft_typed2(a, "*", "decimal(5,2)", "1.50|-2.01", "decimal(4,3)", "2.000|1.005"),
              "decimal(9,5):3.00000|-2.02005");
    /* division (Spark/Hive rule): s = max(6, s1 + p2 + 1), p = p1 - s1 + s2 + s, capped at 38; half up */
    CHECK_STR(ft_typed2(a, "/", "decimal(5,2)", "1.00|2.00|-2.00", "decimal(4,3)", "3.000|3.000|3.000"),
              "decimal(13,7):0.3333333|0.6666667|-0.6666667");
    CHECK_STR(ft_typed2(a, "/", "integer", "1", "decimal(3,1)", "3.0"), "decimal(17,6):0.333333");
    CHECK_STR(ft_typed2(a, "/", "decimal(5,2)", "1.00", "decimal(5,2)", "0.00"),
              "ERR 22012: division by zero");
    /* a zero divisor on a NULL row falls back from the int64 path without error */
    CHECK_STR(ft_typed2(a, "/", "decimal(5,2)", "NULL|1.00|-1.00", "decimal(5,2)", "0.00|4.00|8.00"),
              "decimal(13,8):NULL|0.25000000|-0.12500000");
    CHECK_STR(ft_typed2(a, "/", "decimal(18,0)", "999999999999999999", "decimal(18,9)", "0.000000001"),
              "decimal(38,11):999999999999999999000000000.00000000000");
    CHECK_STR(ft_typed2(a, "%", "decimal(3,1)", "10.5|-10.5", "integer", "3|3"),
              "decimal(3,1):1.5|-1.5");
    CHECK_STR(ft_typed2(a, "+", "integer", "7", "decimal(5,2)", "0.25"), "decimal(13,2):7.25");
    CHECK_STR(ft_call1(a, "neg", "decimal(5,2)", "1.50|NULL"), "-1.50|NULL");
    fl_arena_free(a);
}

TEST(func_arith_wide_decimals)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_typed2(a, "*", "decimal(20,2)", "123456789012345678.90", "decimal(20,2)", "2.00"),
              "decimal(38,4):246913578024691357.8000");
    CHECK_STR(ft_typed2(a, "+", "decimal(38,0)", "99999999999999999999999999999999999999",
                        "decimal(38,0)", "1"),
              "ERR 22003: decimal addition overflow: result does not fit decimal(38,0)");
    /* the scaled dividend needs more than 128 bits */
    CHECK_STR(ft_typed2(a, "/", "decimal(38,10)", "1234567890123456789012345678.9012345678",
                        "decimal(38,10)", "2.0000000000"),
              "decimal(38,6):617283945061728394506172839.450617");
    CHECK_STR(ft_typed2(a, "/", "decimal(38,10)", "1234567890123456789012345678.9012345678",
                        "decimal(38,10)", "3.0000000000"),
              "decimal(38,6):411522630041152263004115226.300412");
    CHECK_STR(ft_typed2(a, "-", "decimal(20,0)", "-1", "decimal(18,18)", "0.5"),
              "decimal(38,18):-1.500000000000000000");
    CHECK_STR(ft_call1(a, "neg", "decimal(30,2)", "-123456789012345678901234567.89"),
              "123456789012345678901234567.89");
    fl_arena_free(a);
}

TEST(func_arith_dates)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "+", "date", "2024-02-28|2023-12-31", "integer", "=1"), "2024-02-29|2024-01-01");
    CHECK_STR(ft_call2(a, "-", "date", "2024-03-01", "integer", "1"), "2024-02-29");
    CHECK_STR(ft_call2(a, "+", "integer", "30", "date", "2024-01-31"), "2024-03-01");
    CHECK_STR(ft_typed2(a, "-", "date", "2024-03-01", "date", "2024-01-01"), "bigint:60");
    fl_arena_free(a);
}
