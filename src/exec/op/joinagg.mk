# src/exec: hash tables and the hashing operators (engineer "joinagg").
LIB_SRC += \
  src/exec/hashtable.c
