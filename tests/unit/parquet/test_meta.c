/*
 * test_meta.c: Parquet metadata decoding and encoding (pq_meta_read.c,
 * pq_meta_write.c, pq_meta_names.c): write->read round trips of a rich
 * FileMetaData and of every page header kind, the footer of every file in
 * the shared corpus (with known values spot-checked against the corpus
 * README), the first page header of corpus files, and hostile input:
 * every truncation and deterministic byte flips of real footers must fail
 * cleanly with FLOE_ECORRUPT (or decode), never crash.
 */
#include "../test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/format/parquet/pq_meta.h"
#include "../../../src/format/parquet/thrift.h"

/* ------------------------------------------------------------ helpers */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = fl_malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        fl_free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* The footer of a Parquet file held in memory, or NULL if the tail is bad. */
static const uint8_t *footer_of(const uint8_t *file, size_t len, size_t *footer_len)
{
    if (len < 12 || memcmp(file + len - 4, "PAR1", 4) != 0) return NULL;
    uint32_t n = fl_load_u32le(file + len - 8);
    if (n > len - 12) return NULL;
    *footer_len = n;
    return file + len - 8 - n;
}

typedef struct parsed {
    uint8_t *file;
    size_t len;
    pq_file_meta *meta;
    fl_arena *arena;
    int rc;
    fl_error err;
} parsed;

static void parse_path(parsed *p, const char *path)
{
    memset(p, 0, sizeof *p);
    p->arena = fl_arena_new(0);
    p->file = slurp(path, &p->len);
    p->rc = FLOE_EIO;
    if (!p->file) return;
    size_t flen;
    const uint8_t *footer = footer_of(p->file, p->len, &flen);
    if (!footer) {
        p->rc = FLOE_ECORRUPT;
        return;
    }
    p->rc = pq_file_meta_read(&p->meta, footer, flen, p->arena, &p->err);
}

static void parse_fixture(parsed *p, const char *rel)
{
    char buf[512];
    snprintf(buf, sizeof buf, "fixtures/parquet/%s", rel);
    parse_path(p, ft_shared(buf));
    if (p->rc < 0) fprintf(stderr, "  %s: %s\n", rel, p->err.message);
}

static void parsed_free(parsed *p)
{
    fl_free(p->file);
    fl_arena_free(p->arena);
}

static const pq_column_meta *col(const pq_file_meta *m, int rg, int c)
{
    return &m->row_groups[rg].columns[c].meta;
}

/* ------------------------------------------------------ round trips */

static pq_file_meta *rich_meta(fl_arena *a)
{
    pq_file_meta *m = fl_arena_calloc(a, sizeof *m);
    m->version = 2;
    m->num_rows = 123456789012LL;
    m->created_by = "floe version 0.1.0";
    m->n_column_orders = 3;
    m->n_schema = 5;
    m->schema = fl_arena_calloc(a, 5 * sizeof *m->schema);
    pq_schema_element *s = m->schema;
    s[0] = (pq_schema_element){.type = -1, .repetition = PQ_REP_NONE, .name = "schema",
                               .num_children = 4, .converted_type = PQ_CT_NONE};
    s[1] = (pq_schema_element){.type = PQ_BYTE_ARRAY, .repetition = PQ_OPTIONAL, .name = "s",
                               .converted_type = PQ_CT_NONE, .field_id = 7, .has_field_id = true,
                               .logical = {.kind = PQ_LT_STRING}};
    s[2] = (pq_schema_element){.type = PQ_FIXED_LEN_BYTE_ARRAY, .type_length = 16,
                               .has_type_length = true, .repetition = PQ_REQUIRED, .name = "d",
                               .converted_type = PQ_CT_NONE, .field_id = -3, .has_field_id = true,
                               .logical = {.kind = PQ_LT_DECIMAL, .scale = 4, .precision = 38}};
    s[3] = (pq_schema_element){.type = PQ_INT64, .repetition = PQ_OPTIONAL, .name = "ts",
                               .converted_type = PQ_CT_NONE,
                               .logical = {.kind = PQ_LT_TIMESTAMP, .is_adjusted_to_utc = true,
                                           .unit = PQ_UNIT_NANOS}};
    s[4] = (pq_schema_element){.type = PQ_INT32, .repetition = PQ_REQUIRED, .name = "u8",
                               .converted_type = PQ_CT_NONE,
                               .logical = {.kind = PQ_LT_INTEGER, .bit_width = 8,
                                           .is_signed = false}};
    static pq_kv file_kv[] = {{"iceberg.schema", "{\"type\":\"struct\"}"}, {"novalue", NULL}};
    m->kv = file_kv;
    m->n_kv = 2;

    m->n_row_groups = 2;
    m->row_groups = fl_arena_calloc(a, 2 * sizeof *m->row_groups);
    for (int g = 0; g < 2; g++) {
        pq_row_group *rg = &m->row_groups[g];
        rg->num_rows = 1000 + g;
        rg->total_byte_size = 1 << 20;
        rg->has_file_offset = true;
        rg->file_offset = 4 + g * 100000;
        rg->has_total_compressed_size = true;
        rg->total_compressed_size = 99999;
        rg->has_ordinal = true;
        rg->ordinal = (int16_t)g;
        rg->n_sorting = 1;
        rg->sorting = fl_arena_calloc(a, sizeof *rg->sorting);
        rg->sorting[0] = (pq_sorting_column){.column_idx = 2, .descending = true, .nulls_first = false};
        rg->n_columns = 4;
        rg->columns = fl_arena_calloc(a, 4 * sizeof *rg->columns);
        for (int c = 0; c < 4; c++) {
            pq_column_chunk *cc = &rg->columns[c];
            cc->file_offset = 4 + c * 1000;
            cc->has_meta = true;
            cc->has_offset_index = c == 1;
            cc->offset_index_offset = 5000000000LL;
            cc->offset_index_length = 77;
            cc->has_column_index = c == 1;
            cc->column_index_offset = 6000000000LL;
            cc->column_index_length = 88;
            if (c == 3) cc->file_path = "other.parquet";
            pq_column_meta *cm = &cc->meta;
            cm->type = s[c + 1].type;
            static int encs[] = {PQ_ENC_PLAIN, PQ_ENC_RLE, PQ_ENC_RLE_DICTIONARY};
            cm->encodings = encs;
            cm->n_encodings = 3;
            cm->path_in_schema = fl_arena_calloc(a, sizeof(char *));
            cm->path_in_schema[0] = s[c + 1].name;
            cm->path_len = 1;
            cm->codec = PQ_CODEC_ZSTD;
            cm->num_values = 1000;
            cm->total_uncompressed_size = 12345;
            cm->total_compressed_size = 2345;
            cm->data_page_offset = 4 + c * 1000 + 50;
            cm->has_dictionary_page_offset = c == 0;
            cm->dictionary_page_offset = 4;
            cm->has_index_page_offset = c == 2;
            cm->index_page_offset = 9;
            cm->has_bloom_filter_offset = cm->has_bloom_filter_length = c == 0;
            cm->bloom_filter_offset = 777777;
            cm->bloom_filter_length = 4096;
            if (c == 0) {
                static pq_kv ckv[] = {{"foo", "bar"}, {"k", NULL}};
                cm->kv = ckv;
                cm->n_kv = 2;
            }
            cm->has_stats = true;
            pq_statistics *st = &cm->stats;
            st->has_min_value = st->has_max_value = true;
            st->min_value = fl_strv_make("aaa", 3);
            st->max_value = fl_strv_make("zz\0z", 4);
            st->has_null_count = true;
            st->null_count = c;
            st->has_distinct_count = c == 1;
            st->distinct_count = 999;
            st->has_min = st->has_max = c == 2;
            st->min = fl_strv_make("\x01\x02", 2);
            st->max = fl_strv_make("", 0);
            st->has_is_max_value_exact = st->has_is_min_value_exact = true;
            st->is_max_value_exact = c % 2 == 0;
            st->is_min_value_exact = true;
        }
    }
    return m;
}

static void check_stats_eq(const pq_statistics *a, const pq_statistics *b)
{
    CHECK_EQ(a->has_max, b->has_max);
    CHECK_EQ(a->has_min, b->has_min);
    CHECK_EQ(a->has_max_value, b->has_max_value);
    CHECK_EQ(a->has_min_value, b->has_min_value);
    if (a->has_max) CHECK(fl_strv_eq(a->max, b->max));
    if (a->has_min) CHECK(fl_strv_eq(a->min, b->min));
    if (a->has_max_value) CHECK(fl_strv_eq(a->max_value, b->max_value));
    if (a->has_min_value) CHECK(fl_strv_eq(a->min_value, b->min_value));
    CHECK_EQ(a->has_null_count, b->has_null_count);
    CHECK_EQ(a->null_count, b->null_count);
    CHECK_EQ(a->has_distinct_count, b->has_distinct_count);
    if (a->has_distinct_count) CHECK_EQ(a->distinct_count, b->distinct_count);
    CHECK_EQ(a->has_is_max_value_exact, b->has_is_max_value_exact);
    CHECK_EQ(a->has_is_min_value_exact, b->has_is_min_value_exact);
    CHECK_EQ(a->is_max_value_exact, b->is_max_value_exact);
    CHECK_EQ(a->is_min_value_exact, b->is_min_value_exact);
}

static void check_kv_eq(const pq_kv *a, int32_t na, const pq_kv *b, int32_t nb)
{
    CHECK_EQ(na, nb);
    for (int32_t i = 0; i < na && i < nb; i++) {
        CHECK_STR(a[i].key, b[i].key);
        CHECK_STR(a[i].value, b[i].value);
    }
}

TEST(meta_rich_roundtrip)
{
    fl_arena *a = fl_arena_new(0);
    pq_file_meta *m = rich_meta(a);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    CHECK_OK(pq_file_meta_write(&b, m, &err), &err);
    pq_file_meta *r = NULL;
    CHECK_OK(pq_file_meta_read(&r, (const uint8_t *)b.data, b.len, a, &err), &err);
    if (!r) goto done;
    CHECK_EQ(r->version, 2);
    CHECK_EQ(r->num_rows, 123456789012LL);
    CHECK_STR(r->created_by, "floe version 0.1.0");
    CHECK_EQ(r->n_column_orders, 3);
    CHECK(!r->encrypted);
    check_kv_eq(m->kv, m->n_kv, r->kv, r->n_kv);
    CHECK_EQ(r->n_schema, 5);
    for (int i = 0; i < 5 && i < r->n_schema; i++) {
        const pq_schema_element *x = &m->schema[i], *y = &r->schema[i];
        CHECK_STR(x->name, y->name);
        CHECK_EQ(x->type, y->type);
        CHECK_EQ(x->repetition, y->repetition);
        CHECK_EQ(x->num_children, y->num_children);
        CHECK_EQ(x->has_field_id, y->has_field_id);
        CHECK_EQ(x->field_id, y->field_id);
        CHECK_EQ(x->logical.kind, y->logical.kind);
        CHECK_EQ(x->logical.scale, y->logical.scale);
        CHECK_EQ(x->logical.precision, y->logical.precision);
        CHECK_EQ(x->logical.unit, y->logical.unit);
        CHECK_EQ(x->logical.is_adjusted_to_utc, y->logical.is_adjusted_to_utc);
        CHECK_EQ(x->logical.bit_width, y->logical.bit_width);
        CHECK_EQ(x->logical.is_signed, y->logical.is_signed);
    }
    /* matching ConvertedTypes were derived from the logical types */
    CHECK_EQ(r->schema[0].converted_type, PQ_CT_NONE);
    CHECK_EQ(r->schema[1].converted_type, PQ_CT_UTF8);
    CHECK_EQ(r->schema[2].converted_type, PQ_CT_DECIMAL);
    CHECK_EQ(r->schema[2].scale, 4);
    CHECK_EQ(r->schema[2].precision, 38);
    CHECK_EQ(r->schema[2].type_length, 16);
    CHECK(r->schema[2].has_type_length);
    CHECK_EQ(r->schema[3].converted_type, PQ_CT_NONE);   /* TIMESTAMP(NANOS) has none */
    CHECK_EQ(r->schema[4].converted_type, PQ_CT_UINT_8);
    CHECK_EQ(r->n_row_groups, 2);
    for (int g = 0; g < 2 && g < r->n_row_groups; g++) {
        const pq_row_group *x = &m->row_groups[g], *y = &r->row_groups[g];
        CHECK_EQ(x->num_rows, y->num_rows);
        CHECK_EQ(x->total_byte_size, y->total_byte_size);
        CHECK(y->has_file_offset && y->has_total_compressed_size && y->has_ordinal);
        CHECK_EQ(x->file_offset, y->file_offset);
        CHECK_EQ(x->total_compressed_size, y->total_compressed_size);
        CHECK_EQ(x->ordinal, y->ordinal);
        CHECK_EQ(y->n_sorting, 1);
        CHECK_EQ(y->sorting[0].column_idx, 2);
        CHECK(y->sorting[0].descending && !y->sorting[0].nulls_first);
        CHECK_EQ(y->n_columns, 4);
        for (int c = 0; c < 4 && c < y->n_columns; c++) {
            const pq_column_chunk *p = &x->columns[c], *q = &y->columns[c];
            CHECK_STR(p->file_path, q->file_path);
            CHECK_EQ(p->file_offset, q->file_offset);
            CHECK(q->has_meta);
            CHECK_EQ(p->has_offset_index, q->has_offset_index);
            CHECK_EQ(p->has_column_index, q->has_column_index);
            if (q->has_offset_index) {
                CHECK_EQ(q->offset_index_offset, 5000000000LL);
                CHECK_EQ(q->offset_index_length, 77);
                CHECK_EQ(q->column_index_offset, 6000000000LL);
                CHECK_EQ(q->column_index_length, 88);
            }
            const pq_column_meta *cp = &p->meta, *cq = &q->meta;
            CHECK_EQ(cp->type, cq->type);
            CHECK_EQ(cq->n_encodings, 3);
            CHECK_EQ(cq->encodings[2], PQ_ENC_RLE_DICTIONARY);
            CHECK_EQ(cq->path_len, 1);
            CHECK_STR(cq->path_in_schema[0], cp->path_in_schema[0]);
            CHECK_EQ(cq->codec, PQ_CODEC_ZSTD);
            CHECK_EQ(cq->num_values, 1000);
            CHECK_EQ(cq->total_uncompressed_size, 12345);
            CHECK_EQ(cq->total_compressed_size, 2345);
            CHECK_EQ(cq->data_page_offset, cp->data_page_offset);
            CHECK_EQ(cq->has_dictionary_page_offset, cp->has_dictionary_page_offset);
            CHECK_EQ(cq->has_index_page_offset, cp->has_index_page_offset);
            if (cq->has_index_page_offset) CHECK_EQ(cq->index_page_offset, 9);
            CHECK_EQ(cq->has_bloom_filter_offset, cp->has_bloom_filter_offset);
            CHECK_EQ(cq->has_bloom_filter_length, cp->has_bloom_filter_length);
            if (cq->has_bloom_filter_length) {
                CHECK_EQ(cq->bloom_filter_offset, 777777);
                CHECK_EQ(cq->bloom_filter_length, 4096);
            }
            check_kv_eq(cp->kv, cp->n_kv, cq->kv, cq->n_kv);
            CHECK(cq->has_stats);
            check_stats_eq(&cp->stats, &cq->stats);
        }
    }
    /* encoding what was decoded gives the same bytes */
    fl_buf b2;
    fl_buf_init(&b2);
    CHECK_OK(pq_file_meta_write(&b2, r, &err), &err);
    CHECK_MEM(b2.data, b2.len, b.data, b.len);
    fl_buf_dispose(&b2);
done:
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

static void page_roundtrip(const pq_page_header *h)
{
    fl_arena *a = fl_arena_new(0);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    CHECK_OK(pq_page_header_write(&b, h, &err), &err);
    CHECK_OK(fl_buf_append(&b, "trailing page bytes", 19), &err);
    pq_page_header r;
    size_t used = 0;
    CHECK_OK(pq_page_header_read(&r, (const uint8_t *)b.data, b.len, &used, a, &err), &err);
    CHECK_EQ(used, b.len - 19);
    CHECK_EQ(r.type, h->type);
    CHECK_EQ(r.uncompressed_page_size, h->uncompressed_page_size);
    CHECK_EQ(r.compressed_page_size, h->compressed_page_size);
    CHECK_EQ(r.has_crc, h->has_crc);
    CHECK_EQ(r.crc, h->crc);
    CHECK(r.has_data_header);
    CHECK_EQ(r.num_values, h->num_values);
    CHECK_EQ(r.encoding, h->encoding);
    CHECK_EQ(r.definition_level_encoding, h->definition_level_encoding);
    CHECK_EQ(r.repetition_level_encoding, h->repetition_level_encoding);
    CHECK_EQ(r.is_sorted, h->is_sorted);
    CHECK_EQ(r.num_nulls, h->num_nulls);
    CHECK_EQ(r.num_rows, h->num_rows);
    CHECK_EQ(r.definition_levels_byte_length, h->definition_levels_byte_length);
    CHECK_EQ(r.repetition_levels_byte_length, h->repetition_levels_byte_length);
    CHECK_EQ(r.is_compressed, h->is_compressed);
    CHECK_EQ(r.has_stats, h->has_stats);
    if (r.has_stats) check_stats_eq(&h->stats, &r.stats);
    /* every truncation fails cleanly */
    for (size_t n = 0; n < used; n++)
        CHECK_EQ(pq_page_header_read(&r, (const uint8_t *)b.data, n, &used, a, &err), FLOE_ECORRUPT);
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

TEST(meta_page_header_roundtrip)
{
    pq_statistics st = {.has_min_value = true, .has_max_value = true,
                        .min_value = {"\x00\x00\x00\x80", 4}, .max_value = {"\xff\xff\xff\x7f", 4},
                        .has_null_count = true, .null_count = 12};
    pq_page_header v1 = {.type = PQ_PAGE_DATA, .uncompressed_page_size = 1 << 20,
                         .compressed_page_size = 4242, .crc = (int32_t)0xdeadbeef, .has_crc = true,
                         .num_values = 20000, .encoding = PQ_ENC_PLAIN,
                         .definition_level_encoding = PQ_ENC_RLE,
                         .repetition_level_encoding = PQ_ENC_BIT_PACKED, .is_compressed = true,
                         .stats = st, .has_stats = true, .has_data_header = true};
    page_roundtrip(&v1);
    pq_page_header dict = {.type = PQ_PAGE_DICTIONARY, .uncompressed_page_size = 100,
                           .compressed_page_size = 100, .num_values = 25,
                           .encoding = PQ_ENC_PLAIN, .is_sorted = true, .is_compressed = true,
                           .has_data_header = true};
    page_roundtrip(&dict);
    pq_page_header v2 = {.type = PQ_PAGE_DATA_V2, .uncompressed_page_size = 0,
                         .compressed_page_size = 0, .num_values = 10, .num_nulls = 10,
                         .num_rows = 10, .encoding = PQ_ENC_RLE_DICTIONARY,
                         .definition_levels_byte_length = 6, .repetition_levels_byte_length = 0,
                         .is_compressed = false, .stats = st, .has_stats = true,
                         .has_data_header = true};
    page_roundtrip(&v2);
    v2.is_compressed = true;
    v2.has_stats = false;
    page_roundtrip(&v2);

    fl_error err;
    fl_buf b;
    fl_buf_init(&b);
    pq_page_header bad = {.type = 9};
    CHECK_EQ(pq_page_header_write(&b, &bad, &err), FLOE_EINVAL);
    CHECK_EQ(b.len, 0);
    fl_buf_dispose(&b);
}

TEST(meta_page_header_validation)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    pq_page_header h;
    size_t used;
    /* type DATA_PAGE, uncompressed -5, compressed 1 */
    const uint8_t neg[] = {0x15, 0x00, 0x15, 0x09, 0x15, 0x02, 0x00};
    CHECK_EQ(pq_page_header_read(&h, neg, sizeof neg, &used, a, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "negative uncompressed_page_size") != NULL);
    /* missing compressed_page_size */
    const uint8_t missing[] = {0x15, 0x00, 0x15, 0x02, 0x00};
    CHECK_EQ(pq_page_header_read(&h, missing, sizeof missing, &used, a, &err), FLOE_ECORRUPT);
    /* DATA_PAGE with only a dictionary header: decodes, has_data_header false;
     * an unknown field 9 (a future sub-header struct) is skipped */
    const uint8_t other[] = {0x15, 0x00, 0x15, 0x02, 0x15, 0x02, 0x4c, 0x15, 0x02, 0x15, 0x00,
                             0x00, 0x2c, 0x15, 0x04, 0x00, 0x00};
    CHECK_OK(pq_page_header_read(&h, other, sizeof other, &used, a, &err), &err);
    CHECK_EQ(used, sizeof other);
    CHECK(!h.has_data_header);
    CHECK_EQ(h.compressed_page_size, 1);
    fl_arena_free(a);
}

/* --------------------------------------------------------- the corpus */

typedef struct walk {
    int files, ok, failed;
    int64_t rows;
} walk;

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Parses every *.parquet under dir; re-encodes each footer and decodes it
 * again to check the writer keeps what the reader modelled. */
static void walk_dir(const char *dir, walk *w, bool expect_ok)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            walk_dir(path, w, expect_ok);
            continue;
        }
        if (!has_suffix(e->d_name, ".parquet")) continue;
        parsed p;
        parse_path(&p, path);
        w->files++;
        if (p.rc == 0) {
            /* the footer is exactly one struct, as a generic skip sees it */
            size_t flen;
            const uint8_t *footer = footer_of(p.file, p.len, &flen);
            thrift_in in;
            thrift_in_init(&in, footer, flen);
            thrift_skip(&in, THRIFT_STRUCT);
            CHECK(!in.failed);
            CHECK_EQ(thrift_consumed(&in), flen);
            w->ok++;
            w->rows += p.meta->num_rows;
            fl_buf b;
            fl_buf_init(&b);
            pq_file_meta *again = NULL;
            fl_error err;
            CHECK_OK(pq_file_meta_write(&b, p.meta, &err), &err);
            CHECK_OK(pq_file_meta_read(&again, (const uint8_t *)b.data, b.len, p.arena, &err), &err);
            if (again) {
                CHECK_EQ(again->num_rows, p.meta->num_rows);
                CHECK_EQ(again->n_schema, p.meta->n_schema);
                CHECK_EQ(again->n_row_groups, p.meta->n_row_groups);
                CHECK_STR(again->created_by, p.meta->created_by);
                for (int32_t g = 0; g < again->n_row_groups; g++)
                    CHECK_EQ(again->row_groups[g].n_columns, p.meta->row_groups[g].n_columns);
            }
            fl_buf_dispose(&b);
        } else {
            w->failed++;
            if (expect_ok) fprintf(stderr, "  %s: %s\n", path, p.err.message);
            CHECK(!expect_ok);
            CHECK_EQ(p.rc, FLOE_ECORRUPT);
        }
        parsed_free(&p);
    }
    closedir(d);
}

TEST(meta_corpus_every_footer)
{
    walk w = {0};
    walk_dir(ft_shared("fixtures/parquet/data"), &w, true);
    walk_dir(ft_shared("fixtures/parquet/iceberg_golden_encodings"), &w, true);
    walk_dir(ft_shared("fixtures/parquet/shredded_variant"), &w, true);
    CHECK(w.files >= 150);
    CHECK_EQ(w.ok, w.files);
    CHECK(w.rows > 100000);
    /* bad_data: decoding may fail, but only cleanly */
    walk bad = {0};
    walk_dir(ft_shared("fixtures/parquet/bad_data"), &bad, false);
    CHECK(bad.files >= 5);
}

TEST(meta_corpus_known_values)
{
    parsed p;
    parse_fixture(&p, "data/alltypes_plain.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        CHECK_EQ(p.meta->num_rows, 8);
        CHECK_STR(p.meta->created_by,
                  "impala version 1.3.0-INTERNAL (build 8a48ddb1eff84592b3fc06bc6f51ec120e1fffc9)");
        CHECK_EQ(p.meta->n_schema, 12);
        CHECK_STR(p.meta->schema[1].name, "id");
        CHECK_EQ(p.meta->schema[0].num_children, 11);
        CHECK_EQ(col(p.meta, 0, 0)->codec, PQ_CODEC_UNCOMPRESSED);
        CHECK_EQ(p.meta->schema[11].type, PQ_INT96);
    }
    parsed_free(&p);

    static const struct { const char *file; int64_t rows; int codec; } codecs[] = {
        {"data/alltypes_plain.snappy.parquet", 2, PQ_CODEC_SNAPPY},
        {"data/concatenated_gzip_members.parquet", 513, PQ_CODEC_GZIP},
        {"data/byte_stream_split.zstd.parquet", 300, PQ_CODEC_ZSTD},
        {"data/large_string_map.brotli.parquet", 2, PQ_CODEC_BROTLI},
        {"data/hadoop_lz4_compressed_larger.parquet", 10000, PQ_CODEC_LZ4},
        {"data/non_hadoop_lz4_compressed.parquet", 4, PQ_CODEC_LZ4},
        {"data/lz4_raw_compressed_larger.parquet", 10000, PQ_CODEC_LZ4_RAW},
        {"data/overflow_i16_page_cnt.parquet", 40000, PQ_CODEC_UNCOMPRESSED},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(codecs); i++) {
        parse_fixture(&p, codecs[i].file);
        if (CHECK_EQ(p.rc, 0)) {
            CHECK_EQ(p.meta->num_rows, codecs[i].rows);
            CHECK_EQ(col(p.meta, 0, 0)->codec, codecs[i].codec);
        }
        parsed_free(&p);
    }

    parse_fixture(&p, "data/unknown-logical-type.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        int other = 0, strings = 0;
        for (int32_t i = 0; i < p.meta->n_schema; i++) {
            other += p.meta->schema[i].logical.kind == PQ_LT_OTHER;
            strings += p.meta->schema[i].logical.kind == PQ_LT_STRING;
        }
        CHECK_EQ(other, 1);
        CHECK(strings >= 1);
        CHECK_STR(p.meta->created_by, "parquet-cpp-arrow version 20.0.0-SNAPSHOT");
    }
    parsed_free(&p);

    parse_fixture(&p, "data/column_chunk_key_value_metadata.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        const pq_column_meta *cm = col(p.meta, 0, 0);
        CHECK_EQ(cm->n_kv, 2);
        if (cm->n_kv == 2) {
            CHECK_STR(cm->kv[0].key, "foo");
            CHECK_STR(cm->kv[0].value, "bar");
            CHECK_STR(cm->kv[1].key, "thisiskeywithoutvalue");
            CHECK(cm->kv[1].value == NULL);
        }
        CHECK_EQ(p.meta->num_rows, 0);
    }
    parsed_free(&p);

    parse_fixture(&p, "data/sort_columns.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        CHECK_EQ(p.meta->n_row_groups, 2);
        const pq_row_group *rg = &p.meta->row_groups[0];
        CHECK_EQ(rg->n_sorting, 2);
        if (rg->n_sorting == 2) {
            CHECK_EQ(rg->sorting[0].column_idx, 0);
            CHECK(rg->sorting[0].descending && rg->sorting[0].nulls_first);
            CHECK_EQ(rg->sorting[1].column_idx, 1);
            CHECK(!rg->sorting[1].descending && !rg->sorting[1].nulls_first);
        }
    }
    parsed_free(&p);

    parse_fixture(&p, "data/binary_truncated_min_max.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        int exact = 0, inexact = 0;
        for (int32_t c = 0; c < p.meta->row_groups[0].n_columns; c++) {
            const pq_statistics *st = &col(p.meta, 0, c)->stats;
            CHECK(col(p.meta, 0, c)->has_stats);
            CHECK(st->has_is_max_value_exact && st->has_is_min_value_exact);
            exact += st->is_max_value_exact + st->is_min_value_exact;
            inexact += !st->is_max_value_exact + !st->is_min_value_exact;
        }
        CHECK(exact > 0 && inexact > 0);
        CHECK_STR(p.meta->created_by, "parquet-rs version 55.1.0");
    }
    parsed_free(&p);

    parse_fixture(&p, "data/data_index_bloom_encoding_with_length.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        const pq_column_meta *cm = col(p.meta, 0, 0);
        CHECK(cm->has_bloom_filter_offset && cm->has_bloom_filter_length);
        CHECK(cm->bloom_filter_length > 0);
        CHECK(p.meta->row_groups[0].columns[0].has_offset_index);
        CHECK(p.meta->row_groups[0].columns[0].has_column_index);
        CHECK_EQ(p.meta->num_rows, 14);
    }
    parsed_free(&p);

    parse_fixture(&p, "data/null_list.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        int unknown = 0;
        for (int32_t i = 0; i < p.meta->n_schema; i++)
            unknown += p.meta->schema[i].logical.kind == PQ_LT_UNKNOWN;
        CHECK_EQ(unknown, 1);
    }
    parsed_free(&p);

    parse_fixture(&p, "iceberg_golden_encodings/encodings/PLAIN/uuid.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        CHECK_EQ(p.meta->schema[1].logical.kind, PQ_LT_UUID);
        CHECK_EQ(p.meta->schema[1].type, PQ_FIXED_LEN_BYTE_ARRAY);
        CHECK_EQ(p.meta->schema[1].type_length, 16);
        CHECK_EQ(p.meta->num_rows, 1000);
    }
    parsed_free(&p);

    parse_fixture(&p, "data/geospatial/crs-srid.parquet");
    if (CHECK_EQ(p.rc, 0)) {
        int geo = 0;
        for (int32_t i = 0; i < p.meta->n_schema; i++)
            geo += p.meta->schema[i].logical.kind == PQ_LT_GEOMETRY;
        CHECK(geo >= 1);
    }
    parsed_free(&p);
}

/* Walks the pages of the first column chunk of a file by page header. */
static int walk_pages(const char *rel, int *types_seen)
{
    parsed p;
    parse_fixture(&p, rel);
    int pages = 0;
    if (p.rc == 0) {
        const pq_column_meta *cm = col(p.meta, 0, 0);
        int64_t off = cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0
                          ? cm->dictionary_page_offset : cm->data_page_offset;
        int64_t end = off + cm->total_compressed_size;
        int64_t values = 0;
        while (off < end && (size_t)end <= p.len) {
            pq_page_header h;
            size_t used;
            fl_error err;
            if (!CHECK_OK(pq_page_header_read(&h, p.file + off, (size_t)(end - off), &used,
                                              p.arena, &err), &err))
                break;
            CHECK(h.has_data_header);
            thrift_in in;   /* the decoder consumed exactly one struct */
            thrift_in_init(&in, p.file + off, (size_t)(end - off));
            thrift_skip(&in, THRIFT_STRUCT);
            CHECK_EQ(thrift_consumed(&in), used);
            types_seen[h.type & 3]++;
            if (h.type != PQ_PAGE_DICTIONARY) values += h.num_values;
            off += (int64_t)used + h.compressed_page_size;
            pages++;
        }
        CHECK_EQ(off, end);
        CHECK_EQ(values, cm->num_values);
    }
    parsed_free(&p);
    return pages;
}

TEST(meta_corpus_page_headers)
{
    int seen[4] = {0};
    CHECK(walk_pages("data/alltypes_plain.parquet", seen) >= 2);
    CHECK(walk_pages("data/datapage_v2.snappy.parquet", seen) >= 1);
    CHECK(walk_pages("data/datapage_v1-snappy-compressed-checksum.parquet", seen) >= 1);
    CHECK(walk_pages("data/overflow_i16_page_cnt.parquet", seen) > 32767);
    CHECK(seen[PQ_PAGE_DATA] > 0);
    CHECK(seen[PQ_PAGE_DICTIONARY] > 0);
    CHECK(seen[PQ_PAGE_DATA_V2] > 0);
}

/* ------------------------------------------------------ hostile input */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void garble_footer(const char *rel, int flips)
{
    parsed p;
    parse_fixture(&p, rel);
    if (!CHECK_EQ(p.rc, 0)) {
        parsed_free(&p);
        return;
    }
    size_t flen;
    const uint8_t *footer = footer_of(p.file, p.len, &flen);
    fl_error err;
    pq_file_meta *m;
    /* every strict prefix is missing at least the final STOP */
    for (size_t n = 0; n < flen; n++) {
        fl_arena *a = fl_arena_new(0);
        int rc = pq_file_meta_read(&m, footer, n, a, &err);
        if (!CHECK_EQ(rc, FLOE_ECORRUPT)) fprintf(stderr, "  prefix %zu of %zu decoded\n", n, flen);
        CHECK(m == NULL);
        fl_arena_free(a);
    }
    /* deterministic byte flips: decode or fail cleanly */
    uint8_t *copy = fl_malloc(flen);
    uint64_t seed = 0x9e3779b97f4a7c15ULL ^ flen;
    int ok = 0, corrupt = 0;
    for (int iter = 0; iter < flips; iter++) {
        memcpy(copy, footer, flen);
        int k = 1 + (int)(rng_next(&seed) % 4);
        for (int j = 0; j < k; j++) {
            size_t at = (size_t)(rng_next(&seed) % flen);
            uint64_t r = rng_next(&seed);
            copy[at] = (r & 1) ? (uint8_t)(copy[at] ^ (1u << (r >> 1) % 8)) : (uint8_t)(r >> 8);
        }
        fl_arena *a = fl_arena_new(0);
        int rc = pq_file_meta_read(&m, copy, flen, a, &err);
        if (rc == 0) ok++;
        else if (rc == FLOE_ECORRUPT) corrupt++;
        else CHECK_EQ(rc, FLOE_ECORRUPT);
        fl_arena_free(a);
    }
    CHECK_EQ(ok + corrupt, flips);
    CHECK(corrupt > 0);
    fl_free(copy);
    parsed_free(&p);
}

TEST(meta_garbled_footers)
{
    garble_footer("data/alltypes_plain.parquet", 3000);
    garble_footer("data/binary_truncated_min_max.parquet", 2000);
    garble_footer("data/unknown-logical-type.parquet", 2000);
    garble_footer("data/nested_structs.rust.parquet", 300);
    garble_footer("data/column_chunk_key_value_metadata.parquet", 2000);
}

TEST(meta_rejects_bad_structure)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    pq_file_meta *m;
    /* empty struct: required fields missing */
    const uint8_t empty[] = {0x00};
    CHECK_EQ(pq_file_meta_read(&m, empty, 1, a, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "could not decode parquet file metadata") != NULL);
    CHECK_EQ(pq_file_meta_read(&m, empty, 0, a, &err), FLOE_ECORRUPT);

    /* a schema list of 10 elements in 11 bytes cannot hold 10 named elements */
    uint8_t many[13] = {0x29, 0xac};
    CHECK_EQ(pq_file_meta_read(&m, many, sizeof many, a, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "list size exceeds the remaining data") != NULL);

    /* valid minimal file, then variants with a negative num_rows, an empty
     * schema, and num_children beyond the schema */
    pq_schema_element root = {.type = -1, .repetition = PQ_REP_NONE, .name = "r",
                              .num_children = 1, .converted_type = PQ_CT_NONE};
    pq_schema_element leaf = {.type = PQ_INT32, .repetition = PQ_REQUIRED, .name = "x",
                              .converted_type = PQ_CT_NONE};
    pq_schema_element schema[2] = {root, leaf};
    pq_file_meta fm = {.version = 1, .schema = schema, .n_schema = 2, .num_rows = 0};
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(pq_file_meta_write(&b, &fm, &err), &err);
    CHECK_OK(pq_file_meta_read(&m, (const uint8_t *)b.data, b.len, a, &err), &err);

    fm.num_rows = -1;
    fl_buf_reset(&b);
    CHECK_OK(pq_file_meta_write(&b, &fm, &err), &err);
    CHECK_EQ(pq_file_meta_read(&m, (const uint8_t *)b.data, b.len, a, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "negative num_rows") != NULL);

    fm.num_rows = 0;
    schema[0].num_children = 2;
    fl_buf_reset(&b);
    CHECK_OK(pq_file_meta_write(&b, &fm, &err), &err);
    CHECK_EQ(pq_file_meta_read(&m, (const uint8_t *)b.data, b.len, a, &err), FLOE_ECORRUPT);

    schema[0].num_children = -1;
    fl_buf_reset(&b);
    CHECK_OK(pq_file_meta_write(&b, &fm, &err), &err);
    CHECK_EQ(pq_file_meta_read(&m, (const uint8_t *)b.data, b.len, a, &err), FLOE_ECORRUPT);

    fm.n_schema = 0;
    CHECK_EQ(pq_file_meta_write(&b, &fm, &err), FLOE_EINVAL);
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

TEST(meta_forward_compatible)
{
    /* fields, union members and time units from a newer parquet.thrift are skipped */
    fl_buf b;
    fl_buf_init(&b);
    thrift_out o;
    thrift_out_init(&o, &b);
    thrift_write_root_begin(&o);
    thrift_write_i32_field(&o, 1, 1);
    thrift_write_list_begin(&o, 2, THRIFT_STRUCT, 2);
    thrift_write_elem_struct_begin(&o);
    thrift_write_string_field(&o, 4, "root");
    thrift_write_i32_field(&o, 5, 1);
    thrift_write_struct_end(&o);
    thrift_write_elem_struct_begin(&o);
    thrift_write_i32_field(&o, 1, PQ_INT64);
    thrift_write_i32_field(&o, 3, PQ_OPTIONAL);
    thrift_write_string_field(&o, 4, "ts");
    thrift_write_struct_begin(&o, 10);       /* LogicalType */
    thrift_write_struct_begin(&o, 8);        /* TIMESTAMP */
    thrift_write_bool_field(&o, 1, true);
    thrift_write_struct_begin(&o, 2);        /* TimeUnit */
    thrift_write_struct_begin(&o, 7);        /* a unit from the future */
    thrift_write_struct_end(&o);
    thrift_write_struct_end(&o);
    thrift_write_i64_field(&o, 3, 99);       /* a future TimestampType field */
    thrift_write_binary_field(&o, 4, "\0\0\0\0", 4);   /* STOP-like bytes: must be skipped */
    thrift_write_struct_end(&o);
    thrift_write_struct_begin(&o, 30);       /* a second union member: ignored */
    thrift_write_struct_end(&o);
    thrift_write_struct_end(&o);
    thrift_write_i32_field(&o, 9, 42);       /* field_id after LogicalType: long-form header */
    thrift_write_struct_begin(&o, 11);       /* future SchemaElement field */
    thrift_write_list_begin(&o, 1, THRIFT_BINARY, 1);
    thrift_write_binary(&o, "x", 1);
    thrift_write_struct_end(&o);
    thrift_write_field_begin(&o, 12, THRIFT_MAP);   /* map<binary,binary>{"a": "b"} */
    fl_buf_append(&b, "\x01\x88\x01" "a" "\x01" "b", 6);
    thrift_write_struct_end(&o);
    thrift_write_i64_field(&o, 3, 0);
    thrift_write_list_begin(&o, 4, THRIFT_STRUCT, 0);
    thrift_write_struct_begin(&o, 20);       /* future FileMetaData field */
    thrift_write_double_field(&o, 1, 2.5);
    thrift_write_struct_end(&o);
    thrift_write_struct_end(&o);
    CHECK(!o.failed);

    fl_arena *a = fl_arena_new(0);
    fl_error err;
    pq_file_meta *m = NULL;
    if (CHECK_OK(pq_file_meta_read(&m, (const uint8_t *)b.data, b.len, a, &err), &err)) {
        CHECK_EQ(m->n_schema, 2);
        CHECK_STR(m->schema[1].name, "ts");
        CHECK_EQ(m->schema[1].type, PQ_INT64);
        CHECK_EQ(m->schema[1].logical.kind, PQ_LT_TIMESTAMP);
        CHECK(m->schema[1].logical.is_adjusted_to_utc);
        CHECK_EQ(m->schema[1].logical.unit, 0);
        CHECK(m->schema[1].has_field_id);
        CHECK_EQ(m->schema[1].field_id, 42);
        CHECK_EQ(m->schema[0].num_children, 1);
    }
    fl_arena_free(a);
    fl_buf_dispose(&b);
}

TEST(meta_out_of_memory)
{
    fl_arena *a = fl_arena_new(0);
    pq_file_meta *m = rich_meta(a);
    fl_buf b;
    fl_buf_init(&b);
    fl_error err;
    CHECK_OK(pq_file_meta_write(&b, m, &err), &err);
    /* fail the Nth allocation until decoding succeeds */
    int rc = FLOE_ENOMEM;
    int n;
    for (n = 0; n < 200 && rc == FLOE_ENOMEM; n++) {
        fl_arena *small = fl_arena_new(256);
        pq_file_meta *r;
        fl_alloc_fail_after(n);
        rc = pq_file_meta_read(&r, (const uint8_t *)b.data, b.len, small, &err);
        fl_alloc_fail_after(-1);
        if (rc == FLOE_ENOMEM) CHECK(strstr(err.message, "out of memory") != NULL);
        fl_arena_free(small);
    }
    CHECK_EQ(rc, 0);
    CHECK(n > 1);
    /* encoding into a buffer that cannot grow */
    fl_buf small;
    fl_buf_init(&small);
    fl_alloc_fail_after(0);
    rc = pq_file_meta_write(&small, m, &err);
    fl_alloc_fail_after(-1);
    CHECK_EQ(rc, FLOE_ENOMEM);
    pq_page_header h = {.type = PQ_PAGE_DATA, .num_values = 1};
    fl_alloc_fail_after(0);
    rc = pq_page_header_write(&small, &h, &err);
    fl_alloc_fail_after(-1);
    CHECK_EQ(rc, FLOE_ENOMEM);
    fl_buf_dispose(&small);
    fl_buf_dispose(&b);
    fl_arena_free(a);
}

TEST(meta_names)
{
    CHECK_STR(pq_physical_type_name(PQ_INT32), "INT32");
    CHECK_STR(pq_physical_type_name(PQ_FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
    CHECK_STR(pq_physical_type_name(8), "UNRECOGNIZED");
    CHECK_STR(pq_encoding_name(PQ_ENC_RLE_DICTIONARY), "RLE_DICTIONARY");
    CHECK_STR(pq_encoding_name(1), "UNRECOGNIZED");
    CHECK_STR(pq_encoding_name(PQ_ENC_BYTE_STREAM_SPLIT), "BYTE_STREAM_SPLIT");
    CHECK_STR(pq_codec_name(PQ_CODEC_ZSTD), "ZSTD");
    CHECK_STR(pq_codec_name(PQ_CODEC_LZ4_RAW), "LZ4_RAW");
    CHECK_STR(pq_codec_name(-1), "UNRECOGNIZED");
    CHECK_STR(pq_converted_type_name(PQ_CT_UTF8), "UTF8");
    CHECK_STR(pq_converted_type_name(PQ_CT_INTERVAL), "INTERVAL");
    CHECK_STR(pq_converted_type_name(PQ_CT_NONE), "NONE");
    CHECK_STR(pq_logical_kind_name(PQ_LT_STRING), "STRING");
    CHECK_STR(pq_logical_kind_name(PQ_LT_GEOGRAPHY), "GEOGRAPHY");
    CHECK_STR(pq_logical_kind_name(PQ_LT_OTHER), "OTHER");
    CHECK_STR(pq_logical_kind_name(9), "UNRECOGNIZED");
    pq_logical_type ts = {.kind = PQ_LT_TIMESTAMP, .unit = PQ_UNIT_MICROS};
    CHECK_EQ(pq_logical_converted_type(&ts), PQ_CT_TIMESTAMP_MICROS);
    pq_logical_type i16 = {.kind = PQ_LT_INTEGER, .bit_width = 16, .is_signed = true};
    CHECK_EQ(pq_logical_converted_type(&i16), PQ_CT_INT_16);
    pq_logical_type uuid = {.kind = PQ_LT_UUID};
    CHECK_EQ(pq_logical_converted_type(&uuid), PQ_CT_NONE);
}
