/*
 * pq_read_int.h: internals shared by the reader's modules (not a contract
 * for other layers): pq_reader.c (file, scan, statistics), pq_page_read.c
 * (chunk -> pages -> dense values and levels) and pq_assemble.c (levels ->
 * fl_column, flat and nested).
 */
#ifndef PQ_READ_INT_H
#define PQ_READ_INT_H

#include "pq_reader.h"
#include "pq_bitpack.h"
#include "../../base/alloc.h"

#include <string.h>

struct pq_file {
    io_reader *src;
    bool owns_src;
    fl_arena *arena;          /* footer, schema: read-only after open */
    pq_file_meta *meta;
    pq_field *root;
    const pq_field **leaves;  /* leaf_index -> field */
    int n_leaves;
    int *top_leaf_begin;      /* per top-level column: first leaf index */
    const char *location;
    bool pad_chunks;          /* PARQUET-816 workaround (old parquet-mr) */
};

/* Arena recycling for page/chunk lifetimes: arenas retired during a batch are
 * reset at the start of the next batch (values of the batch may point into
 * them until then). */
typedef struct pq_arena_pool {
    fl_arena **retired;
    size_t n_retired, cap_retired;
    fl_arena **spare;
    size_t n_spare, cap_spare;
} pq_arena_pool;

/* Where the current page's values come from (pq_leaf_take_values). */
enum {
    PQ_VALS_DENSE,   /* vals[]: decoded whole when the page was read */
    PQ_VALS_DICT,    /* dictionary indices, decoded as taken (pq_rle_cursor) */
    PQ_VALS_RAW      /* PLAIN fixed-width values converted as taken */
};

#define PQ_N_SCRATCH 7

/* Reads one leaf column chunk page by page. */
typedef struct pq_leaf {
    const pq_field *field;
    const pq_file *file;
    int leaf_index;
    fl_type type;             /* output type */
    size_t width;             /* output bytes per value */
    int phys;
    int32_t type_length;
    int16_t max_def, max_rep;
    size_t max_page_bytes;
    bool verify_crc;
    bool flat;                /* a top-level primitive column: read only through
                                 pq_leaf_take_values / pq_leaf_skip_values, so
                                 its pages may decode values lazily */
    bool dict_ok;             /* flat BYTE_ARRAY string/binary leaf of a scan with
                                 keep_dictionaries: pq_scan_next_dict may hand
                                 its batches out as indices (pq_assemble_dict) */

    /* chunk */
    int row_group;
    const pq_column_meta *cm;
    fl_arena *chunk_arena;    /* chunk bytes + dictionary */
    const uint8_t *chunk;     /* bytes [win_off, win_off + win_len) of the chunk */
    size_t chunk_len, chunk_pos;
    size_t win_off, win_len;
    uint64_t chunk_file_off;  /* where the chunk starts in the file */
    bool windowed;            /* set before pq_leaf_open_chunk: read the chunk in
                                 windows, not whole (a row range cuts the group) */
    double range_frac;        /* windowed: the share of the group's rows wanted */
    size_t read_ahead;        /* windowed: bytes to read past what is needed */
    int64_t chunk_values_left;
    bool first_entry;         /* next entry is the chunk's first */
    int64_t rows_done;        /* rows of this row group already decoded */
    int64_t skip_budget;      /* rows pq_leaf_ensure_page may skip by page headers */
    int64_t skipped_rows;     /* rows it skipped so (added up by pq_leaf_skip_rows) */
    const void *dict;         /* dictionary values in output representation */
    uint32_t dict_count;
    bool has_dict;
    fl_column *dict_values;   /* dict_ok: the chunk's dictionary as an fl_column
                              (entries + the NULL entry), built on the first
                              dictionary batch, in chunk_arena; NULL before */
    uint64_t dict_id;         /* its fl_dict_next_id() */

    /* current data page */
    fl_arena *page_arena;
    bool page_holds_values;   /* returned strings may point into page_arena */
    const uint8_t *def, *rep; /* NULL when the max level is 0 */
    size_t n_entries, epos;
    const void *vals;         /* dense non-null values, output representation (PQ_VALS_DENSE) */
    size_t n_vals, vpos;
    size_t page_nulls;        /* entries below max_def in the page */
    const uint32_t *nullpos;  /* flat leaves: the page's NULL entries, ascending */
    size_t null_i;            /* next nullpos not yet passed */
    size_t null_first;        /* fill_flat: the first NULL of the current run */
    int vsrc;                 /* PQ_VALS_* */
    pq_rle_cursor rle;        /* PQ_VALS_DICT */
    const uint8_t *raw;       /* PQ_VALS_RAW: the page's PLAIN values */
    size_t raw_width;

    /* per-page scratch reused from page to page (nothing a batch returns
     * points into it): levels, indices, converted values, temporaries */
    void *scratch[PQ_N_SCRATCH];
    size_t scratch_cap[PQ_N_SCRATCH];

    /* gathered levels and values of one batch (nested columns) */
    uint8_t *bdef, *brep;
    size_t bcount, bcap;
    uint8_t *bvals;
    size_t bnvals, bvcap;
    size_t bdef_pos, bval_pos;   /* assembly cursors */
} pq_leaf;

/* IEEE half-precision bits -> float (FLOAT16 columns and statistics). */
static inline float pq_half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0) {
        if (mant == 0) bits = sign;
        else {   /* subnormal: normalise */
            int e = -1;
            do { e++; mant <<= 1; } while (!(mant & 0x400));
            bits = sign | ((uint32_t)(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
        }
    } else if (exp == 31) bits = sign | 0x7f800000u | (mant << 13);
    else bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

int pq_pool_get(pq_arena_pool *pool, fl_arena **out);
int pq_pool_retire(pq_arena_pool *pool, fl_arena *arena);
void pq_pool_recycle(pq_arena_pool *pool);
void pq_pool_dispose(pq_arena_pool *pool);

/* pq_page_read.c */
void pq_leaf_init(pq_leaf *leaf, const pq_file *file, const pq_field *field, const pq_scan_opts *opts);
/* Fetches the chunk of row group rg (one read) and resets page state. */
int pq_leaf_open_chunk(pq_leaf *leaf, pq_arena_pool *pool, int rg, fl_error *err);
/* Makes a data page current when the current one is used up. *eof is set
 * when the chunk has no more data pages. */
int pq_leaf_ensure_page(pq_leaf *leaf, pq_arena_pool *pool, bool *eof, fl_error *err);
/* Passes over the next `rows` rows of the row group without decoding them
 * into columns: pages wholly inside are skipped by their headers (flat
 * columns: a page's num_values is its row count; nested columns: DataPageV2
 * num_rows), without decompression; the rest are decoded and their levels
 * and values passed over. */
int pq_leaf_skip_rows(pq_leaf *leaf, pq_arena_pool *pool, int64_t rows, fl_error *err);
/* Flat leaves: copies the current page's next n non-null values, in the
 * output representation, to dst (decoding them now for lazy pages), or
 * passes over them. */
int pq_leaf_take_values(pq_leaf *leaf, void *dst, size_t n, fl_error *err);
int pq_leaf_skip_values(pq_leaf *leaf, size_t n, fl_error *err);
/* Flat leaves on a dictionary-encoded page (vsrc PQ_VALS_DICT): the next n
 * non-null values as dictionary indices (each checked against dict_count). */
int pq_leaf_take_indices(pq_leaf *leaf, uint32_t *dst, size_t n, fl_error *err);
/* dict_ok leaves: the chunk's dictionary as a column of dict_count entries
 * plus, for optional columns (max_def > 0), a NULL entry at dict_count;
 * built once per chunk in the chunk arena with a fresh fl_dict_next_id(). */
int pq_leaf_dict_values(pq_leaf *leaf, fl_column **values, uint64_t *id, fl_error *err);
/* Fails when the chunk still holds values after its row group's rows. */
int pq_leaf_check_done(pq_leaf *leaf, pq_arena_pool *pool, fl_error *err);
void pq_leaf_dispose(pq_leaf *leaf);
/* Formats the error context "column "x" of row group N in "file"". */
int pq_leaf_error(const pq_leaf *leaf, fl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* pq_assemble.c: decode `rows` rows of a top-level field whose leaves are
 * leaves[0..n_leaves) into a new column in arena. */
int pq_assemble_column(const pq_field *field, pq_leaf *leaves, int n_leaves, pq_arena_pool *pool,
                       size_t rows, fl_arena *arena, fl_column **out, fl_error *err);
/* A dict_ok leaf's next `rows` rows: as a dictionary (*dict set, *out NULL;
 * the fl_dict_column and its indices in arena) when every row comes from a
 * dictionary-encoded page (or is NULL), else flat (*out set, *dict NULL). */
int pq_assemble_dict(pq_leaf *leaf, pq_arena_pool *pool, size_t rows, fl_arena *arena,
                     fl_column **out, fl_dict_column **dict, fl_error *err);

#endif
