/*
 * ex_profile.h: the per-operator profile behind EXPLAIN ANALYZE (DuckDB's
 * QueryProfiler): for every operator of a physical plan the rows it
 * produced and the CPU time spent in its callbacks, summed over threads;
 * plus the query's wall time, its total CPU time and the part of it no
 * operator accounts for (the pipeline runner: chunk resets, scheduling).
 *
 * What is charged to an operator:
 * - source: get_data (its rows are the rows it emitted), source_local;
 * - streaming operator: execute (rows: the rows it emitted), op_local;
 * - sink: sink, sink_local, combine; finalize;
 * - globals (source_global, op_global, sink_global) and finalize run on the
 *   calling thread while no pipeline worker runs; they may use the pool
 *   themselves (a scan plans its files there, an aggregate merges
 *   partitions), so they are timed with the process CPU clock and charged
 *   whole, pool workers included.
 * In the workers a callback's time runs from one clock read to the next
 * (one read per callback: the time since the last read goes to whatever
 * ran, the callback about to run owns the time from now on), so preparing
 * an operator's output chunk counts as the operator's, and the runner's
 * own share in the workers (locals bookkeeping, the end of a worker) is
 * runner_ns. Those reads are of the monotonic clock (vDSO, cheap); the
 * thread CPU clock (a system call, 1-4 us on the shared VMs) is read at a
 * worker's start and end only, and its CPU time is shared out among the
 * callbacks in proportion to their wall time, so time the thread spent
 * preempted by other processes is not charged. clock_reads counts the
 * monotonic reads. An operator that is a sink and a source (aggregate,
 * sort), or a join (build sink + probe), is one entry with everything
 * added up. Clocks are read only when a profile is given: an unprofiled
 * run reads no clock per chunk.
 *
 * Lifetime: ex_profile_new allocates in the arena given (the query's);
 * nothing to free.
 */
#ifndef EX_PROFILE_H
#define EX_PROFILE_H

#include <stdint.h>

#include "op.h"

typedef struct ex_profile_op {
    const ex_op *op;
    int depth;                    /* in the tree, root 0 (EXPLAIN indentation) */
    int64_t rows;                 /* rows the operator produced */
    int64_t cpu_ns;               /* CPU time in its callbacks, all threads */
} ex_profile_op;

typedef struct ex_profile {
    ex_profile_op *ops;           /* the plan's operators in EXPLAIN order (pre-order) */
    uint32_t count;
    int64_t wall_ns;              /* ex_run, start to end */
    int64_t cpu_ns;               /* process CPU time over ex_run, all threads */
    int64_t collector_ns;         /* the result collector (sink of the last pipeline) */
    int64_t runner_ns;            /* the workers' time outside any callback */
    int64_t clock_reads;          /* clock reads in the workers */
    int64_t rows;                 /* result rows */
    int threads;                  /* ctx->threads of the run */
    uint32_t pipelines;
} ex_profile;

/* A profile with one zeroed entry per operator of the tree under root. */
int ex_profile_new(ex_profile **out, const ex_op *root, fl_arena *arena, fl_error *err);

/* The entry of op, or NULL if op is not in the profiled tree. */
ex_profile_op *ex_profile_find(ex_profile *prof, const ex_op *op);

/* ex_run that fills prof (from ex_profile_new over the same root). */
int ex_run_profiled(ex_result *out, ex_op *root, ex_ctx *ctx, ex_profile *prof, fl_error *err);

/* EXPLAIN ANALYZE: the plan as ex_explain prints it, each operator's line
 * followed by its actual rows, CPU time and share of the query's CPU time,
 * then summary lines (wall time, CPU time, runner overhead, clock reads). */
int ex_explain_analyze(fl_buf *out, const ex_op *root, const ex_profile *prof, fl_error *err);

/* Clocks in nanoseconds: this thread's CPU time, the process's CPU time,
 * monotonic wall time. */
int64_t ex_clock_thread_ns(void);
int64_t ex_clock_process_ns(void);
int64_t ex_clock_wall_ns(void);

#endif
