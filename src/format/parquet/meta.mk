# src/format/parquet: thrift compact protocol, metadata model codecs, page compression (pqmeta).
LIB_SRC += \
  src/format/parquet/thrift.c \
  src/format/parquet/pq_meta_read.c \
  src/format/parquet/pq_meta_write.c \
  src/format/parquet/pq_meta_names.c \
  src/format/parquet/pq_decompress.c \
  src/format/parquet/pq_compress.c
