/*
 * ice_partition.h: Iceberg partition specs (spec "Partitioning", Appendix C
 * "Partition Specs"): fields with source id(s), partition field id, name and
 * transform; the partition tuple's struct type; and partition paths as
 * Iceberg Java writes them ("ts_day=2017-11-16/id_bucket=3").
 *
 * JSON: a spec object {"spec-id", "fields": [...]}, each field
 * {"name", "transform", "source-id" | "source-ids", "field-id"}. v1 specs
 * (and the deprecated "partition-spec" list) may omit "field-id": fields are
 * then numbered from 1000 in order, as the reference implementation did.
 *
 * Human-readable values (ice_partition_human) follow Java's
 * Transform.toHumanString: year "2017", month "2017-11", day "2017-11-16",
 * hour "2017-11-16-22", dates/times/timestamps in java.time's ISO text,
 * binary and fixed in base64, null as "null". Paths URL-encode names and
 * values as java.net.URLEncoder does (UTF-8, space as '+').
 */
#ifndef ICE_PARTITION_H
#define ICE_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "ice_schema.h"
#include "ice_transform.h"

/* First partition field id (v1 assignment and new tables). */
#define ICE_PARTITION_DATA_ID_START 1000

typedef struct ice_partition_field {
    int32_t source_id;           /* == source_ids[0] */
    const int32_t *source_ids;   /* v3 multi-argument transforms */
    size_t source_count;         /* 1 unless "source-ids" was used */
    bool multi_source;           /* written as "source-ids" */
    int32_t field_id;
    const char *name;
    ice_transform transform;
} ice_partition_field;

typedef struct ice_partition_spec {
    int32_t spec_id;
    ice_partition_field *fields;
    size_t field_count;
} ice_partition_spec;

/* Parses a spec object. */
int ice_partition_spec_from_json(ice_partition_spec **out, const json_t *json, fl_arena *arena,
                                 fl_error *err);
/* Parses a bare field list (v1 "partition-spec") as spec `spec_id`. */
int ice_partition_fields_from_json(ice_partition_spec **out, int32_t spec_id, const json_t *arr,
                                   fl_arena *arena, fl_error *err);
json_t *ice_partition_spec_to_json(const ice_partition_spec *spec);
json_t *ice_partition_fields_to_json(const ice_partition_spec *spec);

/* No fields, or only void transforms. */
bool ice_partition_spec_is_unpartitioned(const ice_partition_spec *spec);
/* Same fields: source ids, transforms and names (spec "equivalent"). */
bool ice_partition_spec_equivalent(const ice_partition_spec *a, const ice_partition_spec *b);
/* Same spec id and fields including field ids. */
bool ice_partition_spec_equal(const ice_partition_spec *a, const ice_partition_spec *b);
/* Highest partition field id, or ICE_PARTITION_DATA_ID_START - 1 when none. */
int32_t ice_partition_spec_last_field_id(const ice_partition_spec *spec);

/* The partition tuple type: a struct of optional fields (partition field
 * ids and names, transform result types). Fails when a source id is not in
 * the schema or the transform does not apply to its type. Fields with a
 * source column that is gone or an unknown transform become strings when
 * `lenient` (readers), errors otherwise (writers). */
int ice_partition_type(const ice_type **out, const ice_partition_spec *spec,
                       const ice_schema *schema, bool lenient, fl_arena *arena, fl_error *err);

/* Appends the human-readable text of a partition value of `result_type`
 * produced by transform t. */
int ice_partition_human(fl_buf *out, const ice_transform *t, const ice_type *result_type,
                        const fl_value *value, fl_error *err);
/* Appends "name=value/name=value" for a partition tuple (values in spec
 * field order), URL-encoded. */
int ice_partition_path(fl_buf *out, const ice_partition_spec *spec, const ice_type *partition_type,
                       const fl_value *values, fl_error *err);
/* Appends s URL-encoded as java.net.URLEncoder (UTF-8) does. */
int ice_url_encode(fl_buf *out, const char *s, size_t len);

/* Java's Double.toString / Float.toString text into buf (>= 32 bytes). */
int ice_java_double_string(double v, char *buf);
int ice_java_float_string(float v, char *buf);

#endif
