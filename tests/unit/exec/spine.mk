# tests/unit/exec: expressions and pipelines (engineer "spine").
UNIT_SRC += \
  tests/unit/exec/test_expr.c \
  tests/unit/exec/test_pipeline.c
