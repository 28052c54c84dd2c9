/*
 * project.c: PLAN_PROJECT: one compiled expression per output column,
 * evaluated per chunk. A column reference returns the input vector itself,
 * so passing columns through costs nothing; constants stay constant
 * vectors and dictionary vectors stay dictionaries (an expression of one
 * dictionary column is computed per entry, see ex_expr_dict.c).
 */
#include <string.h>

#include "../ex_spine.h"

typedef struct project_data {
    ex_expr **exprs;
    uint32_t count;
} project_data;

typedef struct project_local {
    ex_expr_state **st;
} project_local;

static int project_local_new(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                             void **lstate, fl_error *err)
{
    (void)ctx; (void)gstate;
    const project_data *d = op->data;
    project_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l || !(l->st = fl_arena_calloc(thread_arena, (d->count + 1) * sizeof *l->st)))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a projection");
    for (uint32_t i = 0; i < d->count; i++)
        FL_TRY(ex_expr_state_new(&l->st[i], d->exprs[i], thread_arena, err));
    *lstate = l;
    return 0;
}

static int project_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                           ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx; (void)gstate;
    const project_data *d = op->data;
    project_local *l = lstate;
    *res = EX_NEED_MORE_INPUT;
    for (uint32_t i = 0; i < d->count; i++)
        FL_TRY(ex_expr_eval_dict(l->st[i], in, &out->cols[i], out->arena, err));
    out->count = in->count;
    return 0;
}

static int project_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const plan_node *n = op->node;
    for (uint32_t i = 0; n && i < n->u.project.count; i++) {
        if (i && fl_buf_append_str(out, ", ") < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(plan_expr_to_string(out, n->u.project.exprs[i], err));
    }
    return 0;
}

static const ex_op_vtable project_vt = {
    .name = "PROJECTION",
    .op_local = project_local_new,
    .execute = project_execute,
    .explain = project_explain,
    .dict_execute = true,
};

int ex_project_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    plan_binding *b;
    fl_type *types;
    uint32_t n;
    FL_TRY(ex_node_layout(node->children[0], ctx, &b, &types, &n, err));
    if (n != child->col_count)
        return fl_error_set(err, FLOE_EINTERNAL, "projection input has %u columns, its operator %u",
                            n, child->col_count);
    ex_op *op;
    FL_TRY(ex_op_alloc(&op, &project_vt, node, NULL, 0, &child, 1, ctx, err));
    project_data *d = fl_arena_calloc(ctx->arena, sizeof *d);
    uint32_t count = node->u.project.count;
    if (!d || !(d->exprs = fl_arena_calloc(ctx->arena, (count + 1) * sizeof *d->exprs)))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory planning a projection");
    d->count = count;
    for (uint32_t i = 0; i < count; i++) {
        FL_TRY(ex_expr_compile(&d->exprs[i], node->u.project.exprs[i], b, n, ctx->arena, err));
        op->types[i] = ex_expr_type(d->exprs[i]);
    }
    op->data = d;
    *out = op;
    return 0;
}
