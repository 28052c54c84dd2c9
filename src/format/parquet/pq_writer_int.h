/*
 * pq_writer_int.h: the pieces of the Parquet writer shared between its files
 * (not a contract for other layers; include pq_writer.h instead).
 *
 * The writer (pq_writer.c) flattens the pq_field tree into one pqw_leaf per
 * leaf column. Each batch of rows is shredded (pq_shred.c) into the leaves'
 * row-group buffers: definition and repetition levels (one byte each, so the
 * nesting is limited to 255 levels) and the non-NULL values already in their
 * physical form (little-endian INT32/INT64/FLOAT/DOUBLE, one byte per
 * BOOLEAN, raw FIXED_LEN_BYTE_ARRAY bytes, and BYTE_ARRAY values as a PLAIN
 * stream of 4-byte length + bytes). When a row group is full every leaf is
 * encoded into a column chunk (pq_chunk_write.c: dictionary from pq_dict.c,
 * statistics from pq_stats_write.c, pages, compression), possibly on several
 * threads, one leaf per task; a leaf touches only its own buffers.
 */
#ifndef PQ_WRITER_INT_H
#define PQ_WRITER_INT_H

#include "pq_writer.h"

/* ---- dictionary builder (pq_dict.c) ---- */

typedef struct pqw_dict {
    int width;            /* bytes per fixed-width value; 0 = PLAIN byte-array stream */
    uint64_t *slots;      /* open addressing: hash << 32 | (entry + 1), 0 = empty */
    size_t cap;           /* slots, a power of two */
    size_t count;         /* entries */
    fl_buf values;        /* the entries, PLAIN-encoded (what the dictionary page holds) */
    uint64_t *offsets;    /* byte arrays: start of each entry in values */
    size_t offsets_cap;
} pqw_dict;

void pqw_dict_init(pqw_dict *d);
void pqw_dict_dispose(pqw_dict *d);
/* Empties the dictionary for a new chunk of values `width` bytes wide (0 =
 * byte arrays). Keeps capacity. */
void pqw_dict_reset(pqw_dict *d, int width);
/*
 * Adds n values and writes each one's entry index to idx[n]. Fixed-width
 * values are n * width bytes at vals; byte arrays are a PLAIN stream of at
 * least n values in vals_len bytes. *consumed receives the bytes the n values
 * took. Returns 1 when done, 0 as soon as the PLAIN size of the entries
 * exceeds limit (the dictionary is then abandoned), FLOE_ENOMEM.
 */
int pqw_dict_add(pqw_dict *d, const uint8_t *vals, size_t vals_len, size_t n, uint32_t *idx,
                 size_t limit, size_t *consumed);

/* ---- statistics (pq_stats_write.c) ---- */

/* How values of a leaf compare (the Parquet sort order of its type). */
enum {
    PQW_SORT_BOOL,      /* false < true */
    PQW_SORT_I32,       /* signed INT32 */
    PQW_SORT_U32,       /* INT32 holding unsigned values */
    PQW_SORT_I64,
    PQW_SORT_U64,
    PQW_SORT_FLOAT,     /* NaN ignored, -0.0 min / +0.0 max */
    PQW_SORT_DOUBLE,
    PQW_SORT_FLBA_SIGNED,  /* big-endian two's complement (decimals) */
    PQW_SORT_BYTES,     /* unsigned lexicographic (FLBA or BYTE_ARRAY) */
    PQW_SORT_NONE       /* no ordering: no min/max */
};

#define PQW_STATS_TRUNCATE 1024   /* longer byte-array min/max are truncated (inexact) */

typedef struct pqw_stats {
    bool has_minmax;
    bool min_exact, max_exact;
    const uint8_t *min, *max;   /* point into the values, or into min_buf/max_buf */
    size_t min_len, max_len;
    uint8_t min_buf[16], max_buf[16];
    fl_buf trunc;               /* truncated byte-array max/min */
} pqw_stats;

void pqw_stats_init(pqw_stats *s);
void pqw_stats_dispose(pqw_stats *s);
/*
 * Computes min/max over n values in the writer's physical layout (see the
 * header comment): fixed-width `width`-byte values, or a PLAIN byte-array
 * stream when width is 0. The result may point into vals.
 */
int pqw_stats_compute(pqw_stats *s, int sort, int width, bool is_string, const uint8_t *vals,
                      size_t vals_len, size_t n);

/* ---- leaves ---- */

enum { PQW_STEP_LEAF, PQW_STEP_STRUCT, PQW_STEP_LIST, PQW_STEP_MAP };

/* One node on the path from a top-level field down to a leaf. */
typedef struct pqw_step {
    uint8_t kind;         /* PQW_STEP_* */
    bool nullable;        /* optional in the file: adds a definition level */
    uint32_t child;       /* STRUCT: child on the path; MAP: 0 key, 1 value; LIST: 0 */
    int16_t rep_level;    /* LIST/MAP: repetition level of the repeated group */
} pqw_step;

typedef struct pqw_leaf {
    /* description, fixed at pq_writer_new */
    fl_type type;
    const char *name;         /* dotted path for messages */
    int top;                  /* index of the top-level field */
    pqw_step *steps;
    int n_steps;
    int16_t max_def, max_rep;
    int physical_type;        /* pq_physical_type */
    int32_t type_length;      /* FLBA */
    int width;                /* bytes per buffered value; 0 for BYTE_ARRAY */
    int sort;                 /* PQW_SORT_* */
    char **path;
    int path_len;

    /* the row group being buffered */
    fl_buf def, rep;          /* one byte per level entry */
    fl_buf values;            /* non-NULL values, physical layout */
    size_t n_entries, n_values;
    int64_t n_nulls;          /* entries with def < max_def */

    /* encoding scratch, reused across row groups */
    pqw_dict dict;
    uint32_t *idx;
    size_t idx_cap;
    fl_buf page, vals_page, comp, chunk;
    pqw_stats stats;

    /* the encoded chunk: offsets relative to the chunk start */
    bool has_dict_page;
    int64_t dict_page_rel, data_page_rel;
    int64_t uncompressed_size;
    int encodings[4];
    int n_encodings;
    int rc;
    fl_error err;
} pqw_leaf;

/* Settings for encoding chunks. */
typedef struct pqw_cfg {
    int codec;
    int level;
    size_t page_bytes;
    size_t dict_page_bytes;
    bool no_dictionary;
    int page_version;
    bool page_crc;
    size_t page_rows;
} pqw_cfg;

/* Checks rows [begin, end) of col against field f (types, lengths, offsets,
 * children) before anything is shredded. FLOE_ETYPE / FLOE_EINVAL. */
int pqw_validate(const pq_field *f, const fl_column *col, size_t begin, size_t end,
                 fl_error *err);

/* Shreds rows [begin, end) of top-level column col into the leaf's buffers
 * (pq_shred.c). FLOE_EINVAL for a NULL in a required field or a value that
 * does not fit its type, FLOE_ENOMEM. */
int pqw_shred(pqw_leaf *leaf, const fl_column *col, size_t begin, size_t end, fl_error *err);

/* Encodes the leaf's buffered values as one column chunk into leaf->chunk
 * and sets the leaf's chunk fields and stats (pq_chunk_write.c). */
int pqw_chunk_encode(pqw_leaf *leaf, const pqw_cfg *cfg, fl_error *err);

#endif
