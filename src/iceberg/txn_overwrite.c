/*
 * txn_overwrite.c: overwrite (Iceberg Java's OverwriteFiles): remove the
 * data files whose rows all match a filter, or a list of files, and add
 * new data files, in one "overwrite" snapshot. The work is done by the
 * snapshot producer (txn_produce.c); this file states which files go and
 * which conflicts are checked (ice_txn.h): the filter form fails on a
 * file that only partly matches, and, since S, on deleted files matching
 * the filter, new deletes for the removed files and (serializable) added
 * data files matching the conflict filter.
 */
#include "ice_txn_int.h"

int ice_txn_overwrite_by_filter(ice_table *t, const ice_expr *filter, const ice_data_file *add,
                                size_t add_count, const ice_txn_opts *opts,
                                ice_commit_stats *stats, fl_error *err)
{
    if (filter == NULL)
        return fl_error_set(err, FLOE_EINVAL, "overwrite of table \"%s.%s\" needs a filter", t->ns, t->name);
    ice_produce p = {
        .operation = "overwrite",
        .what = "overwrite",
        .isolation_kind = "update",
        .add_data = add,
        .add_data_count = add_count,
        .filter = filter,
        .check_deleted_matching = true,
        .check_new_deletes_for_removed = true,
        .serializable_added_data = true,
    };
    return ice_produce_commit(t, &p, opts, stats, err);
}

int ice_txn_overwrite_files(ice_table *t, const char *const *delete_paths, size_t delete_count,
                            const ice_data_file *add, size_t add_count, const ice_txn_opts *opts,
                            ice_commit_stats *stats, fl_error *err)
{
    ice_produce p = {
        .operation = "overwrite",
        .what = "overwrite",
        .isolation_kind = "update",
        .add_data = add,
        .add_data_count = add_count,
        .remove_paths = delete_paths,
        .remove_count = delete_count,
        .check_new_deletes_for_removed = true,
        .serializable_added_data = true,
    };
    return ice_produce_commit(t, &p, opts, stats, err);
}
