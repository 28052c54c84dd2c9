/*
 * sql_parse_query.c: query expressions and FROM clauses.
 *
 * A query is [WITH ...] body [ORDER BY] [LIMIT | OFFSET | FETCH], where the
 * body is a tree of set operations over SELECT blocks, VALUES lists and
 * parenthesized queries. INTERSECT binds tighter than UNION and EXCEPT,
 * which associate to the left (SQL standard, Trino, PostgreSQL). A FROM
 * clause is a comma list of join trees; joins associate to the left; a
 * comma is recorded as a CROSS join with `comma` set so the binder can
 * apply the standard's scoping (LATERAL only sees what is to its left).
 */
#include "sql_parse_internal.h"

static sql_query *new_query(sql_parser *p, sql_query_kind kind, uint32_t loc)
{
    sql_query *q = sp_alloc(p, sizeof *q);
    if (q) {
        q->kind = kind;
        q->loc = loc;
    }
    return q;
}

bool sp_starts_query(const sql_parser *p, uint32_t ahead)
{
    for (;;) {
        if (!sp_is_at(p, ahead, SQL_TOK_LPAREN)) return false;
        const sql_token *inner = sp_peek_at(p, ahead + 1);
        if (inner->kind == SQL_TOK_IDENT &&
            (inner->kw == SQL_KW_SELECT || inner->kw == SQL_KW_WITH || inner->kw == SQL_KW_VALUES))
            return true;
        if (inner->kind != SQL_TOK_LPAREN || inner->match == UINT32_MAX) return false;
        /* "((" : a query when what follows the inner group continues a query */
        const sql_token *after = &p->toks[inner->match + 1 < p->tok_count ? inner->match + 1 : inner->match];
        bool continues = after->kind == SQL_TOK_RPAREN ||
                         (after->kind == SQL_TOK_IDENT &&
                          (after->kw == SQL_KW_UNION || after->kw == SQL_KW_INTERSECT ||
                           after->kw == SQL_KW_EXCEPT || after->kw == SQL_KW_ORDER ||
                           after->kw == SQL_KW_LIMIT || after->kw == SQL_KW_OFFSET ||
                           after->kw == SQL_KW_FETCH));
        if (!continues) return false;
        ahead++;   /* the inner group must itself hold a query */
    }
}

static int parse_with(sql_parser *p, sql_query *q)
{
    int rc;
    sp_advance(p);   /* WITH */
    q->recursive = sp_accept_kw(p, SQL_KW_RECURSIVE);
    sp_vec ctes = {0};
    do {
        sql_cte cte = {0};
        if ((rc = sp_parse_ident(p, &cte.name)) < 0) return rc;
        if (sp_is(p, SQL_TOK_LPAREN)) {
            if ((rc = sp_parse_ident_list(p, &cte.columns, &cte.column_count)) < 0) return rc;
        }
        if ((rc = sp_expect_kw(p, SQL_KW_AS)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
        if ((rc = sp_parse_query(p, &cte.query)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
        if ((rc = sp_vec_push(p, &ctes, &cte, sizeof cte)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    q->ctes = ctes.data;
    q->cte_count = ctes.count;
    return 0;
}

static int parse_select_items(sql_parser *p, sql_query *q)
{
    int rc;
    sp_vec items = {0};
    do {
        sql_select_item item = {0};
        if ((rc = sp_parse_expr(p, &item.expr)) < 0) return rc;
        if (item.expr->kind != SQL_EXPR_STAR) {
            if ((rc = sp_parse_alias(p, true, &item.alias, &item.alias_quoted)) < 0) return rc;
        }
        if ((rc = sp_vec_push(p, &items, &item, sizeof item)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    q->u.select.items = items.data;
    q->u.select.item_count = items.count;
    return 0;
}

/* One element of ROLLUP/CUBE/GROUPING SETS: (a, b), (), or a. */
static int parse_grouping_set(sql_parser *p, sql_expr ***set, uint32_t *size)
{
    int rc;
    if (sp_is(p, SQL_TOK_LPAREN)) {
        sp_advance(p);
        *set = NULL;
        *size = 0;
        if (!sp_is(p, SQL_TOK_RPAREN)) {
            if ((rc = sp_parse_expr_list(p, set, size)) < 0) return rc;
        }
        return sp_expect(p, SQL_TOK_RPAREN);
    }
    sql_expr **one = sp_alloc(p, sizeof *one);
    if (!one) return FLOE_ENOMEM;
    if ((rc = sp_parse_expr(p, one)) < 0) return rc;
    *set = one;
    *size = 1;
    return 0;
}

static int parse_group_item(sql_parser *p, sql_group_item *item)
{
    int rc;
    if ((sp_is_kw(p, SQL_KW_ROLLUP) || sp_is_kw(p, SQL_KW_CUBE)) && sp_is_at(p, 1, SQL_TOK_LPAREN)) {
        item->kind = sp_is_kw(p, SQL_KW_ROLLUP) ? SQL_GROUP_ROLLUP : SQL_GROUP_CUBE;
        sp_advance(p);
    } else if (sp_is_kw(p, SQL_KW_GROUPING) && sp_is_kw_at(p, 1, SQL_KW_SETS)) {
        item->kind = SQL_GROUP_SETS;
        sp_advance(p);
        sp_advance(p);
    } else {
        item->kind = SQL_GROUP_EXPR;
        return sp_parse_expr(p, &item->expr);
    }
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    sp_vec sets = {0}, sizes = {0};
    do {
        sql_expr **set;
        uint32_t size;
        if ((rc = parse_grouping_set(p, &set, &size)) < 0) return rc;
        if ((rc = sp_vec_push(p, &sets, &set, sizeof set)) < 0) return rc;
        if ((rc = sp_vec_push(p, &sizes, &size, sizeof size)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    item->sets = sets.data;
    item->set_sizes = sizes.data;
    item->set_count = sets.count;
    return sp_expect(p, SQL_TOK_RPAREN);
}

static int parse_from_list(sql_parser *p, sql_table_ref **out)
{
    int rc;
    uint32_t height = p->height;
    sql_table_ref *left;
    if ((rc = sp_parse_table_ref(p, &left)) < 0) return rc;
    while (sp_is(p, SQL_TOK_COMMA)) {
        uint32_t loc = sp_loc(p);
        if ((rc = sp_chain(p)) < 0) return rc;
        sp_advance(p);
        sql_table_ref *j = sp_alloc(p, sizeof *j);
        if (!j) return FLOE_ENOMEM;
        j->kind = SQL_TABLE_JOIN;
        j->loc = loc;
        j->u.join.kind = SQL_JOIN_CROSS;
        j->u.join.comma = true;
        j->u.join.left = left;
        if ((rc = sp_parse_table_ref(p, &j->u.join.right)) < 0) return rc;
        left = j;
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_select(sql_parser *p, sql_query **out)
{
    int rc;
    sql_query *q = new_query(p, SQL_QUERY_SELECT, sp_loc(p));
    if (!q) return FLOE_ENOMEM;
    sp_advance(p);   /* SELECT */
    if (sp_accept_kw(p, SQL_KW_DISTINCT)) q->u.select.distinct = true;
    else sp_accept_kw(p, SQL_KW_ALL);
    if ((rc = parse_select_items(p, q)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_FROM)) {
        if ((rc = parse_from_list(p, &q->u.select.from)) < 0) return rc;
    }
    if (sp_accept_kw(p, SQL_KW_WHERE)) {
        if ((rc = sp_parse_expr(p, &q->u.select.where)) < 0) return rc;
    }
    if (sp_is_kw(p, SQL_KW_GROUP)) {
        sp_advance(p);
        if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
        if (sp_accept_kw(p, SQL_KW_DISTINCT)) q->u.select.group_distinct = true;
        else sp_accept_kw(p, SQL_KW_ALL);
        sp_vec groups = {0};
        do {
            sql_group_item item = {0};
            if ((rc = parse_group_item(p, &item)) < 0) return rc;
            if ((rc = sp_vec_push(p, &groups, &item, sizeof item)) < 0) return rc;
        } while (sp_accept(p, SQL_TOK_COMMA));
        q->u.select.group = groups.data;
        q->u.select.group_count = groups.count;
    }
    if (sp_accept_kw(p, SQL_KW_HAVING)) {
        if ((rc = sp_parse_expr(p, &q->u.select.having)) < 0) return rc;
    }
    if (sp_accept_kw(p, SQL_KW_WINDOW)) {
        sp_vec windows = {0};
        do {
            sql_ident name;
            if ((rc = sp_parse_ident(p, &name)) < 0) return rc;
            if ((rc = sp_expect_kw(p, SQL_KW_AS)) < 0) return rc;
            sql_window *w;
            if ((rc = sp_parse_window_spec(p, &w)) < 0) return rc;
            w->name = name.name;
            if ((rc = sp_vec_push(p, &windows, &w, sizeof w)) < 0) return rc;
        } while (sp_accept(p, SQL_TOK_COMMA));
        q->u.select.windows = windows.data;
        q->u.select.window_count = windows.count;
    }
    if (sp_accept_kw(p, SQL_KW_QUALIFY)) {
        if ((rc = sp_parse_expr(p, &q->u.select.qualify)) < 0) return rc;
    }
    *out = q;
    return 0;
}

static int parse_values(sql_parser *p, sql_query **out)
{
    int rc;
    sql_query *q = new_query(p, SQL_QUERY_VALUES, sp_loc(p));
    if (!q) return FLOE_ENOMEM;
    sp_advance(p);   /* VALUES */
    sp_vec rows = {0}, sizes = {0};
    do {
        sql_expr **row;
        uint32_t size;
        if (sp_accept(p, SQL_TOK_LPAREN)) {
            if ((rc = sp_parse_expr_list(p, &row, &size)) < 0) return rc;
            if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
        } else {
            if (!(row = sp_alloc(p, sizeof *row))) return FLOE_ENOMEM;
            if ((rc = sp_parse_expr(p, row)) < 0) return rc;
            size = 1;
        }
        if ((rc = sp_vec_push(p, &rows, &row, sizeof row)) < 0) return rc;
        if ((rc = sp_vec_push(p, &sizes, &size, sizeof size)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    q->u.values.rows = rows.data;
    q->u.values.row_sizes = sizes.data;
    q->u.values.row_count = rows.count;
    *out = q;
    return 0;
}

/* SELECT ... | VALUES ... | ( query ) */
static int parse_query_primary(sql_parser *p, sql_query **out)
{
    int rc;
    if (sp_is_kw(p, SQL_KW_SELECT)) return parse_select(p, out);
    if (sp_is_kw(p, SQL_KW_VALUES)) return parse_values(p, out);
    if (sp_is(p, SQL_TOK_LPAREN)) {
        sp_advance(p);
        if ((rc = sp_parse_query(p, out)) < 0) return rc;
        return sp_expect(p, SQL_TOK_RPAREN);
    }
    return sp_syntax_error(p);
}

static int make_setop(sql_parser *p, sql_setop op, sql_query *left, sql_query **out)
{
    sql_query *q = new_query(p, SQL_QUERY_SETOP, left->loc);
    if (!q) return FLOE_ENOMEM;
    sp_advance(p);   /* UNION / INTERSECT / EXCEPT */
    if (sp_accept_kw(p, SQL_KW_ALL)) q->u.setop.all = true;
    else sp_accept_kw(p, SQL_KW_DISTINCT);
    q->u.setop.op = op;
    q->u.setop.left = left;
    *out = q;
    return 0;
}

static int parse_intersect(sql_parser *p, sql_query **out)
{
    int rc;
    uint32_t height = p->height;
    sql_query *left;
    if ((rc = parse_query_primary(p, &left)) < 0) return rc;
    while (sp_is_kw(p, SQL_KW_INTERSECT)) {
        sql_query *q;
        if ((rc = sp_chain(p)) < 0) return rc;
        if ((rc = make_setop(p, SQL_SETOP_INTERSECT, left, &q)) < 0) return rc;
        if ((rc = parse_query_primary(p, &q->u.setop.right)) < 0) return rc;
        left = q;
    }
    p->height = height;
    *out = left;
    return 0;
}

static int parse_query_body(sql_parser *p, sql_query **out)
{
    int rc;
    uint32_t height = p->height;
    sql_query *left;
    if ((rc = parse_intersect(p, &left)) < 0) return rc;
    while (sp_is_kw(p, SQL_KW_UNION) || sp_is_kw(p, SQL_KW_EXCEPT)) {
        sql_query *q;
        sql_setop op = sp_is_kw(p, SQL_KW_UNION) ? SQL_SETOP_UNION : SQL_SETOP_EXCEPT;
        if ((rc = sp_chain(p)) < 0) return rc;
        if ((rc = make_setop(p, op, left, &q)) < 0) return rc;
        if ((rc = parse_intersect(p, &q->u.setop.right)) < 0) return rc;
        left = q;
    }
    p->height = height;
    *out = left;
    return 0;
}

/* ORDER BY, LIMIT n | ALL, OFFSET n [ROWS], FETCH FIRST|NEXT [n] ROW|ROWS ONLY. */
static int parse_query_tail(sql_parser *p, sql_query *q)
{
    int rc;
    if (sp_is_kw(p, SQL_KW_ORDER)) {
        sp_advance(p);
        if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
        if ((rc = sp_parse_order_by(p, &q->order, &q->order_count)) < 0) return rc;
    }
    bool seen_limit = false, seen_offset = false;
    for (;;) {
        if (!seen_limit && sp_is_kw(p, SQL_KW_LIMIT)) {
            sp_advance(p);
            seen_limit = true;
            if (sp_accept_kw(p, SQL_KW_ALL)) continue;
            if ((rc = sp_parse_arith(p, &q->limit)) < 0) return rc;
        } else if (!seen_offset && sp_is_kw(p, SQL_KW_OFFSET)) {
            sp_advance(p);
            seen_offset = true;
            if ((rc = sp_parse_arith(p, &q->offset)) < 0) return rc;
            if (!sp_accept_kw(p, SQL_KW_ROWS)) sp_accept_kw(p, SQL_KW_ROW);
        } else if (!seen_limit && sp_is_kw(p, SQL_KW_FETCH)) {
            sp_advance(p);
            seen_limit = true;
            if (!sp_accept_kw(p, SQL_KW_FIRST) && !sp_accept_kw(p, SQL_KW_NEXT)) return sp_syntax_error(p);
            if (sp_is_kw(p, SQL_KW_ROW) || sp_is_kw(p, SQL_KW_ROWS)) {
                sql_expr *one = sp_alloc(p, sizeof *one);
                if (!one) return FLOE_ENOMEM;
                one->kind = SQL_EXPR_LITERAL;
                one->loc = sp_loc(p);
                one->u.lit.kind = SQL_LIT_INTEGER;
                one->u.lit.text = "1";
                q->limit = one;
            } else if ((rc = sp_parse_arith(p, &q->limit)) < 0) {
                return rc;
            }
            if (!sp_accept_kw(p, SQL_KW_ROWS) && !sp_accept_kw(p, SQL_KW_ROW)) return sp_syntax_error(p);
            if (sp_is_kw(p, SQL_KW_WITH) && sp_is(p, SQL_TOK_IDENT) && sp_peek_at(p, 1)->kind == SQL_TOK_IDENT &&
                strcmp(sp_peek_at(p, 1)->text, "ties") == 0) {
                sp_advance(p);
                sp_advance(p);
                q->with_ties = true;
            } else if ((rc = sp_expect_kw(p, SQL_KW_ONLY)) < 0) {
                return rc;
            }
        } else {
            break;
        }
    }
    return 0;
}

static int wrap_nested(sql_parser *p, sql_query **q)
{
    sql_query *outer = new_query(p, SQL_QUERY_NESTED, (*q)->loc);
    if (!outer) return FLOE_ENOMEM;
    outer->u.nested = *q;
    *q = outer;
    return 0;
}

int sp_parse_query(sql_parser *p, sql_query **out)
{
    int rc;
    if ((rc = sp_enter(p)) < 0) return rc;
    sql_query with = {0};
    sql_query *q = NULL;
    if (sp_is_kw(p, SQL_KW_WITH)) {
        if ((rc = parse_with(p, &with)) < 0) goto done;
    }
    if ((rc = parse_query_body(p, &q)) < 0) goto done;
    if (with.cte_count > 0) {
        /* WITH a AS (...) (WITH b AS (...) SELECT ...): two scopes */
        if (q->cte_count > 0 && (rc = wrap_nested(p, &q)) < 0) goto done;
        q->recursive = with.recursive;
        q->ctes = with.ctes;
        q->cte_count = with.cte_count;
    }
    if ((q->order_count > 0 || q->limit || q->offset) &&
        (sp_is_kw(p, SQL_KW_ORDER) || sp_is_kw(p, SQL_KW_LIMIT) || sp_is_kw(p, SQL_KW_OFFSET) ||
         sp_is_kw(p, SQL_KW_FETCH))) {
        /* (SELECT ... LIMIT 1) ORDER BY x: both tails are kept */
        if ((rc = wrap_nested(p, &q)) < 0) goto done;
    }
    if ((rc = parse_query_tail(p, q)) < 0) goto done;
    *out = q;
    rc = 0;
done:
    sp_leave(p);
    return rc;
}

/* ---- FROM items ---- */

/* FOR SYSTEM_TIME AS OF x | FOR [SYSTEM_]VERSION AS OF x | [FOR] TIMESTAMP AS OF x |
 * VERSION AS OF x, after a table name. */
static int parse_time_travel(sql_parser *p, sql_table_ref *ref)
{
    uint32_t k = sp_is_kw(p, SQL_KW_FOR) ? 1 : 0;
    const sql_token *t = sp_peek_at(p, k);
    if (t->kind != SQL_TOK_IDENT || !sp_is_kw_at(p, k + 1, SQL_KW_AS) || !sp_is_kw_at(p, k + 2, SQL_KW_OF))
        return 0;
    sql_travel_kind kind;
    if (t->kw == SQL_KW_TIMESTAMP || (k == 1 && t->kw == SQL_KW_SYSTEM_TIME)) kind = SQL_TRAVEL_TIMESTAMP;
    else if (t->kw == SQL_KW_VERSION || (k == 1 && t->kw == SQL_KW_SYSTEM_VERSION)) kind = SQL_TRAVEL_VERSION;
    else return 0;
    for (uint32_t i = 0; i < k + 3; i++) sp_advance(p);
    ref->u.table.travel = kind;
    return sp_parse_arith(p, &ref->u.table.travel_value);
}

/* [AS] alias [(col, ...)] */
static int parse_table_alias(sql_parser *p, sql_table_ref *ref)
{
    int rc;
    /* words that may follow a FROM item and must not be taken as its alias */
    if (sp_is_kw(p, SQL_KW_SET) || sp_is_kw(p, SQL_KW_PARTITION)) return 0;
    if ((sp_is_kw(p, SQL_KW_TIMESTAMP) || sp_is_kw(p, SQL_KW_VERSION)) && sp_is_kw_at(p, 1, SQL_KW_AS))
        return 0;
    if ((rc = sp_parse_alias(p, true, &ref->alias, &ref->alias_quoted)) < 0) return rc;
    if (ref->alias && sp_is(p, SQL_TOK_LPAREN)) {
        if ((rc = sp_parse_ident_list(p, &ref->column_aliases, &ref->column_alias_count)) < 0) return rc;
    }
    return 0;
}

static int parse_table_primary(sql_parser *p, sql_table_ref **out)
{
    int rc;
    sql_table_ref *ref = sp_alloc(p, sizeof *ref);
    if (!ref) return FLOE_ENOMEM;
    ref->loc = sp_loc(p);
    bool lateral = sp_accept_kw(p, SQL_KW_LATERAL);
    if (sp_is(p, SQL_TOK_LPAREN) && sp_starts_query(p, 0)) {
        ref->kind = SQL_TABLE_SUBQUERY;
        ref->u.subquery.lateral = lateral;
        sp_advance(p);
        if ((rc = sp_parse_query(p, &ref->u.subquery.query)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    } else if (sp_is(p, SQL_TOK_LPAREN) && !lateral) {
        /* ( a JOIN b ... ) */
        sp_advance(p);
        sql_table_ref *inner;
        if ((rc = sp_enter(p)) < 0) return rc;
        rc = parse_from_list(p, &inner);
        sp_leave(p);
        if (rc < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
        if (sp_is_kw(p, SQL_KW_AS) || (sp_is_ident(p) && !sp_peek(p)->reserved)) {
            if (inner->alias) return sp_syntax_error(p);
            if ((rc = parse_table_alias(p, inner)) < 0) return rc;
        }
        *out = inner;
        return 0;
    } else {
        sql_name name;
        if ((rc = sp_parse_name(p, &name)) < 0) return rc;
        if (sp_is(p, SQL_TOK_LPAREN)) {
            ref->kind = SQL_TABLE_FUNCTION;
            ref->u.function.lateral = lateral;
            if ((rc = sp_parse_call(p, &name, ref->loc, true, &ref->u.function.call)) < 0) return rc;
        } else {
            if (lateral) return sp_syntax_error(p);
            ref->kind = SQL_TABLE_NAME;
            ref->u.table.name = name;
            if ((rc = parse_time_travel(p, ref)) < 0) return rc;
        }
    }
    if ((rc = parse_table_alias(p, ref)) < 0) return rc;
    *out = ref;
    return 0;
}

/* A join operator at the current token; false when none. */
static bool parse_join_op(sql_parser *p, sql_join_kind *kind, bool *natural)
{
    uint32_t k = 0;
    *natural = sp_is_kw(p, SQL_KW_NATURAL);
    if (*natural) k++;
    const sql_token *t = sp_peek_at(p, k);
    if (t->kind != SQL_TOK_IDENT) return false;
    switch (t->kw) {
    case SQL_KW_JOIN: *kind = SQL_JOIN_INNER; break;
    case SQL_KW_INNER: *kind = SQL_JOIN_INNER; k++; break;
    case SQL_KW_CROSS: *kind = SQL_JOIN_CROSS; k++; break;
    case SQL_KW_LEFT: *kind = SQL_JOIN_LEFT; k++; break;
    case SQL_KW_RIGHT: *kind = SQL_JOIN_RIGHT; k++; break;
    case SQL_KW_FULL: *kind = SQL_JOIN_FULL; k++; break;
    default: return false;
    }
    if ((*kind == SQL_JOIN_LEFT || *kind == SQL_JOIN_RIGHT || *kind == SQL_JOIN_FULL) &&
        sp_is_kw_at(p, k, SQL_KW_OUTER))
        k++;
    if (!sp_is_kw_at(p, k, SQL_KW_JOIN)) return false;
    for (uint32_t i = 0; i <= k; i++) sp_advance(p);
    return true;
}

/* Spark: LATERAL VIEW [OUTER] explode(x) [tbl] [AS c1, c2], after the left item.
 * Becomes a CROSS join (OUTER: LEFT join ON true) with a lateral table function. */
static int parse_lateral_view(sql_parser *p, sql_table_ref *left, sql_table_ref **out)
{
    int rc;
    uint32_t loc = sp_loc(p);
    sp_advance(p);   /* LATERAL */
    sp_advance(p);   /* VIEW */
    bool outer = sp_accept_kw(p, SQL_KW_OUTER);
    sql_table_ref *fn = sp_alloc(p, sizeof *fn);
    sql_table_ref *j = sp_alloc(p, sizeof *j);
    if (!fn || !j) return FLOE_ENOMEM;
    fn->kind = SQL_TABLE_FUNCTION;
    fn->loc = sp_loc(p);
    fn->u.function.lateral = true;
    sql_name name;
    if ((rc = sp_parse_name(p, &name)) < 0) return rc;
    if (!sp_is(p, SQL_TOK_LPAREN)) return sp_syntax_error(p);
    if ((rc = sp_parse_call(p, &name, fn->loc, false, &fn->u.function.call)) < 0) return rc;
    sql_ident alias;
    if ((rc = sp_parse_ident(p, &alias)) < 0) return rc;   /* the view's name is required */
    fn->alias = alias.name;
    fn->alias_quoted = alias.quoted;
    /* [AS] c1, c2: commas continue the list only when a name follows */
    bool as = sp_accept_kw(p, SQL_KW_AS);
    if (as || sp_is_ident(p)) {
        sp_vec cols = {0};
        for (;;) {
            sql_ident id;
            if ((rc = sp_parse_ident(p, &id)) < 0) return rc;
            if ((rc = sp_vec_push(p, &cols, &id, sizeof id)) < 0) return rc;
            if (!sp_is(p, SQL_TOK_COMMA)) break;
            const sql_token *next = sp_peek_at(p, 1);
            bool name_follows = next->kind == SQL_TOK_QUOTED_IDENT ||
                                (next->kind == SQL_TOK_IDENT && !next->reserved &&
                                 sp_peek_at(p, 2)->kind != SQL_TOK_DOT && sp_peek_at(p, 2)->kind != SQL_TOK_LPAREN);
            if (!name_follows) break;
            sp_advance(p);
        }
        fn->column_aliases = cols.data;
        fn->column_alias_count = cols.count;
    }
    j->kind = SQL_TABLE_JOIN;
    j->loc = loc;
    j->u.join.kind = outer ? SQL_JOIN_LEFT : SQL_JOIN_CROSS;
    j->u.join.left = left;
    j->u.join.right = fn;
    if (outer) {
        sql_expr *on = sp_alloc(p, sizeof *on);
        if (!on) return FLOE_ENOMEM;
        on->kind = SQL_EXPR_LITERAL;
        on->loc = loc;
        on->u.lit.kind = SQL_LIT_BOOL;
        on->u.lit.boolean = true;
        j->u.join.on = on;
    }
    *out = j;
    return 0;
}

int sp_parse_table_ref(sql_parser *p, sql_table_ref **out)
{
    int rc;
    uint32_t height = p->height;
    sql_table_ref *left;
    if ((rc = parse_table_primary(p, &left)) < 0) return rc;
    for (;;) {
        uint32_t loc = sp_loc(p);
        sql_join_kind kind;
        bool natural;
        if (sp_is_kw(p, SQL_KW_LATERAL) && sp_is_kw_at(p, 1, SQL_KW_VIEW)) {
            if ((rc = sp_chain(p)) < 0 || (rc = parse_lateral_view(p, left, &left)) < 0) return rc;
            continue;
        }
        if (!parse_join_op(p, &kind, &natural)) {
            if (sp_is_kw(p, SQL_KW_NATURAL) || sp_is_kw(p, SQL_KW_JOIN) || sp_is_kw(p, SQL_KW_INNER) ||
                sp_is_kw(p, SQL_KW_CROSS) || sp_is_kw(p, SQL_KW_LEFT) || sp_is_kw(p, SQL_KW_RIGHT) ||
                sp_is_kw(p, SQL_KW_FULL)) {
                /* LEFT x, NATURAL CROSS: a malformed join; point past the keyword(s) */
                while (!sp_is(p, SQL_TOK_EOF) && sp_peek(p)->reserved &&
                       !sp_is_kw(p, SQL_KW_JOIN) && !sp_is_kw(p, SQL_KW_ON))
                    sp_advance(p);
                return sp_syntax_error(p);
            }
            break;
        }
        if ((rc = sp_chain(p)) < 0) return rc;
        sql_table_ref *j = sp_alloc(p, sizeof *j);
        if (!j) return FLOE_ENOMEM;
        j->kind = SQL_TABLE_JOIN;
        j->loc = loc;
        j->u.join.kind = kind;
        j->u.join.natural = natural;
        j->u.join.left = left;
        if ((rc = parse_table_primary(p, &j->u.join.right)) < 0) return rc;
        if (kind != SQL_JOIN_CROSS && !natural) {
            if (sp_accept_kw(p, SQL_KW_ON)) {
                if ((rc = sp_parse_expr(p, &j->u.join.on)) < 0) return rc;
            } else if (sp_is_kw(p, SQL_KW_USING)) {
                sp_advance(p);
                if ((rc = sp_parse_ident_list(p, &j->u.join.using_cols, &j->u.join.using_count)) < 0)
                    return rc;
            } else {
                return sp_syntax_error(p);
            }
        }
        left = j;
    }
    p->height = height;
    *out = left;
    return 0;
}
