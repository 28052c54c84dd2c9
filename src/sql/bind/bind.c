/*
 * bind.c: the binder's entry point (bind_statement) and statement-level
 * binding: queries, INSERT [OVERWRITE] (column mapping, casts to the table's
 * types, Spark's static PARTITION values), CREATE TABLE AS, EXPLAIN; every
 * other statement passes through as PLAN_STMT_DDL for src/main. Also the
 * binder's error helpers: messages carry the position the parser's way,
 * "(line L, column C)", and the detail starts with "at offset N", which
 * bind_error_offset reads back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../base/strutil.h"
#include "../parse/sql_parser.h"
#include "bind_internal.h"

/* ---------------------------------------------------------------- errors */

static void add_offset_detail(fl_error *err, uint32_t loc)
{
    if (!err) return;
    char old[FL_ERROR_MSG_MAX];
    memcpy(old, err->detail, sizeof old);
    old[sizeof old - 1] = '\0';
    char head[32];
    snprintf(head, sizeof head, "at offset %u", loc);
    size_t pos = fl_str_copy(err->detail, sizeof err->detail, head);
    if (old[0] && pos + 1 < sizeof err->detail) {
        err->detail[pos] = '\n';
        fl_str_copy(err->detail + pos + 1, sizeof err->detail - pos - 1, old);
    }
}

int bind_error(binder *b, fl_error *err, int code, const char *sqlstate, uint32_t loc,
               const char *fmt, ...)
{
    char what[FL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (b->text)
        sql_error_at(err, code, sqlstate, b->text, b->text_len, loc, "%s", what);
    else
        fl_error_set_sqlstate(err, code, sqlstate, "%s", what);
    add_offset_detail(err, loc);
    return code;
}

int bind_error_rethrow(binder *b, fl_error *err, int rc, uint32_t loc)
{
    if (!err) return rc;
    if (rc == FLOE_ENOMEM) return rc;
    if (strncmp(err->detail, "at offset ", 10) == 0) return rc;   /* already placed */
    char sqlstate[6], msg[FL_ERROR_MSG_MAX];
    memcpy(sqlstate, err->sqlstate, sizeof sqlstate);
    memcpy(msg, err->message, sizeof msg);
    msg[sizeof msg - 1] = '\0';
    return bind_error(b, err, rc, sqlstate[0] ? sqlstate : fl_status_sqlstate(rc), loc, "%s",
                      msg);
}

int bind_oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

int bind_error_offset(const fl_error *err)
{
    if (!err || strncmp(err->detail, "at offset ", 10) != 0) return -1;
    const char *p = err->detail + 10;
    long v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 10) {
        v = v * 10 + (*p - '0');
        p++;
        digits++;
    }
    return digits ? (int)v : -1;
}

/* ---------------------------------------------------------------- utilities */

uint32_t bind_new_table_index(binder *b) { return b->stmt->next_table_index++; }

int bind_push(fl_arena *arena, void *array_ptr, uint32_t *count, size_t elem_size,
              const void *elem)
{
    void **arr = array_ptr;
    /* grow by doubling at powers of two so that appends stay amortized O(1) */
    uint32_t n = *count;
    bool grow = n == 0 || (n & (n - 1)) == 0;
    if (grow) {
        size_t cap_old = n ? n : 0;
        size_t cap_new = n ? (size_t)n * 2 : 1;
        void *p = fl_arena_realloc(arena, *arr, cap_old * elem_size, cap_new * elem_size);
        if (!p) return FLOE_ENOMEM;
        *arr = p;
    }
    memcpy((char *)*arr + (size_t)n * elem_size, elem, elem_size);
    *count = n + 1;
    return 0;
}

int bind_type_name(char *buf, size_t cap, fl_type t)
{
    if (fn_type_sql_name(t, buf, cap) < 0) return fl_type_format(t, buf, cap);
    return 0;
}

int bind_type(binder *b, const sql_type *t, fl_type *out, fl_error *err)
{
    if (t->child_count)
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", t->loc,
                          "type %s is not supported in queries yet", t->name);
    char text[128];
    int n = snprintf(text, sizeof text, "%s", t->name);
    for (uint32_t i = 0; i < t->param_count && n > 0 && (size_t)n < sizeof text; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "%s%lld", i ? "," : "(",
                      (long long)t->params[i]);
    if (t->param_count && n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, ")");
    if (n < 0 || (size_t)n >= sizeof text)
        return bind_error(b, err, FLOE_EINVAL, "42704", t->loc, "type name is too long");
    int rc = fl_type_parse(out, text, (size_t)n, err);
    if (rc < 0)
        return bind_error(b, err, FLOE_ENOTFOUND, "42704", t->loc, "type \"%s\" does not exist",
                          text);
    return 0;
}

int bind_result_fill(binder *b, bind_result *r, fl_error *err)
{
    return plan_node_outputs(r->root, b->arena, &r->outs, &r->types, &r->count, err);
}

/* ---------------------------------------------------------------- INSERT */

static void split_name(const sql_name *n, const char **ns, const char **name)
{
    *name = n->parts[n->count - 1].name;
    *ns = n->count >= 2 ? n->parts[n->count - 2].name : NULL;
}

static int lookup(binder *b, const sql_name *n, uint32_t loc, plan_table_source **src,
                  fl_error *err)
{
    const char *ns, *name;
    split_name(n, &ns, &name);
    if (!b->env || !b->env->lookup_table)
        return bind_error(b, err, FLOE_ENOTFOUND, "42P01", loc, "table %s%s%s does not exist",
                          ns ? ns : "", ns ? "." : "", name);
    int rc = b->env->lookup_table(b->env->ctx, ns, name, src, b->arena, err);
    if (rc < 0) return bind_error_rethrow(b, err, rc, loc);
    return 0;
}

/* Whether an INSERT may store a `from` value in a `to` column (Trino: implicit
 * coercions, plus narrowing within the same family, checked at run time). */
static bool insert_castable(fl_type from, fl_type to)
{
    if (from.id == FL_TYPE_NULL || fl_type_eq(from, to) || fn_can_coerce(from, to)) return true;
    bool from_num = from.id >= FL_TYPE_INT8 && from.id <= FL_TYPE_DECIMAL;
    bool to_num = to.id >= FL_TYPE_INT8 && to.id <= FL_TYPE_DECIMAL;
    if (from_num && to_num) return true;
    bool from_time = from.id >= FL_TYPE_DATE && from.id <= FL_TYPE_TIMESTAMPTZ_NS;
    bool to_time = to.id >= FL_TYPE_DATE && to.id <= FL_TYPE_TIMESTAMPTZ_NS;
    if (from_time && to_time) return fn_cast_allowed(from, to);
    if (fl_type_is_varlen(from) && fl_type_is_varlen(to)) return fn_cast_allowed(from, to);
    return false;
}

typedef struct insert_col {
    uint32_t table_col;
    plan_expr *constant;     /* Spark static partition value, else NULL */
} insert_col;

static int find_table_column(const plan_table_source *src, const char *name)
{
    for (uint32_t i = 0; i < src->column_count; i++)
        if (strcasecmp(src->column_names[i], name) == 0) return (int)i;
    return -1;
}

static int insert_targets(binder *b, const sql_stmt *s, const plan_table_source *src,
                          insert_col **out, uint32_t *out_count, uint32_t *query_cols,
                          fl_error *err)
{
    insert_col *cols = NULL;
    uint32_t n = 0;
    bool *used = fl_arena_calloc(b->arena, src->column_count + 1);
    if (!used) return bind_oom(err);
    /* static partition values first (they are not in the query) */
    uint32_t statics = 0;
    for (uint32_t i = 0; i < s->u.insert.partition_count; i++) {
        const sql_property *p = &s->u.insert.partition[i];
        if (!p->value) continue;
        int c = find_table_column(src, p->key);
        if (c < 0)
            return bind_error(b, err, FLOE_ENOTFOUND, "42703", s->loc,
                              "column \"%s\" of relation \"%s\" does not exist", p->key,
                              src->name);
        bind_ctx cx = {.b = b, .scope = bind_scope_new(b, NULL), .clause = "PARTITION"};
        plan_expr *v;
        FL_TRY(bind_expr(&cx, p->value, &v, err));
        if (v->kind != PLAN_EX_CONST)
            return bind_error(b, err, FLOE_EINVAL, "42601", p->value->loc,
                              "partition value for \"%s\" must be a constant", p->key);
        used[c] = true;
        insert_col ic = {(uint32_t)c, v};
        if (bind_push(b->arena, &cols, &n, sizeof ic, &ic) < 0) return bind_oom(err);
        statics++;
    }
    if (s->u.insert.column_count) {
        for (uint32_t i = 0; i < s->u.insert.column_count; i++) {
            const char *name = s->u.insert.columns[i].name;
            int c = find_table_column(src, name);
            if (c < 0)
                return bind_error(b, err, FLOE_ENOTFOUND, "42703", s->loc,
                                  "column \"%s\" of relation \"%s\" does not exist", name,
                                  src->name);
            if (used[c])
                return bind_error(b, err, FLOE_EINVAL, "42701", s->loc,
                                  "column \"%s\" specified more than once", name);
            used[c] = true;
            insert_col ic = {(uint32_t)c, NULL};
            if (bind_push(b->arena, &cols, &n, sizeof ic, &ic) < 0) return bind_oom(err);
        }
    } else {
        for (uint32_t c = 0; c < src->column_count; c++) {
            if (used[c]) continue;
            insert_col ic = {c, NULL};
            if (bind_push(b->arena, &cols, &n, sizeof ic, &ic) < 0) return bind_oom(err);
        }
    }
    *out = cols;
    *out_count = n;
    *query_cols = n - statics;
    return 0;
}

static int bind_insert(binder *b, const sql_stmt *s, plan_stmt *ps, fl_error *err)
{
    plan_table_source *src;
    FL_TRY(lookup(b, &s->u.insert.table, s->loc, &src, err));
    insert_col *cols = NULL;
    uint32_t ncols = 0, qcols = 0;
    FL_TRY(insert_targets(b, s, src, &cols, &ncols, &qcols, err));
    bind_result q;
    FL_TRY(bind_query(b, s->u.insert.query, NULL, &q, err));
    if (q.count != qcols)
        return bind_error(b, err, FLOE_EINVAL, "42601", s->u.insert.query->loc,
                          "INSERT has %s expressions than target columns (%u, expected %u)",
                          q.count > qcols ? "more" : "fewer", q.count, qcols);
    plan_node *proj = plan_node_new(b->arena, PLAN_PROJECT, 1);
    if (!proj) return bind_oom(err);
    proj->children[0] = q.root;
    proj->table_index = bind_new_table_index(b);
    proj->u.project.exprs = fl_arena_calloc(b->arena, sizeof(plan_expr *) * (ncols + 1));
    uint32_t *map = fl_arena_calloc(b->arena, sizeof(uint32_t) * (ncols + 1));
    if (!proj->u.project.exprs || !map) return bind_oom(err);
    uint32_t qi = 0;
    for (uint32_t i = 0; i < ncols; i++) {
        uint32_t c = cols[i].table_col;
        fl_type to = src->column_types[c];
        plan_expr *e = cols[i].constant;
        if (!e) {
            e = plan_expr_colref(b->arena, q.outs[qi], q.types[qi], q.names[qi]);
            if (!e) return bind_oom(err);
            qi++;
        }
        if (!insert_castable(e->type, to)) {
            char tn[64], fnm[64];
            bind_type_name(tn, sizeof tn, to);
            bind_type_name(fnm, sizeof fnm, e->type);
            return bind_error(b, err, FLOE_ETYPE, "42804", s->u.insert.query->loc,
                              "column \"%s\" is of type %s but expression is of type %s",
                              src->column_names[c], tn, fnm);
        }
        FL_TRY(bind_cast(b, e, to, false, s->u.insert.query->loc, &e, err));
        proj->u.project.exprs[i] = e;
        map[i] = c;
    }
    proj->u.project.count = ncols;
    plan_node *ins = plan_node_new(b->arena, PLAN_INSERT, 1);
    if (!ins) return bind_oom(err);
    ins->children[0] = proj;
    ins->u.insert.ns = src->ns;
    ins->u.insert.name = src->name;
    ins->u.insert.overwrite = s->u.insert.overwrite;
    ins->u.insert.column_map = map;
    ins->u.insert.column_count = ncols;
    ps->kind = PLAN_STMT_INSERT;
    ps->root = ins;
    return 0;
}

static int bind_ctas(binder *b, const sql_stmt *s, plan_stmt *ps, fl_error *err)
{
    bind_result q;
    FL_TRY(bind_query(b, s->u.create_table.as_query, NULL, &q, err));
    bind_create_table_info *info = fl_arena_calloc(b->arena, sizeof *info);
    uint32_t *map = fl_arena_calloc(b->arena, sizeof(uint32_t) * (q.count + 1));
    if (!info || !map) return bind_oom(err);
    split_name(&s->u.create_table.name, &info->ns, &info->name);
    info->or_replace = s->u.create_table.or_replace;
    info->if_not_exists = s->u.create_table.if_not_exists;
    info->column_names = q.names;
    info->column_types = q.types;
    info->column_count = q.count;
    info->stmt = s;
    for (uint32_t i = 0; i < q.count; i++) {
        map[i] = i;
        if (q.types[i].id == FL_TYPE_NULL)
            return bind_error(b, err, FLOE_ETYPE, "42804", s->loc,
                              "column \"%s\" has type unknown (a bare NULL): cast it", q.names[i]);
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(q.names[i], q.names[j]) == 0)
                return bind_error(b, err, FLOE_EINVAL, "42701", s->loc,
                                  "column \"%s\" specified more than once", q.names[i]);
    }
    plan_node *ins = plan_node_new(b->arena, PLAN_INSERT, 1);
    if (!ins) return bind_oom(err);
    ins->children[0] = q.root;
    ins->u.insert.ns = info->ns;
    ins->u.insert.name = info->name;
    ins->u.insert.create = true;
    ins->u.insert.column_map = map;
    ins->u.insert.column_count = q.count;
    ins->u.insert.create_info = info;
    ps->kind = PLAN_STMT_INSERT;
    ps->root = ins;
    return 0;
}

/* ---------------------------------------------------------------- statements */

static int bind_stmt(binder *b, const sql_stmt *s, plan_stmt *ps, fl_error *err)
{
    switch (s->kind) {
    case SQL_STMT_QUERY: {
        bind_result q;
        FL_TRY(bind_query(b, s->u.query, NULL, &q, err));
        ps->kind = PLAN_STMT_QUERY;
        ps->root = q.root;
        ps->column_names = q.names;
        ps->column_count = q.count;
        return 0;
    }
    case SQL_STMT_INSERT:
        return bind_insert(b, s, ps, err);
    case SQL_STMT_CREATE_TABLE:
        if (s->u.create_table.as_query) return bind_ctas(b, s, ps, err);
        ps->kind = PLAN_STMT_DDL;
        ps->ddl = s;
        return 0;
    case SQL_STMT_EXPLAIN: {
        plan_stmt *inner = fl_arena_calloc(b->arena, sizeof *inner);
        if (!inner) return bind_oom(err);
        FL_TRY(bind_stmt(b, s->u.explain.stmt, inner, err));
        ps->kind = PLAN_STMT_EXPLAIN;
        ps->explain_of = inner;
        ps->explain_analyze = s->u.explain.analyze;
        return 0;
    }
    case SQL_STMT_UPDATE:
    case SQL_STMT_DELETE:
    case SQL_STMT_MERGE:
        return bind_error(b, err, FLOE_EUNSUPPORTED, "0A000", s->loc,
                          "%s is not supported yet",
                          s->kind == SQL_STMT_UPDATE   ? "UPDATE"
                          : s->kind == SQL_STMT_DELETE ? "DELETE"
                                                       : "MERGE");
    default:
        ps->kind = PLAN_STMT_DDL;
        ps->ddl = s;
        return 0;
    }
}

int bind_statement(plan_stmt **out, const sql_stmt *stmt, const char *text, const bind_env *env,
                   fl_arena *arena, fl_error *err)
{
    plan_stmt *ps = fl_arena_calloc(arena, sizeof *ps);
    if (!ps) return bind_oom(err);
    binder b = {
        .arena = arena,
        .env = env,
        .text = text,
        .text_len = text ? strlen(text) : 0,
        .stmt = ps,
    };
    FL_TRY(bind_stmt(&b, stmt, ps, err));
    /* EXPLAIN's inner statement shares the table index space */
    if (ps->explain_of) ps->explain_of->next_table_index = ps->next_table_index;
    *out = ps;
    return 0;
}
