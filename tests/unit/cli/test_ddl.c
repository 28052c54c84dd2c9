/*
 * test_ddl.c: the CLI's column-list / CREATE TABLE parser (src/cli/ddl.c).
 */
#include "../test.h"

#include <stdio.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/error.h"
#include "../../../src/cli/ddl.h"

static ddl_table *parse(fl_arena *arena, const char *text, fl_error *err)
{
    ddl_table *t = NULL;
    if (ddl_parse(&t, text, strlen(text), arena, err) < 0) return NULL;
    return t;
}

TEST(ddl_column_list)
{
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    ddl_table *t = parse(arena, "a int, b decimal(7,2), c varchar not null, "
                                "\"Weird Name\" timestamp with time zone null;", &err);
    if (CHECK(t != NULL)) {
        CHECK_EQ(t->n_columns, 4);
        CHECK(t->name == NULL);
        CHECK_STR(t->columns[0].name, "a");
        CHECK_EQ(t->columns[0].type.id, FL_TYPE_INT32);
        CHECK(t->columns[0].nullable);
        CHECK_EQ(t->columns[1].type.id, FL_TYPE_DECIMAL);
        CHECK_EQ(t->columns[1].type.precision, 7);
        CHECK_EQ(t->columns[1].type.scale, 2);
        CHECK_EQ(t->columns[2].type.id, FL_TYPE_STRING);
        CHECK(!t->columns[2].nullable);
        CHECK_STR(t->columns[3].name, "Weird Name");
        CHECK_EQ(t->columns[3].type.id, FL_TYPE_TIMESTAMPTZ);
        CHECK(t->columns[3].nullable);
    }
    fl_arena_free(arena);
}

TEST(ddl_create_table)
{
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    ddl_table *t = parse(arena,
                         "-- a comment\ncreate table web_site(\n"
                         "\tweb_site_sk integer not null,\n"
                         "\tweb_name varchar(50) , /* inline */ web_tax decimal(5,2),\n"
                         "\tweb_open date,\n"
                         "\tprimary key (web_site_sk)\n);\n", &err);
    if (CHECK(t != NULL)) {
        CHECK_STR(t->name, "web_site");
        CHECK_EQ(t->n_columns, 4);
        CHECK(!t->columns[0].nullable);
        CHECK_STR(t->columns[1].name, "web_name");
        CHECK_EQ(t->columns[2].type.precision, 5);
        CHECK_EQ(t->columns[3].type.id, FL_TYPE_DATE);
    }
    fl_arena_free(arena);
}

TEST(ddl_tpcds_web_sales_file)
{
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    ddl_table *t = NULL;
    if (CHECK_OK(ddl_load(&t, ft_shared("tpcds/schema/web_sales.sql"), arena, &err), &err)) {
        CHECK_STR(t->name, "web_sales");
        CHECK_EQ(t->n_columns, 34);
        CHECK_STR(t->columns[3].name, "ws_item_sk");
        CHECK(!t->columns[3].nullable);
        CHECK(t->columns[0].nullable);
        CHECK_EQ(t->columns[33].type.id, FL_TYPE_DECIMAL);
    }
    fl_arena_free(arena);
}

TEST(ddl_errors)
{
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    CHECK(parse(arena, "", &err) == NULL);
    CHECK(parse(arena, "a int,", &err) == NULL);
    CHECK_STR(err.message, "empty column definition in schema");
    CHECK(parse(arena, "a", &err) == NULL);
    CHECK_STR(err.message, "column \"a\" has no type");
    CHECK(parse(arena, "a frobnicate", &err) == NULL);
    CHECK(strstr(err.message, "column \"a\"") != NULL);
    CHECK(parse(arena, "a int, A bigint", &err) == NULL);
    CHECK(parse(arena, "a decimal(7,2", &err) == NULL);
    CHECK(parse(arena, "create table t (a int", &err) == NULL);
    CHECK(parse(arena, "create table t (a int) partitioned by (a)", &err) == NULL);
    CHECK(parse(arena, "create view v as select 1", &err) == NULL);
    CHECK(parse(arena, "a \"int", &err) == NULL);
    CHECK(parse(arena, "create table t (primary key (a))", &err) == NULL);
    CHECK_STR(err.message, "schema has no columns");
    fl_arena_free(arena);
}
