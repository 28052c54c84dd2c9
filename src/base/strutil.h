/*
 * strutil.h: small safe string helpers: strict number parsing with range
 * checks (instead of atoi/strtol/strtod), bounded copies, trimming.
 *
 * Parsers take (pointer, length), need no NUL terminator, and accept the
 * whole input or nothing: no leading or trailing spaces (trim first with
 * fl_strv_trim), no trailing junk. Syntax errors are FLOE_EINVAL, values
 * outside the type's range FLOE_ERANGE, with PostgreSQL's messages
 * ("invalid input syntax for type bigint: "12x"").
 */
#ifndef FL_STRUTIL_H
#define FL_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* [+-]?[0-9]+ */
int fl_parse_i64(int64_t *out, const char *s, size_t len, fl_error *err);
int fl_parse_i32(int32_t *out, const char *s, size_t len, fl_error *err);
/* [+]?[0-9]+ */
int fl_parse_u64(uint64_t *out, const char *s, size_t len, fl_error *err);
/* Decimal floating point as strtod reads it in the C locale ("1.5e-3",
 * ".5", "-0", "inf", "infinity", "nan", any case); no hex floats. Overflow
 * is FLOE_ERANGE; underflow rounds to a denormal or zero. */
int fl_parse_double(double *out, const char *s, size_t len, fl_error *err);
/* "true"/"false"/"t"/"f"/"1"/"0"/"yes"/"no"/"on"/"off", any case. */
int fl_parse_bool(bool *out, const char *s, size_t len, fl_error *err);

/* Copies at most cap-1 bytes and a NUL (cap > 0); returns strlen(src), so
 * a result >= cap means it was truncated (strlcpy). */
size_t fl_str_copy(char *dst, size_t cap, const char *src);
bool fl_str_starts_with(const char *s, const char *prefix);
bool fl_str_ends_with(const char *s, const char *suffix);
/* Without leading and trailing ASCII whitespace (space, \t, \n, \r, \v, \f). */
fl_strv fl_strv_trim(fl_strv s);

#endif
