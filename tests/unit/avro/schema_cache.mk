# tests/unit/avro: tests of the shared-schema cache (owner perfx).
UNIT_SRC += \
  tests/unit/avro/test_avro_schema_cache.c
