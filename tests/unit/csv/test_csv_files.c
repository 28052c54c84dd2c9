/*
 * test_csv_files.c: the CSV reader on files: gzip and zstd inputs written
 * here with zlib and libzstd (single and multi-member/frame, truncated,
 * corrupt), a large generated file whose quoted newlines cross block
 * boundaries (parallel and single-threaded must give the same, exact
 * values and the same error line), and every TPC-DS sf1-web table with the
 * column types of its CREATE TABLE: row counts, first and last rows
 * re-rendered byte for byte, and column sums of web_sales.
 */
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "../test.h"
#include "csv_test_util.h"
#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/decimal.h"
#include "../../../src/base/threads.h"
#include "../../../src/base/time.h"
#include "../../../src/format/csv/csv_internal.h"

static bool write_file(const char *path, const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(p, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* gzip member of p[len] appended to out */
static bool gzip_append(fl_buf *out, const char *p, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
    size_t bound = deflateBound(&z, (uLong)len) + 64;
    char *dst = fl_buf_extend(out, bound);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)dst;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    out->len -= z.avail_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END;
}

static bool zstd_append(fl_buf *out, const char *p, size_t len)
{
    size_t bound = ZSTD_compressBound(len);
    char *dst = fl_buf_extend(out, bound);
    size_t n = ZSTD_compress(dst, bound, p, len, 3);
    if (ZSTD_isError(n)) return false;
    out->len -= bound - n;
    return true;
}

/* Rows "i,"text i",i.5\n" and their rendering. */
static void gen_simple(fl_buf *text, fl_buf *expected, int rows)
{
    for (int i = 0; i < rows; i++) {
        fl_buf_appendf(text, "%d,\"text, %d\",%d.5\n", i, i, i % 1000);
        fl_buf_appendf(expected, "%d|[text, %d]|%d.50\n", i, i, i % 1000);
    }
}

static void read_file(csv_result *res, const char *path, const char *spec, const csv_opts *opts)
{
    memset(res, 0, sizeof *res);
    fl_buf_init(&res->text);
    fl_type types[64];
    int n = ct_types(types, spec);
    csv_reader *r;
    res->rc = csv_reader_open(&r, path, types, n, opts, &res->err);
    if (res->rc == 0) ct_drain(res, r, n);
}

TEST(csv_compressed_inputs)
{
    fl_buf text, expected, gz, zs;
    fl_buf_init(&text);
    fl_buf_init(&expected);
    fl_buf_init(&gz);
    fl_buf_init(&zs);
    gen_simple(&text, &expected, 60000);   /* ~1.5 MB: several rounds with small blocks */
    size_t half = 700001;                   /* split mid-record into two members/frames */
    CHECK(gzip_append(&gz, text.data, half) && gzip_append(&gz, text.data + half, text.len - half));
    CHECK(zstd_append(&zs, text.data, half) && zstd_append(&zs, text.data + half, text.len - half));
    const char *dir = ft_tmpdir();
    char p_gz[600], p_zst[600], p_magic[600], p_trunc[600], p_bad[600];
    snprintf(p_gz, sizeof p_gz, "%s/t.csv.gz", dir);
    snprintf(p_zst, sizeof p_zst, "%s/t.csv.zst", dir);
    snprintf(p_magic, sizeof p_magic, "%s/t.dat", dir);
    snprintf(p_trunc, sizeof p_trunc, "%s/trunc.zst", dir);
    snprintf(p_bad, sizeof p_bad, "%s/bad.gz", dir);
    CHECK(write_file(p_gz, gz.data, gz.len));
    CHECK(write_file(p_zst, zs.data, zs.len));
    CHECK(write_file(p_magic, zs.data, zs.len));     /* zstd bytes, no extension */
    CHECK(write_file(p_trunc, zs.data, zs.len - 10));
    fl_buf bad;
    fl_buf_init(&bad);
    fl_buf_append(&bad, gz.data, 200);
    for (int i = 0; i < 64; i++) fl_buf_append_byte(&bad, (uint8_t)(i * 37));
    CHECK(write_file(p_bad, bad.data, bad.len));
    fl_buf_dispose(&bad);

    csv_opts o;
    csv_opts_init(&o);
    o.block_size = 64 << 10;
    const char *paths[] = {p_gz, p_zst, p_magic};
    for (int i = 0; i < 3; i++) {
        csv_result res;
        read_file(&res, paths[i], "int,varchar,decimal(7,2)", &o);
        CHECK_OK(res.rc, &res.err);
        CHECK_EQ(res.rows, 60000);
        CHECK(res.text.len == expected.len &&
              memcmp(res.text.data, expected.data, expected.len) == 0);
        ct_result_dispose(&res);
    }
    csv_result res;
    read_file(&res, p_trunc, "int,varchar,decimal(7,2)", &o);
    CHECK_EQ(res.rc, FLOE_ECORRUPT);
    char msg[700];
    snprintf(msg, sizeof msg, "could not decompress \"%s\": truncated zstd stream", p_trunc);
    CHECK_STR(res.err.message, msg);
    CHECK(res.rows > 0 && res.rows < 60000);   /* the rows before the damage came first */
    ct_result_dispose(&res);
    read_file(&res, p_bad, "int,varchar,decimal(7,2)", &o);
    CHECK_EQ(res.rc, FLOE_ECORRUPT);
    CHECK(strncmp(res.err.message, "could not decompress \"", 22) == 0);
    ct_result_dispose(&res);
    fl_buf_dispose(&text);
    fl_buf_dispose(&expected);
    fl_buf_dispose(&gz);
    fl_buf_dispose(&zs);
}

/* Rows with long quoted fields full of newlines, doubled quotes and
 * delimiters, NULLs, and their rendering. */
static void gen_tricky(fl_buf *text, fl_buf *expected, int rows)
{
    uint32_t seed = 12345;
    for (int i = 0; i < rows; i++) {
        seed = seed * 1103515245u + 12345u;
        int kind = (int)(seed >> 16) % 5;
        fl_buf_appendf(text, "%d,", i);
        fl_buf_appendf(expected, "%d|", i);
        if (kind == 0) {
            /* a long quoted value with many newlines */
            fl_buf_append_byte(text, '"');
            fl_buf_append_byte(expected, '[');
            int lines = 3 + (int)((seed >> 8) % 40);
            for (int k = 0; k < lines; k++) {
                fl_buf_appendf(text, "line %d of %d, \"\"q\"\"\n", k, i);
                fl_buf_appendf(expected, "line %d of %d, \"q\"\n", k, i);
            }
            fl_buf_append_str(text, "\",");
            fl_buf_append_str(expected, "]|");
        } else if (kind == 1) {
            fl_buf_append_str(text, ",");
            fl_buf_append_str(expected, "NULL|");
        } else if (kind == 2) {
            fl_buf_append_str(text, "\"\",");
            fl_buf_append_str(expected, "[]|");
        } else {
            fl_buf_appendf(text, "plain%d,", i);
            fl_buf_appendf(expected, "[plain%d]|", i);
        }
        if (i % 7 == 3) {
            fl_buf_append_str(text, i % 2 ? "\r\n" : "\n");
            fl_buf_append_str(expected, "NULL\n");
        } else {
            fl_buf_appendf(text, "%d.%02d%s", i % 5000, i % 100, i % 3 ? "\n" : "\r\n");
            fl_buf_appendf(expected, "%d.%02d\n", i % 5000, i % 100);
        }
    }
}

static int64_t g_reparsed;

static void read_with(csv_result *res, const char *path, fl_pool *pool, size_t block_size)
{
    csv_opts o;
    csv_opts_init(&o);
    o.pool = pool;
    o.block_size = block_size;
    o.batch_rows = 1000;
    memset(res, 0, sizeof *res);
    fl_buf_init(&res->text);
    fl_type types[3];
    ct_types(types, "int,varchar,decimal(9,2)");
    csv_reader *r;
    res->rc = csv_reader_open(&r, path, types, 3, &o, &res->err);
    if (res->rc < 0) return;
    fl_arena *arena = fl_arena_new(0);
    fl_column *cols[3];
    for (;;) {
        size_t rows;
        fl_arena_reset(arena);
        int rc = csv_reader_next(r, arena, cols, &rows, &res->err);
        if (rc < 0) {
            res->rc = rc;
            break;
        }
        if (!rows) break;
        for (size_t i = 0; i < rows; i++) {
            for (int c = 0; c < 3; c++) {
                if (c) fl_buf_append_byte(&res->text, '|');
                ct_render(&res->text, cols[c], i);
            }
            fl_buf_append_byte(&res->text, '\n');
        }
    }
    res->rows = csv_reader_rows(r);
    g_reparsed += csv_reader_reparsed_blocks(r);
    csv_reader_free(r);
    fl_arena_free(arena);
}

TEST(csv_parallel_matches_serial)
{
    fl_buf text, expected, zs;
    fl_buf_init(&text);
    fl_buf_init(&expected);
    fl_buf_init(&zs);
    gen_tricky(&text, &expected, 40000);
    const char *dir = ft_tmpdir();
    char plain[600], packed[600];
    snprintf(plain, sizeof plain, "%s/big.csv", dir);
    snprintf(packed, sizeof packed, "%s/big.csv.zst", dir);
    CHECK(write_file(plain, text.data, text.len));
    CHECK(zstd_append(&zs, text.data, text.len));
    CHECK(write_file(packed, zs.data, zs.len));
    fl_pool *pool;
    CHECK_OK(fl_pool_new(&pool, 3), NULL);
    struct { const char *path; fl_pool *pool; size_t block; } runs[] = {
        {plain, NULL, 0}, {plain, pool, 4096}, {packed, pool, 1000},
        {packed, NULL, 777}, {plain, pool, 0},
    };
    g_reparsed = 0;
    for (size_t i = 0; i < FL_ARRAY_SIZE(runs); i++) {
        csv_result res;
        read_with(&res, runs[i].path, runs[i].pool, runs[i].block);
        CHECK_OK(res.rc, &res.err);
        CHECK_EQ(res.rows, 40000);
        if (!CHECK(res.text.len == expected.len &&
                   memcmp(res.text.data, expected.data, expected.len) == 0))
            fprintf(stderr, "    run %zu differs\n", i);
        ct_result_dispose(&res);
    }
    /* the speculative block starts really were wrong sometimes */
    CHECK(g_reparsed > 0);

    /* an error near the end: same message (line) for every split */
    fl_buf_append_str(&text, "40000,\"x\ny\",12.5\n40001,ok,1.2.3\n");
    CHECK(write_file(plain, text.data, text.len));
    int64_t lines = 1;
    for (size_t i = 0; i < text.len; i++) lines += text.data[i] == '\n';
    char msg[800];
    snprintf(msg, sizeof msg, "could not parse \"%s\": line %lld, column 3: invalid decimal \"1.2.3\"",
             plain, (long long)(lines - 1));
    for (size_t i = 0; i < FL_ARRAY_SIZE(runs); i++) {
        if (runs[i].path != plain) continue;
        csv_result res;
        read_with(&res, plain, runs[i].pool, runs[i].block);
        CHECK_EQ(res.rc, FLOE_EINVAL);
        CHECK_STR(res.err.message, msg);
        CHECK_EQ(res.rows, 40001);
        ct_result_dispose(&res);
    }
    /* freeing after one batch, with the next round in flight */
    for (int k = 0; k < 3; k++) {
        fl_type types[3];
        ct_types(types, "int,varchar,decimal(9,2)");
        csv_opts o;
        csv_opts_init(&o);
        o.pool = pool;
        o.block_size = 2048 << k;
        csv_reader *r;
        fl_error err;
        if (!CHECK_OK(csv_reader_open(&r, packed, types, 3, &o, &err), &err)) continue;
        fl_arena *arena = fl_arena_new(0);
        fl_column *cols[3];
        size_t rows;
        CHECK_OK(csv_reader_next(r, arena, cols, &rows, &err), &err);
        CHECK_EQ(rows, 2048);
        CHECK_EQ(((int32_t *)cols[0]->data)[2047], 2047);
        csv_reader_free(r);
        fl_arena_free(arena);
    }
    fl_pool_free(pool);
    fl_buf_dispose(&text);
    fl_buf_dispose(&expected);
    fl_buf_dispose(&zs);
}

TEST(csv_long_record_across_rounds)
{
    /* one quoted field far larger than a round */
    fl_buf text, expected;
    fl_buf_init(&text);
    fl_buf_init(&expected);
    fl_buf_append_str(&text, "1,\"");
    fl_buf_append_str(&expected, "1|[");
    for (int i = 0; i < 20000; i++) {
        fl_buf_appendf(&text, "%d\n", i);
        fl_buf_appendf(&expected, "%d\n", i);
    }
    fl_buf_append_str(&text, "\",2.00\n3,x,4\n");
    fl_buf_append_str(&expected, "]|2.00\n3|[x]|4.00\n");
    csv_opts o;
    csv_opts_init(&o);
    o.block_size = 100;
    csv_result res;
    ct_read_mem(&res, "long.csv", text.data, text.len, "int,varchar,decimal(9,2)", &o);
    CHECK_OK(res.rc, &res.err);
    CHECK_STR(fl_buf_cstr(&res.text), fl_buf_cstr(&expected));
    ct_result_dispose(&res);
    /* unterminated: the error names the line where the record starts */
    text.len -= 13;
    ct_read_mem(&res, "long.csv", text.data, text.len, "int,varchar,decimal(9,2)", &o);
    CHECK_EQ(res.rc, FLOE_EINVAL);
    CHECK_STR(res.err.message,
              "could not parse \"long.csv\": line 1, column 2: unterminated quoted field");
    ct_result_dispose(&res);
    fl_buf_dispose(&text);
    fl_buf_dispose(&expected);
}

/* ---- TPC-DS ---- */

typedef struct table_schema {
    int n;
    fl_type types[64];
} table_schema;

/* The CREATE TABLE of schema/<table>.sql: "name type [not null]" items. */
static bool load_schema(table_schema *s, const char *table)
{
    char rel[128];
    snprintf(rel, sizeof rel, "tpcds/schema/%s.sql", table);
    FILE *f = fopen(ft_shared(rel), "rb");
    if (!f) return false;
    char sql[8192];
    size_t len = fread(sql, 1, sizeof sql - 1, f);
    fclose(f);
    sql[len] = 0;
    char *p = strchr(sql, '(');
    if (!p) return false;
    p++;
    s->n = 0;
    int depth = 0;
    char *item = p;
    for (; *p && depth >= 0; p++) {
        if (*p == '(') depth++;
        else if (*p == ')') depth--;
        if ((*p == ',' && depth == 0) || depth < 0) {
            char *e = p;
            while (item < e && (*item == ' ' || *item == '\t' || *item == '\n')) item++;
            while (e > item && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n')) e--;
            if (e > item && strncmp(item, "primary key", 11) != 0) {
                char *name_end = item;
                while (name_end < e && *name_end != ' ' && *name_end != '\t') name_end++;
                char *type_end = e;
                if (type_end - name_end > 9 && strncmp(type_end - 8, "not null", 8) == 0)
                    type_end -= 8;
                if (s->n == 64 ||
                    fl_type_parse(&s->types[s->n], name_end, (size_t)(type_end - name_end), NULL) < 0)
                    return false;
                s->n++;
            }
            item = p + 1;
        }
    }
    return s->n > 0;
}

/* Checks row `row` against a dsdgen line: '|' between values, NULL as
 * empty; decimals compared by value (dsdgen writes "-7" for -7.00). */
static bool row_matches(fl_column **cols, int n, size_t row, const fl_buf *line)
{
    const char *p = line->data, *end = line->data + line->len;
    for (int c = 0; c < n; c++) {
        const char *f = p;
        while (p < end && *p != '|') p++;
        size_t flen = (size_t)(p - f);
        p++;
        fl_value v;
        fl_column_get(cols[c], row, &v);
        if (v.is_null) {
            if (flen) return false;
            continue;
        }
        char buf[64];
        int blen;
        switch ((fl_type_id)cols[c]->type.id) {
        case FL_TYPE_INT32: blen = snprintf(buf, sizeof buf, "%lld", (long long)v.v.i64); break;
        case FL_TYPE_DECIMAL: {
            fl_int128 want;
            if (fl_decimal_parse(f, flen, cols[c]->type.precision, cols[c]->type.scale, &want,
                                 NULL) < 0 || want != v.v.i64)
                return false;
            continue;
        }
        case FL_TYPE_DATE: blen = fl_date_format((int32_t)v.v.i64, buf); break;
        default:
            if (v.v.s.len != flen || memcmp(v.v.s.ptr, f, flen) != 0) return false;
            continue;
        }
        if ((size_t)blen != flen || memcmp(buf, f, flen) != 0) return false;
    }
    return p >= end;
}

/* First and last line of a zstd file's text. */
static bool first_last_lines(const char *path, fl_buf *first, fl_buf *last)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    ZSTD_DStream *ds = ZSTD_createDStream();
    ZSTD_initDStream(ds);
    static char in[1 << 16], out[1 << 17];
    bool have_first = false, ok = true;
    fl_buf line;
    fl_buf_init(&line);
    size_t n;
    while (ok && (n = fread(in, 1, sizeof in, f)) > 0) {
        ZSTD_inBuffer ib = {in, n, 0};
        while (ib.pos < ib.size) {
            ZSTD_outBuffer ob = {out, sizeof out, 0};
            if (ZSTD_isError(ZSTD_decompressStream(ds, &ob, &ib))) {
                ok = false;
                break;
            }
            for (size_t i = 0; i < ob.pos; i++) {
                if (out[i] == '\n') {
                    if (!have_first) {
                        fl_buf_append(first, line.data, line.len);
                        have_first = true;
                    }
                    fl_buf_reset(last);
                    fl_buf_append(last, line.data, line.len);
                    fl_buf_reset(&line);
                } else {
                    fl_buf_append_byte(&line, (uint8_t)out[i]);
                }
            }
        }
    }
    fl_buf_dispose(&line);
    ZSTD_freeDStream(ds);
    fclose(f);
    return ok && have_first;
}

TEST(csv_tpcds_sf1_web)
{
    /* the two big tables' first and last lines are written here, to save
     * decompressing them a second time; the others are read from the file */
    static const char *const big_lines[][3] = {
        {"customer_demographics", "1|M|M|Primary|500|Good|0|0|0",
         "1920800|F|U|Unknown|10000|Unknown|6|6|6"},
        {"web_sales",
         "2451383|73313|2451482|4591|83074|596485|1096|40907|85919|41329|1140|1351|43|4|4|5|6|1|"
         "57|33.59|59.45|38.04|1220.37|2168.28|1914.63|3388.65|50.95|1149.18|575.70|1019.10|"
         "1070.05|1594.80|1645.75|-895.53",
         "2452230|51882|2452263|8233|13205|1642409|6813|14417|13205|1642409|6813|14417|45|25|13|"
         "3|283|60000|72|91.85|155.22|57.43|7040.88|4134.96|6613.20|11175.84|0.00|0.00|2458.08|"
         "4134.96|4134.96|6593.04|6593.04|-2478.24"},
    };
    static const struct { const char *table; int64_t rows; } tables[] = {
        {"customer", 100000}, {"customer_address", 50000}, {"customer_demographics", 1920800},
        {"date_dim", 73049}, {"household_demographics", 7200}, {"income_band", 20},
        {"item", 18000}, {"promotion", 300}, {"reason", 35}, {"ship_mode", 20},
        {"time_dim", 86400}, {"warehouse", 5}, {"web_page", 60}, {"web_returns", 71763},
        {"web_sales", 719384}, {"web_site", 30},
    };
    fl_pool *pool;
    CHECK_OK(fl_pool_new(&pool, 2), NULL);
    for (size_t t = 0; t < FL_ARRAY_SIZE(tables); t++) {
        table_schema schema;
        if (!CHECK(load_schema(&schema, tables[t].table))) continue;
        char rel[128];
        snprintf(rel, sizeof rel, "tpcds/sf1-web/%s.dat.zst", tables[t].table);
        const char *path = ft_shared(rel);
        fl_buf first, last;
        fl_buf_init(&first);
        fl_buf_init(&last);
        bool known = false;
        for (size_t k = 0; k < FL_ARRAY_SIZE(big_lines); k++) {
            if (strcmp(big_lines[k][0], tables[t].table) != 0) continue;
            fl_buf_append_str(&first, big_lines[k][1]);
            fl_buf_append_str(&last, big_lines[k][2]);
            known = true;
        }
        if (!known) CHECK(first_last_lines(path, &first, &last));
        csv_opts o;
        csv_opts_init(&o);
        o.delimiter = '|';
        o.pool = pool;
        csv_reader *r;
        fl_error err;
        if (!CHECK_OK(csv_reader_open(&r, path, schema.types, schema.n, &o, &err), &err)) continue;
        fl_arena *arena = fl_arena_new(0);
        fl_column *cols[64];
        size_t rows;
        int64_t quantity = 0, profit = 0, quantity_nulls = 0;
        bool is_sales = strcmp(tables[t].table, "web_sales") == 0;
        for (;;) {
            fl_arena_reset(arena);
            if (!CHECK_OK(csv_reader_next(r, arena, cols, &rows, &err), &err) || rows == 0) break;
            if (csv_reader_rows(r) == (int64_t)rows && !CHECK(row_matches(cols, schema.n, 0, &first)))
                fprintf(stderr, "    first row of %s\n", tables[t].table);
            if (csv_reader_rows(r) == tables[t].rows &&
                !CHECK(row_matches(cols, schema.n, rows - 1, &last)))
                fprintf(stderr, "    last row of %s\n", tables[t].table);
            if (is_sales) {
                const int32_t *q = cols[18]->data;
                const int64_t *np = cols[33]->data;
                for (size_t i = 0; i < rows; i++) {
                    if (fl_column_is_valid(cols[18], i)) quantity += q[i];
                    else quantity_nulls++;
                    profit += np[i];
                }
            }
        }
        if (!CHECK_EQ(csv_reader_rows(r), tables[t].rows)) fprintf(stderr, "    %s\n", tables[t].table);
        CHECK_EQ(csv_reader_bad_rows(r), 0);
        if (is_sales) {
            CHECK(strncmp(fl_buf_cstr(&first), "2451383|73313|2451482|4591|", 27) == 0);
            CHECK_EQ(quantity, 36296024);
            CHECK_EQ(quantity_nulls, 182);
            CHECK_EQ(profit, INT64_C(-18750670267));
        }
        csv_reader_free(r);
        fl_arena_free(arena);
        fl_buf_dispose(&first);
        fl_buf_dispose(&last);
    }
    fl_pool_free(pool);
}
