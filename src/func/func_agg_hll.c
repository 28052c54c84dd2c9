/*
 * func_agg_hll.c: approx_distinct(x), a HyperLogLog count of distinct
 * non-NULL values with 2048 registers (standard error 1.04/sqrt(2048) =
 * 2.3%, Trino's default).
 *
 * Values hash to 64 bits per type (integers by value, so 5 and 5 agree
 * across widths; doubles by bits with -0.0 and NaNs normalised; strings
 * and wide decimals by their bytes); the top 11 bits pick a register, which
 * keeps the longest run of leading zeros (+1) of the remaining bits.
 * Registers live in the states' arena, allocated on a group's first value;
 * combine takes the register-wise maximum, so partial states merge exactly.
 * Small cardinalities use linear counting (HLL's small-range correction).
 */
#include <math.h>
#include <string.h>

#include "../base/murmur3.h"
#include "func_internal.h"

#define HLL_BITS 11
#define HLL_M (1u << HLL_BITS)

typedef struct hll_state {
    uint8_t *regs;   /* HLL_M registers, NULL until the first value */
} hll_state;

static inline uint64_t mix64(uint64_t x)
{
    /* splitmix64's finalizer: a bijection with full avalanche */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static inline uint64_t hash_bytes(const void *p, size_t len)
{
    uint64_t a = fl_murmur3_32(p, len, 0x9747b28cu), b = fl_murmur3_32(p, len, 0x5bd1e995u);
    return mix64((a << 32) | b);
}

static inline uint64_t hash_double(double d)
{
    if (d == 0) d = 0;            /* -0.0 == 0.0 */
    if (d != d) d = NAN;          /* one NaN */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return mix64(bits ^ 0x7ff8000000000001ull);
}

static inline void hll_add(uint8_t *regs, uint64_t h)
{
    uint32_t idx = (uint32_t)(h >> (64 - HLL_BITS));
    uint64_t rest = (h << HLL_BITS) | (1ull << (HLL_BITS - 1));   /* bounded rank */
    uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);
    if (rank > regs[idx]) regs[idx] = rank;
}

static inline int ensure_regs(hll_state *s, fl_arena *arena, fl_error *err)
{
    if (FL_LIKELY(s->regs != NULL)) return 0;
    s->regs = fl_arena_calloc(arena, HLL_M);
    if (!s->regs) return fl_error_set(err, FLOE_ENOMEM, "out of memory in approx_distinct");
    return 0;
}

#define DEFINE_HLL_UPDATE(T, SUF, HASH)                                                \
    static int hll_update_##SUF(AGG_UPDATE_ARGS)                                       \
    {                                                                                  \
        (void)fn;                                                                      \
        const T *d = args[0].col->data;                                                \
        size_t st = fn_stride(&args[0]);                                               \
        const uint8_t *valid = args[0].col->validity;                                  \
        for (size_t i = 0; i < n; i++) {                                               \
            size_t row = i * st;                                                       \
            if (valid && !fl_bit_get(valid, row)) continue;                            \
            hll_state *s = states[i];                                                  \
            FL_TRY(ensure_regs(s, arena, err));                                        \
            T x = d[row];                                                              \
            hll_add(s->regs, HASH);                                                    \
        }                                                                              \
        return 0;                                                                      \
    }

DEFINE_HLL_UPDATE(int8_t, i8, mix64((uint64_t)(int64_t)x))
DEFINE_HLL_UPDATE(int16_t, i16, mix64((uint64_t)(int64_t)x))
DEFINE_HLL_UPDATE(int32_t, i32, mix64((uint64_t)(int64_t)x))
DEFINE_HLL_UPDATE(int64_t, i64, mix64((uint64_t)x))
DEFINE_HLL_UPDATE(uint8_t, u8, mix64((uint64_t)x))
DEFINE_HLL_UPDATE(uint16_t, u16, mix64((uint64_t)x))
DEFINE_HLL_UPDATE(uint32_t, u32, mix64((uint64_t)x))
DEFINE_HLL_UPDATE(uint64_t, u64, mix64(x))
DEFINE_HLL_UPDATE(float, f32, hash_double((double)x))
DEFINE_HLL_UPDATE(double, f64, hash_double(x))
DEFINE_HLL_UPDATE(fl_int128, i128, hash_bytes(&x, sizeof x))
DEFINE_HLL_UPDATE(fl_strv, str, hash_bytes(x.ptr ? x.ptr : "", x.len))

static void hll_init(const fn_agg_def *fn, void *state)
{
    (void)fn;
    memset(state, 0, sizeof(hll_state));
}

static int hll_combine(const fn_agg_def *fn, void *dst, const void *src, fl_arena *arena,
                       fl_error *err)
{
    (void)fn;
    hll_state *a = dst;
    const hll_state *b = src;
    if (!b->regs) return 0;
    FL_TRY(ensure_regs(a, arena, err));
    for (uint32_t j = 0; j < HLL_M; j++)
        if (b->regs[j] > a->regs[j]) a->regs[j] = b->regs[j];
    return 0;
}

static int64_t hll_estimate(const uint8_t *regs)
{
    if (!regs) return 0;
    double sum = 0;
    uint32_t zeros = 0;
    for (uint32_t j = 0; j < HLL_M; j++) {
        sum += ldexp(1.0, -(int)regs[j]);
        zeros += regs[j] == 0;
    }
    double m = HLL_M, alpha = 0.7213 / (1.0 + 1.079 / m);
    double e = alpha * m * m / sum;
    if (e <= 2.5 * m && zeros > 0) e = m * log(m / (double)zeros);
    return (int64_t)llround(e);
}

static int hll_finalize(const fn_agg_def *fn, void **states, size_t n, fl_column *out,
                        fl_arena *out_arena, fl_error *err)
{
    (void)fn; (void)out_arena; (void)err;
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = hll_estimate(((const hll_state *)states[i])->regs);
    return 0;
}

static int spec_hll(fn_agg_def *d, fl_arena *arena, fl_error *err)
{
    (void)arena; (void)err;
    fl_type t = d->arg_types[0];
    if (t.id == FL_TYPE_NULL)   /* approx_distinct(NULL): an all-NULL integer */
        ((fl_type *)d->arg_types)[0] = t = fl_type_make(FL_TYPE_INT32);
    int (*u)(AGG_UPDATE_ARGS) = NULL;
    switch ((fl_type_id)t.id) {
    case FL_TYPE_INT8: u = hll_update_i8; break;
    case FL_TYPE_INT16: u = hll_update_i16; break;
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: u = hll_update_i32; break;
    case FL_TYPE_INT64:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: u = hll_update_i64; break;
    case FL_TYPE_BOOL:
    case FL_TYPE_UINT8: u = hll_update_u8; break;
    case FL_TYPE_UINT16: u = hll_update_u16; break;
    case FL_TYPE_UINT32: u = hll_update_u32; break;
    case FL_TYPE_UINT64: u = hll_update_u64; break;
    case FL_TYPE_FLOAT: u = hll_update_f32; break;
    case FL_TYPE_DOUBLE: u = hll_update_f64; break;
    case FL_TYPE_DECIMAL: u = fl_decimal_is_wide(t) ? hll_update_i128 : hll_update_i64; break;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: u = hll_update_str; break;
    default: return FLOE_ENOTFOUND;
    }
    d->ret = fl_type_make(FL_TYPE_INT64);
    d->state_size = sizeof(hll_state);
    d->init = hll_init;
    d->update = u;
    d->combine = hll_combine;
    d->finalize = hll_finalize;
    return 0;
}

const fn_agg_entry fn_agg_hll_entries[] = {
    {"approx_distinct", 1, {FN_P_ANY, 0}, spec_hll},
};
const size_t fn_agg_hll_entries_count = FL_ARRAY_SIZE(fn_agg_hll_entries);
