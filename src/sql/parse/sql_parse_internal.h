/*
 * sql_parse_internal.h: state and helpers shared by the parser's files.
 *
 * The parser is split by grammar area: sql_parse_expr.c (expressions,
 * types, window specifications), sql_parse_query.c (query expressions and
 * FROM clauses) and sql_parse_stmt.c (statements and the entry points).
 * All functions here return 0 or a negative status with `p->err` set; the
 * AST goes to `p->arena`. Lists are built with sp_vec, an arena-backed
 * growable array whose final buffer becomes the AST's array.
 */
#ifndef SQL_PARSE_INTERNAL_H
#define SQL_PARSE_INTERNAL_H

#include <stdbool.h>
#include <string.h>

#include "sql_ast.h"
#include "sql_lexer.h"
#include "sql_parser.h"

typedef struct sql_parser {
    const char *text;
    size_t len;
    sql_token *toks;
    uint32_t tok_count;
    uint32_t pos;
    fl_arena *arena;
    fl_error *err;
    uint32_t depth;         /* recursion depth (sp_enter) */
    uint32_t height;        /* tree height so far: depth plus left-deep chain links */
    uint32_t param_count;
} sql_parser;

typedef struct sp_vec {
    void *data;
    uint32_t count, cap;
} sp_vec;

static inline const sql_token *sp_peek(const sql_parser *p) { return &p->toks[p->pos]; }
static inline const sql_token *sp_peek_at(const sql_parser *p, uint32_t ahead)
{
    uint32_t i = p->pos + ahead;
    return &p->toks[i < p->tok_count ? i : p->tok_count - 1];
}
static inline bool sp_is(const sql_parser *p, sql_token_kind kind) { return sp_peek(p)->kind == kind; }
static inline bool sp_is_kw(const sql_parser *p, sql_keyword kw)
{
    return sp_peek(p)->kind == SQL_TOK_IDENT && sp_peek(p)->kw == kw;
}
static inline bool sp_is_kw_at(const sql_parser *p, uint32_t ahead, sql_keyword kw)
{
    const sql_token *t = sp_peek_at(p, ahead);
    return t->kind == SQL_TOK_IDENT && t->kw == kw;
}
static inline bool sp_is_at(const sql_parser *p, uint32_t ahead, sql_token_kind kind)
{
    return sp_peek_at(p, ahead)->kind == kind;
}
static inline uint32_t sp_loc(const sql_parser *p) { return sp_peek(p)->offset; }
static inline void sp_advance(sql_parser *p)
{
    if (p->pos + 1 < p->tok_count) p->pos++;
}
static inline bool sp_accept(sql_parser *p, sql_token_kind kind)
{
    if (!sp_is(p, kind)) return false;
    sp_advance(p);
    return true;
}
static inline bool sp_accept_kw(sql_parser *p, sql_keyword kw)
{
    if (!sp_is_kw(p, kw)) return false;
    sp_advance(p);
    return true;
}

/* "syntax error at or near "tok" (line, column)" at the current token. */
int sp_syntax_error(sql_parser *p);
int sp_oom(sql_parser *p);
int sp_expect(sql_parser *p, sql_token_kind kind);
int sp_expect_kw(sql_parser *p, sql_keyword kw);
void *sp_alloc(sql_parser *p, size_t size);   /* zeroed; NULL after setting err */
int sp_vec_push(sql_parser *p, sp_vec *v, const void *elem, size_t elem_size);
/* Depth guard around recursion: sp_enter fails with 54001 past SQL_MAX_DEPTH. */
int sp_enter(sql_parser *p);
static inline void sp_leave(sql_parser *p)
{
    p->depth--;
    p->height--;
}
/* One more link of a left-deep chain (a + b + c, UNION, JOIN): counts toward
 * SQL_MAX_HEIGHT so later stages can recurse over the tree safely. The caller
 * saves p->height before the loop and restores it after. */
int sp_chain(sql_parser *p);

/* True when the current token can be an identifier (unquoted non-reserved
 * word, or quoted). */
bool sp_is_ident(const sql_parser *p);
int sp_parse_ident(sql_parser *p, sql_ident *out);
int sp_parse_ident_list(sql_parser *p, sql_ident **out, uint32_t *count);   /* ( a, b ) */
int sp_parse_name(sql_parser *p, sql_name *out);                            /* a.b.c */
int sp_parse_string(sql_parser *p, const char **out);
/* [AS] alias: when allow_implicit, a bare non-reserved identifier counts. */
int sp_parse_alias(sql_parser *p, bool allow_implicit, const char **alias, bool *quoted);

/* sql_parse_expr.c */
int sp_parse_expr(sql_parser *p, sql_expr **out);
/* Additive level only (no comparisons, AND/OR): frame offsets, BETWEEN bounds. */
int sp_parse_arith(sql_parser *p, sql_expr **out);
int sp_parse_expr_list(sql_parser *p, sql_expr ***out, uint32_t *count);   /* e, e, ... */
int sp_parse_type(sql_parser *p, sql_type **out);
int sp_parse_order_by(sql_parser *p, sql_order_item **out, uint32_t *count);  /* after ORDER BY */
int sp_parse_window_spec(sql_parser *p, sql_window **out);                  /* ( ... ) */
/* name(args) after the name: named arguments with "=>", and also "=" when
 * allow_eq_named (table functions in FROM). */
int sp_parse_call(sql_parser *p, const sql_name *name, uint32_t loc, bool allow_eq_named,
                  sql_expr **out);
int sp_parse_properties(sql_parser *p, sql_property **out, uint32_t *count);  /* ( k = v, ... ) */

/* sql_parse_query.c */
int sp_parse_query(sql_parser *p, sql_query **out);
/* True when the '(' at `ahead` opens a query: (SELECT ..), (WITH ..),
 * (VALUES ..), ((SELECT ..) UNION ..), ((SELECT ..)); false for an
 * expression, a column list or a parenthesized join. */
bool sp_starts_query(const sql_parser *p, uint32_t ahead);
int sp_parse_table_ref(sql_parser *p, sql_table_ref **out);   /* one FROM item with joins */

/* sql_parse_stmt.c */
int sp_parse_stmt(sql_parser *p, sql_stmt **out);

#endif
