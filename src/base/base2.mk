# src/base, second fragment (engineer "base"): threads, crc32, vec, hashmap,
# murmur3, uuid, strutil. See src/base/README.md.
LIB_SRC += \
  src/base/threads.c \
  src/base/crc32.c \
  src/base/vec.c \
  src/base/hashmap.c \
  src/base/murmur3.c \
  src/base/uuid.c \
  src/base/strutil.c
