/*
 * test_hash_agg.c: the hash aggregate (op/hash_agg.c) through the pipeline
 * runner (ex_run) against naive computation: GROUP BY int and string keys
 * with NULLs, count/sum/min/max, DISTINCT and FILTER, ROLLUP with
 * GROUPING(), global aggregates on empty input, 1M rows into 100k groups on
 * one and two threads, and the throughput of a 719k-row group-by.
 */
#include "../test.h"

#include <stdio.h>
#include <time.h>

#include "../../../src/base/alloc.h"
#include "ja_test_util.h"

static const char *words[] = {"web", "store", "catalog", "", "a much longer string key"};

/* k1 int64 (NULL 1/20), k2 string (NULL 1/15), v int64 (NULL 1/10), f bool */
static void make_input(ja_table *t, fl_arena *a, size_t n, uint64_t k1_range)
{
    fl_type types[4] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_BOOL)};
    ja_table_init(t, a, types, 4, 1);
    for (size_t i = 0; i < n; i++) {
        fl_value row[4];
        row[0] = ja_rand() % 20 == 0 ? ja_null(types[0]) : ja_i64((int64_t)(ja_rand() % k1_range));
        row[1] = ja_rand() % 15 == 0 ? ja_null(types[1])
                                     : ja_str(words[ja_rand() % FL_ARRAY_SIZE(words)]);
        row[2] = ja_rand() % 10 == 0 ? ja_null(types[2]) : ja_i64((int64_t)(ja_rand() % 300) - 100);
        row[3] = ja_bool(ja_rand() % 2);
        ja_table_add(t, a, row);
    }
}

static plan_node *agg_node(fl_arena *a, plan_node *child, plan_expr **groups, uint32_t ng,
                           plan_expr **aggs, uint32_t na)
{
    plan_node *n = fl_arena_calloc(a, sizeof *n);
    n->kind = PLAN_AGGREGATE;
    n->children = fl_arena_alloc(a, sizeof *n->children);
    n->children[0] = child;
    n->child_count = 1;
    n->u.aggregate.groups = groups;
    n->u.aggregate.group_count = ng;
    n->u.aggregate.aggs = aggs;
    n->u.aggregate.agg_count = na;
    n->u.aggregate.group_index = 10;
    n->u.aggregate.agg_index = 11;
    n->u.aggregate.grouping_index = 12;
    return n;
}

static int run_agg(ja_env *env, ja_table *t, plan_node *node, ex_result *res)
{
    plan_node *child = node->children[0];
    ex_op *src = ja_table_op(t, child, env->arena);
    ex_op *op;
    int rc = ex_hash_agg_new(&op, node, src, &env->ctx, &env->err);
    if (rc < 0) return rc;
    return ex_run(res, op, &env->ctx, &env->err);
}

typedef struct naive {
    int64_t count_star, count, sum, min, max, distinct, filtered_sum;
    bool any, any_filtered;
} naive;

static void naive_group(const ja_table *t, const fl_value *k1, const fl_value *k2, bool use_k1,
                        bool use_k2, naive *out)
{
    memset(out, 0, sizeof *out);
    static bool seen[300];
    memset(seen, 0, sizeof seen);
    for (size_t r = 0; r < t->rows; r++) {
        fl_value a, b, v, f;
        ja_table_get(t, r, 0, &a);
        ja_table_get(t, r, 1, &b);
        if (use_k1 && !ja_value_eq(&a, k1)) continue;
        if (use_k2 && !ja_value_eq(&b, k2)) continue;
        ja_table_get(t, r, 2, &v);
        ja_table_get(t, r, 3, &f);
        out->count_star++;
        if (v.is_null) continue;
        out->count++;
        out->sum += v.v.i64;
        if (!out->any || v.v.i64 < out->min) out->min = v.v.i64;
        if (!out->any || v.v.i64 > out->max) out->max = v.v.i64;
        out->any = true;
        if (!seen[v.v.i64 + 100]) out->distinct++;
        seen[v.v.i64 + 100] = true;
        if (f.v.b) {
            out->filtered_sum += v.v.i64;
            out->any_filtered = true;
        }
    }
}

static plan_expr **agg_list(fl_arena *a, ja_table *t, uint32_t *n)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_expr *v = ja_colref(a, 1, 2, i64);
    plan_expr *f = ja_colref(a, 1, 3, fl_type_make(FL_TYPE_BOOL));
    plan_expr **aggs = fl_arena_alloc(a, 7 * sizeof *aggs);
    aggs[0] = ja_agg(a, "count_star", NULL, false, NULL);
    aggs[1] = ja_agg(a, "count", v, false, NULL);
    aggs[2] = ja_agg(a, "sum", v, false, NULL);
    aggs[3] = ja_agg(a, "min", v, false, NULL);
    aggs[4] = ja_agg(a, "max", v, false, NULL);
    aggs[5] = ja_agg(a, "count", v, true, NULL);
    aggs[6] = ja_agg(a, "sum", v, false, f);
    (void)t;
    *n = 7;
    return aggs;
}

/* Checks aggregate columns first_col.. of result row r against the naive group. */
static int check_aggs(const ex_result *res, size_t r, uint32_t first_col, const naive *nv)
{
    int bad = 0;
    fl_value x;
    int64_t expect[7] = {nv->count_star, nv->count, nv->sum, nv->min, nv->max, nv->distinct,
                         nv->filtered_sum};
    bool null_expect[7] = {false, false, !nv->any, !nv->any, !nv->any, false, !nv->any_filtered};
    for (uint32_t k = 0; k < 7; k++) {
        ja_result_get(res, r, first_col + k, &x);
        if (x.is_null != null_expect[k]) bad++;
        else if (!x.is_null && x.v.i64 != expect[k]) bad++;
    }
    return bad;
}

static void group_by_two_keys(int threads)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(42);
    ja_table t;
    make_input(&t, env.arena, 20000, 60);
    plan_node *child = ja_table_node(&t, env.arena);
    plan_expr **groups = fl_arena_alloc(env.arena, 2 * sizeof *groups);
    groups[0] = ja_colref(env.arena, 1, 0, t.types[0]);
    groups[1] = ja_colref(env.arena, 1, 1, t.types[1]);
    uint32_t na;
    plan_expr **aggs = agg_list(env.arena, &t, &na);
    for (uint32_t i = 0; i < na; i++) CHECK(aggs[i] != NULL);
    plan_node *node = agg_node(env.arena, child, groups, 2, aggs, na);
    ex_result res;
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    CHECK_EQ(res.col_count, 9);
    /* one row per distinct (k1, k2), each with the naive aggregates */
    size_t distinct = 0;
    for (size_t r = 0; r < t.rows; r++) {
        fl_value a, b, a2, b2;
        ja_table_get(&t, r, 0, &a);
        ja_table_get(&t, r, 1, &b);
        size_t j = 0;
        for (; j < r; j++) {
            ja_table_get(&t, j, 0, &a2);
            ja_table_get(&t, j, 1, &b2);
            if (ja_value_eq(&a, &a2) && ja_value_eq(&b, &b2)) break;
        }
        distinct += j == r;
    }
    CHECK_EQ(res.row_count, distinct);
    int bad = 0, dup = 0;
    for (size_t r = 0; r < (size_t)res.row_count; r++) {
        fl_value k1, k2;
        ja_result_get(&res, r, 0, &k1);
        ja_result_get(&res, r, 1, &k2);
        naive nv;
        naive_group(&t, &k1, &k2, true, true, &nv);
        if (nv.count_star == 0) bad++;
        bad += check_aggs(&res, r, 2, &nv);
        if (r < 50)
            for (size_t j = 0; j < r; j++) {
                fl_value x1, x2;
                ja_result_get(&res, j, 0, &x1);
                ja_result_get(&res, j, 1, &x2);
                if (ja_value_eq(&x1, &k1) && ja_value_eq(&x2, &k2)) dup++;
            }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(dup, 0);
    ja_env_dispose(&env);
}

TEST(hash_agg_group_by_matches_naive) { group_by_two_keys(1); }
TEST(hash_agg_group_by_two_threads) { group_by_two_keys(2); }

TEST(hash_agg_rollup_and_grouping)
{
    ja_env env;
    ja_env_init(&env, 2);
    ja_seed(7);
    ja_table t;
    make_input(&t, env.arena, 6000, 8);
    plan_node *child = ja_table_node(&t, env.arena);
    plan_expr **groups = fl_arena_alloc(env.arena, 2 * sizeof *groups);
    groups[0] = ja_colref(env.arena, 1, 0, t.types[0]);
    groups[1] = ja_colref(env.arena, 1, 1, t.types[1]);
    uint32_t na;
    plan_expr **aggs = agg_list(env.arena, &t, &na);
    plan_node *node = agg_node(env.arena, child, groups, 2, aggs, na);
    static uint64_t sets[3] = {3, 1, 0};     /* ROLLUP(k1, k2) */
    node->u.aggregate.sets = sets;
    node->u.aggregate.set_count = 3;
    plan_expr *g = fl_arena_calloc(env.arena, sizeof *g);
    g->kind = PLAN_EX_GROUPING;
    g->type = fl_type_make(FL_TYPE_INT64);
    g->args = fl_arena_alloc(env.arena, 2 * sizeof *g->args);
    g->args[0] = ja_colref(env.arena, 10, 0, t.types[0]);
    g->args[1] = ja_colref(env.arena, 10, 1, t.types[1]);
    g->arg_count = 2;
    node->u.aggregate.groupings = &g;
    node->u.aggregate.grouping_count = 1;
    ex_result res;
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    CHECK_EQ(res.col_count, 10);
    int64_t per_set_rows[4] = {0}, per_set_total[4] = {0};
    int bad = 0;
    for (size_t r = 0; r < (size_t)res.row_count; r++) {
        fl_value k1, k2, gv;
        ja_result_get(&res, r, 0, &k1);
        ja_result_get(&res, r, 1, &k2);
        ja_result_get(&res, r, 9, &gv);
        if (gv.is_null || gv.v.i64 < 0 || gv.v.i64 > 3 || gv.v.i64 == 2) {
            bad++;
            continue;
        }
        bool use_k1 = !(gv.v.i64 & 2), use_k2 = !(gv.v.i64 & 1);
        if (!use_k1 && !k1.is_null) bad++;
        if (!use_k2 && !k2.is_null) bad++;
        naive nv;
        naive_group(&t, &k1, &k2, use_k1, use_k2, &nv);
        bad += check_aggs(&res, r, 2, &nv);
        per_set_rows[gv.v.i64]++;
        per_set_total[gv.v.i64] += nv.count_star;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(per_set_rows[3], 1);
    CHECK_EQ(per_set_rows[1], 9);              /* k1 in 0..7 and NULL */
    CHECK_EQ(per_set_total[0], (int64_t)t.rows);
    CHECK_EQ(per_set_total[1], (int64_t)t.rows);
    CHECK_EQ(per_set_total[3], (int64_t)t.rows);
    ja_env_dispose(&env);
}

TEST(hash_agg_empty_input)
{
    ja_env env;
    ja_env_init(&env, 2);
    ja_table t;
    make_input(&t, env.arena, 0, 5);
    plan_node *child = ja_table_node(&t, env.arena);
    uint32_t na;
    plan_expr **aggs = agg_list(env.arena, &t, &na);
    /* global: one row, count 0, sum NULL */
    plan_node *node = agg_node(env.arena, child, NULL, 0, aggs, na);
    ex_result res;
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    CHECK_EQ(res.row_count, 1);
    naive nv = {0};
    CHECK_EQ(check_aggs(&res, 0, 0, &nv), 0);
    /* GROUP BY: no rows */
    plan_expr **groups = fl_arena_alloc(env.arena, sizeof *groups);
    groups[0] = ja_colref(env.arena, 1, 0, t.types[0]);
    node = agg_node(env.arena, child, groups, 1, aggs, na);
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    CHECK_EQ(res.row_count, 0);
    /* ROLLUP(k1) on empty input: only the grand total */
    static uint64_t sets[2] = {1, 0};
    node->u.aggregate.sets = sets;
    node->u.aggregate.set_count = 2;
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    CHECK_EQ(res.row_count, 1);
    ja_env_dispose(&env);
}

TEST(hash_agg_global_with_rows)
{
    ja_env env;
    ja_env_init(&env, 2);
    ja_seed(99);
    ja_table t;
    make_input(&t, env.arena, 9000, 5);
    plan_node *child = ja_table_node(&t, env.arena);
    uint32_t na;
    plan_expr **aggs = agg_list(env.arena, &t, &na);
    plan_node *node = agg_node(env.arena, child, NULL, 0, aggs, na);
    ex_result res;
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    CHECK_EQ(res.row_count, 1);
    naive nv;
    naive_group(&t, NULL, NULL, false, false, &nv);
    CHECK_EQ(check_aggs(&res, 0, 0, &nv), 0);
    ja_env_dispose(&env);
}

/* n rows of (key in [0, groups), value): count and sum per group checked. */
static double many_groups(int threads, size_t n, uint64_t groups, bool check, double *cpu)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(1234);
    fl_type types[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_INT64)};
    ja_table t;
    ja_table_init(&t, env.arena, types, 2, 1);
    int64_t *cnt = fl_calloc(groups, sizeof *cnt), *sum = fl_calloc(groups, sizeof *sum);
    for (size_t i = 0; i < n; i++) {
        int64_t k = (int64_t)(ja_rand() % groups), v = (int64_t)(ja_rand() % 1000);
        fl_value row[2] = {ja_i64(k), ja_i64(v)};
        ja_table_add(&t, env.arena, row);
        cnt[k]++;
        sum[k] += v;
    }
    plan_node *child = ja_table_node(&t, env.arena);
    plan_expr **gr = fl_arena_alloc(env.arena, sizeof *gr);
    gr[0] = ja_colref(env.arena, 1, 0, types[0]);
    plan_expr **aggs = fl_arena_alloc(env.arena, 2 * sizeof *aggs);
    aggs[0] = ja_agg(env.arena, "count_star", NULL, false, NULL);
    aggs[1] = ja_agg(env.arena, "sum", ja_colref(env.arena, 1, 1, types[1]), false, NULL);
    plan_node *node = agg_node(env.arena, child, gr, 1, aggs, 2);
    ex_result res;
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    CHECK_OK(run_agg(&env, &t, node, &res), &env.err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    if (cpu) *cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (check) {
        size_t expect_groups = 0;
        for (uint64_t g = 0; g < groups; g++) expect_groups += cnt[g] > 0;
        CHECK_EQ(res.row_count, expect_groups);
        int bad = 0;
        for (size_t r = 0; r < (size_t)res.row_count; r++) {
            fl_value k, c, s;
            ja_result_get(&res, r, 0, &k);
            ja_result_get(&res, r, 1, &c);
            ja_result_get(&res, r, 2, &s);
            if (k.is_null || c.v.i64 != cnt[k.v.i64] || s.v.i64 != sum[k.v.i64]) bad++;
            cnt[k.v.i64] = -1;   /* each group once */
        }
        CHECK_EQ(bad, 0);
    }
    fl_free(cnt);
    fl_free(sum);
    ja_env_dispose(&env);
    return secs;
}

TEST(hash_agg_many_groups)
{
    many_groups(1, 1000000, 100000, true, NULL);
    many_groups(2, 1000000, 100000, true, NULL);
}

TEST(hash_agg_throughput)
{
    enum { ROWS = 719000 };
    double c1, c2;
    double s1 = many_groups(1, ROWS, 18000, true, &c1);
    double s2 = many_groups(2, ROWS, 18000, true, &c2);
    printf("hash_agg: %d rows, ~18k groups: 1 thread %.1f M rows/s (%.1f per cpu-s), "
           "2 threads %.1f M rows/s (%.1f per cpu-s)\n",
           ROWS, ROWS / s1 / 1e6, ROWS / c1 / 1e6, ROWS / s2 / 1e6, ROWS / c2 / 1e6);
}
