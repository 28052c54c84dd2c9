/*
 * ice_projection.h: projecting a predicate on a source column through a
 * partition transform into a predicate on the partition field (spec "Scan
 * Planning"): the inclusive projection (if a row matches, its partition
 * matches: used to select files) and the strict projection (if the
 * partition matches, every row in it matches: used for residuals).
 *
 * The rules are Iceberg Java's (ProjectionUtil and each transform's
 * project/projectStrict):
 *   identity       the same predicate on the partition field
 *   bucket[N]      inclusive: = and IN project their buckets, the rest is
 *                  true; strict: != and NOT IN project, the rest is false
 *   truncate, year, month, day, hour (order-preserving):
 *                  inclusive  x < v -> p <= f(v-1)   x <= v -> p <= f(v)
 *                             x > v -> p >= f(v+1)   x >= v -> p >= f(v)
 *                             x = v -> p = f(v)      IN -> IN f(values)
 *                  strict     x < v -> p < f(v)      x <= v -> p < f(v+1)
 *                             x > v -> p > f(v)      x >= v -> p > f(v-1)
 *                             x != v -> p != f(v)    NOT IN -> NOT IN f(values)
 *                  (strings and binaries by truncate: < and <= -> p <= f(v),
 *                  > and >= -> p >= f(v) inclusive; p < f(v), p > f(v) strict;
 *                  startsWith projects to startsWith or =)
 *                  Time transforms also widen for values before 1970 the way
 *                  Java does, to cover files written by versions that rounded
 *                  negative values toward zero.
 *   void, unknown  inclusive true, strict false
 *   IS NULL / NOT NULL project unchanged (but not through void).
 * Where no predicate can be made, the result is ICE_PRED_TRUE (inclusive)
 * or ICE_PRED_FALSE (strict).
 */
#ifndef ICE_PROJECTION_H
#define ICE_PROJECTION_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "../base/type.h"
#include "ice_partition.h"

typedef enum ice_pred_op {
    ICE_PRED_TRUE = 0,
    ICE_PRED_FALSE,
    ICE_PRED_IS_NULL,
    ICE_PRED_NOT_NULL,
    ICE_PRED_IS_NAN,
    ICE_PRED_NOT_NAN,
    ICE_PRED_LT,
    ICE_PRED_LT_EQ,
    ICE_PRED_GT,
    ICE_PRED_GT_EQ,
    ICE_PRED_EQ,
    ICE_PRED_NOT_EQ,
    ICE_PRED_IN,
    ICE_PRED_NOT_IN,
    ICE_PRED_STARTS_WITH,
    ICE_PRED_NOT_STARTS_WITH,
} ice_pred_op;

/* A predicate on one field: `field_id op values`. */
typedef struct ice_pred {
    ice_pred_op op;
    int32_t field_id;
    const fl_value *values;     /* 1 for comparisons, n for IN / NOT IN */
    size_t value_count;
} ice_pred;

/* Projects `pred` (on pf's source column, values of type `source`) onto
 * the partition field pf. Output values are allocated in arena. */
int ice_project_inclusive(ice_pred *out, const ice_pred *pred, const ice_partition_field *pf,
                          const ice_type *source, fl_arena *arena, fl_error *err);
int ice_project_strict(ice_pred *out, const ice_pred *pred, const ice_partition_field *pf,
                       const ice_type *source, fl_arena *arena, fl_error *err);

/* "<=", "in", "startsWith", ... */
const char *ice_pred_op_name(ice_pred_op op);

#endif
