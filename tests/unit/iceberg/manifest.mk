# tests/unit/iceberg (manifest engineer): manifest and manifest list tests.
UNIT_SRC += \
  tests/unit/iceberg/test_manifest_fixtures.c \
  tests/unit/iceberg/test_manifest_write.c \
  tests/unit/iceberg/test_manifest_metrics.c
