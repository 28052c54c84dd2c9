/*
 * ex_expr.c: the expression compiler (PostgreSQL's ExecInitExpr): a bound
 * plan_expr tree becomes a flat array of steps (ex_expr_int.h) once per
 * operator; plus per-thread evaluation states, boolean selection
 * (ex_expr_select, which evaluates the conjuncts of a top-level AND one
 * after another on the rows still selected) and constant folding.
 *
 * Evaluation itself is in ex_expr_eval.c.
 */
#include "ex_expr_int.h"

#include <string.h>

int ex_layout_find(const plan_binding *bindings, uint32_t count, plan_binding b)
{
    for (uint32_t i = 0; i < count; i++)
        if (plan_binding_eq(bindings[i], b)) return (int)i;
    return -1;
}

typedef struct compiler {
    ex_step *steps;
    uint32_t count, cap;
    const plan_binding *bindings;
    uint32_t binding_count;
    fl_arena *arena;
    fl_error *err;
} compiler;

/* Union of two sorted column lists, in the arena. */
static int merge_cols(compiler *c, ex_step *s, const ex_step *arg)
{
    if (arg->col_count == 0) return 0;
    uint32_t *m = fl_arena_alloc(c->arena, (s->col_count + arg->col_count) * sizeof *m);
    if (!m) return fl_error_set(c->err, FLOE_ENOMEM, "out of memory compiling an expression");
    uint32_t i = 0, j = 0, n = 0;
    while (i < s->col_count || j < arg->col_count) {
        uint32_t v;
        if (j >= arg->col_count || (i < s->col_count && s->cols[i] < arg->cols[j])) v = s->cols[i++];
        else if (i >= s->col_count || arg->cols[j] < s->cols[i]) v = arg->cols[j++];
        else { v = s->cols[i++]; j++; }
        m[n++] = v;
    }
    s->cols = m;
    s->col_count = n;
    return 0;
}

static int push_step(compiler *c, uint32_t *out)
{
    if (c->count == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 16;
        ex_step *s = fl_arena_realloc(c->arena, c->steps, c->cap * sizeof *s, cap * sizeof *s);
        if (!s) return fl_error_set(c->err, FLOE_ENOMEM, "out of memory compiling an expression");
        c->steps = s;
        c->cap = cap;
    }
    memset(&c->steps[c->count], 0, sizeof c->steps[0]);
    *out = c->count++;
    return 0;
}

static int compile_rec(compiler *c, const plan_expr *e, uint32_t *out, int depth)
{
    if (depth > 10000)
        return fl_error_set_sqlstate(c->err, FLOE_ELIMIT, "54001", "expression is too deeply nested");
    switch (e->kind) {
    case PLAN_EX_AGG:
    case PLAN_EX_WINDOW:
    case PLAN_EX_GROUPING:
        return fl_error_set(c->err, FLOE_EINTERNAL, "%s cannot be evaluated as a scalar expression",
                            e->name ? e->name : "aggregate");
    case PLAN_EX_PARAM:
        return fl_error_set(c->err, FLOE_EUNSUPPORTED, "parameter $%u has no value",
                            e->u.param_index);
    default: break;
    }
    uint32_t *args = NULL;
    if (e->arg_count) {
        args = fl_arena_alloc(c->arena, e->arg_count * sizeof *args);
        if (!args) return fl_error_set(c->err, FLOE_ENOMEM, "out of memory compiling an expression");
        for (uint32_t i = 0; i < e->arg_count; i++)
            FL_TRY(compile_rec(c, e->args[i], &args[i], depth + 1));
    }
    uint32_t idx = 0;
    FL_TRY(push_step(c, &idx));
    ex_step *s = &c->steps[idx];
    s->kind = e->kind;
    s->type = e->type;
    s->name = e->name;
    s->args = args;
    s->arg_count = e->arg_count;
    s->constant = true;
    s->no_volatile = true;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        const ex_step *a = &c->steps[args[i]];
        s = &c->steps[idx];
        if (!a->constant) s->constant = false;
        if (!a->no_volatile) s->no_volatile = false;
        FL_TRY(merge_cols(c, s, a));
    }
    s = &c->steps[idx];
    switch (e->kind) {
    case PLAN_EX_CONST:
        s->value = e->u.value;
        s->value.type = e->type;
        break;
    case PLAN_EX_COLREF: {
        int pos = ex_layout_find(c->bindings, c->binding_count, e->u.binding);
        if (pos < 0)
            return fl_error_set(c->err, FLOE_EINTERNAL,
                                "column %s (binding %u.%u) is not in the operator's input",
                                e->name ? e->name : "?", e->u.binding.table, e->u.binding.column);
        s->col = pos;
        s->constant = false;
        s->cols = fl_arena_alloc(c->arena, sizeof *s->cols);
        if (!s->cols) return fl_error_set(c->err, FLOE_ENOMEM, "out of memory compiling an expression");
        s->cols[0] = (uint32_t)pos;
        s->col_count = 1;
        break;
    }
    case PLAN_EX_FUNC:
        s->fn = e->u.fn;
        if (!s->fn) return fl_error_set(c->err, FLOE_EINTERNAL, "function call without a function");
        if (s->fn->is_volatile) s->constant = s->no_volatile = false;
        break;
    case PLAN_EX_CAST: s->try_cast = e->u.try_cast; break;
    case PLAN_EX_CASE: s->has_else = e->u.has_else; break;
    case PLAN_EX_IN_LIST:
        s->const_items = e->arg_count > 1 && !fl_type_is_nested(c->steps[args[0]].type);
        for (uint32_t i = 1; i < e->arg_count; i++)
            if (!c->steps[args[i]].constant) s->const_items = false;
        break;
    default: break;
    }
    s->per_entry = s->no_volatile && !s->constant && s->col_count == 1 &&
                   e->kind != PLAN_EX_COLREF && e->kind != PLAN_EX_CONST &&
                   !fl_type_is_nested(s->type) && fl_type_width(s->type) > 0 &&
                   s->type.id != FL_TYPE_NULL;
    *out = idx;
    return 0;
}

int ex_expr_compile(ex_expr **out, const plan_expr *e, const plan_binding *bindings,
                    uint32_t binding_count, fl_arena *arena, fl_error *err)
{
    compiler c = {.bindings = bindings, .binding_count = binding_count, .arena = arena, .err = err};
    ex_expr *x = fl_arena_calloc(arena, sizeof *x);
    if (!x) return fl_error_set(err, FLOE_ENOMEM, "out of memory compiling an expression");
    FL_TRY(compile_rec(&c, e, &x->root, 0));
    x->steps = c.steps;
    x->step_count = c.count;
    x->type = e->type;
    *out = x;
    return 0;
}

fl_type ex_expr_type(const ex_expr *x) { return x->type; }

int ex_expr_state_new(ex_expr_state **out, const ex_expr *x, fl_arena *thread_arena,
                      fl_error *err)
{
    ex_expr_state *st = fl_arena_calloc(thread_arena, sizeof *st);
    uint32_t n = x->step_count;
    if (st) {
        st->x = x;
        st->arena = thread_arena;
        st->fctx = fl_arena_calloc(thread_arena, n * sizeof *st->fctx);
        st->fn_ready = fl_arena_calloc(thread_arena, n * sizeof *st->fn_ready);
        st->cached = fl_arena_calloc(thread_arena, n * sizeof *st->cached);
        st->has_cached = fl_arena_calloc(thread_arena, n * sizeof *st->has_cached);
        st->sets = fl_arena_calloc(thread_arena, n * sizeof *st->sets);
        st->dicts = fl_arena_calloc(thread_arena, n * sizeof *st->dicts);
    }
    if (!st || !st->fctx || !st->fn_ready || !st->cached || !st->has_cached || !st->sets ||
        !st->dicts)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating an expression state");
    *out = st;
    return 0;
}

int ex_expr_eval(ex_expr_state *st, const ex_chunk *in, ex_vector *out, fl_arena *out_arena,
                 fl_error *err)
{
    return ex_eval_step(st, st->x->root, in, out, out_arena, err);
}

int ex_expr_eval_dict(ex_expr_state *st, const ex_chunk *in, ex_vector *out, fl_arena *out_arena,
                      fl_error *err)
{
    return ex_eval_step_dict(st, st->x->root, in, out, out_arena, err);
}

/* Keeps the rows of sel[0..*n) (positions in the full chunk) for which the
 * boolean vector v (row k of v = row sel[k]) is true and not NULL. */
static void keep_true(const ex_vector *v, uint32_t *sel, size_t *n)
{
    const fl_column *col = v->col;
    const uint8_t *d = col->data;
    if (v->kind == EX_VECTOR_CONST) {
        if (!fl_column_is_valid(col, 0) || !d[0]) *n = 0;
        return;
    }
    size_t m = 0;
    if (v->kind == EX_VECTOR_DICT) {   /* the entry's value decides */
        const uint32_t *idx = v->idx;
        for (size_t k = 0; k < *n; k++) {
            sel[m] = sel[k];
            m += (d[idx[k]] != 0) & fl_column_is_valid(col, idx[k]);
        }
        *n = m;
        return;
    }
    if (!col->validity) {
        for (size_t k = 0; k < *n; k++) {
            sel[m] = sel[k];
            m += d[k] != 0;
        }
    } else {
        for (size_t k = 0; k < *n; k++) {
            sel[m] = sel[k];
            m += (d[k] != 0) & fl_bit_get(col->validity, k);
        }
    }
    *n = m;
}

int ex_expr_select(ex_expr_state *st, const ex_chunk *in, uint32_t *sel, size_t *n,
                   fl_arena *out_arena, fl_error *err)
{
    const ex_expr *x = st->x;
    const ex_step *root = &x->steps[x->root];
    size_t count = in->count;
    for (size_t i = 0; i < count; i++) sel[i] = (uint32_t)i;
    *n = count;
    if (count == 0) return 0;
    if (root->kind != PLAN_EX_AND) {
        ex_vector v;
        FL_TRY(ex_eval_step_dict(st, x->root, in, &v, out_arena, err));
        keep_true(&v, sel, n);
        return 0;
    }
    /* conjuncts one by one, each only on the rows the previous ones kept */
    for (uint32_t a = 0; a < root->arg_count && *n > 0; a++) {
        ex_vector v;
        const uint32_t *rows = *n == count ? NULL : sel;
        FL_TRY(ex_eval_rows_dict(st, root->args[a], in, rows, *n, &v, out_arena, err));
        /* row k of v is row sel[k] (sel is the identity while all rows remain) */
        keep_true(&v, sel, n);
    }
    return 0;
}

int ex_expr_fold(fl_value *out, const plan_expr *e, fl_arena *arena, fl_error *err)
{
    fl_arena *tmp = fl_arena_new(0);
    if (!tmp) return fl_error_set(err, FLOE_ENOMEM, "out of memory folding a constant");
    ex_expr *x;
    ex_expr_state *st;
    ex_vector v;
    ex_chunk one = {.col_count = 0, .cols = NULL, .count = 1, .arena = tmp};
    int rc = ex_expr_compile(&x, e, NULL, 0, tmp, err);
    if (rc == 0) rc = ex_expr_state_new(&st, x, tmp, err);
    if (rc == 0) rc = ex_eval_step(st, x->root, &one, &v, tmp, err);
    if (rc == 0) {
        if (fl_type_is_nested(v.col->type)) {
            rc = fl_error_set(err, FLOE_EUNSUPPORTED, "cannot fold a nested constant");
        } else {
            ex_vector_get(&v, 0, out);
            out->type = e->type;
            if (!out->is_null && fl_type_is_varlen(out->type)) {
                char *p = fl_arena_strndup(arena, out->v.s.len ? out->v.s.ptr : "", out->v.s.len);
                if (!p) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory folding a constant");
                else out->v.s.ptr = p;
            }
        }
    }
    fl_arena_free(tmp);
    return rc;
}
