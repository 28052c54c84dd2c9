/*
 * ice_manifest_list.c: manifest lists (spec "Manifest Lists"): reading the
 * v1, v2 and v3 layouts by field id (v1 lists lack content and sequence
 * numbers, which read as 0, and may have null counts, which read as -1),
 * the v1 "manifests" snapshot form, and the writer with the spec's exact
 * Avro schema, header keys, sequence-number replacement for new manifests
 * and v3 first-row-id assignment ("First Row ID Assignment").
 */
#include "ice_manifest_int.h"

#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strutil.h"

enum {
    MF_PATH, MF_LENGTH, MF_SPEC_ID, MF_CONTENT, MF_SEQ, MF_MIN_SEQ, MF_SNAPSHOT, MF_ADDED_FILES,
    MF_EXISTING_FILES, MF_DELETED_FILES, MF_ADDED_ROWS, MF_EXISTING_ROWS, MF_DELETED_ROWS,
    MF_PARTITIONS, MF_KEY_METADATA, MF_FIRST_ROW_ID, MF__COUNT
};

static const avro_field_ref mf_refs[MF__COUNT] = {
    {500, "manifest_path"}, {501, "manifest_length"}, {502, "partition_spec_id"},
    {517, "content"}, {515, "sequence_number"}, {516, "min_sequence_number"},
    {503, "added_snapshot_id"}, {504, "added_files_count"}, {505, "existing_files_count"},
    {506, "deleted_files_count"}, {512, "added_rows_count"}, {513, "existing_rows_count"},
    {514, "deleted_rows_count"}, {507, "partitions"}, {519, "key_metadata"},
    {520, "first_row_id"},
};

static int list_corrupt(const char *location, size_t row, const char *what, fl_error *err)
{
    return fl_error_set(err, FLOE_ECORRUPT, "manifest list \"%s\" entry %zu: %s", location, row, what);
}

static int read_summaries(ice_manifest_file *mf, const avro_value *v, fl_arena *arena,
                          const char *location, size_t row, fl_error *err)
{
    if (avro_value_is_null(v)) return 0;
    if (v->type != AVRO_ARRAY) return list_corrupt(location, row, "partitions is not a list", err);
    size_t n = v->u.list.count;
    mf->partitions = fl_arena_calloc(arena, (n ? n : 1) * sizeof(ice_field_summary));
    if (!mf->partitions) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a manifest list");
    mf->partition_count = n;
    for (size_t i = 0; i < n; i++) {
        const avro_value *s = v->u.list.items[i];
        ice_field_summary *fs = &mf->partitions[i];
        if (!s || s->type != AVRO_RECORD) return list_corrupt(location, row, "a field summary is not a record", err);
        const avro_value *x = avro_value_find(s, 509, "contains_null");
        if (!avro_value_is_null(x) && avro_value_get_bool(x, &fs->contains_null, err) < 0)
            return list_corrupt(location, row, "bad contains_null", err);
        x = avro_value_find(s, 518, "contains_nan");
        if (!avro_value_is_null(x)) {
            if (avro_value_get_bool(x, &fs->contains_nan, err) < 0) return list_corrupt(location, row, "bad contains_nan", err);
            fs->has_contains_nan = true;
        }
        x = avro_value_find(s, 510, "lower_bound");
        if (!avro_value_is_null(x)) {
            if (avro_value_get_bytes(x, &fs->lower_bound, err) < 0) return list_corrupt(location, row, "bad lower_bound", err);
            fs->has_lower_bound = true;
        }
        x = avro_value_find(s, 511, "upper_bound");
        if (!avro_value_is_null(x)) {
            if (avro_value_get_bytes(x, &fs->upper_bound, err) < 0) return list_corrupt(location, row, "bad upper_bound", err);
            fs->has_upper_bound = true;
        }
    }
    return 0;
}

static int read_entry(ice_manifest_file *mf, const avro_value *d, const int *idx, fl_arena *arena,
                      const char *location, size_t row, fl_error *err)
{
    const avro_value *f[MF__COUNT];
    for (int i = 0; i < MF__COUNT; i++) f[i] = idx[i] >= 0 ? avro_value_field(d, idx[i]) : NULL;
    memset(mf, 0, sizeof(*mf));
    fl_strv s;
    if (avro_value_get_bytes(f[MF_PATH], &s, err) < 0) return list_corrupt(location, row, "manifest_path is missing", err);
    mf->manifest_path = s.ptr;
    if (avro_value_get_long(f[MF_LENGTH], &mf->manifest_length, err) < 0)
        return list_corrupt(location, row, "manifest_length is missing", err);
    if (avro_value_get_int(f[MF_SPEC_ID], &mf->partition_spec_id, err) < 0)
        return list_corrupt(location, row, "partition_spec_id is missing", err);
    if (!avro_value_is_null(f[MF_CONTENT])) {
        int32_t c;
        if (avro_value_get_int(f[MF_CONTENT], &c, err) < 0 || c < 0 || c > 1)
            return list_corrupt(location, row, "bad content", err);
        mf->content = (ice_manifest_content)c;
    }
    if (!avro_value_is_null(f[MF_SEQ]) && avro_value_get_long(f[MF_SEQ], &mf->sequence_number, err) < 0)
        return list_corrupt(location, row, "bad sequence_number", err);
    if (!avro_value_is_null(f[MF_MIN_SEQ]) &&
        avro_value_get_long(f[MF_MIN_SEQ], &mf->min_sequence_number, err) < 0)
        return list_corrupt(location, row, "bad min_sequence_number", err);
    if (!avro_value_is_null(f[MF_SNAPSHOT]) &&
        avro_value_get_long(f[MF_SNAPSHOT], &mf->added_snapshot_id, err) < 0)
        return list_corrupt(location, row, "bad added_snapshot_id", err);
    int32_t *counts32[] = {&mf->added_files_count, &mf->existing_files_count, &mf->deleted_files_count};
    for (int i = 0; i < 3; i++) {
        *counts32[i] = -1;
        const avro_value *x = f[MF_ADDED_FILES + i];
        if (!avro_value_is_null(x) && avro_value_get_int(x, counts32[i], err) < 0)
            return list_corrupt(location, row, "bad file count", err);
    }
    int64_t *counts64[] = {&mf->added_rows_count, &mf->existing_rows_count, &mf->deleted_rows_count};
    for (int i = 0; i < 3; i++) {
        *counts64[i] = -1;
        const avro_value *x = f[MF_ADDED_ROWS + i];
        if (!avro_value_is_null(x) && avro_value_get_long(x, counts64[i], err) < 0)
            return list_corrupt(location, row, "bad row count", err);
    }
    int rc = read_summaries(mf, f[MF_PARTITIONS], arena, location, row, err);
    if (rc < 0) return rc;
    if (!avro_value_is_null(f[MF_KEY_METADATA])) {
        if (avro_value_get_bytes(f[MF_KEY_METADATA], &mf->key_metadata, err) < 0)
            return list_corrupt(location, row, "bad key_metadata", err);
        mf->has_key_metadata = true;
    }
    if (!avro_value_is_null(f[MF_FIRST_ROW_ID])) {
        if (avro_value_get_long(f[MF_FIRST_ROW_ID], &mf->first_row_id, err) < 0)
            return list_corrupt(location, row, "bad first_row_id", err);
        mf->has_first_row_id = true;
    }
    return 0;
}

static ice_manifest_list *list_new(fl_error *err)
{
    ice_manifest_list *l = fl_calloc(1, sizeof(*l));
    if (l && !(l->arena = fl_arena_new(0))) {
        fl_free(l);
        l = NULL;
    }
    if (!l) fl_error_set(err, FLOE_ENOMEM, "out of memory reading a manifest list");
    return l;
}

static int list_push(ice_manifest_list *l, size_t *cap, ice_manifest_file **slot, fl_error *err)
{
    if (l->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void *p = fl_arena_realloc(l->arena, l->files, *cap * sizeof(ice_manifest_file),
                                   ncap * sizeof(ice_manifest_file));
        if (!p) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a manifest list");
        l->files = p;
        *cap = ncap;
    }
    *slot = &l->files[l->count++];
    return 0;
}

int ice_manifest_list_read_io(ice_manifest_list **out, io_reader *file, const char *location,
                              fl_error *err)
{
    int rc;
    avro_reader *ar = NULL;
    *out = NULL;
    if (!location) location = "?";
    ice_manifest_list *l = list_new(err);
    if (!l) return FLOE_ENOMEM;
    if ((rc = avro_reader_open(&ar, file, NULL, err)) < 0) goto done;
    l->format_version = 1;
    size_t len;
    const uint8_t *fv = avro_reader_meta(ar, "format-version", &len);
    const avro_schema *root = avro_schema_nonnull(avro_reader_schema(ar));
    if (root->type != AVRO_RECORD) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "schema is not a record");
        goto done;
    }
    int idx[MF__COUNT];
    for (int i = 0; i < MF__COUNT; i++) idx[i] = avro_record_find(root, mf_refs[i].field_id, mf_refs[i].name);
    int32_t v;
    if (fv && fl_parse_i32(&v, (const char *)fv, len, err) >= 0 && v >= 1) l->format_version = v;
    else if (idx[MF_SEQ] >= 0) l->format_version = 2;
    if (idx[MF_PATH] < 0 || idx[MF_LENGTH] < 0 || idx[MF_SPEC_ID] < 0) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "schema lacks manifest_path, manifest_length or partition_spec_id");
        goto done;
    }
    size_t cap = 0;
    for (;;) {
        avro_value *d = NULL;
        if ((rc = avro_reader_next(ar, &d, l->arena, err)) < 0) goto done;
        if (rc == 0) break;
        ice_manifest_file *mf = NULL;
        if ((rc = list_push(l, &cap, &mf, err)) < 0) goto done;
        if (d->type != AVRO_RECORD) {
            rc = list_corrupt(location, l->count, "not a record", err);
            goto done;
        }
        if ((rc = read_entry(mf, d, idx, l->arena, location, l->count - 1, err)) < 0) goto done;
    }
    rc = 0;
done:
    avro_reader_free(ar);
    if (rc < 0) {
        if (rc != FLOE_ENOMEM && !strstr(err->message, location))
            fl_error_prefix(err, "could not read manifest list \"%s\": ", location);
        ice_manifest_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int ice_manifest_list_read(ice_manifest_list **out, io_fs *fs, const char *location,
                           fl_error *err)
{
    io_reader *file = NULL;
    *out = NULL;
    int rc = io_open(fs, location, &file, err);
    if (rc < 0) return rc;
    rc = ice_manifest_list_read_io(out, file, location, err);
    io_reader_close(file);
    return rc;
}

void ice_manifest_list_free(ice_manifest_list *list)
{
    if (!list) return;
    fl_arena_free(list->arena);
    fl_free(list);
}

/* A v1 "manifests" snapshot: one entry per manifest, spec id from its header. */
static int v1_manifests(ice_manifest_list *l, io_fs *fs, const ice_snapshot *snap, fl_error *err)
{
    int rc = 0;
    l->format_version = 1;
    l->files = fl_arena_calloc(l->arena, (snap->manifest_count ? snap->manifest_count : 1) *
                                             sizeof(ice_manifest_file));
    if (!l->files) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading manifests");
    for (size_t i = 0; i < snap->manifest_count; i++) {
        io_reader *file = NULL;
        avro_reader *ar = NULL;
        ice_manifest_file *mf = &l->files[i];
        mf->manifest_path = snap->manifests[i];
        mf->added_snapshot_id = snap->snapshot_id;
        mf->added_files_count = mf->existing_files_count = mf->deleted_files_count = -1;
        mf->added_rows_count = mf->existing_rows_count = mf->deleted_rows_count = -1;
        if ((rc = io_open(fs, mf->manifest_path, &file, err)) < 0) return rc;
        mf->manifest_length = (int64_t)file->size;
        if ((rc = avro_reader_open(&ar, file, NULL, err)) >= 0) {
            size_t len;
            const uint8_t *id = avro_reader_meta(ar, "partition-spec-id", &len);
            if (id && fl_parse_i32(&mf->partition_spec_id, (const char *)id, len, err) < 0)
                rc = fl_error_set(err, FLOE_ECORRUPT, "manifest \"%s\" has a bad partition-spec-id",
                                  mf->manifest_path);
        } else {
            fl_error_prefix(err, "could not read manifest \"%s\": ", mf->manifest_path);
        }
        avro_reader_free(ar);
        io_reader_close(file);
        if (rc < 0) return rc;
        l->count++;
    }
    return 0;
}

int ice_snapshot_manifests(ice_manifest_list **out, io_fs *fs, const ice_metadata *md,
                           const ice_snapshot *snapshot, fl_error *err)
{
    (void)md;
    *out = NULL;
    if (snapshot->manifest_list) return ice_manifest_list_read(out, fs, snapshot->manifest_list, err);
    ice_manifest_list *l = list_new(err);
    if (!l) return FLOE_ENOMEM;
    int rc = v1_manifests(l, fs, snapshot, err);
    if (rc < 0) {
        ice_manifest_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

/* ---- writer ---- */

int ice_manifest_list_schema_json(fl_buf *out, int format_version, fl_error *err)
{
    if (format_version == 0) format_version = 2;
    if (format_version < 1 || format_version > 3)
        return fl_error_set(err, FLOE_EINVAL, "format version %d has no manifest list schema", format_version);
    bool v1 = format_version == 1;
    const char *cnt_int = v1 ? "[\"null\",\"int\"]" : "\"int\"";
    const char *cnt_long = v1 ? "[\"null\",\"long\"]" : "\"long\"";
    const char *dflt = v1 ? ",\"default\":null" : "";
    int rc = fl_buf_append_str(out,
        "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
        "{\"name\":\"manifest_path\",\"type\":\"string\",\"doc\":\"Location URI with FS scheme\",\"field-id\":500},"
        "{\"name\":\"manifest_length\",\"type\":\"long\",\"doc\":\"Total file size in bytes\",\"field-id\":501},"
        "{\"name\":\"partition_spec_id\",\"type\":\"int\",\"doc\":\"Spec ID used to write\",\"field-id\":502},");
    if (rc >= 0 && !v1)
        rc = fl_buf_append_str(out,
            "{\"name\":\"content\",\"type\":\"int\",\"doc\":\"Contents of the manifest: 0=data, 1=deletes\",\"field-id\":517},"
            "{\"name\":\"sequence_number\",\"type\":\"long\",\"doc\":\"Sequence number when the manifest was added\",\"field-id\":515},"
            "{\"name\":\"min_sequence_number\",\"type\":\"long\",\"doc\":\"Lowest sequence number in the manifest\",\"field-id\":516},");
    if (rc >= 0)
        rc = fl_buf_appendf(out,
            "{\"name\":\"added_snapshot_id\",\"type\":%s,\"doc\":\"Snapshot ID that added the manifest\"%s,\"field-id\":503},"
            "{\"name\":\"added_files_count\",\"type\":%s,\"doc\":\"Added entry count\"%s,\"field-id\":504},"
            "{\"name\":\"existing_files_count\",\"type\":%s,\"doc\":\"Existing entry count\"%s,\"field-id\":505},"
            "{\"name\":\"deleted_files_count\",\"type\":%s,\"doc\":\"Deleted entry count\"%s,\"field-id\":506},"
            "{\"name\":\"added_rows_count\",\"type\":%s,\"doc\":\"Added rows count\"%s,\"field-id\":512},"
            "{\"name\":\"existing_rows_count\",\"type\":%s,\"doc\":\"Existing rows count\"%s,\"field-id\":513},"
            "{\"name\":\"deleted_rows_count\",\"type\":%s,\"doc\":\"Deleted rows count\"%s,\"field-id\":514},",
            "\"long\"", "", cnt_int, dflt, cnt_int, dflt, cnt_int, dflt, cnt_long, dflt, cnt_long, dflt,
            cnt_long, dflt);
    if (rc >= 0)
        rc = fl_buf_append_str(out,
            "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"r508\",\"fields\":["
            "{\"name\":\"contains_null\",\"type\":\"boolean\",\"doc\":\"True if any file has a null partition value\",\"field-id\":509},"
            "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"doc\":\"True if any file has a nan partition value\",\"default\":null,\"field-id\":518},"
            "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"doc\":\"Partition lower bound for all files\",\"default\":null,\"field-id\":510},"
            "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"doc\":\"Partition upper bound for all files\",\"default\":null,\"field-id\":511}]},"
            "\"element-id\":508}],\"doc\":\"Summary for each partition\",\"default\":null,\"field-id\":507},"
            "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"doc\":\"Encryption key metadata blob\",\"default\":null,\"field-id\":519}");
    if (rc >= 0 && format_version >= 3)
        rc = fl_buf_append_str(out,
            ",{\"name\":\"first_row_id\",\"type\":[\"null\",\"long\"],\"doc\":\"Starting row ID to assign to new rows in ADDED data files\",\"default\":null,\"field-id\":520}");
    if (rc >= 0) rc = fl_buf_append_str(out, "]}");
    if (rc < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory building a manifest list schema");
    return 0;
}

struct ice_manifest_list_writer {
    avro_writer *avro;
    ice_manifest_list_writer_opts opts;
    int64_t next_row_id;
};

int ice_manifest_list_writer_open_io(ice_manifest_list_writer **out, io_writer *file,
                                     const ice_manifest_list_writer_opts *opts, fl_error *err)
{
    *out = NULL;
    fl_buf schema;
    fl_buf_init(&schema);
    int rc;
    ice_manifest_list_writer *w = fl_calloc(1, sizeof(*w));
    if (!w) {
        io_writer_abort(file);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory opening a manifest list writer");
    }
    w->opts = *opts;
    if (w->opts.format_version == 0) w->opts.format_version = 2;
    w->next_row_id = opts->first_row_id;
    if ((rc = ice_manifest_list_schema_json(&schema, w->opts.format_version, err)) < 0) {
        io_writer_abort(file);
        goto done;
    }
    char snap[24], parent[24], seq[24], fv[8], frid[24];
    snprintf(snap, sizeof(snap), "%lld", (long long)opts->snapshot_id);
    if (opts->has_parent_snapshot_id) snprintf(parent, sizeof(parent), "%lld", (long long)opts->parent_snapshot_id);
    else snprintf(parent, sizeof(parent), "null");
    snprintf(seq, sizeof(seq), "%lld", (long long)opts->sequence_number);
    snprintf(fv, sizeof(fv), "%d", w->opts.format_version);
    snprintf(frid, sizeof(frid), "%lld", (long long)opts->first_row_id);
    avro_meta meta[5] = {
        {"snapshot-id", (const uint8_t *)snap, strlen(snap)},
        {"parent-snapshot-id", (const uint8_t *)parent, strlen(parent)},
        {"sequence-number", (const uint8_t *)seq, strlen(seq)},
        {"format-version", (const uint8_t *)fv, strlen(fv)},
        {"first-row-id", (const uint8_t *)frid, strlen(frid)},
    };
    size_t meta_count = w->opts.format_version >= 3 ? 5 : 4;
    if (w->opts.format_version == 1) {   /* v1 lists have no sequence numbers */
        meta[2] = meta[3];
        meta_count = 3;
    }
    avro_writer_opts wo = {opts->codec, opts->codec_level, 0, NULL};
    rc = avro_writer_open(&w->avro, file, schema.data, schema.len, meta, meta_count, &wo, err);
done:
    fl_buf_dispose(&schema);
    if (rc < 0) {
        fl_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

int ice_manifest_list_writer_open(ice_manifest_list_writer **out, io_fs *fs, const char *location,
                                  const ice_manifest_list_writer_opts *opts, fl_error *err)
{
    io_writer *file = NULL;
    *out = NULL;
    int rc = io_create(fs, location, IO_CREATE_EXCLUSIVE, &file, err);
    if (rc < 0) return rc;
    return ice_manifest_list_writer_open_io(out, file, opts, err);
}

static int enc_opt_bytes(fl_buf *b, bool has, fl_strv v)
{
    if (!has) return avro_enc_long(b, 0);
    int rc = avro_enc_long(b, 1);
    return rc < 0 ? rc : avro_enc_bytes(b, v.ptr, v.len);
}

static int enc_count(fl_buf *b, bool nullable, int64_t v)
{
    int rc = 0;
    if (nullable) {
        if (v < 0) return avro_enc_long(b, 0);
        rc = avro_enc_long(b, 1);
    }
    return rc < 0 ? rc : avro_enc_long(b, v < 0 ? 0 : v);
}

int ice_manifest_list_writer_add(ice_manifest_list_writer *w, const ice_manifest_file *m,
                                 fl_error *err)
{
    int fv = w->opts.format_version;
    if (fv == 1 && m->content != ICE_MANIFEST_DATA)
        return fl_error_set(err, FLOE_EINVAL, "a v1 manifest list cannot hold delete manifest \"%s\"",
                            m->manifest_path);
    int64_t seq = m->sequence_number, min_seq = m->min_sequence_number;
    if (seq == ICE_SEQ_UNASSIGNED) {
        if (m->added_snapshot_id != w->opts.snapshot_id)
            return fl_error_set(err, FLOE_EINVAL, "manifest \"%s\" of snapshot %lld has no sequence number",
                                m->manifest_path, (long long)m->added_snapshot_id);
        seq = w->opts.sequence_number;
    }
    if (min_seq == ICE_SEQ_UNASSIGNED) min_seq = w->opts.sequence_number;
    bool has_frid = m->has_first_row_id;
    int64_t frid = m->first_row_id;
    if (fv >= 3 && m->content == ICE_MANIFEST_DATA && !has_frid) {
        has_frid = true;
        frid = w->next_row_id;
        w->next_row_id += (m->added_rows_count > 0 ? m->added_rows_count : 0) +
                          (m->existing_rows_count > 0 ? m->existing_rows_count : 0);
    }
    fl_buf *b = avro_writer_buf(w->avro);
    int rc = avro_enc_bytes(b, m->manifest_path, strlen(m->manifest_path));
    if (rc >= 0) rc = avro_enc_long(b, m->manifest_length);
    if (rc >= 0) rc = avro_enc_long(b, m->partition_spec_id);
    if (rc >= 0 && fv >= 2) rc = avro_enc_long(b, m->content);
    if (rc >= 0 && fv >= 2) rc = avro_enc_long(b, seq);
    if (rc >= 0 && fv >= 2) rc = avro_enc_long(b, min_seq);
    if (rc >= 0) rc = avro_enc_long(b, m->added_snapshot_id);
    if (rc >= 0) rc = enc_count(b, fv == 1, m->added_files_count);
    if (rc >= 0) rc = enc_count(b, fv == 1, m->existing_files_count);
    if (rc >= 0) rc = enc_count(b, fv == 1, m->deleted_files_count);
    if (rc >= 0) rc = enc_count(b, fv == 1, m->added_rows_count);
    if (rc >= 0) rc = enc_count(b, fv == 1, m->existing_rows_count);
    if (rc >= 0) rc = enc_count(b, fv == 1, m->deleted_rows_count);
    if (rc >= 0 && !m->partitions) rc = avro_enc_long(b, 0);
    if (rc >= 0 && m->partitions) {
        rc = avro_enc_long(b, 1);
        if (rc >= 0 && m->partition_count) rc = avro_enc_long(b, (int64_t)m->partition_count);
        for (size_t i = 0; rc >= 0 && i < m->partition_count; i++) {
            const ice_field_summary *s = &m->partitions[i];
            rc = avro_enc_bool(b, s->contains_null);
            if (rc >= 0 && s->has_contains_nan) {
                rc = avro_enc_long(b, 1);
                if (rc >= 0) rc = avro_enc_bool(b, s->contains_nan);
            } else if (rc >= 0) {
                rc = avro_enc_long(b, 0);
            }
            if (rc >= 0) rc = enc_opt_bytes(b, s->has_lower_bound, s->lower_bound);
            if (rc >= 0) rc = enc_opt_bytes(b, s->has_upper_bound, s->upper_bound);
        }
        if (rc >= 0) rc = avro_enc_long(b, 0);
    }
    if (rc >= 0) rc = enc_opt_bytes(b, m->has_key_metadata, m->key_metadata);
    if (rc >= 0 && fv >= 3) rc = enc_count(b, true, has_frid ? frid : -1);
    if (rc < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory writing a manifest list");
    return avro_writer_end_datum(w->avro, err);
}

int ice_manifest_list_writer_close(ice_manifest_list_writer *w, int64_t *next_row_id,
                                   fl_error *err)
{
    if (next_row_id) *next_row_id = w->next_row_id;
    int rc = avro_writer_close(w->avro, err);
    fl_free(w);
    return rc;
}

void ice_manifest_list_writer_abort(ice_manifest_list_writer *w)
{
    if (!w) return;
    avro_writer_abort(w->avro);
    fl_free(w);
}
