# tests/unit/iceberg: table creation, commits and table operations (engineer "txn").
UNIT_SRC += \
  tests/unit/iceberg/test_txn_util.c \
  tests/unit/iceberg/test_txn_append.c \
  tests/unit/iceberg/test_txn_ops.c
