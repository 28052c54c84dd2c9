/*
 * ice_scan.c: scan planning (rules in ice_scan.h).
 *
 * Each manifest that survives summary pruning is read by one job (on the
 * pool when given) into its own arena: the job keeps only the entries that
 * survive, deep-copied, so a manifest's memory is released entry by entry
 * by the manifest reader. The jobs' results are then gathered into the
 * plan and delete files are attached to data files. Matching is by a hash
 * of the data file path for deletion vectors and path-scoped position
 * deletes, and a pass over the remaining (unscoped) deletes otherwise.
 */
#include "ice_scan.h"
#include "ice_scan_int.h"

#include <math.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/hashmap.h"
#include "ice_name_mapping.h"
#include "ice_value.h"

int ice_scan_snapshot(const ice_snapshot **out, const ice_metadata *md, const ice_scan_opts *opts,
                      fl_error *err)
{
    static const ice_scan_opts defaults = {0};
    if (opts == NULL) opts = &defaults;
    *out = NULL;
    switch (opts->at) {
    case ICE_SCAN_CURRENT:
        if (!md->has_current_snapshot) return 0;
        *out = ice_metadata_current_snapshot(md);
        if (*out == NULL)
            return fl_error_set(err, FLOE_ECORRUPT, "current snapshot %lld does not exist in the table metadata",
                                (long long)md->current_snapshot_id);
        return 0;
    case ICE_SCAN_SNAPSHOT_ID:
        *out = ice_metadata_snapshot(md, opts->snapshot_id);
        if (*out == NULL)
            return fl_error_set(err, FLOE_ENOTFOUND, "snapshot %lld does not exist",
                                (long long)opts->snapshot_id);
        return 0;
    case ICE_SCAN_AS_OF_TIME: return ice_metadata_snapshot_as_of(out, md, opts->as_of_ms, err);
    case ICE_SCAN_REF:
        if (opts->ref == NULL) return fl_error_set(err, FLOE_EINVAL, "scan by reference needs a ref name");
        return ice_metadata_snapshot_by_ref(out, md, opts->ref, err);
    }
    return fl_error_set(err, FLOE_EINVAL, "unknown scan snapshot selector %d", (int)opts->at);
}

const ice_schema *ice_scan_schema(const ice_metadata *md, const ice_snapshot *snapshot)
{
    if (snapshot && snapshot->has_schema_id) {
        const ice_schema *s = ice_metadata_schema(md, snapshot->schema_id);
        if (s) return s;
    }
    return ice_metadata_current_schema(md);
}

const ice_schema *ice_scan_read_schema(const ice_metadata *md, const ice_scan_opts *opts,
                                       const ice_snapshot *snapshot)
{
    if (opts == NULL || opts->at == ICE_SCAN_CURRENT) return ice_metadata_current_schema(md);
    if (opts->at == ICE_SCAN_REF) {
        const ice_snapshot_ref *ref = opts->ref ? ice_metadata_ref(md, opts->ref) : NULL;
        if (ref == NULL || !ref->is_tag) return ice_metadata_current_schema(md);
    }
    return ice_scan_schema(md, snapshot);
}

/* ---- partition equality ---- */

static bool value_equal(const fl_value *a, const fl_value *b)
{
    if (a->is_null || b->is_null) return a->is_null == b->is_null;
    if ((a->type.id == FL_TYPE_FLOAT || a->type.id == FL_TYPE_DOUBLE) &&
        (b->type.id == FL_TYPE_FLOAT || b->type.id == FL_TYPE_DOUBLE)) {
        if (isnan(a->v.f64) || isnan(b->v.f64)) return isnan(a->v.f64) && isnan(b->v.f64);
        return a->v.f64 == b->v.f64 && signbit(a->v.f64) == signbit(b->v.f64);
    }
    bool ok;
    int c = ice_value_cmp_loose(a, b, &ok);
    return ok && c == 0;
}

bool ice_partition_equal(const ice_data_file *a, const ice_data_file *b)
{
    if (a->spec_id != b->spec_id || a->partition_count != b->partition_count) return false;
    for (size_t i = 0; i < a->partition_count; i++)
        if (!value_equal(&a->partition[i], &b->partition[i])) return false;
    return true;
}

/* ---- pruning ---- */

typedef struct summary_ctx {
    const ice_manifest_file *manifest;
    const ice_partition_spec *spec;
} summary_ctx;

static int summary_stats(void *vctx, int32_t field_id, const ice_type *t, ice_range_stats *st,
                         fl_error *err)
{
    (void)err;
    summary_ctx *ctx = vctx;
    for (size_t i = 0; i < ctx->spec->field_count; i++) {
        if (ctx->spec->fields[i].field_id != field_id) continue;
        if (i >= ctx->manifest->partition_count || t == NULL) return 0;
        const ice_field_summary *s = &ctx->manifest->partitions[i];
        bool is_float = t->id == ICE_TYPE_FLOAT || t->id == ICE_TYPE_DOUBLE;
        st->may_have_null = s->contains_null;
        st->may_have_nan = !s->has_contains_nan || s->contains_nan;
        st->all_null = s->contains_null && !s->has_lower_bound &&
                       (!is_float || (s->has_contains_nan && !s->contains_nan));
        if (s->has_lower_bound &&
            ice_value_from_bytes(&st->lower, t, (const uint8_t *)s->lower_bound.ptr,
                                 s->lower_bound.len, NULL) == 0)
            st->has_lower = true;
        if (s->has_upper_bound &&
            ice_value_from_bytes(&st->upper, t, (const uint8_t *)s->upper_bound.ptr,
                                 s->upper_bound.len, NULL) == 0)
            st->has_upper = true;
        return 0;
    }
    return 0;
}

typedef struct metrics_ctx {
    const ice_data_file *file;
    const ice_schema *schema;
    const ice_name_mapping *mapping;   /* the table's, or NULL */
} metrics_ctx;

static bool mapping_has_id(const ice_name_mapping *m, int32_t id)
{
    for (size_t i = 0; m && i < m->count; i++) {
        if (m->fields[i].has_field_id && m->fields[i].field_id == id) return true;
        if (mapping_has_id(m->fields[i].fields, id)) return true;
    }
    return false;
}

/* Decodes a bound, reading a narrower promoted type (int for long, float
 * for double) when the bytes are shorter. */
static bool decode_bound(fl_value *out, const ice_data_file *file, const ice_schema *schema,
                         int32_t field_id, const ice_type *t, bool upper)
{
    bool found = false;
    if (ice_data_file_bound(out, &found, file, schema, field_id, upper, NULL) == 0) return found;
    const fl_strv *b = ice_field_bound_get(upper ? file->upper_bounds : file->lower_bounds,
                                           upper ? file->upper_bound_count : file->lower_bound_count,
                                           field_id);
    if (b == NULL || t == NULL || b->len != 4) return false;
    const ice_type *narrow = t->id == ICE_TYPE_LONG ? ice_type_primitive(ICE_TYPE_INT)
                           : t->id == ICE_TYPE_DOUBLE ? ice_type_primitive(ICE_TYPE_FLOAT) : NULL;
    return narrow && ice_value_from_bytes(out, narrow, (const uint8_t *)b->ptr, b->len, NULL) == 0;
}

static int metrics_stats(void *vctx, int32_t field_id, const ice_type *t, ice_range_stats *st,
                         fl_error *err)
{
    (void)err;
    metrics_ctx *ctx = vctx;
    const ice_data_file *f = ctx->file;
    /* A table with a name mapping may hold files without field ids, read
     * through the mapping as it is now; metrics written under an older
     * mapping may describe a column the reader no longer finds (it then
     * reads NULL). Only fields the mapping still names are trusted. */
    if (ctx->mapping && !mapping_has_id(ctx->mapping, field_id)) return 0;
    int64_t values, nulls, nans;
    bool has_values = ice_field_count_get(f->value_counts, f->value_count_count, field_id, &values);
    bool has_nulls = ice_field_count_get(f->null_value_counts, f->null_value_count_count, field_id, &nulls);
    bool has_nans = ice_field_count_get(f->nan_value_counts, f->nan_value_count_count, field_id, &nans);
    if (has_nulls) st->may_have_null = nulls > 0;
    if (has_nans) st->may_have_nan = nans > 0;
    if (has_values && has_nulls && values - nulls == 0) st->all_null = true;
    if (has_values && has_nans && values == nans && values > 0) st->all_nan = true;
    st->has_lower = decode_bound(&st->lower, f, ctx->schema, field_id, t, false);
    st->has_upper = decode_bound(&st->upper, f, ctx->schema, field_id, t, true);
    return 0;
}

/* ---- reading manifests ---- */

typedef struct found_file {
    ice_data_file file;
    int64_t data_sequence_number;
} found_file;

typedef struct manifest_job {
    const ice_manifest_file *manifest;
    fl_arena *arena;
    found_file *files;
    size_t count, cap;
    size_t total, skipped;
    int rc;
    fl_error err;
} manifest_job;

typedef struct plan_ctx {
    io_fs *fs;
    const ice_metadata *md;
    const ice_schema *schema;
    const ice_expr *filter;
    manifest_job *jobs;
    const ice_name_mapping *mapping;
} plan_ctx;

static int keep_entry(manifest_job *job, const ice_manifest_entry *entry, fl_error *err)
{
    if (job->count == job->cap) {
        size_t cap = job->cap ? job->cap * 2 : 16;
        found_file *grown = fl_arena_realloc(job->arena, job->files, job->cap * sizeof(found_file),
                                             cap * sizeof(found_file));
        if (grown == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        job->files = grown;
        job->cap = cap;
    }
    found_file *ff = &job->files[job->count];
    FL_TRY(ice_data_file_copy(&ff->file, &entry->file, job->arena, err));
    ff->data_sequence_number = entry->sequence_number;
    job->count++;
    return 0;
}

int ice_scan_file_might_match(bool *out, const ice_expr *filter, const ice_data_file *file,
                              const ice_metadata *md, const ice_schema *schema,
                              const ice_name_mapping *mapping, bool metrics, fl_arena *scratch,
                              fl_error *err)
{
    *out = true;
    if (filter == NULL) return 0;
    const ice_partition_spec *spec = ice_metadata_spec(md, file->spec_id);
    if (spec && spec->field_count == file->partition_count && file->partition_count > 0) {
        FL_TRY(ice_expr_eval_partition(out, filter, spec, schema, file->partition, scratch, err));
        if (!*out) return 0;
    }
    if (!metrics) return 0;
    metrics_ctx mc = {file, schema, mapping};
    return ice_expr_eval_ranges(out, filter, metrics_stats, &mc, file->record_count, err);
}

static int read_manifest(plan_ctx *ctx, manifest_job *job)
{
    ice_manifest_reader *r = NULL;
    fl_error *err = &job->err;
    fl_arena *scratch = fl_arena_new(0);
    int rc;
    if (scratch == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if ((rc = ice_manifest_reader_open(&r, ctx->fs, job->manifest->manifest_path, job->manifest,
                                       ctx->md, err)) < 0)
        goto done;
    for (;;) {
        const ice_manifest_entry *entry;
        if ((rc = ice_manifest_reader_next(r, &entry, err)) <= 0) break;
        if (entry->status == ICE_ENTRY_DELETED) continue;
        if (entry->file.content == ICE_CONTENT_DATA) {
            job->total++;
            fl_arena_reset(scratch);
            bool keep = true;
            if ((rc = ice_scan_file_might_match(&keep, ctx->filter, &entry->file, ctx->md, ctx->schema,
                                                ctx->mapping, true, scratch, err)) < 0)
                goto done;
            if (!keep) {
                job->skipped++;
                continue;
            }
        }
        if ((rc = keep_entry(job, entry, err)) < 0) goto done;
    }
done:
    if (rc < 0) fl_error_prefix(err, "could not read manifest \"%s\": ", job->manifest->manifest_path);
    ice_manifest_reader_free(r);
    fl_arena_free(scratch);
    return rc < 0 ? rc : 0;
}

static void run_job(void *vctx, size_t index, int worker)
{
    (void)worker;
    plan_ctx *ctx = vctx;
    manifest_job *job = &ctx->jobs[index];
    job->rc = read_manifest(ctx, job);
}

int ice_scan_manifest_might_match(bool *out, const ice_expr *filter, const ice_manifest_file *m,
                                  const ice_metadata *md, const ice_schema *schema,
                                  fl_arena *arena, fl_error *err)
{
    *out = true;
    if (filter == NULL || m->partitions == NULL) return 0;
    const ice_partition_spec *spec = ice_metadata_spec(md, m->partition_spec_id);
    if (spec == NULL || spec->field_count != m->partition_count) return 0;
    const ice_expr *projected;
    FL_TRY(ice_expr_project(&projected, filter, spec, schema, arena, err));
    summary_ctx sc = {m, spec};
    int64_t rows = -1;
    if (m->added_files_count == 0 && m->existing_files_count == 0) rows = 0;
    return ice_expr_eval_ranges(out, projected, summary_stats, &sc, rows, err);
}

/* ---- attaching deletes ---- */

static bool delete_applies(const ice_metadata *md, const ice_scan_delete *d, const found_file *data,
                           bool has_dv)
{
    const ice_data_file *df = &d->file;
    switch (df->content) {
    case ICE_CONTENT_POSITION_DELETES:
        if (data->data_sequence_number > d->data_sequence_number) return false;
        if (!ice_partition_equal(df, &data->file)) return false;
        if (df->referenced_data_file && strcmp(df->referenced_data_file, data->file.file_path) != 0)
            return false;
        if (df->file_format && strcmp(df->file_format, "PUFFIN") == 0) return true;
        return !has_dv;
    case ICE_CONTENT_EQUALITY_DELETES:
        if (data->data_sequence_number >= d->data_sequence_number) return false;
        if (ice_partition_equal(df, &data->file) || df->partition_count == 0) return true;
        {
            /* a delete file written with an unpartitioned spec is global
             * (partition_type is not kept by ice_data_file_copy: use the spec) */
            const ice_partition_spec *spec = ice_metadata_spec(md, df->spec_id);
            return spec != NULL && ice_partition_spec_is_unpartitioned(spec);
        }
    default:
        return false;
    }
}

static bool is_dv(const ice_data_file *f)
{
    return f->content == ICE_CONTENT_POSITION_DELETES && f->file_format &&
           strcmp(f->file_format, "PUFFIN") == 0;
}

/* Delete files by the data file they are scoped to (referenced_data_file:
 * every DV, and position delete files for a single file), plus the rest. */
typedef struct delete_index {
    fl_hashmap by_path;          /* path -> 1 + index of the newest delete for it */
    size_t *next;                /* 1 + index of the next delete for the same path, 0 at the end */
    size_t *unscoped;            /* indexes of deletes without a referenced data file */
    size_t unscoped_count;
} delete_index;

static int delete_index_build(delete_index *ix, const ice_scan_plan *plan, fl_error *err)
{
    memset(ix, 0, sizeof(*ix));
    size_t n = plan->delete_count;
    if (fl_hashmap_init(&ix->by_path, FL_HASHMAP_BYTES_BORROWED, n) < 0 ||
        (ix->next = fl_arena_calloc(plan->arena, (n ? n : 1) * sizeof(size_t))) == NULL ||
        (ix->unscoped = fl_arena_alloc(plan->arena, (n ? n : 1) * sizeof(size_t))) == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *path = plan->deletes[i].file.referenced_data_file;
        if (path == NULL) {
            ix->unscoped[ix->unscoped_count++] = i;
            continue;
        }
        uint64_t *head;
        if (fl_hashmap_bytes_upsert(&ix->by_path, path, strlen(path), &head) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        ix->next[i] = (size_t)*head;
        *head = i + 1;
    }
    return 0;
}

static int attach_deletes(ice_scan_plan *plan, const delete_index *ix, const found_file *data,
                          ice_scan_task *task, fl_error *err)
{
    const uint64_t *head = fl_hashmap_bytes_find(&ix->by_path, data->file.file_path, strlen(data->file.file_path));
    size_t first = head ? (size_t)*head : 0;
    /* is there a DV for this file? (DVs always name their data file) */
    bool has_dv = false;
    for (size_t k = first; k && !has_dv; k = ix->next[k - 1]) {
        const ice_scan_delete *d = &plan->deletes[k - 1];
        has_dv = is_dv(&d->file) && data->data_sequence_number <= d->data_sequence_number &&
                 ice_partition_equal(&d->file, &data->file);
    }
    size_t n = 0;
    for (size_t k = first; k; k = ix->next[k - 1])
        n += delete_applies(plan->md, &plan->deletes[k - 1], data, has_dv);
    for (size_t u = 0; u < ix->unscoped_count; u++)
        n += delete_applies(plan->md, &plan->deletes[ix->unscoped[u]], data, has_dv);
    task->deletes = NULL;
    task->delete_count = 0;
    if (n == 0) return 0;
    task->deletes = fl_arena_alloc(plan->arena, n * sizeof(*task->deletes));
    if (task->deletes == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t k = first; k; k = ix->next[k - 1])
        if (delete_applies(plan->md, &plan->deletes[k - 1], data, has_dv))
            task->deletes[task->delete_count++] = &plan->deletes[k - 1];
    for (size_t u = 0; u < ix->unscoped_count; u++)
        if (delete_applies(plan->md, &plan->deletes[ix->unscoped[u]], data, has_dv))
            task->deletes[task->delete_count++] = &plan->deletes[ix->unscoped[u]];
    return 0;
}

static void free_arena_cb(void *arg) { fl_arena_free(arg); }

static int gather(ice_scan_plan *plan, manifest_job *jobs, size_t job_count, fl_error *err)
{
    size_t n_data = 0, n_del = 0;
    for (size_t j = 0; j < job_count; j++) {
        plan->data_files_total += jobs[j].total;
        plan->data_files_skipped += jobs[j].skipped;
        for (size_t i = 0; i < jobs[j].count; i++) {
            if (jobs[j].files[i].file.content == ICE_CONTENT_DATA) n_data++;
            else n_del++;
        }
    }
    plan->tasks = fl_arena_calloc(plan->arena, (n_data ? n_data : 1) * sizeof(ice_scan_task));
    plan->deletes = fl_arena_calloc(plan->arena, (n_del ? n_del : 1) * sizeof(ice_scan_delete));
    if (plan->tasks == NULL || plan->deletes == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t j = 0; j < job_count; j++)
        for (size_t i = 0; i < jobs[j].count; i++) {
            const found_file *ff = &jobs[j].files[i];
            if (ff->file.content == ICE_CONTENT_DATA) continue;
            plan->deletes[plan->delete_count].file = ff->file;
            plan->deletes[plan->delete_count++].data_sequence_number = ff->data_sequence_number;
        }
    delete_index ix;
    int rc = delete_index_build(&ix, plan, err);
    for (size_t j = 0; rc == 0 && j < job_count; j++)
        for (size_t i = 0; rc == 0 && i < jobs[j].count; i++) {
            const found_file *ff = &jobs[j].files[i];
            if (ff->file.content != ICE_CONTENT_DATA) continue;
            ice_scan_task *t = &plan->tasks[plan->task_count++];
            t->file = ff->file;
            t->data_sequence_number = ff->data_sequence_number;
            t->spec = ice_metadata_spec(plan->md, ff->file.spec_id);
            rc = attach_deletes(plan, &ix, ff, t, err);
        }
    fl_hashmap_dispose(&ix.by_path);
    return rc;
}

static int plan_manifests(ice_scan_plan *plan, io_fs *fs, const ice_scan_opts *opts, fl_error *err)
{
    ice_manifest_list *list = NULL;
    manifest_job *jobs = NULL;
    size_t job_count = 0;
    int rc;
    if ((rc = ice_snapshot_manifests(&list, fs, plan->md, plan->snapshot, err)) < 0) goto done;
    plan->manifests_total = list->count;
    jobs = fl_calloc(list->count ? list->count : 1, sizeof(*jobs));
    if (jobs == NULL) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto done; }
    plan_ctx ctx = {fs, plan->md, plan->schema, plan->filter, jobs, NULL};
    const char *nm = ice_metadata_property(plan->md, ICE_NAME_MAPPING_PROPERTY);
    if (nm) {
        ice_name_mapping *m = NULL;
        if ((rc = ice_name_mapping_parse(&m, nm, strlen(nm), plan->arena, err)) < 0) {
            fl_error_prefix(err, "invalid table property %s: ", ICE_NAME_MAPPING_PROPERTY);
            goto done;
        }
        ctx.mapping = m;
    }
    for (size_t i = 0; i < list->count; i++) {
        const ice_manifest_file *m = &list->files[i];
        bool keep = true;
        if (m->content == ICE_MANIFEST_DATA &&
            (rc = ice_scan_manifest_might_match(&keep, ctx.filter, m, ctx.md, ctx.schema, plan->arena,
                                                err)) < 0)
            goto done;
        if (!keep) { plan->manifests_skipped++; continue; }
        manifest_job *job = &jobs[job_count++];
        job->manifest = m;
        job->arena = fl_arena_new(0);
        if (job->arena == NULL || fl_arena_on_reset(plan->arena, free_arena_cb, job->arena) < 0) {
            fl_arena_free(job->arena);
            job->arena = NULL;
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (opts && opts->pool && job_count > 1) fl_pool_run(opts->pool, job_count, run_job, &ctx);
    else
        for (size_t i = 0; i < job_count; i++) run_job(&ctx, i, 0);
    for (size_t i = 0; i < job_count; i++)
        if (jobs[i].rc < 0) {
            rc = jobs[i].rc;
            if (err) *err = jobs[i].err;
            goto done;
        }
    rc = gather(plan, jobs, job_count, err);
done:
    fl_free(jobs);
    ice_manifest_list_free(list);
    return rc;
}

int ice_scan_plan_new(ice_scan_plan **out, io_fs *fs, const ice_metadata *md,
                      const ice_scan_opts *opts, fl_error *err)
{
    *out = NULL;
    fl_arena *arena = fl_arena_new(0);
    ice_scan_plan *plan = arena ? fl_arena_calloc(arena, sizeof(*plan)) : NULL;
    if (plan == NULL) {
        fl_arena_free(arena);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    plan->arena = arena;
    plan->md = md;
    int rc = ice_scan_snapshot(&plan->snapshot, md, opts, err);
    if (rc < 0) goto fail;
    plan->schema = ice_scan_read_schema(md, opts, plan->snapshot);
    if (opts && opts->filter) {
        plan->filter = ice_expr_rewrite_not(arena, opts->filter);
        if (plan->filter == NULL) { rc = fl_error_set(err, FLOE_ENOMEM, "out of memory"); goto fail; }
    }
    if (plan->snapshot == NULL) {
        plan->tasks = fl_arena_calloc(arena, sizeof(ice_scan_task));
        plan->deletes = fl_arena_calloc(arena, sizeof(ice_scan_delete));
        *out = plan;
        return 0;
    }
    if ((rc = plan_manifests(plan, fs, opts, err)) < 0) goto fail;
    *out = plan;
    return 0;
fail:
    fl_arena_free(arena);
    return rc;
}

void ice_scan_plan_free(ice_scan_plan *plan)
{
    if (plan) fl_arena_free(plan->arena);
}

int64_t ice_scan_plan_record_count(const ice_scan_plan *plan)
{
    int64_t n = 0;
    for (size_t i = 0; i < plan->task_count; i++) n += plan->tasks[i].file.record_count;
    return n;
}
