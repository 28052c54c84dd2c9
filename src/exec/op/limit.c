/*
 * limit.c: LIMIT / OFFSET (PLAN_LIMIT). Threads claim row ranges from one
 * atomic counter shared by the whole query (the operator's global state),
 * so LIMIT n yields n rows however many threads feed it; rows of the
 * claimed range inside [offset, offset + limit) are passed on. Once the
 * counter passes offset + limit the operator answers EX_FINISHED and the
 * pipeline stops reading its source. Over an ordered source the pipeline
 * runs on one thread, so the rows kept are the first ones in order.
 */
#include <stdatomic.h>
#include <string.h>

#include "../ex_spine.h"

typedef struct limit_data {
    int64_t limit;     /* -1: none */
    int64_t offset;
} limit_data;

typedef struct limit_global {
    atomic_llong seen;
} limit_global;

static int limit_global_new(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    limit_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a limit");
    atomic_init(&g->seen, 0);
    *gstate = g;
    return 0;
}

static int limit_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                         ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx; (void)lstate;
    const limit_data *d = op->data;
    limit_global *g = gstate;
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
    if (lo >= hi) return 0;
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

static int limit_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const limit_data *d = op->data;
    int rc = d->limit >= 0 ? fl_buf_appendf(out, "limit %lld", (long long)d->limit) : 0;
    if (rc == 0 && d->offset)
        rc = fl_buf_appendf(out, "%soffset %lld", d->limit >= 0 ? " " : "", (long long)d->offset);
    return rc < 0 ? fl_error_set(err, FLOE_ENOMEM, "out of memory") : 0;
}

static const ex_op_vtable limit_vt = {
    .name = "LIMIT",
    .op_global = limit_global_new,
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
    op->data = d;
    *out = op;
    return 0;
}
