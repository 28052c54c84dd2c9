/*
 * test_txn_conflict.c: conflict validation between two handles on one
 * table (the second commits while the first still holds the old
 * metadata): an append into the partition an overwrite replaces fails the
 * overwrite under serializable isolation and not under snapshot isolation;
 * appends elsewhere never conflict; concurrent deletes of one file, two
 * overwrites of one partition, a rewrite racing a new delete file and a
 * row delta whose data file vanished all fail with FLOE_ECONFLICT and
 * leave no file of theirs behind.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/iceberg/ice_expr.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../../../src/iceberg/ice_txn.h"
#include "../../../src/iceberg/ice_writer.h"
#include "../test.h"
#include "test_icewrite_util.h"

#define CAT_SPEC "[{\"name\":\"cat\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]"

static const ice_kv FAST[] = {{"commit.retry.min-wait-ms", "1"}, {"commit.retry.max-wait-ms", "5"}};

typedef struct pair {
    tt_env e;
    ice_table *a, *b;      /* two handles on db.<name> */
    fl_arena *arena;
} pair;

/* A table of ids 0..999 partitioned by cat; handle b loaded separately. */
static bool pair_open(pair *p, const char *name, const char *spec, const ice_kv *extra, size_t extra_count)
{
    memset(p, 0, sizeof(*p));
    fl_error err;
    if (!tt_env_open(&p->e)) return false;
    p->arena = fl_arena_new(0);
    ice_kv props[8];
    size_t n = 0;
    props[n++] = FAST[0];
    props[n++] = FAST[1];
    for (size_t i = 0; i < extra_count; i++) props[n++] = extra[i];
    return iw_create(&p->e, name, spec, props, n, &p->a) && iw_append(p->a, 0, 1000, NULL, NULL, p->arena) &&
           CHECK_OK(ice_table_load(&p->b, p->e.catalog, p->e.fs, "db", name, &err), &err);
}

static void pair_close(pair *p)
{
    ice_table_free(p->a);
    ice_table_free(p->b);
    fl_arena_free(p->arena);
    tt_env_close(&p->e);
}

static const ice_expr *parse(const ice_table *t, const char *text, fl_arena *a)
{
    fl_error err;
    const ice_expr *e = NULL;
    CHECK_OK(ice_expr_parse(&e, text, ice_metadata_current_schema(t->md), a, &err), &err);
    return e;
}

/* Appends through b the given ids. */
static bool append_ids(ice_table *t, const int64_t *ids, size_t n, fl_arena *a)
{
    fl_error err;
    ice_data_file *f = NULL;
    size_t c = 0;
    return iw_write_ids(t, NULL, ids, n, &f, &c, a) && CHECK_OK(ice_txn_append(t, f, c, NULL, &err), &err);
}

static size_t count_files(const char *dir)
{
    cat_list l;
    tt_list(dir, &l);
    size_t n = l.len;
    cat_list_dispose(&l);
    return n;
}

static void overwrite_vs_append(const char *name, bool snapshot_isolation, bool same_partition)
{
    pair p;
    ice_kv iso = {"write.update.isolation-level", "snapshot"};
    if (!pair_open(&p, name, CAT_SPEC, &iso, snapshot_isolation ? 1 : 0)) goto done;
    fl_error err;
    /* b appends 2001 (c1) or 2002 (c2) */
    int64_t id = same_partition ? 2001 : 2002;
    if (!append_ids(p.b, &id, 1, p.arena)) goto done;
    char meta[1024];
    snprintf(meta, sizeof(meta), "%s/metadata", p.a->md->location);
    size_t files_before = count_files(meta);
    ice_commit_stats st = {0};
    int rc = ice_txn_overwrite_by_filter(p.a, parse(p.a, "cat = 'c1'", p.arena), NULL, 0, NULL, &st, &err);
    CHECK_EQ(st.conflicts, 1);   /* the catalog swap failed once: a was behind */
    if (same_partition && !snapshot_isolation) {
        CHECK_EQ(rc, FLOE_ECONFLICT);
        CHECK(strstr(err.message, "found conflicting files that can contain records matching") != NULL);
        CHECK(strstr(err.message, "-00001.parquet") != NULL);   /* names the appended file */
        CHECK_EQ(count_files(meta), files_before);              /* nothing of a's left behind */
        CHECK_OK(ice_table_refresh(p.a, &err), &err);
        CHECK_STR(iw_operation(p.a), "append");
        int64_t *ids = NULL;
        size_t n = 0;
        if (iw_ids(p.a, -1, "id = 2001", &ids, &n)) CHECK_EQ(n, 1);
        fl_free(ids);
    } else {
        CHECK_OK(rc, &err);
        CHECK_STR(iw_operation(p.a), "overwrite");
        int64_t *ids = NULL;
        size_t n = 0;
        if (iw_ids(p.a, -1, "cat = 'c1'", &ids, &n)) CHECK_EQ(n, 0);   /* re-applied on b's append */
        fl_free(ids);
        if (iw_ids(p.a, -1, "id = 2002", &ids, &n)) CHECK_EQ(n, same_partition ? 0 : 1);
        fl_free(ids);
    }
done:
    pair_close(&p);
}

TEST(txn_conflict_overwrite_vs_append_serializable)
{
    overwrite_vs_append("ser", false, true);
}

TEST(txn_conflict_overwrite_vs_append_snapshot_isolation)
{
    overwrite_vs_append("snap", true, true);
}

TEST(txn_conflict_overwrite_vs_append_elsewhere)
{
    overwrite_vs_append("elsewhere", false, false);
}

TEST(txn_conflict_isolation_option_and_property)
{
    pair p;
    ice_kv bad = {"write.delete.isolation-level", "repeatable"};
    fl_error err;
    if (pair_open(&p, "iso", CAT_SPEC, &bad, 1)) {
        CHECK_EQ(ice_txn_delete_where(p.a, parse(p.a, "cat = 'c3'", p.arena), NULL, NULL, &err), FLOE_EINVAL);
        CHECK(strstr(err.message, "write.delete.isolation-level") != NULL);
        /* explicit snapshot isolation overrides the property; b's append in c3 then does not conflict */
        int64_t id = 2003;
        append_ids(p.b, &id, 1, p.arena);
        ice_txn_opts o = {.isolation = ICE_ISOLATION_SNAPSHOT};
        CHECK_OK(ice_txn_delete_where(p.a, parse(p.a, "cat = 'c3'", p.arena), &o, NULL, &err), &err);
        /* and serializable makes the next one conflict */
        append_ids(p.b, &id, 1, p.arena);
        ice_txn_opts s = {.isolation = ICE_ISOLATION_SERIALIZABLE};
        CHECK_EQ(ice_txn_delete_where(p.a, parse(p.a, "cat = 'c3'", p.arena), &s, NULL, &err), FLOE_ECONFLICT);
    }
    pair_close(&p);
}

TEST(txn_conflict_delete_same_file)
{
    pair p;
    fl_error err;
    if (pair_open(&p, "dd", NULL, NULL, 0)) {
        int64_t start = ice_metadata_current_snapshot(p.a->md)->snapshot_id;
        /* the only data file of the table */
        ice_scan_plan *plan = NULL;
        if (CHECK_OK(ice_scan_plan_new(&plan, p.a->fs, p.a->md, NULL, &err), &err) && CHECK_EQ(plan->task_count, 1)) {
            const char *path = fl_arena_strdup(p.arena, plan->tasks[0].file.file_path);
            CHECK_OK(ice_txn_delete_files(p.b, &path, 1, NULL, NULL, &err), &err);
            CHECK_EQ(ice_txn_delete_files(p.a, &path, 1, NULL, NULL, &err), FLOE_ECONFLICT);
            CHECK(strstr(err.message, "missing required files to delete") != NULL);
            /* the failed commit refreshed a: from there on the file is simply not in the table */
            ice_data_file *nf = NULL;
            size_t n = 0;
            if (iw_write(p.a, NULL, 0, 10, &nf, &n, p.arena)) {
                CHECK_EQ(ice_txn_rewrite_files(p.a, &path, 1, nf, n, NULL, NULL, &err), FLOE_EINVAL);
                /* but a rewrite planned at the old snapshot conflicts */
                ice_txn_opts o = {.has_starting_snapshot = true, .starting_snapshot_id = start};
                CHECK_EQ(ice_txn_rewrite_files(p.a, &path, 1, nf, n, &o, NULL, &err), FLOE_ECONFLICT);
                CHECK(strstr(err.message, "missing required files to delete") != NULL);
            }
        }
        ice_scan_plan_free(plan);
    }
    pair_close(&p);
}

TEST(txn_conflict_two_overwrites_of_a_partition)
{
    pair p;
    fl_error err;
    ice_kv iso = {"write.update.isolation-level", "snapshot"};
    if (pair_open(&p, "oo", CAT_SPEC, &iso, 1)) {
        CHECK_OK(ice_txn_overwrite_by_filter(p.b, parse(p.b, "cat = 'c4'", p.arena), NULL, 0, NULL, NULL, &err), &err);
        CHECK_EQ(ice_txn_overwrite_by_filter(p.a, parse(p.a, "cat = 'c4'", p.arena), NULL, 0, NULL, NULL, &err),
                 FLOE_ECONFLICT);
        CHECK(strstr(err.message, "found conflicting deleted files that can contain records matching") != NULL);
        /* another partition goes through */
        CHECK_OK(ice_table_refresh(p.a, &err), &err);
        CHECK_OK(ice_txn_overwrite_by_filter(p.b, parse(p.b, "cat = 'c0'", p.arena), NULL, 0, NULL, NULL, &err), &err);
        CHECK_OK(ice_txn_overwrite_by_filter(p.a, parse(p.a, "cat = 'c2'", p.arena), NULL, 0, NULL, NULL, &err), &err);
        CHECK_EQ(iw_summary(p.a, "total-data-files"), 3);
    }
    pair_close(&p);
}

TEST(txn_conflict_rewrite_vs_new_deletes)
{
    pair p;
    fl_error err;
    if (!pair_open(&p, "rd", NULL, NULL, 0)) goto done;
    ice_scan_plan *plan = NULL;
    if (!CHECK_OK(ice_scan_plan_new(&plan, p.b->fs, p.b->md, NULL, &err), &err)) goto done;
    ice_data_file data;
    CHECK_OK(ice_data_file_copy(&data, &plan->tasks[0].file, p.arena, &err), &err);
    ice_scan_plan_free(plan);
    /* b deletes row 3 by position; a, behind, compacts the file */
    ice_data_file del;
    int64_t pos = 3;
    CHECK_OK(ice_write_position_deletes(&del, p.b, &data, &pos, 1, p.arena, &err), &err);
    const char *ref = data.file_path;
    ice_row_delta d = {.add_deletes = &del, .add_delete_count = 1, .referenced_data_files = &ref, .referenced_count = 1};
    CHECK_OK(ice_txn_row_delta(p.b, &d, NULL, NULL, &err), &err);
    ice_data_file *nf = NULL;
    size_t n = 0;
    if (iw_write(p.a, NULL, 0, 1000, &nf, &n, p.arena)) {
        CHECK_EQ(ice_txn_rewrite_files(p.a, &ref, 1, nf, n, NULL, NULL, &err), FLOE_ECONFLICT);
        CHECK(strstr(err.message, "found new delete for replaced data file") != NULL);
    }
    /* a row delta referencing a file another handle removed */
    CHECK_OK(ice_table_refresh(p.a, &err), &err);
    CHECK_OK(ice_txn_delete_files(p.b, &ref, 1, NULL, NULL, &err), &err);
    ice_data_file del2;
    pos = 4;
    CHECK_OK(ice_write_position_deletes(&del2, p.a, &data, &pos, 1, p.arena, &err), &err);
    ice_row_delta d2 = {.add_deletes = &del2, .add_delete_count = 1, .referenced_data_files = &ref, .referenced_count = 1};
    ice_txn_opts snap = {.isolation = ICE_ISOLATION_SNAPSHOT};
    CHECK_EQ(ice_txn_row_delta(p.a, &d2, &snap, NULL, &err), FLOE_ECONFLICT);
    CHECK(strstr(err.message, "missing data files") != NULL);
done:
    pair_close(&p);
}

TEST(txn_conflict_starting_snapshot_option)
{
    pair p;
    fl_error err;
    if (pair_open(&p, "start", CAT_SPEC, NULL, 0)) {
        /* a read the table at S, then (same handle) an append of c1 happened */
        int64_t start = ice_metadata_current_snapshot(p.a->md)->snapshot_id;
        int64_t id = 3001;
        append_ids(p.a, &id, 1, p.arena);
        ice_txn_opts o = {.has_starting_snapshot = true, .starting_snapshot_id = start};
        CHECK_EQ(ice_txn_overwrite_by_filter(p.a, parse(p.a, "cat = 'c1'", p.arena), NULL, 0, &o, NULL, &err),
                 FLOE_ECONFLICT);
        /* rows elsewhere: a conflict filter on c2 does not see the c1 append */
        o.conflict_filter = parse(p.a, "cat = 'c2'", p.arena);
        CHECK_OK(ice_txn_overwrite_by_filter(p.a, parse(p.a, "cat = 'c2'", p.arena), NULL, 0, &o, NULL, &err), &err);
    }
    pair_close(&p);
}
