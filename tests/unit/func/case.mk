# tests/unit/func: Unicode case mapping (func_case.c).
UNIT_SRC += \
  tests/unit/func/test_func_case.c
