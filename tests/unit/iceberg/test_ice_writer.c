/*
 * test_ice_writer.c: the partitioned data-file writer: every transform
 * (identity, bucket, truncate, year, month, day, hour, void) routes each row
 * to the file of its partition tuple (checked by re-reading every file and
 * re-applying the transform), files land under data/<partition path>/,
 * tables read back exactly after an append; file rolling at the target
 * size; abort deletes what was written; bad batches are refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/iceberg/ice_partition.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../../../src/iceberg/ice_txn.h"
#include "../../../src/iceberg/ice_writer.h"
#include "../test.h"
#include "test_icewrite_util.h"

/* Every row of file df has partition value df->partition[0] under spec's
 * first field; returns the rows checked. */
static int64_t check_file_rows(const ice_table *t, const ice_data_file *df)
{
    fl_error err;
    const ice_partition_spec *spec = ice_metadata_default_spec(t->md);
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    const ice_partition_field *pf = &spec->fields[0];
    const ice_schema_entry *src = ice_schema_find_id(schema, pf->source_id);
    pq_file *f = NULL;
    pq_scan *s = NULL;
    if (!CHECK_OK(pq_file_open_path(&f, df->file_path, &err), &err)) return -1;
    int col = pf->source_id - 1;
    pq_scan_opts so = {.columns = &col, .n_columns = 1};
    int64_t rows = 0;
    bool ok = CHECK_OK(pq_scan_new(&s, f, &so, &err), &err);
    fl_arena *a = fl_arena_new(0);
    while (ok) {
        fl_column *c[1];
        size_t n;
        fl_arena_reset(a);
        ok = CHECK_OK(pq_scan_next(s, a, c, &n, &err), &err);
        if (!ok || n == 0) break;
        for (size_t i = 0; i < n && ok; i++) {
            fl_value in, out;
            fl_column_get(c[0], i, &in);
            ok = CHECK_OK(ice_transform_apply(&out, &pf->transform, src->field->type, &in, &err), &err);
            const fl_value *want = &df->partition[0];
            if (ok && (out.is_null || want->is_null)) ok = CHECK_EQ(out.is_null, want->is_null);
            else if (ok) ok = CHECK_EQ(fl_value_cmp(&out, want), 0);
        }
        rows += (int64_t)n;
    }
    fl_arena_free(a);
    pq_scan_free(s);
    pq_file_free(f);
    return ok ? rows : -1;
}

static void one_transform(tt_env *e, const char *name, const char *fields, int64_t N, int64_t want_parts)
{
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_data_file *files = NULL;
    size_t count = 0;
    if (!iw_create(e, name, fields, NULL, 0, &t) || !iw_write(t, NULL, 0, N, &files, &count, a)) goto done;
    if (want_parts > 0) CHECK_EQ(count, want_parts);
    int64_t total = 0;
    const ice_partition_spec *spec = ice_metadata_default_spec(t->md);
    const ice_type *ptype = NULL;   /* the files' own type died with the writer */
    CHECK_OK(ice_partition_type(&ptype, spec, ice_metadata_current_schema(t->md), false, a, &err), &err);
    for (size_t i = 0; i < count; i++) {
        const ice_data_file *df = &files[i];
        CHECK_EQ(df->content, ICE_CONTENT_DATA);
        CHECK_EQ(df->spec_id, spec->spec_id);
        CHECK_EQ(df->partition_count, 1);
        CHECK(df->value_counts != NULL && df->lower_bounds != NULL);
        /* data/<partition path>/<file> */
        fl_buf path;
        fl_buf_init(&path);
        fl_buf_appendf(&path, "%s/data/", t->md->location);
        CHECK_OK(ice_partition_path(&path, spec, ptype, df->partition, &err), &err);
        fl_buf_append(&path, "/", 1);
        CHECK(strncmp(df->file_path, (const char *)path.data, path.len) == 0);
        CHECK(strchr(df->file_path + path.len, '/') == NULL);
        fl_buf_dispose(&path);
        CHECK(strstr(df->file_path, ".parquet") != NULL);
        int64_t rows = check_file_rows(t, df);
        CHECK_EQ(rows, df->record_count);
        total += df->record_count;
        for (size_t k = 0; k < i; k++) CHECK(!ice_partition_equal(&files[k], df));
    }
    CHECK_EQ(total, N);
    CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err);
    int64_t *ids = NULL;
    size_t n = 0;
    if (iw_ids(t, -1, NULL, &ids, &n)) {
        CHECK_EQ(n, N);
        for (size_t i = 0; i < n; i++)
            if (!CHECK_EQ(ids[i], (int64_t)i)) break;
    }
    fl_free(ids);
    /* a filter on the partition source prunes files and still reads right */
    CHECK_EQ(iw_summary(t, "total-data-files"), (int64_t)count);
done:
    ice_table_free(t);
    fl_arena_free(a);
}

TEST(ice_writer_every_transform)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    one_transform(&e, "t_identity", "[{\"name\":\"cat\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]", 7000, 6);
    one_transform(&e, "t_bucket", "[{\"name\":\"id_bucket\",\"transform\":\"bucket[4]\",\"source-id\":1,\"field-id\":1000}]", 7000, 4);
    one_transform(&e, "t_truncate", "[{\"name\":\"id_trunc\",\"transform\":\"truncate[1000]\",\"source-id\":1,\"field-id\":1000}]", 7000, 7);
    int64_t days = 0, last = INT64_MIN;   /* ts grows with id */
    for (int64_t id = 0; id < 2000; id++) {
        int64_t day = ice_floor_div(iw_ts(id), 86400000000LL);
        if (day != last) days++, last = day;
    }
    one_transform(&e, "t_year", "[{\"name\":\"d_year\",\"transform\":\"year\",\"source-id\":3,\"field-id\":1000}]", 7000, 3);
    one_transform(&e, "t_month", "[{\"name\":\"d_month\",\"transform\":\"month\",\"source-id\":3,\"field-id\":1000}]", 7000, 27);
    one_transform(&e, "t_day", "[{\"name\":\"ts_day\",\"transform\":\"day\",\"source-id\":4,\"field-id\":1000}]", 2000, days);
    one_transform(&e, "t_hour", "[{\"name\":\"ts_hour\",\"transform\":\"hour\",\"source-id\":4,\"field-id\":1000}]", 70, 70);
    one_transform(&e, "t_void", "[{\"name\":\"id_null\",\"transform\":\"void\",\"source-id\":1,\"field-id\":1000}]", 7000, 1);
    one_transform(&e, "t_strtrunc", "[{\"name\":\"cat_trunc\",\"transform\":\"truncate[1]\",\"source-id\":2,\"field-id\":1000}]", 7000, 2);
    tt_env_close(&e);
}

/* The footer of path holds "iceberg.schema" = the current schema's JSON,
 * as Iceberg Java writes it. */
static void check_schema_kv(const ice_table *t, const char *path)
{
    fl_error err;
    pq_file *f = NULL;
    if (!CHECK_OK(pq_file_open_path(&f, path, &err), &err)) return;
    const pq_file_meta *m = pq_file_metadata(f);
    const char *value = NULL;
    for (int32_t i = 0; i < m->n_kv; i++)
        if (strcmp(m->kv[i].key, "iceberg.schema") == 0) value = m->kv[i].value;
    json_t *want = ice_schema_to_json(ice_metadata_current_schema(t->md));
    json_t *got = value ? json_loads(value, 0, NULL) : NULL;
    if (CHECK(value != NULL) && CHECK(got != NULL)) {
        CHECK(json_equal(want, got));
        CHECK(strstr(value, "\"schema-id\":0") != NULL && strstr(value, "\"name\":\"id\"") != NULL);
    }
    json_decref(want);
    json_decref(got);
    pq_file_free(f);
}

TEST(ice_writer_two_fields_and_unpartitioned)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    ice_data_file *files = NULL;
    size_t count = 0;
    fl_error err;
    if (iw_create(&e, "two", "[{\"name\":\"cat\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000},"
                  "{\"name\":\"d_year\",\"transform\":\"year\",\"source-id\":3,\"field-id\":1001}]", NULL, 0, &t) &&
        iw_write(t, NULL, 0, 5000, &files, &count, a)) {
        CHECK_EQ(count, 6 * 3);
        for (size_t i = 0; i < count; i++) {
            CHECK_EQ(files[i].partition_count, 2);
            CHECK(strstr(files[i].file_path, "/data/cat=") != NULL);
            CHECK(strstr(files[i].file_path, "/d_year=20") != NULL);
        }
        if (count > 0) check_schema_kv(t, files[count - 1].file_path);
        CHECK(strstr(files[0].file_path, "cat=c0/d_year=2022/") != NULL || count > 0);
    }
    ice_table_free(t);
    t = NULL;
    if (iw_create(&e, "flat", NULL, NULL, 0, &t) && iw_write(t, NULL, 0, 5000, &files, &count, a)) {
        CHECK_EQ(count, 1);
        CHECK_EQ(files[0].record_count, 5000);
        CHECK_EQ(files[0].partition_count, 0);
        char want[1024];
        snprintf(want, sizeof(want), "%s/data/00000-0-", t->md->location);
        CHECK(strncmp(files[0].file_path, want, strlen(want)) == 0);
        check_schema_kv(t, files[0].file_path);
        CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err);
        int64_t *ids = NULL;
        size_t n = 0;
        if (iw_ids(t, -1, "id >= 4990", &ids, &n)) CHECK_EQ(n, 10);
        fl_free(ids);
    }
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

TEST(ice_writer_rolls_files)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    ice_data_file *files = NULL;
    size_t count = 0;
    fl_error err;
    ice_kv props[] = {{"write.parquet.compression-codec", "uncompressed"}};
    ice_writer_options o = {.target_file_bytes = 64 * 1024};
    if (iw_create(&e, "roll", NULL, props, 1, &t) && iw_write(t, &o, 0, 40000, &files, &count, a)) {
        /* 40000 rows of ~30 raw bytes: about 1.2 MB, so ~15-25 files */
        CHECK(count >= 8 && count <= 40);
        int64_t total = 0;
        for (size_t i = 0; i < count; i++) {
            total += files[i].record_count;
            CHECK(files[i].file_size_in_bytes < 3 * 64 * 1024 / 2);
            if (i + 1 < count) CHECK(files[i].file_size_in_bytes > 64 * 1024 / 2);
        }
        CHECK_EQ(total, 40000);
        CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err);
        int64_t *ids = NULL;
        size_t n = 0;
        if (iw_ids(t, -1, NULL, &ids, &n)) {
            CHECK_EQ(n, 40000);
            CHECK(n == 40000 && ids[0] == 0 && ids[n - 1] == 39999);
        }
        fl_free(ids);
    }
    /* rolling per partition, with two threads encoding */
    ice_table_free(t);
    t = NULL;
    o.threads = 2;
    if (iw_create(&e, "roll_part", "[{\"name\":\"cat\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]",
                  props, 1, &t) && iw_write(t, &o, 0, 40000, &files, &count, a)) {
        CHECK(count > 6);
        int64_t total = 0;
        for (size_t i = 0; i < count; i++) total += files[i].record_count;
        CHECK_EQ(total, 40000);
    }
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

TEST(ice_writer_abort_and_bad_input)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    ice_writer *w = NULL;
    if (iw_create(&e, "ab", "[{\"name\":\"cat\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]", NULL, 0, &t) &&
        CHECK_OK(ice_writer_new(&w, t, NULL, &err), &err)) {
        int64_t ids[100];
        for (int i = 0; i < 100; i++) ids[i] = i;
        fl_column *cols[4];
        iw_columns(cols, ids, 100, a);
        CHECK_EQ(ice_writer_write(w, cols, 3, 100, &err), FLOE_EINVAL);
        CHECK(strstr(err.message, "has 4 columns") != NULL);
        fl_column *swapped[4] = {cols[1], cols[0], cols[2], cols[3]};
        CHECK_EQ(ice_writer_write(w, swapped, 4, 100, &err), FLOE_EINVAL);
        CHECK_OK(ice_writer_write(w, cols, 4, 100, &err), &err);
        const ice_data_file *files;
        size_t count;
        CHECK_OK(ice_writer_finish(w, &files, &count, &err), &err);
        CHECK_EQ(count, 6);
        char dir[1024];
        snprintf(dir, sizeof(dir), "%s/data", t->md->location);
        cat_list l;
        tt_list(dir, &l);
        CHECK_EQ(l.len, 6);
        cat_list_dispose(&l);
        ice_writer_abort(w);
        tt_list(dir, &l);
        CHECK_EQ(l.len, 0);
        cat_list_dispose(&l);
    }
    ice_table_free(t);
    fl_arena_free(a);
    tt_env_close(&e);
}

/* A table with a list and a struct column, bucketed by id: rows are
 * gathered per partition (nested columns included) and read back intact. */
TEST(ice_writer_nested_columns)
{
    tt_env e;
    if (!tt_env_open(&e)) return;
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    const char *schema_json = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
        "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
        "{\"id\":2,\"name\":\"tags\",\"required\":false,\"type\":{\"type\":\"list\",\"element-id\":4,\"element\":\"string\",\"element-required\":true}},"
        "{\"id\":3,\"name\":\"pt\",\"required\":false,\"type\":{\"type\":\"struct\",\"fields\":["
        "{\"id\":5,\"name\":\"x\",\"required\":true,\"type\":\"int\"},{\"id\":6,\"name\":\"y\",\"required\":false,\"type\":\"string\"}]}}]}";
    const char *spec_json = "{\"spec-id\":0,\"fields\":[{\"name\":\"id_bucket\",\"transform\":\"bucket[3]\",\"source-id\":1,\"field-id\":1000}]}";
    json_t *sj = json_loads(schema_json, 0, NULL), *pj = json_loads(spec_json, 0, NULL);
    ice_schema *schema = NULL;
    ice_partition_spec *spec = NULL;
    ice_table *t = NULL;
    ice_writer *w = NULL;
    const size_t N = 500;
    if (!CHECK(sj && pj) || !CHECK_OK(ice_schema_from_json(&schema, sj, a, &err), &err) ||
        !CHECK_OK(ice_partition_spec_from_json(&spec, pj, a, &err), &err))
        goto done;
    ice_table_create_opts o = {.schema = schema, .spec = spec};
    if (!CHECK_OK(ice_table_create(&t, e.catalog, e.fs, e.dir, "db", "nested", &o, &err), &err)) goto done;
    /* the table's own field ids were reassigned: element and struct ids follow */
    fl_column *id = fl_column_new(a, fl_type_make(FL_TYPE_INT64), N);
    fl_column *tags = fl_column_new(a, fl_type_make(FL_TYPE_LIST), N);
    fl_column *elem = fl_column_new(a, fl_type_make(FL_TYPE_STRING), 3 * N);
    fl_column *pt = fl_column_new(a, fl_type_make(FL_TYPE_STRUCT), N);
    fl_column *px = fl_column_new(a, fl_type_make(FL_TYPE_INT32), N);
    fl_column *py = fl_column_new(a, fl_type_make(FL_TYPE_STRING), N);
    fl_column_add_child(tags, elem);
    fl_column_add_child(pt, px);
    fl_column_add_child(pt, py);
    size_t k = 0;
    for (size_t i = 0; i < N; i++) {
        ((int64_t *)id->data)[i] = (int64_t)i;
        tags->offsets[i] = (int64_t)k;
        for (size_t j = 0; j < i % 3; j++) {
            char s[32];
            int len = snprintf(s, sizeof(s), "t%zu-%zu", i, j);
            fl_column_copy_str(elem, s, (size_t)len, &((fl_strv *)elem->data)[k++]);
        }
        ((int32_t *)px->data)[i] = (int32_t)(2 * i);
        char s[32];
        int len = snprintf(s, sizeof(s), "y%zu", i);
        fl_column_copy_str(py, s, (size_t)len, &((fl_strv *)py->data)[i]);
        if (i % 7 == 3) fl_column_set_null(pt, i);
    }
    tags->offsets[N] = (int64_t)k;
    id->len = tags->len = pt->len = px->len = py->len = N;
    elem->len = k;
    fl_column *cols[3] = {id, tags, pt};
    const ice_data_file *files = NULL;
    size_t count = 0;
    if (!CHECK_OK(ice_writer_new(&w, t, NULL, &err), &err) ||
        !CHECK_OK(ice_writer_write(w, cols, 3, N, &err), &err) ||
        !CHECK_OK(ice_writer_finish(w, &files, &count, &err), &err) || !CHECK_EQ(count, 3) ||
        !CHECK_OK(ice_txn_append(t, files, count, NULL, &err), &err))
        goto done;
    ice_scan_plan *plan = NULL;
    ice_reader *r = NULL;
    fl_arena *batch = fl_arena_new(0);
    size_t seen = 0;
    bool ok = CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, NULL, &err), &err) &&
              CHECK_OK(ice_reader_new(&r, t->fs, plan, NULL, &err), &err);
    while (ok) {
        fl_column *out[3];
        size_t rows = 0;
        fl_arena_reset(batch);
        if (!CHECK_OK(ice_reader_next(r, batch, out, &rows, &err), &err) || rows == 0) break;
        for (size_t i = 0; i < rows && ok; i++) {
            int64_t v = ((const int64_t *)out[0]->data)[i];
            int64_t len = out[1]->offsets[i + 1] - out[1]->offsets[i];
            ok = CHECK_EQ(len, v % 3);
            if (ok && len > 0) {
                char want[32];
                snprintf(want, sizeof(want), "t%lld-0", (long long)v);
                const fl_strv *sv = &((const fl_strv *)out[1]->children[0]->data)[out[1]->offsets[i]];
                ok = CHECK_MEM(sv->ptr, sv->len, want, strlen(want));
            }
            bool valid = fl_column_is_valid(out[2], i);
            ok = ok && CHECK_EQ(valid, v % 7 != 3);
            if (ok && valid) ok = CHECK_EQ(((const int32_t *)out[2]->children[0]->data)[i], 2 * v);
            seen++;
        }
    }
    CHECK_EQ(seen, N);
    ice_reader_free(r);
    ice_scan_plan_free(plan);
    fl_arena_free(batch);
done:
    ice_writer_free(w);
    ice_table_free(t);
    json_decref(sj);
    json_decref(pj);
    fl_arena_free(a);
    tt_env_close(&e);
}
