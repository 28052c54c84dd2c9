/*
 * avro.h: floe's Avro: schemas, object container files (OCF), datums.
 *
 * Iceberg manifests and manifest lists are Avro OCF files whose schemas carry
 * Iceberg's field ids as extra attributes ("field-id" on record fields,
 * "element-id" on arrays, "key-id"/"value-id" on maps). This layer keeps
 * every attribute of a schema, reads OCF files block by block into a generic
 * value tree, and writes OCF files with a schema JSON given verbatim.
 *
 * Schemas (avro_schema_parse): a tree of avro_schema nodes in the schema's
 * own arena; named types are shared nodes (a reference to "r2" points at the
 * node defining r2), so recursive schemas are graphs. Each node keeps its
 * JSON object (`json`, borrowed jansson node, may be NULL for a primitive
 * given by name) so any attribute can be read back; the common ones are
 * parsed into fields.
 *
 * Values (avro_value): one node per datum element, allocated in the caller's
 * arena. A union is decoded to the chosen branch's value with `branch` set
 * to the branch index (-1 outside unions), so ["null","long"] gives either
 * AVRO_NULL or AVRO_LONG. Strings and bytes are copied into the arena and
 * strings are NUL-terminated past `len`.
 *
 * Finding fields: avro_record_find resolves a field by Iceberg field id
 * first, then by name and aliases; resolve once per file with the file's
 * schema, then index values with avro_value_field. The avro_value_get_*
 * accessors apply Avro's promotions (int -> long, float -> double, string
 * <-> bytes) so callers tolerate writers that chose a wider or older type.
 *
 * Reading (avro_reader): the header is read once; each avro_reader_next call
 * decodes one datum, loading (and decompressing) one block at a time, so
 * memory is bounded by the largest block (limited by max_block_size).
 * Every count and length is checked against the bytes that remain; bad
 * input is FLOE_ECORRUPT (FLOE_ELIMIT when a configured limit is hit,
 * FLOE_EUNSUPPORTED for an unknown codec), never a crash or a hang.
 *
 * Writing (avro_writer): either whole value trees (avro_writer_append,
 * checked against the schema) or the streaming encoder (avro_enc_* on the
 * writer's block buffer, then avro_writer_end_datum) for speed; the
 * streaming encoder does not check the schema: the caller follows it.
 *
 * Threads: a schema is read-only after parsing and may be shared (the
 * reader shares its header's schema through avro_schema_parse_cached);
 * readers and writers belong to one thread at a time.
 */
#ifndef AVRO_H
#define AVRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/buf.h"
#include "../../base/error.h"
#include "../../io/io.h"

struct json_t;   /* jansson */

/* ---- schemas ---- */

typedef enum avro_type {
    AVRO_NULL = 0,
    AVRO_BOOLEAN,
    AVRO_INT,
    AVRO_LONG,
    AVRO_FLOAT,
    AVRO_DOUBLE,
    AVRO_BYTES,
    AVRO_STRING,
    AVRO_RECORD,
    AVRO_ENUM,
    AVRO_ARRAY,
    AVRO_MAP,
    AVRO_UNION,
    AVRO_FIXED
} avro_type;

typedef struct avro_schema avro_schema;   /* one node of a schema */
typedef struct avro_value avro_value;     /* one node of a decoded datum */

typedef struct avro_field {
    const char *name;
    avro_schema *type;
    int32_t field_id;          /* Iceberg "field-id", valid when has_field_id */
    bool has_field_id;
    bool has_default;
    const struct json_t *default_value;   /* "default" (may be JSON null) */
    const char **aliases;
    size_t alias_count;
    const struct json_t *json; /* the field's JSON object: every attribute */
} avro_field;

struct avro_schema {
    avro_type type;
    const char *name;          /* full name of a record/enum/fixed, else NULL */
    const char *logical_type;  /* "decimal", "date", "timestamp-micros", "map"... or NULL */
    int32_t precision, scale;  /* decimal */
    int32_t size;              /* fixed */
    avro_schema *items;        /* array */
    avro_schema *values;       /* map */
    avro_field *fields;        /* record */
    size_t field_count;
    avro_schema **branches;    /* union */
    size_t branch_count;
    const char **symbols;      /* enum */
    size_t symbol_count;
    int32_t element_id, key_id, value_id;  /* Iceberg ids on array / map */
    bool has_element_id, has_key_id, has_value_id;
    bool adjust_to_utc;        /* Iceberg "adjust-to-utc" on timestamps */
    uint32_t min_size;         /* fewest bytes one datum of this type encodes to */
    const struct json_t *json; /* the node's JSON (object or string), for any attribute */
};

typedef struct avro_schema_doc avro_schema_doc;   /* a parsed schema and its memory */

/* Parses an Avro schema in JSON (records, enums, arrays, maps, unions,
 * fixed, primitives, logical types, named references, namespaces, aliases).
 * *out is the caller's to free; the text is kept verbatim (avro_schema_text). */
int avro_schema_parse(avro_schema_doc **out, const char *json, size_t len, fl_error *err);
/* The same, shared through a process-wide cache keyed by the text: a doc
 * already parsed from identical text is handed out again (read-only, so any
 * thread may use it). Free it with avro_schema_free as usual: a shared doc
 * counts its users and the last one frees it. Bounded (32 texts of at most
 * 1 MiB; longer texts are parsed privately), least recently used evicted.
 * The OCF reader uses this for its header's schema. */
int avro_schema_parse_cached(avro_schema_doc **out, const char *json, size_t len, fl_error *err);
/* Drops the cache's references (docs still in use live on with their users). */
void avro_schema_cache_clear(void);
void avro_schema_free(avro_schema_doc *doc);
const avro_schema *avro_schema_root(const avro_schema_doc *doc);
/* The JSON text the schema was parsed from (NUL-terminated). */
const char *avro_schema_text(const avro_schema_doc *doc, size_t *len);
/* A named type by full name, or NULL. */
const avro_schema *avro_schema_named(const avro_schema_doc *doc, const char *full_name);

const char *avro_type_name(avro_type t);   /* "long", "record" ... */
/* An integer attribute of a JSON object (field, schema node): true when
 * present and an integer (or a string holding one) fitting int32. */
bool avro_json_int_attr(const struct json_t *obj, const char *key, int32_t *out);
/* A string attribute, or NULL. */
const char *avro_json_str_attr(const struct json_t *obj, const char *key);

/* Index of a record's field: by field id when field_id >= 0 and some field
 * has that id, else by name (or alias) when name is non-NULL; -1 if none.
 * Asked with an id, the name only matches fields that have no id (a field
 * with another id is another field, as Iceberg resolves by id).
 * A ["null", record] union is looked through. */
int avro_record_find(const avro_schema *record, int32_t field_id, const char *name);
/* The non-null branch of a ["null", X] union (or the node itself). */
const avro_schema *avro_schema_nonnull(const avro_schema *s);

/* A nested field resolved once per file: steps of (field id, name) from
 * the root record, e.g. {{2, "data_file"}, {100, "file_path"}}. */
typedef struct avro_field_ref {
    int32_t field_id;          /* -1: by name only */
    const char *name;          /* NULL: by id only */
} avro_field_ref;

#define AVRO_PATH_MAX 8
typedef struct avro_path {
    int16_t index[AVRO_PATH_MAX];
    uint8_t depth;
    const avro_schema *leaf;   /* the field's schema (unions not unwrapped) */
} avro_path;

/* 0 when every step resolves (through nullable records), else FLOE_ENOTFOUND
 * naming the missing step (the caller decides whether that is an error:
 * v1 manifests lack v2 fields). */
int avro_path_resolve(avro_path *out, const avro_schema *record, const avro_field_ref *steps,
                      size_t step_count, fl_error *err);
/* The value at a resolved path; NULL when a record on the way is null. */
const avro_value *avro_value_at(const avro_value *v, const avro_path *path);

/* ---- values ---- */

typedef struct avro_map_entry {
    fl_strv key;               /* NUL-terminated past len */
    avro_value *value;
} avro_map_entry;

struct avro_value {
    avro_type type;            /* never AVRO_UNION: unions hold the branch's value */
    int32_t branch;            /* union branch index, -1 when not inside a union */
    const avro_schema *schema; /* the value's (branch) schema */
    union {
        bool b;
        int32_t i;             /* int, enum symbol index */
        int64_t l;
        float f;
        double d;
        fl_strv bytes;         /* bytes, string, fixed */
        struct { avro_value **items; size_t count; } list;  /* record fields, array items */
        struct { avro_map_entry *entries; size_t count; } map;
    } u;
};

/* A record's field value by index (from avro_record_find); NULL if the
 * index is out of range or v is not a record. */
const avro_value *avro_value_field(const avro_value *v, int index);
/* Finds and returns a field by id, else name; NULL when absent. */
const avro_value *avro_value_find(const avro_value *v, int32_t field_id, const char *name);
static inline bool avro_value_is_null(const avro_value *v) { return !v || v->type == AVRO_NULL; }
/* Typed reads with promotions; FLOE_ETYPE when the value is null or not
 * convertible (the message names the type found). */
int avro_value_get_long(const avro_value *v, int64_t *out, fl_error *err);   /* int, long */
int avro_value_get_int(const avro_value *v, int32_t *out, fl_error *err);    /* int, long in range */
int avro_value_get_double(const avro_value *v, double *out, fl_error *err);  /* int, long, float, double */
int avro_value_get_bool(const avro_value *v, bool *out, fl_error *err);
/* string, bytes, fixed, enum (symbol) */
int avro_value_get_bytes(const avro_value *v, fl_strv *out, fl_error *err);

/* Value construction (for the writer); NULL on OOM. Strings are copied. */
avro_value *avro_value_new(fl_arena *arena, avro_type type);
avro_value *avro_value_null(fl_arena *arena);
avro_value *avro_value_boolean(fl_arena *arena, bool b);
avro_value *avro_value_int(fl_arena *arena, int32_t i);
avro_value *avro_value_long(fl_arena *arena, int64_t l);
avro_value *avro_value_float(fl_arena *arena, float f);
avro_value *avro_value_double(fl_arena *arena, double d);
avro_value *avro_value_string(fl_arena *arena, const char *s, size_t len);
avro_value *avro_value_bytes(fl_arena *arena, avro_type type, const void *p, size_t len);
avro_value *avro_value_enum(fl_arena *arena, int32_t symbol_index);
/* A record/array with count slots (items set by the caller). */
avro_value *avro_value_list(fl_arena *arena, avro_type type, size_t count);
/* A map with count entries (keys and values set by the caller). */
avro_value *avro_value_map(fl_arena *arena, size_t count);

/* Appends a readable JSON-like rendering (tests, debugging). */
int avro_value_to_text(fl_buf *out, const avro_value *v);

/* ---- binary encoding ---- */

/* Decodes one datum of `schema` from [*p, end) into arena; advances *p. */
int avro_decode_datum(avro_value **out, const avro_schema *schema, const uint8_t **p,
                      const uint8_t *end, fl_arena *arena, fl_error *err);
/* Encodes a value tree as `schema` (checked; unions pick v->branch when
 * >= 0, else the first branch of v's type). */
int avro_encode_datum(fl_buf *out, const avro_schema *schema, const avro_value *v,
                      fl_error *err);

/* A projection: the fields to materialize when decoding. Every field on a
 * path is kept, and everything under a path's last field; other record
 * fields are skipped (still validated) and left NULL in their record, which
 * avro_value_is_null reports like a null. Records are told apart by schema
 * node, so a named record type used at two places is projected the same
 * at both. */
typedef struct avro_projection avro_projection;
int avro_projection_new(avro_projection **out, const avro_path *paths, size_t path_count,
                        const avro_schema *root, fl_error *err);
void avro_projection_free(avro_projection *p);
/* avro_decode_datum with a projection (NULL: everything). */
int avro_decode_projected(avro_value **out, const avro_schema *schema, const avro_projection *proj,
                          const uint8_t **p, const uint8_t *end, fl_arena *arena, fl_error *err);
/* Checks and steps over one datum without building values. */
int avro_skip_datum(const avro_schema *schema, const uint8_t **p, const uint8_t *end, fl_error *err);

/* Streaming primitives (no schema check): 0 or FLOE_ENOMEM. */
int avro_enc_long(fl_buf *out, int64_t v);          /* int, long, enum, union branch */
int avro_enc_bool(fl_buf *out, bool v);
int avro_enc_float(fl_buf *out, float v);
int avro_enc_double(fl_buf *out, double v);
int avro_enc_bytes(fl_buf *out, const void *p, size_t len);   /* bytes, string */
int avro_enc_fixed(fl_buf *out, const void *p, size_t len);
/* Arrays and maps: a block count then items; a block of 0 ends them.
 * avro_enc_long(out, n) starts a block of n items; avro_enc_long(out, 0) ends. */

/* ---- codecs ---- */

typedef enum avro_codec {
    AVRO_CODEC_NULL = 0,
    AVRO_CODEC_DEFLATE,
    AVRO_CODEC_SNAPPY,
    AVRO_CODEC_ZSTD
} avro_codec;

const char *avro_codec_name(avro_codec c);   /* "null", "deflate", "snappy", "zstandard" */
/* Parses an "avro.codec" value; FLOE_EUNSUPPORTED for others (bzip2, xz). */
int avro_codec_parse(avro_codec *out, const char *name, size_t len, fl_error *err);
/* Appends the decompressed block to out; more than max_len bytes is
 * FLOE_ELIMIT; bad data (snappy CRC included) FLOE_ECORRUPT. */
int avro_decompress(avro_codec c, const uint8_t *src, size_t len, size_t max_len, fl_buf *out,
                    fl_error *err);
int avro_compress(avro_codec c, int level, const uint8_t *src, size_t len, fl_buf *out,
                  fl_error *err);

/* ---- object container files ---- */

typedef struct avro_meta {
    const char *key;
    const uint8_t *value;
    size_t len;
} avro_meta;

typedef struct avro_reader_opts {
    size_t max_block_size;     /* compressed or not; 0 = 256 MiB */
    size_t max_header_size;    /* 0 = 64 MiB */
} avro_reader_opts;

typedef struct avro_reader avro_reader;

/* Reads the header of an OCF file (the reader stays borrowed: keep it open
 * until avro_reader_free). opts may be NULL. */
int avro_reader_open(avro_reader **out, io_reader *file, const avro_reader_opts *opts,
                     fl_error *err);
void avro_reader_free(avro_reader *r);
const avro_schema *avro_reader_schema(const avro_reader *r);
const avro_schema_doc *avro_reader_schema_doc(const avro_reader *r);
avro_codec avro_reader_codec(const avro_reader *r);
/* Header metadata value by key (NULL if absent); len receives its length.
 * The value is NUL-terminated past len. */
const uint8_t *avro_reader_meta(const avro_reader *r, const char *key, size_t *len);
size_t avro_reader_meta_count(const avro_reader *r);
avro_meta avro_reader_meta_at(const avro_reader *r, size_t i);
/* Decodes the next datum into arena: 1 and *out set, 0 at the end. After
 * an error the reader is at its end (later calls return 0). */
int avro_reader_next(avro_reader *r, avro_value **out, fl_arena *arena, fl_error *err);
/* Decodes only the projection's fields from now on (NULL: all). The
 * projection is borrowed: keep it alive while the reader uses it. */
void avro_reader_set_projection(avro_reader *r, const avro_projection *proj);
/* Datums returned so far. */
uint64_t avro_reader_count(const avro_reader *r);

typedef struct avro_writer_opts {
    avro_codec codec;
    int level;                 /* codec level, 0 = default */
    size_t block_size;         /* flush a block at this many bytes; 0 = 64 KiB */
    const uint8_t *sync;       /* 16 bytes, or NULL for random */
} avro_writer_opts;

typedef struct avro_writer avro_writer;

/* Starts an OCF file on `out` (consumed: closed by avro_writer_close, aborted
 * by avro_writer_abort or a failed open). schema_json goes into
 * "avro.schema" verbatim; meta adds header keys (not "avro.*"). */
int avro_writer_open(avro_writer **out_writer, io_writer *out, const char *schema_json,
                     size_t schema_len, const avro_meta *meta, size_t meta_count,
                     const avro_writer_opts *opts, fl_error *err);
const avro_schema *avro_writer_schema(const avro_writer *w);
/* Encodes one value tree (checked against the schema). */
int avro_writer_append(avro_writer *w, const avro_value *v, fl_error *err);
/* Streaming: encode one datum with avro_enc_* into avro_writer_buf, then
 * call avro_writer_end_datum (which may flush a block). */
fl_buf *avro_writer_buf(avro_writer *w);
int avro_writer_end_datum(avro_writer *w, fl_error *err);
/* Flushes the last block, closes the file and frees the writer (also on failure). */
int avro_writer_close(avro_writer *w, fl_error *err);
/* Discards the file and frees the writer. NULL is a no-op. */
void avro_writer_abort(avro_writer *w);
uint64_t avro_writer_count(const avro_writer *w);

#endif
