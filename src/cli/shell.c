/*
 * shell.c: `floe` as a SQL shell: the interactive loop with libedit line
 * editing and history, and the non-interactive modes `floe -c SQL`,
 * `floe -f FILE` and SQL on standard input. Only include/floe.h is used to
 * run statements.
 *
 * Statements are cut by shell_split_next and run one at a time, so each
 * statement's result is printed and an error names the line and column in
 * the script. Non-interactive runs stop at the first error and exit with
 * status 1 (error on stderr); the interactive shell reports and goes on.
 *
 * Dot commands (interactive and in scripts): .help, .tables, .schema
 * [TABLE], .timer on|off, .mode MODE, .headers on|off, .read FILE,
 * .quit/.exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <editline/readline.h>

#include "../base/buf.h"
#include "cli.h"
#include "shell.h"

static const char shell_usage[] =
    "usage: floe [options]                 interactive SQL shell\n"
    "       floe [options] -c SQL          run SQL and print the results\n"
    "       floe [options] -f FILE         run a SQL script ('-' = standard input)\n"
    "\n"
    "options:\n"
    "  --warehouse DIR      the warehouse (default $FLOE_WAREHOUSE or ./warehouse)\n"
    "  --catalog URI        catalog (default sqlite:<warehouse>/catalog.db; postgresql://...)\n"
    "  --format MODE        box, csv, tsv, json, line or markdown (default: box on a\n"
    "                       terminal, csv otherwise)\n"
    "  --delimiter C        field delimiter for csv output\n"
    "  --no-header          no header line in csv/tsv output\n"
    "  --threads N          worker threads (default: all cores)\n"
    "  --timer              print each statement's elapsed time\n";

static const char dot_help[] =
    ".help                 this help\n"
    ".tables               list the tables of the current schema\n"
    ".schema [TABLE]       CREATE TABLE statements\n"
    ".timer on|off         print elapsed time after each statement\n"
    ".mode MODE            box, csv, tsv, json, line, markdown\n"
    ".headers on|off       header line in csv/tsv output\n"
    ".read FILE            run a SQL script\n"
    ".quit, .exit          leave the shell\n";

typedef struct shell {
    floe_db *db;
    floe_conn *conn;
    shell_output out;
    bool interactive;
} shell;

static floe_conn *g_running_conn;

static void on_sigint(int sig)
{
    (void)sig;
    if (g_running_conn) floe_conn_cancel(g_running_conn);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints the error of a failed statement: message, position and the
 * offending line with a caret. base_line: the statement's first line in
 * its script (1-based). */
static void print_error(shell *sh, const char *source, const char *stmt, int base_line)
{
    int line = floe_conn_error_line(sh->conn), col = floe_conn_error_column(sh->conn);
    const char *msg = floe_conn_error(sh->conn);
    if (line > 0) {
        fprintf(stderr, "Error: %s\n", msg);
        if (source) fprintf(stderr, "  at %s:%d:%d\n", source, base_line + line - 1, col);
        /* the statement's line */
        const char *p = stmt;
        for (int l = 1; l < line && p; l++) {
            p = strchr(p, '\n');
            if (p) p++;
        }
        if (p) {
            const char *e = strchr(p, '\n');
            int len = e ? (int)(e - p) : (int)strlen(p);
            fprintf(stderr, "  %.*s\n  %*s^\n", len, p, col > 0 ? col - 1 : 0, "");
        }
    } else {
        fprintf(stderr, "Error: %s\n", msg);
    }
}

/* Runs one statement and prints its result; returns 0 or -1. */
static int run_statement(shell *sh, const char *sql, const char *source, int base_line)
{
    floe_result *res = NULL;
    double t0 = now_s();
    g_running_conn = sh->conn;
    int rc = floe_query(sh->conn, sql, &res);
    g_running_conn = NULL;
    if (rc < 0) {
        print_error(sh, source, sql, base_line);
        return -1;
    }
    if (res && floe_result_column_count(res) > 0) {
        if (shell_render(stdout, res, &sh->out) < 0) {
            fprintf(stderr, "Error: %s\n", floe_conn_error(sh->conn));
            floe_result_free(res);
            return -1;
        }
    }
    fflush(stdout);
    if (sh->out.timer) fprintf(stderr, "Run Time: %.3f s\n", now_s() - t0);
    floe_result_free(res);
    return 0;
}

static int run_text(shell *sh, const char *text, const char *source);

static int run_file(shell *sh, const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        fprintf(stderr, "Error: cannot open \"%s\": %s\n", path, strerror(errno));
        return -1;
    }
    fl_buf b;
    fl_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) fl_buf_append(&b, chunk, n);
    if (f != stdin) fclose(f);
    int rc = run_text(sh, fl_buf_cstr(&b), strcmp(path, "-") ? path : "<stdin>");
    fl_buf_dispose(&b);
    return rc;
}

static bool parse_on_off(const char *arg, bool *out)
{
    if (!arg) return false;
    if (!strcmp(arg, "on") || !strcmp(arg, "true") || !strcmp(arg, "1")) *out = true;
    else if (!strcmp(arg, "off") || !strcmp(arg, "false") || !strcmp(arg, "0")) *out = false;
    else return false;
    return true;
}

/* Runs a dot command line (without the trailing newline). Returns 0, -1 on
 * error, 1 for .quit. */
static int run_dot(shell *sh, char *line)
{
    char *argv[4] = {0};
    int argc = 0;
    for (char *p = line; *p && argc < 4;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = 0;
    }
    const char *cmd = argv[0];
    if (!strcmp(cmd, ".quit") || !strcmp(cmd, ".exit") || !strcmp(cmd, ".q")) return 1;
    if (!strcmp(cmd, ".help")) {
        fputs(dot_help, stdout);
        return 0;
    }
    if (!strcmp(cmd, ".tables")) return run_statement(sh, "SHOW TABLES", NULL, 1);
    if (!strcmp(cmd, ".schema")) {
        if (argc > 1) {
            fl_buf q;
            fl_buf_init(&q);
            fl_buf_appendf(&q, "SHOW CREATE TABLE %s", argv[1]);
            int rc = run_statement(sh, fl_buf_cstr(&q), NULL, 1);
            fl_buf_dispose(&q);
            return rc;
        }
        /* every table of the current schema */
        floe_result *res = NULL;
        if (floe_query(sh->conn, "SHOW TABLES", &res) < 0) {
            print_error(sh, NULL, "SHOW TABLES", 1);
            return -1;
        }
        int rc = 0;
        shell_output o = sh->out;
        o.mode = SHELL_TSV;
        o.header = false;
        while (floe_result_next(res) > 0) {
            const char *name = floe_result_get_text(res, 0);
            if (!name) continue;
            fl_buf q;
            fl_buf_init(&q);
            fl_buf_appendf(&q, "SHOW CREATE TABLE \"%s\"", name);
            floe_result *ddl = NULL;
            if (floe_query(sh->conn, fl_buf_cstr(&q), &ddl) < 0) {
                print_error(sh, NULL, fl_buf_cstr(&q), 1);
                rc = -1;
            } else {
                shell_render(stdout, ddl, &o);
                floe_result_free(ddl);
            }
            fl_buf_dispose(&q);
        }
        floe_result_free(res);
        return rc;
    }
    if (!strcmp(cmd, ".timer")) {
        if (!parse_on_off(argv[1], &sh->out.timer)) {
            fprintf(stderr, "Error: usage: .timer on|off\n");
            return -1;
        }
        return 0;
    }
    if (!strcmp(cmd, ".headers")) {
        if (!parse_on_off(argv[1], &sh->out.header)) {
            fprintf(stderr, "Error: usage: .headers on|off\n");
            return -1;
        }
        return 0;
    }
    if (!strcmp(cmd, ".mode")) {
        if (!argv[1] || !shell_mode_parse(argv[1], &sh->out.mode)) {
            fprintf(stderr, "Error: usage: .mode box|csv|tsv|json|line|markdown\n");
            return -1;
        }
        return 0;
    }
    if (!strcmp(cmd, ".read")) {
        if (!argv[1]) {
            fprintf(stderr, "Error: usage: .read FILE\n");
            return -1;
        }
        return run_file(sh, argv[1]);
    }
    fprintf(stderr, "Error: unknown command \"%s\" (try .help)\n", cmd);
    return -1;
}

static int count_lines(const char *p, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        if (p[i] == '\n') n++;
    return n;
}

/* Runs a whole script: dot commands on their own lines, statements cut at
 * ';' (a final statement may omit it). Stops at the first error when not
 * interactive. */
static int run_text(shell *sh, const char *text, const char *source)
{
    size_t len = strlen(text), pos = 0;
    int line = 1, status = 0;
    while (pos < len) {
        /* skip whitespace, counting lines */
        while (pos < len && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' ||
                             text[pos] == '\r')) {
            if (text[pos] == '\n') line++;
            pos++;
        }
        if (pos >= len) break;
        if (text[pos] == '.') {
            const char *e = memchr(text + pos, '\n', len - pos);
            size_t l = e ? (size_t)(e - (text + pos)) : len - pos;
            char *cmd = strndup(text + pos, l);
            int rc = cmd ? run_dot(sh, cmd) : -1;
            free(cmd);
            pos += l;
            if (rc == 1) break;
            if (rc < 0) {
                status = 1;
                if (!sh->interactive) break;
            }
            continue;
        }
        size_t end = shell_split_next(text + pos, len - pos);
        size_t stmt_len = end ? end : len - pos;
        if (!shell_is_blank(text + pos, stmt_len)) {
            char *stmt = strndup(text + pos, stmt_len);
            if (!stmt) return 1;
            int rc = run_statement(sh, stmt, source, line);
            free(stmt);
            if (rc < 0) {
                status = 1;
                if (!sh->interactive) break;
            }
        }
        line += count_lines(text + pos, stmt_len);
        pos += stmt_len;
    }
    return status;
}

static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (!home) return NULL;
    size_t n = strlen(home) + 32;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.floe_history", home);
    return p;
}

static int interactive_loop(shell *sh)
{
    char *hist = history_path();
    using_history();
    if (hist) read_history(hist);
    printf("floe %s — type .help for help, end statements with ';'\n", floe_version());
    fl_buf pending;
    fl_buf_init(&pending);
    for (;;) {
        char *line = readline(pending.len ? "   ·> " : "floe> ");
        if (!line) {
            fputc('\n', stdout);
            break;
        }
        if (!pending.len && line[0] == '.') {
            add_history(line);
            int rc = run_dot(sh, line);
            free(line);
            if (rc == 1) break;
            continue;
        }
        if (pending.len) fl_buf_append_byte(&pending, '\n');
        fl_buf_append_str(&pending, line);
        free(line);
        const char *text = fl_buf_cstr(&pending);
        size_t len = pending.len;
        if (shell_is_blank(text, len)) {
            fl_buf_reset(&pending);
            continue;
        }
        if (!shell_split_next(text, len)) continue;   /* statement not complete yet */
        add_history(text);
        run_text(sh, text, NULL);
        fl_buf_reset(&pending);
    }
    if (hist) {
        write_history(hist);
        free(hist);
    }
    fl_buf_dispose(&pending);
    return 0;
}

int shell_main(int argc, char **argv)
{
    const char *command = NULL, *file = NULL;
    floe_db_options opts = {0};
    shell sh = {0};
    bool format_given = false;
    sh.out.header = true;
    sh.out.delimiter = ',';
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(shell_usage, stdout);
            return CLI_OK;
        } else if (!strcmp(a, "-c") && v) {
            command = v;
            i++;
        } else if (!strcmp(a, "-f") && v) {
            file = v;
            i++;
        } else if (!strcmp(a, "--warehouse") && v) {
            opts.warehouse = v;
            i++;
        } else if (!strcmp(a, "--catalog") && v) {
            opts.catalog_uri = v;
            i++;
        } else if (!strcmp(a, "--format") && v) {
            if (!shell_mode_parse(v, &sh.out.mode))
                return cli_usage_error(shell_usage, "unknown format \"%s\"", v);
            format_given = true;
            i++;
        } else if (!strcmp(a, "--delimiter") && v) {
            if (strlen(v) != 1 && strcmp(v, "\\t"))
                return cli_usage_error(shell_usage, "the delimiter must be one character");
            sh.out.delimiter = strcmp(v, "\\t") ? v[0] : '\t';
            i++;
        } else if (!strcmp(a, "--no-header")) {
            sh.out.header = false;
        } else if (!strcmp(a, "--timer")) {
            sh.out.timer = true;
        } else if (!strcmp(a, "--threads") && v) {
            long long n;
            if (!cli_parse_int(v, 1, 1024, &n))
                return cli_usage_error(shell_usage, "invalid thread count \"%s\"", v);
            opts.threads = (int)n;
            i++;
        } else {
            return cli_usage_error(shell_usage, "unknown or incomplete option \"%s\"", a);
        }
    }
    sh.interactive = !command && !file && isatty(0);
    if (!format_given) sh.out.mode = isatty(1) ? SHELL_BOX : SHELL_CSV;
    sh.out.interactive = sh.interactive;
    sh.out.max_rows = isatty(1) ? 40 : 0;
    char errbuf[512] = "";
    if (floe_db_open(&sh.db, &opts, errbuf, sizeof errbuf) < 0) {
        fprintf(stderr, "floe: %s\n", errbuf[0] ? errbuf : "cannot open the warehouse");
        return CLI_FAILED;
    }
    if (floe_conn_open(&sh.conn, sh.db) < 0) {
        fprintf(stderr, "floe: cannot connect\n");
        floe_db_close(sh.db);
        return CLI_FAILED;
    }
    signal(SIGINT, on_sigint);
    int status;
    if (command) status = run_text(&sh, command, NULL);
    else if (file) status = run_file(&sh, file) ? 1 : 0;
    else if (sh.interactive) status = interactive_loop(&sh);
    else status = run_file(&sh, "-") ? 1 : 0;
    floe_conn_close(sh.conn);
    floe_db_close(sh.db);
    return status ? CLI_FAILED : CLI_OK;
}
