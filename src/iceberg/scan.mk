# src/iceberg: scan predicates, scan planning and table reading (engineer "scan").
LIB_SRC += \
  src/iceberg/ice_expr.c \
  src/iceberg/ice_expr_parse.c \
  src/iceberg/ice_scan.c \
  src/iceberg/ice_read.c \
  src/iceberg/ice_read_conv.c \
  src/iceberg/ice_read_dv.c \
  src/iceberg/ice_read_remap.c \
  src/iceberg/ice_read_variant.c
