/*
 * ice_read.h: reading a table's rows: the data files of a scan plan with
 * their deletes applied, projected onto the scan schema, as fl_column
 * batches.
 *
 * Columns are found in each Parquet file by field id (top-level columns;
 * nested columns are read whole): the file column carrying the field id,
 * else for files written without ids the column the table's name mapping
 * (schema.name-mapping.default) gives that id, else (no ids and no mapping)
 * the column with the field's name. A field missing from the file reads as
 * its identity partition value when the file's spec has an identity field
 * on it (files written without partition columns), else its v3
 * initial-default, else NULL. Values are converted to the schema's types:
 * int -> long, float -> double, decimal precision widening, small ints,
 * timestamp units and zone flags. Struct columns are projected field by
 * field the same way (fields added to a struct later read their
 * initial-default); lists and maps are returned as the file stores them.
 * Variant columns (v3, unshredded) are returned as STRING columns holding
 * the value's JSON text, as there is no in-memory variant type yet.
 *
 * Deletes, per the plan's task:
 *   position delete files   rows (file_path, pos) whose file_path is the
 *                           data file's path;
 *   deletion vectors        the Puffin blob at content_offset /
 *                           content_size_in_bytes: 4-byte big-endian length,
 *                           magic D1 D3 39 64, a portable 64-bit Roaring
 *                           bitmap, CRC-32 (big-endian) of magic + bitmap;
 *   equality deletes        the delete file's equality_ids columns hashed
 *                           row by row (NULL equals NULL); a data row whose
 *                           values on those ids are in the set is deleted.
 * Then the plan's filter is applied to the remaining rows (the whole filter
 * is re-checked rather than a residual from strict projection: simpler and
 * never wrong). For data files without position deletes, the filter's
 * AND-ed comparisons on columns read without conversion also skip Parquet
 * row groups by their statistics (with position deletes every row position
 * must be counted, so nothing is skipped). A caller that evaluates the
 * filter itself, vectorized (the SQL scan), sets caller_filters and the
 * reader then only skips row groups with it.
 *
 * Row ranges (first_row / end_row) cut one file into morsels for several
 * threads: the reader passes the range to the Parquet scan and counts row
 * positions from first_row, so position deletes and deletion vectors hit
 * the same rows as in a whole-file read.
 *
 * Locations: every path in metadata, manifests, delete files and Puffin
 * properties is the writer's. ice_remap_fs wraps an io_fs and rewrites
 * location prefixes (say "s3://bucket/warehouse/t" -> "/local/copy/t"),
 * so fixture tables copied elsewhere read as written. Paths are compared
 * as written (before remapping) when matching deletes to data files.
 */
#ifndef ICE_READ_H
#define ICE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/column.h"
#include "../base/error.h"
#include "../io/io.h"
#include "ice_scan.h"

struct pq_file;

/* ---- location remapping ---- */

/* A filesystem over `inner` (borrowed) that rewrites location prefixes.
 * The longest matching prefix wins; a prefix matches at a path component
 * boundary. Locations matching no prefix pass through. NULL on OOM. */
io_fs *ice_remap_fs_new(io_fs *inner);
/* Adds prefix -> local (both copied). "file:" forms of the prefix match too. */
int ice_remap_fs_add(io_fs *fs, const char *prefix, const char *local, fl_error *err);
/* Maps a location; the result is in arena. */
const char *ice_remap_location(io_fs *fs, const char *location, fl_arena *arena);
/* Maps the table's own prefixes to local_dir: the metadata's "location" and
 * the table root in front of "/metadata/" of every snapshot's manifest
 * list, when those differ (tables whose files were rewritten). */
int ice_remap_fs_add_table(io_fs *fs, const ice_metadata *md, const char *local_dir,
                           fl_error *err);

/* ---- reading ---- */

typedef struct ice_read_opts {
    const int32_t *field_ids;          /* top-level fields of plan->schema to return;
                                          NULL = all top-level fields in order */
    size_t field_count;
    size_t batch_rows;                 /* 0 = 2048 */
    bool ignore_deletes;               /* for tests: read data files as they are */
    /* for the SQL engine's table scan (src/exec/op/scan.c): */
    bool caller_filters;               /* the caller applies plan->filter exactly itself:
                                          the reader uses it only to skip row groups (files
                                          are pruned by the plan) and returns rows that may
                                          fail it (ice_reader_filtered_rows stays 0) */
    bool borrow_columns;               /* ice_reader_next may hand out the reader's own
                                          columns instead of copies in the caller's arena
                                          (see ice_reader_next) */
    int64_t first_row;                 /* read only rows [first_row, end_row) of every data
                                          file (positions from the file's first row, as
                                          position deletes count them); end_row 0 = to the
                                          end. Meant for a plan of one task: a morsel of a
                                          big file */
    int64_t end_row;
    /* Opens the data file of a task instead of the reader doing it: *out is
     * borrowed (not freed by the reader) and must stay valid until the
     * reader is freed; lets readers of row ranges of one file share one
     * parsed footer (a pq_file CAN be read by several threads). NULL: the
     * reader opens (and frees) the file itself. */
    int (*open_data_file)(void *ctx, const ice_scan_task *task, struct pq_file **out,
                          fl_error *err);
    void *open_ctx;
    bool keep_dictionaries;            /* ice_reader_next_dict may return dictionary-encoded
                                          string/binary columns as dictionaries (see there);
                                          ice_reader_next ignores it */
} ice_read_opts;

typedef struct ice_reader ice_reader;

/* The plan, fs (and opts' arrays) are borrowed and must outlive the reader. */
int ice_reader_new(ice_reader **out, io_fs *fs, const ice_scan_plan *plan,
                   const ice_read_opts *opts, fl_error *err);
/* Output columns: how many and which schema field each is. */
size_t ice_reader_column_count(const ice_reader *r);
const ice_field *ice_reader_column_field(const ice_reader *r, size_t i);
/* The next batch: cols[i] (array of ice_reader_column_count) receives
 * column i with *rows rows, allocated in arena (strings copied there too).
 * *rows == 0 at the end. Batches never have 0 rows otherwise.
 * With opts->borrow_columns the columns are the reader's own instead
 * (arena is not used): the converted file columns when every row of the
 * Parquet batch survives, else a gather of the surviving rows whose
 * strings still point into the Parquet page buffers. They are valid until
 * the next ice_reader_next or ice_reader_free and must not be modified. */
int ice_reader_next(ice_reader *r, fl_arena *arena, fl_column **cols, size_t *rows,
                    fl_error *err);
/*
 * As ice_reader_next (same borrow_columns, caller_filters, row range and
 * delete semantics), but with opts->keep_dictionaries an output column that
 * the Parquet scan returned as a dictionary (pq_scan_next_dict: a flat
 * STRING/BINARY column whose batch rows all come from dictionary pages)
 * and that needs no conversion (a primitive field whose type is the file
 * column's) comes back as dicts[i], with cols[i] NULL; every other column
 * is flat in cols[i] with dicts[i] NULL (missing columns, defaults,
 * promotions, structs, variants). Rows removed by deletes or the reader's
 * filter are removed from the indices (a gather of idx), never by
 * flattening; a dictionary column that is an equality delete key or in a
 * filter the reader evaluates is flattened internally for that only.
 * dicts[i] and its idx are in arena (with borrow_columns: the reader's
 * batch memory, valid until the next call); values is the Parquet scan's
 * and is never copied: it (and its strings) stays valid until the next
 * ice_reader_next_dict or ice_reader_free, and keeps its pointer and id for
 * every batch of the same Parquet column chunk (a consumer may cache per
 * id; a new task or row group brings a new id). Must not be modified.
 */
int ice_reader_next_dict(ice_reader *r, fl_arena *arena, fl_column **cols, fl_dict_column **dicts,
                         size_t *rows, fl_error *err);
/* Rows deleted so far (position, DV and equality deletes) and filtered out. */
int64_t ice_reader_deleted_rows(const ice_reader *r);
int64_t ice_reader_filtered_rows(const ice_reader *r);
/* Parquet row groups skipped by the filter's statistics (only for data
 * files without position deletes, whose row positions must be counted). */
int ice_reader_skipped_row_groups(const ice_reader *r);
void ice_reader_free(ice_reader *r);

/* ---- pieces, exposed for tests ---- */

/* A sorted set of deleted row positions. */
typedef struct ice_posset {
    uint64_t *pos;
    size_t len, cap;
} ice_posset;

void ice_posset_dispose(ice_posset *s);
/* Sorts and removes repeats. */
void ice_posset_finish(ice_posset *s);
bool ice_posset_contains(const ice_posset *s, uint64_t pos);

/* Decodes a portable 64-bit Roaring bitmap (Iceberg's layout: bucket count,
 * then per bucket a 32-bit key and a 32-bit portable Roaring bitmap),
 * appending the positions. FLOE_ECORRUPT on anything malformed. */
int ice_roaring64_decode(ice_posset *out, const uint8_t *p, size_t len, fl_error *err);
/* Decodes a deletion-vector-v1 blob (length, magic, bitmap, CRC). */
int ice_dv_decode(ice_posset *out, const uint8_t *p, size_t len, fl_error *err);

#endif
