/*
 * catalog.h: the catalog interface: where Iceberg tables are found and how
 * their metadata pointer is swapped atomically on commit.
 *
 * A catalog (cat_catalog) maps (namespace, table name) to the location of
 * the table's current metadata JSON file, and keeps properties per
 * namespace. It is a vtable, like io_fs: the SQL store (catalog_sql.c) is one
 * implementation, over two drivers: SQLite (the embedded default, a file in
 * the warehouse) and PostgreSQL. A REST client can implement the same ops.
 * The SQL store uses exactly the tables of Iceberg's JDBC catalog, so one
 * database serves Java's JdbcCatalog, PyIceberg's SqlCatalog and floe
 * (see src/catalog/README.md for the layout).
 *
 * Names: a namespace is a dot-joined string of one or more non-empty levels
 * ("sales", "sales.eu"); that is how the JDBC layout stores it, so a level
 * cannot itself contain a dot. Table names are single non-empty strings.
 * Names are compared exactly (case-sensitive). Messages quote a table as
 * "ns.t": `table "sales.eu.orders" does not exist`.
 *
 * Commit (cat_table_commit) is a compare-and-swap of metadata_location:
 * it succeeds only if the current location still equals `expected`, and
 * then records `expected` as previous_metadata_location. Outcomes:
 *   0               the swap happened;
 *   FLOE_ECONFLICT  someone else committed first: nothing changed; refresh
 *                   the table and retry (the caller may delete what it wrote);
 *   FLOE_ENOTFOUND  the table was dropped or renamed: nothing changed;
 *   FLOE_EUNKNOWN   the outcome is unknown (connection lost mid-statement,
 *                   an I/O error while committing): the swap may or may not
 *                   have happened, so the caller must never delete the
 *                   metadata it wrote; it may reload and compare;
 *   other codes     nothing changed (e.g. FLOE_EIO after the busy timeout).
 *
 * Lifetimes: strings and lists returned through out parameters are the
 * caller's (free with fl_free / cat_list_dispose / cat_props_dispose). The
 * catalog copies every argument it keeps.
 *
 * Threads: a cat_catalog CAN be called from several threads at once; each
 * handle serializes its calls on one database connection (one mutex). For
 * parallel commits open one handle per thread: SQLite handles share the
 * file through its locks (WAL mode, busy timeout), PostgreSQL handles are
 * separate connections. Handles must not cross fork(): open new ones in
 * the child.
 */
#ifndef CAT_CATALOG_H
#define CAT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"

#define CAT_DEFAULT_NAME "floe"
/* The JDBC layout's column sizes (VARCHAR(255) names, VARCHAR(1000) locations
 * and property values): longer strings are refused with FLOE_EINVAL. */
#define CAT_NAME_MAX 255
#define CAT_LOCATION_MAX 1000
/* The property JDBC catalogs insert when a namespace is created without any. */
#define CAT_EXISTS_PROPERTY "exists"

/* A growable list of strings (owned copies). */
typedef struct cat_list {
    size_t len, cap;
    char **items;
} cat_list;

void cat_list_init(cat_list *l);
void cat_list_dispose(cat_list *l);
int cat_list_push(cat_list *l, const char *s, fl_error *err);
bool cat_list_contains(const cat_list *l, const char *s);
void cat_list_sort(cat_list *l);

/* Key/value properties (owned copies; keys unique). */
typedef struct cat_props {
    size_t len, cap;
    char **keys;
    char **values;
} cat_props;

void cat_props_init(cat_props *p);
void cat_props_dispose(cat_props *p);
/* Adds or replaces key's value. */
int cat_props_set(cat_props *p, const char *key, const char *value, fl_error *err);
/* The value of key (borrowed) or NULL. */
const char *cat_props_get(const cat_props *p, const char *key);

typedef struct cat_catalog cat_catalog;

struct cat_catalog_ops {
    int (*namespace_create)(cat_catalog *c, const char *ns, const cat_props *props,
                            fl_error *err);
    int (*namespace_exists)(cat_catalog *c, const char *ns, bool *out, fl_error *err);
    int (*namespace_list)(cat_catalog *c, const char *parent, cat_list *out, fl_error *err);
    int (*namespace_load)(cat_catalog *c, const char *ns, cat_props *out, fl_error *err);
    int (*namespace_update)(cat_catalog *c, const char *ns, const cat_props *set,
                            const cat_list *remove, fl_error *err);
    int (*namespace_drop)(cat_catalog *c, const char *ns, fl_error *err);
    int (*table_create)(cat_catalog *c, const char *ns, const char *name,
                        const char *metadata_location, fl_error *err);
    int (*table_load)(cat_catalog *c, const char *ns, const char *name, char **location,
                      char **previous, fl_error *err);
    int (*table_list)(cat_catalog *c, const char *ns, cat_list *out, fl_error *err);
    int (*table_rename)(cat_catalog *c, const char *from_ns, const char *from_name,
                        const char *to_ns, const char *to_name, fl_error *err);
    int (*table_drop)(cat_catalog *c, const char *ns, const char *name, char **last_location,
                      fl_error *err);
    int (*table_commit)(cat_catalog *c, const char *ns, const char *name, const char *expected,
                        const char *new_location, fl_error *err);
    void (*free)(cat_catalog *c);
    /* External tables (appended; see cat_external_* below). */
    int (*external_create)(cat_catalog *c, const char *ns, const char *name,
                           const char *definition, fl_error *err);
    int (*external_load)(cat_catalog *c, const char *ns, const char *name, char **definition,
                         fl_error *err);
    int (*external_list)(cat_catalog *c, const char *ns, cat_list *out, fl_error *err);
    int (*external_drop)(cat_catalog *c, const char *ns, const char *name, fl_error *err);
};

struct cat_catalog {
    const struct cat_catalog_ops *ops;
    const char *name; /* the catalog_name this handle reads and writes */
};

/* Opens a catalog by URI:
 *   sqlite:///abs/path/catalog.db   (created if absent; WAL mode)
 *   sqlite:relative/path.db
 *   sqlite:///path?mode=ro          (read only: no WAL switch, no DDL)
 *   postgresql://user@host:port/db, postgres://...   (libpq URI)
 *   host=... dbname=... (any string with '=': a libpq conninfo)
 * Creates the JDBC tables if they do not exist. name is the catalog_name
 * (NULL: CAT_DEFAULT_NAME). FLOE_EINVAL for an unknown scheme. */
int cat_open(cat_catalog **out, const char *uri, const char *name, fl_error *err);

/* SQLite at path; busy_timeout_ms <= 0 means the default (10 s): how long a
 * call waits for other writers' locks before failing with FLOE_EIO. */
int cat_sqlite_open(cat_catalog **out, const char *path, const char *name, bool read_only,
                    int busy_timeout_ms, fl_error *err);
/* PostgreSQL by libpq conninfo or URI. */
int cat_pg_open(cat_catalog **out, const char *conninfo, const char *name, fl_error *err);

static inline void cat_free(cat_catalog *c) { if (c) c->ops->free(c); }

/* Namespaces. create: FLOE_EEXISTS if it exists; props may be NULL or empty,
 * then the JDBC marker property exists=true is stored (so the namespace is
 * visible to other engines). A namespace exists if it has properties, tables
 * or child namespaces. */
static inline int cat_namespace_create(cat_catalog *c, const char *ns, const cat_props *props,
                                       fl_error *err)
{
    return c->ops->namespace_create(c, ns, props, err);
}
static inline int cat_namespace_exists(cat_catalog *c, const char *ns, bool *out, fl_error *err)
{
    return c->ops->namespace_exists(c, ns, out, err);
}
/* The namespaces directly under parent (NULL or "": the top level), as full
 * dot-joined names, sorted. FLOE_ENOTFOUND if parent does not exist. */
static inline int cat_namespace_list(cat_catalog *c, const char *parent, cat_list *out,
                                     fl_error *err)
{
    return c->ops->namespace_list(c, parent, out, err);
}
/* Appends the stored properties (the marker included, if stored) to out. */
static inline int cat_namespace_load(cat_catalog *c, const char *ns, cat_props *out,
                                     fl_error *err)
{
    return c->ops->namespace_load(c, ns, out, err);
}
/* Sets (upserts) set and deletes remove (either may be NULL), in one
 * transaction. If no property would remain, the marker exists=true is kept
 * so the namespace does not vanish. FLOE_ENOTFOUND if ns does not exist. */
static inline int cat_namespace_update(cat_catalog *c, const char *ns, const cat_props *set,
                                       const cat_list *remove, fl_error *err)
{
    return c->ops->namespace_update(c, ns, set, remove, err);
}
/* Drops an empty namespace (no tables, views or child namespaces), with its
 * properties: FLOE_ENOTFOUND if absent, FLOE_EINVAL "namespace "ns" is not
 * empty" otherwise. */
static inline int cat_namespace_drop(cat_catalog *c, const char *ns, fl_error *err)
{
    return c->ops->namespace_drop(c, ns, err);
}

/* Tables. create: the namespace must exist (FLOE_ENOTFOUND), the table must
 * not (FLOE_EEXISTS). */
static inline int cat_table_create(cat_catalog *c, const char *ns, const char *name,
                                   const char *metadata_location, fl_error *err)
{
    return c->ops->table_create(c, ns, name, metadata_location, err);
}
/* Registers an existing table by its current metadata file: the same row as
 * create (the catalog does not read the file). */
static inline int cat_table_register(cat_catalog *c, const char *ns, const char *name,
                                     const char *metadata_location, fl_error *err)
{
    return c->ops->table_create(c, ns, name, metadata_location, err);
}
/* The current metadata location (*location) and the previous one
 * (*previous, NULL if none); either out may be NULL. FLOE_ENOTFOUND. */
static inline int cat_table_load(cat_catalog *c, const char *ns, const char *name,
                                 char **location, char **previous, fl_error *err)
{
    return c->ops->table_load(c, ns, name, location, previous, err);
}
int cat_table_exists(cat_catalog *c, const char *ns, const char *name, bool *out, fl_error *err);
/* Appends the table names of ns to out, sorted. FLOE_ENOTFOUND if ns does
 * not exist. */
static inline int cat_table_list(cat_catalog *c, const char *ns, cat_list *out, fl_error *err)
{
    return c->ops->table_list(c, ns, out, err);
}
/* Renames, possibly into another (existing) namespace. FLOE_ENOTFOUND if
 * the source or the target namespace is missing, FLOE_EEXISTS if the target
 * name is taken. */
static inline int cat_table_rename(cat_catalog *c, const char *from_ns, const char *from_name,
                                   const char *to_ns, const char *to_name, fl_error *err)
{
    return c->ops->table_rename(c, from_ns, from_name, to_ns, to_name, err);
}
/* Removes the catalog row only; *last_location (may be NULL) receives the
 * metadata location the row held, so the caller can purge the files. */
static inline int cat_table_drop(cat_catalog *c, const char *ns, const char *name,
                                 char **last_location, fl_error *err)
{
    return c->ops->table_drop(c, ns, name, last_location, err);
}
/* The atomic compare-and-swap described at the top of this file. */
static inline int cat_table_commit(cat_catalog *c, const char *ns, const char *name,
                                   const char *expected, const char *new_location,
                                   fl_error *err)
{
    return c->ops->table_commit(c, ns, name, expected, new_location, err);
}

/*
 * External tables: tables over raw files that are not Iceberg tables
 * (Athena's CREATE EXTERNAL TABLE, Spark's USING csv). The catalog stores
 * each one's definition, an opaque text (floe writes JSON: format,
 * location, options, columns), in its own table floe_external_tables
 * (created on first use), beside the JDBC tables so other engines' JDBC
 * catalogs are not disturbed. A name is either an Iceberg table or an
 * external table: create fails with FLOE_EEXISTS if either exists; the
 * namespace must exist (FLOE_ENOTFOUND). load/drop: FLOE_ENOTFOUND when
 * absent. list appends the names of ns, sorted.
 */
static inline int cat_external_create(cat_catalog *c, const char *ns, const char *name,
                                      const char *definition, fl_error *err)
{
    return c->ops->external_create(c, ns, name, definition, err);
}
static inline int cat_external_load(cat_catalog *c, const char *ns, const char *name,
                                    char **definition, fl_error *err)
{
    return c->ops->external_load(c, ns, name, definition, err);
}
static inline int cat_external_list(cat_catalog *c, const char *ns, cat_list *out, fl_error *err)
{
    return c->ops->external_list(c, ns, out, err);
}
static inline int cat_external_drop(cat_catalog *c, const char *ns, const char *name,
                                    fl_error *err)
{
    return c->ops->external_drop(c, ns, name, err);
}

/* Checks for implementations: a namespace of non-empty dot-separated levels,
 * a non-empty table name, lengths within the JDBC columns. FLOE_EINVAL. */
int cat_check_namespace(const char *ns, fl_error *err);
int cat_check_table_name(const char *ns, const char *name, fl_error *err);
int cat_check_location(const char *location, fl_error *err);

#endif
