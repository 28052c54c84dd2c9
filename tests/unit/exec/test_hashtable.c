/*
 * test_hashtable.c: the hashing operators' tables (src/exec/hashtable.h)
 * against brute-force models: find-or-create over int/string/double keys
 * with NULLs and duplicates (one row per distinct key, found again later),
 * lookups, growth to 100k groups, merging thread-local tables by adopting
 * rows, join chains (every build row with equal keys reachable, NULL keys
 * unlinked), and row gathering back into columns.
 */
#include "../test.h"

#include <math.h>
#include <stdio.h>

#include "../../../src/base/alloc.h"
#include "../../../src/exec/hashtable.h"

static uint64_t rng_state = 0x243f6a8885a308d3ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A flat int64 column of n rows: values in [0, range), NULL with 1/null_every. */
static fl_column *int_col(fl_arena *a, size_t n, uint64_t range, int null_every)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_INT64), n);
    c->len = n;
    for (size_t i = 0; i < n; i++) {
        ((int64_t *)c->data)[i] = (int64_t)(rng() % range);
        if (null_every && rng() % (uint64_t)null_every == 0) fl_column_set_null(c, i);
    }
    return c;
}

static const char *words[] = {"", "a", "web", "store", "catalog", "a longer string value",
                              "web ", "Web", "x"};

static fl_column *str_col(fl_arena *a, size_t n, int null_every)
{
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_STRING), n);
    c->len = n;
    for (size_t i = 0; i < n; i++) {
        /* bytes in a scratch buffer the table must copy */
        char *buf = fl_arena_alloc(a, 32);
        const char *w = words[rng() % FL_ARRAY_SIZE(words)];
        size_t len = strlen(w);
        memcpy(buf, w, len);
        ((fl_strv *)c->data)[i] = fl_strv_make(buf, len);
        if (null_every && rng() % (uint64_t)null_every == 0) fl_column_set_null(c, i);
    }
    return c;
}

/* Equality of row i and j of the key columns, NULL = NULL. */
static bool keys_eq(fl_column **cols, int ncols, size_t i, size_t j)
{
    for (int c = 0; c < ncols; c++) {
        bool vi = fl_column_is_valid(cols[c], i), vj = fl_column_is_valid(cols[c], j);
        if (vi != vj) return false;
        if (!vi) continue;
        fl_value a, b;
        fl_column_get(cols[c], i, &a);
        fl_column_get(cols[c], j, &b);
        if (fl_value_cmp(&a, &b) != 0) return false;
    }
    return true;
}

TEST(ht_find_or_create_matches_model)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    enum { N = 2000 };
    fl_column *cols[2] = {int_col(a, N, 40, 7), str_col(a, N, 5)};
    fl_type types[2] = {cols[0]->type, cols[1]->type};
    ex_ht_layout l;
    CHECK_OK(ex_ht_layout_init(&l, a, types, 2, 2, NULL, 8, &err), &err);
    ex_ht ht;
    CHECK_OK(ex_ht_init(&ht, &l, a, 2, &err), &err);
    ex_vector keys[2] = {{.kind = EX_VECTOR_FLAT, .col = cols[0]}, {.kind = EX_VECTOR_FLAT, .col = cols[1]}};
    uint64_t hashes[N];
    ex_hash_vectors(keys, 2, N, hashes);
    uint8_t *rows[N];
    uint32_t created[N];
    size_t ncreated = 0;
    CHECK_OK(ex_ht_find_or_create(&ht, keys, hashes, NULL, NULL, N, rows, created, &ncreated, &err),
             &err);
    /* model: row i's group = first j <= i with equal keys */
    int bad = 0;
    size_t groups = 0;
    for (size_t i = 0; i < N; i++) {
        size_t j = 0;
        while (!keys_eq(cols, 2, i, j)) j++;
        if (j == i) groups++;
        if (rows[i] != rows[j]) bad++;
        if (j != i && hashes[i] != hashes[j]) bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(ncreated, groups);
    CHECK_EQ(ht.count, groups);
    size_t stored = 0;
    for (uint32_t p = 0; p < 4; p++) stored += ht.parts[p].count;
    CHECK_EQ(stored, groups);
    /* a second pass finds every row again and creates nothing */
    uint8_t *again[N];
    CHECK_OK(ex_ht_find_or_create(&ht, keys, hashes, NULL, NULL, N, again, created, &ncreated, &err),
             &err);
    CHECK_EQ(ncreated, 0);
    CHECK(memcmp(again, rows, sizeof rows) == 0);
    /* gathering the key columns back gives the input values */
    fl_column *g0 = fl_column_new(a, types[0], N), *g1 = fl_column_new(a, types[1], N);
    CHECK_OK(ex_rows_gather(g0, 0, rows, N, &l, 0, &err), &err);
    CHECK_OK(ex_rows_gather(g1, 0, rows, N, &l, 1, &err), &err);
    g0->len = g1->len = N;
    fl_column *gc[2] = {g0, g1};
    bad = 0;
    for (size_t i = 0; i < N; i++) {
        for (int c = 0; c < 2; c++) {
            fl_column *pair[1] = {cols[c]};
            (void)pair;
            bool v1 = fl_column_is_valid(cols[c], i), v2 = fl_column_is_valid(gc[c], i);
            if (v1 != v2) { bad++; continue; }
            if (!v1) continue;
            fl_value x, y;
            fl_column_get(cols[c], i, &x);
            fl_column_get(gc[c], i, &y);
            if (fl_value_cmp(&x, &y) != 0) bad++;
            if (c == 1 && y.v.s.len && y.v.s.ptr == x.v.s.ptr) bad++;   /* copied */
        }
    }
    CHECK_EQ(bad, 0);
    fl_arena_free(a);
}

TEST(ht_selection_find_and_doubles)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    enum { N = 1000 };
    fl_column *d = fl_column_new(a, fl_type_make(FL_TYPE_DOUBLE), N);
    d->len = N;
    for (size_t i = 0; i < N; i++) ((double *)d->data)[i] = (double)(i % 10) - 5.0;
    ((double *)d->data)[0] = -0.0;     /* equals 0.0 */
    ((double *)d->data)[5] = 0.0;
    ((double *)d->data)[7] = NAN;
    ((double *)d->data)[8] = -NAN;     /* every NaN is one group */
    fl_type t = d->type;
    ex_ht_layout l;
    CHECK_OK(ex_ht_layout_init(&l, a, &t, 1, 1, NULL, 0, &err), &err);
    ex_ht ht;
    CHECK_OK(ex_ht_init(&ht, &l, a, 0, &err), &err);
    ex_vector k = {.kind = EX_VECTOR_FLAT, .col = d};
    uint64_t h[N];
    ex_hash_vectors(&k, 1, N, h);
    CHECK(h[0] == h[5]);
    CHECK(h[7] == h[8]);
    /* only the even rows */
    uint32_t sel[N / 2];
    for (size_t i = 0; i < N / 2; i++) sel[i] = (uint32_t)(2 * i);
    uint8_t *rows[N];
    size_t nc = 0;
    CHECK_OK(ex_ht_find_or_create(&ht, &k, h, NULL, sel, N / 2, rows, NULL, &nc, &err), &err);
    uint8_t *found[N];
    CHECK_OK(ex_ht_find(&ht, &k, h, NULL, N, found, &err), &err);
    int bad = 0;
    for (size_t i = 0; i < N; i++) {
        double v = ((double *)d->data)[i];
        bool even_value = false;
        for (size_t j = 0; j < N; j += 2) {
            double w = ((double *)d->data)[j];
            if (v == w || (isnan(v) && isnan(w))) even_value = true;
        }
        if (even_value != (found[i] != NULL)) bad++;
        if (i % 2 == 0 && found[i] != rows[i]) bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK(found[5] == rows[0] && found[5] != NULL);   /* 0.0 found as -0.0 */
    CHECK(found[7] == found[8] && found[8] != NULL);
    fl_arena_free(a);
}

TEST(ht_many_groups_and_merge)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    enum { N = 200000, GROUPS = 100000, T = 3 };
    fl_type t = fl_type_make(FL_TYPE_INT64);
    ex_ht_layout l;
    CHECK_OK(ex_ht_layout_init(&l, a, &t, 1, 1, NULL, 8, &err), &err);
    ex_ht local[T];
    fl_arena *arenas[T];
    int64_t *counts = fl_calloc(GROUPS, sizeof *counts);
    for (int th = 0; th < T; th++) {
        arenas[th] = fl_arena_new(0);
        CHECK_OK(ex_ht_init(&local[th], &l, arenas[th], 2, &err), &err);
        fl_column *c = fl_column_new(a, t, EX_CHUNK_ROWS);
        ex_vector k = {.kind = EX_VECTOR_FLAT, .col = c};
        for (size_t base = 0; base < N; base += EX_CHUNK_ROWS) {
            size_t n = N - base < EX_CHUNK_ROWS ? N - base : EX_CHUNK_ROWS;
            for (size_t i = 0; i < n; i++) {
                int64_t g = (int64_t)(rng() % GROUPS);
                ((int64_t *)c->data)[i] = g;
                counts[g]++;
            }
            c->len = n;
            uint64_t h[EX_CHUNK_ROWS];
            uint8_t *rows[EX_CHUNK_ROWS];
            ex_hash_vectors(&k, 1, n, h);
            CHECK_OK(ex_ht_find_or_create(&local[th], &k, h, NULL, NULL, n, rows, NULL, NULL, &err),
                     &err);
            for (size_t i = 0; i < n; i++) (*(int64_t *)ex_ht_row_state(&l, rows[i]))++;
        }
    }
    /* merge partition by partition, adopting rows */
    size_t total_groups = 0;
    int bad = 0;
    int64_t total = 0;
    for (uint32_t p = 0; p < 4; p++) {
        ex_ht merged;
        CHECK_OK(ex_ht_init(&merged, &l, a, 0, &err), &err);
        uint8_t *adopted_list[GROUPS];
        size_t adopted = 0;
        for (int th = 0; th < T; th++) {
            for (ex_row_block *b = local[th].parts[p].head; b; b = b->next) {
                for (uint32_t off = 0; off < b->count; off += EX_CHUNK_ROWS) {
                    uint32_t n = b->count - off < EX_CHUNK_ROWS ? b->count - off : EX_CHUNK_ROWS;
                    uint8_t *src[EX_CHUNK_ROWS], *found[EX_CHUNK_ROWS];
                    for (uint32_t i = 0; i < n; i++) src[i] = b->data + (size_t)(off + i) * l.row_width;
                    CHECK_OK(ex_ht_merge_rows(&merged, src, n, found, &err), &err);
                    for (uint32_t i = 0; i < n; i++) {
                        if (found[i])
                            *(int64_t *)ex_ht_row_state(&l, found[i]) +=
                                *(int64_t *)ex_ht_row_state(&l, src[i]);
                        else
                            adopted_list[adopted++] = src[i];
                    }
                }
            }
        }
        total_groups += adopted;
        for (size_t i = 0; i < adopted; i++) {
            int64_t g;
            memcpy(&g, adopted_list[i] + l.offsets[0], 8);
            if (ex_ht_partition(ex_ht_row_hash(adopted_list[i]), 2) != p) bad++;
            int64_t cnt = *(int64_t *)ex_ht_row_state(&l, adopted_list[i]);
            if (cnt != counts[g]) bad++;
            total += cnt;
        }
    }
    size_t expect_groups = 0;
    for (size_t g = 0; g < GROUPS; g++) expect_groups += counts[g] > 0;
    CHECK_EQ(bad, 0);
    CHECK_EQ(total_groups, expect_groups);
    CHECK_EQ(total, (int64_t)N * T);
    for (int th = 0; th < T; th++) fl_arena_free(arenas[th]);
    fl_free(counts);
    fl_arena_free(a);
}

TEST(ht_join_chains)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    enum { N = 3000 };
    fl_column *k = int_col(a, N, 500, 10);
    fl_column *payload = int_col(a, N, 1000000, 0);
    fl_type types[2] = {k->type, payload->type};
    bool null_eq = false;
    ex_ht_layout l;
    CHECK_OK(ex_ht_layout_init(&l, a, types, 1, 2, &null_eq, 0, &err), &err);
    ex_rows stores[2];
    ex_rows_init(&stores[0], &l, a);
    ex_rows_init(&stores[1], &l, a);
    ex_vector cols[2] = {{.kind = EX_VECTOR_FLAT, .col = k}, {.kind = EX_VECTOR_FLAT, .col = payload}};
    uint64_t h[N];
    ex_hash_vectors(cols, 1, N, h);
    uint32_t sel0[N], sel1[N];
    size_t n0 = 0, n1 = 0;
    for (uint32_t i = 0; i < N; i++) {
        if (i % 3) sel0[n0++] = i;
        else sel1[n1++] = i;
    }
    CHECK_OK(ex_rows_append(&stores[0], cols, h, sel0, n0, NULL, &err), &err);
    CHECK_OK(ex_rows_append(&stores[1], cols, h, sel1, n1, NULL, &err), &err);
    ex_rows *sp[2] = {&stores[0], &stores[1]};
    ex_join_ht jt;
    CHECK_OK(ex_join_ht_build(&jt, &l, sp, 2, a, NULL, &err), &err);
    CHECK_EQ(jt.row_count, N);
    CHECK(jt.has_null_key);
    /* every probe key 0..499: the chain holds exactly the rows with that key */
    int bad = 0;
    fl_column *probe = fl_column_new(a, k->type, 1);
    probe->len = 1;
    ex_vector pv = {.kind = EX_VECTOR_FLAT, .col = probe};
    for (int64_t key = 0; key < 500; key++) {
        ((int64_t *)probe->data)[0] = key;
        uint64_t ph;
        ex_hash_vectors(&pv, 1, 1, &ph);
        int64_t sum = 0, expect = 0;
        for (size_t i = 0; i < N; i++)
            if (fl_column_is_valid(k, i) && ((int64_t *)k->data)[i] == key)
                expect += ((int64_t *)payload->data)[i];
        for (uint8_t *row = ex_join_ht_head(&jt, ph); row; row = ex_ht_row_next(row)) {
            if (ex_ht_row_hash(row) != ph) continue;
            uint8_t *rows1[1] = {row};
            uint32_t s = 0, m;
            if (ex_ht_match_keys(&l, &pv, rows1, &s, 1, &m, NULL, NULL) == 1) {
                int64_t v;
                memcpy(&v, row + l.offsets[1], 8);
                sum += v;
            }
        }
        if (sum != expect) bad++;
    }
    CHECK_EQ(bad, 0);
    fl_arena_free(a);
}

TEST(ht_rejects_nested_keys)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    fl_type t = fl_type_make(FL_TYPE_LIST);
    ex_ht_layout l;
    CHECK_EQ(ex_ht_layout_init(&l, a, &t, 1, 1, NULL, 0, &err), FLOE_EUNSUPPORTED);
    CHECK(strstr(err.message, "list") != NULL);
    fl_arena_free(a);
}

TEST(ht_wide_decimal_and_date_keys)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err;
    enum { N = 2000 };
    fl_type types[2] = {fl_type_decimal(38, 2), fl_type_make(FL_TYPE_DATE)};
    fl_column *d = fl_column_new(a, types[0], N), *dt = fl_column_new(a, types[1], N);
    d->len = dt->len = N;
    for (size_t i = 0; i < N; i++) {
        /* values differing only in the high 64 bits must not collide */
        fl_int128 v = (fl_int128)(rng() % 7) << 64 | (fl_int128)(rng() % 5);
        ((fl_int128 *)d->data)[i] = rng() % 2 ? v : -v;
        ((int32_t *)dt->data)[i] = (int32_t)(rng() % 4) - 2;
        if (rng() % 13 == 0) fl_column_set_null(d, i);
    }
    fl_column *cols[2] = {d, dt};
    ex_ht_layout l;
    CHECK_OK(ex_ht_layout_init(&l, a, types, 2, 2, NULL, 0, &err), &err);
    ex_ht ht;
    CHECK_OK(ex_ht_init(&ht, &l, a, 0, &err), &err);
    ex_vector keys[2] = {{.kind = EX_VECTOR_FLAT, .col = d}, {.kind = EX_VECTOR_FLAT, .col = dt}};
    uint64_t h[N];
    uint8_t *rows[N];
    ex_hash_vectors(keys, 2, N, h);
    size_t nc = 0;
    CHECK_OK(ex_ht_find_or_create(&ht, keys, h, NULL, NULL, N, rows, NULL, &nc, &err), &err);
    int bad = 0;
    size_t groups = 0;
    for (size_t i = 0; i < N; i++) {
        size_t j = 0;
        for (; j < i; j++) {
            bool vi = fl_column_is_valid(d, i), vj = fl_column_is_valid(d, j);
            bool eq = vi == vj && (!vi || ((fl_int128 *)d->data)[i] == ((fl_int128 *)d->data)[j]) &&
                      ((int32_t *)dt->data)[i] == ((int32_t *)dt->data)[j];
            if (eq) break;
        }
        if (j == i) groups++;
        else if (rows[i] != rows[j]) bad++;
    }
    (void)cols;
    CHECK_EQ(bad, 0);
    CHECK_EQ(nc, groups);
    CHECK(groups > 100);
    fl_arena_free(a);
}
