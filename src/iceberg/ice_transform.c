/*
 * ice_transform.c: partition transforms and the bucket hash (see
 * ice_transform.h).
 */
#include "ice_transform.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/decimal.h"
#include "../base/murmur3.h"
#include "../base/strutil.h"
#include "../base/time.h"

#define MICROS_PER_HOUR INT64_C(3600000000)

int64_t ice_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

int32_t ice_year_of_days(int32_t days)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    return y - 1970;
}

int32_t ice_month_of_days(int32_t days)
{
    int32_t y;
    int m, d;
    fl_civil_from_days(days, &y, &m, &d);
    return (y - 1970) * 12 + (m - 1);
}

static bool parse_param(const char *s, const char *name, int32_t *out, bool *malformed)
{
    size_t n = strlen(name), len = strlen(s);
    if (len < n + 2 || strncmp(s, name, n) != 0 || s[n] != '[' || s[len - 1] != ']') return false;
    fl_error e;
    fl_strv arg = fl_strv_trim(fl_strv_make(s + n + 1, len - n - 2));
    if (fl_parse_i32(out, arg.ptr, arg.len, &e) < 0) return false;  /* not ours: unknown */
    *malformed = *out <= 0;
    return true;
}

int ice_transform_parse(ice_transform *out, const char *s, fl_arena *arena, fl_error *err)
{
    static const struct { const char *name; ice_transform_kind kind; } simple[] = {
        {"identity", ICE_TRANSFORM_IDENTITY}, {"year", ICE_TRANSFORM_YEAR},
        {"month", ICE_TRANSFORM_MONTH},       {"day", ICE_TRANSFORM_DAY},
        {"hour", ICE_TRANSFORM_HOUR},         {"void", ICE_TRANSFORM_VOID},
        /* aliases Iceberg Java also reads */
        {"years", ICE_TRANSFORM_YEAR},        {"months", ICE_TRANSFORM_MONTH},
        {"days", ICE_TRANSFORM_DAY},          {"hours", ICE_TRANSFORM_HOUR},
        {"alwaysNull", ICE_TRANSFORM_VOID},
    };
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < FL_ARRAY_SIZE(simple); i++) {
        if (strcmp(s, simple[i].name) == 0) {
            out->kind = simple[i].kind;
            return 0;
        }
    }
    bool malformed = false;
    if (parse_param(s, "bucket", &out->param, &malformed)) {
        out->kind = ICE_TRANSFORM_BUCKET;
    } else if (parse_param(s, "truncate", &out->param, &malformed)) {
        out->kind = ICE_TRANSFORM_TRUNCATE;
    } else {
        out->kind = ICE_TRANSFORM_UNKNOWN;
        out->text = fl_arena_strdup(arena, s);
        if (out->text == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        return 0;
    }
    if (malformed)
        return fl_error_set(err, FLOE_ECORRUPT, "invalid transform \"%s\": parameter must be positive", s);
    return 0;
}

int ice_transform_format(const ice_transform *t, char *buf, size_t cap)
{
    switch (t->kind) {
    case ICE_TRANSFORM_IDENTITY: return snprintf(buf, cap, "identity");
    case ICE_TRANSFORM_BUCKET: return snprintf(buf, cap, "bucket[%d]", (int)t->param);
    case ICE_TRANSFORM_TRUNCATE: return snprintf(buf, cap, "truncate[%d]", (int)t->param);
    case ICE_TRANSFORM_YEAR: return snprintf(buf, cap, "year");
    case ICE_TRANSFORM_MONTH: return snprintf(buf, cap, "month");
    case ICE_TRANSFORM_DAY: return snprintf(buf, cap, "day");
    case ICE_TRANSFORM_HOUR: return snprintf(buf, cap, "hour");
    case ICE_TRANSFORM_VOID: return snprintf(buf, cap, "void");
    default: return snprintf(buf, cap, "%s", t->text ? t->text : "unknown");
    }
}

static bool is_timestamp(ice_type_id id)
{
    return id == ICE_TYPE_TIMESTAMP || id == ICE_TYPE_TIMESTAMPTZ || id == ICE_TYPE_TIMESTAMP_NS ||
           id == ICE_TYPE_TIMESTAMPTZ_NS;
}

bool ice_transform_can_apply(const ice_transform *t, const ice_type *source)
{
    ice_type_id id = source->id;
    switch (t->kind) {
    case ICE_TRANSFORM_IDENTITY:
        return ice_type_is_primitive(source) && id != ICE_TYPE_GEOMETRY && id != ICE_TYPE_GEOGRAPHY;
    case ICE_TRANSFORM_BUCKET:
        return id == ICE_TYPE_INT || id == ICE_TYPE_LONG || id == ICE_TYPE_DECIMAL ||
               id == ICE_TYPE_DATE || id == ICE_TYPE_TIME || is_timestamp(id) ||
               id == ICE_TYPE_STRING || id == ICE_TYPE_UUID || id == ICE_TYPE_FIXED ||
               id == ICE_TYPE_BINARY;
    case ICE_TRANSFORM_TRUNCATE:
        return id == ICE_TYPE_INT || id == ICE_TYPE_LONG || id == ICE_TYPE_DECIMAL ||
               id == ICE_TYPE_STRING || id == ICE_TYPE_BINARY;
    case ICE_TRANSFORM_YEAR:
    case ICE_TRANSFORM_MONTH:
    case ICE_TRANSFORM_DAY: return id == ICE_TYPE_DATE || is_timestamp(id);
    case ICE_TRANSFORM_HOUR: return is_timestamp(id);
    case ICE_TRANSFORM_VOID: return true;
    default: return false;
    }
}

bool ice_transform_preserves_order(const ice_transform *t)
{
    return t->kind == ICE_TRANSFORM_IDENTITY || t->kind == ICE_TRANSFORM_TRUNCATE ||
           t->kind == ICE_TRANSFORM_YEAR || t->kind == ICE_TRANSFORM_MONTH ||
           t->kind == ICE_TRANSFORM_DAY || t->kind == ICE_TRANSFORM_HOUR;
}

int ice_transform_result_type(const ice_type **out, const ice_transform *t,
                              const ice_type *source, fl_error *err)
{
    if (t->kind == ICE_TRANSFORM_UNKNOWN) {
        *out = ice_type_primitive(ICE_TYPE_STRING);
        return 0;
    }
    if (!ice_transform_can_apply(t, source)) {
        char tn[64], sn[64];
        ice_transform_format(t, tn, sizeof(tn));
        ice_type_format(source, sn, sizeof(sn));
        return fl_error_set(err, FLOE_EINVAL, "transform %s cannot be applied to type %s", tn, sn);
    }
    switch (t->kind) {
    case ICE_TRANSFORM_BUCKET:
    case ICE_TRANSFORM_YEAR:
    case ICE_TRANSFORM_MONTH:
    case ICE_TRANSFORM_HOUR: *out = ice_type_primitive(ICE_TYPE_INT); return 0;
    case ICE_TRANSFORM_DAY: *out = ice_type_primitive(ICE_TYPE_DATE); return 0;
    default: *out = source; return 0;
    }
}

/* ---- hashing (Appendix B) ---- */

static int32_t hash_bytes(const void *p, size_t len) { return (int32_t)fl_murmur3_32(p, len, 0); }
static int32_t hash_long(int64_t v) { return (int32_t)fl_murmur3_32_i64(v, 0); }

int ice_hash_value(int32_t *out, const ice_type *t, const fl_value *v, fl_error *err)
{
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: *out = hash_long(v->v.b ? 1 : 0); return 0;
    case ICE_TYPE_INT:
    case ICE_TYPE_LONG:
    case ICE_TYPE_DATE:
    case ICE_TYPE_TIME:
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ: *out = hash_long(v->v.i64); return 0;
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS: *out = hash_long(ice_floor_div(v->v.i64, 1000)); return 0;
    case ICE_TYPE_FLOAT:
    case ICE_TYPE_DOUBLE: {
        double d = v->v.f64;
        uint64_t bits;
        if (isnan(d)) bits = UINT64_C(0x7ff8000000000000);
        else {
            if (d == 0.0) d = 0.0;   /* -0 hashes as 0 */
            memcpy(&bits, &d, 8);
        }
        *out = hash_long((int64_t)bits);
        return 0;
    }
    case ICE_TYPE_DECIMAL: {
        uint8_t b[16];
        int n = fl_decimal_to_be_bytes(t->precision <= 18 ? (fl_int128)v->v.i64 : v->v.i128, b);
        *out = hash_bytes(b, (size_t)n);
        return 0;
    }
    case ICE_TYPE_STRING:
    case ICE_TYPE_UUID:
    case ICE_TYPE_FIXED:
    case ICE_TYPE_BINARY: *out = hash_bytes(v->v.s.ptr ? v->v.s.ptr : "", v->v.s.len); return 0;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "type %s has no 32-bit hash",
                            ice_type_id_name(t->id));
    }
}

/* ---- apply ---- */

/* v - (((v % w) + w) % w), wrapping like Java's long arithmetic */
static int64_t truncate_i64(int64_t v, int64_t w)
{
    int64_t rem = ((v % w) + w) % w;
    return (int64_t)((uint64_t)v - (uint64_t)rem);
}

static fl_int128 truncate_i128(fl_int128 v, fl_int128 w)
{
    fl_int128 rem = ((v % w) + w) % w;
    return v - rem;
}

/* Bytes of the first n UTF-8 code points of s. */
static uint32_t utf8_prefix(fl_strv s, int32_t n)
{
    uint32_t i = 0;
    int32_t seen = 0;
    for (; i < s.len; i++) {
        if (((uint8_t)s.ptr[i] & 0xC0) != 0x80) {
            if (seen == n) break;
            seen++;
        }
    }
    return i;
}

static int apply_truncate(fl_value *out, const ice_transform *t, const ice_type *source,
                          const fl_value *in)
{
    switch (source->id) {
    case ICE_TYPE_INT:
        /* 32-bit arithmetic wraps near INT32_MIN exactly as Java's does */
        out->v.i64 = (int32_t)(uint32_t)truncate_i64(in->v.i64, t->param);
        break;
    case ICE_TYPE_LONG: out->v.i64 = truncate_i64(in->v.i64, t->param); break;
    case ICE_TYPE_DECIMAL:
        if (source->precision <= 18) out->v.i64 = (int64_t)truncate_i128(in->v.i64, t->param);
        else out->v.i128 = truncate_i128(in->v.i128, t->param);
        break;
    case ICE_TYPE_STRING: out->v.s = fl_strv_make(in->v.s.ptr, utf8_prefix(in->v.s, t->param)); break;
    default:
        out->v.s = fl_strv_make(in->v.s.ptr, in->v.s.len < (uint32_t)t->param ? in->v.s.len
                                                                             : (uint32_t)t->param);
        break;
    }
    return 0;
}

/* The value as days (dates) or micros (timestamps) for time transforms. */
static void time_parts(const ice_type *source, const fl_value *in, int32_t *days, int64_t *micros)
{
    if (source->id == ICE_TYPE_DATE) {
        *days = (int32_t)in->v.i64;
        *micros = (int64_t)*days * FL_MICROS_PER_DAY;
        return;
    }
    int64_t us = in->v.i64;
    if (source->id == ICE_TYPE_TIMESTAMP_NS || source->id == ICE_TYPE_TIMESTAMPTZ_NS)
        us = ice_floor_div(us, 1000);
    *micros = us;
    *days = (int32_t)ice_floor_div(us, FL_MICROS_PER_DAY);
}

int ice_transform_apply(fl_value *out, const ice_transform *t, const ice_type *source,
                        const fl_value *in, fl_error *err)
{
    const ice_type *rt;
    FL_TRY(ice_transform_result_type(&rt, t, source, err));
    memset(out, 0, sizeof(*out));
    FL_TRY(ice_type_to_fl(&out->type, rt, err));
    if (t->kind == ICE_TRANSFORM_UNKNOWN)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot apply unknown transform \"%s\"", t->text);
    if (in->is_null || t->kind == ICE_TRANSFORM_VOID) {
        out->is_null = true;
        return 0;
    }
    int32_t days, h;
    int64_t micros;
    switch (t->kind) {
    case ICE_TRANSFORM_IDENTITY: out->v = in->v; return 0;
    case ICE_TRANSFORM_BUCKET:
        FL_TRY(ice_hash_value(&h, source, in, err));
        out->v.i64 = ice_bucket_of_hash(h, t->param);
        return 0;
    case ICE_TRANSFORM_TRUNCATE: return apply_truncate(out, t, source, in);
    default: break;
    }
    time_parts(source, in, &days, &micros);
    switch (t->kind) {
    case ICE_TRANSFORM_YEAR: out->v.i64 = ice_year_of_days(days); break;
    case ICE_TRANSFORM_MONTH: out->v.i64 = ice_month_of_days(days); break;
    case ICE_TRANSFORM_DAY: out->v.i64 = days; break;
    default: out->v.i64 = ice_floor_div(micros, MICROS_PER_HOUR); break;
    }
    return 0;
}
