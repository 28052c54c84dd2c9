# src/format/csv: the CSV reader (see src/format/csv/README.md).
LIB_SRC += \
  src/format/csv/csv_convert.c \
  src/format/csv/csv_parse.c \
  src/format/csv/csv_reader.c \
  src/format/csv/csv_source.c
