/*
 * func_cast.c: CAST and TRY_CAST between scalar types (fn_cast on vectors,
 * fn_cast_value on single values for constant folding, fn_cast_allowed for
 * the binder).
 *
 * Numbers: integers, booleans and decimals travel as int128 (loaded in
 * blocks, one switch per block, not per row) and are stored with a range
 * check; decimal rescaling rounds half up (away from zero), as Trino.
 * Floating point to integer rounds half away from zero and rejects NaN and
 * infinities; floating point to decimal goes through the shortest
 * round-trip text (Trino's BigDecimal.valueOf), so 0.15 -> decimal(2,1) is
 * 0.2. Text: every type renders through src/base/value_text.h (DuckDB's
 * layout) and parses through fl_value_parse_text; dates, times and
 * timestamps convert among themselves (timestamps are UTC).
 * Errors name the value: `cannot cast 'abc' to integer` (22018) and
 * `cannot cast 300 to tinyint: out of range` (22003); with try_cast the
 * row becomes NULL instead.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/decimal.h"
#include "../base/time.h"
#include "../base/value_text.h"
#include "func_internal.h"

#define CAST_BLOCK 256

typedef struct cast_state {
    const fl_column *in;
    fl_column *out;
    bool try_cast;
    fl_arena *arena;
    fl_error *err;
} cast_state;

static bool is_text(uint8_t id) { return id == FL_TYPE_STRING; }
static bool is_float(uint8_t id) { return id == FL_TYPE_FLOAT || id == FL_TYPE_DOUBLE; }

bool fn_cast_allowed(fl_type from, fl_type to)
{
    if (fl_type_is_nested(from) || fl_type_is_nested(to)) return fl_type_eq(from, to);
    if (to.id == FL_TYPE_NULL || to.id == FL_TYPE_INVALID || from.id == FL_TYPE_INVALID) return false;
    if (fl_type_eq(from, to) || from.id == FL_TYPE_NULL) return true;
    if (is_text(from.id) || is_text(to.id)) return true;
    bool fn_ = fn_is_numeric(from.id) || from.id == FL_TYPE_BOOL;
    bool tn = fn_is_numeric(to.id) || to.id == FL_TYPE_BOOL;
    if (fn_ && tn) return true;
    int tf = from.id == FL_TYPE_DATE || fn_is_timestamp(from.id);
    int tt = to.id == FL_TYPE_DATE || fn_is_timestamp(to.id);
    if (tf && tt) return true;
    if (fn_is_timestamp(from.id) && to.id == FL_TYPE_TIME) return true;
    bool fb = from.id == FL_TYPE_BINARY || from.id == FL_TYPE_FIXED || from.id == FL_TYPE_UUID;
    bool tb = to.id == FL_TYPE_BINARY || to.id == FL_TYPE_FIXED || to.id == FL_TYPE_UUID;
    if (fb && to.id == FL_TYPE_BINARY) return true;
    return fb && tb && from.id == FL_TYPE_BINARY;
}

/* ---------------------------------------------------------------- failures */

static const char *type_name(fl_type t, char *buf, size_t cap)
{
    fn_type_sql_name(t, buf, cap);
    return buf;
}

/* Row i could not be cast: NULL under try_cast (or when already NULL), else
 * the error (code FLOE_EINVAL -> 22018, FLOE_ERANGE -> 22003). */
static int cast_fail(cast_state *cs, size_t i, int code)
{
    if (!fl_column_is_valid(cs->out, i)) return 0;
    if (cs->try_cast) return fl_column_set_null(cs->out, i);
    fl_value v;
    fl_column_get(cs->in, i, &v);
    char text[96], tn[48];
    fn_value_text(&v, text, sizeof text);
    type_name(cs->out->type, tn, sizeof tn);
    if (code == FLOE_ERANGE)
        return fl_error_set_sqlstate(cs->err, FLOE_ERANGE, "22003",
                                     "cannot cast %s%s%s to %s: out of range",
                                     is_text(v.type.id) ? "'" : "", text,
                                     is_text(v.type.id) ? "'" : "", tn);
    return fl_error_set_sqlstate(cs->err, FLOE_EINVAL, "22018", "cannot cast %s%s%s to %s",
                                 is_text(v.type.id) ? "'" : "", text,
                                 is_text(v.type.id) ? "'" : "", tn);
}

/* ---------------------------------------------------------------- integer-like paths */

/* Stores int128 values (at scale `from_scale`) into out, converting to out's
 * integer, boolean or decimal type with range checks. */
static int store_exact(cast_state *cs, size_t start, size_t cnt, fl_int128 *v, int from_scale)
{
    fl_column *out = cs->out;
    fl_type t = out->type;
    if (t.id == FL_TYPE_DECIMAL) {
        for (size_t j = 0; j < cnt; j++) {
            fl_int128 r;
            if (fl_decimal_rescale(v[j], from_scale, t.scale, t.precision, &r) < 0) {
                FL_TRY(cast_fail(cs, start + j, FLOE_ERANGE));
                r = 0;
            }
            v[j] = r;
        }
        if (fl_decimal_is_wide(t)) {
            memcpy((fl_int128 *)out->data + start, v, cnt * sizeof *v);
        } else {
            int64_t *p = (int64_t *)out->data + start;
            for (size_t j = 0; j < cnt; j++) p[j] = (int64_t)v[j];
        }
        return 0;
    }
    if (t.id == FL_TYPE_BOOL) {
        uint8_t *p = (uint8_t *)out->data + start;
        for (size_t j = 0; j < cnt; j++) p[j] = v[j] != 0;
        return 0;
    }
    if (from_scale > 0) {
        for (size_t j = 0; j < cnt; j++) {
            fl_int128 r;
            fl_decimal_rescale(v[j], from_scale, 0, 38, &r);
            v[j] = r;
        }
    }
    fl_int128 lo, hi;
    switch ((fl_type_id)t.id) {
    case FL_TYPE_INT8: lo = INT8_MIN; hi = INT8_MAX; break;
    case FL_TYPE_INT16: lo = INT16_MIN; hi = INT16_MAX; break;
    case FL_TYPE_INT32: lo = INT32_MIN; hi = INT32_MAX; break;
    case FL_TYPE_INT64: lo = INT64_MIN; hi = INT64_MAX; break;
    case FL_TYPE_UINT8: lo = 0; hi = UINT8_MAX; break;
    case FL_TYPE_UINT16: lo = 0; hi = UINT16_MAX; break;
    case FL_TYPE_UINT32: lo = 0; hi = UINT32_MAX; break;
    case FL_TYPE_UINT64: lo = 0; hi = UINT64_MAX; break;
    default: return fl_error_set(cs->err, FLOE_EINTERNAL, "cast: unexpected integer target");
    }
    for (size_t j = 0; j < cnt; j++) {
        if (FL_UNLIKELY(v[j] < lo || v[j] > hi)) {
            FL_TRY(cast_fail(cs, start + j, FLOE_ERANGE));
            v[j] = 0;
        }
    }
    void *d = out->data;
    switch ((fl_type_id)t.id) {
    case FL_TYPE_INT8: for (size_t j = 0; j < cnt; j++) ((int8_t *)d)[start + j] = (int8_t)v[j]; break;
    case FL_TYPE_INT16: for (size_t j = 0; j < cnt; j++) ((int16_t *)d)[start + j] = (int16_t)v[j]; break;
    case FL_TYPE_INT32: for (size_t j = 0; j < cnt; j++) ((int32_t *)d)[start + j] = (int32_t)v[j]; break;
    case FL_TYPE_INT64: for (size_t j = 0; j < cnt; j++) ((int64_t *)d)[start + j] = (int64_t)v[j]; break;
    case FL_TYPE_UINT8: for (size_t j = 0; j < cnt; j++) ((uint8_t *)d)[start + j] = (uint8_t)v[j]; break;
    case FL_TYPE_UINT16: for (size_t j = 0; j < cnt; j++) ((uint16_t *)d)[start + j] = (uint16_t)v[j]; break;
    case FL_TYPE_UINT32: for (size_t j = 0; j < cnt; j++) ((uint32_t *)d)[start + j] = (uint32_t)v[j]; break;
    case FL_TYPE_UINT64: for (size_t j = 0; j < cnt; j++) ((uint64_t *)d)[start + j] = (uint64_t)v[j]; break;
    default: break;
    }
    return 0;
}

/* Lossless widenings the binder inserts for coercions (integer -> bigint,
 * integer -> decimal(10,0), decimal(7,2) -> decimal(12,2)): one loop, no
 * checks. Returns false when the pair is not such a widening. */
#define WIDEN_LOOP(TF, TT, MUL)                                                    \
    do {                                                                           \
        const TF *restrict src_ = cs->in->data;                                    \
        TT *restrict dst_ = cs->out->data;                                         \
        for (size_t i = 0; i < n; i++) dst_[i] = (TT)src_[i] * (MUL);              \
    } while (0)

static bool cast_widen(cast_state *cs, size_t n)
{
    fl_type f = cs->in->type, t = cs->out->type;
    if (!fn_can_coerce(f, t)) return false;
    bool to_wide_dec = t.id == FL_TYPE_DECIMAL && fl_decimal_is_wide(t);
    int64_t mul = 1;
    if (t.id == FL_TYPE_DECIMAL) mul = (int64_t)fl_pow10_i128(t.scale - (f.id == FL_TYPE_DECIMAL ? f.scale : 0));
    if (t.id != FL_TYPE_DECIMAL && t.id != FL_TYPE_INT64 && t.id != FL_TYPE_INT32) return false;
    if (t.id == FL_TYPE_DECIMAL && (t.scale - (f.id == FL_TYPE_DECIMAL ? f.scale : 0)) > 18) return false;
    switch ((fl_type_id)f.id) {
    case FL_TYPE_INT8:
        if (t.id == FL_TYPE_INT32) WIDEN_LOOP(int8_t, int32_t, 1);
        else if (to_wide_dec) WIDEN_LOOP(int8_t, fl_int128, mul);
        else WIDEN_LOOP(int8_t, int64_t, mul);
        return true;
    case FL_TYPE_INT16:
        if (t.id == FL_TYPE_INT32) WIDEN_LOOP(int16_t, int32_t, 1);
        else if (to_wide_dec) WIDEN_LOOP(int16_t, fl_int128, mul);
        else WIDEN_LOOP(int16_t, int64_t, mul);
        return true;
    case FL_TYPE_INT32:
        if (t.id == FL_TYPE_INT32) return false;
        if (to_wide_dec) WIDEN_LOOP(int32_t, fl_int128, mul);
        else WIDEN_LOOP(int32_t, int64_t, mul);
        return true;
    case FL_TYPE_INT64:
        if (t.id != FL_TYPE_DECIMAL) return false;
        if (to_wide_dec) WIDEN_LOOP(int64_t, fl_int128, mul);
        else WIDEN_LOOP(int64_t, int64_t, mul);
        return true;
    case FL_TYPE_DECIMAL:
        /* unsigned products: NULL rows' slots may hold anything, and wrapping
         * them is harmless where signed overflow would be undefined */
        if (fl_decimal_is_wide(f)) {
            if (!to_wide_dec) return false;
            const fl_int128 *restrict src = cs->in->data;
            fl_int128 *restrict dst = cs->out->data;
            for (size_t i = 0; i < n; i++) dst[i] = (fl_int128)((fn_u128)src[i] * (fn_u128)mul);
        } else if (to_wide_dec) {
            WIDEN_LOOP(int64_t, fl_int128, mul);
        } else {
            const int64_t *restrict src = cs->in->data;
            int64_t *restrict dst = cs->out->data;
            for (size_t i = 0; i < n; i++) dst[i] = (int64_t)((uint64_t)src[i] * (uint64_t)mul);
        }
        return true;
    default:
        return false;
    }
}

static int cast_exact(cast_state *cs, size_t n)
{
    if (cast_widen(cs, n)) return 0;
    fl_int128 buf[CAST_BLOCK];
    ex_vector v = {.kind = EX_VECTOR_FLAT, .col = (fl_column *)cs->in};
    int from_scale = cs->in->type.id == FL_TYPE_DECIMAL ? cs->in->type.scale : 0;
    for (size_t start = 0; start < n; start += CAST_BLOCK) {
        size_t cnt = n - start < CAST_BLOCK ? n - start : CAST_BLOCK;
        fn_load_i128(&v, start, cnt, buf);
        FL_TRY(store_exact(cs, start, cnt, buf, from_scale));
    }
    return 0;
}

/* ---------------------------------------------------------------- floating point paths */

static void load_f64(const fl_column *c, size_t start, size_t cnt, double *dst)
{
    const void *d = c->data;
    switch ((fl_type_id)c->type.id) {
    case FL_TYPE_FLOAT: for (size_t j = 0; j < cnt; j++) dst[j] = ((const float *)d)[start + j]; break;
    case FL_TYPE_DOUBLE: memcpy(dst, (const double *)d + start, cnt * sizeof *dst); break;
    case FL_TYPE_BOOL:
    case FL_TYPE_UINT8: for (size_t j = 0; j < cnt; j++) dst[j] = ((const uint8_t *)d)[start + j]; break;
    case FL_TYPE_INT8: for (size_t j = 0; j < cnt; j++) dst[j] = ((const int8_t *)d)[start + j]; break;
    case FL_TYPE_INT16: for (size_t j = 0; j < cnt; j++) dst[j] = ((const int16_t *)d)[start + j]; break;
    case FL_TYPE_INT32: for (size_t j = 0; j < cnt; j++) dst[j] = ((const int32_t *)d)[start + j]; break;
    case FL_TYPE_INT64: for (size_t j = 0; j < cnt; j++) dst[j] = (double)((const int64_t *)d)[start + j]; break;
    case FL_TYPE_UINT16: for (size_t j = 0; j < cnt; j++) dst[j] = ((const uint16_t *)d)[start + j]; break;
    case FL_TYPE_UINT32: for (size_t j = 0; j < cnt; j++) dst[j] = ((const uint32_t *)d)[start + j]; break;
    case FL_TYPE_UINT64: for (size_t j = 0; j < cnt; j++) dst[j] = (double)((const uint64_t *)d)[start + j]; break;
    case FL_TYPE_DECIMAL:
        for (size_t j = 0; j < cnt; j++)
            dst[j] = fl_decimal_to_double(fn_dec_get(c, start + j), c->type.scale);
        break;
    default: memset(dst, 0, cnt * sizeof *dst); break;
    }
}

/* double -> decimal through the shortest round-trip text, as Trino does. */
static int double_to_decimal(cast_state *cs, size_t i, double d)
{
    fl_type t = cs->out->type;
    if (!isfinite(d)) return cast_fail(cs, i, FLOE_EINVAL);
    char text[40];
    int len = fl_format_double(d, text);
    fl_int128 r;
    if (fl_decimal_parse(text, (size_t)len, t.precision, t.scale, &r, NULL) < 0)
        return cast_fail(cs, i, FLOE_ERANGE);
    fn_dec_put(cs->out, i, r);
    return 0;
}

static int cast_float(cast_state *cs, size_t n)
{
    double buf[CAST_BLOCK];
    fl_type t = cs->out->type;
    for (size_t start = 0; start < n; start += CAST_BLOCK) {
        size_t cnt = n - start < CAST_BLOCK ? n - start : CAST_BLOCK;
        load_f64(cs->in, start, cnt, buf);
        if (t.id == FL_TYPE_DOUBLE) {
            memcpy((double *)cs->out->data + start, buf, cnt * sizeof *buf);
        } else if (t.id == FL_TYPE_FLOAT) {
            float *p = (float *)cs->out->data + start;
            for (size_t j = 0; j < cnt; j++) p[j] = (float)buf[j];
        } else if (t.id == FL_TYPE_DECIMAL) {
            for (size_t j = 0; j < cnt; j++)
                if (fl_column_is_valid(cs->out, start + j))
                    FL_TRY(double_to_decimal(cs, start + j, buf[j]));
        } else {
            /* to integers and boolean: round half away from zero, then range check */
            fl_int128 iv[CAST_BLOCK];
            for (size_t j = 0; j < cnt; j++) {
                double d = t.id == FL_TYPE_BOOL ? buf[j] : round(buf[j]);
                if (FL_UNLIKELY(!(d > -1.7e38 && d < 1.7e38))) {
                    if (t.id == FL_TYPE_BOOL && isinf(d)) { iv[j] = 1; continue; }
                    FL_TRY(cast_fail(cs, start + j, isnan(d) ? FLOE_EINVAL : FLOE_ERANGE));
                    iv[j] = 0;
                    continue;
                }
                iv[j] = t.id == FL_TYPE_BOOL ? (d != 0) : (fl_int128)d;
            }
            FL_TRY(store_exact(cs, start, cnt, iv, 0));
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- text */

static int cast_to_text(cast_state *cs, size_t n)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    fl_strv *dst = cs->out->data;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        dst[i] = fl_strv_make("", 0);
        if (!fl_column_is_valid(cs->out, i)) continue;
        fl_value v;
        fl_column_get(cs->in, i, &v);
        fl_buf_reset(&b);
        if ((rc = fl_value_render(&b, &v, &st)) < 0) break;
        char *p = fl_arena_memdup(cs->arena, b.len ? b.data : "", b.len ? b.len : 1);
        if (!p) { rc = fl_error_set(cs->err, FLOE_ENOMEM, "out of memory casting to varchar"); break; }
        dst[i] = fl_strv_make(p, b.len);
    }
    fl_buf_dispose(&b);
    if (rc < 0 && cs->err && cs->err->code == 0)
        fl_error_set(cs->err, rc, "out of memory casting to varchar");
    return rc;
}

static int cast_from_text(cast_state *cs, size_t n)
{
    const fl_strv *src = cs->in->data;
    fl_type t = cs->out->type;
    bool needs_copy = fl_type_is_varlen(t);
    for (size_t i = 0; i < n; i++) {
        if (!fl_column_is_valid(cs->out, i)) continue;
        fl_value v;
        uint8_t scratch[16];
        int rc = fl_value_parse_text(&v, t, src[i].ptr, src[i].len, scratch, NULL);
        if (rc < 0) {
            FL_TRY(cast_fail(cs, i, rc == FLOE_ERANGE ? FLOE_ERANGE : FLOE_EINVAL));
            continue;
        }
        if (needs_copy) {
            const void *from = t.id == FL_TYPE_UUID ? (const void *)scratch : (const void *)v.v.s.ptr;
            char *p = fl_arena_memdup(cs->arena, v.v.s.len ? from : "", v.v.s.len ? v.v.s.len : 1);
            if (!p) return fl_error_set(cs->err, FLOE_ENOMEM, "out of memory casting text");
            v.v.s = fl_strv_make(p, v.v.s.len);
        }
        fl_column_put(cs->out, i, &v);
    }
    return 0;
}

/* ---------------------------------------------------------------- dates and times */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static bool is_ns(uint8_t id) { return id == FL_TYPE_TIMESTAMP_NS || id == FL_TYPE_TIMESTAMPTZ_NS; }

static int cast_temporal(cast_state *cs, size_t n)
{
    uint8_t from = cs->in->type.id, to = cs->out->type.id;
    const void *src = cs->in->data;
    void *dst = cs->out->data;
    if (from == FL_TYPE_DATE) {
        const int32_t *d = src;
        int64_t unit = is_ns(to) ? FL_MICROS_PER_DAY * 1000 : FL_MICROS_PER_DAY;
        for (size_t i = 0; i < n; i++) ((int64_t *)dst)[i] = (int64_t)d[i] * unit;
        return 0;
    }
    const int64_t *ts = src;
    int64_t per_us = is_ns(from) ? 1000 : 1;
    if (to == FL_TYPE_DATE) {
        int64_t day = FL_MICROS_PER_DAY * per_us;
        for (size_t i = 0; i < n; i++) ((int32_t *)dst)[i] = (int32_t)floor_div(ts[i], day);
        return 0;
    }
    if (to == FL_TYPE_TIME) {
        int64_t day = FL_MICROS_PER_DAY * per_us;
        for (size_t i = 0; i < n; i++) {
            int64_t r = ts[i] - floor_div(ts[i], day) * day;
            ((int64_t *)dst)[i] = r / per_us;
        }
        return 0;
    }
    if (is_ns(from) == is_ns(to)) {
        memcpy(dst, src, n * sizeof(int64_t));
    } else if (is_ns(to)) {
        for (size_t i = 0; i < n; i++) {
            if (__builtin_mul_overflow(ts[i], 1000, &((int64_t *)dst)[i]))
                FL_TRY(cast_fail(cs, i, FLOE_ERANGE));
        }
    } else {
        for (size_t i = 0; i < n; i++) ((int64_t *)dst)[i] = floor_div(ts[i], 1000);
    }
    return 0;
}

/* ---------------------------------------------------------------- dispatch */

static int copy_strings(cast_state *cs, size_t n)
{
    const fl_strv *src = cs->in->data;
    fl_strv *dst = cs->out->data;
    for (size_t i = 0; i < n; i++) {
        dst[i] = fl_strv_make("", 0);
        if (!fl_column_is_valid(cs->out, i) || src[i].len == 0) continue;
        char *p = fl_arena_memdup(cs->arena, src[i].ptr, src[i].len);
        if (!p) return fl_error_set(cs->err, FLOE_ENOMEM, "out of memory casting strings");
        dst[i] = fl_strv_make(p, src[i].len);
    }
    return 0;
}

static int cast_flat(cast_state *cs, size_t n)
{
    fl_type from = cs->in->type, to = cs->out->type;
    if (from.id == FL_TYPE_NULL) {
        for (size_t i = 0; i < n; i++) FL_TRY(fl_column_set_null(cs->out, i));
        return 0;
    }
    if (fl_type_is_varlen(from) && fl_type_is_varlen(to) &&
        (from.id == to.id || to.id == FL_TYPE_BINARY ||
         (from.id == FL_TYPE_BINARY && to.id == FL_TYPE_STRING)))
        return copy_strings(cs, n);
    if (fl_type_eq(from, to)) {
        memcpy(cs->out->data, cs->in->data, n * fl_type_width(to));
        return 0;
    }
    if (is_text(to.id)) return cast_to_text(cs, n);
    if (is_text(from.id)) return cast_from_text(cs, n);
    bool fnum = fn_is_numeric(from.id) || from.id == FL_TYPE_BOOL;
    bool tnum = fn_is_numeric(to.id) || to.id == FL_TYPE_BOOL;
    if (fnum && tnum) {
        if (is_float(from.id) || is_float(to.id)) return cast_float(cs, n);
        return cast_exact(cs, n);
    }
    bool ftime = from.id == FL_TYPE_DATE || fn_is_timestamp(from.id);
    bool ttime = to.id == FL_TYPE_DATE || fn_is_timestamp(to.id) || to.id == FL_TYPE_TIME;
    if (ftime && ttime && !(from.id == FL_TYPE_DATE && to.id == FL_TYPE_TIME))
        return cast_temporal(cs, n);
    char fnm[48], tnm[48];
    return fl_error_set_sqlstate(cs->err, FLOE_ETYPE, "42846", "cannot cast %s to %s",
                                 type_name(from, fnm, sizeof fnm), type_name(to, tnm, sizeof tnm));
}

/* Copies the input's validity into out (out starts all valid). */
static int copy_validity(const fl_column *in, size_t in_row, size_t n, bool constant, fl_column *out)
{
    if (!in->validity) return 0;
    if (constant) {
        if (fl_column_is_valid(in, in_row)) return 0;
        for (size_t i = 0; i < n; i++) FL_TRY(fl_column_set_null(out, i));
        return 0;
    }
    FL_TRY(fl_column_ensure_validity(out));
    memcpy(out->validity, in->validity, (n + 7) / 8);
    return 0;
}

int fn_cast(const ex_vector *in, size_t row_count, fl_type to, bool try_cast, fl_column *out,
            fl_arena *out_arena, fl_error *err)
{
    FL_ASSERT(fl_type_eq(out->type, to));
    (void)to;
    if (row_count == 0) return 0;
    bool constant = in->kind == EX_VECTOR_CONST;
    FL_TRY(copy_validity(in->col, 0, row_count, constant, out));
    cast_state cs = {in->col, out, try_cast, out_arena, err};
    if (!constant) return cast_flat(&cs, row_count);
    /* a constant: cast row 0, then broadcast it */
    FL_TRY(cast_flat(&cs, 1));
    size_t w = fl_type_width(out->type);
    bool valid = fl_column_is_valid(out, 0);
    for (size_t i = 1; i < row_count; i++) {
        memcpy((char *)out->data + i * w, out->data, w);
        if (!valid) FL_TRY(fl_column_set_null(out, i));
    }
    return 0;
}

int fn_cast_value(fl_value *out, const fl_value *in, fl_type to, bool try_cast, fl_arena *arena,
                  fl_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = to;
    if (in->is_null || in->type.id == FL_TYPE_NULL) {
        out->is_null = true;
        return 0;
    }
    if (!fn_cast_allowed(in->type, to)) {
        char fnm[48], tnm[48];
        return fl_error_set_sqlstate(err, FLOE_ETYPE, "42846", "cannot cast %s to %s",
                                     type_name(in->type, fnm, sizeof fnm),
                                     type_name(to, tnm, sizeof tnm));
    }
    fl_column *src = fl_column_new(arena, in->type, 1);
    fl_column *dst = fl_column_new(arena, to, 1);
    if (!src || !dst) return fl_error_set(err, FLOE_ENOMEM, "out of memory casting a value");
    src->len = dst->len = 1;
    fl_column_put(src, 0, in);
    cast_state cs = {src, dst, try_cast, arena, err};
    FL_TRY(cast_flat(&cs, 1));
    fl_column_get(dst, 0, out);
    return 0;
}
