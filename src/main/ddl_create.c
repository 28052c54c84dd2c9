/*
 * ddl_create.c: CREATE TABLE for Iceberg tables (and the table half of
 * CTAS): SQL column types -> an Iceberg schema (fresh field ids), the
 * partitioning -> a partition spec, properties and LOCATION.
 *
 * Partitioning is accepted in every spelling existing jobs use:
 *   Athena / Spark   PARTITIONED BY (bucket(16, id), day(ts), country)
 *                    with Spark's plural transforms years/months/days/hours
 *                    and truncate(4, s); Hive's PARTITIONED BY (dt string)
 *                    adds the column to the schema and partitions by it
 *   Trino            WITH (partitioning = ARRAY['day(ts)', 'bucket(id, 16)'])
 *                    (Trino writes the width last; both orders work)
 * Properties come from TBLPROPERTIES, Trino's WITH (...) (except
 * partitioning, sorted_by, location and format) and Spark's OPTIONS (...).
 * Trino's WITH (sorted_by = ARRAY['c', 'day(ts) DESC NULLS FIRST']) sets
 * the table's sort order (order 1; nulls first when ascending, last when
 * descending unless given, as Iceberg Java), which INSERT and CTAS follow.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../iceberg/ice_evolve.h"
#include "../iceberg/ice_sort.h"
#include "../iceberg/ice_table.h"
#include "../sql/parse/sql_parser.h"
#include "main_int.h"

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a table"); }

/* ---------------------------------------------------------------- types */

static const char *iceberg_type(char *buf, size_t cap, fl_type t)
{
    switch (t.id) {
    case FL_TYPE_BOOL: return "boolean";
    case FL_TYPE_INT8: case FL_TYPE_INT16: case FL_TYPE_INT32: case FL_TYPE_UINT8:
    case FL_TYPE_UINT16: return "int";
    case FL_TYPE_INT64: case FL_TYPE_UINT32: return "long";
    case FL_TYPE_FLOAT: return "float";
    case FL_TYPE_DOUBLE: return "double";
    case FL_TYPE_DATE: return "date";
    case FL_TYPE_TIME: return "time";
    case FL_TYPE_TIMESTAMP: return "timestamp";
    case FL_TYPE_TIMESTAMPTZ: return "timestamptz";
    case FL_TYPE_TIMESTAMP_NS: return "timestamp_ns";
    case FL_TYPE_TIMESTAMPTZ_NS: return "timestamptz_ns";
    case FL_TYPE_STRING: return "string";
    case FL_TYPE_BINARY: return "binary";
    case FL_TYPE_UUID: return "uuid";
    case FL_TYPE_DECIMAL: snprintf(buf, cap, "decimal(%d, %d)", t.precision, t.scale); return buf;
    case FL_TYPE_FIXED: snprintf(buf, cap, "fixed[%d]", (int)t.fixed_len); return buf;
    default: return NULL;
    }
}

/* The fl_type of a SQL type as written (scalar types only). */
static int sql_type_to_fl(fl_type *out, const sql_type *t, const char *col, fl_error *err)
{
    if (t->child_count > 0)
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000",
                                     "column \"%s\": nested type %s is not supported in CREATE TABLE yet",
                                     col, t->name);
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%s", t->name);
    for (uint32_t i = 0; i < t->param_count && n < (int)sizeof buf; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s%lld", i ? "," : "(", (long long)t->params[i]);
    if (t->param_count && n < (int)sizeof buf) n += snprintf(buf + n, sizeof buf - (size_t)n, ")");
    int rc = fl_type_parse(out, buf, strlen(buf), err);
    if (rc < 0)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42704", "column \"%s\": unknown type %s", col, buf);
    return 0;
}

static int build_schema(ice_schema **out, const char *const *names, const fl_type *types,
                        const bool *required, uint32_t count, fl_arena *arena, fl_error *err)
{
    if (count == 0) return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "a table needs at least one column");
    json_t *fields = json_array();
    json_t *root = fields ? json_pack("{s:s, s:i, s:o}", "type", "struct", "schema-id", 0, "fields", fields) : NULL;
    if (!root) return oom(err);
    int rc = 0;
    for (uint32_t i = 0; i < count && rc == 0; i++) {
        char buf[64];
        const char *t = iceberg_type(buf, sizeof buf, types[i]);
        for (uint32_t j = 0; j < i && rc == 0; j++)
            if (strcmp(names[i], names[j]) == 0)
                rc = fl_error_set_sqlstate(err, FLOE_EINVAL, "42701", "column \"%s\" specified more than once", names[i]);
        if (rc == 0 && !t)
            rc = fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000",
                                       "column \"%s\" has a type Iceberg cannot store", names[i]);
        if (rc == 0 && json_array_append_new(fields, json_pack("{s:i, s:s, s:b, s:s}", "id", (int)i + 1,
                                                               "name", names[i], "required",
                                                               required && required[i], "type", t)) != 0)
            rc = oom(err);
    }
    if (rc == 0) rc = ice_schema_from_json(out, root, arena, err);
    json_decref(root);
    return rc;
}

/* ---------------------------------------------------------------- partitioning */

typedef struct spec_builder {
    json_t *fields;
    const ice_schema *schema;
    int32_t next_id;
} spec_builder;

/* Adds transform fn (identity, bucket, truncate, year(s), month(s), day(s),
 * hour(s), void) with width (or -1) over column col. */
static int add_field(spec_builder *sb, const char *fn, long long width, const char *col,
                     fl_error *err)
{
    static const struct { const char *in, *transform, *suffix; bool takes_arg; } map[] = {
        {"identity", "identity", "", false}, {"bucket", "bucket", "_bucket", true},
        {"truncate", "truncate", "_trunc", true}, {"year", "year", "_year", false},
        {"years", "year", "_year", false},      {"month", "month", "_month", false},
        {"months", "month", "_month", false},   {"day", "day", "_day", false},
        {"days", "day", "_day", false},         {"date", "day", "_day", false},
        {"hour", "hour", "_hour", false},       {"hours", "hour", "_hour", false},
        {"date_hour", "hour", "_hour", false},  {"void", "void", "_null", false},
    };
    size_t k = 0;
    while (k < FL_ARRAY_SIZE(map) && strcasecmp(map[k].in, fn) != 0) k++;
    if (k == FL_ARRAY_SIZE(map))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "unknown partition transform \"%s\"", fn);
    if (map[k].takes_arg != (width >= 0))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "partition transform %s %s", fn,
                                     map[k].takes_arg ? "needs a width: bucket(16, col), truncate(4, col)"
                                                      : "takes exactly one column");
    if (map[k].takes_arg && (width < 1 || width > INT32_MAX))
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "invalid width %lld of partition transform %s",
                                     width, fn);
    const ice_schema_entry *e = NULL;
    int rc = ice_schema_find_name(&e, sb->schema, col, false, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42703", "partition column \"%s\" is not a column of the table", col);
    FL_TRY(rc);
    char transform[64], name[300];
    if (map[k].takes_arg) snprintf(transform, sizeof transform, "%s[%lld]", map[k].transform, width);
    else snprintf(transform, sizeof transform, "%s", map[k].transform);
    snprintf(name, sizeof name, "%s%s", e->name, map[k].suffix);
    if (json_array_append_new(sb->fields, json_pack("{s:i, s:i, s:s, s:s}", "source-id", e->id,
                                                    "field-id", sb->next_id++, "name", name,
                                                    "transform", transform)) != 0)
        return oom(err);
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* A term as text: "col", "day(ts)", "bucket(16, id)" or Trino's "bucket(id, 16)". */
static int add_text_term(spec_builder *sb, const char *text, fl_error *err)
{
    char buf[512];
    if (strlen(text) >= sizeof buf)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "partition field \"%s\" is too long", text);
    snprintf(buf, sizeof buf, "%s", text);
    char *s = trim(buf);
    char *open = strchr(s, '(');
    if (!open) return add_field(sb, "identity", -1, s, err);
    char *close = strrchr(s, ')');
    if (!close || close < open || trim(close + 1)[0])
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "invalid partition field \"%s\"", text);
    *open = *close = '\0';
    char *fn = trim(s), *args = open + 1;
    char *comma = strchr(args, ',');
    if (!comma) return add_field(sb, fn, -1, trim(args), err);
    *comma = '\0';
    char *a = trim(args), *b = trim(comma + 1);
    if (all_digits(a)) return add_field(sb, fn, strtoll(a, NULL, 10), b, err);
    if (all_digits(b)) return add_field(sb, fn, strtoll(b, NULL, 10), a, err);
    return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "invalid partition field \"%s\"", text);
}

static const char *last_part(const sql_name *n) { return n->count ? n->parts[n->count - 1].name : ""; }

/* A PARTITIONED BY item: a column or a transform call. */
static int add_expr_term(spec_builder *sb, const sql_expr *e, fl_error *err)
{
    if (e->kind == SQL_EXPR_COLUMN) return add_field(sb, "identity", -1, last_part(&e->u.column), err);
    if (e->kind == SQL_EXPR_LITERAL && e->u.lit.kind == SQL_LIT_STRING)
        return add_text_term(sb, e->u.lit.text, err);
    if (e->kind != SQL_EXPR_FUNCTION)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601",
                                     "PARTITIONED BY takes columns and transforms such as day(ts)");
    const char *fn = last_part(&e->u.func.name), *col = NULL;
    long long width = -1;
    for (uint32_t i = 0; i < e->u.func.arg_count; i++) {
        const sql_expr *a = e->u.func.args[i];
        if (a->kind == SQL_EXPR_COLUMN && !col) col = last_part(&a->u.column);
        else if (a->kind == SQL_EXPR_LITERAL && a->u.lit.kind == SQL_LIT_INTEGER && width < 0)
            width = strtoll(a->u.lit.text, NULL, 10);
        else
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "invalid argument of partition transform %s", fn);
    }
    if (!col) return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "partition transform %s needs a column", fn);
    return add_field(sb, fn, width, col, err);
}

static const sql_property *find_prop(const sql_property *p, uint32_t n, const char *key)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcasecmp(p[i].key, key) == 0) return &p[i];
    return NULL;
}

static int build_spec(ice_partition_spec **out, const sql_stmt *stmt, const ice_schema *schema,
                      fl_arena *arena, fl_error *err)
{
    *out = NULL;
    const sql_property *trino = find_prop(stmt->u.create_table.with_props,
                                          stmt->u.create_table.with_prop_count, "partitioning");
    if (stmt->u.create_table.partition_count == 0 && !trino) return 0;
    spec_builder sb = {json_array(), schema, ICE_PARTITION_DATA_ID_START};
    if (!sb.fields) return oom(err);
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < stmt->u.create_table.partition_count; i++)
        rc = add_expr_term(&sb, stmt->u.create_table.partitioned_by[i], err);
    if (rc == 0 && trino) {
        const sql_expr *v = trino->value;
        if (v && v->kind == SQL_EXPR_ARRAY) {
            for (uint32_t i = 0; rc == 0 && i < v->u.list.count; i++) rc = add_expr_term(&sb, v->u.list.items[i], err);
        } else if (v) {
            rc = add_expr_term(&sb, v, err);
        }
    }
    if (rc == 0) rc = ice_partition_fields_from_json(out, 0, sb.fields, arena, err);
    const ice_type *pt;
    if (rc == 0) rc = ice_partition_type(&pt, *out, schema, false, arena, err);
    json_decref(sb.fields);
    return rc;
}

/* ---------------------------------------------------------------- sort order */

/* Strips a trailing word (case-insensitive) from text[0..*len). */
static bool strip_last(const char *text, size_t *len, const char *word)
{
    size_t n = *len, w = strlen(word);
    while (n > 0 && isspace((unsigned char)text[n - 1])) n--;
    if (n < w || strncasecmp(text + n - w, word, w) != 0) return false;
    if (n > w && !isspace((unsigned char)text[n - w - 1])) return false;
    *len = n - w;
    return true;
}

/* Trino's sorted_by = ARRAY['col', 'bucket(4, id) DESC NULLS LAST', ...]. */
static int build_sort_order(ice_sort_order **out, const sql_stmt *stmt, const ice_schema *schema,
                            fl_arena *arena, fl_error *err)
{
    *out = NULL;
    const sql_property *p = find_prop(stmt->u.create_table.with_props,
                                      stmt->u.create_table.with_prop_count, "sorted_by");
    if (!p) return 0;
    const sql_expr *v = p->value;
    uint32_t n = v && v->kind == SQL_EXPR_ARRAY ? v->u.list.count : 1;
    ice_sort_order *o = fl_arena_calloc(arena, sizeof *o);
    if (!o || !(o->fields = fl_arena_calloc(arena, (n + 1) * sizeof *o->fields))) return oom(err);
    for (uint32_t i = 0; i < n; i++) {
        const sql_expr *item = v && v->kind == SQL_EXPR_ARRAY ? v->u.list.items[i] : v;
        if (!item || item->kind != SQL_EXPR_LITERAL || item->u.lit.kind != SQL_LIT_STRING)
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023",
                                         "sorted_by must be an array of strings such as 'col DESC'");
        const char *text = item->u.lit.text;
        size_t len = strlen(text);
        ice_sort_field *f = &o->fields[i];
        int nulls = 0;   /* 1 first, 2 last */
        if (strip_last(text, &len, "first")) nulls = 1;
        else if (strip_last(text, &len, "last")) nulls = 2;
        if (nulls && !strip_last(text, &len, "nulls"))
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "22023", "invalid sorted_by item '%s'", text);
        if (strip_last(text, &len, "desc")) f->descending = true;
        else strip_last(text, &len, "asc");
        ice_evolve_term term;
        char *t = fl_arena_strndup(arena, text, len);
        if (!t) return oom(err);
        FL_TRY(ice_evolve_term_parse(&term, t, schema, arena, err));
        f->transform = term.t;
        f->source_id = term.source_id;
        f->nulls_first = nulls ? nulls == 1 : !f->descending;
    }
    o->order_id = 1;
    o->field_count = n;
    *out = o;
    return 0;
}

/* ---------------------------------------------------------------- properties */

/* The text of a property value: string literal, number, boolean, identifier. */
static const char *prop_text(const sql_expr *v, fl_arena *arena)
{
    if (!v) return "true";
    if (v->kind == SQL_EXPR_LITERAL) {
        if (v->u.lit.kind == SQL_LIT_BOOL) return v->u.lit.boolean ? "true" : "false";
        if (v->u.lit.kind == SQL_LIT_NULL) return NULL;
        return v->u.lit.text;
    }
    if (v->kind == SQL_EXPR_COLUMN) return last_part(&v->u.column);
    fl_buf b;
    fl_buf_init(&b);
    const char *s = NULL;
    if (sql_ast_print_expr(&b, v) == 0) s = fl_arena_strdup(arena, fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    return s;
}

typedef struct props {
    ice_kv *kv;
    size_t count, cap;
} props;

static int props_add(props *p, const char *key, const char *value, fl_arena *arena, fl_error *err)
{
    if (!value) return 0;
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->kv[i].key, key) == 0) {
            p->kv[i].value = value;
            return 0;
        }
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        ice_kv *kv = fl_arena_realloc(arena, p->kv, p->cap * sizeof *kv, cap * sizeof *kv);
        if (!kv) return oom(err);
        p->kv = kv;
        p->cap = cap;
    }
    p->kv[p->count].key = key;
    p->kv[p->count++].value = value;
    return 0;
}

static int collect_props(props *p, const char **location, const sql_stmt *stmt, fl_arena *arena,
                         fl_error *err)
{
    const sql_property *lists[3] = {stmt->u.create_table.tblproperties, stmt->u.create_table.with_props,
                                    stmt->u.create_table.options};
    uint32_t counts[3] = {stmt->u.create_table.tblproperty_count, stmt->u.create_table.with_prop_count,
                          stmt->u.create_table.option_count};
    *location = stmt->u.create_table.location;
    for (int l = 0; l < 3; l++) {
        for (uint32_t i = 0; i < counts[l]; i++) {
            const char *k = lists[l][i].key;
            const char *v = prop_text(lists[l][i].value, arena);
            if (strcasecmp(k, "partitioning") == 0 || (l == 1 && strcasecmp(k, "sorted_by") == 0)) continue;
            if (strcasecmp(k, "location") == 0 || strcasecmp(k, "path") == 0) {
                if (!*location) *location = v;
                continue;
            }
            if (strcasecmp(k, "format") == 0) {
                FL_TRY(props_add(p, "write.format.default", v, arena, err));
                continue;
            }
            FL_TRY(props_add(p, k, v, arena, err));
        }
    }
    if (stmt->u.create_table.comment) FL_TRY(props_add(p, "comment", stmt->u.create_table.comment, arena, err));
    return 0;
}

/* ---------------------------------------------------------------- create */

int ddl_create_iceberg(stmt_env *env, const char *ns, const char *name, const char *const *names,
                       const fl_type *types, const bool *required, uint32_t count,
                       const sql_stmt *stmt, bool *created, fl_error *err)
{
    floe_db *db = env->conn->db;
    fl_arena *arena = env->arena;
    *created = false;
    bool exists = false;
    FL_TRY(cat_namespace_exists(db->catalog, ns, &exists, err));
    if (!exists) return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "3F000", "schema \"%s\" does not exist", ns);
    bool if_not_exists = stmt && stmt->u.create_table.if_not_exists;
    bool or_replace = stmt && stmt->u.create_table.or_replace;
    FL_TRY(cat_table_exists(db->catalog, ns, name, &exists, err));
    if (exists && if_not_exists) return 0;
    if (exists && !or_replace)
        return fl_error_set_sqlstate(err, FLOE_EEXISTS, "42P07", "table \"%s.%s\" already exists", ns, name);
    ice_schema *schema;
    ice_partition_spec *spec = NULL;
    ice_sort_order *order = NULL;
    props p = {0};
    const char *location = NULL;
    FL_TRY(build_schema(&schema, names, types, required, count, arena, err));
    if (stmt) {
        FL_TRY(build_spec(&spec, stmt, schema, arena, err));
        FL_TRY(build_sort_order(&order, stmt, schema, arena, err));
        FL_TRY(collect_props(&p, &location, stmt, arena, err));
    }
    char *abs_location = NULL;
    if (location && location[0] != '/' && !strstr(location, "://")) {
        size_t n = strlen(db->warehouse) + strlen(location) + 2;
        abs_location = fl_arena_alloc(arena, n);
        if (!abs_location) return oom(err);
        snprintf(abs_location, n, "%s/%s", db->warehouse, location);
        location = abs_location;
    }
    if (exists) FL_TRY(cat_table_drop(db->catalog, ns, name, NULL, err));   /* OR REPLACE */
    ice_table_create_opts o = {.schema = schema, .spec = spec, .sort_order = order, .properties = p.kv,
                               .property_count = p.count, .location = location};
    ice_table *t = NULL;
    int rc = ice_table_create(&t, db->catalog, db->fs, db->warehouse, ns, name, &o, err);
    if (rc == FLOE_EEXISTS)
        return fl_error_set_sqlstate(err, FLOE_EEXISTS, "42P07", "table \"%s.%s\" already exists", ns, name);
    ice_table_free(t);
    FL_TRY(rc);
    *created = true;
    return 0;
}

int ddl_create_table(stmt_env *env, const sql_stmt *stmt, fl_error *err)
{
    const char *ns, *name;
    ddl_split_name(&stmt->u.create_table.name, env->conn->schema, &ns, &name, env->arena);
    uint32_t n = stmt->u.create_table.column_count, np = 0;
    for (uint32_t i = 0; i < stmt->u.create_table.partition_count; i++)
        if (stmt->u.create_table.partition_types && stmt->u.create_table.partition_types[i]) np++;
    const char **names = fl_arena_calloc(env->arena, (n + np + 1) * sizeof *names);
    fl_type *types = fl_arena_calloc(env->arena, (n + np + 1) * sizeof *types);
    bool *required = fl_arena_calloc(env->arena, (n + np + 1) * sizeof *required);
    if (!names || !types || !required) return oom(err);
    for (uint32_t i = 0; i < n; i++) {
        const sql_column_def *c = &stmt->u.create_table.columns[i];
        names[i] = c->name.name;
        required[i] = c->not_null;
        FL_TRY(sql_type_to_fl(&types[i], c->type, c->name.name, err));
    }
    /* Hive: PARTITIONED BY (dt string) declares partition columns */
    for (uint32_t i = 0, k = n; i < stmt->u.create_table.partition_count; i++) {
        const sql_type *pt = stmt->u.create_table.partition_types ? stmt->u.create_table.partition_types[i] : NULL;
        const sql_expr *pe = stmt->u.create_table.partitioned_by[i];
        if (!pt) continue;
        if (pe->kind != SQL_EXPR_COLUMN)
            return fl_error_set_sqlstate(err, FLOE_EINVAL, "42601", "a typed partition column must be a plain name");
        names[k] = last_part(&pe->u.column);
        FL_TRY(sql_type_to_fl(&types[k], pt, names[k], err));
        k++;
    }
    bool created;
    return ddl_create_iceberg(env, ns, name, names, types, required, n + np, stmt, &created, err);
}
