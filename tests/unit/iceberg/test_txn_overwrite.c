/*
 * test_txn_overwrite.c: overwrite by filter and by file list, delete by
 * filter and by path: the rows read back through ice_scan / ice_read, the
 * snapshot summaries (Java's keys and totals), and the errors (a file that
 * only partly matches the filter, a file that is not in the table).
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/iceberg/ice_expr.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../../../src/iceberg/ice_txn.h"
#include "../test.h"
#include "test_icewrite_util.h"

#define CAT_SPEC "[{\"name\":\"cat\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]"

static bool cat_is(int64_t id, int c) { return id % 97 != 13 && id % 5 == c; }

static const ice_expr *parse(const ice_table *t, const char *text, fl_arena *a)
{
    fl_error err;
    const ice_expr *e = NULL;
    CHECK_OK(ice_expr_parse(&e, text, ice_metadata_current_schema(t->md), a, &err), &err);
    return e;
}

static bool want_after_overwrite(int64_t id)
{
    if (id < 1000) return !cat_is(id, 1);
    return id >= 10000 && id < 10100 && id % 5 == 1;
}

static bool want_after_null_delete(int64_t id)
{
    return want_after_overwrite(id) && !(id < 1000 && id % 97 == 13);
}

TEST(txn_overwrite_by_filter_replaces_a_partition)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    if (!iw_create(&e, "ow", CAT_SPEC, NULL, 0, &t) || !iw_append(t, 0, 1000, NULL, NULL, a)) goto done;
    int64_t c1_rows = 0;
    for (int64_t id = 0; id < 1000; id++) c1_rows += cat_is(id, 1);
    int64_t new_ids[20];
    size_t nn = 0;
    for (int64_t id = 10000; id < 10100; id++)
        if (id % 5 == 1) new_ids[nn++] = id;   /* none of them has id % 97 == 13 */
    ice_data_file *files = NULL;
    size_t count = 0;
    if (!iw_write_ids(t, NULL, new_ids, nn, &files, &count, a) || !CHECK_EQ(count, 1)) goto done;
    int64_t before = ice_metadata_current_snapshot(t->md)->snapshot_id;
    ice_commit_stats st;
    if (!CHECK_OK(ice_txn_overwrite_by_filter(t, parse(t, "cat = 'c1'", a), files, count, NULL, &st, &err), &err))
        goto done;
    const ice_snapshot *s = ice_metadata_current_snapshot(t->md);
    CHECK_EQ(s->snapshot_id, st.snapshot_id);
    CHECK(s->has_parent && s->parent_id == before);
    CHECK_STR(iw_operation(t), "overwrite");
    CHECK_EQ(iw_summary(t, "added-data-files"), 1);
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 1);
    CHECK_EQ(iw_summary(t, "added-records"), 20);
    CHECK_EQ(iw_summary(t, "deleted-records"), c1_rows);
    CHECK_EQ(iw_summary(t, "changed-partition-count"), 1);
    CHECK_EQ(iw_summary(t, "total-records"), 1000 - c1_rows + 20);
    CHECK_EQ(iw_summary(t, "total-data-files"), 6);
    CHECK(iw_summary(t, "removed-files-size") > 0 && iw_summary(t, "added-files-size") > 0);
    CHECK_EQ(iw_summary(t, "total-delete-files"), 0);
    CHECK(iw_check_ids(t, want_after_overwrite, 0, 20000));

    /* a file with rows on both sides of the filter: refused, nothing changes */
    int64_t cur = s->snapshot_id;
    CHECK_EQ(ice_txn_overwrite_by_filter(t, parse(t, "id < 500", a), NULL, 0, NULL, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "cannot delete file where some, but not all, rows match filter") != NULL);
    CHECK_EQ(ice_metadata_current_snapshot(t->md)->snapshot_id, cur);

    /* nothing matches: an overwrite snapshot that changes nothing */
    CHECK_OK(ice_txn_overwrite_by_filter(t, parse(t, "id > 100000", a), NULL, 0, NULL, NULL, &err), &err);
    CHECK_EQ(iw_summary(t, "deleted-data-files"), -1);
    CHECK_EQ(iw_summary(t, "total-records"), 1000 - c1_rows + 20);
    CHECK(iw_check_ids(t, want_after_overwrite, 0, 20000));

    /* the null partition goes with "cat is null" (strict projection) */
    CHECK_OK(ice_txn_delete_where(t, parse(t, "cat is null", a), NULL, NULL, &err), &err);
    CHECK_STR(iw_operation(t), "delete");
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 1);
    CHECK_EQ(iw_summary(t, "total-data-files"), 5);
    /* the manifest rewritten twice (a DELETED entry from the overwrite first) keeps the others */
    CHECK(iw_check_ids(t, want_after_null_delete, 0, 20000));
    ice_scan_plan *plan = NULL;
    if (CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, NULL, &err), &err)) CHECK_EQ(plan->task_count, 5);
    ice_scan_plan_free(plan);
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

static bool want_100_300(int64_t id) { return id >= 100 && id < 300; }
static bool want_200_300_and_new(int64_t id) { return (id >= 200 && id < 300) || (id >= 500 && id < 510); }

TEST(txn_overwrite_files_and_delete_by_rows)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *fa = NULL, *fb = NULL, *fc = NULL, *fn = NULL;
    size_t n = 0;
    if (!iw_create(&e, "flat", NULL, NULL, 0, &t) || !iw_append(t, 0, 100, &fa, &n, a) ||
        !iw_append(t, 100, 100, &fb, &n, a) || !iw_append(t, 200, 100, &fc, &n, a))
        goto done;
    /* unpartitioned: the rows decide (all of file a matches id < 100) */
    CHECK_OK(ice_txn_delete_where(t, parse(t, "id < 100", a), NULL, NULL, &err), &err);
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 1);
    CHECK_EQ(iw_summary(t, "deleted-records"), 100);
    CHECK_EQ(iw_summary(t, "total-records"), 200);
    CHECK(iw_check_ids(t, want_100_300, 0, 1000));
    /* by file list: b goes, new rows come */
    if (!iw_write(t, NULL, 500, 10, &fn, &n, a)) goto done;
    const char *paths[] = {fb[0].file_path};
    CHECK_OK(ice_txn_overwrite_files(t, paths, 1, fn, n, NULL, NULL, &err), &err);
    CHECK_STR(iw_operation(t), "overwrite");
    CHECK_EQ(iw_summary(t, "total-records"), 110);
    CHECK_EQ(iw_summary(t, "total-data-files"), 2);
    CHECK(iw_check_ids(t, want_200_300_and_new, 0, 1000));
    /* a file no longer in the table */
    CHECK_EQ(ice_txn_delete_files(t, paths, 1, NULL, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "is not a live file") != NULL);
    const char *p2[] = {fc[0].file_path, fn[0].file_path};
    CHECK_OK(ice_txn_delete_files(t, p2, 2, NULL, NULL, &err), &err);
    CHECK_STR(iw_operation(t), "delete");
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 2);
    CHECK_EQ(iw_summary(t, "total-records"), 0);
    CHECK_EQ(iw_summary(t, "total-data-files"), 0);
    CHECK_EQ(iw_summary(t, "total-files-size"), 0);
    int64_t *ids = NULL;
    size_t got = 1;
    if (iw_ids(t, -1, NULL, &ids, &got)) CHECK_EQ(got, 0);
    fl_free(ids);
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

static bool want_not_c2(int64_t id) { return id % 5 != 2; }

TEST(txn_delete_where_keeps_untouched_manifests)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    if (!iw_create(&e, "prune", CAT_SPEC, NULL, 0, &t)) goto done;
    /* one append per category: five manifests, one partition each (no null categories below 97) */
    for (int c = 0; c < 5; c++) {
        int64_t ids[20];
        for (int i = 0; i < 19; i++) ids[i] = i * 5 + c;
        ice_data_file *f = NULL;
        size_t n = 0;
        if (!iw_write_ids(t, NULL, ids, 19, &f, &n, a) || !CHECK_OK(ice_txn_append(t, f, n, NULL, &err), &err))
            goto done;
    }
    ice_manifest_list *before = NULL, *after = NULL;
    CHECK_OK(ice_snapshot_manifests(&before, t->fs, t->md, ice_metadata_current_snapshot(t->md), &err), &err);
    CHECK_OK(ice_txn_delete_where(t, parse(t, "cat = 'c2'", a), NULL, NULL, &err), &err);
    CHECK_OK(ice_snapshot_manifests(&after, t->fs, t->md, ice_metadata_current_snapshot(t->md), &err), &err);
    if (before && after && CHECK_EQ(after->count, 5)) {
        size_t kept = 0;
        for (size_t i = 0; i < after->count; i++)
            for (size_t k = 0; k < before->count; k++)
                kept += strcmp(after->files[i].manifest_path, before->files[k].manifest_path) == 0;
        CHECK_EQ(kept, 4);
    }
    ice_manifest_list_free(before);
    ice_manifest_list_free(after);
    CHECK_EQ(iw_summary(t, "deleted-records"), 19);
    CHECK(iw_check_ids(t, want_not_c2, 0, 95));
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

static bool want_150_200(int64_t id) { return id >= 150 && id < 200; }

TEST(txn_delete_where_decides_by_metrics_before_reading)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *fa = NULL, *fb = NULL;
    size_t n = 0;
    if (!iw_create(&e, "strict", NULL, NULL, 0, &t) || !iw_append(t, 0, 100, &fa, &n, a) ||
        !iw_append(t, 100, 100, &fb, &n, a))
        goto done;
    /* file a's bytes are gone: only its metrics can show that all its ids are < 100 */
    CHECK_OK(io_write_file(t->fs, fa[0].file_path, 0, "garbage", 7, &err), &err);
    CHECK_OK(ice_txn_delete_where(t, parse(t, "id < 100 and id is not null", a), NULL, NULL, &err), &err);
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 1);
    CHECK_EQ(iw_summary(t, "deleted-records"), 100);
    /* b straddles 150: its rows are read, and it only partly matches */
    CHECK_EQ(ice_txn_delete_where(t, parse(t, "id < 150", a), NULL, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, fb[0].file_path) != NULL);
    /* equality on a one-value column, IN and != by metrics too */
    CHECK_OK(ice_txn_delete_where(t, parse(t, "id != 5", a), NULL, NULL, &err), &err);
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 1);
    ice_data_file *fc = NULL;
    if (!iw_append(t, 150, 50, &fc, &n, a)) goto done;
    CHECK(iw_check_ids(t, want_150_200, 0, 1000));
    CHECK_OK(ice_txn_delete_where(t, parse(t, "id in (1, 2) or id >= 150", a), NULL, NULL, &err), &err);
    CHECK_EQ(iw_summary(t, "total-records"), 0);
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}
