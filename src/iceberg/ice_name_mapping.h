/*
 * ice_name_mapping.h: Iceberg name mappings (spec Appendix C, "Name Mapping
 * Serialization"), the table property schema.name-mapping.default that
 * assigns field ids to columns of data files written without them
 * (migrated Hive tables, files added by name).
 *
 * A mapping is a list of fields, each with a list of names it answers to,
 * an optional field id and optional nested fields (struct members, list
 * "element", map "key"/"value"). Lookups match names exactly, as Java does.
 * Everything lives in the caller's arena.
 */
#ifndef ICE_NAME_MAPPING_H
#define ICE_NAME_MAPPING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/error.h"

typedef struct ice_name_mapping ice_name_mapping;

typedef struct ice_mapped_field {
    bool has_field_id;
    int32_t field_id;
    const char **names;
    size_t name_count;
    const ice_name_mapping *fields;   /* NULL when the field has no children */
} ice_mapped_field;

struct ice_name_mapping {
    ice_mapped_field *fields;
    size_t count;
};

/* The table property holding the default mapping. */
#define ICE_NAME_MAPPING_PROPERTY "schema.name-mapping.default"

int ice_name_mapping_parse(ice_name_mapping **out, const char *json, size_t len,
                           fl_arena *arena, fl_error *err);
int ice_name_mapping_from_json(ice_name_mapping **out, const json_t *json, fl_arena *arena,
                               fl_error *err);
json_t *ice_name_mapping_to_json(const ice_name_mapping *m);

/* The field answering to `name` at this level, or NULL. */
const ice_mapped_field *ice_name_mapping_find(const ice_name_mapping *m, const char *name);
/* Follows a path of names ("location", "lat"), or NULL. */
const ice_mapped_field *ice_name_mapping_find_path(const ice_name_mapping *m,
                                                   const char *const *path, size_t depth);

#endif
