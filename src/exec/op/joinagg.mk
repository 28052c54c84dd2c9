# src/exec: hash tables and the hashing operators (engineer "joinagg").
LIB_SRC += \
  src/exec/hashtable.c \
  src/exec/op/hash_util.c \
  src/exec/op/hash_agg.c \
  src/exec/op/hash_join.c \
  src/exec/op/distinct.c \
  src/exec/op/setop.c \
  src/exec/op/window.c
