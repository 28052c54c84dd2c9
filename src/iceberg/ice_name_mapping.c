/*
 * ice_name_mapping.c: parsing, writing and lookup of Iceberg name mappings
 * (see ice_name_mapping.h).
 */
#include "ice_name_mapping.h"

#include <string.h>

#include "ice_json.h"

static int mapped_field_from_json(ice_mapped_field *f, const json_t *j, fl_arena *arena,
                                  fl_error *err)
{
    const char *what = "name mapping field";
    if (!json_is_object(j)) return fl_error_set(err, FLOE_ECORRUPT, "name mapping field must be an object");
    FL_TRY(ice_json_opt_i32(j, "field-id", &f->field_id, &f->has_field_id, what, err));
    const json_t *names, *fields;
    FL_TRY(ice_json_req_array(j, "names", &names, what, err));
    size_t n = json_array_size(names);
    f->names = fl_arena_alloc(arena, (n ? n : 1) * sizeof(char *));
    if (f->names == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *name = json_array_get(names, i);
        if (!json_is_string(name))
            return fl_error_set(err, FLOE_ECORRUPT, "name mapping names must be strings");
        f->names[i] = fl_arena_strndup(arena, json_string_value(name), json_string_length(name));
        if (f->names[i] == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    f->name_count = n;
    f->fields = NULL;
    FL_TRY(ice_json_opt_array(j, "fields", &fields, what, err));
    if (fields) {
        ice_name_mapping *child;
        FL_TRY(ice_name_mapping_from_json(&child, fields, arena, err));
        f->fields = child;
    }
    return 0;
}

int ice_name_mapping_from_json(ice_name_mapping **out, const json_t *json, fl_arena *arena,
                               fl_error *err)
{
    if (!json_is_array(json)) return fl_error_set(err, FLOE_ECORRUPT, "name mapping must be a JSON array");
    ice_name_mapping *m = fl_arena_calloc(arena, sizeof(*m));
    size_t n = json_array_size(json);
    if (m == NULL || (m->fields = fl_arena_calloc(arena, (n ? n : 1) * sizeof(ice_mapped_field))) == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) FL_TRY(mapped_field_from_json(&m->fields[i], json_array_get(json, i), arena, err));
    m->count = n;
    *out = m;
    return 0;
}

int ice_name_mapping_parse(ice_name_mapping **out, const char *text, size_t len,
                           fl_arena *arena, fl_error *err)
{
    json_error_t jerr;
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    if (j == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "invalid name mapping JSON at line %d: %s", jerr.line,
                            jerr.text);
    int rc = ice_name_mapping_from_json(out, j, arena, err);
    json_decref(j);
    return rc;
}

json_t *ice_name_mapping_to_json(const ice_name_mapping *m)
{
    json_t *arr = json_array();
    if (arr == NULL) return NULL;
    for (size_t i = 0; i < m->count; i++) {
        const ice_mapped_field *f = &m->fields[i];
        json_t *o = json_object(), *names = json_array();
        int rc = (o && names) ? 0 : FLOE_ENOMEM;
        for (size_t k = 0; rc == 0 && k < f->name_count; k++) rc = ice_json_append(names, json_string(f->names[k]));
        if (rc == 0 && f->has_field_id) rc = ice_json_put_i64(o, "field-id", f->field_id);
        if (rc == 0) {
            rc = ice_json_put(o, "names", names);
            names = NULL;
        }
        if (rc == 0 && f->fields) rc = ice_json_put(o, "fields", ice_name_mapping_to_json(f->fields));
        if (rc == 0) {
            rc = ice_json_append(arr, o);
            o = NULL;
        }
        json_decref(names);
        json_decref(o);
        if (rc < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

const ice_mapped_field *ice_name_mapping_find(const ice_name_mapping *m, const char *name)
{
    if (m == NULL) return NULL;
    for (size_t i = 0; i < m->count; i++)
        for (size_t k = 0; k < m->fields[i].name_count; k++)
            if (strcmp(m->fields[i].names[k], name) == 0) return &m->fields[i];
    return NULL;
}

const ice_mapped_field *ice_name_mapping_find_path(const ice_name_mapping *m,
                                                   const char *const *path, size_t depth)
{
    const ice_mapped_field *f = NULL;
    for (size_t i = 0; i < depth; i++) {
        f = ice_name_mapping_find(m, path[i]);
        if (f == NULL) return NULL;
        m = f->fields;
    }
    return f;
}
