/*
 * test_pipeline.c: the physical planner and pipeline runner over
 * hand-built logical plans on VALUES: filter, projection, limit/offset,
 * nested loop joins (inner, left, semi, anti, mark, single), CTEs, empty
 * inputs, multi-chunk inputs on several threads, cancellation and EXPLAIN.
 */
#include "../test.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "../../../src/base/error.h"
#include "../../../src/base/threads.h"
#include "../../../src/exec/op.h"
#include "../../../src/func/func.h"

#define I64 fl_type_make(FL_TYPE_INT64)
#define BOOLT fl_type_make(FL_TYPE_BOOL)

typedef struct env {
    fl_arena *a;
    fl_pool *pool;
    atomic_bool cancel;
    ex_ctx ctx;
    fl_error err;
} env;

static void env_init(env *e, int threads)
{
    memset(e, 0, sizeof *e);
    e->a = fl_arena_new(0);
    if (threads > 1) fl_pool_new(&e->pool, threads - 1);
    atomic_init(&e->cancel, false);
    e->ctx.arena = e->a;
    e->ctx.pool = e->pool;
    e->ctx.threads = threads;
    e->ctx.cancel = &e->cancel;
}

static void env_free(env *e)
{
    fl_arena_free(e->a);
    fl_pool_free(e->pool);
}

static plan_expr *i64c(fl_arena *a, int64_t v)
{
    fl_value val = {.type = I64};
    val.v.i64 = v;
    return plan_expr_const(a, &val);
}

/* VALUES (first), (first + 1), ... n rows, columns (k bigint, k % 3 bigint or NULL when k % 5 == 0). */
static plan_node *values_node(fl_arena *a, uint32_t table, int64_t first, uint32_t n)
{
    plan_node *v = plan_node_new(a, PLAN_VALUES, 0);
    v->table_index = table;
    v->u.values.row_count = n;
    v->u.values.column_count = 2;
    v->u.values.types = fl_arena_alloc(a, 2 * sizeof(fl_type));
    v->u.values.types[0] = v->u.values.types[1] = I64;
    v->u.values.rows = fl_arena_alloc(a, n * sizeof(plan_expr **));
    for (uint32_t r = 0; r < n; r++) {
        plan_expr **row = fl_arena_alloc(a, 2 * sizeof *row);
        int64_t k = first + r;
        row[0] = i64c(a, k);
        if (k % 5 == 0) {
            fl_value nv = {.type = I64, .is_null = true};
            row[1] = plan_expr_const(a, &nv);
        } else {
            row[1] = i64c(a, k % 3);
        }
        v->u.values.rows[r] = row;
    }
    return v;
}

static plan_expr *colref(fl_arena *a, uint32_t t, uint32_t c) { return plan_expr_colref(a, (plan_binding){t, c}, I64, "c"); }

static plan_expr *call2(fl_arena *a, const char *name, plan_expr *l, plan_expr *r)
{
    fl_type types[2] = {l->type, r->type};
    const fn_scalar_bound *fn = NULL;
    fl_error err;
    CHECK_OK(fn_scalar_bind(&fn, name, types, 2, a, &err), &err);
    plan_expr *e = plan_expr_new(a, PLAN_EX_FUNC, fn->ret, 2);
    e->u.fn = fn;
    e->name = name;
    e->args[0] = l;
    e->args[1] = r;
    return e;
}

static plan_node *unary(fl_arena *a, plan_node_kind k, plan_node *child)
{
    plan_node *n = plan_node_new(a, k, 1);
    n->children[0] = child;
    return n;
}

/* Runs root; writes rows as "a|b;a|b;..." (NULL as N), in result order. */
static int run_text(env *e, plan_node *root, char *out, size_t cap, int64_t *rows)
{
    ex_op *op;
    ex_result res;
    int rc = ex_plan_physical(&op, root, &e->ctx, &e->err);
    if (rc == 0) rc = ex_run(&res, op, &e->ctx, &e->err);
    if (rc < 0) return rc;
    size_t len = 0;
    out[0] = '\0';
    for (size_t c = 0; c < res.chunk_count; c++) {
        const ex_chunk *ch = &res.chunks[c];
        for (size_t r = 0; r < ch->count; r++) {
            for (uint32_t k = 0; k < ch->col_count; k++) {
                fl_value v;
                ex_vector_get(&ch->cols[k], r, &v);
                char one[32];
                if (v.is_null) snprintf(one, sizeof one, "N");
                else if (v.type.id == FL_TYPE_BOOL) snprintf(one, sizeof one, "%s", v.v.b ? "t" : "f");
                else snprintf(one, sizeof one, "%lld", (long long)v.v.i64);
                if (len < cap) len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? "|" : "", one);
            }
            if (len < cap) len += (size_t)snprintf(out + len, cap - len, ";");
        }
    }
    *rows = res.row_count;
    return 0;
}

TEST(pipeline_filter_project_limit)
{
    env e;
    env_init(&e, 1);
    fl_arena *a = e.a;
    char out[4096];
    int64_t rows;
    /* SELECT k * 10, m FROM v WHERE k > 3 AND m IS NOT NULL  (k = 1..10) */
    plan_node *v = values_node(a, 1, 1, 10);
    plan_node *f = unary(a, PLAN_FILTER, v);
    f->u.filter.count = 2;
    f->u.filter.exprs = fl_arena_alloc(a, 2 * sizeof(plan_expr *));
    f->u.filter.exprs[0] = call2(a, ">", colref(a, 1, 0), i64c(a, 3));
    plan_expr *nn = plan_expr_new(a, PLAN_EX_IS_NOT_NULL, BOOLT, 1);
    nn->args[0] = colref(a, 1, 1);
    f->u.filter.exprs[1] = nn;
    plan_node *p = unary(a, PLAN_PROJECT, f);
    p->table_index = 2;
    p->u.project.count = 2;
    p->u.project.exprs = fl_arena_alloc(a, 2 * sizeof(plan_expr *));
    p->u.project.exprs[0] = call2(a, "*", colref(a, 1, 0), i64c(a, 10));
    p->u.project.exprs[1] = colref(a, 1, 1);
    CHECK_OK(run_text(&e, p, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "40|1;60|0;70|1;80|2;90|0;");
    CHECK_EQ(rows, 5);
    /* LIMIT 2 OFFSET 1 on top */
    plan_node *l = unary(a, PLAN_LIMIT, p);
    l->u.limit.limit = 2;
    l->u.limit.offset = 1;
    CHECK_OK(run_text(&e, l, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "60|0;70|1;");
    /* LIMIT 0 */
    l->u.limit.limit = 0;
    l->u.limit.offset = 0;
    CHECK_OK(run_text(&e, l, out, sizeof out, &rows), &e.err);
    CHECK_EQ(rows, 0);
    /* an error in a projection surfaces with its SQLSTATE: 1 / (k - 4) */
    p->u.project.exprs[0] = call2(a, "/", i64c(a, 1), call2(a, "-", colref(a, 1, 0), i64c(a, 4)));
    CHECK(run_text(&e, p, out, sizeof out, &rows) < 0);
    CHECK_STR(e.err.sqlstate, "22012");
    env_free(&e);
}

TEST(pipeline_many_chunks_threads_and_limit)
{
    env e;
    env_init(&e, 4);
    fl_arena *a = e.a;
    static char out[400000];
    int64_t rows;
    /* 10000 rows through a filter on 4 threads: the multiples of 7 */
    plan_node *v = values_node(a, 1, 1, 10000);
    plan_node *f = unary(a, PLAN_FILTER, v);
    f->u.filter.count = 1;
    f->u.filter.exprs = fl_arena_alloc(a, sizeof(plan_expr *));
    f->u.filter.exprs[0] = call2(a, "=", call2(a, "%", colref(a, 1, 0), i64c(a, 7)), i64c(a, 0));
    CHECK_OK(run_text(&e, f, out, sizeof out, &rows), &e.err);
    CHECK_EQ(rows, 10000 / 7);
    CHECK(strncmp(out, "7|1;14|2;21|0;", 14) == 0);   /* VALUES keeps its order */
    plan_node *l = unary(a, PLAN_LIMIT, f);
    l->u.limit.limit = 100;
    l->u.limit.offset = 0;
    CHECK_OK(run_text(&e, l, out, sizeof out, &rows), &e.err);
    CHECK_EQ(rows, 100);
    /* cancellation */
    atomic_store(&e.cancel, true);
    CHECK(run_text(&e, f, out, sizeof out, &rows) == FLOE_ECANCELED);
    CHECK_STR(e.err.sqlstate, "57014");
    env_free(&e);
}

static plan_node *join_node(fl_arena *a, plan_join_type t, plan_node *l, plan_node *r)
{
    plan_node *j = plan_node_new(a, PLAN_JOIN, 2);
    j->children[0] = l;
    j->children[1] = r;
    j->u.join.type = t;
    j->u.join.mark_index = 9;
    return j;
}

TEST(pipeline_nested_loop_joins)
{
    env e;
    env_init(&e, 2);
    fl_arena *a = e.a;
    char out[8192];
    int64_t rows;
    /* left k = 1..4, right k = 2..4; condition left.k > right.k */
    plan_node *lv = values_node(a, 1, 1, 4), *rv = values_node(a, 2, 2, 3);
    plan_node *j = join_node(a, PLAN_JOIN_INNER, lv, rv);
    j->u.join.cond_count = 1;
    j->u.join.conds = fl_arena_alloc(a, sizeof(plan_join_cond));
    j->u.join.conds[0] = (plan_join_cond){colref(a, 1, 0), colref(a, 2, 0), PLAN_CMP_GT};
    CHECK_OK(run_text(&e, j, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "3|0|2|2;4|1|2|2;4|1|3|0;");
    j->u.join.type = PLAN_JOIN_LEFT;
    CHECK_OK(run_text(&e, j, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "3|0|2|2;4|1|2|2;4|1|3|0;1|1|N|N;2|2|N|N;");   /* unmatched rows after each block */
    j->u.join.type = PLAN_JOIN_SEMI;
    CHECK_OK(run_text(&e, j, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "3|0;4|1;");
    j->u.join.type = PLAN_JOIN_ANTI;
    CHECK_OK(run_text(&e, j, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "1|1;2|2;");
    j->u.join.type = PLAN_JOIN_SINGLE;
    CHECK(run_text(&e, j, out, sizeof out, &rows) < 0);
    CHECK_STR(e.err.sqlstate, "21000");
    j->u.join.type = PLAN_JOIN_RIGHT;   /* left.k > right.k: right 4 never matches */
    CHECK_OK(run_text(&e, j, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "3|0|2|2;4|1|2|2;4|1|3|0;N|N|4|1;");
    j->u.join.type = PLAN_JOIN_FULL;
    CHECK_OK(run_text(&e, j, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "3|0|2|2;4|1|2|2;4|1|3|0;1|1|N|N;2|2|N|N;N|N|4|1;");
    /* MARK: left.m IN (right.m) where right.m = {2, 0, 1}... with k=5 NULL */
    plan_node *rv2 = values_node(a, 3, 3, 3);   /* k = 3,4,5: m = 0, 1, NULL */
    plan_node *m = join_node(a, PLAN_JOIN_MARK, values_node(a, 4, 1, 3), rv2);  /* m = 1, 2, 0 */
    m->u.join.cond_count = 1;
    m->u.join.conds = fl_arena_alloc(a, sizeof(plan_join_cond));
    m->u.join.conds[0] = (plan_join_cond){colref(a, 4, 1), colref(a, 3, 1), PLAN_CMP_NE};
    /* m <> right.m: row m=1: 1<>0 true; a NULL elsewhere does not matter once matched */
    CHECK_OK(run_text(&e, m, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "1|1|t;2|2|t;3|0|t;");
    m->u.join.conds[0].cmp = PLAN_CMP_EQ;   /* planned as a nested loop all the same */
    m->u.join.conds[0].cmp = PLAN_CMP_LE;   /* m <= right.m over {0, 1, NULL} */
    CHECK_OK(run_text(&e, m, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "1|1|t;2|2|N;3|0|t;");
    /* cross join of 100 x 50 rows: every pair */
    plan_node *x = join_node(a, PLAN_JOIN_INNER, values_node(a, 5, 1, 100), values_node(a, 6, 1, 50));
    static char big[300000];
    CHECK_OK(run_text(&e, x, big, sizeof big, &rows), &e.err);
    CHECK_EQ(rows, 5000);
    /* an empty right side: ANTI keeps everything */
    plan_node *empty = plan_node_new(a, PLAN_EMPTY, 0);
    empty->table_index = 7;
    empty->u.empty.column_count = 2;
    empty->u.empty.types = lv->u.values.types;
    plan_node *an = join_node(a, PLAN_JOIN_ANTI, values_node(a, 8, 1, 3), empty);
    CHECK_OK(run_text(&e, an, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "1|1;2|2;3|0;");
    env_free(&e);
}

TEST(pipeline_cte_and_explain)
{
    env e;
    env_init(&e, 2);
    fl_arena *a = e.a;
    char out[4096];
    int64_t rows;
    /* WITH c AS (VALUES 1..3) SELECT * FROM c JOIN c AS d ON c.k < d.k */
    plan_node *def = values_node(a, 1, 1, 3);
    plan_node *s1 = plan_node_new(a, PLAN_CTE_SCAN, 0), *s2 = plan_node_new(a, PLAN_CTE_SCAN, 0);
    s1->table_index = 2;
    s2->table_index = 3;
    s1->u.cte.cte_index = s2->u.cte.cte_index = 0;
    s1->u.cte.column_count = s2->u.cte.column_count = 2;
    s1->u.cte.types = s2->u.cte.types = def->u.values.types;
    plan_node *j = join_node(a, PLAN_JOIN_INNER, s1, s2);
    j->u.join.cond_count = 1;
    j->u.join.conds = fl_arena_alloc(a, sizeof(plan_join_cond));
    j->u.join.conds[0] = (plan_join_cond){colref(a, 2, 0), colref(a, 3, 0), PLAN_CMP_LT};
    plan_node *cte = plan_node_new(a, PLAN_CTE_MATERIALIZE, 2);
    cte->children[0] = def;
    cte->children[1] = j;
    CHECK_OK(run_text(&e, cte, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "1|1|2|2;1|1|3|0;2|2|3|0;");
    ex_op *op;
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(ex_plan_physical(&op, cte, &e.ctx, &e.err), &e.err);
    CHECK_OK(ex_explain(&b, op, &e.err), &e.err);
    CHECK(strstr(fl_buf_cstr(&b), "CTE_MATERIALIZE") == fl_buf_cstr(&b));
    CHECK(strstr(fl_buf_cstr(&b), "\n  NESTED_LOOP_JOIN INNER") != NULL);
    CHECK(strstr(fl_buf_cstr(&b), "\n    CTE_SCAN cte 0") != NULL);
    CHECK(strstr(fl_buf_cstr(&b), "\n  VALUES 3 rows") != NULL);
    fl_buf_dispose(&b);
    /* SELECT 1 + 2 over DUMMY_SCAN */
    plan_node *d = plan_node_new(a, PLAN_DUMMY_SCAN, 0);
    plan_node *p = unary(a, PLAN_PROJECT, d);
    p->table_index = 4;
    p->u.project.count = 1;
    p->u.project.exprs = fl_arena_alloc(a, sizeof(plan_expr *));
    p->u.project.exprs[0] = call2(a, "+", i64c(a, 1), i64c(a, 2));
    CHECK_OK(run_text(&e, p, out, sizeof out, &rows), &e.err);
    CHECK_STR(out, "3;");
    env_free(&e);
}
