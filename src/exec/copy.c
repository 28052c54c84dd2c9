/*
 * copy.c: the shared table write (one snapshot from many per-thread
 * ice_writers; see copy.h) and COPY ... FROM.
 *
 * Sinks (copy.h) put each thread's rows into its own writer, sorting them
 * first when the table has a sort order: INSERT (op/insert.c) and COPY
 * share them, so both write sorted files with sort_order_id the same way.
 *
 * COPY cuts the files into morsels (src/func/table_files.h: a text file,
 * or a Parquet row group) and runs them on ctx->pool; each worker slot
 * gets its own sink on first use, so workers never share a writer; after
 * the last morsel the slots' sinks are flushed (a sorted table's last
 * runs), in parallel. The first error stops the remaining morsels; then
 * nothing is committed and the writers' files are deleted.
 */
#include "copy.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../func/table_files.h"
#include "../iceberg/ice_scan.h"
#include "../iceberg/ice_schema.h"
#include "../iceberg/ice_txn.h"
#include "sort.h"

enum { SORT_WRITE_ROWS = 1 << 14 };   /* rows per batch handed to the writer from a sorted run */

/* A sort field whose transform is not identity: an extra buffer column. */
typedef struct sort_extra {
    uint32_t source;             /* table column */
    const ice_type *source_type;
    ice_transform transform;
    fl_type type;                /* the transform's result */
} sort_extra;

struct ex_table_write {
    ex_ctx *ctx;
    ice_table *table;
    fl_type *types;
    uint32_t type_count;
    pthread_mutex_t lock;
    ice_writer **writers;
    size_t writer_count, writer_cap;
    bool done;                   /* committed, or its files already dealt with */
    int writer_threads;          /* > 1: each writer encodes column chunks on its own pool */
    /* the table's default sort order, when it has fields */
    bool sorted;
    int32_t sort_order_id;
    ex_sort_key *keys;           /* cols index a sink's row buffer */
    uint32_t key_count;
    sort_extra *extras;          /* buffer columns type_count.. */
    uint32_t extra_count;
    fl_type *buf_types;          /* the table's types, then the extras' */
};

struct ex_table_sink {
    ex_table_write *w;
    ice_writer *writer;
    /* sorted writes */
    fl_arena *scratch;           /* per write / per written batch */
    fl_arena *buf_arena;         /* the buffered run */
    ex_rowbuf buf;
    ex_vector *vecs;             /* one append: table columns then extras */
    fl_column **cols;            /* one written batch of table columns */
};

static void write_cleanup(void *arg)
{
    ex_table_write *w = arg;
    for (size_t i = 0; i < w->writer_count; i++) {
        if (w->done) ice_writer_free(w->writers[i]);
        else ice_writer_abort(w->writers[i]);
    }
    fl_free(w->writers);
    ice_table_free(w->table);
    pthread_mutex_destroy(&w->lock);
}

/* The table's default sort order as buffer sort keys (w->sorted when it
 * has fields other than void). */
static int sort_setup(ex_table_write *w, fl_arena *a, fl_error *err)
{
    const ice_table *t = w->table;
    const ice_sort_order *o = ice_metadata_sort_order(t->md, t->md->default_sort_order_id);
    if (!o || o->field_count == 0) return 0;
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    const ice_type *st = schema->type;
    w->keys = fl_arena_calloc(a, (o->field_count + 1) * sizeof *w->keys);
    w->extras = fl_arena_calloc(a, (o->field_count + 1) * sizeof *w->extras);
    w->buf_types = fl_arena_calloc(a, (w->type_count + o->field_count + 1) * sizeof *w->buf_types);
    if (!w->keys || !w->extras || !w->buf_types) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    memcpy(w->buf_types, w->types, w->type_count * sizeof *w->buf_types);
    for (size_t i = 0; i < o->field_count; i++) {
        const ice_sort_field *f = &o->fields[i];
        if (f->transform.kind == ICE_TRANSFORM_VOID) continue;   /* all NULL: no order */
        uint32_t col = UINT32_MAX;
        for (size_t c = 0; c < st->field_count && c < w->type_count; c++)
            if (st->fields[c].id == f->source_id) col = (uint32_t)c;
        if (col == UINT32_MAX || f->multi_source || ice_type_is_nested(st->fields[col].type))
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "sort order %d of table \"%s.%s\" sorts by field %d, which is not a "
                                "top-level primitive column", (int)o->order_id, t->ns, t->name,
                                (int)f->source_id);
        ex_sort_key *k = &w->keys[w->key_count++];
        k->desc = f->descending;
        k->nulls_first = f->nulls_first;
        if (f->transform.kind == ICE_TRANSFORM_IDENTITY) {
            k->col = col;
            continue;
        }
        sort_extra *x = &w->extras[w->extra_count];
        x->source = col;
        x->source_type = st->fields[col].type;
        x->transform = f->transform;
        const ice_type *rt;
        FL_TRY(ice_transform_result_type(&rt, &x->transform, x->source_type, err));
        FL_TRY(ice_type_to_fl(&x->type, rt, err));
        k->col = w->type_count + w->extra_count;
        w->buf_types[k->col] = x->type;
        w->extra_count++;
    }
    w->sorted = w->key_count > 0;
    w->sort_order_id = o->order_id;
    return 0;
}

int ex_table_write_new(ex_table_write **out, ex_ctx *ctx, const char *ns, const char *name,
                       fl_error *err)
{
    ex_table_write *w = fl_arena_calloc(ctx->arena, sizeof(*w));
    if (w == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    w->ctx = ctx;
    FL_TRY(ice_table_load(&w->table, ctx->catalog, ctx->fs, ns, name, err));
    pthread_mutex_init(&w->lock, NULL);
    if (fl_arena_on_reset(ctx->arena, write_cleanup, w) < 0) {
        ice_table_free(w->table);
        pthread_mutex_destroy(&w->lock);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    const ice_schema *schema = ice_metadata_current_schema(w->table->md);
    if (schema == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "table %s.%s has no current schema", ns, name);
    const ice_type *st = schema->type;
    w->type_count = (uint32_t)st->field_count;
    w->types = fl_arena_alloc(ctx->arena, (st->field_count + 1) * sizeof(fl_type));
    if (w->types == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < st->field_count; i++) {
        int rc = ice_type_to_fl(&w->types[i], st->fields[i].type, err);
        if (rc < 0) {
            fl_error_prefix(err, "column \"%s\" of table %s.%s: ", st->fields[i].name, ns, name);
            return rc;
        }
    }
    FL_TRY(sort_setup(w, ctx->arena, err));
    *out = w;
    return 0;
}

void ex_table_write_abort(ex_table_write *w)
{
    if (w->done) return;
    pthread_mutex_lock(&w->lock);
    for (size_t i = 0; i < w->writer_count; i++) ice_writer_abort(w->writers[i]);
    w->writer_count = 0;
    pthread_mutex_unlock(&w->lock);
}

const ice_table *ex_table_write_table(const ex_table_write *w) { return w->table; }

const fl_type *ex_table_write_types(const ex_table_write *w, uint32_t *count)
{
    *count = w->type_count;
    return w->types;
}

int ex_table_write_writer(ex_table_write *w, ice_writer **out, fl_error *err)
{
    ice_writer_options o = {0, NULL, w->writer_threads > 1 ? w->writer_threads : 1};
    ice_writer *iw;
    FL_TRY(ice_writer_new(&iw, w->table, &o, err));
    int rc = 0;
    pthread_mutex_lock(&w->lock);
    if (w->writer_count == w->writer_cap) {
        size_t cap = w->writer_cap ? w->writer_cap * 2 : 8;
        ice_writer **p = fl_realloc(w->writers, cap * sizeof(*p));
        if (p == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        else {
            w->writers = p;
            w->writer_cap = cap;
        }
    }
    if (rc == 0) w->writers[w->writer_count++] = iw;
    pthread_mutex_unlock(&w->lock);
    if (rc < 0) {
        ice_writer_abort(iw);
        return rc;
    }
    *out = iw;
    return 0;
}

int32_t ex_table_write_sort_order(const ex_table_write *w) { return w->sorted ? w->sort_order_id : -1; }

/* ---------------------------------------------------------------- sinks */

int ex_table_sink_new(ex_table_sink **out, ex_table_write *w, fl_arena *arena, fl_error *err)
{
    ex_table_sink *s = fl_arena_calloc(arena, sizeof *s);
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->w = w;
    if (w->sorted) {
        s->scratch = fl_arena_new_child(arena, 0);
        s->buf_arena = fl_arena_new_child(arena, 0);
        s->vecs = fl_arena_calloc(arena, (w->type_count + w->extra_count + 1) * sizeof *s->vecs);
        s->cols = fl_arena_calloc(arena, (w->type_count + 1) * sizeof *s->cols);
        if (!s->scratch || !s->buf_arena || !s->vecs || !s->cols)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(ex_rowbuf_init(&s->buf, s->buf_arena, w->buf_types, w->type_count + w->extra_count, err));
    }
    FL_TRY(ex_table_write_writer(w, &s->writer, err));
    if (w->sorted) ice_writer_set_sort_order(s->writer, w->sort_order_id);
    *out = s;
    return 0;
}

/* The transformed sort keys of one batch of table columns into s->vecs. */
static int sort_extras(ex_table_sink *s, fl_column *const *cols, size_t n, fl_error *err)
{
    const ex_table_write *w = s->w;
    for (uint32_t e = 0; e < w->extra_count; e++) {
        const sort_extra *x = &w->extras[e];
        const fl_column *src = cols[x->source];
        fl_column *c;
        FL_TRY(ex_column_alloc(&c, s->scratch, x->type, n, err));
        for (size_t i = 0; i < n; i++) {
            fl_value in, res = {.type = x->type, .is_null = true};
            if (fl_column_is_valid(src, i)) {
                fl_column_get(src, i, &in);
                FL_TRY(ice_transform_apply(&res, &x->transform, x->source_type, &in, err));
            }
            FL_TRY(ex_column_set(c, i, &res, err));
        }
        s->vecs[w->type_count + e] = (ex_vector){.kind = EX_VECTOR_FLAT, .col = c};
    }
    return 0;
}

/* Sorts the sink's buffered rows, writes them in order and rolls the
 * writer's files; the buffer starts over. */
static int sort_flush(ex_table_sink *s, fl_error *err)
{
    const ex_table_write *w = s->w;
    size_t rows = s->buf.rows;
    if (rows == 0) return 0;
    ex_sort_run run;
    FL_TRY(ex_sort_run_build(&run, &s->buf, w->keys, w->key_count, s->buf_arena, err));
    for (size_t off = 0; off < rows; off += SORT_WRITE_ROWS) {
        size_t m = rows - off < SORT_WRITE_ROWS ? rows - off : SORT_WRITE_ROWS;
        fl_arena_reset(s->scratch);
        for (uint32_t t = 0; t < w->type_count; t++)
            FL_TRY(ice_column_gather(&s->cols[t], s->buf.cols[t], run.perm + off, m, s->scratch, err));
        FL_TRY(ice_writer_write(s->writer, s->cols, w->type_count, m, err));
    }
    FL_TRY(ice_writer_roll(s->writer, err));
    fl_arena_reset(s->scratch);
    fl_arena_reset(s->buf_arena);
    return ex_rowbuf_init(&s->buf, s->buf_arena, w->buf_types, w->type_count + w->extra_count, err);
}

int ex_table_sink_write(ex_table_sink *s, fl_column *const *cols, size_t n, fl_error *err)
{
    const ex_table_write *w = s->w;
    if (n == 0) return 0;
    if (!w->sorted) return ice_writer_write(s->writer, cols, w->type_count, n, err);
    fl_arena_reset(s->scratch);
    for (uint32_t t = 0; t < w->type_count; t++) s->vecs[t] = (ex_vector){.kind = EX_VECTOR_FLAT, .col = cols[t]};
    FL_TRY(sort_extras(s, cols, n, err));
    FL_TRY(ex_rowbuf_append(&s->buf, s->vecs, NULL, n, err));
    if (s->buf.rows >= EX_TABLE_SORT_RUN_ROWS) FL_TRY(sort_flush(s, err));
    return 0;
}

int ex_table_sink_flush(ex_table_sink *s, fl_error *err)
{
    return s->w->sorted ? sort_flush(s, err) : 0;
}

/* The live files of the partitions of `added` (dynamic partition overwrite):
 * their data files and the delete files scoped to those partitions. */
static int partition_files(const char ***out, size_t *count, ice_table *t,
                           const ice_data_file *added, size_t added_count, fl_arena *arena,
                           fl_error *err)
{
    *out = NULL;
    *count = 0;
    if (t->md->current_snapshot_id < 0 || added_count == 0) return 0;
    ice_scan_plan *plan;
    FL_TRY(ice_scan_plan_new(&plan, t->fs, t->md, NULL, err));
    const char **paths = fl_arena_alloc(arena, (plan->task_count + plan->delete_count + 1) * sizeof(char *));
    if (paths == NULL) {
        ice_scan_plan_free(plan);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < plan->task_count; i++) {
        const ice_data_file *f = &plan->tasks[i].file;
        for (size_t k = 0; k < added_count; k++)
            if (ice_partition_equal(f, &added[k])) {
                paths[n++] = fl_arena_strdup(arena, f->file_path);
                break;
            }
    }
    for (size_t i = 0; i < plan->delete_count; i++) {
        const ice_data_file *f = &plan->deletes[i].file;
        for (size_t k = 0; k < added_count; k++)
            if (ice_partition_equal(f, &added[k])) {
                paths[n++] = fl_arena_strdup(arena, f->file_path);
                break;
            }
    }
    ice_scan_plan_free(plan);
    for (size_t i = 0; i < n; i++)
        if (paths[i] == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *out = paths;
    *count = n;
    return 0;
}

int ex_table_write_commit(ex_table_write *w, bool overwrite, int64_t *rows, fl_error *err)
{
    fl_arena *a = w->ctx->arena;
    *rows = 0;
    size_t total = 0, cap = 16;
    ice_data_file *files = fl_arena_alloc(a, cap * sizeof(*files));
    if (files == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->writer_count; i++) {
        const ice_data_file *f;
        size_t n;
        int frc = ice_writer_finish(w->writers[i], &f, &n, err);
        if (frc < 0) {
            ex_table_write_abort(w);
            return frc;
        }
        *rows += ice_writer_row_count(w->writers[i]);
        if (total + n > cap) {
            size_t ncap = (total + n) * 2;
            ice_data_file *g = fl_arena_realloc(a, files, cap * sizeof(*files), ncap * sizeof(*files));
            if (g == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            files = g;
            cap = ncap;
        }
        if (n > 0) memcpy(files + total, f, n * sizeof(*f));
        total += n;
    }
    int rc;
    if (!overwrite) {
        rc = total ? ice_txn_append(w->table, files, total, NULL, err) : 0;
    } else if (ice_metadata_default_spec(w->table->md) == NULL ||
               ice_metadata_default_spec(w->table->md)->field_count == 0) {
        rc = ice_txn_overwrite_by_filter(w->table, ice_expr_true(), files, total, NULL, NULL, err);
    } else {
        const char **paths;
        size_t n;
        rc = partition_files(&paths, &n, w->table, files, total, a, err);
        if (rc == 0 && (n > 0 || total > 0))
            rc = ice_txn_overwrite_files(w->table, paths, n, files, total, NULL, NULL, err);
    }
    if (rc == FLOE_EUNKNOWN) w->done = true;   /* keep the files: the commit may have happened */
    if (rc < 0) {
        ex_table_write_abort(w);
        return rc;
    }
    w->done = true;
    return 0;
}

/* ---------------------------------------------------------------- COPY */

static const char *option_text(const sql_property *p, fl_arena *arena)
{
    const sql_expr *v = p->value;
    if (v == NULL) return "true";
    if (v->kind == SQL_EXPR_LITERAL) {
        if (v->u.lit.kind == SQL_LIT_BOOL) return v->u.lit.boolean ? "true" : "false";
        if (v->u.lit.kind == SQL_LIT_NULL) return NULL;
        return v->u.lit.text;
    }
    if (v->kind == SQL_EXPR_COLUMN && v->u.column.count == 1) return v->u.column.parts[0].name;
    (void)arena;
    return NULL;
}

static int copy_options(fn_files *f, const sql_property *options, uint32_t n, fl_arena *arena,
                        fl_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *k = options[i].key;
        const char *v = option_text(&options[i], arena);
        if (v == NULL)
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "COPY option \"%s\" needs a constant value", k);
        if (strcasecmp(k, "format") == 0) {
            if (strcasecmp(v, "csv") == 0 || strcasecmp(v, "text") == 0) f->format = FN_FILE_CSV;
            else if (strcasecmp(v, "parquet") == 0) f->format = FN_FILE_PARQUET;
            else return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "COPY format \"%s\" not recognized", v);
        } else if (strcasecmp(k, "delimiter") == 0 || strcasecmp(k, "delim") == 0 ||
                   strcasecmp(k, "sep") == 0) {
            if (strcmp(v, "\\t") == 0) v = "\t";
            if (strlen(v) != 1 || v[0] == '\n' || v[0] == '\r')
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "COPY delimiter must be a single one-byte character");
            f->delimiter = v[0];
        } else if (strcasecmp(k, "header") == 0) {
            if (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0) f->header = true;
            else if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0) f->header = false;
            else return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "COPY header requires a Boolean value");
        } else if (strcasecmp(k, "null") == 0 || strcasecmp(k, "nullstr") == 0) {
            f->null_str = fl_arena_strdup(arena, v);
            if (f->null_str == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        } else if (strcasecmp(k, "quote") == 0) {
            if (strlen(v) > 1)
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "COPY quote must be a single one-byte character");
            f->quote = v[0];
        } else if (strcasecmp(k, "compression") == 0 || strcasecmp(k, "auto_detect") == 0) {
            /* compression is detected from the file name and magic bytes */
        } else {
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "COPY option \"%s\" not recognized", k);
        }
    }
    return 0;
}

typedef struct copy_run {
    ex_ctx *ctx;
    ex_table_write *w;
    const fn_file_scan *scan;
    uint32_t *all_cols;
    ex_table_sink **slot_sinks;  /* per pool worker */
    fl_arena **slot_arenas;      /* per pool worker: its sink's state */
    fl_arena **batch_arenas;     /* per pool worker: one batch read */
    pthread_mutex_t lock;
    atomic_bool failed;
    int rc;
    fl_error err;
} copy_run;

static int copy_morsel(copy_run *r, size_t m, int worker, fl_error *err)
{
    const fn_files *f = &r->scan->files;
    if (r->slot_sinks[worker] == NULL) {
        r->slot_arenas[worker] = fl_arena_new(0);
        r->batch_arenas[worker] = fl_arena_new(0);
        if (r->slot_arenas[worker] == NULL || r->batch_arenas[worker] == NULL)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(ex_table_sink_new(&r->slot_sinks[worker], r->w, r->slot_arenas[worker], err));
    }
    fn_file_reader *rd;
    FL_TRY(fn_file_reader_open(&rd, f, &r->scan->morsels[m], r->all_cols, f->column_count,
                               r->ctx->pool, err));
    fl_column **cols = fl_calloc(f->column_count + 1, sizeof(fl_column *));
    int rc = cols ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    fl_arena *batch = r->batch_arenas[worker];
    while (rc == 0 && !atomic_load(&r->failed)) {
        size_t rows;
        fl_arena_reset(batch);
        if ((rc = fn_file_reader_next(rd, batch, cols, &rows, err)) < 0 || rows == 0) break;
        rc = ex_table_sink_write(r->slot_sinks[worker], cols, rows, err);
        if (rc == 0 && r->ctx->cancel && atomic_load(r->ctx->cancel))
            rc = fl_error_set(err, FLOE_ECANCELED, "canceling statement due to user request");
    }
    fl_free(cols);
    fn_file_reader_free(rd);
    return rc;
}

static void copy_fail(copy_run *r, int rc, const fl_error *err)
{
    pthread_mutex_lock(&r->lock);
    if (r->rc == 0) {
        r->rc = rc;
        r->err = *err;
    }
    pthread_mutex_unlock(&r->lock);
    atomic_store(&r->failed, true);
}

static void copy_task(void *vctx, size_t index, int worker)
{
    copy_run *r = vctx;
    if (atomic_load(&r->failed)) return;
    fl_error err = {0};
    int rc = copy_morsel(r, index, worker, &err);
    if (rc < 0) copy_fail(r, rc, &err);
}

/* Writes a slot's last buffered rows (a sorted table's last run); the
 * slots are flushed in parallel, each by one task. */
static void flush_task(void *vctx, size_t index, int worker)
{
    (void)worker;
    copy_run *r = vctx;
    if (atomic_load(&r->failed) || r->slot_sinks[index] == NULL) return;
    fl_error err = {0};
    int rc = ex_table_sink_flush(r->slot_sinks[index], &err);
    if (rc < 0) copy_fail(r, rc, &err);
}

int ex_copy_from(int64_t *rows, ex_ctx *ctx, const char *ns, const char *table, const char *path,
                 const sql_property *options, uint32_t option_count, fl_error *err)
{
    fl_arena *a = ctx->arena;
    *rows = 0;
    ex_table_write *w;
    FL_TRY(ex_table_write_new(&w, ctx, ns, table, err));
    const ice_schema *schema = ice_metadata_current_schema(w->table->md);
    fn_file_scan *s = fl_arena_calloc(a, sizeof(*s));
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    fn_files *f = &s->files;
    f->fs = ctx->fs;
    f->format = fn_file_format_of(path);
    f->delimiter = ',';
    f->quote = '"';
    f->null_str = "";
    FL_TRY(copy_options(f, options, option_count, a, err));
    f->column_count = w->type_count;
    f->column_types = w->types;
    f->column_names = fl_arena_alloc(a, (w->type_count + 1) * sizeof(char *));
    uint32_t *all = fl_arena_alloc(a, (w->type_count + 1) * sizeof(uint32_t));
    if (f->column_names == NULL || all == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < w->type_count; i++) {
        f->column_names[i] = schema->type->fields[i].name;
        all[i] = i;
    }
    FL_TRY(fn_file_scan_resolve(s, &path, 1, a, err));
    FL_TRY(fn_file_scan_prepare(s, true, a, err));
    int slots = fl_pool_threads(ctx->pool) + 1;
    /* one input file: its writer encodes on several threads instead */
    if (s->morsel_count == 1 && ctx->threads > 1) w->writer_threads = ctx->threads;
    copy_run r;
    memset(&r, 0, sizeof(r));
    r.ctx = ctx;
    r.w = w;
    r.scan = s;
    r.all_cols = all;
    r.slot_sinks = fl_arena_calloc(a, (size_t)slots * sizeof(ex_table_sink *));
    r.slot_arenas = fl_arena_calloc(a, (size_t)slots * sizeof(fl_arena *));
    r.batch_arenas = fl_arena_calloc(a, (size_t)slots * sizeof(fl_arena *));
    if (r.slot_sinks == NULL || r.slot_arenas == NULL || r.batch_arenas == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    pthread_mutex_init(&r.lock, NULL);
    atomic_init(&r.failed, false);
    fl_pool_run(ctx->pool, s->morsel_count, copy_task, &r);
    for (int i = 0; i < slots; i++) {
        fl_arena_free(r.batch_arenas[i]);
        r.batch_arenas[i] = NULL;
    }
    fl_pool_run(ctx->pool, (size_t)slots, flush_task, &r);
    pthread_mutex_destroy(&r.lock);
    for (int i = 0; i < slots; i++) fl_arena_free(r.slot_arenas[i]);
    if (r.rc < 0) {
        *err = r.err;
        fl_error_prefix(err, "COPY %s.%s: ", ns, table);
        ex_table_write_abort(w);
        return r.rc;
    }
    return ex_table_write_commit(w, false, rows, err);
}
