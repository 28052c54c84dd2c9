/*
 * test_func_cond.c: coalesce, nullif, if, greatest and least: NULL rules,
 * common-type results, strings and decimals.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_cond_coalesce_if_nullif)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "coalesce", "integer", "NULL|2|NULL", "integer", "5|6|NULL"), "5|2|NULL");
    ex_vector args[3] = {ft_vec(a, "integer", "NULL|NULL"), ft_vec(a, "bigint", "NULL|7"),
                         ft_vec(a, "bigint", "=9")};
    CHECK_STR(ft_call_ex(a, "coalesce", args, 3, true), "bigint:9|7");
    CHECK_STR(ft_call2(a, "coalesce", "varchar", "NULL|a", "varchar", "=zz"), "zz|a");
    CHECK_STR(ft_typed2(a, "coalesce", "decimal(5,2)", "NULL|1.50", "integer", "3|4"),
              "decimal(12,2):3.00|1.50");
    CHECK_STR(ft_call2(a, "nullif", "integer", "1|2|NULL|4", "integer", "1|3|1|NULL"), "NULL|2|NULL|4");
    CHECK_STR(ft_call2(a, "nullif", "varchar", "a|b", "varchar", "=a"), "NULL|b");
    CHECK_STR(ft_call2(a, "nullif", "double", "0.5|1", "double", "0.5|2"), "NULL|1.0");
    CHECK_STR(ft_call3(a, "if", "boolean", "true|false|NULL", "integer", "1|2|3", "integer", "10|20|30"),
              "1|20|30");
    CHECK_STR(ft_call2(a, "if", "boolean", "true|false", "varchar", "a|b"), "a|NULL");
    CHECK_STR(ft_call3(a, "if", "boolean", "true|true", "integer", "NULL|1", "integer", "5|5"), "NULL|1");
    fl_arena_free(a);
}

TEST(func_cond_greatest_least)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "greatest", "integer", "1|5|NULL", "integer", "3|2|1"), "3|5|NULL");
    CHECK_STR(ft_call2(a, "least", "integer", "1|5|NULL", "integer", "3|2|1"), "1|2|NULL");
    CHECK_STR(ft_call3(a, "greatest", "varchar", "pear|a", "varchar", "apple|b", "varchar", "=zoo"), "zoo|zoo");
    CHECK_STR(ft_call2(a, "least", "varchar", "pear|a", "varchar", "apple|b"), "apple|a");
    CHECK_STR(ft_typed2(a, "greatest", "decimal(5,2)", "1.50|-1.00", "integer", "1|-2"),
              "decimal(12,2):1.50|-1.00");
    CHECK_STR(ft_call2(a, "least", "date", "2024-01-01", "date", "2023-12-31"), "2023-12-31");
    CHECK_STR(ft_call2(a, "greatest", "double", "1.5", "bigint", "2"), "2.0");
    CHECK_STR(ft_call2(a, "greatest", "integer", "1", "varchar", "a"),
              "ERR 42883: function greatest(integer, varchar) does not exist");
    fl_arena_free(a);
}
