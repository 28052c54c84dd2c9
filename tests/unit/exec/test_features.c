/*
 * test_features.c: RANGE window frames with offsets (op/window.c) against
 * a naive per-row computation over random data (NULL keys, duplicates,
 * ASC/DESC, NULLS FIRST/LAST, every bound kind, one and two threads), and
 * FETCH FIRST n ROWS WITH TIES in both operators that implement it: TOPN
 * (op/topn.c, on two threads over several chunks) and the unfused LIMIT
 * over an ORDER BY (op/limit.c), against counts computed from the data.
 */
#include "../test.h"

#include "../../../src/base/alloc.h"
#include "ja_test_util.h"

enum { COL_P, COL_K, COL_ID, COL_V };

/* (p in [0,3), k int64 NULL 1/8 in [0,40), id unique, v int64 NULL 1/9) */
static void make_input(ja_table *t, fl_arena *a, size_t n)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    fl_type types[4] = {i64, i64, i64, i64};
    ja_table_init(t, a, types, 4, 1);
    for (size_t i = 0; i < n; i++) {
        fl_value row[4] = {ja_i64((int64_t)(ja_rand() % 3)),
                           ja_rand() % 8 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % 40)),
                           ja_i64((int64_t)i),
                           ja_rand() % 9 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % 100))};
        ja_table_add(t, a, row);
    }
}

typedef struct frame_case {
    plan_frame_bound_kind start, end;
    int64_t start_off, end_off;
    bool desc, nulls_first;
} frame_case;

static plan_window_spec *range_spec(fl_arena *a, const frame_case *fc)
{
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_window_spec *s = fl_arena_calloc(a, sizeof *s);
    s->partition = fl_arena_alloc(a, sizeof *s->partition);
    s->partition[0] = ja_colref(a, 1, COL_P, i64);
    s->partition_count = 1;
    s->order = fl_arena_calloc(a, sizeof *s->order);
    s->order[0].expr = ja_colref(a, 1, COL_K, i64);
    s->order[0].desc = fc->desc;
    s->order[0].nulls_first = fc->nulls_first;
    s->order_count = 1;
    s->start = fc->start;
    s->end = fc->end;
    fl_value so = ja_i64(fc->start_off), eo = ja_i64(fc->end_off);
    if (fc->start == PLAN_BOUND_PRECEDING || fc->start == PLAN_BOUND_FOLLOWING)
        s->start_offset = plan_expr_const(a, &so);
    if (fc->end == PLAN_BOUND_PRECEDING || fc->end == PLAN_BOUND_FOLLOWING)
        s->end_offset = plan_expr_const(a, &eo);
    return s;
}

static plan_expr *agg_win(fl_arena *a, const char *name, plan_expr *arg, plan_window_spec *sp)
{
    plan_expr *e = fl_arena_calloc(a, sizeof *e);
    e->kind = PLAN_EX_WINDOW;
    e->name = name;
    e->u.window.spec = sp;
    fl_type types[1];
    uint32_t n = 0;
    if (arg) {
        e->args = fl_arena_alloc(a, sizeof *e->args);
        e->args[0] = arg;
        types[n++] = arg->type;
    }
    e->arg_count = n;
    fl_error err;
    const fn_agg_def *fn;
    if (fn_agg_bind(&fn, name, types, n, a, &err) < 0) return NULL;
    e->u.window.agg = fn;
    e->type = fn->ret;
    return e;
}

/* Sort position of a row key: -1 before, 1 after (NULLs by nulls_first). */
static int key_cmp(const frame_case *fc, bool na, int64_t a, bool nb, int64_t b)
{
    if (na || nb) {
        if (na && nb) return 0;
        return na == fc->nulls_first ? -1 : 1;
    }
    int c = (a > b) - (a < b);
    return fc->desc ? -c : c;
}

/* Is row j in row i's frame? Positions are by (key, id). */
static bool in_frame(const frame_case *fc, const ja_table *t, size_t i, size_t j)
{
    bool ni, nj;
    int64_t ki = ja_table_i64(t, i, COL_K, &ni), kj = ja_table_i64(t, j, COL_K, &nj);
    int c = key_cmp(fc, nj, kj, ni, ki);   /* j relative to i */
    /* start bound: j must not be before it */
    switch (fc->start) {
    case PLAN_BOUND_UNBOUNDED_PRECEDING: break;
    case PLAN_BOUND_CURRENT_ROW: if (c < 0) return false; break;
    default:
        if (ni) {
            if (c < 0) return false;   /* NULL rows: their peer group's edge */
        } else if (nj) {
            if (c < 0) return false;   /* NULLs after the non-NULL rows pass a start bound */
        } else {
            int64_t target = fc->start == PLAN_BOUND_PRECEDING ? -fc->start_off : fc->start_off;
            int64_t d = fc->desc ? ki - kj : kj - ki;   /* j's distance after i */
            if (d < target) return false;
        }
    }
    switch (fc->end) {
    case PLAN_BOUND_UNBOUNDED_FOLLOWING: break;
    case PLAN_BOUND_CURRENT_ROW: if (c > 0) return false; break;
    default:
        if (ni) {
            if (c > 0) return false;
        } else if (nj) {
            if (c > 0) return false;   /* NULLs before the non-NULL rows pass an end bound */
        } else {
            int64_t target = fc->end == PLAN_BOUND_PRECEDING ? -fc->end_off : fc->end_off;
            int64_t d = fc->desc ? ki - kj : kj - ki;
            if (d > target) return false;
        }
    }
    return true;
}

static void check_range(int threads, size_t n, const frame_case *fc)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(77 + n);
    ja_table t;
    make_input(&t, env.arena, n);
    fl_arena *a = env.arena;
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    plan_window_spec *sp = range_spec(a, fc);
    plan_expr **exprs = fl_arena_alloc(a, 3 * sizeof *exprs);
    exprs[0] = agg_win(a, "sum", ja_colref(a, 1, COL_V, i64), sp);
    exprs[1] = agg_win(a, "count_star", NULL, sp);
    exprs[2] = agg_win(a, "max", ja_colref(a, 1, COL_V, i64), sp);
    for (int i = 0; i < 3; i++) CHECK(exprs[i] != NULL);
    plan_node *node = plan_node_new(a, PLAN_WINDOW, 1);
    node->children[0] = ja_table_node(&t, a);
    node->table_index = 20;
    node->u.window.exprs = exprs;
    node->u.window.count = 3;
    ex_op *op;
    ex_result res;
    CHECK_OK(ex_window_new(&op, node, ja_table_op(&t, node->children[0], a), &env.ctx, &env.err),
             &env.err);
    CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err);
    CHECK_EQ(res.row_count, n);
    int bad = 0;
    for (size_t r = 0; r < (size_t)res.row_count; r++) {
        fl_value idv;
        ja_result_get(&res, r, COL_ID, &idv);
        size_t i = (size_t)idv.v.i64;
        int64_t sum = 0, cnt = 0, max = 0;
        bool any = false;
        fl_value pi, pj;
        ja_table_get(&t, i, COL_P, &pi);
        for (size_t j = 0; j < n; j++) {
            ja_table_get(&t, j, COL_P, &pj);
            if (pi.v.i64 != pj.v.i64 || !in_frame(fc, &t, i, j)) continue;
            cnt++;
            bool vn;
            int64_t v = ja_table_i64(&t, j, COL_V, &vn);
            if (!vn) {
                sum += v;
                max = any && max > v ? max : v;
                any = true;
            }
        }
        fl_value x;
        ja_result_get(&res, r, 4, &x);
        bad += any ? (x.is_null || x.v.i64 != sum) : !x.is_null;
        ja_result_get(&res, r, 5, &x);
        bad += x.v.i64 != cnt;
        ja_result_get(&res, r, 6, &x);
        bad += any ? (x.is_null || x.v.i64 != max) : !x.is_null;
    }
    CHECK_EQ(bad, 0);
    ja_env_dispose(&env);
}

TEST(window_range_offsets_match_naive)
{
    const frame_case cases[] = {
        {PLAN_BOUND_PRECEDING, PLAN_BOUND_FOLLOWING, 3, 2, false, false},
        {PLAN_BOUND_PRECEDING, PLAN_BOUND_FOLLOWING, 3, 2, true, true},
        {PLAN_BOUND_PRECEDING, PLAN_BOUND_CURRENT_ROW, 5, 0, true, false},
        {PLAN_BOUND_CURRENT_ROW, PLAN_BOUND_FOLLOWING, 0, 4, false, true},
        {PLAN_BOUND_UNBOUNDED_PRECEDING, PLAN_BOUND_PRECEDING, 0, 2, false, true},
        {PLAN_BOUND_UNBOUNDED_PRECEDING, PLAN_BOUND_FOLLOWING, 0, 1, true, false},
        {PLAN_BOUND_FOLLOWING, PLAN_BOUND_UNBOUNDED_FOLLOWING, 2, 0, false, false},
        {PLAN_BOUND_FOLLOWING, PLAN_BOUND_FOLLOWING, 1, 6, true, true},
        {PLAN_BOUND_PRECEDING, PLAN_BOUND_PRECEDING, 6, 1, false, false},
        {PLAN_BOUND_PRECEDING, PLAN_BOUND_PRECEDING, 1, 6, false, false},   /* empty frames */
        {PLAN_BOUND_PRECEDING, PLAN_BOUND_FOLLOWING, 0, 0, false, false},   /* the peers */
    };
    for (size_t c = 0; c < FL_ARRAY_SIZE(cases); c++) {
        check_range(1, 300, &cases[c]);
        check_range(2, 2500, &cases[c]);
    }
    check_range(2, 0, &cases[0]);
}

/* ---------------------------------------------------------------- WITH TIES */

/* ORDER BY k (NULLS LAST) of (k int64 in [0, 50), NULL 1/10, id): rows kept
 * by FETCH FIRST limit ROWS WITH TIES after offset, from the data. */
static int64_t ties_expected(const ja_table *t, int64_t limit, int64_t offset)
{
    int64_t counts[51] = {0};   /* per key, NULL last */
    for (size_t r = 0; r < t->rows; r++) {
        fl_value v;
        ja_table_get(t, r, 0, &v);
        counts[v.is_null ? 50 : v.v.i64]++;
    }
    int64_t total = (int64_t)t->rows;
    if (limit == 0 || offset >= total) return 0;
    int64_t last = offset + limit < total ? offset + limit : total;   /* rows [offset, last) */
    int64_t end = 0;
    for (int k = 0; k <= 50 && end < last; k++) end += counts[k];   /* end of last-1's key */
    return end - offset;
}

static void check_ties(int threads, size_t n, int64_t limit, int64_t offset, bool fused)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_seed(5 + n + (uint64_t)limit);
    fl_arena *a = env.arena;
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    fl_type types[2] = {i64, i64};
    ja_table t;
    ja_table_init(&t, a, types, 2, 1);
    for (size_t i = 0; i < n; i++) {
        fl_value row[2] = {ja_rand() % 10 == 0 ? ja_null(i64) : ja_i64((int64_t)(ja_rand() % 50)),
                           ja_i64((int64_t)i)};
        ja_table_add(&t, a, row);
    }
    plan_order *orders = fl_arena_calloc(a, sizeof *orders);
    orders[0].expr = ja_colref(a, 1, 0, i64);
    plan_node *src = ja_table_node(&t, a);
    ex_op *child = ja_table_op(&t, src, a), *op;
    plan_node *node;
    if (fused) {
        node = plan_node_new(a, PLAN_TOPN, 1);
        node->children[0] = src;
    } else {
        plan_node *order = plan_node_new(a, PLAN_ORDER, 1);
        order->children[0] = src;
        order->u.order.orders = orders;
        order->u.order.count = 1;
        CHECK_OK(ex_order_new(&child, order, child, &env.ctx, &env.err), &env.err);
        node = plan_node_new(a, PLAN_LIMIT, 1);
        node->children[0] = order;
    }
    node->u.limit.limit = limit;
    node->u.limit.offset = offset;
    node->u.limit.orders = orders;
    node->u.limit.order_count = 1;
    node->u.limit.with_ties = true;
    if (fused) CHECK_OK(ex_topn_new(&op, node, child, &env.ctx, &env.err), &env.err);
    else CHECK_OK(ex_limit_new(&op, node, child, &env.ctx, &env.err), &env.err);
    ex_result res;
    CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err);
    CHECK_EQ(res.row_count, ties_expected(&t, limit, offset));
    /* in order, and the rows after the limit all tie with its last row */
    int bad = 0;
    fl_value prev = ja_null(i64), lastv = ja_null(i64);
    for (size_t r = 0; r < (size_t)res.row_count; r++) {
        fl_value v;
        ja_result_get(&res, r, 0, &v);
        if (r > 0 && !prev.is_null && (v.is_null ? false : v.v.i64 < prev.v.i64)) bad++;
        if (r > 0 && prev.is_null && !v.is_null) bad++;
        if ((int64_t)r == limit - 1) lastv = v;
        if ((int64_t)r >= limit && !ja_value_eq(&v, &lastv)) bad++;
        prev = v;
    }
    CHECK_EQ(bad, 0);
    ja_env_dispose(&env);
}

TEST(fetch_with_ties_topn_and_limit)
{
    for (int fused = 0; fused < 2; fused++) {
        check_ties(1, 500, 7, 0, fused);
        check_ties(2, 9000, 100, 0, fused);
        check_ties(2, 9000, 150, 37, fused);
        check_ties(2, 9000, 1, 8995, fused);     /* into the NULLs */
        check_ties(2, 9000, 5, 20000, fused);    /* past the end */
        check_ties(2, 9000, 0, 3, fused);        /* no rows */
        check_ties(1, 3000, 3000, 0, fused);     /* everything */
        check_ties(2, 0, 4, 0, fused);
    }
}
