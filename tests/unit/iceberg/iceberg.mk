# tests/unit/iceberg: Iceberg spec model tests.
UNIT_SRC += \
  tests/unit/iceberg/test_ice_type.c \
  tests/unit/iceberg/test_ice_transform.c \
  tests/unit/iceberg/test_ice_projection.c \
  tests/unit/iceberg/test_ice_metadata.c \
  tests/unit/iceberg/test_ice_metadata_facts.c
