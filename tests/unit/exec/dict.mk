# tests/unit/exec: dictionary vectors (evaluation per entry, slicing, flattening).
UNIT_SRC += \
  tests/unit/exec/test_expr_dict.c \
  tests/unit/exec/dict_test_util.c
