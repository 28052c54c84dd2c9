/*
 * ice_manifest.h: Iceberg manifests and manifest lists (spec "Manifests",
 * "Manifest Lists", "Sequence Number Inheritance", "First Row ID
 * Inheritance", Appendix D binary single values for bounds): the in-memory
 * model of data files, manifest entries and manifest-list entries, a
 * streaming manifest reader, a manifest-list reader, writers for both that
 * produce the spec's exact Avro schemas (field ids included), and data-file
 * metrics computed from a Parquet footer.
 *
 * Reading resolves every field by Iceberg field id (then by name), so
 * manifests written by Java, PyIceberg, Trino, Impala, Flink, BigQuery and
 * floe read alike; v1 files (no content, no sequence numbers) read with
 * content DATA and sequence numbers 0. The partition tuple is decoded with
 * the manifest's partition spec: from the table metadata by the header's
 * "partition-spec-id" when metadata is given, else from the header's
 * "partition-spec" JSON and "schema" JSON.
 *
 * Inheritance (applied by the reader when the manifest-list entry is
 * given): a null snapshot_id inherits the manifest's added_snapshot_id; a
 * null data or file sequence number of an ADDED entry inherits the
 * manifest's sequence_number (v1 manifests: 0); first_row_id of a v3 data
 * file that has none is the manifest's first_row_id plus the record counts
 * of the ADDED/EXISTING entries before it that lacked one. The has_* flags
 * say whether the value was in the file, so a rewrite can keep nulls.
 *
 * Bounds are kept as their serialized bytes (field id -> single value) and
 * decoded lazily with ice_data_file_bound.
 *
 * Memory: a manifest list owns an arena holding all its entries. A manifest
 * reader's entry is valid until the next ice_manifest_reader_next call (the
 * reader resets a per-entry arena); ice_data_file_copy keeps one longer.
 * Writers copy nothing they are handed beyond the call.
 *
 * Threads: readers and writers belong to one thread at a time; a manifest
 * list is read-only after reading and may be shared.
 */
#ifndef ICE_MANIFEST_H
#define ICE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/error.h"
#include "../base/type.h"
#include "../format/avro/avro.h"
#include "../io/io.h"
#include "ice_metadata.h"
#include "ice_partition.h"
#include "ice_schema.h"
#include "ice_type.h"

struct pq_file;

/* Sequence number / row id not yet assigned (Java's UNASSIGNED_SEQ): a new
 * manifest's sequence numbers, replaced by the manifest-list writer. */
#define ICE_SEQ_UNASSIGNED ((int64_t)-1)

/* data_file.content (field 134) */
typedef enum ice_file_content {
    ICE_CONTENT_DATA = 0,
    ICE_CONTENT_POSITION_DELETES = 1,
    ICE_CONTENT_EQUALITY_DELETES = 2,
} ice_file_content;

/* manifest content (manifest list field 517, manifest header "content") */
typedef enum ice_manifest_content {
    ICE_MANIFEST_DATA = 0,
    ICE_MANIFEST_DELETES = 1,
} ice_manifest_content;

/* manifest_entry.status (field 0) */
typedef enum ice_entry_status {
    ICE_ENTRY_EXISTING = 0,
    ICE_ENTRY_ADDED = 1,
    ICE_ENTRY_DELETED = 2,
} ice_entry_status;

/* One value of a field id -> long map (column_sizes, value_counts ...). */
typedef struct ice_field_count {
    int32_t field_id;
    int64_t value;
} ice_field_count;

/* One value of a field id -> binary map (lower_bounds, upper_bounds):
 * Appendix D single-value bytes of the field's type. */
typedef struct ice_field_bound {
    int32_t field_id;
    fl_strv bytes;
} ice_field_bound;

/* A data or delete file (manifest_entry.data_file, field 2). Maps and lists
 * with a NULL pointer were null (absent) in the file; a non-NULL pointer with
 * count 0 is an empty map/list. Strings are NUL-terminated. */
typedef struct ice_data_file {
    ice_file_content content;          /* 134; DATA in v1 */
    const char *file_path;             /* 100 */
    const char *file_format;           /* 101: "PARQUET", "AVRO", "ORC", "PUFFIN" (as written) */
    int32_t spec_id;                   /* the manifest's partition spec id */
    /* 102: the partition tuple, one value per field of the manifest's
     * partition spec (in spec order), of the transform result's fl type;
     * partition_type is the ICE_TYPE_STRUCT of the tuple. */
    const ice_type *partition_type;
    fl_value *partition;
    size_t partition_count;
    int64_t record_count;              /* 103 */
    int64_t file_size_in_bytes;        /* 104 */
    ice_field_count *column_sizes;     /* 108 */
    size_t column_size_count;
    ice_field_count *value_counts;     /* 109 */
    size_t value_count_count;
    ice_field_count *null_value_counts;  /* 110 */
    size_t null_value_count_count;
    ice_field_count *nan_value_counts; /* 137 */
    size_t nan_value_count_count;
    ice_field_bound *lower_bounds;     /* 125 */
    size_t lower_bound_count;
    ice_field_bound *upper_bounds;     /* 128 */
    size_t upper_bound_count;
    bool has_key_metadata;             /* 131 */
    fl_strv key_metadata;
    int64_t *split_offsets;            /* 132 */
    size_t split_offset_count;
    int32_t *equality_ids;             /* 135 */
    size_t equality_id_count;
    bool has_sort_order_id;            /* 140 */
    int32_t sort_order_id;
    bool has_first_row_id;             /* 142 (v3), after inheritance */
    int64_t first_row_id;
    const char *referenced_data_file;  /* 143 (v3), NULL when absent */
    bool has_content_offset;           /* 144 (v3, deletion vectors) */
    int64_t content_offset;
    bool has_content_size_in_bytes;    /* 145 (v3) */
    int64_t content_size_in_bytes;
} ice_data_file;

/* A manifest entry (one row of a manifest). The values are the effective
 * ones after inheritance; the explicit_* flags say whether the file held
 * them (a writer writes null for a false flag). */
typedef struct ice_manifest_entry {
    ice_entry_status status;           /* 0 */
    int64_t snapshot_id;               /* 1 */
    int64_t sequence_number;           /* 3: data sequence number */
    int64_t file_sequence_number;      /* 4 */
    bool explicit_snapshot_id;
    bool explicit_sequence_number;
    bool explicit_file_sequence_number;
    ice_data_file file;                /* 2 */
} ice_manifest_entry;

/* manifest_file.partitions (field 507) element: field_summary (508). */
typedef struct ice_field_summary {
    bool contains_null;                /* 509 */
    bool has_contains_nan;             /* 518 is optional */
    bool contains_nan;
    bool has_lower_bound;              /* 510 */
    fl_strv lower_bound;
    bool has_upper_bound;              /* 511 */
    fl_strv upper_bound;
} ice_field_summary;

/* A manifest list entry (manifest_file). Counts are -1 when null (v1
 * manifest lists may omit them, v1 "manifests" snapshots have none). */
typedef struct ice_manifest_file {
    const char *manifest_path;         /* 500 */
    int64_t manifest_length;           /* 501 */
    int32_t partition_spec_id;         /* 502 */
    ice_manifest_content content;      /* 517; DATA in v1 */
    int64_t sequence_number;           /* 515; 0 in v1; ICE_SEQ_UNASSIGNED when new */
    int64_t min_sequence_number;       /* 516; 0 in v1; ICE_SEQ_UNASSIGNED when new */
    int64_t added_snapshot_id;         /* 503 */
    int32_t added_files_count;         /* 504 */
    int32_t existing_files_count;      /* 505 */
    int32_t deleted_files_count;       /* 506 */
    int64_t added_rows_count;          /* 512 */
    int64_t existing_rows_count;       /* 513 */
    int64_t deleted_rows_count;        /* 514 */
    ice_field_summary *partitions;     /* 507; NULL when null */
    size_t partition_count;
    bool has_key_metadata;             /* 519 */
    fl_strv key_metadata;
    bool has_first_row_id;             /* 520 (v3) */
    int64_t first_row_id;
} ice_manifest_file;

/* ---- data files ---- */

/* A count from one of the field id -> long maps; false when absent. */
bool ice_field_count_get(const ice_field_count *counts, size_t count, int32_t field_id,
                         int64_t *out);
/* The serialized bound of a field; NULL when absent. */
const fl_strv *ice_field_bound_get(const ice_field_bound *bounds, size_t count,
                                   int32_t field_id);
/* Decodes the lower (upper = false) or upper bound of field_id, whose type
 * is taken from schema. *found is false (and out untouched) when there is no
 * bound or the field is not a primitive of the schema. Variable-length
 * values borrow the file's bytes. FLOE_ECORRUPT when the bytes do not fit
 * the type. */
int ice_data_file_bound(fl_value *out, bool *found, const ice_data_file *file,
                        const ice_schema *schema, int32_t field_id, bool upper, fl_error *err);
/* Deep copy of src into arena (strings, maps, lists, partition values). */
int ice_data_file_copy(ice_data_file *dst, const ice_data_file *src, fl_arena *arena,
                       fl_error *err);
/* Deep copy of a manifest list entry into arena. */
int ice_manifest_file_copy(ice_manifest_file *dst, const ice_manifest_file *src,
                           fl_arena *arena, fl_error *err);
/* "data", "position_deletes", "equality_deletes" / "data", "deletes". */
const char *ice_file_content_name(ice_file_content c);
const char *ice_manifest_content_name(ice_manifest_content c);

/* ---- manifest lists ---- */

typedef struct ice_manifest_list {
    fl_arena *arena;                   /* owns everything below */
    int format_version;                /* header "format-version" (1 when absent) */
    ice_manifest_file *files;
    size_t count;
} ice_manifest_list;

/* Reads a manifest list (v1, v2 or v3 layout) from location. */
int ice_manifest_list_read(ice_manifest_list **out, io_fs *fs, const char *location,
                           fl_error *err);
/* Same from an open reader (borrowed); location names it in errors. */
int ice_manifest_list_read_io(ice_manifest_list **out, io_reader *file, const char *location,
                              fl_error *err);
/* The manifests of a snapshot: its manifest list, or for a v1 snapshot with
 * "manifests" one entry per manifest (path, length from the file's size,
 * partition_spec_id from the manifest header, added_snapshot_id the
 * snapshot's, counts -1). */
int ice_snapshot_manifests(ice_manifest_list **out, io_fs *fs, const ice_metadata *md,
                           const ice_snapshot *snapshot, fl_error *err);
void ice_manifest_list_free(ice_manifest_list *list);

/* ---- manifest reader ---- */

typedef struct ice_manifest_reader ice_manifest_reader;

/* Opens a manifest. `manifest` (the manifest-list entry, may be NULL) gives
 * the values to inherit; NULL inherits nothing (snapshot id and sequence
 * numbers stay as written, 0 when null). `md` (may be NULL) supplies the
 * partition spec by id and the schema; without it the header's
 * "partition-spec"/"schema" JSON are used. Both stay borrowed. */
int ice_manifest_reader_open(ice_manifest_reader **out, io_fs *fs, const char *location,
                             const ice_manifest_file *manifest, const ice_metadata *md,
                             fl_error *err);
/* Same from an open reader (borrowed until ice_manifest_reader_free). */
int ice_manifest_reader_open_io(ice_manifest_reader **out, io_reader *file,
                                const char *location, const ice_manifest_file *manifest,
                                const ice_metadata *md, fl_error *err);
/* The next entry: 1 and *out set (valid until the next call), 0 at end. */
int ice_manifest_reader_next(ice_manifest_reader *r, const ice_manifest_entry **out,
                             fl_error *err);
void ice_manifest_reader_free(ice_manifest_reader *r);

/* Header facts of an open manifest. */
int ice_manifest_reader_format_version(const ice_manifest_reader *r);   /* 1 when absent */
ice_manifest_content ice_manifest_reader_content(const ice_manifest_reader *r);
int32_t ice_manifest_reader_spec_id(const ice_manifest_reader *r);
const ice_partition_spec *ice_manifest_reader_spec(const ice_manifest_reader *r);
const ice_type *ice_manifest_reader_partition_type(const ice_manifest_reader *r);
/* The schema the partition type was built from (header or metadata); may be NULL. */
const ice_schema *ice_manifest_reader_schema(const ice_manifest_reader *r);

/* ---- manifest writer ---- */

typedef struct ice_manifest_writer_opts {
    int format_version;                /* 1, 2 or 3 (0 = 2) */
    ice_manifest_content content;      /* DELETES needs format >= 2 */
    const ice_schema *schema;          /* table schema: header "schema", partition types */
    const ice_partition_spec *spec;    /* header "partition-spec", "partition-spec-id" */
    int64_t snapshot_id;               /* the writing snapshot: added_snapshot_id */
    avro_codec codec;                  /* default null; Java writes deflate */
    int codec_level;
} ice_manifest_writer_opts;

typedef struct ice_manifest_writer ice_manifest_writer;

/* Creates a manifest at location (must not exist). */
int ice_manifest_writer_open(ice_manifest_writer **out, io_fs *fs, const char *location,
                             const ice_manifest_writer_opts *opts, fl_error *err);
/* Same on an open writer (consumed: closed by close, aborted by abort or a
 * failed open); location is what the manifest-list entry will name. */
int ice_manifest_writer_open_io(ice_manifest_writer **out, io_writer *file,
                                const char *location, const ice_manifest_writer_opts *opts,
                                fl_error *err);
/* Writes an entry as given (status, explicit_* flags honoured: a false flag
 * writes null; v1 always writes the snapshot id). Partition values must
 * match the spec (count and types). */
int ice_manifest_writer_add_entry(ice_manifest_writer *w, const ice_manifest_entry *entry,
                                  fl_error *err);
/* ADDED by this snapshot (snapshot id explicit, sequence numbers null:
 * inherited at commit). */
int ice_manifest_writer_add(ice_manifest_writer *w, const ice_data_file *file, fl_error *err);
/* EXISTING, keeping the original snapshot id and sequence numbers. */
int ice_manifest_writer_existing(ice_manifest_writer *w, const ice_data_file *file,
                                 int64_t snapshot_id, int64_t data_sequence_number,
                                 int64_t file_sequence_number, fl_error *err);
/* DELETED by this snapshot, keeping the original sequence numbers. */
int ice_manifest_writer_delete(ice_manifest_writer *w, const ice_data_file *file,
                               int64_t data_sequence_number, int64_t file_sequence_number,
                               fl_error *err);
/* Finishes the file and fills *out (the manifest-list entry: length,
 * counts, partition summaries (over every entry, DELETED ones included, as
 * Iceberg Java), spec id, content, added_snapshot_id;
 * sequence_number ICE_SEQ_UNASSIGNED and min_sequence_number the smallest
 * explicit data sequence number of a live (not DELETED) entry, or ICE_SEQ_UNASSIGNED) in arena. Frees the
 * writer, also on failure. out may be NULL. */
int ice_manifest_writer_close(ice_manifest_writer *w, ice_manifest_file *out, fl_arena *arena,
                              fl_error *err);
/* Discards the file; NULL is a no-op. */
void ice_manifest_writer_abort(ice_manifest_writer *w);

/* The exact Avro schema JSON of a manifest entry for format_version and
 * partition type (a struct of partition fields with ids 1000+; empty
 * struct when unpartitioned), appended to out. */
int ice_manifest_schema_json(fl_buf *out, int format_version, const ice_type *partition_type,
                             fl_error *err);

/* ---- manifest list writer ---- */

typedef struct ice_manifest_list_writer_opts {
    int format_version;                /* 1, 2 or 3 (0 = 2) */
    int64_t snapshot_id;               /* header "snapshot-id" */
    bool has_parent_snapshot_id;       /* header "parent-snapshot-id" ("null" when false) */
    int64_t parent_snapshot_id;
    int64_t sequence_number;           /* header "sequence-number" (v2+); replaces UNASSIGNED */
    int64_t first_row_id;              /* v3: header "first-row-id", next row id to assign */
    avro_codec codec;
    int codec_level;
} ice_manifest_list_writer_opts;

typedef struct ice_manifest_list_writer ice_manifest_list_writer;

int ice_manifest_list_writer_open(ice_manifest_list_writer **out, io_fs *fs,
                                  const char *location, const ice_manifest_list_writer_opts *opts,
                                  fl_error *err);
/* On an open writer (consumed). */
int ice_manifest_list_writer_open_io(ice_manifest_list_writer **out, io_writer *file,
                                     const ice_manifest_list_writer_opts *opts, fl_error *err);
/* Appends a manifest: UNASSIGNED sequence numbers become the writer's
 * sequence number (only for manifests added by this snapshot); in v3 a
 * data manifest without first_row_id gets the next row id, which then
 * advances by its added + existing rows. */
int ice_manifest_list_writer_add(ice_manifest_list_writer *w, const ice_manifest_file *manifest,
                                 fl_error *err);
/* Finishes the file and frees the writer (also on failure). next_row_id
 * (may be NULL) receives the v3 row id after the last assigned one. */
int ice_manifest_list_writer_close(ice_manifest_list_writer *w, int64_t *next_row_id,
                                   fl_error *err);
void ice_manifest_list_writer_abort(ice_manifest_list_writer *w);

/* The exact Avro schema JSON of a manifest list for format_version. */
int ice_manifest_list_schema_json(fl_buf *out, int format_version, fl_error *err);

/* ---- metrics from Parquet ---- */

typedef struct ice_metrics_opts {
    int truncate_length;               /* string/binary bound length; 0 = 16, -1 = full */
} ice_metrics_opts;

/* Fills the metrics of *out from a Parquet file's footer: record_count,
 * column_sizes (compressed bytes per leaf), value_counts, null_value_counts,
 * nan_value_counts (when the writer recorded them), lower/upper bounds
 * (Appendix D bytes; strings truncated to truncate_length characters with
 * the upper bound incremented, dropped when it cannot be), split_offsets
 * (row group starts). Leaves are matched to the schema by Parquet field id.
 * file_size_in_bytes and file_format ("PARQUET") are set too; file_path,
 * partition and content are left to the caller. opts may be NULL. */
int ice_metrics_from_parquet(ice_data_file *out, struct pq_file *file, uint64_t file_size,
                             const ice_schema *schema, const ice_metrics_opts *opts,
                             fl_arena *arena, fl_error *err);

#endif
