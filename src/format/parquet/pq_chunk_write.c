/*
 * pq_chunk_write.c: encodes one leaf's buffered row-group data as a Parquet
 * column chunk: an optional dictionary page followed by data pages.
 *
 * The dictionary is decided per chunk, up front: the values are offered to
 * the dictionary builder; if its PLAIN size stays within dict_page_bytes and
 * the dictionary page plus the bit-packed indexes stay smaller than the
 * PLAIN values (checked every DICT_SLICE values, so hopeless dictionaries
 * are dropped early), the chunk is a PLAIN dictionary page + RLE_DICTIONARY
 * data pages, else every data page is PLAIN (booleans are always PLAIN). Data pages hold
 * about page_bytes of encoded values and levels and, when the column is
 * repeated, start at a record boundary (repetition level 0), as page v2
 * requires and readers expect. Levels are RLE/bit-packed hybrid (a constant
 * run of levels, e.g. a nullable column without NULLs, is a single RLE run);
 * page v1 prefixes each with its 4-byte length and compresses levels and
 * values together, page v2 leaves the levels uncompressed in front.
 * Statistics come from the dictionary entries when there is a dictionary
 * (they are the distinct values), else from the values.
 * Runs on a pool thread: it touches only the leaf's own buffers.
 */
#include "pq_writer_int.h"

#include "../../base/alloc.h"
#include "../../base/crc32.h"
#include "../../base/varint.h"
#include "pq_codec.h"
#include "pq_encoding.h"

/* entries per data page at most (keeps page-level skipping useful) */
#define MAX_PAGE_ENTRIES (1u << 20)
/* values offered to the dictionary between checks that it still pays */
#define DICT_SLICE 32768

typedef struct chunk_ctx {
    pqw_leaf *L;
    const pqw_cfg *cfg;
    bool use_dict;
    int dict_bw;
    int def_bw, rep_bw;
} chunk_ctx;

/* RLE-encodes levels; a constant sequence becomes one RLE run. */
static int encode_levels(fl_buf *out, const uint8_t *lv, size_t n, int bw)
{
    if (n == 0) return 0;
    size_t i = 1;
    while (i < n && lv[i] == lv[0]) i++;
    if (i < n) return pq_rle_encode_u8(out, lv, n, bw);
    uint8_t hdr[10];
    size_t hlen = fl_varint_encode(hdr, (uint64_t)n << 1);
    if (fl_buf_append(out, hdr, hlen) < 0) return FLOE_ENOMEM;
    if (bw > 0 && fl_buf_append_byte(out, lv[0]) < 0) return FLOE_ENOMEM;
    return 0;
}

/* Levels with the 4-byte length prefix of data page v1. */
static int encode_levels_v1(fl_buf *out, const uint8_t *lv, size_t n, int bw)
{
    size_t at = out->len;
    if (!fl_buf_extend(out, 4)) return FLOE_ENOMEM;
    FL_TRY(encode_levels(out, lv, n, bw));
    fl_store_u32le(out->data + at, (uint32_t)(out->len - at - 4));
    return 0;
}

/* Compresses src into the leaf's comp buffer, or passes it through. */
static int compress(chunk_ctx *c, const uint8_t *src, size_t len, const uint8_t **out,
                    size_t *out_len, fl_error *err)
{
    if (c->cfg->codec == PQ_CODEC_UNCOMPRESSED) {
        *out = src;
        *out_len = len;
        return 0;
    }
    fl_buf_reset(&c->L->comp);
    FL_TRY(pq_compress(c->cfg->codec, c->cfg->level, src, len, &c->L->comp, err));
    *out = (const uint8_t *)c->L->comp.data;
    *out_len = c->L->comp.len;
    return 0;
}

static int emit_page(chunk_ctx *c, pq_page_header *h, const uint8_t *body, size_t body_len,
                     fl_error *err)
{
    pqw_leaf *L = c->L;
    if (body_len > INT32_MAX || (size_t)h->uncompressed_page_size > INT32_MAX)
        return fl_error_set(err, FLOE_ELIMIT, "page of column \"%s\" exceeds 2 GiB", L->name);
    h->compressed_page_size = (int32_t)body_len;
    if (c->cfg->page_crc) {
        h->crc = (int32_t)fl_crc32(0, body, body_len);
        h->has_crc = true;
    }
    size_t before = L->chunk.len;
    FL_TRY(pq_page_header_write(&L->chunk, h, err));
    size_t header_len = L->chunk.len - before;
    if (fl_buf_append(&L->chunk, body, body_len) < 0) return FLOE_ENOMEM;
    L->uncompressed_size += (int64_t)header_len + h->uncompressed_page_size;
    return 0;
}

static int write_dict_page(chunk_ctx *c, fl_error *err)
{
    pqw_leaf *L = c->L;
    const uint8_t *body;
    size_t body_len;
    FL_TRY(compress(c, (const uint8_t *)L->dict.values.data, L->dict.values.len, &body, &body_len,
                    err));
    pq_page_header h;
    memset(&h, 0, sizeof h);
    h.type = PQ_PAGE_DICTIONARY;
    h.uncompressed_page_size = (int32_t)L->dict.values.len;
    h.num_values = (int32_t)L->dict.count;
    h.encoding = PQ_ENC_PLAIN;
    h.is_sorted = false;
    h.has_data_header = true;
    h.is_compressed = true;
    L->has_dict_page = true;
    L->dict_page_rel = (int64_t)L->chunk.len;
    return emit_page(c, &h, body, body_len, err);
}

/* Appends the values [vb, ve) (PLAIN bytes [byte_b, byte_e)) in the chunk's encoding. */
static int encode_values(chunk_ctx *c, fl_buf *out, size_t vb, size_t ve, size_t byte_b,
                         size_t byte_e)
{
    pqw_leaf *L = c->L;
    const uint8_t *vals = (const uint8_t *)L->values.data;
    if (c->use_dict) {
        FL_TRY(fl_buf_append_byte(out, (uint8_t)c->dict_bw));
        return pq_rle_encode(out, L->idx + vb, ve - vb, c->dict_bw);
    }
    if (!vals) return 0;   /* no values (all NULL): no pointer arithmetic on NULL */
    if (L->physical_type == PQ_BOOLEAN) return pq_plain_bool_encode(out, vals + vb, ve - vb);
    if (L->width == 0) return fl_buf_append(out, vals + byte_b, byte_e - byte_b);
    size_t w = (size_t)L->width;
    return fl_buf_append(out, vals + vb * w, (ve - vb) * w);
}

typedef struct page_span {
    size_t eb, ee;          /* entries */
    size_t vb, ve;          /* values */
    size_t byte_b, byte_e;  /* PLAIN byte-array stream */
    size_t rows;            /* entries with repetition level 0 */
} page_span;

/* Finds where the page starting at span->eb/vb/byte_b ends. */
static void next_span(chunk_ctx *c, page_span *sp)
{
    pqw_leaf *L = c->L;
    const uint8_t *def = (const uint8_t *)L->def.data, *rep = (const uint8_t *)L->rep.data;
    const uint8_t *vals = (const uint8_t *)L->values.data;
    uint64_t target_bits = (uint64_t)c->cfg->page_bytes * 8;
    uint64_t value_bits = c->use_dict ? (uint64_t)c->dict_bw
                          : L->physical_type == PQ_BOOLEAN ? 1 : (uint64_t)L->width * 8;
    uint64_t level_bits = (uint64_t)c->def_bw + (uint64_t)c->rep_bw;
    size_t e = sp->eb, v = sp->vb, byte = sp->byte_b, rows = 0;
    bool plain_bytes = !c->use_dict && L->width == 0;
    if (!L->max_def && !L->max_rep && !plain_bytes) {
        /* every entry is a value of known size */
        uint64_t n = target_bits / (value_bits ? value_bits : 1);
        if (n < 1) n = 1;
        if (n > MAX_PAGE_ENTRIES) n = MAX_PAGE_ENTRIES;
        if (n > c->cfg->page_rows) n = c->cfg->page_rows;
        size_t left = L->n_entries - e;
        if (n > left) n = left;
        e += (size_t)n;
        v += (size_t)n;
        rows = (size_t)n;
    } else {
        uint64_t bits = 0;
        while (e < L->n_entries) {
            bool boundary = !L->max_rep || rep[e] == 0;
            if (e > sp->eb && boundary &&
                (bits >= target_bits || e - sp->eb >= MAX_PAGE_ENTRIES || rows >= c->cfg->page_rows))
                break;
            rows += boundary;
            bits += level_bits;
            if (!L->max_def || def[e] == L->max_def) {
                if (plain_bytes) {
                    size_t len = fl_load_u32le(vals + byte);
                    byte += 4 + len;
                    bits += (uint64_t)(4 + len) * 8;
                } else {
                    bits += value_bits;
                }
                v++;
            }
            e++;
        }
    }
    sp->ee = e;
    sp->ve = v;
    sp->byte_e = byte;
    sp->rows = rows;
}

static int write_data_page(chunk_ctx *c, const page_span *sp, fl_error *err)
{
    pqw_leaf *L = c->L;
    size_t n = sp->ee - sp->eb;
    const uint8_t *def = (const uint8_t *)L->def.data, *rep = (const uint8_t *)L->rep.data;
    pq_page_header h;
    memset(&h, 0, sizeof h);
    h.num_values = (int32_t)n;
    h.encoding = c->use_dict ? PQ_ENC_RLE_DICTIONARY : PQ_ENC_PLAIN;
    h.has_data_header = true;
    h.is_compressed = true;
    fl_buf_reset(&L->page);
    const uint8_t *body;
    size_t body_len;
    if (c->cfg->page_version != 2) {
        h.type = PQ_PAGE_DATA;
        h.definition_level_encoding = PQ_ENC_RLE;
        h.repetition_level_encoding = PQ_ENC_RLE;
        if (L->max_rep) FL_TRY(encode_levels_v1(&L->page, rep + sp->eb, n, c->rep_bw));
        if (L->max_def) FL_TRY(encode_levels_v1(&L->page, def + sp->eb, n, c->def_bw));
        FL_TRY(encode_values(c, &L->page, sp->vb, sp->ve, sp->byte_b, sp->byte_e));
        h.uncompressed_page_size = (int32_t)L->page.len;
        if (L->page.len > INT32_MAX)
            return fl_error_set(err, FLOE_ELIMIT, "page of column \"%s\" exceeds 2 GiB", L->name);
        FL_TRY(compress(c, (const uint8_t *)L->page.data, L->page.len, &body, &body_len, err));
        return emit_page(c, &h, body, body_len, err);
    }
    h.type = PQ_PAGE_DATA_V2;
    h.num_nulls = (int32_t)(n - (sp->ve - sp->vb));
    h.num_rows = (int32_t)sp->rows;
    if (L->max_rep) FL_TRY(encode_levels(&L->page, rep + sp->eb, n, c->rep_bw));
    h.repetition_levels_byte_length = (int32_t)L->page.len;
    if (L->max_def) FL_TRY(encode_levels(&L->page, def + sp->eb, n, c->def_bw));
    size_t levels_len = L->page.len;
    h.definition_levels_byte_length = (int32_t)(levels_len - (size_t)h.repetition_levels_byte_length);
    fl_buf_reset(&L->vals_page);
    FL_TRY(encode_values(c, &L->vals_page, sp->vb, sp->ve, sp->byte_b, sp->byte_e));
    if (levels_len + L->vals_page.len > INT32_MAX)
        return fl_error_set(err, FLOE_ELIMIT, "page of column \"%s\" exceeds 2 GiB", L->name);
    h.uncompressed_page_size = (int32_t)(levels_len + L->vals_page.len);
    h.is_compressed = c->cfg->codec != PQ_CODEC_UNCOMPRESSED;
    FL_TRY(compress(c, (const uint8_t *)L->vals_page.data, L->vals_page.len, &body, &body_len, err));
    if (fl_buf_append(&L->page, body, body_len) < 0) return FLOE_ENOMEM;
    return emit_page(c, &h, (const uint8_t *)L->page.data, L->page.len, err);
}

/* Estimated size of the dictionary page plus n bit-packed indexes. */
static uint64_t dict_cost(const pqw_dict *d, size_t n, int *bw_out)
{
    int bw = pq_bit_width(d->count ? d->count - 1 : 0);
    if (bw < 1) bw = 1;
    *bw_out = bw;
    return d->values.len + ((uint64_t)n * (uint64_t)bw + 7) / 8;
}

/*
 * Offers the values to the dictionary in slices and decides whether to use
 * it: after every slice the dictionary so far must beat PLAIN on the values
 * so far, so high-cardinality columns give up early instead of building a
 * large table that is thrown away.
 */
static int decide_dictionary(chunk_ctx *c)
{
    pqw_leaf *L = c->L;
    size_t n = L->n_values;
    if (c->cfg->no_dictionary || L->physical_type == PQ_BOOLEAN || n == 0) return 0;
    if (n > L->idx_cap) {
        uint32_t *p = fl_realloc(L->idx, n * sizeof *p);
        if (!p) return FLOE_ENOMEM;
        L->idx = p;
        L->idx_cap = n;
    }
    pqw_dict_reset(&L->dict, L->width);
    const uint8_t *vals = (const uint8_t *)L->values.data;
    size_t done = 0, off = 0;
    int bw = 1;
    while (done < n) {
        size_t k = n - done < DICT_SLICE ? n - done : DICT_SLICE, used = 0;
        int r = pqw_dict_add(&L->dict, vals + off, L->values.len - off, k, L->idx + done,
                             c->cfg->dict_page_bytes, &used);
        if (r <= 0) return r;
        done += k;
        off += used;
        if (dict_cost(&L->dict, done, &bw) >= off) return 0;
    }
    c->use_dict = true;
    c->dict_bw = bw;
    return 0;
}

int pqw_chunk_encode(pqw_leaf *L, const pqw_cfg *cfg, fl_error *err)
{
    chunk_ctx c = {L, cfg, false, 0, pq_bit_width((uint64_t)L->max_def),
                   pq_bit_width((uint64_t)L->max_rep)};
    fl_buf_reset(&L->chunk);
    L->has_dict_page = false;
    L->dict_page_rel = L->data_page_rel = 0;
    L->uncompressed_size = 0;
    L->n_encodings = 0;

    FL_TRY(decide_dictionary(&c));
    bool is_string = L->type.id == FL_TYPE_STRING;
    if (c.use_dict)
        FL_TRY(pqw_stats_compute(&L->stats, L->sort, L->width, is_string,
                                 (const uint8_t *)L->dict.values.data, L->dict.values.len,
                                 L->dict.count));
    else
        FL_TRY(pqw_stats_compute(&L->stats, L->sort, L->width, is_string,
                                 (const uint8_t *)L->values.data, L->values.len, L->n_values));

    if (c.use_dict) FL_TRY(write_dict_page(&c, err));
    L->data_page_rel = (int64_t)L->chunk.len;
    page_span sp = {0, 0, 0, 0, 0, 0, 0};
    while (sp.eb < L->n_entries) {
        next_span(&c, &sp);
        FL_TRY(write_data_page(&c, &sp, err));
        sp.eb = sp.ee;
        sp.vb = sp.ve;
        sp.byte_b = sp.byte_e;
    }

    L->encodings[L->n_encodings++] = PQ_ENC_PLAIN;
    if (L->max_def || L->max_rep) L->encodings[L->n_encodings++] = PQ_ENC_RLE;
    if (c.use_dict) L->encodings[L->n_encodings++] = PQ_ENC_RLE_DICTIONARY;
    return 0;
}
