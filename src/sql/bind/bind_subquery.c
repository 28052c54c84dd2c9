/*
 * bind_subquery.c: subqueries never survive binding. Each one is bound as
 * a query whose scope's parent is the enclosing query, then decorrelated
 * and joined onto the enclosing plan (*cx->root):
 *
 *   [NOT] EXISTS in a WHERE conjunct     SEMI (ANTI) join
 *   x IN (query) in a WHERE conjunct     SEMI join on x = column
 *   other EXISTS / IN / quantified       MARK join; the mark column replaces
 *                                        the expression (EXISTS: coalesce(mark,
 *                                        false); x > ALL (q): NOT (x <= ANY (q)));
 *                                        correlated IN / ANY / ALL: two MARK joins
 *                                        (match; a correlated row whose
 *                                        comparison is NULL), see correlated_mark
 *   scalar subquery                      SINGLE join (errors on >1 match)
 *
 * Decorrelation is the "pull up correlated predicates" approach, enough
 * for TPC-DS's correlated subqueries (queries 1, 6, 10, 16, 30, 32, 35, 41,
 * 69, 81, 92, 94, 95): a conjunct of a FILTER inside the subquery that
 * references the outer query is removed and carried upward; through a
 * PROJECT the inner columns it needs are passed along; through an
 * AGGREGATE an equality `outer = inner_expr` makes inner_expr a grouping
 * key and the predicate compares with that key (the scalar aggregate
 * becomes one row per correlated value; a count over no rows, which the
 * join then cannot find, is restored as coalesce(count, 0)). Conjuncts
 * common to all branches of an OR are factored out first (query 41). The
 * carried predicates become the join's conditions. Through LIMIT/OFFSET
 * rows are numbered per key (row_number(), rank() for WITH TIES) and
 * filtered; through a WINDOW the keys join every PARTITION BY.
 *
 * Correlations that are comparisons but not equalities, outer columns
 * inside an aggregate's arguments, correlation inside a LEFT (SEMI, ANTI,
 * MARK, SINGLE) join's right side or ON, and correlated set-operation
 * branches use the domain of outer
 * values (Neumann and Kemper's "dependent join" idea, DuckDB's delim join):
 * DISTINCT over a copy of the outer plan (fresh table indexes) is joined in
 * where the correlation stops, the correlation reads the domain's columns,
 * and `outer = domain column` is pulled up as an IS NOT DISTINCT FROM key
 * (pulled_nd). IS NOT DISTINCT FROM correlations are such keys too. The
 * LATERAL mode (bind_lateral.c, and scalar subqueries) also lifts select
 * expressions that use outer columns above the join. Correlation this
 * cannot reach (RIGHT/FULL joins, window arguments, select lists below
 * other clauses or in set-operation branches) is reported as unsupported
 * (0A000) naming the place, never executed per row.
 */
#include <string.h>

#include "bind_internal.h"

static const fl_type BOOL_T = {FL_TYPE_BOOL, 0, 0, 0, 0};

typedef bind_decor decor;

static void mark_tables(decor *d, const plan_node *n)
{
#define MARK(t) do { if ((t) < d->ntables) d->inner[(t)] = true; } while (0)
    switch (n->kind) {
    case PLAN_GET: case PLAN_TABLE_FUNCTION: case PLAN_PROJECT: case PLAN_WINDOW:
    case PLAN_SETOP: case PLAN_VALUES: case PLAN_DUMMY_SCAN: case PLAN_CTE_SCAN:
        MARK(n->table_index);
        break;
    case PLAN_AGGREGATE:
        MARK(n->u.aggregate.group_index);
        MARK(n->u.aggregate.agg_index);
        MARK(n->u.aggregate.grouping_index);
        break;
    case PLAN_JOIN:
        if (n->u.join.type == PLAN_JOIN_MARK) MARK(n->u.join.mark_index);
        break;
    default:
        break;
    }
#undef MARK
    for (uint32_t i = 0; i < n->child_count; i++) mark_tables(d, n->children[i]);
}

typedef struct outer_ctx {
    const decor *d;
    bool outer, inner;
} outer_ctx;

static void outer_visit(void *ctx, const plan_expr *ref)
{
    outer_ctx *c = ctx;
    uint32_t t = ref->u.binding.table;
    if (t >= c->d->ntables || c->d->inner[t])   /* tables made by decorrelation are inner */
        c->inner = true;
    else
        c->outer = true;
}

static bool has_outer(const decor *d, const plan_expr *e)
{
    outer_ctx c = {d, false, false};
    plan_expr_visit_colrefs(e, outer_visit, &c);
    return c.outer;
}

bool bind_decor_has_outer(const bind_decor *d, const plan_expr *e) { return has_outer(d, e); }

static bool has_inner(const decor *d, const plan_expr *e)
{
    outer_ctx c = {d, false, false};
    plan_expr_visit_colrefs(e, outer_visit, &c);
    return c.inner;
}

static int pull_as(decor *d, plan_expr *e, bool null_equal, fl_error *err)
{
    uint32_t n = d->npulled;
    if (bind_push(d->b->arena, &d->pulled_nd, &d->npulled, sizeof null_equal, &null_equal) < 0)
        return bind_oom(err);
    d->npulled = n;
    if (bind_push(d->b->arena, &d->pulled, &d->npulled, sizeof e, &e) < 0) return bind_oom(err);
    return 0;
}

static int pull(decor *d, plan_expr *e, fl_error *err) { return pull_as(d, e, false, err); }

int bind_decor_add_cond(plan_node *join, plan_expr *e, bool null_equal, fl_arena *arena,
                        fl_error *err)
{
    plan_cmp cmp;
    if (!null_equal || !plan_expr_comparison(e, &cmp) || cmp != PLAN_CMP_EQ)
        return plan_join_add_conjunct(join, e, arena, err);
    plan_binding *lb;
    uint32_t ln;
    FL_TRY(plan_node_outputs(join->children[0], arena, &lb, NULL, &ln, err));
    plan_binding *rb;
    uint32_t rn;
    FL_TRY(plan_node_outputs(join->children[1], arena, &rb, NULL, &rn, err));
    int left = plan_expr_bound_by(e->args[0], lb, ln) ? 0 : 1;
    if (!plan_expr_bound_by(e->args[left], lb, ln) || !plan_expr_bound_by(e->args[1 - left], rb, rn))
        return plan_join_add_conjunct(join, e, arena, err);
    plan_join_cond c = {e->args[left], e->args[1 - left], PLAN_CMP_NOT_DISTINCT};
    uint32_t n = join->u.join.cond_count;
    plan_join_cond *conds = fl_arena_realloc(arena, join->u.join.conds, sizeof *conds * n,
                                             sizeof *conds * (n + 1));
    if (!conds) return bind_oom(err);
    conds[n] = c;
    join->u.join.conds = conds;
    join->u.join.cond_count = n + 1;
    return 0;
}

/* ---- LATERAL lifting: bindings that stand for expressions with outer references */

static int lifted_index(const decor *d, plan_binding at)
{
    for (uint32_t i = 0; i < d->nlifted; i++)
        if (plan_binding_eq(d->lifted_at[i], at)) return (int)i;
    return -1;
}

typedef struct lifted_ctx {
    const decor *d;
    bool found;
} lifted_ctx;

static void lifted_visit(void *ctx, const plan_expr *ref)
{
    lifted_ctx *c = ctx;
    if (lifted_index(c->d, ref->u.binding) >= 0) c->found = true;
}

static bool refs_lifted(const decor *d, const plan_expr *e)
{
    if (!d->nlifted || !e) return false;
    lifted_ctx c = {d, false};
    plan_expr_visit_colrefs(e, lifted_visit, &c);
    return c.found;
}

plan_expr *bind_decor_subst(const bind_decor *d, plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) {
        int k = lifted_index(d, e->u.binding);
        if (k < 0) return e;
        /* a lifted expression may use columns lifted below it (never itself) */
        plan_expr *x = plan_expr_copy(d->b->arena, d->lifted[k]);
        return x ? bind_decor_subst(d, x) : NULL;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = bind_decor_subst(d, e->args[i]);
        if (!a || plan_expr_cow_arg(d->b->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

int bind_decor_add_lifted(bind_decor *d, plan_binding at, plan_expr *e, fl_error *err)
{
    uint32_t n = d->nlifted;
    if (bind_push(d->b->arena, &d->lifted_at, &d->nlifted, sizeof at, &at) < 0)
        return bind_oom(err);
    d->nlifted = n;
    if (bind_push(d->b->arena, &d->lifted, &d->nlifted, sizeof e, &e) < 0) return bind_oom(err);
    return 0;
}

/* x IS NOT DISTINCT FROM y as bind_expr.c spells it, CASE WHEN x IS NULL
 * THEN y IS NULL WHEN y IS NULL THEN false ELSE x = y END: its x = y, to be
 * pulled as a null-equal correlation; NULL for anything else. */
static plan_expr *not_distinct_eq(plan_expr *e)
{
    if (e->kind != PLAN_EX_CASE) return NULL;
    const plan_expr *c = e;
    plan_cmp cmp;
    if (c->arg_count != 5 || !c->u.has_else || c->args[0]->kind != PLAN_EX_IS_NULL ||
        c->args[1]->kind != PLAN_EX_IS_NULL || c->args[2]->kind != PLAN_EX_IS_NULL ||
        !plan_expr_comparison(c->args[4], &cmp) || cmp != PLAN_CMP_EQ)
        return NULL;
    plan_expr *eq = c->args[4];
    if (!plan_expr_equal(c->args[0]->args[0], eq->args[0]) ||
        !plan_expr_equal(c->args[1]->args[0], eq->args[1]) ||
        !plan_expr_equal(c->args[2]->args[0], eq->args[1]))
        return NULL;
    return eq;
}

/* Splits e into conjuncts (after OR factoring) and pulls the correlated ones;
 * the others go to keep. A conjunct over lifted columns is correlated too. */
static int split_pull(decor *d, plan_expr *e, plan_expr ***keep, uint32_t *nkeep, fl_error *err)
{
    if (refs_lifted(d, e) && !(e = bind_decor_subst(d, e))) return bind_oom(err);
    if (e->kind == PLAN_EX_OR && has_outer(d, e)) {
        plan_expr *f = plan_expr_factor_or(d->b->arena, e);
        if (!f) return bind_oom(err);
        e = f;
    }
    if (e->kind == PLAN_EX_AND) {
        for (uint32_t i = 0; i < e->arg_count; i++) FL_TRY(split_pull(d, e->args[i], keep, nkeep, err));
        return 0;
    }
    if (has_outer(d, e)) {
        plan_expr *eq = not_distinct_eq(e);
        return eq ? pull_as(d, eq, true, err) : pull(d, e, err);
    }
    if (bind_push(d->b->arena, keep, nkeep, sizeof e, &e) < 0) return bind_oom(err);
    return 0;
}

/* Appends to an expression array of any origin (its capacity is unknown:
 * always reallocated to the exact size). */
static int append_expr(fl_arena *arena, plan_expr ***arr, uint32_t *count, plan_expr *e)
{
    plan_expr **p = fl_arena_realloc(arena, *arr, sizeof *p * *count, sizeof *p * (*count + 1));
    if (!p) return FLOE_ENOMEM;
    p[(*count)++] = e;
    *arr = p;
    return 0;
}

/* Inner column references of a pulled predicate, re-expressed over a PROJECT's
 * outputs (passing the columns through when the projection lacks them). */
typedef struct remap_ctx {
    decor *d;
    plan_node *proj;
    int rc;
} remap_ctx;

static int remap(remap_ctx *c, plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) {
        uint32_t t = e->u.binding.table;
        if ((t < c->d->ntables && !c->d->inner[t]) || t == c->proj->table_index) return 0;
        plan_node *p = c->proj;
        uint32_t k = 0;
        for (; k < p->u.project.count; k++)
            if (plan_expr_equal(p->u.project.exprs[k], e)) break;
        if (k == p->u.project.count) {
            plan_expr *copy = plan_expr_copy(c->d->b->arena, e);
            if (!copy || append_expr(c->d->b->arena, &p->u.project.exprs, &p->u.project.count,
                                     copy) < 0)
                return FLOE_ENOMEM;
        }
        e->u.binding = (plan_binding){p->table_index, k};
        return 0;
    }
    for (uint32_t i = 0; i < e->arg_count; i++) FL_TRY(remap(c, e->args[i]));
    return 0;
}

static int pull_up(decor *d, plan_node **np, fl_error *err);

/* The side (0 or 1) of an equality `outer = inner_expr` that is inner_expr,
 * or -1 when p is not such an equality. */
static int eq_inner_side(const decor *d, const plan_expr *p)
{
    plan_cmp cmp;
    if (!plan_expr_comparison(p, &cmp) || cmp != PLAN_CMP_EQ) return -1;
    if (!has_outer(d, p->args[0]) && has_inner(d, p->args[0]) && !has_inner(d, p->args[1]))
        return 0;
    if (!has_outer(d, p->args[1]) && has_inner(d, p->args[1]) && !has_inner(d, p->args[0]))
        return 1;
    return -1;
}

/* The inner sides of pulled[start..npulled), which must all be equalities
 * `outer = inner_expr` (what splits the rows by outer row exactly); NULL
 * with an error naming `what` otherwise. */
static plan_expr **equality_keys(decor *d, uint32_t start, const char *what, fl_error *err)
{
    plan_expr **keys = fl_arena_alloc(d->b->arena, sizeof *keys * (d->npulled - start + 1));
    if (!keys) {
        bind_oom(err);
        return NULL;
    }
    for (uint32_t i = start; i < d->npulled; i++) {
        int side = eq_inner_side(d, d->pulled[i]);
        if (side < 0) {
            bind_error(d->b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                       "correlated subquery with %s: only equality correlations (outer = inner) "
                       "are supported", what);
            return NULL;
        }
        keys[i - start] = d->pulled[i]->args[side];
    }
    return keys;
}

/* ---- the domain of the outer values: a copy of the outer plan with fresh
 * table indexes, for correlations that are not equalities */

typedef struct tmap {
    uint32_t *from, *to;
    uint32_t n;
    bool foreign;             /* a reference to a table outside the copied plan */
} tmap;

static int tmap_new(binder *b, tmap *m, uint32_t old, uint32_t *out)
{
    uint32_t k = m->n, idx = bind_new_table_index(b);
    if (bind_push(b->arena, &m->from, &m->n, sizeof old, &old) < 0) return FLOE_ENOMEM;
    m->n = k;
    if (bind_push(b->arena, &m->to, &m->n, sizeof idx, &idx) < 0) return FLOE_ENOMEM;
    *out = idx;
    return 0;
}

static void tmap_expr(tmap *m, plan_expr *e)
{
    if (!e) return;
    if (e->kind == PLAN_EX_COLREF) {
        for (uint32_t k = 0; k < m->n; k++)
            if (m->from[k] == e->u.binding.table) {
                e->u.binding.table = m->to[k];
                return;
            }
        m->foreign = true;
        return;
    }
    for (uint32_t i = 0; i < e->arg_count; i++) tmap_expr(m, e->args[i]);
    if (e->kind == PLAN_EX_AGG) tmap_expr(m, e->u.agg.filter);
    if (e->kind == PLAN_EX_WINDOW && e->u.window.spec) {
        plan_window_spec *sp = e->u.window.spec;
        for (uint32_t i = 0; i < sp->partition_count; i++) tmap_expr(m, sp->partition[i]);
        for (uint32_t i = 0; i < sp->order_count; i++) tmap_expr(m, sp->order[i].expr);
    }
}

typedef struct copy_ctx {
    fl_arena *arena;
    tmap *m;
    bool oom;
} copy_ctx;

static void copy_slot(void *ctx, plan_expr **slot)
{
    copy_ctx *c = ctx;
    plan_expr *x = plan_expr_copy(c->arena, *slot);
    if (!x) {
        c->oom = true;
        return;
    }
    tmap_expr(c->m, x);
    *slot = x;
}

static void *dup_array(fl_arena *a, const void *p, size_t n, bool *oom)
{
    if (!n) return (void *)p;
    void *c = fl_arena_memdup(a, p, n);
    if (!c) *oom = true;
    return c;
}

/* A deep copy of plan n with fresh table indexes (m maps old to new); every
 * array is the copy's own, as the optimizer edits some in place. */
static int copy_plan(binder *b, const plan_node *n, tmap *m, plan_node **out)
{
    fl_arena *a = b->arena;
    if (n->kind == PLAN_CTE_MATERIALIZE || n->kind == PLAN_INSERT) return FLOE_EUNSUPPORTED;
    plan_node *c = fl_arena_memdup(a, n, sizeof *n);
    if (!c) return FLOE_ENOMEM;
    bool oom = false;
    c->children = dup_array(a, n->children, sizeof *n->children * n->child_count, &oom);
    if (oom) return FLOE_ENOMEM;
    for (uint32_t i = 0; i < n->child_count; i++)
        FL_TRY(copy_plan(b, n->children[i], m, &c->children[i]));
    switch (n->kind) {
    case PLAN_GET: case PLAN_TABLE_FUNCTION: case PLAN_PROJECT: case PLAN_WINDOW: case PLAN_SETOP:
    case PLAN_VALUES: case PLAN_DUMMY_SCAN: case PLAN_CTE_SCAN:
        FL_TRY(tmap_new(b, m, n->table_index, &c->table_index));
        break;
    case PLAN_AGGREGATE:
        FL_TRY(tmap_new(b, m, n->u.aggregate.group_index, &c->u.aggregate.group_index));
        FL_TRY(tmap_new(b, m, n->u.aggregate.agg_index, &c->u.aggregate.agg_index));
        FL_TRY(tmap_new(b, m, n->u.aggregate.grouping_index, &c->u.aggregate.grouping_index));
        break;
    case PLAN_JOIN:
        if (n->u.join.type == PLAN_JOIN_MARK)
            FL_TRY(tmap_new(b, m, n->u.join.mark_index, &c->u.join.mark_index));
        break;
    default:
        break;
    }
    const size_t pe = sizeof(plan_expr *);
    switch (n->kind) {   /* the expression arrays are the copy's own */
    case PLAN_GET:   /* column_ids too: the optimizer prunes them in place */
        c->u.get.filters = dup_array(a, n->u.get.filters, pe * n->u.get.filter_count, &oom);
        c->u.get.column_ids = dup_array(a, n->u.get.column_ids,
                                        sizeof(uint32_t) * n->u.get.column_count, &oom);
        break;
    case PLAN_TABLE_FUNCTION:
        c->u.table_fn.filters =
            dup_array(a, n->u.table_fn.filters, pe * n->u.table_fn.filter_count, &oom);
        c->u.table_fn.column_ids = dup_array(a, n->u.table_fn.column_ids,
                                             sizeof(uint32_t) * n->u.table_fn.column_count, &oom);
        break;
    case PLAN_FILTER:
        c->u.filter.exprs = dup_array(a, n->u.filter.exprs, pe * n->u.filter.count, &oom);
        break;
    case PLAN_PROJECT:
        c->u.project.exprs = dup_array(a, n->u.project.exprs, pe * n->u.project.count, &oom);
        break;
    case PLAN_AGGREGATE:
        c->u.aggregate.groups =
            dup_array(a, n->u.aggregate.groups, pe * n->u.aggregate.group_count, &oom);
        c->u.aggregate.aggs = dup_array(a, n->u.aggregate.aggs, pe * n->u.aggregate.agg_count, &oom);
        c->u.aggregate.groupings =
            dup_array(a, n->u.aggregate.groupings, pe * n->u.aggregate.grouping_count, &oom);
        c->u.aggregate.sets =
            dup_array(a, n->u.aggregate.sets, sizeof(uint64_t) * n->u.aggregate.set_count, &oom);
        break;
    case PLAN_WINDOW:
        c->u.window.exprs = dup_array(a, n->u.window.exprs, pe * n->u.window.count, &oom);
        break;
    case PLAN_JOIN:
        c->u.join.conds =
            dup_array(a, n->u.join.conds, sizeof(plan_join_cond) * n->u.join.cond_count, &oom);
        break;
    case PLAN_ORDER:
        c->u.order.orders =
            dup_array(a, n->u.order.orders, sizeof(plan_order) * n->u.order.count, &oom);
        break;
    case PLAN_LIMIT: case PLAN_TOPN:
        c->u.limit.orders =
            dup_array(a, n->u.limit.orders, sizeof(plan_order) * n->u.limit.order_count, &oom);
        break;
    case PLAN_VALUES:
        c->u.values.rows =
            dup_array(a, n->u.values.rows, sizeof(plan_expr **) * n->u.values.row_count, &oom);
        for (uint32_t r = 0; !oom && r < n->u.values.row_count; r++)
            c->u.values.rows[r] =
                dup_array(a, n->u.values.rows[r], pe * n->u.values.column_count, &oom);
        c->u.values.types =
            dup_array(a, n->u.values.types, sizeof(fl_type) * n->u.values.column_count, &oom);
        break;
    case PLAN_SETOP:
        c->u.setop.types =
            dup_array(a, n->u.setop.types, sizeof(fl_type) * n->u.setop.column_count, &oom);
        break;
    case PLAN_CTE_SCAN:
        c->u.cte.types = dup_array(a, n->u.cte.types, sizeof(fl_type) * n->u.cte.column_count, &oom);
        break;
    default:
        break;
    }
    if (oom) return FLOE_ENOMEM;
    copy_ctx cc = {a, m, false};
    plan_node_visit_exprs(c, copy_slot, &cc);
    if (c->kind == PLAN_LIMIT)   /* WITH TIES orders: not visited as expressions */
        for (uint32_t i = 0; i < c->u.limit.order_count; i++)
            copy_slot(&cc, &c->u.limit.orders[i].expr);
    if (cc.oom) return FLOE_ENOMEM;
    *out = c;
    return 0;
}

/* e with each occurrence of outer[j] replaced by {table, j}. */
static plan_expr *replace_outer(fl_arena *a, plan_expr *e, plan_expr **outer, uint32_t n,
                                uint32_t table)
{
    for (uint32_t j = 0; j < n; j++)
        if (plan_expr_equal(e, outer[j]))
            return plan_expr_colref(a, (plan_binding){table, j}, e->type,
                                    e->kind == PLAN_EX_COLREF ? e->name : "outer");
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *x = replace_outer(a, e->args[i], outer, n, table);
        if (!x || plan_expr_cow_arg(a, e, &copy, i, x) < 0) return NULL;
    }
    return copy ? copy : e;
}

static int no_domain(decor *d, const char *what, const char *why, fl_error *err)
{
    return bind_error(d->b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                      "correlated subquery with %s: a correlation that is not an equality "
                      "(outer = inner) %s is not supported", what, why);
}

/* Whether pulled[start..npulled) are all `outer = inner_expr` (with a plain
 * column inner side when columns is set). */
static bool all_equalities(const decor *d, uint32_t start, bool columns)
{
    for (uint32_t i = start; i < d->npulled; i++) {
        int side = eq_inner_side(d, d->pulled[i]);
        if (side < 0 || (columns && d->pulled[i]->args[side]->kind != PLAN_EX_COLREF)) return false;
    }
    return true;
}

/* Correlations pulled out of *childp that are comparisons `outer_expr op
 * inner_expr` but not all usable equalities (`count(*) ... WHERE u.v > t.a`
 * under an aggregate, LIMIT, window or DISTINCT): the distinct values of the
 * outer expressions, the domain D (from a copy of the outer plan with fresh
 * table indexes), are joined to *childp on those comparisons, and the
 * correlations become `outer_expr = D column`, equalities on a column the
 * node above can group, partition or number by. A NULL outer value matches
 * no row, as the comparison would not. what names the node for messages. */
typedef struct domain {
    plan_expr **outer;        /* outer expressions; {table, j} holds the values of outer[j] */
    uint32_t n;
    uint32_t table;
} domain;

static int domain_join_with(decor *d, plan_node **childp, uint32_t start, bool columns,
                            const char *what, plan_expr **extra, uint32_t nextra, domain *dom,
                            fl_error *err);

static int domain_join(decor *d, plan_node **childp, uint32_t start, bool columns,
                       const char *what, fl_error *err)
{
    domain dom;
    return domain_join_with(d, childp, start, columns, what, NULL, 0, &dom, err);
}

/* The outer sides of the comparisons pulled[start..npulled), appended to
 * *outer unless there already. */
static int collect_outer_sides(decor *d, uint32_t start, const char *what, plan_expr ***outer,
                               uint32_t *nouter, fl_error *err)
{
    for (uint32_t i = start; i < d->npulled; i++) {
        plan_expr *p = d->pulled[i];
        plan_cmp cmp;
        if (!plan_expr_comparison(p, &cmp)) return no_domain(d, what, "or a comparison", err);
        int side = has_inner(d, p->args[0]) ? 1 : 0;   /* the outer side */
        if (has_inner(d, p->args[side]) || has_outer(d, p->args[1 - side]))
            return no_domain(d, what, "mixing outer and inner columns on one side", err);
        uint32_t j = 0;
        while (j < *nouter && !plan_expr_equal((*outer)[j], p->args[side])) j++;
        if (j == *nouter &&
            bind_push(d->b->arena, outer, nouter, sizeof **outer, &p->args[side]) < 0)
            return bind_oom(err);
    }
    return 0;
}

/* extra: outer column references the node itself uses (an aggregate's
 * arguments): they join the domain whatever the correlations are. */
static int domain_join_with(decor *d, plan_node **childp, uint32_t start, bool columns,
                            const char *what, plan_expr **extra, uint32_t nextra, domain *dom,
                            fl_error *err)
{
    binder *b = d->b;
    fl_arena *a = b->arena;
    memset(dom, 0, sizeof *dom);
    if (!nextra && (d->npulled == start || all_equalities(d, start, columns))) return 0;
    if (!d->outer_plan) return no_domain(d, what, "here", err);
    plan_expr **outer = NULL;
    uint32_t nouter = 0;
    for (uint32_t i = 0; i < nextra; i++)
        if (bind_push(a, &outer, &nouter, sizeof *outer, &extra[i]) < 0) return bind_oom(err);
    FL_TRY(collect_outer_sides(d, start, what, &outer, &nouter, err));
    plan_binding *ob;
    uint32_t on;
    FL_TRY(plan_node_outputs(d->outer_plan, a, &ob, NULL, &on, err));
    for (uint32_t j = 0; j < nouter; j++)
        if (!plan_expr_bound_by(outer[j], ob, on))
            return no_domain(d, what, "to a query more than one level out", err);
    tmap m = {0};
    plan_node *copy;
    int rc = copy_plan(b, d->outer_plan, &m, &copy);
    if (rc == FLOE_EUNSUPPORTED || (rc == 0 && m.foreign))
        return no_domain(d, what, "over an outer query with WITH or correlations of its own", err);
    if (rc < 0) return bind_oom(err);
    plan_node *dp = plan_node_new(a, PLAN_PROJECT, 1), *dd = plan_node_new(a, PLAN_DISTINCT, 1);
    plan_node *jn = plan_node_new(a, PLAN_JOIN, 2);
    plan_expr **dexprs = fl_arena_alloc(a, sizeof *dexprs * (nouter + 1));
    if (!dp || !dd || !jn || !dexprs) return bind_oom(err);
    dp->table_index = bind_new_table_index(b);
    dp->children[0] = copy;
    for (uint32_t j = 0; j < nouter; j++) {
        if (!(dexprs[j] = plan_expr_copy(a, outer[j]))) return bind_oom(err);
        tmap_expr(&m, dexprs[j]);
    }
    dp->u.project.exprs = dexprs;
    dp->u.project.count = nouter;
    dd->children[0] = dp;
    jn->u.join.type = PLAN_JOIN_INNER;
    jn->children[0] = *childp;
    jn->children[1] = dd;
    for (uint32_t i = start; i < d->npulled; i++) {
        plan_expr *x = replace_outer(a, d->pulled[i], outer, nouter, dp->table_index);
        if (!x) return bind_oom(err);
        FL_TRY(bind_decor_add_cond(jn, x, d->pulled_nd[i], a, err));
    }
    *childp = jn;
    d->npulled = start;
    for (uint32_t j = 0; j < nouter; j++) {
        const char *name = outer[j]->kind == PLAN_EX_COLREF ? outer[j]->name : "outer";
        plan_expr *key = plan_expr_colref(a, (plan_binding){dp->table_index, j}, outer[j]->type,
                                          name);
        plan_expr *args[2] = {outer[j], key}, *eq;
        if (!key) return bind_oom(err);
        FL_TRY(bind_call(b, "=", args, 2, d->loc, &eq, err));
        FL_TRY(pull_as(d, eq, true, err));   /* a NULL outer value has its own domain row */
    }
    dom->outer = outer;
    dom->n = nouter;
    dom->table = dp->table_index;
    return 0;
}

/* Outer column references of an aggregate's own expressions (arguments,
 * FILTER, GROUP BY), each once. */
typedef struct outer_refs {
    decor *d;
    plan_expr **refs;
    uint32_t n;
    bool oom;
} outer_refs;

static void outer_ref_visit(void *ctx, const plan_expr *ref)
{
    outer_refs *o = ctx;
    uint32_t t = ref->u.binding.table;
    if (t >= o->d->ntables || o->d->inner[t]) return;
    for (uint32_t i = 0; i < o->n; i++)
        if (plan_binding_eq(o->refs[i]->u.binding, ref->u.binding)) return;
    plan_expr *c = plan_expr_copy(o->d->b->arena, ref);
    if (!c || bind_push(o->d->b->arena, &o->refs, &o->n, sizeof c, &c) < 0) o->oom = true;
}

static void outer_ref_slot(void *ctx, plan_expr **slot)
{
    plan_expr_visit_colrefs(*slot, outer_ref_visit, ctx);
}

typedef struct replace_ctx {
    fl_arena *arena;
    const domain *dom;
    bool oom;
} replace_ctx;

static void replace_slot(void *ctx, plan_expr **slot)
{
    replace_ctx *c = ctx;
    plan_expr *e = replace_outer(c->arena, *slot, c->dom->outer, c->dom->n, c->dom->table);
    if (e && e->kind == PLAN_EX_AGG && e->u.agg.filter) {
        plan_expr *f = replace_outer(c->arena, e->u.agg.filter, c->dom->outer, c->dom->n,
                                     c->dom->table);
        if (f != e->u.agg.filter && (e = fl_arena_memdup(c->arena, e, sizeof *e))) e->u.agg.filter = f;
        if (!f) e = NULL;
    }
    if (!e) c->oom = true;
    else *slot = e;
}

static int pull_aggregate(decor *d, plan_node *n, uint32_t start, fl_error *err)
{
    binder *b = d->b;
    outer_refs o = {d, NULL, 0, false};
    plan_node_visit_exprs(n, outer_ref_slot, &o);
    if (o.oom) return bind_oom(err);
    if (d->npulled == start && !o.n) return 0;
    if (n->u.aggregate.set_count)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                          "correlated subqueries with grouping sets are not supported");
    bool was_scalar = n->u.aggregate.group_count == 0;
    domain dom;
    FL_TRY(domain_join_with(d, &n->children[0], start, false, "an aggregate", o.refs, o.n, &dom,
                            err));
    if (o.n) {   /* the aggregate's outer references read the domain's columns */
        replace_ctx rc = {b->arena, &dom, false};
        plan_node_visit_exprs(n, replace_slot, &rc);
        if (rc.oom) return bind_oom(err);
    }
    for (uint32_t i = start; i < d->npulled; i++) {
        plan_expr *p = d->pulled[i];
        int side = eq_inner_side(d, p);
        if (side < 0)
            return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                              "correlated subquery with an aggregate: only equality "
                              "correlations (outer = inner) are supported");
        plan_expr *key = p->args[side];
        uint32_t g = 0;
        for (; g < n->u.aggregate.group_count; g++)
            if (plan_expr_equal(n->u.aggregate.groups[g], key)) break;
        if (g == n->u.aggregate.group_count &&
            append_expr(b->arena, &n->u.aggregate.groups, &n->u.aggregate.group_count, key) < 0)
            return bind_oom(err);
        plan_expr *ref = plan_expr_colref(b->arena, (plan_binding){n->u.aggregate.group_index, g},
                                          key->type, key->kind == PLAN_EX_COLREF ? key->name : NULL);
        plan_expr *np = plan_expr_copy(b->arena, p);
        if (!ref || !np) return bind_oom(err);
        np->args[side] = ref;
        d->pulled[i] = np;
    }
    if (was_scalar) {
        d->grouped_agg = n;
        d->agg_pulled_end = d->npulled;
    }
    return 0;
}

/* A window function over correlated rows: each outer row sees only the rows
 * of its own correlation key, so the keys join every PARTITION BY. */
static int pull_window(decor *d, plan_node *n, uint32_t start, fl_error *err)
{
    if (d->npulled == start) return 0;
    FL_TRY(domain_join(d, &n->children[0], start, false, "window functions", err));
    plan_expr **keys = equality_keys(d, start, "window functions", err);
    if (!keys) return FLOE_EUNSUPPORTED;
    uint32_t nkeys = d->npulled - start;
    fl_arena *arena = d->b->arena;
    for (uint32_t i = 0; i < n->u.window.count; i++) {
        plan_expr *x = fl_arena_memdup(arena, n->u.window.exprs[i], sizeof *x);
        plan_window_spec *s = x ? fl_arena_memdup(arena, x->u.window.spec, sizeof *s) : NULL;
        if (!s) return bind_oom(err);
        plan_expr **part = fl_arena_alloc(arena, sizeof *part * (s->partition_count + nkeys + 1));
        if (!part) return bind_oom(err);
        if (s->partition_count) memcpy(part, s->partition, sizeof *part * s->partition_count);
        for (uint32_t k = 0; k < nkeys; k++) part[s->partition_count + k] = keys[k];
        s->partition = part;
        s->partition_count += nkeys;
        x->u.window.spec = s;
        n->u.window.exprs[i] = x;
    }
    return 0;
}

/* LIMIT/OFFSET over correlated rows: rows are numbered per correlation key
 * in the ORDER BY's order (row_number(), rank() for WITH TIES) and filtered
 * on that number, DuckDB's and Umbra's rewrite, so every outer row gets its
 * own first n rows without running the subquery per row. */
static int pull_limit(decor *d, plan_node **np, fl_error *err)
{
    binder *b = d->b;
    plan_node *n = *np;
    uint32_t start = d->npulled;
    FL_TRY(pull_up(d, &n->children[0], err));
    if (d->npulled == start) return 0;
    /* a binder's PLAN_LIMIT carries orders only for WITH TIES (bind_limit) */
    bool ties = n->u.limit.order_count > 0;
    if (ties && n->u.limit.offset > 0)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                          "correlated subquery with OFFSET and WITH TIES is not supported");
    plan_node **below = &n->children[0];   /* under the ORDER BY, if any */
    if ((*below)->kind == PLAN_ORDER) below = &(*below)->children[0];
    FL_TRY(domain_join(d, below, start, false, "LIMIT", err));
    plan_expr **keys = equality_keys(d, start, "LIMIT", err);
    if (!keys) return FLOE_EUNSUPPORTED;
    plan_node *child = n->children[0];
    plan_order *orders = NULL;
    uint32_t order_count = 0;
    if (child->kind == PLAN_ORDER) {
        orders = child->u.order.orders;
        order_count = child->u.order.count;
        child = child->children[0];
    }
    const char *fname = ties ? "rank" : "row_number";
    const fn_window_def *wfn;
    int rc = fn_window_bind(&wfn, fname, NULL, 0, b->arena, err);
    if (rc < 0) return bind_error_rethrow(b, err, rc, d->loc);
    plan_window_spec *spec = fl_arena_calloc(b->arena, sizeof *spec);
    plan_expr *w = plan_expr_new(b->arena, PLAN_EX_WINDOW, wfn->ret, 0);
    plan_node *win = plan_node_new(b->arena, PLAN_WINDOW, 1);
    plan_expr **wexprs = fl_arena_alloc(b->arena, sizeof *wexprs);
    if (!spec || !w || !win || !wexprs) return bind_oom(err);
    spec->partition = keys;
    spec->partition_count = d->npulled - start;
    spec->order = orders;
    spec->order_count = order_count;
    spec->rows = !ties;
    spec->start = PLAN_BOUND_UNBOUNDED_PRECEDING;
    spec->end = PLAN_BOUND_CURRENT_ROW;
    w->name = fname;
    w->u.window.fn = wfn;
    w->u.window.spec = spec;
    w->loc = d->loc;
    win->children[0] = child;
    win->table_index = bind_new_table_index(b);
    wexprs[0] = w;
    win->u.window.exprs = wexprs;
    win->u.window.count = 1;
    plan_expr *num = plan_expr_colref(b->arena, (plan_binding){win->table_index, 0}, wfn->ret,
                                      fname);
    plan_expr **conds = fl_arena_alloc(b->arena, sizeof *conds * 2);
    plan_node *f = plan_node_new(b->arena, PLAN_FILTER, 1);
    if (!num || !conds || !f) return bind_oom(err);
    uint32_t nconds = 0;
    int64_t offset = n->u.limit.offset > 0 ? n->u.limit.offset : 0;
    if (offset > 0) {
        fl_value v = {.type = wfn->ret, .v.i64 = offset};
        plan_expr *c = plan_expr_const(b->arena, &v);
        if (!c) return bind_oom(err);
        FL_TRY(bind_compare(b, ">", num, c, d->loc, &conds[nconds++], err));
    }
    if (n->u.limit.limit >= 0) {
        int64_t last =
            n->u.limit.limit > INT64_MAX - offset ? INT64_MAX : n->u.limit.limit + offset;
        fl_value v = {.type = wfn->ret, .v.i64 = last};
        plan_expr *c = plan_expr_const(b->arena, &v);
        plan_expr *ref = plan_expr_copy(b->arena, num);
        if (!c || !ref) return bind_oom(err);
        FL_TRY(bind_compare(b, "<=", ref, c, d->loc, &conds[nconds++], err));
    }
    if (!nconds) {
        *np = child;
        return 0;
    }
    f->children[0] = win;
    f->u.filter.exprs = conds;
    f->u.filter.count = nconds;
    *np = f;
    return 0;
}

/* LATERAL: select-list expressions with outer references (or over lifted
 * columns) are lifted out of the PROJECT; their slots become NULL constants
 * that nothing above may use (bind_decor_plan_has_outer checks). */
static int lift_project(decor *d, plan_node *n, fl_error *err)
{
    uint32_t count = n->u.project.count;
    remap_ctx c = {d, n, 0};
    for (uint32_t i = 0; i < count; i++) {
        plan_expr *e = n->u.project.exprs[i];
        if (!has_outer(d, e) && !refs_lifted(d, e)) continue;
        plan_expr *x = bind_decor_subst(d, e);
        if (!x || !(x = plan_expr_copy(d->b->arena, x)) || remap(&c, x) < 0) return bind_oom(err);
        FL_TRY(bind_decor_add_lifted(d, (plan_binding){n->table_index, i}, x, err));
        fl_value null = {.type = e->type, .is_null = true};
        if (!(n->u.project.exprs[i] = plan_expr_const(d->b->arena, &null))) return bind_oom(err);
    }
    return 0;
}

/* Removes the join's own conditions (not the residual) that reference the
 * outer query and appends them to *out (as expressions). */
static int take_outer_conds(decor *d, plan_node *n, plan_expr ***out, uint32_t *nout,
                            fl_error *err)
{
    plan_join_cond *conds = n->u.join.conds;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < n->u.join.cond_count; i++) {
        plan_join_cond *c = &conds[i];
        if (!has_outer(d, c->left) && !has_outer(d, c->right)) {
            conds[kept++] = *c;
            continue;
        }
        static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
        if (c->cmp > PLAN_CMP_GE)
            return bind_error(d->b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                              "this correlated join condition is not supported");
        plan_expr *args[2] = {c->left, c->right}, *x;
        FL_TRY(bind_call(d->b, ops[c->cmp], args, 2, d->loc, &x, err));
        if (bind_push(d->b->arena, out, nout, sizeof x, &x) < 0) return bind_oom(err);
    }
    n->u.join.cond_count = kept;
    return 0;
}

/* The correlated conjuncts of the join's residual, pulled. */
static int pull_residual(decor *d, plan_node *n, fl_error *err)
{
    if (!n->u.join.residual || !has_outer(d, n->u.join.residual)) return 0;
    plan_expr **keep = NULL;
    uint32_t nkeep = 0;
    FL_TRY(split_pull(d, n->u.join.residual, &keep, &nkeep, err));
    n->u.join.residual = nkeep ? bind_and(d->b, keep, nkeep) : NULL;
    if (nkeep && !n->u.join.residual) return bind_oom(err);
    return 0;
}

/* A LEFT (SEMI, ANTI, MARK, SINGLE) join whose right side or ON condition
 * references the outer query: that correlation must stay inside the join,
 * so the left side is joined with the domain of outer values (its own pulled
 * correlations become that join's conditions) and the right side's
 * correlations and ON conjuncts read the domain's columns instead, as
 * conditions of this join; `outer = domain` is pulled up (IS NOT DISTINCT
 * FROM: a NULL outer value keeps its rows). */
static int pull_join_right(decor *d, plan_node *n, uint32_t start_left, fl_error *err)
{
    fl_arena *a = d->b->arena;
    uint32_t start_right = d->npulled;
    FL_TRY(pull_up(d, &n->children[1], err));
    FL_TRY(pull_residual(d, n, err));
    plan_expr **preds = NULL;
    bool *nd = fl_arena_calloc(a, d->npulled - start_right + 1);
    uint32_t npreds = 0;
    if (!nd) return bind_oom(err);
    for (uint32_t i = start_right; i < d->npulled; i++) {
        nd[npreds] = d->pulled_nd[i];
        if (bind_push(a, &preds, &npreds, sizeof d->pulled[i], &d->pulled[i]) < 0)
            return bind_oom(err);
    }
    uint32_t from_pulled = npreds;
    d->npulled = start_right;
    FL_TRY(take_outer_conds(d, n, &preds, &npreds, err));
    if (!npreds) return 0;
    outer_refs o = {d, NULL, 0, false};
    for (uint32_t i = 0; i < npreds; i++) plan_expr_visit_colrefs(preds[i], outer_ref_visit, &o);
    if (o.oom) return bind_oom(err);
    domain dom;
    FL_TRY(domain_join_with(d, &n->children[0], start_left, false, "an outer join", o.refs, o.n,
                            &dom, err));
    for (uint32_t i = 0; i < npreds; i++) {
        plan_expr *x = replace_outer(a, preds[i], dom.outer, dom.n, dom.table);
        if (!x) return bind_oom(err);
        FL_TRY(bind_decor_add_cond(n, x, i < from_pulled && nd[i], a, err));
    }
    return 0;
}

/* A set operation over correlated branches: every branch joins the same
 * domain (the union of all branches' outer expressions, in one order), so
 * the domain's columns line up as extra set-operation columns and the set
 * operation happens per outer value; `outer = column` is pulled up. */
static int pull_setop(decor *d, plan_node *n, fl_error *err)
{
    binder *b = d->b;
    fl_arena *a = b->arena;
    uint32_t start = d->npulled, bounds[3] = {start, 0, 0};
    for (uint32_t c = 0; c < 2; c++) {
        FL_TRY(pull_up(d, &n->children[c], err));
        bounds[c + 1] = d->npulled;
        plan_binding *ob;
        uint32_t on;
        FL_TRY(plan_node_outputs(n->children[c], a, &ob, NULL, &on, err));
        for (uint32_t k = 0; k < on; k++)
            if (lifted_index(d, ob[k]) >= 0)
                return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                                  "a set operation whose select list uses outer columns is not "
                                  "supported in a correlated subquery");
    }
    if (d->npulled == start) return 0;
    plan_expr **outer = NULL;
    uint32_t nouter = 0;
    uint32_t end = d->npulled;
    for (uint32_t c = 0; c < 2; c++) {   /* the outer sides of both branches, in one list */
        d->npulled = bounds[c + 1];
        FL_TRY(collect_outer_sides(d, bounds[c], "a set operation", &outer, &nouter, err));
    }
    d->npulled = end;
    /* the branches' correlations, taken out; each branch then joins the domain */
    plan_expr **saved = fl_arena_alloc(a, sizeof *saved * (end - start + 1));
    bool *saved_nd = fl_arena_alloc(a, end - start + 1);
    if (!saved || !saved_nd) return bind_oom(err);
    memcpy(saved, d->pulled + start, sizeof *saved * (end - start));
    memcpy(saved_nd, d->pulled_nd + start, end - start);
    fl_type *types = fl_arena_alloc(a, sizeof *types * (n->u.setop.column_count + nouter + 1));
    if (!types) return bind_oom(err);
    memcpy(types, n->u.setop.types, sizeof *types * n->u.setop.column_count);
    for (uint32_t c = 0; c < 2; c++) {
        d->npulled = start;
        for (uint32_t i = bounds[c]; i < bounds[c + 1]; i++)
            FL_TRY(pull_as(d, saved[i - start], saved_nd[i - start], err));
        domain dom;
        FL_TRY(domain_join_with(d, &n->children[c], start, false, "a set operation", outer, nouter,
                                &dom, err));
        if (dom.n != nouter) return no_domain(d, "a set operation", "here", err);
        /* the branch's own columns (not what the correlation passed through) and the domain */
        plan_binding *ob;
        fl_type *ot;
        uint32_t on, base = n->u.setop.column_count;
        FL_TRY(plan_node_outputs(n->children[c], a, &ob, &ot, &on, err));
        plan_node *p = plan_node_new(a, PLAN_PROJECT, 1);
        plan_expr **exprs = fl_arena_alloc(a, sizeof *exprs * (base + nouter + 1));
        if (!p || !exprs) return bind_oom(err);
        for (uint32_t k = 0; k < base + nouter; k++) {
            uint32_t from = k < base ? k : on - nouter + (k - base);
            if (!(exprs[k] = plan_expr_colref(a, ob[from], ot[from], NULL))) return bind_oom(err);
        }
        p->table_index = bind_new_table_index(b);
        p->children[0] = n->children[c];
        p->u.project.exprs = exprs;
        p->u.project.count = base + nouter;
        n->children[c] = p;
    }
    d->npulled = start;
    uint32_t base = n->u.setop.column_count;
    for (uint32_t j = 0; j < nouter; j++) {
        types[base + j] = outer[j]->type;
        plan_expr *col = plan_expr_colref(a, (plan_binding){n->table_index, base + j},
                                          outer[j]->type, "outer");
        plan_expr *args[2] = {outer[j], col}, *eq;
        if (!col) return bind_oom(err);
        FL_TRY(bind_call(b, "=", args, 2, d->loc, &eq, err));
        FL_TRY(pull_as(d, eq, true, err));
    }
    n->u.setop.types = types;
    n->u.setop.column_count = base + nouter;
    return 0;
}

typedef struct rename_ctx {
    fl_arena *arena;
    uint32_t from, to;
    bool oom;
} rename_ctx;

static plan_expr *rename_table(rename_ctx *c, plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) {
        if (e->u.binding.table != c->from) return e;
        plan_expr *copy = fl_arena_memdup(c->arena, e, sizeof *e);
        if (copy) copy->u.binding.table = c->to;
        return copy;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = rename_table(c, e->args[i]);
        if (!a || plan_expr_cow_arg(c->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

static void rename_slot(void *ctx, plan_expr **slot)
{
    rename_ctx *c = ctx;
    plan_expr *e = rename_table(c, *slot);
    if (!e) c->oom = true;
    else *slot = e;
}

/* A LATERAL DISTINCT whose input p (a PROJECT of `selected` select
 * columns) passed inner columns along for a non-equality correlation and
 * was then joined to the domain of outer values (domain_join): the
 * DISTINCT must see only the select columns and the domain columns, not
 * the inner comparison columns (duplicates would survive). p takes a fresh
 * table index; a PROJECT with p's old index (so references above stay
 * valid) over the domain join keeps p's select columns, and the pulled
 * `outer = domain` keys are passed through it. */
static int distinct_over_domain(decor *d, plan_node *n, plan_node *p, uint32_t selected,
                                uint32_t start, fl_error *err)
{
    plan_node *jn = n->children[0];
    if (jn == p || p->kind != PLAN_PROJECT || p->u.project.count <= selected ||
        jn->kind != PLAN_JOIN || jn->children[0] != p)
        return 0;
    binder *b = d->b;
    fl_arena *a = b->arena;
    rename_ctx rc = {a, p->table_index, bind_new_table_index(b), false};
    plan_node *top = plan_node_new(a, PLAN_PROJECT, 1);
    plan_expr **exprs = fl_arena_alloc(a, sizeof *exprs * (selected + 1));
    if (!top || !exprs) return bind_oom(err);
    for (uint32_t k = 0; k < selected; k++) {
        const plan_expr *x = p->u.project.exprs[k];
        exprs[k] = plan_expr_colref(a, (plan_binding){rc.to, k}, x->type,
                                    x->kind == PLAN_EX_COLREF ? x->name : NULL);
        if (!exprs[k]) return bind_oom(err);
    }
    plan_node_visit_exprs(jn, rename_slot, &rc);
    if (rc.oom) return bind_oom(err);
    top->table_index = p->table_index;
    p->table_index = rc.to;
    top->children[0] = jn;
    top->u.project.exprs = exprs;
    top->u.project.count = selected;
    n->children[0] = top;
    remap_ctx c = {d, top, 0};
    for (uint32_t i = start; i < d->npulled; i++) {
        plan_expr *copy = plan_expr_copy(a, d->pulled[i]);
        if (!copy || remap(&c, copy) < 0) return bind_oom(err);
        d->pulled[i] = copy;
    }
    return 0;
}

static int pull_join(decor *d, plan_node *n, fl_error *err)
{
    uint32_t start = d->npulled;
    switch (n->u.join.type) {
    case PLAN_JOIN_INNER:
        FL_TRY(pull_up(d, &n->children[0], err));
        FL_TRY(pull_up(d, &n->children[1], err));
        break;
    case PLAN_JOIN_RIGHT:
        FL_TRY(pull_up(d, &n->children[1], err));
        return 0;
    case PLAN_JOIN_FULL:
        return 0;
    default:
        FL_TRY(pull_up(d, &n->children[0], err));
        return pull_join_right(d, n, start, err);
    }
    /* inner join: its own correlated conditions are pulled as well */
    plan_expr **conds = NULL;
    uint32_t nconds = 0;
    FL_TRY(take_outer_conds(d, n, &conds, &nconds, err));
    for (uint32_t i = 0; i < nconds; i++) FL_TRY(pull(d, conds[i], err));
    return pull_residual(d, n, err);
}

static int pull_up(decor *d, plan_node **np, fl_error *err)
{
    plan_node *n = *np;
    uint32_t start = d->npulled;
    switch (n->kind) {
    case PLAN_FILTER: {
        FL_TRY(pull_up(d, &n->children[0], err));
        plan_expr **keep = NULL;
        uint32_t nkeep = 0;
        for (uint32_t i = 0; i < n->u.filter.count; i++)
            FL_TRY(split_pull(d, n->u.filter.exprs[i], &keep, &nkeep, err));
        if (!nkeep) {
            *np = n->children[0];
        } else {
            n->u.filter.exprs = keep;
            n->u.filter.count = nkeep;
        }
        return 0;
    }
    case PLAN_PROJECT: {
        FL_TRY(pull_up(d, &n->children[0], err));
        remap_ctx c = {d, n, 0};
        for (uint32_t i = start; i < d->npulled; i++) {
            plan_expr *copy = plan_expr_copy(d->b->arena, d->pulled[i]);
            if (!copy || remap(&c, copy) < 0) return bind_oom(err);
            d->pulled[i] = copy;
        }
        return d->lateral ? lift_project(d, n, err) : 0;
    }
    case PLAN_AGGREGATE:
        FL_TRY(pull_up(d, &n->children[0], err));
        return pull_aggregate(d, n, start, err);
    case PLAN_JOIN:
        return pull_join(d, n, err);
    case PLAN_WINDOW:
        FL_TRY(pull_up(d, &n->children[0], err));
        return pull_window(d, n, start, err);
    case PLAN_LIMIT:
        return pull_limit(d, np, err);
    case PLAN_DISTINCT: {
        uint32_t lifted = d->nlifted;
        plan_node *child = n->children[0];
        uint32_t selected = child->kind == PLAN_PROJECT ? child->u.project.count : 0;
        FL_TRY(pull_up(d, &n->children[0], err));
        if (!d->lateral) return 0;   /* EXISTS, IN, scalar: duplicates of a key do not matter */
        if (d->nlifted != lifted)
            return bind_error(d->b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                              "LATERAL subquery with DISTINCT over outer references is not "
                              "supported");
        /* distinct rows per outer row: keyed by plain columns */
        FL_TRY(domain_join(d, &n->children[0], start, true, "DISTINCT", err));
        return distinct_over_domain(d, n, child, selected, start, err);
    }
    case PLAN_ORDER:
        return pull_up(d, &n->children[0], err);
    case PLAN_CTE_MATERIALIZE:
        return pull_up(d, &n->children[1], err);
    case PLAN_SETOP:
        return pull_setop(d, n, err);
    default:
        return 0;   /* TOPN...: correlation below stays and is reported */
    }
}

typedef struct check_ctx {
    const decor *d;
    bool outer;
} check_ctx;

static void check_slot(void *ctx, plan_expr **slot)
{
    check_ctx *c = ctx;
    if (!c->outer && *slot && (has_outer(c->d, *slot) || refs_lifted(c->d, *slot))) c->outer = true;
}

/* Where correlation is left, for messages: the node holding the reference,
 * or the closest enclosing node that stopped the pull (under). */
static const char *blocker(const plan_node *n, const char *under)
{
    if (n->kind == PLAN_AGGREGATE) return "in an aggregate's arguments or GROUP BY";
    if (n->kind == PLAN_JOIN && n->u.join.type != PLAN_JOIN_INNER)
        return "in the condition of an outer join";
    if (n->kind == PLAN_WINDOW) return "in a window function's arguments";
    if (under) return under;
    if (n->kind == PLAN_PROJECT) return "in a select list below other clauses";
    return "here";
}

static const char *child_context(const plan_node *n, uint32_t child, const char *under)
{
    if (n->kind == PLAN_SETOP) return "under a set operation";
    if (n->kind == PLAN_TOPN) return "under LIMIT";
    if (n->kind == PLAN_JOIN) {
        plan_join_type t = n->u.join.type;
        if ((t == PLAN_JOIN_LEFT && child == 1) || (t == PLAN_JOIN_RIGHT && child == 0) ||
            t == PLAN_JOIN_FULL)
            return "on the inner side of an outer join";
    }
    return under;
}

static bool has_outer_rec(const decor *d, plan_node *n, const char *under, const char **where)
{
    check_ctx c = {d, false};
    plan_node_visit_exprs(n, check_slot, &c);
    if (c.outer) {
        if (where) *where = blocker(n, under);
        return true;
    }
    for (uint32_t i = 0; i < n->child_count; i++)
        if (has_outer_rec(d, n->children[i], child_context(n, i, under), where)) return true;
    return false;
}

bool bind_decor_plan_has_outer(const bind_decor *d, plan_node *n, const char **where)
{
    return has_outer_rec(d, n, NULL, where);
}

int bind_decor_start(bind_decor *d, binder *b, plan_node *root, uint32_t loc, bool lateral,
                     fl_error *err)
{
    memset(d, 0, sizeof *d);
    d->b = b;
    d->loc = loc;
    d->lateral = lateral;
    d->ntables = b->stmt->next_table_index;
    d->inner = fl_arena_calloc(b->arena, d->ntables + 1);
    if (!d->inner) return bind_oom(err);
    mark_tables(d, root);
    return 0;
}

int bind_decor_pull(bind_decor *d, plan_node **np, fl_error *err) { return pull_up(d, np, err); }

/* Binds q as a subquery of cx's level and decorrelates it. */
static int prepare_lift(bind_ctx *cx, const sql_query *q, uint32_t loc, bind_result *r,
                        decor *d, bool lift, fl_error *err)
{
    binder *b = cx->b;
    if (!cx->root)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", loc,
                          "subqueries are not allowed in %s", cx->clause ? cx->clause : "this context");
    FL_TRY(bind_query(b, q, cx->scope, r, err));
    FL_TRY(bind_decor_start(d, b, r->root, loc, lift, err));
    if (!cx->agg) d->outer_plan = *cx->root;   /* aggregating levels correlate on groups */
    FL_TRY(pull_up(d, &r->root, err));
    const char *where = "here";
    if (bind_decor_plan_has_outer(d, r->root, &where))
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", loc,
                          "this correlated subquery is not supported (a correlated reference "
                          "%s)", where);
    return 0;
}

static int prepare(bind_ctx *cx, const sql_query *q, uint32_t loc, bind_result *r, decor *d,
                   fl_error *err)
{
    return prepare_lift(cx, q, loc, r, d, false, err);
}

/* In an aggregating level the subquery joins above the AGGREGATE: outer
 * references to grouped expressions become references to the group columns. */
static plan_expr *map_to_groups(binder *b, const plan_node *agg, plan_expr *e)
{
    for (uint32_t g = 0; g < agg->u.aggregate.group_count; g++)
        if (plan_expr_equal(agg->u.aggregate.groups[g], e))
            return plan_expr_colref(b->arena, (plan_binding){agg->u.aggregate.group_index, g},
                                    e->type, e->kind == PLAN_EX_COLREF ? e->name : NULL);
    if (!e->arg_count) return e;
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = map_to_groups(b, agg, e->args[i]);
        if (!a || plan_expr_cow_arg(b->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

/* The join's conditions must only use its two inputs. */
typedef struct level_ctx {
    const bind_scope *scope;
    const plan_binding *both;
    uint32_t n;
    bool bad;
} level_ctx;

static void level_visit(void *ctx, const plan_expr *ref)
{
    level_ctx *c = ctx;
    for (uint32_t k = 0; k < c->n; k++)
        if (plan_binding_eq(ref->u.binding, c->both[k])) return;
    for (uint32_t e = 0; e < c->scope->count; e++) {
        const bind_entry *en = c->scope->entries[e];
        for (uint32_t i = 0; i < en->col_count; i++)
            if (plan_binding_eq(ref->u.binding, en->cols[i].binding)) c->bad = true;
    }
}

/* The join's conditions must only use its two inputs, or columns of the
 * queries enclosing this level (a subquery inside a correlated subquery or
 * LATERAL: the enclosing decorrelation pulls those up, or refuses). */
static int check_join(bind_ctx *cx, const plan_node *j, uint32_t loc, fl_error *err)
{
    binder *b = cx->b;
    plan_binding *lb, *rb, *both;
    uint32_t ln, rn;
    FL_TRY(plan_node_outputs(j->children[0], b->arena, &lb, NULL, &ln, err));
    FL_TRY(plan_node_outputs(j->children[1], b->arena, &rb, NULL, &rn, err));
    both = fl_arena_alloc(b->arena, sizeof *both * (ln + rn + 1));
    if (!both) return bind_oom(err);
    if (ln) memcpy(both, lb, sizeof *lb * ln);
    if (rn) memcpy(both + ln, rb, sizeof *rb * rn);
    bool ok = !j->u.join.residual || plan_expr_bound_by(j->u.join.residual, both, ln + rn);
    for (uint32_t i = 0; i < j->u.join.cond_count && ok; i++)
        ok = plan_expr_bound_by(j->u.join.conds[i].left, lb, ln) &&
             plan_expr_bound_by(j->u.join.conds[i].right, rb, rn);
    if (ok) return 0;
    if (j->u.join.residual) {   /* enclosing queries' columns: left to their decorrelation */
        bool conds_ok = true;
        for (uint32_t i = 0; i < j->u.join.cond_count && conds_ok; i++)
            conds_ok = plan_expr_bound_by(j->u.join.conds[i].left, lb, ln) &&
                       plan_expr_bound_by(j->u.join.conds[i].right, rb, rn);
        level_ctx c = {cx->scope, both, ln + rn, false};
        plan_expr_visit_colrefs(j->u.join.residual, level_visit, &c);
        if (conds_ok && !c.bad && cx->scope->parent) return 0;
    }
    if (cx->agg)
        return bind_error(b, err, FLOE_EINVAL, "42803", loc,
                          "a correlated subquery in an aggregating query may only reference "
                          "GROUP BY expressions of the outer query");
    return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", loc,
                      "this correlated subquery is not supported (it references a query more "
                      "than one level out)");
}

static int make_join(bind_ctx *cx, bind_result *r, decor *d, plan_join_type type,
                     plan_expr *extra, plan_node **out, fl_error *err)
{
    binder *b = cx->b;
    if (cx->agg && !cx->in_agg)
        for (uint32_t i = 0; i < d->npulled; i++)
            if (!(d->pulled[i] = map_to_groups(b, cx->agg, d->pulled[i]))) return bind_oom(err);
    plan_node *j = plan_node_new(b->arena, PLAN_JOIN, 2);
    if (!j) return bind_oom(err);
    j->children[0] = *cx->root;
    j->children[1] = r->root;
    j->u.join.type = type;
    if (type == PLAN_JOIN_MARK) j->u.join.mark_index = bind_new_table_index(b);
    for (uint32_t i = 0; i < d->npulled; i++)
        FL_TRY(bind_decor_add_cond(j, d->pulled[i], d->pulled_nd[i], b->arena, err));
    if (extra) FL_TRY(plan_join_add_conjunct(j, extra, b->arena, err));
    FL_TRY(check_join(cx, j, d->loc, err));
    *cx->root = j;
    *out = j;
    return 0;
}

static int one_column(bind_ctx *cx, const bind_result *r, uint32_t loc, fl_error *err)
{
    if (r->count == 1) return 0;
    return bind_error(cx->b, err, FLOE_EINVAL, "42601", loc, "subquery must return only one column");
}

static plan_expr *sub_value(binder *b, const bind_result *r)
{
    return plan_expr_colref(b->arena, r->outs[0], r->types[0], r->names[0]);
}

static plan_expr *mark_ref(binder *b, const plan_node *j)
{
    return plan_expr_colref(b->arena, (plan_binding){j->u.join.mark_index, 0}, BOOL_T, "mark");
}

/* coalesce(mark, false) for EXISTS */
static plan_expr *exists_value(binder *b, plan_expr *mark)
{
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_COALESCE, BOOL_T, 2);
    if (!c || !(c->args[1] = bind_bool_const(b, false))) return NULL;
    c->args[0] = mark;
    return c;
}

static const char *sym_of(sql_op op, bool negate)
{
    static const char *const pos[] = {"=", "<>", "<", "<=", ">", ">="};
    static const char *const neg[] = {"<>", "=", ">=", ">", "<=", "<"};
    if (op < SQL_OP_EQ || op > SQL_OP_GE) return NULL;
    return negate ? neg[op - SQL_OP_EQ] : pos[op - SQL_OP_EQ];
}

/* The comparison between the outer value and the subquery's column. */
static int in_condition(bind_ctx *cx, const sql_expr *arg, const char *sym, const bind_result *r,
                        uint32_t loc, plan_expr **out, fl_error *err)
{
    plan_expr *x, *v = sub_value(cx->b, r);
    if (!v) return bind_oom(err);
    bind_ctx outer = *cx;
    FL_TRY(bind_expr(&outer, arg, &x, err));
    return bind_compare(cx->b, sym, x, v, loc, out, err);
}

/* The value of a scalar subquery whose aggregate gained correlation keys,
 * evaluated above the join: for an outer row without a group the original
 * query aggregated no rows (count 0, other aggregates NULL), so the select
 * expression is lifted over the join with count references as
 * coalesce(count, 0) (count(*) + 1 must give 1 there, not NULL). */
static plan_expr *lift(binder *b, plan_node *p, const plan_node *agg, plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) {
        uint32_t t = e->u.binding.table;
        if (t != agg->u.aggregate.agg_index && t != agg->u.aggregate.group_index &&
            t != agg->u.aggregate.grouping_index)
            return e;
        uint32_t k = 0;
        for (; k < p->u.project.count; k++)
            if (plan_expr_equal(p->u.project.exprs[k], e)) break;
        if (k == p->u.project.count && append_expr(b->arena, &p->u.project.exprs,
                                                   &p->u.project.count, e) < 0)
            return NULL;
        plan_expr *r = plan_expr_colref(b->arena, (plan_binding){p->table_index, k}, e->type,
                                        e->name);
        if (!r || t != agg->u.aggregate.agg_index) return r;
        const plan_expr *a = agg->u.aggregate.aggs[e->u.binding.column];
        if (!a->name || strncmp(a->name, "count", 5) != 0) return r;
        fl_value zero = {.type = e->type};
        plan_expr *c = plan_expr_new(b->arena, PLAN_EX_COALESCE, e->type, 2);
        if (!c || !(c->args[1] = plan_expr_const(b->arena, &zero))) return NULL;
        c->args[0] = r;
        return c;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = lift(b, p, agg, e->args[i]);
        if (!a || plan_expr_cow_arg(b->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

/* e with references to p's outputs replaced by p's expressions (a lifted
 * select expression re-expressed over p's input). */
static plan_expr *unproject(binder *b, const plan_node *p, plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) {
        if (e->u.binding.table != p->table_index) return e;
        return plan_expr_copy(b->arena, p->u.project.exprs[e->u.binding.column]);
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = unproject(b, p, e->args[i]);
        if (!a || plan_expr_cow_arg(b->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

/* The scalar subquery's value. A select expression with outer references
 * was lifted out of the subquery (bind_decor_subst gives it): it is
 * evaluated above the join, as CASE WHEN marker THEN value END so that an
 * outer row without a match sees NULL (marker: a TRUE column added to the
 * subquery's PROJECT). */
static int scalar_value(bind_ctx *cx, const bind_result *r, const decor *d, plan_expr **out,
                        fl_error *err)
{
    binder *b = cx->b;
    plan_node *p = r->root;
    const plan_node *agg = d->grouped_agg;
    plan_expr *ref = sub_value(b, r), *v;
    if (!ref || !(v = bind_decor_subst(d, ref))) return bind_oom(err);
    if (v != ref) {
        /* evaluated above the join: outer references as the join's input has them */
        if (cx->agg && !cx->in_agg && !(v = map_to_groups(b, cx->agg, v))) return bind_oom(err);
        plan_binding *jb;
        uint32_t jn;
        FL_TRY(plan_node_outputs(*cx->root, b->arena, &jb, NULL, &jn, err));
        if (!plan_expr_bound_by(v, jb, jn))
            return bind_error(b, err, cx->agg ? FLOE_EINVAL : FLOE_EUNSUPPORTED,
                              cx->agg ? "42803" : "0A000", d->loc,
                              cx->agg ? "a correlated subquery in an aggregating query may only "
                                        "reference GROUP BY expressions of the outer query"
                                      : "this correlated subquery is not supported (it references "
                                        "a query more than one level out)");
    }
    if (agg && p->kind == PLAN_PROJECT && p->children[0] == agg) {
        plan_expr *e = v == ref ? p->u.project.exprs[0] : unproject(b, p, v);
        if (!e || !(*out = lift(b, p, agg, e))) return bind_oom(err);
        return 0;
    }
    if (v == ref) {
        *out = v;
        return 0;
    }
    if (p->kind != PLAN_PROJECT)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", d->loc,
                          "a scalar subquery whose select list uses the outer query is not "
                          "supported under ORDER BY, DISTINCT or set operations");
    fl_value t = {.type = BOOL_T, .v.b = true};
    plan_expr *truth = plan_expr_const(b->arena, &t);
    if (!truth || append_expr(b->arena, &p->u.project.exprs, &p->u.project.count, truth) < 0)
        return bind_oom(err);
    plan_expr *marker = plan_expr_colref(b->arena, (plan_binding){p->table_index,
                                                                  p->u.project.count - 1},
                                         BOOL_T, "marker");
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_CASE, v->type, 2);
    if (!marker || !c) return bind_oom(err);
    c->args[0] = marker;
    c->args[1] = v;
    *out = c;
    return 0;
}

/* A correlated x IN / op ANY (q): the MARK join's own NULL rule is global
 * (no match and the build side held a NULL anywhere gives NULL), but only
 * the inner rows that satisfy the correlation count. So only its matches
 * are used (m1), and a second MARK join (m2) over the subquery bound again
 * finds the correlated rows where the comparison is NULL: the value is
 * CASE WHEN m1 THEN true WHEN m2 THEN NULL ELSE false END (an empty
 * correlated set gives false, even for a NULL x). *out replaces m1. */
static int correlated_mark(bind_ctx *cx, const sql_query *q, const sql_expr *arg,
                           const char *sym, uint32_t loc, plan_node *outer, plan_expr *m1,
                           plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    bind_result r;
    decor d;
    plan_node *j, *top = *cx->root;
    *cx->root = outer;   /* the domain of outer values: the plan before the first join */
    int rc = prepare(cx, q, loc, &r, &d, err);
    *cx->root = top;
    FL_TRY(rc);
    plan_expr *cond;
    FL_TRY(in_condition(cx, arg, sym, &r, loc, &cond, err));
    plan_expr *unknown = plan_expr_new(b->arena, PLAN_EX_IS_NULL, BOOL_T, 1);
    if (!unknown) return bind_oom(err);
    unknown->args[0] = cond;
    FL_TRY(make_join(cx, &r, &d, PLAN_JOIN_MARK, unknown, &j, err));
    plan_expr *m2 = mark_ref(b, j);
    fl_value nv = {.type = BOOL_T, .is_null = true};
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_CASE, BOOL_T, 5);
    if (!m2 || !c) return bind_oom(err);
    c->args[0] = m1;
    c->args[1] = bind_bool_const(b, true);
    c->args[2] = m2;
    c->args[3] = plan_expr_const(b->arena, &nv);
    c->args[4] = bind_bool_const(b, false);
    c->u.has_else = true;
    if (!c->args[1] || !c->args[3] || !c->args[4]) return bind_oom(err);
    *out = c;
    return 0;
}

/* EXISTS over an aggregate without GROUP BY, HAVING or LIMIT: one row, always. */
static bool always_one_row(const sql_query *q)
{
    if (q->kind != SQL_QUERY_SELECT || q->u.select.group_count || q->u.select.having ||
        q->limit || q->offset || q->cte_count)
        return false;
    for (uint32_t i = 0; i < q->u.select.item_count; i++)
        if (bind_ast_has_agg(q->u.select.items[i].expr)) return true;
    return false;
}

int bind_subquery_expr(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    bind_result r;
    decor d;
    plan_node *j;
    switch (e->kind) {
    case SQL_EXPR_EXISTS:
        if (always_one_row(e->u.subquery)) {
            *out = bind_bool_const(b, true);
            return *out ? 0 : bind_oom(err);
        }
        FL_TRY(prepare(cx, e->u.subquery, e->loc, &r, &d, err));
        FL_TRY(make_join(cx, &r, &d, PLAN_JOIN_MARK, NULL, &j, err));
        *out = exists_value(b, mark_ref(b, j));
        return *out ? 0 : bind_oom(err);
    case SQL_EXPR_SUBQUERY:
        FL_TRY(prepare_lift(cx, e->u.subquery, e->loc, &r, &d, true, err));
        FL_TRY(one_column(cx, &r, e->loc, err));
        FL_TRY(make_join(cx, &r, &d, PLAN_JOIN_SINGLE, NULL, &j, err));
        return scalar_value(cx, &r, &d, out, err);
    case SQL_EXPR_IN_QUERY:
    case SQL_EXPR_QUANTIFIED: {
        bool in = e->kind == SQL_EXPR_IN_QUERY;
        const sql_query *q = in ? e->u.in_query.query : e->u.quantified.query;
        const sql_expr *arg = in ? e->u.in_query.arg : e->u.quantified.arg;
        bool all = !in && e->u.quantified.all;
        const char *sym = in ? "=" : sym_of(e->u.quantified.op, all);
        if (!sym)
            return bind_error(b, err, FLOE_ESYNTAX, "42601", e->loc,
                              "quantified comparisons need a comparison operator");
        plan_node *saved = *cx->root;
        FL_TRY(prepare(cx, q, e->loc, &r, &d, err));
        FL_TRY(one_column(cx, &r, e->loc, err));
        if (d.grouped_agg)
            return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", e->loc,
                              "IN / ANY / ALL over a correlated aggregate without GROUP BY is "
                              "not supported");
        plan_expr *cond;
        FL_TRY(in_condition(cx, arg, sym, &r, e->loc, &cond, err));
        FL_TRY(make_join(cx, &r, &d, PLAN_JOIN_MARK, cond, &j, err));
        plan_expr *m = mark_ref(b, j);
        if (!m) return bind_oom(err);
        if (d.npulled) FL_TRY(correlated_mark(cx, q, arg, sym, e->loc, saved, m, &m, err));
        if ((in && e->u.in_query.negated) || all) m = bind_not(b, m);
        *out = m;
        return m ? 0 : bind_oom(err);
    }
    default:
        return bind_error(b, err, FLOE_EINTERNAL, "XX000", e->loc, "not a subquery expression");
    }
}

int bind_subquery_conjunct(bind_ctx *cx, const sql_expr *e, bool *handled, fl_error *err)
{
    *handled = false;
    bool negated = false;
    const sql_expr *x = e;
    if (x->kind == SQL_EXPR_UNARY && x->u.unary.op == SQL_OP_NOT &&
        x->u.unary.arg->kind == SQL_EXPR_EXISTS) {
        negated = true;
        x = x->u.unary.arg;
    }
    bind_result r;
    decor d;
    plan_node *j;
    if (x->kind == SQL_EXPR_EXISTS) {
        if (always_one_row(x->u.subquery)) return 0;   /* a constant: bound as an expression */
        FL_TRY(prepare(cx, x->u.subquery, x->loc, &r, &d, err));
        FL_TRY(make_join(cx, &r, &d, negated ? PLAN_JOIN_ANTI : PLAN_JOIN_SEMI, NULL, &j, err));
        *handled = true;
        return 0;
    }
    bool in = x->kind == SQL_EXPR_IN_QUERY && !x->u.in_query.negated;
    bool any_eq = x->kind == SQL_EXPR_QUANTIFIED && !x->u.quantified.all &&
                  x->u.quantified.op == SQL_OP_EQ;
    if (!in && !any_eq) return 0;
    const sql_query *q = in ? x->u.in_query.query : x->u.quantified.query;
    const sql_expr *arg = in ? x->u.in_query.arg : x->u.quantified.arg;
    FL_TRY(prepare(cx, q, x->loc, &r, &d, err));
    FL_TRY(one_column(cx, &r, x->loc, err));
    if (d.grouped_agg)
        return bind_error(cx->b, err, FLOE_EUNSUPPORTED, "0A000", x->loc,
                          "IN / ANY / ALL over a correlated aggregate without GROUP BY is not "
                          "supported");
    plan_expr *cond;
    FL_TRY(in_condition(cx, arg, "=", &r, x->loc, &cond, err));
    FL_TRY(make_join(cx, &r, &d, PLAN_JOIN_SEMI, cond, &j, err));
    *handled = true;
    return 0;
}
