/*
 * csv_test_util.h: helpers shared by the CSV reader's unit tests: read a
 * whole input and render every value as text ("1|abc|NULL\n" per row), so
 * tests compare one string with the exact expected content.
 */
#ifndef CSV_TEST_UTIL_H
#define CSV_TEST_UTIL_H

#include <stdint.h>

#include "../../../src/base/buf.h"
#include "../../../src/base/error.h"
#include "../../../src/format/csv/csv.h"

typedef struct csv_result {
    fl_buf text;        /* rendered rows */
    int rc;             /* status of the first failing call, or 0 */
    fl_error err;
    int64_t rows, bad_rows;
    size_t batches, max_batch;
} csv_result;

/* Parses "int,varchar,decimal(7,2)" into types[] (max 64); returns count. */
int ct_types(fl_type *types, const char *spec);
/* Appends the text of value (row) of col to out. */
void ct_render(fl_buf *out, const fl_column *col, size_t row);
/* Reads all of the reader into res (closes the reader). */
void ct_drain(csv_result *res, csv_reader *r, int n_columns);
/* Opens text[len] in memory as `name` with spec types and reads it all. */
void ct_read_mem(csv_result *res, const char *name, const char *text, size_t len,
                 const char *spec, const csv_opts *opts);
void ct_result_dispose(csv_result *res);

#endif
