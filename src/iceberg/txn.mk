# src/iceberg: table handle, commit protocol and table operations (engineer "txn").
LIB_SRC += \
  src/iceberg/ice_table.c \
  src/iceberg/ice_commit.c \
  src/iceberg/txn_append.c \
  src/iceberg/txn_rollback.c \
  src/iceberg/txn_expire.c
