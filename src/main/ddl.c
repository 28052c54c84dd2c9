/*
 * ddl.c: the statements src/main executes itself with the catalog (the
 * binder hands them over as PLAN_STMT_DDL): CREATE SCHEMA/DATABASE, CREATE
 * TABLE (Iceberg: ddl_create.c; external: ext_table.c), DROP TABLE, DROP
 * SCHEMA [CASCADE], SHOW SCHEMAS/TABLES/COLUMNS/CREATE TABLE, DESCRIBE,
 * USE and COPY (src/exec/copy.h).
 *
 * Results of SHOW and DESCRIBE are VARCHAR tables; statements without rows
 * return a result with no columns; COPY returns the row count.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../exec/copy.h"
#include "../func/func.h"
#include "../iceberg/ice_table.h"
#include "ext_table.h"
#include "main_int.h"

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

void ddl_split_name(const sql_name *n, const char *current, const char **ns, const char **name,
                    fl_arena *arena)
{
    *name = n->count ? n->parts[n->count - 1].name : "";
    if (n->count < 2) {
        *ns = current;
        return;
    }
    /* a namespace of several levels: everything but the last part, dot-joined
     * (a leading catalog name is not distinguished) */
    fl_buf b;
    fl_buf_init(&b);
    for (uint32_t i = 0; i + 1 < n->count; i++) {
        if (i) fl_buf_append_byte(&b, '.');
        fl_buf_append_str(&b, n->parts[i].name);
    }
    *ns = fl_arena_strdup(arena, fl_buf_cstr(&b));
    if (!*ns) *ns = current;
    fl_buf_dispose(&b);
}

static const char *joined_name(const sql_name *n, fl_arena *arena)
{
    const char *ns, *name;
    ddl_split_name(n, "", &ns, &name, arena);
    if (n->count < 2) return name;
    size_t len = strlen(ns) + strlen(name) + 2;
    char *s = fl_arena_alloc(arena, len);
    if (s) snprintf(s, len, "%s.%s", ns, name);
    return s ? s : name;
}

/* SQL LIKE (% and _), ASCII case-insensitive, as SHOW ... LIKE uses it. */
static bool like_match(const char *s, const char *p)
{
    for (; *p; p++, s++) {
        if (*p == '%') {
            while (*p == '%') p++;
            if (!*p) return true;
            for (; *s; s++)
                if (like_match(s, p)) return true;
            return false;
        }
        if (!*s) return false;
        if (*p != '_' && tolower((unsigned char)*p) != tolower((unsigned char)*s)) return false;
    }
    return *s == '\0';
}

/* ---------------------------------------------------------------- schemas */

static int create_schema(stmt_env *env, const sql_stmt *s, fl_error *err)
{
    cat_catalog *cat = env->conn->db->catalog;
    const char *ns = joined_name(&s->u.create_schema.name, env->arena);
    cat_props props;
    cat_props_init(&props);
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < s->u.create_schema.prop_count; i++) {
        const sql_property *p = &s->u.create_schema.props[i];
        const sql_expr *v = p->value;
        const char *text = !v ? "true" : v->kind == SQL_EXPR_LITERAL && v->u.lit.text ? v->u.lit.text : NULL;
        if (v && v->kind == SQL_EXPR_LITERAL && v->u.lit.kind == SQL_LIT_BOOL)
            text = v->u.lit.boolean ? "true" : "false";
        if (text) rc = cat_props_set(&props, p->key, text, err);
    }
    if (rc == 0 && s->u.create_schema.location) rc = cat_props_set(&props, "location", s->u.create_schema.location, err);
    if (rc == 0 && s->u.create_schema.comment) rc = cat_props_set(&props, "comment", s->u.create_schema.comment, err);
    if (rc == 0) rc = cat_namespace_create(cat, ns, props.len ? &props : NULL, err);
    cat_props_dispose(&props);
    if (rc == FLOE_EEXISTS) {
        if (s->u.create_schema.if_not_exists) return 0;
        return fl_error_set_sqlstate(err, FLOE_EEXISTS, "42P06", "schema \"%s\" already exists", ns);
    }
    return rc;
}

static int drop_table_files(floe_db *db, const char *metadata_location);

static int drop_iceberg(floe_db *db, const char *ns, const char *name, fl_error *err)
{
    char *last = NULL;
    int rc = cat_table_drop(db->catalog, ns, name, &last, err);
    if (rc == 0 && last) drop_table_files(db, last);
    fl_free(last);
    return rc;
}

static int drop_schema(stmt_env *env, const sql_stmt *s, fl_error *err)
{
    floe_db *db = env->conn->db;
    const char *ns = joined_name(&s->u.drop.name, env->arena);
    bool exists = false;
    FL_TRY(cat_namespace_exists(db->catalog, ns, &exists, err));
    if (!exists) {
        if (s->u.drop.if_exists) return 0;
        return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "3F000", "schema \"%s\" does not exist", ns);
    }
    if (s->u.drop.cascade) {
        cat_list tables, ext;
        cat_list_init(&tables);
        cat_list_init(&ext);
        int rc = cat_table_list(db->catalog, ns, &tables, err);
        for (size_t i = 0; rc == 0 && i < tables.len; i++) rc = drop_iceberg(db, ns, tables.items[i], err);
        if (rc == 0) rc = cat_external_list(db->catalog, ns, &ext, err);
        for (size_t i = 0; rc == 0 && i < ext.len; i++) rc = cat_external_drop(db->catalog, ns, ext.items[i], err);
        cat_list_dispose(&tables);
        cat_list_dispose(&ext);
        FL_TRY(rc);
    }
    int rc = cat_namespace_drop(db->catalog, ns, err);
    if (rc == FLOE_EINVAL)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "2BP01",
                                     "schema \"%s\" is not empty (use DROP SCHEMA ... CASCADE)", ns);
    return rc;
}

/* ---------------------------------------------------------------- tables */

typedef struct purge_ctx {
    io_fs *fs;
    char **paths;
    size_t count, cap;
} purge_ctx;

static int collect_path(void *vctx, const char *location, uint64_t size)
{
    (void)size;
    purge_ctx *p = vctx;
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        char **n = fl_realloc(p->paths, cap * sizeof *n);
        if (!n) return FLOE_ENOMEM;
        p->paths = n;
        p->cap = cap;
    }
    size_t len = strlen(location);
    char *copy = fl_malloc(len + 1);
    if (!copy) return FLOE_ENOMEM;
    memcpy(copy, location, len + 1);
    p->paths[p->count++] = copy;
    return 0;
}

/* Deletes the files of a dropped table when its location lies inside the
 * warehouse (tables registered from elsewhere are left alone). Best effort:
 * the catalog entry is already gone. */
static int drop_table_files(floe_db *db, const char *metadata_location)
{
    const char *m = strstr(metadata_location, "/metadata/");
    size_t wl = strlen(db->warehouse);
    const char *loc = metadata_location;
    if (strncmp(loc, "file://", 7) == 0) loc += 7;
    if (!m || strncmp(loc, db->warehouse, wl) != 0 || loc[wl] != '/') return 0;
    size_t tl = (size_t)(m - metadata_location) - (size_t)(loc - metadata_location);
    if (tl <= wl + 1) return 0;
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%.*s/", (int)tl, loc);
    purge_ctx p = {.fs = db->fs};
    fl_error err;
    io_list(db->fs, prefix, collect_path, &p, &err);
    for (size_t i = 0; i < p.count; i++) {
        io_remove(db->fs, p.paths[i], &err);
        fl_free(p.paths[i]);
    }
    fl_free(p.paths);
    return 0;
}

static int drop_table(stmt_env *env, const sql_stmt *s, fl_error *err)
{
    floe_db *db = env->conn->db;
    const char *ns, *name;
    ddl_split_name(&s->u.drop.name, env->conn->schema, &ns, &name, env->arena);
    int rc = drop_iceberg(db, ns, name, err);
    if (rc != FLOE_ENOTFOUND) return rc;
    rc = cat_external_drop(db->catalog, ns, name, err);
    if (rc != FLOE_ENOTFOUND) return rc;
    if (s->u.drop.if_exists) return 0;
    return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42P01", "table %s.%s does not exist", ns, name);
}

/* ---------------------------------------------------------------- SHOW, DESCRIBE */

static int show_list(floe_result **out, stmt_env *env, const char *column, cat_list *items,
                     const char *like, fl_error *err)
{
    row_builder b;
    const char *names[] = {column};
    cat_list_sort(items);
    FL_TRY(rows_init(&b, env->arena, 1, names, NULL, err));
    for (size_t i = 0; i < items->len; i++) {
        if (like && !like_match(items->items[i], like)) continue;
        const char *cells[] = {items->items[i]};
        FL_TRY(rows_add_text(&b, cells, err));
    }
    return rows_finish(out, &b, err);
}

static int show_schemas(floe_result **out, stmt_env *env, const sql_stmt *s, fl_error *err)
{
    cat_list l;
    cat_list_init(&l);
    int rc = cat_namespace_list(env->conn->db->catalog, NULL, &l, err);
    if (rc == 0) rc = show_list(out, env, "schema_name", &l, s->u.show.like, err);
    cat_list_dispose(&l);
    return rc;
}

static int show_tables(floe_result **out, stmt_env *env, const sql_stmt *s, fl_error *err)
{
    cat_catalog *cat = env->conn->db->catalog;
    const char *ns = s->u.show.name.count ? joined_name(&s->u.show.name, env->arena) : env->conn->schema;
    cat_list l;
    cat_list_init(&l);
    int rc = cat_table_list(cat, ns, &l, err);
    if (rc == FLOE_ENOTFOUND)
        rc = fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "3F000", "schema \"%s\" does not exist", ns);
    if (rc == 0) rc = cat_external_list(cat, ns, &l, err);
    if (rc == 0) rc = show_list(out, env, "table_name", &l, s->u.show.like, err);
    cat_list_dispose(&l);
    return rc;
}

static int describe(floe_result **out, stmt_env *env, const sql_name *table, fl_error *err)
{
    floe_db *db = env->conn->db;
    const char *ns, *name;
    ddl_split_name(table, env->conn->schema, &ns, &name, env->arena);
    row_builder b;
    const char *names[] = {"column_name", "column_type", "null"};
    FL_TRY(rows_init(&b, env->arena, 3, names, NULL, err));
    ice_table *t = NULL;
    int rc = ice_table_load(&t, db->catalog, db->fs, ns, name, err);
    if (rc == 0) {
        const ice_schema *schema = ice_metadata_current_schema(t->md);
        for (size_t i = 0; rc == 0 && schema && i < schema->type->field_count; i++) {
            const ice_field *f = &schema->type->fields[i];
            fl_type ft;
            char tn[96];
            if (ice_type_to_fl(&ft, f->type, err) == 0 && !fl_type_is_nested(ft))
                fn_type_sql_name(ft, tn, sizeof tn);
            else
                ice_type_format(f->type, tn, sizeof tn);
            const char *cells[] = {f->name, tn, f->required ? "NO" : "YES"};
            rc = rows_add_text(&b, cells, err);
        }
        ice_table_free(t);
        FL_TRY(rc);
        return rows_finish(out, &b, err);
    }
    if (rc != FLOE_ENOTFOUND) return rc;
    plan_table_source *src;
    rc = ext_table_lookup(&src, db->catalog, ns, name, env->arena, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42P01", "table %s.%s does not exist", ns, name);
    FL_TRY(rc);
    for (uint32_t i = 0; i < src->column_count; i++) {
        char tn[96];
        fn_type_sql_name(src->column_types[i], tn, sizeof tn);
        const char *cells[] = {src->column_names[i], tn, "YES"};
        FL_TRY(rows_add_text(&b, cells, err));
    }
    return rows_finish(out, &b, err);
}

/* CREATE TABLE text of an Iceberg table (columns, partitioning, location,
 * properties), Spark's spelling. */
static int iceberg_create_text(fl_buf *b, const ice_table *t, fl_error *err)
{
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    const ice_partition_spec *spec = ice_metadata_default_spec(t->md);
    int rc = fl_buf_appendf(b, "CREATE TABLE %s.%s (\n", t->ns, t->name);
    for (size_t i = 0; rc == 0 && schema && i < schema->type->field_count; i++) {
        const ice_field *f = &schema->type->fields[i];
        fl_type ft;
        char tn[96];
        fl_error e2;
        if (ice_type_to_fl(&ft, f->type, &e2) == 0 && !fl_type_is_nested(ft)) fn_type_sql_name(ft, tn, sizeof tn);
        else ice_type_format(f->type, tn, sizeof tn);
        rc = fl_buf_appendf(b, "  %s %s%s%s\n", f->name, tn, f->required ? " NOT NULL" : "",
                            i + 1 < schema->type->field_count ? "," : "");
    }
    if (rc == 0) rc = fl_buf_append_str(b, ")\nUSING iceberg");
    if (rc == 0 && spec && spec->field_count > 0) {
        rc = fl_buf_append_str(b, "\nPARTITIONED BY (");
        for (size_t i = 0; rc == 0 && i < spec->field_count; i++) {
            const ice_partition_field *pf = &spec->fields[i];
            const ice_schema_entry *e = ice_schema_find_id(schema, pf->source_id);
            const char *col = e ? e->name : "?";
            char tr[64];
            ice_transform_format(&pf->transform, tr, sizeof tr);
            if (i) rc = fl_buf_append_str(b, ", ");
            if (rc) break;
            if (strcmp(tr, "identity") == 0) rc = fl_buf_append_str(b, col);
            else if (pf->transform.param > 0) {
                char name[32];
                const char *open = strchr(tr, '[');
                snprintf(name, sizeof name, "%.*s", open ? (int)(open - tr) : (int)strlen(tr), tr);
                rc = fl_buf_appendf(b, "%s(%d, %s)", name, (int)pf->transform.param, col);
            } else rc = fl_buf_appendf(b, "%s(%s)", tr, col);
        }
        if (rc == 0) rc = fl_buf_append_str(b, ")");
    }
    if (rc == 0) rc = fl_buf_appendf(b, "\nLOCATION '%s'", t->md->location);
    if (rc == 0 && t->md->property_count) {
        rc = fl_buf_append_str(b, "\nTBLPROPERTIES (");
        for (size_t i = 0; rc == 0 && i < t->md->property_count; i++)
            rc = fl_buf_appendf(b, "%s\n  '%s' = '%s'", i ? "," : "", t->md->properties[i].key,
                                t->md->properties[i].value);
        if (rc == 0) rc = fl_buf_append_str(b, ")");
    }
    return rc < 0 ? oom(err) : 0;
}

static int show_create(floe_result **out, stmt_env *env, const sql_stmt *s, fl_error *err)
{
    floe_db *db = env->conn->db;
    const char *ns, *name;
    ddl_split_name(&s->u.show.name, env->conn->schema, &ns, &name, env->arena);
    fl_buf b;
    fl_buf_init(&b);
    ice_table *t = NULL;
    char *ext = NULL;
    int rc = ice_table_load(&t, db->catalog, db->fs, ns, name, err);
    if (rc == 0) rc = iceberg_create_text(&b, t, err);
    ice_table_free(t);
    if (rc == FLOE_ENOTFOUND) {
        rc = ext_table_show_create(&ext, db->catalog, ns, name, err);
        if (rc == 0 && fl_buf_append_str(&b, ext) < 0) rc = oom(err);
        fl_free(ext);
        if (rc == FLOE_ENOTFOUND)
            rc = fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42P01", "table %s.%s does not exist", ns, name);
    }
    row_builder rb;
    const char *names[] = {"create_statement"};
    if (rc == 0) rc = rows_init(&rb, env->arena, 1, names, NULL, err);
    const char *cells[] = {fl_buf_cstr(&b)};
    if (rc == 0) rc = rows_add_text(&rb, cells, err);
    if (rc == 0) rc = rows_finish(out, &rb, err);
    fl_buf_dispose(&b);
    return rc;
}

/* ---------------------------------------------------------------- USE, COPY */

static int use_schema(stmt_env *env, const sql_stmt *s, fl_error *err)
{
    floe_conn *conn = env->conn;
    const char *ns = joined_name(&s->u.use.name, env->arena);
    bool exists = false;
    FL_TRY(cat_namespace_exists(conn->db->catalog, ns, &exists, err));
    if (!exists) return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "3F000", "schema \"%s\" does not exist", ns);
    size_t n = strlen(ns);
    char *copy = fl_malloc(n + 1);
    if (!copy) return oom(err);
    memcpy(copy, ns, n + 1);
    fl_free(conn->schema);
    conn->schema = copy;
    return 0;
}

static int copy_from(floe_result **out, stmt_env *env, const sql_stmt *s, fl_error *err)
{
    const char *ns, *name;
    ddl_split_name(&s->u.copy.table, env->conn->schema, &ns, &name, env->arena);
    if (s->u.copy.column_count)
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000", "COPY with a column list is not supported");
    int64_t rows = 0;
    FL_TRY(ex_copy_from(&rows, env->ctx, ns, name, s->u.copy.path, s->u.copy.options,
                        s->u.copy.option_count, err));
    return result_count(out, env->arena, rows, err);
}

/* ---------------------------------------------------------------- dispatch */

int ddl_execute(floe_result **out, stmt_env *env, const sql_stmt *s, fl_error *err)
{
    *out = NULL;
    floe_db *db = env->conn->db;
    switch (s->kind) {
    case SQL_STMT_CREATE_SCHEMA: return create_schema(env, s, err);
    case SQL_STMT_CREATE_TABLE: {
        if (!ext_table_is_external(s)) return ddl_create_table(env, s, err);
        const char *ns, *name;
        ddl_split_name(&s->u.create_table.name, env->conn->schema, &ns, &name, env->arena);
        return ext_table_create(db->catalog, db->warehouse, ns, name, s, err);
    }
    case SQL_STMT_DROP:
        if (s->u.drop.object == SQL_OBJECT_SCHEMA) return drop_schema(env, s, err);
        if (s->u.drop.object == SQL_OBJECT_TABLE) return drop_table(env, s, err);
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000", "views are not supported yet");
    case SQL_STMT_SHOW:
        switch (s->u.show.kind) {
        case SQL_SHOW_SCHEMAS: return show_schemas(out, env, s, err);
        case SQL_SHOW_TABLES: return show_tables(out, env, s, err);
        case SQL_SHOW_COLUMNS: return describe(out, env, &s->u.show.name, err);
        case SQL_SHOW_CREATE_TABLE: return show_create(out, env, s, err);
        }
        break;
    case SQL_STMT_DESCRIBE: return describe(out, env, &s->u.describe.table, err);
    case SQL_STMT_USE: return use_schema(env, s, err);
    case SQL_STMT_COPY: return copy_from(out, env, s, err);
    case SQL_STMT_CREATE_VIEW: return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000", "views are not supported yet");
    case SQL_STMT_ALTER_TABLE:
        return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000", "ALTER TABLE is not supported yet");
    case SQL_STMT_CALL: return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000", "CALL is not supported yet");
    default: break;
    }
    return fl_error_set_sqlstate(err, FLOE_EUNSUPPORTED, "0A000", "statement is not supported");
}
