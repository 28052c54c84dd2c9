/*
 * func_cond.c: conditional functions: coalesce(x, ...), nullif(a, b),
 * if(cond, a[, b]), greatest(x, ...), least(x, ...).
 *
 * All arguments but if's condition unify to their common supertype (the
 * FN_P_T pattern), so the result type is that type. coalesce, nullif and if
 * set NULLs themselves (special_nulls); greatest and least are NULL when any
 * argument is (Trino). Value moves are specialised by the width of the type
 * (1, 2, 4, 8 or 16 bytes, strings included as 16-byte views that borrow
 * the arguments' bytes); comparisons by the type itself.
 */
#include <string.h>

#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err
#define FN_UNUSED (void)ctx; (void)arg_count; (void)err

typedef struct w16 { uint64_t a, b; } w16;

/* Row i of vector v as a T (no validity check). */
#define AT(T, v, i) (((const T *)(v)->col->data)[ex_vector_row((v), (i))])

/* ---------------------------------------------------------------- coalesce */

#define DEFINE_COALESCE(T, SUF)                                                             \
    static int coalesce_##SUF(const ex_vector *args, uint32_t argc, size_t n, fl_column *out) \
    {                                                                                       \
        T *r = out->data;                                                                   \
        for (size_t i = 0; i < n; i++) {                                                    \
            uint32_t k = 0;                                                                 \
            while (k < argc && !ex_vector_is_valid(&args[k], i)) k++;                       \
            if (k < argc) {                                                                 \
                r[i] = AT(T, &args[k], i);                                                  \
            } else {                                                                        \
                memset(&r[i], 0, sizeof r[i]);                                              \
                FL_TRY(fl_column_set_null(out, i));                                         \
            }                                                                               \
        }                                                                                   \
        return 0;                                                                           \
    }
DEFINE_COALESCE(uint8_t, w1)
DEFINE_COALESCE(uint16_t, w2)
DEFINE_COALESCE(uint32_t, w4)
DEFINE_COALESCE(uint64_t, w8)
DEFINE_COALESCE(w16, w16)

static int all_null(size_t n, fl_column *out)
{
    for (size_t i = 0; i < n; i++) FL_TRY(fl_column_set_null(out, i));
    return 0;
}

static int coalesce_fn(FN_EXEC_ARGS)
{
    FN_UNUSED;
    switch (fl_type_width(out->type)) {
    case 1: return coalesce_w1(args, arg_count, n, out);
    case 2: return coalesce_w2(args, arg_count, n, out);
    case 4: return coalesce_w4(args, arg_count, n, out);
    case 8: return coalesce_w8(args, arg_count, n, out);
    case 16: return coalesce_w16(args, arg_count, n, out);
    default: return all_null(n, out);
    }
}

/* ---------------------------------------------------------------- if */

#define DEFINE_IF(T, SUF)                                                                   \
    static int if_##SUF(const ex_vector *args, uint32_t argc, size_t n, fl_column *out)     \
    {                                                                                       \
        T *r = out->data;                                                                   \
        for (size_t i = 0; i < n; i++) {                                                    \
            bool c = ex_vector_is_valid(&args[0], i) && AT(uint8_t, &args[0], i);           \
            const ex_vector *src = c ? &args[1] : argc > 2 ? &args[2] : NULL;               \
            if (src && ex_vector_is_valid(src, i)) {                                        \
                r[i] = AT(T, src, i);                                                       \
            } else {                                                                        \
                memset(&r[i], 0, sizeof r[i]);                                              \
                FL_TRY(fl_column_set_null(out, i));                                         \
            }                                                                               \
        }                                                                                   \
        return 0;                                                                           \
    }
DEFINE_IF(uint8_t, w1)
DEFINE_IF(uint16_t, w2)
DEFINE_IF(uint32_t, w4)
DEFINE_IF(uint64_t, w8)
DEFINE_IF(w16, w16)

static int if_fn(FN_EXEC_ARGS)
{
    FN_UNUSED;
    switch (fl_type_width(out->type)) {
    case 1: return if_w1(args, arg_count, n, out);
    case 2: return if_w2(args, arg_count, n, out);
    case 4: return if_w4(args, arg_count, n, out);
    case 8: return if_w8(args, arg_count, n, out);
    case 16: return if_w16(args, arg_count, n, out);
    default: return all_null(n, out);
    }
}

/* ---------------------------------------------------------------- nullif */

static inline bool strv_eq(fl_strv a, fl_strv b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

#define DEFINE_NULLIF(T, SUF, EQ)                                                           \
    static int nullif_##SUF(FN_EXEC_ARGS)                                                   \
    {                                                                                       \
        FN_UNUSED;                                                                          \
        T *r = out->data;                                                                   \
        for (size_t i = 0; i < n; i++) {                                                    \
            memset(&r[i], 0, sizeof r[i]);                                                  \
            if (!ex_vector_is_valid(&args[0], i)) {                                         \
                FL_TRY(fl_column_set_null(out, i));                                         \
                continue;                                                                   \
            }                                                                               \
            T x = AT(T, &args[0], i);                                                       \
            if (ex_vector_is_valid(&args[1], i)) {                                          \
                T y = AT(T, &args[1], i);                                                   \
                if (EQ) {                                                                   \
                    FL_TRY(fl_column_set_null(out, i));                                     \
                    continue;                                                               \
                }                                                                           \
            }                                                                               \
            r[i] = x;                                                                       \
        }                                                                                   \
        return 0;                                                                           \
    }
DEFINE_NULLIF(uint8_t, w1, x == y)
DEFINE_NULLIF(uint16_t, w2, x == y)
DEFINE_NULLIF(uint32_t, w4, x == y)
DEFINE_NULLIF(uint64_t, w8, x == y)
DEFINE_NULLIF(fl_int128, i128, x == y)
DEFINE_NULLIF(float, f32, x == y)
DEFINE_NULLIF(double, f64, x == y)
DEFINE_NULLIF(fl_strv, str, strv_eq(x, y))

static int nullif_null(FN_EXEC_ARGS)
{
    FN_UNUSED;
    (void)args;
    return all_null(n, out);
}

static int spec_nullif(fn_scalar_bound *b, fl_arena *a, fl_error *e)
{
    (void)a; (void)e;
    fl_type t = b->ret;
    if (t.id == FL_TYPE_FLOAT) b->exec = nullif_f32;
    else if (t.id == FL_TYPE_DOUBLE) b->exec = nullif_f64;
    else if (fl_type_is_varlen(t)) b->exec = nullif_str;
    else if (t.id == FL_TYPE_DECIMAL && fl_decimal_is_wide(t)) b->exec = nullif_i128;
    else {
        switch (fl_type_width(t)) {
        case 1: b->exec = nullif_w1; break;
        case 2: b->exec = nullif_w2; break;
        case 4: b->exec = nullif_w4; break;
        case 8: b->exec = nullif_w8; break;
        case 0: b->exec = nullif_null; break;
        default: return FLOE_ENOTFOUND;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- greatest / least */

static inline int str_cmp(fl_strv a, fl_strv b)
{
    uint32_t m = a.len < b.len ? a.len : b.len;
    int c = m ? memcmp(a.ptr, b.ptr, m) : 0;
    if (c) return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

#define DEFINE_GL(T, SUF, GT)                                                               \
    static int gl_##SUF(const ex_vector *args, uint32_t argc, size_t n, fl_column *out,     \
                        bool greatest)                                                      \
    {                                                                                       \
        T *r = out->data;                                                                   \
        for (size_t i = 0; i < n; i++) {                                                    \
            if (!FN_VALID(out, i)) { memset(&r[i], 0, sizeof r[i]); continue; }             \
            T best = AT(T, &args[0], i);                                                    \
            for (uint32_t k = 1; k < argc; k++) {                                           \
                T x = AT(T, &args[k], i), y = best;                                         \
                if (greatest ? (GT) : !(GT) && !(EQ_##SUF)) best = x;                       \
            }                                                                               \
            r[i] = best;                                                                    \
        }                                                                                   \
        return 0;                                                                           \
    }                                                                                       \
    static int greatest_##SUF(FN_EXEC_ARGS)                                                 \
    {                                                                                       \
        FN_UNUSED;                                                                          \
        return gl_##SUF(args, arg_count, n, out, true);                                     \
    }                                                                                       \
    static int least_##SUF(FN_EXEC_ARGS)                                                    \
    {                                                                                       \
        FN_UNUSED;                                                                          \
        return gl_##SUF(args, arg_count, n, out, false);                                    \
    }

#define EQ_i8 x == y
#define EQ_i16 x == y
#define EQ_i32 x == y
#define EQ_i64 x == y
#define EQ_u8 x == y
#define EQ_u16 x == y
#define EQ_u32 x == y
#define EQ_u64 x == y
#define EQ_f32 x == y
#define EQ_f64 x == y
#define EQ_i128 x == y
#define EQ_str str_cmp(x, y) == 0
DEFINE_GL(int8_t, i8, x > y)
DEFINE_GL(int16_t, i16, x > y)
DEFINE_GL(int32_t, i32, x > y)
DEFINE_GL(int64_t, i64, x > y)
DEFINE_GL(uint8_t, u8, x > y)
DEFINE_GL(uint16_t, u16, x > y)
DEFINE_GL(uint32_t, u32, x > y)
DEFINE_GL(uint64_t, u64, x > y)
DEFINE_GL(float, f32, x > y)
DEFINE_GL(double, f64, x > y)
DEFINE_GL(fl_int128, i128, x > y)
DEFINE_GL(fl_strv, str, str_cmp(x, y) > 0)

typedef struct gl_pair { fn_scalar_fn greatest, least; } gl_pair;

static int spec_gl(fn_scalar_bound *b, bool greatest)
{
    fl_type t = b->ret;
    gl_pair p;
    switch ((fl_type_id)t.id) {
    case FL_TYPE_INT8: p = (gl_pair){greatest_i8, least_i8}; break;
    case FL_TYPE_INT16: p = (gl_pair){greatest_i16, least_i16}; break;
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: p = (gl_pair){greatest_i32, least_i32}; break;
    case FL_TYPE_INT64:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: p = (gl_pair){greatest_i64, least_i64}; break;
    case FL_TYPE_BOOL:
    case FL_TYPE_UINT8: p = (gl_pair){greatest_u8, least_u8}; break;
    case FL_TYPE_UINT16: p = (gl_pair){greatest_u16, least_u16}; break;
    case FL_TYPE_UINT32: p = (gl_pair){greatest_u32, least_u32}; break;
    case FL_TYPE_UINT64: p = (gl_pair){greatest_u64, least_u64}; break;
    case FL_TYPE_FLOAT: p = (gl_pair){greatest_f32, least_f32}; break;
    case FL_TYPE_DOUBLE: p = (gl_pair){greatest_f64, least_f64}; break;
    case FL_TYPE_DECIMAL:
        p = fl_decimal_is_wide(t) ? (gl_pair){greatest_i128, least_i128}
                                  : (gl_pair){greatest_i64, least_i64};
        break;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_UUID: p = (gl_pair){greatest_str, least_str}; break;
    default: return FLOE_ENOTFOUND;
    }
    b->exec = greatest ? p.greatest : p.least;
    return 0;
}

static int spec_greatest(fn_scalar_bound *b, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_gl(b, true); }
static int spec_least(fn_scalar_bound *b, fl_arena *a, fl_error *e) { (void)a; (void)e; return spec_gl(b, false); }

/* ---------------------------------------------------------------- table */

#define T FN_P_T
const fn_scalar_def fn_cond_defs[] = {
    {"coalesce", 1, FN_VARIADIC, {T}, FN_R_T, coalesce_fn, NULL, NULL, true, false},
    {"if", 2, 3, {FL_TYPE_BOOL, T, T}, FN_R_T, if_fn, NULL, NULL, true, false},
    {"nullif", 2, 2, {T, T}, FN_R_T, NULL, spec_nullif, NULL, true, false},
    {"greatest", 1, FN_VARIADIC, {T}, FN_R_T, NULL, spec_greatest, NULL, false, false},
    {"least", 1, FN_VARIADIC, {T}, FN_R_T, NULL, spec_least, NULL, false, false},
};
const size_t fn_cond_defs_count = FL_ARRAY_SIZE(fn_cond_defs);
