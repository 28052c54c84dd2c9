/*
 * bind_expr.c: binding expressions: column resolution through the scope
 * stack (correlated references included), literals typed as Trino types
 * them (integers -> integer/bigint by size, 1.5 -> decimal(2,1), 1e3 ->
 * double, 'x' -> varchar, DATE '..' typed), operators resolved through
 * src/func with explicit casts to the bound argument types, comparisons
 * with DuckDB/Trino's literal coercion (a varchar literal compared with a
 * date, timestamp or number is cast to that type), BETWEEN, IN lists,
 * LIKE, IS [NOT] NULL / DISTINCT FROM / TRUE / FALSE, CASE, CAST and
 * TRY_CAST, EXTRACT and date +/- INTERVAL (as date_add calls).
 *
 * When the level aggregates (cx->agg), an expression without aggregates is
 * first bound as it would be before the aggregation and matched against the
 * GROUP BY expressions; a match becomes a reference to the group column, a
 * bare column that matches nothing is the usual grouping error (42803).
 * Constant casts are folded here with fn_cast_value, the same function the
 * executor uses, so a folded literal and a cast at run time agree.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../base/decimal.h"
#include "../../base/strutil.h"
#include "../../base/value_text.h"
#include "bind_internal.h"

static const fl_type BOOL_T = {FL_TYPE_BOOL, 0, 0, 0, 0};

/* ---------------------------------------------------------------- small builders */

plan_expr *bind_bool_const(binder *b, bool v)
{
    fl_value val = {.type = BOOL_T, .is_null = false, .v.b = v};
    return plan_expr_const(b->arena, &val);
}

plan_expr *bind_and(binder *b, plan_expr **items, uint32_t n)
{
    if (n == 1) return items[0];
    plan_expr *e = plan_expr_new(b->arena, PLAN_EX_AND, BOOL_T, n);
    if (!e) return NULL;
    memcpy(e->args, items, sizeof *items * n);
    return e;
}

plan_expr *bind_not(binder *b, plan_expr *e)
{
    plan_expr *n = plan_expr_new(b->arena, PLAN_EX_NOT, BOOL_T, 1);
    if (!n) return NULL;
    n->args[0] = e;
    n->loc = e->loc;
    return n;
}

static int type_names(fl_type a, char *abuf, fl_type b, char *bbuf)
{
    bind_type_name(abuf, 64, a);
    bind_type_name(bbuf, 64, b);
    return 0;
}

int bind_cast(binder *b, plan_expr *e, fl_type to, bool try_cast, uint32_t loc,
              plan_expr **out, fl_error *err)
{
    if (fl_type_eq(e->type, to)) {
        *out = e;
        return 0;
    }
    if (e->kind == PLAN_EX_CONST) {
        fl_value v;
        if (e->u.value.is_null || e->type.id == FL_TYPE_NULL) {
            memset(&v, 0, sizeof v);
            v.type = to;
            v.is_null = true;
        } else {
            int rc = fn_cast_value(&v, &e->u.value, to, try_cast, b->arena, err);
            if (rc < 0) return bind_error_rethrow(b, err, rc, loc);
        }
        plan_expr *c = plan_expr_const(b->arena, &v);
        if (!c) return bind_oom(err);
        c->loc = e->loc;
        *out = c;
        return 0;
    }
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_CAST, to, 1);
    if (!c) return bind_oom(err);
    c->args[0] = e;
    c->u.try_cast = try_cast;
    c->loc = loc;
    *out = c;
    return 0;
}

int bind_call(binder *b, const char *name, plan_expr **args, uint32_t arg_count, uint32_t loc,
              plan_expr **out, fl_error *err)
{
    fl_type types[64];
    if (arg_count > FL_ARRAY_SIZE(types))
        return bind_error(b, err, FLOE_ELIMIT, "54023", loc,
                          "too many arguments for function %s", name);
    for (uint32_t i = 0; i < arg_count; i++) types[i] = args[i]->type;
    const fn_scalar_bound *fn;
    int rc = fn_scalar_bind(&fn, name, types, arg_count, b->arena, err);
    if (rc < 0) return bind_error_rethrow(b, err, rc, loc);
    plan_expr *e = plan_expr_new(b->arena, PLAN_EX_FUNC, fn->ret, arg_count);
    if (!e) return bind_oom(err);
    for (uint32_t i = 0; i < arg_count; i++) {
        plan_expr *a = args[i];
        if (fn->arg_types && fn->arg_count) {
            fl_type t = fn->arg_types[i < fn->arg_count ? i : fn->arg_count - 1];
            FL_TRY(bind_cast(b, a, t, false, loc, &a, err));
        }
        e->args[i] = a;
    }
    e->name = name;
    e->u.fn = fn;
    e->loc = loc;
    *out = e;
    return 0;
}

static bool is_string_literal(const plan_expr *e)
{
    return e->kind == PLAN_EX_CONST && e->type.id == FL_TYPE_STRING && !e->u.value.is_null;
}

static bool adapts_literal(fl_type t)
{
    return t.id != FL_TYPE_STRING && t.id != FL_TYPE_NULL && !fl_type_is_nested(t) &&
           t.id != FL_TYPE_BINARY;
}

/* A varchar literal next to a typed expression takes that type; an untyped
 * NULL takes the other side's type. */
static int adapt_pair(binder *b, plan_expr **l, plan_expr **r, uint32_t loc, fl_error *err)
{
    if (is_string_literal(*l) && adapts_literal((*r)->type))
        FL_TRY(bind_cast(b, *l, (*r)->type, false, loc, l, err));
    else if (is_string_literal(*r) && adapts_literal((*l)->type))
        FL_TRY(bind_cast(b, *r, (*l)->type, false, loc, r, err));
    if ((*l)->type.id == FL_TYPE_NULL && (*r)->type.id != FL_TYPE_NULL)
        FL_TRY(bind_cast(b, *l, (*r)->type, false, loc, l, err));
    else if ((*r)->type.id == FL_TYPE_NULL && (*l)->type.id != FL_TYPE_NULL)
        FL_TRY(bind_cast(b, *r, (*l)->type, false, loc, r, err));
    return 0;
}

static bool is_numeric(fl_type t)
{
    return t.id >= FL_TYPE_INT8 && t.id <= FL_TYPE_DECIMAL;
}

/* A numeric constant compared with a numeric column takes the column's type
 * when that loses nothing (ws_net_paid > 10 compares decimals(7,2) directly,
 * so the scan can prune with it), checked by casting back. */
static void narrow_const(binder *b, plan_expr **c, fl_type to)
{
    const plan_expr *k = *c;
    if (k->kind != PLAN_EX_CONST || k->u.value.is_null || !is_numeric(k->type) ||
        !is_numeric(to) || fl_type_eq(k->type, to))
        return;
    fl_value v, back;
    if (fn_cast_value(&v, &k->u.value, to, false, b->arena, NULL) < 0) return;
    if (fn_cast_value(&back, &v, k->type, false, b->arena, NULL) < 0) return;
    if (fl_value_cmp(&back, &k->u.value) != 0) return;
    plan_expr *n = plan_expr_const(b->arena, &v);
    if (!n) return;
    n->loc = k->loc;
    *c = n;
}

int bind_compare(binder *b, const char *op, plan_expr *l, plan_expr *r, uint32_t loc,
                 plan_expr **out, fl_error *err)
{
    FL_TRY(adapt_pair(b, &l, &r, loc, err));
    if (r->kind == PLAN_EX_CONST && l->kind != PLAN_EX_CONST)
        narrow_const(b, &r, l->type);
    else if (l->kind == PLAN_EX_CONST && r->kind != PLAN_EX_CONST)
        narrow_const(b, &l, r->type);
    if (!fl_type_eq(l->type, r->type)) {
        fl_type t;
        if (fn_common_type(l->type, r->type, &t, err) < 0) {
            char a[64], c[64];
            type_names(l->type, a, r->type, c);
            return bind_error(b, err, FLOE_ETYPE, "42883", loc,
                              "operator does not exist: %s %s %s", a, op, c);
        }
        FL_TRY(bind_cast(b, l, t, false, loc, &l, err));
        FL_TRY(bind_cast(b, r, t, false, loc, &r, err));
    }
    plan_expr *args[2] = {l, r};
    return bind_call(b, op, args, 2, loc, out, err);
}

int bind_unify(binder *b, plan_expr **exprs, uint32_t n, uint32_t loc, fl_type *out_type,
               fl_error *err)
{
    fl_type t = fl_type_make(FL_TYPE_NULL);
    for (uint32_t i = 0; i < n; i++) {
        fl_type u = exprs[i]->type;
        if (u.id == FL_TYPE_NULL || fl_type_eq(t, u)) continue;
        if (t.id == FL_TYPE_NULL) {
            t = u;
            continue;
        }
        fl_type c;
        if (fn_common_type(t, u, &c, err) < 0) {
            char a[64], d[64];
            type_names(t, a, u, d);
            return bind_error(b, err, FLOE_ETYPE, "42804", loc,
                              "types %s and %s cannot be matched", a, d);
        }
        t = c;
    }
    if (t.id != FL_TYPE_NULL)
        for (uint32_t i = 0; i < n; i++) FL_TRY(bind_cast(b, exprs[i], t, false, loc, &exprs[i], err));
    *out_type = t;
    return 0;
}

int bind_condition(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    plan_expr *x;
    FL_TRY(bind_expr(cx, e, &x, err));
    if (x->type.id == FL_TYPE_NULL) FL_TRY(bind_cast(cx->b, x, BOOL_T, false, e->loc, &x, err));
    if (x->type.id != FL_TYPE_BOOL) {
        char tn[64];
        bind_type_name(tn, sizeof tn, x->type);
        return bind_error(cx->b, err, FLOE_ETYPE, "42804", e->loc,
                          "argument of %s must be type boolean, not type %s",
                          cx->clause ? cx->clause : "condition", tn);
    }
    *out = x;
    return 0;
}

/* ---------------------------------------------------------------- AST checks */

static bool is_agg_call(const sql_expr *e)
{
    if (e->kind != SQL_EXPR_FUNCTION || e->u.func.over) return false;
    const char *name = e->u.func.name.parts[e->u.func.name.count - 1].name;
    if (e->u.func.star) return true;
    return fn_agg_exists(name) && !fn_scalar_exists(name);
}

typedef bool (*ast_pred)(const sql_expr *e);

static bool ast_any(const sql_expr *e, ast_pred pred, bool into_windows);

static bool ast_any_list(sql_expr *const *items, uint32_t n, ast_pred pred, bool into_windows)
{
    for (uint32_t i = 0; i < n; i++)
        if (ast_any(items[i], pred, into_windows)) return true;
    return false;
}

static bool ast_any(const sql_expr *e, ast_pred pred, bool into_windows)
{
    if (!e) return false;
    if (pred(e)) return true;
    switch (e->kind) {
    case SQL_EXPR_UNARY: return ast_any(e->u.unary.arg, pred, into_windows);
    case SQL_EXPR_BINARY:
        return ast_any(e->u.binary.left, pred, into_windows) ||
               ast_any(e->u.binary.right, pred, into_windows);
    case SQL_EXPR_IS_NULL:
    case SQL_EXPR_IS_BOOL: return ast_any(e->u.is.arg, pred, into_windows);
    case SQL_EXPR_IS_DISTINCT:
        return ast_any(e->u.distinct.left, pred, into_windows) ||
               ast_any(e->u.distinct.right, pred, into_windows);
    case SQL_EXPR_BETWEEN:
        return ast_any(e->u.between.arg, pred, into_windows) ||
               ast_any(e->u.between.low, pred, into_windows) ||
               ast_any(e->u.between.high, pred, into_windows);
    case SQL_EXPR_LIKE:
        return ast_any(e->u.like.arg, pred, into_windows) ||
               ast_any(e->u.like.pattern, pred, into_windows) ||
               ast_any(e->u.like.escape, pred, into_windows);
    case SQL_EXPR_IN_LIST:
        return ast_any(e->u.in_list.arg, pred, into_windows) ||
               ast_any_list(e->u.in_list.items, e->u.in_list.count, pred, into_windows);
    case SQL_EXPR_IN_QUERY: return ast_any(e->u.in_query.arg, pred, into_windows);
    case SQL_EXPR_QUANTIFIED: return ast_any(e->u.quantified.arg, pred, into_windows);
    case SQL_EXPR_FUNCTION:
        if (e->u.func.over && !into_windows) return false;
        if (ast_any_list(e->u.func.args, e->u.func.arg_count, pred, into_windows) ||
            ast_any(e->u.func.filter, pred, into_windows))
            return true;
        for (uint32_t i = 0; i < e->u.func.order_count; i++)
            if (ast_any(e->u.func.order[i].expr, pred, into_windows)) return true;
        if (e->u.func.over) {
            const sql_window *w = e->u.func.over;
            if (ast_any_list(w->partition, w->partition_count, pred, into_windows)) return true;
            for (uint32_t i = 0; i < w->order_count; i++)
                if (ast_any(w->order[i].expr, pred, into_windows)) return true;
        }
        return false;
    case SQL_EXPR_CASE:
        return ast_any(e->u.case_.operand, pred, into_windows) ||
               ast_any_list(e->u.case_.whens, e->u.case_.when_count, pred, into_windows) ||
               ast_any_list(e->u.case_.thens, e->u.case_.when_count, pred, into_windows) ||
               ast_any(e->u.case_.else_expr, pred, into_windows);
    case SQL_EXPR_CAST: return ast_any(e->u.cast.arg, pred, into_windows);
    case SQL_EXPR_EXTRACT: return ast_any(e->u.extract.arg, pred, into_windows);
    case SQL_EXPR_INTERVAL: return ast_any(e->u.interval.value, pred, into_windows);
    case SQL_EXPR_STRUCT:
        return ast_any_list(e->u.struct_.values, e->u.struct_.count, pred, into_windows);
    case SQL_EXPR_ARRAY:
    case SQL_EXPR_ROW: return ast_any_list(e->u.list.items, e->u.list.count, pred, into_windows);
    case SQL_EXPR_SUBSCRIPT:
        return ast_any(e->u.subscript.arg, pred, into_windows) ||
               ast_any(e->u.subscript.index, pred, into_windows);
    case SQL_EXPR_NAMED_ARG: return ast_any(e->u.named.value, pred, into_windows);
    case SQL_EXPR_AT_TIME_ZONE:
        return ast_any(e->u.at_zone.arg, pred, into_windows) ||
               ast_any(e->u.at_zone.zone, pred, into_windows);
    default: return false;
    }
}

static bool pred_window(const sql_expr *e)
{
    return e->kind == SQL_EXPR_FUNCTION && e->u.func.over != NULL;
}
static bool pred_subquery(const sql_expr *e)
{
    return e->kind == SQL_EXPR_SUBQUERY || e->kind == SQL_EXPR_EXISTS ||
           e->kind == SQL_EXPR_IN_QUERY || e->kind == SQL_EXPR_QUANTIFIED;
}
static bool pred_grouping(const sql_expr *e)
{
    return e->kind == SQL_EXPR_FUNCTION && !e->u.func.over &&
           strcmp(e->u.func.name.parts[e->u.func.name.count - 1].name, "grouping") == 0;
}
static bool pred_agg(const sql_expr *e) { return is_agg_call(e) || pred_grouping(e); }

bool bind_ast_has_agg(const sql_expr *e) { return ast_any(e, pred_agg, true); }
bool bind_ast_has_window(const sql_expr *e) { return ast_any(e, pred_window, true); }
bool bind_ast_has_subquery(const sql_expr *e) { return ast_any(e, pred_subquery, true); }

/* ---------------------------------------------------------------- columns */

static bool name_eq(const char *a, const char *b) { return a && b && strcasecmp(a, b) == 0; }

static int column_result(bind_ctx *cx, const bind_column *c, bool local, bool qualified,
                         uint32_t loc, plan_expr **out, fl_error *err)
{
    if (local) cx->b->local_refs++;
    plan_expr *e = (!qualified && c->using_expr) ? plan_expr_copy(cx->b->arena, c->using_expr)
                                                 : plan_expr_colref(cx->b->arena, c->binding,
                                                                    c->type, c->name);
    if (!e) return bind_oom(err);
    e->loc = loc;
    *out = e;
    return 0;
}

static const char *const niladic[] = {"current_date", "current_timestamp", "current_time",
                                      "localtimestamp", "localtime", "now"};

static int resolve_column(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    const sql_name *n = &e->u.column;
    const char *col = n->parts[n->count - 1].name;
    const char *qual = n->count >= 2 ? n->parts[n->count - 2].name : NULL;
    bool qualifier_seen = false;
    for (bind_scope *s = cx->scope; s; s = s->parent) {
        const bind_column *found = NULL;
        uint32_t matches = 0;
        for (uint32_t i = 0; i < s->count; i++) {
            bind_entry *en = s->entries[i];
            if (qual) {
                if (!name_eq(en->name, qual)) continue;
                qualifier_seen = true;
            }
            for (uint32_t j = 0; j < en->col_count; j++) {
                const bind_column *c = &en->cols[j];
                if (!name_eq(c->name, col)) continue;
                if (!qual && c->hidden) continue;
                if (!found) found = c;
                matches++;
                break;
            }
            if (qual && found) break;
        }
        if (matches > 1)
            return bind_error(cx->b, err, FLOE_EINVAL, "42702", e->loc,
                              "column reference \"%s\" is ambiguous", col);
        if (found) return column_result(cx, found, s == cx->scope, qual != NULL, e->loc, out, err);
    }
    if (n->count == 1) {
        for (size_t i = 0; i < FL_ARRAY_SIZE(niladic); i++)
            if (strcmp(col, niladic[i]) == 0 && fn_scalar_exists(col))
                return bind_call(cx->b, niladic[i], NULL, 0, e->loc, out, err);
    }
    if (qual && !qualifier_seen)
        return bind_error(cx->b, err, FLOE_ENOTFOUND, "42P01", e->loc,
                          "missing FROM-clause entry for table \"%s\"", qual);
    if (qual)
        return bind_error(cx->b, err, FLOE_ENOTFOUND, "42703", e->loc,
                          "column %s.%s does not exist", qual, col);
    return bind_error(cx->b, err, FLOE_ENOTFOUND, "42703", e->loc,
                      "column \"%s\" does not exist", col);
}

/* ---------------------------------------------------------------- literals */

static int bind_number(binder *b, const char *text, bool negative, sql_literal_kind kind,
                       uint32_t loc, plan_expr **out, fl_error *err)
{
    char buf[128];
    int len = snprintf(buf, sizeof buf, "%s%s", negative ? "-" : "", text);
    if (len < 0 || (size_t)len >= sizeof buf)
        return bind_error(b, err, FLOE_ERANGE, "22003", loc, "numeric literal is too long");
    fl_value v;
    memset(&v, 0, sizeof v);
    fl_error tmp;
    if (kind == SQL_LIT_INTEGER) {
        int64_t i;
        if (fl_parse_i64(&i, buf, (size_t)len, &tmp) == 0) {
            v.type = fl_type_make(i >= INT32_MIN && i <= INT32_MAX ? FL_TYPE_INT32 : FL_TYPE_INT64);
            v.v.i64 = i;
            goto done;
        }
        kind = SQL_LIT_DECIMAL;   /* too big for bigint: decimal(p,0) as Trino */
    }
    if (kind == SQL_LIT_DECIMAL) {
        int int_digits = 0, frac_digits = 0;
        bool in_frac = false, leading = true;
        for (const char *p = text; *p; p++) {
            if (*p == '.') {
                in_frac = true;
                continue;
            }
            if (*p < '0' || *p > '9') continue;
            if (in_frac)
                frac_digits++;
            else if (!(leading && *p == '0')) {
                leading = false;
                int_digits++;
            }
        }
        int precision = int_digits + frac_digits;
        if (precision < 1) precision = 1;
        if (precision <= FL_DECIMAL_MAX_PRECISION) {
            fl_int128 d;
            if (fl_decimal_parse(buf, (size_t)len, precision, frac_digits, &d, &tmp) < 0)
                return bind_error(b, err, FLOE_EINVAL, "22P02", loc,
                                  "invalid numeric literal \"%s\"", text);
            v.type = fl_type_decimal(precision, frac_digits);
            if (precision <= 18)
                v.v.i64 = (int64_t)d;
            else
                v.v.i128 = d;
            goto done;
        }
        kind = SQL_LIT_DOUBLE;
    }
    double d;
    if (fl_parse_double(&d, buf, (size_t)len, &tmp) < 0)
        return bind_error(b, err, FLOE_EINVAL, "22P02", loc, "invalid numeric literal \"%s\"",
                          text);
    v.type = fl_type_make(FL_TYPE_DOUBLE);
    v.v.f64 = d;
done:
    *out = plan_expr_const(b->arena, &v);
    if (!*out) return bind_oom(err);
    (*out)->loc = loc;
    return 0;
}

static int bind_literal(binder *b, const sql_expr *e, plan_expr **out, fl_error *err)
{
    fl_value v;
    memset(&v, 0, sizeof v);
    switch (e->u.lit.kind) {
    case SQL_LIT_NULL:
        v.type = fl_type_make(FL_TYPE_NULL);
        v.is_null = true;
        break;
    case SQL_LIT_BOOL:
        v.type = BOOL_T;
        v.v.b = e->u.lit.boolean;
        break;
    case SQL_LIT_INTEGER:
    case SQL_LIT_DECIMAL:
    case SQL_LIT_DOUBLE:
        return bind_number(b, e->u.lit.text, false, e->u.lit.kind, e->loc, out, err);
    case SQL_LIT_STRING:
        v.type = fl_type_make(FL_TYPE_STRING);
        v.v.s = fl_strv_cstr(e->u.lit.text);
        break;
    case SQL_LIT_TYPED: {
        fl_type t;
        FL_TRY(bind_type(b, e->u.lit.type, &t, err));
        fl_value s = {.type = fl_type_make(FL_TYPE_STRING)};
        s.v.s = fl_strv_cstr(e->u.lit.text);
        int rc = fn_cast_value(&v, &s, t, false, b->arena, err);
        if (rc < 0) {
            char tn[64];
            bind_type_name(tn, sizeof tn, t);
            return bind_error(b, err, rc, "22007", e->loc, "invalid %s literal '%s'", tn,
                              e->u.lit.text);
        }
        break;
    }
    }
    *out = plan_expr_const(b->arena, &v);
    if (!*out) return bind_oom(err);
    (*out)->loc = e->loc;
    return 0;
}

int bind_const_int(bind_ctx *cx, const sql_expr *e, const char *what, int64_t *out,
                   fl_error *err)
{
    bind_ctx c = {.b = cx->b, .scope = bind_scope_new(cx->b, NULL), .clause = what};
    plan_expr *x;
    FL_TRY(bind_expr(&c, e, &x, err));
    if (x->kind == PLAN_EX_CONST && !x->u.value.is_null &&
        (x->type.id == FL_TYPE_INT32 || x->type.id == FL_TYPE_INT64 ||
         x->type.id == FL_TYPE_INT16 || x->type.id == FL_TYPE_INT8) &&
        x->u.value.v.i64 >= 0) {
        *out = x->u.value.v.i64;
        return 0;
    }
    return bind_error(cx->b, err, FLOE_EINVAL, "42601", e->loc,
                      "%s must be a non-negative integer constant", what);
}

/* ---------------------------------------------------------------- operators */

static const char *op_symbol(sql_op op)
{
    switch (op) {
    case SQL_OP_EQ: return "=";
    case SQL_OP_NE: return "<>";
    case SQL_OP_LT: return "<";
    case SQL_OP_LE: return "<=";
    case SQL_OP_GT: return ">";
    case SQL_OP_GE: return ">=";
    case SQL_OP_CONCAT: return "||";
    case SQL_OP_ADD: return "+";
    case SQL_OP_SUB: return "-";
    case SQL_OP_MUL: return "*";
    case SQL_OP_DIV: return "/";
    case SQL_OP_MOD: return "%";
    default: return NULL;
    }
}

static const char *unit_name(sql_interval_unit u)
{
    switch (u) {
    case SQL_UNIT_YEAR: return "year";
    case SQL_UNIT_MONTH: return "month";
    case SQL_UNIT_WEEK: return "week";
    case SQL_UNIT_DAY: return "day";
    case SQL_UNIT_HOUR: return "hour";
    case SQL_UNIT_MINUTE: return "minute";
    case SQL_UNIT_SECOND: return "second";
    default: return NULL;
    }
}

/* d +/- INTERVAL 'n' unit -> date_add('unit', +/-n, d). */
static int bind_interval_arith(bind_ctx *cx, const sql_expr *date_ast, const sql_expr *iv,
                               bool subtract, uint32_t loc, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    const char *unit = unit_name(iv->u.interval.unit);
    if (!unit || iv->u.interval.to_unit != SQL_UNIT_NONE)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", iv->loc,
                          "this interval form is not supported (use a single unit)");
    plan_expr *d, *n;
    FL_TRY(bind_expr(cx, date_ast, &d, err));
    const sql_expr *val = iv->u.interval.value;
    if (val->kind == SQL_EXPR_LITERAL && val->u.lit.kind == SQL_LIT_STRING) {
        fl_strv t = fl_strv_trim(fl_strv_cstr(val->u.lit.text));
        int64_t count;
        fl_error tmp;
        if (fl_parse_i64(&count, t.ptr, t.len, &tmp) < 0)
            return bind_error(b, err, FLOE_EINVAL, "22007", val->loc,
                              "invalid interval value '%s'", val->u.lit.text);
        fl_value v = {.type = fl_type_make(FL_TYPE_INT64)};
        v.v.i64 = subtract ? -count : count;
        if (!(n = plan_expr_const(b->arena, &v))) return bind_oom(err);
    } else {
        FL_TRY(bind_expr(cx, val, &n, err));
        FL_TRY(bind_cast(b, n, fl_type_make(FL_TYPE_INT64), false, val->loc, &n, err));
        if (subtract) {
            if (n->kind == PLAN_EX_CONST && !n->u.value.is_null)
                n->u.value.v.i64 = -n->u.value.v.i64;
            else
                FL_TRY(bind_call(b, "neg", &n, 1, val->loc, &n, err));
        }
    }
    fl_value uv = {.type = fl_type_make(FL_TYPE_STRING)};
    uv.v.s = fl_strv_cstr(unit);
    plan_expr *args[3] = {plan_expr_const(b->arena, &uv), n, d};
    if (!args[0]) return bind_oom(err);
    return bind_call(b, "date_add", args, 3, loc, out, err);
}

static int flatten_into(binder *b, plan_expr_kind kind, plan_expr *x, plan_expr ***items,
                        uint32_t *n)
{
    if (x->kind == kind) {
        for (uint32_t i = 0; i < x->arg_count; i++)
            if (bind_push(b->arena, items, n, sizeof(plan_expr *), &x->args[i]) < 0)
                return FLOE_ENOMEM;
        return 0;
    }
    return bind_push(b->arena, items, n, sizeof(plan_expr *), &x);
}

static int bind_binary(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    sql_op op = e->u.binary.op;
    const sql_expr *le = e->u.binary.left, *re = e->u.binary.right;
    if (op == SQL_OP_AND || op == SQL_OP_OR) {
        plan_expr *l, *r;
        FL_TRY(bind_condition(cx, le, &l, err));
        FL_TRY(bind_condition(cx, re, &r, err));
        plan_expr_kind k = op == SQL_OP_AND ? PLAN_EX_AND : PLAN_EX_OR;
        plan_expr **items = NULL;
        uint32_t n = 0;
        if (flatten_into(b, k, l, &items, &n) < 0 || flatten_into(b, k, r, &items, &n) < 0)
            return bind_oom(err);
        plan_expr *x = plan_expr_new(b->arena, k, BOOL_T, n);
        if (!x) return bind_oom(err);
        memcpy(x->args, items, sizeof *items * n);
        x->loc = e->loc;
        *out = x;
        return 0;
    }
    if ((op == SQL_OP_ADD || op == SQL_OP_SUB) && re->kind == SQL_EXPR_INTERVAL)
        return bind_interval_arith(cx, le, re, op == SQL_OP_SUB, e->loc, out, err);
    if (op == SQL_OP_ADD && le->kind == SQL_EXPR_INTERVAL)
        return bind_interval_arith(cx, re, le, false, e->loc, out, err);
    const char *sym = op_symbol(op);
    if (!sym)
        return bind_error(b, err, FLOE_EINTERNAL, "XX000", e->loc, "unknown binary operator");
    plan_expr *l, *r;
    FL_TRY(bind_expr(cx, le, &l, err));
    FL_TRY(bind_expr(cx, re, &r, err));
    if (op >= SQL_OP_EQ && op <= SQL_OP_GE) return bind_compare(b, sym, l, r, e->loc, out, err);
    if ((l->type.id == FL_TYPE_NULL) != (r->type.id == FL_TYPE_NULL) && op != SQL_OP_CONCAT)
        FL_TRY(adapt_pair(b, &l, &r, e->loc, err));
    plan_expr *args[2] = {l, r};
    return bind_call(b, sym, args, 2, e->loc, out, err);
}

static int bind_unary(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    const sql_expr *a = e->u.unary.arg;
    if (e->u.unary.op == SQL_OP_NOT) {
        plan_expr *x;
        FL_TRY(bind_condition(cx, a, &x, err));
        if (!(*out = bind_not(cx->b, x))) return bind_oom(err);
        return 0;
    }
    if (e->u.unary.op == SQL_OP_NEG && a->kind == SQL_EXPR_LITERAL &&
        (a->u.lit.kind == SQL_LIT_INTEGER || a->u.lit.kind == SQL_LIT_DECIMAL ||
         a->u.lit.kind == SQL_LIT_DOUBLE))
        return bind_number(cx->b, a->u.lit.text, true, a->u.lit.kind, e->loc, out, err);
    plan_expr *x;
    FL_TRY(bind_expr(cx, a, &x, err));
    if (e->u.unary.op == SQL_OP_PLUS) {
        *out = x;
        return 0;
    }
    return bind_call(cx->b, "neg", &x, 1, e->loc, out, err);
}

/* a IS NOT DISTINCT FROM b: CASE WHEN a IS NULL THEN b IS NULL WHEN b IS NULL THEN false
 * ELSE a = b END (never NULL). */
static int bind_distinct(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    plan_expr *l, *r, *eq;
    FL_TRY(bind_expr(cx, e->u.distinct.left, &l, err));
    FL_TRY(bind_expr(cx, e->u.distinct.right, &r, err));
    FL_TRY(bind_compare(b, "=", l, r, e->loc, &eq, err));
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_CASE, BOOL_T, 5);
    plan_expr *lnull = plan_expr_new(b->arena, PLAN_EX_IS_NULL, BOOL_T, 1);
    plan_expr *rnull = plan_expr_new(b->arena, PLAN_EX_IS_NULL, BOOL_T, 1);
    plan_expr *rnull2 = plan_expr_new(b->arena, PLAN_EX_IS_NULL, BOOL_T, 1);
    plan_expr *f = bind_bool_const(b, false);
    if (!c || !lnull || !rnull || !rnull2 || !f) return bind_oom(err);
    lnull->args[0] = eq->args[0];
    rnull->args[0] = eq->args[1];
    rnull2->args[0] = eq->args[1];
    c->args[0] = lnull;
    c->args[1] = rnull;
    c->args[2] = rnull2;
    c->args[3] = f;
    c->args[4] = eq;
    c->u.has_else = true;
    c->loc = e->loc;
    if (e->u.distinct.negated) {
        *out = c;
        return 0;
    }
    if (!(*out = bind_not(b, c))) return bind_oom(err);
    return 0;
}

static int bind_is(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    plan_expr *x;
    if (e->kind == SQL_EXPR_IS_NULL) {
        FL_TRY(bind_expr(cx, e->u.is.arg, &x, err));
        plan_expr *n = plan_expr_new(b->arena, e->u.is.negated ? PLAN_EX_IS_NOT_NULL
                                                               : PLAN_EX_IS_NULL,
                                     BOOL_T, 1);
        if (!n) return bind_oom(err);
        n->args[0] = x;
        n->loc = e->loc;
        *out = n;
        return 0;
    }
    /* x IS TRUE = coalesce(x, false); x IS FALSE = coalesce(NOT x, false) */
    FL_TRY(bind_condition(cx, e->u.is.arg, &x, err));
    if (!e->u.is.value && !(x = bind_not(b, x))) return bind_oom(err);
    plan_expr *c = plan_expr_new(b->arena, PLAN_EX_COALESCE, BOOL_T, 2);
    if (!c || !(c->args[1] = bind_bool_const(b, false))) return bind_oom(err);
    c->args[0] = x;
    if (e->u.is.negated && !(c = bind_not(b, c))) return bind_oom(err);
    *out = c;
    return 0;
}

static int bind_between(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    plan_expr *x, *lo, *hi, *ge, *le;
    FL_TRY(bind_expr(cx, e->u.between.arg, &x, err));
    FL_TRY(bind_expr(cx, e->u.between.low, &lo, err));
    FL_TRY(bind_expr(cx, e->u.between.high, &hi, err));
    FL_TRY(bind_compare(b, ">=", x, lo, e->loc, &ge, err));
    plan_expr *x2 = plan_expr_copy(b->arena, x);
    if (!x2) return bind_oom(err);
    FL_TRY(bind_compare(b, "<=", x2, hi, e->loc, &le, err));
    plan_expr *items[2] = {ge, le};
    plan_expr *a = bind_and(b, items, 2);
    if (!a) return bind_oom(err);
    a->loc = e->loc;
    if (e->u.between.negated && !(a = bind_not(b, a))) return bind_oom(err);
    *out = a;
    return 0;
}

static int bind_like(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    plan_expr *args[3];
    uint32_t n = 2;
    FL_TRY(bind_expr(cx, e->u.like.arg, &args[0], err));
    FL_TRY(bind_expr(cx, e->u.like.pattern, &args[1], err));
    if (e->u.like.escape) FL_TRY(bind_expr(cx, e->u.like.escape, &args[n++], err));
    plan_expr *x;
    FL_TRY(bind_call(cx->b, e->u.like.ilike ? "ilike" : "like", args, n, e->loc, &x, err));
    if (e->u.like.negated && !(x = bind_not(cx->b, x))) return bind_oom(err);
    *out = x;
    return 0;
}

static int bind_in_list(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    uint32_t n = e->u.in_list.count + 1;
    plan_expr *x = plan_expr_new(b->arena, PLAN_EX_IN_LIST, BOOL_T, n);
    if (!x) return bind_oom(err);
    FL_TRY(bind_expr(cx, e->u.in_list.arg, &x->args[0], err));
    for (uint32_t i = 1; i < n; i++) {
        FL_TRY(bind_expr(cx, e->u.in_list.items[i - 1], &x->args[i], err));
        if (is_string_literal(x->args[i]) && adapts_literal(x->args[0]->type))
            FL_TRY(bind_cast(b, x->args[i], x->args[0]->type, false, x->args[i]->loc,
                             &x->args[i], err));
    }
    fl_type t;
    FL_TRY(bind_unify(b, x->args, n, e->loc, &t, err));
    x->loc = e->loc;
    if (e->u.in_list.negated && !(x = bind_not(b, x))) return bind_oom(err);
    *out = x;
    return 0;
}

static int bind_case(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    uint32_t w = e->u.case_.when_count;
    bool has_else = e->u.case_.else_expr != NULL;
    plan_expr *x = plan_expr_new(b->arena, PLAN_EX_CASE, BOOL_T, 2 * w + (has_else ? 1 : 0));
    plan_expr **results = fl_arena_alloc(b->arena, sizeof *results * (w + 1));
    if (!x || !results) return bind_oom(err);
    plan_expr *operand = NULL;
    if (e->u.case_.operand) FL_TRY(bind_expr(cx, e->u.case_.operand, &operand, err));
    for (uint32_t i = 0; i < w; i++) {
        plan_expr *cond;
        if (operand) {
            plan_expr *v;
            FL_TRY(bind_expr(cx, e->u.case_.whens[i], &v, err));
            plan_expr *op = i ? plan_expr_copy(b->arena, operand) : operand;
            if (!op) return bind_oom(err);
            FL_TRY(bind_compare(b, "=", op, v, e->u.case_.whens[i]->loc, &cond, err));
        } else {
            bind_ctx c = *cx;
            c.clause = "CASE/WHEN";
            FL_TRY(bind_condition(&c, e->u.case_.whens[i], &cond, err));
        }
        x->args[2 * i] = cond;
        FL_TRY(bind_expr(cx, e->u.case_.thens[i], &results[i], err));
    }
    if (has_else) FL_TRY(bind_expr(cx, e->u.case_.else_expr, &results[w], err));
    fl_type t;
    FL_TRY(bind_unify(b, results, w + (has_else ? 1 : 0), e->loc, &t, err));
    for (uint32_t i = 0; i < w; i++) x->args[2 * i + 1] = results[i];
    if (has_else) x->args[2 * w] = results[w];
    x->type = t;
    x->u.has_else = has_else;
    x->loc = e->loc;
    *out = x;
    return 0;
}

static int bind_cast_expr(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    plan_expr *x;
    fl_type to;
    FL_TRY(bind_expr(cx, e->u.cast.arg, &x, err));
    FL_TRY(bind_type(b, e->u.cast.type, &to, err));
    if (x->type.id != FL_TYPE_NULL && !fl_type_eq(x->type, to) && !fn_cast_allowed(x->type, to)) {
        char a[64], c[64];
        type_names(x->type, a, to, c);
        return bind_error(b, err, FLOE_ETYPE, "42846", e->loc, "cannot cast type %s to %s", a,
                          c);
    }
    return bind_cast(b, x, to, e->u.cast.try_, e->loc, out, err);
}

static int unsupported(bind_ctx *cx, const sql_expr *e, const char *what, fl_error *err)
{
    return bind_error(cx->b, err, FLOE_EUNSUPPORTED, "0A000", e->loc, "%s is not supported yet",
                      what);
}

/* ---------------------------------------------------------------- dispatch */

static int bind_plain(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    switch (e->kind) {
    case SQL_EXPR_LITERAL: return bind_literal(cx->b, e, out, err);
    case SQL_EXPR_COLUMN: return resolve_column(cx, e, out, err);
    case SQL_EXPR_STAR:
        return bind_error(cx->b, err, FLOE_ESYNTAX, "42601", e->loc, "\"*\" is not allowed here");
    case SQL_EXPR_PARAM: {
        plan_expr *p = plan_expr_new(cx->b->arena, PLAN_EX_PARAM, fl_type_make(FL_TYPE_NULL), 0);
        if (!p) return bind_oom(err);
        p->u.param_index = e->u.param_index;
        p->loc = e->loc;
        *out = p;
        return 0;
    }
    case SQL_EXPR_UNARY: return bind_unary(cx, e, out, err);
    case SQL_EXPR_BINARY: return bind_binary(cx, e, out, err);
    case SQL_EXPR_IS_NULL:
    case SQL_EXPR_IS_BOOL: return bind_is(cx, e, out, err);
    case SQL_EXPR_IS_DISTINCT: return bind_distinct(cx, e, out, err);
    case SQL_EXPR_BETWEEN: return bind_between(cx, e, out, err);
    case SQL_EXPR_LIKE: return bind_like(cx, e, out, err);
    case SQL_EXPR_IN_LIST: return bind_in_list(cx, e, out, err);
    case SQL_EXPR_IN_QUERY:
    case SQL_EXPR_EXISTS:
    case SQL_EXPR_SUBQUERY:
    case SQL_EXPR_QUANTIFIED: return bind_subquery_expr(cx, e, out, err);
    case SQL_EXPR_FUNCTION: return bind_function(cx, e, out, err);
    case SQL_EXPR_CASE: return bind_case(cx, e, out, err);
    case SQL_EXPR_CAST: return bind_cast_expr(cx, e, out, err);
    case SQL_EXPR_EXTRACT: {
        plan_expr *x;
        FL_TRY(bind_expr(cx, e->u.extract.arg, &x, err));
        return bind_call(cx->b, e->u.extract.field, &x, 1, e->loc, out, err);
    }
    case SQL_EXPR_INTERVAL:
        return unsupported(cx, e, "an interval outside date arithmetic (date +/- interval)", err);
    case SQL_EXPR_STRUCT: return unsupported(cx, e, "a struct literal", err);
    case SQL_EXPR_ARRAY: return unsupported(cx, e, "an ARRAY constructor", err);
    case SQL_EXPR_SUBSCRIPT: return unsupported(cx, e, "a subscript", err);
    case SQL_EXPR_NAMED_ARG: return unsupported(cx, e, "a named argument here", err);
    case SQL_EXPR_ROW: return unsupported(cx, e, "a row value", err);
    case SQL_EXPR_AT_TIME_ZONE: return unsupported(cx, e, "AT TIME ZONE", err);
    }
    return bind_error(cx->b, err, FLOE_EINTERNAL, "XX000", e->loc, "unknown expression kind %d",
                      (int)e->kind);
}

/* Aggregating level: an aggregate-free expression matching a GROUP BY expression
 * becomes a reference to the group column. *done false: bind structurally. */
static int match_group(bind_ctx *cx, const sql_expr *e, plan_expr **out, bool *done,
                       fl_error *err)
{
    *done = false;
    if (e->kind == SQL_EXPR_LITERAL || bind_ast_has_agg(e) || bind_ast_has_window(e) ||
        bind_ast_has_subquery(e))
        return 0;
    bind_ctx pre = {.b = cx->b, .scope = cx->scope, .clause = cx->clause};
    uint32_t before = cx->b->local_refs;
    plan_expr *x;
    FL_TRY(bind_expr(&pre, e, &x, err));
    if (cx->b->local_refs == before) {   /* constant or outer references only */
        *out = x;
        *done = true;
        return 0;
    }
    plan_node *agg = cx->agg;
    for (uint32_t g = 0; g < agg->u.aggregate.group_count; g++) {
        if (!plan_expr_equal(agg->u.aggregate.groups[g], x)) continue;
        plan_expr *r = plan_expr_colref(cx->b->arena,
                                        (plan_binding){agg->u.aggregate.group_index, g}, x->type,
                                        x->kind == PLAN_EX_COLREF ? x->name : NULL);
        if (!r) return bind_oom(err);
        r->loc = e->loc;
        *out = r;
        *done = true;
        return 0;
    }
    if (e->kind == SQL_EXPR_COLUMN) {
        const sql_name *n = &e->u.column;
        return bind_error(cx->b, err, FLOE_EINVAL, "42803", e->loc,
                          "column \"%s\" must appear in the GROUP BY clause or be used in an "
                          "aggregate function",
                          n->parts[n->count - 1].name);
    }
    return 0;
}

int bind_expr(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    if (cx->agg && !cx->in_agg && !(e->kind == SQL_EXPR_FUNCTION && is_agg_call(e))) {
        bool done;
        FL_TRY(match_group(cx, e, out, &done, err));
        if (done) return 0;
    }
    return bind_plain(cx, e, out, err);
}
