/*
 * pq_reader.h: reading Parquet files into columns.
 *
 * pq_file_open reads the footer through an io_reader (two range reads: the
 * 8-byte tail, then the footer) and builds the schema. A pq_scan then decodes
 * chosen top-level columns of chosen row groups into fl_column batches,
 * fetching only those column chunks. Row groups whose statistics prove a
 * predicate false are skipped.
 *
 * Threads: a pq_file is read-only after open and CAN be shared by several
 * scans on different threads (e.g. one scan per row group). A pq_scan is
 * used by one thread at a time.
 */
#ifndef PQ_READER_H
#define PQ_READER_H

#include "pq_schema.h"
#include "../../base/column.h"
#include "../../io/io.h"

typedef struct pq_file pq_file;

/* Opens a file over src; src is borrowed and must outlive the pq_file. */
int pq_file_open(pq_file **out, io_reader *src, fl_error *err);
/* Opens a local file; the pq_file owns its reader. */
int pq_file_open_path(pq_file **out, const char *path, fl_error *err);
void pq_file_free(pq_file *file);

const pq_file_meta *pq_file_metadata(const pq_file *file);
const pq_field *pq_file_schema(const pq_file *file);   /* root STRUCT */
int64_t pq_file_num_rows(const pq_file *file);
int pq_file_num_row_groups(const pq_file *file);
/* Index of the top-level column named `name`, or -1. */
int pq_file_column_index(const pq_file *file, const char *name);

typedef enum pq_pred_op {
    PQ_PRED_EQ, PQ_PRED_LT, PQ_PRED_LE, PQ_PRED_GT, PQ_PRED_GE,
    PQ_PRED_IS_NULL, PQ_PRED_NOT_NULL
} pq_pred_op;

/* `column op value` on a top-level primitive column; value has the column's type. */
typedef struct pq_predicate {
    int column;
    int op;          /* pq_pred_op */
    fl_value value;
} pq_predicate;

/* Decoded statistics of one column chunk (top-level primitive column). */
typedef struct pq_chunk_stats {
    fl_value min, max;           /* is_null when absent or unusable */
    int64_t null_count;          /* -1 when absent */
} pq_chunk_stats;

/* Decodes a chunk's statistics into values of the column's type, honouring
 * sort order rules (ignores the deprecated min/max where they are unreliable). */
int pq_chunk_stats_get(const pq_file *file, int row_group, int column, pq_chunk_stats *out,
                       fl_arena *arena, fl_error *err);
/* false only when the statistics prove that no row of the group can satisfy
 * every predicate (they are AND-ed). */
bool pq_row_group_may_match(const pq_file *file, int row_group, const pq_predicate *preds,
                            int n_preds);

typedef struct pq_scan_opts {
    const int *columns;          /* top-level column indexes, output order; NULL = all */
    int n_columns;
    const pq_predicate *preds;   /* AND-ed, for row-group skipping */
    int n_preds;
    int row_group_begin;         /* scan row groups [begin, end); end 0 = to the last */
    int row_group_end;
    size_t batch_rows;           /* rows per batch; 0 = 2048 */
    bool verify_crc;             /* check page CRCs when present */
    size_t max_page_bytes;       /* refuse larger (decompressed) pages with FLOE_ELIMIT;
                                    0 = 3 GiB (added by the reader: fuzzing needs a bound) */
    /* Row range: only rows [first_row, end_row) of the file are returned,
     * numbered from the file's first row across all row groups (not only
     * the scanned ones); end_row 0 = to the end. Row groups wholly outside
     * are not read and pages wholly outside are skipped by their headers
     * without being decompressed, so several scans of one file can split
     * a single row group between threads. Combined with row_group_* and
     * predicates: a row must pass all of them. */
    int64_t first_row;
    int64_t end_row;
    /* pq_scan_next_dict may return dictionary-encoded string columns as
     * dictionaries + indices (see there); pq_scan_next ignores it. */
    bool keep_dictionaries;
} pq_scan_opts;

typedef struct pq_scan pq_scan;

int pq_scan_new(pq_scan **out, pq_file *file, const pq_scan_opts *opts, fl_error *err);
/*
 * Decodes the next batch: cols[i] receives the i-th requested column with
 * *rows rows, allocated in arena; *rows == 0 at the end. String values may
 * point into the scan's page buffers: they stay valid until the next call to
 * pq_scan_next or pq_scan_free (copy them to keep them longer).
 */
int pq_scan_next(pq_scan *scan, fl_arena *arena, fl_column **cols, size_t *rows, fl_error *err);
/*
 * As pq_scan_next, but with opts.keep_dictionaries a column that is a
 * top-level flat BYTE_ARRAY column read as STRING or BINARY, and whose rows
 * in this batch all come from dictionary-encoded pages (or are NULL), is
 * returned as a dictionary: dicts[i] is set and cols[i] is NULL, and the
 * strings are not gathered. Otherwise dicts[i] is NULL and cols[i] is the
 * usual flat column (a batch meeting a page whose writer fell back to PLAIN
 * comes back flat). dicts has one slot per requested column.
 *
 * dicts[i] itself and its idx[len] are allocated in arena (idx[j] <
 * values->len). values holds the column chunk's dictionary entries in
 * dictionary order (values->len = dict_count) plus, when the column is
 * optional (max_def > 0), one NULL entry at index dict_count that NULL rows
 * point at; values and its strings live in the scan's chunk buffers. Per
 * column chunk (one row group of one column) values is built once, on its
 * first dictionary batch, with a fresh id (fl_dict_next_id); every later
 * dictionary batch of the chunk carries the same values pointer and id.
 * values (and its strings) stays valid while batches of its chunk keep
 * coming and until the start of the pq_scan_next_dict call after the one
 * that returns the first batch of another row group -- so at least until
 * the next call after the last batch decoded against it, like the strings
 * of flat columns -- or until pq_scan_free. It must not be modified.
 */
int pq_scan_next_dict(pq_scan *scan, fl_arena *arena, fl_column **cols, fl_dict_column **dicts,
                      size_t *rows, fl_error *err);
/* Row groups skipped by predicates so far. */
int pq_scan_skipped_row_groups(const pq_scan *scan);
void pq_scan_free(pq_scan *scan);

#endif
