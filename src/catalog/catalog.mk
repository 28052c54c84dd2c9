# src/catalog: catalog vtable, SQL store (JDBC layout) over SQLite and PostgreSQL
# (see src/catalog/README.md). Links libsqlite3 and libpq (Makefile PKGS).
LIB_SRC += \
  src/catalog/catalog.c \
  src/catalog/catalog_sql.c \
  src/catalog/cat_sqlite.c \
  src/catalog/cat_pg.c

