/*
 * test_hash_join.c: the hash join (op/hash_join.c) through the pipeline
 * runner (ex_run) against a naive nested loop (join_check.c), for every
 * join type but RIGHT_SEMI/RIGHT_ANTI (test_join_right.c), on random data
 * with NULL and duplicate keys: one int key, int + string keys with IS NOT
 * DISTINCT FROM, an extra inequality condition, empty sides, one and two
 * threads; SINGLE's error on a second match; and the throughput of a
 * 719k x 18k join.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../../src/base/alloc.h"
#include "join_check.h"

/* Runs the join and the naive loop on sides of the default profile. */
static size_t check_join(int threads, size_t ln, size_t rn, uint64_t krange, const jc_spec *s)
{
    return jc_check_join(threads, ln, rn, krange, s, &jc_default_profile);
}

static const plan_join_type all_types[] = {PLAN_JOIN_INNER, PLAN_JOIN_LEFT, PLAN_JOIN_RIGHT,
                                           PLAN_JOIN_FULL,  PLAN_JOIN_SEMI, PLAN_JOIN_ANTI,
                                           PLAN_JOIN_MARK};

TEST(hash_join_every_type_int_key)
{
    ja_seed(11);
    for (size_t i = 0; i < FL_ARRAY_SIZE(all_types); i++) {
        jc_spec s = {all_types[i], JC_STRING_NONE, false};
        CHECK_EQ(check_join(1, 3000, 500, 300, &s), 0);
        CHECK_EQ(check_join(2, 3000, 500, 300, &s), 0);
    }
}

TEST(hash_join_string_not_distinct_and_inequality)
{
    ja_seed(12);
    for (size_t i = 0; i < FL_ARRAY_SIZE(all_types); i++) {
        if (all_types[i] == PLAN_JOIN_MARK) continue;   /* IN semantics: one key, no residual */
        jc_spec s = {all_types[i], JC_STRING_NOT_DISTINCT, false};
        CHECK_EQ(check_join(2, 2500, 300, 60, &s), 0);
        jc_spec s2 = {all_types[i], JC_STRING_NONE, true};
        CHECK_EQ(check_join(2, 2500, 300, 60, &s2), 0);
        jc_spec s3 = {all_types[i], JC_STRING_NOT_DISTINCT, true};
        CHECK_EQ(check_join(1, 2500, 300, 30, &s3), 0);
    }
}

TEST(hash_join_empty_sides)
{
    ja_seed(13);
    for (size_t i = 0; i < FL_ARRAY_SIZE(all_types); i++) {
        jc_spec s = {all_types[i], JC_STRING_NONE, false};
        CHECK_EQ(check_join(2, 0, 500, 50, &s), 0);
        CHECK_EQ(check_join(2, 500, 0, 50, &s), 0);
        CHECK_EQ(check_join(1, 0, 0, 50, &s), 0);
    }
}

TEST(hash_join_many_duplicates)
{
    /* few keys: long chains, several output chunks per probe chunk */
    ja_seed(14);
    jc_spec s = {PLAN_JOIN_INNER, JC_STRING_NONE, false};
    CHECK_EQ(check_join(2, 2500, 90, 3, &s), 0);
    jc_spec f = {PLAN_JOIN_FULL, JC_STRING_NONE, true};
    CHECK_EQ(check_join(2, 2500, 90, 3, &f), 0);
}

TEST(hash_join_single)
{
    ja_seed(15);
    /* unique build keys: every probe row once, with its match or NULLs */
    ja_env env;
    ja_env_init(&env, 2);
    ja_table l, r;
    jc_make_side(&l, env.arena, &jc_default_profile, 3000, 500, 1);
    fl_type types[3] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_INT64)};
    ja_table_init(&r, env.arena, types, 3, 2);
    for (int64_t k = 0; k < 300; k += 1) {
        fl_value row[3] = {ja_i64(k * 2), ja_str("x"), ja_i64(k)};
        ja_table_add(&r, env.arena, row);
    }
    jc_spec s = {PLAN_JOIN_SINGLE, JC_STRING_NONE, false};
    ex_result res;
    CHECK_OK(jc_run_join(&env, &l, &r, &s, &res), &env.err);
    jc_rowset got = {0}, want = {0};
    jc_result_rows(&res, &got);
    jc_naive_join(&l, &r, &s, &want);
    CHECK_EQ(got.count, 3000);
    CHECK_EQ(got.count, want.count);
    jc_rowset_sort(&got);
    jc_rowset_sort(&want);
    int bad = 0;
    for (size_t i = 0; i < got.count && i < want.count; i++) bad += strcmp(got.rows[i], want.rows[i]) != 0;
    CHECK_EQ(bad, 0);
    jc_rowset_free(&got);
    jc_rowset_free(&want);
    /* a duplicate build key that a probe row matches: error 21000 */
    fl_value dup[3] = {ja_i64(4), ja_str("y"), ja_i64(1)};
    ja_table_add(&r, env.arena, dup);
    fl_value probe[3] = {ja_i64(4), ja_str("p"), ja_i64(0)};
    ja_table_add(&l, env.arena, probe);
    CHECK_EQ(jc_run_join(&env, &l, &r, &s, &res), FLOE_EINVAL);
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
