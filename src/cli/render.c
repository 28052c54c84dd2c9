/*
 * render.c: CSV fields and JSON values of decoded columns (see render.h).
 *
 * Floats print in the shortest form that reads back to the same value
 * (%.15g, then more digits until strtod/strtof round-trips). Nested values
 * recurse through the column's children and offsets.
 */
#include "render.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/decimal.h"
#include "../base/time.h"

static int append_float(fl_buf *out, double v, bool single)
{
    char text[64];
    if (isnan(v)) return fl_buf_append_str(out, "NaN");
    if (isinf(v)) return fl_buf_append_str(out, v < 0 ? "-Infinity" : "Infinity");
    int digits = single ? 6 : 15, max_digits = single ? 9 : 17;
    for (;; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (digits >= max_digits) break;
        if (single ? strtof(text, NULL) == (float)v : strtod(text, NULL) == v) break;
    }
    return fl_buf_append_str(out, text);
}

static int append_hex(fl_buf *out, const char *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *dst = fl_buf_extend(out, len * 2);
    if (!dst) return FLOE_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        dst[2 * i] = hex[(uint8_t)p[i] >> 4];
        dst[2 * i + 1] = hex[(uint8_t)p[i] & 15];
    }
    return 0;
}

static int append_uuid(fl_buf *out, fl_strv s)
{
    if (s.len != 16) return append_hex(out, s.ptr, s.len);
    int rc = 0;
    static const int groups[] = {4, 2, 2, 2, 6};
    size_t at = 0;
    for (int g = 0; g < 5 && rc == 0; g++) {
        if (g) rc = fl_buf_append_byte(out, '-');
        if (!rc) rc = append_hex(out, s.ptr + at, (size_t)groups[g]);
        at += (size_t)groups[g];
    }
    return rc;
}

int render_scalar_text(fl_buf *out, const fl_value *v)
{
    char text[64];
    fl_int128 wide;
    switch ((fl_type_id)v->type.id) {
    case FL_TYPE_BOOL: return fl_buf_append_str(out, v->v.b ? "true" : "false");
    case FL_TYPE_INT8:
    case FL_TYPE_INT16:
    case FL_TYPE_INT32:
    case FL_TYPE_INT64: return fl_buf_appendf(out, "%" PRId64, v->v.i64);
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64: return fl_buf_appendf(out, "%" PRIu64, v->v.u64);
    case FL_TYPE_FLOAT: return append_float(out, v->v.f64, true);
    case FL_TYPE_DOUBLE: return append_float(out, v->v.f64, false);
    case FL_TYPE_DECIMAL:
        wide = fl_decimal_is_wide(v->type) ? v->v.i128 : (fl_int128)v->v.i64;
        return fl_buf_append(out, text, (size_t)fl_decimal_format(wide, v->type.scale, text));
    case FL_TYPE_DATE:
        return fl_buf_append(out, text, (size_t)fl_date_format((int32_t)v->v.i64, text));
    case FL_TYPE_TIME: return fl_buf_append(out, text, (size_t)fl_time_format(v->v.i64, text));
    case FL_TYPE_TIMESTAMP:
        return fl_buf_append(out, text, (size_t)fl_timestamp_format(v->v.i64, FL_TZ_NONE, text));
    case FL_TYPE_TIMESTAMPTZ:
        return fl_buf_append(out, text, (size_t)fl_timestamp_format(v->v.i64, 0, text));
    case FL_TYPE_TIMESTAMP_NS:
        return fl_buf_append(out, text, (size_t)fl_timestamp_ns_format(v->v.i64, FL_TZ_NONE, text));
    case FL_TYPE_TIMESTAMPTZ_NS:
        return fl_buf_append(out, text, (size_t)fl_timestamp_ns_format(v->v.i64, 0, text));
    case FL_TYPE_STRING: return fl_buf_append(out, v->v.s.ptr, v->v.s.len);
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED: return append_hex(out, v->v.s.ptr, v->v.s.len);
    case FL_TYPE_UUID: return append_uuid(out, v->v.s);
    default: return fl_buf_append_str(out, "NULL");
    }
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq(const uint8_t *p, size_t avail)
{
    uint8_t c = p[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) n = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) n = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) n = 4, cp = c & 0x07;
    else return 0;
    if (n > avail) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

int render_json_string(fl_buf *out, const char *s, size_t len)
{
    const uint8_t *p = (const uint8_t *)s;
    int rc = fl_buf_append_byte(out, '"');
    size_t i = 0;
    while (rc == 0 && i < len) {
        size_t run = i;
        while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
        if (run > i) {
            rc = fl_buf_append(out, p + i, run - i);
            i = run;
            continue;
        }
        uint8_t c = p[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            rc = fl_buf_append(out, esc, 2);
            i++;
        } else if (c < 0x20) {
            if (c == '\n') rc = fl_buf_append_str(out, "\\n");
            else if (c == '\t') rc = fl_buf_append_str(out, "\\t");
            else if (c == '\r') rc = fl_buf_append_str(out, "\\r");
            else rc = fl_buf_appendf(out, "\\u%04x", c);
            i++;
        } else {
            size_t n = utf8_seq(p + i, len - i);
            if (n) {
                rc = fl_buf_append(out, p + i, n);
                i += n;
            } else {
                rc = fl_buf_append_str(out, "\\ufffd");
                i++;
            }
        }
    }
    return rc ? rc : fl_buf_append_byte(out, '"');
}

static int json_scalar(fl_buf *out, const fl_value *v)
{
    switch ((fl_type_id)v->type.id) {
    case FL_TYPE_BOOL:
    case FL_TYPE_INT8:
    case FL_TYPE_INT16:
    case FL_TYPE_INT32:
    case FL_TYPE_INT64:
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64:
    case FL_TYPE_DECIMAL: return render_scalar_text(out, v);
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE:
        if (isfinite(v->v.f64)) return render_scalar_text(out, v);
        break;
    case FL_TYPE_STRING: return render_json_string(out, v->v.s.ptr, v->v.s.len);
    default: break;
    }
    fl_buf text;
    fl_buf_init(&text);
    int rc = render_scalar_text(&text, v);
    if (rc == 0) rc = render_json_string(out, text.data ? text.data : "", text.len);
    fl_buf_dispose(&text);
    return rc;
}

int render_json_value(fl_buf *out, const fl_column *col, size_t row)
{
    if (!fl_column_is_valid(col, row) || col->type.id == FL_TYPE_NULL)
        return fl_buf_append_str(out, "null");
    int rc = 0;
    switch ((fl_type_id)col->type.id) {
    case FL_TYPE_STRUCT:
        rc = fl_buf_append_byte(out, '{');
        for (uint32_t i = 0; rc == 0 && i < col->child_count; i++) {
            const fl_column *child = col->children[i];
            const char *name = child->name ? child->name : "";
            if (i) rc = fl_buf_append_byte(out, ',');
            if (!rc) rc = render_json_string(out, name, strlen(name));
            if (!rc) rc = fl_buf_append_byte(out, ':');
            if (!rc) rc = render_json_value(out, child, row);
        }
        return rc ? rc : fl_buf_append_byte(out, '}');
    case FL_TYPE_LIST:
        rc = fl_buf_append_byte(out, '[');
        for (int64_t i = col->offsets[row]; rc == 0 && i < col->offsets[row + 1]; i++) {
            if (i > col->offsets[row]) rc = fl_buf_append_byte(out, ',');
            if (!rc) rc = render_json_value(out, col->children[0], (size_t)i);
        }
        return rc ? rc : fl_buf_append_byte(out, ']');
    case FL_TYPE_MAP:
        rc = fl_buf_append_byte(out, '[');
        for (int64_t i = col->offsets[row]; rc == 0 && i < col->offsets[row + 1]; i++) {
            if (i > col->offsets[row]) rc = fl_buf_append_byte(out, ',');
            if (!rc) rc = fl_buf_append_str(out, "{\"key\":");
            if (!rc) rc = render_json_value(out, col->children[0], (size_t)i);
            if (!rc) rc = fl_buf_append_str(out, ",\"value\":");
            if (!rc) rc = render_json_value(out, col->children[1], (size_t)i);
            if (!rc) rc = fl_buf_append_byte(out, '}');
        }
        return rc ? rc : fl_buf_append_byte(out, ']');
    default: {
        fl_value v;
        fl_column_get(col, row, &v);
        return json_scalar(out, &v);
    }
    }
}

static int append_csv_quoted(fl_buf *out, const char *p, size_t len, char delimiter)
{
    bool quote = len == 0;
    for (size_t i = 0; i < len && !quote; i++)
        quote = p[i] == delimiter || p[i] == '"' || p[i] == '\n' || p[i] == '\r';
    if (!quote) return fl_buf_append(out, p, len);
    int rc = fl_buf_append_byte(out, '"');
    for (size_t i = 0; rc == 0 && i < len; i++) {
        rc = fl_buf_append_byte(out, (uint8_t)p[i]);
        if (rc == 0 && p[i] == '"') rc = fl_buf_append_byte(out, '"');
    }
    return rc ? rc : fl_buf_append_byte(out, '"');
}

int render_csv_field(fl_buf *out, const fl_column *col, size_t row, char delimiter)
{
    if (!fl_column_is_valid(col, row) || col->type.id == FL_TYPE_NULL) return 0;
    fl_buf text;
    fl_buf_init(&text);
    int rc;
    if (fl_type_is_nested(col->type)) {
        rc = render_json_value(&text, col, row);
    } else {
        fl_value v;
        fl_column_get(col, row, &v);
        if (v.type.id == FL_TYPE_STRING) {
            fl_buf_dispose(&text);
            return append_csv_quoted(out, v.v.s.ptr, v.v.s.len, delimiter);
        }
        rc = render_scalar_text(&text, &v);
    }
    if (rc == 0) rc = append_csv_quoted(out, text.data ? text.data : "", text.len, delimiter);
    fl_buf_dispose(&text);
    return rc;
}
