/*
 * render.h: values of decoded columns as text for the CLI: CSV fields and
 * JSON values (nested STRUCT/LIST/MAP included).
 *
 * JSON: booleans and numbers (integers, decimals in exact text, floats in
 * shortest round-trip form) are JSON literals; NaN and infinities, dates,
 * times, timestamps, strings, binary, uuid are JSON strings; NULL is null;
 * a STRUCT is an object, a LIST an array, a MAP an array of
 * {"key": k, "value": v} objects (keys need not be strings or unique).
 * Scalars are rendered as text by value_text.h (the rendering that SQL will
 * use); CSV puts nested values as their JSON text in one quoted field.
 */
#ifndef CLI_RENDER_H
#define CLI_RENDER_H

#include <stddef.h>

#include "../base/buf.h"
#include "../base/column.h"
#include "../base/type.h"

/* Appends the JSON form of row `row` of col. 0 or FLOE_ENOMEM. */
int render_json_value(fl_buf *out, const fl_column *col, size_t row);
/* Appends a JSON string literal for p[len] (invalid UTF-8 becomes U+FFFD). */
int render_json_string(fl_buf *out, const char *p, size_t len);
/* Appends one CSV field: empty for NULL; quoted when it holds the delimiter,
 * a quote, CR/LF, or is an empty string (so "" differs from NULL). */
int render_csv_field(fl_buf *out, const fl_column *col, size_t row, char delimiter);
/* Appends the plain text of a non-NULL scalar (statistics, CSV). */
int render_scalar_text(fl_buf *out, const fl_value *v);

#endif
