/*
 * ice_value.h: Iceberg single values: the JSON single-value serialization
 * (spec Appendix D, used for initial-default / write-default and, later,
 * REST and statistics), ISO-8601 text of dates, times and timestamps, and
 * the binary single-value serialization (manifest bounds, Appendix D).
 *
 * Values are fl_values of the type ice_type_to_fl gives. Strings, binaries,
 * fixed and UUID bytes are copied into the caller's arena.
 *
 * JSON forms: boolean true/false; int/long integers; float/double numbers;
 * decimal a string with exactly `scale` fraction digits ("14.20"); date
 * "2017-11-16"; time "22:31:08.123456"; timestamp "2017-11-16T22:31:08.123456"
 * (no zone); timestamptz the same plus "+00:00"; *_ns with up to nine
 * fraction digits; string as is; uuid lowercase 8-4-4-4-12; fixed and binary
 * hex (lowercase written, either case read). Fractions are written with the
 * fewest digits (none when zero), as Java's ISO formatters do.
 */
#ifndef ICE_VALUE_H
#define ICE_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "../base/type.h"
#include "ice_type.h"

/* Parses a JSON single value of primitive type t; JSON null gives a null
 * value. Nested types are validated (struct by field id, list, map as
 * {"keys": [...], "values": [...]}) and give a non-null value of the nested
 * fl_type with no payload. FLOE_ECORRUPT on a value that does not fit. */
int ice_value_from_json(fl_value *out, const ice_type *t, const json_t *json, fl_arena *arena,
                        fl_error *err);
/* The JSON form of a primitive value (JSON null for a null value), or NULL
 * on OOM. */
json_t *ice_value_to_json(const fl_value *v, const ice_type *t);

/* ISO-8601 text (what JSON uses) into buf (>= 48 bytes); returns length. */
int ice_iso_date(int32_t days, char *buf);
int ice_iso_time(int64_t micros, char *buf);
/* unit_per_second is 1000000 (micros) or 1000000000 (nanos); with_zone
 * appends "+00:00". */
int ice_iso_timestamp(int64_t value, int64_t unit_per_second, bool with_zone, char *buf);

/* Binary single-value serialization of a primitive value (Appendix D). */
int ice_value_to_bytes(fl_buf *out, const fl_value *v, const ice_type *t, fl_error *err);
/* Reads a binary single value; variable-length results borrow `p`. */
int ice_value_from_bytes(fl_value *out, const ice_type *t, const uint8_t *p, size_t len,
                         fl_error *err);

#endif
