/*
 * bind_test_env.h: a fake bind_env for the binder and optimizer tests: the
 * 24 TPC-DS tables (parsed from the shared schema files with the SQL
 * parser) plus a few small tables, with row estimates like scale factor 1,
 * and helpers that parse + bind (+ optimize) a statement and print its
 * plan with plan_explain.
 */
#ifndef BIND_TEST_ENV_H
#define BIND_TEST_ENV_H

#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/error.h"
#include "../../../src/sql/bind/bind.h"
#include "../../../src/sql/opt/opt.h"

/* The shared environment (built once, lives until exit). NULL if the schema
 * files cannot be read. */
const bind_env *bt_env(void);
/* Parses and binds sql in arena; optimizes when `optimize`. */
int bt_bind(plan_stmt **out, const char *sql, bool optimize, fl_arena *arena, fl_error *err);
/* The EXPLAIN text of sql's plan, or "error: <message>" (SQLSTATE in err).
 * Valid until the next call. */
const char *bt_explain(const char *sql, bool optimize, fl_error *err);
/* The same without the error (an error shows in the text). */
const char *bt_plan(const char *sql, bool optimize);

/* Plan text checks for CHECK(): whether text holds needle (printing the
 * text when it does not), lacks it (printing it when it does), and how many
 * times it holds it. */
bool bt_has(const char *text, const char *needle);
bool bt_lacks(const char *text, const char *needle);
unsigned bt_count(const char *text, const char *needle);

#endif
