/*
 * sql_parse_expr.c: expressions, type names and window specifications.
 *
 * Precedence, loosest first, one function per level:
 *   OR < AND < NOT < comparison and predicates (=, <>, IS, BETWEEN, IN,
 *   LIKE) < || < binary + - < * / % < unary + - < postfix (::type, [i])
 * Binary levels loop instead of recursing, so a long chain such as
 * a + b + ... costs no stack; only nesting (parentheses, unary operators,
 * NOT, calls, CASE, subqueries) recurses, and that goes through sp_enter's
 * depth guard. || sits between comparison and + as in Trino's grammar.
 */
#include "sql_parse_internal.h"

#include <stdlib.h>

static int parse_or(sql_parser *p, sql_expr **out);
static int parse_not(sql_parser *p, sql_expr **out);
static int parse_unary(sql_parser *p, sql_expr **out);

static sql_expr *new_expr(sql_parser *p, sql_expr_kind kind, uint32_t loc)
{
    sql_expr *e = sp_alloc(p, sizeof *e);
    if (e) {
        e->kind = kind;
        e->loc = loc;
    }
    return e;
}

static int make_binary(sql_parser *p, sql_op op, sql_expr *left, sql_expr *right, sql_expr **out)
{
    sql_expr *e = new_expr(p, SQL_EXPR_BINARY, left->loc);
    if (!e) return FLOE_ENOMEM;
    e->u.binary.op = op;
    e->u.binary.left = left;
    e->u.binary.right = right;
    *out = e;
    return 0;
}

int sp_parse_expr(sql_parser *p, sql_expr **out)
{
    int rc;
    if ((rc = sp_enter(p)) < 0) return rc;
    rc = parse_or(p, out);
    sp_leave(p);
    return rc;
}

int sp_parse_expr_list(sql_parser *p, sql_expr ***out, uint32_t *count)
{
    sp_vec v = {0};
    int rc;
    do {
        sql_expr *e;
        if ((rc = sp_parse_expr(p, &e)) < 0) return rc;
        if ((rc = sp_vec_push(p, &v, &e, sizeof e)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    *out = v.data;
    *count = v.count;
    return 0;
}

static int parse_and(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t height = p->height;
    sql_expr *left, *right;
    if ((rc = parse_not(p, &left)) < 0) return rc;
    while (sp_accept_kw(p, SQL_KW_AND)) {
        if ((rc = parse_not(p, &right)) < 0) return rc;
        if ((rc = sp_chain(p)) < 0 || (rc = make_binary(p, SQL_OP_AND, left, right, &left)) < 0) return rc;
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_or(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t height = p->height;
    sql_expr *left, *right;
    if ((rc = parse_and(p, &left)) < 0) return rc;
    while (sp_accept_kw(p, SQL_KW_OR)) {
        if ((rc = parse_and(p, &right)) < 0) return rc;
        if ((rc = sp_chain(p)) < 0 || (rc = make_binary(p, SQL_OP_OR, left, right, &left)) < 0) return rc;
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_predicate(sql_parser *p, sql_expr **out);

static int parse_not(sql_parser *p, sql_expr **out)
{
    if (!sp_is_kw(p, SQL_KW_NOT)) return parse_predicate(p, out);
    uint32_t loc = sp_loc(p);
    sp_advance(p);
    int rc;
    if ((rc = sp_enter(p)) < 0) return rc;
    sql_expr *arg;
    rc = parse_not(p, &arg);
    sp_leave(p);
    if (rc < 0) return rc;
    sql_expr *e = new_expr(p, SQL_EXPR_UNARY, loc);
    if (!e) return FLOE_ENOMEM;
    e->u.unary.op = SQL_OP_NOT;
    e->u.unary.arg = arg;
    *out = e;
    return 0;
}

static int parse_concat(sql_parser *p, sql_expr **out);

static bool comparison_op(const sql_token *t, sql_op *op)
{
    switch (t->kind) {
    case SQL_TOK_EQ: *op = SQL_OP_EQ; return true;
    case SQL_TOK_NE: *op = SQL_OP_NE; return true;
    case SQL_TOK_LT: *op = SQL_OP_LT; return true;
    case SQL_TOK_LE: *op = SQL_OP_LE; return true;
    case SQL_TOK_GT: *op = SQL_OP_GT; return true;
    case SQL_TOK_GE: *op = SQL_OP_GE; return true;
    default: return false;
    }
}

/* IS [NOT] NULL | TRUE | FALSE | DISTINCT FROM x, after IS. */
static int parse_is(sql_parser *p, sql_expr *left, sql_expr **out)
{
    bool negated = sp_accept_kw(p, SQL_KW_NOT);
    sql_expr *e;
    if (sp_accept_kw(p, SQL_KW_NULL)) {
        if (!(e = new_expr(p, SQL_EXPR_IS_NULL, left->loc))) return FLOE_ENOMEM;
        e->u.is.arg = left;
        e->u.is.negated = negated;
    } else if (sp_is_kw(p, SQL_KW_TRUE) || sp_is_kw(p, SQL_KW_FALSE)) {
        if (!(e = new_expr(p, SQL_EXPR_IS_BOOL, left->loc))) return FLOE_ENOMEM;
        e->u.is.arg = left;
        e->u.is.negated = negated;
        e->u.is.value = sp_is_kw(p, SQL_KW_TRUE);
        sp_advance(p);
    } else if (sp_accept_kw(p, SQL_KW_DISTINCT)) {
        int rc;
        if ((rc = sp_expect_kw(p, SQL_KW_FROM)) < 0) return rc;
        sql_expr *right;
        if ((rc = parse_concat(p, &right)) < 0) return rc;
        if (!(e = new_expr(p, SQL_EXPR_IS_DISTINCT, left->loc))) return FLOE_ENOMEM;
        e->u.distinct.left = left;
        e->u.distinct.right = right;
        e->u.distinct.negated = negated;
    } else {
        return sp_syntax_error(p);
    }
    *out = e;
    return 0;
}

/* [NOT] IN (...) | BETWEEN | LIKE | ILIKE, after the optional NOT. */
static int parse_negatable(sql_parser *p, sql_expr *left, bool negated, sql_expr **out)
{
    int rc;
    sql_expr *e;
    if (sp_accept_kw(p, SQL_KW_IN)) {
        bool query = sp_starts_query(p, 0);
        if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
        if (query) {
            if (!(e = new_expr(p, SQL_EXPR_IN_QUERY, left->loc))) return FLOE_ENOMEM;
            if ((rc = sp_parse_query(p, &e->u.in_query.query)) < 0) return rc;
            e->u.in_query.arg = left;
            e->u.in_query.negated = negated;
        } else {
            if (!(e = new_expr(p, SQL_EXPR_IN_LIST, left->loc))) return FLOE_ENOMEM;
            if ((rc = sp_parse_expr_list(p, &e->u.in_list.items, &e->u.in_list.count)) < 0) return rc;
            e->u.in_list.arg = left;
            e->u.in_list.negated = negated;
        }
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    } else if (sp_accept_kw(p, SQL_KW_BETWEEN)) {
        if (!(e = new_expr(p, SQL_EXPR_BETWEEN, left->loc))) return FLOE_ENOMEM;
        e->u.between.arg = left;
        e->u.between.negated = negated;
        if ((rc = parse_concat(p, &e->u.between.low)) < 0) return rc;
        if ((rc = sp_expect_kw(p, SQL_KW_AND)) < 0) return rc;
        if ((rc = parse_concat(p, &e->u.between.high)) < 0) return rc;
    } else if (sp_is_kw(p, SQL_KW_LIKE) || sp_is_kw(p, SQL_KW_ILIKE)) {
        if (!(e = new_expr(p, SQL_EXPR_LIKE, left->loc))) return FLOE_ENOMEM;
        e->u.like.ilike = sp_is_kw(p, SQL_KW_ILIKE);
        sp_advance(p);
        e->u.like.arg = left;
        e->u.like.negated = negated;
        if ((rc = parse_concat(p, &e->u.like.pattern)) < 0) return rc;
        if (sp_accept_kw(p, SQL_KW_ESCAPE)) {
            if ((rc = parse_concat(p, &e->u.like.escape)) < 0) return rc;
        }
    } else {
        return sp_syntax_error(p);
    }
    *out = e;
    return 0;
}

static int parse_predicate(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t height = p->height;
    sql_expr *left;
    if ((rc = parse_concat(p, &left)) < 0) return rc;
    for (;;) {
        sql_op op;
        if (comparison_op(sp_peek(p), &op)) {
            sp_advance(p);
            const sql_token *q = sp_peek(p);
            bool quantifier = q->kind == SQL_TOK_IDENT &&
                              (q->kw == SQL_KW_ANY || q->kw == SQL_KW_ALL || strcmp(q->text, "some") == 0);
            if (quantifier && sp_starts_query(p, 1)) {
                sql_expr *e = new_expr(p, SQL_EXPR_QUANTIFIED, left->loc);
                if (!e) return FLOE_ENOMEM;
                e->u.quantified.op = op;
                e->u.quantified.arg = left;
                e->u.quantified.all = q->kw == SQL_KW_ALL;
                sp_advance(p);
                sp_advance(p);
                if ((rc = sp_chain(p)) < 0) return rc;
                if ((rc = sp_parse_query(p, &e->u.quantified.query)) < 0) return rc;
                if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
                left = e;
                continue;
            }
            sql_expr *right;
            if ((rc = parse_concat(p, &right)) < 0) return rc;
            if ((rc = sp_chain(p)) < 0 || (rc = make_binary(p, op, left, right, &left)) < 0) return rc;
        } else if (sp_accept_kw(p, SQL_KW_IS)) {
            if ((rc = sp_chain(p)) < 0 || (rc = parse_is(p, left, &left)) < 0) return rc;
        } else if (sp_is_kw(p, SQL_KW_NOT) &&
                   (sp_is_kw_at(p, 1, SQL_KW_IN) || sp_is_kw_at(p, 1, SQL_KW_BETWEEN) ||
                    sp_is_kw_at(p, 1, SQL_KW_LIKE) || sp_is_kw_at(p, 1, SQL_KW_ILIKE))) {
            sp_advance(p);
            if ((rc = sp_chain(p)) < 0 || (rc = parse_negatable(p, left, true, &left)) < 0) return rc;
        } else if (sp_is_kw(p, SQL_KW_IN) || sp_is_kw(p, SQL_KW_BETWEEN) ||
                   sp_is_kw(p, SQL_KW_LIKE) || sp_is_kw(p, SQL_KW_ILIKE)) {
            if ((rc = sp_chain(p)) < 0 || (rc = parse_negatable(p, left, false, &left)) < 0) return rc;
        } else {
            break;
        }
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_mul(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t height = p->height;
    sql_expr *left, *right;
    if ((rc = parse_unary(p, &left)) < 0) return rc;
    for (;;) {
        sql_op op;
        if (sp_is(p, SQL_TOK_STAR)) op = SQL_OP_MUL;
        else if (sp_is(p, SQL_TOK_SLASH)) op = SQL_OP_DIV;
        else if (sp_is(p, SQL_TOK_PERCENT)) op = SQL_OP_MOD;
        else break;
        sp_advance(p);
        if ((rc = parse_unary(p, &right)) < 0) return rc;
        if ((rc = sp_chain(p)) < 0 || (rc = make_binary(p, op, left, right, &left)) < 0) return rc;
    }
    p->height = height;
    *out = left;
    return 0;
}

int sp_parse_arith(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t height = p->height;
    sql_expr *left, *right;
    if ((rc = parse_mul(p, &left)) < 0) return rc;
    for (;;) {
        sql_op op;
        if (sp_is(p, SQL_TOK_PLUS)) op = SQL_OP_ADD;
        else if (sp_is(p, SQL_TOK_MINUS)) op = SQL_OP_SUB;
        else break;
        sp_advance(p);
        if ((rc = parse_mul(p, &right)) < 0) return rc;
        if ((rc = sp_chain(p)) < 0 || (rc = make_binary(p, op, left, right, &left)) < 0) return rc;
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_concat(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t height = p->height;
    sql_expr *left, *right;
    if ((rc = sp_parse_arith(p, &left)) < 0) return rc;
    while (sp_accept(p, SQL_TOK_CONCAT)) {
        if ((rc = sp_parse_arith(p, &right)) < 0) return rc;
        if ((rc = sp_chain(p)) < 0 || (rc = make_binary(p, SQL_OP_CONCAT, left, right, &left)) < 0) return rc;
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_postfix(sql_parser *p, sql_expr **out);

static int parse_unary(sql_parser *p, sql_expr **out)
{
    if (!sp_is(p, SQL_TOK_MINUS) && !sp_is(p, SQL_TOK_PLUS)) return parse_postfix(p, out);
    uint32_t loc = sp_loc(p);
    sql_op op = sp_is(p, SQL_TOK_MINUS) ? SQL_OP_NEG : SQL_OP_PLUS;
    sp_advance(p);
    int rc;
    if ((rc = sp_enter(p)) < 0) return rc;
    sql_expr *arg;
    rc = parse_unary(p, &arg);
    sp_leave(p);
    if (rc < 0) return rc;
    sql_expr *e = new_expr(p, SQL_EXPR_UNARY, loc);
    if (!e) return FLOE_ENOMEM;
    e->u.unary.op = op;
    e->u.unary.arg = arg;
    *out = e;
    return 0;
}

static int parse_primary(sql_parser *p, sql_expr **out);

static int parse_postfix(sql_parser *p, sql_expr **out)
{
    int rc;
    sql_expr *e;
    if ((rc = parse_primary(p, &e)) < 0) return rc;
    uint32_t height = p->height;
    for (;;) {
        bool at_zone = sp_is(p, SQL_TOK_IDENT) && strcmp(sp_peek(p)->text, "at") == 0 &&
                       sp_is_kw_at(p, 1, SQL_KW_TIME) && sp_is_kw_at(p, 2, SQL_KW_ZONE);
        if ((sp_is(p, SQL_TOK_DCOLON) || sp_is(p, SQL_TOK_LBRACKET) || at_zone) && (rc = sp_chain(p)) < 0)
            return rc;
        if (at_zone) {
            sp_advance(p);
            sp_advance(p);
            sp_advance(p);
            sql_expr *z = new_expr(p, SQL_EXPR_AT_TIME_ZONE, e->loc);
            if (!z) return FLOE_ENOMEM;
            z->u.at_zone.arg = e;
            if ((rc = parse_primary(p, &z->u.at_zone.zone)) < 0) return rc;
            e = z;
            continue;
        }
        if (sp_is(p, SQL_TOK_DCOLON)) {
            sp_advance(p);
            sql_expr *c = new_expr(p, SQL_EXPR_CAST, e->loc);
            if (!c) return FLOE_ENOMEM;
            c->u.cast.arg = e;
            if ((rc = sp_parse_type(p, &c->u.cast.type)) < 0) return rc;
            e = c;
        } else if (sp_is(p, SQL_TOK_LBRACKET)) {
            sp_advance(p);
            sql_expr *s = new_expr(p, SQL_EXPR_SUBSCRIPT, e->loc);
            if (!s) return FLOE_ENOMEM;
            s->u.subscript.arg = e;
            if ((rc = sp_parse_expr(p, &s->u.subscript.index)) < 0) return rc;
            if ((rc = sp_expect(p, SQL_TOK_RBRACKET)) < 0) return rc;
            e = s;
        } else {
            break;
        }
    }
    p->height = height;
    *out = e;
    return 0;
}

static int parse_literal(sql_parser *p, sql_literal_kind kind, sql_expr **out)
{
    sql_expr *e = new_expr(p, SQL_EXPR_LITERAL, sp_loc(p));
    if (!e) return FLOE_ENOMEM;
    e->u.lit.kind = kind;
    e->u.lit.text = sp_peek(p)->text;
    e->u.lit.boolean = sp_is_kw(p, SQL_KW_TRUE);
    sp_advance(p);
    *out = e;
    return 0;
}

static int parse_case(sql_parser *p, sql_expr **out)
{
    int rc;
    sql_expr *e = new_expr(p, SQL_EXPR_CASE, sp_loc(p));
    if (!e) return FLOE_ENOMEM;
    sp_advance(p);   /* CASE */
    if (!sp_is_kw(p, SQL_KW_WHEN)) {
        if ((rc = sp_parse_expr(p, &e->u.case_.operand)) < 0) return rc;
    }
    sp_vec whens = {0}, thens = {0};
    if (!sp_is_kw(p, SQL_KW_WHEN)) return sp_syntax_error(p);
    while (sp_accept_kw(p, SQL_KW_WHEN)) {
        sql_expr *w, *t;
        if ((rc = sp_parse_expr(p, &w)) < 0) return rc;
        if ((rc = sp_expect_kw(p, SQL_KW_THEN)) < 0) return rc;
        if ((rc = sp_parse_expr(p, &t)) < 0) return rc;
        if ((rc = sp_vec_push(p, &whens, &w, sizeof w)) < 0) return rc;
        if ((rc = sp_vec_push(p, &thens, &t, sizeof t)) < 0) return rc;
    }
    if (sp_accept_kw(p, SQL_KW_ELSE)) {
        if ((rc = sp_parse_expr(p, &e->u.case_.else_expr)) < 0) return rc;
    }
    if ((rc = sp_expect_kw(p, SQL_KW_END)) < 0) return rc;
    e->u.case_.whens = whens.data;
    e->u.case_.thens = thens.data;
    e->u.case_.when_count = whens.count;
    *out = e;
    return 0;
}

static int parse_cast(sql_parser *p, sql_expr **out)
{
    int rc;
    sql_expr *e = new_expr(p, SQL_EXPR_CAST, sp_loc(p));
    if (!e) return FLOE_ENOMEM;
    e->u.cast.try_ = sp_is_kw(p, SQL_KW_TRY_CAST);
    sp_advance(p);
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    if ((rc = sp_parse_expr(p, &e->u.cast.arg)) < 0) return rc;
    if ((rc = sp_expect_kw(p, SQL_KW_AS)) < 0) return rc;
    if ((rc = sp_parse_type(p, &e->u.cast.type)) < 0) return rc;
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = e;
    return 0;
}

static int parse_extract(sql_parser *p, sql_expr **out)
{
    int rc;
    sql_expr *e = new_expr(p, SQL_EXPR_EXTRACT, sp_loc(p));
    if (!e) return FLOE_ENOMEM;
    sp_advance(p);
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    const sql_token *t = sp_peek(p);
    if (t->kind != SQL_TOK_IDENT && t->kind != SQL_TOK_QUOTED_IDENT && t->kind != SQL_TOK_STRING)
        return sp_syntax_error(p);
    e->u.extract.field = t->text;
    sp_advance(p);
    if ((rc = sp_expect_kw(p, SQL_KW_FROM)) < 0) return rc;
    if ((rc = sp_parse_expr(p, &e->u.extract.arg)) < 0) return rc;
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = e;
    return 0;
}

static sql_interval_unit interval_unit(const sql_token *t)
{
    if (t->kind != SQL_TOK_IDENT) return SQL_UNIT_NONE;
    switch (t->kw) {
    case SQL_KW_YEAR: case SQL_KW_YEARS: return SQL_UNIT_YEAR;
    case SQL_KW_MONTH: case SQL_KW_MONTHS: return SQL_UNIT_MONTH;
    case SQL_KW_WEEK: case SQL_KW_WEEKS: return SQL_UNIT_WEEK;
    case SQL_KW_DAY: case SQL_KW_DAYS: return SQL_UNIT_DAY;
    case SQL_KW_HOUR: case SQL_KW_HOURS: return SQL_UNIT_HOUR;
    case SQL_KW_MINUTE: case SQL_KW_MINUTES: return SQL_UNIT_MINUTE;
    case SQL_KW_SECOND: case SQL_KW_SECONDS: return SQL_UNIT_SECOND;
    default: return SQL_UNIT_NONE;
    }
}

/* INTERVAL '30' DAY, INTERVAL 30 DAYS, INTERVAL '1-2' YEAR TO MONTH, INTERVAL '1 day'. */
static int parse_interval(sql_parser *p, sql_expr **out)
{
    int rc;
    sql_expr *e = new_expr(p, SQL_EXPR_INTERVAL, sp_loc(p));
    if (!e) return FLOE_ENOMEM;
    sp_advance(p);
    if (sp_is(p, SQL_TOK_STRING)) {
        if ((rc = parse_literal(p, SQL_LIT_STRING, &e->u.interval.value)) < 0) return rc;
    } else {
        if ((rc = parse_unary(p, &e->u.interval.value)) < 0) return rc;
    }
    e->u.interval.unit = interval_unit(sp_peek(p));
    if (e->u.interval.unit != SQL_UNIT_NONE) {
        sp_advance(p);
        if (sp_is_kw(p, SQL_KW_TO) && interval_unit(sp_peek_at(p, 1)) != SQL_UNIT_NONE) {
            sp_advance(p);
            e->u.interval.to_unit = interval_unit(sp_peek(p));
            sp_advance(p);
        }
    } else if (e->u.interval.value->kind != SQL_EXPR_LITERAL ||
               e->u.interval.value->u.lit.kind != SQL_LIT_STRING) {
        return sp_syntax_error(p);   /* INTERVAL 30 needs a unit */
    }
    *out = e;
    return 0;
}

/* { 'a': 1, b: 'x' } */
static int parse_struct(sql_parser *p, sql_expr **out)
{
    int rc;
    sql_expr *e = new_expr(p, SQL_EXPR_STRUCT, sp_loc(p));
    if (!e) return FLOE_ENOMEM;
    sp_advance(p);
    sp_vec names = {0}, values = {0};
    if (!sp_is(p, SQL_TOK_RBRACE)) {
        do {
            sql_ident name = {0};
            if (sp_is(p, SQL_TOK_STRING)) {
                name.name = sp_peek(p)->text;
                name.quoted = true;
                sp_advance(p);
            } else if ((rc = sp_parse_ident(p, &name)) < 0) {
                return rc;
            }
            if ((rc = sp_expect(p, SQL_TOK_COLON)) < 0) return rc;
            sql_expr *v;
            if ((rc = sp_parse_expr(p, &v)) < 0) return rc;
            if ((rc = sp_vec_push(p, &names, &name, sizeof name)) < 0) return rc;
            if ((rc = sp_vec_push(p, &values, &v, sizeof v)) < 0) return rc;
        } while (sp_accept(p, SQL_TOK_COMMA));
    }
    if ((rc = sp_expect(p, SQL_TOK_RBRACE)) < 0) return rc;
    e->u.struct_.names = names.data;
    e->u.struct_.values = values.data;
    e->u.struct_.count = names.count;
    *out = e;
    return 0;
}

/* ARRAY[...] (closing ']') or ROW(...) (closing ')'), at the opening token. */
static int parse_list_expr(sql_parser *p, sql_expr_kind kind, uint32_t loc, sql_token_kind close,
                           sql_expr **out)
{
    int rc;
    sql_expr *e = new_expr(p, kind, loc);
    if (!e) return FLOE_ENOMEM;
    sp_advance(p);
    if (!sp_is(p, close)) {
        if ((rc = sp_parse_expr_list(p, &e->u.list.items, &e->u.list.count)) < 0) return rc;
    }
    if ((rc = sp_expect(p, close)) < 0) return rc;
    *out = e;
    return 0;
}

/* ( query ) | ( expr ) | ( expr, expr, ... ) */
static int parse_paren(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t loc = sp_loc(p);
    if (sp_starts_query(p, 0)) {
        sql_expr *e = new_expr(p, SQL_EXPR_SUBQUERY, loc);
        if (!e) return FLOE_ENOMEM;
        sp_advance(p);
        if ((rc = sp_parse_query(p, &e->u.subquery)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
        *out = e;
        return 0;
    }
    sp_advance(p);
    sql_expr *first;
    if ((rc = sp_parse_expr(p, &first)) < 0) return rc;
    if (sp_is(p, SQL_TOK_COMMA)) {
        sp_vec items = {0};
        if ((rc = sp_vec_push(p, &items, &first, sizeof first)) < 0) return rc;
        while (sp_accept(p, SQL_TOK_COMMA)) {
            sql_expr *next;
            if ((rc = sp_parse_expr(p, &next)) < 0) return rc;
            if ((rc = sp_vec_push(p, &items, &next, sizeof next)) < 0) return rc;
        }
        sql_expr *row = new_expr(p, SQL_EXPR_ROW, loc);
        if (!row) return FLOE_ENOMEM;
        row->u.list.items = items.data;
        row->u.list.count = items.count;
        first = row;
    }
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = first;
    return 0;
}

/* A name, qualified name, t.* or function call. */
static int parse_name_expr(sql_parser *p, sql_expr **out)
{
    int rc;
    uint32_t loc = sp_loc(p);
    sp_vec parts = {0};
    sql_ident id;
    if ((rc = sp_parse_ident(p, &id)) < 0) return rc;
    if ((rc = sp_vec_push(p, &parts, &id, sizeof id)) < 0) return rc;
    while (sp_is(p, SQL_TOK_DOT)) {
        sp_advance(p);
        const sql_token *t = sp_peek(p);
        if (t->kind == SQL_TOK_STAR) {
            sp_advance(p);
            sql_expr *e = new_expr(p, SQL_EXPR_STAR, loc);
            if (!e) return FLOE_ENOMEM;
            e->u.column.parts = parts.data;
            e->u.column.count = parts.count;
            *out = e;
            return 0;
        }
        /* after a dot any word is a name part, reserved or not: s.order */
        if (t->kind != SQL_TOK_IDENT && t->kind != SQL_TOK_QUOTED_IDENT) return sp_syntax_error(p);
        id.name = t->text;
        id.quoted = t->kind == SQL_TOK_QUOTED_IDENT;
        sp_advance(p);
        if ((rc = sp_vec_push(p, &parts, &id, sizeof id)) < 0) return rc;
    }
    sql_name name = {parts.data, parts.count};
    if (sp_is(p, SQL_TOK_LPAREN)) return sp_parse_call(p, &name, loc, false, out);
    sql_expr *e = new_expr(p, SQL_EXPR_COLUMN, loc);
    if (!e) return FLOE_ENOMEM;
    e->u.column = name;
    *out = e;
    return 0;
}

/* Words that start special expression forms when unquoted. */
static int parse_keyword_expr(sql_parser *p, sql_expr **out, bool *handled)
{
    const sql_token *t = sp_peek(p);
    const sql_token *next = sp_peek_at(p, 1);
    *handled = true;
    switch (t->kw) {
    case SQL_KW_NULL: return parse_literal(p, SQL_LIT_NULL, out);
    case SQL_KW_TRUE:
    case SQL_KW_FALSE: return parse_literal(p, SQL_LIT_BOOL, out);
    case SQL_KW_CASE: return parse_case(p, out);
    case SQL_KW_CAST:
    case SQL_KW_TRY_CAST:
        if (next->kind == SQL_TOK_LPAREN) return parse_cast(p, out);
        break;
    case SQL_KW_EXTRACT:
        if (next->kind == SQL_TOK_LPAREN) return parse_extract(p, out);
        break;
    case SQL_KW_EXISTS:
        if (next->kind == SQL_TOK_LPAREN) {
            int rc;
            sql_expr *e = new_expr(p, SQL_EXPR_EXISTS, t->offset);
            if (!e) return FLOE_ENOMEM;
            sp_advance(p);
            sp_advance(p);
            if ((rc = sp_parse_query(p, &e->u.subquery)) < 0) return rc;
            if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
            *out = e;
            return 0;
        }
        break;
    case SQL_KW_INTERVAL:
        if (next->kind == SQL_TOK_STRING || next->kind == SQL_TOK_INTEGER ||
            next->kind == SQL_TOK_DECIMAL || next->kind == SQL_TOK_MINUS)
            return parse_interval(p, out);
        break;
    case SQL_KW_DATE:
    case SQL_KW_TIME:
    case SQL_KW_TIMESTAMP:
        if (next->kind == SQL_TOK_STRING) {
            int rc;
            sql_expr *e;
            sql_type *type = sp_alloc(p, sizeof *type);
            if (!type) return FLOE_ENOMEM;
            type->name = t->text;
            type->loc = t->offset;
            sp_advance(p);
            if ((rc = parse_literal(p, SQL_LIT_TYPED, &e)) < 0) return rc;
            e->loc = t->offset;
            e->u.lit.type = type;
            *out = e;
            return 0;
        }
        break;
    case SQL_KW_ARRAY:
        if (next->kind == SQL_TOK_LBRACKET) {
            uint32_t loc = t->offset;
            sp_advance(p);
            return parse_list_expr(p, SQL_EXPR_ARRAY, loc, SQL_TOK_RBRACKET, out);
        }
        break;
    case SQL_KW_ROW:
        if (next->kind == SQL_TOK_LPAREN) {
            uint32_t loc = t->offset;
            sp_advance(p);
            return parse_list_expr(p, SQL_EXPR_ROW, loc, SQL_TOK_RPAREN, out);
        }
        break;
    case SQL_KW_LEFT:
    case SQL_KW_RIGHT:
        if (next->kind == SQL_TOK_LPAREN) {   /* left(s, n), right(s, n) */
            sql_ident *part = sp_alloc(p, sizeof *part);
            if (!part) return FLOE_ENOMEM;
            part->name = t->text;
            sql_name name = {part, 1};
            uint32_t loc = t->offset;
            sp_advance(p);
            return sp_parse_call(p, &name, loc, false, out);
        }
        break;
    default:
        break;
    }
    *handled = false;
    return 0;
}

static int parse_primary(sql_parser *p, sql_expr **out)
{
    const sql_token *t = sp_peek(p);
    switch (t->kind) {
    case SQL_TOK_INTEGER: return parse_literal(p, SQL_LIT_INTEGER, out);
    case SQL_TOK_DECIMAL: return parse_literal(p, SQL_LIT_DECIMAL, out);
    case SQL_TOK_DOUBLE: return parse_literal(p, SQL_LIT_DOUBLE, out);
    case SQL_TOK_STRING: return parse_literal(p, SQL_LIT_STRING, out);
    case SQL_TOK_PARAM: {
        sql_expr *e = new_expr(p, SQL_EXPR_PARAM, t->offset);
        if (!e) return FLOE_ENOMEM;
        e->u.param_index = ++p->param_count;
        sp_advance(p);
        *out = e;
        return 0;
    }
    case SQL_TOK_LPAREN: {
        int rc;
        if ((rc = sp_enter(p)) < 0) return rc;
        rc = parse_paren(p, out);
        sp_leave(p);
        return rc;
    }
    case SQL_TOK_LBRACE: return parse_struct(p, out);
    case SQL_TOK_STAR: {
        sql_expr *e = new_expr(p, SQL_EXPR_STAR, t->offset);
        if (!e) return FLOE_ENOMEM;
        sp_advance(p);
        *out = e;
        return 0;
    }
    case SQL_TOK_IDENT: {
        bool handled;
        int rc = parse_keyword_expr(p, out, &handled);
        if (handled || rc < 0) return rc;
        if (t->reserved) return sp_syntax_error(p);
        return parse_name_expr(p, out);
    }
    case SQL_TOK_QUOTED_IDENT:
        return parse_name_expr(p, out);
    default:
        return sp_syntax_error(p);
    }
}

/* One argument: name => value, name = value (allow_eq), or an expression. */
static int parse_arg(sql_parser *p, bool allow_eq_named, sql_expr **out)
{
    const sql_token *t = sp_peek(p);
    const sql_token *next = sp_peek_at(p, 1);
    bool is_name = (t->kind == SQL_TOK_IDENT || t->kind == SQL_TOK_QUOTED_IDENT);
    if (is_name && (next->kind == SQL_TOK_ARROW || (allow_eq_named && next->kind == SQL_TOK_EQ))) {
        sql_expr *e = new_expr(p, SQL_EXPR_NAMED_ARG, t->offset);
        if (!e) return FLOE_ENOMEM;
        e->u.named.name.name = t->text;
        e->u.named.name.quoted = t->kind == SQL_TOK_QUOTED_IDENT;
        sp_advance(p);
        sp_advance(p);
        int rc = sp_parse_expr(p, &e->u.named.value);
        if (rc < 0) return rc;
        *out = e;
        return 0;
    }
    return sp_parse_expr(p, out);
}

int sp_parse_call(sql_parser *p, const sql_name *name, uint32_t loc, bool allow_eq_named,
                  sql_expr **out)
{
    int rc;
    if ((rc = sp_enter(p)) < 0) return rc;
    sql_expr *e = new_expr(p, SQL_EXPR_FUNCTION, loc);
    if (!e) {
        sp_leave(p);
        return FLOE_ENOMEM;
    }
    e->u.func.name = *name;
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) goto done;
    if (sp_is(p, SQL_TOK_STAR) && sp_is_at(p, 1, SQL_TOK_RPAREN)) {
        e->u.func.star = true;
        sp_advance(p);
    } else if (!sp_is(p, SQL_TOK_RPAREN)) {
        if (sp_accept_kw(p, SQL_KW_DISTINCT)) e->u.func.distinct = true;
        else sp_accept_kw(p, SQL_KW_ALL);
        sp_vec args = {0};
        do {
            sql_expr *arg;
            if ((rc = parse_arg(p, allow_eq_named, &arg)) < 0) goto done;
            if ((rc = sp_vec_push(p, &args, &arg, sizeof arg)) < 0) goto done;
        } while (sp_accept(p, SQL_TOK_COMMA));
        e->u.func.args = args.data;
        e->u.func.arg_count = args.count;
        if (sp_is_kw(p, SQL_KW_ORDER) && sp_is_kw_at(p, 1, SQL_KW_BY)) {
            sp_advance(p);
            sp_advance(p);
            if ((rc = sp_parse_order_by(p, &e->u.func.order, &e->u.func.order_count)) < 0) goto done;
        }
    }
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) goto done;
    if (sp_is_kw(p, SQL_KW_FILTER) && sp_is_at(p, 1, SQL_TOK_LPAREN)) {
        sp_advance(p);
        sp_advance(p);
        if ((rc = sp_expect_kw(p, SQL_KW_WHERE)) < 0) goto done;
        if ((rc = sp_parse_expr(p, &e->u.func.filter)) < 0) goto done;
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) goto done;
    }
    if (sp_is_kw(p, SQL_KW_OVER)) {
        if (sp_is_at(p, 1, SQL_TOK_LPAREN)) {
            sp_advance(p);
            if ((rc = sp_parse_window_spec(p, &e->u.func.over)) < 0) goto done;
        } else if (sp_is_at(p, 1, SQL_TOK_IDENT) || sp_is_at(p, 1, SQL_TOK_QUOTED_IDENT)) {
            sp_advance(p);
            sql_window *w = sp_alloc(p, sizeof *w);
            if (!w) {
                rc = FLOE_ENOMEM;
                goto done;
            }
            w->loc = sp_loc(p);
            sql_ident base;
            if ((rc = sp_parse_ident(p, &base)) < 0) goto done;
            w->base = base.name;
            e->u.func.over = w;
        }
    }
    *out = e;
    rc = 0;
done:
    sp_leave(p);
    return rc;
}

int sp_parse_order_by(sql_parser *p, sql_order_item **out, uint32_t *count)
{
    int rc;
    sp_vec v = {0};
    do {
        sql_order_item item = {0};
        if ((rc = sp_parse_expr(p, &item.expr)) < 0) return rc;
        if (sp_accept_kw(p, SQL_KW_DESC)) item.desc = true;
        else sp_accept_kw(p, SQL_KW_ASC);
        if (sp_accept_kw(p, SQL_KW_NULLS)) {
            if (sp_accept_kw(p, SQL_KW_FIRST)) item.nulls = 1;
            else if (sp_accept_kw(p, SQL_KW_LAST)) item.nulls = 2;
            else return sp_syntax_error(p);
        }
        if ((rc = sp_vec_push(p, &v, &item, sizeof item)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    *out = v.data;
    *count = v.count;
    return 0;
}

static int parse_frame_bound(sql_parser *p, sql_frame_bound *b)
{
    int rc;
    if (sp_accept_kw(p, SQL_KW_UNBOUNDED)) {
        if (sp_accept_kw(p, SQL_KW_PRECEDING)) b->kind = SQL_BOUND_UNBOUNDED_PRECEDING;
        else if (sp_accept_kw(p, SQL_KW_FOLLOWING)) b->kind = SQL_BOUND_UNBOUNDED_FOLLOWING;
        else return sp_syntax_error(p);
        return 0;
    }
    if (sp_is_kw(p, SQL_KW_CURRENT) && sp_is_kw_at(p, 1, SQL_KW_ROW)) {
        sp_advance(p);
        sp_advance(p);
        b->kind = SQL_BOUND_CURRENT_ROW;
        return 0;
    }
    if ((rc = sp_parse_arith(p, &b->offset)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_PRECEDING)) b->kind = SQL_BOUND_PRECEDING;
    else if (sp_accept_kw(p, SQL_KW_FOLLOWING)) b->kind = SQL_BOUND_FOLLOWING;
    else return sp_syntax_error(p);
    return 0;
}

int sp_parse_window_spec(sql_parser *p, sql_window **out)
{
    int rc;
    sql_window *w = sp_alloc(p, sizeof *w);
    if (!w) return FLOE_ENOMEM;
    w->loc = sp_loc(p);
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    if (sp_is_ident(p) && !sp_is_kw(p, SQL_KW_PARTITION) && !sp_is_kw(p, SQL_KW_ROWS) &&
        !sp_is_kw(p, SQL_KW_RANGE) && !sp_is_kw(p, SQL_KW_GROUPS)) {
        sql_ident base;
        if ((rc = sp_parse_ident(p, &base)) < 0) return rc;
        w->base = base.name;
    }
    if (sp_is_kw(p, SQL_KW_PARTITION)) {
        sp_advance(p);
        if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
        if ((rc = sp_parse_expr_list(p, &w->partition, &w->partition_count)) < 0) return rc;
    }
    if (sp_is_kw(p, SQL_KW_ORDER)) {
        sp_advance(p);
        if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
        if ((rc = sp_parse_order_by(p, &w->order, &w->order_count)) < 0) return rc;
    }
    if (sp_is_kw(p, SQL_KW_ROWS) || sp_is_kw(p, SQL_KW_RANGE) || sp_is_kw(p, SQL_KW_GROUPS)) {
        w->frame = sp_is_kw(p, SQL_KW_ROWS)    ? SQL_FRAME_ROWS
                   : sp_is_kw(p, SQL_KW_RANGE) ? SQL_FRAME_RANGE
                                               : SQL_FRAME_GROUPS;
        sp_advance(p);
        if (sp_accept_kw(p, SQL_KW_BETWEEN)) {
            if ((rc = parse_frame_bound(p, &w->start)) < 0) return rc;
            if ((rc = sp_expect_kw(p, SQL_KW_AND)) < 0) return rc;
            if ((rc = parse_frame_bound(p, &w->end)) < 0) return rc;
        } else {
            if ((rc = parse_frame_bound(p, &w->start)) < 0) return rc;
        }
    }
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = w;
    return 0;
}

/* ---- types ---- */

static int type_param_list(sql_parser *p, sql_type *type)
{
    int rc;
    sp_vec params = {0};
    do {
        const sql_token *t = sp_peek(p);
        if (t->kind != SQL_TOK_INTEGER) return sp_syntax_error(p);
        char *end;
        int64_t v = strtoll(t->text, &end, 10);
        if (*end != '\0' || v < 0 || v > INT32_MAX) return sp_syntax_error(p);
        sp_advance(p);
        if ((rc = sp_vec_push(p, &params, &v, sizeof v)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    type->params = params.data;
    type->param_count = params.count;
    return 0;
}

/* Element types of array/map/row/struct, after the opening ( or <. Row and
 * struct fields are "name type" or "name: type". */
static int type_child_list(sql_parser *p, sql_type *type, bool named, sql_token_kind close)
{
    int rc;
    sp_vec children = {0}, names = {0};
    if (sp_is(p, close)) return 0;
    do {
        if (named) {
            sql_ident name;
            if (sp_is(p, SQL_TOK_IDENT) || sp_is(p, SQL_TOK_QUOTED_IDENT)) {
                name.name = sp_peek(p)->text;
                name.quoted = sp_is(p, SQL_TOK_QUOTED_IDENT);
                sp_advance(p);
            } else {
                return sp_syntax_error(p);
            }
            sp_accept(p, SQL_TOK_COLON);
            if ((rc = sp_vec_push(p, &names, &name, sizeof name)) < 0) return rc;
        }
        sql_type *child;
        if ((rc = sp_parse_type(p, &child)) < 0) return rc;
        if ((rc = sp_vec_push(p, &children, &child, sizeof child)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    type->children = children.data;
    type->child_count = children.count;
    type->field_names = names.data;
    return 0;
}

static const char *join_words(sql_parser *p, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = fl_arena_alloc(p->arena, la + lb + 2);
    if (!s) return NULL;
    memcpy(s, a, la);
    s[la] = ' ';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

static int parse_type_inner(sql_parser *p, sql_type **out)
{
    int rc;
    const sql_token *t = sp_peek(p);
    if (t->kind != SQL_TOK_IDENT && t->kind != SQL_TOK_QUOTED_IDENT) return sp_syntax_error(p);
    sql_type *type = sp_alloc(p, sizeof *type);
    if (!type) return FLOE_ENOMEM;
    type->loc = t->offset;
    type->name = t->text;
    sp_advance(p);
    const char *n = type->name;
    if (strcmp(n, "double") == 0 && sp_peek(p)->kind == SQL_TOK_IDENT &&
        strcmp(sp_peek(p)->text, "precision") == 0) {
        sp_advance(p);
        type->name = "double precision";
    } else if ((strcmp(n, "character") == 0 || strcmp(n, "char") == 0) &&
               sp_peek(p)->kind == SQL_TOK_IDENT && strcmp(sp_peek(p)->text, "varying") == 0) {
        sp_advance(p);
        type->name = "varchar";
    }
    bool nested = strcmp(n, "array") == 0 || strcmp(n, "map") == 0;
    bool named = strcmp(n, "row") == 0 || strcmp(n, "struct") == 0;
    if (sp_accept(p, SQL_TOK_LPAREN)) {
        if (nested || named) rc = type_child_list(p, type, named, SQL_TOK_RPAREN);
        else rc = type_param_list(p, type);
        if (rc < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    } else if ((nested || named) && sp_accept(p, SQL_TOK_LT)) {
        if ((rc = type_child_list(p, type, named, SQL_TOK_GT)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_GT)) < 0) return rc;
    }
    if ((strcmp(n, "timestamp") == 0 || strcmp(n, "time") == 0) &&
        (sp_is_kw(p, SQL_KW_WITH) || (sp_is(p, SQL_TOK_IDENT) && strcmp(sp_peek(p)->text, "without") == 0)) &&
        sp_is_kw_at(p, 1, SQL_KW_TIME) && sp_is_kw_at(p, 2, SQL_KW_ZONE)) {
        bool with = sp_is_kw(p, SQL_KW_WITH);
        sp_advance(p);
        sp_advance(p);
        sp_advance(p);
        if (with && !(type->name = join_words(p, n, "with time zone"))) return sp_oom(p);
    }
    if (strcmp(n, "interval") == 0 && interval_unit(sp_peek(p)) != SQL_UNIT_NONE) {
        const char *unit = sp_peek(p)->text;
        sp_advance(p);
        if (!(type->name = join_words(p, n, unit))) return sp_oom(p);
        if (sp_is_kw(p, SQL_KW_TO) && interval_unit(sp_peek_at(p, 1)) != SQL_UNIT_NONE) {
            sp_advance(p);
            if (!(type->name = join_words(p, type->name, "to"))) return sp_oom(p);
            if (!(type->name = join_words(p, type->name, sp_peek(p)->text))) return sp_oom(p);
            sp_advance(p);
        }
    }
    while (sp_is(p, SQL_TOK_LBRACKET) && sp_is_at(p, 1, SQL_TOK_RBRACKET)) {   /* int[] */
        sp_advance(p);
        sp_advance(p);
        sql_type *arr = sp_alloc(p, sizeof *arr);
        sql_type **child = sp_alloc(p, sizeof *child);
        if (!arr || !child) return FLOE_ENOMEM;
        arr->name = "array";
        arr->loc = type->loc;
        *child = type;
        arr->children = child;
        arr->child_count = 1;
        type = arr;
    }
    *out = type;
    return 0;
}

int sp_parse_type(sql_parser *p, sql_type **out)
{
    int rc;
    if ((rc = sp_enter(p)) < 0) return rc;
    rc = parse_type_inner(p, out);
    sp_leave(p);
    return rc;
}

/* ---- property lists ---- */

static int parse_property_key(sql_parser *p, const char **key)
{
    const sql_token *t = sp_peek(p);
    if (t->kind == SQL_TOK_STRING) {
        *key = t->text;
        sp_advance(p);
        return 0;
    }
    if (t->kind != SQL_TOK_IDENT && t->kind != SQL_TOK_QUOTED_IDENT) return sp_syntax_error(p);
    const char *k = t->text;
    sp_advance(p);
    /* dotted keys: write.format.default = 'parquet' */
    while (sp_is(p, SQL_TOK_DOT) &&
           (sp_is_at(p, 1, SQL_TOK_IDENT) || sp_is_at(p, 1, SQL_TOK_QUOTED_IDENT))) {
        sp_advance(p);
        size_t la = strlen(k), lb = sp_peek(p)->text_len;
        char *s = fl_arena_alloc(p->arena, la + lb + 2);
        if (!s) return sp_oom(p);
        memcpy(s, k, la);
        s[la] = '.';
        memcpy(s + la + 1, sp_peek(p)->text, lb + 1);
        k = s;
        sp_advance(p);
    }
    *key = k;
    return 0;
}

int sp_parse_properties(sql_parser *p, sql_property **out, uint32_t *count)
{
    int rc;
    sp_vec v = {0};
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    if (!sp_is(p, SQL_TOK_RPAREN)) {
        do {
            sql_property prop = {0};
            if ((rc = parse_property_key(p, &prop.key)) < 0) return rc;
            sp_accept(p, SQL_TOK_EQ);
            if (!sp_is(p, SQL_TOK_COMMA) && !sp_is(p, SQL_TOK_RPAREN)) {
                if ((rc = sp_parse_expr(p, &prop.value)) < 0) return rc;
            }
            if ((rc = sp_vec_push(p, &v, &prop, sizeof prop)) < 0) return rc;
        } while (sp_accept(p, SQL_TOK_COMMA));
    }
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = v.data;
    *count = v.count;
    return 0;
}
