/*
 * test_txn_rewrite.c: row deltas (data files plus position and equality
 * delete files in one snapshot, read back with the deletes applied) and
 * rewrites (compaction of data files and of data files with their deletes
 * into one file with the same live rows), with their summaries.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/iceberg/ice_txn.h"
#include "../../../src/iceberg/ice_writer.h"
#include "../test.h"
#include "test_icewrite_util.h"

static bool want_first_three(int64_t id) { return id < 300; }

TEST(txn_rewrite_compacts_files)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *f[3], *nf = NULL;
    size_t n = 0;
    if (!iw_create(&e, "rw", NULL, NULL, 0, &t) || !iw_append(t, 0, 100, &f[0], &n, a) ||
        !iw_append(t, 100, 100, &f[1], &n, a) || !iw_append(t, 200, 100, &f[2], &n, a) ||
        !iw_write(t, NULL, 0, 300, &nf, &n, a))
        goto done;
    const char *paths[] = {f[0][0].file_path, f[1][0].file_path, f[2][0].file_path};
    int64_t size_before = iw_summary(t, "total-files-size");
    CHECK_OK(ice_txn_rewrite_files(t, paths, 3, nf, n, NULL, NULL, &err), &err);
    CHECK_STR(iw_operation(t), "replace");
    CHECK_EQ(iw_summary(t, "added-data-files"), 1);
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 3);
    CHECK_EQ(iw_summary(t, "added-records"), 300);
    CHECK_EQ(iw_summary(t, "deleted-records"), 300);
    CHECK_EQ(iw_summary(t, "total-records"), 300);
    CHECK_EQ(iw_summary(t, "total-data-files"), 1);
    CHECK_EQ(iw_summary(t, "total-files-size"), size_before - iw_summary(t, "removed-files-size") +
                                                    iw_summary(t, "added-files-size"));
    CHECK(iw_check_ids(t, want_first_three, 0, 1000));
    /* replacing a file that is gone */
    CHECK_EQ(ice_txn_rewrite_files(t, paths, 1, nf, n, NULL, NULL, &err), FLOE_EINVAL);
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

static bool want_delta(int64_t id)
{
    if (id < 100) return id != 0 && id != 5 && id != 10 && id != 50 && id != 51;
    return id >= 1000 && id < 1010;
}

TEST(txn_row_delta_then_compaction)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *fa = NULL, *fn = NULL, *fc = NULL;
    size_t n = 0, nn = 0;
    if (!iw_create(&e, "delta", NULL, NULL, 0, &t) || !iw_append(t, 0, 100, &fa, &n, a) ||
        !iw_write(t, NULL, 1000, 10, &fn, &nn, a))
        goto done;
    ice_data_file dels[2];
    int64_t pos[] = {10, 0, 5, 5};   /* row positions = ids in this file */
    if (!CHECK_OK(ice_write_position_deletes(&dels[0], t, &fa[0], pos, 4, a, &err), &err)) goto done;
    CHECK_EQ(dels[0].content, ICE_CONTENT_POSITION_DELETES);
    CHECK_EQ(dels[0].record_count, 3);
    CHECK_STR(dels[0].referenced_data_file, fa[0].file_path);
    int32_t eq_id = 1;
    int64_t eq_vals[] = {50, 51};
    fl_column *eq = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 2);
    memcpy(eq->data, eq_vals, sizeof(eq_vals));
    eq->len = 2;
    if (!CHECK_OK(ice_write_equality_deletes(&dels[1], t, &eq_id, 1, &eq, 2, NULL, a, &err), &err)) goto done;
    CHECK_EQ(dels[1].content, ICE_CONTENT_EQUALITY_DELETES);
    CHECK_EQ(dels[1].equality_id_count, 1);
    const char *ref[] = {fa[0].file_path};
    ice_row_delta d = {.add_data = fn, .add_data_count = nn, .add_deletes = dels, .add_delete_count = 2,
                       .referenced_data_files = ref, .referenced_count = 1};
    if (!CHECK_OK(ice_txn_row_delta(t, &d, NULL, NULL, &err), &err)) goto done;
    CHECK_STR(iw_operation(t), "overwrite");
    CHECK_EQ(iw_summary(t, "added-data-files"), 1);
    CHECK_EQ(iw_summary(t, "added-delete-files"), 2);
    CHECK_EQ(iw_summary(t, "added-position-delete-files"), 1);
    CHECK_EQ(iw_summary(t, "added-equality-delete-files"), 1);
    CHECK_EQ(iw_summary(t, "added-position-deletes"), 3);
    CHECK_EQ(iw_summary(t, "added-equality-deletes"), 2);
    CHECK_EQ(iw_summary(t, "total-delete-files"), 2);
    CHECK_EQ(iw_summary(t, "total-position-deletes"), 3);
    CHECK_EQ(iw_summary(t, "total-equality-deletes"), 2);
    CHECK_EQ(iw_summary(t, "total-records"), 110);
    CHECK(iw_check_ids(t, want_delta, 0, 2000));

    /* deletes only: operation delete */
    int64_t pos2[] = {99};
    ice_data_file del3;
    if (!CHECK_OK(ice_write_position_deletes(&del3, t, &fa[0], pos2, 1, a, &err), &err)) goto done;
    ice_row_delta d2 = {.add_deletes = &del3, .add_delete_count = 1, .referenced_data_files = ref,
                        .referenced_count = 1};
    CHECK_OK(ice_txn_row_delta(t, &d2, NULL, NULL, &err), &err);
    CHECK_STR(iw_operation(t), "delete");
    CHECK_EQ(iw_summary(t, "total-position-deletes"), 4);

    /* compaction: a and its three delete files become one file of the live rows */
    int64_t live[200];
    size_t nl = 0;
    for (int64_t id = 0; id < 100; id++)
        if (want_delta(id) && id != 99) live[nl++] = id;
    if (!iw_write_ids(t, NULL, live, nl, &fc, &n, a)) goto done;
    const char *replaced[] = {fa[0].file_path, dels[0].file_path, dels[1].file_path, del3.file_path};
    if (!CHECK_OK(ice_txn_rewrite_files(t, replaced, 4, fc, n, NULL, NULL, &err), &err)) goto done;
    CHECK_STR(iw_operation(t), "replace");
    CHECK_EQ(iw_summary(t, "deleted-data-files"), 1);
    CHECK_EQ(iw_summary(t, "removed-delete-files"), 3);
    CHECK_EQ(iw_summary(t, "removed-position-delete-files"), 2);
    CHECK_EQ(iw_summary(t, "removed-equality-delete-files"), 1);
    CHECK_EQ(iw_summary(t, "removed-position-deletes"), 4);
    CHECK_EQ(iw_summary(t, "removed-equality-deletes"), 2);
    CHECK_EQ(iw_summary(t, "total-delete-files"), 0);
    CHECK_EQ(iw_summary(t, "total-position-deletes"), 0);
    CHECK_EQ(iw_summary(t, "total-data-files"), 2);
    CHECK_EQ(iw_summary(t, "total-records"), (int64_t)nl + 10);
    int64_t *ids = NULL;
    size_t got = 0;
    if (iw_ids(t, -1, NULL, &ids, &got)) {
        CHECK_EQ(got, nl + 10);
        for (size_t i = 0; i < nl && i < got; i++) CHECK_EQ(ids[i], live[i]);
    }
    fl_free(ids);
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

TEST(txn_row_delta_partitioned_deletes)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *f = NULL;
    size_t n = 0;
    if (!iw_create(&e, "pdelta", "[{\"name\":\"id_bucket\",\"transform\":\"bucket[2]\",\"source-id\":1,\"field-id\":1000}]",
                   NULL, 0, &t) || !iw_append(t, 0, 100, &f, &n, a) || !CHECK_EQ(n, 2))
        goto done;
    /* delete position 0 of each file, and id 7 by equality in its partition */
    ice_data_file dels[3];
    int64_t p0 = 0;
    CHECK_OK(ice_write_position_deletes(&dels[0], t, &f[0], &p0, 1, a, &err), &err);
    CHECK_OK(ice_write_position_deletes(&dels[1], t, &f[1], &p0, 1, a, &err), &err);
    CHECK(strstr(dels[0].file_path, "/data/id_bucket=") != NULL);
    int32_t eq_id = 1;
    int64_t seven = 7;
    fl_column *eq = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 1);
    memcpy(eq->data, &seven, sizeof(seven));
    eq->len = 1;
    CHECK_EQ(ice_write_equality_deletes(&dels[2], t, &eq_id, 1, &eq, 1, NULL, a, &err), FLOE_EINVAL);
    int32_t h;
    fl_value v = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = 7};
    CHECK_OK(ice_hash_value(&h, ice_type_primitive(ICE_TYPE_LONG), &v, &err), &err);
    const ice_data_file *of7 = f[0].partition[0].v.i64 == ice_bucket_of_hash(h, 2) ? &f[0] : &f[1];
    CHECK_OK(ice_write_equality_deletes(&dels[2], t, &eq_id, 1, &eq, 1, of7, a, &err), &err);
    ice_row_delta d = {.add_deletes = dels, .add_delete_count = 3};
    CHECK_OK(ice_txn_row_delta(t, &d, NULL, NULL, &err), &err);
    int64_t *ids = NULL;
    size_t got = 0;
    if (iw_ids(t, -1, NULL, &ids, &got)) {
        CHECK_EQ(got, 97);
        bool has7 = false;
        for (size_t i = 0; i < got; i++) has7 |= ids[i] == 7;
        CHECK(!has7);
    }
    fl_free(ids);
done:
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}
