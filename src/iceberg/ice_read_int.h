/*
 * ice_read_int.h: helpers shared by the ice_read_*.c files (not a public
 * interface): value and column conversion, constant columns, row copying
 * and equality-delete key bytes.
 */
#ifndef ICE_READ_INT_H
#define ICE_READ_INT_H

#include "ice_read.h"

/* Converts v in place to target (Iceberg promotions and same-representation
 * relabels); FLOE_ETYPE otherwise. */
int ice_read_convert_value(fl_value *v, fl_type target, fl_error *err);
/* src itself when the type already fits, else a converted copy in arena. */
int ice_read_convert_column(fl_column **out, fl_column *src, fl_type target, fl_arena *arena,
                            fl_error *err);
/* A column of `rows` NULLs of ft (nested: children per the Iceberg type t). */
int ice_read_null_column(fl_column **out, const ice_type *t, fl_type ft, size_t rows,
                         fl_arena *arena, fl_error *err);
/* A column repeating v (NULL or null v: NULLs). */
int ice_read_const_column(fl_column **out, const ice_type *t, fl_type ft, const fl_value *v,
                          size_t rows, fl_arena *arena, fl_error *err);
/* Deep copy of rows idx[0..n) of src into arena. */
int ice_read_take(fl_column **out, const fl_column *src, const uint32_t *idx, size_t n,
                  fl_arena *arena, fl_error *err);
/* Appends the canonical bytes of row `row` (null flag + value). */
int ice_read_key_append(fl_buf *key, const fl_column *col, size_t row);

/* Appends the JSON text of a variant (metadata + value encodings). */
int ice_read_variant_json(fl_buf *out, const uint8_t *metadata, size_t metadata_len, const uint8_t *value,
                          size_t value_len, fl_error *err);
/* A STRING column of JSON text from an unshredded variant column (struct
 * of metadata and value binaries). */
int ice_read_variant_column(fl_column **out, const fl_column *src, fl_arena *arena, fl_error *err);
/* The in-memory type the reader returns for an Iceberg type (variant: STRING
 * holding JSON); false when there is none. */
bool ice_read_fl_type(fl_type *out, const ice_type *t);

#endif
