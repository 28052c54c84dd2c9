/*
 * cat_sqlite.c: the SQLite driver of the SQL catalog store (catalog_sql.h).
 *
 * The embedded default: one database file in the warehouse, shared by every
 * process and thread that opens it. The file is switched to WAL mode (readers
 * never block the writer) and each connection waits for locks up to its busy
 * timeout: SQLite's busy handler covers most waits, and a statement that still
 * returns SQLITE_BUSY outside a transaction is retried here until the
 * deadline, so many committers can hammer one file. Write transactions begin
 * with BEGIN IMMEDIATE (the write lock up front, so they never deadlock on a
 * lock upgrade).
 *
 * Statements are prepared once per connection and kept (a small cache keyed
 * by the SQL text, reset and rebound per use): preparing the catalog's
 * lookup cost about 8% of a trivial query. A connection is used by one
 * thread at a time (SQLITE_OPEN_NOMUTEX), and so is its cache.
 *
 * Outcomes: an autocommit statement or COMMIT that fails with an I/O error
 * may or may not have reached the disk (FLOE_EUNKNOWN); a lock not obtained
 * within the timeout means nothing was written (FLOE_EIO).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/alloc.h"
#include "catalog_sql.h"

#define DEFAULT_BUSY_MS 10000

#define STMT_CACHE 16

typedef struct cached_stmt {
    char *sql;                /* NULL: free slot */
    sqlite3_stmt *stmt;
} cached_stmt;

typedef struct sqlite_db {
    cat_sqldb base;
    sqlite3 *db;
    int busy_ms;
    char what[300];
    cached_stmt cache[STMT_CACHE];
    unsigned evict;           /* next slot to reuse when all are taken */
} sqlite_db;

/* The prepared statement for sql: from the cache (reset, no bindings), or
 * prepared now and cached. SQLite error code. */
static int stmt_get(sqlite_db *s, const char *sql, sqlite3_stmt **out)
{
    for (int i = 0; i < STMT_CACHE; i++)
        if (s->cache[i].sql && strcmp(s->cache[i].sql, sql) == 0) {
            *out = s->cache[i].stmt;
            return SQLITE_OK;
        }
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK) return rc;
    char *copy = fl_malloc(strlen(sql) + 1);
    if (!copy) return SQLITE_OK;   /* used uncached: stmt_put finalizes it */
    memcpy(copy, sql, strlen(sql) + 1);
    cached_stmt *c = &s->cache[s->evict++ % STMT_CACHE];
    for (int i = 0; i < STMT_CACHE; i++)
        if (!s->cache[i].sql) {
            c = &s->cache[i];
            break;
        }
    if (c->sql) {
        sqlite3_finalize(c->stmt);
        fl_free(c->sql);
    }
    c->sql = copy;
    c->stmt = *out;
    return SQLITE_OK;
}

/* Done with a statement from stmt_get: reset for the next use (cached) or
 * finalized. */
static void stmt_put(sqlite_db *s, sqlite3_stmt *stmt)
{
    if (!stmt) return;
    for (int i = 0; i < STMT_CACHE; i++)
        if (s->cache[i].stmt == stmt && s->cache[i].sql) {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
            return;
        }
    sqlite3_finalize(stmt);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void nap(unsigned attempt)
{
    /* 0.1 ms doubling up to 5 ms, plus a spread taken from the clock so
     * waiters do not retry in lock step */
    long us = 100L << (attempt < 6 ? attempt : 6);
    if (us > 5000) us = 5000;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    us += (long)((unsigned long)now.tv_nsec / 1000 % 200);
    struct timespec ts = {0, us * 1000L};
    nanosleep(&ts, NULL);
}

static int map_error(sqlite_db *s, int code, bool writing, const char *sql, fl_error *err)
{
    const char *msg = sqlite3_errmsg(s->db);
    int primary = code & 0xff;
    if (primary == SQLITE_CONSTRAINT &&
        (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE))
        return fl_error_set(err, FLOE_EEXISTS, "%s: %s", s->what, msg);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return fl_error_set(err, FLOE_EIO, "%s: database is locked (busy timeout of %d ms exceeded)",
                            s->what, s->busy_ms);
    if (writing && (primary == SQLITE_IOERR || primary == SQLITE_FULL ||
                    primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB))
        return fl_error_set(err, FLOE_EUNKNOWN, "%s: %s (outcome unknown)", s->what, msg);
    int rc = fl_error_set(err, primary == SQLITE_NOMEM ? FLOE_ENOMEM : FLOE_EIO, "%s: %s",
                          s->what, msg);
    fl_error_detail(err, "statement: %.200s", sql);
    return rc;
}

static int sq_exec(cat_sqldb *base, const char *sql, const char *const *params, size_t nparams,
                   cat_rows *rows, int64_t *changes, fl_error *err)
{
    sqlite_db *s = (sqlite_db *)base;
    double deadline = now_ms() + s->busy_ms;
    bool commit = strcmp(sql, "COMMIT") == 0;
    sqlite3_stmt *stmt = NULL;
    int rc = SQLITE_OK;
    for (unsigned attempt = 0;; attempt++) {
        bool autocommit = sqlite3_get_autocommit(s->db) != 0;
        rc = stmt_get(s, sql, &stmt);
        if (rc == SQLITE_OK) {
            for (size_t i = 0; rc == SQLITE_OK && i < nparams; i++)
                rc = params[i] ? sqlite3_bind_text(stmt, (int)i + 1, params[i], -1, SQLITE_TRANSIENT)
                               : sqlite3_bind_null(stmt, (int)i + 1);
        }
        if (rc == SQLITE_OK) {
            if (rows) cat_rows_dispose(rows);
            while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
                if (!rows) continue;
                int ncols = sqlite3_column_count(stmt);
                const char *cells[8];
                size_t lens[8];
                if (ncols > 8) ncols = 8;
                for (int i = 0; i < ncols; i++) {
                    cells[i] = (const char *)sqlite3_column_text(stmt, i);
                    lens[i] = (size_t)sqlite3_column_bytes(stmt, i);
                }
                int prc = cat_rows_push(rows, cells, lens, (size_t)ncols, err);
                if (prc < 0) {
                    stmt_put(s, stmt);
                    return prc;
                }
            }
            if (rc == SQLITE_DONE) {
                if (changes) *changes = sqlite3_changes(s->db);
                stmt_put(s, stmt);
                return 0;
            }
            rc = sqlite3_extended_errcode(s->db);
        } else {
            rc = sqlite3_extended_errcode(s->db);
        }
        int primary = rc & 0xff;
        bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
        if (busy && (autocommit || commit) && now_ms() < deadline) {
            stmt_put(s, stmt);
            stmt = NULL;
            nap(attempt);
            continue;
        }
        break;
    }
    bool writing = (stmt && !sqlite3_stmt_readonly(stmt)) || commit;
    int out = map_error(s, rc, writing, sql, err);
    stmt_put(s, stmt);
    return out;
}

static int sq_begin(cat_sqldb *base, fl_error *err)
{
    return sq_exec(base, "BEGIN IMMEDIATE", NULL, 0, NULL, NULL, err);
}

static void sq_rollback(cat_sqldb *base)
{
    sqlite_db *s = (sqlite_db *)base;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_commit(cat_sqldb *base, fl_error *err)
{
    int rc = sq_exec(base, "COMMIT", NULL, 0, NULL, NULL, err);
    if (rc < 0) sq_rollback(base);
    return rc;
}

static int sq_has_column(cat_sqldb *base, const char *table, const char *column, bool *out,
                         fl_error *err)
{
    cat_rows rows;
    cat_rows_init(&rows);
    const char *p[2] = {table, column};
    int rc = sq_exec(base, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", p, 2, &rows,
                     NULL, err);
    *out = rc >= 0 && rows.nrows > 0;
    cat_rows_dispose(&rows);
    return rc;
}

static void sq_free(cat_sqldb *base)
{
    sqlite_db *s = (sqlite_db *)base;
    if (!s) return;
    for (int i = 0; i < STMT_CACHE; i++)
        if (s->cache[i].sql) {
            sqlite3_finalize(s->cache[i].stmt);
            fl_free(s->cache[i].sql);
        }
    sqlite3_close_v2(s->db);
    fl_free(s);
}

static const struct cat_sqldb_ops sqlite_ops = {
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .has_column = sq_has_column,
    .free = sq_free,
};

int cat_sqlite_db_open(cat_sqldb **out, const char *path, bool read_only, int busy_timeout_ms,
                       fl_error *err)
{
    *out = NULL;
    if (!path || !path[0]) return fl_error_set(err, FLOE_EINVAL, "sqlite catalog path is empty");
    sqlite_db *s = fl_calloc(1, sizeof *s);
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->base.ops = &sqlite_ops;
    s->base.what = s->what;
    s->base.read_only = read_only;
    s->busy_ms = busy_timeout_ms > 0 ? busy_timeout_ms : DEFAULT_BUSY_MS;
    snprintf(s->what, sizeof s->what, "sqlite catalog \"%.250s\"", path);
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = fl_error_set(err, rc == SQLITE_CANTOPEN ? FLOE_ENOTFOUND : FLOE_EIO,
                          "could not open %s: %s", s->what,
                          s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sq_free(&s->base);
        return rc;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, s->busy_ms);
    if (!read_only) {
        cat_rows rows;
        cat_rows_init(&rows);
        rc = sq_exec(&s->base, "PRAGMA journal_mode=WAL", NULL, 0, &rows, NULL, err);
        cat_rows_dispose(&rows);
        if (rc < 0) {
            fl_error_prefix(err, "could not open: ");
            sq_free(&s->base);
            return rc == FLOE_EUNKNOWN ? FLOE_EIO : rc;
        }
    }
    *out = &s->base;
    return 0;
}
