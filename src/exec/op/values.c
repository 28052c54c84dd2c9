/*
 * values.c: constant sources: VALUES lists (PLAN_VALUES), the one-row,
 * no-column input of SELECT without FROM (PLAN_DUMMY_SCAN) and the empty
 * relation (PLAN_EMPTY).
 *
 * VALUES rows are folded to constants when the operator is built (errors
 * such as a failing cast surface at planning time) and stored as chunks of
 * up to EX_CHUNK_ROWS rows in the query arena; get_data hands them out as
 * views by an atomic counter.
 */
#include <stdatomic.h>
#include <string.h>

#include "../../func/func.h"
#include "../ex_spine.h"

typedef struct values_data {
    ex_chunk *chunks;
    size_t chunk_count;
} values_data;

typedef struct values_global {
    atomic_size_t next;
} values_global;

static int values_global_new(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    values_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    atomic_init(&g->next, 0);
    *gstate = g;
    return 0;
}

static int values_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                           ex_source_result *res, fl_error *err)
{
    (void)ctx; (void)lstate; (void)err;
    const values_data *d = op->data;
    values_global *g = gstate;
    size_t i = atomic_fetch_add(&g->next, 1);
    *res = i + 1 >= d->chunk_count ? EX_SOURCE_DONE : EX_SOURCE_HAVE_MORE;
    if (i >= d->chunk_count) return 0;
    const ex_chunk *c = &d->chunks[i];
    if (c->col_count) memcpy(out->cols, c->cols, c->col_count * sizeof *out->cols);
    out->count = c->count;
    return 0;
}

static int values_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const values_data *d = op->data;
    size_t rows = 0;
    for (size_t i = 0; i < d->chunk_count; i++) rows += d->chunks[i].count;
    if (fl_buf_appendf(out, "%zu row%s", rows, rows == 1 ? "" : "s") < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable values_vt = {
    .name = "VALUES",
    .source_global = values_global_new,
    .get_data = values_get_data,
    .explain = values_explain,
};
static const ex_op_vtable dummy_vt = {
    .name = "DUMMY_SCAN",
    .source_global = values_global_new,
    .get_data = values_get_data,
};
static const ex_op_vtable empty_vt = {
    .name = "EMPTY_RESULT",
    .source_global = values_global_new,
    .get_data = values_get_data,
};

/* Folds one VALUES cell into row `row` of col (cast to the column's type
 * when the binder left a different one). */
static int fold_cell(fl_column *col, size_t row, const plan_expr *e, ex_ctx *ctx, fl_error *err)
{
    fl_value v;
    FL_TRY(ex_expr_fold(&v, e, ctx->arena, err));
    if (!v.is_null && v.type.id != FL_TYPE_NULL && !fl_type_eq(v.type, col->type)) {
        fl_value c;
        FL_TRY(fn_cast_value(&c, &v, col->type, false, ctx->arena, err));
        v = c;
    }
    if (v.type.id == FL_TYPE_NULL) v.is_null = true;
    v.type = col->type;
    return ex_column_set(col, row, &v, err);
}

static int build_values(values_data *d, const plan_node *node, const fl_type *types,
                        uint32_t col_count, ex_ctx *ctx, fl_error *err)
{
    uint32_t rows = node->u.values.row_count;
    d->chunk_count = (rows + EX_CHUNK_ROWS - 1) / EX_CHUNK_ROWS;
    d->chunks = fl_arena_calloc(ctx->arena, (d->chunk_count + 1) * sizeof *d->chunks);
    if (!d->chunks) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning VALUES");
    for (size_t ci = 0; ci < d->chunk_count; ci++) {
        ex_chunk *c = &d->chunks[ci];
        size_t first = ci * EX_CHUNK_ROWS, n = rows - first;
        if (n > EX_CHUNK_ROWS) n = EX_CHUNK_ROWS;
        FL_TRY(ex_chunk_init(c, ctx->arena, types, col_count, err));
        for (size_t r = 0; r < n; r++) {
            plan_expr **row = node->u.values.rows[first + r];
            for (uint32_t k = 0; k < col_count; k++)
                FL_TRY(fold_cell(c->cols[k].col, r, row[k], ctx, err));
        }
        for (uint32_t k = 0; k < col_count; k++) c->cols[k].col->len = n;
        c->count = n;
    }
    return 0;
}

int ex_values_new(ex_op **out, const plan_node *node, ex_ctx *ctx, fl_error *err)
{
    const ex_op_vtable *vt = node->kind == PLAN_VALUES ? &values_vt
                             : node->kind == PLAN_DUMMY_SCAN ? &dummy_vt : &empty_vt;
    ex_op *op;
    FL_TRY(ex_op_alloc(&op, vt, node, NULL, 0, NULL, 0, ctx, err));
    values_data *d = fl_arena_calloc(ctx->arena, sizeof *d);
    if (!d) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning VALUES");
    if (node->kind == PLAN_VALUES) {
        if (node->u.values.column_count != op->col_count)
            return fl_error_set(err, FLOE_EINTERNAL, "VALUES has %u columns, its layout %u",
                                node->u.values.column_count, op->col_count);
        FL_TRY(build_values(d, node, op->types, op->col_count, ctx, err));
    } else if (node->kind == PLAN_DUMMY_SCAN) {
        d->chunks = fl_arena_calloc(ctx->arena, sizeof *d->chunks);
        if (!d->chunks) return fl_error_set(err, FLOE_ENOMEM, "out of memory planning");
        d->chunks[0].count = 1;
        d->chunks[0].arena = ctx->arena;
        d->chunk_count = 1;
    }
    op->data = d;
    *out = op;
    return 0;
}
