/*
 * opt_internal.h: what the optimizer's rules share: the rules' entry
 * points (one file each, run in this order by opt.c) and small helpers
 * over expression lists.
 */
#ifndef OPT_INTERNAL_H
#define OPT_INTERNAL_H

#include "../../base/arena.h"
#include "../../base/error.h"
#include "../plan/plan.h"

typedef struct opt_expr_list {
    plan_expr **items;
    uint32_t count, cap;
} opt_expr_list;

/* Appends e, split into its conjuncts when it is an AND. */
int opt_list_add_conjuncts(fl_arena *arena, opt_expr_list *l, plan_expr *e);
int opt_list_push(fl_arena *arena, opt_expr_list *l, plan_expr *e);
/* A copy of e with every COLREF of table `table`, column i, replaced by a copy
 * of exprs[i]; other nodes shared when unchanged. NULL on OOM. */
plan_expr *opt_subst(fl_arena *arena, plan_expr *e, uint32_t table, plan_expr *const *exprs,
                     uint32_t count);
/* Bindings-to-bindings substitution: {table, i} -> to[i] (copy-on-write). */
plan_expr *opt_rebind(fl_arena *arena, plan_expr *e, uint32_t table, const plan_binding *to,
                      uint32_t count);
/* Wraps child in a FILTER with the list's conjuncts (or returns child). */
plan_node *opt_filter_over(fl_arena *arena, plan_node *child, opt_expr_list *l);
/* Unfiltered rows of the largest table under n (the domain of its join keys). */
double opt_base_rows(const plan_node *n);
/* Estimated output rows (fills estimated_rows along the way). */
double opt_estimate(plan_node *n);

int opt_cte_inline(plan_node **root, fl_arena *arena, fl_error *err);
int opt_fold(plan_node **root, fl_arena *arena, fl_error *err);
int opt_filter_pushdown(plan_node **root, fl_arena *arena, fl_error *err);
int opt_join_order(plan_node **root, fl_arena *arena, fl_error *err);
/* SEMI/ANTI joins with a much smaller left side -> RIGHT_SEMI/RIGHT_ANTI */
int opt_build_side(plan_node **root, fl_arena *arena, fl_error *err);
/* repeated subexpressions of aggregate arguments / projections computed once
 * in a projection below (allocates table indexes) */
int opt_cse(plan_node **root, uint32_t *next_table_index, fl_arena *arena, fl_error *err);
int opt_projection(plan_node **root, uint32_t table_count, fl_arena *arena, fl_error *err);
int opt_topn(plan_node **root, fl_arena *arena, fl_error *err);
/* INNER -> SEMI, DISTINCT into CTEs, self semi-joins -> GROUP BY, where duplicates
 * cannot matter (may allocate table indexes: *next_table_index advances) */
int opt_dup_insensitive(plan_node **root, uint32_t *next_table_index, fl_arena *arena,
                        fl_error *err);
/* DISTINCT under the right input of SEMI/ANTI/MARK joins that may repeat rows */
int opt_semi_distinct(plan_node **root, fl_arena *arena, fl_error *err);

#endif
