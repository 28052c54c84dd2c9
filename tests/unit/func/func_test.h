/*
 * func_test.h: helpers for the function library's unit tests: columns from
 * compact text ("1|2|NULL", or "=5" for a constant vector), a call runner
 * that does what the binder and evaluator do (resolve, insert the casts the
 * bound function asks for, intersect validity, init, exec), an aggregate
 * runner, and results rendered back to text ("ERR 22012: division by zero"
 * on failure) so tests compare one string.
 */
#ifndef FUNC_TEST_H
#define FUNC_TEST_H

#include <stdio.h>
#include <string.h>

#include "../../../src/base/buf.h"
#include "../../../src/base/value_text.h"
#include "../../../src/func/func.h"
#include "../test.h"

#define FT_UNUSED __attribute__((unused))

/* A vector of type `type_name` from "v1|v2|NULL" (flat) or "=v" (constant). */
static FT_UNUSED ex_vector ft_vec(fl_arena *a, const char *type_name, const char *values)
{
    fl_type t;
    fl_error err;
    ex_vector v = {.kind = EX_VECTOR_FLAT, .col = NULL};
    if (strcmp(type_name, "unknown") == 0) t = fl_type_make(FL_TYPE_NULL);
    else if (fl_type_parse(&t, type_name, strlen(type_name), &err) < 0) {
        CHECK(!"bad type name in test");
        return v;
    }
    if (values[0] == '=') {
        v.kind = EX_VECTOR_CONST;
        values++;
    }
    size_t n = 1;
    for (const char *p = values; *p; p++) n += *p == '|';
    if (!*values && v.kind == EX_VECTOR_FLAT) n = 0;   /* "" is no rows; "=" one empty string */
    fl_column *c = fl_column_new(a, t, n ? n : 1);
    c->len = n;
    const char *p = values;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if ((len == 4 && memcmp(p, "NULL", 4) == 0) || t.id == FL_TYPE_NULL) {
            fl_column_set_null(c, i);
        } else {
            fl_value val;
            uint8_t scratch[16];
            char *copy = fl_arena_strndup(a, p, len);
            if (fl_value_parse_text(&val, t, copy, len, scratch, &err) < 0) {
                CHECK(!"bad value in test");
                fprintf(stderr, "  value '%s': %s\n", copy, err.message);
            }
            size_t w = fl_type_width(t);
            switch (t.id) {
            case FL_TYPE_BOOL: ((uint8_t *)c->data)[i] = val.v.b; break;
            case FL_TYPE_INT8: ((int8_t *)c->data)[i] = (int8_t)val.v.i64; break;
            case FL_TYPE_INT16: ((int16_t *)c->data)[i] = (int16_t)val.v.i64; break;
            case FL_TYPE_INT32: case FL_TYPE_DATE: ((int32_t *)c->data)[i] = (int32_t)val.v.i64; break;
            case FL_TYPE_FLOAT: ((float *)c->data)[i] = (float)val.v.f64; break;
            case FL_TYPE_DOUBLE: ((double *)c->data)[i] = val.v.f64; break;
            case FL_TYPE_DECIMAL:
                if (w == 16) ((fl_int128 *)c->data)[i] = val.v.i128;
                else ((int64_t *)c->data)[i] = val.v.i64;
                break;
            case FL_TYPE_STRING: case FL_TYPE_BINARY:
                ((fl_strv *)c->data)[i] = fl_strv_make(copy, len);
                break;
            case FL_TYPE_UUID:
                ((fl_strv *)c->data)[i] = fl_strv_make(fl_arena_memdup(a, scratch, 16), 16);
                break;
            default: memcpy((char *)c->data + i * w, &val.v, w); break;
            }
        }
        p = end ? end + 1 : p + len;
    }
    v.col = c;
    return v;
}

/* Renders rows of a column as "a|b|NULL". */
static FT_UNUSED const char *ft_render(fl_arena *a, const fl_column *c, size_t n)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    for (size_t i = 0; i < n; i++) {
        if (i) fl_buf_append_byte(&b, '|');
        fl_column_render(&b, c, i, &st);
    }
    const char *s = fl_arena_strdup(a, fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    return s;
}

static FT_UNUSED const char *ft_err_text(fl_arena *a, const fl_error *err)
{
    char buf[700];
    snprintf(buf, sizeof buf, "ERR %s: %s", err->sqlstate, err->message);
    return fl_arena_strdup(a, buf);
}

static FT_UNUSED size_t ft_rows(const ex_vector *args, uint32_t n)
{
    size_t rows = 1;
    for (uint32_t i = 0; i < n; i++)
        if (args[i].kind == EX_VECTOR_FLAT) rows = args[i].col->len;
    return rows;
}

/* Calls a scalar function as the evaluator would; returns the rendered result
 * (prefixed with the result type when with_type) or "ERR <state>: <message>". */
static FT_UNUSED const char *ft_call_ex(fl_arena *a, const char *name, ex_vector *args,
                                        uint32_t argc, bool with_type)
{
    fl_error err;
    memset(&err, 0, sizeof err);
    fl_type types[8];
    memset(types, 0, sizeof types);
    for (uint32_t i = 0; i < argc; i++) types[i] = args[i].col->type;
    const fn_scalar_bound *fn;
    if (fn_scalar_bind(&fn, name, types, argc, a, &err) < 0) return ft_err_text(a, &err);
    size_t rows = ft_rows(args, argc);
    ex_vector cast_args[8];
    for (uint32_t i = 0; i < argc; i++) {
        cast_args[i] = args[i];
        if (fl_type_eq(fn->arg_types[i], types[i])) continue;
        fl_column *c = fl_column_new(a, fn->arg_types[i], args[i].col->len ? args[i].col->len : 1);
        c->len = args[i].col->len;
        if (fn_cast(&args[i], args[i].col->len ? args[i].col->len : 1, fn->arg_types[i], false,
                    c, a, &err) < 0)
            return ft_err_text(a, &err);
        cast_args[i].col = c;
    }
    fl_column *out = fl_column_new(a, fn->ret, rows);
    out->len = rows;
    if (!fn->special_nulls) {
        for (size_t r = 0; r < rows; r++)
            for (uint32_t i = 0; i < argc; i++)
                if (!ex_vector_is_valid(&cast_args[i], r)) fl_column_set_null(out, r);
    }
    fn_exec_ctx ctx = {fn, NULL, a, a};
    if (fn->init) {
        ex_vector consts[8];
        for (uint32_t i = 0; i < argc; i++) {
            consts[i] = cast_args[i];
            if (consts[i].kind != EX_VECTOR_CONST) consts[i].col = NULL;
        }
        if (fn->init(&ctx, consts, argc, &err) < 0) return ft_err_text(a, &err);
    }
    if (fn->exec(&ctx, cast_args, argc, rows, out, &err) < 0) return ft_err_text(a, &err);
    const char *res = ft_render(a, out, rows);
    if (!with_type) return res;
    char tn[64];
    fn_type_sql_name(fn->ret, tn, sizeof tn);
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:%s", tn, res);
    return fl_arena_strdup(a, buf);
}

static FT_UNUSED const char *ft_call1(fl_arena *a, const char *name, const char *t1,
                                      const char *v1)
{
    ex_vector args[1] = {ft_vec(a, t1, v1)};
    return ft_call_ex(a, name, args, 1, false);
}
static FT_UNUSED const char *ft_call2(fl_arena *a, const char *name, const char *t1,
                                      const char *v1, const char *t2, const char *v2)
{
    ex_vector args[2] = {ft_vec(a, t1, v1), ft_vec(a, t2, v2)};
    return ft_call_ex(a, name, args, 2, false);
}
static FT_UNUSED const char *ft_call3(fl_arena *a, const char *name, const char *t1,
                                      const char *v1, const char *t2, const char *v2,
                                      const char *t3, const char *v3)
{
    ex_vector args[3] = {ft_vec(a, t1, v1), ft_vec(a, t2, v2), ft_vec(a, t3, v3)};
    return ft_call_ex(a, name, args, 3, false);
}
/* Result type and values: "decimal(13,2):1.50|NULL". */
static FT_UNUSED const char *ft_typed2(fl_arena *a, const char *name, const char *t1,
                                       const char *v1, const char *t2, const char *v2)
{
    ex_vector args[2] = {ft_vec(a, t1, v1), ft_vec(a, t2, v2)};
    return ft_call_ex(a, name, args, 2, true);
}

/* CAST (try_cast when `try`) of values of type `from` to `to`. */
static FT_UNUSED const char *ft_cast(fl_arena *a, const char *from, const char *values,
                                     const char *to, bool try)
{
    fl_error err;
    memset(&err, 0, sizeof err);
    ex_vector in = ft_vec(a, from, values);
    fl_type t;
    if (fl_type_parse(&t, to, strlen(to), &err) < 0) return ft_err_text(a, &err);
    size_t rows = in.col->len;
    fl_column *out = fl_column_new(a, t, rows);
    out->len = rows;
    if (fn_cast(&in, rows, t, try, out, a, &err) < 0) return ft_err_text(a, &err);
    return ft_render(a, out, rows);
}

/*
 * Runs an aggregate over `values` split into groups by `groups` (one digit
 * per row, "0011"; NULL for one group), in two halves that are combined when
 * `split`, and returns "type:g0|g1|...".
 */
static FT_UNUSED const char *ft_agg(fl_arena *a, const char *name, const char *type,
                                    const char *values, const char *groups, bool split)
{
    fl_error err;
    memset(&err, 0, sizeof err);
    ex_vector v = {.kind = EX_VECTOR_FLAT, .col = NULL};
    uint32_t argc = 0;
    fl_type t = {0, 0, 0, 0, 0};
    if (type) {
        v = ft_vec(a, type, values);
        t = v.col->type;
        argc = 1;
    }
    size_t rows = type ? v.col->len : strlen(groups);
    const fn_agg_def *fn;
    if (fn_agg_bind(&fn, name, &t, argc, a, &err) < 0) return ft_err_text(a, &err);
    if (argc && !fl_type_eq(fn->arg_types[0], t)) {
        fl_column *c = fl_column_new(a, fn->arg_types[0], rows);
        c->len = rows;
        if (fn_cast(&v, rows, fn->arg_types[0], false, c, a, &err) < 0) return ft_err_text(a, &err);
        v.col = c;
    }
    size_t ngroups = 1;
    if (groups)
        for (size_t i = 0; i < rows; i++)
            if ((size_t)(groups[i] - '0') + 1 > ngroups) ngroups = (size_t)(groups[i] - '0') + 1;
    void *st[2][10];
    for (int h = 0; h < 2; h++)
        for (size_t g = 0; g < ngroups; g++) {
            st[h][g] = fl_arena_alloc(a, fn->state_size ? fn->state_size : 1);
            fn->init(fn, st[h][g]);
        }
    void **states = fl_arena_alloc(a, sizeof(void *) * (rows ? rows : 1));
    size_t half = split ? rows / 2 : rows;
    for (size_t i = 0; i < rows; i++) {
        size_t g = groups ? (size_t)(groups[i] - '0') : 0;
        states[i] = st[i < half ? 0 : 1][g];
    }
    if (fn->update(fn, states, argc ? &v : NULL, rows, a, &err) < 0) return ft_err_text(a, &err);
    for (size_t g = 0; g < ngroups; g++)
        if (fn->combine(fn, st[0][g], st[1][g], a, &err) < 0) return ft_err_text(a, &err);
    fl_column *out = fl_column_new(a, fn->ret, ngroups);
    out->len = ngroups;
    if (fn->finalize(fn, st[0], ngroups, out, a, &err) < 0) return ft_err_text(a, &err);
    char tn[64];
    fn_type_sql_name(fn->ret, tn, sizeof tn);
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:%s", tn, ft_render(a, out, ngroups));
    return fl_arena_strdup(a, buf);
}

#endif
