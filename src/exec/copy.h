/*
 * copy.h: loading rows into an Iceberg table: COPY table FROM 'files'
 * (ex_copy_from, called by src/main for SQL_STMT_COPY) and the table
 * write that INSERT (op/insert.c) and COPY share (ex_table_write).
 *
 * A table write loads the table, hands one ice_writer (the partitioned
 * Parquet writer, src/iceberg/ice_writer.h) to each thread that asks, and
 * commits everything the writers produced as ONE snapshot: an append, or
 * for INSERT OVERWRITE an overwrite replacing the whole table
 * (unpartitioned) or the partitions written (partitioned: Spark's dynamic
 * partition overwrite). Until the commit succeeds nothing is visible; a
 * failed statement (error anywhere, or the query arena freed without a
 * commit) aborts the writers, deleting every file they wrote. When the
 * commit's outcome is unknown (FLOE_EUNKNOWN) nothing is deleted.
 * Writers are used through sinks (ex_table_sink), which also sort the rows
 * of a table that has a sort order, for INSERT, CTAS and COPY alike.
 */
#ifndef EX_COPY_H
#define EX_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/error.h"
#include "../iceberg/ice_table.h"
#include "../iceberg/ice_writer.h"
#include "../sql/parse/sql_ast.h"
#include "op.h"

typedef struct ex_table_write ex_table_write;

/* Loads ns.name through ctx's catalog. The write lives in ctx->arena (its
 * cleanup aborts it unless committed). */
int ex_table_write_new(ex_table_write **out, ex_ctx *ctx, const char *ns, const char *name,
                       fl_error *err);
/* The table and the in-memory types of its current schema's top-level
 * fields (what ice_writer_write expects), in table order. */
const ice_table *ex_table_write_table(const ex_table_write *w);
const fl_type *ex_table_write_types(const ex_table_write *w, uint32_t *count);
/* A new writer for the calling thread (thread-safe). */
int ex_table_write_writer(ex_table_write *w, ice_writer **out, fl_error *err);
/* Aborts every writer (their files are deleted); a no-op after a commit. */
void ex_table_write_abort(ex_table_write *w);
/*
 * A thread's sink into a table write (INSERT's sink threads and COPY's
 * workers each own one; one sink is never used by two threads at once).
 * Without a table sort order rows go straight to the sink's ice_writer.
 * When the table has a default sort order (Iceberg's write.sort-order:
 * Spark's WRITE ORDERED BY, Trino's sorted_by, `floe iceberg alter ...
 * sort-order`) the sink buffers its rows in an ex_rowbuf with one extra
 * column per sort field whose transform is not identity, and every
 * EX_TABLE_SORT_RUN_ROWS rows (and at the flush) sorts the buffer by the
 * order's fields (directions, null orders), writes it in that order and
 * rolls the writer: each data file holds one sorted run and its manifest
 * entry carries sort_order_id. Memory: at most one run per sink.
 */
typedef struct ex_table_sink ex_table_sink;
enum { EX_TABLE_SORT_RUN_ROWS = 1 << 20 };
/* A new sink (and writer) for the calling thread; its state lives in
 * arena (child arenas of it), which must outlive the commit. */
int ex_table_sink_new(ex_table_sink **out, ex_table_write *w, fl_arena *arena, fl_error *err);
/* Writes n rows: cols are flat columns in table order (the types of
 * ex_table_write_types), len >= n; they are not kept after the call. */
int ex_table_sink_write(ex_table_sink *s, fl_column *const *cols, size_t n, fl_error *err);
/* Writes the rows still buffered (a sorted table's last run). Call once
 * after the last write, before ex_table_write_commit. */
int ex_table_sink_flush(ex_table_sink *s, fl_error *err);
/* The table's default sort order id when writes are sorted, else -1. */
int32_t ex_table_write_sort_order(const ex_table_write *w);

/* Finishes every writer and commits one snapshot (append, or overwrite);
 * *rows = rows written. On failure the files are deleted (except on
 * FLOE_EUNKNOWN). Called once, single threaded. */
int ex_table_write_commit(ex_table_write *w, bool overwrite, int64_t *rows, fl_error *err);

/*
 * COPY ns.table FROM 'path-or-glob' [WITH] (options): loads delimited text
 * or Parquet files into the table, converting fields to the table's own
 * column types, in one snapshot. Options (case-insensitive keys):
 *   FORMAT csv | parquet       default: by the file extension (.parquet),
 *                              else csv
 *   DELIMITER 'c' (or DELIM, SEP)   default ','
 *   HEADER [true|false]        default false (a bare HEADER is true)
 *   NULL 'text' (or NULLSTR)   default '' (an empty field)
 *   QUOTE 'c'                  default '"'
 * Text files map to the table's columns by position (a trailing delimiter
 * at the end of every line, as dsdgen writes, is allowed); Parquet columns
 * by name. .zst and .gz files are decompressed. Relative paths are read
 * through ctx->fs as given. Files are loaded in parallel (one per worker,
 * and blocks of one text file parsed on the pool). *rows = rows loaded.
 * A failed COPY commits nothing and deletes the files it wrote.
 */
int ex_copy_from(int64_t *rows, ex_ctx *ctx, const char *ns, const char *table, const char *path,
                 const sql_property *options, uint32_t option_count, fl_error *err);

#endif
