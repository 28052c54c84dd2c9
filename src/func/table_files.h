/*
 * table_files.h: the one reader of raw files (delimited text and Parquet)
 * behind the read_csv / read_parquet table functions (src/func/table_fn.c,
 * executed by src/exec/op/table_fn.c) and external tables (PLAN_GET with
 * source kind EXTERNAL, src/exec/op/scan.c).
 *
 * A file set is a resolved list of files (a glob, a directory or a file;
 * see fn_files_resolve), their format and options, and the columns they
 * hold. Work is cut into morsels: one per Parquet row group, one per text
 * file (a text file is parsed in parallel blocks by the CSV reader itself
 * when given a pool). A morsel reader returns batches of the requested
 * columns with the declared types: CSV fields are converted by the CSV
 * reader (unrequested columns are skipped as raw bytes), Parquet columns
 * are found by name (exact, then ASCII case-insensitive) and cast when the
 * file's type differs from the declared one.
 *
 * Sniffing (fn_files_sniff_csv) follows DuckDB's read_csv auto-detection
 * in spirit: sample the first rows of the first file, pick the delimiter
 * (',', '|', ';', tab) giving a consistent field count, type each column by
 * the first of boolean, bigint, double, date, timestamp that every sampled
 * non-empty value parses as (else varchar), and take the first row as a
 * header when some field of it does not parse as its column's non-varchar
 * type. Columns of a headerless file are named column0, column1, ...
 *
 * Everything lives in the arena given; file handles are closed by the
 * reader's _free.
 */
#ifndef FN_TABLE_FILES_H
#define FN_TABLE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/column.h"
#include "../base/error.h"
#include "../base/threads.h"
#include "../io/io.h"

typedef enum fn_file_format {
    FN_FILE_CSV,
    FN_FILE_PARQUET,
} fn_file_format;

typedef struct fn_files {
    io_fs *fs;                   /* borrowed */
    fn_file_format format;
    const char **paths;          /* sorted */
    size_t path_count;
    /* CSV options */
    char delimiter;
    char quote;
    bool header;
    const char *null_str;
    /* columns */
    const char **column_names;
    fl_type *column_types;
    uint32_t column_count;
} fn_files;

/* Expands a location into files: a glob (*, ?, [..] in any path component;
 * matched per component), a directory (every file under it, recursively,
 * except names starting with '.' or '_') or a file. Files come out sorted.
 * FLOE_ENOTFOUND "no files found that match the pattern \"x\"" when none. */
int fn_files_resolve(const char ***paths, size_t *count, io_fs *fs, const char *location,
                     fl_arena *arena, fl_error *err);

/* The format of a name: "parquet" for *.parquet / *.parq, else csv. */
fn_file_format fn_file_format_of(const char *path);

/* Fills f's columns from the first Parquet file's top-level fields. */
int fn_files_parquet_schema(fn_files *f, fl_arena *arena, fl_error *err);

/* CSV sniffing (see above). delimiter 0 / header_known false: detect. */
int fn_files_sniff_csv(fn_files *f, bool detect_delimiter, bool header_known, fl_arena *arena,
                       fl_error *err);

/* A unit of work: a text file, or row groups [rg_begin, rg_end) of a
 * Parquet file (rg_end 0: all). */
typedef struct fn_morsel {
    uint32_t file;
    int rg_begin, rg_end;
    int64_t rows;                /* Parquet: rows of the row groups; CSV: -1 */
} fn_morsel;

/* Cuts the file set into morsels (opens every Parquet footer). */
int fn_files_morsels(fn_morsel **out, size_t *count, const fn_files *f, fl_arena *arena,
                     fl_error *err);

typedef struct fn_file_reader fn_file_reader;

/* Opens a morsel for columns column_ids[0..n) (indexes into f's columns;
 * n may be 0: batches then only count rows). pool: parse CSV blocks in
 * parallel (may be NULL). f and column_ids are borrowed. */
int fn_file_reader_open(fn_file_reader **out, const fn_files *f, const fn_morsel *m,
                        const uint32_t *column_ids, uint32_t n, fl_pool *pool, fl_error *err);
/* The next batch: cols[0..n) with *rows rows in arena (Parquet strings may
 * borrow the reader's pages until the next call); *rows == 0 at the end. */
int fn_file_reader_next(fn_file_reader *r, fl_arena *arena, fl_column **cols, size_t *rows,
                        fl_error *err);
void fn_file_reader_free(fn_file_reader *r);

/* What read_csv / read_parquet's bind leaves in bind_data (and what the
 * external scan builds): the file set and its morsels. */
typedef struct fn_file_scan {
    fn_files files;
    fn_morsel *morsels;
    size_t morsel_count;
    int64_t estimated_rows;      /* Parquet: exact row count; CSV: -1 */
} fn_file_scan;

/* Sets s->files.paths from locations[0..n) (each resolved by
 * fn_files_resolve, in the order given). s->files.fs must be set. */
int fn_file_scan_resolve(fn_file_scan *s, const char *const *locations, size_t n,
                         fl_arena *arena, fl_error *err);
/* With the paths and options set: fills the columns when none are given
 * (Parquet schema of the first file, or CSV sniffing: delimiter detected
 * when s->files.delimiter is 0, header detected unless header_known), then
 * cuts the morsels. */
int fn_file_scan_prepare(fn_file_scan *s, bool header_known, fl_arena *arena, fl_error *err);

#endif
