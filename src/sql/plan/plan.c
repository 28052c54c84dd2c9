/*
 * plan.c: helpers over the logical plan (plan.h): node and expression
 * constructors, the output bindings of each node kind, deep copies,
 * visitors and structural equality of expressions.
 *
 * plan_node_outputs is the single definition of what each node kind
 * produces (the table at the top of plan.h); the binder, the optimizer and
 * the physical planner all use it, so a node kind's layout is written once.
 */
#include "plan.h"

#include <string.h>

#include "../../base/error.h"
#include "../../func/func.h"

plan_node *plan_node_new(fl_arena *arena, plan_node_kind kind, uint32_t child_count)
{
    plan_node *n = fl_arena_calloc(arena, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    if (child_count) {
        n->children = fl_arena_calloc(arena, sizeof *n->children * child_count);
        if (!n->children) return NULL;
        n->child_count = child_count;
    }
    if (kind == PLAN_LIMIT || kind == PLAN_TOPN) n->u.limit.limit = -1;
    return n;
}

plan_expr *plan_expr_new(fl_arena *arena, plan_expr_kind kind, fl_type type, uint32_t arg_count)
{
    plan_expr *e = fl_arena_calloc(arena, sizeof *e);
    if (!e) return NULL;
    e->kind = kind;
    e->type = type;
    if (arg_count) {
        e->args = fl_arena_calloc(arena, sizeof *e->args * arg_count);
        if (!e->args) return NULL;
        e->arg_count = arg_count;
    }
    return e;
}

plan_expr *plan_expr_colref(fl_arena *arena, plan_binding b, fl_type type, const char *name)
{
    plan_expr *e = plan_expr_new(arena, PLAN_EX_COLREF, type, 0);
    if (!e) return NULL;
    e->u.binding = b;
    e->name = name;
    return e;
}

plan_expr *plan_expr_const(fl_arena *arena, const fl_value *v)
{
    plan_expr *e = plan_expr_new(arena, PLAN_EX_CONST, v->type, 0);
    if (!e) return NULL;
    e->u.value = *v;
    if (!v->is_null && fl_type_is_varlen(v->type) && v->v.s.len) {
        char *p = fl_arena_memdup(arena, v->v.s.ptr, v->v.s.len);
        if (!p) return NULL;
        e->u.value.v.s.ptr = p;
    }
    return e;
}

/* ---------------------------------------------------------------- outputs */

typedef struct out_list {
    plan_binding *b;
    fl_type *t;
    uint32_t count, cap;
    fl_arena *arena;
} out_list;

static int out_push(out_list *l, plan_binding b, fl_type t)
{
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 16;
        plan_binding *nb = fl_arena_realloc(l->arena, l->b, sizeof *nb * l->cap, sizeof *nb * cap);
        fl_type *nt = fl_arena_realloc(l->arena, l->t, sizeof *nt * l->cap, sizeof *nt * cap);
        if (!nb || !nt) return FLOE_ENOMEM;
        l->b = nb;
        l->t = nt;
        l->cap = cap;
    }
    l->b[l->count] = b;
    l->t[l->count] = t;
    l->count++;
    return 0;
}

static int outputs_rec(const plan_node *n, out_list *l, fl_error *err)
{
    uint32_t ti = n->table_index;
    switch (n->kind) {
    case PLAN_GET:
        for (uint32_t i = 0; i < n->u.get.column_count; i++) {
            uint32_t c = n->u.get.column_ids[i];
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.get.source->column_types[c]));
        }
        return 0;
    case PLAN_TABLE_FUNCTION:
        for (uint32_t i = 0; i < n->u.table_fn.column_count; i++) {
            uint32_t c = n->u.table_fn.column_ids[i];
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.table_fn.fn->column_types[c]));
        }
        return 0;
    case PLAN_FILTER: case PLAN_ORDER: case PLAN_LIMIT: case PLAN_TOPN: case PLAN_DISTINCT:
    case PLAN_INSERT:
        return outputs_rec(n->children[0], l, err);
    case PLAN_CTE_MATERIALIZE:
        return outputs_rec(n->children[1], l, err);
    case PLAN_PROJECT:
        for (uint32_t i = 0; i < n->u.project.count; i++)
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.project.exprs[i]->type));
        return 0;
    case PLAN_AGGREGATE:
        for (uint32_t i = 0; i < n->u.aggregate.group_count; i++)
            FL_TRY(out_push(l, (plan_binding){n->u.aggregate.group_index, i},
                            n->u.aggregate.groups[i]->type));
        for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++)
            FL_TRY(out_push(l, (plan_binding){n->u.aggregate.agg_index, i},
                            n->u.aggregate.aggs[i]->type));
        for (uint32_t i = 0; i < n->u.aggregate.grouping_count; i++)
            FL_TRY(out_push(l, (plan_binding){n->u.aggregate.grouping_index, i},
                            n->u.aggregate.groupings[i]->type));
        return 0;
    case PLAN_WINDOW:
        FL_TRY(outputs_rec(n->children[0], l, err));
        for (uint32_t i = 0; i < n->u.window.count; i++)
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.window.exprs[i]->type));
        return 0;
    case PLAN_JOIN:
        if (n->u.join.type == PLAN_JOIN_RIGHT_SEMI || n->u.join.type == PLAN_JOIN_RIGHT_ANTI)
            return outputs_rec(n->children[1], l, err);
        FL_TRY(outputs_rec(n->children[0], l, err));
        if (n->u.join.type == PLAN_JOIN_SEMI || n->u.join.type == PLAN_JOIN_ANTI) return 0;
        if (n->u.join.type == PLAN_JOIN_MARK)
            return out_push(l, (plan_binding){n->u.join.mark_index, 0},
                            fl_type_make(FL_TYPE_BOOL));
        return outputs_rec(n->children[1], l, err);
    case PLAN_SETOP:
        for (uint32_t i = 0; i < n->u.setop.column_count; i++)
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.setop.types[i]));
        return 0;
    case PLAN_VALUES:
        for (uint32_t i = 0; i < n->u.values.column_count; i++)
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.values.types[i]));
        return 0;
    case PLAN_DUMMY_SCAN:
        return 0;
    case PLAN_CTE_SCAN:
        for (uint32_t i = 0; i < n->u.cte.column_count; i++)
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.cte.types[i]));
        return 0;
    case PLAN_EMPTY:
        for (uint32_t i = 0; i < n->u.empty.column_count; i++)
            FL_TRY(out_push(l, (plan_binding){ti, i}, n->u.empty.types[i]));
        return 0;
    }
    return fl_error_set(err, FLOE_EINTERNAL, "unknown plan node kind %d", (int)n->kind);
}

int plan_node_outputs(const plan_node *node, fl_arena *arena, plan_binding **bindings,
                      fl_type **types, uint32_t *count, fl_error *err)
{
    out_list l = {NULL, NULL, 0, 0, arena};
    int rc = outputs_rec(node, &l, err);
    if (rc == FLOE_ENOMEM) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc < 0) return rc;
    if (bindings) *bindings = l.b;
    if (types) *types = l.t;
    *count = l.count;
    return 0;
}

/* ---------------------------------------------------------------- copies, visits */

static plan_window_spec *spec_copy(fl_arena *arena, const plan_window_spec *s)
{
    plan_window_spec *c = fl_arena_memdup(arena, s, sizeof *s);
    if (!c) return NULL;
    if (s->partition_count) {
        c->partition = fl_arena_alloc(arena, sizeof *c->partition * s->partition_count);
        if (!c->partition) return NULL;
        for (uint32_t i = 0; i < s->partition_count; i++)
            if (!(c->partition[i] = plan_expr_copy(arena, s->partition[i]))) return NULL;
    }
    if (s->order_count) {
        c->order = fl_arena_memdup(arena, s->order, sizeof *c->order * s->order_count);
        if (!c->order) return NULL;
        for (uint32_t i = 0; i < s->order_count; i++)
            if (!(c->order[i].expr = plan_expr_copy(arena, s->order[i].expr))) return NULL;
    }
    if (s->start_offset && !(c->start_offset = plan_expr_copy(arena, s->start_offset)))
        return NULL;
    if (s->end_offset && !(c->end_offset = plan_expr_copy(arena, s->end_offset))) return NULL;
    return c;
}

int plan_expr_cow_arg(fl_arena *arena, const plan_expr *e, plan_expr **copy, uint32_t i,
                      plan_expr *a)
{
    if (*copy == NULL) {
        if (a == e->args[i]) return 0;
        plan_expr *c = fl_arena_memdup(arena, e, sizeof *e);
        if (c == NULL) return -1;
        c->args = fl_arena_memdup(arena, e->args, sizeof *e->args * e->arg_count);
        if (c->args == NULL) return -1;
        *copy = c;
    }
    (*copy)->args[i] = a;
    return 0;
}

plan_expr *plan_expr_copy(fl_arena *arena, const plan_expr *e)
{
    if (!e) return NULL;
    plan_expr *c = fl_arena_memdup(arena, e, sizeof *e);
    if (!c) return NULL;
    if (e->arg_count) {
        c->args = fl_arena_alloc(arena, sizeof *c->args * e->arg_count);
        if (!c->args) return NULL;
        for (uint32_t i = 0; i < e->arg_count; i++)
            if (!(c->args[i] = plan_expr_copy(arena, e->args[i]))) return NULL;
    }
    if (e->kind == PLAN_EX_AGG && e->u.agg.filter &&
        !(c->u.agg.filter = plan_expr_copy(arena, e->u.agg.filter)))
        return NULL;
    if (e->kind == PLAN_EX_WINDOW && e->u.window.spec &&
        !(c->u.window.spec = spec_copy(arena, e->u.window.spec)))
        return NULL;
    return c;
}

void plan_expr_visit_colrefs(const plan_expr *e, void (*fn)(void *ctx, const plan_expr *ref),
                             void *ctx)
{
    if (!e) return;
    if (e->kind == PLAN_EX_COLREF) {
        fn(ctx, e);
        return;
    }
    for (uint32_t i = 0; i < e->arg_count; i++) plan_expr_visit_colrefs(e->args[i], fn, ctx);
    if (e->kind == PLAN_EX_AGG) plan_expr_visit_colrefs(e->u.agg.filter, fn, ctx);
    if (e->kind == PLAN_EX_WINDOW && e->u.window.spec) {
        const plan_window_spec *s = e->u.window.spec;
        for (uint32_t i = 0; i < s->partition_count; i++)
            plan_expr_visit_colrefs(s->partition[i], fn, ctx);
        for (uint32_t i = 0; i < s->order_count; i++)
            plan_expr_visit_colrefs(s->order[i].expr, fn, ctx);
        plan_expr_visit_colrefs(s->start_offset, fn, ctx);
        plan_expr_visit_colrefs(s->end_offset, fn, ctx);
    }
}

typedef struct bound_ctx {
    const plan_binding *b;
    uint32_t count;
    bool ok;
} bound_ctx;

static void bound_visit(void *ctx, const plan_expr *ref)
{
    bound_ctx *c = ctx;
    if (!c->ok) return;
    for (uint32_t i = 0; i < c->count; i++)
        if (plan_binding_eq(c->b[i], ref->u.binding)) return;
    c->ok = false;
}

bool plan_expr_bound_by(const plan_expr *e, const plan_binding *bindings, uint32_t count)
{
    bound_ctx c = {bindings, count, true};
    plan_expr_visit_colrefs(e, bound_visit, &c);
    return c.ok;
}

static bool value_eq(const fl_value *a, const fl_value *b)
{
    if (!fl_type_eq(a->type, b->type) || a->is_null != b->is_null) return false;
    if (a->is_null) return true;
    if (a->type.id == FL_TYPE_BOOL) return a->v.b == b->v.b;
    if (a->type.id == FL_TYPE_NULL) return true;
    if (a->type.id == FL_TYPE_STRUCT || a->type.id == FL_TYPE_LIST || a->type.id == FL_TYPE_MAP)
        return false;
    return fl_value_cmp(a, b) == 0;
}

static bool spec_equal(const plan_window_spec *a, const plan_window_spec *b)
{
    if (a == b) return true;
    if (!a || !b) return false;
    if (a->partition_count != b->partition_count || a->order_count != b->order_count ||
        a->rows != b->rows || a->groups != b->groups || a->start != b->start ||
        a->end != b->end)
        return false;
    for (uint32_t i = 0; i < a->partition_count; i++)
        if (!plan_expr_equal(a->partition[i], b->partition[i])) return false;
    for (uint32_t i = 0; i < a->order_count; i++)
        if (a->order[i].desc != b->order[i].desc ||
            a->order[i].nulls_first != b->order[i].nulls_first ||
            !plan_expr_equal(a->order[i].expr, b->order[i].expr))
            return false;
    return plan_expr_equal(a->start_offset, b->start_offset) &&
           plan_expr_equal(a->end_offset, b->end_offset);
}

static bool same_name(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool plan_expr_equal(const plan_expr *a, const plan_expr *b)
{
    if (a == b) return true;
    if (!a || !b) return false;
    if (a->kind != b->kind || !fl_type_eq(a->type, b->type) || a->arg_count != b->arg_count)
        return false;
    switch (a->kind) {
    case PLAN_EX_CONST:
        return value_eq(&a->u.value, &b->u.value);
    case PLAN_EX_COLREF:
        return plan_binding_eq(a->u.binding, b->u.binding);
    case PLAN_EX_FUNC:
        if (a->u.fn != b->u.fn && (!a->u.fn || !b->u.fn || !same_name(a->name, b->name) ||
                                   !same_name(a->u.fn->name, b->u.fn->name)))
            return false;
        if (a->u.fn && a->u.fn->is_volatile) return false;
        break;
    case PLAN_EX_CAST:
        if (a->u.try_cast != b->u.try_cast) return false;
        break;
    case PLAN_EX_CASE:
        if (a->u.has_else != b->u.has_else) return false;
        break;
    case PLAN_EX_AGG:
        /* bound definitions are allocated per call: compare names (same name,
         * argument and result types = same overload) */
        if (!same_name(a->name, b->name) || a->u.agg.distinct != b->u.agg.distinct ||
            !plan_expr_equal(a->u.agg.filter, b->u.agg.filter))
            return false;
        break;
    case PLAN_EX_WINDOW:
        if (!same_name(a->name, b->name) || !a->u.window.fn != !b->u.window.fn ||
            a->u.window.distinct != b->u.window.distinct ||
            a->u.window.ignore_nulls != b->u.window.ignore_nulls ||
            !spec_equal(a->u.window.spec, b->u.window.spec))
            return false;
        break;
    case PLAN_EX_PARAM:
        return a->u.param_index == b->u.param_index;
    default:
        break;
    }
    for (uint32_t i = 0; i < a->arg_count; i++)
        if (!plan_expr_equal(a->args[i], b->args[i])) return false;
    return true;
}

/* ---------------------------------------------------------------- join conditions */

bool plan_expr_comparison(const plan_expr *e, plan_cmp *cmp)
{
    static const struct { const char *name; plan_cmp cmp; } ops[] = {
        {"=", PLAN_CMP_EQ}, {"<>", PLAN_CMP_NE}, {"<", PLAN_CMP_LT},
        {"<=", PLAN_CMP_LE}, {">", PLAN_CMP_GT}, {">=", PLAN_CMP_GE},
    };
    if (!e || e->kind != PLAN_EX_FUNC || e->arg_count != 2 || !e->name) return false;
    for (size_t i = 0; i < FL_ARRAY_SIZE(ops); i++)
        if (strcmp(e->name, ops[i].name) == 0) {
            if (cmp) *cmp = ops[i].cmp;
            return true;
        }
    return false;
}

static plan_cmp cmp_flip(plan_cmp c)
{
    switch (c) {
    case PLAN_CMP_LT: return PLAN_CMP_GT;
    case PLAN_CMP_LE: return PLAN_CMP_GE;
    case PLAN_CMP_GT: return PLAN_CMP_LT;
    case PLAN_CMP_GE: return PLAN_CMP_LE;
    default: return c;
    }
}

static bool has_colref(const plan_expr *e)
{
    if (!e) return false;
    if (e->kind == PLAN_EX_COLREF) return true;
    for (uint32_t i = 0; i < e->arg_count; i++)
        if (has_colref(e->args[i])) return true;
    return false;
}

int plan_join_add_conjunct(plan_node *join, plan_expr *e, fl_arena *arena, fl_error *err)
{
    plan_cmp cmp;
    if (plan_expr_comparison(e, &cmp) && has_colref(e->args[0]) && has_colref(e->args[1])) {
        plan_binding *lb = NULL, *rb = NULL;
        uint32_t ln = 0, rn = 0;
        FL_TRY(plan_node_outputs(join->children[0], arena, &lb, NULL, &ln, err));
        FL_TRY(plan_node_outputs(join->children[1], arena, &rb, NULL, &rn, err));
        plan_expr *l = NULL, *r = NULL;
        if (plan_expr_bound_by(e->args[0], lb, ln) && plan_expr_bound_by(e->args[1], rb, rn)) {
            l = e->args[0];
            r = e->args[1];
        } else if (plan_expr_bound_by(e->args[1], lb, ln) &&
                   plan_expr_bound_by(e->args[0], rb, rn)) {
            l = e->args[1];
            r = e->args[0];
            cmp = cmp_flip(cmp);
        }
        if (l && fl_type_eq(l->type, r->type)) {
            plan_join_cond *conds = fl_arena_realloc(
                arena, join->u.join.conds, sizeof *conds * join->u.join.cond_count,
                sizeof *conds * (join->u.join.cond_count + 1));
            if (!conds) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            conds[join->u.join.cond_count++] = (plan_join_cond){l, r, cmp};
            join->u.join.conds = conds;
            return 0;
        }
    }
    plan_expr *res = join->u.join.residual;
    if (!res) {
        join->u.join.residual = e;
        return 0;
    }
    uint32_t n = res->kind == PLAN_EX_AND ? res->arg_count : 1;
    plan_expr *and = plan_expr_new(arena, PLAN_EX_AND, fl_type_make(FL_TYPE_BOOL), n + 1);
    if (!and) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (res->kind == PLAN_EX_AND)
        memcpy(and->args, res->args, sizeof *and->args * n);
    else
        and->args[0] = res;
    and->args[n] = e;
    join->u.join.residual = and;
    return 0;
}

/* ---------------------------------------------------------------- node expressions */

static void visit_orders(plan_order *o, uint32_t n, void (*fn)(void *, plan_expr **), void *ctx)
{
    for (uint32_t i = 0; i < n; i++) fn(ctx, &o[i].expr);
}

void plan_node_visit_exprs(plan_node *n, void (*fn)(void *ctx, plan_expr **slot), void *ctx)
{
    switch (n->kind) {
    case PLAN_GET:
        for (uint32_t i = 0; i < n->u.get.filter_count; i++) fn(ctx, &n->u.get.filters[i]);
        break;
    case PLAN_TABLE_FUNCTION:
        for (uint32_t i = 0; i < n->u.table_fn.filter_count; i++) fn(ctx, &n->u.table_fn.filters[i]);
        break;
    case PLAN_FILTER:
        for (uint32_t i = 0; i < n->u.filter.count; i++) fn(ctx, &n->u.filter.exprs[i]);
        break;
    case PLAN_PROJECT:
        for (uint32_t i = 0; i < n->u.project.count; i++) fn(ctx, &n->u.project.exprs[i]);
        break;
    case PLAN_AGGREGATE:
        for (uint32_t i = 0; i < n->u.aggregate.group_count; i++) fn(ctx, &n->u.aggregate.groups[i]);
        for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++) fn(ctx, &n->u.aggregate.aggs[i]);
        for (uint32_t i = 0; i < n->u.aggregate.grouping_count; i++)
            fn(ctx, &n->u.aggregate.groupings[i]);
        break;
    case PLAN_WINDOW:
        for (uint32_t i = 0; i < n->u.window.count; i++) fn(ctx, &n->u.window.exprs[i]);
        break;
    case PLAN_JOIN:
        for (uint32_t i = 0; i < n->u.join.cond_count; i++) {
            fn(ctx, &n->u.join.conds[i].left);
            fn(ctx, &n->u.join.conds[i].right);
        }
        if (n->u.join.residual) fn(ctx, &n->u.join.residual);
        break;
    case PLAN_ORDER:
        visit_orders(n->u.order.orders, n->u.order.count, fn, ctx);
        break;
    case PLAN_TOPN:
        visit_orders(n->u.limit.orders, n->u.limit.order_count, fn, ctx);
        break;
    case PLAN_VALUES:
        for (uint32_t r = 0; r < n->u.values.row_count; r++)
            for (uint32_t c = 0; c < n->u.values.column_count; c++)
                fn(ctx, &n->u.values.rows[r][c]);
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- OR factoring */

static plan_expr *const *conjuncts_of(plan_expr *const *slot, uint32_t *n)
{
    if ((*slot)->kind == PLAN_EX_AND) {
        *n = (*slot)->arg_count;
        return (*slot)->args;
    }
    *n = 1;
    return slot;
}

static bool contains_equal(plan_expr *const *items, uint32_t n, const plan_expr *x)
{
    for (uint32_t i = 0; i < n; i++)
        if (plan_expr_equal(items[i], x)) return true;
    return false;
}

plan_expr *plan_expr_factor_or(fl_arena *arena, plan_expr *e)
{
    if (!e || e->kind != PLAN_EX_OR || e->arg_count < 2) return e;
    uint32_t n0;
    plan_expr *const *c0 = conjuncts_of(&e->args[0], &n0);
    plan_expr **common = fl_arena_alloc(arena, sizeof *common * (n0 + 1));
    if (!common) return NULL;
    uint32_t nc = 0;
    for (uint32_t i = 0; i < n0; i++) {
        bool everywhere = true;
        for (uint32_t d = 1; d < e->arg_count && everywhere; d++) {
            uint32_t nd;
            plan_expr *const *cd = conjuncts_of(&e->args[d], &nd);
            everywhere = contains_equal(cd, nd, c0[i]);
        }
        if (everywhere && !contains_equal(common, nc, c0[i])) common[nc++] = c0[i];
    }
    if (!nc) return e;
    fl_type bool_t = fl_type_make(FL_TYPE_BOOL);
    plan_expr *rest = plan_expr_new(arena, PLAN_EX_OR, bool_t, e->arg_count);
    if (!rest) return NULL;
    bool some_empty = false;
    for (uint32_t d = 0; d < e->arg_count; d++) {
        uint32_t nd;
        plan_expr *const *cd = conjuncts_of(&e->args[d], &nd);
        plan_expr **left = fl_arena_alloc(arena, sizeof *left * (nd + 1));
        if (!left) return NULL;
        uint32_t nl = 0;
        for (uint32_t i = 0; i < nd; i++)
            if (!contains_equal(common, nc, cd[i])) left[nl++] = cd[i];
        if (nl == 0) {
            some_empty = true;   /* that disjunct is just the common part: OR is implied */
            break;
        }
        if (nl == 1) {
            rest->args[d] = left[0];
        } else {
            plan_expr *a = plan_expr_new(arena, PLAN_EX_AND, bool_t, 0);
            if (!a) return NULL;
            a->args = left;
            a->arg_count = nl;
            rest->args[d] = a;
        }
    }
    uint32_t total = nc + (some_empty ? 0 : 1);
    if (total == 1) return common[0];
    plan_expr *and = plan_expr_new(arena, PLAN_EX_AND, bool_t, total);
    if (!and) return NULL;
    memcpy(and->args, common, sizeof *common * nc);
    if (!some_empty) and->args[nc] = rest;
    and->loc = e->loc;
    return and;
}
