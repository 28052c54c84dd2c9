/*
 * runner.c: runs the registered unit tests (see test.h).
 *
 * usage: test_unit [substring...]   runs tests whose name or file contains
 * any of the substrings (all tests when none). Exit status 1 on any failure.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../src/base/error.h"

typedef struct {
    const char *name, *file;
    ft_fn fn;
} entry;

static entry *tests;
static size_t n_tests, cap_tests;
static int current_failures;
static const char *current_name;

void ft_register(const char *name, const char *file, ft_fn fn)
{
    if (n_tests == cap_tests) {
        cap_tests = cap_tests ? cap_tests * 2 : 64;
        tests = realloc(tests, cap_tests * sizeof *tests);
        if (!tests) abort();
    }
    tests[n_tests++] = (entry){name, file, fn};
}

static void fail_header(const char *file, int line)
{
    fprintf(stderr, "  FAIL %s (%s:%d): ", current_name, file, line);
    current_failures++;
}

bool ft_check(bool ok, const char *expr, const char *file, int line)
{
    if (!ok) {
        fail_header(file, line);
        fprintf(stderr, "%s\n", expr);
    }
    return ok;
}

bool ft_check_i64(int64_t a, int64_t b, const char *ea, const char *eb, const char *file, int line)
{
    if (a != b) {
        fail_header(file, line);
        fprintf(stderr, "%s == %s: %lld != %lld\n", ea, eb, (long long)a, (long long)b);
    }
    return a == b;
}

bool ft_check_str(const char *a, const char *b, const char *ea, const char *eb, const char *file,
                  int line)
{
    bool ok = a && b ? strcmp(a, b) == 0 : a == b;
    if (!ok) {
        fail_header(file, line);
        fprintf(stderr, "%s == %s: \"%s\" != \"%s\"\n", ea, eb, a ? a : "(null)", b ? b : "(null)");
    }
    return ok;
}

bool ft_check_mem(const void *a, size_t alen, const void *b, size_t blen, const char *ea,
                  const char *file, int line)
{
    bool ok = alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
    if (!ok) {
        fail_header(file, line);
        fprintf(stderr, "%s: bytes differ (len %zu vs %zu)\n", ea, alen, blen);
    }
    return ok;
}

bool ft_check_ok(int rc, const struct fl_error *err, const char *expr, const char *file, int line)
{
    if (rc < 0) {
        fail_header(file, line);
        fprintf(stderr, "%s returned %d (%s)%s%s\n", expr, rc, fl_status_name(rc),
                err ? ": " : "", err ? err->message : "");
    }
    return rc >= 0;
}

const char *ft_shared(const char *relative)
{
    static char ring[8][4096];
    static int next;
    char *buf = ring[next++ & 7];
    const char *env = getenv("FLOE_SHARED");
    struct stat st;
    if (env && *env) {
        snprintf(buf, 4096, "%s/%s", env, relative);
    } else if (stat("../shared/fixtures", &st) == 0) {
        snprintf(buf, 4096, "../shared/%s", relative);
    } else {
        snprintf(buf, 4096, "/work/shared/%s", relative);
    }
    return buf;
}

static char tmp_root[256];
static int tmp_seq;

static void remove_tmp(void)
{
    if (!tmp_root[0]) return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
    if (system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", tmp_root);
}

const char *ft_tmpdir(void)
{
    static char path[512];
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/floe-test-XXXXXX");
        if (!mkdtemp(tmp_root)) abort();
        atexit(remove_tmp);
    }
    snprintf(path, sizeof path, "%s/t%d", tmp_root, ++tmp_seq);
    if (mkdir(path, 0700) != 0) abort();
    return path;
}

static bool selected(const entry *t, int argc, char **argv)
{
    if (argc <= 1) return true;
    for (int i = 1; i < argc; i++)
        if (strstr(t->name, argv[i]) || strstr(t->file, argv[i])) return true;
    return false;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (size_t i = 0; i < n_tests; i++) {
        if (!selected(&tests[i], argc, argv)) continue;
        current_name = tests[i].name;
        current_failures = 0;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        tests[i].fn();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (current_failures) {
            failed++;
            fprintf(stderr, "not ok %s (%s)\n", tests[i].name, tests[i].file);
        } else {
            passed++;
            if (getenv("FLOE_TEST_VERBOSE")) printf("ok %s (%.1f ms)\n", tests[i].name, ms);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
