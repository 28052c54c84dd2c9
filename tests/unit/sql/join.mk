# tests/unit/sql: opt_build_side.c (engineer "join").
UNIT_SRC += \
  tests/unit/sql/test_build_side.c
