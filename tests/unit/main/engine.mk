# tests/unit/main: EXPLAIN ANALYZE's per-operator profile (engineer "engine").
UNIT_SRC += \
  tests/unit/main/test_engine_profile.c
