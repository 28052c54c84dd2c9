# tests/unit/exec: RANGE window frames, FETCH WITH TIES and sorted INSERT (engineer "features").
UNIT_SRC += \
  tests/unit/exec/test_features.c \
  tests/unit/exec/test_features_insert.c
