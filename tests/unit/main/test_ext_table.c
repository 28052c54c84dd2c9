/*
 * test_ext_table.c: external table definitions: the Athena and Spark
 * spellings stored in a SQLite catalog and read back as plan sources,
 * and the errors for incomplete or invalid definitions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/main/ext_table.h"
#include "../../../src/sql/parse/sql_parser.h"
#include "../test.h"

static cat_catalog *open_catalog(char *dir, size_t cap)
{
    static int n;
    snprintf(dir, cap, "%s/ext-%d", ft_tmpdir(), n++);
    char uri[700];
    snprintf(uri, sizeof uri, "sqlite:%s.db", dir);
    cat_catalog *c = NULL;
    fl_error err;
    CHECK_OK(cat_open(&c, uri, NULL, &err), &err);
    if (c) CHECK_OK(cat_namespace_create(c, "raw", NULL, &err), &err);
    return c;
}

static int create(cat_catalog *c, const char *wh, const char *sql, fl_error *err)
{
    fl_arena *a = fl_arena_new(0);
    sql_stmt *st = NULL;
    int rc = sql_parse_statement(&st, sql, strlen(sql), a, err);
    CHECK_EQ(rc, 0);
    if (rc == 0) {
        CHECK(ext_table_is_external(st));
        const sql_name *n = &st->u.create_table.name;
        rc = ext_table_create(c, wh, n->parts[0].name, n->parts[n->count - 1].name, st, err);
    }
    fl_arena_free(a);
    return rc;
}

TEST(ext_table_athena_delimited)
{
    char dir[600];
    cat_catalog *c = open_catalog(dir, sizeof dir);
    if (!c) return;
    fl_error err;
    CHECK_OK(create(c, "/lake/wh",
                    "CREATE EXTERNAL TABLE raw.web_sales (ws_item_sk integer, ws_price "
                    "decimal(7,2), ws_note varchar(20)) ROW FORMAT DELIMITED FIELDS TERMINATED BY "
                    "'|' LOCATION 'raw/web_sales/'",
                    &err),
             &err);
    fl_arena *a = fl_arena_new(0);
    plan_table_source *src = NULL;
    CHECK_OK(ext_table_lookup(&src, c, "raw", "web_sales", a, &err), &err);
    if (src) {
        CHECK_EQ(src->kind, PLAN_SOURCE_EXTERNAL);
        CHECK_STR(src->format, "csv");
        CHECK_STR(src->location, "/lake/wh/raw/web_sales/");
        CHECK_EQ(src->delimiter, '|');
        CHECK(!src->header);
        CHECK_STR(src->null_string, "");
        CHECK_EQ(src->column_count, 3);
        CHECK_STR(src->column_names[1], "ws_price");
        CHECK_EQ(src->column_types[1].id, FL_TYPE_DECIMAL);
        CHECK_EQ(src->column_types[1].precision, 7);
        CHECK_EQ(src->column_types[1].scale, 2);
        CHECK_EQ(src->column_types[2].id, FL_TYPE_STRING);
    }
    /* exists: error, unless IF NOT EXISTS */
    CHECK_EQ(create(c, "/lake/wh",
                    "CREATE EXTERNAL TABLE raw.web_sales (a int) ROW FORMAT DELIMITED FIELDS "
                    "TERMINATED BY '|' LOCATION 'x'",
                    &err),
             FLOE_EEXISTS);
    CHECK_OK(create(c, "/lake/wh",
                    "CREATE EXTERNAL TABLE IF NOT EXISTS raw.web_sales (a int) ROW FORMAT "
                    "DELIMITED FIELDS TERMINATED BY '|' LOCATION 'x'",
                    &err),
             &err);
    char *ddl = NULL;
    CHECK_OK(ext_table_show_create(&ddl, c, "raw", "web_sales", &err), &err);
    CHECK(ddl && strstr(ddl, "ws_price decimal(7,2)") && strstr(ddl, "TERMINATED BY '|'"));
    fl_free(ddl);
    CHECK_EQ(ext_table_lookup(&src, c, "raw", "nope", a, &err), FLOE_ENOTFOUND);
    fl_arena_free(a);
    cat_free(c);
}

TEST(ext_table_parquet_and_spark)
{
    char dir[600];
    cat_catalog *c = open_catalog(dir, sizeof dir);
    if (!c) return;
    fl_error err;
    CHECK_OK(create(c, "file:///lake/wh",
                    "CREATE EXTERNAL TABLE raw.items (i_item_sk int, i_name string) STORED AS "
                    "PARQUET LOCATION '/data/items/'",
                    &err),
             &err);
    CHECK_OK(create(c, "/lake/wh",
                    "CREATE TABLE raw.dates (d_date_sk int, d_date date) USING csv OPTIONS (path "
                    "'raw/dates/*.csv', delimiter ',', header 'true')",
                    &err),
             &err);
    fl_arena *a = fl_arena_new(0);
    plan_table_source *src = NULL;
    CHECK_OK(ext_table_lookup(&src, c, "raw", "items", a, &err), &err);
    if (src) {
        CHECK_STR(src->format, "parquet");
        CHECK_STR(src->location, "/data/items/");
    }
    CHECK_OK(ext_table_lookup(&src, c, "raw", "dates", a, &err), &err);
    if (src) {
        CHECK_STR(src->format, "csv");
        CHECK_STR(src->location, "/lake/wh/raw/dates/*.csv");
        CHECK_EQ(src->delimiter, ',');
        CHECK(src->header);
        CHECK_EQ(src->column_types[1].id, FL_TYPE_DATE);
    }
    fl_arena_free(a);
    cat_free(c);
}

TEST(ext_table_errors)
{
    char dir[600];
    cat_catalog *c = open_catalog(dir, sizeof dir);
    if (!c) return;
    fl_error err;
    CHECK_EQ(create(c, "/wh", "CREATE EXTERNAL TABLE raw.t (a int) ROW FORMAT DELIMITED FIELDS "
                              "TERMINATED BY '|'",
                    &err),
             FLOE_EINVAL);
    CHECK(strstr(err.message, "needs a LOCATION") != NULL);
    CHECK_EQ(create(c, "/wh", "CREATE EXTERNAL TABLE raw.t (a int) ROW FORMAT DELIMITED FIELDS "
                              "TERMINATED BY '||' LOCATION 'x'",
                    &err),
             FLOE_EINVAL);
    CHECK(strstr(err.message, "one character") != NULL);
    CHECK_EQ(create(c, "/wh", "CREATE EXTERNAL TABLE raw.t (a int, a int) STORED AS PARQUET "
                              "LOCATION 'x'",
                    &err),
             FLOE_EINVAL);
    CHECK_STR(err.sqlstate, "42701");
    CHECK_EQ(create(c, "/wh", "CREATE EXTERNAL TABLE raw.t (a frobnicate) STORED AS PARQUET "
                              "LOCATION 'x'",
                    &err),
             FLOE_EINVAL);
    CHECK_STR(err.sqlstate, "42704");
    CHECK_EQ(create(c, "/wh", "CREATE EXTERNAL TABLE raw.t (a int) STORED AS ORC LOCATION 'x'",
                    &err),
             FLOE_EUNSUPPORTED);
    CHECK_EQ(create(c, "/wh", "CREATE EXTERNAL TABLE nope.t (a int) STORED AS PARQUET LOCATION 'x'",
                    &err),
             FLOE_ENOTFOUND);
    cat_free(c);
}
