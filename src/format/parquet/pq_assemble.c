/*
 * pq_assemble.c: definition and repetition levels -> fl_column, one batch of
 * rows of one top-level column at a time.
 *
 * Flat columns (a top-level primitive, max_rep 0) take a fast path: values
 * go page by page straight into the output column, decoded on the way
 * (dictionary indices gathered from the dictionary, PLAIN values converted:
 * pq_leaf_take_values): for a page without NULLs all entries at once, else
 * the defined values at the front of the run, then spread backwards to their
 * rows as the definition levels say. Nothing nested is touched.
 *
 * Dictionary batches (pq_assemble_dict, for pq_scan_next_dict) walk the
 * same pages but take dictionary indices instead of values, NULL rows
 * pointing at the NULL entry; the first page of the batch whose values are
 * not dictionary-encoded turns the batch flat (dict_to_flat).
 *
 * Nested columns first gather, per leaf, the levels and dense values of
 * exactly `rows` rows (a row starts at every repetition level 0, and may span
 * pages), then build the column top-down. A node in context (R, D) -- the
 * repetition level of its enclosing list and the definition level at which
 * its slot exists -- has one slot per level entry of its first leaf with
 * rep <= R and def >= D:
 *   leaf    value when def == max_def, else NULL;
 *   STRUCT  valid when def >= max_def; children use the same context, so
 *           they have one row per struct slot;
 *   LIST    NULL when def < max_def, empty when def == max_def, else its
 *           elements are that entry plus the following entries with
 *           rep == R + 1; children use context (R + 1, max_def + 1);
 *   MAP     as LIST with key and value children.
 * Levels that contradict the structure (a continuation of a NULL or empty
 * list, children of different lengths) are FLOE_ECORRUPT.
 */
#include "pq_read_int.h"

#include <string.h>

/* Copies n values of width w from src (possibly unaligned) to dst (nested columns). */
static inline void copy_vals(uint8_t *dst, const uint8_t *src, size_t n, size_t w)
{
    if (n && w) memcpy(dst, src, n * w);
}

static int reserve(uint8_t **p, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 4096;
    while (nc < need) nc *= 2;
    uint8_t *q = fl_realloc(*p, nc);
    if (!q) return FLOE_ENOMEM;
    *p = q;
    *cap = nc;
    return 0;
}

/* ---- flat fast path ---- */

/* A column of `rows` slots whose data is left uninitialised: fill_flat
 * writes every slot (NULL slots with zeros), so fl_column_new's zeroing
 * would be one more pass over the batch. */
static fl_column *new_flat_column(fl_arena *arena, fl_type type, size_t rows)
{
    size_t w = fl_type_width(type);
    if (!w) return fl_column_new(arena, type, rows);
    if (rows > SIZE_MAX / 2 / w - 1) return NULL;
    fl_column *col = fl_arena_calloc(arena, sizeof *col);
    if (!col) return NULL;
    col->type = type;
    col->arena = arena;
    col->cap = rows ? rows : 1;
    col->data = fl_arena_alloc(arena, col->cap * w);
    return col->data ? col : NULL;
}

/* The m values at the front of dst belong to the entries of def[0..k) at
 * max_def: moves them there (backwards, in place), zeroes the other slots
 * and clears their validity bits (row `row0` onwards). */
static PQ_ALWAYS_INLINE void spread_w(uint8_t *dst, const uint8_t *def, size_t k, size_t m, size_t w,
                                      uint8_t maxd, uint8_t *valid, size_t row0)
{
    size_t j = m;
    for (size_t i = k; i-- > 0;) {
        if (j == i + 1) break;   /* no NULL below: the rest is in place */
        if (def[i] == maxd) {
            memcpy(dst + i * w, dst + --j * w, w);
        } else {
            memset(dst + i * w, 0, w);
            fl_bit_clear(valid, row0 + i);
        }
    }
}

static void spread(uint8_t *dst, const uint8_t *def, size_t k, size_t m, size_t w, uint8_t maxd,
                   uint8_t *valid, size_t row0)
{
    switch (w) {
    case 1: spread_w(dst, def, k, m, 1, maxd, valid, row0); break;
    case 2: spread_w(dst, def, k, m, 2, maxd, valid, row0); break;
    case 4: spread_w(dst, def, k, m, 4, maxd, valid, row0); break;
    case 8: spread_w(dst, def, k, m, 8, maxd, valid, row0); break;
    case 16: spread_w(dst, def, k, m, 16, maxd, valid, row0); break;
    default: spread_w(dst, def, k, m, w, maxd, valid, row0); break;
    }
}

static size_t count_defined(const uint8_t *def, size_t k, uint8_t maxd)
{
    size_t m = 0;
    for (size_t i = 0; i < k; i++) m += def[i] == maxd;
    return m;
}

/* Entries [epos, epos + k) of a page with NULLs into dst (rows row0...):
 * with few NULLs in the run, the values between them are taken straight to
 * their places; with many, the defined values are taken to the front and
 * spread. leaf->null_first..null_i are the run's NULLs afterwards. */
/* The page's NULL entries among [epos, epos + k): nullpos[a..b), kept as
 * leaf->null_first..null_i (*a = a); returns their count. */
static size_t null_run(pq_leaf *leaf, size_t k, size_t *a_out)
{
    const uint32_t *np = leaf->nullpos;
    size_t a = leaf->null_i, epos = leaf->epos;
    while (a < leaf->page_nulls && np[a] < epos) a++;   /* passed by skipping rows */
    size_t b = a;
    while (b < leaf->page_nulls && np[b] < epos + k) b++;
    leaf->null_first = a;
    leaf->null_i = b;
    *a_out = a;
    return b - a;
}

static int fill_optional(pq_leaf *leaf, uint8_t *dst, size_t k, uint8_t *valid, size_t row0,
                         fl_error *err)
{
    const uint32_t *np = leaf->nullpos;
    size_t epos = leaf->epos, w = leaf->width, a;
    size_t nn = null_run(leaf, k, &a), b = a + nn;
    if (nn == 0) return pq_leaf_take_values(leaf, dst, k, err);
    if (nn * 16 <= k) {
        size_t at = 0;   /* relative to epos */
        for (size_t i = a; i < b; i++) {
            size_t p = np[i] - epos;
            FL_TRY(pq_leaf_take_values(leaf, dst + at * w, p - at, err));
            memset(dst + p * w, 0, w);
            fl_bit_clear(valid, row0 + p);
            at = p + 1;
        }
        return pq_leaf_take_values(leaf, dst + at * w, k - at, err);
    }
    FL_TRY(pq_leaf_take_values(leaf, dst, k - nn, err));
    spread(dst, leaf->def + epos, k, k - nn, w, (uint8_t)leaf->max_def, valid, row0);
    return 0;
}

/* Values go from the page straight into the output column
 * (pq_leaf_take_values decodes dictionary indices and converts PLAIN values
 * on the way): all of a run of entries when the page has no NULL, else the
 * defined ones at the front, then spread to their rows. Fills rows
 * [filled, rows) of col (made by new_flat_column, with validity when
 * optional); `nulls` counts the NULLs among the first `filled`. */
static int fill_flat_from(pq_leaf *leaf, pq_arena_pool *pool, size_t rows, fl_column *col,
                          size_t filled, size_t nulls, fl_error *err)
{
    size_t w = leaf->width;
    uint8_t *data = col->data;
    bool optional = leaf->max_def > 0 || leaf->type.id == FL_TYPE_NULL;
    uint8_t *valid = col->validity;
    const uint8_t maxd = (uint8_t)leaf->max_def;
    while (filled < rows) {
        bool eof;
        FL_TRY(pq_leaf_ensure_page(leaf, pool, &eof, err));
        if (eof)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "column chunk ends after %lld of %lld rows",
                                 (long long)(leaf->rows_done + (int64_t)filled),
                                 (long long)leaf->file->meta->row_groups[leaf->row_group].num_rows);
        size_t k = leaf->n_entries - leaf->epos;
        if (k > rows - filled) k = rows - filled;
        uint8_t *dst = data ? data + filled * w : NULL;
        if (leaf->type.id == FL_TYPE_NULL) {
            for (size_t i = 0; i < k; i++) fl_bit_clear(valid, filled + i);
            nulls += k;
            leaf->vpos += leaf->def ? count_defined(leaf->def + leaf->epos, k, maxd) : k;
        } else if (!leaf->def || leaf->page_nulls == 0) {
            FL_TRY(pq_leaf_take_values(leaf, dst, k, err));
        } else {
            FL_TRY(fill_optional(leaf, dst, k, valid, filled, err));
            nulls += leaf->null_i - leaf->null_first;
        }
        leaf->epos += k;
        filled += k;
    }
    col->len = rows;
    leaf->rows_done += (int64_t)rows;
    if (optional && nulls == 0) col->validity = NULL;
    return 0;
}

static int fill_flat(pq_leaf *leaf, pq_arena_pool *pool, size_t rows, fl_arena *arena,
                     fl_column **out, fl_error *err)
{
    fl_column *col = new_flat_column(arena, leaf->type, rows);
    if (!col) return FLOE_ENOMEM;
    bool optional = leaf->max_def > 0 || leaf->type.id == FL_TYPE_NULL;
    if (optional && fl_column_ensure_validity(col) < 0) return FLOE_ENOMEM;
    FL_TRY(fill_flat_from(leaf, pool, rows, col, 0, 0, err));
    *out = col;
    return 0;
}

/* ---- dictionary batches (pq_scan_next_dict) ---- */

/* As fill_optional, for indices: entries [epos, epos + k) of a page with
 * NULLs into dst, NULL entries pointing at `nul`. Returns the run's NULLs
 * in *nulls. */
static int fill_optional_idx(pq_leaf *leaf, uint32_t *dst, size_t k, uint32_t nul, size_t *nulls,
                             fl_error *err)
{
    const uint32_t *np = leaf->nullpos;
    size_t epos = leaf->epos, a;
    size_t nn = null_run(leaf, k, &a), b = a + nn;
    *nulls = nn;
    if (nn == 0) return pq_leaf_take_indices(leaf, dst, k, err);
    if (nn * 16 <= k) {
        size_t at = 0;   /* relative to epos */
        for (size_t i = a; i < b; i++) {
            size_t p = np[i] - epos;
            FL_TRY(pq_leaf_take_indices(leaf, dst + at, p - at, err));
            dst[p] = nul;
            at = p + 1;
        }
        return pq_leaf_take_indices(leaf, dst + at, k - at, err);
    }
    FL_TRY(pq_leaf_take_indices(leaf, dst, k - nn, err));
    const uint8_t *def = leaf->def + epos, maxd = (uint8_t)leaf->max_def;
    size_t j = k - nn;
    for (size_t i = k; i-- > 0;) {   /* spread backwards, in place */
        if (j == i + 1) break;
        dst[i] = def[i] == maxd ? dst[--j] : nul;
    }
    return 0;
}

/* A dictionary batch that meets a page with values not dictionary-encoded
 * (a writer abandoned its dictionary) becomes flat: the rows taken so far
 * are gathered from the dictionary as it was at the batch's start (indices
 * >= dict_count are the NULL entry), the rest is filled as fill_flat does. */
static int dict_to_flat(pq_leaf *leaf, pq_arena_pool *pool, size_t rows, const uint32_t *idx,
                        size_t filled, const fl_strv *dict, uint32_t dict_count, fl_arena *arena,
                        fl_column **out, fl_error *err)
{
    fl_column *col = new_flat_column(arena, leaf->type, rows);
    bool optional = leaf->max_def > 0;
    if (!col || (optional && fl_column_ensure_validity(col) < 0))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    fl_strv *data = col->data;
    size_t nulls = 0;
    for (size_t i = 0; i < filled; i++) {
        if (idx[i] < dict_count) {
            data[i] = dict[idx[i]];
        } else {
            data[i] = fl_strv_make(NULL, 0);
            fl_bit_clear(col->validity, i);
            nulls++;
        }
    }
    FL_TRY(fill_flat_from(leaf, pool, rows, col, filled, nulls, err));
    *out = col;
    return 0;
}

int pq_assemble_dict(pq_leaf *leaf, pq_arena_pool *pool, size_t rows, fl_arena *arena,
                     fl_column **out, fl_dict_column **dict, fl_error *err)
{
    *out = NULL;
    *dict = NULL;
    uint32_t *idx = NULL;   /* allocated once the first page is a dictionary page */
    /* the dictionary as the batch's first page found it (the chunk's
     * dictionary page comes before its data pages); a dictionary page met
     * later in the batch (only a corrupt chunk has one) makes it flat */
    const void *dict0 = NULL;
    uint32_t nul = 0;
    size_t filled = 0;
    while (filled < rows) {
        bool eof;
        FL_TRY(pq_leaf_ensure_page(leaf, pool, &eof, err));
        if (eof)
            return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "column chunk ends after %lld of %lld rows",
                                 (long long)(leaf->rows_done + (int64_t)filled),
                                 (long long)leaf->file->meta->row_groups[leaf->row_group].num_rows);
        if ((leaf->vsrc != PQ_VALS_DICT && leaf->n_vals > 0) || (filled && leaf->dict != dict0))
            return dict_to_flat(leaf, pool, rows, idx, filled, dict0, nul, arena, out, err);
        if (filled == 0) {
            dict0 = leaf->dict;
            nul = leaf->dict_count;
            if (!(idx = fl_arena_alloc(arena, rows * sizeof *idx)))
                return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        size_t k = leaf->n_entries - leaf->epos;
        if (k > rows - filled) k = rows - filled;
        uint32_t *dst = idx + filled;
        if (leaf->n_vals == 0) {   /* a page of NULLs only */
            for (size_t i = 0; i < k; i++) dst[i] = nul;
        } else if (!leaf->def || leaf->page_nulls == 0) {
            FL_TRY(pq_leaf_take_indices(leaf, dst, k, err));
        } else {
            size_t nn;
            FL_TRY(fill_optional_idx(leaf, dst, k, nul, &nn, err));
        }
        leaf->epos += k;
        filled += k;
    }
    leaf->rows_done += (int64_t)rows;
    fl_dict_column *d = fl_arena_calloc(arena, sizeof *d);
    if (!d) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(pq_leaf_dict_values(leaf, &d->values, &d->id, err));
    d->idx = idx;
    d->len = rows;
    *dict = d;
    return 0;
}

/* ---- nested: gather ---- */

static int gather_rows(pq_leaf *leaf, pq_arena_pool *pool, size_t rows, fl_error *err)
{
    leaf->bcount = 0;
    leaf->bnvals = 0;
    size_t seen = 0, w = leaf->width;
    const uint8_t maxd = (uint8_t)leaf->max_def;
    for (;;) {
        bool eof;
        if (!leaf->rep && seen == rows) break;
        FL_TRY(pq_leaf_ensure_page(leaf, pool, &eof, err));
        if (eof) break;
        size_t j = leaf->epos, n = leaf->n_entries;
        if (leaf->rep) {
            const uint8_t *rep = leaf->rep;
            for (; j < n; j++)
                if (rep[j] == 0) {
                    if (seen == rows) break;
                    seen++;
                }
        } else {
            size_t take = n - j < rows - seen ? n - j : rows - seen;
            j += take;
            seen += take;
        }
        size_t k = j - leaf->epos;
        if (k) {
            size_t old_cap = leaf->bcap;
            FL_TRY(reserve(&leaf->bdef, &leaf->bcap, leaf->bcount + k));
            if (leaf->rep) {
                /* brep always has the same capacity as bdef */
                if (!leaf->brep || leaf->bcap != old_cap) {
                    uint8_t *q = fl_realloc(leaf->brep, leaf->bcap);
                    if (!q) return FLOE_ENOMEM;
                    leaf->brep = q;
                }
                memcpy(leaf->brep + leaf->bcount, leaf->rep + leaf->epos, k);
            }
            size_t nv;
            if (leaf->def) {
                memcpy(leaf->bdef + leaf->bcount, leaf->def + leaf->epos, k);
                nv = 0;
                for (size_t i = 0; i < k; i++) nv += leaf->def[leaf->epos + i] == maxd;
            } else {
                memset(leaf->bdef + leaf->bcount, 0, k);
                nv = k;
            }
            if (nv && leaf->vals && w) {
                FL_TRY(reserve(&leaf->bvals, &leaf->bvcap, (leaf->bnvals + nv) * w));
                copy_vals(leaf->bvals + leaf->bnvals * w, (const uint8_t *)leaf->vals + leaf->vpos * w, nv, w);
            }
            leaf->bnvals += nv;
            leaf->vpos += nv;
            leaf->bcount += k;
        }
        leaf->epos = j;
        if (j < n) break;   /* stopped at the start of row rows + 1 */
    }
    if (seen < rows)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "column chunk ends after %lld of %lld rows",
                             (long long)(leaf->rows_done + (int64_t)seen),
                             (long long)leaf->file->meta->row_groups[leaf->row_group].num_rows);
    leaf->rows_done += (int64_t)rows;
    return 0;
}

/* ---- skipping rows (row ranges) ---- */

/* Walks entries as gather_rows does, keeping nothing: rows start at every
 * repetition level 0, so passing `rows` rows stops at the start of the next
 * one. Pages wholly inside are skipped by pq_leaf_ensure_page (skip_budget). */
int pq_leaf_skip_rows(pq_leaf *leaf, pq_arena_pool *pool, int64_t rows, fl_error *err)
{
    int64_t seen = 0;
    const uint8_t maxd = (uint8_t)leaf->max_def;
    for (;;) {
        if (leaf->max_rep == 0 && seen == rows) break;
        bool eof;
        leaf->skip_budget = rows - seen;
        leaf->skipped_rows = 0;
        int rc = pq_leaf_ensure_page(leaf, pool, &eof, err);
        seen += leaf->skipped_rows;
        leaf->skip_budget = leaf->skipped_rows = 0;
        if (rc < 0) return rc;
        if (eof) break;
        size_t j = leaf->epos, n = leaf->n_entries;
        if (leaf->rep) {
            const uint8_t *rep = leaf->rep;
            for (; j < n; j++)
                if (rep[j] == 0) {
                    if (seen == rows) break;
                    seen++;
                }
        } else {
            size_t take = (int64_t)(n - j) < rows - seen ? n - j : (size_t)(rows - seen);
            j += take;
            seen += (int64_t)take;
        }
        size_t nv = j - leaf->epos;
        if (leaf->def) nv = count_defined(leaf->def + leaf->epos, j - leaf->epos, maxd);
        if (leaf->flat) FL_TRY(pq_leaf_skip_values(leaf, nv, err));
        else leaf->vpos += nv;
        leaf->epos = j;
        if (j < n) break;   /* stopped at the start of row rows + 1 */
    }
    if (seen < rows)
        return pq_leaf_error(leaf, err, FLOE_ECORRUPT, "column chunk ends after %lld of %lld rows",
                             (long long)(leaf->rows_done + seen),
                             (long long)leaf->file->meta->row_groups[leaf->row_group].num_rows);
    leaf->rows_done += rows;
    return 0;
}

/* ---- nested: build ---- */

typedef struct asm_ctx {
    pq_leaf *leaves;
    int n_leaves;
    int base;            /* leaf_index of leaves[0] */
    fl_arena *arena;
    fl_error *err;
} asm_ctx;

static const pq_field *first_leaf(const pq_field *f)
{
    while (f->n_children) f = &f->children[0];
    return f;
}

static int build(asm_ctx *c, const pq_field *f, int R, int D, fl_column **out);

static inline int rep_at(const pq_leaf *l, size_t j) { return l->brep ? l->brep[j] : 0; }

static int build_leaf_col(asm_ctx *c, const pq_field *f, pq_leaf *l, int R, int D, fl_column **out)
{
    size_t n = l->bcount, slots = 0;
    const uint8_t *def = l->bdef;
    bool has_rep = l->max_rep > 0;
    for (size_t j = 0; j < n; j++) slots += def[j] >= D && (!has_rep || l->brep[j] <= R);
    fl_column *col = fl_column_new(c->arena, f->type, slots);
    if (!col) return FLOE_ENOMEM;
    size_t w = l->width, vi = 0, row = 0;
    uint8_t maxd = (uint8_t)l->max_def;
    bool is_null_type = f->type.id == FL_TYPE_NULL;
    for (size_t j = 0; j < n; j++) {
        if (def[j] < D || (has_rep && l->brep[j] > R)) continue;
        if (def[j] == maxd && !is_null_type) {
            if (w) memcpy((uint8_t *)col->data + row * w, l->bvals + vi * w, w);
            vi++;
        } else {
            if (def[j] == maxd) vi++;
            if (fl_column_set_null(col, row) < 0) return FLOE_ENOMEM;
        }
        row++;
    }
    col->len = slots;
    *out = col;
    return 0;
}

static int build_list_col(asm_ctx *c, const pq_field *f, pq_leaf *l, int R, int D, fl_column **out)
{
    size_t n = l->bcount, slots = 0;
    const uint8_t *def = l->bdef;
    for (size_t j = 0; j < n; j++) slots += def[j] >= D && rep_at(l, j) <= R;
    fl_column *col = fl_column_new(c->arena, f->type, slots);
    if (!col) return FLOE_ENOMEM;
    int elem_def = f->max_def + 1;
    size_t row = 0;
    int64_t count = 0;
    bool open = false, started = false;
    for (size_t j = 0; j < n; j++) {
        int r = rep_at(l, j), d = def[j];
        if (r <= R) {
            if (d < D) {
                open = false;
                continue;
            }
            if (started) col->offsets[row + 1] = count, row++;
            started = true;
            if (d < f->max_def) {
                if (fl_column_set_null(col, row) < 0) return FLOE_ENOMEM;
                open = false;
            } else if (d >= elem_def) {
                count++;
                open = true;
            } else {
                open = false;
            }
        } else {
            if (!open || d < elem_def)
                return pq_leaf_error(l, c->err, FLOE_ECORRUPT,
                                     "repetition level %d continues a NULL or empty list", r);
            if (r == R + 1) count++;
        }
    }
    if (started) col->offsets[row + 1] = count, row++;
    col->len = slots;
    for (uint32_t i = 0; i < f->n_children; i++) {
        fl_column *child;
        FL_TRY(build(c, &f->children[i], R + 1, elem_def, &child));
        if ((int64_t)child->len != count)
            return pq_leaf_error(l, c->err, FLOE_ECORRUPT,
                                 "%s \"%s\" has %zu child values for %lld entries",
                                 f->type.id == FL_TYPE_MAP ? "map" : "list", f->name, child->len,
                                 (long long)count);
        if (fl_column_add_child(col, child) < 0) return FLOE_ENOMEM;
    }
    *out = col;
    return 0;
}

static int build_struct_col(asm_ctx *c, const pq_field *f, pq_leaf *l, int R, int D, fl_column **out)
{
    size_t n = l->bcount, slots = 0;
    const uint8_t *def = l->bdef;
    for (size_t j = 0; j < n; j++) slots += def[j] >= D && rep_at(l, j) <= R;
    fl_column *col = fl_column_new(c->arena, f->type, slots);
    if (!col) return FLOE_ENOMEM;
    if (f->max_def > D) {
        size_t row = 0;
        for (size_t j = 0; j < n; j++) {
            if (def[j] < D || rep_at(l, j) > R) continue;
            if (def[j] < f->max_def && fl_column_set_null(col, row) < 0) return FLOE_ENOMEM;
            row++;
        }
    }
    col->len = slots;
    for (uint32_t i = 0; i < f->n_children; i++) {
        fl_column *child;
        FL_TRY(build(c, &f->children[i], R, D, &child));
        if (child->len != slots)
            return pq_leaf_error(l, c->err, FLOE_ECORRUPT,
                                 "struct \"%s\" field \"%s\" has %zu rows, the struct %zu", f->name,
                                 f->children[i].name, child->len, slots);
        child->name = f->children[i].name;
        if (fl_column_add_child(col, child) < 0) return FLOE_ENOMEM;
    }
    *out = col;
    return 0;
}

static int build(asm_ctx *c, const pq_field *f, int R, int D, fl_column **out)
{
    const pq_field *lf = first_leaf(f);
    int li = lf->leaf_index - c->base;
    if (li < 0 || li >= c->n_leaves)
        return fl_error_set(c->err, FLOE_EINTERNAL, "leaf %d outside the column's leaves", lf->leaf_index);
    pq_leaf *l = &c->leaves[li];
    int rc;
    switch (f->type.id) {
    case FL_TYPE_STRUCT: rc = build_struct_col(c, f, l, R, D, out); break;
    case FL_TYPE_LIST:
    case FL_TYPE_MAP: rc = build_list_col(c, f, l, R, D, out); break;
    default: rc = build_leaf_col(c, f, l, R, D, out); break;
    }
    if (rc == 0) (*out)->name = f->name;
    return rc;
}

int pq_assemble_column(const pq_field *field, pq_leaf *leaves, int n_leaves, pq_arena_pool *pool,
                       size_t rows, fl_arena *arena, fl_column **out, fl_error *err)
{
    if (field->n_children == 0 && field->max_rep == 0 && n_leaves == 1) {
        FL_TRY(fill_flat(&leaves[0], pool, rows, arena, out, err));
        (*out)->name = field->name;
        return 0;
    }
    for (int i = 0; i < n_leaves; i++) FL_TRY(gather_rows(&leaves[i], pool, rows, err));
    asm_ctx c = {leaves, n_leaves, leaves[0].leaf_index, arena, err};
    FL_TRY(build(&c, field, 0, 0, out));
    if ((*out)->len != rows)
        return pq_leaf_error(&leaves[0], err, FLOE_ECORRUPT, "column \"%s\" decoded %zu of %zu rows",
                             field->name, (*out)->len, rows);
    return 0;
}
