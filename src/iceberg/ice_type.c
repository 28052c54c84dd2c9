/*
 * ice_type.c: Iceberg types: the primitive table, type strings, the JSON
 * form of Appendix C (nested types and field defaults), structural
 * equality and the mapping to the shared fl_type (see ice_type.h).
 */
#include "ice_type.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strutil.h"
#include "ice_json.h"
#include "ice_value.h"

static const char *const type_names[ICE_TYPE__COUNT] = {
    [ICE_TYPE_INVALID] = "invalid",     [ICE_TYPE_UNKNOWN] = "unknown",
    [ICE_TYPE_BOOLEAN] = "boolean",     [ICE_TYPE_INT] = "int",
    [ICE_TYPE_LONG] = "long",           [ICE_TYPE_FLOAT] = "float",
    [ICE_TYPE_DOUBLE] = "double",       [ICE_TYPE_DECIMAL] = "decimal",
    [ICE_TYPE_DATE] = "date",           [ICE_TYPE_TIME] = "time",
    [ICE_TYPE_TIMESTAMP] = "timestamp", [ICE_TYPE_TIMESTAMPTZ] = "timestamptz",
    [ICE_TYPE_TIMESTAMP_NS] = "timestamp_ns", [ICE_TYPE_TIMESTAMPTZ_NS] = "timestamptz_ns",
    [ICE_TYPE_STRING] = "string",       [ICE_TYPE_UUID] = "uuid",
    [ICE_TYPE_FIXED] = "fixed",         [ICE_TYPE_BINARY] = "binary",
    [ICE_TYPE_VARIANT] = "variant",     [ICE_TYPE_GEOMETRY] = "geometry",
    [ICE_TYPE_GEOGRAPHY] = "geography", [ICE_TYPE_STRUCT] = "struct",
    [ICE_TYPE_LIST] = "list",           [ICE_TYPE_MAP] = "map",
};

static const ice_type primitives[ICE_TYPE__COUNT] = {
#define P(x) [x] = {.id = x}
    P(ICE_TYPE_UNKNOWN),   P(ICE_TYPE_BOOLEAN),     P(ICE_TYPE_INT),
    P(ICE_TYPE_LONG),      P(ICE_TYPE_FLOAT),       P(ICE_TYPE_DOUBLE),
    P(ICE_TYPE_DATE),      P(ICE_TYPE_TIME),        P(ICE_TYPE_TIMESTAMP),
    P(ICE_TYPE_TIMESTAMPTZ), P(ICE_TYPE_TIMESTAMP_NS), P(ICE_TYPE_TIMESTAMPTZ_NS),
    P(ICE_TYPE_STRING),    P(ICE_TYPE_UUID),        P(ICE_TYPE_BINARY),
    P(ICE_TYPE_VARIANT),   P(ICE_TYPE_GEOMETRY),    P(ICE_TYPE_GEOGRAPHY),
#undef P
};

const char *ice_type_id_name(ice_type_id id)
{
    return (unsigned)id < ICE_TYPE__COUNT ? type_names[id] : "invalid";
}

const ice_type *ice_type_primitive(ice_type_id id)
{
    if ((unsigned)id >= ICE_TYPE__COUNT || primitives[id].id == ICE_TYPE_INVALID) return NULL;
    return &primitives[id];
}

ice_type *ice_type_new_decimal(fl_arena *arena, int32_t precision, int32_t scale)
{
    ice_type *t = fl_arena_calloc(arena, sizeof(*t));
    if (t == NULL) return NULL;
    t->id = ICE_TYPE_DECIMAL;
    t->precision = precision;
    t->scale = scale;
    return t;
}

ice_type *ice_type_new_fixed(fl_arena *arena, int64_t length)
{
    ice_type *t = fl_arena_calloc(arena, sizeof(*t));
    if (t == NULL) return NULL;
    t->id = ICE_TYPE_FIXED;
    t->length = length;
    return t;
}

const ice_field *ice_type_struct_field(const ice_type *t, int32_t id)
{
    if (t->id != ICE_TYPE_STRUCT) return NULL;
    for (size_t i = 0; i < t->field_count; i++)
        if (t->fields[i].id == id) return &t->fields[i];
    return NULL;
}

int ice_type_format(const ice_type *t, char *buf, size_t cap)
{
    switch (t->id) {
    case ICE_TYPE_DECIMAL:
        return snprintf(buf, cap, "decimal(%d,%d)", (int)t->precision, (int)t->scale);
    case ICE_TYPE_FIXED: return snprintf(buf, cap, "fixed[%lld]", (long long)t->length);
    case ICE_TYPE_GEOMETRY:
        if (t->crs) return snprintf(buf, cap, "geometry(%s)", t->crs);
        return snprintf(buf, cap, "geometry");
    case ICE_TYPE_GEOGRAPHY:
        if (t->algorithm)
            return snprintf(buf, cap, "geography(%s, %s)", t->crs ? t->crs : "OGC:CRS84",
                            t->algorithm);
        if (t->crs) return snprintf(buf, cap, "geography(%s)", t->crs);
        return snprintf(buf, cap, "geography");
    default: return snprintf(buf, cap, "%s", ice_type_id_name(t->id));
    }
}

/* ---- type strings ---- */

static fl_strv trim(const char *p, size_t len) { return fl_strv_trim(fl_strv_make(p, len)); }

/* Splits "name(args)" / "name[args]"; returns false when not of that shape. */
static bool split_params(const char *s, const char *name, char open, char close, fl_strv *args)
{
    size_t n = strlen(name), len = strlen(s);
    fl_strv all = trim(s, len);
    if (all.len < n + 2 || strncmp(all.ptr, name, n) != 0) return false;
    fl_strv rest = trim(all.ptr + n, all.len - n);
    if (rest.len < 2 || rest.ptr[0] != open || rest.ptr[rest.len - 1] != close) return false;
    *args = trim(rest.ptr + 1, rest.len - 2);
    return true;
}

static int bad_type(const char *s, const char *why, fl_error *err)
{
    return fl_error_set(err, FLOE_ECORRUPT, "cannot parse type from json: \"%s\": %s", s, why);
}

static int parse_int_arg(fl_strv a, int64_t lo, int64_t hi, int64_t *out)
{
    fl_error e;
    if (fl_parse_i64(out, a.ptr, a.len, &e) < 0 || *out < lo || *out > hi) return -1;
    return 0;
}

int ice_type_parse_primitive(const ice_type **out, const char *s, fl_arena *arena,
                             fl_error *err)
{
    fl_strv whole = trim(s, strlen(s)), args;
    for (int id = ICE_TYPE_UNKNOWN; id < ICE_TYPE_STRUCT; id++) {
        if (primitives[id].id != ICE_TYPE_INVALID && strlen(type_names[id]) == whole.len &&
            strncmp(type_names[id], whole.ptr, whole.len) == 0) {
            *out = &primitives[id];
            return 0;
        }
    }
    ice_type *t;
    if (split_params(s, "decimal", '(', ')', &args)) {
        const char *comma = memchr(args.ptr, ',', args.len);
        int64_t p, sc;
        if (comma == NULL) return bad_type(s, "decimal needs precision and scale", err);
        if (parse_int_arg(trim(args.ptr, (size_t)(comma - args.ptr)), 1, 38, &p) < 0 ||
            parse_int_arg(trim(comma + 1, args.len - (size_t)(comma + 1 - args.ptr)), 0, 38, &sc) < 0)
            return bad_type(s, "decimal precision must be 1..38 and scale 0..38", err);
        t = ice_type_new_decimal(arena, (int32_t)p, (int32_t)sc);
    } else if (split_params(s, "fixed", '[', ']', &args)) {
        int64_t len;
        if (parse_int_arg(args, 0, INT32_MAX, &len) < 0)
            return bad_type(s, "invalid fixed length", err);
        t = ice_type_new_fixed(arena, len);
    } else if (split_params(s, "geometry", '(', ')', &args)) {
        t = fl_arena_calloc(arena, sizeof(*t));
        if (t) {
            t->id = ICE_TYPE_GEOMETRY;
            t->crs = fl_arena_strndup(arena, args.ptr, args.len);
            if (t->crs == NULL) t = NULL;
        }
    } else if (split_params(s, "geography", '(', ')', &args)) {
        const char *comma = memchr(args.ptr, ',', args.len);
        fl_strv crs = comma ? trim(args.ptr, (size_t)(comma - args.ptr)) : args;
        t = fl_arena_calloc(arena, sizeof(*t));
        if (t) {
            t->id = ICE_TYPE_GEOGRAPHY;
            t->crs = fl_arena_strndup(arena, crs.ptr, crs.len);
            if (comma) {
                fl_strv alg = trim(comma + 1, args.len - (size_t)(comma + 1 - args.ptr));
                t->algorithm = fl_arena_strndup(arena, alg.ptr, alg.len);
            }
            if (t->crs == NULL || (comma && t->algorithm == NULL)) t = NULL;
        }
    } else {
        return bad_type(s, "unknown type", err);
    }
    if (t == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *out = t;
    return 0;
}

/* ---- JSON ---- */

static int default_from_json(const json_t *field, const char *key, const ice_type *type,
                             bool *has, fl_value *value, const char **text, fl_arena *arena,
                             fl_error *err)
{
    const json_t *j = ice_json_member(field, key);
    *has = false;
    *text = NULL;
    memset(value, 0, sizeof(*value));
    value->is_null = true;
    if (j == NULL) return 0;
    int rc = ice_value_from_json(value, type, j, arena, err);
    if (rc < 0) {
        fl_error_prefix(err, "field %s: ", key);
        return rc;
    }
    char *dump = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (dump == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *text = fl_arena_strdup(arena, dump);
    free(dump);
    if (*text == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *has = true;
    return 0;
}

static int field_from_json(ice_field *f, const json_t *j, fl_arena *arena, fl_error *err)
{
    const char *what = "struct field";
    if (!json_is_object(j)) return fl_error_set(err, FLOE_ECORRUPT, "struct field must be an object");
    FL_TRY(ice_json_req_i32(j, "id", &f->id, what, err));
    FL_TRY(ice_json_req_str(j, "name", arena, &f->name, what, err));
    FL_TRY(ice_json_req_bool(j, "required", &f->required, what, err));
    const json_t *type = ice_json_member(j, "type");
    if (type == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "struct field \"%s\" is missing \"type\"", f->name);
    FL_TRY(ice_type_from_json(&f->type, type, arena, err));
    FL_TRY(ice_json_opt_str(j, "doc", arena, &f->doc, what, err));
    FL_TRY(default_from_json(j, "initial-default", f->type, &f->has_initial_default,
                             &f->initial_default, &f->initial_default_json, arena, err));
    FL_TRY(default_from_json(j, "write-default", f->type, &f->has_write_default,
                             &f->write_default, &f->write_default_json, arena, err));
    return 0;
}

int ice_type_struct_from_json(ice_type **out, const json_t *obj, fl_arena *arena,
                              fl_error *err)
{
    const json_t *fields;
    FL_TRY(ice_json_req_array(obj, "fields", &fields, "struct type", err));
    ice_type *t = fl_arena_calloc(arena, sizeof(*t));
    size_t n = json_array_size(fields);
    ice_field *f = fl_arena_calloc(arena, (n ? n : 1) * sizeof(*f));
    if (t == NULL || f == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) FL_TRY(field_from_json(&f[i], json_array_get(fields, i), arena, err));
    t->id = ICE_TYPE_STRUCT;
    t->fields = f;
    t->field_count = n;
    *out = t;
    return 0;
}

static int child_from_json(ice_field *f, const json_t *obj, const char *name, const char *id_key,
                           const char *req_key, const char *type_key, fl_arena *arena,
                           fl_error *err)
{
    const char *what = strcmp(name, "element") == 0 ? "list type" : "map type";
    f->name = name;
    FL_TRY(ice_json_req_i32(obj, id_key, &f->id, what, err));
    if (req_key) FL_TRY(ice_json_req_bool(obj, req_key, &f->required, what, err));
    else f->required = true;
    const json_t *type = ice_json_member(obj, type_key);
    if (type == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "%s is missing required field \"%s\"", what, type_key);
    return ice_type_from_json(&f->type, type, arena, err);
}

int ice_type_from_json(const ice_type **out, const json_t *json, fl_arena *arena,
                       fl_error *err)
{
    if (json_is_string(json)) return ice_type_parse_primitive(out, json_string_value(json), arena, err);
    if (!json_is_object(json)) {
        return fl_error_set(err, FLOE_ECORRUPT,
                            "cannot parse type from json: expected a string or an object");
    }
    const json_t *kind = json_object_get(json, "type");
    const char *k = json_is_string(kind) ? json_string_value(kind) : "";
    if (strcmp(k, "struct") == 0) {
        ice_type *t;
        FL_TRY(ice_type_struct_from_json(&t, json, arena, err));
        *out = t;
        return 0;
    }
    ice_type *t = fl_arena_calloc(arena, sizeof(*t));
    ice_field *f = fl_arena_calloc(arena, 2 * sizeof(*f));
    if (t == NULL || f == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    t->fields = f;
    if (strcmp(k, "list") == 0) {
        t->id = ICE_TYPE_LIST;
        t->field_count = 1;
        FL_TRY(child_from_json(&f[0], json, "element", "element-id", "element-required", "element",
                               arena, err));
    } else if (strcmp(k, "map") == 0) {
        t->id = ICE_TYPE_MAP;
        t->field_count = 2;
        FL_TRY(child_from_json(&f[0], json, "key", "key-id", NULL, "key", arena, err));
        FL_TRY(child_from_json(&f[1], json, "value", "value-id", "value-required", "value", arena,
                               err));
    } else {
        return fl_error_set(err, FLOE_ECORRUPT, "cannot parse type from json: unknown type \"%s\"", k);
    }
    *out = t;
    return 0;
}

static json_t *default_to_json(const ice_field *f, const fl_value *v, const char *text)
{
    if (ice_type_is_primitive(f->type)) return ice_value_to_json(v, f->type);
    return json_loads(text, JSON_DECODE_ANY, NULL);
}

static json_t *field_to_json(const ice_field *f)
{
    json_t *o = json_object();
    if (o == NULL) return NULL;
    int rc = ice_json_put_i64(o, "id", f->id);
    if (rc == 0) rc = ice_json_put_str(o, "name", f->name);
    if (rc == 0) rc = ice_json_put_bool(o, "required", f->required);
    if (rc == 0) rc = ice_json_put(o, "type", ice_type_to_json(f->type));
    if (rc == 0 && f->doc) rc = ice_json_put_str(o, "doc", f->doc);
    if (rc == 0 && f->has_initial_default && !f->initial_default.is_null)
        rc = ice_json_put(o, "initial-default",
                          default_to_json(f, &f->initial_default, f->initial_default_json));
    if (rc == 0 && f->has_write_default && !f->write_default.is_null)
        rc = ice_json_put(o, "write-default",
                          default_to_json(f, &f->write_default, f->write_default_json));
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int ice_type_struct_fields_to_json(json_t *obj, const ice_type *t)
{
    json_t *fields = json_array();
    if (fields == NULL) return FLOE_ENOMEM;
    for (size_t i = 0; i < t->field_count; i++) {
        if (ice_json_append(fields, field_to_json(&t->fields[i])) < 0) {
            json_decref(fields);
            return FLOE_ENOMEM;
        }
    }
    return ice_json_put(obj, "fields", fields);
}

json_t *ice_type_to_json(const ice_type *t)
{
    if (!ice_type_is_nested(t)) {
        char buf[512];
        ice_type_format(t, buf, sizeof(buf));
        return json_string(buf);
    }
    json_t *o = json_object();
    if (o == NULL) return NULL;
    int rc = ice_json_put_str(o, "type", ice_type_id_name(t->id));
    if (t->id == ICE_TYPE_STRUCT) {
        if (rc == 0) rc = ice_type_struct_fields_to_json(o, t);
    } else if (t->id == ICE_TYPE_LIST) {
        const ice_field *e = &t->fields[0];
        if (rc == 0) rc = ice_json_put_i64(o, "element-id", e->id);
        if (rc == 0) rc = ice_json_put(o, "element", ice_type_to_json(e->type));
        if (rc == 0) rc = ice_json_put_bool(o, "element-required", e->required);
    } else {
        const ice_field *k = &t->fields[0], *v = &t->fields[1];
        if (rc == 0) rc = ice_json_put_i64(o, "key-id", k->id);
        if (rc == 0) rc = ice_json_put(o, "key", ice_type_to_json(k->type));
        if (rc == 0) rc = ice_json_put_i64(o, "value-id", v->id);
        if (rc == 0) rc = ice_json_put(o, "value", ice_type_to_json(v->type));
        if (rc == 0) rc = ice_json_put_bool(o, "value-required", v->required);
    }
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- equality and mapping ---- */

static bool str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL) return a == b;
    return strcmp(a, b) == 0;
}

static bool default_eq(bool ha, const fl_value *a, const char *ta, bool hb, const fl_value *b,
                       const char *tb, const ice_type *t)
{
    bool na = !ha || a->is_null, nb = !hb || b->is_null;
    if (na || nb) return na == nb;
    if (!ice_type_is_primitive(t)) return str_eq(ta, tb);
    if (t->id == ICE_TYPE_DECIMAL && t->precision > 18) return a->v.i128 == b->v.i128;
    return fl_value_cmp(a, b) == 0;
}

bool ice_type_equal(const ice_type *a, const ice_type *b)
{
    if (a == b) return true;
    if (a->id != b->id || a->precision != b->precision || a->scale != b->scale ||
        a->length != b->length || !str_eq(a->crs, b->crs) || !str_eq(a->algorithm, b->algorithm) ||
        a->field_count != b->field_count)
        return false;
    for (size_t i = 0; i < a->field_count; i++) {
        const ice_field *x = &a->fields[i], *y = &b->fields[i];
        if (x->id != y->id || !str_eq(x->name, y->name) || x->required != y->required ||
            !str_eq(x->doc, y->doc) || !ice_type_equal(x->type, y->type))
            return false;
        if (!default_eq(x->has_initial_default, &x->initial_default, x->initial_default_json,
                        y->has_initial_default, &y->initial_default, y->initial_default_json,
                        x->type) ||
            !default_eq(x->has_write_default, &x->write_default, x->write_default_json,
                        y->has_write_default, &y->write_default, y->write_default_json, x->type))
            return false;
    }
    return true;
}

int ice_type_to_fl(fl_type *out, const ice_type *t, fl_error *err)
{
    switch (t->id) {
    case ICE_TYPE_UNKNOWN: *out = fl_type_make(FL_TYPE_NULL); return 0;
    case ICE_TYPE_BOOLEAN: *out = fl_type_make(FL_TYPE_BOOL); return 0;
    case ICE_TYPE_INT: *out = fl_type_make(FL_TYPE_INT32); return 0;
    case ICE_TYPE_LONG: *out = fl_type_make(FL_TYPE_INT64); return 0;
    case ICE_TYPE_FLOAT: *out = fl_type_make(FL_TYPE_FLOAT); return 0;
    case ICE_TYPE_DOUBLE: *out = fl_type_make(FL_TYPE_DOUBLE); return 0;
    case ICE_TYPE_DECIMAL: *out = fl_type_decimal(t->precision, t->scale); return 0;
    case ICE_TYPE_DATE: *out = fl_type_make(FL_TYPE_DATE); return 0;
    case ICE_TYPE_TIME: *out = fl_type_make(FL_TYPE_TIME); return 0;
    case ICE_TYPE_TIMESTAMP: *out = fl_type_make(FL_TYPE_TIMESTAMP); return 0;
    case ICE_TYPE_TIMESTAMPTZ: *out = fl_type_make(FL_TYPE_TIMESTAMPTZ); return 0;
    case ICE_TYPE_TIMESTAMP_NS: *out = fl_type_make(FL_TYPE_TIMESTAMP_NS); return 0;
    case ICE_TYPE_TIMESTAMPTZ_NS: *out = fl_type_make(FL_TYPE_TIMESTAMPTZ_NS); return 0;
    case ICE_TYPE_STRING: *out = fl_type_make(FL_TYPE_STRING); return 0;
    case ICE_TYPE_UUID: *out = fl_type_make(FL_TYPE_UUID); return 0;
    case ICE_TYPE_FIXED: *out = fl_type_fixed((int32_t)t->length); return 0;
    case ICE_TYPE_BINARY:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY: *out = fl_type_make(FL_TYPE_BINARY); return 0;
    case ICE_TYPE_STRUCT: *out = fl_type_make(FL_TYPE_STRUCT); return 0;
    case ICE_TYPE_LIST: *out = fl_type_make(FL_TYPE_LIST); return 0;
    case ICE_TYPE_MAP: *out = fl_type_make(FL_TYPE_MAP); return 0;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "Iceberg type %s has no value representation",
                            ice_type_id_name(t->id));
    }
}
