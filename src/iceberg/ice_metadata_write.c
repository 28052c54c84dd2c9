/*
 * ice_metadata_write.c: the table metadata JSON writer. Keys and their
 * order follow Iceberg Java's TableMetadataParser/SnapshotParser, for the
 * metadata's own format version (v1 also writes the deprecated "schema" and
 * "partition-spec"; v3 writes next-row-id and encryption keys). See
 * ice_metadata.h.
 */
#include "ice_metadata.h"

#include <stdlib.h>

#include "../base/alloc.h"

/* Builders return NULL on OOM; ice_json_put turns that into FLOE_ENOMEM. */

static json_t *snapshot_to_json(const ice_snapshot *s, int version)
{
    json_t *o = json_object();
    if (o == NULL) return NULL;
    int rc = 0;
    if (version > 1 || s->has_sequence_number) rc = ice_json_put_i64(o, "sequence-number", s->sequence_number);
    if (rc == 0) rc = ice_json_put_i64(o, "snapshot-id", s->snapshot_id);
    if (rc == 0 && s->has_parent) rc = ice_json_put_i64(o, "parent-snapshot-id", s->parent_id);
    if (rc == 0) rc = ice_json_put_i64(o, "timestamp-ms", s->timestamp_ms);
    if (rc == 0 && s->has_summary) {
        json_t *sum = json_object();
        rc = sum ? 0 : FLOE_ENOMEM;
        if (rc == 0 && s->operation) rc = ice_json_put_str(sum, "operation", s->operation);
        for (size_t i = 0; rc == 0 && i < s->summary_count; i++)
            rc = ice_json_put_str(sum, s->summary[i].key, s->summary[i].value);
        if (rc == 0) rc = ice_json_put(o, "summary", sum);
        else json_decref(sum);
    }
    if (rc == 0 && s->manifest_list) {
        rc = ice_json_put_str(o, "manifest-list", s->manifest_list);
    } else if (rc == 0) {
        json_t *m = json_array();
        rc = m ? 0 : FLOE_ENOMEM;
        for (size_t i = 0; rc == 0 && i < s->manifest_count; i++) rc = ice_json_append(m, json_string(s->manifests[i]));
        if (rc == 0) rc = ice_json_put(o, "manifests", m);
        else json_decref(m);
    }
    if (rc == 0 && s->has_schema_id) rc = ice_json_put_i64(o, "schema-id", s->schema_id);
    if (rc == 0 && s->has_first_row_id) rc = ice_json_put_i64(o, "first-row-id", s->first_row_id);
    if (rc == 0 && s->has_added_rows) rc = ice_json_put_i64(o, "added-rows", s->added_rows);
    if (rc == 0 && s->key_id) rc = ice_json_put_str(o, "key-id", s->key_id);
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *refs_to_json(const ice_metadata *md)
{
    json_t *o = json_object();
    if (o == NULL) return NULL;
    for (size_t i = 0; i < md->ref_count; i++) {
        const ice_snapshot_ref *r = &md->refs[i];
        json_t *ro = json_object();
        int rc = ro ? 0 : FLOE_ENOMEM;
        if (rc == 0) rc = ice_json_put_i64(ro, "snapshot-id", r->snapshot_id);
        if (rc == 0) rc = ice_json_put_str(ro, "type", r->is_tag ? "tag" : "branch");
        if (rc == 0 && r->has_min_snapshots_to_keep)
            rc = ice_json_put_i64(ro, "min-snapshots-to-keep", r->min_snapshots_to_keep);
        if (rc == 0 && r->has_max_snapshot_age_ms) rc = ice_json_put_i64(ro, "max-snapshot-age-ms", r->max_snapshot_age_ms);
        if (rc == 0 && r->has_max_ref_age_ms) rc = ice_json_put_i64(ro, "max-ref-age-ms", r->max_ref_age_ms);
        if (rc == 0) rc = ice_json_put(o, r->name, ro);
        else json_decref(ro);
        if (rc < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static int blob_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_blob_metadata *b = &((const ice_statistics_file *)ctx)->blobs[i];
    int rc = ice_json_put_str(o, "type", b->type);
    if (rc == 0) rc = ice_json_put_i64(o, "snapshot-id", b->snapshot_id);
    if (rc == 0) rc = ice_json_put_i64(o, "sequence-number", b->sequence_number);
    if (rc == 0) rc = ice_json_put(o, "fields", ice_json_from_i32_array(b->fields, b->field_count));
    if (rc == 0 && b->properties)
        rc = ice_json_put(o, "properties", ice_json_from_str_map(b->properties, b->property_count));
    return rc;
}

static int statistics_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_statistics_file *s = &((const ice_metadata *)ctx)->statistics[i];
    int rc = ice_json_put_i64(o, "snapshot-id", s->snapshot_id);
    if (rc == 0) rc = ice_json_put_str(o, "statistics-path", s->path);
    if (rc == 0) rc = ice_json_put_i64(o, "file-size-in-bytes", s->file_size_in_bytes);
    if (rc == 0) rc = ice_json_put_i64(o, "file-footer-size-in-bytes", s->file_footer_size_in_bytes);
    if (rc == 0 && s->key_metadata) rc = ice_json_put_str(o, "key-metadata", s->key_metadata);
    if (rc == 0) rc = ice_json_put(o, "blob-metadata", ice_json_objects(s, s->blob_count, blob_fill));
    return rc;
}

static int partition_statistics_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_partition_statistics_file *s = &((const ice_metadata *)ctx)->partition_statistics[i];
    int rc = ice_json_put_i64(o, "snapshot-id", s->snapshot_id);
    if (rc == 0) rc = ice_json_put_str(o, "statistics-path", s->path);
    if (rc == 0) rc = ice_json_put_i64(o, "file-size-in-bytes", s->file_size_in_bytes);
    return rc;
}

static int snapshot_log_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_metadata *md = ctx;
    int rc = ice_json_put_i64(o, "timestamp-ms", md->snapshot_log[i].timestamp_ms);
    if (rc == 0) rc = ice_json_put_i64(o, "snapshot-id", md->snapshot_log[i].snapshot_id);
    return rc;
}

static int metadata_log_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_metadata *md = ctx;
    int rc = ice_json_put_i64(o, "timestamp-ms", md->metadata_log[i].timestamp_ms);
    if (rc == 0) rc = ice_json_put_str(o, "metadata-file", md->metadata_log[i].metadata_file);
    return rc;
}

static int encryption_key_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_encryption_key *k = &((const ice_metadata *)ctx)->encryption_keys[i];
    int rc = ice_json_put_str(o, "key-id", k->key_id);
    if (rc == 0) rc = ice_json_put_str(o, "encrypted-key-metadata", k->encrypted_key_metadata);
    if (rc == 0 && k->encrypted_by_id) rc = ice_json_put_str(o, "encrypted-by-id", k->encrypted_by_id);
    if (rc == 0 && k->properties) rc = ice_json_put(o, "properties", ice_json_from_str_map(k->properties, k->property_count));
    return rc;
}

static json_t *list_of(void *const *items, size_t n, json_t *(*fn)(const void *))
{
    json_t *arr = json_array();
    if (arr == NULL) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (ice_json_append(arr, fn(items[i])) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *schema_fn(const void *p) { return ice_schema_to_json(p); }
static json_t *spec_fn(const void *p) { return ice_partition_spec_to_json(p); }
static json_t *sort_fn(const void *p) { return ice_sort_order_to_json(p); }

static int build(json_t *o, const ice_metadata *md)
{
    int v = md->format_version;
    int rc = ice_json_put_i64(o, "format-version", v);
    if (rc == 0 && md->table_uuid) rc = ice_json_put_str(o, "table-uuid", md->table_uuid);
    if (rc == 0) rc = ice_json_put_str(o, "location", md->location);
    if (rc == 0 && v > 1) rc = ice_json_put_i64(o, "last-sequence-number", md->last_sequence_number);
    if (rc == 0) rc = ice_json_put_i64(o, "last-updated-ms", md->last_updated_ms);
    if (rc == 0) rc = ice_json_put_i64(o, "last-column-id", md->last_column_id);
    const ice_schema *current = ice_metadata_current_schema(md);
    if (rc == 0 && v == 1 && current) rc = ice_json_put(o, "schema", ice_schema_to_json(current));
    if (rc == 0) rc = ice_json_put_i64(o, "current-schema-id", md->current_schema_id);
    if (rc == 0) rc = ice_json_put(o, "schemas", list_of((void *const *)md->schemas, md->schema_count, schema_fn));
    const ice_partition_spec *spec = ice_metadata_default_spec(md);
    if (rc == 0 && v == 1 && spec) rc = ice_json_put(o, "partition-spec", ice_partition_fields_to_json(spec));
    if (rc == 0) rc = ice_json_put_i64(o, "default-spec-id", md->default_spec_id);
    if (rc == 0) rc = ice_json_put(o, "partition-specs", list_of((void *const *)md->specs, md->spec_count, spec_fn));
    if (rc == 0) rc = ice_json_put_i64(o, "last-partition-id", md->last_partition_id);
    if (rc == 0) rc = ice_json_put_i64(o, "default-sort-order-id", md->default_sort_order_id);
    if (rc == 0)
        rc = ice_json_put(o, "sort-orders", list_of((void *const *)md->sort_orders, md->sort_order_count, sort_fn));
    if (rc == 0) rc = ice_json_put(o, "properties", ice_json_from_str_map(md->properties, md->property_count));
    if (rc == 0 && md->has_current_snapshot) rc = ice_json_put_i64(o, "current-snapshot-id", md->current_snapshot_id);
    else if (rc == 0 && v < 3) rc = ice_json_put_i64(o, "current-snapshot-id", -1);
    if (rc == 0 && v >= 3) rc = ice_json_put_i64(o, "next-row-id", md->next_row_id);
    if (rc == 0) rc = ice_json_put(o, "refs", refs_to_json(md));
    if (rc == 0) {
        json_t *snaps = json_array();
        rc = snaps ? 0 : FLOE_ENOMEM;
        for (size_t i = 0; rc == 0 && i < md->snapshot_count; i++)
            rc = ice_json_append(snaps, snapshot_to_json(&md->snapshots[i], v));
        if (rc == 0) rc = ice_json_put(o, "snapshots", snaps);
        else json_decref(snaps);
    }
    if (rc == 0 && md->encryption_key_count) rc = ice_json_put(o, "encryption-keys", ice_json_objects(md, md->encryption_key_count, encryption_key_fill));
    if (rc == 0) rc = ice_json_put(o, "statistics", ice_json_objects(md, md->statistics_count, statistics_fill));
    if (rc == 0) rc = ice_json_put(o, "partition-statistics", ice_json_objects(md, md->partition_statistics_count, partition_statistics_fill));
    if (rc == 0) rc = ice_json_put(o, "snapshot-log", ice_json_objects(md, md->snapshot_log_count, snapshot_log_fill));
    if (rc == 0) rc = ice_json_put(o, "metadata-log", ice_json_objects(md, md->metadata_log_count, metadata_log_fill));
    for (size_t i = 0; rc == 0 && i < md->extra_count; i++)
        rc = ice_json_put(o, md->extra[i].key, json_loads(md->extra[i].value, JSON_DECODE_ANY, NULL));
    return rc;
}

int ice_metadata_to_json(json_t **out, const ice_metadata *md, fl_error *err)
{
    json_t *o = json_object();
    if (o == NULL || build(o, md) < 0) {
        json_decref(o);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    *out = o;
    return 0;
}

int ice_metadata_write(fl_buf *out, const ice_metadata *md, fl_error *err)
{
    json_t *o;
    FL_TRY(ice_metadata_to_json(&o, md, err));
    char *text = json_dumps(o, JSON_INDENT(2));
    json_decref(o);
    if (text == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = fl_buf_append_str(out, text);
    free(text);
    return rc < 0 ? fl_error_set(err, FLOE_ENOMEM, "out of memory") : 0;
}
