/*
 * datagen.h: a TPC-DS data generator (`floe datagen tpcds`).
 *
 * Generates the 24 TPC-DS tables at a scale factor (fractional ones such as
 * 0.01 too) with the columns of the TPC-DS DDL, row counts following the
 * spec's scaling, referentially sound keys, sales/returns that agree, and
 * value domains shaped like dsdgen's (see src/datagen/README.md).
 *
 * Rows are generated in fixed-size blocks; every block draws from a
 * counter-based RNG seeded by (seed, table, block), so the output depends on
 * the seed only, never on the thread count. Blocks are generated in parallel
 * on a thread pool and handed to the sink strictly in order.
 *
 * The layer sits above src/format and src/base and is used by the CLI only.
 */
#ifndef DATAGEN_H
#define DATAGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/column.h"
#include "../base/error.h"

struct fl_pool;

enum {
    DG_CALL_CENTER, DG_CATALOG_PAGE, DG_CATALOG_RETURNS, DG_CATALOG_SALES, DG_CUSTOMER,
    DG_CUSTOMER_ADDRESS, DG_CUSTOMER_DEMOGRAPHICS, DG_DATE_DIM, DG_HOUSEHOLD_DEMOGRAPHICS,
    DG_INCOME_BAND, DG_INVENTORY, DG_ITEM, DG_PROMOTION, DG_REASON, DG_SHIP_MODE, DG_STORE,
    DG_STORE_RETURNS, DG_STORE_SALES, DG_TIME_DIM, DG_WAREHOUSE, DG_WEB_PAGE, DG_WEB_RETURNS,
    DG_WEB_SALES, DG_WEB_SITE,
    DG_N_TABLES
};

typedef enum dg_coltype { DG_INT, DG_STR, DG_DEC, DG_DATE } dg_coltype;

typedef struct dg_coldef {
    const char *name;
    dg_coltype type;
    int len_or_precision;   /* varchar length or decimal precision */
    int scale;              /* decimal scale */
    bool not_null;
} dg_coldef;

typedef struct dg_tabledef {
    const char *name;
    const dg_coldef *columns;
    int n_columns;
} dg_tabledef;

extern const dg_tabledef dg_tables[DG_N_TABLES];

/* The table's index, or -1 for an unknown name. */
int dg_table_lookup(const char *name);
/* The fl_type a column is generated as (INT32, STRING, DECIMAL(p,s), DATE). */
fl_type dg_column_type(const dg_coldef *col);

/* Row counts at a scale factor. For the sales tables this is the target of
 * the spec's scaling: the generated count is within a fraction of a percent
 * (orders have a random number of lines); returns are about 10% of sales. */
int64_t dg_row_count(int table, double scale);

/* Where generated blocks go. encode (optional) runs on worker threads, once
 * per block, and may append the block's bytes to `out` (a buffer owned by
 * the block's slot); block runs on the calling thread, for the blocks of
 * each table strictly in order, with the columns (dg_tables[table].n_columns
 * of `rows` rows, valid during the call) and what encode produced. */
typedef struct dg_sink {
    int (*encode)(void *ctx, int table, fl_column *const *cols, size_t rows, struct fl_buf *out);
    int (*block)(void *ctx, int table, fl_column *const *cols, size_t rows, const void *encoded,
                 size_t encoded_len, fl_error *err);
    void *ctx;
} dg_sink;

typedef struct dg_opts {
    double scale;                 /* > 0 */
    uint64_t seed;
    struct fl_pool *pool;         /* NULL: generate on the calling thread */
    /* Called after each batch of blocks with the rows done so far (in the
     * generator's units: rows, or orders for the sales tables); optional. */
    void (*progress)(void *ctx, int table, int64_t done, int64_t total);
    void *progress_ctx;
} dg_opts;

/* Generates `table` and hands its blocks to the sink. A sales table also
 * delivers its returns table's blocks when want_returns (each table's blocks
 * in order); for a returns table the sales are generated and discarded.
 * rows_out (optional, indexed by table) receives the rows delivered. */
int dg_generate(const dg_opts *opts, int table, bool want_returns, const dg_sink *sink,
                int64_t rows_out[DG_N_TABLES], fl_error *err);

/* Output formats of dg_write_tables. */
typedef enum dg_format { DG_FORMAT_DAT, DG_FORMAT_CSV, DG_FORMAT_PARQUET } dg_format;

/* Writes each selected table (want[t]) to <dir>/<table>.<dat|csv|parquet>;
 * the directory must exist. rows_out[t] receives each table's row count. */
int dg_write_tables(const dg_opts *opts, const bool want[DG_N_TABLES], dg_format format,
                    const char *dir, int64_t rows_out[DG_N_TABLES], fl_error *err);

/* The sales table of a returns table and vice versa; -1 for other tables. */
int dg_sales_of(int returns_table);
int dg_returns_of(int sales_table);

#endif
