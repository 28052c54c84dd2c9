/*
 * bind.h: the binder: AST (src/sql/parse) + catalog -> plan_stmt
 * (src/sql/plan/plan.h): names resolved, types checked and coerced,
 * functions resolved (src/func), subqueries decorrelated into joins.
 *
 * The binder does not open the catalog itself: src/main passes callbacks
 * that describe tables (Iceberg tables and external tables) and the session
 * (current schema). Errors carry SQLSTATE and the byte offset of the
 * offending token (err detail "at offset N"; bind_error_offset reads it).
 */
#ifndef BIND_H
#define BIND_H

#include "../../base/arena.h"
#include "../../base/error.h"
#include "../parse/sql_ast.h"
#include "../plan/plan.h"

typedef struct bind_env {
    const char *current_schema;     /* USE'd schema; "default" when none */
    /* Looks up table ns.name (ns NULL: current schema; then the binder
     * tries the name as given). Fills *out in arena; FLOE_ENOTFOUND with
     * "table ns.name does not exist" (SQLSTATE 42P01) when absent. Time
     * travel (travel != NONE) selects the snapshot. */
    int (*lookup_table)(void *ctx, const char *ns, const char *name, plan_table_source **out,
                        fl_arena *arena, fl_error *err);
    bool (*schema_exists)(void *ctx, const char *ns);
    void *ctx;
} bind_env;

/* CTAS: what src/main needs to create the table (plan_insert.create_info).
 * The statement gives partitioning (partitioned_by, Trino's WITH
 * (partitioning = ...)), properties, location and format as written. */
typedef struct bind_create_table_info {
    const char *ns;                 /* NULL: the current schema */
    const char *name;
    bool or_replace, if_not_exists;
    const char **column_names;      /* the query's output columns */
    fl_type *column_types;
    uint32_t column_count;
    const sql_stmt *stmt;           /* the SQL_STMT_CREATE_TABLE (borrowed from the AST) */
} bind_create_table_info;

/* Binds one statement. text is the statement text (for error positions). */
int bind_statement(plan_stmt **out, const sql_stmt *stmt, const char *text, const bind_env *env,
                   fl_arena *arena, fl_error *err);

/* Byte offset of the error's position recorded by the binder, or -1.
 * The binder's messages end in "(line L, column C)" as the parser's do and
 * the detail starts with "at offset N" followed by the line and a caret. */
int bind_error_offset(const fl_error *err);

#endif
