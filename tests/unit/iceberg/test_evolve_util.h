/*
 * test_evolve_util.h: helpers shared by the evolution tests: creating a
 * table from schema (and spec) JSON, writing a Parquet data file from
 * columns with metrics for an append, and reading a snapshot back as sorted
 * text rows.
 */
#ifndef TEST_EVOLVE_UTIL_H
#define TEST_EVOLVE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../src/base/buf.h"
#include "../../../src/base/column.h"
#include "../../../src/format/parquet/pq_schema.h"
#include "test_txn_util.h"

/* Creates db.<name> from a schema JSON and an optional spec JSON. */
bool te_create_table(tt_env *e, const char *name, const char *schema_json, const char *spec_json,
                     ice_table **out);
/* Writes <location>/data/<tag>.parquet from columns; fills *out (default
 * spec id, no partition values: set them for partitioned specs). */
bool te_write_file(ice_table *t, io_fs *fs, const char *tag, pq_field *kids, uint32_t nk,
                   fl_column **cols, size_t n, ice_data_file *out, fl_arena *arena);
/* All rows of a snapshot (-1: current) as sorted "v1|v2|..." JSON-text
 * lines, and the column names "a,b,c" (both NUL-terminated). The plan
 * picks the schema: the current one for the current snapshot (as Iceberg
 * Java), the snapshot's own for a snapshot id. */
bool te_read_rows(ice_table *t, int64_t snapshot_id, fl_buf *rows_out, fl_buf *names_out);
/* Rewrites the table's metadata as another format version (v1 or v3: there
 * is no upgrade operation yet) and swaps it in through the catalog. */
bool te_set_format_version(ice_table *t, int version);

#endif
