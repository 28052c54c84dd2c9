/*
 * opt_join_order.c: join ordering. A maximal tree of INNER joins (a
 * "region": what comma joins and INNER JOIN chains produce) is flattened
 * into its relations and conditions, then rebuilt greedily: repeatedly join
 * the two relations connected by an equality whose cost (estimated result
 * plus the smaller side's estimate, the hash table built) is the
 * smallest, the larger estimate as the probe (left) side and the smaller as
 * the build (right) side; relations with no connecting equality are crossed
 * last, smallest first. Estimates come from PLAN_GET's
 * plan_table_source.estimated_rows (snapshot summaries), scaled by pushed
 * filters; an equi-join of R and S is estimated as |R|*|S| / min(base(R),
 * base(S)) (a key/foreign-key join whose result keeps the filtered share of
 * the dimension). Conditions are placed at the first join that covers
 * their columns. Outer, semi, anti, mark and single joins keep their
 * order (their sides are not interchangeable); their children are regions
 * of their own.
 */
#include <string.h>

#include "opt_internal.h"

typedef struct rel {
    plan_node *plan;
    double est, base;
    plan_binding *outs;
    uint32_t nouts;
} rel;

typedef struct cond_item {
    plan_join_cond cond;   /* when expr is NULL */
    plan_expr *expr;       /* residual conjunct */
    bool placed;
} cond_item;

typedef struct region {
    rel *rels;
    uint32_t nrels, caprels;
    cond_item *conds;
    uint32_t nconds, capconds;
    fl_arena *arena;
    fl_error *err;
} region;

static int order_rec(plan_node **np, fl_arena *arena, fl_error *err);

double opt_base_rows(const plan_node *n)
{
    switch (n->kind) {
    case PLAN_GET:
        return n->u.get.source->estimated_rows > 0 ? n->u.get.source->estimated_rows : 1000;
    case PLAN_JOIN: {
        double a = opt_base_rows(n->children[0]), b = opt_base_rows(n->children[1]);
        return a > b ? a : b;
    }
    case PLAN_FILTER: case PLAN_PROJECT: case PLAN_ORDER: case PLAN_DISTINCT: case PLAN_WINDOW:
        return opt_base_rows(n->children[0]);
    default:
        return n->estimated_rows > 0 ? n->estimated_rows : 1000;
    }
}

static int oom(region *r) { return fl_error_set(r->err, FLOE_ENOMEM, "out of memory"); }

static int add_cond(region *r, cond_item c)
{
    if (r->nconds == r->capconds) {
        uint32_t cap = r->capconds ? r->capconds * 2 : 16;
        cond_item *p = fl_arena_realloc(r->arena, r->conds, sizeof *p * r->capconds, sizeof *p * cap);
        if (!p) return oom(r);
        r->conds = p;
        r->capconds = cap;
    }
    r->conds[r->nconds++] = c;
    return 0;
}

static int collect(region *r, plan_node **np)
{
    plan_node *n = *np;
    if (n->kind == PLAN_JOIN && n->u.join.type == PLAN_JOIN_INNER) {
        FL_TRY(collect(r, &n->children[0]));
        FL_TRY(collect(r, &n->children[1]));
        for (uint32_t i = 0; i < n->u.join.cond_count; i++)
            FL_TRY(add_cond(r, (cond_item){n->u.join.conds[i], NULL, false}));
        if (n->u.join.residual) {
            opt_expr_list l = {0};
            if (opt_list_add_conjuncts(r->arena, &l, n->u.join.residual) < 0) return oom(r);
            for (uint32_t i = 0; i < l.count; i++)
                FL_TRY(add_cond(r, (cond_item){{0}, l.items[i], false}));
        }
        return 0;
    }
    FL_TRY(order_rec(np, r->arena, r->err));
    n = *np;
    if (r->nrels == r->caprels) {
        uint32_t cap = r->caprels ? r->caprels * 2 : 8;
        rel *p = fl_arena_realloc(r->arena, r->rels, sizeof *p * r->caprels, sizeof *p * cap);
        if (!p) return oom(r);
        r->rels = p;
        r->caprels = cap;
    }
    rel *x = &r->rels[r->nrels++];
    memset(x, 0, sizeof *x);
    x->plan = n;
    x->est = opt_estimate(n);
    x->base = opt_base_rows(n);
    return plan_node_outputs(n, r->arena, &x->outs, NULL, &x->nouts, r->err);
}

/* 1: cond.left over a, cond.right over b; -1: swapped; 0: does not connect them */
static int connects(const plan_join_cond *c, const rel *a, const rel *b)
{
    if (plan_expr_bound_by(c->left, a->outs, a->nouts) &&
        plan_expr_bound_by(c->right, b->outs, b->nouts))
        return 1;
    if (plan_expr_bound_by(c->left, b->outs, b->nouts) &&
        plan_expr_bound_by(c->right, a->outs, a->nouts))
        return -1;
    return 0;
}

static plan_cmp flip(plan_cmp c)
{
    switch (c) {
    case PLAN_CMP_LT: return PLAN_CMP_GT;
    case PLAN_CMP_LE: return PLAN_CMP_GE;
    case PLAN_CMP_GT: return PLAN_CMP_LT;
    case PLAN_CMP_GE: return PLAN_CMP_LE;
    default: return c;
    }
}

static bool connected_eq(const region *r, const rel *a, const rel *b)
{
    for (uint32_t k = 0; k < r->nconds; k++) {
        const cond_item *c = &r->conds[k];
        if (c->placed || c->expr) continue;
        if ((c->cond.cmp == PLAN_CMP_EQ || c->cond.cmp == PLAN_CMP_NOT_DISTINCT) &&
            connects(&c->cond, a, b))
            return true;
    }
    return false;
}

static int join_pair(region *r, uint32_t i, uint32_t j, double est)
{
    rel *a = &r->rels[i], *b = &r->rels[j];
    if (a->est < b->est) {   /* probe = larger (left), build = smaller (right) */
        rel *t = a;
        a = b;
        b = t;
    }
    plan_node *n = plan_node_new(r->arena, PLAN_JOIN, 2);
    if (!n) return oom(r);
    n->children[0] = a->plan;
    n->children[1] = b->plan;
    n->u.join.type = PLAN_JOIN_INNER;
    rel merged = {n, est, a->base > b->base ? a->base : b->base, NULL, 0};
    merged.outs = fl_arena_alloc(r->arena, sizeof *merged.outs * (a->nouts + b->nouts + 1));
    if (!merged.outs) return oom(r);
    if (a->nouts) memcpy(merged.outs, a->outs, sizeof *a->outs * a->nouts);
    if (b->nouts) memcpy(merged.outs + a->nouts, b->outs, sizeof *b->outs * b->nouts);
    merged.nouts = a->nouts + b->nouts;
    for (uint32_t k = 0; k < r->nconds; k++) {
        cond_item *c = &r->conds[k];
        if (c->placed) continue;
        if (c->expr) {
            if (!plan_expr_bound_by(c->expr, merged.outs, merged.nouts)) continue;
            FL_TRY(plan_join_add_conjunct(n, c->expr, r->arena, r->err));
        } else {
            int dir = connects(&c->cond, a, b);
            if (!dir) continue;
            plan_join_cond jc = c->cond;
            if (dir < 0) {
                jc.left = c->cond.right;
                jc.right = c->cond.left;
                jc.cmp = flip(c->cond.cmp);
            }
            plan_join_cond *conds = fl_arena_realloc(r->arena, n->u.join.conds,
                                                     sizeof *conds * n->u.join.cond_count,
                                                     sizeof *conds * (n->u.join.cond_count + 1));
            if (!conds) return oom(r);
            conds[n->u.join.cond_count++] = jc;
            n->u.join.conds = conds;
        }
        c->placed = true;
    }
    n->estimated_rows = est;
    uint32_t lo = i < j ? i : j, hi = i < j ? j : i;
    r->rels[lo] = merged;
    r->rels[hi] = r->rels[--r->nrels];
    return 0;
}

static int rebuild(region *r, plan_node **out)
{
    while (r->nrels > 1) {
        int32_t bi = -1, bj = -1;
        double best = 0, best_cost = 0;
        for (uint32_t i = 0; i < r->nrels; i++)
            for (uint32_t j = i + 1; j < r->nrels; j++) {
                const rel *a = &r->rels[i], *b = &r->rels[j];
                if (!connected_eq(r, a, b)) continue;
                double dom = a->base < b->base ? a->base : b->base;
                double est = a->est * b->est / (dom > 1 ? dom : 1);
                /* cost = output + build (smaller side): of two joins with the
                 * same estimated output, the one with the smaller build side
                 * first (a 2-row dimension before a 3,000-row one) */
                double cost = est + (a->est < b->est ? a->est : b->est);
                if (bi < 0 || cost < best_cost) {
                    bi = (int32_t)i;
                    bj = (int32_t)j;
                    best = est;
                    best_cost = cost;
                }
            }
        if (bi < 0) {   /* no equi-join left: cross the two smallest */
            for (uint32_t i = 0; i < r->nrels; i++)
                if (bi < 0 || r->rels[i].est < r->rels[bi].est) bi = (int32_t)i;
            for (uint32_t j = 0; j < r->nrels; j++)
                if ((int32_t)j != bi && (bj < 0 || r->rels[j].est < r->rels[bj].est))
                    bj = (int32_t)j;
            best = r->rels[bi].est * r->rels[bj].est;
        }
        if (best < 1) best = 1;
        FL_TRY(join_pair(r, (uint32_t)bi, (uint32_t)bj, best));
    }
    plan_node *root = r->rels[0].plan;
    opt_expr_list left = {0};
    for (uint32_t k = 0; k < r->nconds; k++) {
        cond_item *c = &r->conds[k];
        if (c->placed) continue;
        /* conditions over nothing the region produces (constants, outer leftovers) */
        if (c->expr) {
            if (opt_list_push(r->arena, &left, c->expr) < 0) return oom(r);
        } else if (root->kind == PLAN_JOIN) {
            plan_join_cond *conds = fl_arena_realloc(r->arena, root->u.join.conds,
                                                     sizeof *conds * root->u.join.cond_count,
                                                     sizeof *conds * (root->u.join.cond_count + 1));
            if (!conds) return oom(r);
            conds[root->u.join.cond_count++] = c->cond;
            root->u.join.conds = conds;
        }
    }
    plan_node *f = opt_filter_over(r->arena, root, &left);
    if (!f) return oom(r);
    *out = f;
    return 0;
}

static int order_rec(plan_node **np, fl_arena *arena, fl_error *err)
{
    plan_node *n = *np;
    if (n->kind == PLAN_JOIN && n->u.join.type == PLAN_JOIN_INNER) {
        region r = {.arena = arena, .err = err};
        FL_TRY(collect(&r, np));
        return rebuild(&r, np);
    }
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(order_rec(&n->children[i], arena, err));
    return 0;
}

static void set_scan_estimates(plan_node *n, uint32_t cte, double est)
{
    if (n->kind == PLAN_CTE_SCAN && n->u.cte.cte_index == cte) n->estimated_rows = est;
    for (uint32_t i = 0; i < n->child_count; i++) set_scan_estimates(n->children[i], cte, est);
}

/* A materialized CTE's readers are estimated as its definition. */
static void estimate_ctes(plan_node *n)
{
    /* outer WITH first: its readers may sit in an inner CTE's definition */
    if (n->kind == PLAN_CTE_MATERIALIZE)
        set_scan_estimates(n->children[1], n->u.cte.cte_index, opt_estimate(n->children[0]));
    for (uint32_t i = 0; i < n->child_count; i++) estimate_ctes(n->children[i]);
}

int opt_join_order(plan_node **root, fl_arena *arena, fl_error *err)
{
    estimate_ctes(*root);
    return order_rec(root, arena, err);
}
