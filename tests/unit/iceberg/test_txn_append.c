/*
 * test_txn_append.c: table creation and fast appends through a SQLite
 * catalog: rows read back exactly at every snapshot (time travel by id),
 * Java's summary keys and totals, sequence numbers, metadata-log and
 * snapshot-log, the manifest list carrying the parent's manifests, and the
 * commit protocol's file handling: a simulated FLOE_EUNKNOWN keeps every
 * written file, a final FLOE_ECONFLICT removes them.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/iceberg/ice_manifest.h"
#include "../test.h"
#include "test_txn_util.h"

TEST(txn_create_and_three_appends)
{
    tt_env e;
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    if (!tt_env_open(&e) || !tt_create(&e, "events", NULL, 0, &t)) goto done;
    CHECK_EQ(t->md->format_version, 2);
    CHECK(t->md->table_uuid && strlen(t->md->table_uuid) == 36);
    char want_loc[700];
    snprintf(want_loc, sizeof(want_loc), "%s/db/events", e.dir);
    CHECK_STR(t->md->location, want_loc);
    CHECK(strstr(t->metadata_location, "/metadata/00000-") != NULL);
    CHECK_EQ(t->md->last_column_id, 2);
    CHECK_EQ(t->md->snapshot_count, 0);
    /* a second create of the same name fails and leaves one metadata file */
    ice_table *dup = NULL;
    ice_table_create_opts o = {.schema = ice_metadata_current_schema(t->md)};
    CHECK_EQ(ice_table_create(&dup, e.catalog, e.fs, e.dir, "db", "events", &o, &err), FLOE_EEXISTS);

    int64_t snap_ids[3], rows, sum;
    const int64_t sizes[3] = {10, 20, 5};
    int64_t start = 0, total_size = 0;
    for (int i = 0; i < 3; i++) {
        ice_data_file df[2];
        char tag[32];
        snprintf(tag, sizeof(tag), "a%d", i);
        if (!tt_data_file(t, e.fs, tag, start, sizes[i], &df[0], a)) goto done;
        snprintf(tag, sizeof(tag), "b%d", i);
        if (!tt_data_file(t, e.fs, tag, start + sizes[i], 1, &df[1], a)) goto done;
        start += sizes[i] + 1;
        total_size += df[0].file_size_in_bytes + df[1].file_size_in_bytes;
        ice_commit_stats st;
        if (!CHECK_OK(ice_txn_append(t, df, 2, &st, &err), &err)) goto done;
        CHECK_EQ(st.attempts, 1);
        CHECK_EQ(st.conflicts, 0);
        snap_ids[i] = st.snapshot_id;
        const ice_snapshot *s = ice_metadata_current_snapshot(t->md);
        CHECK(s && s->snapshot_id == st.snapshot_id);
        CHECK_EQ(s->sequence_number, i + 1);
        CHECK_STR(s->operation, "append");
        CHECK_EQ(tt_summary(s, "added-data-files"), 2);
        CHECK_EQ(tt_summary(s, "added-records"), sizes[i] + 1);
        CHECK_EQ(tt_summary(s, "added-files-size"), df[0].file_size_in_bytes + df[1].file_size_in_bytes);
        CHECK_EQ(tt_summary(s, "changed-partition-count"), 1);
        CHECK_EQ(tt_summary(s, "total-records"), start);
        CHECK_EQ(tt_summary(s, "total-files-size"), total_size);
        CHECK_EQ(tt_summary(s, "total-data-files"), 2 * (i + 1));
        CHECK_EQ(tt_summary(s, "total-delete-files"), 0);
        CHECK_EQ(tt_summary(s, "total-position-deletes"), 0);
        CHECK_EQ(tt_summary(s, "total-equality-deletes"), 0);
        CHECK_EQ(s->has_parent, i > 0);
        if (i > 0) CHECK_EQ(s->parent_id, snap_ids[i - 1]);
        ice_manifest_list *ml = NULL;
        if (CHECK_OK(ice_manifest_list_read(&ml, e.fs, s->manifest_list, &err), &err)) {
            CHECK_EQ(ml->count, (size_t)i + 1);   /* new manifest + the parent's */
            CHECK_EQ(ml->files[0].added_snapshot_id, st.snapshot_id);
            CHECK_EQ(ml->files[0].sequence_number, i + 1);
            CHECK_EQ(ml->files[0].added_files_count, 2);
            if (i > 0) CHECK_EQ(ml->files[1].added_snapshot_id, snap_ids[i - 1]);
        }
        ice_manifest_list_free(ml);
        CHECK(strstr(s->manifest_list, "/metadata/snap-") != NULL);
        CHECK(tt_read(t, -1, &rows, &sum) && rows == start && sum == start * (start - 1) / 2);
    }
    CHECK_EQ(t->md->last_sequence_number, 3);
    CHECK_EQ(t->md->metadata_log_count, 3);
    CHECK_EQ(t->md->snapshot_log_count, 3);
    CHECK(strstr(t->metadata_location, "/metadata/00003-") != NULL);
    CHECK_EQ(t->md->snapshot_log[2].snapshot_id, snap_ids[2]);
    CHECK(t->md->snapshot_log[0].timestamp_ms < t->md->snapshot_log[1].timestamp_ms);
    const ice_snapshot_ref *main_ref = ice_metadata_ref(t->md, "main");
    CHECK(main_ref && main_ref->snapshot_id == snap_ids[2]);
    /* time travel by id: exact rows of each snapshot */
    int64_t want_rows[3] = {11, 32, 38};
    for (int i = 0; i < 3; i++) {
        CHECK(tt_read(t, snap_ids[i], &rows, &sum));
        CHECK_EQ(rows, want_rows[i]);
        CHECK_EQ(sum, want_rows[i] * (want_rows[i] - 1) / 2);
    }
    /* a fresh handle through the catalog sees the same */
    ice_table *t2 = NULL;
    if (CHECK_OK(ice_table_load(&t2, e.catalog, e.fs, "db", "events", &err), &err)) {
        CHECK_STR(t2->metadata_location, t->metadata_location);
        CHECK_EQ(t2->md->snapshot_count, 3);
    }
    ice_table_free(t2);
done:
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(txn_append_unknown_outcome_keeps_files)
{
    tt_env e;
    ice_table *t = NULL, *lt = NULL;
    cat_catalog *liar = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    cat_list before, after;
    cat_list_init(&before);
    cat_list_init(&after);
    if (!tt_env_open(&e) || !tt_create(&e, "u", NULL, 0, &t)) goto done;
    ice_data_file df;
    if (!tt_data_file(t, e.fs, "x", 0, 7, &df, a)) goto done;
    liar = tt_lying_catalog_new(e.catalog, TT_LIE_UNKNOWN_AFTER_SWAP);
    if (!CHECK_OK(ice_table_load(&lt, liar, e.fs, "db", "u", &err), &err)) goto done;
    if (!tt_list(e.dir, &before)) goto done;
    CHECK_EQ(ice_txn_append(lt, &df, 1, NULL, &err), FLOE_EUNKNOWN);
    if (!tt_list(e.dir, &after)) goto done;
    /* manifest, manifest list and metadata file are all still there */
    CHECK_EQ(after.len, before.len + 3);
    size_t metadata_json = 0, avro = 0;
    for (size_t i = 0; i < after.len; i++) {
        if (cat_list_contains(&before, after.items[i])) continue;
        metadata_json += strstr(after.items[i], ".metadata.json") != NULL;
        avro += strstr(after.items[i], ".avro") != NULL;
    }
    CHECK_EQ(metadata_json, 1);
    CHECK_EQ(avro, 2);
    /* the swap did happen: a reload sees the snapshot and its rows */
    int64_t rows, sum;
    CHECK_OK(ice_table_refresh(t, &err), &err);
    CHECK_EQ(t->md->snapshot_count, 1);
    CHECK(tt_read(t, -1, &rows, &sum) && rows == 7 && sum == 21);
done:
    cat_list_dispose(&before);
    cat_list_dispose(&after);
    ice_table_free(lt);
    cat_free(liar);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(txn_append_final_conflict_removes_files)
{
    tt_env e;
    ice_table *t = NULL, *lt = NULL;
    cat_catalog *liar = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    cat_list before, after;
    cat_list_init(&before);
    cat_list_init(&after);
    const ice_kv props[] = {{"commit.retry.num-retries", "2"}, {"commit.retry.min-wait-ms", "1"},
                            {"commit.retry.max-wait-ms", "5"}};
    if (!tt_env_open(&e) || !tt_create(&e, "c", props, 3, &t)) goto done;
    ice_data_file df;
    if (!tt_data_file(t, e.fs, "x", 0, 3, &df, a)) goto done;
    liar = tt_lying_catalog_new(e.catalog, TT_LIE_ALWAYS_CONFLICT);
    if (!CHECK_OK(ice_table_load(&lt, liar, e.fs, "db", "c", &err), &err)) goto done;
    if (!tt_list(e.dir, &before)) goto done;
    ice_commit_stats st;
    CHECK_EQ(ice_txn_append(lt, &df, 1, &st, &err), FLOE_ECONFLICT);
    CHECK_EQ(st.attempts, 3);
    CHECK_EQ(st.conflicts, 3);
    CHECK(strstr(err.message, "failed after 3 attempts") != NULL);
    if (!tt_list(e.dir, &after)) goto done;
    CHECK_EQ(after.len, before.len);   /* manifest, 3 lists, 3 metadata files: all gone */
    for (size_t i = 0; i < after.len && i < before.len; i++) CHECK_STR(after.items[i], before.items[i]);
    CHECK_EQ(lt->md->snapshot_count, 0);
done:
    cat_list_dispose(&before);
    cat_list_dispose(&after);
    ice_table_free(lt);
    cat_free(liar);
    ice_table_free(t);
    tt_env_close(&e);
    fl_arena_free(a);
}

TEST(txn_create_assigns_fresh_ids)
{
    tt_env e;
    memset(&e, 0, sizeof(e));
    ice_table *t = NULL;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    /* ids as a caller might have them: arbitrary, nested */
    json_t *js = json_loads("{\"type\":\"struct\",\"schema-id\":7,\"fields\":["
        "{\"id\":50,\"name\":\"s\",\"required\":false,\"type\":{\"type\":\"struct\",\"fields\":["
        "{\"id\":60,\"name\":\"x\",\"required\":false,\"type\":\"int\"}]}},"
        "{\"id\":40,\"name\":\"m\",\"required\":false,\"type\":{\"type\":\"map\",\"key-id\":41,"
        "\"key\":\"string\",\"value-id\":42,\"value\":\"long\",\"value-required\":false}},"
        "{\"id\":9,\"name\":\"day\",\"required\":true,\"type\":\"date\"}]}", 0, NULL);
    json_t *jp = json_loads("{\"spec-id\":3,\"fields\":[{\"name\":\"day_month\",\"transform\":\"month\","
                            "\"source-id\":9,\"field-id\":1007}]}", 0, NULL);
    json_t *jo = json_loads("{\"order-id\":4,\"fields\":[{\"transform\":\"identity\",\"source-id\":60,"
                            "\"direction\":\"desc\",\"null-order\":\"nulls-last\"}]}", 0, NULL);
    ice_schema *schema = NULL;
    ice_partition_spec *spec = NULL;
    ice_sort_order *order = NULL;
    if (!CHECK(js && jp && jo) || !CHECK_OK(ice_schema_from_json(&schema, js, a, &err), &err) ||
        !CHECK_OK(ice_partition_spec_from_json(&spec, jp, a, &err), &err) ||
        !CHECK_OK(ice_sort_order_from_json(&order, jo, a, &err), &err) || !tt_env_open(&e))
        goto done;
    const ice_kv props[] = {{"owner", "txn"}};
    ice_table_create_opts o = {.schema = schema, .spec = spec, .sort_order = order,
                               .properties = props, .property_count = 1};
    if (!CHECK_OK(ice_table_create(&t, e.catalog, e.fs, e.dir, "db", "ids", &o, &err), &err)) goto done;
    const ice_schema *s = ice_metadata_current_schema(t->md);
    const ice_schema_entry *f;
    /* Java's order: top-level fields 1..3, then s.x = 4, m.key = 5, m.value = 6 */
    CHECK(CHECK_OK(ice_schema_find_name(&f, s, "s", true, &err), &err) && f->id == 1);
    CHECK(CHECK_OK(ice_schema_find_name(&f, s, "m", true, &err), &err) && f->id == 2);
    CHECK(CHECK_OK(ice_schema_find_name(&f, s, "day", true, &err), &err) && f->id == 3);
    CHECK(CHECK_OK(ice_schema_find_name(&f, s, "s.x", true, &err), &err) && f->id == 4);
    CHECK(CHECK_OK(ice_schema_find_name(&f, s, "m.value", true, &err), &err) && f->id == 6);
    CHECK_EQ(s->schema_id, 0);
    CHECK_EQ(t->md->last_column_id, 6);
    const ice_partition_spec *ps = ice_metadata_default_spec(t->md);
    CHECK(ps && ps->spec_id == 0 && ps->field_count == 1);
    if (ps && ps->field_count == 1) {
        CHECK_EQ(ps->fields[0].source_id, 3);
        CHECK_EQ(ps->fields[0].field_id, 1000);
    }
    CHECK_EQ(t->md->last_partition_id, 1000);
    const ice_sort_order *so = ice_metadata_sort_order(t->md, t->md->default_sort_order_id);
    CHECK(so && so->order_id == 1 && so->field_count == 1 && so->fields[0].source_id == 4 && so->fields[0].descending);
    CHECK_STR(ice_metadata_property(t->md, "owner"), "txn");
    /* a spec over a field the schema lacks is refused */
    json_t *bad = json_loads("{\"spec-id\":0,\"fields\":[{\"name\":\"b\",\"transform\":\"identity\","
                             "\"source-id\":77,\"field-id\":1000}]}", 0, NULL);
    ice_partition_spec *bad_spec = NULL;
    ice_table *t2 = NULL;
    if (CHECK(bad) && CHECK_OK(ice_partition_spec_from_json(&bad_spec, bad, a, &err), &err)) {
        o.spec = bad_spec;
        CHECK_EQ(ice_table_create(&t2, e.catalog, e.fs, e.dir, "db", "bad", &o, &err), FLOE_EINVAL);
        bool exists = true;
        CHECK_OK(cat_table_exists(e.catalog, "db", "bad", &exists, &err), &err);
        CHECK(!exists);
    }
    json_decref(bad);
done:
    ice_table_free(t);
    tt_env_close(&e);
    json_decref(js);
    json_decref(jp);
    json_decref(jo);
    fl_arena_free(a);
}
