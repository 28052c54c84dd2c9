/*
 * ice_evolve.h: table operations that change a table's metadata rather
 * than its data: branches and tags (txn_refs.c), cherry-picking a snapshot
 * onto main (txn_refs.c), schema evolution (txn_schema.c), partition spec
 * evolution (txn_partition.c), the sort order (txn_sort.c) and table
 * properties (txn_properties.c).
 * Each one goes through the commit protocol of ice_txn.h (ice_commit_run):
 * on FLOE_ECONFLICT the change is re-validated and re-applied on the
 * refreshed table, so a rule that held on the old base (a column exists, a
 * branch does not) is checked again.
 *
 * The rules and messages follow Iceberg Java (UpdateSnapshotReferences /
 * ManageSnapshots, CherryPickOperation, SchemaUpdate, BaseUpdatePartitionSpec,
 * PropertiesUpdate) in PostgreSQL's lowercase style. Invalid requests fail
 * with FLOE_EINVAL (FLOE_ENOTFOUND for a missing snapshot, ref, column or
 * partition field) before anything is written.
 */
#ifndef ICE_EVOLVE_H
#define ICE_EVOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "ice_schema.h"
#include "ice_table.h"
#include "ice_transform.h"
#include "ice_txn.h"

/* ---- branches and tags (txn_refs.c) ---- */

#define ICE_REF_CURRENT (-1)

/* A ref's target and retention (spec "Snapshot References"). Retention
 * values are positive; 0 means "not set" (on replace: keep the ref's own
 * setting). min_snapshots_to_keep and max_snapshot_age_ms are for branches
 * only (FLOE_EINVAL on a tag, as Java's "Tags do not support setting
 * minSnapshotsToKeep"). */
typedef struct ice_ref_opts {
    int64_t snapshot_id;              /* ICE_REF_CURRENT: the current snapshot */
    int32_t min_snapshots_to_keep;
    int64_t max_snapshot_age_ms;
    int64_t max_ref_age_ms;
} ice_ref_opts;

/* Creates a branch (is_tag false) or tag named `name` at opts->snapshot_id.
 * FLOE_EEXISTS when a ref of that name exists; FLOE_ENOTFOUND for an
 * unknown snapshot; FLOE_EINVAL when the table has no current snapshot and
 * none is given. opts NULL: the current snapshot, no retention. */
int ice_txn_ref_create(ice_table *t, const char *name, bool is_tag, const ice_ref_opts *opts,
                       ice_commit_stats *stats, fl_error *err);
/* Points an existing branch or tag at another snapshot, keeping its
 * retention settings unless opts sets them. Replacing "main" makes the
 * snapshot current (with a snapshot-log entry), as Java does.
 * FLOE_ENOTFOUND when the ref does not exist; FLOE_EINVAL when it is of the
 * other kind. */
int ice_txn_ref_replace(ice_table *t, const char *name, bool is_tag, const ice_ref_opts *opts,
                        ice_commit_stats *stats, fl_error *err);
/* Removes a branch or tag; "main" cannot be removed (FLOE_EINVAL). */
int ice_txn_ref_remove(ice_table *t, const char *name, bool is_tag, ice_commit_stats *stats,
                       fl_error *err);
/* Moves branch `branch` to the snapshot of ref `to`, which must descend from
 * the branch's snapshot ("cannot fast-forward ...: not an ancestor");
 * fast-forwarding "main" makes the snapshot current. */
int ice_txn_branch_fast_forward(ice_table *t, const char *branch, const char *to,
                                ice_commit_stats *stats, fl_error *err);
/* Cherry-picks a snapshot onto main (Java's CherryPickOperation):
 *   - when its parent is the current snapshot (or it has none and the
 *     table has no current snapshot), main fast-forwards to it;
 *   - else, an "append" snapshot is re-applied: its added data files become
 *     a new snapshot on top of the current one, with source-snapshot-id
 *     (the picked id) in the summary;
 *   - anything else is FLOE_EINVAL ("not append, dynamic overwrite, or
 *     fast-forward"); so is picking an ancestor of the current snapshot or a
 *     snapshot an ancestor was already picked from.
 * stats->snapshot_id is the new current snapshot. */
int ice_txn_cherry_pick(ice_table *t, int64_t snapshot_id, ice_commit_stats *stats,
                        fl_error *err);

/* ---- schema evolution (txn_schema.c) ---- */

typedef enum ice_schema_op {
    ICE_SCHEMA_ADD_COLUMN,      /* name (+ parent), type, required, default_json, doc */
    ICE_SCHEMA_DROP_COLUMN,     /* column */
    ICE_SCHEMA_RENAME_COLUMN,   /* column, new_name */
    ICE_SCHEMA_WIDEN,           /* column, type: int->long, float->double, decimal(P,S)->decimal(P2,S), P2>P */
    ICE_SCHEMA_MAKE_OPTIONAL,   /* column */
    ICE_SCHEMA_SET_DOC,         /* column, doc (NULL removes it) */
    ICE_SCHEMA_MOVE_FIRST,      /* column */
    ICE_SCHEMA_MOVE_BEFORE,     /* column, other */
    ICE_SCHEMA_MOVE_AFTER,      /* column, other */
} ice_schema_op;

/* One change. Column names are dotted full names as ice_schema_find_name
 * takes them ("point.x"), matched case-sensitively. */
typedef struct ice_schema_change {
    ice_schema_op op;
    const char *column;         /* the column changed (ADD: the new field's name, dots allowed) */
    const char *parent;         /* ADD: the struct to add to (a struct, or a list/map of
                                   structs); NULL: top level */
    const char *new_name;       /* RENAME */
    const char *type;           /* ADD: a primitive type string ("long", "decimal(9,2)") or
                                   Appendix C JSON of a nested type (ids are assigned fresh);
                                   WIDEN: the primitive type to widen to */
    bool required;              /* ADD: needs default_json and format v3 */
    const char *default_json;   /* ADD: initial-default and write-default, Appendix D JSON
                                   ("0", "\"x\""); v3 only */
    const char *doc;            /* ADD, SET_DOC */
    const char *other;          /* MOVE_BEFORE / MOVE_AFTER: a column of the same struct */
} ice_schema_change;

/* Applies the changes in order to the current schema and commits the result
 * as the current schema. New fields get ids from last-column-id + 1 (a
 * nested type's fields after the field itself, as Java assigns them). The
 * new schema reuses the id of an existing schema with the same structure,
 * else gets the highest schema id + 1. Refused: dropping an identifier
 * field or the source of a field of the default partition spec or sort
 * order; making an identifier field optional; a required column without a
 * default, or any default before format v3; names that would collide;
 * moves across structs; other type changes. */
int ice_txn_update_schema(ice_table *t, const ice_schema_change *changes, size_t count,
                          ice_commit_stats *stats, fl_error *err);

/* ---- partition spec evolution (txn_partition.c) ---- */

typedef enum ice_spec_op {
    ICE_SPEC_ADD_FIELD,         /* term, name (NULL: Java's default name) */
    ICE_SPEC_REMOVE_FIELD,      /* name: a partition field name or a term */
    ICE_SPEC_RENAME_FIELD,      /* name, new_name */
} ice_spec_op;

/* Terms: "col" or "identity(col)", "year(col)", "month(col)", "day(col)",
 * "hour(col)", "bucket(N, col)", "truncate(W, col)", "void(col)"; col is a
 * dotted column name of the current schema. */
typedef struct ice_spec_change {
    ice_spec_op op;
    const char *term;
    const char *name;
    const char *new_name;
} ice_spec_change;

/* Evolves the default spec: removed fields are dropped (v2+) or become
 * void transforms (v1), added fields go last with ids from
 * last-partition-id + 1 (v2+: a field equal to one of an older spec gets
 * that field's id back, as Java recycles it). Default names: the column
 * name for identity, else <col>_year/_month/_day/_hour, <col>_bucket_<N>,
 * <col>_trunc_<W>, <col>_null. The result becomes the default spec,
 * reusing an existing spec's id when one has the same fields. Refused:
 * duplicate names or transforms, two time transforms on one column
 * ("redundant"), transforms that do not apply to the column's type. */
int ice_txn_update_spec(ice_table *t, const ice_spec_change *changes, size_t count,
                        ice_commit_stats *stats, fl_error *err);
/* Makes an existing spec the default. */
int ice_txn_set_default_spec(ice_table *t, int32_t spec_id, ice_commit_stats *stats,
                             fl_error *err);

/* A transform term resolved against a schema (txn_partition.c; used by
 * partition and sort order changes): "col" or "identity(col)",
 * "year(col)", "month(col)", "day(col)", "hour(col)", "bucket(N, col)",
 * "truncate(W, col)", "void(col)". FLOE_ENOTFOUND for an unknown column,
 * FLOE_EINVAL for bad syntax, an unknown transform, or one the column's
 * type does not take. */
typedef struct ice_evolve_term {
    char transform[48];           /* "identity", "bucket[16]", ... */
    char column[512];
    ice_transform t;
    int32_t source_id;
    const char *source_name;      /* the schema's full name (borrowed) */
} ice_evolve_term;

int ice_evolve_term_parse(ice_evolve_term *out, const char *text, const ice_schema *schema,
                          fl_arena *arena, fl_error *err);

/* ---- sort order (txn_sort.c) ---- */

/* One sort field: a term, its direction, its null order. */
typedef struct ice_sort_term {
    const char *term;
    bool descending;
    enum { ICE_NULLS_DEFAULT = 0, ICE_NULLS_FIRST, ICE_NULLS_LAST } nulls;   /* default: first when
                                                                            ascending, last when
                                                                            descending (Java's) */
} ice_sort_term;

/* Replaces the default sort order (Java's ReplaceSortOrder): count 0 means
 * unsorted (order 0). An existing order with the same fields is reused,
 * else the new one gets the highest order id + 1. */
int ice_txn_replace_sort_order(ice_table *t, const ice_sort_term *fields, size_t count,
                               ice_commit_stats *stats, fl_error *err);

/* ---- table properties (txn_properties.c) ---- */

/* Sets and removes table properties in one commit. Removing a key that is
 * not set is not an error; setting and removing one key is; so are the
 * reserved keys Java refuses (format-version, uuid, snapshot-count,
 * current-snapshot-id, current-snapshot-summary, current-snapshot-timestamp-ms,
 * current-schema, default-partition-spec, default-sort-order). */
int ice_txn_update_properties(ice_table *t, const ice_kv *set, size_t set_count,
                              const char *const *remove, size_t remove_count,
                              ice_commit_stats *stats, fl_error *err);

#endif
