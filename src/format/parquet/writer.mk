# src/format/parquet: the Parquet writer (owner pqwrite): schema layout and
# row groups, shredding to levels, dictionaries, pages and chunks, statistics.
LIB_SRC += \
  src/format/parquet/pq_writer.c \
  src/format/parquet/pq_shred.c \
  src/format/parquet/pq_dict.c \
  src/format/parquet/pq_chunk_write.c \
  src/format/parquet/pq_stats_write.c
