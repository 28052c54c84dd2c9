/*
 * query.c: floe_query: a script is split into statements (sql_parse) and
 * each statement runs on its own (auto-commit) through
 *   bind_statement (tables looked up here: Iceberg tables via ice_table_load,
 *   then external tables) -> opt_optimize -> ex_plan_physical -> ex_run
 * into a floe_result; DDL-like statements go to ddl.c. CTAS creates the
 * table first and drops it again when writing the rows fails (the insert
 * operator has then deleted its files and committed nothing).
 *
 * Every statement gets its own arena (plans, operator state, result
 * chunks), owned by the statement's result. Errors keep their SQLSTATE;
 * the line and column of parse and bind errors come from the message's
 * "(line L, column C)" suffix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../exec/ex_profile.h"
#include "../iceberg/ice_table.h"
#include "../sql/bind/bind.h"
#include "../sql/opt/opt.h"
#include "../sql/parse/sql_parser.h"
#include "ext_table.h"
#include "main_int.h"

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Reads "(line L, column C)" at the end of a message. */
static void error_position(const char *msg, int *line, int *column)
{
    *line = *column = 0;
    const char *p = strstr(msg, "(line ");
    const char *last = NULL;
    while (p) {
        last = p;
        p = strstr(p + 1, "(line ");
    }
    if (!last) return;
    char *end;
    long l = strtol(last + 6, &end, 10);
    if (strncmp(end, ", column ", 9) != 0) return;
    long c = strtol(end + 9, &end, 10);
    if (*end != ')' || l <= 0 || c <= 0) return;
    *line = (int)l;
    *column = (int)c;
}

static int conn_fail(floe_conn *conn, int rc, const fl_error *err)
{
    conn->err = *err;
    if (conn->err.code >= 0) conn->err.code = rc;
    if (!conn->err.message[0]) snprintf(conn->err.message, sizeof conn->err.message, "%s", fl_status_name(rc));
    error_position(conn->err.message, &conn->err_line, &conn->err_column);
    return rc;
}

/* ---------------------------------------------------------------- bind environment */

static double summary_records(const ice_metadata *md)
{
    const ice_snapshot *s = ice_metadata_current_snapshot(md);
    for (size_t i = 0; s && i < s->summary_count; i++)
        if (strcmp(s->summary[i].key, "total-records") == 0) return strtod(s->summary[i].value, NULL);
    return 0;
}

static int iceberg_source(plan_table_source **out, const ice_table *t, fl_arena *arena,
                          fl_error *err)
{
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    if (!schema) return fl_error_set(err, FLOE_ECORRUPT, "table %s.%s has no current schema", t->ns, t->name);
    const ice_type *st = schema->type;
    plan_table_source *s = fl_arena_calloc(arena, sizeof *s);
    uint32_t n = (uint32_t)st->field_count;
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->kind = PLAN_SOURCE_ICEBERG;
    s->ns = fl_arena_strdup(arena, t->ns);
    s->name = fl_arena_strdup(arena, t->name);
    s->column_names = fl_arena_calloc(arena, (n + 1) * sizeof *s->column_names);
    s->column_types = fl_arena_calloc(arena, (n + 1) * sizeof *s->column_types);
    s->field_ids = fl_arena_calloc(arena, (n + 1) * sizeof *s->field_ids);
    if (!s->ns || !s->name || !s->column_names || !s->column_types || !s->field_ids)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        const ice_field *f = &st->fields[i];
        s->column_names[i] = fl_arena_strdup(arena, f->name);
        if (!s->column_names[i]) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(ice_type_to_fl(&s->column_types[i], f->type, err));
        s->field_ids[i] = f->id;
    }
    s->column_count = n;
    s->estimated_rows = summary_records(t->md);
    *out = s;
    return 0;
}

static int lookup_table(void *vctx, const char *ns, const char *name, plan_table_source **out,
                        fl_arena *arena, fl_error *err)
{
    stmt_env *se = vctx;
    floe_db *db = se->conn->db;
    if (!ns) ns = se->conn->schema;
    ice_table *t = NULL;
    int rc = ice_table_load(&t, db->catalog, db->fs, ns, name, err);
    if (rc == 0) {
        rc = iceberg_source(out, t, arena, err);
        ice_table_free(t);
        return rc;
    }
    if (rc != FLOE_ENOTFOUND) return rc;
    rc = ext_table_lookup(out, db->catalog, ns, name, arena, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42P01", "table %s.%s does not exist", ns,
                                     name);
    return rc;
}

static bool schema_exists(void *vctx, const char *ns)
{
    stmt_env *se = vctx;
    bool exists = false;
    fl_error err;
    if (cat_namespace_exists(se->conn->db->catalog, ns, &exists, &err) < 0) return false;
    return exists;
}

/* ---------------------------------------------------------------- statements */

static int run_query(floe_result **out, stmt_env *env, plan_stmt *ps, fl_error *err)
{
    ex_op *root;
    ex_result res;
    FL_TRY(opt_optimize(ps, env->arena, err));
    FL_TRY(ex_plan_physical(&root, ps->root, env->ctx, err));
    FL_TRY(ex_run(&res, root, env->ctx, err));
    return result_new(out, env->arena, res.col_count, ps->column_names, res.types, res.chunks,
                      res.chunk_count, err);
}

static int insert_rows(int64_t *rows, stmt_env *env, plan_stmt *ps, fl_error *err)
{
    ex_op *root;
    ex_result res;
    FL_TRY(opt_optimize(ps, env->arena, err));
    FL_TRY(ex_plan_physical(&root, ps->root, env->ctx, err));
    FL_TRY(ex_run(&res, root, env->ctx, err));
    *rows = 0;
    if (res.chunk_count > 0 && res.chunks[0].count > 0 && res.col_count == 1) {
        fl_value v;
        ex_vector_get(&res.chunks[0].cols[0], 0, &v);
        if (!v.is_null) *rows = v.v.i64;
    }
    return 0;
}

static int run_insert(floe_result **out, stmt_env *env, plan_stmt *ps, fl_error *err)
{
    plan_insert *ins = &ps->root->u.insert;
    int64_t rows = 0;
    if (!ins->create) {
        if (!ins->ns) ins->ns = env->conn->schema;
        FL_TRY(insert_rows(&rows, env, ps, err));
        return result_count(out, env->arena, rows, err);
    }
    /* CTAS: create the table, then commit the rows as its first snapshot */
    const bind_create_table_info *info = ins->create_info;
    const char *ns = info->ns ? info->ns : env->conn->schema;
    ins->ns = ns;
    bool created = false;
    FL_TRY(ddl_create_iceberg(env, ns, info->name, info->column_names, info->column_types, NULL,
                              info->column_count, info->stmt, &created, err));
    if (!created) return result_count(out, env->arena, 0, err);   /* IF NOT EXISTS */
    int rc = insert_rows(&rows, env, ps, err);
    if (rc < 0) {
        fl_error ignored;
        cat_table_drop(env->conn->db->catalog, ns, info->name, NULL, &ignored);
        return rc;
    }
    return result_count(out, env->arena, rows, err);
}

/* One row per line of text, appended to b. */
static int add_lines(row_builder *b, const char *text, fl_error *err)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = fl_arena_strndup(b->arena, p, len);
        if (!line) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        const char *cells[1] = {line};
        FL_TRY(rows_add_text(b, cells, err));
        p += len + (nl ? 1 : 0);
    }
    return 0;
}

/* EXPLAIN [ANALYZE]: the logical and the physical plan, one row per line.
 * ANALYZE runs the plan first with a profile (ex_profile.h) and annotates
 * the physical plan with each operator's actual rows and CPU time. */
static int run_explain(floe_result **out, stmt_env *env, plan_stmt *ps, fl_error *err)
{
    plan_stmt *inner = ps->explain_of;
    if (inner->kind == PLAN_STMT_DDL)
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000",
                                     "EXPLAIN is not supported for this statement");
    int64_t plan_start = now_us();
    FL_TRY(opt_optimize(inner, env->arena, err));
    fl_buf logical, physical;
    fl_buf_init(&logical);
    fl_buf_init(&physical);
    ex_op *root = NULL;
    ex_profile *prof = NULL;
    ex_result res;
    int rc = plan_explain(&logical, inner->root, err);
    if (rc == 0) rc = ex_plan_physical(&root, inner->root, env->ctx, err);
    int64_t plan_us = now_us() - plan_start;
    if (rc == 0 && ps->explain_analyze) {
        rc = ex_profile_new(&prof, root, env->arena, err);
        if (rc == 0) rc = ex_run_profiled(&res, root, env->ctx, prof, err);
        if (rc == 0) rc = ex_explain_analyze(&physical, root, prof, err);
    } else if (rc == 0) {
        rc = ex_explain(&physical, root, err);
    }
    row_builder b;
    const char *names[] = {"explain"};
    if (rc == 0) rc = rows_init(&b, env->arena, 1, names, NULL, err);
    const char *h1[] = {"logical plan:"}, *h2[] = {"physical plan:"};
    if (rc == 0) rc = rows_add_text(&b, h1, err);
    if (rc == 0) rc = add_lines(&b, fl_buf_cstr(&logical), err);
    if (rc == 0) rc = rows_add_text(&b, h2, err);
    if (rc == 0) rc = add_lines(&b, fl_buf_cstr(&physical), err);
    if (rc == 0 && prof) {
        char line[160];
        snprintf(line, sizeof line, "executed: %lld rows in %.3f ms (optimizing and planning: %.3f ms)",
                 (long long)res.row_count, (double)prof->wall_ns / 1e6, (double)plan_us / 1000.0);
        const char *cells[] = {line};
        rc = rows_add_text(&b, cells, err);
    }
    fl_buf_dispose(&logical);
    fl_buf_dispose(&physical);
    if (rc == 0) rc = rows_finish(out, &b, err);
    return rc;
}

static int run_statement(floe_result **out, floe_conn *conn, const char *text,
                         const sql_stmt *stmt, fl_error *err)
{
    floe_db *db = conn->db;
    int64_t start = now_us();
    fl_arena *arena = fl_arena_new(256 * 1024);
    if (!arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    ex_ctx *ctx = fl_arena_calloc(arena, sizeof *ctx);
    stmt_env *env = fl_arena_calloc(arena, sizeof *env);
    if (!ctx || !env) {
        fl_arena_free(arena);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    ctx->arena = arena;
    ctx->pool = db->pool;
    ctx->threads = db->threads;
    ctx->catalog = db->catalog;
    ctx->fs = db->fs;
    ctx->warehouse = db->warehouse;
    ctx->cancel = &conn->cancel;
    ctx->memory_limit = db->memory_limit;
    env->conn = conn;
    env->text = text;
    env->arena = arena;
    env->ctx = ctx;
    bind_env benv = {.current_schema = conn->schema, .lookup_table = lookup_table,
                     .schema_exists = schema_exists, .ctx = env};
    plan_stmt *ps = NULL;
    floe_result *r = NULL;
    int rc = bind_statement(&ps, stmt, text, &benv, arena, err);
    if (rc == 0) {
        switch (ps->kind) {
        case PLAN_STMT_QUERY: rc = run_query(&r, env, ps, err); break;
        case PLAN_STMT_INSERT: rc = run_insert(&r, env, ps, err); break;
        case PLAN_STMT_EXPLAIN: rc = run_explain(&r, env, ps, err); break;
        case PLAN_STMT_DDL: rc = ddl_execute(&r, env, stmt, err); break;
        default: rc = fl_error_set(err, FLOE_EINTERNAL, "unknown statement kind %d", (int)ps->kind);
        }
    }
    if (rc == 0 && !r) rc = result_empty(&r, arena, err);
    if (rc < 0) {
        fl_arena_free(arena);
        return rc;
    }
    r->elapsed_us = now_us() - start;
    *out = r;
    return 0;
}

int floe_query(floe_conn *conn, const char *sql, floe_result **out)
{
    if (out) *out = NULL;
    if (!conn || !sql) return FLOE_EINVAL;
    fl_error_clear(&conn->err);
    conn->err_line = conn->err_column = 0;
    atomic_store(&conn->cancel, false);
    fl_error err;
    fl_error_clear(&err);
    fl_arena *arena = fl_arena_new(0);
    if (!arena) return FLOE_ENOMEM;
    sql_script script;
    int rc = sql_parse(&script, sql, strlen(sql), arena, &err);
    floe_result *last = NULL;
    for (uint32_t i = 0; rc == 0 && i < script.count; i++) {
        floe_result *r = NULL;
        rc = run_statement(&r, conn, sql, script.stmts[i], &err);
        if (rc == 0) {
            floe_result_free(last);
            last = r;
        }
    }
    if (rc == 0 && !last) {
        fl_arena *ra = fl_arena_new(0);
        rc = ra ? result_empty(&last, ra, &err) : fl_error_set(&err, FLOE_ENOMEM, "out of memory");
        if (rc < 0) fl_arena_free(ra);
    }
    fl_arena_free(arena);
    if (rc < 0) {
        floe_result_free(last);
        return conn_fail(conn, rc, &err);
    }
    if (out) *out = last;
    else floe_result_free(last);
    return 0;
}
