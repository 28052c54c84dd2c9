/*
 * test_table_fn.c: read_csv / read_parquet (src/func/table_read.c bound,
 * src/exec/op/table_fn.c executed): sniffing delimiter, header and column
 * types, dsdgen's trailing '|', a .zst TPC-DS file, given columns, globs,
 * Parquet files by name, and errors.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/exec/copy.h"
#include "../../../src/func/func.h"
#include "../test.h"
#include "test_scan_util.h"

static fl_value str_value(const char *s)
{
    fl_value v = {.type = fl_type_make(FL_TYPE_STRING)};
    v.v.s = fl_strv_cstr(s);
    return v;
}

static void write_text(ts_env *e, const char *rel, const char *text)
{
    char path[800];
    fl_error err;
    snprintf(path, sizeof(path), "%s/%s", e->tt.dir, rel);
    CHECK_OK(io_write_file(e->tt.fs, path, 0, text, strlen(text), &err), &err);
}

/* Runs a bound table function reading columns ids[0..n) into buf. */
static int run_fn(ts_env *e, const char *name, fn_table_bind_result *b, const uint32_t *ids,
                  uint32_t n, int threads, ex_rowbuf *buf, fl_error *err)
{
    plan_table_function *fn = fl_arena_calloc(e->arena, sizeof(*fn));
    fn->name = name;
    fn->column_names = b->column_names;
    fn->column_types = b->column_types;
    fn->column_count = b->column_count;
    fn->bind_data = b->bind_data;
    plan_node *node = plan_node_new(e->arena, PLAN_TABLE_FUNCTION, 0);
    node->table_index = 11;
    node->u.table_fn.fn = fn;
    node->u.table_fn.column_ids = fl_arena_memdup(e->arena, ids, n * sizeof(uint32_t));
    node->u.table_fn.column_count = n;
    ex_op *op;
    FL_TRY(ex_table_fn_new(&op, node, &e->ctx, err));
    return ts_run_source(e, op, threads, buf, err);
}

TEST(table_fn_read_csv_sniff)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2))) return;
    write_text(&e, "s/a.csv",
               "id,price,day,flag,label,ts\n"
               "1,1.5,2024-01-02,true,x,2024-01-02 03:04:05\n"
               "2,,2024-02-03,false,\"y, quoted\",2024-01-02 03:04:06\n"
               "3,-7,2024-03-04,,z,\n");
    char path[800];
    snprintf(path, sizeof(path), "%s/s/a.csv", e.tt.dir);
    fl_value args[1] = {str_value(path)};
    fn_table_args ta = {.args = args, .arg_count = 1};
    fn_table_bind_result b;
    fl_error err;
    if (!CHECK_OK(fn_table_bind(&b, "read_csv", &ta, e.arena, &err), &err)) goto done;
    CHECK_EQ(b.column_count, 6);
    if (b.column_count == 6) {
        CHECK_STR(b.column_names[0], "id");
        CHECK_STR(b.column_names[5], "ts");
        CHECK_EQ(b.column_types[0].id, FL_TYPE_INT64);
        CHECK_EQ(b.column_types[1].id, FL_TYPE_DOUBLE);
        CHECK_EQ(b.column_types[2].id, FL_TYPE_DATE);
        CHECK_EQ(b.column_types[3].id, FL_TYPE_BOOL);
        CHECK_EQ(b.column_types[4].id, FL_TYPE_STRING);
        CHECK_EQ(b.column_types[5].id, FL_TYPE_TIMESTAMP);
        uint32_t ids[] = {4, 0, 1};
        ex_rowbuf buf;
        if (CHECK_OK(run_fn(&e, "read_csv", &b, ids, 3, 1, &buf, &err), &err)) {
            CHECK_EQ(buf.rows, 3);
            CHECK_EQ(ts_sum(&buf, 1), 6);
            CHECK(fl_strv_eq(((fl_strv *)buf.cols[0]->data)[1], fl_strv_cstr("y, quoted")));
            CHECK(!fl_column_is_valid(buf.cols[2], 1));
            CHECK(((double *)buf.cols[2]->data)[2] == -7.0);
        }
    }
done:
    ts_env_close(&e);
}

TEST(table_fn_read_csv_tpcds_zst)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2))) return;
    fl_value args[1] = {str_value(ft_shared("tpcds/sf1-web/date_dim.dat.zst"))};
    fn_table_args ta = {.args = args, .arg_count = 1};
    fn_table_bind_result b;
    fl_error err;
    if (!CHECK_OK(fn_table_bind(&b, "read_csv", &ta, e.arena, &err), &err)) goto done;
    /* '|' detected, trailing delimiter dropped, no header */
    CHECK_EQ(b.column_count, 28);
    if (b.column_count == 28) {
        CHECK_STR(b.column_names[0], "column0");
        CHECK_EQ(b.column_types[0].id, FL_TYPE_INT64);
        CHECK_EQ(b.column_types[1].id, FL_TYPE_STRING);
        CHECK_EQ(b.column_types[2].id, FL_TYPE_DATE);
        CHECK_EQ(b.column_types[14].id, FL_TYPE_STRING);
        uint32_t ids[] = {0, 6};
        ex_rowbuf buf;
        if (CHECK_OK(run_fn(&e, "read_csv", &b, ids, 2, 2, &buf, &err), &err)) {
            CHECK_EQ(buf.rows, 73049);
            CHECK_EQ(ts_sum(&buf, 0), (int64_t)(2415022 + 2488070) * 73049 / 2);
        }
    }
done:
    ts_env_close(&e);
}

TEST(table_fn_read_csv_columns_glob_and_errors)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2))) return;
    for (int f = 0; f < 3; f++) {
        char rel[64], text[4096];
        size_t o = 0;
        o += (size_t)snprintf(text + o, sizeof(text) - o, "a|b\n");
        for (int i = 0; i < 50; i++) o += (size_t)snprintf(text + o, sizeof(text) - o, "%d|%s\n", f * 50 + i, i % 2 ? "NULL" : "v");
        snprintf(rel, sizeof(rel), "g/part%d.txt", f);
        write_text(&e, rel, text);
    }
    write_text(&e, "g/other.csv", "not|matched\n");
    char glob[800];
    snprintf(glob, sizeof(glob), "%s/g/part*.txt", e.tt.dir);
    fl_value args[1] = {str_value(glob)};
    const char *keys[] = {"delim", "header", "nullstr"};
    fl_value vals[3] = {str_value("|"), {.type = fl_type_make(FL_TYPE_BOOL)}, str_value("NULL")};
    vals[1].v.b = true;
    const char *names[] = {"k", "s"};
    fl_type types[] = {fl_type_make(FL_TYPE_INT32), fl_type_make(FL_TYPE_STRING)};
    fn_table_args ta = {.args = args, .arg_count = 1, .named_keys = keys, .named_values = vals,
                        .named_count = 3, .column_names = names, .column_types = types, .column_count = 2};
    fn_table_bind_result b;
    fl_error err;
    if (CHECK_OK(fn_table_bind(&b, "read_csv", &ta, e.arena, &err), &err)) {
        CHECK_EQ(b.column_types[0].id, FL_TYPE_INT32);
        uint32_t ids[] = {0, 1};
        ex_rowbuf buf;
        if (CHECK_OK(run_fn(&e, "read_csv", &b, ids, 2, 2, &buf, &err), &err)) {
            CHECK_EQ(buf.rows, 150);
            CHECK_EQ(ts_sum(&buf, 0), 149 * 150 / 2);
            CHECK_EQ(fl_column_null_count(buf.cols[1]), 75);
        }
    }
    /* no match, unknown option, unknown function */
    char none[800];
    snprintf(none, sizeof(none), "%s/g/*.nothing", e.tt.dir);
    fl_value nargs[1] = {str_value(none)};
    fn_table_args tn = {.args = nargs, .arg_count = 1};
    CHECK_EQ(fn_table_bind(&b, "read_csv", &tn, e.arena, &err), FLOE_ENOTFOUND);
    const char *bad_keys[] = {"frob"};
    fn_table_args tb = {.args = args, .arg_count = 1, .named_keys = bad_keys, .named_values = vals, .named_count = 1};
    CHECK_EQ(fn_table_bind(&b, "read_csv", &tb, e.arena, &err), FLOE_EINVAL);
    CHECK_EQ(fn_table_bind(&b, "read_json", &ta, e.arena, &err), FLOE_ENOTFOUND);
    CHECK(fn_table_exists("READ_PARQUET"));
    CHECK(!fn_table_exists("read_json"));
    ts_env_close(&e);
}

TEST(table_fn_read_parquet_glob)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2))) return;
    /* Parquet files written by COPY into an Iceberg table, read back raw */
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads("{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                           "{\"id\":1,\"name\":\"k\",\"required\":true,\"type\":\"long\"},"
                           "{\"id\":2,\"name\":\"Name\",\"required\":false,\"type\":\"string\"}]}", 0, NULL);
    ice_schema *schema = NULL;
    ice_table *t = NULL;
    bool ok = CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err);
    ice_table_create_opts o = {.schema = schema};
    ok = ok && CHECK_OK(ice_table_create(&t, e.tt.catalog, e.tt.fs, e.tt.dir, "db", "p", &o, &err), &err);
    json_decref(j);
    ice_table_free(t);
    fl_arena_free(a);
    if (!ok) goto done;
    for (int f = 0; f < 2; f++) {
        char text[8192];
        size_t off = 0;
        for (int i = 0; i < 400; i++) off += (size_t)snprintf(text + off, sizeof(text) - off, "%d,n%d\n", f * 400 + i, i);
        char rel[64], path[800];
        snprintf(rel, sizeof(rel), "src%d.csv", f);
        write_text(&e, rel, text);
        snprintf(path, sizeof(path), "%s/%s", e.tt.dir, rel);
        int64_t rows;
        CHECK_OK(ex_copy_from(&rows, &e.ctx, "db", "p", path, NULL, 0, &err), &err);
    }
    char glob[800];
    snprintf(glob, sizeof(glob), "%s/db/p/data/*.parquet", e.tt.dir);
    fl_value args[1] = {str_value(glob)};
    fn_table_args ta = {.args = args, .arg_count = 1};
    fn_table_bind_result b;
    if (!CHECK_OK(fn_table_bind(&b, "read_parquet", &ta, e.arena, &err), &err)) goto done;
    CHECK_EQ(b.column_count, 2);
    CHECK_EQ(b.column_types[0].id, FL_TYPE_INT64);
    CHECK(b.estimated_rows == 800);
    uint32_t ids[] = {1, 0};
    ex_rowbuf buf;
    if (CHECK_OK(run_fn(&e, "read_parquet", &b, ids, 2, 2, &buf, &err), &err)) {
        CHECK_EQ(buf.rows, 800);
        CHECK_EQ(ts_sum(&buf, 1), 799 * 800 / 2);
        CHECK_EQ(buf.cols[0]->type.id, FL_TYPE_STRING);
    }
done:
    ts_env_close(&e);
}
