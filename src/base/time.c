/*
 * time.c: dates, times and timestamps (see time.h).
 *
 * Calendar arithmetic is the proleptic Gregorian calendar with astronomical
 * year numbering (year 0 = 1 BC), using Howard Hinnant's days_from_civil and
 * civil_from_days algorithms, which are exact for every int32 day.
 *
 * Parsing is on the CSV hot path: the fixed-width forms "YYYY-MM-DD" and
 * "YYYY-MM-DD HH:MM:SS" are recognised by position with no loops; everything
 * else goes through a small general scanner. Accepted beyond the basic forms:
 * one-digit month/day/hour, years of more than four digits with an optional
 * sign (ISO 8601 expanded years, |year| <= 5,000,000 for dates), 'T' or ' '
 * between date and time, up to nine fraction digits (beyond microseconds they
 * are truncated, as time.h says), zones Z, UTC, +HH, +HH:MM, +HHMM with an
 * optional space before them, and TIME "24:00:00" (end of day, as PostgreSQL).
 *
 * Formatters print ISO 8601: years outside 0000..9999 get a sign ("+10000",
 * "-0001"), fractions are printed with trailing zeros removed (as PostgreSQL
 * and DuckDB do), and offsets as "+HH:MM" (or "+HH:MM:SS").
 */
#include "time.h"

#include <string.h>

#define MAX_DATE_YEAR 5000000
#define NANOS_PER_MICRO 1000
#define NANOS_PER_DAY (FL_MICROS_PER_DAY * 1000)

static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int32_t fl_days_from_civil(int64_t year, int month, int day)
{
    int64_t y = year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = month > 2 ? month - 3 : month + 9;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void fl_civil_from_days(int32_t days, int32_t *year, int *month, int *day)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int32_t)(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

bool fl_is_leap_year(int64_t year)
{
    return (year % 4 == 0) && (year % 100 != 0 || year % 400 == 0);
}

int fl_days_in_month(int64_t year, int month)
{
    static const int len[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && fl_is_leap_year(year) ? 29 : len[month];
}

int fl_day_of_week(int32_t days)
{
    /* 1970-01-01 was a Thursday (4) */
    return (int)(((int64_t)days % 7 + 11) % 7);
}

int fl_day_of_year(int32_t days)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    return (int)(days - fl_days_from_civil(y, 1, 1)) + 1;
}

int32_t fl_date_add_months(int32_t days, int32_t months)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = floor_div(total, 12);
    int nm = (int)(total - ny * 12) + 1;
    int dim = fl_days_in_month(ny, nm);
    return fl_days_from_civil(ny, nm, d > dim ? dim : d);
}

/* ---------- parsing ---------- */

static inline bool dig(char c) { return (unsigned)(c - '0') < 10u; }
static inline int d2(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

/* Scans 1..max digits at *pp; returns -1 if none. */
static int64_t scan_uint(const char **pp, const char *end, int max)
{
    const char *p = *pp;
    int64_t v = 0;
    int n = 0;
    while (p < end && n < max && dig(*p)) {
        v = v * 10 + (*p++ - '0');
        n++;
    }
    if (!n) return -1;
    *pp = p;
    return v;
}

static bool valid_ymd(int64_t y, int m, int d)
{
    return y >= -MAX_DATE_YEAR && y <= MAX_DATE_YEAR && m >= 1 && m <= 12 && d >= 1 &&
           d <= fl_days_in_month(y, m);
}

/* Parses the date at *pp (advancing it) into days. */
static bool scan_date(const char **pp, const char *end, int32_t *out)
{
    const char *p = *pp;
    /* fast path: YYYY-MM-DD followed by the end or a non-digit */
    if (end - p >= 10 && dig(p[0]) && dig(p[1]) && dig(p[2]) && dig(p[3]) && p[4] == '-' &&
        dig(p[5]) && dig(p[6]) && p[7] == '-' && dig(p[8]) && dig(p[9]) &&
        (end - p == 10 || !dig(p[10]))) {
        /* 32-bit unsigned arithmetic: years 0..9999 shifted by one 400-year era */
        uint32_t y = (uint32_t)(d2(p) * 100 + d2(p + 2)), m = (uint32_t)d2(p + 5),
                 d = (uint32_t)d2(p + 8);
        static const uint8_t mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (m - 1 > 11 || d - 1 >= mdays[m]) {
            bool leap = (y & 3) == 0 && (y % 25 != 0 || (y & 15) == 0);
            if (!(m == 2 && d == 29 && leap)) return false;
        }
        uint32_t ys = y + 400 - (m <= 2);
        uint32_t era = ys / 400, yoe = ys - era * 400;
        uint32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        *out = (int32_t)(era * 146097 + doe) - 719468 - 146097;
        *pp = p + 10;
        return true;
    }
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    const char *ys = p;
    int64_t y = scan_uint(&p, end, 8);
    if (y < 0 || p - ys < 4 || p == end || *p != '-') return false;
    p++;
    int64_t m = scan_uint(&p, end, 2);
    if (m < 0 || p == end || *p != '-') return false;
    p++;
    int64_t d = scan_uint(&p, end, 2);
    if (d < 0 || (p < end && dig(*p))) return false;
    if (neg) y = -y;
    if (!valid_ymd(y, (int)m, (int)d)) return false;
    *out = fl_days_from_civil(y, (int)m, (int)d);
    *pp = p;
    return true;
}

/* Parses "HH:MM[:SS[.f{1,9}]]" at *pp into nanoseconds since midnight. With
 * allow_24, "24:00[:00[.000]]" is accepted as the end of the day. */
static bool scan_time(const char **pp, const char *end, int64_t *out_nanos, bool allow_24)
{
    const char *p = *pp;
    int64_t h, mi, s = 0, frac = 0;
    bool has_seconds = true;
    if (end - p >= 8 && dig(p[0]) && dig(p[1]) && p[2] == ':' && dig(p[3]) && dig(p[4]) &&
        p[5] == ':' && dig(p[6]) && dig(p[7])) {
        h = d2(p);
        mi = d2(p + 3);
        s = d2(p + 6);
        p += 8;
    } else {
        h = scan_uint(&p, end, 2);
        if (h < 0 || p == end || *p != ':') return false;
        p++;
        const char *ms = p;
        mi = scan_uint(&p, end, 2);
        if (mi < 0 || p - ms != 2) return false;
        has_seconds = p < end && *p == ':';
        if (has_seconds) {
            p++;
            const char *ss = p;
            s = scan_uint(&p, end, 2);
            if (s < 0 || p - ss != 2) return false;
        }
    }
    if (p < end && *p == '.' && has_seconds) {
        p++;
        const char *fs = p;
        while (p < end && dig(*p) && p - fs < 9) frac = frac * 10 + (*p++ - '0');
        int n = (int)(p - fs);
        if (n == 0 || (p < end && dig(*p))) return false;
        for (; n < 9; n++) frac *= 10;
    }
    if (p < end && dig(*p)) return false;
    if (mi > 59 || s > 59) return false;
    if (h > 23) {
        if (!(allow_24 && h == 24 && mi == 0 && s == 0 && frac == 0)) return false;
    }
    *out_nanos = ((h * 60 + mi) * 60 + s) * 1000000000LL + frac;
    *pp = p;
    return true;
}

/* Parses an optional zone at p..end (the whole rest); offset in seconds. */
static bool scan_zone(const char *p, const char *end, bool *has_zone, int32_t *offset_s)
{
    *has_zone = false;
    *offset_s = 0;
    if (p == end) return true;
    if (*p == ' ' && end - p > 1) p++;
    size_t rest = (size_t)(end - p);
    if (rest == 1 && (*p == 'Z' || *p == 'z')) {
        *has_zone = true;
        return true;
    }
    if (rest == 3 && (p[0] | 0x20) == 'u' && (p[1] | 0x20) == 't' && (p[2] | 0x20) == 'c') {
        *has_zone = true;
        return true;
    }
    if (*p != '+' && *p != '-') return false;
    int sign = *p++ == '-' ? -1 : 1;
    rest = (size_t)(end - p);
    int hh, mm = 0;
    if (rest == 2 && dig(p[0]) && dig(p[1])) {
        hh = d2(p);
    } else if (rest == 4 && dig(p[0]) && dig(p[1]) && dig(p[2]) && dig(p[3])) {
        hh = d2(p);
        mm = d2(p + 2);
    } else if (rest == 5 && dig(p[0]) && dig(p[1]) && p[2] == ':' && dig(p[3]) && dig(p[4])) {
        hh = d2(p);
        mm = d2(p + 3);
    } else {
        return false;
    }
    if (hh > 18 || mm > 59) return false;
    *has_zone = true;
    *offset_s = sign * (hh * 3600 + mm * 60);
    return true;
}

bool fl_date_parse(const char *s, size_t len, int32_t *out)
{
    const char *p = s, *end = s + len;
    int32_t days;
    if (!scan_date(&p, end, &days) || p != end) return false;
    *out = days;
    return true;
}

bool fl_time_parse(const char *s, size_t len, int64_t *out_micros)
{
    const char *p = s, *end = s + len;
    int64_t nanos;
    if (!scan_time(&p, end, &nanos, true) || p != end) return false;
    *out_micros = nanos / NANOS_PER_MICRO;
    return true;
}

/* Shared by the micro and nano timestamp parsers: day, nanos of day, zone. */
static bool scan_timestamp(const char *s, size_t len, int32_t *days, int64_t *nanos,
                           bool *has_zone, int32_t *offset_s)
{
    const char *p = s, *end = s + len;
    *nanos = 0;
    if (!scan_date(&p, end, days)) return false;
    if (p < end && (*p == ' ' || *p == 'T' || *p == 't') && end - p > 1 && dig(p[1])) {
        p++;
        if (!scan_time(&p, end, nanos, false)) return false;
    }
    return scan_zone(p, end, has_zone, offset_s);
}

bool fl_timestamp_parse(const char *s, size_t len, int64_t *out_micros, bool *has_zone)
{
    int32_t days, offset_s;
    int64_t nanos;
    bool zoned;
    if (!scan_timestamp(s, len, &days, &nanos, &zoned, &offset_s)) return false;
    __int128 r = (__int128)days * FL_MICROS_PER_DAY + nanos / NANOS_PER_MICRO -
                 (__int128)offset_s * FL_MICROS_PER_SECOND;
    if (r > INT64_MAX || r < INT64_MIN) return false;
    *out_micros = (int64_t)r;
    if (has_zone) *has_zone = zoned;
    return true;
}

bool fl_timestamp_ns_parse(const char *s, size_t len, int64_t *out_nanos, bool *has_zone)
{
    int32_t days, offset_s;
    int64_t nanos;
    bool zoned;
    if (!scan_timestamp(s, len, &days, &nanos, &zoned, &offset_s)) return false;
    __int128 r = (__int128)days * NANOS_PER_DAY + nanos - (__int128)offset_s * 1000000000LL;
    if (r > INT64_MAX || r < INT64_MIN) return false;
    *out_nanos = (int64_t)r;
    if (has_zone) *has_zone = zoned;
    return true;
}

/* ---------- formatting ---------- */

static inline char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static char *put_date(char *p, int32_t days)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    int64_t ay = y;
    if (y < 0) {
        *p++ = '-';
        ay = -(int64_t)y;
    } else if (y > 9999) {
        *p++ = '+';
    }
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + ay % 10);
        ay /= 10;
    } while (ay);
    while (n < 4) tmp[n++] = '0';
    while (n) *p++ = tmp[--n];
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    return put2(p, d);
}

/* HH:MM:SS then the fraction of `frac_digits` digits, trailing zeros removed. */
static char *put_time(char *p, int64_t nanos_of_day, int64_t frac, int frac_digits)
{
    int64_t secs = nanos_of_day / 1000000000LL;
    p = put2(p, (int)(secs / 3600));
    *p++ = ':';
    p = put2(p, (int)(secs / 60 % 60));
    *p++ = ':';
    p = put2(p, (int)(secs % 60));
    if (frac) {
        while (frac % 10 == 0) {
            frac /= 10;
            frac_digits--;
        }
        *p++ = '.';
        for (int i = frac_digits - 1; i >= 0; i--) {
            p[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += frac_digits;
    }
    return p;
}

static char *put_offset(char *p, int32_t off)
{
    int64_t a = off < 0 ? -(int64_t)off : off;
    *p++ = off < 0 ? '-' : '+';
    p = put2(p, (int)(a / 3600 % 100));
    *p++ = ':';
    p = put2(p, (int)(a / 60 % 60));
    if (a % 60) {
        *p++ = ':';
        p = put2(p, (int)(a % 60));
    }
    return p;
}

int fl_date_format(int32_t days, char *buf)
{
    char *p = put_date(buf, days);
    *p = 0;
    return (int)(p - buf);
}

int fl_time_format(int64_t micros, char *buf)
{
    if (micros != FL_MICROS_PER_DAY) {   /* 24:00:00 stays; anything else wraps into a day */
        micros %= FL_MICROS_PER_DAY;
        if (micros < 0) micros += FL_MICROS_PER_DAY;
    }
    char *p = put_time(buf, micros * NANOS_PER_MICRO, micros % FL_MICROS_PER_SECOND, 6);
    *p = 0;
    return (int)(p - buf);
}

void fl_timestamp_split(int64_t micros, int32_t *days, int64_t *time_micros)
{
    int64_t d = micros / FL_MICROS_PER_DAY, t = micros % FL_MICROS_PER_DAY;
    if (t < 0) {   /* floor division without overflowing at INT64_MIN */
        t += FL_MICROS_PER_DAY;
        d--;
    }
    *days = (int32_t)d;
    *time_micros = t;
}

/* Shifts by the offset without overflowing (saturates at the int64 ends). */
static int64_t shift_saturating(int64_t v, int64_t delta)
{
    int64_t r;
    if (__builtin_add_overflow(v, delta, &r)) return delta > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

int fl_timestamp_format(int64_t micros, int32_t tz_offset_s, char *buf)
{
    if (tz_offset_s != FL_TZ_NONE)
        micros = shift_saturating(micros, (int64_t)tz_offset_s * FL_MICROS_PER_SECOND);
    int32_t days;
    int64_t tod;
    fl_timestamp_split(micros, &days, &tod);
    char *p = put_date(buf, days);
    *p++ = ' ';
    p = put_time(p, tod * NANOS_PER_MICRO, tod % FL_MICROS_PER_SECOND, 6);
    if (tz_offset_s != FL_TZ_NONE) p = put_offset(p, tz_offset_s);
    *p = 0;
    return (int)(p - buf);
}

int fl_timestamp_ns_format(int64_t nanos, int32_t tz_offset_s, char *buf)
{
    if (tz_offset_s != FL_TZ_NONE)
        nanos = shift_saturating(nanos, (int64_t)tz_offset_s * 1000000000LL);
    int64_t d = nanos / NANOS_PER_DAY, tod = nanos % NANOS_PER_DAY;
    if (tod < 0) {
        tod += NANOS_PER_DAY;
        d--;
    }
    char *p = put_date(buf, (int32_t)d);
    *p++ = ' ';
    p = put_time(p, tod, tod % 1000000000LL, 9);
    if (tz_offset_s != FL_TZ_NONE) p = put_offset(p, tz_offset_s);
    *p = 0;
    return (int)(p - buf);
}

int64_t fl_int96_to_micros(int64_t nanos_of_day, int32_t julian_day)
{
    /* Julian day 2440588 is 1970-01-01. Out-of-range results wrap modulo
     * 2^64, as the reference readers (arrow-rs) compute them: Spark writes
     * far-future timestamps whose day arithmetic only comes out right that way. */
    uint64_t day_us = (uint64_t)((int64_t)julian_day - 2440588) * (uint64_t)FL_MICROS_PER_DAY;
    return (int64_t)(day_us + (uint64_t)floor_div(nanos_of_day, NANOS_PER_MICRO));
}
