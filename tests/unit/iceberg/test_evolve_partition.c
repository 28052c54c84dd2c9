/*
 * test_evolve_partition.c: partition spec evolution (fields added with
 * Java's default names and new ids, removed, renamed, field ids recycled in
 * v2, void replacement in v1, spec-id reuse, the default spec), its
 * refusals, and a table read across files of two specs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/iceberg/ice_evolve.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../test.h"
#include "test_evolve_util.h"
#include "test_txn_util.h"

static const char *SCHEMA = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                            "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"long\"},"
                            "{\"id\":2,\"name\":\"v\",\"required\":false,\"type\":\"long\"},"
                            "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamp\"},"
                            "{\"id\":4,\"name\":\"name\",\"required\":false,\"type\":\"string\"}]}";

/* The default spec as "name:transform:source:field-id,..." */
static void spec_text(const ice_table *t, char *out, size_t cap)
{
    const ice_partition_spec *sp = ice_metadata_default_spec(t->md);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; sp && i < sp->field_count && n < cap; i++) {
        char tr[32];
        ice_transform_format(&sp->fields[i].transform, tr, sizeof(tr));
        n += (size_t)snprintf(out + n, cap - n, "%s%s:%s:%d:%d", i ? "," : "", sp->fields[i].name, tr,
                              (int)sp->fields[i].source_id, (int)sp->fields[i].field_id);
    }
}

static void expect_fail(ice_table *t, ice_spec_change c, int code, const char *msg)
{
    fl_error err;
    size_t versions = t->md->metadata_log_count;
    int rc = ice_txn_update_spec(t, &c, 1, NULL, &err);
    CHECK_EQ(rc, code);
    if (rc < 0 && !CHECK(strstr(err.message, msg) != NULL)) fprintf(stderr, "  message: %s\n", err.message);
    CHECK_EQ(t->md->metadata_log_count, versions);
}

TEST(evolve_partition_spec_v2)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    char got[512];
    if (!tt_env_open(&e) || !te_create_table(&e, "parts", SCHEMA, NULL, &t)) goto done;
    const ice_spec_change add[] = {
        {.op = ICE_SPEC_ADD_FIELD, .term = "day(ts)"},
        {.op = ICE_SPEC_ADD_FIELD, .term = " bucket( 16 , id ) "},
        {.op = ICE_SPEC_ADD_FIELD, .term = "truncate(4, name)"},
        {.op = ICE_SPEC_ADD_FIELD, .term = "v", .name = "v"},
    };
    if (!CHECK_OK(ice_txn_update_spec(t, add, 4, NULL, &err), &err)) goto done;
    CHECK_EQ(t->md->default_spec_id, 1);
    CHECK_EQ(t->md->spec_count, 2);
    CHECK_EQ(t->md->last_partition_id, 1003);
    spec_text(t, got, sizeof(got));
    CHECK_STR(got, "ts_day:day:3:1000,id_bucket_16:bucket[16]:1:1001,name_trunc_4:truncate[4]:4:1002,v:identity:2:1003");

    typedef ice_spec_change C;
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "day(ts)", .name = "d2"}, FLOE_EINVAL,
                "cannot add duplicate partition field \"d2\" (day(ts)): it conflicts with \"ts_day\"");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "hour(ts)"}, FLOE_EINVAL,
                "cannot add redundant partition field \"ts_hour\" (hour(ts)): it conflicts with \"ts_day\" (day)");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "month(name)"}, FLOE_EINVAL,
                "transform month cannot be applied to column \"name\" of type string");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "fortnight(ts)"}, FLOE_EINVAL, "unknown transform \"fortnight\"");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "bucket(id)"}, FLOE_EINVAL, "bucket needs a parameter");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "year(nope)"}, FLOE_ENOTFOUND, "column \"nope\" does not exist");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "bucket(4, v)", .name = "name"}, FLOE_EINVAL,
                "the name is a column of the schema");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "bucket(4, v)", .name = "ts_day"}, FLOE_EINVAL,
                "a partition field of that name already exists");
    expect_fail(t, (C){.op = ICE_SPEC_REMOVE_FIELD, .name = "nope"}, FLOE_ENOTFOUND,
                "cannot find partition field to remove: \"nope\"");
    expect_fail(t, (C){.op = ICE_SPEC_RENAME_FIELD, .name = "ts_day", .new_name = "v"}, FLOE_EINVAL,
                "a partition field of that name already exists");
    expect_fail(t, (C){.op = ICE_SPEC_ADD_FIELD, .term = "day(ts"}, FLOE_EINVAL, "missing ')'");

    /* remove (by name and by term), rename: removed fields are dropped in v2 */
    const ice_spec_change rm[] = {
        {.op = ICE_SPEC_REMOVE_FIELD, .name = "ts_day"},
        {.op = ICE_SPEC_REMOVE_FIELD, .name = "identity(v)"},
        {.op = ICE_SPEC_RENAME_FIELD, .name = "id_bucket_16", .new_name = "idb"},
    };
    CHECK_OK(ice_txn_update_spec(t, rm, 3, NULL, &err), &err);
    CHECK_EQ(t->md->default_spec_id, 2);
    spec_text(t, got, sizeof(got));
    CHECK_STR(got, "idb:bucket[16]:1:1001,name_trunc_4:truncate[4]:4:1002");
    /* adding day(ts) back recycles its field id 1000 */
    const ice_spec_change again[] = {{.op = ICE_SPEC_ADD_FIELD, .term = "day(ts)"}};
    CHECK_OK(ice_txn_update_spec(t, again, 1, NULL, &err), &err);
    spec_text(t, got, sizeof(got));
    CHECK_STR(got, "idb:bucket[16]:1:1001,name_trunc_4:truncate[4]:4:1002,ts_day:day:3:1000");
    CHECK_EQ(t->md->last_partition_id, 1003);
    /* removing everything gives back spec 0, which is reused */
    size_t specs = t->md->spec_count;
    const ice_spec_change all[] = {
        {.op = ICE_SPEC_REMOVE_FIELD, .name = "idb"},
        {.op = ICE_SPEC_REMOVE_FIELD, .name = "truncate(4, name)"},
        {.op = ICE_SPEC_REMOVE_FIELD, .name = "ts_day"},
    };
    CHECK_OK(ice_txn_update_spec(t, all, 3, NULL, &err), &err);
    CHECK_EQ(t->md->default_spec_id, 0);
    CHECK_EQ(t->md->spec_count, specs);
    /* the default spec can be chosen directly */
    CHECK_OK(ice_txn_set_default_spec(t, 1, NULL, &err), &err);
    CHECK_EQ(t->md->default_spec_id, 1);
    CHECK_EQ(ice_txn_set_default_spec(t, 99, NULL, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "partition spec 99 of table \"db.parts\" does not exist") != NULL);
done:
    ice_table_free(t);
    tt_env_close(&e);
}

TEST(evolve_partition_spec_v1_void)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    char got[512];
    const char *spec = "{\"spec-id\":0,\"fields\":[{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":3,\"field-id\":1000}]}";
    if (!tt_env_open(&e) || !te_create_table(&e, "old", SCHEMA, spec, &t) || !te_set_format_version(t, 1)) goto done;
    const ice_spec_change ch[] = {
        {.op = ICE_SPEC_REMOVE_FIELD, .name = "ts_day"},
        {.op = ICE_SPEC_ADD_FIELD, .term = "bucket(8, id)"},
    };
    if (!CHECK_OK(ice_txn_update_spec(t, ch, 2, NULL, &err), &err)) goto done;
    spec_text(t, got, sizeof(got));
    CHECK_STR(got, "ts_day:void:3:1000,id_bucket_8:bucket[8]:1:1001");
    CHECK_EQ(t->md->default_spec_id, 1);
    CHECK_EQ(t->md->format_version, 1);
    /* removing the void field again is refused */
    const ice_spec_change rm[] = {{.op = ICE_SPEC_REMOVE_FIELD, .name = "ts_day"}};
    CHECK_EQ(ice_txn_update_spec(t, rm, 1, NULL, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "already void") != NULL);
    /* a reload (the v1 "partition-spec" member is written too) agrees */
    ice_table *t2 = NULL;
    if (CHECK_OK(ice_table_load(&t2, e.catalog, e.fs, "db", "old", &err), &err)) {
        spec_text(t2, got, sizeof(got));
        CHECK_STR(got, "ts_day:void:3:1000,id_bucket_8:bucket[8]:1:1001");
    }
    ice_table_free(t2);
done:
    ice_table_free(t);
    tt_env_close(&e);
}

TEST(evolve_partition_reads_both_specs)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    int64_t rows, sum;
    if (!tt_env_open(&e) || !tt_create(&e, "twospecs", NULL, 0, &t)) goto done;
    ice_data_file df;
    if (!tt_data_file(t, e.fs, "unpart", 0, 10, &df, a) || !CHECK_OK(ice_txn_append(t, &df, 1, NULL, &err), &err))
        goto done;
    const ice_spec_change ch[] = {{.op = ICE_SPEC_ADD_FIELD, .term = "id"}};
    if (!CHECK_OK(ice_txn_update_spec(t, ch, 1, NULL, &err), &err)) goto done;
    /* one row with id 42 in partition id=42 of spec 1 */
    if (!tt_data_file(t, e.fs, "id42", 42, 1, &df, a)) goto done;
    fl_value pv = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = 42};
    df.partition = &pv;
    df.partition_count = 1;
    CHECK_EQ(df.spec_id, 1);
    if (!CHECK_OK(ice_txn_append(t, &df, 1, NULL, &err), &err)) goto done;
    CHECK(tt_read(t, -1, &rows, &sum) && rows == 11 && sum == 45 + 42);
    ice_scan_plan *plan = NULL;
    if (CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, NULL, &err), &err)) {
        int specs_seen = 0;
        for (size_t i = 0; i < plan->task_count; i++) specs_seen |= 1 << plan->tasks[i].file.spec_id;
        CHECK_EQ(specs_seen, 3);
        ice_scan_plan_free(plan);
    }
    /* a filter on the partition column skips the spec-1 file by its value */
    const ice_expr *f = NULL;
    ice_scan_opts so = {.at = ICE_SCAN_CURRENT};
    if (CHECK_OK(ice_expr_parse(&f, "id = 7", ice_metadata_current_schema(t->md), a, &err), &err)) {
        so.filter = f;
        plan = NULL;
        if (CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, &so, &err), &err)) {
            CHECK_EQ(plan->task_count, 1);
            CHECK(plan->task_count == 1 && plan->tasks[0].file.spec_id == 0);
        }
        ice_scan_plan_free(plan);
    }
done:
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

/* The default sort order as "transform(source) dir nulls,..." */
static void order_text(const ice_table *t, char *out, size_t cap)
{
    const ice_sort_order *o = ice_metadata_sort_order(t->md, t->md->default_sort_order_id);
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; o && i < o->field_count && n < cap; i++) {
        char tr[32];
        ice_transform_format(&o->fields[i].transform, tr, sizeof(tr));
        n += (size_t)snprintf(out + n, cap - n, "%s%s(%d) %s %s", i ? "," : "", tr, (int)o->fields[i].source_id,
                              o->fields[i].descending ? "desc" : "asc",
                              o->fields[i].nulls_first ? "nulls-first" : "nulls-last");
    }
}

TEST(evolve_sort_order)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    char got[512];
    if (!tt_env_open(&e) || !te_create_table(&e, "sorted", SCHEMA, NULL, &t)) goto done;
    CHECK_EQ(t->md->default_sort_order_id, 0);
    const ice_sort_term by[] = {
        {.term = "id", .descending = true},
        {.term = "day(ts)"},
        {.term = "truncate(2, name)", .nulls = ICE_NULLS_LAST},
    };
    if (!CHECK_OK(ice_txn_replace_sort_order(t, by, 3, NULL, &err), &err)) goto done;
    CHECK_EQ(t->md->default_sort_order_id, 1);
    order_text(t, got, sizeof(got));
    CHECK_STR(got, "identity(1) desc nulls-last,day(3) asc nulls-first,truncate[2](4) asc nulls-last");
    /* another order, then the first one again: its id is reused */
    const ice_sort_term by2[] = {{.term = "v"}};
    CHECK_OK(ice_txn_replace_sort_order(t, by2, 1, NULL, &err), &err);
    CHECK_EQ(t->md->default_sort_order_id, 2);
    CHECK_OK(ice_txn_replace_sort_order(t, by, 3, NULL, &err), &err);
    CHECK_EQ(t->md->default_sort_order_id, 1);
    CHECK_EQ(t->md->sort_order_count, 3);
    /* unsorted is order 0 */
    CHECK_OK(ice_txn_replace_sort_order(t, NULL, 0, NULL, &err), &err);
    CHECK_EQ(t->md->default_sort_order_id, 0);
    /* refusals */
    const ice_sort_term bad[] = {{.term = "hour(name)"}};
    CHECK_EQ(ice_txn_replace_sort_order(t, bad, 1, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "transform hour cannot be applied to column \"name\"") != NULL);
    const ice_sort_term missing[] = {{.term = "nope"}};
    CHECK_EQ(ice_txn_replace_sort_order(t, missing, 1, NULL, &err), FLOE_ENOTFOUND);
    /* the sort order's source cannot be dropped */
    CHECK_OK(ice_txn_replace_sort_order(t, by2, 1, NULL, &err), &err);
    const ice_schema_change drop[] = {{.op = ICE_SCHEMA_DROP_COLUMN, .column = "v"}};
    CHECK_EQ(ice_txn_update_schema(t, drop, 1, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "cannot drop column \"v\": it is a source of the table's sort order") != NULL);
done:
    ice_table_free(t);
    tt_env_close(&e);
}
