# src/iceberg: the Iceberg spec model (see src/iceberg/README.md).
LIB_SRC += \
  src/iceberg/ice_json.c \
  src/iceberg/ice_type.c \
  src/iceberg/ice_value.c \
  src/iceberg/ice_schema.c \
  src/iceberg/ice_name_mapping.c \
  src/iceberg/ice_transform.c \
  src/iceberg/ice_partition.c \
  src/iceberg/ice_partition_path.c \
  src/iceberg/ice_projection.c \
  src/iceberg/ice_sort.c \
  src/iceberg/ice_metadata_parse.c \
  src/iceberg/ice_metadata_write.c \
  src/iceberg/ice_metadata_io.c \
  src/iceberg/ice_snapshot.c
