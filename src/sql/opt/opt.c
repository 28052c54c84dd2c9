/*
 * opt.c: the optimizer's driver and shared helpers. The rules run once, in
 * a fixed order, each over the whole plan:
 *
 *   1. opt_cte.c            CTEs read once are inlined (so filters can reach them)
 *   2. opt_fold.c           constant casts folded, boolean simplification,
 *                           OR factoring, WHERE false -> EMPTY
 *   3. opt_filter_pushdown.c conjuncts pushed to scans and into join keys
 *                           (comma joins become equi-joins)
 *   4. opt_join_order.c     greedy join order on row estimates, smaller build side
 *  4b. opt_cse.c            subexpressions repeated in an aggregate's arguments or a
 *                           projection computed once in a projection below, when one
 *                           occurrence is evaluated on every row anyway; before 5,
 *                           which drops the pass-through columns nobody reads
 *   5. opt_projection.c     scans read only the columns used; unused projections dropped
 *   6. opt_dup_insensitive.c where duplicates cannot matter: INNER -> SEMI joins
 *                           when one side's columns are unused, DISTINCT into
 *                           CTEs all of whose readers ignore duplicates
 *   7. opt_build_side.c     SEMI/ANTI joins build on the smaller side (RIGHT_SEMI/ANTI);
 *                           after 6, so the semi joins it makes are considered too
 *   8. opt_semi.c           DISTINCT under SEMI/ANTI/MARK build sides that repeat rows
 *   9. opt_topn.c           ORDER BY + LIMIT -> TOPN
 *
 * Every rule keeps the bindings the plan's root produces; the statement's
 * result columns are the root's outputs in order.
 */
#include "../opt/opt.h"

#include <string.h>

#include "opt_internal.h"

int opt_list_push(fl_arena *arena, opt_expr_list *l, plan_expr *e)
{
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        plan_expr **p = fl_arena_realloc(arena, l->items, sizeof *p * l->cap, sizeof *p * cap);
        if (!p) return FLOE_ENOMEM;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->count++] = e;
    return 0;
}

int opt_list_add_conjuncts(fl_arena *arena, opt_expr_list *l, plan_expr *e)
{
    if (e->kind == PLAN_EX_AND) {
        for (uint32_t i = 0; i < e->arg_count; i++)
            FL_TRY(opt_list_add_conjuncts(arena, l, e->args[i]));
        return 0;
    }
    return opt_list_push(arena, l, e);
}

static plan_expr *subst_rec(fl_arena *arena, plan_expr *e, uint32_t table,
                            plan_expr *const *exprs, const plan_binding *to, uint32_t count)
{
    if (!e) return NULL;
    if (e->kind == PLAN_EX_COLREF) {
        if (e->u.binding.table != table || e->u.binding.column >= count) return e;
        if (exprs) return plan_expr_copy(arena, exprs[e->u.binding.column]);
        plan_expr *c = fl_arena_memdup(arena, e, sizeof *e);
        if (c) c->u.binding = to[e->u.binding.column];
        return c;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = subst_rec(arena, e->args[i], table, exprs, to, count);
        if (!a || plan_expr_cow_arg(arena, e, &copy, i, a) < 0) return NULL;
    }
    plan_expr *res = copy ? copy : e;
    if (e->kind == PLAN_EX_AGG && e->u.agg.filter) {
        plan_expr *f = subst_rec(arena, e->u.agg.filter, table, exprs, to, count);
        if (!f) return NULL;
        if (f != e->u.agg.filter) {
            if (res == e && !(res = fl_arena_memdup(arena, e, sizeof *e))) return NULL;
            res->u.agg.filter = f;
        }
    }
    if (e->kind == PLAN_EX_WINDOW && e->u.window.spec) {
        /* window specs are rewritten on a deep copy (rare: only substitutions through them) */
        const plan_window_spec *s = e->u.window.spec;
        bool touches = false;
        for (uint32_t i = 0; i < s->partition_count && !touches; i++)
            touches = subst_rec(arena, s->partition[i], table, exprs, to, count) != s->partition[i];
        for (uint32_t i = 0; i < s->order_count && !touches; i++)
            touches = subst_rec(arena, s->order[i].expr, table, exprs, to, count) != s->order[i].expr;
        if (touches) {
            plan_expr *d = plan_expr_copy(arena, res);
            if (!d) return NULL;
            plan_window_spec *ds = d->u.window.spec;
            for (uint32_t i = 0; i < ds->partition_count; i++)
                if (!(ds->partition[i] = subst_rec(arena, ds->partition[i], table, exprs, to, count)))
                    return NULL;
            for (uint32_t i = 0; i < ds->order_count; i++)
                if (!(ds->order[i].expr = subst_rec(arena, ds->order[i].expr, table, exprs, to, count)))
                    return NULL;
            res = d;
        }
    }
    return res;
}

plan_expr *opt_subst(fl_arena *arena, plan_expr *e, uint32_t table, plan_expr *const *exprs,
                     uint32_t count)
{
    return subst_rec(arena, e, table, exprs, NULL, count);
}

plan_expr *opt_rebind(fl_arena *arena, plan_expr *e, uint32_t table, const plan_binding *to,
                      uint32_t count)
{
    return subst_rec(arena, e, table, NULL, to, count);
}

plan_node *opt_filter_over(fl_arena *arena, plan_node *child, opt_expr_list *l)
{
    if (!l->count) return child;
    plan_node *f = plan_node_new(arena, PLAN_FILTER, 1);
    if (!f) return NULL;
    f->children[0] = child;
    f->u.filter.exprs = l->items;
    f->u.filter.count = l->count;
    return f;
}

double opt_estimate(plan_node *n)
{
    double est = 0, c0 = n->child_count ? opt_estimate(n->children[0]) : 1;
    for (uint32_t i = 1; i < n->child_count; i++) opt_estimate(n->children[i]);
    switch (n->kind) {
    case PLAN_GET:
        est = n->u.get.source->estimated_rows > 0 ? n->u.get.source->estimated_rows : 1000;
        for (uint32_t i = 0; i < n->u.get.filter_count && i < 3; i++) est *= 0.2;
        break;
    case PLAN_TABLE_FUNCTION:
        est = n->estimated_rows > 0 ? n->estimated_rows : 1000;
        break;
    case PLAN_FILTER: est = c0 * 0.3; break;
    case PLAN_AGGREGATE:
        est = n->u.aggregate.group_count ? c0 * 0.3 : 1;
        break;
    case PLAN_JOIN: {
        double c1 = n->children[1]->estimated_rows;
        switch (n->u.join.type) {
        case PLAN_JOIN_SEMI: case PLAN_JOIN_ANTI: est = c0 * 0.5; break;
        case PLAN_JOIN_RIGHT_SEMI: case PLAN_JOIN_RIGHT_ANTI: est = c1 * 0.5; break;
        case PLAN_JOIN_MARK: case PLAN_JOIN_SINGLE: case PLAN_JOIN_LEFT: est = c0; break;
        default:
            if (n->u.join.cond_count && n->u.join.type == PLAN_JOIN_INNER) {
                /* as join ordering estimates it: the filtered share of the
                 * smaller key domain survives (key/foreign-key join) */
                double b0 = opt_base_rows(n->children[0]), b1 = opt_base_rows(n->children[1]);
                double dom = b0 < b1 ? b0 : b1;
                est = c0 * c1 / (dom > 1 ? dom : 1);
            } else {
                est = n->u.join.cond_count ? (c0 > c1 ? c0 : c1) : c0 * c1;
            }
            break;
        }
        break;
    }
    case PLAN_LIMIT: case PLAN_TOPN:
        est = n->u.limit.limit >= 0 && (double)n->u.limit.limit < c0 ? (double)n->u.limit.limit : c0;
        break;
    case PLAN_SETOP: est = c0 + n->children[1]->estimated_rows; break;
    case PLAN_VALUES: est = n->u.values.row_count; break;
    case PLAN_DUMMY_SCAN: est = 1; break;
    case PLAN_EMPTY: est = 0; break;
    case PLAN_CTE_MATERIALIZE: est = n->children[1]->estimated_rows; break;
    case PLAN_CTE_SCAN: est = n->estimated_rows > 0 ? n->estimated_rows : 1000; break;
    default: est = c0; break;
    }
    if (est < 1 && n->kind != PLAN_EMPTY) est = 1;
    n->estimated_rows = est;
    return est;
}

int opt_optimize(plan_stmt *stmt, fl_arena *arena, fl_error *err)
{
    if (stmt->kind == PLAN_STMT_EXPLAIN && stmt->explain_of)
        return opt_optimize(stmt->explain_of, arena, err);
    if (!stmt->root) return 0;
    plan_node **root = &stmt->root;
    FL_TRY(opt_cte_inline(root, arena, err));
    FL_TRY(opt_fold(root, arena, err));
    FL_TRY(opt_filter_pushdown(root, arena, err));
    FL_TRY(opt_join_order(root, arena, err));
    FL_TRY(opt_cse(root, &stmt->next_table_index, arena, err));   /* before 5: it prunes the pass-through columns */
    FL_TRY(opt_projection(root, stmt->next_table_index, arena, err));
    FL_TRY(opt_dup_insensitive(root, &stmt->next_table_index, arena, err));
    FL_TRY(opt_build_side(root, arena, err));
    FL_TRY(opt_semi_distinct(root, arena, err));
    FL_TRY(opt_topn(root, arena, err));
    opt_estimate(*root);
    return 0;
}
