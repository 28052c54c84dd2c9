# src/format/parquet: value and level encodings (pq_encoding.h), owner pqenc.
LIB_SRC += \
  src/format/parquet/pq_bitpack.c \
  src/format/parquet/pq_delta.c \
  src/format/parquet/pq_plain.c \
  src/format/parquet/pq_rle.c
