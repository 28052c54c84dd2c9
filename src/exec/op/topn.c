/*
 * topn.c: TOPN (PLAN_TOPN: ORDER BY .. LIMIT n OFFSET m fused by the
 * optimizer), a sink that keeps only the first n + m rows.
 *
 * Each thread buffers its chunks and, whenever the buffer holds more than
 * max(2 (n + m), 4 chunks) rows, sorts it and keeps the first n + m rows
 * (a batched heap: amortized O(log) per row without per-row work). combine
 * trims the buffer a last time and sorts it into a run; finalize merges the
 * runs and keeps references [m, m + n). The rest (keys, buffers, the
 * source side) is ORDER BY's, see order.c and order_int.h.
 *
 * FETCH FIRST n ROWS WITH TIES (node->u.limit.with_ties) keeps, besides,
 * every row that ties with the (m + n)-th row on the sort keys. The shared
 * ORDER BY machinery then runs as a plain sort (its cfg->limit is -1: it
 * trims nothing) and this file trims instead, from the node's limit and
 * offset: a thread's buffer is cut after its first n + m rows and the rows
 * tied with the last of them (any of those may be in the answer), and
 * finalize cuts the merged order the same way. n = 0 keeps no rows.
 */
#include <string.h>

#include "order_int.h"

typedef struct ties_local {
    ex_order_local *inner;         /* ORDER BY's local state */
    fl_arena *spare;               /* compaction target, swapped with inner->arena */
    size_t kept_max;               /* compact above this many rows */
} ties_local;

static int topn_source_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                             void **lstate, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate; (void)thread_arena; (void)err;
    *lstate = NULL;
    return 0;
}

static const ex_op_vtable topn_vt = {
    .name = "TOP_N",
    .source_global = ex_order_source_global,
    .source_local = topn_source_local,
    .get_data = ex_order_get_data,
    .sink_global = ex_order_sink_global,
    .sink_local = ex_order_sink_local,
    .sink = ex_order_sink,
    .combine = ex_order_combine,
    .finalize = ex_order_finalize,
    .explain = ex_order_explain,
};

/* ---------------------------------------------------------------- WITH TIES */

/* The node's limit and offset (a negative offset is none), each capped at
 * 2^60: no input has that many rows, so a bigger LIMIT means "all rows" and
 * a bigger OFFSET "none" all the same, and limit + offset cannot overflow. */
#define TOPN_CAP (INT64_MAX / 8)
static void topn_bounds(const plan_node *node, int64_t *limit, int64_t *offset)
{
    int64_t lim = node->u.limit.limit, off = node->u.limit.offset > 0 ? node->u.limit.offset : 0;
    *limit = lim > TOPN_CAP ? TOPN_CAP : lim;
    *offset = off > TOPN_CAP ? TOPN_CAP : off;
}

/* Rows before the tie cut: offset + limit. */
static size_t ties_keep(const ex_op *op)
{
    int64_t lim, off;
    topn_bounds(op->node, &lim, &off);
    return (size_t)(lim + off);
}

static int ties_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                           void **lstate, fl_error *err)
{
    ties_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a top-n with ties");
    FL_TRY(ex_order_sink_local(op, ctx, gstate, thread_arena, (void **)&l->inner, err));
    ex_order_global *g = gstate;
    pthread_mutex_lock(&g->lock);   /* the query arena is shared */
    l->spare = fl_arena_new_child(ctx->arena, 0);
    pthread_mutex_unlock(&g->lock);
    if (!l->spare) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a top-n with ties");
    size_t k = ties_keep(op);
    l->kept_max = k * 2 > 4 * EX_CHUNK_ROWS ? k * 2 : 4 * EX_CHUNK_ROWS;
    *lstate = l;
    return 0;
}

/* Keeps the first `keep` rows of the thread's buffer and the rows tied with
 * the last of them. */
static int ties_compact(const ex_order_cfg *cfg, ties_local *l, size_t keep, fl_error *err)
{
    ex_order_local *in = l->inner;
    if (in->buf.rows <= keep) return 0;
    fl_arena_reset(l->spare);
    ex_sort_run run;
    FL_TRY(ex_sort_run_build(&run, &in->buf, cfg->keys, cfg->key_count, l->spare, err));
    size_t n = keep;
    if (keep > 0)
        while (n < run.rows &&
               ex_sort_cmp(&run, run.perm[keep - 1], &run, run.perm[n], cfg->keys, cfg->key_count) == 0)
            n++;
    if (n == in->buf.rows) {
        /* all ties: nothing to drop; compact again only after as many new rows */
        l->kept_max = n * 2;
        return 0;
    }
    ex_rowbuf kept;
    FL_TRY(ex_rowbuf_gather(&kept, l->spare, &in->buf, run.perm, n, err));
    fl_arena *t = in->arena;
    in->arena = l->spare;
    l->spare = t;
    fl_arena_reset(l->spare);
    in->buf = kept;
    if (n * 2 > l->kept_max) l->kept_max = n * 2;
    return 0;
}

static int ties_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                     fl_error *err)
{
    ties_local *l = lstate;
    FL_TRY(ex_order_sink(op, ctx, gstate, l->inner, in, err));
    if (l->inner->buf.rows > l->kept_max) FL_TRY(ties_compact(op->data, l, ties_keep(op), err));
    return 0;
}

static int ties_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    ties_local *l = lstate;
    FL_TRY(ties_compact(op->data, l, ties_keep(op), err));
    return ex_order_combine(op, ctx, gstate, l->inner, err);
}

static int ties_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    const ex_order_cfg *cfg = op->data;
    ex_order_global *g = gstate;
    FL_TRY(ex_order_finalize(op, ctx, gstate, err));
    int64_t lim64, off64;
    topn_bounds(op->node, &lim64, &off64);
    size_t total = g->ref_end, off = (size_t)off64, lim = (size_t)lim64;
    g->ref_begin = off < total ? off : total;
    size_t end = lim < total - g->ref_begin ? g->ref_begin + lim : total;
    if (lim > 0 && end > g->ref_begin) {
        const ex_sort_ref *last = &g->refs[end - 1];
        while (end < total) {
            const ex_sort_ref *r = &g->refs[end];
            if (ex_sort_cmp(&g->runs[last->run], last->row, &g->runs[r->run], r->row, cfg->keys,
                            cfg->key_count) != 0)
                break;
            end++;
        }
    }
    g->ref_end = end;
    return 0;
}

static int ties_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const plan_node *node = op->node;
    for (uint32_t k = 0; k < node->u.limit.order_count; k++) {
        const plan_order *o = &node->u.limit.orders[k];
        if (k && fl_buf_append_str(out, ", ") < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(plan_expr_to_string(out, o->expr, err));
        if (fl_buf_appendf(out, "%s%s", o->desc ? " DESC" : " ASC",
                           o->nulls_first ? " NULLS FIRST" : " NULLS LAST") < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    if (fl_buf_appendf(out, " LIMIT %lld WITH TIES OFFSET %lld", (long long)node->u.limit.limit,
                       (long long)(node->u.limit.offset > 0 ? node->u.limit.offset : 0)) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable topn_ties_vt = {
    .name = "TOP_N",
    .source_global = ex_order_source_global,
    .source_local = topn_source_local,
    .get_data = ex_order_get_data,
    .sink_global = ex_order_sink_global,
    .sink_local = ties_sink_local,
    .sink = ties_sink,
    .combine = ties_combine,
    .finalize = ties_finalize,
    .explain = ties_explain,
};

int ex_topn_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    if (node->u.limit.limit < 0)
        return fl_error_set(err, FLOE_EINTERNAL, "top-n operator without a limit");
    int64_t limit, offset;
    topn_bounds(node, &limit, &offset);
    ex_op *op = fl_arena_calloc(ctx->arena, sizeof(*op));
    if (op == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (node->u.limit.with_ties) {
        /* a plain sort underneath; this file's callbacks trim */
        FL_TRY(ex_order_setup(op, &topn_ties_vt, node, child, node->u.limit.orders,
                              node->u.limit.order_count, -1, 0, ctx, err));
    } else {
        FL_TRY(ex_order_setup(op, &topn_vt, node, child, node->u.limit.orders,
                              node->u.limit.order_count, limit, offset, ctx, err));
    }
    *out = op;
    return 0;
}
