/*
 * test_bind_tpcds.c: the binder and optimizer against the 99 TPC-DS
 * queries and the full 24-table schema: every query must bind and optimize
 * without error into plans whose every column reference is produced by the
 * node's inputs, produce result columns, and leave no cross product where
 * the query has join conditions (checked on a few star joins).
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../test.h"
#include "bind_test_env.h"
#include "sql_test_util.h"

/* ---------------------------------------------------------------- plan validation */

typedef struct vctx {
    fl_arena *arena;
    const plan_binding *b;
    uint32_t n;
    bool ok;
} vctx;

static void check_slot(void *ctx, plan_expr **slot)
{
    vctx *v = ctx;
    if (*slot && !plan_expr_bound_by(*slot, v->b, v->n)) v->ok = false;
}

static void concat(fl_arena *arena, plan_binding **out, uint32_t *n, const plan_binding *a,
                   uint32_t an, const plan_binding *b, uint32_t bn)
{
    *out = fl_arena_alloc(arena, sizeof **out * (an + bn + 1));
    if (an) memcpy(*out, a, sizeof *a * an);
    if (bn) memcpy(*out + an, b, sizeof *b * bn);
    *n = an + bn;
}

/* Every column reference of every node must be produced by the node's inputs
 * (its own outputs for scans' filters and GROUPING arguments). */
static bool validate(const plan_node *n, fl_arena *arena, const char **why)
{
    for (uint32_t i = 0; i < n->child_count; i++)
        if (!validate(n->children[i], arena, why)) return false;
    plan_binding *b0 = NULL, *b1 = NULL, *own = NULL, *both = NULL;
    uint32_t n0 = 0, n1 = 0, nown = 0, nboth = 0;
    fl_error err;
    if (n->child_count > 0) plan_node_outputs(n->children[0], arena, &b0, NULL, &n0, &err);
    if (n->child_count > 1) plan_node_outputs(n->children[1], arena, &b1, NULL, &n1, &err);
    plan_node_outputs(n, arena, &own, NULL, &nown, &err);
    vctx v = {arena, b0, n0, true};
    plan_node *m = (plan_node *)n;
    switch (n->kind) {
    case PLAN_GET: case PLAN_TABLE_FUNCTION:
        v.b = own;
        v.n = nown;
        plan_node_visit_exprs(m, check_slot, &v);
        break;
    case PLAN_JOIN:
        for (uint32_t i = 0; i < n->u.join.cond_count; i++) {
            v.ok &= plan_expr_bound_by(n->u.join.conds[i].left, b0, n0);
            v.ok &= plan_expr_bound_by(n->u.join.conds[i].right, b1, n1);
        }
        concat(arena, &both, &nboth, b0, n0, b1, n1);
        if (n->u.join.residual) v.ok &= plan_expr_bound_by(n->u.join.residual, both, nboth);
        break;
    case PLAN_AGGREGATE:
        for (uint32_t i = 0; i < n->u.aggregate.group_count; i++)
            v.ok &= plan_expr_bound_by(n->u.aggregate.groups[i], b0, n0);
        for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++)
            v.ok &= plan_expr_bound_by(n->u.aggregate.aggs[i], b0, n0);
        for (uint32_t i = 0; i < n->u.aggregate.grouping_count; i++)
            v.ok &= plan_expr_bound_by(n->u.aggregate.groupings[i], own, n->u.aggregate.group_count);
        break;
    case PLAN_SETOP:
        v.ok = n0 == n->u.setop.column_count && n1 == n->u.setop.column_count;
        break;
    default:
        plan_node_visit_exprs(m, check_slot, &v);
        break;
    }
    if (!v.ok) *why = "a column reference is not produced by the node's inputs";
    return v.ok;
}

/* The query text without a trailing ';' and the statement count of the file. */
static int bind_query_file(int q, bool optimize, fl_buf *explain)
{
    char rel[64];
    snprintf(rel, sizeof rel, "tpcds/queries/%02d.sql", q);
    size_t len;
    char *text = sqlt_read_file(ft_shared(rel), &len);
    if (!text) {
        printf("  cannot read %s\n", rel);
        return -1;
    }
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_script script;
    int rc = sql_parse(&script, text, len, arena, &err);
    for (uint32_t i = 0; rc == 0 && i < script.count; i++) {
        plan_stmt *ps;
        rc = bind_statement(&ps, script.stmts[i], text, bt_env(), arena, &err);
        if (rc == 0 && optimize) rc = opt_optimize(ps, arena, &err);
        if (rc == 0 && ps->column_count == 0) rc = fl_error_set(&err, FLOE_EINTERNAL, "no columns");
        const char *why = NULL;
        if (rc == 0 && !validate(ps->root, arena, &why)) {
            fl_buf ex;
            fl_buf_init(&ex);
            plan_explain(&ex, ps->root, &err);
            printf("%s\n", fl_buf_cstr(&ex));
            fl_buf_dispose(&ex);
            rc = fl_error_set(&err, FLOE_EINTERNAL, "invalid plan: %s", why);
        }
        if (rc == 0 && explain) rc = plan_explain(explain, ps->root, &err);
    }
    if (rc < 0) printf("  query %02d: %s\n", q, err.message);
    fl_arena_free(arena);
    fl_free(text);
    return rc;
}

TEST(bind_tpcds_all_queries_bind_and_optimize)
{
    if (!CHECK(bt_env() != NULL)) return;
    int bound = 0, optimized = 0;
    for (int q = 1; q <= 99; q++) {
        if (bind_query_file(q, false, NULL) == 0) bound++;
        if (bind_query_file(q, true, NULL) == 0) optimized++;
    }
    printf("  TPC-DS: %d/99 bind, %d/99 bind and optimize\n", bound, optimized);
    CHECK_EQ(bound, 99);
    CHECK_EQ(optimized, 99);
}

TEST(bind_tpcds_star_joins_have_keys)
{
    if (!CHECK(bt_env() != NULL)) return;
    /* web-channel queries whose FROM lists are comma joins: after optimization no
     * INNER join may be left without conditions (90 crosses two one-row aggregates
     * on purpose and is not in the list) */
    static const int queries[] = {12, 62, 92, 94, 95, 85, 45, 30, 81, 6};
    for (size_t i = 0; i < FL_ARRAY_SIZE(queries); i++) {
        fl_buf ex;
        fl_buf_init(&ex);
        CHECK_EQ(bind_query_file(queries[i], true, &ex), 0);
        const char *s = fl_buf_cstr(&ex);
        const char *p = s;
        while ((p = strstr(p, "JOIN INNER")) != NULL) {
            p += 10;
            if (!CHECK(strncmp(p, " conds=", 7) == 0)) printf("  query %d:\n%s\n", queries[i], s);
        }
        fl_buf_dispose(&ex);
    }
}
