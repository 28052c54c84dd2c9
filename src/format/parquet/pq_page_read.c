/*
 * pq_page_read.c: from a column chunk's bytes to dense values and levels,
 * one page at a time.
 *
 * pq_leaf_open_chunk fetches a leaf's whole column chunk with one range read
 * (start = dictionary_page_offset when present, > 0 and below
 * data_page_offset, else data_page_offset; length = total_compressed_size,
 * checked against the file size). pq_leaf_ensure_page then walks the page
 * headers: a dictionary page (wherever it comes first, even when the footer
 * has no dictionary_page_offset) is decoded once into the output
 * representation; each data page (v1 or v2) is verified (CRC-32 of the
 * compressed bytes, when asked), decompressed, its levels decoded whole into
 * uint8_t arrays and its non-null values decoded whole into a typed array in
 * the column's output representation (ints narrowed or widened, time units
 * scaled, INT96 converted, decimals unscaled, FLOAT16 widened; strings as
 * fl_strv views into the page or dictionary buffer). pq_assemble.c copies
 * from there into columns with bulk loops.
 *
 * Flat leaves (top-level primitives) decode lazily instead: a dictionary
 * page's indices stay in an RLE cursor and a PLAIN page needing conversion
 * stays raw, and pq_leaf_take_values decodes exactly the values a batch
 * asks for straight into the output column; their definition levels are
 * passed once to find the NULLs (or not decoded at all when one RLE run
 * says there are none). Pages wholly inside a row range's skipped rows are
 * passed over by their headers (skip_page). For dictionary batches a flat
 * leaf hands out the indices themselves (pq_leaf_take_indices), and the
 * chunk's dictionary becomes a values column once (pq_leaf_dict_values).
 *
 * Every size, count, level and dictionary index is checked; a violation is
 * FLOE_ECORRUPT naming the file, row group and column.
 */
#include "pq_read_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../base/crc32.h"
#include "../../base/decimal.h"
#include "../../base/time.h"
#include "pq_codec.h"
#include "pq_encoding.h"

#define DEFAULT_MAX_PAGE ((size_t)3 << 30)   /* 3 GiB */
/* windowed chunks: read-ahead floor, first retry for a long header,
 * read-ahead while skipping pages, bytes wanted before parsing a page header
 * (more are read when it is longer) */
#define READ_AHEAD_MIN ((size_t)16 << 10)
#define WINDOW_MIN ((size_t)64 << 10)
#define SKIP_AHEAD ((size_t)1024)
#define HEADER_PEEK ((size_t)256)

/* ---- arena pool ---- */

/* Page arenas mostly hold a header's statistics; large buffers (pages,
 * chunks) get blocks of their own anyway. */
#define POOL_BLOCK 8192

int pq_pool_get(pq_arena_pool *pool, fl_arena **out)
{
    if (pool->n_spare) {
        *out = pool->spare[--pool->n_spare];
        return 0;
    }
    *out = fl_arena_new(POOL_BLOCK);
    return *out ? 0 : FLOE_ENOMEM;
}

static int push(fl_arena ***arr, size_t *n, size_t *cap, fl_arena *a)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        fl_arena **p = fl_realloc(*arr, nc * sizeof *p);
        if (!p) return FLOE_ENOMEM;
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = a;
    return 0;
}

int pq_pool_retire(pq_arena_pool *pool, fl_arena *arena)
{
    if (!arena) return 0;
    if (push(&pool->retired, &pool->n_retired, &pool->cap_retired, arena) < 0) {
        fl_arena_free(arena);   /* nothing can point into it safely now: the batch fails */
        return FLOE_ENOMEM;
    }
    return 0;
}

void pq_pool_recycle(pq_arena_pool *pool)
{
    for (size_t i = 0; i < pool->n_retired; i++) {
        fl_arena *a = pool->retired[i];
        if (pool->n_spare < 8 && push(&pool->spare, &pool->n_spare, &pool->cap_spare, a) == 0)
            fl_arena_reset(a);
        else
            fl_arena_free(a);
    }
    pool->n_retired = 0;
}

void pq_pool_dispose(pq_arena_pool *pool)
{
    pq_pool_recycle(pool);
    for (size_t i = 0; i < pool->n_spare; i++) fl_arena_free(pool->spare[i]);
    fl_free(pool->retired);
    fl_free(pool->spare);
    memset(pool, 0, sizeof *pool);
}

/* ---- errors ---- */

int pq_leaf_error(const pq_leaf *leaf, fl_error *err, int code, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fl_error_set(err, code, "could not read \"%s\": column \"%s\" of row group %d: %s",
                        leaf->file->location, leaf->field->name, leaf->row_group, msg);
}

/* ---- init ---- */

enum { SCALE_NONE, SCALE_MUL1000, SCALE_DIV1000 };

static int time_scale(const pq_leaf *leaf)
{
    const pq_schema_element *el = leaf->field->element;
    int id = leaf->type.id;
    if (id != FL_TYPE_TIME && id != FL_TYPE_TIMESTAMP && id != FL_TYPE_TIMESTAMPTZ) return SCALE_NONE;
    if (leaf->phys == PQ_INT96) return SCALE_NONE;
    int unit;
    if (el->logical.kind == PQ_LT_TIME || el->logical.kind == PQ_LT_TIMESTAMP) unit = el->logical.unit;
    else if (el->converted_type == PQ_CT_TIME_MILLIS || el->converted_type == PQ_CT_TIMESTAMP_MILLIS)
        unit = PQ_UNIT_MILLIS;
    else unit = PQ_UNIT_MICROS;
    return unit == PQ_UNIT_MILLIS ? SCALE_MUL1000 : unit == PQ_UNIT_NANOS ? SCALE_DIV1000 : SCALE_NONE;
}

void pq_leaf_init(pq_leaf *leaf, const pq_file *file, const pq_field *field, const pq_scan_opts *opts)
{
    memset(leaf, 0, sizeof *leaf);
    leaf->field = field;
    leaf->file = file;
    leaf->leaf_index = field->leaf_index;
    leaf->type = field->type;
    leaf->width = fl_type_width(field->type);
    leaf->phys = field->physical_type;
    leaf->type_length = field->type_length;
    leaf->max_def = field->max_def;
    leaf->max_rep = field->max_rep;
    leaf->max_page_bytes = opts && opts->max_page_bytes ? opts->max_page_bytes : DEFAULT_MAX_PAGE;
    leaf->verify_crc = opts && opts->verify_crc;
    leaf->row_group = -1;
}

enum { S_DEF, S_REP, S_IDX, S_VALS, S_TMP, S_PAGE, S_NULLS };

/* Memory for one page's decoding: from `arena` when given (dictionaries:
 * the chunk arena), else from the leaf's scratch slot, reused by the next
 * page. Only what a returned batch may point into (string bytes) must not
 * come from scratch. */
static void *page_alloc(pq_leaf *leaf, fl_arena *arena, int slot, size_t size)
{
    if (arena) return fl_arena_alloc(arena, size ? size : 1);
    if (size > leaf->scratch_cap[slot] || !leaf->scratch[slot]) {
        size_t cap = size < 4096 ? 4096 : size + size / 4;
        void *p = fl_realloc(leaf->scratch[slot], cap);
        if (!p) return NULL;
        leaf->scratch[slot] = p;
        leaf->scratch_cap[slot] = cap;
    }
    return leaf->scratch[slot];
}

void pq_leaf_dispose(pq_leaf *leaf)
{
    for (int i = 0; i < PQ_N_SCRATCH; i++) {
        fl_free(leaf->scratch[i]);
        leaf->scratch[i] = NULL;
        leaf->scratch_cap[i] = 0;
    }
    fl_arena_free(leaf->chunk_arena);
    fl_arena_free(leaf->page_arena);
    fl_free(leaf->bdef);
    fl_free(leaf->brep);
    fl_free(leaf->bvals);
    leaf->chunk_arena = leaf->page_arena = NULL;
    leaf->bdef = leaf->brep = leaf->bvals = NULL;
}

/* ---- chunk ---- */

int pq_leaf_open_chunk(pq_leaf *leaf, pq_arena_pool *pool, int rg, fl_error *err)
{
    const pq_file *file = leaf->file;
    const pq_row_group *g = &file->meta->row_groups[rg];
    leaf->row_group = rg;
    fl_arena *old_chunk = leaf->chunk_arena, *old_page = leaf->page_arena;
    leaf->chunk_arena = leaf->page_arena = NULL;   /* retire takes them, even on failure */
    int rc1 = pq_pool_retire(pool, old_chunk), rc2 = pq_pool_retire(pool, old_page);
    if (rc1 < 0 || rc2 < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    leaf->chunk = NULL;
    leaf->chunk_len = leaf->chunk_pos = leaf->win_off = leaf->win_len = 0;
    leaf->has_dict = false;
    leaf->dict = NULL;
    leaf->dict_count = 0;
    leaf->dict_values = NULL;   /* lived in the retired chunk arena */
    leaf->dict_id = 0;
    leaf->n_entries = leaf->epos = leaf->n_vals = leaf->vpos = 0;
    leaf->first_entry = true;
    leaf->rows_done = 0;
    leaf->skip_budget = leaf->skipped_rows = 0;
    leaf->page_holds_values = false;

    if (leaf->leaf_index >= g->n_columns)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "row group has only %d column chunks",
                             g->n_columns);
    const pq_column_chunk *cc = &g->columns[leaf->leaf_index];
    if (cc->encrypted)
        return pq_leaf_error(leaf, err, FLOE_EUNSUPPORTED, "encrypted column chunks are not supported");
    if (!cc->has_meta)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "column chunk has no metadata");
    if (cc->file_path && cc->file_path[0])
        return pq_leaf_error(leaf, err, FLOE_EUNSUPPORTED,
                             "column chunk stored in another file (\"%s\")", cc->file_path);
    const pq_column_meta *cm = &cc->meta;
    leaf->cm = cm;
    if (cm->type != leaf->phys)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                             "column chunk type %s does not match the schema type %s",
                             pq_physical_type_name(cm->type), pq_physical_type_name(leaf->phys));
    if (cm->num_values < 0)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "negative value count %lld",
                             (long long)cm->num_values);
    leaf->chunk_values_left = cm->num_values;
    int64_t start = cm->data_page_offset;
    if (cm->has_dictionary_page_offset && cm->dictionary_page_offset > 0 &&
        cm->dictionary_page_offset < cm->data_page_offset)
        start = cm->dictionary_page_offset;
    int64_t len = cm->total_compressed_size;
    uint64_t fsize = file->src->size;
    if (file->pad_chunks && start >= 0 && len >= 0 && (uint64_t)start <= fsize &&
        (uint64_t)len <= fsize - (uint64_t)start) {
        /* PARQUET-816: parquet-mr <= 1.2.8 left the dictionary page header out
         * of total_compressed_size; read up to 100 bytes more, as parquet-cpp does. */
        uint64_t rest = fsize - (uint64_t)start - (uint64_t)len;
        len += (int64_t)(rest < 100 ? rest : 100);
    }
    if (start < 4 || len < 0 || (uint64_t)start > fsize || (uint64_t)len > fsize - (uint64_t)start)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                             "column chunk at offset %lld with %lld bytes lies outside the file "
                             "(%llu bytes)", (long long)start, (long long)len,
                             (unsigned long long)fsize);
    if (cm->num_values == 0 && g->num_rows == 0) return 0;
    if (pq_pool_get(pool, &leaf->chunk_arena) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    leaf->chunk_file_off = (uint64_t)start;
    if (leaf->windowed) {   /* read as the pages are reached (ensure_window) */
        double want = (double)len * leaf->range_frac * 1.25 + (double)READ_AHEAD_MIN;
        leaf->read_ahead = want < (double)len ? (size_t)want : (size_t)len;
        leaf->chunk_len = (size_t)len;
        return 0;
    }
    uint8_t *buf = fl_arena_alloc(leaf->chunk_arena, (size_t)len + 1);
    if (!buf) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a column chunk");
    if (len) FL_TRY(io_read_at(file->src, (uint64_t)start, buf, (size_t)len, err));
    leaf->chunk = buf;
    leaf->chunk_len = leaf->win_len = (size_t)len;
    return 0;
}

/* Makes chunk bytes [chunk_pos, end) readable (end clamped to the chunk).
 * A whole chunk is one window; a windowed chunk reads a new window starting
 * at chunk_pos, of at least `ahead` bytes, into the chunk arena (earlier
 * windows stay there: values and headers may point into them). */
static int ensure_window(pq_leaf *leaf, size_t end, size_t ahead, fl_error *err)
{
    size_t pos = leaf->chunk_pos;
    if (end > leaf->chunk_len) end = leaf->chunk_len;
    if (leaf->chunk && pos >= leaf->win_off && end <= leaf->win_off + leaf->win_len) return 0;
    size_t n = end - pos;
    if (n < ahead) n = ahead;
    if (n > leaf->chunk_len - pos) n = leaf->chunk_len - pos;
    uint8_t *buf = fl_arena_alloc(leaf->chunk_arena, n + 1);
    if (!buf) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading a column chunk");
    if (n) FL_TRY(io_read_at(leaf->file->src, leaf->chunk_file_off + pos, buf, n, err));
    leaf->chunk = buf;
    leaf->win_off = pos;
    leaf->win_len = n;
    return 0;
}

/* ---- value conversion ---- */

static int store_decimal(const pq_leaf *leaf, const uint8_t *p, size_t len, void *dst, fl_error *err)
{
    fl_int128 v = 0;
    if (len > 16 || (len && !fl_decimal_from_be_bytes(p, len, &v)))
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "decimal value of %zu bytes is too long", len);
    if (fl_decimal_is_wide(leaf->type)) memcpy(dst, &v, 16);
    else {
        int64_t n = (int64_t)v;
        memcpy(dst, &n, 8);
    }
    return 0;
}

static size_t phys_width(const pq_leaf *leaf)
{
    switch (leaf->phys) {
    case PQ_INT32: case PQ_FLOAT: return 4;
    case PQ_INT64: case PQ_DOUBLE: return 8;
    case PQ_INT96: return 12;
    case PQ_FIXED_LEN_BYTE_ARRAY: return (size_t)leaf->type_length;
    default: return 0;
    }
}

/* Fixed-width little-endian physical values (raw, unaligned) -> output, for
 * every conversion that cannot fail (all but decimals in FIXED_LEN_BYTE_ARRAY):
 * count values of raw into out. */
static void conv_fixed(const pq_leaf *leaf, int scale, const uint8_t *raw, size_t count, uint8_t *out)
{
    int id = leaf->type.id;
    size_t w = leaf->width;
    switch (leaf->phys) {
    case PQ_INT32:
        if (w == 1) for (size_t i = 0; i < count; i++) out[i] = raw[i * 4];
        else if (w == 2) for (size_t i = 0; i < count; i++) memcpy(out + i * 2, raw + i * 4, 2);
        else if (w == 4) memcpy(out, raw, count * 4);
        else if (id == FL_TYPE_TIME) {
            for (size_t i = 0; i < count; i++) {
                int64_t v = (int64_t)(int32_t)fl_load_u32le(raw + i * 4) * 1000;
                memcpy(out + i * 8, &v, 8);
            }
        } else if (w == 8) {   /* narrow decimal */
            for (size_t i = 0; i < count; i++) {
                int64_t v = (int32_t)fl_load_u32le(raw + i * 4);
                memcpy(out + i * 8, &v, 8);
            }
        } else {
            for (size_t i = 0; i < count; i++) {
                fl_int128 v = (int32_t)fl_load_u32le(raw + i * 4);
                memcpy(out + i * 16, &v, 16);
            }
        }
        return;
    case PQ_INT64:
        if (w == 16) {
            for (size_t i = 0; i < count; i++) {
                fl_int128 v = (int64_t)fl_load_u64le(raw + i * 8);
                memcpy(out + i * 16, &v, 16);
            }
        } else if (scale == SCALE_MUL1000) {
            for (size_t i = 0; i < count; i++) {
                int64_t v = (int64_t)(fl_load_u64le(raw + i * 8) * 1000u);
                memcpy(out + i * 8, &v, 8);
            }
        } else if (scale == SCALE_DIV1000) {
            for (size_t i = 0; i < count; i++) {
                int64_t v = (int64_t)fl_load_u64le(raw + i * 8) / 1000;
                memcpy(out + i * 8, &v, 8);
            }
        } else {
            memcpy(out, raw, count * 8);
        }
        return;
    case PQ_INT96:
        /* Not fl_int96_to_micros: that saturates, but Spark writes Julian days
         * beyond int32 wrapped, and the reference readers (arrow-rs, Comet)
         * recover those timestamps with arithmetic modulo 2^64; so do we
         * (int96_from_spark.parquet, year 290000). Equal for in-range values. */
        for (size_t i = 0; i < count; i++) {
            int64_t nanos = (int64_t)fl_load_u64le(raw + i * 12);
            int32_t day = (int32_t)fl_load_u32le(raw + i * 12 + 8);
            int64_t us = nanos / 1000 - (nanos % 1000 < 0);
            int64_t v = (int64_t)((uint64_t)((int64_t)day - 2440588) * (uint64_t)FL_MICROS_PER_DAY + (uint64_t)us);
            memcpy(out + i * 8, &v, 8);
        }
        return;
    case PQ_FIXED_LEN_BYTE_ARRAY: {
        size_t L = (size_t)leaf->type_length;
        if (id == FL_TYPE_FLOAT) {
            for (size_t i = 0; i < count; i++) {
                float f = pq_half_to_float(fl_load_u16le(raw + i * 2));
                memcpy(out + i * 4, &f, 4);
            }
        } else {
            for (size_t i = 0; i < count; i++) {
                fl_strv v = fl_strv_make((const char *)raw + i * L, L);
                memcpy(out + i * sizeof v, &v, sizeof v);
            }
        }
        return;
    }
    default:   /* FLOAT, DOUBLE: same representation */
        memcpy(out, raw, count * w);
        return;
    }
}

/* Fixed-width little-endian physical values (raw, unaligned) -> output. When
 * the representation is identical, *vals aliases raw. A flat leaf's data
 * page (arena NULL) that needs a conversion is converted as its values are
 * taken (PQ_VALS_RAW), straight into the output column. */
static int conv_raw(pq_leaf *leaf, const uint8_t *raw, size_t count, fl_arena *arena,
                    const void **vals, fl_error *err)
{
    int id = leaf->type.id;
    size_t w = leaf->width;
    if (id == FL_TYPE_NULL) {
        *vals = NULL;
        return 0;
    }
    int scale = time_scale(leaf);
    bool same = (leaf->phys == PQ_INT32 && w == 4 && id != FL_TYPE_TIME && id != FL_TYPE_DECIMAL) ||
                (leaf->phys == PQ_INT64 && w == 8 && scale == SCALE_NONE && !(id == FL_TYPE_DECIMAL && w == 16)) ||
                (leaf->phys == PQ_FLOAT && id == FL_TYPE_FLOAT) ||
                (leaf->phys == PQ_DOUBLE && id == FL_TYPE_DOUBLE);
    if (same) {
        *vals = raw;
        return 0;
    }
    if (leaf->phys != PQ_INT32 && leaf->phys != PQ_INT64 && leaf->phys != PQ_INT96 &&
        leaf->phys != PQ_FIXED_LEN_BYTE_ARRAY)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "unexpected physical type %d", leaf->phys);
    bool fallible = leaf->phys == PQ_FIXED_LEN_BYTE_ARRAY && id == FL_TYPE_DECIMAL;
    if (!fallible && leaf->flat && !arena) {
        leaf->vsrc = PQ_VALS_RAW;
        leaf->raw = raw;
        leaf->raw_width = phys_width(leaf);
        *vals = NULL;
        return 0;
    }
    uint8_t *out = page_alloc(leaf, arena, S_VALS, count * w + 1);
    if (!out) return FLOE_ENOMEM;
    *vals = out;
    if (fallible) {
        size_t L = (size_t)leaf->type_length;
        for (size_t i = 0; i < count; i++) FL_TRY(store_decimal(leaf, raw + i * L, L, out + i * w, err));
        return 0;
    }
    conv_fixed(leaf, scale, raw, count, out);
    return 0;
}

/* fl_strv values (BYTE_ARRAY, or FLBA through DELTA_BYTE_ARRAY) -> output. */
static int conv_strv(pq_leaf *leaf, fl_strv *sv, size_t count, fl_arena *arena, const void **vals,
                     fl_error *err)
{
    int id = leaf->type.id;
    if (id == FL_TYPE_NULL) {
        *vals = NULL;
        return 0;
    }
    if (leaf->phys == PQ_FIXED_LEN_BYTE_ARRAY) {
        for (size_t i = 0; i < count; i++)
            if (sv[i].len != (uint32_t)leaf->type_length)
                return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                                     "value of %u bytes in a FIXED_LEN_BYTE_ARRAY(%d) column",
                                     sv[i].len, leaf->type_length);
    }
    if (id == FL_TYPE_STRING || id == FL_TYPE_BINARY || id == FL_TYPE_FIXED || id == FL_TYPE_UUID) {
        *vals = sv;
        return 0;
    }
    uint8_t *out = page_alloc(leaf, arena, S_VALS, count * leaf->width + 1);
    if (!out) return FLOE_ENOMEM;
    if (id == FL_TYPE_DECIMAL) {
        for (size_t i = 0; i < count; i++)
            FL_TRY(store_decimal(leaf, (const uint8_t *)sv[i].ptr, sv[i].len, out + i * leaf->width, err));
    } else if (id == FL_TYPE_FLOAT) {
        for (size_t i = 0; i < count; i++)
            ((float *)out)[i] = pq_half_to_float(fl_load_u16le(sv[i].ptr));
    } else {
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "byte array values for a %s column",
                             fl_type_name((fl_type_id)id));
    }
    *vals = out;
    return 0;
}

static int decode_plain(pq_leaf *leaf, const uint8_t *p, size_t len, size_t count, fl_arena *arena,
                        const void **vals, fl_error *err)
{
    size_t consumed;
    if (leaf->phys == PQ_BOOLEAN) {
        uint8_t *o = page_alloc(leaf, arena, S_VALS, count + 1);
        if (!o) return FLOE_ENOMEM;
        FL_TRY(pq_plain_bool_decode(p, len, o, count, &consumed, err));
        *vals = leaf->type.id == FL_TYPE_NULL ? NULL : o;
        return 0;
    }
    if (leaf->phys == PQ_BYTE_ARRAY) {
        fl_strv *sv = page_alloc(leaf, arena, S_TMP, count * sizeof *sv + 1);
        if (!sv) return FLOE_ENOMEM;
        FL_TRY(pq_plain_bytes_decode(p, len, sv, count, &consumed, err));
        return conv_strv(leaf, sv, count, arena, vals, err);
    }
    size_t w = phys_width(leaf);
    if (w && count > len / w)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "%zu PLAIN values need %zu bytes, page has %zu",
                             count, count * w, len);
    return conv_raw(leaf, p, count, arena, vals, err);
}

/* ---- pages ---- */

static int decode_dictionary(pq_leaf *leaf, const pq_page_header *h, const uint8_t *data, size_t len,
                             fl_error *err)
{
    if (leaf->has_dict)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "column chunk has a second dictionary page");
    if (h->num_values < 0)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary page with %d values",
                             h->num_values);
    if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary page with encoding %s",
                             pq_encoding_name(h->encoding));
    if (leaf->phys == PQ_BOOLEAN && (size_t)h->num_values > len * 8)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary page too short");
    if (leaf->phys == PQ_BYTE_ARRAY && (size_t)h->num_values > len / 4)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary page too short");
    FL_TRY(decode_plain(leaf, data, len, (size_t)h->num_values, leaf->chunk_arena, &leaf->dict, err));
    leaf->dict_count = (uint32_t)h->num_values;
    leaf->has_dict = true;
    return 0;
}

static int decode_dict_indices(pq_leaf *leaf, const uint8_t *p, size_t len, size_t count,
                               fl_arena *arena, const void **vals, fl_error *err)
{
    if (!leaf->has_dict)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary-encoded page without a dictionary");
    if (count == 0) {
        *vals = NULL;
        return 0;
    }
    if (len < 1) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "empty dictionary index data");
    int bw = p[0];
    if (bw > 32)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary index bit width %d", bw);
    uint32_t *idx = page_alloc(leaf, arena, S_IDX, count * sizeof *idx);
    if (!idx) return FLOE_ENOMEM;
    FL_TRY(pq_rle_decode(p + 1, len - 1, bw, idx, count, err));
    uint32_t max = 0;
    for (size_t i = 0; i < count; i++) max = idx[i] > max ? idx[i] : max;
    if (max >= leaf->dict_count)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary index %u out of range (%u entries)",
                             max, leaf->dict_count);
    size_t w = leaf->width;
    if (leaf->type.id == FL_TYPE_NULL || w == 0) {
        *vals = NULL;
        return 0;
    }
    uint8_t *out = page_alloc(leaf, arena, S_VALS, count * w);
    if (!out) return FLOE_ENOMEM;
    const uint8_t *d = leaf->dict;
    switch (w) {
    case 1: for (size_t i = 0; i < count; i++) out[i] = d[idx[i]]; break;
    case 2: for (size_t i = 0; i < count; i++) ((uint16_t *)out)[i] = ((const uint16_t *)d)[idx[i]]; break;
    case 4:
        if (((uintptr_t)d & 3) == 0) {
            for (size_t i = 0; i < count; i++) ((uint32_t *)out)[i] = ((const uint32_t *)d)[idx[i]];
            break;
        }
        for (size_t i = 0; i < count; i++) memcpy(out + i * 4, d + (size_t)idx[i] * 4, 4);
        break;
    case 8:
        if (((uintptr_t)d & 7) == 0) {
            for (size_t i = 0; i < count; i++) ((uint64_t *)out)[i] = ((const uint64_t *)d)[idx[i]];
            break;
        }
        for (size_t i = 0; i < count; i++) memcpy(out + i * 8, d + (size_t)idx[i] * 8, 8);
        break;
    case 16:
        for (size_t i = 0; i < count; i++) memcpy(out + i * 16, d + (size_t)idx[i] * 16, 16);
        break;
    default:
        for (size_t i = 0; i < count; i++) memcpy(out + i * w, d + (size_t)idx[i] * w, w);
    }
    *vals = out;
    return 0;
}

/* A flat leaf's dictionary-encoded page: its indices are decoded as its
 * values are taken, straight into the output column (pq_leaf_take_values). */
static int start_dict_cursor(pq_leaf *leaf, const uint8_t *p, size_t len, size_t count, fl_error *err)
{
    if (!leaf->has_dict)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary-encoded page without a dictionary");
    if (len < 1) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "empty dictionary index data");
    int bw = p[0];
    if (bw > 32)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "dictionary index bit width %d", bw);
    pq_rle_cursor_init(&leaf->rle, p + 1, len - 1, bw, count);
    leaf->vsrc = PQ_VALS_DICT;
    return 0;
}

static int take_error(const pq_leaf *leaf, int rc, fl_error *err)
{
    if (err && strncmp(err->message, "could not read", 14) != 0)
        fl_error_prefix(err, "could not read \"%s\": column \"%s\" of row group %d: ",
                        leaf->file->location, leaf->field->name, leaf->row_group);
    return rc;
}

int pq_leaf_take_values(pq_leaf *leaf, void *dst, size_t n, fl_error *err)
{
    if (n == 0) return 0;
    size_t w = leaf->width;
    if (leaf->vpos + n > leaf->n_vals)
        return pq_leaf_error(leaf, err, FLOE_EINTERNAL, "value %zu of a page of %zu values",
                             leaf->vpos + n, leaf->n_vals);
    switch (leaf->vsrc) {
    case PQ_VALS_DICT: {
        int rc = pq_rle_gather(&leaf->rle, leaf->dict, leaf->dict_count, w, dst, n, err);
        if (rc < 0) return take_error(leaf, rc, err);
        break;
    }
    case PQ_VALS_RAW:
        conv_fixed(leaf, time_scale(leaf), leaf->raw + leaf->vpos * leaf->raw_width, n, dst);
        break;
    default:
        if (leaf->vals && w) memcpy(dst, (const uint8_t *)leaf->vals + leaf->vpos * w, n * w);
        else if (w) memset(dst, 0, n * w);
        break;
    }
    leaf->vpos += n;
    return 0;
}

int pq_leaf_skip_values(pq_leaf *leaf, size_t n, fl_error *err)
{
    if (leaf->vsrc == PQ_VALS_DICT && n) {
        int rc = pq_rle_skip(&leaf->rle, n, err);
        if (rc < 0) return take_error(leaf, rc, err);
    }
    leaf->vpos += n;
    return 0;
}

int pq_leaf_take_indices(pq_leaf *leaf, uint32_t *dst, size_t n, fl_error *err)
{
    if (n == 0) return 0;
    if (leaf->vsrc != PQ_VALS_DICT || leaf->vpos + n > leaf->n_vals)
        return pq_leaf_error(leaf, err, FLOE_EINTERNAL, "indices %zu of a page of %zu values",
                             leaf->vpos + n, leaf->n_vals);
    int rc = pq_rle_indices(&leaf->rle, leaf->dict_count, dst, n, err);
    if (rc < 0) return take_error(leaf, rc, err);
    leaf->vpos += n;
    return 0;
}

int pq_leaf_dict_values(pq_leaf *leaf, fl_column **values, uint64_t *id, fl_error *err)
{
    if (!leaf->dict_values) {
        fl_arena *a = leaf->chunk_arena;
        bool nullable = leaf->max_def > 0;
        size_t n = (size_t)leaf->dict_count + nullable;
        fl_column *v = a ? fl_arena_calloc(a, sizeof *v) : NULL;
        fl_strv *data = v ? fl_arena_calloc(a, (n ? n : 1) * sizeof *data) : NULL;
        if (!data) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        if (leaf->dict_count) memcpy(data, leaf->dict, leaf->dict_count * sizeof *data);
        v->type = leaf->type;
        v->arena = a;
        v->cap = n ? n : 1;
        v->len = n;
        v->data = data;
        if (nullable) {
            if (fl_column_ensure_validity(v) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            fl_bit_clear(v->validity, leaf->dict_count);
        }
        leaf->dict_values = v;
        leaf->dict_id = fl_dict_next_id();
    }
    *values = leaf->dict_values;
    *id = leaf->dict_id;
    return 0;
}

static int decode_values(pq_leaf *leaf, int enc, const uint8_t *p, size_t len, size_t count,
                         fl_arena *arena, const void **vals, fl_error *err)
{
    *vals = NULL;
    switch (enc) {
    case PQ_ENC_PLAIN:
        return decode_plain(leaf, p, len, count, arena, vals, err);
    case PQ_ENC_PLAIN_DICTIONARY:
    case PQ_ENC_RLE_DICTIONARY:
        return decode_dict_indices(leaf, p, len, count, arena, vals, err);
    case PQ_ENC_RLE: {
        if (leaf->phys != PQ_BOOLEAN) break;
        if (count == 0) return 0;
        if (len < 4) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "RLE boolean data too short");
        uint32_t n = fl_load_u32le(p);
        if (n > len - 4) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "RLE boolean length %u exceeds the page", n);
        uint8_t *o = page_alloc(leaf, arena, S_VALS, count + 1);
        if (!o) return FLOE_ENOMEM;
        FL_TRY(pq_rle_decode_u8(p + 4, n, 1, o, count, err));
        *vals = leaf->type.id == FL_TYPE_NULL ? NULL : o;
        return 0;
    }
    case PQ_ENC_DELTA_BINARY_PACKED: {
        if (leaf->phys != PQ_INT32 && leaf->phys != PQ_INT64) break;
        int64_t *v = page_alloc(leaf, arena, S_TMP, count * 8 + 8);
        if (!v) return FLOE_ENOMEM;
        size_t total = 0, consumed = 0;
        FL_TRY(pq_delta_int_decode(p, len, v, count, &total, &consumed, err));
        if (total < count)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "DELTA_BINARY_PACKED holds %zu values, page needs %zu",
                                 total, count);
        if (leaf->phys == PQ_INT32) {   /* narrow in place to 4-byte raw values */
            uint32_t *r = (uint32_t *)v;
            for (size_t i = 0; i < count; i++) r[i] = (uint32_t)v[i];
        }
        return conv_raw(leaf, (const uint8_t *)v, count, arena, vals, err);
    }
    case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
    case PQ_ENC_DELTA_BYTE_ARRAY: {
        if (leaf->phys != PQ_BYTE_ARRAY && leaf->phys != PQ_FIXED_LEN_BYTE_ARRAY) break;
        fl_strv *sv = page_alloc(leaf, arena, S_TMP, count * sizeof *sv + 1);
        if (!sv) return FLOE_ENOMEM;
        /* rebuilt strings are returned: they live as long as the page */
        if (enc == PQ_ENC_DELTA_BYTE_ARRAY)
            FL_TRY(pq_delta_byte_array_decode(p, len, sv, count, arena ? arena : leaf->page_arena, err));
        else {
            size_t consumed;
            FL_TRY(pq_delta_length_decode(p, len, sv, count, &consumed, err));
        }
        return conv_strv(leaf, sv, count, arena, vals, err);
    }
    case PQ_ENC_BYTE_STREAM_SPLIT: {
        size_t w = phys_width(leaf);
        if (!w || leaf->phys == PQ_INT96) break;
        if (count > len / w || count * w != len)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "BYTE_STREAM_SPLIT data of %zu bytes for %zu values",
                                 len, count);
        /* FIXED/UUID values are views into raw: keep it as long as the page */
        bool views = fl_type_is_varlen(leaf->type);
        uint8_t *raw = views ? fl_arena_alloc(arena ? arena : leaf->page_arena, count * w + 1)
                             : page_alloc(leaf, arena, S_TMP, count * w + 1);
        if (!raw) return FLOE_ENOMEM;
        FL_TRY(pq_bss_decode(p, len, w, raw, count, err));
        return conv_raw(leaf, raw, count, arena, vals, err);
    }
    default:
        break;
    }
    return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "encoding %s is not valid for a %s column",
                         pq_encoding_name(enc), pq_physical_type_name(leaf->phys));
}

static int decode_levels_v1(pq_leaf *leaf, int enc, int max, const uint8_t *p, size_t len, size_t n,
                            uint8_t *out, size_t *used, fl_error *err)
{
    int bw = pq_bit_width((uint64_t)max);
    if (enc == PQ_ENC_RLE) {
        if (len < 4) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "level data too short");
        uint32_t l = fl_load_u32le(p);
        if (l > len - 4) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "level length %u exceeds the page", l);
        FL_TRY(pq_rle_decode_u8(p + 4, l, bw, out, n, err));
        *used = 4 + (size_t)l;
        return 0;
    }
    if (enc == PQ_ENC_BIT_PACKED) {
        size_t bytes = (n * (size_t)bw + 7) / 8;
        if (bytes > len) return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "bit-packed levels exceed the page");
        FL_TRY(pq_bitpacked_legacy_decode(p, bytes, bw, out, n, err));
        *used = bytes;
        return 0;
    }
    return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "level encoding %s", pq_encoding_name(enc));
}

static int check_levels(pq_leaf *leaf, const uint8_t *lv, size_t n, int max, const char *what,
                        fl_error *err)
{
    uint8_t m = 0;
    for (size_t i = 0; i < n; i++) m = lv[i] > m ? lv[i] : m;
    if (m > max)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "%s level %d exceeds the maximum %d", what, m, max);
    return 0;
}

/* Gets the page's data bytes (decompressed as needed) into *out. */
static int page_bytes(pq_leaf *leaf, const uint8_t *src, size_t src_len, size_t raw_len,
                      bool compressed, fl_arena *arena, const uint8_t **out, fl_error *err)
{
    if (!compressed || leaf->cm->codec == PQ_CODEC_UNCOMPRESSED) {
        *out = src;
        return 0;
    }
    if (raw_len > leaf->max_page_bytes)
        return pq_leaf_error(leaf, err, FLOE_ELIMIT, "page of %zu bytes exceeds the limit of %zu",
                             raw_len, leaf->max_page_bytes);
    uint8_t *dst = page_alloc(leaf, arena, S_PAGE, raw_len + 1);
    if (!dst) return fl_error_set(err, FLOE_ENOMEM, "out of memory decompressing a page of %zu bytes", raw_len);
    int rc = pq_decompress(leaf->cm->codec, src, src_len, dst, raw_len, err);
    if (rc < 0) {
        fl_error_prefix(err, "could not read \"%s\": column \"%s\" of row group %d: ",
                        leaf->file->location, leaf->field->name, leaf->row_group);
        return rc;
    }
    *out = dst;
    return 0;
}

/* True when a flat leaf's definition levels (RLE runs, no length prefix)
 * start with one RLE run of max_def covering all n entries: the page has no
 * NULL, and its levels need not be decoded (the common case for columns
 * declared optional that hold no NULLs). */
static bool all_defined(const pq_leaf *leaf, const uint8_t *p, size_t len, size_t n)
{
    if (!leaf->flat || len == 0) return false;
    uint64_t header;
    size_t hl = pq_uleb(p, p + len, &header);
    if (hl == 0 || (header & 1) || (header >> 1) < n) return false;
    int bw = pq_bit_width((uint64_t)leaf->max_def);
    size_t vbytes = ((size_t)bw + 7) / 8;
    if (len - hl < vbytes) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < vbytes; i++) v |= (uint64_t)p[hl + i] << (8 * i);
    return v == (uint64_t)leaf->max_def;
}

/* One pass over a page's definition levels, 8 at a time: checks the
 * maximum, counts the defined entries and, for flat leaves, records where
 * the NULLs are (leaf->nullpos), so batches find theirs without another
 * pass. Eight entries at max_def -- the common case -- cost one compare. */
static int scan_def_levels(pq_leaf *leaf, const uint8_t *def, size_t n, size_t *nv, fl_error *err)
{
    const uint8_t maxd = (uint8_t)leaf->max_def;
    const uint64_t all = 0x0101010101010101ull * maxd;
    uint64_t any = 0;
    /* NULL positions: room grows with the NULLs found (mostly few), not
     * with the page's entries, so big pages do not touch fresh memory */
    uint32_t *np = NULL;
    size_t np_cap = n + 8 < 1024 ? n + 8 : 1024;
    if (leaf->flat && !(np = page_alloc(leaf, NULL, S_NULLS, np_cap * sizeof *np))) return FLOE_ENOMEM;
    size_t nn = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, def + i, 8);
        any |= x;
        if (x == all) continue;
        if (np && nn + 16 > np_cap) {   /* page_alloc keeps the contents */
            np_cap = np_cap * 2 < n + 8 ? np_cap * 2 : n + 8;
            if (!(np = page_alloc(leaf, NULL, S_NULLS, np_cap * sizeof *np))) return FLOE_ENOMEM;
        }
        for (size_t b = i; b < i + 8; b++) {
            if (np) np[nn] = (uint32_t)b;
            nn += def[b] != maxd;
        }
    }
    if (np && nn + 16 > np_cap && np_cap < n + 8) {   /* the tail: fewer than 8 entries */
        np_cap = n + 8;
        if (!(np = page_alloc(leaf, NULL, S_NULLS, np_cap * sizeof *np))) return FLOE_ENOMEM;
    }
    for (; i < n; i++) {
        any |= def[i];
        if (np) np[nn] = (uint32_t)i;
        nn += def[i] != maxd;
    }
    any |= any >> 32;
    any |= any >> 16;
    any |= any >> 8;
    if ((uint8_t)any > maxd) {   /* some level has bits above max_def's: find the largest */
        uint8_t m = 0;
        for (size_t k = 0; k < n; k++) m = def[k] > m ? def[k] : m;
        if (m > maxd)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "definition level %d exceeds the maximum %d",
                                 m, maxd);
    }
    leaf->nullpos = np;
    leaf->null_i = 0;
    *nv = n - nn;
    return 0;
}

static int data_page(pq_leaf *leaf, const pq_page_header *h, const uint8_t *body, fl_error *err)
{
    /* string values point into the page bytes: those live in the page arena
     * (retired, not reused, when the page is done); the rest in scratch --
     * also a dictionary-encoded string page's bytes (its values point into
     * the dictionary) */
    bool dict_page = h->encoding == PQ_ENC_RLE_DICTIONARY || h->encoding == PQ_ENC_PLAIN_DICTIONARY;
    fl_arena *bytes_arena = fl_type_is_varlen(leaf->type) && !dict_page ? leaf->page_arena : NULL;
    bool v2 = h->type == PQ_PAGE_DATA_V2;
    if (h->num_values < 0 || (v2 && (h->num_nulls < 0 || h->num_rows < 0)))
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "page with a negative value count");
    size_t n = (size_t)h->num_values;
    if ((int64_t)n > leaf->chunk_values_left)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                             "page holds %zu values beyond the %lld the column chunk declares", n,
                             (long long)leaf->cm->num_values);
    leaf->chunk_values_left -= (int64_t)n;
    size_t csize = (size_t)h->compressed_page_size, usize = (size_t)h->uncompressed_page_size;
    uint8_t *def = NULL, *rep = NULL;
    bool def_all = false;
    if (leaf->max_rep > 0 && !(rep = page_alloc(leaf, NULL, S_REP, n + 1))) return FLOE_ENOMEM;
    if (leaf->max_def > 0 && !(def = page_alloc(leaf, NULL, S_DEF, n + 1))) return FLOE_ENOMEM;
    const uint8_t *data;
    size_t len;
    if (!v2) {
        FL_TRY(page_bytes(leaf, body, csize, usize, true, bytes_arena, &data, err));
        len = leaf->cm->codec == PQ_CODEC_UNCOMPRESSED ? csize : usize;
        size_t used;
        if (rep) {
            FL_TRY(decode_levels_v1(leaf, h->repetition_level_encoding, leaf->max_rep, data, len, n, rep, &used, err));
            data += used;
            len -= used;
        }
        if (def && h->definition_level_encoding == PQ_ENC_RLE && len >= 4 &&
            fl_load_u32le(data) <= len - 4 && all_defined(leaf, data + 4, fl_load_u32le(data), n)) {
            def_all = true;
            used = 4 + (size_t)fl_load_u32le(data);
            data += used;
            len -= used;
        } else if (def) {
            FL_TRY(decode_levels_v1(leaf, h->definition_level_encoding, leaf->max_def, data, len, n, def, &used, err));
            data += used;
            len -= used;
        }
    } else {
        if (h->repetition_levels_byte_length < 0 || h->definition_levels_byte_length < 0)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "negative level length");
        size_t rl = (size_t)h->repetition_levels_byte_length, dl = (size_t)h->definition_levels_byte_length;
        if (rl > csize || dl > csize - rl || rl + dl > usize)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "level lengths exceed the page");
        if (rep) FL_TRY(pq_rle_decode_u8(body, rl, pq_bit_width((uint64_t)leaf->max_rep), rep, n, err));
        if (def && all_defined(leaf, body + rl, dl, n)) def_all = true;
        else if (def) FL_TRY(pq_rle_decode_u8(body + rl, dl, pq_bit_width((uint64_t)leaf->max_def), def, n, err));
        const uint8_t *vsrc = body + rl + dl;
        size_t vclen = csize - rl - dl, vulen = usize - rl - dl;
        if (vclen == 0 || vulen == 0) {
            data = vsrc;   /* nothing to decompress (empty value section) */
            len = 0;
        } else {
            FL_TRY(page_bytes(leaf, vsrc, vclen, vulen, h->is_compressed, bytes_arena, &data, err));
            len = (h->is_compressed && leaf->cm->codec != PQ_CODEC_UNCOMPRESSED) ? vulen : vclen;
        }
    }
    if (rep) {
        FL_TRY(check_levels(leaf, rep, n, leaf->max_rep, "repetition", err));
        if (leaf->first_entry && n && rep[0] != 0)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "first repetition level is %d, not 0", rep[0]);
    }
    size_t nv = n;
    if (def_all) def = NULL;   /* read as a required column's page */
    if (def) FL_TRY(scan_def_levels(leaf, def, n, &nv, err));
    if (n) leaf->first_entry = false;
    if (v2 && leaf->max_def > 0 && n - nv != (size_t)h->num_nulls && h->num_nulls != 0 && leaf->max_rep == 0)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "page declares %d nulls but its levels hold %zu",
                             h->num_nulls, n - nv);
    const void *vals = NULL;
    leaf->vsrc = PQ_VALS_DENSE;
    if (nv && dict_page && leaf->flat && leaf->width && leaf->type.id != FL_TYPE_NULL)
        FL_TRY(start_dict_cursor(leaf, data, len, nv, err));
    else if (nv)
        FL_TRY(decode_values(leaf, h->encoding, data, len, nv, NULL, &vals, err));
    if (bytes_arena) leaf->page_holds_values = true;
    leaf->page_nulls = n - nv;
    leaf->def = def;
    leaf->rep = rep;
    leaf->n_entries = n;
    leaf->epos = 0;
    leaf->vals = vals;
    leaf->n_vals = nv;
    leaf->vpos = 0;
    return 0;
}

/* A data page wholly inside the rows being skipped is passed over by its
 * header: flat columns have one row per value; nested ones are skipped only
 * by DataPageV2's num_rows (v1 pages may end inside a row, so their rows are
 * counted by decoding the repetition levels). Its CRC is not checked, as its
 * bytes are never used. */
static int skip_page(pq_leaf *leaf, const pq_page_header *h, bool *skipped, fl_error *err)
{
    *skipped = false;
    int64_t page_rows;
    if (leaf->max_rep == 0) page_rows = h->num_values;
    else if (h->type == PQ_PAGE_DATA_V2) page_rows = h->num_rows;
    else return 0;
    if (h->num_values < 0 || page_rows < 0 || page_rows > leaf->skip_budget) return 0;
    if ((int64_t)h->num_values > leaf->chunk_values_left)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                             "page holds %d values beyond the %lld the column chunk declares",
                             h->num_values, (long long)leaf->cm->num_values);
    leaf->chunk_values_left -= h->num_values;
    leaf->skip_budget -= page_rows;
    leaf->skipped_rows += page_rows;
    if (h->num_values) leaf->first_entry = false;
    *skipped = true;
    return 0;
}

int pq_leaf_ensure_page(pq_leaf *leaf, pq_arena_pool *pool, bool *eof, fl_error *err)
{
    *eof = false;
    while (leaf->epos >= leaf->n_entries) {
        if (leaf->chunk_pos >= leaf->chunk_len || leaf->chunk_values_left == 0) {
            *eof = true;
            return 0;
        }
        leaf->n_entries = leaf->epos = 0;
        if (leaf->page_arena && !leaf->page_holds_values) {
            /* nothing returned points into it (a non-string page, or only
             * headers of skipped pages): reuse it now */
            fl_arena_reset(leaf->page_arena);
        } else {
            fl_arena *old_page = leaf->page_arena;
            leaf->page_arena = NULL;
            if (pq_pool_retire(pool, old_page) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            if (pq_pool_get(pool, &leaf->page_arena) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            leaf->page_holds_values = false;
        }
        pq_page_header h;
        size_t hlen = 0, at = leaf->chunk_pos, left = leaf->chunk_len - at;
        /* a header is mostly under HEADER_PEEK bytes; skipping needs only
         * headers, so it reads little ahead */
        FL_TRY(ensure_window(leaf, at + (left < HEADER_PEEK ? left : HEADER_PEEK),
                             leaf->skip_budget > 0 ? SKIP_AHEAD : leaf->read_ahead, err));
        size_t avail = leaf->win_off + leaf->win_len - at;
        int rc = pq_page_header_read(&h, leaf->chunk + (at - leaf->win_off), avail, &hlen,
                                     leaf->page_arena, err);
        while (rc < 0 && avail < left) {   /* perhaps a header longer than the window */
            FL_TRY(ensure_window(leaf, at + (avail < WINDOW_MIN / 4 ? WINDOW_MIN : avail * 4), 0, err));
            avail = leaf->win_off + leaf->win_len - at;
            rc = pq_page_header_read(&h, leaf->chunk + (at - leaf->win_off), avail, &hlen,
                                     leaf->page_arena, err);
        }
        if (rc < 0) {
            fl_error_prefix(err, "could not read \"%s\": column \"%s\" of row group %d: page at offset %zu: ",
                            leaf->file->location, leaf->field->name, leaf->row_group, leaf->chunk_pos);
            return rc;
        }
        if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0 || hlen > left ||
            (size_t)h.compressed_page_size > left - hlen)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                                 "page at offset %zu of %d bytes extends beyond the column chunk",
                                 leaf->chunk_pos, h.compressed_page_size);
        size_t next = at + hlen + (size_t)h.compressed_page_size;
        bool is_data = h.type == PQ_PAGE_DATA || h.type == PQ_PAGE_DATA_V2;
        if ((is_data || h.type == PQ_PAGE_DICTIONARY) && !h.has_data_header)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "page header without its %s header",
                                 h.type == PQ_PAGE_DICTIONARY ? "dictionary" : "data");
        if (is_data && leaf->skip_budget > 0) {
            bool skipped;
            FL_TRY(skip_page(leaf, &h, &skipped, err));
            if (skipped) {   /* its body is never read */
                leaf->chunk_pos = next;
                continue;
            }
        }
        FL_TRY(ensure_window(leaf, next, leaf->read_ahead, err));
        const uint8_t *body = leaf->chunk + (at + hlen - leaf->win_off);
        leaf->chunk_pos = next;
        if (leaf->verify_crc && h.has_crc &&
            fl_crc32(0, body, (size_t)h.compressed_page_size) != (uint32_t)h.crc)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "page at offset %zu fails its CRC check", at);
        int rc2 = 0;
        if (h.type == PQ_PAGE_DICTIONARY) {
            const uint8_t *data;
            FL_TRY(page_bytes(leaf, body, (size_t)h.compressed_page_size, (size_t)h.uncompressed_page_size,
                              true, leaf->chunk_arena, &data, err));
            size_t len = leaf->cm->codec == PQ_CODEC_UNCOMPRESSED ? (size_t)h.compressed_page_size
                                                                  : (size_t)h.uncompressed_page_size;
            rc2 = decode_dictionary(leaf, &h, data, len, err);
        } else if (is_data) {
            rc2 = data_page(leaf, &h, body, err);
        }
        if (rc2 < 0) {
            /* messages from the encoding decoders lack the file and column */
            if (err && strncmp(err->message, "could not read", 14) != 0)
                fl_error_prefix(err, "could not read \"%s\": column \"%s\" of row group %d: ",
                                leaf->file->location, leaf->field->name, leaf->row_group);
            return rc2;
        }
        /* index pages and unknown page types are skipped */
    }
    return 0;
}

int pq_leaf_check_done(pq_leaf *leaf, pq_arena_pool *pool, fl_error *err)
{
    if (leaf->epos < leaf->n_entries)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                             "column chunk holds more values than its row group's rows");
    bool eof;
    FL_TRY(pq_leaf_ensure_page(leaf, pool, &eof, err));
    if (!eof)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT,
                             "column chunk holds more values than its row group's rows");
    return 0;
}
