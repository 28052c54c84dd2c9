/*
 * test_writer.c: the Parquet writer on primitive columns: round trips of
 * every type through the reader (with and without NULLs), every codec,
 * dictionary vs PLAIN fallback, row groups and pages sized in bytes, page
 * v2, CRCs, parallel encoding, empty files and input errors.
 */
#include "../test.h"
#include "test_writer_util.h"

#include <stdio.h>

#include "../../../src/base/threads.h"
#include "../../../src/format/parquet/pq_codec.h"

typedef struct all_types {
    fl_arena *arena;
    pq_field fields[32];
    pq_field root;
    fl_column *cols[32];
    int n;
    size_t rows;
} all_types;

static const char *type_names[] = {
    "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "dec7_2",
    "dec18_4", "dec38_10", "dec20_0", "date", "time", "ts", "tstz", "ts_ns", "tstz_ns", "str",
    "bin", "fixed5", "uuid"};

static fl_type type_at(int i)
{
    switch (i) {
    case 0: return fl_type_make(FL_TYPE_BOOL);
    case 1: return fl_type_make(FL_TYPE_INT8);
    case 2: return fl_type_make(FL_TYPE_INT16);
    case 3: return fl_type_make(FL_TYPE_INT32);
    case 4: return fl_type_make(FL_TYPE_INT64);
    case 5: return fl_type_make(FL_TYPE_UINT8);
    case 6: return fl_type_make(FL_TYPE_UINT16);
    case 7: return fl_type_make(FL_TYPE_UINT32);
    case 8: return fl_type_make(FL_TYPE_UINT64);
    case 9: return fl_type_make(FL_TYPE_FLOAT);
    case 10: return fl_type_make(FL_TYPE_DOUBLE);
    case 11: return fl_type_decimal(7, 2);
    case 12: return fl_type_decimal(18, 4);
    case 13: return fl_type_decimal(38, 10);
    case 14: return fl_type_decimal(20, 0);
    case 15: return fl_type_make(FL_TYPE_DATE);
    case 16: return fl_type_make(FL_TYPE_TIME);
    case 17: return fl_type_make(FL_TYPE_TIMESTAMP);
    case 18: return fl_type_make(FL_TYPE_TIMESTAMPTZ);
    case 19: return fl_type_make(FL_TYPE_TIMESTAMP_NS);
    case 20: return fl_type_make(FL_TYPE_TIMESTAMPTZ_NS);
    case 21: return fl_type_make(FL_TYPE_STRING);
    case 22: return fl_type_make(FL_TYPE_BINARY);
    case 23: return fl_type_fixed(5);
    default: return fl_type_make(FL_TYPE_UUID);
    }
}

#define N_TYPES ((int)FL_ARRAY_SIZE(type_names))

static void all_types_make(all_types *t, size_t rows, int null_every, int cardinality)
{
    t->arena = fl_arena_new(0);
    t->n = N_TYPES;
    t->rows = rows;
    for (int i = 0; i < N_TYPES; i++) {
        t->fields[i] = tw_leaf(type_names[i], type_at(i), null_every > 0, 100 + i);
        t->cols[i] = tw_gen(t->arena, type_at(i), rows, null_every, cardinality, (uint64_t)i * 77 + 1);
    }
    t->root = tw_group("schema", FL_TYPE_STRUCT, false, 0, t->fields, (uint32_t)N_TYPES);
}

static void roundtrip_all_types(int null_every, int cardinality, pq_writer_opts *opts)
{
    all_types t;
    all_types_make(&t, 3000, null_every, cardinality);
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    if (CHECK_OK(tw_write(&file, &t.root, t.cols, t.rows, 0, opts, &err), &err))
        tw_check_roundtrip(&file, t.cols, t.n, t.rows);
    fl_buf_dispose(&file);
    fl_arena_free(t.arena);
}

TEST(writer_roundtrip_all_types_nullable)
{
    roundtrip_all_types(7, 0, NULL);
    roundtrip_all_types(3, 25, NULL);
}

TEST(writer_roundtrip_all_types_required)
{
    roundtrip_all_types(0, 0, NULL);
    roundtrip_all_types(0, 25, NULL);
}

TEST(writer_roundtrip_all_types_page_v2)
{
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.page_version = 2;
    o.page_bytes = 2000;
    roundtrip_all_types(5, 0, &o);
    roundtrip_all_types(0, 10, &o);
}

TEST(writer_roundtrip_no_dictionary_small_pages)
{
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.no_dictionary = true;
    o.page_bytes = 700;
    o.codec = PQ_CODEC_SNAPPY;
    roundtrip_all_types(4, 10, &o);
}

/* An int32 + nullable string table written with each codec. */
TEST(writer_codecs)
{
    static const int codecs[] = {PQ_CODEC_UNCOMPRESSED, PQ_CODEC_SNAPPY, PQ_CODEC_GZIP,
                                 PQ_CODEC_ZSTD, PQ_CODEC_LZ4_RAW, PQ_CODEC_BROTLI};
    fl_arena *a = fl_arena_new(0);
    pq_field fields[2] = {tw_leaf("id", fl_type_make(FL_TYPE_INT32), false, 1),
                          tw_leaf("s", fl_type_make(FL_TYPE_STRING), true, 2)};
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, fields, 2);
    fl_column *cols[2] = {tw_gen(a, fields[0].type, 5000, 0, 0, 5),
                          tw_gen(a, fields[1].type, 5000, 9, 0, 6)};
    for (size_t i = 0; i < FL_ARRAY_SIZE(codecs); i++) {
        pq_writer_opts o;
        pq_writer_opts_init(&o);
        o.codec = codecs[i];
        o.page_bytes = 4096;
        fl_buf file;
        fl_buf_init(&file);
        fl_error err;
        if (CHECK_OK(tw_write(&file, &root, cols, 5000, 0, &o, &err), &err)) {
            tw_check_roundtrip(&file, cols, 2, 5000);
            fl_arena *fa = fl_arena_new(0);
            pq_file_meta *m = tw_footer(&file, fa);
            if (CHECK(m != NULL) && CHECK(m->n_row_groups == 1)) {
                CHECK_EQ(m->row_groups[0].columns[0].meta.codec, codecs[i]);
                CHECK_EQ(m->row_groups[0].columns[1].meta.codec, codecs[i]);
            }
            fl_arena_free(fa);
        }
        fl_buf_dispose(&file);
    }
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.codec = PQ_CODEC_LZO;
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    CHECK_EQ(tw_write(&file, &root, cols, 10, 0, &o, &err), FLOE_EUNSUPPORTED);
    fl_buf_dispose(&file);
    fl_arena_free(a);
}

static bool has_encoding(const pq_column_meta *m, int enc)
{
    for (int i = 0; i < m->n_encodings; i++)
        if (m->encodings[i] == enc) return true;
    return false;
}

/* Writes one nullable string column; returns its chunk metadata via the footer. */
static const pq_column_chunk *write_strings(fl_buf *file, fl_column *col, size_t rows,
                                            pq_writer_opts *o, fl_arena *fa)
{
    pq_field f = tw_leaf("s", col->type, true, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &f, 1);
    fl_error err;
    if (!CHECK_OK(tw_write(file, &root, &col, rows, 0, o, &err), &err)) return NULL;
    tw_check_roundtrip(file, &col, 1, rows);
    pq_file_meta *m = tw_footer(file, fa);
    if (!CHECK(m != NULL) || !CHECK(m->n_row_groups == 1)) return NULL;
    return &m->row_groups[0].columns[0];
}

TEST(writer_dictionary_and_fallback)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    int dict_pages, v2, crc;
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.page_bytes = 1000;

    /* low cardinality: a dictionary page and RLE_DICTIONARY data pages */
    fl_column *low = tw_gen(a, fl_type_make(FL_TYPE_STRING), 4000, 11, 30, 3);
    fl_buf f1;
    fl_buf_init(&f1);
    const pq_column_chunk *cc = write_strings(&f1, low, 4000, &o, fa);
    if (cc) {
        CHECK(cc->meta.has_dictionary_page_offset);
        CHECK(has_encoding(&cc->meta, PQ_ENC_RLE_DICTIONARY));
        CHECK(tw_count_pages(&f1, cc, &dict_pages, &v2, &crc, fa) >= 1);
        CHECK_EQ(dict_pages, 1);
    }

    /* high cardinality: distinct strings are not worth a dictionary */
    fl_column *high = fl_column_new(a, fl_type_make(FL_TYPE_STRING), 4000);
    high->len = 4000;
    for (int i = 0; i < 4000; i++) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "distinct value %d", i * 7919);
        fl_column_copy_str(high, buf, (size_t)len, &((fl_strv *)high->data)[i]);
        if (i % 11 == 10) fl_column_set_null(high, (size_t)i);
    }
    fl_buf f2;
    fl_buf_init(&f2);
    cc = write_strings(&f2, high, 4000, &o, fa);
    if (cc) {
        CHECK(!cc->meta.has_dictionary_page_offset);
        CHECK(!has_encoding(&cc->meta, PQ_ENC_RLE_DICTIONARY));
        CHECK(tw_count_pages(&f2, cc, &dict_pages, &v2, &crc, fa) > 1);
        CHECK_EQ(dict_pages, 0);
    }

    /* a dictionary that outgrows dict_page_bytes falls back to PLAIN */
    fl_column *mid = tw_gen(a, fl_type_make(FL_TYPE_STRING), 4000, 0, 500, 5);
    fl_buf f3;
    fl_buf_init(&f3);
    o.dict_page_bytes = 256;
    cc = write_strings(&f3, mid, 4000, &o, fa);
    if (cc) {
        CHECK(!cc->meta.has_dictionary_page_offset);
        CHECK(has_encoding(&cc->meta, PQ_ENC_PLAIN));
    }
    /* ... but not with the default limit */
    fl_buf f4;
    fl_buf_init(&f4);
    o.dict_page_bytes = 0;
    cc = write_strings(&f4, mid, 4000, &o, fa);
    if (cc) CHECK(cc->meta.has_dictionary_page_offset);

    /* no_dictionary */
    fl_buf f5;
    fl_buf_init(&f5);
    o.no_dictionary = true;
    cc = write_strings(&f5, low, 4000, &o, fa);
    if (cc) CHECK(!cc->meta.has_dictionary_page_offset);

    /* fixed-width values too: int64 with few distinct values */
    fl_column *ints = tw_gen(a, fl_type_make(FL_TYPE_INT64), 4000, 0, 7, 6);
    pq_field f = tw_leaf("i", ints->type, false, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &f, 1);
    fl_buf f6;
    fl_buf_init(&f6);
    fl_error err;
    pq_writer_opts_init(&o);
    if (CHECK_OK(tw_write(&f6, &root, &ints, 4000, 0, &o, &err), &err)) {
        tw_check_roundtrip(&f6, &ints, 1, 4000);
        pq_file_meta *m = tw_footer(&f6, fa);
        if (CHECK(m != NULL)) {
            CHECK(m->row_groups[0].columns[0].meta.has_dictionary_page_offset);
            /* 7 distinct values: the chunk is much smaller than the 32000 plain bytes */
            CHECK(m->row_groups[0].columns[0].meta.total_uncompressed_size < 4000);
        }
    }
    fl_buf_dispose(&f1);
    fl_buf_dispose(&f2);
    fl_buf_dispose(&f3);
    fl_buf_dispose(&f4);
    fl_buf_dispose(&f5);
    fl_buf_dispose(&f6);
    fl_arena_free(a);
    fl_arena_free(fa);
}

TEST(writer_row_groups_and_pages)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    pq_field fields[3] = {tw_leaf("i", fl_type_make(FL_TYPE_INT64), false, 1),
                          tw_leaf("s", fl_type_make(FL_TYPE_STRING), true, 2),
                          tw_leaf("d", fl_type_decimal(9, 3), true, 3)};
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, fields, 3);
    size_t rows = 20000;
    fl_column *cols[3] = {tw_gen(a, fields[0].type, rows, 0, 0, 1),
                          tw_gen(a, fields[1].type, rows, 5, 0, 2),
                          tw_gen(a, fields[2].type, rows, 3, 100, 3)};
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.row_group_bytes = 64 << 10;
    o.page_bytes = 2 << 10;
    for (int pass = 0; pass < 2; pass++) {
        fl_buf file;
        fl_buf_init(&file);
        fl_error err;
        /* pass 1 writes 1000-row batches: same data, same row-group sizing */
        if (CHECK_OK(tw_write(&file, &root, cols, rows, pass ? 1000 : 0, &o, &err), &err)) {
            tw_check_roundtrip(&file, cols, 3, rows);
            pq_file_meta *m = tw_footer(&file, fa);
            if (CHECK(m != NULL)) {
                CHECK(m->n_row_groups >= 4);
                CHECK(m->n_row_groups <= 12);
                int64_t sum = 0;
                for (int g = 0; g < m->n_row_groups; g++) {
                    const pq_row_group *rg = &m->row_groups[g];
                    sum += rg->num_rows;
                    CHECK_EQ(rg->ordinal, g);
                    CHECK_EQ(rg->file_offset, rg->columns[0].meta.data_page_offset);
                    int64_t compressed = 0;
                    for (int c = 0; c < 3; c++) {
                        int dict_pages, v2, crc;
                        int pages = tw_count_pages(&file, &rg->columns[c], &dict_pages, &v2, &crc, fa);
                        /* the dictionary-encoded decimals fit fewer pages */
                        CHECK(c == 2 ? pages >= 1 : pages > 1);
                        compressed += rg->columns[c].meta.total_compressed_size;
                    }
                    CHECK_EQ(compressed, rg->total_compressed_size);
                    /* rows of a group: about 64 KiB of buffered data */
                    CHECK(rg->total_byte_size > 0);
                }
                CHECK_EQ(sum, (int64_t)rows);
                CHECK_EQ(m->num_rows, (int64_t)rows);
            }
        }
        fl_buf_dispose(&file);
    }
    fl_arena_free(a);
    fl_arena_free(fa);
}

TEST(writer_zero_rows)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    pq_field fields[2] = {tw_leaf("i", fl_type_make(FL_TYPE_INT32), false, 1),
                          tw_leaf("s", fl_type_make(FL_TYPE_STRING), true, 2)};
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, fields, 2);
    fl_column *cols[2] = {tw_gen(a, fields[0].type, 0, 0, 0, 1), tw_gen(a, fields[1].type, 0, 0, 0, 1)};
    fl_buf file;
    fl_buf_init(&file);
    fl_error err;
    if (CHECK_OK(tw_write(&file, &root, cols, 0, 0, NULL, &err), &err)) {
        CHECK_EQ(tw_check_roundtrip(&file, cols, 2, 0), 0);
        pq_file_meta *m = tw_footer(&file, fa);
        if (CHECK(m != NULL)) {
            CHECK_EQ(m->num_rows, 0);
            CHECK_EQ(m->n_row_groups, 0);
            CHECK_EQ(m->n_schema, 3);
            CHECK_EQ(m->n_column_orders, 2);
        }
    }
    fl_buf_dispose(&file);
    fl_arena_free(a);
    fl_arena_free(fa);
}

TEST(writer_page_crc)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    pq_field f = tw_leaf("s", fl_type_make(FL_TYPE_STRING), true, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &f, 1);
    fl_column *col = tw_gen(a, f.type, 3000, 4, 40, 9);
    for (int version = 1; version <= 2; version++) {
        pq_writer_opts o;
        pq_writer_opts_init(&o);
        o.page_crc = true;
        o.page_bytes = 1000;
        o.page_version = version;
        fl_buf file;
        fl_buf_init(&file);
        fl_error err;
        if (CHECK_OK(tw_write(&file, &root, &col, 3000, 0, &o, &err), &err)) {
            tw_check_roundtrip(&file, &col, 1, 3000);
            pq_file_meta *m = tw_footer(&file, fa);
            int dict_pages, v2, crc;
            if (CHECK(m != NULL)) {
                int pages = tw_count_pages(&file, &m->row_groups[0].columns[0], &dict_pages, &v2,
                                           &crc, fa);
                CHECK(pages > 1);
                CHECK_EQ(crc, pages + dict_pages);
                CHECK_EQ(v2, version == 2 ? pages : 0);
                CHECK_EQ(m->version, version);
            }
            /* a flipped byte in the last page is caught by the reader */
            file.data[file.len - 8 - fl_load_u32le(file.data + file.len - 8) - 2] ^= 0x55;
            io_reader *src = NULL;
            pq_file *pf = NULL;
            pq_scan *scan = NULL;
            CHECK_OK(io_reader_from_memory(file.data, file.len, &src, &err), &err);
            int rc = pq_file_open(&pf, src, &err);
            pq_scan_opts so;
            memset(&so, 0, sizeof so);
            so.verify_crc = true;
            if (rc == 0) rc = pq_scan_new(&scan, pf, &so, &err);
            fl_arena *ba = fl_arena_new(0);
            while (rc == 0) {
                fl_column *out[1];
                size_t n = 0;
                rc = pq_scan_next(scan, ba, out, &n, &err);
                if (n == 0) break;
            }
            CHECK(rc < 0);
            fl_arena_free(ba);
            pq_scan_free(scan);
            pq_file_free(pf);
            io_reader_close(src);
        }
        fl_buf_dispose(&file);
    }
    fl_arena_free(a);
    fl_arena_free(fa);
}

TEST(writer_parallel_same_bytes)
{
    all_types t;
    all_types_make(&t, 20000, 6, 0);
    fl_pool *pool = NULL;
    fl_error err;
    CHECK_OK(fl_pool_new(&pool, 2), &err);
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.row_group_bytes = 256 << 10;
    fl_buf serial, parallel;
    fl_buf_init(&serial);
    fl_buf_init(&parallel);
    CHECK_OK(tw_write(&serial, &t.root, t.cols, t.rows, 4000, &o, &err), &err);
    o.pool = pool;
    CHECK_OK(tw_write(&parallel, &t.root, t.cols, t.rows, 4000, &o, &err), &err);
    CHECK_MEM(serial.data, serial.len, parallel.data, parallel.len);
    tw_check_roundtrip(&parallel, t.cols, t.n, t.rows);
    fl_buf_dispose(&serial);
    fl_buf_dispose(&parallel);
    fl_pool_free(pool);
    fl_arena_free(t.arena);
}

TEST(writer_metadata_and_footer)
{
    fl_arena *a = fl_arena_new(0), *fa = fl_arena_new(0);
    all_types t;
    all_types_make(&t, 100, 10, 0);
    pq_kv kv[2] = {{"iceberg.schema", "{\"type\":\"struct\"}"}, {"empty", NULL}};
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.kv = kv;
    o.n_kv = 2;
    fl_buf file;
    fl_buf_init(&file);
    io_writer *dst = NULL;
    pq_writer *w = NULL;
    fl_error err;
    CHECK_OK(io_writer_to_buf(&file, &dst, &err), &err);
    CHECK_OK(pq_writer_new(&w, dst, &t.root, &o, &err), &err);
    CHECK(pq_writer_metadata(w) == NULL);
    CHECK_OK(pq_writer_write(w, t.cols, t.rows, &err), &err);
    CHECK_OK(pq_writer_close(w, &err), &err);
    CHECK_EQ(pq_writer_write(w, t.cols, t.rows, &err), FLOE_EINVAL);
    const pq_file_meta *wm = pq_writer_metadata(w);
    CHECK_OK(io_writer_close(dst, &err), &err);
    pq_file_meta *m = tw_footer(&file, fa);
    if (CHECK(m != NULL) && CHECK(wm != NULL)) {
        CHECK_EQ(wm->num_rows, 100);
        CHECK_EQ(m->num_rows, 100);
        CHECK_STR(m->created_by, pq_created_by());
        CHECK_STR(pq_created_by(), "floe version " FLOE_VERSION);
        CHECK_EQ(m->n_kv, 2);
        CHECK_STR(m->kv[0].key, "iceberg.schema");
        CHECK_STR(m->kv[0].value, "{\"type\":\"struct\"}");
        CHECK_STR(m->kv[1].key, "empty");
        CHECK(m->kv[1].value == NULL);
        CHECK_EQ(m->n_column_orders, N_TYPES);
        CHECK_EQ(m->n_schema, N_TYPES + 1);
        CHECK_STR(m->schema[0].name, "schema");
        CHECK_EQ(m->schema[0].num_children, N_TYPES);
        for (int i = 0; i < N_TYPES; i++) {
            const pq_schema_element *e = &m->schema[i + 1];
            CHECK_STR(e->name, type_names[i]);
            CHECK(e->has_field_id);
            CHECK_EQ(e->field_id, 100 + i);
            CHECK_EQ(e->repetition, PQ_OPTIONAL);
            const pq_column_meta *cm = &m->row_groups[0].columns[i].meta;
            CHECK_EQ(cm->path_len, 1);
            CHECK_STR(cm->path_in_schema[0], type_names[i]);
            CHECK_EQ(cm->num_values, 100);
            CHECK(cm->has_stats && cm->stats.has_null_count);
            CHECK_EQ(cm->stats.null_count, 10);
            CHECK_EQ(cm->type, wm->row_groups[0].columns[i].meta.type);
        }
        /* type mapping */
        CHECK_EQ(m->schema[1].type, PQ_BOOLEAN);
        CHECK_EQ(m->schema[2].type, PQ_INT32);
        CHECK_EQ(m->schema[2].logical.kind, PQ_LT_INTEGER);
        CHECK_EQ(m->schema[2].logical.bit_width, 8);
        CHECK(m->schema[2].logical.is_signed);
        CHECK_EQ(m->schema[3].logical.bit_width, 16);
        CHECK_EQ(m->schema[5].type, PQ_INT64);
        CHECK_EQ(m->schema[9].type, PQ_INT64);
        CHECK(!m->schema[9].logical.is_signed);
        CHECK_EQ(m->schema[12].type, PQ_INT32);   /* decimal(7,2) */
        CHECK_EQ(m->schema[12].logical.kind, PQ_LT_DECIMAL);
        CHECK_EQ(m->schema[12].logical.precision, 7);
        CHECK_EQ(m->schema[12].logical.scale, 2);
        CHECK_EQ(m->schema[13].type, PQ_INT64);   /* decimal(18,4) */
        CHECK_EQ(m->schema[14].type, PQ_FIXED_LEN_BYTE_ARRAY);   /* decimal(38,10) */
        CHECK_EQ(m->schema[14].type_length, 16);
        CHECK_EQ(m->schema[15].type_length, 9);   /* decimal(20,0) */
        CHECK_EQ(m->schema[16].logical.kind, PQ_LT_DATE);
        CHECK_EQ(m->schema[17].logical.kind, PQ_LT_TIME);
        CHECK_EQ(m->schema[17].logical.unit, PQ_UNIT_MICROS);
        CHECK(!m->schema[18].logical.is_adjusted_to_utc);
        CHECK(m->schema[19].logical.is_adjusted_to_utc);
        CHECK_EQ(m->schema[20].logical.unit, PQ_UNIT_NANOS);
        CHECK_EQ(m->schema[22].logical.kind, PQ_LT_STRING);
        CHECK_EQ(m->schema[23].type, PQ_BYTE_ARRAY);
        CHECK_EQ(m->schema[23].logical.kind, PQ_LT_NONE);
        CHECK_EQ(m->schema[24].type_length, 5);
        CHECK_EQ(m->schema[25].logical.kind, PQ_LT_UUID);
        CHECK_EQ(m->schema[25].type_length, 16);
    }
    pq_writer_free(w);
    fl_buf_dispose(&file);
    fl_arena_free(t.arena);
    fl_arena_free(a);
    fl_arena_free(fa);
}

/* Writes a batch that must fail with `want`. Errors found while checking
 * the batch leave the writer usable; errors found while shredding it
 * (`breaks`) leave it refusing further calls. */
static void check_error_write(const pq_field *root, fl_column **cols, size_t rows, int want,
                              const char *fragment, bool breaks)
{
    fl_buf file;
    fl_buf_init(&file);
    io_writer *dst = NULL;
    pq_writer *w = NULL;
    fl_error err;
    fl_error_clear(&err);
    io_writer_to_buf(&file, &dst, &err);
    int rc = pq_writer_new(&w, dst, root, NULL, &err);
    if (rc == 0) rc = pq_writer_write(w, cols, rows, &err);
    CHECK_EQ(rc, want);
    if (!CHECK(strstr(err.message, fragment) != NULL))
        fprintf(stderr, "    message: %s\n", err.message);
    if (w && rc < 0) {
        if (breaks)
            CHECK_EQ(pq_writer_close(w, &err), FLOE_EINVAL);
        else
            CHECK_OK(pq_writer_close(w, &err), &err);
    }
    pq_writer_free(w);
    io_writer_abort(dst);
    fl_buf_dispose(&file);
}

TEST(writer_input_errors)
{
    fl_arena *a = fl_arena_new(0);
    /* NULL in a required column */
    pq_field f = tw_leaf("x", fl_type_make(FL_TYPE_INT32), false, 1);
    pq_field root = tw_group("schema", FL_TYPE_STRUCT, false, 0, &f, 1);
    fl_column *col = tw_gen(a, f.type, 20, 5, 0, 1);
    check_error_write(&root, &col, 20, FLOE_EINVAL, "\"x\" is not nullable", true);
    /* type mismatch */
    fl_column *other = tw_gen(a, fl_type_make(FL_TYPE_INT64), 20, 0, 0, 1);
    check_error_write(&root, &other, 20, FLOE_ETYPE, "has type bigint", false);
    /* too few rows */
    check_error_write(&root, &other, 30, FLOE_ETYPE, "column \"x\"", false);
    fl_column *short_col = tw_gen(a, f.type, 10, 0, 0, 1);
    check_error_write(&root, &short_col, 30, FLOE_EINVAL, "has 10 rows", false);
    /* decimal out of its precision */
    pq_field fd = tw_leaf("d", fl_type_decimal(4, 2), true, 1);
    pq_field rd = tw_group("schema", FL_TYPE_STRUCT, false, 0, &fd, 1);
    fl_column *dec = tw_gen(a, fd.type, 8, 0, 0, 1);
    ((int64_t *)dec->data)[3] = 10000;
    check_error_write(&rd, &dec, 8, FLOE_ERANGE, "decimal(4,2)", true);
    pq_field fw = tw_leaf("w", fl_type_decimal(30, 2), true, 1);
    pq_field rw = tw_group("schema", FL_TYPE_STRUCT, false, 0, &fw, 1);
    fl_column *wide = tw_gen(a, fw.type, 8, 0, 0, 1);
    fl_int128 big = 1;
    for (int i = 0; i < 30; i++) big *= 10;
    ((fl_int128 *)wide->data)[7] = -big;
    check_error_write(&rw, &wide, 8, FLOE_ERANGE, "decimal(30,2)", true);
    /* fixed value of the wrong length */
    pq_field ff = tw_leaf("f", fl_type_fixed(4), true, 1);
    pq_field rf = tw_group("schema", FL_TYPE_STRUCT, false, 0, &ff, 1);
    fl_column *fx = tw_gen(a, ff.type, 8, 0, 0, 1);
    ((fl_strv *)fx->data)[2].len = 3;
    check_error_write(&rf, &fx, 8, FLOE_EINVAL, "has 3 bytes, expected 4", true);

    /* bad schemas */
    fl_buf file;
    fl_buf_init(&file);
    io_writer *dst = NULL;
    pq_writer *w = NULL;
    fl_error err;
    io_writer_to_buf(&file, &dst, &err);
    pq_field empty = tw_group("e", FL_TYPE_STRUCT, true, 1, NULL, 0);
    pq_field r1 = tw_group("schema", FL_TYPE_STRUCT, false, 0, &empty, 1);
    CHECK_EQ(pq_writer_new(&w, dst, &r1, NULL, &err), FLOE_EUNSUPPORTED);
    pq_field two[2] = {f, f};
    pq_field lst = tw_group("l", FL_TYPE_LIST, true, 1, two, 2);
    pq_field r2 = tw_group("schema", FL_TYPE_STRUCT, false, 0, &lst, 1);
    CHECK_EQ(pq_writer_new(&w, dst, &r2, NULL, &err), FLOE_EINVAL);
    pq_field bad_dec = tw_leaf("d", fl_type_decimal(39, 2), true, 1);
    pq_field r3 = tw_group("schema", FL_TYPE_STRUCT, false, 0, &bad_dec, 1);
    CHECK_EQ(pq_writer_new(&w, dst, &r3, NULL, &err), FLOE_EINVAL);
    CHECK_EQ(pq_writer_new(&w, dst, &f, NULL, &err), FLOE_EINVAL);   /* root not a struct */
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.page_version = 3;
    CHECK_EQ(pq_writer_new(&w, dst, &root, &o, &err), FLOE_EINVAL);
    CHECK(w == NULL);
    io_writer_abort(dst);
    fl_buf_dispose(&file);
    fl_arena_free(a);
}

/* Every allocation failure is reported, never a crash or a leak (ASan). */
TEST(writer_out_of_memory)
{
    all_types t;
    all_types_make(&t, 50, 3, 0);
    int failures = 0;
    for (long n = 0; n < 400; n += 7) {
        fl_buf file;
        fl_buf_init(&file);
        fl_error err;
        fl_alloc_fail_after(n);
        int rc = tw_write(&file, &t.root, t.cols, t.rows, 0, NULL, &err);
        fl_alloc_fail_after(-1);
        if (rc < 0) {
            failures++;
            CHECK_EQ(rc, FLOE_ENOMEM);
        }
        fl_buf_dispose(&file);
    }
    CHECK(failures > 10);
    fl_arena_free(t.arena);
}
