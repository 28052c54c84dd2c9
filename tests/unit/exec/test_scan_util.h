/*
 * test_scan_util.h: helpers for the scan, table-function, sort-operator,
 * COPY and INSERT tests of engineer "scan": an execution context over a
 * temporary warehouse and SQLite catalog, running a source operator on N
 * threads (its own little pipeline driver) into a row buffer, feeding
 * chunks into a sink operator, and building plan expressions.
 */
#ifndef TEST_SCAN_UTIL_H
#define TEST_SCAN_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../../src/exec/op.h"
#include "../../../src/exec/sort.h"
#include "../../../src/iceberg/ice_evolve.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../iceberg/test_txn_util.h"

typedef struct ts_env {
    tt_env tt;
    fl_arena *arena;
    ex_ctx ctx;
    fl_pool *pool;
} ts_env;

bool ts_env_open(ts_env *e, int threads);
void ts_env_close(ts_env *e);

/* Runs source op on `threads` threads (global, locals, get_data until
 * done), appending every row to buf (initialized here with op's types in
 * e->arena). On error returns the status and fills err. */
int ts_run_source(ts_env *e, ex_op *op, int threads, ex_rowbuf *buf, fl_error *err);
/* Runs a source op on `threads` threads, only counting its rows. */
int ts_count_source(ts_env *e, ex_op *op, int threads, int64_t *rows, fl_error *err);
/* Pushes the rows of buf (as chunks of `chunk_rows`) into sink op on
 * `threads` threads, combines and finalizes. */
int ts_run_sink(ts_env *e, ex_op *op, const ex_rowbuf *buf, size_t chunk_rows, int threads,
                fl_error *err);

/* A source op emitting the rows of a row buffer (a stand-in child for sink
 * tests; its node is a PLAN_VALUES node with table_index ti). */
ex_op *ts_buffer_op(ts_env *e, const ex_rowbuf *buf, uint32_t ti);

/* Plan expressions (arena e->arena). */
plan_expr *ts_col(ts_env *e, uint32_t table, uint32_t column, fl_type t);
plan_expr *ts_i64(ts_env *e, int64_t v);
plan_expr *ts_cmp(ts_env *e, const char *op, plan_expr *l, plan_expr *r);

/* The Iceberg source of table db.<name> with columns id bigint, cat varchar,
 * d date, ts timestamptz (field ids 1-4), and a PLAN_GET of it (table index
 * 7) reading columns cols[0..n) with pushed filters[0..nf). */
plan_table_source *ts_iceberg_source(ts_env *e, const char *name);
/* Loads table db.<table> and plans a scan of its current snapshot (no
 * filter); false (reported) when either fails. Free both. */
bool ts_current_plan(ts_env *e, const char *table, ice_table **t, ice_scan_plan **plan);
/* Replaces the sort order of table db.<table> (Iceberg API). */
bool ts_set_sort_order(ts_env *e, const char *table, const ice_sort_term *terms, size_t n);
plan_node *ts_get_node(ts_env *e, plan_table_source *src, const uint32_t *cols, uint32_t n,
                       plan_expr **filters, uint32_t nf);

/* Sum of an INT64/INT32 column of buf (NULLs skipped). */
int64_t ts_sum(const ex_rowbuf *buf, uint32_t col);

#endif
