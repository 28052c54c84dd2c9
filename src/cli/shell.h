/*
 * shell.h: the SQL side of the `floe` command: the interactive shell and
 * the non-interactive `floe -c SQL` / `floe -f FILE` modes, written only
 * against the public API (include/floe.h), as psql is a client of libpq.
 *
 * shell.c        options, the read-eval-print loop (libedit), dot commands
 * shell_split.c  cutting input into complete statements
 * shell_render.c printing a result as box, csv, tsv, json, line or markdown
 */
#ifndef CLI_SHELL_H
#define CLI_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "floe.h"

typedef enum shell_mode {
    SHELL_BOX,
    SHELL_CSV,
    SHELL_TSV,
    SHELL_JSON,
    SHELL_LINE,
    SHELL_MARKDOWN,
} shell_mode;

typedef struct shell_output {
    shell_mode mode;
    char delimiter;       /* csv: ',' unless --delimiter */
    bool header;          /* csv/tsv header line */
    bool timer;           /* print elapsed time after each statement */
    size_t max_rows;      /* box: rows shown before eliding the middle (0 = all) */
    bool interactive;     /* box footer with row count */
} shell_output;

/* Entry point: argv[0] is "floe"; handles -c, -f, --format, --warehouse,
 * --catalog, --threads, --delimiter, --no-header and the interactive loop. */
int shell_main(int argc, char **argv);

/* Parses "box|csv|tsv|json|line|markdown"; false when unknown. */
bool shell_mode_parse(const char *name, shell_mode *out);

/* Prints a result (all its rows) to f. Returns 0, or < 0 when reading the
 * result failed (the error is on the connection). */
int shell_render(FILE *f, floe_result *r, const shell_output *o);

/*
 * Statement splitting. shell_split_next finds the end of the first complete
 * statement in text[0..len): the offset just past its ';', or 0 when the
 * text holds no complete statement yet (unterminated string, quoted
 * identifier or block comment, or no ';' outside them). Comments and
 * quotes follow SQL: '...' with '' escapes, "..." and `...` identifiers,
 * -- to end of line, nested block comments.
 */
size_t shell_split_next(const char *text, size_t len);
/* True when text holds only whitespace and comments. */
bool shell_is_blank(const char *text, size_t len);

#endif
