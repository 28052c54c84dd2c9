/*
 * txn_append.c: fast append (Iceberg Java's MergeAppend without merging,
 * i.e. FastAppend): the new data files go into one new manifest, written
 * once; each commit attempt writes a manifest list
 * snap-<id>-<attempt>-<uuid>.avro holding that manifest followed by the
 * parent snapshot's manifests, and adds a snapshot with sequence number
 * last-sequence-number + 1 and Java's summary. Appends never conflict with
 * other appends, so on FLOE_ECONFLICT the commit protocol (ice_commit.c)
 * simply re-applies this on the refreshed table.
 */
#include "ice_txn.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strutil.h"
#include "../base/uuid.h"
#include "ice_scan.h"
#include "ice_txn_int.h"

typedef struct append_ctx {
    const ice_data_file *files;
    size_t file_count;
    int64_t snapshot_id;
    fl_arena *arena;
    bool have_manifest;
    ice_manifest_file manifest;   /* the new manifest's list entry (arena) */
} append_ctx;

static int write_manifest(append_ctx *c, const ice_table *t, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    char loc[4096];
    ice_manifest_writer *w = NULL;
    ice_manifest_writer_opts o = {
        .format_version = md->format_version,
        .content = ICE_MANIFEST_DATA,
        .schema = ice_metadata_current_schema(md),
        .spec = ice_metadata_default_spec(md),
        .snapshot_id = c->snapshot_id,
    };
    if (o.schema == NULL || o.spec == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "table \"%s.%s\" has no current schema or default spec",
                            t->ns, t->name);
    FL_TRY(ice_txn_file_location(loc, sizeof(loc), md->location, c->snapshot_id, 0, 0, false, err));
    FL_TRY(ice_manifest_writer_open(&w, t->fs, loc, &o, err));
    for (size_t i = 0; i < c->file_count; i++) {
        const ice_data_file *f = &c->files[i];
        int rc = 0;
        if (f->content != ICE_CONTENT_DATA)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot append \"%s\": it is not a data file", f->file_path);
        else if (f->spec_id != o.spec->spec_id)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot append \"%s\": partition spec %d is not the default spec %d",
                              f->file_path, (int)f->spec_id, (int)o.spec->spec_id);
        if (rc == 0) rc = ice_manifest_writer_add(w, f, err);
        if (rc < 0) {
            ice_manifest_writer_abort(w);
            return rc;
        }
    }
    FL_TRY(ice_manifest_writer_close(w, &c->manifest, c->arena, err));
    c->have_manifest = true;
    return ice_written_add(written, loc, -1, err);   /* every attempt uses it */
}

/* A long from the parent's summary; false when absent or malformed. */
static bool summary_get(const ice_snapshot *s, const char *key, int64_t *out)
{
    if (s == NULL) {
        *out = 0;
        return true;   /* the first snapshot starts from zero */
    }
    for (size_t i = 0; i < s->summary_count; i++) {
        if (strcmp(s->summary[i].key, key) != 0) continue;
        fl_error ignored;
        return fl_parse_i64(out, s->summary[i].value, strlen(s->summary[i].value), &ignored) == 0;
    }
    return false;
}

static int put_count(json_t *summary, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return json_object_set_new(summary, key, json_string(buf));
}

/* The summary Java's SnapshotSummary.Builder writes for an append; a total
 * is left out when the parent's summary lacks it. */
static json_t *append_summary(const append_ctx *c, const ice_snapshot *parent)
{
    int64_t records = 0, size = 0, partitions = 0;
    for (size_t i = 0; i < c->file_count; i++) {
        records += c->files[i].record_count;
        size += c->files[i].file_size_in_bytes;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = ice_partition_equal(&c->files[k], &c->files[i]);
        if (!seen) partitions++;
    }
    json_t *s = json_object();
    if (s == NULL) return NULL;
    int rc = json_object_set_new(s, "operation", json_string("append"));
    if (c->file_count > 0) {
        rc |= put_count(s, "added-data-files", (int64_t)c->file_count);
        rc |= put_count(s, "added-records", records);
        rc |= put_count(s, "added-files-size", size);
    }
    rc |= put_count(s, "changed-partition-count", partitions);
    static const char *const keys[] = {"total-records", "total-files-size", "total-data-files",
                                       "total-delete-files", "total-position-deletes",
                                       "total-equality-deletes"};
    const int64_t added[] = {records, size, (int64_t)c->file_count, 0, 0, 0};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        int64_t prev;
        if (summary_get(parent, keys[i], &prev)) rc |= put_count(s, keys[i], prev + added[i]);
    }
    if (rc != 0) {
        json_decref(s);
        return NULL;
    }
    return s;
}

/* Writes the manifest list of this attempt; *next_row_id for v3. */
static int write_manifest_list(append_ctx *c, const ice_table *t, const ice_snapshot *parent,
                               int64_t seq, int attempt, char *loc, size_t loc_cap,
                               int64_t *next_row_id, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    ice_manifest_list *parent_list = NULL;
    ice_manifest_list_writer *w = NULL;
    if (parent != NULL) FL_TRY(ice_snapshot_manifests(&parent_list, t->fs, md, parent, err));
    int rc = ice_txn_list_writer_open(&w, t, c->snapshot_id, parent, seq, attempt, loc, loc_cap, written, err);
    if (rc < 0) goto done;
    rc = ice_manifest_list_writer_add(w, &c->manifest, err);
    for (size_t i = 0; rc == 0 && parent_list != NULL && i < parent_list->count; i++)
        rc = ice_manifest_list_writer_add(w, &parent_list->files[i], err);
    if (rc < 0) {
        ice_manifest_list_writer_abort(w);
        goto done;
    }
    rc = ice_manifest_list_writer_close(w, next_row_id, err);
done:
    ice_manifest_list_free(parent_list);
    return rc;
}

static int append_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                        ice_written *written, fl_error *err)
{
    append_ctx *c = ctx;
    const ice_metadata *md = t->md;
    if (md->format_version < 2)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot append to table \"%s.%s\": format version %d is not supported for writing",
                            t->ns, t->name, md->format_version);
    if (!c->have_manifest) FL_TRY(write_manifest(c, t, written, err));
    const ice_snapshot *parent = NULL;
    if (ice_metadata_ref(md, "main") != NULL) FL_TRY(ice_metadata_snapshot_by_ref(&parent, md, "main", err));
    int64_t seq = md->last_sequence_number + 1;
    char list_loc[4096];
    int64_t next_row_id = 0;
    FL_TRY(write_manifest_list(c, t, parent, seq, attempt, list_loc, sizeof(list_loc), &next_row_id,
                               written, err));
    json_t *summary = append_summary(c, parent);
    return ice_txn_add_snapshot(doc, md, c->snapshot_id, parent, seq, now_ms, summary, list_loc, next_row_id, err);
}

int ice_txn_append(ice_table *t, const ice_data_file *files, size_t file_count,
                   ice_commit_stats *stats, fl_error *err)
{
    append_ctx c = {.files = files, .file_count = file_count};
    FL_TRY(ice_new_snapshot_id(&c.snapshot_id, err));
    if ((c.arena = fl_arena_new(0)) == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = ice_commit_run(t, append_apply, &c, stats, err);
    if (rc == 0 && stats != NULL) stats->snapshot_id = c.snapshot_id;
    fl_arena_free(c.arena);
    return rc;
}
