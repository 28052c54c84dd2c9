/*
 * test_ice_metadata_facts.c: facts about the fixture tables, checked on the
 * metadata each table's tests open: index.json's format version, current
 * snapshot, snapshot count, type names and transforms for every table, and
 * spot checks from README.md / EXPECTED.md (snapshot ids and history, the
 * v1 manifests list, name mappings, case-sensitive names, hour and bucket
 * specs, v3 defaults, time travel through the snapshot log).
 */
#include "../test.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/buf.h"
#include "../../../src/iceberg/ice_metadata.h"
#include "../../../src/iceberg/ice_name_mapping.h"

static ice_metadata *open_fixture(const char *relative)
{
    fl_error err;
    ice_metadata *md = NULL;
    io_fs *fs = io_local_new();
    const char *path = ft_shared(relative);
    glob_t g;
    if (strchr(path, '*') && glob(path, 0, NULL, &g) == 0) {
        if (CHECK_EQ(g.gl_pathc, 1)) CHECK_OK(ice_metadata_read(&md, fs, g.gl_pathv[0], &err), &err);
        globfree(&g);
    } else {
        CHECK_OK(ice_metadata_read(&md, fs, path, &err), &err);
    }
    io_fs_free(fs);
    return md;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorted unique names, comma-joined. */
static void join_set(const char **names, size_t n, char *out, size_t cap)
{
    qsort(names, n, sizeof(char *), cmp_str);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0) continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "," : "", names[i]);
        if (len >= cap) break;
    }
}

static void check_index_entry(const json_t *e)
{
    const char *fixture = json_string_value(json_object_get(e, "fixture"));
    char open[1024], rel[1200];
    snprintf(open, sizeof(open), "%s", json_string_value(json_object_get(e, "open_metadata")));
    char *and = strstr(open, ") and ");
    char *paren = strstr(open, " (");
    if (and) {
        /* "dir/a.metadata.json (v1) and b.metadata.json (v3)": the last one is described */
        char *dir_end = strrchr(open, '/');
        char *second = and + 6;
        char *sp = strchr(second, ' ');
        if (sp) *sp = '\0';
        *(dir_end + 1) = '\0';
        snprintf(rel, sizeof(rel), "fixtures/iceberg/%s/%s%s", fixture, open, second);
    } else {
        if (paren) *paren = '\0';
        snprintf(rel, sizeof(rel), "fixtures/iceberg/%s/%s", fixture, open);
    }
    ice_metadata *md = open_fixture(rel);
    if (md == NULL) {
        fprintf(stderr, "  fixture %s\n", fixture);
        return;
    }
    bool ok = true;
    ok &= CHECK_EQ(md->format_version, json_integer_value(json_object_get(e, "format_version")));
    ok &= CHECK_EQ(md->snapshot_count, json_integer_value(json_object_get(e, "snapshots")));
    int64_t current = json_integer_value(json_object_get(e, "current_snapshot_id"));
    ok &= CHECK_EQ(md->current_snapshot_id, current);
    if (current != -1) ok &= CHECK(ice_metadata_current_snapshot(md) != NULL);

    const char *names[512];
    size_t n = 0;
    char got[1024], want[1024];
    for (size_t s = 0; s < md->schema_count; s++) {
        names[n++] = "struct";
        for (size_t i = 0; i < md->schemas[s]->index_count && n < 512; i++)
            names[n++] = ice_type_id_name(md->schemas[s]->index[i].field->type->id);
    }
    join_set(names, n, got, sizeof(got));
    const json_t *types = json_object_get(e, "types");
    n = 0;
    for (size_t i = 0; i < json_array_size(types) && n < 512; i++) names[n++] = json_string_value(json_array_get(types, i));
    join_set(names, n, want, sizeof(want));
    /* the index lists types over all of a table's metadata files (float
     * before its promotion to double, say): the open one's must be among them */
    char padded[1100];
    snprintf(padded, sizeof(padded), ",%s,", want);
    for (char *tok = got; *tok;) {
        char *comma = strchr(tok, ',');
        size_t len = comma ? (size_t)(comma - tok) : strlen(tok);
        char needle[80];
        snprintf(needle, sizeof(needle), ",%.*s,", (int)len, tok);
        if (!CHECK(strstr(padded, needle) != NULL)) fprintf(stderr, "  type %s not in %s\n", needle, want);
        tok += len + (comma ? 1 : 0);
    }
    ok &= CHECK(strlen(got) > 0);

    char tbuf[64][64];
    n = 0;
    for (size_t s = 0; s < md->spec_count; s++)
        for (size_t i = 0; i < md->specs[s]->field_count && n < 64; i++) {
            ice_transform_format(&md->specs[s]->fields[i].transform, tbuf[n], sizeof(tbuf[n]));
            names[n] = tbuf[n];
            n++;
        }
    join_set(names, n, got, sizeof(got));
    const json_t *tr = json_object_get(e, "transforms");
    n = 0;
    for (size_t i = 0; i < json_array_size(tr); i++) names[n++] = json_string_value(json_array_get(tr, i));
    join_set(names, n, want, sizeof(want));
    ok &= CHECK_STR(got, want);
    if (!ok) fprintf(stderr, "  fixture %s\n", fixture);
    ice_metadata_free(md);
}

TEST(ice_metadata_index_facts)
{
    fl_buf raw;
    fl_buf_init(&raw);
    io_fs *fs = io_local_new();
    fl_error err;
    CHECK_OK(io_read_file(fs, ft_shared("fixtures/iceberg/index.json"), &raw, &err), &err);
    io_fs_free(fs);
    /* index.json holds one id above INT64_MAX: read as its 64 bits, like the metadata */
    json_t *index = NULL;
    CHECK_OK(ice_json_loadb(&index, raw.data, raw.len, 0, "index", &err), &err);
    fl_buf_dispose(&raw);
    if (!CHECK(index != NULL)) return;
    CHECK_EQ(json_array_size(index), 66);
    for (size_t i = 0; i < json_array_size(index); i++) check_index_entry(json_array_get(index, i));
    json_decref(index);
}

TEST(ice_metadata_history_and_time_travel)
{
    ice_metadata *md = open_fixture("fixtures/iceberg/flink_v2_eqdel_basic/metadata/v4.metadata.json");
    if (!md) return;
    fl_error err;
    const ice_snapshot *cur = ice_metadata_current_snapshot(md), *s;
    CHECK(cur && cur->snapshot_id == 5763349507283783091LL);
    CHECK(ice_metadata_is_ancestor(md, cur, 3207673167795000154LL));
    CHECK(ice_metadata_is_ancestor(md, cur, 361598097944440235LL));
    const ice_snapshot *parent = ice_metadata_snapshot_parent(md, cur);
    CHECK(parent && parent->snapshot_id == 3207673167795000154LL);
    CHECK(parent && !ice_metadata_is_ancestor(md, parent, 5763349507283783091LL));
    CHECK_OK(ice_metadata_snapshot_by_ref(&s, md, "main", &err), &err);
    CHECK(s == cur);
    CHECK_EQ(ice_metadata_snapshot_by_ref(&s, md, "nope", &err), FLOE_ENOTFOUND);
    CHECK_OK(ice_metadata_snapshot_as_of(&s, md, 1692789360703, &err), &err);
    CHECK(s && s->snapshot_id == 3207673167795000154LL);
    CHECK_OK(ice_metadata_snapshot_as_of(&s, md, 1692789361041, &err), &err);
    CHECK(s && s->snapshot_id == 3207673167795000154LL);
    CHECK_OK(ice_metadata_snapshot_as_of(&s, md, INT64_MAX, &err), &err);
    CHECK(s == cur);
    CHECK_EQ(ice_metadata_snapshot_as_of(&s, md, 1692789360318, &err), FLOE_ENOTFOUND);
    CHECK(strstr(err.message, "snapshot log starts at 1692789360319") != NULL);
    CHECK(md->metadata_log_count >= 1);
    CHECK_STR(cur->operation, "overwrite");
    ice_metadata_free(md);
}

TEST(ice_metadata_fixture_spot_checks)
{
    fl_error err;
    /* v1 snapshot with an embedded manifest list */
    ice_metadata *md = open_fixture("fixtures/iceberg/spark_v1_manifests_list_no_manifest_list/metadata/v2.metadata.json");
    if (md) {
        const ice_snapshot *s = ice_metadata_current_snapshot(md);
        CHECK(s && s->manifest_list == NULL && s->manifest_count >= 1);
        CHECK(ice_metadata_ref(md, "main") != NULL);   /* synthesized from current-snapshot-id */
        ice_metadata_free(md);
    }
    /* name mapping from the table property; field b was re-added with id 3 */
    md = open_fixture("fixtures/iceberg/spark_v1_name_mapping_schema_evolution/metadata/v7.metadata.json");
    if (md) {
        const char *nm = ice_metadata_property(md, ICE_NAME_MAPPING_PROPERTY);
        ice_name_mapping *m;
        if (CHECK(nm != NULL) && CHECK_OK(ice_name_mapping_parse(&m, nm, strlen(nm), md->arena, &err), &err)) {
            const ice_mapped_field *f = ice_name_mapping_find(m, "b");
            CHECK(f && f->field_id == 3);
        }
        const ice_schema_entry *e;
        CHECK_OK(ice_schema_find_name(&e, ice_metadata_current_schema(md), "b", true, &err), &err);
        CHECK(e && e->id == 3);
        ice_metadata_free(md);
    }
    /* two columns differing only in case */
    md = open_fixture("fixtures/iceberg/pyiceberg_v2_case_sensitive_names/default.db/case_sensitive_names/metadata/"
                      "00001-a7a3a44c-4aac-4619-bebd-11be37b27351.metadata.json");
    if (md) {
        const ice_schema *sc = ice_metadata_current_schema(md);
        const ice_schema_entry *a, *b;
        CHECK_OK(ice_schema_find_name(&a, sc, "uSeR_Id", true, &err), &err);
        CHECK_OK(ice_schema_find_name(&b, sc, "user_id", true, &err), &err);
        CHECK(a && b && a->id != b->id);
        CHECK_EQ(ice_schema_find_name(&a, sc, "USER_ID", false, &err), FLOE_EINVAL);
        ice_metadata_free(md);
    }
    /* hour(ts) on timestamptz; bucket[16] on an upper-case column */
    md = open_fixture("fixtures/iceberg/hive_v1_hour_part_timestamptz/metadata/v2.metadata.json");
    if (md) {
        const ice_partition_spec *spec = ice_metadata_default_spec(md);
        const ice_type *pt;
        if (CHECK(spec && spec->field_count == 1) &&
            CHECK_OK(ice_partition_type(&pt, spec, ice_metadata_current_schema(md), false, md->arena, &err), &err)) {
            CHECK_EQ(spec->fields[0].transform.kind, ICE_TRANSFORM_HOUR);
            CHECK_EQ(pt->fields[0].type->id, ICE_TYPE_INT);
            CHECK_EQ(pt->fields[0].id, 1000);
        }
        ice_metadata_free(md);
    }
    md = open_fixture("fixtures/iceberg/v3_metadata_only_timestamptz_ns_transforms/metadata/v1.metadata.json");
    if (md) {
        const ice_type *pt;
        CHECK(!md->has_current_snapshot && md->snapshot_count == 0);
        if (CHECK_OK(ice_partition_type(&pt, ice_metadata_default_spec(md), ice_metadata_current_schema(md), false,
                                        md->arena, &err), &err)) {
            int dates = 0, ints = 0;
            for (size_t i = 0; i < pt->field_count; i++) {
                dates += pt->fields[i].type->id == ICE_TYPE_DATE;
                ints += pt->fields[i].type->id == ICE_TYPE_INT;
            }
            CHECK_EQ(dates, 1);
            CHECK_EQ(ints, 3);
        }
        ice_metadata_free(md);
    }
    /* v3 defaults: column j initial-default -1, write-default -999 */
    md = open_fixture("fixtures/iceberg/spark_v3_initial_default/metadata/v4.metadata.json");
    if (md) {
        const ice_schema_entry *e;
        CHECK(md->has_next_row_id);
        if (CHECK_OK(ice_schema_find_name(&e, ice_metadata_current_schema(md), "j", true, &err), &err)) {
            CHECK(e->field->has_initial_default && e->field->initial_default.v.i64 == -1);
            CHECK(e->field->has_write_default && e->field->write_default.v.i64 == -999);
        }
        const ice_snapshot *s = ice_metadata_current_snapshot(md);
        CHECK(s && s->has_first_row_id && s->has_added_rows);
        ice_metadata_free(md);
    }
    /* gzip-compressed metadata */
    md = open_fixture("fixtures/iceberg/spark_v1_lineitem_gzip_metadata/metadata/v2.gz.metadata.json");
    if (md) {
        CHECK_EQ(md->current_snapshot_id, 4468019210336628573LL);
        ice_metadata_free(md);
    }
    /* zstd-compressed, current-snapshot-id -1 */
    md = open_fixture("fixtures/iceberg/_unit/table_metadata/iceberg-go/TableMetadataV2Valid.zstd.metadata.json");
    if (md) {
        CHECK(!md->has_current_snapshot);
        CHECK_EQ(md->format_version, 2);
        ice_metadata_free(md);
    }
    /* statistics and partition statistics */
    md = open_fixture("fixtures/iceberg/_unit/table_metadata/apache-iceberg/TableMetadataStatisticsFiles.json");
    if (md) {
        if (CHECK_EQ(md->statistics_count, 1)) {
            CHECK(md->statistics[0].blob_count >= 1);
            CHECK(md->statistics[0].file_footer_size_in_bytes > 0);
        }
        ice_metadata_free(md);
    }
    md = open_fixture("fixtures/iceberg/_unit/table_metadata/apache-iceberg/TableMetadataPartitionStatisticsFiles.json");
    if (md) {
        CHECK_EQ(md->partition_statistics_count, 1);
        ice_metadata_free(md);
    }
    md = open_fixture("fixtures/iceberg/_unit/table_metadata/iceberg-rust/TableMetadataV3ValidEncryption.json");
    if (md) {
        if (CHECK_EQ(md->encryption_key_count, 2)) CHECK_STR(md->encryption_keys[1].encrypted_by_id, md->encryption_keys[0].key_id);
        const ice_snapshot *s = ice_metadata_current_snapshot(md);
        CHECK(s && s->key_id && strcmp(s->key_id, "1fb95f04-7f98-4b1f-a08f-e810cfb907ff") == 0);
        ice_metadata_free(md);
    }
    /* a v1 table whose specs lack default-spec-id: the highest spec id */
    md = open_fixture("fixtures/iceberg/_unit/table_metadata/iceberg-rust/TableMetadataV1PartitionSpecsWithoutDefaultId.json");
    if (md) {
        CHECK_EQ(md->default_spec_id, 2);
        CHECK_EQ(md->last_partition_id, 1001);
        ice_metadata_free(md);
    }
}

static int parse_text(const char *text, fl_error *err)
{
    ice_metadata *md = NULL;
    int rc = ice_metadata_parse(&md, text, strlen(text), err);
    ice_metadata_free(md);
    return rc;
}

TEST(ice_metadata_malformed)
{
    fl_error err;
    const char *base =
        "{\"format-version\":2,\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\",\"location\":\"s3://b/t\","
        "\"last-sequence-number\":0,\"last-updated-ms\":1,\"last-column-id\":1,\"current-schema-id\":0,"
        "\"schemas\":[{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"x\",\"required\":true,"
        "\"type\":\"long\"}]}],\"default-spec-id\":0,\"partition-specs\":[{\"spec-id\":0,\"fields\":[]}],"
        "\"last-partition-id\":999,\"default-sort-order-id\":0,\"sort-orders\":[{\"order-id\":0,\"fields\":[]}]%s}";
    char buf[2048];
    snprintf(buf, sizeof(buf), base, "");
    CHECK_OK(parse_text(buf, &err), &err);
    snprintf(buf, sizeof(buf), base, ",\"current-snapshot-id\":5");
    CHECK_EQ(parse_text(buf, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "current snapshot 5") != NULL);
    snprintf(buf, sizeof(buf), base, ",\"snapshots\":[{\"snapshot-id\":1,\"timestamp-ms\":1}]");
    CHECK_EQ(parse_text(buf, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "neither manifest-list nor manifests") != NULL);
    snprintf(buf, sizeof(buf), base, ",\"refs\":{\"x\":{\"snapshot-id\":1,\"type\":\"twig\"}}");
    CHECK_EQ(parse_text(buf, &err), FLOE_ECORRUPT);
    snprintf(buf, sizeof(buf), base, ",\"properties\":{\"a\":[1]}");
    CHECK_EQ(parse_text(buf, &err), FLOE_ECORRUPT);
    snprintf(buf, sizeof(buf), base, ",\"statistics\":[{\"snapshot-id\":1}]");
    CHECK_EQ(parse_text(buf, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "statistics-path") != NULL);
    CHECK_EQ(parse_text("[]", &err), FLOE_ECORRUPT);
    CHECK_EQ(parse_text("{\"format-version\":", &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "invalid table metadata JSON") != NULL);
    CHECK_EQ(parse_text("{\"format-version\":\"2\"}", &err), FLOE_ECORRUPT);
    CHECK_EQ(parse_text("\x1f\x8b\x08\x00garbage", &err), FLOE_ECORRUPT);
    CHECK_EQ(parse_text("{\"format-version\":4}", &err), FLOE_EUNSUPPORTED);
    /* unknown members survive a round trip */
    snprintf(buf, sizeof(buf), base, ",\"x-vendor\":{\"k\":[1,2]}");
    ice_metadata *md;
    if (CHECK_OK(ice_metadata_parse(&md, buf, strlen(buf), &err), &err)) {
        fl_buf out;
        fl_buf_init(&out);
        CHECK_OK(ice_metadata_write(&out, md, &err), &err);
        CHECK(strstr(fl_buf_cstr(&out), "\"x-vendor\": {") != NULL);
        CHECK(strstr(fl_buf_cstr(&out), "\"current-snapshot-id\": -1") != NULL);
        fl_buf_dispose(&out);
        ice_metadata_free(md);
    }
}

TEST(ice_metadata_out_of_memory)
{
    /* every allocation failure gives FLOE_ENOMEM, never a crash or a leak */
    fl_buf raw;
    fl_buf_init(&raw);
    io_fs *fs = io_local_new();
    fl_error err;
    CHECK_OK(io_read_file(fs, ft_shared("fixtures/iceberg/_unit/table_metadata/apache-iceberg/TableMetadataV2Valid.json"),
                          &raw, &err), &err);
    io_fs_free(fs);
    int rc = -1;
    long n;
    for (n = 0; n < 5000 && rc != 0; n++) {
        ice_metadata *md = NULL;
        fl_alloc_fail_after(n);
        rc = ice_metadata_parse(&md, raw.data, raw.len, &err);
        fl_buf out;
        fl_buf_init(&out);
        if (rc == 0) rc = ice_metadata_write(&out, md, &err);
        fl_alloc_fail_after(-1);
        fl_buf_dispose(&out);
        if (rc != 0 && !CHECK_EQ(rc, FLOE_ENOMEM)) fprintf(stderr, "  after %ld allocations: %s\n", n, err.message);
        ice_metadata_free(md);
    }
    CHECK_EQ(rc, 0);
    CHECK(n > 3);
    fl_buf_dispose(&raw);
}
