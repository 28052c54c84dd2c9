/*
 * ice_expr.h: bound filter expressions for scans: predicates on columns
 * (by field id, with fl_value literals of the column's type) combined with
 * and / or / not, and the four evaluations scan planning and reading need:
 *
 *   partition   might a file whose partition tuple is `values` hold a
 *               matching row? Each predicate is projected inclusively
 *               through every partition field of its column (ice_projection)
 *               and the projections are tested on the partition values.
 *   ranges      might a set of rows whose per-column value ranges are known
 *               hold a matching row? One evaluator serves the manifest
 *               list's partition field summaries and a data file's column
 *               metrics, following Iceberg Java's InclusiveMetricsEvaluator
 *               (all-null columns fail comparisons, NaN bounds are ignored,
 *               missing statistics never prune).
 *   rows        which rows of a batch match (residual filtering).
 *
 * NOT is pushed into the predicates first (ice_expr_rewrite_not), so the
 * "might match" evaluators combine with plain and / or.
 *
 * The text form (ice_expr_parse) is the CLI's --filter: for example
 *   ts >= '2024-01-01' and id in (1, 2, 3) or not (name starts with 'a')
 * Operators: = == != <> < <= > >=, [not] between x and y, [not] in (...),
 * is [not] null, is [not] nan, [not] starts with 'p', and / or / not,
 * parentheses, true / false. Literals are numbers, 'quoted strings' ('' for
 * a quote) and true / false; each is converted to its column's type
 * (dates, timestamps, decimals and uuids from their text). Column names may
 * be dotted and "double-quoted"; they resolve case-sensitively first, then
 * case-insensitively. Keywords are case-insensitive.
 *
 * Everything lives in the caller's arena.
 */
#ifndef ICE_EXPR_H
#define ICE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/column.h"
#include "../base/error.h"
#include "ice_partition.h"
#include "ice_projection.h"
#include "ice_schema.h"

typedef enum ice_expr_kind {
    ICE_EXPR_TRUE = 0,
    ICE_EXPR_FALSE,
    ICE_EXPR_PRED,
    ICE_EXPR_AND,
    ICE_EXPR_OR,
    ICE_EXPR_NOT,
} ice_expr_kind;

typedef struct ice_expr ice_expr;
struct ice_expr {
    ice_expr_kind kind;
    ice_pred pred;               /* PRED (never TRUE/FALSE ops) */
    const ice_type *type;        /* PRED: the column's type */
    const ice_expr *left;        /* AND / OR / NOT */
    const ice_expr *right;       /* AND / OR */
};

/* ---- building (NULL on OOM) ---- */

const ice_expr *ice_expr_true(void);
const ice_expr *ice_expr_false(void);
/* `field_id op values`; values are copied (strings too). */
const ice_expr *ice_expr_pred(fl_arena *arena, ice_pred_op op, int32_t field_id,
                              const ice_type *type, const fl_value *values, size_t value_count);
const ice_expr *ice_expr_and(fl_arena *arena, const ice_expr *a, const ice_expr *b);
const ice_expr *ice_expr_or(fl_arena *arena, const ice_expr *a, const ice_expr *b);
const ice_expr *ice_expr_not(fl_arena *arena, const ice_expr *a);
/* Binds `op` on a column found by name in schema. */
int ice_expr_bind(const ice_expr **out, const ice_schema *schema, const char *column,
                  ice_pred_op op, const fl_value *values, size_t value_count, fl_arena *arena,
                  fl_error *err);

/* An equivalent expression without NOT (negations pushed into predicates). */
const ice_expr *ice_expr_rewrite_not(fl_arena *arena, const ice_expr *e);
/* Appends readable text: "(3 >= 10 and 4 is null)" with field ids. */
int ice_expr_format(fl_buf *out, const ice_expr *e);
/* The field ids the expression refers to, without repeats, into ids
 * (capacity cap); returns how many there are (may exceed cap). */
size_t ice_expr_field_ids(const ice_expr *e, int32_t *ids, size_t cap);

/* Parses filter text against schema (see above). FLOE_EINVAL with a message
 * naming the position on syntax errors, unknown columns or bad literals. */
int ice_expr_parse(const ice_expr **out, const char *text, const ice_schema *schema,
                   fl_arena *arena, fl_error *err);

/* ---- evaluation ---- */

/* The value of one predicate on one value (row semantics: comparisons with
 * NULL are false; NaN compares as Iceberg does: only is_nan matches it). */
bool ice_pred_test(const ice_pred *pred, const fl_value *v);

/* Might rows in a partition with these values (spec field order, types of
 * the transform results) match? e must be NOT-free. */
int ice_expr_eval_partition(bool *out, const ice_expr *e, const ice_partition_spec *spec,
                            const ice_schema *schema, const fl_value *partition_values,
                            fl_arena *scratch, fl_error *err);

/* What is known about the values of one column in a set of rows. The
 * "unknown" state (ice_range_stats_unknown) never prunes. */
typedef struct ice_range_stats {
    bool all_null;               /* every value is null (no NaN either) */
    bool may_have_null;          /* false only when known to have no null */
    bool may_have_nan;           /* false only when known to have no NaN */
    bool all_nan;                /* every value is NaN */
    bool has_lower, has_upper;
    fl_value lower, upper;       /* of the column's type (or a promotable narrower one) */
} ice_range_stats;

void ice_range_stats_unknown(ice_range_stats *st);

/* Looks up the statistics of field_id (of type t); *out arrives unknown. */
typedef int (*ice_stats_fn)(void *ctx, int32_t field_id, const ice_type *t, ice_range_stats *out,
                            fl_error *err);

/* Might a row described by these statistics match? e must be NOT-free.
 * row_count < 0 when unknown. */
int ice_expr_eval_ranges(bool *out, const ice_expr *e, ice_stats_fn stats, void *ctx,
                         int64_t row_count, fl_error *err);

/* The range test of one predicate. */
bool ice_pred_might_match(const ice_pred *pred, const ice_range_stats *st, int64_t row_count);

/* Predicates projected onto a spec's partition fields: the inclusive
 * projection of e (NOT-free) as an expression over partition field ids
 * (types: the transform result types). Used with ice_expr_eval_ranges over
 * manifest partition summaries. */
int ice_expr_project(const ice_expr **out, const ice_expr *e, const ice_partition_spec *spec,
                     const ice_schema *schema, fl_arena *arena, fl_error *err);

/* Row evaluation: cols[i] holds the values of field_ids[i] for `rows` rows
 * (flat, non-nested columns). sel[r] is set to 1 for matching rows and 0
 * for the others. A predicate on a field not given is an error. */
int ice_expr_eval_rows(uint8_t *sel, const ice_expr *e, fl_column *const *cols,
                       const int32_t *field_ids, size_t col_count, size_t rows,
                       fl_error *err);

/* Compares values of compatible types (int family, float/double, decimals
 * of any scale, strings/binaries); *comparable is false otherwise. */
int ice_value_cmp_loose(const fl_value *a, const fl_value *b, bool *comparable);

#endif
