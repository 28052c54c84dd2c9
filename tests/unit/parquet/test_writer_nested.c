/*
 * test_writer_nested.c: the Parquet writer on nested columns: STRUCT,
 * LIST (3-level) and MAP (key_value) layouts with their field ids, the
 * definition/repetition levels of empty lists, NULL lists, lists of NULLs
 * and lists of structs of lists, checked through the reader, across pages,
 * row groups, write batches and page versions.
 */
#include "../test.h"
#include "test_writer_util.h"

#include <stdio.h>

#include "../../../src/base/threads.h"

static fl_column *mk_list(fl_arena *a, fl_type_id kind, size_t rows, const int64_t *offsets,
                          const int *null_rows, fl_column *c0, fl_column *c1)
{
    fl_column *c = fl_column_new(a, fl_type_make(kind), rows);
    c->len = rows;
    memcpy(c->offsets, offsets, (rows + 1) * sizeof *offsets);
    for (const int *n = null_rows; n && *n >= 0; n++) fl_column_set_null(c, (size_t)*n);
    fl_column_add_child(c, c0);
    if (c1) fl_column_add_child(c, c1);
    return c;
}

static fl_column *mk_i32(fl_arena *a, size_t rows, const int32_t *vals, const int *null_rows)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_INT32), rows);
    c->len = rows;
    memcpy(c->data, vals, rows * sizeof *vals);
    for (const int *n = null_rows; n && *n >= 0; n++) fl_column_set_null(c, (size_t)*n);
    return c;
}

static fl_column *mk_str(fl_arena *a, size_t rows, const char **vals)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_STRING), rows);
    c->len = rows;
    for (size_t i = 0; i < rows; i++) {
        if (!vals[i])
            fl_column_set_null(c, i);
        else
            fl_column_copy_str(c, vals[i], strlen(vals[i]), &((fl_strv *)c->data)[i]);
    }
    return c;
}

/* Levels as written: [1,2,3], [], NULL, [NULL,NULL], [4], [NULL,5,NULL]. */
TEST(writer_list_empty_null_and_null_elements)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    int32_t vals[] = {1, 2, 3, 0, 0, 4, 0, 5, 0};
    int elem_nulls[] = {3, 4, 6, 8, -1};
    int64_t offs[] = {0, 3, 3, 3, 5, 6, 9};
    int list_nulls[] = {2, -1};
    fl_column *list = mk_list(a, FL_TYPE_LIST, 6, offs, list_nulls, mk_i32(a, 9, vals, elem_nulls),
                              NULL);
    pq_field elem = tw_leaf("element", fl_type_make(FL_TYPE_INT32), true, 2);
    pq_field lf = tw_group("l", FL_TYPE_LIST, true, 1, &elem, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &lf, 1);
    for (int version = 1; version <= 2; version++) {
        pq_writer_opts o;
        pq_writer_opts_init(&o);
        o.page_version = version;
        fl_buf file;
        fl_buf_init(&file);
        fl_error err;
        if (CHECK_OK(tw_write(&file, &root, &list, 6, 0, &o, &err), &err)) {
            tw_check_roundtrip(&file, &list, 1, 6);
            pq_file_meta *m = tw_footer(&file, fa);
            if (CHECK(m != NULL)) {
                const pq_column_meta *cm = &m->row_groups[0].columns[0].meta;
                /* 3 + 1 (empty) + 1 (NULL) + 2 + 1 + 3 level entries */
                CHECK_EQ(cm->num_values, 11);
                /* entries below the max definition level: [], NULL and 4 NULL elements */
                CHECK_EQ(cm->stats.null_count, 6);
                CHECK_EQ(cm->path_len, 3);
                CHECK_STR(cm->path_in_schema[0], "l");
                CHECK_STR(cm->path_in_schema[1], "list");
                CHECK_STR(cm->path_in_schema[2], "element");
                int32_t min, max;
                memcpy(&min, cm->stats.min_value.ptr, 4);
                memcpy(&max, cm->stats.max_value.ptr, 4);
                CHECK_EQ(min, 1);
                CHECK_EQ(max, 5);
                /* l (LIST) { repeated group list { optional int32 element } } */
                CHECK_EQ(m->n_schema, 4);
                CHECK_STR(m->schema[1].name, "l");
                CHECK_EQ(m->schema[1].repetition, PQ_OPTIONAL);
                CHECK_EQ(m->schema[1].logical.kind, PQ_LT_LIST);
                CHECK_EQ(m->schema[1].converted_type, PQ_CT_LIST);
                CHECK(m->schema[1].has_field_id && m->schema[1].field_id == 1);
                CHECK_STR(m->schema[2].name, "list");
                CHECK_EQ(m->schema[2].repetition, PQ_REPEATED);
                CHECK(!m->schema[2].has_field_id);
                CHECK_STR(m->schema[3].name, "element");
                CHECK_EQ(m->schema[3].repetition, PQ_OPTIONAL);
                CHECK(m->schema[3].has_field_id && m->schema[3].field_id == 2);
            }
        }
        fl_buf_dispose(&file);
    }
    fl_arena_free(a);
    fl_arena_free(fa);
}

/* m: map<string, int?> with an empty map, a NULL map, NULL values. */
TEST(writer_map_layout_and_values)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    const char *keys[] = {"a", "b", "c", "a", "zz"};
    int32_t vals[] = {1, 0, 3, 4, 5};
    int val_nulls[] = {1, -1};
    int64_t offs[] = {0, 2, 2, 2, 5};
    int map_nulls[] = {2, -1};
    fl_column *map = mk_list(a, FL_TYPE_MAP, 4, offs, map_nulls, mk_str(a, 5, keys),
                             mk_i32(a, 5, vals, val_nulls));
    pq_field kv[2] = {tw_leaf("key", fl_type_make(FL_TYPE_STRING), false, 11),
                      tw_leaf("value", fl_type_make(FL_TYPE_INT32), true, 12)};
    pq_field mf = tw_group("m", FL_TYPE_MAP, true, 10, kv, 2);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &mf, 1);
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    if (CHECK_OK(tw_write(&file, &root, &map, 4, 0, NULL, &err), &err)) {
        tw_check_roundtrip(&file, &map, 1, 4);
        pq_file_meta *m = tw_footer(&file, fa);
        if (CHECK(m != NULL) && CHECK(m->n_schema == 5)) {
            CHECK_STR(m->schema[1].name, "m");
            CHECK_EQ(m->schema[1].logical.kind, PQ_LT_MAP);
            CHECK_EQ(m->schema[1].converted_type, PQ_CT_MAP);
            CHECK_EQ(m->schema[1].field_id, 10);
            CHECK_STR(m->schema[2].name, "key_value");
            CHECK_EQ(m->schema[2].repetition, PQ_REPEATED);
            CHECK_EQ(m->schema[2].num_children, 2);
            CHECK_STR(m->schema[3].name, "key");
            CHECK_EQ(m->schema[3].repetition, PQ_REQUIRED);
            CHECK_EQ(m->schema[3].field_id, 11);
            CHECK_STR(m->schema[4].name, "value");
            CHECK_EQ(m->schema[4].repetition, PQ_OPTIONAL);
            CHECK_EQ(m->schema[4].field_id, 12);
            const pq_column_meta *key = &m->row_groups[0].columns[0].meta;
            const pq_column_meta *val = &m->row_groups[0].columns[1].meta;
            CHECK_EQ(key->num_values, 7);
            CHECK_EQ(key->stats.null_count, 2);
            CHECK_EQ(val->stats.null_count, 3);
            CHECK_MEM(key->stats.min_value.ptr, key->stats.min_value.len, "a", 1);
            CHECK_MEM(key->stats.max_value.ptr, key->stats.max_value.len, "zz", 2);
        }
    }
    fl_buf_dispose(&file);
    /* a NULL key is an error */
    keys[3] = NULL;
    fl_column *bad = mk_list(a, FL_TYPE_MAP, 4, offs, map_nulls, mk_str(a, 5, keys),
                             mk_i32(a, 5, vals, val_nulls));
    fl_buf_init(&file);
    CHECK_EQ(tw_write(&file, &root, &bad, 4, 0, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "m.key_value.key") != NULL);
    fl_buf_dispose(&file);
    fl_arena_free(a);
    fl_arena_free(fa);
}

/* s: struct<a int?, b string (required)>, NULL structs and NULL children. */
TEST(writer_struct_nulls)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    int32_t av[] = {1, 2, 3, 4, 5};
    int a_nulls[] = {1, -1};
    const char *bv[] = {"x", "y", "", "w", "v"};
    fl_column *s = fl_column_new(a, fl_type_make(FL_TYPE_STRUCT), 5);
    s->len = 5;
    fl_column_add_child(s, mk_i32(a, 5, av, a_nulls));
    fl_column_add_child(s, mk_str(a, 5, bv));
    fl_column_set_null(s, 3);
    pq_field kids[2] = {tw_leaf("a", fl_type_make(FL_TYPE_INT32), true, 21),
                        tw_leaf("b", fl_type_make(FL_TYPE_STRING), false, 22)};
    pq_field sf = tw_group("s", FL_TYPE_STRUCT, true, 20, kids, 2);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &sf, 1);
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    if (CHECK_OK(tw_write(&file, &root, &s, 5, 0, NULL, &err), &err)) {
        tw_check_roundtrip(&file, &s, 1, 5);
        pq_file_meta *m = tw_footer(&file, fa);
        if (CHECK(m != NULL)) {
            CHECK_EQ(m->schema[1].num_children, 2);
            CHECK_EQ(m->schema[1].field_id, 20);
            CHECK_EQ(m->schema[2].field_id, 21);
            CHECK_EQ(m->schema[3].field_id, 22);
            CHECK_EQ(m->schema[3].repetition, PQ_REQUIRED);
            CHECK_EQ(m->row_groups[0].columns[0].meta.stats.null_count, 2);
            CHECK_EQ(m->row_groups[0].columns[1].meta.stats.null_count, 1);
            const pq_statistics *st = &m->row_groups[0].columns[1].meta.stats;
            CHECK_MEM(st->min_value.ptr, st->min_value.len, "", 0);
            CHECK_MEM(st->max_value.ptr, st->max_value.len, "y", 1);   /* "w" is under a NULL struct */
        }
    }
    fl_buf_dispose(&file);
    fl_arena_free(a);
    fl_arena_free(fa);
}

/* A schema with every nesting shape, random data, checked under many layouts. */
typedef struct nested_schema {
    pq_field inner_kids[2], inner, list_of_struct_elem, l1_elem, l0_kids[1], m_kv[2], top[7];
    pq_field ll_inner_elem, ll_inner, root;
} nested_schema;

static void nested_schema_init(nested_schema *s)
{
    /* c: list<list<int64?>?> */
    s->ll_inner_elem = tw_leaf("element", fl_type_make(FL_TYPE_INT64), true, 31);
    s->ll_inner = tw_group("element", FL_TYPE_LIST, true, 30, &s->ll_inner_elem, 1);
    /* d: list<struct<x: decimal(25,3)?, y: list<string?>>> */
    s->l1_elem = tw_leaf("element", fl_type_make(FL_TYPE_STRING), true, 43);
    s->inner_kids[0] = tw_leaf("x", fl_type_decimal(25, 3), true, 41);
    s->inner_kids[1] = tw_group("y", FL_TYPE_LIST, false, 42, &s->l1_elem, 1);
    s->inner = tw_group("element", FL_TYPE_STRUCT, true, 40, s->inner_kids, 2);
    /* e: map<int32, struct<u: uuid?>?> */
    s->l0_kids[0] = tw_leaf("u", fl_type_make(FL_TYPE_UUID), true, 53);
    s->m_kv[0] = tw_leaf("key", fl_type_make(FL_TYPE_INT32), false, 51);
    s->m_kv[1] = tw_group("value", FL_TYPE_STRUCT, true, 52, s->l0_kids, 1);
    s->top[0] = tw_leaf("id", fl_type_make(FL_TYPE_INT64), false, 1);
    s->top[1] = tw_leaf("b", fl_type_make(FL_TYPE_BOOL), true, 2);
    s->top[2] = tw_group("c", FL_TYPE_LIST, true, 3, &s->ll_inner, 1);
    s->top[3] = tw_group("d", FL_TYPE_LIST, true, 4, &s->inner, 1);
    s->top[4] = tw_group("e", FL_TYPE_MAP, true, 5, s->m_kv, 2);
    s->top[5] = tw_group("f", FL_TYPE_STRUCT, false, 6, s->inner_kids, 2);
    s->top[6] = tw_leaf("g", fl_type_make(FL_TYPE_NULL), true, 7);
    s->root = tw_group("schema", FL_TYPE_STRUCT, false, 0, s->top, 7);
}

static void nested_roundtrip(size_t rows, size_t batch, pq_writer_opts *o, int *row_groups)
{
    nested_schema s;
    nested_schema_init(&s);
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    fl_column *cols[7];
    for (int i = 0; i < 7; i++) cols[i] = tw_gen_field(a, &s.top[i], rows, 5, 4, (uint64_t)i + 100);
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    if (CHECK_OK(tw_write(&file, &s.root, cols, rows, batch, o, &err), &err)) {
        tw_check_roundtrip(&file, cols, 7, rows);
        pq_file_meta *m = tw_footer(&file, fa);
        if (CHECK(m != NULL)) {
            *row_groups = m->n_row_groups;
            /* leaves: id, b, c.e.e, d.x, d.y.e, e.key, e.value.u, f.x, f.y.e, g */
            CHECK_EQ(m->n_column_orders, 10);
            for (int g = 0; g < m->n_row_groups; g++) {
                for (int c = 0; c < m->row_groups[g].n_columns; c++) {
                    int dict_pages, v2, crc;
                    CHECK(tw_count_pages(&file, &m->row_groups[g].columns[c], &dict_pages, &v2,
                                         &crc, fa) >= 1);
                }
            }
            const pq_column_meta *cee = &m->row_groups[0].columns[2].meta;
            CHECK_EQ(cee->path_len, 5);
            CHECK_STR(cee->path_in_schema[3], "list");
            CHECK_STR(cee->path_in_schema[4], "element");
        }
    }
    fl_buf_dispose(&file);
    fl_arena_free(a);
    fl_arena_free(fa);
}

TEST(writer_nested_random_default)
{
    int groups = 0;
    nested_roundtrip(3000, 0, NULL, &groups);
    CHECK_EQ(groups, 1);
}

TEST(writer_nested_random_small_pages_and_groups)
{
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.page_bytes = 512;
    o.row_group_bytes = 40 << 10;
    int groups = 0;
    nested_roundtrip(4000, 0, &o, &groups);
    CHECK(groups > 2);
    nested_roundtrip(4000, 96, &o, &groups);
    CHECK(groups > 2);
    o.page_version = 2;
    o.codec = 0;
    o.no_dictionary = true;
    nested_roundtrip(4000, 400, &o, &groups);
    CHECK(groups > 2);
    /* on a pool: shredding and chunk encoding run in parallel */
    fl_pool *pool = NULL;
    fl_error err;
    if (CHECK_OK(fl_pool_new(&pool, 2), &err)) {
        o.pool = pool;
        o.page_version = 1;
        o.codec = PQ_CODEC_ZSTD;
        o.no_dictionary = false;
        nested_roundtrip(30000, 0, &o, &groups);
        CHECK(groups > 10);
    }
    fl_pool_free(pool);
}

/* Data pages of repeated columns start at a record boundary. */
TEST(writer_nested_pages_start_at_records)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    pq_field elem = tw_leaf("element", fl_type_make(FL_TYPE_INT32), false, 2);
    pq_field lf = tw_group("l", FL_TYPE_LIST, false, 1, &elem, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &lf, 1);
    fl_column *col = tw_gen_field(a, &lf, 5000, 0, 30, 77);
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.page_bytes = 300;
    o.page_version = 2;
    o.no_dictionary = true;
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    if (CHECK_OK(tw_write(&file, &root, &col, 5000, 0, &o, &err), &err)) {
        tw_check_roundtrip(&file, &col, 1, 5000);
        pq_file_meta *m = tw_footer(&file, fa);
        if (CHECK(m != NULL)) {
            const pq_column_meta *cm = &m->row_groups[0].columns[0].meta;
            int64_t pos = cm->data_page_offset, end = pos + cm->total_compressed_size;
            int64_t rows = 0;
            int pages = 0;
            while (pos < end) {
                pq_page_header h;
                size_t used;
                if (!CHECK_OK(pq_page_header_read(&h, (const uint8_t *)file.data + pos,
                                                  (size_t)(end - pos), &used, fa, &err), &err))
                    break;
                CHECK_EQ(h.type, PQ_PAGE_DATA_V2);
                CHECK(h.num_rows > 0);
                /* the first repetition level of the page is 0 (a bit-packed or RLE run of 0 first) */
                rows += h.num_rows;
                pages++;
                pos += (int64_t)used + h.compressed_page_size;
            }
            CHECK(pages > 10);
            CHECK_EQ(rows, 5000);
        }
    }
    fl_buf_dispose(&file);
    fl_arena_free(a);
    fl_arena_free(fa);
}
