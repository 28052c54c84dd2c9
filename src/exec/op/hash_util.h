/*
 * hash_util.h: helpers shared by the hashing operators (hash_join.c,
 * hash_agg.c, distinct.c, setop.c, window.c): expression lists that read
 * plain column references straight from the input chunk and compile the
 * rest, copying rows into output chunks, and per-thread arenas that live as
 * long as the query (thread-local hash tables are merged after the thread's
 * pipeline ends, so they cannot live in a per-pipeline thread arena).
 */
#ifndef EX_HASH_UTIL_H
#define EX_HASH_UTIL_H

#include <pthread.h>

#include "../op.h"

/* ---------------------------------------------------------------- expression lists */

typedef struct ja_exprs {
    uint32_t count;
    int32_t *col;              /* >= 0: input column read directly (COLREF) */
    ex_expr **x;               /* else the compiled expression */
    fl_type *types;
} ja_exprs;

typedef struct ja_exprs_state {
    ex_expr_state **st;
} ja_exprs_state;

int ja_exprs_compile(ja_exprs *out, plan_expr *const *exprs, uint32_t count,
                     const plan_binding *bindings, uint32_t binding_count, fl_arena *arena,
                     fl_error *err);
int ja_exprs_state_init(ja_exprs_state *st, const ja_exprs *x, fl_arena *thread_arena,
                        fl_error *err);
/* out[i] = expression i over in's rows (computed ones in out_arena). A
 * column read directly is passed as it is: dictionary vectors only reach
 * operators that take them (op.h). */
int ja_exprs_eval(const ja_exprs *x, ja_exprs_state *st, const ex_chunk *in, ex_vector *out,
                  fl_arena *out_arena, fl_error *err);
/* The same, computed expressions may answer with dictionary vectors
 * (ex_expr_eval_dict). */
int ja_exprs_eval_dict(const ja_exprs *x, ja_exprs_state *st, const ex_chunk *in, ex_vector *out,
                       fl_arena *out_arena, fl_error *err);
/* Flattens the dictionary vectors among v[0..count) (rows rows) into arena. */
int ja_flatten_dicts(ex_vector *v, uint32_t count, size_t rows, fl_arena *arena, fl_error *err);

/* The output bindings and types of a logical node (plan_node_outputs). */
int ja_node_outputs(const plan_node *node, fl_arena *arena, plan_binding **bindings,
                    fl_type **types, uint32_t *count, fl_error *err);

/* ---------------------------------------------------------------- output */

/* Copies rows sel[0..n) (or 0..n) of src into dst rows [dst_off, dst_off+n)
 * (flat, grown if needed; strings borrowed from src). Nested types go row
 * by row through ex_column_copy_row. */
int ja_gather(fl_column *dst, size_t dst_off, const ex_vector *src, const uint32_t *sel,
              size_t n, fl_error *err);
/* Sets rows [off, off+n) of dst NULL. */
int ja_set_null(fl_column *dst, size_t off, size_t n, fl_error *err);
/* Makes every column of out flat, len = count, and sets out->count. */
void ja_chunk_finish(ex_chunk *out, size_t count);
/* A chunk with the given types and EX_CHUNK_ROWS rows of room. */
int ja_chunk_new(ex_chunk *c, fl_arena *arena, const fl_type *types, uint32_t col_count,
                 fl_error *err);

/* A deep copy of src (flat columns, strings copied) in arena a. */
int ja_chunk_copy(ex_chunk *dst, const ex_chunk *src, fl_arena *a, fl_error *err);

/* ---------------------------------------------------------------- per-thread arenas */

typedef struct ja_arenas {
    pthread_mutex_t mu;
    fl_arena **list;
    size_t count, cap;
} ja_arenas;

/* Registers the cleanup on query_arena (single threaded: global state setup). */
int ja_arenas_init(ja_arenas *a, fl_arena *query_arena, fl_error *err);
/* A new arena living until the query arena is reset. CAN run in parallel. */
int ja_arenas_new(ja_arenas *a, fl_arena **out, fl_error *err);

/* The hash aggregate (hash_agg.c) of a PLAN_AGGREGATE node whose input is
 * the union of several operators with the layout of node->children[0]
 * (every one of them sinks into it: DISTINCT, set operations); name, if
 * not NULL, replaces "HASH_GROUP_BY" in EXPLAIN. */
int ja_hash_agg_new_inputs(ex_op **out, const plan_node *node, ex_op *const *children,
                           uint32_t child_count, const char *name, ex_ctx *ctx, fl_error *err);

/* First error of parallel tasks. */
typedef struct ja_task_error {
    pthread_mutex_t mu;
    int rc;
    fl_error err;
} ja_task_error;
void ja_task_error_init(ja_task_error *te);
void ja_task_error_set(ja_task_error *te, int rc, const fl_error *err);
/* Returns te's code, copying its message into err. */
int ja_task_error_take(ja_task_error *te, fl_error *err);

#endif
