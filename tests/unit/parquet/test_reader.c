/*
 * test_reader.c: the Parquet reader on files crafted byte by byte (pages,
 * levels, dictionaries, hostile sizes and counts) and on files from the
 * writer (projection, row-group ranges, batches, predicates, the reads it
 * issues, sharing a pq_file between threads).
 */
#include "../test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/format/parquet/pq_encoding.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"

/* ---- crafting files ---- */

typedef struct page {
    pq_page_header h;
    fl_buf body;
} page;

typedef struct craft {
    pq_schema_element schema[8];
    int n_schema;
    page pages[8];
    int n_pages;
    int64_t num_rows, num_values;
    int codec;
    int64_t dict_offset;        /* -1: absent; else relative to the chunk (0 = first page) */
    int64_t size_delta;         /* added to total_compressed_size */
} craft;

static void craft_init(craft *c, int leaf_type, int repetition)
{
    memset(c, 0, sizeof *c);
    c->schema[0] = (pq_schema_element){.type = -1, .repetition = PQ_REP_NONE, .name = "schema",
                                       .num_children = 1, .converted_type = PQ_CT_NONE};
    c->schema[1] = (pq_schema_element){.type = leaf_type, .repetition = repetition, .name = "x",
                                       .converted_type = PQ_CT_NONE};
    c->n_schema = 2;
    c->dict_offset = -1;
}

static page *add_page(craft *c, int type, int32_t num_values, int encoding)
{
    page *p = &c->pages[c->n_pages++];
    memset(p, 0, sizeof *p);
    p->h.type = type;
    p->h.num_values = num_values;
    p->h.encoding = encoding;
    p->h.definition_level_encoding = PQ_ENC_RLE;
    p->h.repetition_level_encoding = PQ_ENC_RLE;
    p->h.is_compressed = true;
    p->h.has_data_header = true;
    fl_buf_init(&p->body);
    return p;
}

/* v1 levels: 4-byte length + RLE runs */
static void put_levels(fl_buf *b, const uint8_t *lv, size_t n, int max)
{
    fl_buf tmp;
    fl_buf_init(&tmp);
    pq_rle_encode_u8(&tmp, lv, n, pq_bit_width((uint64_t)max));
    fl_buf_append_u32le(b, (uint32_t)tmp.len);
    fl_buf_append(b, tmp.data, tmp.len);
    fl_buf_dispose(&tmp);
}

static void put_i32(fl_buf *b, const int32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) fl_buf_append_u32le(b, (uint32_t)v[i]);
}

/* Writes the file into out; page sizes default to the body lengths. */
static void craft_build(craft *c, fl_buf *out)
{
    fl_buf_init(out);
    fl_buf_append(out, "PAR1", 4);
    int64_t start = 4, dict_abs = 0;
    for (int i = 0; i < c->n_pages; i++) {
        page *p = &c->pages[i];
        if (i == c->dict_offset) dict_abs = (int64_t)out->len;
        if (!p->h.uncompressed_page_size) p->h.uncompressed_page_size = (int32_t)p->body.len;
        if (!p->h.compressed_page_size) p->h.compressed_page_size = (int32_t)p->body.len;
        pq_page_header_write(out, &p->h, NULL);
        fl_buf_append(out, p->body.data, p->body.len);
        fl_buf_dispose(&p->body);
    }
    int64_t chunk_len = (int64_t)out->len - start;
    pq_column_chunk cc;
    memset(&cc, 0, sizeof cc);
    cc.has_meta = true;
    cc.file_offset = start;
    char *path[] = {"x"};
    int encs[] = {PQ_ENC_PLAIN, PQ_ENC_RLE};
    cc.meta = (pq_column_meta){.type = c->schema[c->n_schema - 1].type, .encodings = encs,
                               .n_encodings = 2, .path_in_schema = path, .path_len = 1,
                               .codec = c->codec, .num_values = c->num_values,
                               .total_uncompressed_size = chunk_len,
                               .total_compressed_size = chunk_len + c->size_delta,
                               .data_page_offset = start};
    if (c->dict_offset >= 0) {
        cc.meta.has_dictionary_page_offset = true;
        cc.meta.dictionary_page_offset = dict_abs;
        cc.meta.data_page_offset = dict_abs + 1;   /* after it, as writers record it */
    }
    pq_row_group rg = {.columns = &cc, .n_columns = 1, .total_byte_size = chunk_len,
                       .num_rows = c->num_rows};
    pq_file_meta m = {.version = 1, .schema = c->schema, .n_schema = c->n_schema,
                      .num_rows = c->num_rows, .row_groups = &rg, .n_row_groups = 1};
    size_t before = out->len;
    pq_file_meta_write(out, &m, NULL);
    fl_buf_append_u32le(out, (uint32_t)(out->len - before));
    fl_buf_append(out, "PAR1", 4);
}

/* Scans every row of a one-column file; renders "v,v,NULL,..." into text. */
static int scan_text(const fl_buf *file, bool verify_crc, char *text, size_t cap, fl_error *err)
{
    io_reader *r = NULL;
    int rc = io_reader_from_memory(file->data, file->len, &r, err);
    if (rc < 0) return rc;
    pq_file *f = NULL;
    pq_scan *s = NULL;
    fl_arena *a = fl_arena_new(0);
    text[0] = 0;
    size_t used = 0;
    if ((rc = pq_file_open(&f, r, err)) < 0) goto done;
    pq_scan_opts o = {0};
    o.verify_crc = verify_crc;
    o.batch_rows = 2;
    if ((rc = pq_scan_new(&s, f, &o, err)) < 0) goto done;
    for (;;) {
        fl_column *col;
        size_t rows;
        if ((rc = pq_scan_next(s, a, &col, &rows, err)) < 0 || rows == 0) break;
        for (size_t i = 0; i < rows; i++) {
            fl_value v;
            fl_column_get(col, i, &v);
            int n;
            if (v.is_null) n = snprintf(text + used, cap - used, "%sNULL", used ? "," : "");
            else if (fl_type_is_varlen(v.type))
                n = snprintf(text + used, cap - used, "%s%.*s", used ? "," : "", (int)v.v.s.len, v.v.s.ptr);
            else n = snprintf(text + used, cap - used, "%s%lld", used ? "," : "", (long long)v.v.i64);
            if (n > 0 && (size_t)n < cap - used) used += (size_t)n;
        }
    }
done:
    pq_scan_free(s);
    pq_file_free(f);
    io_reader_close(r);
    fl_arena_free(a);
    return rc;
}

TEST(reader_crafted_optional_v1)
{
    craft c;
    craft_init(&c, PQ_INT32, PQ_OPTIONAL);
    page *p = add_page(&c, PQ_PAGE_DATA, 3, PQ_ENC_PLAIN);
    uint8_t def[] = {1, 0, 1};
    put_levels(&p->body, def, 3, 1);
    int32_t v[] = {7, 9};
    put_i32(&p->body, v, 2);
    c.num_rows = c.num_values = 3;
    fl_buf f;
    craft_build(&c, &f);
    char text[256];
    fl_error err = {0};
    CHECK_OK(scan_text(&f, true, text, sizeof text, &err), &err);
    CHECK_STR(text, "7,NULL,9");
    fl_buf_dispose(&f);
}

TEST(reader_crafted_dictionary_then_plain)
{
    /* dictionary page without dictionary_page_offset, then a dictionary-
     * encoded page, then a PLAIN page (writers fall back mid-chunk) */
    craft c;
    craft_init(&c, PQ_BYTE_ARRAY, PQ_REQUIRED);
    c.schema[1].converted_type = PQ_CT_UTF8;
    page *d = add_page(&c, PQ_PAGE_DICTIONARY, 2, PQ_ENC_PLAIN);
    fl_strv dict[] = {fl_strv_cstr("apple"), fl_strv_cstr("pear")};
    pq_plain_bytes_encode(&d->body, dict, 2);
    page *p = add_page(&c, PQ_PAGE_DATA, 4, PQ_ENC_RLE_DICTIONARY);
    uint32_t idx[] = {1, 0, 0, 1};
    fl_buf_append_byte(&p->body, 1);
    pq_rle_encode(&p->body, idx, 4, 1);
    page *q = add_page(&c, PQ_PAGE_DATA, 1, PQ_ENC_PLAIN);
    fl_strv plain[] = {fl_strv_cstr("fig")};
    pq_plain_bytes_encode(&q->body, plain, 1);
    c.num_rows = c.num_values = 5;
    fl_buf f;
    craft_build(&c, &f);
    char text[256];
    fl_error err = {0};
    CHECK_OK(scan_text(&f, false, text, sizeof text, &err), &err);
    CHECK_STR(text, "pear,apple,apple,pear,fig");
    fl_buf_dispose(&f);
}

TEST(reader_crafted_v2_uncompressed_flag)
{
    /* v2: levels outside the compressed section; is_compressed=false with a
     * SNAPPY chunk means the values are stored raw */
    craft c;
    craft_init(&c, PQ_INT32, PQ_OPTIONAL);
    c.codec = PQ_CODEC_SNAPPY;
    page *p = add_page(&c, PQ_PAGE_DATA_V2, 3, PQ_ENC_PLAIN);
    uint8_t def[] = {0, 1, 1};
    pq_rle_encode_u8(&p->body, def, 3, 1);
    p->h.definition_levels_byte_length = (int32_t)p->body.len;
    p->h.num_nulls = 1;
    p->h.num_rows = 3;
    p->h.is_compressed = false;
    int32_t v[] = {-5, 6};
    put_i32(&p->body, v, 2);
    c.num_rows = c.num_values = 3;
    fl_buf f;
    craft_build(&c, &f);
    char text[256];
    fl_error err = {0};
    CHECK_OK(scan_text(&f, false, text, sizeof text, &err), &err);
    CHECK_STR(text, "NULL,-5,6");
    fl_buf_dispose(&f);
}

/* Expects a clean FLOE_ECORRUPT naming the file and column. */
static void expect_corrupt(craft *c, const char *needle)
{
    fl_buf f;
    craft_build(c, &f);
    char text[256];
    fl_error err = {0};
    int rc = scan_text(&f, true, text, sizeof text, &err);
    CHECK_EQ(rc, FLOE_ECORRUPT);
    if (!CHECK(strstr(err.message, needle) != NULL)) fprintf(stderr, "  wanted \"%s\", message: %s\n", needle, err.message);
    CHECK(strstr(err.message, "\"memory\"") != NULL);
    fl_buf_dispose(&f);
}

TEST(reader_hostile_counts_and_levels)
{
    craft c;
    /* num_values beyond what the page holds */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    page *p = add_page(&c, PQ_PAGE_DATA, 100, PQ_ENC_PLAIN);
    int32_t v[] = {1, 2, 3};
    put_i32(&p->body, v, 3);
    c.num_rows = c.num_values = 100;
    expect_corrupt(&c, "column \"x\"");

    /* a page claiming 2^31-1 values in a chunk that declares 3 */
    craft_init(&c, PQ_INT32, PQ_OPTIONAL);
    p = add_page(&c, PQ_PAGE_DATA, INT32_MAX, PQ_ENC_PLAIN);
    uint8_t zeros[8] = {0};
    put_levels(&p->body, zeros, 8, 1);
    c.num_rows = c.num_values = 3;
    expect_corrupt(&c, "declares");

    /* definition level above the maximum (optional group > optional x: max 2) */
    craft_init(&c, PQ_INT32, PQ_OPTIONAL);
    c.schema[1] = (pq_schema_element){.type = -1, .repetition = PQ_OPTIONAL, .name = "g",
                                      .num_children = 1, .converted_type = PQ_CT_NONE};
    c.schema[2] = (pq_schema_element){.type = PQ_INT32, .repetition = PQ_OPTIONAL, .name = "x",
                                      .converted_type = PQ_CT_NONE};
    c.n_schema = 3;
    p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_PLAIN);
    uint8_t bad_def[] = {2, 3};
    put_levels(&p->body, bad_def, 2, 3);
    put_i32(&p->body, v, 1);
    c.num_rows = c.num_values = 2;
    expect_corrupt(&c, "definition level 3 exceeds the maximum 2");

    /* dictionary index out of range */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    p = add_page(&c, PQ_PAGE_DICTIONARY, 2, PQ_ENC_PLAIN);
    put_i32(&p->body, v, 2);
    p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_RLE_DICTIONARY);
    uint32_t idx[] = {0, 5};
    fl_buf_append_byte(&p->body, 3);
    pq_rle_encode(&p->body, idx, 2, 3);
    c.num_rows = c.num_values = 2;
    expect_corrupt(&c, "dictionary index 5");

    /* dictionary-encoded page without a dictionary */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_RLE_DICTIONARY);
    fl_buf_append_byte(&p->body, 1);
    uint32_t idx0[] = {0, 0};
    pq_rle_encode(&p->body, idx0, 2, 1);
    c.num_rows = c.num_values = 2;
    expect_corrupt(&c, "without a dictionary");

    /* fewer values than rows */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_PLAIN);
    put_i32(&p->body, v, 2);
    c.num_rows = 3;
    c.num_values = 2;
    expect_corrupt(&c, "ends after 2 of 3 rows");

    /* more values than rows */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    p = add_page(&c, PQ_PAGE_DATA, 3, PQ_ENC_PLAIN);
    put_i32(&p->body, v, 3);
    c.num_rows = 2;
    c.num_values = 3;
    expect_corrupt(&c, "more values than");
}

TEST(reader_hostile_repetition)
{
    /* a repeated INT32 (a list) whose first repetition level is 1 */
    craft c;
    craft_init(&c, PQ_INT32, PQ_REPEATED);
    page *p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_PLAIN);
    uint8_t rep[] = {1, 0}, def[] = {1, 1};
    put_levels(&p->body, rep, 2, 1);
    put_levels(&p->body, def, 2, 1);
    int32_t v[] = {1, 2};
    put_i32(&p->body, v, 2);
    c.num_rows = 1;
    c.num_values = 2;
    expect_corrupt(&c, "repetition level");

    /* the same with a valid start reads as lists */
    craft_init(&c, PQ_INT32, PQ_REPEATED);
    p = add_page(&c, PQ_PAGE_DATA, 4, PQ_ENC_PLAIN);
    uint8_t rep2[] = {0, 1, 0, 0}, def2[] = {1, 1, 0, 1};
    put_levels(&p->body, rep2, 4, 1);
    put_levels(&p->body, def2, 4, 1);
    int32_t v2[] = {1, 2, 3};
    put_i32(&p->body, v2, 3);
    c.num_rows = 3;
    c.num_values = 4;
    fl_buf f;
    craft_build(&c, &f);
    io_reader *r = NULL;
    fl_error err = {0};
    io_reader_from_memory(f.data, f.len, &r, &err);
    pq_file *file = NULL;
    if (CHECK_OK(pq_file_open(&file, r, &err), &err)) {
        const pq_field *x = &pq_file_schema(file)->children[0];
        CHECK_EQ(x->type.id, FL_TYPE_LIST);
        CHECK(!x->nullable);
        pq_scan *s = NULL;
        CHECK_OK(pq_scan_new(&s, file, NULL, &err), &err);
        fl_arena *a = fl_arena_new(0);
        fl_column *col;
        size_t rows;
        if (CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err) && CHECK_EQ(rows, 3)) {
            CHECK_EQ(col->offsets[1], 2);
            CHECK_EQ(col->offsets[2], 2);
            CHECK_EQ(col->offsets[3], 3);
            CHECK_EQ(((int32_t *)col->children[0]->data)[2], 3);
        }
        fl_arena_free(a);
        pq_scan_free(s);
        pq_file_free(file);
    }
    io_reader_close(r);
    fl_buf_dispose(&f);
}

TEST(reader_hostile_sizes)
{
    craft c;
    int32_t v[] = {1, 2, 3};
    /* a page extending beyond its chunk */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    page *p = add_page(&c, PQ_PAGE_DATA, 3, PQ_ENC_PLAIN);
    put_i32(&p->body, v, 3);
    p->h.compressed_page_size = 1000;
    p->h.uncompressed_page_size = 1000;
    c.num_rows = c.num_values = 3;
    expect_corrupt(&c, "beyond the column chunk");

    /* a chunk extending beyond the file */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    p = add_page(&c, PQ_PAGE_DATA, 3, PQ_ENC_PLAIN);
    put_i32(&p->body, v, 3);
    c.num_rows = c.num_values = 3;
    c.size_delta = 1 << 20;
    expect_corrupt(&c, "outside the file");

    /* a bad CRC is caught when verifying */
    craft_init(&c, PQ_INT32, PQ_REQUIRED);
    p = add_page(&c, PQ_PAGE_DATA, 3, PQ_ENC_PLAIN);
    put_i32(&p->body, v, 3);
    p->h.has_crc = true;
    p->h.crc = 12345;
    c.num_rows = c.num_values = 3;
    expect_corrupt(&c, "CRC");

    /* footers */
    fl_error err = {0};
    char text[64];
    fl_buf f;
    fl_buf_init(&f);
    fl_buf_append(&f, "PAR1PAR1", 8);
    CHECK_EQ(scan_text(&f, false, text, sizeof text, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "too small") != NULL);
    fl_buf_reset(&f);
    fl_buf_append(&f, "PAR1xxxxxxxx", 12);
    fl_buf_append_u32le(&f, 0x7fffffff);
    fl_buf_append(&f, "PAR1", 4);
    CHECK_EQ(scan_text(&f, false, text, sizeof text, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "footer length") != NULL);
    fl_buf_reset(&f);
    fl_buf_append(&f, "PAR1xxxxxxxxxxxxxxxx", 20);
    CHECK_EQ(scan_text(&f, false, text, sizeof text, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "magic") != NULL);
    fl_buf_dispose(&f);
}

TEST(reader_hostile_mutations_never_crash)
{
    /* Flip bytes of a valid nested file (deterministically) and read each
     * variant: every outcome must be a clean success or error (run under
     * ASan/UBSan to make this meaningful). */
    const char *path = ft_shared("fixtures/parquet/data/nullable.impala.parquet");
    FILE *fp = fopen(path, "rb");
    if (!CHECK(fp != NULL)) return;
    static uint8_t orig[8192];
    size_t n = fread(orig, 1, sizeof orig, fp);
    fclose(fp);
    CHECK(n > 1000 && n < sizeof orig);
    uint8_t *mut = malloc(n);
    uint64_t seed = 0x9e3779b97f4a7c15u;
    int ok = 0, failed = 0;
    for (int iter = 0; iter < 600; iter++) {
        memcpy(mut, orig, n);
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t pos = (size_t)(seed >> 33) % n;
            if (iter % 2) pos = (size_t)(seed >> 33) % 1200;   /* favour pages */
            mut[pos] ^= (uint8_t)(1u << ((seed >> 20) & 7));
        }
        fl_buf f = {(char *)mut, n, n};
        char text[64];
        fl_error err = {0};
        io_reader *r = NULL;
        io_reader_from_memory(f.data, f.len, &r, &err);
        pq_file *file = NULL;
        int rc = pq_file_open(&file, r, &err);
        if (rc == 0) {
            pq_scan *s = NULL;
            pq_scan_opts o = {0};
            o.batch_rows = 3;
            o.max_page_bytes = 1 << 20;
            rc = pq_scan_new(&s, file, &o, &err);
            fl_arena *a = fl_arena_new(0);
            fl_column *cols[8];
            size_t rows;
            while (rc == 0 && (rc = pq_scan_next(s, a, cols, &rows, &err)) == 0 && rows) fl_arena_reset(a);
            fl_arena_free(a);
            pq_scan_free(s);
            pq_file_free(file);
        }
        io_reader_close(r);
        if (rc == 0) ok++;
        else {
            failed++;
            CHECK(err.message[0] != 0);
        }
        (void)text;
    }
    CHECK(ok + failed == 600);
    CHECK(failed > 0);
    free(mut);
}

/* ---- files from the writer ---- */

typedef struct counting_reader {
    io_reader base;
    io_reader *inner;
    int reads;
    uint64_t bytes;
} counting_reader;

static int counting_read_at(io_reader *r, uint64_t off, void *dst, size_t len, fl_error *err)
{
    counting_reader *c = (counting_reader *)r;
    __atomic_add_fetch(&c->reads, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&c->bytes, len, __ATOMIC_RELAXED);
    return io_read_at(c->inner, off, dst, len, err);
}

static void counting_close(io_reader *r) { (void)r; }

static const struct io_reader_ops counting_ops = {counting_read_at, counting_close};

/* Three columns (id INT64 0..n-1, name STRING or NULL every 5th, score
 * DOUBLE) in several row groups (the writer sizes them in bytes). */
static void write_sample(fl_buf *out, size_t n, size_t batch)
{
    fl_buf_init(out);
    io_writer *w = NULL;
    fl_error err = {0};
    io_writer_to_buf(out, &w, &err);
    pq_field kids[3] = {
        {.name = "id", .type = fl_type_make(FL_TYPE_INT64), .nullable = false, .field_id = 1, .has_field_id = true},
        {.name = "name", .type = fl_type_make(FL_TYPE_STRING), .nullable = true, .field_id = 2, .has_field_id = true},
        {.name = "score", .type = fl_type_make(FL_TYPE_DOUBLE), .nullable = true, .field_id = 3, .has_field_id = true},
    };
    pq_field root = {.name = "schema", .type = fl_type_make(FL_TYPE_STRUCT), .children = kids, .n_children = 3};
    pq_writer_opts o;
    pq_writer_opts_init(&o);
    o.row_group_bytes = 30000;   /* about 3 row groups for 3000 rows */
    o.page_bytes = 512;
    o.codec = PQ_CODEC_SNAPPY;
    pq_writer *pw = NULL;
    CHECK_OK(pq_writer_new(&pw, w, &root, &o, &err), &err);
    fl_arena *a = fl_arena_new(0);
    for (size_t start = 0; start < n; start += batch) {
        size_t m = n - start < batch ? n - start : batch;
        fl_column *cols[3];
        cols[0] = fl_column_new(a, kids[0].type, m);
        cols[1] = fl_column_new(a, kids[1].type, m);
        cols[2] = fl_column_new(a, kids[2].type, m);
        for (size_t i = 0; i < m; i++) {
            int64_t id = (int64_t)(start + i);
            ((int64_t *)cols[0]->data)[i] = id;
            char buf[32];
            int len = snprintf(buf, sizeof buf, "name-%lld", (long long)id);
            if (id % 5 == 0) fl_column_set_null(cols[1], i);
            else fl_column_copy_str(cols[1], buf, (size_t)len, &((fl_strv *)cols[1]->data)[i]);
            ((double *)cols[2]->data)[i] = (double)id / 2;
        }
        cols[0]->len = cols[1]->len = cols[2]->len = m;
        CHECK_OK(pq_writer_write(pw, cols, m, &err), &err);
        fl_arena_reset(a);
    }
    CHECK_OK(pq_writer_close(pw, &err), &err);
    pq_writer_free(pw);
    CHECK_OK(io_writer_close(w, &err), &err);
    fl_arena_free(a);
}

TEST(reader_projection_ranges_and_reads)
{
    fl_buf buf;
    write_sample(&buf, 3000, 1000);   /* 3 row groups */
    fl_error err = {0};
    io_reader *mem = NULL;
    CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
    counting_reader cr = {{&counting_ops, mem->size, "sample"}, mem, 0, 0};
    pq_file *f = NULL;
    if (!CHECK_OK(pq_file_open(&f, &cr.base, &err), &err)) goto out;
    CHECK_EQ(cr.reads, 2);   /* tail, then footer */
    int ngroups = pq_file_num_row_groups(f);
    CHECK(ngroups >= 2);
    CHECK_EQ(pq_file_num_rows(f), 3000);
    CHECK_EQ(pq_file_column_index(f, "score"), 2);
    CHECK_EQ(pq_file_column_index(f, "nope"), -1);
    CHECK(pq_file_schema(f)->children[1].has_field_id && pq_file_schema(f)->children[1].field_id == 2);

    /* columns [score, id] of row groups [1, end), odd batches */
    int64_t first = pq_file_metadata(f)->row_groups[0].num_rows;
    size_t want_batches = 0;
    for (int g = 1; g < ngroups; g++)
        want_batches += (size_t)(pq_file_metadata(f)->row_groups[g].num_rows + 332) / 333;
    int cols[] = {2, 0};
    pq_scan_opts o = {0};
    o.columns = cols;
    o.n_columns = 2;
    o.row_group_begin = 1;
    o.batch_rows = 333;
    pq_scan *s = NULL;
    CHECK_OK(pq_scan_new(&s, f, &o, &err), &err);
    fl_arena *a = fl_arena_new(0);
    int64_t expect = first;
    size_t batches = 0;
    for (;;) {
        fl_column *out[2];
        size_t rows;
        fl_arena_reset(a);
        if (!CHECK_OK(pq_scan_next(s, a, out, &rows, &err), &err) || !rows) break;
        CHECK(rows <= 333);
        CHECK_EQ(out[0]->type.id, FL_TYPE_DOUBLE);
        CHECK_EQ(out[1]->type.id, FL_TYPE_INT64);
        for (size_t i = 0; i < rows; i++, expect++) {
            CHECK_EQ(((int64_t *)out[1]->data)[i], expect);
            CHECK(((double *)out[0]->data)[i] == (double)expect / 2);
        }
        batches++;
    }
    CHECK_EQ(expect, 3000);
    CHECK_EQ(batches, want_batches);   /* batches do not cross row groups */
    /* 2 footer reads + one read per column chunk: 2 columns x (ngroups - 1) */
    CHECK_EQ(cr.reads, 2 + 2 * (ngroups - 1));
    CHECK(cr.bytes < buf.len);
    pq_scan_free(s);

    /* bad arguments */
    int bad_col = 7;
    o.columns = &bad_col;
    o.n_columns = 1;
    CHECK_EQ(pq_scan_new(&s, f, &o, &err), FLOE_EINVAL);
    pq_scan_opts r = {0};
    r.row_group_begin = 1;
    r.row_group_end = ngroups + 1;
    CHECK_EQ(pq_scan_new(&s, f, &r, &err), FLOE_EINVAL);
    fl_arena_free(a);
    pq_file_free(f);
out:
    io_reader_close(mem);
    fl_buf_dispose(&buf);
}

TEST(reader_statistics_and_predicates)
{
    fl_buf buf;
    write_sample(&buf, 3000, 1000);
    fl_error err = {0};
    io_reader *mem = NULL;
    CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
    pq_file *f = NULL;
    if (!CHECK_OK(pq_file_open(&f, mem, &err), &err)) goto out;
    fl_arena *a = fl_arena_new(0);
    int ngroups = pq_file_num_row_groups(f);
    CHECK(ngroups >= 2);
    int64_t begin = 0;
    pq_chunk_stats st;
    for (int g = 0; g < ngroups; g++) {
        int64_t n = pq_file_metadata(f)->row_groups[g].num_rows, end = begin + n;
        CHECK_OK(pq_chunk_stats_get(f, g, 0, &st, a, &err), &err);
        CHECK(!st.min.is_null && st.min.v.i64 == begin);
        CHECK(!st.max.is_null && st.max.v.i64 == end - 1);
        CHECK_EQ(st.null_count, 0);
        CHECK_OK(pq_chunk_stats_get(f, g, 1, &st, a, &err), &err);
        int64_t nulls = (end + 4) / 5 - (begin + 4) / 5;   /* ids divisible by 5 */
        CHECK_EQ(st.null_count, nulls);
        CHECK(!st.min.is_null && st.min.v.s.len > 5 && memcmp(st.min.v.s.ptr, "name-", 5) == 0);
        if (g < ngroups - 1) begin = end;
    }
    int64_t last_begin = begin;
    CHECK_EQ(pq_chunk_stats_get(f, ngroups, 0, &st, a, &err), FLOE_EINVAL);

    pq_predicate p = {.column = 0, .op = PQ_PRED_GE, .value = {.type = fl_type_make(FL_TYPE_INT64)}};
    p.value.v.i64 = last_begin;
    for (int g = 0; g < ngroups; g++) CHECK_EQ(pq_row_group_may_match(f, g, &p, 1), g == ngroups - 1);
    pq_predicate eq = {.column = 0, .op = PQ_PRED_EQ, .value = {.type = fl_type_make(FL_TYPE_INT64)}};
    eq.value.v.i64 = 0;
    CHECK(pq_row_group_may_match(f, 0, &eq, 1));
    CHECK(!pq_row_group_may_match(f, 1, &eq, 1));
    pq_predicate lt = {.column = 2, .op = PQ_PRED_LT, .value = {.type = fl_type_make(FL_TYPE_DOUBLE)}};
    lt.value.v.f64 = 0.5;
    CHECK(pq_row_group_may_match(f, 0, &lt, 1));
    CHECK(!pq_row_group_may_match(f, 1, &lt, 1));
    pq_predicate isnull = {.column = 0, .op = PQ_PRED_IS_NULL};
    CHECK(!pq_row_group_may_match(f, 0, &isnull, 1));
    pq_predicate isnull1 = {.column = 1, .op = PQ_PRED_IS_NULL};
    CHECK(pq_row_group_may_match(f, 0, &isnull1, 1));
    pq_predicate notnull = {.column = 1, .op = PQ_PRED_NOT_NULL};
    CHECK(pq_row_group_may_match(f, 0, &notnull, 1));
    /* a value of another type proves nothing */
    pq_predicate other = {.column = 0, .op = PQ_PRED_EQ, .value = {.type = fl_type_make(FL_TYPE_STRING)}};
    CHECK(pq_row_group_may_match(f, 1, &other, 1));
    /* AND-ed: one refuting predicate is enough */
    pq_predicate both[] = {notnull, eq};
    CHECK(!pq_row_group_may_match(f, 1, both, 2));

    pq_scan_opts o = {0};
    o.preds = &p;
    o.n_preds = 1;
    pq_scan *s = NULL;
    CHECK_OK(pq_scan_new(&s, f, &o, &err), &err);
    int64_t total = 0;
    for (;;) {
        fl_column *cols[3];
        size_t rows;
        if (!CHECK_OK(pq_scan_next(s, a, cols, &rows, &err), &err) || !rows) break;
        CHECK(((int64_t *)cols[0]->data)[0] >= last_begin);
        total += (int64_t)rows;
    }
    CHECK_EQ(total, 3000 - last_begin);
    CHECK_EQ(pq_scan_skipped_row_groups(s), ngroups - 1);
    pq_scan_free(s);
    fl_arena_free(a);
    pq_file_free(f);
out:
    io_reader_close(mem);
    fl_buf_dispose(&buf);
}

typedef struct thread_arg {
    pq_file *file;
    int row_group;
    int64_t sum;
    int rc;
} thread_arg;

static void *scan_group(void *p)
{
    thread_arg *t = p;
    pq_scan_opts o = {0};
    o.row_group_begin = t->row_group;
    o.row_group_end = t->row_group + 1;
    o.batch_rows = 100;
    pq_scan *s = NULL;
    fl_error err = {0};
    fl_arena *a = fl_arena_new(0);
    if ((t->rc = pq_scan_new(&s, t->file, &o, &err)) == 0) {
        for (;;) {
            fl_column *cols[3];
            size_t rows;
            fl_arena_reset(a);
            if ((t->rc = pq_scan_next(s, a, cols, &rows, &err)) < 0 || !rows) break;
            for (size_t i = 0; i < rows; i++) t->sum += ((int64_t *)cols[0]->data)[i];
        }
    }
    pq_scan_free(s);
    fl_arena_free(a);
    return NULL;
}

TEST(reader_shared_file_across_threads)
{
    fl_buf buf;
    write_sample(&buf, 3000, 1000);
    fl_error err = {0};
    io_reader *mem = NULL;
    CHECK_OK(io_reader_from_memory(buf.data, buf.len, &mem, &err), &err);
    pq_file *f = NULL;
    if (CHECK_OK(pq_file_open(&f, mem, &err), &err)) {
        int n = pq_file_num_row_groups(f);
        if (n > 16) n = 16;
        pthread_t th[16];
        thread_arg args[16];
        for (int i = 0; i < n; i++) {
            args[i] = (thread_arg){f, i, 0, 0};
            pthread_create(&th[i], NULL, scan_group, &args[i]);
        }
        int64_t sum = 0;
        for (int i = 0; i < n; i++) {
            pthread_join(th[i], NULL);
            CHECK_EQ(args[i].rc, 0);
            sum += args[i].sum;
        }
        CHECK_EQ(pq_file_num_row_groups(f), n);
        CHECK_EQ(sum, (int64_t)2999 * 3000 / 2);
        pq_file_free(f);
    }
    io_reader_close(mem);
    fl_buf_dispose(&buf);
}

TEST(reader_schema_legacy_layouts)
{
    /* LIST whose repeated group is named "array" / "<name>_tuple": the group
     * is the element; MAP_KEY_VALUE; field ids and nullability carried over */
    fl_error err = {0};
    pq_file *f = NULL;
    if (CHECK_OK(pq_file_open_path(&f, ft_shared("fixtures/parquet/data/nonnullable.impala.parquet"), &err), &err)) {
        const pq_field *root = pq_file_schema(f);
        CHECK_EQ(root->n_children, 6);
        CHECK_EQ(root->children[1].type.id, FL_TYPE_LIST);
        CHECK_EQ(root->children[3].type.id, FL_TYPE_MAP);
        CHECK_EQ(root->children[5].type.id, FL_TYPE_STRUCT);
        CHECK_EQ(pq_field_leaf_count(root), pq_file_metadata(f)->row_groups[0].n_columns);
        pq_file_free(f);
    }
    static const struct { const char *file; int col; fl_type_id id; } types[] = {
        {"fixtures/parquet/data/int32_decimal.parquet", 0, FL_TYPE_DECIMAL},
        {"fixtures/parquet/data/byte_array_decimal.parquet", 0, FL_TYPE_DECIMAL},
        {"fixtures/parquet/data/float16_zeros_and_nans.parquet", 0, FL_TYPE_FLOAT},
        {"fixtures/parquet/data/alltypes_plain.parquet", 10, FL_TYPE_TIMESTAMP},
        {"fixtures/parquet/data/nested_structs.rust.parquet", 0, FL_TYPE_STRUCT},
        {"fixtures/parquet/iceberg_golden_encodings/encodings/PLAIN/uuid.parquet", 0, FL_TYPE_UUID},
        {"fixtures/parquet/data/geospatial/geospatial.parquet", 2, FL_TYPE_BINARY},
        {"fixtures/parquet/data/null_list.parquet", 0, FL_TYPE_LIST},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(types); i++) {
        if (!CHECK_OK(pq_file_open_path(&f, ft_shared(types[i].file), &err), &err)) continue;
        const pq_field *c = &pq_file_schema(f)->children[types[i].col];
        if (!CHECK_EQ(c->type.id, types[i].id)) fprintf(stderr, "  %s\n", types[i].file);
        pq_file_free(f);
    }
}

TEST(reader_allocation_failures)
{
    /* Fail the Nth allocation for every N until a full read succeeds: each
     * attempt must end in success or FLOE_ENOMEM (and, under ASan, leak
     * nothing). */
    const char *path = ft_shared("fixtures/parquet/data/nullable.impala.parquet");
    int succeeded_at = -1;
    for (int n = 0; n < 2000 && succeeded_at < 0; n++) {
        fl_error err = {0};
        pq_file *f = NULL;
        pq_scan *s = NULL;
        fl_arena *a = NULL;
        fl_alloc_fail_after(n);
        int rc = pq_file_open_path(&f, path, &err);
        if (rc == 0) rc = pq_scan_new(&s, f, NULL, &err);
        if (rc == 0) {
            a = fl_arena_new(0);
            fl_column *cols[8];
            size_t rows;
            if (!a) rc = FLOE_ENOMEM;
            while (rc == 0 && (rc = pq_scan_next(s, a, cols, &rows, &err)) == 0 && rows) {}
        }
        fl_alloc_fail_after(-1);
        if (rc == 0) succeeded_at = n;
        else if (!CHECK_EQ(rc, FLOE_ENOMEM)) fprintf(stderr, "  at %d: %s\n", n, err.message);
        fl_arena_free(a);
        pq_scan_free(s);
        pq_file_free(f);
    }
    CHECK(succeeded_at > 10);
}

TEST(reader_row_spanning_pages)
{
    /* v1 pages may split a row (old writers): page 1 holds [1, 2 and page 2
     * continues with 3] [4]; batches of one row must still see whole rows */
    craft c;
    craft_init(&c, PQ_INT32, PQ_REPEATED);
    page *p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_PLAIN);
    uint8_t rep1[] = {0, 1}, def1[] = {1, 1};
    put_levels(&p->body, rep1, 2, 1);
    put_levels(&p->body, def1, 2, 1);
    int32_t v1[] = {1, 2};
    put_i32(&p->body, v1, 2);
    p = add_page(&c, PQ_PAGE_DATA, 2, PQ_ENC_PLAIN);
    uint8_t rep2[] = {1, 0}, def2[] = {1, 1};
    put_levels(&p->body, rep2, 2, 1);
    put_levels(&p->body, def2, 2, 1);
    int32_t v2[] = {3, 4};
    put_i32(&p->body, v2, 2);
    c.num_rows = 2;
    c.num_values = 4;
    fl_buf f;
    craft_build(&c, &f);
    io_reader *r = NULL;
    fl_error err = {0};
    io_reader_from_memory(f.data, f.len, &r, &err);
    pq_file *file = NULL;
    if (CHECK_OK(pq_file_open(&file, r, &err), &err)) {
        pq_scan_opts o = {0};
        o.batch_rows = 1;
        pq_scan *s = NULL;
        CHECK_OK(pq_scan_new(&s, file, &o, &err), &err);
        fl_arena *a = fl_arena_new(0);
        fl_column *col;
        size_t rows;
        int64_t lens[2] = {-1, -1}, firsts[2] = {0, 0};
        for (int b = 0; b < 2; b++) {
            if (!CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err) || !CHECK_EQ(rows, 1)) break;
            lens[b] = col->offsets[1] - col->offsets[0];
            firsts[b] = ((int32_t *)col->children[0]->data)[0];
            if (b == 0) CHECK_EQ(((int32_t *)col->children[0]->data)[2], 3);
        }
        CHECK_EQ(lens[0], 3);
        CHECK_EQ(lens[1], 1);
        CHECK_EQ(firsts[0], 1);
        CHECK_EQ(firsts[1], 4);
        CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err);
        CHECK_EQ(rows, 0);
        pq_scan_free(s);
        /* row range [1, 2): passing row 0 crosses into page 2 (rep 1), then [4] */
        o.first_row = 1;
        o.end_row = 0;
        CHECK_OK(pq_scan_new(&s, file, &o, &err), &err);
        if (CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err) && CHECK_EQ(rows, 1)) {
            CHECK_EQ(col->offsets[1] - col->offsets[0], 1);
            CHECK_EQ(((int32_t *)col->children[0]->data)[col->offsets[0]], 4);
        }
        CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err);
        CHECK_EQ(rows, 0);
        pq_scan_free(s);
        /* [0, 1): row 0 continues on page 2, the range stops before row 1 */
        o.first_row = 0;
        o.end_row = 1;
        CHECK_OK(pq_scan_new(&s, file, &o, &err), &err);
        if (CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err) && CHECK_EQ(rows, 1))
            CHECK_EQ(col->offsets[1] - col->offsets[0], 3);
        CHECK_OK(pq_scan_next(s, a, &col, &rows, &err), &err);
        CHECK_EQ(rows, 0);
        fl_arena_free(a);
        pq_scan_free(s);
        pq_file_free(file);
    }
    io_reader_close(r);
    fl_buf_dispose(&f);
}
