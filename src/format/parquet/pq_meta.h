/*
 * pq_meta.h: the Parquet file metadata model (parquet.thrift) in C structs,
 * with the thrift compact decoders (pq_meta_read.c) and encoders
 * (pq_meta_write.c).
 *
 * Only what floe reads or writes is modelled; unknown thrift fields are
 * skipped on read. All pointers in a parsed structure point into the arena
 * passed to the parser (strings are NUL-terminated copies; statistics bytes
 * are fl_strv copies). Optional fields carry a has_* flag.
 * Field ids and enum values are exactly parquet.thrift's.
 */
#ifndef PQ_META_H
#define PQ_META_H

#include <stdbool.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/error.h"

typedef enum pq_physical_type {
    PQ_BOOLEAN = 0, PQ_INT32 = 1, PQ_INT64 = 2, PQ_INT96 = 3, PQ_FLOAT = 4,
    PQ_DOUBLE = 5, PQ_BYTE_ARRAY = 6, PQ_FIXED_LEN_BYTE_ARRAY = 7
} pq_physical_type;

typedef enum pq_converted_type {
    PQ_CT_NONE = -1,
    PQ_CT_UTF8 = 0, PQ_CT_MAP = 1, PQ_CT_MAP_KEY_VALUE = 2, PQ_CT_LIST = 3, PQ_CT_ENUM = 4,
    PQ_CT_DECIMAL = 5, PQ_CT_DATE = 6, PQ_CT_TIME_MILLIS = 7, PQ_CT_TIME_MICROS = 8,
    PQ_CT_TIMESTAMP_MILLIS = 9, PQ_CT_TIMESTAMP_MICROS = 10, PQ_CT_UINT_8 = 11,
    PQ_CT_UINT_16 = 12, PQ_CT_UINT_32 = 13, PQ_CT_UINT_64 = 14, PQ_CT_INT_8 = 15,
    PQ_CT_INT_16 = 16, PQ_CT_INT_32 = 17, PQ_CT_INT_64 = 18, PQ_CT_JSON = 19,
    PQ_CT_BSON = 20, PQ_CT_INTERVAL = 21
} pq_converted_type;

typedef enum pq_repetition {
    PQ_REP_NONE = -1, PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2
} pq_repetition;

typedef enum pq_encoding {
    PQ_ENC_PLAIN = 0, PQ_ENC_PLAIN_DICTIONARY = 2, PQ_ENC_RLE = 3, PQ_ENC_BIT_PACKED = 4,
    PQ_ENC_DELTA_BINARY_PACKED = 5, PQ_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
    PQ_ENC_DELTA_BYTE_ARRAY = 7, PQ_ENC_RLE_DICTIONARY = 8, PQ_ENC_BYTE_STREAM_SPLIT = 9
} pq_encoding;

typedef enum pq_codec {
    PQ_CODEC_UNCOMPRESSED = 0, PQ_CODEC_SNAPPY = 1, PQ_CODEC_GZIP = 2, PQ_CODEC_LZO = 3,
    PQ_CODEC_BROTLI = 4, PQ_CODEC_LZ4 = 5, PQ_CODEC_ZSTD = 6, PQ_CODEC_LZ4_RAW = 7
} pq_codec;

typedef enum pq_page_type {
    PQ_PAGE_DATA = 0, PQ_PAGE_INDEX = 1, PQ_PAGE_DICTIONARY = 2, PQ_PAGE_DATA_V2 = 3
} pq_page_type;

/* LogicalType union member ids (field ids of the thrift union). */
typedef enum pq_logical_kind {
    PQ_LT_NONE = 0, PQ_LT_STRING = 1, PQ_LT_MAP = 2, PQ_LT_LIST = 3, PQ_LT_ENUM = 4,
    PQ_LT_DECIMAL = 5, PQ_LT_DATE = 6, PQ_LT_TIME = 7, PQ_LT_TIMESTAMP = 8,
    PQ_LT_INTEGER = 10, PQ_LT_UNKNOWN = 11, PQ_LT_JSON = 12, PQ_LT_BSON = 13,
    PQ_LT_UUID = 14, PQ_LT_FLOAT16 = 15, PQ_LT_VARIANT = 16, PQ_LT_GEOMETRY = 17,
    PQ_LT_GEOGRAPHY = 18,
    PQ_LT_OTHER = 1000   /* a union member this reader does not know */
} pq_logical_kind;

typedef enum pq_time_unit { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 } pq_time_unit;

typedef struct pq_logical_type {
    int kind;                 /* pq_logical_kind */
    int32_t scale, precision; /* DECIMAL */
    bool is_adjusted_to_utc;  /* TIME, TIMESTAMP */
    int unit;                 /* pq_time_unit: TIME, TIMESTAMP; 0 if the unit is unknown to floe */
    int8_t bit_width;         /* INTEGER */
    bool is_signed;           /* INTEGER */
} pq_logical_type;

typedef struct pq_statistics {
    fl_strv max, min;                /* fields 1, 2: deprecated, signed order */
    fl_strv max_value, min_value;    /* fields 5, 6 */
    int64_t null_count, distinct_count;
    bool has_max, has_min, has_max_value, has_min_value, has_null_count, has_distinct_count;
    bool is_max_value_exact, is_min_value_exact, has_is_max_value_exact, has_is_min_value_exact;
} pq_statistics;

typedef struct pq_kv {
    char *key;
    char *value;   /* NULL when the thrift field is absent */
} pq_kv;

typedef struct pq_schema_element {
    int type;                 /* pq_physical_type, or -1 for a group */
    int32_t type_length;      /* FIXED_LEN_BYTE_ARRAY */
    int repetition;           /* pq_repetition; PQ_REP_NONE if absent (root) */
    char *name;
    int32_t num_children;     /* 0 for leaves */
    int converted_type;       /* pq_converted_type; PQ_CT_NONE if absent */
    int32_t scale, precision; /* legacy decimal */
    int32_t field_id;
    bool has_field_id;
    bool has_type_length;
    pq_logical_type logical;  /* kind PQ_LT_NONE if absent */
} pq_schema_element;

typedef struct pq_sorting_column {
    int32_t column_idx;
    bool descending;
    bool nulls_first;
} pq_sorting_column;

typedef struct pq_column_meta {
    int type;                 /* pq_physical_type */
    int *encodings;
    int32_t n_encodings;
    char **path_in_schema;
    int32_t path_len;
    int codec;                /* pq_codec */
    int64_t num_values;
    int64_t total_uncompressed_size;
    int64_t total_compressed_size;
    pq_kv *kv;
    int32_t n_kv;
    int64_t data_page_offset;
    int64_t index_page_offset;      /* valid if has_index_page_offset */
    int64_t dictionary_page_offset; /* valid if has_dictionary_page_offset */
    bool has_index_page_offset, has_dictionary_page_offset;
    pq_statistics stats;
    bool has_stats;
    int64_t bloom_filter_offset;
    int32_t bloom_filter_length;
    bool has_bloom_filter_offset, has_bloom_filter_length;
} pq_column_meta;

typedef struct pq_column_chunk {
    char *file_path;          /* NULL if absent */
    int64_t file_offset;
    pq_column_meta meta;
    bool has_meta;
    int64_t offset_index_offset, column_index_offset;
    int32_t offset_index_length, column_index_length;
    bool has_offset_index, has_column_index;
    bool encrypted;           /* crypto_metadata or encrypted_column_metadata present */
} pq_column_chunk;

typedef struct pq_row_group {
    pq_column_chunk *columns;
    int32_t n_columns;
    int64_t total_byte_size;
    int64_t num_rows;
    pq_sorting_column *sorting;
    int32_t n_sorting;
    int64_t file_offset, total_compressed_size;
    bool has_file_offset, has_total_compressed_size;
    int16_t ordinal;
    bool has_ordinal;
} pq_row_group;

typedef struct pq_file_meta {
    int32_t version;
    pq_schema_element *schema;   /* depth-first, schema[0] is the root */
    int32_t n_schema;
    int64_t num_rows;
    pq_row_group *row_groups;
    int32_t n_row_groups;
    pq_kv *kv;
    int32_t n_kv;
    char *created_by;            /* NULL if absent */
    int32_t n_column_orders;     /* count of ColumnOrder entries (all TypeDefinedOrder when written by floe) */
    bool encrypted;              /* encryption_algorithm present (plaintext footer of an
                                    encrypted file); read only, never written */
} pq_file_meta;

typedef struct pq_page_header {
    int type;                    /* pq_page_type */
    int32_t uncompressed_page_size;
    int32_t compressed_page_size;
    int32_t crc;
    bool has_crc;
    /* DATA_PAGE (v1), DICTIONARY_PAGE, DATA_PAGE_V2: the shared fields */
    int32_t num_values;
    int encoding;
    /* v1 */
    int definition_level_encoding, repetition_level_encoding;
    /* dictionary */
    bool is_sorted;
    /* v2 */
    int32_t num_nulls, num_rows;
    int32_t definition_levels_byte_length, repetition_levels_byte_length;
    bool is_compressed;          /* default true */
    pq_statistics stats;
    bool has_stats;
    bool has_data_header;        /* the header for `type` was present */
} pq_page_header;

/* Decodes a FileMetaData from buf[len]. Validates structure (counts, nesting
 * depth, negative sizes) but not cross-references; FLOE_ECORRUPT on bad input. */
int pq_file_meta_read(pq_file_meta **out, const uint8_t *buf, size_t len, fl_arena *arena,
                      fl_error *err);
/* Decodes one PageHeader at buf; *consumed receives its encoded length.
 * Statistics bytes are copied into arena. */
int pq_page_header_read(pq_page_header *out, const uint8_t *buf, size_t len, size_t *consumed,
                        fl_arena *arena, fl_error *err);

/* Encoders append the thrift compact encoding to out. A schema element whose
 * converted_type is PQ_CT_NONE but whose logical type has a ConvertedType
 * counterpart (pq_logical_converted_type) is written with that counterpart,
 * as parquet-format asks of writers (DECIMAL takes scale and precision from
 * the logical type). PQ_LT_OTHER and PQ_LT_NONE write no LogicalType.
 * n_column_orders > 0 writes that many TypeDefinedOrder entries. */
int pq_file_meta_write(fl_buf *out, const pq_file_meta *meta, fl_error *err);
int pq_page_header_write(fl_buf *out, const pq_page_header *hdr, fl_error *err);

/* The ConvertedType counterpart of a logical type (parquet-format's forward
 * compatibility table), or PQ_CT_NONE when there is none. */
int pq_logical_converted_type(const pq_logical_type *lt);

/* Names as parquet.thrift spells them; "UNRECOGNIZED" for values outside the enum. */
const char *pq_physical_type_name(int type);     /* "INT32" */
const char *pq_encoding_name(int encoding);      /* "RLE_DICTIONARY" */
const char *pq_codec_name(int codec);            /* "ZSTD" */
const char *pq_converted_type_name(int ct);      /* "UTF8" */
const char *pq_logical_kind_name(int kind);      /* "STRING" */

#endif
