/*
 * db.c: floe_db and floe_conn (include/floe.h): opening a warehouse (a
 * directory, created if needed, plus its catalog: SQLite catalog.db inside
 * it unless a catalog URI is given), the worker pool, connections with
 * their session schema ("default", created on open when missing), the last
 * error with its SQLSTATE and position, and cancellation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/alloc.h"
#include "main_int.h"

#define DEFAULT_SCHEMA "default"

static void errbuf_set(char *errbuf, size_t len, const fl_error *err)
{
    if (errbuf && len) snprintf(errbuf, len, "%s", err->message);
}

/* mkdir -p */
static int make_dirs(const char *path, fl_error *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return fl_error_set(err, FLOE_EINVAL, "invalid warehouse path \"%s\"", path);
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return fl_error_set(err, FLOE_EIO, "could not create directory \"%s\": %s", buf,
                                strerror(errno));
        buf[i] = c;
    }
    return 0;
}

static int open_db(floe_db *db, const floe_db_options *opts, fl_error *err)
{
    const char *wh = opts && opts->warehouse ? opts->warehouse : getenv("FLOE_WAREHOUSE");
    if (!wh || !*wh) wh = "./warehouse";
    if (strncmp(wh, "file://", 7) == 0) wh += 7;
    FL_TRY(make_dirs(wh, err));
    char *abs = realpath(wh, NULL);
    if (!abs) return fl_error_set(err, FLOE_EIO, "could not resolve warehouse \"%s\": %s", wh, strerror(errno));
    size_t n = strlen(abs);
    db->warehouse = fl_malloc(n + 1);
    if (!db->warehouse) {
        free(abs);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    memcpy(db->warehouse, abs, n + 1);
    free(abs);
    while (n > 1 && db->warehouse[n - 1] == '/') db->warehouse[--n] = '\0';
    db->fs = io_local_new();
    if (!db->fs) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (opts && opts->catalog_uri && *opts->catalog_uri) {
        FL_TRY(cat_open(&db->catalog, opts->catalog_uri, NULL, err));
    } else {
        char path[4200];
        snprintf(path, sizeof path, "%s/catalog.db", db->warehouse);
        FL_TRY(cat_sqlite_open(&db->catalog, path, NULL, false, 0, err));
    }
    bool exists = false;
    FL_TRY(cat_namespace_exists(db->catalog, DEFAULT_SCHEMA, &exists, err));
    if (!exists) {
        int rc = cat_namespace_create(db->catalog, DEFAULT_SCHEMA, NULL, err);
        if (rc < 0 && rc != FLOE_EEXISTS) return rc;
    }
    int threads = opts && opts->threads > 0 ? opts->threads : fl_cpu_count();
    if (threads < 1) threads = 1;
    db->threads = threads;
    db->memory_limit = opts ? opts->memory_limit : 0;
    if (threads > 1) FL_TRY(fl_pool_new(&db->pool, threads - 1));
    return 0;
}

int floe_db_open(floe_db **out, const floe_db_options *opts, char *errbuf, size_t errbuf_len)
{
    *out = NULL;
    fl_error err;
    fl_error_clear(&err);
    floe_db *db = fl_calloc(1, sizeof *db);
    if (!db) {
        if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "out of memory");
        return FLOE_ENOMEM;
    }
    int rc = open_db(db, opts, &err);
    if (rc < 0) {
        errbuf_set(errbuf, errbuf_len, &err);
        floe_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void floe_db_close(floe_db *db)
{
    if (!db) return;
    fl_pool_free(db->pool);
    cat_free(db->catalog);
    io_fs_free(db->fs);
    fl_free(db->warehouse);
    fl_free(db);
}

int floe_conn_open(floe_conn **out, floe_db *db)
{
    *out = NULL;
    floe_conn *c = fl_calloc(1, sizeof *c);
    if (!c) return FLOE_ENOMEM;
    c->db = db;
    c->schema = fl_malloc(sizeof DEFAULT_SCHEMA);
    if (!c->schema) {
        fl_free(c);
        return FLOE_ENOMEM;
    }
    memcpy(c->schema, DEFAULT_SCHEMA, sizeof DEFAULT_SCHEMA);
    fl_error_clear(&c->err);
    atomic_init(&c->cancel, false);
    *out = c;
    return 0;
}

void floe_conn_close(floe_conn *conn)
{
    if (!conn) return;
    fl_free(conn->schema);
    fl_free(conn);
}

void floe_conn_cancel(floe_conn *conn)
{
    if (conn) atomic_store(&conn->cancel, true);
}

const char *floe_conn_error(const floe_conn *conn)
{
    return conn && conn->err.code < 0 ? conn->err.message : "";
}

const char *floe_conn_sqlstate(const floe_conn *conn)
{
    if (!conn || conn->err.code >= 0) return "00000";
    return conn->err.sqlstate[0] ? conn->err.sqlstate : fl_status_sqlstate(conn->err.code);
}

int floe_conn_error_line(const floe_conn *conn) { return conn && conn->err.code < 0 ? conn->err_line : 0; }
int floe_conn_error_column(const floe_conn *conn) { return conn && conn->err.code < 0 ? conn->err_column : 0; }

const char *floe_version(void) { return FLOE_VERSION; }
