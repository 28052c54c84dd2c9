/*
 * test_icewrite_util.c: helpers for the writer and table-operation tests
 * (see test_icewrite_util.h).
 */
#include "test_icewrite_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../test.h"

static const char *SCHEMA = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                            "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"long\"},"
                            "{\"id\":2,\"name\":\"cat\",\"required\":false,\"type\":\"string\"},"
                            "{\"id\":3,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"
                            "{\"id\":4,\"name\":\"ts\",\"required\":false,\"type\":\"timestamptz\"}]}";

bool iw_create(tt_env *e, const char *name, const char *spec_fields, const ice_kv *props,
               size_t prop_count, ice_table **out)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(SCHEMA, 0, NULL);
    json_t *sj = NULL;
    ice_schema *schema = NULL;
    ice_partition_spec *spec = NULL;
    bool ok = CHECK(j) && CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err);
    if (ok && spec_fields) {
        char text[2048];
        snprintf(text, sizeof(text), "{\"spec-id\":0,\"fields\":%s}", spec_fields);
        sj = json_loads(text, 0, NULL);
        ok = CHECK(sj) && CHECK_OK(ice_partition_spec_from_json(&spec, sj, a, &err), &err);
    }
    ice_table_create_opts o = {.schema = schema, .spec = spec, .properties = props,
                               .property_count = prop_count};
    ok = ok && CHECK_OK(ice_table_create(out, e->catalog, e->fs, e->dir, "db", name, &o, &err), &err);
    json_decref(j);
    json_decref(sj);
    fl_arena_free(a);
    return ok;
}

int32_t iw_day(int64_t id) { return (int32_t)(19000 + id % 800); }
int64_t iw_ts(int64_t id) { return id * 3600007000LL - 86400000000LL * 400; }

bool iw_columns(fl_column *cols[4], const int64_t *ids, size_t n, fl_arena *arena)
{
    cols[0] = fl_column_new(arena, fl_type_make(FL_TYPE_INT64), n);
    cols[1] = fl_column_new(arena, fl_type_make(FL_TYPE_STRING), n);
    cols[2] = fl_column_new(arena, fl_type_make(FL_TYPE_DATE), n);
    cols[3] = fl_column_new(arena, fl_type_make(FL_TYPE_TIMESTAMPTZ), n);
    if (!CHECK(cols[0] && cols[1] && cols[2] && cols[3])) return false;
    for (size_t i = 0; i < n; i++) {
        int64_t id = ids[i];
        ((int64_t *)cols[0]->data)[i] = id;
        char s[32];
        int len = snprintf(s, sizeof(s), "c%d", (int)(id % 5));
        fl_strv sv;
        if (!CHECK_EQ(fl_column_copy_str(cols[1], s, (size_t)len, &sv), 0)) return false;
        ((fl_strv *)cols[1]->data)[i] = sv;
        ((int32_t *)cols[2]->data)[i] = iw_day(id);
        ((int64_t *)cols[3]->data)[i] = iw_ts(id);
        if (id % 97 == 13) fl_column_set_null(cols[1], i);   /* some null categories */
    }
    for (int c = 0; c < 4; c++) cols[c]->len = n;
    return true;
}

bool iw_write_ids(ice_table *t, const ice_writer_options *opts, const int64_t *ids, size_t n,
                  ice_data_file **files, size_t *file_count, fl_arena *arena)
{
    fl_error err;
    ice_writer *w = NULL;
    if (!CHECK_OK(ice_writer_new(&w, t, opts, &err), &err)) return false;
    fl_arena *batch = fl_arena_new(0);
    bool ok = true;
    for (size_t off = 0; ok && off < n; off += 3000) {
        size_t m = n - off < 3000 ? n - off : 3000;
        fl_column *cols[4];
        ok = iw_columns(cols, ids + off, m, batch) && CHECK_OK(ice_writer_write(w, cols, 4, m, &err), &err);
        fl_arena_reset(batch);
    }
    const ice_data_file *out = NULL;
    ok = ok && CHECK_OK(ice_writer_finish(w, &out, file_count, &err), &err);
    if (ok) {
        *files = fl_arena_calloc(arena, (*file_count + 1) * sizeof(ice_data_file));
        for (size_t i = 0; ok && i < *file_count; i++)
            ok = CHECK_OK(ice_data_file_copy(&(*files)[i], &out[i], arena, &err), &err);
    }
    if (ok) ice_writer_free(w);
    else ice_writer_abort(w);
    fl_arena_free(batch);
    return ok;
}

bool iw_write(ice_table *t, const ice_writer_options *opts, int64_t start, int64_t n,
              ice_data_file **files, size_t *file_count, fl_arena *arena)
{
    int64_t *ids = fl_malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    for (int64_t i = 0; i < n; i++) ids[i] = start + i;
    bool ok = iw_write_ids(t, opts, ids, (size_t)n, files, file_count, arena);
    fl_free(ids);
    return ok;
}

bool iw_append(ice_table *t, int64_t start, int64_t n, ice_data_file **files, size_t *file_count,
               fl_arena *arena)
{
    fl_error err;
    ice_data_file *f = NULL;
    size_t c = 0;
    if (!iw_write(t, NULL, start, n, &f, &c, arena)) return false;
    if (files) *files = f;
    if (file_count) *file_count = c;
    return CHECK_OK(ice_txn_append(t, f, c, NULL, &err), &err);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

bool iw_ids(ice_table *t, int64_t snapshot_id, const char *filter, int64_t **ids, size_t *n)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    ice_scan_opts so = {.at = snapshot_id < 0 ? ICE_SCAN_CURRENT : ICE_SCAN_SNAPSHOT_ID,
                        .snapshot_id = snapshot_id};
    ice_scan_plan *plan = NULL;
    ice_reader *r = NULL;
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    bool ok = true;
    if (filter) ok = CHECK_OK(ice_expr_parse(&so.filter, filter, ice_metadata_current_schema(t->md), a, &err), &err);
    ok = ok && CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, &so, &err), &err);
    int32_t field = 1;
    ice_read_opts ro = {.field_ids = &field, .field_count = 1};
    ok = ok && CHECK_OK(ice_reader_new(&r, t->fs, plan, &ro, &err), &err);
    fl_arena *batch = fl_arena_new(0);
    while (ok) {
        fl_column *cols[1];
        size_t rows;
        fl_arena_reset(batch);
        if (!CHECK_OK(ice_reader_next(r, batch, cols, &rows, &err), &err)) ok = false;
        if (!ok || rows == 0) break;
        if (*n + rows > cap) {
            cap = (*n + rows) * 2;
            *ids = fl_realloc(*ids, cap * sizeof(int64_t));
        }
        memcpy(*ids + *n, cols[0]->data, rows * sizeof(int64_t));
        *n += rows;
    }
    if (*n) qsort(*ids, *n, sizeof(int64_t), cmp_i64);
    fl_arena_free(batch);
    ice_reader_free(r);
    ice_scan_plan_free(plan);
    fl_arena_free(a);
    return ok;
}

bool iw_ids_equal(const int64_t *got, size_t got_n, const int64_t *want, size_t want_n)
{
    if (!CHECK_EQ(got_n, want_n)) return false;
    for (size_t i = 0; i < got_n; i++)
        if (!CHECK_EQ(got[i], want[i])) return false;
    return true;
}

bool iw_check_ids(ice_table *t, bool (*want)(int64_t id), int64_t lo, int64_t hi)
{
    int64_t *ids = NULL;
    size_t n = 0;
    if (!iw_ids(t, -1, NULL, &ids, &n)) return false;
    size_t k = 0;
    bool ok = true;
    for (int64_t id = lo; id < hi && ok; id++) {
        if (!want(id)) continue;
        if (k >= n || ids[k] != id) {
            ok = CHECK_EQ(k < n ? ids[k] : -1, id);
            break;
        }
        k++;
    }
    if (ok) ok = CHECK_EQ(k, n);
    fl_free(ids);
    return ok;
}

int64_t iw_summary(const ice_table *t, const char *key)
{
    return tt_summary(ice_metadata_current_snapshot(t->md), key);
}

const char *iw_operation(const ice_table *t)
{
    const ice_snapshot *s = ice_metadata_current_snapshot(t->md);
    return s && s->operation ? s->operation : "";
}
