/*
 * test_plan_small.c: the scan-planning benchmark's table generator
 * (bench/plan/plan_gen.c) and the planner on a small table of 200 data
 * files in 20 manifests: exact task, manifest and file counts unfiltered,
 * with a partition range (manifests skipped by the manifest list's
 * summaries), with an id range (files skipped by column bounds only), on
 * the calling thread and on a pool.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "../../../bench/plan/plan_gen.h"
#include "../../../src/base/threads.h"
#include "../../../src/iceberg/ice_scan.h"

/* Plans `filter` ("" = none) and checks the counts; true when they match. */
static bool plan_counts(io_fs *fs, const ice_metadata *md, const char *filter, fl_pool *pool,
                        size_t tasks, size_t manifests_skipped, size_t files_skipped)
{
    fl_error err;
    fl_arena *arena = fl_arena_new(0);
    ice_scan_opts o = {0};
    o.pool = pool;
    bool ok = true;
    if (filter[0])
        ok = CHECK_OK(ice_expr_parse(&o.filter, filter, ice_metadata_current_schema(md), arena,
                                     &err), &err);
    ice_scan_plan *plan = NULL;
    ok = ok && CHECK_OK(ice_scan_plan_new(&plan, fs, md, &o, &err), &err);
    if (ok) {
        ok = CHECK_EQ(plan->task_count, tasks) && ok;
        ok = CHECK_EQ(plan->manifests_total, 20) && ok;
        ok = CHECK_EQ(plan->manifests_skipped, manifests_skipped) && ok;
        ok = CHECK_EQ(plan->data_files_skipped, files_skipped) && ok;
        ok = CHECK_EQ(ice_scan_plan_record_count(plan),
                      (int64_t)tasks * PLAN_GEN_ROWS_PER_FILE) && ok;
        ok = CHECK_EQ(plan->delete_count, 0) && ok;
    }
    ice_scan_plan_free(plan);
    fl_arena_free(arena);
    return ok;
}

TEST(plan_small_generated_table_counts)
{
    fl_error err;
    char root[1024], filter[200];
    snprintf(root, sizeof(root), "%s/plan_small", ft_tmpdir());
    io_fs *fs = io_local_new();
    ice_metadata *md = NULL;
    fl_pool *pool = NULL;
    if (!CHECK(fs != NULL) || !CHECK_OK(plan_gen_table(&md, fs, root, 20, 10, &err), &err))
        goto done;
    CHECK_OK(fl_pool_new(&pool, 2), &err);
    for (int p = 0; p < 2; p++) {
        fl_pool *use = p ? pool : NULL;
        plan_counts(fs, md, "", use, 200, 0, 0);
        /* days 5..6: 2 manifests of 20 remain, by their partition summaries */
        plan_gen_day_filter(filter, sizeof(filter), 5, 2);
        CHECK_STR(filter, "day >= '2020-01-06' and day < '2020-01-08'");
        plan_counts(fs, md, filter, use, 20, 18, 0);
        /* files 37..39: no partition predicate, bounds skip the other 197 */
        plan_gen_id_filter(filter, sizeof(filter), 37, 3);
        CHECK_STR(filter, "id >= 37000 and id < 40000");
        plan_counts(fs, md, filter, use, 3, 0, 197);
        /* both: files 55..59 lie in day 5 (files 50..59) */
        plan_counts(fs, md, "day = '2020-01-06' and id >= 55000", use, 5, 19, 5);
        /* one id past the table's last file: nothing */
        plan_counts(fs, md, "id > 199999", use, 0, 0, 200);
    }
    /* the table is written once: a second generation into the same place fails */
    ice_metadata *again = NULL;
    CHECK(plan_gen_table(&again, fs, root, 20, 10, &err) < 0);
    CHECK(again == NULL);
    CHECK_EQ(plan_gen_table(&again, fs, root, 0, 10, &err), FLOE_EINVAL);
done:
    fl_pool_free(pool);
    ice_metadata_free(md);
    io_fs_free(fs);
}
