/*
 * order.c: ORDER BY (PLAN_ORDER), a sink that sorts and then a source that
 * emits the rows in order; also the machinery TOPN shares (order_int.h).
 *
 * Sink: every thread appends its chunks (the child's columns plus any
 * computed sort keys) to its own row buffer; combine sorts that buffer
 * into a run (in parallel, one run per thread); finalize merges the runs
 * into one order of (run, row) references (ex_sort_merge). Source: chunks
 * of EX_CHUNK_ROWS rows gathered from the runs by the references, handed
 * out by an atomic counter (the pipeline above an ordered source runs on
 * one thread, so chunks come out in order).
 *
 * Memory: each thread's buffer lives in its own child arena of the query
 * arena (created under the global lock), so the rows survive the thread's
 * local state and are freed with the query.
 */
#include <string.h>

#include "order_int.h"

typedef struct order_source {
    atomic_size_t next_chunk;
} order_source;

static uint32_t find_binding(const plan_binding *b, uint32_t n, plan_binding x)
{
    for (uint32_t i = 0; i < n; i++)
        if (plan_binding_eq(b[i], x)) return i;
    return UINT32_MAX;
}

int ex_order_setup(ex_op *op, const ex_op_vtable *vt, const plan_node *node, ex_op *child,
                   const plan_order *orders, uint32_t order_count, int64_t limit,
                   int64_t offset, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    plan_binding *bindings;
    fl_type *types;
    uint32_t n;
    FL_TRY(plan_node_outputs(node->children[0], a, &bindings, &types, &n, err));
    if (n != child->col_count)
        return fl_error_set(err, FLOE_EINTERNAL, "sort input has %u columns, its operator %u",
                            (unsigned)n, (unsigned)child->col_count);
    ex_order_cfg *cfg = fl_arena_calloc(a, sizeof(*cfg));
    if (cfg == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    cfg->child_cols = n;
    cfg->keys = fl_arena_calloc(a, (order_count + 1) * sizeof(ex_sort_key));
    cfg->extra = fl_arena_calloc(a, (order_count + 1) * sizeof(ex_expr *));
    cfg->buf_types = fl_arena_alloc(a, (n + order_count + 1) * sizeof(fl_type));
    if (cfg->keys == NULL || cfg->extra == NULL || cfg->buf_types == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) cfg->buf_types[i] = child->types[i];
    uint32_t extra = 0;
    for (uint32_t k = 0; k < order_count; k++) {
        const plan_expr *e = orders[k].expr;
        uint32_t col = e->kind == PLAN_EX_COLREF ? find_binding(bindings, n, e->u.binding)
                                                 : UINT32_MAX;
        if (col == UINT32_MAX) {
            FL_TRY(ex_expr_compile(&cfg->extra[extra], e, bindings, n, a, err));
            col = n + extra;
            cfg->buf_types[col] = ex_expr_type(cfg->extra[extra]);
            extra++;
        }
        if (fl_type_is_nested(cfg->buf_types[col]))
            return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot sort by a %s value",
                                fl_type_name((fl_type_id)cfg->buf_types[col].id));
        cfg->keys[k].col = col;
        cfg->keys[k].desc = orders[k].desc;
        cfg->keys[k].nulls_first = orders[k].nulls_first;
    }
    cfg->key_count = order_count;
    cfg->buf_cols = n + extra;
    cfg->limit = limit;
    cfg->offset = offset;

    op->vt = vt;
    op->children = fl_arena_alloc(a, sizeof(ex_op *));
    op->types = fl_arena_alloc(a, (n + 1) * sizeof(fl_type));
    if (op->children == NULL || op->types == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    op->children[0] = child;
    op->child_count = 1;
    if (n) memcpy(op->types, child->types, n * sizeof(fl_type));
    op->col_count = n;
    op->node = node;
    op->data = cfg;
    op->estimated_rows = node->estimated_rows;
    return 0;
}

static void destroy_mutex(void *arg) { pthread_mutex_destroy((pthread_mutex_t *)arg); }

int ex_order_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    ex_order_global *g = fl_arena_calloc(ctx->arena, sizeof(*g));
    if (g == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    /* room for one run per worker, so combine does not touch the query
     * arena while other workers may still be running */
    g->run_cap = (uint32_t)(ctx->threads > 0 ? ctx->threads : 1) + (uint32_t)fl_pool_threads(ctx->pool) + 1;
    g->runs = fl_arena_alloc(ctx->arena, g->run_cap * sizeof(*g->runs));
    if (g->runs == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    pthread_mutex_init(&g->lock, NULL);
    if (fl_arena_on_reset(ctx->arena, destroy_mutex, &g->lock) < 0) {
        pthread_mutex_destroy(&g->lock);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    *gstate = g;
    return 0;
}

int ex_order_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                        void **lstate, fl_error *err)
{
    ex_order_cfg *cfg = op->data;
    ex_order_global *g = gstate;
    ex_order_local *l = fl_arena_calloc(thread_arena, sizeof(*l));
    if (l == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    pthread_mutex_lock(&g->lock);
    l->arena = fl_arena_new_child(ctx->arena, 0);
    if (cfg->limit >= 0) l->spare = fl_arena_new_child(ctx->arena, 0);
    pthread_mutex_unlock(&g->lock);
    l->scratch = fl_arena_new_child(thread_arena, 0);
    if (l->arena == NULL || l->scratch == NULL || (cfg->limit >= 0 && l->spare == NULL))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(ex_rowbuf_init(&l->buf, l->arena, cfg->buf_types, cfg->buf_cols, err));
    uint32_t extra = cfg->buf_cols - cfg->child_cols;
    l->states = fl_arena_calloc(thread_arena, (extra + 1) * sizeof(ex_expr_state *));
    l->vecs = fl_arena_calloc(thread_arena, (cfg->buf_cols + 1) * sizeof(ex_vector));
    if (l->states == NULL || l->vecs == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < extra; i++)
        FL_TRY(ex_expr_state_new(&l->states[i], cfg->extra[i], thread_arena, err));
    if (cfg->limit >= 0) {
        size_t k = (size_t)(cfg->limit + cfg->offset);
        l->kept_max = k * 2 > 4 * EX_CHUNK_ROWS ? k * 2 : 4 * EX_CHUNK_ROWS;
    }
    *lstate = l;
    return 0;
}

/* TOPN: keeps only the first limit + offset rows of the local buffer. */
static int compact(ex_order_cfg *cfg, ex_order_local *l, fl_error *err)
{
    size_t keep = (size_t)(cfg->limit + cfg->offset);
    if (l->buf.rows <= keep) return 0;
    fl_arena_reset(l->spare);
    ex_sort_run run;
    FL_TRY(ex_sort_run_build(&run, &l->buf, cfg->keys, cfg->key_count, l->spare, err));
    ex_rowbuf kept;
    FL_TRY(ex_rowbuf_gather(&kept, l->spare, &l->buf, run.perm, keep, err));
    fl_arena *t = l->arena;
    l->arena = l->spare;
    l->spare = t;
    fl_arena_reset(l->spare);
    l->buf = kept;
    return 0;
}

int ex_order_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                  fl_error *err)
{
    (void)ctx;
    (void)gstate;
    ex_order_cfg *cfg = op->data;
    ex_order_local *l = lstate;
    if (in->count == 0) return 0;
    fl_arena_reset(l->scratch);
    for (uint32_t c = 0; c < cfg->child_cols; c++) l->vecs[c] = in->cols[c];
    for (uint32_t i = 0; i < cfg->buf_cols - cfg->child_cols; i++)
        FL_TRY(ex_expr_eval(l->states[i], in, &l->vecs[cfg->child_cols + i], l->scratch, err));
    FL_TRY(ex_rowbuf_append(&l->buf, l->vecs, NULL, in->count, err));
    if (l->kept_max && l->buf.rows > l->kept_max) FL_TRY(compact(cfg, l, err));
    return 0;
}

int ex_order_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)ctx;
    ex_order_cfg *cfg = op->data;
    ex_order_global *g = gstate;
    ex_order_local *l = lstate;
    if (cfg->limit >= 0) FL_TRY(compact(cfg, l, err));
    if (l->buf.rows == 0) return 0;
    /* the run's keys live in the buffer's arena, owned by this thread */
    ex_sort_run run;
    ex_rowbuf *buf = fl_arena_alloc(l->arena, sizeof(*buf));
    if (buf == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *buf = l->buf;
    FL_TRY(ex_sort_run_build(&run, buf, cfg->keys, cfg->key_count, l->arena, err));
    int rc = 0;
    pthread_mutex_lock(&g->lock);
    if (g->run_count == g->run_cap) {
        uint32_t cap = g->run_cap ? g->run_cap * 2 : 8;
        ex_sort_run *r = fl_arena_alloc(ctx->arena, cap * sizeof(*r));
        if (r == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        else {
            if (g->run_count) memcpy(r, g->runs, g->run_count * sizeof(*r));
            g->runs = r;
            g->run_cap = cap;
        }
    }
    if (rc == 0) g->runs[g->run_count++] = run;
    pthread_mutex_unlock(&g->lock);
    return rc;
}

int ex_order_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    ex_order_cfg *cfg = op->data;
    ex_order_global *g = gstate;
    size_t total;
    FL_TRY(ex_sort_merge(&g->refs, &total, g->runs, g->run_count, cfg->keys, cfg->key_count,
                         ctx->arena, err));
    g->ref_begin = 0;
    g->ref_end = total;
    if (cfg->limit >= 0) {
        size_t off = (size_t)cfg->offset, lim = (size_t)cfg->limit;
        g->ref_begin = off < total ? off : total;
        g->ref_end = g->ref_begin + lim < total ? g->ref_begin + lim : total;
    }
    return 0;
}

int ex_order_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    order_source *s = fl_arena_calloc(ctx->arena, sizeof(*s));
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    atomic_init(&s->next_chunk, 0);
    *gstate = s;
    return 0;
}

static int order_source_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                              void **lstate, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate; (void)thread_arena; (void)err;
    *lstate = NULL;
    return 0;
}

int ex_order_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                      ex_source_result *res, fl_error *err)
{
    (void)ctx;
    (void)lstate;
    ex_order_global *g = op->sink_state;
    order_source *s = gstate;
    size_t chunk = atomic_fetch_add(&s->next_chunk, 1);
    size_t total = g->ref_end - g->ref_begin;
    size_t begin = chunk * EX_CHUNK_ROWS;
    out->count = 0;
    if (begin >= total) {
        *res = EX_SOURCE_DONE;
        return 0;
    }
    size_t n = total - begin < EX_CHUNK_ROWS ? total - begin : EX_CHUNK_ROWS;
    const ex_sort_ref *refs = g->refs + g->ref_begin + begin;
    for (uint32_t c = 0; c < op->col_count; c++) {
        ex_vector *v = &out->cols[c];
        fl_column *dst = v->col;
        v->kind = EX_VECTOR_FLAT;
        if (dst->cap < n && fl_column_reserve(dst, n) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        bool nulls = false;
        for (uint32_t r = 0; r < g->run_count && !nulls; r++)
            if (g->runs[r].buf->cols[c]->validity) nulls = true;
        if (nulls && fl_column_ensure_validity(dst) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        if (!nulls && dst->validity) memset(dst->validity, 0xff, (n + 7) / 8);
        for (size_t i = 0; i < n; i++)
            ex_column_put(dst, i, g->runs[refs[i].run].buf->cols[c], refs[i].row);
        dst->len = n;
    }
    out->count = n;
    *res = begin + n >= total ? EX_SOURCE_DONE : EX_SOURCE_HAVE_MORE;
    return 0;
}

int ex_order_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const ex_order_cfg *cfg = op->data;
    const plan_node *node = op->node;
    const plan_order *orders = node->kind == PLAN_TOPN ? node->u.limit.orders : node->u.order.orders;
    for (uint32_t k = 0; k < cfg->key_count; k++) {
        if (k && fl_buf_append_str(out, ", ") < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(plan_expr_to_string(out, orders[k].expr, err));
        if (fl_buf_appendf(out, "%s%s", orders[k].desc ? " DESC" : " ASC",
                           orders[k].nulls_first ? " NULLS FIRST" : " NULLS LAST") < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    if (node->kind == PLAN_TOPN &&
        fl_buf_appendf(out, " LIMIT %lld OFFSET %lld", (long long)cfg->limit,
                       (long long)cfg->offset) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable order_vt = {
    .name = "ORDER_BY",
    .source_global = ex_order_source_global,
    .source_local = order_source_local,
    .get_data = ex_order_get_data,
    .sink_global = ex_order_sink_global,
    .sink_local = ex_order_sink_local,
    .sink = ex_order_sink,
    .combine = ex_order_combine,
    .finalize = ex_order_finalize,
    .explain = ex_order_explain,
};

int ex_order_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    ex_op *op = fl_arena_calloc(ctx->arena, sizeof(*op));
    if (op == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(ex_order_setup(op, &order_vt, node, child, node->u.order.orders, node->u.order.count,
                          -1, 0, ctx, err));
    *out = op;
    return 0;
}
