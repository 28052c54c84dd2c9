/*
 * sql_parser.h: the SQL parser's entry points and the AST printer.
 *
 * The dialect is Trino/Athena ANSI SQL plus the Spark SQL forms existing
 * jobs use (backtick identifiers, USING iceberg, CREATE OR REPLACE TABLE,
 * OPTIONS (...), TBLPROPERTIES (...), INSERT OVERWRITE, time travel). The
 * parser is hand-written recursive descent over the token array from
 * sql_lexer.h; it allocates the AST (sql_ast.h) in the caller's arena and
 * stops at the first error: SQLSTATE 42601 with a message such as
 *     syntax error at or near "FORM" (line 3, column 8)
 * and a detail holding the offending line and a caret under the token.
 * Nesting deeper than SQL_MAX_DEPTH (parentheses, subqueries, CASE, unary
 * operators) or a tree taller than SQL_MAX_HEIGHT is refused with SQLSTATE
 * 54001 before the C stack can run out.
 */
#ifndef SQL_PARSER_H
#define SQL_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/error.h"
#include "sql_ast.h"
#include "sql_lexer.h"   /* sql_error_at, sql_text_position for later stages */

#define SQL_MAX_DEPTH 500
/* Left-deep chains (a OR b OR ..., UNION ..., JOIN ...) do not recurse in the
 * parser but make the tree taller; the tree's height is capped here so the
 * binder, printer and planner may recurse over it. */
#define SQL_MAX_HEIGHT 5000

/* Statements separated by ';' (empty statements are skipped). */
typedef struct sql_script {
    const char *text;       /* the parsed text (borrowed, for error positions) */
    size_t len;
    sql_stmt **stmts;
    uint32_t count;
} sql_script;

/* Parses every statement of text[0..len) into arena. */
int sql_parse(sql_script *out, const char *text, size_t len, fl_arena *arena, fl_error *err);
/* Parses exactly one statement (a trailing ';' is allowed). */
int sql_parse_statement(sql_stmt **out, const char *text, size_t len, fl_arena *arena,
                        fl_error *err);
/* Parses one expression (filters given on a command line, tests). */
int sql_parse_expression(sql_expr **out, const char *text, size_t len, fl_arena *arena,
                         fl_error *err);

/* Appends a deterministic S-expression rendering of the tree, e.g.
 *   (select (items (col a) (as (+ 1 2) x)) (from (table t)))
 * Returns 0 or FLOE_ENOMEM. */
int sql_ast_print_stmt(fl_buf *out, const sql_stmt *stmt);
int sql_ast_print_query(fl_buf *out, const sql_query *query);
int sql_ast_print_expr(fl_buf *out, const sql_expr *expr);

#endif
