/*
 * txn_rollback.c: making an existing snapshot current again (Iceberg
 * Java's ManageSnapshots.rollbackTo / setCurrentSnapshot /
 * rollbackToTime). The change is only the current-snapshot-id, the main
 * branch and a snapshot-log entry; no file is written besides the metadata.
 * On a conflict the check (snapshot exists, is an ancestor) is re-run
 * against the refreshed table.
 */
#include "ice_txn.h"

#include <inttypes.h>

typedef struct rollback_ctx {
    int64_t snapshot_id;
    bool require_ancestor;
    bool by_time;
    int64_t timestamp_ms;
} rollback_ctx;

/* The snapshot that was current at ts and is an ancestor of the current
 * one (Java's SnapshotUtil.snapshotIdAsOfTime over the ancestors). */
static int snapshot_as_of(int64_t *out, const ice_table *t, int64_t ts, fl_error *err)
{
    const ice_metadata *md = t->md;
    const ice_snapshot *cur = ice_metadata_current_snapshot(md);
    bool found = false;
    for (const ice_snapshot *s = cur; s != NULL; s = ice_metadata_snapshot_parent(md, s)) {
        if (s->timestamp_ms <= ts) {
            *out = s->snapshot_id;
            found = true;
            break;   /* ancestors are visited newest first */
        }
    }
    if (!found)
        return fl_error_set(err, FLOE_ENOTFOUND,
                            "table \"%s.%s\" has no snapshot older than %" PRId64 " among the current snapshot's ancestors",
                            t->ns, t->name, ts);
    return 0;
}

static int rollback_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                          ice_written *written, fl_error *err)
{
    (void)attempt;
    (void)written;
    rollback_ctx *c = ctx;
    const ice_metadata *md = t->md;
    int64_t id = c->snapshot_id;
    if (c->by_time) FL_TRY(snapshot_as_of(&id, t, c->timestamp_ms, err));
    const ice_snapshot *target = ice_metadata_snapshot(md, id);
    if (target == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND, "snapshot %" PRId64 " of table \"%s.%s\" does not exist",
                            id, t->ns, t->name);
    const ice_snapshot *cur = ice_metadata_current_snapshot(md);
    if (c->require_ancestor && (cur == NULL || !ice_metadata_is_ancestor(md, cur, id)))
        return fl_error_set(err, FLOE_EINVAL,
                            "cannot roll back table \"%s.%s\" to snapshot %" PRId64 ": it is not an ancestor of the current state",
                            t->ns, t->name, id);
    c->snapshot_id = id;
    return ice_commit_set_current(doc, id, now_ms, err);
}

static int run(ice_table *t, rollback_ctx *c, ice_commit_stats *stats, fl_error *err)
{
    FL_TRY(ice_commit_run(t, rollback_apply, c, stats, err));
    if (stats != NULL) stats->snapshot_id = c->snapshot_id;
    return 0;
}

int ice_txn_rollback_to(ice_table *t, int64_t snapshot_id, ice_commit_stats *stats, fl_error *err)
{
    rollback_ctx c = {.snapshot_id = snapshot_id, .require_ancestor = true};
    return run(t, &c, stats, err);
}

int ice_txn_set_current(ice_table *t, int64_t snapshot_id, ice_commit_stats *stats, fl_error *err)
{
    rollback_ctx c = {.snapshot_id = snapshot_id};
    return run(t, &c, stats, err);
}

int ice_txn_rollback_to_time(ice_table *t, int64_t timestamp_ms, ice_commit_stats *stats,
                             fl_error *err)
{
    rollback_ctx c = {.require_ancestor = true, .by_time = true, .timestamp_ms = timestamp_ms};
    return run(t, &c, stats, err);
}
