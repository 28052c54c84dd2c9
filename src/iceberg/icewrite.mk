# src/iceberg: the partitioned data-file writer, delete-file writer and the
# data-changing table operations (engineer "icewrite").
LIB_SRC += \
  src/iceberg/ice_writer.c
