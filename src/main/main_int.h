/*
 * main_int.h: the handles behind include/floe.h and what the files of
 * src/main share: the database (warehouse, catalog, FileIO, worker pool),
 * connections (session schema, last error, cancel flag) and results (the
 * query arena holding every chunk, plus row/chunk cursors and text
 * buffers).
 *
 * Files: db.c (open/close, connections, errors), query.c (floe_query: the
 * statement pipeline parse -> bind -> optimize -> plan -> run), ddl.c and
 * ddl_create.c (statements src/main executes with the catalog), result.c
 * (floe_result and building results).
 */
#ifndef MAIN_INT_H
#define MAIN_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../include/floe.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "../base/threads.h"
#include "../catalog/catalog.h"
#include "../exec/op.h"
#include "../io/io.h"
#include "../sql/parse/sql_ast.h"

struct floe_db {
    char *warehouse;            /* absolute path, no trailing slash */
    cat_catalog *catalog;
    io_fs *fs;
    fl_pool *pool;
    int threads;                /* workers + the calling thread */
    int64_t memory_limit;
};

struct floe_conn {
    floe_db *db;
    char *schema;               /* current schema (heap) */
    fl_error err;
    int err_line, err_column;
    atomic_bool cancel;
};

struct floe_result {
    fl_arena *arena;            /* everything below lives here */
    uint32_t col_count;
    const char **names;
    fl_type *types;
    char **type_names;
    ex_chunk *chunks;
    size_t chunk_count;
    int64_t row_count;
    int64_t elapsed_us;
    /* row cursor: chunk `cur_chunk`, row `cur_row` (-1 before the first) */
    size_t cur_chunk;
    int64_t cur_row;
    /* chunk cursor: the chunk floe_result_next_chunk returned last */
    size_t next_chunk;
    const ex_chunk *chunk_view;
    fl_buf *text;               /* per column: the text of the last rendered value */
};

/* ---- result.c ---- */

/* A result over chunks already in arena (takes ownership of arena). */
int result_new(floe_result **out, fl_arena *arena, uint32_t col_count, const char *const *names,
               const fl_type *types, ex_chunk *chunks, size_t chunk_count, fl_error *err);
/* A result of text rows: rows of col_count strings (NULL = SQL NULL), all
 * VARCHAR columns; or, with types, values parsed from text. */
typedef struct row_builder {
    fl_arena *arena;
    uint32_t col_count;
    const char **names;
    fl_type *types;
    ex_chunk *chunks;
    size_t chunk_count, chunk_cap;
} row_builder;
int rows_init(row_builder *b, fl_arena *arena, uint32_t col_count, const char *const *names,
              const fl_type *types, fl_error *err);
/* Appends one row of values (types as the builder's; strings copied). */
int rows_add(row_builder *b, const fl_value *values, fl_error *err);
/* Appends one row of text cells (VARCHAR columns; NULL pointer = NULL). */
int rows_add_text(row_builder *b, const char *const *cells, fl_error *err);
int rows_finish(floe_result **out, row_builder *b, fl_error *err);
/* A result with no columns (DDL). */
int result_empty(floe_result **out, fl_arena *arena, fl_error *err);
/* One BIGINT column "rows" holding n (DML). */
int result_count(floe_result **out, fl_arena *arena, int64_t n, fl_error *err);

/* ---- ddl.c ---- */

typedef struct stmt_env {
    floe_conn *conn;
    const char *text;           /* the script text (error positions) */
    fl_arena *arena;            /* the statement's arena */
    ex_ctx *ctx;
} stmt_env;

/* Executes a statement the binder left to src/main (PLAN_STMT_DDL). */
int ddl_execute(floe_result **out, stmt_env *env, const sql_stmt *stmt, fl_error *err);
/* Splits a qualified name into namespace (NULL: the current schema) and name. */
void ddl_split_name(const sql_name *n, const char *current, const char **ns, const char **name,
                    fl_arena *arena);

/* ---- ddl_create.c ---- */

/* CREATE TABLE (not external, not CTAS). */
int ddl_create_table(stmt_env *env, const sql_stmt *stmt, fl_error *err);
/* Creates the Iceberg table ns.name with the given columns, taking
 * partitioning, properties and location from stmt (a CREATE TABLE; may be
 * NULL). *created is false when IF NOT EXISTS found it there. */
int ddl_create_iceberg(stmt_env *env, const char *ns, const char *name, const char *const *names,
                       const fl_type *types, const bool *required, uint32_t count,
                       const sql_stmt *stmt, bool *created, fl_error *err);

#endif
