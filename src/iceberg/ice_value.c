/*
 * ice_value.c: Iceberg single-value serializations (JSON and binary, spec
 * Appendix D) and the ISO-8601 renderings they use (see ice_value.h).
 */
#include "ice_value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/decimal.h"
#include "../base/time.h"
#include "../base/uuid.h"
#include "ice_json.h"

static int bad(const ice_type *t, const char *why, fl_error *err)
{
    char name[64];
    ice_type_format(t, name, sizeof(name));
    return fl_error_set(err, FLOE_ECORRUPT, "invalid JSON value for type %s: %s", name, why);
}

int ice_iso_date(int32_t days, char *buf)
{
    int32_t year;
    int month, day;
    fl_civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999)
        return snprintf(buf, 48, "%+05d-%02d-%02d", (int)year, month, day);
    return snprintf(buf, 48, "%04d-%02d-%02d", (int)year, month, day);
}

/* "HH:MM:SS[.f]" with the fraction's trailing zeros dropped. */
static int iso_clock(int64_t units, int64_t per_second, int digits, char *buf)
{
    int64_t secs = units / per_second, frac = units % per_second;
    int n = snprintf(buf, 32, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
                     (int)(secs % 60));
    if (frac != 0) {
        char f[24];
        snprintf(f, sizeof(f), "%0*lld", digits, (long long)frac);
        int len = digits;
        while (len > 0 && f[len - 1] == '0') len--;
        f[len] = '\0';
        n += snprintf(buf + n, 24, ".%s", f);
    }
    return n;
}

int ice_iso_time(int64_t micros, char *buf)
{
    if (micros < 0 || micros >= FL_MICROS_PER_DAY) return snprintf(buf, 48, "%lld", (long long)micros);
    return iso_clock(micros, FL_MICROS_PER_SECOND, 6, buf);
}

int ice_iso_timestamp(int64_t value, int64_t unit_per_second, bool with_zone, char *buf)
{
    int64_t per_day = unit_per_second * 86400;
    int64_t days = value / per_day, rem = value % per_day;
    if (rem < 0) {
        rem += per_day;
        days--;
    }
    int n = ice_iso_date((int32_t)days, buf);
    buf[n++] = 'T';
    n += iso_clock(rem, unit_per_second, unit_per_second == 1000000 ? 6 : 9, buf + n);
    if (with_zone) n += snprintf(buf + n, 8, "+00:00");
    return n;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_hex(fl_value *out, const ice_type *t, const char *s, size_t len,
                     fl_arena *arena, fl_error *err)
{
    if (len % 2) return bad(t, "odd number of hex digits", err);
    uint8_t *b = fl_arena_alloc(arena, len / 2 + 1);
    if (b == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < len; i += 2) {
        int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0) return bad(t, "not a hexadecimal string", err);
        b[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    if (t->id == ICE_TYPE_FIXED && (int64_t)(len / 2) != t->length)
        return bad(t, "wrong number of bytes", err);
    out->v.s = fl_strv_make((const char *)b, len / 2);
    return 0;
}

static int parse_string_value(fl_value *out, const ice_type *t, const char *s, size_t len,
                              fl_arena *arena, fl_error *err)
{
    bool zone = false;
    int64_t x;
    switch (t->id) {
    case ICE_TYPE_DECIMAL: {
        fl_int128 v;
        fl_error e2;
        if (fl_decimal_parse(s, len, t->precision, t->scale, &v, &e2) < 0)
            return bad(t, e2.message, err);
        if (t->precision <= 18) out->v.i64 = (int64_t)v;
        else out->v.i128 = v;
        return 0;
    }
    case ICE_TYPE_DATE: {
        int32_t d;
        if (!fl_date_parse(s, len, &d)) return bad(t, "not an ISO date", err);
        out->v.i64 = d;
        return 0;
    }
    case ICE_TYPE_TIME:
        if (!fl_time_parse(s, len, &x)) return bad(t, "not an ISO time", err);
        out->v.i64 = x;
        return 0;
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
        if (!fl_timestamp_parse(s, len, &x, &zone)) return bad(t, "not an ISO timestamp", err);
        goto zone_check;
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS:
        if (!fl_timestamp_ns_parse(s, len, &x, &zone)) return bad(t, "not an ISO timestamp", err);
    zone_check:
        if (zone != (t->id == ICE_TYPE_TIMESTAMPTZ || t->id == ICE_TYPE_TIMESTAMPTZ_NS))
            return bad(t, zone ? "timestamp must not have a zone offset"
                               : "timestamp must have a zone offset", err);
        out->v.i64 = x;
        return 0;
    case ICE_TYPE_STRING: {
        char *c = fl_arena_strndup(arena, s, len);
        if (c == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        out->v.s = fl_strv_make(c, len);
        return 0;
    }
    case ICE_TYPE_UUID: {
        fl_uuid u;
        fl_error e2;
        if (fl_uuid_parse(&u, s, len, &e2) < 0) return bad(t, "not a UUID", err);
        void *b = fl_arena_memdup(arena, u.b, 16);
        if (b == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        out->v.s = fl_strv_make(b, 16);
        return 0;
    }
    case ICE_TYPE_FIXED:
    case ICE_TYPE_BINARY:
        return parse_hex(out, t, s, len, arena, err);
    default:
        return bad(t, "a string is not valid here", err);
    }
}

static int nested_from_json(const ice_type *t, const json_t *json, fl_arena *arena,
                            fl_error *err)
{
    fl_value scratch;
    if (t->id == ICE_TYPE_STRUCT) {
        if (!json_is_object(json)) return bad(t, "expected an object", err);
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)json, key, val) {
            const ice_field *f = NULL;
            for (size_t i = 0; i < t->field_count; i++) {
                char idbuf[16];
                snprintf(idbuf, sizeof(idbuf), "%d", (int)t->fields[i].id);
                if (strcmp(idbuf, key) == 0) f = &t->fields[i];
            }
            if (f == NULL) return bad(t, "member is not a field id of the struct", err);
            FL_TRY(ice_value_from_json(&scratch, f->type, val, arena, err));
        }
        return 0;
    }
    if (t->id == ICE_TYPE_LIST) {
        if (!json_is_array(json)) return bad(t, "expected an array", err);
        for (size_t i = 0; i < json_array_size(json); i++)
            FL_TRY(ice_value_from_json(&scratch, t->fields[0].type, json_array_get(json, i), arena,
                                       err));
        return 0;
    }
    const json_t *keys = json_is_object(json) ? json_object_get(json, "keys") : NULL;
    const json_t *vals = json_is_object(json) ? json_object_get(json, "values") : NULL;
    if (!json_is_array(keys) || !json_is_array(vals) ||
        json_array_size(keys) != json_array_size(vals))
        return bad(t, "expected {\"keys\": [...], \"values\": [...]} of equal lengths", err);
    for (size_t i = 0; i < json_array_size(keys); i++) {
        FL_TRY(ice_value_from_json(&scratch, t->fields[0].type, json_array_get(keys, i), arena, err));
        FL_TRY(ice_value_from_json(&scratch, t->fields[1].type, json_array_get(vals, i), arena, err));
    }
    return 0;
}

int ice_value_from_json(fl_value *out, const ice_type *t, const json_t *json, fl_arena *arena,
                        fl_error *err)
{
    memset(out, 0, sizeof(*out));
    if (t->id == ICE_TYPE_VARIANT) out->type = fl_type_make(FL_TYPE_BINARY);
    else FL_TRY(ice_type_to_fl(&out->type, t, err));
    if (json == NULL || json_is_null(json)) {
        out->is_null = true;
        return 0;
    }
    switch (t->id) {
    case ICE_TYPE_UNKNOWN:
    case ICE_TYPE_VARIANT:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY:
        return bad(t, "only null is allowed", err);
    case ICE_TYPE_BOOLEAN:
        if (!json_is_boolean(json)) return bad(t, "expected true or false", err);
        out->v.b = json_is_true(json);
        return 0;
    case ICE_TYPE_INT:
    case ICE_TYPE_LONG: {
        int64_t x;
        if (!ice_json_as_i64(json, &x)) return bad(t, "expected an integer", err);
        if (t->id == ICE_TYPE_INT && (x < INT32_MIN || x > INT32_MAX))
            return bad(t, "integer out of range", err);
        out->v.i64 = x;
        return 0;
    }
    case ICE_TYPE_FLOAT:
    case ICE_TYPE_DOUBLE:
        if (!json_is_number(json)) return bad(t, "expected a number", err);
        out->v.f64 = json_number_value(json);
        if (t->id == ICE_TYPE_FLOAT) out->v.f64 = (double)(float)out->v.f64;
        return 0;
    case ICE_TYPE_STRUCT:
    case ICE_TYPE_LIST:
    case ICE_TYPE_MAP:
        return nested_from_json(t, json, arena, err);
    default:
        if (!json_is_string(json)) return bad(t, "expected a string", err);
        return parse_string_value(out, t, json_string_value(json), json_string_length(json), arena,
                                  err);
    }
}

json_t *ice_value_to_json(const fl_value *v, const ice_type *t)
{
    char buf[64];
    if (v->is_null) return json_null();
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: return json_boolean(v->v.b);
    case ICE_TYPE_INT:
    case ICE_TYPE_LONG: return json_integer((json_int_t)v->v.i64);
    case ICE_TYPE_FLOAT:
    case ICE_TYPE_DOUBLE:
        if (!isfinite(v->v.f64)) return json_string(isnan(v->v.f64) ? "NaN" : v->v.f64 > 0 ? "Infinity" : "-Infinity");
        return json_real(v->v.f64);
    case ICE_TYPE_DECIMAL:
        fl_decimal_format(t->precision <= 18 ? (fl_int128)v->v.i64 : v->v.i128, t->scale, buf);
        return json_string(buf);
    case ICE_TYPE_DATE: ice_iso_date((int32_t)v->v.i64, buf); return json_string(buf);
    case ICE_TYPE_TIME: ice_iso_time(v->v.i64, buf); return json_string(buf);
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
        ice_iso_timestamp(v->v.i64, 1000000, t->id == ICE_TYPE_TIMESTAMPTZ, buf);
        return json_string(buf);
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS:
        ice_iso_timestamp(v->v.i64, 1000000000, t->id == ICE_TYPE_TIMESTAMPTZ_NS, buf);
        return json_string(buf);
    case ICE_TYPE_STRING: return json_stringn(v->v.s.ptr ? v->v.s.ptr : "", v->v.s.len);
    case ICE_TYPE_UUID: {
        fl_uuid u;
        char text[FL_UUID_TEXT_LEN + 1];
        if (v->v.s.len != 16) return json_null();
        memcpy(u.b, v->v.s.ptr, 16);
        fl_uuid_format(&u, text);
        return json_string(text);
    }
    case ICE_TYPE_FIXED:
    case ICE_TYPE_BINARY: {
        static const char digits[] = "0123456789abcdef";
        fl_buf b;
        fl_buf_init(&b);
        for (uint32_t i = 0; i < v->v.s.len; i++) {
            uint8_t c = (uint8_t)v->v.s.ptr[i];
            char pair[2] = {digits[c >> 4], digits[c & 15]};
            if (fl_buf_append(&b, pair, 2) < 0) {
                fl_buf_dispose(&b);
                return NULL;
            }
        }
        json_t *j = json_stringn(b.data ? b.data : "", b.len);
        fl_buf_dispose(&b);
        return j;
    }
    default: return json_null();
    }
}

int ice_value_to_bytes(fl_buf *out, const fl_value *v, const ice_type *t, fl_error *err)
{
    uint8_t b[16];
    int rc;
    if (v->is_null) return fl_error_set(err, FLOE_EINVAL, "cannot serialize a null value");
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: rc = fl_buf_append_byte(out, v->v.b ? 1 : 0); break;
    case ICE_TYPE_INT:
    case ICE_TYPE_DATE: rc = fl_buf_append_u32le(out, (uint32_t)(int32_t)v->v.i64); break;
    case ICE_TYPE_LONG:
    case ICE_TYPE_TIME:
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS: rc = fl_buf_append_u64le(out, (uint64_t)v->v.i64); break;
    case ICE_TYPE_FLOAT: {
        float f = (float)v->v.f64;
        uint32_t u;
        memcpy(&u, &f, 4);
        rc = fl_buf_append_u32le(out, u);
        break;
    }
    case ICE_TYPE_DOUBLE: {
        uint64_t u;
        memcpy(&u, &v->v.f64, 8);
        rc = fl_buf_append_u64le(out, u);
        break;
    }
    case ICE_TYPE_DECIMAL: {
        int n = fl_decimal_to_be_bytes(t->precision <= 18 ? (fl_int128)v->v.i64 : v->v.i128, b);
        rc = fl_buf_append(out, b, (size_t)n);
        break;
    }
    case ICE_TYPE_STRING:
    case ICE_TYPE_UUID:
    case ICE_TYPE_FIXED:
    case ICE_TYPE_BINARY:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY: rc = fl_buf_append(out, v->v.s.ptr, v->v.s.len); break;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "type %s has no binary single-value form",
                            ice_type_id_name(t->id));
    }
    return rc < 0 ? fl_error_set(err, FLOE_ENOMEM, "out of memory") : 0;
}

int ice_value_from_bytes(fl_value *out, const ice_type *t, const uint8_t *p, size_t len,
                         fl_error *err)
{
    memset(out, 0, sizeof(*out));
    FL_TRY(ice_type_to_fl(&out->type, t, err));
    size_t want = 0;
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: want = 1; break;
    case ICE_TYPE_INT:
    case ICE_TYPE_DATE:
    case ICE_TYPE_FLOAT: want = 4; break;
    case ICE_TYPE_LONG:
    case ICE_TYPE_DOUBLE: want = len == 4 ? 4 : 8; break;  /* promoted from int / float */
    case ICE_TYPE_TIME:
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS: want = 8; break;
    case ICE_TYPE_UUID: want = 16; break;
    case ICE_TYPE_FIXED: want = (size_t)t->length; break;
    case ICE_TYPE_DECIMAL:
        if (len == 0 || len > 16 || !fl_decimal_from_be_bytes(p, len, &out->v.i128))
            return fl_error_set(err, FLOE_ECORRUPT, "invalid decimal single value of %zu bytes", len);
        if (t->precision <= 18) out->v.i64 = (int64_t)out->v.i128;
        return 0;
    case ICE_TYPE_STRING:
    case ICE_TYPE_BINARY:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY:
        out->v.s = fl_strv_make((const char *)p, len);
        return 0;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "type %s has no binary single-value form",
                            ice_type_id_name(t->id));
    }
    if (len != want)
        return fl_error_set(err, FLOE_ECORRUPT, "%s single value must have %zu bytes, not %zu",
                            ice_type_id_name(t->id), want, len);
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: out->v.b = p[0] != 0; break;
    case ICE_TYPE_INT:
    case ICE_TYPE_DATE: out->v.i64 = (int32_t)fl_load_u32le(p); break;
    case ICE_TYPE_LONG: out->v.i64 = len == 4 ? (int32_t)fl_load_u32le(p) : (int64_t)fl_load_u64le(p); break;
    case ICE_TYPE_FLOAT: {
        uint32_t u = fl_load_u32le(p);
        float f;
        memcpy(&f, &u, 4);
        out->v.f64 = f;
        break;
    }
    case ICE_TYPE_DOUBLE:
        if (len == 4) {
            uint32_t u = fl_load_u32le(p);
            float f;
            memcpy(&f, &u, 4);
            out->v.f64 = f;
        } else {
            uint64_t u = fl_load_u64le(p);
            memcpy(&out->v.f64, &u, 8);
        }
        break;
    case ICE_TYPE_UUID:
    case ICE_TYPE_FIXED: out->v.s = fl_strv_make((const char *)p, len); break;
    default: out->v.i64 = (int64_t)fl_load_u64le(p); break;
    }
    return 0;
}
