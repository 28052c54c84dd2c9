/*
 * pq_dict.c: the dictionary builder of the Parquet writer.
 *
 * A column chunk's non-NULL values are mapped to dense entry indexes with an
 * open-addressing hash table (linear probing, load factor <= 1/2). Each slot
 * packs the 32-bit hash with the entry index, so most probes that miss are
 * decided without touching the entries; 4-byte values are packed into the
 * slot themselves, so their probes never touch the entries at all. Fixed-width values of 4 and 8 bytes
 * (INT32, INT64, FLOAT, DOUBLE: most columns) have their own inner loops
 * with a multiplicative hash; other widths and byte arrays hash their bytes.
 * The entries are kept PLAIN-encoded, which is exactly the dictionary page's
 * body. Building stops as soon as that body would exceed the caller's limit:
 * the chunk then falls back to PLAIN (decided per chunk, up front).
 * Memory is reused from chunk to chunk; nothing is allocated per value.
 */
#include "pq_writer_int.h"

#include "../../base/alloc.h"

#define EMPTY 0

void pqw_dict_init(pqw_dict *d)
{
    memset(d, 0, sizeof *d);
    fl_buf_init(&d->values);
}

void pqw_dict_dispose(pqw_dict *d)
{
    fl_free(d->slots);
    fl_free(d->offsets);
    fl_buf_dispose(&d->values);
    memset(d, 0, sizeof *d);
}

void pqw_dict_reset(pqw_dict *d, int width)
{
    d->width = width;
    d->count = 0;
    fl_buf_reset(&d->values);
    if (d->slots) memset(d->slots, 0, d->cap * sizeof *d->slots);
}

static inline uint32_t hash64(uint64_t x)
{
    x ^= x >> 32;
    x *= UINT64_C(0x9E3779B97F4A7C15);
    x ^= x >> 29;
    return (uint32_t)(x >> 32);
}

static inline uint32_t hash_bytes(const uint8_t *p, size_t len)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325) ^ (len * UINT64_C(0x100000001B3));
    while (len >= 8) {
        h = (h ^ fl_load_u64le(p)) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    if (len) {
        uint64_t tail = 0;
        memcpy(&tail, p, len);
        h = (h ^ tail) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 31;
    }
    return hash64(h);
}

static inline uint64_t slot_make(uint32_t hash, size_t entry)
{
    return (uint64_t)hash << 32 | (uint64_t)(entry + 1);
}

/* Doubles the table (or creates it) and re-inserts the entries by their
 * stored hashes. */
static int grow(pqw_dict *d)
{
    size_t cap = d->cap ? d->cap * 2 : 1024;
    uint64_t *slots = fl_calloc(cap, sizeof *slots);
    if (!slots) return FLOE_ENOMEM;
    size_t mask = cap - 1;
    for (size_t i = 0; i < d->cap; i++) {
        uint64_t s = d->slots[i];
        if (s == EMPTY) continue;
        /* 4-byte values sit in the slot itself: rehash them */
        uint32_t h = d->width == 4 ? hash64(s >> 32) : (uint32_t)(s >> 32);
        size_t pos = h & mask;
        while (slots[pos] != EMPTY) pos = (pos + 1) & mask;
        slots[pos] = s;
    }
    fl_free(d->slots);
    d->slots = slots;
    d->cap = cap;
    return 0;
}

static inline int ensure_room(pqw_dict *d)
{
    if ((d->count + 1) * 2 > d->cap) return grow(d);
    return 0;
}

/* Probes the table for hash h. True with *at = the entry index when
 * eq(d, entry, v, len) finds v; false with *at = the empty slot where v
 * goes. */
typedef bool (*entry_eq)(const pqw_dict *d, size_t e, const uint8_t *v, size_t len);

static inline bool probe(const pqw_dict *d, uint32_t h, entry_eq eq, const uint8_t *v, size_t len,
                         size_t *at)
{
    size_t mask = d->cap - 1, pos = h & mask;
    for (;;) {
        uint64_t s = d->slots[pos];
        if (s == EMPTY) {
            *at = pos;
            return false;
        }
        if ((uint32_t)(s >> 32) == h) {
            size_t e = (size_t)(uint32_t)s - 1;
            if (eq(d, e, v, len)) {
                *at = e;
                return true;
            }
        }
        pos = (pos + 1) & mask;
    }
}

static inline bool eq_u64(const pqw_dict *d, size_t e, const uint8_t *v, size_t len)
{
    (void)len;
    return fl_load_u64le((const uint8_t *)d->values.data + e * 8) == fl_load_u64le(v);
}

static inline bool eq_fixed(const pqw_dict *d, size_t e, const uint8_t *v, size_t len)
{
    return memcmp((const uint8_t *)d->values.data + e * len, v, len) == 0;
}

static inline bool eq_bytes(const pqw_dict *d, size_t e, const uint8_t *v, size_t len)
{
    const uint8_t *ev = (const uint8_t *)d->values.data + d->offsets[e];
    return fl_load_u32le(ev) == len && memcmp(ev + 4, v, len) == 0;
}

/* 4-byte values: the slot holds the value itself (value << 32 | entry + 1),
 * so a probe never touches the entries. */
static int add_u32(pqw_dict *d, const uint8_t *vals, size_t n, uint32_t *idx, size_t limit)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t v = fl_load_u32le(vals + i * 4);
        size_t mask = d->cap - 1, pos = hash64(v) & mask;
        for (;;) {
            uint64_t s = d->slots[pos];
            if (s == EMPTY) break;
            if ((uint32_t)(s >> 32) == v) {
                idx[i] = (uint32_t)s - 1;
                goto next;
            }
            pos = (pos + 1) & mask;
        }
        if ((d->count + 1) * 4 > limit) return 0;
        if (fl_buf_append_u32le(&d->values, v) < 0) return FLOE_ENOMEM;
        d->slots[pos] = (uint64_t)v << 32 | (uint64_t)(d->count + 1);
        idx[i] = (uint32_t)d->count++;
        if (ensure_room(d) < 0) return FLOE_ENOMEM;
    next:;
    }
    return 1;
}

static int add_u64(pqw_dict *d, const uint8_t *vals, size_t n, uint32_t *idx, size_t limit)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v = fl_load_u64le(vals + i * 8);
        uint32_t h = hash64(v);
        size_t pos;
        if (probe(d, h, eq_u64, vals + i * 8, 8, &pos)) {
            idx[i] = (uint32_t)pos;
            continue;
        }
        if ((d->count + 1) * 8 > limit) return 0;
        if (fl_buf_append_u64le(&d->values, v) < 0) return FLOE_ENOMEM;
        d->slots[pos] = slot_make(h, d->count);
        idx[i] = (uint32_t)d->count++;
        if (ensure_room(d) < 0) return FLOE_ENOMEM;
    }
    return 1;
}

static int add_fixed(pqw_dict *d, const uint8_t *vals, size_t n, uint32_t *idx, size_t limit)
{
    size_t w = (size_t)d->width;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *v = vals + i * w;
        uint32_t h = hash_bytes(v, w);
        size_t pos;
        if (probe(d, h, eq_fixed, v, w, &pos)) {
            idx[i] = (uint32_t)pos;
            continue;
        }
        if ((d->count + 1) * w > limit) return 0;
        if (fl_buf_append(&d->values, v, w) < 0) return FLOE_ENOMEM;
        d->slots[pos] = slot_make(h, d->count);
        idx[i] = (uint32_t)d->count++;
        if (ensure_room(d) < 0) return FLOE_ENOMEM;
    }
    return 1;
}

static int add_bytes(pqw_dict *d, const uint8_t *vals, size_t vals_len, size_t n, uint32_t *idx,
                     size_t limit, size_t *consumed)
{
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        FL_ASSERT(off + 4 <= vals_len);
        uint32_t len = fl_load_u32le(vals + off);
        const uint8_t *v = vals + off + 4;
        FL_ASSERT(off + 4 + len <= vals_len);
        off += 4 + (size_t)len;
        uint32_t h = hash_bytes(v, len);
        size_t pos;
        if (probe(d, h, eq_bytes, v, len, &pos)) {
            idx[i] = (uint32_t)pos;
            continue;
        }
        if (d->values.len + 4 + (size_t)len > limit) return 0;
        if (d->count == d->offsets_cap) {
            size_t cap = d->offsets_cap ? d->offsets_cap * 2 : 1024;
            uint64_t *p = fl_realloc(d->offsets, cap * sizeof *p);
            if (!p) return FLOE_ENOMEM;
            d->offsets = p;
            d->offsets_cap = cap;
        }
        d->offsets[d->count] = d->values.len;
        if (fl_buf_append(&d->values, v - 4, 4 + (size_t)len) < 0) return FLOE_ENOMEM;
        d->slots[pos] = slot_make(h, d->count);
        idx[i] = (uint32_t)d->count++;
        if (ensure_room(d) < 0) return FLOE_ENOMEM;
    }
    *consumed = off;
    return 1;
}

int pqw_dict_add(pqw_dict *d, const uint8_t *vals, size_t vals_len, size_t n, uint32_t *idx,
                 size_t limit, size_t *consumed)
{
    /* entry indexes are 32-bit, and the slot packs entry + 1 in 32 bits */
    if (limit > UINT32_MAX / 2) limit = UINT32_MAX / 2;
    if (ensure_room(d) < 0) return FLOE_ENOMEM;
    *consumed = n * (size_t)d->width;
    switch (d->width) {
    case 0: return add_bytes(d, vals, vals_len, n, idx, limit, consumed);
    case 4: return add_u32(d, vals, n, idx, limit);
    case 8: return add_u64(d, vals, n, idx, limit);
    default: return add_fixed(d, vals, n, idx, limit);
    }
}
