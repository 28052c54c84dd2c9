/*
 * sql_lexer.c: the SQL tokenizer (see sql_lexer.h).
 *
 * One pass over the text with a hand-written switch on the first byte, as
 * SQLite's tokenize.c. Keywords are found by binary search in a sorted
 * table of about 150 entries after folding the word to lower case in a
 * small stack buffer: about eight string compares per identifier, no
 * hashing and no allocation for words longer than any keyword. The token
 * array grows in the arena (doubling), so lexing is linear in the text.
 */
#include "sql_lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct sql_kw_entry {
    const char *name;
    sql_keyword kw;
    bool reserved;
} sql_kw_entry;

static const sql_kw_entry keyword_table[] = {
    {"add", SQL_KW_ADD, false},
    {"all", SQL_KW_ALL, true},
    {"alter", SQL_KW_ALTER, false},
    {"analyze", SQL_KW_ANALYZE, false},
    {"and", SQL_KW_AND, true},
    {"any", SQL_KW_ANY, false},
    {"array", SQL_KW_ARRAY, false},
    {"as", SQL_KW_AS, true},
    {"asc", SQL_KW_ASC, true},
    {"between", SQL_KW_BETWEEN, true},
    {"by", SQL_KW_BY, true},
    {"call", SQL_KW_CALL, false},
    {"cascade", SQL_KW_CASCADE, false},
    {"case", SQL_KW_CASE, true},
    {"cast", SQL_KW_CAST, true},
    {"column", SQL_KW_COLUMN, false},
    {"columns", SQL_KW_COLUMNS, false},
    {"comment", SQL_KW_COMMENT, false},
    {"copy", SQL_KW_COPY, false},
    {"create", SQL_KW_CREATE, true},
    {"cross", SQL_KW_CROSS, true},
    {"cube", SQL_KW_CUBE, false},
    {"current", SQL_KW_CURRENT, false},
    {"data", SQL_KW_DATA, false},
    {"database", SQL_KW_DATABASE, false},
    {"databases", SQL_KW_DATABASES, false},
    {"date", SQL_KW_DATE, false},
    {"day", SQL_KW_DAY, false},
    {"days", SQL_KW_DAYS, false},
    {"dbproperties", SQL_KW_DBPROPERTIES, false},
    {"delete", SQL_KW_DELETE, false},
    {"delimited", SQL_KW_DELIMITED, false},
    {"delimiter", SQL_KW_DELIMITER, false},
    {"desc", SQL_KW_DESC, true},
    {"describe", SQL_KW_DESCRIBE, false},
    {"distinct", SQL_KW_DISTINCT, true},
    {"drop", SQL_KW_DROP, false},
    {"else", SQL_KW_ELSE, true},
    {"end", SQL_KW_END, true},
    {"escape", SQL_KW_ESCAPE, false},
    {"except", SQL_KW_EXCEPT, true},
    {"execute", SQL_KW_EXECUTE, false},
    {"exists", SQL_KW_EXISTS, true},
    {"explain", SQL_KW_EXPLAIN, false},
    {"external", SQL_KW_EXTERNAL, false},
    {"extract", SQL_KW_EXTRACT, true},
    {"false", SQL_KW_FALSE, true},
    {"fetch", SQL_KW_FETCH, true},
    {"field", SQL_KW_FIELD, false},
    {"fields", SQL_KW_FIELDS, false},
    {"filter", SQL_KW_FILTER, false},
    {"first", SQL_KW_FIRST, false},
    {"following", SQL_KW_FOLLOWING, false},
    {"for", SQL_KW_FOR, true},
    {"format", SQL_KW_FORMAT, false},
    {"from", SQL_KW_FROM, true},
    {"full", SQL_KW_FULL, true},
    {"group", SQL_KW_GROUP, true},
    {"grouping", SQL_KW_GROUPING, false},
    {"groups", SQL_KW_GROUPS, false},
    {"having", SQL_KW_HAVING, true},
    {"hour", SQL_KW_HOUR, false},
    {"hours", SQL_KW_HOURS, false},
    {"if", SQL_KW_IF, false},
    {"ilike", SQL_KW_ILIKE, true},
    {"in", SQL_KW_IN, true},
    {"inner", SQL_KW_INNER, true},
    {"insert", SQL_KW_INSERT, false},
    {"intersect", SQL_KW_INTERSECT, true},
    {"interval", SQL_KW_INTERVAL, false},
    {"into", SQL_KW_INTO, true},
    {"is", SQL_KW_IS, true},
    {"join", SQL_KW_JOIN, true},
    {"last", SQL_KW_LAST, false},
    {"lateral", SQL_KW_LATERAL, true},
    {"left", SQL_KW_LEFT, true},
    {"like", SQL_KW_LIKE, true},
    {"limit", SQL_KW_LIMIT, true},
    {"lines", SQL_KW_LINES, false},
    {"location", SQL_KW_LOCATION, false},
    {"matched", SQL_KW_MATCHED, false},
    {"merge", SQL_KW_MERGE, false},
    {"minute", SQL_KW_MINUTE, false},
    {"minutes", SQL_KW_MINUTES, false},
    {"month", SQL_KW_MONTH, false},
    {"months", SQL_KW_MONTHS, false},
    {"natural", SQL_KW_NATURAL, true},
    {"next", SQL_KW_NEXT, false},
    {"not", SQL_KW_NOT, true},
    {"null", SQL_KW_NULL, true},
    {"nulls", SQL_KW_NULLS, false},
    {"of", SQL_KW_OF, false},
    {"offset", SQL_KW_OFFSET, true},
    {"on", SQL_KW_ON, true},
    {"only", SQL_KW_ONLY, false},
    {"options", SQL_KW_OPTIONS, false},
    {"or", SQL_KW_OR, true},
    {"order", SQL_KW_ORDER, true},
    {"outer", SQL_KW_OUTER, true},
    {"over", SQL_KW_OVER, false},
    {"overwrite", SQL_KW_OVERWRITE, false},
    {"partition", SQL_KW_PARTITION, false},
    {"partitioned", SQL_KW_PARTITIONED, false},
    {"preceding", SQL_KW_PRECEDING, false},
    {"qualify", SQL_KW_QUALIFY, true},
    {"range", SQL_KW_RANGE, false},
    {"recursive", SQL_KW_RECURSIVE, false},
    {"rename", SQL_KW_RENAME, false},
    {"replace", SQL_KW_REPLACE, false},
    {"restrict", SQL_KW_RESTRICT, false},
    {"right", SQL_KW_RIGHT, true},
    {"rollup", SQL_KW_ROLLUP, false},
    {"row", SQL_KW_ROW, false},
    {"rows", SQL_KW_ROWS, false},
    {"schema", SQL_KW_SCHEMA, false},
    {"schemas", SQL_KW_SCHEMAS, false},
    {"second", SQL_KW_SECOND, false},
    {"seconds", SQL_KW_SECONDS, false},
    {"select", SQL_KW_SELECT, true},
    {"set", SQL_KW_SET, false},
    {"sets", SQL_KW_SETS, false},
    {"show", SQL_KW_SHOW, false},
    {"stored", SQL_KW_STORED, false},
    {"system_time", SQL_KW_SYSTEM_TIME, false},
    {"system_version", SQL_KW_SYSTEM_VERSION, false},
    {"table", SQL_KW_TABLE, true},
    {"tables", SQL_KW_TABLES, false},
    {"tblproperties", SQL_KW_TBLPROPERTIES, false},
    {"terminated", SQL_KW_TERMINATED, false},
    {"then", SQL_KW_THEN, true},
    {"time", SQL_KW_TIME, false},
    {"timestamp", SQL_KW_TIMESTAMP, false},
    {"to", SQL_KW_TO, false},
    {"true", SQL_KW_TRUE, true},
    {"try_cast", SQL_KW_TRY_CAST, false},
    {"type", SQL_KW_TYPE, false},
    {"unbounded", SQL_KW_UNBOUNDED, false},
    {"union", SQL_KW_UNION, true},
    {"update", SQL_KW_UPDATE, false},
    {"use", SQL_KW_USE, false},
    {"using", SQL_KW_USING, true},
    {"values", SQL_KW_VALUES, false},
    {"verbose", SQL_KW_VERBOSE, false},
    {"version", SQL_KW_VERSION, false},
    {"view", SQL_KW_VIEW, false},
    {"week", SQL_KW_WEEK, false},
    {"weeks", SQL_KW_WEEKS, false},
    {"when", SQL_KW_WHEN, true},
    {"where", SQL_KW_WHERE, true},
    {"window", SQL_KW_WINDOW, true},
    {"with", SQL_KW_WITH, true},
    {"year", SQL_KW_YEAR, false},
    {"years", SQL_KW_YEARS, false},
    {"zone", SQL_KW_ZONE, false},
};

#define SQL_KW_MAX_LEN 16

sql_keyword sql_keyword_lookup(const char *word, size_t len, bool *reserved)
{
    char lower[SQL_KW_MAX_LEN + 1];
    if (reserved) *reserved = false;
    if (len == 0 || len > SQL_KW_MAX_LEN) return SQL_KW_NONE;
    for (size_t i = 0; i < len; i++) {
        char c = word[i];
        lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    lower[len] = '\0';
    size_t lo = 0, hi = FL_ARRAY_SIZE(keyword_table);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(lower, keyword_table[mid].name);
        if (cmp == 0) {
            if (reserved) *reserved = keyword_table[mid].reserved;
            return keyword_table[mid].kw;
        }
        if (cmp < 0) hi = mid;
        else lo = mid + 1;
    }
    return SQL_KW_NONE;
}

const char *sql_keyword_name(sql_keyword kw)
{
    if (kw <= SQL_KW_NONE || kw >= SQL_KW_COUNT_) return "";
    return keyword_table[kw - 1].name;
}

size_t sql_keyword_count(void) { return FL_ARRAY_SIZE(keyword_table); }

const char *sql_keyword_at(size_t i, sql_keyword *kw)
{
    if (i >= FL_ARRAY_SIZE(keyword_table)) return NULL;
    if (kw) *kw = keyword_table[i].kw;
    return keyword_table[i].name;
}

/* ---- positions and errors ---- */

void sql_text_position(const char *text, size_t len, uint32_t offset, uint32_t *line,
                       uint32_t *column)
{
    uint32_t l = 1, c = 1;
    if (offset > len) offset = (uint32_t)len;
    for (uint32_t i = 0; i < offset; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n') {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80) {
            c++;   /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *column = c;
}

#define SQL_DETAIL_WINDOW 160

int sql_error_at(fl_error *err, int code, const char *sqlstate, const char *text, size_t len,
                 uint32_t offset, const char *fmt, ...)
{
    char what[FL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    uint32_t line, column;
    sql_text_position(text, len, offset, &line, &column);
    fl_error_set_sqlstate(err, code, sqlstate, "%s (line %u, column %u)", what, line, column);
    if (!err) return code;

    /* The detail: the offending line (a window of it when long) and a caret. */
    if (offset > len) offset = (uint32_t)len;
    size_t start = offset, end = offset;
    while (start > 0 && text[start - 1] != '\n') start--;
    while (end < len && text[end] != '\n' && text[end] != '\r') end++;
    if (offset - start > SQL_DETAIL_WINDOW / 2) {
        start = offset - SQL_DETAIL_WINDOW / 2;
        while (start < offset && ((unsigned char)text[start] & 0xC0) == 0x80) start++;
    }
    if (end - start > SQL_DETAIL_WINDOW) {
        end = start + SQL_DETAIL_WINDOW;
        while (end > offset && ((unsigned char)text[end] & 0xC0) == 0x80) end--;
    }
    char caret[SQL_DETAIL_WINDOW + 2];
    size_t n = 0;
    for (size_t i = start; i < offset && n < SQL_DETAIL_WINDOW; i++) {
        unsigned char b = (unsigned char)text[i];
        if ((b & 0xC0) == 0x80) continue;
        caret[n++] = (b == '\t') ? '\t' : ' ';
    }
    caret[n++] = '^';
    caret[n] = '\0';
    fl_error_detail(err, "%.*s\n%s", (int)(end - start), text + start, caret);
    return code;
}

/* ---- the tokenizer ---- */

typedef struct lexer {
    const char *text;
    size_t len;
    size_t pos;
    uint32_t line, line_start;
    fl_arena *arena;
    fl_error *err;
    sql_token *tokens;
    uint32_t count, cap;
} lexer;

static int lex_error(lexer *lx, uint32_t offset, uint32_t tok_len, const char *what)
{
    uint32_t show = tok_len > 40 ? 40 : tok_len;
    return sql_error_at(lx->err, FLOE_ESYNTAX, "42601", lx->text, lx->len, offset,
                        "%s at or near \"%.*s\"", what, (int)show, lx->text + offset);
}

static sql_token *push_token(lexer *lx, sql_token_kind kind, size_t start)
{
    if (lx->count == lx->cap) {
        uint32_t cap = lx->cap ? lx->cap * 2 : 64;
        sql_token *t = fl_arena_realloc(lx->arena, lx->tokens, (size_t)lx->cap * sizeof *t,
                                        (size_t)cap * sizeof *t);
        if (!t) return NULL;
        lx->tokens = t;
        lx->cap = cap;
    }
    sql_token *t = &lx->tokens[lx->count++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->offset = (uint32_t)start;
    t->len = (uint32_t)(lx->pos - start);
    t->line = lx->line;
    t->line_start = lx->line_start;
    t->text = "";
    return t;
}

static void newline(lexer *lx, size_t at)
{
    lx->line++;
    lx->line_start = (uint32_t)(at + 1);
}

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Skips whitespace and comments. Returns 0, or an error for an unterminated
 * block comment. */
static int skip_space(lexer *lx)
{
    const char *s = lx->text;
    while (lx->pos < lx->len) {
        unsigned char c = (unsigned char)s[lx->pos];
        if (c == '\n') {
            newline(lx, lx->pos);
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c == '-' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '-') {
            while (lx->pos < lx->len && s[lx->pos] != '\n') lx->pos++;
        } else if (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '*') {
            size_t start = lx->pos;
            uint32_t depth = 1;
            lx->pos += 2;
            while (depth > 0) {
                if (lx->pos >= lx->len) {
                    return lex_error(lx, (uint32_t)start, 2, "unterminated /* comment");
                }
                char d = s[lx->pos];
                if (d == '\n') newline(lx, lx->pos);
                if (d == '*' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '/') {
                    depth--;
                    lx->pos += 2;
                } else if (d == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '*') {
                    depth++;
                    lx->pos += 2;
                } else {
                    lx->pos++;
                }
            }
        } else {
            break;
        }
    }
    return 0;
}

/* A quoted string or identifier: quote doubled inside means one quote. */
static int lex_quoted(lexer *lx, char quote, sql_token_kind kind)
{
    const char *s = lx->text;
    size_t start = lx->pos;
    uint32_t line = lx->line, line_start = lx->line_start;
    size_t i = start + 1;
    size_t doubled = 0;
    for (;;) {
        if (i >= lx->len) {
            const char *what = kind == SQL_TOK_STRING ? "unterminated quoted string"
                                                      : "unterminated quoted identifier";
            return lex_error(lx, (uint32_t)start, (uint32_t)(lx->len - start), what);
        }
        if (s[i] == quote) {
            if (i + 1 < lx->len && s[i + 1] == quote) {
                doubled++;
                i += 2;
                continue;
            }
            break;
        }
        if (s[i] == '\n') newline(lx, i);
        i++;
    }
    size_t body = i - start - 1;
    char *text = fl_arena_alloc(lx->arena, body - doubled + 1);
    if (!text) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
    size_t n = 0;
    for (size_t j = start + 1; j < i; j++) {
        text[n++] = s[j];
        if (s[j] == quote) j++;
    }
    text[n] = '\0';
    if (kind == SQL_TOK_QUOTED_IDENT && n == 0) {
        return lex_error(lx, (uint32_t)start, 2, "zero-length delimited identifier");
    }
    lx->pos = i + 1;
    sql_token *t = push_token(lx, kind, start);
    if (!t) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
    t->line = line;
    t->line_start = line_start;
    t->text = text;
    t->text_len = (uint32_t)n;
    return 0;
}

static int lex_number(lexer *lx)
{
    const char *s = lx->text;
    size_t start = lx->pos, i = start;
    sql_token_kind kind = SQL_TOK_INTEGER;
    while (i < lx->len && is_digit((unsigned char)s[i])) i++;
    if (i < lx->len && s[i] == '.') {
        kind = SQL_TOK_DECIMAL;
        i++;
        while (i < lx->len && is_digit((unsigned char)s[i])) i++;
    }
    if (i < lx->len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < lx->len && (s[j] == '+' || s[j] == '-')) j++;
        if (j < lx->len && is_digit((unsigned char)s[j])) {
            kind = SQL_TOK_DOUBLE;
            i = j;
            while (i < lx->len && is_digit((unsigned char)s[i])) i++;
        }
    }
    if (i < lx->len && is_ident_start((unsigned char)s[i]) && kind == SQL_TOK_INTEGER) {
        /* 1abc: digits glued to a word (Spark allows names like 1d; we don't) */
        size_t j = i;
        while (j < lx->len && is_ident_char((unsigned char)s[j])) j++;
        return lex_error(lx, (uint32_t)start, (uint32_t)(j - start), "trailing junk after numeric literal");
    }
    lx->pos = i;
    sql_token *t = push_token(lx, kind, start);
    if (!t) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
    t->text = fl_arena_strndup(lx->arena, s + start, i - start);
    if (!t->text) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
    t->text_len = (uint32_t)(i - start);
    return 0;
}

static int lex_word(lexer *lx)
{
    const char *s = lx->text;
    size_t start = lx->pos, i = start;
    while (i < lx->len && is_ident_char((unsigned char)s[i])) i++;
    lx->pos = i;
    sql_token *t = push_token(lx, SQL_TOK_IDENT, start);
    if (!t) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
    char *text = fl_arena_alloc(lx->arena, i - start + 1);
    if (!text) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
    for (size_t j = start; j < i; j++) {
        char c = s[j];
        text[j - start] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    text[i - start] = '\0';
    t->text = text;
    t->text_len = (uint32_t)(i - start);
    t->kw = sql_keyword_lookup(text, i - start, &t->reserved);
    return 0;
}

/* Operators and punctuation; returns the token kind and its length in *n,
 * or SQL_TOK_EOF for a character that starts no token. */
static sql_token_kind lex_symbol(const char *s, size_t avail, size_t *n)
{
    char c = s[0], d = avail > 1 ? s[1] : '\0';
    *n = 1;
    switch (c) {
    case '(': return SQL_TOK_LPAREN;
    case ')': return SQL_TOK_RPAREN;
    case '[': return SQL_TOK_LBRACKET;
    case ']': return SQL_TOK_RBRACKET;
    case '{': return SQL_TOK_LBRACE;
    case '}': return SQL_TOK_RBRACE;
    case ',': return SQL_TOK_COMMA;
    case '.': return SQL_TOK_DOT;
    case ';': return SQL_TOK_SEMI;
    case '+': return SQL_TOK_PLUS;
    case '-': return SQL_TOK_MINUS;
    case '*': return SQL_TOK_STAR;
    case '/': return SQL_TOK_SLASH;
    case '%': return SQL_TOK_PERCENT;
    case '?': return SQL_TOK_PARAM;
    case ':':
        if (d == ':') { *n = 2; return SQL_TOK_DCOLON; }
        return SQL_TOK_COLON;
    case '|':
        if (d == '|') { *n = 2; return SQL_TOK_CONCAT; }
        return SQL_TOK_EOF;
    case '=':
        if (d == '>') { *n = 2; return SQL_TOK_ARROW; }
        if (d == '=') *n = 2;   /* Spark's == */
        return SQL_TOK_EQ;
    case '!':
        if (d == '=') { *n = 2; return SQL_TOK_NE; }
        return SQL_TOK_EOF;
    case '<':
        if (d == '=') { *n = 2; return SQL_TOK_LE; }
        if (d == '>') { *n = 2; return SQL_TOK_NE; }
        return SQL_TOK_LT;
    case '>':
        if (d == '=') { *n = 2; return SQL_TOK_GE; }
        return SQL_TOK_GT;
    default:
        return SQL_TOK_EOF;
    }
}

/* Links each '(' to its ')' (one pass with a stack) so the parser can look
 * past a parenthesized group in O(1): "((SELECT 1) t JOIN u ON ..)" is a
 * join, "((SELECT 1) UNION (SELECT 2))" a query. */
static int match_parens(lexer *lx)
{
    uint32_t *stack = NULL;
    uint32_t depth = 0, cap = 0;
    for (uint32_t i = 0; i < lx->count; i++) {
        sql_token *t = &lx->tokens[i];
        t->match = UINT32_MAX;
        if (t->kind == SQL_TOK_LPAREN) {
            if (depth == cap) {
                uint32_t ncap = cap ? cap * 2 : 32;
                uint32_t *ns = fl_arena_realloc(lx->arena, stack, (size_t)cap * sizeof *stack,
                                                (size_t)ncap * sizeof *stack);
                if (!ns) return fl_error_set(lx->err, FLOE_ENOMEM, "out of memory while lexing SQL");
                stack = ns;
                cap = ncap;
            }
            stack[depth++] = i;
        } else if (t->kind == SQL_TOK_RPAREN && depth > 0) {
            lx->tokens[stack[--depth]].match = i;
        }
    }
    return 0;
}

int sql_lex(sql_token_list *out, const char *text, size_t len, fl_arena *arena, fl_error *err)
{
    out->tokens = NULL;
    out->count = 0;
    if (len >= UINT32_MAX) {
        return fl_error_set_sqlstate(err, FLOE_ELIMIT, "54000",
                                     "statement text of %zu bytes is too long", len);
    }
    lexer lx = {.text = text, .len = len, .line = 1, .arena = arena, .err = err};
    int rc;
    for (;;) {
        if ((rc = skip_space(&lx)) < 0) return rc;
        if (lx.pos >= len) break;
        unsigned char c = (unsigned char)text[lx.pos];
        if (c == '\'') {
            rc = lex_quoted(&lx, '\'', SQL_TOK_STRING);
        } else if (c == '"' || c == '`') {
            rc = lex_quoted(&lx, (char)c, SQL_TOK_QUOTED_IDENT);
        } else if (is_digit(c) || (c == '.' && lx.pos + 1 < len && is_digit((unsigned char)text[lx.pos + 1]))) {
            rc = lex_number(&lx);
        } else if (is_ident_start(c)) {
            rc = lex_word(&lx);
        } else {
            size_t n;
            sql_token_kind kind = lex_symbol(text + lx.pos, len - lx.pos, &n);
            if (kind == SQL_TOK_EOF) {
                return lex_error(&lx, (uint32_t)lx.pos, 1, "syntax error");
            }
            size_t start = lx.pos;
            lx.pos += n;
            if (!push_token(&lx, kind, start)) {
                return fl_error_set(err, FLOE_ENOMEM, "out of memory while lexing SQL");
            }
            rc = 0;
        }
        if (rc < 0) return rc;
    }
    if (!push_token(&lx, SQL_TOK_EOF, lx.pos)) {
        return fl_error_set(err, FLOE_ENOMEM, "out of memory while lexing SQL");
    }
    if ((rc = match_parens(&lx)) < 0) return rc;
    out->tokens = lx.tokens;
    out->count = lx.count;
    return 0;
}
