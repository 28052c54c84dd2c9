/*
 * window.c: PLAN_WINDOW, window functions over partitions (DuckDB's
 * PhysicalWindow, simplified).
 *
 * Sink (parallel): each thread copies its chunks into its own row buffer
 * (sort.h's ex_rowbuf): the child's columns followed by every expression the
 * window functions need (partition keys, order keys, arguments), evaluated
 * once per chunk. Combine collects the buffers; finalize concatenates them
 * and computes each window expression into a result column indexed by buffer
 * row:
 *   - the rows are sorted by (partition keys, order keys) with
 *     ex_sort_columns (normalized keys, stable), then partition and peer
 *     boundaries are found by comparing neighbours;
 *   - ranking (row_number, rank, dense_rank, percent_rank, cume_dist,
 *     ntile) and navigation (lag, lead, first_value, last_value, nth_value)
 *     are computed from positions;
 *   - aggregates (fn_agg_def) over a frame whose start is UNBOUNDED
 *     PRECEDING (running aggregates, the default frame, whole partitions)
 *     are incremental: each row is folded into the partition's state once
 *     and the state is finalized when the frame end moves; frames with a
 *     moving start (ROWS n PRECEDING ...) are recomputed per row.
 *   Window expressions are computed in parallel on the pool (one task each).
 * RANGE frames with offsets and DISTINCT window aggregates are
 * FLOE_EUNSUPPORTED.
 *
 * Source (parallel): morsels of buffer rows; output = the child's columns
 * then one column per window expression (plan.h: WINDOW output order).
 */
#include <stdatomic.h>
#include <string.h>

#include "../../func/func.h"
#include "../sort.h"
#include "hash_util.h"

typedef struct win_expr {
    const fn_window_def *fn;     /* ranking / navigation, or NULL */
    const fn_agg_def *agg;       /* aggregate, or NULL */
    const plan_window_spec *spec;
    uint32_t part_first, part_count;   /* eval columns */
    uint32_t order_first, order_count;
    uint32_t arg_first, arg_count;
    int64_t start_off, end_off;
    fl_type type;
} win_expr;

typedef struct win_cfg {
    uint32_t child_cols;
    ja_exprs evals;
    win_expr *exprs;
    uint32_t expr_count;
    fl_type *buf_types;
    uint32_t buf_cols;
} win_cfg;

typedef struct win_global {
    ja_arenas arenas;
    pthread_mutex_t mu;
    ex_rowbuf **bufs;
    uint32_t buf_count, buf_cap;
    ex_rowbuf *all;
    fl_column **results;         /* per window expression, len = rows */
} win_global;

typedef struct win_local {
    fl_arena *arena, *scratch;
    ja_exprs_state st;
    ex_rowbuf buf;
    ex_vector *vecs;
} win_local;

/* ---------------------------------------------------------------- sink */

static void global_free(void *arg)
{
    win_global *g = arg;
    pthread_mutex_destroy(&g->mu);
}

static int win_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    win_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    FL_TRY(ja_arenas_init(&g->arenas, ctx->arena, err));
    pthread_mutex_init(&g->mu, NULL);
    if (fl_arena_on_reset(ctx->arena, global_free, g) < 0) {
        pthread_mutex_destroy(&g->mu);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    }
    *gstate = g;
    return 0;
}

static int win_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                          void **lstate, fl_error *err)
{
    (void)ctx;
    (void)thread_arena;
    const win_cfg *cfg = op->data;
    win_global *g = gstate;
    fl_arena *a;
    FL_TRY(ja_arenas_new(&g->arenas, &a, err));
    win_local *l = fl_arena_calloc(a, sizeof *l);
    if (!l) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    l->arena = a;
    l->scratch = fl_arena_new_child(a, 0);
    l->vecs = fl_arena_calloc(a, (cfg->buf_cols + 1) * sizeof *l->vecs);
    if (!l->scratch || !l->vecs) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    FL_TRY(ja_exprs_state_init(&l->st, &cfg->evals, a, err));
    FL_TRY(ex_rowbuf_init(&l->buf, a, cfg->buf_types, cfg->buf_cols, err));
    *lstate = l;
    return 0;
}

static int win_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                    fl_error *err)
{
    (void)ctx;
    (void)gstate;
    const win_cfg *cfg = op->data;
    win_local *l = lstate;
    fl_arena_reset(l->scratch);
    for (uint32_t c = 0; c < cfg->child_cols; c++) l->vecs[c] = in->cols[c];
    FL_TRY(ja_exprs_eval(&cfg->evals, &l->st, in, l->vecs + cfg->child_cols, l->scratch, err));
    return ex_rowbuf_append(&l->buf, l->vecs, NULL, in->count, err);
}

static int win_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    win_global *g = gstate;
    win_local *l = lstate;
    int rc = 0;
    pthread_mutex_lock(&g->mu);
    if (g->buf_count == g->buf_cap) {
        uint32_t cap = g->buf_cap ? g->buf_cap * 2 : 8;
        ex_rowbuf **b = fl_arena_realloc(ctx->arena, g->bufs, g->buf_cap * sizeof *b, cap * sizeof *b);
        if (!b) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
        else {
            g->bufs = b;
            g->buf_cap = cap;
        }
    }
    if (rc == 0) g->bufs[g->buf_count++] = &l->buf;
    pthread_mutex_unlock(&g->mu);
    return rc;
}

/* ---------------------------------------------------------------- computing */

static bool rows_equal(const fl_column *c, size_t a, size_t b)
{
    bool va = fl_column_is_valid(c, a), vb = fl_column_is_valid(c, b);
    if (!va || !vb) return va == vb;
    if (fl_type_is_varlen(c->type)) return fl_strv_eq(((const fl_strv *)c->data)[a], ((const fl_strv *)c->data)[b]);
    size_t w = fl_type_width(c->type);
    return !w || memcmp((const uint8_t *)c->data + a * w, (const uint8_t *)c->data + b * w, w) == 0;
}

static bool keys_equal(fl_column *const *cols, uint32_t first, uint32_t count, size_t a, size_t b)
{
    for (uint32_t k = 0; k < count; k++)
        if (!rows_equal(cols[first + k], a, b)) return false;
    return true;
}

typedef struct win_task {
    const win_cfg *cfg;
    win_global *g;
    fl_arena **arenas;
    ja_task_error te;
} win_task;

static int64_t int_arg(const fl_column *c, size_t row, int64_t dflt)
{
    if (!fl_column_is_valid(c, row)) return dflt;
    fl_value v;
    fl_column_get(c, row, &v);
    return v.v.i64;
}

/* Position-based functions for the rows of one partition [ps, pe) of perm. */
static int rank_like(const win_expr *w, fl_column *const *cols, uint32_t arg0, const uint32_t *perm,
                     size_t ps, size_t pe, const size_t *peer_start, const size_t *peer_end,
                     fl_column *res, fl_error *err)
{
    size_t rows = pe - ps;
    int64_t dense = 0;
    for (size_t i = ps; i < pe; i++) {
        size_t r = perm[i];
        if (peer_start[i] == i) dense++;
        int64_t iv = 0;
        double dv = 0;
        switch (w->fn->kind) {
        case FN_WIN_ROW_NUMBER: iv = (int64_t)(i - ps + 1); break;
        case FN_WIN_RANK: iv = (int64_t)(peer_start[i] - ps + 1); break;
        case FN_WIN_DENSE_RANK: iv = dense; break;
        case FN_WIN_PERCENT_RANK:
            dv = rows > 1 ? (double)(peer_start[i] - ps) / (double)(rows - 1) : 0.0;
            break;
        case FN_WIN_CUME_DIST: dv = (double)(peer_end[i] - ps) / (double)rows; break;
        case FN_WIN_NTILE: {
            int64_t n = int_arg(cols[arg0], r, 0);
            if (n <= 0)
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "22014",
                                             "argument of ntile must be greater than zero");
            int64_t idx = (int64_t)(i - ps), total = (int64_t)rows;
            int64_t size = total / n, extra = total % n;
            if (size == 0) iv = idx + 1;
            else if (idx < extra * (size + 1)) iv = idx / (size + 1) + 1;
            else iv = (idx - extra * (size + 1)) / size + extra + 1;
            break;
        }
        default: break;
        }
        if (res->type.id == FL_TYPE_DOUBLE) ((double *)res->data)[r] = dv;
        else ((int64_t *)res->data)[r] = iv;
    }
    return 0;
}

/* The frame [*fs, *fe) of sorted position i. */
static void frame_of(const win_expr *w, size_t i, size_t ps, size_t pe, const size_t *peer_start,
                     const size_t *peer_end, size_t *fs, size_t *fe)
{
    const plan_window_spec *sp = w->spec;
    int64_t s, e;
    switch (sp->start) {
    case PLAN_BOUND_UNBOUNDED_PRECEDING: s = (int64_t)ps; break;
    case PLAN_BOUND_PRECEDING: s = (int64_t)i - w->start_off; break;
    case PLAN_BOUND_CURRENT_ROW: s = sp->rows ? (int64_t)i : (int64_t)peer_start[i]; break;
    case PLAN_BOUND_FOLLOWING: s = (int64_t)i + w->start_off; break;
    default: s = (int64_t)pe; break;
    }
    switch (sp->end) {
    case PLAN_BOUND_UNBOUNDED_FOLLOWING: e = (int64_t)pe; break;
    case PLAN_BOUND_PRECEDING: e = (int64_t)i - w->end_off + 1; break;
    case PLAN_BOUND_CURRENT_ROW: e = sp->rows ? (int64_t)i + 1 : (int64_t)peer_end[i]; break;
    case PLAN_BOUND_FOLLOWING: e = (int64_t)i + w->end_off + 1; break;
    default: e = (int64_t)ps; break;
    }
    if (s < (int64_t)ps) s = (int64_t)ps;
    if (e > (int64_t)pe) e = (int64_t)pe;
    if (e < s) e = s;
    *fs = (size_t)s;
    *fe = (size_t)e;
}

static int navigation(const win_expr *w, fl_column *const *cols, const uint32_t *perm, size_t ps,
                      size_t pe, const size_t *peer_start, const size_t *peer_end, fl_column *res,
                      fl_error *err)
{
    const fl_column *val = cols[w->arg_first];
    for (size_t i = ps; i < pe; i++) {
        size_t r = perm[i];
        int64_t target = -1;
        const fl_column *src = val;
        size_t src_row = 0;
        switch (w->fn->kind) {
        case FN_WIN_LAG:
        case FN_WIN_LEAD: {
            int64_t off = w->arg_count > 1 ? int_arg(cols[w->arg_first + 1], r, 1) : 1;
            target = w->fn->kind == FN_WIN_LAG ? (int64_t)i - off : (int64_t)i + off;
            if (target < (int64_t)ps || target >= (int64_t)pe) {
                target = -1;
                if (w->arg_count > 2) {
                    src = cols[w->arg_first + 2];
                    src_row = r;
                }
            }
            break;
        }
        default: {
            size_t fs, fe;
            frame_of(w, i, ps, pe, peer_start, peer_end, &fs, &fe);
            if (w->fn->kind == FN_WIN_FIRST_VALUE && fs < fe) target = (int64_t)fs;
            else if (w->fn->kind == FN_WIN_LAST_VALUE && fs < fe) target = (int64_t)fe - 1;
            else if (w->fn->kind == FN_WIN_NTH_VALUE) {
                int64_t n = int_arg(cols[w->arg_first + 1], r, 0);
                if (n <= 0)
                    return fl_error_set_sqlstate(err, FLOE_EINVAL, "22016",
                                                 "argument of nth_value must be greater than zero");
                if ((int64_t)fs + n - 1 < (int64_t)fe) target = (int64_t)fs + n - 1;
            }
            break;
        }
        }
        if (target >= 0) src_row = perm[target];
        if (target < 0 && src == val) {
            FL_TRY(ja_set_null(res, r, 1, err));
            continue;
        }
        ex_vector v = {EX_VECTOR_FLAT, (fl_column *)src};
        uint32_t s32 = (uint32_t)src_row;
        FL_TRY(ja_gather(res, r, &v, &s32, 1, err));
    }
    return 0;
}

/* Folds sorted positions [from, to) into the states (one per position). */
static int agg_update(const win_expr *w, fl_column *const *cols, const uint32_t *perm,
                      size_t from, size_t to, void *state, fl_column **scratch, void **states,
                      fl_arena *a, fl_error *err)
{
    ex_vector args[4];
    while (from < to) {
        size_t m = to - from < EX_CHUNK_ROWS ? to - from : EX_CHUNK_ROWS;
        for (uint32_t j = 0; j < w->arg_count; j++) {
            ex_vector src = {EX_VECTOR_FLAT, cols[w->arg_first + j]};
            FL_TRY(ja_gather(scratch[j], 0, &src, perm + from, m, err));
            scratch[j]->len = m;
            args[j].kind = EX_VECTOR_FLAT;
            args[j].col = scratch[j];
        }
        for (size_t k = 0; k < m; k++) states[k] = state;
        FL_TRY(w->agg->update(w->agg, states, args, m, a, err));
        from += m;
    }
    return 0;
}

static int aggregate(const win_expr *w, fl_column *const *cols, const uint32_t *perm, size_t ps,
                     size_t pe, const size_t *peer_start, const size_t *peer_end, fl_column *res,
                     fl_arena *a, fl_error *err)
{
    const fn_agg_def *fn = w->agg;
    fl_column *scratch[4];
    for (uint32_t j = 0; j < w->arg_count; j++) {
        scratch[j] = fl_column_new(a, cols[w->arg_first + j]->type, EX_CHUNK_ROWS);
        if (!scratch[j]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
    }
    void **states = fl_arena_alloc(a, EX_CHUNK_ROWS * sizeof *states);
    void *state = fl_arena_alloc(a, fn->state_size ? fn->state_size : 16);
    fl_column *fin = fl_column_new(a, res->type, 1);
    if (!states || !state || !fin) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
    ex_vector finv = {EX_VECTOR_FLAT, fin};
    bool running = w->spec->start == PLAN_BOUND_UNBOUNDED_PRECEDING;
    size_t added = ps, last_fe = (size_t)-1, last_fs = (size_t)-1;
    if (running) fn->init(fn, state);
    for (size_t i = ps; i < pe; i++) {
        size_t fs, fe;
        frame_of(w, i, ps, pe, peer_start, peer_end, &fs, &fe);
        if (fs != last_fs || fe != last_fe) {
            if (running) {
                if (fe > added) {
                    FL_TRY(agg_update(w, cols, perm, added, fe, state, scratch, states, a, err));
                    added = fe;
                }
            } else {
                fn->init(fn, state);
                FL_TRY(agg_update(w, cols, perm, fs, fe, state, scratch, states, a, err));
            }
            if (fin->validity) memset(fin->validity, 0xff, (fin->cap + 7) / 8);
            fin->len = 1;
            states[0] = state;
            FL_TRY(fn->finalize(fn, states, 1, fin, a, err));
            last_fs = fs;
            last_fe = fe;
        }
        FL_TRY(ja_gather(res, perm[i], &finv, NULL, 1, err));
    }
    return 0;
}

static int compute_expr(const win_cfg *cfg, win_global *g, uint32_t wi, fl_arena *a,
                        fl_error *err)
{
    const win_expr *w = &cfg->exprs[wi];
    ex_rowbuf *buf = g->all;
    size_t n = buf->rows;
    fl_column *const *cols = buf->cols + cfg->child_cols;
    fl_column *res = fl_column_new(a, w->type, n ? n : 1);
    uint32_t *perm = fl_arena_alloc(a, (n + 1) * sizeof *perm);
    size_t *peer_start = fl_arena_alloc(a, (n + 1) * sizeof *peer_start);
    size_t *peer_end = fl_arena_alloc(a, (n + 1) * sizeof *peer_end);
    uint32_t nkeys = w->part_count + w->order_count;
    fl_column **kcols = fl_arena_calloc(a, (nkeys + 1) * sizeof *kcols);
    ex_sort_key *specs = fl_arena_calloc(a, (nkeys + 1) * sizeof *specs);
    if (!res || !perm || !peer_start || !peer_end || !kcols || !specs)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    res->len = n;
    g->results[wi] = res;
    for (uint32_t k = 0; k < w->part_count; k++) {
        kcols[k] = cols[w->part_first + k];
        specs[k].nulls_first = true;
    }
    for (uint32_t k = 0; k < w->order_count; k++) {
        kcols[w->part_count + k] = cols[w->order_first + k];
        specs[w->part_count + k].desc = w->spec->order[k].desc;
        specs[w->part_count + k].nulls_first = w->spec->order[k].nulls_first;
    }
    if (nkeys) FL_TRY(ex_sort_columns(perm, kcols, specs, nkeys, n, err));
    else for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    size_t ps = 0;
    while (ps < n) {
        size_t pe = ps + 1;
        while (pe < n && keys_equal(kcols, 0, w->part_count, perm[pe - 1], perm[pe])) pe++;
        for (size_t i = ps; i < pe;) {
            size_t j = i + 1;
            while (j < pe && keys_equal(kcols, w->part_count, w->order_count, perm[j - 1], perm[j])) j++;
            for (size_t k = i; k < j; k++) {
                peer_start[k] = i;
                peer_end[k] = j;
            }
            i = j;
        }
        if (w->agg) {
            FL_TRY(aggregate(w, cols, perm, ps, pe, peer_start, peer_end, res, a, err));
        } else if (w->fn->kind <= FN_WIN_NTILE) {
            FL_TRY(rank_like(w, cols, w->arg_first, perm, ps, pe, peer_start, peer_end, res, err));
        } else {
            FL_TRY(navigation(w, cols, perm, ps, pe, peer_start, peer_end, res, err));
        }
        ps = pe;
    }
    return 0;
}

static void compute_task(void *arg, size_t index, int worker)
{
    (void)worker;
    win_task *t = arg;
    fl_error err;
    fl_error_clear(&err);
    int rc = compute_expr(t->cfg, t->g, (uint32_t)index, t->arenas[index], &err);
    if (rc < 0) ja_task_error_set(&t->te, rc, &err);
}

static int win_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    const win_cfg *cfg = op->data;
    win_global *g = gstate;
    if (g->buf_count == 0) {
        g->all = fl_arena_calloc(ctx->arena, sizeof *g->all);
        if (!g->all) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
        FL_TRY(ex_rowbuf_init(g->all, ctx->arena, cfg->buf_types, cfg->buf_cols, err));
    } else if (g->buf_count == 1) {
        g->all = g->bufs[0];
    } else {
        g->all = fl_arena_calloc(ctx->arena, sizeof *g->all);
        if (!g->all) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
        FL_TRY(ex_rowbuf_init(g->all, ctx->arena, cfg->buf_types, cfg->buf_cols, err));
        ex_vector *vecs = fl_arena_calloc(ctx->arena, (cfg->buf_cols + 1) * sizeof *vecs);
        if (!vecs) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
        for (uint32_t b = 0; b < g->buf_count; b++) {
            for (uint32_t c = 0; c < cfg->buf_cols; c++) {
                vecs[c].kind = EX_VECTOR_FLAT;
                vecs[c].col = g->bufs[b]->cols[c];
            }
            FL_TRY(ex_rowbuf_append(g->all, vecs, NULL, g->bufs[b]->rows, err));
        }
    }
    g->results = fl_arena_calloc(ctx->arena, (cfg->expr_count + 1) * sizeof *g->results);
    win_task t = {.cfg = cfg, .g = g};
    t.arenas = fl_arena_calloc(ctx->arena, (cfg->expr_count + 1) * sizeof *t.arenas);
    if (!g->results || !t.arenas) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    for (uint32_t i = 0; i < cfg->expr_count; i++) FL_TRY(ja_arenas_new(&g->arenas, &t.arenas[i], err));
    ja_task_error_init(&t.te);
    fl_pool_run(ctx->threads > 1 ? ctx->pool : NULL, cfg->expr_count, compute_task, &t);
    return ja_task_error_take(&t.te, err);
}

/* ---------------------------------------------------------------- source */

typedef struct win_source {
    atomic_size_t next;
} win_source;

static int win_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    win_source *s = fl_arena_calloc(ctx->arena, sizeof *s);
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    atomic_init(&s->next, 0);
    *gstate = s;
    return 0;
}

static int win_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                        ex_source_result *res, fl_error *err)
{
    (void)ctx;
    (void)lstate;
    const win_cfg *cfg = op->data;
    const win_global *g = op->sink_state;
    win_source *s = gstate;
    size_t rows = g->all->rows;
    size_t start = atomic_fetch_add(&s->next, 1) * EX_CHUNK_ROWS;
    if (start >= rows) {
        out->count = 0;
        *res = EX_SOURCE_DONE;
        return 0;
    }
    size_t n = rows - start < EX_CHUNK_ROWS ? rows - start : EX_CHUNK_ROWS;
    uint32_t sel[EX_CHUNK_ROWS];
    for (size_t i = 0; i < n; i++) sel[i] = (uint32_t)(start + i);
    for (uint32_t c = 0; c < cfg->child_cols; c++) {
        ex_vector v = {EX_VECTOR_FLAT, g->all->cols[c]};
        FL_TRY(ja_gather(out->cols[c].col, 0, &v, sel, n, err));
    }
    for (uint32_t w = 0; w < cfg->expr_count; w++) {
        ex_vector v = {EX_VECTOR_FLAT, g->results[w]};
        FL_TRY(ja_gather(out->cols[cfg->child_cols + w].col, 0, &v, sel, n, err));
    }
    ja_chunk_finish(out, n);
    *res = EX_SOURCE_HAVE_MORE;
    return 0;
}

static const ex_op_vtable win_vtable = {
    .name = "WINDOW",
    .source_global = win_source_global,
    .get_data = win_get_data,
    .sink_global = win_sink_global,
    .sink_local = win_sink_local,
    .sink = win_sink,
    .combine = win_combine,
    .finalize = win_finalize,
};

/* ---------------------------------------------------------------- construction */

static int frame_offset(const plan_expr *e, int64_t *out, fl_arena *a, fl_error *err)
{
    *out = 0;
    if (!e) return 0;
    fl_value v;
    FL_TRY(ex_expr_fold(&v, e, a, err));
    if (v.is_null || v.v.i64 < 0)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "22013",
                                     "frame offset must not be null or negative");
    *out = v.v.i64;
    return 0;
}

/* Appends the expressions of window expr e to list; fills w. */
static int plan_expr_w(win_expr *w, const plan_expr *e, plan_expr **list, uint32_t *n,
                       fl_arena *a, fl_error *err)
{
    if (e->kind != PLAN_EX_WINDOW || !e->u.window.spec)
        return fl_error_set(err, FLOE_EINTERNAL, "window operator over a non-window expression");
    const plan_window_spec *sp = e->u.window.spec;
    w->fn = e->u.window.fn;
    w->agg = e->u.window.agg;
    w->spec = sp;
    w->type = e->type;
    if (!w->fn && !w->agg)
        return fl_error_set(err, FLOE_EINTERNAL, "window expression %s has no function", e->name ? e->name : "?");
    if (e->u.window.distinct)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "DISTINCT in window aggregates is not supported");
    if (!sp->rows && (sp->start == PLAN_BOUND_PRECEDING || sp->start == PLAN_BOUND_FOLLOWING ||
                      sp->end == PLAN_BOUND_PRECEDING || sp->end == PLAN_BOUND_FOLLOWING))
        return fl_error_set(err, FLOE_EUNSUPPORTED, "RANGE frames with offsets are not supported");
    if (e->arg_count > 4)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "window function %s has too many arguments", e->name ? e->name : "?");
    FL_TRY(frame_offset(sp->start_offset, &w->start_off, a, err));
    FL_TRY(frame_offset(sp->end_offset, &w->end_off, a, err));
    w->part_first = *n;
    w->part_count = sp->partition_count;
    for (uint32_t i = 0; i < sp->partition_count; i++) list[(*n)++] = sp->partition[i];
    w->order_first = *n;
    w->order_count = sp->order_count;
    for (uint32_t i = 0; i < sp->order_count; i++) list[(*n)++] = sp->order[i].expr;
    w->arg_first = *n;
    w->arg_count = e->arg_count;
    for (uint32_t i = 0; i < e->arg_count; i++) list[(*n)++] = e->args[i];
    return 0;
}

int ex_window_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    if (node->kind != PLAN_WINDOW || node->child_count != 1)
        return fl_error_set(err, FLOE_EINTERNAL, "window operator over a non-window plan node");
    win_cfg *cfg = fl_arena_calloc(a, sizeof *cfg);
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    if (!cfg || !op) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    plan_binding *b;
    fl_type *t;
    uint32_t nb;
    FL_TRY(ja_node_outputs(node->children[0], a, &b, &t, &nb, err));
    uint32_t W = node->u.window.count, total = 0;
    for (uint32_t i = 0; i < W; i++) {
        const plan_expr *e = node->u.window.exprs[i];
        total += e->arg_count;
        if (e->kind == PLAN_EX_WINDOW && e->u.window.spec)
            total += e->u.window.spec->partition_count + e->u.window.spec->order_count;
    }
    plan_expr **list = fl_arena_calloc(a, (total + 1) * sizeof *list);
    cfg->exprs = fl_arena_calloc(a, (W + 1) * sizeof *cfg->exprs);
    if (!list || !cfg->exprs) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    uint32_t n = 0;
    for (uint32_t i = 0; i < W; i++)
        FL_TRY(plan_expr_w(&cfg->exprs[i], node->u.window.exprs[i], list, &n, a, err));
    cfg->expr_count = W;
    cfg->child_cols = child->col_count;
    FL_TRY(ja_exprs_compile(&cfg->evals, list, n, b, nb, a, err));
    cfg->buf_cols = cfg->child_cols + n;
    cfg->buf_types = fl_arena_calloc(a, (cfg->buf_cols + 1) * sizeof *cfg->buf_types);
    op->types = fl_arena_calloc(a, (cfg->child_cols + W + 1) * sizeof *op->types);
    op->children = fl_arena_calloc(a, sizeof *op->children);
    if (!cfg->buf_types || !op->types || !op->children)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    memcpy(cfg->buf_types, child->types, cfg->child_cols * sizeof *cfg->buf_types);
    memcpy(cfg->buf_types + cfg->child_cols, cfg->evals.types, n * sizeof *cfg->buf_types);
    memcpy(op->types, child->types, cfg->child_cols * sizeof *op->types);
    for (uint32_t i = 0; i < W; i++) op->types[cfg->child_cols + i] = cfg->exprs[i].type;
    op->vt = &win_vtable;
    op->children[0] = child;
    op->child_count = 1;
    op->col_count = cfg->child_cols + W;
    op->node = node;
    op->data = cfg;
    op->estimated_rows = node->estimated_rows;
    *out = op;
    return 0;
}
