/*
 * ice_metadata.h: Iceberg table metadata (spec "Table Metadata", "Snapshots",
 * "Snapshot References", "Table Statistics", "Partition Statistics",
 * "Encryption Keys", Appendix C "Table Metadata and Snapshots"): the model,
 * its JSON reader (format v1, v2 and v3) and writer, and snapshot lookups.
 *
 * Reading follows Iceberg Java's TableMetadataParser: v2+ require
 * schemas/current-schema-id, partition-specs/default-spec-id,
 * last-partition-id, sort-orders/default-sort-order-id, table-uuid and
 * last-sequence-number; v1 may instead carry the deprecated "schema" and
 * "partition-spec" (spec id 0, field ids from 1000), a snapshot's v1
 * "manifests" list instead of a manifest list, and current-snapshot-id -1 for
 * "none". Where Java and iceberg-rust differ, the lenient reading wins for
 * v1 (schemas without current-schema-id use "schema"; specs without
 * default-spec-id default to the highest spec id). Versions above 3 fail
 * with FLOE_EUNSUPPORTED; violations of the spec with FLOE_ECORRUPT and a
 * message naming the field (messages echo Java's: "partition-specs must
 * exist in format v2", "Cannot find schema with current-schema-id=2 from
 * schemas" in PostgreSQL's lowercase style).
 * Without "refs", a current snapshot gets a "main" branch, as the spec says.
 * v3 fields (next-row-id, snapshot first-row-id/added-rows/key-id,
 * encryption-keys) are read and written back, and so are top-level members
 * this reader does not know (kept as JSON text). Metadata compressed with gzip
 * (".gz.metadata.json", or the gzip magic) or zstd (its magic) is inflated
 * first.
 *
 * Writing emits the keys, order and layout Iceberg Java writes (pretty
 * printed, 2-space indent) for the metadata's own format version, so that a
 * parse -> write -> parse round trip keeps every field, including table
 * properties this code does not interpret.
 *
 * An ice_metadata owns one arena holding everything it points to.
 */
#ifndef ICE_METADATA_H
#define ICE_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "../io/io.h"
#include "ice_json.h"
#include "ice_partition.h"
#include "ice_schema.h"
#include "ice_sort.h"

#define ICE_MAX_FORMAT_VERSION 3

typedef struct ice_snapshot {
    int64_t snapshot_id;
    bool has_parent;
    int64_t parent_id;
    bool has_sequence_number;     /* v1 snapshots may omit it (then 0) */
    int64_t sequence_number;
    int64_t timestamp_ms;
    const char *manifest_list;    /* NULL for a v1 "manifests" snapshot */
    const char **manifests;       /* v1 only */
    size_t manifest_count;
    bool has_summary;
    const char *operation;        /* NULL when the summary has none */
    ice_kv *summary;              /* the other summary entries, in order */
    size_t summary_count;
    bool has_schema_id;
    int32_t schema_id;
    bool has_first_row_id;        /* v3 row lineage */
    int64_t first_row_id;
    bool has_added_rows;
    int64_t added_rows;
    const char *key_id;           /* v3 encryption; NULL when absent */
} ice_snapshot;

typedef struct ice_snapshot_ref {
    const char *name;
    int64_t snapshot_id;
    bool is_tag;                  /* else a branch */
    bool has_min_snapshots_to_keep;
    int32_t min_snapshots_to_keep;
    bool has_max_snapshot_age_ms;
    int64_t max_snapshot_age_ms;
    bool has_max_ref_age_ms;
    int64_t max_ref_age_ms;
} ice_snapshot_ref;

typedef struct ice_snapshot_log_entry {
    int64_t timestamp_ms;
    int64_t snapshot_id;
} ice_snapshot_log_entry;

typedef struct ice_metadata_log_entry {
    int64_t timestamp_ms;
    const char *metadata_file;
} ice_metadata_log_entry;

typedef struct ice_blob_metadata {
    const char *type;
    int64_t snapshot_id;
    int64_t sequence_number;
    int32_t *fields;
    size_t field_count;
    ice_kv *properties;           /* NULL when absent */
    size_t property_count;
} ice_blob_metadata;

typedef struct ice_statistics_file {
    int64_t snapshot_id;
    const char *path;
    int64_t file_size_in_bytes;
    int64_t file_footer_size_in_bytes;
    const char *key_metadata;     /* NULL when absent */
    ice_blob_metadata *blobs;
    size_t blob_count;
} ice_statistics_file;

typedef struct ice_partition_statistics_file {
    int64_t snapshot_id;
    const char *path;
    int64_t file_size_in_bytes;
} ice_partition_statistics_file;

typedef struct ice_encryption_key {
    const char *key_id;
    const char *encrypted_key_metadata;
    const char *encrypted_by_id;  /* NULL when absent */
    ice_kv *properties;           /* NULL when absent */
    size_t property_count;
} ice_encryption_key;

typedef struct ice_metadata {
    fl_arena *arena;
    int format_version;
    const char *table_uuid;       /* NULL only in v1 */
    const char *location;
    int64_t last_sequence_number;
    int64_t last_updated_ms;
    int32_t last_column_id;
    ice_schema **schemas;
    size_t schema_count;
    int32_t current_schema_id;
    ice_partition_spec **specs;
    size_t spec_count;
    int32_t default_spec_id;
    int32_t last_partition_id;
    ice_sort_order **sort_orders;
    size_t sort_order_count;
    int32_t default_sort_order_id;
    ice_kv *properties;
    size_t property_count;
    bool has_current_snapshot;
    int64_t current_snapshot_id;
    ice_snapshot *snapshots;
    size_t snapshot_count;
    ice_snapshot_ref *refs;
    size_t ref_count;
    ice_snapshot_log_entry *snapshot_log;
    size_t snapshot_log_count;
    ice_metadata_log_entry *metadata_log;
    size_t metadata_log_count;
    ice_statistics_file *statistics;
    size_t statistics_count;
    ice_partition_statistics_file *partition_statistics;
    size_t partition_statistics_count;
    bool has_next_row_id;         /* v3 */
    int64_t next_row_id;
    ice_encryption_key *encryption_keys;
    size_t encryption_key_count;
    ice_kv *extra;                /* unknown top-level members: key, compact JSON text */
    size_t extra_count;
    /* ice_metadata_read's cache (ice_metadata_io.c): a cached document is
     * shared by every reader of the same file and freed by the last
     * ice_metadata_free; cache_refs is guarded by the cache's lock. */
    bool cached;
    int cache_refs;
} ice_metadata;

/* Parses metadata JSON text (or gzip/zstd-compressed JSON). */
int ice_metadata_parse(ice_metadata **out, const void *data, size_t len, fl_error *err);
/* Parses an already decoded JSON document. */
int ice_metadata_from_json(ice_metadata **out, const json_t *json, fl_error *err);
/* Reads and parses a metadata file; errors name the location. The file is
 * read every time, but a file whose location and bytes equal those of one
 * read before in this process (a cache of the last 64 files under 4 MiB)
 * is not parsed again: the same document is handed out, so what this
 * returns is read-only (every user takes it as const). */
int ice_metadata_read(ice_metadata **out, io_fs *fs, const char *location, fl_error *err);
/* Frees md (a cached document when its last user frees it). NULL is a no-op. */
void ice_metadata_free(ice_metadata *md);
/* Empties ice_metadata_read's cache (documents still in use stay alive). */
void ice_metadata_cache_clear(void);

/* Inflates gzip or zstd data when it starts with their magic; otherwise
 * copies it. Appends to out. */
int ice_metadata_decompress(fl_buf *out, const void *data, size_t len, fl_error *err);

/* The JSON document Iceberg Java would write (new reference). */
int ice_metadata_to_json(json_t **out, const ice_metadata *md, fl_error *err);
/* Appends the pretty-printed JSON text. */
int ice_metadata_write(fl_buf *out, const ice_metadata *md, fl_error *err);

/* ---- lookups (NULL when absent) ---- */

const ice_schema *ice_metadata_schema(const ice_metadata *md, int32_t schema_id);
const ice_schema *ice_metadata_current_schema(const ice_metadata *md);
const ice_partition_spec *ice_metadata_spec(const ice_metadata *md, int32_t spec_id);
const ice_partition_spec *ice_metadata_default_spec(const ice_metadata *md);
const ice_sort_order *ice_metadata_sort_order(const ice_metadata *md, int32_t order_id);
const char *ice_metadata_property(const ice_metadata *md, const char *key);
const ice_snapshot_ref *ice_metadata_ref(const ice_metadata *md, const char *name);

const ice_snapshot *ice_metadata_snapshot(const ice_metadata *md, int64_t snapshot_id);
const ice_snapshot *ice_metadata_current_snapshot(const ice_metadata *md);
/* The snapshot a branch or tag points to; FLOE_ENOTFOUND when the ref or
 * its snapshot does not exist. */
int ice_metadata_snapshot_by_ref(const ice_snapshot **out, const ice_metadata *md,
                                 const char *ref, fl_error *err);
/* The table's current snapshot at timestamp_ms, from the snapshot log (the
 * last entry at or before the time). FLOE_ENOTFOUND with an explanation when
 * the log is empty or starts later. */
int ice_metadata_snapshot_as_of(const ice_snapshot **out, const ice_metadata *md,
                                int64_t timestamp_ms, fl_error *err);
/* The parent of s, or NULL (also when the parent has expired). */
const ice_snapshot *ice_metadata_snapshot_parent(const ice_metadata *md, const ice_snapshot *s);
/* Whether `ancestor_id` is s or one of s's ancestors. */
bool ice_metadata_is_ancestor(const ice_metadata *md, const ice_snapshot *s, int64_t ancestor_id);

#endif
