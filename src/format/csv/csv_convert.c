/*
 * csv_convert.c: text to typed values for the CSV reader.
 *
 * Every converter takes (pointer, length), needs no NUL terminator and
 * rejects anything but the complete, exact form: no surrounding blanks, no
 * trailing garbage ("12x" is not 12). Integers are range-checked against
 * their type; floating point uses Clinger's exact fast path (mantissa and
 * power of ten both exact) and otherwise strtod/strtof on a validated copy,
 * which round correctly. Decimals, dates, times and timestamps go to the
 * base library (decimal.h, time.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv_internal.h"
#include "../../base/alloc.h"
#include "../../base/decimal.h"
#include "../../base/time.h"

static inline bool is_digit(char c) { return (unsigned)(c - '0') < 10u; }

/* Magnitude of a digit string; false if a non-digit appears or the string
 * is empty; *range when the value exceeds UINT64_MAX. */
static inline bool digits_u64(const char *s, size_t len, uint64_t *out, bool *range)
{
    if (len == 0) return false;
    uint64_t v = 0;
    size_t i = 0;
    size_t safe = len < 19 ? len : 19;
    for (; i < safe; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return false;
        v = v * 10 + d;
    }
    for (; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return false;
        if (!*range && (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v)))
            *range = true;
    }
    *out = v;
    return true;
}

bool csv_parse_i64(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out, bool *range)
{
    *range = false;
    bool neg = false;
    if (len && (*s == '-' || *s == '+')) {
        neg = *s == '-';
        s++;
        len--;
    }
    uint64_t mag;
    if (!digits_u64(s, len, &mag, range)) return false;
    if (*range) return true;
    if (neg) {
        if (mag > (uint64_t)0 - (uint64_t)lo) {
            *range = true;
            return true;
        }
        *out = (int64_t)(0 - mag);
    } else {
        if (mag > (uint64_t)hi) {
            *range = true;
            return true;
        }
        *out = (int64_t)mag;
    }
    return true;
}

bool csv_parse_u64(const char *s, size_t len, uint64_t hi, uint64_t *out, bool *range)
{
    *range = false;
    if (len && *s == '+') {
        s++;
        len--;
    }
    uint64_t v;
    if (!digits_u64(s, len, &v, range)) return false;
    if (!*range && v > hi) *range = true;
    *out = v;
    return true;
}

static bool ieq(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != word[i]) return false;
    }
    return true;
}

/* Checks the float syntax; fills the fast-path parts when the digits fit. */
typedef struct {
    bool neg, special, nan, inf;
    uint64_t mantissa;
    int sig_digits;         /* significant digits accumulated (capped at 19) */
    bool mantissa_exact;    /* all significant digits are in mantissa */
    int64_t exp10;          /* value = mantissa * 10^exp10 */
} float_parts;

static bool float_syntax(const char *s, size_t len, float_parts *fp)
{
    memset(fp, 0, sizeof *fp);
    fp->mantissa_exact = true;
    const char *p = s, *end = s + len;
    if (p < end && (*p == '-' || *p == '+')) fp->neg = *p++ == '-';
    size_t rest = (size_t)(end - p);
    if (ieq(p, rest, "inf") || ieq(p, rest, "infinity")) {
        fp->special = fp->inf = true;
        return true;
    }
    if (ieq(p, rest, "nan")) {
        fp->special = fp->nan = true;
        return true;
    }
    int digits = 0;
    int64_t dropped = 0;   /* integer digits not kept in the mantissa */
    for (; p < end && is_digit(*p); p++, digits++) {
        if (fp->sig_digits == 0 && *p == '0') continue;
        if (fp->sig_digits < 19) {
            fp->mantissa = fp->mantissa * 10 + (uint64_t)(*p - '0');
            fp->sig_digits++;
        } else {
            dropped++;
            if (*p != '0') fp->mantissa_exact = false;
        }
    }
    int64_t frac_kept = 0;
    if (p < end && *p == '.') {
        p++;
        for (; p < end && is_digit(*p); p++, digits++) {
            if (fp->sig_digits == 0 && *p == '0') {
                frac_kept++;
                continue;
            }
            if (fp->sig_digits < 19) {
                fp->mantissa = fp->mantissa * 10 + (uint64_t)(*p - '0');
                fp->sig_digits++;
                frac_kept++;
            } else if (*p != '0') {
                fp->mantissa_exact = false;
            }
        }
    }
    if (digits == 0) return false;
    int64_t e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '-' || *p == '+')) eneg = *p++ == '-';
        if (p == end || !is_digit(*p)) return false;
        for (; p < end && is_digit(*p); p++)
            if (e < 100000) e = e * 10 + (*p - '0');
        if (eneg) e = -e;
    }
    if (p != end) return false;
    fp->exp10 = e + dropped - frac_kept;
    return true;
}

static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* strtod/strtof on a NUL-terminated copy of text already validated. */
static double slow_strtod(const char *s, size_t len, bool single, float *fout)
{
    char local[128];
    char *buf = local;
    if (len >= sizeof local) {
        buf = fl_malloc(len + 1);
        if (!buf) return NAN;   /* cannot happen in practice; reported as invalid */
    }
    memcpy(buf, s, len);
    buf[len] = 0;
    double d = 0;
    if (single) *fout = strtof(buf, NULL);
    else d = strtod(buf, NULL);
    if (buf != local) fl_free(buf);
    return d;
}

bool csv_parse_double(const char *s, size_t len, double *out, bool *range)
{
    *range = false;
    float_parts fp;
    if (!float_syntax(s, len, &fp)) return false;
    double d;
    if (fp.special) {
        d = fp.nan ? NAN : INFINITY;
    } else if (fp.mantissa_exact && fp.mantissa <= (UINT64_C(1) << 53) && fp.exp10 >= -22 &&
               fp.exp10 <= 22) {
        d = (double)fp.mantissa;
        if (fp.exp10 < 0) d /= exact_pow10[-fp.exp10];
        else d *= exact_pow10[fp.exp10];
    } else if (fp.mantissa == 0 && fp.mantissa_exact) {
        d = 0;
    } else {
        d = fabs(slow_strtod(s, len, false, NULL));
        if (isinf(d)) *range = true;
    }
    *out = fp.neg ? -d : d;
    return true;
}

bool csv_parse_float(const char *s, size_t len, float *out, bool *range)
{
    *range = false;
    float_parts fp;
    if (!float_syntax(s, len, &fp)) return false;
    float f;
    if (fp.special) {
        f = fp.nan ? NAN : INFINITY;
    } else if (fp.mantissa_exact && fp.mantissa <= (UINT64_C(1) << 24) && fp.exp10 >= -10 &&
               fp.exp10 <= 10) {
        f = (float)fp.mantissa;
        if (fp.exp10 < 0) f /= (float)exact_pow10[-fp.exp10];
        else f *= (float)exact_pow10[fp.exp10];
    } else if (fp.mantissa == 0 && fp.mantissa_exact) {
        f = 0;
    } else {
        slow_strtod(s, len, true, &f);
        f = fabsf(f);
        if (isinf(f)) *range = true;
    }
    *out = fp.neg ? -f : f;
    return true;
}

static bool parse_bool(const char *s, size_t len, uint8_t *out)
{
    if (len == 1) {
        switch (*s) {
        case 't': case 'T': case '1': case 'y': case 'Y': *out = 1; return true;
        case 'f': case 'F': case '0': case 'n': case 'N': *out = 0; return true;
        default: return false;
        }
    }
    if (ieq(s, len, "true") || ieq(s, len, "yes")) {
        *out = 1;
        return true;
    }
    if (ieq(s, len, "false") || ieq(s, len, "no")) {
        *out = 0;
        return true;
    }
    return false;
}

static inline int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool csv_parse_uuid(const char *s, size_t len, uint8_t out[16])
{
    if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
    int n = 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) continue;
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[n++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    return n == 16;
}

size_t csv_utf8_valid_prefix(const char *str, size_t len)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t i = 0;
    while (i < len) {
        /* ASCII runs eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & UINT64_C(0x8080808080808080)) break;
            i += 8;
        }
        if (i >= len) break;
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > len) return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return i;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n;
    }
    return len;
}

static csv_conv_status int_result(bool ok, bool range)
{
    if (!ok) return CSV_CONV_INVALID;
    return range ? CSV_CONV_RANGE : CSV_CONV_OK;
}

static csv_conv_status convert_int(fl_type_id id, const char *s, size_t len, void *dst)
{
    bool range = false, ok;
    int64_t v = 0;
    uint64_t u = 0;
    switch (id) {
    case FL_TYPE_INT8:
        ok = csv_parse_i64(s, len, INT8_MIN, INT8_MAX, &v, &range);
        if (ok && !range) *(int8_t *)dst = (int8_t)v;
        break;
    case FL_TYPE_INT16:
        ok = csv_parse_i64(s, len, INT16_MIN, INT16_MAX, &v, &range);
        if (ok && !range) { int16_t x = (int16_t)v; memcpy(dst, &x, 2); }
        break;
    case FL_TYPE_INT32:
        ok = csv_parse_i64(s, len, INT32_MIN, INT32_MAX, &v, &range);
        if (ok && !range) { int32_t x = (int32_t)v; memcpy(dst, &x, 4); }
        break;
    case FL_TYPE_INT64:
        ok = csv_parse_i64(s, len, INT64_MIN, INT64_MAX, &v, &range);
        if (ok && !range) memcpy(dst, &v, 8);
        break;
    case FL_TYPE_UINT8:
        ok = csv_parse_u64(s, len, UINT8_MAX, &u, &range);
        if (ok && !range) *(uint8_t *)dst = (uint8_t)u;
        break;
    case FL_TYPE_UINT16:
        ok = csv_parse_u64(s, len, UINT16_MAX, &u, &range);
        if (ok && !range) { uint16_t x = (uint16_t)u; memcpy(dst, &x, 2); }
        break;
    case FL_TYPE_UINT32:
        ok = csv_parse_u64(s, len, UINT32_MAX, &u, &range);
        if (ok && !range) { uint32_t x = (uint32_t)u; memcpy(dst, &x, 4); }
        break;
    default:
        ok = csv_parse_u64(s, len, UINT64_MAX, &u, &range);
        if (ok && !range) memcpy(dst, &u, 8);
        break;
    }
    return int_result(ok, range);
}

csv_conv_status csv_convert_fixed_width(fl_type t, const char *s, size_t len, void *dst)
{
    bool range = false;
    switch ((fl_type_id)t.id) {
    case FL_TYPE_BOOL:
        return parse_bool(s, len, dst) ? CSV_CONV_OK : CSV_CONV_INVALID;
    case FL_TYPE_INT8: case FL_TYPE_INT16: case FL_TYPE_INT32: case FL_TYPE_INT64:
    case FL_TYPE_UINT8: case FL_TYPE_UINT16: case FL_TYPE_UINT32: case FL_TYPE_UINT64:
        return convert_int((fl_type_id)t.id, s, len, dst);
    case FL_TYPE_FLOAT: {
        float f;
        if (!csv_parse_float(s, len, &f, &range)) return CSV_CONV_INVALID;
        if (range) return CSV_CONV_RANGE;
        memcpy(dst, &f, 4);
        return CSV_CONV_OK;
    }
    case FL_TYPE_DOUBLE: {
        double d;
        if (!csv_parse_double(s, len, &d, &range)) return CSV_CONV_INVALID;
        if (range) return CSV_CONV_RANGE;
        memcpy(dst, &d, 8);
        return CSV_CONV_OK;
    }
    case FL_TYPE_DECIMAL: {
        fl_int128 v;
        /* decimal.h's parser also trims blanks; CSV fields must be exact */
        if (len == 0 || s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
            return CSV_CONV_INVALID;
        int rc = fl_decimal_parse(s, len, t.precision, t.scale, &v, NULL);
        if (rc == FLOE_ERANGE) return CSV_CONV_RANGE;
        if (rc < 0) return CSV_CONV_INVALID;
        if (fl_decimal_is_wide(t)) {
            memcpy(dst, &v, 16);
        } else {
            int64_t n = (int64_t)v;
            memcpy(dst, &n, 8);
        }
        return CSV_CONV_OK;
    }
    case FL_TYPE_DATE: {
        int32_t d;
        if (!fl_date_parse(s, len, &d)) return CSV_CONV_INVALID;
        memcpy(dst, &d, 4);
        return CSV_CONV_OK;
    }
    case FL_TYPE_TIME: {
        int64_t us;
        if (!fl_time_parse(s, len, &us)) return CSV_CONV_INVALID;
        memcpy(dst, &us, 8);
        return CSV_CONV_OK;
    }
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ: {
        int64_t us;
        bool zone;
        if (!fl_timestamp_parse(s, len, &us, &zone)) return CSV_CONV_INVALID;
        memcpy(dst, &us, 8);
        return CSV_CONV_OK;
    }
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: {
        int64_t ns;
        bool zone;
        if (!fl_timestamp_ns_parse(s, len, &ns, &zone)) return CSV_CONV_INVALID;
        memcpy(dst, &ns, 8);
        return CSV_CONV_OK;
    }
    default:
        return CSV_CONV_INVALID;
    }
}
