/*
 * nl_join.c: nested loop join (PLAN_JOIN without an equality condition):
 * cross products and inequality joins, INNER, LEFT, RIGHT, FULL, SEMI,
 * ANTI, MARK and SINGLE (a LEFT join that fails when a left row matches
 * twice).
 *
 * The right side (children[1]) is materialized by this operator's sink
 * into an ex_buffer. The left side streams through execute: for a block of
 * left rows and one buffered right chunk, the cross product (at most
 * EX_CHUNK_ROWS pairs: the block holds EX_CHUNK_ROWS / right-chunk-rows left
 * rows) is built as a chunk of left columns then right columns, and the
 * join predicate (the conditions as comparisons plus the residual, compiled
 * against that layout) selects the matching pairs. Matched pairs go to the
 * output (INNER, LEFT, SINGLE); per left row the operator remembers whether
 * it matched (and, for MARK, whether a comparison was NULL) and, when the
 * block has seen every right chunk, emits the unmatched rows (LEFT, ANTI),
 * the matched rows (SEMI) or all rows with the mark (MARK). When the output
 * chunk is full the operator returns EX_HAVE_MORE_OUTPUT and resumes where
 * it stopped. RIGHT and FULL joins also flag every right row that matched
 * (one byte per buffered row, set by any probing thread); the operator is
 * then also a source, which the pipeline runner reads after the probe
 * pipeline: the unmatched right rows with NULL left columns.
 */
#include <stdatomic.h>
#include <string.h>

#include "../../func/func.h"
#include "../ex_spine.h"

typedef struct nl_data {
    plan_join_type type;
    ex_expr *pred;                 /* NULL: every pair matches */
    uint32_t left_cols, right_cols;
    const fl_type *left_types, *right_types;
} nl_data;

/* The build side: the buffered right rows and, for RIGHT/FULL, which of
 * them matched (flags[chunk][row], set from any probing thread). */
typedef struct nl_build {
    ex_buffer *buf;
    atomic_uchar **flags;
} nl_build;

typedef struct nl_local {
    ex_expr_state *st;
    fl_arena *scratch;             /* pair chunks, reset per batch */
    bool busy;                     /* in the middle of an input chunk */
    size_t block;                  /* first left row of the current block */
    size_t right_chunk;            /* next right chunk for the block */
    uint8_t *matched;              /* per left row of the input */
    uint8_t *saw_null;
    uint32_t *sel, *lsel, *rsel;
    ex_vector *pair_cols;          /* left_cols + right_cols */
    ex_vector *view_cols;          /* emitted rows: left + right NULLs or mark */
    ex_vector *null_right;         /* constant NULL vectors of the right types */
} nl_local;

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory in a nested loop join"); }

/* ---------------------------------------------------------------- build side */

static bool right_outer(plan_join_type t) { return t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_FULL; }

static int nl_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    const nl_data *d = op->data;
    nl_build *b = fl_arena_calloc(ctx->arena, sizeof *b);
    if (!b) return oom(err);
    FL_TRY(ex_buffer_new(&b->buf, d->right_types, d->right_cols, ctx, err));
    *gstate = b;
    return 0;
}

static int nl_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                         void **lstate, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate;
    return ex_buffer_local_new((ex_buffer_local **)lstate, thread_arena, err);
}

static int nl_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                   fl_error *err)
{
    (void)op; (void)ctx;
    const nl_build *b = gstate;
    return ex_buffer_append(lstate, b->buf, in, err);
}

static int nl_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    const nl_build *b = gstate;
    return ex_buffer_combine(b->buf, lstate, err);
}

static int nl_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    const nl_data *d = op->data;
    nl_build *b = gstate;
    if (!right_outer(d->type)) return 0;
    b->flags = fl_arena_calloc(ctx->arena, (b->buf->count + 1) * sizeof *b->flags);
    if (!b->flags) return oom(err);
    for (size_t i = 0; i < b->buf->count; i++) {
        b->flags[i] = fl_arena_alloc(ctx->arena, (b->buf->chunks[i].count + 1) * sizeof **b->flags);
        if (!b->flags[i]) return oom(err);
        for (size_t r = 0; r <= b->buf->chunks[i].count; r++) atomic_init(&b->flags[i][r], 0);
    }
    return 0;
}

/* ---------------------------------------------------------------- probe side */

static int nl_local_new(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                        void **lstate, fl_error *err)
{
    (void)ctx; (void)gstate;
    const nl_data *d = op->data;
    nl_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l) return oom(err);
    l->scratch = fl_arena_new_child(thread_arena, 0);
    l->matched = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS);
    l->saw_null = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS);
    l->sel = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS * sizeof *l->sel);
    l->lsel = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS * sizeof *l->lsel);
    l->rsel = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS * sizeof *l->rsel);
    uint32_t n = d->left_cols + d->right_cols + 1;
    l->pair_cols = fl_arena_calloc(thread_arena, n * sizeof *l->pair_cols);
    l->view_cols = fl_arena_calloc(thread_arena, n * sizeof *l->view_cols);
    l->null_right = fl_arena_calloc(thread_arena, (d->right_cols + 1) * sizeof *l->null_right);
    if (!l->scratch || !l->matched || !l->saw_null || !l->sel || !l->lsel || !l->rsel ||
        !l->pair_cols || !l->view_cols || !l->null_right)
        return oom(err);
    for (uint32_t c = 0; c < d->right_cols; c++) {
        fl_value v;
        memset(&v, 0, sizeof v);
        v.type = d->right_types[c];
        v.is_null = true;
        FL_TRY(ex_vector_const(&l->null_right[c], thread_arena, &v, err));
    }
    if (d->pred) FL_TRY(ex_expr_state_new(&l->st, d->pred, thread_arena, err));
    *lstate = l;
    return 0;
}

static bool emits_pairs(plan_join_type t)
{
    return t == PLAN_JOIN_INNER || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_SINGLE ||
           t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_FULL;
}

/* Joins left rows [block, block + kb) with right chunk rc: marks matches and
 * appends matched pairs to out when the join type emits them. */
static int probe_batch(const nl_data *d, nl_local *l, const ex_chunk *in, size_t kb,
                       const ex_chunk *rc, atomic_uchar *rflags, ex_chunk *out, fl_error *err)
{
    size_t rn = rc->count, pairs = kb * rn;
    fl_arena_reset(l->scratch);
    ex_chunk pair = {.col_count = d->left_cols + d->right_cols, .cols = l->pair_cols,
                     .count = pairs, .arena = l->scratch};
    for (size_t p = 0; p < pairs; p++) {
        l->lsel[p] = (uint32_t)(l->block + p / rn);
        l->rsel[p] = (uint32_t)(p % rn);
    }
    for (uint32_t c = 0; c < d->left_cols; c++)
        FL_TRY(ex_vector_slice(&pair.cols[c], &in->cols[c], l->lsel, pairs, l->scratch, err));
    for (uint32_t c = 0; c < d->right_cols; c++) {
        if (kb == 1) pair.cols[d->left_cols + c] = rc->cols[c];
        else FL_TRY(ex_vector_slice(&pair.cols[d->left_cols + c], &rc->cols[c], l->rsel, pairs,
                                    l->scratch, err));
    }
    size_t m = pairs;
    if (d->type == PLAN_JOIN_MARK && d->pred) {
        ex_vector v;
        FL_TRY(ex_expr_eval(l->st, &pair, &v, l->scratch, err));
        const uint8_t *b = v.col->data;
        for (size_t p = 0; p < pairs; p++) {
            size_t r = v.kind == EX_VECTOR_CONST ? 0 : p;
            size_t left = l->lsel[p];
            if (v.col->type.id == FL_TYPE_NULL || !fl_column_is_valid(v.col, r)) l->saw_null[left] = 1;
            else if (b[r]) l->matched[left] = 1;
        }
        return 0;
    }
    if (d->pred) FL_TRY(ex_expr_select(l->st, &pair, l->sel, &m, l->scratch, err));
    else for (size_t p = 0; p < pairs; p++) l->sel[p] = (uint32_t)p;
    for (size_t i = 0; i < m; i++) {
        size_t left = l->lsel[l->sel[i]];
        if (d->type == PLAN_JOIN_SINGLE && l->matched[left])
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "21000",
                                         "more than one row returned by a subquery used as an "
                                         "expression");
        l->matched[left] = 1;
        if (rflags) atomic_store_explicit(&rflags[l->rsel[l->sel[i]]], 1, memory_order_relaxed);
    }
    if (emits_pairs(d->type) && m > 0) FL_TRY(ex_chunk_append(out, &pair, l->sel, m, err));
    return 0;
}

/* Emits the block's per-row results: unmatched rows (LEFT/SINGLE with right
 * NULLs, ANTI), matched rows (SEMI) or every row with its mark (MARK). */
static int finish_block(const nl_data *d, nl_local *l, const ex_chunk *in, size_t kb,
                        ex_chunk *out, fl_error *err)
{
    if (d->type == PLAN_JOIN_INNER || d->type == PLAN_JOIN_RIGHT) return 0;
    fl_arena_reset(l->scratch);
    ex_chunk view = {.col_count = out->col_count, .cols = l->view_cols, .count = in->count,
                     .arena = l->scratch};
    memcpy(view.cols, in->cols, d->left_cols * sizeof *view.cols);
    size_t m = 0;
    for (size_t r = l->block; r < l->block + kb; r++) {
        bool hit = l->matched[r];
        bool take = d->type == PLAN_JOIN_SEMI ? hit : d->type == PLAN_JOIN_MARK ? true : !hit;
        if (take) l->sel[m++] = (uint32_t)r;
    }
    if (m == 0) return 0;
    if (d->type == PLAN_JOIN_LEFT || d->type == PLAN_JOIN_SINGLE || d->type == PLAN_JOIN_FULL) {
        memcpy(view.cols + d->left_cols, l->null_right, d->right_cols * sizeof *view.cols);
    } else if (d->type == PLAN_JOIN_MARK) {
        fl_column *mark;
        FL_TRY(ex_column_alloc(&mark, l->scratch, fl_type_make(FL_TYPE_BOOL), in->count, err));
        uint8_t *b = mark->data;
        for (size_t r = l->block; r < l->block + kb; r++) {
            b[r] = l->matched[r];
            if (!l->matched[r] && l->saw_null[r] && fl_column_set_null(mark, r) < 0) return oom(err);
        }
        view.cols[d->left_cols].kind = EX_VECTOR_FLAT;
        view.cols[d->left_cols].col = mark;
    }
    return ex_chunk_append(out, &view, l->sel, m, err);
}

static int nl_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                      ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx; (void)gstate;
    const nl_data *d = op->data;
    nl_local *l = lstate;
    const nl_build *nb = op->sink_state;
    if (!nb) return fl_error_set(err, FLOE_EINTERNAL, "nested loop join probed before its build");
    const ex_buffer *b = nb->buf;
    if (!l->busy) {
        l->busy = true;
        l->block = 0;
        l->right_chunk = 0;
        memset(l->matched, 0, EX_CHUNK_ROWS);
        memset(l->saw_null, 0, EX_CHUNK_ROWS);
    }
    size_t maxr = b->max_chunk_rows ? b->max_chunk_rows : 1;
    size_t k = EX_CHUNK_ROWS / maxr;
    if (k == 0) k = 1;
    while (l->block < in->count) {
        size_t kb = in->count - l->block < k ? in->count - l->block : k;
        for (; l->right_chunk < b->count; l->right_chunk++) {
            const ex_chunk *rc = &b->chunks[l->right_chunk];
            if (emits_pairs(d->type) && out->count > 0 && out->count + kb * rc->count > EX_CHUNK_ROWS) {
                *res = EX_HAVE_MORE_OUTPUT;
                return 0;
            }
            FL_TRY(probe_batch(d, l, in, kb, rc, nb->flags ? nb->flags[l->right_chunk] : NULL, out,
                               err));
        }
        if (d->type != PLAN_JOIN_INNER && d->type != PLAN_JOIN_RIGHT && out->count > 0 &&
            out->count + kb > EX_CHUNK_ROWS) {
            *res = EX_HAVE_MORE_OUTPUT;
            return 0;
        }
        FL_TRY(finish_block(d, l, in, kb, out, err));
        l->block += kb;
        l->right_chunk = 0;
    }
    l->busy = false;
    *res = EX_NEED_MORE_INPUT;
    return 0;
}

static int nl_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    static const char *names[] = {"INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "MARK", "SINGLE"};
    const plan_node *n = op->node;
    if (fl_buf_append_str(out, names[n->u.join.type]) < 0) return oom(err);
    for (uint32_t i = 0; i < n->u.join.cond_count; i++) {
        static const char *cmps[] = {"=", "<>", "<", "<=", ">", ">=", "IS NOT DISTINCT FROM"};
        if (fl_buf_append_str(out, i ? " AND " : " ") < 0) return oom(err);
        FL_TRY(plan_expr_to_string(out, n->u.join.conds[i].left, err));
        if (fl_buf_appendf(out, " %s ", cmps[n->u.join.conds[i].cmp]) < 0) return oom(err);
        FL_TRY(plan_expr_to_string(out, n->u.join.conds[i].right, err));
    }
    if (n->u.join.residual) {
        if (fl_buf_append_str(out, n->u.join.cond_count ? " AND " : " ") < 0) return oom(err);
        FL_TRY(plan_expr_to_string(out, n->u.join.residual, err));
    }
    return 0;
}

/* ---------------------------------------------------------------- RIGHT/FULL: unmatched right rows */

typedef struct nl_source {
    atomic_size_t next;
} nl_source;

static int nl_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    nl_source *s = fl_arena_calloc(ctx->arena, sizeof *s);
    if (!s) return oom(err);
    atomic_init(&s->next, 0);
    *gstate = s;
    return 0;
}

/* One buffered right chunk per call: its unmatched rows, left columns NULL. */
static int nl_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                       ex_source_result *res, fl_error *err)
{
    (void)ctx; (void)lstate;
    const nl_data *d = op->data;
    const nl_build *nb = op->sink_state;
    nl_source *s = gstate;
    size_t i = atomic_fetch_add(&s->next, 1);
    size_t count = nb && nb->flags ? nb->buf->count : 0;
    *res = i + 1 >= count ? EX_SOURCE_DONE : EX_SOURCE_HAVE_MORE;
    if (i >= count) return 0;
    const ex_chunk *rc = &nb->buf->chunks[i];
    uint32_t *sel = fl_arena_alloc(out->arena, (rc->count + 1) * sizeof *sel);
    if (!sel) return oom(err);
    size_t m = 0;
    for (size_t r = 0; r < rc->count; r++)
        if (!atomic_load_explicit(&nb->flags[i][r], memory_order_relaxed)) sel[m++] = (uint32_t)r;
    if (m == 0) return 0;
    for (uint32_t c = 0; c < d->left_cols; c++) {
        fl_value v;
        memset(&v, 0, sizeof v);
        v.type = d->left_types[c];
        v.is_null = true;
        FL_TRY(ex_vector_const(&out->cols[c], out->arena, &v, err));
    }
    for (uint32_t c = 0; c < d->right_cols; c++)
        FL_TRY(ex_vector_slice(&out->cols[d->left_cols + c], &rc->cols[c], sel, m, out->arena, err));
    out->count = m;
    return 0;
}

static const ex_op_vtable nl_outer_vt = {
    .name = "NESTED_LOOP_JOIN",
    .source_global = nl_source_global,
    .get_data = nl_get_data,
    .op_local = nl_local_new,
    .execute = nl_execute,
    .sink_global = nl_sink_global,
    .sink_local = nl_sink_local,
    .sink = nl_sink,
    .combine = nl_combine,
    .finalize = nl_finalize,
    .explain = nl_explain,
};

static const ex_op_vtable nl_vt = {
    .name = "NESTED_LOOP_JOIN",
    .op_local = nl_local_new,
    .execute = nl_execute,
    .sink_global = nl_sink_global,
    .sink_local = nl_sink_local,
    .sink = nl_sink,
    .combine = nl_combine,
    .finalize = nl_finalize,
    .explain = nl_explain,
};

/* ---------------------------------------------------------------- planning */

static plan_expr *new_expr(fl_arena *a, plan_expr_kind kind, fl_type type, uint32_t argc)
{
    plan_expr *e = fl_arena_calloc(a, sizeof *e);
    if (!e) return NULL;
    e->kind = kind;
    e->type = type;
    e->arg_count = argc;
    if (argc && !(e->args = fl_arena_calloc(a, argc * sizeof *e->args))) return NULL;
    return e;
}

static int cast_to(plan_expr **e, fl_type t, fl_arena *a, fl_error *err)
{
    if (fl_type_eq((*e)->type, t)) return 0;
    plan_expr *c = new_expr(a, PLAN_EX_CAST, t, 1);
    if (!c) return oom(err);
    c->args[0] = *e;
    *e = c;
    return 0;
}

static int compare_expr(plan_expr **out, const char *op, plan_expr *l, plan_expr *r, fl_arena *a,
                        fl_error *err)
{
    fl_type types[2] = {l->type, r->type};
    const fn_scalar_bound *fn;
    FL_TRY(fn_scalar_bind(&fn, op, types, 2, a, err));
    plan_expr *e = new_expr(a, PLAN_EX_FUNC, fn->ret, 2);
    if (!e) return oom(err);
    e->name = fn->name;
    e->u.fn = fn;
    e->args[0] = l;
    e->args[1] = r;
    FL_TRY(cast_to(&e->args[0], fn->arg_types[0], a, err));
    FL_TRY(cast_to(&e->args[1], fn->arg_types[1], a, err));
    *out = e;
    return 0;
}

static int cond_expr(plan_expr **out, const plan_join_cond *c, fl_arena *a, fl_error *err)
{
    static const char *ops[] = {"=", "<>", "<", "<=", ">", ">="};
    if (c->cmp != PLAN_CMP_NOT_DISTINCT) return compare_expr(out, ops[c->cmp], c->left, c->right, a, err);
    /* l IS NOT DISTINCT FROM r: l = r OR (l IS NULL AND r IS NULL) */
    fl_type bt = fl_type_make(FL_TYPE_BOOL);
    plan_expr *eq, *both = new_expr(a, PLAN_EX_AND, bt, 2), *or = new_expr(a, PLAN_EX_OR, bt, 2);
    plan_expr *ln = new_expr(a, PLAN_EX_IS_NULL, bt, 1), *rn = new_expr(a, PLAN_EX_IS_NULL, bt, 1);
    if (!both || !or || !ln || !rn) return oom(err);
    FL_TRY(compare_expr(&eq, "=", c->left, c->right, a, err));
    ln->args[0] = c->left;
    rn->args[0] = c->right;
    both->args[0] = ln;
    both->args[1] = rn;
    or->args[0] = eq;
    or->args[1] = both;
    *out = or;
    return 0;
}

int ex_nl_join_new(ex_op **out, const plan_node *node, ex_op *left, ex_op *right, ex_ctx *ctx,
                   fl_error *err)
{
    plan_join_type type = node->u.join.type;
    fl_arena *a = ctx->arena;
    plan_binding *lb, *rb;
    fl_type *lt, *rt;
    uint32_t ln, rn;
    FL_TRY(ex_node_layout(node->children[0], ctx, &lb, &lt, &ln, err));
    FL_TRY(ex_node_layout(node->children[1], ctx, &rb, &rt, &rn, err));
    if (ln != left->col_count || rn != right->col_count)
        return fl_error_set(err, FLOE_EINTERNAL, "join inputs do not match their operators");
    ex_op *kids[2] = {left, right};
    ex_op *op;
    FL_TRY(ex_op_alloc(&op, right_outer(type) ? &nl_outer_vt : &nl_vt, node, NULL, 0, kids, 2, ctx,
                       err));
    nl_data *d = fl_arena_calloc(a, sizeof *d);
    plan_binding *both = fl_arena_alloc(a, (ln + rn + 1) * sizeof *both);
    if (!d || !both) return oom(err);
    if (ln) memcpy(both, lb, ln * sizeof *both);   /* a side may have no columns */
    if (rn) memcpy(both + ln, rb, rn * sizeof *both);
    d->type = type;
    d->left_cols = ln;
    d->right_cols = rn;
    d->left_types = left->types;
    d->right_types = right->types;
    uint32_t n = node->u.join.cond_count + (node->u.join.residual ? 1 : 0);
    if (n > 0) {
        plan_expr *pred = new_expr(a, PLAN_EX_AND, fl_type_make(FL_TYPE_BOOL), n);
        if (!pred) return oom(err);
        for (uint32_t i = 0; i < node->u.join.cond_count; i++)
            FL_TRY(cond_expr(&pred->args[i], &node->u.join.conds[i], a, err));
        if (node->u.join.residual) pred->args[n - 1] = node->u.join.residual;
        FL_TRY(ex_expr_compile(&d->pred, n == 1 ? pred->args[0] : pred, both, ln + rn, a, err));
    }
    op->data = d;
    *out = op;
    return 0;
}
