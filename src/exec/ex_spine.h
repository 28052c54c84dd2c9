/*
 * ex_spine.h: what the planner, the pipeline runner and the spine's
 * operators (src/exec/op/{filter,project,limit,values,cte,nl_join}.c)
 * share inside src/exec. Not a contract for other layers: use op.h.
 */
#ifndef EX_SPINE_H
#define EX_SPINE_H

#include <pthread.h>

#include "op.h"

/* A buffer of chunks filled by parallel sinks (result collector, CTE
 * materialization, nested loop join's right side): each thread appends
 * copies to its local part (in its thread arena, which lives as long as the
 * query); combine moves the part's chunks to the global list. Chunks hold
 * up to EX_CHUNK_ROWS rows. */
typedef struct ex_buffer {
    pthread_mutex_t lock;
    ex_chunk *chunks;
    size_t count, cap;
    int64_t rows;
    size_t max_chunk_rows;
    const fl_type *types;
    uint32_t col_count;
} ex_buffer;

typedef struct ex_buffer_local {
    fl_arena *arena;
    ex_chunk *chunks;
    size_t count, cap;
} ex_buffer_local;

int ex_buffer_new(ex_buffer **out, const fl_type *types, uint32_t col_count, ex_ctx *ctx,
                  fl_error *err);
int ex_buffer_local_new(ex_buffer_local **out, fl_arena *thread_arena, fl_error *err);
/* Copies in's rows (strings too) to the local part. CAN run in parallel. */
int ex_buffer_append(ex_buffer_local *l, const ex_buffer *g, const ex_chunk *in, fl_error *err);
/* Moves the local part's chunks to the global list (locks; the list is
 * heap memory, so combine never allocates in the shared query arena). */
int ex_buffer_combine(ex_buffer *g, ex_buffer_local *l, fl_error *err);

/* Runs every pipeline of the tree rooted at root, whose output goes into
 * `sink` (an ex_op with sink callbacks; ex_run passes its collector). */
int ex_run_pipelines(ex_op *root, ex_op *sink, ex_ctx *ctx, fl_error *err);

/* Points a CTE scan (ex_cte_scan_new) at the CTE_MATERIALIZE operator
 * whose buffer it reads; the physical planner calls it. */
void ex_cte_scan_link(ex_op *scan, ex_op *cte);
/* The number of chunks a CTE scan will hand out (its CTE is materialized
 * before the scan's pipeline starts); SIZE_MAX for any other operator. */
size_t ex_cte_scan_chunks(const ex_op *op);

/* A new operator in ctx->arena: vt, node, output types copied from the
 * node's plan_node_outputs (or from `types` when not NULL), children. */
int ex_op_alloc(ex_op **out, const ex_op_vtable *vt, const plan_node *node, const fl_type *types,
                uint32_t col_count, ex_op **children, uint32_t child_count, ex_ctx *ctx,
                fl_error *err);

/* The output bindings of a logical node (plan_node_outputs in ctx->arena). */
int ex_node_layout(const plan_node *node, ex_ctx *ctx, plan_binding **bindings, fl_type **types,
                   uint32_t *count, fl_error *err);

#endif
