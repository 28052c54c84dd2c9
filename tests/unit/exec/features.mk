# tests/unit/exec: RANGE window frames and FETCH WITH TIES (engineer "features").
UNIT_SRC += \
  tests/unit/exec/test_features.c
