/*
 * avro_value.c: the generic Avro value tree: field lookup, typed reads
 * with Avro's promotions, construction for the writer, and a JSON-like
 * text rendering for tests and debugging.
 *
 * Lookup goes by Iceberg field id first, then by name and aliases, which is
 * how the manifest reader tolerates v1/v2 manifests and the field names
 * older Java writers used (the ids never changed; some names did).
 */
#include "avro.h"

#include <inttypes.h>
#include <string.h>

const avro_value *avro_value_field(const avro_value *v, int index)
{
    if (!v || v->type != AVRO_RECORD || index < 0 || (size_t)index >= v->u.list.count) return NULL;
    return v->u.list.items[index];
}

const avro_value *avro_value_find(const avro_value *v, int32_t field_id, const char *name)
{
    if (!v || v->type != AVRO_RECORD || !v->schema) return NULL;
    return avro_value_field(v, avro_record_find(v->schema, field_id, name));
}

const avro_value *avro_value_at(const avro_value *v, const avro_path *path)
{
    for (uint8_t i = 0; i < path->depth && v; i++) v = avro_value_field(v, path->index[i]);
    return v;
}

static int wrong_type(const avro_value *v, const char *want, fl_error *err)
{
    return fl_error_set(err, FLOE_ETYPE, "expected an avro %s value, found %s", want,
                        v ? avro_type_name(v->type) : "nothing");
}

int avro_value_get_long(const avro_value *v, int64_t *out, fl_error *err)
{
    if (v && v->type == AVRO_LONG) *out = v->u.l;
    else if (v && v->type == AVRO_INT) *out = v->u.i;
    else return wrong_type(v, "long", err);
    return 0;
}

int avro_value_get_int(const avro_value *v, int32_t *out, fl_error *err)
{
    if (v && v->type == AVRO_INT) *out = v->u.i;
    else if (v && v->type == AVRO_LONG) {
        if (v->u.l < INT32_MIN || v->u.l > INT32_MAX)
            return fl_error_set(err, FLOE_ERANGE, "avro long %" PRId64 " is out of range for int", v->u.l);
        *out = (int32_t)v->u.l;
    } else {
        return wrong_type(v, "int", err);
    }
    return 0;
}

int avro_value_get_double(const avro_value *v, double *out, fl_error *err)
{
    if (!v) return wrong_type(v, "double", err);
    switch (v->type) {
    case AVRO_DOUBLE: *out = v->u.d; return 0;
    case AVRO_FLOAT: *out = v->u.f; return 0;
    case AVRO_LONG: *out = (double)v->u.l; return 0;
    case AVRO_INT: *out = v->u.i; return 0;
    default: return wrong_type(v, "double", err);
    }
}

int avro_value_get_bool(const avro_value *v, bool *out, fl_error *err)
{
    if (!v || v->type != AVRO_BOOLEAN) return wrong_type(v, "boolean", err);
    *out = v->u.b;
    return 0;
}

int avro_value_get_bytes(const avro_value *v, fl_strv *out, fl_error *err)
{
    if (v && (v->type == AVRO_STRING || v->type == AVRO_BYTES || v->type == AVRO_FIXED)) {
        *out = v->u.bytes;
        return 0;
    }
    if (v && v->type == AVRO_ENUM && v->schema && v->u.i >= 0 && (size_t)v->u.i < v->schema->symbol_count) {
        *out = fl_strv_cstr(v->schema->symbols[v->u.i]);
        return 0;
    }
    return wrong_type(v, "string", err);
}

/* ---- construction ---- */

avro_value *avro_value_new(fl_arena *arena, avro_type type)
{
    avro_value *v = fl_arena_calloc(arena, sizeof *v);
    if (!v) return NULL;
    v->type = type;
    v->branch = -1;
    return v;
}

avro_value *avro_value_null(fl_arena *arena) { return avro_value_new(arena, AVRO_NULL); }

avro_value *avro_value_boolean(fl_arena *arena, bool b)
{
    avro_value *v = avro_value_new(arena, AVRO_BOOLEAN);
    if (v) v->u.b = b;
    return v;
}

avro_value *avro_value_int(fl_arena *arena, int32_t i)
{
    avro_value *v = avro_value_new(arena, AVRO_INT);
    if (v) v->u.i = i;
    return v;
}

avro_value *avro_value_long(fl_arena *arena, int64_t l)
{
    avro_value *v = avro_value_new(arena, AVRO_LONG);
    if (v) v->u.l = l;
    return v;
}

avro_value *avro_value_float(fl_arena *arena, float f)
{
    avro_value *v = avro_value_new(arena, AVRO_FLOAT);
    if (v) v->u.f = f;
    return v;
}

avro_value *avro_value_double(fl_arena *arena, double d)
{
    avro_value *v = avro_value_new(arena, AVRO_DOUBLE);
    if (v) v->u.d = d;
    return v;
}

avro_value *avro_value_bytes(fl_arena *arena, avro_type type, const void *p, size_t len)
{
    avro_value *v = avro_value_new(arena, type);
    if (!v) return NULL;
    char *copy = fl_arena_strndup(arena, len ? p : "", len);
    if (!copy) return NULL;
    v->u.bytes = fl_strv_make(copy, len);
    return v;
}

avro_value *avro_value_string(fl_arena *arena, const char *s, size_t len)
{
    return avro_value_bytes(arena, AVRO_STRING, s, len);
}

avro_value *avro_value_enum(fl_arena *arena, int32_t symbol_index)
{
    avro_value *v = avro_value_new(arena, AVRO_ENUM);
    if (v) v->u.i = symbol_index;
    return v;
}

avro_value *avro_value_list(fl_arena *arena, avro_type type, size_t count)
{
    avro_value *v = avro_value_new(arena, type);
    if (!v) return NULL;
    if (count) {
        v->u.list.items = fl_arena_calloc(arena, count * sizeof *v->u.list.items);
        if (!v->u.list.items) return NULL;
    }
    v->u.list.count = count;
    return v;
}

avro_value *avro_value_map(fl_arena *arena, size_t count)
{
    avro_value *v = avro_value_new(arena, AVRO_MAP);
    if (!v) return NULL;
    if (count) {
        v->u.map.entries = fl_arena_calloc(arena, count * sizeof *v->u.map.entries);
        if (!v->u.map.entries) return NULL;
    }
    v->u.map.count = count;
    return v;
}

/* ---- text ---- */

static int append_quoted(fl_buf *out, fl_strv s, bool binary)
{
    FL_TRY(fl_buf_append_byte(out, '"'));
    for (uint32_t i = 0; i < s.len; i++) {
        uint8_t c = (uint8_t)s.ptr[i];
        if (c == '"' || c == '\\') {
            FL_TRY(fl_buf_append_byte(out, '\\'));
            FL_TRY(fl_buf_append_byte(out, c));
        } else if (c < 0x20 || (binary && c >= 0x7f)) {
            FL_TRY(fl_buf_appendf(out, "\\u%04x", c));
        } else {
            FL_TRY(fl_buf_append_byte(out, c));
        }
    }
    return fl_buf_append_byte(out, '"');
}

static int to_text(fl_buf *out, const avro_value *v, int depth)
{
    if (!v) return fl_buf_append_str(out, "?");
    if (depth > 600) return fl_buf_append_str(out, "...");
    switch (v->type) {
    case AVRO_NULL: return fl_buf_append_str(out, "null");
    case AVRO_BOOLEAN: return fl_buf_append_str(out, v->u.b ? "true" : "false");
    case AVRO_INT: return fl_buf_appendf(out, "%" PRId32, v->u.i);
    case AVRO_LONG: return fl_buf_appendf(out, "%" PRId64, v->u.l);
    case AVRO_FLOAT: return fl_buf_appendf(out, "%.9g", (double)v->u.f);
    case AVRO_DOUBLE: return fl_buf_appendf(out, "%.17g", v->u.d);
    case AVRO_STRING: return append_quoted(out, v->u.bytes, false);
    case AVRO_BYTES:
    case AVRO_FIXED: return append_quoted(out, v->u.bytes, true);
    case AVRO_ENUM:
        if (v->schema && v->u.i >= 0 && (size_t)v->u.i < v->schema->symbol_count)
            return append_quoted(out, fl_strv_cstr(v->schema->symbols[v->u.i]), false);
        return fl_buf_appendf(out, "%" PRId32, v->u.i);
    case AVRO_RECORD:
    case AVRO_ARRAY: {
        bool rec = v->type == AVRO_RECORD;
        FL_TRY(fl_buf_append_byte(out, rec ? '{' : '['));
        for (size_t i = 0; i < v->u.list.count; i++) {
            if (i) FL_TRY(fl_buf_append_str(out, ", "));
            if (rec) {
                const char *name = v->schema && i < v->schema->field_count ? v->schema->fields[i].name : "?";
                FL_TRY(fl_buf_appendf(out, "\"%s\": ", name));
            }
            FL_TRY(to_text(out, v->u.list.items[i], depth + 1));
        }
        return fl_buf_append_byte(out, rec ? '}' : ']');
    }
    case AVRO_MAP:
        FL_TRY(fl_buf_append_byte(out, '{'));
        for (size_t i = 0; i < v->u.map.count; i++) {
            if (i) FL_TRY(fl_buf_append_str(out, ", "));
            FL_TRY(append_quoted(out, v->u.map.entries[i].key, false));
            FL_TRY(fl_buf_append_str(out, ": "));
            FL_TRY(to_text(out, v->u.map.entries[i].value, depth + 1));
        }
        return fl_buf_append_byte(out, '}');
    case AVRO_UNION: break;
    }
    return fl_buf_append_str(out, "?");
}

int avro_value_to_text(fl_buf *out, const avro_value *v) { return to_text(out, v, 0); }
