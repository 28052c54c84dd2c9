# src/iceberg: scan predicates, scan planning and table reading (engineer "scan").
LIB_SRC += \
  src/iceberg/ice_expr.c \
  src/iceberg/ice_expr_parse.c
