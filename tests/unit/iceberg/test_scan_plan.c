/*
 * test_scan_plan.c: scan planning and reading on fixture tables, opened the
 * way a user would (metadata file + ice_remap_fs_add_table, no index.json):
 * pruning by column metrics and partition values, time travel selectors,
 * planning on a pool, projection, clean errors for missing files, and the
 * location remapper itself.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "../../../src/base/threads.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"

typedef struct table {
    io_fs *local, *fs;
    ice_metadata *md;
    fl_arena *arena;
} table;

static bool table_open(table *t, const char *fixture, const char *metadata)
{
    char rel[512], dir[1024], path[1400];
    fl_error err;
    memset(t, 0, sizeof(*t));
    snprintf(rel, sizeof(rel), "fixtures/iceberg/%s", fixture);
    snprintf(dir, sizeof(dir), "%s", ft_shared(rel));
    snprintf(path, sizeof(path), "%s/%s", dir, metadata);
    t->local = io_local_new();
    t->fs = ice_remap_fs_new(t->local);
    t->arena = fl_arena_new(0);
    return CHECK_OK(ice_metadata_read(&t->md, t->local, path, &err), &err) &&
           CHECK_OK(ice_remap_fs_add_table(t->fs, t->md, dir, &err), &err);
}

static void table_close(table *t)
{
    ice_metadata_free(t->md);
    io_fs_free(t->fs);
    io_fs_free(t->local);
    fl_arena_free(t->arena);
}

/* Rows of a plan; -1 on error (err set). */
static int64_t count_rows(table *t, const ice_scan_plan *plan, const ice_read_opts *ro, fl_error *err)
{
    ice_reader *r;
    if (ice_reader_new(&r, t->fs, plan, ro, err) < 0) return -1;
    fl_column *cols[16];
    fl_arena *batch = fl_arena_new(0);
    int64_t n = 0;
    for (;;) {
        size_t rows;
        fl_arena_reset(batch);
        if (ice_reader_next(r, batch, cols, &rows, err) < 0) { n = -1; break; }
        if (rows == 0) break;
        n += (int64_t)rows;
    }
    fl_arena_free(batch);
    ice_reader_free(r);
    return n;
}

TEST(scan_plan_metrics_pruning_uuid)
{
    table t;
    if (!table_open(&t, "spark_v2_uuid", "metadata/00001-43fda1f4-1c96-4376-ad16-91beb71d0759.metadata.json")) goto done;
    fl_error err;
    ice_scan_plan *plan = NULL;
    CHECK_OK(ice_scan_plan_new(&plan, t.fs, t.md, NULL, &err), &err);
    if (plan) {
        CHECK_EQ(plan->task_count, 2);
        CHECK_EQ(ice_scan_plan_record_count(plan), 10);
        CHECK_EQ(count_rows(&t, plan, NULL, &err), 10);
    }
    ice_scan_plan_free(plan);
    /* DuckDB's test: one row, and only 5 records scanned (the other file's bounds exclude it) */
    ice_scan_opts o = {0};
    CHECK_OK(ice_expr_parse(&o.filter, "uuid = '1571effb-facd-42a3-90e9-0af522e9b6c2'",
                            ice_metadata_current_schema(t.md), t.arena, &err), &err);
    plan = NULL;
    CHECK_OK(ice_scan_plan_new(&plan, t.fs, t.md, &o, &err), &err);
    if (plan) {
        CHECK_EQ(plan->data_files_total, 2);
        CHECK_EQ(plan->data_files_skipped, 1);
        CHECK_EQ(ice_scan_plan_record_count(plan), 5);
        CHECK_EQ(count_rows(&t, plan, NULL, &err), 1);
    }
    ice_scan_plan_free(plan);
done:
    table_close(&t);
}

TEST(scan_plan_partition_pruning_and_projection)
{
    table t;
    if (!table_open(&t, "spark_v2_partition_evolution_identity", "metadata/v4.metadata.json")) goto done;
    fl_error err;
    ice_scan_opts o = {0};
    const ice_schema *schema = ice_metadata_current_schema(t.md);
    CHECK_OK(ice_expr_parse(&o.filter, "event_date = '2024-01-02'", schema, t.arena, &err), &err);
    ice_scan_plan *plan = NULL;
    CHECK_OK(ice_scan_plan_new(&plan, t.fs, t.md, &o, &err), &err);
    if (plan) {
        CHECK(plan->data_files_skipped + plan->manifests_skipped > 0);
        CHECK_EQ(plan->task_count, 1);
        /* project user_id only: the partition column comes from the partition tuple */
        const ice_schema_entry *e;
        CHECK_OK(ice_schema_find_name(&e, schema, "user_id", true, &err), &err);
        int32_t ids[1] = {e->id};
        ice_read_opts ro = {.field_ids = ids, .field_count = 1};
        ice_reader *r;
        if (CHECK_OK(ice_reader_new(&r, t.fs, plan, &ro, &err), &err)) {
            CHECK_EQ(ice_reader_column_count(r), 1);
            CHECK_STR(ice_reader_column_field(r, 0)->name, "user_id");
            fl_column *cols[1];
            size_t rows;
            CHECK_OK(ice_reader_next(r, t.arena, cols, &rows, &err), &err);
            CHECK_EQ(rows, 1);
            if (rows == 1) CHECK_EQ(((int64_t *)cols[0]->data)[0], 67890);
            CHECK_OK(ice_reader_next(r, t.arena, cols, &rows, &err), &err);
            CHECK_EQ(rows, 0);
            ice_reader_free(r);
        }
    }
    ice_scan_plan_free(plan);
    /* a field id that is not in the schema */
    int32_t bad[1] = {999};
    ice_read_opts ro = {.field_ids = bad, .field_count = 1};
    plan = NULL;
    CHECK_OK(ice_scan_plan_new(&plan, t.fs, t.md, NULL, &err), &err);
    ice_reader *r = NULL;
    if (plan) CHECK_EQ(ice_reader_new(&r, t.fs, plan, &ro, &err), FLOE_ENOTFOUND);
    ice_scan_plan_free(plan);
done:
    table_close(&t);
}

TEST(scan_plan_time_travel_selectors)
{
    table t;
    if (!table_open(&t, "flink_v2_eqdel_basic", "metadata/v4.metadata.json")) goto done;
    fl_error err;
    const ice_snapshot *s;
    ice_scan_opts o = {0};
    o.at = ICE_SCAN_AS_OF_TIME;
    o.as_of_ms = 1692789360703;
    CHECK_OK(ice_scan_snapshot(&s, t.md, &o, &err), &err);
    CHECK(s && s->snapshot_id == 3207673167795000154LL);
    ice_scan_plan *plan = NULL;
    CHECK_OK(ice_scan_plan_new(&plan, t.fs, t.md, &o, &err), &err);
    if (plan) CHECK_EQ(count_rows(&t, plan, NULL, &err), 2);
    ice_scan_plan_free(plan);
    o.at = ICE_SCAN_REF;
    o.ref = "main";
    CHECK_OK(ice_scan_snapshot(&s, t.md, &o, &err), &err);
    CHECK(s && s->snapshot_id == t.md->current_snapshot_id);
    o.ref = "nope";
    CHECK_EQ(ice_scan_plan_new(&plan, t.fs, t.md, &o, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "nope") != NULL);
    o.at = ICE_SCAN_SNAPSHOT_ID;
    o.snapshot_id = 42;
    CHECK_EQ(ice_scan_plan_new(&plan, t.fs, t.md, &o, &err), FLOE_ENOTFOUND);
    CHECK_STR(err.message, "snapshot 42 does not exist");
    o.at = ICE_SCAN_AS_OF_TIME;
    o.as_of_ms = 1;
    CHECK_EQ(ice_scan_plan_new(&plan, t.fs, t.md, &o, &err), FLOE_ENOTFOUND);
done:
    table_close(&t);
}

TEST(scan_plan_on_a_pool_matches_serial)
{
    table t;
    if (!table_open(&t, "spark_v1_unpartitioned_20files", "metadata/v2.metadata.json")) goto done;
    fl_pool *pool = NULL;
    fl_error err;
    CHECK_OK(fl_pool_new(&pool, 2), &err);
    ice_scan_opts o = {0};
    ice_scan_plan *serial = NULL, *parallel = NULL;
    CHECK_OK(ice_scan_plan_new(&serial, t.fs, t.md, &o, &err), &err);
    o.pool = pool;
    CHECK_OK(ice_scan_plan_new(&parallel, t.fs, t.md, &o, &err), &err);
    if (serial && parallel) {
        CHECK_EQ(serial->task_count, 20);
        CHECK_EQ(parallel->task_count, serial->task_count);
        CHECK_EQ(ice_scan_plan_record_count(parallel), ice_scan_plan_record_count(serial));
        for (size_t i = 0; i < serial->task_count && i < parallel->task_count; i++)
            CHECK_STR(parallel->tasks[i].file.file_path, serial->tasks[i].file.file_path);
        CHECK_EQ(count_rows(&t, parallel, NULL, &err), 20);
    }
    ice_scan_plan_free(serial);
    ice_scan_plan_free(parallel);
    fl_pool_free(pool);
done:
    table_close(&t);
}

TEST(scan_plan_missing_manifest_list_is_a_clean_error)
{
    table t;
    if (!table_open(&t, "spark_v2_eqdel_unpartitioned", "metadata/v3.metadata.json")) goto done;
    fl_error err;
    ice_scan_plan *plan = NULL;
    CHECK(ice_scan_plan_new(&plan, t.fs, t.md, NULL, &err) < 0);
    CHECK(plan == NULL);
    CHECK(strstr(err.message, "snap-7342794868382145167-1-") != NULL);
done:
    table_close(&t);
}

TEST(scan_remap_locations)
{
    io_fs *local = io_local_new();
    io_fs *fs = ice_remap_fs_new(local);
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    CHECK_OK(ice_remap_fs_add(fs, "s3://bucket/wh/t", "/tmp/t", &err), &err);
    CHECK_OK(ice_remap_fs_add(fs, "s3://bucket/wh/t/data/deep", "/elsewhere", &err), &err);
    CHECK_OK(ice_remap_fs_add(fs, "data/persistent/x/", "/fx", &err), &err);
    CHECK_STR(ice_remap_location(fs, "s3://bucket/wh/t/metadata/v1.json", arena), "/tmp/t/metadata/v1.json");
    CHECK_STR(ice_remap_location(fs, "s3://bucket/wh/t", arena), "/tmp/t");
    CHECK_STR(ice_remap_location(fs, "s3://bucket/wh/t/data/deep/f.parquet", arena), "/elsewhere/f.parquet");
    CHECK_STR(ice_remap_location(fs, "s3://bucket/wh/t2/x", arena), "s3://bucket/wh/t2/x");   /* not at a boundary */
    CHECK_STR(ice_remap_location(fs, "data/persistent/x/a.avro", arena), "/fx/a.avro");
    CHECK_STR(ice_remap_location(fs, "file://data/persistent/x/a.avro", arena), "/fx/a.avro");
    CHECK_STR(ice_remap_location(fs, "/other/file", arena), "/other/file");
    CHECK_EQ(ice_remap_fs_add(fs, "", "/x", &err), FLOE_EINVAL);
    /* opening goes through the mapping */
    io_reader *r = NULL;
    CHECK_EQ(io_open(fs, "s3://bucket/wh/t/none", &r, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "/tmp/t/none") != NULL);
    io_fs_free(fs);
    io_fs_free(local);
    fl_arena_free(arena);
}

/* Rows and skipped row groups of a filtered read. */
static int64_t filtered_rows(table *t, const char *filter, bool ignore_deletes, int *skipped)
{
    fl_error err;
    ice_scan_opts o = {0};
    if (!CHECK_OK(ice_expr_parse(&o.filter, filter, ice_metadata_current_schema(t->md), t->arena, &err), &err))
        return -1;
    ice_scan_plan *plan = NULL;
    if (!CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, &o, &err), &err)) return -1;
    ice_read_opts ro = {.ignore_deletes = ignore_deletes};
    ice_reader *r;
    int64_t n = -1;
    if (CHECK_OK(ice_reader_new(&r, t->fs, plan, &ro, &err), &err)) {
        fl_column **cols = fl_arena_calloc(t->arena, ice_reader_column_count(r) * sizeof(fl_column *));
        fl_arena *batch = fl_arena_new(0);
        n = 0;
        for (;;) {
            size_t rows;
            fl_arena_reset(batch);
            if (!CHECK_OK(ice_reader_next(r, batch, cols, &rows, &err), &err)) { n = -1; break; }
            if (rows == 0) break;
            n += (int64_t)rows;
        }
        *skipped = ice_reader_skipped_row_groups(r);
        fl_arena_free(batch);
        ice_reader_free(r);
    }
    ice_scan_plan_free(plan);
    return n;
}

TEST(scan_read_row_group_skipping)
{
    table t;
    if (!table_open(&t, "hive_impala_v2_posdel_multi_rowgroup_lineitem", "metadata/v3.metadata.json")) goto done;
    int skipped = -1, skipped2 = -1;
    /* without deletes row groups are skipped; OR is not pushed down: same rows */
    int64_t a = filtered_rows(&t, "l_orderkey < 1000", true, &skipped);
    int64_t b = filtered_rows(&t, "l_orderkey < 1000 or l_orderkey < 1000", true, &skipped2);
    CHECK(a > 0);
    CHECK_EQ(a, b);
    CHECK(skipped > 0);
    CHECK_EQ(skipped2, 0);
    /* with position deletes, row positions must be counted: nothing is skipped */
    int64_t c = filtered_rows(&t, "l_orderkey < 1000", false, &skipped);
    int64_t d = filtered_rows(&t, "l_orderkey < 1000 or l_orderkey < 1000", false, &skipped2);
    CHECK_EQ(skipped, 0);
    CHECK_EQ(c, d);
    CHECK(c < a);
    /* the Impala test: every row with l_linenumber divisible by 5 was deleted */
    int64_t e5 = filtered_rows(&t, "l_linenumber in (5, 10)", false, &skipped);
    CHECK_EQ(e5, 0);
    CHECK(filtered_rows(&t, "l_linenumber in (5, 10)", true, &skipped) > 0);
done:
    table_close(&t);
}

TEST(scan_read_corrupt_data_file_is_a_clean_error)
{
    table t;
    if (!table_open(&t, "spark_v2_uuid", "metadata/00001-43fda1f4-1c96-4376-ad16-91beb71d0759.metadata.json")) goto done;
    fl_error err;
    ice_scan_plan *plan = NULL;
    if (!CHECK_OK(ice_scan_plan_new(&plan, t.fs, t.md, NULL, &err), &err)) goto done;
    /* copy each data file, cut short, into a temporary directory and point
     * the data files' folder there (the longest remap prefix wins) */
    const char *tmp = ft_tmpdir();
    const char *path = plan->tasks[0].file.file_path;
    const char *slash = strrchr(path, '/');
    char prefix[512];
    snprintf(prefix, sizeof(prefix), "%.*s", (int)(slash - path), path);
    for (size_t i = 0; i < plan->task_count; i++) {
        const char *p = plan->tasks[i].file.file_path;
        fl_buf b;
        fl_buf_init(&b);
        CHECK_OK(io_read_file(t.fs, p, &b, &err), &err);
        char dst[1024];
        snprintf(dst, sizeof(dst), "%s%s", tmp, strrchr(p, '/'));
        CHECK_OK(io_write_file(t.local, dst, 0, b.data, b.len / 2, &err), &err);
        fl_buf_dispose(&b);
    }
    CHECK_OK(ice_remap_fs_add(t.fs, prefix, tmp, &err), &err);
    CHECK_EQ(count_rows(&t, plan, NULL, &err), -1);
    CHECK(strstr(err.message, "could not read Parquet file") != NULL);
    CHECK(strstr(err.message, plan->tasks[0].file.file_path) != NULL);
    ice_scan_plan_free(plan);
done:
    table_close(&t);
}
