/*
 * ice_metadata_parse.c: the table metadata JSON reader (rules in
 * ice_metadata.h).
 */
#include "ice_metadata.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"

#define MD "table metadata"

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

static void *alloc_array(fl_arena *a, size_t n, size_t size)
{
    return fl_arena_calloc(a, (n ? n : 1) * size);
}

/* ---- snapshots ---- */

static int snapshot_from_json(ice_snapshot *s, const json_t *j, fl_arena *a, fl_error *err)
{
    const char *what = "snapshot";
    if (!json_is_object(j)) return fl_error_set(err, FLOE_ECORRUPT, "snapshot must be an object");
    FL_TRY(ice_json_req_i64(j, "snapshot-id", &s->snapshot_id, what, err));
    FL_TRY(ice_json_opt_i64(j, "parent-snapshot-id", &s->parent_id, &s->has_parent, what, err));
    FL_TRY(ice_json_opt_i64(j, "sequence-number", &s->sequence_number, &s->has_sequence_number, what, err));
    FL_TRY(ice_json_req_i64(j, "timestamp-ms", &s->timestamp_ms, what, err));
    FL_TRY(ice_json_opt_str(j, "manifest-list", a, &s->manifest_list, what, err));
    if (s->manifest_list == NULL) {
        const json_t *m;
        FL_TRY(ice_json_opt_array(j, "manifests", &m, what, err));
        if (m == NULL)
            return fl_error_set(err, FLOE_ECORRUPT, "snapshot %lld has neither manifest-list nor manifests",
                                (long long)s->snapshot_id);
        s->manifest_count = json_array_size(m);
        s->manifests = alloc_array(a, s->manifest_count, sizeof(char *));
        if (s->manifests == NULL) return oom(err);
        for (size_t i = 0; i < s->manifest_count; i++) {
            const json_t *e = json_array_get(m, i);
            if (!json_is_string(e)) return fl_error_set(err, FLOE_ECORRUPT, "snapshot manifests must be strings");
            if ((s->manifests[i] = fl_arena_strdup(a, json_string_value(e))) == NULL) return oom(err);
        }
    }
    const json_t *summary;
    FL_TRY(ice_json_opt_object(j, "summary", &summary, what, err));
    if (summary) {
        ice_kv *kv;
        size_t n;
        FL_TRY(ice_json_str_map(summary, a, &kv, &n, "snapshot summary", err));
        s->has_summary = true;
        s->summary = kv;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(kv[i].key, "operation") == 0) {
                s->operation = kv[i].value;
                memmove(&kv[i], &kv[i + 1], (n - i - 1) * sizeof(ice_kv));
                n--;
                break;
            }
        }
        s->summary_count = n;
    }
    FL_TRY(ice_json_opt_i32(j, "schema-id", &s->schema_id, &s->has_schema_id, what, err));
    FL_TRY(ice_json_opt_i64(j, "first-row-id", &s->first_row_id, &s->has_first_row_id, what, err));
    FL_TRY(ice_json_opt_i64(j, "added-rows", &s->added_rows, &s->has_added_rows, what, err));
    FL_TRY(ice_json_opt_str(j, "key-id", a, &s->key_id, what, err));
    return 0;
}

static int refs_from_json(ice_metadata *md, const json_t *refs, fl_error *err)
{
    size_t n = json_object_size(refs);
    md->refs = alloc_array(md->arena, n + 1, sizeof(ice_snapshot_ref));  /* +1: a synthesized main */
    if (md->refs == NULL) return oom(err);
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)refs, key, val) {
        ice_snapshot_ref *r = &md->refs[md->ref_count];
        const char *what = "snapshot reference", *type;
        if (!json_is_object(val)) return fl_error_set(err, FLOE_ECORRUPT, "snapshot reference \"%s\" must be an object", key);
        if ((r->name = fl_arena_strdup(md->arena, key)) == NULL) return oom(err);
        FL_TRY(ice_json_req_i64(val, "snapshot-id", &r->snapshot_id, what, err));
        FL_TRY(ice_json_req_str(val, "type", md->arena, &type, what, err));
        if (strcasecmp(type, "tag") == 0) r->is_tag = true;
        else if (strcasecmp(type, "branch") != 0)
            return fl_error_set(err, FLOE_ECORRUPT, "snapshot reference \"%s\" has invalid type \"%s\"", key, type);
        FL_TRY(ice_json_opt_i32(val, "min-snapshots-to-keep", &r->min_snapshots_to_keep,
                                &r->has_min_snapshots_to_keep, what, err));
        FL_TRY(ice_json_opt_i64(val, "max-snapshot-age-ms", &r->max_snapshot_age_ms,
                                &r->has_max_snapshot_age_ms, what, err));
        FL_TRY(ice_json_opt_i64(val, "max-ref-age-ms", &r->max_ref_age_ms, &r->has_max_ref_age_ms, what, err));
        md->ref_count++;
    }
    return 0;
}

static int logs_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    const json_t *arr;
    FL_TRY(ice_json_opt_array(j, "snapshot-log", &arr, MD, err));
    if (arr) {
        md->snapshot_log_count = json_array_size(arr);
        md->snapshot_log = alloc_array(md->arena, md->snapshot_log_count, sizeof(ice_snapshot_log_entry));
        if (md->snapshot_log == NULL) return oom(err);
        for (size_t i = 0; i < md->snapshot_log_count; i++) {
            const json_t *e = json_array_get(arr, i);
            FL_TRY(ice_json_req_i64(e, "timestamp-ms", &md->snapshot_log[i].timestamp_ms, "snapshot-log entry", err));
            FL_TRY(ice_json_req_i64(e, "snapshot-id", &md->snapshot_log[i].snapshot_id, "snapshot-log entry", err));
        }
    }
    FL_TRY(ice_json_opt_array(j, "metadata-log", &arr, MD, err));
    if (arr) {
        md->metadata_log_count = json_array_size(arr);
        md->metadata_log = alloc_array(md->arena, md->metadata_log_count, sizeof(ice_metadata_log_entry));
        if (md->metadata_log == NULL) return oom(err);
        for (size_t i = 0; i < md->metadata_log_count; i++) {
            const json_t *e = json_array_get(arr, i);
            FL_TRY(ice_json_req_i64(e, "timestamp-ms", &md->metadata_log[i].timestamp_ms, "metadata-log entry", err));
            FL_TRY(ice_json_req_str(e, "metadata-file", md->arena, &md->metadata_log[i].metadata_file,
                                    "metadata-log entry", err));
        }
    }
    return 0;
}

static int opt_props(const json_t *j, const char *key, fl_arena *a, ice_kv **out, size_t *n,
                     const char *what, fl_error *err)
{
    const json_t *o;
    *out = NULL;
    *n = 0;
    FL_TRY(ice_json_opt_object(j, key, &o, what, err));
    if (o) FL_TRY(ice_json_str_map(o, a, out, n, what, err));
    return 0;
}

static int statistics_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    fl_arena *a = md->arena;
    const json_t *arr;
    FL_TRY(ice_json_opt_array(j, "statistics", &arr, MD, err));
    if (arr) {
        md->statistics_count = json_array_size(arr);
        md->statistics = alloc_array(a, md->statistics_count, sizeof(ice_statistics_file));
        if (md->statistics == NULL) return oom(err);
        for (size_t i = 0; i < md->statistics_count; i++) {
            const json_t *e = json_array_get(arr, i), *blobs;
            ice_statistics_file *s = &md->statistics[i];
            const char *what = "statistics file";
            FL_TRY(ice_json_req_i64(e, "snapshot-id", &s->snapshot_id, what, err));
            FL_TRY(ice_json_req_str(e, "statistics-path", a, &s->path, what, err));
            FL_TRY(ice_json_req_i64(e, "file-size-in-bytes", &s->file_size_in_bytes, what, err));
            FL_TRY(ice_json_req_i64(e, "file-footer-size-in-bytes", &s->file_footer_size_in_bytes, what, err));
            FL_TRY(ice_json_opt_str(e, "key-metadata", a, &s->key_metadata, what, err));
            FL_TRY(ice_json_req_array(e, "blob-metadata", &blobs, what, err));
            s->blob_count = json_array_size(blobs);
            s->blobs = alloc_array(a, s->blob_count, sizeof(ice_blob_metadata));
            if (s->blobs == NULL) return oom(err);
            for (size_t k = 0; k < s->blob_count; k++) {
                const json_t *b = json_array_get(blobs, k), *fields;
                ice_blob_metadata *bm = &s->blobs[k];
                what = "blob metadata";
                FL_TRY(ice_json_req_str(b, "type", a, &bm->type, what, err));
                FL_TRY(ice_json_req_i64(b, "snapshot-id", &bm->snapshot_id, what, err));
                FL_TRY(ice_json_req_i64(b, "sequence-number", &bm->sequence_number, what, err));
                FL_TRY(ice_json_req_array(b, "fields", &fields, what, err));
                FL_TRY(ice_json_i32_array(fields, a, &bm->fields, &bm->field_count, "blob metadata fields", err));
                FL_TRY(opt_props(b, "properties", a, &bm->properties, &bm->property_count, what, err));
            }
        }
    }
    FL_TRY(ice_json_opt_array(j, "partition-statistics", &arr, MD, err));
    if (arr) {
        md->partition_statistics_count = json_array_size(arr);
        md->partition_statistics = alloc_array(a, md->partition_statistics_count, sizeof(ice_partition_statistics_file));
        if (md->partition_statistics == NULL) return oom(err);
        for (size_t i = 0; i < md->partition_statistics_count; i++) {
            const json_t *e = json_array_get(arr, i);
            ice_partition_statistics_file *s = &md->partition_statistics[i];
            const char *what = "partition statistics file";
            FL_TRY(ice_json_req_i64(e, "snapshot-id", &s->snapshot_id, what, err));
            FL_TRY(ice_json_req_str(e, "statistics-path", a, &s->path, what, err));
            FL_TRY(ice_json_req_i64(e, "file-size-in-bytes", &s->file_size_in_bytes, what, err));
        }
    }
    return 0;
}

static int encryption_keys_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    const json_t *arr;
    FL_TRY(ice_json_opt_array(j, "encryption-keys", &arr, MD, err));
    if (arr == NULL) return 0;
    md->encryption_key_count = json_array_size(arr);
    md->encryption_keys = alloc_array(md->arena, md->encryption_key_count, sizeof(ice_encryption_key));
    if (md->encryption_keys == NULL) return oom(err);
    for (size_t i = 0; i < md->encryption_key_count; i++) {
        const json_t *e = json_array_get(arr, i);
        ice_encryption_key *k = &md->encryption_keys[i];
        const char *what = "encryption key";
        FL_TRY(ice_json_req_str(e, "key-id", md->arena, &k->key_id, what, err));
        FL_TRY(ice_json_opt_str(e, "encrypted-key-metadata", md->arena, &k->encrypted_key_metadata, what, err));
        if (k->encrypted_key_metadata == NULL)  /* the spec's example spells it key-metadata */
            FL_TRY(ice_json_req_str(e, "key-metadata", md->arena, &k->encrypted_key_metadata, what, err));
        FL_TRY(ice_json_opt_str(e, "encrypted-by-id", md->arena, &k->encrypted_by_id, what, err));
        FL_TRY(opt_props(e, "properties", md->arena, &k->properties, &k->property_count, what, err));
    }
    return 0;
}

/* ---- schemas, specs, sort orders ---- */

static int schemas_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    const json_t *arr, *single = ice_json_member(j, "schema");
    bool has_current;
    FL_TRY(ice_json_opt_array(j, "schemas", &arr, MD, err));
    FL_TRY(ice_json_opt_i32(j, "current-schema-id", &md->current_schema_id, &has_current, MD, err));
    ice_schema *from_single = NULL;
    if (arr == NULL || !has_current) {
        if (md->format_version > 1) {
            if (arr == NULL) return fl_error_set(err, FLOE_ECORRUPT, "schemas must exist in format v%d", md->format_version);
            return fl_error_set(err, FLOE_ECORRUPT, "%s is missing required field \"current-schema-id\"", MD);
        }
        if (single == NULL)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "table metadata has neither \"schema\" nor \"schemas\" with \"current-schema-id\"");
        FL_TRY(ice_schema_from_json(&from_single, single, md->arena, err));
    }
    size_t n = arr ? json_array_size(arr) : 0;
    md->schemas = alloc_array(md->arena, n + 1, sizeof(ice_schema *));
    if (md->schemas == NULL) return oom(err);
    for (size_t i = 0; i < n; i++) {
        int rc = ice_schema_from_json(&md->schemas[i], json_array_get(arr, i), md->arena, err);
        if (rc < 0) return rc;
        for (size_t k = 0; k < i; k++)
            if (md->schemas[k]->schema_id == md->schemas[i]->schema_id)
                return fl_error_set(err, FLOE_ECORRUPT, "schema id %d is used twice", (int)md->schemas[i]->schema_id);
    }
    md->schema_count = n;
    if (from_single) {
        /* v1: the current schema is "schema"; find it in "schemas" when both exist */
        for (size_t i = 0; i < n; i++) {
            if (ice_schema_same_structure(md->schemas[i], from_single)) {
                md->current_schema_id = md->schemas[i]->schema_id;
                return 0;
            }
        }
        int32_t max_id = -1;
        for (size_t i = 0; i < n; i++)
            if (md->schemas[i]->schema_id > max_id) max_id = md->schemas[i]->schema_id;
        if (n > 0 && from_single->schema_id <= max_id) from_single->schema_id = max_id + 1;
        md->schemas[md->schema_count++] = from_single;
        md->current_schema_id = from_single->schema_id;
        return 0;
    }
    if (ice_metadata_current_schema(md) == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "cannot find schema with current-schema-id=%d from schemas",
                            (int)md->current_schema_id);
    return 0;
}

static int specs_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    const json_t *arr;
    bool has_default, has_last;
    FL_TRY(ice_json_opt_array(j, "partition-specs", &arr, MD, err));
    FL_TRY(ice_json_opt_i32(j, "default-spec-id", &md->default_spec_id, &has_default, MD, err));
    if (arr == NULL) {
        const json_t *fields;
        if (md->format_version > 1)
            return fl_error_set(err, FLOE_ECORRUPT, "partition-specs must exist in format v%d", md->format_version);
        FL_TRY(ice_json_req_array(j, "partition-spec", &fields, MD, err));
        md->specs = alloc_array(md->arena, 1, sizeof(ice_partition_spec *));
        if (md->specs == NULL) return oom(err);
        FL_TRY(ice_partition_fields_from_json(&md->specs[0], 0, fields, md->arena, err));
        md->spec_count = 1;
        md->default_spec_id = 0;
    } else {
        size_t n = json_array_size(arr);
        md->specs = alloc_array(md->arena, n, sizeof(ice_partition_spec *));
        if (md->specs == NULL) return oom(err);
        for (size_t i = 0; i < n; i++) {
            FL_TRY(ice_partition_spec_from_json(&md->specs[i], json_array_get(arr, i), md->arena, err));
            for (size_t k = 0; k < i; k++)
                if (md->specs[k]->spec_id == md->specs[i]->spec_id)
                    return fl_error_set(err, FLOE_ECORRUPT, "partition spec id %d is used twice",
                                        (int)md->specs[i]->spec_id);
        }
        md->spec_count = n;
        if (!has_default) {
            if (md->format_version > 1)
                return fl_error_set(err, FLOE_ECORRUPT, "%s is missing required field \"default-spec-id\"", MD);
            md->default_spec_id = 0;
            for (size_t i = 0; i < n; i++)
                if (i == 0 || md->specs[i]->spec_id > md->default_spec_id) md->default_spec_id = md->specs[i]->spec_id;
        }
        if (ice_metadata_default_spec(md) == NULL)
            return fl_error_set(err, FLOE_ECORRUPT, "cannot find partition spec with default-spec-id=%d",
                                (int)md->default_spec_id);
    }
    FL_TRY(ice_json_opt_i32(j, "last-partition-id", &md->last_partition_id, &has_last, MD, err));
    if (!has_last) {
        if (md->format_version > 1)
            return fl_error_set(err, FLOE_ECORRUPT, "last-partition-id must exist in format v%d", md->format_version);
        md->last_partition_id = ICE_PARTITION_DATA_ID_START - 1;
        for (size_t i = 0; i < md->spec_count; i++) {
            int32_t last = ice_partition_spec_last_field_id(md->specs[i]);
            if (last > md->last_partition_id) md->last_partition_id = last;
        }
    }
    return 0;
}

static int sort_orders_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    const json_t *arr;
    FL_TRY(ice_json_opt_array(j, "sort-orders", &arr, MD, err));
    if (arr == NULL) {
        if (md->format_version > 1)
            return fl_error_set(err, FLOE_ECORRUPT, "sort-orders must exist in format v%d", md->format_version);
        md->sort_orders = alloc_array(md->arena, 1, sizeof(ice_sort_order *));
        ice_sort_order *unsorted = fl_arena_calloc(md->arena, sizeof(ice_sort_order));
        if (md->sort_orders == NULL || unsorted == NULL) return oom(err);
        md->sort_orders[0] = unsorted;
        md->sort_order_count = 1;
        md->default_sort_order_id = 0;
        return 0;
    }
    size_t n = json_array_size(arr);
    md->sort_orders = alloc_array(md->arena, n, sizeof(ice_sort_order *));
    if (md->sort_orders == NULL) return oom(err);
    for (size_t i = 0; i < n; i++)
        FL_TRY(ice_sort_order_from_json(&md->sort_orders[i], json_array_get(arr, i), md->arena, err));
    md->sort_order_count = n;
    FL_TRY(ice_json_req_i32(j, "default-sort-order-id", &md->default_sort_order_id, MD, err));
    if (ice_metadata_sort_order(md, md->default_sort_order_id) == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "cannot find sort order with default-sort-order-id=%d",
                            (int)md->default_sort_order_id);
    return 0;
}

/* ---- top level ---- */

static const char *const known_keys[] = {
    "format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms",
    "last-column-id", "schema", "schemas", "current-schema-id", "partition-spec",
    "partition-specs", "default-spec-id", "last-partition-id", "properties",
    "current-snapshot-id", "snapshots", "snapshot-log", "metadata-log", "sort-orders",
    "default-sort-order-id", "refs", "statistics", "partition-statistics", "next-row-id",
    "encryption-keys",
};

/* Members this reader does not know are kept as JSON text and written back. */
static int extra_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    md->extra = alloc_array(md->arena, json_object_size(j), sizeof(ice_kv));
    if (md->extra == NULL) return oom(err);
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)j, key, val) {
        bool known = false;
        for (size_t i = 0; i < FL_ARRAY_SIZE(known_keys) && !known; i++) known = strcmp(key, known_keys[i]) == 0;
        if (known) continue;
        char *text = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
        if (text == NULL) return oom(err);
        ice_kv *kv = &md->extra[md->extra_count++];
        kv->key = fl_arena_strdup(md->arena, key);
        kv->value = fl_arena_strdup(md->arena, text);
        free(text);
        if (kv->key == NULL || kv->value == NULL) return oom(err);
    }
    return 0;
}

static int snapshots_and_refs(ice_metadata *md, const json_t *j, fl_error *err)
{
    const json_t *arr, *refs;
    int64_t current = -1;
    bool has_current;
    FL_TRY(ice_json_opt_i64(j, "current-snapshot-id", &current, &has_current, MD, err));
    md->has_current_snapshot = has_current && current != -1;
    md->current_snapshot_id = md->has_current_snapshot ? current : -1;
    FL_TRY(ice_json_opt_array(j, "snapshots", &arr, MD, err));
    if (arr) {
        md->snapshot_count = json_array_size(arr);
        md->snapshots = alloc_array(md->arena, md->snapshot_count, sizeof(ice_snapshot));
        if (md->snapshots == NULL) return oom(err);
        for (size_t i = 0; i < md->snapshot_count; i++)
            FL_TRY(snapshot_from_json(&md->snapshots[i], json_array_get(arr, i), md->arena, err));
    }
    if (md->has_current_snapshot && ice_metadata_current_snapshot(md) == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "current snapshot %lld is not among the table's snapshots",
                            (long long)md->current_snapshot_id);
    FL_TRY(ice_json_opt_object(j, "refs", &refs, MD, err));
    if (refs) FL_TRY(refs_from_json(md, refs, err));
    else if ((md->refs = alloc_array(md->arena, 1, sizeof(ice_snapshot_ref))) == NULL) return oom(err);
    if (md->has_current_snapshot && ice_metadata_ref(md, "main") == NULL) {
        ice_snapshot_ref *main = &md->refs[md->ref_count++];
        main->name = "main";
        main->snapshot_id = md->current_snapshot_id;
    }
    return 0;
}

static int metadata_from_json(ice_metadata *md, const json_t *j, fl_error *err)
{
    int32_t version;
    if (!json_is_object(j)) return fl_error_set(err, FLOE_ECORRUPT, "table metadata must be a JSON object");
    FL_TRY(ice_json_req_i32(j, "format-version", &version, MD, err));
    if (version > ICE_MAX_FORMAT_VERSION)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot read unsupported version %d", (int)version);
    if (version < 1) return fl_error_set(err, FLOE_ECORRUPT, "invalid format version %d", (int)version);
    md->format_version = version;
    FL_TRY(ice_json_opt_str(j, "table-uuid", md->arena, &md->table_uuid, MD, err));
    if (md->table_uuid == NULL && version > 1)
        return fl_error_set(err, FLOE_ECORRUPT, "table-uuid is required in format v%d", (int)version);
    FL_TRY(ice_json_req_str(j, "location", md->arena, &md->location, MD, err));
    if (version > 1) FL_TRY(ice_json_req_i64(j, "last-sequence-number", &md->last_sequence_number, MD, err));
    FL_TRY(ice_json_req_i64(j, "last-updated-ms", &md->last_updated_ms, MD, err));
    FL_TRY(ice_json_req_i32(j, "last-column-id", &md->last_column_id, MD, err));
    FL_TRY(schemas_from_json(md, j, err));
    FL_TRY(specs_from_json(md, j, err));
    FL_TRY(sort_orders_from_json(md, j, err));
    FL_TRY(opt_props(j, "properties", md->arena, &md->properties, &md->property_count, MD, err));
    FL_TRY(snapshots_and_refs(md, j, err));
    FL_TRY(logs_from_json(md, j, err));
    FL_TRY(statistics_from_json(md, j, err));
    FL_TRY(ice_json_opt_i64(j, "next-row-id", &md->next_row_id, &md->has_next_row_id, MD, err));
    if (version >= 3 && !md->has_next_row_id) {
        /* hand-written v3 metadata without row lineage: start at 0 */
        md->has_next_row_id = true;
        md->next_row_id = 0;
    }
    FL_TRY(encryption_keys_from_json(md, j, err));
    return extra_from_json(md, j, err);
}

int ice_metadata_from_json(ice_metadata **out, const json_t *json, fl_error *err)
{
    ice_metadata *md = fl_calloc(1, sizeof(*md));
    if (md == NULL || (md->arena = fl_arena_new(0)) == NULL) {
        fl_free(md);
        return oom(err);
    }
    int rc = metadata_from_json(md, json, err);
    if (rc < 0) {
        ice_metadata_free(md);
        return rc;
    }
    *out = md;
    return 0;
}

int ice_metadata_parse(ice_metadata **out, const void *data, size_t len, fl_error *err)
{
    fl_buf text;
    fl_buf_init(&text);
    int rc = ice_metadata_decompress(&text, data, len, err);
    if (rc < 0) {
        fl_buf_dispose(&text);
        return rc;
    }
    json_t *j;
    rc = ice_json_loadb(&j, text.data ? text.data : "", text.len, 0, "table metadata", err);
    fl_buf_dispose(&text);
    if (rc < 0) return rc;
    rc = ice_metadata_from_json(out, j, err);
    json_decref(j);
    return rc;
}

/* ice_metadata_free is in ice_metadata_io.c, beside the cache it releases. */
