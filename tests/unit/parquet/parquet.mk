# tests/unit/parquet: Parquet reader tests of this round (owner parquet):
# row ranges, decoding fast paths.
UNIT_SRC += \
  tests/unit/parquet/test_reader_range.c
UNIT_SRC += tests/unit/parquet/test_reader_fast.c
