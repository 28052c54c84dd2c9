/*
 * test_features_insert.c: INSERT into a table with a sort order
 * (op/insert.c, ice_writer's sort order and roll): on two threads, every
 * data file holds its rows sorted by the order (directions, null order,
 * a bucket transform), its manifest entry carries the order's id, and its
 * column bounds are those of a sorted run; a partitioned table sorts within
 * each partition's files (whose id bounds are then their first and last
 * rows); a table without an order writes files without sort_order_id.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/iceberg/ice_evolve.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../iceberg/test_icewrite_util.h"
#include "../test.h"
#include "test_scan_util.h"

/* (id INT64, cat STRING) rows for ids lo..hi-1, cat "c<id % 5>" or NULL
 * every 7th id. */
static bool rows_buf(ts_env *e, ex_rowbuf *b, int64_t lo, int64_t hi)
{
    fl_type types[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING)};
    fl_error err;
    if (!CHECK_OK(ex_rowbuf_init(b, e->arena, types, 2, &err), &err)) return false;
    size_t n = (size_t)(hi - lo);
    fl_column *id = fl_column_new(e->arena, types[0], n), *cat = fl_column_new(e->arena, types[1], n);
    if (!CHECK(id && cat && fl_column_ensure_validity(cat) == 0)) return false;
    for (size_t i = 0; i < n; i++) {
        int64_t v = lo + (int64_t)i;
        ((int64_t *)id->data)[i] = v;
        if (v % 7 == 0) {
            fl_bit_clear(cat->validity, i);
            ((fl_strv *)cat->data)[i] = fl_strv_make(NULL, 0);
            continue;
        }
        char s[8];
        int len = snprintf(s, sizeof(s), "c%d", (int)(v % 5));
        fl_column_copy_str(cat, s, (size_t)len, &((fl_strv *)cat->data)[i]);
    }
    id->len = cat->len = n;
    ex_vector v[2] = {{.kind = EX_VECTOR_FLAT, .col = id}, {.kind = EX_VECTOR_FLAT, .col = cat}};
    return CHECK_OK(ex_rowbuf_append(b, v, NULL, n, &err), &err);
}

static int64_t insert_rows(ts_env *e, const char *table, int64_t lo, int64_t hi)
{
    ex_rowbuf in;
    if (!rows_buf(e, &in, lo, hi)) return -1;
    ex_op *child = ts_buffer_op(e, &in, 50);
    plan_node *n = plan_node_new(e->arena, PLAN_INSERT, 1);
    n->children[0] = (plan_node *)child->node;
    n->u.insert.ns = "db";
    n->u.insert.name = table;
    n->u.insert.column_map = fl_arena_alloc(e->arena, 2 * sizeof(uint32_t));
    n->u.insert.column_map[0] = 0;
    n->u.insert.column_map[1] = 1;
    n->u.insert.column_count = 2;
    ex_op *op;
    fl_error err;
    if (!CHECK_OK(ex_insert_new(&op, n, child, &e->ctx, &err), &err)) return -1;
    if (!CHECK_OK(ts_run_sink(e, op, &in, 700, 2, &err), &err)) return -1;
    ex_rowbuf out;
    if (!CHECK_OK(ts_run_source(e, op, 1, &out, &err), &err) || !CHECK_EQ(out.rows, 1)) return -1;
    return ((int64_t *)out.cols[0]->data)[0];
}

/* Row order of the test's sort orders. kind 0: cat DESC NULLS LAST,
 * bucket(4, id) ASC (nulls first), id DESC; kind 1: id DESC. */
typedef struct row {
    int64_t id;
    bool cat_null;
    char cat[8];
} row;

static int cmp_rows(int kind, const row *a, const row *b)
{
    if (kind == 0) {
        if (a->cat_null != b->cat_null) return a->cat_null ? 1 : -1;   /* nulls last */
        int c = a->cat_null ? 0 : -strcmp(a->cat, b->cat);
        if (c) return c;
        fl_value va = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = a->id};
        fl_value vb = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = b->id};
        ice_transform t = ice_transform_make(ICE_TRANSFORM_BUCKET, 4);
        fl_value ba, bb;
        fl_error err;
        ice_transform_apply(&ba, &t, ice_type_primitive(ICE_TYPE_LONG), &va, &err);
        ice_transform_apply(&bb, &t, ice_type_primitive(ICE_TYPE_LONG), &vb, &err);
        if (ba.v.i64 != bb.v.i64) return ba.v.i64 < bb.v.i64 ? -1 : 1;
    }
    return a->id > b->id ? -1 : a->id < b->id;
}

/* Checks every data file of the current snapshot; returns the file count. */
static size_t check_files(ts_env *e, const char *table, int kind, int32_t order_id, int64_t *rows)
{
    ice_table *t;
    ice_scan_plan *plan;
    fl_error err;
    size_t files = 0;
    *rows = 0;
    if (!ts_current_plan(e, table, &t, &plan)) return 0;
    fl_arena *a = fl_arena_new(0);
    for (size_t k = 0; k < plan->task_count; k++) {
        const ice_data_file *df = &plan->tasks[k].file;
        files++;
        CHECK_EQ(df->has_sort_order_id, order_id > 0);
        if (order_id > 0) CHECK_EQ(df->sort_order_id, order_id);
        pq_file *f;
        if (!CHECK_OK(pq_file_open_path(&f, df->file_path, &err), &err)) continue;
        pq_scan *s;
        pq_scan_opts o = {0};
        if (!CHECK_OK(pq_scan_new(&s, f, &o, &err), &err)) {
            pq_file_free(f);
            continue;
        }
        row prev = {0};
        int64_t n = 0, bad = 0, min_id = INT64_MAX, max_id = INT64_MIN, first_id = 0;
        for (;;) {
            fl_column *cols[4];
            size_t got;
            fl_arena_reset(a);
            if (!CHECK_OK(pq_scan_next(s, a, cols, &got, &err), &err) || got == 0) break;
            for (size_t i = 0; i < got; i++, n++) {
                row r = {.id = ((int64_t *)cols[0]->data)[i]};
                r.cat_null = !fl_column_is_valid(cols[1], i);
                if (!r.cat_null) {
                    fl_strv sv = ((fl_strv *)cols[1]->data)[i];
                    snprintf(r.cat, sizeof r.cat, "%.*s", (int)sv.len, sv.ptr);
                }
                if (n > 0 && kind >= 0 && cmp_rows(kind, &prev, &r) > 0) bad++;
                if (n == 0) first_id = r.id;
                if (r.id < min_id) min_id = r.id;
                if (r.id > max_id) max_id = r.id;
                prev = r;
            }
        }
        CHECK_EQ(bad, 0);
        CHECK_EQ(n, df->record_count);
        /* the id bounds in the manifest are the file's */
        for (size_t b = 0; b < df->lower_bound_count; b++) {
            if (df->lower_bounds[b].field_id != 1) continue;
            int64_t lo, hi;
            memcpy(&lo, df->lower_bounds[b].bytes.ptr, 8);
            memcpy(&hi, df->upper_bounds[b].bytes.ptr, 8);
            CHECK_EQ(lo, min_id);
            CHECK_EQ(hi, max_id);
            /* sorted by id DESC: the file's statistics are its first and last rows */
            if (kind == 1) {
                CHECK_EQ(hi, first_id);
                CHECK_EQ(lo, prev.id);
            }
        }
        *rows += n;
        pq_scan_free(s);
        pq_file_free(f);
    }
    fl_arena_free(a);
    ice_scan_plan_free(plan);
    ice_table_free(t);
    return files;
}

TEST(insert_sorted_by_the_table_sort_order)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 2)) || !iw_create(&e.tt, "s", NULL, NULL, 0, &t)) return;
    ice_table_free(t);
    ice_sort_term terms[3] = {{"cat", true, ICE_NULLS_LAST}, {"bucket(4, id)", false, ICE_NULLS_DEFAULT},
                              {"id", true, ICE_NULLS_DEFAULT}};
    if (!ts_set_sort_order(&e, "s", terms, 3)) return;
    CHECK_EQ(insert_rows(&e, "s", 0, 6000), 6000);
    int64_t rows;
    size_t files = check_files(&e, "s", 0, 1, &rows);
    CHECK(files >= 1);
    CHECK_EQ(rows, 6000);
    /* partitioned by cat, sorted by id DESC within each file */
    if (!iw_create(&e.tt, "p", "[{\"source-id\":2,\"field-id\":1000,\"name\":\"cat\",\"transform\":\"identity\"}]",
                   NULL, 0, &t))
        return;
    ice_table_free(t);
    ice_sort_term by_id = {"id", true, ICE_NULLS_DEFAULT};
    if (!ts_set_sort_order(&e, "p", &by_id, 1)) return;
    CHECK_EQ(insert_rows(&e, "p", 100, 4100), 4000);
    files = check_files(&e, "p", 1, 1, &rows);
    CHECK(files >= 6);   /* 5 categories and NULL */
    CHECK_EQ(rows, 4000);
    /* no order: no sort_order_id */
    if (!iw_create(&e.tt, "u", NULL, NULL, 0, &t)) return;
    ice_table_free(t);
    CHECK_EQ(insert_rows(&e, "u", 0, 100), 100);
    files = check_files(&e, "u", -1, 0, &rows);
    CHECK_EQ(rows, 100);
    ts_env_close(&e);
}
