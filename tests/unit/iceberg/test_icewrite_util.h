/*
 * test_icewrite_util.h: helpers for the writer and table-operation tests of
 * engineer "icewrite": a table (id long, cat string, d date, ts timestamptz)
 * with a partition spec given as JSON fields, rows generated from ids
 * (cat "c<id % 5>", d 19000 + id % 800 days, ts id * 3600.007 s - 400 days),
 * writing them through ice_writer, and reading a table's ids back sorted.
 */
#ifndef TEST_ICEWRITE_UTIL_H
#define TEST_ICEWRITE_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../../src/iceberg/ice_writer.h"
#include "test_txn_util.h"

/* Creates db.<name>; spec_fields is a JSON array of partition fields on the
 * source ids 1..4 (NULL or "[]": unpartitioned). */
bool iw_create(tt_env *e, const char *name, const char *spec_fields, const ice_kv *props,
               size_t prop_count, ice_table **out);
/* Columns of ids[0..n) in arena (4 columns as above). */
bool iw_columns(fl_column *cols[4], const int64_t *ids, size_t n, fl_arena *arena);
/* The value generators. */
int32_t iw_day(int64_t id);
int64_t iw_ts(int64_t id);
/* Writes ids start..start+n-1 through a new ice_writer (opts may be NULL);
 * the files are copied into arena. */
bool iw_write(ice_table *t, const ice_writer_options *opts, int64_t start, int64_t n,
              ice_data_file **files, size_t *file_count, fl_arena *arena);
/* Same for the given ids. */
bool iw_write_ids(ice_table *t, const ice_writer_options *opts, const int64_t *ids, size_t n,
                  ice_data_file **files, size_t *file_count, fl_arena *arena);
/* iw_write then ice_txn_append; files/file_count may be NULL. */
bool iw_append(ice_table *t, int64_t start, int64_t n, ice_data_file **files, size_t *file_count,
               fl_arena *arena);
/* The current snapshot's ids are exactly the ids in [lo, hi) that want()
 * accepts. */
bool iw_check_ids(ice_table *t, bool (*want)(int64_t id), int64_t lo, int64_t hi);
/* The ids of the current snapshot (or snapshot_id >= 0), sorted, in a
 * fl_malloc'd array the caller frees. filter may be NULL. */
bool iw_ids(ice_table *t, int64_t snapshot_id, const char *filter, int64_t **ids, size_t *n);
/* Compares sorted id arrays. */
bool iw_ids_equal(const int64_t *got, size_t got_n, const int64_t *want, size_t want_n);
/* The snapshot's summary value or -1 (current snapshot). */
int64_t iw_summary(const ice_table *t, const char *key);
const char *iw_operation(const ice_table *t);

#endif
