# tests/unit/parquet: Parquet reader tests (owner pqread).
UNIT_SRC += \
  tests/unit/parquet/test_corpus.c \
  tests/unit/parquet/test_reader.c
