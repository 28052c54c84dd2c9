/*
 * order_int.h: what ORDER BY (order.c) and TOPN (topn.c) share: the
 * compiled sort keys over the child's chunk and a per-thread row buffer
 * that both operators fill in their sinks, sort into runs and merge in
 * finalize. Private to src/exec/op.
 *
 * Sort keys that are plain column references sort the child's column in
 * place; other key expressions are evaluated per chunk and kept as extra
 * buffer columns after the child's (not emitted).
 */
#ifndef EX_ORDER_INT_H
#define EX_ORDER_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "../op.h"
#include "../sort.h"

typedef struct ex_order_cfg {
    uint32_t child_cols;       /* payload: the child's columns (emitted) */
    uint32_t buf_cols;         /* child_cols + extra key columns */
    fl_type *buf_types;
    ex_sort_key *keys;         /* cols index the buffer */
    uint32_t key_count;
    ex_expr **extra;           /* compiled key expressions, buf_cols - child_cols */
    int64_t limit, offset;     /* TOPN: rows kept = limit + offset; ORDER: limit -1 */
} ex_order_cfg;

typedef struct ex_order_global {
    pthread_mutex_t lock;
    ex_sort_run *runs;
    uint32_t run_count, run_cap;
    ex_sort_ref *refs;         /* after finalize: the order to emit */
    size_t ref_begin, ref_end;
} ex_order_global;

typedef struct ex_order_local {
    fl_arena *arena;           /* the buffer (a child of the query arena) */
    fl_arena *spare;           /* TOPN: compaction target, swapped with arena */
    fl_arena *scratch;         /* key expression results, reset per chunk */
    ex_rowbuf buf;
    ex_expr_state **states;
    ex_vector *vecs;           /* buf_cols vectors for one append */
    size_t kept_max;           /* TOPN: compact above this many rows (0: never) */
} ex_order_local;

/* Fills op (types = child's) and its cfg from orders over node's child. */
int ex_order_setup(ex_op *op, const ex_op_vtable *vt, const plan_node *node, ex_op *child,
                   const plan_order *orders, uint32_t order_count, int64_t limit,
                   int64_t offset, ex_ctx *ctx, fl_error *err);

/* Shared callbacks (sink side and source side). */
int ex_order_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err);
int ex_order_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                        void **lstate, fl_error *err);
int ex_order_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                  fl_error *err);
int ex_order_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err);
int ex_order_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err);
int ex_order_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err);
int ex_order_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                      ex_source_result *res, fl_error *err);
int ex_order_explain(const ex_op *op, fl_buf *out, fl_error *err);

#endif
