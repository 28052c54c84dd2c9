/*
 * ice_scan.h: scan planning (spec "Scan Planning"): from table metadata, a
 * snapshot (current, by id, as of a time, or by branch/tag) and a filter,
 * the data files to read, each with the delete files that apply to it.
 *
 * Planning reads the snapshot's manifest list, prunes manifests whose
 * partition field summaries cannot match the filter (projected through the
 * manifest's own spec), then streams each remaining manifest entry by entry
 * (only live ADDED / EXISTING entries count) and keeps:
 *   data files      whose partition values (inclusive projection) and
 *                   column metrics (InclusiveMetricsEvaluator rules) might
 *                   match the filter (in a table with a name mapping,
 *                   only metrics of fields the mapping still names: files
 *                   without field ids are read through the mapping as it
 *                   is now, and may then miss a column their metrics
 *                   describe);
 *   delete files    all live ones (they are matched to data files below).
 * Memory is bounded by the surviving entries, not by manifest sizes.
 * Manifests are read in parallel on an fl_pool when one is given.
 *
 * Delete files are attached to data files by the spec's scope rules:
 *   deletion vector   referenced_data_file == the data file's path, data
 *                     sequence number of the data file <= the DV's, same
 *                     partition; when one applies, position delete files
 *                     are not attached;
 *   position deletes  same partition (spec id and values), data sequence
 *                     number <=, and referenced_data_file (when set) equal
 *                     to the data file's path;
 *   equality deletes  data sequence number strictly <, and the same
 *                     partition or an unpartitioned delete spec (global).
 *
 * All paths are as written in the manifests; the io_fs given to planning
 * (and to ice_read) does any location remapping (see ice_read.h).
 */
#ifndef ICE_SCAN_H
#define ICE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../base/threads.h"
#include "../io/io.h"
#include "ice_expr.h"
#include "ice_manifest.h"
#include "ice_metadata.h"

/* A delete file and its data sequence number. */
typedef struct ice_scan_delete {
    ice_data_file file;
    int64_t data_sequence_number;
} ice_scan_delete;

/* One data file to read. */
typedef struct ice_scan_task {
    ice_data_file file;
    int64_t data_sequence_number;
    const ice_partition_spec *spec;    /* NULL when the spec id is unknown to the metadata */
    const ice_scan_delete **deletes;   /* position deletes, equality deletes and DVs */
    size_t delete_count;
} ice_scan_task;

typedef enum ice_scan_at {
    ICE_SCAN_CURRENT = 0,              /* the current snapshot */
    ICE_SCAN_SNAPSHOT_ID,
    ICE_SCAN_AS_OF_TIME,               /* the snapshot current at as_of_ms (snapshot log) */
    ICE_SCAN_REF,                      /* a branch or tag */
} ice_scan_at;

typedef struct ice_scan_opts {
    ice_scan_at at;
    int64_t snapshot_id;               /* ICE_SCAN_SNAPSHOT_ID */
    int64_t as_of_ms;                  /* ICE_SCAN_AS_OF_TIME */
    const char *ref;                   /* ICE_SCAN_REF */
    const ice_expr *filter;            /* bound to the scan schema; NULL = all rows */
    fl_pool *pool;                     /* NULL = read manifests on the calling thread */
} ice_scan_opts;

typedef struct ice_scan_plan {
    fl_arena *arena;                   /* owns everything below */
    const ice_metadata *md;            /* borrowed */
    const ice_snapshot *snapshot;      /* NULL: the table has no snapshot (empty scan) */
    const ice_schema *schema;          /* the schema rows are read with:
                                          ice_scan_read_schema(md, opts, snapshot) */
    const ice_expr *filter;            /* NOT-free form of opts->filter, or NULL */
    ice_scan_task *tasks;
    size_t task_count;
    ice_scan_delete *deletes;          /* every live delete file */
    size_t delete_count;
    /* counters */
    size_t manifests_total, manifests_skipped;
    size_t data_files_total, data_files_skipped;
} ice_scan_plan;

/* The snapshot opts selects; *out is NULL for a table without snapshots
 * (ICE_SCAN_CURRENT only). FLOE_ENOTFOUND with a message otherwise. */
int ice_scan_snapshot(const ice_snapshot **out, const ice_metadata *md, const ice_scan_opts *opts,
                      fl_error *err);
/* A snapshot's own schema: its schema id if it has one, else the current
 * schema. */
const ice_schema *ice_scan_schema(const ice_metadata *md, const ice_snapshot *snapshot);
/* The schema a scan with opts (NULL: current) reads snapshot with, as
 * Iceberg Java's SnapshotUtil.schemaFor: the table's current schema for the
 * current snapshot and for branches, the snapshot's own (ice_scan_schema)
 * for time travel by snapshot id, by timestamp and by tag. */
const ice_schema *ice_scan_read_schema(const ice_metadata *md, const ice_scan_opts *opts,
                                       const ice_snapshot *snapshot);

/* Plans a scan. md and fs are borrowed (md must outlive the plan).
 * opts may be NULL (current snapshot, no filter). */
int ice_scan_plan_new(ice_scan_plan **out, io_fs *fs, const ice_metadata *md,
                      const ice_scan_opts *opts, fl_error *err);
void ice_scan_plan_free(ice_scan_plan *plan);

/* Sum of the tasks' record counts (before deletes). */
int64_t ice_scan_plan_record_count(const ice_scan_plan *plan);

/* Whether two partition tuples are equal (spec id and values; floats by
 * bits with NaN normalised). */
bool ice_partition_equal(const ice_data_file *a, const ice_data_file *b);

#endif
