# tests/unit/iceberg: the parsed-metadata cache (engineer "engine").
UNIT_SRC += \
  tests/unit/iceberg/test_engine_md_cache.c
