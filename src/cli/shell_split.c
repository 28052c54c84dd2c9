/*
 * shell_split.c: cuts shell input into complete statements.
 *
 * The shell must decide on *partial* input whether a statement is complete
 * (to show a continuation prompt), which the parser would report as a
 * syntax error; so this is a small scanner of quotes, comments and ';'
 * rather than a call into the SQL parser. floe_query parses each statement
 * properly.
 */
#include <stdbool.h>
#include <stddef.h>

#include "shell.h"

/* Skips a quoted run starting at text[i] (the opening quote q); returns the
 * offset after the closing quote, or len when unterminated (sets *open). */
static size_t skip_quoted(const char *text, size_t len, size_t i, char q, bool *open)
{
    i++;
    while (i < len) {
        if (text[i] == q) {
            if (i + 1 < len && text[i + 1] == q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    *open = true;
    return len;
}

static size_t skip_block_comment(const char *text, size_t len, size_t i, bool *open)
{
    int depth = 0;
    while (i < len) {
        if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (i + 1 < len && text[i] == '*' && text[i + 1] == '/') {
            depth--;
            i += 2;
            if (depth == 0) return i;
        } else {
            i++;
        }
    }
    *open = true;
    return len;
}

size_t shell_split_next(const char *text, size_t len)
{
    size_t i = 0;
    bool open = false;
    while (i < len) {
        char c = text[i];
        if (c == '\'' || c == '"' || c == '`') {
            i = skip_quoted(text, len, i, c, &open);
            if (open) return 0;
        } else if (c == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n') i++;
        } else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            i = skip_block_comment(text, len, i, &open);
            if (open) return 0;
        } else if (c == ';') {
            return i + 1;
        } else {
            i++;
        }
    }
    return 0;
}

bool shell_is_blank(const char *text, size_t len)
{
    size_t i = 0;
    bool open = false;
    while (i < len) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';') {
            i++;
        } else if (c == '-' && i + 1 < len && text[i + 1] == '-') {
            while (i < len && text[i] != '\n') i++;
        } else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            i = skip_block_comment(text, len, i, &open);
        } else {
            return false;
        }
    }
    return true;
}
