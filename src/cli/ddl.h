/*
 * ddl.h: column lists for the CLI's `--schema` option.
 *
 * Accepts either a column list, "a int, b decimal(7,2), c varchar not null",
 * or the text of a CREATE TABLE statement (as in the TPC-DS schema files:
 * "create table t( col type [not null], ..., primary key (col) );"). Column
 * constraints other than NOT NULL / NULL (primary key, default, references,
 * ...) and table constraints (primary key, unique, foreign key, check,
 * constraint) are accepted and ignored. Types are parsed by fl_type_parse;
 * nested types are not accepted here (the text tools write flat tables).
 *
 * This is the CLI's own small parser until the SQL parser (src/sql/parse)
 * exists; it will then be replaced by the real CREATE TABLE grammar.
 */
#ifndef CLI_DDL_H
#define CLI_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../base/type.h"

typedef struct ddl_column {
    const char *name;
    fl_type type;
    bool nullable;
} ddl_column;

typedef struct ddl_table {
    const char *name;        /* CREATE TABLE's name; NULL for a bare column list */
    ddl_column *columns;
    int n_columns;
} ddl_table;

/* Parses text[len] (a column list or a CREATE TABLE); everything lives in arena. */
int ddl_parse(ddl_table **out, const char *text, size_t len, fl_arena *arena, fl_error *err);
/* `arg` is a path to a readable file (read and parsed), else DDL text itself. */
int ddl_load(ddl_table **out, const char *arg, fl_arena *arena, fl_error *err);

#endif
