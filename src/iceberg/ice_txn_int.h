/*
 * ice_txn_int.h: the snapshot producer shared by the data-changing table
 * operations (txn_overwrite.c, txn_delete_files.c, txn_rewrite.c,
 * txn_row_delta.c), implemented in txn_produce.c. Not a contract between
 * layers: each operation fills an ice_produce and calls ice_produce_commit;
 * the rules it applies are documented in ice_txn.h.
 */
#ifndef ICE_TXN_INT_H
#define ICE_TXN_INT_H

#include "ice_expr.h"
#include "ice_txn.h"

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
