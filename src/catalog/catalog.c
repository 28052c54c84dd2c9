/*
 * catalog.c: what every catalog implementation shares: opening by URI,
 * name checks, and the string list, property and row containers of
 * catalog.h and catalog_sql.h.
 */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strutil.h"
#include "catalog_sql.h"

void cat_list_init(cat_list *l) { memset(l, 0, sizeof *l); }

void cat_list_dispose(cat_list *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->len; i++) fl_free(l->items[i]);
    fl_free(l->items);
    memset(l, 0, sizeof *l);
}

int cat_list_push(cat_list *l, const char *s, fl_error *err)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **items = fl_realloc(l->items, cap * sizeof *items);
        if (!items) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        l->items = items;
        l->cap = cap;
    }
    char *copy = fl_strdup(s);
    if (!copy) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    l->items[l->len++] = copy;
    return 0;
}

bool cat_list_contains(const cat_list *l, const char *s)
{
    for (size_t i = 0; l && i < l->len; i++)
        if (strcmp(l->items[i], s) == 0) return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cat_list_sort(cat_list *l)
{
    if (l->len > 1) qsort(l->items, l->len, sizeof *l->items, cmp_str);
}

void cat_props_init(cat_props *p) { memset(p, 0, sizeof *p); }

void cat_props_dispose(cat_props *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->len; i++) {
        fl_free(p->keys[i]);
        fl_free(p->values[i]);
    }
    fl_free(p->keys);
    fl_free(p->values);
    memset(p, 0, sizeof *p);
}

const char *cat_props_get(const cat_props *p, const char *key)
{
    for (size_t i = 0; p && i < p->len; i++)
        if (strcmp(p->keys[i], key) == 0) return p->values[i];
    return NULL;
}

int cat_props_set(cat_props *p, const char *key, const char *value, fl_error *err)
{
    char *v = fl_strdup(value);
    if (!v) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->len; i++) {
        if (strcmp(p->keys[i], key) == 0) {
            fl_free(p->values[i]);
            p->values[i] = v;
            return 0;
        }
    }
    if (p->len == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        char **keys = fl_realloc(p->keys, cap * sizeof *keys);
        if (keys) p->keys = keys;
        char **values = keys ? fl_realloc(p->values, cap * sizeof *values) : NULL;
        if (!values) {
            fl_free(v);
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        p->values = values;
        p->cap = cap;
    }
    char *k = fl_strdup(key);
    if (!k) {
        fl_free(v);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    p->keys[p->len] = k;
    p->values[p->len] = v;
    p->len++;
    return 0;
}

void cat_rows_init(cat_rows *r) { memset(r, 0, sizeof *r); }

void cat_rows_dispose(cat_rows *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nrows * r->ncols; i++) fl_free(r->cells[i]);
    fl_free(r->cells);
    memset(r, 0, sizeof *r);
}

int cat_rows_push(cat_rows *r, const char *const *cells, const size_t *lens, size_t ncols,
                  fl_error *err)
{
    if (r->nrows == 0) r->ncols = ncols;
    FL_ASSERT(r->ncols == ncols);
    size_t need = (r->nrows + 1) * ncols;
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        while (cap < need) cap *= 2;
        char **c = fl_realloc(r->cells, cap * sizeof *c);
        if (!c) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        r->cells = c;
        r->cap = cap;
    }
    char **row = r->cells + r->nrows * ncols;
    for (size_t i = 0; i < ncols; i++) {
        row[i] = NULL;
        if (!cells[i]) continue;
        row[i] = fl_strndup(cells[i], lens[i]);
        if (!row[i]) {
            for (size_t j = 0; j < i; j++) fl_free(row[j]);
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
    }
    r->nrows++;
    return 0;
}

int cat_check_namespace(const char *ns, fl_error *err)
{
    if (!ns || !ns[0]) return fl_error_set(err, FLOE_EINVAL, "namespace name must not be empty");
    size_t len = strlen(ns);
    if (len > CAT_NAME_MAX)
        return fl_error_set(err, FLOE_EINVAL, "namespace name is too long: %zu bytes (at most %d)",
                            len, CAT_NAME_MAX);
    if (ns[0] == '.' || ns[len - 1] == '.' || strstr(ns, ".."))
        return fl_error_set(err, FLOE_EINVAL, "invalid namespace \"%s\": empty level", ns);
    return 0;
}

int cat_check_table_name(const char *ns, const char *name, fl_error *err)
{
    FL_TRY(cat_check_namespace(ns, err));
    if (!name || !name[0]) return fl_error_set(err, FLOE_EINVAL, "table name must not be empty");
    size_t len = strlen(name);
    if (len > CAT_NAME_MAX)
        return fl_error_set(err, FLOE_EINVAL, "table name is too long: %zu bytes (at most %d)",
                            len, CAT_NAME_MAX);
    return 0;
}

int cat_check_location(const char *location, fl_error *err)
{
    if (!location || !location[0])
        return fl_error_set(err, FLOE_EINVAL, "metadata location must not be empty");
    size_t len = strlen(location);
    if (len > CAT_LOCATION_MAX)
        return fl_error_set(err, FLOE_EINVAL,
                            "metadata location is too long: %zu bytes (at most %d)", len,
                            CAT_LOCATION_MAX);
    return 0;
}

int cat_table_exists(cat_catalog *c, const char *ns, const char *name, bool *out, fl_error *err)
{
    *out = false;
    fl_error local;
    int rc = c->ops->table_load(c, ns, name, NULL, NULL, &local);
    if (rc == FLOE_ENOTFOUND) return 0;
    if (rc < 0) {
        if (err) *err = local;
        return rc;
    }
    *out = true;
    return 0;
}

int cat_sqlite_open(cat_catalog **out, const char *path, const char *name, bool read_only,
                    int busy_timeout_ms, fl_error *err)
{
    *out = NULL;
    cat_sqldb *db;
    FL_TRY(cat_sqlite_db_open(&db, path, read_only, busy_timeout_ms, err));
    return cat_sql_catalog_new(out, db, name, err);
}

int cat_pg_open(cat_catalog **out, const char *conninfo, const char *name, fl_error *err)
{
    *out = NULL;
    cat_sqldb *db;
    FL_TRY(cat_pg_db_open(&db, conninfo, err));
    return cat_sql_catalog_new(out, db, name, err);
}

/* "sqlite:///abs", "sqlite://rel" (as sqlite3 URIs read them: an empty
 * authority), "sqlite:rel"; an optional "?mode=ro" suffix. */
static int open_sqlite_uri(cat_catalog **out, const char *rest, const char *name, fl_error *err)
{
    if (fl_str_starts_with(rest, "//")) rest += 2;
    bool read_only = false;
    const char *q = strchr(rest, '?');
    size_t path_len = q ? (size_t)(q - rest) : strlen(rest);
    if (q) {
        if (strcmp(q, "?mode=ro") == 0) read_only = true;
        else if (strcmp(q, "?mode=rw") != 0)
            return fl_error_set(err, FLOE_EINVAL, "unsupported sqlite catalog option \"%s\"", q);
    }
    if (path_len == 0) return fl_error_set(err, FLOE_EINVAL, "sqlite catalog URI has no path");
    char *path = fl_strndup(rest, path_len);
    if (!path) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = cat_sqlite_open(out, path, name, read_only, 0, err);
    fl_free(path);
    return rc;
}

int cat_open(cat_catalog **out, const char *uri, const char *name, fl_error *err)
{
    *out = NULL;
    if (!uri || !uri[0]) return fl_error_set(err, FLOE_EINVAL, "catalog URI must not be empty");
    if (fl_str_starts_with(uri, "sqlite:")) return open_sqlite_uri(out, uri + 7, name, err);
    if (fl_str_starts_with(uri, "postgresql://") || fl_str_starts_with(uri, "postgres://") ||
        (strchr(uri, '=') && !strchr(uri, '/')) || strstr(uri, "host=") ||
        strstr(uri, "dbname="))
        return cat_pg_open(out, uri, name, err);
    return fl_error_set(err, FLOE_EINVAL,
                        "unsupported catalog URI \"%s\": expected sqlite:// or postgresql://",
                        uri);
}
