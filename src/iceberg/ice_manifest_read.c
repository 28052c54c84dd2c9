/*
 * ice_manifest_read.c: the streaming manifest reader (spec "Manifests"):
 * opens a manifest's Avro container, resolves every manifest_entry and
 * data_file field once by Iceberg field id (then name), builds the partition
 * tuple type from the manifest's partition spec, and decodes one entry per
 * call into a per-entry arena, applying snapshot-id, sequence-number and
 * first-row-id inheritance from the manifest-list entry. Also the data-file
 * helpers of ice_manifest.h (count/bound lookups, deep copies).
 *
 * Where the spec comes from: table metadata by "partition-spec-id" (header,
 * else the manifest-list entry) when metadata is given, since re-serialised
 * manifests (Impala's path rewriting) lose the header keys; otherwise the
 * header's "partition-spec" and "schema".
 */
#include "ice_manifest_int.h"

#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "../base/alloc.h"
#include "../base/strutil.h"
#include "ice_value.h"

/* data_file fields by id (then name); the index into data_file's record */
enum {
    DF_CONTENT, DF_FILE_PATH, DF_FILE_FORMAT, DF_PARTITION, DF_RECORD_COUNT, DF_FILE_SIZE,
    DF_COLUMN_SIZES, DF_VALUE_COUNTS, DF_NULL_COUNTS, DF_NAN_COUNTS, DF_LOWER, DF_UPPER,
    DF_KEY_METADATA, DF_SPLIT_OFFSETS, DF_EQUALITY_IDS, DF_SORT_ORDER_ID, DF_FIRST_ROW_ID,
    DF_REFERENCED, DF_CONTENT_OFFSET, DF_CONTENT_SIZE, DF__COUNT
};

static const avro_field_ref df_refs[DF__COUNT] = {
    {134, "content"}, {100, "file_path"}, {101, "file_format"}, {102, "partition"},
    {103, "record_count"}, {104, "file_size_in_bytes"}, {108, "column_sizes"},
    {109, "value_counts"}, {110, "null_value_counts"}, {137, "nan_value_counts"},
    {125, "lower_bounds"}, {128, "upper_bounds"}, {131, "key_metadata"}, {132, "split_offsets"},
    {135, "equality_ids"}, {140, "sort_order_id"}, {142, "first_row_id"},
    {143, "referenced_data_file"}, {144, "content_offset"}, {145, "content_size_in_bytes"},
};

struct ice_manifest_reader {
    avro_reader *avro;
    io_reader *owned_file;          /* opened by ice_manifest_reader_open */
    fl_arena *arena;                /* spec, schema, types */
    fl_arena *entry_arena;          /* reset per entry */
    const char *location;
    int format_version;
    ice_manifest_content content;
    int32_t spec_id;
    const ice_partition_spec *spec;
    const ice_schema *schema;
    const ice_type *partition_type;
    const ice_manifest_file *manifest;  /* borrowed, may be NULL */
    int idx_status, idx_snapshot, idx_seq, idx_file_seq, idx_data_file;
    int df_idx[DF__COUNT];
    int *part_idx;                  /* per partition field: index in the partition record */
    int64_t next_row_id;            /* first-row-id inheritance */
    bool has_next_row_id;
    ice_manifest_entry entry;
};

/* ---- data file helpers ---- */

bool ice_field_count_get(const ice_field_count *counts, size_t count, int32_t field_id,
                         int64_t *out)
{
    for (size_t i = 0; i < count; i++) {
        if (counts[i].field_id == field_id) {
            *out = counts[i].value;
            return true;
        }
    }
    return false;
}

const fl_strv *ice_field_bound_get(const ice_field_bound *bounds, size_t count, int32_t field_id)
{
    for (size_t i = 0; i < count; i++)
        if (bounds[i].field_id == field_id) return &bounds[i].bytes;
    return NULL;
}

int ice_data_file_bound(fl_value *out, bool *found, const ice_data_file *file,
                        const ice_schema *schema, int32_t field_id, bool upper, fl_error *err)
{
    *found = false;
    const fl_strv *b = upper ? ice_field_bound_get(file->upper_bounds, file->upper_bound_count, field_id)
                             : ice_field_bound_get(file->lower_bounds, file->lower_bound_count, field_id);
    if (!b) return 0;
    const ice_schema_entry *e = ice_schema_find_id(schema, field_id);
    if (!e || !ice_type_is_primitive(e->field->type)) return 0;
    int rc = ice_value_from_bytes(out, e->field->type, (const uint8_t *)b->ptr, b->len, err);
    if (rc < 0) {
        fl_error_prefix(err, "bound of field %d of \"%s\": ", (int)field_id,
                        file->file_path ? file->file_path : "?");
        return rc;
    }
    *found = true;
    return 0;
}

static void *dup_mem(fl_arena *arena, const void *p, size_t len, bool *oom)
{
    if (!p) return NULL;
    void *d = len ? fl_arena_memdup(arena, p, len) : fl_arena_alloc(arena, 1);
    if (!d) *oom = true;
    return d;
}

static fl_strv dup_strv(fl_arena *arena, fl_strv s, bool *oom)
{
    fl_strv r = {NULL, 0};
    if (!s.ptr) return r;
    char *d = fl_arena_alloc(arena, (size_t)s.len + 1);
    if (!d) {
        *oom = true;
        return r;
    }
    memcpy(d, s.ptr, s.len);
    d[s.len] = '\0';
    r.ptr = d;
    r.len = s.len;
    return r;
}

static const char *dup_str(fl_arena *arena, const char *s, bool *oom)
{
    if (!s) return NULL;
    char *d = fl_arena_strdup(arena, s);
    if (!d) *oom = true;
    return d;
}

static ice_field_bound *dup_bounds(fl_arena *arena, const ice_field_bound *b, size_t n, bool *oom)
{
    ice_field_bound *d = dup_mem(arena, b, n * sizeof(*b), oom);
    for (size_t i = 0; d && i < n; i++) d[i].bytes = dup_strv(arena, b[i].bytes, oom);
    return d;
}

static bool holds_bytes(uint8_t id)
{
    return id == FL_TYPE_STRING || id == FL_TYPE_BINARY || id == FL_TYPE_FIXED ||
           id == FL_TYPE_UUID;
}

int ice_data_file_copy(ice_data_file *dst, const ice_data_file *src, fl_arena *arena,
                       fl_error *err)
{
    bool oom = false;
    *dst = *src;
    dst->file_path = dup_str(arena, src->file_path, &oom);
    dst->file_format = dup_str(arena, src->file_format, &oom);
    dst->referenced_data_file = dup_str(arena, src->referenced_data_file, &oom);
    dst->partition = dup_mem(arena, src->partition, src->partition_count * sizeof(fl_value), &oom);
    for (size_t i = 0; dst->partition && i < src->partition_count; i++) {
        fl_value *v = &dst->partition[i];
        if (!v->is_null && holds_bytes(v->type.id)) v->v.s = dup_strv(arena, v->v.s, &oom);
    }
    dst->column_sizes = dup_mem(arena, src->column_sizes,
                                src->column_size_count * sizeof(ice_field_count), &oom);
    dst->value_counts = dup_mem(arena, src->value_counts,
                                src->value_count_count * sizeof(ice_field_count), &oom);
    dst->null_value_counts = dup_mem(arena, src->null_value_counts,
                                     src->null_value_count_count * sizeof(ice_field_count), &oom);
    dst->nan_value_counts = dup_mem(arena, src->nan_value_counts,
                                    src->nan_value_count_count * sizeof(ice_field_count), &oom);
    dst->lower_bounds = dup_bounds(arena, src->lower_bounds, src->lower_bound_count, &oom);
    dst->upper_bounds = dup_bounds(arena, src->upper_bounds, src->upper_bound_count, &oom);
    dst->key_metadata = dup_strv(arena, src->key_metadata, &oom);
    dst->split_offsets = dup_mem(arena, src->split_offsets,
                                 src->split_offset_count * sizeof(int64_t), &oom);
    dst->equality_ids = dup_mem(arena, src->equality_ids,
                                src->equality_id_count * sizeof(int32_t), &oom);
    if (oom) return fl_error_set(err, FLOE_ENOMEM, "out of memory copying a data file");
    return 0;
}

int ice_manifest_file_copy(ice_manifest_file *dst, const ice_manifest_file *src, fl_arena *arena,
                           fl_error *err)
{
    bool oom = false;
    *dst = *src;
    dst->manifest_path = dup_str(arena, src->manifest_path, &oom);
    dst->key_metadata = dup_strv(arena, src->key_metadata, &oom);
    dst->partitions = dup_mem(arena, src->partitions,
                              src->partition_count * sizeof(ice_field_summary), &oom);
    for (size_t i = 0; dst->partitions && i < src->partition_count; i++) {
        dst->partitions[i].lower_bound = dup_strv(arena, src->partitions[i].lower_bound, &oom);
        dst->partitions[i].upper_bound = dup_strv(arena, src->partitions[i].upper_bound, &oom);
    }
    if (oom) return fl_error_set(err, FLOE_ENOMEM, "out of memory copying a manifest list entry");
    return 0;
}

const char *ice_file_content_name(ice_file_content c)
{
    switch (c) {
    case ICE_CONTENT_DATA: return "data";
    case ICE_CONTENT_POSITION_DELETES: return "position_deletes";
    case ICE_CONTENT_EQUALITY_DELETES: return "equality_deletes";
    }
    return "unknown";
}

const char *ice_manifest_content_name(ice_manifest_content c)
{
    return c == ICE_MANIFEST_DELETES ? "deletes" : "data";
}

/* ---- header ---- */

static const char *meta_str(const ice_manifest_reader *r, const char *key)
{
    size_t len;
    const uint8_t *v = avro_reader_meta(r->avro, key, &len);
    return v ? (const char *)v : NULL;
}

/* The schema to type the partition tuple with: the current one, unless a
 * source column of the spec was dropped since; then the newest schema that
 * still has every source column (so the dropped column's transform result
 * keeps its real type instead of the lenient string). */
static const ice_schema *schema_with_sources(const ice_metadata *md, const ice_partition_spec *spec)
{
    const ice_schema *current = ice_metadata_current_schema(md);
    if (!spec) return current;
    const ice_schema *cands[1 + 64];
    size_t n = 0;
    cands[n++] = current;
    for (size_t i = md->schema_count; i > 0 && n < FL_ARRAY_SIZE(cands); i--) cands[n++] = md->schemas[i - 1];
    for (size_t c = 0; c < n; c++) {
        if (!cands[c]) continue;
        bool all = true;
        for (size_t f = 0; f < spec->field_count && all; f++)
            for (size_t k = 0; k < spec->fields[f].source_count && all; k++)
                all = ice_schema_find_id(cands[c], spec->fields[f].source_ids[k]) != NULL;
        if (all) return cands[c];
    }
    return current;
}

static int parse_header(ice_manifest_reader *r, const ice_metadata *md, fl_error *err)
{
    const char *s;
    int rc;
    r->format_version = 1;
    if ((s = meta_str(r, "format-version")) != NULL) {
        int32_t v;
        if (fl_parse_i32(&v, s, strlen(s), err) < 0 || v < 1 || v > ICE_MAX_FORMAT_VERSION)
            return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has a bad format-version \"%s\"",
                                r->location, s);
        r->format_version = v;
    }
    r->content = ICE_MANIFEST_DATA;
    if ((s = meta_str(r, "content")) != NULL && strcmp(s, "deletes") == 0)
        r->content = ICE_MANIFEST_DELETES;
    else if (!s && r->manifest)
        r->content = r->manifest->content;
    bool has_spec_id = false;
    r->spec_id = 0;
    if ((s = meta_str(r, "partition-spec-id")) != NULL) {
        if (fl_parse_i32(&r->spec_id, s, strlen(s), err) < 0)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "manifest \"%s\" has a bad partition-spec-id \"%s\"", r->location, s);
        has_spec_id = true;
    } else if (r->manifest) {
        r->spec_id = r->manifest->partition_spec_id;
        has_spec_id = true;
    }
    if (md) {
        if (has_spec_id) r->spec = ice_metadata_spec(md, r->spec_id);
        else if (md->spec_count == 1) r->spec = md->specs[0];
        r->schema = schema_with_sources(md, r->spec);
    }
    if (!r->spec && (s = meta_str(r, "partition-spec")) != NULL) {
        json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
        if (!j) return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has an unreadable partition-spec", r->location);
        ice_partition_spec *spec = NULL;
        rc = json_is_array(j) ? ice_partition_fields_from_json(&spec, r->spec_id, j, r->arena, err)
                              : ice_partition_spec_from_json(&spec, j, r->arena, err);
        json_decref(j);
        if (rc < 0) return rc;
        r->spec = spec;
    }
    if (!r->schema || !md) {
        const char *text = meta_str(r, "schema");
        if (!text) text = meta_str(r, "iceberg.schema");
        if (text) {
            json_t *j = json_loads(text, 0, NULL);
            if (!j) return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has an unreadable schema", r->location);
            ice_schema *schema = NULL;
            rc = ice_schema_from_json(&schema, j, r->arena, err);
            json_decref(j);
            if (rc < 0) return rc;
            r->schema = schema;
        }
    }
    if (!r->spec)
        return fl_error_set(err, FLOE_ENOTFOUND,
                            "manifest \"%s\": partition spec %d is not in the table metadata or the "
                            "manifest header", r->location, (int)r->spec_id);
    if (!r->schema)
        return fl_error_set(err, FLOE_ENOTFOUND, "manifest \"%s\" has no schema and no table metadata was given",
                            r->location);
    return ice_partition_type(&r->partition_type, r->spec, r->schema, true, r->arena, err);
}

static int resolve_fields(ice_manifest_reader *r, fl_error *err)
{
    const avro_schema *root = avro_schema_nonnull(avro_reader_schema(r->avro));
    if (root->type != AVRO_RECORD)
        return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\": schema is not a record", r->location);
    r->idx_status = avro_record_find(root, 0, "status");
    r->idx_snapshot = avro_record_find(root, 1, "snapshot_id");
    r->idx_seq = avro_record_find(root, 3, "sequence_number");
    r->idx_file_seq = avro_record_find(root, 4, "file_sequence_number");
    r->idx_data_file = avro_record_find(root, 2, "data_file");
    if (r->idx_status < 0 || r->idx_data_file < 0)
        return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has no %s field", r->location,
                            r->idx_status < 0 ? "status" : "data_file");
    const avro_schema *df = avro_schema_nonnull(root->fields[r->idx_data_file].type);
    if (df->type != AVRO_RECORD)
        return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\": data_file is not a record", r->location);
    for (int i = 0; i < DF__COUNT; i++)
        r->df_idx[i] = avro_record_find(df, df_refs[i].field_id, df_refs[i].name);
    static const int required[] = {DF_FILE_PATH, DF_FILE_FORMAT, DF_RECORD_COUNT, DF_FILE_SIZE};
    for (size_t i = 0; i < FL_ARRAY_SIZE(required); i++)
        if (r->df_idx[required[i]] < 0)
            return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\": data_file has no %s field",
                                r->location, df_refs[required[i]].name);
    size_t n = r->spec->field_count;
    r->part_idx = fl_arena_alloc(r->arena, (n ? n : 1) * sizeof(int));
    if (!r->part_idx) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    const avro_schema *part = r->df_idx[DF_PARTITION] >= 0
                                  ? avro_schema_nonnull(df->fields[r->df_idx[DF_PARTITION]].type)
                                  : NULL;
    for (size_t i = 0; i < n; i++) {
        const ice_partition_field *pf = &r->spec->fields[i];
        r->part_idx[i] = part && part->type == AVRO_RECORD
                             ? avro_record_find(part, pf->field_id, pf->name)
                             : -1;
    }
    return 0;
}

int ice_manifest_reader_open_io(ice_manifest_reader **out, io_reader *file, const char *location,
                                const ice_manifest_file *manifest, const ice_metadata *md,
                                fl_error *err)
{
    int rc;
    *out = NULL;
    ice_manifest_reader *r = fl_calloc(1, sizeof(*r));
    if (!r) return fl_error_set(err, FLOE_ENOMEM, "out of memory opening a manifest");
    r->manifest = manifest;
    r->arena = fl_arena_new(0);
    r->entry_arena = r->arena ? fl_arena_new(0) : NULL;
    if (!r->entry_arena) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening a manifest");
        goto fail;
    }
    r->location = fl_arena_strdup(r->arena, location ? location : "?");
    if (!r->location) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening a manifest");
        goto fail;
    }
    if ((rc = avro_reader_open(&r->avro, file, NULL, err)) < 0) goto fail;
    if ((rc = parse_header(r, md, err)) < 0) goto fail;
    if ((rc = resolve_fields(r, err)) < 0) goto fail;
    if (!avro_reader_meta(r->avro, "format-version", &(size_t){0}) && r->idx_seq >= 0)
        r->format_version = 2;   /* header keys lost (re-serialised): go by the layout */
    if (manifest && manifest->has_first_row_id) {
        r->has_next_row_id = true;
        r->next_row_id = manifest->first_row_id;
    }
    *out = r;
    return 0;
fail:
    if (rc != FLOE_ENOMEM) fl_error_prefix(err, "could not read manifest \"%s\": ", location ? location : "?");
    ice_manifest_reader_free(r);
    return rc;
}

int ice_manifest_reader_open(ice_manifest_reader **out, io_fs *fs, const char *location,
                             const ice_manifest_file *manifest, const ice_metadata *md,
                             fl_error *err)
{
    io_reader *file = NULL;
    *out = NULL;
    int rc = io_open(fs, location, &file, err);
    if (rc < 0) return rc;
    if ((rc = ice_manifest_reader_open_io(out, file, location, manifest, md, err)) < 0) {
        io_reader_close(file);
        return rc;
    }
    (*out)->owned_file = file;
    return 0;
}

void ice_manifest_reader_free(ice_manifest_reader *r)
{
    if (!r) return;
    avro_reader_free(r->avro);
    io_reader_close(r->owned_file);
    fl_arena_free(r->entry_arena);
    fl_arena_free(r->arena);
    fl_free(r);
}

int ice_manifest_reader_format_version(const ice_manifest_reader *r) { return r->format_version; }
ice_manifest_content ice_manifest_reader_content(const ice_manifest_reader *r) { return r->content; }
int32_t ice_manifest_reader_spec_id(const ice_manifest_reader *r) { return r->spec_id; }
const ice_partition_spec *ice_manifest_reader_spec(const ice_manifest_reader *r) { return r->spec; }
const ice_type *ice_manifest_reader_partition_type(const ice_manifest_reader *r)
{
    return r->partition_type;
}
const ice_schema *ice_manifest_reader_schema(const ice_manifest_reader *r) { return r->schema; }

/* ---- entries ---- */

static int corrupt(const ice_manifest_reader *r, const char *what, fl_error *err)
{
    return fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" entry %llu: %s", r->location,
                        (unsigned long long)avro_reader_count(r->avro), what);
}

/* A map<int, long> or map<int, binary> written as an array of {key, value}
 * records (or an Avro map with numeric string keys). */
static int read_id_map(const ice_manifest_reader *r, const avro_value *v, bool binary,
                       void **out, size_t *count, fl_error *err)
{
    *out = NULL;
    *count = 0;
    if (avro_value_is_null(v)) return 0;
    size_t n = v->type == AVRO_ARRAY ? v->u.list.count : v->type == AVRO_MAP ? v->u.map.count : 0;
    if (v->type != AVRO_ARRAY && v->type != AVRO_MAP) return corrupt(r, "a metrics map is not a map", err);
    size_t elem = binary ? sizeof(ice_field_bound) : sizeof(ice_field_count);
    void *arr = fl_arena_alloc(r->entry_arena, (n ? n : 1) * elem);
    if (!arr) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a manifest");
    for (size_t i = 0; i < n; i++) {
        int32_t key;
        const avro_value *val;
        if (v->type == AVRO_ARRAY) {
            const avro_value *kv = v->u.list.items[i];
            if (!kv || kv->type != AVRO_RECORD) return corrupt(r, "a metrics map entry is not a record", err);
            const avro_value *k = avro_value_find(kv, -1, "key");
            val = avro_value_find(kv, -1, "value");
            if (!k || avro_value_get_int(k, &key, err) < 0) return corrupt(r, "a metrics map key is not an int", err);
        } else {
            fl_strv ks = v->u.map.entries[i].key;
            if (fl_parse_i32(&key, ks.ptr, ks.len, err) < 0) return corrupt(r, "a metrics map key is not an int", err);
            val = v->u.map.entries[i].value;
        }
        if (binary) {
            ice_field_bound *b = (ice_field_bound *)arr + i;
            b->field_id = key;
            if (avro_value_get_bytes(val, &b->bytes, err) < 0) return corrupt(r, "a bound is not binary", err);
        } else {
            ice_field_count *c = (ice_field_count *)arr + i;
            c->field_id = key;
            if (avro_value_get_long(val, &c->value, err) < 0) return corrupt(r, "a metrics count is not a long", err);
        }
    }
    *out = arr;
    *count = n;
    return 0;
}

static int read_long_list(const ice_manifest_reader *r, const avro_value *v, int64_t **out64,
                          int32_t **out32, size_t *count, fl_error *err)
{
    *count = 0;
    if (out64) *out64 = NULL;
    if (out32) *out32 = NULL;
    if (avro_value_is_null(v)) return 0;
    if (v->type != AVRO_ARRAY) return corrupt(r, "a list field is not an array", err);
    size_t n = v->u.list.count;
    void *arr = fl_arena_alloc(r->entry_arena, (n ? n : 1) * (out64 ? 8 : 4));
    if (!arr) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a manifest");
    for (size_t i = 0; i < n; i++) {
        int64_t x;
        if (avro_value_get_long(v->u.list.items[i], &x, err) < 0) return corrupt(r, "a list item is not a number", err);
        if (out64) ((int64_t *)arr)[i] = x;
        else if (x < INT32_MIN || x > INT32_MAX) return corrupt(r, "an equality id is out of range", err);
        else ((int32_t *)arr)[i] = (int32_t)x;
    }
    if (out64) *out64 = arr;
    else *out32 = arr;
    *count = n;
    return 0;
}

static const avro_value *df_field(const ice_manifest_reader *r, const avro_value *df, int which)
{
    return r->df_idx[which] >= 0 ? avro_value_field(df, r->df_idx[which]) : NULL;
}

/* Reads an optional long into *out; returns whether it was present. */
static int opt_long(const avro_value *v, bool *has, int64_t *out, fl_error *err)
{
    *has = !avro_value_is_null(v);
    if (!*has) return 0;
    return avro_value_get_long(v, out, err);
}

static int read_partition(const ice_manifest_reader *r, const avro_value *df, ice_data_file *f,
                          fl_error *err)
{
    size_t n = r->spec->field_count;
    f->partition_type = r->partition_type;
    f->partition_count = n;
    f->partition = fl_arena_calloc(r->entry_arena, (n ? n : 1) * sizeof(fl_value));
    if (!f->partition) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a manifest");
    const avro_value *pv = df_field(r, df, DF_PARTITION);
    for (size_t i = 0; i < n; i++) {
        const avro_value *v = (pv && r->part_idx[i] >= 0) ? avro_value_field(pv, r->part_idx[i]) : NULL;
        int rc = ice_mf_avro_to_value(&f->partition[i], r->partition_type->fields[i].type, v, err);
        if (rc < 0) {
            fl_error_prefix(err, "manifest \"%s\" partition field \"%s\": ", r->location,
                            r->spec->fields[i].name);
            return rc;
        }
    }
    return 0;
}

static int read_data_file(ice_manifest_reader *r, const avro_value *df, ice_data_file *f,
                          fl_error *err)
{
    int rc;
    fl_strv s;
    int64_t x;
    bool has;
    memset(f, 0, sizeof(*f));
    f->spec_id = r->spec_id;
    const avro_value *v = df_field(r, df, DF_CONTENT);
    if (!avro_value_is_null(v)) {
        int32_t c;
        if (avro_value_get_int(v, &c, err) < 0 || c < 0 || c > 2) return corrupt(r, "bad content", err);
        f->content = (ice_file_content)c;
    }
    if (avro_value_get_bytes(df_field(r, df, DF_FILE_PATH), &s, err) < 0) return corrupt(r, "file_path is missing", err);
    f->file_path = s.ptr;
    if (avro_value_get_bytes(df_field(r, df, DF_FILE_FORMAT), &s, err) < 0) return corrupt(r, "file_format is missing", err);
    f->file_format = s.ptr;
    if (avro_value_get_long(df_field(r, df, DF_RECORD_COUNT), &f->record_count, err) < 0)
        return corrupt(r, "record_count is missing", err);
    if (avro_value_get_long(df_field(r, df, DF_FILE_SIZE), &f->file_size_in_bytes, err) < 0)
        return corrupt(r, "file_size_in_bytes is missing", err);
    if ((rc = read_partition(r, df, f, err)) < 0) return rc;
    struct { int which; bool binary; void **arr; size_t *count; } maps[] = {
        {DF_COLUMN_SIZES, false, (void **)&f->column_sizes, &f->column_size_count},
        {DF_VALUE_COUNTS, false, (void **)&f->value_counts, &f->value_count_count},
        {DF_NULL_COUNTS, false, (void **)&f->null_value_counts, &f->null_value_count_count},
        {DF_NAN_COUNTS, false, (void **)&f->nan_value_counts, &f->nan_value_count_count},
        {DF_LOWER, true, (void **)&f->lower_bounds, &f->lower_bound_count},
        {DF_UPPER, true, (void **)&f->upper_bounds, &f->upper_bound_count},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(maps); i++)
        if ((rc = read_id_map(r, df_field(r, df, maps[i].which), maps[i].binary, maps[i].arr,
                              maps[i].count, err)) < 0)
            return rc;
    v = df_field(r, df, DF_KEY_METADATA);
    if (!avro_value_is_null(v)) {
        if (avro_value_get_bytes(v, &f->key_metadata, err) < 0) return corrupt(r, "bad key_metadata", err);
        f->has_key_metadata = true;
    }
    if ((rc = read_long_list(r, df_field(r, df, DF_SPLIT_OFFSETS), &f->split_offsets, NULL,
                             &f->split_offset_count, err)) < 0)
        return rc;
    if ((rc = read_long_list(r, df_field(r, df, DF_EQUALITY_IDS), NULL, &f->equality_ids,
                             &f->equality_id_count, err)) < 0)
        return rc;
    if (opt_long(df_field(r, df, DF_SORT_ORDER_ID), &has, &x, err) < 0) return corrupt(r, "bad sort_order_id", err);
    f->has_sort_order_id = has;
    f->sort_order_id = (int32_t)x;
    if (opt_long(df_field(r, df, DF_FIRST_ROW_ID), &f->has_first_row_id, &f->first_row_id, err) < 0)
        return corrupt(r, "bad first_row_id", err);
    v = df_field(r, df, DF_REFERENCED);
    if (!avro_value_is_null(v)) {
        if (avro_value_get_bytes(v, &s, err) < 0) return corrupt(r, "bad referenced_data_file", err);
        f->referenced_data_file = s.ptr;
    }
    if (opt_long(df_field(r, df, DF_CONTENT_OFFSET), &f->has_content_offset, &f->content_offset, err) < 0)
        return corrupt(r, "bad content_offset", err);
    if (opt_long(df_field(r, df, DF_CONTENT_SIZE), &f->has_content_size_in_bytes,
                 &f->content_size_in_bytes, err) < 0)
        return corrupt(r, "bad content_size_in_bytes", err);
    if (f->record_count < 0 || f->file_size_in_bytes < 0) return corrupt(r, "negative record count or size", err);
    return 0;
}

static void inherit(ice_manifest_reader *r, ice_manifest_entry *e)
{
    const ice_manifest_file *m = r->manifest;
    if (!e->explicit_snapshot_id) e->snapshot_id = m ? m->added_snapshot_id : 0;
    /* v1 manifests have no sequence numbers: they inherit 0 */
    bool v1_layout = r->idx_seq < 0;
    int64_t inherited = (m && !v1_layout) ? m->sequence_number : 0;
    if (inherited < 0) inherited = 0;
    if (!e->explicit_sequence_number)
        e->sequence_number = e->status == ICE_ENTRY_ADDED ? inherited : 0;
    if (!e->explicit_file_sequence_number)
        e->file_sequence_number = e->status == ICE_ENTRY_ADDED ? inherited : 0;
    if (e->file.content == ICE_CONTENT_DATA && !e->file.has_first_row_id && r->has_next_row_id) {
        e->file.has_first_row_id = true;
        e->file.first_row_id = r->next_row_id;
        r->next_row_id += e->file.record_count;
    }
}

int ice_manifest_reader_next(ice_manifest_reader *r, const ice_manifest_entry **out,
                             fl_error *err)
{
    avro_value *datum = NULL;
    int rc;
    *out = NULL;
    fl_arena_reset(r->entry_arena);
    if ((rc = avro_reader_next(r->avro, &datum, r->entry_arena, err)) <= 0) {
        if (rc < 0) fl_error_prefix(err, "could not read manifest \"%s\": ", r->location);
        return rc;
    }
    ice_manifest_entry *e = &r->entry;
    memset(e, 0, sizeof(*e));
    int32_t status;
    if (avro_value_get_int(avro_value_field(datum, r->idx_status), &status, err) < 0 || status < 0 ||
        status > 2)
        return corrupt(r, "bad status", err);
    e->status = (ice_entry_status)status;
    const avro_value *v = r->idx_snapshot >= 0 ? avro_value_field(datum, r->idx_snapshot) : NULL;
    if (opt_long(v, &e->explicit_snapshot_id, &e->snapshot_id, err) < 0) return corrupt(r, "bad snapshot_id", err);
    v = r->idx_seq >= 0 ? avro_value_field(datum, r->idx_seq) : NULL;
    if (opt_long(v, &e->explicit_sequence_number, &e->sequence_number, err) < 0)
        return corrupt(r, "bad sequence_number", err);
    v = r->idx_file_seq >= 0 ? avro_value_field(datum, r->idx_file_seq) : NULL;
    if (opt_long(v, &e->explicit_file_sequence_number, &e->file_sequence_number, err) < 0)
        return corrupt(r, "bad file_sequence_number", err);
    const avro_value *df = avro_value_field(datum, r->idx_data_file);
    if (!df || df->type != AVRO_RECORD) return corrupt(r, "data_file is not a record", err);
    if ((rc = read_data_file(r, df, &e->file, err)) < 0) return rc;
    inherit(r, e);
    *out = e;
    return 1;
}
