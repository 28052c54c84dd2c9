# tests/unit/parquet: encoding tests (owner pqenc).
UNIT_SRC += \
  tests/unit/parquet/test_encoding.c
