/*
 * hashtable.h: the vectorized hash tables behind the hashing operators
 * (hash join, hash aggregate, DISTINCT, set operations), DuckDB's
 * GroupedAggregateHashTable and JoinHashTable in one small toolkit.
 *
 * Rows: every table stores its rows row-major in blocks (ex_rows) that never
 * move, so a row is addressed by a stable pointer. A row is
 *
 *   [hash u64][next row pointer][columns...][NULL bitmap][match byte][state]
 *
 * with the columns (key columns first in the layout's numbering, then the
 * payload columns) stored by decreasing width so each is naturally aligned
 * (strings as fl_strv whose bytes are copied into the table's arena), then
 * an optional 16-aligned state area (aggregate states, row counts). Rows are
 * 8 bytes apart, or 16 when they hold a state or a 16-byte value. A new row
 * is not cleared as a whole: only the range from the bitmap to the end.
 * Key floats are stored normalized (-0.0 as 0.0, one NaN) so equal keys have
 * equal bytes. NULL keys are stored with zeroed value bytes.
 *
 * Hashing (ex_hash_vectors) runs column-at-a-time over a chunk into a uint64
 * array: fixed-width values through fmix64, strings through fl_hash_bytes,
 * columns chained with fl_hash_combine (src/base/hashmap.h).
 *
 * ex_ht: a find-or-create table (aggregates, DISTINCT, set operations):
 * linear probing over a uint64 entry array, each entry = 16 salt bits of the
 * hash | the row pointer (48 bits), so most mismatches never touch a row.
 * A batch of rows is processed DuckDB's way: all rows look at their slot,
 * empty slots create rows, salt hits are compared column-at-a-time, misses
 * move to the next slot, and the loop repeats on the rows left. The entry
 * array doubles (rehashing from the stored hashes) past load 1/2.
 * Rows are created into 2^radix_bits partitions by hash bits 40..47, so
 * thread-local tables can be merged partition by partition in parallel
 * (ex_ht_merge_rows adopts the rows of another table without copying).
 *
 * ex_join_ht: a chained table for joins: buckets of row pointers (with 16
 * tag bits filtering the chain, see ex_join_ht_tag), rows linked through
 * their next pointer; built from one or more ex_rows after all rows are
 * known (in parallel with atomic prepends), probed by the join operator
 * one chain step per round for a whole chunk (ex_ht_match_keys compares the
 * candidates column-at-a-time).
 *
 * NULLs: each key column says whether NULL equals NULL (null_equal: GROUP BY,
 * DISTINCT, IS NOT DISTINCT FROM) or never matches (SQL '=': the join does
 * not link build rows with such NULL keys into buckets, and does not probe
 * with them).
 *
 * Threads: a table is used by one thread at a time; ex_join_ht is read-only
 * (except match bytes, set with relaxed atomics) once built.
 */
#ifndef EX_HASHTABLE_H
#define EX_HASHTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/column.h"
#include "../base/error.h"
#include "../base/threads.h"
#include "vector.h"

#define EX_HT_MAX_RADIX_BITS 6
#define EX_HT_ROW_HASH 0          /* offset of the row's hash */
#define EX_HT_ROW_NEXT 8          /* offset of the chain pointer (joins) */

/* ---------------------------------------------------------------- layout */

typedef struct ex_ht_layout {
    uint32_t col_count;        /* key columns, then payload columns */
    uint32_t key_count;
    fl_type *types;
    uint32_t *offsets;         /* byte offset of each column in a row */
    bool *null_equal;          /* per key column */
    uint32_t null_offset;      /* NULL bitmap: bit c set = column c is NULL */
    uint32_t flag_offset;      /* one byte for the operator (join: matched) */
    uint32_t state_offset;     /* 16-aligned area of state_size bytes */
    uint32_t state_size;
    uint32_t row_width;        /* multiple of 8 (16 with a state or 16-byte value) */
} ex_ht_layout;

/* A layout for col_count columns of which the first key_count are keys.
 * null_equal may be NULL (every key: NULL equals NULL). Nested types are
 * FLOE_EUNSUPPORTED. Arrays in arena. */
int ex_ht_layout_init(ex_ht_layout *l, fl_arena *arena, const fl_type *types,
                      uint32_t key_count, uint32_t col_count, const bool *null_equal,
                      size_t state_size, fl_error *err);

static inline uint64_t ex_ht_row_hash(const uint8_t *row)
{
    uint64_t h;
    __builtin_memcpy(&h, row + EX_HT_ROW_HASH, 8);
    return h;
}
static inline uint8_t *ex_ht_row_next(const uint8_t *row)
{
    uint8_t *p;
    __builtin_memcpy(&p, row + EX_HT_ROW_NEXT, sizeof p);
    return p;
}
static inline bool ex_ht_row_is_null(const ex_ht_layout *l, const uint8_t *row, uint32_t c)
{
    return (row[l->null_offset + (c >> 3)] >> (c & 7)) & 1;
}
static inline void *ex_ht_row_state(const ex_ht_layout *l, uint8_t *row)
{
    return row + l->state_offset;
}

/* ---------------------------------------------------------------- hashing */

/* hashes[i] for rows i in [0, n) of the key vectors (flat or constant). */
void ex_hash_vectors(const ex_vector *keys, uint32_t key_count, size_t n, uint64_t *hashes);
/* The same hashes for the selected rows only: hashes[sel[j]] for j in
 * [0, m) (other entries untouched), e.g. after a pre-pass dropped rows. */
void ex_hash_vectors_sel(const ex_vector *keys, uint32_t key_count, const uint32_t *sel, size_t m,
                         uint64_t *hashes);
/* The partition of a hash among 2^radix_bits partitions. */
static inline uint32_t ex_ht_partition(uint64_t hash, uint32_t radix_bits)
{
    return (uint32_t)(hash >> 40) & ((1u << radix_bits) - 1);
}

/* ---------------------------------------------------------------- row stores */

typedef struct ex_row_block {
    struct ex_row_block *next;
    uint8_t *data;
    uint32_t count, cap;
} ex_row_block;

typedef struct ex_rows {
    const ex_ht_layout *layout;
    fl_arena *arena;           /* blocks and string bytes */
    ex_row_block *head, *tail;
    size_t count;
} ex_rows;

void ex_rows_init(ex_rows *r, const ex_ht_layout *layout, fl_arena *arena);
/* Appends rows sel[0..n) (or 0..n) of cols[0..layout->col_count) with their
 * hashes (indexed by input row); the state area is zeroed. If out is not
 * NULL, out[k] = the k-th new row. */
int ex_rows_append(ex_rows *r, const ex_vector *cols, const uint64_t *hashes,
                   const uint32_t *sel, size_t n, uint8_t **out, fl_error *err);
/* Moves src's blocks to the end of dst (same layout; arenas must outlive dst). */
void ex_rows_concat(ex_rows *dst, ex_rows *src);

/* Column c of rows[0..n) into dst rows [dst_off, dst_off + n) (dst flat,
 * with room; strings borrowed from the table). */
int ex_rows_gather(fl_column *dst, size_t dst_off, uint8_t *const *rows, size_t n,
                   const ex_ht_layout *l, uint32_t c, fl_error *err);

/* Keeps the candidates r in sel[0..n) whose rows[r] keys equal row r of the
 * key vectors (column-at-a-time, NULLs per null_equal); returns the match
 * count written to match (may alias sel) and the others to nomatch (NULL to
 * drop them). */
size_t ex_ht_match_keys(const ex_ht_layout *l, const ex_vector *keys, uint8_t *const *rows,
                        const uint32_t *sel, size_t n, uint32_t *match, uint32_t *nomatch,
                        size_t *nomatch_count);

/* ---------------------------------------------------------------- find-or-create */

typedef struct ex_ht {
    const ex_ht_layout *layout;
    fl_arena *arena;
    uint64_t *entries;         /* salt << 48 | row pointer; 0 = empty (heap) */
    uint64_t **holder;         /* arena-owned: frees entries on arena reset */
    size_t cap, mask, count;
    uint32_t radix_bits;
    ex_rows parts[1u << EX_HT_MAX_RADIX_BITS];
    /* scratch for one batch */
    uint64_t *slot;
    uint32_t *todo, *cmp, *miss;
} ex_ht;

/* An empty table whose rows, strings and scratch live in arena (the entry
 * array is heap memory freed when arena is reset or freed). */
int ex_ht_init(ex_ht *ht, const ex_ht_layout *l, fl_arena *arena, uint32_t radix_bits,
               fl_error *err);
/*
 * For rows sel[0..n) (or 0..n; n <= EX_CHUNK_ROWS) of the key vectors:
 * rows_out[r] = the row with equal keys, created when absent (keys written,
 * payload NULL, state zeroed). part_hashes (or NULL: hashes) chooses the
 * partition of created rows. The input rows that created a row are listed
 * in created[0..*created_count) (may be NULL).
 */
int ex_ht_find_or_create(ex_ht *ht, const ex_vector *keys, const uint64_t *hashes,
                         const uint64_t *part_hashes, const uint32_t *sel, size_t n,
                         uint8_t **rows_out, uint32_t *created, size_t *created_count,
                         fl_error *err);
/* Lookup only: rows_out[r] = the row or NULL. */
int ex_ht_find(ex_ht *ht, const ex_vector *keys, const uint64_t *hashes, const uint32_t *sel,
               size_t n, uint8_t **rows_out, fl_error *err);
/*
 * Merges rows of another table with the same layout (n <= EX_CHUNK_ROWS):
 * found[i] = the existing row with equal keys, or NULL when src[i] itself
 * was adopted (linked in, not copied: src's arena must outlive ht).
 */
int ex_ht_merge_rows(ex_ht *ht, uint8_t *const *src, size_t n, uint8_t **found,
                     fl_error *err);

/* ---------------------------------------------------------------- join table */

typedef struct ex_join_ht {
    const ex_ht_layout *layout;
    uint64_t *buckets;         /* tag bits << 48 | chain head (heap, freed with the arena) */
    size_t mask;
    size_t row_count;          /* all rows, linked or not */
    bool has_null_key;         /* a row had a NULL in a non-null_equal key */
} ex_join_ht;

/* Links every row of stores[0..count) into buckets (rows with a NULL in a
 * key that is not null_equal are left unlinked: has_null_key). Uses pool
 * for large inputs. */
int ex_join_ht_build(ex_join_ht *jt, const ex_ht_layout *l, ex_rows *const *stores,
                     uint32_t count, fl_arena *arena, fl_pool *pool, fl_error *err);

/* Non-empty buckets (a measure of how well the hashes spread). */
size_t ex_join_ht_chain_count(const ex_join_ht *jt);
/* Replaces every row's stored hash by the hash of its first key_count keys,
 * as ex_hash_vectors computes it over those key vectors (then rebuild the
 * join table: a build that hashed fewer keys and found long chains). */
void ex_rows_rehash(ex_rows *const *stores, uint32_t count, uint32_t key_count);

/* A bucket's top 16 bits are a filter over its chain: the bit picked by
 * hash bits 48..51 of every row linked into it, so most probes of a key
 * that is absent stop at the bucket without touching a row. */
static inline uint64_t ex_join_ht_tag(uint64_t hash)
{
    return 1ull << (48 + ((hash >> 48) & 15));
}
/* The first row of hash's chain, or NULL when the chain cannot hold it. */
static inline uint8_t *ex_join_ht_head(const ex_join_ht *jt, uint64_t hash)
{
    uint64_t e = __atomic_load_n(&jt->buckets[hash & jt->mask], __ATOMIC_RELAXED);
    if (!(e & ex_join_ht_tag(hash))) return NULL;
    return (uint8_t *)(uintptr_t)(e & ((1ull << 48) - 1));
}

#endif
