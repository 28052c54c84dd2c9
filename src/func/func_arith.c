/*
 * func_arith.c: the arithmetic operators + - * / % and unary minus ("neg")
 * on integers, real, double and decimals, plus date +/- integer days.
 *
 * Integers: per-type loops that add and subtract with wrapping arithmetic
 * and OR the sign-bit overflow test of every row (vectorizable), multiply
 * with __builtin_mul_overflow; only when a flag is set is the chunk scanned
 * again for the first
 * overflow on a non-NULL row (22003, naming the operands as Trino does:
 * `integer addition overflow: 2147483647 + 1`). Division and modulo check
 * the divisor per row (22012 on a non-NULL row; NULL rows yield 0).
 * Doubles follow IEEE (1/0 is Infinity, as Trino).
 *
 * Decimals follow Trino's result types, except division:
 *   + -  decimal(min(38, max(p1-s1, p2-s2) + max(s1,s2) + 1), max(s1,s2))
 *   *    decimal(min(38, p1+p2), s1+s2)
 *   /    Spark's and Hive's rule rather than Trino's: scale
 *        max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale; above 38 digits
 *        the scale gives way (to no less than min(scale, 6)) so the integer
 *        digits fit. Trino keeps only max(s1, s2) fractional digits, which
 *        turns TPC-DS ratios such as cast(a as decimal(15,4)) /
 *        cast(b as decimal(15,4)) * 100 (q61, q90) into 82.2000 where every
 *        other engine answers 82.1976...; rounded half up
 *   %    decimal(min(38, min(p1-s1, p2-s2) + max(s1,s2)), max(s1,s2))
 * When the inputs and the result fit int64 (precision <= 18) the loops work
 * on int64 and cannot overflow by construction; otherwise rows are loaded
 * in blocks as int128 and every step is checked. Division needs up to 256
 * bits for the scaled dividend (fn_dec_div_round).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/decimal.h"
#include "../base/time.h"
#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err
#define FN_UNUSED (void)ctx; (void)arg_count; (void)err

/* ---------------------------------------------------------------- integers */

#define DEFINE_INT_OPS(T, U, SUF, TNAME, TMIN)                                                      \
    static int add_##SUF(FN_EXEC_ARGS)                                                           \
    {                                                                                            \
        FN_UNUSED;                                                                               \
        T acc = 0;                                                                               \
        FN_BIN_LOOP(T, T, T, args, n, out, {                                                     \
            T s_ = (T)((U)x + (U)y);                                                             \
            acc |= (T)((x ^ s_) & (y ^ s_));                                                     \
            r[i] = s_;                                                                           \
        });                                                                                      \
        if (FL_UNLIKELY(acc < 0)) {                                                              \
            FN_BIN_LOOP(T, T, T, args, n, out, {                                                 \
                T t_;                                                                            \
                if (FN_VALID(out, i) && __builtin_add_overflow(x, y, &t_))                       \
                    return fn_err_range(err, TNAME " addition overflow: %lld + %lld",            \
                                        (long long)x, (long long)y);                            \
            });                                                                                  \
        }                                                                                        \
        return 0;                                                                                \
    }                                                                                            \
    static int sub_##SUF(FN_EXEC_ARGS)                                                           \
    {                                                                                            \
        FN_UNUSED;                                                                               \
        T acc = 0;                                                                               \
        FN_BIN_LOOP(T, T, T, args, n, out, {                                                     \
            T d_ = (T)((U)x - (U)y);                                                             \
            acc |= (T)((x ^ y) & (x ^ d_));                                                      \
            r[i] = d_;                                                                           \
        });                                                                                      \
        if (FL_UNLIKELY(acc < 0)) {                                                              \
            FN_BIN_LOOP(T, T, T, args, n, out, {                                                 \
                T t_;                                                                            \
                if (FN_VALID(out, i) && __builtin_sub_overflow(x, y, &t_))                       \
                    return fn_err_range(err, TNAME " subtraction overflow: %lld - %lld",         \
                                        (long long)x, (long long)y);                            \
            });                                                                                  \
        }                                                                                        \
        return 0;                                                                                \
    }                                                                                            \
    static int mul_##SUF(FN_EXEC_ARGS)                                                           \
    {                                                                                            \
        FN_UNUSED;                                                                               \
        bool ovf = false;                                                                        \
        FN_BIN_LOOP(T, T, T, args, n, out, ovf |= __builtin_mul_overflow(x, y, &r[i]));          \
        if (FL_UNLIKELY(ovf)) {                                                                  \
            FN_BIN_LOOP(T, T, T, args, n, out, {                                                 \
                T t_;                                                                            \
                if (FN_VALID(out, i) && __builtin_mul_overflow(x, y, &t_))                       \
                    return fn_err_range(err, TNAME " multiplication overflow: %lld * %lld",      \
                                        (long long)x, (long long)y);                            \
            });                                                                                  \
        }                                                                                        \
        return 0;                                                                                \
    }                                                                                            \
    static int div_##SUF(FN_EXEC_ARGS)                                                           \
    {                                                                                            \
        FN_UNUSED;                                                                               \
        FN_BIN_LOOP(T, T, T, args, n, out, {                                                     \
            if (FL_UNLIKELY(y == 0 || (y == -1 && x == TMIN))) {                                 \
                r[i] = 0;                                                                        \
                if (!FN_VALID(out, i)) continue;                                                 \
                if (y == 0) return fn_err_div_zero(err);                                         \
                return fn_err_range(err, TNAME " division overflow: %lld / -1", (long long)x);   \
            }                                                                                    \
            r[i] = (T)(x / y);                                                                   \
        });                                                                                      \
        return 0;                                                                                \
    }                                                                                            \
    static int mod_##SUF(FN_EXEC_ARGS)                                                           \
    {                                                                                            \
        FN_UNUSED;                                                                               \
        FN_BIN_LOOP(T, T, T, args, n, out, {                                                     \
            if (FL_UNLIKELY(y == 0 || y == -1)) {                                                \
                r[i] = 0;                                                                        \
                if (y == 0 && FN_VALID(out, i)) return fn_err_div_zero(err);                     \
                continue;                                                                        \
            }                                                                                    \
            r[i] = (T)(x % y);                                                                   \
        });                                                                                      \
        return 0;                                                                                \
    }                                                                                            \
    static int neg_##SUF(FN_EXEC_ARGS)                                                           \
    {                                                                                            \
        FN_UNUSED;                                                                               \
        FN_UN_LOOP(T, T, args, n, out, {                                                         \
            if (FL_UNLIKELY(x == TMIN)) {                                                        \
                r[i] = 0;                                                                        \
                if (FN_VALID(out, i))                                                            \
                    return fn_err_range(err, TNAME " negation overflow: -(%lld)", (long long)x); \
                continue;                                                                        \
            }                                                                                    \
            r[i] = (T)-x;                                                                        \
        });                                                                                      \
        return 0;                                                                                \
    }

DEFINE_INT_OPS(int8_t, uint8_t, i8, "tinyint", INT8_MIN)
DEFINE_INT_OPS(int16_t, uint16_t, i16, "smallint", INT16_MIN)
DEFINE_INT_OPS(int32_t, uint32_t, i32, "integer", INT32_MIN)
DEFINE_INT_OPS(int64_t, uint64_t, i64, "bigint", INT64_MIN)

/* ---------------------------------------------------------------- floating point */

#define DEFINE_FLOAT_OPS(T, SUF, FMOD)                                                       \
    static int add_##SUF(FN_EXEC_ARGS)                                                       \
    {                                                                                        \
        FN_UNUSED;                                                                           \
        FN_BIN_LOOP(T, T, T, args, n, out, r[i] = x + y);                                    \
        return 0;                                                                            \
    }                                                                                        \
    static int sub_##SUF(FN_EXEC_ARGS)                                                       \
    {                                                                                        \
        FN_UNUSED;                                                                           \
        FN_BIN_LOOP(T, T, T, args, n, out, r[i] = x - y);                                    \
        return 0;                                                                            \
    }                                                                                        \
    static int mul_##SUF(FN_EXEC_ARGS)                                                       \
    {                                                                                        \
        FN_UNUSED;                                                                           \
        FN_BIN_LOOP(T, T, T, args, n, out, r[i] = x * y);                                    \
        return 0;                                                                            \
    }                                                                                        \
    static int div_##SUF(FN_EXEC_ARGS)                                                       \
    {                                                                                        \
        FN_UNUSED;                                                                           \
        FN_BIN_LOOP(T, T, T, args, n, out, r[i] = x / y);                                    \
        return 0;                                                                            \
    }                                                                                        \
    static int mod_##SUF(FN_EXEC_ARGS)                                                       \
    {                                                                                        \
        FN_UNUSED;                                                                           \
        FN_BIN_LOOP(T, T, T, args, n, out, r[i] = FMOD(x, y));                               \
        return 0;                                                                            \
    }                                                                                        \
    static int neg_##SUF(FN_EXEC_ARGS)                                                       \
    {                                                                                        \
        FN_UNUSED;                                                                           \
        FN_UN_LOOP(T, T, args, n, out, r[i] = -x);                                           \
        return 0;                                                                            \
    }

DEFINE_FLOAT_OPS(double, f64, fmod)
DEFINE_FLOAT_OPS(float, f32, fmodf)

/* ---------------------------------------------------------------- date +/- days */

static int add_date_days(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(int32_t, int32_t, int32_t, args, n, out, {
        int64_t d = (int64_t)x + y;
        if (FL_UNLIKELY(d > INT32_MAX || d < INT32_MIN)) {
            r[i] = 0;
            if (FN_VALID(out, i)) return fn_err_range(err, "date out of range: %d + %d days", x, y);
            continue;
        }
        r[i] = (int32_t)d;
    });
    return 0;
}

static int sub_date_days(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(int32_t, int32_t, int32_t, args, n, out, {
        int64_t d = (int64_t)x - y;
        if (FL_UNLIKELY(d > INT32_MAX || d < INT32_MIN)) {
            r[i] = 0;
            if (FN_VALID(out, i)) return fn_err_range(err, "date out of range: %d - %d days", x, y);
            continue;
        }
        r[i] = (int32_t)d;
    });
    return 0;
}

static int add_days_date(FN_EXEC_ARGS)
{
    ex_vector swapped[2] = {args[1], args[0]};
    return add_date_days(ctx, swapped, arg_count, n, out, err);
}

/* date - date: days between, as bigint (DuckDB) */
static int sub_date_date(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(int32_t, int32_t, int64_t, args, n, out, r[i] = (int64_t)x - y);
    return 0;
}

/* ---------------------------------------------------------------- decimal helpers */

static fl_int128 pow10(int e) { return fl_pow10_i128(e); }

void fn_load_i128(const ex_vector *v, size_t start, size_t cnt, fl_int128 *dst)
{
    const fl_column *c = v->col;
    size_t stride = fn_stride(v);
    size_t base = start * stride;
    switch ((fl_type_id)c->type.id) {
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(c->type)) {
            const fl_int128 *p = (const fl_int128 *)c->data + base;
            for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride];
        } else {
            const int64_t *p = (const int64_t *)c->data + base;
            for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride];
        }
        break;
    case FL_TYPE_INT8: { const int8_t *p = (const int8_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_INT16: { const int16_t *p = (const int16_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_INT32: { const int32_t *p = (const int32_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_INT64: { const int64_t *p = (const int64_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_BOOL:
    case FL_TYPE_UINT8: { const uint8_t *p = (const uint8_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_UINT16: { const uint16_t *p = (const uint16_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_UINT32: { const uint32_t *p = (const uint32_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    case FL_TYPE_UINT64: { const uint64_t *p = (const uint64_t *)c->data + base; for (size_t j = 0; j < cnt; j++) dst[j] = p[j * stride]; break; }
    default:
        FL_ASSERT(!"fn_load_i128: not a decimal or integer");
        memset(dst, 0, cnt * sizeof *dst);
        break;
    }
}

static void store_i128(fl_column *out, size_t start, size_t cnt, const fl_int128 *src)
{
    if (fl_decimal_is_wide(out->type)) {
        memcpy((fl_int128 *)out->data + start, src, cnt * sizeof *src);
    } else {
        int64_t *p = (int64_t *)out->data + start;
        for (size_t j = 0; j < cnt; j++) p[j] = (int64_t)src[j];
    }
}

/* 256-bit unsigned as four 64-bit limbs, least significant first. */
typedef struct u256 { uint64_t w[4]; } u256;

static bool u256_mul_small(u256 *a, uint64_t m)
{
    fn_u128 carry = 0;
    for (int k = 0; k < 4; k++) {
        fn_u128 t = (fn_u128)a->w[k] * m + carry;
        a->w[k] = (uint64_t)t;
        carry = t >> 64;
    }
    return carry == 0;
}

bool fn_dec_div_round(fl_int128 a, int e, fl_int128 den, fl_int128 *q)
{
    bool neg = (a < 0) != (den < 0);
    fn_u128 ua = a < 0 ? (fn_u128)0 - (fn_u128)a : (fn_u128)a;
    fn_u128 ud = den < 0 ? (fn_u128)0 - (fn_u128)den : (fn_u128)den;
    fn_u128 quo, rem;
    fn_u128 num;
    if (e <= 38 && !__builtin_mul_overflow(ua, (fn_u128)pow10(e), &num)) {
        quo = num / ud;
        rem = num % ud;
    } else {
        u256 x = {{(uint64_t)ua, (uint64_t)(ua >> 64), 0, 0}};
        for (int left = e; left > 0;) {
            int step = left > 19 ? 19 : left;
            if (!u256_mul_small(&x, (uint64_t)pow10(step))) return false;
            left -= step;
        }
        quo = 0;
        rem = 0;
        for (int bit = 255; bit >= 0; bit--) {
            rem = (rem << 1) | ((x.w[bit / 64] >> (bit % 64)) & 1);
            if (rem >= ud) {
                rem -= ud;
                if (bit >= 127) return false;
                quo |= (fn_u128)1 << bit;
            }
        }
    }
    if (rem >= ud - rem) quo++;
    if (quo >= (fn_u128)pow10(38)) return false;
    *q = neg ? -(fl_int128)quo : (fl_int128)quo;
    return true;
}

/* ---------------------------------------------------------------- decimal result types */

static int dec_types(const fn_scalar_bound *b, fl_type *t1, fl_type *t2)
{
    *t1 = b->arg_types[0];
    *t2 = b->arg_types[1];
    return 0;
}

static int set_dec_ret(fn_scalar_bound *b, int p, int s, fl_error *err)
{
    if (p > 38) p = 38;
    if (s > 38)
        return fn_err_range(err, "decimal scale %d of %s exceeds the maximum of 38", s, b->name);
    if (p < s) p = s;
    if (p < 1) p = 1;
    b->ret = fl_type_decimal(p, s);
    return 0;
}

static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }

/* ---------------------------------------------------------------- decimal exec */

#define DEC_BLOCK 256

/* Narrow add/sub: inputs and result are int64 and the result cannot overflow. */
static int dec_add_narrow(FN_EXEC_ARGS)
{
    FN_UNUSED;
    int s = out->type.scale;
    int64_t fa = (int64_t)pow10(s - args[0].col->type.scale);
    int64_t fb = (int64_t)pow10(s - args[1].col->type.scale);
    if (fa == 1 && fb == 1)
        FN_BIN_LOOP(int64_t, int64_t, int64_t, args, n, out, r[i] = x + y);
    else
        FN_BIN_LOOP(int64_t, int64_t, int64_t, args, n, out, r[i] = x * fa + y * fb);
    return 0;
}

static int dec_sub_narrow(FN_EXEC_ARGS)
{
    FN_UNUSED;
    int s = out->type.scale;
    int64_t fa = (int64_t)pow10(s - args[0].col->type.scale);
    int64_t fb = (int64_t)pow10(s - args[1].col->type.scale);
    if (fa == 1 && fb == 1)
        FN_BIN_LOOP(int64_t, int64_t, int64_t, args, n, out, r[i] = x - y);
    else
        FN_BIN_LOOP(int64_t, int64_t, int64_t, args, n, out, r[i] = x * fa - y * fb);
    return 0;
}

static int dec_mul_narrow(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(int64_t, int64_t, int64_t, args, n, out, r[i] = x * y);
    return 0;
}

typedef enum dec_op { DEC_ADD, DEC_SUB, DEC_MUL, DEC_DIV, DEC_MOD } dec_op;

static int dec_overflow(fl_error *err, dec_op op, const fl_column *out)
{
    static const char *const names[] = {"addition", "subtraction", "multiplication", "division",
                                        "modulus"};
    return fn_err_range(err, "decimal %s overflow: result does not fit decimal(%d,%d)", names[op],
                        out->type.precision, out->type.scale);
}

static int dec_wide(dec_op op, const ex_vector *args, size_t n, fl_column *out, fl_error *err);

/* |v| < 2^63: products of two such values cannot overflow int128. */
static inline bool fits63(fl_int128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

/* One block of the checked int128 path: one loop per operation, flags per
 * row, errors resolved afterwards (NULL rows never fail). */
static int dec_block(dec_op op, const fl_int128 *xa, const fl_int128 *yb, fl_int128 *res,
                     size_t start, size_t cnt, int s1, int s2, const fl_column *out, fl_error *err)
{
    int s = out->type.scale, p = out->type.precision;
    fl_int128 fa = pow10(s > s1 ? s - s1 : 0), fb = pow10(s > s2 ? s - s2 : 0);
    fl_int128 lim = pow10(p);
    bool bad[DEC_BLOCK], any = false;
    switch (op) {
    case DEC_ADD:
    case DEC_SUB:
        for (size_t j = 0; j < cnt; j++) {
            fl_int128 a = xa[j], b = yb[j], rr = 0;
            bool o = false;
            if (fa != 1) o |= __builtin_mul_overflow(a, fa, &a);
            if (fb != 1) o |= __builtin_mul_overflow(b, fb, &b);
            o |= op == DEC_ADD ? __builtin_add_overflow(a, b, &rr) : __builtin_sub_overflow(a, b, &rr);
            o |= !(rr < lim && rr > -lim);
            bad[j] = o;
            any |= o;
            res[j] = rr;
        }
        break;
    case DEC_MUL:
        for (size_t j = 0; j < cnt; j++) {
            fl_int128 rr;
            bool o;
            if (FL_LIKELY(fits63(xa[j]) && fits63(yb[j]))) {
                rr = xa[j] * yb[j];
                o = false;
            } else {
                o = __builtin_mul_overflow(xa[j], yb[j], &rr);
            }
            o |= !(rr < lim && rr > -lim);
            bad[j] = o;
            any |= o;
            res[j] = rr;
        }
        break;
    case DEC_DIV:
        for (size_t j = 0; j < cnt; j++) {
            fl_int128 rr = 0;
            bool o;
            if (yb[j] == 0) {
                o = true;
            } else {
                o = !fn_dec_div_round(xa[j], s2 - s1 + s, yb[j], &rr) || !(rr < lim && rr > -lim);
            }
            bad[j] = o;
            any |= o;
            res[j] = rr;
        }
        break;
    case DEC_MOD:
        for (size_t j = 0; j < cnt; j++) {
            fl_int128 a, b, rr = 0;
            bool o = __builtin_mul_overflow(xa[j], fa, &a) | __builtin_mul_overflow(yb[j], fb, &b);
            if (!o && b == 0) o = true;
            if (!o) rr = a % b;
            bad[j] = o;
            any |= o;
            res[j] = rr;
        }
        break;
    }
    if (FL_UNLIKELY(any)) {
        /* division by zero wins over overflow when both occur, row by row */
        for (size_t j = 0; j < cnt; j++) {
            if (!bad[j]) continue;
            res[j] = 0;
            if (!FN_VALID(out, start + j)) continue;
            bool dz = (op == DEC_DIV || op == DEC_MOD) && yb[j] == 0;
            return dz ? fn_err_div_zero(err) : dec_overflow(err, op, out);
        }
    }
    return 0;
}

/* Narrow division: x * 10^e and y fit int64, so one 64-bit division per row. */
static int dec_div_narrow(fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n,
                          fl_column *out, fl_error *err)
{
    (void)ctx; (void)arg_count;
    int s1 = args[0].col->type.scale, s2 = args[1].col->type.scale, s = out->type.scale;
    int e = s2 - s1 + s;
    int64_t f = (int64_t)pow10(e), lim = (int64_t)pow10(out->type.precision);
    bool bad = false;
    FN_BIN_LOOP(int64_t, int64_t, int64_t, args, n, out, {
        int64_t num, q = 0;
        if (FL_UNLIKELY(y == 0 || __builtin_mul_overflow(x, f, &num))) {
            bad = true;
            r[i] = 0;
            continue;
        }
        q = num / y;
        int64_t rem = num % y;
        int64_t arem = rem < 0 ? -rem : rem, ay = y < 0 ? -y : y;
        if (arem >= ay - arem) q += (num < 0) != (y < 0) ? -1 : 1;
        bad |= !(q < lim && q > -lim);
        r[i] = q;
    });
    if (FL_UNLIKELY(bad)) return dec_wide(DEC_DIV, args, n, out, err);
    return 0;
}

static int dec_wide(dec_op op, const ex_vector *args, size_t n, fl_column *out, fl_error *err)
{
    fl_int128 xa[DEC_BLOCK], yb[DEC_BLOCK], res[DEC_BLOCK];
    int s1 = args[0].col->type.scale, s2 = args[1].col->type.scale;
    for (size_t start = 0; start < n; start += DEC_BLOCK) {
        size_t cnt = n - start < DEC_BLOCK ? n - start : DEC_BLOCK;
        fn_load_i128(&args[0], start, cnt, xa);
        fn_load_i128(&args[1], start, cnt, yb);
        FL_TRY(dec_block(op, xa, yb, res, start, cnt, s1, s2, out, err));
        store_i128(out, start, cnt, res);
    }
    return 0;
}

static int dec_add_wide(FN_EXEC_ARGS) { FN_UNUSED; return dec_wide(DEC_ADD, args, n, out, err); }
static int dec_sub_wide(FN_EXEC_ARGS) { FN_UNUSED; return dec_wide(DEC_SUB, args, n, out, err); }
static int dec_mul_wide(FN_EXEC_ARGS) { FN_UNUSED; return dec_wide(DEC_MUL, args, n, out, err); }
static int dec_div(FN_EXEC_ARGS) { FN_UNUSED; return dec_wide(DEC_DIV, args, n, out, err); }
static int dec_mod(FN_EXEC_ARGS) { FN_UNUSED; return dec_wide(DEC_MOD, args, n, out, err); }

static int dec_neg(FN_EXEC_ARGS)
{
    FN_UNUSED;
    if (fl_decimal_is_wide(out->type))
        FN_UN_LOOP(fl_int128, fl_int128, args, n, out, r[i] = -x);
    else
        FN_UN_LOOP(int64_t, int64_t, args, n, out, r[i] = -x);
    return 0;
}

static bool all_narrow(const fn_scalar_bound *b)
{
    return !fl_decimal_is_wide(b->arg_types[0]) && !fl_decimal_is_wide(b->arg_types[1]) &&
           !fl_decimal_is_wide(b->ret);
}

static int spec_dec_add(fn_scalar_bound *b, fl_arena *arena, fl_error *err)
{
    (void)arena;
    fl_type a, c;
    dec_types(b, &a, &c);
    int s = imax(a.scale, c.scale);
    FL_TRY(set_dec_ret(b, imax(a.precision - a.scale, c.precision - c.scale) + s + 1, s, err));
    b->exec = all_narrow(b) ? dec_add_narrow : dec_add_wide;
    return 0;
}

static int spec_dec_sub(fn_scalar_bound *b, fl_arena *arena, fl_error *err)
{
    FL_TRY(spec_dec_add(b, arena, err));
    b->exec = all_narrow(b) ? dec_sub_narrow : dec_sub_wide;
    return 0;
}

static int spec_dec_mul(fn_scalar_bound *b, fl_arena *arena, fl_error *err)
{
    (void)arena;
    fl_type a, c;
    dec_types(b, &a, &c);
    FL_TRY(set_dec_ret(b, a.precision + c.precision, a.scale + c.scale, err));
    b->exec = all_narrow(b) ? dec_mul_narrow : dec_mul_wide;
    return 0;
}

static int spec_dec_div(fn_scalar_bound *b, fl_arena *arena, fl_error *err)
{
    (void)arena;
    fl_type a, c;
    dec_types(b, &a, &c);
    /* Spark/Hive's (and SQL Server's) rule, see the header comment */
    int scale = imax(6, a.scale + c.precision + 1);
    int precision = a.precision - a.scale + c.scale + scale;
    if (precision > 38) {
        int int_digits = precision - scale;
        scale = imax(38 - int_digits, imin(scale, 6));
        precision = 38;
    }
    FL_TRY(set_dec_ret(b, precision, scale, err));
    /* narrow when x * 10^e cannot overflow int64: p1 + e <= 18 */
    int e = c.scale - a.scale + b->ret.scale;
    bool narrow = !fl_decimal_is_wide(a) && !fl_decimal_is_wide(c) && !fl_decimal_is_wide(b->ret) &&
                  a.precision + e <= 18;
    b->exec = narrow ? dec_div_narrow : dec_div;
    return 0;
}

static int spec_dec_mod(fn_scalar_bound *b, fl_arena *arena, fl_error *err)
{
    (void)arena;
    fl_type a, c;
    dec_types(b, &a, &c);
    int s = imax(a.scale, c.scale);
    FL_TRY(set_dec_ret(b, imin(a.precision - a.scale, c.precision - c.scale) + s, s, err));
    b->exec = dec_mod;
    return 0;
}

static int spec_dec_neg(fn_scalar_bound *b, fl_arena *arena, fl_error *err)
{
    (void)arena;
    (void)err;
    b->ret = b->arg_types[0];
    b->exec = dec_neg;
    return 0;
}

/* ---------------------------------------------------------------- table */

#define BIN(name, T, fn) {name, 2, 2, {T, T}, T, fn, NULL, NULL, false, false}
#define OPS5(T, SUF)                                                                         \
    BIN("+", T, add_##SUF), BIN("-", T, sub_##SUF), BIN("*", T, mul_##SUF),                  \
        BIN("/", T, div_##SUF), BIN("%", T, mod_##SUF),                                      \
        {"neg", 1, 1, {T}, T, neg_##SUF, NULL, NULL, false, false}
#define DEC(name, spec) {name, 2, 2, {FN_P_DECIMAL, FN_P_DECIMAL}, FN_R_SPECIAL, NULL, spec, NULL, false, false}

const fn_scalar_def fn_arith_defs[] = {
    OPS5(FL_TYPE_INT8, i8),
    OPS5(FL_TYPE_INT16, i16),
    OPS5(FL_TYPE_INT32, i32),
    OPS5(FL_TYPE_INT64, i64),
    DEC("+", spec_dec_add),
    DEC("-", spec_dec_sub),
    DEC("*", spec_dec_mul),
    DEC("/", spec_dec_div),
    DEC("%", spec_dec_mod),
    {"neg", 1, 1, {FN_P_DECIMAL}, FN_R_SPECIAL, NULL, spec_dec_neg, NULL, false, false},
    OPS5(FL_TYPE_FLOAT, f32),
    OPS5(FL_TYPE_DOUBLE, f64),
    {"+", 2, 2, {FL_TYPE_DATE, FL_TYPE_INT32}, FL_TYPE_DATE, add_date_days, NULL, NULL, false, false},
    {"+", 2, 2, {FL_TYPE_INT32, FL_TYPE_DATE}, FL_TYPE_DATE, add_days_date, NULL, NULL, false, false},
    {"-", 2, 2, {FL_TYPE_DATE, FL_TYPE_INT32}, FL_TYPE_DATE, sub_date_days, NULL, NULL, false, false},
    {"-", 2, 2, {FL_TYPE_DATE, FL_TYPE_DATE}, FL_TYPE_INT64, sub_date_date, NULL, NULL, false, false},
};
const size_t fn_arith_defs_count = FL_ARRAY_SIZE(fn_arith_defs);
