/*
 * ice_type.h: Iceberg data types (spec "Schemas and Data Types") as a tree
 * of nodes: primitives (with decimal precision/scale, fixed length and the
 * v3 geospatial parameters), the v3 semi-structured `variant` and `unknown`,
 * and the nested struct, list and map whose fields carry ids, names,
 * required flags, docs and (v3) initial-default / write-default values.
 *
 * JSON follows the spec's Appendix C exactly: primitives are strings
 * ("decimal(9,2)", "fixed[16]", "timestamptz_ns", "geography(srid:4326,
 * spherical)"), nested types objects with "type": "struct" / "list" / "map".
 * Parsing accepts optional whitespace inside parameterised type strings;
 * writing emits the canonical forms. Defaults use the JSON single-value
 * serialization (Appendix D, see ice_value.h).
 *
 * Every node lives in the arena passed to the parser; nothing is freed
 * separately. Types are immutable once built.
 */
#ifndef ICE_TYPE_H
#define ICE_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../base/type.h"

typedef enum ice_type_id {
    ICE_TYPE_INVALID = 0,
    ICE_TYPE_UNKNOWN,          /* v3: always null */
    ICE_TYPE_BOOLEAN,
    ICE_TYPE_INT,
    ICE_TYPE_LONG,
    ICE_TYPE_FLOAT,
    ICE_TYPE_DOUBLE,
    ICE_TYPE_DECIMAL,
    ICE_TYPE_DATE,
    ICE_TYPE_TIME,
    ICE_TYPE_TIMESTAMP,
    ICE_TYPE_TIMESTAMPTZ,
    ICE_TYPE_TIMESTAMP_NS,
    ICE_TYPE_TIMESTAMPTZ_NS,
    ICE_TYPE_STRING,
    ICE_TYPE_UUID,
    ICE_TYPE_FIXED,
    ICE_TYPE_BINARY,
    ICE_TYPE_VARIANT,          /* v3, opaque here */
    ICE_TYPE_GEOMETRY,         /* v3, opaque here (WKB) */
    ICE_TYPE_GEOGRAPHY,        /* v3, opaque here (WKB) */
    ICE_TYPE_STRUCT,
    ICE_TYPE_LIST,
    ICE_TYPE_MAP,
    ICE_TYPE__COUNT
} ice_type_id;

typedef struct ice_type ice_type;

/* A struct field, list element, or map key/value. */
typedef struct ice_field {
    int32_t id;
    const char *name;            /* "element", "key", "value" for list/map children */
    bool required;
    const ice_type *type;
    const char *doc;             /* NULL when absent */
    /* v3 defaults (struct fields only). has_* is false when the member is
     * absent; a JSON null default is has_* with value.is_null. For nested
     * types the value's type id is FL_TYPE_STRUCT/LIST/MAP and only the
     * JSON text is meaningful. */
    bool has_initial_default;
    bool has_write_default;
    fl_value initial_default;
    fl_value write_default;
    const char *initial_default_json;  /* compact JSON text, NULL when absent */
    const char *write_default_json;
} ice_field;

struct ice_type {
    ice_type_id id;
    int32_t precision;           /* DECIMAL */
    int32_t scale;               /* DECIMAL */
    int64_t length;              /* FIXED */
    const char *crs;             /* GEOMETRY/GEOGRAPHY; NULL = default OGC:CRS84 */
    const char *algorithm;       /* GEOGRAPHY; NULL = default spherical */
    ice_field *fields;           /* STRUCT: field_count fields; LIST: [element]; MAP: [key, value] */
    size_t field_count;
};

/* Statically allocated primitive types (no parameters). */
const ice_type *ice_type_primitive(ice_type_id id);
/* New parameterised types in arena (NULL on OOM). */
ice_type *ice_type_new_decimal(fl_arena *arena, int32_t precision, int32_t scale);
ice_type *ice_type_new_fixed(fl_arena *arena, int64_t length);

static inline bool ice_type_is_nested(const ice_type *t)
{
    return t->id == ICE_TYPE_STRUCT || t->id == ICE_TYPE_LIST || t->id == ICE_TYPE_MAP;
}
static inline bool ice_type_is_primitive(const ice_type *t)
{
    return !ice_type_is_nested(t) && t->id != ICE_TYPE_VARIANT;
}
static inline const ice_field *ice_type_list_element(const ice_type *t) { return &t->fields[0]; }
static inline const ice_field *ice_type_map_key(const ice_type *t) { return &t->fields[0]; }
static inline const ice_field *ice_type_map_value(const ice_type *t) { return &t->fields[1]; }

/* The struct field with this id among the direct children, or NULL. */
const ice_field *ice_type_struct_field(const ice_type *t, int32_t id);

/* "int", "decimal", "struct", ... (no parameters). */
const char *ice_type_id_name(ice_type_id id);
/* Canonical type string into buf: "decimal(9,2)", "fixed[16]", "struct".
 * Returns the length (truncated output if cap is too small). */
int ice_type_format(const ice_type *t, char *buf, size_t cap);
/* Parses a primitive type string (Appendix C spelling, whitespace allowed
 * around parameters). FLOE_ECORRUPT for anything else. */
int ice_type_parse_primitive(const ice_type **out, const char *s, fl_arena *arena,
                             fl_error *err);

/* Parses a type from its JSON form (string or nested object). */
int ice_type_from_json(const ice_type **out, const json_t *json, fl_arena *arena,
                       fl_error *err);
/* Parses the "fields" array of a struct object (also used for schemas). */
int ice_type_struct_from_json(ice_type **out, const json_t *obj, fl_arena *arena,
                              fl_error *err);
/* The JSON form of a type (new reference), or NULL on OOM. */
json_t *ice_type_to_json(const ice_type *t);
/* Appends the members of a struct type ("type": "struct", "fields") to obj. */
int ice_type_struct_fields_to_json(json_t *obj, const ice_type *t);

/* Structural equality: ids, names, required flags, docs, defaults, params. */
bool ice_type_equal(const ice_type *a, const ice_type *b);

/* The in-memory type for values of an Iceberg type: int -> INT32,
 * long -> INT64, unknown -> NULL, geometry/geography -> BINARY (WKB),
 * nested -> STRUCT/LIST/MAP. FLOE_EUNSUPPORTED for variant. */
int ice_type_to_fl(fl_type *out, const ice_type *t, fl_error *err);

#endif
