/*
 * ice_json.h: small helpers over jansson for the Iceberg JSON forms
 * (table metadata, schemas, partition specs, sort orders, name mappings).
 *
 * Readers fetch one member of a JSON object with the type and presence
 * checks the spec requires and turn every violation into an FLOE_ECORRUPT
 * error naming the member and the object it belongs to ("what"), e.g.
 * `table metadata field "last-column-id" must be an integer`. A JSON null
 * counts as absent for optional members, as Iceberg Java reads them.
 * Strings are copied into the caller's arena.
 *
 * Writers add members to an object under construction and report
 * FLOE_ENOMEM when jansson fails to allocate.
 */
#ifndef ICE_JSON_H
#define ICE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/error.h"

/* A string key/value pair (properties, snapshot summaries). */
typedef struct ice_kv {
    const char *key;
    const char *value;
} ice_kv;

/* ---- reading ---- */

/* The member, or NULL when absent or JSON null. */
const json_t *ice_json_member(const json_t *obj, const char *key);

int ice_json_req_i64(const json_t *obj, const char *key, int64_t *out, const char *what,
                     fl_error *err);
int ice_json_req_i32(const json_t *obj, const char *key, int32_t *out, const char *what,
                     fl_error *err);
/* *present tells whether the member was there (out untouched otherwise). */
int ice_json_opt_i64(const json_t *obj, const char *key, int64_t *out, bool *present,
                     const char *what, fl_error *err);
int ice_json_opt_i32(const json_t *obj, const char *key, int32_t *out, bool *present,
                     const char *what, fl_error *err);
int ice_json_req_bool(const json_t *obj, const char *key, bool *out, const char *what,
                      fl_error *err);
int ice_json_opt_bool(const json_t *obj, const char *key, bool *out, bool *present,
                      const char *what, fl_error *err);
/* Copies the string into arena; optional strings are NULL when absent. */
int ice_json_req_str(const json_t *obj, const char *key, fl_arena *arena, const char **out,
                     const char *what, fl_error *err);
int ice_json_opt_str(const json_t *obj, const char *key, fl_arena *arena, const char **out,
                     const char *what, fl_error *err);
/* Array / object members; optional ones are NULL when absent. */
int ice_json_req_array(const json_t *obj, const char *key, const json_t **out, const char *what,
                       fl_error *err);
int ice_json_opt_array(const json_t *obj, const char *key, const json_t **out, const char *what,
                       fl_error *err);
int ice_json_opt_object(const json_t *obj, const char *key, const json_t **out,
                        const char *what, fl_error *err);
/* An array of integers (identifier-field-ids, source-ids, blob fields). */
int ice_json_i32_array(const json_t *arr, fl_arena *arena, int32_t **out, size_t *count,
                       const char *what, fl_error *err);
/* The "source-id" or "source-ids" member of a partition or sort field (j):
 * *first is the first source, *ids (arena) and *count all of them, *multi
 * whether "source-ids" was used. kind ("partition field", "sort field")
 * and name (or NULL) name the field in errors, what in member errors. */
int ice_json_source_ids(const json_t *j, fl_arena *arena, const char *kind, const char *name,
                        const char *what, int32_t *first, const int32_t **ids, size_t *count,
                        bool *multi, fl_error *err);
/* Writes them back: "source-ids" when multi, else "source-id". */
int ice_json_put_source_ids(json_t *obj, bool multi, const int32_t *ids, size_t count, int32_t first);
/* A JSON array of n objects, object i filled by fill(o, ctx, i) (0 or a
 * negative status); NULL when out of memory. */
json_t *ice_json_objects(const void *ctx, size_t n, int (*fill)(json_t *o, const void *ctx, size_t i));
/* A JSON object of strings, kept in the file's order. */
int ice_json_str_map(const json_t *obj, fl_arena *arena, ice_kv **out, size_t *count,
                     const char *what, fl_error *err);
/* A JSON integer value as int64 (rejects reals, strings, ...). */
bool ice_json_as_i64(const json_t *v, int64_t *out);

/*
 * Parses JSON text with jansson. Integers between INT64_MAX and UINT64_MAX
 * (which jansson rejects) are read as the int64 with the same 64 bits, the
 * way Avro and DuckDB see such ids (hand-made metadata writes snapshot ids
 * as unsigned). On failure sets FLOE_ECORRUPT naming `what`, the line and
 * column. flags are jansson's decoding flags.
 */
int ice_json_loadb(json_t **out, const char *text, size_t len, size_t flags, const char *what,
                   fl_error *err);

/* ---- writing ---- */

/* Each sets obj[key]; the new value is consumed. FLOE_ENOMEM on failure
 * (also when value is NULL, jansson's allocation failure signal). */
int ice_json_put(json_t *obj, const char *key, json_t *value);
int ice_json_put_i64(json_t *obj, const char *key, int64_t v);
int ice_json_put_str(json_t *obj, const char *key, const char *s);
int ice_json_put_bool(json_t *obj, const char *key, bool v);
int ice_json_append(json_t *arr, json_t *value);
/* A new JSON object of strings from pairs, or NULL on OOM. */
json_t *ice_json_from_str_map(const ice_kv *kv, size_t count);
json_t *ice_json_from_i32_array(const int32_t *v, size_t count);

#endif
