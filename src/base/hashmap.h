/*
 * hashmap.h: open-addressing hash map with uint64 or byte-string keys and
 * uint64 values (or pointers stored in them), plus the hash functions the
 * engine uses for joins, aggregates and dictionaries.
 *
 * Layout: a control byte per slot (0 = empty, else 0x80 | 7 bits of the
 * hash) in its own array, then the slots. Probing is linear and first
 * compares control bytes, so a miss rarely touches a slot; the table
 * doubles when it would pass load 0.7; removal shifts entries back (no
 * tombstones), so lookups stay fast after deletes.
 *
 * Byte-string keys are copied into storage owned by the map (kind
 * FL_HASHMAP_BYTES) or borrowed (FL_HASHMAP_BYTES_BORROWED: the caller keeps
 * every inserted key alive and unchanged for the map's life). Either way the
 * key pointer seen by iteration is stable until reset/dispose.
 *
 * Value pointers returned by upsert/find are valid until the next insert
 * (which may grow the table) or remove. Iteration order is unspecified.
 * Not thread-safe: one writer, or several readers with no writer.
 *
 *     fl_hashmap m;
 *     fl_hashmap_init(&m, FL_HASHMAP_BYTES, 0);
 *     uint64_t *count;
 *     int rc = fl_hashmap_bytes_upsert(&m, "web", 3, &count);  // 1 new, 0 found
 *     if (rc < 0) ...;
 *     (*count)++;
 *     fl_hashmap_dispose(&m);
 */
#ifndef FL_HASHMAP_H
#define FL_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* ---- hashing ---- */

static inline uint64_t fl_hash_mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* A well-mixed 64-bit hash of a 64-bit value: MurmurHash3's fmix64, a
 * bijection in which every output bit depends on every input bit. */
static inline uint64_t fl_hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

/* 64-bit hash of a byte string (wyhash construction); seed 0 for maps. */
uint64_t fl_hash_bytes(const void *p, size_t len, uint64_t seed);

/* Combines two hashes (multi-column keys): order matters. */
static inline uint64_t fl_hash_combine(uint64_t h, uint64_t next)
{
    return fl_hash_mum(h ^ 0xa0761d6478bd642full, next ^ 0xe7037ed1a0b428dbull);
}

/* ---- the map ---- */

typedef enum {
    FL_HASHMAP_U64 = 1,
    FL_HASHMAP_BYTES = 2,
    FL_HASHMAP_BYTES_BORROWED = 3
} fl_hashmap_kind;

typedef struct fl_hashmap_keyblock fl_hashmap_keyblock;

typedef struct fl_hashmap {
    uint8_t *ctrl;
    void *slots;
    size_t cap;         /* slots, a power of two (0 before the first insert) */
    size_t len;         /* entries */
    size_t grow_at;     /* len that triggers doubling: 0.7 * cap */
    fl_hashmap_kind kind;
    fl_hashmap_keyblock *keys;   /* FL_HASHMAP_BYTES: copied keys */
} fl_hashmap;

typedef struct fl_hashmap_entry {
    uint64_t key_u64;   /* FL_HASHMAP_U64 */
    const void *key;    /* byte kinds */
    size_t key_len;
    uint64_t *value;
} fl_hashmap_entry;

/* expected: entries to size for up front (0 is fine). 0 or FLOE_ENOMEM. */
int fl_hashmap_init(fl_hashmap *m, fl_hashmap_kind kind, size_t expected);
void fl_hashmap_dispose(fl_hashmap *m);
/* Removes every entry; keeps the table's capacity. */
void fl_hashmap_reset(fl_hashmap *m);
static inline size_t fl_hashmap_len(const fl_hashmap *m) { return m->len; }
/* Room for `expected` entries in total without growing. 0 or FLOE_ENOMEM. */
int fl_hashmap_reserve(fl_hashmap *m, size_t expected);

/* uint64 keys. upsert: 1 if inserted (value set to 0), 0 if found, or
 * FLOE_ENOMEM; *value points at the entry's value either way. */
int fl_hashmap_u64_upsert(fl_hashmap *m, uint64_t key, uint64_t **value);
uint64_t *fl_hashmap_u64_find(const fl_hashmap *m, uint64_t key);
int fl_hashmap_u64_put(fl_hashmap *m, uint64_t key, uint64_t value);   /* 1 new, 0 replaced */
bool fl_hashmap_u64_get(const fl_hashmap *m, uint64_t key, uint64_t *value);
bool fl_hashmap_u64_remove(fl_hashmap *m, uint64_t key);

/* Byte-string keys, same contracts. The _hashed forms take
 * hash == fl_hash_bytes(key, len, 0) computed by the caller (vectorized). */
int fl_hashmap_bytes_upsert(fl_hashmap *m, const void *key, size_t len, uint64_t **value);
int fl_hashmap_bytes_upsert_hashed(fl_hashmap *m, uint64_t hash, const void *key, size_t len,
                                   uint64_t **value);
uint64_t *fl_hashmap_bytes_find(const fl_hashmap *m, const void *key, size_t len);
uint64_t *fl_hashmap_bytes_find_hashed(const fl_hashmap *m, uint64_t hash, const void *key,
                                       size_t len);
int fl_hashmap_bytes_put(fl_hashmap *m, const void *key, size_t len, uint64_t value);
bool fl_hashmap_bytes_get(const fl_hashmap *m, const void *key, size_t len, uint64_t *value);
bool fl_hashmap_bytes_remove(fl_hashmap *m, const void *key, size_t len);

/* Batches (vectorized callers): hash all keys, prefetch their slots, then
 * probe, which hides cache misses on big tables. values[i] receives the
 * value pointer (find: NULL when absent). Upsert batches reserve room for n
 * more entries first, so every pointer stays valid until the next call that
 * modifies the map; they return the number of new keys (new values are 0)
 * or FLOE_ENOMEM (u64: nothing was inserted; bytes: keys before the one
 * whose copy failed may have been). Keys may repeat in a batch.
 * Byte keys: hashes[i] == fl_hash_bytes(keys[i].ptr, keys[i].len, 0). */
void fl_hashmap_u64_find_batch(const fl_hashmap *m, const uint64_t *keys, size_t n,
                               uint64_t **values);
long fl_hashmap_u64_upsert_batch(fl_hashmap *m, const uint64_t *keys, size_t n, uint64_t **values);
void fl_hashmap_bytes_find_batch(const fl_hashmap *m, const uint64_t *hashes, const fl_strv *keys,
                                 size_t n, uint64_t **values);
long fl_hashmap_bytes_upsert_batch(fl_hashmap *m, const uint64_t *hashes, const fl_strv *keys,
                                   size_t n, uint64_t **values);

/* Iteration: size_t pos = 0; while (fl_hashmap_next(m, &pos, &e)) ...
 * Do not insert or remove while iterating (values may be changed). */
bool fl_hashmap_next(const fl_hashmap *m, size_t *pos, fl_hashmap_entry *e);

/* Pointers as values. */
static inline uint64_t fl_hashmap_from_ptr(const void *p) { return (uint64_t)(uintptr_t)p; }
static inline void *fl_hashmap_to_ptr(uint64_t v) { return (void *)(uintptr_t)v; }

#endif
