# src/func: the function library (engineer "func"); table functions are in table.mk.
LIB_SRC += \
  src/func/func_registry.c \
  src/func/func_arith.c \
  src/func/func_compare.c \
  src/func/func_cast.c \
  src/func/func_string.c \
  src/func/func_case.c \
  src/func/func_agg_by.c \
  src/func/func_like.c \
  src/func/func_regex.c \
  src/func/func_date.c \
  src/func/func_math.c \
  src/func/func_cond.c \
  src/func/func_agg.c \
  src/func/func_agg_stat.c \
  src/func/func_agg_hll.c \
  src/func/func_window.c
