/*
 * plan.h: bound expressions and the logical plan: the contract between the
 * binder (src/sql/bind), the optimizer (src/sql/opt) and the physical
 * planner (src/exec).
 *
 * The binder turns an AST into a plan_stmt whose query part is a tree of
 * plan_node (DuckDB's LogicalOperator). Names are resolved, types are
 * checked and every function call is resolved to a fn_scalar_bound /
 * fn_agg_def from src/func; implicit coercions appear as explicit
 * PLAN_EX_CAST nodes. Subqueries never survive binding: the binder (or its
 * planner half, bind_subquery.c) rewrites them into joins (SEMI, ANTI, MARK,
 * SINGLE) and aggregates, so execution never re-runs a query per row.
 *
 * Column references use bindings, not positions (DuckDB's ColumnBinding):
 * every node that creates columns owns a `table_index` (unique in the
 * statement, from plan_new_table_index) and its i-th created column is the
 * binding {table_index, i}. A node's output is an ordered list of bindings
 * (plan_node_outputs); the optimizer may reorder joins or drop columns
 * without rewriting expressions above. The physical planner maps bindings
 * to positions in each operator's input chunk.
 *
 * Output order of each node kind (plan_node_outputs):
 *   GET        {table_index, k} for k in column_ids order
 *   FILTER, ORDER, LIMIT, TOPN, DISTINCT, CTE_MATERIALIZE(child 1)  the child's outputs
 *   PROJECT    {table_index, i} for each expression
 *   AGGREGATE  {group_index, i} for each group, then {agg_index, j} for each
 *              aggregate, then {grouping_index, k} for each GROUPING() call
 *   WINDOW     the child's outputs, then {table_index, i} per window expr
 *   JOIN       left outputs, then right outputs; SEMI/ANTI: left only;
 *              MARK: left outputs then {mark_index, 0} (BOOLEAN, may be NULL)
 *   SETOP      {table_index, i} per column
 *   VALUES, DUMMY_SCAN, CTE_SCAN, TABLE_FUNCTION   {table_index, i}
 *
 * Lifetime: everything lives in the statement's arena. Once the optimizer
 * is done the plan is read-only; execution state lives in src/exec.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/type.h"

struct fn_scalar_bound;   /* src/func/func.h */
struct fn_agg_def;
struct fn_window_def;

typedef struct plan_node plan_node;
typedef struct plan_expr plan_expr;

typedef struct plan_binding {
    uint32_t table;
    uint32_t column;
} plan_binding;

static inline bool plan_binding_eq(plan_binding a, plan_binding b)
{
    return a.table == b.table && a.column == b.column;
}

/* ---------------------------------------------------------------- exprs */

typedef enum plan_expr_kind {
    PLAN_EX_CONST,        /* value (type = value.type; NULL constants typed too) */
    PLAN_EX_COLREF,       /* binding; name for EXPLAIN and errors */
    PLAN_EX_FUNC,         /* scalar function: fn, args (already cast to fn's arg types) */
    PLAN_EX_CAST,         /* args[0] -> type; try_cast yields NULL on failure */
    PLAN_EX_AND,          /* n-ary, SQL three-valued logic */
    PLAN_EX_OR,
    PLAN_EX_NOT,          /* args[0] */
    PLAN_EX_IS_NULL,      /* args[0] IS NULL */
    PLAN_EX_IS_NOT_NULL,
    PLAN_EX_CASE,         /* args = when0, then0, when1, then1, ..., [else]; has_else */
    PLAN_EX_COALESCE,     /* args */
    PLAN_EX_IN_LIST,      /* args[0] IN (args[1..]); all of one type; NULL semantics of SQL */
    PLAN_EX_AGG,          /* only in PLAN_AGGREGATE.aggs: agg, args, distinct, filter */
    PLAN_EX_WINDOW,       /* only in PLAN_WINDOW.exprs: see plan_window_spec */
    PLAN_EX_GROUPING,     /* only in PLAN_AGGREGATE.groupings: GROUPING(args = group refs) */
    PLAN_EX_PARAM,        /* ? placeholder, param_index from 1 (prepared statements, later) */
} plan_expr_kind;

typedef enum plan_frame_bound_kind {
    PLAN_BOUND_UNBOUNDED_PRECEDING,
    PLAN_BOUND_PRECEDING,          /* offset rows/range before */
    PLAN_BOUND_CURRENT_ROW,
    PLAN_BOUND_FOLLOWING,
    PLAN_BOUND_UNBOUNDED_FOLLOWING,
} plan_frame_bound_kind;

typedef struct plan_order {
    plan_expr *expr;
    bool desc;
    bool nulls_first;      /* resolved: the default is NULLS LAST for ASC and DESC alike
                              (Trino and DuckDB) */
} plan_order;

typedef struct plan_window_spec {
    plan_expr **partition;
    uint32_t partition_count;
    plan_order *order;
    uint32_t order_count;
    bool rows;                      /* ROWS frame; else RANGE, or GROUPS (groups) */
    plan_frame_bound_kind start, end;
    plan_expr *start_offset, *end_offset;   /* constants for PRECEDING/FOLLOWING */
    /* Default frame (no frame clause): RANGE UNBOUNDED PRECEDING..CURRENT ROW
     * with ORDER BY, the whole partition without. The binder fills it in. */
    /* RANGE offsets written as INTERVAL '<n>' <unit> (date and timestamp
     * ORDER BY keys): "month" (the offset a UINT32 count of months: YEAR and
     * MONTH) or "microsecond" (a UINT64 count: WEEK .. SECOND); NULL when
     * the offset is a plain value. (Distinct constant types keep
     * plan_expr_equal from taking one unit for another.) */
    const char *start_unit, *end_unit;
    /* GROUPS frame (rows is false): offsets count peer groups (rows equal
     * in every ORDER BY key) before / after the current row's group;
     * CURRENT ROW is the current row's group, as in RANGE. */
    bool groups;
} plan_window_spec;

struct plan_expr {
    plan_expr_kind kind;
    fl_type type;              /* result type */
    uint32_t loc;              /* byte offset in the statement text, for errors */
    const char *name;          /* COLREF: column name; FUNC/AGG/WINDOW: function name */
    plan_expr **args;
    uint32_t arg_count;
    union {
        fl_value value;                        /* CONST (strings in the arena) */
        plan_binding binding;                  /* COLREF */
        const struct fn_scalar_bound *fn;      /* FUNC */
        bool try_cast;                         /* CAST */
        bool has_else;                         /* CASE */
        struct {
            const struct fn_agg_def *fn;
            bool distinct;
            plan_expr *filter;                 /* FILTER (WHERE ..) or NULL */
            void *bind_data;                   /* from fn_agg_def.bind, or NULL */
        } agg;
        struct {
            const struct fn_window_def *fn;    /* ranking/navigation functions, or NULL */
            const struct fn_agg_def *agg;      /* aggregate over a frame, or NULL */
            bool distinct;
            plan_window_spec *spec;
            bool ignore_nulls;
        } window;
        uint32_t param_index;
    } u;
};

/* ---------------------------------------------------------------- nodes */

typedef enum plan_node_kind {
    PLAN_GET,              /* scan of a catalog table or external table / file source */
    PLAN_TABLE_FUNCTION,   /* read_parquet(...), read_csv(...) and other table functions */
    PLAN_FILTER,
    PLAN_PROJECT,
    PLAN_AGGREGATE,
    PLAN_WINDOW,
    PLAN_JOIN,
    PLAN_ORDER,
    PLAN_LIMIT,
    PLAN_TOPN,             /* ORDER + LIMIT fused by the optimizer */
    PLAN_DISTINCT,         /* duplicate elimination over all child columns */
    PLAN_SETOP,
    PLAN_VALUES,
    PLAN_DUMMY_SCAN,       /* one row, no columns: SELECT without FROM */
    PLAN_CTE_MATERIALIZE,  /* children[0] = CTE definition, children[1] = query using it */
    PLAN_CTE_SCAN,         /* reads a materialized CTE by cte_index */
    PLAN_EMPTY,            /* no rows (e.g. WHERE false), with types */
    PLAN_INSERT,           /* child's rows into a table (INSERT, CTAS, INSERT OVERWRITE) */
} plan_node_kind;

typedef enum plan_join_type {
    PLAN_JOIN_INNER,
    PLAN_JOIN_LEFT,
    PLAN_JOIN_RIGHT,
    PLAN_JOIN_FULL,
    PLAN_JOIN_SEMI,        /* left rows with a match */
    PLAN_JOIN_ANTI,        /* left rows without a match (NOT EXISTS semantics) */
    PLAN_JOIN_MARK,        /* all left rows + mark column: true/false/NULL (IN semantics) */
    PLAN_JOIN_SINGLE,      /* LEFT join that errors if a left row matches >1 right rows
                              (uncorrelated/decorrelated scalar subquery) */
    /* The mirror images of SEMI/ANTI that keep "left child = probe side,
     * right child = build side" when the rows to return are on the smaller
     * side (opt_build_side.c swaps children to get them): the output is the
     * RIGHT child's rows (its bindings only) that have / have no match in the
     * left child, each right row at most once; conditions keep their
     * orientation (cond->left on the left child). NOT EXISTS semantics: a
     * NULL key never matches. */
    PLAN_JOIN_RIGHT_SEMI,
    PLAN_JOIN_RIGHT_ANTI,
} plan_join_type;

typedef enum plan_cmp {
    PLAN_CMP_EQ, PLAN_CMP_NE, PLAN_CMP_LT, PLAN_CMP_LE, PLAN_CMP_GT, PLAN_CMP_GE,
    PLAN_CMP_NOT_DISTINCT,  /* IS NOT DISTINCT FROM: NULL = NULL (decorrelation keys) */
} plan_cmp;

/* left is evaluated on the join's left child, right on its right child;
 * both sides have the same type (the binder casts). */
typedef struct plan_join_cond {
    plan_expr *left;
    plan_expr *right;
    plan_cmp cmp;
} plan_join_cond;

typedef enum plan_setop_kind {
    PLAN_UNION, PLAN_UNION_ALL, PLAN_INTERSECT, PLAN_INTERSECT_ALL, PLAN_EXCEPT, PLAN_EXCEPT_ALL,
} plan_setop_kind;

/* Where a PLAN_GET reads from. */
typedef enum plan_source_kind {
    PLAN_SOURCE_ICEBERG,     /* a catalog table */
    PLAN_SOURCE_EXTERNAL,    /* an external table over raw files (CSV/text or Parquet) */
} plan_source_kind;

typedef struct plan_table_source {
    plan_source_kind kind;
    const char *ns;              /* namespace (schema) */
    const char *name;            /* table name */
    /* ICEBERG: which snapshot to read (time travel); 0/NULL = current */
    int64_t snapshot_id;
    int64_t as_of_ms;            /* >0: as of this time */
    const char *ref;             /* branch or tag */
    /* Column names and types of the whole table, in table order. */
    const char **column_names;
    fl_type *column_types;
    int32_t *field_ids;          /* ICEBERG: Iceberg field ids; else NULL */
    uint32_t column_count;
    /* EXTERNAL: files and format */
    const char *location;        /* directory, file or glob */
    const char *format;          /* "csv" (delimited text) or "parquet" */
    char delimiter;
    bool header;
    const char *null_string;
    void *handle;                /* opaque, for the physical planner (may be NULL) */
    /* Row estimate for join ordering (src/main fills it from the snapshot
     * summary's total-records); 0 = unknown. (Added by the binder.) */
    double estimated_rows;
} plan_table_source;

typedef struct plan_table_function {
    const char *name;            /* "read_parquet", "read_csv" */
    fl_value *args;              /* constant positional arguments */
    uint32_t arg_count;
    const char **named_keys;     /* named arguments: delim='|', header=false, columns={...} */
    fl_value *named_values;
    uint32_t named_count;
    const char **column_names;   /* resolved output schema (sniffed or given) */
    fl_type *column_types;
    uint32_t column_count;
    void *bind_data;             /* from the table function's bind (e.g. the file list) */
} plan_table_function;

typedef struct plan_insert {
    const char *ns;
    const char *name;
    bool overwrite;              /* INSERT OVERWRITE: replaces the partitions written (or all) */
    bool create;                 /* CTAS: the table is created by the same commit */
    /* child column i goes to table column column_map[i] (table order);
     * missing table columns get NULL. Types already cast by the binder. */
    uint32_t *column_map;
    uint32_t column_count;
    void *create_info;           /* CTAS: table definition (bind_create_table_info) */
} plan_insert;

struct plan_node {
    plan_node_kind kind;
    plan_node **children;
    uint32_t child_count;
    uint32_t table_index;        /* GET, PROJECT, WINDOW, SETOP, VALUES, DUMMY, CTE_SCAN, TABLE_FUNCTION */
    double estimated_rows;       /* optimizer's estimate; 0 = unknown */
    union {
        struct {
            plan_table_source *source;
            uint32_t *column_ids;      /* which table columns are read, output order */
            uint32_t column_count;
            plan_expr **filters;       /* pushed-down conjuncts over this scan's bindings;
                                          the scan must still apply them exactly */
            uint32_t filter_count;
        } get;
        struct {
            plan_table_function *fn;
            uint32_t *column_ids;
            uint32_t column_count;
            plan_expr **filters;
            uint32_t filter_count;
        } table_fn;
        struct { plan_expr **exprs; uint32_t count; } filter;     /* conjuncts */
        struct { plan_expr **exprs; uint32_t count; } project;
        struct {
            plan_expr **groups;        /* group expressions over the child */
            uint32_t group_count;
            plan_expr **aggs;          /* PLAN_EX_AGG */
            uint32_t agg_count;
            /* GROUPING SETS: each set a bitmask over groups (bit i = group i
             * present); set_count 0 = one set with all groups. */
            uint64_t *sets;
            uint32_t set_count;
            plan_expr **groupings;     /* PLAN_EX_GROUPING */
            uint32_t grouping_count;
            uint32_t group_index, agg_index, grouping_index;
        } aggregate;
        struct { plan_expr **exprs; uint32_t count; } window;   /* PLAN_EX_WINDOW */
        struct {
            plan_join_type type;
            plan_join_cond *conds;     /* conjunctive conditions between the sides */
            uint32_t cond_count;
            plan_expr *residual;       /* extra condition over both sides' bindings, or NULL */
            uint32_t mark_index;       /* MARK: the mark column's table index */
        } join;
        struct { plan_order *orders; uint32_t count; } order;
        struct {
            int64_t limit;             /* -1 = none */
            int64_t offset;
            plan_order *orders;        /* TOPN; LIMIT only WITH TIES */
            uint32_t order_count;
            /* FETCH FIRST n ROWS WITH TIES: rows tied with the last row kept on
             * orders are kept too. The binder sets it on a LIMIT directly over
             * the ORDER whose orders it shares; opt_topn keeps it in TOPN. */
            bool with_ties;
        } limit;
        struct {
            plan_setop_kind kind;
            uint32_t column_count;
            fl_type *types;
        } setop;
        struct {
            plan_expr ***rows;         /* constant-foldable expressions (no column refs) */
            uint32_t row_count;
            uint32_t column_count;
            fl_type *types;
        } values;
        struct {
            uint32_t cte_index;
            /* CTE_SCAN: the columns read (the CTE definition's output types).
             * (Added by the binder: plan_node_outputs needs them.) */
            uint32_t column_count;
            fl_type *types;
        } cte;                                     /* CTE_MATERIALIZE and CTE_SCAN */
        struct { uint32_t column_count; fl_type *types; } empty;
        plan_insert insert;
    } u;
};

/* ---------------------------------------------------------------- statements */

typedef enum plan_stmt_kind {
    PLAN_STMT_QUERY,             /* root: rows to return */
    PLAN_STMT_INSERT,            /* root: PLAN_INSERT (also CTAS) */
    PLAN_STMT_EXPLAIN,           /* explain_of: the statement explained */
    PLAN_STMT_DDL,               /* handled by src/main with the catalog: ddl */
} plan_stmt_kind;

typedef struct plan_stmt {
    plan_stmt_kind kind;
    plan_node *root;
    const char **column_names;   /* QUERY: names of the result columns */
    uint32_t column_count;
    struct plan_stmt *explain_of;
    bool explain_analyze;
    const void *ddl;             /* the sql_stmt for DDL-like statements (CREATE, DROP,
                                    SHOW, DESCRIBE, USE, COPY) executed by src/main */
    uint32_t next_table_index;
} plan_stmt;

/* ---------------------------------------------------------------- helpers (plan.c) */

/* New nodes / exprs in the arena (zeroed, kind set); NULL on OOM. */
plan_node *plan_node_new(fl_arena *arena, plan_node_kind kind, uint32_t child_count);
plan_expr *plan_expr_new(fl_arena *arena, plan_expr_kind kind, fl_type type, uint32_t arg_count);
plan_expr *plan_expr_colref(fl_arena *arena, plan_binding b, fl_type type, const char *name);
plan_expr *plan_expr_const(fl_arena *arena, const fl_value *v);

/* The node's output bindings and their types, in order (see the table at
 * the top). Arrays in the arena. */
int plan_node_outputs(const plan_node *node, fl_arena *arena, plan_binding **bindings,
                      fl_type **types, uint32_t *count, fl_error *err);

/* Deep copy of an expression (optimizer rewrites). */
plan_expr *plan_expr_copy(fl_arena *arena, const plan_expr *e);
/* Copy-on-write step of a tree rewrite: the rewritten argument i of e is a.
 * *copy starts NULL (e unchanged); the first argument that differs copies
 * e and its argument array into arena, and later ones are set in the copy.
 * The result is `*copy ? *copy : e`. Returns 0, or -1 when out of memory. */
int plan_expr_cow_arg(fl_arena *arena, const plan_expr *e, plan_expr **copy, uint32_t i,
                      plan_expr *a);
/* Calls fn on every COLREF in e (pre-order). */
void plan_expr_visit_colrefs(const plan_expr *e, void (*fn)(void *ctx, const plan_expr *ref),
                             void *ctx);
/* True when every COLREF in e has a binding among bindings[0..count). */
bool plan_expr_bound_by(const plan_expr *e, const plan_binding *bindings, uint32_t count);

/* EXPLAIN text of the logical plan (indented tree, one node per line with
 * its expressions), appended to out. */
int plan_explain(fl_buf *out, const plan_node *root, fl_error *err);
int plan_expr_to_string(fl_buf *out, const plan_expr *e, fl_error *err);

/* Structural equality (same kind, type, bindings, constants, functions;
 * volatile functions are never equal). Used to match GROUP BY expressions,
 * ORDER BY against the select list, common factors of ORs. */
bool plan_expr_equal(const plan_expr *a, const plan_expr *b);

/* The plan_cmp of a comparison expression (a PLAN_EX_FUNC named "=", "<>",
 * "<", "<=", ">", ">=" with two arguments); false when e is not one. */
bool plan_expr_comparison(const plan_expr *e, plan_cmp *cmp);
/* Adds conjunct e to a PLAN_JOIN: a comparison with one side bound by the
 * left child's outputs and the other by the right child's becomes a
 * plan_join_cond (swapped and flipped as needed); anything else is ANDed
 * into the residual. */
int plan_join_add_conjunct(plan_node *join, plan_expr *e, fl_arena *arena, fl_error *err);

/* Calls fn with the address of every expression slot of node n itself (not
 * its children): filters, projections, groups, aggregates, window
 * expressions, join conditions (both sides) and residual, orders, VALUES
 * cells. fn may replace *slot. */
void plan_node_visit_exprs(plan_node *n, void (*fn)(void *ctx, plan_expr **slot), void *ctx);
/* (a AND b) OR (a AND c) -> a AND (b OR c): pulls conjuncts common to every
 * disjunct out of an OR (join keys and correlations written inside ORs, as
 * TPC-DS does). Returns e itself when nothing is common; NULL on OOM. */
plan_expr *plan_expr_factor_or(fl_arena *arena, plan_expr *e);

#endif
