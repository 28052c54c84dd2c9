/*
 * shell_render.c: prints a floe_result in the shell's output modes.
 *
 *   box       DuckDB's boxed table: names and types in the header, numbers
 *             right-aligned, NULL shown as NULL, long results elided in the
 *             middle (first and last max_rows/2 rows) with the row count
 *   csv, tsv  header line (unless off), NULL as an empty field, quoting as
 *             RFC 4180 (value_text.h's fl_csv_append_field)
 *   json      one JSON array of objects; numbers and booleans unquoted
 *   line      "name = value" per column, a blank line between rows
 *   markdown  a GitHub-style pipe table
 *
 * Values come as text from the result (floe_result_get_text, DuckDB's text
 * style), so every mode prints a value the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/value_text.h"
#include "render.h"
#include "shell.h"

bool shell_mode_parse(const char *name, shell_mode *out)
{
    static const struct { const char *name; shell_mode mode; } modes[] = {
        {"box", SHELL_BOX}, {"duckbox", SHELL_BOX}, {"table", SHELL_BOX},
        {"csv", SHELL_CSV}, {"tsv", SHELL_TSV}, {"tabs", SHELL_TSV},
        {"json", SHELL_JSON}, {"line", SHELL_LINE}, {"markdown", SHELL_MARKDOWN},
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (!strcmp(name, modes[i].name)) {
            *out = modes[i].mode;
            return true;
        }
    }
    return false;
}

static bool type_is_numeric(floe_type t)
{
    return t == FLOE_TYPE_TINYINT || t == FLOE_TYPE_SMALLINT || t == FLOE_TYPE_INTEGER ||
           t == FLOE_TYPE_BIGINT || t == FLOE_TYPE_REAL || t == FLOE_TYPE_DOUBLE ||
           t == FLOE_TYPE_DECIMAL;
}

/* Display width of UTF-8 text: code points (continuation bytes not counted). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* A buffered table of text cells (box and markdown need widths first). */
typedef struct cell_rows {
    char **cells;        /* row-major, cols per row; NULL = SQL NULL */
    size_t rows, cap_rows, cols;
} cell_rows;

static int rows_push(cell_rows *t, floe_result *r)
{
    if (t->rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
        char **c = realloc(t->cells, cap * t->cols * sizeof(char *));
        if (!c) return FLOE_ENOMEM;
        t->cells = c;
        t->cap_rows = cap;
    }
    for (size_t c = 0; c < t->cols; c++) {
        const char *v = floe_result_get_text(r, c);
        char *copy = NULL;
        if (v && !(copy = strdup(v))) return FLOE_ENOMEM;
        t->cells[t->rows * t->cols + c] = copy;
    }
    t->rows++;
    return 0;
}

static void rows_free(cell_rows *t)
{
    for (size_t i = 0; i < t->rows * t->cols; i++) free(t->cells[i]);
    free(t->cells);
}

static void put_repeat(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) fputs(s, f);
}

static void put_padded(FILE *f, const char *s, size_t width, bool right)
{
    size_t w = display_width(s);
    if (right) put_repeat(f, " ", width - w);
    fputs(s, f);
    if (!right) put_repeat(f, " ", width - w);
}

static void box_rule(FILE *f, const size_t *widths, size_t cols, const char *l, const char *m,
                     const char *r)
{
    fputs(l, f);
    for (size_t c = 0; c < cols; c++) {
        put_repeat(f, "─", widths[c] + 2);
        fputs(c + 1 < cols ? m : r, f);
    }
    fputc('\n', f);
}

static void box_row(FILE *f, char *const *cells, const size_t *widths, size_t cols,
                    const bool *right, bool center)
{
    fputs("│", f);
    for (size_t c = 0; c < cols; c++) {
        const char *v = cells[c] ? cells[c] : "NULL";
        fputc(' ', f);
        if (center) {
            size_t w = display_width(v), pad = widths[c] - w;
            put_repeat(f, " ", pad / 2);
            fputs(v, f);
            put_repeat(f, " ", pad - pad / 2);
        } else {
            put_padded(f, v, widths[c], right[c]);
        }
        fputs(" │", f);
    }
    fputc('\n', f);
}

static int render_box(FILE *f, floe_result *r, const shell_output *o)
{
    size_t cols = floe_result_column_count(r);
    cell_rows head = {.cols = cols}, tail = {.cols = cols};
    size_t keep = o->max_rows ? o->max_rows / 2 : 0, total = 0, tail_start = 0;
    int rc;
    /* rows beyond 2*keep: the head keeps the first `keep`, the tail is a ring of the last `keep` */
    cell_rows ring = {.cols = cols};
    while ((rc = floe_result_next(r)) > 0) {
        if (!keep || head.rows < keep) {
            if ((rc = rows_push(&head, r)) < 0) goto done;
        } else if (ring.rows < keep) {
            if ((rc = rows_push(&ring, r)) < 0) goto done;
        } else {
            size_t slot = tail_start;
            for (size_t c = 0; c < cols; c++) {
                free(ring.cells[slot * cols + c]);
                const char *v = floe_result_get_text(r, c);
                ring.cells[slot * cols + c] = v ? strdup(v) : NULL;
            }
            tail_start = (tail_start + 1) % keep;
        }
        total++;
    }
    if (rc < 0) goto done;
    /* unroll the ring into tail order */
    for (size_t i = 0; i < ring.rows; i++) {
        size_t slot = (tail_start + i) % ring.rows;
        if (tail.rows == tail.cap_rows) {
            size_t cap = tail.cap_rows ? tail.cap_rows * 2 : 64;
            char **c = realloc(tail.cells, cap * cols * sizeof(char *));
            if (!c) {
                rc = FLOE_ENOMEM;
                goto done;
            }
            tail.cells = c;
            tail.cap_rows = cap;
        }
        memcpy(tail.cells + tail.rows * cols, ring.cells + slot * cols, cols * sizeof(char *));
        tail.rows++;
    }
    ring.rows = 0;   /* cells moved to tail */
    bool elided = total > head.rows + tail.rows;
    size_t *widths = calloc(cols ? cols : 1, sizeof(size_t));
    bool *right = calloc(cols ? cols : 1, sizeof(bool));
    char **names = calloc(cols ? cols : 1, sizeof(char *));
    char **types = calloc(cols ? cols : 1, sizeof(char *));
    if (!widths || !right || !names || !types) {
        rc = FLOE_ENOMEM;
        goto done2;
    }
    for (size_t c = 0; c < cols; c++) {
        names[c] = (char *)floe_result_column_name(r, c);
        types[c] = (char *)floe_result_column_type_name(r, c);
        right[c] = type_is_numeric(floe_result_column_type(r, c));
        widths[c] = display_width(names[c]);
        if (display_width(types[c]) > widths[c]) widths[c] = display_width(types[c]);
        cell_rows *parts[2] = {&head, &tail};
        for (int p = 0; p < 2; p++)
            for (size_t i = 0; i < parts[p]->rows; i++) {
                const char *v = parts[p]->cells[i * cols + c];
                size_t w = display_width(v ? v : "NULL");
                if (w > widths[c]) widths[c] = w;
            }
        if (elided && widths[c] < 1) widths[c] = 1;
    }
    if (cols) {
        box_rule(f, widths, cols, "┌", "┬", "┐");
        box_row(f, names, widths, cols, right, true);
        box_row(f, types, widths, cols, right, true);
        box_rule(f, widths, cols, "├", "┼", "┤");
        for (size_t i = 0; i < head.rows; i++) box_row(f, head.cells + i * cols, widths, cols, right, false);
        if (elided) {
            char **dots = calloc(cols, sizeof(char *));
            if (dots) {
                for (int k = 0; k < 3; k++) {
                    for (size_t c = 0; c < cols; c++) dots[c] = "·";
                    box_row(f, dots, widths, cols, right, true);
                }
                free(dots);
            }
        }
        for (size_t i = 0; i < tail.rows; i++) box_row(f, tail.cells + i * cols, widths, cols, right, false);
        box_rule(f, widths, cols, "└", "┴", "┘");
    }
    if (o->interactive || elided) {
        if (elided)
            fprintf(f, "  %zu rows (%zu shown)\n", total, head.rows + tail.rows);
        else if (cols)
            fprintf(f, "  %zu row%s\n", total, total == 1 ? "" : "s");
    }
    rc = 0;
done2:
    free(widths);
    free(right);
    free(names);
    free(types);
done:
    rows_free(&head);
    rows_free(&tail);
    rows_free(&ring);
    return rc;
}

static int render_delimited(FILE *f, floe_result *r, const shell_output *o, char delim)
{
    size_t cols = floe_result_column_count(r);
    fl_buf line;
    fl_buf_init(&line);
    int rc = 0;
    if (o->header && cols) {
        for (size_t c = 0; c < cols; c++) {
            const char *n = floe_result_column_name(r, c);
            if (c) fl_buf_append_byte(&line, (uint8_t)delim);
            if (delim == '\t') fl_buf_append_str(&line, n);
            else fl_csv_append_field(&line, n, strlen(n), delim, '"', false);
        }
        fl_buf_append_byte(&line, '\n');
        fwrite(line.data, 1, line.len, f);
    }
    while ((rc = floe_result_next(r)) > 0) {
        fl_buf_reset(&line);
        for (size_t c = 0; c < cols; c++) {
            const char *v = floe_result_get_text(r, c);
            if (c) fl_buf_append_byte(&line, (uint8_t)delim);
            if (!v) continue;
            if (delim == '\t') fl_buf_append_str(&line, v);
            else fl_csv_append_field(&line, v, strlen(v), delim, '"', true);
        }
        if (fl_buf_append_byte(&line, '\n') < 0) {
            rc = FLOE_ENOMEM;
            break;
        }
        fwrite(line.data, 1, line.len, f);
    }
    fl_buf_dispose(&line);
    return rc < 0 ? rc : 0;
}

static int render_json(FILE *f, floe_result *r)
{
    size_t cols = floe_result_column_count(r);
    fl_buf line;
    fl_buf_init(&line);
    int rc;
    size_t row = 0;
    fputc('[', f);
    while ((rc = floe_result_next(r)) > 0) {
        fl_buf_reset(&line);
        fl_buf_append_str(&line, row++ ? ",\n{" : "{");
        for (size_t c = 0; c < cols; c++) {
            const char *n = floe_result_column_name(r, c);
            const char *v = floe_result_get_text(r, c);
            if (c) fl_buf_append_byte(&line, ',');
            render_json_string(&line, n, strlen(n));
            fl_buf_append_byte(&line, ':');
            floe_type t = floe_result_column_type(r, c);
            if (!v) fl_buf_append_str(&line, "null");
            else if (t == FLOE_TYPE_BOOLEAN ||
                     (type_is_numeric(t) && strcmp(v, "nan") && strcmp(v, "inf") && strcmp(v, "-inf")))
                fl_buf_append_str(&line, v);
            else render_json_string(&line, v, strlen(v));
        }
        if (fl_buf_append_byte(&line, '}') < 0) {
            rc = FLOE_ENOMEM;
            break;
        }
        fwrite(line.data, 1, line.len, f);
    }
    fputs("]\n", f);
    fl_buf_dispose(&line);
    return rc < 0 ? rc : 0;
}

static int render_line(FILE *f, floe_result *r)
{
    size_t cols = floe_result_column_count(r), width = 0;
    for (size_t c = 0; c < cols; c++) {
        size_t w = display_width(floe_result_column_name(r, c));
        if (w > width) width = w;
    }
    int rc;
    size_t row = 0;
    while ((rc = floe_result_next(r)) > 0) {
        if (row++) fputc('\n', f);
        for (size_t c = 0; c < cols; c++) {
            const char *v = floe_result_get_text(r, c);
            put_padded(f, floe_result_column_name(r, c), width, true);
            fprintf(f, " = %s\n", v ? v : "NULL");
        }
    }
    return rc < 0 ? rc : 0;
}

static void md_cell(FILE *f, const char *v, size_t width, bool right)
{
    /* pipes inside values are escaped */
    fputc(' ', f);
    size_t w = 0;
    for (const char *p = v; *p; p++)
        if (*p == '|') w++;
    if (right) put_repeat(f, " ", width - display_width(v) - w);
    for (const char *p = v; *p; p++) {
        if (*p == '|') fputc('\\', f);
        fputc(*p, f);
    }
    if (!right) put_repeat(f, " ", width - display_width(v) - w);
    fputs(" |", f);
}

static int render_markdown(FILE *f, floe_result *r)
{
    size_t cols = floe_result_column_count(r);
    cell_rows t = {.cols = cols};
    int rc;
    while ((rc = floe_result_next(r)) > 0)
        if ((rc = rows_push(&t, r)) < 0) break;
    if (rc < 0) {
        rows_free(&t);
        return rc;
    }
    size_t *widths = calloc(cols ? cols : 1, sizeof(size_t));
    if (!widths) {
        rows_free(&t);
        return FLOE_ENOMEM;
    }
    for (size_t c = 0; c < cols; c++) {
        widths[c] = display_width(floe_result_column_name(r, c));
        if (widths[c] < 3) widths[c] = 3;
        for (size_t i = 0; i < t.rows; i++) {
            const char *v = t.cells[i * cols + c];
            size_t w = display_width(v ? v : "NULL");
            for (const char *p = v ? v : ""; *p; p++)
                if (*p == '|') w++;
            if (w > widths[c]) widths[c] = w;
        }
    }
    fputc('|', f);
    for (size_t c = 0; c < cols; c++) md_cell(f, floe_result_column_name(r, c), widths[c], false);
    fputs("\n|", f);
    for (size_t c = 0; c < cols; c++) {
        bool right = type_is_numeric(floe_result_column_type(r, c));
        fputc(' ', f);
        if (!right) fputc(':', f);
        put_repeat(f, "-", widths[c] - 1);
        if (right) fputc(':', f);
        fputs(" |", f);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t.rows; i++) {
        fputc('|', f);
        for (size_t c = 0; c < cols; c++) {
            const char *v = t.cells[i * cols + c];
            md_cell(f, v ? v : "NULL", widths[c], type_is_numeric(floe_result_column_type(r, c)));
        }
        fputc('\n', f);
    }
    free(widths);
    rows_free(&t);
    return 0;
}

int shell_render(FILE *f, floe_result *r, const shell_output *o)
{
    switch (o->mode) {
    case SHELL_BOX: return render_box(f, r, o);
    case SHELL_CSV: return render_delimited(f, r, o, o->delimiter ? o->delimiter : ',');
    case SHELL_TSV: return render_delimited(f, r, o, '\t');
    case SHELL_JSON: return render_json(f, r);
    case SHELL_LINE: return render_line(f, r);
    case SHELL_MARKDOWN: return render_markdown(f, r);
    }
    return 0;
}
