/*
 * opt_semi.c: duplicate elimination under the build side of SEMI, ANTI
 * and MARK joins. These joins only ask whether a matching right row
 * exists, so the right input's duplicates never change their result; when
 * that input is a join or a CTE reader (where one key often repeats many
 * times, as TPC-DS 95's `IN (SELECT ws_order_number FROM ws_wh)` over a
 * 6.6M-row self-join of 30k orders), a DISTINCT over its (narrow, already
 * pruned) columns shrinks the join's hash table by orders of magnitude.
 * Runs after projection pruning, so the DISTINCT sees only the columns the
 * join reads. Right inputs that are plain scans, aggregates or already
 * DISTINCT are left alone (no duplicates to gain from, or none at all;
 * measured on TPC-DS 95: deduplicating web_sales' (order, warehouse) pairs
 * under the ws_wh semi join costs more than the shorter chains save).
 */
#include "opt_internal.h"

/* widest right input (columns) worth deduplicating */
#define SEMI_DISTINCT_MAX_COLS 3

/* The definition of CTE cte (children[0] of its CTE_MATERIALIZE), or NULL. */
static const plan_node *cte_definition(const plan_node *n, uint32_t cte)
{
    if (n->kind == PLAN_CTE_MATERIALIZE && n->u.cte.cte_index == cte) return n->children[0];
    for (uint32_t i = 0; i < n->child_count; i++) {
        const plan_node *d = cte_definition(n->children[i], cte);
        if (d) return d;
    }
    return NULL;
}

/* Whether n may repeat rows: a join or a CTE reader below pass-through
 * operators; not a reader of a CTE whose definition is already distinct
 * (opt_dup_insensitive.c puts DISTINCT there when every reader ignores
 * duplicates). */
static bool may_repeat(const plan_node *n, const plan_node *root)
{
    for (;;) {
        switch (n->kind) {
        case PLAN_PROJECT: case PLAN_FILTER:
            n = n->children[0];
            continue;
        case PLAN_JOIN:
            return n->u.join.type == PLAN_JOIN_INNER || n->u.join.type == PLAN_JOIN_LEFT ||
                   n->u.join.type == PLAN_JOIN_RIGHT || n->u.join.type == PLAN_JOIN_FULL;
        case PLAN_CTE_SCAN: {
            const plan_node *def = cte_definition(root, n->u.cte.cte_index);
            return !def || def->kind != PLAN_DISTINCT;
        }
        default:
            return false;
        }
    }
}

static int semi_rec(plan_node *n, const plan_node *root, fl_arena *arena, fl_error *err)
{
    for (uint32_t i = 0; i < n->child_count; i++)
        FL_TRY(semi_rec(n->children[i], root, arena, err));
    if (n->kind != PLAN_JOIN || n->child_count != 2) return 0;
    if (n->u.join.type != PLAN_JOIN_SEMI && n->u.join.type != PLAN_JOIN_ANTI &&
        n->u.join.type != PLAN_JOIN_MARK)
        return 0;
    plan_node *r = n->children[1];
    if (!may_repeat(r, root)) return 0;
    plan_binding *outs;
    uint32_t count;
    FL_TRY(plan_node_outputs(r, arena, &outs, NULL, &count, err));
    if (count == 0 || count > SEMI_DISTINCT_MAX_COLS) return 0;
    plan_node *d = plan_node_new(arena, PLAN_DISTINCT, 1);
    if (!d) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    d->children[0] = r;
    n->children[1] = d;
    return 0;
}

int opt_semi_distinct(plan_node **root, fl_arena *arena, fl_error *err)
{
    return semi_rec(*root, *root, arena, err);
}
