# tests/unit/avro: unit tests of src/format/avro (owner avro).
UNIT_SRC += \
  tests/unit/avro/test_avro.c
UNIT_SRC += \
  tests/unit/avro/test_avro_files.c
