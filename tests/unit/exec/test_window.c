/*
 * test_window.c: the window operator (op/window.c) through ex_run against
 * naive per-row computation: rank, dense_rank, percent_rank, count over the
 * partition, running sum over the default RANGE frame (peers share it), lag
 * with a default, and sum over ROWS 2 PRECEDING .. 1 FOLLOWING, with NULL
 * partition keys and values, on one and two threads, and on empty input.
 */
#include "../test.h"

#include <math.h>
#include <stdio.h>

#include "../../../src/base/alloc.h"
#include "ja_test_util.h"

enum { COL_P, COL_O, COL_ID, COL_V };

/* (p int64 NULL 1/10 in [0,8), o int64 in [0,20), id unique, v int64 NULL 1/7) */
static void make_input(ja_table *t, fl_arena *a, size_t n)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    fl_type types[4] = {i64, i64, i64, i64};
    ja_table_init(t, a, types, 4, 1);
    for (size_t i = 0; i < n; i++) {
        fl_value row[4] = {ja_rand() % 10 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % 8)),
                           ja_i64((int64_t)(ja_rand() % 20)), ja_i64((int64_t)i),
                           ja_rand() % 7 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % 100))};
        ja_table_add(t, a, row);
    }
}

static plan_window_spec *spec(fl_arena *a, bool by_id, bool rows, plan_frame_bound_kind start,
                              int64_t start_off, plan_frame_bound_kind end, int64_t end_off)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_window_spec *s = fl_arena_calloc(a, sizeof *s);
    s->partition = fl_arena_alloc(a, sizeof *s->partition);
    s->partition[0] = ja_colref(a, 1, COL_P, i64);
    s->partition_count = 1;
    s->order = fl_arena_calloc(a, 2 * sizeof *s->order);
    s->order[0].expr = ja_colref(a, 1, COL_O, i64);
    s->order_count = 1;
    if (by_id) {
        s->order[1].expr = ja_colref(a, 1, COL_ID, i64);
        s->order_count = 2;
    }
    s->rows = rows;
    s->start = start;
    s->end = end;
    fl_value so = ja_i64(start_off), eo = ja_i64(end_off);
    if (start == PLAN_BOUND_PRECEDING) s->start_offset = plan_expr_const(a, &so);
    if (end == PLAN_BOUND_FOLLOWING) s->end_offset = plan_expr_const(a, &eo);
    return s;
}

static plan_expr *win(fl_arena *a, const char *name, plan_expr **args, uint32_t nargs,
                      plan_window_spec *sp)
{
    plan_expr *e = fl_arena_calloc(a, sizeof *e);
    e->kind = PLAN_EX_WINDOW;
    e->name = name;
    e->args = args;
    e->arg_count = nargs;
    e->u.window.spec = sp;
    fl_type types[3];
    for (uint32_t i = 0; i < nargs; i++) types[i] = args[i]->type;
    fl_error err;
    if (fn_window_exists(name)) {
        const fn_window_def *fn;
        if (fn_window_bind(&fn, name, types, nargs, a, &err) < 0) return NULL;
        e->u.window.fn = fn;
        e->type = fn->ret.id ? fn->ret : types[0];
        if (fn->kind == FN_WIN_LAG || fn->kind == FN_WIN_LEAD) e->type = types[0];
    } else {
        const fn_agg_def *fn;
        if (fn_agg_bind(&fn, name, types, nargs, a, &err) < 0) return NULL;
        e->u.window.agg = fn;
        e->type = fn->ret;
    }
    return e;
}

static bool same_part(const ja_table *t, size_t i, size_t j)
{
    fl_value a, b;
    ja_table_get(t, i, COL_P, &a);
    ja_table_get(t, j, COL_P, &b);
    return ja_value_eq(&a, &b);
}

/* (o, id) order position: a before b */
static bool before(const ja_table *t, size_t a, size_t b)
{
    int64_t oa = ja_table_i64(t, a, COL_O, NULL), ob = ja_table_i64(t, b, COL_O, NULL);
    return oa < ob || (oa == ob && a < b);
}

static void check_window(int threads, size_t n)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(31 + n);
    ja_table t;
    make_input(&t, env.arena, n);
    fl_arena *a = env.arena;
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_window_spec *range = spec(a, false, false, PLAN_BOUND_UNBOUNDED_PRECEDING, 0,
                                   PLAN_BOUND_CURRENT_ROW, 0);
    plan_window_spec *by_id = spec(a, true, true, PLAN_BOUND_UNBOUNDED_PRECEDING, 0,
                                   PLAN_BOUND_CURRENT_ROW, 0);
    plan_window_spec *whole = spec(a, false, false, PLAN_BOUND_UNBOUNDED_PRECEDING, 0,
                                   PLAN_BOUND_UNBOUNDED_FOLLOWING, 0);
    whole->order_count = 0;
    plan_window_spec *slide = spec(a, true, true, PLAN_BOUND_PRECEDING, 2, PLAN_BOUND_FOLLOWING, 1);
    plan_expr **v = fl_arena_alloc(a, sizeof *v);
    v[0] = ja_colref(a, 1, COL_V, i64);
    plan_expr **lagargs = fl_arena_alloc(a, 3 * sizeof *lagargs);
    fl_value two = ja_i64(2), dflt = ja_i64(-1);
    lagargs[0] = v[0];
    lagargs[1] = plan_expr_const(a, &two);
    lagargs[2] = plan_expr_const(a, &dflt);
    enum { W = 7 };
    plan_expr **exprs = fl_arena_alloc(a, W * sizeof *exprs);
    exprs[0] = win(a, "rank", NULL, 0, range);
    exprs[1] = win(a, "dense_rank", NULL, 0, range);
    exprs[2] = win(a, "percent_rank", NULL, 0, range);
    exprs[3] = win(a, "count_star", NULL, 0, whole);
    exprs[4] = win(a, "sum", v, 1, range);
    exprs[5] = win(a, "lag", lagargs, 3, by_id);
    exprs[6] = win(a, "sum", v, 1, slide);
    for (int i = 0; i < W; i++) CHECK(exprs[i] != NULL);
    plan_node *node = plan_node_new(a, PLAN_WINDOW, 1);
    node->children[0] = ja_table_node(&t, a);
    node->table_index = 20;
    node->u.window.exprs = exprs;
    node->u.window.count = W;
    ex_op *op;
    ex_result res;
    CHECK_OK(ex_window_new(&op, node, ja_table_op(&t, node->children[0], a), &env.ctx, &env.err),
             &env.err);
    CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err);
    CHECK_EQ(res.row_count, n);
    CHECK_EQ(res.col_count, 4 + W);
    /* position of each row in its partition by (o, id) */
    size_t *posn = fl_calloc(n + 1, sizeof *posn);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            if (same_part(&t, i, k) && before(&t, k, i)) posn[i]++;
    int bad = 0;
    for (size_t r = 0; r < (size_t)res.row_count; r++) {
        fl_value idv;
        ja_result_get(&res, r, COL_ID, &idv);
        size_t i = (size_t)idv.v.i64;
        int64_t o = ja_table_i64(&t, i, COL_O, NULL);
        int64_t rank = 1, cnt = 0, sum = 0, slide_sum = 0;
        bool any = false, slide_any = false;
        int64_t distinct_lower[20] = {0};
        size_t pos = posn[i];
        for (size_t j = 0; j < n; j++) {
            if (!same_part(&t, i, j)) continue;
            cnt++;
            int64_t oj = ja_table_i64(&t, j, COL_O, NULL);
            if (oj < o) rank++, distinct_lower[oj] = 1;
                bool vnull;
            int64_t vj = ja_table_i64(&t, j, COL_V, &vnull);
            if (oj <= o && !vnull) sum += vj, any = true;
        }
        int64_t dense = 1;
        for (int k = 0; k < 20; k++) dense += distinct_lower[k];
        /* position-based: lag 2 and the sliding frame */
        fl_value lagv = ja_i64(-1);
        for (size_t j = 0; j < n; j++) {
            if (!same_part(&t, i, j)) continue;
            size_t pj = posn[j];
            if (pj + 2 == pos) ja_table_get(&t, j, COL_V, &lagv);
            if (pj + 2 >= pos && pj <= pos + 1) {
                bool vnull;
                int64_t vj = ja_table_i64(&t, j, COL_V, &vnull);
                if (!vnull) slide_sum += vj, slide_any = true;
            }
        }
        fl_value x;
        ja_result_get(&res, r, 4, &x);
        bad += x.v.i64 != rank;
        ja_result_get(&res, r, 5, &x);
        bad += x.v.i64 != dense;
        ja_result_get(&res, r, 6, &x);
        bad += fabs(x.v.f64 - (cnt > 1 ? (double)(rank - 1) / (double)(cnt - 1) : 0.0)) > 1e-12;
        ja_result_get(&res, r, 7, &x);
        bad += x.v.i64 != cnt;
        ja_result_get(&res, r, 8, &x);
        bad += any ? (x.is_null || x.v.i64 != sum) : !x.is_null;
        ja_result_get(&res, r, 9, &x);
        bad += !ja_value_eq(&x, &lagv);
        ja_result_get(&res, r, 10, &x);
        bad += slide_any ? (x.is_null || x.v.i64 != slide_sum) : !x.is_null;
    }
    CHECK_EQ(bad, 0);
    fl_free(posn);
    ja_env_dispose(&env);
}

TEST(window_matches_naive)
{
    check_window(1, 700);
    check_window(2, 2600);
    check_window(2, 0);
}
