/*
 * test_txn_util.h: helpers shared by the table-operation tests: a fresh
 * SQLite catalog and warehouse in ft_tmpdir(), a two-column table
 * (id long, v long), Parquet data files of consecutive ids with metrics,
 * reading a snapshot back (row count and id sum), listing the files under a
 * directory, and a catalog double that forwards to a real catalog but lies
 * about commits (FLOE_EUNKNOWN after the swap, or FLOE_ECONFLICT always).
 */
#ifndef TEST_TXN_UTIL_H
#define TEST_TXN_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "../../../src/catalog/catalog.h"
#include "../../../src/iceberg/ice_table.h"
#include "../../../src/iceberg/ice_txn.h"

typedef struct tt_env {
    char dir[512];            /* warehouse */
    char catalog_uri[600];
    cat_catalog *catalog;
    io_fs *fs;
} tt_env;

bool tt_env_open(tt_env *e);
void tt_env_close(tt_env *e);
/* Creates db.<name> with the (id long, v long) schema and extra properties
 * (key, value pairs; count may be 0). */
bool tt_create(tt_env *e, const char *name, const ice_kv *props, size_t prop_count,
               ice_table **out);
/* Writes <table location>/data/<tag>.parquet with ids start..start+n-1 and
 * v = 2 * id, and fills *out (arena) for an append. */
bool tt_data_file(ice_table *t, io_fs *fs, const char *tag, int64_t start, int64_t n,
                  ice_data_file *out, fl_arena *arena);
/* Rows and sum of ids of snapshot_id (-1: current); false on error. */
bool tt_read(ice_table *t, int64_t snapshot_id, int64_t *rows, int64_t *id_sum);
/* Files under dir (recursively), sorted. */
bool tt_list(const char *dir, cat_list *out);
/* A summary value as a number, or -1. */
int64_t tt_summary(const ice_snapshot *s, const char *key);

enum { TT_LIE_NONE = 0, TT_LIE_UNKNOWN_AFTER_SWAP, TT_LIE_ALWAYS_CONFLICT };
/* A catalog forwarding to inner (borrowed), with commit behaviour `mode`. */
cat_catalog *tt_lying_catalog_new(cat_catalog *inner, int mode);

#endif
