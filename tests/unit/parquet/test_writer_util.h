/*
 * test_writer_util.h: helpers shared by the Parquet writer tests: schema
 * builders, deterministic column generators, write-to-memory, read-back
 * through the reader with value-by-value comparison, and footer access.
 */
#ifndef TEST_WRITER_UTIL_H
#define TEST_WRITER_UTIL_H

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/column.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"

pq_field tw_leaf(const char *name, fl_type type, bool nullable, int32_t field_id);
pq_field tw_group(const char *name, fl_type_id kind, bool nullable, int32_t field_id,
                  pq_field *children, uint32_t n_children);

uint64_t tw_rand(uint64_t *state);

/*
 * A primitive column of `rows` rows: every null_every-th row NULL (0 = none),
 * values drawn from `cardinality` distinct ones (0 = mostly distinct).
 */
fl_column *tw_gen(fl_arena *arena, fl_type type, size_t rows, int null_every, int cardinality,
                  uint64_t seed);

/* A column for any field (nested too): random list lengths 0..max_len,
 * NULLs in nullable fields about every null_every-th value (0 = none). */
fl_column *tw_gen_field(fl_arena *arena, const pq_field *f, size_t rows, int null_every,
                        int max_len, uint64_t seed);

/* A view of rows [off, off + n) of a column; off must be a multiple of 8. */
fl_column *tw_slice(fl_arena *arena, const fl_column *col, size_t off, size_t n);

/* Writes the columns to out with pq_writer, `batch` rows per write call
 * (0 = one call; batch must be a multiple of 8). */
int tw_write(fl_buf *out, const pq_field *root, fl_column **cols, size_t rows, size_t batch,
             const pq_writer_opts *opts, fl_error *err);

/* Reads the file back with pq_scan and CHECKs every value against expected.
 * Returns the number of rows read. */
size_t tw_check_roundtrip(const fl_buf *file, fl_column **expected, int n_cols, size_t rows);

/* Compares one row of two columns (recursively for nested types). */
bool tw_value_eq(const fl_column *e, size_t er, const fl_column *g, size_t gr);

/* Decodes the footer of a file in memory (NULL on failure). */
pq_file_meta *tw_footer(const fl_buf *file, fl_arena *arena);

/* The chunk's page headers: counts pages of each type, checks their CRCs
 * when present. Returns the number of data pages, -1 on error. */
int tw_count_pages(const fl_buf *file, const pq_column_chunk *cc, int *dict_pages,
                   int *v2_pages, int *crc_pages, fl_arena *arena);

#endif
