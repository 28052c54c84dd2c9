/*
 * bind_internal.h: the binder's shared state, between bind.c (statements),
 * bind_query.c (SELECT, set operations, VALUES, ORDER BY/LIMIT, CTEs),
 * bind_from.c (FROM items and joins), bind_expr.c (expressions),
 * bind_func.c (function calls, aggregates, windows) and bind_subquery.c
 * (subqueries rewritten into joins).
 *
 * Scopes: each query level has a bind_scope listing the FROM items bound so
 * far (bind_entry: a name and its columns with their plan bindings). Column
 * names resolve in the innermost scope first, then outward; a column found
 * in an outer scope is a correlated reference and keeps the outer binding,
 * which bind_subquery.c later pulls up into join conditions.
 *
 * Expression contexts (bind_ctx) say what an expression may contain: where
 * subqueries attach (root), whether aggregates are being collected (agg:
 * the PLAN_AGGREGATE of the level; bare columns must then match a GROUP BY
 * expression) and where window functions go (win).
 */
#ifndef BIND_INTERNAL_H
#define BIND_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/error.h"
#include "../../func/func.h"
#include "../parse/sql_ast.h"
#include "../plan/plan.h"
#include "bind.h"

typedef struct bind_column {
    const char *name;
    fl_type type;
    plan_binding binding;
    plan_expr *using_expr;   /* USING/NATURAL merged column: what an unqualified name means */
    bool hidden;             /* the other side's copy of a USING column: qualified only */
} bind_column;

typedef struct bind_entry {
    const char *name;        /* alias or table name; NULL for an unnamed item */
    bind_column *cols;
    uint32_t col_count;
} bind_entry;

typedef struct bind_scope {
    struct bind_scope *parent;   /* the enclosing query (correlated references) */
    bind_entry **entries;
    uint32_t count;
} bind_scope;

typedef struct bind_cte {
    const char *name;
    plan_node *plan;             /* the bound definition */
    const char **names;
    fl_type *types;
    plan_binding *outs;
    uint32_t col_count;
    uint32_t cte_index;
    uint32_t refs;
    struct bind_cte *next;       /* the next visible CTE (outer WITH clauses) */
} bind_cte;

typedef struct binder {
    fl_arena *arena;
    const bind_env *env;
    const char *text;
    size_t text_len;
    plan_stmt *stmt;
    uint32_t next_cte;
    bind_cte *ctes;
    uint32_t local_refs;         /* columns of the current scope resolved (grouping checks) */
} binder;

typedef struct bind_ctx {
    binder *b;
    bind_scope *scope;
    plan_node **root;            /* subqueries join onto *root; NULL: not allowed */
    plan_node *agg;              /* aggregating: the level's PLAN_AGGREGATE */
    plan_node *win;              /* window functions allowed: the level's PLAN_WINDOW */
    bind_scope *named_windows_scope;
    sql_window **named_windows;  /* WINDOW w AS (...) */
    uint32_t named_window_count;
    const char *clause;          /* "WHERE", "GROUP BY", ... for messages */
    bool in_agg;                 /* inside an aggregate's arguments */
} bind_ctx;

/* A bound query: its plan and output columns. */
typedef struct bind_result {
    plan_node *root;
    const char **names;
    fl_type *types;
    plan_binding *outs;
    uint32_t count;
} bind_result;

/* ---- bind.c: errors, small utilities */
int bind_error(binder *b, fl_error *err, int code, const char *sqlstate, uint32_t loc,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Re-reports an error set by a callee (func, the catalog) at loc. */
int bind_error_rethrow(binder *b, fl_error *err, int rc, uint32_t loc);
int bind_oom(fl_error *err);
uint32_t bind_new_table_index(binder *b);
int bind_push(fl_arena *arena, void *array_ptr, uint32_t *count, size_t elem_size,
              const void *elem);
int bind_type(binder *b, const sql_type *t, fl_type *out, fl_error *err);
int bind_type_name(char *buf, size_t cap, fl_type t);
int bind_result_fill(binder *b, bind_result *r, fl_error *err);

/* ---- bind_query.c */
int bind_query(binder *b, const sql_query *q, bind_scope *parent, bind_result *out,
               fl_error *err);
bind_scope *bind_scope_new(binder *b, bind_scope *parent);
int bind_scope_add(binder *b, bind_scope *scope, bind_entry *entry, fl_error *err);
/* Scope entry for a node's outputs named names[]. */
bind_entry *bind_entry_from(binder *b, const char *name, const char **names,
                            const plan_binding *outs, const fl_type *types, uint32_t count);

/* ---- bind_from.c */
int bind_from(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node **out,
              fl_error *err);

/* ---- bind_expr.c */
int bind_expr(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err);
/* Binds e as a boolean condition (WHERE, HAVING, ON, FILTER): NULL literals become
 * boolean, other types are an error. */
int bind_condition(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err);
/* e cast to `to` (constants folded with fn_cast_value). */
int bind_cast(binder *b, plan_expr *e, fl_type to, bool try_cast, uint32_t loc,
              plan_expr **out, fl_error *err);
/* Scalar function/operator call: resolves with fn_scalar_bind and casts arguments. */
int bind_call(binder *b, const char *name, plan_expr **args, uint32_t arg_count, uint32_t loc,
              plan_expr **out, fl_error *err);
/* Comparison l op r with Trino/DuckDB coercions (string literals adapt). */
int bind_compare(binder *b, const char *op, plan_expr *l, plan_expr *r, uint32_t loc,
                 plan_expr **out, fl_error *err);
/* The common type of exprs[0..n) and each cast to it. */
int bind_unify(binder *b, plan_expr **exprs, uint32_t n, uint32_t loc, fl_type *out_type,
               fl_error *err);
plan_expr *bind_bool_const(binder *b, bool v);
plan_expr *bind_and(binder *b, plan_expr **items, uint32_t n);
plan_expr *bind_not(binder *b, plan_expr *e);
/* A constant integer (LIMIT, OFFSET, frame offsets, ordinals). */
int bind_const_int(bind_ctx *cx, const sql_expr *e, const char *what, int64_t *out,
                   fl_error *err);
/* Structural checks on the AST (not descending into subqueries). */
bool bind_ast_has_agg(const sql_expr *e);
bool bind_ast_has_window(const sql_expr *e);
bool bind_ast_has_subquery(const sql_expr *e);

/* ---- bind_func.c */
int bind_function(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err);
int bind_order_items(bind_ctx *cx, const sql_order_item *items, uint32_t count,
                     plan_order **out, fl_error *err);

/* ---- bind_from.c: a FROM item's scope entry (column aliases, duplicate names checked) */
int bind_from_add_entry(binder *b, bind_scope *scope, const sql_table_ref *ref,
                        const char *default_name, const char **names, const plan_binding *outs,
                        const fl_type *types, uint32_t count, fl_error *err);

/* ---- bind_subquery.c: decorrelation, shared with bind_lateral.c.
 * A bound subquery plan is decorrelated by pulling the conjuncts that
 * reference the outer query up and out of it (bind_decor_pull); "inner"
 * tables are those produced inside the subquery's plan, every other
 * binding is an outer reference. */
typedef struct bind_decor {
    binder *b;
    bool *inner;              /* inner[table_index]: produced inside the subquery */
    uint32_t ntables;
    plan_expr **pulled;       /* correlated conjuncts pulled out, over the plan's outputs */
    bool *pulled_nd;          /* pulled[i] is `outer = key` to join as IS NOT DISTINCT FROM */
    uint32_t npulled;
    plan_node *grouped_agg;   /* a scalar aggregate that gained correlation keys */
    uint32_t agg_pulled_end;  /* pulled[0..agg_pulled_end) went through grouped_agg */
    uint32_t loc;
    /* The plan producing the outer columns, or NULL: a copy of it is the
     * domain of outer values for correlations that are not equalities. */
    plan_node *outer_plan;
    /* LATERAL mode: row multiplicity matters (DISTINCT needs column
     * equalities) and select-list expressions with outer references are
     * lifted out of PROJECTs: the slot becomes a NULL constant and
     * lifted[i] (over the project's input, passed through it, and outer
     * columns) is what binding lifted_at[i] stands for. */
    bool lateral;
    plan_binding *lifted_at;
    plan_expr **lifted;
    uint32_t nlifted;
} bind_decor;

/* Starts decorrelating the bound plan root (marks its tables inner). */
int bind_decor_start(bind_decor *d, binder *b, plan_node *root, uint32_t loc, bool lateral,
                     fl_error *err);
/* Pulls correlated conjuncts out of *np (which may be replaced). */
int bind_decor_pull(bind_decor *d, plan_node **np, fl_error *err);
bool bind_decor_has_outer(const bind_decor *d, const plan_expr *e);
/* Whether any expression of the plan still references the outer query;
 * *where names the first place found (for messages). */
bool bind_decor_plan_has_outer(const bind_decor *d, plan_node *n, const char **where);
/* e with references to lifted bindings replaced by their expressions (a copy
 * when anything changed; NULL on OOM). */
plan_expr *bind_decor_subst(const bind_decor *d, plan_expr *e);
/* Adds pulled conjunct e to a join's conditions; null_equal (pulled_nd):
 * e is `outer = key` and joins as IS NOT DISTINCT FROM. */
int bind_decor_add_cond(plan_node *join, plan_expr *e, bool null_equal, fl_arena *arena,
                        fl_error *err);
/* Records binding `at` as standing for e (LATERAL lifting). */
int bind_decor_add_lifted(bind_decor *d, plan_binding at, plan_expr *e, fl_error *err);

/* ---- bind_lateral.c */
/* A join whose right side is a LATERAL subquery (ref is the SQL_TABLE_JOIN):
 * binds the subquery seeing the FROM items bound so far, decorrelates it and
 * joins it onto left; *out is the join's plan. */
int bind_lateral_join(binder *b, const sql_table_ref *ref, bind_scope *scope, plan_node *left,
                      plan_node **out, fl_error *err);

/* ---- bind_subquery.c */
/* A subquery expression (EXISTS, IN, quantified, scalar) joined onto *cx->root;
 * *out is the value to use in its place. */
int bind_subquery_expr(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err);
/* A top-level WHERE conjunct that is [NOT] EXISTS / IN (query): a SEMI or ANTI join
 * on *cx->root, *handled = true. Other conjuncts: *handled = false. */
int bind_subquery_conjunct(bind_ctx *cx, const sql_expr *e, bool *handled, fl_error *err);

#endif
