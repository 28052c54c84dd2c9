/*
 * ice_delete_writer.c: writing position and equality delete files (spec
 * "Delete Formats") for row deltas: one Parquet file per call, in the
 * partition directory of the data it deletes, described from its footer
 * like a data file (ice_describe_parquet) plus the delete-specific members
 * (content, equality_ids, referenced_data_file). The Parquet schema,
 * writer options and metrics are the data-file writer's (ice_writer.c).
 */
#include "ice_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/uuid.h"
#include "ice_partition.h"

#define ICE_DELETE_FILE_PATH_ID 2147483546
#define ICE_DELETE_POS_ID 2147483545

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

/* "<location>/data[/<partition path>]/00000-0-<uuid>-00001-deletes.parquet" */
static int delete_location(char **out, const ice_table *t, const ice_partition_spec *spec,
                           const ice_data_file *partition_of, fl_arena *arena, fl_error *err)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_uuid u;
    char uuid[FL_UUID_TEXT_LEN + 1];
    int rc = fl_uuid_v4(&u, err);
    if (rc == 0 && fl_buf_appendf(&b, "%s/data/", t->md->location) < 0) rc = oom(err);
    if (rc == 0 && spec->field_count > 0) {
        const ice_type *ptype;
        rc = ice_partition_type(&ptype, spec, ice_metadata_current_schema(t->md), false, arena, err);
        if (rc == 0) rc = ice_partition_path(&b, spec, ptype, partition_of->partition, err);
        if (rc == 0 && fl_buf_append(&b, "/", 1) < 0) rc = oom(err);
    }
    if (rc == 0) {
        fl_uuid_format(&u, uuid);
        if (fl_buf_appendf(&b, "00000-0-%s-00001-deletes.parquet", uuid) < 0) rc = oom(err);
    }
    if (rc == 0 && (*out = fl_arena_strndup(arena, (const char *)b.data, b.len)) == NULL) rc = oom(err);
    fl_buf_dispose(&b);
    return rc;
}

/* Writes cols (rows rows) with the schema of struct_type to location and
 * describes the file with `schema`. */
static int write_file(ice_data_file *out, const ice_table *t, const char *location,
                      const ice_type *struct_type, const ice_schema *schema,
                      fl_column *const *cols, size_t rows, fl_arena *arena, fl_error *err)
{
    pq_field *root;
    pq_writer_opts o;
    FL_TRY(ice_pq_schema(&root, struct_type, arena, err));
    FL_TRY(ice_pq_writer_opts(&o, t->md, NULL, err));
    io_writer *io = NULL;
    pq_writer *pw = NULL;
    FL_TRY(io_create(t->fs, location, IO_CREATE_EXCLUSIVE, &io, err));
    int rc = pq_writer_new(&pw, io, root, &o, err);
    if (rc == 0) rc = pq_writer_write(pw, cols, rows, err);
    if (rc == 0) rc = pq_writer_close(pw, err);
    pq_writer_free(pw);
    if (rc < 0) {
        io_writer_abort(io);
        return rc;
    }
    FL_TRY(io_writer_close(io, err));
    rc = ice_describe_parquet(out, t->fs, location, t->md, schema, arena, err);
    if (rc < 0) {
        fl_error ignored;
        io_remove(t->fs, location, &ignored);
    }
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int partition_from(ice_data_file *out, const ice_data_file *src, fl_arena *arena,
                          fl_error *err)
{
    out->spec_id = src->spec_id;
    out->partition_type = src->partition_type;
    out->partition_count = src->partition_count;
    out->partition = NULL;
    if (src->partition_count == 0) return 0;
    out->partition = fl_arena_alloc(arena, src->partition_count * sizeof(fl_value));
    if (out->partition == NULL) return oom(err);
    for (size_t i = 0; i < src->partition_count; i++) {
        out->partition[i] = src->partition[i];
        const fl_value *v = &src->partition[i];
        if (!v->is_null && fl_type_is_varlen(v->type) && v->v.s.len > 0) {
            char *copy = fl_arena_memdup(arena, v->v.s.ptr, v->v.s.len);
            if (copy == NULL) return oom(err);
            out->partition[i].v.s.ptr = copy;
        }
    }
    return 0;
}

int ice_write_position_deletes(ice_data_file *out, const ice_table *t,
                               const ice_data_file *data_file, const int64_t *positions,
                               size_t count, fl_arena *arena, fl_error *err)
{
    if (count == 0) return fl_error_set(err, FLOE_EINVAL, "a position delete file needs at least one position");
    const ice_partition_spec *spec = ice_metadata_spec(t->md, data_file->spec_id);
    if (spec == NULL)
        return fl_error_set(err, FLOE_EINVAL, "data file \"%s\" has partition spec %d, which the table does not have",
                            data_file->file_path, (int)data_file->spec_id);
    ice_field *fields = fl_arena_calloc(arena, 2 * sizeof(ice_field));
    ice_type *st = fl_arena_calloc(arena, sizeof(ice_type));
    if (fields == NULL || st == NULL) return oom(err);
    fields[0] = (ice_field){.id = ICE_DELETE_FILE_PATH_ID, .name = "file_path", .required = true,
                           .type = ice_type_primitive(ICE_TYPE_STRING)};
    fields[1] = (ice_field){.id = ICE_DELETE_POS_ID, .name = "pos", .required = true,
                           .type = ice_type_primitive(ICE_TYPE_LONG)};
    *st = (ice_type){.id = ICE_TYPE_STRUCT, .fields = fields, .field_count = 2};
    ice_schema *schema;
    FL_TRY(ice_schema_new(&schema, 0, st, NULL, 0, arena, err));
    int64_t *pos = fl_arena_alloc(arena, count * sizeof(int64_t));
    if (pos == NULL) return oom(err);
    memcpy(pos, positions, count * sizeof(int64_t));
    qsort(pos, count, sizeof(int64_t), cmp_i64);
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (pos[i] < 0)
            return fl_error_set(err, FLOE_EINVAL, "position %lld of \"%s\" is negative", (long long)pos[i],
                                data_file->file_path);
        if (n == 0 || pos[n - 1] != pos[i]) pos[n++] = pos[i];
    }
    fl_column *cols[2] = {fl_column_new(arena, fl_type_make(FL_TYPE_STRING), n),
                          fl_column_new(arena, fl_type_make(FL_TYPE_INT64), n)};
    if (cols[0] == NULL || cols[1] == NULL) return oom(err);
    fl_strv path = fl_strv_cstr(data_file->file_path);
    for (size_t i = 0; i < n; i++) ((fl_strv *)cols[0]->data)[i] = path;
    memcpy(cols[1]->data, pos, n * sizeof(int64_t));
    cols[0]->len = cols[1]->len = n;
    char *location;
    FL_TRY(delete_location(&location, t, spec, data_file, arena, err));
    FL_TRY(write_file(out, t, location, st, schema, cols, n, arena, err));
    out->content = ICE_CONTENT_POSITION_DELETES;
    if ((out->referenced_data_file = fl_arena_strdup(arena, data_file->file_path)) == NULL) return oom(err);
    return partition_from(out, data_file, arena, err);
}

int ice_write_equality_deletes(ice_data_file *out, const ice_table *t, const int32_t *equality_ids,
                               size_t id_count, fl_column *const *cols, size_t rows,
                               const ice_data_file *partition_of, fl_arena *arena, fl_error *err)
{
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    const ice_partition_spec *spec = partition_of ? ice_metadata_spec(t->md, partition_of->spec_id)
                                                  : ice_metadata_default_spec(t->md);
    if (spec == NULL)
        return fl_error_set(err, FLOE_EINVAL, "partition spec %d is not in table \"%s.%s\"",
                            partition_of ? (int)partition_of->spec_id : -1, t->ns, t->name);
    if (partition_of == NULL && spec->field_count > 0)
        return fl_error_set(err, FLOE_EINVAL, "an equality delete file for partitioned table \"%s.%s\" needs a partition",
                            t->ns, t->name);
    if (id_count == 0) return fl_error_set(err, FLOE_EINVAL, "an equality delete file needs equality field ids");
    ice_field *fields = fl_arena_calloc(arena, id_count * sizeof(ice_field));
    ice_type *st = fl_arena_calloc(arena, sizeof(ice_type));
    int32_t *ids = fl_arena_alloc(arena, id_count * sizeof(int32_t));
    if (fields == NULL || st == NULL || ids == NULL) return oom(err);
    for (size_t i = 0; i < id_count; i++) {
        const ice_schema_entry *e = ice_schema_find_id(schema, equality_ids[i]);
        if (e == NULL || e->parent_id != -1 || ice_type_is_nested(e->field->type))
            return fl_error_set(err, FLOE_EINVAL, "equality field id %d is not a top-level primitive column of table \"%s.%s\"",
                                (int)equality_ids[i], t->ns, t->name);
        fields[i] = *e->field;
        ids[i] = equality_ids[i];
    }
    st->id = ICE_TYPE_STRUCT;
    st->fields = fields;
    st->field_count = id_count;
    ice_data_file none = {0};
    char *location;
    FL_TRY(delete_location(&location, t, spec, partition_of ? partition_of : &none, arena, err));
    FL_TRY(write_file(out, t, location, st, schema, cols, rows, arena, err));
    out->content = ICE_CONTENT_EQUALITY_DELETES;
    out->equality_ids = ids;
    out->equality_id_count = id_count;
    if (partition_of) return partition_from(out, partition_of, arena, err);
    out->spec_id = spec->spec_id;
    return 0;
}
