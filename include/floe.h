/*
 * floe.h: floe's public C API.
 *
 * A database is a warehouse directory (or URI) plus a catalog (SQLite file in
 * the warehouse by default, or a catalog URI). A connection runs SQL
 * statements one at a time and keeps session state (current schema). Results
 * are columnar: a result is a sequence of chunks of up to 2048 rows; rows can
 * also be read one value at a time as text.
 *
 * Everything returns an int status (FLOE_OK or a negative FLOE_E* code from
 * floe_status.h). On failure the error's message, SQLSTATE and, for SQL
 * text, the 1-based line/column are available from the handle that failed
 * (floe_conn_error). The CLI and the tests use only this API, as git uses
 * libgit2.
 *
 * Threading: a floe_db may be shared by threads; a floe_conn and its results
 * belong to one thread at a time. Each statement uses the database's worker
 * threads (floe_db_options.threads, default: all cores).
 */
#ifndef FLOE_H
#define FLOE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "floe_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct floe_db floe_db;
typedef struct floe_conn floe_conn;
typedef struct floe_result floe_result;

typedef struct floe_db_options {
    const char *warehouse;     /* directory or file:// URI; NULL: $FLOE_WAREHOUSE or ./warehouse */
    const char *catalog_uri;   /* NULL: sqlite:<warehouse>/catalog.db; also postgresql://... */
    int threads;               /* 0: all cores */
    int64_t memory_limit;      /* bytes; 0: no limit */
} floe_db_options;

/* Opens (creating if needed) a warehouse and its catalog. opts may be NULL.
 * On failure *out is NULL and errbuf (if given) holds the message. */
int floe_db_open(floe_db **out, const floe_db_options *opts, char *errbuf, size_t errbuf_len);
void floe_db_close(floe_db *db);

int floe_conn_open(floe_conn **out, floe_db *db);
void floe_conn_close(floe_conn *conn);

/* Runs one or more ;-separated statements. The result of the last statement
 * is returned in *out (may be NULL when the caller does not want it); each
 * statement commits on its own (auto-commit). On error nothing of the failing
 * statement is committed and *out is NULL. */
int floe_query(floe_conn *conn, const char *sql, floe_result **out);

/* Cancels the statement running on conn (callable from another thread or a
 * signal handler); the running floe_query returns FLOE_ECANCELED. */
void floe_conn_cancel(floe_conn *conn);

/* The last error on the connection. */
const char *floe_conn_error(const floe_conn *conn);        /* "" when none */
const char *floe_conn_sqlstate(const floe_conn *conn);     /* "00000" when none */
/* Position in the statement text of a syntax/binding error, 1-based; 0 if unknown. */
int floe_conn_error_line(const floe_conn *conn);
int floe_conn_error_column(const floe_conn *conn);

/* Column types of results, as SQL names them. */
typedef enum floe_type {
    FLOE_TYPE_NULL = 0,
    FLOE_TYPE_BOOLEAN,
    FLOE_TYPE_TINYINT,
    FLOE_TYPE_SMALLINT,
    FLOE_TYPE_INTEGER,
    FLOE_TYPE_BIGINT,
    FLOE_TYPE_REAL,
    FLOE_TYPE_DOUBLE,
    FLOE_TYPE_DECIMAL,
    FLOE_TYPE_VARCHAR,
    FLOE_TYPE_VARBINARY,
    FLOE_TYPE_DATE,
    FLOE_TYPE_TIME,
    FLOE_TYPE_TIMESTAMP,
    FLOE_TYPE_TIMESTAMPTZ,
    FLOE_TYPE_UUID,
    FLOE_TYPE_OTHER,           /* nested and other types: use the text form */
} floe_type;

/* ---- results ----
 * A statement without rows (DDL, INSERT) has a result with 0 columns, or, for
 * DML, one BIGINT column "rows" holding the affected row count. */
size_t floe_result_column_count(const floe_result *r);
const char *floe_result_column_name(const floe_result *r, size_t col);
floe_type floe_result_column_type(const floe_result *r, size_t col);
/* Full SQL type name: "decimal(7,2)", "varchar", "timestamp(6)". */
const char *floe_result_column_type_name(const floe_result *r, size_t col);

/* Row-at-a-time iteration (over the chunks). Returns 1 when positioned on a
 * row, 0 at the end, < 0 on error (reading results may run the query). */
int floe_result_next(floe_result *r);
bool floe_result_is_null(const floe_result *r, size_t col);
int64_t floe_result_get_int64(const floe_result *r, size_t col);   /* integer types, date (days), time/timestamp (µs) */
double floe_result_get_double(const floe_result *r, size_t col);   /* any numeric */
/* Value rendered as text (DuckDB's text style; NULL -> NULL pointer). The
 * pointer is valid until the next floe_result_next. */
const char *floe_result_get_text(floe_result *r, size_t col);

/* Chunk iteration: fetches the next chunk (0 rows = end). Values of the
 * current chunk as text: row in [0, floe_result_chunk_rows). */
int floe_result_next_chunk(floe_result *r, size_t *rows);
const char *floe_result_chunk_text(floe_result *r, size_t col, size_t row);

/* Rows produced so far / affected by DML; statement wall time in µs. */
int64_t floe_result_row_count(const floe_result *r);
int64_t floe_result_elapsed_us(const floe_result *r);
void floe_result_free(floe_result *r);

const char *floe_version(void);

#ifdef __cplusplus
}
#endif

#endif
