/*
 * func.h: the function library's interface: scalar functions and operators,
 * casts, aggregates, window functions and table functions, resolved by name
 * and argument types at bind time and run on vectors at execution time.
 *
 * Layering: src/func sits above src/exec/vector.h (the data model, base
 * only) and the format layer (table functions read files), and beneath the
 * binder (src/sql/bind), which resolves every call through this header, and
 * the operators (src/exec), which run them.
 *
 * Resolution (fn_scalar_bind, fn_agg_bind) follows Trino: an exact overload
 * wins, else the one reachable with the fewest implicit coercions
 * (fn_can_coerce). The bound result says which type each argument must be
 * cast to (arg_types); the binder inserts those casts, so an exec function
 * always receives exactly its declared types. Return types may depend on the
 * arguments (decimal arithmetic follows Trino's precision/scale rules).
 *
 * Operators are functions named by their symbol: "+", "-", "*", "/", "%",
 * "=", "<>", "<", "<=", ">", ">=", "||", "neg" (unary minus), "like",
 * "ilike" (args: value, pattern[, escape]). Comparisons of strings are
 * bytewise (UTF-8 code point order).
 *
 * Errors: unknown function or no overload -> FLOE_ENOTFOUND with SQLSTATE
 * 42883 and the message `function foo(integer, varchar) does not exist`;
 * runtime errors (division by zero 22012, overflow 22003, bad cast 22018)
 * name the value.
 */
#ifndef FN_FUNC_H
#define FN_FUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/error.h"
#include "../base/type.h"
#include "../exec/vector.h"

/* ---------------------------------------------------------------- types */

/* SQL name of a type as Trino prints it: "integer", "decimal(7,2)", "varchar". */
int fn_type_sql_name(fl_type t, char *buf, size_t cap);
/* True when `from` converts implicitly to `to` (Trino's rules: integer
 * widening, integers to decimal/real/double, decimal to wider decimal and
 * to double, real to double, date to timestamp, unknown (NULL type) to any;
 * a varchar literal is handled by the binder, not here). */
bool fn_can_coerce(fl_type from, fl_type to);
/* The common supertype of a and b (CASE branches, UNION columns, IN lists,
 * comparisons, COALESCE). FLOE_ETYPE when there is none. */
int fn_common_type(fl_type a, fl_type b, fl_type *out, fl_error *err);

/* ---------------------------------------------------------------- scalar */

typedef struct fn_scalar_bound fn_scalar_bound;

/* Per call site, per thread: the evaluator creates one and keeps it for the
 * whole query; `state` belongs to the function (set by init, e.g. a compiled
 * regex or LIKE matcher), allocated in `arena` (the query's). */
typedef struct fn_exec_ctx {
    const fn_scalar_bound *fn;
    void *state;
    fl_arena *arena;        /* the query's arena: long-lived allocations */
    fl_arena *out_arena;    /* the output chunk's arena: string bytes of results */
} fn_exec_ctx;

/*
 * Computes row_count rows into `out`, a flat column of fn->ret type that the
 * caller allocated with len = row_count. Null handling:
 *  - special_nulls false (default): before the call out->validity is the
 *    intersection of the arguments' validity (NULL if all valid). The
 *    function must not fail or read garbage for rows already NULL in out
 *    (check fl_column_is_valid(out, i) before anything that can fail) and
 *    may set further rows NULL.
 *  - special_nulls true (coalesce-like, concat_ws): the function sets all
 *    validity itself; out starts all valid.
 * Result strings may borrow bytes from the arguments or live in out_arena.
 * This function CAN be called in parallel (distinct ctx per thread).
 */
typedef int (*fn_scalar_fn)(fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count,
                            size_t row_count, fl_column *out, fl_error *err);

struct fn_scalar_bound {
    const char *name;
    fl_type ret;
    const fl_type *arg_types;       /* what each argument must be cast to */
    uint32_t arg_count;
    fn_scalar_fn exec;
    /* Optional, once per call site and thread before the first exec:
     * const_args[i] is the argument's constant vector when the argument is
     * a constant, else kind FLAT with col NULL. */
    int (*init)(fn_exec_ctx *ctx, const ex_vector *const_args, uint32_t arg_count,
                fl_error *err);
    bool special_nulls;
    bool is_volatile;               /* random(), now(): never constant-folded */
    const void *bind_data;          /* e.g. the unit of date_trunc when known */
};

int fn_scalar_bind(const fn_scalar_bound **out, const char *name, const fl_type *arg_types,
                   uint32_t arg_count, fl_arena *arena, fl_error *err);
/* True when a scalar function (not aggregate/window) of that name exists. */
bool fn_scalar_exists(const char *name);

/* ---------------------------------------------------------------- casts */

/* Casts row_count rows of `in` into out (a flat column of type `to`,
 * len = row_count, allocated by the caller). try_cast: failures become NULL;
 * else the first failure is an error (22018 for text, 22003 for overflow)
 * naming the value: `cannot cast 'abc' to integer`. Every scalar pair Trino
 * allows: numbers <-> numbers (decimal rounding half up), strings <-> every
 * type (dates 'yyyy-mm-dd', timestamps, booleans 'true'/'false'), date <->
 * timestamp. String bytes of results live in out_arena. */
int fn_cast(const ex_vector *in, size_t row_count, fl_type to, bool try_cast, fl_column *out,
            fl_arena *out_arena, fl_error *err);
/* Whether an explicit CAST from -> to is allowed at all (binder check). */
bool fn_cast_allowed(fl_type from, fl_type to);
/* Casts one value (constant folding, literals). String bytes in arena. */
int fn_cast_value(fl_value *out, const fl_value *in, fl_type to, bool try_cast, fl_arena *arena,
                  fl_error *err);

/* ---------------------------------------------------------------- aggregates */

typedef struct fn_agg_def fn_agg_def;

/*
 * An aggregate is a state machine over a fixed-size state (state_size
 * bytes, aligned to 16) that the aggregate operator stores per group.
 *  init      state of an empty group
 *  update    rows i in [0, n): fold row i of args into states[i] (grouped
 *            update: several i may share a state). Skips NULL inputs as SQL
 *            aggregates do (count(*) has no args). Memory a state needs
 *            (strings for min/max, hash sets, HLL registers) comes from
 *            arena, which lives as long as the states. CAN be called in
 *            parallel on disjoint states.
 *  combine   merges src into dst (partial aggregation by thread)
 *  finalize  writes states[i] into row i of out (a flat column of type ret,
 *            len = n)
 * DISTINCT aggregates: the operator de-duplicates (group, args) before
 * update, so the functions themselves know nothing of DISTINCT.
 */
struct fn_agg_def {
    const char *name;
    fl_type ret;
    const fl_type *arg_types;
    uint32_t arg_count;
    size_t state_size;
    void (*init)(const fn_agg_def *fn, void *state);
    int (*update)(const fn_agg_def *fn, void **states, const ex_vector *args, size_t n,
                  fl_arena *arena, fl_error *err);
    int (*combine)(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                   fl_error *err);
    int (*finalize)(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                    fl_arena *out_arena, fl_error *err);
    const void *bind_data;
};

/* count(*) is name "count_star" with no args. Aggregates: count, count_star,
 * sum, avg, min, max, stddev/stddev_samp/stddev_pop, variance/var_samp/
 * var_pop, bool_and/bool_or (every/any), approx_distinct, arbitrary/any_value.
 * sum of decimal(p,s) -> decimal(38,s), of integers -> bigint; avg of
 * integers, decimals and doubles -> double (Trino's documented avg(x) ->
 * double, DuckDB's type too; the sum is exact until the one division). */
int fn_agg_bind(const fn_agg_def **out, const char *name, const fl_type *arg_types,
                uint32_t arg_count, fl_arena *arena, fl_error *err);
bool fn_agg_exists(const char *name);

/* ---------------------------------------------------------------- window */

typedef enum fn_window_kind {
    FN_WIN_ROW_NUMBER, FN_WIN_RANK, FN_WIN_DENSE_RANK, FN_WIN_PERCENT_RANK, FN_WIN_CUME_DIST,
    FN_WIN_NTILE, FN_WIN_LAG, FN_WIN_LEAD, FN_WIN_FIRST_VALUE, FN_WIN_LAST_VALUE,
    FN_WIN_NTH_VALUE,
} fn_window_kind;

/* Ranking and navigation functions; the window operator computes them.
 * (Aggregates over a window use fn_agg_def.) */
typedef struct fn_window_def {
    const char *name;
    fn_window_kind kind;
    fl_type ret;
    const fl_type *arg_types;
    uint32_t arg_count;
} fn_window_def;

int fn_window_bind(const fn_window_def **out, const char *name, const fl_type *arg_types,
                   uint32_t arg_count, fl_arena *arena, fl_error *err);
bool fn_window_exists(const char *name);

/* ---------------------------------------------------------------- table functions */

/* read_parquet('glob' | ['a', 'b']), read_csv('path', delim='|', header=false,
 * columns={'a': 'integer', ...}, nullstr='') and friends. bind resolves the
 * files and the output schema (sniffing types when not given). */
typedef struct fn_table_bind_result {
    const char **column_names;
    fl_type *column_types;
    uint32_t column_count;
    void *bind_data;             /* the function's own data for execution (file list, options) */
    double estimated_rows;
} fn_table_bind_result;

typedef struct fn_table_args {
    const fl_value *args;
    uint32_t arg_count;
    const char *const *named_keys;
    const fl_value *named_values;
    uint32_t named_count;
    /* columns={...} given as name/type pairs (already parsed), else count 0 */
    const char *const *column_names;
    const fl_type *column_types;
    uint32_t column_count;
} fn_table_args;

int fn_table_bind(fn_table_bind_result *out, const char *name, const fn_table_args *args,
                  fl_arena *arena, fl_error *err);
bool fn_table_exists(const char *name);

#endif
