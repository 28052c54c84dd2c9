# tests/unit/base, second fragment (engineer "base").
UNIT_SRC += \
  tests/unit/base/test_threads.c \
  tests/unit/base/test_crc32.c \
  tests/unit/base/test_hashmap.c \
  tests/unit/base/test_vec_misc.c \
  tests/unit/base/test_core.c
