/*
 * time.h: dates, times and timestamps: proleptic Gregorian calendar,
 * microsecond (and nanosecond) precision, time zones as fixed UTC offsets.
 *
 * Representations (see type.h): DATE = int32 days since 1970-01-01;
 * TIME = int64 microseconds since midnight; TIMESTAMP = int64 microseconds
 * since 1970-01-01T00:00:00 (UTC for TIMESTAMPTZ).
 * Parsers take (pointer, length), need no NUL, and return false on any
 * malformed or out-of-range input.
 */
#ifndef FL_TIME_H
#define FL_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_MICROS_PER_SECOND INT64_C(1000000)
#define FL_MICROS_PER_DAY INT64_C(86400000000)

int32_t fl_days_from_civil(int64_t year, int month, int day);
void fl_civil_from_days(int32_t days, int32_t *year, int *month, int *day);
bool fl_is_leap_year(int64_t year);
int fl_days_in_month(int64_t year, int month);
int fl_day_of_week(int32_t days);     /* 0 = Sunday .. 6 = Saturday */
int fl_day_of_year(int32_t days);     /* 1-based */
/* Adds months, clamping the day to the target month's length. */
int32_t fl_date_add_months(int32_t days, int32_t months);

/* "YYYY-MM-DD" (also "-YYYY..." and "+YYYYY..." for extended years). */
bool fl_date_parse(const char *s, size_t len, int32_t *out);
/* "HH:MM[:SS[.ffffff]]" */
bool fl_time_parse(const char *s, size_t len, int64_t *out_micros);
/*
 * "YYYY-MM-DD[( |T)HH:MM[:SS[.f{1,9}]]][Z|(+|-)HH[:MM]| UTC]". *has_zone
 * tells whether a zone was present; the result is converted to UTC when it
 * was. Fractions beyond microseconds are truncated (see fl_timestamp_ns_parse).
 */
bool fl_timestamp_parse(const char *s, size_t len, int64_t *out_micros, bool *has_zone);
bool fl_timestamp_ns_parse(const char *s, size_t len, int64_t *out_nanos, bool *has_zone);

/* Formatters write a NUL-terminated string into buf (>= 48 bytes) and
 * return its length. */
int fl_date_format(int32_t days, char *buf);                    /* 2024-01-31 */
int fl_time_format(int64_t micros, char *buf);                  /* 13:45:00[.123456] */
/* "2024-01-31 13:45:00[.123456]"; with tz_offset_s != INT32_MIN also appends
 * the offset ("+00:00") after shifting to that offset. */
int fl_timestamp_format(int64_t micros, int32_t tz_offset_s, char *buf);
int fl_timestamp_ns_format(int64_t nanos, int32_t tz_offset_s, char *buf);
#define FL_TZ_NONE INT32_MIN

/* Splits micros into a day and microseconds within it (floor division). */
void fl_timestamp_split(int64_t micros, int32_t *days, int64_t *time_micros);
/* Converts an INT96 Impala/Spark timestamp (nanos of day, Julian day).
 * Results beyond the int64 range wrap modulo 2^64, as arrow-rs computes them. */
int64_t fl_int96_to_micros(int64_t nanos_of_day, int32_t julian_day);

#endif
