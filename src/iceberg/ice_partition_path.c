/*
 * ice_partition_path.c: human-readable partition values and partition
 * paths, matching Iceberg Java's Transform.toHumanString,
 * PartitionSpec.partitionToPath, java.time's toString forms, Double.toString
 * and URLEncoder (see ice_partition.h).
 */
#include "ice_partition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/decimal.h"
#include "../base/strutil.h"
#include "../base/time.h"
#include "../base/uuid.h"

/* ---- Java number and time text ---- */

/* Shortest decimal digits that read back to v: digits (no dot) and the
 * decimal exponent of the first digit. `is_float` compares as float. */
static void shortest_digits(double v, bool is_float, char *digits, int *exp10)
{
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
        double back;
        fl_error e;
        char *ep = strchr(buf, 'e');
        if (fl_parse_double(&back, buf, strlen(buf), &e) < 0) continue;
        if (is_float ? (float)back == (float)v : back == v || prec == 17) {
            int n = 0;
            for (char *p = buf; p < ep; p++)
                if (*p >= '0' && *p <= '9') digits[n++] = *p;
            while (n > 1 && digits[n - 1] == '0') n--;
            digits[n] = '\0';
            fl_parse_i32(exp10, ep + 1, strlen(ep + 1), &e);
            return;
        }
    }
    digits[0] = '0';
    digits[1] = '\0';
    *exp10 = 0;
}

static int java_fp_string(double v, bool is_float, char *buf)
{
    if (isnan(v)) return snprintf(buf, 32, "NaN");
    if (isinf(v)) return snprintf(buf, 32, v > 0 ? "Infinity" : "-Infinity");
    if (v == 0) return snprintf(buf, 32, signbit(v) ? "-0.0" : "0.0");
    char digits[24];
    int e, n = 0;
    const char *sign = v < 0 ? "-" : "";
    shortest_digits(fabs(v), is_float, digits, &e);
    int nd = (int)strlen(digits);
    double a = fabs(v);
    if (a >= 1e-3 && a < 1e7) {
        n = snprintf(buf, 32, "%s", sign);
        if (e < 0) {
            n += snprintf(buf + n, 32 - (size_t)n, "0.");
            for (int i = -1; i > e; i--) buf[n++] = '0';
            n += snprintf(buf + n, 32 - (size_t)n, "%s", digits);
        } else {
            for (int i = 0; i <= e; i++) buf[n++] = i < nd ? digits[i] : '0';
            buf[n++] = '.';
            if (nd > e + 1) n += snprintf(buf + n, 32 - (size_t)n, "%s", digits + e + 1);
            else buf[n++] = '0';
            buf[n] = '\0';
        }
        return n;
    }
    n = snprintf(buf, 32, "%s%c.%s", sign, digits[0], nd > 1 ? digits + 1 : "0");
    n += snprintf(buf + n, 32 - (size_t)n, "E%d", e);
    return n;
}

int ice_java_double_string(double v, char *buf) { return java_fp_string(v, false, buf); }
int ice_java_float_string(float v, char *buf) { return java_fp_string(v, true, buf); }

/* java.math.BigDecimal.toString: plain unless the adjusted exponent is
 * below -6, then scientific ("0E-11", "1.5E-9"). */
static int java_decimal(fl_int128 v, int scale, char *buf)
{
    char digits[48];
    int n = 0;
    bool neg = v < 0;
    unsigned __int128 u = neg ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u != 0);
    int adjusted = -scale + (n - 1);
    if (adjusted >= -6) return fl_decimal_format(v, scale, buf);
    int len = 0;
    if (neg) buf[len++] = '-';
    buf[len++] = digits[n - 1];
    if (n > 1) {
        buf[len++] = '.';
        for (int i = n - 2; i >= 0; i--) buf[len++] = digits[i];
    }
    len += snprintf(buf + len, 16, "E%d", adjusted);
    return len;
}

/* java.time.LocalDate.toString */
static int java_date(int32_t days, char *buf)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    if (y < 0) return snprintf(buf, 32, "-%04d-%02d-%02d", (int)-y, m, d);
    if (y > 9999) return snprintf(buf, 32, "+%d-%02d-%02d", (int)y, m, d);
    return snprintf(buf, 32, "%04d-%02d-%02d", (int)y, m, d);
}

/* java.time.LocalTime.toString from nanoseconds of the day */
static int java_time(int64_t nanos, char *buf)
{
    int64_t secs = nanos / 1000000000, frac = nanos % 1000000000;
    int n = snprintf(buf, 32, "%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60));
    if (secs % 60 != 0 || frac != 0) n += snprintf(buf + n, 8, ":%02d", (int)(secs % 60));
    if (frac != 0) {
        if (frac % 1000000 == 0) n += snprintf(buf + n, 16, ".%03d", (int)(frac / 1000000));
        else if (frac % 1000 == 0) n += snprintf(buf + n, 16, ".%06d", (int)(frac / 1000));
        else n += snprintf(buf + n, 16, ".%09d", (int)frac);
    }
    return n;
}

static int java_timestamp(int64_t value, int64_t per_second, bool zone, char *buf)
{
    int64_t per_day = per_second * 86400;
    int64_t days = value / per_day, rem = value % per_day;
    if (rem < 0) {
        rem += per_day;
        days--;
    }
    int n = java_date((int32_t)days, buf);
    buf[n++] = 'T';
    n += java_time(rem * (1000000000 / per_second), buf + n);
    if (zone) buf[n++] = 'Z';
    buf[n] = '\0';
    return n;
}

static int base64(fl_buf *out, const uint8_t *p, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < len) v |= p[i + 2];
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < len ? tab[v >> 6 & 63] : '=',
                     i + 2 < len ? tab[v & 63] : '='};
        if (fl_buf_append(out, q, 4) < 0) return FLOE_ENOMEM;
    }
    return 0;
}

/* ---- human strings ---- */

static int human_value(fl_buf *out, const ice_type *t, const fl_value *v)
{
    char buf[96];
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: return fl_buf_append_str(out, v->v.b ? "true" : "false");
    case ICE_TYPE_INT:
    case ICE_TYPE_LONG: return fl_buf_appendf(out, "%lld", (long long)v->v.i64);
    case ICE_TYPE_FLOAT: ice_java_float_string((float)v->v.f64, buf); break;
    case ICE_TYPE_DOUBLE: ice_java_double_string(v->v.f64, buf); break;
    case ICE_TYPE_DECIMAL:
        java_decimal(t->precision <= 18 ? (fl_int128)v->v.i64 : v->v.i128, t->scale, buf);
        break;
    case ICE_TYPE_DATE: java_date((int32_t)v->v.i64, buf); break;
    case ICE_TYPE_TIME: java_time(v->v.i64 * 1000, buf); break;
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
        java_timestamp(v->v.i64, 1000000, t->id == ICE_TYPE_TIMESTAMPTZ, buf);
        break;
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS:
        java_timestamp(v->v.i64, 1000000000, t->id == ICE_TYPE_TIMESTAMPTZ_NS, buf);
        break;
    case ICE_TYPE_UUID: {
        fl_uuid u;
        if (v->v.s.len != 16) return FLOE_EINVAL;
        memcpy(u.b, v->v.s.ptr, 16);
        fl_uuid_format(&u, buf);
        break;
    }
    case ICE_TYPE_FIXED:
    case ICE_TYPE_BINARY: return base64(out, (const uint8_t *)v->v.s.ptr, v->v.s.len);
    case ICE_TYPE_STRING: return fl_buf_append(out, v->v.s.ptr, v->v.s.len);
    default: return FLOE_EINVAL;
    }
    return fl_buf_append_str(out, buf);
}

int ice_partition_human(fl_buf *out, const ice_transform *t, const ice_type *result_type,
                        const fl_value *value, fl_error *err)
{
    int rc;
    if (value->is_null) {
        rc = fl_buf_append_str(out, "null");
    } else if (t->kind == ICE_TRANSFORM_YEAR) {
        rc = fl_buf_appendf(out, "%04lld", (long long)(1970 + value->v.i64));
    } else if (t->kind == ICE_TRANSFORM_MONTH) {
        int32_t m = (int32_t)value->v.i64;
        int32_t y = (int32_t)ice_floor_div(m, 12);
        rc = fl_buf_appendf(out, "%04d-%02d", (int)(1970 + y), (int)(m - y * 12 + 1));
    } else if (t->kind == ICE_TRANSFORM_DAY) {
        char buf[32];
        java_date((int32_t)value->v.i64, buf);
        rc = fl_buf_append_str(out, buf);
    } else if (t->kind == ICE_TRANSFORM_HOUR) {
        int64_t h = value->v.i64;
        int32_t days = (int32_t)ice_floor_div(h, 24), y;
        int mo, d;
        fl_civil_from_days(days, &y, &mo, &d);
        rc = fl_buf_appendf(out, "%04d-%02d-%02d-%02d", (int)y, mo, d, (int)(h - (int64_t)days * 24));
    } else {
        rc = human_value(out, result_type, value);
        if (rc == FLOE_EINVAL)
            return fl_error_set(err, FLOE_EINVAL, "partition values of type %s have no text form",
                                ice_type_id_name(result_type->id));
    }
    return rc < 0 ? fl_error_set(err, FLOE_ENOMEM, "out of memory") : 0;
}

int ice_url_encode(fl_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int rc;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
            c == '-' || c == '*' || c == '_') {
            rc = fl_buf_append_byte(out, c);
        } else if (c == ' ') {
            rc = fl_buf_append_byte(out, '+');
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = fl_buf_append(out, e, 3);
        }
        if (rc < 0) return FLOE_ENOMEM;
    }
    return 0;
}

int ice_partition_path(fl_buf *out, const ice_partition_spec *spec, const ice_type *partition_type,
                       const fl_value *values, fl_error *err)
{
    fl_buf text;
    fl_buf_init(&text);
    int rc = 0;
    for (size_t i = 0; i < spec->field_count && rc == 0; i++) {
        const ice_partition_field *f = &spec->fields[i];
        fl_buf_reset(&text);
        if ((rc = ice_partition_human(&text, &f->transform, partition_type->fields[i].type,
                                      &values[i], err)) < 0)
            break;
        if ((i > 0 && fl_buf_append_byte(out, '/') < 0) || ice_url_encode(out, f->name, strlen(f->name)) < 0 ||
            fl_buf_append_byte(out, '=') < 0 || ice_url_encode(out, text.data ? text.data : "", text.len) < 0)
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    fl_buf_dispose(&text);
    return rc;
}
