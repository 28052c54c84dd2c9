/*
 * bind_query.c: query expressions: WITH (each CTE bound once; referenced
 * CTEs wrap the query in PLAN_CTE_MATERIALIZE and references read them
 * with PLAN_CTE_SCAN; opt_cte.c inlines the ones read once), SELECT (FROM,
 * WHERE, GROUP BY with ROLLUP/CUBE/GROUPING SETS, HAVING, windows, QUALIFY,
 * the select list with * expansion, DISTINCT, ORDER BY, LIMIT/OFFSET), set
 * operations with common column types, and VALUES.
 *
 * A SELECT becomes, bottom up:
 *   FROM -> [subquery joins] -> FILTER(WHERE) -> [AGGREGATE -> FILTER(HAVING)]
 *   -> [WINDOW] -> [subquery joins of the select list] -> [FILTER(QUALIFY)]
 *   -> PROJECT(select list + hidden ORDER BY columns) -> [DISTINCT]
 *   -> [ORDER] -> [LIMIT] -> [PROJECT dropping the hidden columns]
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bind_internal.h"

/* ---------------------------------------------------------------- scopes */

bind_scope *bind_scope_new(binder *b, bind_scope *parent)
{
    bind_scope *s = fl_arena_calloc(b->arena, sizeof *s);
    if (s) s->parent = parent;
    return s;
}

int bind_scope_add(binder *b, bind_scope *scope, bind_entry *entry, fl_error *err)
{
    if (bind_push(b->arena, &scope->entries, &scope->count, sizeof entry, &entry) < 0)
        return bind_oom(err);
    return 0;
}

bind_entry *bind_entry_from(binder *b, const char *name, const char **names,
                            const plan_binding *outs, const fl_type *types, uint32_t count)
{
    bind_entry *e = fl_arena_calloc(b->arena, sizeof *e);
    if (!e) return NULL;
    e->name = name;
    e->cols = fl_arena_calloc(b->arena, sizeof *e->cols * (count + 1));
    if (!e->cols) return NULL;
    for (uint32_t i = 0; i < count; i++) {
        e->cols[i].name = names[i];
        e->cols[i].type = types[i];
        e->cols[i].binding = outs[i];
    }
    e->col_count = count;
    return e;
}

/* ---------------------------------------------------------------- helpers */

static plan_node *wrap1(binder *b, plan_node_kind kind, plan_node *child)
{
    plan_node *n = plan_node_new(b->arena, kind, 1);
    if (n) n->children[0] = child;
    return n;
}

static int add_filter(binder *b, plan_node **root, plan_expr **exprs, uint32_t n, fl_error *err)
{
    if (!n) return 0;
    plan_node *f = wrap1(b, PLAN_FILTER, *root);
    if (!f) return bind_oom(err);
    f->u.filter.exprs = exprs;
    f->u.filter.count = n;
    *root = f;
    return 0;
}

static int split_conjuncts(binder *b, const sql_expr *e, const sql_expr ***out, uint32_t *n)
{
    if (e->kind == SQL_EXPR_BINARY && e->u.binary.op == SQL_OP_AND) {
        FL_TRY(split_conjuncts(b, e->u.binary.left, out, n));
        return split_conjuncts(b, e->u.binary.right, out, n);
    }
    return bind_push(b->arena, out, n, sizeof e, &e);
}

/* WHERE: top-level [NOT] EXISTS / IN (query) conjuncts become SEMI/ANTI joins,
 * the rest one FILTER on top. */
static int bind_where(binder *b, const sql_expr *where, bind_scope *scope, plan_node **root,
                      fl_error *err)
{
    const sql_expr **conj = NULL;
    uint32_t n = 0;
    if (split_conjuncts(b, where, &conj, &n) < 0) return bind_oom(err);
    bind_ctx cx = {.b = b, .scope = scope, .root = root, .clause = "WHERE"};
    plan_expr **filters = NULL;
    uint32_t nf = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool handled;
        FL_TRY(bind_subquery_conjunct(&cx, conj[i], &handled, err));
        if (handled) continue;
        plan_expr *x;
        FL_TRY(bind_condition(&cx, conj[i], &x, err));
        if (bind_push(b->arena, &filters, &nf, sizeof x, &x) < 0) return bind_oom(err);
    }
    return add_filter(b, root, filters, nf, err);
}

/* ---------------------------------------------------------------- select list */

typedef struct sel_item {
    const sql_expr *ast;          /* NULL: a column from * */
    const bind_column *col;
    bool qualified;               /* from t.* (USING columns as the table's own) */
    const char *name;
    uint32_t loc;
} sel_item;

static int expand_star(binder *b, const sql_expr *e, bind_scope *scope, sel_item **items,
                       uint32_t *n, fl_error *err)
{
    const char *qual = e->u.column.count ? e->u.column.parts[e->u.column.count - 1].name : NULL;
    bool any_entry = false;
    for (uint32_t i = 0; i < scope->count; i++) {
        bind_entry *en = scope->entries[i];
        if (qual && !(en->name && strcasecmp(en->name, qual) == 0)) continue;
        any_entry = true;
        for (uint32_t j = 0; j < en->col_count; j++) {
            const bind_column *c = &en->cols[j];
            if (!qual && c->hidden) continue;
            sel_item it = {NULL, c, qual != NULL, c->name, e->loc};
            if (bind_push(b->arena, items, n, sizeof it, &it) < 0) return bind_oom(err);
        }
    }
    if (qual && !any_entry)
        return bind_error(b, err, FLOE_ENOTFOUND, "42P01", e->loc,
                          "missing FROM-clause entry for table \"%s\"", qual);
    if (!qual && !scope->count)
        return bind_error(b, err, FLOE_ESYNTAX, "42601", e->loc,
                          "SELECT * with no tables specified is not valid");
    return 0;
}

static int expand_items(binder *b, const sql_query *q, bind_scope *scope, sel_item **out,
                        uint32_t *out_n, fl_error *err)
{
    sel_item *items = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < q->u.select.item_count; i++) {
        const sql_select_item *si = &q->u.select.items[i];
        if (si->expr->kind == SQL_EXPR_STAR) {
            FL_TRY(expand_star(b, si->expr, scope, &items, &n, err));
            continue;
        }
        sel_item it = {si->expr, NULL, false, si->alias, si->expr->loc};
        if (!it.name && si->expr->kind == SQL_EXPR_COLUMN)
            it.name = si->expr->u.column.parts[si->expr->u.column.count - 1].name;
        if (!it.name) {
            char buf[32];
            snprintf(buf, sizeof buf, "_col%u", n);
            it.name = fl_arena_strdup(b->arena, buf);
            if (!it.name) return bind_oom(err);
        }
        if (bind_push(b->arena, &items, &n, sizeof it, &it) < 0) return bind_oom(err);
    }
    *out = items;
    *out_n = n;
    return 0;
}

/* A column from *: a plain reference, or its group column when aggregating. */
static int bind_star_col(bind_ctx *cx, const sel_item *it, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    const bind_column *c = it->col;
    plan_expr *x = (!it->qualified && c->using_expr) ? plan_expr_copy(b->arena, c->using_expr)
                                                     : plan_expr_colref(b->arena, c->binding,
                                                                        c->type, c->name);
    if (!x) return bind_oom(err);
    if (!cx->agg) {
        *out = x;
        return 0;
    }
    for (uint32_t g = 0; g < cx->agg->u.aggregate.group_count; g++)
        if (plan_expr_equal(cx->agg->u.aggregate.groups[g], x)) {
            *out = plan_expr_colref(b->arena,
                                    (plan_binding){cx->agg->u.aggregate.group_index, g}, x->type,
                                    c->name);
            return *out ? 0 : bind_oom(err);
        }
    return bind_error(b, err, FLOE_EINVAL, "42803", it->loc,
                      "column \"%s\" must appear in the GROUP BY clause or be used in an "
                      "aggregate function",
                      c->name);
}

/* ---------------------------------------------------------------- GROUP BY */

static bool is_int_literal(const sql_expr *e)
{
    return e->kind == SQL_EXPR_LITERAL && e->u.lit.kind == SQL_LIT_INTEGER;
}

static int group_expr(binder *b, const sql_expr *e, bind_scope *scope, const sel_item *items,
                      uint32_t n_items, plan_node *agg, uint32_t *index, fl_error *err)
{
    bind_ctx pre = {.b = b, .scope = scope, .clause = "GROUP BY"};
    plan_expr *x = NULL;
    if (is_int_literal(e)) {
        int64_t k;
        FL_TRY(bind_const_int(&pre, e, "GROUP BY position", &k, err));
        if (k < 1 || k > n_items)
            return bind_error(b, err, FLOE_EINVAL, "42P10", e->loc,
                              "GROUP BY position %lld is not in select list", (long long)k);
        const sel_item *it = &items[k - 1];
        if (it->ast) {
            if (bind_ast_has_agg(it->ast))
                return bind_error(b, err, FLOE_EINVAL, "42803", e->loc,
                                  "GROUP BY position %lld refers to an aggregate", (long long)k);
            FL_TRY(bind_expr(&pre, it->ast, &x, err));
        } else {
            bind_ctx c = pre;
            FL_TRY(bind_star_col(&c, it, &x, err));
        }
    } else {
        int rc = bind_expr(&pre, e, &x, err);
        if (rc == FLOE_ENOTFOUND && e->kind == SQL_EXPR_COLUMN && e->u.column.count == 1) {
            /* a select-list alias (DuckDB, Spark) */
            const char *name = e->u.column.parts[0].name;
            for (uint32_t i = 0; i < n_items && rc < 0; i++)
                if (items[i].ast && items[i].name && strcasecmp(items[i].name, name) == 0 &&
                    !bind_ast_has_agg(items[i].ast))
                    rc = bind_expr(&pre, items[i].ast, &x, err);
        }
        if (rc < 0) return rc;
    }
    plan_expr ***groups = &agg->u.aggregate.groups;
    for (uint32_t g = 0; g < agg->u.aggregate.group_count; g++)
        if (plan_expr_equal((*groups)[g], x)) {
            *index = g;
            return 0;
        }
    if (bind_push(b->arena, groups, &agg->u.aggregate.group_count, sizeof x, &x) < 0)
        return bind_oom(err);
    *index = agg->u.aggregate.group_count - 1;
    return 0;
}

typedef struct mask_list {
    uint64_t *m;
    uint32_t n;
} mask_list;

static int mask_push(binder *b, mask_list *l, uint64_t m)
{
    return bind_push(b->arena, &l->m, &l->n, sizeof m, &m);
}

static int group_list_mask(binder *b, sql_expr **exprs, uint32_t n, bind_scope *scope,
                           const sel_item *items, uint32_t n_items, plan_node *agg,
                           uint64_t *mask, fl_error *err)
{
    *mask = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t g;
        FL_TRY(group_expr(b, exprs[i], scope, items, n_items, agg, &g, err));
        if (g >= 64)
            return bind_error(b, err, FLOE_ELIMIT, "54000", exprs[i]->loc,
                              "too many grouping expressions with grouping sets (64 at most)");
        *mask |= (uint64_t)1 << g;
    }
    return 0;
}

static int bind_group_by(binder *b, const sql_query *q, bind_scope *scope, const sel_item *items,
                         uint32_t n_items, plan_node *agg, fl_error *err)
{
    mask_list cur = {0};
    if (mask_push(b, &cur, 0) < 0) return bind_oom(err);
    bool any_sets = false;
    for (uint32_t i = 0; i < q->u.select.group_count; i++) {
        const sql_group_item *gi = &q->u.select.group[i];
        mask_list item = {0};
        if (gi->kind == SQL_GROUP_EXPR) {
            uint32_t g;
            FL_TRY(group_expr(b, gi->expr, scope, items, n_items, agg, &g, err));
            if (mask_push(b, &item, g < 64 ? (uint64_t)1 << g : 0) < 0) return bind_oom(err);
        } else {
            any_sets = true;
            uint64_t *el = fl_arena_calloc(b->arena, sizeof *el * (gi->set_count + 1));
            if (!el) return bind_oom(err);
            for (uint32_t s = 0; s < gi->set_count; s++)
                FL_TRY(group_list_mask(b, gi->sets[s], gi->set_sizes[s], scope, items, n_items,
                                       agg, &el[s], err));
            if (gi->kind == SQL_GROUP_SETS) {
                for (uint32_t s = 0; s < gi->set_count; s++)
                    if (mask_push(b, &item, el[s]) < 0) return bind_oom(err);
            } else if (gi->kind == SQL_GROUP_ROLLUP) {
                for (uint32_t k = gi->set_count + 1; k-- > 0;) {
                    uint64_t m = 0;
                    for (uint32_t s = 0; s < k; s++) m |= el[s];
                    if (mask_push(b, &item, m) < 0) return bind_oom(err);
                }
            } else {
                if (gi->set_count > 12)
                    return bind_error(b, err, FLOE_ELIMIT, "54000", q->loc,
                                      "CUBE of more than 12 elements");
                for (uint32_t bits = (1u << gi->set_count); bits-- > 0;) {
                    uint64_t m = 0;
                    for (uint32_t s = 0; s < gi->set_count; s++)
                        if (bits >> s & 1) m |= el[s];
                    if (mask_push(b, &item, m) < 0) return bind_oom(err);
                }
            }
        }
        mask_list next = {0};
        for (uint32_t x = 0; x < cur.n; x++)
            for (uint32_t y = 0; y < item.n; y++)
                if (mask_push(b, &next, cur.m[x] | item.m[y]) < 0) return bind_oom(err);
        cur = next;
    }
    if (!any_sets) return 0;
    if (agg->u.aggregate.group_count > 64)
        return bind_error(b, err, FLOE_ELIMIT, "54000", q->loc,
                          "too many grouping expressions with grouping sets (64 at most)");
    if (q->u.select.group_distinct) {
        mask_list d = {0};
        for (uint32_t x = 0; x < cur.n; x++) {
            bool dup = false;
            for (uint32_t y = 0; y < d.n && !dup; y++) dup = d.m[y] == cur.m[x];
            if (!dup && mask_push(b, &d, cur.m[x]) < 0) return bind_oom(err);
        }
        cur = d;
    }
    agg->u.aggregate.sets = cur.m;
    agg->u.aggregate.set_count = cur.n;
    return 0;
}

/* ---------------------------------------------------------------- ORDER BY, LIMIT */

static int bind_limit(binder *b, const sql_query *q, bind_scope *scope, plan_node **root,
                      fl_error *err)
{
    if (!q->limit && !q->offset) return 0;
    /* WITH TIES compares rows on the ORDER BY keys: the LIMIT sits directly
     * over the ORDER (placed just before) and shares its orders */
    if (q->with_ties && (*root)->kind != PLAN_ORDER)
        return bind_error(b, err, FLOE_EINVAL, "42601", q->limit->loc,
                          "FETCH FIRST WITH TIES clause requires ORDER BY");
    bind_ctx cx = {.b = b, .scope = scope};
    plan_node *l = wrap1(b, PLAN_LIMIT, *root);
    if (!l) return bind_oom(err);
    l->u.limit.limit = -1;
    if (q->with_ties) {
        l->u.limit.with_ties = true;
        l->u.limit.orders = (*root)->u.order.orders;
        l->u.limit.order_count = (*root)->u.order.count;
    }
    if (q->limit) FL_TRY(bind_const_int(&cx, q->limit, "LIMIT", &l->u.limit.limit, err));
    if (q->offset) FL_TRY(bind_const_int(&cx, q->offset, "OFFSET", &l->u.limit.offset, err));
    *root = l;
    return 0;
}

static int add_order(binder *b, plan_node **root, plan_order *orders, uint32_t n, fl_error *err)
{
    if (!n) return 0;
    plan_node *o = wrap1(b, PLAN_ORDER, *root);
    if (!o) return bind_oom(err);
    o->u.order.orders = orders;
    o->u.order.count = n;
    *root = o;
    return 0;
}

/* ORDER BY / LIMIT over the outputs of a set operation, VALUES or nested query:
 * items name output columns, ordinals, or expressions over them. */
static int order_limit_outputs(binder *b, const sql_query *q, bind_result *r, fl_error *err)
{
    if (q->order_count) {
        bind_scope *s = bind_scope_new(b, NULL);
        bind_entry *en = bind_entry_from(b, NULL, r->names, r->outs, r->types, r->count);
        if (!s || !en) return bind_oom(err);
        FL_TRY(bind_scope_add(b, s, en, err));
        bind_ctx cx = {.b = b, .scope = s, .clause = "ORDER BY"};
        plan_order *o = fl_arena_calloc(b->arena, sizeof *o * q->order_count);
        if (!o) return bind_oom(err);
        for (uint32_t i = 0; i < q->order_count; i++) {
            const sql_order_item *it = &q->order[i];
            if (is_int_literal(it->expr)) {
                int64_t k;
                FL_TRY(bind_const_int(&cx, it->expr, "ORDER BY position", &k, err));
                if (k < 1 || k > r->count)
                    return bind_error(b, err, FLOE_EINVAL, "42P10", it->expr->loc,
                                      "ORDER BY position %lld is not in select list",
                                      (long long)k);
                o[i].expr = plan_expr_colref(b->arena, r->outs[k - 1], r->types[k - 1],
                                             r->names[k - 1]);
                if (!o[i].expr) return bind_oom(err);
            } else {
                FL_TRY(bind_expr(&cx, it->expr, &o[i].expr, err));
            }
            o[i].desc = it->desc;
            o[i].nulls_first = it->nulls == 1;
        }
        FL_TRY(add_order(b, &r->root, o, q->order_count, err));
    }
    return bind_limit(b, q, NULL, &r->root, err);
}

/* ---------------------------------------------------------------- SELECT */

typedef struct select_state {
    binder *b;
    const sql_query *q;
    bind_scope *scope;
    plan_node *root;
    plan_node *agg, *win;
    sel_item *items;
    uint32_t n_items;
    plan_node *proj;
} select_state;

static bool any_item(const select_state *st, bool (*pred)(const sql_expr *))
{
    for (uint32_t i = 0; i < st->n_items; i++)
        if (st->items[i].ast && pred(st->items[i].ast)) return true;
    for (uint32_t i = 0; i < st->q->order_count; i++)
        if (pred(st->q->order[i].expr)) return true;
    return false;
}

static bind_ctx select_ctx(select_state *st, const char *clause)
{
    bind_ctx cx = {.b = st->b, .scope = st->scope, .root = &st->root, .agg = st->agg,
                   .win = st->win, .named_windows = st->q->u.select.windows,
                   .named_window_count = st->q->u.select.window_count, .clause = clause};
    return cx;
}

static int select_aggregate(select_state *st, fl_error *err)
{
    binder *b = st->b;
    const sql_query *q = st->q;
    bool aggregating = q->u.select.group_count || q->u.select.having ||
                       any_item(st, bind_ast_has_agg);
    if (!aggregating) return 0;
    plan_node *agg = wrap1(b, PLAN_AGGREGATE, st->root);
    if (!agg) return bind_oom(err);
    agg->u.aggregate.group_index = bind_new_table_index(b);
    agg->u.aggregate.agg_index = bind_new_table_index(b);
    agg->u.aggregate.grouping_index = bind_new_table_index(b);
    FL_TRY(bind_group_by(b, q, st->scope, st->items, st->n_items, agg, err));
    st->agg = agg;
    st->root = agg;
    if (q->u.select.having) {
        bind_ctx cx = select_ctx(st, "HAVING");
        plan_expr *h;
        FL_TRY(bind_condition(&cx, q->u.select.having, &h, err));
        plan_expr **hs = fl_arena_alloc(b->arena, sizeof *hs);
        if (!hs) return bind_oom(err);
        hs[0] = h;
        FL_TRY(add_filter(b, &st->root, hs, 1, err));
    }
    return 0;
}

static int select_list(select_state *st, fl_error *err)
{
    binder *b = st->b;
    const sql_query *q = st->q;
    if (any_item(st, bind_ast_has_window) ||
        (q->u.select.qualify && bind_ast_has_window(q->u.select.qualify))) {
        plan_node *w = wrap1(b, PLAN_WINDOW, st->root);
        if (!w) return bind_oom(err);
        w->table_index = bind_new_table_index(b);
        st->win = w;
        st->root = w;
    }
    plan_node *p = plan_node_new(b->arena, PLAN_PROJECT, 1);
    if (!p) return bind_oom(err);
    p->table_index = bind_new_table_index(b);
    bind_ctx cx = select_ctx(st, "SELECT");
    for (uint32_t i = 0; i < st->n_items; i++) {
        plan_expr *x;
        if (st->items[i].ast)
            FL_TRY(bind_expr(&cx, st->items[i].ast, &x, err));
        else
            FL_TRY(bind_star_col(&cx, &st->items[i], &x, err));
        if (bind_push(b->arena, &p->u.project.exprs, &p->u.project.count, sizeof x, &x) < 0)
            return bind_oom(err);
    }
    if (q->u.select.qualify) {
        if (!st->win)
            return bind_error(b, err, FLOE_EINVAL, "42601", q->u.select.qualify->loc,
                              "QUALIFY requires a window function");
        bind_ctx qc = select_ctx(st, "QUALIFY");
        plan_expr *f;
        FL_TRY(bind_condition(&qc, q->u.select.qualify, &f, err));
        plan_expr **fs = fl_arena_alloc(b->arena, sizeof *fs);
        if (!fs) return bind_oom(err);
        fs[0] = f;
        FL_TRY(add_filter(b, &st->root, fs, 1, err));
    }
    st->proj = p;
    return 0;
}

static int select_order(select_state *st, plan_order **out, fl_error *err)
{
    binder *b = st->b;
    const sql_query *q = st->q;
    plan_node *p = st->proj;
    plan_order *o = fl_arena_calloc(b->arena, sizeof *o * (q->order_count + 1));
    if (!o) return bind_oom(err);
    bind_ctx cx = select_ctx(st, "ORDER BY");
    for (uint32_t i = 0; i < q->order_count; i++) {
        const sql_order_item *it = &q->order[i];
        const sql_expr *e = it->expr;
        int32_t col = -1;
        if (is_int_literal(e)) {
            int64_t k;
            FL_TRY(bind_const_int(&cx, e, "ORDER BY position", &k, err));
            if (k < 1 || k > st->n_items)
                return bind_error(b, err, FLOE_EINVAL, "42P10", e->loc,
                                  "ORDER BY position %lld is not in select list", (long long)k);
            col = (int32_t)(k - 1);
        } else if (e->kind == SQL_EXPR_COLUMN && e->u.column.count == 1) {
            for (uint32_t j = 0; j < st->n_items && col < 0; j++)
                if (st->items[j].name && strcasecmp(st->items[j].name, e->u.column.parts[0].name) == 0)
                    col = (int32_t)j;
        }
        if (col < 0) {
            plan_expr *x;
            FL_TRY(bind_expr(&cx, e, &x, err));
            for (uint32_t j = 0; j < p->u.project.count && col < 0; j++)
                if (plan_expr_equal(p->u.project.exprs[j], x)) col = (int32_t)j;
            if (col < 0) {
                if (q->u.select.distinct)
                    return bind_error(b, err, FLOE_EINVAL, "42P10", e->loc,
                                      "for SELECT DISTINCT, ORDER BY expressions must appear in "
                                      "select list");
                if (bind_push(b->arena, &p->u.project.exprs, &p->u.project.count, sizeof x, &x) <
                    0)
                    return bind_oom(err);
                col = (int32_t)p->u.project.count - 1;
            }
        }
        plan_expr *pe = p->u.project.exprs[col];
        o[i].expr = plan_expr_colref(b->arena, (plan_binding){p->table_index, (uint32_t)col},
                                     pe->type, col < (int32_t)st->n_items ? st->items[col].name
                                                                          : pe->name);
        if (!o[i].expr) return bind_oom(err);
        o[i].desc = it->desc;
        o[i].nulls_first = it->nulls == 1;
    }
    *out = o;
    return 0;
}

static int bind_select(binder *b, const sql_query *q, bind_scope *parent, bind_result *out,
                       fl_error *err)
{
    select_state st = {.b = b, .q = q};
    if (!(st.scope = bind_scope_new(b, parent))) return bind_oom(err);
    if (q->u.select.from) {
        FL_TRY(bind_from(b, q->u.select.from, st.scope, &st.root, err));
    } else {
        if (!(st.root = plan_node_new(b->arena, PLAN_DUMMY_SCAN, 0))) return bind_oom(err);
        st.root->table_index = bind_new_table_index(b);
    }
    if (q->u.select.where) FL_TRY(bind_where(b, q->u.select.where, st.scope, &st.root, err));
    FL_TRY(expand_items(b, q, st.scope, &st.items, &st.n_items, err));
    FL_TRY(select_aggregate(&st, err));
    FL_TRY(select_list(&st, err));
    plan_order *orders = NULL;
    if (q->order_count) FL_TRY(select_order(&st, &orders, err));
    if (st.win && st.win->u.window.count == 0 && st.root == st.win) st.root = st.win->children[0];
    plan_node *p = st.proj;
    p->children[0] = st.root;
    plan_node *root = p;
    if (q->u.select.distinct && !(root = wrap1(b, PLAN_DISTINCT, root))) return bind_oom(err);
    FL_TRY(add_order(b, &root, orders, q->order_count, err));
    FL_TRY(bind_limit(b, q, st.scope, &root, err));
    if (p->u.project.count > st.n_items) {   /* drop hidden ORDER BY columns */
        plan_node *strip = wrap1(b, PLAN_PROJECT, root);
        if (!strip) return bind_oom(err);
        strip->table_index = bind_new_table_index(b);
        strip->u.project.exprs = fl_arena_alloc(b->arena, sizeof(plan_expr *) * st.n_items + 1);
        if (!strip->u.project.exprs) return bind_oom(err);
        for (uint32_t i = 0; i < st.n_items; i++) {
            plan_expr *x = plan_expr_colref(b->arena, (plan_binding){p->table_index, i},
                                            p->u.project.exprs[i]->type, st.items[i].name);
            if (!x) return bind_oom(err);
            strip->u.project.exprs[i] = x;
        }
        strip->u.project.count = st.n_items;
        root = strip;
    }
    out->root = root;
    out->names = fl_arena_alloc(b->arena, sizeof *out->names * (st.n_items + 1));
    if (!out->names) return bind_oom(err);
    for (uint32_t i = 0; i < st.n_items; i++) out->names[i] = st.items[i].name;
    FL_TRY(bind_result_fill(b, out, err));
    return 0;
}

/* ---------------------------------------------------------------- set operations, VALUES */

static int cast_outputs(binder *b, bind_result *r, const fl_type *types, fl_error *err)
{
    bool need = false;
    for (uint32_t i = 0; i < r->count; i++) need |= !fl_type_eq(r->types[i], types[i]);
    if (!need) return 0;
    plan_node *p = wrap1(b, PLAN_PROJECT, r->root);
    if (!p) return bind_oom(err);
    p->table_index = bind_new_table_index(b);
    p->u.project.exprs = fl_arena_alloc(b->arena, sizeof(plan_expr *) * (r->count + 1));
    if (!p->u.project.exprs) return bind_oom(err);
    for (uint32_t i = 0; i < r->count; i++) {
        plan_expr *x = plan_expr_colref(b->arena, r->outs[i], r->types[i], r->names[i]);
        if (!x) return bind_oom(err);
        FL_TRY(bind_cast(b, x, types[i], false, 0, &x, err));
        p->u.project.exprs[i] = x;
    }
    p->u.project.count = r->count;
    r->root = p;
    return bind_result_fill(b, r, err);
}

static int bind_setop(binder *b, const sql_query *q, bind_scope *parent, bind_result *out,
                      fl_error *err)
{
    bind_result l, r;
    FL_TRY(bind_query(b, q->u.setop.left, parent, &l, err));
    FL_TRY(bind_query(b, q->u.setop.right, parent, &r, err));
    static const char *const names[] = {"UNION", "INTERSECT", "EXCEPT"};
    const char *opname = names[q->u.setop.op];
    if (l.count != r.count)
        return bind_error(b, err, FLOE_EINVAL, "42601", q->u.setop.right->loc,
                          "each %s query must have the same number of columns", opname);
    fl_type *types = fl_arena_alloc(b->arena, sizeof *types * (l.count + 1));
    if (!types) return bind_oom(err);
    for (uint32_t i = 0; i < l.count; i++) {
        fl_type a = l.types[i], c = r.types[i];
        if (a.id == FL_TYPE_NULL)
            types[i] = c;
        else if (c.id == FL_TYPE_NULL || fl_type_eq(a, c))
            types[i] = a;
        else if (fn_common_type(a, c, &types[i], err) < 0) {
            char x[64], y[64];
            bind_type_name(x, sizeof x, a);
            bind_type_name(y, sizeof y, c);
            return bind_error(b, err, FLOE_ETYPE, "42804", q->u.setop.right->loc,
                              "%s types %s and %s cannot be matched (column %u)", opname, x, y,
                              i + 1);
        }
    }
    FL_TRY(cast_outputs(b, &l, types, err));
    FL_TRY(cast_outputs(b, &r, types, err));
    plan_node *n = plan_node_new(b->arena, PLAN_SETOP, 2);
    if (!n) return bind_oom(err);
    n->children[0] = l.root;
    n->children[1] = r.root;
    n->table_index = bind_new_table_index(b);
    static const plan_setop_kind kinds[3][2] = {{PLAN_UNION, PLAN_UNION_ALL},
                                                {PLAN_INTERSECT, PLAN_INTERSECT_ALL},
                                                {PLAN_EXCEPT, PLAN_EXCEPT_ALL}};
    n->u.setop.kind = kinds[q->u.setop.op][q->u.setop.all ? 1 : 0];
    n->u.setop.column_count = l.count;
    n->u.setop.types = types;
    out->root = n;
    out->names = l.names;
    return bind_result_fill(b, out, err);
}

static int bind_values(binder *b, const sql_query *q, bind_result *out, fl_error *err)
{
    uint32_t rows = q->u.values.row_count;
    uint32_t cols = rows ? q->u.values.row_sizes[0] : 0;
    plan_expr ***data = fl_arena_calloc(b->arena, sizeof *data * (rows + 1));
    plan_expr **column = fl_arena_calloc(b->arena, sizeof *column * (rows + 1));
    fl_type *types = fl_arena_calloc(b->arena, sizeof *types * (cols + 1));
    if (!data || !column || !types) return bind_oom(err);
    bind_ctx cx = {.b = b, .scope = bind_scope_new(b, NULL), .clause = "VALUES"};
    for (uint32_t r = 0; r < rows; r++) {
        if (q->u.values.row_sizes[r] != cols)
            return bind_error(b, err, FLOE_EINVAL, "42601", q->u.values.rows[r][0]->loc,
                              "VALUES lists must all be the same length");
        data[r] = fl_arena_calloc(b->arena, sizeof *data[r] * (cols + 1));
        if (!data[r]) return bind_oom(err);
        for (uint32_t c = 0; c < cols; c++)
            FL_TRY(bind_expr(&cx, q->u.values.rows[r][c], &data[r][c], err));
    }
    for (uint32_t c = 0; c < cols; c++) {
        for (uint32_t r = 0; r < rows; r++) column[r] = data[r][c];
        FL_TRY(bind_unify(b, column, rows, q->loc, &types[c], err));
        for (uint32_t r = 0; r < rows; r++) data[r][c] = column[r];
    }
    plan_node *n = plan_node_new(b->arena, PLAN_VALUES, 0);
    const char **names = fl_arena_alloc(b->arena, sizeof *names * (cols + 1));
    if (!n || !names) return bind_oom(err);
    n->table_index = bind_new_table_index(b);
    n->u.values.rows = data;
    n->u.values.row_count = rows;
    n->u.values.column_count = cols;
    n->u.values.types = types;
    for (uint32_t c = 0; c < cols; c++) {
        char buf[32];
        snprintf(buf, sizeof buf, "col%u", c);
        if (!(names[c] = fl_arena_strdup(b->arena, buf))) return bind_oom(err);
    }
    out->root = n;
    out->names = names;
    return bind_result_fill(b, out, err);
}

/* ---------------------------------------------------------------- WITH */

static int bind_ctes(binder *b, const sql_query *q, bind_scope *parent, bind_cte **first,
                     fl_error *err)
{
    *first = NULL;
    if (q->recursive)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", q->loc,
                          "WITH RECURSIVE is not supported yet");
    for (uint32_t i = 0; i < q->cte_count; i++) {
        const sql_cte *c = &q->ctes[i];
        bind_result r;
        FL_TRY(bind_query(b, c->query, parent, &r, err));
        if (c->column_count) {
            if (c->column_count > r.count)
                return bind_error(b, err, FLOE_EINVAL, "42P10", c->query->loc,
                                  "WITH query \"%s\" has %u columns available but %u columns "
                                  "specified",
                                  c->name.name, r.count, c->column_count);
            const char **names = fl_arena_alloc(b->arena, sizeof *names * (r.count + 1));
            if (!names) return bind_oom(err);
            for (uint32_t j = 0; j < r.count; j++)
                names[j] = j < c->column_count ? c->columns[j].name : r.names[j];
            r.names = names;
        }
        bind_cte *cte = fl_arena_calloc(b->arena, sizeof *cte);
        if (!cte) return bind_oom(err);
        cte->name = c->name.name;
        cte->plan = r.root;
        cte->names = r.names;
        cte->types = r.types;
        cte->outs = r.outs;
        cte->col_count = r.count;
        cte->cte_index = b->next_cte++;
        cte->next = b->ctes;
        b->ctes = cte;
        if (!*first) *first = cte;
    }
    return 0;
}

int bind_query(binder *b, const sql_query *q, bind_scope *parent, bind_result *out,
               fl_error *err)
{
    bind_cte *saved = b->ctes, *first = NULL;
    memset(out, 0, sizeof *out);
    if (q->cte_count) FL_TRY(bind_ctes(b, q, parent, &first, err));
    switch (q->kind) {
    case SQL_QUERY_SELECT:
        FL_TRY(bind_select(b, q, parent, out, err));
        break;
    case SQL_QUERY_SETOP:
        FL_TRY(bind_setop(b, q, parent, out, err));
        FL_TRY(order_limit_outputs(b, q, out, err));
        break;
    case SQL_QUERY_VALUES:
        FL_TRY(bind_values(b, q, out, err));
        FL_TRY(order_limit_outputs(b, q, out, err));
        break;
    case SQL_QUERY_NESTED:
        FL_TRY(bind_query(b, q->u.nested, parent, out, err));
        FL_TRY(order_limit_outputs(b, q, out, err));
        break;
    }
    /* referenced CTEs of this WITH wrap the query, the first outermost */
    for (bind_cte *c = b->ctes; c && c != saved; c = c->next) {
        if (!c->refs) continue;
        plan_node *m = plan_node_new(b->arena, PLAN_CTE_MATERIALIZE, 2);
        if (!m) return bind_oom(err);
        m->children[0] = c->plan;
        m->children[1] = out->root;
        m->u.cte.cte_index = c->cte_index;
        out->root = m;
    }
    (void)first;
    b->ctes = saved;
    return bind_result_fill(b, out, err);
}
