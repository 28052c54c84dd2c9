# tests/unit/exec: review tests for dictionary vectors (engineer "dictrev").
UNIT_SRC += \
  tests/unit/exec/test_dictrev_expr.c
UNIT_SRC += \
  tests/unit/exec/test_dictrev_agg.c
