/*
 * test_catalog_sqlite.c: the catalog on SQLite: the shared suite (every
 * operation, commit conflicts, concurrent committers as threads and forked
 * processes on one file), the exact JDBC table layout as other engines read
 * it, JDBC V0 databases without iceberg_type, view rows, URI handling, and
 * the PyIceberg SqlCatalog files among the Iceberg fixtures.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/buf.h"
#include "../../../src/catalog/catalog.h"
#include "../../../src/io/io.h"
#include "../test.h"
#include "catalog_suite.h"

static const char *fresh_uri(char *buf, size_t cap, char *dir, size_t dir_cap)
{
    const char *tmp = ft_tmpdir();
    if (dir) snprintf(dir, dir_cap, "%s", tmp);
    snprintf(buf, cap, "sqlite://%s/catalog.db", tmp);
    return buf;
}

TEST(catalog_sqlite_namespaces)
{
    char uri[600];
    cs_namespaces(fresh_uri(uri, sizeof uri, NULL, 0), "floe");
}

TEST(catalog_sqlite_tables)
{
    char uri[600];
    cs_tables(fresh_uri(uri, sizeof uri, NULL, 0), "floe");
}

TEST(catalog_sqlite_external_tables)
{
    char uri[600];
    cs_external(fresh_uri(uri, sizeof uri, NULL, 0), "floe");
}

TEST(catalog_sqlite_commit)
{
    char uri[600];
    cs_commit(fresh_uri(uri, sizeof uri, NULL, 0), "floe");
}

TEST(catalog_sqlite_isolation)
{
    char uri[600];
    cs_isolation(fresh_uri(uri, sizeof uri, NULL, 0), "floe");
}

TEST(catalog_sqlite_concurrent_threads)
{
    char uri[600];
    cs_concurrent_threads(fresh_uri(uri, sizeof uri, NULL, 0), "floe", 4, 25, 0);
}

TEST(catalog_sqlite_shared_handle_threads)
{
    char uri[600];
    cs_concurrent_threads(fresh_uri(uri, sizeof uri, NULL, 0), "floe", 4, 10, 1);
}

TEST(catalog_sqlite_concurrent_processes)
{
    char uri[600], dir[512];
    fresh_uri(uri, sizeof uri, dir, sizeof dir);
    cs_concurrent_processes(uri, "floe", dir, 4, 20);
}

/* Runs sql on a raw connection and returns the first column of each row,
 * joined by '|' (NULL as "NULL"). */
static char *raw_query(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    fl_buf out;
    fl_buf_init(&out);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            fl_buf_appendf(&out, "%s%s", n++ ? "|" : "", t ? (const char *)t : "NULL");
        }
    } else {
        fl_buf_appendf(&out, "error: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    char *s = fl_strdup(fl_buf_cstr(&out));
    fl_buf_dispose(&out);
    return s;
}

static void check_raw(const char *path, const char *sql, const char *want)
{
    char *got = raw_query(path, sql);
    CHECK_STR(got, want);
    fl_free(got);
}

static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

TEST(catalog_sqlite_jdbc_layout)
{
    char path[600], uri[620];
    snprintf(path, sizeof path, "%s/catalog.db", ft_tmpdir());
    snprintf(uri, sizeof uri, "sqlite://%s", path);
    fl_error err;
    cat_catalog *c = NULL;
    if (!CHECK_OK(cat_open(&c, uri, NULL, &err), &err)) return;
    CHECK_STR(c->name, CAT_DEFAULT_NAME);
    CHECK_OK(cat_namespace_create(c, "a.b", NULL, &err), &err);
    CHECK_OK(cat_table_create(c, "a.b", "t", "s3://w/a/b/t/metadata/00000.metadata.json", &err),
             &err);
    CHECK_OK(cat_table_commit(c, "a.b", "t", "s3://w/a/b/t/metadata/00000.metadata.json",
                              "s3://w/a/b/t/metadata/00001.metadata.json", &err), &err);
    cat_free(c);

    /* the column names, order, keys and types of Iceberg's JdbcUtil (V1) */
    check_raw(path, "SELECT name FROM pragma_table_info('iceberg_tables') ORDER BY cid",
              "catalog_name|table_namespace|table_name|metadata_location|"
              "previous_metadata_location|iceberg_type");
    check_raw(path, "SELECT type FROM pragma_table_info('iceberg_tables') ORDER BY cid",
              "VARCHAR(255)|VARCHAR(255)|VARCHAR(255)|VARCHAR(1000)|VARCHAR(1000)|VARCHAR(5)");
    check_raw(path, "SELECT name FROM pragma_table_info('iceberg_tables') WHERE pk > 0 ORDER BY pk",
              "catalog_name|table_namespace|table_name");
    check_raw(path,
              "SELECT name FROM pragma_table_info('iceberg_namespace_properties') ORDER BY cid",
              "catalog_name|namespace|property_key|property_value");
    check_raw(path,
              "SELECT name FROM pragma_table_info('iceberg_namespace_properties') WHERE pk > 0 "
              "ORDER BY pk",
              "catalog_name|namespace|property_key");
    /* the rows as other engines read them */
    check_raw(path,
              "SELECT catalog_name || ',' || table_namespace || ',' || table_name || ',' || "
              "metadata_location || ',' || previous_metadata_location || ',' || iceberg_type "
              "FROM iceberg_tables",
              "floe,a.b,t,s3://w/a/b/t/metadata/00001.metadata.json,"
              "s3://w/a/b/t/metadata/00000.metadata.json,TABLE");
    check_raw(path,
              "SELECT catalog_name || ',' || namespace || ',' || property_key || ',' || "
              "property_value FROM iceberg_namespace_properties",
              "floe,a.b,exists,true");
    check_raw(path, "PRAGMA journal_mode", "wal");
}

/* A database as PyIceberg and JDBC V0 create it (no iceberg_type) stays
 * as it is and works; rows of views (JDBC V1) are not tables. */
TEST(catalog_sqlite_v0_and_views)
{
    const char *dir = ft_tmpdir();
    char path[600], uri[620];
    snprintf(path, sizeof path, "%s/v0.db", dir);
    snprintf(uri, sizeof uri, "sqlite://%s", path);
    CHECK_EQ(raw_exec(path,
                      "CREATE TABLE iceberg_tables (catalog_name VARCHAR(255) NOT NULL, "
                      "table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, "
                      "metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), "
                      "PRIMARY KEY (catalog_name, table_namespace, table_name));"
                      "CREATE TABLE iceberg_namespace_properties (catalog_name VARCHAR(255) NOT "
                      "NULL, namespace VARCHAR(255) NOT NULL, property_key VARCHAR(255) NOT NULL, "
                      "property_value VARCHAR(1000) NOT NULL, "
                      "PRIMARY KEY (catalog_name, namespace, property_key));"
                      "INSERT INTO iceberg_tables VALUES ('py', 'default', 'old', 'm/1.json', "
                      "'m/0.json');"),
             SQLITE_OK);
    fl_error err;
    cat_catalog *c = NULL;
    if (!CHECK_OK(cat_open(&c, uri, "py", &err), &err)) return;
    /* the namespace exists through its table alone (no properties row) */
    bool exists = false;
    CHECK_OK(cat_namespace_exists(c, "default", &exists, &err), &err);
    CHECK(exists);
    char *loc = NULL, *prev = NULL;
    CHECK_OK(cat_table_load(c, "default", "old", &loc, &prev, &err), &err);
    CHECK_STR(loc, "m/1.json");
    CHECK_STR(prev, "m/0.json");
    fl_free(loc);
    fl_free(prev);
    CHECK_OK(cat_table_create(c, "default", "new", "n/0.json", &err), &err);
    CHECK_OK(cat_table_commit(c, "default", "new", "n/0.json", "n/1.json", &err), &err);
    cat_free(c);
    check_raw(path, "SELECT count(*) FROM pragma_table_info('iceberg_tables')", "5");
    check_raw(path,
              "SELECT metadata_location || ',' || previous_metadata_location FROM iceberg_tables "
              "WHERE table_name = 'new'",
              "n/1.json,n/0.json");

    /* V1: a view row with the same key space */
    snprintf(path, sizeof path, "%s/v1.db", dir);
    snprintf(uri, sizeof uri, "sqlite://%s", path);
    if (!CHECK_OK(cat_open(&c, uri, "floe", &err), &err)) return;
    CHECK_OK(cat_namespace_create(c, "ns", NULL, &err), &err);
    CHECK_OK(cat_table_create(c, "ns", "t", "t.json", &err), &err);
    CHECK_EQ(raw_exec(path,
                      "INSERT INTO iceberg_tables VALUES ('floe', 'ns', 'v', 'v.json', NULL, "
                      "'VIEW')"),
             SQLITE_OK);
    cat_list l;
    cat_list_init(&l);
    CHECK_OK(cat_table_list(c, "ns", &l, &err), &err);
    CHECK_EQ(l.len, 1);
    if (l.len == 1) CHECK_STR(l.items[0], "t");
    cat_list_dispose(&l);
    CHECK_EQ(cat_table_load(c, "ns", "v", NULL, NULL, &err), FLOE_ENOTFOUND);
    CHECK_EQ(cat_table_create(c, "ns", "v", "x.json", &err), FLOE_EEXISTS);
    CHECK_EQ(cat_table_drop(c, "ns", "v", NULL, &err), FLOE_ENOTFOUND);
    CHECK_EQ(cat_table_commit(c, "ns", "v", "v.json", "w.json", &err), FLOE_ENOTFOUND);
    CHECK_OK(cat_table_drop(c, "ns", "t", NULL, &err), &err);
    CHECK_EQ(cat_namespace_drop(c, "ns", &err), FLOE_EINVAL); /* the view is still there */
    check_raw(path, "SELECT metadata_location FROM iceberg_tables WHERE table_name = 'v'",
              "v.json");
    cat_free(c);
}

TEST(catalog_sqlite_open_errors)
{
    fl_error err;
    cat_catalog *c = NULL;
    CHECK_EQ(cat_open(&c, "mysql://h/db", NULL, &err), FLOE_EINVAL);
    CHECK(c == NULL);
    CHECK_EQ(cat_open(&c, "", NULL, &err), FLOE_EINVAL);
    CHECK_EQ(cat_open(&c, "sqlite:", NULL, &err), FLOE_EINVAL);
    CHECK_EQ(cat_open(&c, "sqlite:///tmp/x.db?mode=xyz", NULL, &err), FLOE_EINVAL);
    CHECK(cat_open(&c, "sqlite:///nonexistent-dir-floe/x/catalog.db", NULL, &err) < 0);
    CHECK(c == NULL);

    const char *dir = ft_tmpdir();
    char path[600], uri[620];
    snprintf(path, sizeof path, "%s/garbage.db", dir);
    FILE *f = fopen(path, "wb");
    if (CHECK(f != NULL)) {
        for (int i = 0; i < 512; i++) fputs("not a database ", f);
        fclose(f);
    }
    snprintf(uri, sizeof uri, "sqlite://%s", path);
    int rc = cat_open(&c, uri, NULL, &err);
    CHECK(rc < 0);
    CHECK(c == NULL);
    CHECK(strstr(err.message, "garbage.db") != NULL);

    /* a relative path (sqlite:name) and an invalid catalog name */
    snprintf(uri, sizeof uri, "sqlite:%s/rel.db", dir);
    CHECK_OK(cat_open(&c, uri, "x", &err), &err);
    cat_free(c);
    c = NULL;
    CHECK_EQ(cat_open(&c, uri, "", &err), FLOE_EINVAL);
    /* read-only open of a file without the tables */
    snprintf(path, sizeof path, "%s/empty.db", dir);
    CHECK_EQ(raw_exec(path, "CREATE TABLE x (a INT)"), SQLITE_OK);
    snprintf(uri, sizeof uri, "sqlite://%s?mode=ro", path);
    CHECK_EQ(cat_open(&c, uri, NULL, &err), FLOE_ENOTFOUND);
}

/* ---- the PyIceberg SqlCatalog files among the fixtures ------------------ */

typedef struct fixture_catalog {
    const char *file, *catalog, *ns, *table, *location;
} fixture_catalog;

static const fixture_catalog fixtures[] = {
    {"pyiceberg_v2_case_sensitive_names/pyiceberg_catalog.db", "default", "default",
     "case_sensitive_names",
     "data/persistent/case_sensitive_names/default.db/case_sensitive_names/metadata/"
     "00001-a7a3a44c-4aac-4619-bebd-11be37b27351.metadata.json"},
    {"pyiceberg_v1_to_v3_upgrade/catalog.db", "repro", "repro", "merch_v1",
     "data/persistent/iceberg_v1_repro/repro/merch_v1/metadata/"
     "00003-8d01e4aa-d143-49c9-898e-b5e477577b70.metadata.json"},
    {"pyiceberg_v2_add_files_nested_no_field_ids/catalog.sqlite", "my_catalog", "default",
     "my_table",
     "data/persistent/column_mapping/warehouse/default.db/my_table/metadata/"
     "00001-75643dae-a7a7-46ae-ab30-ea80d3793f3f.metadata.json"},
    {"pyiceberg_v2_null_stats_3snap/pyiceberg_catalog.db", "local", "default", "test_nulls",
     "data/persistent/null_stats/default/test_nulls/metadata/"
     "00003-9d6a621e-8a72-4190-a880-f6ca02e32b86.metadata.json"},
};

static void check_fixture(const fixture_catalog *fx, const char *uri, bool writable)
{
    fl_error err;
    cat_catalog *c = NULL;
    if (!CHECK_OK(cat_open(&c, uri, fx->catalog, &err), &err)) return;
    cat_list l;
    cat_list_init(&l);
    CHECK_OK(cat_namespace_list(c, NULL, &l, &err), &err);
    CHECK_EQ(l.len, 1);
    if (l.len == 1) CHECK_STR(l.items[0], fx->ns);
    cat_list_dispose(&l);
    CHECK_OK(cat_table_list(c, fx->ns, &l, &err), &err);
    CHECK_EQ(l.len, 1);
    if (l.len == 1) CHECK_STR(l.items[0], fx->table);
    cat_list_dispose(&l);
    cat_props props;
    cat_props_init(&props);
    CHECK_OK(cat_namespace_load(c, fx->ns, &props, &err), &err);
    CHECK_STR(cat_props_get(&props, "exists"), "true");
    cat_props_dispose(&props);
    char *loc = NULL, *prev = NULL;
    CHECK_OK(cat_table_load(c, fx->ns, fx->table, &loc, &prev, &err), &err);
    CHECK_STR(loc, fx->location);
    CHECK(prev != NULL && strstr(prev, ".metadata.json") != NULL);
    if (writable && loc) {
        /* a floe commit on top of PyIceberg's row */
        CHECK_OK(cat_table_commit(c, fx->ns, fx->table, loc, "next.metadata.json", &err), &err);
        char *now = NULL, *before = NULL;
        CHECK_OK(cat_table_load(c, fx->ns, fx->table, &now, &before, &err), &err);
        CHECK_STR(now, "next.metadata.json");
        CHECK_STR(before, fx->location);
        fl_free(now);
        fl_free(before);
    } else if (loc) {
        CHECK_EQ(cat_table_commit(c, fx->ns, fx->table, loc, "next.metadata.json", &err),
                 FLOE_EINVAL);
        CHECK_EQ(cat_namespace_create(c, "other", NULL, &err), FLOE_EINVAL);
    }
    fl_free(loc);
    fl_free(prev);
    /* another catalog name in the same file sees nothing */
    cat_free(c);
    if (!CHECK_OK(cat_open(&c, uri, "someone_else", &err), &err)) return;
    CHECK_OK(cat_namespace_list(c, NULL, &l, &err), &err);
    CHECK_EQ(l.len, 0);
    cat_list_dispose(&l);
    cat_free(c);
}

TEST(catalog_sqlite_pyiceberg_fixtures)
{
    for (size_t i = 0; i < FL_ARRAY_SIZE(fixtures); i++) {
        char rel[300];
        snprintf(rel, sizeof rel, "fixtures/iceberg/%s", fixtures[i].file);
        const char *src = ft_shared(rel);
        char srcpath[4096];
        snprintf(srcpath, sizeof srcpath, "%s", src);
        fl_error err;
        fl_buf before, after;
        fl_buf_init(&before);
        fl_buf_init(&after);
        io_fs *fs = io_local_new();
        if (!CHECK(fs != NULL)) return;
        if (!CHECK_OK(io_read_file(fs, srcpath, &before, &err), &err)) {
            io_fs_free(fs);
            return;
        }
        /* read only, in place: the file must stay byte for byte the same */
        char uri[4200];
        snprintf(uri, sizeof uri, "sqlite://%s?mode=ro", srcpath);
        check_fixture(&fixtures[i], uri, false);
        CHECK_OK(io_read_file(fs, srcpath, &after, &err), &err);
        CHECK_MEM(after.data, after.len, before.data, before.len);
        /* a copy, read-write (switched to WAL, commits on top) */
        char copy[600];
        snprintf(copy, sizeof copy, "%s/fixture.db", ft_tmpdir());
        CHECK_OK(io_write_file(fs, copy, 0, before.data, before.len, &err), &err);
        snprintf(uri, sizeof uri, "sqlite://%s", copy);
        check_fixture(&fixtures[i], uri, true);
        fl_buf_dispose(&before);
        fl_buf_dispose(&after);
        io_fs_free(fs);
    }
}

/* Another connection holds the write lock: a commit waits up to the busy
 * timeout, then fails with FLOE_EIO (nothing written, not EUNKNOWN); once
 * the lock is released the same commit succeeds. */
TEST(catalog_sqlite_busy_timeout)
{
    char path[600];
    snprintf(path, sizeof path, "%s/catalog.db", ft_tmpdir());
    fl_error err;
    cat_catalog *c = NULL;
    if (!CHECK_OK(cat_sqlite_open(&c, path, "floe", false, 200, &err), &err)) return;
    CHECK_OK(cat_namespace_create(c, "ns", NULL, &err), &err);
    CHECK_OK(cat_table_create(c, "ns", "t", "v0.json", &err), &err);

    sqlite3 *other = NULL;
    CHECK_EQ(sqlite3_open(path, &other), SQLITE_OK);
    CHECK_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(cat_table_commit(c, "ns", "t", "v0.json", "v1.json", &err), FLOE_EIO);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(strstr(err.message, "database is locked") != NULL);
    double waited = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(waited >= 150 && waited < 5000);
    CHECK_EQ(cat_table_create(c, "ns", "u", "u.json", &err), FLOE_EIO);
    /* reads are not blocked by a writer (WAL) */
    char *loc = NULL;
    CHECK_OK(cat_table_load(c, "ns", "t", &loc, NULL, &err), &err);
    CHECK_STR(loc, "v0.json");
    fl_free(loc);
    CHECK_EQ(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    CHECK_OK(cat_table_commit(c, "ns", "t", "v0.json", "v1.json", &err), &err);
    cat_free(c);
}

/* One pass of most operations; every failure must be a clean error. */
static int oom_pass(const char *uri)
{
    fl_error err;
    cat_catalog *c = NULL;
    int rc = cat_open(&c, uri, "floe", &err);
    if (rc < 0) return rc;
    cat_props p;
    cat_props_init(&p);
    cat_list l;
    cat_list_init(&l);
    char *loc = NULL, *prev = NULL;
    if ((rc = cat_props_set(&p, "owner", "ann", &err)) < 0) goto done;
    if ((rc = cat_namespace_create(c, "a.b", &p, &err)) < 0 && rc != FLOE_EEXISTS) goto done;
    if ((rc = cat_namespace_list(c, "a", &l, &err)) < 0) goto done;
    if ((rc = cat_namespace_load(c, "a.b", &p, &err)) < 0) goto done;
    if ((rc = cat_namespace_update(c, "a.b", &p, &l, &err)) < 0) goto done;
    if ((rc = cat_table_create(c, "a.b", "t", "v0.json", &err)) < 0 && rc != FLOE_EEXISTS) goto done;
    if ((rc = cat_table_list(c, "a.b", &l, &err)) < 0) goto done;
    if ((rc = cat_table_load(c, "a.b", "t", &loc, &prev, &err)) < 0) goto done;
    if ((rc = cat_table_commit(c, "a.b", "t", loc, strcmp(loc, "v1.json") ? "v1.json" : "v2.json",
                               &err)) < 0)
        goto done;
    if ((rc = cat_table_drop(c, "a.b", "t", NULL, &err)) < 0) goto done;
done:
    fl_free(loc);
    fl_free(prev);
    cat_list_dispose(&l);
    cat_props_dispose(&p);
    cat_free(c);
    return rc;
}

TEST(catalog_sqlite_out_of_memory)
{
    char uri[600];
    fresh_uri(uri, sizeof uri, NULL, 0);
    int failures = 0;
    for (long n = 0; n < 400; n++) {
        fl_alloc_fail_after(n);
        int rc = oom_pass(uri);
        fl_alloc_fail_after(-1);
        if (rc == FLOE_ENOMEM) failures++;
        else if (!CHECK(rc >= 0)) break;
        if (rc >= 0) break; /* a whole pass fit in n allocations */
    }
    CHECK(failures > 10);
    CHECK_OK(oom_pass(uri), NULL);
}
