/*
 * test_manifest_metrics.c: ice_metrics_from_parquet on files floe's Parquet
 * writer produced: counts, nulls, bounds in single-value form, string and
 * binary truncation to 16 with the upper bound incremented, row-group split
 * offsets, and fields the table schema does not know being left out.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/column.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"
#include "../../../src/iceberg/ice_manifest.h"
#include "../parquet/test_writer_util.h"
#include "../test.h"

#define ROWS 100

static const char *SCHEMA =
    "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"int\"},"
    "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":3,\"name\":\"price\",\"required\":true,\"type\":\"double\"},"
    "{\"id\":4,\"name\":\"raw\",\"required\":false,\"type\":\"binary\"},"
    "{\"id\":5,\"name\":\"s\",\"required\":false,\"type\":{\"type\":\"struct\",\"fields\":["
    "{\"id\":6,\"name\":\"x\",\"required\":false,\"type\":\"long\"}]}},"
    "{\"id\":7,\"name\":\"l\",\"required\":false,\"type\":{\"type\":\"list\",\"element-id\":8,"
    "\"element\":\"int\",\"element-required\":false}}]}";

static fl_column *int_col(fl_arena *a)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_INT32), ROWS);
    for (size_t i = 0; i < ROWS; i++) ((int32_t *)c->data)[i] = (int32_t)i + 1;
    c->len = ROWS;
    for (size_t i = 0; i < ROWS; i += 10) fl_column_set_null(c, i);   /* 10 nulls; min 2 */
    return c;
}

static fl_column *str_col(fl_arena *a, fl_type t, const char *const *vals, size_t n)
{
    fl_column *c = fl_column_new(a, t, ROWS);
    for (size_t i = 0; i < ROWS; i++) {
        const char *v = vals[i % n];
        fl_column_copy_str(c, v, strlen(v), &((fl_strv *)c->data)[i]);
    }
    c->len = ROWS;
    return c;
}

TEST(manifest_metrics_from_floe_parquet)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(SCHEMA, 0, NULL);
    ice_schema *schema = NULL;
    if (!CHECK(j) || !CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err)) {
        json_decref(j);
        fl_arena_free(a);
        return;
    }
    json_decref(j);
    /* Parquet schema: id(1), name(2), price(3), raw(4), s(5){x(6)}, extra(99, unknown to the table) */
    pq_field s_children[1] = {tw_leaf("x", fl_type_make(FL_TYPE_INT64), true, 6)};
    pq_field l_children[1] = {tw_leaf("element", fl_type_make(FL_TYPE_INT32), true, 8)};
    pq_field fields[7] = {
        tw_leaf("id", fl_type_make(FL_TYPE_INT32), true, 1),
        tw_leaf("name", fl_type_make(FL_TYPE_STRING), true, 2),
        tw_leaf("price", fl_type_make(FL_TYPE_DOUBLE), false, 3),
        tw_leaf("raw", fl_type_make(FL_TYPE_BINARY), true, 4),
        tw_group("s", FL_TYPE_STRUCT, true, 5, s_children, 1),
        tw_leaf("extra", fl_type_make(FL_TYPE_INT32), true, 99),
        tw_group("l", FL_TYPE_LIST, true, 7, l_children, 1),
    };
    pq_field root = tw_group("root", FL_TYPE_STRUCT, false, 0, fields, 7);
    static const char *const names[] = {
        "aaaaaaaaaaaaaaaaaaaaZ",
        "abcdefghijklmnopqrstu",            /* max: upper "abcdefghijklmnoq" */
        "Short",
    };
    static const char *const raws[] = {"\x01\x02", "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"};
    fl_column *cols[7];
    cols[0] = int_col(a);
    cols[1] = str_col(a, fl_type_make(FL_TYPE_STRING), names, 3);
    cols[2] = fl_column_new(a, fl_type_make(FL_TYPE_DOUBLE), ROWS);
    for (size_t i = 0; i < ROWS; i++) ((double *)cols[2]->data)[i] = (double)i * 0.5 - 3;
    cols[2]->len = ROWS;
    cols[3] = str_col(a, fl_type_make(FL_TYPE_BINARY), raws, 2);
    cols[4] = tw_gen_field(a, &fields[4], ROWS, 7, 0, 42);
    cols[5] = tw_gen(a, fl_type_make(FL_TYPE_INT32), ROWS, 0, 0, 7);
    cols[6] = tw_gen_field(a, &fields[6], ROWS, 5, 4, 9);
    fl_buf file;
    fl_buf_init(&file);
    pq_writer_opts opts;
    pq_writer_opts_init(&opts);
    opts.row_group_bytes = 1;   /* a row group per write call */
    if (!CHECK_OK(tw_write(&file, &root, cols, ROWS, 48, &opts, &err), &err)) goto done;
    io_reader *src = NULL;
    pq_file *pf = NULL;
    CHECK_OK(io_reader_from_memory(file.data, file.len, &src, &err), &err);
    if (!CHECK_OK(pq_file_open(&pf, src, &err), &err)) {
        io_reader_close(src);
        goto done;
    }
    ice_data_file df;
    memset(&df, 0, sizeof(df));
    if (CHECK_OK(ice_metrics_from_parquet(&df, pf, file.len, schema, NULL, a, &err), &err)) {
        const pq_file_meta *meta = pq_file_metadata(pf);
        CHECK_EQ(df.record_count, ROWS);
        CHECK_EQ(df.file_size_in_bytes, (int64_t)file.len);
        CHECK_STR(df.file_format, "PARQUET");
        CHECK(meta->n_row_groups >= 2);
        CHECK_EQ(df.split_offset_count, meta->n_row_groups);
        CHECK_EQ(df.split_offsets[0], 4);   /* right after "PAR1" */
        for (size_t g = 1; g < df.split_offset_count; g++) CHECK(df.split_offsets[g] > df.split_offsets[g - 1]);
        /* leaves 1, 2, 3, 4, 6, 8 (99 is not in the table schema; 5 and 7 are groups) */
        CHECK_EQ(df.column_size_count, 6);
        int64_t v;
        CHECK(ice_field_count_get(df.column_sizes, df.column_size_count, 8, &v) && v > 0);
        /* list elements: counts, never bounds (Java's shouldStoreBounds) */
        CHECK(ice_field_count_get(df.value_counts, df.value_count_count, 8, &v) && v >= ROWS / 2);
        CHECK(ice_field_bound_get(df.lower_bounds, df.lower_bound_count, 8) == NULL);
        CHECK(ice_field_bound_get(df.upper_bounds, df.upper_bound_count, 8) == NULL);
        CHECK(!ice_field_count_get(df.column_sizes, df.column_size_count, 99, &v));
        CHECK(!ice_field_count_get(df.column_sizes, df.column_size_count, 5, &v));
        int64_t size_sum = 0;
        for (int32_t g = 0; g < meta->n_row_groups; g++) size_sum += meta->row_groups[g].columns[0].meta.total_compressed_size;
        CHECK(ice_field_count_get(df.column_sizes, df.column_size_count, 1, &v) && v == size_sum && v > 0);
        CHECK(ice_field_count_get(df.value_counts, df.value_count_count, 1, &v) && v == ROWS);
        CHECK(ice_field_count_get(df.null_value_counts, df.null_value_count_count, 1, &v) && v == 10);
        CHECK(ice_field_count_get(df.null_value_counts, df.null_value_count_count, 3, &v) && v == 0);
        CHECK(ice_field_count_get(df.value_counts, df.value_count_count, 6, &v) && v == ROWS);
        CHECK(df.nan_value_counts == NULL);
        /* bounds */
        const fl_strv *b = ice_field_bound_get(df.lower_bounds, df.lower_bound_count, 1);
        CHECK(b && b->len == 4 && memcmp(b->ptr, "\x02\x00\x00\x00", 4) == 0);
        b = ice_field_bound_get(df.upper_bounds, df.upper_bound_count, 1);
        CHECK(b && b->len == 4 && memcmp(b->ptr, "\x64\x00\x00\x00", 4) == 0);
        b = ice_field_bound_get(df.lower_bounds, df.lower_bound_count, 2);
        CHECK(b && b->len == 5 && memcmp(b->ptr, "Short", 5) == 0);   /* "S" sorts first */
        b = ice_field_bound_get(df.upper_bounds, df.upper_bound_count, 2);
        CHECK(b && b->len == 16 && memcmp(b->ptr, "abcdefghijklmnoq", 16) == 0);
        fl_value lo, hi;
        bool found;
        CHECK_OK(ice_data_file_bound(&lo, &found, &df, schema, 3, false, &err), &err);
        CHECK(found && lo.v.f64 == -3.0);
        CHECK_OK(ice_data_file_bound(&hi, &found, &df, schema, 3, true, &err), &err);
        CHECK(found && hi.v.f64 == 46.5);
        /* binary: lower keeps 16 bytes; the max is 0x01 then 17 x 0xff, whose
         * 16-byte prefix increments to 0x02 */
        b = ice_field_bound_get(df.lower_bounds, df.lower_bound_count, 4);
        CHECK(b && b->len == 2 && memcmp(b->ptr, "\x01\x02", 2) == 0);
        b = ice_field_bound_get(df.upper_bounds, df.upper_bound_count, 4);
        CHECK(b && b->len == 1 && memcmp(b->ptr, "\x02", 1) == 0);
        /* a leaf nested in a struct gets bounds too: the min and max of
         * the values present (struct and field both non-null) */
        const fl_column *sc = cols[4], *xc = sc->children[0];
        int64_t min = INT64_MAX, max = INT64_MIN;
        for (size_t i = 0; i < ROWS; i++) {
            if (!fl_column_is_valid(sc, i) || !fl_column_is_valid(xc, i)) continue;
            int64_t x = ((const int64_t *)xc->data)[i];
            if (x < min) min = x;
            if (x > max) max = x;
        }
        CHECK(min <= max);
        CHECK_OK(ice_data_file_bound(&lo, &found, &df, schema, 6, false, &err), &err);
        CHECK(found && lo.v.i64 == min);
        CHECK_OK(ice_data_file_bound(&hi, &found, &df, schema, 6, true, &err), &err);
        CHECK(found && hi.v.i64 == max);
    }
    /* full-length bounds when truncation is off */
    ice_metrics_opts mo = {-1};
    memset(&df, 0, sizeof(df));
    if (CHECK_OK(ice_metrics_from_parquet(&df, pf, file.len, schema, &mo, a, &err), &err)) {
        const fl_strv *b = ice_field_bound_get(df.upper_bounds, df.upper_bound_count, 2);
        CHECK(b && b->len == 21 && memcmp(b->ptr, "abcdefghijklmnopqrstu", 21) == 0);
    }
    pq_file_free(pf);
    io_reader_close(src);
done:
    fl_buf_dispose(&file);
    fl_arena_free(a);
}

/* String truncation on code points: multi-byte characters are never cut,
 * and the upper bound increments the last code point that can be. */
TEST(manifest_metrics_string_truncation)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads("{\"type\":\"struct\",\"fields\":[{\"id\":1,\"name\":\"s\",\"required\":false,\"type\":\"string\"}]}", 0, NULL);
    ice_schema *schema = NULL;
    CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err);
    json_decref(j);
    pq_field fields[1] = {tw_leaf("s", fl_type_make(FL_TYPE_STRING), true, 1)};
    pq_field root = tw_group("root", FL_TYPE_STRUCT, false, 0, fields, 1);
    /* 17 two-byte characters (é = C3 A9) as min; max ends its first 16
     * code points with U+10FFFF, which cannot grow: the one before it does */
    static const char *const vals[] = {
        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
        "\xf4\x8f\xbf\xbf" "aaaaaaaaaaaaaa" "\xf4\x8f\xbf\xbf" "zz",
    };
    fl_column *col = str_col(a, fl_type_make(FL_TYPE_STRING), vals, 2);
    fl_buf file;
    fl_buf_init(&file);
    io_reader *src = NULL;
    pq_file *pf = NULL;
    if (CHECK_OK(tw_write(&file, &root, &col, ROWS, 0, NULL, &err), &err) &&
        CHECK_OK(io_reader_from_memory(file.data, file.len, &src, &err), &err) &&
        CHECK_OK(pq_file_open(&pf, src, &err), &err)) {
        ice_data_file df;
        memset(&df, 0, sizeof(df));
        if (CHECK_OK(ice_metrics_from_parquet(&df, pf, file.len, schema, NULL, a, &err), &err)) {
            const fl_strv *b = ice_field_bound_get(df.lower_bounds, df.lower_bound_count, 1);
            CHECK(b && b->len == 32 && memcmp(b->ptr, vals[0], 32) == 0);
            b = ice_field_bound_get(df.upper_bounds, df.upper_bound_count, 1);
            CHECK(b && b->len == 18 && memcmp(b->ptr, "\xf4\x8f\xbf\xbf" "aaaaaaaaaaaaab", 18) == 0);
        }
    }
    pq_file_free(pf);
    io_reader_close(src);
    fl_buf_dispose(&file);
    fl_arena_free(a);
}
