/*
 * opt_cte.c: CTE inlining. The binder materializes every referenced CTE
 * (PLAN_CTE_MATERIALIZE over the definition and the query, PLAN_CTE_SCAN
 * at each reference). A CTE read exactly once is inlined: its scan is
 * replaced by the definition under a PROJECT that re-exports the
 * definition's outputs with the scan's table index, so expressions above
 * are untouched and later rules (filter pushdown, projection pruning) see
 * through it. CTEs read more than once stay materialized (computed once).
 */
#include <string.h>

#include "opt_internal.h"

static uint32_t count_scans(const plan_node *n, uint32_t cte)
{
    uint32_t c = n->kind == PLAN_CTE_SCAN && n->u.cte.cte_index == cte;
    for (uint32_t i = 0; i < n->child_count; i++) c += count_scans(n->children[i], cte);
    return c;
}

static int replace_scan(plan_node **np, uint32_t cte, plan_node *def, fl_arena *arena,
                        fl_error *err, bool *done)
{
    plan_node *n = *np;
    if (n->kind == PLAN_CTE_SCAN && n->u.cte.cte_index == cte) {
        plan_binding *outs;
        fl_type *types;
        uint32_t count;
        FL_TRY(plan_node_outputs(def, arena, &outs, &types, &count, err));
        plan_node *p = plan_node_new(arena, PLAN_PROJECT, 1);
        if (!p) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        p->children[0] = def;
        p->table_index = n->table_index;
        p->u.project.exprs = fl_arena_alloc(arena, sizeof(plan_expr *) * (count + 1));
        if (!p->u.project.exprs) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        for (uint32_t i = 0; i < count; i++) {
            p->u.project.exprs[i] = plan_expr_colref(arena, outs[i], types[i], NULL);
            if (!p->u.project.exprs[i]) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        p->u.project.count = count;
        *np = p;
        *done = true;
        return 0;
    }
    for (uint32_t i = 0; i < n->child_count && !*done; i++)
        FL_TRY(replace_scan(&n->children[i], cte, def, arena, err, done));
    return 0;
}

static int inline_rec(plan_node **np, fl_arena *arena, fl_error *err)
{
    plan_node *n = *np;
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(inline_rec(&n->children[i], arena, err));
    if (n->kind != PLAN_CTE_MATERIALIZE) return 0;
    uint32_t refs = count_scans(n->children[1], n->u.cte.cte_index);
    if (refs > 1) return 0;
    if (refs == 1) {
        bool done = false;
        FL_TRY(replace_scan(&n->children[1], n->u.cte.cte_index, n->children[0], arena, err,
                            &done));
    }
    *np = n->children[1];
    return 0;
}

int opt_cte_inline(plan_node **root, fl_arena *arena, fl_error *err)
{
    return inline_rec(root, arena, err);
}
