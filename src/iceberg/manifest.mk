# src/iceberg (manifest engineer): manifests, manifest lists, data file metrics.
LIB_SRC += \
  src/iceberg/ice_manifest_avro.c \
  src/iceberg/ice_manifest_read.c \
  src/iceberg/ice_manifest_write.c \
  src/iceberg/ice_manifest_list.c \
  src/iceberg/ice_metrics.c
