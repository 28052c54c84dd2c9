/*
 * txn_refs.c: branches and tags (Iceberg Java's ManageSnapshots /
 * UpdateSnapshotReferencesOperation: createBranch, createTag, replaceBranch,
 * replaceTag, removeBranch, removeTag, fastForwardBranch and the retention
 * setters) and cherry-picking a snapshot onto main (CherryPickOperation).
 *
 * Ref changes only edit the "refs" map of the metadata (and, when "main"
 * moves, current-snapshot-id and the snapshot log through
 * ice_commit_set_current). A cherry-pick either fast-forwards main to the
 * picked snapshot or, for an append whose parent is not the current
 * snapshot, writes the picked snapshot's added data files into new
 * manifests (one per source manifest, keeping its partition spec) and adds
 * a snapshot on top of the current one, with a manifest list holding those
 * manifests followed by the current snapshot's, and Java's append summary
 * plus source-snapshot-id. The manifests are written per attempt, since the
 * choice between fast-forward and re-apply is made again on a refreshed
 * table after a conflict.
 */
#include "ice_evolve.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strutil.h"
#include "../base/uuid.h"
#include "ice_scan.h"
#include "ice_txn_int.h"

#define OOM(err) fl_error_set(err, FLOE_ENOMEM, "out of memory")

/* ---- refs ---- */

typedef enum ref_action { REF_CREATE, REF_REPLACE, REF_REMOVE, REF_FAST_FORWARD } ref_action;

typedef struct ref_ctx {
    ref_action action;
    const char *name;
    bool is_tag;
    ice_ref_opts opts;
    const char *to;               /* fast-forward target ref */
    int64_t snapshot_id;          /* resolved target */
} ref_ctx;

static const char *kind(bool is_tag) { return is_tag ? "tag" : "branch"; }

static int check_retention(const ref_ctx *c, const ice_table *t, fl_error *err)
{
    const ice_ref_opts *o = &c->opts;
    if (o->min_snapshots_to_keep < 0)
        return fl_error_set(err, FLOE_EINVAL, "min-snapshots-to-keep of %s \"%s\" must be greater than 0",
                            kind(c->is_tag), c->name);
    if (o->max_snapshot_age_ms < 0)
        return fl_error_set(err, FLOE_EINVAL, "max-snapshot-age-ms of %s \"%s\" must be greater than 0",
                            kind(c->is_tag), c->name);
    if (o->max_ref_age_ms < 0)
        return fl_error_set(err, FLOE_EINVAL, "max-ref-age-ms of %s \"%s\" must be greater than 0",
                            kind(c->is_tag), c->name);
    if (c->is_tag && (o->min_snapshots_to_keep > 0 || o->max_snapshot_age_ms > 0))
        return fl_error_set(err, FLOE_EINVAL,
                            "tag \"%s\" of table \"%s.%s\": tags do not support min-snapshots-to-keep or max-snapshot-age-ms",
                            c->name, t->ns, t->name);
    if (!c->is_tag && strcmp(c->name, "main") == 0 && o->max_ref_age_ms > 0)
        return fl_error_set(err, FLOE_EINVAL, "the main branch of table \"%s.%s\" never expires: max-ref-age-ms cannot be set",
                            t->ns, t->name);
    return 0;
}

/* The snapshot id opts names, checked against the metadata. */
static int resolve_snapshot(int64_t *out, const ref_ctx *c, const ice_table *t, fl_error *err)
{
    const ice_metadata *md = t->md;
    int64_t id = c->opts.snapshot_id;
    if (id == ICE_REF_CURRENT) {
        if (!md->has_current_snapshot)
            return fl_error_set(err, FLOE_EINVAL, "cannot point %s \"%s\" at the current snapshot: table \"%s.%s\" has no snapshot",
                                kind(c->is_tag), c->name, t->ns, t->name);
        id = md->current_snapshot_id;
    }
    if (ice_metadata_snapshot(md, id) == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND, "snapshot %" PRId64 " of table \"%s.%s\" does not exist",
                            id, t->ns, t->name);
    *out = id;
    return 0;
}

static int set_opt(json_t *ref, const char *key, int64_t v)
{
    return v > 0 ? json_object_set_new(ref, key, json_integer(v)) : 0;
}

/* Moves a ref; "main" also becomes current. */
static int point_ref(json_t *doc, json_t *ref, const char *name, int64_t id, int64_t now_ms,
                     fl_error *err)
{
    if (strcmp(name, "main") == 0) return ice_commit_set_current(doc, id, now_ms, err);
    if (json_object_set_new(ref, "snapshot-id", json_integer(id)) < 0) return OOM(err);
    return 0;
}

static int ref_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                     ice_written *written, fl_error *err)
{
    (void)attempt;
    (void)written;
    ref_ctx *c = ctx;
    const ice_metadata *md = t->md;
    json_t *refs = json_object_get(doc, "refs");
    if (refs == NULL) {
        if ((refs = json_object()) == NULL || json_object_set_new(doc, "refs", refs) < 0) return OOM(err);
    }
    const ice_snapshot_ref *cur = ice_metadata_ref(md, c->name);
    json_t *ref = json_object_get(refs, c->name);
    if (c->action == REF_CREATE) {
        if (cur != NULL)
            return fl_error_set(err, FLOE_EEXISTS, "ref \"%s\" of table \"%s.%s\" already exists", c->name,
                                t->ns, t->name);
        FL_TRY(resolve_snapshot(&c->snapshot_id, c, t, err));
        ref = json_pack("{s:I,s:s}", "snapshot-id", (json_int_t)c->snapshot_id, "type", kind(c->is_tag));
        if (ref == NULL || json_object_set_new(refs, c->name, ref) < 0) return OOM(err);
        if (set_opt(ref, "min-snapshots-to-keep", c->opts.min_snapshots_to_keep) < 0 ||
            set_opt(ref, "max-snapshot-age-ms", c->opts.max_snapshot_age_ms) < 0 ||
            set_opt(ref, "max-ref-age-ms", c->opts.max_ref_age_ms) < 0)
            return OOM(err);
        if (!c->is_tag && strcmp(c->name, "main") == 0)
            return ice_commit_set_current(doc, c->snapshot_id, now_ms, err);
        return 0;
    }
    if (cur == NULL || ref == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND, "%s \"%s\" of table \"%s.%s\" does not exist", kind(c->is_tag),
                            c->name, t->ns, t->name);
    if (cur->is_tag != c->is_tag)
        return fl_error_set(err, FLOE_EINVAL, "ref \"%s\" of table \"%s.%s\" is a %s, not a %s", c->name, t->ns,
                            t->name, kind(cur->is_tag), kind(c->is_tag));
    switch (c->action) {
    case REF_REMOVE:
        if (!c->is_tag && strcmp(c->name, "main") == 0)
            return fl_error_set(err, FLOE_EINVAL, "cannot remove the main branch of table \"%s.%s\"", t->ns, t->name);
        json_object_del(refs, c->name);
        return 0;
    case REF_REPLACE:
        FL_TRY(resolve_snapshot(&c->snapshot_id, c, t, err));
        if (set_opt(ref, "min-snapshots-to-keep", c->opts.min_snapshots_to_keep) < 0 ||
            set_opt(ref, "max-snapshot-age-ms", c->opts.max_snapshot_age_ms) < 0 ||
            set_opt(ref, "max-ref-age-ms", c->opts.max_ref_age_ms) < 0)
            return OOM(err);
        return point_ref(doc, ref, c->name, c->snapshot_id, now_ms, err);
    case REF_FAST_FORWARD: {
        const ice_snapshot *target = NULL;
        FL_TRY(ice_metadata_snapshot_by_ref(&target, md, c->to, err));
        if (!ice_metadata_is_ancestor(md, target, cur->snapshot_id))
            return fl_error_set(err, FLOE_EINVAL,
                                "cannot fast-forward branch \"%s\" of table \"%s.%s\": its snapshot %" PRId64 " is not an ancestor of \"%s\" (snapshot %" PRId64 ")",
                                c->name, t->ns, t->name, cur->snapshot_id, c->to, target->snapshot_id);
        c->snapshot_id = target->snapshot_id;
        return point_ref(doc, ref, c->name, c->snapshot_id, now_ms, err);
    }
    case REF_CREATE:
        break;
    }
    return 0;
}

static int ref_run(ice_table *t, ref_ctx *c, ice_commit_stats *stats, fl_error *err)
{
    if (c->name == NULL || c->name[0] == '\0')
        return fl_error_set(err, FLOE_EINVAL, "a branch or tag name must not be empty");
    FL_TRY(check_retention(c, t, err));
    c->snapshot_id = -1;
    FL_TRY(ice_commit_run(t, ref_apply, c, stats, err));
    if (stats != NULL) stats->snapshot_id = c->snapshot_id;
    return 0;
}

static ice_ref_opts opts_or_default(const ice_ref_opts *opts)
{
    ice_ref_opts o = {.snapshot_id = ICE_REF_CURRENT};
    return opts ? *opts : o;
}

int ice_txn_ref_create(ice_table *t, const char *name, bool is_tag, const ice_ref_opts *opts,
                       ice_commit_stats *stats, fl_error *err)
{
    ref_ctx c = {.action = REF_CREATE, .name = name, .is_tag = is_tag, .opts = opts_or_default(opts)};
    return ref_run(t, &c, stats, err);
}

int ice_txn_ref_replace(ice_table *t, const char *name, bool is_tag, const ice_ref_opts *opts,
                        ice_commit_stats *stats, fl_error *err)
{
    ref_ctx c = {.action = REF_REPLACE, .name = name, .is_tag = is_tag, .opts = opts_or_default(opts)};
    return ref_run(t, &c, stats, err);
}

int ice_txn_ref_remove(ice_table *t, const char *name, bool is_tag, ice_commit_stats *stats,
                       fl_error *err)
{
    ref_ctx c = {.action = REF_REMOVE, .name = name, .is_tag = is_tag, .opts = opts_or_default(NULL)};
    return ref_run(t, &c, stats, err);
}

int ice_txn_branch_fast_forward(ice_table *t, const char *branch, const char *to,
                                ice_commit_stats *stats, fl_error *err)
{
    ref_ctx c = {.action = REF_FAST_FORWARD, .name = branch, .to = to, .opts = opts_or_default(NULL)};
    return ref_run(t, &c, stats, err);
}

/* ---- cherry-pick ---- */

typedef struct pick_ctx {
    int64_t picked_id;
    int64_t new_id;               /* the re-applied snapshot's id */
    int64_t result_id;            /* the snapshot made current */
    fl_arena *arena;              /* per attempt */
    ice_manifest_file *manifests; /* new manifests of this attempt */
    size_t manifest_count;
    ice_data_file *seen;          /* one file per distinct partition (arena) */
    size_t seen_count, seen_cap;
    int64_t files, records, size, partitions;
} pick_ctx;

/* Counts f's partition when no file seen before shares it. */
static int count_partition(pick_ctx *c, const ice_data_file *f, fl_error *err)
{
    for (size_t i = 0; i < c->seen_count; i++)
        if (ice_partition_equal(&c->seen[i], f)) return 0;
    if (c->seen_count == c->seen_cap) {
        size_t cap = c->seen_cap ? c->seen_cap * 2 : 16;
        ice_data_file *n = fl_arena_realloc(c->arena, c->seen, c->seen_cap * sizeof(*n), cap * sizeof(*n));
        if (n == NULL) return OOM(err);
        c->seen = n;
        c->seen_cap = cap;
    }
    c->partitions++;
    return ice_data_file_copy(&c->seen[c->seen_count++], f, c->arena, err);
}

static int summary_i64(const ice_snapshot *s, const char *key, int64_t *out)
{
    for (size_t i = 0; s && i < s->summary_count; i++) {
        if (strcmp(s->summary[i].key, key) != 0) continue;
        fl_error ignored;
        return fl_parse_i64(out, s->summary[i].value, strlen(s->summary[i].value), &ignored) == 0 ? 1 : 0;
    }
    return 0;
}

/* Java's validateNonAncestor: not already current history, not picked before. */
static int check_not_picked(const ice_table *t, int64_t id, fl_error *err)
{
    const ice_metadata *md = t->md;
    const ice_snapshot *cur = ice_metadata_current_snapshot(md);
    if (cur != NULL && ice_metadata_is_ancestor(md, cur, id))
        return fl_error_set(err, FLOE_EINVAL, "cannot cherry-pick snapshot %" PRId64 " of table \"%s.%s\": it is already an ancestor of the current snapshot",
                            id, t->ns, t->name);
    for (const ice_snapshot *s = cur; s != NULL; s = ice_metadata_snapshot_parent(md, s)) {
        int64_t src;
        if (summary_i64(s, "source-snapshot-id", &src) == 1 && src == id)
            return fl_error_set(err, FLOE_EINVAL, "cannot cherry-pick snapshot %" PRId64 " of table \"%s.%s\": it was already picked to create ancestor %" PRId64,
                                id, t->ns, t->name, s->snapshot_id);
    }
    return 0;
}

/* Copies the ADDED entries of one manifest the picked snapshot wrote into a
 * new manifest of the new snapshot. */
static int copy_added(pick_ctx *c, const ice_table *t, const ice_manifest_file *mf, int attempt,
                      ice_written *written, fl_error *err)
{
    ice_manifest_reader *r = NULL;
    ice_manifest_writer *w = NULL;
    char loc[4096];
    FL_TRY(ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, t->md, err));
    ice_manifest_writer_opts o = {
        .format_version = t->md->format_version,
        .content = ICE_MANIFEST_DATA,
        .schema = ice_metadata_current_schema(t->md),
        .spec = ice_manifest_reader_spec(r),
        .snapshot_id = c->new_id,
    };
    int rc = o.spec == NULL ? fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has no partition spec",
                                           mf->manifest_path)
                            : 0;
    if (rc == 0) rc = ice_txn_file_location(loc, sizeof(loc), t->md->location, c->new_id, attempt,
                                            c->manifest_count, false, err);
    if (rc == 0) rc = ice_manifest_writer_open(&w, t->fs, loc, &o, err);
    if (rc == 0) rc = ice_written_add(written, loc, attempt, err);
    const ice_manifest_entry *e;
    while (rc == 0 && (rc = ice_manifest_reader_next(r, &e, err)) == 1) {
        rc = 0;
        if (e->status != ICE_ENTRY_ADDED || e->snapshot_id != c->picked_id) continue;
        if (e->file.content != ICE_CONTENT_DATA) continue;
        rc = ice_manifest_writer_add(w, &e->file, err);
        c->files++;
        c->records += e->file.record_count;
        c->size += e->file.file_size_in_bytes;
        if (rc == 0) rc = count_partition(c, &e->file, err);
    }
    ice_manifest_reader_free(r);
    if (w == NULL) return rc;
    if (rc < 0) {
        ice_manifest_writer_abort(w);
        return rc;
    }
    ice_manifest_file *nm = fl_arena_alloc(c->arena, (c->manifest_count + 1) * sizeof(*nm));
    if (nm == NULL) {
        ice_manifest_writer_abort(w);
        return OOM(err);
    }
    if (c->manifest_count) memcpy(nm, c->manifests, c->manifest_count * sizeof(*nm));
    c->manifests = nm;
    return ice_manifest_writer_close(w, &c->manifests[c->manifest_count++], c->arena, err);
}

static int put_count(json_t *summary, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return json_object_set_new(summary, key, json_string(buf));
}

static json_t *pick_summary(const pick_ctx *c, const ice_snapshot *parent)
{
    json_t *s = json_object();
    if (s == NULL) return NULL;
    int rc = json_object_set_new(s, "operation", json_string("append"));
    rc |= put_count(s, "source-snapshot-id", c->picked_id);
    if (c->files > 0) {
        rc |= put_count(s, "added-data-files", c->files);
        rc |= put_count(s, "added-records", c->records);
        rc |= put_count(s, "added-files-size", c->size);
    }
    rc |= put_count(s, "changed-partition-count", c->partitions);
    static const char *const keys[] = {"total-records", "total-files-size", "total-data-files",
                                       "total-delete-files", "total-position-deletes",
                                       "total-equality-deletes"};
    const int64_t added[] = {c->records, c->size, c->files, 0, 0, 0};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        int64_t prev = 0;
        if (parent == NULL || summary_i64(parent, keys[i], &prev) == 1)
            rc |= put_count(s, keys[i], prev + added[i]);
    }
    if (rc != 0) {
        json_decref(s);
        return NULL;
    }
    return s;
}

/* Writes the new manifests and manifest list; returns the snapshot JSON. */
static int reapply(pick_ctx *c, const ice_table *t, const ice_snapshot *picked, json_t *doc,
                   int attempt, int64_t now_ms, ice_written *written, fl_error *err)
{
    const ice_metadata *md = t->md;
    const ice_snapshot *parent = ice_metadata_current_snapshot(md);
    ice_manifest_list *src = NULL, *cur = NULL;
    ice_manifest_list_writer *lw = NULL;
    char list_loc[4096];
    int64_t seq = md->last_sequence_number + 1, next_row_id = 0;
    int rc = ice_snapshot_manifests(&src, t->fs, md, picked, err);
    for (size_t i = 0; rc == 0 && i < src->count; i++) {
        const ice_manifest_file *mf = &src->files[i];
        if (mf->content == ICE_MANIFEST_DATA && mf->added_snapshot_id == c->picked_id)
            rc = copy_added(c, t, mf, attempt, written, err);
    }
    if (rc == 0 && parent != NULL) rc = ice_snapshot_manifests(&cur, t->fs, md, parent, err);
    if (rc == 0)
        rc = ice_txn_list_writer_open(&lw, t, c->new_id, parent, seq, attempt, list_loc, sizeof(list_loc), written,
                                      err);
    if (rc == 0) {
        for (size_t i = 0; rc == 0 && i < c->manifest_count; i++)
            rc = ice_manifest_list_writer_add(lw, &c->manifests[i], err);
        for (size_t i = 0; rc == 0 && cur != NULL && i < cur->count; i++)
            rc = ice_manifest_list_writer_add(lw, &cur->files[i], err);
        if (rc < 0) ice_manifest_list_writer_abort(lw);
        else rc = ice_manifest_list_writer_close(lw, &next_row_id, err);
    }
    ice_manifest_list_free(src);
    ice_manifest_list_free(cur);
    if (rc < 0) return rc;
    json_t *summary = pick_summary(c, parent);
    rc = ice_txn_add_snapshot(doc, md, c->new_id, parent, seq, now_ms, summary, list_loc, next_row_id, err);
    if (rc == 0) c->result_id = c->new_id;
    return rc;
}

static int pick_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                      ice_written *written, fl_error *err)
{
    pick_ctx *c = ctx;
    const ice_metadata *md = t->md;
    fl_arena_reset(c->arena);
    c->manifests = NULL;
    c->manifest_count = 0;
    c->seen = NULL;
    c->seen_count = c->seen_cap = 0;
    c->files = c->records = c->size = c->partitions = 0;
    const ice_snapshot *picked = ice_metadata_snapshot(md, c->picked_id);
    if (picked == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND, "cannot cherry-pick unknown snapshot %" PRId64 " of table \"%s.%s\"",
                            c->picked_id, t->ns, t->name);
    FL_TRY(check_not_picked(t, c->picked_id, err));
    bool fast_forward = picked->has_parent ? md->has_current_snapshot && picked->parent_id == md->current_snapshot_id
                                           : !md->has_current_snapshot;
    if (fast_forward) {
        c->result_id = c->picked_id;
        return ice_commit_set_current(doc, c->picked_id, now_ms, err);
    }
    if (picked->operation == NULL || strcmp(picked->operation, "append") != 0)
        return fl_error_set(err, FLOE_EINVAL,
                            "cannot cherry-pick snapshot %" PRId64 " of table \"%s.%s\": not append, dynamic overwrite, or fast-forward (operation %s, parent is not the current snapshot)",
                            c->picked_id, t->ns, t->name, picked->operation ? picked->operation : "unknown");
    if (md->format_version < 2)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot cherry-pick into table \"%s.%s\": format version %d is not supported for writing",
                            t->ns, t->name, md->format_version);
    return reapply(c, t, picked, doc, attempt, now_ms, written, err);
}

int ice_txn_cherry_pick(ice_table *t, int64_t snapshot_id, ice_commit_stats *stats, fl_error *err)
{
    pick_ctx c = {.picked_id = snapshot_id};
    FL_TRY(ice_new_snapshot_id(&c.new_id, err));
    if ((c.arena = fl_arena_new(0)) == NULL) return OOM(err);
    int rc = ice_commit_run(t, pick_apply, &c, stats, err);
    if (rc == 0 && stats != NULL) stats->snapshot_id = c.result_id;
    fl_arena_free(c.arena);
    return rc;
}
