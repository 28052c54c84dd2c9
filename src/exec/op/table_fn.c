/*
 * table_fn.c: the table-function operator (PLAN_TABLE_FUNCTION:
 * read_csv, read_parquet) and the raw-file source it shares with external
 * tables (scan.c, PLAN_GET of kind EXTERNAL): one reader, not two.
 *
 * Morsels (src/func/table_files.h) are Parquet row groups and text files,
 * handed out by an atomic counter in get_data; each thread reads its own
 * morsels and applies the pushed-down filters exactly before emitting (as
 * scan.c's Iceberg scan does). A text file is parsed in parallel blocks
 * on the pool by the CSV reader itself, so one big .dat.zst file still
 * uses every core for parsing (decompression stays serial).
 *
 * External tables resolve their location in source_global: relative
 * locations are under the warehouse; files are read through ctx->fs.
 */
#include <string.h>

#include "scan_int.h"

typedef struct file_scan_local {
    ex_scan_local_base base;
    fn_file_reader *reader;
} file_scan_local;

static void free_reader(void *arg)
{
    file_scan_local *l = arg;
    fn_file_reader_free(l->reader);
    l->reader = NULL;
}

static bool is_absolute(const char *loc)
{
    return loc[0] == '/' || strstr(loc, "://") != NULL || strncmp(loc, "file:", 5) == 0;
}

/* Builds the file set of an external table. */
static int external_files(fn_file_scan **out, const plan_table_source *src, ex_ctx *ctx,
                          fl_error *err)
{
    fl_arena *a = ctx->arena;
    if (src->location == NULL || src->location[0] == 0)
        return fl_error_set(err, FLOE_EINVAL, "external table %s has no location", src->name);
    fn_file_scan *s = fl_arena_calloc(a, sizeof(*s));
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    const char *loc = src->location;
    if (!is_absolute(loc) && ctx->warehouse && ctx->warehouse[0]) {
        size_t wl = strlen(ctx->warehouse), ll = strlen(loc);
        char *p = fl_arena_alloc(a, wl + ll + 2);
        if (p == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        memcpy(p, ctx->warehouse, wl);
        size_t o = wl;
        if (o == 0 || p[o - 1] != '/') p[o++] = '/';
        memcpy(p + o, loc, ll + 1);
        loc = p;
    }
    fn_files *f = &s->files;
    f->fs = ctx->fs;
    bool parquet = src->format && (strcmp(src->format, "parquet") == 0 || strcmp(src->format, "PARQUET") == 0);
    f->format = parquet ? FN_FILE_PARQUET : FN_FILE_CSV;
    f->delimiter = src->delimiter ? src->delimiter : ',';
    f->quote = '"';
    f->header = src->header;
    f->null_str = src->null_string ? src->null_string : "";
    f->column_names = src->column_names;
    f->column_types = src->column_types;
    f->column_count = src->column_count;
    FL_TRY(fn_file_scan_resolve(s, &loc, 1, a, err));
    FL_TRY(fn_file_scan_prepare(s, true, a, err));
    *out = s;
    return 0;
}

int ex_file_scan_global_new(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    ex_file_scan_cfg *cfg = op->data;
    ex_file_scan_global *g = fl_arena_calloc(ctx->arena, sizeof(*g));
    if (g == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (cfg->scan) {
        g->scan = cfg->scan;
    } else {
        fn_file_scan *s = NULL;
        FL_TRY(external_files(&s, cfg->src, ctx, err));
        g->scan = s;
    }
    atomic_init(&g->next_morsel, 0);
    *gstate = g;
    return 0;
}

int ex_file_scan_local_new(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                           void **lstate, fl_error *err)
{
    (void)ctx;
    (void)gstate;
    ex_file_scan_cfg *cfg = op->data;
    file_scan_local *l = fl_arena_calloc(thread_arena, sizeof(*l));
    if (l == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(ex_scan_local_base_init(&l->base, &cfg->cols, thread_arena, err));
    if (fl_arena_on_reset(thread_arena, free_reader, l) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *lstate = l;
    return 0;
}

int ex_file_scan_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                          ex_source_result *res, fl_error *err)
{
    ex_file_scan_cfg *cfg = op->data;
    ex_file_scan_global *g = gstate;
    file_scan_local *l = lstate;
    const fn_file_scan *s = g->scan;
    out->count = 0;
    for (;;) {
        if (l->reader == NULL) {
            size_t m = atomic_fetch_add(&g->next_morsel, 1);
            if (m >= s->morsel_count) {
                *res = EX_SOURCE_DONE;
                return 0;
            }
            FL_TRY(fn_file_reader_open(&l->reader, &s->files, &s->morsels[m], cfg->cols.read_cols,
                                       cfg->cols.read_count, ctx->pool, err));
        }
        fl_arena_reset(l->base.batch);
        size_t rows = 0;
        FL_TRY(fn_file_reader_next(l->reader, l->base.batch, l->base.cols, &rows, err));
        if (rows == 0) {
            fn_file_reader_free(l->reader);
            l->reader = NULL;
            continue;
        }
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

static int table_fn_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const ex_file_scan_cfg *cfg = op->data;
    const fn_files *f = &cfg->scan->files;
    if (fl_buf_appendf(out, "%s: %zu file%s", op->node->u.table_fn.fn->name, f->path_count,
                       f->path_count == 1 ? "" : "s") < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable table_fn_vt = {
    .name = "TABLE_FUNCTION",
    .source_global = ex_file_scan_global_new,
    .source_local = ex_file_scan_local_new,
    .get_data = ex_file_scan_get_data,
    .explain = table_fn_explain,
};

int ex_table_fn_new(ex_op **out, const plan_node *node, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    const plan_table_function *fn = node->u.table_fn.fn;
    if (fn == NULL || fn->bind_data == NULL)
        return fl_error_set(err, FLOE_EINTERNAL, "table function without bind data");
    ex_op *op = fl_arena_calloc(a, sizeof(*op));
    ex_file_scan_cfg *cfg = fl_arena_calloc(a, sizeof(*cfg));
    if (op == NULL || cfg == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    cfg->scan = fn->bind_data;
    if (cfg->scan->files.column_count != fn->column_count)
        return fl_error_set(err, FLOE_EINTERNAL, "table function %s: %u columns bound, %u in its files",
                            fn->name, (unsigned)fn->column_count,
                            (unsigned)cfg->scan->files.column_count);
    FL_TRY(ex_scan_cols_init(&cfg->cols, node, node->u.table_fn.column_ids,
                             node->u.table_fn.column_count, node->u.table_fn.filters,
                             node->u.table_fn.filter_count, fn->column_types, fn->column_count,
                             ctx, err));
    op->vt = &table_fn_vt;
    op->data = cfg;
    op->types = cfg->cols.read_types;
    op->col_count = cfg->cols.out_count;
    op->node = node;
    op->estimated_rows = node->estimated_rows;
    *out = op;
    return 0;
}
