# tests/unit/parquet: encoding tests (owner pqenc).
UNIT_SRC += \
  tests/unit/parquet/test_encoding.c \
  tests/unit/parquet/test_encoding_corrupt.c \
  tests/unit/parquet/test_encoding_files.c
