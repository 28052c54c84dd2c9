/*
 * ice_txn_int.h: the snapshot producer shared by the data-changing table
 * operations (txn_overwrite.c, txn_delete_files.c, txn_rewrite.c,
 * txn_row_delta.c), implemented in txn_produce.c, and the file naming and
 * manifest-list opening every snapshot-writing operation shares (append,
 * cherry-pick, the producer), implemented in ice_commit.c. Not a contract
 * between layers: each operation fills an ice_produce and calls
 * ice_produce_commit; the rules it applies are documented in ice_txn.h.
 */
#ifndef ICE_TXN_INT_H
#define ICE_TXN_INT_H

#include "ice_expr.h"
#include "ice_manifest.h"
#include "ice_txn.h"

/* A new file name under <table_location>/metadata, as Java names them:
 * snap-<snapshot_id>-<attempt + 1>-<uuid>.avro for a manifest list (list),
 * <uuid>-m<k>.avro for the k-th manifest of a commit otherwise. */
int ice_txn_file_location(char *out, size_t cap, const char *table_location, int64_t snapshot_id,
                          int attempt, size_t k, bool list, fl_error *err);

/* Opens the manifest list of new snapshot snapshot_id of t (parent: its
 * parent, or NULL; seq: its sequence number; v3: the table's next row id
 * as first row id) at a new location written to loc, recorded in written
 * under attempt. On failure nothing is left open. */
int ice_txn_list_writer_open(ice_manifest_list_writer **out, const ice_table *t, int64_t snapshot_id,
                             const ice_snapshot *parent, int64_t seq, int attempt, char *loc,
                             size_t cap, ice_written *written, fl_error *err);

/* Adds new snapshot snapshot_id to doc (the metadata being committed, md
 * its base) and makes it current on main: its sequence number seq, parent
 * (NULL: none), summary (consumed; NULL reports out of memory), manifest
 * list list_loc and the current schema id; last-sequence-number; in v3
 * first-row-id and added-rows from md's next row id up to next_row_id
 * (the manifest list writer's), which becomes the table's next-row-id. */
int ice_txn_add_snapshot(json_t *doc, const ice_metadata *md, int64_t snapshot_id,
                         const ice_snapshot *parent, int64_t seq, int64_t now_ms, json_t *summary,
                         const char *list_loc, int64_t next_row_id, fl_error *err);

typedef struct ice_produce {
    const char *operation;                 /* snapshot operation; NULL: Java's row-delta rule */
    const char *what;                      /* the operation in messages: "overwrite", ... */
    const char *isolation_kind;            /* write.<kind>.isolation-level; NULL: none applies */
    const ice_data_file *add_data;
    size_t add_data_count;
    const ice_data_file *add_deletes;
    size_t add_delete_count;
    const char *const *remove_paths;       /* must all be live */
    size_t remove_count;
    const ice_expr *filter;                /* remove files whose rows all match */
    const char *const *referenced;         /* data files that must stay live */
    size_t referenced_count;
    /* checks in both isolations */
    bool check_deleted_matching;           /* data files matching the filter removed since S */
    bool check_new_deletes_for_removed;    /* delete files added since S for removed data files */
    /* checks under serializable isolation only */
    bool serializable_added_data;          /* data files added since S matching the conflict filter */
    bool serializable_added_deletes;       /* delete files added since S matching it */
    const ice_expr *conflict_filter;       /* NULL: the filter, or all rows */
} ice_produce;

/* Resolves opts (starting snapshot, isolation) and commits p. */
int ice_produce_commit(ice_table *t, const ice_produce *p, const ice_txn_opts *opts,
                       ice_commit_stats *stats, fl_error *err);

#endif
