/*
 * opt_fold.c: constant folding and boolean simplification.
 *
 * What is folded here: casts of constants (fn_cast_value, the function the
 * executor's casts use, so folding cannot change a result; a cast that
 * fails is left for run time, where it errors only if a row reaches it),
 * AND/OR with constant arms, NOT of constants and double negation, IS [NOT]
 * NULL of constants. ORs whose branches share conjuncts are factored
 * ((a AND b) OR (a AND c) -> a AND (b OR c)) so the shared join keys reach
 * filter pushdown. A FILTER with a false or NULL conjunct keeps just `false`
 * (PLAN_EMPTY would expose bindings of its own instead of its child's); a
 * conjunct that is true is dropped, and a filter left with none goes away.
 *
 * Scalar function calls whose arguments are all constants (8 + 1,
 * date_add('day', 30, DATE '2000-01-01')) are folded by running the
 * function's own exec once on one-row constant vectors (func.h and the
 * vector data model of src/exec/vector.h sit beneath the optimizer), so the
 * scans receive plain `column op constant` filters they can prune with.
 * Volatile functions are never folded; a call that fails stays for run
 * time (it must error only if a row reaches it).
 */
#include <string.h>

#include "../../exec/vector.h"
#include "../../func/func.h"
#include "opt_internal.h"

static bool is_bool_const(const plan_expr *e, bool v)
{
    return e->kind == PLAN_EX_CONST && e->type.id == FL_TYPE_BOOL && !e->u.value.is_null &&
           e->u.value.v.b == v;
}

static bool is_null_const(const plan_expr *e)
{
    return e->kind == PLAN_EX_CONST && e->u.value.is_null;
}

static plan_expr *bool_const(fl_arena *arena, bool v)
{
    fl_value val = {.type = fl_type_make(FL_TYPE_BOOL)};
    val.v.b = v;
    return plan_expr_const(arena, &val);
}

/* A scalar function over constants, run once on one-row constant vectors
 * through the function's own exec (so the folded value is the run-time
 * value). Failures (division by zero in a branch never taken, overflow)
 * leave the call for run time, where it errors only if a row reaches it. */
static plan_expr *fold_call(fl_arena *arena, plan_expr *e)
{
    const fn_scalar_bound *fn = e->u.fn;
    if (!fn || !fn->exec || fn->is_volatile || e->arg_count > 16 ||
        fl_type_is_nested(e->type))
        return e;
    bool any_null = false;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        if (e->args[i]->kind != PLAN_EX_CONST || fl_type_is_nested(e->args[i]->type)) return e;
        any_null |= e->args[i]->u.value.is_null;
    }
    fl_value v;
    memset(&v, 0, sizeof v);
    v.type = e->type;
    if (any_null && !fn->special_nulls) {
        v.is_null = true;
        return plan_expr_const(arena, &v);
    }
    fl_arena *tmp = fl_arena_new(0);
    if (!tmp) return NULL;
    ex_vector args[16];
    fl_column *out = NULL;
    fl_error err;
    int rc = 0;
    for (uint32_t i = 0; i < e->arg_count && rc == 0; i++)
        rc = ex_vector_const(&args[i], tmp, &e->args[i]->u.value, &err);
    if (rc == 0) rc = ex_column_alloc(&out, tmp, fn->ret, 1, &err);
    fn_exec_ctx ctx = {fn, NULL, tmp, tmp};
    if (rc == 0 && fn->init) rc = fn->init(&ctx, args, e->arg_count, &err);
    if (rc == 0) rc = fn->exec(&ctx, args, e->arg_count, 1, out, &err);
    plan_expr *res = e;
    if (rc == 0) {
        ex_vector ov = {.kind = EX_VECTOR_FLAT, .col = out};
        ex_vector_get(&ov, 0, &v);
        v.type = e->type;
        res = plan_expr_const(arena, &v);   /* copies string bytes into the query arena */
        if (res) res->loc = e->loc;
    }
    fl_arena_free(tmp);
    return res;
}

static plan_expr *fold(fl_arena *arena, plan_expr *e)
{
    if (!e) return NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = fold(arena, e->args[i]);
        if (!a) return NULL;
        e->args[i] = a;
    }
    switch (e->kind) {
    case PLAN_EX_FUNC:
        return fold_call(arena, e);
    case PLAN_EX_CAST:
        if (e->args[0]->kind == PLAN_EX_CONST) {
            fl_value v;
            if (e->args[0]->u.value.is_null) {
                memset(&v, 0, sizeof v);
                v.type = e->type;
                v.is_null = true;
                return plan_expr_const(arena, &v);
            }
            if (fn_cast_value(&v, &e->args[0]->u.value, e->type, e->u.try_cast, arena, NULL) == 0)
                return plan_expr_const(arena, &v);
        }
        return e;
    case PLAN_EX_AND:
    case PLAN_EX_OR: {
        bool is_and = e->kind == PLAN_EX_AND;
        uint32_t kept = 0;
        for (uint32_t i = 0; i < e->arg_count; i++) {
            plan_expr *a = e->args[i];
            if (is_bool_const(a, !is_and)) return bool_const(arena, !is_and);  /* absorbing */
            if (is_bool_const(a, is_and)) continue;                           /* neutral */
            e->args[kept++] = a;
        }
        if (kept == 0) return bool_const(arena, is_and);
        e->arg_count = kept;
        if (kept == 1) return e->args[0];
        if (!is_and) {
            plan_expr *f = plan_expr_factor_or(arena, e);
            return f;
        }
        return e;
    }
    case PLAN_EX_NOT: {
        plan_expr *a = e->args[0];
        if (a->kind == PLAN_EX_CONST && a->type.id == FL_TYPE_BOOL && !a->u.value.is_null)
            return bool_const(arena, !a->u.value.v.b);
        if (a->kind == PLAN_EX_NOT) return a->args[0];
        return e;
    }
    case PLAN_EX_IS_NULL:
    case PLAN_EX_IS_NOT_NULL:
        if (e->args[0]->kind == PLAN_EX_CONST)
            return bool_const(arena, (e->kind == PLAN_EX_IS_NULL) == e->args[0]->u.value.is_null);
        return e;
    default:
        return e;
    }
}

typedef struct fold_ctx {
    fl_arena *arena;
    bool oom;
} fold_ctx;

static void fold_slot(void *ctx, plan_expr **slot)
{
    fold_ctx *c = ctx;
    if (!*slot || c->oom) return;
    plan_expr *f = fold(c->arena, *slot);
    if (!f)
        c->oom = true;
    else
        *slot = f;
}

static int fold_filter(plan_node **np, fl_arena *arena, fl_error *err)
{
    plan_node *n = *np;
    opt_expr_list l = {0};
    for (uint32_t i = 0; i < n->u.filter.count; i++) {
        plan_expr *e = n->u.filter.exprs[i];
        if (is_bool_const(e, false) || is_null_const(e)) {
            /* nothing passes: one false conjunct is all the filter needs (an EMPTY
             * node would expose bindings of its own, not the child's) */
            n->u.filter.exprs[0] = is_null_const(e) ? bool_const(arena, false) : e;
            if (!n->u.filter.exprs[0]) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            n->u.filter.count = 1;
            return 0;
        }
        if (is_bool_const(e, true)) continue;
        if (opt_list_add_conjuncts(arena, &l, e) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    if (!l.count) {
        *np = n->children[0];
        return 0;
    }
    n->u.filter.exprs = l.items;
    n->u.filter.count = l.count;
    return 0;
}

static int fold_rec(plan_node **np, fl_arena *arena, fl_error *err)
{
    plan_node *n = *np;
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(fold_rec(&n->children[i], arena, err));
    fold_ctx c = {arena, false};
    plan_node_visit_exprs(n, fold_slot, &c);
    if (c.oom) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (n->kind == PLAN_FILTER) return fold_filter(np, arena, err);
    return 0;
}

int opt_fold(plan_node **root, fl_arena *arena, fl_error *err)
{
    return fold_rec(root, arena, err);
}
