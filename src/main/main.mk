# src/main: include/floe.h on top of the engine (engineer "spine"):
# databases, connections, statements, DDL, results. (ext_table.c is in ext.mk.)
LIB_SRC += \
  src/main/db.c \
  src/main/query.c \
  src/main/ddl.c \
  src/main/ddl_create.c \
  src/main/result.c
