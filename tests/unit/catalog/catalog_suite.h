/*
 * catalog_suite.h: catalog tests that every backend runs (SQLite in
 * test_catalog_sqlite.c, PostgreSQL in test_catalog_pg.c). Each function
 * opens its own handles on uri with catalog name cat (distinct names keep
 * tests apart in one shared PostgreSQL database) and asserts with CHECK.
 */
#ifndef CATALOG_SUITE_H
#define CATALOG_SUITE_H

void cs_namespaces(const char *uri, const char *cat);
void cs_tables(const char *uri, const char *cat);
void cs_commit(const char *uri, const char *cat);
void cs_isolation(const char *uri, const char *cat);
/* External tables: create/load/list/drop, shared names with Iceberg tables. */
void cs_external(const char *uri, const char *cat);
/* n committers each doing m read-then-CAS loops, as threads with a handle
 * each, as threads sharing one handle, and as forked processes. */
void cs_concurrent_threads(const char *uri, const char *cat, int n, int m, int shared_handle);
void cs_concurrent_processes(const char *uri, const char *cat, const char *dir, int n, int m);

#endif
