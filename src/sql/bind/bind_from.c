/*
 * bind_from.c: FROM items: catalog and external tables (through
 * bind_env.lookup_table, with time travel), CTE references, subqueries,
 * table functions (read_parquet, read_csv: constant arguments, named
 * arguments, columns={'a': 'integer'}) and joins of every kind: comma and
 * CROSS joins become inner joins without conditions (filter pushdown turns
 * WHERE equalities into their keys), ON conditions are split into join
 * conditions and a residual, USING and NATURAL merge the named columns as
 * Trino does (an unqualified name means the left column, the right one for
 * RIGHT joins, COALESCE of both for FULL joins). A LATERAL subquery on the
 * right of a join is bound and decorrelated by bind_lateral.c.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bind_internal.h"

int bind_from_add_entry(binder *b, bind_scope *scope, const sql_table_ref *ref,
                        const char *default_name, const char **names, const plan_binding *outs,
                        const fl_type *types, uint32_t count, fl_error *err)
{
    if (ref->column_alias_count > count)
        return bind_error(b, err, FLOE_EINVAL, "42P10", ref->loc,
                          "table \"%s\" has %u columns available but %u columns specified",
                          ref->alias ? ref->alias : default_name, count, ref->column_alias_count);
    const char **n = names;
    if (ref->column_alias_count) {
        n = fl_arena_alloc(b->arena, sizeof *n * (count + 1));
        if (!n) return bind_oom(err);
        for (uint32_t i = 0; i < count; i++)
            n[i] = i < ref->column_alias_count ? ref->column_aliases[i].name : names[i];
    }
    const char *name = ref->alias ? ref->alias : default_name;
    for (uint32_t i = 0; name && i < scope->count; i++)
        if (scope->entries[i]->name && strcasecmp(scope->entries[i]->name, name) == 0)
            return bind_error(b, err, FLOE_EINVAL, "42712", ref->loc,
                              "table name \"%s\" specified more than once", name);
    bind_entry *en = bind_entry_from(b, name, n, outs, types, count);
    if (!en) return bind_oom(err);
    return bind_scope_add(b, scope, en, err);
}

static bind_cte *find_cte(binder *b, const char *name)
{
    for (bind_cte *c = b->ctes; c; c = c->next)
        if (strcasecmp(c->name, name) == 0) return c;
    return NULL;
}

static int travel(binder *b, const sql_table_ref *ref, plan_table_source *src, fl_error *err)
{
    if (ref->u.table.travel == SQL_TRAVEL_NONE) return 0;
    bind_ctx cx = {.b = b, .scope = bind_scope_new(b, NULL), .clause = "time travel"};
    plan_expr *v;
    FL_TRY(bind_expr(&cx, ref->u.table.travel_value, &v, err));
    uint32_t loc = ref->u.table.travel_value->loc;
    if (v->kind != PLAN_EX_CONST || v->u.value.is_null)
        return bind_error(b, err, FLOE_EINVAL, "42601", loc,
                          "time travel needs a constant version or timestamp");
    if (ref->u.table.travel == SQL_TRAVEL_VERSION) {
        if (v->type.id == FL_TYPE_INT32 || v->type.id == FL_TYPE_INT64) {
            src->snapshot_id = v->u.value.v.i64;
            return 0;
        }
        if (v->type.id == FL_TYPE_STRING) {
            src->ref = fl_arena_strndup(b->arena, v->u.value.v.s.ptr, v->u.value.v.s.len);
            return src->ref ? 0 : bind_oom(err);
        }
        return bind_error(b, err, FLOE_ETYPE, "42804", loc,
                          "VERSION AS OF needs a snapshot id or a branch or tag name");
    }
    FL_TRY(bind_cast(b, v, fl_type_make(FL_TYPE_TIMESTAMP), false, loc, &v, err));
    int64_t us = v->u.value.v.i64;
    src->as_of_ms = us / 1000;
    if (src->as_of_ms <= 0)
        return bind_error(b, err, FLOE_EINVAL, "22008", loc, "time travel timestamp is too early");
    return 0;
}

static int bind_table(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node **out,
                      fl_error *err)
{
    const sql_name *n = &ref->u.table.name;
    const char *name = n->parts[n->count - 1].name;
    bind_cte *cte = n->count == 1 ? find_cte(b, name) : NULL;
    if (cte && ref->u.table.travel == SQL_TRAVEL_NONE) {
        plan_node *s = plan_node_new(b->arena, PLAN_CTE_SCAN, 0);
        plan_binding *outs = fl_arena_alloc(b->arena, sizeof *outs * (cte->col_count + 1));
        if (!s || !outs) return bind_oom(err);
        s->table_index = bind_new_table_index(b);
        s->u.cte.cte_index = cte->cte_index;
        s->u.cte.column_count = cte->col_count;
        s->u.cte.types = cte->types;
        for (uint32_t i = 0; i < cte->col_count; i++) outs[i] = (plan_binding){s->table_index, i};
        cte->refs++;
        *out = s;
        return bind_from_add_entry(b, scope, ref, cte->name, cte->names, outs, cte->types,
                                   cte->col_count, err);
    }
    const char *ns = n->count >= 2 ? n->parts[n->count - 2].name : NULL;
    plan_table_source *src = NULL;
    if (!b->env || !b->env->lookup_table)
        return bind_error(b, err, FLOE_ENOTFOUND, "42P01", ref->loc,
                          "table %s%s%s does not exist", ns ? ns : "", ns ? "." : "", name);
    int rc = b->env->lookup_table(b->env->ctx, ns, name, &src, b->arena, err);
    if (rc < 0) return bind_error_rethrow(b, err, rc, ref->loc);
    FL_TRY(travel(b, ref, src, err));
    plan_node *g = plan_node_new(b->arena, PLAN_GET, 0);
    plan_binding *outs = fl_arena_alloc(b->arena, sizeof *outs * (src->column_count + 1));
    uint32_t *ids = fl_arena_alloc(b->arena, sizeof *ids * (src->column_count + 1));
    if (!g || !outs || !ids) return bind_oom(err);
    g->table_index = bind_new_table_index(b);
    g->u.get.source = src;
    g->u.get.column_ids = ids;
    g->u.get.column_count = src->column_count;
    g->estimated_rows = src->estimated_rows;
    for (uint32_t i = 0; i < src->column_count; i++) {
        ids[i] = i;
        outs[i] = (plan_binding){g->table_index, i};
    }
    *out = g;
    return bind_from_add_entry(b, scope, ref, src->name ? src->name : name, src->column_names,
                               outs, src->column_types, src->column_count, err);
}

static int bind_derived(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node **out,
                        fl_error *err)
{
    bind_result r;
    /* a derived table sees the enclosing queries (correlation) but not its siblings;
     * a LATERAL one on the right of a join is bound by bind_lateral_join, here it
     * is the first item and has nothing to its left to see */
    FL_TRY(bind_query(b, ref->u.subquery.query, scope->parent, &r, err));
    *out = r.root;
    return bind_from_add_entry(b, scope, ref, NULL, r.names, r.outs, r.types, r.count, err);
}

/* ---------------------------------------------------------------- table functions */

static int const_value(binder *b, const sql_expr *e, fl_value *out, fl_error *err)
{
    bind_ctx cx = {.b = b, .scope = bind_scope_new(b, NULL), .clause = "table function arguments"};
    plan_expr *x;
    FL_TRY(bind_expr(&cx, e, &x, err));
    if (x->kind != PLAN_EX_CONST)
        return bind_error(b, err, FLOE_EINVAL, "42601", e->loc,
                          "table function arguments must be constants");
    *out = x->u.value;
    return 0;
}

static int columns_arg(binder *b, const sql_expr *v, fn_table_args *a, fl_error *err)
{
    if (v->kind != SQL_EXPR_STRUCT)
        return bind_error(b, err, FLOE_EINVAL, "42601", v->loc,
                          "columns must be a struct literal such as {'a': 'integer'}");
    uint32_t n = v->u.struct_.count;
    const char **names = fl_arena_alloc(b->arena, sizeof *names * (n + 1));
    fl_type *types = fl_arena_alloc(b->arena, sizeof *types * (n + 1));
    if (!names || !types) return bind_oom(err);
    for (uint32_t i = 0; i < n; i++) {
        names[i] = v->u.struct_.names[i].name;
        const sql_expr *t = v->u.struct_.values[i];
        if (t->kind != SQL_EXPR_LITERAL || t->u.lit.kind != SQL_LIT_STRING)
            return bind_error(b, err, FLOE_EINVAL, "42601", t->loc,
                              "the type of column \"%s\" must be a string such as 'integer'",
                              names[i]);
        if (fl_type_parse(&types[i], t->u.lit.text, strlen(t->u.lit.text), err) < 0)
            return bind_error(b, err, FLOE_ENOTFOUND, "42704", t->loc,
                              "type \"%s\" does not exist", t->u.lit.text);
    }
    a->column_names = names;
    a->column_types = types;
    a->column_count = n;
    return 0;
}

static int bind_table_function(binder *b, const sql_table_ref *ref, bind_scope *scope,
                               plan_node **out, fl_error *err)
{
    const sql_expr *call = ref->u.function.call;
    const char *name = call->u.func.name.parts[call->u.func.name.count - 1].name;
    if (ref->u.function.lateral || !fn_table_exists(name))
        return bind_error(b, err, FLOE_ENOTFOUND, "42883", ref->loc,
                          "table function %s does not exist", name);
    uint32_t n = call->u.func.arg_count;
    fn_table_args a = {0};
    fl_value *args = fl_arena_calloc(b->arena, sizeof *args * (n + 1));
    fl_value *nvals = fl_arena_calloc(b->arena, sizeof *nvals * (n + 1));
    const char **nkeys = fl_arena_calloc(b->arena, sizeof *nkeys * (n + 1));
    if (!args || !nvals || !nkeys) return bind_oom(err);
    for (uint32_t i = 0; i < n; i++) {
        const sql_expr *e = call->u.func.args[i];
        if (e->kind == SQL_EXPR_NAMED_ARG) {
            const char *key = e->u.named.name.name;
            if (strcasecmp(key, "columns") == 0) {
                FL_TRY(columns_arg(b, e->u.named.value, &a, err));
                continue;
            }
            FL_TRY(const_value(b, e->u.named.value, &nvals[a.named_count], err));
            nkeys[a.named_count++] = key;
        } else {
            if (a.named_count)
                return bind_error(b, err, FLOE_EINVAL, "42601", e->loc,
                                  "positional arguments must come before named arguments");
            FL_TRY(const_value(b, e, &args[a.arg_count++], err));
        }
    }
    a.args = args;
    a.named_keys = nkeys;
    a.named_values = nvals;
    fn_table_bind_result res;
    memset(&res, 0, sizeof res);
    int rc = fn_table_bind(&res, name, &a, b->arena, err);
    if (rc < 0) return bind_error_rethrow(b, err, rc, ref->loc);
    plan_table_function *tf = fl_arena_calloc(b->arena, sizeof *tf);
    plan_node *t = plan_node_new(b->arena, PLAN_TABLE_FUNCTION, 0);
    uint32_t *ids = fl_arena_alloc(b->arena, sizeof *ids * (res.column_count + 1));
    plan_binding *outs = fl_arena_alloc(b->arena, sizeof *outs * (res.column_count + 1));
    if (!tf || !t || !ids || !outs) return bind_oom(err);
    tf->name = name;
    tf->args = args;
    tf->arg_count = a.arg_count;
    tf->named_keys = nkeys;
    tf->named_values = nvals;
    tf->named_count = a.named_count;
    tf->column_names = res.column_names;
    tf->column_types = res.column_types;
    tf->column_count = res.column_count;
    tf->bind_data = res.bind_data;
    t->table_index = bind_new_table_index(b);
    t->u.table_fn.fn = tf;
    t->u.table_fn.column_ids = ids;
    t->u.table_fn.column_count = res.column_count;
    t->estimated_rows = res.estimated_rows;
    for (uint32_t i = 0; i < res.column_count; i++) {
        ids[i] = i;
        outs[i] = (plan_binding){t->table_index, i};
    }
    *out = t;
    return bind_from_add_entry(b, scope, ref, name, res.column_names, outs, res.column_types,
                               res.column_count, err);
}

/* ---------------------------------------------------------------- joins */

static bind_column *find_visible(bind_scope *scope, uint32_t from, uint32_t to, const char *name,
                                 uint32_t *matches)
{
    bind_column *found = NULL;
    *matches = 0;
    for (uint32_t i = from; i < to; i++) {
        bind_entry *en = scope->entries[i];
        for (uint32_t j = 0; j < en->col_count; j++) {
            bind_column *c = &en->cols[j];
            if (c->hidden || strcasecmp(c->name, name) != 0) continue;
            if (!found) found = c;
            (*matches)++;
        }
    }
    return found;
}

static plan_expr *column_value(binder *b, const bind_column *c)
{
    if (c->using_expr) return plan_expr_copy(b->arena, c->using_expr);
    return plan_expr_colref(b->arena, c->binding, c->type, c->name);
}

/* USING / NATURAL: l.c = r.c for each name; the right copy is hidden. */
static int join_using(binder *b, plan_node *join, bind_scope *scope, uint32_t split,
                      const char **names, uint32_t n, uint32_t loc, fl_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t lm, rm;
        bind_column *l = find_visible(scope, 0, split, names[i], &lm);
        bind_column *r = find_visible(scope, split, scope->count, names[i], &rm);
        if (!l || !r)
            return bind_error(b, err, FLOE_ENOTFOUND, "42703", loc,
                              "column \"%s\" specified in USING clause does not exist in %s "
                              "table",
                              names[i], l ? "right" : "left");
        if (lm > 1 || rm > 1)
            return bind_error(b, err, FLOE_EINVAL, "42702", loc,
                              "common column name \"%s\" appears more than once in %s table",
                              names[i], lm > 1 ? "left" : "right");
        plan_expr *lv = column_value(b, l), *rv = column_value(b, r), *eq;
        if (!lv || !rv) return bind_oom(err);
        FL_TRY(bind_compare(b, "=", lv, rv, loc, &eq, err));
        FL_TRY(plan_join_add_conjunct(join, eq, b->arena, err));
        plan_join_type t = join->u.join.type;
        plan_expr *merged = NULL;
        if (t == PLAN_JOIN_RIGHT) {
            merged = column_value(b, r);
        } else if (t == PLAN_JOIN_FULL) {
            plan_expr *items[2] = {column_value(b, l), column_value(b, r)};
            if (!items[0] || !items[1]) return bind_oom(err);
            merged = plan_expr_new(b->arena, PLAN_EX_COALESCE, l->type, 2);
            if (!merged) return bind_oom(err);
            merged->args[0] = items[0];
            merged->args[1] = items[1];
            fl_type tt;
            FL_TRY(bind_unify(b, merged->args, 2, loc, &tt, err));
            merged->type = tt;
        }
        if (merged) l->using_expr = merged;
        r->hidden = true;
    }
    return 0;
}

static int natural_names(binder *b, bind_scope *scope, uint32_t split, const char ***out,
                         uint32_t *n, fl_error *err)
{
    *out = NULL;
    *n = 0;
    for (uint32_t i = 0; i < split; i++) {
        bind_entry *en = scope->entries[i];
        for (uint32_t j = 0; j < en->col_count; j++) {
            bind_column *c = &en->cols[j];
            if (c->hidden) continue;
            uint32_t m;
            if (!find_visible(scope, split, scope->count, c->name, &m)) continue;
            bool dup = false;
            for (uint32_t k = 0; k < *n && !dup; k++) dup = strcasecmp((*out)[k], c->name) == 0;
            if (!dup && bind_push(b->arena, out, n, sizeof c->name, &c->name) < 0)
                return bind_oom(err);
        }
    }
    return 0;
}

static int bind_join(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node **out,
                     fl_error *err)
{
    const sql_table_ref *right = ref->u.join.right;
    if (right->kind == SQL_TABLE_SUBQUERY && right->u.subquery.lateral) {
        plan_node *left;
        FL_TRY(bind_from(b, ref->u.join.left, scope, &left, err));
        return bind_lateral_join(b, ref, scope, left, out, err);
    }
    plan_node *j = plan_node_new(b->arena, PLAN_JOIN, 2);
    if (!j) return bind_oom(err);
    FL_TRY(bind_from(b, ref->u.join.left, scope, &j->children[0], err));
    uint32_t split = scope->count;
    FL_TRY(bind_from(b, ref->u.join.right, scope, &j->children[1], err));
    static const plan_join_type types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                           PLAN_JOIN_FULL, PLAN_JOIN_INNER};
    j->u.join.type = types[ref->u.join.kind];
    *out = j;
    if (ref->u.join.natural) {
        const char **names;
        uint32_t n;
        FL_TRY(natural_names(b, scope, split, &names, &n, err));
        return join_using(b, j, scope, split, names, n, ref->loc, err);
    }
    if (ref->u.join.using_count) {
        const char **names = fl_arena_alloc(b->arena, sizeof *names * ref->u.join.using_count);
        if (!names) return bind_oom(err);
        for (uint32_t i = 0; i < ref->u.join.using_count; i++)
            names[i] = ref->u.join.using_cols[i].name;
        return join_using(b, j, scope, split, names, ref->u.join.using_count, ref->loc, err);
    }
    if (ref->u.join.on) {
        if (bind_ast_has_subquery(ref->u.join.on))
            return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", ref->u.join.on->loc,
                              "subqueries in ON conditions are not supported yet");
        bind_ctx cx = {.b = b, .scope = scope, .clause = "JOIN/ON"};
        plan_expr *on;
        FL_TRY(bind_condition(&cx, ref->u.join.on, &on, err));
        if (on->kind == PLAN_EX_AND) {
            for (uint32_t i = 0; i < on->arg_count; i++)
                FL_TRY(plan_join_add_conjunct(j, on->args[i], b->arena, err));
        } else {
            FL_TRY(plan_join_add_conjunct(j, on, b->arena, err));
        }
    }
    return 0;
}

int bind_from(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node **out,
              fl_error *err)
{
    switch (ref->kind) {
    case SQL_TABLE_NAME: return bind_table(b, ref, scope, out, err);
    case SQL_TABLE_SUBQUERY: return bind_derived(b, ref, scope, out, err);
    case SQL_TABLE_FUNCTION: return bind_table_function(b, ref, scope, out, err);
    case SQL_TABLE_JOIN: return bind_join(b, ref, scope, out, err);
    }
    return bind_error(b, err, FLOE_EINTERNAL, "XX000", ref->loc, "unknown FROM item kind");
}
