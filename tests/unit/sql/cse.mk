# tests/unit/sql: opt_cse.c (engineer "cse").
UNIT_SRC += \
  tests/unit/sql/test_opt_cse.c
