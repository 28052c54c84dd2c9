/*
 * cat_pg.c: the PostgreSQL driver of the SQL catalog store (catalog_sql.h).
 *
 * One libpq connection per handle, by conninfo ("host=/tmp port=5432
 * dbname=lake") or URI ("postgresql://user@host:5432/lake"). Statements go
 * through PQexecParams with text parameters; the store's '?' placeholders
 * are rewritten to $1, $2, ... here. Transactions are plain BEGIN/COMMIT
 * (READ COMMITTED): the commit swap is one conditional UPDATE, atomic on
 * its own, and uniqueness comes from the primary keys.
 *
 * Outcomes: a connection that breaks while a statement runs outside a
 * transaction, or during COMMIT, leaves the outcome unknown (FLOE_EUNKNOWN):
 * the server may have committed before the connection dropped. A broken
 * connection is reset (PQreset) before the next statement.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/strutil.h"
#include "catalog_sql.h"

typedef struct pg_db {
    cat_sqldb base;
    PGconn *conn;
    bool in_txn;
    char what[32];
} pg_db;

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "relation already exists, skipping" and other notices */
}

/* libpq messages end with a newline: copy without it. */
static void trim_message(char *dst, size_t cap, const char *msg)
{
    size_t n = fl_str_copy(dst, cap, msg ? msg : "");
    while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' ')) dst[--n] = '\0';
}

/* '?' -> $n outside single-quoted literals. */
static int rewrite(fl_buf *out, const char *sql, fl_error *err)
{
    int n = 0, rc = 0;
    bool quoted = false;
    for (const char *p = sql; *p && rc >= 0; p++) {
        if (*p == '\'') quoted = !quoted;
        if (*p == '?' && !quoted) rc = fl_buf_appendf(out, "$%d", ++n);
        else rc = fl_buf_append_byte(out, (uint8_t)*p);
    }
    return rc < 0 ? fl_error_set(err, FLOE_ENOMEM, "out of memory") : 0;
}

static bool connection_ok(pg_db *s)
{
    if (PQstatus(s->conn) == CONNECTION_OK) return true;
    if (s->in_txn) return false; /* the transaction is gone with the connection */
    PQreset(s->conn);
    return PQstatus(s->conn) == CONNECTION_OK;
}

static int result_error(pg_db *s, PGresult *res, bool unknown_if_lost, fl_error *err)
{
    char msg[400];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    trim_message(msg, sizeof msg,
                 res && PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
                                                     : PQerrorMessage(s->conn));
    bool lost = !res || PQstatus(s->conn) == CONNECTION_BAD ||
                (state && strncmp(state, "08", 2) == 0) ||
                (state && strcmp(state, "57P01") == 0);
    if (lost && unknown_if_lost)
        return fl_error_set(err, FLOE_EUNKNOWN, "%s: connection lost (outcome unknown): %s",
                            s->what, msg);
    if (state && strcmp(state, "23505") == 0)
        return fl_error_set_sqlstate(err, FLOE_EEXISTS, state, "%s: %s", s->what, msg);
    if (state && strlen(state) == 5)
        return fl_error_set_sqlstate(err, FLOE_EIO, state, "%s: %s", s->what, msg);
    return fl_error_set(err, FLOE_EIO, "%s: %s", s->what, msg);
}

static int pg_exec(cat_sqldb *base, const char *sql, const char *const *params, size_t nparams,
                   cat_rows *rows, int64_t *changes, fl_error *err)
{
    pg_db *s = (pg_db *)base;
    if (!connection_ok(s)) {
        char msg[300];
        trim_message(msg, sizeof msg, PQerrorMessage(s->conn));
        return fl_error_set(err, FLOE_EIO, "%s: no connection: %s", s->what, msg);
    }
    fl_buf text;
    fl_buf_init(&text);
    int rc = rewrite(&text, sql, err);
    if (rc < 0) return rc;
    bool commit = strcmp(sql, "COMMIT") == 0;
    PGresult *res = PQexecParams(s->conn, fl_buf_cstr(&text), (int)nparams, NULL, params, NULL,
                                 NULL, 0);
    fl_buf_dispose(&text);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK) {
        if (rows) {
            cat_rows_dispose(rows);
            int ncols = PQnfields(res), nrows = PQntuples(res);
            if (ncols > 8) ncols = 8;
            for (int r = 0; rc >= 0 && r < nrows; r++) {
                const char *cells[8];
                size_t lens[8];
                for (int c = 0; c < ncols; c++) {
                    cells[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
                    lens[c] = (size_t)PQgetlength(res, r, c);
                }
                rc = cat_rows_push(rows, cells, lens, (size_t)ncols, err);
            }
        }
    } else if (st == PGRES_COMMAND_OK) {
        const char *tuples = PQcmdTuples(res);
        int64_t n = 0;
        if (changes && tuples[0]) rc = fl_parse_i64(&n, tuples, strlen(tuples), err);
        if (changes) *changes = n;
        if (commit && strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
            rc = fl_error_set(err, FLOE_EIO, "%s: the transaction was rolled back", s->what);
    } else {
        rc = result_error(s, res, !s->in_txn || commit, err);
        if (rc != FLOE_EUNKNOWN) fl_error_detail(err, "statement: %.200s", sql);
    }
    PQclear(res);
    return rc;
}

static int pg_begin(cat_sqldb *base, fl_error *err)
{
    pg_db *s = (pg_db *)base;
    int rc = pg_exec(base, "BEGIN", NULL, 0, NULL, NULL, err);
    if (rc == FLOE_EUNKNOWN) rc = FLOE_EIO; /* nothing was written yet */
    if (rc >= 0) s->in_txn = true;
    return rc;
}

static void pg_rollback(cat_sqldb *base)
{
    pg_db *s = (pg_db *)base;
    if (!s->in_txn) return;
    if (PQstatus(s->conn) == CONNECTION_OK) PQclear(PQexec(s->conn, "ROLLBACK"));
    s->in_txn = false;
}

static int pg_commit(cat_sqldb *base, fl_error *err)
{
    pg_db *s = (pg_db *)base;
    int rc = pg_exec(base, "COMMIT", NULL, 0, NULL, NULL, err);
    s->in_txn = false;
    return rc;
}

static int pg_has_column(cat_sqldb *base, const char *table, const char *column, bool *out,
                         fl_error *err)
{
    cat_rows rows;
    cat_rows_init(&rows);
    const char *p[2] = {table, column};
    int rc = pg_exec(base,
                     "SELECT 1 FROM information_schema.columns WHERE "
                     "table_schema = current_schema() AND table_name = ? AND column_name = ?",
                     p, 2, &rows, NULL, err);
    if (rc == FLOE_EUNKNOWN) rc = FLOE_EIO;
    *out = rc >= 0 && rows.nrows > 0;
    cat_rows_dispose(&rows);
    return rc;
}

static void pg_free(cat_sqldb *base)
{
    pg_db *s = (pg_db *)base;
    if (!s) return;
    PQfinish(s->conn);
    fl_free(s);
}

static const struct cat_sqldb_ops pg_ops = {
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .has_column = pg_has_column,
    .free = pg_free,
};

int cat_pg_db_open(cat_sqldb **out, const char *conninfo, fl_error *err)
{
    *out = NULL;
    if (!conninfo) return fl_error_set(err, FLOE_EINVAL, "postgresql conninfo is missing");
    pg_db *s = fl_calloc(1, sizeof *s);
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->base.ops = &pg_ops;
    s->base.what = s->what;
    fl_str_copy(s->what, sizeof s->what, "postgresql catalog");
    s->conn = PQconnectdb(conninfo);
    if (!s->conn) {
        fl_free(s);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[400];
        trim_message(msg, sizeof msg, PQerrorMessage(s->conn));
        pg_free(&s->base);
        return fl_error_set(err, FLOE_EIO, "could not connect to the postgresql catalog: %s", msg);
    }
    PQsetNoticeProcessor(s->conn, quiet, NULL);
    *out = &s->base;
    return 0;
}
