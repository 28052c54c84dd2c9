/*
 * opt_cse.c: common subexpressions of an aggregate's arguments (and of a
 * projection's expressions) computed once. TPC-DS 62 sums five CASE
 * expressions that repeat `ws_ship_date_sk - ws_sold_date_sk` nine times;
 * here the difference becomes one column of a PLAN_PROJECT inserted below
 * the aggregate, which passes the child's columns through, and the nine
 * occurrences become references to that column.
 *
 * A subexpression is hoisted when it occurs at least twice (structural
 * equality, plan_expr_equal) across the node's aggregate arguments and
 * FILTER conditions (PLAN_AGGREGATE) or expressions (PLAN_PROJECT), is
 * not trivial (a column reference or constant) and reads a column, and
 * contains no volatile call, aggregate, window function, GROUPING() or
 * parameter. Since the projection computes it on every row, at least one
 * occurrence must already be evaluated on every row
 * (src/exec/ex_expr_eval.c), or the rewrite could raise an error the
 * original never raises (`CASE WHEN b <> 0 THEN a / b END` twice keeps
 * both divisions where they are). Unconditional positions, from the top
 * of an aggregate argument, a FILTER condition (hash_agg.c evaluates
 * arguments and filters on all rows, the filter only selects which rows
 * update the state) or a projected expression, downwards: the first WHEN
 * of a CASE, the first argument of AND / OR / COALESCE, the argument of
 * CAST / NOT / IS [NOT] NULL, every item of an IN list, and the arguments
 * of a scalar function call, except that a call without special NULL
 * handling stops at the first argument that is a constant NULL vector, so
 * argument i > 0 counts only when the arguments before it are non-NULL
 * constants (or the function handles NULLs itself).
 *
 * The largest repeated expression is taken first and replaced everywhere
 * (conditional occurrences too: the value is the same), then the node and
 * the expressions hoisted so far (the projection evaluates them on every
 * row) are searched again, so a repeat inside a hoisted expression is
 * shared too: `(a + e) * 2` twice and `a + e` once more give PROJECT
 * [a + e] below PROJECT [cse2, cse2 * 2]; a hoisted expression that
 * references another goes one projection above it, and each projection
 * passes everything below it through. The
 * node's expressions, groups and GROUPING() arguments included, are
 * rebound to the projection's columns (GROUPING() arguments still equal
 * their groups); the node's own outputs do not change. DISTINCT
 * aggregates are unaffected (their arguments are computed the same way
 * before de-duplication). Runs before projection pushdown, which drops
 * the pass-through columns nobody reads.
 */
#include <stdio.h>
#include <string.h>

#include "../../func/func.h"
#include "opt_internal.h"

/* Bounds on the work per node: candidate occurrences collected and
 * expressions hoisted. */
#define CSE_MAX_OCCURRENCES 2048
#define CSE_MAX_HOISTED 64

typedef struct cse_occ {
    const plan_expr *e;
    uint32_t size;
    bool uncond;
} cse_occ;

typedef struct cse_ctx {
    fl_arena *arena;
    fl_error *err;
    uint32_t *next_index;
    cse_occ *occ;
    uint32_t occ_count;
    bool overflow;
    uint32_t named;           /* hoisted so far in the statement: cse1, cse2, ... */
} cse_ctx;

static int oom(cse_ctx *c) { return fl_error_set(c->err, FLOE_ENOMEM, "out of memory"); }

/* Node count of e, or 0 when e may not move: it contains a volatile call,
 * an aggregate, a window function, GROUPING() or a parameter. *reads is set
 * when e contains a column reference. */
static uint32_t movable_size(const plan_expr *e, bool *reads)
{
    if (!e) return 1;
    switch (e->kind) {
    case PLAN_EX_AGG: case PLAN_EX_WINDOW: case PLAN_EX_GROUPING: case PLAN_EX_PARAM:
        return 0;
    case PLAN_EX_COLREF:
        *reads = true;
        return 1;
    case PLAN_EX_FUNC:
        if (!e->u.fn || e->u.fn->is_volatile) return 0;
        break;
    default:
        break;
    }
    uint32_t size = 1;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        uint32_t s = movable_size(e->args[i], reads);
        if (!s) return 0;
        size += s;
    }
    return size;
}

static bool const_not_null(const plan_expr *e)
{
    return e && e->kind == PLAN_EX_CONST && !e->u.value.is_null;
}

/* Whether argument i of e is evaluated on every row e is evaluated on. */
static bool arg_uncond(const plan_expr *e, uint32_t i)
{
    switch (e->kind) {
    case PLAN_EX_AND: case PLAN_EX_OR: case PLAN_EX_CASE: case PLAN_EX_COALESCE:
        return i == 0;
    case PLAN_EX_CAST: case PLAN_EX_NOT: case PLAN_EX_IS_NULL: case PLAN_EX_IS_NOT_NULL:
    case PLAN_EX_IN_LIST:
        return true;
    case PLAN_EX_FUNC:
        if (e->u.fn && e->u.fn->special_nulls) return true;
        for (uint32_t j = 0; j < i; j++)
            if (!const_not_null(e->args[j])) return false;
        return true;
    default:
        return false;
    }
}

/* Collects the candidate subexpressions of e (pre-order). */
static void collect(cse_ctx *c, const plan_expr *e, bool uncond)
{
    if (!e || c->overflow) return;
    switch (e->kind) {
    case PLAN_EX_CONST: case PLAN_EX_COLREF: case PLAN_EX_AGG: case PLAN_EX_WINDOW:
    case PLAN_EX_GROUPING: case PLAN_EX_PARAM:
        return;
    default:
        break;
    }
    bool reads = false;
    uint32_t size = movable_size(e, &reads);
    if (size && reads) {
        if (c->occ_count == CSE_MAX_OCCURRENCES) {
            c->overflow = true;
            return;
        }
        c->occ[c->occ_count++] = (cse_occ){e, size, uncond};
    }
    for (uint32_t i = 0; i < e->arg_count; i++)
        collect(c, e->args[i], uncond && arg_uncond(e, i));
}

/* The largest subexpression occurring at least twice with one occurrence
 * evaluated on every row, or NULL. */
static const plan_expr *best_repeat(const cse_ctx *c)
{
    const plan_expr *best = NULL;
    uint32_t best_size = 0;
    for (uint32_t i = 0; i < c->occ_count; i++) {
        const cse_occ *o = &c->occ[i];
        if (o->size <= best_size) continue;
        uint32_t n = 0;
        bool uncond = false;
        for (uint32_t j = 0; j < c->occ_count; j++) {
            const cse_occ *p = &c->occ[j];
            if (p->size != o->size || !plan_expr_equal(o->e, p->e)) continue;
            n++;
            uncond = uncond || p->uncond;
        }
        if (n >= 2 && uncond) {
            best = o->e;
            best_size = o->size;
        }
    }
    return best;
}

/* e with every occurrence of target replaced by ref (copy-on-write). */
static plan_expr *replace(cse_ctx *c, plan_expr *e, const plan_expr *target, plan_expr *ref)
{
    if (!e) return NULL;
    if (plan_expr_equal(e, target)) return ref;
    if (e->kind == PLAN_EX_CONST || e->kind == PLAN_EX_COLREF) return e;
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = replace(c, e->args[i], target, ref);
        if (!a || plan_expr_cow_arg(c->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

/* Bindings -> bindings: from[i] becomes to[i]. */
typedef struct cse_map {
    const plan_binding *from;
    const plan_binding *to;
    uint32_t count;
} cse_map;

static plan_expr *rebind(cse_ctx *c, plan_expr *e, const cse_map *m)
{
    if (!e) return NULL;
    if (e->kind == PLAN_EX_COLREF) {
        for (uint32_t i = 0; i < m->count; i++)
            if (plan_binding_eq(e->u.binding, m->from[i])) {
                plan_expr *r = fl_arena_memdup(c->arena, e, sizeof *e);
                if (r) r->u.binding = m->to[i];
                return r;
            }
        return e;
    }
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = rebind(c, e->args[i], m);
        if (!a || plan_expr_cow_arg(c->arena, e, &copy, i, a) < 0) return NULL;
    }
    plan_expr *res = copy ? copy : e;
    if (e->kind == PLAN_EX_AGG && e->u.agg.filter) {
        plan_expr *f = rebind(c, e->u.agg.filter, m);
        if (!f) return NULL;
        if (f != e->u.agg.filter) {
            if (res == e && !(res = fl_arena_memdup(c->arena, e, sizeof *e))) return NULL;
            res->u.agg.filter = f;
        }
    }
    return res;
}

/* Remembers the names of column references to m->from[], for the
 * pass-through columns' EXPLAIN text. */
static void note_names(const plan_expr *e, const cse_map *m, const char **names)
{
    if (!e) return;
    if (e->kind == PLAN_EX_COLREF) {
        for (uint32_t i = 0; i < m->count; i++)
            if (plan_binding_eq(e->u.binding, m->from[i]) && !names[i]) names[i] = e->name;
        return;
    }
    for (uint32_t i = 0; i < e->arg_count; i++) note_names(e->args[i], m, names);
    if (e->kind == PLAN_EX_AGG) note_names(e->u.agg.filter, m, names);
}

/* The node's rewritable expressions ("slots"): an aggregate's arguments and
 * FILTER conditions, or a projection's expressions; all unconditional. */
typedef struct cse_slots {
    plan_expr **items;
    uint32_t count;
} cse_slots;

static int slots_of(cse_ctx *c, const plan_node *n, cse_slots *s)
{
    uint32_t total = 0;
    if (n->kind == PLAN_PROJECT) {
        total = n->u.project.count;
    } else {
        for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++) {
            const plan_expr *a = n->u.aggregate.aggs[i];
            total += a->arg_count + (a->u.agg.filter ? 1 : 0);
        }
    }
    s->count = 0;
    s->items = fl_arena_alloc(c->arena, sizeof *s->items * (total + 1));
    if (!s->items) return oom(c);
    if (n->kind == PLAN_PROJECT) {
        for (uint32_t i = 0; i < n->u.project.count; i++) s->items[s->count++] = n->u.project.exprs[i];
        return 0;
    }
    for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++) {
        const plan_expr *a = n->u.aggregate.aggs[i];
        for (uint32_t j = 0; j < a->arg_count; j++) s->items[s->count++] = a->args[j];
        if (a->u.agg.filter) s->items[s->count++] = a->u.agg.filter;
    }
    return 0;
}

/* Puts the rewritten slots back into the node's (new) expression arrays. */
static int slots_store(cse_ctx *c, plan_node *n, const cse_slots *s)
{
    if (n->kind == PLAN_PROJECT) {
        n->u.project.exprs = s->items;
        return 0;
    }
    uint32_t na = n->u.aggregate.agg_count, k = 0;
    plan_expr **aggs = fl_arena_alloc(c->arena, sizeof *aggs * (na + 1));
    if (!aggs) return oom(c);
    for (uint32_t i = 0; i < na; i++) {
        const plan_expr *a = n->u.aggregate.aggs[i];
        plan_expr *d = fl_arena_memdup(c->arena, a, sizeof *a);
        plan_expr **args = fl_arena_alloc(c->arena, sizeof *args * (a->arg_count + 1));
        if (!d || !args) return oom(c);
        for (uint32_t j = 0; j < a->arg_count; j++) args[j] = s->items[k++];
        d->args = args;
        if (a->u.agg.filter) d->u.agg.filter = s->items[k++];
        aggs[i] = d;
    }
    n->u.aggregate.aggs = aggs;
    return 0;
}

/* Rebinds every expression of n (slots already stored) to the projection. */
static int rebind_node(cse_ctx *c, plan_node *n, const cse_map *m)
{
    plan_expr ***lists[3];
    uint32_t counts[3], nl = 0;
    if (n->kind == PLAN_PROJECT) {
        lists[nl] = &n->u.project.exprs;
        counts[nl++] = n->u.project.count;
    } else {
        lists[nl] = &n->u.aggregate.groups;
        counts[nl++] = n->u.aggregate.group_count;
        lists[nl] = &n->u.aggregate.aggs;
        counts[nl++] = n->u.aggregate.agg_count;
        lists[nl] = &n->u.aggregate.groupings;
        counts[nl++] = n->u.aggregate.grouping_count;
    }
    for (uint32_t l = 0; l < nl; l++) {
        if (!counts[l]) continue;
        plan_expr **out = fl_arena_alloc(c->arena, sizeof *out * counts[l]);
        if (!out) return oom(c);
        for (uint32_t i = 0; i < counts[l]; i++)
            if (!(out[i] = rebind(c, (*lists[l])[i], m))) return oom(c);
        *lists[l] = out;
    }
    return 0;
}

/* Whether e references the hoisted expression k ({vt, k}); *lvl is raised
 * above the level of every hoisted expression e references. */
static void ref_levels(const plan_expr *e, uint32_t vt, const uint32_t *level, uint32_t *lvl)
{
    if (!e) return;
    if (e->kind == PLAN_EX_COLREF) {
        if (e->u.binding.table == vt && level[e->u.binding.column] + 1 > *lvl)
            *lvl = level[e->u.binding.column] + 1;
        return;
    }
    for (uint32_t i = 0; i < e->arg_count; i++) ref_levels(e->args[i], vt, level, lvl);
}

/* Inserts the projections below n. hoisted[k] is referenced as {vt, k}
 * by n's slots and by other hoisted expressions; an expression that
 * references others goes one projection above them (its level). Each
 * projection passes everything below it through; n is rebound last. */
static int insert_projects(cse_ctx *c, plan_node *n, uint32_t vt, plan_expr **hoisted,
                           plan_expr *const *refs, uint32_t nh)
{
    plan_binding *b;
    fl_type *types;
    uint32_t nb;
    FL_TRY(plan_node_outputs(n->children[0], c->arena, &b, &types, &nb, c->err));
    uint32_t cap = nb + nh, levels = 0, level[CSE_MAX_HOISTED];
    plan_binding *from = fl_arena_alloc(c->arena, sizeof *from * cap);
    plan_binding *to = fl_arena_alloc(c->arena, sizeof *to * cap);
    fl_type *ty = fl_arena_alloc(c->arena, sizeof *ty * cap);
    const char **names = fl_arena_calloc(c->arena, sizeof *names * cap);
    if (!from || !to || !ty || !names) return oom(c);
    /* levels: references point at earlier-settled expressions, so nh rounds suffice */
    memset(level, 0, sizeof level);
    for (uint32_t round = 0; round < nh; round++)
        for (uint32_t k = 0; k < nh; k++) {
            uint32_t l = 0;
            ref_levels(hoisted[k], vt, level, &l);
            level[k] = l;
        }
    for (uint32_t k = 0; k < nh; k++)
        if (level[k] + 1 > levels) levels = level[k] + 1;
    uint32_t avail = nb;
    for (uint32_t i = 0; i < nb; i++) from[i] = to[i] = b[i], ty[i] = types[i];
    cse_map all = {from, to, nb};
    if (n->kind == PLAN_PROJECT) {
        for (uint32_t i = 0; i < n->u.project.count; i++) note_names(n->u.project.exprs[i], &all, names);
    } else {
        for (uint32_t i = 0; i < n->u.aggregate.group_count; i++)
            note_names(n->u.aggregate.groups[i], &all, names);
        for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++)
            note_names(n->u.aggregate.aggs[i], &all, names);
    }
    for (uint32_t k = 0; k < nh; k++) note_names(hoisted[k], &all, names);
    plan_node *child = n->children[0];
    for (uint32_t l = 0; l < levels; l++) {
        uint32_t here = 0;
        for (uint32_t k = 0; k < nh; k++) here += level[k] == l;
        uint32_t table = (*c->next_index)++;
        plan_node *p = plan_node_new(c->arena, PLAN_PROJECT, 1);
        plan_expr **exprs = fl_arena_alloc(c->arena, sizeof *exprs * (avail + here));
        if (!p || !exprs) return oom(c);
        cse_map below = {from, to, avail};
        uint32_t w = 0;
        for (uint32_t i = 0; i < avail; i++)
            if (!(exprs[w++] = plan_expr_colref(c->arena, to[i], ty[i], names[i]))) return oom(c);
        for (uint32_t k = 0; k < nh; k++) {
            if (level[k] != l) continue;
            if (!(exprs[w++] = rebind(c, hoisted[k], &below))) return oom(c);
        }
        for (uint32_t i = 0; i < avail; i++) to[i] = (plan_binding){table, i};
        for (uint32_t k = 0, pos = avail; k < nh; k++) {
            if (level[k] != l) continue;
            from[avail] = (plan_binding){vt, k};
            to[avail] = (plan_binding){table, pos++};
            ty[avail] = hoisted[k]->type;
            names[avail++] = refs[k]->name;
        }
        p->table_index = table;
        p->children[0] = child;
        p->u.project.exprs = exprs;
        p->u.project.count = w;
        p->estimated_rows = child->estimated_rows;
        child = p;
    }
    cse_map final = {from, to, avail};
    FL_TRY(rebind_node(c, n, &final));
    n->children[0] = child;
    return 0;
}

/* e with target replaced below its top (a hoisted expression keeps its own
 * place; only what it contains is shared). */
static plan_expr *replace_inside(cse_ctx *c, plan_expr *e, const plan_expr *target, plan_expr *ref)
{
    plan_expr *copy = NULL;
    for (uint32_t i = 0; i < e->arg_count; i++) {
        plan_expr *a = replace(c, e->args[i], target, ref);
        if (!a || plan_expr_cow_arg(c->arena, e, &copy, i, a) < 0) return NULL;
    }
    return copy ? copy : e;
}

static int cse_node(cse_ctx *c, plan_node *n)
{
    if (n->child_count != 1) return 0;
    cse_slots s;
    FL_TRY(slots_of(c, n, &s));
    if (s.count == 0) return 0;
    plan_expr *hoisted[CSE_MAX_HOISTED], *refs[CSE_MAX_HOISTED];
    uint32_t nh = 0, vt = 0;
    while (nh < CSE_MAX_HOISTED) {
        c->occ_count = 0;
        c->overflow = false;
        for (uint32_t i = 0; i < s.count; i++) collect(c, s.items[i], true);
        /* the projections evaluate hoisted expressions on every row */
        for (uint32_t k = 0; k < nh; k++) collect(c, hoisted[k], true);
        if (c->overflow) return 0;   /* too large to search: left as it is */
        const plan_expr *t = best_repeat(c);
        if (!t) break;
        if (nh == 0) vt = (*c->next_index)++;   /* {vt, k}: hoisted[k] until rebound */
        char name[24];
        snprintf(name, sizeof name, "cse%u", ++c->named);
        plan_expr *ref = plan_expr_colref(c->arena, (plan_binding){vt, nh}, t->type,
                                          fl_arena_strdup(c->arena, name));
        if (!ref || !ref->name) return oom(c);
        plan_expr **items = fl_arena_alloc(c->arena, sizeof *items * s.count);
        if (!items) return oom(c);
        for (uint32_t i = 0; i < s.count; i++)
            if (!(items[i] = replace(c, s.items[i], t, ref))) return oom(c);
        for (uint32_t k = 0; k < nh; k++)
            if (!(hoisted[k] = replace_inside(c, hoisted[k], t, ref))) return oom(c);
        s.items = items;
        refs[nh] = ref;
        hoisted[nh++] = (plan_expr *)t;
    }
    if (nh == 0) return 0;
    FL_TRY(slots_store(c, n, &s));
    return insert_projects(c, n, vt, hoisted, refs, nh);
}

static int cse_rec(cse_ctx *c, plan_node *n, int depth)
{
    if (depth > 2000)
        return fl_error_set_sqlstate(c->err, FLOE_ELIMIT, "54001", "query plan is too deep");
    if (n->kind == PLAN_AGGREGATE || n->kind == PLAN_PROJECT) FL_TRY(cse_node(c, n));
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(cse_rec(c, n->children[i], depth + 1));
    return 0;
}

int opt_cse(plan_node **root, uint32_t *next_table_index, fl_arena *arena, fl_error *err)
{
    cse_ctx c = {.arena = arena, .err = err, .next_index = next_table_index};
    c.occ = fl_arena_alloc(arena, sizeof *c.occ * CSE_MAX_OCCURRENCES);
    if (!c.occ) return oom(&c);
    return cse_rec(&c, *root, 0);
}
