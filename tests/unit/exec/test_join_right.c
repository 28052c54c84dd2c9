/*
 * test_join_right.c: the hash join's RIGHT_SEMI / RIGHT_ANTI types
 * (op/hash_join.c; plan.h: the right child's rows with / without a match in
 * the left child, left = probe, right = build) against the naive loop of
 * join_check.c, on random data with NULL and duplicate keys on both sides,
 * a residual (l.v < r.v), int + string keys (hashed on the integer alone, and the
 * fallback to hashing both when the integers repeat), empty sides, one and
 * two threads and a build large enough to link in parallel; and the row
 * layout of the join hash table (key columns shared with payload columns,
 * bucket tags).
 */
#include "../test.h"

#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/hashmap.h"
#include "../../../src/exec/hashtable.h"
#include "join_check.h"

static const char *const rj_words[] = {"web", "store", "", "a much longer string key"};

/* k NULL 1/10, s NULL 1/9 of four words, v < 50 */
static const jc_profile rj_profile = {10, 9, rj_words, 4, 50};

/* The join against the naive loop (join_check.c); the number of differing
 * rows. string_key: l.s = r.s before the integer key (the join hashes the
 * integer alone), residual: l.v < r.v. */
static size_t rj_check(int threads, size_t ln, size_t rn, uint64_t krange, plan_join_type type,
                       bool string_key, bool residual)
{
    jc_spec s = {type, string_key ? JC_STRING_EQ_FIRST : JC_STRING_NONE, residual};
    return jc_check_join(threads, ln, rn, krange, &s, &rj_profile);
}

TEST(hash_join_right_semi_anti)
{
    ja_seed(41);
    plan_join_type types[2] = {PLAN_JOIN_RIGHT_SEMI, PLAN_JOIN_RIGHT_ANTI};
    for (int t = 0; t < 2; t++) {
        for (int v = 0; v < 4; v++) {
            bool string_key = v & 1, residual = (v & 2) != 0;
            CHECK_EQ(rj_check(1, 3000, 400, 300, types[t], string_key, residual), 0);
            CHECK_EQ(rj_check(2, 3000, 400, 300, types[t], string_key, residual), 0);
            /* few keys: long chains on both sides, every build row reached
             * by many probe rows (and the integer-only hash falls back) */
            CHECK_EQ(rj_check(2, 2500, 300, 4, types[t], string_key, residual), 0);
        }
    }
}

TEST(hash_join_right_semi_anti_empty_sides)
{
    ja_seed(42);
    plan_join_type types[2] = {PLAN_JOIN_RIGHT_SEMI, PLAN_JOIN_RIGHT_ANTI};
    for (int t = 0; t < 2; t++) {
        CHECK_EQ(rj_check(2, 0, 500, 50, types[t], false, true), 0);    /* ANTI: every build row, NULL keys too */
        CHECK_EQ(rj_check(2, 500, 0, 50, types[t], false, true), 0);
        CHECK_EQ(rj_check(1, 0, 0, 50, types[t], false, true), 0);
    }
}

TEST(hash_join_right_semi_anti_parallel_build)
{
    /* >= 65536 build rows: linked on the pool (atomic prepends), emitted
     * by both threads */
    ja_seed(43);
    CHECK_EQ(rj_check(2, 300, 70000, 100000, PLAN_JOIN_RIGHT_ANTI, false, false), 0);
    CHECK_EQ(rj_check(2, 300, 70000, 100000, PLAN_JOIN_RIGHT_SEMI, false, false), 0);
}

TEST(join_ht_layout_and_tags)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err = {0};
    /* no state, no 16-byte value: 8-byte rows, columns before the bitmap */
    fl_type types[3] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_INT32),
                        fl_type_make(FL_TYPE_STRING)};
    ex_ht_layout l;
    CHECK_OK(ex_ht_layout_init(&l, a, types, 1, 3, NULL, 0, &err), &err);
    CHECK_EQ(l.offsets[2], 16);                 /* the 16-byte fl_strv first */
    CHECK_EQ(l.offsets[0], 32);
    CHECK_EQ(l.offsets[1], 40);
    CHECK_EQ(l.null_offset, 44);
    CHECK_EQ(l.flag_offset, 45);
    CHECK_EQ(l.row_width, 48);
    ex_ht_layout ls;
    CHECK_OK(ex_ht_layout_init(&ls, a, types, 1, 2, NULL, 24, &err), &err);
    CHECK_EQ(ls.state_offset % 16, 0);
    CHECK_EQ(ls.row_width % 16, 0);
    CHECK(ls.state_offset >= ls.flag_offset + 1);
    /* 1000 rows of keys 0..999: every key found through its chain, absent
     * keys mostly stopped by the bucket tags */
    ex_rows rows;
    ex_rows_init(&rows, &l, a);
    fl_column *c0 = fl_column_new(a, types[0], 1000), *c1 = fl_column_new(a, types[1], 1000),
              *c2 = fl_column_new(a, types[2], 1000);
    CHECK(c0 && c1 && c2);
    for (int64_t i = 0; i < 1000; i++) {
        ((int64_t *)c0->data)[i] = i;
        ((int32_t *)c1->data)[i] = (int32_t)i;
        ((fl_strv *)c2->data)[i] = fl_strv_make("x", 1);
    }
    c0->len = c1->len = c2->len = 1000;
    ex_vector cols[3] = {{.kind = EX_VECTOR_FLAT, .col = c0}, {.kind = EX_VECTOR_FLAT, .col = c1},
                         {.kind = EX_VECTOR_FLAT, .col = c2}};
    uint64_t *hashes = fl_malloc(1000 * sizeof *hashes);
    ex_hash_vectors(cols, 1, 1000, hashes);
    CHECK_OK(ex_rows_append(&rows, cols, hashes, NULL, 1000, NULL, &err), &err);
    ex_rows *stores[1] = {&rows};
    ex_join_ht jt;
    CHECK_OK(ex_join_ht_build(&jt, &l, stores, 1, a, NULL, &err), &err);
    CHECK(ex_join_ht_chain_count(&jt) > 600);
    int found = 0, touched = 0;
    for (int64_t i = 0; i < 2000; i++) {
        uint64_t h = fl_hash_u64((uint64_t)i);
        for (uint8_t *row = ex_join_ht_head(&jt, h); row; row = ex_ht_row_next(row)) {
            if (i >= 1000) touched++;
            int64_t k;
            memcpy(&k, row + l.offsets[0], 8);
            if (k == i && ex_ht_row_hash(row) == h) found++;
        }
    }
    CHECK_EQ(found, 1000);
    CHECK(touched < 200);      /* of ~1000 absent keys, ~1/16 of nonempty buckets pass */
    /* rehash on the same key count keeps every stored hash */
    ex_rows_rehash(stores, 1, 1);
    int same = 0;
    for (ex_row_block *b = rows.head; b; b = b->next)
        for (uint32_t k = 0; k < b->count; k++) {
            const uint8_t *row = b->data + (size_t)k * l.row_width;
            int64_t key;
            memcpy(&key, row + l.offsets[0], 8);
            same += ex_ht_row_hash(row) == hashes[key];
        }
    CHECK_EQ(same, 1000);
    fl_free(hashes);
    fl_arena_free(a);
}
