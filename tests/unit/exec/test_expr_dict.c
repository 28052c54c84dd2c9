/*
 * test_expr_dict.c: expressions over dictionary vectors (EX_VECTOR_DICT,
 * src/exec/ex_expr_dict.c and vector.c): every expression gives the same
 * rows over a dictionary column as over the same rows flat; a step over one
 * dictionary column answers with a dictionary vector whose entries are
 * computed once per dictionary (kept across chunks of one dictionary id,
 * dropped for a new id); only the entries rows use are computed, so a CAST
 * that would fail on an entry no selected row uses does not fail; slicing,
 * flattening and appending dictionary vectors.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/error.h"
#include "../../../src/exec/op.h"
#include "../../../src/func/func.h"
#include "dict_test_util.h"

/* Two chunks of the same rows: d has column 1 as a dictionary vector
 * (values, idx, id), f has it flat; column 0 is x (int, flat in both). */
static void make_pair(ex_chunk *d, ex_chunk *f, fl_arena *a, fl_column *values, uint64_t id,
                      const uint32_t *idx, const int32_t *x, size_t n)
{
    fl_type types[2] = {DT_I32, DT_STR};
    fl_error err;
    CHECK_OK(ex_chunk_init(d, a, types, 2, &err), &err);
    CHECK_OK(ex_chunk_init(f, a, types, 2, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = DT_I32};
        v.v.i64 = x[i];
        CHECK_OK(ex_column_set(d->cols[0].col, i, &v, &err), &err);
        CHECK_OK(ex_column_set(f->cols[0].col, i, &v, &err), &err);
        fl_value s;
        fl_column_get(values, idx[i], &s);
        s.is_null = !fl_column_is_valid(values, idx[i]);
        s.type = DT_STR;
        CHECK_OK(ex_column_set(f->cols[1].col, i, &s, &err), &err);
    }
    d->cols[0].col->len = f->cols[0].col->len = f->cols[1].col->len = n;
    fl_dict_column dc = {.values = values, .idx = idx, .len = n, .id = id};
    ex_vector_from_dict(&d->cols[1], &dc);
    d->count = f->count = n;
}

typedef struct compiled {
    ex_expr_state *st;
} compiled;

static void compile(compiled *c, const plan_expr *e, fl_arena *a) { c->st = dt_state(e, a); }

/* e over d (dictionary-aware) and over f (flat) render the same rows;
 * returns the kind of the dictionary-aware result. */
static ex_vector_kind same_rows(const plan_expr *e, const ex_chunk *d, const ex_chunk *f,
                                fl_arena *a)
{
    compiled cd, cf;
    compile(&cd, e, a);
    compile(&cf, e, a);
    fl_error err;
    ex_vector vd, vf, vflat;
    CHECK_OK(ex_expr_eval_dict(cd.st, d, &vd, a, &err), &err);
    CHECK_OK(ex_expr_eval(cf.st, f, &vf, a, &err), &err);
    char bd[512], bf[512];
    dt_render(bd, sizeof bd, &vd, d->count);
    dt_render(bf, sizeof bf, &vf, f->count);
    CHECK_STR(bd, bf);
    /* ex_expr_eval never answers with a dictionary */
    compiled cp;
    compile(&cp, e, a);
    CHECK_OK(ex_expr_eval(cp.st, d, &vflat, a, &err), &err);
    CHECK(vflat.kind != EX_VECTOR_DICT);
    dt_render(bd, sizeof bd, &vflat, d->count);
    CHECK_STR(bd, bf);
    /* selection gives the same rows too (boolean expressions) */
    if (e->type.id == FL_TYPE_BOOL) {
        uint32_t s1[64], s2[64];
        size_t n1 = 0, n2 = 0;
        compiled c1, c2;
        compile(&c1, e, a);
        compile(&c2, e, a);
        CHECK_OK(ex_expr_select(c1.st, d, s1, &n1, a, &err), &err);
        CHECK_OK(ex_expr_select(c2.st, f, s2, &n2, a, &err), &err);
        CHECK_EQ(n1, n2);
        for (size_t i = 0; i < n1 && i < n2; i++) CHECK_EQ(s1[i], s2[i]);
    }
    return vd.kind;
}

static const char *ENTS[] = {"apple", "banana", "cherry", "12", NULL};
static const uint32_t IDX[] = {0, 1, 4, 2, 1, 1, 3, 0, 4, 2, 3, 3};
static const int32_t XS[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
#define N 12

TEST(dict_expressions_match_flat_rows)
{
    fl_arena *a = fl_arena_new(0);
    ex_chunk d, f;
    make_pair(&d, &f, a, dt_strings(a, ENTS, 5), fl_dict_next_id(), IDX, XS, N);
    /* one dictionary column: computed per entry, answered as a dictionary */
    CHECK_EQ(same_rows(dt_call2(a, "=", dt_col_s(a), dt_str(a, "banana")), &d, &f, a), EX_VECTOR_DICT);
    CHECK_EQ(same_rows(dt_call2(a, "<", dt_col_s(a), dt_str(a, "c")), &d, &f, a), EX_VECTOR_DICT);
    plan_expr *like = dt_call2(a, "like", dt_col_s(a), dt_str(a, "%an%"));
    CHECK_EQ(same_rows(like, &d, &f, a), EX_VECTOR_DICT);
    plan_expr *sub[3] = {dt_col_s(a), dt_big(a, 2), dt_big(a, 3)};
    CHECK_EQ(same_rows(dt_call(a, "substr", sub, 3), &d, &f, a), EX_VECTOR_DICT);
    plan_expr *up[1] = {dt_col_s(a)};
    plan_expr *len[1] = {dt_call(a, "upper", up, 1)};
    CHECK_EQ(same_rows(dt_call(a, "length", len, 1), &d, &f, a), EX_VECTOR_DICT);
    plan_expr *in = plan_expr_new(a, PLAN_EX_IN_LIST, DT_BOOL, 3);
    in->args[0] = dt_col_s(a);
    in->args[1] = dt_str(a, "apple");
    in->args[2] = dt_str(a, "12");
    CHECK_EQ(same_rows(in, &d, &f, a), EX_VECTOR_DICT);
    plan_expr *isnull = plan_expr_new(a, PLAN_EX_IS_NULL, DT_BOOL, 1);
    isnull->args[0] = dt_col_s(a);
    CHECK_EQ(same_rows(isnull, &d, &f, a), EX_VECTOR_DICT);
    plan_expr *co = plan_expr_new(a, PLAN_EX_COALESCE, DT_STR, 2);
    co->args[0] = dt_col_s(a);
    co->args[1] = dt_str(a, "none");
    CHECK_EQ(same_rows(co, &d, &f, a), EX_VECTOR_DICT);
    plan_expr *tc = plan_expr_new(a, PLAN_EX_CAST, DT_I32, 1);
    tc->args[0] = dt_col_s(a);
    tc->u.try_cast = true;
    CHECK_EQ(same_rows(tc, &d, &f, a), EX_VECTOR_DICT);
    /* a bare column passes through as it is */
    CHECK_EQ(same_rows(dt_col_s(a), &d, &f, a), EX_VECTOR_DICT);
    /* two columns: evaluated by rows (the dictionary flattened where read) */
    plan_expr *cat = dt_call2(a, "||", dt_col_s(a), plan_expr_new(a, PLAN_EX_CAST, DT_STR, 1));
    cat->args[1]->args[0] = dt_col_x(a);
    CHECK_EQ(same_rows(cat, &d, &f, a), EX_VECTOR_FLAT);
    /* AND of a dictionary conjunct and an integer one; CASE over both */
    plan_expr *and = plan_expr_new(a, PLAN_EX_AND, DT_BOOL, 2);
    and->args[0] = dt_call2(a, ">", dt_col_x(a), dt_int(a, 3));
    and->args[1] = dt_call2(a, "<>", dt_col_s(a), dt_str(a, "banana"));
    CHECK_EQ(same_rows(and, &d, &f, a), EX_VECTOR_FLAT);
    plan_expr *cs = plan_expr_new(a, PLAN_EX_CASE, DT_STR, 3);
    cs->u.has_else = true;
    cs->args[0] = dt_call2(a, "=", dt_col_s(a), dt_str(a, "cherry"));
    cs->args[1] = dt_str(a, "C");
    cs->args[2] = dt_col_s(a);
    CHECK_EQ(same_rows(cs, &d, &f, a), EX_VECTOR_DICT);
    fl_arena_free(a);
}

/* A cast that fails on "apple", "banana" and "cherry": only rows whose
 * entry is "12" (x 7, 11, 12) pass the first conjunct, so the cast runs on
 * "12" alone, as it does row by row. */
TEST(dict_computes_only_entries_rows_use)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_chunk d, f;
    make_pair(&d, &f, a, dt_strings(a, ENTS, 5), fl_dict_next_id(), IDX, XS, N);
    plan_expr *cast = plan_expr_new(a, PLAN_EX_CAST, DT_I32, 1);
    cast->args[0] = dt_col_s(a);
    plan_expr *and = plan_expr_new(a, PLAN_EX_AND, DT_BOOL, 2);
    and->args[0] = dt_call2(a, ">", dt_col_x(a), dt_int(a, 6));
    and->args[1] = dt_call2(a, "=", cast, dt_int(a, 12));
    plan_expr *keep = plan_expr_new(a, PLAN_EX_AND, DT_BOOL, 2);
    keep->args[0] = dt_call2(a, "=", dt_col_s(a), dt_str(a, "12"));
    keep->args[1] = and;
    compiled c;
    compile(&c, keep, a);
    uint32_t sel[N];
    size_t n = 0;
    CHECK_OK(ex_expr_select(c.st, &d, sel, &n, a, &err), &err);
    CHECK_EQ(n, 3);
    CHECK_EQ(sel[0], 6);
    CHECK_EQ(sel[2], 11);
    /* without the guard the cast meets "apple" and fails, as flat rows do */
    compiled bad;
    compile(&bad, cast, a);
    ex_vector v;
    CHECK(ex_expr_eval_dict(bad.st, &d, &v, a, &err) < 0);
    fl_arena_free(a);
}

/* Entries computed for one chunk are reused by the next chunk of the same
 * dictionary; a new dictionary id starts afresh. */
TEST(dict_cache_per_dictionary_id)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_column *values = dt_strings(a, ENTS, 5);
    uint64_t id = fl_dict_next_id();
    ex_chunk d1, f1, d2, f2, d3, f3;
    static const uint32_t IDX2[] = {3, 3, 2, 1, 0, 4};
    make_pair(&d1, &f1, a, values, id, IDX, XS, N);
    make_pair(&d2, &f2, a, values, id, IDX2, XS, 6);
    compiled c;
    compile(&c, dt_call2(a, "=", dt_col_s(a), dt_str(a, "cherry")), a);
    ex_vector v1, v2, v3;
    CHECK_OK(ex_expr_eval_dict(c.st, &d1, &v1, a, &err), &err);
    CHECK_EQ(v1.kind, EX_VECTOR_DICT);
    CHECK(v1.dict_id != 0 && v1.dict_id != id);   /* the results: a dictionary of their own */
    CHECK_OK(ex_expr_eval_dict(c.st, &d2, &v2, a, &err), &err);
    CHECK(v2.col == v1.col);   /* the same cached entries */
    CHECK_EQ(v2.dict_id, v1.dict_id);
    char b[256];
    dt_render(b, sizeof b, &v2, 6);
    CHECK_STR(b, "f,f,t,f,f,NULL");
    /* another dictionary (other entries at the same positions) */
    static const char *OTHER[] = {"cherry", "cherry", "x", "y", NULL};
    make_pair(&d3, &f3, a, dt_strings(a, OTHER, 5), fl_dict_next_id(), IDX2, XS, 6);
    CHECK_OK(ex_expr_eval_dict(c.st, &d3, &v3, a, &err), &err);
    dt_render(b, sizeof b, &v3, 6);
    CHECK_STR(b, "f,f,f,t,t,NULL");
    fl_arena_free(a);
}

/* Rows that bring a new entry each (a dictionary of distinct values): after
 * a chunk's worth of rows the step goes row by row, with the same results. */
TEST(dict_distinct_entries_fall_back_to_rows)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    enum { R = EX_CHUNK_ROWS };
    static const char *ents[3 * R];
    static char text[3 * R][8];
    for (size_t i = 0; i < 3 * R; i++) {
        snprintf(text[i], sizeof text[i], "v%zu", i);
        ents[i] = text[i];
    }
    fl_column *values = dt_strings(a, ents, 3 * R);
    uint64_t id = fl_dict_next_id();
    static uint32_t idx[3][R];
    static int32_t xs[R];
    compiled c;
    compile(&c, dt_call2(a, "like", dt_col_s(a), dt_str(a, "%7")), a);
    for (int chunk = 0; chunk < 3; chunk++) {
        for (size_t i = 0; i < R; i++) idx[chunk][i] = (uint32_t)(chunk * R + i);
        ex_chunk d, f;
        make_pair(&d, &f, a, values, id, idx[chunk], xs, R);
        ex_vector v;
        CHECK_OK(ex_expr_eval_dict(c.st, &d, &v, a, &err), &err);
        CHECK_EQ(v.kind, chunk == 0 ? EX_VECTOR_DICT : EX_VECTOR_FLAT);
        size_t hits = 0, want = 0;
        for (size_t i = 0; i < R; i++) {
            fl_value val;
            ex_vector_get(&v, i, &val);
            hits += val.v.b;
            want += (chunk * R + i) % 10 == 7;
        }
        CHECK_EQ(hits, want);
    }
    fl_arena_free(a);
}

TEST(dict_vector_slice_flatten_append)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ex_chunk d, f;
    make_pair(&d, &f, a, dt_strings(a, ENTS, 5), fl_dict_next_id(), IDX, XS, N);
    static const uint32_t sel[] = {1, 2, 6, 11};
    ex_vector s;
    CHECK_OK(ex_vector_slice(&s, &d.cols[1], sel, 4, a, &err), &err);
    CHECK_EQ(s.kind, EX_VECTOR_DICT);
    CHECK_EQ(s.dict_id, d.cols[1].dict_id);
    char b[256];
    dt_render(b, sizeof b, &s, 4);
    CHECK_STR(b, "banana,NULL,12,12");
    CHECK_OK(ex_vector_flatten(&s, 4, a, &err), &err);
    CHECK_EQ(s.kind, EX_VECTOR_FLAT);
    dt_render(b, sizeof b, &s, 4);
    CHECK_STR(b, "banana,NULL,12,12");
    /* appending copies the entries' strings out */
    fl_type types[2] = {DT_I32, DT_STR};
    ex_chunk dst;
    CHECK_OK(ex_chunk_init(&dst, a, types, 2, &err), &err);
    CHECK_OK(ex_chunk_append(&dst, &d, sel, 4, &err), &err);
    CHECK_OK(ex_chunk_append(&dst, &d, NULL, 2, &err), &err);
    dt_render(b, sizeof b, &dst.cols[1], dst.count);
    CHECK_STR(b, "banana,NULL,12,12,apple,banana");
    CHECK(dst.cols[1].col->data != NULL);
    /* the whole chunk flattened in place */
    CHECK_OK(ex_chunk_flatten_dicts(&d, a, &err), &err);
    CHECK_EQ(d.cols[1].kind, EX_VECTOR_FLAT);
    dt_render(b, sizeof b, &d.cols[1], d.count);
    char bf[256];
    dt_render(bf, sizeof bf, &f.cols[1], f.count);
    CHECK_STR(b, bf);
    fl_arena_free(a);
}
