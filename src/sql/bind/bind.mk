# src/sql/bind: the binder, AST -> logical plan (engineer "binder").
LIB_SRC += \
  src/sql/bind/bind.c \
  src/sql/bind/bind_expr.c \
  src/sql/bind/bind_from.c \
  src/sql/bind/bind_func.c \
  src/sql/bind/bind_query.c \
  src/sql/bind/bind_subquery.c
