/*
 * render.h: rows of decoded columns as CSV fields and JSON values for the
 * CLI, on top of value_text.h (the one rendering of values: DuckDB's text
 * style for CSV and statistics, its JSON style for `cat --format json`).
 *
 * CSV: NULL is an empty field; a field is quoted when it holds the
 * delimiter, a quote or CR/LF, and an empty string is quoted ("") so that it
 * differs from NULL; nested values are their text rendering in one field.
 */
#ifndef CLI_RENDER_H
#define CLI_RENDER_H

#include <stddef.h>

#include "../base/buf.h"
#include "../base/column.h"
#include "../base/type.h"

/* Appends the JSON form of row `row` of col. 0 or FLOE_ENOMEM. */
int render_json_value(fl_buf *out, const fl_column *col, size_t row);
/* Appends a JSON string literal for the UTF-8 text p[len]. */
int render_json_string(fl_buf *out, const char *p, size_t len);
/* Appends one CSV field; scratch is a caller-owned buffer reused between calls. */
int render_csv_field(fl_buf *out, fl_buf *scratch, const fl_column *col, size_t row, char delimiter);
/* Appends the text of a scalar in DuckDB's style (statistics). */
int render_scalar_text(fl_buf *out, const fl_value *v);

#endif
