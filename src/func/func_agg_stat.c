/*
 * func_agg_stat.c: statistical and boolean aggregates: stddev/stddev_samp,
 * stddev_pop, variance/var_samp, var_pop (Welford's online algorithm; two
 * partial states merge with Chan's formula, so parallel partial
 * aggregation gives the single-pass answer up to rounding), and
 * bool_and/every, bool_or/any.
 *
 * The statistical aggregates take double (integers, decimals and real are
 * coerced by the binder, as Trino) and return double; the sample forms are
 * NULL for fewer than two rows, the population forms for none.
 */
#include <math.h>
#include <string.h>

#include "func_internal.h"

typedef struct welford {
    int64_t count;
    double mean;
    double m2;
} welford;

static int welford_update(AGG_UPDATE_ARGS)
{
    (void)fn; (void)arena; (void)err;
    const double *d = args[0].col->data;
    size_t st = fn_stride(&args[0]);
    const uint8_t *valid = args[0].col->validity;
    for (size_t i = 0; i < n; i++) {
        size_t row = i * st;
        if (valid && !fl_bit_get(valid, row)) continue;
        welford *s = states[i];
        double x = d[row];
        s->count++;
        double delta = x - s->mean;
        s->mean += delta / (double)s->count;
        s->m2 += delta * (x - s->mean);
    }
    return 0;
}

static int welford_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                           fl_error *err)
{
    (void)fn; (void)arena; (void)err;
    welford *a = dst;
    const welford *b = src;
    if (b->count == 0) return 0;
    if (a->count == 0) { *a = *b; return 0; }
    double na = (double)a->count, nb = (double)b->count, total = na + nb;
    double delta = b->mean - a->mean;
    a->mean += delta * nb / total;
    a->m2 += b->m2 + delta * delta * na * nb / total;
    a->count += b->count;
    return 0;
}

typedef enum stat_kind { VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP } stat_kind;
static const stat_kind kinds[] = {VAR_SAMP, VAR_POP, STDDEV_SAMP, STDDEV_POP};

static int welford_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                            fl_arena *out_arena, fl_error *err)
{
    (void)out_arena; (void)err;
    stat_kind k = *(const stat_kind *)fn->bind_data;
    bool sample = k == VAR_SAMP || k == STDDEV_SAMP;
    double *r = out->data;
    for (size_t i = 0; i < n; i++) {
        const welford *s = states[i];
        r[i] = 0;
        if (s->count < (sample ? 2 : 1)) { FL_TRY(fl_column_set_null(out, i)); continue; }
        double v = s->m2 / (double)(sample ? s->count - 1 : s->count);
        if (v < 0) v = 0;   /* rounding can leave a tiny negative */
        r[i] = (k == STDDEV_SAMP || k == STDDEV_POP) ? sqrt(v) : v;
    }
    return 0;
}

static int spec_stat(fn_agg_def *d, stat_kind k)
{
    d->ret = fl_type_make(FL_TYPE_DOUBLE);
    d->state_size = sizeof(welford);
    d->init = fn_agg_init_zero;
    d->update = welford_update;
    d->combine = welford_combine;
    d->finalize = welford_finalize;
    d->bind_data = &kinds[k];
    return 0;
}

static int spec_var_samp(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_stat(d, VAR_SAMP); }
static int spec_var_pop(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_stat(d, VAR_POP); }
static int spec_sd_samp(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_stat(d, STDDEV_SAMP); }
static int spec_sd_pop(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_stat(d, STDDEV_POP); }

/* ---------------------------------------------------------------- bool_and / bool_or */

typedef struct bool_state {
    uint8_t has;
    uint8_t val;
} bool_state;

static int bool_update(const ex_vector *args, void **states, size_t n, bool is_and)
{
    const uint8_t *d = args[0].col->data;
    size_t st = fn_stride(&args[0]);
    const uint8_t *valid = args[0].col->validity;
    for (size_t i = 0; i < n; i++) {
        size_t row = i * st;
        if (valid && !fl_bit_get(valid, row)) continue;
        bool_state *s = states[i];
        uint8_t x = d[row] != 0;
        s->val = s->has ? (is_and ? (s->val & x) : (s->val | x)) : x;
        s->has = 1;
    }
    return 0;
}

static int and_update(AGG_UPDATE_ARGS) { (void)fn; (void)arena; (void)err; return bool_update(args, states, n, true); }
static int or_update(AGG_UPDATE_ARGS) { (void)fn; (void)arena; (void)err; return bool_update(args, states, n, false); }

static int bool_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                        fl_error *err, bool is_and)
{
    (void)fn; (void)arena; (void)err;
    bool_state *a = dst;
    const bool_state *b = src;
    if (!b->has) return 0;
    a->val = a->has ? (is_and ? (a->val & b->val) : (a->val | b->val)) : b->val;
    a->has = 1;
    return 0;
}

static int and_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *a, fl_error *e)
{
    return bool_combine(fn, dst, src, a, e, true);
}
static int or_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *a, fl_error *e)
{
    return bool_combine(fn, dst, src, a, e, false);
}

static int bool_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                         fl_arena *out_arena, fl_error *err)
{
    (void)fn; (void)out_arena; (void)err;
    uint8_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        const bool_state *s = states[i];
        r[i] = s->val;
        if (!s->has) FL_TRY(fl_column_set_null(out, i));
    }
    return 0;
}

static int spec_bool(fn_agg_def *d, bool is_and)
{
    d->ret = fl_type_make(FL_TYPE_BOOL);
    d->state_size = sizeof(bool_state);
    d->init = fn_agg_init_zero;
    d->update = is_and ? and_update : or_update;
    d->combine = is_and ? and_combine : or_combine;
    d->finalize = bool_finalize;
    return 0;
}

static int spec_and(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_bool(d, true); }
static int spec_or(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_bool(d, false); }

#define DBL FL_TYPE_DOUBLE
const fn_agg_entry fn_agg_stat_entries[] = {
    {"stddev", 1, {DBL, 0}, spec_sd_samp},
    {"stddev_samp", 1, {DBL, 0}, spec_sd_samp},
    {"stddev_pop", 1, {DBL, 0}, spec_sd_pop},
    {"variance", 1, {DBL, 0}, spec_var_samp},
    {"var_samp", 1, {DBL, 0}, spec_var_samp},
    {"var_pop", 1, {DBL, 0}, spec_var_pop},
    {"bool_and", 1, {FL_TYPE_BOOL, 0}, spec_and},
    {"every", 1, {FL_TYPE_BOOL, 0}, spec_and},
    {"bool_or", 1, {FL_TYPE_BOOL, 0}, spec_or},
    {"any", 1, {FL_TYPE_BOOL, 0}, spec_or},
};
const size_t fn_agg_stat_entries_count = FL_ARRAY_SIZE(fn_agg_stat_entries);
