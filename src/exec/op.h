/*
 * op.h: the physical operator interface, pipelines and the execution
 * context (DuckDB's PhysicalOperator / Pipeline / Executor, push-based and
 * morsel-driven).
 *
 * The physical planner (ex_plan.c) turns an optimized logical plan into a
 * tree of ex_op and cuts it into pipelines: a pipeline is a source, a chain
 * of streaming operators and a sink. Operators that must see all their input
 * (hash join build, aggregate, sort, window, distinct, CTE materialize,
 * result collector) are sinks that end one pipeline and become the source of
 * the next; a hash join is a build sink plus a streaming probe operator in
 * the probe side's pipeline. A pipeline runs after the pipelines it depends
 * on have finished.
 *
 * Running a pipeline (ex_pipeline.c): every worker thread takes the
 * pipeline, creates its local states, and loops: source->get_data (the source
 * hands out morsels: files, row groups, chunks of a materialized buffer) ->
 * each operator's execute -> sink->sink. When the source is exhausted each
 * thread calls combine with its local sink state, and after all threads are
 * done one thread calls finalize. The statement's executor checks
 * ctx->cancel between chunks.
 *
 * Each callback says whether it CAN run in parallel. Global state is
 * shared (protect with the op's own mutex where stated); local state is per
 * thread. All state lives in the arenas given (query arena for global state,
 * the thread's arena for local state); free nothing by hand, register
 * cleanups with fl_arena_on_reset for non-arena resources (files, pools).
 */
#ifndef EX_OP_H
#define EX_OP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "../base/threads.h"
#include "../sql/plan/plan.h"
#include "vector.h"

typedef struct ex_op ex_op;
struct cat_catalog;
struct io_fs;

/* What the statement runs with (owned by src/main's statement). */
typedef struct ex_ctx {
    fl_arena *arena;              /* the query's arena: plans, global states, results */
    fl_pool *pool;                /* worker threads */
    int threads;                  /* parallelism to use (pool threads, >= 1) */
    struct cat_catalog *catalog;
    struct io_fs *fs;
    const char *warehouse;
    atomic_bool *cancel;          /* set by floe_conn_cancel */
    int64_t memory_limit;         /* bytes, 0 = none */
} ex_ctx;

typedef enum ex_op_result {
    EX_NEED_MORE_INPUT,     /* consumed the input; give me the next chunk */
    EX_HAVE_MORE_OUTPUT,    /* call execute again with the same input */
    EX_FINISHED,            /* no more output ever (LIMIT reached): stop the pipeline */
} ex_op_result;

typedef enum ex_source_result {
    EX_SOURCE_HAVE_MORE,
    EX_SOURCE_DONE,          /* out may still hold rows (count > 0) */
} ex_source_result;

typedef struct ex_op_vtable {
    const char *name;     /* EXPLAIN: "HASH_JOIN", "TABLE_SCAN" */

    /* ---- as a source ---- */
    /* Once per pipeline run, single threaded. */
    int (*source_global)(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err);
    /* Once per thread. CAN run in parallel. */
    int (*source_local)(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                        void **lstate, fl_error *err);
    /* Fills out (a chunk with the op's output types; reset by the caller:
     * out->count = 0) with the next rows. CAN run in parallel. */
    int (*get_data)(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                    ex_source_result *res, fl_error *err);

    /* ---- as a streaming operator ---- */
    int (*op_global)(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err);
    int (*op_local)(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena, void **lstate,
                    fl_error *err);
    /* Transforms in into out (out reset by the caller). CAN run in parallel. */
    int (*execute)(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                   ex_chunk *out, ex_op_result *res, fl_error *err);

    /* ---- as a sink ---- */
    int (*sink_global)(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err);
    int (*sink_local)(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                      void **lstate, fl_error *err);
    /* Consumes a chunk (copy what you keep). CAN run in parallel. */
    int (*sink)(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                fl_error *err);
    /* A thread's input is exhausted: merge its local state. CAN run in
     * parallel (lock the global state). */
    int (*combine)(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err);
    /* All input consumed: build what the source side needs. Called only once,
     * single threaded (may itself use ctx->pool). */
    int (*finalize)(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err);

    /* EXPLAIN detail (expressions, join keys), appended to out; optional. */
    int (*explain)(const ex_op *op, fl_buf *out, fl_error *err);

    /* Whether execute / sink take dictionary vectors (EX_VECTOR_DICT) in
     * their input chunk; when not, the pipeline runner flattens them first
     * (vector.h). */
    bool dict_execute, dict_sink;

} ex_op_vtable;

/*
 * A physical operator. Sinks that are also sources (aggregate, sort, ...)
 * keep their sink global state in `sink_state` after finalize, so their
 * source side can read it. children: the operator's inputs (a streaming
 * operator has one: the chunk it receives; a hash join has two: children[0]
 * probe side (streams through), children[1] build side (its own pipeline
 * ending in this op as a sink).
 */
struct ex_op {
    const ex_op_vtable *vt;
    ex_op **children;
    uint32_t child_count;
    fl_type *types;               /* output column types */
    uint32_t col_count;
    const plan_node *node;        /* the logical node it came from (read-only) */
    void *data;                   /* the operator's compiled, read-only configuration */
    void *sink_state;             /* set by the pipeline runner: the sink's global state */
    double estimated_rows;
};

/* ---------------------------------------------------------------- expressions */

/* A compiled expression (PostgreSQL's ExprState): a flat array of steps
 * over an input chunk's columns. Compiled once per operator; evaluated per
 * chunk by each thread with its own ex_expr_state. */
typedef struct ex_expr ex_expr;
typedef struct ex_expr_state ex_expr_state;

/* Compiles e against an input whose columns are `bindings` (position i =
 * bindings[i]); FLOE_EINTERNAL if a COLREF is not among them. */
int ex_expr_compile(ex_expr **out, const plan_expr *e, const plan_binding *bindings,
                    uint32_t binding_count, fl_arena *arena, fl_error *err);
int ex_expr_state_new(ex_expr_state **out, const ex_expr *x, fl_arena *thread_arena,
                      fl_error *err);
/* Evaluates over in's rows into *out (type of the expression; flat or
 * constant), allocated in out_arena. CAN run in parallel (own state). */
int ex_expr_eval(ex_expr_state *st, const ex_chunk *in, ex_vector *out, fl_arena *out_arena,
                 fl_error *err);
/* The same, but *out may also be a dictionary vector (a column passed
 * through, or a subexpression of one dictionary column computed per
 * entry): for operators that pass dictionary vectors on (projection). It
 * may point into the state's per-dictionary cache, valid until the state
 * evaluates the next chunk. */
int ex_expr_eval_dict(ex_expr_state *st, const ex_chunk *in, ex_vector *out, fl_arena *out_arena,
                      fl_error *err);
/* Evaluates a boolean expression and writes the selected rows (true, not
 * NULL) into sel; *n = their count. */
int ex_expr_select(ex_expr_state *st, const ex_chunk *in, uint32_t *sel, size_t *n,
                   fl_arena *out_arena, fl_error *err);
fl_type ex_expr_type(const ex_expr *x);
/* Folds a constant expression (no COLREFs) to a value (strings in arena). */
int ex_expr_fold(fl_value *out, const plan_expr *e, fl_arena *arena, fl_error *err);

/* ---------------------------------------------------------------- planning and running */

/* The binding layout of a logical node's output (plan_node_outputs) keyed
 * for lookup: position of a binding or -1. */
int ex_layout_find(const plan_binding *bindings, uint32_t count, plan_binding b);

/* Builds the physical operator tree for an optimized logical plan. Each
 * logical node kind maps to an operator constructor (ex_*_new in op/). */
int ex_plan_physical(ex_op **out, const plan_node *root, ex_ctx *ctx, fl_error *err);

/* Operator constructors (one file each in op/). Each compiles its
 * expressions against its children's output bindings. */
int ex_scan_new(ex_op **out, const plan_node *get, ex_ctx *ctx, fl_error *err);          /* PLAN_GET */
int ex_table_fn_new(ex_op **out, const plan_node *node, ex_ctx *ctx, fl_error *err);    /* PLAN_TABLE_FUNCTION */
int ex_filter_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_project_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_hash_join_new(ex_op **out, const plan_node *node, ex_op *left, ex_op *right, ex_ctx *ctx,
                     fl_error *err);
/* Joins without equality conditions (cross product, inequality joins):
 * nested loop over a materialized right side. */
int ex_nl_join_new(ex_op **out, const plan_node *node, ex_op *left, ex_op *right, ex_ctx *ctx,
                   fl_error *err);
int ex_hash_agg_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_window_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_order_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_topn_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_limit_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
int ex_distinct_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);
/* SETOP (joinagg, op/setop.c) is a TWO-INPUT SINK + source (ex_pipeline.c's
 * "sink + get_data" shape): both children's pipelines end in it, one sink
 * global state, finalize once after the last of them; then it is the source
 * of the next pipeline (parallel get_data). The sink need not know which
 * child a chunk came from: for INTERSECT / EXCEPT / UNION the op's children
 * are internal SETOP_SIDE streaming operators (execute only) over the given
 * children, appending the side as a last column. UNION ALL materializes both
 * inputs the same way.
 * RIGHT/FULL hash joins (joinagg, op/hash_join.c) also have source
 * callbacks: the follower pipeline (join as source, same operators above,
 * same sink) emits the build rows that never matched, left columns NULL;
 * other join types have no source callbacks. */
int ex_setop_new(ex_op **out, const plan_node *node, ex_op *left, ex_op *right, ex_ctx *ctx,
                 fl_error *err);
int ex_values_new(ex_op **out, const plan_node *node, ex_ctx *ctx, fl_error *err);       /* VALUES, DUMMY_SCAN, EMPTY */
int ex_cte_new(ex_op **out, const plan_node *node, ex_op *def, ex_op *query, ex_ctx *ctx,
               fl_error *err);                                                      /* CTE_MATERIALIZE */
int ex_cte_scan_new(ex_op **out, const plan_node *node, ex_ctx *ctx, fl_error *err);
int ex_insert_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err);

/* ---------------------------------------------------------------- results */

/* Runs the plan rooted at root to completion, collecting its rows: a
 * result collector sink keeping chunks in order (ORDER BY order is kept:
 * ordered sources are single-threaded at the top). On cancel:
 * FLOE_ECANCELED. */
typedef struct ex_result {
    fl_type *types;
    uint32_t col_count;
    ex_chunk *chunks;             /* in order, each <= EX_CHUNK_ROWS rows */
    size_t chunk_count;
    int64_t row_count;
} ex_result;

int ex_run(ex_result *out, ex_op *root, ex_ctx *ctx, fl_error *err);

/* EXPLAIN of the physical plan: one operator per line, indented. */
int ex_explain(fl_buf *out, const ex_op *root, fl_error *err);

#endif
