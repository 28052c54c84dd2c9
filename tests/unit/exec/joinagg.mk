# tests/unit/exec: hash tables and hashing operators (engineer "joinagg").
UNIT_SRC += \
  tests/unit/exec/test_hashtable.c \
  tests/unit/exec/ja_test_util.c \
  tests/unit/exec/test_hash_agg.c \
  tests/unit/exec/test_hash_join.c \
  tests/unit/exec/test_setop.c \
  tests/unit/exec/test_window.c
