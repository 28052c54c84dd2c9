# tests/unit/exec: sort, scan, table functions, COPY and INSERT (engineer "scan").
UNIT_SRC += \
  tests/unit/exec/test_scan_util.c \
  tests/unit/exec/test_sort.c \
  tests/unit/exec/test_scan.c \
  tests/unit/exec/test_scan_range.c \
  tests/unit/exec/test_copy.c \
  tests/unit/exec/test_insert.c \
  tests/unit/exec/test_table_fn.c
