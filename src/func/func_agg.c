/*
 * func_agg.c: the basic aggregates: count, count(*) (count_star), count_if,
 * sum, avg, min, max and arbitrary/any_value.
 *
 * Each aggregate is specialised at bind time for its argument type, so
 * update is one typed loop over the rows with no switch per row (a flat
 * vector with no NULLs takes a loop without validity checks).
 *
 * Result types follow Trino:
 *   count, count_star, count_if  bigint (never NULL)
 *   sum     integers -> bigint (22003 on overflow); decimal(p,s) ->
 *           decimal(38,s); real -> real; double -> double
 *   avg     integers, decimals and double -> double (Trino's documented
 *           `avg(x) -> double`, and DuckDB's type; Trino's engine happens to
 *           answer decimal(p,s) for decimals); real -> real
 *   min/max any comparable scalar type (strings copied into the state
 *           arena, reusing the state's buffer when the new value fits)
 * Sums of integers and decimals accumulate in int128, so avg of bigint or
 * decimal is exact until the final division.
 */
#include <string.h>

#include "../base/decimal.h"
#include "func_internal.h"

#define AGG_UNUSED (void)fn; (void)arena; (void)err

void fn_agg_init_zero(const fn_agg_def *fn, void *state) { memset(state, 0, fn->state_size); }

/* Expands BODY for every non-NULL row i of args[0] with x = its value (T). */
#define AGG_LOOP(T, args, n, ...)                                                  \
    do {                                                                           \
        const T *agg_d_ = (const T *)(args)[0].col->data;                          \
        size_t agg_st_ = fn_stride(&(args)[0]);                                    \
        const uint8_t *agg_val_ = (args)[0].col->validity;                         \
        if (!agg_val_) {                                                           \
            for (size_t i = 0; i < (n); i++) {                                     \
                T x = agg_d_[i * agg_st_];                                         \
                __VA_ARGS__;                                                       \
            }                                                                      \
        } else {                                                                   \
            for (size_t i = 0; i < (n); i++) {                                     \
                size_t agg_row_ = i * agg_st_;                                     \
                if (!fl_bit_get(agg_val_, agg_row_)) continue;                     \
                T x = agg_d_[agg_row_];                                            \
                __VA_ARGS__;                                                       \
            }                                                                      \
        }                                                                          \
    } while (0)

static int agg_oom(fl_error *err, const char *name)
{
    return fl_error_set(err, FLOE_ENOMEM, "out of memory in aggregate %s", name);
}

/* ---------------------------------------------------------------- count */

static int count_update(AGG_UPDATE_ARGS)
{
    AGG_UNUSED;
    const fl_column *c = args[0].col;
    size_t st = fn_stride(&args[0]);
    if (!c->validity) {
        for (size_t i = 0; i < n; i++) (*(int64_t *)states[i])++;
    } else {
        for (size_t i = 0; i < n; i++) *(int64_t *)states[i] += fl_bit_get(c->validity, i * st);
    }
    return 0;
}

static int count_star_update(AGG_UPDATE_ARGS)
{
    AGG_UNUSED;
    (void)args;
    for (size_t i = 0; i < n; i++) (*(int64_t *)states[i])++;
    return 0;
}

static int count_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                         fl_error *err)
{
    AGG_UNUSED;
    *(int64_t *)dst += *(const int64_t *)src;
    return 0;
}

static int count_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                          fl_arena *out_arena, fl_error *err)
{
    (void)fn; (void)out_arena; (void)err;
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = *(const int64_t *)states[i];
    return 0;
}

/* count_if(boolean), Trino's: the rows where the argument is true. */
static int count_if_update(AGG_UPDATE_ARGS)
{
    AGG_UNUSED;
    const fl_column *c = args[0].col;
    if (c->type.id != FL_TYPE_BOOL) return 0;   /* count_if(NULL): nothing is true */
    size_t st = fn_stride(&args[0]);
    const uint8_t *d = c->data;
    for (size_t i = 0; i < n; i++)
        *(int64_t *)states[i] += d[i * st] != 0 && fl_column_is_valid(c, i * st);
    return 0;
}

static int spec_count(fn_agg_def *d, fl_arena *arena, fl_error *err)
{
    (void)arena; (void)err;
    d->ret = fl_type_make(FL_TYPE_INT64);
    d->state_size = sizeof(int64_t);
    d->init = fn_agg_init_zero;
    d->update = d->arg_count ? count_update : count_star_update;
    d->combine = count_combine;
    d->finalize = count_finalize;
    return 0;
}

static int spec_count_if(fn_agg_def *d, fl_arena *arena, fl_error *err)
{
    FL_TRY(spec_count(d, arena, err));
    d->update = count_if_update;
    return 0;
}

/* ---------------------------------------------------------------- sum / avg of exact numbers */

/* int128 sum + row count: sum(integer) -> bigint, sum(decimal) -> decimal(38,s),
 * avg(integer) -> double, avg(decimal) -> double. */
typedef struct exact_state {
    fl_int128 sum;
    int64_t count;
} exact_state;

static int sum_overflow(fl_error *err, const fn_agg_def *fn)
{
    return fn_err_range(err, "%s overflow: the sum exceeds the range of %s", fn->name,
                        fn->ret.id == FL_TYPE_INT64 ? "bigint" : "decimal(38)");
}

#define DEFINE_EXACT_UPDATE(T, SUF)                                                     \
    static int exact_update_##SUF(AGG_UPDATE_ARGS)                                      \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        AGG_LOOP(T, args, n, {                                                          \
            exact_state *s = states[i];                                                 \
            s->sum += x;                                                                \
            s->count++;                                                                 \
        });                                                                             \
        return 0;                                                                       \
    }
DEFINE_EXACT_UPDATE(int8_t, i8)
DEFINE_EXACT_UPDATE(int16_t, i16)
DEFINE_EXACT_UPDATE(int32_t, i32)
DEFINE_EXACT_UPDATE(int64_t, i64)
DEFINE_EXACT_UPDATE(uint8_t, u8)
DEFINE_EXACT_UPDATE(uint16_t, u16)
DEFINE_EXACT_UPDATE(uint32_t, u32)

/* Wide decimals can overflow int128 in principle: checked adds. */
static int exact_update_i128(AGG_UPDATE_ARGS)
{
    AGG_UNUSED;
    AGG_LOOP(fl_int128, args, n, {
        exact_state *s = states[i];
        if (FL_UNLIKELY(__builtin_add_overflow(s->sum, x, &s->sum))) return sum_overflow(err, fn);
        s->count++;
    });
    return 0;
}

static int exact_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                         fl_error *err)
{
    (void)arena;
    exact_state *d = dst;
    const exact_state *s = src;
    if (__builtin_add_overflow(d->sum, s->sum, &d->sum)) return sum_overflow(err, fn);
    d->count += s->count;
    return 0;
}

static int sum_bigint_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                               fl_arena *out_arena, fl_error *err)
{
    (void)out_arena;
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        const exact_state *s = states[i];
        r[i] = 0;
        if (s->count == 0) { FL_TRY(fl_column_set_null(out, i)); continue; }
        if (s->sum > INT64_MAX || s->sum < INT64_MIN) return sum_overflow(err, fn);
        r[i] = (int64_t)s->sum;
    }
    return 0;
}

static int sum_decimal_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                                fl_arena *out_arena, fl_error *err)
{
    (void)out_arena;
    for (size_t i = 0; i < n; i++) {
        const exact_state *s = states[i];
        if (s->count == 0) { FL_TRY(fl_column_set_null(out, i)); continue; }
        if (!fl_decimal_fits(s->sum, 38)) return sum_overflow(err, fn);
        fn_dec_put(out, i, s->sum);
    }
    return 0;
}

static int avg_int_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                            fl_arena *out_arena, fl_error *err)
{
    (void)fn; (void)out_arena; (void)err;
    double *r = out->data;
    for (size_t i = 0; i < n; i++) {
        const exact_state *s = states[i];
        r[i] = 0;
        if (s->count == 0) { FL_TRY(fl_column_set_null(out, i)); continue; }
        r[i] = (double)s->sum / (double)s->count;
    }
    return 0;
}

/* avg(decimal(p,s)) -> double: the exact int128 sum divided once, in long
 * double, by count * 10^s (DuckDB does the same). */
static int avg_decimal_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                                fl_arena *out_arena, fl_error *err)
{
    (void)out_arena; (void)err;
    int scale = fn->arg_types[0].scale;
    long double p10 = 1;
    for (int k = 0; k < scale; k++) p10 *= 10;
    double *r = out->data;
    for (size_t i = 0; i < n; i++) {
        const exact_state *s = states[i];
        r[i] = 0;
        if (s->count == 0) { FL_TRY(fl_column_set_null(out, i)); continue; }
        r[i] = (double)((long double)s->sum / ((long double)s->count * p10));
    }
    return 0;
}

/* The typed update for an exact (integer or decimal) argument, NULL if none. */
static int (*exact_update_for(fl_type t))(AGG_UPDATE_ARGS)
{
    switch ((fl_type_id)t.id) {
    case FL_TYPE_INT8: return exact_update_i8;
    case FL_TYPE_INT16: return exact_update_i16;
    case FL_TYPE_INT32: return exact_update_i32;
    case FL_TYPE_INT64: return exact_update_i64;
    case FL_TYPE_UINT8: return exact_update_u8;
    case FL_TYPE_UINT16: return exact_update_u16;
    case FL_TYPE_UINT32: return exact_update_u32;
    case FL_TYPE_DECIMAL: return fl_decimal_is_wide(t) ? exact_update_i128 : exact_update_i64;
    default: return NULL;
    }
}

/* ---------------------------------------------------------------- sum / avg of floating point */

typedef struct float_state {
    double sum;
    int64_t count;
} float_state;

#define DEFINE_FLOAT_UPDATE(T, SUF)                                                     \
    static int float_update_##SUF(AGG_UPDATE_ARGS)                                      \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        AGG_LOOP(T, args, n, {                                                          \
            float_state *s = states[i];                                                 \
            s->sum += x;                                                                \
            s->count++;                                                                 \
        });                                                                             \
        return 0;                                                                       \
    }
DEFINE_FLOAT_UPDATE(float, f32)
DEFINE_FLOAT_UPDATE(double, f64)

static int float_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                         fl_error *err)
{
    AGG_UNUSED;
    float_state *d = dst;
    const float_state *s = src;
    d->sum += s->sum;
    d->count += s->count;
    return 0;
}

static int float_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                          fl_arena *out_arena, fl_error *err)
{
    (void)out_arena; (void)err;
    bool avg = fn->bind_data != NULL;
    for (size_t i = 0; i < n; i++) {
        const float_state *s = states[i];
        double v = 0;
        if (s->count == 0) FL_TRY(fl_column_set_null(out, i));
        else v = avg ? s->sum / (double)s->count : s->sum;
        if (out->type.id == FL_TYPE_FLOAT) ((float *)out->data)[i] = (float)v;
        else ((double *)out->data)[i] = v;
    }
    return 0;
}

static const int avg_marker = 1;

static int spec_sum_avg(fn_agg_def *d, bool avg)
{
    fl_type t = d->arg_types[0];
    if (t.id == FL_TYPE_FLOAT || t.id == FL_TYPE_DOUBLE) {
        d->ret = t;
        d->state_size = sizeof(float_state);
        d->update = t.id == FL_TYPE_FLOAT ? float_update_f32 : float_update_f64;
        d->combine = float_combine;
        d->finalize = float_finalize;
        d->bind_data = avg ? &avg_marker : NULL;
        d->init = fn_agg_init_zero;
        return 0;
    }
    if (t.id == FL_TYPE_NULL) {
        /* sum(NULL): an all-NULL bigint argument (the binder casts the NULLs) */
        ((fl_type *)d->arg_types)[0] = t = fl_type_make(FL_TYPE_INT64);
    }
    if (t.id == FL_TYPE_UINT64) {
        /* ubigint sums as decimal(20,0): the binder casts the argument */
        ((fl_type *)d->arg_types)[0] = t = fl_type_decimal(20, 0);
    }
    d->update = exact_update_for(t);
    if (!d->update) return FLOE_ENOTFOUND;
    d->state_size = sizeof(exact_state);
    d->init = fn_agg_init_zero;
    d->combine = exact_combine;
    if (t.id == FL_TYPE_DECIMAL) {
        d->ret = avg ? fl_type_make(FL_TYPE_DOUBLE) : fl_type_decimal(38, t.scale);
        d->finalize = avg ? avg_decimal_finalize : sum_decimal_finalize;
    } else {
        d->ret = fl_type_make(avg ? FL_TYPE_DOUBLE : FL_TYPE_INT64);
        d->finalize = avg ? avg_int_finalize : sum_bigint_finalize;
    }
    return 0;
}

static int spec_sum(fn_agg_def *d, fl_arena *arena, fl_error *err)
{
    (void)arena; (void)err;
    return spec_sum_avg(d, false);
}

static int spec_avg(fn_agg_def *d, fl_arena *arena, fl_error *err)
{
    (void)arena; (void)err;
    return spec_sum_avg(d, true);
}

/* ---------------------------------------------------------------- min / max / arbitrary */

#define DEFINE_MINMAX(T, SUF)                                                           \
    typedef struct mm_state_##SUF { T v; bool has; } mm_state_##SUF;                    \
    static int min_update_##SUF(AGG_UPDATE_ARGS)                                        \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        AGG_LOOP(T, args, n, {                                                          \
            mm_state_##SUF *s = states[i];                                              \
            if (!s->has || x < s->v) { s->v = x; s->has = true; }                       \
        });                                                                             \
        return 0;                                                                       \
    }                                                                                   \
    static int max_update_##SUF(AGG_UPDATE_ARGS)                                        \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        AGG_LOOP(T, args, n, {                                                          \
            mm_state_##SUF *s = states[i];                                              \
            if (!s->has || x > s->v) { s->v = x; s->has = true; }                       \
        });                                                                             \
        return 0;                                                                       \
    }                                                                                   \
    static int any_update_##SUF(AGG_UPDATE_ARGS)                                        \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        AGG_LOOP(T, args, n, {                                                          \
            mm_state_##SUF *s = states[i];                                              \
            if (!s->has) { s->v = x; s->has = true; }                                   \
        });                                                                             \
        return 0;                                                                       \
    }                                                                                   \
    static int min_combine_##SUF(const fn_agg_def *fn, void *dst, const void *src,      \
                                 fl_arena *arena, fl_error *err)                        \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        mm_state_##SUF *d = dst;                                                        \
        const mm_state_##SUF *s = src;                                                  \
        if (s->has && (!d->has || s->v < d->v)) *d = *s;                                \
        return 0;                                                                       \
    }                                                                                   \
    static int max_combine_##SUF(const fn_agg_def *fn, void *dst, const void *src,      \
                                 fl_arena *arena, fl_error *err)                        \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        mm_state_##SUF *d = dst;                                                        \
        const mm_state_##SUF *s = src;                                                  \
        if (s->has && (!d->has || s->v > d->v)) *d = *s;                                \
        return 0;                                                                       \
    }                                                                                   \
    static int any_combine_##SUF(const fn_agg_def *fn, void *dst, const void *src,      \
                                 fl_arena *arena, fl_error *err)                        \
    {                                                                                   \
        AGG_UNUSED;                                                                     \
        mm_state_##SUF *d = dst;                                                        \
        const mm_state_##SUF *s = src;                                                  \
        if (s->has && !d->has) *d = *s;                                                 \
        return 0;                                                                       \
    }                                                                                   \
    static int mm_finalize_##SUF(const fn_agg_def *fn, void **states, size_t n,         \
                                 fl_column *out, fl_arena *out_arena, fl_error *err)    \
    {                                                                                   \
        (void)fn; (void)out_arena; (void)err;                                           \
        T *r = out->data;                                                               \
        for (size_t i = 0; i < n; i++) {                                                \
            const mm_state_##SUF *s = states[i];                                        \
            if (s->has) r[i] = s->v;                                                    \
            else { memset(&r[i], 0, sizeof r[i]); FL_TRY(fl_column_set_null(out, i)); } \
        }                                                                               \
        return 0;                                                                       \
    }

DEFINE_MINMAX(int8_t, i8)
DEFINE_MINMAX(int16_t, i16)
DEFINE_MINMAX(int32_t, i32)
DEFINE_MINMAX(int64_t, i64)
DEFINE_MINMAX(uint8_t, u8)
DEFINE_MINMAX(uint16_t, u16)
DEFINE_MINMAX(uint32_t, u32)
DEFINE_MINMAX(uint64_t, u64)
DEFINE_MINMAX(float, f32)
DEFINE_MINMAX(double, f64)
DEFINE_MINMAX(fl_int128, i128)

/* Strings: the state owns a copy of the current value in the states' arena. */
typedef struct mm_str_state {
    char *ptr;
    uint32_t len;
    uint32_t cap;
    bool has;
} mm_str_state;

static inline int str_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    uint32_t m = alen < blen ? alen : blen;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

static int mm_str_set(mm_str_state *s, const char *p, uint32_t len, fl_arena *arena)
{
    if (len > s->cap || !s->ptr) {
        uint32_t cap = len < 16 ? 16 : len;
        char *np = fl_arena_alloc(arena, cap);
        if (!np) return FLOE_ENOMEM;
        s->ptr = np;
        s->cap = cap;
    }
    if (len) memcpy(s->ptr, p, len);
    s->len = len;
    s->has = true;
    return 0;
}

/* dir: -1 min, +1 max, 0 arbitrary */
static int mm_str_update(const fn_agg_def *fn, void **states, const ex_vector *args, size_t n,
                         fl_arena *arena, fl_error *err, int dir)
{
    AGG_LOOP(fl_strv, args, n, {
        mm_str_state *s = states[i];
        bool take;
        if (!s->has) take = true;
        else if (dir == 0) take = false;
        else take = str_cmp(x.ptr, x.len, s->ptr, s->len) * dir > 0;
        if (take && mm_str_set(s, x.ptr, x.len, arena) < 0) return agg_oom(err, fn->name);
    });
    return 0;
}

static int min_update_str(AGG_UPDATE_ARGS) { return mm_str_update(fn, states, args, n, arena, err, -1); }
static int max_update_str(AGG_UPDATE_ARGS) { return mm_str_update(fn, states, args, n, arena, err, 1); }
static int any_update_str(AGG_UPDATE_ARGS) { return mm_str_update(fn, states, args, n, arena, err, 0); }

static int mm_str_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                          fl_error *err, int dir)
{
    mm_str_state *d = dst;
    const mm_str_state *s = src;
    if (!s->has) return 0;
    bool take = !d->has || (dir != 0 && str_cmp(s->ptr, s->len, d->ptr, d->len) * dir > 0);
    if (take && mm_str_set(d, s->ptr, s->len, arena) < 0) return agg_oom(err, fn->name);
    return 0;
}

static int min_combine_str(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                           fl_error *err)
{
    return mm_str_combine(fn, dst, src, arena, err, -1);
}
static int max_combine_str(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                           fl_error *err)
{
    return mm_str_combine(fn, dst, src, arena, err, 1);
}
static int any_combine_str(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                           fl_error *err)
{
    return mm_str_combine(fn, dst, src, arena, err, 0);
}

static int mm_finalize_str(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                           fl_arena *out_arena, fl_error *err)
{
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        const mm_str_state *s = states[i];
        r[i] = fl_strv_make("", 0);
        if (!s->has) { FL_TRY(fl_column_set_null(out, i)); continue; }
        char *p = fl_arena_memdup(out_arena, s->len ? s->ptr : "", s->len ? s->len : 1);
        if (!p) return agg_oom(err, fn->name);
        r[i] = fl_strv_make(p, s->len);
    }
    return 0;
}

typedef struct mm_fns {
    size_t state_size;
    int (*update[3])(AGG_UPDATE_ARGS);  /* min, max, arbitrary */
    int (*combine[3])(const fn_agg_def *, void *, const void *, fl_arena *, fl_error *);
    int (*finalize)(const fn_agg_def *, void **, size_t, fl_column *, fl_arena *, fl_error *);
} mm_fns;

#define MM_FNS(SUF)                                                                      \
    {sizeof(mm_state_##SUF), {min_update_##SUF, max_update_##SUF, any_update_##SUF},     \
     {min_combine_##SUF, max_combine_##SUF, any_combine_##SUF}, mm_finalize_##SUF}

static const mm_fns mm_i8 = MM_FNS(i8), mm_i16 = MM_FNS(i16), mm_i32 = MM_FNS(i32),
                    mm_i64 = MM_FNS(i64), mm_u8 = MM_FNS(u8), mm_u16 = MM_FNS(u16),
                    mm_u32 = MM_FNS(u32), mm_u64 = MM_FNS(u64), mm_f32 = MM_FNS(f32),
                    mm_f64 = MM_FNS(f64), mm_i128 = MM_FNS(i128);
static const mm_fns mm_str = {sizeof(mm_str_state),
                              {min_update_str, max_update_str, any_update_str},
                              {min_combine_str, max_combine_str, any_combine_str},
                              mm_finalize_str};

static const mm_fns *mm_for(fl_type t)
{
    switch ((fl_type_id)t.id) {
    case FL_TYPE_INT8: return &mm_i8;
    case FL_TYPE_INT16: return &mm_i16;
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: return &mm_i32;
    case FL_TYPE_INT64:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: return &mm_i64;
    case FL_TYPE_BOOL:
    case FL_TYPE_UINT8: return &mm_u8;
    case FL_TYPE_UINT16: return &mm_u16;
    case FL_TYPE_UINT32: return &mm_u32;
    case FL_TYPE_UINT64: return &mm_u64;
    case FL_TYPE_FLOAT: return &mm_f32;
    case FL_TYPE_DOUBLE: return &mm_f64;
    case FL_TYPE_DECIMAL: return fl_decimal_is_wide(t) ? &mm_i128 : &mm_i64;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: return &mm_str;
    default: return NULL;
    }
}

static int spec_mm(fn_agg_def *d, int which)
{
    if (d->arg_types[0].id == FL_TYPE_NULL)   /* min(NULL): an all-NULL integer */
        ((fl_type *)d->arg_types)[0] = fl_type_make(FL_TYPE_INT32);
    const mm_fns *m = mm_for(d->arg_types[0]);
    if (!m) return FLOE_ENOTFOUND;
    d->ret = d->arg_types[0];
    d->state_size = m->state_size;
    d->init = fn_agg_init_zero;
    d->update = m->update[which];
    d->combine = m->combine[which];
    d->finalize = m->finalize;
    return 0;
}

static int spec_min(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_mm(d, 0); }
static int spec_max(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_mm(d, 1); }
static int spec_any(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_mm(d, 2); }

/* ---------------------------------------------------------------- table */

const fn_agg_entry fn_agg_entries[] = {
    {"count_star", 0, {0, 0}, spec_count},
    {"count", 0, {0, 0}, spec_count},
    {"count", 1, {FN_P_ANY, 0}, spec_count},
    {"count_if", 1, {FL_TYPE_BOOL, 0}, spec_count_if},
    {"sum", 1, {FN_P_ANY, 0}, spec_sum},
    {"avg", 1, {FN_P_ANY, 0}, spec_avg},
    {"min", 1, {FN_P_ANY, 0}, spec_min},
    {"max", 1, {FN_P_ANY, 0}, spec_max},
    {"arbitrary", 1, {FN_P_ANY, 0}, spec_any},
    {"any_value", 1, {FN_P_ANY, 0}, spec_any},
};
const size_t fn_agg_entries_count = FL_ARRAY_SIZE(fn_agg_entries);
