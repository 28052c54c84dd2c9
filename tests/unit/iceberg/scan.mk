# tests/unit/iceberg: scan predicates, planning and table reading (engineer "scan").
UNIT_SRC += \
  tests/unit/iceberg/test_scan_dv.c \
  tests/unit/iceberg/test_scan_expr.c \
  tests/unit/iceberg/test_scan_plan.c \
  tests/unit/iceberg/test_scan_variant.c \
  tests/unit/iceberg/test_fixture_tables.c
