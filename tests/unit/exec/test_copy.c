/*
 * test_copy.c: COPY ... FROM (src/exec/copy.h): TPC-DS date_dim.dat.zst
 * (dsdgen's trailing '|') into a table with the DDL's types, checked row
 * count and values read back through the table scan; a glob of several
 * files loaded in parallel; a failing COPY leaving no snapshot and no files.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/time.h"
#include "../../../src/exec/copy.h"
#include "../test.h"
#include "test_scan_util.h"

static const char *DATE_DIM =
    "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
    "{\"id\":1,\"name\":\"d_date_sk\",\"required\":true,\"type\":\"int\"},"
    "{\"id\":2,\"name\":\"d_date_id\",\"required\":true,\"type\":\"string\"},"
    "{\"id\":3,\"name\":\"d_date\",\"required\":false,\"type\":\"date\"},"
    "{\"id\":4,\"name\":\"d_month_seq\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":5,\"name\":\"d_week_seq\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":6,\"name\":\"d_quarter_seq\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":7,\"name\":\"d_year\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":8,\"name\":\"d_dow\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":9,\"name\":\"d_moy\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":10,\"name\":\"d_dom\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":11,\"name\":\"d_qoy\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":12,\"name\":\"d_fy_year\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":13,\"name\":\"d_fy_quarter_seq\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":14,\"name\":\"d_fy_week_seq\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":15,\"name\":\"d_day_name\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":16,\"name\":\"d_quarter_name\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":17,\"name\":\"d_holiday\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":18,\"name\":\"d_weekend\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":19,\"name\":\"d_following_holiday\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":20,\"name\":\"d_first_dom\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":21,\"name\":\"d_last_dom\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":22,\"name\":\"d_same_day_ly\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":23,\"name\":\"d_same_day_lq\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":24,\"name\":\"d_current_day\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":25,\"name\":\"d_current_week\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":26,\"name\":\"d_current_month\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":27,\"name\":\"d_current_quarter\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":28,\"name\":\"d_current_year\",\"required\":false,\"type\":\"string\"}]}";

static bool create_table(ts_env *e, const char *name, const char *schema_json)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(schema_json, 0, NULL);
    ice_schema *schema = NULL;
    ice_table *t = NULL;
    bool ok = CHECK(j) && CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err);
    ice_table_create_opts o = {.schema = schema};
    ok = ok && CHECK_OK(ice_table_create(&t, e->tt.catalog, e->tt.fs, e->tt.dir, "db", name, &o, &err), &err);
    ice_table_free(t);
    json_decref(j);
    fl_arena_free(a);
    return ok;
}

static sql_property prop(ts_env *e, const char *key, const char *text)
{
    sql_property p = {key, NULL};
    if (text) {
        sql_expr *x = fl_arena_calloc(e->arena, sizeof(*x));
        x->kind = SQL_EXPR_LITERAL;
        x->u.lit.kind = SQL_LIT_STRING;
        x->u.lit.text = text;
        p.value = x;
    }
    return p;
}

static plan_table_source *date_dim_source(ts_env *e, const char *name)
{
    plan_table_source *s = fl_arena_calloc(e->arena, sizeof(*s));
    s->kind = PLAN_SOURCE_ICEBERG;
    s->ns = "db";
    s->name = name;
    s->column_count = 28;
    s->column_types = fl_arena_alloc(e->arena, 28 * sizeof(fl_type));
    s->field_ids = fl_arena_alloc(e->arena, 28 * sizeof(int32_t));
    s->column_names = fl_arena_calloc(e->arena, 28 * sizeof(char *));
    for (int i = 0; i < 28; i++) {
        s->field_ids[i] = i + 1;
        s->column_types[i] = fl_type_make(FL_TYPE_INT32);
        s->column_names[i] = "c";
    }
    int strs[] = {1, 14, 15, 16, 17, 18, 23, 24, 25, 26, 27};
    for (size_t i = 0; i < FL_ARRAY_SIZE(strs); i++) s->column_types[strs[i]] = fl_type_make(FL_TYPE_STRING);
    s->column_types[2] = fl_type_make(FL_TYPE_DATE);
    return s;
}

static int read_back(ts_env *e, const char *name, ex_rowbuf *buf, fl_error *err)
{
    plan_node *g = plan_node_new(e->arena, PLAN_GET, 0);
    static const uint32_t cols[] = {0, 1, 2, 6, 14, 27};
    g->table_index = 3;
    g->u.get.source = date_dim_source(e, name);
    g->u.get.column_ids = (uint32_t *)cols;
    g->u.get.column_count = 6;
    ex_op *op;
    FL_TRY(ex_scan_new(&op, g, &e->ctx, err));
    return ts_run_source(e, op, 2, buf, err);
}

TEST(copy_tpcds_date_dim)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2)) || !create_table(&e, "date_dim", DATE_DIM)) return;
    sql_property opts[] = {prop(&e, "delimiter", "|"), prop(&e, "header", "false"),
                           prop(&e, "null", "")};
    int64_t rows = 0;
    fl_error err;
    const char *path = ft_shared("tpcds/sf1-web/date_dim.dat.zst");
    if (!CHECK_OK(ex_copy_from(&rows, &e.ctx, "db", "date_dim", path, opts, 3, &err), &err)) goto done;
    CHECK_EQ(rows, 73049);
    ice_table *t;
    if (CHECK_OK(ice_table_load(&t, e.tt.catalog, e.tt.fs, "db", "date_dim", &err), &err)) {
        CHECK(t->md->current_snapshot_id > 0);
        CHECK_EQ(t->md->snapshot_count, 1);
        ice_table_free(t);
    }
    ex_rowbuf buf;
    if (!CHECK_OK(read_back(&e, "date_dim", &buf, &err), &err)) goto done;
    CHECK_EQ(buf.rows, 73049);
    /* d_date_sk runs 2415022 .. 2488070 */
    CHECK_EQ(ts_sum(&buf, 0), (int64_t)(2415022 + 2488070) * 73049 / 2);
    bool found = false;
    for (size_t i = 0; i < buf.rows; i++) {
        if (((int32_t *)buf.cols[0]->data)[i] != 2415022) continue;
        found = true;
        fl_strv id = ((fl_strv *)buf.cols[1]->data)[i];
        CHECK(fl_strv_eq(id, fl_strv_cstr("AAAAAAAAOKJNECAA")));
        CHECK_EQ(((int32_t *)buf.cols[2]->data)[i], fl_days_from_civil(1900, 1, 2));
        CHECK_EQ(((int32_t *)buf.cols[3]->data)[i], 1900);
        CHECK(fl_strv_eq(((fl_strv *)buf.cols[4]->data)[i], fl_strv_cstr("Monday")));
        CHECK(fl_strv_eq(((fl_strv *)buf.cols[5]->data)[i], fl_strv_cstr("N")));
    }
    CHECK(found);
done:
    ts_env_close(&e);
}

static const char *SMALL = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                           "{\"id\":1,\"name\":\"k\",\"required\":true,\"type\":\"int\"},"
                           "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"
                           "{\"id\":3,\"name\":\"price\",\"required\":false,\"type\":\"decimal(7,2)\"}]}";

static void write_file(ts_env *e, const char *rel, const char *text)
{
    char path[800];
    fl_error err;
    snprintf(path, sizeof(path), "%s/%s", e->tt.dir, rel);
    CHECK_OK(io_write_file(e->tt.fs, path, 0, text, strlen(text), &err), &err);
}

TEST(copy_glob_parallel_and_header)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 3)) || !create_table(&e, "small", SMALL)) return;
    for (int f = 0; f < 4; f++) {
        fl_buf b;
        fl_buf_init(&b);
        fl_buf_append_str(&b, "k;name;price\n");
        for (int i = 0; i < 300; i++) fl_buf_appendf(&b, "%d;n%d;%s\n", f * 300 + i, i, i % 3 ? "2.50" : "NA");
        char rel[64];
        snprintf(rel, sizeof(rel), "in/p%d.csv", f);
        write_file(&e, rel, fl_buf_cstr(&b));
        fl_buf_dispose(&b);
    }
    char glob[700];
    snprintf(glob, sizeof(glob), "%s/in/p*.csv", e.tt.dir);
    sql_property opts[] = {prop(&e, "delimiter", ";"), prop(&e, "header", NULL), prop(&e, "null", "NA"),
                           prop(&e, "format", "csv")};
    int64_t rows = 0;
    fl_error err;
    if (CHECK_OK(ex_copy_from(&rows, &e.ctx, "db", "small", glob, opts, 4, &err), &err)) {
        CHECK_EQ(rows, 1200);
        ice_table *t;
        if (CHECK_OK(ice_table_load(&t, e.tt.catalog, e.tt.fs, "db", "small", &err), &err)) {
            CHECK_EQ(t->md->snapshot_count, 1);
            ice_table_free(t);
        }
    }
    /* the table's own Parquet files load into a second table by column name */
    if (create_table(&e, "small2", SMALL)) {
        char pq[800];
        snprintf(pq, sizeof(pq), "%s/db/small/data/*.parquet", e.tt.dir);
        sql_property popts[] = {prop(&e, "format", "parquet")};
        int64_t prow = 0;
        CHECK_OK(ex_copy_from(&prow, &e.ctx, "db", "small2", pq, popts, 1, &err), &err);
        CHECK_EQ(prow, 1200);
    }
    /* unknown option, bad format */
    sql_property bad[] = {prop(&e, "frobnicate", "1")};
    CHECK_EQ(ex_copy_from(&rows, &e.ctx, "db", "small", glob, bad, 1, &err), FLOE_EINVAL);
    sql_property badf[] = {prop(&e, "format", "orc")};
    CHECK_EQ(ex_copy_from(&rows, &e.ctx, "db", "small", glob, badf, 1, &err), FLOE_EINVAL);
    ts_env_close(&e);
}

TEST(copy_failure_commits_nothing)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2)) || !create_table(&e, "small", SMALL)) return;
    /* file 0 is fine, file 1 has a bad integer at its end */
    fl_buf b;
    fl_buf_init(&b);
    for (int i = 0; i < 5000; i++) fl_buf_appendf(&b, "%d|x|1.00|\n", i);
    write_file(&e, "bad/a.dat", fl_buf_cstr(&b));
    fl_buf_append_str(&b, "oops|x|1.00|\n");
    write_file(&e, "bad/b.dat", fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    char dir[700];
    snprintf(dir, sizeof(dir), "%s/bad", e.tt.dir);
    sql_property opts[] = {prop(&e, "delimiter", "|")};
    int64_t rows = 0;
    fl_error err;
    CHECK_EQ(ex_copy_from(&rows, &e.ctx, "db", "small", dir, opts, 1, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "oops") != NULL || strstr(err.message, "line") != NULL);
    ice_table *t;
    if (CHECK_OK(ice_table_load(&t, e.tt.catalog, e.tt.fs, "db", "small", &err), &err)) {
        CHECK_EQ(t->md->snapshot_count, 0);
        ice_table_free(t);
    }
    /* no data files are left behind */
    char data[800];
    snprintf(data, sizeof(data), "%s/db/small/data", e.tt.dir);
    cat_list files;
    if (CHECK(tt_list(data, &files))) {
        CHECK_EQ(files.len, 0);
        cat_list_dispose(&files);
    }
    /* a missing table and missing files are errors too */
    CHECK_EQ(ex_copy_from(&rows, &e.ctx, "db", "nope", dir, opts, 1, &err), FLOE_ENOTFOUND);
    CHECK_EQ(ex_copy_from(&rows, &e.ctx, "db", "small", "/nonexistent/x*.dat", opts, 1, &err), FLOE_ENOTFOUND);
    ts_env_close(&e);
}
