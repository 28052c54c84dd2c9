/*
 * opt_filter_pushdown.c: predicates move down the plan as far as their
 * columns allow (DuckDB's FilterPushdown):
 *
 *   FILTER       its conjuncts join the set being pushed
 *   PROJECT      conjuncts over the projection are rewritten in terms of its
 *                expressions and continue below
 *   INNER JOIN   one-sided conjuncts go to that side; conjuncts over both
 *                become join conditions (equalities: hash keys), so a comma
 *                join plus WHERE a.x = b.y ends as an equi-join; the join's
 *                own residual is redistributed the same way; an OR over both
 *                sides also sends down each side what it implies there
 *   LEFT/SEMI/ANTI/MARK/SINGLE  left-only conjuncts go left; right-only
 *                conditions of the join itself (ON, EXISTS) go right, except
 *                for MARK joins, whose NULL semantics need them in the join
 *   AGGREGATE    conjuncts over group columns only (no grouping sets) go below
 *   ORDER, DISTINCT  pass through;  SETOP: into both sides, column by column
 *   GET / TABLE_FUNCTION  stored in the node's filters: the scan applies them
 *                exactly and uses them for Iceberg/Parquet pruning
 * Whatever cannot move stays in a FILTER where it stopped.
 */
#include <string.h>

#include "../../func/func.h"
#include "opt_internal.h"

typedef struct push_ctx {
    fl_arena *arena;
    fl_error *err;
} push_ctx;

static int push(push_ctx *c, plan_node **np, opt_expr_list *preds);

static int oom(push_ctx *c) { return fl_error_set(c->err, FLOE_ENOMEM, "out of memory"); }

static bool bound_by_node(push_ctx *c, const plan_expr *e, const plan_node *n, int *rc)
{
    plan_binding *b;
    uint32_t count;
    *rc = plan_node_outputs(n, c->arena, &b, NULL, &count, c->err);
    if (*rc < 0) return false;
    return plan_expr_bound_by(e, b, count);
}

static int finish(push_ctx *c, plan_node **np, opt_expr_list *kept)
{
    plan_node *f = opt_filter_over(c->arena, *np, kept);
    if (!f) return oom(c);
    *np = f;
    return 0;
}

static bool has_volatile(const plan_expr *e)
{
    if (e->kind == PLAN_EX_FUNC && e->u.fn && e->u.fn->is_volatile) return true;
    for (uint32_t i = 0; i < e->arg_count; i++)
        if (has_volatile(e->args[i])) return true;
    return false;
}

static int push_project(push_ctx *c, plan_node *n, opt_expr_list *preds, opt_expr_list *kept)
{
    opt_expr_list down = {0};
    plan_binding *outs;
    uint32_t count;
    FL_TRY(plan_node_outputs(n, c->arena, &outs, NULL, &count, c->err));
    for (uint32_t i = 0; i < preds->count; i++) {
        plan_expr *p = preds->items[i];
        if (plan_expr_bound_by(p, outs, count) && !has_volatile(p)) {
            plan_expr *s = opt_subst(c->arena, p, n->table_index, n->u.project.exprs,
                                     n->u.project.count);
            if (!s || opt_list_push(c->arena, &down, s) < 0) return oom(c);
        } else if (opt_list_push(c->arena, kept, p) < 0) {
            return oom(c);
        }
    }
    return push(c, &n->children[0], &down);
}

static int push_aggregate(push_ctx *c, plan_node *n, opt_expr_list *preds, opt_expr_list *kept)
{
    opt_expr_list down = {0};
    uint32_t ng = n->u.aggregate.group_count;
    plan_binding *groups = fl_arena_alloc(c->arena, sizeof *groups * (ng + 1));
    if (!groups) return oom(c);
    for (uint32_t g = 0; g < ng; g++) groups[g] = (plan_binding){n->u.aggregate.group_index, g};
    for (uint32_t i = 0; i < preds->count; i++) {
        plan_expr *p = preds->items[i];
        if (!n->u.aggregate.set_count && ng && plan_expr_bound_by(p, groups, ng)) {
            plan_expr *s = opt_subst(c->arena, p, n->u.aggregate.group_index,
                                     n->u.aggregate.groups, ng);
            if (!s || opt_list_push(c->arena, &down, s) < 0) return oom(c);
        } else if (opt_list_push(c->arena, kept, p) < 0) {
            return oom(c);
        }
    }
    return push(c, &n->children[0], &down);
}

static int push_setop(push_ctx *c, plan_node *n, opt_expr_list *preds, opt_expr_list *kept)
{
    plan_binding *outs;
    uint32_t count;
    FL_TRY(plan_node_outputs(n, c->arena, &outs, NULL, &count, c->err));
    opt_expr_list sides[2] = {{0}, {0}};
    plan_binding *child_outs[2];
    uint32_t child_count[2];
    for (int s = 0; s < 2; s++)
        FL_TRY(plan_node_outputs(n->children[s], c->arena, &child_outs[s], NULL, &child_count[s],
                                 c->err));
    for (uint32_t i = 0; i < preds->count; i++) {
        plan_expr *p = preds->items[i];
        if (!plan_expr_bound_by(p, outs, count) || child_count[0] != count ||
            child_count[1] != count) {
            if (opt_list_push(c->arena, kept, p) < 0) return oom(c);
            continue;
        }
        for (int s = 0; s < 2; s++) {
            plan_expr *r = opt_rebind(c->arena, p, n->table_index, child_outs[s], count);
            if (!r || opt_list_push(c->arena, &sides[s], r) < 0) return oom(c);
        }
    }
    FL_TRY(push(c, &n->children[0], &sides[0]));
    return push(c, &n->children[1], &sides[1]);
}

/* From an OR spanning both sides, the predicate it implies on one side alone:
 * (a1 AND b1) OR (a2 AND b2) implies (a1 OR a2) for the side holding a1, a2
 * (TPC-DS 13, 48, 85: per-table filters written inside cross-table ORs).
 * NULL when some branch says nothing about that side. The original OR stays. */
static plan_expr *implied_on(push_ctx *c, const plan_expr *p, const plan_node *side, int *rc)
{
    *rc = 0;
    if (p->kind != PLAN_EX_OR) return NULL;
    plan_binding *b;
    uint32_t nb;
    if ((*rc = plan_node_outputs(side, c->arena, &b, NULL, &nb, c->err)) < 0) return NULL;
    fl_type bool_t = fl_type_make(FL_TYPE_BOOL);
    plan_expr *or = plan_expr_new(c->arena, PLAN_EX_OR, bool_t, p->arg_count);
    if (!or) goto oom;
    for (uint32_t d = 0; d < p->arg_count; d++) {
        const plan_expr *dis = p->args[d];
        opt_expr_list parts = {0};
        uint32_t nc = dis->kind == PLAN_EX_AND ? dis->arg_count : 1;
        for (uint32_t i = 0; i < nc; i++) {
            plan_expr *x = dis->kind == PLAN_EX_AND ? dis->args[i] : (plan_expr *)dis;
            if (plan_expr_bound_by(x, b, nb) && opt_list_push(c->arena, &parts, x) < 0) goto oom;
        }
        if (!parts.count) return NULL;
        if (parts.count == 1) {
            or->args[d] = parts.items[0];
        } else {
            plan_expr *and = plan_expr_new(c->arena, PLAN_EX_AND, bool_t, 0);
            if (!and) goto oom;
            and->args = parts.items;
            and->arg_count = parts.count;
            or->args[d] = and;
        }
    }
    return or;
oom:
    *rc = oom(c);
    return NULL;
}

static int push_join(push_ctx *c, plan_node *n, opt_expr_list *preds, opt_expr_list *kept)
{
    plan_join_type t = n->u.join.type;
    opt_expr_list side[2] = {{0}, {0}}, both = {0};
    int rc = 0;
    /* the join's own residual joins the candidates of an inner join */
    if (t == PLAN_JOIN_INNER && n->u.join.residual) {
        if (opt_list_add_conjuncts(c->arena, preds, n->u.join.residual) < 0) return oom(c);
        n->u.join.residual = NULL;
    } else if (n->u.join.residual && t != PLAN_JOIN_FULL && t != PLAN_JOIN_RIGHT &&
               t != PLAN_JOIN_MARK && t != PLAN_JOIN_RIGHT_SEMI && t != PLAN_JOIN_RIGHT_ANTI) {
        /* ON/IN conditions over the right side only filter the right side (not for
         * MARK joins: a NULL comparison there makes the mark NULL, not false) */
        opt_expr_list res = {0}, stay = {0};
        if (opt_list_add_conjuncts(c->arena, &res, n->u.join.residual) < 0) return oom(c);
        for (uint32_t i = 0; i < res.count; i++) {
            bool right = bound_by_node(c, res.items[i], n->children[1], &rc);
            if (rc < 0) return rc;
            if (opt_list_push(c->arena, right ? &side[1] : &stay, res.items[i]) < 0) return oom(c);
        }
        n->u.join.residual = NULL;
        for (uint32_t i = 0; i < stay.count; i++)
            FL_TRY(plan_join_add_conjunct(n, stay.items[i], c->arena, c->err));
    }
    for (uint32_t i = 0; i < preds->count; i++) {
        plan_expr *p = preds->items[i];
        bool l = bound_by_node(c, p, n->children[0], &rc);
        if (rc < 0) return rc;
        bool r = !l && bound_by_node(c, p, n->children[1], &rc);
        if (rc < 0) return rc;
        opt_expr_list *dst = kept;
        switch (t) {
        case PLAN_JOIN_INNER:
            dst = l ? &side[0] : r ? &side[1] : &both;
            break;
        case PLAN_JOIN_LEFT: case PLAN_JOIN_SEMI: case PLAN_JOIN_ANTI: case PLAN_JOIN_MARK:
        case PLAN_JOIN_SINGLE:
            if (l) dst = &side[0];
            break;
        case PLAN_JOIN_RIGHT:
            if (r) dst = &side[1];
            break;
        case PLAN_JOIN_FULL:
        case PLAN_JOIN_RIGHT_SEMI: case PLAN_JOIN_RIGHT_ANTI:
            /* made by opt_build_side.c after pushdown; nothing moves through them */
            break;
        }
        if (opt_list_push(c->arena, dst, p) < 0) return oom(c);
    }
    for (uint32_t i = 0; i < both.count; i++) {
        /* over both sides (or neither, e.g. constants): a join condition; an OR
         * also sends what it implies for each side down that side */
        for (int k = 0; k < 2; k++) {
            plan_expr *imp = implied_on(c, both.items[i], n->children[k], &rc);
            if (rc < 0) return rc;
            if (imp && opt_list_push(c->arena, &side[k], imp) < 0) return oom(c);
        }
        FL_TRY(plan_join_add_conjunct(n, both.items[i], c->arena, c->err));
    }
    FL_TRY(push(c, &n->children[0], &side[0]));
    return push(c, &n->children[1], &side[1]);
}

static int push_scan(push_ctx *c, plan_node *n, opt_expr_list *preds, opt_expr_list *kept)
{
    plan_binding *outs;
    uint32_t count;
    FL_TRY(plan_node_outputs(n, c->arena, &outs, NULL, &count, c->err));
    plan_expr ***filters = n->kind == PLAN_GET ? &n->u.get.filters : &n->u.table_fn.filters;
    uint32_t *nf = n->kind == PLAN_GET ? &n->u.get.filter_count : &n->u.table_fn.filter_count;
    opt_expr_list l = {*filters, *nf, *nf};
    for (uint32_t i = 0; i < preds->count; i++) {
        plan_expr *p = preds->items[i];
        if (plan_expr_bound_by(p, outs, count)) {
            if (opt_list_push(c->arena, &l, p) < 0) return oom(c);
        } else if (opt_list_push(c->arena, kept, p) < 0) {
            return oom(c);
        }
    }
    *filters = l.items;
    *nf = l.count;
    return 0;
}

/* SINGLE(INNER(A, B), S) -> INNER(SINGLE(A, S), B) when the single join's
 * conditions only need A and some predicate compares S's value with A's
 * columns: the scalar subquery's value meets the one relation it is compared
 * with, and the comparison reaches it (TPC-DS 6: d_month_seq = (SELECT ...)).
 * A single join keeps every left row and adds columns, so it commutes with
 * the inner join; the more-than-one-row check still applies. Other single
 * joins stacked on the left (SINGLE(SINGLE(INNER..), T)) are looked through.
 * Each rotation moves a single join strictly deeper, so this terminates. */
static int rotate_single(push_ctx *c, plan_node **np, opt_expr_list *preds, bool *done)
{
    plan_node *n = *np;
    *done = false;
    if (n->u.join.residual) return 0;
    plan_node *inner = n->children[0];
    while (inner->kind == PLAN_JOIN && inner->u.join.type == PLAN_JOIN_SINGLE)
        inner = inner->children[0];
    if (inner->kind != PLAN_JOIN || inner->u.join.type != PLAN_JOIN_INNER) return 0;
    plan_binding *sb;
    uint32_t sn;
    FL_TRY(plan_node_outputs(n->children[1], c->arena, &sb, NULL, &sn, c->err));
    for (int k = 0; k < 2; k++) {
        plan_node *a = inner->children[k];
        plan_binding *ab;
        uint32_t an;
        FL_TRY(plan_node_outputs(a, c->arena, &ab, NULL, &an, c->err));
        bool conds_ok = true;
        for (uint32_t i = 0; i < n->u.join.cond_count && conds_ok; i++)
            conds_ok = plan_expr_bound_by(n->u.join.conds[i].left, ab, an);
        if (!conds_ok) continue;
        plan_binding *both = fl_arena_alloc(c->arena, sizeof *both * (an + sn + 1));
        if (!both) return oom(c);
        if (an) memcpy(both, ab, sizeof *ab * an);
        if (sn) memcpy(both + an, sb, sizeof *sb * sn);
        bool useful = false;
        for (uint32_t i = 0; i < preds->count && !useful; i++)
            useful = !plan_expr_bound_by(preds->items[i], ab, an) &&
                     plan_expr_bound_by(preds->items[i], both, an + sn);
        if (!useful) continue;
        *np = n->children[0];
        n->children[0] = a;
        inner->children[k] = n;
        *done = true;
        return push(c, np, preds);
    }
    return 0;
}

static int push(push_ctx *c, plan_node **np, opt_expr_list *preds)
{
    plan_node *n = *np;
    opt_expr_list kept = {0};
    if (n->kind == PLAN_JOIN && n->u.join.type == PLAN_JOIN_SINGLE && preds->count) {
        bool done;
        FL_TRY(rotate_single(c, np, preds, &done));
        if (done) return 0;
    }
    switch (n->kind) {
    case PLAN_FILTER:
        for (uint32_t i = 0; i < n->u.filter.count; i++)
            if (opt_list_add_conjuncts(c->arena, preds, n->u.filter.exprs[i]) < 0) return oom(c);
        *np = n->children[0];
        return push(c, np, preds);
    case PLAN_PROJECT:
        FL_TRY(push_project(c, n, preds, &kept));
        break;
    case PLAN_AGGREGATE:
        FL_TRY(push_aggregate(c, n, preds, &kept));
        break;
    case PLAN_JOIN:
        FL_TRY(push_join(c, n, preds, &kept));
        break;
    case PLAN_ORDER:
    case PLAN_DISTINCT:
        FL_TRY(push(c, &n->children[0], preds));
        return 0;
    case PLAN_SETOP:
        FL_TRY(push_setop(c, n, preds, &kept));
        break;
    case PLAN_GET:
    case PLAN_TABLE_FUNCTION:
        FL_TRY(push_scan(c, n, preds, &kept));
        break;
    case PLAN_CTE_MATERIALIZE: {
        opt_expr_list none = {0};
        FL_TRY(push(c, &n->children[0], &none));
        return push(c, &n->children[1], preds);
    }
    default: {
        /* LIMIT, TOPN, WINDOW, INSERT, leaves: nothing passes; children start afresh */
        for (uint32_t i = 0; i < n->child_count; i++) {
            opt_expr_list none = {0};
            FL_TRY(push(c, &n->children[i], &none));
        }
        kept = *preds;
        break;
    }
    }
    return finish(c, np, &kept);
}

int opt_filter_pushdown(plan_node **root, fl_arena *arena, fl_error *err)
{
    push_ctx c = {arena, err};
    opt_expr_list none = {0};
    return push(&c, root, &none);
}
