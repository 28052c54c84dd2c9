/*
 * txn_row_delta.c: row delta (Iceberg Java's RowDelta, behind merge-on-read
 * UPDATE, DELETE and MERGE): add data files and position / equality delete
 * files (and remove files) in one snapshot through the snapshot producer
 * (txn_produce.c). The data files the position deletes point at must still
 * be live; a removed data file must not have gained deletes since the
 * starting snapshot; under serializable isolation
 * (write.merge.isolation-level) data or delete files added since then that
 * might match the conflict filter (all rows when none is given) conflict.
 */
#include "ice_txn_int.h"

int ice_txn_row_delta(ice_table *t, const ice_row_delta *delta, const ice_txn_opts *opts,
                      ice_commit_stats *stats, fl_error *err)
{
    ice_produce p = {
        .operation = NULL,
        .what = "commit row delta",
        .isolation_kind = "merge",
        .add_data = delta->add_data,
        .add_data_count = delta->add_data_count,
        .add_deletes = delta->add_deletes,
        .add_delete_count = delta->add_delete_count,
        .remove_paths = delta->remove_paths,
        .remove_count = delta->remove_count,
        .referenced = delta->referenced_data_files,
        .referenced_count = delta->referenced_count,
        .check_new_deletes_for_removed = true,
        .serializable_added_data = true,
        .serializable_added_deletes = true,
    };
    return ice_produce_commit(t, &p, opts, stats, err);
}
