/*
 * test_featx_window.c: GROUPS frames and DISTINCT window aggregates of
 * op/window.c through ex_run against naive per-row computation, on inputs
 * longer than a chunk (one and two threads), with NULL partition keys,
 * NULL ORDER BY keys (NULLS LAST: their own last peer group) and NULL
 * values: sum over GROUPS 2 PRECEDING .. 1 FOLLOWING (segment tree), count
 * over GROUPS UNBOUNDED PRECEDING .. 1 PRECEDING (running), first_value
 * over GROUPS 1 FOLLOWING .. 3 FOLLOWING, count(DISTINCT) over the whole
 * partition, sum(DISTINCT) over the default running RANGE frame,
 * count(DISTINCT) over GROUPS UNBOUNDED PRECEDING .. 1 FOLLOWING, and over
 * moving frames count(DISTINCT) over GROUPS 1 PRECEDING .. 1 FOLLOWING and
 * sum(DISTINCT) over GROUPS 2 FOLLOWING .. 4 FOLLOWING.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "ja_test_util.h"

enum { COL_P, COL_O, COL_ID, COL_V, VMAX = 60, OMAX = 25 };

/* (p NULL 1/10 in [0,5), o NULL 1/12 in [0,OMAX), id unique, v NULL 1/7 in [0,VMAX)) */
static void make_input(ja_table *t, fl_arena *a, size_t n)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    fl_type types[4] = {i64, i64, i64, i64};
    ja_table_init(t, a, types, 4, 1);
    for (size_t i = 0; i < n; i++) {
        fl_value row[4] = {ja_rand() % 10 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % 5)),
                           ja_rand() % 12 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % OMAX)),
                           ja_i64((int64_t)i),
                           ja_rand() % 7 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % VMAX))};
        ja_table_add(t, a, row);
    }
}

static plan_window_spec *spec(fl_arena *a, bool order, bool groups, plan_frame_bound_kind start,
                              int64_t start_off, plan_frame_bound_kind end, int64_t end_off)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_window_spec *s = fl_arena_calloc(a, sizeof *s);
    s->partition = fl_arena_alloc(a, sizeof *s->partition);
    s->partition[0] = ja_colref(a, 1, COL_P, i64);
    s->partition_count = 1;
    s->order = fl_arena_calloc(a, sizeof *s->order);
    s->order[0].expr = ja_colref(a, 1, COL_O, i64);
    s->order_count = order ? 1 : 0;
    s->groups = groups;
    s->start = start;
    s->end = end;
    fl_value so = ja_i64(start_off), eo = ja_i64(end_off);
    if (start == PLAN_BOUND_PRECEDING || start == PLAN_BOUND_FOLLOWING)
        s->start_offset = plan_expr_const(a, &so);
    if (end == PLAN_BOUND_PRECEDING || end == PLAN_BOUND_FOLLOWING) s->end_offset = plan_expr_const(a, &eo);
    return s;
}

static plan_expr *win(fl_arena *a, const char *name, plan_expr *arg, bool distinct, plan_window_spec *sp)
{
    plan_expr *e = fl_arena_calloc(a, sizeof *e);
    e->kind = PLAN_EX_WINDOW;
    e->name = name;
    e->args = fl_arena_alloc(a, sizeof *e->args);
    e->args[0] = arg;
    e->arg_count = 1;
    e->u.window.spec = sp;
    e->u.window.distinct = distinct;
    fl_error err;
    if (fn_window_exists(name)) {
        const fn_window_def *fn;
        if (fn_window_bind(&fn, name, &arg->type, 1, a, &err) < 0) return NULL;
        e->u.window.fn = fn;
        e->type = arg->type;
    } else {
        const fn_agg_def *fn;
        if (fn_agg_bind(&fn, name, &arg->type, 1, a, &err) < 0) return NULL;
        e->u.window.agg = fn;
        e->type = fn->ret;
    }
    return e;
}

/* The peer group of o among a partition's groups (NULLS LAST: OMAX). */
static int group_of(const bool *present, int64_t o)
{
    int g = 0;
    for (int k = 0; k < o; k++) g += present[k];
    return g;
}

static void check_featx_window(int threads, size_t n)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(77 + n);
    ja_table t;
    make_input(&t, env.arena, n);
    fl_arena *a = env.arena;
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_expr *v = ja_colref(a, 1, COL_V, i64), *o = ja_colref(a, 1, COL_O, i64);
    enum { W = 8 };
    plan_expr **exprs = fl_arena_alloc(a, W * sizeof *exprs);
    exprs[0] = win(a, "sum", v, false, spec(a, true, true, PLAN_BOUND_PRECEDING, 2, PLAN_BOUND_FOLLOWING, 1));
    exprs[1] = win(a, "count", v, false,
                   spec(a, true, true, PLAN_BOUND_UNBOUNDED_PRECEDING, 0, PLAN_BOUND_PRECEDING, 1));
    exprs[2] = win(a, "first_value", o, false, spec(a, true, true, PLAN_BOUND_FOLLOWING, 1, PLAN_BOUND_FOLLOWING, 3));
    exprs[3] = win(a, "count", v, true,
                   spec(a, false, false, PLAN_BOUND_UNBOUNDED_PRECEDING, 0, PLAN_BOUND_UNBOUNDED_FOLLOWING, 0));
    exprs[4] = win(a, "sum", v, true, spec(a, true, false, PLAN_BOUND_UNBOUNDED_PRECEDING, 0, PLAN_BOUND_CURRENT_ROW, 0));
    exprs[5] = win(a, "count", v, true,
                   spec(a, true, true, PLAN_BOUND_UNBOUNDED_PRECEDING, 0, PLAN_BOUND_FOLLOWING, 1));
    exprs[6] = win(a, "count", v, true, spec(a, true, true, PLAN_BOUND_PRECEDING, 1, PLAN_BOUND_FOLLOWING, 1));
    exprs[7] = win(a, "sum", v, true, spec(a, true, true, PLAN_BOUND_FOLLOWING, 2, PLAN_BOUND_FOLLOWING, 4));
    for (int i = 0; i < W; i++) CHECK(exprs[i] != NULL);
    plan_node *node = plan_node_new(a, PLAN_WINDOW, 1);
    node->children[0] = ja_table_node(&t, a);
    node->table_index = 20;
    node->u.window.exprs = exprs;
    node->u.window.count = W;
    ex_op *op;
    ex_result res;
    if (!CHECK_OK(ex_window_new(&op, node, ja_table_op(&t, node->children[0], a), &env.ctx, &env.err), &env.err) ||
        !CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err)) {
        ja_env_dispose(&env);
        return;
    }
    CHECK_EQ(res.row_count, n);
    CHECK_EQ(res.col_count, 4 + W);
    int bad = 0;
    for (size_t r = 0; r < (size_t)res.row_count; r++) {
        fl_value idv;
        ja_result_get(&res, r, COL_ID, &idv);
        size_t i = (size_t)idv.v.i64;
        bool pnull, onull, vnull;
        int64_t p = ja_table_i64(&t, i, COL_P, &pnull), oi = ja_table_i64(&t, i, COL_O, &onull);
        /* the partition's peer groups: o values present, NULL last */
        bool present[OMAX + 1] = {0};
        for (size_t j = 0; j < n; j++) {
            bool pj_null, oj_null;
            int64_t pj = ja_table_i64(&t, j, COL_P, &pj_null), oj = ja_table_i64(&t, j, COL_O, &oj_null);
            if (pj_null != pnull || (!pnull && pj != p)) continue;
            present[oj_null ? OMAX : oj] = true;
        }
        int gi = group_of(present, onull ? OMAX : oi);
        int64_t sum0 = 0, cnt1 = 0, sum4 = 0;
        bool any0 = false, any4 = false;
        int first_g = -1;
        int64_t first_o = 0;
        bool first_null = true;
        bool all_v[VMAX] = {0}, run_v[VMAX] = {0}, grp_v[VMAX] = {0}, mid_v[VMAX] = {0}, ahead_v[VMAX] = {0};
        for (size_t j = 0; j < n; j++) {
            bool pj_null, oj_null;
            int64_t pj = ja_table_i64(&t, j, COL_P, &pj_null), oj = ja_table_i64(&t, j, COL_O, &oj_null);
            if (pj_null != pnull || (!pnull && pj != p)) continue;
            int gj = group_of(present, oj_null ? OMAX : oj);
            int64_t vj = ja_table_i64(&t, j, COL_V, &vnull);
            if (gj >= gi - 2 && gj <= gi + 1 && !vnull) sum0 += vj, any0 = true;
            if (gj <= gi - 1 && !vnull) cnt1++;
            if (gj >= gi + 1 && gj <= gi + 3 && (first_g < 0 || gj < first_g)) {
                first_g = gj;
                first_o = oj;
                first_null = oj_null;
            }
            if (!vnull) all_v[vj] = true;
            if (gj <= gi && !vnull) run_v[vj] = true;
            if (gj <= gi + 1 && !vnull) grp_v[vj] = true;
            if (gj >= gi - 1 && gj <= gi + 1 && !vnull) mid_v[vj] = true;
            if (gj >= gi + 2 && gj <= gi + 4 && !vnull) ahead_v[vj] = true;
        }
        int64_t c3 = 0, c5 = 0, c6 = 0, sum7 = 0;
        bool any7 = false;
        for (int k = 0; k < VMAX; k++) {
            c3 += all_v[k];
            c5 += grp_v[k];
            c6 += mid_v[k];
            if (run_v[k]) sum4 += k, any4 = true;
            if (ahead_v[k]) sum7 += k, any7 = true;
        }
        fl_value x;
        ja_result_get(&res, r, 4, &x);
        bad += any0 ? (x.is_null || x.v.i64 != sum0) : !x.is_null;
        ja_result_get(&res, r, 5, &x);
        bad += x.is_null || x.v.i64 != cnt1;
        ja_result_get(&res, r, 6, &x);
        bad += first_null ? !x.is_null : (x.is_null || x.v.i64 != first_o);
        ja_result_get(&res, r, 7, &x);
        bad += x.is_null || x.v.i64 != c3;
        ja_result_get(&res, r, 8, &x);
        bad += any4 ? (x.is_null || x.v.i64 != sum4) : !x.is_null;
        ja_result_get(&res, r, 9, &x);
        bad += x.is_null || x.v.i64 != c5;
        ja_result_get(&res, r, 10, &x);
        bad += x.is_null || x.v.i64 != c6;
        ja_result_get(&res, r, 11, &x);
        bad += any7 ? (x.is_null || x.v.i64 != sum7) : !x.is_null;
    }
    CHECK_EQ(bad, 0);
    ja_env_dispose(&env);
}

TEST(featx_window_groups_and_distinct_match_naive)
{
    check_featx_window(1, 900);
    check_featx_window(2, 5000);
    check_featx_window(2, 0);
}
