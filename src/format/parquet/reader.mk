# src/format/parquet: the Parquet reader (owner pqread): schema tree, pages,
# level assembly, statistics, scans. See src/format/parquet/README.md.
LIB_SRC += \
  src/format/parquet/pq_schema.c \
  src/format/parquet/pq_page_read.c \
  src/format/parquet/pq_assemble.c \
  src/format/parquet/pq_stats.c \
  src/format/parquet/pq_reader.c
