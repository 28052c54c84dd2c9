# tests/unit/catalog: catalog tests (SQLite always; PostgreSQL as the catalog_pg
# group, run by tests/catalog/pg_test.sh with FLOE_TEST_PG set).
UNIT_SRC += \
  tests/unit/catalog/catalog_suite.c \
  tests/unit/catalog/test_catalog_sqlite.c \
  tests/unit/catalog/test_catalog_pg.c
