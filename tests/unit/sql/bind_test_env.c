/*
 * bind_test_env.c: the fake catalog of the binder/optimizer tests (see
 * bind_test_env.h). Tables come from the shared tpcds/schema files via
 * the SQL parser, so the tests bind against the real TPC-DS column types.
 */
#include "bind_test_env.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/sql/parse/sql_parser.h"
#include "../test.h"
#include "sql_test_util.h"

typedef struct bt_table {
    const char *name;
    const char **cols;
    fl_type *types;
    uint32_t count;
    double rows;
} bt_table;

static struct {
    bool loaded, failed;
    fl_arena *arena;
    bt_table tables[32];
    uint32_t count;
    bind_env env;
    fl_buf out;
} g;

static const struct { const char *name; double rows; } sf1_rows[] = {
    {"web_sales", 719384}, {"web_returns", 71763}, {"store_sales", 2880404},
    {"store_returns", 287514}, {"catalog_sales", 1441548}, {"catalog_returns", 144067},
    {"inventory", 11745000}, {"date_dim", 73049}, {"time_dim", 86400}, {"item", 18000},
    {"customer", 100000}, {"customer_address", 50000}, {"customer_demographics", 1920800},
    {"household_demographics", 7200}, {"income_band", 20}, {"promotion", 300},
    {"store", 12}, {"warehouse", 5}, {"web_site", 30}, {"web_page", 60},
    {"ship_mode", 20}, {"reason", 35}, {"call_center", 6}, {"catalog_page", 11718},
};

static int add_table(const sql_stmt *s)
{
    if (s->kind != SQL_STMT_CREATE_TABLE || g.count >= 32) return -1;
    bt_table *t = &g.tables[g.count];
    uint32_t n = s->u.create_table.column_count;
    t->name = fl_arena_strdup(g.arena, s->u.create_table.name.parts[0].name);
    t->cols = fl_arena_alloc(g.arena, sizeof *t->cols * n);
    t->types = fl_arena_alloc(g.arena, sizeof *t->types * n);
    if (!t->name || !t->cols || !t->types) return -1;
    for (uint32_t i = 0; i < n; i++) {
        const sql_column_def *c = &s->u.create_table.columns[i];
        char text[64];
        int len = snprintf(text, sizeof text, "%s", c->type->name);
        for (uint32_t p = 0; p < c->type->param_count; p++)
            len += snprintf(text + len, sizeof text - (size_t)len, "%s%lld", p ? "," : "(",
                            (long long)c->type->params[p]);
        if (c->type->param_count) len += snprintf(text + len, sizeof text - (size_t)len, ")");
        fl_error err;
        if (fl_type_parse(&t->types[i], text, (size_t)len, &err) < 0) return -1;
        t->cols[i] = fl_arena_strdup(g.arena, c->name.name);
    }
    t->count = n;
    t->rows = 1000;
    for (size_t i = 0; i < FL_ARRAY_SIZE(sf1_rows); i++)
        if (strcmp(sf1_rows[i].name, t->name) == 0) t->rows = sf1_rows[i].rows;
    g.count++;
    return 0;
}

static int load_script(const char *text, size_t len)
{
    sql_script script;
    fl_error err;
    if (sql_parse(&script, text, len, g.arena, &err) < 0) {
        printf("  schema: %s\n", err.message);
        return -1;
    }
    for (uint32_t i = 0; i < script.count; i++)
        if (add_table(script.stmts[i]) < 0) return -1;
    return 0;
}

static int lookup(void *ctx, const char *ns, const char *name, plan_table_source **out,
                  fl_arena *arena, fl_error *err)
{
    (void)ctx;
    if (ns && strcmp(ns, "default") != 0 && strcmp(ns, "tpcds") != 0)
        return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42P01", "table %s.%s does not exist",
                                     ns, name);
    for (uint32_t i = 0; i < g.count; i++) {
        bt_table *t = &g.tables[i];
        if (strcmp(t->name, name) != 0) continue;
        plan_table_source *s = fl_arena_calloc(arena, sizeof *s);
        if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        s->kind = PLAN_SOURCE_ICEBERG;
        s->ns = "default";
        s->name = t->name;
        s->column_names = t->cols;
        s->column_types = t->types;
        s->column_count = t->count;
        s->estimated_rows = t->rows;
        *out = s;
        return 0;
    }
    return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42P01", "table %s does not exist", name);
}

static const char *const extra_tables =
    "create table t (a integer, b varchar, c decimal(7,2), d date);"
    "create table u (a integer, e bigint, f double);"
    "create table v (a bigint, b varchar);";

const bind_env *bt_env(void)
{
    if (g.loaded) return g.failed ? NULL : &g.env;
    g.loaded = true;
    g.arena = fl_arena_new(0);
    fl_buf_init(&g.out);
    static const char *const names[] = {
        "call_center", "catalog_page", "catalog_returns", "catalog_sales", "customer",
        "customer_address", "customer_demographics", "date_dim", "household_demographics",
        "income_band", "inventory", "item", "promotion", "reason", "ship_mode", "store",
        "store_returns", "store_sales", "time_dim", "warehouse", "web_page", "web_returns",
        "web_sales", "web_site",
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(names); i++) {
        char rel[96];
        snprintf(rel, sizeof rel, "tpcds/schema/%s.sql", names[i]);
        size_t len;
        char *text = sqlt_read_file(ft_shared(rel), &len);
        if (!text || load_script(text, len) < 0) {
            printf("  cannot load %s\n", rel);
            g.failed = true;
        }
        fl_free(text);
    }
    if (load_script(extra_tables, strlen(extra_tables)) < 0) g.failed = true;
    g.env.current_schema = "default";
    g.env.lookup_table = lookup;
    return g.failed ? NULL : &g.env;
}

int bt_bind(plan_stmt **out, const char *sql, bool optimize, fl_arena *arena, fl_error *err)
{
    const bind_env *env = bt_env();
    if (!env) return fl_error_set(err, FLOE_EIO, "no test environment");
    sql_stmt *stmt;
    FL_TRY(sql_parse_statement(&stmt, sql, strlen(sql), arena, err));
    FL_TRY(bind_statement(out, stmt, sql, env, arena, err));
    if (optimize) FL_TRY(opt_optimize(*out, arena, err));
    return 0;
}

const char *bt_explain(const char *sql, bool optimize, fl_error *err)
{
    if (!bt_env()) return "error: no test environment";
    fl_buf_reset(&g.out);
    fl_arena *arena = fl_arena_new(0);
    plan_stmt *ps;
    int rc = bt_bind(&ps, sql, optimize, arena, err);
    if (rc < 0) {
        fl_buf_appendf(&g.out, "error: %s", err->message);
    } else {
        const plan_stmt *s = ps->kind == PLAN_STMT_EXPLAIN ? ps->explain_of : ps;
        if (plan_explain(&g.out, s->root, err) < 0) fl_buf_append_str(&g.out, "error: explain");
    }
    fl_arena_free(arena);
    return fl_buf_cstr(&g.out);
}

const char *bt_plan(const char *sql, bool optimize)
{
    fl_error err;
    return bt_explain(sql, optimize, &err);
}

bool bt_has(const char *text, const char *needle)
{
    if (strstr(text, needle)) return true;
    printf("  missing \"%s\" in:\n%s\n", needle, text);
    return false;
}

bool bt_lacks(const char *text, const char *needle)
{
    if (!strstr(text, needle)) return true;
    printf("  unexpected \"%s\" in:\n%s\n", needle, text);
    return false;
}

unsigned bt_count(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}
