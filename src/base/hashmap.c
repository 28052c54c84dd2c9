/*
 * hashmap.c: the open-addressing hash map and fl_hash_bytes (see hashmap.h).
 *
 * The slot index is the hash's low bits, the control tag its top 7 bits, so
 * the two are independent. Both key kinds share the table logic through
 * small inline helpers; the hot loops (find, upsert) are written out per
 * kind so the compiler can keep them tight. Byte-key slots store the full
 * 64-bit hash: growing never rehashes keys, and most non-matching keys are
 * rejected without a memcmp.
 *
 * fl_hash_bytes follows the construction of wyhash (final version 4 by Wang
 * Yi, public domain / The Unlicense): 128-bit multiply-and-fold mixing,
 * 16 bytes per step, three lanes for long inputs.
 */
#include "hashmap.h"

#include <string.h>

#include "alloc.h"

#define MIN_CAP 16
#define KEYBLOCK_SIZE (64 * 1024)

typedef struct {
    uint64_t key;
    uint64_t value;
} slot_u64;

typedef struct {
    uint64_t hash;
    const uint8_t *key;
    uint64_t len;
    uint64_t value;
} slot_bytes;

struct fl_hashmap_keyblock {
    fl_hashmap_keyblock *next;
    size_t used, cap;
    uint8_t data[];
};

/* ---- fl_hash_bytes ---- */

static const uint64_t P0 = 0xa0761d6478bd642full, P1 = 0xe7037ed1a0b428dbull,
                      P2 = 0x8ebc6af09c88c6e3ull, P3 = 0x589965cc75374cc3ull;

static inline uint64_t rd8(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline uint64_t rd4(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline uint64_t rd3(const uint8_t *p, size_t k)
{
    return ((uint64_t)p[0] << 16) | ((uint64_t)p[k >> 1] << 8) | p[k - 1];
}

static inline void mum128(uint64_t *a, uint64_t *b)
{
    __uint128_t r = (__uint128_t)*a * *b;
    *a = (uint64_t)r;
    *b = (uint64_t)(r >> 64);
}

uint64_t fl_hash_bytes(const void *key, size_t len, uint64_t seed)
{
    const uint8_t *p = key;
    seed ^= fl_hash_mum(seed ^ P0, P1);
    uint64_t a, b;
    if (FL_LIKELY(len <= 16)) {
        if (FL_LIKELY(len >= 4)) {
            a = (rd4(p) << 32) | rd4(p + ((len >> 3) << 2));
            b = (rd4(p + len - 4) << 32) | rd4(p + len - 4 - ((len >> 3) << 2));
        } else if (len > 0) {
            a = rd3(p, len);
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = len;
        if (FL_UNLIKELY(i > 48)) {
            uint64_t see1 = seed, see2 = seed;
            do {
                seed = fl_hash_mum(rd8(p) ^ P1, rd8(p + 8) ^ seed);
                see1 = fl_hash_mum(rd8(p + 16) ^ P2, rd8(p + 24) ^ see1);
                see2 = fl_hash_mum(rd8(p + 32) ^ P3, rd8(p + 40) ^ see2);
                p += 48;
                i -= 48;
            } while (FL_LIKELY(i > 48));
            seed ^= see1 ^ see2;
        }
        while (FL_UNLIKELY(i > 16)) {
            seed = fl_hash_mum(rd8(p) ^ P1, rd8(p + 8) ^ seed);
            i -= 16;
            p += 16;
        }
        a = rd8(p + i - 16);
        b = rd8(p + i - 8);
    }
    a ^= P1;
    b ^= seed;
    mum128(&a, &b);
    return fl_hash_mum(a ^ P0 ^ len, b ^ P1);
}

/* ---- table helpers ---- */

static inline uint8_t tag_of(uint64_t h) { return (uint8_t)(0x80 | (h >> 57)); }

static inline size_t slot_size(fl_hashmap_kind kind)
{
    return kind == FL_HASHMAP_U64 ? sizeof(slot_u64) : sizeof(slot_bytes);
}

static size_t cap_for(size_t expected)
{
    size_t cap = MIN_CAP;
    while (cap * 7 / 10 < expected + 1) {
        if (cap > SIZE_MAX / 4) return 0;
        cap *= 2;
    }
    return cap;
}

static int alloc_table(fl_hashmap *m, size_t cap)
{
    size_t ssz = slot_size(m->kind);
    if (cap > SIZE_MAX / (ssz + 1)) return FLOE_ENOMEM;
    uint8_t *ctrl = fl_calloc(cap, 1);
    void *slots = fl_malloc(cap * ssz);
    if (!ctrl || !slots) {
        fl_free(ctrl);
        fl_free(slots);
        return FLOE_ENOMEM;
    }
    m->ctrl = ctrl;
    m->slots = slots;
    m->cap = cap;
    m->grow_at = cap * 7 / 10;
    return 0;
}

int fl_hashmap_init(fl_hashmap *m, fl_hashmap_kind kind, size_t expected)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    if (expected == 0) return 0;
    size_t cap = cap_for(expected);
    return cap ? alloc_table(m, cap) : FLOE_ENOMEM;
}

static void free_keys(fl_hashmap *m)
{
    fl_hashmap_keyblock *b = m->keys;
    while (b) {
        fl_hashmap_keyblock *next = b->next;
        fl_free(b);
        b = next;
    }
    m->keys = NULL;
}

void fl_hashmap_dispose(fl_hashmap *m)
{
    fl_free(m->ctrl);
    fl_free(m->slots);
    free_keys(m);
    fl_hashmap_kind kind = m->kind;
    memset(m, 0, sizeof *m);
    m->kind = kind;
}

void fl_hashmap_reset(fl_hashmap *m)
{
    if (m->ctrl) memset(m->ctrl, 0, m->cap);
    m->len = 0;
    free_keys(m);
}

/* Moves every entry into a table of new_cap slots. */
static int rehash(fl_hashmap *m, size_t new_cap)
{
    fl_hashmap old = *m;
    int rc = alloc_table(m, new_cap);
    if (rc < 0) {
        *m = old;
        return rc;
    }
    size_t mask = new_cap - 1;
    if (m->kind == FL_HASHMAP_U64) {
        slot_u64 *src = old.slots, *dst = m->slots;
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.ctrl[i]) continue;
            uint64_t h = fl_hash_u64(src[i].key);
            size_t j = h & mask;
            while (m->ctrl[j]) j = (j + 1) & mask;
            m->ctrl[j] = old.ctrl[i];
            dst[j] = src[i];
        }
    } else {
        slot_bytes *src = old.slots, *dst = m->slots;
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.ctrl[i]) continue;
            size_t j = src[i].hash & mask;
            while (m->ctrl[j]) j = (j + 1) & mask;
            m->ctrl[j] = old.ctrl[i];
            dst[j] = src[i];
        }
    }
    fl_free(old.ctrl);
    fl_free(old.slots);
    return 0;
}

int fl_hashmap_reserve(fl_hashmap *m, size_t expected)
{
    if (expected < m->grow_at) return 0;
    size_t cap = cap_for(expected);
    if (!cap) return FLOE_ENOMEM;
    return m->cap ? rehash(m, cap) : alloc_table(m, cap);
}

static inline int ensure_room(fl_hashmap *m)
{
    if (FL_LIKELY(m->len < m->grow_at)) return 0;
    if (m->cap == 0) return alloc_table(m, MIN_CAP);
    if (m->cap > SIZE_MAX / 4) return FLOE_ENOMEM;
    return rehash(m, m->cap * 2);
}

/* Backward-shift deletion of slot i (linear probing, no tombstones). */
static void erase_at(fl_hashmap *m, size_t i)
{
    size_t mask = m->cap - 1, ssz = slot_size(m->kind);
    char *slots = m->slots;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->ctrl[j]) break;
        uint64_t h = m->kind == FL_HASHMAP_U64 ? fl_hash_u64(((slot_u64 *)m->slots)[j].key)
                                               : ((slot_bytes *)m->slots)[j].hash;
        size_t home = h & mask;
        /* j stays if its home lies cyclically in (i, j] */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays) continue;
        m->ctrl[i] = m->ctrl[j];
        memcpy(slots + i * ssz, slots + j * ssz, ssz);
        i = j;
    }
    m->ctrl[i] = 0;
    m->len--;
}

/* ---- uint64 keys ---- */

static inline size_t find_u64(const fl_hashmap *m, uint64_t key, uint64_t h, bool *found)
{
    size_t mask = m->cap - 1, i = h & mask;
    uint8_t tag = tag_of(h);
    const slot_u64 *s = m->slots;
    for (;;) {
        uint8_t c = m->ctrl[i];
        if (c == 0) {
            *found = false;
            return i;
        }
        if (c == tag && s[i].key == key) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

int fl_hashmap_u64_upsert(fl_hashmap *m, uint64_t key, uint64_t **value)
{
    FL_ASSERT(m->kind == FL_HASHMAP_U64);
    int rc = ensure_room(m);
    if (rc < 0) return rc;
    uint64_t h = fl_hash_u64(key);
    bool found;
    size_t i = find_u64(m, key, h, &found);
    slot_u64 *s = (slot_u64 *)m->slots + i;
    if (!found) {
        m->ctrl[i] = tag_of(h);
        s->key = key;
        s->value = 0;
        m->len++;
    }
    *value = &s->value;
    return found ? 0 : 1;
}

uint64_t *fl_hashmap_u64_find(const fl_hashmap *m, uint64_t key)
{
    FL_ASSERT(m->kind == FL_HASHMAP_U64);
    if (m->len == 0) return NULL;
    bool found;
    size_t i = find_u64(m, key, fl_hash_u64(key), &found);
    return found ? &((slot_u64 *)m->slots)[i].value : NULL;
}

int fl_hashmap_u64_put(fl_hashmap *m, uint64_t key, uint64_t value)
{
    uint64_t *v;
    int rc = fl_hashmap_u64_upsert(m, key, &v);
    if (rc >= 0) *v = value;
    return rc;
}

bool fl_hashmap_u64_get(const fl_hashmap *m, uint64_t key, uint64_t *value)
{
    uint64_t *v = fl_hashmap_u64_find(m, key);
    if (v && value) *value = *v;
    return v != NULL;
}

bool fl_hashmap_u64_remove(fl_hashmap *m, uint64_t key)
{
    FL_ASSERT(m->kind == FL_HASHMAP_U64);
    if (m->len == 0) return false;
    bool found;
    size_t i = find_u64(m, key, fl_hash_u64(key), &found);
    if (found) erase_at(m, i);
    return found;
}

/* ---- byte-string keys ---- */

static inline size_t find_bytes(const fl_hashmap *m, uint64_t h, const void *key, size_t len,
                                bool *found)
{
    size_t mask = m->cap - 1, i = h & mask;
    uint8_t tag = tag_of(h);
    const slot_bytes *s = m->slots;
    for (;;) {
        uint8_t c = m->ctrl[i];
        if (c == 0) {
            *found = false;
            return i;
        }
        if (c == tag && s[i].hash == h && s[i].len == len &&
            (len == 0 || memcmp(s[i].key, key, len) == 0)) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static const uint8_t *copy_key(fl_hashmap *m, const void *key, size_t len)
{
    fl_hashmap_keyblock *b = m->keys;
    if (!b || b->cap - b->used < len) {
        size_t cap = len > KEYBLOCK_SIZE / 4 ? len : KEYBLOCK_SIZE;
        if (cap > SIZE_MAX - sizeof *b) return NULL;
        fl_hashmap_keyblock *nb = fl_malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (b && len > KEYBLOCK_SIZE / 4) {   /* big key: keep filling the current block */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            m->keys = nb;
        }
        b = nb;
    }
    uint8_t *p = b->data + b->used;
    if (len) memcpy(p, key, len);
    b->used += len;
    return p;
}

int fl_hashmap_bytes_upsert_hashed(fl_hashmap *m, uint64_t h, const void *key, size_t len,
                                   uint64_t **value)
{
    FL_ASSERT(m->kind == FL_HASHMAP_BYTES || m->kind == FL_HASHMAP_BYTES_BORROWED);
    int rc = ensure_room(m);
    if (rc < 0) return rc;
    bool found;
    size_t i = find_bytes(m, h, key, len, &found);
    slot_bytes *s = (slot_bytes *)m->slots + i;
    if (!found) {
        const uint8_t *stored = key;
        if (m->kind == FL_HASHMAP_BYTES && !(stored = copy_key(m, key, len))) return FLOE_ENOMEM;
        m->ctrl[i] = tag_of(h);
        s->hash = h;
        s->key = stored;
        s->len = len;
        s->value = 0;
        m->len++;
    }
    *value = &s->value;
    return found ? 0 : 1;
}

int fl_hashmap_bytes_upsert(fl_hashmap *m, const void *key, size_t len, uint64_t **value)
{
    return fl_hashmap_bytes_upsert_hashed(m, fl_hash_bytes(key, len, 0), key, len, value);
}

uint64_t *fl_hashmap_bytes_find_hashed(const fl_hashmap *m, uint64_t h, const void *key,
                                       size_t len)
{
    FL_ASSERT(m->kind == FL_HASHMAP_BYTES || m->kind == FL_HASHMAP_BYTES_BORROWED);
    if (m->len == 0) return NULL;
    bool found;
    size_t i = find_bytes(m, h, key, len, &found);
    return found ? &((slot_bytes *)m->slots)[i].value : NULL;
}

uint64_t *fl_hashmap_bytes_find(const fl_hashmap *m, const void *key, size_t len)
{
    if (m->len == 0) return NULL;
    return fl_hashmap_bytes_find_hashed(m, fl_hash_bytes(key, len, 0), key, len);
}

int fl_hashmap_bytes_put(fl_hashmap *m, const void *key, size_t len, uint64_t value)
{
    uint64_t *v;
    int rc = fl_hashmap_bytes_upsert(m, key, len, &v);
    if (rc >= 0) *v = value;
    return rc;
}

bool fl_hashmap_bytes_get(const fl_hashmap *m, const void *key, size_t len, uint64_t *value)
{
    uint64_t *v = fl_hashmap_bytes_find(m, key, len);
    if (v && value) *value = *v;
    return v != NULL;
}

bool fl_hashmap_bytes_remove(fl_hashmap *m, const void *key, size_t len)
{
    FL_ASSERT(m->kind == FL_HASHMAP_BYTES || m->kind == FL_HASHMAP_BYTES_BORROWED);
    if (m->len == 0) return false;
    bool found;
    size_t i = find_bytes(m, fl_hash_bytes(key, len, 0), key, len, &found);
    if (found) erase_at(m, i);   /* a copied key's bytes stay until reset/dispose */
    return found;
}

/* ---- batches ---- */

#define BATCH 32

static inline void prefetch_slot(const fl_hashmap *m, uint64_t h, size_t ssz)
{
    size_t i = h & (m->cap - 1);
    __builtin_prefetch(m->ctrl + i);
    __builtin_prefetch((const char *)m->slots + i * ssz);
}

void fl_hashmap_u64_find_batch(const fl_hashmap *m, const uint64_t *keys, size_t n,
                               uint64_t **values)
{
    FL_ASSERT(m->kind == FL_HASHMAP_U64);
    if (m->len == 0) {
        for (size_t i = 0; i < n; i++) values[i] = NULL;
        return;
    }
    uint64_t hashes[BATCH];
    slot_u64 *slots = m->slots;
    for (size_t base = 0; base < n; base += BATCH) {
        size_t cnt = n - base < BATCH ? n - base : BATCH;
        for (size_t i = 0; i < cnt; i++) {
            hashes[i] = fl_hash_u64(keys[base + i]);
            prefetch_slot(m, hashes[i], sizeof(slot_u64));
        }
        for (size_t i = 0; i < cnt; i++) {
            bool found;
            size_t at = find_u64(m, keys[base + i], hashes[i], &found);
            values[base + i] = found ? &slots[at].value : NULL;
        }
    }
}

long fl_hashmap_u64_upsert_batch(fl_hashmap *m, const uint64_t *keys, size_t n, uint64_t **values)
{
    FL_ASSERT(m->kind == FL_HASHMAP_U64);
    if (n > SIZE_MAX / 2 || fl_hashmap_reserve(m, m->len + n) < 0) return FLOE_ENOMEM;
    uint64_t hashes[BATCH];
    slot_u64 *slots = m->slots;
    long added = 0;
    for (size_t base = 0; base < n; base += BATCH) {
        size_t cnt = n - base < BATCH ? n - base : BATCH;
        for (size_t i = 0; i < cnt; i++) {
            hashes[i] = fl_hash_u64(keys[base + i]);
            prefetch_slot(m, hashes[i], sizeof(slot_u64));
        }
        for (size_t i = 0; i < cnt; i++) {
            bool found;
            uint64_t key = keys[base + i];
            size_t at = find_u64(m, key, hashes[i], &found);
            if (!found) {
                m->ctrl[at] = tag_of(hashes[i]);
                slots[at].key = key;
                slots[at].value = 0;
                m->len++;
                added++;
            }
            values[base + i] = &slots[at].value;
        }
    }
    return added;
}

void fl_hashmap_bytes_find_batch(const fl_hashmap *m, const uint64_t *hashes, const fl_strv *keys,
                                 size_t n, uint64_t **values)
{
    FL_ASSERT(m->kind == FL_HASHMAP_BYTES || m->kind == FL_HASHMAP_BYTES_BORROWED);
    if (m->len == 0) {
        for (size_t i = 0; i < n; i++) values[i] = NULL;
        return;
    }
    slot_bytes *slots = m->slots;
    for (size_t base = 0; base < n; base += BATCH) {
        size_t cnt = n - base < BATCH ? n - base : BATCH;
        for (size_t i = 0; i < cnt; i++) prefetch_slot(m, hashes[base + i], sizeof(slot_bytes));
        for (size_t i = 0; i < cnt; i++) {
            bool found;
            const fl_strv *k = &keys[base + i];
            size_t at = find_bytes(m, hashes[base + i], k->ptr, k->len, &found);
            values[base + i] = found ? &slots[at].value : NULL;
        }
    }
}

long fl_hashmap_bytes_upsert_batch(fl_hashmap *m, const uint64_t *hashes, const fl_strv *keys,
                                   size_t n, uint64_t **values)
{
    FL_ASSERT(m->kind == FL_HASHMAP_BYTES || m->kind == FL_HASHMAP_BYTES_BORROWED);
    if (n > SIZE_MAX / 2 || fl_hashmap_reserve(m, m->len + n) < 0) return FLOE_ENOMEM;
    slot_bytes *slots = m->slots;
    long added = 0;
    for (size_t base = 0; base < n; base += BATCH) {
        size_t cnt = n - base < BATCH ? n - base : BATCH;
        for (size_t i = 0; i < cnt; i++) prefetch_slot(m, hashes[base + i], sizeof(slot_bytes));
        for (size_t i = 0; i < cnt; i++) {
            bool found;
            uint64_t h = hashes[base + i];
            const fl_strv *k = &keys[base + i];
            size_t at = find_bytes(m, h, k->ptr, k->len, &found);
            if (!found) {
                const uint8_t *stored = (const uint8_t *)k->ptr;
                if (m->kind == FL_HASHMAP_BYTES && !(stored = copy_key(m, k->ptr, k->len)))
                    return FLOE_ENOMEM;
                m->ctrl[at] = tag_of(h);
                slots[at].hash = h;
                slots[at].key = stored;
                slots[at].len = k->len;
                slots[at].value = 0;
                m->len++;
                added++;
            }
            values[base + i] = &slots[at].value;
        }
    }
    return added;
}

/* ---- iteration ---- */

bool fl_hashmap_next(const fl_hashmap *m, size_t *pos, fl_hashmap_entry *e)
{
    for (size_t i = *pos; i < m->cap; i++) {
        if (!m->ctrl[i]) continue;
        if (m->kind == FL_HASHMAP_U64) {
            slot_u64 *s = (slot_u64 *)m->slots + i;
            e->key_u64 = s->key;
            e->key = NULL;
            e->key_len = 0;
            e->value = &s->value;
        } else {
            slot_bytes *s = (slot_bytes *)m->slots + i;
            e->key_u64 = 0;
            e->key = s->key;
            e->key_len = (size_t)s->len;
            e->value = &s->value;
        }
        *pos = i + 1;
        return true;
    }
    *pos = m->cap;
    return false;
}
