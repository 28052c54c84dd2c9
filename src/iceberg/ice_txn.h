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

/* ---- data-changing operations (engineer "icewrite") ----
 *
 * Overwrite, delete, rewrite and row delta (txn_overwrite.c,
 * txn_delete_files.c, txn_rewrite.c, txn_row_delta.c, sharing
 * txn_produce.c) build one snapshot that adds files (a new data manifest
 * and a new delete manifest, written once for all attempts) and removes
 * files (each parent manifest holding a removed file is rewritten with the
 * removed entries DELETED and the others EXISTING; untouched manifests are
 * carried over as they are). Summaries carry Java's keys: added-/deleted-
 * data-files, added-/removed-delete-files, added-/removed-position- and
 * equality-delete-files, added-/deleted-records, added-/removed-files-size,
 * added-/removed-position-deletes and -equality-deletes,
 * changed-partition-count, and the total-* counts. Format v2 tables only
 * (FLOE_EUNSUPPORTED otherwise: v3 row lineage is not maintained here).
 * Added files must be of the default partition spec.
 *
 * Conflict validation (Iceberg Java's rules; run on every attempt against
 * what was committed after the starting snapshot S, the snapshot the
 * caller read: ice_txn_opts.starting_snapshot_id, default the table's
 * current snapshot when the call starts):
 *   - appends never conflict with anything (ice_txn_append retries);
 *   - S must still be an ancestor of the current snapshot;
 *   - a file to remove by path that is no longer live: "missing required
 *     files to delete" (FLOE_EINVAL instead when the table has not moved
 *     since S: the caller named a file the table does not have);
 *   - an operation that removes data files fails when a delete file added
 *     since S can apply to one of them ("found new delete for replaced data
 *     file"): overwrite, rewrite and row delta, in both isolations (not
 *     delete: deleting a file makes its new deletes moot);
 *   - overwrite by filter fails when a data file matching the filter was
 *     removed since S ("found conflicting deleted files that can contain
 *     records matching"), in both isolations (delete by filter does not:
 *     the rows are gone either way);
 *   - serializable isolation only: an overwrite, delete by filter or row
 *     delta fails when data files that might match its conflict filter
 *     (ice_txn_opts.conflict_filter, default its own filter, or all rows
 *     for operations given by file list) were added since S by an append
 *     or overwrite ("found conflicting files that can contain records
 *     matching ..."), and a row delta when delete files matching it were
 *     added ("found new conflicting delete files that can apply to records
 *     matching ...");
 *   - row delta: the data files its position deletes reference
 *     (ice_row_delta.referenced_data_files) must still be live ("cannot
 *     commit, missing data files"), in both isolations;
 *   - rewrite: the replaced files must all still be live, and no delete
 *     file may have been added since S for a replaced data file; the
 *     isolation level does not matter.
 * Isolation comes from ice_txn_opts.isolation, else the table property
 * write.<kind>.isolation-level ("serializable", the default, or
 * "snapshot") with kind "delete" for the delete operations, "update" for
 * overwrites and "merge" for row deltas (ice_txn_opts.isolation_kind
 * overrides the kind). A failed validation is final: it returns
 * FLOE_ECONFLICT without retrying (the commit protocol retries only the
 * catalog swap), and deletes what the operation wrote; the caller must
 * re-read the table and redo the statement. Overwrite and delete by filter
 * fail with FLOE_EINVAL when a data file holds rows that match the filter
 * and rows that do not ("cannot delete file where some, but not all, rows
 * match filter"); files are checked by their partition (strict projection)
 * and otherwise by reading their rows.
 */

typedef enum ice_isolation {
    ICE_ISOLATION_DEFAULT = 0,       /* the table property (serializable when unset) */
    ICE_ISOLATION_SERIALIZABLE,
    ICE_ISOLATION_SNAPSHOT,
} ice_isolation;

struct ice_expr;

typedef struct ice_txn_opts {
    bool has_starting_snapshot;      /* false: the current snapshot when the call starts */
    int64_t starting_snapshot_id;    /* -1: the table had no snapshot */
    ice_isolation isolation;
    const char *isolation_kind;      /* "delete", "update", "merge"; NULL: the operation's */
    const struct ice_expr *conflict_filter;   /* NULL: the operation's filter, or all rows */
} ice_txn_opts;

/* Removes every data file whose rows all match filter (and delete files
 * whose partition lies wholly inside it) and adds `add` (may be empty), as
 * one "overwrite" snapshot. filter is bound to the current schema. */
int ice_txn_overwrite_by_filter(ice_table *t, const struct ice_expr *filter,
                                const ice_data_file *add, size_t add_count,
                                const ice_txn_opts *opts, ice_commit_stats *stats, fl_error *err);
/* Removes the files at delete_paths (data or delete files, all required)
 * and adds `add`, as one "overwrite" snapshot. */
int ice_txn_overwrite_files(ice_table *t, const char *const *delete_paths, size_t delete_count,
                            const ice_data_file *add, size_t add_count, const ice_txn_opts *opts,
                            ice_commit_stats *stats, fl_error *err);
/* "delete" snapshots: files by path (all required), or by filter as
 * overwrite_by_filter without adding. */
int ice_txn_delete_files(ice_table *t, const char *const *paths, size_t count,
                         const ice_txn_opts *opts, ice_commit_stats *stats, fl_error *err);
int ice_txn_delete_where(ice_table *t, const struct ice_expr *filter, const ice_txn_opts *opts,
                         ice_commit_stats *stats, fl_error *err);
/* Compaction ("replace"): replaces the files at replaced_paths (data files,
 * and delete files made obsolete by the rewrite) by `added` data files
 * holding the same live rows. */
int ice_txn_rewrite_files(ice_table *t, const char *const *replaced_paths, size_t replaced_count,
                          const ice_data_file *added, size_t added_count, const ice_txn_opts *opts,
                          ice_commit_stats *stats, fl_error *err);

typedef struct ice_row_delta {
    const ice_data_file *add_data;            /* content DATA */
    size_t add_data_count;
    const ice_data_file *add_deletes;         /* position or equality delete files */
    size_t add_delete_count;
    const char *const *remove_paths;          /* data or delete files to remove (required) */
    size_t remove_count;
    const char *const *referenced_data_files; /* must still be live at commit */
    size_t referenced_count;
} ice_row_delta;

/* Adds data and delete files (and removes files) in one snapshot: operation
 * "append" when it only adds data files, "delete" when it adds delete files
 * but no data files, "overwrite" otherwise (Java's BaseRowDelta). */
int ice_txn_row_delta(ice_table *t, const ice_row_delta *delta, const ice_txn_opts *opts,
                      ice_commit_stats *stats, fl_error *err);

#endif
