/*
 * filter.c: WHERE / HAVING (PLAN_FILTER): keeps the rows for which every
 * conjunct is true. The conjuncts compile to one AND expression, which
 * ex_expr_select evaluates conjunct by conjunct on the rows still selected;
 * the kept rows are gathered into the output (string bytes stay borrowed
 * from the input; a dictionary vector keeps its dictionary and only its
 * indices are gathered), or the input passes through untouched when every
 * row qualifies. A conjunct over one dictionary column is tested once per
 * dictionary entry (ex_expr_dict.c).
 */
#include <string.h>

#include "../ex_spine.h"

typedef struct filter_data {
    ex_expr *pred;
} filter_data;

typedef struct filter_local {
    ex_expr_state *st;
    uint32_t *sel;
} filter_local;

static int filter_local_new(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                            void **lstate, fl_error *err)
{
    (void)ctx; (void)gstate;
    const filter_data *d = op->data;
    filter_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l || !(l->sel = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS * sizeof *l->sel)))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a filter");
    FL_TRY(ex_expr_state_new(&l->st, d->pred, thread_arena, err));
    *lstate = l;
    return 0;
}

static int filter_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                          ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate;
    filter_local *l = lstate;
    *res = EX_NEED_MORE_INPUT;
    if (in->count > EX_CHUNK_ROWS)
        return fl_error_set(err, FLOE_EINTERNAL, "chunk of %zu rows is over the limit", in->count);
    size_t n = 0;
    FL_TRY(ex_expr_select(l->st, in, l->sel, &n, out->arena, err));
    if (n == in->count) {
        memcpy(out->cols, in->cols, in->col_count * sizeof *out->cols);
    } else if (n > 0) {
        for (uint32_t c = 0; c < in->col_count; c++)
            FL_TRY(ex_vector_slice(&out->cols[c], &in->cols[c], l->sel, n, out->arena, err));
    }
    out->count = n;
    return 0;
}

static int filter_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const plan_node *n = op->node;
    for (uint32_t i = 0; n && i < n->u.filter.count; i++) {
        if (i && fl_buf_append_str(out, " AND ") < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(plan_expr_to_string(out, n->u.filter.exprs[i], err));
    }
    return 0;
}

static const ex_op_vtable filter_vt = {
    .name = "FILTER",
    .op_local = filter_local_new,
    .execute = filter_execute,
    .explain = filter_explain,
    .dict_execute = true,
};

int ex_filter_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    plan_binding *b;
    fl_type *types;
    uint32_t n;
    FL_TRY(ex_node_layout(node->children[0], ctx, &b, &types, &n, err));
    if (n != child->col_count)
        return fl_error_set(err, FLOE_EINTERNAL, "filter input has %u columns, its operator %u", n,
                            child->col_count);
    ex_op *op;
    FL_TRY(ex_op_alloc(&op, &filter_vt, node, child->types, child->col_count, &child, 1, ctx, err));
    filter_data *d = fl_arena_calloc(ctx->arena, sizeof *d);
    if (!d) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning a filter");
    const plan_expr *pred;
    if (node->u.filter.count == 1) {
        pred = node->u.filter.exprs[0];
    } else {
        plan_expr *and = fl_arena_calloc(ctx->arena, sizeof *and);
        if (!and) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning a filter");
        and->kind = PLAN_EX_AND;
        and->type = fl_type_make(FL_TYPE_BOOL);
        and->args = node->u.filter.exprs;
        and->arg_count = node->u.filter.count;
        if (and->arg_count == 0) {
            and->kind = PLAN_EX_CONST;
            and->u.value.type = and->type;
            and->u.value.v.b = true;
        }
        pred = and;
    }
    FL_TRY(ex_expr_compile(&d->pred, pred, b, n, ctx->arena, err));
    op->data = d;
    *out = op;
    return 0;
}
