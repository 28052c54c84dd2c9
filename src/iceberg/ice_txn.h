/*
 * ice_txn.h: table operations that commit a new snapshot or a new current
 * snapshot through the catalog (one operation per file: txn_append.c,
 * txn_rollback.c, txn_expire.c), and the commit protocol they share
 * (ice_commit.c).
 *
 * Commit protocol (spec "Commit Conflict Resolution and Retry"): an
 * operation builds new metadata on top of the table's current metadata,
 * writes it to <location>/metadata/<version>-<uuid>.metadata.json with
 * IO_CREATE_EXCLUSIVE and asks the catalog to swap the pointer
 * (compare-and-swap). On FLOE_ECONFLICT the table is refreshed, the
 * operation is re-applied on the new base and retried after an exponential
 * backoff, as table properties say (Java's names and defaults):
 * commit.retry.num-retries (4), commit.retry.min-wait-ms (100),
 * commit.retry.max-wait-ms (60000), commit.retry.total-timeout-ms
 * (1800000). When it finally fails, the files the operation wrote and no
 * committed metadata references are deleted; after a success, files of the
 * earlier attempts are. On FLOE_EUNKNOWN (the swap may have happened)
 * nothing is deleted and the code is returned as is.
 *
 * Each new metadata file adds a metadata-log entry for the file it replaces
 * (trimmed to write.metadata.previous-versions-max, default 100); each change
 * of the current snapshot adds a snapshot-log entry and moves the "main"
 * branch. Timestamps are the wall clock, but never earlier than the base
 * metadata's last-updated-ms + 1, so the logs stay strictly ordered.
 */
#ifndef ICE_TXN_H
#define ICE_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/error.h"
#include "ice_manifest.h"
#include "ice_table.h"

/* What a commit did (all optional for callers: pass NULL). */
typedef struct ice_commit_stats {
    int attempts;                 /* catalog swaps tried */
    int conflicts;                /* FLOE_ECONFLICT answers that were retried or final */
    int64_t snapshot_id;          /* the new current snapshot (append, rollback) */
} ice_commit_stats;

/* ---- the commit protocol (ice_commit.c) ---- */

/* Files an operation wrote. attempt -1: used by every attempt (kept after
 * a success); otherwise the attempt that wrote it. */
typedef struct ice_written {
    char **locations;
    int *attempts;
    size_t len, cap;
} ice_written;

void ice_written_init(ice_written *w);
void ice_written_dispose(ice_written *w);
int ice_written_add(ice_written *w, const char *location, int attempt, fl_error *err);

/* Changes `doc` (the base metadata as JSON, a copy the callback owns for
 * the call) into the new metadata. base is the table's metadata for this
 * attempt; now_ms the commit's timestamp. Files written go to `written`. */
typedef int (*ice_commit_apply_fn)(void *ctx, const ice_table *t, json_t *doc, int attempt,
                                   int64_t now_ms, ice_written *written, fl_error *err);

/* Runs apply/write/swap with retries (see above). On success the table
 * handle holds the new metadata. */
int ice_commit_run(ice_table *t, ice_commit_apply_fn apply, void *ctx, ice_commit_stats *stats,
                   fl_error *err);

/* Helpers for apply callbacks: makes snapshot_id current (current-snapshot-id,
 * the main branch, a snapshot-log entry at now_ms). */
int ice_commit_set_current(json_t *doc, int64_t snapshot_id, int64_t now_ms, fl_error *err);
/* An integer table property with a default; FLOE_EINVAL when malformed. */
int ice_table_property_i64(const ice_metadata *md, const char *key, int64_t dflt, int64_t *out,
                           fl_error *err);

/* ---- operations ---- */

/* Fast append: adds data files (content DATA, metrics filled, partition
 * tuple of the default spec, spec_id the default spec's) as a new snapshot
 * whose manifest list is the new manifest plus the parent's manifests.
 * Summary as Iceberg Java writes it (operation append, added-* and total-*
 * counts). Appends never conflict with appends: on a conflict it is
 * re-applied on the refreshed table. */
int ice_txn_append(ice_table *t, const ice_data_file *files, size_t file_count,
                   ice_commit_stats *stats, fl_error *err);

/* Makes an existing snapshot current. rollback_to requires it to be an
 * ancestor of the current snapshot (FLOE_EINVAL otherwise, as Java's
 * "Cannot roll back to snapshot, not an ancestor of the current state");
 * set_current allows any snapshot of the table. FLOE_ENOTFOUND when the
 * snapshot does not exist. */
int ice_txn_rollback_to(ice_table *t, int64_t snapshot_id, ice_commit_stats *stats,
                        fl_error *err);
int ice_txn_set_current(ice_table *t, int64_t snapshot_id, ice_commit_stats *stats,
                        fl_error *err);
/* Rolls back to the snapshot that was current at timestamp_ms (the last
 * snapshot-log entry at or before it that is an ancestor of the current
 * snapshot). */
int ice_txn_rollback_to_time(ice_table *t, int64_t timestamp_ms, ice_commit_stats *stats,
                             fl_error *err);

typedef struct ice_expire_result {
    size_t expired_snapshots;
    size_t deleted_manifest_lists;
    size_t deleted_manifests;
    size_t deleted_data_files;
} ice_expire_result;

/* Removes the snapshots older than older_than_ms except the current one
 * and those any branch or tag points to, commits, then deletes the
 * manifest lists, manifests and data/delete files that no retained
 * snapshot reaches. Nothing is deleted unless the commit succeeded.
 * result may be NULL. */
int ice_txn_expire(ice_table *t, int64_t older_than_ms, ice_expire_result *result,
                   ice_commit_stats *stats, fl_error *err);

#endif
