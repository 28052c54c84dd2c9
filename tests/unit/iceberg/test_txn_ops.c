/*
 * test_txn_ops.c: rollback / set-current / rollback-to-time, snapshot
 * expiry deleting exactly the files no retained snapshot reaches (checked
 * by listing the warehouse), and concurrent appends: 4 threads, each with
 * its own catalog handle, 10 appends each in lock step, so commits really
 * conflict and are retried; all 40 snapshots and every row survive.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "test_txn_util.h"

static bool append_one(tt_env *e, ice_table *t, const char *tag, int64_t start, int64_t n,
                       fl_arena *a, int64_t *snapshot_id)
{
    ice_data_file df;
    fl_error err;
    ice_commit_stats st;
    if (!tt_data_file(t, e->fs, tag, start, n, &df, a)) return false;
    if (!CHECK_OK(ice_txn_append(t, &df, 1, &st, &err), &err)) return false;
    *snapshot_id = st.snapshot_id;
    return true;
}

static bool rows_are(ice_table *t, int64_t snapshot_id, int64_t want_rows, int64_t want_sum)
{
    int64_t rows, sum;
    return tt_read(t, snapshot_id, &rows, &sum) && CHECK_EQ(rows, want_rows) && CHECK_EQ(sum, want_sum);
}

/* Whether `name` ends one of the listed paths. */
static bool listed(const cat_list *l, const char *name)
{
    for (size_t i = 0; i < l->len; i++) if (strstr(l->items[i], name) != NULL) return true;
    return false;
}

TEST(txn_rollback_and_expire)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    cat_list before, after;
    cat_list_init(&before);
    cat_list_init(&after);
    int64_t s1, s2, s3, s4;
    /* files: a = ids 0..9, b = 10..29, c = 30..34, d = 100..102 */
    if (!tt_env_open(&e) || !tt_create(&e, "r", NULL, 0, &t)) goto done;
    if (!append_one(&e, t, "a", 0, 10, a, &s1) || !append_one(&e, t, "b", 10, 20, a, &s2) ||
        !append_one(&e, t, "c", 30, 5, a, &s3))
        goto done;
    CHECK(rows_are(t, -1, 35, 35 * 34 / 2));
    /* rollback to s1: current rows are s1's; the log records it */
    ice_commit_stats st;
    if (!CHECK_OK(ice_txn_rollback_to(t, s1, &st, &err), &err)) goto done;
    CHECK_EQ(t->md->current_snapshot_id, s1);
    CHECK_EQ(ice_metadata_ref(t->md, "main")->snapshot_id, s1);
    CHECK_EQ(t->md->snapshot_log_count, 4);
    CHECK_EQ(t->md->snapshot_count, 3);
    CHECK(rows_are(t, -1, 10, 45));
    /* s3 is no ancestor of s1 now: rollback refuses, set-current allows */
    CHECK_EQ(ice_txn_rollback_to(t, s3, NULL, &err), FLOE_EINVAL);
    CHECK_EQ(ice_txn_rollback_to(t, 12345, NULL, &err), FLOE_ENOTFOUND);
    if (!CHECK_OK(ice_txn_set_current(t, s3, NULL, &err), &err)) goto done;
    CHECK(rows_are(t, -1, 35, 35 * 34 / 2));
    /* as of s2's time (s2 is an ancestor of s3) */
    int64_t s2_ts = ice_metadata_snapshot(t->md, s2)->timestamp_ms;
    if (!CHECK_OK(ice_txn_rollback_to_time(t, s2_ts, &st, &err), &err)) goto done;
    CHECK_EQ(st.snapshot_id, s2);
    CHECK(rows_are(t, -1, 30, 30 * 29 / 2));
    CHECK_EQ(ice_txn_rollback_to_time(t, ice_metadata_snapshot(t->md, s1)->timestamp_ms - 1, NULL, &err),
             FLOE_ENOTFOUND);
    if (!CHECK_OK(ice_txn_rollback_to(t, s1, NULL, &err), &err)) goto done;
    /* s4 on top of s1: reaches a and d; b, c only through s2, s3 */
    if (!append_one(&e, t, "d", 100, 3, a, &s4)) goto done;
    CHECK(rows_are(t, -1, 13, 45 + 303));
    CHECK_EQ(ice_metadata_current_snapshot(t->md)->parent_id, s1);
    CHECK_EQ(ice_metadata_current_snapshot(t->md)->sequence_number, 4);
    const ice_snapshot *cur = ice_metadata_current_snapshot(t->md);
    char list_s2[1024], list_s3[1024], list_s1[1024];
    snprintf(list_s1, sizeof(list_s1), "%s", ice_metadata_snapshot(t->md, s1)->manifest_list);
    snprintf(list_s2, sizeof(list_s2), "%s", ice_metadata_snapshot(t->md, s2)->manifest_list);
    snprintf(list_s3, sizeof(list_s3), "%s", ice_metadata_snapshot(t->md, s3)->manifest_list);
    /* nothing older than the oldest snapshot: no commit */
    ice_expire_result res;
    const char *loc_before = t->metadata_location;
    CHECK_OK(ice_txn_expire(t, ice_metadata_snapshot(t->md, s1)->timestamp_ms, &res, NULL, &err), &err);
    CHECK_EQ(res.expired_snapshots, 0);
    CHECK(t->metadata_location == loc_before);
    if (!tt_list(e.dir, &before)) goto done;
    if (!CHECK_OK(ice_txn_expire(t, cur->timestamp_ms, &res, NULL, &err), &err)) goto done;
    CHECK_EQ(res.expired_snapshots, 3);
    CHECK_EQ(res.deleted_manifest_lists, 3);
    CHECK_EQ(res.deleted_manifests, 2);
    CHECK_EQ(res.deleted_data_files, 2);
    CHECK_EQ(t->md->snapshot_count, 1);
    CHECK_EQ(t->md->current_snapshot_id, s4);
    CHECK_EQ(t->md->snapshot_log_count, 1);   /* the entries up to the last expired one go */
    if (!tt_list(e.dir, &after)) goto done;
    /* exactly 7 files gone (+1 new metadata file) */
    CHECK_EQ(after.len + 7, before.len + 1);
    CHECK(!listed(&after, "/data/b.parquet"));
    CHECK(!listed(&after, "/data/c.parquet"));
    CHECK(listed(&after, "/data/a.parquet"));
    CHECK(listed(&after, "/data/d.parquet"));
    CHECK(!listed(&after, list_s1) && !listed(&after, list_s2) && !listed(&after, list_s3));
    size_t gone = 0;
    for (size_t i = 0; i < before.len; i++) gone += !cat_list_contains(&after, before.items[i]);
    CHECK_EQ(gone, 7);
    for (size_t i = 0; i < after.len; i++)
        if (!cat_list_contains(&before, after.items[i])) CHECK(strstr(after.items[i], ".metadata.json") != NULL);
    CHECK(rows_are(t, -1, 13, 45 + 303));
    /* a fresh load agrees */
    ice_table *t2 = NULL;
    if (CHECK_OK(ice_table_load(&t2, e.catalog, e.fs, "db", "r", &err), &err)) CHECK_EQ(t2->md->snapshot_count, 1);
    ice_table_free(t2);
done:
    cat_list_dispose(&before);
    cat_list_dispose(&after);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

#define WRITERS 4
#define APPENDS 10
#define ROWS_PER_FILE 5

typedef struct writer {
    tt_env *env;
    pthread_barrier_t *barrier;
    int index;
    int conflicts;
    int failures;
} writer;

static void *writer_main(void *arg)
{
    writer *w = arg;
    fl_error err;
    cat_catalog *cat = NULL;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    if (cat_open(&cat, w->env->catalog_uri, NULL, &err) < 0 ||
        ice_table_load(&t, cat, w->env->fs, "db", "hot", &err) < 0)
        w->failures++;
    for (int i = 0; i < APPENDS; i++) {
        pthread_barrier_wait(w->barrier);   /* everyone commits at once */
        if (w->failures) continue;
        char tag[32];
        snprintf(tag, sizeof(tag), "w%d-%d", w->index, i);
        ice_data_file df;
        ice_commit_stats st;
        int64_t start = (int64_t)(w->index * APPENDS + i) * ROWS_PER_FILE;
        if (!tt_data_file(t, w->env->fs, tag, start, ROWS_PER_FILE, &df, a) ||
            !CHECK_OK(ice_txn_append(t, &df, 1, &st, &err), &err)) {
            w->failures++;
            continue;
        }
        w->conflicts += st.conflicts;
    }
    ice_table_free(t);
    cat_free(cat);
    fl_arena_free(a);
    return NULL;
}

TEST(txn_concurrent_appends)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    const ice_kv props[] = {{"commit.retry.num-retries", "100"}, {"commit.retry.min-wait-ms", "1"},
                            {"commit.retry.max-wait-ms", "16"}};
    if (!tt_env_open(&e) || !tt_create(&e, "hot", props, 3, &t)) goto done;
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, WRITERS);
    writer ws[WRITERS];
    pthread_t th[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        ws[i] = (writer){.env = &e, .barrier = &barrier, .index = i};
        pthread_create(&th[i], NULL, writer_main, &ws[i]);
    }
    int conflicts = 0, failures = 0;
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(th[i], NULL);
        conflicts += ws[i].conflicts;
        failures += ws[i].failures;
    }
    pthread_barrier_destroy(&barrier);
    CHECK_EQ(failures, 0);
    CHECK(conflicts >= APPENDS);   /* each round of 4 has at least 1 loser */
    if (!CHECK_OK(ice_table_refresh(t, &err), &err)) goto done;
    const int64_t n = WRITERS * APPENDS;
    CHECK_EQ(t->md->snapshot_count, n);
    CHECK_EQ(t->md->last_sequence_number, n);
    CHECK_EQ(t->md->metadata_log_count, n);
    /* one chain of 40 from the current snapshot back to the first */
    size_t chain = 0;
    for (const ice_snapshot *s = ice_metadata_current_snapshot(t->md); s; s = ice_metadata_snapshot_parent(t->md, s)) {
        CHECK_EQ(s->sequence_number, n - (int64_t)chain);
        chain++;
    }
    CHECK_EQ(chain, n);
    const int64_t rows = n * ROWS_PER_FILE;
    CHECK_EQ(tt_summary(ice_metadata_current_snapshot(t->md), "total-records"), rows);
    CHECK_EQ(tt_summary(ice_metadata_current_snapshot(t->md), "total-data-files"), n);
    CHECK(rows_are(t, -1, rows, rows * (rows - 1) / 2));
    /* no stray files from the retried attempts: one list per snapshot, one
     * manifest per append, one metadata file per commit plus the first */
    cat_list files;
    char meta_dir[700];
    snprintf(meta_dir, sizeof(meta_dir), "%s/metadata", t->md->location);
    if (tt_list(meta_dir, &files)) CHECK_EQ(files.len, (size_t)(3 * n + 1));
    cat_list_dispose(&files);
done:
    ice_table_free(t);
    tt_env_close(&e);
}
