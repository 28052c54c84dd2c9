/*
 * csv.h: fast reader for delimited text into typed columns.
 *
 * Configurable delimiter, quote and escape characters, optional header, a
 * NULL string, per-column types. Files ending in .zst or .gz (or starting
 * with their magic bytes) are decompressed on the fly. Large inputs are
 * split into blocks at record boundaries and parsed by the thread pool;
 * batches come back in file order. Malformed rows are an error naming the
 * file, line and column, or, with skip_bad_rows, are skipped and counted.
 *
 * Text to value: integers (range-checked), decimals (exact, rounded to the
 * scale), floating point, booleans (true/false/t/f/1/0/yes/no), dates,
 * times, timestamps (see time.h), strings (validated as UTF-8), binary
 * (as-is), uuid (canonical text form).
 *
 * Threads: one reader is used by one thread; it uses the pool internally.
 */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>

#include "../../base/column.h"
#include "../../io/io.h"

struct fl_pool;

typedef struct csv_opts {
    char delimiter;         /* default ',' */
    char quote;             /* default '"'; 0 = no quoting */
    char escape;            /* default = quote (doubled quotes); e.g. '\\' */
    bool header;            /* first line holds names (skipped); default false */
    const char *null_str;   /* field text meaning NULL; default "" (empty, unquoted) */
    bool skip_bad_rows;     /* skip and count malformed rows instead of failing */
    bool allow_trailing_delimiter;  /* "a|b|" as dsdgen writes: default true */
    size_t batch_rows;      /* rows per batch; 0 = 2048 */
    struct fl_pool *pool;   /* optional: parse blocks in parallel */
} csv_opts;

void csv_opts_init(csv_opts *opts);

typedef struct csv_reader csv_reader;

/* Opens a local file. types[n_columns] are the column types (non-nested);
 * names may be NULL. */
int csv_reader_open(csv_reader **out, const char *path, const fl_type *types, int n_columns,
                    const csv_opts *opts, fl_error *err);
/* Next batch: cols[n_columns] allocated in arena; *rows = 0 at the end.
 * String values live in arena. */
int csv_reader_next(csv_reader *r, fl_arena *arena, fl_column **cols, size_t *rows, fl_error *err);
/* Rows skipped as malformed so far. */
int64_t csv_reader_bad_rows(const csv_reader *r);
/* Data rows returned so far. */
int64_t csv_reader_rows(const csv_reader *r);
void csv_reader_free(csv_reader *r);

#endif
