/*
 * test_hashmap.c: the hash map against a brute-force model (inserts,
 * updates, removes with backward shift, growth), byte-string keys copied and
 * borrowed, iteration, reset/reserve, out-of-memory, and hash quality.
 */
#include "../test.h"

#include <stdio.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/hashmap.h"

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

TEST(hashmap_u64_against_model)
{
    enum { KEYS = 4000 };
    static uint64_t model_val[KEYS];
    static bool model_has[KEYS];
    memset(model_has, 0, sizeof model_has);
    fl_hashmap m;
    CHECK_EQ(fl_hashmap_init(&m, FL_HASHMAP_U64, 0), 0);
    size_t model_len = 0;
    int bad = 0;
    for (int step = 0; step < 200000; step++) {
        uint64_t r = rng();
        size_t k = (size_t)(r % KEYS);
        uint64_t key = k * 0x100000001ull;   /* spread keys, include 0 */
        switch ((r >> 32) % 4) {
        case 0:
        case 1: {
            int rc = fl_hashmap_u64_put(&m, key, r);
            if (rc != (model_has[k] ? 0 : 1)) bad++;
            if (!model_has[k]) model_len++;
            model_has[k] = true;
            model_val[k] = r;
            break;
        }
        case 2: {
            bool removed = fl_hashmap_u64_remove(&m, key);
            if (removed != model_has[k]) bad++;
            if (model_has[k]) model_len--;
            model_has[k] = false;
            break;
        }
        default: {
            uint64_t v = 0;
            bool got = fl_hashmap_u64_get(&m, key, &v);
            if (got != model_has[k] || (got && v != model_val[k])) bad++;
        }
        }
        if (fl_hashmap_len(&m) != model_len) bad++;
    }
    CHECK_EQ(bad, 0);
    /* every model key is found; iteration sees exactly the model */
    for (size_t k = 0; k < KEYS; k++) {
        uint64_t *v = fl_hashmap_u64_find(&m, k * 0x100000001ull);
        if ((v != NULL) != model_has[k] || (v && *v != model_val[k])) bad++;
    }
    size_t pos = 0, seen = 0;
    fl_hashmap_entry e;
    while (fl_hashmap_next(&m, &pos, &e)) {
        size_t k = (size_t)(e.key_u64 / 0x100000001ull);
        if (k >= KEYS || !model_has[k] || *e.value != model_val[k]) bad++;
        seen++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(seen, model_len);
    CHECK(m.len <= m.grow_at && m.grow_at <= m.cap * 7 / 10);
    fl_hashmap_dispose(&m);
}

TEST(hashmap_u64_upsert_counts_and_growth)
{
    fl_hashmap m;
    CHECK_EQ(fl_hashmap_init(&m, FL_HASHMAP_U64, 10), 0);
    for (uint64_t round = 0; round < 3; round++) {
        for (uint64_t i = 0; i < 30000; i++) {
            uint64_t *v;
            int rc = fl_hashmap_u64_upsert(&m, i, &v);
            if (rc != (round == 0 ? 1 : 0)) CHECK_EQ(rc, round == 0 ? 1 : 0);
            (*v)++;
        }
    }
    CHECK_EQ(fl_hashmap_len(&m), 30000);
    uint64_t v;
    CHECK(fl_hashmap_u64_get(&m, 29999, &v) && v == 3);
    CHECK(!fl_hashmap_u64_get(&m, 30000, &v));
    CHECK(m.cap >= 30000 / 7 * 10);
    size_t cap = m.cap;
    fl_hashmap_reset(&m);
    CHECK_EQ(fl_hashmap_len(&m), 0);
    CHECK_EQ(m.cap, cap);
    CHECK(fl_hashmap_u64_find(&m, 5) == NULL);
    fl_hashmap_dispose(&m);
    /* a disposed map is empty and usable again */
    CHECK_EQ(fl_hashmap_u64_put(&m, 1, 2), 1);
    fl_hashmap_dispose(&m);
}

TEST(hashmap_reserve_avoids_growth)
{
    fl_hashmap m;
    CHECK_EQ(fl_hashmap_init(&m, FL_HASHMAP_U64, 0), 0);
    CHECK_EQ(fl_hashmap_reserve(&m, 5000), 0);
    size_t cap = m.cap;
    CHECK(cap * 7 / 10 > 5000);
    for (uint64_t i = 0; i < 5000; i++) fl_hashmap_u64_put(&m, i * 31, i);
    CHECK_EQ(m.cap, cap);
    CHECK_EQ(fl_hashmap_reserve(&m, 20000), 0);   /* grows and keeps entries */
    uint64_t v;
    CHECK(fl_hashmap_u64_get(&m, 4999 * 31, &v) && v == 4999);
    fl_hashmap_dispose(&m);
}

static void check_bytes_kind(fl_hashmap_kind kind)
{
    enum { N = 3000 };
    static char keys[N][80];
    static size_t lens[N];
    fl_hashmap m;
    CHECK_EQ(fl_hashmap_init(&m, kind, 0), 0);
    for (int i = 0; i < N; i++) {
        /* lengths 0..79, shared prefixes, embedded NULs */
        lens[i] = (size_t)(i % 80);
        memset(keys[i], 'k', sizeof keys[i]);
        snprintf(keys[i], sizeof keys[i], "%d", i);
        if (lens[i] > 3) keys[i][lens[i] - 2] = 0;
        if (lens[i] < 6 && i >= 80) lens[i] = strlen(keys[i]);   /* unique short keys */
    }
    int bad = 0;
    for (int i = 0; i < N; i++) {
        int rc = fl_hashmap_bytes_put(&m, keys[i], lens[i], (uint64_t)i);
        /* "0".."79" (lens 0..79) may coincide only via identical bytes */
        if (rc < 0) bad++;
    }
    CHECK_EQ(bad, 0);
    size_t distinct = fl_hashmap_len(&m);
    for (int i = 0; i < N; i++) {
        uint64_t v;
        if (!fl_hashmap_bytes_get(&m, keys[i], lens[i], &v)) bad++;
        else if (memcmp(keys[v], keys[i], lens[i]) != 0 || lens[v] != lens[i]) bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK(fl_hashmap_bytes_find(&m, "no such key", 11) == NULL);
    /* the map's key pointers are stable and hold the same bytes */
    size_t pos = 0, seen = 0;
    fl_hashmap_entry e;
    while (fl_hashmap_next(&m, &pos, &e)) {
        int i = (int)*e.value;
        if (e.key_len != lens[i] || memcmp(e.key, keys[i], e.key_len) != 0) bad++;
        if (kind == FL_HASHMAP_BYTES && e.key_len > 0 && e.key == keys[i]) bad++;   /* copied */
        seen++;
    }
    CHECK_EQ(seen, distinct);
    CHECK_EQ(bad, 0);
    /* remove half, the rest survives the backward shifts */
    for (int i = 0; i < N; i += 2) fl_hashmap_bytes_remove(&m, keys[i], lens[i]);
    for (int i = 1; i < N; i += 2) {
        uint64_t *v = fl_hashmap_bytes_find_hashed(&m, fl_hash_bytes(keys[i], lens[i], 0), keys[i], lens[i]);
        bool removed_same = false;
        for (int j = 0; j < N && !removed_same; j += 2)
            removed_same = lens[j] == lens[i] && memcmp(keys[j], keys[i], lens[i]) == 0;
        if ((v != NULL) == removed_same) bad++;
    }
    CHECK_EQ(bad, 0);
    fl_hashmap_dispose(&m);
}

TEST(hashmap_bytes_copied_keys) { check_bytes_kind(FL_HASHMAP_BYTES); }
TEST(hashmap_bytes_borrowed_keys) { check_bytes_kind(FL_HASHMAP_BYTES_BORROWED); }

TEST(hashmap_bytes_copies_big_and_transient_keys)
{
    fl_hashmap m;
    CHECK_EQ(fl_hashmap_init(&m, FL_HASHMAP_BYTES, 4), 0);
    char *big = fl_malloc(100000);
    memset(big, 'b', 100000);
    CHECK_EQ(fl_hashmap_bytes_put(&m, big, 100000, 7), 1);
    char tmp[16];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(tmp, sizeof tmp, "key%d", i);
        CHECK_EQ(fl_hashmap_bytes_put(&m, tmp, (size_t)n, (uint64_t)i), 1);
    }
    memset(tmp, 0, sizeof tmp);   /* the map kept its own copies */
    uint64_t v;
    CHECK(fl_hashmap_bytes_get(&m, "key123", 6, &v) && v == 123);
    CHECK(fl_hashmap_bytes_get(&m, big, 100000, &v) && v == 7);
    big[99999] = 'c';
    CHECK(!fl_hashmap_bytes_get(&m, big, 100000, &v));
    CHECK_EQ(fl_hashmap_bytes_put(&m, "", 0, 99), 1);   /* the empty key */
    CHECK(fl_hashmap_bytes_get(&m, "", 0, &v) && v == 99);
    fl_hashmap_reset(&m);
    CHECK(!fl_hashmap_bytes_get(&m, "key123", 6, &v));
    CHECK_EQ(fl_hashmap_bytes_put(&m, "key123", 6, 1), 1);
    fl_free(big);
    fl_hashmap_dispose(&m);
}

TEST(hashmap_pointer_values)
{
    fl_hashmap m;
    int a = 1, b = 2;
    fl_hashmap_init(&m, FL_HASHMAP_U64, 0);
    fl_hashmap_u64_put(&m, 10, fl_hashmap_from_ptr(&a));
    fl_hashmap_u64_put(&m, 20, fl_hashmap_from_ptr(&b));
    CHECK(fl_hashmap_to_ptr(*fl_hashmap_u64_find(&m, 20)) == &b);
    CHECK(fl_hashmap_to_ptr(*fl_hashmap_u64_find(&m, 10)) == &a);
    fl_hashmap_dispose(&m);
}

TEST(hashmap_out_of_memory)
{
    fl_hashmap m;
    fl_hashmap_init(&m, FL_HASHMAP_BYTES, 0);
    int rc = 0;
    uint64_t i;
    fl_alloc_fail_after(5);
    for (i = 0; i < 100000 && rc >= 0; i++) rc = fl_hashmap_bytes_put(&m, &i, sizeof i, i);
    fl_alloc_fail_after(-1);
    CHECK_EQ(rc, FLOE_ENOMEM);
    /* everything inserted before the failure is intact */
    size_t len = fl_hashmap_len(&m);
    CHECK(len > 0);
    int bad = 0;
    for (uint64_t k = 0; k < len; k++) {
        uint64_t v;
        if (!fl_hashmap_bytes_get(&m, &k, sizeof k, &v) || v != k) bad++;
    }
    CHECK_EQ(bad, 0);
    fl_hashmap_dispose(&m);
}

TEST(hash_functions_mix_well)
{
    /* sequential and strided keys spread evenly over 1024 buckets */
    static int buckets[1024];
    uint64_t strides[] = {1, 1024, 1ull << 32, 0x100000001ull};
    for (size_t s = 0; s < FL_ARRAY_SIZE(strides); s++) {
        memset(buckets, 0, sizeof buckets);
        for (uint64_t i = 0; i < 102400; i++) buckets[fl_hash_u64(i * strides[s]) & 1023]++;
        int lo = 1 << 30, hi = 0;
        for (int b = 0; b < 1024; b++) {
            if (buckets[b] < lo) lo = buckets[b];
            if (buckets[b] > hi) hi = buckets[b];
        }
        CHECK(lo > 50 && hi < 160);   /* mean 100 */
        memset(buckets, 0, sizeof buckets);
        for (uint64_t i = 0; i < 102400; i++) {
            uint64_t k = i * strides[s];
            buckets[fl_hash_bytes(&k, sizeof k, 0) >> 54]++;   /* top bits too */
        }
        lo = 1 << 30, hi = 0;
        for (int b = 0; b < 1024; b++) {
            if (buckets[b] < lo) lo = buckets[b];
            if (buckets[b] > hi) hi = buckets[b];
        }
        CHECK(lo > 50 && hi < 160);
    }
    /* lengths, seeds and every byte matter */
    char zeros[64] = {0};
    int same = 0;
    for (size_t n = 0; n < 64; n++) {
        if (fl_hash_bytes(zeros, n, 0) == fl_hash_bytes(zeros, n + 1, 0)) same++;
        if (fl_hash_bytes(zeros, n, 0) == fl_hash_bytes(zeros, n, 1)) same++;
    }
    CHECK_EQ(same, 0);
    char buf[100];
    memset(buf, 'x', sizeof buf);
    uint64_t base = fl_hash_bytes(buf, sizeof buf, 0);
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] ^= 1;
        if (fl_hash_bytes(buf, sizeof buf, 0) == base) same++;
        buf[i] ^= 1;
    }
    CHECK_EQ(same, 0);
    CHECK(fl_hash_combine(1, 2) != fl_hash_combine(2, 1));
}

TEST(hashmap_batches_match_single_calls)
{
    enum { N = 5000 };
    static uint64_t keys[N];
    static uint64_t *vals[N];
    fl_hashmap m;
    fl_hashmap_init(&m, FL_HASHMAP_U64, 0);
    for (size_t i = 0; i < N; i++) keys[i] = (rng() % 3000) * 7;   /* repeats within the batch */
    long added = fl_hashmap_u64_upsert_batch(&m, keys, N, vals);
    CHECK(added > 0 && (size_t)added == fl_hashmap_len(&m));
    for (size_t i = 0; i < N; i++) (*vals[i])++;
    uint64_t total = 0;
    int bad = 0;
    for (size_t i = 0; i < N; i++) {
        uint64_t *v = fl_hashmap_u64_find(&m, keys[i]);
        if (!v) bad++;
    }
    size_t pos = 0;
    fl_hashmap_entry e;
    while (fl_hashmap_next(&m, &pos, &e)) total += *e.value;
    CHECK_EQ(total, N);   /* every occurrence counted once, duplicates share a slot */
    CHECK_EQ(fl_hashmap_u64_upsert_batch(&m, keys, N, vals), 0);
    keys[0] = 1;   /* not a multiple of 7: absent */
    fl_hashmap_u64_find_batch(&m, keys, N, vals);
    CHECK(vals[0] == NULL);
    for (size_t i = 1; i < N; i++)
        if (vals[i] != fl_hashmap_u64_find(&m, keys[i])) bad++;
    CHECK_EQ(bad, 0);
    fl_hashmap_dispose(&m);
    fl_hashmap_u64_find_batch(&m, keys, N, vals);   /* empty map */
    CHECK(vals[N - 1] == NULL);

    static fl_strv skeys[N];
    static uint64_t hashes[N];
    static char text[N][12];
    fl_hashmap_init(&m, FL_HASHMAP_BYTES, 0);
    for (size_t i = 0; i < N; i++) {
        int len = snprintf(text[i], sizeof text[i], "s%llu", (unsigned long long)(rng() % 2000));
        skeys[i] = fl_strv_make(text[i], (size_t)len);
        hashes[i] = fl_hash_bytes(text[i], (size_t)len, 0);
    }
    added = fl_hashmap_bytes_upsert_batch(&m, hashes, skeys, N, vals);
    CHECK(added > 0 && (size_t)added == fl_hashmap_len(&m));
    for (size_t i = 0; i < N; i++) (*vals[i])++;
    for (size_t i = 0; i < N; i++) text[i][0] = 'S';   /* stored keys are copies */
    fl_hashmap_bytes_find_batch(&m, hashes, skeys, N, vals);
    for (size_t i = 0; i < N; i++) bad += vals[i] != NULL;
    for (size_t i = 0; i < N; i++) {
        text[i][0] = 's';
        hashes[i] = fl_hash_bytes(skeys[i].ptr, skeys[i].len, 0);
    }
    fl_hashmap_bytes_find_batch(&m, hashes, skeys, N, vals);
    for (size_t i = 0; i < N; i++) bad += vals[i] == NULL;
    CHECK_EQ(bad, 0);
    total = 0;
    pos = 0;
    while (fl_hashmap_next(&m, &pos, &e)) total += *e.value;
    CHECK_EQ(total, N);
    fl_hashmap_dispose(&m);
}
