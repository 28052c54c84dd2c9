# src/func: the function library (engineer "func"); table functions are in table.mk.
LIB_SRC += \
  src/func/func_registry.c \
  src/func/func_arith.c \
  src/func/func_compare.c \
  src/func/func_cast.c \
  src/func/func_agg.c \
  src/func/func_window.c
