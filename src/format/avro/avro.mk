# src/format/avro: Avro schemas, datums and object container files (owner avro).
# See src/format/avro/README.md.
LIB_SRC += \
  src/format/avro/avro_codec.c \
  src/format/avro/avro_datum.c \
  src/format/avro/avro_reader.c \
  src/format/avro/avro_schema.c \
  src/format/avro/avro_value.c \
  src/format/avro/avro_writer.c
