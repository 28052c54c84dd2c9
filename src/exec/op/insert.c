/*
 * insert.c: INSERT INTO ... SELECT / VALUES, INSERT OVERWRITE and CTAS
 * (PLAN_INSERT): a parallel sink writing its child's rows into an Iceberg
 * table, then a source returning one row: the number of rows written
 * (BIGINT).
 *
 * Sink: each thread gets its own partitioned writer (ice_writer, through
 * the shared table write of copy.h) and maps every chunk to the table's
 * columns: child column i goes to table column column_map[i]; table
 * columns no child column maps to are NULL (one all-NULL column per type,
 * built once per thread); constant vectors are expanded. Finalize commits
 * ONE snapshot: an append, or for INSERT OVERWRITE an overwrite of the
 * whole table (unpartitioned) or of the partitions written (partitioned).
 * Any failure before the commit deletes the files written and commits
 * nothing (the shared table write aborts its writers; its cleanup on the
 * query arena catches statements that stop before finalize).
 *
 * Sort order: each thread writes through its own table sink (copy.h),
 * which, when the table has a default sort order (Iceberg's
 * write.sort-order: Spark's WRITE ORDERED BY, Trino's sorted_by, `floe
 * iceberg alter ... sort-order`), buffers the rows, sorts them by the
 * order's fields (transforms, directions, null orders) and writes each
 * sorted run as its own files whose manifest entries carry sort_order_id;
 * a run is cut every EX_TABLE_SORT_RUN_ROWS rows to bound memory. COPY
 * writes through the same sinks.
 *
 * CTAS (plan_insert.create): the agreement with src/main ("spine"): src/main
 * creates the table from plan_insert.create_info (bind_create_table_info:
 * columns, partitioning, properties, location) BEFORE it runs the plan, so
 * that this operator finds it by plan_insert.ns / name like any INSERT; the
 * rows are then committed as the table's first snapshot. When running the
 * plan fails, src/main drops the table it created (this operator has
 * already deleted its data files and committed nothing).
 */
#include <string.h>

#include "../copy.h"

typedef struct insert_cfg {
    const plan_insert *ins;
    uint32_t child_cols;
} insert_cfg;

typedef struct insert_global {
    ex_table_write *w;
    const fl_type *types;
    uint32_t type_count;
    int32_t *source_of;          /* per table column: child column, or -1 */
    int64_t rows;
    bool committed;
} insert_global;

typedef struct insert_local {
    ex_table_sink *sink;
    fl_arena *scratch;
    fl_column **cols;
    fl_column **nulls;           /* per table column without a source */
} insert_local;

static int insert_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    insert_cfg *cfg = op->data;
    const plan_insert *ins = cfg->ins;
    insert_global *g = fl_arena_calloc(ctx->arena, sizeof(*g));
    if (g == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (ins->name == NULL) return fl_error_set(err, FLOE_EINTERNAL, "insert without a table name");
    FL_TRY(ex_table_write_new(&g->w, ctx, ins->ns, ins->name, err));
    g->types = ex_table_write_types(g->w, &g->type_count);
    g->source_of = fl_arena_alloc(ctx->arena, (g->type_count + 1) * sizeof(int32_t));
    if (g->source_of == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < g->type_count; i++) g->source_of[i] = -1;
    if (ins->column_count != cfg->child_cols)
        return fl_error_set(err, FLOE_EINTERNAL, "insert maps %u columns, its input has %u",
                            (unsigned)ins->column_count, (unsigned)cfg->child_cols);
    for (uint32_t i = 0; i < ins->column_count; i++) {
        uint32_t t = ins->column_map[i];
        if (t >= g->type_count)
            return fl_error_set(err, FLOE_EINTERNAL, "insert column %u maps to table column %u of %u",
                                (unsigned)i, (unsigned)t, (unsigned)g->type_count);
        if (op->children[0]->types[i].id != g->types[t].id)
            return fl_error_set(err, FLOE_ETYPE, "column %u of the inserted rows does not have the type of table column %u",
                                (unsigned)i + 1, (unsigned)t + 1);
        g->source_of[t] = (int32_t)i;
    }
    *gstate = g;
    return 0;
}

static int insert_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                             void **lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    insert_global *g = gstate;
    insert_local *l = fl_arena_calloc(thread_arena, sizeof(*l));
    if (l == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    l->scratch = fl_arena_new_child(thread_arena, 0);
    l->cols = fl_arena_calloc(thread_arena, (g->type_count + 1) * sizeof(fl_column *));
    l->nulls = fl_arena_calloc(thread_arena, (g->type_count + 1) * sizeof(fl_column *));
    if (l->scratch == NULL || l->cols == NULL || l->nulls == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t t = 0; t < g->type_count; t++) {
        if (g->source_of[t] >= 0) continue;
        fl_column *c = fl_column_new(thread_arena, g->types[t], EX_CHUNK_ROWS);
        if (c == NULL || fl_column_ensure_validity(c) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        memset(c->validity, 0, (EX_CHUNK_ROWS + 7) / 8);
        c->len = EX_CHUNK_ROWS;
        l->nulls[t] = c;
    }
    FL_TRY(ex_table_sink_new(&l->sink, g->w, thread_arena, err));
    *lstate = l;
    return 0;
}

static int insert_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                       fl_error *err)
{
    (void)op;
    (void)ctx;
    insert_global *g = gstate;
    insert_local *l = lstate;
    size_t n = in->count;
    if (n == 0) return 0;
    fl_arena_reset(l->scratch);
    for (uint32_t t = 0; t < g->type_count; t++) {
        int32_t s = g->source_of[t];
        if (s < 0) {
            if (n > l->nulls[t]->len) {
                fl_column *c = fl_column_new(l->scratch, g->types[t], n);
                if (c == NULL || fl_column_ensure_validity(c) < 0)
                    return fl_error_set(err, FLOE_ENOMEM, "out of memory");
                memset(c->validity, 0, (n + 7) / 8);
                c->len = n;
                l->cols[t] = c;
            } else {
                l->cols[t] = l->nulls[t];
            }
            continue;
        }
        ex_vector v = in->cols[s];
        if (v.kind != EX_VECTOR_FLAT) FL_TRY(ex_vector_flatten(&v, n, l->scratch, err));
        l->cols[t] = v.col;
    }
    return ex_table_sink_write(l->sink, l->cols, n, err);
}

static int insert_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)gstate;
    /* the writers are finished together at the commit; a sorted table's
     * buffered rows are written now */
    insert_local *l = lstate;
    return ex_table_sink_flush(l->sink, err);
}

static int insert_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    (void)ctx;
    insert_cfg *cfg = op->data;
    insert_global *g = gstate;
    FL_TRY(ex_table_write_commit(g->w, cfg->ins->overwrite, &g->rows, err));
    g->committed = true;
    return 0;
}

typedef struct insert_source {
    atomic_bool emitted;
} insert_source;

static int insert_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    insert_source *s = fl_arena_calloc(ctx->arena, sizeof(*s));
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    atomic_init(&s->emitted, false);
    *gstate = s;
    return 0;
}

static int insert_source_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                               void **lstate, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate; (void)thread_arena; (void)err;
    *lstate = NULL;
    return 0;
}

static int insert_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                           ex_source_result *res, fl_error *err)
{
    (void)ctx;
    (void)lstate;
    insert_global *g = op->sink_state;
    insert_source *s = gstate;
    *res = EX_SOURCE_DONE;
    out->count = 0;
    if (atomic_exchange(&s->emitted, true)) return 0;
    if (g == NULL || !g->committed)
        return fl_error_set(err, FLOE_EINTERNAL, "insert result read before its commit");
    fl_column *c = out->cols[0].col;
    if (c->cap < 1 && fl_column_reserve(c, 1) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    ((int64_t *)c->data)[0] = g->rows;
    if (c->validity) fl_bit_set(c->validity, 0);
    c->len = 1;
    out->cols[0].kind = EX_VECTOR_FLAT;
    out->count = 1;
    return 0;
}

static int insert_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const insert_cfg *cfg = op->data;
    if (fl_buf_appendf(out, "%s%s.%s", cfg->ins->overwrite ? "OVERWRITE " : "",
                       cfg->ins->ns ? cfg->ins->ns : "", cfg->ins->name) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable insert_vt = {
    .name = "INSERT",
    .source_global = insert_source_global,
    .source_local = insert_source_local,
    .get_data = insert_get_data,
    .sink_global = insert_sink_global,
    .sink_local = insert_sink_local,
    .sink = insert_sink,
    .combine = insert_combine,
    .finalize = insert_finalize,
    .explain = insert_explain,
};

int ex_insert_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    ex_op *op = fl_arena_calloc(a, sizeof(*op));
    insert_cfg *cfg = fl_arena_calloc(a, sizeof(*cfg));
    if (op == NULL || cfg == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    cfg->ins = &node->u.insert;
    cfg->child_cols = child->col_count;
    op->vt = &insert_vt;
    op->children = fl_arena_alloc(a, sizeof(ex_op *));
    op->types = fl_arena_alloc(a, sizeof(fl_type));
    if (op->children == NULL || op->types == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    op->children[0] = child;
    op->child_count = 1;
    op->types[0] = fl_type_make(FL_TYPE_INT64);
    op->col_count = 1;
    op->node = node;
    op->data = cfg;
    op->estimated_rows = 1;
    *out = op;
    return 0;
}
