/*
 * func_compare.c: the comparison operators = <> < <= > >= on every scalar
 * type: integers, real, double (IEEE: comparisons with NaN are false except
 * <>, as Trino), decimals (any two scales), boolean, date, time,
 * timestamps, varchar and varbinary (bytewise, i.e. UTF-8 code point order).
 *
 * Mixed types are coerced by the binder (integer = bigint compares as
 * bigint); decimals are the exception: both arguments keep their own type
 * and the exec function rescales the one with the smaller scale, so
 * decimal(7,2) = decimal(12,4) needs no cast. Output is BOOL (uint8 0/1).
 */
#include <string.h>

#include "../base/decimal.h"
#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err
#define FN_UNUSED (void)ctx; (void)arg_count; (void)err

#define DEFINE_CMP_OP(T, SUF, OPNAME, EXPR)                                 \
    static int cmp_##OPNAME##_##SUF(FN_EXEC_ARGS)                           \
    {                                                                       \
        FN_UNUSED;                                                          \
        FN_BIN_LOOP(T, T, uint8_t, args, n, out, r[i] = (uint8_t)(EXPR));   \
        return 0;                                                           \
    }

#define DEFINE_CMP(T, SUF)                  \
    DEFINE_CMP_OP(T, SUF, eq, x == y)       \
    DEFINE_CMP_OP(T, SUF, ne, x != y)       \
    DEFINE_CMP_OP(T, SUF, lt, x < y)        \
    DEFINE_CMP_OP(T, SUF, le, x <= y)       \
    DEFINE_CMP_OP(T, SUF, gt, x > y)        \
    DEFINE_CMP_OP(T, SUF, ge, x >= y)

DEFINE_CMP(int8_t, i8)
DEFINE_CMP(int16_t, i16)
DEFINE_CMP(int32_t, i32)
DEFINE_CMP(int64_t, i64)
DEFINE_CMP(uint8_t, u8)
DEFINE_CMP(uint16_t, u16)
DEFINE_CMP(uint32_t, u32)
DEFINE_CMP(uint64_t, u64)
DEFINE_CMP(float, f32)
DEFINE_CMP(double, f64)
DEFINE_CMP(fl_int128, i128)

/* Strings: memcmp order, a shorter string first on a common prefix. */
static inline int str_cmp(fl_strv a, fl_strv b)
{
    uint32_t m = a.len < b.len ? a.len : b.len;
    int c = m ? memcmp(a.ptr, b.ptr, m) : 0;
    if (c) return c;
    return a.len < b.len ? -1 : a.len > b.len;
}
static inline bool str_eq(fl_strv a, fl_strv b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

DEFINE_CMP_OP(fl_strv, str, eq, str_eq(x, y))
DEFINE_CMP_OP(fl_strv, str, ne, !str_eq(x, y))
DEFINE_CMP_OP(fl_strv, str, lt, str_cmp(x, y) < 0)
DEFINE_CMP_OP(fl_strv, str, le, str_cmp(x, y) <= 0)
DEFINE_CMP_OP(fl_strv, str, gt, str_cmp(x, y) > 0)
DEFINE_CMP_OP(fl_strv, str, ge, str_cmp(x, y) >= 0)

/* ---------------------------------------------------------------- decimals of two scales */

/* Three-way compare of x (scale sx) and y (scale sy), exact. */
static inline int dec_cmp_scaled(fl_int128 x, int sx, fl_int128 y, int sy)
{
    if (sx < sy) return -dec_cmp_scaled(y, sy, x, sx);
    /* sx >= sy: scale y up; on overflow |y * 10^k| exceeds any 38-digit x */
    fl_int128 ys;
    if (__builtin_mul_overflow(y, fl_pow10_i128(sx - sy), &ys)) return y < 0 ? 1 : -1;
    return x < ys ? -1 : x > ys;
}

typedef enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } cmp_op;

static int dec_cmp_mixed(cmp_op op, const ex_vector *args, size_t n, fl_column *out)
{
    fl_int128 xa[256], yb[256];
    int sx = args[0].col->type.scale, sy = args[1].col->type.scale;
    uint8_t *r = out->data;
    for (size_t start = 0; start < n; start += 256) {
        size_t cnt = n - start < 256 ? n - start : 256;
        fn_load_i128(&args[0], start, cnt, xa);
        fn_load_i128(&args[1], start, cnt, yb);
        for (size_t j = 0; j < cnt; j++) {
            int c = dec_cmp_scaled(xa[j], sx, yb[j], sy);
            bool v = false;
            switch (op) {
            case CMP_EQ: v = c == 0; break;
            case CMP_NE: v = c != 0; break;
            case CMP_LT: v = c < 0; break;
            case CMP_LE: v = c <= 0; break;
            case CMP_GT: v = c > 0; break;
            case CMP_GE: v = c >= 0; break;
            }
            r[start + j] = v;
        }
    }
    return 0;
}

#define DEFINE_DEC_MIXED(OPNAME, OP)                                         \
    static int cmp_##OPNAME##_decmix(FN_EXEC_ARGS)                           \
    {                                                                        \
        FN_UNUSED;                                                           \
        return dec_cmp_mixed(OP, args, n, out);                              \
    }
DEFINE_DEC_MIXED(eq, CMP_EQ)
DEFINE_DEC_MIXED(ne, CMP_NE)
DEFINE_DEC_MIXED(lt, CMP_LT)
DEFINE_DEC_MIXED(le, CMP_LE)
DEFINE_DEC_MIXED(gt, CMP_GT)
DEFINE_DEC_MIXED(ge, CMP_GE)

typedef struct dec_variants {
    fn_scalar_fn narrow, wide, mixed;
} dec_variants;

static const dec_variants dec_fns[] = {
    [CMP_EQ] = {cmp_eq_i64, cmp_eq_i128, cmp_eq_decmix},
    [CMP_NE] = {cmp_ne_i64, cmp_ne_i128, cmp_ne_decmix},
    [CMP_LT] = {cmp_lt_i64, cmp_lt_i128, cmp_lt_decmix},
    [CMP_LE] = {cmp_le_i64, cmp_le_i128, cmp_le_decmix},
    [CMP_GT] = {cmp_gt_i64, cmp_gt_i128, cmp_gt_decmix},
    [CMP_GE] = {cmp_ge_i64, cmp_ge_i128, cmp_ge_decmix},
};

static int spec_dec(fn_scalar_bound *b, cmp_op op)
{
    fl_type a = b->arg_types[0], c = b->arg_types[1];
    if (a.scale == c.scale && !fl_decimal_is_wide(a) && !fl_decimal_is_wide(c))
        b->exec = dec_fns[op].narrow;
    else if (a.scale == c.scale && fl_decimal_is_wide(a) && fl_decimal_is_wide(c))
        b->exec = dec_fns[op].wide;
    else
        b->exec = dec_fns[op].mixed;
    return 0;
}

#define DEFINE_DEC_SPEC(OPNAME, OP)                                                     \
    static int spec_dec_##OPNAME(fn_scalar_bound *b, fl_arena *arena, fl_error *err)    \
    {                                                                                   \
        (void)arena;                                                                    \
        (void)err;                                                                      \
        return spec_dec(b, OP);                                                         \
    }
DEFINE_DEC_SPEC(eq, CMP_EQ)
DEFINE_DEC_SPEC(ne, CMP_NE)
DEFINE_DEC_SPEC(lt, CMP_LT)
DEFINE_DEC_SPEC(le, CMP_LE)
DEFINE_DEC_SPEC(gt, CMP_GT)
DEFINE_DEC_SPEC(ge, CMP_GE)

/* ---------------------------------------------------------------- table */

#define CMP1(name, T, fn) {name, 2, 2, {T, T}, FL_TYPE_BOOL, fn, NULL, NULL, false, false}
#define CMP6(T, SUF)                                                                           \
    CMP1("=", T, cmp_eq_##SUF), CMP1("<>", T, cmp_ne_##SUF), CMP1("<", T, cmp_lt_##SUF),       \
        CMP1("<=", T, cmp_le_##SUF), CMP1(">", T, cmp_gt_##SUF), CMP1(">=", T, cmp_ge_##SUF)
#define DEC1(name, spec) \
    {name, 2, 2, {FN_P_DECIMAL, FN_P_DECIMAL}, FL_TYPE_BOOL, NULL, spec, NULL, false, false}

const fn_scalar_def fn_compare_defs[] = {
    CMP6(FL_TYPE_INT8, i8),
    CMP6(FL_TYPE_INT16, i16),
    CMP6(FL_TYPE_INT32, i32),
    CMP6(FL_TYPE_INT64, i64),
    CMP6(FL_TYPE_UINT8, u8),
    CMP6(FL_TYPE_UINT16, u16),
    CMP6(FL_TYPE_UINT32, u32),
    CMP6(FL_TYPE_UINT64, u64),
    DEC1("=", spec_dec_eq),
    DEC1("<>", spec_dec_ne),
    DEC1("<", spec_dec_lt),
    DEC1("<=", spec_dec_le),
    DEC1(">", spec_dec_gt),
    DEC1(">=", spec_dec_ge),
    CMP6(FL_TYPE_FLOAT, f32),
    CMP6(FL_TYPE_DOUBLE, f64),
    CMP6(FL_TYPE_BOOL, u8),
    CMP6(FL_TYPE_DATE, i32),
    CMP6(FL_TYPE_TIME, i64),
    CMP6(FL_TYPE_TIMESTAMP, i64),
    CMP6(FL_TYPE_TIMESTAMPTZ, i64),
    CMP6(FL_TYPE_TIMESTAMP_NS, i64),
    CMP6(FL_TYPE_TIMESTAMPTZ_NS, i64),
    CMP6(FL_TYPE_STRING, str),
    CMP6(FL_TYPE_BINARY, str),
    CMP6(FL_TYPE_UUID, str),
};
const size_t fn_compare_defs_count = FL_ARRAY_SIZE(fn_compare_defs);
