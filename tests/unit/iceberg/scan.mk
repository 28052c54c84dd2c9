# tests/unit/iceberg: scan predicates, planning and table reading (engineer "scan").
UNIT_SRC += \
  tests/unit/iceberg/test_fixture_tables.c
