/*
 * test_func_agg.c: count, sum, avg, min, max, arbitrary: result types,
 * NULL handling, overflow, grouped updates, and combine of two partial
 * states giving the single-pass answer.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_agg_count_sum_avg)
{
    fl_arena *a = fl_arena_new(0);
    for (int split = 0; split < 2; split++) {
        CHECK_STR(ft_agg(a, "count", "integer", "1|NULL|3|NULL", NULL, split), "bigint:2");
        CHECK_STR(ft_agg(a, "count_star", NULL, NULL, "0000", split), "bigint:4");
        CHECK_STR(ft_agg(a, "sum", "integer", "1|2|NULL|4", NULL, split), "bigint:7");
        CHECK_STR(ft_agg(a, "sum", "integer", "NULL|NULL", NULL, split), "bigint:NULL");
        CHECK_STR(ft_agg(a, "sum", "decimal(5,2)", "1.25|2.50|NULL", NULL, split), "decimal(38,2):3.75");
        CHECK_STR(ft_agg(a, "sum", "double", "0.5|0.25", NULL, split), "double:0.75");
        CHECK_STR(ft_agg(a, "avg", "integer", "1|2|NULL", NULL, split), "double:1.5");
        CHECK_STR(ft_agg(a, "avg", "bigint", "9223372036854775807|9223372036854775807", NULL, split),
                  "double:9.223372036854776e+18");
        CHECK_STR(ft_agg(a, "avg", "decimal(5,2)", "1.00|2.00|2.00", NULL, split), "double:1.6666666666666667");
        CHECK_STR(ft_agg(a, "avg", "decimal(5,2)", "-1.00|-2.50|NULL", NULL, split), "double:-1.75");
        CHECK_STR(ft_agg(a, "avg", "decimal(38,10)",
                         "12345678901234567890123456.1234567890|12345678901234567890123456.1234567890",
                         NULL, split),
                  "double:1.2345678901234568e+25");
        CHECK_STR(ft_agg(a, "avg", "double", "NULL", NULL, split), "double:NULL");
    }
    CHECK_STR(ft_agg(a, "sum", "bigint", "9223372036854775807|1", NULL, false),
              "ERR 22003: sum overflow: the sum exceeds the range of bigint");
    CHECK_STR(ft_agg(a, "sum", "bigint", "9223372036854775807|1|-1", NULL, false),
              "bigint:9223372036854775807");
    /* an untyped NULL argument */
    CHECK_STR(ft_agg(a, "sum", "unknown", "NULL|NULL", NULL, false), "bigint:NULL");
    CHECK_STR(ft_agg(a, "avg", "unknown", "NULL", NULL, false), "double:NULL");
    CHECK_STR(ft_agg(a, "max", "unknown", "NULL", NULL, false), "integer:NULL");
    CHECK_STR(ft_agg(a, "count", "unknown", "NULL|NULL", NULL, false), "bigint:0");
    CHECK_STR(ft_agg(a, "sum", "real", "1.5|2.25", NULL, true), "real:3.75");
    CHECK_STR(ft_agg(a, "avg", "real", "1.5|2.5", NULL, true), "real:2.0");
    fl_arena_free(a);
}

TEST(func_agg_grouped)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_agg(a, "sum", "integer", "1|10|2|20|NULL", "01012", false), "bigint:3|30|NULL");
    CHECK_STR(ft_agg(a, "sum", "integer", "1|10|2|20|NULL", "01012", true), "bigint:3|30|NULL");
    CHECK_STR(ft_agg(a, "count", "varchar", "a|b|NULL|d", "0011", true), "bigint:2|1");
    CHECK_STR(ft_agg(a, "max", "varchar", "pear|apple|zoo|fig|NULL", "00110", false),
              "varchar:pear|zoo");
    fl_arena_free(a);
}

TEST(func_agg_min_max_types)
{
    fl_arena *a = fl_arena_new(0);
    for (int split = 0; split < 2; split++) {
        CHECK_STR(ft_agg(a, "min", "integer", "5|NULL|-3|8", NULL, split), "integer:-3");
        CHECK_STR(ft_agg(a, "max", "integer", "5|NULL|-3|8", NULL, split), "integer:8");
        CHECK_STR(ft_agg(a, "min", "varchar", "pear|apple|zoo|applesauce", NULL, split), "varchar:apple");
        CHECK_STR(ft_agg(a, "max", "varchar", "pear|apple|zoo|applesauce", NULL, split), "varchar:zoo");
        CHECK_STR(ft_agg(a, "max", "decimal(30,2)", "1.00|123456789012345678901234.50|-5.00", NULL, split),
                  "decimal(30,2):123456789012345678901234.50");
        CHECK_STR(ft_agg(a, "min", "date", "2024-02-29|2023-01-01|NULL", NULL, split), "date:2023-01-01");
        CHECK_STR(ft_agg(a, "max", "double", "1.5|-2|NULL", NULL, split), "double:1.5");
        CHECK_STR(ft_agg(a, "min", "boolean", "true|false", NULL, split), "boolean:false");
        CHECK_STR(ft_agg(a, "max", "timestamp", "2024-01-01 00:00:00|2024-01-01 00:00:01", NULL, split),
                  "timestamp:2024-01-01 00:00:01");
        CHECK_STR(ft_agg(a, "max", "integer", "NULL|NULL", NULL, split), "integer:NULL");
        CHECK_STR(ft_agg(a, "arbitrary", "integer", "NULL|7|8", NULL, split), "integer:7");
    }
    fl_arena_free(a);
}
