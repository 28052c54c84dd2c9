/*
 * test_scan.c: the Iceberg table scan (src/exec/op/scan.c) on tables built
 * in a temporary warehouse with ice_writer + ice_txn_append: all rows on 1
 * and 3 threads, column projection, filters pushed into Iceberg pruning
 * (files actually skipped) and applied exactly, filter conversion rules,
 * time travel by snapshot id, and the external-table path over CSV files.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/exec/copy.h"
#include "../../../src/exec/op/scan_int.h"
#include "../../../src/iceberg/ice_writer.h"
#include "../iceberg/test_icewrite_util.h"
#include "../test.h"
#include "test_scan_util.h"

/* db.<name> (id long, cat string, d date, ts timestamptz) partitioned by
 * identity(cat)? no: by bucket-free month(d); three appends of 1000 ids. */
static bool make_table(ts_env *e, const char *name, int64_t snaps[3])
{
    ice_table *t = NULL;
    const char *spec = "[{\"source-id\":1,\"field-id\":1000,\"name\":\"id_trunc\",\"transform\":\"truncate[1000]\"}]";
    if (!iw_create(&e->tt, name, spec, NULL, 0, &t)) return false;
    fl_arena *a = fl_arena_new(0);
    bool ok = true;
    for (int s = 0; ok && s < 3; s++) {
        ice_data_file *files;
        size_t count;
        fl_error err;
        ok = iw_write(t, NULL, s * 1000, 1000, &files, &count, a) &&
             CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err);
        if (ok) snaps[s] = t->md->current_snapshot_id;
    }
    ice_table_free(t);
    fl_arena_free(a);
    return ok;
}


TEST(scan_iceberg_all_rows_threads)
{
    ts_env e;
    int64_t snaps[3];
    if (!CHECK(ts_env_open(&e, 3)) || !make_table(&e, "t", snaps)) return;
    uint32_t cols[] = {0, 2};
    fl_error err;
    for (int threads = 1; threads <= 3; threads += 2) {
        ex_op *op;
        if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, ts_iceberg_source(&e, "t"), cols, 2, NULL, 0), &e.ctx, &err), &err)) break;
        CHECK_EQ(op->col_count, 2);
        CHECK_EQ(op->types[1].id, FL_TYPE_DATE);
        ex_rowbuf buf;
        if (!CHECK_OK(ts_run_source(&e, op, threads, &buf, &err), &err)) break;
        CHECK_EQ(buf.rows, 3000);
        CHECK_EQ(ts_sum(&buf, 0), 2999 * 3000 / 2);
        /* the date column is the generator's */
        int bad = 0;
        for (size_t i = 0; i < buf.rows; i++) {
            int64_t id = ((int64_t *)buf.cols[0]->data)[i];
            if (((int32_t *)buf.cols[1]->data)[i] != iw_day(id)) bad++;
        }
        CHECK_EQ(bad, 0);
    }
    ts_env_close(&e);
}

TEST(scan_iceberg_filter_prunes_and_filters)
{
    ts_env e;
    int64_t snaps[3];
    if (!CHECK(ts_env_open(&e, 2)) || !make_table(&e, "t", snaps)) return;
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    /* id >= 1100 AND id < 1200: only the second append's file can match */
    plan_expr *f[2] = {ts_cmp(&e, ">=", ts_col(&e, 7, 0, i64), ts_i64(&e, 1100)),
                       ts_cmp(&e, ">", ts_i64(&e, 1200), ts_col(&e, 7, 0, i64))};
    uint32_t cols[] = {0, 1};
    ex_op *op;
    fl_error err;
    if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, ts_iceberg_source(&e, "t"), cols, 2, f, 2), &e.ctx, &err), &err)) goto done;
    ex_rowbuf buf;
    if (!CHECK_OK(ex_rowbuf_init(&buf, e.arena, op->types, 2, &err), &err)) goto done;
    /* drive it by hand to see the global state */
    void *g;
    if (!CHECK_OK(op->vt->source_global(op, &e.ctx, &g, &err), &err)) goto done;
    ex_ice_scan_global *ig = g;
    CHECK(ig->ice_filter != NULL);
    CHECK_EQ(ig->plan->task_count, 1);
    CHECK(ig->plan->data_files_skipped + ig->plan->manifests_skipped >= 2);
    fl_arena *ta = fl_arena_new(0);
    void *l;
    ex_chunk chunk;
    if (CHECK_OK(op->vt->source_local(op, &e.ctx, g, ta, &l, &err), &err) &&
        CHECK_OK(ex_chunk_init(&chunk, ta, op->types, 2, &err), &err)) {
        for (;;) {
            ex_source_result res;
            chunk.count = 0;
            if (!CHECK_OK(op->vt->get_data(op, &e.ctx, g, l, &chunk, &res, &err), &err)) break;
            /* dictionary vectors are flattened before a sink, as the runner does */
            if (!CHECK_OK(ex_chunk_flatten_dicts(&chunk, ta, &err), &err)) break;
            if (chunk.count) CHECK_OK(ex_rowbuf_append(&buf, chunk.cols, NULL, chunk.count, &err), &err);
            if (res == EX_SOURCE_DONE) break;
        }
    }
    fl_arena_free(ta);
    CHECK_EQ(buf.rows, 100);
    CHECK_EQ(ts_sum(&buf, 0), (1100 + 1199) * 100 / 2);
    /* the reader saw at most the one file's rows */
    CHECK(atomic_load(&ig->rows_read) <= 1000);
done:
    ts_env_close(&e);
}

TEST(scan_iceberg_time_travel)
{
    ts_env e;
    int64_t snaps[3];
    if (!CHECK(ts_env_open(&e, 1)) || !make_table(&e, "t", snaps)) return;
    uint32_t cols[] = {0};
    fl_error err;
    for (int s = 0; s < 3; s++) {
        plan_table_source *src = ts_iceberg_source(&e, "t");
        src->snapshot_id = snaps[s];
        ex_op *op;
        ex_rowbuf buf;
        if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, src, cols, 1, NULL, 0), &e.ctx, &err), &err) ||
            !CHECK_OK(ts_run_source(&e, op, 1, &buf, &err), &err))
            break;
        CHECK_EQ(buf.rows, 1000 * (s + 1));
    }
    /* an unknown snapshot is an error, not a crash */
    plan_table_source *src = ts_iceberg_source(&e, "t");
    src->snapshot_id = 12345;
    ex_op *op;
    ex_rowbuf buf;
    if (CHECK_OK(ex_scan_new(&op, ts_get_node(&e, src, cols, 1, NULL, 0), &e.ctx, &err), &err))
        CHECK_EQ(ts_run_source(&e, op, 1, &buf, &err), FLOE_ENOTFOUND);
    /* a missing table too */
    if (CHECK_OK(ex_scan_new(&op, ts_get_node(&e, ts_iceberg_source(&e, "nope"), cols, 1, NULL, 0), &e.ctx, &err), &err))
        CHECK_EQ(ts_run_source(&e, op, 1, &buf, &err), FLOE_ENOTFOUND);
    ts_env_close(&e);
}

TEST(scan_iceberg_filter_conversion)
{
    ts_env e;
    int64_t snaps[3];
    if (!CHECK(ts_env_open(&e, 1)) || !make_table(&e, "t", snaps)) return;
    fl_error err;
    ice_table *t;
    if (!CHECK_OK(ice_table_load(&t, e.tt.catalog, e.tt.fs, "db", "t", &err), &err)) goto done;
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    plan_table_source *src = ts_iceberg_source(&e, "t");
    plan_binding b[2] = {{7, 0}, {7, 1}};
    uint32_t rc[2] = {0, 1};
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    const ice_expr *x;
    fl_buf text;
    fl_buf_init(&text);
    /* NOT (id = 5) converts; NOT of something partial does not */
    plan_expr *eq = ts_cmp(&e, "=", ts_col(&e, 7, 0, i64), ts_i64(&e, 5));
    plan_expr *not = plan_expr_new(e.arena, PLAN_EX_NOT, fl_type_make(FL_TYPE_BOOL), 1);
    not->args[0] = eq;
    CHECK_OK(ex_scan_ice_filter(&x, &not, 1, src, 7, b, rc, 2, schema, e.arena, &err), &err);
    CHECK(x != NULL);
    if (x) {
        ice_expr_format(&text, x);
        CHECK(strstr(fl_buf_cstr(&text), "5") != NULL);
    }
    /* id IS NULL OR (id + 1 > 3): the OR has an unconvertible side -> nothing */
    plan_expr *isnull = plan_expr_new(e.arena, PLAN_EX_IS_NULL, fl_type_make(FL_TYPE_BOOL), 1);
    isnull->args[0] = ts_col(&e, 7, 0, i64);
    plan_expr *plus = ts_cmp(&e, "+", ts_col(&e, 7, 0, i64), ts_i64(&e, 1));
    if (plus) plus->type = i64;
    plan_expr *gt = plus ? ts_cmp(&e, ">", plus, ts_i64(&e, 3)) : NULL;
    plan_expr *or = plan_expr_new(e.arena, PLAN_EX_OR, fl_type_make(FL_TYPE_BOOL), 2);
    or->args[0] = isnull;
    or->args[1] = gt;
    if (gt) {
        CHECK_OK(ex_scan_ice_filter(&x, &or, 1, src, 7, b, rc, 2, schema, e.arena, &err), &err);
        CHECK(x == NULL);
        /* NOT of it: still nothing (would be stronger) */
        not->args[0] = or;
        CHECK_OK(ex_scan_ice_filter(&x, &not, 1, src, 7, b, rc, 2, schema, e.arena, &err), &err);
        CHECK(x == NULL);
    }
    /* IN with a NULL element keeps the others */
    plan_expr *in = plan_expr_new(e.arena, PLAN_EX_IN_LIST, fl_type_make(FL_TYPE_BOOL), 3);
    in->args[0] = ts_col(&e, 7, 0, i64);
    in->args[1] = ts_i64(&e, 10);
    fl_value nullv = {.type = i64, .is_null = true};
    in->args[2] = plan_expr_const(e.arena, &nullv);
    CHECK_OK(ex_scan_ice_filter(&x, &in, 1, src, 7, b, rc, 2, schema, e.arena, &err), &err);
    CHECK(x != NULL && x->kind == ICE_EXPR_PRED && x->pred.op == ICE_PRED_IN);
    fl_buf_dispose(&text);
    ice_table_free(t);
done:
    ts_env_close(&e);
}

/* External table: pipe-delimited files with a trailing '|' in a folder. */
TEST(scan_external_csv_folder)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2))) return;
    char dir[700], path[800];
    snprintf(dir, sizeof(dir), "%s/raw/t", e.tt.dir);
    fl_error err;
    for (int f = 0; f < 3; f++) {
        fl_buf b;
        fl_buf_init(&b);
        for (int i = 0; i < 500; i++) fl_buf_appendf(&b, "%d|name %d|%s|\n", f * 500 + i, i, i % 10 ? "1.25" : "");
        snprintf(path, sizeof(path), "%s/part-%d.dat", dir, f);
        CHECK_OK(io_write_file(e.tt.fs, path, 0, b.data, b.len, &err), &err);
        fl_buf_dispose(&b);
    }
    snprintf(path, sizeof(path), "%s/_SUCCESS", dir);
    CHECK_OK(io_write_file(e.tt.fs, path, 0, "", 0, &err), &err);
    plan_table_source *s = fl_arena_calloc(e.arena, sizeof(*s));
    static const char *names[] = {"k", "name", "price"};
    fl_type types[3] = {fl_type_make(FL_TYPE_INT32), fl_type_make(FL_TYPE_STRING), fl_type_decimal(7, 2)};
    s->kind = PLAN_SOURCE_EXTERNAL;
    s->ns = "raw";
    s->name = "t";
    s->column_names = names;
    s->column_types = types;
    s->column_count = 3;
    s->location = "raw/t/";
    s->format = "csv";
    s->delimiter = '|';
    s->null_string = "";
    uint32_t cols[] = {2, 0};
    fl_type i32 = fl_type_make(FL_TYPE_INT32);
    fl_value v = {.type = i32};
    v.v.i64 = 1000;
    plan_expr *f = ts_cmp(&e, "<", ts_col(&e, 7, 1, i32), plan_expr_const(e.arena, &v));
    ex_op *op;
    ex_rowbuf buf;
    if (CHECK_OK(ex_scan_new(&op, ts_get_node(&e, s, cols, 2, &f, 1), &e.ctx, &err), &err) &&
        CHECK_OK(ts_run_source(&e, op, 2, &buf, &err), &err)) {
        CHECK_EQ(buf.rows, 1000);
        CHECK_EQ(ts_sum(&buf, 1), 999 * 1000 / 2);
        CHECK_EQ(buf.cols[0]->type.id, FL_TYPE_DECIMAL);
        CHECK_EQ(fl_column_null_count(buf.cols[0]), 100);
        int64_t price_sum = 0;
        for (size_t i = 0; i < buf.rows; i++)
            if (fl_column_is_valid(buf.cols[0], i)) price_sum += ((int64_t *)buf.cols[0]->data)[i];
        CHECK_EQ(price_sum, 900 * 125);
    }
    /* a location with no files */
    s->location = "raw/none/";
    if (CHECK_OK(ex_scan_new(&op, ts_get_node(&e, s, cols, 2, NULL, 0), &e.ctx, &err), &err))
        CHECK_EQ(ts_run_source(&e, op, 1, &buf, &err), FLOE_ENOTFOUND);
    ts_env_close(&e);
}

/* Throughput of the Iceberg scan over TPC-DS web_sales SF1 (all 34 columns)
 * on 1 and 2 threads. Runs only with FLOE_SCAN_BENCH=1 (it loads 719,384
 * rows first). The table is written with 16 MiB target files so that there
 * are several morsels. */
#include <malloc.h>
#include <stdlib.h>
#include <time.h>

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(scan_bench_web_sales)
{
    if (getenv("FLOE_SCAN_BENCH") == NULL) return;
    /* the floe CLI's malloc policy (src/cli/main.c) */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    ts_env e;
    if (!CHECK(ts_env_open(&e, 2))) return;
    fl_buf js;
    fl_buf_init(&js);
    fl_buf_append_str(&js, "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[");
    plan_table_source *s = fl_arena_calloc(e.arena, sizeof(*s));
    s->kind = PLAN_SOURCE_ICEBERG;
    s->ns = "db";
    s->name = "web_sales";
    s->column_count = 34;
    s->column_types = fl_arena_alloc(e.arena, 34 * sizeof(fl_type));
    s->field_ids = fl_arena_alloc(e.arena, 34 * sizeof(int32_t));
    s->column_names = fl_arena_calloc(e.arena, 34 * sizeof(char *));
    uint32_t cols[34];
    for (int i = 0; i < 34; i++) {
        bool dec = i >= 19;
        fl_buf_appendf(&js, "%s{\"id\":%d,\"name\":\"c%d\",\"required\":false,\"type\":\"%s\"}", i ? "," : "",
                       i + 1, i, dec ? "decimal(7,2)" : "int");
        s->column_types[i] = dec ? fl_type_decimal(7, 2) : fl_type_make(FL_TYPE_INT32);
        s->field_ids[i] = i + 1;
        s->column_names[i] = "c";
        cols[i] = (uint32_t)i;
    }
    fl_buf_append_str(&js, "]}");
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(fl_buf_cstr(&js), 0, NULL);
    ice_schema *schema = NULL;
    ice_table *t = NULL;
    ice_kv props[1] = {{"write.target-file-size-bytes", "16777216"}};
    ice_table_create_opts o = {.schema = NULL, .properties = props, .property_count = 1};
    bool ok = CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err);
    o.schema = schema;
    ok = ok && CHECK_OK(ice_table_create(&t, e.tt.catalog, e.tt.fs, e.tt.dir, "db", "web_sales", &o, &err), &err);
    json_decref(j);
    fl_buf_dispose(&js);
    ice_table_free(t);
    fl_arena_free(a);
    sql_property opts[1] = {{"delimiter", NULL}};
    sql_expr lit = {.kind = SQL_EXPR_LITERAL};
    lit.u.lit.kind = SQL_LIT_STRING;
    lit.u.lit.text = "|";
    opts[0].value = &lit;
    int64_t rows = 0;
    double t0 = now_s();
    ok = ok && CHECK_OK(ex_copy_from(&rows, &e.ctx, "db", "web_sales",
                                     ft_shared("tpcds/sf1-web/web_sales.dat.zst"), opts, 1, &err), &err);
    double t1 = now_s();
    if (ok) {
        CHECK_EQ(rows, 719384);
        printf("# COPY web_sales: %lld rows in %.2f s (%.0f rows/s)\n", (long long)rows, t1 - t0, rows / (t1 - t0));
    }
    for (int threads = 1; ok && threads <= 2; threads++) {
        ex_op *op;
        int64_t n = 0;
        if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, s, cols, 34, NULL, 0), &e.ctx, &err), &err)) break;
        double b0 = now_s(), c0 = cpu_s();
        if (!CHECK_OK(ts_count_source(&e, op, threads, &n, &err), &err)) break;
        double b1 = now_s(), c1 = cpu_s();
        CHECK_EQ(n, 719384);
        printf("# scan web_sales (34 columns): %d thread%s %.3f s wall, %.0f rows/s; %.3f s cpu, %.0f rows per cpu-second\n",
               threads, threads > 1 ? "s" : "", b1 - b0, (double)n / (b1 - b0), c1 - c0, (double)n / (c1 - c0));
    }
    ts_env_close(&e);
}

/* A widened integer column (CAST(id AS ...)) still prunes; a try_cast or a
 * narrowing one does not convert. */
TEST(scan_iceberg_filter_cast_column)
{
    ts_env e;
    int64_t snaps[3];
    if (!CHECK(ts_env_open(&e, 1)) || !make_table(&e, "t", snaps)) return;
    fl_error err;
    ice_table *t;
    if (!CHECK_OK(ice_table_load(&t, e.tt.catalog, e.tt.fs, "db", "t", &err), &err)) goto done;
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    plan_table_source *src = ts_iceberg_source(&e, "t");
    src->column_types[0] = fl_type_make(FL_TYPE_INT64);
    plan_binding b[1] = {{7, 0}};
    uint32_t rc[1] = {0};
    fl_type i64 = fl_type_make(FL_TYPE_INT64), i32 = fl_type_make(FL_TYPE_INT32);
    plan_expr *cast = plan_expr_new(e.arena, PLAN_EX_CAST, i64, 1);
    cast->args[0] = ts_col(&e, 7, 0, i64);
    plan_expr *f = ts_cmp(&e, ">", cast, ts_i64(&e, 2500));
    const ice_expr *x;
    CHECK_OK(ex_scan_ice_filter(&x, &f, 1, src, 7, b, rc, 1, schema, e.arena, &err), &err);
    CHECK(x != NULL && x->kind == ICE_EXPR_PRED && x->pred.op == ICE_PRED_GT);
    cast->u.try_cast = true;
    CHECK_OK(ex_scan_ice_filter(&x, &f, 1, src, 7, b, rc, 1, schema, e.arena, &err), &err);
    CHECK(x == NULL);
    cast->u.try_cast = false;
    cast->type = i32;   /* narrowing: not the column's order */
    f->args[1] = plan_expr_const(e.arena, &(fl_value){.type = i32, .v.i64 = 5});
    CHECK_OK(ex_scan_ice_filter(&x, &f, 1, src, 7, b, rc, 1, schema, e.arena, &err), &err);
    CHECK(x == NULL);
    ice_table_free(t);
done:
    ts_env_close(&e);
}

/* Position and equality deletes are applied by the scan. */
TEST(scan_iceberg_deletes)
{
    ts_env e;
    ice_table *t = NULL;
    if (!CHECK(ts_env_open(&e, 2)) || !iw_create(&e.tt, "d", NULL, NULL, 0, &t)) return;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *files;
    size_t count;
    if (!iw_write(t, NULL, 0, 3000, &files, &count, a) || !CHECK_EQ(count, 1) ||
        !CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err))
        goto done;
    /* positions 10..19 (ids 10..19) and ids 5, 1500, 2999 by equality */
    int64_t pos[10];
    for (int i = 0; i < 10; i++) pos[i] = 10 + i;
    ice_data_file dels[2];
    fl_column *ids = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 3);
    ((int64_t *)ids->data)[0] = 5;
    ((int64_t *)ids->data)[1] = 1500;
    ((int64_t *)ids->data)[2] = 2999;
    ids->len = 3;
    int32_t eq_ids[1] = {1};
    if (!CHECK_OK(ice_write_position_deletes(&dels[0], t, &files[0], pos, 10, a, &err), &err) ||
        !CHECK_OK(ice_write_equality_deletes(&dels[1], t, eq_ids, 1, &ids, 3, NULL, a, &err), &err))
        goto done;
    ice_row_delta delta = {.add_deletes = dels, .add_delete_count = 2};
    if (!CHECK_OK(ice_txn_row_delta(t, &delta, NULL, NULL, &err), &err)) goto done;
    uint32_t cols[] = {0};
    ex_op *op;
    ex_rowbuf buf;
    if (CHECK_OK(ex_scan_new(&op, ts_get_node(&e, ts_iceberg_source(&e, "d"), cols, 1, NULL, 0), &e.ctx, &err), &err) &&
        CHECK_OK(ts_run_source(&e, op, 2, &buf, &err), &err)) {
        CHECK_EQ(buf.rows, 3000 - 13);
        CHECK_EQ(ts_sum(&buf, 0), 2999 * 3000 / 2 - (10 + 19) * 10 / 2 - 5 - 1500 - 2999);
    }
done:
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}
