/*
 * setop.c: PLAN_SETOP: UNION ALL, UNION, INTERSECT [ALL], EXCEPT [ALL]
 * (left = children[0]).
 *
 * Every set operation is a two-input sink + source (see op.h at
 * ex_setop_new): both children's pipelines end in it.
 *
 *  UNION ALL   copies the chunks of both inputs (thread-local lists merged
 *              at combine) and hands them out again as a parallel source.
 *  UNION       a hash aggregate (hash_agg.c) grouping by every column, fed
 *              by both inputs: one row per distinct row, NULLs equal.
 *  INTERSECT / EXCEPT [ALL]
 *              each input passes through a SETOP_SIDE operator appending a
 *              boolean "from the right" column; a hash aggregate groups by
 *              the data columns computing count(*) and count(*) FILTER
 *              (right), and a SETOP_EMIT operator above it repeats each
 *              row by the counts: INTERSECT 1 if both sides have it,
 *              INTERSECT ALL min(l, r), EXCEPT 1 if only the left has it,
 *              EXCEPT ALL max(l - r, 0) (SQL's multiset rules).
 * The made-up aggregate's input layout is a PLAN_VALUES node with the
 * setop's own table index and types (plus the side column).
 */
#include <stdatomic.h>
#include <string.h>

#include "../../func/func.h"
#include "hash_util.h"

/* ---------------------------------------------------------------- UNION ALL */

typedef struct ua_list {
    ex_chunk *chunks;
    size_t count, cap;
} ua_list;

typedef struct ua_global {
    ja_arenas arenas;
    pthread_mutex_t mu;
    ua_list all;
} ua_global;

typedef struct ua_local {
    fl_arena *arena;
    ua_list list;
} ua_local;

typedef struct ua_source {
    atomic_size_t next;
} ua_source;

static void ua_global_free(void *arg)
{
    ua_global *g = arg;
    pthread_mutex_destroy(&g->mu);
}

static int ua_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    ua_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory for UNION ALL");
    FL_TRY(ja_arenas_init(&g->arenas, ctx->arena, err));
    pthread_mutex_init(&g->mu, NULL);
    if (fl_arena_on_reset(ctx->arena, ua_global_free, g) < 0) {
        pthread_mutex_destroy(&g->mu);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for UNION ALL");
    }
    *gstate = g;
    return 0;
}

static int ua_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                         void **lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)thread_arena;
    ua_global *g = gstate;
    fl_arena *a;
    FL_TRY(ja_arenas_new(&g->arenas, &a, err));
    ua_local *l = fl_arena_calloc(a, sizeof *l);
    if (!l) return fl_error_set(err, FLOE_ENOMEM, "out of memory for UNION ALL");
    l->arena = a;
    *lstate = l;
    return 0;
}

static int list_reserve(ua_list *l, fl_arena *a, size_t more, fl_error *err)
{
    if (l->count + more <= l->cap) return 0;
    size_t cap = l->cap ? l->cap * 2 : 16;
    while (cap < l->count + more) cap *= 2;
    ex_chunk *c = fl_arena_realloc(a, l->chunks, l->cap * sizeof *c, cap * sizeof *c);
    if (!c) return fl_error_set(err, FLOE_ENOMEM, "out of memory for UNION ALL");
    l->chunks = c;
    l->cap = cap;
    return 0;
}

static int ua_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                   fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)gstate;
    ua_local *l = lstate;
    if (!in->count) return 0;
    FL_TRY(list_reserve(&l->list, l->arena, 1, err));
    FL_TRY(ja_chunk_copy(&l->list.chunks[l->list.count], in, l->arena, err));
    l->list.count++;
    return 0;
}

static int ua_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    ua_global *g = gstate;
    ua_local *l = lstate;
    int rc;
    pthread_mutex_lock(&g->mu);
    rc = list_reserve(&g->all, ctx->arena, l->list.count, err);
    if (rc == 0) {
        if (l->list.count) memcpy(g->all.chunks + g->all.count, l->list.chunks, l->list.count * sizeof *l->list.chunks);
        g->all.count += l->list.count;
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

static int ua_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    ua_source *s = fl_arena_calloc(ctx->arena, sizeof *s);
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory for UNION ALL");
    atomic_init(&s->next, 0);
    *gstate = s;
    return 0;
}

static int ua_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                       ex_source_result *res, fl_error *err)
{
    (void)ctx;
    (void)lstate;
    (void)err;
    const ua_global *g = op->sink_state;
    ua_source *s = gstate;
    size_t i = atomic_fetch_add(&s->next, 1);
    if (i >= g->all.count) {
        out->count = 0;
        *res = EX_SOURCE_DONE;
        return 0;
    }
    /* the stored columns are handed out read-only (they live with the query) */
    const ex_chunk *c = &g->all.chunks[i];
    for (uint32_t k = 0; k < out->col_count; k++) out->cols[k] = c->cols[k];
    out->count = c->count;
    *res = EX_SOURCE_HAVE_MORE;
    return 0;
}

static const ex_op_vtable ua_vtable = {
    .name = "UNION_ALL",
    .source_global = ua_source_global,
    .get_data = ua_get_data,
    .sink_global = ua_sink_global,
    .sink_local = ua_sink_local,
    .sink = ua_sink,
    .combine = ua_combine,
};

/* ---------------------------------------------------------------- SETOP_SIDE */

static int side_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                        ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx;
    (void)gstate;
    (void)lstate;
    (void)err;
    uint32_t n = op->col_count - 1;
    for (uint32_t k = 0; k < n; k++) out->cols[k] = in->cols[k];
    out->cols[n].kind = EX_VECTOR_CONST;
    out->cols[n].col = op->data;
    out->count = in->count;
    *res = EX_NEED_MORE_INPUT;
    return 0;
}

static const ex_op_vtable side_vtable = {
    .name = "SETOP_SIDE",
    .execute = side_execute,
};

static int side_new(ex_op **out, const plan_node *node, ex_op *child, bool right, fl_arena *a,
                    fl_error *err)
{
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    uint32_t n = child->col_count;
    fl_column *flag = fl_column_new(a, fl_type_make(FL_TYPE_BOOL), 1);
    if (!op || !flag) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    ((uint8_t *)flag->data)[0] = right;
    flag->len = 1;
    op->types = fl_arena_calloc(a, (n + 1) * sizeof *op->types);
    op->children = fl_arena_alloc(a, sizeof *op->children);
    if (!op->types || !op->children) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    memcpy(op->types, child->types, n * sizeof *op->types);
    op->types[n] = fl_type_make(FL_TYPE_BOOL);
    op->vt = &side_vtable;
    op->children[0] = child;
    op->child_count = 1;
    op->col_count = n + 1;
    op->node = node;
    op->data = flag;
    op->estimated_rows = child->estimated_rows;
    *out = op;
    return 0;
}

/* ---------------------------------------------------------------- SETOP_EMIT */

typedef struct emit_local {
    size_t row;          /* next input row */
    int64_t done;        /* copies of it already emitted */
    uint32_t sel[EX_CHUNK_ROWS];
} emit_local;

static int64_t copies(plan_setop_kind kind, int64_t left, int64_t right)
{
    switch (kind) {
    case PLAN_INTERSECT: return left > 0 && right > 0;
    case PLAN_INTERSECT_ALL: return left < right ? left : right;
    case PLAN_EXCEPT: return left > 0 && right == 0;
    case PLAN_EXCEPT_ALL: return left > right ? left - right : 0;
    default: return 1;
    }
}

static int emit_op_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                         void **lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)gstate;
    emit_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    *lstate = l;
    return 0;
}

static int64_t read_count(const ex_vector *v, size_t i)
{
    size_t r = ex_vector_row(v, i);
    return fl_column_is_valid(v->col, r) ? ((const int64_t *)v->col->data)[r] : 0;
}

static int emit_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                        ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx;
    (void)gstate;
    plan_setop_kind kind = op->node->u.setop.kind;
    emit_local *l = lstate;
    uint32_t n = op->col_count;
    const ex_vector *total = &in->cols[n], *right = &in->cols[n + 1];
    size_t m = 0;
    while (l->row < in->count && m < EX_CHUNK_ROWS) {
        int64_t r = read_count(right, l->row);
        int64_t k = copies(kind, read_count(total, l->row) - r, r);
        while (l->done < k && m < EX_CHUNK_ROWS) {
            l->sel[m++] = (uint32_t)l->row;
            l->done++;
        }
        if (l->done >= k) {
            l->row++;
            l->done = 0;
        }
    }
    for (uint32_t c = 0; c < n; c++) FL_TRY(ja_gather(out->cols[c].col, 0, &in->cols[c], l->sel, m, err));
    ja_chunk_finish(out, m);
    if (l->row < in->count) {
        *res = EX_HAVE_MORE_OUTPUT;
        return 0;
    }
    l->row = 0;
    l->done = 0;
    *res = EX_NEED_MORE_INPUT;
    return 0;
}

static const ex_op_vtable emit_vtable = {
    .name = "SETOP_EMIT",
    .op_local = emit_op_local,
    .execute = emit_execute,
};

/* ---------------------------------------------------------------- construction */

static plan_expr *count_star(fl_arena *a, plan_expr *filter, fl_error *err)
{
    const fn_agg_def *fn;
    if (fn_agg_bind(&fn, "count_star", NULL, 0, a, err) < 0) return NULL;
    plan_expr *e = plan_expr_new(a, PLAN_EX_AGG, fn->ret, 0);
    if (!e) {
        fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
        return NULL;
    }
    e->name = "count_star";
    e->u.agg.fn = fn;
    e->u.agg.filter = filter;
    return e;
}

/* The aggregate over both inputs: groups = the n data columns of an input
 * laid out as a VALUES node with the setop's table index (and, with_side,
 * a last BOOL column); counts: count(*), count(*) FILTER (side). */
static int setop_agg(ex_op **out, const plan_node *node, ex_op *const *inputs, bool with_side,
                     ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    uint32_t n = node->u.setop.column_count;
    plan_node *vals = plan_node_new(a, PLAN_VALUES, 0);
    plan_node *agg = plan_node_new(a, PLAN_AGGREGATE, 1);
    fl_type *types = fl_arena_calloc(a, (n + 2) * sizeof *types);
    plan_expr **groups = fl_arena_calloc(a, (n + 1) * sizeof *groups);
    plan_expr **aggs = fl_arena_calloc(a, 3 * sizeof *aggs);
    if (!vals || !agg || !types || !groups || !aggs)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    memcpy(types, node->u.setop.types, n * sizeof *types);
    types[n] = fl_type_make(FL_TYPE_BOOL);
    vals->table_index = node->table_index;
    vals->u.values.column_count = n + (with_side ? 1 : 0);
    vals->u.values.types = types;
    for (uint32_t i = 0; i < n; i++) {
        plan_binding b = {node->table_index, i};
        groups[i] = plan_expr_colref(a, b, types[i], "setop");
        if (!groups[i]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    }
    agg->children[0] = vals;
    agg->estimated_rows = node->estimated_rows;
    agg->u.aggregate.groups = groups;
    agg->u.aggregate.group_count = n;
    if (with_side) {
        plan_binding sb = {node->table_index, n};
        plan_expr *side = plan_expr_colref(a, sb, types[n], "right_side");
        aggs[0] = count_star(a, NULL, err);
        aggs[1] = side ? count_star(a, side, err) : NULL;
        if (!aggs[0] || !aggs[1]) return err && err->code ? err->code : FLOE_ENOMEM;
        agg->u.aggregate.aggs = aggs;
        agg->u.aggregate.agg_count = 2;
    }
    static const char *names[] = {"HASH_UNION", "UNION_ALL", "HASH_INTERSECT", "HASH_INTERSECT",
                                  "HASH_EXCEPT", "HASH_EXCEPT"};
    return ja_hash_agg_new_inputs(out, agg, inputs, 2, names[node->u.setop.kind], ctx, err);
}

int ex_setop_new(ex_op **out, const plan_node *node, ex_op *left, ex_op *right, ex_ctx *ctx,
                 fl_error *err)
{
    fl_arena *a = ctx->arena;
    if (node->kind != PLAN_SETOP)
        return fl_error_set(err, FLOE_EINTERNAL, "set operation over a plan node of another kind");
    uint32_t n = node->u.setop.column_count;
    if (left->col_count != n || right->col_count != n)
        return fl_error_set(err, FLOE_EINTERNAL, "set operation inputs have %u and %u columns, not %u",
                            left->col_count, right->col_count, n);
    plan_setop_kind kind = node->u.setop.kind;
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    if (!op) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    ex_op *inputs[2] = {left, right};
    if (kind == PLAN_UNION) {
        FL_TRY(setop_agg(out, node, inputs, false, ctx, err));
        (*out)->node = node;
        return 0;
    }
    op->types = fl_arena_memdup(a, node->u.setop.types, (n ? n : 1) * sizeof *op->types);
    op->children = fl_arena_calloc(a, 2 * sizeof *op->children);
    if (!op->types || !op->children) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a set operation");
    op->col_count = n;
    op->node = node;
    op->estimated_rows = node->estimated_rows;
    if (kind == PLAN_UNION_ALL) {
        op->vt = &ua_vtable;
        op->children[0] = left;
        op->children[1] = right;
        op->child_count = 2;
        *out = op;
        return 0;
    }
    ex_op *sides[2], *agg;
    FL_TRY(side_new(&sides[0], node, left, false, a, err));
    FL_TRY(side_new(&sides[1], node, right, true, a, err));
    FL_TRY(setop_agg(&agg, node, sides, true, ctx, err));
    op->vt = &emit_vtable;
    op->children[0] = agg;
    op->child_count = 1;
    *out = op;
    return 0;
}
