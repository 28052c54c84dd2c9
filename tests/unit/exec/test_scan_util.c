/*
 * test_scan_util.c: see test_scan_util.h.
 */
#include "test_scan_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "../../../src/func/func.h"
#include "../test.h"

bool ts_env_open(ts_env *e, int threads)
{
    memset(e, 0, sizeof(*e));
    if (!tt_env_open(&e->tt)) return false;
    e->arena = fl_arena_new(0);
    if (threads > 1 && fl_pool_new(&e->pool, threads - 1) < 0) return false;
    e->ctx.arena = e->arena;
    e->ctx.pool = e->pool;
    e->ctx.threads = threads;
    e->ctx.catalog = e->tt.catalog;
    e->ctx.fs = e->tt.fs;
    e->ctx.warehouse = e->tt.dir;
    return e->arena != NULL;
}

void ts_env_close(ts_env *e)
{
    fl_arena_free(e->arena);
    fl_pool_free(e->pool);
    tt_env_close(&e->tt);
}

/* ---------------------------------------------------------------- sources */

typedef struct src_run {
    ts_env *e;
    ex_op *op;
    void *gstate;
    ex_rowbuf *buf;              /* NULL: only count */
    atomic_llong rows;
    pthread_mutex_t lock;
    int rc;
    fl_error err;
} src_run;

static void *src_thread(void *arg)
{
    src_run *r = arg;
    fl_error err = {0};
    fl_arena *ta = fl_arena_new(0);
    fl_arena *ca = fl_arena_new(0);
    void *lstate = NULL;
    ex_chunk chunk;
    int rc = r->op->vt->source_local ? r->op->vt->source_local(r->op, &r->e->ctx, r->gstate, ta, &lstate, &err) : 0;
    if (rc == 0) rc = ex_chunk_init(&chunk, ca, r->op->types, r->op->col_count, &err);
    for (;;) {
        if (rc < 0) break;
        ex_source_result res = EX_SOURCE_HAVE_MORE;
        chunk.count = 0;
        rc = r->op->vt->get_data(r->op, &r->e->ctx, r->gstate, lstate, &chunk, &res, &err);
        /* dictionary vectors are flattened before a sink, as the runner does */
        if (rc == 0) rc = ex_chunk_flatten_dicts(&chunk, ca, &err);
        if (rc < 0) break;
        atomic_fetch_add(&r->rows, (long long)chunk.count);
        if (chunk.count > 0 && r->buf) {
            pthread_mutex_lock(&r->lock);
            rc = ex_rowbuf_append(r->buf, chunk.cols, NULL, chunk.count, &err);
            pthread_mutex_unlock(&r->lock);
        }
        if (res == EX_SOURCE_DONE) break;
    }
    pthread_mutex_lock(&r->lock);
    if (rc < 0 && r->rc == 0) {
        r->rc = rc;
        r->err = err;
    }
    pthread_mutex_unlock(&r->lock);
    fl_arena_free(ta);
    fl_arena_free(ca);
    return NULL;
}

static int run_source(ts_env *e, ex_op *op, int threads, ex_rowbuf *buf, int64_t *rows,
                      fl_error *err)
{
    src_run r = {e, op, NULL, buf, 0, PTHREAD_MUTEX_INITIALIZER, 0, {0}};
    FL_TRY(op->vt->source_global(op, &e->ctx, &r.gstate, err));
    pthread_t th[16];
    if (threads > 16) threads = 16;
    for (int i = 0; i < threads; i++) pthread_create(&th[i], NULL, src_thread, &r);
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    if (r.rc < 0) *err = r.err;
    if (rows) *rows = atomic_load(&r.rows);
    return r.rc;
}

int ts_run_source(ts_env *e, ex_op *op, int threads, ex_rowbuf *buf, fl_error *err)
{
    FL_TRY(ex_rowbuf_init(buf, e->arena, op->types, op->col_count, err));
    return run_source(e, op, threads, buf, NULL, err);
}

int ts_count_source(ts_env *e, ex_op *op, int threads, int64_t *rows, fl_error *err)
{
    return run_source(e, op, threads, NULL, rows, err);
}

/* ---------------------------------------------------------------- sinks */

typedef struct sink_run {
    ts_env *e;
    ex_op *op;
    void *gstate;
    const ex_rowbuf *buf;
    size_t chunk_rows;
    atomic_size_t next;
    pthread_mutex_t lock;
    int rc;
    fl_error err;
} sink_run;

static void *sink_thread(void *arg)
{
    sink_run *r = arg;
    fl_error err = {0};
    fl_arena *ta = fl_arena_new(0);
    fl_arena *ca = fl_arena_new(0);
    void *lstate = NULL;
    int rc = r->op->vt->sink_local(r->op, &r->e->ctx, r->gstate, ta, &lstate, &err);
    uint32_t *perm = fl_arena_alloc(ta, r->chunk_rows * sizeof(uint32_t));
    while (rc == 0) {
        size_t c = atomic_fetch_add(&r->next, 1);
        size_t begin = c * r->chunk_rows;
        if (begin >= r->buf->rows) break;
        size_t n = r->buf->rows - begin < r->chunk_rows ? r->buf->rows - begin : r->chunk_rows;
        fl_arena_reset(ca);
        for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)(begin + i);
        ex_rowbuf part;
        rc = ex_rowbuf_gather(&part, ca, r->buf, perm, n, &err);
        if (rc < 0) break;
        ex_vector *vecs = fl_arena_alloc(ca, (part.col_count + 1) * sizeof(ex_vector));
        for (uint32_t k = 0; k < part.col_count; k++) vecs[k] = (ex_vector){.kind = EX_VECTOR_FLAT, .col = part.cols[k]};
        ex_chunk chunk = {part.col_count, vecs, n, ca};
        rc = r->op->vt->sink(r->op, &r->e->ctx, r->gstate, lstate, &chunk, &err);
    }
    if (rc == 0) rc = r->op->vt->combine(r->op, &r->e->ctx, r->gstate, lstate, &err);
    pthread_mutex_lock(&r->lock);
    if (rc < 0 && r->rc == 0) {
        r->rc = rc;
        r->err = err;
    }
    pthread_mutex_unlock(&r->lock);
    fl_arena_free(ta);
    fl_arena_free(ca);
    return NULL;
}

int ts_run_sink(ts_env *e, ex_op *op, const ex_rowbuf *buf, size_t chunk_rows, int threads,
                fl_error *err)
{
    sink_run r = {e, op, NULL, buf, chunk_rows, 0, PTHREAD_MUTEX_INITIALIZER, 0, {0}};
    FL_TRY(op->vt->sink_global(op, &e->ctx, &r.gstate, err));
    pthread_t th[16];
    if (threads > 16) threads = 16;
    for (int i = 0; i < threads; i++) pthread_create(&th[i], NULL, sink_thread, &r);
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    if (r.rc < 0) {
        *err = r.err;
        return r.rc;
    }
    FL_TRY(op->vt->finalize(op, &e->ctx, r.gstate, err));
    op->sink_state = r.gstate;
    return 0;
}

/* ---------------------------------------------------------------- a buffer as a source */

static int buf_global(ex_op *op, ex_ctx *ctx, void **g, fl_error *err)
{
    atomic_size_t *next = fl_arena_calloc(ctx->arena, sizeof(*next));
    (void)op;
    if (next == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    *g = next;
    return 0;
}

static int buf_get(ex_op *op, ex_ctx *ctx, void *g, void *l, ex_chunk *out, ex_source_result *res,
                   fl_error *err)
{
    (void)ctx; (void)l;
    const ex_rowbuf *b = op->data;
    size_t c = atomic_fetch_add((atomic_size_t *)g, 1);
    size_t begin = c * EX_CHUNK_ROWS;
    out->count = 0;
    *res = EX_SOURCE_DONE;
    if (begin >= b->rows) return 0;
    size_t n = b->rows - begin < EX_CHUNK_ROWS ? b->rows - begin : EX_CHUNK_ROWS;
    for (uint32_t k = 0; k < b->col_count; k++) {
        fl_column *d = out->cols[k].col;
        if (b->cols[k]->validity && fl_column_ensure_validity(d) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++) ex_column_put(d, i, b->cols[k], begin + i);
        d->len = n;
    }
    out->count = n;
    *res = begin + n >= b->rows ? EX_SOURCE_DONE : EX_SOURCE_HAVE_MORE;
    return 0;
}

static const ex_op_vtable buf_vt = {.name = "TEST_BUFFER", .source_global = buf_global,
                                    .get_data = buf_get};

ex_op *ts_buffer_op(ts_env *e, const ex_rowbuf *buf, uint32_t ti)
{
    ex_op *op = fl_arena_calloc(e->arena, sizeof(*op));
    plan_node *node = plan_node_new(e->arena, PLAN_VALUES, 0);
    node->table_index = ti;
    node->u.values.column_count = buf->col_count;
    node->u.values.types = buf->types;
    op->vt = &buf_vt;
    op->types = buf->types;
    op->col_count = buf->col_count;
    op->node = node;
    op->data = (void *)buf;
    return op;
}

/* ---------------------------------------------------------------- expressions */

plan_expr *ts_col(ts_env *e, uint32_t table, uint32_t column, fl_type t)
{
    return plan_expr_colref(e->arena, (plan_binding){table, column}, t, "c");
}

plan_expr *ts_i64(ts_env *e, int64_t v)
{
    fl_value val = {.type = fl_type_make(FL_TYPE_INT64)};
    val.v.i64 = v;
    return plan_expr_const(e->arena, &val);
}

plan_expr *ts_cmp(ts_env *e, const char *op, plan_expr *l, plan_expr *r)
{
    fl_type types[2] = {l->type, r->type};
    const fn_scalar_bound *fn;
    fl_error err;
    if (!CHECK_OK(fn_scalar_bind(&fn, op, types, 2, e->arena, &err), &err)) return NULL;
    plan_expr *x = plan_expr_new(e->arena, PLAN_EX_FUNC, fl_type_make(FL_TYPE_BOOL), 2);
    x->args[0] = l;
    x->args[1] = r;
    x->u.fn = fn;
    x->name = op;
    return x;
}

int64_t ts_sum(const ex_rowbuf *buf, uint32_t col)
{
    int64_t s = 0;
    const fl_column *c = buf->cols[col];
    for (size_t i = 0; i < buf->rows; i++) {
        if (!fl_column_is_valid(c, i)) continue;
        s += c->type.id == FL_TYPE_INT32 ? ((const int32_t *)c->data)[i] : ((const int64_t *)c->data)[i];
    }
    return s;
}

plan_table_source *ts_iceberg_source(ts_env *e, const char *name)
{
    plan_table_source *s = fl_arena_calloc(e->arena, sizeof(*s));
    static const char *names[] = {"id", "cat", "d", "ts"};
    s->kind = PLAN_SOURCE_ICEBERG;
    s->ns = "db";
    s->name = name;
    s->column_names = names;
    s->column_types = fl_arena_alloc(e->arena, 4 * sizeof(fl_type));
    s->column_types[0] = fl_type_make(FL_TYPE_INT64);
    s->column_types[1] = fl_type_make(FL_TYPE_STRING);
    s->column_types[2] = fl_type_make(FL_TYPE_DATE);
    s->column_types[3] = fl_type_make(FL_TYPE_TIMESTAMPTZ);
    s->field_ids = fl_arena_alloc(e->arena, 4 * sizeof(int32_t));
    for (int i = 0; i < 4; i++) s->field_ids[i] = i + 1;
    s->column_count = 4;
    return s;
}

plan_node *ts_get_node(ts_env *e, plan_table_source *src, const uint32_t *cols, uint32_t n,
                       plan_expr **filters, uint32_t nf)
{
    plan_node *g = plan_node_new(e->arena, PLAN_GET, 0);
    g->table_index = 7;
    g->u.get.source = src;
    g->u.get.column_ids = fl_arena_memdup(e->arena, cols, n * sizeof(uint32_t));
    g->u.get.column_count = n;
    g->u.get.filters = filters;
    g->u.get.filter_count = nf;
    return g;
}

bool ts_set_sort_order(ts_env *e, const char *table, const ice_sort_term *terms, size_t n)
{
    ice_table *t;
    fl_error err;
    if (!CHECK_OK(ice_table_load(&t, e->tt.catalog, e->tt.fs, "db", table, &err), &err)) return false;
    bool ok = CHECK_OK(ice_txn_replace_sort_order(t, terms, n, NULL, &err), &err);
    ice_table_free(t);
    return ok;
}

bool ts_current_plan(ts_env *e, const char *table, ice_table **t, ice_scan_plan **plan)
{
    fl_error err;
    if (!CHECK_OK(ice_table_load(t, e->tt.catalog, e->tt.fs, "db", table, &err), &err)) return false;
    if (CHECK_OK(ice_scan_plan_new(plan, e->tt.fs, (*t)->md, NULL, &err), &err)) return true;
    ice_table_free(*t);
    return false;
}
