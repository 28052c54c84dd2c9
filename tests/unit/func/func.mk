# tests/unit/func: the function library's tests (engineer "func").
UNIT_SRC += \
  tests/unit/func/test_func_registry.c \
  tests/unit/func/test_func_arith.c \
  tests/unit/func/test_func_compare.c \
  tests/unit/func/test_func_cast.c \
  tests/unit/func/test_func_string.c \
  tests/unit/func/test_func_like.c \
  tests/unit/func/test_func_regex.c \
  tests/unit/func/test_func_date.c \
  tests/unit/func/test_func_math.c \
  tests/unit/func/test_func_cond.c \
  tests/unit/func/test_func_agg.c \
  tests/unit/func/test_func_agg_stat.c
