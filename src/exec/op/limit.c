/*
 * limit.c: LIMIT / OFFSET (PLAN_LIMIT). Threads claim row ranges from one
 * atomic counter shared by the whole query (the operator's global state),
 * so LIMIT n yields n rows however many threads feed it; rows of the
 * claimed range inside [offset, offset + limit) are passed on. Once the
 * counter passes offset + limit the operator answers EX_FINISHED and the
 * pipeline stops reading its source. Over an ordered source the pipeline
 * runs on one thread, so the rows kept are the first ones in order.
 *
 * FETCH FIRST n ROWS WITH TIES (with_ties; the optimizer normally fuses it
 * with its ORDER BY into a TOPN, this is the unfused form): the operator's
 * input is ordered, so it runs on one thread; the keys of the last row of
 * [offset, offset + limit) are evaluated and kept, and the rows after it
 * that tie with it on every key pass too; the first row that differs
 * finishes the operator. A mutex orders the chunks all the same.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "../ex_spine.h"

typedef struct limit_data {
    int64_t limit;     /* -1: none */
    int64_t offset;
    bool with_ties;
    ex_expr **keys;    /* WITH TIES: the ORDER BY keys over the input */
    uint32_t key_count;
} limit_data;

typedef struct limit_global {
    atomic_llong seen;
    /* WITH TIES */
    pthread_mutex_t mu;
    int64_t rows_seen;
    bool have_last, done;
    fl_value *last;    /* the keys of the last row within the limit */
    fl_arena *arena;   /* last's strings */
} limit_global;

typedef struct limit_local {
    ex_expr_state **states;
    ex_vector *vecs;
    fl_arena *scratch;
} limit_local;

static void destroy_mutex(void *arg) { pthread_mutex_destroy((pthread_mutex_t *)arg); }

static int limit_global_new(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    const limit_data *d = op->data;
    limit_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a limit");
    atomic_init(&g->seen, 0);
    if (d->with_ties) {
        g->last = fl_arena_calloc(ctx->arena, (d->key_count + 1) * sizeof *g->last);
        g->arena = fl_arena_new_child(ctx->arena, 0);
        if (!g->last || !g->arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a limit");
        pthread_mutex_init(&g->mu, NULL);
        if (fl_arena_on_reset(ctx->arena, destroy_mutex, &g->mu) < 0) {
            pthread_mutex_destroy(&g->mu);
            return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a limit");
        }
    }
    *gstate = g;
    return 0;
}

static int limit_local_new(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                           void **lstate, fl_error *err)
{
    (void)ctx;
    (void)gstate;
    const limit_data *d = op->data;
    *lstate = NULL;
    if (!d->with_ties) return 0;
    limit_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l) return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a limit");
    l->states = fl_arena_calloc(thread_arena, (d->key_count + 1) * sizeof *l->states);
    l->vecs = fl_arena_calloc(thread_arena, (d->key_count + 1) * sizeof *l->vecs);
    l->scratch = fl_arena_new_child(thread_arena, 0);
    if (!l->states || !l->vecs || !l->scratch)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a limit");
    for (uint32_t k = 0; k < d->key_count; k++)
        FL_TRY(ex_expr_state_new(&l->states[k], d->keys[k], thread_arena, err));
    *lstate = l;
    return 0;
}

/* Row i of the evaluated keys equals the kept last row's keys (NULLs equal). */
static bool ties_with_last(const limit_data *d, const limit_global *g, const limit_local *l,
                           size_t i)
{
    for (uint32_t k = 0; k < d->key_count; k++) {
        fl_value v;
        ex_vector_get(&l->vecs[k], i, &v);
        if (v.is_null || g->last[k].is_null) {
            if (v.is_null != g->last[k].is_null) return false;
            continue;
        }
        if (fl_value_cmp(&v, &g->last[k]) != 0) return false;
    }
    return true;
}

static int keep_last(const limit_data *d, limit_global *g, const limit_local *l, size_t i,
                     fl_error *err)
{
    for (uint32_t k = 0; k < d->key_count; k++) {
        fl_value v;
        ex_vector_get(&l->vecs[k], i, &v);
        if (!v.is_null && fl_type_is_varlen(v.type) && v.v.s.len) {
            char *copy = fl_arena_alloc(g->arena, v.v.s.len);
            if (!copy) return fl_error_set(err, FLOE_ENOMEM, "out of memory applying a limit");
            memcpy(copy, v.v.s.ptr, v.v.s.len);
            v.v.s = fl_strv_make(copy, v.v.s.len);
        }
        g->last[k] = v;
    }
    g->have_last = true;
    return 0;
}

static int emit_range(const ex_chunk *in, ex_chunk *out, int64_t lo, int64_t hi, fl_error *err)
{
    if (lo >= hi) return 0;
    int64_t n = (int64_t)in->count;
    if (lo == 0 && hi == n) {
        memcpy(out->cols, in->cols, in->col_count * sizeof *out->cols);
    } else {
        uint32_t *sel = fl_arena_alloc(out->arena, (size_t)(hi - lo) * sizeof *sel);
        if (!sel) return fl_error_set(err, FLOE_ENOMEM, "out of memory applying a limit");
        for (int64_t i = lo; i < hi; i++) sel[i - lo] = (uint32_t)i;
        for (uint32_t c = 0; c < in->col_count; c++)
            FL_TRY(ex_vector_slice(&out->cols[c], &in->cols[c], sel, (size_t)(hi - lo), out->arena,
                                   err));
    }
    out->count = (size_t)(hi - lo);
    return 0;
}

/* WITH TIES, under g->mu: rows [offset, offset + limit) of the input and
 * then the rows tied with the last of them. */
static int ties_execute(const limit_data *d, limit_global *g, limit_local *l, const ex_chunk *in,
                        ex_chunk *out, ex_op_result *res, fl_error *err)
{
    int64_t end = d->offset + d->limit, n = (int64_t)in->count;
    int64_t start = g->rows_seen;
    g->rows_seen += n;
    *res = EX_NEED_MORE_INPUT;
    if (g->done || d->limit == 0) {
        g->done = true;
        *res = EX_FINISHED;
        return 0;
    }
    int64_t lo = d->offset > start ? d->offset - start : 0;
    if (lo > n) lo = n;
    int64_t hi = end - start < n ? (end - start > lo ? end - start : lo) : n;
    if (start + n < end) return emit_range(in, out, lo, hi, err);
    /* this chunk holds the last row within the limit, or follows it */
    fl_arena_reset(l->scratch);
    for (uint32_t k = 0; k < d->key_count; k++)
        FL_TRY(ex_expr_eval(l->states[k], in, &l->vecs[k], l->scratch, err));
    if (!g->have_last) FL_TRY(keep_last(d, g, l, (size_t)(end - start - 1), err));
    while (hi < n && ties_with_last(d, g, l, (size_t)hi)) hi++;
    if (hi < n) {
        g->done = true;
        *res = EX_FINISHED;
    }
    return emit_range(in, out, lo, hi, err);
}

static int limit_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                         ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx;
    const limit_data *d = op->data;
    limit_global *g = gstate;
    if (d->with_ties) {
        pthread_mutex_lock(&g->mu);
        int rc = ties_execute(d, g, lstate, in, out, res, err);
        pthread_mutex_unlock(&g->mu);
        return rc;
    }
    int64_t end = d->limit < 0 ? INT64_MAX : d->offset + d->limit;
    int64_t n = (int64_t)in->count;
    int64_t start = atomic_fetch_add(&g->seen, n);
    *res = EX_NEED_MORE_INPUT;
    if (start >= end) {
        *res = EX_FINISHED;
        return 0;
    }
    int64_t lo = d->offset > start ? d->offset - start : 0;
    int64_t hi = end - start < n ? end - start : n;
    if (start + n >= end) *res = EX_FINISHED;
    return emit_range(in, out, lo, hi, err);
}

static int limit_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const limit_data *d = op->data;
    int rc = d->limit >= 0 ? fl_buf_appendf(out, "limit %lld%s", (long long)d->limit,
                                            d->with_ties ? " with ties" : "")
                           : 0;
    if (rc == 0 && d->offset)
        rc = fl_buf_appendf(out, "%soffset %lld", d->limit >= 0 ? " " : "", (long long)d->offset);
    return rc < 0 ? fl_error_set(err, FLOE_ENOMEM, "out of memory") : 0;
}

static const ex_op_vtable limit_vt = {
    .name = "LIMIT",
    .op_global = limit_global_new,
    .op_local = limit_local_new,
    .execute = limit_execute,
    .explain = limit_explain,
};

int ex_limit_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    if (node->u.limit.offset < 0)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "2201X", "OFFSET must not be negative");
    ex_op *op;
    FL_TRY(ex_op_alloc(&op, &limit_vt, node, child->types, child->col_count, &child, 1, ctx, err));
    limit_data *d = fl_arena_calloc(ctx->arena, sizeof *d);
    if (!d) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning a limit");
    d->limit = node->u.limit.limit;
    d->offset = node->u.limit.offset;
    if (node->u.limit.with_ties) {
        if (d->limit < 0 || !node->u.limit.order_count)
            return fl_error_set(err, FLOE_EINTERNAL, "limit with ties without a limit or keys");
        plan_binding *bindings;
        fl_type *types;
        uint32_t nb;
        FL_TRY(plan_node_outputs(node->children[0], ctx->arena, &bindings, &types, &nb, err));
        d->with_ties = true;
        d->key_count = node->u.limit.order_count;
        d->keys = fl_arena_calloc(ctx->arena, (d->key_count + 1) * sizeof *d->keys);
        if (!d->keys) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning a limit");
        for (uint32_t k = 0; k < d->key_count; k++)
            FL_TRY(ex_expr_compile(&d->keys[k], node->u.limit.orders[k].expr, bindings, nb,
                                   ctx->arena, err));
    }
    op->data = d;
    *out = op;
    return 0;
}
