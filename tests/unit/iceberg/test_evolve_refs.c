/*
 * test_evolve_refs.c: branches and tags (create, replace, remove,
 * fast-forward, retention settings in the metadata, errors), cherry-pick
 * (fast-forward, an append re-applied with source-snapshot-id, refusals)
 * and snapshot expiry under the refs' retention rules, on SQLite-catalog
 * tables built with the test_txn_util helpers.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../../src/iceberg/ice_evolve.h"
#include "../test.h"
#include "test_txn_util.h"

/* Appends `count` snapshots of 10 rows each (ids 10*i ..); ids out. */
static bool append_n(tt_env *e, ice_table *t, fl_arena *a, int first, int count, int64_t *ids)
{
    fl_error err;
    for (int i = 0; i < count; i++) {
        ice_data_file df;
        char tag[32];
        snprintf(tag, sizeof(tag), "f%d", first + i);
        if (!tt_data_file(t, e->fs, tag, 10 * (first + i), 10, &df, a)) return false;
        ice_commit_stats st;
        if (!CHECK_OK(ice_txn_append(t, &df, 1, &st, &err), &err)) return false;
        ids[i] = st.snapshot_id;
    }
    return true;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

TEST(evolve_branch_and_tag_lifecycle)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    int64_t s[3];
    if (!tt_env_open(&e) || !tt_create(&e, "refs", NULL, 0, &t) || !append_n(&e, t, a, 0, 3, s)) goto done;
    /* a branch with retention at s1, a tag at s2 */
    ice_ref_opts bo = {.snapshot_id = s[0], .min_snapshots_to_keep = 3, .max_snapshot_age_ms = 86400000,
                       .max_ref_age_ms = 604800000};
    ice_commit_stats st;
    CHECK_OK(ice_txn_ref_create(t, "audit", false, &bo, &st, &err), &err);
    CHECK_EQ(st.snapshot_id, s[0]);
    ice_ref_opts to = {.snapshot_id = s[1]};
    CHECK_OK(ice_txn_ref_create(t, "v1", true, &to, NULL, &err), &err);
    const ice_snapshot_ref *r = ice_metadata_ref(t->md, "audit");
    if (CHECK(r)) {
        CHECK(!r->is_tag);
        CHECK_EQ(r->snapshot_id, s[0]);
        CHECK(r->has_min_snapshots_to_keep && r->min_snapshots_to_keep == 3);
        CHECK(r->has_max_snapshot_age_ms && r->max_snapshot_age_ms == 86400000);
        CHECK(r->has_max_ref_age_ms && r->max_ref_age_ms == 604800000);
    }
    r = ice_metadata_ref(t->md, "v1");
    CHECK(r && r->is_tag && r->snapshot_id == s[1] && !r->has_max_ref_age_ms);
    CHECK_EQ(t->md->current_snapshot_id, s[2]);   /* refs other than main leave current alone */
    /* reading through the refs */
    const ice_snapshot *snap = NULL;
    CHECK_OK(ice_metadata_snapshot_by_ref(&snap, t->md, "audit", &err), &err);
    CHECK(snap && snap->snapshot_id == s[0]);
    int64_t rows, sum;
    CHECK(tt_read(t, snap->snapshot_id, &rows, &sum) && rows == 10 && sum == 45);
    /* default: current snapshot */
    CHECK_OK(ice_txn_ref_create(t, "head", true, NULL, NULL, &err), &err);
    CHECK_EQ(ice_metadata_ref(t->md, "head")->snapshot_id, s[2]);

    /* errors */
    CHECK_EQ(ice_txn_ref_create(t, "v1", false, NULL, NULL, &err), FLOE_EEXISTS);
    CHECK(strstr(err.message, "ref \"v1\" of table \"db.refs\" already exists") != NULL);
    ice_ref_opts bad = {.snapshot_id = s[0], .min_snapshots_to_keep = 2};
    CHECK_EQ(ice_txn_ref_create(t, "t2", true, &bad, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "tags do not support") != NULL);
    bad = (ice_ref_opts){.snapshot_id = s[0], .max_ref_age_ms = -5};
    CHECK_EQ(ice_txn_ref_create(t, "b2", false, &bad, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "must be greater than 0") != NULL);
    bad = (ice_ref_opts){.snapshot_id = 12345};
    CHECK_EQ(ice_txn_ref_create(t, "b2", false, &bad, NULL, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "snapshot 12345") != NULL);
    CHECK_EQ(ice_txn_ref_replace(t, "v1", false, &to, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "is a tag, not a branch") != NULL);
    CHECK_EQ(ice_txn_ref_remove(t, "nope", true, NULL, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "tag \"nope\" of table \"db.refs\" does not exist") != NULL);
    CHECK_EQ(ice_txn_ref_remove(t, "main", false, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "cannot remove the main branch") != NULL);
    CHECK_EQ(ice_txn_ref_create(t, "", false, NULL, NULL, &err), FLOE_EINVAL);
    size_t snapshots = t->md->metadata_log_count;

    /* replace keeps retention, moves the ref */
    ice_ref_opts ro = {.snapshot_id = s[1]};
    CHECK_OK(ice_txn_ref_replace(t, "audit", false, &ro, NULL, &err), &err);
    r = ice_metadata_ref(t->md, "audit");
    CHECK(r && r->snapshot_id == s[1] && r->min_snapshots_to_keep == 3);
    CHECK_EQ(t->md->metadata_log_count, snapshots + 1);   /* errors committed nothing */
    /* fast-forward the branch to main, refuse the way back */
    CHECK_OK(ice_txn_branch_fast_forward(t, "audit", "main", &st, &err), &err);
    CHECK_EQ(ice_metadata_ref(t->md, "audit")->snapshot_id, s[2]);
    CHECK_EQ(st.snapshot_id, s[2]);
    CHECK_OK(ice_txn_ref_replace(t, "audit", false, &(ice_ref_opts){.snapshot_id = s[0]}, NULL, &err), &err);
    CHECK_EQ(ice_txn_branch_fast_forward(t, "main", "audit", NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "is not an ancestor of \"audit\"") != NULL);
    /* replacing main moves the current snapshot and logs it */
    size_t log_len = t->md->snapshot_log_count;
    CHECK_OK(ice_txn_ref_replace(t, "main", false, &(ice_ref_opts){.snapshot_id = s[0]}, NULL, &err), &err);
    CHECK_EQ(t->md->current_snapshot_id, s[0]);
    CHECK_EQ(t->md->snapshot_log_count, log_len + 1);
    /* ... and fast-forwarding main back to the tag "head" */
    CHECK_OK(ice_txn_branch_fast_forward(t, "main", "head", NULL, &err), &err);
    CHECK_EQ(t->md->current_snapshot_id, s[2]);
    /* remove */
    CHECK_OK(ice_txn_ref_remove(t, "v1", true, NULL, &err), &err);
    CHECK_OK(ice_txn_ref_remove(t, "audit", false, NULL, &err), &err);
    CHECK(ice_metadata_ref(t->md, "v1") == NULL && ice_metadata_ref(t->md, "audit") == NULL);
    /* a fresh load sees the same refs */
    ice_table *t2 = NULL;
    if (CHECK_OK(ice_table_load(&t2, e.catalog, e.fs, "db", "refs", &err), &err)) {
        CHECK_EQ(t2->md->ref_count, 2);   /* main, head */
        CHECK(ice_metadata_ref(t2->md, "head") != NULL);
    }
    ice_table_free(t2);
done:
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(evolve_cherry_pick)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    int64_t s[3], rows, sum;
    if (!tt_env_open(&e) || !tt_create(&e, "pick", NULL, 0, &t) || !append_n(&e, t, a, 0, 3, s)) goto done;
    CHECK_OK(ice_txn_rollback_to(t, s[0], NULL, &err), &err);
    /* s3's parent is s2, not the current s1: re-applied as a new append */
    ice_commit_stats st;
    CHECK_OK(ice_txn_cherry_pick(t, s[2], &st, &err), &err);
    const ice_snapshot *cur = ice_metadata_current_snapshot(t->md);
    if (!CHECK(cur)) goto done;
    CHECK(st.snapshot_id == cur->snapshot_id && cur->snapshot_id != s[2]);
    CHECK_STR(cur->operation, "append");
    CHECK_EQ(cur->parent_id, s[0]);
    CHECK_EQ(tt_summary(cur, "source-snapshot-id"), s[2]);
    CHECK_EQ(tt_summary(cur, "added-data-files"), 1);
    CHECK_EQ(tt_summary(cur, "added-records"), 10);
    CHECK_EQ(tt_summary(cur, "total-records"), 20);
    CHECK_EQ(tt_summary(cur, "total-data-files"), 2);
    CHECK_EQ(cur->sequence_number, 4);
    /* rows of s1 (0..9) and s3 (20..29) */
    CHECK(tt_read(t, -1, &rows, &sum));
    CHECK_EQ(rows, 20);
    CHECK_EQ(sum, 45 + 245);
    int64_t picked = cur->snapshot_id;
    /* picking it again, or an ancestor, is refused */
    CHECK_EQ(ice_txn_cherry_pick(t, s[2], NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "already picked to create ancestor") != NULL);
    CHECK_EQ(ice_txn_cherry_pick(t, s[0], NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "already an ancestor") != NULL);
    CHECK_EQ(ice_txn_cherry_pick(t, 42, NULL, &err), FLOE_ENOTFOUND);
    /* s2 (parent s1) now re-applies too: current is the picked snapshot */
    CHECK_OK(ice_txn_cherry_pick(t, s[1], &st, &err), &err);
    cur = ice_metadata_current_snapshot(t->md);
    CHECK(cur && cur->parent_id == picked && tt_summary(cur, "source-snapshot-id") == s[1]);
    CHECK(tt_read(t, -1, &rows, &sum) && rows == 30 && sum == 435);
    /* fast-forward: back at s1, picking s2 (its child) just moves main */
    CHECK_OK(ice_txn_rollback_to(t, s[0], NULL, &err), &err);
    size_t count = t->md->snapshot_count;
    CHECK_OK(ice_txn_cherry_pick(t, s[1], &st, &err), &err);
    CHECK_EQ(st.snapshot_id, s[1]);
    CHECK_EQ(t->md->current_snapshot_id, s[1]);
    CHECK_EQ(t->md->snapshot_count, count);
done:
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(evolve_expire_respects_ref_retention)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    int64_t s[4];
    if (!tt_env_open(&e) || !tt_create(&e, "keep", NULL, 0, &t) || !append_n(&e, t, a, 0, 4, s)) goto done;
    /* branch b at s3 keeping 2 snapshots; tag old at s1 that expires after 1 ms */
    CHECK_OK(ice_txn_ref_create(t, "b", false, &(ice_ref_opts){.snapshot_id = s[2], .min_snapshots_to_keep = 2},
                                NULL, &err), &err);
    CHECK_OK(ice_txn_ref_create(t, "old", true, &(ice_ref_opts){.snapshot_id = s[0], .max_ref_age_ms = 1},
                                NULL, &err), &err);
    sleep_ms(5);
    ice_expire_result res;
    CHECK_OK(ice_txn_expire(t, ice_now_ms() + 1, &res, NULL, &err), &err);
    CHECK_EQ(res.expired_snapshots, 1);   /* s1: its tag aged out */
    CHECK(ice_metadata_snapshot(t->md, s[0]) == NULL);
    CHECK(ice_metadata_snapshot(t->md, s[1]) != NULL);   /* b keeps s3 and s2 */
    CHECK(ice_metadata_snapshot(t->md, s[2]) != NULL);
    CHECK(ice_metadata_ref(t->md, "old") == NULL);
    CHECK(ice_metadata_ref(t->md, "b") != NULL);
    int64_t rows, sum;
    CHECK(tt_read(t, s[1], &rows, &sum) && rows == 20);
    /* a branch keeping an hour of history keeps everything */
    CHECK_OK(ice_txn_ref_remove(t, "b", false, NULL, &err), &err);
    CHECK_OK(ice_txn_ref_create(t, "c", false, &(ice_ref_opts){.snapshot_id = s[3], .max_snapshot_age_ms = 3600000},
                                NULL, &err), &err);
    size_t versions = t->md->metadata_log_count;
    CHECK_OK(ice_txn_expire(t, ice_now_ms() + 1, &res, NULL, &err), &err);
    CHECK_EQ(res.expired_snapshots, 0);
    CHECK_EQ(t->md->metadata_log_count, versions);   /* nothing to do: no commit */
    /* the table default min-snapshots-to-keep applies to main */
    CHECK_OK(ice_txn_ref_remove(t, "c", false, NULL, &err), &err);
    const ice_kv set[] = {{"history.expire.min-snapshots-to-keep", "2"}};
    CHECK_OK(ice_txn_update_properties(t, set, 1, NULL, 0, NULL, &err), &err);
    CHECK_OK(ice_txn_expire(t, ice_now_ms() + 1, &res, NULL, &err), &err);
    CHECK_EQ(res.expired_snapshots, 1);   /* s2 goes; s4 and s3 stay */
    CHECK_EQ(t->md->snapshot_count, 2);
    CHECK(ice_metadata_snapshot(t->md, s[2]) != NULL && ice_metadata_snapshot(t->md, s[3]) != NULL);
    CHECK(tt_read(t, -1, &rows, &sum) && rows == 40 && sum == 780);
done:
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(evolve_cherry_pick_partitioned)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    int64_t first = 0, rows, sum;
    if (!tt_env_open(&e) || !tt_create(&e, "pickp", NULL, 0, &t)) goto done;
    ice_data_file df0;
    ice_commit_stats st;
    if (!tt_data_file(t, e.fs, "base", 0, 5, &df0, a) || !CHECK_OK(ice_txn_append(t, &df0, 1, &st, &err), &err))
        goto done;
    first = st.snapshot_id;
    const ice_spec_change ch[] = {{.op = ICE_SPEC_ADD_FIELD, .term = "id"}};
    if (!CHECK_OK(ice_txn_update_spec(t, ch, 1, NULL, &err), &err)) goto done;
    /* one snapshot of four single-row files in three partitions (id 10 twice) */
    ice_data_file df[4];
    fl_value pv[4];
    const int64_t ids[4] = {10, 11, 12, 10};
    for (int i = 0; i < 4; i++) {
        char tag[16];
        snprintf(tag, sizeof(tag), "p%d", i);
        if (!tt_data_file(t, e.fs, tag, ids[i], 1, &df[i], a)) goto done;
        pv[i] = (fl_value){.type = fl_type_make(FL_TYPE_INT64), .v.i64 = ids[i]};
        df[i].partition = &pv[i];
        df[i].partition_count = 1;
    }
    if (!CHECK_OK(ice_txn_append(t, df, 4, &st, &err), &err)) goto done;
    int64_t picked = st.snapshot_id;
    /* an unrelated append, so that picking is not a fast-forward */
    ice_data_file other;
    CHECK_OK(ice_txn_rollback_to(t, first, NULL, &err), &err);
    fl_value opv = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = 100};
    if (!tt_data_file(t, e.fs, "other", 100, 1, &other, a)) goto done;
    other.partition = &opv;
    other.partition_count = 1;
    if (!CHECK_OK(ice_txn_append(t, &other, 1, NULL, &err), &err)) goto done;
    CHECK_OK(ice_txn_cherry_pick(t, picked, &st, &err), &err);
    const ice_snapshot *cur = ice_metadata_current_snapshot(t->md);
    if (!CHECK(cur)) goto done;
    CHECK(cur->snapshot_id != picked);
    CHECK_EQ(tt_summary(cur, "source-snapshot-id"), picked);
    CHECK_EQ(tt_summary(cur, "added-data-files"), 4);
    CHECK_EQ(tt_summary(cur, "changed-partition-count"), 3);
    CHECK_EQ(tt_summary(cur, "total-data-files"), 6);
    CHECK(tt_read(t, -1, &rows, &sum) && rows == 10);
    CHECK_EQ(sum, 10 + 10 + 11 + 12 + 10 + 100);
done:
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}
