/*
 * dict_test_util.c: chunks, expressions and rendering for the
 * dictionary-vector tests (see dict_test_util.h).
 */
#include "dict_test_util.h"

#include <stdio.h>

#include "../../../src/func/func.h"
#include "../test.h"

static plan_binding B0 = {9, 0}, B1 = {9, 1};

fl_column *dt_strings(fl_arena *a, const char *const *ents, size_t n)
{
    fl_column *col = NULL;
    fl_error err;
    CHECK_OK(ex_column_alloc(&col, a, DT_STR, n, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = DT_STR, .is_null = ents[i] == NULL};
        if (ents[i]) v.v.s = fl_strv_cstr(ents[i]);
        CHECK_OK(ex_column_set(col, i, &v, &err), &err);
    }
    return col;
}

void dt_dict_chunk(ex_chunk *d, fl_arena *a, fl_column *values, uint64_t id, const uint32_t *idx,
                   const int32_t *x, size_t n)
{
    fl_type types[2] = {DT_I32, DT_STR};
    fl_error err;
    CHECK_OK(ex_chunk_init(d, a, types, 2, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = DT_I32};
        v.v.i64 = x ? x[i] : (int32_t)i;
        CHECK_OK(ex_column_set(d->cols[0].col, i, &v, &err), &err);
    }
    d->cols[0].col->len = n;
    fl_dict_column dc = {.values = values, .idx = idx, .len = n, .id = id};
    ex_vector_from_dict(&d->cols[1], &dc);
    d->count = n;
}

void dt_flat_copy(ex_chunk *f, fl_arena *a, const ex_chunk *d)
{
    fl_error err;
    *f = *d;
    f->cols = fl_arena_alloc(a, 2 * sizeof *f->cols);
    CHECK(f->cols != NULL);
    f->cols[0] = d->cols[0];
    f->cols[1] = d->cols[1];
    CHECK_OK(ex_vector_flatten(&f->cols[1], d->count, a, &err), &err);
}

plan_expr *dt_col_x(fl_arena *a) { return plan_expr_colref(a, B0, DT_I32, "x"); }
plan_expr *dt_col_s(fl_arena *a) { return plan_expr_colref(a, B1, DT_STR, "s"); }

static plan_expr *num(fl_arena *a, fl_type t, int64_t n)
{
    fl_value v = {.type = t};
    v.v.i64 = n;
    return plan_expr_const(a, &v);
}
plan_expr *dt_int(fl_arena *a, int64_t n) { return num(a, DT_I32, n); }
plan_expr *dt_big(fl_arena *a, int64_t n) { return num(a, fl_type_make(FL_TYPE_INT64), n); }

plan_expr *dt_str(fl_arena *a, const char *s)
{
    fl_value v = {.type = DT_STR};
    v.v.s = fl_strv_cstr(s);
    return plan_expr_const(a, &v);
}

plan_expr *dt_call(fl_arena *a, const char *name, plan_expr **args, uint32_t n)
{
    fl_type types[4] = {{0}};
    CHECK(n <= 4);
    for (uint32_t i = 0; i < n && i < 4; i++) types[i] = args[i]->type;
    const fn_scalar_bound *fn = NULL;
    fl_error err;
    CHECK_OK(fn_scalar_bind(&fn, name, types, n, a, &err), &err);
    plan_expr *e = plan_expr_new(a, PLAN_EX_FUNC, fn->ret, n);
    e->u.fn = fn;
    e->name = name;
    for (uint32_t i = 0; i < n; i++) e->args[i] = args[i];
    return e;
}

plan_expr *dt_call1(fl_arena *a, const char *name, plan_expr *x) { return dt_call(a, name, &x, 1); }

plan_expr *dt_call2(fl_arena *a, const char *name, plan_expr *l, plan_expr *r)
{
    plan_expr *args[2] = {l, r};
    return dt_call(a, name, args, 2);
}

ex_expr_state *dt_state(const plan_expr *e, fl_arena *a)
{
    plan_binding bs[2] = {B0, B1};
    ex_expr *x = NULL;
    ex_expr_state *st = NULL;
    fl_error err;
    CHECK_OK(ex_expr_compile(&x, e, bs, 2, a, &err), &err);
    CHECK_OK(ex_expr_state_new(&st, x, a, &err), &err);
    return st;
}

void dt_render(char *buf, size_t cap, const ex_vector *v, size_t n)
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
