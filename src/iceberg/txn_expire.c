/*
 * txn_expire.c: expiring snapshots (Iceberg Java's RemoveSnapshots with
 * the reachable-file cleanup). Snapshots older than a timestamp are removed
 * from the metadata, except the current snapshot and every snapshot a
 * branch or tag points to; the snapshot log keeps only the entries after
 * the last one naming a removed snapshot (Java's rule), and statistics of
 * removed snapshots go too. After the commit succeeded, and only then, the
 * files that no retained snapshot reaches are deleted:
 *   - manifest lists of removed snapshots;
 *   - manifests listed by them that no retained manifest list lists;
 *   - data and delete files named in those manifests (any status) that are
 *     not live (ADDED or EXISTING) in a manifest of a retained snapshot.
 * Reachability is computed over the committed metadata, so files a
 * concurrent commit made reachable again are kept. Metadata JSON files are
 * not deleted (the metadata log still names them).
 *
 * Retention follows the spec's "Snapshot Retention Policy" as Java's
 * RemoveSnapshots applies it: refs other than main whose snapshot is older
 * than their max-ref-age-ms (default: table property
 * history.expire.max-ref-age-ms, else forever) are removed; every retained
 * ref's snapshot is kept; each retained branch keeps its ancestors while
 * they are among its first min-snapshots-to-keep (default: property
 * history.expire.min-snapshots-to-keep, else 1) or newer than its
 * max-snapshot-age-ms (default: the older_than_ms given); snapshots no
 * retained ref reaches are kept when newer than older_than_ms.
 */
#include "ice_txn.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/hashmap.h"

typedef struct expire_ctx {
    int64_t older_than_ms;
    ice_written expired_lists;    /* manifest lists of the removed snapshots (attempt -1) */
    size_t expired_count;
} expire_ctx;

/* Which snapshots (by index in md->snapshots) and refs (by index in
 * md->refs) survive an expiry at now_ms of what is older than
 * older_than_ms. keep and keep_ref are the caller's arrays, zeroed here. */
static int compute_retained(const ice_metadata *md, int64_t older_than_ms, int64_t now_ms,
                            bool *keep, bool *keep_ref, fl_error *err)
{
    int64_t min_keep, max_ref_age;
    FL_TRY(ice_table_property_i64(md, "history.expire.min-snapshots-to-keep", 1, &min_keep, err));
    FL_TRY(ice_table_property_i64(md, "history.expire.max-ref-age-ms", INT64_MAX, &max_ref_age, err));
    memset(keep, 0, md->snapshot_count * sizeof(bool));
    memset(keep_ref, 0, md->ref_count * sizeof(bool));
    bool *reached = fl_calloc(md->snapshot_count ? md->snapshot_count : 1, sizeof(bool));
    if (reached == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t r = 0; r < md->ref_count; r++) {
        const ice_snapshot_ref *ref = &md->refs[r];
        const ice_snapshot *s = ice_metadata_snapshot(md, ref->snapshot_id);
        if (strcmp(ref->name, "main") == 0) {
            keep_ref[r] = true;
        } else if (s != NULL) {
            int64_t age_limit = ref->has_max_ref_age_ms ? ref->max_ref_age_ms : max_ref_age;
            keep_ref[r] = now_ms - s->timestamp_ms <= age_limit;
        }
        if (!keep_ref[r] || s == NULL) continue;
        keep[s - md->snapshots] = true;
        reached[s - md->snapshots] = true;
        if (ref->is_tag) continue;
        int64_t branch_older = ref->has_max_snapshot_age_ms ? now_ms - ref->max_snapshot_age_ms : older_than_ms;
        int64_t branch_min = ref->has_min_snapshots_to_keep ? ref->min_snapshots_to_keep : min_keep;
        int64_t kept = 0;
        bool keeping = true;
        for (const ice_snapshot *a = s; a != NULL; a = ice_metadata_snapshot_parent(md, a)) {
            reached[a - md->snapshots] = true;
            if (keeping && (kept < branch_min || a->timestamp_ms >= branch_older)) {
                keep[a - md->snapshots] = true;
                kept++;
            } else {
                keeping = false;
            }
        }
    }
    for (size_t i = 0; i < md->snapshot_count; i++) {
        const ice_snapshot *s = &md->snapshots[i];
        if (!reached[i] && s->timestamp_ms >= older_than_ms) keep[i] = true;
        if (md->has_current_snapshot && md->current_snapshot_id == s->snapshot_id) keep[i] = true;
    }
    fl_free(reached);
    return 0;
}

static bool id_in(const json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) if (json_integer_value(v) == id) return true;
    return false;
}

/* Removes array members whose "snapshot-id" is in removed. */
static void drop_by_snapshot(json_t *arr, const json_t *removed)
{
    for (size_t i = json_array_size(arr); i-- > 0;) {
        json_t *id = json_object_get(json_array_get(arr, i), "snapshot-id");
        if (id_in(removed, json_integer_value(id))) json_array_remove(arr, i);
    }
}

/* The retention decision for md at now_ms: keep[i] per snapshot,
 * keep_ref[i] per ref (arrays allocated here, the caller frees both). */
static int retention(bool **keep, bool **keep_ref, const ice_metadata *md, int64_t older_than_ms,
                     int64_t now_ms, fl_error *err)
{
    *keep = fl_calloc(md->snapshot_count + 1, sizeof(bool));
    *keep_ref = fl_calloc(md->ref_count + 1, sizeof(bool));
    if (*keep == NULL || *keep_ref == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return compute_retained(md, older_than_ms, now_ms, *keep, *keep_ref, err);
}

static int expire_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                        ice_written *written, fl_error *err)
{
    (void)attempt;
    (void)written;
    expire_ctx *c = ctx;
    const ice_metadata *md = t->md;
    ice_written_dispose(&c->expired_lists);
    c->expired_count = 0;
    bool *keep = NULL, *keep_ref = NULL;
    json_t *removed = json_array();
    int rc = removed == NULL ? fl_error_set(err, FLOE_ENOMEM, "out of memory")
                             : retention(&keep, &keep_ref, md, c->older_than_ms, now_ms, err);
    json_t *refs = json_object_get(doc, "refs");
    for (size_t i = 0; rc == 0 && i < md->ref_count; i++)
        if (!keep_ref[i]) json_object_del(refs, md->refs[i].name);
    for (size_t i = 0; rc == 0 && i < md->snapshot_count; i++) {
        const ice_snapshot *s = &md->snapshots[i];
        if (keep[i]) continue;
        c->expired_count++;
        if (json_array_append_new(removed, json_integer(s->snapshot_id)) < 0)
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        if (rc == 0 && s->manifest_list != NULL)
            rc = ice_written_add(&c->expired_lists, s->manifest_list, -1, err);
    }
    fl_free(keep);
    fl_free(keep_ref);
    if (rc == 0) {
        drop_by_snapshot(json_object_get(doc, "snapshots"), removed);
        drop_by_snapshot(json_object_get(doc, "statistics"), removed);
        drop_by_snapshot(json_object_get(doc, "partition-statistics"), removed);
        /* the snapshot log keeps what follows the last removed entry */
        json_t *log = json_object_get(doc, "snapshot-log");
        size_t keep_from = 0;
        for (size_t i = 0; i < json_array_size(log); i++) {
            json_t *id = json_object_get(json_array_get(log, i), "snapshot-id");
            if (id_in(removed, json_integer_value(id))) keep_from = i + 1;
        }
        for (size_t i = 0; i < keep_from; i++) json_array_remove(log, 0);
    }
    json_decref(removed);
    return rc;
}

/* Adds s to set; 1 when new. */
static int set_add(fl_hashmap *set, const char *s, fl_error *err)
{
    uint64_t *v;
    int rc = fl_hashmap_bytes_upsert(set, s, strlen(s), &v);
    if (rc < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return rc;
}

static bool set_has(const fl_hashmap *set, const char *s)
{
    return fl_hashmap_bytes_find(set, s, strlen(s)) != NULL;
}

/* Manifests and live files reachable from the retained snapshots. */
static int collect_reachable(const ice_table *t, fl_hashmap *lists, fl_hashmap *manifests,
                             fl_hashmap *files, fl_error *err)
{
    const ice_metadata *md = t->md;
    int rc = 0;
    for (size_t i = 0; rc >= 0 && i < md->snapshot_count; i++) {
        const ice_snapshot *s = &md->snapshots[i];
        ice_manifest_list *ml = NULL;
        if (s->manifest_list != NULL && (rc = set_add(lists, s->manifest_list, err)) < 0) break;
        if ((rc = ice_snapshot_manifests(&ml, t->fs, md, s, err)) < 0) break;
        for (size_t m = 0; rc >= 0 && m < ml->count; m++) {
            const ice_manifest_file *mf = &ml->files[m];
            if ((rc = set_add(manifests, mf->manifest_path, err)) <= 0) continue;   /* seen */
            ice_manifest_reader *r = NULL;
            if ((rc = ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, md, err)) < 0) break;
            const ice_manifest_entry *e;
            while ((rc = ice_manifest_reader_next(r, &e, err)) == 1)
                if (e->status != ICE_ENTRY_DELETED && (rc = set_add(files, e->file.file_path, err)) < 0)
                    break;
            ice_manifest_reader_free(r);
        }
        ice_manifest_list_free(ml);
    }
    return rc < 0 ? rc : 0;
}

static void remove_file(const ice_table *t, const char *location, size_t *counter)
{
    fl_error ignored;
    if (io_remove(t->fs, location, &ignored) == 0) (*counter)++;
}

/* Deletes what the expired manifest lists reach and the retained snapshots
 * do not. */
static int delete_unreachable(const ice_table *t, const expire_ctx *c, ice_expire_result *res,
                              fl_error *err)
{
    fl_hashmap lists, manifests, files, done;
    int rc = 0;
    memset(&lists, 0, sizeof(lists));
    memset(&manifests, 0, sizeof(manifests));
    memset(&files, 0, sizeof(files));
    memset(&done, 0, sizeof(done));
    if (fl_hashmap_init(&lists, FL_HASHMAP_BYTES, 16) < 0 ||
        fl_hashmap_init(&manifests, FL_HASHMAP_BYTES, 64) < 0 ||
        fl_hashmap_init(&files, FL_HASHMAP_BYTES, 256) < 0 ||
        fl_hashmap_init(&done, FL_HASHMAP_BYTES, 64) < 0) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = collect_reachable(t, &lists, &manifests, &files, err)) < 0) goto out;
    for (size_t i = 0; i < c->expired_lists.len; i++) {
        const char *list_loc = c->expired_lists.locations[i];
        if (set_has(&lists, list_loc)) continue;
        ice_manifest_list *ml = NULL;
        if ((rc = ice_manifest_list_read(&ml, t->fs, list_loc, err)) < 0) goto out;
        for (size_t m = 0; rc >= 0 && m < ml->count; m++) {
            const ice_manifest_file *mf = &ml->files[m];
            if (set_has(&manifests, mf->manifest_path)) continue;
            if ((rc = set_add(&done, mf->manifest_path, err)) <= 0) continue;
            ice_manifest_reader *r = NULL;
            if ((rc = ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, t->md, err)) < 0) break;
            const ice_manifest_entry *e;
            while ((rc = ice_manifest_reader_next(r, &e, err)) == 1) {
                const char *path = e->file.file_path;
                if (set_has(&files, path)) continue;
                if ((rc = set_add(&done, path, err)) < 0) break;
                if (rc == 1) remove_file(t, path, &res->deleted_data_files);
            }
            ice_manifest_reader_free(r);
            if (rc >= 0) remove_file(t, mf->manifest_path, &res->deleted_manifests);
        }
        ice_manifest_list_free(ml);
        if (rc < 0) goto out;
        remove_file(t, list_loc, &res->deleted_manifest_lists);
    }
    rc = 0;
out:
    fl_hashmap_dispose(&lists);
    fl_hashmap_dispose(&manifests);
    fl_hashmap_dispose(&files);
    fl_hashmap_dispose(&done);
    return rc;
}

int ice_txn_expire(ice_table *t, int64_t older_than_ms, ice_expire_result *result,
                   ice_commit_stats *stats, fl_error *err)
{
    ice_expire_result local;
    if (result == NULL) result = &local;
    memset(result, 0, sizeof(*result));
    if (stats != NULL) memset(stats, 0, sizeof(*stats));
    bool any = false, *keep = NULL, *keep_ref = NULL;
    int prc = retention(&keep, &keep_ref, t->md, older_than_ms, ice_now_ms(), err);
    for (size_t i = 0; prc == 0 && i < t->md->snapshot_count && !any; i++) any = !keep[i];
    for (size_t i = 0; prc == 0 && i < t->md->ref_count && !any; i++) any = !keep_ref[i];
    fl_free(keep);
    fl_free(keep_ref);
    if (prc < 0) return prc;
    if (!any) return 0;   /* nothing to expire: no commit, as Java */
    expire_ctx c = {.older_than_ms = older_than_ms};
    ice_written_init(&c.expired_lists);
    int rc = ice_commit_run(t, expire_apply, &c, stats, err);
    if (rc == 0) {
        result->expired_snapshots = c.expired_count;
        rc = delete_unreachable(t, &c, result, err);
        if (rc < 0) fl_error_prefix(err, "snapshots of \"%s.%s\" expired, but cleaning up files failed: ",
                                    t->ns, t->name);
    }
    ice_written_dispose(&c.expired_lists);
    return rc;
}
