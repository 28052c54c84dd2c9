/*
 * test_corpus.c: the Parquet reader against the shared fixture corpus
 * (/work/shared/fixtures/parquet, see its README.md).
 *
 * - every file in data/ (incl. geospatial/) and iceberg_golden_encodings/
 *   reads completely (all columns, all row groups) and yields the footer's
 *   row count;
 * - the expected contents: *_expect.csv (all values), expected_duckdb/
 *   (first 50 rows as DuckDB renders them), the Iceberg PLAIN twins (each
 *   encodings/<ENC>/<f> decodes to exactly PLAIN/<f>), facts from the
 *   per-file notes (*.md and the data README), and, for every top-level
 *   primitive column of every row group, the chunk statistics (null count,
 *   min/max) against the decoded values;
 * - every file in bad_data/ fails cleanly, except ARROW-GH-43605 which is
 *   readable (see the comment at bad_files).
 * A file whose expectation cannot be checked fails the test; nothing is
 * skipped silently.
 */
#include "../test.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/value_text.h"
#include "../../../src/format/parquet/pq_reader.h"

/* ---- reading a whole file as rendered text ---- */

typedef struct table {
    size_t rows, cols;
    char **cells;      /* rows * cols, row-major, NUL-terminated, NULL = SQL NULL */
    size_t cap;
    fl_arena *arena;
    const char **names;
    fl_type *types;
} table;

static void table_free(table *t)
{
    fl_arena_free(t->arena);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

static const char *fixture(const char *rel)
{
    return ft_shared(rel);
}

/* Scans the whole file (opts may narrow it) and renders every value. */
static int read_table(const char *path, const pq_scan_opts *opts, unsigned text_flags, table *t,
                      fl_error *err)
{
    memset(t, 0, sizeof *t);
    t->arena = fl_arena_new(0);
    pq_file *file = NULL;
    pq_scan *scan = NULL;
    fl_arena *batch = fl_arena_new(0);
    fl_buf b;
    fl_buf_init(&b);
    int rc = pq_file_open_path(&file, path, err);
    if (rc < 0) goto done;
    pq_scan_opts o = opts ? *opts : (pq_scan_opts){0};
    if ((rc = pq_scan_new(&scan, file, &o, err)) < 0) goto done;
    const pq_field *root = pq_file_schema(file);
    t->cols = o.columns ? (size_t)o.n_columns : root->n_children;
    t->names = fl_arena_calloc(t->arena, (t->cols + 1) * sizeof *t->names);
    t->types = fl_arena_calloc(t->arena, (t->cols + 1) * sizeof *t->types);
    for (size_t c = 0; c < t->cols; c++) {
        const pq_field *f = &root->children[o.columns ? o.columns[c] : (int)c];
        t->names[c] = fl_arena_strdup(t->arena, f->name);
        t->types[c] = f->type;
    }
    fl_column **cols = calloc(t->cols + 1, sizeof *cols);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, text_flags);
    for (;;) {
        size_t rows;
        fl_arena_reset(batch);
        if ((rc = pq_scan_next(scan, batch, cols, &rows, err)) < 0 || rows == 0) break;
        if ((t->rows + rows) * t->cols > t->cap) {
            t->cap = ((t->rows + rows) * t->cols) * 2 + 16;
            t->cells = realloc(t->cells, t->cap * sizeof *t->cells);
        }
        for (size_t r = 0; r < rows; r++)
            for (size_t c = 0; c < t->cols; c++) {
                char **cell = &t->cells[(t->rows + r) * t->cols + c];
                if (!fl_column_is_valid(cols[c], r) && !fl_type_is_nested(cols[c]->type)) {
                    *cell = NULL;
                    continue;
                }
                if (!fl_column_is_valid(cols[c], r)) {
                    *cell = NULL;
                    continue;
                }
                fl_buf_reset(&b);
                fl_column_render(&b, cols[c], r, &st);
                *cell = fl_arena_strndup(t->arena, b.data ? b.data : "", b.len);
            }
        t->rows += rows;
    }
    free(cols);
done:
    fl_buf_dispose(&b);
    fl_arena_free(batch);
    pq_scan_free(scan);
    pq_file_free(file);
    return rc;
}

static const char *cell(const table *t, size_t r, size_t c) { return t->cells[r * t->cols + c]; }

/* ---- comparing DuckDB-rendered text, tolerant of float layout ---- */

static bool num_start(const char *p)
{
    return (*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9');
}

/* Equal up to the layout of numbers ("1.000000" == "1.0"), and True/true. */
static bool text_match(const char *e, const char *a)
{
    while (*e && *a) {
        if (num_start(e) && num_start(a)) {
            char *ee, *ae;
            double x = strtod(e, &ee), y = strtod(a, &ae);
            if (x != y && fabs(x - y) > 1e-9 * fmax(fabs(x), fabs(y))) return false;
            e = ee;
            a = ae;
            continue;
        }
        if (*e != *a) return false;
        e++;
        a++;
    }
    return *e == *a;
}

/* ---- file lists ---- */

typedef struct strlist {
    char **v;
    size_t n;
} strlist;

static void list_add(strlist *l, const char *s)
{
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = strdup(s);
}

static void list_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_parquet(strlist *l, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(path, &sb) < 0) continue;
        if (S_ISDIR(sb.st_mode)) find_parquet(l, path);
        else {
            size_t n = strlen(de->d_name);
            if (n > 8 && strcmp(de->d_name + n - 8, ".parquet") == 0) list_add(l, path);
        }
    }
    closedir(d);
    qsort(l->v, l->n, sizeof *l->v, cmp_str);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- every good file reads completely ---- */

/* large_string_map holds two 1 GiB strings: read it in its own test with
 * checks that do not render the values. */
static bool is_large(const char *path) { return ends_with(path, "large_string_map.brotli.parquet"); }

static void check_reads_completely(const char *path)
{
    fl_error err = {0};
    pq_file *file = NULL;
    if (!CHECK_OK(pq_file_open_path(&file, path, &err), &err)) {
        fprintf(stderr, "    file: %s\n", path);
        return;
    }
    pq_scan *scan = NULL;
    pq_scan_opts o = {0};
    o.verify_crc = !strstr(path, "corrupt-checksum");
    CHECK_OK(pq_scan_new(&scan, file, &o, &err), &err);
    fl_arena *a = fl_arena_new(0);
    fl_column **cols = calloc(pq_file_schema(file)->n_children + 1, sizeof *cols);
    int64_t total = 0;
    for (;;) {
        size_t rows;
        fl_arena_reset(a);
        int rc = pq_scan_next(scan, a, cols, &rows, &err);
        if (!CHECK_OK(rc, &err)) {
            fprintf(stderr, "    file: %s\n", path);
            break;
        }
        if (!rows) break;
        for (uint32_t c = 0; c < pq_file_schema(file)->n_children; c++) CHECK_EQ(cols[c]->len, rows);
        total += (int64_t)rows;
    }
    /* the row groups' counts: repeated_no_annotation's footer says 0 rows for 6 */
    int64_t expect = 0;
    for (int g = 0; g < pq_file_num_row_groups(file); g++)
        expect += pq_file_metadata(file)->row_groups[g].num_rows;
    if (!CHECK_EQ(total, expect)) fprintf(stderr, "    file: %s\n", path);
    free(cols);
    fl_arena_free(a);
    pq_scan_free(scan);
    pq_file_free(file);
}

TEST(corpus_every_file_reads_completely)
{
    strlist l = {0};
    find_parquet(&l, fixture("fixtures/parquet/data"));
    find_parquet(&l, fixture("fixtures/parquet/iceberg_golden_encodings"));
    CHECK(l.n >= 120);   /* 82 in data (incl. geospatial), 47 iceberg */
    for (size_t i = 0; i < l.n; i++) {
        if (is_large(l.v[i])) continue;   /* corpus_large_string_map */
        check_reads_completely(l.v[i]);
    }
    list_free(&l);
}

/* Not required by the corpus README, but cheap: the shredded-Variant files
 * are ordinary Parquet (nested groups of binary columns) and must read. */
TEST(corpus_shredded_variant_files_read)
{
    strlist l = {0};
    find_parquet(&l, fixture("fixtures/parquet/shredded_variant"));
    CHECK(l.n >= 100);
    for (size_t i = 0; i < l.n; i++) check_reads_completely(l.v[i]);
    list_free(&l);
}

/* ---- statistics against decoded values, every row group of every file ---- */

static void check_stats_file(const char *path)
{
    fl_error err = {0};
    pq_file *file = NULL;
    if (!CHECK_OK(pq_file_open_path(&file, path, &err), &err)) return;
    const pq_field *root = pq_file_schema(file);
    fl_arena *a = fl_arena_new(0), *sa = fl_arena_new(0);
    for (int g = 0; g < pq_file_num_row_groups(file); g++) {
        for (uint32_t c = 0; c < root->n_children; c++) {
            const pq_field *f = &root->children[c];
            if (f->n_children) continue;
            pq_chunk_stats st;
            if (!CHECK_OK(pq_chunk_stats_get(file, g, (int)c, &st, sa, &err), &err)) continue;
            if (st.null_count < 0 && st.min.is_null && st.max.is_null) continue;
            int col = (int)c;
            pq_scan_opts o = {0};
            o.columns = &col;
            o.n_columns = 1;
            o.row_group_begin = g;
            o.row_group_end = g + 1;
            pq_scan *scan = NULL;
            if (!CHECK_OK(pq_scan_new(&scan, file, &o, &err), &err)) continue;
            int64_t nulls = 0;
            fl_value mn = {0}, mx = {0};
            bool have = false;
            char *mn_copy = NULL, *mx_copy = NULL;
            for (;;) {
                fl_column *colv;
                size_t rows;
                fl_arena_reset(a);
                if (!CHECK_OK(pq_scan_next(scan, a, &colv, &rows, &err), &err) || !rows) break;
                for (size_t r = 0; r < rows; r++) {
                    fl_value v;
                    fl_column_get(colv, r, &v);
                    if (v.is_null) {
                        nulls++;
                        continue;
                    }
                    if ((v.type.id == FL_TYPE_FLOAT || v.type.id == FL_TYPE_DOUBLE) && isnan(v.v.f64)) continue;
                    if (!have || fl_value_cmp(&v, &mn) < 0) {
                        mn = v;
                        if (fl_type_is_varlen(v.type)) {
                            free(mn_copy);
                            mn_copy = malloc(v.v.s.len + 1);
                            memcpy(mn_copy, v.v.s.ptr, v.v.s.len);
                            mn.v.s.ptr = mn_copy;
                        }
                    }
                    if (!have || fl_value_cmp(&v, &mx) > 0) {
                        mx = v;
                        if (fl_type_is_varlen(v.type)) {
                            free(mx_copy);
                            mx_copy = malloc(v.v.s.len + 1);
                            memcpy(mx_copy, v.v.s.ptr, v.v.s.len);
                            mx.v.s.ptr = mx_copy;
                        }
                    }
                    have = true;
                }
            }
            bool ok = true;
            if (st.null_count >= 0) ok &= CHECK_EQ(nulls, st.null_count);
            if (have && !st.min.is_null) ok &= CHECK(fl_value_cmp(&st.min, &mn) <= 0);
            if (have && !st.max.is_null) ok &= CHECK(fl_value_cmp(&st.max, &mx) >= 0);
            if (!ok) fprintf(stderr, "    file %s row group %d column %s\n", path, g, f->name);
            free(mn_copy);
            free(mx_copy);
            pq_scan_free(scan);
        }
    }
    fl_arena_free(a);
    fl_arena_free(sa);
    pq_file_free(file);
}

TEST(corpus_statistics_match_values)
{
    strlist l = {0};
    find_parquet(&l, fixture("fixtures/parquet/data"));
    find_parquet(&l, fixture("fixtures/parquet/iceberg_golden_encodings"));
    for (size_t i = 0; i < l.n; i++) {
        if (is_large(l.v[i])) continue;   /* corpus_large_string_map */
        check_stats_file(l.v[i]);
    }
    list_free(&l);
}

/* ---- *_expect.csv ---- */

/* Splits one CSV record: "..." quoted ("" escapes), unquoted empty = NULL. */
static size_t csv_split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n == max) return n;
        if (*p == '"') {
            char *w = ++p, *start = p;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *w++ = *p++;
            }
            if (*p == '"') p++;
            *w = 0;
            fields[n++] = start;
            /* w may equal p's old position; p now at ',' or end */
        } else {
            char *start = p;
            while (*p && *p != ',') p++;
            fields[n++] = p == start ? NULL : start;
            if (!*p) return n;
            *p = 0;   /* a ',' */
            p++;
            continue;
        }
        if (*p != ',') return n;
        p++;
    }
}

static void check_expect_csv(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "fixtures/parquet/data/%s.parquet", name);
    char pqpath[1024];
    snprintf(pqpath, sizeof pqpath, "%s", fixture(rel));
    snprintf(rel, sizeof rel, "fixtures/parquet/data/%s_expect.csv", name);
    FILE *fp = fopen(fixture(rel), "r");
    if (!CHECK(fp != NULL)) return;
    table t;
    fl_error err = {0};
    if (!CHECK_OK(read_table(pqpath, NULL, 0, &t, &err), &err)) {
        fclose(fp);
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    size_t row = 0, mismatches = 0;
    char *fields[128];
    bool header = true;
    while ((got = getline(&line, &cap, fp)) > 0) {
        while (got && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
        size_t n = csv_split(line, fields, 128);
        if (header) {
            header = false;
            CHECK_EQ(n, t.cols);
            continue;
        }
        if (!CHECK(row < t.rows)) break;
        CHECK_EQ(n, t.cols);
        for (size_t c = 0; c < n && c < t.cols; c++) {
            const char *a = cell(&t, row, c), *e = fields[c];
            bool ok = (!a && !e) || (a && e && strcmp(a, e) == 0);
            if (!ok && mismatches++ < 5)
                fprintf(stderr, "  %s row %zu col %zu: expected %s, got %s\n", name, row, c,
                        e ? e : "NULL", a ? a : "NULL");
        }
        row++;
    }
    CHECK_EQ(mismatches, 0);
    CHECK_EQ(row, t.rows);
    free(line);
    fclose(fp);
    table_free(&t);
}

TEST(corpus_expect_csv)
{
    check_expect_csv("delta_binary_packed");
    check_expect_csv("delta_byte_array");
    check_expect_csv("delta_encoding_optional_column");
    check_expect_csv("delta_encoding_required_column");
}

/* ---- expected_duckdb ---- */

static void check_duckdb_expected(const char *file)
{
    char rel[512], pqpath[1024], expath[1024];
    snprintf(rel, sizeof rel, "fixtures/parquet/data/%s", file);
    snprintf(pqpath, sizeof pqpath, "%s", fixture(rel));
    snprintf(rel, sizeof rel, "fixtures/parquet/expected_duckdb/%s.expected.txt", file);
    snprintf(expath, sizeof expath, "%s", fixture(rel));
    FILE *fp = fopen(expath, "r");
    if (!CHECK(fp != NULL)) return;
    table t;
    fl_error err = {0};
    unsigned flags = FL_TEXT_BOOL_CAPITALIZED | FL_TEXT_FLOAT_AS_DOUBLE | FL_TEXT_NESTED_RAW_STRINGS;
    if (!CHECK_OK(read_table(pqpath, NULL, flags, &t, &err), &err)) {
        fclose(fp);
        return;
    }
    char *line = NULL;
    size_t cap = 0, row = 0, mismatches = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, fp)) > 0) {
        while (got && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
        if (line[0] == '#') continue;
        /* No expected file uses DuckDB's "N values hashing to X" form; fail
         * loudly rather than pass silently if one ever does. */
        if (!CHECK(strstr(line, "values hashing to") == NULL)) break;
        char *fields[256];
        size_t n = 0;
        char *p = line;
        for (;;) {
            fields[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab || n == 255) break;
            *tab = 0;
            p = tab + 1;
        }
        if (n == t.cols + 1 && fields[n - 1][0] == 0) n--;   /* the test file's trailing tab */
        if (!CHECK(row < t.rows)) break;
        if (!CHECK_EQ(n, t.cols)) break;
        for (size_t c = 0; c < n; c++) {
            const char *a = cell(&t, row, c);
            if (!a) a = "NULL";
            if (!text_match(fields[c], a) && mismatches++ < 5)
                fprintf(stderr, "  %s row %zu col %zu: expected \"%s\", got \"%s\"\n", file, row, c,
                        fields[c], a);
        }
        row++;
    }
    CHECK_EQ(mismatches, 0);
    CHECK_EQ(row, t.rows < 50 ? t.rows : 50);
    free(line);
    fclose(fp);
    table_free(&t);
}

TEST(corpus_expected_duckdb)
{
    DIR *d = opendir(fixture("fixtures/parquet/expected_duckdb"));
    if (!CHECK(d != NULL)) return;
    strlist l = {0};
    struct dirent *de;
    while ((de = readdir(d)))
        if (ends_with(de->d_name, ".expected.txt")) list_add(&l, de->d_name);
    closedir(d);
    CHECK_EQ(l.n, 22);
    for (size_t i = 0; i < l.n; i++) {
        l.v[i][strlen(l.v[i]) - strlen(".expected.txt")] = 0;
        check_duckdb_expected(l.v[i]);
    }
    list_free(&l);
}

/* ---- equal tables (PLAIN twins and other same-data files) ---- */

static void check_same_values(const char *rel_a, const char *rel_b, const int *cols_a,
                              const int *cols_b, int ncols)
{
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s", fixture(rel_a));
    snprintf(pb, sizeof pb, "%s", fixture(rel_b));
    table ta, tb;
    fl_error err = {0};
    pq_scan_opts oa = {0}, ob = {0};
    oa.columns = cols_a;
    oa.n_columns = ncols;
    ob.columns = cols_b;
    ob.n_columns = ncols;
    oa.batch_rows = 97;   /* odd batch sizes cross page boundaries */
    if (!CHECK_OK(read_table(pa, cols_a ? &oa : NULL, 0, &ta, &err), &err)) return;
    if (!CHECK_OK(read_table(pb, cols_b ? &ob : NULL, 0, &tb, &err), &err)) {
        table_free(&ta);
        return;
    }
    size_t mismatches = 0;
    if (CHECK_EQ(ta.rows, tb.rows) && CHECK_EQ(ta.cols, tb.cols)) {
        CHECK(ta.rows > 0);
        for (size_t i = 0; i < ta.rows * ta.cols; i++) {
            const char *x = ta.cells[i], *y = tb.cells[i];
            bool ok = (!x && !y) || (x && y && strcmp(x, y) == 0);
            if (!ok && mismatches++ < 3)
                fprintf(stderr, "  %s vs %s: cell %zu: %s != %s\n", rel_a, rel_b, i, x ? x : "NULL",
                        y ? y : "NULL");
        }
    }
    if (mismatches) fprintf(stderr, "  %s vs %s: %zu cells differ\n", rel_a, rel_b, mismatches);
    CHECK_EQ(mismatches, 0);
    table_free(&ta);
    table_free(&tb);
}

TEST(corpus_iceberg_plain_twins)
{
    static const char *encs[] = {"PLAIN_DICTIONARY", "RLE_DICTIONARY", "DELTA_BINARY_PACKED",
                                 "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT"};
    size_t twins = 0;
    for (size_t e = 0; e < FL_ARRAY_SIZE(encs); e++) {
        char rel[256];
        snprintf(rel, sizeof rel, "fixtures/parquet/iceberg_golden_encodings/encodings/%s", encs[e]);
        strlist l = {0};
        find_parquet(&l, fixture(rel));
        CHECK(l.n > 0);
        for (size_t i = 0; i < l.n; i++) {
            const char *base = strrchr(l.v[i], '/') + 1;
            char a[512], b[512];
            snprintf(a, sizeof a, "fixtures/parquet/iceberg_golden_encodings/encodings/%s/%s", encs[e], base);
            snprintf(b, sizeof b, "fixtures/parquet/iceberg_golden_encodings/encodings/PLAIN/%s", base);
            check_same_values(a, b, NULL, NULL, 0);
            twins++;
        }
        list_free(&l);
    }
    CHECK_EQ(twins, 30);
}

TEST(corpus_same_data_files)
{
    /* byte_stream_split_extended: each BYTE_STREAM_SPLIT column equals its PLAIN neighbour */
    for (int k = 0; k < 7; k++) {
        int a = 2 * k, b = 2 * k + 1;
        check_same_values("fixtures/parquet/data/byte_stream_split_extended.gzip.parquet",
                          "fixtures/parquet/data/byte_stream_split_extended.gzip.parquet", &a, &b, 1);
    }
    check_same_values("fixtures/parquet/data/alltypes_tiny_pages.parquet",
                      "fixtures/parquet/data/alltypes_tiny_pages_plain.parquet", NULL, NULL, 0);
    check_same_values("fixtures/parquet/data/hadoop_lz4_compressed.parquet",
                      "fixtures/parquet/data/non_hadoop_lz4_compressed.parquet", NULL, NULL, 0);
    check_same_values("fixtures/parquet/data/hadoop_lz4_compressed.parquet",
                      "fixtures/parquet/data/lz4_raw_compressed.parquet", NULL, NULL, 0);
    check_same_values("fixtures/parquet/data/hadoop_lz4_compressed_larger.parquet",
                      "fixtures/parquet/data/lz4_raw_compressed_larger.parquet", NULL, NULL, 0);
    check_same_values("fixtures/parquet/data/datapage_v1-uncompressed-checksum.parquet",
                      "fixtures/parquet/data/datapage_v1-snappy-compressed-checksum.parquet", NULL, NULL, 0);
    check_same_values("fixtures/parquet/data/data_index_bloom_encoding_stats.parquet",
                      "fixtures/parquet/data/data_index_bloom_encoding_with_length.parquet", NULL, NULL, 0);
    /* sort_columns: two row groups with the same data */
    table t;
    fl_error err = {0};
    if (CHECK_OK(read_table(fixture("fixtures/parquet/data/sort_columns.parquet"), NULL, 0, &t, &err), &err)) {
        CHECK_EQ(t.rows, 6);
        for (size_t r = 0; r < 3 && t.rows == 6; r++)
            for (size_t c = 0; c < t.cols; c++) {
                const char *x = cell(&t, r, c), *y = cell(&t, r + 3, c);
                CHECK((!x && !y) || (x && y && strcmp(x, y) == 0));
            }
        table_free(&t);
    }
}

/* ---- facts from the notes ---- */

/* Renders the whole file and compares with expected[rows][cols] (NULL = SQL NULL). */
static void check_rows(const char *rel, const char *const *expected, size_t rows, size_t cols)
{
    table t;
    fl_error err = {0};
    if (!CHECK_OK(read_table(fixture(rel), NULL, 0, &t, &err), &err)) return;
    if (CHECK_EQ(t.rows, rows) && CHECK_EQ(t.cols, cols)) {
        for (size_t i = 0; i < rows * cols; i++) {
            const char *a = t.cells[i], *e = expected[i];
            bool ok = (!a && !e) || (a && e && strcmp(a, e) == 0);
            if (!CHECK(ok))
                fprintf(stderr, "  %s cell %zu: expected %s, got %s\n", rel, i, e ? e : "NULL", a ? a : "NULL");
        }
    }
    table_free(&t);
}

TEST(corpus_note_facts_nested)
{
    static const char *old_list[] = {"[[1, 2], [3, 4]]"};
    check_rows("fixtures/parquet/data/old_list_structure.parquet", old_list, 1, 1);
    static const char *map_no_value[] = {
        "{1=NULL, 2=NULL, 3=NULL}", "[1, 2, 3]", "[1, 2, 3]",
        "{4=NULL, 5=NULL, 6=NULL}", "[4, 5, 6]", "[4, 5, 6]",
        "{7=NULL, 8=NULL, 9=NULL}", "[7, 8, 9]", "[7, 8, 9]"};
    check_rows("fixtures/parquet/data/map_no_value.parquet", map_no_value, 3, 3);
    static const char *null_list[] = {"[]"};
    check_rows("fixtures/parquet/data/null_list.parquet", null_list, 1, 1);
    static const char *incorrect_map[] = {"{parent=another, name=report}"};
    check_rows("fixtures/parquet/data/incorrect_map_schema.parquet", incorrect_map, 1, 1);
    /* REPEATED fields without LIST annotation: required lists of required elements */
    static const char *repeated_prim[] = {
        "[0, 1, 2, 3]", "[foo, zero, one, two]", "{'Int32_list_in_group': [0, 1, 2, 3], 'String_list_in_group': [foo, zero, one, two]}",
        "[]", "[three]", "{'Int32_list_in_group': [], 'String_list_in_group': [three]}",
        "[4]", "[four]", "{'Int32_list_in_group': [4], 'String_list_in_group': [four]}",
        "[5, 6, 7, 8]", "[five, six, seven, eight]", "{'Int32_list_in_group': [5, 6, 7, 8], 'String_list_in_group': [five, six, seven, eight]}"};
    check_rows("fixtures/parquet/data/repeated_primitive_no_list.parquet", repeated_prim, 4, 3);
    fl_error err = {0};
    pq_file *f = NULL;
    if (CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/repeated_primitive_no_list.parquet"), &err), &err)) {
        const pq_field *c0 = &pq_file_schema(f)->children[0];
        CHECK_EQ(c0->type.id, FL_TYPE_LIST);
        CHECK(!c0->nullable);
        CHECK(!c0->children[0].nullable);
        pq_file_free(f);
    }
}

TEST(corpus_note_facts_values)
{
    /* int96_from_spark.md */
    table t;
    fl_error err = {0};
    if (CHECK_OK(read_table(fixture("fixtures/parquet/data/int96_from_spark.parquet"), NULL, 0, &t, &err), &err)) {
        CHECK_EQ(t.types[0].id, FL_TYPE_TIMESTAMP);
        table_free(&t);
    }
    pq_file *f = NULL;
    if (CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/int96_from_spark.parquet"), &err), &err)) {
        static const int64_t micros[] = {1704141296123456, 1704070800000000, 253402225200000000,
                                         1735599600000000, 0, INT64_C(9089380393200000000)};
        pq_scan *s = NULL;
        CHECK_OK(pq_scan_new(&s, f, NULL, &err), &err);
        fl_arena *a = fl_arena_new(0);
        fl_column *c;
        size_t rows;
        if (CHECK_OK(pq_scan_next(s, a, &c, &rows, &err), &err) && CHECK_EQ(rows, 6)) {
            for (size_t i = 0; i < 6; i++) {
                if (i == 4) CHECK(!fl_column_is_valid(c, i));
                else CHECK_EQ(((int64_t *)c->data)[i], micros[i]);
            }
        }
        fl_arena_free(a);
        pq_scan_free(s);
        pq_file_free(f);
    }
    /* fixed_length_byte_array.md: 1000 values, 105 nulls, descending, 0x00000001 .. 0x000003E8 */
    if (CHECK_OK(read_table(fixture("fixtures/parquet/data/fixed_length_byte_array.parquet"), NULL, 0, &t, &err), &err)) {
        size_t nulls = 0;
        long prev = 1 << 30, mn = 1 << 30, mx = -1;
        for (size_t r = 0; r < t.rows; r++) {
            const char *v = cell(&t, r, 0);
            if (!v) {
                nulls++;
                continue;
            }
            /* rendered as \xNN escapes of 4 big-endian bytes (printable ones as is) */
            long x = 0;
            for (const char *p = v; *p;) {
                int byte;
                if (p[0] == '\\' && p[1] == 'x') {
                    byte = (int)strtol((char[]){p[2], p[3], 0}, NULL, 16);
                    p += 4;
                } else byte = (unsigned char)*p++;
                x = x * 256 + byte;
            }
            CHECK(x < prev);
            prev = x;
            mn = x < mn ? x : mn;
            mx = x > mx ? x : mx;
        }
        CHECK_EQ(t.rows, 1000);
        CHECK_EQ(nulls, 105);
        CHECK_EQ(mn, 1);
        CHECK_EQ(mx, 1000);
        table_free(&t);
    }
    /* int32_with_null_pages.md: 275 nulls, page 2 (rows 200..299) all null, min/max */
    if (CHECK_OK(read_table(fixture("fixtures/parquet/data/int32_with_null_pages.parquet"), NULL, 0, &t, &err), &err)) {
        size_t nulls = 0, page2 = 0;
        long long mn = 0, mx = 0;
        for (size_t r = 0; r < t.rows; r++) {
            const char *v = cell(&t, r, 0);
            if (!v) {
                nulls++;
                page2 += r >= 200 && r < 300;
                continue;
            }
            long long x = strtoll(v, NULL, 10);
            mn = x < mn ? x : mn;
            mx = x > mx ? x : mx;
        }
        CHECK_EQ(t.rows, 1000);
        CHECK_EQ(nulls, 275);
        CHECK_EQ(page2, 100);
        CHECK_EQ(mn, -2136906554);
        CHECK_EQ(mx, 2145722375);
        table_free(&t);
    }
    /* README: float16 files, nan_in_stats, empty v2 pages, concatenated gzip members */
    static const char *f16_nz[] = {NULL, "1.0", "-2.0", "nan", "0.0", "-1.0", "-0.0", "2.0"};
    check_rows("fixtures/parquet/data/float16_nonzeros_and_nans.parquet", f16_nz, 8, 1);
    static const char *f16_z[] = {NULL, "0.0", "nan"};
    check_rows("fixtures/parquet/data/float16_zeros_and_nans.parquet", f16_z, 3, 1);
    static const char *nan_stats[] = {"1.0", "nan"};
    check_rows("fixtures/parquet/data/nan_in_stats.parquet", nan_stats, 2, 1);
    static const char *one_null[] = {NULL};
    check_rows("fixtures/parquet/data/datapage_v2_empty_datapage.snappy.parquet", one_null, 1, 1);
    static const char *ten_null[10] = {NULL};
    check_rows("fixtures/parquet/data/page_v2_empty_compressed.parquet", ten_null, 10, 1);
    if (CHECK_OK(read_table(fixture("fixtures/parquet/data/concatenated_gzip_members.parquet"), NULL, 0, &t, &err), &err)) {
        CHECK_EQ(t.rows, 513);
        CHECK_EQ(t.types[0].id, FL_TYPE_UINT64);
        for (size_t r = 0; r < t.rows; r++) CHECK_EQ(strtoll(cell(&t, r, 0), NULL, 10), (long long)r + 1);
        table_free(&t);
    }
    static const char *unknown_lt[] = {"known string 1", "unknown string 1", "known string 2",
                                       "unknown string 2", "known string 3", "unknown string 3"};
    check_rows("fixtures/parquet/data/unknown-logical-type.parquet", unknown_lt, 3, 2);
    /* overflow_i16_page_cnt: more than 32767 pages in one chunk */
    if (CHECK_OK(read_table(fixture("fixtures/parquet/data/overflow_i16_page_cnt.parquet"), NULL, 0, &t, &err), &err)) {
        CHECK_EQ(t.rows, 40000);
        table_free(&t);
    }
}

TEST(corpus_note_facts_metadata)
{
    fl_error err = {0};
    pq_file *f = NULL;
    /* column_chunk_key_value_metadata: {"foo": "bar", "thisiskeywithoutvalue": null} */
    if (CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/column_chunk_key_value_metadata.parquet"), &err), &err)) {
        const pq_file_meta *m = pq_file_metadata(f);
        CHECK_EQ(pq_file_num_rows(f), 0);
        bool found = false;
        for (int g = 0; g < m->n_row_groups; g++)
            for (int c = 0; c < m->row_groups[g].n_columns; c++) {
                const pq_column_meta *cm = &m->row_groups[g].columns[c].meta;
                if (cm->n_kv != 2) continue;
                found = true;
                CHECK_STR(cm->kv[0].key, "foo");
                CHECK_STR(cm->kv[0].value, "bar");
                CHECK_STR(cm->kv[1].key, "thisiskeywithoutvalue");
                CHECK(cm->kv[1].value == NULL);
            }
        CHECK(found);
        pq_file_free(f);
    }
    /* binary_truncated_min_max: the README's table */
    if (CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/binary_truncated_min_max.parquet"), &err), &err)) {
        static const struct { const char *col, *min, *max; } exp[] = {
            {"utf8_full_truncation", "Al", "Kf"},
            {"binary_full_truncation", "Al", "Kf"},
            {"utf8_partial_truncation", "Al", "\xF0\x9F\x9A\x80Kevin Bacon"},
            {"binary_partial_truncation", "Al", "\xFF\xFF\x01\x02"},
            {"utf8_no_truncation", "Al", "Ke"},
            {"binary_no_truncation", "Al", "Ke"},
        };
        fl_arena *a = fl_arena_new(0);
        for (size_t i = 0; i < FL_ARRAY_SIZE(exp); i++) {
            int c = pq_file_column_index(f, exp[i].col);
            if (!CHECK(c >= 0)) continue;
            pq_chunk_stats st;
            if (!CHECK_OK(pq_chunk_stats_get(f, 0, c, &st, a, &err), &err)) continue;
            CHECK(!st.min.is_null && !st.max.is_null);
            CHECK_MEM(st.min.v.s.ptr, st.min.v.s.len, exp[i].min, strlen(exp[i].min));
            CHECK_MEM(st.max.v.s.ptr, st.max.v.s.len, exp[i].max, strlen(exp[i].max));
        }
        fl_arena_free(a);
        pq_file_free(f);
    }
    /* nan_in_stats: the NaN max is ignored, the min 1.0 kept */
    if (CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/nan_in_stats.parquet"), &err), &err)) {
        pq_chunk_stats st;
        fl_arena *a = fl_arena_new(0);
        CHECK_OK(pq_chunk_stats_get(f, 0, 0, &st, a, &err), &err);
        CHECK(st.max.is_null);
        CHECK(!st.min.is_null && st.min.v.f64 == 1.0);
        fl_arena_free(a);
        pq_file_free(f);
    }
    /* float16_zeros_and_nans: min -0, max +0 */
    if (CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/float16_zeros_and_nans.parquet"), &err), &err)) {
        pq_chunk_stats st;
        fl_arena *a = fl_arena_new(0);
        CHECK_OK(pq_chunk_stats_get(f, 0, 0, &st, a, &err), &err);
        CHECK(!st.min.is_null && st.min.v.f64 == 0 && signbit(st.min.v.f64));
        CHECK(!st.max.is_null && st.max.v.f64 == 0 && !signbit(st.max.v.f64));
        CHECK_EQ(st.null_count, 1);
        fl_arena_free(a);
        pq_file_free(f);
    }
}

/* ---- CRCs ---- */

static int scan_all(const char *rel, bool verify_crc, fl_error *err)
{
    pq_file *f = NULL;
    int rc = pq_file_open_path(&f, fixture(rel), err);
    if (rc < 0) return rc;
    pq_scan *s = NULL;
    pq_scan_opts o = {0};
    o.verify_crc = verify_crc;
    fl_arena *a = fl_arena_new(0);
    fl_column **cols = calloc(pq_file_schema(f)->n_children + 1, sizeof *cols);
    if ((rc = pq_scan_new(&s, f, &o, err)) == 0) {
        size_t rows;
        do {
            fl_arena_reset(a);
            rc = pq_scan_next(s, a, cols, &rows, err);
        } while (rc == 0 && rows);
    }
    free(cols);
    fl_arena_free(a);
    pq_scan_free(s);
    pq_file_free(f);
    return rc;
}

TEST(corpus_page_crc)
{
    fl_error err = {0};
    CHECK_OK(scan_all("fixtures/parquet/data/datapage_v1-uncompressed-checksum.parquet", true, &err), &err);
    CHECK_OK(scan_all("fixtures/parquet/data/datapage_v1-snappy-compressed-checksum.parquet", true, &err), &err);
    CHECK_OK(scan_all("fixtures/parquet/data/plain-dict-uncompressed-checksum.parquet", true, &err), &err);
    CHECK_OK(scan_all("fixtures/parquet/data/rle-dict-snappy-checksum.parquet", true, &err), &err);
    CHECK_EQ(scan_all("fixtures/parquet/data/datapage_v1-corrupt-checksum.parquet", true, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "CRC") != NULL);
    CHECK_EQ(scan_all("fixtures/parquet/data/rle-dict-uncompressed-corrupt-checksum.parquet", true, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "CRC") != NULL);
    CHECK_OK(scan_all("fixtures/parquet/data/datapage_v1-corrupt-checksum.parquet", false, &err), &err);
}

/* ---- bad_data ---- */

TEST(corpus_bad_files_fail_cleanly)
{
    /* ARROW-GH-43605 ("dictionary index page uses rle encoding but 0 as rle
     * bit-width") is readable: bit width 0 is a valid RLE encoding of
     * all-zero indices (Arrow's fix for GH-43605 reads it). We check it
     * decodes to a single repeated value that agrees with the chunk
     * statistics. Every other file must fail with an error. */
    strlist l = {0};
    find_parquet(&l, fixture("fixtures/parquet/bad_data"));
    CHECK_EQ(l.n, 8);
    for (size_t i = 0; i < l.n; i++) {
        fl_error err = {0};
        const char *rel = strstr(l.v[i], "fixtures/");
        int rc = scan_all(rel, true, &err);
        if (strstr(l.v[i], "ARROW-GH-43605")) {
            CHECK_OK(rc, &err);
            continue;
        }
        if (!CHECK(rc < 0)) fprintf(stderr, "  %s read without error\n", l.v[i]);
        else CHECK(err.message[0] != 0 && strstr(err.message, ".parquet") != NULL);
    }
    list_free(&l);
    table t;
    fl_error err = {0};
    pq_file *f = NULL;
    if (CHECK_OK(read_table(fixture("fixtures/parquet/bad_data/ARROW-GH-43605.parquet"), NULL, 0, &t, &err), &err)) {
        CHECK_EQ(t.rows, 21186);
        CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/bad_data/ARROW-GH-43605.parquet"), &err), &err);
        pq_chunk_stats st;
        fl_arena *a = fl_arena_new(0);
        if (f && CHECK_OK(pq_chunk_stats_get(f, 0, 0, &st, a, &err), &err) && !st.min.is_null && !st.max.is_null) {
            char buf[64];
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)st.min.v.u64);
            size_t nonnull = 0;
            for (size_t r = 0; r < t.rows; r++)
                if (cell(&t, r, 0)) {
                    nonnull++;
                    CHECK_STR(cell(&t, r, 0), buf);
                }
            CHECK(nonnull > 0);
            CHECK_EQ(st.min.v.u64, st.max.v.u64);
        }
        fl_arena_free(a);
        pq_file_free(f);
        table_free(&t);
    }
}

/* ---- the 2 GiB string map ---- */

TEST(corpus_large_string_map)
{
    fl_error err = {0};
    pq_file *f = NULL;
    if (!CHECK_OK(pq_file_open_path(&f, fixture("fixtures/parquet/data/large_string_map.brotli.parquet"), &err), &err))
        return;
    pq_scan *s = NULL;
    CHECK_OK(pq_scan_new(&s, f, NULL, &err), &err);
    fl_arena *a = fl_arena_new(0);
    fl_column *c = NULL;
    size_t total = 0, rows;
    for (;;) {
        fl_arena_reset(a);
        if (!CHECK_OK(pq_scan_next(s, a, &c, &rows, &err), &err) || !rows) break;
        CHECK_EQ(c->type.id, FL_TYPE_MAP);
        for (size_t r = 0; r < rows; r++) {
            CHECK_EQ(c->offsets[r + 1] - c->offsets[r], 1);
            int64_t k = c->offsets[r];
            fl_strv key = ((fl_strv *)c->children[0]->data)[k];
            CHECK_EQ(key.len, (int64_t)1 << 30);
            CHECK(key.len > 0 && key.ptr[0] == 'a' && key.ptr[key.len - 1] == 'a');
            CHECK_EQ(((int32_t *)c->children[1]->data)[k], 1);
        }
        total += rows;
    }
    CHECK_EQ(total, 2);
    fl_arena_free(a);
    pq_scan_free(s);
    pq_file_free(f);
}

/* ---- geospatial (data/geospatial/README.md, geospatial.yaml) ---- */

TEST(corpus_geospatial_facts)
{
    /* geospatial.yaml lists each row group's WKT values under its group
     * name ("- null" = NULL; continuation lines are folded with a space) */
    FILE *fp = fopen(ft_shared("fixtures/parquet/data/geospatial/geospatial.yaml"), "r");
    if (!CHECK(fp != NULL)) return;
    strlist groups = {0}, wkts = {0};
    char *line = NULL, group[128] = "";
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, fp)) > 0) {
        while (got && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
        if (line[0] == '#' || got == 0) continue;
        if (line[0] != ' ' && line[0] != '-' && line[got - 1] == ':') {
            snprintf(group, sizeof group, "%.*s", (int)got - 1, line);
        } else if (line[0] == '-' && line[1] == ' ') {
            list_add(&groups, group);
            list_add(&wkts, line + 2);
        } else if (line[0] == ' ' && wkts.n) {
            char *prev = wkts.v[wkts.n - 1], *p = line;
            while (*p == ' ') p++;
            size_t n = strlen(prev) + strlen(p) + 2;
            char *joined = malloc(n);
            snprintf(joined, n, "%s %s", prev, p);
            free(prev);
            wkts.v[wkts.n - 1] = joined;
        }
    }
    free(line);
    fclose(fp);
    CHECK_EQ(wkts.n, 196);
    table t;
    fl_error err = {0};
    if (CHECK_OK(read_table(ft_shared("fixtures/parquet/data/geospatial/geospatial.parquet"), NULL, 0, &t, &err), &err)) {
        CHECK_EQ(t.types[2].id, FL_TYPE_BINARY);
        size_t bad = 0;
        if (CHECK_EQ(t.rows, wkts.n)) {
            for (size_t r = 0; r < t.rows; r++) {
                const char *g = cell(&t, r, 0), *w = cell(&t, r, 1);
                bool null_expected = strcmp(wkts.v[r], "null") == 0;
                bool ok = g && strcmp(g, groups.v[r]) == 0 &&
                          (null_expected ? (w == NULL && cell(&t, r, 2) == NULL) : (w && strcmp(w, wkts.v[r]) == 0));
                if (!ok && bad++ < 3)
                    fprintf(stderr, "  row %zu: expected %s / %s, got %s / %s\n", r, groups.v[r], wkts.v[r],
                            g ? g : "NULL", w ? w : "NULL");
            }
            /* POINT (30 10) as little-endian WKB: 01, type 1, x 30.0, y 10.0 */
            CHECK_STR(cell(&t, 0, 2), "\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00>@\\x00\\x00\\x00\\x00\\x00\\x00$@");
        }
        CHECK_EQ(bad, 0);
        table_free(&t);
    }
    list_free(&groups);
    list_free(&wkts);
    /* geography-points: 500 points in row groups of 10 rows */
    pq_file *f = NULL;
    if (CHECK_OK(pq_file_open_path(&f, ft_shared("fixtures/parquet/data/geospatial/geography-points.parquet"), &err), &err)) {
        CHECK_EQ(pq_file_num_rows(f), 500);
        CHECK_EQ(pq_file_num_row_groups(f), 50);
        for (int g = 0; g < pq_file_num_row_groups(f); g++) CHECK_EQ(pq_file_metadata(f)->row_groups[g].num_rows, 10);
        pq_file_free(f);
    }
    /* crs-projjson: the CRS's PROJJSON is in the key-value metadata */
    if (CHECK_OK(pq_file_open_path(&f, ft_shared("fixtures/parquet/data/geospatial/crs-projjson.parquet"), &err), &err)) {
        const pq_file_meta *m = pq_file_metadata(f);
        bool found = false;
        for (int i = 0; i < m->n_kv; i++)
            if (strcmp(m->kv[i].key, "projjson_epsg_5070") == 0)
                found = m->kv[i].value && strstr(m->kv[i].value, "5070") != NULL;
        CHECK(found);
        pq_file_free(f);
    }
}

/* byte_stream_split.zstd: 300 standard normals per column (numpy seed 0) */
TEST(corpus_byte_stream_split_normals)
{
    fl_error err = {0};
    pq_file *f = NULL;
    if (!CHECK_OK(pq_file_open_path(&f, ft_shared("fixtures/parquet/data/byte_stream_split.zstd.parquet"), &err), &err))
        return;
    pq_scan *s = NULL;
    CHECK_OK(pq_scan_new(&s, f, NULL, &err), &err);
    fl_arena *a = fl_arena_new(0);
    fl_column *cols[2];
    size_t rows;
    double sum[2] = {0}, sq[2] = {0};
    size_t n = 0;
    while (CHECK_OK(pq_scan_next(s, a, cols, &rows, &err), &err) && rows) {
        /* numpy.random.seed(0): normal(size=300)[0] = 1.764052345967664 */
        if (n == 0) CHECK(fabs(((float *)cols[0]->data)[0] - 1.764052345967664) < 1e-6);
        for (size_t i = 0; i < rows; i++) {
            double x = ((float *)cols[0]->data)[i], y = ((double *)cols[1]->data)[i];
            sum[0] += x;
            sq[0] += x * x;
            sum[1] += y;
            sq[1] += y * y;
        }
        n += rows;
    }
    CHECK_EQ(n, 300);
    for (int c = 0; c < 2; c++) {
        double mean = sum[c] / 300, sd = sqrt(sq[c] / 300 - mean * mean);
        CHECK(fabs(mean) < 0.2);
        CHECK(sd > 0.8 && sd < 1.2);
    }
    fl_arena_free(a);
    pq_scan_free(s);
    pq_file_free(f);
}
