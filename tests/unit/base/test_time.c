/*
 * test_time.c: the calendar (exhaustive round trips over a wide day range,
 * leap years, negative years), date/time/timestamp parsing with zones and
 * bad inputs, the formatters and the INT96 conversion.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/time.h"

static bool pdate(const char *s, int32_t *d) { return fl_date_parse(s, strlen(s), d); }
static bool ptime(const char *s, int64_t *t) { return fl_time_parse(s, strlen(s), t); }
static bool pts(const char *s, int64_t *t, bool *z) { return fl_timestamp_parse(s, strlen(s), t, z); }

TEST(time_calendar_known_days)
{
    CHECK_EQ(fl_days_from_civil(1970, 1, 1), 0);
    CHECK_EQ(fl_days_from_civil(1970, 1, 2), 1);
    CHECK_EQ(fl_days_from_civil(1969, 12, 31), -1);
    CHECK_EQ(fl_days_from_civil(2000, 3, 1), 11017);
    CHECK_EQ(fl_days_from_civil(2024, 2, 29), 19782);
    CHECK_EQ(fl_days_from_civil(1, 1, 1), -719162);
    CHECK_EQ(fl_days_from_civil(0, 1, 1), -719528);
    CHECK_EQ(fl_days_from_civil(-1, 12, 31), -719529);
    CHECK_EQ(fl_days_from_civil(9999, 12, 31), 2932896);
    int32_t y;
    int m, d;
    fl_civil_from_days(-719529, &y, &m, &d);
    CHECK(y == -1 && m == 12 && d == 31);
    fl_civil_from_days(INT32_MAX, &y, &m, &d);
    CHECK_EQ(fl_days_from_civil(y, m, d), INT32_MAX);
    fl_civil_from_days(INT32_MIN, &y, &m, &d);
    CHECK_EQ(fl_days_from_civil(y, m, d), INT32_MIN);
}

TEST(time_calendar_exhaustive_roundtrip)
{
    /* every day from year -10000 to 12000: civil <-> days round trip and
     * consecutive days advance the calendar correctly */
    int32_t start = fl_days_from_civil(-10000, 1, 1), stop = fl_days_from_civil(12000, 1, 1);
    int32_t py = -10001;
    int pm = 12, pd = 31;
    int bad = 0;
    for (int32_t day = start; day < stop && bad < 5; day++) {
        int32_t y;
        int m, d;
        fl_civil_from_days(day, &y, &m, &d);
        bool next_ok = (y == py && m == pm && d == pd + 1) ||
                       (y == py && m == pm + 1 && d == 1 && pd == fl_days_in_month(py, pm)) ||
                       (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
        if (!next_ok || fl_days_from_civil(y, m, d) != day) {
            bad++;
            printf("  day %d -> %d-%d-%d\n", (int)day, (int)y, m, d);
        }
        py = y;
        pm = m;
        pd = d;
    }
    CHECK_EQ(bad, 0);
}

TEST(time_leap_years_and_weekdays)
{
    CHECK(fl_is_leap_year(2000));
    CHECK(fl_is_leap_year(2024));
    CHECK(!fl_is_leap_year(1900));
    CHECK(!fl_is_leap_year(2023));
    CHECK(fl_is_leap_year(0));
    CHECK(fl_is_leap_year(-4));
    CHECK(!fl_is_leap_year(-1));
    CHECK(!fl_is_leap_year(-100));
    CHECK(fl_is_leap_year(-400));
    CHECK_EQ(fl_days_in_month(2024, 2), 29);
    CHECK_EQ(fl_days_in_month(2023, 2), 28);
    CHECK_EQ(fl_days_in_month(2023, 4), 30);
    CHECK_EQ(fl_days_in_month(2023, 13), 0);
    CHECK_EQ(fl_day_of_week(0), 4);                                   /* Thursday */
    CHECK_EQ(fl_day_of_week(fl_days_from_civil(2024, 1, 7)), 0);      /* Sunday */
    CHECK_EQ(fl_day_of_week(fl_days_from_civil(1969, 12, 27)), 6);    /* Saturday */
    CHECK_EQ(fl_day_of_week(fl_days_from_civil(-1, 1, 1)), 5);        /* 2 BC: Friday */
    CHECK_EQ(fl_day_of_year(fl_days_from_civil(2024, 12, 31)), 366);
    CHECK_EQ(fl_day_of_year(fl_days_from_civil(2023, 12, 31)), 365);
    CHECK_EQ(fl_day_of_year(fl_days_from_civil(-5, 3, 1)), 60);
}

TEST(time_add_months_clamps)
{
    CHECK_EQ(fl_date_add_months(fl_days_from_civil(2024, 1, 31), 1), fl_days_from_civil(2024, 2, 29));
    CHECK_EQ(fl_date_add_months(fl_days_from_civil(2023, 1, 31), 1), fl_days_from_civil(2023, 2, 28));
    CHECK_EQ(fl_date_add_months(fl_days_from_civil(2024, 3, 31), -1), fl_days_from_civil(2024, 2, 29));
    CHECK_EQ(fl_date_add_months(fl_days_from_civil(2024, 5, 15), -17), fl_days_from_civil(2022, 12, 15));
    CHECK_EQ(fl_date_add_months(fl_days_from_civil(1, 1, 1), -13), fl_days_from_civil(-1, 12, 1));
    CHECK_EQ(fl_date_add_months(fl_days_from_civil(2020, 2, 29), 12), fl_days_from_civil(2021, 2, 28));
}

TEST(time_date_parse)
{
    int32_t d;
    CHECK(pdate("1970-01-01", &d) && d == 0);
    CHECK(pdate("2024-02-29", &d) && d == 19782);
    CHECK(pdate("2024-2-9", &d) && d == fl_days_from_civil(2024, 2, 9));
    CHECK(pdate("0000-01-01", &d) && d == -719528);
    CHECK(pdate("-0001-12-31", &d) && d == -719529);
    CHECK(pdate("+10000-01-01", &d) && d == fl_days_from_civil(10000, 1, 1));
    CHECK(pdate("10000-01-01", &d) && d == fl_days_from_civil(10000, 1, 1));
    CHECK(pdate("-5000000-01-01", &d) && d == fl_days_from_civil(-5000000, 1, 1));
    const char *bad[] = {"", "2023-02-29", "2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32",
                         "2023-04-31", "1900-02-29", "2023-01-01x", "2023-01-01 ", " 2023-01-01",
                         "23-01-01", "2023/01/01", "2023-01", "2023-001-01", "2023-01-011",
                         "99999999-01-01", "5000001-01-01", "2023--01-01", "-", "+-2023-01-01",
                         "2023-1x-01", "abcd-ef-gh"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!CHECK(!pdate(bad[i], &d))) printf("  accepted \"%s\"\n", bad[i]);
    /* length-bounded: no NUL needed */
    CHECK(fl_date_parse("2024-01-15XYZ", 10, &d) && d == fl_days_from_civil(2024, 1, 15));
}

TEST(time_time_parse)
{
    int64_t t;
    CHECK(ptime("00:00:00", &t) && t == 0);
    CHECK(ptime("13:45", &t) && t == (13 * 60 + 45) * 60 * FL_MICROS_PER_SECOND);
    CHECK(ptime("13:45:07", &t) && t == ((13 * 60 + 45) * 60 + 7) * FL_MICROS_PER_SECOND);
    CHECK(ptime("9:05:00", &t) && t == (9 * 3600 + 300) * FL_MICROS_PER_SECOND);
    CHECK(ptime("23:59:59.999999", &t) && t == FL_MICROS_PER_DAY - 1);
    CHECK(ptime("00:00:00.5", &t) && t == 500000);
    CHECK(ptime("00:00:00.123456789", &t) && t == 123456);
    CHECK(ptime("24:00:00", &t) && t == FL_MICROS_PER_DAY);
    const char *bad[] = {"", "24:00:01", "24:01", "25:00:00", "12:60:00", "12:00:60", "12:00:00.",
                         "12:00:00.1234567890", "12", "12:", "12:0", "12:00:0", "12:00:00 ",
                         "12:00:00Z", "123:00:00", "12:00.5", "-1:00:00", "ab:cd:ef"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!CHECK(!ptime(bad[i], &t))) printf("  accepted \"%s\"\n", bad[i]);
}

TEST(time_timestamp_parse_forms_and_zones)
{
    int64_t t;
    bool z = true;
    int64_t base = (int64_t)fl_days_from_civil(2024, 1, 31) * FL_MICROS_PER_DAY +
                   (13 * 3600 + 45 * 60) * FL_MICROS_PER_SECOND;
    CHECK(pts("2024-01-31 13:45:00", &t, &z) && t == base && !z);
    CHECK(pts("2024-01-31T13:45:00", &t, &z) && t == base && !z);
    CHECK(pts("2024-01-31T13:45", &t, &z) && t == base);
    CHECK(pts("2024-01-31 13:45:00.25", &t, &z) && t == base + 250000);
    CHECK(pts("2024-01-31 13:45:00.123456789", &t, &z) && t == base + 123456);
    CHECK(pts("2024-01-31", &t, &z) && t == (int64_t)fl_days_from_civil(2024, 1, 31) * FL_MICROS_PER_DAY);
    CHECK(pts("2024-01-31 13:45:00Z", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 13:45:00 UTC", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 13:45:00+00", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 15:45:00+02", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 15:45:00+02:00", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 19:15:00+0530", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 08:45:00-05:00", &t, &z) && t == base && z);
    CHECK(pts("2024-01-31 08:45:00 -05:00", &t, &z) && t == base && z);
    CHECK(pts("2024-02-01 00:15:00+10:30", &t, &z) && t == base && z);
    CHECK(pts("1969-12-31 23:59:59.999999", &t, &z) && t == -1);
    CHECK(pts("-0001-01-01 00:00:00", &t, &z) &&
          t == (int64_t)fl_days_from_civil(-1, 1, 1) * FL_MICROS_PER_DAY);
    const char *bad[] = {"2024-01-31 24:00:00", "2024-01-31 13:45:00+", "2024-01-31 13:45:00+1",
                         "2024-01-31 13:45:00+123", "2024-01-31 13:45:00+19:00",
                         "2024-01-31 13:45:00+05:60", "2024-01-31 13:45:00 PST",
                         "2024-01-31 13:45:00ZZ", "2024-01-31 13:45:00 ", "2024-01-31T",
                         "2024-01-31X13:45:00", "2023-02-29 00:00:00", "2024-01-31 1:2:3",
                         "300000-01-01 00:00:00", "-300000-01-01 00:00:00", "2024-01-31  13:45:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!CHECK(!pts(bad[i], &t, &z))) printf("  accepted \"%s\"\n", bad[i]);
    /* has_zone may be NULL */
    CHECK(fl_timestamp_parse("2024-01-31 13:45:00Z", 20, &t, NULL) && t == base);
}

TEST(time_timestamp_ns_parse)
{
    int64_t t;
    bool z;
    const char *s = "2024-01-31 13:45:00.123456789+01:00";
    CHECK(fl_timestamp_ns_parse(s, strlen(s), &t, &z) && z);
    int64_t want = ((int64_t)fl_days_from_civil(2024, 1, 31) * 86400 + 12 * 3600 + 45 * 60) *
                       1000000000LL + 123456789;
    CHECK_EQ(t, want);
    s = "1677-09-21 00:12:43.145224192";   /* INT64_MIN nanoseconds */
    CHECK(fl_timestamp_ns_parse(s, strlen(s), &t, &z) && t == INT64_MIN);
    s = "1677-09-21 00:12:43.145224191";
    CHECK(!fl_timestamp_ns_parse(s, strlen(s), &t, &z));
    s = "2262-04-11 23:47:16.854775807";
    CHECK(fl_timestamp_ns_parse(s, strlen(s), &t, &z) && t == INT64_MAX);
    s = "2262-04-11 23:47:16.854775808";
    CHECK(!fl_timestamp_ns_parse(s, strlen(s), &t, &z));
}

static const char *fdate(int32_t d)
{
    static char buf[48];
    int n = fl_date_format(d, buf);
    CHECK_EQ(n, (int)strlen(buf));
    return buf;
}

TEST(time_formatters)
{
    char buf[48];
    CHECK_STR(fdate(0), "1970-01-01");
    CHECK_STR(fdate(19782), "2024-02-29");
    CHECK_STR(fdate(-719528), "0000-01-01");
    CHECK_STR(fdate(-719529), "-0001-12-31");
    CHECK_STR(fdate(fl_days_from_civil(10000, 1, 1)), "+10000-01-01");
    CHECK_STR(fdate(fl_days_from_civil(-123456, 7, 8)), "-123456-07-08");
    fl_time_format(0, buf);
    CHECK_STR(buf, "00:00:00");
    fl_time_format((13 * 3600 + 45 * 60) * FL_MICROS_PER_SECOND + 123456, buf);
    CHECK_STR(buf, "13:45:00.123456");
    fl_time_format(500000, buf);
    CHECK_STR(buf, "00:00:00.5");
    fl_time_format(10, buf);
    CHECK_STR(buf, "00:00:00.00001");
    fl_time_format(FL_MICROS_PER_DAY, buf);
    CHECK_STR(buf, "24:00:00");
    int64_t ts = (int64_t)fl_days_from_civil(2024, 1, 31) * FL_MICROS_PER_DAY +
                 (13 * 3600 + 45 * 60) * FL_MICROS_PER_SECOND;
    int n = fl_timestamp_format(ts, FL_TZ_NONE, buf);
    CHECK_STR(buf, "2024-01-31 13:45:00");
    CHECK_EQ(n, 19);
    fl_timestamp_format(ts + 120000, FL_TZ_NONE, buf);
    CHECK_STR(buf, "2024-01-31 13:45:00.12");
    fl_timestamp_format(ts, 0, buf);
    CHECK_STR(buf, "2024-01-31 13:45:00+00:00");
    fl_timestamp_format(ts, 5 * 3600 + 1800, buf);
    CHECK_STR(buf, "2024-01-31 19:15:00+05:30");
    fl_timestamp_format(ts, -8 * 3600, buf);
    CHECK_STR(buf, "2024-01-31 05:45:00-08:00");
    fl_timestamp_format(-1, FL_TZ_NONE, buf);
    CHECK_STR(buf, "1969-12-31 23:59:59.999999");
    fl_timestamp_format(INT64_MIN, FL_TZ_NONE, buf);
    CHECK_STR(buf, "-290308-12-21 19:59:05.224192");
    fl_timestamp_format(INT64_MAX, FL_TZ_NONE, buf);
    CHECK_STR(buf, "+294247-01-10 04:00:54.775807");
    fl_timestamp_ns_format(1, FL_TZ_NONE, buf);
    CHECK_STR(buf, "1970-01-01 00:00:00.000000001");
    fl_timestamp_ns_format(-1000000000LL, 3600, buf);
    CHECK_STR(buf, "1970-01-01 00:59:59+01:00");
}

TEST(time_format_parse_roundtrip)
{
    char buf[48];
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 50000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* timestamps within +-290000 years */
        int64_t ts = (int64_t)(x % (uint64_t)(INT64_MAX / 2)) * ((x & 1) ? -1 : 1);
        if (i % 3 == 0) ts -= ts % FL_MICROS_PER_SECOND;
        fl_timestamp_format(ts, FL_TZ_NONE, buf);
        int64_t back;
        bool z;
        if (!CHECK(pts(buf, &back, &z) && back == ts)) {
            printf("  %s\n", buf);
            break;
        }
        int32_t day = (int32_t)(x >> 33) - (1 << 30);
        if (day < -1826000000) day = -1826000000;
        fl_date_format(day, buf);
        int32_t dback;
        if (!CHECK(pdate(buf, &dback) && dback == day)) {
            printf("  %s\n", buf);
            break;
        }
        int64_t tm = (int64_t)(x % (uint64_t)FL_MICROS_PER_DAY);
        fl_time_format(tm, buf);
        int64_t tback;
        if (!CHECK(ptime(buf, &tback) && tback == tm)) {
            printf("  %s\n", buf);
            break;
        }
    }
}

TEST(time_split_and_int96)
{
    int32_t d;
    int64_t t;
    fl_timestamp_split(-1, &d, &t);
    CHECK(d == -1 && t == FL_MICROS_PER_DAY - 1);
    fl_timestamp_split(FL_MICROS_PER_DAY, &d, &t);
    CHECK(d == 1 && t == 0);
    fl_timestamp_split(0, &d, &t);
    CHECK(d == 0 && t == 0);
    CHECK_EQ(fl_int96_to_micros(0, 2440588), 0);
    CHECK_EQ(fl_int96_to_micros(1000, 2440588), 1);
    CHECK_EQ(fl_int96_to_micros(60LL * 1000000000LL, 2440589), FL_MICROS_PER_DAY + 60000000);
    /* 2009-01-01 00:01:00 as Impala writes it (alltypes_plain) */
    CHECK_EQ(fl_int96_to_micros(60LL * 1000000000LL, 2454833),
             (int64_t)fl_days_from_civil(2009, 1, 1) * FL_MICROS_PER_DAY + 60000000);
    CHECK_EQ(fl_int96_to_micros(0, 2440587), -FL_MICROS_PER_DAY);
    /* year 290000 (int96_from_spark.parquet) */
    CHECK_EQ(fl_int96_to_micros(82800000000000LL, 105201161 + 2440588), INT64_C(9089380393200000000));
    /* beyond the int64 range: wraps modulo 2^64 like arrow-rs, never traps */
    CHECK_EQ(fl_int96_to_micros(0, INT32_MAX), INT64_C(864279560504483840));
    CHECK_EQ(fl_int96_to_micros(0, INT32_MIN), INT64_C(-1286013253304483840));
    CHECK_EQ(fl_int96_to_micros(-1, 2440588), -1);
}
