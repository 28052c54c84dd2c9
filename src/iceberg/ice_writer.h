/*
 * ice_writer.h: the partitioned data-file writer behind INSERT, CTAS and
 * `floe iceberg append`: rows in, Parquet data files out, one open file per
 * partition of the table's default spec, described as ice_data_files ready
 * for a commit (ice_txn_append, ice_txn_overwrite_files, ...).
 *
 * Rows arrive as batches of fl_columns, one per top-level field of the
 * table's current schema, of the types ice_type_to_fl gives. For every row
 * the default spec's transforms are applied to its source columns (which
 * must be top-level fields) and the row goes to the file of that partition
 * tuple. A file is rolled (closed, a new one opened) once its estimated
 * size reaches the target: bytes already flushed plus the buffered rows'
 * raw size scaled by the compression ratio seen so far; row groups are at
 * most the target size so the estimate corrects itself.
 *
 * Files are written to
 *   <table location>/data/<partition path>/<NNNNN>-<task>-<uuid>-<MMMMM>.parquet
 * (the partition path as Java renders it, "ts_day=2024-01-01/id_bucket=3";
 * nothing for an unpartitioned spec; NNNNN the partition's number in this
 * writer, MMMMM the file's, uuid one per writer, as Java's
 * OutputFileFactory names them) with the table's field ids on every Parquet
 * column, and described from their own footers by ice_metrics_from_parquet.
 *
 * Table properties (Java's names and defaults): write.target-file-size-bytes
 * (512 MiB), write.parquet.compression-codec (zstd),
 * write.parquet.compression-level, write.parquet.row-group-size-bytes
 * (128 MiB), write.parquet.page-size-bytes (1 MiB),
 * write.metadata.metrics.default (truncate(16); "full" keeps whole string
 * bounds).
 *
 * Threads: one writer is driven by one thread (several writers on one table
 * may run in parallel); opts->threads > 1 encodes column chunks on a pool.
 * The table handle is borrowed and must outlive the writer; its metadata
 * must not change (no commit through it) until ice_writer_finish.
 */
#ifndef ICE_WRITER_H
#define ICE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "../base/column.h"
#include "../base/error.h"
#include "../format/parquet/pq_writer.h"
#include "ice_manifest.h"
#include "ice_table.h"

typedef struct ice_writer ice_writer;   /* one per write operation; not thread-safe, one per thread OK */

typedef struct ice_writer_options {
    int64_t target_file_bytes;   /* 0: table property write.target-file-size-bytes, default 512 MiB */
    const char *codec;           /* NULL: write.parquet.compression-codec, default zstd */
    int threads;                 /* > 1: encode column chunks on that many threads */
} ice_writer_options;

/* opts may be NULL. FLOE_EUNSUPPORTED when the default spec partitions by
 * a nested field or the table is format v1. */
int ice_writer_new(ice_writer **out, const ice_table *t, const ice_writer_options *opts,
                   fl_error *err);
/* Appends rows: cols[i] is the column of the table's current schema's i-th
 * top-level field (fl_column from src/base/column.h, types as
 * ice_type_to_fl gives). Computes each row's partition tuple with the
 * default spec's transforms, routes rows to one open Parquet file per
 * partition, rolls files at the target size. A batch of the wrong shape is
 * refused with FLOE_EINVAL; any other failure leaves the writer failed
 * (later calls fail; abort it). */
int ice_writer_write(ice_writer *w, fl_column *const *cols, size_t col_count, size_t row_count,
                     fl_error *err);
/* Closes all files; *files (ice_data_file array with metrics from the
 * footers, partition tuples, spec id, record counts, file sizes) is valid
 * until ice_writer_free. Files that received no rows do not exist. */
int ice_writer_finish(ice_writer *w, const ice_data_file **files, size_t *file_count,
                      fl_error *err);
/* Deletes every file written (for a failed statement) and frees. */
void ice_writer_abort(ice_writer *w);
void ice_writer_free(ice_writer *w);

/* Rows written so far (all files). */
int64_t ice_writer_row_count(const ice_writer *w);

/* The caller writes rows sorted by sort order order_id (of the table's
 * metadata) between rolls: every file then holds sorted rows, and its
 * manifest entry carries sort_order_id = order_id (field 140). */
void ice_writer_set_sort_order(ice_writer *w, int32_t order_id);
/* Closes every open file (they are recorded for ice_writer_finish): later
 * rows go to new files. A sorting caller rolls after each sorted run so no
 * file mixes two runs. */
int ice_writer_roll(ice_writer *w, fl_error *err);

/* ---- pieces shared with the delete-file writer ---- */

/* The Parquet schema of an Iceberg struct type: every node carries its
 * field id; list elements, map keys and values their ids too. In arena. */
int ice_pq_schema(pq_field **out, const ice_type *struct_type, fl_arena *arena, fl_error *err);
/* Copies rows idx[0..n) of src into a new column in arena (string bytes
 * borrowed from src). Nested columns are gathered recursively. */
int ice_column_gather(fl_column **out, const fl_column *src, const uint32_t *idx, size_t n,
                      fl_arena *arena, fl_error *err);
/* Parquet writer options from table properties (codec, level, row group
 * and page sizes); codec overrides the property when not NULL. */
int ice_pq_writer_opts(pq_writer_opts *out, const ice_metadata *md, const char *codec,
                       fl_error *err);
/* The "iceberg.schema" footer entry Iceberg Java writes into data files:
 * key "iceberg.schema", value the schema's compact JSON (in arena). Readers
 * such as icebird use it to find columns by field id. */
int ice_pq_schema_kv(pq_kv *out, const ice_schema *schema, fl_arena *arena, fl_error *err);
/* Describes a finished Parquet file (footer metrics) as a data or delete
 * file; location is stored in arena. */
int ice_describe_parquet(ice_data_file *out, io_fs *fs, const char *location,
                         const ice_metadata *md, const ice_schema *schema, fl_arena *arena,
                         fl_error *err);

/* ---- delete files (ice_delete_writer.c) ----
 *
 * Position delete files hold (file_path string, field id 2147483546; pos
 * long, 2147483545) rows sorted by position; equality delete files the
 * equality columns (top-level fields of the current schema, with their
 * field ids). Both are written under <location>/data/<partition path>/
 * as <NNNNN>-0-<uuid>-00001-deletes.parquet and described from their
 * footers (content, equality_ids, partition, spec id, metrics). The
 * description (*out) lives in arena. */

/* Deletes rows `positions` (any order, repeats removed) of one data file;
 * the delete file takes the data file's spec and partition and names it
 * in referenced_data_file. */
int ice_write_position_deletes(ice_data_file *out, const ice_table *t,
                               const ice_data_file *data_file, const int64_t *positions,
                               size_t count, fl_arena *arena, fl_error *err);
/* Deletes every row whose values on equality_ids equal one row of cols
 * (cols[i] holds field equality_ids[i], `rows` rows). partition_of gives
 * the spec and partition tuple (a data file of that partition); NULL: the
 * default spec, which must then be unpartitioned (a global delete). */
int ice_write_equality_deletes(ice_data_file *out, const ice_table *t, const int32_t *equality_ids,
                               size_t id_count, fl_column *const *cols, size_t rows,
                               const ice_data_file *partition_of, fl_arena *arena, fl_error *err);

#endif
