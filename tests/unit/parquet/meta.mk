# tests/unit/parquet: thrift, metadata and codec tests (pqmeta).
UNIT_SRC += \
  tests/unit/parquet/test_thrift.c \
  tests/unit/parquet/test_meta.c \
  tests/unit/parquet/test_codec.c
