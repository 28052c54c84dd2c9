# tests/unit/iceberg: refs, cherry-pick, retention, schema and partition
# evolution, properties (engineer "iceevolve").
UNIT_SRC += \
  tests/unit/iceberg/test_evolve_util.c \
  tests/unit/iceberg/test_evolve_refs.c \
  tests/unit/iceberg/test_evolve_schema.c \
  tests/unit/iceberg/test_evolve_partition.c
