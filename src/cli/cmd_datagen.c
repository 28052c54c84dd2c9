/*
 * cmd_datagen.c: `floe datagen tpcds`: generates the TPC-DS tables at a
 * scale factor into a directory (src/datagen), as dsdgen's pipe-delimited
 * .dat files, CSV with a header, or Parquet. A progress bar goes to stderr
 * when stderr is a terminal; a summary (tables, rows, seconds, rows/s) is
 * printed on stderr at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../base/threads.h"
#include "../datagen/datagen.h"

int cmd_datagen(int argc, char **argv);

static const char datagen_usage[] =
    "usage: floe datagen tpcds --scale SF --out DIR [options]\n"
    "\n"
    "Generates the 24 TPC-DS tables (dsdgen-like data) into DIR/<table>.<ext>.\n"
    "\n"
    "options:\n"
    "  --scale SF           scale factor, e.g. 0.01, 0.1, 1, 10, 100\n"
    "  --out DIR            output directory (created if missing)\n"
    "  --tables a,b,...     only these tables (default: all 24)\n"
    "  --format dat|csv|parquet\n"
    "                       dsdgen's pipe-delimited text (default), CSV with a\n"
    "                       header, or Parquet with the schema's types\n"
    "  --threads N          generator threads (default: all CPUs)\n"
    "  --seed S             seed (default 1); the output depends only on it\n";

typedef struct progress_state {
    bool tty;
    const char *table;
    int last_pct;
} progress_state;

static void progress(void *arg, int table, int64_t done, int64_t total)
{
    progress_state *ps = arg;
    if (!ps->tty) return;
    int pct = total ? (int)(done * 100 / total) : 100;
    if (ps->table == dg_tables[table].name && pct == ps->last_pct) return;
    ps->table = dg_tables[table].name;
    ps->last_pct = pct;
    char bar[41];
    int fill = pct * 40 / 100;
    for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
    bar[40] = 0;
    fprintf(stderr, "\r%-24s [%s] %3d%%", ps->table, bar, pct);
    if (done >= total) fputc('\n', stderr);
    fflush(stderr);
}

static int parse_tables(const char *list, bool want[DG_N_TABLES])
{
    char name[64];
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= sizeof(name))
            return cli_usage_error(datagen_usage, "bad table list \"%s\"", list);
        memcpy(name, p, len);
        name[len] = 0;
        int t = dg_table_lookup(name);
        if (t < 0) return cli_usage_error(datagen_usage, "unknown TPC-DS table \"%s\"", name);
        want[t] = true;
        p += len + (comma ? 1 : 0);
    }
    return CLI_OK;
}

static int generate(double scale, uint64_t seed, int threads, dg_format format, const char *dir,
                    const bool want[DG_N_TABLES])
{
    fl_error err;
    fl_error_clear(&err);
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        fl_error_set(&err, FLOE_EIO, "could not create directory \"%s\": %s", dir, strerror(errno));
        return cli_fail(&err);
    }
    fl_pool *pool = NULL;
    int rc;
    if (threads != 1 && (rc = fl_pool_new(&pool, threads > 1 ? threads - 1 : 0)) < 0) {
        fl_error_set(&err, rc, "could not start %d threads", threads);
        return cli_fail(&err);
    }
    progress_state ps = {isatty(STDERR_FILENO) != 0, NULL, -1};
    dg_opts opts = {scale, seed, pool, progress, &ps};
    int64_t rows[DG_N_TABLES] = {0};
    double t0 = cli_now();
    rc = dg_write_tables(&opts, want, format, dir, rows, &err);
    double secs = cli_now() - t0;
    fl_pool_free(pool);
    if (rc < 0) return cli_fail(&err);
    int64_t total = 0;
    int n = 0;
    for (int t = 0; t < DG_N_TABLES; t++) {
        if (!want[t]) continue;
        total += rows[t];
        n++;
    }
    fprintf(stderr, "%d tables, %lld rows, %.2f seconds, %.0f rows/s\n", n, (long long)total, secs,
            secs > 0 ? (double)total / secs : 0.0);
    return CLI_OK;
}

int cmd_datagen(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"scale", required_argument, NULL, 's'},  {"out", required_argument, NULL, 'o'},
        {"tables", required_argument, NULL, 't'}, {"format", required_argument, NULL, 'f'},
        {"threads", required_argument, NULL, 'j'}, {"seed", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *scale_arg = NULL, *out = NULL, *tables = NULL;
    dg_format format = DG_FORMAT_DAT;
    long long threads = 0, seed = 1;   /* seed 1: all 99 queries non-empty at SF 1 */
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 's': scale_arg = optarg; break;
        case 'o': out = optarg; break;
        case 't': tables = optarg; break;
        case 'f':
            if (!strcmp(optarg, "dat")) format = DG_FORMAT_DAT;
            else if (!strcmp(optarg, "csv")) format = DG_FORMAT_CSV;
            else if (!strcmp(optarg, "parquet")) format = DG_FORMAT_PARQUET;
            else return cli_usage_error(datagen_usage, "unknown format \"%s\"", optarg);
            break;
        case 'j':
            if (!cli_parse_int(optarg, 0, 1024, &threads))
                return cli_usage_error(datagen_usage, "bad thread count \"%s\"", optarg);
            break;
        case 'S':
            if (!cli_parse_int(optarg, 0, INT64_MAX, &seed))
                return cli_usage_error(datagen_usage, "bad seed \"%s\"", optarg);
            break;
        case 'h': fputs(datagen_usage, stdout); return CLI_OK;
        case ':': return cli_usage_error(datagen_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(datagen_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 1 || strcmp(argv[optind], "tpcds") != 0)
        return cli_usage_error(datagen_usage, "datagen takes one benchmark name: tpcds");
    if (!scale_arg) return cli_usage_error(datagen_usage, "datagen needs --scale");
    if (!out) return cli_usage_error(datagen_usage, "datagen needs --out");
    char *end;
    errno = 0;
    double scale = strtod(scale_arg, &end);
    if (errno || *end || !(scale > 0) || scale > 100000)
        return cli_usage_error(datagen_usage, "bad scale factor \"%s\"", scale_arg);
    bool want[DG_N_TABLES];
    for (int t = 0; t < DG_N_TABLES; t++) want[t] = tables == NULL;
    if (tables) {
        int rc = parse_tables(tables, want);
        if (rc != CLI_OK) return rc;
    }
    return generate(scale, (uint64_t)seed, threads == 0 ? fl_cpu_count() : (int)threads, format,
                    out, want);
}
