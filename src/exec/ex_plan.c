/*
 * ex_plan.c: the physical planner: an optimized logical plan (plan.h)
 * becomes a tree of ex_op, one operator constructor per logical node kind
 * (op.h). Children are planned first; each constructor compiles its
 * expressions against its children's output bindings.
 *
 * Joins with at least one equality (or IS NOT DISTINCT FROM) condition
 * become hash joins, the others nested loop joins. A CTE_MATERIALIZE's
 * definition is planned before its query so the CTE_SCANs in the query can
 * be linked to the materializing operator (by cte_index).
 */
#include <string.h>

#include "ex_spine.h"


int ex_node_layout(const plan_node *node, ex_ctx *ctx, plan_binding **bindings, fl_type **types,
                   uint32_t *count, fl_error *err)
{
    return plan_node_outputs(node, ctx->arena, bindings, types, count, err);
}

int ex_op_alloc(ex_op **out, const ex_op_vtable *vt, const plan_node *node, const fl_type *types,
                uint32_t col_count, ex_op **children, uint32_t child_count, ex_ctx *ctx,
                fl_error *err)
{
    ex_op *op = fl_arena_calloc(ctx->arena, sizeof *op);
    if (!op) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning");
    op->vt = vt;
    op->node = node;
    op->estimated_rows = node ? node->estimated_rows : 0;
    if (types) {
        op->types = fl_arena_memdup(ctx->arena, types, (col_count ? col_count : 1) * sizeof *types);
        if (!op->types) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning");
        op->col_count = col_count;
    } else if (node) {
        plan_binding *b;
        FL_TRY(ex_node_layout(node, ctx, &b, &op->types, &op->col_count, err));
    }
    if (child_count) {
        op->children = fl_arena_alloc(ctx->arena, child_count * sizeof *op->children);
        if (!op->children) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning");
        memcpy(op->children, children, child_count * sizeof *children);
        op->child_count = child_count;
    }
    *out = op;
    return 0;
}

typedef struct cte_link {
    uint32_t cte_index;
    ex_op *op;
} cte_link;

typedef struct planner {
    ex_ctx *ctx;
    cte_link *ctes;
    uint32_t cte_count, cte_cap;
    fl_error *err;
} planner;

static bool has_equi_cond(const plan_node *node)
{
    for (uint32_t i = 0; i < node->u.join.cond_count; i++) {
        plan_cmp c = node->u.join.conds[i].cmp;
        if (c == PLAN_CMP_EQ || c == PLAN_CMP_NOT_DISTINCT) return true;
    }
    return false;
}

static int plan_rec(planner *p, const plan_node *node, ex_op **out, int depth);

static int plan_cte(planner *p, const plan_node *node, ex_op **out, int depth)
{
    ex_op *def, *query, *cte;
    FL_TRY(plan_rec(p, node->children[0], &def, depth + 1));
    FL_TRY(ex_cte_new(&cte, node, def, NULL, p->ctx, p->err));
    if (p->cte_count == p->cte_cap) {
        uint32_t cap = p->cte_cap ? p->cte_cap * 2 : 4;
        cte_link *l = fl_arena_realloc(p->ctx->arena, p->ctes, p->cte_cap * sizeof *l, cap * sizeof *l);
        if (!l) return fl_error_set(p->err, FLOE_ENOMEM, "out of memory planning");
        p->ctes = l;
        p->cte_cap = cap;
    }
    p->ctes[p->cte_count].cte_index = node->u.cte.cte_index;
    p->ctes[p->cte_count++].op = cte;
    FL_TRY(plan_rec(p, node->children[1], &query, depth + 1));
    cte->children[0] = query;
    cte->types = query->types;
    cte->col_count = query->col_count;
    *out = cte;
    return 0;
}

static int plan_cte_scan(planner *p, const plan_node *node, ex_op **out)
{
    FL_TRY(ex_cte_scan_new(out, node, p->ctx, p->err));
    for (uint32_t i = p->cte_count; i-- > 0;) {
        if (p->ctes[i].cte_index == node->u.cte.cte_index) {
            ex_cte_scan_link(*out, p->ctes[i].op);
            return 0;
        }
    }
    return fl_error_set(p->err, FLOE_EINTERNAL, "CTE %u is scanned outside its definition",
                        node->u.cte.cte_index);
}

static int plan_join(planner *p, const plan_node *node, ex_op *l, ex_op *r, ex_op **out)
{
    if (has_equi_cond(node)) {
        return ex_hash_join_new(out, node, l, r, p->ctx, p->err);
    }
    if (node->u.join.type == PLAN_JOIN_RIGHT_SEMI || node->u.join.type == PLAN_JOIN_RIGHT_ANTI)
        return fl_error_set(p->err, FLOE_EINTERNAL, "right semi/anti join without an equality condition");
    return ex_nl_join_new(out, node, l, r, p->ctx, p->err);
}

static int plan_rec(planner *p, const plan_node *node, ex_op **out, int depth)
{
    if (depth > 2000)
        return fl_error_set_sqlstate(p->err, FLOE_ELIMIT, "54001", "query plan is too deep");
    ex_ctx *ctx = p->ctx;
    fl_error *err = p->err;
    if (node->kind == PLAN_CTE_MATERIALIZE) return plan_cte(p, node, out, depth);
    ex_op *kids[2] = {NULL, NULL};
    uint32_t n = node->child_count > 2 ? 2 : node->child_count;
    for (uint32_t i = 0; i < n; i++) FL_TRY(plan_rec(p, node->children[i], &kids[i], depth + 1));
    int rc;
    switch (node->kind) {
    case PLAN_GET:
        rc = ex_scan_new(out, node, ctx, err);
        break;
    case PLAN_TABLE_FUNCTION:
        rc = ex_table_fn_new(out, node, ctx, err);
        break;
    case PLAN_FILTER: rc = ex_filter_new(out, node, kids[0], ctx, err); break;
    case PLAN_PROJECT: rc = ex_project_new(out, node, kids[0], ctx, err); break;
    case PLAN_AGGREGATE:
        rc = ex_hash_agg_new(out, node, kids[0], ctx, err);
        break;
    case PLAN_WINDOW:
        rc = ex_window_new(out, node, kids[0], ctx, err);
        break;
    case PLAN_JOIN: rc = plan_join(p, node, kids[0], kids[1], out); break;
    case PLAN_ORDER: rc = ex_order_new(out, node, kids[0], ctx, err); break;
    case PLAN_LIMIT: rc = ex_limit_new(out, node, kids[0], ctx, err); break;
    case PLAN_TOPN: rc = ex_topn_new(out, node, kids[0], ctx, err); break;
    case PLAN_DISTINCT:
        rc = ex_distinct_new(out, node, kids[0], ctx, err);
        break;
    case PLAN_SETOP:
        rc = ex_setop_new(out, node, kids[0], kids[1], ctx, err);
        break;
    case PLAN_VALUES:
    case PLAN_DUMMY_SCAN:
    case PLAN_EMPTY: rc = ex_values_new(out, node, ctx, err); break;
    case PLAN_CTE_SCAN: rc = plan_cte_scan(p, node, out); break;
    case PLAN_INSERT:
        rc = ex_insert_new(out, node, kids[0], ctx, err);
        break;
    default:
        return fl_error_set(err, FLOE_EINTERNAL, "no physical operator for plan node kind %d",
                            (int)node->kind);
    }
    if (rc < 0) return rc;
    if ((*out)->estimated_rows == 0) (*out)->estimated_rows = node->estimated_rows;
    if (!(*out)->node) (*out)->node = node;
    return 0;
}

int ex_plan_physical(ex_op **out, const plan_node *root, ex_ctx *ctx, fl_error *err)
{
    planner p = {.ctx = ctx, .err = err};
    return plan_rec(&p, root, out, 0);
}
