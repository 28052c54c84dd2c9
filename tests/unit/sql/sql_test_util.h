/*
 * sql_test_util.h: helpers shared by the SQL parser's unit tests: parse one
 * statement (or a whole script) and return its AST printout, or the error.
 */
#ifndef SQL_TEST_UTIL_H
#define SQL_TEST_UTIL_H

#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/error.h"
#include "../../../src/sql/parse/sql_parser.h"

/* The printout of the single statement in sql, or "error: <message>".
 * The string is valid until the next call. */
const char *sqlt_print(const char *sql);
/* Every statement of a script, one printout per line. */
const char *sqlt_print_script(const char *sql);
/* Parses sql (a script) expecting failure; fills *err and returns the status. */
int sqlt_parse_error(const char *sql, size_t len, fl_error *err);
/* Reads a whole file into a fl_malloc'd NUL-terminated buffer (NULL on failure). */
char *sqlt_read_file(const char *path, size_t *len);

#endif
