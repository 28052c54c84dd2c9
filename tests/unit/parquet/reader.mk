# tests/unit/parquet: Parquet reader tests (owner pqread).
UNIT_SRC += \
  tests/unit/parquet/test_corpus.c
