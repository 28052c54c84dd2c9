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

/* Binds one statement. text is the statement text (for error positions). */
int bind_statement(plan_stmt **out, const sql_stmt *stmt, const char *text, const bind_env *env,
                   fl_arena *arena, fl_error *err);

/* Byte offset of the error's position recorded by the binder, or -1. */
int bind_error_offset(const fl_error *err);

#endif
