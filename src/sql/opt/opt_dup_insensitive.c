/*
 * opt_dup_insensitive.c: rewrites where duplicate rows cannot change the
 * result. A subtree is "duplicate-insensitive" when its consumer only asks
 * which distinct rows it produces: the input of DISTINCT, of an aggregate
 * that only groups (or computes min/max/DISTINCT aggregates), of UNION /
 * INTERSECT / EXCEPT (distinct), the build side of SEMI/ANTI/MARK joins,
 * and, passing the property down, PROJECT/FILTER (without volatile calls),
 * ORDER, UNION ALL, and both inputs of inner and outer joins (their output
 * set depends only on the input sets). Two rewrites follow:
 *
 *   1. INNER -> SEMI. A duplicate-insensitive inner equi-join from whose
 *      one side nothing above reads a column only tells which rows of the
 *      other side have a match: it becomes SEMI(other side, that side), so
 *      a key matched by many rows yields one row instead of many
 *      (`SELECT DISTINCT a.x FROM a JOIN b ON a.k = b.k`, `x IN (SELECT
 *      r.x FROM r, cte WHERE r.k = cte.k)`). NULL semantics are the same:
 *      both joins keep a pair only when every condition is true.
 *   2. DISTINCT into a materialized CTE. When every reader of a CTE is
 *      duplicate-insensitive and its definition may repeat rows (a join, a
 *      CTE reader, UNION ALL), the definition is deduplicated once, where
 *      it is computed, instead of every reader paying for the repeats; the
 *      definition is then itself duplicate-insensitive, so rewrite 1 applies
 *      inside it (TPC-DS 95: the 6.6M-row self-join ws_wh becomes a semi
 *      join of 719k rows deduplicated to 60k order numbers). opt_semi.c
 *      then adds no DISTINCT over such a CTE's readers.
 *
 * Runs after projection pruning (the columns read above a join are final)
 * and before opt_semi.c. Outputs whose positions matter (the statement's
 * result, set operations, DISTINCT, INSERT, CTE definitions) count as read
 * in full, as in opt_projection.c.
 */
#include <string.h>

#include "../../func/func.h"
#include "opt_internal.h"

/* widest CTE definition (columns) deduplicated by rewrite 2 */
#define CTE_DISTINCT_MAX_COLS 4

typedef struct dup_ctx {
    fl_arena *arena;
    fl_error *err;
    plan_node *root;
    uint32_t ntables;
    uint8_t *reader_ok;      /* per CTE_SCAN table index: 1 when duplicate-insensitive */
    /* bindings read outside the join being examined (scratch per join) */
    uint8_t **used;
    uint32_t *width;
} dup_ctx;

static int oom(dup_ctx *c) { return fl_error_set(c->err, FLOE_ENOMEM, "out of memory"); }

static bool expr_volatile(const plan_expr *e)
{
    if (!e) return false;
    if (e->kind == PLAN_EX_FUNC && e->u.fn && e->u.fn->is_volatile) return true;
    for (uint32_t i = 0; i < e->arg_count; i++)
        if (expr_volatile(e->args[i])) return true;
    return false;
}

static void volatile_slot(void *ctx, plan_expr **slot)
{
    if (*slot && expr_volatile(*slot)) *(bool *)ctx = true;
}

static bool node_volatile(plan_node *n)
{
    bool v = false;
    plan_node_visit_exprs(n, volatile_slot, &v);
    return v;
}

/* An aggregate whose result ignores duplicate input rows: groups only, or
 * every aggregate is min, max or DISTINCT. */
static bool agg_insensitive(const plan_node *n)
{
    for (uint32_t i = 0; i < n->u.aggregate.agg_count; i++) {
        const plan_expr *a = n->u.aggregate.aggs[i];
        if (a->u.agg.distinct) continue;
        if (a->name && (strcmp(a->name, "min") == 0 || strcmp(a->name, "max") == 0)) continue;
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ used bindings */

static void mark_binding(dup_ctx *c, plan_binding b)
{
    if (b.table < c->ntables && c->used[b.table] && b.column < c->width[b.table])
        c->used[b.table][b.column] = 1;
}

static void mark_ref(void *ctx, const plan_expr *ref) { mark_binding(ctx, ref->u.binding); }

static void mark_slot(void *ctx, plan_expr **slot)
{
    if (*slot) plan_expr_visit_colrefs(*slot, mark_ref, ctx);
}

static int mark_outputs(dup_ctx *c, const plan_node *n)
{
    plan_binding *b;
    uint32_t count;
    FL_TRY(plan_node_outputs(n, c->arena, &b, NULL, &count, c->err));
    for (uint32_t i = 0; i < count; i++) mark_binding(c, b[i]);
    return 0;
}

/* Marks what every node outside `skip`'s subtree reads. */
static int mark_rec(dup_ctx *c, const plan_node *n, const plan_node *skip)
{
    if (n == skip) return 0;
    plan_node_visit_exprs((plan_node *)n, mark_slot, c);
    switch (n->kind) {
    case PLAN_SETOP:
        FL_TRY(mark_outputs(c, n->children[0]));
        FL_TRY(mark_outputs(c, n->children[1]));
        break;
    case PLAN_CTE_MATERIALIZE: case PLAN_INSERT: case PLAN_DISTINCT:
        FL_TRY(mark_outputs(c, n->children[0]));
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(mark_rec(c, n->children[i], skip));
    return 0;
}

static int alloc_widths(dup_ctx *c, const plan_node *n)
{
    uint32_t t = n->table_index, w = 0;
    switch (n->kind) {
    case PLAN_GET: w = n->u.get.column_count; break;
    case PLAN_TABLE_FUNCTION: w = n->u.table_fn.column_count; break;
    case PLAN_PROJECT: w = n->u.project.count; break;
    case PLAN_CTE_SCAN: w = n->u.cte.column_count; break;
    case PLAN_VALUES: w = n->u.values.column_count; break;
    case PLAN_SETOP: w = n->u.setop.column_count; break;
    case PLAN_WINDOW: w = n->u.window.count; break;
    case PLAN_EMPTY: w = n->u.empty.column_count; break;
    default: t = UINT32_MAX; break;
    }
    if (n->kind == PLAN_AGGREGATE) {
        /* three table indexes: groups, aggregates, GROUPING() calls */
        uint32_t idx[3] = {n->u.aggregate.group_index, n->u.aggregate.agg_index,
                           n->u.aggregate.grouping_index};
        uint32_t ws[3] = {n->u.aggregate.group_count, n->u.aggregate.agg_count,
                          n->u.aggregate.grouping_count};
        for (int k = 0; k < 3; k++)
            if (idx[k] < c->ntables && ws[k] > c->width[idx[k]]) c->width[idx[k]] = ws[k];
    } else if (n->kind == PLAN_JOIN && n->u.join.type == PLAN_JOIN_MARK &&
               n->u.join.mark_index < c->ntables) {
        c->width[n->u.join.mark_index] = 1;
    } else if (t < c->ntables && w > c->width[t]) {
        c->width[t] = w;
    }
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(alloc_widths(c, n->children[i]));
    return 0;
}

/* Whether any output of side is read outside the join j. */
static int side_read(dup_ctx *c, const plan_node *side, bool *read)
{
    plan_binding *b;
    uint32_t count;
    FL_TRY(plan_node_outputs(side, c->arena, &b, NULL, &count, c->err));
    *read = false;
    for (uint32_t i = 0; i < count && !*read; i++) {
        plan_binding x = b[i];
        /* bindings the width table does not know are treated as read */
        *read = x.table >= c->ntables || !c->used[x.table] || x.column >= c->width[x.table] ||
                c->used[x.table][x.column];
    }
    return 0;
}

/* ------------------------------------------------------------ rewrite 1 */

static plan_cmp flip(plan_cmp c)
{
    switch (c) {
    case PLAN_CMP_LT: return PLAN_CMP_GT;
    case PLAN_CMP_LE: return PLAN_CMP_GE;
    case PLAN_CMP_GT: return PLAN_CMP_LT;
    case PLAN_CMP_GE: return PLAN_CMP_LE;
    default: return c;
    }
}

static bool has_equality(const plan_node *j)
{
    for (uint32_t i = 0; i < j->u.join.cond_count; i++)
        if (j->u.join.conds[i].cmp == PLAN_CMP_EQ || j->u.join.conds[i].cmp == PLAN_CMP_NOT_DISTINCT)
            return true;
    return false;
}

/* INNER join j in a duplicate-insensitive position: SEMI when one side's
 * columns are read by nobody above. */
static int try_semi(dup_ctx *c, plan_node *j)
{
    if (!has_equality(j)) return 0;   /* hash joins only */
    for (uint32_t t = 0; t < c->ntables; t++)
        if (c->width[t]) memset(c->used[t], 0, c->width[t]);
    FL_TRY(mark_outputs(c, c->root));
    FL_TRY(mark_rec(c, c->root, j));
    bool read[2];
    for (int k = 0; k < 2; k++) FL_TRY(side_read(c, j->children[k], &read[k]));
    int drop;   /* the side that becomes the SEMI join's build side */
    if (read[0] && read[1]) return 0;
    if (!read[0] && !read[1])
        drop = opt_estimate(j->children[0]) < opt_estimate(j->children[1]) ? 0 : 1;
    else
        drop = read[0] ? 1 : 0;
    if (drop == 0) {
        plan_node *t = j->children[0];
        j->children[0] = j->children[1];
        j->children[1] = t;
        /* the condition array may be shared: the swapped conditions are a copy */
        uint32_t nc = j->u.join.cond_count;
        plan_join_cond *conds = fl_arena_alloc(c->arena, sizeof *conds * (nc + 1));
        if (!conds) return oom(c);
        for (uint32_t i = 0; i < nc; i++) {
            const plan_join_cond *jc = &j->u.join.conds[i];
            conds[i] = (plan_join_cond){jc->right, jc->left, flip(jc->cmp)};
        }
        j->u.join.conds = conds;
    }
    j->u.join.type = PLAN_JOIN_SEMI;
    return 0;
}

/* ------------------------------------------------------------ the walk */

static int walk(dup_ctx *c, plan_node *n, bool insensitive)
{
    bool kids[2] = {false, false};
    switch (n->kind) {
    case PLAN_DISTINCT:
        kids[0] = true;
        break;
    case PLAN_PROJECT: case PLAN_FILTER:
        kids[0] = insensitive && !node_volatile(n);
        break;
    case PLAN_ORDER:
        kids[0] = insensitive;
        break;
    case PLAN_AGGREGATE:
        kids[0] = agg_insensitive(n) && !node_volatile(n);
        break;
    case PLAN_SETOP:
        switch (n->u.setop.kind) {
        case PLAN_UNION: case PLAN_INTERSECT: case PLAN_EXCEPT: kids[0] = kids[1] = true; break;
        case PLAN_UNION_ALL: kids[0] = kids[1] = insensitive; break;
        default: break;
        }
        break;
    case PLAN_JOIN:
        if (n->u.join.type == PLAN_JOIN_INNER && insensitive && !node_volatile(n))
            FL_TRY(try_semi(c, n));
        switch (n->u.join.type) {
        case PLAN_JOIN_INNER: case PLAN_JOIN_LEFT: case PLAN_JOIN_RIGHT: case PLAN_JOIN_FULL:
            kids[0] = kids[1] = insensitive && !node_volatile(n);
            break;
        case PLAN_JOIN_SEMI: case PLAN_JOIN_ANTI: case PLAN_JOIN_MARK:
            kids[0] = insensitive;
            kids[1] = true;
            break;
        case PLAN_JOIN_RIGHT_SEMI: case PLAN_JOIN_RIGHT_ANTI:
            kids[0] = true;
            kids[1] = insensitive;
            break;
        case PLAN_JOIN_SINGLE:   /* a repeated right row is an error */
            kids[0] = insensitive;
            break;
        }
        break;
    case PLAN_CTE_MATERIALIZE:
        kids[1] = insensitive;   /* the definition is decided by its readers (cte_rec) */
        break;
    case PLAN_CTE_SCAN:
        if (n->table_index < c->ntables) c->reader_ok[n->table_index] = insensitive;
        break;
    default:
        break;
    }
    for (uint32_t i = 0; i < n->child_count; i++)
        FL_TRY(walk(c, n->children[i], i < 2 ? kids[i] : false));
    return 0;
}

/* ------------------------------------------------------------ rewrite 2 */

/* Whether n may repeat rows: a join, a CTE reader or UNION ALL below
 * pass-through operators. */
static bool may_repeat(const plan_node *n)
{
    for (;;) {
        switch (n->kind) {
        case PLAN_PROJECT: case PLAN_FILTER: case PLAN_ORDER:
            n = n->children[0];
            continue;
        case PLAN_JOIN:
            return n->u.join.type == PLAN_JOIN_INNER || n->u.join.type == PLAN_JOIN_LEFT ||
                   n->u.join.type == PLAN_JOIN_RIGHT || n->u.join.type == PLAN_JOIN_FULL;
        case PLAN_SETOP:
            return n->u.setop.kind == PLAN_UNION_ALL;
        case PLAN_CTE_SCAN:
            return true;
        default:
            return false;
        }
    }
}

/* Readers of cte under n: *count of them, *all_ok when each is insensitive. */
static void readers(const dup_ctx *c, const plan_node *n, uint32_t cte, uint32_t *count,
                    bool *all_ok)
{
    if (n->kind == PLAN_CTE_SCAN && n->u.cte.cte_index == cte) {
        (*count)++;
        if (n->table_index >= c->ntables || !c->reader_ok[n->table_index]) *all_ok = false;
    }
    for (uint32_t i = 0; i < n->child_count; i++) readers(c, n->children[i], cte, count, all_ok);
}

/* Inner CTEs first: deduplicating a definition may make the readers of an
 * outer CTE inside it insensitive. */
static int cte_rec(dup_ctx *c, plan_node *n)
{
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(cte_rec(c, n->children[i]));
    if (n->kind != PLAN_CTE_MATERIALIZE) return 0;
    uint32_t count = 0;
    bool all_ok = true;
    readers(c, n->children[1], n->u.cte.cte_index, &count, &all_ok);
    plan_node *def = n->children[0];
    if (!count || !all_ok || !may_repeat(def)) return 0;
    plan_binding *outs;
    uint32_t width;
    FL_TRY(plan_node_outputs(def, c->arena, &outs, NULL, &width, c->err));
    if (width == 0 || width > CTE_DISTINCT_MAX_COLS) return 0;
    plan_node *d = plan_node_new(c->arena, PLAN_DISTINCT, 1);
    if (!d) return oom(c);
    d->children[0] = def;
    n->children[0] = d;
    return walk(c, d, true);
}

int opt_dup_insensitive(plan_node **root, uint32_t table_count, fl_arena *arena, fl_error *err)
{
    dup_ctx c = {arena, err, *root, table_count, NULL, NULL, NULL};
    c.reader_ok = fl_arena_calloc(arena, table_count + 1);
    c.used = fl_arena_calloc(arena, sizeof *c.used * (table_count + 1));
    c.width = fl_arena_calloc(arena, sizeof *c.width * (table_count + 1));
    if (!c.reader_ok || !c.used || !c.width) return oom(&c);
    FL_TRY(alloc_widths(&c, *root));
    for (uint32_t t = 0; t < table_count; t++) {
        if (!c.width[t]) continue;
        if (!(c.used[t] = fl_arena_calloc(arena, c.width[t]))) return oom(&c);
    }
    FL_TRY(walk(&c, *root, false));
    return cte_rec(&c, *root);
}
