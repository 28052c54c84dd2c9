/*
 * txn_rewrite.c: rewrite (Iceberg Java's RewriteFiles, compaction): replace
 * a set of files by data files holding the same live rows, as one
 * "replace" snapshot through the snapshot producer (txn_produce.c). The
 * replaced files must all still be live and no delete file may have been
 * added since the starting snapshot for a replaced data file (its rows
 * would come back); isolation levels do not apply, and appends never
 * conflict with a rewrite.
 */
#include "ice_txn_int.h"

int ice_txn_rewrite_files(ice_table *t, const char *const *replaced_paths, size_t replaced_count,
                          const ice_data_file *added, size_t added_count, const ice_txn_opts *opts,
                          ice_commit_stats *stats, fl_error *err)
{
    if (replaced_count == 0)
        return fl_error_set(err, FLOE_EINVAL, "rewrite of table \"%s.%s\" replaces no files", t->ns, t->name);
    ice_produce p = {
        .operation = "replace",
        .what = "rewrite",
        .add_data = added,
        .add_data_count = added_count,
        .remove_paths = replaced_paths,
        .remove_count = replaced_count,
        .check_new_deletes_for_removed = true,
    };
    return ice_produce_commit(t, &p, opts, stats, err);
}
