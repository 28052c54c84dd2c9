/*
 * dict_test_util.h: what the dictionary-vector tests (test_expr_dict.c,
 * test_dictrev_expr.c) build their chunks and expressions from: a string
 * column of entries, a chunk of (x int, s dictionary vector), hand-built
 * bound expressions over x and s (bindings {9, 0} and {9, 1}), an
 * expression state, and rows rendered as text ("NULL", t/f, numbers).
 */
#ifndef DICT_TEST_UTIL_H
#define DICT_TEST_UTIL_H

#include "../../../src/exec/op.h"

#define DT_I32 fl_type_make(FL_TYPE_INT32)
#define DT_STR fl_type_make(FL_TYPE_STRING)
#define DT_BOOL fl_type_make(FL_TYPE_BOOL)

/* A string column of the entries (NULL where ents[i] is NULL). */
fl_column *dt_strings(fl_arena *a, const char *const *ents, size_t n);
/* A chunk of n rows: column 0 x (int, flat: x[i], or i when x is NULL),
 * column 1 the dictionary vector (values, idx, id). */
void dt_dict_chunk(ex_chunk *d, fl_arena *a, fl_column *values, uint64_t id, const uint32_t *idx,
                   const int32_t *x, size_t n);
/* The same rows with column 1 flattened. */
void dt_flat_copy(ex_chunk *f, fl_arena *a, const ex_chunk *d);

plan_expr *dt_col_x(fl_arena *a);
plan_expr *dt_col_s(fl_arena *a);
plan_expr *dt_int(fl_arena *a, int64_t n);     /* integer */
plan_expr *dt_big(fl_arena *a, int64_t n);     /* bigint (substr positions) */
plan_expr *dt_str(fl_arena *a, const char *s);
/* A call of scalar function `name` bound to the arguments' types (no
 * implicit casts: give arguments of the types the function takes). */
plan_expr *dt_call(fl_arena *a, const char *name, plan_expr **args, uint32_t n);
plan_expr *dt_call1(fl_arena *a, const char *name, plan_expr *x);
plan_expr *dt_call2(fl_arena *a, const char *name, plan_expr *l, plan_expr *r);

/* A compiled expression's state over the (x, s) chunk layout. */
ex_expr_state *dt_state(const plan_expr *e, fl_arena *a);
/* Rows [0, n) of v as "v0,v1,...". */
void dt_render(char *buf, size_t cap, const ex_vector *v, size_t n);

#endif
