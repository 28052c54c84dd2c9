/*
 * ex_pipeline.c: cutting an operator tree into pipelines and running them
 * (DuckDB's Pipeline / Executor, push-based and morsel-driven), plus
 * ex_run's ordered result collector.
 *
 * Building. The tree is walked from the root with the pipeline its output
 * flows into. By vtable shape:
 *   sink + execute (hash join, nested loop join, CTE materialize): children[1]
 *     gets its own pipeline ending in this op (the build side); the op joins
 *     the current pipeline as a streaming operator and children[0] continues
 *     it. If the op is also a source (e.g. a join emitting unmatched build
 *     rows), a follower pipeline with it as source and the same operators
 *     above and the same sink runs right after the current one.
 *   sink + get_data (aggregate, sort, window, distinct, ...): the op is the
 *     current pipeline's source; each child gets a pipeline ending in it.
 *   execute only: streaming operator; get_data only: source.
 * A pipeline is appended to the run list after every pipeline created while
 * building it, so running the list in order satisfies all dependencies
 * (build sides before probes, a CTE's definition before the query reading
 * it). Each pipeline itself runs on up to ctx->threads threads.
 *
 * Running a pipeline: globals first (source, operators — one global state
 * per operator for the whole query, so a LIMIT shared by a pipeline and its
 * follower counts once — and the sink when this is the first pipeline into
 * it); then fl_pool_run starts the workers. Local states are created under
 * one runner lock, so their constructors may allocate in ctx->arena. Each
 * worker loops: source get_data -> each operator's execute (re-called while
 * it returns EX_HAVE_MORE_OUTPUT) -> sink; then combine. The sink is
 * finalized after the last pipeline into it. Cancellation (ctx->cancel) is
 * checked between chunks; the first error stops every worker.
 *
 * Chunk memory: each worker has one chunk per pipeline level with its own
 * arena, reset before every get_data/execute call (so everything an
 * operator allocates for its output lives exactly until the operator is
 * called again); the scalar column buffers are kept across calls. Local
 * states live in a per-thread arena that is a child of the query arena
 * (freed with the query), so a sink's local data may be handed to its
 * global state.
 *
 * Order: a pipeline whose source is ORDER BY, TOPN or VALUES runs on one
 * thread, so ORDER BY output reaches the result collector in order (a CTE
 * scan runs on at most as many threads as its buffer has chunks).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <time.h>

#include "../base/alloc.h"
#include "ex_profile.h"
#include "ex_spine.h"

#define CHUNK_ARENA_BLOCK (256 * 1024)
#define KEEP_ARENA_BLOCK (64 * 1024)

/* ---------------------------------------------------------------- building */

typedef struct pipe pipe;
struct pipe {
    ex_op *source;
    ex_op **ops;          /* bottom (next to the source) to top */
    uint32_t op_count, op_cap;
    ex_op *sink;
    bool single;
    pipe **followers;
    uint32_t follower_count;
};

typedef struct arena_spares {
    fl_arena **list;
    uint32_t count, cap;
} arena_spares;

typedef struct op_global {
    ex_op *op;
    void *gstate;
    uint32_t sink_pipes;       /* pipelines into this op as a sink, not yet run */
} op_global;

typedef struct executor {
    ex_ctx *ctx;
    pipe **pipes;
    uint32_t count, cap;
    op_global *globals;
    uint32_t global_count, global_cap;
    fl_error *err;
    ex_profile *prof;          /* NULL: no clock is read */
    ex_profile_op collector;   /* the result collector's time (not in the tree) */
    arena_spares spare_chunk;  /* chunk arenas of finished pipelines, for the next ones */
    arena_spares spare_keep;
} executor;

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory building pipelines"); }

static op_global *find_global(executor *ex, ex_op *op, bool create)
{
    for (uint32_t i = 0; i < ex->global_count; i++)
        if (ex->globals[i].op == op) return &ex->globals[i];
    if (!create) return NULL;
    if (ex->global_count == ex->global_cap) {
        uint32_t cap = ex->global_cap ? ex->global_cap * 2 : 16;
        op_global *g = fl_arena_realloc(ex->ctx->arena, ex->globals,
                                        ex->global_cap * sizeof *g, cap * sizeof *g);
        if (!g) return NULL;
        ex->globals = g;
        ex->global_cap = cap;
    }
    op_global *g = &ex->globals[ex->global_count++];
    memset(g, 0, sizeof *g);
    g->op = op;
    return g;
}

static int pipe_prepend(executor *ex, pipe *p, ex_op *op)
{
    if (p->op_count == p->op_cap) {
        uint32_t cap = p->op_cap ? p->op_cap * 2 : 8;
        ex_op **o = fl_arena_realloc(ex->ctx->arena, p->ops, p->op_cap * sizeof *o, cap * sizeof *o);
        if (!o) return oom(ex->err);
        p->ops = o;
        p->op_cap = cap;
    }
    memmove(p->ops + 1, p->ops, p->op_count * sizeof *p->ops);
    p->ops[0] = op;
    p->op_count++;
    return 0;
}

static int append_pipe(executor *ex, pipe *p)
{
    if (ex->count == ex->cap) {
        uint32_t cap = ex->cap ? ex->cap * 2 : 8;
        pipe **ps = fl_arena_realloc(ex->ctx->arena, ex->pipes, ex->cap * sizeof *ps, cap * sizeof *ps);
        if (!ps) return oom(ex->err);
        ex->pipes = ps;
        ex->cap = cap;
    }
    ex->pipes[ex->count++] = p;
    op_global *g = find_global(ex, p->sink, true);
    if (!g) return oom(ex->err);
    g->sink_pipes++;
    return 0;
}

static bool single_threaded_source(const ex_op *src)
{
    if (!src->node) return false;
    switch (src->node->kind) {
    case PLAN_ORDER:
    case PLAN_TOPN:
    case PLAN_VALUES:
    case PLAN_DUMMY_SCAN:
    case PLAN_EMPTY: return true;
    default: return false;
    }
}

static int build(executor *ex, ex_op *op, pipe *p, int depth);

static int new_pipe_into(executor *ex, ex_op *top, ex_op *sink, int depth)
{
    pipe *q = fl_arena_calloc(ex->ctx->arena, sizeof *q);
    if (!q) return oom(ex->err);
    q->sink = sink;
    FL_TRY(build(ex, top, q, depth + 1));
    q->single = single_threaded_source(q->source);
    FL_TRY(append_pipe(ex, q));
    /* followers were collected top-down; an inner join's follower feeds the
     * joins above it, so it runs before theirs (innermost first) */
    for (uint32_t i = q->follower_count; i-- > 0;) {
        pipe *f = q->followers[i];
        f->single = q->single || single_threaded_source(f->source);
        FL_TRY(append_pipe(ex, f));
    }
    return 0;
}

static int build(executor *ex, ex_op *op, pipe *p, int depth)
{
    if (depth > 2000)
        return fl_error_set_sqlstate(ex->err, FLOE_ELIMIT, "54001", "query plan is too deep");
    const ex_op_vtable *vt = op->vt;
    bool is_sink = vt->sink != NULL, is_exec = vt->execute != NULL, is_src = vt->get_data != NULL;
    if (is_sink && is_exec) {
        if (op->child_count < 2)
            return fl_error_set(ex->err, FLOE_EINTERNAL, "%s needs two inputs", vt->name);
        FL_TRY(new_pipe_into(ex, op->children[1], op, depth));
        if (is_src) {
            /* follower: op as a source, feeding the operators above it */
            pipe *f = fl_arena_calloc(ex->ctx->arena, sizeof *f);
            pipe **fs = fl_arena_realloc(ex->ctx->arena, p->followers,
                                         p->follower_count * sizeof *fs,
                                         (p->follower_count + 1) * sizeof *fs);
            if (!f || !fs) return oom(ex->err);
            f->source = op;
            f->sink = p->sink;
            f->op_count = f->op_cap = p->op_count;
            if (p->op_count) {
                f->ops = fl_arena_memdup(ex->ctx->arena, p->ops, p->op_count * sizeof *p->ops);
                if (!f->ops) return oom(ex->err);
            }
            fs[p->follower_count++] = f;
            p->followers = fs;
        }
        FL_TRY(pipe_prepend(ex, p, op));
        return build(ex, op->children[0], p, depth + 1);
    }
    if (is_sink && is_src) {
        p->source = op;
        for (uint32_t i = 0; i < op->child_count; i++)
            FL_TRY(new_pipe_into(ex, op->children[i], op, depth));
        return 0;
    }
    if (is_exec) {
        if (op->child_count < 1)
            return fl_error_set(ex->err, FLOE_EINTERNAL, "%s has no input", vt->name);
        FL_TRY(pipe_prepend(ex, p, op));
        return build(ex, op->children[0], p, depth + 1);
    }
    if (is_src) {
        p->source = op;
        return 0;
    }
    return fl_error_set(ex->err, FLOE_EINTERNAL, "operator %s is neither a source nor an operator",
                        vt->name);
}

/* ---------------------------------------------------------------- running */

typedef struct level {
    fl_arena *arena;          /* reset before every call producing into chunk */
    fl_arena *keep;           /* the column buffers kept across calls */
    ex_chunk chunk;
    const fl_type *types;
    uint32_t col_count;
    ex_vector *vecs;
    fl_column *cols;          /* column headers, re-initialized per call */
    void **data;              /* per column: EX_CHUNK_ROWS values (NULL: nested) */
} level;

typedef struct worker {
    level *levels;            /* [0] source output, [i + 1] ops[i] output */
    void *src_local;
    void **op_locals;
    void *sink_local;
    fl_arena *arena;          /* local states */
    int64_t *prof_ns;         /* profiling: wall time per slot (prof_switch) */
    int64_t *prof_rows;       /* profiling: rows per slot */
    int64_t prof_last;        /* profiling: wall time at the last switch */
    uint32_t prof_cur;        /* profiling: the slot running since then */
    int64_t prof_reads;       /* profiling: clock reads */
} worker;

typedef struct run {
    executor *ex;
    pipe *p;
    void *src_global;
    void **op_globals;
    void *sink_global;
    worker *workers;
    uint32_t worker_count;
    ex_profile_op **prof_ops; /* profiling: entries of source, ops, sink (as prof_ns) */
    pthread_mutex_t lock;     /* local-state creation and the first error */
    atomic_bool stop;         /* an error, a cancel or EX_FINISHED */
    int rc;
    fl_error err;
} run;

static void run_fail(run *r, int rc, const fl_error *err)
{
    pthread_mutex_lock(&r->lock);
    if (r->rc == 0) {
        r->rc = rc;
        if (err) r->err = *err;
    }
    pthread_mutex_unlock(&r->lock);
    atomic_store(&r->stop, true);
}

/* Chunk arenas come from the executor's spares when it has one (reset,
 * their first block already faulted in), else are made anew. */
static fl_arena *spare_take(arena_spares *sp, size_t block)
{
    if (sp->count) return sp->list[--sp->count];
    return fl_arena_new(block);
}

/* Resets a into the spares (or frees it when the list cannot grow). */
static void spare_put(arena_spares *sp, fl_arena *a)
{
    if (!a) return;
    if (sp->count == sp->cap) {
        uint32_t cap = sp->cap ? sp->cap * 2 : 16;
        fl_arena **l = fl_realloc(sp->list, cap * sizeof *l);
        if (!l) {
            fl_arena_free(a);
            return;
        }
        sp->list = l;
        sp->cap = cap;
    }
    fl_arena_reset(a);
    sp->list[sp->count++] = a;
}

static void spares_free(arena_spares *sp)
{
    for (uint32_t i = 0; i < sp->count; i++) fl_arena_free(sp->list[i]);
    fl_free(sp->list);
    memset(sp, 0, sizeof *sp);
}

static int level_init(executor *ex, level *lv, const ex_op *op, fl_error *err)
{
    lv->arena = spare_take(&ex->spare_chunk, CHUNK_ARENA_BLOCK);
    lv->keep = spare_take(&ex->spare_keep, KEEP_ARENA_BLOCK);
    lv->types = op->types;
    lv->col_count = op->col_count;
    uint32_t n = op->col_count ? op->col_count : 1;
    if (!lv->arena || !lv->keep || !(lv->vecs = fl_arena_calloc(lv->keep, n * sizeof *lv->vecs)) ||
        !(lv->cols = fl_arena_calloc(lv->keep, n * sizeof *lv->cols)) ||
        !(lv->data = fl_arena_calloc(lv->keep, n * sizeof *lv->data)))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a chunk");
    for (uint32_t i = 0; i < op->col_count; i++) {
        size_t width = fl_type_width(op->types[i]);
        if (fl_type_is_nested(op->types[i]) || width == 0) continue;
        /* only string slots must start zeroed (level_prepare keeps them so) */
        lv->data[i] = fl_type_is_varlen(op->types[i])
                          ? fl_arena_calloc(lv->keep, EX_CHUNK_ROWS * width)
                          : fl_arena_alloc(lv->keep, EX_CHUNK_ROWS * width);
        if (!lv->data[i]) return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a chunk");
    }
    return 0;
}

/* Resets the level's chunk: empty, with flat columns of the op's types
 * (the previous output is consumed by now). The scalar columns reuse their
 * buffers (string slots are zeroed, so no slot points into freed memory;
 * other slots of NULL rows may hold old values, as column.h allows); their
 * validity and everything else the operator allocates go to the arena,
 * which is reset. Nested columns are made anew. Only the string slots the
 * previous output used (its row count or the column's length, whichever
 * is larger) are zeroed again: the rest are still zero. */
static int level_prepare(level *lv, fl_error *err)
{
    fl_arena_reset(lv->arena);
    ex_chunk *c = &lv->chunk;
    size_t prev_count = c->count;
    c->col_count = lv->col_count;
    c->cols = lv->vecs;
    c->count = 0;
    c->arena = lv->arena;
    for (uint32_t i = 0; i < lv->col_count; i++) {
        fl_column *col = &lv->cols[i];
        if (!lv->data[i]) {
            col = fl_column_new(lv->arena, lv->types[i], EX_CHUNK_ROWS);
            if (!col) return fl_error_set(err, FLOE_ENOMEM, "out of memory creating a chunk");
        } else {
            if (fl_type_is_varlen(lv->types[i])) {
                size_t used = col->len > prev_count ? col->len : prev_count;
                if (used > EX_CHUNK_ROWS) used = EX_CHUNK_ROWS;
                memset(lv->data[i], 0, used * sizeof(fl_strv));
            }
            memset(col, 0, sizeof *col);
            col->type = lv->types[i];
            col->cap = EX_CHUNK_ROWS;
            col->data = lv->data[i];
            col->arena = lv->arena;
        }
        lv->vecs[i].kind = EX_VECTOR_FLAT;
        lv->vecs[i].col = col;
    }
    return 0;
}

static void level_dispose(executor *ex, level *lv)
{
    spare_put(&ex->spare_chunk, lv->arena);
    spare_put(&ex->spare_keep, lv->keep);
    lv->arena = lv->keep = NULL;
}

static bool canceled(const ex_ctx *ctx) { return ctx->cancel && atomic_load(ctx->cancel); }

/* Profiling, one clock read per callback: the time since the last switch
 * goes to the slot that was running (w->prof_cur), and slot k runs from now
 * on. Slots are [0] source, [i + 1] ops[i], [op_count + 1] sink,
 * [op_count + 2] the runner (locals bookkeeping, the end of a worker). A
 * switch happens just before an operator's output chunk is prepared, so
 * preparing it counts as the operator's time. Switches read the monotonic
 * clock (vDSO, tens of ns); the thread CPU clock, a system call of 1-4 us
 * on the shared VMs, is read only at a worker's start and end, and its
 * CPU time is shared out among the slots in proportion to their wall
 * time (worker_report), so preemption by other processes is not charged. */
static inline void prof_switch(worker *w, uint32_t k)
{
    if (FL_LIKELY(!w->prof_ns)) return;
    int64_t t = ex_clock_wall_ns();
    w->prof_ns[w->prof_cur] += t - w->prof_last;
    w->prof_last = t;
    w->prof_cur = k;
    w->prof_reads++;
}

/* Before an operator that does not take dictionary vectors: flattens those
 * of `in`, the chunk of level lv, in place (the level is the runner's; the
 * columns go to its arena, reset when it next produces). */
static int flatten_dicts(level *lv, const ex_chunk *in, fl_error *err)
{
    FL_ASSERT(in == &lv->chunk);
    for (uint32_t c = 0; c < lv->chunk.col_count; c++)
        if (lv->chunk.cols[c].kind == EX_VECTOR_DICT)
            return ex_chunk_flatten_dicts(&lv->chunk, lv->arena, err);
    return 0;
}

/* Pushes chunk `in` (the output of level i) through ops[i..] into the sink. */
static int push(run *r, worker *w, uint32_t i, const ex_chunk *in, fl_error *err)
{
    pipe *p = r->p;
    ex_ctx *ctx = r->ex->ctx;
    if (i == p->op_count) {
        prof_switch(w, i + 1);
        if (!p->sink->vt->dict_sink) FL_TRY(flatten_dicts(&w->levels[i], in, err));
        return p->sink->vt->sink(p->sink, ctx, r->sink_global, w->sink_local, in, err);
    }
    ex_op *op = p->ops[i];
    level *lv = &w->levels[i + 1];
    for (;;) {
        /* an operator may produce many chunks from one input (joins) */
        if (canceled(ctx))
            return fl_error_set_sqlstate(err, FLOE_ECANCELED, "57014",
                                         "canceling statement due to user request");
        prof_switch(w, i + 1);
        if (!op->vt->dict_execute) FL_TRY(flatten_dicts(&w->levels[i], in, err));
        FL_TRY(level_prepare(lv, err));
        ex_op_result res = EX_NEED_MORE_INPUT;
        FL_TRY(op->vt->execute(op, ctx, r->op_globals[i], w->op_locals[i], in, &lv->chunk, &res, err));
        if (w->prof_rows) w->prof_rows[i + 1] += lv->chunk.count;
        if (lv->chunk.count > 0) FL_TRY(push(r, w, i + 1, &lv->chunk, err));
        if (atomic_load(&r->stop)) return 0;
        if (res == EX_NEED_MORE_INPUT) return 0;
        if (res == EX_FINISHED) {
            atomic_store(&r->stop, true);
            return 0;
        }
    }
}

static int worker_locals(run *r, worker *w, fl_error *err)
{
    pipe *p = r->p;
    ex_ctx *ctx = r->ex->ctx;
    int rc = 0;
    pthread_mutex_lock(&r->lock);
    prof_switch(w, 0);
    if (p->source->vt->source_local)
        rc = p->source->vt->source_local(p->source, ctx, r->src_global, w->arena, &w->src_local, err);
    for (uint32_t i = 0; rc == 0 && i < p->op_count; i++) {
        prof_switch(w, i + 1);
        if (p->ops[i]->vt->op_local)
            rc = p->ops[i]->vt->op_local(p->ops[i], ctx, r->op_globals[i], w->arena,
                                         &w->op_locals[i], err);
    }
    prof_switch(w, p->op_count + 1);
    if (rc == 0 && p->sink->vt->sink_local)
        rc = p->sink->vt->sink_local(p->sink, ctx, r->sink_global, w->arena, &w->sink_local, err);
    prof_switch(w, p->op_count + 2);
    pthread_mutex_unlock(&r->lock);
    return rc;
}

static int worker_loop(run *r, worker *w, fl_error *err)
{
    pipe *p = r->p;
    ex_ctx *ctx = r->ex->ctx;
    FL_TRY(worker_locals(r, w, err));
    level *src = &w->levels[0];
    for (;;) {
        if (atomic_load(&r->stop)) break;
        if (canceled(ctx))
            return fl_error_set_sqlstate(err, FLOE_ECANCELED, "57014",
                                         "canceling statement due to user request");
        prof_switch(w, 0);
        FL_TRY(level_prepare(src, err));
        ex_source_result res = EX_SOURCE_HAVE_MORE;
        FL_TRY(p->source->vt->get_data(p->source, ctx, r->src_global, w->src_local, &src->chunk,
                                       &res, err));
        if (w->prof_rows) w->prof_rows[0] += src->chunk.count;
        if (src->chunk.count > 0) FL_TRY(push(r, w, 0, &src->chunk, err));
        if (res == EX_SOURCE_DONE) break;
    }
    prof_switch(w, p->op_count + 2);
    pthread_mutex_lock(&r->lock);
    bool failed = r->rc < 0;
    pthread_mutex_unlock(&r->lock);
    if (!failed && p->sink->vt->combine) {
        prof_switch(w, p->op_count + 1);
        FL_TRY(p->sink->vt->combine(p->sink, ctx, r->sink_global, w->sink_local, err));
    }
    prof_switch(w, p->op_count + 2);
    return 0;
}

/* Profiling: adds a worker's figures to the profile entries (under the
 * runner lock: workers of one pipeline end concurrently), each slot's wall
 * time scaled by the worker's CPU / wall ratio; the runner slot goes to
 * the profile's runner time. */
static void worker_report(run *r, worker *w, int64_t cpu_ns, int64_t wall_ns)
{
    uint32_t n = r->p->op_count;
    double scale = wall_ns > 0 ? (double)cpu_ns / (double)wall_ns : 1.0;
    if (scale > 1.0) scale = 1.0;   /* clock granularity */
    pthread_mutex_lock(&r->lock);
    for (uint32_t k = 0; k < n + 2; k++) {
        ex_profile_op *e = r->prof_ops[k];
        if (!e) continue;
        e->cpu_ns += (int64_t)((double)w->prof_ns[k] * scale);
        /* a sink's rows are its output as a source, counted there */
        if (k <= n) e->rows += w->prof_rows[k];
    }
    r->ex->prof->runner_ns += (int64_t)((double)w->prof_ns[n + 2] * scale);
    r->ex->prof->clock_reads += w->prof_reads;
    pthread_mutex_unlock(&r->lock);
}

static void worker_main(void *arg, size_t index, int thread)
{
    run *r = arg;
    (void)thread;
    fl_error err;
    fl_error_clear(&err);
    worker *w = &r->workers[index];
    int64_t cpu0 = 0, wall0 = 0;
    if (w->prof_ns) {
        cpu0 = ex_clock_thread_ns();
        wall0 = w->prof_last = ex_clock_wall_ns();
        w->prof_cur = r->p->op_count + 2;
    }
    int rc = worker_loop(r, w, &err);
    if (w->prof_ns) {
        prof_switch(w, r->p->op_count + 2);
        worker_report(r, w, ex_clock_thread_ns() - cpu0, w->prof_last - wall0);
    }
    if (rc < 0) run_fail(r, rc, &err);
}

/* Profiling: the process CPU time since *t0 goes to entry e (callbacks
 * run on this thread while no worker runs, possibly using the pool). */
static void charge_process(ex_profile_op *e, int64_t *t0)
{
    if (!e) return;
    int64_t t = ex_clock_process_ns();
    e->cpu_ns += t - *t0;
    *t0 = t;
}

static int run_globals(run *r, fl_error *err)
{
    executor *ex = r->ex;
    pipe *p = r->p;
    ex_ctx *ctx = ex->ctx;
    ex_profile_op **po = r->prof_ops;
    int64_t t0 = po ? ex_clock_process_ns() : 0;
    if (p->source->vt->source_global)
        FL_TRY(p->source->vt->source_global(p->source, ctx, &r->src_global, err));
    if (po) charge_process(po[0], &t0);
    r->op_globals = fl_arena_calloc(ctx->arena, (p->op_count + 1) * sizeof *r->op_globals);
    if (!r->op_globals) return oom(err);
    for (uint32_t i = 0; i < p->op_count; i++) {
        ex_op *op = p->ops[i];
        op_global *g = find_global(ex, op, true);
        if (!g) return oom(err);
        if (!g->gstate && op->vt->op_global) FL_TRY(op->vt->op_global(op, ctx, &g->gstate, err));
        r->op_globals[i] = g->gstate;
        if (po) charge_process(po[i + 1], &t0);
    }
    if (!p->sink->sink_state) {
        void *gs = NULL;
        if (p->sink->vt->sink_global) FL_TRY(p->sink->vt->sink_global(p->sink, ctx, &gs, err));
        /* a non-NULL marker even for sinks without global state */
        p->sink->sink_state = gs ? gs : (void *)p->sink;
    }
    if (po) charge_process(po[p->op_count + 1], &t0);
    r->sink_global = p->sink->sink_state == (void *)p->sink ? NULL : p->sink->sink_state;
    return 0;
}

/* Profiling: the entries of the pipeline's source, operators and sink. */
static int profile_pipe(run *r, fl_error *err)
{
    executor *ex = r->ex;
    pipe *p = r->p;
    r->prof_ops = fl_arena_calloc(ex->ctx->arena, (p->op_count + 2) * sizeof *r->prof_ops);
    if (!r->prof_ops) return oom(err);
    r->prof_ops[0] = ex_profile_find(ex->prof, p->source);
    for (uint32_t i = 0; i < p->op_count; i++) r->prof_ops[i + 1] = ex_profile_find(ex->prof, p->ops[i]);
    ex_profile_op *s = ex_profile_find(ex->prof, p->sink);
    r->prof_ops[p->op_count + 1] = s ? s : &ex->collector;
    ex->prof->pipelines++;
    return 0;
}

static int worker_init(run *r, worker *w, fl_error *err)
{
    ex_ctx *ctx = r->ex->ctx;
    pipe *p = r->p;
    w->arena = fl_arena_new_child(ctx->arena, 0);
    w->levels = fl_arena_calloc(ctx->arena, (p->op_count + 1) * sizeof *w->levels);
    w->op_locals = fl_arena_calloc(ctx->arena, (p->op_count + 1) * sizeof *w->op_locals);
    if (!w->arena || !w->levels || !w->op_locals) return oom(err);
    if (r->prof_ops) {
        w->prof_ns = fl_arena_calloc(ctx->arena, (p->op_count + 3) * sizeof *w->prof_ns);
        w->prof_rows = fl_arena_calloc(ctx->arena, (p->op_count + 3) * sizeof *w->prof_rows);
        if (!w->prof_ns || !w->prof_rows) return oom(err);
    }
    FL_TRY(level_init(r->ex, &w->levels[0], p->source, err));
    for (uint32_t i = 0; i < p->op_count; i++)
        FL_TRY(level_init(r->ex, &w->levels[i + 1], p->ops[i], err));
    return 0;
}

static int run_pipe(executor *ex, pipe *p, fl_error *err)
{
    ex_ctx *ctx = ex->ctx;
    run *r = fl_arena_calloc(ctx->arena, sizeof *r);
    if (!r) return oom(err);
    r->ex = ex;
    r->p = p;
    pthread_mutex_init(&r->lock, NULL);
    atomic_init(&r->stop, false);
    fl_error_clear(&r->err);
    int rc = ex->prof ? profile_pipe(r, err) : 0;
    if (rc == 0) rc = run_globals(r, err);
    uint32_t n = p->single || ctx->threads < 1 ? 1 : (uint32_t)ctx->threads;
    /* a CTE buffer is complete by now: its size says whether threads help */
    size_t chunks = ex_cte_scan_chunks(p->source);
    if (chunks < n) n = chunks ? (uint32_t)chunks : 1;
    r->workers = rc == 0 ? fl_arena_calloc(ctx->arena, n * sizeof *r->workers) : NULL;
    if (rc == 0 && !r->workers) rc = oom(err);
    for (uint32_t t = 0; rc == 0 && t < n; t++) {
        r->worker_count = t + 1;
        rc = worker_init(r, &r->workers[t], err);
    }
    if (rc == 0) {
        fl_pool_run(ctx->pool, n, worker_main, r);
        if (r->rc < 0) {
            rc = r->rc;
            if (err) *err = r->err;
        } else if (canceled(ctx)) {
            rc = fl_error_set_sqlstate(err, FLOE_ECANCELED, "57014",
                                       "canceling statement due to user request");
        }
    }
    for (uint32_t t = 0; t < r->worker_count; t++)
        if (r->workers[t].levels)
            for (uint32_t i = 0; i <= p->op_count; i++)
                level_dispose(ex, &r->workers[t].levels[i]);
    pthread_mutex_destroy(&r->lock);
    if (rc < 0) return rc;
    op_global *g = find_global(ex, p->sink, false);
    if (g && --g->sink_pipes == 0 && p->sink->vt->finalize) {
        int64_t t0 = r->prof_ops ? ex_clock_process_ns() : 0;
        FL_TRY(p->sink->vt->finalize(p->sink, ctx, r->sink_global, err));
        if (r->prof_ops) charge_process(r->prof_ops[p->op_count + 1], &t0);
    }
    return 0;
}

/* ---------------------------------------------------------------- result collector */

static int collect_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    return ex_buffer_new((ex_buffer **)gstate, op->types, op->col_count, ctx, err);
}

static int collect_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                              void **lstate, fl_error *err)
{
    (void)op; (void)ctx; (void)gstate;
    return ex_buffer_local_new((ex_buffer_local **)lstate, thread_arena, err);
}

static int collect_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                        fl_error *err)
{
    (void)op; (void)ctx;
    return ex_buffer_append(lstate, gstate, in, err);
}

static int collect_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    return ex_buffer_combine(gstate, lstate, err);
}

static const ex_op_vtable collect_vt = {
    .name = "RESULT_COLLECTOR",
    .sink_global = collect_sink_global,
    .sink_local = collect_sink_local,
    .sink = collect_sink,
    .combine = collect_combine,
};

static int run_all(ex_op *root, ex_op *sink, ex_ctx *ctx, ex_profile *prof, fl_error *err)
{
    executor ex = {.ctx = ctx, .err = err, .prof = prof};
    int rc = new_pipe_into(&ex, root, sink, 0);
    for (uint32_t i = 0; rc == 0 && i < ex.count; i++) rc = run_pipe(&ex, ex.pipes[i], err);
    if (prof) prof->collector_ns = ex.collector.cpu_ns;
    spares_free(&ex.spare_chunk);
    spares_free(&ex.spare_keep);
    return rc;
}

int ex_run_pipelines(ex_op *root, ex_op *sink, ex_ctx *ctx, fl_error *err)
{
    return run_all(root, sink, ctx, NULL, err);
}

int ex_run_profiled(ex_result *out, ex_op *root, ex_ctx *ctx, ex_profile *prof, fl_error *err)
{
    memset(out, 0, sizeof *out);
    ex_op *sink = fl_arena_calloc(ctx->arena, sizeof *sink);
    if (!sink) return oom(err);
    sink->vt = &collect_vt;
    sink->types = root->types;
    sink->col_count = root->col_count;
    sink->children = fl_arena_alloc(ctx->arena, sizeof *sink->children);
    if (!sink->children) return oom(err);
    sink->children[0] = root;
    sink->child_count = 1;
    int64_t wall0 = 0, cpu0 = 0;
    if (prof) {
        prof->threads = ctx->threads;
        wall0 = ex_clock_wall_ns();
        cpu0 = ex_clock_process_ns();
    }
    FL_TRY(run_all(root, sink, ctx, prof, err));
    const ex_buffer *b = sink->sink_state;
    out->types = root->types;
    out->col_count = root->col_count;
    out->chunks = b->chunks;
    out->chunk_count = b->count;
    out->row_count = b->rows;
    if (prof) {
        prof->cpu_ns = ex_clock_process_ns() - cpu0;
        prof->wall_ns = ex_clock_wall_ns() - wall0;
        prof->rows = b->rows;
    }
    return 0;
}

int ex_run(ex_result *out, ex_op *root, ex_ctx *ctx, fl_error *err)
{
    return ex_run_profiled(out, root, ctx, NULL, err);
}

/* ---------------------------------------------------------------- profile */

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t ex_clock_thread_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }
int64_t ex_clock_process_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }
int64_t ex_clock_wall_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

static int count_ops(uint32_t *n, const ex_op *op, int depth, fl_error *err)
{
    if (depth > 2000) return fl_error_set(err, FLOE_ELIMIT, "plan is too deep to profile");
    (*n)++;
    for (uint32_t i = 0; i < op->child_count; i++)
        if (op->children[i]) FL_TRY(count_ops(n, op->children[i], depth + 1, err));
    return 0;
}

static void fill_ops(ex_profile *prof, const ex_op *op, int depth)
{
    ex_profile_op *e = &prof->ops[prof->count++];
    e->op = op;
    e->depth = depth;
    for (uint32_t i = 0; i < op->child_count; i++)
        if (op->children[i]) fill_ops(prof, op->children[i], depth + 1);
}

int ex_profile_new(ex_profile **out, const ex_op *root, fl_arena *arena, fl_error *err)
{
    uint32_t n = 0;
    FL_TRY(count_ops(&n, root, 0, err));
    ex_profile *prof = fl_arena_calloc(arena, sizeof *prof);
    if (prof) prof->ops = fl_arena_calloc(arena, n * sizeof *prof->ops);
    if (!prof || !prof->ops) return oom(err);
    fill_ops(prof, root, 0);
    *out = prof;
    return 0;
}

ex_profile_op *ex_profile_find(ex_profile *prof, const ex_op *op)
{
    /* once per pipeline and operator: a linear search is fine */
    for (uint32_t i = 0; i < prof->count; i++)
        if (prof->ops[i].op == op) return &prof->ops[i];
    return NULL;
}
