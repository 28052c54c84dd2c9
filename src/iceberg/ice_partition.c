/*
 * ice_partition.c: partition specs: JSON form, comparisons and the
 * partition tuple type (see ice_partition.h; paths are in
 * ice_partition_path.c).
 */
#include "ice_partition.h"

#include <string.h>

#include "ice_json.h"

static int field_from_json(ice_partition_field *f, const json_t *j, int32_t default_id,
                           fl_arena *arena, fl_error *err)
{
    const char *what = "partition field";
    if (!json_is_object(j)) return fl_error_set(err, FLOE_ECORRUPT, "partition field must be an object");
    FL_TRY(ice_json_req_str(j, "name", arena, &f->name, what, err));
    const char *transform;
    FL_TRY(ice_json_req_str(j, "transform", arena, &transform, what, err));
    FL_TRY(ice_transform_parse(&f->transform, transform, arena, err));
    FL_TRY(ice_json_source_ids(j, arena, "partition field", f->name, what, &f->source_id, &f->source_ids,
                               &f->source_count, &f->multi_source, err));
    bool has_id;
    FL_TRY(ice_json_opt_i32(j, "field-id", &f->field_id, &has_id, what, err));
    if (!has_id) f->field_id = default_id;
    return 0;
}

int ice_partition_fields_from_json(ice_partition_spec **out, int32_t spec_id, const json_t *arr,
                                   fl_arena *arena, fl_error *err)
{
    if (!json_is_array(arr)) return fl_error_set(err, FLOE_ECORRUPT, "partition spec fields must be an array");
    ice_partition_spec *s = fl_arena_calloc(arena, sizeof(*s));
    size_t n = json_array_size(arr);
    if (s == NULL || (s->fields = fl_arena_calloc(arena, (n ? n : 1) * sizeof(ice_partition_field))) == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->spec_id = spec_id;
    for (size_t i = 0; i < n; i++) {
        int rc = field_from_json(&s->fields[i], json_array_get(arr, i),
                                 ICE_PARTITION_DATA_ID_START + (int32_t)i, arena, err);
        if (rc < 0) {
            fl_error_prefix(err, "partition spec %d: ", (int)spec_id);
            return rc;
        }
    }
    s->field_count = n;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (s->fields[i].field_id == s->fields[k].field_id || strcmp(s->fields[i].name, s->fields[k].name) == 0)
                return fl_error_set(err, FLOE_ECORRUPT,
                                    "partition spec %d: fields \"%s\" and \"%s\" share a name or field id",
                                    (int)spec_id, s->fields[k].name, s->fields[i].name);
    *out = s;
    return 0;
}

int ice_partition_spec_from_json(ice_partition_spec **out, const json_t *json, fl_arena *arena,
                                 fl_error *err)
{
    int32_t spec_id;
    const json_t *fields;
    if (!json_is_object(json)) return fl_error_set(err, FLOE_ECORRUPT, "partition spec must be an object");
    FL_TRY(ice_json_req_i32(json, "spec-id", &spec_id, "partition spec", err));
    FL_TRY(ice_json_req_array(json, "fields", &fields, "partition spec", err));
    return ice_partition_fields_from_json(out, spec_id, fields, arena, err);
}

static int partition_field_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_partition_field *f = &((const ice_partition_spec *)ctx)->fields[i];
    char tbuf[256];
    ice_transform_format(&f->transform, tbuf, sizeof(tbuf));
    int rc = ice_json_put_str(o, "name", f->name);
    if (rc == 0) rc = ice_json_put_str(o, "transform", tbuf);
    if (rc == 0) rc = ice_json_put_source_ids(o, f->multi_source, f->source_ids, f->source_count, f->source_id);
    if (rc == 0) rc = ice_json_put_i64(o, "field-id", f->field_id);
    return rc;
}

json_t *ice_partition_fields_to_json(const ice_partition_spec *spec)
{
    return ice_json_objects(spec, spec->field_count, partition_field_fill);
}

json_t *ice_partition_spec_to_json(const ice_partition_spec *spec)
{
    json_t *o = json_object();
    if (o == NULL) return NULL;
    if (ice_json_put_i64(o, "spec-id", spec->spec_id) < 0 ||
        ice_json_put(o, "fields", ice_partition_fields_to_json(spec)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

bool ice_partition_spec_is_unpartitioned(const ice_partition_spec *spec)
{
    for (size_t i = 0; i < spec->field_count; i++)
        if (spec->fields[i].transform.kind != ICE_TRANSFORM_VOID) return false;
    return true;
}

static bool transform_eq(const ice_transform *a, const ice_transform *b)
{
    if (a->kind != b->kind || a->param != b->param) return false;
    return a->kind != ICE_TRANSFORM_UNKNOWN || strcmp(a->text, b->text) == 0;
}

static bool field_equivalent(const ice_partition_field *a, const ice_partition_field *b)
{
    if (a->source_count != b->source_count || strcmp(a->name, b->name) != 0 ||
        !transform_eq(&a->transform, &b->transform))
        return false;
    for (size_t i = 0; i < a->source_count; i++)
        if (a->source_ids[i] != b->source_ids[i]) return false;
    return true;
}

bool ice_partition_spec_equivalent(const ice_partition_spec *a, const ice_partition_spec *b)
{
    if (a->field_count != b->field_count) return false;
    for (size_t i = 0; i < a->field_count; i++)
        if (!field_equivalent(&a->fields[i], &b->fields[i])) return false;
    return true;
}

bool ice_partition_spec_equal(const ice_partition_spec *a, const ice_partition_spec *b)
{
    if (a->spec_id != b->spec_id || !ice_partition_spec_equivalent(a, b)) return false;
    for (size_t i = 0; i < a->field_count; i++)
        if (a->fields[i].field_id != b->fields[i].field_id ||
            a->fields[i].multi_source != b->fields[i].multi_source)
            return false;
    return true;
}

int32_t ice_partition_spec_last_field_id(const ice_partition_spec *spec)
{
    int32_t last = ICE_PARTITION_DATA_ID_START - 1;
    for (size_t i = 0; i < spec->field_count; i++)
        if (spec->fields[i].field_id > last) last = spec->fields[i].field_id;
    return last;
}

int ice_partition_type(const ice_type **out, const ice_partition_spec *spec,
                       const ice_schema *schema, bool lenient, fl_arena *arena, fl_error *err)
{
    ice_type *t = fl_arena_calloc(arena, sizeof(*t));
    ice_field *f = fl_arena_calloc(arena, (spec->field_count ? spec->field_count : 1) * sizeof(*f));
    if (t == NULL || f == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    t->id = ICE_TYPE_STRUCT;
    t->fields = f;
    t->field_count = spec->field_count;
    for (size_t i = 0; i < spec->field_count; i++) {
        const ice_partition_field *pf = &spec->fields[i];
        f[i].id = pf->field_id;
        f[i].name = pf->name;
        f[i].required = false;
        const ice_schema_entry *src = ice_schema_find_id(schema, pf->source_id);
        if (src == NULL || pf->transform.kind == ICE_TRANSFORM_UNKNOWN) {
            if (!lenient) {
                if (src == NULL)
                    return fl_error_set(err, FLOE_EINVAL,
                                        "partition field \"%s\": source column %d does not exist",
                                        pf->name, (int)pf->source_id);
                return fl_error_set(err, FLOE_EUNSUPPORTED, "partition field \"%s\": unknown transform \"%s\"",
                                    pf->name, pf->transform.text);
            }
            f[i].type = src && pf->transform.kind == ICE_TRANSFORM_VOID
                            ? src->field->type
                            : ice_type_primitive(ICE_TYPE_STRING);
            continue;
        }
        int rc = ice_transform_result_type(&f[i].type, &pf->transform, src->field->type, err);
        if (rc < 0) {
            fl_error_prefix(err, "partition field \"%s\": ", pf->name);
            return rc;
        }
    }
    *out = t;
    return 0;
}
