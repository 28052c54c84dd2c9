/*
 * test_func_date.c: date and timestamp functions: field extraction (ISO
 * week and day of week), date_add across month ends and leap years,
 * date_diff, date_trunc, last_day_of_month, constant and per-row units.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_date_fields)
{
    fl_arena *a = fl_arena_new(0);
    const char *d = "2024-02-29|2021-01-01|2024-12-30|NULL";
    CHECK_STR(ft_call1(a, "year", "date", d), "2024|2021|2024|NULL");
    CHECK_STR(ft_call1(a, "quarter", "date", d), "1|1|4|NULL");
    CHECK_STR(ft_call1(a, "month", "date", d), "2|1|12|NULL");
    CHECK_STR(ft_call1(a, "day", "date", d), "29|1|30|NULL");
    CHECK_STR(ft_call1(a, "day_of_week", "date", d), "4|5|1|NULL");
    CHECK_STR(ft_call1(a, "dow", "date", "2024-03-03"), "7");
    CHECK_STR(ft_call1(a, "day_of_year", "date", d), "60|1|365|NULL");
    CHECK_STR(ft_call1(a, "week", "date", d), "9|53|1|NULL");
    const char *t = "2024-01-31 13:45:07.25|1969-12-31 23:59:59";
    CHECK_STR(ft_call1(a, "hour", "timestamp", t), "13|23");
    CHECK_STR(ft_call1(a, "minute", "timestamp", t), "45|59");
    CHECK_STR(ft_call1(a, "second", "timestamp", t), "7|59");
    CHECK_STR(ft_call1(a, "millisecond", "timestamp", t), "250|0");
    CHECK_STR(ft_call1(a, "year", "timestamp", t), "2024|1969");
    CHECK_STR(ft_call1(a, "day", "timestamp", t), "31|31");
    CHECK_STR(ft_call1(a, "day", "timestamp_ns", "1969-12-31 23:59:59.999999999|2024-02-29 00:00:00"), "31|29");
    CHECK_STR(ft_call1(a, "second", "timestamp_ns", "1969-12-31 23:59:58.5"), "58");
    CHECK_STR(ft_call1(a, "last_day_of_month", "date", "2024-02-10|2023-02-10|2023-12-01"),
              "2024-02-29|2023-02-28|2023-12-31");
    /* a date coerces to timestamp, as in Trino */
    CHECK_STR(ft_call1(a, "hour", "date", "2024-01-01"), "0");
    CHECK_STR(ft_call1(a, "hour", "varchar", "x"), "ERR 42883: function hour(varchar) does not exist");
    fl_arena_free(a);
}

TEST(func_date_add)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=month", "bigint", "1|1|-1|13", "date",
                       "2024-01-31|2023-01-31|2024-03-31|2023-01-31"),
              "2024-02-29|2023-02-28|2024-02-29|2024-02-29");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=year", "integer", "1|4", "date", "2024-02-29|2024-02-29"),
              "2025-02-28|2028-02-29");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "day|week|quarter", "bigint", "1|-1|1", "date",
                       "2024-02-28|2024-03-06|2023-11-30"),
              "2024-02-29|2024-02-28|2024-02-29");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=hour", "bigint", "25", "timestamp", "2024-02-28 23:00:00"),
              "2024-03-01 00:00:00");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=month", "bigint", "1", "timestamp", "2024-01-31 10:30:00"),
              "2024-02-29 10:30:00");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=hour", "bigint", "1", "date", "2024-01-01"),
              "ERR 22023: date_add: 'hour' is not a valid unit for a date");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=fortnight", "bigint", "1", "date", "2024-01-01"),
              "ERR 22023: date_add: invalid unit 'fortnight'");
    CHECK_STR(ft_call3(a, "date_add", "varchar", "=day", "bigint", "NULL|1", "date", "2024-01-01|NULL"),
              "NULL|NULL");
    fl_arena_free(a);
}

TEST(func_date_diff)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "date_diff", "varchar", "=day", "date", "2024-02-01|2024-03-01", "date",
                       "2024-03-01|2024-02-01"),
              "29|-29");
    CHECK_STR(ft_call3(a, "date_diff", "varchar", "=month", "date",
                       "2024-01-31|2024-01-31|2024-03-31|2024-01-15", "date",
                       "2024-02-29|2024-02-28|2024-02-29|2025-01-14"),
              "1|0|-1|11");
    CHECK_STR(ft_call3(a, "date_diff", "varchar", "year|quarter|week", "date",
                       "2020-02-29|2024-01-01|2024-01-01", "date", "2021-02-28|2024-12-31|2024-01-14"),
              "1|3|1");
    CHECK_STR(ft_call3(a, "date_diff", "varchar", "=hour", "timestamp",
                       "2024-01-01 00:00:00|2024-01-01 05:59:59", "timestamp",
                       "2024-01-01 05:59:59|2024-01-01 00:00:00"),
              "5|-5");
    CHECK_STR(ft_call3(a, "date_diff", "varchar", "=month", "timestamp", "2024-01-31 12:00:00",
                       "timestamp", "2024-02-29 11:59:59"),
              "0");
    fl_arena_free(a);
}

TEST(func_date_trunc_and_now)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "date_trunc", "varchar", "month|week|quarter|year|day", "date",
                       "2024-02-29|2024-02-29|2024-05-15|2024-05-15|2024-05-15"),
              "2024-02-01|2024-02-26|2024-04-01|2024-01-01|2024-05-15");
    CHECK_STR(ft_call2(a, "date_trunc", "varchar", "=hour", "timestamp", "2024-01-31 13:45:07|1969-12-31 23:30:00"),
              "2024-01-31 13:00:00|1969-12-31 23:00:00");
    CHECK_STR(ft_call2(a, "date_trunc", "varchar", "=day", "timestamp", "1969-12-31 23:00:00"),
              "1969-12-31 00:00:00");
    CHECK_STR(ft_call2(a, "date_trunc", "varchar", "=month", "timestamp", "2024-02-29 23:00:00"),
              "2024-02-01 00:00:00");
    fl_error err;
    const fn_scalar_bound *fn;
    CHECK_OK(fn_scalar_bind(&fn, "current_date", NULL, 0, a, &err), &err);
    CHECK(fn->is_volatile);
    CHECK_EQ(fn->ret.id, FL_TYPE_DATE);
    fl_column *out = fl_column_new(a, fn->ret, 2);
    out->len = 2;
    fn_exec_ctx ctx = {fn, NULL, a, a};
    CHECK_OK(fn->exec(&ctx, NULL, 0, 2, out, &err), &err);
    CHECK(((int32_t *)out->data)[0] > 19000);   /* after 2022 */
    CHECK_OK(fn_scalar_bind(&fn, "now", NULL, 0, a, &err), &err);
    CHECK(fn->is_volatile);
    CHECK_EQ(fn->ret.id, FL_TYPE_TIMESTAMPTZ);
    fl_arena_free(a);
}
