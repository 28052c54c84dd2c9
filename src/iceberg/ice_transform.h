/*
 * ice_transform.h: Iceberg partition transforms (spec "Partition
 * Transforms", "Bucket Transform Details", "Truncate Transform Details",
 * Appendix B): identity, bucket[N], truncate[W], year, month, day, hour and
 * void; their source and result types; applying one to a value; and the
 * 32-bit Murmur3 hash behind bucket[N].
 *
 * A transform string this code does not know ("zorder", "bucket[x]") parses
 * as ICE_TRANSFORM_UNKNOWN and keeps its text, as v3 readers must accept
 * them (they are then ignored for filtering). A known transform with a bad
 * parameter (bucket[0], truncate[-1]) is an error.
 *
 * Values are fl_values (see type.h). Results: identity and truncate keep the
 * source type; bucket, year, month and hour give int (FL_TYPE_INT32); day
 * gives date; void gives null of the source type. Time transforms count
 * whole units from 1970-01-01 with floor division, so 1969-12-31 is day -1,
 * month -1, year -1. Truncated strings and binaries borrow the input bytes.
 */
#ifndef ICE_TRANSFORM_H
#define ICE_TRANSFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../base/type.h"
#include "ice_type.h"

typedef enum ice_transform_kind {
    ICE_TRANSFORM_IDENTITY = 0,
    ICE_TRANSFORM_BUCKET,
    ICE_TRANSFORM_TRUNCATE,
    ICE_TRANSFORM_YEAR,
    ICE_TRANSFORM_MONTH,
    ICE_TRANSFORM_DAY,
    ICE_TRANSFORM_HOUR,
    ICE_TRANSFORM_VOID,
    ICE_TRANSFORM_UNKNOWN,
} ice_transform_kind;

typedef struct ice_transform {
    ice_transform_kind kind;
    int32_t param;              /* N of bucket[N], W of truncate[W] */
    const char *text;           /* the original string (UNKNOWN only; else NULL) */
} ice_transform;

/* Parses a transform string; unknown names give ICE_TRANSFORM_UNKNOWN. */
int ice_transform_parse(ice_transform *out, const char *s, fl_arena *arena, fl_error *err);
/* "identity", "bucket[16]", "truncate[3]", ...; returns the length. */
int ice_transform_format(const ice_transform *t, char *buf, size_t cap);
static inline ice_transform ice_transform_make(ice_transform_kind kind, int32_t param)
{
    ice_transform t = {kind, param, NULL};
    return t;
}

/* Whether the transform accepts values of the source type (per the table). */
bool ice_transform_can_apply(const ice_transform *t, const ice_type *source);
/* The result type; FLOE_EINVAL when the transform cannot take the source
 * type. Unknown transforms give string, as in Iceberg Java. */
int ice_transform_result_type(const ice_type **out, const ice_transform *t,
                              const ice_type *source, fl_error *err);
/* Whether the transform keeps order (identity, truncate, year..hour):
 * a <= b implies f(a) <= f(b). */
bool ice_transform_preserves_order(const ice_transform *t);

/* Applies the transform to a value of the source type. Null in, null out. */
int ice_transform_apply(fl_value *out, const ice_transform *t, const ice_type *source,
                        const fl_value *in, fl_error *err);

/* The Appendix B hash of a non-null value of type t (int and long hash
 * alike, nanosecond timestamps hash as microseconds, floats as doubles with
 * -0 and NaN canonicalised). FLOE_EUNSUPPORTED for types without a hash. */
int ice_hash_value(int32_t *out, const ice_type *t, const fl_value *v, fl_error *err);
/* (hash & INT32_MAX) % n */
static inline int32_t ice_bucket_of_hash(int32_t hash, int32_t n)
{
    return (int32_t)(((uint32_t)hash & 0x7fffffffu) % (uint32_t)n);
}

/* Time transform helpers on the spec's units (floor division). */
int32_t ice_year_of_days(int32_t days);     /* years from 1970 */
int32_t ice_month_of_days(int32_t days);    /* months from 1970-01 */
int64_t ice_floor_div(int64_t a, int64_t b);

#endif
