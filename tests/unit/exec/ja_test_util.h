/*
 * ja_test_util.h: helpers for the hashing operators' tests: a test source
 * operator handing out prepared chunks (in parallel), plan node and
 * expression builders, an execution context, and reading result values.
 */
#ifndef JA_TEST_UTIL_H
#define JA_TEST_UTIL_H

#include "../../../src/exec/op.h"
#include "../../../src/func/func.h"

typedef struct ja_env {
    fl_arena *arena;
    fl_pool *pool;
    ex_ctx ctx;
    fl_error err;
} ja_env;

void ja_env_init(ja_env *env, int threads);
void ja_env_dispose(ja_env *env);

/* A table of rows held as chunks (each <= EX_CHUNK_ROWS rows). */
typedef struct ja_table {
    uint32_t col_count;
    fl_type *types;
    ex_chunk *chunks;
    size_t chunk_count, cap;
    size_t rows;
    uint32_t table_index;       /* its bindings: {table_index, i} */
} ja_table;

void ja_table_init(ja_table *t, fl_arena *a, const fl_type *types, uint32_t col_count,
                   uint32_t table_index);
/* Appends one row: values[i] (is_null honored; strings copied). */
void ja_table_add(ja_table *t, fl_arena *a, const fl_value *values);
/* The value of row r, column c (strings borrowed). */
void ja_table_get(const ja_table *t, size_t r, uint32_t c, fl_value *out);
/* The same for an integer column: the value, *null (may be NULL) whether
 * it is NULL. */
int64_t ja_table_i64(const ja_table *t, size_t r, uint32_t c, bool *null);

/* A PLAN_VALUES node standing for the table (only its bindings are used),
 * and a source operator emitting the table's chunks (parallel morsels). */
plan_node *ja_table_node(const ja_table *t, fl_arena *a);
ex_op *ja_table_op(const ja_table *t, const plan_node *node, fl_arena *a);

/* A streaming operator passing its input through unchanged. */
ex_op *ja_pass_op(ex_op *child, fl_arena *a);

plan_expr *ja_colref(fl_arena *a, uint32_t table, uint32_t column, fl_type type);
plan_expr *ja_agg(fl_arena *a, const char *name, plan_expr *arg, bool distinct, plan_expr *filter);

/* Result access: row r of the flattened result. */
void ja_result_get(const ex_result *res, size_t r, uint32_t c, fl_value *out);

fl_value ja_i64(int64_t v);
fl_value ja_null(fl_type t);
fl_value ja_str(const char *s);
fl_value ja_bool(bool b);

/* xorshift random numbers (deterministic per seed). */
uint64_t ja_rand(void);
void ja_seed(uint64_t seed);

/* Compares two values for equality, NULL = NULL. */
bool ja_value_eq(const fl_value *a, const fl_value *b);

#endif
