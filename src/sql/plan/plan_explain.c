/*
 * plan_explain.c: EXPLAIN text of a logical plan and SQL-like text of bound
 * expressions.
 *
 * One node per line, children indented by two spaces, each line the node
 * kind and its expressions:
 *
 *   PROJECT [i_item_id, sum(ws_sales_price)]
 *     AGGREGATE groups=[i_item_id] aggs=[sum(ws_sales_price)]
 *       JOIN INNER conds=[ws_item_sk = i_item_sk]
 *         GET web_sales [ws_item_sk, ws_sales_price] filters=[(ws_quantity > 5)]
 *         GET item [i_item_sk, i_item_id]
 *
 * Column references print their name (as the binder recorded it) and, when
 * unnamed, their binding as #table.column. Operators print infix in
 * parentheses; casts as CAST(x AS type). The text is for people and for the
 * plan-shape unit tests; it is not parsed back.
 */
#include <string.h>

#include "../../base/value_text.h"
#include "../../func/func.h"
#include "plan.h"

static int type_str(fl_buf *out, fl_type t)
{
    char name[64];
    if (fn_type_sql_name(t, name, sizeof name) < 0) fl_type_format(t, name, sizeof name);
    return fl_buf_append_str(out, name);
}

static bool is_operator(const char *name)
{
    static const char *const ops[] = {"+", "-", "*", "/", "%", "=", "<>", "<", "<=",
                                      ">", ">=", "||", "like", "ilike"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(ops); i++)
        if (strcmp(name, ops[i]) == 0) return true;
    return false;
}

static int expr_str(fl_buf *out, const plan_expr *e);

static int list_str(fl_buf *out, plan_expr *const *items, uint32_t count, const char *sep)
{
    for (uint32_t i = 0; i < count; i++) {
        if (i) FL_TRY(fl_buf_append_str(out, sep));
        FL_TRY(expr_str(out, items[i]));
    }
    return 0;
}

static int orders_str(fl_buf *out, const plan_order *orders, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (i) FL_TRY(fl_buf_append_str(out, ", "));
        FL_TRY(expr_str(out, orders[i].expr));
        FL_TRY(fl_buf_append_str(out, orders[i].desc ? " DESC" : " ASC"));
        FL_TRY(fl_buf_append_str(out, orders[i].nulls_first ? " NULLS FIRST" : " NULLS LAST"));
    }
    return 0;
}

static const char *bound_name(plan_frame_bound_kind k)
{
    switch (k) {
    case PLAN_BOUND_UNBOUNDED_PRECEDING: return "UNBOUNDED PRECEDING";
    case PLAN_BOUND_PRECEDING: return "PRECEDING";
    case PLAN_BOUND_CURRENT_ROW: return "CURRENT ROW";
    case PLAN_BOUND_FOLLOWING: return "FOLLOWING";
    case PLAN_BOUND_UNBOUNDED_FOLLOWING: return "UNBOUNDED FOLLOWING";
    }
    return "?";
}

static int window_str(fl_buf *out, const plan_expr *e)
{
    FL_TRY(fl_buf_appendf(out, "%s(%s", e->name ? e->name : "?",
                          e->u.window.distinct ? "DISTINCT " : ""));
    FL_TRY(list_str(out, e->args, e->arg_count, ", "));
    FL_TRY(fl_buf_append_str(out, ") OVER ("));
    const plan_window_spec *s = e->u.window.spec;
    if (!s) return fl_buf_append_str(out, ")");
    if (s->partition_count) {
        FL_TRY(fl_buf_append_str(out, "PARTITION BY "));
        FL_TRY(list_str(out, s->partition, s->partition_count, ", "));
        if (s->order_count) FL_TRY(fl_buf_append_str(out, " "));
    }
    if (s->order_count) {
        FL_TRY(fl_buf_append_str(out, "ORDER BY "));
        FL_TRY(orders_str(out, s->order, s->order_count));
    }
    FL_TRY(fl_buf_appendf(out, "%s%s BETWEEN ", s->partition_count || s->order_count ? " " : "",
                          s->rows ? "ROWS" : s->groups ? "GROUPS" : "RANGE"));
    if (s->start_offset) {
        FL_TRY(expr_str(out, s->start_offset));
        FL_TRY(fl_buf_append_str(out, " "));
    }
    FL_TRY(fl_buf_appendf(out, "%s AND ", bound_name(s->start)));
    if (s->end_offset) {
        FL_TRY(expr_str(out, s->end_offset));
        FL_TRY(fl_buf_append_str(out, " "));
    }
    return fl_buf_appendf(out, "%s)", bound_name(s->end));
}

static int const_str(fl_buf *out, const fl_value *v)
{
    if (v->is_null) return fl_buf_append_str(out, "NULL");
    bool quote = v->type.id == FL_TYPE_STRING || v->type.id == FL_TYPE_DATE ||
                 v->type.id == FL_TYPE_TIMESTAMP || v->type.id == FL_TYPE_TIMESTAMPTZ ||
                 v->type.id == FL_TYPE_TIME;
    if (v->type.id == FL_TYPE_DATE) FL_TRY(fl_buf_append_str(out, "DATE "));
    if (v->type.id == FL_TYPE_TIMESTAMP) FL_TRY(fl_buf_append_str(out, "TIMESTAMP "));
    if (quote) FL_TRY(fl_buf_append_byte(out, '\''));
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    FL_TRY(fl_value_render(out, v, &style));
    if (quote) FL_TRY(fl_buf_append_byte(out, '\''));
    return 0;
}

static int expr_str(fl_buf *out, const plan_expr *e)
{
    if (!e) return fl_buf_append_str(out, "NULL");
    switch (e->kind) {
    case PLAN_EX_CONST:
        return const_str(out, &e->u.value);
    case PLAN_EX_COLREF:
        if (e->name) return fl_buf_append_str(out, e->name);
        return fl_buf_appendf(out, "#%u.%u", e->u.binding.table, e->u.binding.column);
    case PLAN_EX_FUNC: {
        const char *name = e->name ? e->name : (e->u.fn ? e->u.fn->name : "?");
        if (e->arg_count == 2 && is_operator(name)) {
            FL_TRY(fl_buf_append_byte(out, '('));
            FL_TRY(expr_str(out, e->args[0]));
            FL_TRY(fl_buf_appendf(out, " %s ", strcmp(name, "like") == 0    ? "LIKE"
                                               : strcmp(name, "ilike") == 0 ? "ILIKE"
                                                                            : name));
            FL_TRY(expr_str(out, e->args[1]));
            return fl_buf_append_byte(out, ')');
        }
        if (e->arg_count == 1 && strcmp(name, "neg") == 0) {
            FL_TRY(fl_buf_append_str(out, "(- "));
            FL_TRY(expr_str(out, e->args[0]));
            return fl_buf_append_byte(out, ')');
        }
        FL_TRY(fl_buf_appendf(out, "%s(", name));
        FL_TRY(list_str(out, e->args, e->arg_count, ", "));
        return fl_buf_append_byte(out, ')');
    }
    case PLAN_EX_CAST:
        FL_TRY(fl_buf_append_str(out, e->u.try_cast ? "TRY_CAST(" : "CAST("));
        FL_TRY(expr_str(out, e->args[0]));
        FL_TRY(fl_buf_append_str(out, " AS "));
        FL_TRY(type_str(out, e->type));
        return fl_buf_append_byte(out, ')');
    case PLAN_EX_AND:
    case PLAN_EX_OR:
        FL_TRY(fl_buf_append_byte(out, '('));
        FL_TRY(list_str(out, e->args, e->arg_count, e->kind == PLAN_EX_AND ? " AND " : " OR "));
        return fl_buf_append_byte(out, ')');
    case PLAN_EX_NOT:
        FL_TRY(fl_buf_append_str(out, "(NOT "));
        FL_TRY(expr_str(out, e->args[0]));
        return fl_buf_append_byte(out, ')');
    case PLAN_EX_IS_NULL:
    case PLAN_EX_IS_NOT_NULL:
        FL_TRY(fl_buf_append_byte(out, '('));
        FL_TRY(expr_str(out, e->args[0]));
        return fl_buf_append_str(out,
                                 e->kind == PLAN_EX_IS_NULL ? " IS NULL)" : " IS NOT NULL)");
    case PLAN_EX_CASE: {
        FL_TRY(fl_buf_append_str(out, "CASE"));
        uint32_t pairs = (e->arg_count - (e->u.has_else ? 1 : 0)) / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            FL_TRY(fl_buf_append_str(out, " WHEN "));
            FL_TRY(expr_str(out, e->args[2 * i]));
            FL_TRY(fl_buf_append_str(out, " THEN "));
            FL_TRY(expr_str(out, e->args[2 * i + 1]));
        }
        if (e->u.has_else) {
            FL_TRY(fl_buf_append_str(out, " ELSE "));
            FL_TRY(expr_str(out, e->args[e->arg_count - 1]));
        }
        return fl_buf_append_str(out, " END");
    }
    case PLAN_EX_COALESCE:
        FL_TRY(fl_buf_append_str(out, "COALESCE("));
        FL_TRY(list_str(out, e->args, e->arg_count, ", "));
        return fl_buf_append_byte(out, ')');
    case PLAN_EX_IN_LIST:
        FL_TRY(fl_buf_append_byte(out, '('));
        FL_TRY(expr_str(out, e->args[0]));
        FL_TRY(fl_buf_append_str(out, " IN ("));
        FL_TRY(list_str(out, e->args + 1, e->arg_count - 1, ", "));
        return fl_buf_append_str(out, "))");
    case PLAN_EX_AGG:
        FL_TRY(fl_buf_appendf(out, "%s(%s", e->name ? e->name : "?",
                              e->u.agg.distinct ? "DISTINCT " : ""));
        if (e->arg_count == 0) FL_TRY(fl_buf_append_byte(out, '*'));
        FL_TRY(list_str(out, e->args, e->arg_count, ", "));
        FL_TRY(fl_buf_append_byte(out, ')'));
        if (e->u.agg.filter) {
            FL_TRY(fl_buf_append_str(out, " FILTER (WHERE "));
            FL_TRY(expr_str(out, e->u.agg.filter));
            FL_TRY(fl_buf_append_byte(out, ')'));
        }
        return 0;
    case PLAN_EX_WINDOW:
        return window_str(out, e);
    case PLAN_EX_GROUPING:
        FL_TRY(fl_buf_append_str(out, "GROUPING("));
        FL_TRY(list_str(out, e->args, e->arg_count, ", "));
        return fl_buf_append_byte(out, ')');
    case PLAN_EX_PARAM:
        return fl_buf_appendf(out, "$%u", e->u.param_index);
    }
    return fl_buf_append_str(out, "?");
}

int plan_expr_to_string(fl_buf *out, const plan_expr *e, fl_error *err)
{
    if (expr_str(out, e) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const char *join_name(plan_join_type t)
{
    static const char *const names[] = {"INNER", "LEFT", "RIGHT", "FULL",
                                        "SEMI",  "ANTI", "MARK",  "SINGLE",
                                        "RIGHT_SEMI", "RIGHT_ANTI"};
    return (unsigned)t < FL_ARRAY_SIZE(names) ? names[t] : "?";
}

static const char *cmp_name(plan_cmp c)
{
    static const char *const names[] = {"=", "<>", "<", "<=", ">", ">=", "IS NOT DISTINCT FROM"};
    return (unsigned)c < FL_ARRAY_SIZE(names) ? names[c] : "?";
}

static const char *setop_name(plan_setop_kind k)
{
    static const char *const names[] = {"UNION",  "UNION ALL",  "INTERSECT",
                                        "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"};
    return (unsigned)k < FL_ARRAY_SIZE(names) ? names[k] : "?";
}

static int bracket_list(fl_buf *out, const char *label, plan_expr *const *items, uint32_t count)
{
    FL_TRY(fl_buf_appendf(out, "%s[", label));
    FL_TRY(list_str(out, items, count, ", "));
    return fl_buf_append_byte(out, ']');
}

static int scan_columns(fl_buf *out, const char *const *names, const uint32_t *ids,
                        uint32_t count)
{
    FL_TRY(fl_buf_append_str(out, " ["));
    for (uint32_t i = 0; i < count; i++)
        FL_TRY(fl_buf_appendf(out, "%s%s", i ? ", " : "", names ? names[ids[i]] : "?"));
    return fl_buf_append_byte(out, ']');
}

static int node_line(fl_buf *out, const plan_node *n)
{
    switch (n->kind) {
    case PLAN_GET: {
        const plan_table_source *s = n->u.get.source;
        FL_TRY(fl_buf_appendf(out, "GET %s", s->name ? s->name : "?"));
        FL_TRY(scan_columns(out, s->column_names, n->u.get.column_ids, n->u.get.column_count));
        if (n->u.get.filter_count)
            FL_TRY(bracket_list(out, " filters=", n->u.get.filters, n->u.get.filter_count));
        return 0;
    }
    case PLAN_TABLE_FUNCTION: {
        const plan_table_function *f = n->u.table_fn.fn;
        FL_TRY(fl_buf_appendf(out, "TABLE_FUNCTION %s", f->name ? f->name : "?"));
        FL_TRY(scan_columns(out, f->column_names, n->u.table_fn.column_ids,
                            n->u.table_fn.column_count));
        if (n->u.table_fn.filter_count)
            FL_TRY(bracket_list(out, " filters=", n->u.table_fn.filters,
                                n->u.table_fn.filter_count));
        return 0;
    }
    case PLAN_FILTER:
        return bracket_list(out, "FILTER ", n->u.filter.exprs, n->u.filter.count);
    case PLAN_PROJECT:
        return bracket_list(out, "PROJECT ", n->u.project.exprs, n->u.project.count);
    case PLAN_AGGREGATE:
        FL_TRY(bracket_list(out, "AGGREGATE groups=", n->u.aggregate.groups,
                            n->u.aggregate.group_count));
        FL_TRY(bracket_list(out, " aggs=", n->u.aggregate.aggs, n->u.aggregate.agg_count));
        if (n->u.aggregate.set_count) {
            FL_TRY(fl_buf_append_str(out, " sets=["));
            for (uint32_t i = 0; i < n->u.aggregate.set_count; i++) {
                FL_TRY(fl_buf_append_str(out, i ? ", (" : "("));
                bool first = true;
                for (uint32_t g = 0; g < n->u.aggregate.group_count && g < 64; g++) {
                    if (!(n->u.aggregate.sets[i] >> g & 1)) continue;
                    FL_TRY(fl_buf_appendf(out, "%s%u", first ? "" : ",", g));
                    first = false;
                }
                FL_TRY(fl_buf_append_byte(out, ')'));
            }
            FL_TRY(fl_buf_append_byte(out, ']'));
        }
        if (n->u.aggregate.grouping_count)
            FL_TRY(bracket_list(out, " groupings=", n->u.aggregate.groupings,
                                n->u.aggregate.grouping_count));
        return 0;
    case PLAN_WINDOW:
        return bracket_list(out, "WINDOW ", n->u.window.exprs, n->u.window.count);
    case PLAN_JOIN:
        FL_TRY(fl_buf_appendf(out, "JOIN %s", join_name(n->u.join.type)));
        if (n->u.join.cond_count) {
            FL_TRY(fl_buf_append_str(out, " conds=["));
            for (uint32_t i = 0; i < n->u.join.cond_count; i++) {
                const plan_join_cond *c = &n->u.join.conds[i];
                if (i) FL_TRY(fl_buf_append_str(out, ", "));
                FL_TRY(expr_str(out, c->left));
                FL_TRY(fl_buf_appendf(out, " %s ", cmp_name(c->cmp)));
                FL_TRY(expr_str(out, c->right));
            }
            FL_TRY(fl_buf_append_byte(out, ']'));
        }
        if (n->u.join.residual) {
            FL_TRY(fl_buf_append_str(out, " residual="));
            FL_TRY(expr_str(out, n->u.join.residual));
        }
        return 0;
    case PLAN_ORDER:
        FL_TRY(fl_buf_append_str(out, "ORDER ["));
        FL_TRY(orders_str(out, n->u.order.orders, n->u.order.count));
        return fl_buf_append_byte(out, ']');
    case PLAN_LIMIT:
        FL_TRY(fl_buf_append_str(out, "LIMIT"));
        if (n->u.limit.limit >= 0) FL_TRY(fl_buf_appendf(out, " %lld", (long long)n->u.limit.limit));
        if (n->u.limit.offset > 0)
            FL_TRY(fl_buf_appendf(out, " OFFSET %lld", (long long)n->u.limit.offset));
        return 0;
    case PLAN_TOPN:
        FL_TRY(fl_buf_appendf(out, "TOPN %lld", (long long)n->u.limit.limit));
        if (n->u.limit.offset > 0)
            FL_TRY(fl_buf_appendf(out, " OFFSET %lld", (long long)n->u.limit.offset));
        FL_TRY(fl_buf_append_str(out, " ["));
        FL_TRY(orders_str(out, n->u.limit.orders, n->u.limit.order_count));
        return fl_buf_append_byte(out, ']');
    case PLAN_DISTINCT:
        return fl_buf_append_str(out, "DISTINCT");
    case PLAN_SETOP:
        return fl_buf_appendf(out, "SETOP %s", setop_name(n->u.setop.kind));
    case PLAN_VALUES:
        return fl_buf_appendf(out, "VALUES rows=%u columns=%u", n->u.values.row_count,
                              n->u.values.column_count);
    case PLAN_DUMMY_SCAN:
        return fl_buf_append_str(out, "DUMMY_SCAN");
    case PLAN_CTE_MATERIALIZE:
        return fl_buf_appendf(out, "CTE_MATERIALIZE cte=%u", n->u.cte.cte_index);
    case PLAN_CTE_SCAN:
        return fl_buf_appendf(out, "CTE_SCAN cte=%u", n->u.cte.cte_index);
    case PLAN_EMPTY:
        return fl_buf_append_str(out, "EMPTY");
    case PLAN_INSERT:
        return fl_buf_appendf(out, "INSERT %s%s%s%s", n->u.insert.ns ? n->u.insert.ns : "",
                              n->u.insert.ns ? "." : "", n->u.insert.name ? n->u.insert.name : "?",
                              n->u.insert.create      ? " create"
                              : n->u.insert.overwrite ? " overwrite"
                                                      : "");
    }
    return fl_buf_append_str(out, "?");
}

static int explain_rec(fl_buf *out, const plan_node *n, int depth)
{
    for (int i = 0; i < depth; i++) FL_TRY(fl_buf_append_str(out, "  "));
    FL_TRY(node_line(out, n));
    FL_TRY(fl_buf_append_byte(out, '\n'));
    for (uint32_t i = 0; i < n->child_count; i++) FL_TRY(explain_rec(out, n->children[i], depth + 1));
    return 0;
}

int plan_explain(fl_buf *out, const plan_node *root, fl_error *err)
{
    if (!root) return 0;
    if (explain_rec(out, root, 0) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}
