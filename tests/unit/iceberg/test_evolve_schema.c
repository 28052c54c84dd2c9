/*
 * test_evolve_schema.c: schema evolution: the metadata it commits (ids,
 * order, types, docs, schema-id reuse, last-column-id), its refusals with
 * their messages, and reading old and new data files through the evolved
 * schema (added columns NULL, renamed columns by field id, widened types
 * converted) at every snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/buf.h"
#include "../../../src/base/column.h"
#include "../../../src/base/value_text.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"
#include "../../../src/iceberg/ice_evolve.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../test.h"
#include "test_evolve_util.h"
#include "test_txn_util.h"

/* The current schema as compact JSON (caller frees). */
static char *schema_text(const ice_table *t)
{
    json_t *j = ice_schema_to_json(ice_metadata_current_schema(t->md));
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return s;
}

TEST(evolve_schema_changes_and_ids)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    if (!tt_env_open(&e) || !tt_create(&e, "evo", NULL, 0, &t)) goto done;
    const ice_schema_change add[] = {
        {.op = ICE_SCHEMA_ADD_COLUMN, .column = "note", .type = "string", .doc = "free text"},
        {.op = ICE_SCHEMA_ADD_COLUMN, .column = "point",
         .type = "{\"type\":\"struct\",\"fields\":[{\"id\":0,\"name\":\"x\",\"required\":false,\"type\":\"double\"},"
                 "{\"id\":0,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\",\"element-id\":0,"
                 "\"element\":\"int\",\"element-required\":false}}]}"},
        {.op = ICE_SCHEMA_ADD_COLUMN, .parent = "point", .column = "z", .type = "int"},
        {.op = ICE_SCHEMA_RENAME_COLUMN, .column = "v", .new_name = "value"},
        {.op = ICE_SCHEMA_MOVE_FIRST, .column = "note"},
        {.op = ICE_SCHEMA_MOVE_BEFORE, .column = "point.z", .other = "point.x"},
        {.op = ICE_SCHEMA_WIDEN, .column = "point.z", .type = "long"},
        {.op = ICE_SCHEMA_WIDEN, .column = "point.tags.element", .type = "long"},
        {.op = ICE_SCHEMA_SET_DOC, .column = "id", .doc = "row id"},
    };
    ice_commit_stats st;
    if (!CHECK_OK(ice_txn_update_schema(t, add, sizeof(add) / sizeof(add[0]), &st, &err), &err)) goto done;
    CHECK_EQ(t->md->current_schema_id, 1);
    CHECK_EQ(t->md->schema_count, 2);
    CHECK_EQ(t->md->last_column_id, 8);   /* note 3, point 4, x 5, tags 6, element 7, z 8 */
    char *s = schema_text(t);
    CHECK_STR(s, "{\"type\":\"struct\",\"schema-id\":1,\"fields\":["
                 "{\"id\":3,\"name\":\"note\",\"required\":false,\"type\":\"string\",\"doc\":\"free text\"},"
                 "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"long\",\"doc\":\"row id\"},"
                 "{\"id\":2,\"name\":\"value\",\"required\":false,\"type\":\"long\"},"
                 "{\"id\":4,\"name\":\"point\",\"required\":false,\"type\":{\"type\":\"struct\",\"fields\":["
                 "{\"id\":8,\"name\":\"z\",\"required\":false,\"type\":\"long\"},"
                 "{\"id\":5,\"name\":\"x\",\"required\":false,\"type\":\"double\"},"
                 "{\"id\":6,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\",\"element-id\":7,"
                 "\"element\":\"long\",\"element-required\":false}}]}}]}");
    free(s);
    /* the old schema is kept; a fresh load agrees */
    CHECK(ice_metadata_schema(t->md, 0) != NULL);
    ice_table *t2 = NULL;
    if (CHECK_OK(ice_table_load(&t2, e.catalog, e.fs, "db", "evo", &err), &err))
        CHECK_EQ(t2->md->current_schema_id, 1);
    ice_table_free(t2);

    /* moves after, make optional, drop: then dropping what was added
     * brings back an equal schema, whose id is reused */
    const ice_schema_change more[] = {
        {.op = ICE_SCHEMA_MOVE_AFTER, .column = "note", .other = "value"},
        {.op = ICE_SCHEMA_DROP_COLUMN, .column = "point"},
    };
    CHECK_OK(ice_txn_update_schema(t, more, 2, NULL, &err), &err);
    CHECK_EQ(t->md->current_schema_id, 2);
    s = schema_text(t);
    CHECK(s && strstr(s, "\"name\":\"value\",\"required\":false,\"type\":\"long\"},{\"id\":3,\"name\":\"note\"") != NULL);
    free(s);
    const ice_schema_change back[] = {
        {.op = ICE_SCHEMA_DROP_COLUMN, .column = "note"},
        {.op = ICE_SCHEMA_RENAME_COLUMN, .column = "value", .new_name = "v"},
        {.op = ICE_SCHEMA_SET_DOC, .column = "id"},
    };
    CHECK_OK(ice_txn_update_schema(t, back, 3, NULL, &err), &err);
    CHECK_EQ(t->md->current_schema_id, 0);
    CHECK_EQ(t->md->schema_count, 3);
    CHECK_EQ(t->md->last_column_id, 8);   /* ids are never reused */
    const ice_schema_change re_add[] = {{.op = ICE_SCHEMA_ADD_COLUMN, .column = "note", .type = "string"}};
    CHECK_OK(ice_txn_update_schema(t, re_add, 1, NULL, &err), &err);
    CHECK_EQ(t->md->current_schema_id, 3);
    CHECK_EQ(ice_metadata_current_schema(t->md)->highest_field_id, 9);
done:
    ice_table_free(t);
    tt_env_close(&e);
}

/* Expects the single change to fail with code and a message containing msg. */
static void expect_fail(ice_table *t, ice_schema_change c, int code, const char *msg)
{
    fl_error err;
    size_t versions = t->md->metadata_log_count;
    int rc = ice_txn_update_schema(t, &c, 1, NULL, &err);
    CHECK_EQ(rc, code);
    if (rc < 0 && !CHECK(strstr(err.message, msg) != NULL)) fprintf(stderr, "  message: %s\n", err.message);
    CHECK_EQ(t->md->metadata_log_count, versions);
}

TEST(evolve_schema_refusals)
{
    tt_env e;
    ice_table *t = NULL;
    if (!tt_env_open(&e)) goto done;
    const char *schema = "{\"type\":\"struct\",\"schema-id\":0,\"identifier-field-ids\":[1],\"fields\":["
                         "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
                         "{\"id\":2,\"name\":\"ts\",\"required\":false,\"type\":\"timestamp\"},"
                         "{\"id\":3,\"name\":\"n\",\"required\":false,\"type\":\"int\"},"
                         "{\"id\":4,\"name\":\"s\",\"required\":false,\"type\":{\"type\":\"struct\",\"fields\":["
                         "{\"id\":5,\"name\":\"a\",\"required\":false,\"type\":\"decimal(9,2)\"}]}},"
                         "{\"id\":6,\"name\":\"m\",\"required\":false,\"type\":{\"type\":\"map\",\"key-id\":7,"
                         "\"key\":\"string\",\"value-id\":8,\"value\":\"int\",\"value-required\":false}}]}";
    const char *spec = "{\"spec-id\":0,\"fields\":[{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":2,\"field-id\":1000}]}";
    if (!te_create_table(&e, "strict", schema, spec, &t)) goto done;
    typedef ice_schema_change C;
    expect_fail(t, (C){.op = ICE_SCHEMA_DROP_COLUMN, .column = "nope"}, FLOE_ENOTFOUND,
                "cannot drop column: column \"nope\" does not exist in table \"db.strict\"");
    expect_fail(t, (C){.op = ICE_SCHEMA_DROP_COLUMN, .column = "id"}, FLOE_EINVAL,
                "cannot drop column \"id\": it is an identifier field");
    expect_fail(t, (C){.op = ICE_SCHEMA_MAKE_OPTIONAL, .column = "id"}, FLOE_EINVAL,
                "cannot make column \"id\" optional: it is an identifier field");
    expect_fail(t, (C){.op = ICE_SCHEMA_DROP_COLUMN, .column = "ts"}, FLOE_EINVAL,
                "cannot drop column \"ts\": it is the source of partition field \"ts_day\"");
    expect_fail(t, (C){.op = ICE_SCHEMA_ADD_COLUMN, .column = "n", .type = "long"}, FLOE_EINVAL,
                "cannot add column \"n\": a column of that name already exists");
    expect_fail(t, (C){.op = ICE_SCHEMA_ADD_COLUMN, .column = "r", .type = "long", .required = true}, FLOE_EINVAL,
                "cannot add required column \"r\" without a default value");
    expect_fail(t, (C){.op = ICE_SCHEMA_ADD_COLUMN, .column = "r", .type = "long", .required = true, .default_json = "0"},
                FLOE_EINVAL, "defaults need format version 3");
    expect_fail(t, (C){.op = ICE_SCHEMA_ADD_COLUMN, .column = "r", .type = "lng"}, FLOE_EINVAL,
                "cannot add column \"r\": ");
    expect_fail(t, (C){.op = ICE_SCHEMA_ADD_COLUMN, .parent = "n", .column = "r", .type = "long"}, FLOE_EINVAL,
                "cannot add a column to \"n\": it is not a struct");
    expect_fail(t, (C){.op = ICE_SCHEMA_WIDEN, .column = "n", .type = "string"}, FLOE_EINVAL,
                "cannot change the type of column \"n\" from int to string: not a valid promotion");
    expect_fail(t, (C){.op = ICE_SCHEMA_WIDEN, .column = "id", .type = "int"}, FLOE_EINVAL, "from long to int");
    expect_fail(t, (C){.op = ICE_SCHEMA_WIDEN, .column = "s.a", .type = "decimal(10,3)"}, FLOE_EINVAL,
                "from decimal(9,2) to decimal(10,3)");
    expect_fail(t, (C){.op = ICE_SCHEMA_WIDEN, .column = "s", .type = "long"}, FLOE_EINVAL, "not of a primitive type");
    expect_fail(t, (C){.op = ICE_SCHEMA_RENAME_COLUMN, .column = "n", .new_name = "ts"}, FLOE_EINVAL,
                "cannot rename column \"n\" to \"ts\": a column of that name already exists");
    expect_fail(t, (C){.op = ICE_SCHEMA_MOVE_BEFORE, .column = "n", .other = "n"}, FLOE_EINVAL, "before itself");
    expect_fail(t, (C){.op = ICE_SCHEMA_MOVE_AFTER, .column = "s.a", .other = "n"}, FLOE_EINVAL,
                "they are not in the same struct");
    expect_fail(t, (C){.op = ICE_SCHEMA_MAKE_OPTIONAL, .column = "m.key"}, FLOE_EINVAL, "map keys are always required");
    expect_fail(t, (C){.op = ICE_SCHEMA_WIDEN, .column = "m.key", .type = "long"}, FLOE_EINVAL,
                "cannot change the type of map key \"m.key\"");
    expect_fail(t, (C){.op = ICE_SCHEMA_DROP_COLUMN, .column = "m.value"}, FLOE_EINVAL, "list element or map key/value");
    /* what is allowed here: widen the decimal and the map value, drop n */
    fl_error err;
    const ice_schema_change ok[] = {
        {.op = ICE_SCHEMA_WIDEN, .column = "s.a", .type = "decimal(18, 2)"},
        {.op = ICE_SCHEMA_WIDEN, .column = "m.value", .type = "long"},
        {.op = ICE_SCHEMA_DROP_COLUMN, .column = "n"},
    };
    if (CHECK_OK(ice_txn_update_schema(t, ok, 3, NULL, &err), &err)) {
        const ice_schema *cur = ice_metadata_current_schema(t->md);
        const ice_schema_entry *a = NULL, *v = NULL;
        CHECK_OK(ice_schema_find_name(&a, cur, "s.a", true, &err), &err);
        CHECK(a && a->field->type->id == ICE_TYPE_DECIMAL && a->field->type->precision == 18 &&
              a->field->type->scale == 2);
        CHECK_OK(ice_schema_find_name(&v, cur, "m.value", true, &err), &err);
        CHECK(v && v->field->type->id == ICE_TYPE_LONG);
        CHECK(ice_schema_find_name(&v, cur, "n", true, &err) == FLOE_ENOTFOUND);
        CHECK_EQ(cur->identifier_count, 1);
    }
done:
    ice_table_free(t);
    tt_env_close(&e);
}

TEST(evolve_schema_reads_old_and_new_files)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    fl_buf rows, names;
    fl_buf_init(&rows);
    fl_buf_init(&names);
    if (!tt_env_open(&e)) goto done;
    const char *schema = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                         "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"int\"},"
                         "{\"id\":2,\"name\":\"v\",\"required\":false,\"type\":\"float\"}]}";
    if (!te_create_table(&e, "reads", schema, NULL, &t)) goto done;
    /* snapshot 1: (id int, v float) */
    pq_field k1[2] = {
        {.name = "id", .type = fl_type_make(FL_TYPE_INT32), .nullable = true, .field_id = 1, .has_field_id = true},
        {.name = "v", .type = fl_type_make(FL_TYPE_FLOAT), .nullable = true, .field_id = 2, .has_field_id = true},
    };
    fl_column *c1[2] = {fl_column_new(a, k1[0].type, 3), fl_column_new(a, k1[1].type, 3)};
    for (int i = 0; i < 3; i++) {
        ((int32_t *)c1[0]->data)[i] = i;
        ((float *)c1[1]->data)[i] = (float)i + 0.5f;
    }
    c1[0]->len = c1[1]->len = 3;
    ice_data_file df;
    ice_commit_stats st;
    if (!te_write_file(t, e.fs, "old", k1, 2, c1, 3, &df, a)) goto done;
    if (!CHECK_OK(ice_txn_append(t, &df, 1, &st, &err), &err)) goto done;
    int64_t s1 = st.snapshot_id;
    /* evolve: widen both, rename v, add note, put note first */
    const ice_schema_change ch[] = {
        {.op = ICE_SCHEMA_WIDEN, .column = "id", .type = "long"},
        {.op = ICE_SCHEMA_WIDEN, .column = "v", .type = "double"},
        {.op = ICE_SCHEMA_RENAME_COLUMN, .column = "v", .new_name = "value"},
        {.op = ICE_SCHEMA_ADD_COLUMN, .column = "note", .type = "string"},
        {.op = ICE_SCHEMA_MOVE_FIRST, .column = "note"},
    };
    if (!CHECK_OK(ice_txn_update_schema(t, ch, 5, NULL, &err), &err)) goto done;
    /* snapshot 2: (note string, id long, value double) with the new ids */
    pq_field k2[3] = {
        {.name = "note", .type = fl_type_make(FL_TYPE_STRING), .nullable = true, .field_id = 3, .has_field_id = true},
        {.name = "id", .type = fl_type_make(FL_TYPE_INT64), .nullable = true, .field_id = 1, .has_field_id = true},
        {.name = "value", .type = fl_type_make(FL_TYPE_DOUBLE), .nullable = true, .field_id = 2, .has_field_id = true},
    };
    fl_column *c2[3] = {fl_column_new(a, k2[0].type, 2), fl_column_new(a, k2[1].type, 2), fl_column_new(a, k2[2].type, 2)};
    const char *notes[2] = {"ten", "eleven"};
    for (int i = 0; i < 2; i++) {
        fl_column_copy_str(c2[0], notes[i], strlen(notes[i]), &((fl_strv *)c2[0]->data)[i]);
        ((int64_t *)c2[1]->data)[i] = 10 + i;
        ((double *)c2[2]->data)[i] = 10.25 + i;
    }
    c2[0]->len = c2[1]->len = c2[2]->len = 2;
    if (!te_write_file(t, e.fs, "new", k2, 3, c2, 2, &df, a)) goto done;
    if (!CHECK_OK(ice_txn_append(t, &df, 1, &st, &err), &err)) goto done;
    int64_t s2 = st.snapshot_id;
    CHECK_EQ(ice_metadata_snapshot(t->md, s2)->schema_id, 1);
    /* current: both files through the new schema */
    if (te_read_rows(t, -1, &rows, &names)) {
        CHECK_STR((const char *)names.data, "note,id,value");
        CHECK_STR((const char *)rows.data, "\"eleven\"|11|11.25\n\"ten\"|10|10.25\n"
                                           "null|0|0.5\nnull|1|1.5\nnull|2|2.5\n");
    }
    /* snapshot 1 reads with its own schema (id int, v float) */
    if (te_read_rows(t, s1, &rows, &names)) {
        CHECK_STR((const char *)names.data, "id,v");
        CHECK_STR((const char *)rows.data, "0|0.5\n1|1.5\n2|2.5\n");
    }
    /* dropping a column hides it from new reads; old files are untouched */
    const ice_schema_change drop[] = {{.op = ICE_SCHEMA_DROP_COLUMN, .column = "value"}};
    if (CHECK_OK(ice_txn_update_schema(t, drop, 1, NULL, &err), &err)) {
        pq_field k3[2] = {k2[0], k2[1]};
        fl_column *c3[2] = {c2[0], c2[1]};
        ((int64_t *)c2[1]->data)[0] = 20;
        ((int64_t *)c2[1]->data)[1] = 21;
        if (te_write_file(t, e.fs, "newer", k3, 2, c3, 2, &df, a) && CHECK_OK(ice_txn_append(t, &df, 1, NULL, &err), &err) &&
            te_read_rows(t, -1, &rows, &names)) {
            CHECK_STR((const char *)names.data, "note,id");
            CHECK_STR((const char *)rows.data, "\"eleven\"|11\n\"eleven\"|21\n\"ten\"|10\n\"ten\"|20\n"
                                               "null|0\nnull|1\nnull|2\n");
        }
    }
done:
    fl_buf_dispose(&rows);
    fl_buf_dispose(&names);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(evolve_schema_v3_required_column_with_default)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    fl_buf rows, names;
    fl_buf_init(&rows);
    fl_buf_init(&names);
    int64_t n, sum;
    if (!tt_env_open(&e) || !tt_create(&e, "v3", NULL, 0, &t) || !te_set_format_version(t, 3)) goto done;
    ice_data_file df;
    if (!tt_data_file(t, e.fs, "d0", 0, 2, &df, a) || !CHECK_OK(ice_txn_append(t, &df, 1, NULL, &err), &err)) goto done;
    const ice_schema_change ch[] = {
        {.op = ICE_SCHEMA_ADD_COLUMN, .column = "flag", .type = "boolean", .required = true, .default_json = "true"},
        {.op = ICE_SCHEMA_ADD_COLUMN, .column = "label", .type = "string", .default_json = "\"none\""},
    };
    if (!CHECK_OK(ice_txn_update_schema(t, ch, 2, NULL, &err), &err)) goto done;
    const ice_schema_entry *f = ice_schema_find_id(ice_metadata_current_schema(t->md), 3);
    CHECK(f && f->field->required && f->field->has_initial_default && f->field->has_write_default &&
          f->field->initial_default.v.b);
    /* rows written before the columns existed read their initial defaults
     * (the current snapshot reads with the current schema though it still
     * names schema 0) */
    if (te_read_rows(t, -1, &rows, &names)) {
        CHECK_STR((const char *)names.data, "id,v,flag,label");
        CHECK_STR((const char *)rows.data, "0|0|true|\"none\"\n1|2|true|\"none\"\n");
    }
    CHECK(tt_read(t, -1, &n, &sum) && n == 2);
    /* a default that does not fit the type is refused */
    const ice_schema_change bad[] = {
        {.op = ICE_SCHEMA_ADD_COLUMN, .column = "x", .type = "int", .required = true, .default_json = "\"abc\""}};
    CHECK_EQ(ice_txn_update_schema(t, bad, 1, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "the evolved schema of table \"db.v3\" is not valid") != NULL);
done:
    fl_buf_dispose(&rows);
    fl_buf_dispose(&names);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

/* The current snapshot and branches read with the table's current schema,
 * time travel by id, timestamp and tag with the snapshot's own (Java's
 * SnapshotUtil.schemaFor), after an evolution without a new snapshot. */
static int32_t plan_schema_id(ice_table *t, const ice_scan_opts *so)
{
    fl_error err;
    ice_scan_plan *plan = NULL;
    int32_t id = -1;
    if (CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, so, &err), &err)) {
        id = plan->schema->schema_id;
        CHECK(plan->schema == ice_scan_read_schema(t->md, so, plan->snapshot));
    }
    ice_scan_plan_free(plan);
    return id;
}

TEST(evolve_schema_current_snapshot_reads_current_schema)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    fl_buf rows, names;
    fl_buf_init(&rows);
    fl_buf_init(&names);
    if (!tt_env_open(&e) || !tt_create(&e, "cur", NULL, 0, &t)) goto done;
    ice_data_file df;
    ice_commit_stats st;
    if (!tt_data_file(t, e.fs, "d0", 0, 2, &df, a) || !CHECK_OK(ice_txn_append(t, &df, 1, &st, &err), &err)) goto done;
    int64_t s1 = st.snapshot_id;
    if (!CHECK_OK(ice_txn_ref_create(t, "t1", true, NULL, NULL, &err), &err) ||
        !CHECK_OK(ice_txn_ref_create(t, "b1", false, NULL, NULL, &err), &err))
        goto done;
    const ice_schema_change ch[] = {{.op = ICE_SCHEMA_ADD_COLUMN, .column = "x", .type = "int"}};
    if (!CHECK_OK(ice_txn_update_schema(t, ch, 1, NULL, &err), &err)) goto done;
    CHECK_EQ(t->md->current_snapshot_id, s1);
    CHECK_EQ(ice_metadata_current_schema(t->md)->schema_id, 1);
    CHECK_EQ(ice_metadata_snapshot(t->md, s1)->schema_id, 0);
    CHECK_EQ(plan_schema_id(t, NULL), 1);
    ice_scan_opts so = {.at = ICE_SCAN_CURRENT};
    CHECK_EQ(plan_schema_id(t, &so), 1);
    so = (ice_scan_opts){.at = ICE_SCAN_REF, .ref = "b1"};
    CHECK_EQ(plan_schema_id(t, &so), 1);
    so = (ice_scan_opts){.at = ICE_SCAN_REF, .ref = "main"};
    CHECK_EQ(plan_schema_id(t, &so), 1);
    so = (ice_scan_opts){.at = ICE_SCAN_REF, .ref = "t1"};
    CHECK_EQ(plan_schema_id(t, &so), 0);
    so = (ice_scan_opts){.at = ICE_SCAN_SNAPSHOT_ID, .snapshot_id = s1};
    CHECK_EQ(plan_schema_id(t, &so), 0);
    so = (ice_scan_opts){.at = ICE_SCAN_AS_OF_TIME, .as_of_ms = ice_metadata_snapshot(t->md, s1)->timestamp_ms};
    CHECK_EQ(plan_schema_id(t, &so), 0);
    /* rows: x shows (NULL) for the current snapshot, not by snapshot id */
    if (te_read_rows(t, -1, &rows, &names)) {
        CHECK_STR((const char *)names.data, "id,v,x");
        CHECK_STR((const char *)rows.data, "0|0|null\n1|2|null\n");
    }
    if (te_read_rows(t, s1, &rows, &names)) {
        CHECK_STR((const char *)names.data, "id,v");
        CHECK_STR((const char *)rows.data, "0|0\n1|2\n");
    }
done:
    fl_buf_dispose(&rows);
    fl_buf_dispose(&names);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(evolve_conflicts_are_revalidated)
{
    tt_env e;
    ice_table *t = NULL, *other = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    const ice_kv fast[] = {{"commit.retry.min-wait-ms", "1"}, {"commit.retry.max-wait-ms", "5"}};
    if (!tt_env_open(&e) || !tt_create(&e, "race", fast, 2, &t)) goto done;
    if (!CHECK_OK(ice_table_load(&other, e.catalog, e.fs, "db", "race", &err), &err)) goto done;
    /* another writer sets a property; our stale handle's schema change
     * conflicts, is re-applied on the refreshed table, and keeps both */
    const ice_kv set[] = {{"owner", "ana"}};
    CHECK_OK(ice_txn_update_properties(other, set, 1, NULL, 0, NULL, &err), &err);
    const ice_schema_change add[] = {{.op = ICE_SCHEMA_ADD_COLUMN, .column = "note", .type = "string"}};
    ice_commit_stats st;
    if (CHECK_OK(ice_txn_update_schema(t, add, 1, &st, &err), &err)) {
        CHECK_EQ(st.conflicts, 1);
        CHECK_EQ(st.attempts, 2);
        CHECK_STR(ice_metadata_property(t->md, "owner"), "ana");
        CHECK_EQ(t->md->current_schema_id, 1);
    }
    /* the other writer renames v; dropping v from the stale handle fails on
     * the refreshed table instead of dropping the renamed column */
    CHECK_OK(ice_table_refresh(other, &err), &err);
    const ice_schema_change ren[] = {{.op = ICE_SCHEMA_RENAME_COLUMN, .column = "v", .new_name = "w"}};
    CHECK_OK(ice_txn_update_schema(other, ren, 1, NULL, &err), &err);
    const ice_schema_change drop[] = {{.op = ICE_SCHEMA_DROP_COLUMN, .column = "v"}};
    CHECK_EQ(ice_txn_update_schema(t, drop, 1, &st, &err), FLOE_ENOTFOUND);
    CHECK_EQ(st.conflicts, 1);
    const ice_schema_entry *w = NULL;
    CHECK_OK(ice_schema_find_name(&w, ice_metadata_current_schema(t->md), "w", true, &err), &err);
    /* a branch created concurrently under the same name is refused on retry */
    ice_data_file df;
    if (!tt_data_file(other, e.fs, "x", 0, 3, &df, a) || !CHECK_OK(ice_txn_append(other, &df, 1, NULL, &err), &err))
        goto done;
    CHECK_OK(ice_table_refresh(t, &err), &err);
    CHECK_OK(ice_txn_ref_create(other, "b", false, NULL, NULL, &err), &err);
    CHECK_EQ(ice_txn_ref_create(t, "b", true, NULL, &st, &err), FLOE_EEXISTS);
    CHECK_EQ(st.conflicts, 1);
done:
    ice_table_free(other);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}
