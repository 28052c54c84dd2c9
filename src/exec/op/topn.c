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
 */
#include "order_int.h"

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

int ex_topn_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    int64_t limit = node->u.limit.limit, offset = node->u.limit.offset;
    if (limit < 0)
        return fl_error_set(err, FLOE_EINTERNAL, "top-n operator without a limit");
    if (offset < 0) offset = 0;
    if (limit > INT64_MAX / 4 - offset)
        return fl_error_set(err, FLOE_ERANGE, "limit %lld is too large", (long long)limit);
    ex_op *op = fl_arena_calloc(ctx->arena, sizeof(*op));
    if (op == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(ex_order_setup(op, &topn_vt, node, child, node->u.limit.orders,
                          node->u.limit.order_count, limit, offset, ctx, err));
    *out = op;
    return 0;
}
