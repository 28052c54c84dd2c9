# tests/unit/base: per-thread cached state (engineer "dedupe").
UNIT_SRC += tests/unit/base/test_tls_cache.c
