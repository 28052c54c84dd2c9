/*
 * ice_table.h: a handle on one Iceberg table as a catalog sees it: the
 * catalog entry (namespace, name), the current metadata file's location and
 * the parsed metadata, plus table creation.
 *
 * ice_table_create builds a new format-v2 table (fresh table-uuid, location
 * <warehouse>/<ns levels>/<table>, the schema with fresh field ids assigned
 * the way Iceberg Java's TypeUtil.assignFreshIds does, the partition spec
 * and sort order remapped onto those ids, properties), writes
 * <location>/metadata/00000-<uuid>.metadata.json with IO_CREATE_EXCLUSIVE
 * and registers it in the catalog. ice_table_load reads what the catalog
 * points to; ice_table_refresh re-reads it (after a commit conflict).
 *
 * Table operations (appends, rollback, expiry) live in ice_txn.h; they
 * change the handle's metadata in place when they commit.
 *
 * Lifetimes: the catalog and the filesystem are borrowed and must outlive
 * the handle. Threads: a handle belongs to one thread at a time; for
 * concurrent writers open one handle (and one catalog handle) per thread.
 */
#ifndef ICE_TABLE_H
#define ICE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../catalog/catalog.h"
#include "../io/io.h"
#include "ice_metadata.h"

typedef struct ice_table {
    cat_catalog *catalog;         /* borrowed */
    io_fs *fs;                    /* borrowed */
    char *ns;
    char *name;
    char *metadata_location;      /* the catalog's current pointer */
    ice_metadata *md;             /* parsed metadata at metadata_location */
} ice_table;

typedef struct ice_table_create_opts {
    const ice_schema *schema;           /* field ids are reassigned (1..n) */
    const ice_partition_spec *spec;     /* NULL: unpartitioned; source ids of `schema` */
    const ice_sort_order *sort_order;   /* NULL: unsorted; source ids of `schema` */
    const ice_kv *properties;
    size_t property_count;
    const char *location;               /* NULL: <warehouse>/<ns levels>/<name> */
} ice_table_create_opts;

/* Creates the table (see above). warehouse is a path or URI prefix without
 * a trailing slash. FLOE_EEXISTS when the catalog already has the table;
 * then the metadata file just written is removed. */
int ice_table_create(ice_table **out, cat_catalog *catalog, io_fs *fs, const char *warehouse,
                     const char *ns, const char *name, const ice_table_create_opts *opts,
                     fl_error *err);
/* Loads the table the catalog names. FLOE_ENOTFOUND when absent. */
int ice_table_load(ice_table **out, cat_catalog *catalog, io_fs *fs, const char *ns,
                   const char *name, fl_error *err);
/* Re-reads the catalog pointer and, when it moved, the metadata. */
int ice_table_refresh(ice_table *t, fl_error *err);
void ice_table_free(ice_table *t);

/* Replaces the handle's state (takes ownership of location and md). */
void ice_table_set_state(ice_table *t, char *location, ice_metadata *md);

/* Milliseconds since the epoch (wall clock). */
int64_t ice_now_ms(void);
/* A new snapshot id: the two halves of a random UUID xor-ed, made
 * non-negative (Iceberg Java's SnapshotIdGeneratorUtil). */
int ice_new_snapshot_id(int64_t *out, fl_error *err);

#endif
