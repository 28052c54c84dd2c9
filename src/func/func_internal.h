/*
 * func_internal.h: what the function library's files share and nothing
 * outside src/func may include: the definition tables each family file
 * exports to the registry, the parameter patterns resolution understands,
 * error helpers with Trino's SQLSTATEs, and the loop templates behind the
 * vectorized exec functions.
 *
 * Definitions. Each family (func_arith.c, func_compare.c, ...) exports an
 * array of fn_scalar_def / fn_agg_entry / fn_window_entry; func_registry.c
 * searches them by name and argument types. A parameter is a concrete
 * fl_type_id or a pattern:
 *   FN_P_DECIMAL  any decimal; an integer argument coerces to the decimal of
 *                 its digits (integer -> decimal(10,0)), as Trino does
 *   FN_P_T        a type variable: all FN_P_T arguments are coerced to their
 *                 common supertype (fn_common_type)
 *   FN_P_ANY      any type, taken as it is
 * A definition's `specialize` runs once the argument types are fixed: it
 * computes a dependent return type (decimal precision/scale) and picks the
 * exec function specialised for those types, so exec never switches on a
 * type per row.
 *
 * Loop templates (FN_BIN_LOOP, FN_UN_LOOP). C has no templates; these two
 * macros are the one place that expands a per-row body over the flat/const
 * combinations of the arguments (the reason they exist despite STYLE.md's
 * advice against macros): flat x flat and flat x const are tight loops the
 * compiler vectorizes, the rest use a stride of 0 for constants.
 */
#ifndef FN_FUNC_INTERNAL_H
#define FN_FUNC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "func.h"

/* GCC's -O2 vectorizes only with the "very cheap" cost model, which
 * rejects the exec loops below (they need an epilogue); the cheap model
 * vectorizes them (int32 + int32 with overflow check: 4 lanes per op). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=cheap")
#endif

typedef unsigned __int128 fn_u128;

/* ---------------------------------------------------------------- patterns */

#define FN_P_DECIMAL 100
#define FN_P_T 101
#define FN_P_ANY 102
/* Return type = the resolved type of the first FN_P_T / first argument. */
#define FN_R_T 200
/* Return type set by specialize. */
#define FN_R_SPECIAL 201

#define FN_MAX_PARAMS 4
/* The longest string a function may build (bytes), as PostgreSQL's 1 GB
 * allocation limit: beyond it a function fails with 54000 instead of
 * exhausting memory. */
#define FN_MAX_STRING_BYTES ((1 << 30) - 1)

typedef struct fn_scalar_def {
    const char *name;
    uint8_t min_args;
    uint8_t max_args;               /* FN_VARIADIC: last param repeats */
    uint8_t params[FN_MAX_PARAMS];  /* fl_type_id or FN_P_*; beyond the list the last repeats */
    uint8_t ret;                    /* fl_type_id, FN_R_T or FN_R_SPECIAL */
    fn_scalar_fn exec;
    /* Optional: fixes ret/exec/bind_data for the resolved argument types.
     * FLOE_ENOTFOUND means "this definition does not apply" (resolution
     * goes on to other candidates). */
    int (*specialize)(fn_scalar_bound *b, fl_arena *arena, fl_error *err);
    int (*init)(fn_exec_ctx *ctx, const ex_vector *const_args, uint32_t arg_count, fl_error *err);
    bool special_nulls;
    bool is_volatile;
} fn_scalar_def;

#define FN_VARIADIC 255

typedef struct fn_agg_entry {
    const char *name;
    uint8_t arg_count;
    uint8_t params[2];
    /* Fills state_size, callbacks and ret of d (arg_types already set). */
    int (*specialize)(fn_agg_def *d, fl_arena *arena, fl_error *err);
} fn_agg_entry;

typedef struct fn_window_entry {
    const char *name;
    fn_window_kind kind;
    uint8_t min_args;
    uint8_t max_args;
    uint8_t params[3];
    uint8_t ret;                    /* fl_type_id or FN_R_T (type of the first argument) */
} fn_window_entry;

/* ---------------------------------------------------------------- aggregates */

/* The parameter list of an fn_agg_def update callback (func_agg*.c). */
#define AGG_UPDATE_ARGS \
    const fn_agg_def *fn, void **states, const ex_vector *args, size_t n, fl_arena *arena, fl_error *err
/* The init callback of aggregates whose empty state is all zero bytes. */
void fn_agg_init_zero(const fn_agg_def *fn, void *state);

/* Family tables (each file defines its array and count). */
#define FN_DECLARE_TABLE(kind, name) \
    extern const kind name[];        \
    extern const size_t name##_count

FN_DECLARE_TABLE(fn_scalar_def, fn_arith_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_compare_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_string_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_like_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_regex_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_date_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_math_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_cond_defs);
FN_DECLARE_TABLE(fn_scalar_def, fn_cast_defs);
FN_DECLARE_TABLE(fn_agg_entry, fn_agg_entries);
FN_DECLARE_TABLE(fn_agg_entry, fn_agg_stat_entries);
FN_DECLARE_TABLE(fn_agg_entry, fn_agg_hll_entries);
FN_DECLARE_TABLE(fn_agg_entry, fn_agg_by_entries);
FN_DECLARE_TABLE(fn_window_entry, fn_window_entries);

/* ---------------------------------------------------------------- types */

static inline bool fn_is_signed_int(uint8_t id)
{
    return id >= FL_TYPE_INT8 && id <= FL_TYPE_INT64;
}
static inline bool fn_is_unsigned_int(uint8_t id)
{
    return id >= FL_TYPE_UINT8 && id <= FL_TYPE_UINT64;
}
static inline bool fn_is_int(uint8_t id) { return fn_is_signed_int(id) || fn_is_unsigned_int(id); }
static inline bool fn_is_numeric(uint8_t id)
{
    return fn_is_int(id) || id == FL_TYPE_FLOAT || id == FL_TYPE_DOUBLE || id == FL_TYPE_DECIMAL;
}
static inline bool fn_is_timestamp(uint8_t id)
{
    return id == FL_TYPE_TIMESTAMP || id == FL_TYPE_TIMESTAMPTZ || id == FL_TYPE_TIMESTAMP_NS ||
           id == FL_TYPE_TIMESTAMPTZ_NS;
}
/* Decimal digits an integer type needs (integer -> 10). */
int fn_int_digits(uint8_t id);
/* The decimal type an integer coerces to (integer -> decimal(10,0)). */
fl_type fn_int_as_decimal(uint8_t id);

/* ---------------------------------------------------------------- errors */

/* 22003 numeric value out of range */
int fn_err_range(fl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 22012 division by zero */
int fn_err_div_zero(fl_error *err);
/* 22023 invalid parameter value */
int fn_err_arg(fl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Renders a value for an error message into buf. */
const char *fn_value_text(const fl_value *v, char *buf, size_t cap);

/* ---------------------------------------------------------------- decimals */

/* Loads rows [start, start+cnt) of a decimal (or integer) vector as int128. */
void fn_load_i128(const ex_vector *v, size_t start, size_t cnt, fl_int128 *dst);
static inline fl_int128 fn_dec_get(const fl_column *c, size_t row)
{
    return fl_decimal_is_wide(c->type) ? ((const fl_int128 *)c->data)[row]
                                       : (fl_int128)((const int64_t *)c->data)[row];
}
static inline void fn_dec_put(fl_column *c, size_t row, fl_int128 v)
{
    if (fl_decimal_is_wide(c->type))
        ((fl_int128 *)c->data)[row] = v;
    else
        ((int64_t *)c->data)[row] = (int64_t)v;
}
/* q = round_half_up(num / den) where num may need 256 bits: num = a * 10^e.
 * False on overflow of 38 digits. den != 0. */
bool fn_dec_div_round(fl_int128 a, int e, fl_int128 den, fl_int128 *q);

/* ---------------------------------------------------------------- strings */

/* Output strings: reserve `len` bytes in the out arena. NULL on OOM. */
char *fn_str_alloc(fn_exec_ctx *ctx, size_t len);

/* func_case.c: src[0..len) upper- or lower-cased, code point by code point
 * (Trino's mapping), into dst, which must hold FN_CASE_MAX_GROWTH * len
 * bytes; returns the bytes written. */
#define FN_CASE_MAX_GROWTH 2
size_t fn_utf8_case(const char *src, size_t len, char *dst, bool upper);

/* ---------------------------------------------------------------- loops */

/* Stride of an argument: 0 for a constant vector, 1 for a flat one. */
static inline size_t fn_stride(const ex_vector *v) { return v->kind == EX_VECTOR_CONST ? 0 : 1; }

/*
 * Expands BODY for every row i with x = row i of args[0] (type TA), y = row
 * i of args[1] (TB) and r = the output array (TR). BODY (the trailing
 * arguments, so it may contain commas) may `return` and `continue`.
 */
#define FN_BIN_LOOP(TA, TB, TR, args, n, out, ...)                                    \
    do {                                                                              \
        const TA *restrict fn_pa_ = (const TA *)(args)[0].col->data;                  \
        const TB *restrict fn_pb_ = (const TB *)(args)[1].col->data;                  \
        TR *restrict r = (TR *)(out)->data;                                           \
        size_t fn_sa_ = fn_stride(&(args)[0]), fn_sb_ = fn_stride(&(args)[1]);        \
        (void)r;                                                                      \
        if (fn_sa_ && fn_sb_) {                                                       \
            for (size_t i = 0; i < (n); i++) {                                        \
                TA x = fn_pa_[i];                                                     \
                TB y = fn_pb_[i];                                                     \
                __VA_ARGS__;                                                          \
            }                                                                         \
        } else if (fn_sa_) {                                                          \
            const TB y = fn_pb_[0];                                                   \
            for (size_t i = 0; i < (n); i++) {                                        \
                TA x = fn_pa_[i];                                                     \
                __VA_ARGS__;                                                          \
            }                                                                         \
        } else {                                                                      \
            const TA x = fn_pa_[0];                                                   \
            for (size_t i = 0; i < (n); i++) {                                        \
                TB y = fn_pb_[i * fn_sb_];                                            \
                __VA_ARGS__;                                                          \
            }                                                                         \
        }                                                                             \
    } while (0)

/* Unary: x = row i of args[0] (TA), r = output array (TR). */
#define FN_UN_LOOP(TA, TR, args, n, out, ...)                                         \
    do {                                                                              \
        const TA *restrict fn_pa_ = (const TA *)(args)[0].col->data;                  \
        TR *restrict r = (TR *)(out)->data;                                           \
        size_t fn_sa_ = fn_stride(&(args)[0]);                                        \
        (void)r;                                                                      \
        if (fn_sa_) {                                                                 \
            for (size_t i = 0; i < (n); i++) {                                        \
                TA x = fn_pa_[i];                                                     \
                __VA_ARGS__;                                                          \
            }                                                                         \
        } else {                                                                      \
            const TA x = fn_pa_[0];                                                   \
            for (size_t i = 0; i < (n); i++) {                                        \
                __VA_ARGS__;                                                          \
            }                                                                         \
        }                                                                             \
    } while (0)

#define FN_VALID(out, i) fl_column_is_valid((out), (i))

#endif
