/*
 * opt_topn.c: ORDER BY followed by LIMIT becomes one PLAN_TOPN (a heap of
 * limit + offset rows instead of a full sort), DuckDB's TopN rule. The
 * binder places LIMIT directly over ORDER (a projection dropping hidden
 * ORDER BY columns sits above the LIMIT), so the pattern is LIMIT(ORDER(x)).
 */
#include "opt_internal.h"

static void topn_rec(plan_node **np)
{
    plan_node *n = *np;
    for (uint32_t i = 0; i < n->child_count; i++) topn_rec(&n->children[i]);
    if (n->kind != PLAN_LIMIT || n->u.limit.limit < 0) return;
    plan_node *o = n->children[0];
    if (o->kind != PLAN_ORDER) return;
    n->kind = PLAN_TOPN;
    n->u.limit.orders = o->u.order.orders;
    n->u.limit.order_count = o->u.order.count;
    n->children[0] = o->children[0];
}

int opt_topn(plan_node **root, fl_arena *arena, fl_error *err)
{
    (void)arena;
    (void)err;
    topn_rec(root);
    return 0;
}
