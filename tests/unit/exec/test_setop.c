/*
 * test_setop.c: DISTINCT (op/distinct.c) and the set operations
 * (op/setop.c: UNION ALL, UNION, INTERSECT [ALL], EXCEPT [ALL]) through the
 * pipeline runner against a naive multiset computation, on rows with NULLs
 * and duplicates, on one and two threads, with empty inputs.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/alloc.h"
#include "ja_test_util.h"

static const char *words[] = {"web", "store", "", "catalog"};

/* (a int64 NULL 1/6 in [0, range), s string NULL 1/7) */
static void make_rows(ja_table *t, fl_arena *a, size_t n, uint64_t range, uint32_t index)
{
    fl_type types[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING)};
    ja_table_init(t, a, types, 2, index);
    for (size_t i = 0; i < n; i++) {
        fl_value row[2];
        row[0] = ja_rand() % 6 == 0 ? ja_null(types[0]) : ja_i64((int64_t)(ja_rand() % range));
        row[1] = ja_rand() % 7 == 0 ? ja_null(types[1]) : ja_str(words[ja_rand() % 4]);
        ja_table_add(t, a, row);
    }
}

static char *row_key(const fl_value *v, uint32_t n)
{
    fl_buf b;
    fl_buf_init(&b);
    for (uint32_t c = 0; c < n; c++) {
        if (v[c].is_null) fl_buf_append_str(&b, "N|");
        else if (v[c].type.id == FL_TYPE_STRING)
            fl_buf_appendf(&b, "s%.*s|", (int)v[c].v.s.len, v[c].v.s.ptr);
        else fl_buf_appendf(&b, "%lld|", (long long)v[c].v.i64);
    }
    char *s = fl_strdup(fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    return s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct keys {
    char **k;
    size_t n;
} keys;

static keys table_keys(const ja_table *t)
{
    keys out = {fl_calloc(t->rows + 1, sizeof(char *)), t->rows};
    for (size_t r = 0; r < t->rows; r++) {
        fl_value v[2];
        ja_table_get(t, r, 0, &v[0]);
        ja_table_get(t, r, 1, &v[1]);
        out.k[r] = row_key(v, 2);
    }
    qsort(out.k, out.n, sizeof *out.k, cmp_str);
    return out;
}

static keys result_keys(const ex_result *res)
{
    keys out = {fl_calloc((size_t)res->row_count + 1, sizeof(char *)), (size_t)res->row_count};
    for (size_t r = 0; r < out.n; r++) {
        fl_value v[2];
        ja_result_get(res, r, 0, &v[0]);
        ja_result_get(res, r, 1, &v[1]);
        out.k[r] = row_key(v, 2);
    }
    qsort(out.k, out.n, sizeof *out.k, cmp_str);
    return out;
}

static void keys_free(keys *k)
{
    for (size_t i = 0; i < k->n; i++) fl_free(k->k[i]);
    fl_free(k->k);
}

static size_t count_of(const keys *k, const char *s)
{
    size_t c = 0;
    for (size_t i = 0; i < k->n; i++) c += strcmp(k->k[i], s) == 0;
    return c;
}

/* The expected multiset of kind over l and r (sorted). */
static keys expected(plan_setop_kind kind, const keys *l, const keys *r)
{
    keys out = {fl_calloc(l->n + r->n + 1, sizeof(char *)), 0};
    const keys *sides[2] = {l, r};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sides[s]->n; i++) {
            const char *k = sides[s]->k[i];
            if (kind == PLAN_UNION_ALL) {
                out.k[out.n++] = fl_strdup(k);
                continue;
            }
            /* each distinct row once (first occurrence over l then r) */
            if (i > 0 && strcmp(sides[s]->k[i - 1], k) == 0) continue;
            if (s == 1 && count_of(l, k)) continue;
            size_t cl = count_of(l, k), cr = count_of(r, k), n = 0;
            switch (kind) {
            case PLAN_UNION: n = 1; break;
            case PLAN_INTERSECT: n = cl && cr; break;
            case PLAN_INTERSECT_ALL: n = cl < cr ? cl : cr; break;
            case PLAN_EXCEPT: n = cl && !cr; break;
            case PLAN_EXCEPT_ALL: n = cl > cr ? cl - cr : 0; break;
            default: break;
            }
            for (size_t j = 0; j < n; j++) out.k[out.n++] = fl_strdup(k);
        }
    qsort(out.k, out.n, sizeof *out.k, cmp_str);
    return out;
}

static size_t diff_keys(const keys *a, const keys *b)
{
    size_t d = a->n > b->n ? a->n - b->n : b->n - a->n;
    for (size_t i = 0; i < a->n && i < b->n; i++) d += strcmp(a->k[i], b->k[i]) != 0;
    return d;
}

static size_t check_setop(int threads, plan_setop_kind kind, size_t ln, size_t rn)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_table l, r;
    make_rows(&l, env.arena, ln, 30, 1);
    make_rows(&r, env.arena, rn, 30, 2);
    plan_node *node = plan_node_new(env.arena, PLAN_SETOP, 2);
    node->children[0] = ja_table_node(&l, env.arena);
    node->children[1] = ja_table_node(&r, env.arena);
    node->table_index = 5;
    node->u.setop.kind = kind;
    node->u.setop.column_count = 2;
    node->u.setop.types = l.types;
    ex_op *op;
    size_t d = 1;
    if (CHECK_OK(ex_setop_new(&op, node, ja_table_op(&l, node->children[0], env.arena),
                              ja_table_op(&r, node->children[1], env.arena), &env.ctx, &env.err),
                 &env.err)) {
        ex_result res;
        if (CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err)) {
            keys lk = table_keys(&l), rk = table_keys(&r);
            keys want = expected(kind, &lk, &rk), got = result_keys(&res);
            d = diff_keys(&got, &want);
            if (d) printf("setop %d (%zu x %zu, %d threads): %zu rows, want %zu\n", kind, ln, rn,
                          threads, got.n, want.n);
            keys_free(&lk);
            keys_free(&rk);
            keys_free(&want);
            keys_free(&got);
        }
    }
    ja_env_dispose(&env);
    return d;
}

TEST(setop_every_kind)
{
    ja_seed(21);
    static const plan_setop_kind kinds[] = {PLAN_UNION_ALL, PLAN_UNION, PLAN_INTERSECT,
                                            PLAN_INTERSECT_ALL, PLAN_EXCEPT, PLAN_EXCEPT_ALL};
    for (size_t i = 0; i < FL_ARRAY_SIZE(kinds); i++) {
        CHECK_EQ(check_setop(1, kinds[i], 3000, 2500), 0);
        CHECK_EQ(check_setop(2, kinds[i], 4500, 3000), 0);
        CHECK_EQ(check_setop(2, kinds[i], 0, 700), 0);
        CHECK_EQ(check_setop(2, kinds[i], 700, 0), 0);
    }
}

TEST(distinct_matches_naive)
{
    for (int threads = 1; threads <= 2; threads++) {
        ja_env env;
        ja_env_init(&env, threads);
        ja_seed(22);
        ja_table t;
        make_rows(&t, env.arena, 9000, 200, 1);
        plan_node *node = plan_node_new(env.arena, PLAN_DISTINCT, 1);
        node->children[0] = ja_table_node(&t, env.arena);
        ex_op *op;
        CHECK_OK(ex_distinct_new(&op, node, ja_table_op(&t, node->children[0], env.arena),
                                 &env.ctx, &env.err),
                 &env.err);
        CHECK_STR(op->vt->name, "HASH_DISTINCT");
        ex_result res;
        CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err);
        keys all = table_keys(&t), got = result_keys(&res);
        keys want = {fl_calloc(all.n + 1, sizeof(char *)), 0};
        for (size_t i = 0; i < all.n; i++)
            if (i == 0 || strcmp(all.k[i - 1], all.k[i]) != 0) want.k[want.n++] = fl_strdup(all.k[i]);
        CHECK_EQ(diff_keys(&got, &want), 0);
        CHECK(want.n > 100);
        keys_free(&all);
        keys_free(&got);
        keys_free(&want);
        ja_env_dispose(&env);
    }
}
