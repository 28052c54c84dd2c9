/*
 * sql_parse_util.c: the parser's shared helpers (sql_parse_internal.h):
 * token expectations, syntax errors with line and column, the depth guard,
 * arena allocation and list building, identifiers, names and aliases.
 */
#include "sql_parse_internal.h"

int sp_syntax_error(sql_parser *p)
{
    const sql_token *t = sp_peek(p);
    if (p->err && p->err->code < 0) return p->err->code;   /* keep the first error */
    if (t->kind == SQL_TOK_EOF) {
        return sql_error_at(p->err, FLOE_ESYNTAX, "42601", p->text, p->len, t->offset,
                            "syntax error at end of input");
    }
    uint32_t show = t->len > 40 ? 40 : t->len;
    return sql_error_at(p->err, FLOE_ESYNTAX, "42601", p->text, p->len, t->offset,
                        "syntax error at or near \"%.*s\"", (int)show, p->text + t->offset);
}

int sp_oom(sql_parser *p)
{
    return fl_error_set(p->err, FLOE_ENOMEM, "out of memory while parsing SQL");
}

int sp_expect(sql_parser *p, sql_token_kind kind)
{
    if (!sp_accept(p, kind)) return sp_syntax_error(p);
    return 0;
}

int sp_expect_kw(sql_parser *p, sql_keyword kw)
{
    if (!sp_accept_kw(p, kw)) return sp_syntax_error(p);
    return 0;
}

void *sp_alloc(sql_parser *p, size_t size)
{
    void *ptr = fl_arena_calloc(p->arena, size);
    if (!ptr) sp_oom(p);
    return ptr;
}

int sp_vec_push(sql_parser *p, sp_vec *v, const void *elem, size_t elem_size)
{
    if (v->count == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 4;
        void *data = fl_arena_realloc(p->arena, v->data, (size_t)v->cap * elem_size,
                                      (size_t)cap * elem_size);
        if (!data) return sp_oom(p);
        v->data = data;
        v->cap = cap;
    }
    memcpy((char *)v->data + (size_t)v->count * elem_size, elem, elem_size);
    v->count++;
    return 0;
}

static int too_deep(sql_parser *p, int limit)
{
    const sql_token *t = sp_peek(p);
    return sql_error_at(p->err, FLOE_ELIMIT, "54001", p->text, p->len, t->offset,
                        "statement is too deeply nested (more than %d levels)", limit);
}

int sp_enter(sql_parser *p)
{
    if (p->depth >= SQL_MAX_DEPTH) return too_deep(p, SQL_MAX_DEPTH);
    if (p->height >= SQL_MAX_HEIGHT) return too_deep(p, SQL_MAX_HEIGHT);
    p->depth++;
    p->height++;
    return 0;
}

int sp_chain(sql_parser *p)
{
    if (p->height >= SQL_MAX_HEIGHT) return too_deep(p, SQL_MAX_HEIGHT);
    p->height++;
    return 0;
}

bool sp_is_ident(const sql_parser *p)
{
    const sql_token *t = sp_peek(p);
    return t->kind == SQL_TOK_QUOTED_IDENT || (t->kind == SQL_TOK_IDENT && !t->reserved);
}

int sp_parse_ident(sql_parser *p, sql_ident *out)
{
    if (!sp_is_ident(p)) return sp_syntax_error(p);
    const sql_token *t = sp_peek(p);
    out->name = t->text;
    out->quoted = t->kind == SQL_TOK_QUOTED_IDENT;
    sp_advance(p);
    return 0;
}

int sp_parse_ident_list(sql_parser *p, sql_ident **out, uint32_t *count)
{
    int rc;
    sp_vec v = {0};
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    do {
        sql_ident id;
        if ((rc = sp_parse_ident(p, &id)) < 0) return rc;
        if ((rc = sp_vec_push(p, &v, &id, sizeof id)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = v.data;
    *count = v.count;
    return 0;
}

int sp_parse_name(sql_parser *p, sql_name *out)
{
    int rc;
    sp_vec v = {0};
    sql_ident id;
    if ((rc = sp_parse_ident(p, &id)) < 0) return rc;
    if ((rc = sp_vec_push(p, &v, &id, sizeof id)) < 0) return rc;
    while (sp_is(p, SQL_TOK_DOT) &&
           (sp_is_at(p, 1, SQL_TOK_IDENT) || sp_is_at(p, 1, SQL_TOK_QUOTED_IDENT))) {
        sp_advance(p);
        const sql_token *t = sp_peek(p);
        id.name = t->text;   /* after a dot reserved words are names too */
        id.quoted = t->kind == SQL_TOK_QUOTED_IDENT;
        sp_advance(p);
        if ((rc = sp_vec_push(p, &v, &id, sizeof id)) < 0) return rc;
    }
    if (sp_is(p, SQL_TOK_DOT)) {
        sp_advance(p);
        return sp_syntax_error(p);
    }
    out->parts = v.data;
    out->count = v.count;
    return 0;
}

int sp_parse_string(sql_parser *p, const char **out)
{
    if (!sp_is(p, SQL_TOK_STRING)) return sp_syntax_error(p);
    *out = sp_peek(p)->text;
    sp_advance(p);
    return 0;
}

int sp_parse_alias(sql_parser *p, bool allow_implicit, const char **alias, bool *quoted)
{
    *alias = NULL;
    *quoted = false;
    if (sp_accept_kw(p, SQL_KW_AS)) {
        if (sp_is(p, SQL_TOK_STRING)) {   /* Spark: AS 'x' */
            *alias = sp_peek(p)->text;
            *quoted = true;
            sp_advance(p);
            return 0;
        }
        sql_ident id;
        int rc = sp_parse_ident(p, &id);
        if (rc < 0) return rc;
        *alias = id.name;
        *quoted = id.quoted;
        return 0;
    }
    if (allow_implicit && sp_is_ident(p)) {
        *alias = sp_peek(p)->text;
        *quoted = sp_is(p, SQL_TOK_QUOTED_IDENT);
        sp_advance(p);
    }
    return 0;
}
