/*
 * threads.h: a fixed pool of worker threads (pthreads).
 *
 * fl_pool_run runs fn(ctx, i, worker) for every i in [0, n) across the pool
 * and the calling thread, and returns when all are done: the building block
 * for morsel-driven loops. fl_pool_submit/fl_taskgroup_wait run independent
 * tasks. `worker` is a stable index in [0, fl_pool_threads(pool)] usable for
 * per-thread state (the calling thread gets the last index).
 * A NULL pool runs everything on the calling thread.
 */
#ifndef FL_THREADS_H
#define FL_THREADS_H

#include <stddef.h>

typedef struct fl_pool fl_pool;

int fl_cpu_count(void);
/* threads <= 0 means fl_cpu_count() - 1 workers (the caller also works). */
int fl_pool_new(fl_pool **out, int threads);
void fl_pool_free(fl_pool *pool);
int fl_pool_threads(const fl_pool *pool);   /* worker count; 0 for NULL */

typedef void (*fl_range_fn)(void *ctx, size_t index, int worker);
void fl_pool_run(fl_pool *pool, size_t n, fl_range_fn fn, void *ctx);

typedef struct fl_taskgroup fl_taskgroup;
int fl_taskgroup_new(fl_taskgroup **out, fl_pool *pool);
/* Queues fn(arg); with a NULL pool runs it now. 0 or FLOE_ENOMEM. */
int fl_taskgroup_submit(fl_taskgroup *group, void (*fn)(void *arg), void *arg);
/* Waits for every task submitted to the group (the caller helps run them). */
void fl_taskgroup_wait(fl_taskgroup *group);
void fl_taskgroup_free(fl_taskgroup *group);

#endif
