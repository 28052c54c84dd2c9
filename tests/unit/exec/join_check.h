/*
 * join_check.h: the hash join tests' reference check, shared by
 * test_hash_join.c and test_join_right.c: random sides of (k int64, s
 * string, v int64) with NULL and duplicate keys, a PLAN_JOIN node over them
 * (k = k, optionally a string key and l.v < r.v), the join run through the
 * pipeline runner (ex_run), and a naive nested loop giving the expected rows
 * for every join type (INNER, LEFT, RIGHT, FULL, SEMI, ANTI, MARK, SINGLE,
 * RIGHT_SEMI, RIGHT_ANTI). Rows are compared as sorted text.
 */
#ifndef JOIN_CHECK_H
#define JOIN_CHECK_H

#include "../../../src/base/buf.h"
#include "ja_test_util.h"

/* How a side's random rows look. */
typedef struct jc_profile {
    int key_null_every;        /* k is NULL in 1 row of this many */
    int str_null_every;        /* s is NULL in 1 row of this many */
    const char *const *words;  /* s is one of these */
    size_t word_count;
    uint64_t v_range;          /* v in [0, v_range) */
} jc_profile;

/* The profile of test_hash_join.c (k NULL 1/12, s NULL 1/8, five words, v < 100). */
extern const jc_profile jc_default_profile;

/* Appends n random rows (k in [0, krange)) to a new table t with bindings
 * {index, 0..2}. */
void jc_make_side(ja_table *t, fl_arena *a, const jc_profile *p, size_t n, uint64_t krange,
                  uint32_t index);

typedef enum jc_string_key {
    JC_STRING_NONE,
    JC_STRING_NOT_DISTINCT,    /* then l.s IS NOT DISTINCT FROM r.s */
    JC_STRING_EQ_FIRST         /* l.s = r.s first, then k = k: the join hashes the integer alone */
} jc_string_key;

typedef struct jc_spec {
    plan_join_type type;
    jc_string_key string_key;
    bool inequality;           /* add l.v < r.v */
} jc_spec;

/* Sorted-text row sets. */
typedef struct jc_rowset {
    char **rows;
    size_t count, cap;
} jc_rowset;

void jc_rowset_sort(jc_rowset *s);
void jc_rowset_free(jc_rowset *s);
/* The rows of a result, and the rows the naive loop expects. */
void jc_result_rows(const ex_result *res, jc_rowset *out);
void jc_naive_join(const ja_table *l, const ja_table *r, const jc_spec *s, jc_rowset *out);

/* Builds the join node and runs the hash join (under a pass-through
 * operator) into res. */
int jc_run_join(ja_env *env, const ja_table *l, const ja_table *r, const jc_spec *s,
                ex_result *res);

/* Makes an ln-row left side (keys beyond the build's range too) and an
 * rn-row right side of profile p, runs the join on `threads` threads and
 * the naive loop, checks the output column count; returns the number of
 * differing rows (printing the case when not 0). */
size_t jc_check_join(int threads, size_t ln, size_t rn, uint64_t krange, const jc_spec *s,
                     const jc_profile *p);

#endif
