# tests/unit/iceberg: dictionary batches of the table reader
# (ice_reader_next_dict; engineer "dictread").
UNIT_SRC += \
  tests/unit/iceberg/test_read_dict.c
