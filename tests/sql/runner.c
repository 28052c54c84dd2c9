/*
 * runner.c: floe-sqltest, the sqllogictest runner: executes .test files in
 * DuckDB's format through the public API (include/floe.h) and reports every
 * mismatch with its file and line.
 *
 * Format (one record per blank-line-separated block; '#' lines are
 * comments):
 *
 *   statement ok              the SQL must succeed
 *   statement error           the SQL must fail; an optional "----" line
 *   <sql>                     followed by text the error message must contain
 *
 *   query <types> [rowsort|valuesort|nosort]
 *   <sql>
 *   ----
 *   <expected rows: values separated by tabs (or, for one column, one per line)>
 *
 *   mode skip / mode unskip   skip records in between
 *   halt                      stop the file here
 *   require <x>               accepted and ignored (floe has everything built in)
 *
 * Types are one letter per column: I integer, R real/decimal, T text, B
 * boolean, D date/time; the count must equal the result's column count.
 * Values print in DuckDB's text style, NULL as "NULL", the empty string as
 * "(empty)". R values compare numerically with a relative tolerance of 1e-9
 * (1e-6 when the file sets "tolerance <x>" to change it), so 0.1 + 0.2 and
 * 0.3 agree; anything else compares as text.
 *
 * Substitutions in SQL and expected text: __TEST_DIR__ is a fresh temporary
 * directory per file, __SHARED__ the shared data folder ($FLOE_SHARED, else
 * ../shared next to the repository, else /work/shared). Each file runs
 * against its own new warehouse in __TEST_DIR__/warehouse.
 *
 * Usage: floe-sqltest [-v] PATH...   (files, or directories searched for
 * *.test; *.test_slow only when named or with --slow). Prints one line per
 * file and a final "N passed, N failed"; exit status 1 if any failed.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "floe.h"

typedef struct strlist {
    char **items;
    size_t len, cap;
} strlist;

static void strlist_push(strlist *l, char *s)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = realloc(l->items, l->cap * sizeof(char *));
        if (!l->items) {
            perror("floe-sqltest");
            exit(2);
        }
    }
    l->items[l->len++] = s;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->len; i++) free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort of a list that may be empty (items NULL: qsort must not see it) */
static void sort_list(strlist *l)
{
    if (l->len > 1) qsort(l->items, l->len, sizeof(char *), cmp_str);
}

static bool g_verbose;
static bool g_slow;
static char g_shared[4096];

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) {
        perror("floe-sqltest");
        exit(2);
    }
    return p;
}

/* Replaces every occurrence of `from` in s by `to`; returns a new string. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t from_len = strlen(from), to_len = strlen(to), n = 0;
    for (const char *p = strstr(s, from); p; p = strstr(p + from_len, from)) n++;
    size_t len = strlen(s) + n * (to_len > from_len ? to_len - from_len : 0) + 1;
    char *out = malloc(len), *w = out;
    if (!out) {
        perror("floe-sqltest");
        exit(2);
    }
    const char *p = s;
    for (const char *q = strstr(p, from); q; q = strstr(p, from)) {
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        memcpy(w, to, to_len);
        w += to_len;
        p = q + from_len;
    }
    strcpy(w, p);
    return out;
}

static char *substitute(const char *s, const char *test_dir)
{
    char *a = replace_all(s, "__TEST_DIR__", test_dir);
    char *b = replace_all(a, "__SHARED__", g_shared);
    free(a);
    return b;
}

static void find_shared(void)
{
    const char *env = getenv("FLOE_SHARED");
    struct stat st;
    if (env && *env) snprintf(g_shared, sizeof g_shared, "%s", env);
    else if (stat("../shared/tpcds", &st) == 0) {
        char *abs = realpath("../shared", NULL);
        snprintf(g_shared, sizeof g_shared, "%s", abs ? abs : "../shared");
        free(abs);
    } else snprintf(g_shared, sizeof g_shared, "/work/shared");
}

/* ---- reading a file into records ---- */

typedef struct lines {
    char **v;
    size_t n;
} lines;

static int read_lines(const char *path, lines *out)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    strlist l = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        strlist_push(&l, xstrdup(line));
    }
    free(line);
    fclose(f);
    out->v = l.items;
    out->n = l.len;
    return 0;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return false;
    return true;
}

/* ---- comparing results ---- */

static double g_tolerance = 1e-9;

static bool numeric_equal(const char *a, const char *b)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (ea == a || eb == b || *ea || *eb) return false;
    if (x == y) return true;
    double scale = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
    return fabs(x - y) <= g_tolerance * (scale > 1 ? scale : 1);
}

static bool value_equal(const char *got, const char *want, char type)
{
    if (!strcmp(got, want)) return true;
    if (type == 'R' || type == 'I') return numeric_equal(got, want);
    return false;
}

typedef struct file_ctx {
    const char *path;
    const char *test_dir;
    floe_db *db;
    floe_conn *conn;
    int failures;
    int records;
} file_ctx;

static void fail_at(file_ctx *fc, size_t line_no, const char *sql, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(file_ctx *fc, size_t line_no, const char *sql, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%zu: ", fc->path, line_no);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n    %s\n", sql);
    fc->failures++;
}

static char *render_value(floe_result *r, size_t col)
{
    const char *t = floe_result_get_text(r, col);
    if (!t) return xstrdup("NULL");
    if (!*t) return xstrdup("(empty)");
    return xstrdup(t);
}

static void run_statement(file_ctx *fc, size_t line_no, const char *sql, bool expect_ok,
                          const char *expect_error)
{
    floe_result *res = NULL;
    int rc = floe_query(fc->conn, sql, &res);
    if (res) floe_result_free(res);
    if (expect_ok && rc < 0) {
        fail_at(fc, line_no, sql, "statement failed: %s (SQLSTATE %s)", floe_conn_error(fc->conn),
                floe_conn_sqlstate(fc->conn));
    } else if (!expect_ok && rc >= 0) {
        fail_at(fc, line_no, sql, "statement succeeded but an error was expected");
    } else if (!expect_ok && expect_error && *expect_error &&
               !strstr(floe_conn_error(fc->conn), expect_error)) {
        fail_at(fc, line_no, sql, "error \"%s\" does not contain \"%s\"", floe_conn_error(fc->conn),
                expect_error);
    }
}

static void run_query(file_ctx *fc, size_t line_no, const char *sql, const char *types,
                      const char *sort, strlist *expected)
{
    floe_result *res = NULL;
    int rc = floe_query(fc->conn, sql, &res);
    if (rc < 0 || !res) {
        fail_at(fc, line_no, sql, "query failed: %s (SQLSTATE %s)", floe_conn_error(fc->conn),
                floe_conn_sqlstate(fc->conn));
        if (res) floe_result_free(res);
        return;
    }
    size_t cols = floe_result_column_count(res);
    size_t ntypes = strlen(types);
    if (cols != ntypes) {
        fail_at(fc, line_no, sql, "query has %zu columns, the test declares %zu (%s)", cols, ntypes,
                types);
        floe_result_free(res);
        return;
    }
    /* rows as tab-joined lines; also the flat list of values for valuesort */
    strlist rows = {0}, values = {0};
    while ((rc = floe_result_next(res)) > 0) {
        size_t len = 0;
        char **vals = malloc(cols * sizeof(char *));
        for (size_t c = 0; c < cols; c++) {
            vals[c] = render_value(res, c);
            len += strlen(vals[c]) + 1;
        }
        char *row = malloc(len + 1), *w = row;
        for (size_t c = 0; c < cols; c++) {
            size_t l = strlen(vals[c]);
            memcpy(w, vals[c], l);
            w += l;
            if (c + 1 < cols) *w++ = '\t';
            strlist_push(&values, vals[c]);
        }
        *w = 0;
        strlist_push(&rows, row);
        free(vals);
    }
    if (rc < 0) {
        fail_at(fc, line_no, sql, "reading the result failed: %s", floe_conn_error(fc->conn));
        goto done;
    }
    /* expected lines: a line holds a row (tab separated), or one value per
     * line when the row count times columns matches that */
    strlist want = {0};
    bool value_lines = false;
    if (cols > 1 && expected->len == rows.len * cols && expected->len > 0) {
        bool any_tab = false;
        for (size_t i = 0; i < expected->len; i++)
            if (strchr(expected->items[i], '\t')) any_tab = true;
        value_lines = !any_tab;
    }
    if (!strcmp(sort, "valuesort") || value_lines) {
        strlist *got = &values;
        for (size_t i = 0; i < expected->len; i++) strlist_push(&want, xstrdup(expected->items[i]));
        if (!strcmp(sort, "valuesort") || !strcmp(sort, "rowsort")) {
            sort_list(got);
            sort_list(&want);
        }
        if (got->len != want.len) {
            fail_at(fc, line_no, sql, "expected %zu values, got %zu", want.len, got->len);
        } else {
            for (size_t i = 0; i < got->len; i++) {
                if (!value_equal(got->items[i], want.items[i], types[i % cols])) {
                    fail_at(fc, line_no, sql, "value %zu: expected \"%s\", got \"%s\"", i + 1,
                            want.items[i], got->items[i]);
                    break;
                }
            }
        }
    } else {
        for (size_t i = 0; i < expected->len; i++) strlist_push(&want, xstrdup(expected->items[i]));
        if (!strcmp(sort, "rowsort")) {
            sort_list(&rows);
            sort_list(&want);
        }
        if (rows.len != want.len) {
            fail_at(fc, line_no, sql, "expected %zu rows, got %zu%s%s", want.len, rows.len,
                    rows.len ? "; first: " : "", rows.len ? rows.items[0] : "");
        } else {
            for (size_t i = 0; i < rows.len; i++) {
                /* compare field by field */
                char *g = rows.items[i], *e = want.items[i];
                bool ok = true;
                for (size_t c = 0; c < cols && ok; c++) {
                    char *gt = strchr(g, '\t'), *et = strchr(e, '\t');
                    if (gt) *gt = 0;
                    if (et) *et = 0;
                    ok = value_equal(g, e, types[c]);
                    if (gt) *gt = '\t';
                    if (et) *et = '\t';
                    if (!ok) break;
                    if ((gt == NULL) != (et == NULL)) ok = false;
                    g = gt ? gt + 1 : g + strlen(g);
                    e = et ? et + 1 : e + strlen(e);
                }
                if (!ok) {
                    fail_at(fc, line_no, sql, "row %zu: expected \"%s\", got \"%s\"", i + 1,
                            want.items[i], rows.items[i]);
                    break;
                }
            }
        }
    }
    /* values strings are owned by the rows' vals arrays: free via values list */
    strlist_free(&want);
done:
    strlist_free(&rows);
    strlist_free(&values);
    floe_result_free(res);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

/* Runs one .test file; returns the number of failed records (or 1 if the
 * file could not run at all). */
static int run_file(const char *path)
{
    lines ls;
    if (read_lines(path, &ls) < 0) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        return 1;
    }
    char tmpl[] = "/tmp/floe-sqltest-XXXXXX";
    char *test_dir = mkdtemp(tmpl);
    if (!test_dir) {
        perror("mkdtemp");
        return 1;
    }
    char wh[4200];
    snprintf(wh, sizeof wh, "%s/warehouse", test_dir);
    file_ctx fc = {.path = path, .test_dir = test_dir};
    floe_db_options opts = {.warehouse = wh};
    char errbuf[512] = "";
    if (floe_db_open(&fc.db, &opts, errbuf, sizeof errbuf) < 0) {
        fprintf(stderr, "%s: cannot open a warehouse: %s\n", path, errbuf);
        return 1;
    }
    if (floe_conn_open(&fc.conn, fc.db) < 0) {
        fprintf(stderr, "%s: cannot connect\n", path);
        floe_db_close(fc.db);
        return 1;
    }
    g_tolerance = 1e-9;
    bool skipping = false;
    size_t i = 0;
    while (i < ls.n) {
        char *line = ls.v[i];
        if (is_blank(line) || line[0] == '#') {
            i++;
            continue;
        }
        size_t rec_line = i + 1;
        if (!strncmp(line, "mode ", 5)) {
            if (!strcmp(line + 5, "skip")) skipping = true;
            else if (!strcmp(line + 5, "unskip")) skipping = false;
            i++;
            continue;
        }
        if (!strcmp(line, "halt")) break;
        if (!strncmp(line, "require", 7) || !strncmp(line, "load", 4)) {
            i++;
            continue;
        }
        if (!strncmp(line, "tolerance ", 10)) {
            g_tolerance = strtod(line + 10, NULL);
            i++;
            continue;
        }
        bool is_stmt = !strncmp(line, "statement ", 10);
        bool is_query = !strncmp(line, "query ", 6);
        if (!is_stmt && !is_query) {
            fprintf(stderr, "%s:%zu: unknown record \"%s\"\n", path, rec_line, line);
            fc.failures++;
            while (i < ls.n && !is_blank(ls.v[i])) i++;
            continue;
        }
        /* header words */
        char header[256];
        snprintf(header, sizeof header, "%s", line);
        char *words[4] = {0};
        int nw = 0;
        for (char *tok = header; *tok && nw < 4;) {
            while (*tok == ' ') tok++;
            if (!*tok) break;
            words[nw++] = tok;
            while (*tok && *tok != ' ') tok++;
            if (*tok) *tok++ = 0;
        }
        i++;
        /* SQL lines up to "----" or a blank line */
        size_t sql_len = 0, j = i;
        while (j < ls.n && !is_blank(ls.v[j]) && strcmp(ls.v[j], "----")) sql_len += strlen(ls.v[j++]) + 1;
        char *sql = malloc(sql_len + 1), *w = sql;
        for (size_t k = i; k < j; k++) {
            size_t l = strlen(ls.v[k]);
            memcpy(w, ls.v[k], l);
            w += l;
            *w++ = '\n';
        }
        *w = 0;
        i = j;
        strlist expected = {0};
        if (i < ls.n && !strcmp(ls.v[i], "----")) {
            i++;
            while (i < ls.n && !is_blank(ls.v[i])) {
                strlist_push(&expected, substitute(ls.v[i], test_dir));
                i++;
            }
            /* a query's expected block may contain blank-free lines only;
             * a statement error's message is its first line */
        }
        if (!skipping) {
            char *s = substitute(sql, test_dir);
            fc.records++;
            if (is_stmt) {
                bool ok = words[1] && !strcmp(words[1], "ok");
                if (!ok && !(words[1] && !strcmp(words[1], "error"))) {
                    fprintf(stderr, "%s:%zu: statement must be ok or error\n", path, rec_line);
                    fc.failures++;
                } else {
                    run_statement(&fc, rec_line, s, ok, expected.len ? expected.items[0] : NULL);
                }
            } else {
                const char *types = words[1] ? words[1] : "";
                const char *sort = words[2] ? words[2] : "nosort";
                run_query(&fc, rec_line, s, types, sort, &expected);
            }
            free(s);
        }
        free(sql);
        strlist_free(&expected);
    }
    floe_conn_close(fc.conn);
    floe_db_close(fc.db);
    nftw(test_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    for (size_t k = 0; k < ls.n; k++) free(ls.v[k]);
    free(ls.v);
    if (g_verbose || fc.failures)
        printf("%s %s (%d records, %d failed)\n", fc.failures ? "FAIL" : "ok  ", path, fc.records,
               fc.failures);
    return fc.failures ? 1 : 0;
}

static void collect(const char *path, strlist *files, bool named)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "floe-sqltest: %s: %s\n", path, strerror(errno));
        strlist_push(files, xstrdup(path));   /* reported as a failure */
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            collect(sub, files, false);
        }
        closedir(d);
        return;
    }
    size_t len = strlen(path);
    bool test = len > 5 && !strcmp(path + len - 5, ".test");
    bool slow = len > 10 && !strcmp(path + len - 10, ".test_slow");
    if (named || test || (slow && g_slow)) strlist_push(files, xstrdup(path));
}

int main(int argc, char **argv)
{
    strlist files = {0};
    find_shared();
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-v")) g_verbose = true;
        else if (!strcmp(argv[a], "--slow")) g_slow = true;
    }
    for (int a = 1; a < argc; a++)
        if (argv[a][0] != '-') collect(argv[a], &files, true);
    if (!files.len) {
        fprintf(stderr, "usage: floe-sqltest [-v] [--slow] PATH...\n");
        return 2;
    }
    sort_list(&files);
    int passed = 0, failed = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < files.len; i++) {
        if (run_file(files.items[i])) failed++;
        else passed++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("sqllogictest: %d passed, %d failed (%zu files, %.1f s)\n", passed, failed, files.len,
           secs);
    strlist_free(&files);
    return failed ? 1 : 0;
}
