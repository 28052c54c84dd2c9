/*
 * ddl.c: the CLI's parser for column lists and CREATE TABLE statements
 * (see ddl.h).
 *
 * A tiny lexer yields words (identifiers, numbers, quoted identifiers) and
 * punctuation, skipping whitespace and SQL comments. The body of the column
 * list is split at top-level commas; each item is a table constraint
 * (ignored) or "name type [constraints]", where the type text runs up to the
 * first constraint keyword at parenthesis depth 0 and goes to fl_type_parse.
 */
#include "ddl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/buf.h"

typedef enum { TOK_END, TOK_WORD, TOK_QUOTED, TOK_PUNCT } tok_kind;

typedef struct {
    tok_kind kind;
    const char *p;     /* token text (without quotes for TOK_QUOTED) */
    size_t len;
    const char *start; /* first byte of the token in the input */
    const char *end;   /* one past its last byte */
} token;

typedef struct {
    const char *p, *end;
    fl_error *err;
} lexer;

static void skip_space(lexer *lx)
{
    for (;;) {
        while (lx->p < lx->end && isspace((unsigned char)*lx->p)) lx->p++;
        if (lx->end - lx->p >= 2 && lx->p[0] == '-' && lx->p[1] == '-') {
            while (lx->p < lx->end && *lx->p != '\n') lx->p++;
        } else if (lx->end - lx->p >= 2 && lx->p[0] == '/' && lx->p[1] == '*') {
            const char *q = lx->p + 2;
            while (q + 1 < lx->end && !(q[0] == '*' && q[1] == '/')) q++;
            lx->p = q + 1 < lx->end ? q + 2 : lx->end;
        } else {
            return;
        }
    }
}

/* Reads the next token; FLOE_ESYNTAX on an unterminated quote or a stray byte. */
static int next_token(lexer *lx, token *t)
{
    skip_space(lx);
    t->start = lx->p;
    if (lx->p >= lx->end) {
        t->kind = TOK_END;
        t->p = lx->p;
        t->len = 0;
        t->end = lx->p;
        return 0;
    }
    char c = *lx->p;
    if (c == '"' || c == '`') {
        const char *q = lx->p + 1;
        while (q < lx->end && *q != c) q++;
        if (q >= lx->end)
            return fl_error_set(lx->err, FLOE_ESYNTAX, "unterminated quoted identifier in schema");
        t->kind = TOK_QUOTED;
        t->p = lx->p + 1;
        t->len = (size_t)(q - t->p);
        lx->p = q + 1;
    } else if (isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
        const char *q = lx->p;
        while (q < lx->end && (isalnum((unsigned char)*q) || *q == '_' || *q == '$' || *q == '.' ||
                               (unsigned char)*q >= 0x80))
            q++;
        t->kind = TOK_WORD;
        t->p = lx->p;
        t->len = (size_t)(q - lx->p);
        lx->p = q;
    } else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '+' || c == '-') {
        t->kind = TOK_PUNCT;
        t->p = lx->p;
        t->len = 1;
        lx->p++;
    } else {
        return fl_error_set(lx->err, FLOE_ESYNTAX, "unexpected character \"%c\" in schema", c);
    }
    t->end = lx->p;
    return 0;
}

static bool word_is(const token *t, const char *w)
{
    return t->kind == TOK_WORD && strlen(w) == t->len && strncasecmp(t->p, w, t->len) == 0;
}
static bool punct_is(const token *t, char c) { return t->kind == TOK_PUNCT && t->p[0] == c; }

/* Words that end a column's type text (column constraints). */
static bool is_constraint_word(const token *t)
{
    static const char *const words[] = {"not", "null", "primary", "default", "references",
                                        "unique", "check", "constraint", "collate", "generated",
                                        "comment"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(words); i++)
        if (word_is(t, words[i])) return true;
    return false;
}

static bool is_table_constraint(const token *t)
{
    return word_is(t, "primary") || word_is(t, "unique") || word_is(t, "foreign") ||
           word_is(t, "check") || word_is(t, "constraint");
}

/* Parses one item [b, e) of the column list into *col; *skip = true for a
 * table constraint. */
static int parse_item(const char *b, const char *e, ddl_column *col, bool *skip, fl_arena *arena,
                      fl_error *err)
{
    lexer lx = {b, e, err};
    token t;
    int rc;
    *skip = false;
    if ((rc = next_token(&lx, &t)) < 0) return rc;
    if (t.kind == TOK_END) return fl_error_set(err, FLOE_ESYNTAX, "empty column definition in schema");
    if (is_table_constraint(&t)) {
        *skip = true;
        return 0;
    }
    if (t.kind != TOK_WORD && t.kind != TOK_QUOTED)
        return fl_error_set(err, FLOE_ESYNTAX, "expected a column name in schema, found \"%.*s\"",
                            (int)t.len, t.p);
    col->name = fl_arena_strndup(arena, t.p, t.len);
    if (!col->name) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    col->nullable = true;

    /* the type: tokens up to a constraint word at depth 0 */
    const char *type_begin = NULL, *type_end = NULL;
    int depth = 0;
    for (;;) {
        if ((rc = next_token(&lx, &t)) < 0) return rc;
        if (t.kind == TOK_END || (depth == 0 && is_constraint_word(&t))) break;
        if (punct_is(&t, '(')) depth++;
        if (punct_is(&t, ')') && --depth < 0)
            return fl_error_set(err, FLOE_ESYNTAX, "unbalanced parenthesis in type of column \"%s\"",
                                col->name);
        if (!type_begin) type_begin = t.start;
        type_end = t.end;
    }
    if (!type_begin)
        return fl_error_set(err, FLOE_ESYNTAX, "column \"%s\" has no type", col->name);
    if ((rc = fl_type_parse(&col->type, type_begin, (size_t)(type_end - type_begin), err)) < 0) {
        fl_error_prefix(err, "column \"%s\": ", col->name);
        return rc;
    }
    /* constraints: NOT NULL, NULL, PRIMARY KEY matter; the rest is ignored */
    token prev = {TOK_END, NULL, 0, NULL, NULL};
    while (t.kind != TOK_END) {
        if (word_is(&t, "null")) col->nullable = word_is(&prev, "not") ? false : col->nullable;
        if (word_is(&t, "key") && word_is(&prev, "primary")) col->nullable = false;
        prev = t;
        if ((rc = next_token(&lx, &t)) < 0) return rc;
    }
    return 0;
}

/* Finds the column list of a CREATE TABLE: [*body, *body_end). */
static int find_create_body(lexer *lx, const char **body, const char **body_end, const char **name,
                            fl_arena *arena, fl_error *err)
{
    token t;
    int rc;
    FL_TRY(next_token(lx, &t)); /* create */
    FL_TRY(next_token(lx, &t));
    if (word_is(&t, "or")) { /* or replace */
        FL_TRY(next_token(lx, &t));
        FL_TRY(next_token(lx, &t));
    }
    while (word_is(&t, "temporary") || word_is(&t, "temp") || word_is(&t, "external"))
        FL_TRY(next_token(lx, &t));
    if (!word_is(&t, "table"))
        return fl_error_set(err, FLOE_ESYNTAX, "expected TABLE after CREATE in schema");
    FL_TRY(next_token(lx, &t));
    if (word_is(&t, "if")) { /* if not exists */
        FL_TRY(next_token(lx, &t));
        FL_TRY(next_token(lx, &t));
        FL_TRY(next_token(lx, &t));
    }
    if (t.kind != TOK_WORD && t.kind != TOK_QUOTED)
        return fl_error_set(err, FLOE_ESYNTAX, "expected a table name after CREATE TABLE");
    if (!(*name = fl_arena_strndup(arena, t.p, t.len)))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(next_token(lx, &t));
    if (!punct_is(&t, '('))
        return fl_error_set(err, FLOE_ESYNTAX, "expected \"(\" after CREATE TABLE %s", *name);
    *body = lx->p;
    int depth = 1;
    for (;;) {
        if ((rc = next_token(lx, &t)) < 0) return rc;
        if (t.kind == TOK_END)
            return fl_error_set(err, FLOE_ESYNTAX, "missing \")\" at the end of CREATE TABLE %s",
                                *name);
        if (punct_is(&t, '(')) depth++;
        if (punct_is(&t, ')') && --depth == 0) {
            *body_end = t.start;
            break;
        }
    }
    /* only a semicolon may follow */
    FL_TRY(next_token(lx, &t));
    if (punct_is(&t, ';')) FL_TRY(next_token(lx, &t));
    if (t.kind != TOK_END)
        return fl_error_set(err, FLOE_EUNSUPPORTED,
                            "unexpected \"%.*s\" after the column list of CREATE TABLE %s",
                            (int)t.len, t.p, *name);
    return 0;
}

int ddl_parse(ddl_table **out, const char *text, size_t len, fl_arena *arena, fl_error *err)
{
    lexer lx = {text, text + len, err};
    token first;
    const char *body = text, *body_end = text + len, *table_name = NULL;
    int rc;

    if ((rc = next_token(&lx, &first)) < 0) return rc;
    if (first.kind == TOK_END) return fl_error_set(err, FLOE_ESYNTAX, "schema is empty");
    lx.p = text;
    if (word_is(&first, "create")) {
        if ((rc = find_create_body(&lx, &body, &body_end, &table_name, arena, err)) < 0) return rc;
    } else {
        /* a bare list may end with a semicolon */
        const char *e = body_end;
        while (e > body && (isspace((unsigned char)e[-1]) || e[-1] == ';')) e--;
        body_end = e;
    }

    ddl_table *table = fl_arena_calloc(arena, sizeof *table);
    if (!table) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    table->name = table_name;
    int cap = 16;
    table->columns = fl_arena_alloc(arena, (size_t)cap * sizeof *table->columns);
    if (!table->columns) return fl_error_set(err, FLOE_ENOMEM, "out of memory");

    /* split at commas outside parentheses and quotes */
    lexer items = {body, body_end, err};
    const char *item_begin = body;
    int depth = 0;
    for (;;) {
        token t;
        if ((rc = next_token(&items, &t)) < 0) return rc;
        bool at_end = t.kind == TOK_END;
        if (punct_is(&t, '(')) depth++;
        if (punct_is(&t, ')')) depth--;
        if (depth < 0) return fl_error_set(err, FLOE_ESYNTAX, "unbalanced parenthesis in schema");
        if (!at_end && !(depth == 0 && punct_is(&t, ','))) continue;
        const char *item_end = at_end ? body_end : t.start;
        ddl_column col;
        bool skip;
        if ((rc = parse_item(item_begin, item_end, &col, &skip, arena, err)) < 0) return rc;
        if (!skip) {
            for (int i = 0; i < table->n_columns; i++)
                if (strcasecmp(table->columns[i].name, col.name) == 0)
                    return fl_error_set(err, FLOE_EINVAL, "column \"%s\" is defined twice in schema",
                                        col.name);
            if (table->n_columns == cap) {
                ddl_column *grown = fl_arena_realloc(arena, table->columns,
                                                     (size_t)cap * sizeof *grown,
                                                     (size_t)cap * 2 * sizeof *grown);
                if (!grown) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
                table->columns = grown;
                cap *= 2;
            }
            table->columns[table->n_columns++] = col;
        }
        if (at_end) break;
        item_begin = t.end;
    }
    if (depth != 0) return fl_error_set(err, FLOE_ESYNTAX, "unbalanced parenthesis in schema");
    if (table->n_columns == 0) return fl_error_set(err, FLOE_ESYNTAX, "schema has no columns");
    *out = table;
    return 0;
}

int ddl_load(ddl_table **out, const char *arg, fl_arena *arena, fl_error *err)
{
    FILE *f = fopen(arg, "rb");
    if (!f) return ddl_parse(out, arg, strlen(arg), arena, err);
    fl_buf text;
    fl_buf_init(&text);
    int rc = 0;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (fl_buf_append(&text, chunk, n) < 0) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = fl_error_set(err, FLOE_EIO, "could not read schema file \"%s\"", arg);
    fclose(f);
    if (rc == 0) {
        rc = ddl_parse(out, fl_buf_cstr(&text), text.len, arena, err);
        if (rc < 0) fl_error_prefix(err, "schema file \"%s\": ", arg);
    }
    fl_buf_dispose(&text);
    return rc;
}
