# tests/unit/exec: RIGHT_SEMI/RIGHT_ANTI and the join hash table layout (engineer "join").
UNIT_SRC += \
  tests/unit/exec/test_join_right.c
