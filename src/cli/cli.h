/*
 * cli.h: what the `floe` command's files share: the command-group entry
 * points, exit codes and small helpers for arguments and errors.
 *
 * Exit codes: 0 success, 1 the operation failed (message on stderr),
 * 2 bad usage (message and usage on stderr).
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* Command groups: argv[0] is the group name ("parquet"). */
int cmd_parquet(int argc, char **argv);
int cmd_iceberg(int argc, char **argv);
int cmd_namespace(int argc, char **argv);
int cmd_demo(int argc, char **argv);

/* Prints "floe: <message>" and the usage text to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "floe: <err->message>" (and detail) to stderr; returns CLI_FAILED. */
int cli_fail(const fl_error *err);

/* Parses a non-negative integer with an optional K/M/G (powers of 1024)
 * suffix, e.g. "128M"; false on malformed text or overflow. */
bool cli_parse_size(const char *s, size_t *out);
/* Parses a decimal integer in [min, max]; false otherwise. */
bool cli_parse_int(const char *s, long long min, long long max, long long *out);

/* Monotonic seconds, for the timings that commands report. */
double cli_now(void);

#endif
