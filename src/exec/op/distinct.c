/*
 * distinct.c: PLAN_DISTINCT, duplicate elimination over all child columns.
 *
 * A DISTINCT is a GROUP BY of every column without aggregates, so this
 * builds the hash aggregate (hash_agg.c: radix-partitioned thread-local
 * tables, parallel merge and emission) over a PLAN_AGGREGATE node made up
 * here, whose groups are references to the child's outputs. NULLs are equal
 * to each other, as DISTINCT requires. The output is the child's columns in
 * their order (plan.h: DISTINCT outputs the child's bindings).
 */
#include <string.h>

#include "hash_util.h"

int ex_distinct_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    if (node->kind != PLAN_DISTINCT || node->child_count != 1)
        return fl_error_set(err, FLOE_EINTERNAL, "DISTINCT over a plan node of another kind");
    plan_binding *b;
    fl_type *t;
    uint32_t n;
    FL_TRY(ja_node_outputs(node->children[0], a, &b, &t, &n, err));
    plan_node *agg = fl_arena_calloc(a, sizeof *agg);
    plan_expr **groups = fl_arena_calloc(a, (n + 1) * sizeof *groups);
    if (!agg || !groups) return fl_error_set(err, FLOE_ENOMEM, "out of memory for DISTINCT");
    for (uint32_t i = 0; i < n; i++) {
        groups[i] = plan_expr_colref(a, b[i], t[i], "distinct");
        if (!groups[i]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for DISTINCT");
    }
    agg->kind = PLAN_AGGREGATE;
    agg->children = node->children;
    agg->child_count = 1;
    agg->estimated_rows = node->estimated_rows;
    agg->u.aggregate.groups = groups;
    agg->u.aggregate.group_count = n;
    FL_TRY(ja_hash_agg_new_inputs(out, agg, &child, 1, "HASH_DISTINCT", ctx, err));
    (*out)->node = node;
    return 0;
}
