# src/iceberg: the partitioned data-file writer, delete-file writer and the
# data-changing table operations (engineer "icewrite").
LIB_SRC += \
  src/iceberg/ice_writer.c \
  src/iceberg/ice_delete_writer.c
LIB_SRC += \
  src/iceberg/txn_produce.c \
  src/iceberg/txn_overwrite.c \
  src/iceberg/txn_delete_files.c \
  src/iceberg/txn_rewrite.c \
  src/iceberg/txn_row_delta.c
