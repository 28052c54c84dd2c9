# src/iceberg: branches/tags, cherry-pick, schema and partition evolution,
# table properties (engineer "iceevolve"; see ice_evolve.h).
LIB_SRC += \
  src/iceberg/txn_refs.c \
  src/iceberg/txn_properties.c \
  src/iceberg/txn_schema.c \
  src/iceberg/txn_partition.c \
  src/iceberg/txn_sort.c
