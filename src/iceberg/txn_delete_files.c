/*
 * txn_delete_files.c: delete (Iceberg Java's DeleteFiles): remove data or
 * delete files by path, or the data files whose rows all match a filter,
 * in one "delete" snapshot through the snapshot producer (txn_produce.c).
 * By path, every file must still be live ("missing required files to
 * delete" after a concurrent removal). By filter, a file that only partly
 * matches fails, and under serializable isolation
 * (write.delete.isolation-level) data files added since the starting
 * snapshot that might match the filter are a conflict; files matching it
 * that someone else removed meanwhile are not (the rows are gone either
 * way).
 */
#include "ice_txn_int.h"

int ice_txn_delete_files(ice_table *t, const char *const *paths, size_t count,
                         const ice_txn_opts *opts, ice_commit_stats *stats, fl_error *err)
{
    ice_produce p = {
        .operation = "delete",
        .what = "delete",
        .isolation_kind = "delete",
        .remove_paths = paths,
        .remove_count = count,
    };
    return ice_produce_commit(t, &p, opts, stats, err);
}

int ice_txn_delete_where(ice_table *t, const ice_expr *filter, const ice_txn_opts *opts,
                         ice_commit_stats *stats, fl_error *err)
{
    if (filter == NULL)
        return fl_error_set(err, FLOE_EINVAL, "delete from table \"%s.%s\" needs a filter", t->ns, t->name);
    ice_produce p = {
        .operation = "delete",
        .what = "delete",
        .isolation_kind = "delete",
        .filter = filter,
        .serializable_added_data = true,
    };
    return ice_produce_commit(t, &p, opts, stats, err);
}
