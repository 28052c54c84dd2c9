/*
 * func_window.c: the ranking and navigation window functions' definitions
 * (names, arguments, return types) for fn_window_bind. The window operator
 * (src/exec/op/window.c) computes them; aggregates over a window frame use
 * the fn_agg_def aggregates instead.
 *
 *   row_number(), rank(), dense_rank()         bigint
 *   percent_rank(), cume_dist()                double
 *   ntile(bigint)                              bigint
 *   lag(x[, offset bigint[, default]])         type of x (default coerced to it)
 *   lead(x[, offset bigint[, default]])        type of x
 *   first_value(x), last_value(x)              type of x
 *   nth_value(x, n bigint)                     type of x
 */
#include "func_internal.h"

const fn_window_entry fn_window_entries[] = {
    {"row_number", FN_WIN_ROW_NUMBER, 0, 0, {0, 0, 0}, FL_TYPE_INT64},
    {"rank", FN_WIN_RANK, 0, 0, {0, 0, 0}, FL_TYPE_INT64},
    {"dense_rank", FN_WIN_DENSE_RANK, 0, 0, {0, 0, 0}, FL_TYPE_INT64},
    {"percent_rank", FN_WIN_PERCENT_RANK, 0, 0, {0, 0, 0}, FL_TYPE_DOUBLE},
    {"cume_dist", FN_WIN_CUME_DIST, 0, 0, {0, 0, 0}, FL_TYPE_DOUBLE},
    {"ntile", FN_WIN_NTILE, 1, 1, {FL_TYPE_INT64, 0, 0}, FL_TYPE_INT64},
    {"lag", FN_WIN_LAG, 1, 3, {FN_P_T, FL_TYPE_INT64, FN_P_T}, FN_R_T},
    {"lead", FN_WIN_LEAD, 1, 3, {FN_P_T, FL_TYPE_INT64, FN_P_T}, FN_R_T},
    {"first_value", FN_WIN_FIRST_VALUE, 1, 1, {FN_P_ANY, 0, 0}, FN_R_T},
    {"last_value", FN_WIN_LAST_VALUE, 1, 1, {FN_P_ANY, 0, 0}, FN_R_T},
    {"nth_value", FN_WIN_NTH_VALUE, 2, 2, {FN_P_ANY, FL_TYPE_INT64, 0}, FN_R_T},
};
const size_t fn_window_entries_count = FL_ARRAY_SIZE(fn_window_entries);
