# src/io: FileIO (see src/io/README.md).
LIB_SRC += \
  src/io/io_local.c \
  src/io/io_memory.c \
  src/io/io_util.c
