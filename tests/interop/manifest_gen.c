/*
 * manifest_gen.c: floe-manifest-gen, the helper of tests/interop/
 * manifest_check.mjs. `floe-manifest-gen write DIR` writes, with floe's
 * manifest writers, DIR/manifest-v2.avro (a v2 data manifest with three
 * entries: ADDED, EXISTING, DELETED, partitioned by bucket[8](id),
 * truncate[2](name), day(d)) and DIR/snap-v2.avro (a v2 manifest list
 * holding that manifest and a delete manifest), plus the v3 list
 * DIR/snap-v3.avro (first-row-id assignment). The values are fixed; the
 * check script knows them. `floe-manifest-gen read FILE` reads a manifest
 * list back with floe and prints one line per manifest (used to check
 * lists avsc writes).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../../src/base/arena.h"
#include "../../src/iceberg/ice_manifest.h"

static const char *SCHEMA =
    "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
    "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":3,\"name\":\"d\",\"required\":false,\"type\":\"date\"}]}";
static const char *SPEC =
    "{\"spec-id\":0,\"fields\":["
    "{\"name\":\"id_bucket\",\"transform\":\"bucket[8]\",\"source-id\":1,\"field-id\":1000},"
    "{\"name\":\"name_trunc\",\"transform\":\"truncate[2]\",\"source-id\":2,\"field-id\":1001},"
    "{\"name\":\"d_day\",\"transform\":\"day\",\"source-id\":3,\"field-id\":1002}]}";

#define SNAPSHOT_ID 9123456789012345678LL

static int fail(const fl_error *err)
{
    fprintf(stderr, "floe-manifest-gen: %s\n", err->message);
    return 1;
}

static void part(fl_value *pv, bool null_all, int32_t bucket, const char *trunc, int32_t day)
{
    memset(pv, 0, 3 * sizeof(fl_value));
    pv[0].type = fl_type_make(FL_TYPE_INT32);
    pv[1].type = fl_type_make(FL_TYPE_STRING);
    pv[2].type = fl_type_make(FL_TYPE_DATE);
    pv[0].is_null = pv[2].is_null = null_all;
    pv[0].v.i64 = bucket;
    pv[1].v.s = fl_strv_cstr(trunc);
    pv[2].v.i64 = day;
}

static int write_all(const char *dir)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(SCHEMA, 0, NULL);
    ice_schema *schema = NULL;
    ice_partition_spec *spec = NULL;
    int rc = ice_schema_from_json(&schema, j, a, &err);
    json_decref(j);
    if (rc < 0) return fail(&err);
    j = json_loads(SPEC, 0, NULL);
    rc = ice_partition_spec_from_json(&spec, j, a, &err);
    json_decref(j);
    if (rc < 0) return fail(&err);
    io_fs *fs = io_local_new();
    char path[1024];
    snprintf(path, sizeof(path), "%s/manifest-v2.avro", dir);
    ice_manifest_writer_opts wo = {2, ICE_MANIFEST_DATA, schema, spec, SNAPSHOT_ID, AVRO_CODEC_DEFLATE, 0};
    ice_manifest_writer *w = NULL;
    if ((rc = ice_manifest_writer_open(&w, fs, path, &wo, &err)) < 0) return fail(&err);

    fl_value pv[3][3];
    part(pv[0], false, 3, "ab", 19000);
    part(pv[1], true, 0, "cd", 0);
    part(pv[2], false, 7, "ef", 19001);
    ice_field_count sizes[2] = {{1, 100}, {2, 200}};
    ice_field_count nulls[1] = {{2, 0}};
    ice_field_bound lower[1] = {{1, {"\x01\x00\x00\x00\x00\x00\x00\x00", 8}}};
    ice_field_bound upper[1] = {{1, {"\x0a\x00\x00\x00\x00\x00\x00\x00", 8}}};
    int64_t splits[1] = {4};
    ice_data_file f[3];
    static const char *paths[3] = {"s3://b/t/data/a.parquet", "s3://b/t/data/b.parquet",
                                   "s3://b/t/data/c.parquet"};
    for (int i = 0; i < 3; i++) {
        memset(&f[i], 0, sizeof(f[i]));
        f[i].file_path = paths[i];
        f[i].file_format = "PARQUET";
        f[i].partition = pv[i];
        f[i].partition_count = 3;
        f[i].record_count = 10 * (i + 1);
        f[i].file_size_in_bytes = 1000 * (i + 1);
    }
    f[0].column_sizes = sizes;
    f[0].column_size_count = 2;
    f[0].value_counts = sizes;
    f[0].value_count_count = 2;
    f[0].null_value_counts = nulls;
    f[0].null_value_count_count = 1;
    f[0].lower_bounds = lower;
    f[0].lower_bound_count = 1;
    f[0].upper_bounds = upper;
    f[0].upper_bound_count = 1;
    f[0].split_offsets = splits;
    f[0].split_offset_count = 1;
    f[0].has_sort_order_id = true;
    if ((rc = ice_manifest_writer_add(w, &f[0], &err)) < 0 ||
        (rc = ice_manifest_writer_existing(w, &f[1], 111, 5, 6, &err)) < 0 ||
        (rc = ice_manifest_writer_delete(w, &f[2], 2, 2, &err)) < 0) {
        ice_manifest_writer_abort(w);
        return fail(&err);
    }
    ice_manifest_file mf[2];
    if ((rc = ice_manifest_writer_close(w, &mf[0], a, &err)) < 0) return fail(&err);
    memset(&mf[1], 0, sizeof(mf[1]));
    mf[1].manifest_path = "s3://b/t/metadata/del-m0.avro";
    mf[1].manifest_length = 4321;
    mf[1].content = ICE_MANIFEST_DELETES;
    mf[1].sequence_number = 6;
    mf[1].min_sequence_number = 6;
    mf[1].added_snapshot_id = 111;
    mf[1].added_files_count = 1;
    mf[1].added_rows_count = 2;

    for (int version = 2; version <= 3; version++) {
        snprintf(path, sizeof(path), "%s/snap-v%d.avro", dir, version);
        ice_manifest_list_writer_opts lo = {version, SNAPSHOT_ID, true, 111, 7, 500, AVRO_CODEC_NULL, 0};
        ice_manifest_list_writer *lw = NULL;
        int64_t next_row_id;
        if ((rc = ice_manifest_list_writer_open(&lw, fs, path, &lo, &err)) < 0) return fail(&err);
        if ((rc = ice_manifest_list_writer_add(lw, &mf[0], &err)) < 0 ||
            (rc = ice_manifest_list_writer_add(lw, &mf[1], &err)) < 0) {
            ice_manifest_list_writer_abort(lw);
            return fail(&err);
        }
        if ((rc = ice_manifest_list_writer_close(lw, &next_row_id, &err)) < 0) return fail(&err);
    }
    io_fs_free(fs);
    fl_arena_free(a);
    return 0;
}

static int read_list(const char *file)
{
    fl_error err;
    io_fs *fs = io_local_new();
    ice_manifest_list *l = NULL;
    if (ice_manifest_list_read(&l, fs, file, &err) < 0) return fail(&err);
    for (size_t i = 0; i < l->count; i++) {
        const ice_manifest_file *m = &l->files[i];
        printf("%s %lld %d %d %lld %lld %lld %d %d %d %lld %lld %lld %zu\n", m->manifest_path,
               (long long)m->manifest_length, (int)m->partition_spec_id, (int)m->content,
               (long long)m->sequence_number, (long long)m->min_sequence_number,
               (long long)m->added_snapshot_id, (int)m->added_files_count,
               (int)m->existing_files_count, (int)m->deleted_files_count,
               (long long)m->added_rows_count, (long long)m->existing_rows_count,
               (long long)m->deleted_rows_count, m->partition_count);
    }
    ice_manifest_list_free(l);
    io_fs_free(fs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write") == 0) return write_all(argv[2]);
    if (argc == 3 && strcmp(argv[1], "read") == 0) return read_list(argv[2]);
    fprintf(stderr, "usage: floe-manifest-gen write DIR | read MANIFEST_LIST\n");
    return 2;
}
