# src/base values: decimals, dates and times, value rendering (owner: values).
LIB_SRC += \
  src/base/decimal.c \
  src/base/time.c
LIB_SRC += src/base/value_text.c
