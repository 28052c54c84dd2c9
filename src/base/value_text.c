/*
 * value_text.c: rendering values and column rows as DuckDB-style text or
 * JSON, CSV field quoting, parsing text into values, and the loose
 * comparison used against expected-output files (see value_text.h).
 *
 * Floats: the shortest decimal string that reads back to the same value is
 * found with a binary search over the number of significant digits using
 * the C library's correctly rounded "%.*e" and strtod (round-tripping is
 * monotonic in the digit count, so about four probes are needed). Rendering
 * is not on a hot path; correctness is what matters here. The layout then
 * follows DuckDB (its fmt "{}" behaves as Python's repr): fixed notation with
 * at least one fraction digit when the decimal exponent x is -5 < x < 16,
 * otherwise d[.ddd]e[+-]XX.
 */
#include "value_text.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "time.h"

fl_text_style fl_text_style_make(fl_text_format format, unsigned flags)
{
    fl_text_style st = {format, flags, NULL};
    return st;
}

/* ---------- floating point ---------- */

/* Shortest significant digits of finite v > 0: digits (no dot, NUL-terminated)
 * and the scientific exponent (v = d.ddd * 10^exp). */
static int shortest_digits(double v, bool as_float, char *digits, int *exp10)
{
    char tmp[40];
    int lo = 1, hi = as_float ? 9 : 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(tmp, sizeof tmp, "%.*e", mid - 1, v);
        bool same = as_float ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v;
        if (same) hi = mid;
        else lo = mid + 1;
    }
    snprintf(tmp, sizeof tmp, "%.*e", lo - 1, v);
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = 0;
    *exp10 = *p == 'e' ? atoi(p + 1) : 0;
    return n;
}

static int format_fp(double v, bool as_float, char *buf)
{
    char *p = buf;
    if (isnan(v)) {
        memcpy(buf, "nan", 4);
        return 3;
    }
    if (signbit(v)) {
        *p++ = '-';
        v = -v;
    }
    if (isinf(v)) {
        memcpy(p, "inf", 4);
        return (int)(p - buf) + 3;
    }
    if (v == 0) {
        memcpy(p, "0.0", 4);
        return (int)(p - buf) + 3;
    }
    char digits[24];
    int x;
    int n = shortest_digits(v, as_float, digits, &x);
    if (x > -5 && x < 16) {
        if (x >= 0) {
            for (int i = 0; i <= x; i++) *p++ = i < n ? digits[i] : '0';
            *p++ = '.';
            if (n > x + 1) {
                memcpy(p, digits + x + 1, (size_t)(n - x - 1));
                p += n - x - 1;
            } else {
                *p++ = '0';
            }
        } else {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -x - 1; i++) *p++ = '0';
            memcpy(p, digits, (size_t)n);
            p += n;
        }
    } else {
        *p++ = digits[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, (size_t)(n - 1));
            p += n - 1;
        }
        p += sprintf(p, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    }
    *p = 0;
    return (int)(p - buf);
}

int fl_format_double(double v, char *buf) { return format_fp(v, false, buf); }
int fl_format_float(float v, char *buf) { return format_fp((double)v, true, buf); }

/* ---------- pieces ---------- */

static const char hex_upper[] = "0123456789ABCDEF";
static const char hex_lower[] = "0123456789abcdef";

static int append_i64(fl_buf *out, int64_t v)
{
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0) *--p = '-';
    return fl_buf_append(out, p, (size_t)(e - p));
}

static int append_u64(fl_buf *out, uint64_t m)
{
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    do {
        *--p = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    return fl_buf_append(out, p, (size_t)(e - p));
}

/* DuckDB's date text: 2024-01-31, years <= 0 as "0001-01-01 (BC)". */
static int duck_date(int32_t days, char *buf)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    bool bc = y <= 0;
    int64_t ay = bc ? 1 - (int64_t)y : y;
    int n = snprintf(buf, 48, "%04lld-%02d-%02d%s", (long long)ay, m, d, bc ? " (BC)" : "");
    return n;
}

/* "HH:MM:SS[.fraction]" of nanoseconds within a day. */
static int duck_time_ns(int64_t nanos_of_day, bool nanos, char *buf)
{
    if (!nanos) return fl_time_format(nanos_of_day / 1000, buf);
    char tmp[64];
    int n = fl_timestamp_ns_format(nanos_of_day, FL_TZ_NONE, tmp);   /* "1970-01-01 " + time */
    memcpy(buf, tmp + 11, (size_t)(n - 11) + 1);
    return n - 11;
}

static int duck_timestamp(int64_t v, bool nanos, bool tz, char *buf)
{
    int64_t per_day = nanos ? FL_MICROS_PER_DAY * 1000 : FL_MICROS_PER_DAY;
    int64_t days = v / per_day, tod = v % per_day;
    if (tod < 0) {
        tod += per_day;
        days--;
    }
    int n = duck_date((int32_t)days, buf);
    buf[n++] = ' ';
    n += duck_time_ns(nanos ? tod : tod * 1000, nanos, buf + n);
    if (tz) {
        memcpy(buf + n, "+00", 4);
        n += 3;
    }
    return n;
}

static int append_blob_escaped(fl_buf *out, fl_strv s)
{
    char *dst = fl_buf_extend(out, (size_t)s.len * 4);
    if (!dst) return FLOE_ENOMEM;
    char *p = dst;
    for (uint32_t i = 0; i < s.len; i++) {
        uint8_t c = (uint8_t)s.ptr[i];
        if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
            *p++ = (char)c;
        } else {
            *p++ = '\\';
            *p++ = 'x';
            *p++ = hex_upper[c >> 4];
            *p++ = hex_upper[c & 15];
        }
    }
    out->len -= (size_t)(dst + (size_t)s.len * 4 - p);
    out->data[out->len] = 0;
    return 0;
}

static int append_hex(fl_buf *out, fl_strv s)
{
    char *dst = fl_buf_extend(out, (size_t)s.len * 2);
    if (!dst) return FLOE_ENOMEM;
    for (uint32_t i = 0; i < s.len; i++) {
        uint8_t c = (uint8_t)s.ptr[i];
        dst[2 * i] = hex_upper[c >> 4];
        dst[2 * i + 1] = hex_upper[c & 15];
    }
    return 0;
}

static int uuid_text(fl_strv s, char *buf)
{
    int n = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) buf[n++] = '-';
        uint8_t c = (uint8_t)s.ptr[i];
        buf[n++] = hex_lower[c >> 4];
        buf[n++] = hex_lower[c & 15];
    }
    buf[n] = 0;
    return n;
}

static int append_json_string(fl_buf *out, const char *s, size_t len)
{
    int rc;
    if ((rc = fl_buf_append_byte(out, '"')) < 0) return rc;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        if ((rc = fl_buf_append(out, s + run, i - run)) < 0) return rc;
        run = i + 1;
        char esc[8];
        int n;
        switch (c) {
        case '"': n = 2, esc[0] = '\\', esc[1] = '"'; break;
        case '\\': n = 2, esc[0] = '\\', esc[1] = '\\'; break;
        case '\n': n = 2, esc[0] = '\\', esc[1] = 'n'; break;
        case '\r': n = 2, esc[0] = '\\', esc[1] = 'r'; break;
        case '\t': n = 2, esc[0] = '\\', esc[1] = 't'; break;
        case '\b': n = 2, esc[0] = '\\', esc[1] = 'b'; break;
        case '\f': n = 2, esc[0] = '\\', esc[1] = 'f'; break;
        default:
            n = 6;
            memcpy(esc, "\\u00", 4);
            esc[4] = hex_lower[c >> 4];
            esc[5] = hex_lower[c & 15];
            break;
        }
        if ((rc = fl_buf_append(out, esc, (size_t)n)) < 0) return rc;
    }
    if ((rc = fl_buf_append(out, s + run, len - run)) < 0) return rc;
    return fl_buf_append_byte(out, '"');
}

static inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* DuckDB >= 1.2: does a string inside a nested value need quotes? */
static bool nested_needs_quotes(fl_strv s)
{
    if (s.len == 0) return true;
    if (is_space(s.ptr[0]) || is_space(s.ptr[s.len - 1])) return true;
    if (s.len == 4 && fl_strv_ieq(s, fl_strv_make("null", 4))) return true;
    for (uint32_t i = 0; i < s.len; i++) {
        switch (s.ptr[i]) {
        case '"': case '\'': case '(': case ')': case ',': case ':': case '=':
        case '[': case ']': case '{': case '}': case '\\':
            return true;
        default: break;
        }
    }
    return false;
}

/* '...' with ' and \ escaped by a backslash */
static int append_single_quoted(fl_buf *out, fl_strv s)
{
    int rc;
    if ((rc = fl_buf_append_byte(out, '\'')) < 0) return rc;
    size_t run = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] != '\'' && s.ptr[i] != '\\') continue;
        if ((rc = fl_buf_append(out, s.ptr + run, i - run)) < 0) return rc;
        if ((rc = fl_buf_append_byte(out, '\\')) < 0) return rc;
        run = i;
    }
    if ((rc = fl_buf_append(out, s.ptr + run, s.len - run)) < 0) return rc;
    return fl_buf_append_byte(out, '\'');
}

/* ---------- scalars ---------- */

static int render_text_scalar(fl_buf *out, const fl_value *v, const fl_text_style *st, bool nested)
{
    char buf[96];
    int n;
    switch ((fl_type_id)v->type.id) {
    case FL_TYPE_BOOL:
        if (!nested && (st->flags & FL_TEXT_BOOL_CAPITALIZED))
            return fl_buf_append_str(out, v->v.b ? "True" : "False");
        return fl_buf_append_str(out, v->v.b ? "true" : "false");
    case FL_TYPE_INT8:
    case FL_TYPE_INT16:
    case FL_TYPE_INT32:
    case FL_TYPE_INT64: return append_i64(out, v->v.i64);
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64: return append_u64(out, v->v.u64);
    case FL_TYPE_FLOAT:
        n = (st->flags & FL_TEXT_FLOAT_AS_DOUBLE) ? fl_format_double(v->v.f64, buf)
                                                 : fl_format_float((float)v->v.f64, buf);
        return fl_buf_append(out, buf, (size_t)n);
    case FL_TYPE_DOUBLE: n = fl_format_double(v->v.f64, buf); return fl_buf_append(out, buf, (size_t)n);
    case FL_TYPE_DECIMAL:
        n = fl_decimal_format(fl_decimal_is_wide(v->type) ? v->v.i128 : (fl_int128)v->v.i64,
                              v->type.scale, buf);
        return fl_buf_append(out, buf, (size_t)n);
    case FL_TYPE_DATE: n = duck_date((int32_t)v->v.i64, buf); return fl_buf_append(out, buf, (size_t)n);
    case FL_TYPE_TIME: n = fl_time_format(v->v.i64, buf); return fl_buf_append(out, buf, (size_t)n);
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: {
        bool ns = v->type.id == FL_TYPE_TIMESTAMP_NS || v->type.id == FL_TYPE_TIMESTAMPTZ_NS;
        bool tz = v->type.id == FL_TYPE_TIMESTAMPTZ || v->type.id == FL_TYPE_TIMESTAMPTZ_NS;
        n = duck_timestamp(v->v.i64, ns, tz, buf);
        return fl_buf_append(out, buf, (size_t)n);
    }
    case FL_TYPE_STRING:
        if (nested && !(st->flags & FL_TEXT_NESTED_RAW_STRINGS) && nested_needs_quotes(v->v.s))
            return append_single_quoted(out, v->v.s);
        return fl_buf_append(out, v->v.s.ptr, v->v.s.len);
    case FL_TYPE_UUID:
        if (v->v.s.len == 16) {
            n = uuid_text(v->v.s, buf);
            return fl_buf_append(out, buf, (size_t)n);
        }
        return append_blob_escaped(out, v->v.s);
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED: return append_blob_escaped(out, v->v.s);
    default: return fl_buf_append_str(out, "NULL");
    }
}

static int render_json_scalar(fl_buf *out, const fl_value *v, const fl_text_style *st)
{
    switch ((fl_type_id)v->type.id) {
    case FL_TYPE_BOOL: return fl_buf_append_str(out, v->v.b ? "true" : "false");
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE: {
        double d = v->v.f64;
        if (isnan(d)) return fl_buf_append_str(out, "\"NaN\"");
        if (isinf(d)) return fl_buf_append_str(out, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        fl_text_style text = *st;
        text.format = FL_TEXT_DUCKDB;
        return render_text_scalar(out, v, &text, false);
    }
    case FL_TYPE_DATE:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS:
    case FL_TYPE_UUID: {
        fl_buf tmp;
        fl_buf_init(&tmp);
        int rc = render_text_scalar(&tmp, v, st, false);
        if (rc == 0) rc = append_json_string(out, tmp.data ? tmp.data : "", tmp.len);
        fl_buf_dispose(&tmp);
        return rc;
    }
    case FL_TYPE_STRING: return append_json_string(out, v->v.s.ptr, v->v.s.len);
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED: {
        int rc;
        if ((rc = fl_buf_append_byte(out, '"')) < 0) return rc;
        if ((rc = append_hex(out, v->v.s)) < 0) return rc;
        return fl_buf_append_byte(out, '"');
    }
    case FL_TYPE_INT8:
    case FL_TYPE_INT16:
    case FL_TYPE_INT32:
    case FL_TYPE_INT64:
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64:
    case FL_TYPE_DECIMAL: return render_text_scalar(out, v, st, false);
    default: return fl_buf_append_str(out, "null");
    }
}

static int render_null(fl_buf *out, const fl_text_style *st, bool nested)
{
    if (!nested && st->null_text) return fl_buf_append_str(out, st->null_text);
    return fl_buf_append_str(out, st->format == FL_TEXT_JSON ? "null" : "NULL");
}

static int render_scalar(fl_buf *out, const fl_value *v, const fl_text_style *st, bool nested)
{
    if (v->is_null || v->type.id == FL_TYPE_NULL) return render_null(out, st, nested);
    if (st->format == FL_TEXT_JSON) return render_json_scalar(out, v, st);
    return render_text_scalar(out, v, st, nested);
}

int fl_value_render(fl_buf *out, const fl_value *v, const fl_text_style *style)
{
    return render_scalar(out, v, style, false);
}

/* ---------- columns ---------- */

static int render_row(fl_buf *out, const fl_column *col, size_t row, const fl_text_style *st,
                      bool nested);

/* Map keys in JSON must be strings: the key's text rendering, quoted. */
static int render_json_key(fl_buf *out, const fl_column *keys, size_t row, const fl_text_style *st)
{
    if (keys->type.id == FL_TYPE_STRING && fl_column_is_valid(keys, row)) {
        fl_strv s = ((const fl_strv *)keys->data)[row];
        return append_json_string(out, s.ptr, s.len);
    }
    fl_text_style text = *st;
    text.format = FL_TEXT_DUCKDB;
    text.null_text = NULL;
    fl_buf tmp;
    fl_buf_init(&tmp);
    int rc = render_row(&tmp, keys, row, &text, true);
    if (rc == 0) rc = append_json_string(out, tmp.data ? tmp.data : "", tmp.len);
    fl_buf_dispose(&tmp);
    return rc;
}

static int render_struct(fl_buf *out, const fl_column *col, size_t row, const fl_text_style *st)
{
    bool json = st->format == FL_TEXT_JSON;
    int rc;
    if ((rc = fl_buf_append_byte(out, '{')) < 0) return rc;
    for (uint32_t i = 0; i < col->child_count; i++) {
        const fl_column *child = col->children[i];
        if (i && (rc = fl_buf_append_str(out, json ? "," : ", ")) < 0) return rc;
        fl_strv name = fl_strv_cstr(child->name ? child->name : "");
        if (json) {
            rc = append_json_string(out, name.ptr, name.len);
            if (rc == 0) rc = fl_buf_append_byte(out, ':');
        } else {
            if (st->flags & FL_TEXT_NESTED_RAW_STRINGS) {
                rc = fl_buf_append_byte(out, '\'');
                if (rc == 0) rc = fl_buf_append(out, name.ptr, name.len);
                if (rc == 0) rc = fl_buf_append_byte(out, '\'');
            } else {
                rc = append_single_quoted(out, name);
            }
            if (rc == 0) rc = fl_buf_append_str(out, ": ");
        }
        if (rc < 0) return rc;
        if (row >= child->len) return FLOE_EINTERNAL;
        if ((rc = render_row(out, child, row, st, true)) < 0) return rc;
    }
    return fl_buf_append_byte(out, '}');
}

static int render_list_or_map(fl_buf *out, const fl_column *col, size_t row,
                              const fl_text_style *st)
{
    bool json = st->format == FL_TEXT_JSON, map = col->type.id == FL_TYPE_MAP;
    int64_t begin = col->offsets[row], end = col->offsets[row + 1];
    const fl_column *first = col->child_count > 0 ? col->children[0] : NULL;
    const fl_column *second = map && col->child_count > 1 ? col->children[1] : NULL;
    if (begin < 0 || end < begin || (end > begin && (!first || (size_t)end > first->len)) ||
        (map && end > begin && (!second || (size_t)end > second->len)))
        return FLOE_EINTERNAL;
    int rc;
    if ((rc = fl_buf_append_byte(out, map ? '{' : '[')) < 0) return rc;
    for (int64_t i = begin; i < end; i++) {
        if (i > begin && (rc = fl_buf_append_str(out, json ? "," : ", ")) < 0) return rc;
        if (!map) {
            rc = render_row(out, first, (size_t)i, st, true);
        } else if (json) {
            rc = render_json_key(out, first, (size_t)i, st);
            if (rc == 0) rc = fl_buf_append_byte(out, ':');
            if (rc == 0) rc = render_row(out, second, (size_t)i, st, true);
        } else {
            rc = render_row(out, first, (size_t)i, st, true);
            if (rc == 0) rc = fl_buf_append_byte(out, '=');
            if (rc == 0) rc = render_row(out, second, (size_t)i, st, true);
        }
        if (rc < 0) return rc;
    }
    return fl_buf_append_byte(out, map ? '}' : ']');
}

static int render_row(fl_buf *out, const fl_column *col, size_t row, const fl_text_style *st,
                      bool nested)
{
    if (!fl_column_is_valid(col, row) || col->type.id == FL_TYPE_NULL)
        return render_null(out, st, nested);
    switch ((fl_type_id)col->type.id) {
    case FL_TYPE_STRUCT: return render_struct(out, col, row, st);
    case FL_TYPE_LIST:
    case FL_TYPE_MAP: return render_list_or_map(out, col, row, st);
    default: {
        fl_value v;
        fl_column_get(col, row, &v);
        return render_scalar(out, &v, st, nested);
    }
    }
}

int fl_column_render(fl_buf *out, const fl_column *col, size_t row, const fl_text_style *style)
{
    if (row >= col->len) return FLOE_EINTERNAL;
    return render_row(out, col, row, style, false);
}

/* ---------- CSV ---------- */

int fl_csv_append_field(fl_buf *out, const char *s, size_t len, char delim, char quote,
                        bool quote_empty)
{
    bool need = len == 0 && quote_empty;
    for (size_t i = 0; i < len && !need; i++) {
        char c = s[i];
        need = c == delim || c == quote || c == '\n' || c == '\r';
    }
    if (!need) return fl_buf_append(out, s, len);
    int rc;
    if ((rc = fl_buf_append_byte(out, (uint8_t)quote)) < 0) return rc;
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != quote) continue;
        if ((rc = fl_buf_append(out, s + run, i + 1 - run)) < 0) return rc;   /* through the quote */
        run = i;                                                                 /* repeat it */
    }
    if ((rc = fl_buf_append(out, s + run, len - run)) < 0) return rc;
    return fl_buf_append_byte(out, (uint8_t)quote);
}

/* ---------- parsing text into values ---------- */

static void trim_spaces(const char **s, size_t *len)
{
    const char *p = *s, *e = *s + *len;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
    *s = p;
    *len = (size_t)(e - p);
}

static int syntax_error(fl_error *err, fl_type type, const char *s, size_t len)
{
    char tname[32];
    fl_type_format(type, tname, sizeof tname);
    int shown = len > 64 ? 64 : (int)len;
    return fl_error_set(err, FLOE_EINVAL, "invalid input syntax for type %s: \"%.*s%s\"", tname,
                        shown, s, len > 64 ? "..." : "");
}

static int range_error(fl_error *err, fl_type type, const char *s, size_t len)
{
    char tname[32];
    fl_type_format(type, tname, sizeof tname);
    int shown = len > 64 ? 64 : (int)len;
    return fl_error_set(err, FLOE_ERANGE, "value \"%.*s%s\" is out of range for type %s", shown, s,
                        len > 64 ? "..." : "", tname);
}

/* [+-]digits into a magnitude; false on syntax, *overflow on > UINT64_MAX. */
static bool scan_integer(const char *s, size_t len, bool *neg, uint64_t *mag, bool *overflow)
{
    size_t i = 0;
    *neg = false;
    *overflow = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) *neg = s[i++] == '-';
    if (i == len) return false;
    uint64_t m = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return false;
        if (m > (UINT64_MAX - d) / 10) *overflow = true;
        m = m * 10 + d;
    }
    *mag = m;
    return true;
}

static bool parse_bool(const char *s, size_t len, bool *out)
{
    static const struct { const char *word; bool value; } words[] = {
        {"true", true}, {"t", true}, {"yes", true}, {"y", true}, {"1", true}, {"on", true},
        {"false", false}, {"f", false}, {"no", false}, {"n", false}, {"0", false}, {"off", false},
    };
    fl_strv in = fl_strv_make(s, len);
    for (size_t i = 0; i < FL_ARRAY_SIZE(words); i++) {
        if (fl_strv_ieq(in, fl_strv_cstr(words[i].word))) {
            *out = words[i].value;
            return true;
        }
    }
    return false;
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = (char)(c | 0x20);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static bool parse_uuid(const char *s, size_t len, uint8_t *out16)
{
    if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
    int n = 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) continue;
        int hi = hex_val(s[i]), lo = hex_val(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out16[n++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    return n == 16;
}

static int parse_floating(fl_value *out, fl_type type, const char *s, size_t len, fl_error *err)
{
    char tmp[512];
    if (len == 0 || len >= sizeof tmp) return syntax_error(err, type, s, len);
    for (size_t i = 0; i < len; i++)   /* no hex floats, no embedded NULs */
        if (s[i] == 'x' || s[i] == 'X' || s[i] == 0) return syntax_error(err, type, s, len);
    memcpy(tmp, s, len);
    tmp[len] = 0;
    char *end;
    errno = 0;
    double d = strtod(tmp, &end);
    if (end != tmp + len) return syntax_error(err, type, s, len);
    if (errno == ERANGE && isinf(d)) return range_error(err, type, s, len);
    if (type.id == FL_TYPE_FLOAT && isfinite(d) && fabs(d) > FLT_MAX) {
        /* values that round to FLT_MAX are still in range */
        if (isinf((float)d)) return range_error(err, type, s, len);
    }
    out->v.f64 = type.id == FL_TYPE_FLOAT ? (double)(float)d : d;
    return 0;
}

static int parse_int_typed(fl_value *out, fl_type type, const char *s, size_t len, fl_error *err)
{
    bool neg, overflow;
    uint64_t mag;
    if (!scan_integer(s, len, &neg, &mag, &overflow)) return syntax_error(err, type, s, len);
    bool is_unsigned = type.id >= FL_TYPE_UINT8 && type.id <= FL_TYPE_UINT64;
    static const int bits_of[] = {[FL_TYPE_INT8] = 8,   [FL_TYPE_INT16] = 16,  [FL_TYPE_INT32] = 32,
                                  [FL_TYPE_INT64] = 64, [FL_TYPE_UINT8] = 8,   [FL_TYPE_UINT16] = 16,
                                  [FL_TYPE_UINT32] = 32, [FL_TYPE_UINT64] = 64};
    int bits = bits_of[type.id];
    if (overflow) return range_error(err, type, s, len);
    if (is_unsigned) {
        if (neg && mag != 0) return range_error(err, type, s, len);
        if (bits < 64 && mag > (UINT64_MAX >> (64 - bits))) return range_error(err, type, s, len);
        out->v.u64 = mag;
        return 0;
    }
    uint64_t limit = (uint64_t)1 << (bits - 1);   /* |min| */
    if (mag > (neg ? limit : limit - 1)) return range_error(err, type, s, len);
    out->v.i64 = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return 0;
}

static int parse_temporal(fl_value *out, fl_type type, const char *s, size_t len, fl_error *err)
{
    bool ok, zone;
    switch ((fl_type_id)type.id) {
    case FL_TYPE_DATE: {
        int32_t d;
        ok = fl_date_parse(s, len, &d);
        out->v.i64 = d;
        break;
    }
    case FL_TYPE_TIME: ok = fl_time_parse(s, len, &out->v.i64); break;
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ: ok = fl_timestamp_parse(s, len, &out->v.i64, &zone); break;
    default: ok = fl_timestamp_ns_parse(s, len, &out->v.i64, &zone); break;
    }
    return ok ? 0 : syntax_error(err, type, s, len);
}

int fl_value_parse_text(fl_value *out, fl_type type, const char *s, size_t len, uint8_t *scratch,
                        fl_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    if (!(type.id == FL_TYPE_STRING || type.id == FL_TYPE_BINARY || type.id == FL_TYPE_FIXED))
        trim_spaces(&s, &len);
    switch ((fl_type_id)type.id) {
    case FL_TYPE_BOOL:
        if (!parse_bool(s, len, &out->v.b)) return syntax_error(err, type, s, len);
        return 0;
    case FL_TYPE_INT8:
    case FL_TYPE_INT16:
    case FL_TYPE_INT32:
    case FL_TYPE_INT64:
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64: return parse_int_typed(out, type, s, len, err);
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE: return parse_floating(out, type, s, len, err);
    case FL_TYPE_DECIMAL: {
        fl_int128 v;
        int rc = fl_decimal_parse(s, len, type.precision, type.scale, &v, err);
        if (rc < 0) return rc;
        if (fl_decimal_is_wide(type)) out->v.i128 = v;
        else out->v.i64 = (int64_t)v;
        return 0;
    }
    case FL_TYPE_DATE:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: return parse_temporal(out, type, s, len, err);
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY: out->v.s = fl_strv_make(s, len); return 0;
    case FL_TYPE_FIXED:
        if (len != (size_t)type.fixed_len)
            return fl_error_set(err, FLOE_EINVAL, "value of length %zu does not fit fixed(%d)", len,
                                (int)type.fixed_len);
        out->v.s = fl_strv_make(s, len);
        return 0;
    case FL_TYPE_UUID:
        if (!parse_uuid(s, len, scratch)) return syntax_error(err, type, s, len);
        out->v.s = fl_strv_make((const char *)scratch, 16);
        return 0;
    default: {
        char tname[32];
        fl_type_format(type, tname, sizeof tname);
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot parse text as type %s", tname);
    }
    }
}

/* ---------- loose comparison ---------- */

/* Length of a number at p ([-]digits[.digits][e[+-]digits] or [-]nan/inf), 0 if none. */
static size_t number_len(const char *p, const char *end)
{
    const char *q = p;
    if (q < end && *q == '-') q++;
    if (end - q >= 3 && (!strncmp(q, "nan", 3) || !strncmp(q, "inf", 3))) return (size_t)(q + 3 - p);
    const char *digits = q;
    while (q < end && (unsigned)(*q - '0') < 10) q++;
    if (q < end && *q == '.') {
        q++;
        while (q < end && (unsigned)(*q - '0') < 10) q++;
    }
    if (q == digits || (q == digits + 1 && *digits == '.')) return 0;
    if (q < end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        if (e < end && (*e == '+' || *e == '-')) e++;
        if (e < end && (unsigned)(*e - '0') < 10) {
            while (e < end && (unsigned)(*e - '0') < 10) e++;
            q = e;
        }
    }
    return (size_t)(q - p);
}

static bool word_at(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - p) < n) return false;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != w[i]) return false;
    return true;
}

static double number_value(const char *p, size_t n)
{
    char tmp[128];
    if (n >= sizeof tmp) n = sizeof tmp - 1;
    memcpy(tmp, p, n);
    tmp[n] = 0;
    return strtod(tmp, NULL);
}

bool fl_text_loose_eq(const char *a, size_t alen, const char *b, size_t blen, double float_tol)
{
    const char *pa = a, *ea = a + alen, *pb = b, *eb = b + blen;
    while (pa < ea && pb < eb) {
        /* a number only starts at a token boundary (not inside a word) */
        bool boundary_a = pa == a || !((pa[-1] | 0x20) >= 'a' && (pa[-1] | 0x20) <= 'z');
        bool boundary_b = pb == b || !((pb[-1] | 0x20) >= 'a' && (pb[-1] | 0x20) <= 'z');
        size_t na = boundary_a ? number_len(pa, ea) : 0, nb = boundary_b ? number_len(pb, eb) : 0;
        if (na && nb) {
            double x = number_value(pa, na), y = number_value(pb, nb);
            bool eq = x == y || (isnan(x) && isnan(y)) ||
                      (float_tol > 0 && fabs(x - y) <= float_tol * fmax(fabs(x), fabs(y)));
            if (!eq) return false;
            pa += na;
            pb += nb;
            continue;
        }
        if (word_at(pa, ea, "true") && word_at(pb, eb, "true")) {
            pa += 4;
            pb += 4;
            continue;
        }
        if (word_at(pa, ea, "false") && word_at(pb, eb, "false")) {
            pa += 5;
            pb += 5;
            continue;
        }
        if (*pa != *pb) return false;
        pa++;
        pb++;
    }
    return pa == ea && pb == eb;
}
