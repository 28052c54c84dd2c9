# tests/unit/exec: the hash join tests' shared reference check (owner perfx).
UNIT_SRC += \
  tests/unit/exec/join_check.c
