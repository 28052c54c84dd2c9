/*
 * func_math.c: numeric functions: round(x[, d]), abs, ceil/ceiling, floor,
 * sign, truncate, power/pow, sqrt, cbrt, ln, log2, log10, exp, the
 * trigonometric functions, degrees, radians, pi() and random() (volatile).
 * mod(a, b) is an alias of the % operator (func_registry.c).
 *
 * Result types follow Trino: round/ceil/floor of decimal(p,s) give
 * decimal(p - s + min(s,1), 0); round(decimal(p,s), d) keeps the scale:
 * decimal(min(38, p+1), s); integer functions keep their type (abs of the
 * minimum value is an overflow, 22003); double functions follow IEEE
 * (sqrt(-1) is NaN, ln(0) is -Infinity, as Trino). Rounding is half away
 * from zero everywhere.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "../base/decimal.h"
#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err
#define FN_UNUSED (void)ctx; (void)arg_count; (void)err

/* ---------------------------------------------------------------- double functions */

#define DEFINE_DOUBLE_UN(NAME, EXPR)                                         \
    static int NAME##_f64(FN_EXEC_ARGS)                                      \
    {                                                                        \
        FN_UNUSED;                                                           \
        FN_UN_LOOP(double, double, args, n, out, r[i] = (EXPR));             \
        return 0;                                                            \
    }

DEFINE_DOUBLE_UN(sqrt, sqrt(x))
DEFINE_DOUBLE_UN(cbrt, cbrt(x))
DEFINE_DOUBLE_UN(ln, log(x))
DEFINE_DOUBLE_UN(log2, log2(x))
DEFINE_DOUBLE_UN(log10, log10(x))
DEFINE_DOUBLE_UN(exp, exp(x))
DEFINE_DOUBLE_UN(sin, sin(x))
DEFINE_DOUBLE_UN(cos, cos(x))
DEFINE_DOUBLE_UN(tan, tan(x))
DEFINE_DOUBLE_UN(asin, asin(x))
DEFINE_DOUBLE_UN(acos, acos(x))
DEFINE_DOUBLE_UN(atan, atan(x))
DEFINE_DOUBLE_UN(degrees, x * (180.0 / M_PI))
DEFINE_DOUBLE_UN(radians, x * (M_PI / 180.0))
DEFINE_DOUBLE_UN(abs, fabs(x))
DEFINE_DOUBLE_UN(ceil, ceil(x))
DEFINE_DOUBLE_UN(floor, floor(x))
DEFINE_DOUBLE_UN(round, round(x))
DEFINE_DOUBLE_UN(trunc, trunc(x))
DEFINE_DOUBLE_UN(sign, x > 0 ? 1.0 : x < 0 ? -1.0 : x)

#define DEFINE_FLOAT_UN(NAME, EXPR)                                          \
    static int NAME##_f32(FN_EXEC_ARGS)                                      \
    {                                                                        \
        FN_UNUSED;                                                           \
        FN_UN_LOOP(float, float, args, n, out, r[i] = (EXPR));               \
        return 0;                                                            \
    }
DEFINE_FLOAT_UN(abs, fabsf(x))
DEFINE_FLOAT_UN(ceil, ceilf(x))
DEFINE_FLOAT_UN(floor, floorf(x))
DEFINE_FLOAT_UN(round, roundf(x))
DEFINE_FLOAT_UN(trunc, truncf(x))
DEFINE_FLOAT_UN(sign, x > 0 ? 1.0f : x < 0 ? -1.0f : x)

static int power_f64(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(double, double, double, args, n, out, r[i] = pow(x, y));
    return 0;
}

static int atan2_f64(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(double, double, double, args, n, out, r[i] = atan2(x, y));
    return 0;
}

static double round_places(double x, int64_t d)
{
    if (!isfinite(x)) return x;
    if (d > 308) return x;
    if (d < -308) return 0.0 * x;
    double f = pow(10.0, (double)d);
    double scaled = x * f;
    if (!isfinite(scaled)) return x;
    double r = round(scaled) / f;
    return isfinite(r) ? r : x;
}

static int round_n_f64(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(double, int64_t, double, args, n, out, r[i] = round_places(x, y));
    return 0;
}

static int round_n_f32(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_BIN_LOOP(float, int64_t, float, args, n, out, r[i] = (float)round_places(x, y));
    return 0;
}

/* ---------------------------------------------------------------- integers */

#define DEFINE_INT_MATH(T, SUF, TNAME, TMIN)                                              \
    static int abs_##SUF(FN_EXEC_ARGS)                                                    \
    {                                                                                     \
        FN_UNUSED;                                                                        \
        FN_UN_LOOP(T, T, args, n, out, {                                                  \
            if (FL_UNLIKELY(x == TMIN)) {                                                 \
                r[i] = 0;                                                                 \
                if (FN_VALID(out, i))                                                     \
                    return fn_err_range(err, TNAME " overflow: abs(%lld)", (long long)x); \
                continue;                                                                 \
            }                                                                             \
            r[i] = (T)(x < 0 ? -x : x);                                                   \
        });                                                                               \
        return 0;                                                                         \
    }                                                                                     \
    static int sign_##SUF(FN_EXEC_ARGS)                                                   \
    {                                                                                     \
        FN_UNUSED;                                                                        \
        FN_UN_LOOP(T, T, args, n, out, r[i] = (T)((x > 0) - (x < 0)));                    \
        return 0;                                                                         \
    }                                                                                     \
    static int ident_##SUF(FN_EXEC_ARGS)                                                  \
    {                                                                                     \
        FN_UNUSED;                                                                        \
        FN_UN_LOOP(T, T, args, n, out, r[i] = x);                                         \
        return 0;                                                                         \
    }                                                                                     \
    /* round(x, d) for d < 0: to a multiple of 10^-d, half away from zero */              \
    static int round_n_##SUF(FN_EXEC_ARGS)                                                \
    {                                                                                     \
        FN_UNUSED;                                                                        \
        FN_BIN_LOOP(T, int64_t, T, args, n, out, {                                        \
            if (y >= 0) { r[i] = x; continue; }                                           \
            fl_int128 q = 0;                                                              \
            if (y >= -38) {                                                               \
                q = x;                                                                    \
                fl_int128 f = fl_pow10_i128((int)-y), rem = q % f;                        \
                q -= rem;                                                                 \
                if (rem * 2 >= f) q += f;                                                 \
                else if (rem * 2 <= -f) q -= f;                                           \
            }                                                                             \
            if (FL_UNLIKELY(q != (T)q)) {                                                 \
                r[i] = 0;                                                                 \
                if (FN_VALID(out, i))                                                     \
                    return fn_err_range(err, TNAME " overflow: round(%lld, %lld)",        \
                                        (long long)x, (long long)y);                      \
                continue;                                                                 \
            }                                                                             \
            r[i] = (T)q;                                                                  \
        });                                                                               \
        return 0;                                                                         \
    }

DEFINE_INT_MATH(int8_t, i8, "tinyint", INT8_MIN)
DEFINE_INT_MATH(int16_t, i16, "smallint", INT16_MIN)
DEFINE_INT_MATH(int32_t, i32, "integer", INT32_MIN)
DEFINE_INT_MATH(int64_t, i64, "bigint", INT64_MIN)

/* ---------------------------------------------------------------- decimals */

/* Rounds v (scale s) to `keep` fraction digits, half away from zero,
 * returning the value at scale s (keep >= s: unchanged). */
static fl_int128 dec_round_keep_scale(fl_int128 v, int s, int64_t keep)
{
    if (keep >= s) return v;
    int64_t drop = s - keep;
    if (drop > 38) return 0;
    fl_int128 f = fl_pow10_i128((int)drop), rem = v % f;
    fl_int128 q = v - rem;
    if (rem * 2 >= f) q += f;
    else if (rem * 2 <= -f) q -= f;
    return q;
}

typedef enum dec_mode { DM_ROUND, DM_CEIL, DM_FLOOR, DM_TRUNC } dec_mode;

/* To scale 0 with the given rounding. */
static fl_int128 dec_to_int(fl_int128 v, int s, dec_mode mode)
{
    if (s == 0) return v;
    fl_int128 f = fl_pow10_i128(s), q = v / f, rem = v % f;
    switch (mode) {
    case DM_ROUND:
        if (rem * 2 >= f) q++;
        else if (rem * 2 <= -f) q--;
        break;
    case DM_CEIL: if (rem > 0) q++; break;
    case DM_FLOOR: if (rem < 0) q--; break;
    case DM_TRUNC: break;
    }
    return q;
}

static int dec_unary(const ex_vector *args, size_t n, fl_column *out, dec_mode mode)
{
    fl_int128 buf[256];
    int s = args[0].col->type.scale;
    for (size_t start = 0; start < n; start += 256) {
        size_t cnt = n - start < 256 ? n - start : 256;
        fn_load_i128(&args[0], start, cnt, buf);
        for (size_t j = 0; j < cnt; j++) fn_dec_put(out, start + j, dec_to_int(buf[j], s, mode));
    }
    return 0;
}

static int dec_round0(FN_EXEC_ARGS) { FN_UNUSED; return dec_unary(args, n, out, DM_ROUND); }
static int dec_ceil(FN_EXEC_ARGS) { FN_UNUSED; return dec_unary(args, n, out, DM_CEIL); }
static int dec_floor(FN_EXEC_ARGS) { FN_UNUSED; return dec_unary(args, n, out, DM_FLOOR); }
static int dec_trunc(FN_EXEC_ARGS) { FN_UNUSED; return dec_unary(args, n, out, DM_TRUNC); }

static int dec_round_n(FN_EXEC_ARGS)
{
    FN_UNUSED;
    fl_int128 buf[256];
    int s = args[0].col->type.scale;
    const int64_t *dv = args[1].col->data;
    size_t ds = fn_stride(&args[1]);
    for (size_t start = 0; start < n; start += 256) {
        size_t cnt = n - start < 256 ? n - start : 256;
        fn_load_i128(&args[0], start, cnt, buf);
        for (size_t j = 0; j < cnt; j++)
            fn_dec_put(out, start + j, dec_round_keep_scale(buf[j], s, dv[(start + j) * ds]));
    }
    return 0;
}

static int dec_abs(FN_EXEC_ARGS)
{
    FN_UNUSED;
    if (fl_decimal_is_wide(out->type))
        FN_UN_LOOP(fl_int128, fl_int128, args, n, out, r[i] = x < 0 ? -x : x);
    else
        FN_UN_LOOP(int64_t, int64_t, args, n, out, r[i] = x < 0 ? -x : x);
    return 0;
}

static int dec_sign(FN_EXEC_ARGS)
{
    FN_UNUSED;
    if (fl_decimal_is_wide(args[0].col->type))
        FN_UN_LOOP(fl_int128, int64_t, args, n, out, r[i] = (x > 0) - (x < 0));
    else
        FN_UN_LOOP(int64_t, int64_t, args, n, out, r[i] = (x > 0) - (x < 0));
    return 0;
}

static int spec_dec_int_result(fn_scalar_bound *b, fl_arena *a, fl_error *e)
{
    (void)a; (void)e;
    fl_type t = b->arg_types[0];
    int p = t.precision - t.scale + (t.scale > 0 ? 1 : 0);
    if (p > 38) p = 38;
    if (p < 1) p = 1;
    b->ret = fl_type_decimal(p, 0);
    return 0;
}

static int spec_dec_round_n(fn_scalar_bound *b, fl_arena *a, fl_error *e)
{
    (void)a; (void)e;
    fl_type t = b->arg_types[0];
    b->ret = fl_type_decimal(t.precision + 1 > 38 ? 38 : t.precision + 1, t.scale);
    return 0;
}

static int spec_same(fn_scalar_bound *b, fl_arena *a, fl_error *e)
{
    (void)a; (void)e;
    b->ret = b->arg_types[0];
    return 0;
}

static int spec_sign(fn_scalar_bound *b, fl_arena *a, fl_error *e)
{
    (void)a; (void)e;
    b->ret = fl_type_decimal(1, 0);
    return 0;
}

/* ---------------------------------------------------------------- constants, random */

static int pi_fn(FN_EXEC_ARGS)
{
    FN_UNUSED;
    (void)args;
    double *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = M_PI;
    return 0;
}

typedef struct rng_state { uint64_t s; } rng_state;

static int random_init(fn_exec_ctx *ctx, const ex_vector *c, uint32_t argc, fl_error *err)
{
    (void)c; (void)argc;
    rng_state *st = fl_arena_alloc(ctx->arena, sizeof *st);
    if (!st) return fl_error_set(err, FLOE_ENOMEM, "out of memory in random");
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    st->s = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)st;
    if (!st->s) st->s = 0x9E3779B97F4A7C15ull;
    ctx->state = st;
    return 0;
}

static int random_fn(FN_EXEC_ARGS)
{
    FN_UNUSED;
    (void)args;
    if (!ctx->state) FL_TRY(random_init(ctx, NULL, 0, err));
    rng_state *st = ctx->state;
    double *r = out->data;
    uint64_t s = st->s;
    for (size_t i = 0; i < n; i++) {
        /* xorshift64*: 53 high bits as a double in [0, 1) */
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        r[i] = (double)((s * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
    }
    st->s = s;
    return 0;
}

/* ---------------------------------------------------------------- table */

#define DBL FL_TYPE_DOUBLE
#define FLT FL_TYPE_FLOAT
#define I64 FL_TYPE_INT64
#define DEC FN_P_DECIMAL
#define U1(name, T, ret, fn) {name, 1, 1, {T}, ret, fn, NULL, NULL, false, false}
#define U1S(name, fn, spec) {name, 1, 1, {DEC}, FN_R_SPECIAL, fn, spec, NULL, false, false}
#define D1(name) U1(#name, DBL, DBL, name##_f64)
#define INTS(name, SUF)                                                                     \
    U1(name, FL_TYPE_INT8, FL_TYPE_INT8, SUF##_i8), U1(name, FL_TYPE_INT16, FL_TYPE_INT16, SUF##_i16), \
    U1(name, FL_TYPE_INT32, FL_TYPE_INT32, SUF##_i32), U1(name, FL_TYPE_INT64, FL_TYPE_INT64, SUF##_i64)
#define INTS_N(name)                                                                        \
    {name, 2, 2, {FL_TYPE_INT8, I64}, FL_TYPE_INT8, round_n_i8, NULL, NULL, false, false},  \
    {name, 2, 2, {FL_TYPE_INT16, I64}, FL_TYPE_INT16, round_n_i16, NULL, NULL, false, false}, \
    {name, 2, 2, {FL_TYPE_INT32, I64}, FL_TYPE_INT32, round_n_i32, NULL, NULL, false, false}, \
    {name, 2, 2, {FL_TYPE_INT64, I64}, FL_TYPE_INT64, round_n_i64, NULL, NULL, false, false}

const fn_scalar_def fn_math_defs[] = {
    INTS("round", ident), INTS_N("round"),
    U1S("round", dec_round0, spec_dec_int_result),
    {"round", 2, 2, {DEC, I64}, FN_R_SPECIAL, dec_round_n, spec_dec_round_n, NULL, false, false},
    U1("round", FLT, FLT, round_f32), U1("round", DBL, DBL, round_f64),
    {"round", 2, 2, {FLT, I64}, FLT, round_n_f32, NULL, NULL, false, false},
    {"round", 2, 2, {DBL, I64}, DBL, round_n_f64, NULL, NULL, false, false},
    INTS("abs", abs), U1S("abs", dec_abs, spec_same), U1("abs", FLT, FLT, abs_f32), D1(abs),
    INTS("ceil", ident), U1S("ceil", dec_ceil, spec_dec_int_result), U1("ceil", FLT, FLT, ceil_f32), D1(ceil),
    INTS("floor", ident), U1S("floor", dec_floor, spec_dec_int_result), U1("floor", FLT, FLT, floor_f32), D1(floor),
    INTS("truncate", ident), U1S("truncate", dec_trunc, spec_dec_int_result),
    U1("truncate", FLT, FLT, trunc_f32), U1("truncate", DBL, DBL, trunc_f64),
    INTS("sign", sign), U1S("sign", dec_sign, spec_sign), U1("sign", FLT, FLT, sign_f32), D1(sign),
    D1(sqrt), D1(cbrt), D1(ln), D1(log2), D1(log10), D1(exp), D1(sin), D1(cos), D1(tan),
    D1(asin), D1(acos), D1(atan), D1(degrees), D1(radians),
    {"power", 2, 2, {DBL, DBL}, DBL, power_f64, NULL, NULL, false, false},
    {"atan2", 2, 2, {DBL, DBL}, DBL, atan2_f64, NULL, NULL, false, false},
    {"pi", 0, 0, {0}, DBL, pi_fn, NULL, NULL, false, false},
    {"random", 0, 0, {0}, DBL, random_fn, NULL, random_init, false, true},
};
const size_t fn_math_defs_count = FL_ARRAY_SIZE(fn_math_defs);
