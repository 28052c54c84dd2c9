# src/exec: sources, sinks and sorting (engineer "scan"): sort.c, the
# ORDER BY / TOPN operators, the table scan, table functions, INSERT, COPY.
LIB_SRC += \
  src/exec/sort.c \
  src/exec/copy.c \
  src/exec/op/order.c \
  src/exec/op/topn.c \
  src/exec/op/scan.c \
  src/exec/op/table_fn.c \
  src/exec/op/insert.c
