/*
 * test_read_dict.c: dictionary batches of the Iceberg reader
 * (ice_read_opts.keep_dictionaries, ice_reader_next_dict). A table written
 * through floe's writer (id long, cat string with NULLs, d date, ts
 * timestamptz; two data files) with position deletes, an equality delete
 * on id and one on the dictionary column cat (including NULL) is read with
 * and without dictionaries -- batch sizes, borrowed columns, the reader's
 * own filter and caller_filters, a row range -- and must give the same rows
 * in the same order; cat must come back as dictionaries (indices within
 * values, ids stable within a file's row group), the others flat.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/value_text.h"
#include "../../../src/iceberg/ice_expr.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"
#include "test_icewrite_util.h"

typedef struct rows_out {
    char **row;
    size_t n, cap;
    size_t dict_batches, flat_batches;   /* of column cat */
    int ids;                             /* distinct dictionary ids seen */
} rows_out;

static void rows_free(rows_out *o)
{
    for (size_t i = 0; i < o->n; i++) free(o->row[i]);
    free(o->row);
    memset(o, 0, sizeof *o);
}

static void push_row(rows_out *o, const fl_buf *b)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 256;
        o->row = realloc(o->row, o->cap * sizeof *o->row);
    }
    char *s = malloc(b->len + 1);
    if (b->len) memcpy(s, b->data, b->len);
    s[b->len] = 0;
    o->row[o->n++] = s;
}

/* Reads the table's current snapshot into rows of text. */
static bool read_rows(ice_table *t, const char *filter, ice_read_opts ro, bool dicts, rows_out *out)
{
    memset(out, 0, sizeof *out);
    fl_error err = {0};
    fl_arena *a = fl_arena_new(0);
    ice_scan_opts so = {.at = ICE_SCAN_CURRENT};
    ice_scan_plan *plan = NULL;
    ice_reader *r = NULL;
    bool ok = true;
    if (filter) ok = CHECK_OK(ice_expr_parse(&so.filter, filter, ice_metadata_current_schema(t->md), a, &err), &err);
    ok = ok && CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, &so, &err), &err);
    ok = ok && CHECK_OK(ice_reader_new(&r, t->fs, plan, &ro, &err), &err);
    fl_arena *batch = fl_arena_new(0);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    fl_buf b;
    fl_buf_init(&b);
    uint64_t seen[64];
    int n_seen = 0;
    while (ok) {
        fl_column *cols[4];
        fl_dict_column *dc[4] = {0};
        size_t rows;
        fl_arena_reset(batch);
        int rc = dicts ? ice_reader_next_dict(r, batch, cols, dc, &rows, &err)
                       : ice_reader_next(r, batch, cols, &rows, &err);
        if (!CHECK_OK(rc, &err)) ok = false;
        if (!ok || rows == 0) break;
        for (int c = 0; c < 4; c++) {
            if (c != 1 && !CHECK(dc[c] == NULL)) ok = false;
            if (dc[c] ? !CHECK(cols[c] == NULL && dc[c]->len == rows) : !CHECK(cols[c] && cols[c]->len == rows))
                ok = false;
        }
        if (!ok) break;
        if (dc[1]) {
            out->dict_batches++;
            bool known = false;
            for (int k = 0; k < n_seen; k++) known |= seen[k] == dc[1]->id;
            if (!known && n_seen < 64) seen[n_seen++] = dc[1]->id;
            for (size_t i = 0; i < rows; i++)
                if (!CHECK(dc[1]->idx[i] < dc[1]->values->len)) {
                    ok = false;
                    break;
                }
        } else {
            out->flat_batches++;
        }
        for (size_t i = 0; ok && i < rows; i++) {
            fl_buf_reset(&b);
            for (int c = 0; c < 4; c++) {
                if (c) fl_buf_append(&b, "|", 1);
                if (dc[c]) fl_column_render(&b, dc[c]->values, dc[c]->idx[i], &st);
                else fl_column_render(&b, cols[c], i, &st);
            }
            push_row(out, &b);
        }
    }
    out->ids = n_seen;
    fl_buf_dispose(&b);
    fl_arena_free(batch);
    ice_reader_free(r);
    ice_scan_plan_free(plan);
    fl_arena_free(a);
    return ok;
}

static bool same_rows(const rows_out *x, const rows_out *y)
{
    if (!CHECK_EQ(x->n, y->n)) return false;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->row[i], y->row[i]) != 0) {
            fprintf(stderr, "row %zu: \"%s\" vs \"%s\"\n", i, x->row[i], y->row[i]);
            CHECK(!"rows differ");
            return false;
        }
    return true;
}

/* ids [start, start + n) with cat NULL every 13th id (and where iw_columns
 * makes it NULL). *out lives as long as *w (its bounds are the writer's). */
static bool write_file(ice_table *t, int64_t start, size_t n, ice_writer **w, ice_data_file *out, fl_arena *a)
{
    int64_t *ids = fl_arena_alloc(a, n * sizeof *ids);
    for (size_t i = 0; i < n; i++) ids[i] = start + (int64_t)i;
    fl_column *cols[4];
    if (!CHECK(iw_columns(cols, ids, n, a))) return false;
    for (size_t i = 0; i < n; i++)
        if (ids[i] % 13 == 0) fl_column_set_null(cols[1], i);
    fl_error err = {0};
    const ice_data_file *files;
    size_t count;
    bool ok = CHECK_OK(ice_writer_new(w, t, NULL, &err), &err) &&
              CHECK_OK(ice_writer_write(*w, cols, 4, n, &err), &err) &&
              CHECK_OK(ice_writer_finish(*w, &files, &count, &err), &err) && CHECK_EQ(count, 1);
    if (ok) *out = files[0];
    return ok;
}

TEST(test_read_dict_deletes_filters)
{
    tt_env e;
    ice_table *t = NULL;
    if (!CHECK(tt_env_open(&e)) || !iw_create(&e, "dictread", NULL, NULL, 0, &t)) return;
    fl_arena *a = fl_arena_new(0);
    fl_error err = {0};
    ice_data_file files[2], dels[3];
    ice_writer *w[2] = {NULL, NULL};
    if (!write_file(t, 0, 6000, &w[0], &files[0], a) || !write_file(t, 6000, 2500, &w[1], &files[1], a) ||
        !CHECK_OK(ice_txn_append(t, files, 2, NULL, &err), &err))
        goto done;
    {
        /* positions 3, 100..299 and 5999 of the first file */
        int64_t pos[202];
        pos[0] = 3;
        for (int i = 0; i < 200; i++) pos[1 + i] = 100 + i;
        pos[201] = 5999;
        int32_t id_field = 1, cat_field = 2;
        fl_column *ids = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 2);
        ((int64_t *)ids->data)[0] = 7;
        ((int64_t *)ids->data)[1] = 7001;
        ids->len = 2;
        fl_column *cats = fl_column_new(a, fl_type_make(FL_TYPE_STRING), 2);
        cats->len = 2;
        fl_column_copy_str(cats, "c3", 2, &((fl_strv *)cats->data)[0]);
        fl_column_set_null(cats, 1);   /* NULL equals NULL */
        if (!CHECK_OK(ice_write_position_deletes(&dels[0], t, &files[0], pos, 202, a, &err), &err) ||
            !CHECK_OK(ice_write_equality_deletes(&dels[1], t, &id_field, 1, &ids, 2, NULL, a, &err), &err) ||
            !CHECK_OK(ice_write_equality_deletes(&dels[2], t, &cat_field, 1, &cats, 2, NULL, a, &err), &err))
            goto done;
        ice_row_delta delta = {.add_deletes = dels, .add_delete_count = 3};
        if (!CHECK_OK(ice_txn_row_delta(t, &delta, NULL, NULL, &err), &err)) goto done;
    }
    struct {
        const char *filter;
        size_t batch;
        bool borrow, caller_filters;
        int64_t first_row, end_row;
    } cases[] = {
        {NULL, 0, false, false, 0, 0},
        {NULL, 500, true, false, 0, 0},
        {NULL, 777, false, false, 0, 0},
        {"cat = 'c1'", 0, false, false, 0, 0},          /* the reader filters on the dictionary column */
        {"cat = 'c1'", 1000, true, true, 0, 0},          /* the caller does */
        {"id >= 1000 AND id < 6500", 300, true, false, 0, 0},
        {NULL, 256, true, false, 50, 2100},              /* a row range of every file */
    };
    for (size_t k = 0; k < FL_ARRAY_SIZE(cases); k++) {
        ice_read_opts ro = {.batch_rows = cases[k].batch, .borrow_columns = cases[k].borrow,
                            .caller_filters = cases[k].caller_filters, .first_row = cases[k].first_row,
                            .end_row = cases[k].end_row};
        rows_out flat, dict;
        bool ok1 = read_rows(t, cases[k].filter, ro, false, &flat);
        ro.keep_dictionaries = true;
        bool ok2 = read_rows(t, cases[k].filter, ro, true, &dict);
        /* ice_reader_next ignores keep_dictionaries */
        rows_out flat2;
        bool ok3 = read_rows(t, cases[k].filter, ro, false, &flat2);
        if (CHECK(ok1 && ok2 && ok3)) {
            if (!same_rows(&flat, &dict) || !same_rows(&flat, &flat2))
                fprintf(stderr, "  case %zu\n", k);
            CHECK(dict.dict_batches > 0);
            CHECK(dict.ids >= 2 || cases[k].end_row);   /* one dictionary per file */
            CHECK_EQ(flat2.dict_batches, 0);
        }
        if (k == 0) {
            /* 8500 rows - 202 positions - ids 7 and 7001 - cat c3 (ids % 5 == 3)
             * and NULL (ids % 13 == 0 here, % 97 == 13 by iw_columns), once each */
            size_t want = 0;
            for (int64_t id = 0; id < 8500; id++) {
                bool pos_del = id == 3 || (id >= 100 && id < 300) || id == 5999;
                if (pos_del || id == 7 || id == 7001 || id % 5 == 3 || id % 13 == 0 || id % 97 == 13) continue;
                want++;
            }
            CHECK_EQ(dict.n, want);
        }
        if (k == 3)
            for (size_t i = 0; i < dict.n; i++)
                if (!CHECK(strstr(dict.row[i], "|c1|") != NULL)) break;
        rows_free(&flat);
        rows_free(&dict);
        rows_free(&flat2);
    }
done:
    ice_writer_free(w[0]);
    ice_writer_free(w[1]);
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}
