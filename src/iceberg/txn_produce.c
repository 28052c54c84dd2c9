/*
 * txn_produce.c: the snapshot producer behind overwrite, delete, rewrite
 * and row delta (Iceberg Java's MergingSnapshotProducer with its
 * ManifestFilterManager, without manifest merging): new data and delete
 * manifests for the added files (written once, shared by every attempt);
 * per attempt, the parent's manifests filtered (a manifest holding a
 * removed file is rewritten with that entry DELETED and its other live
 * entries EXISTING; the others are carried over), conflict validation
 * against the snapshots committed since the starting snapshot, the
 * manifest list, the summary and the new snapshot. The rules are in
 * ice_txn.h.
 *
 * A failed validation must not be retried by the commit protocol (it would
 * fail again), so the apply callback reports it as FLOE_EINVAL with a flag
 * set, and ice_produce_commit turns it into a final FLOE_ECONFLICT once the
 * protocol has deleted the attempt's files.
 */
#include "ice_txn_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/hashmap.h"
#include "../base/strutil.h"
#include "../base/uuid.h"
#include "ice_read.h"
#include "ice_scan.h"
#include "ice_scan_int.h"
#include "ice_value.h"

typedef struct removed_file {
    ice_data_file file;
    int64_t data_seq;
} removed_file;

typedef struct produce_ctx {
    const ice_produce *p;
    bool serializable;
    bool has_start;                 /* the starting table had a snapshot */
    int64_t start_id;
    const ice_expr *filter;         /* NOT-free */
    const ice_expr *conflict;       /* NOT-free; NULL: all rows */
    int64_t snapshot_id;
    fl_arena *arena;                /* the whole operation */
    bool have_new;                  /* new manifests written */
    ice_manifest_file new_manifests[2];
    size_t new_count;
    /* per attempt */
    fl_arena *att;
    fl_hashmap removed_paths;       /* path -> 1 */
    removed_file *removed;
    size_t removed_count, removed_cap;
    fl_hashmap referenced_live;     /* referenced path -> 1 when live */
    bool validation_failed;
    int manifest_seq;
} produce_ctx;

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

/* A validation failure: final conflict (see the header comment). */
static int conflict(produce_ctx *c, fl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int conflict(produce_ctx *c, fl_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fl_error_setv(err, FLOE_EINVAL, fmt, ap);
    va_end(ap);
    c->validation_failed = true;
    return FLOE_EINVAL;
}

/* "(1 >= 10)" or "true": the filter's text for messages. */
static const char *expr_text(const ice_expr *e, char *buf, size_t cap)
{
    fl_buf b;
    fl_buf_init(&b);
    if (e == NULL) fl_buf_append_str(&b, "true");
    else ice_expr_format(&b, e);
    snprintf(buf, cap, "%.*s", (int)b.len, b.data ? (const char *)b.data : "");
    fl_buf_dispose(&b);
    return buf;
}

/* ---- matching files against expressions ---- */

/* Might a row of file match e (NULL: yes)? Partition (inclusive) and, for
 * data files, column metrics: the scan's pruning rules. */
static int might_match(bool *out, const ice_expr *e, const ice_data_file *file,
                       const ice_metadata *md, const ice_schema *schema, fl_arena *scratch,
                       fl_error *err)
{
    return ice_scan_file_might_match(out, e, file, md, schema, NULL, file->content == ICE_CONTENT_DATA,
                                     scratch, err);
}

/* Does every row of the file's partition match e (strict projection)? */
static int strict_partition(bool *out, const ice_expr *e, const ice_data_file *file,
                            const ice_partition_spec *spec, const ice_schema *schema,
                            fl_arena *scratch, fl_error *err)
{
    bool l, r;
    switch (e->kind) {
    case ICE_EXPR_TRUE: *out = true; return 0;
    case ICE_EXPR_FALSE: *out = false; return 0;
    case ICE_EXPR_AND:
        FL_TRY(strict_partition(&l, e->left, file, spec, schema, scratch, err));
        if (l) FL_TRY(strict_partition(&r, e->right, file, spec, schema, scratch, err));
        *out = l && r;
        return 0;
    case ICE_EXPR_OR:
        FL_TRY(strict_partition(&l, e->left, file, spec, schema, scratch, err));
        if (!l) FL_TRY(strict_partition(&r, e->right, file, spec, schema, scratch, err));
        *out = l || r;
        return 0;
    case ICE_EXPR_NOT: *out = false; return 0;   /* filters are NOT-free here */
    case ICE_EXPR_PRED: break;
    }
    *out = false;
    const ice_schema_entry *src = ice_schema_find_id(schema, e->pred.field_id);
    if (src == NULL) return 0;
    for (size_t i = 0; i < spec->field_count && i < file->partition_count; i++) {
        const ice_partition_field *pf = &spec->fields[i];
        if (pf->source_id != e->pred.field_id) continue;
        ice_pred proj;
        FL_TRY(ice_project_strict(&proj, &e->pred, pf, src->field->type, scratch, err));
        if (proj.op != ICE_PRED_FALSE && ice_pred_test(&proj, &file->partition[i])) {
            *out = true;
            return 0;
        }
    }
    return 0;
}

/* Do the metrics prove that every row of the data file satisfies one
 * predicate (Java's StrictMetricsEvaluator, without floats)? */
static bool strict_pred(const ice_pred *pred, const ice_type *t, const ice_data_file *f,
                        const ice_schema *schema)
{
    int64_t values, nulls;
    int32_t id = pred->field_id;
    if (!ice_field_count_get(f->value_counts, f->value_count_count, id, &values) ||
        !ice_field_count_get(f->null_value_counts, f->null_value_count_count, id, &nulls))
        return false;
    if (pred->op == ICE_PRED_IS_NULL) return nulls == values;
    if (pred->op == ICE_PRED_NOT_NULL) return nulls == 0;
    if (nulls != 0 || t == NULL || t->id == ICE_TYPE_FLOAT || t->id == ICE_TYPE_DOUBLE) return false;
    fl_value lo, hi;
    bool has_lo = false, has_hi = false, ok;
    if (ice_data_file_bound(&lo, &has_lo, f, schema, id, false, NULL) < 0 ||
        ice_data_file_bound(&hi, &has_hi, f, schema, id, true, NULL) < 0 || !has_lo || !has_hi)
        return false;
    if (pred->op == ICE_PRED_IN) {
        int c = ice_value_cmp_loose(&lo, &hi, &ok);
        return ok && c == 0 && ice_pred_test(pred, &lo);
    }
    if (pred->value_count < 1 || pred->values[0].is_null) return false;
    const fl_value *v = &pred->values[0];
    int cl = ice_value_cmp_loose(&lo, v, &ok);
    if (!ok) return false;
    int ch = ice_value_cmp_loose(&hi, v, &ok);
    if (!ok) return false;
    switch (pred->op) {
    case ICE_PRED_LT: return ch < 0;
    case ICE_PRED_LT_EQ: return ch <= 0;
    case ICE_PRED_GT: return cl > 0;
    case ICE_PRED_GT_EQ: return cl >= 0;
    case ICE_PRED_EQ: return cl == 0 && ch == 0;
    case ICE_PRED_NOT_EQ: return cl > 0 || ch < 0;
    default: return false;
    }
}

/* Strict evaluation of a NOT-free expression on a data file's metrics. */
static bool strict_metrics(const ice_expr *e, const ice_data_file *f, const ice_schema *schema)
{
    switch (e->kind) {
    case ICE_EXPR_TRUE: return true;
    case ICE_EXPR_FALSE: return false;
    case ICE_EXPR_AND: return strict_metrics(e->left, f, schema) && strict_metrics(e->right, f, schema);
    case ICE_EXPR_OR: return strict_metrics(e->left, f, schema) || strict_metrics(e->right, f, schema);
    case ICE_EXPR_NOT: return false;
    case ICE_EXPR_PRED: return strict_pred(&e->pred, e->type, f, schema);
    }
    return false;
}

/* Reads the data file's rows (deletes ignored) and counts those matching e. */
static int count_matching_rows(int64_t *matched, int64_t *total, const ice_expr *e,
                               const ice_data_file *file, io_fs *fs, const ice_metadata *md,
                               const ice_schema *schema, fl_error *err)
{
    int32_t ids[64];
    size_t n = ice_expr_field_ids(e, ids, 64);
    if (n > 64) return fl_error_set(err, FLOE_EUNSUPPORTED, "filter refers to more than 64 columns");
    for (size_t i = 0; i < n; i++) {
        const ice_schema_entry *en = ice_schema_find_id(schema, ids[i]);
        if (en == NULL || en->parent_id != -1)
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "cannot check the rows of \"%s\" against a filter on nested field %d",
                                file->file_path, (int)ids[i]);
    }
    fl_arena *a = fl_arena_new(0);
    if (a == NULL) return oom(err);
    ice_scan_task task = {.file = *file, .spec = ice_metadata_spec(md, file->spec_id)};
    ice_scan_plan plan = {.arena = a, .md = md, .snapshot = ice_metadata_current_snapshot(md),
                          .schema = schema, .tasks = &task, .task_count = 1};
    ice_read_opts ro = {.field_ids = ids, .field_count = n, .ignore_deletes = true};
    ice_reader *r = NULL;
    fl_arena *batch = fl_arena_new(0);
    int rc = batch ? ice_reader_new(&r, fs, &plan, &ro, err) : oom(err);
    *matched = *total = 0;
    while (rc == 0) {
        fl_column *cols[64];
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = ice_reader_next(r, batch, cols, &rows, err)) < 0 || rows == 0) break;
        uint8_t *sel = fl_arena_alloc(batch, rows);
        if (sel == NULL) {
            rc = oom(err);
            break;
        }
        if ((rc = ice_expr_eval_rows(sel, e, cols, ids, n, rows, err)) < 0) break;
        for (size_t i = 0; i < rows; i++) *matched += sel[i];
        *total += (int64_t)rows;
    }
    ice_reader_free(r);
    fl_arena_free(batch);
    fl_arena_free(a);
    return rc;
}

/* Should a live file be removed by the filter? Data files: yes when all
 * their rows match, no when none may, FLOE_EINVAL when some do. Delete
 * files: when their partition lies wholly inside the filter. */
static int filter_removes(bool *out, produce_ctx *c, const ice_table *t, const ice_data_file *file,
                          fl_arena *scratch, fl_error *err)
{
    const ice_metadata *md = t->md;
    const ice_schema *schema = ice_metadata_current_schema(md);
    *out = c->filter->kind == ICE_EXPR_TRUE;   /* overwrite everything */
    if (*out || c->filter->kind == ICE_EXPR_FALSE) return 0;
    bool may;
    FL_TRY(might_match(&may, c->filter, file, md, schema, scratch, err));
    if (!may) return 0;
    const ice_partition_spec *spec = ice_metadata_spec(md, file->spec_id);
    if (spec && spec->field_count > 0 && spec->field_count == file->partition_count) {
        FL_TRY(strict_partition(out, c->filter, file, spec, schema, scratch, err));
        if (*out) return 0;
    }
    if (file->content != ICE_CONTENT_DATA) return 0;
    if (file->record_count > 0 && strict_metrics(c->filter, file, schema)) {
        *out = true;
        return 0;
    }
    int64_t matched = 0, total = 0;
    FL_TRY(count_matching_rows(&matched, &total, c->filter, file, t->fs, md, schema, err));
    if (matched == total && total > 0) *out = true;
    else if (matched > 0) {
        char text[256];
        return fl_error_set(err, FLOE_EINVAL,
                            "cannot delete file where some, but not all, rows match filter %s: %s",
                            expr_text(c->filter, text, sizeof(text)), file->file_path);
    }
    return 0;
}

/* ---- manifests ---- */

/* Writes the manifest of the added data (content DATA) or delete files. */
static int write_new_manifest(produce_ctx *c, const ice_table *t, const ice_data_file *files,
                              size_t count, bool deletes, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    ice_manifest_writer_opts o = {
        .format_version = md->format_version,
        .content = deletes ? ICE_MANIFEST_DELETES : ICE_MANIFEST_DATA,
        .schema = ice_metadata_current_schema(md),
        .spec = ice_metadata_default_spec(md),
        .snapshot_id = c->snapshot_id,
    };
    char loc[4096];
    FL_TRY(ice_txn_file_location(loc, sizeof(loc), md->location, c->snapshot_id, 0, (size_t)c->manifest_seq++,
                                 false, err));
    ice_manifest_writer *w = NULL;
    FL_TRY(ice_manifest_writer_open(&w, t->fs, loc, &o, err));
    for (size_t i = 0; i < count; i++) {
        const ice_data_file *f = &files[i];
        int rc = 0;
        if ((f->content == ICE_CONTENT_DATA) == deletes)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot add \"%s\" as a %s file: its content is %s",
                              f->file_path, deletes ? "delete" : "data", ice_file_content_name(f->content));
        else if (f->spec_id != o.spec->spec_id)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot add \"%s\": partition spec %d is not the default spec %d",
                              f->file_path, (int)f->spec_id, (int)o.spec->spec_id);
        if (rc == 0) rc = ice_manifest_writer_add(w, f, err);
        if (rc < 0) {
            ice_manifest_writer_abort(w);
            return rc;
        }
    }
    FL_TRY(ice_manifest_writer_close(w, &c->new_manifests[c->new_count], c->arena, err));
    c->new_count++;
    return ice_written_add(written, loc, -1, err);
}

static int remember_removed(produce_ctx *c, const ice_manifest_entry *e, fl_error *err)
{
    if (c->removed_count == c->removed_cap) {
        size_t cap = c->removed_cap ? c->removed_cap * 2 : 16;
        removed_file *r = fl_arena_realloc(c->att, c->removed, c->removed_cap * sizeof(*r), cap * sizeof(*r));
        if (r == NULL) return oom(err);
        c->removed = r;
        c->removed_cap = cap;
    }
    removed_file *r = &c->removed[c->removed_count];
    FL_TRY(ice_data_file_copy(&r->file, &e->file, c->att, err));
    r->data_seq = e->sequence_number;
    c->removed_count++;
    if (fl_hashmap_bytes_put(&c->removed_paths, e->file.file_path, strlen(e->file.file_path), 1) < 0)
        return oom(err);
    return 0;
}

static bool path_in(const fl_hashmap *m, const char *path)
{
    return fl_hashmap_bytes_find(m, path, strlen(path)) != NULL;
}

/* Pass 1 over a manifest: marks removed entries and live referenced
 * files; *touched when the manifest must be rewritten. */
static int scan_manifest(produce_ctx *c, const ice_table *t, const ice_manifest_file *mf,
                         const fl_hashmap *wanted, bool *touched, fl_arena *scratch, fl_error *err)
{
    *touched = false;
    ice_manifest_reader *r = NULL;
    FL_TRY(ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, t->md, err));
    int rc;
    for (;;) {
        const ice_manifest_entry *e;
        if ((rc = ice_manifest_reader_next(r, &e, err)) <= 0) break;
        if (e->status == ICE_ENTRY_DELETED) continue;
        const char *path = e->file.file_path;
        if (e->file.content == ICE_CONTENT_DATA && c->p->referenced_count > 0 &&
            path_in(&c->referenced_live, path)) {
            if ((rc = fl_hashmap_bytes_put(&c->referenced_live, path, strlen(path), 1)) < 0) {
                rc = oom(err);
                break;
            }
        }
        bool remove = path_in(wanted, path);
        if (!remove && c->filter != NULL) {
            fl_arena_reset(scratch);
            if ((rc = filter_removes(&remove, c, t, &e->file, scratch, err)) < 0) break;
        }
        if (remove && path_in(&c->removed_paths, path)) remove = false;   /* listed twice */
        if (remove) {
            if ((rc = remember_removed(c, e, err)) < 0) break;
            *touched = true;
        }
    }
    ice_manifest_reader_free(r);
    return rc < 0 ? rc : 0;
}

/* Pass 2: writes the manifest again with the removed entries DELETED. */
static int rewrite_manifest(produce_ctx *c, const ice_table *t, const ice_manifest_file *mf,
                            int attempt, ice_manifest_file *out, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    ice_manifest_reader *r = NULL;
    ice_manifest_writer *w = NULL;
    FL_TRY(ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, md, err));
    ice_manifest_writer_opts o = {
        .format_version = md->format_version,
        .content = mf->content,
        .schema = ice_metadata_current_schema(md),
        .spec = ice_manifest_reader_spec(r),
        .snapshot_id = c->snapshot_id,
    };
    char loc[4096];
    int rc = o.spec ? 0 : fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has no partition spec",
                                       mf->manifest_path);
    if (rc == 0)
        rc = ice_txn_file_location(loc, sizeof(loc), md->location, c->snapshot_id, 0, (size_t)c->manifest_seq++,
                                   false, err);
    if (rc == 0) rc = ice_manifest_writer_open(&w, t->fs, loc, &o, err);
    if (rc == 0 && (rc = ice_written_add(written, loc, attempt, err)) < 0) {
        ice_manifest_writer_abort(w);
        w = NULL;
    }
    while (rc == 0) {
        const ice_manifest_entry *e;
        int more = ice_manifest_reader_next(r, &e, err);
        if (more <= 0) {
            rc = more;
            break;
        }
        if (e->status == ICE_ENTRY_DELETED) continue;   /* older deletes are dropped, as Java does */
        if (path_in(&c->removed_paths, e->file.file_path))
            rc = ice_manifest_writer_delete(w, &e->file, e->sequence_number, e->file_sequence_number, err);
        else
            rc = ice_manifest_writer_existing(w, &e->file, e->snapshot_id, e->sequence_number,
                                              e->file_sequence_number, err);
    }
    ice_manifest_reader_free(r);
    if (w == NULL) return rc;
    if (rc < 0) {
        ice_manifest_writer_abort(w);
        return rc;
    }
    return ice_manifest_writer_close(w, out, c->att, err);
}

/* ---- validation against the snapshots committed since the start ---- */

static bool delete_applies(const ice_data_file *del, const removed_file *data)
{
    if (del->referenced_data_file != NULL)
        return strcmp(del->referenced_data_file, data->file.file_path) == 0;
    if (del->content == ICE_CONTENT_EQUALITY_DELETES && del->partition_count == 0) return true;
    return ice_partition_equal(del, &data->file);
}

static int check_entry(produce_ctx *c, const ice_table *t, const ice_snapshot *s,
                       const ice_manifest_entry *e, fl_arena *scratch, fl_error *err)
{
    const ice_metadata *md = t->md;
    const ice_schema *schema = ice_metadata_current_schema(md);
    const ice_data_file *f = &e->file;
    const char *op = s->operation ? s->operation : "";
    char text[256];
    bool m;
    if (e->status == ICE_ENTRY_ADDED && f->content == ICE_CONTENT_DATA) {
        if (c->serializable && c->p->serializable_added_data &&
            (strcmp(op, "append") == 0 || strcmp(op, "overwrite") == 0)) {
            FL_TRY(might_match(&m, c->conflict, f, md, schema, scratch, err));
            if (m)
                return conflict(c, err, "found conflicting files that can contain records matching %s: %s",
                                expr_text(c->conflict, text, sizeof(text)), f->file_path);
        }
    } else if (e->status == ICE_ENTRY_ADDED) {
        if (c->p->check_new_deletes_for_removed) {
            for (size_t i = 0; i < c->removed_count; i++) {
                if (c->removed[i].file.content == ICE_CONTENT_DATA && delete_applies(f, &c->removed[i]))
                    return conflict(c, err, "cannot commit, found new delete for replaced data file %s: %s",
                                    c->removed[i].file.file_path, f->file_path);
            }
        }
        if (c->serializable && c->p->serializable_added_deletes) {
            FL_TRY(might_match(&m, c->conflict, f, md, schema, scratch, err));
            if (m)
                return conflict(c, err, "found new conflicting delete files that can apply to records matching %s: %s",
                                expr_text(c->conflict, text, sizeof(text)), f->file_path);
        }
    } else if (e->status == ICE_ENTRY_DELETED && f->content == ICE_CONTENT_DATA &&
               c->p->check_deleted_matching) {
        FL_TRY(might_match(&m, c->filter, f, md, schema, scratch, err));
        if (m)
            return conflict(c, err, "found conflicting deleted files that can contain records matching %s: %s",
                            expr_text(c->filter, text, sizeof(text)), f->file_path);
    }
    return 0;
}

/* The files snapshot s itself added or deleted, checked one by one. */
static int check_snapshot(produce_ctx *c, const ice_table *t, const ice_snapshot *s,
                          fl_error *err)
{
    ice_manifest_list *list = NULL;
    FL_TRY(ice_snapshot_manifests(&list, t->fs, t->md, s, err));
    fl_arena *scratch = fl_arena_new(0);
    int rc = scratch ? 0 : oom(err);
    for (size_t i = 0; rc == 0 && i < list->count; i++) {
        const ice_manifest_file *mf = &list->files[i];
        if (mf->added_snapshot_id != s->snapshot_id) continue;
        ice_manifest_reader *r = NULL;
        if ((rc = ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, t->md, err)) < 0) break;
        for (;;) {
            const ice_manifest_entry *e;
            if ((rc = ice_manifest_reader_next(r, &e, err)) <= 0) break;
            if (e->status == ICE_ENTRY_EXISTING || e->snapshot_id != s->snapshot_id) continue;
            fl_arena_reset(scratch);
            if ((rc = check_entry(c, t, s, e, scratch, err)) < 0) break;
        }
        ice_manifest_reader_free(r);
    }
    fl_arena_free(scratch);
    ice_manifest_list_free(list);
    return rc < 0 ? rc : 0;
}

static int validate_since_start(produce_ctx *c, const ice_table *t, const ice_snapshot *parent,
                                fl_error *err)
{
    const ice_metadata *md = t->md;
    if (parent != NULL && c->has_start && parent->snapshot_id == c->start_id) return 0;
    if (parent == NULL && !c->has_start) return 0;
    /* newest first, back to the start */
    const ice_snapshot *s = parent;
    while (s != NULL && !(c->has_start && s->snapshot_id == c->start_id)) {
        FL_TRY(check_snapshot(c, t, s, err));
        s = s->has_parent ? ice_metadata_snapshot(md, s->parent_id) : NULL;
    }
    if (c->has_start && s == NULL)
        return conflict(c, err, "cannot commit %s: starting snapshot %" PRId64 " is no longer an ancestor of the current snapshot",
                        c->p->what, c->start_id);
    return 0;
}

/* ---- summary ---- */

typedef struct counts {
    int64_t added_data, deleted_data, added_deletes, added_eq_files, removed_eq_files,
        added_pos_files, removed_pos_files, removed_deletes, added_records, deleted_records,
        added_size, removed_size, added_pos, removed_pos, added_eq, removed_eq, partitions;
} counts;

static void count_file(counts *k, const ice_data_file *f, bool added)
{
    if (added) k->added_size += f->file_size_in_bytes;
    else k->removed_size += f->file_size_in_bytes;
    switch (f->content) {
    case ICE_CONTENT_DATA:
        if (added) k->added_data++, k->added_records += f->record_count;
        else k->deleted_data++, k->deleted_records += f->record_count;
        break;
    case ICE_CONTENT_POSITION_DELETES:
        if (added) k->added_deletes++, k->added_pos_files++, k->added_pos += f->record_count;
        else k->removed_deletes++, k->removed_pos_files++, k->removed_pos += f->record_count;
        break;
    case ICE_CONTENT_EQUALITY_DELETES:
        if (added) k->added_deletes++, k->added_eq_files++, k->added_eq += f->record_count;
        else k->removed_deletes++, k->removed_eq_files++, k->removed_eq += f->record_count;
        break;
    }
}

/* Spec id and partition values as bytes (for counting partitions). */
static int partition_key(fl_buf *b, const ice_data_file *f)
{
    fl_buf_reset(b);
    int rc = fl_buf_append(b, &f->spec_id, sizeof(f->spec_id));
    for (size_t i = 0; rc == 0 && i < f->partition_count; i++) {
        const fl_value *v = &f->partition[i];
        uint8_t tag = v->is_null ? 0 : 1;
        rc = fl_buf_append(b, &tag, 1);
        if (rc < 0 || v->is_null) continue;
        if (fl_type_is_varlen(v->type)) {
            uint32_t len = v->v.s.len;
            rc = fl_buf_append(b, &len, sizeof(len));
            if (rc == 0 && len) rc = fl_buf_append(b, v->v.s.ptr, len);
        } else if (v->type.id == FL_TYPE_DECIMAL && fl_decimal_is_wide(v->type)) {
            rc = fl_buf_append(b, &v->v.i128, sizeof(v->v.i128));
        } else if (v->type.id == FL_TYPE_BOOL) {
            rc = fl_buf_append_byte(b, v->v.b ? 1 : 0);
        } else {
            rc = fl_buf_append(b, &v->v.i64, sizeof(v->v.i64));
        }
    }
    return rc;
}

static int count_all(counts *k, const produce_ctx *c, fl_error *err)
{
    memset(k, 0, sizeof(*k));
    fl_hashmap parts;
    fl_buf key;
    fl_buf_init(&key);
    if (fl_hashmap_init(&parts, FL_HASHMAP_BYTES, 16) < 0) return oom(err);
    int rc = 0;
    const ice_produce *p = c->p;
    size_t total = p->add_data_count + p->add_delete_count + c->removed_count;
    for (size_t i = 0; rc == 0 && i < total; i++) {
        const ice_data_file *f;
        bool added = true;
        if (i < p->add_data_count) f = &p->add_data[i];
        else if (i < p->add_data_count + p->add_delete_count) f = &p->add_deletes[i - p->add_data_count];
        else f = &c->removed[i - p->add_data_count - p->add_delete_count].file, added = false;
        count_file(k, f, added);
        if (partition_key(&key, f) < 0 || fl_hashmap_bytes_put(&parts, key.data, key.len, 1) < 0)
            rc = oom(err);
    }
    k->partitions = (int64_t)fl_hashmap_len(&parts);
    fl_hashmap_dispose(&parts);
    fl_buf_dispose(&key);
    return rc;
}

static bool parent_total(const ice_snapshot *s, const char *key, int64_t *out)
{
    *out = 0;
    if (s == NULL) return true;
    for (size_t i = 0; i < s->summary_count; i++) {
        if (strcmp(s->summary[i].key, key) != 0) continue;
        fl_error ignored;
        return fl_parse_i64(out, s->summary[i].value, strlen(s->summary[i].value), &ignored) == 0;
    }
    return false;
}

static int put_if(json_t *s, bool cond, const char *key, int64_t v)
{
    if (!cond) return 0;
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return json_object_set_new(s, key, json_string(buf));
}

static const char *operation_of(const produce_ctx *c, const counts *k)
{
    if (c->p->operation) return c->p->operation;
    bool adds_data = k->added_data > 0, adds_deletes = k->added_deletes > 0;
    if (adds_data && !adds_deletes && k->deleted_data == 0) return "append";
    if (adds_deletes && !adds_data) return "delete";
    return "overwrite";
}

/* Java's SnapshotSummary.Builder keys and order. */
static json_t *build_summary(const produce_ctx *c, const counts *k, const ice_snapshot *parent)
{
    json_t *s = json_object();
    if (s == NULL) return NULL;
    int rc = json_object_set_new(s, "operation", json_string(operation_of(c, k)));
    rc |= put_if(s, k->added_data > 0, "added-data-files", k->added_data);
    rc |= put_if(s, k->deleted_data > 0, "deleted-data-files", k->deleted_data);
    rc |= put_if(s, k->added_deletes > 0, "added-delete-files", k->added_deletes);
    rc |= put_if(s, k->added_eq_files > 0, "added-equality-delete-files", k->added_eq_files);
    rc |= put_if(s, k->removed_eq_files > 0, "removed-equality-delete-files", k->removed_eq_files);
    rc |= put_if(s, k->added_pos_files > 0, "added-position-delete-files", k->added_pos_files);
    rc |= put_if(s, k->removed_pos_files > 0, "removed-position-delete-files", k->removed_pos_files);
    rc |= put_if(s, k->removed_deletes > 0, "removed-delete-files", k->removed_deletes);
    rc |= put_if(s, k->added_records > 0, "added-records", k->added_records);
    rc |= put_if(s, k->deleted_records > 0, "deleted-records", k->deleted_records);
    rc |= put_if(s, k->added_size > 0, "added-files-size", k->added_size);
    rc |= put_if(s, k->removed_size > 0, "removed-files-size", k->removed_size);
    rc |= put_if(s, k->added_pos > 0, "added-position-deletes", k->added_pos);
    rc |= put_if(s, k->removed_pos > 0, "removed-position-deletes", k->removed_pos);
    rc |= put_if(s, k->added_eq > 0, "added-equality-deletes", k->added_eq);
    rc |= put_if(s, k->removed_eq > 0, "removed-equality-deletes", k->removed_eq);
    rc |= put_if(s, true, "changed-partition-count", k->partitions);
    static const char *const keys[] = {"total-records", "total-files-size", "total-data-files",
                                       "total-delete-files", "total-position-deletes",
                                       "total-equality-deletes"};
    const int64_t delta[] = {k->added_records - k->deleted_records, k->added_size - k->removed_size,
                             k->added_data - k->deleted_data, k->added_deletes - k->removed_deletes,
                             k->added_pos - k->removed_pos, k->added_eq - k->removed_eq};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        int64_t prev;
        if (parent_total(parent, keys[i], &prev)) rc |= put_if(s, true, keys[i], prev + delta[i]);
    }
    if (rc != 0) {
        json_decref(s);
        return NULL;
    }
    return s;
}

/* ---- the apply callback ---- */

static int filter_manifests(produce_ctx *c, const ice_table *t, const ice_manifest_list *list,
                            int attempt, ice_manifest_list_writer *lw, ice_written *written,
                            fl_error *err)
{
    const ice_produce *p = c->p;
    fl_hashmap wanted;
    if (fl_hashmap_init(&wanted, FL_HASHMAP_BYTES_BORROWED, p->remove_count) < 0) return oom(err);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->remove_count; i++)
        if (fl_hashmap_bytes_put(&wanted, p->remove_paths[i], strlen(p->remove_paths[i]), 1) < 0) rc = oom(err);
    fl_arena *scratch = fl_arena_new(0);
    if (scratch == NULL && rc == 0) rc = oom(err);
    bool need_read = p->remove_count > 0 || c->filter != NULL || p->referenced_count > 0;
    for (size_t i = 0; rc == 0 && list != NULL && i < list->count; i++) {
        const ice_manifest_file *mf = &list->files[i];
        bool touched = false;
        bool read = need_read;
        if (read && p->remove_count == 0 && p->referenced_count == 0) {   /* the filter alone */
            fl_arena_reset(scratch);
            rc = ice_scan_manifest_might_match(&read, c->filter, mf, t->md, ice_metadata_current_schema(t->md),
                                               scratch, err);
        }
        if (rc == 0 && read) rc = scan_manifest(c, t, mf, &wanted, &touched, scratch, err);
        if (rc < 0) break;
        if (!touched) {
            rc = ice_manifest_list_writer_add(lw, mf, err);
            continue;
        }
        ice_manifest_file out;
        if ((rc = rewrite_manifest(c, t, mf, attempt, &out, written, err)) == 0)
            rc = ice_manifest_list_writer_add(lw, &out, err);
    }
    /* every file named for removal must have been live */
    for (size_t i = 0; rc == 0 && i < p->remove_count; i++) {
        if (path_in(&c->removed_paths, p->remove_paths[i])) continue;
        const ice_snapshot *cur = ice_metadata_current_snapshot(t->md);
        bool moved = cur ? !c->has_start || cur->snapshot_id != c->start_id : c->has_start;
        if (moved) rc = conflict(c, err, "missing required files to delete: %s", p->remove_paths[i]);
        else rc = fl_error_set(err, FLOE_EINVAL, "cannot %s \"%s\": it is not a live file of table \"%s.%s\"",
                               p->what, p->remove_paths[i], t->ns, t->name);
    }
    for (size_t i = 0; rc == 0 && i < p->referenced_count; i++) {
        uint64_t *v = fl_hashmap_bytes_find(&c->referenced_live, p->referenced[i], strlen(p->referenced[i]));
        if (v == NULL || *v != 1) rc = conflict(c, err, "cannot commit, missing data files: %s", p->referenced[i]);
    }
    fl_arena_free(scratch);
    fl_hashmap_dispose(&wanted);
    return rc;
}

static int reset_attempt(produce_ctx *c, fl_error *err)
{
    fl_arena_reset(c->att);
    c->removed = NULL;
    c->removed_count = c->removed_cap = 0;
    fl_hashmap_reset(&c->removed_paths);
    fl_hashmap_reset(&c->referenced_live);
    for (size_t i = 0; i < c->p->referenced_count; i++)
        if (fl_hashmap_bytes_put(&c->referenced_live, c->p->referenced[i], strlen(c->p->referenced[i]), 0) < 0)
            return oom(err);
    return 0;
}

static int write_list(produce_ctx *c, const ice_table *t, const ice_snapshot *parent, int64_t seq,
                      int attempt, char *loc, size_t cap, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    ice_manifest_list *parent_list = NULL;
    ice_manifest_list_writer *lw = NULL;
    if (parent != NULL) FL_TRY(ice_snapshot_manifests(&parent_list, t->fs, md, parent, err));
    int rc = ice_txn_list_writer_open(&lw, t, c->snapshot_id, parent, seq, attempt, loc, cap, written, err);
    if (rc < 0) goto done;
    for (size_t i = 0; rc == 0 && i < c->new_count; i++)
        rc = ice_manifest_list_writer_add(lw, &c->new_manifests[i], err);
    if (rc == 0) rc = filter_manifests(c, t, parent_list, attempt, lw, written, err);
    if (rc == 0) rc = validate_since_start(c, t, parent, err);
    if (rc < 0) {
        ice_manifest_list_writer_abort(lw);
        goto done;
    }
    rc = ice_manifest_list_writer_close(lw, NULL, err);
done:
    ice_manifest_list_free(parent_list);
    return rc;
}

static int produce_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                         ice_written *written, fl_error *err)
{
    produce_ctx *c = ctx;
    const ice_metadata *md = t->md;
    const ice_produce *p = c->p;
    if (md->format_version != 2)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot %s in table \"%s.%s\": format version %d is not supported by this operation",
                            p->what, t->ns, t->name, md->format_version);
    FL_TRY(reset_attempt(c, err));
    if (!c->have_new) {
        if (p->add_data_count > 0)
            FL_TRY(write_new_manifest(c, t, p->add_data, p->add_data_count, false, written, err));
        if (p->add_delete_count > 0)
            FL_TRY(write_new_manifest(c, t, p->add_deletes, p->add_delete_count, true, written, err));
        c->have_new = true;
    }
    const ice_snapshot *parent = NULL;
    if (ice_metadata_ref(md, "main") != NULL) FL_TRY(ice_metadata_snapshot_by_ref(&parent, md, "main", err));
    int64_t seq = md->last_sequence_number + 1;
    char list_loc[4096];
    FL_TRY(write_list(c, t, parent, seq, attempt, list_loc, sizeof(list_loc), written, err));
    counts k;
    FL_TRY(count_all(&k, c, err));
    json_t *summary = build_summary(c, &k, parent);
    return ice_txn_add_snapshot(doc, md, c->snapshot_id, parent, seq, now_ms, summary, list_loc, 0, err);
}

/* ---- entry point ---- */

static int resolve_isolation(bool *serializable, const ice_table *t, const ice_produce *p,
                             const ice_txn_opts *opts, fl_error *err)
{
    *serializable = true;
    if (opts && opts->isolation != ICE_ISOLATION_DEFAULT) {
        *serializable = opts->isolation == ICE_ISOLATION_SERIALIZABLE;
        return 0;
    }
    const char *kind = opts && opts->isolation_kind ? opts->isolation_kind : p->isolation_kind;
    if (kind == NULL) return 0;
    char key[96];
    snprintf(key, sizeof(key), "write.%s.isolation-level", kind);
    const char *v = ice_metadata_property(t->md, key);
    if (v == NULL || strcasecmp(v, "serializable") == 0) return 0;
    if (strcasecmp(v, "snapshot") == 0) {
        *serializable = false;
        return 0;
    }
    return fl_error_set(err, FLOE_EINVAL, "table property \"%s\" must be serializable or snapshot, not \"%s\"",
                        key, v);
}

int ice_produce_commit(ice_table *t, const ice_produce *p, const ice_txn_opts *opts,
                       ice_commit_stats *stats, fl_error *err)
{
    produce_ctx c;
    memset(&c, 0, sizeof(c));
    c.p = p;
    FL_TRY(resolve_isolation(&c.serializable, t, p, opts, err));
    if (opts && opts->has_starting_snapshot) {
        c.has_start = opts->starting_snapshot_id >= 0;
        c.start_id = opts->starting_snapshot_id;
    } else {
        const ice_snapshot *cur = ice_metadata_current_snapshot(t->md);
        c.has_start = cur != NULL;
        c.start_id = cur ? cur->snapshot_id : -1;
    }
    FL_TRY(ice_new_snapshot_id(&c.snapshot_id, err));
    c.arena = fl_arena_new(0);
    c.att = fl_arena_new(0);
    int rc = 0;
    if (c.arena == NULL || c.att == NULL || fl_hashmap_init(&c.removed_paths, FL_HASHMAP_BYTES, 16) < 0 ||
        fl_hashmap_init(&c.referenced_live, FL_HASHMAP_BYTES, 16) < 0) {
        rc = oom(err);
        goto done;
    }
    if (p->filter) c.filter = ice_expr_rewrite_not(c.arena, p->filter);
    const ice_expr *cf = opts && opts->conflict_filter ? opts->conflict_filter : p->conflict_filter;
    if (cf == NULL) cf = p->filter;
    if (cf) c.conflict = ice_expr_rewrite_not(c.arena, cf);
    if ((p->filter && c.filter == NULL) || (cf && c.conflict == NULL)) {
        rc = oom(err);
        goto done;
    }
    rc = ice_commit_run(t, produce_apply, &c, stats, err);
    if (rc < 0 && c.validation_failed) {
        char msg[sizeof(err->message)];
        snprintf(msg, sizeof(msg), "%s", err->message);
        rc = fl_error_set(err, FLOE_ECONFLICT, "%s", msg);
    }
    if (rc == 0 && stats != NULL) stats->snapshot_id = c.snapshot_id;
done:
    fl_hashmap_dispose(&c.removed_paths);
    fl_hashmap_dispose(&c.referenced_live);
    fl_arena_free(c.att);
    fl_arena_free(c.arena);
    return rc;
}
