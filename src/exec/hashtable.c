/*
 * hashtable.c: row layout, column-at-a-time hashing and key comparison, the
 * find-or-create table of aggregates/DISTINCT/set operations and the chained
 * join table (see hashtable.h for the design).
 *
 * Hot loops switch on the value class once per column and then run a flat
 * loop over the batch; constant vectors read row 0 through a zero stride.
 */
#include "hashtable.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "../base/alloc.h"
#include "../base/hashmap.h"

#define NULL_HASH 0x9ae16a3b2f90404full
#define EMPTY_KEYS_HASH 0x5bd1e9955bd1e995ull
#define SALT_SHIFT 48
#define PTR_MASK ((1ull << SALT_SHIFT) - 1)
#define CLAIMED 1ull      /* placeholder pointer of a slot claimed in this batch */

typedef enum vclass { VC_NONE, VC_INT, VC_FLOAT, VC_DOUBLE, VC_WIDE, VC_STR } vclass;

static vclass value_class(fl_type t)
{
    switch ((fl_type_id)t.id) {
    case FL_TYPE_FLOAT: return VC_FLOAT;
    case FL_TYPE_DOUBLE: return VC_DOUBLE;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: return VC_STR;
    case FL_TYPE_DECIMAL: return fl_decimal_is_wide(t) ? VC_WIDE : VC_INT;
    case FL_TYPE_NULL: return VC_NONE;
    default: return fl_type_width(t) ? VC_INT : VC_NONE;
    }
}

static inline uint64_t load_int(const uint8_t *p, size_t w)
{
    switch (w) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

/* Float keys compare by normalized bits: -0.0 == 0.0, every NaN is one. */
static inline uint32_t norm_float(const uint8_t *p)
{
    float f;
    memcpy(&f, p, 4);
    if (f == 0.0f) f = 0.0f;
    if (isnan(f)) f = NAN;
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}
static inline uint64_t norm_double(const uint8_t *p)
{
    double d;
    memcpy(&d, p, 8);
    if (d == 0.0) d = 0.0;
    if (isnan(d)) d = NAN;
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* Asks for transparent huge pages over the whole 2 MB pages inside a large
 * fresh allocation (bucket arrays, row blocks), before it is first touched:
 * far fewer page faults and TLB misses on random accesses. A hint only. */
static void advise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (len < 2 * huge) return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t e = ((uintptr_t)p + len) & ~(huge - 1);
    if (e > a) (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

/* ---------------------------------------------------------------- layout */

int ex_ht_layout_init(ex_ht_layout *l, fl_arena *arena, const fl_type *types,
                      uint32_t key_count, uint32_t col_count, const bool *null_equal,
                      size_t state_size, fl_error *err)
{
    memset(l, 0, sizeof *l);
    l->col_count = col_count;
    l->key_count = key_count;
    l->types = fl_arena_alloc(arena, (col_count + 1) * sizeof *l->types);
    l->offsets = fl_arena_alloc(arena, (col_count + 1) * sizeof *l->offsets);
    l->null_equal = fl_arena_alloc(arena, (key_count + 1) * sizeof *l->null_equal);
    if (!l->types || !l->offsets || !l->null_equal)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash table layout");
    for (uint32_t c = 0; c < col_count; c++) {
        if (fl_type_is_nested(types[c]))
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "hash table column of type %s is not supported",
                                fl_type_name((fl_type_id)types[c].id));
        l->types[c] = types[c];
    }
    for (uint32_t c = 0; c < key_count; c++) l->null_equal[c] = null_equal ? null_equal[c] : true;
    /* columns by decreasing width from offset 16 keep every value naturally
     * aligned; the NULL bitmap and the flag byte follow them, so the bytes
     * a new row must zero (bitmap, flag, padding, state) are one range */
    static const size_t widths[] = {16, 8, 4, 2, 1, 0};
    size_t off = 16;
    bool wide = false;
    for (size_t wi = 0; wi < FL_ARRAY_SIZE(widths); wi++) {
        for (uint32_t c = 0; c < col_count; c++) {
            size_t w = fl_type_width(types[c]);
            if (w != widths[wi]) continue;
            wide |= w == 16;
            l->offsets[c] = (uint32_t)off;
            off += w;
        }
    }
    l->null_offset = (uint32_t)off;
    off += (col_count + 7) / 8;
    l->flag_offset = (uint32_t)off;
    off += 1;
    /* rows are 16-aligned when they hold 16-byte values or states, else 8 */
    size_t align = state_size || wide ? 16 : 8;
    off = (off + align - 1) & ~(align - 1);
    l->state_offset = (uint32_t)off;
    l->state_size = (uint32_t)((state_size + 15) & ~(size_t)15);
    off += l->state_size;
    l->row_width = (uint32_t)off;
    return 0;
}

/* ---------------------------------------------------------------- hashing */

/* Hashes n rows of v into out[0..n): row base + j, or sel[j] when sel is
 * given (a constant vector: row 0 only, out[0]). Inlined into its two
 * callers, so the sel-less one keeps its tight loops. */
static inline __attribute__((always_inline)) void hash_rows(const ex_vector *v, const uint32_t *sel,
                                                            size_t base, size_t n, uint64_t *out)
{
    FL_ASSERT(v->kind != EX_VECTOR_DICT);   /* flattened by the pipeline runner (vector.h) */
    const fl_column *col = v->col;
    if (v->kind == EX_VECTOR_CONST) {
        n = n ? 1 : 0;
        base = 0;
        sel = NULL;
    }
#define ROW(j) (sel ? (size_t)sel[j] : base + (j))
    vclass vc = value_class(col->type);
    size_t w = fl_type_width(col->type);
    const uint8_t *d = col->data;
    switch (vc) {
    case VC_NONE:
        for (size_t i = 0; i < n; i++) out[i] = NULL_HASH;
        return;
    case VC_INT:
        for (size_t i = 0; i < n; i++) out[i] = fl_hash_u64(load_int(d + ROW(i) * w, w));
        break;
    case VC_FLOAT:
        for (size_t i = 0; i < n; i++) out[i] = fl_hash_u64(norm_float(d + ROW(i) * 4));
        break;
    case VC_DOUBLE:
        for (size_t i = 0; i < n; i++) out[i] = fl_hash_u64(norm_double(d + ROW(i) * 8));
        break;
    case VC_WIDE:
        for (size_t i = 0; i < n; i++) {
            uint64_t lo, hi;
            memcpy(&lo, d + ROW(i) * 16, 8);
            memcpy(&hi, d + ROW(i) * 16 + 8, 8);
            out[i] = fl_hash_combine(fl_hash_u64(lo), hi);
        }
        break;
    case VC_STR: {
        const fl_strv *s = (const fl_strv *)col->data;
        for (size_t i = 0; i < n; i++) out[i] = fl_hash_bytes(s[ROW(i)].ptr, s[ROW(i)].len, 0);
        break;
    }
    }
    if (col->validity)
        for (size_t i = 0; i < n; i++)
            if (!fl_bit_get(col->validity, ROW(i))) out[i] = NULL_HASH;
#undef ROW
}

void ex_hash_vectors(const ex_vector *keys, uint32_t key_count, size_t n, uint64_t *hashes)
{
    if (key_count == 0) {
        for (size_t i = 0; i < n; i++) hashes[i] = EMPTY_KEYS_HASH;
        return;
    }
    uint64_t tmp[EX_CHUNK_ROWS];
    for (size_t base = 0; base < n; base += EX_CHUNK_ROWS) {
        size_t m = n - base < EX_CHUNK_ROWS ? n - base : EX_CHUNK_ROWS;
        for (uint32_t c = 0; c < key_count; c++) {
            const ex_vector *v = &keys[c];
            uint64_t *dst = c == 0 ? hashes + base : tmp;
            hash_rows(v, NULL, base, m, dst);
            if (v->kind == EX_VECTOR_CONST)
                for (size_t i = 1; i < m; i++) dst[i] = dst[0];
            if (c > 0)
                for (size_t i = 0; i < m; i++)
                    hashes[base + i] = fl_hash_combine(hashes[base + i], tmp[i]);
        }
    }
}

void ex_hash_vectors_sel(const ex_vector *keys, uint32_t key_count, const uint32_t *sel, size_t m,
                         uint64_t *hashes)
{
    if (key_count == 0) {
        for (size_t j = 0; j < m; j++) hashes[sel[j]] = EMPTY_KEYS_HASH;
        return;
    }
    uint64_t tmp[EX_CHUNK_ROWS];
    for (size_t base = 0; base < m; base += EX_CHUNK_ROWS) {
        size_t k = m - base < EX_CHUNK_ROWS ? m - base : EX_CHUNK_ROWS;
        const uint32_t *s = sel + base;
        for (uint32_t c = 0; c < key_count; c++) {
            const ex_vector *v = &keys[c];
            hash_rows(v, s, 0, k, tmp);
            if (v->kind == EX_VECTOR_CONST)
                for (size_t j = 1; j < k; j++) tmp[j] = tmp[0];
            if (c == 0)
                for (size_t j = 0; j < k; j++) hashes[s[j]] = tmp[j];
            else
                for (size_t j = 0; j < k; j++) hashes[s[j]] = fl_hash_combine(hashes[s[j]], tmp[j]);
        }
    }
}

/* ---------------------------------------------------------------- rows */

void ex_rows_init(ex_rows *r, const ex_ht_layout *layout, fl_arena *arena)
{
    memset(r, 0, sizeof *r);
    r->layout = layout;
    r->arena = arena;
}

static int rows_reserve(ex_rows *r, size_t n, fl_error *err)
{
    ex_row_block *b = r->tail;
    if (b && b->cap - b->count >= n) return 0;
    size_t w = r->layout->row_width;
    size_t cap = b ? (size_t)b->cap * 2 : 64;
    /* blocks grow to 4 MB (huge pages inside) once a store is large */
    size_t max_rows = (r->count >= ((size_t)1 << 16) ? (size_t)4 << 20 : (size_t)1 << 20) / w;
    if (cap > max_rows) cap = max_rows;
    if (cap < n) cap = n;
    if (cap < 16) cap = 16;
    ex_row_block *nb = fl_arena_alloc(r->arena, sizeof *nb);
    uint8_t *data = nb ? fl_arena_alloc(r->arena, cap * w) : NULL;
    if (!data) return fl_error_set(err, FLOE_ENOMEM, "out of memory for hash table rows");
    advise_huge(data, cap * w);
    nb->next = NULL;
    nb->data = data;
    nb->count = 0;
    nb->cap = (uint32_t)cap;
    if (b) b->next = nb;
    else r->head = nb;
    r->tail = nb;
    return 0;
}

static void set_row_null(const ex_ht_layout *l, uint8_t *row, uint32_t c)
{
    row[l->null_offset + (c >> 3)] |= (uint8_t)(1u << (c & 7));
}

/* Writes column c of input rows idx[0..n) into rows[0..n). Key floats are
 * normalized; strings copied into arena (one allocation per call). */
static int write_column(const ex_ht_layout *l, uint32_t c, const ex_vector *v,
                        const uint32_t *idx, size_t n, uint8_t *const *rows, fl_arena *arena,
                        fl_error *err)
{
    const fl_column *col = v->col;
    size_t stride = v->kind == EX_VECTOR_CONST ? 0 : 1;
    size_t w = fl_type_width(l->types[c]);
    uint32_t off = l->offsets[c];
    vclass vc = value_class(l->types[c]);
    bool key = c < l->key_count;
    const uint8_t *d = col->data;
    if (vc == VC_NONE) {
        for (size_t k = 0; k < n; k++) set_row_null(l, rows[k], c);
        return 0;
    }
    if (vc == VC_STR) {
        const fl_strv *s = col->data;
        size_t total = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = idx[k] * stride;
            if (!col->validity || fl_bit_get(col->validity, i)) total += s[i].len;
        }
        char *buf = total ? fl_arena_alloc(arena, total) : NULL;
        if (total && !buf) return fl_error_set(err, FLOE_ENOMEM, "out of memory for hash table strings");
        for (size_t k = 0; k < n; k++) {
            size_t i = idx[k] * stride;
            fl_strv sv = {"", 0};
            if (col->validity && !fl_bit_get(col->validity, i)) {
                set_row_null(l, rows[k], c);
            } else if (s[i].len) {
                memcpy(buf, s[i].ptr, s[i].len);
                sv = fl_strv_make(buf, s[i].len);
                buf += s[i].len;
            }
            memcpy(rows[k] + off, &sv, sizeof sv);
        }
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k] * stride;
        uint8_t *dst = rows[k] + off;
        if (col->validity && !fl_bit_get(col->validity, i)) {
            set_row_null(l, rows[k], c);
            memset(dst, 0, w);
        } else if (key && vc == VC_FLOAT) {
            uint32_t b = norm_float(d + i * 4);
            memcpy(dst, &b, 4);
        } else if (key && vc == VC_DOUBLE) {
            uint64_t b = norm_double(d + i * 8);
            memcpy(dst, &b, 8);
        } else {
            memcpy(dst, d + i * w, w);
        }
    }
    return 0;
}

/* Allocates n rows and writes them: hash, NULL next pointer, the columns,
 * and zeroed bitmap, flag and state (the whole row is not cleared first:
 * columns not in cols get zeroed values with their NULL bit). */
static int rows_write(ex_rows *r, const ex_vector *cols, uint32_t ncols, const uint64_t *hashes,
                      const uint32_t *idx, size_t n, uint8_t **out, fl_error *err)
{
    const ex_ht_layout *l = r->layout;
    size_t done = 0;
    while (done < n) {
        int rc = rows_reserve(r, 1, err);
        if (rc < 0) return rc;
        ex_row_block *b = r->tail;
        size_t m = b->cap - b->count;
        if (m > n - done) m = n - done;
        uint8_t *base = b->data + (size_t)b->count * l->row_width;
        size_t tail = l->row_width - l->null_offset;
        for (size_t k = 0; k < m; k++) {
            uint8_t *row = base + k * l->row_width;
            out[done + k] = row;
            memcpy(row + EX_HT_ROW_HASH, &hashes[idx[done + k]], 8);
            memset(row + EX_HT_ROW_NEXT, 0, 8);
            memset(row + l->null_offset, 0, tail);
        }
        for (uint32_t c = 0; c < ncols; c++) {
            rc = write_column(l, c, &cols[c], idx + done, m, out + done, r->arena, err);
            if (rc < 0) return rc;
        }
        for (uint32_t c = ncols; c < l->col_count; c++) {
            size_t w = fl_type_width(l->types[c]);
            for (size_t k = 0; k < m; k++) {
                set_row_null(l, out[done + k], c);
                memset(out[done + k] + l->offsets[c], 0, w);
            }
        }
        b->count += (uint32_t)m;
        r->count += m;
        done += m;
    }
    return 0;
}

int ex_rows_append(ex_rows *r, const ex_vector *cols, const uint64_t *hashes,
                   const uint32_t *sel, size_t n, uint8_t **out, fl_error *err)
{
    uint32_t idx_buf[EX_CHUNK_ROWS];
    uint8_t *rows_buf[EX_CHUNK_ROWS];
    for (size_t base = 0; base < n; base += EX_CHUNK_ROWS) {
        size_t m = n - base < EX_CHUNK_ROWS ? n - base : EX_CHUNK_ROWS;
        for (size_t k = 0; k < m; k++) idx_buf[k] = sel ? sel[base + k] : (uint32_t)(base + k);
        uint8_t **dst = out ? out + base : rows_buf;
        int rc = rows_write(r, cols, r->layout->col_count, hashes, idx_buf, m, dst, err);
        if (rc < 0) return rc;
    }
    return 0;
}

void ex_rows_concat(ex_rows *dst, ex_rows *src)
{
    if (!src->head) return;
    if (dst->tail) dst->tail->next = src->head;
    else dst->head = src->head;
    dst->tail = src->tail;
    dst->count += src->count;
    src->head = src->tail = NULL;
    src->count = 0;
}

static int set_valid(fl_column *col, size_t row, bool valid)
{
    if (valid) {
        if (col->validity) fl_bit_set(col->validity, row);
        return 0;
    }
    return fl_column_set_null(col, row);
}

int ex_rows_gather(fl_column *dst, size_t dst_off, uint8_t *const *rows, size_t n,
                   const ex_ht_layout *l, uint32_t c, fl_error *err)
{
    if (dst->cap < dst_off + n && fl_column_reserve(dst, dst_off + n) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory gathering hash table rows");
    size_t w = fl_type_width(l->types[c]);
    uint32_t off = l->offsets[c];
    uint8_t *d = dst->data;
    uint32_t nbyte = l->null_offset + (c >> 3);
    uint8_t nbit = (uint8_t)(1u << (c & 7));
    bool any_null = false;
    if (w) {
        switch (w) {
        case 8:
            for (size_t k = 0; k < n; k++) memcpy(d + (dst_off + k) * 8, rows[k] + off, 8);
            break;
        case 4:
            for (size_t k = 0; k < n; k++) memcpy(d + (dst_off + k) * 4, rows[k] + off, 4);
            break;
        default:
            for (size_t k = 0; k < n; k++) memcpy(d + (dst_off + k) * w, rows[k] + off, w);
            break;
        }
    }
    for (size_t k = 0; k < n; k++) any_null |= (rows[k][nbyte] & nbit) != 0;
    if (!any_null && !dst->validity) return 0;
    if (any_null && fl_column_ensure_validity(dst) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory gathering hash table rows");
    for (size_t k = 0; k < n; k++)
        if (set_valid(dst, dst_off + k, !(rows[k][nbyte] & nbit)) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory gathering hash table rows");
    return 0;
}

/* ---------------------------------------------------------------- key comparison */

static size_t match_column(const ex_ht_layout *l, uint32_t c, const ex_vector *v,
                           uint8_t *const *rows, const uint32_t *cur, size_t n, uint32_t *match,
                           uint32_t *nomatch, size_t *nm)
{
    const fl_column *col = v->col;
    size_t stride = v->kind == EX_VECTOR_CONST ? 0 : 1;
    size_t w = fl_type_width(l->types[c]);
    uint32_t off = l->offsets[c];
    uint32_t nbyte = l->null_offset + (c >> 3);
    uint8_t nbit = (uint8_t)(1u << (c & 7));
    bool null_eq = l->null_equal[c];
    vclass vc = value_class(l->types[c]);
    const uint8_t *d = col->data;
    const uint8_t *valid = col->validity;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t r = cur[k];
        const uint8_t *row = rows[r];
        size_t i = r * stride;
        bool vnull = valid && !fl_bit_get(valid, i);
        bool rnull = (row[nbyte] & nbit) != 0;
        bool eq;
        if (vnull | rnull) {
            eq = vnull && rnull && null_eq;
        } else {
            const uint8_t *rp = row + off;
            switch (vc) {
            case VC_INT: eq = load_int(d + i * w, w) == load_int(rp, w); break;
            case VC_FLOAT: eq = norm_float(d + i * 4) == load_int(rp, 4); break;
            case VC_DOUBLE: eq = norm_double(d + i * 8) == load_int(rp, 8); break;
            case VC_WIDE: eq = memcmp(d + i * 16, rp, 16) == 0; break;
            case VC_STR: {
                fl_strv a = ((const fl_strv *)d)[i], b;
                memcpy(&b, rp, sizeof b);
                eq = fl_strv_eq(a, b);
                break;
            }
            default: eq = true; break;
            }
        }
        if (eq) match[m++] = r;
        else if (nomatch) nomatch[(*nm)++] = r;
    }
    return m;
}

size_t ex_ht_match_keys(const ex_ht_layout *l, const ex_vector *keys, uint8_t *const *rows,
                        const uint32_t *sel, size_t n, uint32_t *match, uint32_t *nomatch,
                        size_t *nomatch_count)
{
    size_t nm = 0;
    if (l->key_count == 0) {
        if (match != sel) memmove(match, sel, n * sizeof *match);
        if (nomatch_count) *nomatch_count = 0;
        return n;
    }
    const uint32_t *cur = sel;
    size_t cnt = n;
    for (uint32_t c = 0; c < l->key_count; c++) {
        cnt = match_column(l, c, &keys[c], rows, cur, cnt, match, nomatch, &nm);
        cur = match;
    }
    if (nomatch_count) *nomatch_count = nm;
    return cnt;
}

static bool rows_keys_equal(const ex_ht_layout *l, const uint8_t *a, const uint8_t *b)
{
    for (uint32_t c = 0; c < l->key_count; c++) {
        bool an = ex_ht_row_is_null(l, a, c), bn = ex_ht_row_is_null(l, b, c);
        if (an || bn) {
            if (!(an && bn && l->null_equal[c])) return false;
            continue;
        }
        uint32_t off = l->offsets[c];
        if (value_class(l->types[c]) == VC_STR) {
            fl_strv sa, sb;
            memcpy(&sa, a + off, sizeof sa);
            memcpy(&sb, b + off, sizeof sb);
            if (!fl_strv_eq(sa, sb)) return false;
        } else if (memcmp(a + off, b + off, fl_type_width(l->types[c])) != 0) {
            return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------- find-or-create */

/* The entry array is heap memory owned through a holder in the arena (the
 * ex_ht itself may live on a stack or be copied). */
static void free_entries(void *arg)
{
    uint64_t **holder = arg;
    fl_free(*holder);
    *holder = NULL;
}

int ex_ht_init(ex_ht *ht, const ex_ht_layout *l, fl_arena *arena, uint32_t radix_bits,
               fl_error *err)
{
    FL_ASSERT(radix_bits <= EX_HT_MAX_RADIX_BITS);
    memset(ht, 0, sizeof *ht);
    ht->layout = l;
    ht->arena = arena;
    ht->radix_bits = radix_bits;
    for (uint32_t p = 0; p < (1u << radix_bits); p++) ex_rows_init(&ht->parts[p], l, arena);
    ht->cap = 1024;
    ht->mask = ht->cap - 1;
    ht->entries = fl_calloc(ht->cap, sizeof *ht->entries);
    ht->holder = fl_arena_alloc(arena, sizeof *ht->holder);
    if (ht->holder) *ht->holder = ht->entries;
    ht->slot = fl_arena_alloc(arena, EX_CHUNK_ROWS * sizeof *ht->slot);
    ht->todo = fl_arena_alloc(arena, EX_CHUNK_ROWS * sizeof *ht->todo);
    ht->cmp = fl_arena_alloc(arena, EX_CHUNK_ROWS * sizeof *ht->cmp);
    ht->miss = fl_arena_alloc(arena, EX_CHUNK_ROWS * sizeof *ht->miss);
    if (!ht->entries || !ht->holder || !ht->slot || !ht->todo || !ht->cmp || !ht->miss ||
        fl_arena_on_reset(arena, free_entries, ht->holder) < 0) {
        fl_free(ht->entries);
        ht->entries = NULL;
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash table");
    }
    return 0;
}

static int ht_grow(ex_ht *ht, size_t need, fl_error *err)
{
    if (need * 2 <= ht->cap) return 0;
    size_t cap = ht->cap;
    while (need * 2 > cap) cap *= 2;
    uint64_t *ne = fl_calloc(cap, sizeof *ne);
    if (!ne) return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a hash table to %zu slots", cap);
    size_t mask = cap - 1;
    for (size_t i = 0; i < ht->cap; i++) {
        uint64_t e = ht->entries[i];
        if (!e) continue;
        uint64_t h = ex_ht_row_hash((const uint8_t *)(uintptr_t)(e & PTR_MASK));
        size_t s = h & mask;
        while (ne[s]) s = (s + 1) & mask;
        ne[s] = e;
    }
    fl_free(ht->entries);
    ht->entries = ne;
    *ht->holder = ne;
    ht->cap = cap;
    ht->mask = mask;
    return 0;
}

static inline uint64_t make_entry(uint64_t hash, const uint8_t *row)
{
    uintptr_t p = (uintptr_t)row;
    FL_ASSERT((p & ~PTR_MASK) == 0);
    return (hash & ~PTR_MASK) | p;
}

/* Creates the rows claimed in this round, partition by partition. */
static int create_claimed(ex_ht *ht, const ex_vector *keys, const uint64_t *hashes,
                          const uint64_t *part_hashes, const uint32_t *claimed, size_t nclaimed,
                          uint8_t **rows_out, fl_error *err)
{
    uint8_t *made[EX_CHUNK_ROWS];
    uint32_t idx[EX_CHUNK_ROWS];
    uint32_t nparts = 1u << ht->radix_bits;
    for (uint32_t p = 0; p < nparts; p++) {
        size_t m = 0;
        if (nparts == 1) {
            memcpy(idx, claimed, nclaimed * sizeof *idx);
            m = nclaimed;
        } else {
            for (size_t k = 0; k < nclaimed; k++) {
                uint32_t r = claimed[k];
                if (ex_ht_partition(part_hashes[r], ht->radix_bits) == p) idx[m++] = r;
            }
        }
        if (!m) continue;
        int rc = rows_write(&ht->parts[p], keys, ht->layout->key_count, hashes, idx, m, made, err);
        if (rc < 0) return rc;
        for (size_t k = 0; k < m; k++) {
            uint32_t r = idx[k];
            rows_out[r] = made[k];
            ht->entries[ht->slot[r]] = make_entry(hashes[r], made[k]);
        }
    }
    return 0;
}

static int probe(ex_ht *ht, const ex_vector *keys, const uint64_t *hashes,
                 const uint64_t *part_hashes, const uint32_t *sel, size_t n, uint8_t **rows_out,
                 bool create, uint32_t *created, size_t *created_count, fl_error *err)
{
    FL_ASSERT(n <= EX_CHUNK_ROWS);
    if (created_count) *created_count = 0;
    if (ht->layout->key_count == 0 && n > 1) {
        /* no keys (an aggregate without GROUP BY): one row for all */
        uint32_t first = sel ? sel[0] : 0;
        FL_TRY(probe(ht, keys, hashes, part_hashes, &first, 1, rows_out, create, created,
                     created_count, err));
        for (size_t k = 1; k < n; k++) rows_out[sel ? sel[k] : k] = rows_out[first];
        return 0;
    }
    if (create) FL_TRY(ht_grow(ht, ht->count + n, err));
    if (!part_hashes) part_hashes = hashes;
    uint32_t *todo = ht->todo, *cmp = ht->cmp, *miss = ht->miss;
    uint32_t claimed[EX_CHUNK_ROWS];
    for (size_t k = 0; k < n; k++) {
        uint32_t r = sel ? sel[k] : (uint32_t)k;
        todo[k] = r;
        ht->slot[r] = hashes[r] & ht->mask;
    }
    size_t remaining = n;
    while (remaining) {
        size_t ncmp = 0, nclaimed = 0;
        for (size_t k = 0; k < remaining; k++) {
            uint32_t r = todo[k];
            uint64_t salt = hashes[r] & ~PTR_MASK;
            size_t s = ht->slot[r];
            for (;;) {
                uint64_t e = ht->entries[s];
                if (!e) {
                    if (create) {
                        ht->entries[s] = salt | CLAIMED;
                        claimed[nclaimed++] = r;
                        ht->count++;
                    } else {
                        rows_out[r] = NULL;
                    }
                    break;
                }
                if ((e & ~PTR_MASK) == salt) {
                    cmp[ncmp++] = r;
                    break;
                }
                s = (s + 1) & ht->mask;
            }
            ht->slot[r] = s;
        }
        if (nclaimed) {
            FL_TRY(create_claimed(ht, keys, hashes, part_hashes, claimed, nclaimed, rows_out, err));
            if (created) memcpy(created + *created_count, claimed, nclaimed * sizeof *claimed);
            if (created_count) *created_count += nclaimed;
        }
        for (size_t k = 0; k < ncmp; k++) {
            uint32_t r = cmp[k];
            rows_out[r] = (uint8_t *)(uintptr_t)(ht->entries[ht->slot[r]] & PTR_MASK);
        }
        size_t nmiss = 0;
        ex_ht_match_keys(ht->layout, keys, rows_out, cmp, ncmp, cmp, miss, &nmiss);
        for (size_t k = 0; k < nmiss; k++) {
            uint32_t r = miss[k];
            ht->slot[r] = (ht->slot[r] + 1) & ht->mask;
            todo[k] = r;
        }
        remaining = nmiss;
    }
    return 0;
}

int ex_ht_find_or_create(ex_ht *ht, const ex_vector *keys, const uint64_t *hashes,
                         const uint64_t *part_hashes, const uint32_t *sel, size_t n,
                         uint8_t **rows_out, uint32_t *created, size_t *created_count,
                         fl_error *err)
{
    return probe(ht, keys, hashes, part_hashes, sel, n, rows_out, true, created, created_count,
                 err);
}

int ex_ht_find(ex_ht *ht, const ex_vector *keys, const uint64_t *hashes, const uint32_t *sel,
               size_t n, uint8_t **rows_out, fl_error *err)
{
    return probe(ht, keys, hashes, NULL, sel, n, rows_out, false, NULL, NULL, err);
}

int ex_ht_merge_rows(ex_ht *ht, uint8_t *const *src, size_t n, uint8_t **found, fl_error *err)
{
    FL_TRY(ht_grow(ht, ht->count + n, err));
    for (size_t i = 0; i < n; i++) {
        uint64_t h = ex_ht_row_hash(src[i]);
        uint64_t salt = h & ~PTR_MASK;
        size_t s = h & ht->mask;
        found[i] = NULL;
        for (;;) {
            uint64_t e = ht->entries[s];
            if (!e) {
                ht->entries[s] = make_entry(h, src[i]);
                ht->count++;
                break;
            }
            if ((e & ~PTR_MASK) == salt) {
                uint8_t *row = (uint8_t *)(uintptr_t)(e & PTR_MASK);
                if (rows_keys_equal(ht->layout, row, src[i])) {
                    found[i] = row;
                    break;
                }
            }
            s = (s + 1) & ht->mask;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- join table */

typedef struct build_task {
    ex_join_ht *jt;
    ex_row_block **blocks;
    const ex_ht_layout *layout;
    uint32_t *null_cols;
    uint32_t null_col_count;
    bool atomic;               /* blocks linked by several threads at once */
    atomic_bool has_null;
} build_task;

#define LINK_PREFETCH 16

/* Prepends row to its bucket's chain, adding its tag bit to the bucket. */
static inline void link_row(uint64_t *bucket, uint8_t *row, uint64_t tag, bool atomic)
{
    uint64_t old = atomic ? __atomic_load_n(bucket, __ATOMIC_RELAXED) : *bucket;
    for (;;) {
        uint8_t *next = (uint8_t *)(uintptr_t)(old & PTR_MASK);
        memcpy(row + EX_HT_ROW_NEXT, &next, sizeof next);
        uint64_t e = (old & ~PTR_MASK) | tag | (uint64_t)(uintptr_t)row;
        if (!atomic) {
            *bucket = e;
            return;
        }
        if (__atomic_compare_exchange_n(bucket, &old, e, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return;
    }
}

static void link_block(void *arg, size_t index, int worker)
{
    (void)worker;
    build_task *t = arg;
    const ex_ht_layout *l = t->layout;
    ex_row_block *b = t->blocks[index];
    uint64_t *buckets = t->jt->buckets;
    size_t mask = t->jt->mask, w = l->row_width;
    bool has_null = false;
    /* bucket writes are random: prefetch a few rows ahead so the cache
     * misses overlap */
    for (uint32_t k = 0; k < b->count && k < LINK_PREFETCH; k++)
        __builtin_prefetch(&buckets[ex_ht_row_hash(b->data + (size_t)k * w) & mask], 1);
    for (uint32_t k = 0; k < b->count; k++) {
        uint8_t *row = b->data + (size_t)k * w;
        if (k + LINK_PREFETCH < b->count)
            __builtin_prefetch(&buckets[ex_ht_row_hash(row + LINK_PREFETCH * w) & mask], 1);
        bool skip = false;
        for (uint32_t j = 0; j < t->null_col_count; j++)
            skip |= ex_ht_row_is_null(l, row, t->null_cols[j]);
        if (skip) {
            has_null = true;
            continue;
        }
        uint64_t h = ex_ht_row_hash(row);
        link_row(&buckets[h & mask], row, ex_join_ht_tag(h), t->atomic);
    }
    if (has_null) atomic_store(&t->has_null, true);
}

static void free_buckets(void *arg)
{
    fl_free(arg);
}

int ex_join_ht_build(ex_join_ht *jt, const ex_ht_layout *l, ex_rows *const *stores,
                     uint32_t count, fl_arena *arena, fl_pool *pool, fl_error *err)
{
    memset(jt, 0, sizeof *jt);
    jt->layout = l;
    size_t rows = 0, nblocks = 0;
    for (uint32_t i = 0; i < count; i++) {
        rows += stores[i]->count;
        for (ex_row_block *b = stores[i]->head; b; b = b->next) nblocks++;
    }
    /* load factor 1/2 to 4/5: the tag bits stop most probes of absent keys,
     * and a smaller array takes fewer cache misses to build and probe */
    size_t cap = 1024;
    while (cap < rows + rows / 4) cap *= 2;
    jt->buckets = fl_calloc(cap, sizeof *jt->buckets);
    if (jt->buckets) advise_huge(jt->buckets, cap * sizeof *jt->buckets);
    if (!jt->buckets || fl_arena_on_reset(arena, free_buckets, jt->buckets) < 0) {
        fl_free(jt->buckets);
        jt->buckets = NULL;
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join hash table of %zu rows", rows);
    }
    jt->mask = cap - 1;
    jt->row_count = rows;
    fl_pool *use_pool = rows >= 65536 && fl_pool_threads(pool) > 0 ? pool : NULL;
    build_task t = {.jt = jt, .layout = l, .atomic = use_pool != NULL};
    atomic_init(&t.has_null, false);
    t.blocks = fl_arena_alloc(arena, (nblocks + 1) * sizeof *t.blocks);
    t.null_cols = fl_arena_alloc(arena, (l->key_count + 1) * sizeof *t.null_cols);
    if (!t.blocks || !t.null_cols)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join hash table");
    nblocks = 0;
    for (uint32_t i = 0; i < count; i++)
        for (ex_row_block *b = stores[i]->head; b; b = b->next) t.blocks[nblocks++] = b;
    for (uint32_t c = 0; c < l->key_count; c++)
        if (!l->null_equal[c]) t.null_cols[t.null_col_count++] = c;
    fl_pool_run(use_pool, nblocks, link_block, &t);
    jt->has_null_key = atomic_load(&t.has_null);
    return 0;
}

size_t ex_join_ht_chain_count(const ex_join_ht *jt)
{
    size_t n = 0;
    for (size_t i = 0; i <= jt->mask; i++) n += jt->buckets[i] != 0;
    return n;
}

/* The hash ex_hash_vectors gives the first key_count keys of a row. */
static uint64_t row_key_hash(const ex_ht_layout *l, const uint8_t *row, uint32_t key_count)
{
    if (key_count == 0) return EMPTY_KEYS_HASH;
    uint64_t h = 0;
    for (uint32_t c = 0; c < key_count; c++) {
        const uint8_t *p = row + l->offsets[c];
        uint64_t v;
        vclass vc = value_class(l->types[c]);
        if (vc == VC_NONE || ex_ht_row_is_null(l, row, c)) {
            v = NULL_HASH;
        } else if (vc == VC_STR) {
            fl_strv sv;
            memcpy(&sv, p, sizeof sv);
            v = fl_hash_bytes(sv.ptr, sv.len, 0);
        } else if (vc == VC_WIDE) {
            uint64_t lo, hi;
            memcpy(&lo, p, 8);
            memcpy(&hi, p + 8, 8);
            v = fl_hash_combine(fl_hash_u64(lo), hi);
        } else {
            /* key floats are stored normalized, as hash_rows hashes them */
            v = fl_hash_u64(load_int(p, fl_type_width(l->types[c])));
        }
        h = c == 0 ? v : fl_hash_combine(h, v);
    }
    return h;
}

void ex_rows_rehash(ex_rows *const *stores, uint32_t count, uint32_t key_count)
{
    for (uint32_t i = 0; i < count; i++) {
        const ex_ht_layout *l = stores[i]->layout;
        for (ex_row_block *b = stores[i]->head; b; b = b->next)
            for (uint32_t k = 0; k < b->count; k++) {
                uint8_t *row = b->data + (size_t)k * l->row_width;
                uint64_t h = row_key_hash(l, row, key_count);
                memcpy(row + EX_HT_ROW_HASH, &h, 8);
            }
    }
}
