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
 * scale), floating point, booleans (true/false/t/f/1/0/yes/no/y/n, any
 * case), dates, times, timestamps (see time.h), strings (validated as
 * UTF-8), binary (as-is), uuid (canonical text form), fixed(L) (exactly L
 * bytes).
 *
 * NULLs: an unquoted field equal to null_str is NULL; an empty field is
 * NULL for every type but string and binary, where only an unquoted empty
 * field is (and only while null_str is ""): a quoted "" is the empty
 * string. Blank lines are skipped when there is more than one column.
 * Line numbers in errors are physical lines (1-based, header included) of
 * the start of the bad record; columns are 1-based.
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
    /* Added by the csv engineer (compatible extensions): */
    const char *const *column_names;  /* optional n_columns names: errors and fl_column.name */
    size_t block_size;      /* bytes of text per parallel parse block; 0 = 2 MiB */
} csv_opts;

void csv_opts_init(csv_opts *opts);

typedef struct csv_reader csv_reader;

/* Opens a local file. types[n_columns] are the column types (non-nested);
 * opts may be NULL (defaults); names come from opts->column_names. */
int csv_reader_open(csv_reader **out, const char *path, const fl_type *types, int n_columns,
                    const csv_opts *opts, fl_error *err);
/* Reads from any FileIO reader; consumes src (closed by csv_reader_free,
 * or at once on failure). `name` is used in error messages and, ending in
 * .zst or .gz, requires that compression. */
int csv_reader_open_io(csv_reader **out, io_reader *src, const char *name, const fl_type *types,
                       int n_columns, const csv_opts *opts, fl_error *err);
/* Reads data[len] (caller-owned, must outlive the reader). */
int csv_reader_open_mem(csv_reader **out, const char *name, const void *data, size_t len,
                        const fl_type *types, int n_columns, const csv_opts *opts, fl_error *err);
/* Next batch: fills the caller's array cols[n_columns] with columns
 * allocated in arena, at most batch_rows rows; *rows = 0 at the end.
 * String values live in arena. After an error every call returns it. */
int csv_reader_next(csv_reader *r, fl_arena *arena, fl_column **cols, size_t *rows, fl_error *err);
/* Rows skipped as malformed so far. */
int64_t csv_reader_bad_rows(const csv_reader *r);
/* Data rows returned so far. */
int64_t csv_reader_rows(const csv_reader *r);
void csv_reader_free(csv_reader *r);

#endif
