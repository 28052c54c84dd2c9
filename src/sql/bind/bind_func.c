/*
 * bind_func.c: function calls: the special forms (COALESCE, NULLIF, IF,
 * IFNULL/NVL, GROUPING), scalar functions through fn_scalar_bind,
 * aggregates (DISTINCT, FILTER, count(*)) collected into the level's
 * PLAN_AGGREGATE, and window functions (ranking/navigation through
 * fn_window_bind, aggregates over a frame through fn_agg_bind) collected
 * into the level's PLAN_WINDOW with their resolved window specification
 * (named windows, default frames, NULLS LAST by default; ROWS, RANGE and
 * GROUPS frames, GROUPS offsets non-negative integer constants; DISTINCT
 * only for aggregates).
 *
 * An aggregate or window call is replaced by a column reference to the
 * node's output ({agg_index, j} or {window table_index, i}); identical calls
 * share one output.
 */
#include <string.h>

#include "../../base/strutil.h"
#include "bind_internal.h"

static const fl_type BOOL_T = {FL_TYPE_BOOL, 0, 0, 0, 0};

static const char *func_name(const sql_expr *e)
{
    return e->u.func.name.parts[e->u.func.name.count - 1].name;
}

static int bind_args(bind_ctx *cx, const sql_expr *e, plan_expr ***out, fl_error *err)
{
    uint32_t n = e->u.func.arg_count;
    plan_expr **args = fl_arena_calloc(cx->b->arena, sizeof *args * (n + 1));
    if (!args) return bind_oom(err);
    for (uint32_t i = 0; i < n; i++) {
        if (e->u.func.args[i]->kind == SQL_EXPR_NAMED_ARG)
            return bind_error(cx->b, err, FLOE_EUNSUPPORTED, "0A000", e->u.func.args[i]->loc,
                              "named arguments are only supported for table functions");
        FL_TRY(bind_expr(cx, e->u.func.args[i], &args[i], err));
    }
    *out = args;
    return 0;
}

static int arity(bind_ctx *cx, const sql_expr *e, uint32_t lo, uint32_t hi, fl_error *err)
{
    uint32_t n = e->u.func.arg_count;
    if (n >= lo && n <= hi) return 0;
    return bind_error(cx->b, err, FLOE_ENOTFOUND, "42883", e->loc,
                      "function %s does not take %u arguments", func_name(e), n);
}

static int bind_special(bind_ctx *cx, const sql_expr *e, const char *name, plan_expr **out,
                        bool *handled, fl_error *err)
{
    binder *b = cx->b;
    *handled = true;
    plan_expr **args;
    if (strcmp(name, "coalesce") == 0 || strcmp(name, "ifnull") == 0 ||
        strcmp(name, "nvl") == 0) {
        FL_TRY(arity(cx, e, strcmp(name, "coalesce") == 0 ? 1 : 2, strcmp(name, "coalesce") == 0 ? 4096 : 2, err));
        FL_TRY(bind_args(cx, e, &args, err));
        plan_expr *x = plan_expr_new(b->arena, PLAN_EX_COALESCE, BOOL_T, e->u.func.arg_count);
        if (!x) return bind_oom(err);
        memcpy(x->args, args, sizeof *args * e->u.func.arg_count);
        FL_TRY(bind_unify(b, x->args, x->arg_count, e->loc, &x->type, err));
        x->loc = e->loc;
        *out = x;
        return 0;
    }
    if (strcmp(name, "nullif") == 0 || strcmp(name, "if") == 0 || strcmp(name, "iff") == 0) {
        bool is_if = name[0] == 'i';
        FL_TRY(arity(cx, e, is_if ? 2 : 2, is_if ? 3 : 2, err));
        FL_TRY(bind_args(cx, e, &args, err));
        plan_expr *cond, *vals[2];
        uint32_t nvals;
        if (is_if) {
            cond = args[0];
            if (cond->type.id == FL_TYPE_NULL)
                FL_TRY(bind_cast(b, cond, BOOL_T, false, e->loc, &cond, err));
            if (cond->type.id != FL_TYPE_BOOL)
                return bind_error(b, err, FLOE_ETYPE, "42804", e->loc,
                                  "the first argument of if must be boolean");
            vals[0] = args[1];
            vals[1] = e->u.func.arg_count == 3 ? args[2] : NULL;
            nvals = vals[1] ? 2 : 1;
        } else {
            plan_expr *a2 = plan_expr_copy(b->arena, args[0]);
            if (!a2) return bind_oom(err);
            FL_TRY(bind_compare(b, "=", a2, args[1], e->loc, &cond, err));
            fl_value nv = {.type = args[0]->type, .is_null = true};
            vals[0] = plan_expr_const(b->arena, &nv);
            vals[1] = args[0];
            nvals = 2;
            if (!vals[0]) return bind_oom(err);
        }
        fl_type t;
        FL_TRY(bind_unify(b, vals, nvals, e->loc, &t, err));
        plan_expr *x = plan_expr_new(b->arena, PLAN_EX_CASE, t, nvals == 2 ? 3 : 2);
        if (!x) return bind_oom(err);
        x->args[0] = cond;
        x->args[1] = vals[0];
        if (nvals == 2) x->args[2] = vals[1];
        x->u.has_else = nvals == 2;
        x->loc = e->loc;
        *out = x;
        return 0;
    }
    *handled = false;
    return 0;
}

/* ---------------------------------------------------------------- aggregates */

/* The text of x (in the arena), the name of the column reference that stands for it. */
static const char *expr_text(binder *b, const plan_expr *x)
{
    fl_buf buf;
    fl_buf_init(&buf);
    const char *name = x->name;
    if (plan_expr_to_string(&buf, x, NULL) == 0) {
        const char *t = fl_arena_strdup(b->arena, fl_buf_cstr(&buf));
        if (t) name = t;
    }
    fl_buf_dispose(&buf);
    return name;
}

static int add_unique(binder *b, plan_expr ***list, uint32_t *count, plan_expr *x,
                      uint32_t *index, fl_error *err)
{
    for (uint32_t i = 0; i < *count; i++)
        if (plan_expr_equal((*list)[i], x)) {
            *index = i;
            return 0;
        }
    if (bind_push(b->arena, list, count, sizeof x, &x) < 0) return bind_oom(err);
    *index = *count - 1;
    return 0;
}

/* add_unique for window expressions: plan_expr_equal does not compare
 * plan_window_spec.groups, so a GROUPS and a RANGE frame with equal bounds
 * must not share an output. */
static int add_unique_window(binder *b, plan_node *win, plan_expr *x, uint32_t *index,
                             fl_error *err)
{
    plan_expr **list = win->u.window.exprs;
    for (uint32_t i = 0; i < win->u.window.count; i++)
        if (plan_expr_equal(list[i], x) && list[i]->u.window.spec->groups == x->u.window.spec->groups) {
            *index = i;
            return 0;
        }
    if (bind_push(b->arena, &win->u.window.exprs, &win->u.window.count, sizeof x, &x) < 0)
        return bind_oom(err);
    *index = win->u.window.count - 1;
    return 0;
}

static int bind_grouping(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    plan_node *agg = cx->agg;
    if (!agg || cx->in_agg)
        return bind_error(b, err, FLOE_EINVAL, "42803", e->loc,
                          "GROUPING is only allowed in the select list, HAVING and ORDER BY of "
                          "a grouped query");
    if (e->u.func.arg_count == 0 || e->u.func.arg_count > 63)
        return bind_error(b, err, FLOE_EINVAL, "42601", e->loc,
                          "GROUPING takes between 1 and 63 arguments");
    plan_expr *x = plan_expr_new(b->arena, PLAN_EX_GROUPING, fl_type_make(FL_TYPE_INT64),
                                 e->u.func.arg_count);
    if (!x) return bind_oom(err);
    bind_ctx pre = {.b = b, .scope = cx->scope, .clause = "GROUPING"};
    for (uint32_t i = 0; i < e->u.func.arg_count; i++) {
        plan_expr *a;
        FL_TRY(bind_expr(&pre, e->u.func.args[i], &a, err));
        uint32_t g = 0;
        for (; g < agg->u.aggregate.group_count; g++)
            if (plan_expr_equal(agg->u.aggregate.groups[g], a)) break;
        if (g == agg->u.aggregate.group_count)
            return bind_error(b, err, FLOE_EINVAL, "42803", e->u.func.args[i]->loc,
                              "arguments to GROUPING must be grouping expressions of the "
                              "associated query level");
        x->args[i] = plan_expr_colref(b->arena, (plan_binding){agg->u.aggregate.group_index, g},
                                      a->type, a->kind == PLAN_EX_COLREF ? a->name : NULL);
        if (!x->args[i]) return bind_oom(err);
    }
    x->name = "grouping";
    x->loc = e->loc;
    uint32_t idx;
    FL_TRY(add_unique(b, &agg->u.aggregate.groupings, &agg->u.aggregate.grouping_count, x, &idx,
                      err));
    *out = plan_expr_colref(b->arena, (plan_binding){agg->u.aggregate.grouping_index, idx},
                            x->type, expr_text(b, agg->u.aggregate.groupings[idx]));
    return *out ? 0 : bind_oom(err);
}

static int bind_aggregate(bind_ctx *cx, const sql_expr *e, const char *name, plan_expr **out,
                          fl_error *err)
{
    binder *b = cx->b;
    if (cx->in_agg)
        return bind_error(b, err, FLOE_EINVAL, "42803", e->loc,
                          "aggregate function calls cannot be nested");
    if (!cx->agg)
        return bind_error(b, err, FLOE_EINVAL, "42803", e->loc,
                          "aggregate functions are not allowed in %s",
                          cx->clause ? cx->clause : "this context");
    if (e->u.func.order_count)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", e->loc,
                          "ORDER BY inside an aggregate call is not supported yet");
    plan_node *agg = cx->agg;
    bind_ctx in = {.b = b, .scope = cx->scope, .root = &agg->children[0], .in_agg = true,
                   .clause = "aggregate arguments"};
    plan_expr **args;
    uint32_t n = e->u.func.arg_count;
    const char *fname = name;
    if (e->u.func.star) {
        n = 0;
        fname = "count_star";
        args = NULL;
    } else {
        FL_TRY(bind_args(&in, e, &args, err));
        if (strcmp(name, "count") == 0 && n == 0) fname = "count_star";
    }
    fl_type types[16];
    if (n > FL_ARRAY_SIZE(types))
        return bind_error(b, err, FLOE_ELIMIT, "54023", e->loc, "too many arguments");
    for (uint32_t i = 0; i < n; i++) types[i] = args[i]->type;
    const fn_agg_def *fn;
    int rc = fn_agg_bind(&fn, fname, types, n, b->arena, err);
    if (rc < 0) return bind_error_rethrow(b, err, rc, e->loc);
    plan_expr *x = plan_expr_new(b->arena, PLAN_EX_AGG, fn->ret, n);
    if (!x) return bind_oom(err);
    for (uint32_t i = 0; i < n; i++) {
        plan_expr *a = args[i];
        if (fn->arg_types && i < fn->arg_count)
            FL_TRY(bind_cast(b, a, fn->arg_types[i], false, e->loc, &a, err));
        x->args[i] = a;
    }
    x->name = e->u.func.star ? "count_star" : name;
    x->u.agg.fn = fn;
    x->u.agg.distinct = e->u.func.distinct;
    if (e->u.func.filter) {
        in.clause = "FILTER";
        FL_TRY(bind_condition(&in, e->u.func.filter, &x->u.agg.filter, err));
    }
    x->loc = e->loc;
    uint32_t idx;
    FL_TRY(add_unique(b, &agg->u.aggregate.aggs, &agg->u.aggregate.agg_count, x, &idx, err));
    *out = plan_expr_colref(b->arena, (plan_binding){agg->u.aggregate.agg_index, idx}, x->type,
                            expr_text(b, agg->u.aggregate.aggs[idx]));
    return *out ? 0 : bind_oom(err);
}

/* ---------------------------------------------------------------- windows */

int bind_order_items(bind_ctx *cx, const sql_order_item *items, uint32_t count,
                     plan_order **out, fl_error *err)
{
    plan_order *o = fl_arena_calloc(cx->b->arena, sizeof *o * (count + 1));
    if (!o) return bind_oom(err);
    for (uint32_t i = 0; i < count; i++) {
        FL_TRY(bind_expr(cx, items[i].expr, &o[i].expr, err));
        o[i].desc = items[i].desc;
        o[i].nulls_first = items[i].nulls == 1;   /* default NULLS LAST (Trino, DuckDB) */
    }
    *out = o;
    return 0;
}

static plan_frame_bound_kind frame_bound(sql_bound_kind k)
{
    switch (k) {
    case SQL_BOUND_UNBOUNDED_PRECEDING: return PLAN_BOUND_UNBOUNDED_PRECEDING;
    case SQL_BOUND_PRECEDING: return PLAN_BOUND_PRECEDING;
    case SQL_BOUND_FOLLOWING: return PLAN_BOUND_FOLLOWING;
    case SQL_BOUND_UNBOUNDED_FOLLOWING: return PLAN_BOUND_UNBOUNDED_FOLLOWING;
    default: return PLAN_BOUND_CURRENT_ROW;
    }
}

/* A frame offset: a constant, or INTERVAL '<n>' <unit> (RANGE over dates
 * and timestamps): a count of months (UINT32) or microseconds (UINT64),
 * see plan_window_spec. */
static int bind_frame_offset(bind_ctx *cx, const sql_expr *e, plan_expr **out, const char **unit,
                             fl_error *err)
{
    static const int64_t micros[] = {0, 0, 0, 7 * 86400000000LL, 86400000000LL, 3600000000LL,
                                     60000000LL, 1000000LL};
    *unit = NULL;
    if (e->kind != SQL_EXPR_INTERVAL) return bind_expr(cx, e, out, err);
    sql_interval_unit u = e->u.interval.unit;
    const sql_expr *val = e->u.interval.value;
    if (u <= SQL_UNIT_NONE || u > SQL_UNIT_SECOND || e->u.interval.to_unit != SQL_UNIT_NONE)
        return bind_error(cx->b, err, FLOE_EUNSUPPORTED, "0A000", e->loc,
                          "this interval form is not supported as a frame offset (use a single unit)");
    if (val->kind != SQL_EXPR_LITERAL ||
        (val->u.lit.kind != SQL_LIT_STRING && val->u.lit.kind != SQL_LIT_INTEGER))
        return bind_error(cx->b, err, FLOE_EUNSUPPORTED, "0A000", val->loc,
                          "interval frame offsets must be literals");
    fl_strv t = fl_strv_trim(fl_strv_cstr(val->u.lit.text));
    int64_t n;
    fl_error tmp;
    if (fl_parse_i64(&n, t.ptr, t.len, &tmp) < 0)
        return bind_error(cx->b, err, FLOE_EINVAL, "22007", val->loc, "invalid interval value '%s'",
                          val->u.lit.text);
    if (n < 0)
        return bind_error(cx->b, err, FLOE_EINVAL, "22013", val->loc,
                          "frame offset must not be null or negative");
    fl_value v;
    if (u == SQL_UNIT_YEAR || u == SQL_UNIT_MONTH) {
        int64_t months = u == SQL_UNIT_YEAR ? n * 12 : n;
        if (n > INT32_MAX / 12 * (u == SQL_UNIT_YEAR ? 1 : 12))
            return bind_error(cx->b, err, FLOE_ERANGE, "22008", val->loc,
                              "interval frame offset '%s' is out of range", val->u.lit.text);
        v = (fl_value){.type = fl_type_make(FL_TYPE_UINT32)};
        v.v.u64 = (uint64_t)months;
        *unit = "month";
    } else {
        if (n > INT64_MAX / micros[u])
            return bind_error(cx->b, err, FLOE_ERANGE, "22008", val->loc,
                              "interval frame offset '%s' is out of range", val->u.lit.text);
        v = (fl_value){.type = fl_type_make(FL_TYPE_UINT64)};
        v.v.u64 = (uint64_t)(n * micros[u]);
        *unit = "microsecond";
    }
    if (!(*out = plan_expr_const(cx->b->arena, &v))) return bind_oom(err);
    return 0;
}

/* A GROUPS offset counts peer groups: a non-negative integer constant. */
static int groups_offset(bind_ctx *cx, const sql_expr *e, const plan_expr *x, const char *unit,
                         fl_error *err)
{
    if (!x) return 0;
    fl_type_id id = (fl_type_id)x->type.id;
    if (id == FL_TYPE_NULL)
        return bind_error(cx->b, err, FLOE_EINVAL, "22013", e->loc,
                          "frame offset must not be null or negative");
    if (unit || id < FL_TYPE_INT8 || id > FL_TYPE_UINT64)
        return bind_error(cx->b, err, FLOE_ETYPE, "42804", e->loc,
                          "GROUPS frame offset must be an integer, not %s",
                          unit ? "an interval" : fl_type_name(id));
    const fl_value *v = &x->u.value;
    if (v->is_null || (id <= FL_TYPE_INT64 && v->v.i64 < 0))
        return bind_error(cx->b, err, FLOE_EINVAL, "22013", e->loc,
                          "frame offset must not be null or negative");
    return 0;
}

static const sql_window *find_named_window(bind_ctx *cx, const char *name)
{
    for (uint32_t i = 0; i < cx->named_window_count; i++)
        if (cx->named_windows[i]->name && strcmp(cx->named_windows[i]->name, name) == 0)
            return cx->named_windows[i];
    return NULL;
}

static int bind_window_spec(bind_ctx *cx, const sql_window *w, plan_window_spec **out,
                            fl_error *err)
{
    binder *b = cx->b;
    const sql_window *base = NULL;
    if (w->base && !(base = find_named_window(cx, w->base)))
        return bind_error(b, err, FLOE_ENOTFOUND, "42P20", w->loc, "window \"%s\" does not exist",
                          w->base);
    plan_window_spec *s = fl_arena_calloc(b->arena, sizeof *s);
    if (!s) return bind_oom(err);
    const sql_window *pw = w->partition_count || !base ? w : base;
    const sql_window *ow = w->order_count || !base ? w : base;
    const sql_window *fw = w->frame != SQL_FRAME_NONE || !base ? w : base;
    s->partition = fl_arena_calloc(b->arena, sizeof *s->partition * (pw->partition_count + 1));
    if (!s->partition) return bind_oom(err);
    for (uint32_t i = 0; i < pw->partition_count; i++)
        FL_TRY(bind_expr(cx, pw->partition[i], &s->partition[i], err));
    s->partition_count = pw->partition_count;
    FL_TRY(bind_order_items(cx, ow->order, ow->order_count, &s->order, err));
    s->order_count = ow->order_count;
    if (fw->frame == SQL_FRAME_NONE) {
        s->rows = false;
        s->start = PLAN_BOUND_UNBOUNDED_PRECEDING;
        s->end = s->order_count ? PLAN_BOUND_CURRENT_ROW : PLAN_BOUND_UNBOUNDED_FOLLOWING;
    } else {
        s->rows = fw->frame == SQL_FRAME_ROWS;
        s->start = frame_bound(fw->start.kind);
        s->end = fw->end.kind == SQL_BOUND_NONE ? PLAN_BOUND_CURRENT_ROW : frame_bound(fw->end.kind);
        bind_ctx c = {.b = b, .scope = bind_scope_new(b, NULL), .clause = "window frame"};
        if (fw->start.offset)
            FL_TRY(bind_frame_offset(&c, fw->start.offset, &s->start_offset, &s->start_unit, err));
        if (fw->end.offset)
            FL_TRY(bind_frame_offset(&c, fw->end.offset, &s->end_offset, &s->end_unit, err));
        if ((s->start_offset && s->start_offset->kind != PLAN_EX_CONST) ||
            (s->end_offset && s->end_offset->kind != PLAN_EX_CONST))
            return bind_error(b, err, FLOE_EINVAL, "42601", fw->loc,
                              "window frame offsets must be constants");
        if (fw->frame == SQL_FRAME_GROUPS) {
            s->groups = true;
            FL_TRY(groups_offset(cx, fw->start.offset, s->start_offset, s->start_unit, err));
            FL_TRY(groups_offset(cx, fw->end.offset, s->end_offset, s->end_unit, err));
        }
    }
    *out = s;
    return 0;
}

static int bind_window_call(bind_ctx *cx, const sql_expr *e, const char *name, plan_expr **out,
                            fl_error *err)
{
    binder *b = cx->b;
    if (!cx->win || cx->in_agg)
        return bind_error(b, err, FLOE_EINVAL, "42P20", e->loc,
                          "window functions are not allowed in %s",
                          cx->clause ? cx->clause : "this context");
    plan_expr **args = NULL;
    uint32_t n = e->u.func.star ? 0 : e->u.func.arg_count;
    if (n) FL_TRY(bind_args(cx, e, &args, err));
    fl_type types[16];
    if (n > FL_ARRAY_SIZE(types))
        return bind_error(b, err, FLOE_ELIMIT, "54023", e->loc, "too many arguments");
    for (uint32_t i = 0; i < n; i++) types[i] = args[i]->type;
    const fn_window_def *wfn = NULL;
    const fn_agg_def *afn = NULL;
    const fl_type *want = NULL;
    uint32_t want_n = 0;
    fl_type ret;
    int rc;
    if (fn_window_exists(name)) {
        if (e->u.func.distinct)
            return bind_error(b, err, FLOE_EINVAL, "42809", e->loc,
                              "DISTINCT is only allowed for aggregate window functions, not %s", name);
        rc = fn_window_bind(&wfn, name, types, n, b->arena, err);
        if (rc < 0) return bind_error_rethrow(b, err, rc, e->loc);
        ret = wfn->ret;
        want = wfn->arg_types;
        want_n = wfn->arg_count;
    } else {
        const char *fname = (e->u.func.star || (strcmp(name, "count") == 0 && n == 0))
                                ? "count_star"
                                : name;
        rc = fn_agg_bind(&afn, fname, types, n, b->arena, err);
        if (rc < 0) return bind_error_rethrow(b, err, rc, e->loc);
        ret = afn->ret;
        want = afn->arg_types;
        want_n = afn->arg_count;
        name = fname;
    }
    plan_expr *x = plan_expr_new(b->arena, PLAN_EX_WINDOW, ret, n);
    if (!x) return bind_oom(err);
    for (uint32_t i = 0; i < n; i++) {
        plan_expr *a = args[i];
        if (want && i < want_n) FL_TRY(bind_cast(b, a, want[i], false, e->loc, &a, err));
        x->args[i] = a;
    }
    x->name = name;
    x->u.window.fn = wfn;
    x->u.window.agg = afn;
    x->u.window.distinct = e->u.func.distinct;
    FL_TRY(bind_window_spec(cx, e->u.func.over, &x->u.window.spec, err));
    if (e->u.func.filter)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", e->loc,
                          "FILTER on window functions is not supported yet");
    x->loc = e->loc;
    plan_node *win = cx->win;
    uint32_t idx = 0;
    FL_TRY(add_unique_window(b, win, x, &idx, err));
    *out = plan_expr_colref(b->arena, (plan_binding){win->table_index, idx}, ret,
                            expr_text(b, win->u.window.exprs[idx]));
    return *out ? 0 : bind_oom(err);
}

/* ---------------------------------------------------------------- entry */

int bind_function(bind_ctx *cx, const sql_expr *e, plan_expr **out, fl_error *err)
{
    binder *b = cx->b;
    const char *name = func_name(e);
    if (e->u.func.name.count > 1 && strcmp(e->u.func.name.parts[0].name, "system") != 0)
        return bind_error(b, err, FLOE_ENOTFOUND, "42883", e->loc,
                          "function %s.%s does not exist", e->u.func.name.parts[0].name, name);
    if (e->u.func.over) return bind_window_call(cx, e, name, out, err);
    if (strcmp(name, "grouping") == 0) return bind_grouping(cx, e, out, err);
    if (e->u.func.star || (fn_agg_exists(name) && !fn_scalar_exists(name)))
        return bind_aggregate(cx, e, name, out, err);
    if (e->u.func.distinct || e->u.func.filter)
        return bind_error(b, err, FLOE_EINVAL, "42809", e->loc,
                          "DISTINCT and FILTER are only allowed for aggregate functions");
    bool handled;
    FL_TRY(bind_special(cx, e, name, out, &handled, err));
    if (handled) return 0;
    if (!fn_scalar_exists(name)) {
        if (fn_window_exists(name))
            return bind_error(b, err, FLOE_EINVAL, "42809", e->loc,
                              "window function %s requires an OVER clause", name);
        return bind_error(b, err, FLOE_ENOTFOUND, "42883", e->loc,
                          "function %s does not exist", name);
    }
    plan_expr **args;
    FL_TRY(bind_args(cx, e, &args, err));
    return bind_call(b, name, args, e->u.func.arg_count, e->loc, out, err);
}
