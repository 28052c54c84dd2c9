/*
 * ice_sort.h: Iceberg sort orders (spec "Sorting", Appendix C "Sort
 * Orders"): an order id (0 is reserved for unsorted) and fields, each a
 * transform of source column(s) with a direction (asc/desc) and a null
 * order (nulls-first/nulls-last). JSON field members are written in Java's
 * order: "transform", "source-id" (or "source-ids"), "direction",
 * "null-order". Everything lives in the caller's arena.
 */
#ifndef ICE_SORT_H
#define ICE_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "ice_transform.h"

typedef struct ice_sort_field {
    ice_transform transform;
    int32_t source_id;           /* == source_ids[0] */
    const int32_t *source_ids;
    size_t source_count;
    bool multi_source;           /* written as "source-ids" */
    bool descending;
    bool nulls_first;
} ice_sort_field;

typedef struct ice_sort_order {
    int32_t order_id;
    ice_sort_field *fields;
    size_t field_count;
} ice_sort_order;

int ice_sort_order_from_json(ice_sort_order **out, const json_t *json, fl_arena *arena,
                             fl_error *err);
json_t *ice_sort_order_to_json(const ice_sort_order *order);
bool ice_sort_order_equal(const ice_sort_order *a, const ice_sort_order *b);
static inline bool ice_sort_order_is_unsorted(const ice_sort_order *o) { return o->field_count == 0; }

#endif
