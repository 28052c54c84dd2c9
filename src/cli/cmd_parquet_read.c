/*
 * cmd_parquet_read.c: `floe parquet cat` (rows as CSV or JSON lines) and
 * `floe parquet scan` (decode everything, in parallel, and report the
 * rate: the benchmark's full-scan primitive).
 *
 * scan splits the file into tasks of one top-level column of one row group,
 * so that even a file with a single row group decodes on every core; each
 * pool worker keeps its own arena, reset after every batch.
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/threads.h"
#include "../format/parquet/pq_reader.h"
#include "cli.h"
#include "cmd_parquet.h"
#include "render.h"

/* ---- cat ------------------------------------------------------------- */

/* Resolves "a,b" to column indexes in *cols / *n (arena memory). */
static int resolve_columns(const pq_file *file, const char *path, const char *list, int **cols,
                           int *n, fl_arena *arena, fl_error *err)
{
    int cap = 1;
    for (const char *p = list; *p; p++) cap += *p == ',';
    *cols = fl_arena_alloc(arena, (size_t)cap * sizeof **cols);
    if (!*cols) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *n = 0;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *name = fl_arena_strndup(arena, p, len);
        if (!name) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        int idx = pq_file_column_index(file, name);
        if (idx < 0)
            return fl_error_set(err, FLOE_ENOTFOUND, "column \"%s\" does not exist in \"%s\"", name,
                                path);
        (*cols)[(*n)++] = idx;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

typedef struct cat_opts {
    const char *columns;
    bool json;
    long long limit;  /* -1 = all */
} cat_opts;

static int flush_out(fl_buf *out, fl_error *err)
{
    if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
        return fl_error_set(err, FLOE_EIO, "could not write to standard output");
    fl_buf_reset(out);
    return 0;
}

static int cat_rows(pq_file *file, const char *path, const cat_opts *o, fl_error *err)
{
    fl_arena *arena = fl_arena_new(0), *batch = fl_arena_new(0);
    pq_scan *scan = NULL;
    fl_buf out, scratch;
    fl_buf_init(&out);
    fl_buf_init(&scratch);
    int rc = 0;
    int *cols = NULL, n_cols = 0;
    if (!arena || !batch) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    if (o->columns && (rc = resolve_columns(file, path, o->columns, &cols, &n_cols, arena, err)) < 0)
        goto done;
    const pq_field *root = pq_file_schema(file);
    if (!o->columns) n_cols = (int)root->n_children;
    pq_scan_opts so = {0};
    so.columns = cols;
    so.n_columns = n_cols;
    if ((rc = pq_scan_new(&scan, file, &so, err)) < 0) goto done;

    const char **names = fl_arena_alloc(arena, (size_t)(n_cols ? n_cols : 1) * sizeof *names);
    fl_column **batch_cols = fl_arena_alloc(arena, (size_t)(n_cols ? n_cols : 1) * sizeof *batch_cols);
    if (!names || !batch_cols) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    for (int c = 0; c < n_cols; c++) names[c] = root->children[cols ? cols[c] : c].name;
    if (!o->json) {
        for (int c = 0; c < n_cols; c++) {
            fl_column hdr = {0};
            fl_strv s = fl_strv_cstr(names[c] ? names[c] : "");
            hdr.type = fl_type_make(FL_TYPE_STRING);
            hdr.len = 1;
            hdr.data = &s;
            if (c) rc = fl_buf_append_byte(&out, ',');
            if (rc == 0) rc = render_csv_field(&out, &scratch, &hdr, 0, ',');
            if (rc < 0) break;
        }
        if (rc == 0) rc = fl_buf_append_byte(&out, '\n');
        if (rc < 0) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    }
    long long printed = 0;
    while (o->limit < 0 || printed < o->limit) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = pq_scan_next(scan, batch, batch_cols, &rows, err)) < 0) goto done;
        if (rows == 0) break;
        for (size_t r = 0; r < rows && (o->limit < 0 || printed < o->limit); r++, printed++) {
            int arc = 0;
            if (o->json) arc = fl_buf_append_byte(&out, '{');
            for (int c = 0; c < n_cols && arc == 0; c++) {
                if (o->json) {
                    if (c) arc = fl_buf_append_byte(&out, ',');
                    if (!arc) arc = render_json_string(&out, names[c], strlen(names[c]));
                    if (!arc) arc = fl_buf_append_byte(&out, ':');
                    if (!arc) arc = render_json_value(&out, batch_cols[c], r);
                } else {
                    if (c) arc = fl_buf_append_byte(&out, ',');
                    if (!arc) arc = render_csv_field(&out, &scratch, batch_cols[c], r, ',');
                }
            }
            if (!arc && o->json) arc = fl_buf_append_byte(&out, '}');
            if (!arc) arc = fl_buf_append_byte(&out, '\n');
            if (arc < 0) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
            if (out.len >= 1 << 16 && (rc = flush_out(&out, err)) < 0) goto done;
        }
    }
    rc = flush_out(&out, err);
    if (rc == 0 && fflush(stdout) != 0)
        rc = fl_error_set(err, FLOE_EIO, "could not write to standard output");
done:
    pq_scan_free(scan);
    fl_buf_dispose(&out);
    fl_buf_dispose(&scratch);
    fl_arena_free(batch);
    fl_arena_free(arena);
    return rc;
}

int cmd_parquet_cat(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"columns", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    cat_opts o = {NULL, false, -1};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            if (!*optarg) return cli_usage_error(parquet_usage, "--columns needs column names");
            o.columns = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "json")) o.json = true;
            else if (!strcmp(optarg, "csv")) o.json = false;
            else return cli_usage_error(parquet_usage, "unknown format \"%s\" (csv or json)", optarg);
            break;
        case 'n':
            if (!cli_parse_int(optarg, 0, INT64_MAX, &o.limit))
                return cli_usage_error(parquet_usage, "invalid --limit \"%s\"", optarg);
            break;
        case ':': return cli_usage_error(parquet_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(parquet_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 1) return cli_usage_error(parquet_usage, "parquet cat takes one FILE");
    const char *path = argv[optind];
    fl_error err;
    pq_file *file = NULL;
    if (pq_file_open_path(&file, path, &err) < 0) return cli_fail(&err);
    int rc = cat_rows(file, path, &o, &err);
    pq_file_free(file);
    return rc < 0 ? cli_fail(&err) : CLI_OK;
}

/* ---- scan ------------------------------------------------------------ */

typedef struct scan_task {
    int row_group, column;
    int64_t rows;
    int rc;
    fl_error err;
} scan_task;

typedef struct scan_ctx {
    pq_file *file;
    scan_task *tasks;
    fl_arena **arenas;    /* one per worker */
} scan_ctx;

static void scan_one(void *arg, size_t index, int worker)
{
    scan_ctx *ctx = arg;
    scan_task *t = &ctx->tasks[index];
    fl_arena *arena = ctx->arenas[worker];
    pq_scan *scan = NULL;
    pq_scan_opts so = {0};
    so.columns = &t->column;
    so.n_columns = 1;
    so.row_group_begin = t->row_group;
    so.row_group_end = t->row_group + 1;
    so.batch_rows = 8192;
    if ((t->rc = pq_scan_new(&scan, ctx->file, &so, &t->err)) < 0) return;
    for (;;) {
        fl_column *col;
        size_t rows = 0;
        fl_arena_reset(arena);
        if ((t->rc = pq_scan_next(scan, arena, &col, &rows, &t->err)) < 0 || rows == 0) break;
        t->rows += (int64_t)rows;
    }
    pq_scan_free(scan);
}

static int scan_file(const char *path, int threads, fl_error *err)
{
    pq_file *file = NULL;
    fl_pool *pool = NULL;
    scan_ctx ctx = {0};
    int rc, n_workers = 0;
    double t0 = cli_now();
    if ((rc = pq_file_open_path(&file, path, err)) < 0) return rc;
    if (threads != 1 && (rc = fl_pool_new(&pool, threads > 1 ? threads - 1 : 0)) < 0) {
        fl_error_set(err, rc, "could not start the thread pool");
        goto done;
    }
    n_workers = fl_pool_threads(pool) + 1;
    const pq_file_meta *m = pq_file_metadata(file);
    int n_rg = pq_file_num_row_groups(file);
    int n_cols = (int)pq_file_schema(file)->n_children;
    size_t n_tasks = (size_t)n_rg * (size_t)n_cols;
    ctx.file = file;
    ctx.tasks = fl_calloc(n_tasks ? n_tasks : 1, sizeof *ctx.tasks);
    ctx.arenas = fl_calloc((size_t)n_workers, sizeof *ctx.arenas);
    if (!ctx.tasks || !ctx.arenas) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    for (int w = 0; w < n_workers; w++)
        if (!(ctx.arenas[w] = fl_arena_new(1 << 20))) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            goto done;
        }
    /* column-major order spreads each row group's chunks over the workers */
    for (int r = 0; r < n_rg; r++)
        for (int c = 0; c < n_cols; c++) {
            scan_task *t = &ctx.tasks[(size_t)c * (size_t)n_rg + (size_t)r];
            t->row_group = r;
            t->column = c;
        }
    fl_pool_run(pool, n_tasks, scan_one, &ctx);
    int64_t rows = 0;
    for (size_t i = 0; i < n_tasks; i++) {
        if (ctx.tasks[i].rc < 0) {
            *err = ctx.tasks[i].err;
            rc = ctx.tasks[i].rc;
            goto done;
        }
        if (ctx.tasks[i].column == 0) rows += ctx.tasks[i].rows;
    }
    for (size_t i = 0; i < n_tasks; i++)
        if (ctx.tasks[i].rows != m->row_groups[ctx.tasks[i].row_group].num_rows) {
            rc = fl_error_set(err, FLOE_ECORRUPT,
                              "could not scan \"%s\": row group %d column %d decoded %" PRId64
                              " rows, the footer says %" PRId64, path, ctx.tasks[i].row_group,
                              ctx.tasks[i].column, ctx.tasks[i].rows,
                              m->row_groups[ctx.tasks[i].row_group].num_rows);
            goto done;
        }
    int64_t compressed = 0, uncompressed = 0;
    for (int r = 0; r < m->n_row_groups; r++)
        for (int c = 0; c < m->row_groups[r].n_columns; c++) {
            compressed += m->row_groups[r].columns[c].meta.total_compressed_size;
            uncompressed += m->row_groups[r].columns[c].meta.total_uncompressed_size;
        }
    double secs = cli_now() - t0;
    printf("scan: %" PRId64 " rows, %d columns, %d row groups, %" PRId64
           " bytes compressed, %" PRId64 " bytes uncompressed, %d threads, %.3f seconds\n",
           rows, n_cols, n_rg, compressed, uncompressed, n_workers, secs);
done:
    if (ctx.arenas)
        for (int w = 0; w < n_workers; w++) fl_arena_free(ctx.arenas[w]);
    fl_free(ctx.arenas);
    fl_free(ctx.tasks);
    fl_pool_free(pool);
    pq_file_free(file);
    return rc;
}

int cmd_parquet_scan(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"threads", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    long long threads = 0;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 't':
            if (!cli_parse_int(optarg, 1, 1024, &threads))
                return cli_usage_error(parquet_usage, "invalid --threads \"%s\"", optarg);
            break;
        case ':': return cli_usage_error(parquet_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(parquet_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 1) return cli_usage_error(parquet_usage, "parquet scan takes one FILE");
    fl_error err;
    if (scan_file(argv[optind], (int)threads, &err) < 0) return cli_fail(&err);
    return CLI_OK;
}
