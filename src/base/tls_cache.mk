# src/base: per-thread cached state and zlib allocator hooks (engineer "dedupe").
LIB_SRC += src/base/tls_cache.c
