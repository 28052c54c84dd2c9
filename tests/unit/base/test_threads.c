/*
 * test_threads.c: the worker pool: range loops, per-worker state, nesting,
 * task groups, concurrent callers and the NULL (inline) pool.
 */
#include "../test.h"

#include <pthread.h>
#include <stdatomic.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/error.h"
#include "../../../src/base/threads.h"

typedef struct {
    uint64_t *out;
    int max_worker;
    atomic_int bad_worker;
    atomic_size_t calls;
    uint64_t per_worker[64];   /* written only by that worker */
} range_ctx;

static void square_fn(void *vctx, size_t i, int worker)
{
    range_ctx *c = vctx;
    c->out[i] = (uint64_t)i * i;
    if (worker < 0 || worker > c->max_worker) atomic_store(&c->bad_worker, 1);
    else c->per_worker[worker] += i;
    atomic_fetch_add(&c->calls, 1);
}

static void check_squares(fl_pool *pool, size_t n)
{
    range_ctx c;
    memset(&c, 0, sizeof c);
    c.out = fl_calloc(n, sizeof *c.out);
    c.max_worker = fl_pool_threads(pool);
    fl_pool_run(pool, n, square_fn, &c);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += c.out[i] != (uint64_t)i * i;
    CHECK_EQ(bad, 0);
    CHECK_EQ(atomic_load(&c.calls), n);
    CHECK_EQ(atomic_load(&c.bad_worker), 0);
    uint64_t total = 0;
    for (int w = 0; w <= c.max_worker; w++) total += c.per_worker[w];
    CHECK_EQ(total, (uint64_t)n * (n - 1) / 2);
    fl_free(c.out);
}

TEST(threads_null_pool_runs_inline)
{
    CHECK_EQ(fl_pool_threads(NULL), 0);
    check_squares(NULL, 1000);
    check_squares(NULL, 0 + 1);
    fl_pool_run(NULL, 0, square_fn, NULL);   /* n == 0: fn never called */
}

TEST(threads_many_indices_every_one_once)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 3), 0);
    CHECK_EQ(fl_pool_threads(pool), 3);
    check_squares(pool, 200000);
    check_squares(pool, 2);
    check_squares(pool, 7);
    for (int i = 0; i < 200; i++) check_squares(pool, (size_t)i + 1);
    fl_pool_free(pool);
}

TEST(threads_default_size_and_zero_workers)
{
    CHECK(fl_cpu_count() >= 1);
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 0), 0);
    CHECK_EQ(fl_pool_threads(pool), fl_cpu_count() - 1);
    check_squares(pool, 5000);
    fl_pool_free(pool);
    fl_pool_free(NULL);
}

/* Every worker sees its own stable index: two threads never share one. */
typedef struct {
    atomic_int in_use[64];
    atomic_int collisions;
} owner_ctx;

static void owner_fn(void *vctx, size_t i, int worker)
{
    (void)i;
    owner_ctx *c = vctx;
    if (atomic_exchange(&c->in_use[worker], 1) != 0) atomic_fetch_add(&c->collisions, 1);
    for (volatile int spin = 0; spin < 200; spin++) {
    }
    atomic_store(&c->in_use[worker], 0);
}

TEST(threads_worker_index_is_exclusive)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 4), 0);
    owner_ctx c;
    memset(&c, 0, sizeof c);
    fl_pool_run(pool, 20000, owner_fn, &c);
    CHECK_EQ(atomic_load(&c.collisions), 0);
    fl_pool_free(pool);
}

/* Nested: each outer index runs an inner loop on the same pool. */
typedef struct {
    fl_pool *pool;
    uint64_t sums[16];
    atomic_int inner_collisions;
} nest_ctx;

typedef struct {
    nest_ctx *outer;
    size_t outer_index;
    uint64_t partial[64];   /* per worker */
} inner_ctx;

static void inner_fn(void *vctx, size_t i, int worker)
{
    inner_ctx *c = vctx;
    c->partial[worker] += i + c->outer_index;
}

static void outer_fn(void *vctx, size_t i, int worker)
{
    (void)worker;
    nest_ctx *n = vctx;
    inner_ctx c;
    memset(&c, 0, sizeof c);
    c.outer = n;
    c.outer_index = i;
    fl_pool_run(n->pool, 1000, inner_fn, &c);
    uint64_t s = 0;
    for (int w = 0; w <= fl_pool_threads(n->pool); w++) s += c.partial[w];
    n->sums[i] = s;
}

TEST(threads_nested_run_completes_and_is_correct)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 2), 0);
    for (int round = 0; round < 20; round++) {
        nest_ctx n;
        memset(&n, 0, sizeof n);
        n.pool = pool;
        fl_pool_run(pool, 16, outer_fn, &n);
        for (size_t i = 0; i < 16; i++) CHECK_EQ(n.sums[i], 999 * 1000 / 2 + 1000 * i);
    }
    fl_pool_free(pool);
}

/* ---- task groups ---- */

static atomic_long task_total;

static void add_task(void *arg) { atomic_fetch_add(&task_total, (long)(intptr_t)arg); }

TEST(threads_taskgroup_runs_every_task)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 3), 0);
    fl_taskgroup *g;
    CHECK_EQ(fl_taskgroup_new(&g, pool), 0);
    for (int round = 0; round < 5; round++) {
        atomic_store(&task_total, 0);
        for (long i = 1; i <= 2000; i++) CHECK_EQ(fl_taskgroup_submit(g, add_task, (void *)(intptr_t)i), 0);
        fl_taskgroup_wait(g);
        CHECK_EQ(atomic_load(&task_total), 2000L * 2001 / 2);
    }
    fl_taskgroup_wait(g);   /* nothing pending: returns at once */
    fl_taskgroup_free(g);
    fl_pool_free(pool);
}

TEST(threads_taskgroup_null_pool_runs_now)
{
    fl_taskgroup *g;
    CHECK_EQ(fl_taskgroup_new(&g, NULL), 0);
    atomic_store(&task_total, 0);
    CHECK_EQ(fl_taskgroup_submit(g, add_task, (void *)(intptr_t)5), 0);
    CHECK_EQ(atomic_load(&task_total), 5);   /* ran before submit returned */
    fl_taskgroup_wait(g);
    fl_taskgroup_free(g);
}

TEST(threads_taskgroup_submit_out_of_memory)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 1), 0);
    fl_taskgroup *g;
    CHECK_EQ(fl_taskgroup_new(&g, pool), 0);
    atomic_store(&task_total, 0);
    fl_alloc_fail_after(0);
    int rc = fl_taskgroup_submit(g, add_task, (void *)(intptr_t)1);
    fl_alloc_fail_after(-1);
    CHECK_EQ(rc, FLOE_ENOMEM);
    fl_taskgroup_wait(g);
    CHECK_EQ(atomic_load(&task_total), 0);
    fl_taskgroup_free(g);
    fl_pool_free(pool);
}

/* Tasks that run range loops and a second group inside a task. */
typedef struct {
    fl_pool *pool;
    uint64_t result;
} loop_task_arg;

static void loop_task(void *varg)
{
    loop_task_arg *a = varg;
    range_ctx c;
    memset(&c, 0, sizeof c);
    c.out = fl_calloc(3000, sizeof *c.out);
    c.max_worker = fl_pool_threads(a->pool);
    fl_pool_run(a->pool, 3000, square_fn, &c);
    uint64_t s = 0;
    for (size_t i = 0; i < 3000; i++) s += c.out[i];
    fl_free(c.out);
    fl_taskgroup *inner;
    if (fl_taskgroup_new(&inner, a->pool) == 0) {
        for (int i = 0; i < 10; i++) fl_taskgroup_submit(inner, add_task, (void *)(intptr_t)1);
        fl_taskgroup_free(inner);   /* waits */
    }
    a->result = s;
}

TEST(threads_tasks_use_pool_inside)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 2), 0);
    fl_taskgroup *g;
    CHECK_EQ(fl_taskgroup_new(&g, pool), 0);
    loop_task_arg args[12];
    atomic_store(&task_total, 0);
    for (int i = 0; i < 12; i++) {
        args[i].pool = pool;
        args[i].result = 0;
        CHECK_EQ(fl_taskgroup_submit(g, loop_task, &args[i]), 0);
    }
    fl_taskgroup_wait(g);
    uint64_t expect = 0;
    for (uint64_t i = 0; i < 3000; i++) expect += i * i;
    for (int i = 0; i < 12; i++) CHECK_EQ(args[i].result, expect);
    CHECK_EQ(atomic_load(&task_total), 120);
    fl_taskgroup_free(g);
    fl_pool_free(pool);
}

/* Two outside threads share one pool at the same time. */
static void *external_caller(void *vpool)
{
    fl_pool *pool = vpool;
    for (int i = 0; i < 50; i++) check_squares(pool, 4000);
    return NULL;
}

TEST(threads_concurrent_external_callers)
{
    fl_pool *pool;
    CHECK_EQ(fl_pool_new(&pool, 2), 0);
    pthread_t t1, t2;
    pthread_create(&t1, NULL, external_caller, pool);
    pthread_create(&t2, NULL, external_caller, pool);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    fl_pool_free(pool);
}

TEST(threads_pool_create_free_repeatedly)
{
    for (int i = 0; i < 30; i++) {
        fl_pool *pool;
        CHECK_EQ(fl_pool_new(&pool, 1 + i % 4), 0);
        if (i % 2) check_squares(pool, 100);
        fl_pool_free(pool);
    }
}
