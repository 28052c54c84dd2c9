/*
 * test_dictrev_agg.c: review tests for GROUP BY one dictionary column in
 * the hash aggregate (op/hash_agg.c find_groups_dict), fed dictionary
 * vectors straight from a test source as the pipeline runner passes them
 * to a dict_sink: dictionaries with repeated entries and a NULL entry,
 * a new dictionary id with the same entry count but other strings, the
 * first dictionary again after it, a flat chunk between, a dictionary of
 * more than 65,536 entries, and one whose rows bring a new entry each (the
 * map is abandoned mid-dictionary); plain, FILTER, DISTINCT and ROLLUP
 * aggregates on one and two threads, all against a sort-based reference.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ja_test_util.h"

#define STR fl_type_make(FL_TYPE_STRING)
#define I64 fl_type_make(FL_TYPE_INT64)
#define BOOLT fl_type_make(FL_TYPE_BOOL)

typedef struct dict_def {
    fl_column *values;
    uint64_t id;
} dict_def;

static dict_def make_dict(fl_arena *a, const char *const *ents, size_t n, const char *fmt)
{
    dict_def d = {NULL, fl_dict_next_id()};
    fl_error err;
    CHECK_OK(ex_column_alloc(&d.values, a, STR, n, &err), &err);
    for (size_t i = 0; i < n; i++) {
        fl_value v = {.type = STR};
        if (ents && !ents[i]) {
            v.is_null = true;
        } else if (ents) {
            v.v.s = fl_strv_cstr(ents[i]);
        } else {
            char buf[32];
            int len = snprintf(buf, sizeof buf, fmt, (int)i);
            char *p = fl_arena_alloc(a, (size_t)len);
            memcpy(p, buf, (size_t)len);
            v.v.s = fl_strv_make(p, (size_t)len);
        }
        CHECK_OK(ex_column_set(d.values, i, &v, &err), &err);
    }
    return d;
}

/* Appends `rows` rows (k, v, f) to t as one chunk whose k is a dictionary
 * vector over d (entry of row i: idx[i]), or flat when d is NULL. */
static void add_chunk(ja_table *t, fl_arena *a, const dict_def *d, const uint32_t *idx,
                      size_t rows, const char *const *flat_keys, size_t flat_n)
{
    CHECK(t->chunk_count == 0 || t->chunks[t->chunk_count - 1].count == EX_CHUNK_ROWS);
    for (size_t i = 0; i < rows; i++) {
        fl_value row[3];
        if (d) {
            fl_column_get(d->values, idx[i], &row[0]);
            row[0].type = STR;
            row[0].is_null = !fl_column_is_valid(d->values, idx[i]);
        } else {
            row[0] = ja_str(flat_keys[ja_rand() % flat_n]);
        }
        row[1] = ja_i64((int64_t)(ja_rand() % 10));
        row[2] = ja_bool(ja_rand() % 3 == 0);
        ja_table_add(t, a, row);
    }
    ex_chunk *c = &t->chunks[t->chunk_count - 1];
    CHECK_EQ(c->count, rows);
    if (d) {
        fl_dict_column dc = {.values = d->values, .idx = idx, .len = rows, .id = d->id};
        ex_vector_from_dict(&c->cols[0], &dc);
    }
}

typedef struct ref_row {
    fl_value k;
    int64_t v;
    bool f;
} ref_row;

static int cmp_key(const fl_value *a, const fl_value *b)
{
    if (a->is_null || b->is_null) return (int)b->is_null - (int)a->is_null;
    size_t n = a->v.s.len < b->v.s.len ? a->v.s.len : b->v.s.len;
    int c = n ? memcmp(a->v.s.ptr, b->v.s.ptr, n) : 0;
    return c ? c : (a->v.s.len > b->v.s.len) - (a->v.s.len < b->v.s.len);
}

static int cmp_ref(const void *x, const void *y)
{
    const ref_row *a = x, *b = y;
    int c = cmp_key(&a->k, &b->k);
    return c ? c : (a->v > b->v) - (a->v < b->v);
}

typedef struct group {
    fl_value k;
    int64_t count, sum, filtered, distinct;
} group;

static int cmp_group(const void *x, const void *y)
{
    return cmp_key(&((const group *)x)->k, &((const group *)y)->k);
}

enum { PLAIN, FILTERED, DISTINCT, ROLLUP };

static void run_case(int threads, int variant)
{
    ja_env env;
    ja_env_init(&env, threads);
    fl_arena *a = env.arena;
    ja_seed(11 + (uint64_t)variant);
    static const char *const E1[] = {"x", "y", "x", "z", "", NULL};
    static const char *const E2[] = {"z", "x", "q", "y", "p", NULL};
    static const char *const FLAT[] = {"x", "w", "q"};
    dict_def d1 = make_dict(a, E1, 6, NULL), d2 = make_dict(a, E2, 6, NULL);
    dict_def big = make_dict(a, NULL, 70000, "h%d"), uniq = make_dict(a, NULL, 5000, "u%d");
    fl_type types[3] = {STR, I64, BOOLT};
    ja_table t;
    ja_table_init(&t, a, types, 3, 1);
    static uint32_t idx[10][EX_CHUNK_ROWS];
    size_t chunk = 0;
    /* only the last chunk is partial (the test table fills chunks in turn) */
    const dict_def *plan[] = {&d1, &d1, NULL, &d2, &d1, &d2, &uniq, &uniq, &d1, &big};
    uint32_t next_unique = 0;
    for (size_t p = 0; p < FL_ARRAY_SIZE(plan); p++, chunk++) {
        size_t rows = plan[p] == &big ? 500 : EX_CHUNK_ROWS;
        for (size_t i = 0; i < rows; i++) {
            if (plan[p] == &uniq) idx[chunk][i] = next_unique++;
            else if (plan[p] == &big) idx[chunk][i] = (uint32_t)(ja_rand() % 70000);
            else idx[chunk][i] = (uint32_t)(ja_rand() % 6);
        }
        add_chunk(&t, a, plan[p], idx[chunk], rows, FLAT, 3);
    }
    size_t nrows = 0;
    for (size_t c = 0; c < t.chunk_count; c++) nrows += t.chunks[c].count;
    /* the reference: rows sorted by (k, v), folded per key */
    ref_row *ref = fl_arena_alloc(a, nrows * sizeof *ref);
    size_t r = 0;
    for (size_t c = 0; c < t.chunk_count; c++)
        for (size_t i = 0; i < t.chunks[c].count; i++, r++) {
            fl_value v, f;
            ex_vector_get(&t.chunks[c].cols[0], i, &ref[r].k);
            ref[r].k.is_null = !ex_vector_is_valid(&t.chunks[c].cols[0], i);
            ex_vector_get(&t.chunks[c].cols[1], i, &v);
            ex_vector_get(&t.chunks[c].cols[2], i, &f);
            ref[r].v = v.v.i64;
            ref[r].f = f.v.b;
        }
    qsort(ref, nrows, sizeof *ref, cmp_ref);
    group *want = fl_arena_calloc(a, (nrows + 1) * sizeof *want);
    size_t ng = 0;
    for (size_t i = 0; i < nrows; i++) {
        bool same = ng > 0 && cmp_key(&want[ng - 1].k, &ref[i].k) == 0;
        if (!same) want[ng++].k = ref[i].k;
        group *g = &want[ng - 1];
        g->count++;
        g->sum += ref[i].v;
        g->filtered += ref[i].f;
        g->distinct += !same || ref[i - 1].v != ref[i].v;
    }
    /* the aggregate */
    plan_node *child = ja_table_node(&t, a);
    plan_expr **groups = fl_arena_alloc(a, sizeof *groups);
    groups[0] = ja_colref(a, 1, 0, STR);
    plan_expr **aggs = fl_arena_alloc(a, 3 * sizeof *aggs);
    plan_expr *v = ja_colref(a, 1, 1, I64), *f = ja_colref(a, 1, 2, BOOLT);
    aggs[0] = ja_agg(a, "count_star", NULL, false, NULL);
    aggs[1] = ja_agg(a, "sum", v, false, NULL);
    aggs[2] = variant == FILTERED ? ja_agg(a, "count_star", NULL, false, f)
              : variant == DISTINCT ? ja_agg(a, "count", v, true, NULL)
                                    : ja_agg(a, "count", v, false, NULL);
    plan_node *node = fl_arena_calloc(a, sizeof *node);
    node->kind = PLAN_AGGREGATE;
    node->children = fl_arena_alloc(a, sizeof *node->children);
    node->children[0] = child;
    node->child_count = 1;
    node->u.aggregate.groups = groups;
    node->u.aggregate.group_count = 1;
    node->u.aggregate.aggs = aggs;
    node->u.aggregate.agg_count = 3;
    node->u.aggregate.group_index = 10;
    node->u.aggregate.agg_index = 11;
    node->u.aggregate.grouping_index = 12;
    plan_expr *gexpr = NULL;
    if (variant == ROLLUP) {
        static uint64_t sets[2] = {1, 0};
        node->u.aggregate.sets = sets;
        node->u.aggregate.set_count = 2;
        gexpr = fl_arena_calloc(a, sizeof *gexpr);
        gexpr->kind = PLAN_EX_GROUPING;
        gexpr->type = I64;
        gexpr->args = fl_arena_alloc(a, sizeof *gexpr->args);
        gexpr->args[0] = ja_colref(a, 10, 0, STR);
        gexpr->arg_count = 1;
        node->u.aggregate.groupings = &gexpr;
        node->u.aggregate.grouping_count = 1;
    }
    ex_op *src = ja_table_op(&t, child, a), *op = NULL;
    CHECK_OK(ex_hash_agg_new(&op, node, src, &env.ctx, &env.err), &env.err);
    ex_result res;
    CHECK_OK(ex_run(&res, op, &env.ctx, &env.err), &env.err);
    group *got = fl_arena_calloc(a, ((size_t)res.row_count + 1) * sizeof *got);
    size_t n = 0, totals = 0;
    int bad = 0;
    for (size_t i = 0; i < (size_t)res.row_count; i++) {
        fl_value x[4];
        for (uint32_t c = 0; c < 4; c++) ja_result_get(&res, i, c, &x[c]);
        if (variant == ROLLUP) {
            fl_value gv;
            ja_result_get(&res, i, 4, &gv);
            if (gv.v.i64 == 1) {   /* the grand total */
                totals++;
                bad += x[1].v.i64 != (int64_t)nrows;
                continue;
            }
        }
        got[n].k = x[0];
        got[n].count = x[1].v.i64;
        got[n].sum = x[2].v.i64;
        got[n].filtered = got[n].distinct = x[3].v.i64;
        n++;
    }
    qsort(got, n, sizeof *got, cmp_group);
    CHECK_EQ(n, ng);
    CHECK_EQ(totals, variant == ROLLUP ? 1 : 0);
    for (size_t i = 0; i < n && i < ng; i++) {
        const group *w = &want[i], *g = &got[i];
        int64_t third = variant == FILTERED ? w->filtered : variant == DISTINCT ? w->distinct : w->count;
        if (cmp_key(&w->k, &g->k) != 0 || w->count != g->count || w->sum != g->sum ||
            third != g->filtered)
            bad++;
    }
    CHECK_EQ(bad, 0);
    ja_env_dispose(&env);
}

TEST(dictrev_agg_dictionary_key_one_thread) { run_case(1, PLAIN); }
TEST(dictrev_agg_dictionary_key_two_threads) { run_case(2, PLAIN); }
TEST(dictrev_agg_dictionary_key_filter) { run_case(2, FILTERED); }
TEST(dictrev_agg_dictionary_key_distinct) { run_case(2, DISTINCT); }
TEST(dictrev_agg_dictionary_key_rollup) { run_case(2, ROLLUP); }
