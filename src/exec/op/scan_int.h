/*
 * scan_int.h: what the table scan (scan.c: Iceberg and external tables)
 * and the table-function operator (table_fn.c: read_csv, read_parquet)
 * share, and the pieces the unit tests look into. Private to src/exec.
 *
 * Every scan reads `read_count` columns, its output columns (pushed-down
 * filters use only those: plan_node_outputs' bindings {table_index, i} for
 * the i-th column id). The filters (AND-ed into one expression, compiled
 * against the read columns' bindings) are applied
 * exactly to each batch before it is emitted; the emitted chunk's vectors
 * point into the thread's batch arena or the reader's own batch (valid
 * until its next get_data).
 */
#ifndef EX_SCAN_INT_H
#define EX_SCAN_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "../../func/table_files.h"
#include "../../iceberg/ice_expr.h"
#include "../../iceberg/ice_scan.h"
#include "../op.h"

/* Columns to read and the compiled exact filter of a scan. */
typedef struct ex_scan_cols {
    uint32_t *read_cols;        /* table (or file) column per read column */
    uint32_t read_count;
    uint32_t out_count;         /* the first out_count read columns are the output */
    fl_type *read_types;
    plan_binding *bindings;     /* per read column */
    ex_expr *filter;            /* NULL: none */
} ex_scan_cols;

/* Sets up cols from the node's output bindings, column ids and filters
 * (types: the table's column types, indexed by table column). */
int ex_scan_cols_init(ex_scan_cols *cols, const plan_node *node, const uint32_t *column_ids,
                      uint32_t column_count, plan_expr **filters, uint32_t filter_count,
                      const fl_type *table_types, uint32_t table_column_count, ex_ctx *ctx,
                      fl_error *err);

/* Per-thread filter state + batch arena. */
typedef struct ex_scan_local_base {
    fl_arena *batch;            /* reset per emitted batch */
    ex_expr_state *filter;
    fl_column **cols;           /* read_count */
    fl_dict_column **dicts;     /* read_count: where set, column i came as a dictionary
                                   (cols[i] unused); all NULL for readers without them */
    uint32_t *sel;
    ex_vector *vecs;            /* read_count: the filter's view of cols */
} ex_scan_local_base;

int ex_scan_local_base_init(ex_scan_local_base *l, const ex_scan_cols *cols, fl_arena *thread_arena,
                            fl_error *err);
/* Applies the filter to a batch of l->cols / l->dicts (rows rows) and
 * points out's vectors at the surviving rows of the output columns
 * (dictionary columns become dictionary vectors, see vector.h); *emitted =
 * rows left (0: read the next batch). */
int ex_scan_emit(ex_scan_local_base *l, const ex_scan_cols *cols, size_t rows, ex_chunk *out,
                 size_t *emitted, fl_error *err);

/* ---- Iceberg ---- */

/* Converts the pushed-down filters into an Iceberg expression for pruning
 * (partition values, manifests, column metrics, row groups): comparisons
 * of a column with a constant, IN lists, IS [NOT] NULL, AND/OR/NOT. Parts
 * that cannot be converted are dropped from ANDs (the result may then be
 * weaker than the filters, never stronger); *out is NULL when nothing
 * converts. */
int ex_scan_ice_filter(const ice_expr **out, plan_expr *const *filters, uint32_t filter_count,
                       const plan_table_source *src, uint32_t table_index,
                       const plan_binding *bindings, const uint32_t *read_cols,
                       uint32_t read_count, const ice_schema *schema, fl_arena *arena,
                       fl_error *err);

/* A unit of work of the Iceberg scan: a data file (first_row 0, end_row
 * 0), or rows [first_row, end_row) of a big one (end_row 0: to the end). */
typedef struct ex_ice_morsel {
    size_t task;
    int64_t first_row, end_row;
} ex_ice_morsel;

/* Files cut into several morsels keep their opened footer here, shared by
 * the threads reading their morsels (opened on first use, under lock;
 * closed when the last of its morsels is done, or with the query). */
typedef struct ex_ice_open_file {
    struct io_reader *src;
    struct pq_file *pq;
    atomic_size_t morsels_left;
} ex_ice_open_file;

/* When a plan has fewer tasks than EX_ICE_MORSELS_PER_THREAD per thread,
 * tasks of at least 2 * EX_ICE_MORSEL_MIN_ROWS rows (record_count from the
 * manifest) are cut into morsels of at least EX_ICE_MORSEL_MIN_ROWS rows,
 * about EX_ICE_MORSELS_PER_THREAD per thread, anywhere in the file (the
 * footer is opened once and shared by the morsels' readers). Cutting inside
 * a row group pays off because the Parquet reader skips pages before a
 * morsel by their headers and decodes only the rows inside it, and pages
 * are small (floe writes at most 20,000 rows a page, as parquet-java does):
 * with two threads TPC-DS q85 went from 0.205 to 0.093 s and the bench
 * total from 0.61 to 0.43 s. Files with ~1 MiB pages (one page per column
 * for a 719k-row chunk) cost more CPU when cut, since each morsel
 * decompresses the pages it touches whole. */
#define EX_ICE_MORSEL_MIN_ROWS 65536
#define EX_ICE_MORSELS_PER_THREAD 2
#define EX_ICE_CUT_INSIDE_ROW_GROUPS 1

/* The Iceberg scan asks the reader for dictionary-encoded string columns as
 * dictionaries (ice_reader_next_dict) and emits them as dictionary
 * vectors: filters and projections over them then run once per distinct
 * string (ex_expr_dict.c) and strings no filter keeps are never gathered.
 * 0 reads every column flat (for measuring the difference:
 * make EXTRA_CFLAGS=-DEX_ICE_DICTIONARIES=0). */
#ifndef EX_ICE_DICTIONARIES
#define EX_ICE_DICTIONARIES 1
#endif

typedef struct ex_ice_scan_global {
    struct io_fs *fs;
    struct ice_table *table;
    ice_scan_plan *plan;
    const ice_expr *ice_filter;
    int32_t *field_ids;          /* per read column */
    ex_ice_morsel *morsels;
    size_t morsel_count;
    ex_ice_open_file *files;     /* per task; used for tasks cut into several morsels */
    pthread_mutex_t files_lock;
    bool files_lock_init;
    atomic_size_t next_task;     /* next morsel */
    atomic_llong rows_read;      /* rows returned by the Iceberg reader (after deletes) */
    atomic_int row_groups_skipped;
} ex_ice_scan_global;

/* Cuts the plan's tasks into morsels for `threads` threads (see
 * EX_ICE_MORSEL_MIN_ROWS); g->plan must be set, and g->fs and files_lock
 * to read footers (g->fs NULL: cut by row counts alone, for tests). */
int ex_ice_scan_morsels(ex_ice_scan_global *g, int threads, fl_arena *arena, fl_error *err);

/* ---- raw files (external tables, table functions) ---- */

typedef struct ex_file_scan_global {
    const fn_file_scan *scan;
    atomic_size_t next_morsel;
} ex_file_scan_global;

typedef struct ex_file_scan_cfg {
    const fn_file_scan *scan;    /* NULL for EXTERNAL until source_global resolves the files */
    const plan_table_source *src;/* EXTERNAL */
    ex_scan_cols cols;
} ex_file_scan_cfg;

int ex_file_scan_global_new(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err);
int ex_file_scan_local_new(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                           void **lstate, fl_error *err);
int ex_file_scan_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                          ex_source_result *res, fl_error *err);

#endif
