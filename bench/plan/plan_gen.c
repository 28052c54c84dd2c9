/*
 * plan_gen.c: writes the synthetic table of plan_gen.h: metadata JSON text
 * (parsed back by the metadata reader), manifests through the manifest
 * writer and a manifest list through the manifest-list writer.
 */
#include "plan_gen.h"

#include <stdio.h>
#include <string.h>

#include "../../src/base/buf.h"
#include "../../src/base/time.h"
#include "../../src/iceberg/ice_manifest.h"

#define SNAPSHOT_ID 4242424242LL

/* The metadata JSON; without a snapshot when manifest_list is NULL. */
static int metadata_json(fl_buf *out, const char *root, const char *manifest_list,
                         int64_t files, fl_error *err)
{
    int rc = fl_buf_appendf(out,
        "{\"format-version\":2,\"table-uuid\":\"7f1d5bb6-2c4e-4d1b-9a59-0c2f0f6c1e01\","
        "\"location\":\"%s\",\"last-sequence-number\":%d,\"last-updated-ms\":1700000000000,"
        "\"last-column-id\":3,\"current-schema-id\":0,\"schemas\":[{\"type\":\"struct\","
        "\"schema-id\":0,\"fields\":["
        "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
        "{\"id\":2,\"name\":\"day\",\"required\":true,\"type\":\"date\"},"
        "{\"id\":3,\"name\":\"note\",\"required\":false,\"type\":\"string\"}]}],"
        "\"default-spec-id\":0,\"partition-specs\":[{\"spec-id\":0,\"fields\":["
        "{\"name\":\"day\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]}],"
        "\"last-partition-id\":1000,\"default-sort-order-id\":0,"
        "\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],\"properties\":{},",
        root, manifest_list ? 1 : 0);
    if (rc == 0 && manifest_list)
        rc = fl_buf_appendf(out,
            "\"current-snapshot-id\":%lld,\"snapshots\":[{\"snapshot-id\":%lld,"
            "\"sequence-number\":1,\"timestamp-ms\":1700000000000,\"manifest-list\":\"%s\","
            "\"summary\":{\"operation\":\"append\",\"added-data-files\":\"%lld\","
            "\"total-data-files\":\"%lld\"},\"schema-id\":0}],"
            "\"snapshot-log\":[{\"timestamp-ms\":1700000000000,\"snapshot-id\":%lld}],"
            "\"refs\":{\"main\":{\"snapshot-id\":%lld,\"type\":\"branch\"}},",
            (long long)SNAPSHOT_ID, (long long)SNAPSHOT_ID, manifest_list, (long long)files,
            (long long)files, (long long)SNAPSHOT_ID, (long long)SNAPSHOT_ID);
    else if (rc == 0)
        rc = fl_buf_append_str(out, "\"current-snapshot-id\":-1,\"snapshots\":[],\"snapshot-log\":[],");
    if (rc == 0) rc = fl_buf_append_str(out, "\"metadata-log\":[]}");
    return rc < 0 ? fl_error_set(err, rc, "out of memory building table metadata") : 0;
}

static void put_le64(uint8_t *p, int64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

/* Writes manifest m of the table and fills *mf (in arena). */
static int write_manifest(ice_manifest_file *mf, io_fs *fs, const char *root,
                          const ice_metadata *md, int m, int files_per_manifest,
                          fl_arena *arena, fl_error *err)
{
    char loc[1200], path[1200];
    snprintf(loc, sizeof(loc), "%s/metadata/manifest-%05d.avro", root, m);
    ice_manifest_writer_opts wo = {2, ICE_MANIFEST_DATA, ice_metadata_current_schema(md),
                                   ice_metadata_default_spec(md), SNAPSHOT_ID,
                                   AVRO_CODEC_DEFLATE, 0};
    ice_manifest_writer *w;
    int rc = ice_manifest_writer_open(&w, fs, loc, &wo, err);
    if (rc < 0) return rc;
    char day[16];
    fl_date_format(PLAN_GEN_FIRST_DAY + m, day);
    for (int j = 0; j < files_per_manifest; j++) {
        int64_t k = (int64_t)m * files_per_manifest + j;
        snprintf(path, sizeof(path), "%s/data/day=%s/%08lld.parquet", root, day, (long long)k);
        fl_value pv;
        memset(&pv, 0, sizeof(pv));
        pv.type = fl_type_make(FL_TYPE_DATE);
        pv.v.i64 = PLAN_GEN_FIRST_DAY + m;
        uint8_t lo[8], hi[8];
        put_le64(lo, k * PLAN_GEN_ROWS_PER_FILE);
        put_le64(hi, k * PLAN_GEN_ROWS_PER_FILE + PLAN_GEN_ROWS_PER_FILE - 1);
        ice_field_bound lower[1] = {{1, fl_strv_make((const char *)lo, 8)}};
        ice_field_bound upper[1] = {{1, fl_strv_make((const char *)hi, 8)}};
        ice_field_count sizes[3] = {{1, 4000}, {2, 60}, {3, 9000}};
        ice_field_count values[3] = {{1, PLAN_GEN_ROWS_PER_FILE}, {2, PLAN_GEN_ROWS_PER_FILE},
                                     {3, PLAN_GEN_ROWS_PER_FILE}};
        ice_field_count nulls[3] = {{1, 0}, {2, 0}, {3, 17}};
        int64_t splits[1] = {4};
        ice_data_file f;
        memset(&f, 0, sizeof(f));
        f.content = ICE_CONTENT_DATA;
        f.file_path = path;
        f.file_format = "PARQUET";
        f.partition = &pv;
        f.partition_count = 1;
        f.record_count = PLAN_GEN_ROWS_PER_FILE;
        f.file_size_in_bytes = 13500 + k % 97;
        f.column_sizes = sizes;
        f.column_size_count = 3;
        f.value_counts = values;
        f.value_count_count = 3;
        f.null_value_counts = nulls;
        f.null_value_count_count = 3;
        f.lower_bounds = lower;
        f.lower_bound_count = 1;
        f.upper_bounds = upper;
        f.upper_bound_count = 1;
        f.split_offsets = splits;
        f.split_offset_count = 1;
        f.has_sort_order_id = true;
        f.sort_order_id = 0;
        if ((rc = ice_manifest_writer_add(w, &f, err)) < 0) {
            ice_manifest_writer_abort(w);
            return rc;
        }
    }
    return ice_manifest_writer_close(w, mf, arena, err);
}

int plan_gen_table(ice_metadata **out, io_fs *fs, const char *root, int manifests,
                   int files_per_manifest, fl_error *err)
{
    *out = NULL;
    if (manifests < 1 || files_per_manifest < 1 || manifests > 100000)
        return fl_error_set(err, FLOE_EINVAL, "bad table shape: %d manifests of %d files",
                            manifests, files_per_manifest);
    fl_buf json;
    fl_buf_init(&json);
    ice_metadata *md0 = NULL;
    ice_manifest_list_writer *lw = NULL;
    fl_arena *arena = fl_arena_new(0);
    char list_loc[1200], md_loc[1200];
    snprintf(list_loc, sizeof(list_loc), "%s/metadata/snap-%lld-1.avro", root, (long long)SNAPSHOT_ID);
    snprintf(md_loc, sizeof(md_loc), "%s/metadata/v1.metadata.json", root);
    int rc = arena ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) rc = metadata_json(&json, root, NULL, 0, err);
    if (rc == 0) rc = ice_metadata_parse(&md0, json.data, json.len, err);
    ice_manifest_list_writer_opts lo = {2, SNAPSHOT_ID, false, 0, 1, 0, AVRO_CODEC_DEFLATE, 0};
    if (rc == 0) rc = ice_manifest_list_writer_open(&lw, fs, list_loc, &lo, err);
    for (int m = 0; rc == 0 && m < manifests; m++) {
        ice_manifest_file mf;
        fl_arena_reset(arena);
        rc = write_manifest(&mf, fs, root, md0, m, files_per_manifest, arena, err);
        if (rc == 0) rc = ice_manifest_list_writer_add(lw, &mf, err);
    }
    if (lw) {
        if (rc == 0) rc = ice_manifest_list_writer_close(lw, NULL, err);
        else ice_manifest_list_writer_abort(lw);
    }
    fl_buf_reset(&json);
    if (rc == 0)
        rc = metadata_json(&json, root, list_loc, (int64_t)manifests * files_per_manifest, err);
    if (rc == 0) rc = io_write_file(fs, md_loc, IO_CREATE_EXCLUSIVE, json.data, json.len, err);
    if (rc == 0) rc = ice_metadata_read(out, fs, md_loc, err);
    ice_metadata_free(md0);
    fl_arena_free(arena);
    fl_buf_dispose(&json);
    return rc;
}

void plan_gen_day_filter(char *buf, size_t cap, int first, int count)
{
    char lo[16], hi[16];
    fl_date_format(PLAN_GEN_FIRST_DAY + first, lo);
    fl_date_format(PLAN_GEN_FIRST_DAY + first + count, hi);
    snprintf(buf, cap, "day >= '%s' and day < '%s'", lo, hi);
}

void plan_gen_id_filter(char *buf, size_t cap, int first, int count)
{
    snprintf(buf, cap, "id >= %lld and id < %lld", (long long)first * PLAN_GEN_ROWS_PER_FILE,
             (long long)(first + count) * PLAN_GEN_ROWS_PER_FILE);
}
