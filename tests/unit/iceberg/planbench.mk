# tests/unit/iceberg/planbench.mk: the scan-planning benchmark's generator and
# the planner on a small table (engineer "planbench").
UNIT_SRC += \
  tests/unit/iceberg/test_plan_small.c \
  bench/plan/plan_gen.c
