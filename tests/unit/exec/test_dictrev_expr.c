/*
 * test_dictrev_expr.c: review tests for expressions over dictionary vectors
 * (src/exec/ex_expr_dict.c, ex_expr_eval.c): the per-entry cache after a
 * failed computation (entries a failing chunk marked must not answer later
 * chunks with values never computed), a dictionary of computed results fed
 * into a second expression state (it has an id of its own),
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
#include "dict_test_util.h"

static plan_expr *cast_int(fl_arena *a, plan_expr *x)
{
    plan_expr *c = plan_expr_new(a, PLAN_EX_CAST, DT_I32, 1);
    c->args[0] = x;
    return c;
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
    fl_column *values = dt_strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    ex_expr_state *st = dt_state(cast_int(a, dt_col_s(a)), a);
    static const uint32_t BAD[] = {3, 0, 3};
    ex_chunk d1;
    dt_dict_chunk(&d1, a, values, id, BAD, NULL, 3);
    ex_vector v;
    CHECK(ex_expr_eval_dict(st, &d1, &v, a, &err) < 0);
    CHECK(strstr(err.message, "apple") != NULL);
    static const uint32_t GOOD[] = {3, 4, 3};
    ex_chunk d2;
    dt_dict_chunk(&d2, a, values, id, GOOD, NULL, 3);
    CHECK_OK(ex_expr_eval_dict(st, &d2, &v, a, &err), &err);
    char b[128];
    dt_render(b, sizeof b, &v, 3);
    CHECK_STR(b, "12,NULL,12");
    /* the same through the flat entry point */
    CHECK_OK(ex_expr_eval(st, &d2, &v, a, &err), &err);
    dt_render(b, sizeof b, &v, 3);
    CHECK_STR(b, "12,NULL,12");
    fl_arena_free(a);
}

/* An index beyond the dictionary (a corrupt batch) is an error; entries the
 * same chunk used before it are not left marked either. */
TEST(dictrev_bad_index_leaves_no_entry_marked)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_column *values = dt_strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    ex_expr_state *st = dt_state(dt_call1(a, "upper", dt_col_s(a)), a);
    static const uint32_t BAD[] = {1, 2, 77};
    ex_chunk d1;
    dt_dict_chunk(&d1, a, values, id, BAD, NULL, 3);
    ex_vector v;
    CHECK(ex_expr_eval_dict(st, &d1, &v, a, &err) < 0);
    static const uint32_t GOOD[] = {2, 1, 0};
    ex_chunk d2;
    dt_dict_chunk(&d2, a, values, id, GOOD, NULL, 3);
    CHECK_OK(ex_expr_eval_dict(st, &d2, &v, a, &err), &err);
    char b[128];
    dt_render(b, sizeof b, &v, 3);
    CHECK_STR(b, "CHERRY,BANANA,APPLE");
    fl_arena_free(a);
}

/* A projection's per-entry result (upper(s)) is a dictionary over the
 * state's cache with an id of its own; a second state
 * (a filter above the projection) caches per entry of that derived
 * dictionary across chunks, then meets a new source dictionary: every
 * answer equals the flat evaluation. */
TEST(dictrev_derived_dictionary_feeds_another_state)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    static const char *E2[] = {"apple", "Apricot", "cherry", NULL, "avocado"};
    fl_column *v1 = dt_strings(a, ENTS, 5), *v2 = dt_strings(a, E2, 5);
    uint64_t id1 = fl_dict_next_id(), id2 = fl_dict_next_id();
    ex_expr_state *proj = dt_state(dt_call1(a, "upper", dt_col_s(a)), a);
    plan_expr *like = dt_call2(a, "like", dt_col_s(a), dt_str(a, "A%"));
    ex_expr_state *filt = dt_state(like, a), *flat = dt_state(like, a);
    static const uint32_t I1[] = {0, 1, 4, 0, 3}, I2[] = {2, 3, 0, 1}, I3[] = {1, 4, 3, 0};
    struct { fl_column *v; uint64_t id; const uint32_t *idx; size_t n; const char *want; } steps[] = {
        {v1, id1, I1, 5, "t,f,NULL,t,f"},
        {v1, id1, I2, 4, "f,f,t,f"},
        {v2, id2, I3, 4, "t,t,NULL,t"},
    };
    for (size_t k = 0; k < 3; k++) {
        ex_chunk in;
        dt_dict_chunk(&in, a, steps[k].v, steps[k].id, steps[k].idx, NULL, steps[k].n);
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
        dt_render(b, sizeof b, &r, steps[k].n);
        CHECK_STR(b, steps[k].want);
        ex_chunk f;
        dt_flat_copy(&f, a, &mid);
        CHECK_OK(ex_expr_eval(flat, &f, &r, a, &err), &err);
        dt_render(bf, sizeof bf, &r, steps[k].n);
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
    fl_column *values = dt_strings(a, ENTS, 5);
    static const uint32_t IDX[] = {0, 1, 4, 2, 1, 1, 3, 0, 4, 2, 3, 3};
    static const int32_t XS[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    ex_chunk d;
    dt_dict_chunk(&d, a, values, fl_dict_next_id(), IDX, XS, 12);
    plan_expr *in = plan_expr_new(a, PLAN_EX_IN_LIST, DT_BOOL, 4);
    in->args[0] = dt_col_x(a);
    in->args[1] = dt_int(a, 7);
    in->args[2] = dt_int(a, 11);
    in->args[3] = dt_int(a, 12);
    plan_expr *sum = dt_call2(a, "+", cast_int(a, dt_col_s(a)), dt_col_x(a));
    plan_expr *cs = plan_expr_new(a, PLAN_EX_CASE, sum->type, 2);
    cs->args[0] = in;
    cs->args[1] = sum;
    ex_expr_state *st = dt_state(cs, a);
    ex_vector v;
    CHECK_OK(ex_expr_eval_dict(st, &d, &v, a, &err), &err);
    char b[128];
    dt_render(b, sizeof b, &v, 12);
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
    fl_column *values = dt_strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    plan_expr *len = dt_call1(a, "length", dt_col_s(a));
    fl_value m1 = {.type = len->type};
    m1.v.i64 = -1;
    plan_expr *co = plan_expr_new(a, PLAN_EX_COALESCE, len->type, 2);
    co->args[0] = len;
    co->args[1] = plan_expr_const(a, &m1);
    plan_expr *e = dt_call2(a, "<", dt_call1(a, "length", dt_col_s(a)), dt_int(a, 6));
    ex_expr_state *st = dt_state(e, a);
    static const uint32_t I1[] = {0, 3, 1}, I2[] = {4, 3, 2, 4};
    ex_chunk d1, d2;
    dt_dict_chunk(&d1, a, values, id, I1, NULL, 3);
    dt_dict_chunk(&d2, a, values, id, I2, NULL, 4);
    ex_vector r1, r2;
    CHECK_OK(ex_expr_eval_dict(st, &d1, &r1, a, &err), &err);
    CHECK_EQ(r1.kind, EX_VECTOR_DICT);
    CHECK(r1.col->validity == NULL);
    char b[128];
    dt_render(b, sizeof b, &r1, 3);
    CHECK_STR(b, "t,t,f");
    CHECK_OK(ex_expr_eval_dict(st, &d2, &r2, a, &err), &err);
    dt_render(b, sizeof b, &r2, 4);
    CHECK_STR(b, "NULL,t,f,NULL");
    dt_render(b, sizeof b, &r1, 3);
    CHECK_STR(b, "t,t,f");
    /* and the coalesce over the same dictionary: NULL entry -> -1 */
    ex_expr_state *st2 = dt_state(co, a);
    ex_vector r3;
    CHECK_OK(ex_expr_eval_dict(st2, &d2, &r3, a, &err), &err);
    dt_render(b, sizeof b, &r3, 4);
    CHECK_STR(b, "-1,2,6,-1");
    fl_arena_free(a);
}
