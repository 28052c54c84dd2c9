/*
 * catalog_sql.c: the SQL catalog store: Iceberg's JDBC catalog layout over
 * a database driver (SQLite or PostgreSQL, catalog_sql.h).
 *
 * Two tables, exactly as Java's JdbcCatalog (JdbcUtil) and PyIceberg's
 * SqlCatalog create them:
 *   iceberg_tables(catalog_name, table_namespace, table_name,
 *                  metadata_location, previous_metadata_location
 *                  [, iceberg_type])   PK (catalog_name, table_namespace, table_name)
 *   iceberg_namespace_properties(catalog_name, namespace, property_key,
 *                  property_value)     PK (catalog_name, namespace, property_key)
 * iceberg_type ('TABLE' or 'VIEW', NULL meaning a table) is the JDBC schema
 * V1 column; new databases get it, databases without it (PyIceberg, JDBC V0)
 * are used as they are. Table operations only see rows that are tables.
 *
 * Every statement is SQL both databases accept, with '?' placeholders.
 * Multi-statement operations run in one write transaction; the commit is a
 * single conditional UPDATE (the compare-and-swap), as JdbcTableOperations
 * does it. A handle serializes its calls with a mutex (catalog.h, Threads).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/strutil.h"
#include "catalog_sql.h"

typedef struct sql_catalog {
    cat_catalog base;
    char *name;
    cat_sqldb *db;
    bool v1; /* iceberg_tables has iceberg_type */
    pthread_mutex_t mu;
} sql_catalog;

static int have_external(sql_catalog *c, bool *out, fl_error *err);
static int external_exists(sql_catalog *c, const char *ns, const char *name, bool *out,
                           fl_error *err);

#define TABLE_ONLY " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)"

static const char create_tables_sql[] =
    "CREATE TABLE IF NOT EXISTS iceberg_tables ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "table_namespace VARCHAR(255) NOT NULL, "
    "table_name VARCHAR(255) NOT NULL, "
    "metadata_location VARCHAR(1000), "
    "previous_metadata_location VARCHAR(1000), "
    "iceberg_type VARCHAR(5), "
    "PRIMARY KEY (catalog_name, table_namespace, table_name))";
static const char create_props_sql[] =
    "CREATE TABLE IF NOT EXISTS iceberg_namespace_properties ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "namespace VARCHAR(255) NOT NULL, "
    "property_key VARCHAR(255), "
    "property_value VARCHAR(1000), "
    "PRIMARY KEY (catalog_name, namespace, property_key))";

/* Runs a statement; an unknown outcome inside a transaction or of a read is
 * a plain failure (an uncommitted transaction is rolled back by the server). */
static int run(sql_catalog *c, const char *sql, const char *const *params, size_t n,
               cat_rows *rows, int64_t *changes, fl_error *err)
{
    int rc = c->db->ops->exec(c->db, sql, params, n, rows, changes, err);
    if (rc == FLOE_EUNKNOWN) {
        if (err) err->code = FLOE_EIO;
        rc = FLOE_EIO;
    }
    return rc;
}

static int begin(sql_catalog *c, fl_error *err)
{
    if (c->db->read_only)
        return fl_error_set(err, FLOE_EINVAL, "%s is open read only", c->db->what);
    int rc = c->db->ops->begin(c->db, err);
    if (rc == FLOE_EUNKNOWN) rc = FLOE_EIO;
    return rc;
}

/* Commits, or rolls back when rc < 0; returns the final status. */
static int finish(sql_catalog *c, int rc, fl_error *err)
{
    if (rc < 0) {
        c->db->ops->rollback(c->db);
        return rc;
    }
    return c->db->ops->commit(c->db, err);
}

static const char *q(sql_catalog *c, const char *v0, const char *v1)
{
    return c->v1 ? v1 : v0;
}

/* Whether the properties table (props_table) or iceberg_tables has a row
 * whose namespace is ns itself (self) or a descendant ("ns." prefix). */
static int ns_has_rows(sql_catalog *c, bool props_table, const char *ns, bool self,
                       bool descendants, bool *out, fl_error *err)
{
    FL_ASSERT(self || descendants);
    char prefix[CAT_NAME_MAX + 2];
    snprintf(prefix, sizeof prefix, "%s.", ns);
    const char *col = props_table ? "namespace" : "table_namespace";
    fl_buf sql;
    fl_buf_init(&sql);
    int rc = fl_buf_appendf(&sql, "SELECT 1 FROM %s WHERE catalog_name = ? AND (",
                            props_table ? "iceberg_namespace_properties" : "iceberg_tables");
    if (rc >= 0 && self) rc = fl_buf_appendf(&sql, "%s = ?%s", col, descendants ? " OR " : "");
    if (rc >= 0 && descendants)
        rc = fl_buf_appendf(&sql, "substr(%s, 1, length(CAST(? AS VARCHAR))) = ?", col);
    if (rc >= 0) rc = fl_buf_append_str(&sql, ") LIMIT 1");
    if (rc < 0) {
        fl_buf_dispose(&sql);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    const char *p[4] = {c->name};
    size_t n = 1;
    if (self) p[n++] = ns;
    if (descendants) {
        p[n++] = prefix;
        p[n++] = prefix;
    }
    cat_rows rows;
    cat_rows_init(&rows);
    rc = run(c, fl_buf_cstr(&sql), p, n, &rows, NULL, err);
    *out = rc >= 0 && rows.nrows > 0;
    cat_rows_dispose(&rows);
    fl_buf_dispose(&sql);
    return rc < 0 ? rc : 0;
}

static int ns_exists(sql_catalog *c, const char *ns, bool *out, fl_error *err)
{
    FL_TRY(ns_has_rows(c, true, ns, true, true, out, err));
    if (*out) return 0;
    return ns_has_rows(c, false, ns, true, true, out, err);
}

static int ns_must_exist(sql_catalog *c, const char *ns, fl_error *err)
{
    bool exists;
    FL_TRY(ns_exists(c, ns, &exists, err));
    if (!exists) return fl_error_set(err, FLOE_ENOTFOUND, "namespace \"%s\" does not exist", ns);
    return 0;
}

static int insert_prop(sql_catalog *c, const char *ns, const char *key, const char *value,
                       fl_error *err)
{
    if (strlen(key) > CAT_NAME_MAX || strlen(value) > CAT_LOCATION_MAX)
        return fl_error_set(err, FLOE_EINVAL, "property \"%.64s\" of namespace \"%s\" is too long",
                            key, ns);
    const char *p[4] = {c->name, ns, key, value};
    return run(c,
               "INSERT INTO iceberg_namespace_properties "
               "(catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?)",
               p, 4, NULL, NULL, err);
}

static void lock(sql_catalog *c) { pthread_mutex_lock(&c->mu); }
static void unlock(sql_catalog *c) { pthread_mutex_unlock(&c->mu); }

static int s_namespace_create(cat_catalog *base, const char *ns, const cat_props *props,
                              fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_namespace(ns, err));
    lock(c);
    bool exists = false;
    int rc = begin(c, err);
    if (rc < 0) goto done;
    rc = ns_exists(c, ns, &exists, err);
    if (rc >= 0 && exists)
        rc = fl_error_set(err, FLOE_EEXISTS, "namespace \"%s\" already exists", ns);
    if (rc >= 0 && (!props || props->len == 0))
        rc = insert_prop(c, ns, CAT_EXISTS_PROPERTY, "true", err);
    for (size_t i = 0; rc >= 0 && props && i < props->len; i++)
        rc = insert_prop(c, ns, props->keys[i], props->values[i], err);
    if (rc == FLOE_EEXISTS && exists == false)
        rc = fl_error_set(err, FLOE_EEXISTS, "namespace \"%s\" already exists", ns);
    rc = finish(c, rc, err);
done:
    unlock(c);
    return rc;
}

static int s_namespace_exists(cat_catalog *base, const char *ns, bool *out, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    *out = false;
    FL_TRY(cat_check_namespace(ns, err));
    lock(c);
    int rc = ns_exists(c, ns, out, err);
    unlock(c);
    return rc;
}

/* The child of parent (NULL: top level) that ns lies in or is, or NULL. */
static char *child_of(const char *parent, const char *ns)
{
    const char *rest = ns;
    size_t plen = parent ? strlen(parent) : 0;
    if (plen) {
        if (strncmp(ns, parent, plen) != 0 || ns[plen] != '.') return NULL;
        rest = ns + plen + 1;
    }
    const char *dot = strchr(rest, '.');
    size_t len = dot ? (size_t)(dot - ns) : strlen(ns);
    return fl_strndup(ns, len);
}

static int s_namespace_list(cat_catalog *base, const char *parent, cat_list *out, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    if (parent && !parent[0]) parent = NULL;
    if (parent) FL_TRY(cat_check_namespace(parent, err));
    cat_rows rows;
    cat_rows_init(&rows);
    cat_list found;
    cat_list_init(&found);
    lock(c);
    int rc = parent ? ns_must_exist(c, parent, err) : 0;
    const char *p[2] = {c->name, c->name};
    if (rc >= 0)
        rc = run(c,
                 "SELECT DISTINCT table_namespace FROM iceberg_tables WHERE catalog_name = ? "
                 "UNION SELECT DISTINCT namespace FROM iceberg_namespace_properties "
                 "WHERE catalog_name = ?",
                 p, 2, &rows, NULL, err);
    for (size_t i = 0; rc >= 0 && i < rows.nrows; i++) {
        const char *ns = cat_rows_get(&rows, i, 0);
        if (!ns) continue;
        char *child = child_of(parent, ns);
        if (!child) continue;
        if (child[0] && !cat_list_contains(&found, child)) rc = cat_list_push(&found, child, err);
        fl_free(child);
    }
    unlock(c);
    cat_list_sort(&found);
    for (size_t i = 0; rc >= 0 && i < found.len; i++) rc = cat_list_push(out, found.items[i], err);
    cat_list_dispose(&found);
    cat_rows_dispose(&rows);
    return rc < 0 ? rc : 0;
}

/* Runs a read whose parameters are (catalog name, ns) under the lock, once
 * ns is known to be a valid, existing namespace. */
static int read_in_namespace(sql_catalog *c, const char *ns, const char *sql, cat_rows *rows,
                             fl_error *err)
{
    FL_TRY(cat_check_namespace(ns, err));
    lock(c);
    int rc = ns_must_exist(c, ns, err);
    const char *p[2] = {c->name, ns};
    if (rc >= 0) rc = run(c, sql, p, 2, rows, NULL, err);
    unlock(c);
    return rc;
}

static int s_namespace_load(cat_catalog *base, const char *ns, cat_props *out, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    cat_rows rows;
    cat_rows_init(&rows);
    int rc = read_in_namespace(c, ns,
                               "SELECT property_key, property_value FROM iceberg_namespace_properties "
                               "WHERE catalog_name = ? AND namespace = ?",
                               &rows, err);
    for (size_t i = 0; rc >= 0 && i < rows.nrows; i++) {
        const char *k = cat_rows_get(&rows, i, 0), *v = cat_rows_get(&rows, i, 1);
        if (k) rc = cat_props_set(out, k, v ? v : "", err);
    }
    cat_rows_dispose(&rows);
    return rc < 0 ? rc : 0;
}

static int update_props(sql_catalog *c, const char *ns, const cat_props *set,
                        const cat_list *remove, fl_error *err)
{
    FL_TRY(ns_must_exist(c, ns, err));
    for (size_t i = 0; remove && i < remove->len; i++) {
        const char *p[3] = {c->name, ns, remove->items[i]};
        FL_TRY(run(c,
                   "DELETE FROM iceberg_namespace_properties WHERE catalog_name = ? AND "
                   "namespace = ? AND property_key = ?",
                   p, 3, NULL, NULL, err));
    }
    for (size_t i = 0; set && i < set->len; i++) {
        if (strlen(set->values[i]) > CAT_LOCATION_MAX)
            return fl_error_set(err, FLOE_EINVAL, "property \"%.64s\" of namespace \"%s\" is too long",
                                set->keys[i], ns);
        const char *p[4] = {set->values[i], c->name, ns, set->keys[i]};
        int64_t changed = 0;
        FL_TRY(run(c,
                   "UPDATE iceberg_namespace_properties SET property_value = ? WHERE "
                   "catalog_name = ? AND namespace = ? AND property_key = ?",
                   p, 4, NULL, &changed, err));
        if (changed == 0) FL_TRY(insert_prop(c, ns, set->keys[i], set->values[i], err));
    }
    bool any;
    FL_TRY(ns_has_rows(c, true, ns, true, false, &any, err));
    if (!any) FL_TRY(insert_prop(c, ns, CAT_EXISTS_PROPERTY, "true", err));
    return 0;
}

static int s_namespace_update(cat_catalog *base, const char *ns, const cat_props *set,
                              const cat_list *remove, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_namespace(ns, err));
    lock(c);
    int rc = begin(c, err);
    if (rc >= 0) rc = finish(c, update_props(c, ns, set, remove, err), err);
    unlock(c);
    return rc;
}

static int drop_namespace(sql_catalog *c, const char *ns, fl_error *err)
{
    FL_TRY(ns_must_exist(c, ns, err));
    bool tables, children;
    FL_TRY(ns_has_rows(c, false, ns, true, true, &tables, err));
    FL_TRY(ns_has_rows(c, true, ns, false, true, &children, err));
    bool externals;
    FL_TRY(external_exists(c, ns, NULL, &externals, err));
    if (tables || children || externals)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "2BP01", "namespace \"%s\" is not empty",
                                     ns);
    const char *p[2] = {c->name, ns};
    return run(c,
               "DELETE FROM iceberg_namespace_properties WHERE catalog_name = ? AND namespace = ?",
               p, 2, NULL, NULL, err);
}

static int s_namespace_drop(cat_catalog *base, const char *ns, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_namespace(ns, err));
    lock(c);
    int rc = begin(c, err);
    if (rc >= 0) rc = finish(c, drop_namespace(c, ns, err), err);
    unlock(c);
    return rc;
}

/* Whether floe_external_tables has the row ns.name (false when the table
 * does not exist). */
static int external_exists(sql_catalog *c, const char *ns, const char *name, bool *out,
                           fl_error *err)
{
    *out = false;
    bool have = false;
    FL_TRY(have_external(c, &have, err));
    if (!have) return 0;
    cat_rows rows;
    cat_rows_init(&rows);
    const char *p[3] = {c->name, ns, name};
    int rc = run(c,
                 name ? "SELECT 1 FROM floe_external_tables WHERE catalog_name = ? AND "
                        "table_namespace = ? AND table_name = ?"
                      : "SELECT 1 FROM floe_external_tables WHERE catalog_name = ? AND "
                        "table_namespace = ?",
                 p, name ? 3 : 2, &rows, NULL, err);
    if (rc >= 0) *out = rows.nrows > 0;
    cat_rows_dispose(&rows);
    return rc < 0 ? rc : 0;
}

static int create_table(sql_catalog *c, const char *ns, const char *name, const char *location,
                        fl_error *err)
{
    FL_TRY(ns_must_exist(c, ns, err));
    bool ext;
    FL_TRY(external_exists(c, ns, name, &ext, err));
    if (ext) return fl_error_set(err, FLOE_EEXISTS, "table \"%s.%s\" already exists", ns, name);
    const char *p[4] = {c->name, ns, name, location};
    int rc = run(c,
                 q(c,
                   "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
                   "metadata_location, previous_metadata_location) VALUES (?, ?, ?, ?, NULL)",
                   "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
                   "metadata_location, previous_metadata_location, iceberg_type) "
                   "VALUES (?, ?, ?, ?, NULL, 'TABLE')"),
                 p, 4, NULL, NULL, err);
    if (rc == FLOE_EEXISTS)
        return fl_error_set(err, FLOE_EEXISTS, "table \"%s.%s\" already exists", ns, name);
    return rc;
}

static int s_table_create(cat_catalog *base, const char *ns, const char *name,
                          const char *location, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_table_name(ns, name, err));
    FL_TRY(cat_check_location(location, err));
    lock(c);
    int rc = begin(c, err);
    if (rc >= 0) rc = finish(c, create_table(c, ns, name, location, err), err);
    unlock(c);
    return rc;
}

/* Loads the row: ENOTFOUND if absent. */
static int load_row(sql_catalog *c, const char *ns, const char *name, cat_rows *rows,
                    fl_error *err)
{
    const char *p[3] = {c->name, ns, name};
    FL_TRY(run(c,
               q(c,
                 "SELECT metadata_location, previous_metadata_location FROM iceberg_tables "
                 "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?",
                 "SELECT metadata_location, previous_metadata_location FROM iceberg_tables "
                 "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?" TABLE_ONLY),
               p, 3, rows, NULL, err));
    if (rows->nrows == 0)
        return fl_error_set(err, FLOE_ENOTFOUND, "table \"%s.%s\" does not exist", ns, name);
    if (!cat_rows_get(rows, 0, 0))
        return fl_error_set(err, FLOE_ECORRUPT, "table \"%s.%s\" has no metadata location", ns,
                            name);
    return 0;
}

static int take(char **out, const char *s, fl_error *err)
{
    if (!out) return 0;
    *out = NULL;
    if (!s) return 0;
    *out = fl_strdup(s);
    return *out ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
}

static int s_table_load(cat_catalog *base, const char *ns, const char *name, char **location,
                        char **previous, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    if (location) *location = NULL;
    if (previous) *previous = NULL;
    FL_TRY(cat_check_table_name(ns, name, err));
    cat_rows rows;
    cat_rows_init(&rows);
    lock(c);
    int rc = load_row(c, ns, name, &rows, err);
    unlock(c);
    if (rc >= 0) rc = take(location, cat_rows_get(&rows, 0, 0), err);
    if (rc >= 0) rc = take(previous, cat_rows_get(&rows, 0, 1), err);
    if (rc < 0 && location) {
        fl_free(*location);
        *location = NULL;
    }
    cat_rows_dispose(&rows);
    return rc;
}

static int s_table_list(cat_catalog *base, const char *ns, cat_list *out, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    cat_rows rows;
    cat_rows_init(&rows);
    int rc = read_in_namespace(c, ns,
                               q(c,
                                 "SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND "
                                 "table_namespace = ?",
                                 "SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND "
                                 "table_namespace = ?" TABLE_ONLY),
                               &rows, err);
    cat_list names;
    cat_list_init(&names);
    for (size_t i = 0; rc >= 0 && i < rows.nrows; i++)
        if (cat_rows_get(&rows, i, 0)) rc = cat_list_push(&names, cat_rows_get(&rows, i, 0), err);
    cat_list_sort(&names);
    for (size_t i = 0; rc >= 0 && i < names.len; i++) rc = cat_list_push(out, names.items[i], err);
    cat_list_dispose(&names);
    cat_rows_dispose(&rows);
    return rc < 0 ? rc : 0;
}

static int rename_table(sql_catalog *c, const char *from_ns, const char *from_name,
                        const char *to_ns, const char *to_name, fl_error *err)
{
    FL_TRY(ns_must_exist(c, to_ns, err));
    const char *p[5] = {to_ns, to_name, c->name, from_ns, from_name};
    int64_t changed = 0;
    int rc = run(c,
                 q(c,
                   "UPDATE iceberg_tables SET table_namespace = ?, table_name = ? WHERE "
                   "catalog_name = ? AND table_namespace = ? AND table_name = ?",
                   "UPDATE iceberg_tables SET table_namespace = ?, table_name = ? WHERE "
                   "catalog_name = ? AND table_namespace = ? AND table_name = ?" TABLE_ONLY),
                 p, 5, NULL, &changed, err);
    if (rc == FLOE_EEXISTS)
        return fl_error_set(err, FLOE_EEXISTS, "table \"%s.%s\" already exists", to_ns, to_name);
    if (rc < 0) return rc;
    if (changed == 0)
        return fl_error_set(err, FLOE_ENOTFOUND, "table \"%s.%s\" does not exist", from_ns,
                            from_name);
    return 0;
}

static int s_table_rename(cat_catalog *base, const char *from_ns, const char *from_name,
                          const char *to_ns, const char *to_name, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_table_name(from_ns, from_name, err));
    FL_TRY(cat_check_table_name(to_ns, to_name, err));
    lock(c);
    int rc = begin(c, err);
    if (rc >= 0) rc = finish(c, rename_table(c, from_ns, from_name, to_ns, to_name, err), err);
    unlock(c);
    return rc;
}

static int drop_table(sql_catalog *c, const char *ns, const char *name, char **last,
                      fl_error *err)
{
    cat_rows rows;
    cat_rows_init(&rows);
    int rc = load_row(c, ns, name, &rows, err);
    const char *p[3] = {c->name, ns, name};
    if (rc >= 0)
        rc = run(c,
                 q(c,
                   "DELETE FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? "
                   "AND table_name = ?",
                   "DELETE FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? "
                   "AND table_name = ?" TABLE_ONLY),
                 p, 3, NULL, NULL, err);
    if (rc >= 0) rc = take(last, cat_rows_get(&rows, 0, 0), err);
    cat_rows_dispose(&rows);
    return rc;
}

static int s_table_drop(cat_catalog *base, const char *ns, const char *name, char **last,
                        fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    if (last) *last = NULL;
    FL_TRY(cat_check_table_name(ns, name, err));
    lock(c);
    int rc = begin(c, err);
    if (rc >= 0) rc = finish(c, drop_table(c, ns, name, last, err), err);
    unlock(c);
    if (rc < 0 && last) {
        fl_free(*last);
        *last = NULL;
    }
    return rc;
}

/* After a swap that changed no row: the table moved on (ECONFLICT) or is
 * gone (ENOTFOUND). Either way nothing was written. */
static int explain_no_swap(sql_catalog *c, const char *ns, const char *name,
                           const char *expected, fl_error *err)
{
    cat_rows rows;
    cat_rows_init(&rows);
    fl_error local;
    int rc = load_row(c, ns, name, &rows, &local);
    if (rc == FLOE_ENOTFOUND) {
        rc = fl_error_set(err, FLOE_ENOTFOUND, "could not commit table \"%s.%s\": table does not exist",
                          ns, name);
    } else if (rc >= 0) {
        rc = fl_error_set(err, FLOE_ECONFLICT,
                          "could not commit table \"%s.%s\": its metadata location changed "
                          "concurrently",
                          ns, name);
        fl_error_detail(err, "expected \"%s\", found \"%s\"", expected,
                        cat_rows_get(&rows, 0, 0));
    } else {
        rc = fl_error_set(err, FLOE_ECONFLICT,
                          "could not commit table \"%s.%s\": its metadata location changed "
                          "concurrently",
                          ns, name);
    }
    cat_rows_dispose(&rows);
    return rc;
}

static int s_table_commit(cat_catalog *base, const char *ns, const char *name,
                          const char *expected, const char *new_location, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_table_name(ns, name, err));
    FL_TRY(cat_check_location(expected, err));
    FL_TRY(cat_check_location(new_location, err));
    if (strcmp(expected, new_location) == 0)
        return fl_error_set(err, FLOE_EINVAL,
                            "could not commit table \"%s.%s\": the new metadata location equals "
                            "the current one",
                            ns, name);
    if (c->db->read_only)
        return fl_error_set(err, FLOE_EINVAL, "%s is open read only", c->db->what);
    const char *p[6] = {new_location, expected, c->name, ns, name, expected};
    int64_t changed = 0;
    lock(c);
    int rc = c->db->ops->exec(
        c->db,
        q(c,
          "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ? "
          "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND "
          "metadata_location = ?",
          "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ? "
          "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND "
          "metadata_location = ?" TABLE_ONLY),
        p, 6, NULL, &changed, err);
    if (rc >= 0 && changed == 0) rc = explain_no_swap(c, ns, name, expected, err);
    else if (rc < 0) fl_error_prefix(err, "could not commit table \"%s.%s\": ", ns, name);
    unlock(c);
    return rc;
}


/* ---- external tables (floe_external_tables, created on first use) ---- */

static const char create_external_sql[] =
    "CREATE TABLE IF NOT EXISTS floe_external_tables ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "table_namespace VARCHAR(255) NOT NULL, "
    "table_name VARCHAR(255) NOT NULL, "
    "definition TEXT NOT NULL, "
    "PRIMARY KEY (catalog_name, table_namespace, table_name))";

/* Whether floe_external_tables exists (a read-only or foreign catalog may
 * not have it: then there are no external tables). */
static int have_external(sql_catalog *c, bool *out, fl_error *err)
{
    return c->db->ops->has_column(c->db, "floe_external_tables", "definition", out, err);
}

static int s_external_create(cat_catalog *base, const char *ns, const char *name,
                             const char *definition, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_table_name(ns, name, err));
    lock(c);
    int rc = begin(c, err);
    if (rc >= 0) {
        int r = run(c, create_external_sql, NULL, 0, NULL, NULL, err);
        if (r >= 0) r = ns_must_exist(c, ns, err);
        cat_rows rows;
        cat_rows_init(&rows);
        if (r >= 0) {
            const char *p[3] = {c->name, ns, name};
            r = run(c,
                    "SELECT 1 FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? "
                    "AND table_name = ?",
                    p, 3, &rows, NULL, err);
            if (r >= 0 && rows.nrows > 0)
                r = fl_error_set(err, FLOE_EEXISTS, "table \"%s.%s\" already exists", ns, name);
        }
        cat_rows_dispose(&rows);
        if (r >= 0) {
            const char *p[4] = {c->name, ns, name, definition};
            r = run(c,
                    "INSERT INTO floe_external_tables (catalog_name, table_namespace, table_name, "
                    "definition) VALUES (?, ?, ?, ?)",
                    p, 4, NULL, NULL, err);
            if (r == FLOE_EEXISTS)
                r = fl_error_set(err, FLOE_EEXISTS, "table \"%s.%s\" already exists", ns, name);
        }
        rc = finish(c, r, err);
    }
    unlock(c);
    return rc;
}

static int s_external_load(cat_catalog *base, const char *ns, const char *name,
                           char **definition, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    *definition = NULL;
    FL_TRY(cat_check_table_name(ns, name, err));
    cat_rows rows;
    cat_rows_init(&rows);
    bool have = false;
    lock(c);
    int rc = have_external(c, &have, err);
    if (rc >= 0 && have) {
        const char *p[3] = {c->name, ns, name};
        rc = run(c,
                 "SELECT definition FROM floe_external_tables WHERE catalog_name = ? AND "
                 "table_namespace = ? AND table_name = ?",
                 p, 3, &rows, NULL, err);
    }
    unlock(c);
    if (rc >= 0 && (!have || rows.nrows == 0))
        rc = fl_error_set(err, FLOE_ENOTFOUND, "table \"%s.%s\" does not exist", ns, name);
    if (rc >= 0) rc = take(definition, cat_rows_get(&rows, 0, 0), err);
    cat_rows_dispose(&rows);
    return rc;
}

static int s_external_list(cat_catalog *base, const char *ns, cat_list *out, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    bool have = false;
    lock(c);
    int rc = have_external(c, &have, err);
    unlock(c);
    if (rc < 0 || !have) return rc < 0 ? rc : 0;
    cat_rows rows;
    cat_rows_init(&rows);
    rc = read_in_namespace(c, ns,
                           "SELECT table_name FROM floe_external_tables WHERE catalog_name = ? "
                           "AND table_namespace = ?",
                           &rows, err);
    cat_list names;
    cat_list_init(&names);
    for (size_t i = 0; rc >= 0 && i < rows.nrows; i++)
        if (cat_rows_get(&rows, i, 0)) rc = cat_list_push(&names, cat_rows_get(&rows, i, 0), err);
    cat_list_sort(&names);
    for (size_t i = 0; rc >= 0 && i < names.len; i++) rc = cat_list_push(out, names.items[i], err);
    cat_list_dispose(&names);
    cat_rows_dispose(&rows);
    return rc < 0 ? rc : 0;
}

static int s_external_drop(cat_catalog *base, const char *ns, const char *name, fl_error *err)
{
    sql_catalog *c = (sql_catalog *)base;
    FL_TRY(cat_check_table_name(ns, name, err));
    bool have = false;
    int64_t changed = 0;
    lock(c);
    int rc = have_external(c, &have, err);
    if (rc >= 0 && have) {
        rc = begin(c, err);
        if (rc >= 0) {
            const char *p[3] = {c->name, ns, name};
            rc = finish(c,
                        run(c,
                            "DELETE FROM floe_external_tables WHERE catalog_name = ? AND "
                            "table_namespace = ? AND table_name = ?",
                            p, 3, NULL, &changed, err),
                        err);
        }
    }
    unlock(c);
    if (rc >= 0 && changed == 0)
        rc = fl_error_set(err, FLOE_ENOTFOUND, "table \"%s.%s\" does not exist", ns, name);
    return rc;
}

static void s_free(cat_catalog *base)
{
    sql_catalog *c = (sql_catalog *)base;
    if (!c) return;
    if (c->db) c->db->ops->free(c->db);
    pthread_mutex_destroy(&c->mu);
    fl_free(c->name);
    fl_free(c);
}

static const struct cat_catalog_ops sql_ops = {
    .namespace_create = s_namespace_create,
    .namespace_exists = s_namespace_exists,
    .namespace_list = s_namespace_list,
    .namespace_load = s_namespace_load,
    .namespace_update = s_namespace_update,
    .namespace_drop = s_namespace_drop,
    .table_create = s_table_create,
    .table_load = s_table_load,
    .table_list = s_table_list,
    .table_rename = s_table_rename,
    .table_drop = s_table_drop,
    .table_commit = s_table_commit,
    .free = s_free,
    .external_create = s_external_create,
    .external_load = s_external_load,
    .external_list = s_external_list,
    .external_drop = s_external_drop,
};

/* Creates the tables when absent. Two processes may race on it: when the
 * creation fails, the tables existing afterwards is success. */
static int ensure_tables(sql_catalog *c, fl_error *err)
{
    cat_sqldb *db = c->db;
    bool have_tables = false, have_props = false;
    FL_TRY(db->ops->has_column(db, "iceberg_tables", "catalog_name", &have_tables, err));
    FL_TRY(db->ops->has_column(db, "iceberg_namespace_properties", "catalog_name", &have_props,
                               err));
    if (have_tables && have_props) return 0;
    if (db->read_only)
        return fl_error_set(err, FLOE_ENOTFOUND, "%s has no iceberg_tables table", db->what);
    int rc = begin(c, err);
    if (rc >= 0 && !have_tables) rc = run(c, create_tables_sql, NULL, 0, NULL, NULL, err);
    if (rc >= 0 && !have_props) rc = run(c, create_props_sql, NULL, 0, NULL, NULL, err);
    rc = rc >= 0 ? finish(c, rc, err) : finish(c, rc, NULL);
    if (rc < 0) {
        fl_error first = err ? *err : (fl_error){0};
        int rc2 = db->ops->has_column(db, "iceberg_tables", "catalog_name", &have_tables, NULL);
        if (rc2 >= 0)
            rc2 = db->ops->has_column(db, "iceberg_namespace_properties", "catalog_name",
                                      &have_props, NULL);
        if (rc2 >= 0 && have_tables && have_props) return 0;
        if (err) *err = first;
        fl_error_prefix(err, "could not create the catalog tables in %s: ", db->what);
        return rc == FLOE_EUNKNOWN ? FLOE_EIO : rc;
    }
    return 0;
}

int cat_sql_catalog_new(cat_catalog **out, cat_sqldb *db, const char *name, fl_error *err)
{
    *out = NULL;
    if (!name) name = CAT_DEFAULT_NAME;
    if (!name[0] || strlen(name) > CAT_NAME_MAX) {
        db->ops->free(db);
        return fl_error_set(err, FLOE_EINVAL, "invalid catalog name \"%.64s\"", name);
    }
    sql_catalog *c = fl_calloc(1, sizeof *c);
    char *copy = fl_strdup(name);
    if (!c || !copy) {
        fl_free(c);
        fl_free(copy);
        db->ops->free(db);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    c->base.ops = &sql_ops;
    c->base.name = copy;
    c->name = copy;
    c->db = db;
    pthread_mutex_init(&c->mu, NULL);
    int rc = ensure_tables(c, err);
    if (rc >= 0) rc = db->ops->has_column(db, "iceberg_tables", "iceberg_type", &c->v1, err);
    if (rc < 0) {
        s_free(&c->base);
        return rc;
    }
    *out = &c->base;
    return 0;
}
