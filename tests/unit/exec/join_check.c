/*
 * join_check.c: the hash join tests' reference check (join_check.h): random
 * sides, the join node, a naive nested loop for every join type and the
 * comparison of sorted rows as text.
 */
#include "join_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "../../../src/base/alloc.h"

static const char *const default_words[] = {"web", "store", "catalog", "", "a much longer string key"};

const jc_profile jc_default_profile = {12, 8, default_words, 5, 100};

void jc_make_side(ja_table *t, fl_arena *a, const jc_profile *p, size_t n, uint64_t krange,
                  uint32_t index)
{
    fl_type types[3] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING),
                        fl_type_make(FL_TYPE_INT64)};
    ja_table_init(t, a, types, 3, index);
    for (size_t i = 0; i < n; i++) {
        fl_value row[3];
        row[0] = ja_rand() % (uint64_t)p->key_null_every == 0 ? ja_null(types[0])
                                                              : ja_i64((int64_t)(ja_rand() % krange));
        row[1] = ja_rand() % (uint64_t)p->str_null_every == 0 ? ja_null(types[1])
                                                              : ja_str(p->words[ja_rand() % p->word_count]);
        row[2] = ja_i64((int64_t)(ja_rand() % p->v_range));
        ja_table_add(t, a, row);
    }
}

static bool naive_match(const ja_table *l, size_t i, const ja_table *r, size_t j, const jc_spec *s)
{
    fl_value a, b;
    ja_table_get(l, i, 0, &a);
    ja_table_get(r, j, 0, &b);
    if (a.is_null || b.is_null || a.v.i64 != b.v.i64) return false;
    if (s->string_key != JC_STRING_NONE) {
        ja_table_get(l, i, 1, &a);
        ja_table_get(r, j, 1, &b);
        /* '=' never matches a NULL; IS NOT DISTINCT FROM matches two */
        if (s->string_key == JC_STRING_EQ_FIRST && (a.is_null || b.is_null)) return false;
        if (!ja_value_eq(&a, &b)) return false;
    }
    if (s->inequality) {
        ja_table_get(l, i, 2, &a);
        ja_table_get(r, j, 2, &b);
        if (!(a.v.i64 < b.v.i64)) return false;
    }
    return true;
}

static void put_value(fl_buf *b, const fl_value *v)
{
    if (v->is_null) fl_buf_append_str(b, "N|");
    else if (v->type.id == FL_TYPE_STRING) fl_buf_appendf(b, "s%.*s|", (int)v->v.s.len, v->v.s.ptr);
    else if (v->type.id == FL_TYPE_BOOL) fl_buf_appendf(b, "b%d|", v->v.b);
    else fl_buf_appendf(b, "%lld|", (long long)v->v.i64);
}

/* Row r of t, or NULLs for r == SIZE_MAX. */
static void put_side(fl_buf *b, const ja_table *t, size_t r)
{
    for (uint32_t c = 0; c < t->col_count; c++) {
        fl_value v;
        if (r == SIZE_MAX) v = ja_null(t->types[c]);
        else ja_table_get(t, r, c, &v);
        put_value(b, &v);
    }
}

static void rowset_add(jc_rowset *s, fl_buf *b)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->rows = fl_realloc(s->rows, s->cap * sizeof *s->rows);
    }
    s->rows[s->count++] = fl_strdup(fl_buf_cstr(b));
    fl_buf_reset(b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void jc_rowset_sort(jc_rowset *s)
{
    if (s->count > 1) qsort(s->rows, s->count, sizeof *s->rows, cmp_str);
}

void jc_rowset_free(jc_rowset *s)
{
    for (size_t i = 0; i < s->count; i++) fl_free(s->rows[i]);
    fl_free(s->rows);
}

/* The per-left-row output of LEFT/FULL (unmatched), SEMI, ANTI, MARK, SINGLE. */
static void naive_left_row(const ja_table *l, const ja_table *r, const jc_spec *s, size_t i,
                           size_t matches, size_t last, bool build_null, fl_buf *b, jc_rowset *out)
{
    switch (s->type) {
    case PLAN_JOIN_LEFT:
    case PLAN_JOIN_FULL:
        if (matches) break;
        put_side(b, l, i);
        put_side(b, r, SIZE_MAX);
        rowset_add(out, b);
        break;
    case PLAN_JOIN_SEMI:
    case PLAN_JOIN_ANTI:
        if ((matches > 0) != (s->type == PLAN_JOIN_SEMI)) break;
        put_side(b, l, i);
        rowset_add(out, b);
        break;
    case PLAN_JOIN_MARK: {
        fl_value k;
        ja_table_get(l, i, 0, &k);
        put_side(b, l, i);
        if (matches) fl_buf_append_str(b, "b1|");
        else if (r->rows && (k.is_null || build_null)) fl_buf_append_str(b, "N|");
        else fl_buf_append_str(b, "b0|");
        rowset_add(out, b);
        break;
    }
    case PLAN_JOIN_SINGLE:
        put_side(b, l, i);
        put_side(b, r, matches ? last : SIZE_MAX);
        rowset_add(out, b);
        break;
    default:
        break;
    }
}

void jc_naive_join(const ja_table *l, const ja_table *r, const jc_spec *s, jc_rowset *out)
{
    fl_buf b;
    fl_buf_init(&b);
    bool *rmatched = fl_calloc(r->rows + 1, 1);
    bool build_null = false;
    for (size_t j = 0; j < r->rows; j++) {
        fl_value k;
        ja_table_get(r, j, 0, &k);
        build_null |= k.is_null;
    }
    for (size_t i = 0; i < l->rows; i++) {
        size_t matches = 0, last = 0;
        for (size_t j = 0; j < r->rows; j++) {
            if (!naive_match(l, i, r, j, s)) continue;
            matches++;
            last = j;
            rmatched[j] = true;
            if (s->type == PLAN_JOIN_INNER || s->type == PLAN_JOIN_LEFT ||
                s->type == PLAN_JOIN_RIGHT || s->type == PLAN_JOIN_FULL) {
                put_side(&b, l, i);
                put_side(&b, r, j);
                rowset_add(out, &b);
            }
        }
        naive_left_row(l, r, s, i, matches, last, build_null, &b, out);
    }
    for (size_t j = 0; j < r->rows; j++) {
        bool emit = false;
        switch (s->type) {
        case PLAN_JOIN_RIGHT:
        case PLAN_JOIN_FULL:
            if (!rmatched[j]) put_side(&b, l, SIZE_MAX);
            emit = !rmatched[j];
            break;
        case PLAN_JOIN_RIGHT_SEMI: emit = rmatched[j]; break;
        case PLAN_JOIN_RIGHT_ANTI: emit = !rmatched[j]; break;   /* NULL keys too */
        default: break;
        }
        if (!emit) continue;
        put_side(&b, r, j);
        rowset_add(out, &b);
    }
    fl_free(rmatched);
    fl_buf_dispose(&b);
}

static plan_join_cond col_cond(fl_arena *a, const ja_table *l, const ja_table *r, uint32_t c,
                               plan_cmp cmp)
{
    plan_join_cond cond = {0};
    cond.left = ja_colref(a, l->table_index, c, l->types[c]);
    cond.right = ja_colref(a, r->table_index, c, r->types[c]);
    cond.cmp = cmp;
    return cond;
}

static plan_node *join_node(fl_arena *a, const ja_table *l, const ja_table *r, const jc_spec *s)
{
    plan_node *n = fl_arena_calloc(a, sizeof *n);
    n->kind = PLAN_JOIN;
    n->children = fl_arena_alloc(a, 2 * sizeof *n->children);
    n->children[0] = ja_table_node(l, a);
    n->children[1] = ja_table_node(r, a);
    n->child_count = 2;
    n->u.join.type = s->type;
    n->u.join.mark_index = 99;
    plan_join_cond *conds = fl_arena_calloc(a, 3 * sizeof *conds);
    uint32_t nc = 0;
    if (s->string_key == JC_STRING_EQ_FIRST) conds[nc++] = col_cond(a, l, r, 1, PLAN_CMP_EQ);
    conds[nc++] = col_cond(a, l, r, 0, PLAN_CMP_EQ);
    if (s->string_key == JC_STRING_NOT_DISTINCT) conds[nc++] = col_cond(a, l, r, 1, PLAN_CMP_NOT_DISTINCT);
    if (s->inequality) conds[nc++] = col_cond(a, l, r, 2, PLAN_CMP_LT);
    n->u.join.conds = conds;
    n->u.join.cond_count = nc;
    return n;
}

int jc_run_join(ja_env *env, const ja_table *l, const ja_table *r, const jc_spec *s,
                ex_result *res)
{
    plan_node *node = join_node(env->arena, l, r, s);
    ex_op *lop = ja_table_op(l, node->children[0], env->arena);
    ex_op *rop = ja_table_op(r, node->children[1], env->arena);
    ex_op *op;
    int rc = ex_hash_join_new(&op, node, lop, rop, &env->ctx, &env->err);
    if (rc < 0) return rc;
    /* an operator above the join: the RIGHT/FULL follower pipeline copies
     * the operators above (ex_pipeline.c fails on none) */
    return ex_run(res, ja_pass_op(op, env->arena), &env->ctx, &env->err);
}

void jc_result_rows(const ex_result *res, jc_rowset *out)
{
    fl_buf b;
    fl_buf_init(&b);
    for (size_t r = 0; r < (size_t)res->row_count; r++) {
        for (uint32_t c = 0; c < res->col_count; c++) {
            fl_value v;
            ja_result_get(res, r, c, &v);
            put_value(&b, &v);
        }
        rowset_add(out, &b);
    }
    fl_buf_dispose(&b);
}

/* The join's output columns for sides of l and r columns. */
static uint32_t output_cols(plan_join_type t, uint32_t l, uint32_t r)
{
    switch (t) {
    case PLAN_JOIN_SEMI:
    case PLAN_JOIN_ANTI: return l;
    case PLAN_JOIN_MARK: return l + 1;
    case PLAN_JOIN_RIGHT_SEMI:
    case PLAN_JOIN_RIGHT_ANTI: return r;
    default: return l + r;
    }
}

size_t jc_check_join(int threads, size_t ln, size_t rn, uint64_t krange, const jc_spec *s,
                     const jc_profile *p)
{
    ja_env env;
    ja_env_init(&env, threads);
    ja_table l, r;
    jc_make_side(&l, env.arena, p, ln, krange * 3 / 2 + 1, 1);   /* probe keys beyond the build range */
    jc_make_side(&r, env.arena, p, rn, krange, 2);
    ex_result res;
    size_t diff = 1;
    if (CHECK_OK(jc_run_join(&env, &l, &r, s, &res), &env.err) &&
        CHECK_EQ(res.col_count, output_cols(s->type, l.col_count, r.col_count))) {
        jc_rowset got = {0}, want = {0};
        jc_result_rows(&res, &got);
        jc_naive_join(&l, &r, s, &want);
        jc_rowset_sort(&got);
        jc_rowset_sort(&want);
        diff = got.count > want.count ? got.count - want.count : want.count - got.count;
        for (size_t i = 0; i < got.count && i < want.count; i++)
            if (strcmp(got.rows[i], want.rows[i]) != 0) diff++;
        if (diff)
            printf("join type %d (string %d, ineq %d, %zux%zu, %d threads): %zu rows, want %zu\n",
                   s->type, s->string_key, s->inequality, ln, rn, threads, got.count, want.count);
        jc_rowset_free(&got);
        jc_rowset_free(&want);
    }
    ja_env_dispose(&env);
    return diff;
}
