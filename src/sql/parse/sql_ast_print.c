/*
 * sql_ast_print.c: a deterministic S-expression rendering of the AST.
 *
 * Used by the parser's tests (expected strings pin down precedence, join
 * trees and set operations) and by EXPLAIN-style debugging. Every node
 * prints as "(head child ...)"; names print dotted, quoted identifiers in
 * double quotes, strings in single quotes with '' doubled, so two texts
 * that mean the same thing print the same. Allocation failures are sticky:
 * printing continues as a no-op and the call returns FLOE_ENOMEM.
 */
#include "sql_parser.h"

#include <stdio.h>

typedef struct printer {
    fl_buf *out;
    int rc;
} printer;

static void put(printer *pr, const char *s)
{
    if (pr->rc == 0) pr->rc = fl_buf_append_str(pr->out, s);
}

static void put_string(printer *pr, const char *s)
{
    put(pr, "'");
    for (const char *c = s; *c && pr->rc == 0; c++) {
        if (*c == '\'') put(pr, "''");
        else pr->rc = fl_buf_append_byte(pr->out, (uint8_t)*c);
    }
    put(pr, "'");
}

static void put_ident(printer *pr, const char *name, bool quoted)
{
    if (!quoted) {
        put(pr, name);
        return;
    }
    put(pr, "\"");
    for (const char *c = name; *c && pr->rc == 0; c++) {
        if (*c == '"') put(pr, "\"\"");
        else pr->rc = fl_buf_append_byte(pr->out, (uint8_t)*c);
    }
    put(pr, "\"");
}

static void put_name(printer *pr, const sql_name *n)
{
    for (uint32_t i = 0; i < n->count; i++) {
        if (i) put(pr, ".");
        put_ident(pr, n->parts[i].name, n->parts[i].quoted);
    }
}

static void put_ident_list(printer *pr, const char *head, const sql_ident *ids, uint32_t count)
{
    put(pr, " (");
    put(pr, head);
    for (uint32_t i = 0; i < count; i++) {
        put(pr, " ");
        put_ident(pr, ids[i].name, ids[i].quoted);
    }
    put(pr, ")");
}

static void print_expr(printer *pr, const sql_expr *e);
static void print_query(printer *pr, const sql_query *q);
static void print_stmt(printer *pr, const sql_stmt *s);

static void print_type(printer *pr, const sql_type *t)
{
    if (strcmp(t->name, "array") == 0 && t->child_count == 1 && t->param_count == 0) {
        put(pr, "array(");
        print_type(pr, t->children[0]);
        put(pr, ")");
        return;
    }
    /* "timestamp with time zone" with parameters prints as timestamp(6) with time zone */
    const char *space = strchr(t->name, ' ');
    if (space && t->param_count > 0 && strncmp(t->name, "interval", 8) != 0) {
        char head[32];
        snprintf(head, sizeof head, "%.*s", (int)(space - t->name), t->name);
        put(pr, head);
    } else {
        put(pr, t->name);
    }
    if (t->param_count > 0) {
        put(pr, "(");
        for (uint32_t i = 0; i < t->param_count; i++) {
            char num[24];
            snprintf(num, sizeof num, "%s%lld", i ? "," : "", (long long)t->params[i]);
            put(pr, num);
        }
        put(pr, ")");
        if (space && strncmp(t->name, "interval", 8) != 0) put(pr, space);
    }
    if (t->child_count > 0) {
        put(pr, "(");
        for (uint32_t i = 0; i < t->child_count; i++) {
            if (i) put(pr, ", ");
            if (t->field_names) {
                put_ident(pr, t->field_names[i].name, t->field_names[i].quoted);
                put(pr, " ");
            }
            print_type(pr, t->children[i]);
        }
        put(pr, ")");
    }
}

static const char *op_name(sql_op op)
{
    switch (op) {
    case SQL_OP_OR: return "or";
    case SQL_OP_AND: return "and";
    case SQL_OP_NOT: return "not";
    case SQL_OP_EQ: return "=";
    case SQL_OP_NE: return "<>";
    case SQL_OP_LT: return "<";
    case SQL_OP_LE: return "<=";
    case SQL_OP_GT: return ">";
    case SQL_OP_GE: return ">=";
    case SQL_OP_CONCAT: return "||";
    case SQL_OP_ADD: return "+";
    case SQL_OP_SUB: return "-";
    case SQL_OP_MUL: return "*";
    case SQL_OP_DIV: return "/";
    case SQL_OP_MOD: return "%";
    case SQL_OP_NEG: return "-";
    case SQL_OP_PLUS: return "+";
    }
    return "?";
}

static const char *unit_name(sql_interval_unit u)
{
    switch (u) {
    case SQL_UNIT_NONE: return "";
    case SQL_UNIT_YEAR: return "year";
    case SQL_UNIT_MONTH: return "month";
    case SQL_UNIT_WEEK: return "week";
    case SQL_UNIT_DAY: return "day";
    case SQL_UNIT_HOUR: return "hour";
    case SQL_UNIT_MINUTE: return "minute";
    case SQL_UNIT_SECOND: return "second";
    }
    return "?";
}

static void print_list(printer *pr, sql_expr *const *items, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        put(pr, " ");
        print_expr(pr, items[i]);
    }
}

static void print_order(printer *pr, const char *head, const sql_order_item *items, uint32_t count)
{
    put(pr, " (");
    put(pr, head);
    for (uint32_t i = 0; i < count; i++) {
        const sql_order_item *o = &items[i];
        put(pr, " ");
        if (!o->desc && o->nulls == 0) {
            print_expr(pr, o->expr);
            continue;
        }
        put(pr, "(sort ");
        print_expr(pr, o->expr);
        put(pr, o->desc ? " desc" : " asc");
        if (o->nulls == 1) put(pr, " nulls-first");
        if (o->nulls == 2) put(pr, " nulls-last");
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_bound(printer *pr, const sql_frame_bound *b)
{
    switch (b->kind) {
    case SQL_BOUND_NONE: break;
    case SQL_BOUND_UNBOUNDED_PRECEDING: put(pr, "unbounded-preceding"); break;
    case SQL_BOUND_UNBOUNDED_FOLLOWING: put(pr, "unbounded-following"); break;
    case SQL_BOUND_CURRENT_ROW: put(pr, "current-row"); break;
    case SQL_BOUND_PRECEDING:
    case SQL_BOUND_FOLLOWING:
        put(pr, b->kind == SQL_BOUND_PRECEDING ? "(preceding " : "(following ");
        print_expr(pr, b->offset);
        put(pr, ")");
        break;
    }
}

static void print_window(printer *pr, const sql_window *w)
{
    put(pr, "(window");
    if (w->name) {
        put(pr, " ");
        put(pr, w->name);
    }
    if (w->base) {
        put(pr, " (base ");
        put(pr, w->base);
        put(pr, ")");
    }
    if (w->partition_count) {
        put(pr, " (partition-by");
        print_list(pr, w->partition, w->partition_count);
        put(pr, ")");
    }
    if (w->order_count) print_order(pr, "order-by", w->order, w->order_count);
    if (w->frame != SQL_FRAME_NONE) {
        put(pr, w->frame == SQL_FRAME_ROWS ? " (rows " : w->frame == SQL_FRAME_RANGE ? " (range " : " (groups ");
        if (w->end.kind != SQL_BOUND_NONE) {
            put(pr, "(between ");
            print_bound(pr, &w->start);
            put(pr, " ");
            print_bound(pr, &w->end);
            put(pr, ")");
        } else {
            print_bound(pr, &w->start);
        }
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_literal(printer *pr, const sql_expr *e)
{
    switch (e->u.lit.kind) {
    case SQL_LIT_NULL: put(pr, "null"); break;
    case SQL_LIT_BOOL: put(pr, e->u.lit.boolean ? "true" : "false"); break;
    case SQL_LIT_INTEGER:
    case SQL_LIT_DECIMAL:
    case SQL_LIT_DOUBLE: put(pr, e->u.lit.text); break;
    case SQL_LIT_STRING: put_string(pr, e->u.lit.text); break;
    case SQL_LIT_TYPED:
        put(pr, "(");
        print_type(pr, e->u.lit.type);
        put(pr, " ");
        put_string(pr, e->u.lit.text);
        put(pr, ")");
        break;
    }
}

static void print_function(printer *pr, const sql_expr *e)
{
    put(pr, "(call ");
    put_name(pr, &e->u.func.name);
    if (e->u.func.distinct) put(pr, " distinct");
    if (e->u.func.star) put(pr, " *");
    print_list(pr, e->u.func.args, e->u.func.arg_count);
    if (e->u.func.order_count) print_order(pr, "order-by", e->u.func.order, e->u.func.order_count);
    if (e->u.func.filter) {
        put(pr, " (filter ");
        print_expr(pr, e->u.func.filter);
        put(pr, ")");
    }
    if (e->u.func.over) {
        put(pr, " (over ");
        print_window(pr, e->u.func.over);
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_expr_rest(printer *pr, const sql_expr *e)
{
    switch (e->kind) {
    case SQL_EXPR_CASE:
        put(pr, "(case");
        if (e->u.case_.operand) {
            put(pr, " ");
            print_expr(pr, e->u.case_.operand);
        }
        for (uint32_t i = 0; i < e->u.case_.when_count; i++) {
            put(pr, " (when ");
            print_expr(pr, e->u.case_.whens[i]);
            put(pr, " ");
            print_expr(pr, e->u.case_.thens[i]);
            put(pr, ")");
        }
        if (e->u.case_.else_expr) {
            put(pr, " (else ");
            print_expr(pr, e->u.case_.else_expr);
            put(pr, ")");
        }
        put(pr, ")");
        break;
    case SQL_EXPR_CAST:
        put(pr, e->u.cast.try_ ? "(try_cast " : "(cast ");
        print_expr(pr, e->u.cast.arg);
        put(pr, " ");
        print_type(pr, e->u.cast.type);
        put(pr, ")");
        break;
    case SQL_EXPR_EXTRACT:
        put(pr, "(extract ");
        put(pr, e->u.extract.field);
        put(pr, " ");
        print_expr(pr, e->u.extract.arg);
        put(pr, ")");
        break;
    case SQL_EXPR_INTERVAL:
        put(pr, "(interval ");
        print_expr(pr, e->u.interval.value);
        if (e->u.interval.unit != SQL_UNIT_NONE) {
            put(pr, " ");
            put(pr, unit_name(e->u.interval.unit));
        }
        if (e->u.interval.to_unit != SQL_UNIT_NONE) {
            put(pr, " to ");
            put(pr, unit_name(e->u.interval.to_unit));
        }
        put(pr, ")");
        break;
    case SQL_EXPR_STRUCT:
        put(pr, "(struct");
        for (uint32_t i = 0; i < e->u.struct_.count; i++) {
            put(pr, " (");
            put(pr, e->u.struct_.names[i].name);
            put(pr, " ");
            print_expr(pr, e->u.struct_.values[i]);
            put(pr, ")");
        }
        put(pr, ")");
        break;
    case SQL_EXPR_ARRAY:
    case SQL_EXPR_ROW:
        put(pr, e->kind == SQL_EXPR_ARRAY ? "(array" : "(row");
        print_list(pr, e->u.list.items, e->u.list.count);
        put(pr, ")");
        break;
    case SQL_EXPR_SUBSCRIPT:
        put(pr, "(subscript ");
        print_expr(pr, e->u.subscript.arg);
        put(pr, " ");
        print_expr(pr, e->u.subscript.index);
        put(pr, ")");
        break;
    case SQL_EXPR_AT_TIME_ZONE:
        put(pr, "(at-time-zone ");
        print_expr(pr, e->u.at_zone.arg);
        put(pr, " ");
        print_expr(pr, e->u.at_zone.zone);
        put(pr, ")");
        break;
    case SQL_EXPR_NAMED_ARG:
        put(pr, "(=> ");
        put_ident(pr, e->u.named.name.name, e->u.named.name.quoted);
        put(pr, " ");
        print_expr(pr, e->u.named.value);
        put(pr, ")");
        break;
    default:
        put(pr, "(?)");
        break;
    }
}

static void print_expr(printer *pr, const sql_expr *e)
{
    char num[24];
    switch (e->kind) {
    case SQL_EXPR_LITERAL: print_literal(pr, e); break;
    case SQL_EXPR_COLUMN: put_name(pr, &e->u.column); break;
    case SQL_EXPR_STAR:
        if (e->u.column.count) {
            put_name(pr, &e->u.column);
            put(pr, ".");
        }
        put(pr, "*");
        break;
    case SQL_EXPR_PARAM:
        snprintf(num, sizeof num, "?%u", e->u.param_index);
        put(pr, num);
        break;
    case SQL_EXPR_UNARY:
        put(pr, "(");
        put(pr, op_name(e->u.unary.op));
        put(pr, " ");
        print_expr(pr, e->u.unary.arg);
        put(pr, ")");
        break;
    case SQL_EXPR_BINARY:
        put(pr, "(");
        put(pr, op_name(e->u.binary.op));
        put(pr, " ");
        print_expr(pr, e->u.binary.left);
        put(pr, " ");
        print_expr(pr, e->u.binary.right);
        put(pr, ")");
        break;
    case SQL_EXPR_IS_NULL:
    case SQL_EXPR_IS_BOOL:
        put(pr, e->u.is.negated ? "(is-not-" : "(is-");
        put(pr, e->kind == SQL_EXPR_IS_NULL ? "null " : e->u.is.value ? "true " : "false ");
        print_expr(pr, e->u.is.arg);
        put(pr, ")");
        break;
    case SQL_EXPR_IS_DISTINCT:
        put(pr, e->u.distinct.negated ? "(is-not-distinct " : "(is-distinct ");
        print_expr(pr, e->u.distinct.left);
        put(pr, " ");
        print_expr(pr, e->u.distinct.right);
        put(pr, ")");
        break;
    case SQL_EXPR_BETWEEN:
        put(pr, e->u.between.negated ? "(not-between " : "(between ");
        print_expr(pr, e->u.between.arg);
        put(pr, " ");
        print_expr(pr, e->u.between.low);
        put(pr, " ");
        print_expr(pr, e->u.between.high);
        put(pr, ")");
        break;
    case SQL_EXPR_LIKE:
        put(pr, e->u.like.negated ? "(not-" : "(");
        put(pr, e->u.like.ilike ? "ilike " : "like ");
        print_expr(pr, e->u.like.arg);
        put(pr, " ");
        print_expr(pr, e->u.like.pattern);
        if (e->u.like.escape) {
            put(pr, " (escape ");
            print_expr(pr, e->u.like.escape);
            put(pr, ")");
        }
        put(pr, ")");
        break;
    case SQL_EXPR_IN_LIST:
        put(pr, e->u.in_list.negated ? "(not-in " : "(in ");
        print_expr(pr, e->u.in_list.arg);
        put(pr, " (list");
        print_list(pr, e->u.in_list.items, e->u.in_list.count);
        put(pr, "))");
        break;
    case SQL_EXPR_IN_QUERY:
        put(pr, e->u.in_query.negated ? "(not-in " : "(in ");
        print_expr(pr, e->u.in_query.arg);
        put(pr, " ");
        print_query(pr, e->u.in_query.query);
        put(pr, ")");
        break;
    case SQL_EXPR_QUANTIFIED:
        put(pr, "(");
        put(pr, op_name(e->u.quantified.op));
        put(pr, e->u.quantified.all ? " all " : " any ");
        print_expr(pr, e->u.quantified.arg);
        put(pr, " ");
        print_query(pr, e->u.quantified.query);
        put(pr, ")");
        break;
    case SQL_EXPR_EXISTS:
    case SQL_EXPR_SUBQUERY:
        put(pr, e->kind == SQL_EXPR_EXISTS ? "(exists " : "(subquery ");
        print_query(pr, e->u.subquery);
        put(pr, ")");
        break;
    case SQL_EXPR_FUNCTION: print_function(pr, e); break;
    default: print_expr_rest(pr, e); break;
    }
}

static void print_alias(printer *pr, const sql_table_ref *r)
{
    if (!r->alias) return;
    put(pr, " (as ");
    put_ident(pr, r->alias, r->alias_quoted);
    if (r->column_alias_count) put_ident_list(pr, "columns", r->column_aliases, r->column_alias_count);
    put(pr, ")");
}

static const char *join_name(const sql_table_ref *r)
{
    if (r->u.join.comma) return "comma";
    switch (r->u.join.kind) {
    case SQL_JOIN_INNER: return r->u.join.natural ? "natural-inner" : "inner";
    case SQL_JOIN_LEFT: return r->u.join.natural ? "natural-left" : "left";
    case SQL_JOIN_RIGHT: return r->u.join.natural ? "natural-right" : "right";
    case SQL_JOIN_FULL: return r->u.join.natural ? "natural-full" : "full";
    case SQL_JOIN_CROSS: return r->u.join.natural ? "natural-cross" : "cross";
    }
    return "?";
}

static void print_table_ref(printer *pr, const sql_table_ref *r)
{
    switch (r->kind) {
    case SQL_TABLE_NAME:
        put(pr, "(table ");
        put_name(pr, &r->u.table.name);
        if (r->u.table.travel != SQL_TRAVEL_NONE) {
            put(pr, r->u.table.travel == SQL_TRAVEL_TIMESTAMP ? " (as-of-timestamp " : " (as-of-version ");
            print_expr(pr, r->u.table.travel_value);
            put(pr, ")");
        }
        print_alias(pr, r);
        put(pr, ")");
        break;
    case SQL_TABLE_SUBQUERY:
        put(pr, r->u.subquery.lateral ? "(lateral-subquery " : "(derived ");
        print_query(pr, r->u.subquery.query);
        print_alias(pr, r);
        put(pr, ")");
        break;
    case SQL_TABLE_FUNCTION:
        put(pr, r->u.function.lateral ? "(lateral-function " : "(table-function ");
        print_expr(pr, r->u.function.call);
        print_alias(pr, r);
        put(pr, ")");
        break;
    case SQL_TABLE_JOIN:
        put(pr, "(join ");
        put(pr, join_name(r));
        put(pr, " ");
        print_table_ref(pr, r->u.join.left);
        put(pr, " ");
        print_table_ref(pr, r->u.join.right);
        if (r->u.join.on) {
            put(pr, " (on ");
            print_expr(pr, r->u.join.on);
            put(pr, ")");
        }
        if (r->u.join.using_count) put_ident_list(pr, "using", r->u.join.using_cols, r->u.join.using_count);
        print_alias(pr, r);
        put(pr, ")");
        break;
    }
}

static void print_set(printer *pr, sql_expr *const *set, uint32_t size)
{
    put(pr, " ");
    if (size == 1) {
        print_expr(pr, set[0]);
        return;
    }
    put(pr, "(");
    for (uint32_t i = 0; i < size; i++) {
        if (i) put(pr, " ");
        print_expr(pr, set[i]);
    }
    put(pr, ")");
}

static void print_group(printer *pr, const sql_query *q)
{
    put(pr, q->u.select.group_distinct ? " (group-by distinct" : " (group-by");
    for (uint32_t i = 0; i < q->u.select.group_count; i++) {
        const sql_group_item *g = &q->u.select.group[i];
        if (g->kind == SQL_GROUP_EXPR) {
            put(pr, " ");
            print_expr(pr, g->expr);
            continue;
        }
        put(pr, g->kind == SQL_GROUP_ROLLUP ? " (rollup" : g->kind == SQL_GROUP_CUBE ? " (cube" : " (grouping-sets");
        for (uint32_t j = 0; j < g->set_count; j++) print_set(pr, g->sets[j], g->set_sizes[j]);
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_select(printer *pr, const sql_query *q)
{
    put(pr, " (items");
    for (uint32_t i = 0; i < q->u.select.item_count; i++) {
        const sql_select_item *it = &q->u.select.items[i];
        put(pr, " ");
        if (it->alias) {
            put(pr, "(as ");
            print_expr(pr, it->expr);
            put(pr, " ");
            put_ident(pr, it->alias, it->alias_quoted);
            put(pr, ")");
        } else {
            print_expr(pr, it->expr);
        }
    }
    put(pr, ")");
    if (q->u.select.from) {
        put(pr, " (from ");
        print_table_ref(pr, q->u.select.from);
        put(pr, ")");
    }
    if (q->u.select.where) {
        put(pr, " (where ");
        print_expr(pr, q->u.select.where);
        put(pr, ")");
    }
    if (q->u.select.group_count) print_group(pr, q);
    if (q->u.select.having) {
        put(pr, " (having ");
        print_expr(pr, q->u.select.having);
        put(pr, ")");
    }
    for (uint32_t i = 0; i < q->u.select.window_count; i++) {
        put(pr, " ");
        print_window(pr, q->u.select.windows[i]);
    }
    if (q->u.select.qualify) {
        put(pr, " (qualify ");
        print_expr(pr, q->u.select.qualify);
        put(pr, ")");
    }
}

static void print_with(printer *pr, const sql_query *q)
{
    if (!q->cte_count) return;
    put(pr, q->recursive ? " (with recursive" : " (with");
    for (uint32_t i = 0; i < q->cte_count; i++) {
        const sql_cte *c = &q->ctes[i];
        put(pr, " (cte ");
        put_ident(pr, c->name.name, c->name.quoted);
        if (c->column_count) put_ident_list(pr, "columns", c->columns, c->column_count);
        put(pr, " ");
        print_query(pr, c->query);
        put(pr, ")");
    }
    put(pr, ")");
}

/* (head (with ...) body (order-by ...) (limit n) (offset n)) */
static void print_query(printer *pr, const sql_query *q)
{
    switch (q->kind) {
    case SQL_QUERY_SELECT:
        put(pr, q->u.select.distinct ? "(select distinct" : "(select");
        print_with(pr, q);
        print_select(pr, q);
        break;
    case SQL_QUERY_SETOP:
        put(pr, q->u.setop.op == SQL_SETOP_UNION ? "(union" : q->u.setop.op == SQL_SETOP_INTERSECT ? "(intersect" : "(except");
        if (q->u.setop.all) put(pr, " all");
        print_with(pr, q);
        put(pr, " ");
        print_query(pr, q->u.setop.left);
        put(pr, " ");
        print_query(pr, q->u.setop.right);
        break;
    case SQL_QUERY_VALUES:
        put(pr, "(values");
        print_with(pr, q);
        for (uint32_t i = 0; i < q->u.values.row_count; i++) {
            put(pr, " (row");
            print_list(pr, q->u.values.rows[i], q->u.values.row_sizes[i]);
            put(pr, ")");
        }
        break;
    case SQL_QUERY_NESTED:
        put(pr, "(query");
        print_with(pr, q);
        put(pr, " ");
        print_query(pr, q->u.nested);
        break;
    }
    if (q->order_count) print_order(pr, "order-by", q->order, q->order_count);
    if (q->limit) {
        put(pr, q->with_ties ? " (limit-with-ties " : " (limit ");
        print_expr(pr, q->limit);
        put(pr, ")");
    }
    if (q->offset) {
        put(pr, " (offset ");
        print_expr(pr, q->offset);
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_props(printer *pr, const char *head, const sql_property *props, uint32_t count)
{
    put(pr, " (");
    put(pr, head);
    for (uint32_t i = 0; i < count; i++) {
        put(pr, " (");
        put_string(pr, props[i].key);
        if (props[i].value) {
            put(pr, " ");
            print_expr(pr, props[i].value);
        }
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_opt_string(printer *pr, const char *head, const char *value)
{
    if (!value) return;
    put(pr, " (");
    put(pr, head);
    put(pr, " ");
    put_string(pr, value);
    put(pr, ")");
}

static void print_column_def(printer *pr, const sql_column_def *c)
{
    put(pr, " (");
    put_ident(pr, c->name.name, c->name.quoted);
    put(pr, " ");
    print_type(pr, c->type);
    if (c->not_null) put(pr, " not-null");
    print_opt_string(pr, "comment", c->comment);
    put(pr, ")");
}

static void print_assigns(printer *pr, const sql_assign *a, uint32_t count)
{
    put(pr, " (set");
    for (uint32_t i = 0; i < count; i++) {
        put(pr, " (= ");
        put_name(pr, &a[i].column);
        put(pr, " ");
        print_expr(pr, a[i].value);
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_where(printer *pr, const sql_expr *where)
{
    if (!where) return;
    put(pr, " (where ");
    print_expr(pr, where);
    put(pr, ")");
}

static void print_target(printer *pr, const sql_name *table, const char *alias)
{
    put(pr, " ");
    put_name(pr, table);
    if (alias) {
        put(pr, " (as ");
        put(pr, alias);
        put(pr, ")");
    }
}

static void print_merge(printer *pr, const sql_stmt *s)
{
    put(pr, "(merge");
    print_target(pr, &s->u.merge.table, s->u.merge.alias);
    put(pr, " (using ");
    print_table_ref(pr, s->u.merge.source);
    put(pr, ") (on ");
    print_expr(pr, s->u.merge.on);
    put(pr, ")");
    for (uint32_t i = 0; i < s->u.merge.clause_count; i++) {
        const sql_merge_clause *c = &s->u.merge.clauses[i];
        put(pr, c->matched ? " (when-matched" : " (when-not-matched");
        if (c->condition) {
            put(pr, " (and ");
            print_expr(pr, c->condition);
            put(pr, ")");
        }
        switch (c->action) {
        case SQL_MERGE_UPDATE:
            put(pr, " (update");
            if (c->update_star) put(pr, " *");
            else print_assigns(pr, c->sets, c->set_count);
            put(pr, ")");
            break;
        case SQL_MERGE_DELETE: put(pr, " (delete)"); break;
        case SQL_MERGE_INSERT:
            put(pr, " (insert");
            if (c->insert_star) put(pr, " *");
            if (c->column_count) put_ident_list(pr, "columns", c->columns, c->column_count);
            if (c->value_count) {
                put(pr, " (values");
                print_list(pr, c->values, c->value_count);
                put(pr, ")");
            }
            put(pr, ")");
            break;
        }
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_create_table(printer *pr, const sql_stmt *s)
{
    put(pr, "(create-table");
    if (s->u.create_table.or_replace) put(pr, " or-replace");
    if (s->u.create_table.external) put(pr, " external");
    if (s->u.create_table.if_not_exists) put(pr, " if-not-exists");
    put(pr, " ");
    put_name(pr, &s->u.create_table.name);
    if (s->u.create_table.column_count) {
        put(pr, " (columns");
        for (uint32_t i = 0; i < s->u.create_table.column_count; i++)
            print_column_def(pr, &s->u.create_table.columns[i]);
        put(pr, ")");
    }
    if (s->u.create_table.using_format) {
        put(pr, " (using ");
        put(pr, s->u.create_table.using_format);
        put(pr, ")");
    }
    if (s->u.create_table.partition_count) {
        put(pr, " (partitioned-by");
        for (uint32_t i = 0; i < s->u.create_table.partition_count; i++) {
            put(pr, " ");
            const sql_type *t = s->u.create_table.partition_types ? s->u.create_table.partition_types[i] : NULL;
            if (t) put(pr, "(");
            print_expr(pr, s->u.create_table.partitioned_by[i]);
            if (t) {
                put(pr, " ");
                print_type(pr, t);
                put(pr, ")");
            }
        }
        put(pr, ")");
    }
    if (s->u.create_table.field_delimiter || s->u.create_table.line_delimiter || s->u.create_table.serde) {
        put(pr, " (row-format");
        print_opt_string(pr, "fields", s->u.create_table.field_delimiter);
        print_opt_string(pr, "escaped", s->u.create_table.escape_char);
        print_opt_string(pr, "lines", s->u.create_table.line_delimiter);
        print_opt_string(pr, "serde", s->u.create_table.serde);
        if (s->u.create_table.serde_prop_count)
            print_props(pr, "serdeproperties", s->u.create_table.serde_props, s->u.create_table.serde_prop_count);
        put(pr, ")");
    }
    if (s->u.create_table.stored_as) {
        put(pr, " (stored-as ");
        put(pr, s->u.create_table.stored_as);
        put(pr, ")");
    }
    print_opt_string(pr, "location", s->u.create_table.location);
    print_opt_string(pr, "comment", s->u.create_table.comment);
    if (s->u.create_table.tblproperty_count)
        print_props(pr, "tblproperties", s->u.create_table.tblproperties, s->u.create_table.tblproperty_count);
    if (s->u.create_table.with_prop_count)
        print_props(pr, "with", s->u.create_table.with_props, s->u.create_table.with_prop_count);
    if (s->u.create_table.option_count)
        print_props(pr, "options", s->u.create_table.options, s->u.create_table.option_count);
    if (s->u.create_table.as_query) {
        put(pr, " (as ");
        print_query(pr, s->u.create_table.as_query);
        put(pr, ")");
    }
    put(pr, ")");
}

static void print_alter_action(printer *pr, const sql_alter_action *a)
{
    switch (a->kind) {
    case SQL_ALTER_ADD_COLUMN:
        put(pr, a->if_not_exists ? " (add-column if-not-exists" : " (add-column");
        print_column_def(pr, a->column);
        break;
    case SQL_ALTER_DROP_COLUMN:
        put(pr, a->if_exists ? " (drop-column if-exists " : " (drop-column ");
        put_name(pr, &a->column_name);
        break;
    case SQL_ALTER_RENAME_COLUMN:
        put(pr, " (rename-column ");
        put_name(pr, &a->column_name);
        put(pr, " ");
        put_ident(pr, a->new_name.name, a->new_name.quoted);
        break;
    case SQL_ALTER_COLUMN_TYPE:
        put(pr, " (alter-column-type ");
        put_name(pr, &a->column_name);
        put(pr, " ");
        print_type(pr, a->type);
        break;
    case SQL_ALTER_SET_PROPERTIES:
        print_props(pr, "set-properties", a->props, a->prop_count);
        return;
    case SQL_ALTER_ADD_PARTITION_FIELD:
    case SQL_ALTER_DROP_PARTITION_FIELD:
        put(pr, a->kind == SQL_ALTER_ADD_PARTITION_FIELD ? " (add-partition-field " : " (drop-partition-field ");
        print_expr(pr, a->expr);
        if (a->new_name.name) {
            put(pr, " (as ");
            put_ident(pr, a->new_name.name, a->new_name.quoted);
            put(pr, ")");
        }
        break;
    case SQL_ALTER_EXECUTE:
        put(pr, " (execute ");
        print_expr(pr, a->expr);
        break;
    case SQL_ALTER_RENAME_TABLE:
        put(pr, " (rename-to ");
        put_name(pr, &a->new_table);
        break;
    }
    put(pr, ")");
}

static void print_ddl(printer *pr, const sql_stmt *s)
{
    static const char *const show_names[] = {"schemas", "tables", "columns", "create-table"};
    static const char *const object_names[] = {"table", "schema", "view"};
    switch (s->kind) {
    case SQL_STMT_CREATE_SCHEMA:
        put(pr, s->u.create_schema.database ? "(create-database" : "(create-schema");
        if (s->u.create_schema.if_not_exists) put(pr, " if-not-exists");
        put(pr, " ");
        put_name(pr, &s->u.create_schema.name);
        print_opt_string(pr, "comment", s->u.create_schema.comment);
        print_opt_string(pr, "location", s->u.create_schema.location);
        if (s->u.create_schema.prop_count)
            print_props(pr, "with", s->u.create_schema.props, s->u.create_schema.prop_count);
        put(pr, ")");
        break;
    case SQL_STMT_CREATE_TABLE: print_create_table(pr, s); break;
    case SQL_STMT_CREATE_VIEW:
        put(pr, "(create-view");
        if (s->u.create_view.or_replace) put(pr, " or-replace");
        if (s->u.create_view.if_not_exists) put(pr, " if-not-exists");
        put(pr, " ");
        put_name(pr, &s->u.create_view.name);
        put(pr, " ");
        print_query(pr, s->u.create_view.query);
        put(pr, ")");
        break;
    case SQL_STMT_DROP:
        put(pr, "(drop ");
        put(pr, object_names[s->u.drop.object]);
        if (s->u.drop.if_exists) put(pr, " if-exists");
        put(pr, " ");
        put_name(pr, &s->u.drop.name);
        if (s->u.drop.cascade) put(pr, " cascade");
        put(pr, ")");
        break;
    case SQL_STMT_ALTER_TABLE:
        put(pr, s->u.alter.if_exists ? "(alter-table if-exists " : "(alter-table ");
        put_name(pr, &s->u.alter.table);
        for (uint32_t i = 0; i < s->u.alter.action_count; i++) print_alter_action(pr, &s->u.alter.actions[i]);
        put(pr, ")");
        break;
    case SQL_STMT_SHOW:
        put(pr, "(show ");
        put(pr, show_names[s->u.show.kind]);
        if (s->u.show.name.count) {
            put(pr, " ");
            put_name(pr, &s->u.show.name);
        }
        print_opt_string(pr, "like", s->u.show.like);
        put(pr, ")");
        break;
    default: put(pr, "(?)"); break;
    }
}

static void print_stmt(printer *pr, const sql_stmt *s)
{
    switch (s->kind) {
    case SQL_STMT_QUERY: print_query(pr, s->u.query); break;
    case SQL_STMT_INSERT:
        put(pr, s->u.insert.overwrite ? "(insert-overwrite " : "(insert ");
        put_name(pr, &s->u.insert.table);
        if (s->u.insert.partition_count)
            print_props(pr, "partition", s->u.insert.partition, s->u.insert.partition_count);
        if (s->u.insert.column_count) put_ident_list(pr, "columns", s->u.insert.columns, s->u.insert.column_count);
        put(pr, " ");
        print_query(pr, s->u.insert.query);
        put(pr, ")");
        break;
    case SQL_STMT_UPDATE:
        put(pr, "(update");
        print_target(pr, &s->u.update.table, s->u.update.alias);
        print_assigns(pr, s->u.update.sets, s->u.update.set_count);
        print_where(pr, s->u.update.where);
        put(pr, ")");
        break;
    case SQL_STMT_DELETE:
        put(pr, "(delete");
        print_target(pr, &s->u.delete_.table, s->u.delete_.alias);
        print_where(pr, s->u.delete_.where);
        put(pr, ")");
        break;
    case SQL_STMT_MERGE: print_merge(pr, s); break;
    case SQL_STMT_COPY:
        put(pr, "(copy ");
        put_name(pr, &s->u.copy.table);
        if (s->u.copy.column_count) put_ident_list(pr, "columns", s->u.copy.columns, s->u.copy.column_count);
        put(pr, " ");
        put_string(pr, s->u.copy.path);
        if (s->u.copy.option_count) print_props(pr, "options", s->u.copy.options, s->u.copy.option_count);
        put(pr, ")");
        break;
    case SQL_STMT_DESCRIBE:
    case SQL_STMT_USE:
        put(pr, s->kind == SQL_STMT_USE ? "(use " : s->u.describe.extended ? "(describe-extended " : "(describe ");
        put_name(pr, s->kind == SQL_STMT_USE ? &s->u.use.name : &s->u.describe.table);
        put(pr, ")");
        break;
    case SQL_STMT_EXPLAIN:
        put(pr, "(explain");
        if (s->u.explain.analyze) put(pr, " analyze");
        if (s->u.explain.verbose) put(pr, " verbose");
        if (s->u.explain.option_count)
            print_props(pr, "options", s->u.explain.options, s->u.explain.option_count);
        put(pr, " ");
        print_stmt(pr, s->u.explain.stmt);
        put(pr, ")");
        break;
    case SQL_STMT_CALL:
        put(pr, "(call-procedure ");
        put_name(pr, &s->u.call.name);
        print_list(pr, s->u.call.args, s->u.call.arg_count);
        put(pr, ")");
        break;
    default: print_ddl(pr, s); break;
    }
}

int sql_ast_print_stmt(fl_buf *out, const sql_stmt *stmt)
{
    printer pr = {out, 0};
    print_stmt(&pr, stmt);
    return pr.rc;
}

int sql_ast_print_query(fl_buf *out, const sql_query *query)
{
    printer pr = {out, 0};
    print_query(&pr, query);
    return pr.rc;
}

int sql_ast_print_expr(fl_buf *out, const sql_expr *expr)
{
    printer pr = {out, 0};
    print_expr(&pr, expr);
    return pr.rc;
}
