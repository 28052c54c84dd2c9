/*
 * test_scan_range.c: the Iceberg reader options the SQL scan uses
 * (ice_read_opts' scan options) and the scan's morsels within one file:
 *   - row ranges: a file of several row groups and small pages read in
 *     pieces cut anywhere returns exactly the rows of the whole file, in
 *     order, with position deletes and a deletion vector applied at the
 *     file's row positions, and with row groups still skipped by the
 *     filter's statistics;
 *   - caller_filters: the reader keeps the filter for row-group skipping
 *     only; the exec scan (which filters itself) returns the same rows;
 *   - borrow_columns: the reader's own columns, nothing copied into the
 *     caller's arena, values (strings too) intact until the next batch;
 *   - ex_ice_scan_morsels: how tasks are cut, a scan of a file of 140,000
 *     rows on 2 threads cut at row-group boundaries into morsels sharing
 *     one footer, and a big file of one row group left whole.
 */
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/crc32.h"
#include "../../../src/exec/op/scan_int.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/iceberg/ice_read.h"
#include "../iceberg/test_icewrite_util.h"
#include "../test.h"
#include "test_scan_util.h"

#define NROWS 20000

typedef struct idvec {
    int64_t *v;
    size_t n, cap;
} idvec;

static bool push(idvec *s, int64_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        int64_t *p = fl_realloc(s->v, cap * sizeof(int64_t));
        if (p == NULL) return false;
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = id;
    return true;
}

static bool same(const idvec *a, const idvec *b)
{
    if (!CHECK_EQ(a->n, b->n)) return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] != b->v[i]) {
            CHECK_EQ(a->v[i], b->v[i]);
            return false;
        }
    return true;
}

/* db.<name>: ids 0..rows-1 in ONE data file (row position = id), written
 * with small row groups and pages so that cuts fall inside both. */
static bool make_file_table(ts_env *e, const char *name, int64_t rows, ice_table **t, fl_arena *a)
{
    ice_kv props[] = {{"write.parquet.row-group-size-bytes", "65536"},
                      {"write.parquet.page-size-bytes", "4096"}};
    ice_data_file *files;
    size_t count;
    fl_error err;
    return iw_create(&e->tt, name, NULL, props, 2, t) && iw_write(*t, NULL, 0, rows, &files, &count, a) &&
           CHECK_EQ(count, 1) && CHECK_OK(ice_txn_append(*t, files, count, NULL, &err), &err);
}

static int row_groups(ice_table *t, const char *path)
{
    io_reader *src;
    pq_file *pq;
    fl_error err;
    if (!CHECK_OK(io_open(t->fs, path, &src, &err), &err)) return -1;
    int n = -1;
    if (CHECK_OK(pq_file_open(&pq, src, &err), &err)) {
        n = pq_file_num_row_groups(pq);
        pq_file_free(pq);
    }
    io_reader_close(src);
    return n;
}

static ice_scan_plan *plan_of(ice_table *t, const ice_expr *filter)
{
    ice_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.filter = filter;
    ice_scan_plan *p = NULL;
    fl_error err;
    if (!CHECK_OK(ice_scan_plan_new(&p, t->fs, t->md, &o, &err), &err)) return NULL;
    return p;
}

typedef struct read_stats {
    int skipped_row_groups;
    int64_t filtered;
} read_stats;

/* Appends the ids (field 1) the plan reads with the scan options of ext
 * (NULL: none), in batches of 1000 rows (so batches do not line up with
 * cuts). */
static bool read_ids(ice_table *t, const ice_scan_plan *plan, const ice_read_opts *ext, idvec *out,
                     read_stats *st)
{
    int32_t ids[1] = {1};
    ice_read_opts ro = {0};
    if (ext) ro = *ext;
    ro.field_ids = ids;
    ro.field_count = 1;
    ro.batch_rows = 1000;
    ice_reader *r;
    fl_error err;
    if (!CHECK_OK(ice_reader_new(&r, t->fs, plan, &ro, &err), &err)) return false;
    fl_arena *a = fl_arena_new(0);
    bool ok = true;
    for (;;) {
        fl_column *cols[1];
        size_t rows;
        fl_arena_reset(a);
        if (!(ok = CHECK_OK(ice_reader_next(r, a, cols, &rows, &err), &err)) || rows == 0) break;
        for (size_t i = 0; ok && i < rows; i++) ok = push(out, ((const int64_t *)cols[0]->data)[i]);
    }
    if (st) {
        st->skipped_row_groups += ice_reader_skipped_row_groups(r);
        st->filtered += ice_reader_filtered_rows(r);
    }
    ice_reader_free(r);
    fl_arena_free(a);
    return ok;
}

static const int64_t CUTS[] = {1, 777, 4096, 5000, 12345, 19999};

/* Reads the plan in the pieces cut at CUTS (the last to the end). */
static bool read_cut(ice_table *t, const ice_scan_plan *plan, bool caller_filters, idvec *out, read_stats *st)
{
    size_t n = FL_ARRAY_SIZE(CUTS);
    for (size_t i = 0; i <= n; i++) {
        ice_read_opts x = {0};
        x.first_row = i ? CUTS[i - 1] : 0;
        x.end_row = i < n ? CUTS[i] : 0;
        x.caller_filters = caller_filters;
        if (!read_ids(t, plan, &x, out, st)) return false;
    }
    return true;
}

/* 0..NROWS-1 without the sorted positions del[0..n). */
static void expect_without(idvec *want, const int64_t *del, size_t n)
{
    size_t k = 0;
    for (int64_t id = 0; id < NROWS; id++) {
        if (k < n && del[k] == id) {
            k++;
            continue;
        }
        push(want, id);
    }
}

TEST(scan_range_reader_cuts_cover_the_file)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    idvec whole = {0}, cut = {0}, want = {0}, none = {0};
    if (!CHECK(ts_env_open(&e, 1)) || !make_file_table(&e, "r", NROWS, &t, a)) goto done;
    ice_scan_plan *plan = plan_of(t, NULL);
    if (plan == NULL || !CHECK_EQ(plan->task_count, 1)) goto done;
    CHECK(row_groups(t, plan->tasks[0].file.file_path) >= 3);
    expect_without(&want, NULL, 0);
    if (read_ids(t, plan, NULL, &whole, NULL) && read_cut(t, plan, false, &cut, NULL)) {
        same(&whole, &want);
        same(&cut, &want);
    }
    /* empty and past-the-end ranges read nothing; a bad range is refused */
    ice_read_opts x = {0};
    x.first_row = 5000;
    x.end_row = 5000;
    read_ids(t, plan, &x, &none, NULL);
    x.first_row = 30000;
    x.end_row = 0;
    read_ids(t, plan, &x, &none, NULL);
    CHECK_EQ(none.n, 0);
    x.first_row = 10;
    x.end_row = 5;
    ice_reader *r = NULL;
    fl_error err;
    CHECK_EQ(ice_reader_new(&r, t->fs, plan, &x, &err), FLOE_EINVAL);
    CHECK(r == NULL);
    ice_scan_plan_free(plan);
done:
    fl_free(whole.v);
    fl_free(cut.v);
    fl_free(want.v);
    fl_free(none.v);
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

/* A Puffin file holding one deletion vector of positions pos[0..n) (all
 * below 65536: one Roaring array container); *blob_len its length at 4. */
static bool write_dv(ice_table *t, const char *path, const uint16_t *pos, size_t n, size_t *blob_len)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_buf_append(&b, "PFA1", 4);
    size_t start = b.len;
    fl_buf_append(&b, "\0\0\0\0", 4);                     /* length, patched below */
    static const uint8_t magic[4] = {0xD1, 0xD3, 0x39, 0x64};
    fl_buf_append(&b, magic, 4);
    fl_buf_append_u64le(&b, 1);                           /* buckets */
    fl_buf_append_u32le(&b, 0);                           /* high 32 bits */
    fl_buf_append_u32le(&b, 12346);                       /* no run containers */
    fl_buf_append_u32le(&b, 1);                           /* containers */
    uint16_t hdr[2] = {0, (uint16_t)(n - 1)};             /* key, cardinality - 1 */
    fl_buf_append(&b, hdr, 4);
    fl_buf_append_u32le(&b, 4 + 4 + 4 + 4);               /* container offset */
    fl_buf_append(&b, pos, n * 2);
    uint32_t body = (uint32_t)(b.len - start - 4);
    uint8_t *p = (uint8_t *)b.data + start;
    p[0] = (uint8_t)(body >> 24), p[1] = (uint8_t)(body >> 16), p[2] = (uint8_t)(body >> 8), p[3] = (uint8_t)body;
    uint32_t crc = fl_crc32(0, p + 4, body);
    uint8_t c[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
    fl_buf_append(&b, c, 4);
    *blob_len = b.len - start;
    fl_buf_append(&b, "\0\0\0\0\0\0\0\0PFA1", 12);           /* (a footer stand-in) magic */
    io_writer *w;
    fl_error err;
    bool ok = CHECK_OK(io_create(t->fs, path, 0, &w, &err), &err);
    if (ok && !CHECK_OK(io_write(w, b.data, b.len, &err), &err)) {
        io_writer_abort(w);
        ok = false;
    } else if (ok) {
        ok = CHECK_OK(io_writer_close(w, &err), &err);
    }
    fl_buf_dispose(&b);
    return ok;
}

TEST(scan_range_reader_deletes_at_file_positions)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    idvec whole = {0}, cut = {0}, want = {0}, dv_whole = {0}, dv_cut = {0}, dv_want = {0};
    ice_scan_plan *plan = NULL;
    fl_error err;
    if (!CHECK(ts_env_open(&e, 1)) || !make_file_table(&e, "p", NROWS, &t, a)) goto done;
    /* position deletes on both sides of the cuts */
    static const int64_t del[] = {0, 776, 777, 4095, 4096, 4097, 12344, 19998, 19999};
    ice_scan_plan *p0 = plan_of(t, NULL);
    if (p0 == NULL) goto done;
    ice_data_file pd;
    bool ok = CHECK_OK(ice_write_position_deletes(&pd, t, &p0->tasks[0].file, del, FL_ARRAY_SIZE(del), a, &err),
                       &err);
    ice_scan_plan_free(p0);
    ice_row_delta delta = {.add_deletes = &pd, .add_delete_count = 1};
    if (!ok || !CHECK_OK(ice_txn_row_delta(t, &delta, NULL, NULL, &err), &err)) goto done;
    if ((plan = plan_of(t, NULL)) == NULL || !CHECK_EQ(plan->tasks[0].delete_count, 1)) goto done;
    expect_without(&want, del, FL_ARRAY_SIZE(del));
    if (read_ids(t, plan, NULL, &whole, NULL) && read_cut(t, plan, true, &cut, NULL)) {
        same(&whole, &want);
        same(&cut, &want);
    }
    /* the same file with a deletion vector instead */
    static const uint16_t dv[] = {3, 999, 1000, 4999, 5000, 12345, 19998};
    static const int64_t dv64[] = {3, 999, 1000, 4999, 5000, 12345, 19998};
    char path[700];
    snprintf(path, sizeof(path), "%s/dv-test.puffin", e.tt.dir);
    size_t blob_len;
    if (!write_dv(t, path, dv, FL_ARRAY_SIZE(dv), &blob_len)) goto done;
    ice_scan_delete dvd;
    memset(&dvd, 0, sizeof(dvd));
    dvd.file.content = ICE_CONTENT_POSITION_DELETES;
    dvd.file.file_path = path;
    dvd.file.file_format = "PUFFIN";
    dvd.file.has_content_offset = dvd.file.has_content_size_in_bytes = true;
    dvd.file.content_offset = 4;
    dvd.file.content_size_in_bytes = (int64_t)blob_len;
    const ice_scan_delete *dels[1] = {&dvd};
    ice_scan_task task = plan->tasks[0];
    task.deletes = dels;
    task.delete_count = 1;
    ice_scan_plan dvplan = *plan;
    dvplan.tasks = &task;
    expect_without(&dv_want, dv64, FL_ARRAY_SIZE(dv64));
    if (read_ids(t, &dvplan, NULL, &dv_whole, NULL) && read_cut(t, &dvplan, false, &dv_cut, NULL)) {
        same(&dv_whole, &dv_want);
        same(&dv_cut, &dv_want);
    }
done:
    ice_scan_plan_free(plan);
    fl_free(whole.v);
    fl_free(cut.v);
    fl_free(want.v);
    fl_free(dv_whole.v);
    fl_free(dv_cut.v);
    fl_free(dv_want.v);
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

/* id >= 15000: row groups before it are skipped, in a whole read and in
 * cut reads alike; with caller_filters the reader returns the surviving
 * row groups unfiltered. */
TEST(scan_range_reader_row_group_pruning)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    idvec whole = {0}, cut = {0}, loose = {0}, want = {0};
    ice_scan_plan *plan = NULL;
    if (!CHECK(ts_env_open(&e, 1)) || !make_file_table(&e, "g", NROWS, &t, a)) goto done;
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    fl_value v = {.type = fl_type_make(FL_TYPE_INT64), .v.i64 = 15000};
    const ice_expr *f = ice_expr_pred(a, ICE_PRED_GT_EQ, 1, ice_schema_find_id(schema, 1)->field->type, &v, 1);
    if (!CHECK(f != NULL) || (plan = plan_of(t, f)) == NULL || !CHECK_EQ(plan->task_count, 1)) goto done;
    for (int64_t id = 15000; id < NROWS; id++) push(&want, id);
    read_stats sw = {0}, sc = {0}, sl = {0};
    if (!read_ids(t, plan, NULL, &whole, &sw) || !read_cut(t, plan, false, &cut, &sc) ||
        !read_cut(t, plan, true, &loose, &sl))
        goto done;
    same(&whole, &want);
    same(&cut, &want);
    CHECK(sw.skipped_row_groups >= 2);
    CHECK(sc.skipped_row_groups >= sw.skipped_row_groups);
    CHECK(sw.filtered > 0 && sw.filtered < 15000);   /* only the group holding 15000 was filtered row by row */
    /* caller_filters: nothing filtered by the reader, pruned groups still
     * left out, every wanted id present, in file order */
    CHECK_EQ(sl.filtered, 0);
    CHECK(sl.skipped_row_groups >= sw.skipped_row_groups);
    CHECK(loose.n > want.n && loose.n < NROWS);
    idvec kept = {0};
    bool sorted = true;
    for (size_t i = 0; i < loose.n; i++) {
        if (i && loose.v[i] <= loose.v[i - 1]) sorted = false;
        if (loose.v[i] >= 15000) push(&kept, loose.v[i]);
    }
    CHECK(sorted);
    same(&kept, &want);
    fl_free(kept.v);
done:
    ice_scan_plan_free(plan);
    fl_free(whole.v);
    fl_free(cut.v);
    fl_free(loose.v);
    fl_free(want.v);
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

/* Row i of a cat column holds the generator's value for id: "c<id % 5>",
 * NULL when id % 97 == 13. */
static bool cat_ok(const fl_column *col, size_t i, int64_t id)
{
    bool null = col->validity && !fl_bit_get(col->validity, i);
    if (id % 97 == 13) return null;
    const fl_strv *s = &((const fl_strv *)col->data)[i];
    return !null && s->len == 2 && s->ptr[0] == 'c' && s->ptr[1] == '0' + id % 5;
}

/* Reads (id, cat) with borrow_columns: values intact, the caller's arena
 * untouched when every row of a batch survives. */
static void check_borrowed(ice_table *t, const ice_scan_plan *plan, const int64_t *del, size_t ndel)
{
    int32_t ids[2] = {1, 2};
    ice_read_opts ro = {.field_ids = ids, .field_count = 2, .batch_rows = 1000, .borrow_columns = true};
    ice_reader *r;
    fl_error err;
    if (!CHECK_OK(ice_reader_new(&r, t->fs, plan, &ro, &err), &err)) return;
    fl_arena *a = fl_arena_new(0);
    int64_t next = 0, bad = 0, rows_total = 0;
    size_t k = 0;
    for (;;) {
        fl_column *cols[2];
        size_t rows;
        if (!CHECK_OK(ice_reader_next(r, a, cols, &rows, &err), &err) || rows == 0) break;
        if (ndel == 0) CHECK_EQ(fl_arena_used(a), 0);
        for (size_t i = 0; i < rows; i++) {
            while (k < ndel && del[k] == next) k++, next++;
            int64_t id = ((const int64_t *)cols[0]->data)[i];
            if (id != next || !cat_ok(cols[1], i, id)) bad++;
            next++;
        }
        rows_total += (int64_t)rows;
        CHECK(strcmp(cols[1]->name, "cat") == 0);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(rows_total, NROWS - (int64_t)ndel);
    ice_reader_free(r);
    fl_arena_free(a);
}

TEST(scan_range_reader_borrowed_columns)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    ice_scan_plan *plan = NULL;
    fl_error err;
    if (!CHECK(ts_env_open(&e, 1)) || !make_file_table(&e, "b", NROWS, &t, a)) goto done;
    if ((plan = plan_of(t, NULL)) == NULL) goto done;
    check_borrowed(t, plan, NULL, 0);
    /* with deletes: a gather of the survivors */
    static const int64_t del[] = {5, 6, 999, 1000, 15000};
    ice_data_file pd;
    if (!CHECK_OK(ice_write_position_deletes(&pd, t, &plan->tasks[0].file, del, FL_ARRAY_SIZE(del), a, &err), &err))
        goto done;
    ice_row_delta delta = {.add_deletes = &pd, .add_delete_count = 1};
    if (!CHECK_OK(ice_txn_row_delta(t, &delta, NULL, NULL, &err), &err)) goto done;
    ice_scan_plan_free(plan);
    if ((plan = plan_of(t, NULL)) == NULL) goto done;
    check_borrowed(t, plan, del, FL_ARRAY_SIZE(del));
done:
    ice_scan_plan_free(plan);
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

/* ---------------------------------------------------------------- the exec scan */

/* cat = 'c3' AND id > 500 AND id < 16000 through the scan (which filters
 * itself, the reader only prunes): the same rows the reader's own
 * row-at-a-time filter gives. */
TEST(scan_range_caller_filters_same_rows)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    idvec want = {0};
    fl_error err;
    if (!CHECK(ts_env_open(&e, 2)) || !make_file_table(&e, "f", NROWS, &t, a)) goto done;
    fl_type i64 = fl_type_make(FL_TYPE_INT64), str = fl_type_make(FL_TYPE_STRING);
    fl_value c3 = {.type = str, .v.s = {"c3", 2}};
    plan_expr *f[3] = {ts_cmp(&e, "=", ts_col(&e, 7, 1, str), plan_expr_const(e.arena, &c3)),
                       ts_cmp(&e, ">", ts_col(&e, 7, 0, i64), ts_i64(&e, 500)),
                       ts_cmp(&e, "<", ts_col(&e, 7, 0, i64), ts_i64(&e, 16000))};
    uint32_t cols[] = {0, 1};
    /* the reader filtering on its own, from the same converted filter */
    const ice_expr *x = NULL;
    plan_binding b[2] = {{7, 0}, {7, 1}};
    uint32_t rc[2] = {0, 1};
    plan_table_source *src = ts_iceberg_source(&e, "f");
    if (!CHECK_OK(ex_scan_ice_filter(&x, f, 3, src, 7, b, rc, 2, ice_metadata_current_schema(t->md), e.arena, &err),
                  &err) || !CHECK(x != NULL))
        goto done;
    ice_scan_plan *plan = plan_of(t, x);
    read_stats st = {0};
    bool ok = plan && read_ids(t, plan, NULL, &want, &st);
    ice_scan_plan_free(plan);
    if (!ok) goto done;
    CHECK(st.filtered > 0);
    size_t expect = 0;
    for (int64_t id = 501; id < 16000; id++) expect += id % 5 == 3 && id % 97 != 13;
    CHECK_EQ(want.n, expect);
    ex_op *op;
    ex_rowbuf buf;
    if (CHECK_OK(ex_scan_new(&op, ts_get_node(&e, src, cols, 2, f, 3), &e.ctx, &err), &err) &&
        CHECK_OK(ts_run_source(&e, op, 2, &buf, &err), &err) && CHECK_EQ(buf.rows, want.n)) {
        int64_t sum = 0, want_sum = 0;
        int bad = 0;
        for (size_t i = 0; i < buf.rows; i++) {
            int64_t id = ((const int64_t *)buf.cols[0]->data)[i];
            sum += id;
            if (!cat_ok(buf.cols[1], i, id) || id % 5 != 3) bad++;
        }
        for (size_t i = 0; i < want.n; i++) want_sum += want.v[i];
        CHECK_EQ(bad, 0);
        CHECK_EQ(sum, want_sum);
    }
done:
    fl_free(want.v);
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

TEST(scan_range_morsel_cutting)
{
    /* no fs: cut by row counts alone */
    ice_scan_task tasks[4];
    memset(tasks, 0, sizeof(tasks));
    int64_t counts[4] = {719384, 2 * EX_ICE_MORSEL_MIN_ROWS - 1, 2 * EX_ICE_MORSEL_MIN_ROWS, 1000};
    for (int i = 0; i < 4; i++) tasks[i].file.record_count = counts[i];
    ice_scan_plan plan;
    memset(&plan, 0, sizeof(plan));
    plan.tasks = tasks;
    plan.task_count = 3;
    ex_ice_scan_global g;
    memset(&g, 0, sizeof(g));
    g.plan = &plan;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    if (CHECK_OK(ex_ice_scan_morsels(&g, 1, a, &err), &err)) {
        /* one thread: nothing to share, one morsel per file */
        CHECK_EQ(g.morsel_count, 3);
        for (size_t i = 0; i < g.morsel_count; i++) {
            CHECK_EQ(g.morsels[i].task, i);
            CHECK(g.morsels[i].first_row == 0 && g.morsels[i].end_row == 0);
        }
    }
    if (CHECK_OK(ex_ice_scan_morsels(&g, 2, a, &err), &err)) {
        /* web_sales' size: about EX_ICE_MORSELS_PER_THREAD per thread; the
         * small ones whole; the last one cut in two */
        size_t per_task[3] = {0};
        for (size_t i = 0; i < g.morsel_count; i++) {
            const ex_ice_morsel *m = &g.morsels[i];
            per_task[m->task]++;
            bool first = i == 0 || g.morsels[i - 1].task != m->task;
            bool last = i + 1 == g.morsel_count || g.morsels[i + 1].task != m->task;
            if (first) CHECK_EQ(m->first_row, 0);
            else CHECK_EQ(m->first_row, g.morsels[i - 1].end_row);   /* contiguous */
            if (last) CHECK_EQ(m->end_row, 0);                       /* to the end, whatever the count */
            else CHECK(m->end_row - m->first_row >= EX_ICE_MORSEL_MIN_ROWS && m->end_row % EX_CHUNK_ROWS == 0);
        }
        CHECK_EQ(per_task[0], 2 * EX_ICE_MORSELS_PER_THREAD);
        CHECK_EQ(per_task[1], 1);
        CHECK_EQ(per_task[2], 2);
    }
    /* as many files as morsels wanted: none is cut */
    plan.task_count = 4;
    if (CHECK_OK(ex_ice_scan_morsels(&g, 2, a, &err), &err)) CHECK_EQ(g.morsel_count, 4);
    fl_arena_free(a);
}

/* 140,000 rows in one file on 2 threads: cut into morsels sharing one
 * footer, position deletes hit on both sides of the cuts. */
TEST(scan_range_morsels_big_file)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    const int64_t n = 140000;
    if (!CHECK(ts_env_open(&e, 2)) || !make_file_table(&e, "big", n, &t, a)) goto done;
    static const int64_t del[] = {0, 65535, 65536, 65537, 131071, 131072, 139999};
    ice_scan_plan *p0 = plan_of(t, NULL);
    if (p0 == NULL) goto done;
    ice_data_file pd;
    bool ok = CHECK_OK(ice_write_position_deletes(&pd, t, &p0->tasks[0].file, del, FL_ARRAY_SIZE(del), a, &err),
                       &err);
    ice_scan_plan_free(p0);
    ice_row_delta delta = {.add_deletes = &pd, .add_delete_count = 1};
    if (!ok || !CHECK_OK(ice_txn_row_delta(t, &delta, NULL, NULL, &err), &err)) goto done;
    int64_t del_sum = 0;
    for (size_t i = 0; i < FL_ARRAY_SIZE(del); i++) del_sum += del[i];
    uint32_t cols[] = {0, 1};
    ex_op *op;
    if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, ts_iceberg_source(&e, "big"), cols, 2, NULL, 0), &e.ctx, &err), &err)) goto done;
    void *gs;
    if (CHECK_OK(op->vt->source_global(op, &e.ctx, &gs, &err), &err)) {
        ex_ice_scan_global *g = gs;
        CHECK_EQ(g->plan->task_count, 1);
        CHECK(g->morsel_count >= 2);
        /* contiguous morsels (at row-group boundaries unless cutting inside
         * row groups), with the footer kept open for the readers */
        const pq_file *pq = g->files[0].pq;
        if (CHECK(pq != NULL)) {
            const pq_file_meta *m = pq_file_metadata(pq);
            CHECK_EQ(g->morsels[0].first_row, 0);
            for (size_t i = 1; i < g->morsel_count; i++) {
                int64_t at = 0;
                bool boundary = EX_ICE_CUT_INSIDE_ROW_GROUPS;
                for (int32_t k = 0; k < m->n_row_groups && !boundary; k++) {
                    at += m->row_groups[k].num_rows;
                    boundary = at == g->morsels[i].first_row;
                }
                CHECK(boundary);
                CHECK(g->morsels[i].first_row > g->morsels[i - 1].first_row);
                CHECK_EQ(g->morsels[i].first_row, g->morsels[i - 1].end_row);
            }
            CHECK_EQ(g->morsels[g->morsel_count - 1].end_row, 0);
        }
    }
    ex_rowbuf buf;
    if (CHECK_OK(ts_run_source(&e, op, 2, &buf, &err), &err)) {
        CHECK_EQ(buf.rows, n - (int64_t)FL_ARRAY_SIZE(del));
        CHECK_EQ(ts_sum(&buf, 0), (n - 1) * n / 2 - del_sum);
        int bad = 0;
        for (size_t i = 0; i < buf.rows; i++) {
            int64_t id = ((const int64_t *)buf.cols[0]->data)[i];
            if (!cat_ok(buf.cols[1], i, id)) bad++;
        }
        CHECK_EQ(bad, 0);
    }
done:
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

/* A big file of one row group is cut inside it when
 * EX_ICE_CUT_INSIDE_ROW_GROUPS (morsels of EX_ICE_MORSEL_MIN_ROWS or more,
 * sharing the footer), not cut otherwise, and reads right on 2 threads. */
TEST(scan_range_one_row_group)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    const int64_t n = 2 * EX_ICE_MORSEL_MIN_ROWS + 10;
    ice_data_file *files;
    size_t count;
    if (!CHECK(ts_env_open(&e, 2)) || !iw_create(&e.tt, "one", NULL, NULL, 0, &t) ||
        !iw_write(t, NULL, 0, n, &files, &count, a) || !CHECK_EQ(count, 1) ||
        !CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err) ||
        !CHECK_EQ(row_groups(t, files[0].file_path), 1))
        goto done;
    uint32_t cols[] = {0};
    ex_op *op;
    void *gs;
    if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, ts_iceberg_source(&e, "one"), cols, 1, NULL, 0), &e.ctx, &err), &err)) goto done;
    if (CHECK_OK(op->vt->source_global(op, &e.ctx, &gs, &err), &err)) {
        ex_ice_scan_global *g = gs;
        /* n rows in morsels of at least EX_ICE_MORSEL_MIN_ROWS: three */
        CHECK_EQ(g->morsel_count, EX_ICE_CUT_INSIDE_ROW_GROUPS ? 3 : 1);
        if (EX_ICE_CUT_INSIDE_ROW_GROUPS) CHECK(g->files[0].pq != NULL);
        else CHECK(g->files[0].pq == NULL);
    }
    ex_rowbuf buf;
    if (CHECK_OK(ts_run_source(&e, op, 2, &buf, &err), &err)) {
        CHECK_EQ(buf.rows, n);
        CHECK_EQ(ts_sum(&buf, 0), (n - 1) * n / 2);
    }
done:
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}

/* The scan emits the dictionary-encoded string column as dictionary
 * vectors (EX_ICE_DICTIONARIES), filters them per entry, and their rows
 * read back as the strings the file holds. */
TEST(scan_emits_dictionary_vectors)
{
    ts_env e;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    if (!CHECK(ts_env_open(&e, 1)) || !make_file_table(&e, "dv", NROWS, &t, a)) goto done;
    fl_type str = fl_type_make(FL_TYPE_STRING);
    fl_value c3 = {.type = str, .v.s = {"c3", 2}};
    plan_expr *f[1] = {ts_cmp(&e, "=", ts_col(&e, 7, 1, str), plan_expr_const(e.arena, &c3))};
    uint32_t cols[] = {0, 1};
    plan_table_source *src = ts_iceberg_source(&e, "dv");
    ex_op *op;
    void *g = NULL, *l = NULL;
    if (!CHECK_OK(ex_scan_new(&op, ts_get_node(&e, src, cols, 2, f, 1), &e.ctx, &err), &err) ||
        !CHECK_OK(op->vt->source_global(op, &e.ctx, &g, &err), &err))
        goto done;
    fl_arena *ta = fl_arena_new(0);
    ex_chunk chunk;
    size_t rows = 0, dict_chunks = 0, chunks = 0;
    int bad = 0;
    if (CHECK_OK(op->vt->source_local(op, &e.ctx, g, ta, &l, &err), &err) &&
        CHECK_OK(ex_chunk_init(&chunk, ta, op->types, 2, &err), &err)) {
        for (;;) {
            ex_source_result res;
            chunk.count = 0;
            if (!CHECK_OK(op->vt->get_data(op, &e.ctx, g, l, &chunk, &res, &err), &err)) break;
            if (chunk.count) {
                chunks++;
                dict_chunks += chunk.cols[1].kind == EX_VECTOR_DICT;
                for (size_t i = 0; i < chunk.count; i++) {
                    int64_t id = ((const int64_t *)chunk.cols[0].col->data)[i];
                    fl_value v;
                    ex_vector_get(&chunk.cols[1], i, &v);
                    if (!ex_vector_is_valid(&chunk.cols[1], i) || v.v.s.len != 2 ||
                        memcmp(v.v.s.ptr, "c3", 2) != 0 || id % 5 != 3 || id % 97 == 13)
                        bad++;
                }
                rows += chunk.count;
            }
            if (res == EX_SOURCE_DONE) break;
        }
    }
    fl_arena_free(ta);
    size_t want = 0;
    for (int64_t id = 0; id < NROWS; id++) want += id % 5 == 3 && id % 97 != 13;
    CHECK_EQ(rows, want);
    CHECK_EQ(bad, 0);
    CHECK(chunks > 0);
    CHECK_EQ(dict_chunks, chunks);
done:
    ice_table_free(t);
    fl_arena_free(a);
    ts_env_close(&e);
}
