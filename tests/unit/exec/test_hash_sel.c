/*
 * test_hash_sel.c: ex_hash_vectors_sel (hashing only selected rows, as the
 * hash join's probe does after its key-range pass) gives exactly the hashes
 * ex_hash_vectors gives those rows, for every value class (integers of each
 * width, float and double with -0.0 and NaN, wide decimals, strings), NULLs,
 * constant vectors, one to three keys and no keys, and leaves the rows not
 * selected untouched.
 */
#include "../test.h"

#include <math.h>

#include "../../../src/base/alloc.h"
#include "../../../src/exec/hashtable.h"
#include "ja_test_util.h"

#define N 3000      /* more than one chunk, so the functions' blocking runs */
#define UNTOUCHED 0x0123456789abcdefull

static const char *words[] = {"", "a", "web", "store", "a longer string value", "Web"};

/* n rows of type id with a few distinct values and NULLs (1 in 7). */
static fl_column *make_col(fl_arena *a, fl_type t, size_t n)
{
    fl_column *c = fl_column_new(a, t, n);
    c->len = n;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = ja_rand() % 9;
        switch ((fl_type_id)t.id) {
        case FL_TYPE_INT16: ((int16_t *)c->data)[i] = (int16_t)r - 4; break;
        case FL_TYPE_INT32: ((int32_t *)c->data)[i] = (int32_t)r * 1000003; break;
        case FL_TYPE_INT64: ((int64_t *)c->data)[i] = (int64_t)(ja_rand() % 50) << 40; break;
        case FL_TYPE_FLOAT: ((float *)c->data)[i] = r == 0 ? -0.0f : r == 1 ? NAN : (float)r / 4; break;
        case FL_TYPE_DOUBLE: ((double *)c->data)[i] = r == 0 ? -0.0 : r == 1 ? -NAN : (double)r / 3; break;
        case FL_TYPE_DECIMAL: ((fl_int128 *)c->data)[i] = (fl_int128)r << 64 | (fl_int128)(ja_rand() % 3); break;
        default: {
            const char *w = words[r % FL_ARRAY_SIZE(words)];
            ((fl_strv *)c->data)[i] = fl_strv_make(w, strlen(w));
        }
        }
        if (ja_rand() % 7 == 0) fl_column_set_null(c, i);
    }
    return c;
}

/* Checks ex_hash_vectors_sel on a random selection (about 1 row in `every`)
 * against ex_hash_vectors; returns the number of wrong entries. */
static int check_sel(const ex_vector *keys, uint32_t key_count, uint64_t every)
{
    static uint64_t flat[N], hs[N];
    static uint32_t sel[N];
    ex_hash_vectors(keys, key_count, N, flat);
    size_t m = 0;
    for (size_t i = 0; i < N; i++) {
        hs[i] = UNTOUCHED;
        if (ja_rand() % every == 0) sel[m++] = (uint32_t)i;
    }
    ex_hash_vectors_sel(keys, key_count, sel, m, hs);
    int bad = 0;
    size_t j = 0;
    for (size_t i = 0; i < N; i++) {
        bool selected = j < m && sel[j] == i;
        if (selected) j++;
        if (selected ? hs[i] != flat[i] : hs[i] != UNTOUCHED) bad++;
    }
    return bad;
}

TEST(hash_sel_matches_flat_hashes)
{
    ja_seed(7);
    fl_arena *a = fl_arena_new(0);
    fl_type types[] = {fl_type_make(FL_TYPE_INT16),  fl_type_make(FL_TYPE_INT32),
                       fl_type_make(FL_TYPE_INT64),  fl_type_make(FL_TYPE_FLOAT),
                       fl_type_make(FL_TYPE_DOUBLE), fl_type_decimal(30, 2),
                       fl_type_make(FL_TYPE_STRING)};
    enum { T = sizeof types / sizeof types[0] };
    fl_column *cols[T];
    for (int t = 0; t < T; t++) cols[t] = make_col(a, types[t], N);
    /* each type alone, flat and constant, at several selectivities */
    for (int t = 0; t < T; t++) {
        ex_vector v = {.kind = EX_VECTOR_FLAT, .col = cols[t]};
        CHECK_EQ(check_sel(&v, 1, 1), 0);
        CHECK_EQ(check_sel(&v, 1, 3), 0);
        CHECK_EQ(check_sel(&v, 1, 50), 0);
        ex_vector cv = {.kind = EX_VECTOR_CONST, .col = cols[t]};
        CHECK_EQ(check_sel(&cv, 1, 4), 0);
    }
    /* two and three keys, mixing classes and a constant */
    for (int t = 0; t + 2 < T; t++) {
        ex_vector k[3] = {{.kind = EX_VECTOR_FLAT, .col = cols[t]},
                          {.kind = EX_VECTOR_CONST, .col = cols[t + 1]},
                          {.kind = EX_VECTOR_FLAT, .col = cols[t + 2]}};
        CHECK_EQ(check_sel(k, 2, 2), 0);
        CHECK_EQ(check_sel(k, 3, 5), 0);
    }
    /* no keys: every selected row gets the one empty-keys hash */
    CHECK_EQ(check_sel(NULL, 0, 3), 0);
    /* a NULL hashes like a NULL whatever the bytes under it */
    fl_column *c = cols[2];
    ex_vector v = {.kind = EX_VECTOR_FLAT, .col = c};
    uint32_t s[2] = {0, 1};
    ((int64_t *)c->data)[0] = 1;
    ((int64_t *)c->data)[1] = 2;
    fl_column_set_null(c, 0);
    fl_column_set_null(c, 1);
    uint64_t h[2];
    ex_hash_vectors_sel(&v, 1, s, 2, h);
    CHECK(h[0] == h[1]);
    fl_arena_free(a);
}
