/*
 * opt_projection.c: projection pushdown (column pruning). Every column
 * reference in the plan is collected; a PLAN_GET / PLAN_TABLE_FUNCTION then
 * reads only the columns referenced (its own pushed filters included), and
 * a PLAN_PROJECT drops expressions nobody reads. Outputs whose position
 * matters stay whole: the statement's result, both sides of a set
 * operation, the input of INSERT and of DISTINCT, a CTE definition unless
 * it ends in a PROJECT (then it and all its CTE_SCAN readers keep the
 * union of the columns the readers use: TPC-DS 95 materializes 1 of 3). A
 * scan or projection keeps at least one column so that it still carries
 * its row count.
 *
 * Removing columns renumbers the node's bindings ({table_index, k} follows
 * column_ids order), so references to a pruned table are rewritten
 * everywhere (copy-on-write: shared expression nodes are never modified).
 * Projections are pruned first, repeatedly, since dropping an expression
 * can free the columns it read; scans last.
 */
#include <string.h>

#include "opt_internal.h"

typedef struct prune_ctx {
    fl_arena *arena;
    fl_error *err;
    uint32_t ntables;
    plan_node **producer;     /* GET, TABLE_FUNCTION or PROJECT owning table index t */
    uint32_t *width;
    uint8_t **used;
} prune_ctx;

static int oom(prune_ctx *c) { return fl_error_set(c->err, FLOE_ENOMEM, "out of memory"); }

static uint32_t node_width(const plan_node *n)
{
    switch (n->kind) {
    case PLAN_GET: return n->u.get.column_count;
    case PLAN_TABLE_FUNCTION: return n->u.table_fn.column_count;
    case PLAN_PROJECT: return n->u.project.count;
    case PLAN_CTE_SCAN: return n->u.cte.column_count;
    default: return 0;
    }
}

static void register_rec(prune_ctx *c, plan_node *n)
{
    if ((n->kind == PLAN_GET || n->kind == PLAN_TABLE_FUNCTION || n->kind == PLAN_PROJECT ||
         n->kind == PLAN_CTE_SCAN) &&
        n->table_index < c->ntables) {
        c->producer[n->table_index] = n;
        c->width[n->table_index] = node_width(n);
    }
    for (uint32_t i = 0; i < n->child_count; i++) register_rec(c, n->children[i]);
}

static void mark_binding(prune_ctx *c, plan_binding b)
{
    if (b.table < c->ntables && c->used[b.table] && b.column < c->width[b.table])
        c->used[b.table][b.column] = 1;
}

static void mark_ref(void *ctx, const plan_expr *ref) { mark_binding(ctx, ref->u.binding); }

static void mark_slot(void *ctx, plan_expr **slot)
{
    if (*slot) plan_expr_visit_colrefs(*slot, mark_ref, ctx);
}

static int mark_outputs(prune_ctx *c, const plan_node *n)
{
    plan_binding *b;
    uint32_t count;
    FL_TRY(plan_node_outputs(n, c->arena, &b, NULL, &count, c->err));
    for (uint32_t i = 0; i < count; i++) mark_binding(c, b[i]);
    return 0;
}

/* A CTE whose definition ends in a PROJECT keeps only the columns its
 * readers use: that PROJECT and every CTE_SCAN of it are compacted alike. */
static bool cte_prunable(const prune_ctx *c, const plan_node *n)
{
    const plan_node *d = n->children[0];
    return d->kind == PLAN_PROJECT && d->table_index < c->ntables && c->producer[d->table_index] == d &&
           c->used[d->table_index] && c->width[d->table_index] > 0;
}

static void cte_scans_mark(prune_ctx *c, uint32_t cte, uint8_t *uni, uint32_t w, bool apply,
                           bool *ok)
{
    for (uint32_t t = 0; t < c->ntables; t++) {
        const plan_node *s = c->producer[t];
        if (!s || s->kind != PLAN_CTE_SCAN || s->u.cte.cte_index != cte || !c->used[t]) continue;
        if (c->width[t] != w) {
            *ok = false;
            continue;
        }
        for (uint32_t k = 0; k < w; k++) {
            if (apply)
                c->used[t][k] = uni[k];
            else
                uni[k] |= c->used[t][k];
        }
    }
}

/* After mark_rec: each prunable CTE's definition PROJECT and readers use the
 * union of the columns its readers read; other CTEs' readers keep all. */
static int mark_ctes(prune_ctx *c, plan_node *n)
{
    if (n->kind == PLAN_CTE_MATERIALIZE) {
        uint32_t cte = n->u.cte.cte_index;
        if (cte_prunable(c, n)) {
            uint32_t dt = n->children[0]->table_index, w = c->width[dt];
            uint8_t *uni = fl_arena_calloc(c->arena, w + 1);
            if (!uni) return oom(c);
            bool ok = true, any = false;
            cte_scans_mark(c, cte, uni, w, false, &ok);
            if (!ok) memset(uni, 1, w);
            for (uint32_t k = 0; k < w; k++) any |= uni[k] != 0;
            if (!any) uni[0] = 1;   /* the rows must still be counted */
            cte_scans_mark(c, cte, uni, w, true, &ok);
            memcpy(c->used[dt], uni, w);
        } else {
            for (uint32_t t = 0; t < c->ntables; t++) {
                const plan_node *s = c->producer[t];
                if (s && s->kind == PLAN_CTE_SCAN && s->u.cte.cte_index == cte && c->used[t])
                    memset(c->used[t], 1, c->width[t]);
            }
        }
    }
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(mark_ctes(c, n->children[i]));
    return 0;
}

static int mark_rec(prune_ctx *c, plan_node *n)
{
    plan_node_visit_exprs(n, mark_slot, c);
    switch (n->kind) {
    case PLAN_SETOP:
        FL_TRY(mark_outputs(c, n->children[0]));
        FL_TRY(mark_outputs(c, n->children[1]));
        break;
    case PLAN_CTE_MATERIALIZE:
        if (cte_prunable(c, n)) break;   /* marked by mark_ctes from its readers */
        FL_TRY(mark_outputs(c, n->children[0]));
        break;
    case PLAN_INSERT:
    case PLAN_DISTINCT:
        FL_TRY(mark_outputs(c, n->children[0]));
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(mark_rec(c, n->children[i]));
    return 0;
}

static int mark_all(prune_ctx *c, plan_node *root)
{
    for (uint32_t t = 0; t < c->ntables; t++) {
        if (!c->producer[t]) continue;
        c->width[t] = node_width(c->producer[t]);
        c->used[t] = fl_arena_calloc(c->arena, c->width[t] + 1);
        if (!c->used[t]) return oom(c);
    }
    FL_TRY(mark_outputs(c, root));
    FL_TRY(mark_rec(c, root));
    return mark_ctes(c, root);
}

typedef struct remap_ctx {
    fl_arena *arena;
    uint32_t table;
    const plan_binding *to;
    uint32_t count;
    bool oom;
} remap_ctx;

static void remap_slot(void *ctx, plan_expr **slot)
{
    remap_ctx *r = ctx;
    if (!*slot || r->oom) return;
    plan_expr *e = opt_rebind(r->arena, *slot, r->table, r->to, r->count);
    if (!e)
        r->oom = true;
    else
        *slot = e;
}

static void remap_rec(remap_ctx *r, plan_node *n)
{
    plan_node_visit_exprs(n, remap_slot, r);
    for (uint32_t i = 0; i < n->child_count; i++) remap_rec(r, n->children[i]);
}

/* Keeps the used columns of table t (at least one); old -> new bindings. */
static int compact(prune_ctx *c, plan_node *root, uint32_t t, bool *changed)
{
    plan_node *n = c->producer[t];
    uint32_t w = c->width[t], kept = 0;
    for (uint32_t k = 0; k < w; k++) kept += c->used[t][k];
    if (kept == w) return 0;
    if (kept == 0) {
        c->used[t][0] = 1;   /* keep one column: the node must still produce its rows */
        if (w > 1 && n->kind == PLAN_GET) {   /* prefer the narrowest column */
            size_t best = 0;
            uint32_t bk = 0;
            for (uint32_t k = 0; k < w; k++) {
                fl_type ty = n->u.get.source->column_types[n->u.get.column_ids[k]];
                size_t wd = fl_type_is_varlen(ty) ? 16 : fl_type_width(ty);
                if (k == 0 || wd < best) {
                    best = wd;
                    bk = k;
                }
            }
            c->used[t][0] = 0;
            c->used[t][bk] = 1;
        }
        kept = 1;
        if (kept == w) return 0;
    }
    plan_binding *to = fl_arena_alloc(c->arena, sizeof *to * (w + 1));
    fl_type *types = n->kind == PLAN_CTE_SCAN ? fl_arena_alloc(c->arena, sizeof *types * (w + 1)) : NULL;
    if (!to || (n->kind == PLAN_CTE_SCAN && !types)) return oom(c);
    uint32_t next = 0;
    for (uint32_t k = 0; k < w; k++) {
        to[k] = (plan_binding){t, c->used[t][k] ? next : UINT32_MAX};
        if (!c->used[t][k]) continue;
        switch (n->kind) {
        case PLAN_GET: n->u.get.column_ids[next] = n->u.get.column_ids[k]; break;
        case PLAN_TABLE_FUNCTION: n->u.table_fn.column_ids[next] = n->u.table_fn.column_ids[k]; break;
        case PLAN_CTE_SCAN: types[next] = n->u.cte.types[k]; break;
        default: n->u.project.exprs[next] = n->u.project.exprs[k]; break;
        }
        next++;
    }
    switch (n->kind) {
    case PLAN_GET: n->u.get.column_count = next; break;
    case PLAN_TABLE_FUNCTION: n->u.table_fn.column_count = next; break;
    case PLAN_CTE_SCAN:   /* readers may share the binder's types array: a copy */
        n->u.cte.types = types;
        n->u.cte.column_count = next;
        break;
    default: n->u.project.count = next; break;
    }
    c->width[t] = next;
    remap_ctx r = {c->arena, t, to, w, false};
    remap_rec(&r, root);
    if (r.oom) return oom(c);
    *changed = true;
    return 0;
}

int opt_projection(plan_node **root, uint32_t table_count, fl_arena *arena, fl_error *err)
{
    prune_ctx c = {arena, err, table_count, NULL, NULL, NULL};
    c.producer = fl_arena_calloc(arena, sizeof *c.producer * (table_count + 1));
    c.width = fl_arena_calloc(arena, sizeof *c.width * (table_count + 1));
    c.used = fl_arena_calloc(arena, sizeof *c.used * (table_count + 1));
    if (!c.producer || !c.width || !c.used) return oom(&c);
    register_rec(&c, *root);
    for (int round = 0; round < 8; round++) {
        bool changed = false;
        FL_TRY(mark_all(&c, *root));
        for (uint32_t t = 0; t < table_count; t++)
            if (c.producer[t] && (c.producer[t]->kind == PLAN_PROJECT ||
                                  c.producer[t]->kind == PLAN_CTE_SCAN))
                FL_TRY(compact(&c, *root, t, &changed));
        if (!changed) break;
    }
    FL_TRY(mark_all(&c, *root));
    bool changed = false;
    for (uint32_t t = 0; t < table_count; t++)
        if (c.producer[t] && c.producer[t]->kind != PLAN_PROJECT &&
            c.producer[t]->kind != PLAN_CTE_SCAN)
            FL_TRY(compact(&c, *root, t, &changed));
    return 0;
}
