# tests/unit/iceberg: the partitioned writer and the data-changing table
# operations (engineer "icewrite").
UNIT_SRC += \
  tests/unit/iceberg/test_icewrite_util.c \
  tests/unit/iceberg/test_ice_writer.c
UNIT_SRC += \
  tests/unit/iceberg/test_txn_overwrite.c \
  tests/unit/iceberg/test_txn_rewrite.c \
  tests/unit/iceberg/test_txn_conflict.c
