/*
 * main.c: the `floe` command: global options and dispatch to one file per
 * command group (cmd_parquet.c, ...).
 *
 * The command is meant to be a client of the public API (include/floe.h),
 * as git is of libgit2; until that API exists, the file tools of the
 * parquet group use the format layer directly (see src/cli/README.md).
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "shell.h"

static const char usage_text[] =
    "usage: floe [options]             interactive SQL shell (floe -h for its options)\n"
    "       floe [options] -c SQL | -f FILE\n"
    "                                  run SQL statements or a script\n"
    "       floe <command> [<args>]\n"
    "\n"
    "commands:\n"
    "  parquet schema FILE             print the schema tree of a Parquet file\n"
    "  parquet meta FILE               print the footer metadata as JSON\n"
    "  parquet cat FILE [options]      print rows as CSV or JSON lines\n"
    "  parquet write --schema DDL [options] IN OUT.parquet\n"
    "                                  convert delimited text to Parquet\n"
    "  parquet scan FILE [--threads N] decode every column, print rows/bytes/seconds\n"
    "  iceberg info|schema|history|snapshots|files|manifests|scan TABLE [options]\n"
    "                                  inspect and read an Iceberg table\n"
    "  namespace create|list|drop [NS] manage the warehouse catalog's namespaces\n"
    "  datagen tpcds --scale SF --out DIR [options]\n"
    "                                  generate TPC-DS data (dsdgen's format)\n"
    "  demo [--scale SF]               run the TPC-DS lakehouse pipeline end to end\n"
    "  help [COMMAND]                  show this help or a command's usage\n"
    "  --version                       print the version\n"
    "\n"
    "Run `floe help parquet|iceberg|namespace` for the options of a command group.\n";

int cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("floe: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (usage) fputs(usage, stderr);
    return CLI_USAGE;
}

int cli_fail(const fl_error *err)
{
    fprintf(stderr, "floe: %s\n", err->message[0] ? err->message : "unknown error");
    if (err->detail[0]) fprintf(stderr, "detail: %s\n", err->detail);
    return CLI_FAILED;
}

bool cli_parse_int(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max) return false;
    *out = v;
    return true;
}

bool cli_parse_size(const char *s, size_t *out)
{
    if (!s || *s < '0' || *s > '9') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno) return false;
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K') shift = 10;
    else if (*end == 'm' || *end == 'M') shift = 20;
    else if (*end == 'g' || *end == 'G') shift = 30;
    if (shift) {
        end++;
        if (*end == 'i' || *end == 'I') end++;
        if (*end == 'b' || *end == 'B') end++;
    }
    if (*end || v > (SIZE_MAX >> shift)) return false;
    *out = (size_t)(v << shift);
    return true;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's memory policy, the program's choice rather than the
 * library's: decoding and encoding allocate and free large buffers batch
 * after batch; glibc would hand them back to the kernel (trimming the heap,
 * unmapping mmap'ed blocks) and fault them in again on the next batch. Keep
 * up to 256 MiB of freed memory and serve blocks up to 64 MiB from the heap. */
static void set_memory_policy(void)
{
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

static bool is_command(const char *s)
{
    static const char *const commands[] = {"parquet", "iceberg", "namespace", "datagen", "demo",
                                           "help", "version"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(s, commands[i])) return true;
    return false;
}

/* Global options written before a command (`floe --warehouse W iceberg
 * info t`) move after the command's own arguments, where every command
 * parses them. Returns false when argv holds no command (the SQL shell). */
static bool hoist_command(int argc, char **argv)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *o = argv[i];
        bool takes_value = !strcmp(o, "--warehouse") || !strcmp(o, "--catalog");
        if (!takes_value) return false;   /* a shell option: -c, -f, --format, ... */
        i += 2;
    }
    if (i <= 1 || i >= argc || !is_command(argv[i])) return false;
    /* rotate: argv[1..i) (the options) go to the end */
    char *opts[64];
    int n = i - 1;
    if (n > 64) return false;
    memcpy(opts, argv + 1, (size_t)n * sizeof(char *));
    memmove(argv + 1, argv + i, (size_t)(argc - i) * sizeof(char *));
    memcpy(argv + 1 + (argc - i), opts, (size_t)n * sizeof(char *));
    return true;
}

int main(int argc, char **argv)
{
    set_memory_policy();
    /* no command, or options first: the SQL shell (shell.c) */
    if (argc < 2 || (argv[1][0] == '-' && strcmp(argv[1], "--version") && strcmp(argv[1], "--help") &&
                     strcmp(argv[1], "-h") && !hoist_command(argc, argv)))
        return shell_main(argc, argv);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("floe %s\n", FLOE_VERSION);
        return CLI_OK;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        if (argc > 2 && !strcmp(argv[2], "parquet")) {
            char *help_argv[] = {"parquet", "--help", NULL};
            return cmd_parquet(2, help_argv);
        }
        if (argc > 2 && !strcmp(argv[2], "iceberg")) {
            char *help_argv[] = {"iceberg", "--help", NULL};
            return cmd_iceberg(2, help_argv);
        }
        if (argc > 2 && !strcmp(argv[2], "namespace")) {
            char *help_argv[] = {"namespace", "--help", NULL};
            return cmd_namespace(2, help_argv);
        }
        if (argc > 2) return cli_usage_error(usage_text, "unknown command \"%s\"", argv[2]);
        fputs(usage_text, stdout);
        return CLI_OK;
    }
    if (!strcmp(cmd, "parquet")) return cmd_parquet(argc - 1, argv + 1);
    if (!strcmp(cmd, "iceberg")) return cmd_iceberg(argc - 1, argv + 1);
    if (!strcmp(cmd, "namespace")) return cmd_namespace(argc - 1, argv + 1);
    if (!strcmp(cmd, "datagen")) { int cmd_datagen(int, char **); return cmd_datagen(argc - 1, argv + 1); }
    if (!strcmp(cmd, "demo")) return cmd_demo(argc - 1, argv + 1);
    return cli_usage_error(usage_text, "unknown command \"%s\"", cmd);
}
