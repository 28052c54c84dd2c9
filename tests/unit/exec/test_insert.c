/*
 * test_insert.c: the INSERT sink (src/exec/op/insert.c): parallel append of
 * a child's rows mapped onto table columns (others NULL) as one snapshot,
 * INSERT OVERWRITE of the partitions written (partitioned table) and of the
 * whole table (unpartitioned), type mismatches refused, and a statement
 * abandoned before its commit leaving no files.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../iceberg/test_icewrite_util.h"
#include "../test.h"
#include "test_scan_util.h"

/* (id INT64, cat STRING) rows for ids lo..hi-1, cat "c<id % 5>" */
static bool rows_buf(ts_env *e, ex_rowbuf *b, int64_t lo, int64_t hi)
{
    fl_type types[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING)};
    fl_error err;
    if (!CHECK_OK(ex_rowbuf_init(b, e->arena, types, 2, &err), &err)) return false;
    size_t n = (size_t)(hi - lo);
    fl_column *id = fl_column_new(e->arena, types[0], n), *cat = fl_column_new(e->arena, types[1], n);
    for (size_t i = 0; i < n; i++) {
        int64_t v = lo + (int64_t)i;
        ((int64_t *)id->data)[i] = v;
        char s[8];
        int len = snprintf(s, sizeof(s), "c%d", (int)(v % 5));
        fl_column_copy_str(cat, s, (size_t)len, &((fl_strv *)cat->data)[i]);
    }
    id->len = cat->len = n;
    ex_vector v[2] = {{.kind = EX_VECTOR_FLAT, .col = id}, {.kind = EX_VECTOR_FLAT, .col = cat}};
    return CHECK_OK(ex_rowbuf_append(b, v, NULL, n, &err), &err);
}

static ex_op *insert_op(ts_env *e, const char *table, ex_op *child, bool overwrite)
{
    plan_node *n = plan_node_new(e->arena, PLAN_INSERT, 1);
    n->children[0] = (plan_node *)child->node;
    n->u.insert.ns = "db";
    n->u.insert.name = table;
    n->u.insert.overwrite = overwrite;
    n->u.insert.column_map = fl_arena_alloc(e->arena, 2 * sizeof(uint32_t));
    n->u.insert.column_map[0] = 0;
    n->u.insert.column_map[1] = 1;
    n->u.insert.column_count = 2;
    ex_op *op;
    fl_error err;
    if (!CHECK_OK(ex_insert_new(&op, n, child, &e->ctx, &err), &err)) return NULL;
    return op;
}

/* Inserts rows lo..hi-1 on 2 threads; returns the reported row count or -1. */
static int64_t insert_rows(ts_env *e, const char *table, int64_t lo, int64_t hi, bool overwrite)
{
    ex_rowbuf in;
    if (!rows_buf(e, &in, lo, hi)) return -1;
    ex_op *child = ts_buffer_op(e, &in, 50);
    ex_op *op = insert_op(e, table, child, overwrite);
    fl_error err;
    if (op == NULL || !CHECK_OK(ts_run_sink(e, op, &in, 700, 2, &err), &err)) return -1;
    ex_rowbuf out;
    if (!CHECK_OK(ts_run_source(e, op, 1, &out, &err), &err)) return -1;
    if (!CHECK_EQ(out.rows, 1)) return -1;
    return ((int64_t *)out.cols[0]->data)[0];
}

static size_t count_ids(ts_env *e, const char *table, int64_t *sum)
{
    ice_table *t;
    fl_error err;
    int64_t *ids = NULL;
    size_t n = 0;
    *sum = 0;
    if (!CHECK_OK(ice_table_load(&t, e->tt.catalog, e->tt.fs, "db", table, &err), &err)) return 0;
    if (iw_ids(t, -1, NULL, &ids, &n))
        for (size_t i = 0; i < n; i++) *sum += ids[i];
    fl_free(ids);
    ice_table_free(t);
    return n;
}

static size_t snapshot_count(ts_env *e, const char *table)
{
    ice_table *t;
    fl_error err;
    if (!CHECK_OK(ice_table_load(&t, e->tt.catalog, e->tt.fs, "db", table, &err), &err)) return 0;
    size_t n = t->md->snapshot_count;
    ice_table_free(t);
    return n;
}

TEST(insert_append_partitioned_overwrite)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 2)) ||
        !iw_create(&e.tt, "p", "[{\"source-id\":2,\"field-id\":1000,\"name\":\"cat\",\"transform\":\"identity\"}]",
                   NULL, 0, &t))
        return;
    ice_table_free(t);
    CHECK_EQ(insert_rows(&e, "p", 0, 5000, false), 5000);
    CHECK_EQ(snapshot_count(&e, "p"), 1);
    int64_t sum;
    CHECK_EQ(count_ids(&e, "p", &sum), 5000);
    CHECK_EQ(sum, 4999 * 5000 / 2);
    /* a second insert adds a snapshot */
    CHECK_EQ(insert_rows(&e, "p", 5000, 6000, false), 1000);
    CHECK_EQ(snapshot_count(&e, "p"), 2);
    CHECK_EQ(count_ids(&e, "p", &sum), 6000);
    /* overwrite with ids 10000..10004: one row per partition c0..c4 -> every
     * partition replaced */
    CHECK_EQ(insert_rows(&e, "p", 10000, 10005, true), 5);
    CHECK_EQ(count_ids(&e, "p", &sum), 5);
    CHECK_EQ(sum, 10000 + 10001 + 10002 + 10003 + 10004);
    /* overwrite with ids 20001, 20006: only partition c1 changes */
    ex_rowbuf in;
    if (rows_buf(&e, &in, 20001, 20002)) {
        CHECK_EQ(insert_rows(&e, "p", 20001, 20002, true), 1);
        CHECK_EQ(count_ids(&e, "p", &sum), 5);
        CHECK_EQ(sum, 10000 + 20001 + 10002 + 10003 + 10004);
    }
    ts_env_close(&e);
}

TEST(insert_overwrite_unpartitioned_and_missing_columns)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 2)) || !iw_create(&e.tt, "u", NULL, NULL, 0, &t)) return;
    ice_table_free(t);
    CHECK_EQ(insert_rows(&e, "u", 0, 3000, false), 3000);
    CHECK_EQ(insert_rows(&e, "u", 100, 110, true), 10);
    int64_t sum;
    CHECK_EQ(count_ids(&e, "u", &sum), 10);
    CHECK_EQ(sum, 1045);
    /* the unmapped columns (d, ts) read back as NULL */
    plan_node *g = plan_node_new(e.arena, PLAN_GET, 0);
    plan_table_source *s = fl_arena_calloc(e.arena, sizeof(*s));
    static const char *names[] = {"id", "cat", "d", "ts"};
    fl_type types[4] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_DATE), fl_type_make(FL_TYPE_TIMESTAMPTZ)};
    int32_t ids[4] = {1, 2, 3, 4};
    uint32_t cols[2] = {2, 3};
    s->kind = PLAN_SOURCE_ICEBERG;
    s->ns = "db";
    s->name = "u";
    s->column_names = names;
    s->column_types = types;
    s->field_ids = ids;
    s->column_count = 4;
    g->table_index = 9;
    g->u.get.source = s;
    g->u.get.column_ids = cols;
    g->u.get.column_count = 2;
    ex_op *op;
    ex_rowbuf buf;
    fl_error err;
    if (CHECK_OK(ex_scan_new(&op, g, &e.ctx, &err), &err) && CHECK_OK(ts_run_source(&e, op, 1, &buf, &err), &err)) {
        CHECK_EQ(buf.rows, 10);
        CHECK_EQ(fl_column_null_count(buf.cols[0]), 10);
        CHECK_EQ(fl_column_null_count(buf.cols[1]), 10);
    }
    ts_env_close(&e);
}

TEST(insert_refuses_types_and_cleans_up)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 1)) || !iw_create(&e.tt, "u", NULL, NULL, 0, &t)) return;
    ice_table_free(t);
    fl_error err;
    /* a child whose first column is a string cannot go into id (long) */
    ex_rowbuf in;
    fl_type types[2] = {fl_type_make(FL_TYPE_STRING), fl_type_make(FL_TYPE_STRING)};
    CHECK_OK(ex_rowbuf_init(&in, e.arena, types, 2, &err), &err);
    ex_op *op = insert_op(&e, "u", ts_buffer_op(&e, &in, 51), false);
    if (op) CHECK_EQ(ts_run_sink(&e, op, &in, 100, 1, &err), FLOE_ETYPE);
    /* a statement that wrote rows but never committed leaves no files */
    ex_rowbuf rows;
    if (rows_buf(&e, &rows, 0, 4000)) {
        fl_arena *qa = fl_arena_new(0);
        ex_ctx saved = e.ctx;
        e.ctx.arena = qa;
        ex_op *ins = insert_op(&e, "u", ts_buffer_op(&e, &rows, 52), false);
        void *g = NULL, *l = NULL;
        fl_arena *ta = fl_arena_new_child(qa, 0);
        if (ins && CHECK_OK(ins->vt->sink_global(ins, &e.ctx, &g, &err), &err) &&
            CHECK_OK(ins->vt->sink_local(ins, &e.ctx, g, ta, &l, &err), &err)) {
            ex_vector v[2] = {{.kind = EX_VECTOR_FLAT, .col = rows.cols[0]}, {.kind = EX_VECTOR_FLAT, .col = rows.cols[1]}};
            ex_chunk c = {2, v, 2048, NULL};
            CHECK_OK(ins->vt->sink(ins, &e.ctx, g, l, &c, &err), &err);
        }
        fl_arena_free(qa);   /* the statement failed elsewhere: its arena goes away */
        e.ctx = saved;
        char data[800];
        snprintf(data, sizeof(data), "%s/db/u/data", e.tt.dir);
        cat_list files;
        if (CHECK(tt_list(data, &files))) {
            CHECK_EQ(files.len, 0);
            cat_list_dispose(&files);
        }
        CHECK_EQ(snapshot_count(&e, "u"), 0);
    }
    ts_env_close(&e);
}

/* The commit fails after the writers finished their files (the table was
 * dropped meanwhile): the files are deleted. */
TEST(insert_failed_commit_deletes_files)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 1)) || !iw_create(&e.tt, "u", NULL, NULL, 0, &t)) return;
    char data[800];
    snprintf(data, sizeof(data), "%s/data", t->md->location);
    ice_table_free(t);
    ex_rowbuf rows;
    fl_error err;
    if (!rows_buf(&e, &rows, 0, 3000)) goto done;
    ex_op *ins = insert_op(&e, "u", ts_buffer_op(&e, &rows, 53), false);
    void *g = NULL, *l = NULL;
    fl_arena *ta = fl_arena_new(0);
    if (ins && CHECK_OK(ins->vt->sink_global(ins, &e.ctx, &g, &err), &err) &&
        CHECK_OK(ins->vt->sink_local(ins, &e.ctx, g, ta, &l, &err), &err)) {
        ex_vector v[2] = {{.kind = EX_VECTOR_FLAT, .col = rows.cols[0]}, {.kind = EX_VECTOR_FLAT, .col = rows.cols[1]}};
        ex_chunk c = {2, v, 2048, NULL};
        CHECK_OK(ins->vt->sink(ins, &e.ctx, g, l, &c, &err), &err);
        CHECK_OK(ins->vt->combine(ins, &e.ctx, g, l, &err), &err);
        char *last = NULL;
        CHECK_OK(cat_table_drop(e.tt.catalog, "db", "u", &last, &err), &err);
        fl_free(last);
        CHECK(ins->vt->finalize(ins, &e.ctx, g, &err) < 0);
        cat_list files;
        if (CHECK(tt_list(data, &files))) {
            CHECK_EQ(files.len, 0);
            cat_list_dispose(&files);
        }
    }
    fl_arena_free(ta);
done:
    ts_env_close(&e);
}
