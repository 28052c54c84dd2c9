/*
 * func_agg_by.c: max_by(x, y) and min_by(x, y) (Trino/Athena): the value of
 * x on the row with the largest (smallest) y. Rows whose y is NULL are
 * ignored; x may be NULL and is then the answer; with no row, NULL. Among
 * rows with equal y the first one met wins (Trino leaves ties unspecified).
 *
 * x and y are any scalar types; the state keeps both as values, copying
 * string bytes into the aggregate's arena (buffers reused as the values
 * change), so comparisons go through fl_value_cmp, row by row.
 */
#include <string.h>

#include "func_internal.h"

/* A value whose string bytes live in buf (cap bytes, owned, reused). */
typedef struct kept_value {
    fl_value v;
    char *buf;
    uint32_t cap;
} kept_value;

typedef struct by_state {
    kept_value key, val;        /* val.v.is_null: x was NULL on that row */
    bool has;
} by_state;

static int oom(fl_error *err, const char *name)
{
    return fl_error_set(err, FLOE_ENOMEM, "out of memory in aggregate %s", name);
}

/* Stores v into *dst, copying string bytes into dst's own buffer (grown
 * in arena). */
static int keep(kept_value *dst, const fl_value *v, fl_arena *arena)
{
    dst->v = *v;
    if (v->is_null || !fl_type_is_varlen(v->type)) return 0;
    uint32_t len = v->v.s.len;
    if (!dst->buf || len > dst->cap) {
        uint32_t c = len < 16 ? 16 : len;
        if (!(dst->buf = fl_arena_alloc(arena, c))) return FLOE_ENOMEM;
        dst->cap = c;
    }
    if (len) memmove(dst->buf, v->v.s.ptr, len);
    dst->v.v.s.ptr = dst->buf;
    return 0;
}

static int take(by_state *s, const fl_value *key, const fl_value *val, fl_arena *arena)
{
    if (keep(&s->key, key, arena) < 0 || keep(&s->val, val, arena) < 0) return FLOE_ENOMEM;
    s->has = true;
    return 0;
}

/* dir +1: max_by, -1: min_by */
static int by_update(AGG_UPDATE_ARGS, int dir)
{
    const fl_column *xc = args[0].col, *yc = args[1].col;
    size_t xs = fn_stride(&args[0]), ys = fn_stride(&args[1]);
    if (yc->type.id == FL_TYPE_NULL) return 0;
    for (size_t i = 0; i < n; i++) {
        if (!fl_column_is_valid(yc, i * ys)) continue;
        fl_value y, x;
        fl_column_get(yc, i * ys, &y);
        y.is_null = false;
        fl_column_get(xc, i * xs, &x);
        x.is_null = xc->type.id == FL_TYPE_NULL || !fl_column_is_valid(xc, i * xs);
        by_state *s = states[i];
        if (s->has && fl_value_cmp(&y, &s->key.v) * dir <= 0) continue;
        if (take(s, &y, &x, arena) < 0) return oom(err, fn->name);
    }
    return 0;
}

static int max_by_update(AGG_UPDATE_ARGS) { return by_update(fn, states, args, n, arena, err, 1); }
static int min_by_update(AGG_UPDATE_ARGS) { return by_update(fn, states, args, n, arena, err, -1); }

static int by_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                      fl_error *err, int dir)
{
    by_state *d = dst;
    const by_state *s = src;
    if (!s->has || (d->has && fl_value_cmp(&s->key.v, &d->key.v) * dir <= 0)) return 0;
    if (take(d, &s->key.v, &s->val.v, arena) < 0) return oom(err, fn->name);
    return 0;
}

static int max_by_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                          fl_error *err)
{
    return by_combine(fn, dst, src, arena, err, 1);
}
static int min_by_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                          fl_error *err)
{
    return by_combine(fn, dst, src, arena, err, -1);
}

static int by_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                       fl_arena *out_arena, fl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const by_state *s = states[i];
        if (!s->has || s->val.v.is_null || out->type.id == FL_TYPE_NULL) {
            FL_TRY(fl_column_set_null(out, i));
            continue;
        }
        fl_value v = s->val.v;
        if (fl_type_is_varlen(v.type)) {
            char *p = fl_arena_memdup(out_arena, v.v.s.len ? v.v.s.ptr : "", v.v.s.len ? v.v.s.len : 1);
            if (!p) return oom(err, fn->name);
            v.v.s.ptr = p;
        }
        if (!fl_column_put(out, i, &v))
            return fl_error_set(err, FLOE_EINTERNAL, "%s cannot return a %s", fn->name,
                                fl_type_name((fl_type_id)out->type.id));
    }
    return 0;
}

static int spec_by(fn_agg_def *d, bool max)
{
    fl_type x = d->arg_types[0], y = d->arg_types[1];
    if (fl_type_is_nested(x) || fl_type_is_nested(y)) return FLOE_ENOTFOUND;
    d->ret = x;
    d->state_size = sizeof(by_state);
    d->init = fn_agg_init_zero;
    d->update = max ? max_by_update : min_by_update;
    d->combine = max ? max_by_combine : min_by_combine;
    d->finalize = by_finalize;
    return 0;
}

static int spec_max_by(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_by(d, true); }
static int spec_min_by(fn_agg_def *d, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_by(d, false); }

const fn_agg_entry fn_agg_by_entries[] = {
    {"max_by", 2, {FN_P_ANY, FN_P_ANY}, spec_max_by},
    {"min_by", 2, {FN_P_ANY, FN_P_ANY}, spec_min_by},
};
const size_t fn_agg_by_entries_count = FL_ARRAY_SIZE(fn_agg_by_entries);
