/*
 * pq_writer.h: writing Parquet files from columns.
 *
 * The schema is a pq_field tree (names, fl_types, nullability, field ids;
 * every column gets its field_id). Batches of columns are buffered into row
 * groups sized in (uncompressed) bytes; each column chunk is written with a
 * dictionary page when the dictionary stays under its size limit (else it
 * falls back to PLAIN), RLE definition/repetition levels, data pages sized in
 * bytes, min/max/null_count statistics, and the chosen codec. With a thread
 * pool the column chunks of a row group are encoded in parallel.
 *
 * Mapping of fl_types to Parquet: BOOL→BOOLEAN; INT8/16/32→INT32 with
 * INTEGER(8/16/32,signed); INT64→INT64; FLOAT/DOUBLE; DECIMAL p<=9→INT32,
 * p<=18→INT64, else FIXED_LEN_BYTE_ARRAY (minimal bytes) with DECIMAL;
 * DATE→INT32 DATE; TIME→INT64 TIME(MICROS); TIMESTAMP(TZ)→INT64
 * TIMESTAMP(MICROS, adjusted=false/true); _NS variants with NANOS;
 * STRING→BYTE_ARRAY STRING; BINARY→BYTE_ARRAY; FIXED(L)→FLBA(L);
 * UUID→FLBA(16) UUID; STRUCT→group; LIST→3-level LIST; MAP→MAP key_value.
 *
 * Threads: one writer is driven by one thread; it uses the pool internally.
 */
#ifndef PQ_WRITER_H
#define PQ_WRITER_H

#include "pq_schema.h"
#include "../../base/column.h"
#include "../../io/io.h"

struct fl_pool;

#define PQ_DEFAULT_PAGE_ROWS 20000

typedef struct pq_writer_opts {
    int codec;                  /* pq_codec; default ZSTD */
    int level;                  /* codec level, 0 = codec default */
    size_t row_group_bytes;     /* 0 = 128 MiB */
    size_t page_bytes;          /* 0 = 1 MiB */
    size_t dict_page_bytes;     /* 0 = 1 MiB; larger dictionaries fall back to PLAIN */
    bool no_dictionary;
    int page_version;           /* 1 (default) or 2 */
    const pq_kv *kv;            /* extra key-value metadata (copied) */
    int n_kv;
    struct fl_pool *pool;       /* optional: encode column chunks in parallel */
    bool page_crc;              /* write a CRC-32 in every page header */
    size_t page_rows;           /* rows per data page at most; 0 = 20,000 (parquet-java's
                                   page row count limit): small pages let readers skip
                                   and split a row group by row ranges */
} pq_writer_opts;

void pq_writer_opts_init(pq_writer_opts *opts);

typedef struct pq_writer pq_writer;

/* dst is borrowed: the writer writes to it but never closes it. The schema
 * root must be a STRUCT; it is copied. */
int pq_writer_new(pq_writer **out, io_writer *dst, const pq_field *root,
                  const pq_writer_opts *opts, fl_error *err);
/* Appends rows: cols[i] is the i-th top-level field, each with `rows` rows.
 * A batch that does not match the schema (types, lengths, offsets) is
 * refused untouched; a value that cannot be stored (a NULL in a required
 * field, a decimal beyond its precision, a FIXED/UUID of the wrong length)
 * fails the writer: every later call fails too. */
int pq_writer_write(pq_writer *w, fl_column *const *cols, size_t rows, fl_error *err);
/* Flushes the last row group and writes the footer. */
int pq_writer_close(pq_writer *w, fl_error *err);
/* The footer as written (valid after a successful close, until free). */
const pq_file_meta *pq_writer_metadata(const pq_writer *w);
void pq_writer_free(pq_writer *w);

/* "floe version X" as written to created_by */
const char *pq_created_by(void);

#endif
