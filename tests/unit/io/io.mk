# tests/unit/io: FileIO tests.
UNIT_SRC += \
  tests/unit/io/test_io.c
