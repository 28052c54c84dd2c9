# tests for src/base values: decimals, dates and times, value rendering.
UNIT_SRC += \
  tests/unit/base/test_decimal.c \
  tests/unit/base/test_time.c \
  tests/unit/base/test_value_text.c
