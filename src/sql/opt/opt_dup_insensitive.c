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
 *   3. Self semi-join -> aggregate. A duplicate-insensitive SEMI join of a
 *      scan with a scan of the same rows on equal keys and one `w <> w`,
 *      of which only the keys are read, asks which keys hold two distinct
 *      non-NULL w: one GROUP BY keys HAVING min(w) <> max(w) over one scan
 *      (see try_self_agg; TPC-DS 95's ws_wh then reads web_sales once and
 *      joins nothing).
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
    uint32_t ntables;         /* table indexes below this have used/width entries */
    uint32_t *next_index;     /* the statement's next free table index */
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

/* Fills used[][] with what the plan reads outside j's subtree. */
static int mark_used_outside(dup_ctx *c, const plan_node *j)
{
    for (uint32_t t = 0; t < c->ntables; t++)
        if (c->width[t]) memset(c->used[t], 0, c->width[t]);
    FL_TRY(mark_outputs(c, c->root));
    return mark_rec(c, c->root, j);
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
    FL_TRY(mark_used_outside(c, j));
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

/* ------------------------------------------------------------ rewrite 3 */

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Two scans of the same rows: one table, snapshot and filters. */
static int same_rows(dup_ctx *c, const plan_node *a, const plan_node *b, bool *same)
{
    const plan_table_source *x = a->u.get.source, *y = b->u.get.source;
    *same = false;
    if (x != y && !(x->kind == y->kind && str_eq(x->ns, y->ns) && str_eq(x->name, y->name) &&
                    x->snapshot_id == y->snapshot_id && x->as_of_ms == y->as_of_ms &&
                    str_eq(x->ref, y->ref) && str_eq(x->location, y->location) &&
                    str_eq(x->format, y->format) && x->column_count == y->column_count))
        return 0;
    if (a->u.get.filter_count != b->u.get.filter_count) return 0;
    /* filters compared over table columns, whatever each scan's column order */
    const plan_node *sides[2] = {a, b};
    plan_expr **canon[2];
    for (int k = 0; k < 2; k++) {
        const plan_node *g = sides[k];
        uint32_t nf = g->u.get.filter_count, w = g->u.get.column_count;
        plan_binding *to = fl_arena_alloc(c->arena, sizeof *to * (w + 1));
        canon[k] = fl_arena_alloc(c->arena, sizeof *canon[k] * (nf + 1));
        if (!to || !canon[k]) return oom(c);
        for (uint32_t p = 0; p < w; p++) to[p] = (plan_binding){UINT32_MAX, g->u.get.column_ids[p]};
        for (uint32_t i = 0; i < nf; i++)
            if (!(canon[k][i] = opt_rebind(c->arena, g->u.get.filters[i], g->table_index, to, w)))
                return oom(c);
    }
    for (uint32_t i = 0; i < a->u.get.filter_count; i++) {
        bool found = false;
        for (uint32_t j = 0; j < b->u.get.filter_count && !found; j++)
            found = plan_expr_equal(canon[0][i], canon[1][j]);
        if (!found) return 0;
    }
    *same = true;
    return 0;
}

/* The table column a COLREF of scan g reads, or UINT32_MAX. */
static uint32_t scan_column(const plan_node *g, const plan_expr *e)
{
    if (e->kind != PLAN_EX_COLREF || e->u.binding.table != g->table_index ||
        e->u.binding.column >= g->u.get.column_count)
        return UINT32_MAX;
    return g->u.get.column_ids[e->u.binding.column];
}

/* name(arg), or NULL: *rc < 0 on OOM, 0 when the type has no such
 * aggregate (the rewrite is then skipped, not an error). */
static plan_expr *agg_call(dup_ctx *c, const char *name, plan_expr *arg, int *rc)
{
    const fn_agg_def *fn;
    fl_error ignored;
    *rc = 0;
    if (fn_agg_bind(&fn, name, &arg->type, 1, c->arena, &ignored) < 0 ||
        !fl_type_eq(fn->ret, arg->type))
        return NULL;
    plan_expr *e = plan_expr_new(c->arena, PLAN_EX_AGG, fn->ret, 1);
    if (!e) {
        *rc = oom(c);
        return NULL;
    }
    e->name = name;
    e->args[0] = arg;
    e->u.agg.fn = fn;
    return e;
}

/* SEMI(A, B) where A and B scan the same rows, every condition but one pairs
 * a column with itself (the keys: = or IS NOT DISTINCT FROM) and the last
 * one is `A.w <> B.w` (or < or >), in a duplicate-insensitive position
 * where nothing but A's key columns is read: the keys having at least two
 * distinct non-NULL w, one aggregate over one scan instead of a self-join
 * ("orders shipped from more than one warehouse", TPC-DS 95's ws_wh):
 *   SELECT keys FROM B [WHERE key IS NOT NULL, for = keys] GROUP BY keys
 *   HAVING min(w) <> max(w)
 * A row a has a partner b with the same keys and b.w <> a.w (or b.w > a.w,
 * or b.w < a.w) exactly when a.w is not NULL and its group holds another
 * non-NULL value; min/max skip NULLs, and a group of NULLs has a NULL
 * min <> max, so it is dropped like the rows it stands for. The SEMI node
 * becomes a PROJECT re-exporting A's bindings: the keys from the groups,
 * NULL for A's other columns (read by nobody). */
static int try_self_agg(dup_ctx *c, plan_node *n, bool *done)
{
    plan_node *a = n->children[0], *b = n->children[1];
    if (a->kind != PLAN_GET || b->kind != PLAN_GET || n->u.join.residual) return 0;
    uint32_t nc = n->u.join.cond_count, nkeys = 0, ne_at = UINT32_MAX;
    for (uint32_t i = 0; i < nc; i++) {
        const plan_join_cond *jc = &n->u.join.conds[i];
        uint32_t ca = scan_column(a, jc->left), cb = scan_column(b, jc->right);
        /* floating point stays a join: -0.0 = 0.0 and NaN compare unlike they group */
        fl_type_id id = jc->left->type.id;
        if (ca == UINT32_MAX || ca != cb || fl_type_is_nested(jc->left->type) ||
            id == FL_TYPE_FLOAT || id == FL_TYPE_DOUBLE)
            return 0;
        if (jc->cmp == PLAN_CMP_EQ || jc->cmp == PLAN_CMP_NOT_DISTINCT) {
            nkeys++;
        } else if ((jc->cmp == PLAN_CMP_NE || jc->cmp == PLAN_CMP_LT || jc->cmp == PLAN_CMP_GT) &&
                   ne_at == UINT32_MAX) {
            ne_at = i;
        } else {
            return 0;
        }
    }
    if (!nkeys || ne_at == UINT32_MAX) return 0;
    bool same;
    FL_TRY(same_rows(c, a, b, &same));
    if (!same) return 0;
    /* nothing but A's key columns may be read above */
    FL_TRY(mark_used_outside(c, n));
    uint32_t ta = a->table_index, wa = a->u.get.column_count;
    if (ta >= c->ntables || !c->used[ta] || c->width[ta] != wa) return 0;
    int32_t *key_of = fl_arena_alloc(c->arena, sizeof *key_of * (wa + 1));
    if (!key_of) return oom(c);
    for (uint32_t p = 0; p < wa; p++) key_of[p] = -1;
    uint32_t k = 0;
    for (uint32_t i = 0; i < nc; i++)
        if (i != ne_at) key_of[n->u.join.conds[i].left->u.binding.column] = (int32_t)k++;
    for (uint32_t p = 0; p < wa; p++)
        if (c->used[ta][p] && key_of[p] < 0) return 0;

    int rc = 0;
    plan_node *agg = plan_node_new(c->arena, PLAN_AGGREGATE, 1);
    plan_expr **groups = fl_arena_alloc(c->arena, sizeof *groups * (nkeys + 1));
    plan_expr **aggs = fl_arena_alloc(c->arena, sizeof *aggs * 2);
    opt_expr_list bfilters = {b->u.get.filters, b->u.get.filter_count, b->u.get.filter_count};
    if (!agg || !groups || !aggs) return oom(c);
    k = 0;
    for (uint32_t i = 0; i < nc; i++) {
        if (i == ne_at) continue;
        const plan_join_cond *jc = &n->u.join.conds[i];
        groups[k++] = jc->right;
        if (jc->cmp == PLAN_CMP_EQ) {   /* a NULL key matches nothing */
            plan_expr *nn = plan_expr_new(c->arena, PLAN_EX_IS_NOT_NULL,
                                          fl_type_make(FL_TYPE_BOOL), 1);
            if (!nn) return oom(c);
            nn->args[0] = jc->right;
            if (opt_list_push(c->arena, &bfilters, nn) < 0) return oom(c);
        }
    }
    plan_expr *w = n->u.join.conds[ne_at].right;
    if (!(aggs[0] = agg_call(c, "min", w, &rc)) || !(aggs[1] = agg_call(c, "max", w, &rc)))
        return rc;
    /* min(w) <> max(w) */
    fl_type ts[2] = {aggs[0]->type, aggs[1]->type};
    const fn_scalar_bound *ne;
    fl_error ignored;
    if (fn_scalar_bind(&ne, "<>", ts, 2, c->arena, &ignored) < 0) return 0;
    if (ne->arg_count != 2 || !fl_type_eq(ne->arg_types[0], ts[0]) ||
        !fl_type_eq(ne->arg_types[1], ts[1]))
        return 0;   /* would need casts: leave the join */
    b->u.get.filters = bfilters.items;
    b->u.get.filter_count = bfilters.count;
    agg->children[0] = b;
    agg->u.aggregate.groups = groups;
    agg->u.aggregate.group_count = nkeys;
    agg->u.aggregate.aggs = aggs;
    agg->u.aggregate.agg_count = 2;
    agg->u.aggregate.group_index = (*c->next_index)++;
    agg->u.aggregate.agg_index = (*c->next_index)++;
    agg->u.aggregate.grouping_index = (*c->next_index)++;
    plan_expr *cmp = plan_expr_new(c->arena, PLAN_EX_FUNC, ne->ret, 2);
    plan_node *filter = plan_node_new(c->arena, PLAN_FILTER, 1);
    plan_node *proj = plan_node_new(c->arena, PLAN_PROJECT, 1);
    plan_expr **exprs = fl_arena_alloc(c->arena, sizeof *exprs * (wa + 1));
    plan_expr **fexprs = fl_arena_alloc(c->arena, sizeof *fexprs);
    if (!cmp || !filter || !proj || !exprs || !fexprs) return oom(c);
    cmp->name = "<>";
    cmp->u.fn = ne;
    for (int i = 0; i < 2; i++)
        if (!(cmp->args[i] = plan_expr_colref(c->arena, (plan_binding){agg->u.aggregate.agg_index,
                                                                      (uint32_t)i},
                                              ts[i], i ? "max" : "min")))
            return oom(c);
    fexprs[0] = cmp;
    filter->children[0] = agg;
    filter->u.filter.exprs = fexprs;
    filter->u.filter.count = 1;
    const plan_table_source *src = a->u.get.source;
    for (uint32_t p = 0; p < wa; p++) {
        uint32_t col = a->u.get.column_ids[p];
        fl_type t = src->column_types[col];
        if (key_of[p] >= 0) {
            exprs[p] = plan_expr_colref(c->arena,
                                        (plan_binding){agg->u.aggregate.group_index,
                                                       (uint32_t)key_of[p]},
                                        t, src->column_names[col]);
        } else {
            fl_value v = {.type = t, .is_null = true};
            exprs[p] = plan_expr_const(c->arena, &v);
        }
        if (!exprs[p]) return oom(c);
    }
    proj->children[0] = filter;
    proj->table_index = ta;
    proj->u.project.exprs = exprs;
    proj->u.project.count = wa;
    *n = *proj;
    *done = true;
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
        if (n->u.join.type == PLAN_JOIN_SEMI && insensitive) {
            bool done = false;
            FL_TRY(try_self_agg(c, n, &done));
            if (done) return walk(c, n, insensitive);   /* n is now a PROJECT */
        }
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

int opt_dup_insensitive(plan_node **root, uint32_t *next_table_index, fl_arena *arena,
                        fl_error *err)
{
    uint32_t table_count = *next_table_index;
    dup_ctx c = {arena, err, *root, table_count, next_table_index, NULL, NULL, NULL};
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
