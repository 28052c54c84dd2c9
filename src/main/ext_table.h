/*
 * ext_table.h: external tables: tables over raw files (the lake's raw zone)
 * that floe reads in place and never writes.
 *
 * Declared in Athena's spelling
 *   CREATE EXTERNAL TABLE raw.t (...) ROW FORMAT DELIMITED FIELDS
 *     TERMINATED BY '|' LOCATION 'raw/t/'
 *   CREATE EXTERNAL TABLE raw.t (...) STORED AS PARQUET LOCATION '...'
 * or Spark's
 *   CREATE TABLE raw.t (...) USING csv OPTIONS (path '...', delimiter '|',
 *     header 'false')
 * The definition (format, location, delimiter, header, NULL string,
 * columns) is stored as JSON in the catalog (cat_external_*, see
 * src/catalog/catalog.h). A relative LOCATION is relative to the warehouse.
 * Reading covers every file under the location (a directory, a file or a
 * glob), compressed or not; text columns take the declared types. An empty
 * field is NULL (dsdgen's convention, and COPY's NULL '' default); Athena's
 * `'serialization.null.format'` serde property or Spark's `nullValue`
 * option change that. `skip.header.line.count` = 1 / `header 'true'` skip a
 * header line.
 */
#ifndef MAIN_EXT_TABLE_H
#define MAIN_EXT_TABLE_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../catalog/catalog.h"
#include "../sql/parse/sql_ast.h"
#include "../sql/plan/plan.h"

/* Whether a CREATE TABLE statement declares an external table: EXTERNAL,
 * USING csv|text|parquet, ROW FORMAT / STORED AS TEXTFILE. (CTAS never is.) */
bool ext_table_is_external(const sql_stmt *stmt);

/* Validates the statement and stores the definition as ns.name. Errors:
 * FLOE_EINVAL (no location, unknown format, bad column type) with SQLSTATE
 * 42601/42704; FLOE_EEXISTS unless IF NOT EXISTS (then 0). */
int ext_table_create(cat_catalog *cat, const char *warehouse, const char *ns, const char *name,
                     const sql_stmt *stmt, fl_error *err);

/* The table ns.name as a PLAN_SOURCE_EXTERNAL source (in arena);
 * FLOE_ENOTFOUND when there is no such external table. */
int ext_table_lookup(plan_table_source **out, cat_catalog *cat, const char *ns,
                     const char *name, fl_arena *arena, fl_error *err);

/* SHOW CREATE TABLE text of an external table (malloc'ed, caller frees). */
int ext_table_show_create(char **out, cat_catalog *cat, const char *ns, const char *name,
                          fl_error *err);

#endif
