# tests/unit/sql: unit tests of the SQL parser (src/sql/parse).
UNIT_SRC += \
  tests/unit/sql/sql_test_util.c \
  tests/unit/sql/test_sql_errors.c \
  tests/unit/sql/test_sql_parse.c \
  tests/unit/sql/test_sql_tpcds.c
