UNIT_SRC += \
  tests/unit/base/test_arena.c
