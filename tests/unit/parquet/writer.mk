# tests/unit/parquet: Parquet writer tests (owner pqwrite).
UNIT_SRC += \
  tests/unit/parquet/test_writer_util.c \
  tests/unit/parquet/test_writer.c
UNIT_SRC += tests/unit/parquet/test_writer_nested.c
UNIT_SRC += tests/unit/parquet/test_writer_stats.c
