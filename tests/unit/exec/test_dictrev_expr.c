/*
 * test_dictrev_expr.c: review tests for expressions over dictionary vectors
 * (src/exec/ex_expr_dict.c, ex_expr_eval.c): the per-entry cache after a
 * failed computation (entries a failing chunk marked must not answer later
 * chunks with values never computed), a dictionary of computed results fed
 * into a second expression state (it carries the source dictionary's id),
 * a per-entry THEN branch evaluated on the rows its WHEN selects, and an
 * earlier output of the same dictionary still read correctly after a later
 * chunk computed a NULL entry (the cache's validity appears then).
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/error.h"
#include "../../../src/exec/op.h"
#include "../../../src/func/func.h"

#define I32 fl_type_make(FL_TYPE_INT32)
#define STR fl_type_make(FL_TYPE_STRING)
#define BOOLT fl_type_make(FL_TYPE_BOOL)

static plan_binding B0 = {9, 0}, B1 = {9, 1};

static fl_column *strings(fl_arena *a, const char **ents, size_t n)
{
    fl_column *col = NULL;
    fl_error err;
    CHECK_OK(ex_column_alloc(&col, a, STR, n, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = STR, .is_null = ents[i] == NULL};
        if (ents[i]) v.v.s = fl_strv_cstr(ents[i]);
        CHECK_OK(ex_column_set(col, i, &v, &err), &err);
    }
    return col;
}

/* A chunk: column 0 x (int, flat, x[i]), column 1 a dictionary vector. */
static void dict_chunk(ex_chunk *d, fl_arena *a, fl_column *values, uint64_t id,
                       const uint32_t *idx, const int32_t *x, size_t n)
{
    fl_type types[2] = {I32, STR};
    fl_error err;
    CHECK_OK(ex_chunk_init(d, a, types, 2, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = I32};
        v.v.i64 = x ? x[i] : (int32_t)i;
        CHECK_OK(ex_column_set(d->cols[0].col, i, &v, &err), &err);
    }
    d->cols[0].col->len = n;
    fl_dict_column dc = {.values = values, .idx = idx, .len = n, .id = id};
    ex_vector_from_dict(&d->cols[1], &dc);
    d->count = n;
}

/* The same rows with column 1 flat. */
static void flat_copy(ex_chunk *f, fl_arena *a, const ex_chunk *d)
{
    fl_error err;
    *f = *d;
    f->cols = fl_arena_alloc(a, 2 * sizeof *f->cols);
    CHECK(f->cols != NULL);
    f->cols[0] = d->cols[0];
    f->cols[1] = d->cols[1];
    CHECK_OK(ex_vector_flatten(&f->cols[1], d->count, a, &err), &err);
}

static plan_expr *col_x(fl_arena *a) { return plan_expr_colref(a, B0, I32, "x"); }
static plan_expr *col_s(fl_arena *a) { return plan_expr_colref(a, B1, STR, "s"); }
static plan_expr *int_const(fl_arena *a, int64_t n)
{
    fl_value v = {.type = I32};
    v.v.i64 = n;
    return plan_expr_const(a, &v);
}
static plan_expr *str_const(fl_arena *a, const char *s)
{
    fl_value v = {.type = STR};
    v.v.s = fl_strv_cstr(s);
    return plan_expr_const(a, &v);
}
static plan_expr *call(fl_arena *a, const char *name, plan_expr **args, uint32_t n)
{
    fl_type types[4];
    for (uint32_t i = 0; i < n; i++) types[i] = args[i]->type;
    const fn_scalar_bound *fn = NULL;
    fl_error err;
    CHECK_OK(fn_scalar_bind(&fn, name, types, n, a, &err), &err);
    plan_expr *e = plan_expr_new(a, PLAN_EX_FUNC, fn->ret, n);
    e->u.fn = fn;
    e->name = name;
    for (uint32_t i = 0; i < n; i++) e->args[i] = args[i];
    return e;
}
static plan_expr *call1(fl_arena *a, const char *name, plan_expr *x)
{
    return call(a, name, &x, 1);
}
static plan_expr *call2(fl_arena *a, const char *name, plan_expr *l, plan_expr *r)
{
    plan_expr *args[2] = {l, r};
    return call(a, name, args, 2);
}
static plan_expr *cast_int(fl_arena *a, plan_expr *x)
{
    plan_expr *c = plan_expr_new(a, PLAN_EX_CAST, I32, 1);
    c->args[0] = x;
    return c;
}

static ex_expr_state *state_for(const plan_expr *e, fl_arena *a)
{
    plan_binding bs[2] = {B0, B1};
    ex_expr *x = NULL;
    ex_expr_state *st = NULL;
    fl_error err;
    CHECK_OK(ex_expr_compile(&x, e, bs, 2, a, &err), &err);
    CHECK_OK(ex_expr_state_new(&st, x, a, &err), &err);
    return st;
}

static void render(char *buf, size_t cap, const ex_vector *v, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        fl_value val;
        ex_vector_get(v, i, &val);
        char one[64];
        if (val.is_null || !ex_vector_is_valid(v, i)) snprintf(one, sizeof one, "NULL");
        else if (val.type.id == FL_TYPE_BOOL) snprintf(one, sizeof one, "%s", val.v.b ? "t" : "f");
        else if (fl_type_is_varlen(val.type))
            snprintf(one, sizeof one, "%.*s", (int)val.v.s.len, val.v.s.ptr);
        else snprintf(one, sizeof one, "%lld", (long long)val.v.i64);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "," : "", one);
    }
}

static const char *ENTS[] = {"apple", "banana", "cherry", "12", NULL};

/* CAST(s AS int) fails on "apple": the failing chunk must not leave "12"
 * (computed in the same batch of entries) marked as done with no value, so
 * a later chunk of the same dictionary that uses only "12" answers 12, as
 * a state evaluating rows does. */
TEST(dictrev_failed_chunk_leaves_no_entry_marked)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_column *values = strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    ex_expr_state *st = state_for(cast_int(a, col_s(a)), a);
    static const uint32_t BAD[] = {3, 0, 3};
    ex_chunk d1;
    dict_chunk(&d1, a, values, id, BAD, NULL, 3);
    ex_vector v;
    CHECK(ex_expr_eval_dict(st, &d1, &v, a, &err) < 0);
    CHECK(strstr(err.message, "apple") != NULL);
    static const uint32_t GOOD[] = {3, 4, 3};
    ex_chunk d2;
    dict_chunk(&d2, a, values, id, GOOD, NULL, 3);
    CHECK_OK(ex_expr_eval_dict(st, &d2, &v, a, &err), &err);
    char b[128];
    render(b, sizeof b, &v, 3);
    CHECK_STR(b, "12,NULL,12");
    /* the same through the flat entry point */
    CHECK_OK(ex_expr_eval(st, &d2, &v, a, &err), &err);
    render(b, sizeof b, &v, 3);
    CHECK_STR(b, "12,NULL,12");
    fl_arena_free(a);
}

/* An index beyond the dictionary (a corrupt batch) is an error; entries the
 * same chunk used before it are not left marked either. */
TEST(dictrev_bad_index_leaves_no_entry_marked)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_column *values = strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    ex_expr_state *st = state_for(call1(a, "upper", col_s(a)), a);
    static const uint32_t BAD[] = {1, 2, 77};
    ex_chunk d1;
    dict_chunk(&d1, a, values, id, BAD, NULL, 3);
    ex_vector v;
    CHECK(ex_expr_eval_dict(st, &d1, &v, a, &err) < 0);
    static const uint32_t GOOD[] = {2, 1, 0};
    ex_chunk d2;
    dict_chunk(&d2, a, values, id, GOOD, NULL, 3);
    CHECK_OK(ex_expr_eval_dict(st, &d2, &v, a, &err), &err);
    char b[128];
    render(b, sizeof b, &v, 3);
    CHECK_STR(b, "CHERRY,BANANA,APPLE");
    fl_arena_free(a);
}

/* A projection's per-entry result (upper(s)) is a dictionary over the
 * state's cache that keeps the source dictionary's id; a second state
 * (a filter above the projection) caches per entry of that derived
 * dictionary across chunks, then meets a new source dictionary: every
 * answer equals the flat evaluation. */
TEST(dictrev_derived_dictionary_feeds_another_state)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    static const char *E2[] = {"apple", "Apricot", "cherry", NULL, "avocado"};
    fl_column *v1 = strings(a, ENTS, 5), *v2 = strings(a, E2, 5);
    uint64_t id1 = fl_dict_next_id(), id2 = fl_dict_next_id();
    ex_expr_state *proj = state_for(call1(a, "upper", col_s(a)), a);
    plan_expr *like = call2(a, "like", col_s(a), str_const(a, "A%"));
    ex_expr_state *filt = state_for(like, a), *flat = state_for(like, a);
    static const uint32_t I1[] = {0, 1, 4, 0, 3}, I2[] = {2, 3, 0, 1}, I3[] = {1, 4, 3, 0};
    struct { fl_column *v; uint64_t id; const uint32_t *idx; size_t n; const char *want; } steps[] = {
        {v1, id1, I1, 5, "t,f,NULL,t,f"},
        {v1, id1, I2, 4, "f,f,t,f"},
        {v2, id2, I3, 4, "t,t,NULL,t"},
    };
    for (size_t k = 0; k < 3; k++) {
        ex_chunk in;
        dict_chunk(&in, a, steps[k].v, steps[k].id, steps[k].idx, NULL, steps[k].n);
        /* the projection's output chunk: x passed on, upper(s) as computed */
        ex_chunk mid = in;
        mid.cols = fl_arena_alloc(a, 2 * sizeof *mid.cols);
        CHECK(mid.cols != NULL);
        mid.cols[0] = in.cols[0];
        CHECK_OK(ex_expr_eval_dict(proj, &in, &mid.cols[1], a, &err), &err);
        CHECK_EQ(mid.cols[1].kind, EX_VECTOR_DICT);
        CHECK(mid.cols[1].dict_id != steps[k].id);   /* computed entries: a dictionary of their own */
        ex_vector r;
        CHECK_OK(ex_expr_eval_dict(filt, &mid, &r, a, &err), &err);
        char b[128], bf[128];
        render(b, sizeof b, &r, steps[k].n);
        CHECK_STR(b, steps[k].want);
        ex_chunk f;
        flat_copy(&f, a, &mid);
        CHECK_OK(ex_expr_eval(flat, &f, &r, a, &err), &err);
        render(bf, sizeof bf, &r, steps[k].n);
        CHECK_STR(b, bf);
    }
    fl_arena_free(a);
}

/* CASE WHEN x IN (...) THEN CAST(s AS int) + x END: the THEN branch reads
 * one dictionary column but is evaluated on the WHEN's rows only (their
 * entries are all "12"); the cast must not meet "apple". */
TEST(dictrev_case_branch_runs_on_its_rows_entries)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_column *values = strings(a, ENTS, 5);
    static const uint32_t IDX[] = {0, 1, 4, 2, 1, 1, 3, 0, 4, 2, 3, 3};
    static const int32_t XS[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    ex_chunk d;
    dict_chunk(&d, a, values, fl_dict_next_id(), IDX, XS, 12);
    plan_expr *in = plan_expr_new(a, PLAN_EX_IN_LIST, BOOLT, 4);
    in->args[0] = col_x(a);
    in->args[1] = int_const(a, 7);
    in->args[2] = int_const(a, 11);
    in->args[3] = int_const(a, 12);
    plan_expr *sum = call2(a, "+", cast_int(a, col_s(a)), col_x(a));
    plan_expr *cs = plan_expr_new(a, PLAN_EX_CASE, sum->type, 2);
    cs->args[0] = in;
    cs->args[1] = sum;
    ex_expr_state *st = state_for(cs, a);
    ex_vector v;
    CHECK_OK(ex_expr_eval_dict(st, &d, &v, a, &err), &err);
    char b[128];
    render(b, sizeof b, &v, 12);
    CHECK_STR(b, "NULL,NULL,NULL,NULL,NULL,NULL,19,NULL,NULL,NULL,23,24");
    fl_arena_free(a);
}

/* Two chunks of one dictionary: the first computes entries whose results
 * are all non-NULL (the result dictionary has no validity), the second
 * computes the NULL entry. The first output, still referenced (it is valid
 * until the state evaluates a chunk of another dictionary), reads the
 * same rows as before; the second reads its NULL. */
TEST(dictrev_earlier_output_survives_later_null_entry)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_column *values = strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    plan_expr *len = call1(a, "length", col_s(a));
    fl_value m1 = {.type = len->type};
    m1.v.i64 = -1;
    plan_expr *co = plan_expr_new(a, PLAN_EX_COALESCE, len->type, 2);
    co->args[0] = len;
    co->args[1] = plan_expr_const(a, &m1);
    plan_expr *e = call2(a, "<", call1(a, "length", col_s(a)), int_const(a, 6));
    ex_expr_state *st = state_for(e, a);
    static const uint32_t I1[] = {0, 3, 1}, I2[] = {4, 3, 2, 4};
    ex_chunk d1, d2;
    dict_chunk(&d1, a, values, id, I1, NULL, 3);
    dict_chunk(&d2, a, values, id, I2, NULL, 4);
    ex_vector r1, r2;
    CHECK_OK(ex_expr_eval_dict(st, &d1, &r1, a, &err), &err);
    CHECK_EQ(r1.kind, EX_VECTOR_DICT);
    CHECK(r1.col->validity == NULL);
    char b[128];
    render(b, sizeof b, &r1, 3);
    CHECK_STR(b, "t,t,f");
    CHECK_OK(ex_expr_eval_dict(st, &d2, &r2, a, &err), &err);
    render(b, sizeof b, &r2, 4);
    CHECK_STR(b, "NULL,t,f,NULL");
    render(b, sizeof b, &r1, 3);
    CHECK_STR(b, "t,t,f");
    /* and the coalesce over the same dictionary: NULL entry -> -1 */
    ex_expr_state *st2 = state_for(co, a);
    ex_vector r3;
    CHECK_OK(ex_expr_eval_dict(st2, &d2, &r3, a, &err), &err);
    render(b, sizeof b, &r3, 4);
    CHECK_STR(b, "-1,2,6,-1");
    fl_arena_free(a);
}
