/*
 * decimal.h: exact decimals as scaled integers: int64 for precision <= 18,
 * fl_int128 (__int128) up to precision 38.
 *
 * A decimal(p,s) value v means v / 10^s. Parsing rounds half away from zero
 * when the input has more fraction digits than the scale and fails with
 * FLOE_ERANGE when the result does not fit the precision. Arithmetic helpers
 * detect overflow instead of wrapping.
 */
#ifndef FL_DECIMAL_H
#define FL_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "type.h"

/* 10^n for 0 <= n <= 38 */
fl_int128 fl_pow10_i128(int n);
/* true if |v| < 10^precision */
bool fl_decimal_fits(fl_int128 v, int precision);

/* Parses "[+-]digits[.digits][e[+-]digits]" into an unscaled value at `scale`.
 * FLOE_EINVAL on malformed text, FLOE_ERANGE on overflow of precision. */
int fl_decimal_parse(const char *s, size_t len, int precision, int scale, fl_int128 *out,
                     fl_error *err);
/* Writes "-123.45" for (-12345, 2) into buf (>= 48 bytes); returns length. */
int fl_decimal_format(fl_int128 v, int scale, char *buf);
/* Changes scale; scaling down rounds half away from zero. FLOE_ERANGE when
 * the result does not fit in `precision` digits. */
int fl_decimal_rescale(fl_int128 v, int from_scale, int to_scale, int precision, fl_int128 *out);
/* Checked arithmetic: false on overflow of 38 digits. */
bool fl_decimal_add(fl_int128 a, fl_int128 b, fl_int128 *out);
bool fl_decimal_mul(fl_int128 a, fl_int128 b, fl_int128 *out);
double fl_decimal_to_double(fl_int128 v, int scale);
/* Big-endian two's complement, minimal length (Parquet/Iceberg/Avro form). */
int fl_decimal_to_be_bytes(fl_int128 v, uint8_t *out /* >= 16 */);  /* returns length */
/* Into exactly `len` bytes, sign-extended (FIXED_LEN_BYTE_ARRAY decimals). */
bool fl_decimal_to_be_fixed(fl_int128 v, uint8_t *out, int len);
bool fl_decimal_from_be_bytes(const uint8_t *p, size_t len, fl_int128 *out);
/* Minimal FIXED length for a precision (Parquet/Iceberg rule). */
int fl_decimal_fixed_len(int precision);

#endif
