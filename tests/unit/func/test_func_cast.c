/*
 * test_func_cast.c: CAST and TRY_CAST: numbers both ways with rounding and
 * range errors, text both ways, dates and timestamps, constants, and the
 * single-value form used for constant folding.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_cast_text_to_numbers)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_cast(a, "varchar", "12| -7 |NULL", "integer", false), "12|-7|NULL");
    CHECK_STR(ft_cast(a, "varchar", "12|abc", "integer", false),
              "ERR 22018: cannot cast 'abc' to integer");
    CHECK_STR(ft_cast(a, "varchar", "12|abc|99999999999", "integer", true), "12|NULL|NULL");
    CHECK_STR(ft_cast(a, "varchar", "99999999999", "integer", false),
              "ERR 22003: cannot cast '99999999999' to integer: out of range");
    CHECK_STR(ft_cast(a, "varchar", "1.255|-1.255|2", "decimal(5,2)", false), "1.26|-1.26|2.00");
    CHECK_STR(ft_cast(a, "varchar", "1e3|0.5", "double", false), "1000.0|0.5");
    CHECK_STR(ft_cast(a, "varchar", "true|FALSE|x", "boolean", true), "true|false|NULL");
    fl_arena_free(a);
}

TEST(func_cast_numbers_to_numbers)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_cast(a, "integer", "300", "tinyint", false),
              "ERR 22003: cannot cast 300 to tinyint: out of range");
    CHECK_STR(ft_cast(a, "integer", "300|12", "tinyint", true), "NULL|12");
    CHECK_STR(ft_cast(a, "bigint", "-5|7", "smallint", false), "-5|7");
    CHECK_STR(ft_cast(a, "decimal(5,3)", "1.235|-1.235|1.234", "decimal(4,2)", false), "1.24|-1.24|1.23");
    CHECK_STR(ft_cast(a, "decimal(5,2)", "999.99", "decimal(4,2)", false),
              "ERR 22003: cannot cast 999.99 to decimal(4,2): out of range");
    CHECK_STR(ft_cast(a, "decimal(5,2)", "2.50|-2.50|2.49", "integer", false), "3|-3|2");
    CHECK_STR(ft_cast(a, "integer", "42|-1", "decimal(12,2)", false), "42.00|-1.00");
    /* the unchecked widenings */
    CHECK_STR(ft_cast(a, "integer", "2147483647|-2147483648|NULL", "bigint", false),
              "2147483647|-2147483648|NULL");
    CHECK_STR(ft_cast(a, "smallint", "-32768|7", "integer", false), "-32768|7");
    CHECK_STR(ft_cast(a, "integer", "-2147483648", "decimal(10,0)", false), "-2147483648");
    CHECK_STR(ft_cast(a, "bigint", "-9223372036854775808", "decimal(25,3)", false),
              "-9223372036854775808.000");
    CHECK_STR(ft_cast(a, "decimal(7,2)", "-99999.99|1.50", "decimal(12,4)", false), "-99999.9900|1.5000");
    CHECK_STR(ft_cast(a, "decimal(7,2)", "-99999.99", "decimal(25,10)", false), "-99999.9900000000");
    CHECK_STR(ft_cast(a, "decimal(20,2)", "123456789012345678.91", "decimal(30,5)", false),
              "123456789012345678.91000");
    CHECK_STR(ft_cast(a, "integer", "123", "decimal(3,1)", false),
              "ERR 22003: cannot cast 123 to decimal(3,1): out of range");
    CHECK_STR(ft_cast(a, "double", "2.5|-2.5|0.4", "integer", false), "3|-3|0");
    CHECK_STR(ft_cast(a, "double", "nan", "integer", false), "ERR 22018: cannot cast nan to integer");
    CHECK_STR(ft_cast(a, "double", "1e20", "bigint", false),
              "ERR 22003: cannot cast 1e+20 to bigint: out of range");
    CHECK_STR(ft_cast(a, "double", "0.15|-0.15|123.456", "decimal(6,1)", false), "0.2|-0.2|123.5");
    CHECK_STR(ft_cast(a, "decimal(5,2)", "1.25", "double", false), "1.25");
    CHECK_STR(ft_cast(a, "decimal(38,2)", "123456789012345678901234567890.12", "decimal(38,0)", false),
              "123456789012345678901234567890");
    CHECK_STR(ft_cast(a, "boolean", "true|false", "integer", false), "1|0");
    CHECK_STR(ft_cast(a, "integer", "0|5", "boolean", false), "false|true");
    CHECK_STR(ft_cast(a, "decimal(3,1)", "0.4|0.0", "boolean", false), "true|false");
    CHECK_STR(ft_cast(a, "double", "0.4|0", "boolean", false), "true|false");
    CHECK_STR(ft_cast(a, "integer", "16777217", "real", false), "16777216.0");
    fl_arena_free(a);
}

TEST(func_cast_to_text)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_cast(a, "integer", "42|NULL|-7", "varchar", false), "42|NULL|-7");
    CHECK_STR(ft_cast(a, "double", "1|0.1|1e20", "varchar", false), "1.0|0.1|1e+20");
    CHECK_STR(ft_cast(a, "decimal(5,2)", "1.50|-0.05", "varchar", false), "1.50|-0.05");
    CHECK_STR(ft_cast(a, "date", "2024-01-31", "varchar", false), "2024-01-31");
    CHECK_STR(ft_cast(a, "timestamp", "2024-01-31 13:45:00.5", "varchar", false),
              "2024-01-31 13:45:00.5");
    CHECK_STR(ft_cast(a, "boolean", "true|false", "varchar", false), "true|false");
    fl_arena_free(a);
}

TEST(func_cast_dates_and_timestamps)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_cast(a, "varchar", "2024-02-29|2023-02-29", "date", true), "2024-02-29|NULL");
    CHECK_STR(ft_cast(a, "varchar", "2023-02-29", "date", false),
              "ERR 22018: cannot cast '2023-02-29' to date");
    CHECK_STR(ft_cast(a, "varchar", "2024-01-31 13:45:00", "timestamp", false), "2024-01-31 13:45:00");
    CHECK_STR(ft_cast(a, "timestamp", "2024-01-31 13:45:00|1969-12-31 23:00:00", "date", false),
              "2024-01-31|1969-12-31");
    CHECK_STR(ft_cast(a, "date", "2024-01-31|1969-12-31", "timestamp", false),
              "2024-01-31 00:00:00|1969-12-31 00:00:00");
    CHECK_STR(ft_cast(a, "timestamp", "1969-12-31 23:00:00", "time", false), "23:00:00");
    CHECK_STR(ft_cast(a, "timestamp", "2024-01-31 13:45:00.000001", "timestamp_ns", false),
              "2024-01-31 13:45:00.000001");
    fl_arena_free(a);
}

TEST(func_cast_constant_vector_broadcasts)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_vector in = ft_vec(a, "varchar", "=17");
    fl_column *out = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 4);
    out->len = 4;
    CHECK_OK(fn_cast(&in, 4, fl_type_make(FL_TYPE_INT64), false, out, a, &err), &err);
    CHECK_STR(ft_render(a, out, 4), "17|17|17|17");
    ex_vector nul = ft_vec(a, "varchar", "=NULL");
    fl_column *out2 = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 3);
    out2->len = 3;
    CHECK_OK(fn_cast(&nul, 3, fl_type_make(FL_TYPE_INT64), false, out2, a, &err), &err);
    CHECK_STR(ft_render(a, out2, 3), "NULL|NULL|NULL");
    fl_arena_free(a);
}

TEST(func_cast_value_and_allowed)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_value in = {fl_type_make(FL_TYPE_STRING), false, {.s = fl_strv_cstr("123.456")}}, out;
    CHECK_OK(fn_cast_value(&out, &in, fl_type_decimal(5, 2), false, a, &err), &err);
    CHECK_EQ(out.v.i64, 12346);
    in.v.s = fl_strv_cstr("1234.5");
    CHECK(fn_cast_value(&out, &in, fl_type_decimal(5, 2), false, a, &err) == FLOE_ERANGE);
    CHECK_STR(err.sqlstate, "22003");
    CHECK_OK(fn_cast_value(&out, &in, fl_type_decimal(5, 2), true, a, &err), &err);
    CHECK(out.is_null);
    fl_value d = {fl_type_make(FL_TYPE_DATE), false, {.i64 = 19753}};
    CHECK_OK(fn_cast_value(&out, &d, fl_type_make(FL_TYPE_STRING), false, a, &err), &err);
    CHECK_MEM(out.v.s.ptr, out.v.s.len, "2024-01-31", 10);
    CHECK(fn_cast_allowed(fl_type_make(FL_TYPE_INT32), fl_type_make(FL_TYPE_STRING)));
    CHECK(fn_cast_allowed(fl_type_make(FL_TYPE_STRING), fl_type_make(FL_TYPE_DATE)));
    CHECK(fn_cast_allowed(fl_type_decimal(5, 2), fl_type_make(FL_TYPE_INT8)));
    CHECK(!fn_cast_allowed(fl_type_make(FL_TYPE_DATE), fl_type_make(FL_TYPE_INT32)));
    CHECK(!fn_cast_allowed(fl_type_make(FL_TYPE_BOOL), fl_type_make(FL_TYPE_DATE)));
    fl_arena_free(a);
}
