# tests/unit/parquet: dictionary batches of the Parquet reader
# (pq_scan_next_dict; engineer "dictread").
UNIT_SRC += \
  tests/unit/parquet/test_reader_dict.c
