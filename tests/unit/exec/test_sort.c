/*
 * test_sort.c: the normalized-key sort (src/exec/sort.h) against a qsort
 * reference: every key type, NULLS FIRST/LAST, ASC/DESC, multi-key with
 * long strings sharing prefixes, row buffers, runs and their merge.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/exec/sort.h"
#include "../test.h"

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const char *WORDS[] = {"", "a", "ab", "abc", "b", "zz", "abcdefghijklmnop1",
                              "abcdefghijklmnop2", "abcdefghijklmnop", "\xc3\xa9t\xc3\xa9"};

/* A column of n random values of type t, ~1/8 NULL, few distinct values. */
static fl_column *random_column(fl_arena *a, fl_type t, size_t n)
{
    fl_column *c = fl_column_new(a, t, n);
    c->len = n;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rnd();
        if (r % 8 == 0) {
            fl_column_set_null(c, i);
            continue;
        }
        int64_t v = (int64_t)((r >> 8) % 21) - 10;
        switch ((fl_type_id)t.id) {
        case FL_TYPE_BOOL: ((uint8_t *)c->data)[i] = (uint8_t)(v & 1); break;
        case FL_TYPE_INT8: ((int8_t *)c->data)[i] = (int8_t)(v * 12); break;
        case FL_TYPE_INT16: ((int16_t *)c->data)[i] = (int16_t)(v * 3000); break;
        case FL_TYPE_INT32: case FL_TYPE_DATE: ((int32_t *)c->data)[i] = (int32_t)(v * 100000000); break;
        case FL_TYPE_INT64: case FL_TYPE_TIMESTAMP:
            ((int64_t *)c->data)[i] = v * 400000000000000000ll;
            break;
        case FL_TYPE_UINT32: ((uint32_t *)c->data)[i] = (uint32_t)(v + 10) * 400000000u; break;
        case FL_TYPE_DOUBLE: {
            double d = v == 7 ? NAN : v == -7 ? -0.0 : v == 6 ? INFINITY : (double)v / 3;
            ((double *)c->data)[i] = d;
            break;
        }
        case FL_TYPE_FLOAT: ((float *)c->data)[i] = v == 5 ? -INFINITY : (float)v / 7; break;
        case FL_TYPE_DECIMAL:
            if (fl_decimal_is_wide(t)) ((fl_int128 *)c->data)[i] = (fl_int128)v * ((fl_int128)1 << 80);
            else ((int64_t *)c->data)[i] = v * 12345;
            break;
        case FL_TYPE_STRING: {
            const char *w = WORDS[(r >> 8) % FL_ARRAY_SIZE(WORDS)];
            ((fl_strv *)c->data)[i] = fl_strv_cstr(w);
            break;
        }
        default: break;
        }
    }
    return c;
}

/* Reference comparison with the same rules (NULL order, DESC, NaN last, -0 = 0). */
static int ref_value_cmp(const fl_column *c, size_t a, size_t b)
{
    switch ((fl_type_id)c->type.id) {
    case FL_TYPE_DOUBLE: {
        double x = ((double *)c->data)[a], y = ((double *)c->data)[b];
        if (isnan(x) || isnan(y)) return isnan(x) - isnan(y);
        return x < y ? -1 : x > y;
    }
    case FL_TYPE_FLOAT: {
        float x = ((float *)c->data)[a], y = ((float *)c->data)[b];
        return x < y ? -1 : x > y;
    }
    case FL_TYPE_UINT32: {
        uint32_t x = ((uint32_t *)c->data)[a], y = ((uint32_t *)c->data)[b];
        return x < y ? -1 : x > y;
    }
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(c->type)) {
            fl_int128 x = ((fl_int128 *)c->data)[a], y = ((fl_int128 *)c->data)[b];
            return x < y ? -1 : x > y;
        }
        /* fall through */
    default: {
        fl_value x, y;
        fl_column_get(c, a, &x);
        fl_column_get(c, b, &y);
        return fl_value_cmp(&x, &y);
    }
    }
}

static fl_column **g_cols;
static const ex_sort_key *g_keys;
static uint32_t g_nkeys;

static int ref_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    for (uint32_t k = 0; k < g_nkeys; k++) {
        const fl_column *c = g_cols[k];
        bool va = fl_column_is_valid(c, a), vb = fl_column_is_valid(c, b);
        int r;
        if (!va || !vb) {
            if (va == vb) continue;
            r = va ? 1 : -1;
            if (!g_keys[k].nulls_first) r = -r;
            return r;
        }
        r = ref_value_cmp(c, a, b);
        if (r) return g_keys[k].desc ? -r : r;
    }
    return a < b ? -1 : a > b;   /* stable */
}

static void check_sort(fl_type *types, uint32_t nkeys, size_t n, unsigned variant)
{
    fl_arena *a = fl_arena_new(0);
    fl_column **cols = fl_arena_alloc(a, nkeys * sizeof(*cols));
    ex_sort_key keys[8];
    for (uint32_t k = 0; k < nkeys; k++) {
        cols[k] = random_column(a, types[k], n);
        keys[k].col = k;
        keys[k].desc = (variant >> k) & 1;
        keys[k].nulls_first = (variant >> (k + 4)) & 1;
    }
    uint32_t *perm = fl_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *ref = fl_arena_alloc(a, n * sizeof(uint32_t));
    fl_error err = {0};
    CHECK_OK(ex_sort_columns(perm, cols, keys, nkeys, n, &err), &err);
    for (size_t i = 0; i < n; i++) ref[i] = (uint32_t)i;
    g_cols = cols;
    g_keys = keys;
    g_nkeys = nkeys;
    qsort(ref, n, sizeof(uint32_t), ref_cmp);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (perm[i] != ref[i]) bad++;
    CHECK_EQ(bad, 0);
    fl_arena_free(a);
}

TEST(sort_every_type_single_key)
{
    fl_type types[] = {fl_type_make(FL_TYPE_BOOL), fl_type_make(FL_TYPE_INT8),
                       fl_type_make(FL_TYPE_INT16), fl_type_make(FL_TYPE_INT32),
                       fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_UINT32),
                       fl_type_make(FL_TYPE_FLOAT), fl_type_make(FL_TYPE_DOUBLE),
                       fl_type_decimal(7, 2), fl_type_decimal(38, 4), fl_type_make(FL_TYPE_DATE),
                       fl_type_make(FL_TYPE_TIMESTAMP), fl_type_make(FL_TYPE_STRING)};
    for (size_t t = 0; t < FL_ARRAY_SIZE(types); t++)
        for (unsigned variant = 0; variant < 4; variant++)
            check_sort(&types[t], 1, 3000, variant == 0 ? 0 : variant == 1 ? 1 : variant == 2 ? 16 : 17);
}

TEST(sort_multi_key_strings_first)
{
    /* a string key with shared 12-byte prefixes followed by more keys */
    fl_type types[] = {fl_type_make(FL_TYPE_STRING), fl_type_make(FL_TYPE_INT32),
                       fl_type_make(FL_TYPE_DOUBLE)};
    for (unsigned variant = 0; variant < 64; variant += 5) check_sort(types, 3, 5000, variant);
    fl_type types2[] = {fl_type_make(FL_TYPE_INT16), fl_type_make(FL_TYPE_STRING),
                        fl_type_decimal(38, 2), fl_type_make(FL_TYPE_STRING)};
    for (unsigned variant = 0; variant < 256; variant += 37) check_sort(types2, 4, 4000, variant);
}

TEST(sort_empty_and_one)
{
    fl_type t = fl_type_make(FL_TYPE_INT32);
    check_sort(&t, 1, 1, 0);
    fl_arena *a = fl_arena_new(0);
    fl_column *c = fl_column_new(a, t, 1);
    ex_sort_key k = {0, false, false};
    uint32_t perm[1];
    fl_error err = {0};
    CHECK_OK(ex_sort_columns(perm, &c, &k, 1, 0, &err), &err);
    fl_arena_free(a);
}

/* Row buffers split into runs, each sorted, then merged = one sorted whole. */
TEST(sort_runs_merge)
{
    fl_arena *a = fl_arena_new(0);
    fl_error err = {0};
    fl_type types[] = {fl_type_make(FL_TYPE_STRING), fl_type_make(FL_TYPE_INT64)};
    size_t n = 6000;
    fl_column *src[2] = {random_column(a, types[0], n), random_column(a, types[1], n)};
    ex_sort_key keys[2] = {{1, true, false}, {0, false, true}};
    /* reference over the whole input */
    uint32_t *ref = fl_arena_alloc(a, n * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) ref[i] = (uint32_t)i;
    fl_column *kc[2] = {src[1], src[0]};
    ex_sort_key rk[2] = {{0, true, false}, {1, false, true}};
    g_cols = kc;
    g_keys = rk;
    g_nkeys = 2;
    qsort(ref, n, sizeof(uint32_t), ref_cmp);
    /* three buffers of uneven sizes, appended through vectors with a selection */
    ex_rowbuf bufs[3];
    ex_sort_run runs[3];
    size_t bounds[4] = {0, 100, 2500, n};
    for (int r = 0; r < 3; r++) {
        CHECK_OK(ex_rowbuf_init(&bufs[r], a, types, 2, &err), &err);
        size_t cnt = bounds[r + 1] - bounds[r];
        uint32_t *sel = fl_arena_alloc(a, cnt * sizeof(uint32_t));
        for (size_t i = 0; i < cnt; i++) sel[i] = (uint32_t)(bounds[r] + i);
        ex_vector v[2] = {{.kind = EX_VECTOR_FLAT, .col = src[0]}, {.kind = EX_VECTOR_FLAT, .col = src[1]}};
        CHECK_OK(ex_rowbuf_append(&bufs[r], v, sel, cnt, &err), &err);
        CHECK_EQ(bufs[r].rows, cnt);
        CHECK_OK(ex_sort_run_build(&runs[r], &bufs[r], keys, 2, a, &err), &err);
    }
    ex_sort_ref *refs;
    size_t count;
    CHECK_OK(ex_sort_merge(&refs, &count, runs, 3, keys, 2, a, &err), &err);
    CHECK_EQ(count, n);
    size_t bad = 0;
    for (size_t i = 0; i < count; i++) {
        /* merged rows must carry the same key values as the reference order */
        size_t orig = bounds[refs[i].run] + refs[i].row;
        const fl_column *c1 = bufs[refs[i].run].cols[1];
        bool v1 = fl_column_is_valid(c1, refs[i].row), v2 = fl_column_is_valid(src[1], ref[i]);
        if (v1 != v2) bad++;
        else if (v1 && ((int64_t *)c1->data)[refs[i].row] != ((int64_t *)src[1]->data)[ref[i]]) bad++;
        fl_strv s1 = ((fl_strv *)bufs[refs[i].run].cols[0]->data)[refs[i].row];
        fl_strv s2 = ((fl_strv *)src[0]->data)[ref[i]];
        if (fl_column_is_valid(src[0], orig) != fl_column_is_valid(src[0], ref[i])) bad++;
        else if (fl_column_is_valid(src[0], orig) && !fl_strv_eq(s1, s2)) bad++;
    }
    CHECK_EQ(bad, 0);
    /* gather by a permutation keeps values and NULLs */
    ex_rowbuf g;
    CHECK_OK(ex_rowbuf_gather(&g, a, &bufs[2], runs[2].perm, 10, &err), &err);
    CHECK_EQ(g.rows, 10);
    for (size_t i = 0; i < 10; i++) {
        uint32_t p = runs[2].perm[i];
        CHECK_EQ(fl_column_is_valid(g.cols[1], i), fl_column_is_valid(bufs[2].cols[1], p));
    }
    fl_arena_free(a);
}

TEST(sort_nested_key_refused)
{
    fl_arena *a = fl_arena_new(0);
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_LIST), 1);
    ex_sort_key k = {0, false, false};
    uint32_t perm[1];
    fl_error err = {0};
    CHECK_EQ(ex_sort_columns(perm, &c, &k, 1, 1, &err), FLOE_EUNSUPPORTED);
    fl_arena_free(a);
}

/* ---------------------------------------------------------------- operators */

#include "test_scan_util.h"

/* rows: k INT64 (~1/8 NULL, many ties), s STRING; n rows */
static bool op_input(ts_env *e, ex_rowbuf *b, size_t n)
{
    fl_type types[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING)};
    fl_error err;
    if (!CHECK_OK(ex_rowbuf_init(b, e->arena, types, 2, &err), &err)) return false;
    fl_column *k = random_column(e->arena, types[0], n), *s = random_column(e->arena, types[1], n);
    ex_vector v[2] = {{.kind = EX_VECTOR_FLAT, .col = k}, {.kind = EX_VECTOR_FLAT, .col = s}};
    return CHECK_OK(ex_rowbuf_append(b, v, NULL, n, &err), &err);
}

/* Sorted reference of the input rows by (k DESC NULLS FIRST, s ASC NULLS LAST). */
static uint32_t *op_reference(ts_env *e, const ex_rowbuf *in)
{
    uint32_t *ref = fl_arena_alloc(e->arena, in->rows * sizeof(uint32_t));
    for (size_t i = 0; i < in->rows; i++) ref[i] = (uint32_t)i;
    static ex_sort_key keys[2] = {{0, true, true}, {1, false, false}};
    g_cols = in->cols;
    g_keys = keys;
    g_nkeys = 2;
    qsort(ref, in->rows, sizeof(uint32_t), ref_cmp);
    return ref;
}

/* out row i has the same (k, s) as in row ref[first + i] */
static size_t op_mismatches(const ex_rowbuf *out, const ex_rowbuf *in, const uint32_t *ref, size_t first)
{
    size_t bad = 0;
    for (size_t i = 0; i < out->rows; i++) {
        uint32_t r = ref[first + i];
        for (int c = 0; c < 2; c++) {
            bool vo = fl_column_is_valid(out->cols[c], i), vi = fl_column_is_valid(in->cols[c], r);
            if (vo != vi) { bad++; continue; }
            if (!vo) continue;
            if (c == 0 && ((int64_t *)out->cols[0]->data)[i] != ((int64_t *)in->cols[0]->data)[r]) bad++;
            if (c == 1 && !fl_strv_eq(((fl_strv *)out->cols[1]->data)[i], ((fl_strv *)in->cols[1]->data)[r])) bad++;
        }
    }
    return bad;
}

static plan_order *op_orders(ts_env *e, bool computed)
{
    plan_order *o = fl_arena_calloc(e->arena, 2 * sizeof(*o));
    fl_type i64 = fl_type_make(FL_TYPE_INT64);
    o[0].expr = ts_col(e, 60, 0, i64);
    o[0].desc = true;
    o[0].nulls_first = true;
    if (computed) {
        /* (0 - k) ASC NULLS FIRST == k DESC NULLS FIRST */
        plan_expr *neg = ts_cmp(e, "-", ts_i64(e, 0), ts_col(e, 60, 0, i64));
        if (neg) neg->type = i64;
        o[0].expr = neg;
        o[0].desc = false;
    }
    o[1].expr = ts_col(e, 60, 1, fl_type_make(FL_TYPE_STRING));
    return o;
}

TEST(sort_order_operator_parallel)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 3))) return;
    ex_rowbuf in;
    if (!op_input(&e, &in, 20000)) goto done;
    uint32_t *ref = op_reference(&e, &in);
    for (int computed = 0; computed < 2; computed++) {
        ex_op *child = ts_buffer_op(&e, &in, 60);
        plan_node *n = plan_node_new(e.arena, PLAN_ORDER, 1);
        n->children[0] = (plan_node *)child->node;
        n->u.order.orders = op_orders(&e, computed);
        n->u.order.count = 2;
        ex_op *op;
        fl_error err;
        if (!CHECK_OK(ex_order_new(&op, n, child, &e.ctx, &err), &err)) break;
        if (!CHECK_OK(ts_run_sink(&e, op, &in, 777, 3, &err), &err)) break;
        ex_rowbuf out;
        if (!CHECK_OK(ts_run_source(&e, op, 1, &out, &err), &err)) break;
        CHECK_EQ(out.col_count, 2);
        CHECK_EQ(out.rows, 20000);
        CHECK_EQ(op_mismatches(&out, &in, ref, 0), 0);
    }
done:
    ts_env_close(&e);
}

TEST(sort_topn_operator)
{
    ts_env e;
    if (!CHECK(ts_env_open(&e, 3))) return;
    ex_rowbuf in;
    if (!op_input(&e, &in, 30000)) goto done;
    uint32_t *ref = op_reference(&e, &in);
    static const int64_t cases[][2] = {{10, 5}, {0, 0}, {9000, 100}, {100, 29990}, {5, 40000}};
    for (size_t c = 0; c < FL_ARRAY_SIZE(cases); c++) {
        ex_op *child = ts_buffer_op(&e, &in, 60);
        plan_node *n = plan_node_new(e.arena, PLAN_TOPN, 1);
        n->children[0] = (plan_node *)child->node;
        n->u.limit.orders = op_orders(&e, false);
        n->u.limit.order_count = 2;
        n->u.limit.limit = cases[c][0];
        n->u.limit.offset = cases[c][1];
        ex_op *op;
        fl_error err;
        if (!CHECK_OK(ex_topn_new(&op, n, child, &e.ctx, &err), &err)) break;
        if (!CHECK_OK(ts_run_sink(&e, op, &in, 1000, 3, &err), &err)) break;
        ex_rowbuf out;
        if (!CHECK_OK(ts_run_source(&e, op, 1, &out, &err), &err)) break;
        size_t want = cases[c][1] >= 30000 ? 0 : (size_t)(30000 - cases[c][1]);
        if (want > (size_t)cases[c][0]) want = (size_t)cases[c][0];
        CHECK_EQ(out.rows, want);
        CHECK_EQ(op_mismatches(&out, &in, ref, (size_t)cases[c][1]), 0);
    }
done:
    ts_env_close(&e);
}
