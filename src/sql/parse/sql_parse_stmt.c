/*
 * sql_parse_stmt.c: statements and the parser's entry points.
 *
 * One function per statement, dispatched on the first word. DDL accepts
 * both spellings jobs use: Trino's (CREATE TABLE ... WITH (format = ..,
 * partitioning = ARRAY[..])) and Spark's (USING iceberg PARTITIONED BY
 * (days(ts)) TBLPROPERTIES (..) OPTIONS (..)), plus Hive's ROW FORMAT /
 * STORED AS / LOCATION; clauses may come in any order, each at most once.
 */
#include "sql_parse_internal.h"

static sql_stmt *new_stmt(sql_parser *p, sql_stmt_kind kind, uint32_t loc)
{
    sql_stmt *s = sp_alloc(p, sizeof *s);
    if (s) {
        s->kind = kind;
        s->loc = loc;
    }
    return s;
}

/* IF NOT EXISTS / IF EXISTS */
static bool accept_if_not_exists(sql_parser *p)
{
    if (sp_is_kw(p, SQL_KW_IF) && sp_is_kw_at(p, 1, SQL_KW_NOT) && sp_is_kw_at(p, 2, SQL_KW_EXISTS)) {
        sp_advance(p);
        sp_advance(p);
        sp_advance(p);
        return true;
    }
    return false;
}

static bool accept_if_exists(sql_parser *p)
{
    if (sp_is_kw(p, SQL_KW_IF) && sp_is_kw_at(p, 1, SQL_KW_EXISTS)) {
        sp_advance(p);
        sp_advance(p);
        return true;
    }
    return false;
}

static int parse_column_def(sql_parser *p, sql_column_def *col)
{
    int rc;
    col->loc = sp_loc(p);
    if ((rc = sp_parse_ident(p, &col->name)) < 0) return rc;
    if ((rc = sp_parse_type(p, &col->type)) < 0) return rc;
    for (;;) {
        if (sp_is_kw(p, SQL_KW_NOT) && sp_is_kw_at(p, 1, SQL_KW_NULL)) {
            sp_advance(p);
            sp_advance(p);
            col->not_null = true;
        } else if (sp_accept_kw(p, SQL_KW_NULL)) {
            col->not_null = false;
        } else if (sp_accept_kw(p, SQL_KW_COMMENT)) {
            if ((rc = sp_parse_string(p, &col->comment)) < 0) return rc;
        } else {
            return 0;
        }
    }
}

static int parse_column_defs(sql_parser *p, sql_column_def **out, uint32_t *count)
{
    int rc;
    sp_vec v = {0};
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    do {
        sql_column_def col = {0};
        if ((rc = parse_column_def(p, &col)) < 0) return rc;
        if ((rc = sp_vec_push(p, &v, &col, sizeof col)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    *out = v.data;
    *count = v.count;
    return 0;
}

/* A word naming a format: USING iceberg, STORED AS PARQUET (lower case). */
static int parse_word(sql_parser *p, const char **out)
{
    const sql_token *t = sp_peek(p);
    if (t->kind != SQL_TOK_IDENT && t->kind != SQL_TOK_QUOTED_IDENT && t->kind != SQL_TOK_STRING)
        return sp_syntax_error(p);
    *out = t->text;
    sp_advance(p);
    return 0;
}

/* PARTITIONED BY (a, bucket(16, id), days(ts)) or Hive's (dt string). */
static int parse_partitioned_by(sql_parser *p, sql_stmt *s)
{
    int rc;
    sp_vec exprs = {0}, types = {0};
    bool any_type = false;
    if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
    do {
        sql_expr *e;
        sql_type *type = NULL;
        if ((rc = sp_parse_expr(p, &e)) < 0) return rc;
        if (e->kind == SQL_EXPR_COLUMN && !sp_is(p, SQL_TOK_COMMA) && !sp_is(p, SQL_TOK_RPAREN)) {
            if ((rc = sp_parse_type(p, &type)) < 0) return rc;
            any_type = true;
        }
        if ((rc = sp_vec_push(p, &exprs, &e, sizeof e)) < 0) return rc;
        if ((rc = sp_vec_push(p, &types, &type, sizeof type)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    if ((rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
    s->u.create_table.partitioned_by = exprs.data;
    s->u.create_table.partition_types = any_type ? types.data : NULL;
    s->u.create_table.partition_count = exprs.count;
    return 0;
}

static bool is_word(const sql_parser *p, uint32_t ahead, const char *word)
{
    const sql_token *t = sp_peek_at(p, ahead);
    return t->kind == SQL_TOK_IDENT && strcmp(t->text, word) == 0;
}

/* ROW FORMAT DELIMITED [FIELDS TERMINATED BY 'c' [ESCAPED BY 'e']] [LINES TERMINATED BY 'n']
 * | ROW FORMAT SERDE 'class' [WITH SERDEPROPERTIES (...)], after ROW. */
static int parse_row_format(sql_parser *p, sql_stmt *s)
{
    int rc;
    if ((rc = sp_expect_kw(p, SQL_KW_FORMAT)) < 0) return rc;
    if (is_word(p, 0, "serde")) {
        sp_advance(p);
        if ((rc = sp_parse_string(p, &s->u.create_table.serde)) < 0) return rc;
        if (sp_is_kw(p, SQL_KW_WITH) && is_word(p, 1, "serdeproperties")) {
            sp_advance(p);
            sp_advance(p);
            return sp_parse_properties(p, &s->u.create_table.serde_props,
                                       &s->u.create_table.serde_prop_count);
        }
        return 0;
    }
    if ((rc = sp_expect_kw(p, SQL_KW_DELIMITED)) < 0) return rc;
    for (;;) {
        const char **slot;
        if (sp_is_kw(p, SQL_KW_FIELDS)) slot = &s->u.create_table.field_delimiter;
        else if (sp_is_kw(p, SQL_KW_LINES)) slot = &s->u.create_table.line_delimiter;
        else return 0;
        if (*slot) return sp_syntax_error(p);
        bool fields = sp_is_kw(p, SQL_KW_FIELDS);
        sp_advance(p);
        if ((rc = sp_expect_kw(p, SQL_KW_TERMINATED)) < 0) return rc;
        if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
        if ((rc = sp_parse_string(p, slot)) < 0) return rc;
        if (fields && is_word(p, 0, "escaped")) {
            sp_advance(p);
            if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
            if ((rc = sp_parse_string(p, &s->u.create_table.escape_char)) < 0) return rc;
        }
    }
}

/* The clauses after CREATE TABLE name [(columns)], in any order. */
static int parse_table_clauses(sql_parser *p, sql_stmt *s)
{
    int rc;
    for (;;) {
        bool dup = false;
        if (sp_is_kw(p, SQL_KW_USING)) {
            dup = s->u.create_table.using_format != NULL;
            if (!dup) {
                sp_advance(p);
                if ((rc = parse_word(p, &s->u.create_table.using_format)) < 0) return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_PARTITIONED)) {
            dup = s->u.create_table.partition_count > 0;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_expect_kw(p, SQL_KW_BY)) < 0) return rc;
                if ((rc = parse_partitioned_by(p, s)) < 0) return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_ROW) && sp_is_kw_at(p, 1, SQL_KW_FORMAT)) {
            dup = s->u.create_table.field_delimiter || s->u.create_table.line_delimiter ||
                  s->u.create_table.serde;
            if (!dup) {
                sp_advance(p);
                if ((rc = parse_row_format(p, s)) < 0) return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_STORED)) {
            dup = s->u.create_table.stored_as != NULL;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_expect_kw(p, SQL_KW_AS)) < 0) return rc;
                if ((rc = parse_word(p, &s->u.create_table.stored_as)) < 0) return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_LOCATION)) {
            dup = s->u.create_table.location != NULL;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_parse_string(p, &s->u.create_table.location)) < 0) return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_COMMENT)) {
            dup = s->u.create_table.comment != NULL;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_parse_string(p, &s->u.create_table.comment)) < 0) return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_TBLPROPERTIES)) {
            dup = s->u.create_table.tblproperty_count > 0;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_parse_properties(p, &s->u.create_table.tblproperties,
                                              &s->u.create_table.tblproperty_count)) < 0)
                    return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_WITH) && sp_is_at(p, 1, SQL_TOK_LPAREN)) {
            dup = s->u.create_table.with_prop_count > 0;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_parse_properties(p, &s->u.create_table.with_props,
                                              &s->u.create_table.with_prop_count)) < 0)
                    return rc;
            }
        } else if (sp_is_kw(p, SQL_KW_OPTIONS)) {
            dup = s->u.create_table.option_count > 0;
            if (!dup) {
                sp_advance(p);
                if ((rc = sp_parse_properties(p, &s->u.create_table.options,
                                              &s->u.create_table.option_count)) < 0)
                    return rc;
            }
        } else {
            return 0;
        }
        if (dup) return sp_syntax_error(p);
    }
}

/* CREATE [OR REPLACE] [EXTERNAL] TABLE [IF NOT EXISTS] name ..., after TABLE. */
static int parse_create_table(sql_parser *p, sql_stmt *s)
{
    int rc;
    s->u.create_table.if_not_exists = accept_if_not_exists(p);
    if ((rc = sp_parse_name(p, &s->u.create_table.name)) < 0) return rc;
    if (sp_is(p, SQL_TOK_LPAREN) && !sp_starts_query(p, 0)) {
        if ((rc = parse_column_defs(p, &s->u.create_table.columns, &s->u.create_table.column_count)) < 0)
            return rc;
    }
    if ((rc = parse_table_clauses(p, s)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_AS)) {
        if ((rc = sp_parse_query(p, &s->u.create_table.as_query)) < 0) return rc;
    } else if (s->u.create_table.column_count == 0) {
        return sp_syntax_error(p);   /* neither columns nor AS query */
    }
    return 0;
}

static int parse_create(sql_parser *p, sql_stmt **out)
{
    int rc;
    uint32_t loc = sp_loc(p);
    sp_advance(p);   /* CREATE */
    bool or_replace = false, external = false;
    if (sp_is_kw(p, SQL_KW_OR) && sp_is_kw_at(p, 1, SQL_KW_REPLACE)) {
        sp_advance(p);
        sp_advance(p);
        or_replace = true;
    }
    external = sp_accept_kw(p, SQL_KW_EXTERNAL);
    sql_stmt *s;
    if (!or_replace && !external && (sp_is_kw(p, SQL_KW_SCHEMA) || sp_is_kw(p, SQL_KW_DATABASE))) {
        if (!(s = new_stmt(p, SQL_STMT_CREATE_SCHEMA, loc))) return FLOE_ENOMEM;
        s->u.create_schema.database = sp_is_kw(p, SQL_KW_DATABASE);
        sp_advance(p);
        s->u.create_schema.if_not_exists = accept_if_not_exists(p);
        if ((rc = sp_parse_name(p, &s->u.create_schema.name)) < 0) return rc;
        for (;;) {
            if (sp_accept_kw(p, SQL_KW_COMMENT)) {
                if ((rc = sp_parse_string(p, &s->u.create_schema.comment)) < 0) return rc;
            } else if (sp_accept_kw(p, SQL_KW_LOCATION)) {
                if ((rc = sp_parse_string(p, &s->u.create_schema.location)) < 0) return rc;
            } else if (sp_is_kw(p, SQL_KW_WITH) && s->u.create_schema.prop_count == 0) {
                sp_advance(p);
                sp_accept_kw(p, SQL_KW_DBPROPERTIES);
                if ((rc = sp_parse_properties(p, &s->u.create_schema.props,
                                              &s->u.create_schema.prop_count)) < 0)
                    return rc;
            } else {
                break;
            }
        }
    } else if (sp_accept_kw(p, SQL_KW_TABLE)) {
        if (!(s = new_stmt(p, SQL_STMT_CREATE_TABLE, loc))) return FLOE_ENOMEM;
        s->u.create_table.or_replace = or_replace;
        s->u.create_table.external = external;
        if ((rc = parse_create_table(p, s)) < 0) return rc;
    } else if (!external && sp_accept_kw(p, SQL_KW_VIEW)) {
        if (!(s = new_stmt(p, SQL_STMT_CREATE_VIEW, loc))) return FLOE_ENOMEM;
        s->u.create_view.or_replace = or_replace;
        s->u.create_view.if_not_exists = accept_if_not_exists(p);
        if ((rc = sp_parse_name(p, &s->u.create_view.name)) < 0) return rc;
        if ((rc = sp_expect_kw(p, SQL_KW_AS)) < 0) return rc;
        if ((rc = sp_parse_query(p, &s->u.create_view.query)) < 0) return rc;
    } else {
        return sp_syntax_error(p);
    }
    *out = s;
    return 0;
}

static int parse_insert(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_INSERT, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);   /* INSERT */
    if (sp_accept_kw(p, SQL_KW_OVERWRITE)) {
        s->u.insert.overwrite = true;
        sp_accept_kw(p, SQL_KW_TABLE);
    } else {
        if ((rc = sp_expect_kw(p, SQL_KW_INTO)) < 0) return rc;
        sp_accept_kw(p, SQL_KW_TABLE);
    }
    if ((rc = sp_parse_name(p, &s->u.insert.table)) < 0) return rc;
    if (sp_is_kw(p, SQL_KW_PARTITION) && sp_is_at(p, 1, SQL_TOK_LPAREN)) {
        sp_advance(p);
        if ((rc = sp_parse_properties(p, &s->u.insert.partition, &s->u.insert.partition_count)) < 0)
            return rc;
    }
    if (sp_is(p, SQL_TOK_LPAREN) && !sp_starts_query(p, 0)) {
        if ((rc = sp_parse_ident_list(p, &s->u.insert.columns, &s->u.insert.column_count)) < 0) return rc;
    }
    if ((rc = sp_parse_query(p, &s->u.insert.query)) < 0) return rc;
    *out = s;
    return 0;
}

static int parse_assignments(sql_parser *p, sql_assign **out, uint32_t *count)
{
    int rc;
    sp_vec v = {0};
    do {
        sql_assign a = {0};
        if ((rc = sp_parse_name(p, &a.column)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_EQ)) < 0) return rc;
        if ((rc = sp_parse_expr(p, &a.value)) < 0) return rc;
        if ((rc = sp_vec_push(p, &v, &a, sizeof a)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    *out = v.data;
    *count = v.count;
    return 0;
}

/* [AS] alias for UPDATE/DELETE/MERGE targets; never SET, USING, WHERE. */
static int parse_target_alias(sql_parser *p, const char **alias)
{
    bool quoted;
    if (sp_is_kw(p, SQL_KW_SET)) {
        *alias = NULL;
        return 0;
    }
    return sp_parse_alias(p, true, alias, &quoted);
}

static int parse_update(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_UPDATE, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if ((rc = sp_parse_name(p, &s->u.update.table)) < 0) return rc;
    if ((rc = parse_target_alias(p, &s->u.update.alias)) < 0) return rc;
    if ((rc = sp_expect_kw(p, SQL_KW_SET)) < 0) return rc;
    if ((rc = parse_assignments(p, &s->u.update.sets, &s->u.update.set_count)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_WHERE)) {
        if ((rc = sp_parse_expr(p, &s->u.update.where)) < 0) return rc;
    }
    *out = s;
    return 0;
}

static int parse_delete(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_DELETE, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if ((rc = sp_expect_kw(p, SQL_KW_FROM)) < 0) return rc;
    if ((rc = sp_parse_name(p, &s->u.delete_.table)) < 0) return rc;
    if ((rc = parse_target_alias(p, &s->u.delete_.alias)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_WHERE)) {
        if ((rc = sp_parse_expr(p, &s->u.delete_.where)) < 0) return rc;
    }
    *out = s;
    return 0;
}

/* WHEN [NOT] MATCHED [AND cond] THEN UPDATE SET ..|DELETE|INSERT (..) VALUES (..), after WHEN. */
static int parse_merge_clause(sql_parser *p, sql_merge_clause *c)
{
    int rc;
    c->matched = !sp_accept_kw(p, SQL_KW_NOT);
    if ((rc = sp_expect_kw(p, SQL_KW_MATCHED)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_AND)) {
        if ((rc = sp_parse_expr(p, &c->condition)) < 0) return rc;
    }
    if ((rc = sp_expect_kw(p, SQL_KW_THEN)) < 0) return rc;
    if (c->matched && sp_accept_kw(p, SQL_KW_UPDATE)) {
        c->action = SQL_MERGE_UPDATE;
        if ((rc = sp_expect_kw(p, SQL_KW_SET)) < 0) return rc;
        if (sp_accept(p, SQL_TOK_STAR)) {
            c->update_star = true;
            return 0;
        }
        return parse_assignments(p, &c->sets, &c->set_count);
    }
    if (c->matched && sp_accept_kw(p, SQL_KW_DELETE)) {
        c->action = SQL_MERGE_DELETE;
        return 0;
    }
    if (!c->matched && sp_accept_kw(p, SQL_KW_INSERT)) {
        c->action = SQL_MERGE_INSERT;
        if (sp_accept(p, SQL_TOK_STAR)) {
            c->insert_star = true;
            return 0;
        }
        if (sp_is(p, SQL_TOK_LPAREN)) {
            if ((rc = sp_parse_ident_list(p, &c->columns, &c->column_count)) < 0) return rc;
        }
        if ((rc = sp_expect_kw(p, SQL_KW_VALUES)) < 0) return rc;
        if ((rc = sp_expect(p, SQL_TOK_LPAREN)) < 0) return rc;
        if ((rc = sp_parse_expr_list(p, &c->values, &c->value_count)) < 0) return rc;
        return sp_expect(p, SQL_TOK_RPAREN);
    }
    return sp_syntax_error(p);
}

static int parse_merge(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_MERGE, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if ((rc = sp_expect_kw(p, SQL_KW_INTO)) < 0) return rc;
    if ((rc = sp_parse_name(p, &s->u.merge.table)) < 0) return rc;
    if ((rc = parse_target_alias(p, &s->u.merge.alias)) < 0) return rc;
    if ((rc = sp_expect_kw(p, SQL_KW_USING)) < 0) return rc;
    if ((rc = sp_parse_table_ref(p, &s->u.merge.source)) < 0) return rc;
    if ((rc = sp_expect_kw(p, SQL_KW_ON)) < 0) return rc;
    if ((rc = sp_parse_expr(p, &s->u.merge.on)) < 0) return rc;
    sp_vec clauses = {0};
    if (!sp_is_kw(p, SQL_KW_WHEN)) return sp_syntax_error(p);
    while (sp_accept_kw(p, SQL_KW_WHEN)) {
        sql_merge_clause c = {0};
        if ((rc = parse_merge_clause(p, &c)) < 0) return rc;
        if ((rc = sp_vec_push(p, &clauses, &c, sizeof c)) < 0) return rc;
    }
    s->u.merge.clauses = clauses.data;
    s->u.merge.clause_count = clauses.count;
    *out = s;
    return 0;
}

/* Bare COPY options: DELIMITER '|' HEADER false NULL '' FORMAT csv. */
static int parse_bare_options(sql_parser *p, sql_property **out, uint32_t *count)
{
    int rc;
    sp_vec v = {0};
    while (sp_is(p, SQL_TOK_IDENT)) {
        sql_property prop = {0};
        prop.key = sp_peek(p)->text;
        sp_advance(p);
        const sql_token *t = sp_peek(p);
        bool has_value = t->kind == SQL_TOK_STRING || t->kind == SQL_TOK_INTEGER ||
                         t->kind == SQL_TOK_DECIMAL || t->kind == SQL_TOK_MINUS ||
                         (t->kind == SQL_TOK_IDENT && (t->kw == SQL_KW_TRUE || t->kw == SQL_KW_FALSE)) ||
                         t->kind == SQL_TOK_QUOTED_IDENT ||
                         (t->kind == SQL_TOK_IDENT && t->kw == SQL_KW_NONE);
        if (has_value && (rc = sp_parse_expr(p, &prop.value)) < 0) return rc;
        if ((rc = sp_vec_push(p, &v, &prop, sizeof prop)) < 0) return rc;
        sp_accept(p, SQL_TOK_COMMA);
    }
    *out = v.data;
    *count = v.count;
    return 0;
}

static int parse_copy(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_COPY, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if ((rc = sp_parse_name(p, &s->u.copy.table)) < 0) return rc;
    if (sp_is(p, SQL_TOK_LPAREN)) {
        if ((rc = sp_parse_ident_list(p, &s->u.copy.columns, &s->u.copy.column_count)) < 0) return rc;
    }
    if ((rc = sp_expect_kw(p, SQL_KW_FROM)) < 0) return rc;
    if ((rc = sp_parse_string(p, &s->u.copy.path)) < 0) return rc;
    bool with = sp_accept_kw(p, SQL_KW_WITH);
    if (sp_is(p, SQL_TOK_LPAREN)) {
        rc = sp_parse_properties(p, &s->u.copy.options, &s->u.copy.option_count);
    } else {
        rc = parse_bare_options(p, &s->u.copy.options, &s->u.copy.option_count);
        if (rc == 0 && with && s->u.copy.option_count == 0) rc = sp_syntax_error(p);
    }
    if (rc < 0) return rc;
    *out = s;
    return 0;
}

static int parse_drop(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_DROP, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if (sp_accept_kw(p, SQL_KW_TABLE)) s->u.drop.object = SQL_OBJECT_TABLE;
    else if (sp_accept_kw(p, SQL_KW_SCHEMA) || sp_accept_kw(p, SQL_KW_DATABASE))
        s->u.drop.object = SQL_OBJECT_SCHEMA;
    else if (sp_accept_kw(p, SQL_KW_VIEW)) s->u.drop.object = SQL_OBJECT_VIEW;
    else return sp_syntax_error(p);
    s->u.drop.if_exists = accept_if_exists(p);
    if ((rc = sp_parse_name(p, &s->u.drop.name)) < 0) return rc;
    if (sp_accept_kw(p, SQL_KW_CASCADE)) s->u.drop.cascade = true;
    else sp_accept_kw(p, SQL_KW_RESTRICT);
    *out = s;
    return 0;
}

static int parse_show(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_SHOW, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    bool want_name = false, name_optional = true;
    if (sp_accept_kw(p, SQL_KW_SCHEMAS) || sp_accept_kw(p, SQL_KW_DATABASES)) {
        s->u.show.kind = SQL_SHOW_SCHEMAS;
    } else if (sp_accept_kw(p, SQL_KW_TABLES)) {
        s->u.show.kind = SQL_SHOW_TABLES;
    } else if (sp_accept_kw(p, SQL_KW_COLUMNS)) {
        s->u.show.kind = SQL_SHOW_COLUMNS;
        name_optional = false;
    } else if (sp_is_kw(p, SQL_KW_CREATE) && sp_is_kw_at(p, 1, SQL_KW_TABLE)) {
        sp_advance(p);
        sp_advance(p);
        s->u.show.kind = SQL_SHOW_CREATE_TABLE;
        want_name = true;
    } else {
        return sp_syntax_error(p);
    }
    if (!want_name) {
        if (sp_accept_kw(p, SQL_KW_FROM) || sp_accept_kw(p, SQL_KW_IN)) want_name = true;
        else if (!name_optional) return sp_syntax_error(p);
    }
    if (want_name && (rc = sp_parse_name(p, &s->u.show.name)) < 0) return rc;
    if (s->u.show.kind != SQL_SHOW_CREATE_TABLE && sp_accept_kw(p, SQL_KW_LIKE)) {
        if ((rc = sp_parse_string(p, &s->u.show.like)) < 0) return rc;
    }
    *out = s;
    return 0;
}

/* One ALTER TABLE action. */
static int parse_alter_action(sql_parser *p, sql_alter_action *a)
{
    int rc;
    if (sp_accept_kw(p, SQL_KW_ADD)) {
        if (sp_is_kw(p, SQL_KW_PARTITION) && sp_is_kw_at(p, 1, SQL_KW_FIELD)) {
            sp_advance(p);
            sp_advance(p);
            a->kind = SQL_ALTER_ADD_PARTITION_FIELD;
            if ((rc = sp_parse_expr(p, &a->expr)) < 0) return rc;
            if (sp_accept_kw(p, SQL_KW_AS)) return sp_parse_ident(p, &a->new_name);
            return 0;
        }
        a->kind = SQL_ALTER_ADD_COLUMN;
        if (!sp_accept_kw(p, SQL_KW_COLUMN)) sp_accept_kw(p, SQL_KW_COLUMNS);
        a->if_not_exists = accept_if_not_exists(p);
        if (!(a->column = sp_alloc(p, sizeof *a->column))) return FLOE_ENOMEM;
        bool paren = sp_accept(p, SQL_TOK_LPAREN);   /* Spark: ADD COLUMNS (c type) */
        if ((rc = parse_column_def(p, a->column)) < 0) return rc;
        if (paren && (rc = sp_expect(p, SQL_TOK_RPAREN)) < 0) return rc;
        return 0;
    }
    if (sp_accept_kw(p, SQL_KW_DROP)) {
        if (sp_is_kw(p, SQL_KW_PARTITION) && sp_is_kw_at(p, 1, SQL_KW_FIELD)) {
            sp_advance(p);
            sp_advance(p);
            a->kind = SQL_ALTER_DROP_PARTITION_FIELD;
            return sp_parse_expr(p, &a->expr);
        }
        a->kind = SQL_ALTER_DROP_COLUMN;
        sp_accept_kw(p, SQL_KW_COLUMN);
        a->if_exists = accept_if_exists(p);
        return sp_parse_name(p, &a->column_name);
    }
    if (sp_accept_kw(p, SQL_KW_RENAME)) {
        if (sp_accept_kw(p, SQL_KW_TO)) {
            a->kind = SQL_ALTER_RENAME_TABLE;
            return sp_parse_name(p, &a->new_table);
        }
        a->kind = SQL_ALTER_RENAME_COLUMN;
        if ((rc = sp_expect_kw(p, SQL_KW_COLUMN)) < 0) return rc;
        a->if_exists = accept_if_exists(p);
        if ((rc = sp_parse_name(p, &a->column_name)) < 0) return rc;
        if ((rc = sp_expect_kw(p, SQL_KW_TO)) < 0) return rc;
        return sp_parse_ident(p, &a->new_name);
    }
    if (sp_accept_kw(p, SQL_KW_ALTER)) {
        a->kind = SQL_ALTER_COLUMN_TYPE;
        sp_accept_kw(p, SQL_KW_COLUMN);
        if ((rc = sp_parse_name(p, &a->column_name)) < 0) return rc;
        if (sp_is_kw(p, SQL_KW_SET) && sp_is_kw_at(p, 1, SQL_KW_DATA)) {
            sp_advance(p);
            sp_advance(p);
        }
        if ((rc = sp_expect_kw(p, SQL_KW_TYPE)) < 0) return rc;
        return sp_parse_type(p, &a->type);
    }
    if (sp_accept_kw(p, SQL_KW_SET)) {
        a->kind = SQL_ALTER_SET_PROPERTIES;
        if (!sp_accept_kw(p, SQL_KW_TBLPROPERTIES)) {
            /* Trino: SET PROPERTIES k = v, ... */
            if (!(sp_is(p, SQL_TOK_IDENT) && strcmp(sp_peek(p)->text, "properties") == 0))
                return sp_syntax_error(p);
            sp_advance(p);
            sp_vec v = {0};
            do {
                sql_property prop = {0};
                if ((rc = parse_word(p, &prop.key)) < 0) return rc;
                if ((rc = sp_expect(p, SQL_TOK_EQ)) < 0) return rc;
                if ((rc = sp_parse_expr(p, &prop.value)) < 0) return rc;
                if ((rc = sp_vec_push(p, &v, &prop, sizeof prop)) < 0) return rc;
            } while (sp_accept(p, SQL_TOK_COMMA));
            a->props = v.data;
            a->prop_count = v.count;
            return 0;
        }
        return sp_parse_properties(p, &a->props, &a->prop_count);
    }
    if (sp_accept_kw(p, SQL_KW_EXECUTE)) {
        a->kind = SQL_ALTER_EXECUTE;
        uint32_t loc = sp_loc(p);
        sql_name name;
        if ((rc = sp_parse_name(p, &name)) < 0) return rc;
        if (sp_is(p, SQL_TOK_LPAREN)) return sp_parse_call(p, &name, loc, false, &a->expr);
        sql_expr *call = sp_alloc(p, sizeof *call);   /* EXECUTE optimize: no arguments */
        if (!call) return FLOE_ENOMEM;
        call->kind = SQL_EXPR_FUNCTION;
        call->loc = loc;
        call->u.func.name = name;
        a->expr = call;
        return 0;
    }
    return sp_syntax_error(p);
}

static int parse_alter(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_ALTER_TABLE, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if ((rc = sp_expect_kw(p, SQL_KW_TABLE)) < 0) return rc;
    s->u.alter.if_exists = accept_if_exists(p);
    if ((rc = sp_parse_name(p, &s->u.alter.table)) < 0) return rc;
    sp_vec v = {0};
    do {
        sql_alter_action a = {0};
        if ((rc = parse_alter_action(p, &a)) < 0) return rc;
        if ((rc = sp_vec_push(p, &v, &a, sizeof a)) < 0) return rc;
    } while (sp_accept(p, SQL_TOK_COMMA));
    s->u.alter.actions = v.data;
    s->u.alter.action_count = v.count;
    *out = s;
    return 0;
}

static int parse_call_stmt(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_CALL, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    uint32_t loc = sp_loc(p);
    if ((rc = sp_parse_name(p, &s->u.call.name)) < 0) return rc;
    if (!sp_is(p, SQL_TOK_LPAREN)) return sp_syntax_error(p);
    sql_expr *call;
    if ((rc = sp_parse_call(p, &s->u.call.name, loc, false, &call)) < 0) return rc;
    if (call->u.func.distinct || call->u.func.star || call->u.func.over || call->u.func.filter ||
        call->u.func.order_count) {
        return sql_error_at(p->err, FLOE_ESYNTAX, "42601", p->text, p->len, loc,
                            "syntax error in CALL arguments");
    }
    s->u.call.args = call->u.func.args;
    s->u.call.arg_count = call->u.func.arg_count;
    *out = s;
    return 0;
}

static int parse_simple_name_stmt(sql_parser *p, sql_stmt_kind kind, sql_stmt **out)
{
    sql_stmt *s = new_stmt(p, kind, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if (kind == SQL_STMT_DESCRIBE) {
        /* Spark: DESCRIBE [TABLE] [EXTENDED | FORMATTED] t */
        sp_accept_kw(p, SQL_KW_TABLE);
        const sql_token *t = sp_peek(p);
        if (t->kind == SQL_TOK_IDENT && (strcmp(t->text, "extended") == 0 || strcmp(t->text, "formatted") == 0) &&
            (sp_is_at(p, 1, SQL_TOK_IDENT) || sp_is_at(p, 1, SQL_TOK_QUOTED_IDENT))) {
            sp_advance(p);
            s->u.describe.extended = true;
        }
    }
    int rc = sp_parse_name(p, kind == SQL_STMT_USE ? &s->u.use.name : &s->u.describe.table);
    if (rc < 0) return rc;
    *out = s;
    return 0;
}

static int parse_explain(sql_parser *p, sql_stmt **out)
{
    int rc;
    sql_stmt *s = new_stmt(p, SQL_STMT_EXPLAIN, sp_loc(p));
    if (!s) return FLOE_ENOMEM;
    sp_advance(p);
    if (sp_is(p, SQL_TOK_LPAREN) && !sp_starts_query(p, 0)) {
        /* (TYPE DISTRIBUTED, FORMAT JSON): option words with values */
        if ((rc = sp_parse_properties(p, &s->u.explain.options, &s->u.explain.option_count)) < 0) return rc;
    }
    for (;;) {
        if (sp_accept_kw(p, SQL_KW_ANALYZE)) s->u.explain.analyze = true;
        else if (sp_accept_kw(p, SQL_KW_VERBOSE)) s->u.explain.verbose = true;
        else break;
    }
    if ((rc = sp_enter(p)) < 0) return rc;
    rc = sp_parse_stmt(p, &s->u.explain.stmt);
    sp_leave(p);
    if (rc < 0) return rc;
    *out = s;
    return 0;
}

int sp_parse_stmt(sql_parser *p, sql_stmt **out)
{
    int rc;
    const sql_token *t = sp_peek(p);
    uint32_t loc = t->offset;
    sql_stmt *s = NULL;
    if (t->kind == SQL_TOK_LPAREN ||
        (t->kind == SQL_TOK_IDENT &&
         (t->kw == SQL_KW_SELECT || t->kw == SQL_KW_WITH || t->kw == SQL_KW_VALUES))) {
        if (!(s = new_stmt(p, SQL_STMT_QUERY, loc))) return FLOE_ENOMEM;
        rc = sp_parse_query(p, &s->u.query);
    } else if (t->kind != SQL_TOK_IDENT) {
        return sp_syntax_error(p);
    } else {
        switch (t->kw) {
        case SQL_KW_INSERT: rc = parse_insert(p, &s); break;
        case SQL_KW_UPDATE: rc = parse_update(p, &s); break;
        case SQL_KW_DELETE: rc = parse_delete(p, &s); break;
        case SQL_KW_MERGE: rc = parse_merge(p, &s); break;
        case SQL_KW_COPY: rc = parse_copy(p, &s); break;
        case SQL_KW_CREATE: rc = parse_create(p, &s); break;
        case SQL_KW_DROP: rc = parse_drop(p, &s); break;
        case SQL_KW_ALTER: rc = parse_alter(p, &s); break;
        case SQL_KW_SHOW: rc = parse_show(p, &s); break;
        case SQL_KW_DESCRIBE:
        case SQL_KW_DESC: rc = parse_simple_name_stmt(p, SQL_STMT_DESCRIBE, &s); break;
        case SQL_KW_USE: rc = parse_simple_name_stmt(p, SQL_STMT_USE, &s); break;
        case SQL_KW_EXPLAIN: rc = parse_explain(p, &s); break;
        case SQL_KW_CALL: rc = parse_call_stmt(p, &s); break;
        default: return sp_syntax_error(p);
        }
    }
    if (rc < 0) return rc;
    const sql_token *last = p->pos > 0 ? &p->toks[p->pos - 1] : sp_peek(p);
    s->end = last->offset + last->len;
    *out = s;
    return 0;
}

/* ---- entry points ---- */

static int parser_init(sql_parser *p, const char *text, size_t len, fl_arena *arena, fl_error *err)
{
    memset(p, 0, sizeof *p);
    fl_error_clear(err);
    p->text = text;
    p->len = len;
    p->arena = arena;
    p->err = err;
    sql_token_list toks;
    int rc = sql_lex(&toks, text, len, arena, err);
    if (rc < 0) return rc;
    p->toks = toks.tokens;
    p->tok_count = toks.count;
    return 0;
}

int sql_parse(sql_script *out, const char *text, size_t len, fl_arena *arena, fl_error *err)
{
    sql_parser p;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = parser_init(&p, text, len, arena, err)) < 0) return rc;
    sp_vec stmts = {0};
    for (;;) {
        while (sp_accept(&p, SQL_TOK_SEMI)) {
        }
        if (sp_is(&p, SQL_TOK_EOF)) break;
        sql_stmt *s;
        if ((rc = sp_parse_stmt(&p, &s)) < 0) return rc;
        if ((rc = sp_vec_push(&p, &stmts, &s, sizeof s)) < 0) return rc;
        if (!sp_is(&p, SQL_TOK_SEMI) && !sp_is(&p, SQL_TOK_EOF)) return sp_syntax_error(&p);
    }
    out->text = text;
    out->len = len;
    out->stmts = stmts.data;
    out->count = stmts.count;
    return 0;
}

int sql_parse_statement(sql_stmt **out, const char *text, size_t len, fl_arena *arena,
                        fl_error *err)
{
    sql_parser p;
    int rc;
    *out = NULL;
    if ((rc = parser_init(&p, text, len, arena, err)) < 0) return rc;
    while (sp_accept(&p, SQL_TOK_SEMI)) {
    }
    if (sp_is(&p, SQL_TOK_EOF)) return sp_syntax_error(&p);
    if ((rc = sp_parse_stmt(&p, out)) < 0) return rc;
    while (sp_accept(&p, SQL_TOK_SEMI)) {
    }
    if (!sp_is(&p, SQL_TOK_EOF)) return sp_syntax_error(&p);
    return 0;
}

int sql_parse_expression(sql_expr **out, const char *text, size_t len, fl_arena *arena,
                         fl_error *err)
{
    sql_parser p;
    int rc;
    *out = NULL;
    if ((rc = parser_init(&p, text, len, arena, err)) < 0) return rc;
    if ((rc = sp_parse_expr(&p, out)) < 0) return rc;
    if (!sp_is(&p, SQL_TOK_EOF)) return sp_syntax_error(&p);
    return 0;
}
