/*
 * test_manifest_fixtures.c: reads every manifest list and manifest of every
 * snapshot of every metadata JSON of the shared Iceberg fixtures (written by
 * Java/Spark, PyIceberg, Trino, Impala, Flink, BigQuery, iceberg-rust ...)
 * and checks the entries against the manifest lists' counts and against the
 * snapshot summaries' totals (total-data-files, total-records,
 * total-delete-files). Paths in the fixtures are remapped to the local copy
 * with index.json's prefixes through a small io_fs wrapper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/strutil.h"
#include "../../../src/iceberg/ice_json.h"
#include "../../../src/iceberg/ice_manifest.h"
#include "../test.h"

/* ---- a read-only io_fs that maps fixture prefixes to local paths ---- */

typedef struct remap_fs {
    io_fs base;
    io_fs *local;
    char root[1024];                 /* fixture directory */
    const char *prefixes[16];
    size_t prefix_count;
} remap_fs;

static int remap_open(io_fs *fs, const char *location, io_reader **out, fl_error *err)
{
    remap_fs *r = (remap_fs *)fs;
    char path[2048];
    for (size_t i = 0; i < r->prefix_count; i++) {
        size_t n = strlen(r->prefixes[i]);
        if (strncmp(location, r->prefixes[i], n) == 0) {
            snprintf(path, sizeof(path), "%s/%s", r->root, location + n);
            return io_open(r->local, path, out, err);
        }
    }
    if (location[0] == '/') return io_open(r->local, location, out, err);
    snprintf(path, sizeof(path), "%s/%s", r->root, location);
    return io_open(r->local, path, out, err);
}

static int remap_create(io_fs *fs, const char *location, int flags, io_writer **out, fl_error *err)
{
    (void)fs; (void)flags; (void)out;
    return fl_error_set(err, FLOE_EUNSUPPORTED, "fixtures are read-only: \"%s\"", location);
}
static int remap_remove(io_fs *fs, const char *location, fl_error *err)
{
    return remap_create(fs, location, 0, NULL, err);
}
static int remap_list(io_fs *fs, const char *prefix, io_list_fn fn, void *ctx, fl_error *err)
{
    (void)fn; (void)ctx;
    return remap_create(fs, prefix, 0, NULL, err);
}
static void remap_free(io_fs *fs) { (void)fs; }

static const struct io_fs_ops remap_ops = {remap_open, remap_create, remap_remove, remap_list,
                                           remap_free};

/* ---- walking a table ---- */

typedef struct table_totals {
    int64_t data_files, delete_files, records;
    int manifests, entries;
} table_totals;

static const char *summary_get(const ice_snapshot *s, const char *key)
{
    for (size_t i = 0; i < s->summary_count; i++)
        if (strcmp(s->summary[i].key, key) == 0) return s->summary[i].value;
    return NULL;
}

/* Reads one manifest, checks it against its list entry, adds live files. */
static bool check_manifest(io_fs *fs, const ice_metadata *md, const ice_manifest_file *mf,
                           const ice_snapshot *snap, const char *fixture, table_totals *t)
{
    fl_error err;
    ice_manifest_reader *r = NULL;
    if (!CHECK_OK(ice_manifest_reader_open(&r, fs, mf->manifest_path, mf, md, &err), &err))
        return false;
    int64_t files[3] = {0, 0, 0}, rows[3] = {0, 0, 0};
    const ice_manifest_entry *e;
    int rc;
    bool ok = true;
    while ((rc = ice_manifest_reader_next(r, &e, &err)) == 1) {
        t->entries++;
        files[e->status]++;
        rows[e->status] += e->file.record_count;
        ok &= CHECK(e->file.file_path && e->file.file_path[0]);
        ok &= CHECK_EQ(e->file.partition_count, ice_manifest_reader_spec(r)->field_count);
        ok &= CHECK(e->file.record_count >= 0 && e->file.file_size_in_bytes > 0);
        /* the manifest content and the file content agree */
        ok &= CHECK_EQ(mf->content == ICE_MANIFEST_DELETES, e->file.content != ICE_CONTENT_DATA);
        /* inherited snapshot ids: an ADDED entry belongs to the manifest's snapshot */
        if (e->status == ICE_ENTRY_ADDED && mf->added_snapshot_id != 0)
            ok &= CHECK_EQ(e->snapshot_id, mf->added_snapshot_id);
        /* data sequence numbers never exceed the snapshot's */
        if (snap->has_sequence_number) ok &= CHECK(e->sequence_number <= snap->sequence_number);
        /* (compactions may add files with an explicit, older data sequence number) */
        if (e->status == ICE_ENTRY_ADDED && mf->sequence_number > 0 && !e->explicit_sequence_number)
            ok &= CHECK_EQ(e->sequence_number, mf->sequence_number);
        if (e->status != ICE_ENTRY_DELETED) {
            if (e->file.content == ICE_CONTENT_DATA) {
                t->data_files++;
                t->records += e->file.record_count;
            } else {
                t->delete_files++;
            }
        }
    }
    ok &= CHECK_OK(rc, &err);
    if (mf->added_files_count >= 0) ok &= CHECK_EQ(files[ICE_ENTRY_ADDED], mf->added_files_count);
    if (mf->existing_files_count >= 0) ok &= CHECK_EQ(files[ICE_ENTRY_EXISTING], mf->existing_files_count);
    if (mf->deleted_files_count >= 0) ok &= CHECK_EQ(files[ICE_ENTRY_DELETED], mf->deleted_files_count);
    if (strcmp(fixture, "pyiceberg_v1_to_v3_upgrade") == 0 && mf->added_rows_count >= 0) {
        /* the PyIceberg bug this fixture reproduces: EXISTING entries whose
         * rows the list counts as added */
        ok &= CHECK_EQ(rows[ICE_ENTRY_ADDED] + rows[ICE_ENTRY_EXISTING],
                       mf->added_rows_count + mf->existing_rows_count);
    } else {
        if (mf->added_rows_count >= 0) ok &= CHECK_EQ(rows[ICE_ENTRY_ADDED], mf->added_rows_count);
        if (mf->existing_rows_count >= 0) ok &= CHECK_EQ(rows[ICE_ENTRY_EXISTING], mf->existing_rows_count);
    }
    if (mf->deleted_rows_count >= 0) ok &= CHECK_EQ(rows[ICE_ENTRY_DELETED], mf->deleted_rows_count);
    if (mf->partitions) ok &= CHECK_EQ(mf->partition_count, ice_manifest_reader_spec(r)->field_count);
    ice_manifest_reader_free(r);
    return ok;
}

static bool check_snapshot(io_fs *fs, const ice_metadata *md, const ice_snapshot *s,
                           const char *fixture, int *manifest_total)
{
    fl_error err;
    ice_manifest_list *list = NULL;
    int rc = ice_snapshot_manifests(&list, fs, md, s, &err);
    if (s->snapshot_id == 7342794868382145167LL && strcmp(fixture, "spark_v2_eqdel_unpartitioned") == 0) {
        /* the documented source defect: its manifest list is missing */
        CHECK_EQ(rc, FLOE_ENOTFOUND);
        return true;
    }
    if (!CHECK_OK(rc, &err)) {
        fprintf(stderr, "  fixture %s snapshot %lld\n", fixture, (long long)s->snapshot_id);
        return false;
    }
    table_totals t = {0};
    bool ok = true;
    for (size_t i = 0; i < list->count; i++) {
        const ice_manifest_file *mf = &list->files[i];
        if (s->has_sequence_number && md->format_version >= 2)
            ok &= CHECK(mf->sequence_number <= s->sequence_number);
        ok &= check_manifest(fs, md, mf, s, fixture, &t);
    }
    *manifest_total += (int)list->count;
    int64_t want;
    const char *v;
    fl_error perr;
    if ((v = summary_get(s, "total-data-files")) && fl_parse_i64(&want, v, strlen(v), &perr) >= 0)
        ok &= CHECK_EQ(t.data_files, want);
    if ((v = summary_get(s, "total-records")) && fl_parse_i64(&want, v, strlen(v), &perr) >= 0)
        ok &= CHECK_EQ(t.records, want);
    if ((v = summary_get(s, "total-delete-files")) && fl_parse_i64(&want, v, strlen(v), &perr) >= 0)
        ok &= CHECK_EQ(t.delete_files, want);
    if (!ok) fprintf(stderr, "  fixture %s snapshot %lld\n", fixture, (long long)s->snapshot_id);
    ice_manifest_list_free(list);
    return ok;
}

static void check_fixture(const json_t *e, io_fs *local, int *snapshot_total, int *manifest_total)
{
    const char *fixture = json_string_value(json_object_get(e, "fixture"));
    const char *table_dir = json_string_value(json_object_get(e, "table_dir"));
    remap_fs fs;
    memset(&fs, 0, sizeof(fs));
    fs.base.ops = &remap_ops;
    fs.local = local;
    char rel[512];
    snprintf(rel, sizeof(rel), "fixtures/iceberg/%s", fixture);
    snprintf(fs.root, sizeof(fs.root), "%s", ft_shared(rel));
    const json_t *remap = json_object_get(e, "remap");
    for (size_t i = 0; i < json_array_size(remap) && fs.prefix_count < 16; i++)
        fs.prefixes[fs.prefix_count++] = json_string_value(json_object_get(json_array_get(remap, i), "prefix"));
    const json_t *files = json_object_get(e, "metadata_files");
    for (size_t i = 0; i < json_array_size(files); i++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s/metadata/%s", fs.root, table_dir,
                 json_string_value(json_array_get(files, i)));
        fl_error err;
        ice_metadata *md = NULL;
        if (ice_metadata_read(&md, local, path, &err) < 0) continue;   /* negatives are the metadata tests' */
        for (size_t s = 0; s < md->snapshot_count; s++) {
            (*snapshot_total)++;
            check_snapshot(&fs.base, md, &md->snapshots[s], fixture, manifest_total);
        }
        ice_metadata_free(md);
    }
}

TEST(manifest_fixtures_every_snapshot)
{
    fl_buf raw;
    fl_buf_init(&raw);
    io_fs *local = io_local_new();
    fl_error err;
    CHECK_OK(io_read_file(local, ft_shared("fixtures/iceberg/index.json"), &raw, &err), &err);
    json_t *index = NULL;
    CHECK_OK(ice_json_loadb(&index, raw.data, raw.len, 0, "index", &err), &err);
    fl_buf_dispose(&raw);
    if (CHECK(index != NULL)) {
        int snapshots = 0, manifests = 0;
        for (size_t i = 0; i < json_array_size(index); i++)
            check_fixture(json_array_get(index, i), local, &snapshots, &manifests);
        CHECK(snapshots > 100);
        CHECK(manifests > 200);
        json_decref(index);
    }
    io_fs_free(local);
}

/* Manifest lists from other libraries' test suites (v2, v3, encrypted). */
TEST(manifest_list_unit_fixtures)
{
    io_fs *local = io_local_new();
    fl_error err;
    ice_manifest_list *l = NULL;
    if (CHECK_OK(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/iceberg-rust/manifest-list-v2-1.avro"), &err), &err)) {
        CHECK(l->count >= 1);
        CHECK_EQ(l->format_version, 2);
        ice_manifest_list_free(l);
    }
    /* an AES-GCM encrypted list (no Avro magic): a clean error, not a crash */
    CHECK_EQ(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/iceberg-rust/manifest-list-v3-encrypted.avro"), &err),
             FLOE_ECORRUPT);
    CHECK(strstr(err.message, "manifest-list-v3-encrypted.avro") != NULL);
    if (CHECK_OK(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/iceberg-rust/manifest-list-v2-2.avro"), &err), &err)) {
        CHECK(l->count >= 1);
        ice_manifest_list_free(l);
    }
    /* iceberg-cpp's lists and manifests (written by Java) */
    if (CHECK_OK(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/iceberg-cpp/snap-7412193043800610213-1-2bccd69e-d642-4816-bba0-261cd9bd0d93.avro"), &err), &err)) {
        CHECK(l->count >= 1);
        ice_manifest_list_free(l);
    }
    if (CHECK_OK(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/iceberg-go/duckdb_v3_manifest_list.avro"), &err), &err)) {
        CHECK(l->count >= 1);
        ice_manifest_list_free(l);
    }
    CHECK(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/none.avro"), &err) < 0);
    io_fs_free(local);
}

/* A Java-written partitioned manifest read from its header alone (no table
 * metadata): spec and schema come from "partition-spec" and "schema". */
TEST(manifest_read_from_header_only)
{
    io_fs *local = io_local_new();
    fl_error err;
    ice_manifest_reader *r = NULL;
    const char *path = ft_shared("fixtures/iceberg/_unit/manifests/iceberg-cpp/56357cd7-391f-4df8-aa24-e7e667da8870-m4.avro");
    if (CHECK_OK(ice_manifest_reader_open(&r, local, path, NULL, NULL, &err), &err)) {
        CHECK_EQ(ice_manifest_reader_format_version(r), 2);
        CHECK_EQ(ice_manifest_reader_content(r), ICE_MANIFEST_DATA);
        const ice_partition_spec *spec = ice_manifest_reader_spec(r);
        CHECK(spec && spec->field_count == 1 && spec->fields[0].transform.kind == ICE_TRANSFORM_HOUR);
        const ice_manifest_entry *e;
        int n = 0;
        while (ice_manifest_reader_next(r, &e, &err) == 1) {
            if (n == 0) {
                CHECK_EQ(e->status, ICE_ENTRY_ADDED);
                CHECK_EQ(e->snapshot_id, 6387266376565973956LL);
                CHECK(!e->explicit_sequence_number);
                CHECK_EQ(e->sequence_number, 0);   /* nothing to inherit from */
                CHECK_EQ(e->file.partition_count, 1);
                CHECK_EQ(e->file.partition[0].type.id, FL_TYPE_INT32);
                CHECK_EQ(e->file.partition[0].v.i64, 447696);   /* 2021-01-27-00 */
                CHECK_EQ(e->file.record_count, 1);
                CHECK_EQ(e->file.file_size_in_bytes, 1375);
                int64_t size;
                CHECK(ice_field_count_get(e->file.column_sizes, e->file.column_size_count, 1, &size));
                CHECK_EQ(size, 49);
                const ice_schema *schema = ice_manifest_reader_schema(r);
                fl_value lo;
                bool found;
                if (CHECK(schema != NULL) &&
                    CHECK_OK(ice_data_file_bound(&lo, &found, &e->file, schema, 1, false, &err), &err))
                    CHECK(found && lo.type.id == FL_TYPE_INT64);
            }
            CHECK_EQ(e->file.partition_count, 1);
            n++;
        }
        CHECK(n >= 2);
        ice_manifest_reader_free(r);
    }
    /* with a manifest-list entry: sequence numbers and snapshot ids inherit */
    ice_manifest_file mf;
    memset(&mf, 0, sizeof(mf));
    mf.sequence_number = 7;
    mf.added_snapshot_id = 42;
    mf.partition_spec_id = 0;
    if (CHECK_OK(ice_manifest_reader_open(&r, local, path, &mf, NULL, &err), &err)) {
        const ice_manifest_entry *e;
        if (CHECK_EQ(ice_manifest_reader_next(r, &e, &err), 1)) {
            CHECK_EQ(e->sequence_number, 7);
            CHECK_EQ(e->file_sequence_number, 7);
            CHECK_EQ(e->snapshot_id, 6387266376565973956LL);   /* explicit wins */
        }
        ice_manifest_reader_free(r);
    }
    io_fs_free(local);
}

TEST(manifest_list_v3_first_row_ids)
{
    io_fs *local = io_local_new();
    fl_error err;
    ice_manifest_list *l = NULL;
    if (CHECK_OK(ice_manifest_list_read(&l, local, ft_shared("fixtures/iceberg/_unit/manifests/iceberg-go/duckdb_v3_manifest_list.avro"), &err), &err)) {
        if (CHECK(l->count >= 2)) {
            CHECK(l->files[0].has_first_row_id);
            CHECK_EQ(l->files[0].first_row_id, 0);
            CHECK_EQ(l->files[0].added_rows_count, 100);
            CHECK_EQ(l->files[0].sequence_number, 1);
            CHECK(l->files[0].partitions == NULL);
            CHECK_EQ(l->files[1].content, ICE_MANIFEST_DELETES);
            CHECK_EQ(l->files[1].first_row_id, 100);
            CHECK_EQ(l->files[1].added_snapshot_id, 226306597092543916LL);
        }
        ice_manifest_list_free(l);
    }
    io_fs_free(local);
}

/* ---- facts stated in the fixtures' README / index.json ---- */

typedef struct table_fact {
    const char *fixture;
    const char *metadata;        /* under the fixture directory */
    int64_t snapshot_id;         /* 0: current */
    int64_t data_files;          /* -1: not stated */
    int64_t records;
    int64_t delete_files;        /* -1: not stated */
} table_fact;

static const table_fact facts[] = {
    {"bigquery_biglake_v1_gs_paths", "metadata/v1727125782.metadata.json", 0, 2, 6, -1},
    {"spark_v1_lineitem_gzip_metadata", "metadata/v2.gz.metadata.json", 0, 1, 111968, 0},
    {"spark_v3_deletion_vectors", "metadata/v3.metadata.json", 0, 5, -1, 2},
    {"impala_v1_trino_puffin_stats", "metadata/v3.metadata.json", 0, -1, 2, 0},
    {"hive_v2_no_deletes", "metadata/v2.metadata.json", 0, -1, 3, 0},
    {"spark_v1_unpartitioned_20files", "metadata/v2.metadata.json", 0, 20, 20, 0},
    {"spark_v1_hour_identity_part", "metadata/v2.metadata.json", 0, 20, 20, 0},
    {"trino_v3_variant", "metadata/v2.metadata.json", 0, 1, 55, 0},
    {"spark_v1_manifests_list_no_manifest_list", "metadata/v2.metadata.json", 0, 2, 3, 0},
    {"spark_v2_lineitem_2snap_decimal", "metadata/v2.metadata.json", 0, -1, 51793, -1},
    {"spark_v2_lineitem_2snap_decimal", "metadata/v2.metadata.json", 7817332053627255703LL, -1, 60175, -1},
};

TEST(manifest_fixture_table_facts)
{
    io_fs *local = io_local_new();
    for (size_t i = 0; i < FL_ARRAY_SIZE(facts); i++) {
        const table_fact *tf = &facts[i];
        remap_fs fs;
        memset(&fs, 0, sizeof(fs));
        fs.base.ops = &remap_ops;
        fs.local = local;
        char rel[512], path[2048];
        snprintf(rel, sizeof(rel), "fixtures/iceberg/%s", tf->fixture);
        snprintf(fs.root, sizeof(fs.root), "%s", ft_shared(rel));
        /* every prefix these fixtures use maps to the fixture root */
        static const char *prefixes[] = {"gs://kevinliu_blmt", "lineitem_iceberg_gz", "lineitem_iceberg",
                                         "hdfs://localhost:20500/test-warehouse/iceberg_v3_deletion_vectors",
                                         "/test-warehouse/iceberg_with_puffin_stats",
                                         "/test-warehouse/iceberg_test/hadoop_catalog/ice/iceberg_v2_no_deletes",
                                         "/test-warehouse/iceberg_test/iceberg_non_partitioned",
                                         "/test-warehouse/iceberg_test/iceberg_partitioned",
                                         "data/persistent/iceberg_v1_deprecated/default/legacy_v1",
                                         "/test-warehouse/trino_variant"};
        for (size_t p = 0; p < FL_ARRAY_SIZE(prefixes); p++) fs.prefixes[fs.prefix_count++] = prefixes[p];
        snprintf(path, sizeof(path), "%s/%s", fs.root, tf->metadata);
        fl_error err;
        ice_metadata *md = NULL;
        if (!CHECK_OK(ice_metadata_read(&md, local, path, &err), &err)) continue;
        const ice_snapshot *s = tf->snapshot_id ? ice_metadata_snapshot(md, tf->snapshot_id)
                                                : ice_metadata_current_snapshot(md);
        ice_manifest_list *list = NULL;
        if (CHECK(s != NULL) && CHECK_OK(ice_snapshot_manifests(&list, &fs.base, md, s, &err), &err)) {
            int64_t data_files = 0, records = 0, delete_files = 0;
            for (size_t m = 0; m < list->count; m++) {
                ice_manifest_reader *r = NULL;
                if (!CHECK_OK(ice_manifest_reader_open(&r, &fs.base, list->files[m].manifest_path,
                                                       &list->files[m], md, &err), &err))
                    continue;
                const ice_manifest_entry *e;
                while (ice_manifest_reader_next(r, &e, &err) == 1) {
                    if (e->status == ICE_ENTRY_DELETED) continue;
                    if (e->file.content == ICE_CONTENT_DATA) {
                        data_files++;
                        records += e->file.record_count;
                    } else {
                        delete_files++;
                        if (strcmp(tf->fixture, "spark_v3_deletion_vectors") == 0) {
                            /* deletion vectors: Puffin blobs of one data file each */
                            CHECK_STR(e->file.file_format, "PUFFIN");
                            CHECK(e->file.referenced_data_file != NULL);
                            CHECK(e->file.has_content_offset && e->file.has_content_size_in_bytes);
                            CHECK(e->file.content_size_in_bytes > 0);
                        }
                    }
                }
                ice_manifest_reader_free(r);
            }
            bool ok = true;
            if (tf->data_files >= 0) ok &= CHECK_EQ(data_files, tf->data_files);
            if (tf->records >= 0) ok &= CHECK_EQ(records, tf->records);
            if (tf->delete_files >= 0) ok &= CHECK_EQ(delete_files, tf->delete_files);
            if (!ok) fprintf(stderr, "  fixture %s\n", tf->fixture);
        }
        ice_manifest_list_free(list);
        ice_metadata_free(md);
    }
    io_fs_free(local);
}
