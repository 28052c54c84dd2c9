# tests/unit/sql: optimizer tests of engineer "opt" (opt_dup_insensitive.c and later rules).
UNIT_SRC += \
  tests/unit/sql/test_opt_dup.c
