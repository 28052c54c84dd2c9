/*
 * test_expr.c: the expression compiler and evaluator (src/exec/ex_expr*.c)
 * over hand-built bound expressions and chunks: function calls with NULLs,
 * constants folded once, three-valued AND/OR/NOT, CASE evaluating branches
 * only on their rows (no division by zero), COALESCE, IN lists (hashed and
 * row-wise), casts, selection and constant folding.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/error.h"
#include "../../../src/exec/op.h"
#include "../../../src/func/func.h"

#define I32 fl_type_make(FL_TYPE_INT32)
#define BOOLT fl_type_make(FL_TYPE_BOOL)

/* Column 0: x int (values; nulls where null_mask bit set); column 1: s varchar. */
static void make_chunk(ex_chunk *c, fl_arena *a, const int32_t *x, uint32_t null_mask,
                       const char **s, size_t n)
{
    fl_type types[2] = {I32, fl_type_make(FL_TYPE_STRING)};
    fl_error err;
    CHECK_OK(ex_chunk_init(c, a, types, 2, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = I32, .is_null = (null_mask >> i) & 1};
        v.v.i64 = x[i];
        CHECK_OK(ex_column_set(c->cols[0].col, i, &v, &err), &err);
        fl_value t = {.type = fl_type_make(FL_TYPE_STRING), .is_null = s[i] == NULL};
        if (s[i]) t.v.s = fl_strv_cstr(s[i]);
        CHECK_OK(ex_column_set(c->cols[1].col, i, &t, &err), &err);
    }
    c->cols[0].col->len = c->cols[1].col->len = n;
    c->count = n;
}

static plan_binding B0 = {7, 0}, B1 = {7, 1};

static plan_expr *col_x(fl_arena *a) { return plan_expr_colref(a, B0, I32, "x"); }
static plan_expr *col_s(fl_arena *a) { return plan_expr_colref(a, B1, fl_type_make(FL_TYPE_STRING), "s"); }
static plan_expr *int_const(fl_arena *a, int64_t v)
{
    fl_value val = {.type = I32};
    val.v.i64 = v;
    return plan_expr_const(a, &val);
}
static plan_expr *null_const(fl_arena *a, fl_type t)
{
    fl_value val = {.type = t, .is_null = true};
    return plan_expr_const(a, &val);
}

static plan_expr *call(fl_arena *a, const char *name, plan_expr *l, plan_expr *r)
{
    fl_type types[2] = {l->type, r ? r->type : l->type};
    const fn_scalar_bound *fn = NULL;
    fl_error err;
    CHECK_OK(fn_scalar_bind(&fn, name, types, r ? 2 : 1, a, &err), &err);
    plan_expr *e = plan_expr_new(a, PLAN_EX_FUNC, fn->ret, r ? 2 : 1);
    e->u.fn = fn;
    e->name = name;
    e->args[0] = l;
    if (r) e->args[1] = r;
    return e;
}

static plan_expr *node2(fl_arena *a, plan_expr_kind k, fl_type t, plan_expr *x, plan_expr *y)
{
    plan_expr *e = plan_expr_new(a, k, t, y ? 2 : 1);
    e->args[0] = x;
    if (y) e->args[1] = y;
    return e;
}

/* Evaluates e over c and renders each row as text ("NULL" for NULL), joined by ','. */
static int eval_text(char *buf, size_t cap, const plan_expr *e, const ex_chunk *c, fl_arena *a,
                     fl_error *err)
{
    plan_binding bs[2] = {B0, B1};
    ex_expr *x;
    ex_expr_state *st;
    ex_vector v;
    int rc = ex_expr_compile(&x, e, bs, 2, a, err);
    if (rc == 0) rc = ex_expr_state_new(&st, x, a, err);
    if (rc == 0) rc = ex_expr_eval(st, c, &v, a, err);
    if (rc < 0) return rc;
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->count; i++) {
        fl_value val;
        ex_vector_get(&v, i, &val);
        char one[64];
        if (val.is_null) snprintf(one, sizeof one, "NULL");
        else if (val.type.id == FL_TYPE_BOOL) snprintf(one, sizeof one, "%s", val.v.b ? "t" : "f");
        else if (fl_type_is_varlen(val.type)) snprintf(one, sizeof one, "%.*s", (int)val.v.s.len, val.v.s.ptr);
        else snprintf(one, sizeof one, "%lld", (long long)val.v.i64);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", one);
    }
    return 0;
}

static const int32_t XS[] = {0, 2, 5, 0, 10};
static const char *SS[] = {"a", "bb", NULL, "", "e"};
#define XNULLS 0x4u   /* row 2 is NULL */

TEST(expr_func_nulls_and_constants)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_chunk c;
    char out[256];
    make_chunk(&c, a, XS, XNULLS, SS, 5);
    /* x + (1 + 2): NULL propagates; the constant subtree is folded */
    plan_expr *e = call(a, "+", col_x(a), call(a, "+", int_const(a, 1), int_const(a, 2)));
    CHECK_OK(eval_text(out, sizeof out, e, &c, a, &err), &err);
    CHECK_STR(out, "3,5,NULL,3,13");
    /* x + NULL: all NULL */
    e = call(a, "+", col_x(a), null_const(a, I32));
    CHECK_OK(eval_text(out, sizeof out, e, &c, a, &err), &err);
    CHECK_STR(out, "NULL,NULL,NULL,NULL,NULL");
    /* 10 / x fails on the zero rows */
    e = call(a, "/", int_const(a, 10), col_x(a));
    CHECK(eval_text(out, sizeof out, e, &c, a, &err) < 0);
    CHECK_STR(err.sqlstate, "22012");
    fl_arena_free(a);
}

TEST(expr_case_skips_rows_of_other_branches)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_chunk c;
    char out[256];
    make_chunk(&c, a, XS, XNULLS, SS, 5);
    /* CASE WHEN x = 0 THEN NULL ELSE 10 / x END */
    plan_expr *cs = plan_expr_new(a, PLAN_EX_CASE, I32, 3);
    cs->u.has_else = true;
    cs->args[0] = call(a, "=", col_x(a), int_const(a, 0));
    cs->args[1] = null_const(a, I32);
    cs->args[2] = call(a, "/", int_const(a, 10), col_x(a));
    CHECK_OK(eval_text(out, sizeof out, cs, &c, a, &err), &err);
    CHECK_STR(out, "NULL,5,NULL,NULL,1");
    /* CASE WHEN x > 3 THEN 1 WHEN x > 1 THEN 2 END (no ELSE) */
    plan_expr *c2 = plan_expr_new(a, PLAN_EX_CASE, I32, 4);
    c2->args[0] = call(a, ">", col_x(a), int_const(a, 3));
    c2->args[1] = int_const(a, 1);
    c2->args[2] = call(a, ">", col_x(a), int_const(a, 1));
    c2->args[3] = int_const(a, 2);
    CHECK_OK(eval_text(out, sizeof out, c2, &c, a, &err), &err);
    CHECK_STR(out, "NULL,2,NULL,NULL,1");
    /* every row takes the first branch */
    plan_expr *c3 = plan_expr_new(a, PLAN_EX_CASE, fl_type_make(FL_TYPE_STRING), 3);
    c3->u.has_else = true;
    c3->args[0] = node2(a, PLAN_EX_IS_NOT_NULL, BOOLT, int_const(a, 1), NULL);
    c3->args[1] = col_s(a);
    c3->args[2] = null_const(a, fl_type_make(FL_TYPE_STRING));
    CHECK_OK(eval_text(out, sizeof out, c3, &c, a, &err), &err);
    CHECK_STR(out, "a,bb,NULL,,e");
    fl_arena_free(a);
}

TEST(expr_three_valued_logic)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_chunk c;
    char out[256];
    make_chunk(&c, a, XS, XNULLS, SS, 5);
    plan_expr *gt1 = call(a, ">", col_x(a), int_const(a, 1));   /* f,t,NULL,f,t */
    plan_expr *snull = node2(a, PLAN_EX_IS_NULL, BOOLT, col_s(a), NULL);   /* f,f,t,f,f */
    CHECK_OK(eval_text(out, sizeof out, gt1, &c, a, &err), &err);
    CHECK_STR(out, "f,t,NULL,f,t");
    CHECK_OK(eval_text(out, sizeof out, node2(a, PLAN_EX_AND, BOOLT, gt1, snull), &c, a, &err), &err);
    CHECK_STR(out, "f,f,NULL,f,f");
    CHECK_OK(eval_text(out, sizeof out, node2(a, PLAN_EX_OR, BOOLT, gt1, snull), &c, a, &err), &err);
    CHECK_STR(out, "f,t,t,f,t");
    CHECK_OK(eval_text(out, sizeof out, node2(a, PLAN_EX_NOT, BOOLT, gt1, NULL), &c, a, &err), &err);
    CHECK_STR(out, "t,f,NULL,t,f");
    /* x <> 0 AND 10 / x > 1: the division only runs where x <> 0 */
    plan_expr *safe = node2(a, PLAN_EX_AND, BOOLT, call(a, "<>", col_x(a), int_const(a, 0)),
                            call(a, ">", call(a, "/", int_const(a, 10), col_x(a)), int_const(a, 1)));
    CHECK_OK(eval_text(out, sizeof out, safe, &c, a, &err), &err);
    CHECK_STR(out, "f,t,NULL,f,f");
    /* selection keeps true rows only */
    plan_binding bs[2] = {B0, B1};
    ex_expr *x;
    ex_expr_state *st;
    uint32_t sel[8];
    size_t n = 0;
    CHECK_OK(ex_expr_compile(&x, safe, bs, 2, a, &err), &err);
    CHECK_OK(ex_expr_state_new(&st, x, a, &err), &err);
    CHECK_OK(ex_expr_select(st, &c, sel, &n, a, &err), &err);
    CHECK_EQ(n, 1);
    CHECK_EQ(sel[0], 1);
    fl_arena_free(a);
}

TEST(expr_coalesce_in_list_cast)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_chunk c;
    char out[256];
    make_chunk(&c, a, XS, XNULLS, SS, 5);
    plan_expr *co = node2(a, PLAN_EX_COALESCE, I32, col_x(a), int_const(a, -1));
    CHECK_OK(eval_text(out, sizeof out, co, &c, a, &err), &err);
    CHECK_STR(out, "0,2,-1,0,10");
    /* x IN (2, 10, NULL): hashed; a miss is NULL because of the NULL item */
    plan_expr *in = plan_expr_new(a, PLAN_EX_IN_LIST, BOOLT, 4);
    in->args[0] = col_x(a);
    in->args[1] = int_const(a, 2);
    in->args[2] = int_const(a, 10);
    in->args[3] = null_const(a, I32);
    CHECK_OK(eval_text(out, sizeof out, in, &c, a, &err), &err);
    CHECK_STR(out, "NULL,t,NULL,NULL,t");
    /* s IN ('bb', 'x') */
    fl_value bb = {.type = fl_type_make(FL_TYPE_STRING)}, xx = bb;
    bb.v.s = fl_strv_cstr("bb");
    xx.v.s = fl_strv_cstr("x");
    plan_expr *in2 = plan_expr_new(a, PLAN_EX_IN_LIST, BOOLT, 3);
    in2->args[0] = col_s(a);
    in2->args[1] = plan_expr_const(a, &bb);
    in2->args[2] = plan_expr_const(a, &xx);
    CHECK_OK(eval_text(out, sizeof out, in2, &c, a, &err), &err);
    CHECK_STR(out, "f,t,NULL,f,f");
    /* x IN (x + 0, 5): row-wise items */
    plan_expr *in3 = plan_expr_new(a, PLAN_EX_IN_LIST, BOOLT, 3);
    in3->args[0] = call(a, "+", col_x(a), int_const(a, 1));
    in3->args[1] = col_x(a);
    in3->args[2] = int_const(a, 3);
    CHECK_OK(eval_text(out, sizeof out, in3, &c, a, &err), &err);
    CHECK_STR(out, "f,t,NULL,f,f");
    /* CAST(x AS varchar) */
    plan_expr *cast = node2(a, PLAN_EX_CAST, fl_type_make(FL_TYPE_STRING), col_x(a), NULL);
    CHECK_OK(eval_text(out, sizeof out, cast, &c, a, &err), &err);
    CHECK_STR(out, "0,2,NULL,0,10");
    /* TRY_CAST(s AS integer): failures become NULL */
    plan_expr *tc = node2(a, PLAN_EX_CAST, I32, col_s(a), NULL);
    tc->u.try_cast = true;
    CHECK_OK(eval_text(out, sizeof out, tc, &c, a, &err), &err);
    CHECK_STR(out, "NULL,NULL,NULL,NULL,NULL");
    fl_arena_free(a);
}

TEST(expr_fold_and_errors)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_value v;
    CHECK_OK(ex_expr_fold(&v, call(a, "*", int_const(a, 6), int_const(a, 7)), a, &err), &err);
    CHECK(!v.is_null);
    CHECK_EQ(v.v.i64, 42);
    CHECK_OK(ex_expr_fold(&v, call(a, "+", int_const(a, 1), null_const(a, I32)), a, &err), &err);
    CHECK(v.is_null);
    CHECK(ex_expr_fold(&v, call(a, "/", int_const(a, 1), int_const(a, 0)), a, &err) < 0);
    /* a column reference outside the input layout is an internal error */
    ex_expr *x;
    plan_binding other = {99, 0};
    CHECK(ex_expr_compile(&x, col_x(a), &other, 1, a, &err) == FLOE_EINTERNAL);
    fl_arena_free(a);
}
