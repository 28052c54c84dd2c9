/*
 * ex_expr_int.h: the compiled form of an expression, shared by the
 * compiler (ex_expr.c) and the evaluator (ex_expr_eval.c). Private to
 * src/exec; operators use op.h.
 *
 * A compiled expression is a flat array of steps in post-order (arguments
 * before the step that uses them; the root is the last step). Each step
 * names its arguments by index, so the evaluator can evaluate a step's
 * subtree on a subset of the rows (CASE branches, the right side of AND/OR,
 * COALESCE fallbacks) by slicing only the input columns that subtree reads
 * (`cols`). Steps whose subtree reads no column and calls nothing volatile
 * are `constant`: each state evaluates them once and keeps the result as a
 * constant vector.
 */
#ifndef EX_EXPR_INT_H
#define EX_EXPR_INT_H

#include "../func/func.h"
#include "op.h"

typedef struct ex_step {
    plan_expr_kind kind;
    fl_type type;
    const char *name;
    uint32_t *args;                 /* step indexes */
    uint32_t arg_count;
    uint32_t *cols;                 /* input columns the subtree reads (sorted, unique) */
    uint32_t col_count;
    int32_t col;                    /* COLREF: input position */
    fl_value value;                 /* CONST */
    const fn_scalar_bound *fn;      /* FUNC */
    bool try_cast;                  /* CAST */
    bool has_else;                  /* CASE */
    bool constant;                  /* foldable once per state */
    bool no_volatile;               /* the subtree calls nothing volatile */
    bool per_entry;                 /* may run per dictionary entry (ex_expr_dict.c):
                                       reads one column, calls nothing volatile, is
                                       not a bare column and has a scalar type */
    bool const_items;               /* IN_LIST: every item is constant (hash probe) */
} ex_step;

struct ex_expr {
    ex_step *steps;
    uint32_t step_count;
    uint32_t root;
    fl_type type;
};

/* A hash set of constant IN-list values, built per state. */
typedef struct ex_in_set {
    fl_value *slots;                /* open addressing; is_null marks an empty slot */
    bool *used;
    size_t mask;
    bool has_null;                  /* a NULL item: non-matches are NULL */
} ex_in_set;

/* A step's values per entry of the dictionary it last ran on
 * (ex_expr_dict.c). */
typedef struct ex_dict_cache {
    uint64_t id;                    /* the dictionary (ex_vector.dict_id) */
    uint64_t res_id;                /* the id of res, a dictionary of its own */
    fl_arena *arena;                /* res and what computing it allocated; reset per id */
    fl_column *res;                 /* per entry: the step's value, where done; its
                                       validity is `validity` once a computed entry is
                                       NULL, else none (readers skip the bit tests) */
    uint8_t *validity;
    uint8_t *done;                  /* per entry: computed */
    size_t entries;
    size_t rows, computed;          /* rows answered from the cache, entries computed */
    bool off;                       /* entries are nearly all distinct: rows instead */
} ex_dict_cache;

struct ex_expr_state {
    const ex_expr *x;
    fl_arena *arena;                /* the thread's arena: lives as long as the state */
    fn_exec_ctx *fctx;              /* per step (FUNC) */
    bool *fn_ready;
    ex_vector *cached;              /* per step: the value of a constant step */
    bool *has_cached;
    ex_in_set **sets;               /* per step (IN_LIST with constant items) */
    ex_dict_cache **dicts;          /* per step (per_entry steps run on dictionaries) */
};

/* Evaluates step idx over all rows of in: *out is flat or constant. */
int ex_eval_step(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                 fl_arena *out_arena, fl_error *err);
/* The same, but *out may be a dictionary vector (a dictionary column of in
 * passed through, or a per_entry step run on a dictionary's entries). */
int ex_eval_step_dict(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                      fl_arena *out_arena, fl_error *err);
/* Evaluates the step's own operation (not its caches) over in's rows. */
int ex_eval_kind(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                 fl_arena *out_arena, fl_error *err);

/* Evaluates step idx on the rows sel[0..n) of in (sel NULL: all rows);
 * row k of *out is row sel[k]. Only the columns the step reads are sliced.
 * The _dict form may answer with a dictionary vector (ex_eval_step_dict). */
int ex_eval_rows(ex_expr_state *st, uint32_t idx, const ex_chunk *in, const uint32_t *sel,
                 size_t n, ex_vector *out, fl_arena *out_arena, fl_error *err);
int ex_eval_rows_dict(ex_expr_state *st, uint32_t idx, const ex_chunk *in, const uint32_t *sel,
                      size_t n, ex_vector *out, fl_arena *out_arena, fl_error *err);

/* dst row pos[k] (pos NULL: k) = src row src_rows[k] (src_rows NULL: k; a
 * constant src: row 0), k in [0, n); dst has validity and src is flat or
 * constant of dst's type (scalar types only). */
int ex_eval_scatter(fl_column *dst, const uint32_t *pos, const uint32_t *src_rows, size_t n,
                    const ex_vector *src, fl_error *err);

/* ex_expr_dict.c: runs a per_entry step whose column is a dictionary
 * vector on the dictionary entries the rows use that the state has not
 * computed yet, and answers with a dictionary vector of the step's values
 * (*done true); *done false when the dictionary's entries are too nearly
 * distinct to pay (the caller evaluates row by row). */
int ex_eval_on_dict(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                    fl_arena *out_arena, bool *done, fl_error *err);

#endif
