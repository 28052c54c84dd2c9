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
 *     and the state is finalized when the frame end moves;
 *   - RANGE frames with offsets (RANGE BETWEEN 3 PRECEDING AND INTERVAL '1'
 *     DAY FOLLOWING) over one numeric, decimal, date or timestamp ORDER BY
 *     key: the keys of a partition are read once into numbers (integers and
 *     decimals as int128 at a common scale with the offsets, floats as
 *     doubles, dates in days and timestamps in their unit, offsets of months
 *     added on the calendar), then two pointers walk the partition's
 *     non-NULL rows once, one per offset bound, since the bound's target
 *     key moves in sort order with the row (O(n) per partition). Rows with a
 *     NULL key form their own peer group: an offset bound of such a row is
 *     its peer group's edge (PostgreSQL, Trino, DuckDB); for other rows the
 *     offset bounds only reach non-NULL rows.
 *   Window expressions are computed in parallel on the pool (one task each).
 *   - GROUPS frames: the frame of a row spans peer groups, n
 *     groups before / after its own; the group edges of a partition are
 *     found once and every position's frame precomputed like RANGE
 *     offsets, then aggregates and first/last/nth_value read it as any
 *     frame (running, or the segment tree).
 *   - DISTINCT aggregates: a second sort by (partition keys, arguments,
 *     position) links each position to the previous position of its value
 *     in its partition. Frames starting at UNBOUNDED PRECEDING (the whole
 *     partition, running frames) fold only each value's first position;
 *     moving frames [fs, fe) fold the positions whose previous one is
 *     before fs, through a segment tree whose rows are activated as the
 *     frame start passes their previous position (seg_distinct).
 *
 * Source (parallel): morsels of buffer rows; output = the child's columns
 * then one column per window expression (plan.h: WINDOW output order).
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/decimal.h"
#include "../../base/time.h"
#include "../../func/func.h"
#include "../sort.h"
#include "hash_util.h"

/* RANGE frames with offsets: how keys are compared and offsets added. */
typedef enum range_mode {
    RANGE_NONE,      /* ROWS frame or RANGE without offsets */
    RANGE_INT,       /* ints, decimals, dates, timestamps: int128 keys */
    RANGE_FLOAT,     /* floats, or a float among key and offsets: doubles */
} range_mode;

typedef union range_key {
    fl_int128 i;
    double f;
} range_key;

typedef struct range_bound {
    bool months;                 /* add o.i calendar months (dates, timestamps) */
    range_key o;                 /* the offset (>= 0) in the key's scale / unit */
} range_bound;

typedef struct win_expr {
    const fn_window_def *fn;     /* ranking / navigation, or NULL */
    const fn_agg_def *agg;       /* aggregate, or NULL */
    const plan_window_spec *spec;
    uint32_t part_first, part_count;   /* eval columns */
    uint32_t order_first, order_count;
    uint32_t arg_first, arg_count;
    int64_t start_off, end_off;
    fl_type type;
    range_mode range;
    bool groups;                 /* GROUPS frame: offsets count peer groups */
    bool distinct;               /* DISTINCT aggregate: each value's first row only */
    range_bound rstart, rend;
    fl_int128 key_mul;           /* RANGE_INT: key multiplier to the offsets' scale */
    int64_t day_units;           /* RANGE_INT over dates/timestamps: key units per day */
    double key_div;              /* RANGE_FLOAT: decimal key divisor (10^scale) */
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

/* The frames of a partition: peers, and precomputed RANGE offset and
 * GROUPS frames; for a DISTINCT aggregate, which positions are the first
 * of their value in the partition. */
typedef struct win_frames {
    const size_t *peer_start, *peer_end;
    const size_t *range_start, *range_end;   /* RANGE offsets, GROUPS: the frame per position */
    const bool *first;                       /* DISTINCT: per sorted position */
    const int64_t *prev;                     /* DISTINCT: the previous position of the same
                                                value in the partition, or -1 */
} win_frames;

/* The frame [*fs, *fe) of sorted position i. */
static void frame_of(const win_expr *w, size_t i, size_t ps, size_t pe, const win_frames *fr,
                     size_t *fs, size_t *fe)
{
    const plan_window_spec *sp = w->spec;
    const size_t *peer_start = fr->peer_start, *peer_end = fr->peer_end;
    if (w->range != RANGE_NONE || w->groups) {
        *fs = fr->range_start[i];
        *fe = fr->range_end[i];
        return;
    }
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
                      size_t pe, const win_frames *fr, fl_column *res, fl_error *err)
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
            frame_of(w, i, ps, pe, fr, &fs, &fe);
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
        ex_vector v = {.kind = EX_VECTOR_FLAT, .col = (fl_column *)src};
        uint32_t s32 = (uint32_t)src_row;
        FL_TRY(ja_gather(res, r, &v, &s32, 1, err));
    }
    return 0;
}

/* A segment tree of aggregate states over one partition (DuckDB's
 * WindowSegmentTree): level 0 holds one state per SEG_FANOUT rows, level
 * k + 1 one per SEG_FANOUT states of level k. A frame is folded from at
 * most 2 (SEG_FANOUT - 1) rows or states per level: O(log n) per row
 * instead of the frame's length, for frames whose start moves. */
enum { SEG_FANOUT = 16, SEG_MAX_LEVELS = 16 };

typedef struct seg_tree {
    size_t ps;                       /* the partition's first sorted position */
    size_t stride;                   /* bytes per state */
    uint8_t *level[SEG_MAX_LEVELS];
    size_t count[SEG_MAX_LEVELS];
    uint32_t levels;
} seg_tree;

/* Folds sorted positions [from, to) into state, or, with blocks, each
 * position into its level-0 block state. */
static int agg_update(const win_expr *w, fl_column *const *cols, const uint32_t *perm,
                      size_t from, size_t to, void *state, const seg_tree *blocks,
                      fl_column **scratch, void **states, fl_arena *a, fl_error *err)
{
    ex_vector args[4];
    while (from < to) {
        size_t m = to - from < EX_CHUNK_ROWS ? to - from : EX_CHUNK_ROWS;
        for (uint32_t j = 0; j < w->arg_count; j++) {
            ex_vector src = {.kind = EX_VECTOR_FLAT, .col = cols[w->arg_first + j]};
            FL_TRY(ja_gather(scratch[j], 0, &src, perm + from, m, err));
            scratch[j]->len = m;
            args[j].kind = EX_VECTOR_FLAT;
            args[j].col = scratch[j];
        }
        for (size_t k = 0; k < m; k++)
            states[k] = blocks ? blocks->level[0] + (from + k - blocks->ps) / SEG_FANOUT * blocks->stride
                               : state;
        FL_TRY(w->agg->update(w->agg, states, args, m, a, err));
        from += m;
    }
    return 0;
}

/* agg_update of a DISTINCT aggregate: folds only the positions of
 * [from, to) that are the first of their value in the partition. */
static int agg_update_first(const win_expr *w, fl_column *const *cols, const uint32_t *perm,
                            const bool *first, size_t from, size_t to, void *state,
                            fl_column **scratch, void **states, fl_arena *a, fl_error *err)
{
    uint32_t sel[EX_CHUNK_ROWS];
    size_t k = 0;
    for (size_t p = from; p < to; p++) {
        if (!first[p]) continue;
        sel[k++] = perm[p];
        if (k == EX_CHUNK_ROWS) {
            FL_TRY(agg_update(w, cols, sel, 0, k, state, NULL, scratch, states, a, err));
            k = 0;
        }
    }
    return k ? agg_update(w, cols, sel, 0, k, state, NULL, scratch, states, a, err) : 0;
}

/* Builds the tree over [ps, pe); with fold false every state stays empty
 * (DISTINCT over moving frames fills it as rows become active). */
static int seg_build(seg_tree *t, const win_expr *w, fl_column *const *cols, const uint32_t *perm,
                     size_t ps, size_t pe, bool fold, fl_column **scratch, void **states, fl_arena *a,
                     fl_error *err)
{
    const fn_agg_def *fn = w->agg;
    memset(t, 0, sizeof *t);
    t->ps = ps;
    t->stride = ((fn->state_size ? fn->state_size : 16) + 15) / 16 * 16;
    size_t cnt = (pe - ps + SEG_FANOUT - 1) / SEG_FANOUT;
    for (;;) {
        uint32_t l = t->levels;
        t->level[l] = fl_arena_alloc(a, (cnt ? cnt : 1) * t->stride);
        if (!t->level[l]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
        t->count[l] = cnt;
        for (size_t i = 0; i < cnt; i++) fn->init(fn, t->level[l] + i * t->stride);
        if (fold && l == 0) {
            FL_TRY(agg_update(w, cols, perm, ps, pe, NULL, t, scratch, states, a, err));
        } else if (fold) {
            for (size_t i = 0; i < t->count[l - 1]; i++)
                FL_TRY(fn->combine(fn, t->level[l] + i / SEG_FANOUT * t->stride,
                                   t->level[l - 1] + i * t->stride, a, err));
        }
        t->levels++;
        if (cnt <= 1 || t->levels == SEG_MAX_LEVELS) break;
        cnt = (cnt + SEG_FANOUT - 1) / SEG_FANOUT;
    }
    return 0;
}

/* Folds the partition's rows [fs, fe) (sorted positions) into acc; with
 * mask, only the rows it marks (the tree holds only those). */
static int seg_query(const seg_tree *t, const win_expr *w, fl_column *const *cols,
                     const uint32_t *perm, const bool *mask, size_t fs, size_t fe, void *acc,
                     fl_column **scratch, void **states, fl_arena *a, fl_error *err)
{
    const fn_agg_def *fn = w->agg;
    size_t lo = fs - t->ps, hi = fe - t->ps;
    for (int level = -1; lo < hi; level++) {
        size_t lo_up = (lo + SEG_FANOUT - 1) / SEG_FANOUT * SEG_FANOUT, hi_dn = hi / SEG_FANOUT * SEG_FANOUT;
        bool last = level + 1 >= (int)t->levels || lo_up >= hi_dn;
        size_t a_end = last ? hi : lo_up, b_start = last ? hi : hi_dn;
        if (level < 0 && mask) {
            FL_TRY(agg_update_first(w, cols, perm, mask, t->ps + lo, t->ps + a_end, acc, scratch, states, a, err));
            FL_TRY(agg_update_first(w, cols, perm, mask, t->ps + b_start, t->ps + hi, acc, scratch, states, a, err));
        } else if (level < 0) {
            FL_TRY(agg_update(w, cols, perm, t->ps + lo, t->ps + a_end, acc, NULL, scratch, states, a, err));
            FL_TRY(agg_update(w, cols, perm, t->ps + b_start, t->ps + hi, acc, NULL, scratch, states, a, err));
        } else {
            for (size_t k = lo; k < a_end; k++)
                FL_TRY(fn->combine(fn, acc, t->level[level] + k * t->stride, a, err));
            for (size_t k = b_start; k < hi; k++)
                FL_TRY(fn->combine(fn, acc, t->level[level] + k * t->stride, a, err));
        }
        if (last) break;
        lo = lo_up / SEG_FANOUT;
        hi = hi_dn / SEG_FANOUT;
    }
    return 0;
}

/* DISTINCT over a moving frame [fs, fe): position p counts when no
 * earlier position of the frame holds its value, i.e. when its value's
 * previous position is before fs. Frame starts only move forward, so a
 * position becomes active once (when fs passes its previous position) and
 * stays active; the segment tree then holds only active rows: an
 * activated row's level-0 block is refolded from its active rows and its
 * ancestors recombined, once per batch of activations. */
typedef struct seg_distinct {
    seg_tree *tree;
    const int64_t *prev;
    bool *active;                    /* per sorted position */
    size_t *order;                   /* the partition's positions by prev */
    size_t next, count, last_fs;
    size_t *dirty[SEG_MAX_LEVELS];   /* blocks to recompute, per level */
    size_t dirty_count[SEG_MAX_LEVELS];
    bool *marked[SEG_MAX_LEVELS];
} seg_distinct;

static int sd_init(seg_distinct *d, seg_tree *t, const int64_t *prev, size_t ps, size_t pe,
                   fl_arena *a, fl_error *err)
{
    memset(d, 0, sizeof *d);
    size_t n = pe - ps;
    d->tree = t;
    d->prev = prev;
    d->count = n;
    d->active = fl_arena_calloc(a, pe + 1);
    d->order = fl_arena_alloc(a, (n + 1) * sizeof *d->order);
    size_t *bucket = fl_arena_calloc(a, (n + 2) * sizeof *bucket);
    if (!d->active || !d->order || !bucket) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
    for (uint32_t l = 0; l < t->levels; l++) {
        d->dirty[l] = fl_arena_alloc(a, (t->count[l] + 1) * sizeof *d->dirty[l]);
        d->marked[l] = fl_arena_calloc(a, t->count[l] + 1);
        if (!d->dirty[l] || !d->marked[l]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
    }
    /* counting sort by prev: key 0 = none, else prev - ps + 1 */
    for (size_t p = ps; p < pe; p++) bucket[prev[p] < 0 ? 0 : (size_t)prev[p] - ps + 1]++;
    size_t sum = 0;
    for (size_t k = 0; k <= n; k++) {
        size_t c = bucket[k];
        bucket[k] = sum;
        sum += c;
    }
    for (size_t p = ps; p < pe; p++) d->order[bucket[prev[p] < 0 ? 0 : (size_t)prev[p] - ps + 1]++] = p;
    return 0;
}

/* Activates the positions whose previous position is before fs and
 * recomputes the blocks they touch. */
static int sd_advance(seg_distinct *d, const win_expr *w, fl_column *const *cols, const uint32_t *perm,
                      size_t fs, fl_column **scratch, void **states, fl_arena *a, fl_error *err)
{
    if (fs < d->last_fs)
        return fl_error_set(err, FLOE_EINTERNAL, "DISTINCT window aggregate over a frame whose start moves back");
    d->last_fs = fs;
    seg_tree *t = d->tree;
    const fn_agg_def *fn = w->agg;
    while (d->next < d->count && d->prev[d->order[d->next]] < (int64_t)fs) {
        size_t p = d->order[d->next++];
        d->active[p] = true;
        size_t b = (p - t->ps) / SEG_FANOUT;
        if (!d->marked[0][b]) {
            d->marked[0][b] = true;
            d->dirty[0][d->dirty_count[0]++] = b;
        }
    }
    for (uint32_t l = 0; l < t->levels; l++) {
        for (size_t k = 0; k < d->dirty_count[l]; k++) {
            size_t b = d->dirty[l][k];
            uint8_t *st = t->level[l] + b * t->stride;
            d->marked[l][b] = false;
            fn->init(fn, st);
            if (l == 0) {
                size_t from = t->ps + b * SEG_FANOUT, to = from + SEG_FANOUT;
                if (to > t->ps + d->count) to = t->ps + d->count;
                FL_TRY(agg_update_first(w, cols, perm, d->active, from, to, st, scratch, states, a, err));
            } else {
                size_t to = (b + 1) * SEG_FANOUT < t->count[l - 1] ? (b + 1) * SEG_FANOUT : t->count[l - 1];
                for (size_t c = b * SEG_FANOUT; c < to; c++)
                    FL_TRY(fn->combine(fn, st, t->level[l - 1] + c * t->stride, a, err));
            }
            if (l + 1 < t->levels && !d->marked[l + 1][b / SEG_FANOUT]) {
                d->marked[l + 1][b / SEG_FANOUT] = true;
                d->dirty[l + 1][d->dirty_count[l + 1]++] = b / SEG_FANOUT;
            }
        }
        d->dirty_count[l] = 0;
    }
    return 0;
}

/* Aggregates over frames: running (start UNBOUNDED PRECEDING: one state
 * folded forward) or through the segment tree. */
static int aggregate(const win_expr *w, fl_column *const *cols, const uint32_t *perm, size_t ps,
                     size_t pe, const win_frames *fr, fl_column *res, fl_arena *a, fl_error *err)
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
    bool running = w->spec->start == PLAN_BOUND_UNBOUNDED_PRECEDING;
    fl_arena *tmp = running ? NULL : fl_arena_new_child(a, 0);
    if (!states || !state || !fin || (!running && !tmp))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
    ex_vector finv = {.kind = EX_VECTOR_FLAT, .col = fin};
    seg_tree tree;
    seg_distinct sd;
    if (!running)
        FL_TRY(seg_build(&tree, w, cols, perm, ps, pe, !fr->prev, scratch, states, a, err));
    if (!running && fr->prev) FL_TRY(sd_init(&sd, &tree, fr->prev, ps, pe, a, err));
    size_t added = ps, last_fe = (size_t)-1, last_fs = (size_t)-1;
    if (running) fn->init(fn, state);
    for (size_t i = ps; i < pe; i++) {
        size_t fs, fe;
        frame_of(w, i, ps, pe, fr, &fs, &fe);
        if (fs != last_fs || fe != last_fe) {
            fl_arena *out_arena = a;
            if (running) {
                if (fe > added) {
                    if (fr->first)
                        FL_TRY(agg_update_first(w, cols, perm, fr->first, added, fe, state, scratch,
                                                states, a, err));
                    else
                        FL_TRY(agg_update(w, cols, perm, added, fe, state, NULL, scratch, states, a, err));
                    added = fe;
                }
            } else {
                if (fr->prev) FL_TRY(sd_advance(&sd, w, cols, perm, fs, scratch, states, a, err));
                /* the frame's state lives in tmp until its value is kept */
                fl_arena_reset(tmp);
                out_arena = tmp;
                fn->init(fn, state);
                FL_TRY(seg_query(&tree, w, cols, perm, fr->prev ? sd.active : NULL, fs, fe, state,
                                 scratch, states, tmp, err));
            }
            if (fin->validity) memset(fin->validity, 0xff, (fin->cap + 7) / 8);
            fin->len = 1;
            states[0] = state;
            FL_TRY(fn->finalize(fn, states, 1, fin, out_arena, err));
            if (out_arena != a && fl_type_is_varlen(fin->type) && fl_column_is_valid(fin, 0)) {
                fl_strv *sv = fin->data;
                char *copy = sv->len ? fl_arena_alloc(a, sv->len) : NULL;
                if (sv->len && !copy) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window aggregate");
                if (sv->len) memcpy(copy, sv->ptr, sv->len);
                *sv = fl_strv_make(copy, sv->len);
            }
            last_fs = fs;
            last_fe = fe;
        }
        FL_TRY(ja_gather(res, perm[i], &finv, NULL, 1, err));
    }
    fl_arena_free(tmp);
    return 0;
}

/* ---------------------------------------------------------------- RANGE offsets */

/* The key of a valid row as a range_key. */
static range_key range_key_of(const win_expr *w, const fl_column *c, size_t row)
{
    fl_value v;
    fl_column_get(c, row, &v);
    range_key k;
    fl_int128 x;
    switch (c->type.id) {
    case FL_TYPE_UINT8: case FL_TYPE_UINT16: case FL_TYPE_UINT32: case FL_TYPE_UINT64:
        x = (fl_int128)v.v.u64;
        break;
    case FL_TYPE_FLOAT: case FL_TYPE_DOUBLE:
        k.f = v.v.f64;
        return k;
    case FL_TYPE_DECIMAL:
        x = fl_decimal_is_wide(c->type) ? v.v.i128 : (fl_int128)v.v.i64;
        break;
    default:
        x = (fl_int128)v.v.i64;
        break;
    }
    if (w->range == RANGE_FLOAT) k.f = (double)x / w->key_div;
    else k.i = x * w->key_mul;
    return k;
}

static fl_int128 add_months(fl_int128 key, int64_t months, int64_t day_units)
{
    int64_t k = (int64_t)key;
    int64_t days = k / day_units, rem = k % day_units;
    if (rem < 0) {
        rem += day_units;
        days--;
    }
    if (days < INT32_MIN || days > INT32_MAX) return key;
    int64_t moved = fl_date_add_months((int32_t)days, (int32_t)months);
    return (fl_int128)moved * day_units + rem;
}

/* The key a bound reaches from key k: preceding subtracts in sort order. */
static range_key range_target(const win_expr *w, const range_bound *b, bool preceding, range_key k)
{
    bool minus = preceding != w->spec->order[0].desc;
    range_key t;
    if (w->range == RANGE_FLOAT) {
        t.f = minus ? k.f - b->o.f : k.f + b->o.f;
    } else if (b->months) {
        t.i = add_months(k.i, minus ? -(int64_t)b->o.i : (int64_t)b->o.i, w->day_units);
    } else {
        /* keys are at most 2^64 * 10^38 / 10^scale: saturate past int128 */
        fl_int128 max = (fl_int128)(((unsigned __int128)1 << 127) - 1);
        if (minus) t.i = k.i < -max + b->o.i ? -max : k.i - b->o.i;
        else t.i = k.i > max - b->o.i ? max : k.i + b->o.i;
    }
    return t;
}

/* a before b in sort order (NaN after every number, equal to itself). */
static int range_cmp(const win_expr *w, range_key a, range_key b)
{
    int c;
    if (w->range == RANGE_FLOAT) {
        bool na = isnan(a.f), nb = isnan(b.f);
        c = na || nb ? (int)na - (int)nb : (a.f > b.f) - (a.f < b.f);
    } else {
        c = (a.i > b.i) - (a.i < b.i);
    }
    return w->spec->order[0].desc ? -c : c;
}

/* The frame of every position of partition [ps, pe) into fs/fe, two
 * pointers over the non-NULL rows. */
static void range_frames(const win_expr *w, const fl_column *key, const uint32_t *perm,
                         const range_key *kv, size_t ps, size_t pe, const size_t *peer_start,
                         const size_t *peer_end, size_t *fs, size_t *fe)
{
    const plan_window_spec *sp = w->spec;
    size_t ns = ps, ne = pe;   /* the non-NULL rows: NULLs are at one end */
    while (ns < pe && !fl_column_is_valid(key, perm[ns])) ns++;
    while (ne > ns && !fl_column_is_valid(key, perm[ne - 1])) ne--;
    size_t sptr = ns, eptr = ns;
    for (size_t i = ps; i < pe; i++) {
        bool valid = i >= ns && i < ne;
        size_t s, e;
        switch (sp->start) {
        case PLAN_BOUND_UNBOUNDED_PRECEDING: s = ps; break;
        case PLAN_BOUND_CURRENT_ROW: s = peer_start[i]; break;
        case PLAN_BOUND_PRECEDING:
        case PLAN_BOUND_FOLLOWING:
            if (!valid) {
                s = peer_start[i];
                break;
            }
            {
                range_key t = range_target(w, &w->rstart, sp->start == PLAN_BOUND_PRECEDING, kv[i]);
                while (sptr < ne && range_cmp(w, kv[sptr], t) < 0) sptr++;
            }
            s = sptr;
            break;
        default: s = pe; break;
        }
        switch (sp->end) {
        case PLAN_BOUND_UNBOUNDED_FOLLOWING: e = pe; break;
        case PLAN_BOUND_CURRENT_ROW: e = peer_end[i]; break;
        case PLAN_BOUND_PRECEDING:
        case PLAN_BOUND_FOLLOWING:
            if (!valid) {
                e = peer_end[i];
                break;
            }
            {
                range_key t = range_target(w, &w->rend, sp->end == PLAN_BOUND_PRECEDING, kv[i]);
                while (eptr < ne && range_cmp(w, kv[eptr], t) <= 0) eptr++;
            }
            e = eptr;
            break;
        default: e = ps; break;
        }
        fs[i] = s;
        fe[i] = e > s ? e : s;
    }
}

/* The GROUPS frame of every position of partition [ps, pe) into fs/fe.
 * The peer groups are numbered in order (gs: scratch, the start of each
 * group, then pe); an offset bound reaches the edge of the group that many
 * groups away, clamped to the partition (an end before the partition or a
 * start after it gives an empty frame). */
static void groups_frames(const win_expr *w, size_t ps, size_t pe, const size_t *peer_end,
                          size_t *gs, size_t *fs, size_t *fe)
{
    const plan_window_spec *sp = w->spec;
    uint64_t so = (uint64_t)w->start_off, eo = (uint64_t)w->end_off;
    size_t ng = 0;
    for (size_t i = ps; i < pe; i = peer_end[i]) gs[ng++] = i;
    gs[ng] = pe;
    size_t g = 0;   /* the group of position i: [gs[g], gs[g + 1]) */
    for (size_t i = ps; i < pe; i++) {
        while (gs[g + 1] <= i) g++;
        size_t s, e;
        switch (sp->start) {
        case PLAN_BOUND_UNBOUNDED_PRECEDING: s = ps; break;
        case PLAN_BOUND_PRECEDING: s = so >= g ? ps : gs[g - so]; break;
        case PLAN_BOUND_CURRENT_ROW: s = gs[g]; break;
        case PLAN_BOUND_FOLLOWING: s = so >= ng - g ? pe : gs[g + so]; break;
        default: s = pe; break;
        }
        switch (sp->end) {
        case PLAN_BOUND_UNBOUNDED_FOLLOWING: e = pe; break;
        case PLAN_BOUND_PRECEDING: e = eo > g ? ps : gs[g - eo + 1]; break;
        case PLAN_BOUND_CURRENT_ROW: e = gs[g + 1]; break;
        case PLAN_BOUND_FOLLOWING: e = eo >= ng - g ? pe : gs[g + eo + 1]; break;
        default: e = ps; break;
        }
        fs[i] = s;
        fe[i] = e > s ? e : s;
    }
}

/* Equal as DISTINCT sees values: as rows_equal, but floats by value
 * (-0.0 = 0.0) and every NaN one value, as the hash aggregate's DISTINCT. */
static bool distinct_equal(const fl_column *c, size_t a, size_t b)
{
    if ((c->type.id != FL_TYPE_DOUBLE && c->type.id != FL_TYPE_FLOAT) || !fl_column_is_valid(c, a) ||
        !fl_column_is_valid(c, b))
        return rows_equal(c, a, b);
    double x, y;
    if (c->type.id == FL_TYPE_DOUBLE) {
        x = ((const double *)c->data)[a];
        y = ((const double *)c->data)[b];
    } else {
        x = ((const float *)c->data)[a];
        y = ((const float *)c->data)[b];
    }
    return x == y || (isnan(x) && isnan(y));
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* DISTINCT aggregates: for each sorted position (partition order) the
 * previous position of its argument values in its partition (prev, -1
 * for the value's first) and whether it is the first (first). The rows
 * are sorted by (partition keys, arguments, position); a run of equal
 * keys and arguments is one value's positions (-0.0 and 0.0 sort apart
 * but are one value: the run's positions are sorted before chaining). */
static int distinct_positions(const win_expr *w, fl_column *const *cols, fl_column *const *kcols,
                              const uint32_t *perm, size_t n, fl_arena *a, bool **first_out,
                              int64_t **prev_out, fl_error *err)
{
    bool *first = fl_arena_calloc(a, n + 1);
    int64_t *prev = fl_arena_alloc(a, (n + 1) * sizeof *prev);
    int64_t *run = fl_arena_alloc(a, (n + 1) * sizeof *run);
    uint32_t *by_value = fl_arena_alloc(a, (n + 1) * sizeof *by_value);
    uint32_t nk = w->part_count + w->arg_count + 1;
    fl_column **keys = fl_arena_calloc(a, (nk + 1) * sizeof *keys);
    ex_sort_key *specs = fl_arena_calloc(a, (nk + 1) * sizeof *specs);
    fl_column *pos = fl_column_new(a, fl_type_make(FL_TYPE_INT64), n ? n : 1);
    if (!first || !prev || !run || !by_value || !keys || !specs || !pos)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
    *first_out = first;
    *prev_out = prev;
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) ((int64_t *)pos->data)[perm[i]] = (int64_t)i;
    pos->len = n;
    for (uint32_t k = 0; k < w->part_count; k++) keys[k] = kcols[k];
    for (uint32_t k = 0; k < w->arg_count; k++) keys[w->part_count + k] = cols[w->arg_first + k];
    keys[nk - 1] = pos;
    for (uint32_t k = 0; k < nk; k++) specs[k].nulls_first = true;
    FL_TRY(ex_sort_columns(by_value, keys, specs, nk, n, err));
    const int64_t *at = pos->data;
    for (size_t j = 0; j < n;) {
        size_t k = j + 1, len = 1;
        bool sorted = true;
        run[0] = at[by_value[j]];
        for (; k < n && keys_equal(keys, 0, w->part_count, by_value[j], by_value[k]); k++) {
            bool same = true;
            for (uint32_t c = 0; c < w->arg_count && same; c++)
                same = distinct_equal(keys[w->part_count + c], by_value[j], by_value[k]);
            if (!same) break;
            run[len] = at[by_value[k]];
            sorted = sorted && run[len] > run[len - 1];
            len++;
        }
        if (!sorted) qsort(run, len, sizeof *run, cmp_i64);
        first[run[0]] = true;
        prev[run[0]] = -1;
        for (size_t r = 1; r < len; r++) prev[run[r]] = run[r - 1];
        j = k;
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
    win_frames fr = {peer_start, peer_end, NULL, NULL, NULL, NULL};
    range_key *kv = NULL;
    size_t *group_starts = NULL;
    const fl_column *rkey = w->range != RANGE_NONE ? cols[w->order_first] : NULL;
    if (w->distinct)
        FL_TRY(distinct_positions(w, cols, kcols, perm, n, a, (bool **)&fr.first, (int64_t **)&fr.prev, err));
    if (w->groups) {
        size_t *rs = fl_arena_alloc(a, (n + 1) * sizeof *rs);
        size_t *re = fl_arena_alloc(a, (n + 1) * sizeof *re);
        group_starts = fl_arena_alloc(a, (n + 1) * sizeof *group_starts);
        if (!rs || !re || !group_starts) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
        fr.range_start = rs;
        fr.range_end = re;
    }
    if (rkey) {
        size_t *rs = fl_arena_alloc(a, (n + 1) * sizeof *rs);
        size_t *re = fl_arena_alloc(a, (n + 1) * sizeof *re);
        kv = fl_arena_alloc(a, (n + 1) * sizeof *kv);
        if (!rs || !re || !kv) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a window");
        for (size_t i = 0; i < n; i++)
            if (fl_column_is_valid(rkey, perm[i])) kv[i] = range_key_of(w, rkey, perm[i]);
        fr.range_start = rs;
        fr.range_end = re;
    }
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
        if (rkey)
            range_frames(w, rkey, perm, kv, ps, pe, peer_start, peer_end,
                         (size_t *)fr.range_start, (size_t *)fr.range_end);
        else if (w->groups)
            groups_frames(w, ps, pe, peer_end, group_starts, (size_t *)fr.range_start,
                          (size_t *)fr.range_end);
        if (w->agg) {
            FL_TRY(aggregate(w, cols, perm, ps, pe, &fr, res, a, err));
        } else if (w->fn->kind <= FN_WIN_NTILE) {
            FL_TRY(rank_like(w, cols, w->arg_first, perm, ps, pe, peer_start, peer_end, res, err));
        } else {
            FL_TRY(navigation(w, cols, perm, ps, pe, &fr, res, err));
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
        ex_vector v = {.kind = EX_VECTOR_FLAT, .col = g->all->cols[c]};
        FL_TRY(ja_gather(out->cols[c].col, 0, &v, sel, n, err));
    }
    for (uint32_t w = 0; w < cfg->expr_count; w++) {
        ex_vector v = {.kind = EX_VECTOR_FLAT, .col = g->results[w]};
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

static bool is_int_type(fl_type_id id)
{
    return (id >= FL_TYPE_INT8 && id <= FL_TYPE_UINT64) || id == FL_TYPE_DECIMAL;
}

/* A RANGE offset: its value folded, non-negative, and its unit. */
static int range_offset(const plan_expr *e, const char *unit, fl_value *v, fl_arena *a,
                        fl_error *err)
{
    FL_TRY(ex_expr_fold(v, e, a, err));
    bool neg = false;
    if (!v->is_null) {
        fl_type_id id = (fl_type_id)v->type.id;
        if (id == FL_TYPE_FLOAT || id == FL_TYPE_DOUBLE) neg = v->v.f64 < 0 || isnan(v->v.f64);
        else if (id == FL_TYPE_DECIMAL && fl_decimal_is_wide(v->type)) neg = v->v.i128 < 0;
        else if (id >= FL_TYPE_UINT8 && id <= FL_TYPE_UINT64) neg = false;
        else if (is_int_type(id)) neg = v->v.i64 < 0;
        else if (!unit)
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "42804",
                                         "RANGE frame offset must be a number or an interval, not %s",
                                         fl_type_name(id));
    }
    if (v->is_null || neg)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "22013",
                                     "frame offset must not be null or negative");
    return 0;
}

/* Decimal digits an integer or decimal type holds. */
static int int_digits(fl_type t)
{
    switch (t.id) {
    case FL_TYPE_INT8: case FL_TYPE_UINT8: return 3;
    case FL_TYPE_INT16: case FL_TYPE_UINT16: return 5;
    case FL_TYPE_INT32: case FL_TYPE_UINT32: return 10;
    case FL_TYPE_UINT64: return 20;
    case FL_TYPE_DECIMAL: return t.precision;
    default: return 19;
    }
}

static fl_int128 int_of(const fl_value *v)
{
    if (v->type.id >= FL_TYPE_UINT8 && v->type.id <= FL_TYPE_UINT64) return (fl_int128)v->v.u64;
    if (v->type.id == FL_TYPE_DECIMAL && fl_decimal_is_wide(v->type)) return v->v.i128;
    return (fl_int128)v->v.i64;
}

static double double_of(const fl_value *v)
{
    if (v->type.id == FL_TYPE_FLOAT || v->type.id == FL_TYPE_DOUBLE) return v->v.f64;
    double d = (double)int_of(v);
    return v->type.id == FL_TYPE_DECIMAL ? d / (double)fl_pow10_i128(v->type.scale) : d;
}

/* One offset bound over a date or timestamp key (units per day du). */
static int range_temporal_bound(range_bound *b, const fl_value *v, const char *unit, fl_type kt,
                                int64_t du, fl_error *err)
{
    if (unit && strcmp(unit, "month") == 0) {
        b->months = true;
        b->o.i = int_of(v);
        return 0;
    }
    if (unit) {   /* microseconds */
        fl_int128 us = int_of(v);
        if (kt.id == FL_TYPE_DATE) {
            if (us % 86400000000LL != 0)
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "42804",
                                             "RANGE frame offset for a date ORDER BY key must be whole days");
            b->o.i = us / 86400000000LL;
        } else {
            b->o.i = du == 86400000000LL ? us : us * 1000;
        }
        return 0;
    }
    if (kt.id != FL_TYPE_DATE || v->type.id == FL_TYPE_DECIMAL || v->type.id == FL_TYPE_FLOAT ||
        v->type.id == FL_TYPE_DOUBLE || !is_int_type((fl_type_id)v->type.id))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42804",
                                     "RANGE frame offset for a %s ORDER BY key must be an interval%s",
                                     fl_type_name((fl_type_id)kt.id),
                                     kt.id == FL_TYPE_DATE ? " or a whole number of days" : "");
    b->o.i = int_of(v);
    return 0;
}

/* RANGE with an offset bound: one ORDER BY key of a numeric, decimal, date
 * or timestamp type; offsets folded into the key's scale or unit. */
static int range_setup(win_expr *w, const plan_window_spec *sp, fl_arena *a, fl_error *err)
{
    if (sp->order_count != 1)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42P20",
                                     "RANGE frames with offset PRECEDING or FOLLOWING require exactly "
                                     "one ORDER BY key (found %u)", (unsigned)sp->order_count);
    fl_type kt = sp->order[0].expr->type;
    fl_value so = {0}, eo = {0};
    bool has_s = sp->start == PLAN_BOUND_PRECEDING || sp->start == PLAN_BOUND_FOLLOWING;
    bool has_e = sp->end == PLAN_BOUND_PRECEDING || sp->end == PLAN_BOUND_FOLLOWING;
    if (has_s) FL_TRY(range_offset(sp->start_offset, sp->start_unit, &so, a, err));
    if (has_e) FL_TRY(range_offset(sp->end_offset, sp->end_unit, &eo, a, err));
    w->key_mul = 1;
    w->key_div = 1;
    switch (kt.id) {
    case FL_TYPE_DATE: w->day_units = 1; break;
    case FL_TYPE_TIMESTAMP: case FL_TYPE_TIMESTAMPTZ: w->day_units = 86400000000LL; break;
    case FL_TYPE_TIMESTAMP_NS: case FL_TYPE_TIMESTAMPTZ_NS: w->day_units = 86400000000000LL; break;
    default: w->day_units = 0; break;
    }
    if (w->day_units) {
        w->range = RANGE_INT;
        if (has_s) FL_TRY(range_temporal_bound(&w->rstart, &so, sp->start_unit, kt, w->day_units, err));
        if (has_e) FL_TRY(range_temporal_bound(&w->rend, &eo, sp->end_unit, kt, w->day_units, err));
        return 0;
    }
    bool key_float = kt.id == FL_TYPE_FLOAT || kt.id == FL_TYPE_DOUBLE;
    if (!key_float && !is_int_type((fl_type_id)kt.id))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42804",
                                     "RANGE frames with offsets require a numeric, date or timestamp "
                                     "ORDER BY key, not %s", fl_type_name((fl_type_id)kt.id));
    if ((has_s && sp->start_unit) || (has_e && sp->end_unit))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42804",
                                     "an interval frame offset requires a date or timestamp ORDER BY "
                                     "key, not %s", fl_type_name((fl_type_id)kt.id));
    bool off_float = (has_s && (so.type.id == FL_TYPE_FLOAT || so.type.id == FL_TYPE_DOUBLE)) ||
                     (has_e && (eo.type.id == FL_TYPE_FLOAT || eo.type.id == FL_TYPE_DOUBLE));
    if (key_float || off_float) {
        w->range = RANGE_FLOAT;
        if (kt.id == FL_TYPE_DECIMAL) w->key_div = (double)fl_pow10_i128(kt.scale);
        if (has_s) w->rstart.o.f = double_of(&so);
        if (has_e) w->rend.o.f = double_of(&eo);
        return 0;
    }
    /* int128 at the largest scale among key and offsets */
    int ks = kt.id == FL_TYPE_DECIMAL ? kt.scale : 0;
    int ss = has_s && so.type.id == FL_TYPE_DECIMAL ? so.type.scale : 0;
    int es = has_e && eo.type.id == FL_TYPE_DECIMAL ? eo.type.scale : 0;
    int scale = ks > ss ? ks : ss;
    if (es > scale) scale = es;
    if (int_digits(kt) + scale - ks > 38 || (has_s && int_digits(so.type) + scale - ss > 38) ||
        (has_e && int_digits(eo.type) + scale - es > 38))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "22003",
                                     "RANGE frame offset and ORDER BY key %s need more than 38 digits "
                                     "at a common scale", fl_type_name((fl_type_id)kt.id));
    w->range = RANGE_INT;
    w->key_mul = fl_pow10_i128(scale - ks);
    if (has_s) w->rstart.o.i = int_of(&so) * fl_pow10_i128(scale - ss);
    if (has_e) w->rend.o.i = int_of(&eo) * fl_pow10_i128(scale - es);
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
    w->groups = sp->groups;
    w->distinct = e->u.window.distinct;
    if (w->distinct && !w->agg)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "DISTINCT is only allowed for aggregate window functions");
    if (e->arg_count > 4)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "window function %s has too many arguments", e->name ? e->name : "?");
    if (!sp->rows && !sp->groups && (sp->start == PLAN_BOUND_PRECEDING || sp->start == PLAN_BOUND_FOLLOWING ||
                      sp->end == PLAN_BOUND_PRECEDING || sp->end == PLAN_BOUND_FOLLOWING)) {
        FL_TRY(range_setup(w, sp, a, err));
    } else {
        FL_TRY(frame_offset(sp->start_offset, &w->start_off, a, err));
        FL_TRY(frame_offset(sp->end_offset, &w->end_off, a, err));
    }
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
    /* a column-less child (no FROM) or no argument columns: NULL arrays */
    if (cfg->child_cols) {
        memcpy(cfg->buf_types, child->types, cfg->child_cols * sizeof *cfg->buf_types);
        memcpy(op->types, child->types, cfg->child_cols * sizeof *op->types);
    }
    if (n) memcpy(cfg->buf_types + cfg->child_cols, cfg->evals.types, n * sizeof *cfg->buf_types);
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
