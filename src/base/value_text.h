/*
 * value_text.h: values and column rows as text: DuckDB's rendering (what
 * `floe parquet cat` prints and what the corpus tests compare against DuckDB's
 * expected output), JSON, CSV field quoting, and parsing text into a value.
 *
 * Text style ("duckdb"), per type:
 *   NULL                 NULL
 *   BOOL                 true / false (True / False with FL_TEXT_BOOL_CAPITALIZED, top level only)
 *   integers             decimal digits
 *   FLOAT, DOUBLE        shortest text that reads back to the same value, laid
 *                        out as DuckDB (and Python's repr) do: 0.1, 1.0, 42.125,
 *                        1e-05, 1e+16; nan, inf, -inf
 *   DECIMAL(p,s)         exactly s fraction digits: 1.00, -0.05
 *   DATE                 2024-01-31; years <= 0 as DuckDB: 0001-01-01 (BC)
 *   TIME                 13:45:00[.fraction without trailing zeros]
 *   TIMESTAMP[_NS]       2024-01-31 13:45:00[.fraction]
 *   TIMESTAMPTZ[_NS]     2024-01-31 13:45:00+00 (UTC)
 *   STRING               as is
 *   BINARY, FIXED        printable ASCII as is; other bytes and \ ' " as \xNN (uppercase hex)
 *   UUID                 8-4-4-4-12 lowercase hex
 *   LIST                 [1, 2, NULL]
 *   STRUCT               {'a': 1, 'b': text}
 *   MAP                  {k1=1, k2=NULL}
 * Strings inside nested values are quoted with '...' (\' and \\ escaped) only
 * when DuckDB >= 1.2 would: empty, "null" in any case, leading or trailing
 * whitespace, or one of " ' ( ) , : = [ ] { } \ inside. FL_TEXT_NESTED_RAW_STRINGS
 * turns that off (DuckDB < 1.2, as in the parquet-testing expected files).
 *
 * JSON style: null, true/false, numbers bare (decimals with their scale,
 * NaN and infinities as the strings "NaN", "Infinity", "-Infinity", which
 * JSON numbers cannot express), dates, times, timestamps and UUIDs as quoted
 * strings in the text style above, strings JSON-escaped, BINARY and FIXED as
 * quoted uppercase hex ("0A1BFF", the Iceberg single-value JSON form), LIST
 * as an array, STRUCT as an object, MAP as an object whose keys are the keys'
 * text renderings. Output is compact: [1,2] and {"a":1}.
 *
 * Renderers append to an fl_buf and return 0 or FLOE_ENOMEM.
 */
#ifndef FL_VALUE_TEXT_H
#define FL_VALUE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "column.h"
#include "error.h"
#include "type.h"

typedef enum fl_text_format {
    FL_TEXT_DUCKDB = 0,
    FL_TEXT_JSON = 1,
} fl_text_format;

/* Flags for the text style (ignored by JSON unless noted). */
#define FL_TEXT_BOOL_CAPITALIZED 0x01u    /* top-level True/False (sqllogictest files) */
#define FL_TEXT_FLOAT_AS_DOUBLE 0x02u     /* FLOAT via its double: 1.100000023841858 (also JSON) */
#define FL_TEXT_NESTED_RAW_STRINGS 0x04u  /* never quote strings inside LIST/STRUCT/MAP */

typedef struct fl_text_style {
    fl_text_format format;
    unsigned flags;
    const char *null_text;   /* top-level NULL; NULL pointer = "NULL" (text) / "null" (JSON) */
} fl_text_style;

/* A style with no flags and the default NULL spelling. */
fl_text_style fl_text_style_make(fl_text_format format, unsigned flags);

/* Appends one scalar value (nested types cannot be fl_values: use the column form). */
int fl_value_render(fl_buf *out, const fl_value *v, const fl_text_style *style);
/* Appends row `row` of a column, recursing into STRUCT, LIST and MAP. */
int fl_column_render(fl_buf *out, const fl_column *col, size_t row, const fl_text_style *style);

/* Shortest round-trip text of a double / float in DuckDB's layout into buf
 * (>= 32 bytes), NUL-terminated; returns the length. */
int fl_format_double(double v, char *buf);
int fl_format_float(float v, char *buf);

/*
 * Appends a CSV field: as is, or enclosed in `quote` with embedded quotes
 * doubled when it contains the delimiter, the quote, CR or LF (or is empty
 * and `quote_empty`, so that it reads back as "" rather than NULL).
 */
int fl_csv_append_field(fl_buf *out, const char *s, size_t len, char delim, char quote,
                        bool quote_empty);

/*
 * Parses text into a value of `type` (every non-nested type). Strings,
 * binaries and the like borrow `s`. Booleans: true/false/t/f/yes/no/y/n/1/0
 * (any case); integers with an optional sign, range-checked; floats via
 * strtod (also nan, inf, infinity); decimals via fl_decimal_parse; dates,
 * times and timestamps via time.h (a zone, when present, converts the value
 * to UTC, as DuckDB does for both TIMESTAMP and TIMESTAMPTZ); UUID in
 * 8-4-4-4-12 hex (any case); BINARY and FIXED take the bytes as they are
 * (FIXED must have exactly its length). Surrounding spaces are ignored for
 * every type except STRING, BINARY and FIXED.
 * For UUID the 16 bytes are written into `scratch` (>= 16 bytes), which the
 * value then borrows. Errors: FLOE_EINVAL (malformed), FLOE_ERANGE.
 */
int fl_value_parse_text(fl_value *out, fl_type type, const char *s, size_t len, uint8_t *scratch,
                        fl_error *err);

/*
 * Compares two renderings loosely, as DuckDB's sqllogictest runner does when
 * it compares a result with an expected file: runs of text must match
 * exactly except for case in true/false, and numbers are compared by value
 * (so 1.000000 equals 1.0 and 1.100000023841858 equals 1.1 when `float_tol`
 * allows a relative error; pass 0 for exact value equality).
 */
bool fl_text_loose_eq(const char *a, size_t alen, const char *b, size_t blen, double float_tol);

#endif
