# src/func: the file-reading table functions read_csv / read_parquet and the
# raw-file reader they share with external tables (engineer "scan").
LIB_SRC += \
  src/func/table_files.c \
  src/func/table_read.c
