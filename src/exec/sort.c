/*
 * sort.c: row buffers and the normalized-key sort behind ORDER BY, TOPN
 * and windows (see sort.h for the key encoding).
 *
 * Each row's keys are encoded once into key_width bytes; comparing two
 * rows is then one memcmp over the bytes up to the end of the first string
 * key's prefix (`exact_width`), and only when those are equal and a string
 * key follows, a typed comparison of the remaining keys. The merge sort
 * moves 4-byte row numbers, reading keys through them.
 */
#include "sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"

#define STR_PREFIX 12

/* ---------------------------------------------------------------- row buffers */

int ex_rowbuf_init(ex_rowbuf *b, fl_arena *arena, const fl_type *types, uint32_t col_count,
                   fl_error *err)
{
    memset(b, 0, sizeof(*b));
    b->arena = arena;
    b->col_count = col_count;
    b->types = fl_arena_alloc(arena, (col_count ? col_count : 1) * sizeof(fl_type));
    b->cols = fl_arena_calloc(arena, (col_count ? col_count : 1) * sizeof(fl_column *));
    if (b->types == NULL || b->cols == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < col_count; i++) {
        if (fl_type_is_nested(types[i]))
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "sorting rows with %s columns is not supported",
                                fl_type_name((fl_type_id)types[i].id));
        b->types[i] = types[i];
        b->cols[i] = fl_column_new(arena, types[i], 64);
        if (b->cols[i] == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    return 0;
}

void ex_column_put(fl_column *dst, size_t dst_row, const fl_column *src, size_t src_row)
{
    size_t w = fl_type_width(dst->type);
    if (!fl_column_is_valid(src, src_row)) {
        /* caller ensured validity exists */
        fl_bit_clear(dst->validity, dst_row);
        if (w) memset((char *)dst->data + dst_row * w, 0, w);
        return;
    }
    if (dst->validity) fl_bit_set(dst->validity, dst_row);
    switch (w) {
    case 1: ((uint8_t *)dst->data)[dst_row] = ((const uint8_t *)src->data)[src_row]; break;
    case 2: ((uint16_t *)dst->data)[dst_row] = ((const uint16_t *)src->data)[src_row]; break;
    case 4: ((uint32_t *)dst->data)[dst_row] = ((const uint32_t *)src->data)[src_row]; break;
    case 8: ((uint64_t *)dst->data)[dst_row] = ((const uint64_t *)src->data)[src_row]; break;
    case 0: break;
    default: memcpy((char *)dst->data + dst_row * w, (const char *)src->data + src_row * w, w);
    }
}

/* Appends n rows of one vector to a buffer column at row `at`. */
static int append_column(fl_column *dst, size_t at, const ex_vector *v, const uint32_t *sel,
                         size_t n, fl_arena *arena)
{
    const fl_column *src = v->col;
    bool konst = v->kind == EX_VECTOR_CONST;
    bool any_null = false;
    if (src->validity) {
        for (size_t i = 0; i < n && !any_null; i++) {
            size_t r = konst ? 0 : (sel ? sel[i] : i);
            if (!fl_bit_get(src->validity, r)) any_null = true;
        }
    }
    if (any_null && fl_column_ensure_validity(dst) < 0) return FLOE_ENOMEM;
    size_t w = fl_type_width(dst->type);
    if (!konst && sel == NULL && w) {
        /* a run of rows: one copy of the values, validity bit by bit */
        memcpy((char *)dst->data + at * w, src->data, n * w);
        if (dst->validity)
            for (size_t i = 0; i < n; i++) {
                if (fl_column_is_valid(src, i)) fl_bit_set(dst->validity, at + i);
                else fl_bit_clear(dst->validity, at + i);
            }
    } else {
        for (size_t i = 0; i < n; i++) {
            size_t r = konst ? 0 : (sel ? sel[i] : i);
            ex_column_put(dst, at + i, src, r);
        }
    }
    if (fl_type_is_varlen(dst->type)) {
        size_t total = 0;
        fl_strv *d = (fl_strv *)dst->data + at;
        for (size_t i = 0; i < n; i++) {
            if (!fl_column_is_valid(dst, at + i)) d[i] = (fl_strv){0};   /* never read NULL slots */
            total += d[i].len;
        }
        char *bytes = total ? fl_arena_alloc(arena, total) : NULL;
        if (total && bytes == NULL) return FLOE_ENOMEM;
        size_t off = 0;
        for (size_t i = 0; i < n; i++) {
            if (d[i].len) {
                memcpy(bytes + off, d[i].ptr, d[i].len);
                d[i].ptr = bytes + off;
                off += d[i].len;
            }
        }
    }
    return 0;
}

int ex_rowbuf_append(ex_rowbuf *b, const ex_vector *vecs, const uint32_t *sel, size_t n,
                     fl_error *err)
{
    if (n == 0) return 0;
    for (uint32_t c = 0; c < b->col_count; c++) {
        fl_column *dst = b->cols[c];
        if (dst->cap < b->rows + n && fl_column_reserve(dst, b->rows + n) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        if (append_column(dst, b->rows, &vecs[c], sel, n, b->arena) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        dst->len = b->rows + n;
    }
    b->rows += n;
    return 0;
}

int ex_rowbuf_gather(ex_rowbuf *dst, fl_arena *dst_arena, const ex_rowbuf *src,
                     const uint32_t *perm, size_t n, fl_error *err)
{
    FL_TRY(ex_rowbuf_init(dst, dst_arena, src->types, src->col_count, err));
    for (uint32_t c = 0; c < src->col_count; c++) {
        ex_vector v = {.kind = EX_VECTOR_FLAT, .col = src->cols[c]};
        fl_column *d = dst->cols[c];
        if (fl_column_reserve(d, n ? n : 1) < 0 ||
            append_column(d, 0, &v, perm, n, dst_arena) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        d->len = n;
    }
    dst->rows = n;
    return 0;
}

/* ---------------------------------------------------------------- key encoding */

static size_t value_width(fl_type t)
{
    switch ((fl_type_id)t.id) {
    case FL_TYPE_STRING: case FL_TYPE_BINARY: case FL_TYPE_FIXED: case FL_TYPE_UUID:
        return STR_PREFIX;
    case FL_TYPE_DECIMAL:
        return fl_decimal_is_wide(t) ? 16 : 8;
    default:
        return fl_type_width(t);
    }
}

static inline void put_be(uint8_t *p, uint64_t v, size_t w)
{
    for (size_t i = 0; i < w; i++) p[i] = (uint8_t)(v >> (8 * (w - 1 - i)));
}

static void encode_value(uint8_t *p, const fl_column *col, size_t row)
{
    const void *d = col->data;
    switch ((fl_type_id)col->type.id) {
    case FL_TYPE_BOOL: case FL_TYPE_UINT8: p[0] = ((const uint8_t *)d)[row]; break;
    case FL_TYPE_INT8: p[0] = (uint8_t)(((const int8_t *)d)[row]) ^ 0x80u; break;
    case FL_TYPE_INT16: put_be(p, (uint16_t)((const int16_t *)d)[row] ^ 0x8000u, 2); break;
    case FL_TYPE_UINT16: put_be(p, ((const uint16_t *)d)[row], 2); break;
    case FL_TYPE_INT32: case FL_TYPE_DATE:
        put_be(p, (uint32_t)((const int32_t *)d)[row] ^ 0x80000000u, 4);
        break;
    case FL_TYPE_UINT32: put_be(p, ((const uint32_t *)d)[row], 4); break;
    case FL_TYPE_INT64: case FL_TYPE_TIME: case FL_TYPE_TIMESTAMP: case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS: case FL_TYPE_TIMESTAMPTZ_NS:
        put_be(p, (uint64_t)((const int64_t *)d)[row] ^ 0x8000000000000000ull, 8);
        break;
    case FL_TYPE_UINT64: put_be(p, ((const uint64_t *)d)[row], 8); break;
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(col->type)) {
            unsigned __int128 u = (unsigned __int128)((const fl_int128 *)d)[row];
            u ^= (unsigned __int128)1 << 127;
            put_be(p, (uint64_t)(u >> 64), 8);
            put_be(p + 8, (uint64_t)u, 8);
        } else {
            put_be(p, (uint64_t)((const int64_t *)d)[row] ^ 0x8000000000000000ull, 8);
        }
        break;
    case FL_TYPE_FLOAT: {
        float f = ((const float *)d)[row];
        if (f == 0) f = 0;
        uint32_t u;
        if (isnan(f)) u = 0xffffffffu;
        else {
            memcpy(&u, &f, 4);
            u = (u & 0x80000000u) ? ~u : u | 0x80000000u;
        }
        put_be(p, u, 4);
        break;
    }
    case FL_TYPE_DOUBLE: {
        double f = ((const double *)d)[row];
        if (f == 0) f = 0;
        uint64_t u;
        if (isnan(f)) u = ~0ull;
        else {
            memcpy(&u, &f, 8);
            u = (u & 0x8000000000000000ull) ? ~u : u | 0x8000000000000000ull;
        }
        put_be(p, u, 8);
        break;
    }
    case FL_TYPE_STRING: case FL_TYPE_BINARY: case FL_TYPE_FIXED: case FL_TYPE_UUID: {
        fl_strv s = ((const fl_strv *)d)[row];
        size_t k = s.len < STR_PREFIX ? s.len : STR_PREFIX;
        if (k) memcpy(p, s.ptr, k);
        memset(p + k, 0, STR_PREFIX - k);
        break;
    }
    default:
        break;
    }
}

/* Typed comparison of one key's values (both non-NULL). */
static int cmp_values(const fl_column *a, size_t ra, const fl_column *b, size_t rb)
{
    switch ((fl_type_id)a->type.id) {
    case FL_TYPE_STRING: case FL_TYPE_BINARY: case FL_TYPE_FIXED: case FL_TYPE_UUID: {
        fl_strv x = ((const fl_strv *)a->data)[ra], y = ((const fl_strv *)b->data)[rb];
        size_t k = x.len < y.len ? x.len : y.len;
        int c = k ? memcmp(x.ptr, y.ptr, k) : 0;
        if (c) return c < 0 ? -1 : 1;
        return x.len < y.len ? -1 : x.len > y.len;
    }
    default: {
        uint8_t pa[16], pb[16];
        size_t w = value_width(a->type);
        encode_value(pa, a, ra);
        encode_value(pb, b, rb);
        int c = memcmp(pa, pb, w);
        return c < 0 ? -1 : c > 0;
    }
    }
}

typedef struct keyset {
    const fl_column *const *cols;   /* per key */
    const ex_sort_key *keys;
    uint32_t key_count;
    size_t width;                   /* bytes per row */
    size_t exact;                   /* bytes whose memcmp is exact */
    uint32_t first_tie_key;         /* first key compared typed after exact bytes tie */
    bool ties;
} keyset;

static void keyset_layout(keyset *ks)
{
    ks->width = 0;
    ks->exact = 0;
    ks->ties = false;
    ks->first_tie_key = ks->key_count;
    for (uint32_t k = 0; k < ks->key_count; k++) {
        fl_type t = ks->cols[k]->type;
        ks->width += 1 + value_width(t);
        if (!ks->ties) {
            ks->exact = ks->width;
            if (fl_type_is_varlen(t)) {
                ks->ties = true;
                ks->first_tie_key = k;
            }
        }
    }
}

static void encode_rows(uint8_t *out, const keyset *ks, size_t n)
{
    size_t off = 0;
    for (uint32_t k = 0; k < ks->key_count; k++) {
        const fl_column *c = ks->cols[k];
        const ex_sort_key *key = &ks->keys[k];
        size_t w = value_width(c->type);
        uint8_t null_byte = key->nulls_first ? 0 : 2;
        for (size_t r = 0; r < n; r++) {
            uint8_t *p = out + r * ks->width + off;
            if (!fl_column_is_valid(c, r)) {
                p[0] = null_byte;
                memset(p + 1, 0, w);
                continue;
            }
            p[0] = 1;
            encode_value(p + 1, c, r);
            if (key->desc)
                for (size_t i = 1; i <= w; i++) p[i] = (uint8_t)~p[i];
        }
        off += 1 + w;
    }
}

/* Typed comparison of keys from first_tie_key on. */
static int cmp_tail(const keyset *ka, size_t a, const keyset *kb, size_t b)
{
    for (uint32_t k = ka->first_tie_key; k < ka->key_count; k++) {
        const fl_column *ca = ka->cols[k], *cb = kb->cols[k];
        const ex_sort_key *key = &ka->keys[k];
        bool va = fl_column_is_valid(ca, a), vb = fl_column_is_valid(cb, b);
        if (!va || !vb) {
            if (va == vb) continue;
            int c = va ? 1 : -1;   /* NULL first */
            return key->nulls_first ? c : -c;
        }
        int c = cmp_values(ca, a, cb, b);
        if (c) return key->desc ? -c : c;
    }
    return 0;
}

static inline int cmp_rows(const keyset *ka, const uint8_t *keys_a, size_t a, const keyset *kb,
                           const uint8_t *keys_b, size_t b)
{
    int c = memcmp(keys_a + a * ka->width, keys_b + b * kb->width, ka->exact);
    if (c || !ka->ties) return c;
    return cmp_tail(ka, a, kb, b);
}

/* Stable merge sort of perm[0..n) (row numbers) using tmp[n]. */
static void merge_sort(uint32_t *perm, uint32_t *tmp, size_t n, const keyset *ks,
                       const uint8_t *keys)
{
    /* insertion sort runs of 16, then bottom-up merges */
    const size_t RUN = 16;
    for (size_t lo = 0; lo < n; lo += RUN) {
        size_t hi = lo + RUN < n ? lo + RUN : n;
        for (size_t i = lo + 1; i < hi; i++) {
            uint32_t v = perm[i];
            size_t j = i;
            while (j > lo && cmp_rows(ks, keys, perm[j - 1], ks, keys, v) > 0) {
                perm[j] = perm[j - 1];
                j--;
            }
            perm[j] = v;
        }
    }
    uint32_t *src = perm, *dst = tmp;
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, o = lo;
            if (mid < hi && mid > lo && cmp_rows(ks, keys, src[mid - 1], ks, keys, src[mid]) <= 0) {
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof(uint32_t));
                continue;
            }
            while (i < mid && j < hi) {
                if (cmp_rows(ks, keys, src[j], ks, keys, src[i]) < 0) dst[o++] = src[j++];
                else dst[o++] = src[i++];
            }
            while (i < mid) dst[o++] = src[i++];
            while (j < hi) dst[o++] = src[j++];
        }
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != perm) memcpy(perm, src, n * sizeof(uint32_t));
}

static int sort_keyset(uint32_t *perm, uint8_t **keys_out, keyset *ks, size_t n, fl_arena *arena,
                       fl_error *err)
{
    if (n > UINT32_MAX) return fl_error_set(err, FLOE_ELIMIT, "cannot sort more than %u rows", UINT32_MAX);
    keyset_layout(ks);
    uint8_t *keys = NULL;
    uint32_t *tmp = NULL;
    if (arena) keys = fl_arena_alloc(arena, n * ks->width + 1);
    else keys = fl_malloc(n * ks->width + 1);
    tmp = fl_malloc(n * sizeof(uint32_t) + 1);
    if (keys == NULL || tmp == NULL) {
        if (!arena) fl_free(keys);
        fl_free(tmp);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    encode_rows(keys, ks, n);
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    merge_sort(perm, tmp, n, ks, keys);
    fl_free(tmp);
    if (keys_out) *keys_out = keys;
    else if (!arena) fl_free(keys);
    return 0;
}

int ex_sort_columns(uint32_t *perm, fl_column *const *cols, const ex_sort_key *specs,
                    uint32_t key_count, size_t n, fl_error *err)
{
    for (uint32_t k = 0; k < key_count; k++)
        if (fl_type_is_nested(cols[k]->type))
            return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot sort by a %s value",
                                fl_type_name((fl_type_id)cols[k]->type.id));
    keyset ks = {(const fl_column *const *)cols, specs, key_count, 0, 0, 0, false};
    return sort_keyset(perm, NULL, &ks, n, NULL, err);
}

/* The keyset of a run (columns looked up in its buffer). */
static void run_keyset(keyset *ks, const fl_column **cols, const ex_sort_run *run,
                       const ex_sort_key *keys, uint32_t key_count)
{
    for (uint32_t k = 0; k < key_count; k++) cols[k] = run->buf->cols[keys[k].col];
    ks->cols = cols;
    ks->keys = keys;
    ks->key_count = key_count;
    keyset_layout(ks);
}

int ex_sort_run_build(ex_sort_run *run, const ex_rowbuf *buf, const ex_sort_key *keys,
                      uint32_t key_count, fl_arena *arena, fl_error *err)
{
    memset(run, 0, sizeof(*run));
    run->buf = buf;
    run->rows = buf->rows;
    const fl_column **cols = fl_arena_alloc(arena, (key_count + 1) * sizeof(*cols));
    run->perm = fl_arena_alloc(arena, (buf->rows + 1) * sizeof(uint32_t));
    if (cols == NULL || run->perm == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    keyset ks;
    run_keyset(&ks, cols, run, keys, key_count);
    FL_TRY(sort_keyset(run->perm, &run->keys, &ks, buf->rows, arena, err));
    run->key_width = ks.width;
    run->ties = ks.ties;
    return 0;
}

int ex_sort_cmp(const ex_sort_run *ra, size_t a, const ex_sort_run *rb, size_t b,
                const ex_sort_key *keys, uint32_t key_count)
{
    const fl_column *ca[64], *cb[64];
    if (key_count > 64) key_count = 64;
    keyset ka, kb;
    run_keyset(&ka, ca, ra, keys, key_count);
    run_keyset(&kb, cb, rb, keys, key_count);
    int c = cmp_rows(&ka, ra->keys, a, &kb, rb->keys, b);
    return c < 0 ? -1 : c > 0;
}

int ex_sort_merge(ex_sort_ref **out, size_t *out_count, const ex_sort_run *runs,
                  uint32_t run_count, const ex_sort_key *keys, uint32_t key_count,
                  fl_arena *arena, fl_error *err)
{
    size_t total = 0;
    for (uint32_t r = 0; r < run_count; r++) total += runs[r].rows;
    ex_sort_ref *res = fl_arena_alloc(arena, (total + 1) * sizeof(*res));
    keyset *ks = fl_arena_alloc(arena, (run_count + 1) * sizeof(*ks));
    size_t *pos = fl_arena_calloc(arena, (run_count + 1) * sizeof(size_t));
    const fl_column **cols = fl_arena_alloc(arena, ((size_t)run_count * key_count + 1) * sizeof(*cols));
    if (res == NULL || ks == NULL || pos == NULL || cols == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t r = 0; r < run_count; r++)
        run_keyset(&ks[r], cols + (size_t)r * key_count, &runs[r], keys, key_count);
    size_t o = 0;
    for (;;) {
        int best = -1;
        for (uint32_t r = 0; r < run_count; r++) {
            if (pos[r] >= runs[r].rows) continue;
            if (best < 0) {
                best = (int)r;
                continue;
            }
            const ex_sort_run *rb = &runs[best], *rr = &runs[r];
            if (cmp_rows(&ks[r], rr->keys, rr->perm[pos[r]], &ks[best], rb->keys,
                         rb->perm[pos[best]]) < 0)
                best = (int)r;
        }
        if (best < 0) break;
        res[o].run = (uint32_t)best;
        res[o].row = runs[best].perm[pos[best]++];
        o++;
    }
    *out = res;
    *out_count = o;
    return 0;
}
