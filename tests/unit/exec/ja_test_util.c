/*
 * ja_test_util.c: helpers for the hashing operators' tests (see
 * ja_test_util.h).
 */
#include "ja_test_util.h"

#include <stdatomic.h>
#include <string.h>

#include "../../../src/base/alloc.h"

void ja_env_init(ja_env *env, int threads)
{
    memset(env, 0, sizeof *env);
    env->arena = fl_arena_new(0);
    if (threads > 1) fl_pool_new(&env->pool, threads - 1);
    env->ctx.arena = env->arena;
    env->ctx.pool = env->pool;
    env->ctx.threads = threads;
    fl_error_clear(&env->err);
}

void ja_env_dispose(ja_env *env)
{
    fl_arena_free(env->arena);
    fl_pool_free(env->pool);
}

void ja_table_init(ja_table *t, fl_arena *a, const fl_type *types, uint32_t col_count,
                   uint32_t table_index)
{
    memset(t, 0, sizeof *t);
    t->col_count = col_count;
    t->types = fl_arena_memdup(a, types, col_count * sizeof *types);
    t->table_index = table_index;
}

void ja_table_add(ja_table *t, fl_arena *a, const fl_value *values)
{
    if (!t->chunk_count || t->chunks[t->chunk_count - 1].count == EX_CHUNK_ROWS) {
        if (t->chunk_count == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 8;
            t->chunks = fl_arena_realloc(a, t->chunks, t->cap * sizeof *t->chunks,
                                         nc * sizeof *t->chunks);
            t->cap = nc;
        }
        ex_chunk_init(&t->chunks[t->chunk_count++], a, t->types, t->col_count, NULL);
    }
    ex_chunk *c = &t->chunks[t->chunk_count - 1];
    for (uint32_t i = 0; i < t->col_count; i++) {
        fl_value v = values[i];
        v.type = t->types[i];
        ex_column_set(c->cols[i].col, c->count, &v, NULL);
        c->cols[i].col->len = c->count + 1;
    }
    c->count++;
    t->rows++;
}

void ja_table_get(const ja_table *t, size_t r, uint32_t c, fl_value *out)
{
    const ex_chunk *ch = &t->chunks[r / EX_CHUNK_ROWS];
    ex_vector_get(&ch->cols[c], r % EX_CHUNK_ROWS, out);
}

int64_t ja_table_i64(const ja_table *t, size_t r, uint32_t c, bool *null)
{
    fl_value v;
    ja_table_get(t, r, c, &v);
    if (null) *null = v.is_null;
    return v.v.i64;
}

plan_node *ja_table_node(const ja_table *t, fl_arena *a)
{
    plan_node *n = fl_arena_calloc(a, sizeof *n);
    n->kind = PLAN_VALUES;
    n->table_index = t->table_index;
    n->u.values.column_count = t->col_count;
    n->u.values.types = t->types;
    return n;
}

/* ---- the test source operator ---- */

typedef struct src_global {
    atomic_size_t next;
} src_global;

static int src_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    (void)err;
    src_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    atomic_init(&g->next, 0);
    *gstate = g;
    return 0;
}

static int src_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                        ex_source_result *res, fl_error *err)
{
    (void)ctx;
    (void)lstate;
    const ja_table *t = op->data;
    src_global *g = gstate;
    size_t i = atomic_fetch_add(&g->next, 1);
    if (i >= t->chunk_count) {
        out->count = 0;
        *res = EX_SOURCE_DONE;
        return 0;
    }
    /* hand out the prepared columns (read-only downstream) */
    const ex_chunk *c = &t->chunks[i];
    for (uint32_t k = 0; k < c->col_count; k++) out->cols[k] = c->cols[k];
    out->count = c->count;
    (void)err;
    *res = EX_SOURCE_HAVE_MORE;
    return 0;
}

static const ex_op_vtable src_vt = {
    .name = "TEST_SOURCE",
    .source_global = src_source_global,
    .get_data = src_get_data,
};

ex_op *ja_table_op(const ja_table *t, const plan_node *node, fl_arena *a)
{
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    op->vt = &src_vt;
    op->types = t->types;
    op->col_count = t->col_count;
    op->node = node;
    op->data = (void *)t;
    return op;
}

static int pass_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                        ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)gstate;
    (void)lstate;
    (void)err;
    for (uint32_t k = 0; k < in->col_count; k++) out->cols[k] = in->cols[k];
    out->count = in->count;
    *res = EX_NEED_MORE_INPUT;
    return 0;
}

static const ex_op_vtable pass_vt = {
    .name = "TEST_PASS",
    .execute = pass_execute,
};

ex_op *ja_pass_op(ex_op *child, fl_arena *a)
{
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    op->vt = &pass_vt;
    op->types = child->types;
    op->col_count = child->col_count;
    op->node = child->node;
    op->children = fl_arena_alloc(a, sizeof *op->children);
    op->children[0] = child;
    op->child_count = 1;
    return op;
}

plan_expr *ja_colref(fl_arena *a, uint32_t table, uint32_t column, fl_type type)
{
    plan_expr *e = fl_arena_calloc(a, sizeof *e);
    e->kind = PLAN_EX_COLREF;
    e->type = type;
    e->name = "c";
    e->u.binding.table = table;
    e->u.binding.column = column;
    return e;
}

plan_expr *ja_agg(fl_arena *a, const char *name, plan_expr *arg, bool distinct, plan_expr *filter)
{
    plan_expr *e = fl_arena_calloc(a, sizeof *e);
    e->kind = PLAN_EX_AGG;
    e->name = name;
    fl_type at = arg ? arg->type : fl_type_make(FL_TYPE_INT64);
    const fn_agg_def *fn = NULL;
    fl_error err;
    if (fn_agg_bind(&fn, name, &at, arg ? 1 : 0, a, &err) < 0) return NULL;
    e->type = fn->ret;
    e->u.agg.fn = fn;
    e->u.agg.distinct = distinct;
    e->u.agg.filter = filter;
    if (arg) {
        e->args = fl_arena_alloc(a, sizeof *e->args);
        e->args[0] = arg;
        e->arg_count = 1;
    }
    return e;
}

void ja_result_get(const ex_result *res, size_t r, uint32_t c, fl_value *out)
{
    for (size_t i = 0; i < res->chunk_count; i++) {
        if (r < res->chunks[i].count) {
            ex_vector_get(&res->chunks[i].cols[c], r, out);
            return;
        }
        r -= res->chunks[i].count;
    }
    memset(out, 0, sizeof *out);
    out->is_null = true;
}

fl_value ja_i64(int64_t v)
{
    fl_value x = {.type = fl_type_make(FL_TYPE_INT64)};
    x.v.i64 = v;
    return x;
}

fl_value ja_null(fl_type t)
{
    fl_value x = {.type = t, .is_null = true};
    return x;
}

fl_value ja_str(const char *s)
{
    fl_value x = {.type = fl_type_make(FL_TYPE_STRING)};
    x.v.s = fl_strv_cstr(s);
    return x;
}

fl_value ja_bool(bool b)
{
    fl_value x = {.type = fl_type_make(FL_TYPE_BOOL)};
    x.v.b = b;
    return x;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
uint64_t ja_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
void ja_seed(uint64_t seed) { rng_state = seed ? seed : 1; }

bool ja_value_eq(const fl_value *a, const fl_value *b)
{
    if (a->is_null || b->is_null) return a->is_null && b->is_null;
    return fl_value_cmp(a, b) == 0;
}
