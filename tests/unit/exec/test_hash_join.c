/*
 * test_hash_join.c: the hash join (op/hash_join.c) through the pipeline
 * runner (ex_run) against a naive nested loop, for every join type, on
 * random data with NULL and duplicate keys: one int key, int + string keys
 * with IS NOT DISTINCT FROM, an extra inequality condition, empty sides,
 * one and two threads; SINGLE's error on a second match; and the
 * throughput of a 719k x 18k join.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../../src/base/alloc.h"
#include "ja_test_util.h"

static const char *words[] = {"web", "store", "catalog", "", "a much longer string key"};

/* (k int64 NULL 1/12, s string NULL 1/8, v int64) */
static void make_side(ja_table *t, fl_arena *a, size_t n, uint64_t krange, uint32_t index)
{
    fl_type types[3] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_INT64)};
    ja_table_init(t, a, types, 3, index);
    for (size_t i = 0; i < n; i++) {
        fl_value row[3];
        row[0] = ja_rand() % 12 == 0 ? ja_null(types[0]) : ja_i64((int64_t)(ja_rand() % krange));
        row[1] = ja_rand() % 8 == 0 ? ja_null(types[1]) : ja_str(words[ja_rand() % 5]);
        row[2] = ja_i64((int64_t)(ja_rand() % 100));
        ja_table_add(t, a, row);
    }
}

typedef struct jspec {
    plan_join_type type;
    bool string_key;        /* add s IS NOT DISTINCT FROM s */
    bool inequality;        /* add l.v < r.v */
} jspec;

static bool naive_match(const ja_table *l, size_t i, const ja_table *r, size_t j, const jspec *s)
{
    fl_value a, b;
    ja_table_get(l, i, 0, &a);
    ja_table_get(r, j, 0, &b);
    if (a.is_null || b.is_null || a.v.i64 != b.v.i64) return false;
    if (s->string_key) {
        ja_table_get(l, i, 1, &a);
        ja_table_get(r, j, 1, &b);
        if (!ja_value_eq(&a, &b)) return false;
    }
    if (s->inequality) {
        ja_table_get(l, i, 2, &a);
        ja_table_get(r, j, 2, &b);
        if (!(a.v.i64 < b.v.i64)) return false;
    }
    return true;
}

static void put_value(fl_buf *b, const fl_value *v)
{
    if (v->is_null) fl_buf_append_str(b, "N|");
    else if (v->type.id == FL_TYPE_STRING) fl_buf_appendf(b, "s%.*s|", (int)v->v.s.len, v->v.s.ptr);
    else if (v->type.id == FL_TYPE_BOOL) fl_buf_appendf(b, "b%d|", v->v.b);
    else fl_buf_appendf(b, "%lld|", (long long)v->v.i64);
}

static void put_side(fl_buf *b, const ja_table *t, size_t r)
{
    for (uint32_t c = 0; c < t->col_count; c++) {
        fl_value v;
        if (r == SIZE_MAX) v = ja_null(t->types[c]);
        else ja_table_get(t, r, c, &v);
        put_value(b, &v);
    }
}

typedef struct rowset {
    char **rows;
    size_t count, cap;
} rowset;

static void rowset_add(rowset *s, fl_buf *b)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->rows = fl_realloc(s->rows, s->cap * sizeof *s->rows);
    }
    s->rows[s->count++] = fl_strdup(fl_buf_cstr(b));
    fl_buf_reset(b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rowset_sort(rowset *s)
{
    if (s->count > 1) qsort(s->rows, s->count, sizeof *s->rows, cmp_str);
}

static void rowset_free(rowset *s)
{
    for (size_t i = 0; i < s->count; i++) fl_free(s->rows[i]);
    fl_free(s->rows);
}

static void naive_join(const ja_table *l, const ja_table *r, const jspec *s, rowset *out)
{
    fl_buf b;
    fl_buf_init(&b);
    bool *rmatched = fl_calloc(r->rows + 1, 1);
    bool build_null = false;
    for (size_t j = 0; j < r->rows; j++) {
        fl_value k;
        ja_table_get(r, j, 0, &k);
        build_null |= k.is_null;
    }
    for (size_t i = 0; i < l->rows; i++) {
        size_t matches = 0, last = 0;
        for (size_t j = 0; j < r->rows; j++) {
            if (!naive_match(l, i, r, j, s)) continue;
            matches++;
            last = j;
            rmatched[j] = true;
            if (s->type == PLAN_JOIN_INNER || s->type == PLAN_JOIN_LEFT ||
                s->type == PLAN_JOIN_RIGHT || s->type == PLAN_JOIN_FULL) {
                put_side(&b, l, i);
                put_side(&b, r, j);
                rowset_add(out, &b);
            }
        }
        switch (s->type) {
        case PLAN_JOIN_LEFT:
        case PLAN_JOIN_FULL:
            if (matches) break;
            put_side(&b, l, i);
            put_side(&b, r, SIZE_MAX);
            rowset_add(out, &b);
            break;
        case PLAN_JOIN_SEMI:
        case PLAN_JOIN_ANTI:
            if ((matches > 0) != (s->type == PLAN_JOIN_SEMI)) break;
            put_side(&b, l, i);
            rowset_add(out, &b);
            break;
        case PLAN_JOIN_MARK: {
            fl_value k;
            ja_table_get(l, i, 0, &k);
            put_side(&b, l, i);
            if (matches) fl_buf_append_str(&b, "b1|");
            else if (r->rows && (k.is_null || build_null)) fl_buf_append_str(&b, "N|");
            else fl_buf_append_str(&b, "b0|");
            rowset_add(out, &b);
            break;
        }
        case PLAN_JOIN_SINGLE:
            put_side(&b, l, i);
            put_side(&b, r, matches ? last : SIZE_MAX);
            rowset_add(out, &b);
            break;
        default:
            break;
        }
    }
    if (s->type == PLAN_JOIN_RIGHT || s->type == PLAN_JOIN_FULL)
        for (size_t j = 0; j < r->rows; j++) {
            if (rmatched[j]) continue;
            put_side(&b, l, SIZE_MAX);
            put_side(&b, r, j);
            rowset_add(out, &b);
        }
    fl_free(rmatched);
    fl_buf_dispose(&b);
}

static plan_node *join_node(fl_arena *a, const ja_table *l, const ja_table *r, const jspec *s)
{
    plan_node *n = fl_arena_calloc(a, sizeof *n);
    n->kind = PLAN_JOIN;
    n->children = fl_arena_alloc(a, 2 * sizeof *n->children);
    n->children[0] = ja_table_node(l, a);
    n->children[1] = ja_table_node(r, a);
    n->child_count = 2;
    n->u.join.type = s->type;
    n->u.join.mark_index = 99;
    plan_join_cond *conds = fl_arena_calloc(a, 3 * sizeof *conds);
    uint32_t nc = 0;
    conds[nc].left = ja_colref(a, l->table_index, 0, l->types[0]);
    conds[nc].right = ja_colref(a, r->table_index, 0, r->types[0]);
    conds[nc++].cmp = PLAN_CMP_EQ;
    if (s->string_key) {
        conds[nc].left = ja_colref(a, l->table_index, 1, l->types[1]);
        conds[nc].right = ja_colref(a, r->table_index, 1, r->types[1]);
        conds[nc++].cmp = PLAN_CMP_NOT_DISTINCT;
    }
    if (s->inequality) {
        conds[nc].left = ja_colref(a, l->table_index, 2, l->types[2]);
        conds[nc].right = ja_colref(a, r->table_index, 2, r->types[2]);
        conds[nc++].cmp = PLAN_CMP_LT;
    }
    n->u.join.conds = conds;
    n->u.join.cond_count = nc;
    return n;
}

static int run_join(ja_env *env, const ja_table *l, const ja_table *r, const jspec *s,
                    ex_result *res)
{
    plan_node *node = join_node(env->arena, l, r, s);
    ex_op *lop = ja_table_op(l, node->children[0], env->arena);
    ex_op *rop = ja_table_op(r, node->children[1], env->arena);
    ex_op *op;
    int rc = ex_hash_join_new(&op, node, lop, rop, &env->ctx, &env->err);
    if (rc < 0) return rc;
    /* an operator above the join: the RIGHT/FULL follower pipeline copies
     * the operators above (ex_pipeline.c fails on none) */
    return ex_run(res, ja_pass_op(op, env->arena), &env->ctx, &env->err);
}

static void result_rows(const ex_result *res, rowset *out)
{
    fl_buf b;
    fl_buf_init(&b);
    for (size_t r = 0; r < (size_t)res->row_count; r++) {
        for (uint32_t c = 0; c < res->col_count; c++) {
            fl_value v;
            ja_result_get(res, r, c, &v);
            put_value(&b, &v);
        }
        rowset_add(out, &b);
    }
    fl_buf_dispose(&b);
}

/* Runs the join and the naive loop; returns the number of differing rows. */
static size_t check_join(int threads, size_t ln, size_t rn, uint64_t krange, const jspec *s)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_table l, r;
    make_side(&l, env.arena, ln, krange * 3 / 2 + 1, 1);   /* probe keys beyond the build range */
    make_side(&r, env.arena, rn, krange, 2);
    ex_result res;
    size_t diff = 1;
    if (CHECK_OK(run_join(&env, &l, &r, s, &res), &env.err)) {
        rowset got = {0}, want = {0};
        result_rows(&res, &got);
        naive_join(&l, &r, s, &want);
        rowset_sort(&got);
        rowset_sort(&want);
        diff = got.count > want.count ? got.count - want.count : want.count - got.count;
        for (size_t i = 0; i < got.count && i < want.count; i++)
            if (strcmp(got.rows[i], want.rows[i]) != 0) diff++;
        if (diff)
            printf("join type %d (string %d, ineq %d, %zux%zu, %d threads): %zu rows, want %zu\n",
                   s->type, s->string_key, s->inequality, ln, rn, threads, got.count, want.count);
        rowset_free(&got);
        rowset_free(&want);
    }
    ja_env_dispose(&env);
    return diff;
}

static const plan_join_type all_types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                           PLAN_JOIN_FULL,  PLAN_JOIN_SEMI, PLAN_JOIN_ANTI,
                                           PLAN_JOIN_MARK};

TEST(hash_join_every_type_int_key)
{
    ja_seed(11);
    for (size_t i = 0; i < FL_ARRAY_SIZE(all_types); i++) {
        jspec s = {all_types[i], false, false};
        CHECK_EQ(check_join(1, 3000, 500, 300, &s), 0);
        CHECK_EQ(check_join(2, 3000, 500, 300, &s), 0);
    }
}

TEST(hash_join_string_not_distinct_and_inequality)
{
    ja_seed(12);
    for (size_t i = 0; i < FL_ARRAY_SIZE(all_types); i++) {
        if (all_types[i] == PLAN_JOIN_MARK) continue;   /* IN semantics: one key, no residual */
        jspec s = {all_types[i], true, false};
        CHECK_EQ(check_join(2, 2500, 300, 60, &s), 0);
        jspec s2 = {all_types[i], false, true};
        CHECK_EQ(check_join(2, 2500, 300, 60, &s2), 0);
        jspec s3 = {all_types[i], true, true};
        CHECK_EQ(check_join(1, 2500, 300, 30, &s3), 0);
    }
}

TEST(hash_join_empty_sides)
{
    ja_seed(13);
    for (size_t i = 0; i < FL_ARRAY_SIZE(all_types); i++) {
        jspec s = {all_types[i], false, false};
        CHECK_EQ(check_join(2, 0, 500, 50, &s), 0);
        CHECK_EQ(check_join(2, 500, 0, 50, &s), 0);
        CHECK_EQ(check_join(1, 0, 0, 50, &s), 0);
    }
}

TEST(hash_join_many_duplicates)
{
    /* few keys: long chains, several output chunks per probe chunk */
    ja_seed(14);
    jspec s = {PLAN_JOIN_INNER, false, false};
    CHECK_EQ(check_join(2, 2500, 90, 3, &s), 0);
    jspec f = {PLAN_JOIN_FULL, false, true};
    CHECK_EQ(check_join(2, 2500, 90, 3, &f), 0);
}

TEST(hash_join_single)
{
    ja_seed(15);
    /* unique build keys: every probe row once, with its match or NULLs */
    ja_env env;
    ja_env_init(&env, 2);
    ja_table l, r;
    make_side(&l, env.arena, 3000, 500, 1);
    fl_type types[3] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_INT64)};
    ja_table_init(&r, env.arena, types, 3, 2);
    for (int64_t k = 0; k < 300; k += 1) {
        fl_value row[3] = {ja_i64(k * 2), ja_str("x"), ja_i64(k)};
        ja_table_add(&r, env.arena, row);
    }
    jspec s = {PLAN_JOIN_SINGLE, false, false};
    ex_result res;
    CHECK_OK(run_join(&env, &l, &r, &s, &res), &env.err);
    rowset got = {0}, want = {0};
    result_rows(&res, &got);
    naive_join(&l, &r, &s, &want);
    CHECK_EQ(got.count, 3000);
    CHECK_EQ(got.count, want.count);
    rowset_sort(&got);
    rowset_sort(&want);
    int bad = 0;
    for (size_t i = 0; i < got.count && i < want.count; i++) bad += strcmp(got.rows[i], want.rows[i]) != 0;
    CHECK_EQ(bad, 0);
    rowset_free(&got);
    rowset_free(&want);
    /* a duplicate build key that a probe row matches: error 21000 */
    fl_value dup[3] = {ja_i64(4), ja_str("y"), ja_i64(1)};
    ja_table_add(&r, env.arena, dup);
    fl_value probe[3] = {ja_i64(4), ja_str("p"), ja_i64(0)};
    ja_table_add(&l, env.arena, probe);
    CHECK_EQ(run_join(&env, &l, &r, &s, &res), FLOE_EINVAL);
    CHECK_STR(env.err.sqlstate, "21000");
    CHECK_STR(env.err.message, "more than one row returned by a subquery used as an expression");
    ja_env_dispose(&env);
}

static double join_bench(int threads, size_t probe_rows, size_t build_rows, int64_t *count,
                         double *cpu)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(16);
    fl_type types[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_INT64)};
    ja_table l, r;
    ja_table_init(&l, env.arena, types, 2, 1);
    ja_table_init(&r, env.arena, types, 2, 2);
    for (size_t i = 0; i < build_rows; i++) {
        fl_value row[2] = {ja_i64((int64_t)i), ja_i64((int64_t)i * 3)};
        ja_table_add(&r, env.arena, row);
    }
    for (size_t i = 0; i < probe_rows; i++) {
        fl_value row[2] = {ja_i64((int64_t)(ja_rand() % (build_rows * 5 / 4))), ja_i64((int64_t)i)};
        ja_table_add(&l, env.arena, row);
    }
    plan_node *node = fl_arena_calloc(env.arena, sizeof *node);
    node->kind = PLAN_JOIN;
    node->children = fl_arena_alloc(env.arena, 2 * sizeof *node->children);
    node->children[0] = ja_table_node(&l, env.arena);
    node->children[1] = ja_table_node(&r, env.arena);
    node->child_count = 2;
    node->u.join.type = PLAN_JOIN_INNER;
    plan_join_cond *cond = fl_arena_calloc(env.arena, sizeof *cond);
    cond->left = ja_colref(env.arena, 1, 0, types[0]);
    cond->right = ja_colref(env.arena, 2, 0, types[0]);
    cond->cmp = PLAN_CMP_EQ;
    node->u.join.conds = cond;
    node->u.join.cond_count = 1;
    /* count(*), sum(right v - 3 * left key) over the join: the probe feeds
     * an aggregate as in a real query (not the result collector) */
    plan_node *agg = fl_arena_calloc(env.arena, sizeof *agg);
    agg->kind = PLAN_AGGREGATE;
    agg->children = fl_arena_alloc(env.arena, sizeof *agg->children);
    agg->children[0] = node;
    agg->child_count = 1;
    plan_expr **aggs = fl_arena_alloc(env.arena, 3 * sizeof *aggs);
    aggs[0] = ja_agg(env.arena, "count_star", NULL, false, NULL);
    aggs[1] = ja_agg(env.arena, "sum", ja_colref(env.arena, 2, 1, types[1]), false, NULL);
    aggs[2] = ja_agg(env.arena, "sum", ja_colref(env.arena, 1, 0, types[0]), false, NULL);
    agg->u.aggregate.aggs = aggs;
    agg->u.aggregate.agg_count = 3;
    agg->u.aggregate.group_index = 10;
    agg->u.aggregate.agg_index = 11;
    ex_op *op, *aop;
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    CHECK_OK(ex_hash_join_new(&op, node, ja_table_op(&l, node->children[0], env.arena),
                              ja_table_op(&r, node->children[1], env.arena), &env.ctx, &env.err),
             &env.err);
    CHECK_OK(ex_hash_agg_new(&aop, agg, op, &env.ctx, &env.err), &env.err);
    ex_result res;
    CHECK_OK(ex_run(&res, aop, &env.ctx, &env.err), &env.err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    if (cpu) *cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    fl_value c, sv, sk;
    ja_result_get(&res, 0, 0, &c);
    ja_result_get(&res, 0, 1, &sv);
    ja_result_get(&res, 0, 2, &sk);
    *count = c.v.i64;
    CHECK_EQ(sv.v.i64, 3 * sk.v.i64);   /* right v = 3 * key on every joined row */
    /* the same join into the result collector (new operators): rows checked */
    CHECK_OK(ex_hash_join_new(&op, node, ja_table_op(&l, node->children[0], env.arena),
                              ja_table_op(&r, node->children[1], env.arena), &env.ctx, &env.err),
             &env.err);
    CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err);
    CHECK_EQ(res.row_count, c.v.i64);
    int bad = 0;
    for (size_t i = 0; i < (size_t)res.row_count; i += 97) {
        fl_value k, v;
        ja_result_get(&res, i, 0, &k);
        ja_result_get(&res, i, 3, &v);
        if (v.v.i64 != 3 * k.v.i64) bad++;
    }
    CHECK_EQ(bad, 0);
    ja_env_dispose(&env);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

TEST(hash_join_throughput)
{
    enum { PROBE = 719000, BUILD = 18000 };
    int64_t c1 = 0, c2 = 0;
    double u1, u2;
    double s1 = join_bench(1, PROBE, BUILD, &c1, &u1);
    double s2 = join_bench(2, PROBE, BUILD, &c2, &u2);
    CHECK_EQ(c1, c2);
    CHECK(c1 > PROBE / 2 && c1 < PROBE);
    printf("hash_join: %d x %d rows (%lld out) into count/sum: 1 thread %.1f M probe rows/s "
           "(%.1f per cpu-s), 2 threads %.1f M probe rows/s (%.1f per cpu-s)\n",
           PROBE, BUILD, (long long)c1, PROBE / s1 / 1e6, PROBE / u1 / 1e6, PROBE / s2 / 1e6,
           PROBE / u2 / 1e6);
}

TEST(hash_join_large_build_parallel_link)
{
    /* >= 65536 build rows: buckets are linked on the pool with atomic prepends */
    int64_t c1 = 0, c2 = 0;
    join_bench(1, 150000, 100000, &c1, NULL);
    join_bench(2, 150000, 100000, &c2, NULL);
    CHECK_EQ(c1, c2);
    CHECK(c1 > 150000 * 7 / 10 && c1 < 150000 * 9 / 10);   /* keys < 100000 of [0, 125000) */
}
