/*
 * scan.c: the table scan (PLAN_GET), a parallel source.
 *
 * ICEBERG: source_global loads the table through the catalog, converts
 * the pushed-down filters into an ice_expr (ex_scan_ice_filter) and plans
 * the scan with it (src/iceberg/ice_scan.h: snapshot by id, time or ref;
 * manifests, partitions and column metrics pruned; manifests read on the
 * pool). Morsels are the plan's data files, and row ranges of big ones
 * (ex_ice_scan_morsels: a file of one huge row group is still read by
 * every thread; the morsels of one file share its parsed footer), handed
 * out by an atomic counter; a thread reads its morsel with its own
 * ice_reader (deletes applied at the file's row positions, only the needed
 * field ids, Parquet row groups skipped by the filter's statistics) and
 * applies the filters exactly (ex_expr_select, vectorized) before
 * emitting; the reader does not evaluate them again row by row
 * (caller_filters) and lends its columns instead of copying them
 * (borrow_columns). Values come out as the schema's types (ice_type_to_fl:
 * int -> INT32, decimal(7,2) stays decimal), cast when the plan says
 * otherwise (a column whose type was widened since the snapshot).
 *
 * EXTERNAL: raw files under a location (a directory, a file or a glob;
 * relative to the warehouse), read by the same code as the read_csv /
 * read_parquet table functions (table_fn.c, src/func/table_files.h).
 *
 * Chunks: the emitted chunk's vectors point at the reader's columns or at
 * gathers in the thread's batch arena (no deep copy; strings may point
 * into Parquet page buffers); they stay valid until the thread's next
 * get_data, which is when the reader decodes its next batch.
 */
#include <string.h>

#include "../../base/alloc.h"
#include "../../format/parquet/pq_reader.h"
#include "../../func/func.h"
#include "../../iceberg/ice_read.h"
#include "../../iceberg/ice_table.h"
#include "../../iceberg/ice_writer.h"
#include "scan_int.h"

/* ---------------------------------------------------------------- shared */

typedef struct ref_ctx {
    const plan_binding *outputs;
    uint32_t output_count;
    bool bad;
} ref_ctx;

/* Pushed-down filters may only use the scan's own output bindings. */
static void note_ref(void *vctx, const plan_expr *ref)
{
    ref_ctx *c = vctx;
    for (uint32_t i = 0; i < c->output_count; i++)
        if (plan_binding_eq(c->outputs[i], ref->u.binding)) return;
    c->bad = true;
}

int ex_scan_cols_init(ex_scan_cols *cols, const plan_node *node, const uint32_t *column_ids,
                      uint32_t column_count, plan_expr **filters, uint32_t filter_count,
                      const fl_type *table_types, uint32_t table_column_count, ex_ctx *ctx,
                      fl_error *err)
{
    fl_arena *a = ctx->arena;
    memset(cols, 0, sizeof(*cols));
    plan_binding *outputs;
    fl_type *out_types;
    uint32_t n;
    FL_TRY(plan_node_outputs(node, a, &outputs, &out_types, &n, err));
    if (n != column_count)
        return fl_error_set(err, FLOE_EINTERNAL, "scan has %u output bindings for %u columns",
                            (unsigned)n, (unsigned)column_count);
    ref_ctx rc = {outputs, n, false};
    for (uint32_t i = 0; i < filter_count; i++) plan_expr_visit_colrefs(filters[i], note_ref, &rc);
    if (rc.bad)
        return fl_error_set(err, FLOE_EINTERNAL, "a pushed-down filter refers to a column the scan does not output");
    cols->read_cols = fl_arena_alloc(a, (n + 1) * sizeof(uint32_t));
    cols->read_types = fl_arena_alloc(a, (n + 1) * sizeof(fl_type));
    cols->bindings = fl_arena_alloc(a, (n + 1) * sizeof(plan_binding));
    if (!cols->read_cols || !cols->read_types || !cols->bindings)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        if (column_ids[i] >= table_column_count)
            return fl_error_set(err, FLOE_EINTERNAL, "scan column %u out of range", (unsigned)column_ids[i]);
        cols->read_cols[i] = column_ids[i];
        cols->read_types[i] = table_types[column_ids[i]];
        cols->bindings[i] = outputs[i];
    }
    cols->read_count = n;
    cols->out_count = n;
    if (filter_count > 0) {
        const plan_expr *f = filters[0];
        if (filter_count > 1) {
            plan_expr *and = fl_arena_calloc(a, sizeof(*and));
            plan_expr **args = fl_arena_alloc(a, filter_count * sizeof(*args));
            if (and == NULL || args == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            memcpy(args, filters, filter_count * sizeof(*args));
            and->kind = PLAN_EX_AND;
            and->type = fl_type_make(FL_TYPE_BOOL);
            and->args = args;
            and->arg_count = filter_count;
            f = and;
        }
        FL_TRY(ex_expr_compile(&cols->filter, f, cols->bindings, n, a, err));
    }
    return 0;
}

int ex_scan_local_base_init(ex_scan_local_base *l, const ex_scan_cols *cols, fl_arena *thread_arena,
                            fl_error *err)
{
    memset(l, 0, sizeof(*l));
    l->batch = fl_arena_new_child(thread_arena, 1 << 20);   /* one chunk fits the first block */
    l->cols = fl_arena_calloc(thread_arena, (cols->read_count + 1) * sizeof(fl_column *));
    l->dicts = fl_arena_calloc(thread_arena, (cols->read_count + 1) * sizeof(fl_dict_column *));
    l->sel = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS * sizeof(uint32_t));
    l->vecs = fl_arena_calloc(thread_arena, (cols->read_count + 1) * sizeof(ex_vector));
    if (l->batch == NULL || l->cols == NULL || l->dicts == NULL || l->sel == NULL || l->vecs == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (cols->filter) FL_TRY(ex_expr_state_new(&l->filter, cols->filter, thread_arena, err));
    return 0;
}

int ex_scan_emit(ex_scan_local_base *l, const ex_scan_cols *cols, size_t rows, ex_chunk *out,
                 size_t *emitted, fl_error *err)
{
    *emitted = 0;
    out->count = 0;
    if (rows == 0) return 0;
    size_t kept = rows;
    ex_vector *vecs = l->vecs;
    for (uint32_t c = 0; c < cols->read_count; c++) {
        if (l->dicts[c]) ex_vector_from_dict(&vecs[c], l->dicts[c]);
        else vecs[c] = (ex_vector){.kind = EX_VECTOR_FLAT, .col = l->cols[c]};
    }
    if (cols->filter) {
        ex_chunk view = {cols->read_count, vecs, rows, l->batch};
        FL_TRY(ex_expr_select(l->filter, &view, l->sel, &kept, l->batch, err));
        if (kept == 0) return 0;
    }
    for (uint32_t c = 0; c < cols->out_count; c++) {
        if (vecs[c].kind == EX_VECTOR_DICT) {
            if (kept < rows) FL_TRY(ex_vector_slice(&out->cols[c], &vecs[c], l->sel, kept, l->batch, err));
            else out->cols[c] = vecs[c];
            continue;
        }
        fl_column *col = l->cols[c];
        if (kept < rows) FL_TRY(ice_column_gather(&col, l->cols[c], l->sel, kept, l->batch, err));
        out->cols[c].kind = EX_VECTOR_FLAT;
        out->cols[c].col = col;
    }
    out->count = kept;
    *emitted = kept;
    return 0;
}

/* Casts read columns whose type differs from the plan's, in place (a
 * dictionary column of another type is flattened first). */
static int conform(fl_column **cols, fl_dict_column **dicts, const fl_type *want, uint32_t n,
                   size_t rows, fl_arena *arena, fl_error *err)
{
    for (uint32_t c = 0; c < n; c++) {
        if (dicts[c]) {
            if (fl_type_eq(dicts[c]->values->type, want[c])) continue;
            ex_vector v;
            ex_vector_from_dict(&v, dicts[c]);
            FL_TRY(ex_vector_flatten(&v, rows, arena, err));
            cols[c] = v.col;
            dicts[c] = NULL;
        }
        if (fl_type_eq(cols[c]->type, want[c])) continue;
        fl_column *conv = fl_column_new(arena, want[c], rows);
        if (conv == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        conv->len = rows;
        ex_vector v = {.kind = EX_VECTOR_FLAT, .col = cols[c]};
        FL_TRY(fn_cast(&v, rows, want[c], false, conv, arena, err));
        conv->name = cols[c]->name;
        cols[c] = conv;
    }
    return 0;
}

/* ---------------------------------------------------------------- Iceberg filters */

typedef struct conv_ctx {
    const plan_table_source *src;
    uint32_t table_index;
    const plan_binding *bindings;
    const uint32_t *read_cols;
    uint32_t read_count;
    const ice_schema *schema;
    fl_arena *arena;
} conv_ctx;

/* The Iceberg field of a column reference, or false. */
static bool is_int(fl_type t);

static bool ref_field(const conv_ctx *c, const plan_expr *e, int32_t *id, const ice_type **type,
                      fl_type *fl)
{
    /* a widening integer cast of a column compares like the column itself
     * (the constant is converted back to the column's type, or not used) */
    if (e->kind == PLAN_EX_CAST && !e->u.try_cast && e->arg_count == 1 &&
        e->args[0]->kind == PLAN_EX_COLREF && is_int(e->type) && is_int(e->args[0]->type) &&
        fl_type_width(e->type) >= fl_type_width(e->args[0]->type))
        e = e->args[0];
    if (e->kind != PLAN_EX_COLREF) return false;
    for (uint32_t i = 0; i < c->read_count; i++) {
        if (!plan_binding_eq(c->bindings[i], e->u.binding)) continue;
        uint32_t col = c->read_cols[i];
        if (c->src->field_ids == NULL || col >= c->src->column_count) return false;
        const ice_schema_entry *ent = ice_schema_find_id(c->schema, c->src->field_ids[col]);
        if (ent == NULL || ent->parent_id != -1 || !ice_type_is_primitive(ent->field->type))
            return false;
        fl_type t;
        if (ice_type_to_fl(&t, ent->field->type, NULL) < 0) return false;
        *id = ent->id;
        *type = ent->field->type;
        *fl = t;
        return true;
    }
    return false;
}

static bool is_int(fl_type t)
{
    return t.id == FL_TYPE_INT8 || t.id == FL_TYPE_INT16 || t.id == FL_TYPE_INT32 ||
           t.id == FL_TYPE_INT64;
}

/* A constant as a value of the column's type, or false. */
static bool const_value(const plan_expr *e, fl_type col, fl_value *out)
{
    if (e->kind != PLAN_EX_CONST || e->u.value.is_null) return false;
    fl_value v = e->u.value;
    if (fl_type_eq(v.type, col)) {
        *out = v;
        return true;
    }
    if (is_int(v.type) && is_int(col)) {
        int64_t lo = col.id == FL_TYPE_INT8 ? INT8_MIN : col.id == FL_TYPE_INT16 ? INT16_MIN
                   : col.id == FL_TYPE_INT32 ? INT32_MIN : INT64_MIN;
        int64_t hi = col.id == FL_TYPE_INT8 ? INT8_MAX : col.id == FL_TYPE_INT16 ? INT16_MAX
                   : col.id == FL_TYPE_INT32 ? INT32_MAX : INT64_MAX;
        if (v.v.i64 < lo || v.v.i64 > hi) return false;
        v.type = col;
        *out = v;
        return true;
    }
    if (v.type.id == FL_TYPE_DECIMAL && col.id == FL_TYPE_DECIMAL && v.type.scale == col.scale &&
        !fl_decimal_is_wide(v.type) && !fl_decimal_is_wide(col)) {
        v.type = col;
        *out = v;
        return true;
    }
    if ((v.type.id == FL_TYPE_STRING && col.id == FL_TYPE_STRING) ||
        (v.type.id == FL_TYPE_DATE && col.id == FL_TYPE_DATE)) {
        v.type = col;
        *out = v;
        return true;
    }
    return false;
}

static const ice_expr *convert(const conv_ctx *c, const plan_expr *e, bool *exact);

static const ice_expr *convert_cmp(const conv_ctx *c, const plan_expr *e)
{
    static const struct { const char *name; ice_pred_op op, flipped; } ops[] = {
        {"=", ICE_PRED_EQ, ICE_PRED_EQ},       {"<>", ICE_PRED_NOT_EQ, ICE_PRED_NOT_EQ},
        {"<", ICE_PRED_LT, ICE_PRED_GT},       {"<=", ICE_PRED_LT_EQ, ICE_PRED_GT_EQ},
        {">", ICE_PRED_GT, ICE_PRED_LT},       {">=", ICE_PRED_GT_EQ, ICE_PRED_LT_EQ},
    };
    if (e->arg_count != 2 || e->u.fn == NULL || e->u.fn->name == NULL) return NULL;
    for (size_t i = 0; i < FL_ARRAY_SIZE(ops); i++) {
        if (strcmp(e->u.fn->name, ops[i].name) != 0) continue;
        int32_t id;
        const ice_type *t;
        fl_type fl;
        fl_value v;
        if (ref_field(c, e->args[0], &id, &t, &fl) && const_value(e->args[1], fl, &v))
            return ice_expr_pred(c->arena, ops[i].op, id, t, &v, 1);
        if (ref_field(c, e->args[1], &id, &t, &fl) && const_value(e->args[0], fl, &v))
            return ice_expr_pred(c->arena, ops[i].flipped, id, t, &v, 1);
        return NULL;
    }
    return NULL;
}

static const ice_expr *convert(const conv_ctx *c, const plan_expr *e, bool *exact)
{
    *exact = true;
    int32_t id;
    const ice_type *t;
    fl_type fl;
    switch (e->kind) {
    case PLAN_EX_FUNC: {
        const ice_expr *r = convert_cmp(c, e);
        *exact = r != NULL;
        return r;
    }
    case PLAN_EX_IS_NULL:
    case PLAN_EX_IS_NOT_NULL:
        if (ref_field(c, e->args[0], &id, &t, &fl))
            return ice_expr_pred(c->arena, e->kind == PLAN_EX_IS_NULL ? ICE_PRED_IS_NULL : ICE_PRED_NOT_NULL,
                                 id, t, NULL, 0);
        *exact = false;
        return NULL;
    case PLAN_EX_IN_LIST: {
        if (!ref_field(c, e->args[0], &id, &t, &fl) || e->arg_count < 2) break;
        fl_value *vals = fl_arena_alloc(c->arena, (e->arg_count - 1) * sizeof(fl_value));
        if (vals == NULL) break;
        uint32_t k = 0;
        for (uint32_t i = 1; i < e->arg_count; i++) {
            /* a NULL in the list never matches: leave it out */
            if (e->args[i]->kind == PLAN_EX_CONST && e->args[i]->u.value.is_null) continue;
            if (!const_value(e->args[i], fl, &vals[k])) {
                *exact = false;
                return NULL;
            }
            k++;
        }
        if (k == 0) return ice_expr_false();
        return ice_expr_pred(c->arena, ICE_PRED_IN, id, t, vals, k);
    }
    case PLAN_EX_AND: {
        const ice_expr *acc = NULL;
        for (uint32_t i = 0; i < e->arg_count; i++) {
            bool ex;
            const ice_expr *x = convert(c, e->args[i], &ex);
            if (!ex) *exact = false;
            if (x == NULL) continue;
            acc = acc ? ice_expr_and(c->arena, acc, x) : x;
        }
        return acc;
    }
    case PLAN_EX_OR: {
        const ice_expr *acc = NULL;
        for (uint32_t i = 0; i < e->arg_count; i++) {
            bool ex;
            const ice_expr *x = convert(c, e->args[i], &ex);
            if (x == NULL) {
                *exact = false;
                return NULL;
            }
            if (!ex) *exact = false;
            acc = acc ? ice_expr_or(c->arena, acc, x) : x;
        }
        return acc;
    }
    case PLAN_EX_NOT: {
        bool ex;
        const ice_expr *x = convert(c, e->args[0], &ex);
        if (x == NULL || !ex) break;   /* NOT of a weaker expression would be stronger */
        return ice_expr_not(c->arena, x);
    }
    case PLAN_EX_CONST:
        if (e->type.id == FL_TYPE_BOOL && !e->u.value.is_null)
            return e->u.value.v.b ? ice_expr_true() : ice_expr_false();
        break;
    default:
        break;
    }
    *exact = false;
    return NULL;
}

int ex_scan_ice_filter(const ice_expr **out, plan_expr *const *filters, uint32_t filter_count,
                       const plan_table_source *src, uint32_t table_index,
                       const plan_binding *bindings, const uint32_t *read_cols,
                       uint32_t read_count, const ice_schema *schema, fl_arena *arena,
                       fl_error *err)
{
    conv_ctx c = {src, table_index, bindings, read_cols, read_count, schema, arena};
    const ice_expr *acc = NULL;
    for (uint32_t i = 0; i < filter_count; i++) {
        bool exact;
        const ice_expr *x = convert(&c, filters[i], &exact);
        if (x == NULL) continue;
        acc = acc ? ice_expr_and(arena, acc, x) : x;
        if (acc == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    *out = acc;
    return 0;
}

/* ---------------------------------------------------------------- Iceberg morsels */

/* Rows per morsel of a task of `rows` rows on `threads` threads; 0: do
 * not cut it (small, or nobody to share it with). */
static int64_t morsel_rows(int64_t rows, int threads)
{
    if (threads < 2 || rows < 2 * (int64_t)EX_ICE_MORSEL_MIN_ROWS) return 0;
    int64_t parts = (int64_t)threads * EX_ICE_MORSELS_PER_THREAD;
    int64_t per = (rows + parts - 1) / parts;
    if (per < EX_ICE_MORSEL_MIN_ROWS) per = EX_ICE_MORSEL_MIN_ROWS;
    per = (per + EX_CHUNK_ROWS - 1) / EX_CHUNK_ROWS * EX_CHUNK_ROWS;
    return per < rows ? per : 0;
}

static int open_shared_file(void *vctx, const ice_scan_task *task, pq_file **out, fl_error *err);

/* Cut points (ends of all morsels but the last) of a task into morsels of
 * about `per` rows: at row-group boundaries (rg_rows[0..n_rg)), and inside
 * row groups only with EX_ICE_CUT_INSIDE_ROW_GROUPS. Returns the count;
 * cuts may be NULL to count. */
static size_t task_cuts(int64_t *cuts, const pq_file_meta *m, int64_t rows, int64_t per)
{
    size_t n = 0;
    if (EX_ICE_CUT_INSIDE_ROW_GROUPS || m == NULL) {
        for (int64_t at = per; at < rows; at += per) {
            if (cuts) cuts[n] = at;
            n++;
        }
        return n;
    }
    int64_t at = 0, last = 0;
    for (int32_t i = 0; i + 1 < m->n_row_groups; i++) {
        at += m->row_groups[i].num_rows;
        if (at - last < per) continue;
        if (cuts) cuts[n] = at;
        n++;
        last = at;
    }
    return n;
}

int ex_ice_scan_morsels(ex_ice_scan_global *g, int threads, fl_arena *arena, fl_error *err)
{
    const ice_scan_plan *p = g->plan;
    /* enough files to go round: no cutting */
    bool cut = p->task_count < (size_t)threads * EX_ICE_MORSELS_PER_THREAD;
    const pq_file_meta **metas = fl_arena_calloc(arena, (p->task_count + 1) * sizeof(*metas));
    g->files = fl_arena_calloc(arena, (p->task_count + 1) * sizeof(ex_ice_open_file));
    if (metas == NULL || g->files == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    size_t count = 0;
    for (size_t t = 0; t < p->task_count; t++) {
        int64_t rows = p->tasks[t].file.record_count, per = cut ? morsel_rows(rows, threads) : 0;
        if (per && g->fs) {
            /* the footer (row-group boundaries), which the readers then share */
            pq_file *pq;
            FL_TRY(open_shared_file(g, &p->tasks[t], &pq, err));
            metas[t] = pq_file_metadata(pq);
        }
        count += per ? task_cuts(NULL, metas[t], rows, per) + 1 : 1;
    }
    g->morsels = fl_arena_alloc(arena, (count + 1) * sizeof(ex_ice_morsel));
    int64_t *cuts = fl_arena_alloc(arena, (count + 1) * sizeof(int64_t));
    if (g->morsels == NULL || cuts == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t t = 0; t < p->task_count; t++) {
        int64_t rows = p->tasks[t].file.record_count, per = cut ? morsel_rows(rows, threads) : 0;
        size_t n = per ? task_cuts(cuts, metas[t], rows, per) : 0;
        /* the last morsel reads to the end, whatever the manifest said */
        for (size_t i = 0; i <= n; i++)
            g->morsels[k++] = (ex_ice_morsel){t, i ? cuts[i - 1] : 0, i < n ? cuts[i] : 0};
        atomic_init(&g->files[t].morsels_left, n + 1);
        if (n == 0 && g->files[t].pq) {
            /* not cut after all (one row group): its reader opens it itself */
            pq_file_free(g->files[t].pq);
            io_reader_close(g->files[t].src);
            g->files[t].pq = NULL;
            g->files[t].src = NULL;
        }
    }
    g->morsel_count = k;
    return 0;
}

/* ice_read_opts.open_data_file for morsels of a file cut into several:
 * the first opens the file, the others share its parsed footer. */
static int open_shared_file(void *vctx, const ice_scan_task *task, pq_file **out, fl_error *err)
{
    ex_ice_scan_global *g = vctx;
    ex_ice_open_file *f = &g->files[task - g->plan->tasks];
    const char *path = task->file.file_path;
    int rc = 0;
    pthread_mutex_lock(&g->files_lock);
    if (f->pq == NULL) {
        if (f->src == NULL && (rc = io_open(g->fs, path, &f->src, err)) < 0) {
            fl_error_prefix(err, "could not open data file \"%s\": ", path);
        } else if ((rc = pq_file_open(&f->pq, f->src, err)) < 0) {
            fl_error_prefix(err, "could not read Parquet file \"%s\": ", path);
        }
    }
    *out = f->pq;
    pthread_mutex_unlock(&g->files_lock);
    return rc;
}

/* A morsel of a shared file is done (its reader freed): the last one
 * closes the file. */
static void morsel_done(ex_ice_scan_global *g, const ex_ice_morsel *m)
{
    if (!(m->first_row || m->end_row) || g->files == NULL) return;
    ex_ice_open_file *f = &g->files[m->task];
    if (atomic_fetch_sub(&f->morsels_left, 1) != 1) return;
    pthread_mutex_lock(&g->files_lock);
    pq_file_free(f->pq);
    io_reader_close(f->src);
    f->pq = NULL;
    f->src = NULL;
    pthread_mutex_unlock(&g->files_lock);
}

static void free_files(void *arg)
{
    ex_ice_scan_global *g = arg;
    for (size_t t = 0; g->files && t < g->plan->task_count; t++) {
        pq_file_free(g->files[t].pq);
        io_reader_close(g->files[t].src);
    }
    g->files = NULL;
    if (g->files_lock_init) pthread_mutex_destroy(&g->files_lock);
    g->files_lock_init = false;
}

/* ---------------------------------------------------------------- Iceberg scan */

typedef struct ice_scan_cfg {
    const plan_table_source *src;
    ex_scan_cols cols;
} ice_scan_cfg;

typedef struct ice_scan_local {
    ex_scan_local_base base;
    ice_scan_plan sub;           /* the plan narrowed to the current task */
    ice_reader *reader;
    const ex_ice_morsel *morsel;  /* the reader's */
    ice_read_opts opts;
} ice_scan_local;

static void free_table(void *arg) { ice_table_free(arg); }
static void free_plan(void *arg) { ice_scan_plan_free(arg); }
static void free_reader(void *arg)
{
    ice_scan_local *l = arg;
    ice_reader_free(l->reader);
    l->reader = NULL;
}

static int ice_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    ice_scan_cfg *cfg = op->data;
    const plan_table_source *src = cfg->src;
    ex_ice_scan_global *g = fl_arena_calloc(ctx->arena, sizeof(*g));
    if (g == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    g->fs = ctx->fs;
    FL_TRY(ice_table_load(&g->table, ctx->catalog, ctx->fs, src->ns, src->name, err));
    if (fl_arena_on_reset(ctx->arena, free_table, g->table) < 0) {
        ice_table_free(g->table);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    ice_scan_opts o;
    memset(&o, 0, sizeof(o));
    if (src->snapshot_id > 0) {
        o.at = ICE_SCAN_SNAPSHOT_ID;
        o.snapshot_id = src->snapshot_id;
    } else if (src->as_of_ms > 0) {
        o.at = ICE_SCAN_AS_OF_TIME;
        o.as_of_ms = src->as_of_ms;
    } else if (src->ref && src->ref[0]) {
        o.at = ICE_SCAN_REF;
        o.ref = src->ref;
    }
    const ice_metadata *md = g->table->md;
    const ice_snapshot *snap;
    FL_TRY(ice_scan_snapshot(&snap, md, &o, err));
    const ice_schema *schema = ice_scan_read_schema(md, &o, snap);
    const plan_node *node = op->node;
    FL_TRY(ex_scan_ice_filter(&g->ice_filter, node->u.get.filters, node->u.get.filter_count, src,
                              node->table_index, cfg->cols.bindings, cfg->cols.read_cols,
                              cfg->cols.read_count, schema, ctx->arena, err));
    o.filter = g->ice_filter;
    o.pool = ctx->pool;
    FL_TRY(ice_scan_plan_new(&g->plan, ctx->fs, md, &o, err));
    if (fl_arena_on_reset(ctx->arena, free_plan, g->plan) < 0) {
        ice_scan_plan_free(g->plan);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    g->field_ids = fl_arena_alloc(ctx->arena, (cfg->cols.read_count + 1) * sizeof(int32_t));
    if (g->field_ids == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < cfg->cols.read_count; i++) {
        uint32_t col = cfg->cols.read_cols[i];
        if (src->field_ids == NULL)
            return fl_error_set(err, FLOE_EINTERNAL, "table %s.%s has no field ids", src->ns, src->name);
        g->field_ids[i] = src->field_ids[col];
    }
    if (pthread_mutex_init(&g->files_lock, NULL) != 0)
        return fl_error_set(err, FLOE_ENOMEM, "could not create a mutex");
    g->files_lock_init = true;
    if (fl_arena_on_reset(ctx->arena, free_files, g) < 0) {
        free_files(g);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    FL_TRY(ex_ice_scan_morsels(g, ctx->threads, ctx->arena, err));
    atomic_init(&g->next_task, 0);
    atomic_init(&g->rows_read, 0);
    atomic_init(&g->row_groups_skipped, 0);
    *gstate = g;
    return 0;
}

static int ice_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena, void **lstate,
                     fl_error *err)
{
    (void)ctx;
    ice_scan_cfg *cfg = op->data;
    ex_ice_scan_global *g = gstate;
    ice_scan_local *l = fl_arena_calloc(thread_arena, sizeof(*l));
    if (l == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(ex_scan_local_base_init(&l->base, &cfg->cols, thread_arena, err));
    if (fl_arena_on_reset(thread_arena, free_reader, l) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    l->opts.field_ids = g->field_ids;
    l->opts.field_count = cfg->cols.read_count;
    l->opts.batch_rows = EX_CHUNK_ROWS;
    /* the filters are applied exactly by ex_scan_emit, vectorized: the
     * reader only skips row groups with them; its columns are used in
     * place (chunks live until the thread's next get_data, as they do) */
    l->opts.caller_filters = true;
    l->opts.borrow_columns = true;
    l->opts.keep_dictionaries = EX_ICE_DICTIONARIES;
    l->opts.open_ctx = g;
    *lstate = l;
    return 0;
}

static int ice_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                        ex_source_result *res, fl_error *err)
{
    ice_scan_cfg *cfg = op->data;
    ex_ice_scan_global *g = gstate;
    ice_scan_local *l = lstate;
    out->count = 0;
    for (;;) {
        if (l->reader == NULL) {
            size_t m = atomic_fetch_add(&g->next_task, 1);
            if (m >= g->morsel_count) {
                *res = EX_SOURCE_DONE;
                return 0;
            }
            const ex_ice_morsel *mo = &g->morsels[m];
            l->morsel = mo;
            l->sub = *g->plan;
            l->sub.tasks = &g->plan->tasks[mo->task];
            l->sub.task_count = 1;
            l->opts.first_row = mo->first_row;
            l->opts.end_row = mo->end_row;
            l->opts.open_data_file = mo->first_row || mo->end_row ? open_shared_file : NULL;
            FL_TRY(ice_reader_new(&l->reader, ctx->fs, &l->sub, &l->opts, err));
        }
        fl_arena_reset(l->base.batch);
        size_t rows = 0;
        int rc = ice_reader_next_dict(l->reader, l->base.batch, l->base.cols, l->base.dicts,
                                      &rows, err);
        if (rc < 0) return rc;
        if (rows == 0) {
            atomic_fetch_add(&g->row_groups_skipped, ice_reader_skipped_row_groups(l->reader));
            ice_reader_free(l->reader);
            l->reader = NULL;
            morsel_done(g, l->morsel);
            continue;
        }
        atomic_fetch_add(&g->rows_read, (long long)rows);
        FL_TRY(conform(l->base.cols, l->base.dicts, cfg->cols.read_types, cfg->cols.read_count,
                       rows, l->base.batch, err));
        size_t emitted;
        FL_TRY(ex_scan_emit(&l->base, &cfg->cols, rows, out, &emitted, err));
        if (emitted > 0) {
            *res = EX_SOURCE_HAVE_MORE;
            return 0;
        }
        if (ctx->cancel && atomic_load(ctx->cancel))
            return fl_error_set(err, FLOE_ECANCELED, "canceling statement due to user request");
    }
}

static int ice_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const ice_scan_cfg *cfg = op->data;
    const plan_node *node = op->node;
    if (fl_buf_appendf(out, "%s.%s", cfg->src->ns ? cfg->src->ns : "", cfg->src->name) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < node->u.get.filter_count; i++) {
        if (fl_buf_append_str(out, i ? " AND " : " filter: ") < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(plan_expr_to_string(out, node->u.get.filters[i], err));
    }
    return 0;
}

static const ex_op_vtable ice_scan_vt = {
    .name = "TABLE_SCAN",
    .source_global = ice_global,
    .source_local = ice_local,
    .get_data = ice_get_data,
    .explain = ice_explain,
};

static const ex_op_vtable external_scan_vt = {
    .name = "EXTERNAL_SCAN",
    .source_global = ex_file_scan_global_new,
    .source_local = ex_file_scan_local_new,
    .get_data = ex_file_scan_get_data,
    .explain = ice_explain,
};

int ex_scan_new(ex_op **out, const plan_node *get, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    const plan_table_source *src = get->u.get.source;
    if (src == NULL) return fl_error_set(err, FLOE_EINTERNAL, "table scan without a source");
    ex_op *op = fl_arena_calloc(a, sizeof(*op));
    if (op == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    ex_scan_cols *cols;
    if (src->kind == PLAN_SOURCE_ICEBERG) {
        ice_scan_cfg *cfg = fl_arena_calloc(a, sizeof(*cfg));
        if (cfg == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        cfg->src = src;
        cols = &cfg->cols;
        op->vt = &ice_scan_vt;
        op->data = cfg;
    } else {
        ex_file_scan_cfg *cfg = fl_arena_calloc(a, sizeof(*cfg));
        if (cfg == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        cfg->src = src;
        cols = &cfg->cols;
        op->vt = &external_scan_vt;
        op->data = cfg;
    }
    FL_TRY(ex_scan_cols_init(cols, get, get->u.get.column_ids, get->u.get.column_count,
                             get->u.get.filters, get->u.get.filter_count, src->column_types,
                             src->column_count, ctx, err));
    op->types = cols->read_types;   /* the first out_count are the output */
    op->col_count = cols->out_count;
    op->node = get;
    op->estimated_rows = get->estimated_rows;
    *out = op;
    return 0;
}
