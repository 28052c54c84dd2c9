# src/datagen: the TPC-DS data generator behind `floe datagen` (engineer "datagen").
LIB_SRC += \
  src/datagen/dg_schema.c \
  src/datagen/dg_vocab.c \
  src/datagen/dg_values.c \
  src/datagen/dg_dims.c \
  src/datagen/dg_people.c \
  src/datagen/dg_sales.c \
  src/datagen/dg_run.c \
  src/datagen/dg_output.c
