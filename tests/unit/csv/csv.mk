# tests/unit/csv: unit tests of the CSV reader (src/format/csv).
UNIT_SRC += \
  tests/unit/csv/csv_test_util.c \
  tests/unit/csv/test_csv.c \
  tests/unit/csv/test_csv_files.c
