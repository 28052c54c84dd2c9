/*
 * cmd_demo.c: `floe demo [--scale SF] [--warehouse DIR] [--threads N]`,
 * floe's main job end to end: the TPC-DS lakehouse pipeline of
 * examples/tpcds-lakehouse on a fresh warehouse.
 *
 *   0. raw zone      `floe datagen tpcds` into <warehouse>/raw/<table>/
 *   1. raw tables    01_raw_zone.sql (external tables over the files)
 *   2. transformed   02_transformed_zone.sql (partitioned Iceberg tables
 *                    loaded with INSERT ... SELECT)
 *   3. business      03_business_zone.sql (CTAS aggregates)
 *   4. reports       04_reports.sql (web-channel TPC-DS queries), printed
 *
 * Each statement prints one line: what it did, rows, data files and the
 * snapshot it committed (read from the table's current snapshot summary),
 * and seconds. Statements run through the public API (include/floe.h);
 * the snapshot facts come from the Iceberg layer, as `floe iceberg info`
 * reads them. The scripts are found in $FLOE_EXAMPLES, else
 * examples/tpcds-lakehouse next to the binary's repository (../../examples
 * from build/floe), else ./examples/tpcds-lakehouse.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/threads.h"
#include "../catalog/catalog.h"
#include "../datagen/datagen.h"
#include "../iceberg/ice_metadata.h"
#include "../iceberg/ice_table.h"
#include "../io/io.h"
#include "cli.h"
#include "shell.h"

static const char demo_usage[] =
    "usage: floe demo [--scale SF] [--warehouse DIR] [--threads N]\n"
    "\n"
    "Runs the TPC-DS lakehouse pipeline (examples/tpcds-lakehouse) end to end:\n"
    "generates TPC-DS data at scale SF (default 0.01) into a fresh warehouse's raw\n"
    "zone, declares external tables over it, loads the partitioned Iceberg tables of\n"
    "the transformed zone, builds the business zone, and prints the reports.\n"
    "The warehouse (default: a new directory under /tmp) is kept for exploring:\n"
    "  floe --warehouse DIR\n";

/* The tables the pipeline reads from the raw zone. */
static const char *const raw_tables[] = {
    "customer", "customer_address", "customer_demographics", "date_dim",
    "household_demographics", "income_band", "item", "promotion", "reason", "ship_mode",
    "time_dim", "warehouse", "web_page", "web_returns", "web_sales", "web_site",
};

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0777) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static bool find_examples(char *out, size_t cap)
{
    const char *env = getenv("FLOE_EXAMPLES");
    struct stat st;
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return stat(out, &st) == 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        /* build/floe and build/<x>/floe */
        const char *ups[] = {"/../examples/tpcds-lakehouse", "/../../examples/tpcds-lakehouse"};
        for (size_t i = 0; i < 2; i++) {
            if (snprintf(out, cap, "%s%s", exe, ups[i]) >= (int)cap) continue;
            if (stat(out, &st) == 0) return true;
        }
    }
    snprintf(out, cap, "examples/tpcds-lakehouse");
    return stat(out, &st) == 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct demo {
    floe_db *db;
    floe_conn *conn;
    cat_catalog *cat;
    io_fs *fs;
    char warehouse[PATH_MAX];
} demo;

static const char *summary_get(const ice_snapshot *s, const char *key)
{
    for (size_t i = 0; i < s->summary_count; i++)
        if (!strcmp(s->summary[i].key, key)) return s->summary[i].value;
    return "?";
}

/* Prints the facts of ns.name's current snapshot: total records and data
 * files (from its summary) and its id. false when unavailable. */
static bool print_snapshot(demo *d, const char *ns, const char *name, double secs)
{
    ice_table *t = NULL;
    fl_error err;
    if (ice_table_load(&t, d->cat, d->fs, ns, name, &err) < 0) return false;
    const ice_snapshot *s = t->md ? ice_metadata_current_snapshot(t->md) : NULL;
    if (s) {
        char label[520];
        snprintf(label, sizeof label, "%s.%s", ns, name);
        printf("   %-36s %10s rows %5s files  snapshot %-20lld %7.2f s\n", label,
               summary_get(s, "total-records"), summary_get(s, "total-data-files"),
               (long long)s->snapshot_id, secs);
    }
    ice_table_free(t);
    return s != NULL;
}

/* "INSERT INTO transformed.item ..." / "CREATE TABLE business.x ... AS"
 * -> the target table's ns and name. */
static bool target_of(const char *stmt, char *ns, char *name, size_t cap, bool *is_load)
{
    const char *p = stmt;
    while (*p == ' ' || *p == '\n' || *p == '\t') p++;
    *is_load = false;
    const char *kw[] = {"INSERT INTO ", "CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ",
                        "CREATE EXTERNAL TABLE IF NOT EXISTS ", "CREATE EXTERNAL TABLE "};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
        size_t l = strlen(kw[i]);
        if (strncasecmp(p, kw[i], l)) continue;
        p += l;
        const char *dot = strchr(p, '.');
        if (!dot) return false;
        size_t nl = (size_t)(dot - p), tl = strcspn(dot + 1, " \n\t(");
        if (nl >= cap || tl >= cap) return false;
        memcpy(ns, p, nl);
        ns[nl] = 0;
        memcpy(name, dot + 1, tl);
        name[tl] = 0;
        *is_load = i == 0 || (i <= 2 && strstr(p, " AS") && strstr(p, "SELECT"));
        return true;
    }
    return false;
}

static int run_script(demo *d, const char *dir, const char *file, bool print_results)
{
    char path[PATH_MAX + 64];
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path) return -1;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "floe demo: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    fl_buf text;
    fl_buf_init(&text);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) fl_buf_append(&text, chunk, n);
    fclose(f);
    const char *s = fl_buf_cstr(&text);
    size_t len = text.len, pos = 0;
    int rc = 0, report = 0;
    shell_output out = {.mode = SHELL_BOX, .header = true, .max_rows = 20, .interactive = true};
    while (pos < len && rc == 0) {
        size_t end = shell_split_next(s + pos, len - pos);
        size_t stmt_len = end ? end : len - pos;
        if (shell_is_blank(s + pos, stmt_len)) {
            pos += stmt_len;
            continue;
        }
        char *stmt = strndup(s + pos, stmt_len);
        pos += stmt_len;
        /* skip leading comment lines for the label */
        const char *body = stmt;
        while (*body) {
            while (*body == ' ' || *body == '\n' || *body == '\t') body++;
            if (body[0] == '-' && body[1] == '-') {
                const char *nl = strchr(body, '\n');
                body = nl ? nl + 1 : body + strlen(body);
            } else break;
        }
        double t0 = now_s();
        floe_result *res = NULL;
        if (floe_query(d->conn, stmt, &res) < 0) {
            fprintf(stderr, "floe demo: %s failed: %s\n", file, floe_conn_error(d->conn));
            free(stmt);
            rc = -1;
            break;
        }
        double secs = now_s() - t0;
        char ns[256], name[256];
        bool is_load;
        if (print_results && res && floe_result_column_count(res) > 0) {
            printf("\n-- report %d (%.2f s)\n", ++report, secs);
            shell_render(stdout, res, &out);
        } else if (target_of(body, ns, name, sizeof ns, &is_load)) {
            if (!is_load || !print_snapshot(d, ns, name, secs)) {
                char label[520];
                snprintf(label, sizeof label, "%s.%s", ns, name);
                if (!is_load) printf("   %-36s %-41s %7.2f s\n", label, "declared", secs);
            }
        }
        if (res) floe_result_free(res);
        free(stmt);
    }
    fl_buf_dispose(&text);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    double scale = 0.01;
    int threads = 0;
    const char *wh_arg = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(demo_usage, stdout);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--scale") && v) {
            char *end;
            scale = strtod(v, &end);
            if (*end || !(scale > 0) || scale > 100)
                return cli_usage_error(demo_usage, "invalid scale factor \"%s\"", v);
            i++;
        } else if (!strcmp(argv[i], "--warehouse") && v) {
            wh_arg = v;
            i++;
        } else if (!strcmp(argv[i], "--threads") && v) {
            long long n;
            if (!cli_parse_int(v, 1, 1024, &n))
                return cli_usage_error(demo_usage, "invalid thread count \"%s\"", v);
            threads = (int)n;
            i++;
        } else {
            return cli_usage_error(demo_usage, "unknown option \"%s\"", argv[i]);
        }
    }
    char examples[PATH_MAX];
    if (!find_examples(examples, sizeof examples)) {
        fprintf(stderr, "floe demo: examples/tpcds-lakehouse not found (set FLOE_EXAMPLES)\n");
        return CLI_FAILED;
    }
    demo d = {0};
    if (wh_arg) {
        struct stat st;
        if (stat(wh_arg, &st) == 0) {
            fprintf(stderr, "floe demo: %s exists; the demo needs a fresh warehouse\n", wh_arg);
            return CLI_FAILED;
        }
        snprintf(d.warehouse, sizeof d.warehouse, "%s", wh_arg);
    } else {
        snprintf(d.warehouse, sizeof d.warehouse, "/tmp/floe-demo-XXXXXX");
        if (!mkdtemp(d.warehouse)) {
            perror("floe demo");
            return CLI_FAILED;
        }
    }
    if (mkdir_p(d.warehouse) < 0) {
        fprintf(stderr, "floe demo: cannot create %s: %s\n", d.warehouse, strerror(errno));
        return CLI_FAILED;
    }
    char *abs = realpath(d.warehouse, NULL);
    if (abs) {
        snprintf(d.warehouse, sizeof d.warehouse, "%s", abs);
        free(abs);
    }
    printf("floe demo: TPC-DS lakehouse pipeline at scale %g in %s\n", scale, d.warehouse);

    /* 0. raw zone */
    double t0 = now_s();
    fl_error err;
    fl_pool *pool = NULL;
    if (fl_pool_new(&pool, threads ? threads : fl_cpu_count()) < 0) pool = NULL;
    dg_opts gopts = {.scale = scale, .seed = 19620718, .pool = pool};
    int64_t rows[DG_N_TABLES] = {0}, total_rows = 0;
    for (size_t i = 0; i < sizeof raw_tables / sizeof raw_tables[0]; i++) {
        int t = dg_table_lookup(raw_tables[i]);
        char dir[PATH_MAX + 64];
        snprintf(dir, sizeof dir, "%s/raw/%s", d.warehouse, raw_tables[i]);
        bool want[DG_N_TABLES] = {false};
        int64_t got[DG_N_TABLES] = {0};
        want[t] = true;
        if (t < 0 || mkdir_p(dir) < 0 || dg_write_tables(&gopts, want, DG_FORMAT_DAT, dir, got, &err) < 0) {
            fl_pool_free(pool);
            return t < 0 ? CLI_FAILED : cli_fail(&err);
        }
        rows[t] = got[t];
        total_rows += got[t];
    }
    fl_pool_free(pool);
    printf("0. raw zone: %zu tables, %lld rows of pipe-delimited text (web_sales %lld)  %.2f s\n",
           sizeof raw_tables / sizeof raw_tables[0], (long long)total_rows,
           (long long)rows[DG_WEB_SALES], now_s() - t0);

    floe_db_options opts = {.warehouse = d.warehouse, .threads = threads};
    char errbuf[512] = "";
    if (floe_db_open(&d.db, &opts, errbuf, sizeof errbuf) < 0) {
        fprintf(stderr, "floe demo: %s\n", errbuf);
        return CLI_FAILED;
    }
    int rc = floe_conn_open(&d.conn, d.db);
    char uri[PATH_MAX + 64];
    snprintf(uri, sizeof uri, "sqlite:%s/catalog.db", d.warehouse);
    if (rc >= 0) rc = cat_open(&d.cat, uri, NULL, &err);
    if (rc >= 0 && !(d.fs = io_local_new())) rc = FLOE_ENOMEM;
    static const struct { const char *file, *title; bool print; } steps[] = {
        {"01_raw_zone.sql", "1. raw zone: external tables", false},
        {"02_transformed_zone.sql", "2. transformed zone: partitioned Iceberg tables", false},
        {"03_business_zone.sql", "3. business zone: CTAS aggregates", false},
        {"04_reports.sql", "4. reports: TPC-DS web-channel queries", true},
    };
    for (size_t i = 0; rc >= 0 && i < sizeof steps / sizeof steps[0]; i++) {
        double s0 = now_s();
        printf("%s\n", steps[i].title);
        rc = run_script(&d, examples, steps[i].file, steps[i].print);
        if (rc >= 0) printf("   (%.2f s)\n", now_s() - s0);
    }
    if (rc >= 0) printf("\nfloe demo: done in %.1f s; explore with: floe --warehouse %s\n", now_s() - t0,
                        d.warehouse);
    if (d.fs) io_fs_free(d.fs);
    cat_free(d.cat);
    floe_conn_close(d.conn);
    floe_db_close(d.db);
    return rc < 0 ? CLI_FAILED : CLI_OK;
}
