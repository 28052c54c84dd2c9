/*
 * ice_read.c: the table reader (rules in ice_read.h): one scan task at a
 * time, one Parquet batch at a time. For each task the reader works out
 * where every needed field comes from (a file column found by field id,
 * name mapping or name; an identity partition value; an initial-default;
 * NULL), loads the task's deletes (position delete rows for this file,
 * deletion vectors, equality delete sets, the latter cached across tasks
 * since one equality delete file usually covers many data files), then per
 * batch builds the value columns, selects the surviving rows (not deleted,
 * passing the residual filter unless the caller filters) and copies them
 * into the caller's arena, or, for a caller that borrows, hands out the
 * value columns themselves when every row survives (a shallow gather
 * otherwise). ice_reader_next_dict does the same with the Parquet scan's
 * dictionary batches: a column kept as a dictionary is selected by
 * gathering its indices (and flattened only where the reader itself
 * evaluates it: equality delete keys, its own filter). Per-batch scratch
 * (value column array, selection, indexes) is sized once per task and the
 * batch arena's one big block is reused batch after batch, so a batch
 * allocates no fresh memory.
 */
#include "ice_read.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/hashmap.h"
#include "../format/parquet/pq_reader.h"
#include "ice_name_mapping.h"
#include "ice_read_int.h"
#include "ice_writer.h"

#define FIELD_ID_DELETE_FILE_PATH 2147483546
#define FIELD_ID_DELETE_POS 2147483545

typedef struct eqset {
    const ice_scan_delete *del;
    int32_t *ids;
    size_t id_count;
    fl_hashmap keys;
} eqset;

typedef struct need_col {
    int32_t field_id;
    const ice_field *field;       /* NULL when the schema has no such field */
    fl_type type;
    bool passthrough;             /* no fl type (variant): keep the file's column as read */
    bool prune_only;              /* a filter column the caller filters on: not read, only
                                     its file column is looked up for row-group skipping */
    int file_slot;                /* index into the requested file columns, -1 when missing */
    int file_col;                 /* top-level file column, -1 when missing */
    const pq_field *file_field;   /* the file's column, when present */
    const ice_mapped_field *mapped;   /* its name-mapping entry, when files have no ids */
    const fl_value *constant;     /* when missing: partition value or default (NULL: null) */
    bool flat_needed;             /* the reader evaluates it (equality delete key, its own
                                     filter): a dictionary batch is flattened for that */
} need_col;

struct ice_reader {
    io_fs *fs;
    const ice_scan_plan *plan;
    size_t batch_rows;
    bool ignore_deletes;
    bool caller_filters;
    bool borrow_columns;
    bool keep_dictionaries;
    int64_t first_row, end_row;
    int (*open_data_file)(void *ctx, const ice_scan_task *task, pq_file **out, fl_error *err);
    void *open_ctx;
    fl_arena *arena;              /* reader lifetime */
    fl_arena *task_arena;         /* reset per task */
    fl_arena *batch_arena;        /* reset per batch */
    const ice_name_mapping *mapping;
    const ice_field **out_fields;
    size_t *out_need;             /* need index of each output column (set per task) */
    size_t out_count;
    int32_t *filter_ids;
    size_t filter_id_count;
    eqset *eqsets;
    size_t eqset_count;
    /* current task */
    size_t task_idx;
    io_reader *src;
    pq_file *pq;
    bool pq_borrowed;             /* from opts->open_data_file: not ours to free */
    pq_scan *scan;
    need_col *need;
    size_t need_count;
    int *file_cols;
    int file_col_count;
    fl_column **batch_cols;
    fl_dict_column **batch_dicts;  /* per file slot (ice_reader_next_dict) */
    fl_dict_column **vdicts;       /* per need: its dictionary when kept as one */
    /* per-batch scratch, sized for batch_rows, reused across batches */
    fl_column **vals;
    size_t vals_cap;
    uint8_t *sel;
    uint32_t *idx;
    uint8_t *pass;
    int32_t *need_ids;
    eqset **task_eqsets;
    size_t task_eqset_count;
    ice_posset deleted;
    uint64_t row_pos;
    int64_t deleted_rows, filtered_rows;
    int skipped_row_groups;
};

/* ---- paths ---- */

/* "hdfs://host:port/x" and "/x", "file:/x" and "/x" name the same file. */
static bool scheme_prefix(const char *p, size_t n)
{
    if (n == 5 && memcmp(p, "file:", 5) == 0) return true;
    const char *sep = NULL;
    for (size_t i = 0; i + 2 < n; i++)
        if (p[i] == ':' && p[i + 1] == '/' && p[i + 2] == '/') { sep = p + i + 3; break; }
    if (sep == NULL) return false;
    return memchr(sep, '/', n - (size_t)(sep - p)) == NULL;
}

static bool path_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen) return memcmp(a, b, alen) == 0;
    if (alen < blen) {
        const char *t = a; a = b; b = t;
        size_t tl = alen; alen = blen; blen = tl;
    }
    if (blen == 0 || b[0] != '/' || memcmp(a + alen - blen, b, blen) != 0) return false;
    return scheme_prefix(a, alen - blen);
}

/* ---- opening files ---- */

static int open_parquet(io_fs *fs, const char *path, io_reader **src, pq_file **pq, fl_error *err)
{
    *src = NULL;
    *pq = NULL;
    int rc = io_open(fs, path, src, err);
    if (rc < 0) {
        fl_error_prefix(err, "could not open data file \"%s\": ", path);
        return rc;
    }
    if ((rc = pq_file_open(pq, *src, err)) < 0) {
        fl_error_prefix(err, "could not read Parquet file \"%s\": ", path);
        io_reader_close(*src);
        *src = NULL;
    }
    return rc;
}

static const ice_field *schema_field(const ice_schema *schema, int32_t id)
{
    const ice_schema_entry *e = ice_schema_find_id(schema, id);
    return e ? e->field : NULL;
}

/* The top-level column of the file holding field id `id`, or -1. */
static int find_file_column(const pq_file *pq, int32_t id, const char *name,
                            const ice_name_mapping *mapping)
{
    const pq_field *root = pq_file_schema(pq);
    bool any_ids = false;
    for (uint32_t i = 0; i < root->n_children; i++) {
        const pq_field *c = &root->children[i];
        if (c->has_field_id) {
            any_ids = true;
            if (c->field_id == id) return (int)i;
        }
    }
    if (any_ids) return -1;
    if (mapping) {
        for (uint32_t i = 0; i < root->n_children; i++) {
            const ice_mapped_field *mf = ice_name_mapping_find(mapping, root->children[i].name);
            if (mf && mf->has_field_id && mf->field_id == id) return (int)i;
        }
        return -1;
    }
    if (name == NULL) return -1;
    for (uint32_t i = 0; i < root->n_children; i++)
        if (strcmp(root->children[i].name, name) == 0) return (int)i;
    for (uint32_t i = 0; i < root->n_children; i++)
        if (fl_strv_ieq(fl_strv_cstr(root->children[i].name), fl_strv_cstr(name))) return (int)i;
    return -1;
}

/* Reads every batch of the given file columns, calling fn per batch. */
typedef int (*batch_fn)(void *ctx, fl_column **cols, size_t rows, fl_arena *batch, fl_error *err);

static int read_all(pq_file *pq, const int *cols, int n, fl_arena *arena, batch_fn fn, void *ctx,
                    fl_error *err)
{
    pq_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.columns = cols;
    o.n_columns = n;
    pq_scan *scan = NULL;
    fl_column **out = fl_arena_calloc(arena, (size_t)(n ? n : 1) * sizeof(fl_column *));
    if (out == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = pq_scan_new(&scan, pq, &o, err);
    fl_arena *batch = fl_arena_new_child(arena, 0);
    if (rc == 0 && batch == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    while (rc == 0) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = pq_scan_next(scan, batch, out, &rows, err)) < 0 || rows == 0) break;
        rc = fn(ctx, out, rows, batch, err);
    }
    pq_scan_free(scan);
    fl_arena_free(batch);
    return rc;
}

/* ---- position deletes ---- */

typedef struct posdel_ctx {
    const char *data_path;
    size_t data_len;
    ice_posset *out;
} posdel_ctx;

static int posdel_batch(void *vctx, fl_column **cols, size_t rows, fl_arena *batch, fl_error *err)
{
    (void)batch;
    posdel_ctx *ctx = vctx;
    for (size_t r = 0; r < rows; r++) {
        fl_value path, pos;
        fl_column_get(cols[0], r, &path);
        fl_column_get(cols[1], r, &pos);
        if (path.is_null || pos.is_null || !fl_type_is_varlen(path.type)) continue;
        if (!path_equal(path.v.s.ptr, path.v.s.len, ctx->data_path, ctx->data_len)) continue;
        if (pos.v.i64 < 0) return fl_error_set(err, FLOE_ECORRUPT, "position delete has negative position %lld",
                                               (long long)pos.v.i64);
        ice_posset *s = ctx->out;
        if (s->len == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 256;
            uint64_t *p = fl_realloc(s->pos, cap * sizeof(uint64_t));
            if (p == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            s->pos = p;
            s->cap = cap;
        }
        s->pos[s->len++] = (uint64_t)pos.v.i64;
    }
    return 0;
}

static int load_position_deletes(ice_reader *r, const ice_scan_task *task, const ice_scan_delete *d,
                                 fl_error *err)
{
    io_reader *src;
    pq_file *pq;
    FL_TRY(open_parquet(r->fs, d->file.file_path, &src, &pq, err));
    int cols[2] = {find_file_column(pq, FIELD_ID_DELETE_FILE_PATH, "file_path", NULL),
                   find_file_column(pq, FIELD_ID_DELETE_POS, "pos", NULL)};
    int rc;
    if (cols[0] < 0 || cols[1] < 0) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "position delete file \"%s\" has no file_path and pos columns",
                          d->file.file_path);
    } else {
        posdel_ctx ctx = {task->file.file_path, strlen(task->file.file_path), &r->deleted};
        rc = read_all(pq, cols, 2, r->task_arena, posdel_batch, &ctx, err);
        if (rc < 0) fl_error_prefix(err, "could not read position delete file \"%s\": ", d->file.file_path);
    }
    pq_file_free(pq);
    io_reader_close(src);
    return rc;
}

static int load_dv(ice_reader *r, const ice_scan_delete *d, fl_error *err)
{
    const ice_data_file *f = &d->file;
    if (!f->has_content_offset || !f->has_content_size_in_bytes || f->content_offset < 0 ||
        f->content_size_in_bytes < 0 || f->content_size_in_bytes > ((int64_t)1 << 31))
        return fl_error_set(err, FLOE_ECORRUPT, "deletion vector in \"%s\" has no valid content_offset and content_size_in_bytes",
                            f->file_path);
    io_reader *src;
    int rc = io_open(r->fs, f->file_path, &src, err);
    if (rc < 0) {
        fl_error_prefix(err, "could not open deletion vector file \"%s\": ", f->file_path);
        return rc;
    }
    size_t len = (size_t)f->content_size_in_bytes;
    uint8_t head[4], tail[4];
    uint8_t *buf = fl_malloc(len ? len : 1);
    if (buf == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    else if (src->size < 16 || io_read_at(src, 0, head, 4, err) < 0 ||
             io_read_at(src, src->size - 4, tail, 4, err) < 0 || memcmp(head, "PFA1", 4) != 0 ||
             memcmp(tail, "PFA1", 4) != 0)
        rc = fl_error_set(err, FLOE_ECORRUPT,
                          "deletion vector file \"%s\" is not a Puffin file (no PFA1 magic at its start and end; "
                          "a bare deletion vector blob written by an old writer?)", f->file_path);
    else if (f->content_offset < 4)
        rc = fl_error_set(err, FLOE_ECORRUPT, "deletion vector offset %lld lies inside the Puffin header of \"%s\"",
                          (long long)f->content_offset, f->file_path);
    else if ((uint64_t)f->content_offset + len > src->size)
        rc = fl_error_set(err, FLOE_ECORRUPT, "deletion vector at offset %lld length %zu lies outside \"%s\" (%llu bytes)",
                          (long long)f->content_offset, len, f->file_path, (unsigned long long)src->size);
    else if ((rc = io_read_at(src, (uint64_t)f->content_offset, buf, len, err)) == 0) {
        rc = ice_dv_decode(&r->deleted, buf, len, err);
        if (rc < 0) fl_error_prefix(err, "invalid deletion vector in \"%s\" at offset %lld: ", f->file_path,
                                    (long long)f->content_offset);
    }
    fl_free(buf);
    io_reader_close(src);
    return rc;
}

/* ---- equality deletes ---- */

typedef struct eq_ctx {
    eqset *set;
    const ice_schema *schema;
    fl_buf key;
} eq_ctx;

static int eq_batch(void *vctx, fl_column **cols, size_t rows, fl_arena *batch, fl_error *err)
{
    eq_ctx *ctx = vctx;
    eqset *set = ctx->set;
    for (size_t i = 0; i < set->id_count; i++) {
        const ice_field *f = schema_field(ctx->schema, set->ids[i]);
        fl_type t;
        if (f && ice_type_to_fl(&t, f->type, NULL) == 0) FL_TRY(ice_read_convert_column(&cols[i], cols[i], t, batch, err));
    }
    for (size_t r = 0; r < rows; r++) {
        fl_buf_reset(&ctx->key);
        for (size_t i = 0; i < set->id_count; i++)
            if (ice_read_key_append(&ctx->key, cols[i], r) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        uint64_t *v;
        if (fl_hashmap_bytes_upsert(&set->keys, ctx->key.data ? ctx->key.data : "", ctx->key.len, &v) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    return 0;
}

static int build_eqset(ice_reader *r, eqset *set, fl_error *err)
{
    const ice_data_file *f = &set->del->file;
    if (f->equality_id_count == 0)
        return fl_error_set(err, FLOE_ECORRUPT, "equality delete file \"%s\" has no equality_ids", f->file_path);
    io_reader *src;
    pq_file *pq;
    FL_TRY(open_parquet(r->fs, f->file_path, &src, &pq, err));
    int rc = 0;
    int *cols = fl_arena_alloc(r->arena, set->id_count * sizeof(int));
    if (cols == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < set->id_count; i++) {
        const ice_field *sf = schema_field(r->plan->schema, set->ids[i]);
        cols[i] = find_file_column(pq, set->ids[i], sf ? sf->name : NULL, r->mapping);
        if (cols[i] < 0)
            rc = fl_error_set(err, FLOE_ECORRUPT, "equality delete file \"%s\" has no column for field id %d",
                              f->file_path, (int)set->ids[i]);
    }
    if (rc == 0) {
        eq_ctx ctx = {set, r->plan->schema, {0}};
        fl_buf_init(&ctx.key);
        rc = read_all(pq, cols, (int)set->id_count, r->task_arena, eq_batch, &ctx, err);
        fl_buf_dispose(&ctx.key);
        if (rc < 0) fl_error_prefix(err, "could not read equality delete file \"%s\": ", f->file_path);
    }
    pq_file_free(pq);
    io_reader_close(src);
    return rc;
}

static int get_eqset(ice_reader *r, const ice_scan_delete *d, eqset **out, fl_error *err)
{
    for (size_t i = 0; i < r->eqset_count; i++)
        if (r->eqsets[i].del == d) {
            *out = &r->eqsets[i];
            return 0;
        }
    eqset *grown = fl_realloc(r->eqsets, (r->eqset_count + 1) * sizeof(eqset));
    if (grown == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    r->eqsets = grown;
    eqset *set = &r->eqsets[r->eqset_count];
    memset(set, 0, sizeof(*set));
    set->del = d;
    set->ids = d->file.equality_ids;
    set->id_count = d->file.equality_id_count;
    if (fl_hashmap_init(&set->keys, FL_HASHMAP_BYTES, 0) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    r->eqset_count++;
    int rc = build_eqset(r, set, err);
    if (rc < 0) {
        fl_hashmap_dispose(&set->keys);
        r->eqset_count--;
        return rc;
    }
    /* the array may have moved: hand out the final address */
    *out = &r->eqsets[r->eqset_count - 1];
    return 0;
}

/* ---- tasks ---- */

static void close_task(ice_reader *r)
{
    if (r->scan) r->skipped_row_groups += pq_scan_skipped_row_groups(r->scan);
    pq_scan_free(r->scan);
    if (!r->pq_borrowed) pq_file_free(r->pq);
    io_reader_close(r->src);
    r->pq_borrowed = false;
    r->scan = NULL;
    r->pq = NULL;
    r->src = NULL;
    r->deleted.len = 0;
    r->need = NULL;
    r->need_count = 0;
    if (r->task_arena) fl_arena_reset(r->task_arena);
}

/* Adds field id to the task's needed columns (once); prune_only when the
 * reader only looks its file column up for row-group skipping. */
static int add_need(ice_reader *r, int32_t id, bool prune_only, size_t *cap, fl_error *err)
{
    for (size_t i = 0; i < r->need_count; i++)
        if (r->need[i].field_id == id) {
            if (!prune_only) r->need[i].prune_only = false;
            return 0;
        }
    if (r->need_count == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        need_col *g = fl_arena_realloc(r->task_arena, r->need, *cap * sizeof(need_col), nc * sizeof(need_col));
        if (g == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        r->need = g;
        *cap = nc;
    }
    need_col *n = &r->need[r->need_count++];
    memset(n, 0, sizeof(*n));
    n->field_id = id;
    n->field = schema_field(r->plan->schema, id);
    n->prune_only = prune_only;
    n->file_slot = -1;
    n->file_col = -1;
    if (n->field == NULL || !ice_read_fl_type(&n->type, n->field->type)) n->passthrough = true;
    return 0;
}

static const fl_value *identity_value(const ice_scan_task *task, int32_t id)
{
    const ice_partition_spec *spec = task->spec;
    if (spec == NULL) return NULL;
    for (size_t i = 0; i < spec->field_count && i < task->file.partition_count; i++)
        if (spec->fields[i].source_id == id && spec->fields[i].transform.kind == ICE_TRANSFORM_IDENTITY)
            return &task->file.partition[i];
    return NULL;
}

static int load_deletes(ice_reader *r, const ice_scan_task *task, size_t *cap, fl_error *err)
{
    r->task_eqsets = fl_arena_alloc(r->task_arena, (task->delete_count + 1) * sizeof(eqset *));
    r->task_eqset_count = 0;
    if (r->task_eqsets == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (r->ignore_deletes) return 0;
    for (size_t i = 0; i < task->delete_count; i++) {
        const ice_scan_delete *d = task->deletes[i];
        if (d->file.content == ICE_CONTENT_EQUALITY_DELETES) {
            eqset *set = NULL;
            FL_TRY(get_eqset(r, d, &set, err));
            for (size_t k = 0; k < set->id_count; k++) FL_TRY(add_need(r, set->ids[k], false, cap, err));
            r->task_eqsets[r->task_eqset_count++] = (eqset *)(uintptr_t)i;   /* index, fixed below */
        } else if (d->file.file_format && strcmp(d->file.file_format, "PUFFIN") == 0) {
            FL_TRY(load_dv(r, d, err));
        } else {
            FL_TRY(load_position_deletes(r, task, d, err));
        }
    }
    /* resolve eqset pointers now that the cache array no longer moves */
    for (size_t k = 0; k < r->task_eqset_count; k++) {
        const ice_scan_delete *d = task->deletes[(uintptr_t)r->task_eqsets[k]];
        for (size_t i = 0; i < r->eqset_count; i++)
            if (r->eqsets[i].del == d) r->task_eqsets[k] = &r->eqsets[i];
    }
    ice_posset_finish(&r->deleted);
    return 0;
}

/* The filter's top-level AND-ed comparisons on file columns read without
 * conversion, as Parquet row-group predicates (floats excluded: NaN). */
static int row_group_preds(const ice_reader *r, const ice_expr *e, pq_predicate *out, int n, int cap)
{
    if (e->kind == ICE_EXPR_AND) {
        n = row_group_preds(r, e->left, out, n, cap);
        return row_group_preds(r, e->right, out, n, cap);
    }
    if (e->kind != ICE_EXPR_PRED || n >= cap) return n;
    static const struct { ice_pred_op op; int pq; } map[] = {
        {ICE_PRED_EQ, PQ_PRED_EQ}, {ICE_PRED_LT, PQ_PRED_LT}, {ICE_PRED_LT_EQ, PQ_PRED_LE},
        {ICE_PRED_GT, PQ_PRED_GT}, {ICE_PRED_GT_EQ, PQ_PRED_GE}, {ICE_PRED_IS_NULL, PQ_PRED_IS_NULL},
        {ICE_PRED_NOT_NULL, PQ_PRED_NOT_NULL},
    };
    int op = -1;
    for (size_t i = 0; i < FL_ARRAY_SIZE(map); i++)
        if (map[i].op == e->pred.op) op = map[i].pq;
    if (op < 0) return n;
    bool cmp = op != PQ_PRED_IS_NULL && op != PQ_PRED_NOT_NULL;
    if (cmp && (e->pred.value_count != 1 || e->pred.values[0].is_null)) return n;
    for (size_t i = 0; i < r->need_count; i++) {
        const need_col *nc = &r->need[i];
        if (nc->field_id != e->pred.field_id || nc->file_col < 0 || nc->passthrough) continue;
        const pq_field *f = nc->file_field;
        if (fl_type_is_nested(f->type) || !fl_type_eq(f->type, nc->type) || f->type.id == FL_TYPE_FLOAT ||
            f->type.id == FL_TYPE_DOUBLE)
            return n;
        if (cmp && !fl_type_eq(e->pred.values[0].type, f->type)) return n;
        out[n].column = nc->file_col;
        out[n].op = op;
        if (cmp) out[n].value = e->pred.values[0];
        else out[n].value.is_null = true;
        return n + 1;
    }
    return n;
}

/* The task's data file: the caller's (opts->open_data_file, borrowed) or
 * opened here. */
static int open_data(ice_reader *r, const ice_scan_task *task, fl_error *err)
{
    if (r->open_data_file == NULL) return open_parquet(r->fs, task->file.file_path, &r->src, &r->pq, err);
    int rc = r->open_data_file(r->open_ctx, task, &r->pq, err);
    if (rc < 0) return rc;
    if (r->pq == NULL) return fl_error_set(err, FLOE_EINTERNAL, "no Parquet file for \"%s\"", task->file.file_path);
    r->pq_borrowed = true;
    return 0;
}

/* Finds the file column of every needed field and sets up the task's
 * per-batch scratch. */
static int map_columns(ice_reader *r, const ice_scan_task *task, fl_error *err)
{
    r->file_cols = fl_arena_alloc(r->task_arena, (r->need_count + 1) * sizeof(int));
    if (r->file_cols == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    r->file_col_count = 0;
    for (size_t i = 0; i < r->need_count; i++) {
        need_col *n = &r->need[i];
        int c = find_file_column(r->pq, n->field_id, n->field ? n->field->name : NULL, r->mapping);
        n->file_col = c;
        if (c >= 0) {
            n->file_field = &pq_file_schema(r->pq)->children[c];
            n->mapped = r->mapping ? ice_name_mapping_find(r->mapping, n->file_field->name) : NULL;
            if (n->prune_only) continue;
            n->file_slot = r->file_col_count;
            r->file_cols[r->file_col_count++] = c;
        } else {
            n->constant = identity_value(task, n->field_id);
            if (n->constant == NULL && n->field && n->field->has_initial_default)
                n->constant = &n->field->initial_default;
        }
    }
    if (r->file_col_count == 0) r->file_cols[r->file_col_count++] = 0;   /* for the row count */
    r->batch_cols = fl_arena_calloc(r->task_arena, (size_t)r->file_col_count * sizeof(fl_column *));
    r->batch_dicts = fl_arena_calloc(r->task_arena, (size_t)r->file_col_count * sizeof(fl_dict_column *));
    r->vdicts = fl_arena_calloc(r->task_arena, (r->need_count + 1) * sizeof(fl_dict_column *));
    if (r->batch_cols == NULL || r->batch_dicts == NULL || r->vdicts == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->need_count; i++) {
        need_col *nc = &r->need[i];
        for (size_t e = 0; e < r->task_eqset_count; e++)
            for (size_t k = 0; k < r->task_eqsets[e]->id_count; k++)
                if (r->task_eqsets[e]->ids[k] == nc->field_id) nc->flat_needed = true;
        for (size_t k = 0; r->plan->filter && !r->caller_filters && k < r->filter_id_count; k++)
            if (r->filter_ids[k] == nc->field_id) nc->flat_needed = true;
    }
    for (size_t i = 0; i < r->out_count; i++)
        for (size_t k = 0; k < r->need_count; k++)
            if (r->need[k].field_id == r->out_fields[i]->id) {
                r->out_need[i] = k;
                break;
            }
    /* scratch for batches of up to batch_rows rows (larger ones use the batch arena) */
    size_t n = r->batch_rows;
    r->vals = fl_arena_calloc(r->task_arena, (r->need_count + 1) * sizeof(fl_column *));
    r->need_ids = fl_arena_alloc(r->task_arena, (r->need_count + 1) * sizeof(int32_t));
    r->sel = fl_arena_alloc(r->task_arena, n);
    r->pass = fl_arena_alloc(r->task_arena, n);
    r->idx = fl_arena_alloc(r->task_arena, n * sizeof(uint32_t));
    if (r->vals == NULL || r->need_ids == NULL || r->sel == NULL || r->pass == NULL || r->idx == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    r->vals_cap = n;
    for (size_t i = 0; i < r->need_count; i++) r->need_ids[i] = r->need[i].field_id;
    return 0;
}

static int open_task(ice_reader *r, const ice_scan_task *task, fl_error *err)
{
    size_t cap = 0;
    for (size_t i = 0; i < r->out_count; i++) FL_TRY(add_need(r, r->out_fields[i]->id, false, &cap, err));
    for (size_t i = 0; i < r->filter_id_count; i++)
        FL_TRY(add_need(r, r->filter_ids[i], r->caller_filters, &cap, err));
    if (task->file.file_format && strcmp(task->file.file_format, "PARQUET") != 0 &&
        strcmp(task->file.file_format, "parquet") != 0)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "data file \"%s\" has format %s; only Parquet is supported",
                            task->file.file_path, task->file.file_format);
    FL_TRY(load_deletes(r, task, &cap, err));
    FL_TRY(open_data(r, task, err));
    FL_TRY(map_columns(r, task, err));
    pq_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.columns = r->file_cols;
    o.n_columns = r->file_col_count;
    o.batch_rows = r->batch_rows;
    o.first_row = r->first_row;
    o.end_row = r->end_row;
    o.keep_dictionaries = r->keep_dictionaries;
    /* row groups may be skipped only when no row positions matter */
    if (r->plan->filter && r->deleted.len == 0) {
        pq_predicate *preds = fl_arena_calloc(r->task_arena, 32 * sizeof(pq_predicate));
        if (preds == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        o.preds = preds;
        o.n_preds = row_group_preds(r, r->plan->filter, preds, 0, 32);
    }
    int rc = pq_scan_new(&r->scan, r->pq, &o, err);
    if (rc < 0) fl_error_prefix(err, "could not read data file \"%s\": ", task->file.file_path);
    r->row_pos = (uint64_t)r->first_row;
    return rc;
}

/* The child of a file struct holding field `f`: by field id, else by the
 * name mapping's nested fields, else by name. -1 when absent. */
static int struct_child(const pq_field *file, const ice_mapped_field *mapped, const ice_field *f)
{
    bool any_ids = false;
    for (uint32_t i = 0; i < file->n_children; i++) {
        if (!file->children[i].has_field_id) continue;
        any_ids = true;
        if (file->children[i].field_id == f->id) return (int)i;
    }
    if (any_ids) return -1;
    if (mapped && mapped->fields) {
        for (uint32_t i = 0; i < file->n_children; i++) {
            const ice_mapped_field *m = ice_name_mapping_find(mapped->fields, file->children[i].name);
            if (m && m->has_field_id && m->field_id == f->id) return (int)i;
        }
        return -1;
    }
    for (uint32_t i = 0; i < file->n_children; i++)
        if (strcmp(file->children[i].name, f->name) == 0) return (int)i;
    return -1;
}

/* A file struct column projected onto the schema's struct type: children
 * in schema order, found by id (or mapping, or name), converted; missing
 * ones are their initial-default or NULL. Other nested types pass as read. */
static int project_column(fl_column **out, fl_column *src, const pq_field *file, const ice_mapped_field *mapped,
                          const ice_type *t, fl_type ft, fl_arena *arena, fl_error *err)
{
    if (t->id == ICE_TYPE_VARIANT) return ice_read_variant_column(out, src, arena, err);
    if (t->id != ICE_TYPE_STRUCT || src->type.id != FL_TYPE_STRUCT || file == NULL ||
        file->n_children != src->child_count) {
        if (fl_type_is_nested(ft) || fl_type_is_nested(src->type)) {
            *out = src;
            return 0;
        }
        return ice_read_convert_column(out, src, ft, arena, err);
    }
    fl_column *col = fl_column_new(arena, ft, src->len);
    if (col == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    col->len = src->len;
    col->name = src->name;
    if (src->validity) {
        if (fl_column_ensure_validity(col) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        memcpy(col->validity, src->validity, (src->len + 7) / 8);
    }
    for (size_t i = 0; i < t->field_count; i++) {
        const ice_field *f = &t->fields[i];
        fl_type cft;
        fl_column *child;
        if (!ice_read_fl_type(&cft, f->type)) cft = fl_type_make(FL_TYPE_NULL);
        int k = struct_child(file, mapped, f);
        if (k >= 0) {
            const ice_mapped_field *cm = mapped && mapped->fields
                                             ? ice_name_mapping_find(mapped->fields, file->children[k].name) : NULL;
            FL_TRY(project_column(&child, src->children[k], &file->children[k], cm, f->type, cft, arena, err));
        } else {
            FL_TRY(ice_read_const_column(&child, f->type, cft, f->has_initial_default ? &f->initial_default : NULL,
                                         src->len, arena, err));
        }
        child->name = f->name;
        if (fl_column_add_child(col, child) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    *out = col;
    return 0;
}

/* A need whose file column came as a dictionary: kept as one (vdicts[i])
 * when it is returned as read -- a plain STRING/BINARY field of the file's
 * type -- and also flattened into vals[i] (a shallow gather) when the reader
 * evaluates it or must convert it; vals[i] NULL otherwise. */
static int dict_value(ice_reader *r, size_t i, fl_dict_column *d, size_t n, fl_column **val, fl_error *err)
{
    const need_col *nc = &r->need[i];
    if (d->len != n)
        return fl_error_set(err, FLOE_ECORRUPT, "column for field id %d has %zu rows, expected %zu",
                            (int)nc->field_id, d->len, n);
    bool keep = !nc->passthrough && nc->field && ice_type_is_primitive(nc->field->type) &&
                fl_type_eq(nc->type, d->values->type);
    *val = NULL;
    if (keep) r->vdicts[i] = d;
    if (!keep || nc->flat_needed) FL_TRY(ice_column_gather(val, d->values, d->idx, d->len, r->batch_arena, err));
    return 0;
}

/* Value columns for a batch of n rows: vals[i] for need[i] (and vdicts[i]
 * for needs kept as dictionaries, when dicts is set). */
static int batch_values(ice_reader *r, fl_column **vals, bool dicts, size_t n, fl_error *err)
{
    for (size_t i = 0; i < r->need_count; i++) {
        const need_col *nc = &r->need[i];
        if (dicts) r->vdicts[i] = NULL;
        if (nc->prune_only) {
            vals[i] = NULL;
        } else if (nc->file_slot >= 0) {
            fl_column *c = r->batch_cols[nc->file_slot];
            if (dicts && r->batch_dicts[nc->file_slot]) {
                FL_TRY(dict_value(r, i, r->batch_dicts[nc->file_slot], n, &c, err));
                if (r->vdicts[i]) {
                    vals[i] = c;
                    continue;
                }
            }
            if (c->len != n)
                return fl_error_set(err, FLOE_ECORRUPT, "column for field id %d has %zu rows, expected %zu",
                                    (int)nc->field_id, c->len, n);
            if (nc->passthrough) vals[i] = c;
            else if (nc->field && (nc->field->type->id == ICE_TYPE_STRUCT || nc->field->type->id == ICE_TYPE_VARIANT))
                FL_TRY(project_column(&vals[i], c, nc->file_field, nc->mapped, nc->field->type, nc->type,
                                      r->batch_arena, err));
            else FL_TRY(ice_read_convert_column(&vals[i], c, nc->type, r->batch_arena, err));
        } else {
            fl_type t = nc->passthrough ? fl_type_make(FL_TYPE_NULL) : nc->type;
            FL_TRY(ice_read_const_column(&vals[i], nc->field ? nc->field->type : NULL, t, nc->constant, n,
                                         r->batch_arena, err));
        }
    }
    return 0;
}

static int select_rows(ice_reader *r, fl_column **vals, size_t n, uint8_t *sel, fl_error *err)
{
    memset(sel, 1, n);
    if (r->deleted.len > 0)
        for (size_t k = 0; k < n; k++)
            if (ice_posset_contains(&r->deleted, r->row_pos + k)) sel[k] = 0;
    if (r->task_eqset_count > 0) {
        fl_buf key;
        fl_buf_init(&key);
        for (size_t e = 0; e < r->task_eqset_count; e++) {
            const eqset *set = r->task_eqsets[e];
            fl_column *cols[64];
            if (set->id_count > FL_ARRAY_SIZE(cols)) {
                fl_buf_dispose(&key);
                return fl_error_set(err, FLOE_EUNSUPPORTED, "equality deletes on more than 64 columns");
            }
            for (size_t k = 0; k < set->id_count; k++)
                for (size_t i = 0; i < r->need_count; i++)
                    if (r->need[i].field_id == set->ids[k]) cols[k] = vals[i];
            for (size_t row = 0; row < n; row++) {
                if (!sel[row]) continue;
                fl_buf_reset(&key);
                for (size_t k = 0; k < set->id_count; k++)
                    if (ice_read_key_append(&key, cols[k], row) < 0) {
                        fl_buf_dispose(&key);
                        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
                    }
                if (fl_hashmap_bytes_find(&set->keys, key.data ? key.data : "", key.len)) sel[row] = 0;
            }
        }
        fl_buf_dispose(&key);
    }
    size_t kept = 0;
    for (size_t k = 0; k < n; k++) kept += sel[k];
    r->deleted_rows += (int64_t)(n - kept);
    if (r->plan->filter && !r->caller_filters && kept > 0) {
        uint8_t *f = n <= r->vals_cap ? r->pass : fl_arena_alloc(r->batch_arena, n);
        if (f == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(ice_expr_eval_rows(f, r->plan->filter, vals, r->need_ids, r->need_count, n, err));
        for (size_t k = 0; k < n; k++)
            if (sel[k] && !f[k]) {
                sel[k] = 0;
                r->filtered_rows++;
            }
    }
    return 0;
}

/* A kept dictionary's rows idx[0..kept): the same values and id, the
 * surviving rows' indices (in the caller's arena, or the batch arena when
 * borrowing; the Parquet batch's own indices when all survive). */
static int emit_dict(ice_reader *r, const fl_dict_column *d, const uint32_t *idx, size_t kept, size_t n,
                     fl_arena *arena, fl_dict_column **out, fl_error *err)
{
    fl_arena *a = r->borrow_columns ? r->batch_arena : arena;
    fl_dict_column *o = fl_arena_alloc(a, sizeof *o);
    if (o == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *o = *d;
    o->len = kept;
    if (kept < n || !r->borrow_columns) {
        uint32_t *x = fl_arena_alloc(a, (kept ? kept : 1) * sizeof *x);
        if (x == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        if (kept == n) memcpy(x, d->idx, n * sizeof *x);
        else for (size_t k = 0; k < kept; k++) x[k] = d->idx[idx[k]];
        o->idx = x;
    }
    *out = o;
    return 0;
}

/* Hands out rows idx[0..kept) of the batch's value columns (dicts: kept
 * dictionaries as dictionaries). */
static int emit(ice_reader *r, fl_column **vals, const uint32_t *idx, size_t kept, size_t n, fl_arena *arena,
                fl_column **cols, fl_dict_column **dicts, fl_error *err)
{
    for (size_t i = 0; i < r->out_count; i++) {
        if (dicts) {
            dicts[i] = NULL;
            if (r->vdicts[r->out_need[i]]) {
                FL_TRY(emit_dict(r, r->vdicts[r->out_need[i]], idx, kept, n, arena, &dicts[i], err));
                cols[i] = NULL;
                continue;
            }
        }
        fl_column *v = vals[r->out_need[i]];
        if (!r->borrow_columns) FL_TRY(ice_read_take(&cols[i], v, idx, kept, arena, err));
        else if (kept == n) cols[i] = v;
        else FL_TRY(ice_column_gather(&cols[i], v, idx, kept, r->batch_arena, err));
        cols[i]->name = r->out_fields[i]->name;
    }
    return 0;
}

static int reader_next(ice_reader *r, fl_arena *arena, fl_column **cols, fl_dict_column **dicts, size_t *rows,
                       fl_error *err)
{
    *rows = 0;
    for (;;) {
        if (r->scan == NULL) {
            if (r->task_idx >= r->plan->task_count) return 0;
            const ice_scan_task *task = &r->plan->tasks[r->task_idx++];
            int rc = open_task(r, task, err);
            if (rc < 0) {
                close_task(r);
                return rc;
            }
        }
        fl_arena_reset(r->batch_arena);
        size_t n = 0;
        int rc = dicts && r->keep_dictionaries
                     ? pq_scan_next_dict(r->scan, r->batch_arena, r->batch_cols, r->batch_dicts, &n, err)
                     : pq_scan_next(r->scan, r->batch_arena, r->batch_cols, &n, err);
        if (rc < 0) {
            fl_error_prefix(err, "could not read data file \"%s\": ", r->plan->tasks[r->task_idx - 1].file.file_path);
            return rc;
        }
        if (n == 0) {
            close_task(r);
            continue;
        }
        fl_column **vals = r->vals;
        uint8_t *sel = r->sel;
        uint32_t *idx = r->idx;
        if (n > r->vals_cap) {
            sel = fl_arena_alloc(r->batch_arena, n);
            idx = fl_arena_alloc(r->batch_arena, n * sizeof(uint32_t));
            if (sel == NULL || idx == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        FL_TRY(batch_values(r, vals, dicts && r->keep_dictionaries, n, err));
        FL_TRY(select_rows(r, vals, n, sel, err));
        r->row_pos += n;
        size_t kept = 0;
        for (size_t k = 0; k < n; k++) {
            idx[kept] = (uint32_t)k;
            kept += sel[k];
        }
        if (kept == 0) continue;
        FL_TRY(emit(r, vals, idx, kept, n, arena, cols, dicts && r->keep_dictionaries ? dicts : NULL, err));
        if (dicts && !r->keep_dictionaries) memset(dicts, 0, r->out_count * sizeof *dicts);
        *rows = kept;
        return 0;
    }
}

int ice_reader_next(ice_reader *r, fl_arena *arena, fl_column **cols, size_t *rows, fl_error *err)
{
    return reader_next(r, arena, cols, NULL, rows, err);
}

int ice_reader_next_dict(ice_reader *r, fl_arena *arena, fl_column **cols, fl_dict_column **dicts, size_t *rows,
                         fl_error *err)
{
    return reader_next(r, arena, cols, dicts, rows, err);
}

int ice_reader_new(ice_reader **out, io_fs *fs, const ice_scan_plan *plan,
                   const ice_read_opts *opts, fl_error *err)
{
    *out = NULL;
    ice_reader *r = fl_calloc(1, sizeof(*r));
    if (r == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    r->fs = fs;
    r->plan = plan;
    r->batch_rows = opts && opts->batch_rows ? opts->batch_rows : 2048;
    r->ignore_deletes = opts && opts->ignore_deletes;
    if (opts) {
        r->caller_filters = opts->caller_filters;
        r->borrow_columns = opts->borrow_columns;
        r->keep_dictionaries = opts->keep_dictionaries;
        r->first_row = opts->first_row;
        r->end_row = opts->end_row;
        r->open_data_file = opts->open_data_file;
        r->open_ctx = opts->open_ctx;
        if (r->first_row < 0 || r->end_row < 0 || (r->end_row && r->end_row < r->first_row)) {
            fl_free(r);
            return fl_error_set(err, FLOE_EINVAL, "invalid row range [%lld, %lld)", (long long)opts->first_row,
                                (long long)opts->end_row);
        }
    }
    r->arena = fl_arena_new(0);
    r->task_arena = fl_arena_new(0);
    /* one block holds a whole batch (a 2048-row batch of dozens of columns),
     * reused batch after batch instead of malloc'ed afresh */
    r->batch_arena = fl_arena_new(r->batch_rows <= 4096 ? 4u << 20 : 0);
    int rc = 0;
    if (r->arena == NULL || r->task_arena == NULL || r->batch_arena == NULL) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto fail;
    }
    const ice_schema *schema = plan->schema;
    const ice_type *st = schema->type;
    size_t n = opts && opts->field_ids ? opts->field_count : st->field_count;
    r->out_fields = fl_arena_calloc(r->arena, (n ? n : 1) * sizeof(ice_field *));
    r->out_need = fl_arena_calloc(r->arena, (n ? n : 1) * sizeof(size_t));
    if (r->out_fields == NULL || r->out_need == NULL) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        const ice_field *f = opts && opts->field_ids ? ice_type_struct_field(st, opts->field_ids[i]) : &st->fields[i];
        if (f == NULL) {
            rc = fl_error_set(err, FLOE_ENOTFOUND, "field id %d is not a top-level field of schema %d",
                              (int)opts->field_ids[i], (int)schema->schema_id);
            goto fail;
        }
        r->out_fields[i] = f;
    }
    r->out_count = n;
    if (plan->filter) {
        size_t k = ice_expr_field_ids(plan->filter, NULL, 0);
        r->filter_ids = fl_arena_alloc(r->arena, (k ? k : 1) * sizeof(int32_t));
        if (r->filter_ids == NULL) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto fail; }
        r->filter_id_count = ice_expr_field_ids(plan->filter, r->filter_ids, k);
    }
    const char *nm = ice_metadata_property(plan->md, ICE_NAME_MAPPING_PROPERTY);
    if (nm) {
        ice_name_mapping *m;
        if ((rc = ice_name_mapping_parse(&m, nm, strlen(nm), r->arena, err)) < 0) {
            fl_error_prefix(err, "invalid table property %s: ", ICE_NAME_MAPPING_PROPERTY);
            goto fail;
        }
        r->mapping = m;
    }
    *out = r;
    return 0;
fail:
    ice_reader_free(r);
    return rc;
}

size_t ice_reader_column_count(const ice_reader *r) { return r->out_count; }
const ice_field *ice_reader_column_field(const ice_reader *r, size_t i) { return r->out_fields[i]; }
int64_t ice_reader_deleted_rows(const ice_reader *r) { return r->deleted_rows; }
int64_t ice_reader_filtered_rows(const ice_reader *r) { return r->filtered_rows; }
int ice_reader_skipped_row_groups(const ice_reader *r) { return r->skipped_row_groups; }

void ice_reader_free(ice_reader *r)
{
    if (r == NULL) return;
    close_task(r);
    for (size_t i = 0; i < r->eqset_count; i++) fl_hashmap_dispose(&r->eqsets[i].keys);
    fl_free(r->eqsets);
    ice_posset_dispose(&r->deleted);
    fl_arena_free(r->batch_arena);
    fl_arena_free(r->task_arena);
    fl_arena_free(r->arena);
    fl_free(r);
}
