/*
 * catalog_sql.h: the SQL store's database drivers (internal to src/catalog).
 *
 * The SQL store (catalog_sql.c) implements the catalog once, with SQL text
 * that SQLite and PostgreSQL both accept ('?' placeholders; the PostgreSQL
 * driver rewrites them to $1, $2, ...). A driver only runs statements with
 * text parameters and returns text cells, and maps database failures onto
 * floe codes:
 *   FLOE_EEXISTS   a unique/primary-key violation;
 *   FLOE_EUNKNOWN  a write's outcome is unknown (connection lost during the
 *                  statement, SQLite I/O error while committing);
 *   FLOE_EIO       anything else (the statement had no effect), including
 *                  a lock not obtained within the busy timeout.
 * Drivers are used by one thread at a time (the store holds its mutex).
 */
#ifndef CAT_CATALOG_SQL_H
#define CAT_CATALOG_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"

/* Result rows: cells row-major, NULL for SQL NULL. */
typedef struct cat_rows {
    size_t nrows, ncols, cap;
    char **cells;
} cat_rows;

void cat_rows_init(cat_rows *r);
void cat_rows_dispose(cat_rows *r);
/* Appends one row of ncols cells (copied; NULL stays NULL). */
int cat_rows_push(cat_rows *r, const char *const *cells, const size_t *lens, size_t ncols,
                  fl_error *err);
static inline const char *cat_rows_get(const cat_rows *r, size_t row, size_t col)
{
    return r->cells[row * r->ncols + col];
}

typedef struct cat_sqldb cat_sqldb;

struct cat_sqldb_ops {
    /* Runs sql with params (text, NULL = SQL NULL). Rows go to rows when not
     * NULL; *changes (when not NULL) receives the rows an INSERT, UPDATE or
     * DELETE changed. */
    int (*exec)(cat_sqldb *db, const char *sql, const char *const *params, size_t nparams,
                cat_rows *rows, int64_t *changes, fl_error *err);
    /* A write transaction: SQLite takes the write lock at once (BEGIN
     * IMMEDIATE, waiting up to the busy timeout). */
    int (*begin)(cat_sqldb *db, fl_error *err);
    int (*commit)(cat_sqldb *db, fl_error *err);
    void (*rollback)(cat_sqldb *db);
    /* Whether table has column, in the connection's current schema. */
    int (*has_column)(cat_sqldb *db, const char *table, const char *column, bool *out,
                      fl_error *err);
    void (*free)(cat_sqldb *db);
};

struct cat_sqldb {
    const struct cat_sqldb_ops *ops;
    const char *what; /* "sqlite catalog "path"" or "postgresql catalog": for messages */
    bool read_only;
};

int cat_sqlite_db_open(cat_sqldb **out, const char *path, bool read_only, int busy_timeout_ms,
                       fl_error *err);
int cat_pg_db_open(cat_sqldb **out, const char *conninfo, fl_error *err);

/* Wraps a driver in the catalog store (consumes db, also on failure):
 * creates the JDBC tables if absent (unless read-only) and detects whether
 * iceberg_tables has the iceberg_type column (JDBC schema V1). */
int cat_sql_catalog_new(cat_catalog **out, cat_sqldb *db, const char *name, fl_error *err);

#endif
