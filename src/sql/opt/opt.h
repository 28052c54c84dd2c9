/*
 * opt.h: the optimizer: a fixed sequence of rewrite rules over the logical
 * plan (src/sql/plan/plan.h), one rule per file (DuckDB's way):
 *   opt_fold.c            constant folding and expression simplification
 *   opt_filter_pushdown.c predicates down to scans and join conditions
 *                         (feeds Iceberg partition/metrics pruning and
 *                         Parquet row-group pruning through PLAN_GET.filters)
 *   opt_join_order.c      join ordering from statistics (row estimates from
 *                         snapshot summaries / file metrics), build side =
 *                         smaller side
 *   opt_projection.c      unused columns removed (scans read only what is used)
 *   opt_topn.c            ORDER BY + LIMIT -> TOPN; limit pushdown
 *   opt_cte.c             CTEs used once are inlined; used more: materialized
 * Rules keep the plan's output bindings intact.
 */
#ifndef OPT_H
#define OPT_H

#include "../../base/arena.h"
#include "../../base/error.h"
#include "../plan/plan.h"

int opt_optimize(plan_stmt *stmt, fl_arena *arena, fl_error *err);

#endif
