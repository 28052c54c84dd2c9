/*
 * cte.c: materialized common table expressions (PLAN_CTE_MATERIALIZE and
 * PLAN_CTE_SCAN), and the chunk buffer (ex_buffer in ex_spine.h) that the
 * CTE, the result collector and the nested loop join's build side share.
 *
 * CTE_MATERIALIZE is shaped like a join for the pipeline builder:
 * children[1] is the CTE's definition, whose pipeline ends in this
 * operator's sink (buffering every chunk), and children[0] is the query,
 * which streams through the operator unchanged. The builder runs the
 * definition's pipeline first, so by the time any CTE_SCAN in the query
 * runs, the buffer is complete. A CTE_SCAN is a source handing out the
 * buffered chunks (as views, no copy) by an atomic counter.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "../../base/alloc.h"
#include "../ex_spine.h"

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory buffering rows"); }

/* ---------------------------------------------------------------- ex_buffer */

/* The global chunk list lives on the heap: combine runs while other
 * threads may still allocate in the query arena, which is not thread-safe. */
static void buffer_destroy(void *arg)
{
    ex_buffer *b = arg;
    pthread_mutex_destroy(&b->lock);
    fl_free(b->chunks);
    b->chunks = NULL;
}

int ex_buffer_new(ex_buffer **out, const fl_type *types, uint32_t col_count, ex_ctx *ctx,
                  fl_error *err)
{
    ex_buffer *b = fl_arena_calloc(ctx->arena, sizeof *b);
    if (!b) return oom(err);
    pthread_mutex_init(&b->lock, NULL);
    if (fl_arena_on_reset(ctx->arena, buffer_destroy, b) < 0) {
        pthread_mutex_destroy(&b->lock);
        return oom(err);
    }
    b->types = types;
    b->col_count = col_count;
    *out = b;
    return 0;
}

int ex_buffer_local_new(ex_buffer_local **out, fl_arena *thread_arena, fl_error *err)
{
    ex_buffer_local *l = fl_arena_calloc(thread_arena, sizeof *l);
    if (!l) return oom(err);
    l->arena = thread_arena;
    *out = l;
    return 0;
}

static int push_chunk(ex_chunk **chunks, size_t *count, size_t *cap, fl_arena *arena,
                      ex_chunk **out, fl_error *err)
{
    if (*count == *cap) {
        size_t n = *cap ? *cap * 2 : 8;
        ex_chunk *c = fl_arena_realloc(arena, *chunks, *cap * sizeof *c, n * sizeof *c);
        if (!c) return oom(err);
        *chunks = c;
        *cap = n;
    }
    *out = &(*chunks)[(*count)++];
    return 0;
}

int ex_buffer_append(ex_buffer_local *l, const ex_buffer *g, const ex_chunk *in, fl_error *err)
{
    size_t done = 0;
    uint32_t *sel = NULL;
    while (done < in->count) {
        ex_chunk *last = l->count ? &l->chunks[l->count - 1] : NULL;
        if (!last || last->count == EX_CHUNK_ROWS) {
            /* a first chunk holds what came, as small as a short result needs
             * (appends grow it); the next ones are full-size at once */
            size_t rows = l->count || in->count - done >= EX_CHUNK_ROWS / 2 ? EX_CHUNK_ROWS
                          : in->count - done < 64 ? 64 : in->count - done;
            FL_TRY(push_chunk(&l->chunks, &l->count, &l->cap, l->arena, &last, err));
            FL_TRY(ex_chunk_init_rows(last, l->arena, g->types, g->col_count, rows, err));
        }
        size_t take = in->count - done;
        if (take > EX_CHUNK_ROWS - last->count) take = EX_CHUNK_ROWS - last->count;
        if (done == 0 && take == in->count) {
            FL_TRY(ex_chunk_append(last, in, NULL, take, err));
        } else {
            if (!sel) {
                sel = fl_arena_alloc(l->arena, in->count * sizeof *sel);
                if (!sel) return oom(err);
                for (size_t i = 0; i < in->count; i++) sel[i] = (uint32_t)i;
            }
            FL_TRY(ex_chunk_append(last, in, sel + done, take, err));
        }
        done += take;
    }
    return 0;
}

int ex_buffer_combine(ex_buffer *g, ex_buffer_local *l, fl_error *err)
{
    int rc = 0;
    pthread_mutex_lock(&g->lock);
    if (g->count + l->count > g->cap) {
        size_t cap = g->cap ? g->cap : 8;
        while (cap < g->count + l->count) cap *= 2;
        ex_chunk *c = fl_realloc(g->chunks, cap * sizeof *c);
        if (c) {
            g->chunks = c;
            g->cap = cap;
        } else {
            rc = oom(err);
        }
    }
    for (size_t i = 0; i < l->count && rc == 0; i++) {
        const ex_chunk *c = &l->chunks[i];
        g->chunks[g->count++] = *c;
        g->rows += (int64_t)c->count;
        if (c->count > g->max_chunk_rows) g->max_chunk_rows = c->count;
    }
    pthread_mutex_unlock(&g->lock);
    l->count = 0;
    return rc;
}

/* ---------------------------------------------------------------- CTE_MATERIALIZE */

static int cte_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    const ex_op *def = op->children[1];
    ex_buffer *b;
    FL_TRY(ex_buffer_new(&b, def->types, def->col_count, ctx, err));
    *gstate = b;
    return 0;
}

static int cte_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                          void **lstate, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate;
    return ex_buffer_local_new((ex_buffer_local **)lstate, thread_arena, err);
}

static int cte_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                    fl_error *err)
{
    (void)op; (void)ctx;
    return ex_buffer_append(lstate, gstate, in, err);
}

static int cte_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    return ex_buffer_combine(gstate, lstate, err);
}

/* The query's rows pass through unchanged. */
static int cte_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                       ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate; (void)lstate; (void)err;
    memcpy(out->cols, in->cols, in->col_count * sizeof *out->cols);
    out->count = in->count;
    *res = EX_NEED_MORE_INPUT;
    return 0;
}

static int cte_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    if (fl_buf_appendf(out, "cte %u", op->node ? op->node->u.cte.cte_index : 0) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable cte_vt = {
    .name = "CTE_MATERIALIZE",
    .execute = cte_execute,
    .sink_global = cte_sink_global,
    .sink_local = cte_sink_local,
    .sink = cte_sink,
    .combine = cte_combine,
    .explain = cte_explain,
};

int ex_cte_new(ex_op **out, const plan_node *node, ex_op *def, ex_op *query, ex_ctx *ctx,
               fl_error *err)
{
    ex_op *children[2] = {query, def};
    const ex_op *shape = query ? query : def;
    FL_TRY(ex_op_alloc(out, &cte_vt, node, shape->types, shape->col_count, children, 2, ctx, err));
    return 0;
}

/* ---------------------------------------------------------------- CTE_SCAN */

typedef struct cte_scan_data {
    ex_op *cte;
} cte_scan_data;

typedef struct cte_scan_global {
    atomic_size_t next;
} cte_scan_global;

void ex_cte_scan_link(ex_op *scan, ex_op *cte)
{
    cte_scan_data *d = scan->data;
    d->cte = cte;
}

static const ex_op_vtable cte_scan_vt;

size_t ex_cte_scan_chunks(const ex_op *op)
{
    if (op->vt != &cte_scan_vt) return SIZE_MAX;
    const cte_scan_data *d = op->data;
    const ex_buffer *b = d->cte ? d->cte->sink_state : NULL;
    return b ? b->count : 0;
}

static int cte_scan_global_new(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    const cte_scan_data *d = op->data;
    if (!d->cte || !d->cte->sink_state)
        return fl_error_set(err, FLOE_EINTERNAL, "CTE %u was not materialized before its scan",
                            op->node ? op->node->u.cte.cte_index : 0);
    cte_scan_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return oom(err);
    atomic_init(&g->next, 0);
    *gstate = g;
    return 0;
}

static int cte_scan_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                             ex_source_result *res, fl_error *err)
{
    (void)ctx; (void)lstate;
    const cte_scan_data *d = op->data;
    const ex_buffer *b = d->cte->sink_state;
    cte_scan_global *g = gstate;
    size_t i = atomic_fetch_add(&g->next, 1);
    *res = i + 1 >= b->count ? EX_SOURCE_DONE : EX_SOURCE_HAVE_MORE;
    if (i >= b->count) return 0;
    const ex_chunk *c = &b->chunks[i];
    if (c->col_count != out->col_count)
        return fl_error_set(err, FLOE_EINTERNAL, "CTE scan expects %u columns, the CTE has %u",
                            out->col_count, c->col_count);
    memcpy(out->cols, c->cols, c->col_count * sizeof *out->cols);
    out->count = c->count;
    return 0;
}

static int cte_scan_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    if (fl_buf_appendf(out, "cte %u", op->node ? op->node->u.cte.cte_index : 0) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static const ex_op_vtable cte_scan_vt = {
    .name = "CTE_SCAN",
    .source_global = cte_scan_global_new,
    .get_data = cte_scan_get_data,
    .explain = cte_scan_explain,
};

int ex_cte_scan_new(ex_op **out, const plan_node *node, ex_ctx *ctx, fl_error *err)
{
    FL_TRY(ex_op_alloc(out, &cte_scan_vt, node, NULL, 0, NULL, 0, ctx, err));
    cte_scan_data *d = fl_arena_calloc(ctx->arena, sizeof *d);
    if (!d) return oom(err);
    (*out)->data = d;
    return 0;
}
