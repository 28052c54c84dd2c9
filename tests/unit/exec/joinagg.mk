# tests/unit/exec: hash tables and hashing operators (engineer "joinagg").
UNIT_SRC += \
  tests/unit/exec/test_hashtable.c
