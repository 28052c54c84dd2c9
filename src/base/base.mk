# src/base: the base library (see src/base/README.md).
LIB_SRC += \
  src/base/alloc.c \
  src/base/arena.c \
  src/base/buf.c \
  src/base/column.c \
  src/base/error.c \
  src/base/type.c
