# src/catalog: catalog vtable, SQL store (JDBC layout) over SQLite and PostgreSQL
# (see src/catalog/README.md).
LIB_SRC += \
  src/catalog/catalog.c \
  src/catalog/catalog_sql.c \
  src/catalog/cat_sqlite.c \
  src/catalog/cat_pg.c

# The catalog links libsqlite3 and libpq. Until the Makefile's PKGS lists
# sqlite3 and libpq (requested in notes/requests.md), add them here.
ifeq ($(filter sqlite3,$(PKGS)),)
CFLAGS_ALL += $(shell pkg-config --cflags sqlite3 2>/dev/null)
LDLIBS += $(shell pkg-config --libs sqlite3 2>/dev/null)
endif
ifeq ($(filter libpq,$(PKGS)),)
CFLAGS_ALL += $(shell pkg-config --cflags libpq 2>/dev/null)
LDLIBS += $(shell pkg-config --libs libpq 2>/dev/null)
endif
