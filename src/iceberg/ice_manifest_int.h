/*
 * ice_manifest_int.h: helpers shared by the manifest reader, the manifest
 * writer and the manifest-list code (not a public contract): conversion of
 * partition values between Avro and fl_value, the Avro type of an Iceberg
 * partition field, header-key parsing, and a byte-counting io_writer
 * wrapper (a manifest-list entry needs the manifest's length).
 */
#ifndef ICE_MANIFEST_INT_H
#define ICE_MANIFEST_INT_H

#include "ice_manifest.h"

/* A non-null or null Avro datum as a value of Iceberg type t (partition
 * values: int/long/float/double/boolean/string/bytes/fixed/decimal, with
 * Avro promotions). Variable-length values borrow the datum's bytes. */
int ice_mf_avro_to_value(fl_value *out, const ice_type *t, const avro_value *v, fl_error *err);
/* Encodes a partition value as the Avro type ice_mf_avro_type_json gives
 * (inside a ["null", X] union; null takes branch 0). */
int ice_mf_encode_value(fl_buf *out, const ice_type *t, const fl_value *v, fl_error *err);
/* Appends the Avro type JSON of an Iceberg primitive type. `defined`
 * (may be NULL) collects the named types already defined in the schema
 * being built, so a repeated fixed type is written as a name reference. */
int ice_mf_avro_type_json(fl_buf *out, const ice_type *t, fl_buf *defined, fl_error *err);
/* Big-endian two's complement bytes of an unscaled decimal, minimal for
 * the precision (Java's TypeUtil.decimalRequiredBytes). */
int ice_mf_decimal_bytes(int precision);

/* Appends s as a JSON string literal. */
int ice_mf_json_str(fl_buf *out, const char *s);

/* An io_writer that forwards to `inner` and counts bytes; close/abort
 * forward and free the wrapper, leaving the count in *count_out. */
int ice_mf_counting_writer(io_writer **out, io_writer *inner, uint64_t *count_out,
                           fl_error *err);

#endif
