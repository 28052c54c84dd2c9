# tests/unit/exec: hashing selected rows (ex_hash_vectors_sel) (owner perfx).
UNIT_SRC += \
  tests/unit/exec/test_hash_sel.c
