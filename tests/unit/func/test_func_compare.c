/*
 * test_func_compare.c: comparison operators over integers, doubles (NaN),
 * decimals of different scales and widths, strings, dates and timestamps.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_compare_numbers)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "<", "integer", "1|2|3|NULL", "integer", "=2"), "true|false|false|NULL");
    CHECK_STR(ft_call2(a, ">=", "bigint", "=2", "bigint", "1|2|3"), "true|true|false");
    CHECK_STR(ft_call2(a, "<>", "integer", "1|2", "bigint", "1|3"), "false|true");
    CHECK_STR(ft_call2(a, "=", "double", "nan|1", "double", "nan|1"), "false|true");
    CHECK_STR(ft_call2(a, "<>", "double", "nan", "double", "nan"), "true");
    CHECK_STR(ft_call2(a, "<", "double", "-inf|1", "double", "0|inf"), "true|true");
    CHECK_STR(ft_call2(a, "=", "integer", "5|6", "decimal(38,0)", "5|5"), "true|false");
    CHECK_STR(ft_call2(a, "<=", "real", "1.5", "integer", "2"), "true");
    fl_arena_free(a);
}

TEST(func_compare_decimals_of_different_scales)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "=", "decimal(5,2)", "1.50|1.50|-0.01", "decimal(6,3)", "1.500|1.501|-0.010"),
              "true|false|true");
    CHECK_STR(ft_call2(a, "<", "decimal(5,2)", "1.50|1.51", "decimal(6,3)", "1.501|1.501"), "true|false");
    CHECK_STR(ft_call2(a, ">", "decimal(38,0)", "99999999999999999999999999999999999999|-99999999999999999999999999999999999999",
                       "decimal(38,10)", "1.0|1.0"),
              "true|false");
    CHECK_STR(ft_call2(a, "=", "decimal(30,5)", "123456789012345678901.12345", "decimal(30,5)",
                       "123456789012345678901.12345"),
              "true");
    CHECK_STR(ft_call2(a, ">", "decimal(7,2)", "3.00", "decimal(7,2)", "=2.99"), "true");
    fl_arena_free(a);
}

TEST(func_compare_strings_dates_booleans)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "<", "varchar", "abc|ab|b|", "varchar", "abd|abc|abc|a"),
              "true|true|false|true");
    CHECK_STR(ft_call2(a, "=", "varchar", "x||é", "varchar", "x||é"), "true|true|true");
    CHECK_STR(ft_call2(a, ">", "varchar", "é", "varchar", "z"), "true");
    CHECK_STR(ft_call2(a, "<", "date", "2024-01-01|2024-03-01", "date", "=2024-02-29"), "true|false");
    CHECK_STR(ft_call2(a, "=", "date", "2024-01-01|2024-01-01", "timestamp",
                       "2024-01-01 00:00:00|2024-01-01 00:00:01"),
              "true|false");
    CHECK_STR(ft_call2(a, "<", "boolean", "false|true", "boolean", "true|true"), "true|false");
    fl_arena_free(a);
}
