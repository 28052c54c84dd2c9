/*
 * test_join_right.c: the hash join's RIGHT_SEMI / RIGHT_ANTI types
 * (op/hash_join.c; plan.h: the right child's rows with / without a match in
 * the left child, left = probe, right = build) against a naive loop, on
 * random data with NULL and duplicate keys on both sides, a residual
 * (l.v < r.v), int + string keys (hashed on the integer alone, and the
 * fallback to hashing both when the integers repeat), empty sides, one and
 * two threads and a build large enough to link in parallel; and the row
 * layout of the join hash table (key columns shared with payload columns,
 * bucket tags).
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/hashmap.h"
#include "../../../src/exec/hashtable.h"
#include "ja_test_util.h"

static const char *rj_words[] = {"web", "store", "", "a much longer string key"};

/* (k int64 NULL 1/10, s string NULL 1/9, v int64) */
static void rj_side(ja_table *t, fl_arena *a, size_t n, uint64_t krange, uint32_t index)
{
    fl_type types[3] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_INT64)};
    ja_table_init(t, a, types, 3, index);
    for (size_t i = 0; i < n; i++) {
        fl_value row[3];
        row[0] = ja_rand() % 10 == 0 ? ja_null(types[0]) : ja_i64((int64_t)(ja_rand() % krange));
        row[1] = ja_rand() % 9 == 0 ? ja_null(types[1]) : ja_str(rj_words[ja_rand() % 4]);
        row[2] = ja_i64((int64_t)(ja_rand() % 50));
        ja_table_add(t, a, row);
    }
}

typedef struct rj_spec {
    plan_join_type type;
    bool string_key;           /* l.s = r.s (SQL '=') as a second key */
    bool residual;             /* l.v < r.v */
} rj_spec;

static bool rj_match(const ja_table *l, size_t i, const ja_table *r, size_t j, const rj_spec *s)
{
    fl_value a, b;
    ja_table_get(l, i, 0, &a);
    ja_table_get(r, j, 0, &b);
    if (a.is_null || b.is_null || a.v.i64 != b.v.i64) return false;
    if (s->string_key) {
        ja_table_get(l, i, 1, &a);
        ja_table_get(r, j, 1, &b);
        if (a.is_null || b.is_null || !ja_value_eq(&a, &b)) return false;
    }
    if (s->residual) {
        ja_table_get(l, i, 2, &a);
        ja_table_get(r, j, 2, &b);
        if (!(a.v.i64 < b.v.i64)) return false;
    }
    return true;
}

static plan_node *rj_node(fl_arena *a, const ja_table *l, const ja_table *r, const rj_spec *s)
{
    plan_node *n = fl_arena_calloc(a, sizeof *n);
    n->kind = PLAN_JOIN;
    n->children = fl_arena_alloc(a, 2 * sizeof *n->children);
    n->children[0] = ja_table_node(l, a);
    n->children[1] = ja_table_node(r, a);
    n->child_count = 2;
    n->u.join.type = s->type;
    plan_join_cond *conds = fl_arena_calloc(a, 3 * sizeof *conds);
    uint32_t nc = 0;
    if (s->string_key) {       /* the string first: the join hashes the integer */
        conds[nc].left = ja_colref(a, l->table_index, 1, l->types[1]);
        conds[nc].right = ja_colref(a, r->table_index, 1, r->types[1]);
        conds[nc++].cmp = PLAN_CMP_EQ;
    }
    conds[nc].left = ja_colref(a, l->table_index, 0, l->types[0]);
    conds[nc].right = ja_colref(a, r->table_index, 0, r->types[0]);
    conds[nc++].cmp = PLAN_CMP_EQ;
    if (s->residual) {
        conds[nc].left = ja_colref(a, l->table_index, 2, l->types[2]);
        conds[nc].right = ja_colref(a, r->table_index, 2, r->types[2]);
        conds[nc++].cmp = PLAN_CMP_LT;
    }
    n->u.join.conds = conds;
    n->u.join.cond_count = nc;
    return n;
}

/* One right row as text: its values and its position (duplicates differ). */
static char *rj_row_text(const ja_table *r, size_t j, const fl_value *vals)
{
    fl_buf b;
    fl_buf_init(&b);
    for (uint32_t c = 0; c < r->col_count; c++) {
        fl_value v;
        if (vals) v = vals[c];
        else ja_table_get(r, j, c, &v);
        if (v.is_null) fl_buf_append_str(&b, "N|");
        else if (v.type.id == FL_TYPE_STRING)
            fl_buf_appendf(&b, "s%.*s|", (int)v.v.s.len, v.v.s.ptr);
        else fl_buf_appendf(&b, "%lld|", (long long)v.v.i64);
    }
    char *s = fl_strdup(fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    return s;
}

static int rj_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the join and the naive loop; returns the number of differing rows. */
static size_t rj_check(int threads, size_t ln, size_t rn, uint64_t krange, const rj_spec *s)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_table l, r;
    rj_side(&l, env.arena, ln, krange * 3 / 2 + 1, 1);
    rj_side(&r, env.arena, rn, krange, 2);
    plan_node *node = rj_node(env.arena, &l, &r, s);
    ex_op *op;
    ex_result res;
    size_t diff = 1;
    if (!CHECK_OK(ex_hash_join_new(&op, node, ja_table_op(&l, node->children[0], env.arena),
                                   ja_table_op(&r, node->children[1], env.arena), &env.ctx,
                                   &env.err),
                  &env.err) ||
        !CHECK_EQ(op->col_count, 3) ||
        !CHECK_OK(ex_run(&res, ja_pass_op(op, env.arena), &env.ctx, &env.err), &env.err)) {
        ja_env_dispose(&env);
        return diff;
    }
    char **want = fl_calloc(rn + 1, sizeof *want), **got = fl_calloc((size_t)res.row_count + 1, sizeof *got);
    size_t nw = 0, ng = (size_t)res.row_count;
    for (size_t j = 0; j < rn; j++) {
        bool hit = false;
        for (size_t i = 0; i < ln && !hit; i++) hit = rj_match(&l, i, &r, j, s);
        if (hit == (s->type == PLAN_JOIN_RIGHT_SEMI)) want[nw++] = rj_row_text(&r, j, NULL);
    }
    for (size_t k = 0; k < ng; k++) {
        fl_value v[3];
        for (uint32_t c = 0; c < 3; c++) ja_result_get(&res, k, c, &v[c]);
        got[k] = rj_row_text(&r, 0, v);
    }
    qsort(want, nw, sizeof *want, rj_cmp);
    qsort(got, ng, sizeof *got, rj_cmp);
    diff = ng > nw ? ng - nw : nw - ng;
    for (size_t k = 0; k < ng && k < nw; k++) diff += strcmp(got[k], want[k]) != 0;
    if (diff)
        printf("type %d (string %d, residual %d, %zux%zu, %d threads): %zu rows, want %zu\n",
               s->type, s->string_key, s->residual, ln, rn, threads, ng, nw);
    for (size_t k = 0; k < nw; k++) fl_free(want[k]);
    for (size_t k = 0; k < ng; k++) fl_free(got[k]);
    fl_free(want);
    fl_free(got);
    ja_env_dispose(&env);
    return diff;
}

TEST(hash_join_right_semi_anti)
{
    ja_seed(41);
    plan_join_type types[2] = {PLAN_JOIN_RIGHT_SEMI, PLAN_JOIN_RIGHT_ANTI};
    for (int t = 0; t < 2; t++) {
        for (int v = 0; v < 4; v++) {
            rj_spec s = {types[t], v & 1, (v & 2) != 0};
            CHECK_EQ(rj_check(1, 3000, 400, 300, &s), 0);
            CHECK_EQ(rj_check(2, 3000, 400, 300, &s), 0);
            /* few keys: long chains on both sides, every build row reached
             * by many probe rows (and the integer-only hash falls back) */
            CHECK_EQ(rj_check(2, 2500, 300, 4, &s), 0);
        }
    }
}

TEST(hash_join_right_semi_anti_empty_sides)
{
    ja_seed(42);
    plan_join_type types[2] = {PLAN_JOIN_RIGHT_SEMI, PLAN_JOIN_RIGHT_ANTI};
    for (int t = 0; t < 2; t++) {
        rj_spec s = {types[t], false, true};
        CHECK_EQ(rj_check(2, 0, 500, 50, &s), 0);    /* ANTI: every build row, NULL keys too */
        CHECK_EQ(rj_check(2, 500, 0, 50, &s), 0);
        CHECK_EQ(rj_check(1, 0, 0, 50, &s), 0);
    }
}

TEST(hash_join_right_semi_anti_parallel_build)
{
    /* >= 65536 build rows: linked on the pool (atomic prepends), emitted
     * by both threads */
    ja_seed(43);
    rj_spec s = {PLAN_JOIN_RIGHT_ANTI, false, false};
    CHECK_EQ(rj_check(2, 300, 70000, 100000, &s), 0);
    rj_spec s2 = {PLAN_JOIN_RIGHT_SEMI, false, false};
    CHECK_EQ(rj_check(2, 300, 70000, 100000, &s2), 0);
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
