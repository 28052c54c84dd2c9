/*
 * ice_schema.h: Iceberg schemas: a struct type with a schema-id and
 * identifier-field-ids, plus an index built once at construction so that
 * fields can be found by id and by dotted name.
 *
 * Names follow Iceberg Java's index: a nested field's full name joins the
 * path with dots ("location.lat"), list elements are "<list>.element",
 * map keys and values "<map>.key" / "<map>.value"; fields of a struct inside
 * a list element or map value also answer to the short name that leaves
 * out "element" / "value" ("points.x" for "points.element.x").
 * Case-insensitive lookup compares ASCII case-folded names and fails when
 * two fields then match.
 *
 * The JSON form is the struct's ("type": "struct", "fields") with
 * "schema-id" and "identifier-field-ids" (spec Appendix C). A schema and
 * its index live in the arena given to the constructor.
 */
#ifndef ICE_SCHEMA_H
#define ICE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "ice_type.h"

typedef struct ice_schema_entry {
    int32_t id;
    int32_t parent_id;            /* -1 for top-level fields */
    const char *name;             /* full dotted name */
    const char *short_name;       /* without element/value segments; == name when none */
    const ice_field *field;
} ice_schema_entry;

typedef struct ice_schema {
    int32_t schema_id;
    const ice_type *type;         /* ICE_TYPE_STRUCT */
    int32_t *identifier_field_ids;
    size_t identifier_count;
    ice_schema_entry *index;      /* every field, sorted by id */
    size_t index_count;
    int32_t highest_field_id;     /* 0 for an empty schema */
} ice_schema;

/* Builds a schema around a struct type (borrowed: it must outlive the
 * schema). Fails with FLOE_ECORRUPT on duplicate field ids or full names,
 * or identifier ids that are not primitive required fields of the schema. */
int ice_schema_new(ice_schema **out, int32_t schema_id, const ice_type *struct_type,
                   const int32_t *identifier_field_ids, size_t identifier_count,
                   fl_arena *arena, fl_error *err);

/* Parses a schema object. A missing "schema-id" (v1) reads as 0. */
int ice_schema_from_json(ice_schema **out, const json_t *json, fl_arena *arena, fl_error *err);
/* The JSON object (new reference), or NULL on OOM. */
json_t *ice_schema_to_json(const ice_schema *schema);

const ice_schema_entry *ice_schema_find_id(const ice_schema *schema, int32_t id);
/* Looks up a full or short dotted name. FLOE_ENOTFOUND when absent,
 * FLOE_EINVAL when a case-insensitive name is ambiguous. */
int ice_schema_find_name(const ice_schema_entry **out, const ice_schema *schema,
                         const char *name, bool case_sensitive, fl_error *err);

/* Same fields, ids, defaults and identifier ids (schema-id is ignored). */
bool ice_schema_same_structure(const ice_schema *a, const ice_schema *b);

#endif
