/*
 * bind_lateral.c: LATERAL subqueries in FROM (`FROM t, LATERAL (SELECT ...
 * WHERE u.k = t.k) s`, CROSS JOIN LATERAL, JOIN LATERAL ... ON, LEFT JOIN
 * LATERAL ... ON true), planned by decorrelation as bind_subquery.c plans
 * correlated subqueries: the subquery is bound seeing the FROM items to
 * its left, then its correlated conjuncts are pulled up out of it
 * (bind_decor_pull) and become the join's conditions, so the subquery runs
 * once, never per row. In LATERAL mode the decorrelation also lifts
 * select-list expressions that use outer columns (`SELECT u.v * t.f`): they
 * are evaluated above the join, in a PROJECT that re-exports the left
 * side's columns (their scope entries are re-pointed at it).
 *
 * Shapes:
 *   - filters, projections, inner joins, GROUP BY and DISTINCT (equality
 *     correlations), window functions (the correlation keys join every
 *     PARTITION BY) and LIMIT/OFFSET (row_number() per correlation key,
 *     bind_subquery.c's pull_limit);
 *   - an aggregate without GROUP BY returns one row per outer row even when
 *     nothing matches (count = 0): it is grouped on the correlation keys and
 *     LEFT joined; the select list and HAVING are evaluated above the join
 *     with count references as coalesce(count, 0) (the count bug); for an
 *     INNER/CROSS join HAVING and ON then filter the joined rows, for a LEFT
 *     join they decide per row whether the values or NULLs are returned;
 *   - LATERAL (VALUES (t.a), (t.b)): a VALUES of row numbers joined to every
 *     left row, column c being CASE row WHEN 0 THEN t.a WHEN 1 THEN t.b END;
 *   - LEFT JOIN LATERAL: lifted values are NULL for left rows without a
 *     match (CASE on a marker column that the subquery always sets).
 * RIGHT and FULL joins may not reference their left side (PostgreSQL's
 * rule, 42P10). What cannot be decorrelated is refused with 0A000 naming
 * the construct, never run per row.
 */
#include <stdio.h>
#include <string.h>

#include "bind_internal.h"

static const fl_type BOOL_T = {FL_TYPE_BOOL, 0, 0, 0, 0};

typedef struct lateral {
    binder *b;
    const sql_table_ref *ref;    /* the join */
    const sql_table_ref *sub;    /* its right side, the LATERAL subquery */
    bind_scope *scope;
    plan_node *left;
    plan_node *right;            /* the decorrelated subquery */
    plan_join_type type;
    bind_decor d;
    const char **names;          /* the subquery's columns */
    fl_type *types;
    uint32_t count;
    plan_expr **values;          /* column i over the left and right outputs */
    plan_expr **conds;           /* join conditions (correlations, ON) */
    bool *conds_nd;              /* conds[i] joins as IS NOT DISTINCT FROM (pulled_nd) */
    uint32_t nconds;
    plan_expr **having;          /* one-row subqueries: HAVING and ON over the values */
    uint32_t nhaving;
    bool one_row;                /* an aggregate without GROUP BY: one row per left row */
    fl_error *err;
} lateral;

static int push_expr(binder *b, plan_expr ***arr, uint32_t *n, plan_expr *e, fl_error *err)
{
    if (!e) return bind_oom(err);
    if (bind_push(b->arena, arr, n, sizeof e, &e) < 0) return bind_oom(err);
    return 0;
}

static int push_cond(lateral *L, plan_expr *e, bool null_equal, fl_error *err)
{
    uint32_t n = L->nconds;
    if (bind_push(L->b->arena, &L->conds_nd, &L->nconds, sizeof null_equal, &null_equal) < 0)
        return bind_oom(err);
    L->nconds = n;
    return push_expr(L->b, &L->conds, &L->nconds, e, err);
}

static int push_conjuncts(binder *b, plan_expr ***arr, uint32_t *n, plan_expr *e, fl_error *err)
{
    if (e->kind == PLAN_EX_AND) {
        for (uint32_t i = 0; i < e->arg_count; i++)
            FL_TRY(push_conjuncts(b, arr, n, e->args[i], err));
        return 0;
    }
    return push_expr(b, arr, n, e, err);
}

/* e with every reference to from[k] re-pointed at {to_table, k} (a copy when
 * anything changes; NULL on OOM). */
static plan_expr *rebind(fl_arena *arena, plan_expr *e, const plan_binding *from, uint32_t n,
                         uint32_t to_table)
{
    if (e->kind == PLAN_EX_COLREF) {
        for (uint32_t k = 0; k < n; k++) {
            if (!plan_binding_eq(e->u.binding, from[k])) continue;
            plan_expr *c = fl_arena_memdup(arena, e, sizeof *e);
            if (c) c->u.binding = (plan_binding){to_table, k};
            return c;
        }
        return e;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = rebind(arena, e->args[i], from, n, to_table);
        if (!a || plan_expr_cow_arg(arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

/* count(...) over no rows is 0, not NULL: references to the grouped
 * aggregate's counts become coalesce(count, 0). */
static plan_expr *fix_counts(binder *b, const plan_node *agg, plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) {
        if (e->u.binding.table != agg->u.aggregate.agg_index) return e;
        const plan_expr *a = agg->u.aggregate.aggs[e->u.binding.column];
        if (!a->name || strncmp(a->name, "count", 5) != 0) return e;
        fl_value zero = {.type = e->type};
        plan_expr *c = plan_expr_new(b->arena, PLAN_EX_COALESCE, e->type, 2);
        if (!c || !(c->args[1] = plan_expr_const(b->arena, &zero))) return NULL;
        c->args[0] = e;
        return c;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = fix_counts(b, agg, e->args[i]);
        if (!a || plan_expr_cow_arg(b->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

static bool has_colrefs(const plan_expr *e)
{
    if (e->kind == PLAN_EX_COLREF) return true;
    for (uint32_t i = 0; i < e->arg_count; i++)
        if (has_colrefs(e->args[i])) return true;
    return false;
}

/* ---------------------------------------------------------------- VALUES */

static bool plain_values(const sql_query *q)
{
    return q->kind == SQL_QUERY_VALUES && !q->order_count && !q->limit && !q->offset &&
           !q->cte_count;
}

static plan_node *values_node(binder *b, plan_expr ***rows, uint32_t nrows, uint32_t ncols,
                              fl_type *types)
{
    plan_node *n = plan_node_new(b->arena, PLAN_VALUES, 0);
    if (!n) return NULL;
    n->table_index = bind_new_table_index(b);
    n->u.values.rows = rows;
    n->u.values.row_count = nrows;
    n->u.values.column_count = ncols;
    n->u.values.types = types;
    return n;
}

/* LATERAL (VALUES ...): cells may use the columns to the left. Correlated
 * cells become CASE over a VALUES of row numbers. */
static int bind_values(lateral *L, const sql_query *q, fl_error *err)
{
    binder *b = L->b;
    uint32_t nrows = q->u.values.row_count;
    uint32_t ncols = nrows ? q->u.values.row_sizes[0] : 0;
    plan_expr ***data = fl_arena_calloc(b->arena, sizeof *data * (nrows + 1));
    plan_expr **column = fl_arena_calloc(b->arena, sizeof *column * (nrows + 1));
    L->types = fl_arena_calloc(b->arena, sizeof *L->types * (ncols + 1));
    L->names = fl_arena_calloc(b->arena, sizeof *L->names * (ncols + 1));
    L->values = fl_arena_calloc(b->arena, sizeof *L->values * (ncols + 1));
    if (!data || !column || !L->types || !L->names || !L->values) return bind_oom(err);
    L->count = ncols;
    bind_ctx cx = {.b = b, .scope = L->scope, .clause = "VALUES"};
    bool correlated = false;
    for (uint32_t r = 0; r < nrows; r++) {
        if (q->u.values.row_sizes[r] != ncols)
            return bind_error(b, err, FLOE_EINVAL, "42601", q->u.values.rows[r][0]->loc,
                              "VALUES lists must all be the same length");
        if (!(data[r] = fl_arena_calloc(b->arena, sizeof *data[r] * (ncols + 1))))
            return bind_oom(err);
        for (uint32_t c = 0; c < ncols; c++) {
            FL_TRY(bind_expr(&cx, q->u.values.rows[r][c], &data[r][c], err));
            correlated |= has_colrefs(data[r][c]);
        }
    }
    for (uint32_t c = 0; c < ncols; c++) {
        for (uint32_t r = 0; r < nrows; r++) column[r] = data[r][c];
        FL_TRY(bind_unify(b, column, nrows, q->loc, &L->types[c], err));
        for (uint32_t r = 0; r < nrows; r++) data[r][c] = column[r];
        char buf[32];
        snprintf(buf, sizeof buf, "col%u", c);
        if (!(L->names[c] = fl_arena_strdup(b->arena, buf))) return bind_oom(err);
    }
    if (!correlated) {
        if (!(L->right = values_node(b, data, nrows, ncols, L->types))) return bind_oom(err);
        for (uint32_t c = 0; c < ncols; c++) {
            plan_binding at = {L->right->table_index, c};
            if (!(L->values[c] = plan_expr_colref(b->arena, at, L->types[c], L->names[c])))
                return bind_oom(err);
        }
        return 0;
    }
    /* one row number per VALUES row; column c = CASE WHEN row = 0 THEN cell0 ... END */
    fl_type int_t = fl_type_make(FL_TYPE_INT32);
    fl_type *id_types = fl_arena_alloc(b->arena, sizeof *id_types);
    plan_expr ***ids = fl_arena_calloc(b->arena, sizeof *ids * (nrows + 1));
    if (!id_types || !ids) return bind_oom(err);
    id_types[0] = int_t;
    for (uint32_t r = 0; r < nrows; r++) {
        fl_value v = {.type = int_t, .v.i64 = r};
        if (!(ids[r] = fl_arena_alloc(b->arena, sizeof *ids[r])) ||
            !(ids[r][0] = plan_expr_const(b->arena, &v)))
            return bind_oom(err);
    }
    if (!(L->right = values_node(b, ids, nrows, 1, id_types))) return bind_oom(err);
    plan_binding id = {L->right->table_index, 0};
    for (uint32_t c = 0; c < ncols; c++) {
        plan_expr *x = plan_expr_new(b->arena, PLAN_EX_CASE, L->types[c], 2 * nrows);
        if (!x) return bind_oom(err);
        for (uint32_t r = 0; r < nrows; r++) {
            plan_expr *args[2] = {plan_expr_colref(b->arena, id, int_t, "row"), ids[r][0]};
            if (!args[0]) return bind_oom(err);
            FL_TRY(bind_call(b, "=", args, 2, q->loc, &x->args[2 * r], err));
            x->args[2 * r + 1] = data[r][c];
        }
        L->values[c] = x;
    }
    return 0;
}

/* ---------------------------------------------------------------- subquery */

/* x = y evaluated as x IS NOT DISTINCT FROM y (a null-equal correlation
 * that is a condition, not a join key): x = y OR (x IS NULL AND y IS NULL). */
static plan_expr *null_equal_expr(binder *b, plan_expr *eq)
{
    plan_expr *or = plan_expr_new(b->arena, PLAN_EX_OR, BOOL_T, 2);
    plan_expr *and = plan_expr_new(b->arena, PLAN_EX_AND, BOOL_T, 2);
    plan_expr *ln = plan_expr_new(b->arena, PLAN_EX_IS_NULL, BOOL_T, 1);
    plan_expr *rn = plan_expr_new(b->arena, PLAN_EX_IS_NULL, BOOL_T, 1);
    if (!or || !and || !ln || !rn) return NULL;
    ln->args[0] = eq->args[0];
    rn->args[0] = eq->args[1];
    and->args[0] = ln;
    and->args[1] = rn;
    or->args[0] = eq;
    or->args[1] = and;
    return or;
}

/* An aggregate without GROUP BY that gained correlation keys: the nodes from
 * the root down to it (PROJECTs, HAVING FILTERs) are evaluated above the
 * join instead: PROJECT expressions become lifted values, FILTER conjuncts
 * one-row conditions; an ORDER BY of the one row is dropped. */
static int peel(lateral *L, plan_node *n, fl_error *err)
{
    binder *b = L->b;
    bind_decor *d = &L->d;
    if (n == d->grouped_agg) return 0;
    if (n->kind == PLAN_PROJECT) {
        FL_TRY(peel(L, n->children[0], err));
        for (uint32_t i = 0; i < n->u.project.count; i++) {
            plan_binding at = {n->table_index, i};
            plan_expr *ref = plan_expr_colref(b->arena, at, n->u.project.exprs[i]->type, NULL);
            if (!ref) return bind_oom(err);
            plan_expr *v = bind_decor_subst(d, ref);
            if (!v) return bind_oom(err);
            if (v != ref) continue;   /* lifted already */
            if (!(v = bind_decor_subst(d, n->u.project.exprs[i]))) return bind_oom(err);
            FL_TRY(bind_decor_add_lifted(d, at, v, err));
        }
        return 0;
    }
    if (n->kind == PLAN_ORDER) return peel(L, n->children[0], err);   /* of one row */
    if (n->kind == PLAN_FILTER) {
        FL_TRY(peel(L, n->children[0], err));
        for (uint32_t i = 0; i < n->u.filter.count; i++)
            FL_TRY(push_expr(b, &L->having, &L->nhaving,
                             bind_decor_subst(d, n->u.filter.exprs[i]), err));
        return 0;
    }
    return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", L->sub->loc,
                      "LATERAL subquery with a correlated aggregate below other clauses (LIMIT, "
                      "DISTINCT, joins, set operations) is not supported");
}

static int one_row(lateral *L, bind_result *r, fl_error *err)
{
    binder *b = L->b;
    bind_decor *d = &L->d;
    plan_node *agg = d->grouped_agg;
    FL_TRY(peel(L, r->root, err));
    for (uint32_t i = 0; i < L->count; i++) {
        plan_expr *ref = plan_expr_colref(b->arena, r->outs[i], r->types[i], r->names[i]);
        plan_expr *v = ref ? bind_decor_subst(d, ref) : NULL;
        if (!v || !(L->values[i] = fix_counts(b, agg, v))) return bind_oom(err);
    }
    for (uint32_t i = 0; i < L->nhaving; i++)
        if (!(L->having[i] = fix_counts(b, agg, L->having[i]))) return bind_oom(err);
    for (uint32_t i = 0; i < d->npulled; i++) {
        plan_expr *p = bind_decor_subst(d, d->pulled[i]);
        if (!p) return bind_oom(err);
        if (i < d->agg_pulled_end) {
            FL_TRY(push_cond(L, p, d->pulled_nd[i], err));
        } else {
            plan_expr *x = fix_counts(b, agg, p);
            if (x && d->pulled_nd[i]) x = null_equal_expr(b, x);
            FL_TRY(push_expr(b, &L->having, &L->nhaving, x, err));
        }
    }
    L->right = agg;
    L->one_row = true;
    return 0;
}

static int bind_subquery(lateral *L, fl_error *err)
{
    binder *b = L->b;
    const sql_query *q = L->sub->u.subquery.query;
    if (plain_values(q)) {
        FL_TRY(bind_values(L, q, err));
        return bind_decor_start(&L->d, b, L->right, L->sub->loc, true, err);
    }
    bind_result r;
    FL_TRY(bind_query(b, q, L->scope, &r, err));
    L->names = r.names;
    L->types = r.types;
    L->count = r.count;
    if (!(L->values = fl_arena_calloc(b->arena, sizeof *L->values * (r.count + 1))))
        return bind_oom(err);
    bind_decor *d = &L->d;
    FL_TRY(bind_decor_start(d, b, r.root, L->sub->loc, true, err));
    d->outer_plan = L->left;
    FL_TRY(bind_decor_pull(d, &r.root, err));
    if (d->grouped_agg) {
        FL_TRY(one_row(L, &r, err));
    } else {
        L->right = r.root;
        for (uint32_t i = 0; i < r.count; i++) {
            plan_expr *ref = plan_expr_colref(b->arena, r.outs[i], r.types[i], r.names[i]);
            if (!ref || !(L->values[i] = bind_decor_subst(d, ref))) return bind_oom(err);
        }
        for (uint32_t i = 0; i < d->npulled; i++)
            FL_TRY(push_cond(L, d->pulled[i], d->pulled_nd[i], err));
    }
    while (L->right->kind == PLAN_ORDER) L->right = L->right->children[0];   /* rows of a join */
    const char *where = "here";
    if (bind_decor_plan_has_outer(d, L->right, &where))
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", L->sub->loc,
                          "LATERAL subquery with a correlated reference %s is not supported",
                          where);
    return 0;
}

/* ---------------------------------------------------------------- the join */

static bool correlated(const lateral *L)
{
    if (L->nconds || L->nhaving || L->one_row) return true;
    for (uint32_t i = 0; i < L->count; i++)
        if (bind_decor_has_outer(&L->d, L->values[i])) return true;
    return false;
}

/* ON: bound over the scope with the subquery's columns as placeholders
 * {vt, i}, which then stand for the values. */
static int bind_on(lateral *L, uint32_t vt, fl_error *err)
{
    binder *b = L->b;
    const sql_expr *on = L->ref->u.join.on;
    for (uint32_t i = 0; i < L->count; i++)
        FL_TRY(bind_decor_add_lifted(&L->d, (plan_binding){vt, i}, L->values[i], err));
    if (!on) return 0;
    if (bind_ast_has_subquery(on))
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", on->loc,
                          "subqueries in ON conditions are not supported yet");
    bind_ctx cx = {.b = b, .scope = L->scope, .clause = "JOIN/ON"};
    plan_expr *x;
    FL_TRY(bind_condition(&cx, on, &x, err));
    if (!(x = bind_decor_subst(&L->d, x))) return bind_oom(err);
    if (x->kind == PLAN_EX_CONST && !x->u.value.is_null && x->type.id == FL_TYPE_BOOL &&
        x->u.value.v.b)
        return 0;   /* ON true */
    if (L->one_row) return push_conjuncts(b, &L->having, &L->nhaving, x, err);
    plan_expr **on_conds = NULL;
    uint32_t n = 0;
    FL_TRY(push_conjuncts(b, &on_conds, &n, x, err));
    for (uint32_t i = 0; i < n; i++) FL_TRY(push_cond(L, on_conds[i], false, err));
    return 0;
}

/* Everything evaluated at the join may use its two inputs and enclosing
 * queries (their own decorrelation pulls those references up), but not FROM
 * items of this level that are not on the join's left side. */
typedef struct refs_ctx {
    const lateral *L;
    const plan_binding *lb;
    uint32_t ln;
    bool bad;
} refs_ctx;

static void refs_visit(void *ctx, const plan_expr *ref)
{
    refs_ctx *c = ctx;
    for (uint32_t k = 0; k < c->ln; k++)
        if (plan_binding_eq(ref->u.binding, c->lb[k])) return;
    const bind_scope *scope = c->L->scope;
    for (uint32_t e = 0; e + 1 < scope->count; e++) {   /* the last entry is the subquery */
        const bind_entry *en = scope->entries[e];
        for (uint32_t j = 0; j < en->col_count; j++)
            if (plan_binding_eq(ref->u.binding, en->cols[j].binding)) c->bad = true;
    }
}

static int check_refs(lateral *L, const plan_binding *lb, uint32_t ln, fl_error *err)
{
    refs_ctx c = {L, lb, ln, false};
    for (uint32_t i = 0; i < L->count; i++) plan_expr_visit_colrefs(L->values[i], refs_visit, &c);
    for (uint32_t i = 0; i < L->nconds; i++) plan_expr_visit_colrefs(L->conds[i], refs_visit, &c);
    for (uint32_t i = 0; i < L->nhaving; i++) plan_expr_visit_colrefs(L->having[i], refs_visit, &c);
    if (!c.bad) return 0;
    return bind_error(L->b, err, FLOE_EUNSUPPORTED, "0A000", L->sub->loc,
                      "LATERAL subquery may only reference FROM items on the left side of its "
                      "join");
}

static bool is_right_column(const plan_expr *v, const plan_binding *rb, uint32_t rn)
{
    if (v->kind != PLAN_EX_COLREF) return false;
    for (uint32_t k = 0; k < rn; k++)
        if (plan_binding_eq(v->u.binding, rb[k])) return true;
    return false;
}

/* Values that are not plain columns of the subquery become CASE WHEN marker
 * THEN value END (plain columns are NULL for unmatched rows already). */
static int wrap_values(lateral *L, plan_binding at)
{
    binder *b = L->b;
    plan_binding *rb;
    uint32_t rn;
    FL_TRY(plan_node_outputs(L->right, b->arena, &rb, NULL, &rn, L->err));
    for (uint32_t i = 0; i < L->count; i++) {
        plan_expr *v = L->values[i];
        if (is_right_column(v, rb, rn)) continue;
        plan_expr *marker = plan_expr_colref(b->arena, at, BOOL_T, "marker");
        plan_expr *c = plan_expr_new(b->arena, PLAN_EX_CASE, v->type, 2);
        if (!marker || !c) return bind_oom(L->err);
        c->args[0] = marker;
        c->args[1] = v;
        L->values[i] = c;
    }
    return 0;
}

/* Left rows without a match must see NULL, not a lifted value computed from
 * their own columns: a TRUE marker column is added to the right side and
 * values become CASE WHEN marker THEN value END. */
static int null_unmatched(lateral *L, fl_error *err)
{
    binder *b = L->b;
    plan_binding *rb;
    fl_type *rt;
    uint32_t rn;
    fl_value t = {.type = BOOL_T, .v.b = true};
    plan_expr *truth = plan_expr_const(b->arena, &t);
    if (!truth) return bind_oom(err);
    if (L->right->kind == PLAN_PROJECT) {   /* the marker is one more column of it */
        plan_node *p = L->right;
        plan_expr **exprs = fl_arena_alloc(b->arena, sizeof *exprs * (p->u.project.count + 1));
        if (!exprs) return bind_oom(err);
        memcpy(exprs, p->u.project.exprs, sizeof *exprs * p->u.project.count);
        exprs[p->u.project.count] = truth;
        p->u.project.exprs = exprs;
        return wrap_values(L, (plan_binding){p->table_index, p->u.project.count++});
    }
    FL_TRY(plan_node_outputs(L->right, b->arena, &rb, &rt, &rn, err));
    plan_node *p = plan_node_new(b->arena, PLAN_PROJECT, 1);
    plan_expr **exprs = fl_arena_alloc(b->arena, sizeof *exprs * (rn + 1));
    if (!p || !exprs) return bind_oom(err);
    p->children[0] = L->right;
    p->table_index = bind_new_table_index(b);
    for (uint32_t k = 0; k < rn; k++)
        if (!(exprs[k] = plan_expr_colref(b->arena, rb[k], rt[k], NULL))) return bind_oom(err);
    exprs[rn] = truth;
    p->u.project.exprs = exprs;
    p->u.project.count = rn + 1;
    L->right = p;
    for (uint32_t i = 0; i < L->nconds; i++)
        if (!(L->conds[i] = rebind(b->arena, L->conds[i], rb, rn, p->table_index)))
            return bind_oom(err);
    for (uint32_t i = 0; i < L->count; i++)
        if (!(L->values[i] = rebind(b->arena, L->values[i], rb, rn, p->table_index)))
            return bind_oom(err);
    return wrap_values(L, (plan_binding){p->table_index, rn});
}


/* The name of a left column (for EXPLAIN), from the scope. */
static const char *column_name(const lateral *L, plan_binding at)
{
    for (uint32_t e = 0; e < L->scope->count; e++) {
        const bind_entry *en = L->scope->entries[e];
        for (uint32_t j = 0; j < en->col_count; j++)
            if (plan_binding_eq(en->cols[j].binding, at)) return en->cols[j].name;
    }
    return NULL;
}

/* The join's output: the left columns, then the subquery's values. When the
 * values are plain columns of the subquery the join is the output; else a
 * PROJECT computes them and the left items' scope entries are re-pointed at
 * its pass-through columns. */
static int finish(lateral *L, plan_node *root, bind_entry *entry, const plan_binding *lb,
                  const fl_type *lt, uint32_t ln, plan_node **out, fl_error *err)
{
    binder *b = L->b;
    plan_binding *rb;
    uint32_t rn;
    FL_TRY(plan_node_outputs(L->right, b->arena, &rb, NULL, &rn, err));
    bool plain = true;
    for (uint32_t i = 0; i < L->count && plain; i++) plain = is_right_column(L->values[i], rb, rn);
    if (plain) {
        for (uint32_t i = 0; i < L->count; i++) entry->cols[i].binding = L->values[i]->u.binding;
        *out = root;
        return 0;
    }
    plan_node *p = plan_node_new(b->arena, PLAN_PROJECT, 1);
    plan_expr **exprs = fl_arena_alloc(b->arena, sizeof *exprs * (ln + L->count + 1));
    if (!p || !exprs) return bind_oom(err);
    p->children[0] = root;
    p->table_index = bind_new_table_index(b);
    for (uint32_t k = 0; k < ln; k++)
        if (!(exprs[k] = plan_expr_colref(b->arena, lb[k], lt[k], column_name(L, lb[k]))))
            return bind_oom(err);
    for (uint32_t i = 0; i < L->count; i++) exprs[ln + i] = L->values[i];
    p->u.project.exprs = exprs;
    p->u.project.count = ln + L->count;
    for (uint32_t e = 0; e < L->scope->count; e++) {
        bind_entry *en = L->scope->entries[e];
        if (en == entry) continue;
        for (uint32_t j = 0; j < en->col_count; j++) {
            bind_column *c = &en->cols[j];
            for (uint32_t k = 0; k < ln; k++)
                if (plan_binding_eq(c->binding, lb[k]))
                    c->binding = (plan_binding){p->table_index, k};
            if (c->using_expr &&
                !(c->using_expr = rebind(b->arena, c->using_expr, lb, ln, p->table_index)))
                return bind_oom(err);
        }
    }
    for (uint32_t i = 0; i < L->count; i++)
        entry->cols[i].binding = (plan_binding){p->table_index, ln + i};
    *out = p;
    return 0;
}

static plan_expr *case_when(binder *b, plan_expr *cond, plan_expr *v)
{
    if (!cond) return NULL;
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_CASE, v->type, 2);
    if (!c) return NULL;
    c->args[0] = cond;
    c->args[1] = v;
    return c;
}

int bind_lateral_join(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node *left,
                      plan_node **out, fl_error *err)
{
    lateral L = {.b = b, .ref = ref, .sub = ref->u.join.right, .scope = scope, .left = left,
                 .err = err};
    static const plan_join_type types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                           PLAN_JOIN_FULL, PLAN_JOIN_INNER};
    L.type = types[ref->u.join.kind];
    if (ref->u.join.natural || ref->u.join.using_count)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", ref->loc,
                          "USING and NATURAL joins with a LATERAL subquery are not supported; "
                          "write the condition with ON");
    FL_TRY(bind_subquery(&L, err));
    if ((L.type == PLAN_JOIN_RIGHT || L.type == PLAN_JOIN_FULL) && correlated(&L))
        return bind_error(b, err, FLOE_EINVAL, "42P10", L.sub->loc,
                          "a LATERAL subquery may reference its left side only in an INNER or "
                          "LEFT join, not a %s join",
                          L.type == PLAN_JOIN_RIGHT ? "RIGHT" : "FULL");
    uint32_t vt = bind_new_table_index(b);
    plan_binding *outs = fl_arena_alloc(b->arena, sizeof *outs * (L.count + 1));
    if (!outs) return bind_oom(err);
    for (uint32_t i = 0; i < L.count; i++) outs[i] = (plan_binding){vt, i};
    FL_TRY(bind_from_add_entry(b, scope, L.sub, NULL, L.names, outs, L.types, L.count, err));
    bind_entry *entry = scope->entries[scope->count - 1];
    FL_TRY(bind_on(&L, vt, err));
    plan_binding *lb;
    fl_type *lt;
    uint32_t ln;
    FL_TRY(plan_node_outputs(left, b->arena, &lb, &lt, &ln, err));
    FL_TRY(check_refs(&L, lb, ln, err));
    if (!L.one_row && L.type == PLAN_JOIN_LEFT) {
        plan_binding *rb;
        uint32_t rn;
        FL_TRY(plan_node_outputs(L.right, b->arena, &rb, NULL, &rn, err));
        bool plain = true;
        for (uint32_t i = 0; i < L.count && plain; i++)
            plain = is_right_column(L.values[i], rb, rn);
        if (!plain) FL_TRY(null_unmatched(&L, err));
    }
    plan_node *j = plan_node_new(b->arena, PLAN_JOIN, 2);
    if (!j) return bind_oom(err);
    j->children[0] = left;
    j->children[1] = L.right;
    j->u.join.type = L.one_row ? PLAN_JOIN_LEFT : L.type;
    for (uint32_t i = 0; i < L.nconds; i++)
        FL_TRY(bind_decor_add_cond(j, L.conds[i], L.conds_nd[i], b->arena, err));
    plan_node *root = j;
    if (L.one_row && L.nhaving) {
        plan_expr *cond = bind_and(b, L.having, L.nhaving);
        if (!cond) return bind_oom(err);
        if (L.type == PLAN_JOIN_LEFT) {
            /* the one row, or NULLs when HAVING or ON rejects it */
            for (uint32_t i = 0; i < L.count; i++)
                if (!(L.values[i] = case_when(b, plan_expr_copy(b->arena, cond), L.values[i])))
                    return bind_oom(err);
        } else {
            plan_node *f = plan_node_new(b->arena, PLAN_FILTER, 1);
            if (!f) return bind_oom(err);
            f->children[0] = j;
            f->u.filter.exprs = L.having;
            f->u.filter.count = L.nhaving;
            root = f;
        }
    }
    return finish(&L, root, entry, lb, lt, ln, out, err);
}
