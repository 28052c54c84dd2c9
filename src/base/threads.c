/*
 * threads.c: the worker pool behind fl_pool_run and task groups (see threads.h).
 *
 * One mutex guards one queue of pending work. The queue holds two kinds of
 * entries: range jobs (one per fl_pool_run call, living on the caller's
 * stack) and task groups that have unclaimed tasks. Range jobs go to the
 * front, because a caller is blocked on them; task groups to the back.
 *
 * A range job stays queued until all its indices are claimed; every thread
 * that helps claims indices with an atomic counter (no lock per index) and is
 * counted in job->active while it does, so the owner knows when the last
 * claimed index has finished. The owner always claims indices itself, which
 * is what makes nested use safe: a pool_run issued from inside a worker's fn
 * completes even when every other worker is busy, and waiting is only ever
 * for work that some thread is actively running (so no cycles).
 *
 * Task groups keep their own FIFO of tasks. fl_taskgroup_wait runs the
 * group's unclaimed tasks on the calling thread, then waits for the ones
 * other threads are running. It never runs other groups' tasks, so a wait
 * finishes as soon as its own work is done.
 *
 * Completion is signalled on one pool-wide condition variable (broadcast);
 * waiters re-check their own condition. The per-thread worker index comes
 * from a thread-local set by each worker thread; a thread outside the pool
 * gets index fl_pool_threads(pool).
 */
#include "threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"

enum { NODE_RANGE = 1, NODE_GROUP = 2 };

typedef struct qnode {
    struct qnode *prev, *next;
    int kind;
    bool queued;
} qnode;

typedef struct range_job {
    qnode node;                 /* must be first */
    fl_range_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next_index;
    int active;                 /* helpers currently claiming (under pool lock) */
} range_job;

typedef struct task {
    struct task *next;
    void (*fn)(void *arg);
    void *arg;
} task;

struct fl_taskgroup {
    qnode node;                 /* must be first */
    fl_pool *pool;
    task *head, *tail;          /* unclaimed tasks (under pool lock) */
    size_t pending;             /* submitted and not yet finished */
};

struct fl_pool {
    pthread_mutex_t lock;
    pthread_cond_t work_cv;     /* queue became non-empty, or stop */
    pthread_cond_t done_cv;     /* some job or task finished */
    qnode queue;                /* circular list sentinel */
    bool stop;
    int threads;
    int started;
    pthread_t *tids;
};

typedef struct {
    fl_pool *pool;
    int index;
} worker_arg;

static _Thread_local fl_pool *tls_pool;
static _Thread_local int tls_index;

int fl_cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* ---- queue (caller holds pool->lock) ---- */

static void queue_push_front(fl_pool *p, qnode *n)
{
    n->prev = &p->queue;
    n->next = p->queue.next;
    p->queue.next->prev = n;
    p->queue.next = n;
    n->queued = true;
}

static void queue_push_back(fl_pool *p, qnode *n)
{
    n->next = &p->queue;
    n->prev = p->queue.prev;
    p->queue.prev->next = n;
    p->queue.prev = n;
    n->queued = true;
}

static void queue_remove(qnode *n)
{
    if (!n->queued) return;
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = NULL;
    n->queued = false;
}

/* ---- range jobs ---- */

static inline int my_index(const fl_pool *pool)
{
    return tls_pool == pool ? tls_index : pool->threads;
}

static void claim_loop(range_job *job, int worker)
{
    for (;;) {
        size_t i = atomic_fetch_add_explicit(&job->next_index, 1, memory_order_relaxed);
        if (i >= job->n) return;
        job->fn(job->ctx, i, worker);
    }
}

/* Called with the lock held; returns with it held. */
static void help_range(fl_pool *pool, range_job *job)
{
    job->active++;
    pthread_mutex_unlock(&pool->lock);
    claim_loop(job, my_index(pool));
    pthread_mutex_lock(&pool->lock);
    queue_remove(&job->node);          /* all indices are claimed now */
    if (--job->active == 0) pthread_cond_broadcast(&pool->done_cv);
}

void fl_pool_run(fl_pool *pool, size_t n, fl_range_fn fn, void *ctx)
{
    if (n == 0) return;
    if (!pool || pool->started == 0 || n == 1) {
        int worker = pool ? my_index(pool) : 0;
        for (size_t i = 0; i < n; i++) fn(ctx, i, worker);
        return;
    }
    range_job job;
    job.node.kind = NODE_RANGE;
    job.node.queued = false;
    job.fn = fn;
    job.ctx = ctx;
    job.n = n;
    atomic_init(&job.next_index, 0);
    job.active = 0;

    pthread_mutex_lock(&pool->lock);
    queue_push_front(pool, &job.node);
    if (n - 1 >= (size_t)pool->started) pthread_cond_broadcast(&pool->work_cv);
    else for (size_t i = 0; i + 1 < n; i++) pthread_cond_signal(&pool->work_cv);
    pthread_mutex_unlock(&pool->lock);

    claim_loop(&job, my_index(pool));

    pthread_mutex_lock(&pool->lock);
    queue_remove(&job.node);
    while (job.active > 0) pthread_cond_wait(&pool->done_cv, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

/* ---- task groups ---- */

/* Called with the lock held and group->head non-NULL; pops one task. */
static task *group_pop(fl_taskgroup *g)
{
    task *t = g->head;
    g->head = t->next;
    if (!g->head) {
        g->tail = NULL;
        queue_remove(&g->node);
    }
    return t;
}

/* Runs t with the lock released; returns with it held. */
static void run_task(fl_pool *pool, fl_taskgroup *g, task *t)
{
    pthread_mutex_unlock(&pool->lock);
    t->fn(t->arg);
    fl_free(t);
    pthread_mutex_lock(&pool->lock);
    if (--g->pending == 0) pthread_cond_broadcast(&pool->done_cv);
}

int fl_taskgroup_new(fl_taskgroup **out, fl_pool *pool)
{
    fl_taskgroup *g = fl_calloc(1, sizeof *g);
    if (!g) return FLOE_ENOMEM;
    g->node.kind = NODE_GROUP;
    g->pool = pool;
    *out = g;
    return 0;
}

int fl_taskgroup_submit(fl_taskgroup *group, void (*fn)(void *arg), void *arg)
{
    fl_pool *pool = group->pool;
    if (!pool || pool->started == 0) {
        fn(arg);
        return 0;
    }
    task *t = fl_malloc(sizeof *t);
    if (!t) return FLOE_ENOMEM;
    t->next = NULL;
    t->fn = fn;
    t->arg = arg;
    pthread_mutex_lock(&pool->lock);
    if (group->tail) group->tail->next = t;
    else group->head = t;
    group->tail = t;
    group->pending++;
    if (!group->node.queued) queue_push_back(pool, &group->node);
    pthread_cond_signal(&pool->work_cv);
    pthread_mutex_unlock(&pool->lock);
    return 0;
}

void fl_taskgroup_wait(fl_taskgroup *group)
{
    fl_pool *pool = group->pool;
    if (!pool || pool->started == 0) return;
    pthread_mutex_lock(&pool->lock);
    while (group->head) run_task(pool, group, group_pop(group));
    while (group->pending > 0) pthread_cond_wait(&pool->done_cv, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

void fl_taskgroup_free(fl_taskgroup *group)
{
    if (!group) return;
    fl_taskgroup_wait(group);
    fl_free(group);
}

/* ---- workers ---- */

static void *worker_main(void *varg)
{
    worker_arg *wa = varg;
    fl_pool *pool = wa->pool;
    tls_pool = pool;
    tls_index = wa->index;
    fl_free(wa);

    pthread_mutex_lock(&pool->lock);
    for (;;) {
        qnode *n = pool->queue.next;
        if (n == &pool->queue) {
            if (pool->stop) break;
            pthread_cond_wait(&pool->work_cv, &pool->lock);
            continue;
        }
        if (n->kind == NODE_RANGE) {
            range_job *job = (range_job *)n;
            if (atomic_load_explicit(&job->next_index, memory_order_relaxed) >= job->n) {
                queue_remove(n);        /* fully claimed; the owner is finishing it */
                continue;
            }
            help_range(pool, job);
        } else {
            fl_taskgroup *g = (fl_taskgroup *)n;
            run_task(pool, g, group_pop(g));
        }
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

int fl_pool_new(fl_pool **out, int threads)
{
    if (threads <= 0) threads = fl_cpu_count() - 1;
    if (threads < 0) threads = 0;
    fl_pool *pool = fl_calloc(1, sizeof *pool);
    if (!pool) return FLOE_ENOMEM;
    pool->queue.next = pool->queue.prev = &pool->queue;
    pool->threads = threads;
    if (pthread_mutex_init(&pool->lock, NULL) != 0) {
        fl_free(pool);
        return FLOE_ERROR;
    }
    pthread_cond_init(&pool->work_cv, NULL);
    pthread_cond_init(&pool->done_cv, NULL);
    if (threads > 0) {
        pool->tids = fl_calloc((size_t)threads, sizeof *pool->tids);
        if (!pool->tids) {
            fl_pool_free(pool);
            return FLOE_ENOMEM;
        }
    }
    for (int i = 0; i < threads; i++) {
        worker_arg *wa = fl_malloc(sizeof *wa);
        if (!wa) {
            fl_pool_free(pool);
            return FLOE_ENOMEM;
        }
        wa->pool = pool;
        wa->index = i;
        if (pthread_create(&pool->tids[i], NULL, worker_main, wa) != 0) {
            fl_free(wa);
            fl_pool_free(pool);
            return FLOE_ERROR;
        }
        pool->started++;
    }
    *out = pool;
    return 0;
}

void fl_pool_free(fl_pool *pool)
{
    if (!pool) return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = true;
    pthread_cond_broadcast(&pool->work_cv);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->started; i++) pthread_join(pool->tids[i], NULL);
    pthread_cond_destroy(&pool->work_cv);
    pthread_cond_destroy(&pool->done_cv);
    pthread_mutex_destroy(&pool->lock);
    fl_free(pool->tids);
    fl_free(pool);
}

int fl_pool_threads(const fl_pool *pool) { return pool ? pool->started : 0; }
