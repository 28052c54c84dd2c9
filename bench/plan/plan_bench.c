/*
 * plan_bench.c: scan-planning benchmark (`make bench`, via bench/run.sh).
 * Generates an Iceberg v2 table (plan_gen.h: by default 10,000 data files
 * in 1,000 manifests, one partition per manifest) into a temporary
 * directory and times ice_scan_plan_new, best of 5, on the calling thread
 * and on an fl_pool of every core:
 *   unfiltered                 every data file (10,000 tasks);
 *   partition range (1%)       10 of 1,000 days: the manifest list's
 *                              partition summaries skip 99% of manifests;
 *   id range (1%, metrics)     no partition predicate: every manifest is
 *                              read, column bounds skip 99% of files.
 * Task, manifest and file counts are checked exactly; any mismatch or error
 * exits 1. No DuckDB comparison: its iceberg extension is not available
 * offline.
 *
 * usage: floe-plan-bench [MANIFESTS [FILES_PER_MANIFEST [RUNS]]]
 * The table goes under $TMPDIR (default /tmp) and is removed at exit.
 * malloc runs with the floe CLI's settings (no heap trimming) unless
 * PLAN_BENCH_GLIBC_DEFAULTS=1.
 */
#include <ftw.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/base/threads.h"
#include "../../src/iceberg/ice_scan.h"
#include "plan_gen.h"

typedef struct bench_case {
    const char *name;
    char filter[200];                  /* "" = no filter */
    size_t want_tasks, want_manifests_skipped, want_files_skipped;
} bench_case;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

/* Plans c `runs` times; *best_ms gets the fastest. 0, or -1 after printing
 * the error or the count mismatch. */
static int run_case(double *best_ms, io_fs *fs, const ice_metadata *md, const bench_case *c,
                    fl_pool *pool, int runs)
{
    fl_error err;
    fl_arena *arena = fl_arena_new(0);
    ice_scan_opts o = {0};
    o.pool = pool;
    if (!arena) return -1;
    if (c->filter[0] && ice_expr_parse(&o.filter, c->filter, ice_metadata_current_schema(md),
                                       arena, &err) < 0) {
        fprintf(stderr, "plan-bench: %s: %s\n", c->filter, err.message);
        fl_arena_free(arena);
        return -1;
    }
    int rc = 0;
    *best_ms = -1;
    for (int r = 0; r < runs && rc == 0; r++) {
        ice_scan_plan *plan = NULL;
        double t0 = now_ms();
        if (ice_scan_plan_new(&plan, fs, md, &o, &err) < 0) {
            fprintf(stderr, "plan-bench: %s: %s\n", c->name, err.message);
            rc = -1;
            break;
        }
        double ms = now_ms() - t0;
        if (*best_ms < 0 || ms < *best_ms) *best_ms = ms;
        if (plan->task_count != c->want_tasks ||
            plan->manifests_skipped != c->want_manifests_skipped ||
            plan->data_files_skipped != c->want_files_skipped) {
            fprintf(stderr, "plan-bench: %s: %zu tasks, %zu manifests and %zu files skipped; "
                    "expected %zu, %zu and %zu\n", c->name, plan->task_count,
                    plan->manifests_skipped, plan->data_files_skipped, c->want_tasks,
                    c->want_manifests_skipped, c->want_files_skipped);
            rc = -1;
        }
        ice_scan_plan_free(plan);
    }
    fl_arena_free(arena);
    return rc;
}

static int arg_int(int argc, char **argv, int i, int dflt)
{
    if (argc <= i) return dflt;
    char *end;
    long v = strtol(argv[i], &end, 10);
    if (*end || v < 1 || v > 1000000) {
        fprintf(stderr, "plan-bench: bad argument \"%s\"\n", argv[i]);
        exit(2);
    }
    return (int)v;
}

int main(int argc, char **argv)
{
    /* the floe CLI's memory policy (src/cli/main.c): keep freed memory in
     * the heap instead of trimming and faulting it in again per manifest;
     * PLAN_BENCH_GLIBC_DEFAULTS=1 measures with glibc's defaults instead */
    const char *defaults = getenv("PLAN_BENCH_GLIBC_DEFAULTS");
    if (!defaults || strcmp(defaults, "1") != 0) {
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    }
    int manifests = arg_int(argc, argv, 1, 1000);
    int per = arg_int(argc, argv, 2, 10);
    int runs = arg_int(argc, argv, 3, 5);
    size_t files = (size_t)manifests * (size_t)per;
    int sel = manifests / 100 > 0 ? manifests / 100 : 1;   /* 1% of the partitions */
    const char *tmp = getenv("TMPDIR");
    char root[1024];
    snprintf(root, sizeof(root), "%s/floe-plan-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror("plan-bench: mkdtemp");
        return 1;
    }
    fl_error err;
    io_fs *fs = io_local_new();
    ice_metadata *md = NULL;
    fl_pool *pool = NULL;
    int cores = fl_cpu_count();
    int status = 1;
    double pruned_ms = 0;
    double t0 = now_ms();
    if (!fs || plan_gen_table(&md, fs, root, manifests, per, &err) < 0) {
        fprintf(stderr, "plan-bench: generating the table: %s\n", fs ? err.message : "out of memory");
        goto done;
    }
    double gen_ms = now_ms() - t0;
    /* cores - 1 workers: the planning thread works too (fl_pool_run) */
    if (fl_pool_new(&pool, 0) < 0) {
        fprintf(stderr, "plan-bench: cannot start a thread pool\n");
        goto done;
    }
    bench_case cases[3] = {
        {"unfiltered", "", files, 0, 0},
        {"partition range (1%)", "", (size_t)sel * per, (size_t)(manifests - sel), 0},
        {"id range (1%, metrics only)", "", (size_t)sel * per, 0, files - (size_t)sel * per},
    };
    /* the middle partitions / files, so neither end of the table is special */
    plan_gen_day_filter(cases[1].filter, sizeof(cases[1].filter), manifests / 2, sel);
    plan_gen_id_filter(cases[2].filter, sizeof(cases[2].filter),
                       (int)(files / 2) + per / 2, sel * per);
    printf("plan: Iceberg scan planning, %zu data files in %d manifests (%d per manifest, "
           "deflate Avro), best of %d; table written in %.0f ms\n", files, manifests, per, runs,
           gen_ms);
    printf("  (no DuckDB side: its iceberg extension is not available offline)\n");
    status = 0;
    for (int i = 0; i < 3 && status == 0; i++) {
        double serial, parallel;
        if (run_case(&serial, fs, md, &cases[i], NULL, runs) < 0 ||
            run_case(&parallel, fs, md, &cases[i], pool, runs) < 0) {
            status = 1;
            break;
        }
        printf("  %-28s %6zu tasks  1 thread %8.2f ms  %2d threads %8.2f ms%s%s%s\n",
               cases[i].name, cases[i].want_tasks, serial, cores, parallel,
               cases[i].filter[0] ? "  [" : "", cases[i].filter, cases[i].filter[0] ? "]" : "");
        if (i == 1) pruned_ms = serial < parallel ? serial : parallel;
    }
    if (status == 0)
        printf("  target: partition-pruned plan under 50 ms: %s (%.2f ms)\n",
               pruned_ms < 50 ? "met" : "NOT met", pruned_ms);
done:
    fl_pool_free(pool);
    ice_metadata_free(md);
    io_fs_free(fs);
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return status;
}
