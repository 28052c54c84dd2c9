/*
 * func_date.c: date and time functions on date, timestamp and timestamp
 * with time zone (UTC): field extraction (year, quarter, month, week,
 * day/day_of_month, day_of_week/dow, day_of_year/doy, hour, minute,
 * second, millisecond), date_add(unit, n, x), date_diff(unit, a, b),
 * date_trunc(unit, x), last_day_of_month, current_date and
 * current_timestamp/now. Casts from text are in func_cast.c.
 *
 * Semantics are Trino's: extracted fields are bigint; day_of_week is ISO
 * (Monday 1 .. Sunday 7) and week the ISO week; date_add by months clamps
 * to the end of the month (2024-01-31 + 1 month = 2024-02-29); date_diff
 * counts whole units from a to b, truncated toward zero (months: the
 * largest n with a + n months <= b, so 2024-01-31 .. 2024-02-29 is 1).
 * Sub-day units on a date are an error. The unit is usually a constant:
 * init parses it once; otherwise it is parsed per row.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../base/time.h"
#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err
#define FN_UNUSED (void)ctx; (void)arg_count; (void)err

/* ---------------------------------------------------------------- calendar helpers */

static inline int64_t floor_div64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static inline int32_t ts_days(int64_t us) { return (int32_t)floor_div64(us, FL_MICROS_PER_DAY); }
static inline int64_t ts_time(int64_t us) { return us - (int64_t)ts_days(us) * FL_MICROS_PER_DAY; }

static inline int iso_dow(int32_t days) { return (fl_day_of_week(days) + 6) % 7 + 1; }

static int64_t iso_week(int32_t days)
{
    int32_t thursday = days - iso_dow(days) + 4;
    return (fl_day_of_year(thursday) - 1) / 7 + 1;
}

static inline int64_t f_year(int32_t d) { int32_t y; int m, dd; fl_civil_from_days(d, &y, &m, &dd); return y; }
static inline int64_t f_quarter(int32_t d) { int32_t y; int m, dd; fl_civil_from_days(d, &y, &m, &dd); return (m - 1) / 3 + 1; }
static inline int64_t f_month(int32_t d) { int32_t y; int m, dd; fl_civil_from_days(d, &y, &m, &dd); return m; }
static inline int64_t f_day(int32_t d) { int32_t y; int m, dd; fl_civil_from_days(d, &y, &m, &dd); return dd; }
static inline int64_t f_week(int32_t d) { return iso_week(d); }
static inline int64_t f_dow(int32_t d) { return iso_dow(d); }
static inline int64_t f_doy(int32_t d) { return fl_day_of_year(d); }

#define DEFINE_DATE_FIELD(NAME)                                                    \
    static int NAME##_date(FN_EXEC_ARGS)                                           \
    {                                                                              \
        FN_UNUSED;                                                                 \
        FN_UN_LOOP(int32_t, int64_t, args, n, out, r[i] = f_##NAME(x));            \
        return 0;                                                                  \
    }                                                                              \
    static int NAME##_ts(FN_EXEC_ARGS)                                             \
    {                                                                              \
        FN_UNUSED;                                                                 \
        FN_UN_LOOP(int64_t, int64_t, args, n, out, r[i] = f_##NAME(ts_days(x)));   \
        return 0;                                                                  \
    }                                                                              \
    static int NAME##_tsns(FN_EXEC_ARGS)                                           \
    {                                                                              \
        FN_UNUSED;                                                                 \
        FN_UN_LOOP(int64_t, int64_t, args, n, out,                                 \
                   r[i] = f_##NAME(ts_days(floor_div64(x, 1000))));                \
        return 0;                                                                  \
    }
DEFINE_DATE_FIELD(year)
DEFINE_DATE_FIELD(quarter)
DEFINE_DATE_FIELD(month)
DEFINE_DATE_FIELD(day)
DEFINE_DATE_FIELD(week)
DEFINE_DATE_FIELD(dow)
DEFINE_DATE_FIELD(doy)

#define DEFINE_TIME_FIELD(NAME, EXPR)                                              \
    static int NAME##_ts(FN_EXEC_ARGS)                                             \
    {                                                                              \
        FN_UNUSED;                                                                 \
        FN_UN_LOOP(int64_t, int64_t, args, n, out, {                               \
            int64_t t = ts_time(x);                                                \
            r[i] = (EXPR);                                                         \
        });                                                                        \
        return 0;                                                                  \
    }                                                                              \
    static int NAME##_tsns(FN_EXEC_ARGS)                                           \
    {                                                                              \
        FN_UNUSED;                                                                 \
        FN_UN_LOOP(int64_t, int64_t, args, n, out, {                               \
            int64_t t = ts_time(floor_div64(x, 1000));                             \
            r[i] = (EXPR);                                                         \
        });                                                                        \
        return 0;                                                                  \
    }
DEFINE_TIME_FIELD(hour, t / (3600 * FL_MICROS_PER_SECOND))
DEFINE_TIME_FIELD(minute, t / (60 * FL_MICROS_PER_SECOND) % 60)
DEFINE_TIME_FIELD(second, t / FL_MICROS_PER_SECOND % 60)
DEFINE_TIME_FIELD(millisecond, t / 1000 % 1000)

static int last_day_date(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_UN_LOOP(int32_t, int32_t, args, n, out, {
        int32_t y; int m, d;
        fl_civil_from_days(x, &y, &m, &d);
        r[i] = fl_days_from_civil(y, m, fl_days_in_month(y, m));
    });
    return 0;
}

static int last_day_ts(FN_EXEC_ARGS)
{
    FN_UNUSED;
    FN_UN_LOOP(int64_t, int32_t, args, n, out, {
        int32_t y; int m, d;
        fl_civil_from_days(ts_days(x), &y, &m, &d);
        r[i] = fl_days_from_civil(y, m, fl_days_in_month(y, m));
    });
    return 0;
}

/* ---------------------------------------------------------------- units */

typedef enum date_unit {
    U_INVALID, U_MILLISECOND, U_SECOND, U_MINUTE, U_HOUR, U_DAY, U_WEEK, U_MONTH, U_QUARTER, U_YEAR,
} date_unit;

static const struct { const char *name; date_unit unit; } unit_names[] = {
    {"millisecond", U_MILLISECOND}, {"second", U_SECOND}, {"minute", U_MINUTE},
    {"hour", U_HOUR}, {"day", U_DAY}, {"week", U_WEEK}, {"month", U_MONTH},
    {"quarter", U_QUARTER}, {"year", U_YEAR},
};

static int parse_unit(fl_strv s, bool is_date, const char *fname, date_unit *out, fl_error *err)
{
    for (size_t i = 0; i < FL_ARRAY_SIZE(unit_names); i++) {
        size_t len = strlen(unit_names[i].name);
        bool plural = s.len == len + 1 && (s.ptr[len] == 's' || s.ptr[len] == 'S');
        if ((s.len == len || plural) && strncasecmp(s.ptr, unit_names[i].name, len) == 0) {
            if (is_date && unit_names[i].unit < U_DAY)
                return fn_err_arg(err, "%s: '%.*s' is not a valid unit for a date", fname,
                                  (int)s.len, s.ptr);
            *out = unit_names[i].unit;
            return 0;
        }
    }
    return fn_err_arg(err, "%s: invalid unit '%.*s'", fname, (int)(s.len > 40 ? 40 : s.len), s.ptr);
}

static int64_t unit_micros(date_unit u)
{
    switch (u) {
    case U_MILLISECOND: return 1000;
    case U_SECOND: return FL_MICROS_PER_SECOND;
    case U_MINUTE: return 60 * FL_MICROS_PER_SECOND;
    case U_HOUR: return 3600 * FL_MICROS_PER_SECOND;
    case U_DAY: return FL_MICROS_PER_DAY;
    case U_WEEK: return 7 * FL_MICROS_PER_DAY;
    default: return 0;
    }
}

static int unit_months(date_unit u) { return u == U_MONTH ? 1 : u == U_QUARTER ? 3 : u == U_YEAR ? 12 : 0; }

typedef struct unit_state {
    bool constant;
    date_unit unit;
} unit_state;

static const char *fname_of(const fn_exec_ctx *ctx) { return ctx->fn ? ctx->fn->name : "date function"; }

/* The unit argument is args[0]; is_date: the value argument's type is date. */
static int unit_init(fn_exec_ctx *ctx, const ex_vector *c, uint32_t argc, fl_error *err)
{
    (void)argc;
    unit_state *st = fl_arena_calloc(ctx->arena, sizeof *st);
    if (!st) return fl_error_set(err, FLOE_ENOMEM, "out of memory in %s", fname_of(ctx));
    ctx->state = st;
    if (c[0].col && c[0].kind == EX_VECTOR_CONST && fl_column_is_valid(c[0].col, 0)) {
        bool is_date = ctx->fn && ctx->fn->ret.id == FL_TYPE_DATE;
        if (ctx->fn && strcmp(ctx->fn->name, "date_diff") == 0)
            is_date = ctx->fn->arg_types[1].id == FL_TYPE_DATE;
        FL_TRY(parse_unit(((const fl_strv *)c[0].col->data)[0], is_date, fname_of(ctx), &st->unit, err));
        st->constant = true;
    }
    return 0;
}

/* The unit of row i. */
static inline int row_unit(fn_exec_ctx *ctx, const ex_vector *args, size_t i, bool is_date,
                           date_unit *u, fl_error *err)
{
    const unit_state *st = ctx->state;
    if (st && st->constant) { *u = st->unit; return 0; }
    return parse_unit(((const fl_strv *)args[0].col->data)[i * fn_stride(&args[0])], is_date,
                      fname_of(ctx), u, err);
}

static int range_error(fn_exec_ctx *ctx, fl_error *err)
{
    return fn_err_range(err, "%s: result is out of range", fname_of(ctx));
}

/* ---------------------------------------------------------------- date_add */

static int date_add_date(FN_EXEC_ARGS)
{
    (void)arg_count;
    const int64_t *nv = args[1].col->data;
    const int32_t *dv = args[2].col->data;
    size_t ns = fn_stride(&args[1]), ds = fn_stride(&args[2]);
    int32_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        date_unit u;
        FL_TRY(row_unit(ctx, args, i, true, &u, err));
        int64_t k = nv[i * ns], d = dv[i * ds], res;
        if (unit_months(u)) {
            int64_t months;
            if (__builtin_mul_overflow(k, unit_months(u), &months) || months > INT32_MAX / 2 ||
                months < -(INT32_MAX / 2))
                return range_error(ctx, err);
            res = fl_date_add_months((int32_t)d, (int32_t)months);
        } else {
            int64_t days;
            if (__builtin_mul_overflow(k, u == U_WEEK ? 7 : 1, &days) || __builtin_add_overflow(d, days, &res))
                return range_error(ctx, err);
        }
        if (res > INT32_MAX || res < INT32_MIN) return range_error(ctx, err);
        r[i] = (int32_t)res;
    }
    return 0;
}

static int date_add_ts(FN_EXEC_ARGS)
{
    (void)arg_count;
    const int64_t *nv = args[1].col->data;
    const int64_t *tv = args[2].col->data;
    size_t ns = fn_stride(&args[1]), ts = fn_stride(&args[2]);
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        date_unit u;
        FL_TRY(row_unit(ctx, args, i, false, &u, err));
        int64_t k = nv[i * ns], t = tv[i * ts], res;
        if (unit_months(u)) {
            int64_t months;
            if (__builtin_mul_overflow(k, unit_months(u), &months) || months > INT32_MAX / 2 ||
                months < -(INT32_MAX / 2))
                return range_error(ctx, err);
            int64_t days = fl_date_add_months(ts_days(t), (int32_t)months);
            if (__builtin_mul_overflow(days, FL_MICROS_PER_DAY, &res) ||
                __builtin_add_overflow(res, ts_time(t), &res))
                return range_error(ctx, err);
        } else {
            int64_t delta;
            if (__builtin_mul_overflow(k, unit_micros(u), &delta) || __builtin_add_overflow(t, delta, &res))
                return range_error(ctx, err);
        }
        r[i] = res;
    }
    return 0;
}

/* ---------------------------------------------------------------- date_diff */

/* Whole months from (ad, at) to (bd, bt), truncated toward zero. */
static int64_t months_between(int32_t ad, int64_t at, int32_t bd, int64_t bt)
{
    int32_t ay, by;
    int am, bm, dd;
    fl_civil_from_days(ad, &ay, &am, &dd);
    fl_civil_from_days(bd, &by, &bm, &dd);
    int64_t m = ((int64_t)by - ay) * 12 + (bm - am);
    if (m > INT32_MAX / 2 || m < -(INT32_MAX / 2)) return m;
    int32_t cd = fl_date_add_months(ad, (int32_t)m);
    /* compare (cd, at) with (bd, bt) */
    int cmp = cd < bd ? -1 : cd > bd ? 1 : at < bt ? -1 : at > bt;
    if (m > 0 && cmp > 0) m--;
    else if (m < 0 && cmp < 0) m++;
    return m;
}

static int date_diff_date(FN_EXEC_ARGS)
{
    (void)arg_count;
    const int32_t *av = args[1].col->data, *bv = args[2].col->data;
    size_t as = fn_stride(&args[1]), bs = fn_stride(&args[2]);
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        date_unit u;
        FL_TRY(row_unit(ctx, args, i, true, &u, err));
        int32_t a = av[i * as], b = bv[i * bs];
        if (unit_months(u)) r[i] = months_between(a, 0, b, 0) / unit_months(u);
        else r[i] = ((int64_t)b - a) / (u == U_WEEK ? 7 : 1);
    }
    return 0;
}

static int date_diff_ts(FN_EXEC_ARGS)
{
    (void)arg_count;
    const int64_t *av = args[1].col->data, *bv = args[2].col->data;
    size_t as = fn_stride(&args[1]), bs = fn_stride(&args[2]);
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        date_unit u;
        FL_TRY(row_unit(ctx, args, i, false, &u, err));
        int64_t a = av[i * as], b = bv[i * bs];
        if (unit_months(u)) {
            r[i] = months_between(ts_days(a), ts_time(a), ts_days(b), ts_time(b)) / unit_months(u);
        } else {
            int64_t d;
            if (__builtin_sub_overflow(b, a, &d)) return range_error(ctx, err);
            r[i] = d / unit_micros(u);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- date_trunc */

static int32_t trunc_days(int32_t d, date_unit u)
{
    int32_t y;
    int m, dd;
    switch (u) {
    case U_WEEK: return d - (iso_dow(d) - 1);
    case U_MONTH: fl_civil_from_days(d, &y, &m, &dd); return fl_days_from_civil(y, m, 1);
    case U_QUARTER: fl_civil_from_days(d, &y, &m, &dd); return fl_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    case U_YEAR: fl_civil_from_days(d, &y, &m, &dd); return fl_days_from_civil(y, 1, 1);
    default: return d;
    }
}

static int date_trunc_date(FN_EXEC_ARGS)
{
    (void)arg_count;
    const int32_t *dv = args[1].col->data;
    size_t ds = fn_stride(&args[1]);
    int32_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        date_unit u;
        FL_TRY(row_unit(ctx, args, i, true, &u, err));
        r[i] = trunc_days(dv[i * ds], u);
    }
    return 0;
}

static int date_trunc_ts(FN_EXEC_ARGS)
{
    (void)arg_count;
    const int64_t *tv = args[1].col->data;
    size_t ts = fn_stride(&args[1]);
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        date_unit u;
        FL_TRY(row_unit(ctx, args, i, false, &u, err));
        int64_t t = tv[i * ts];
        if (u <= U_DAY) {
            int64_t m = unit_micros(u);
            r[i] = floor_div64(t, m) * m;
        } else {
            r[i] = (int64_t)trunc_days(ts_days(t), u) * FL_MICROS_PER_DAY;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- now */

static int64_t now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * FL_MICROS_PER_SECOND + ts.tv_nsec / 1000;
}

static int current_date_fn(FN_EXEC_ARGS)
{
    FN_UNUSED;
    (void)args;
    int32_t d = ts_days(now_micros());
    int32_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = d;
    return 0;
}

static int current_timestamp_fn(FN_EXEC_ARGS)
{
    FN_UNUSED;
    (void)args;
    int64_t t = now_micros();
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = t;
    return 0;
}

/* ---------------------------------------------------------------- table */

#define DT FL_TYPE_DATE
#define TS FL_TYPE_TIMESTAMP
#define TZ FL_TYPE_TIMESTAMPTZ
#define I FL_TYPE_INT64
#define V FL_TYPE_STRING
#define F1(name, T, fn) {name, 1, 1, {T}, I, fn, NULL, NULL, false, false}
#define TSN FL_TYPE_TIMESTAMP_NS
#define TZN FL_TYPE_TIMESTAMPTZ_NS
#define FIELD(name, SUF)                                                                  \
    F1(name, DT, SUF##_date), F1(name, TS, SUF##_ts), F1(name, TZ, SUF##_ts),             \
        F1(name, TSN, SUF##_tsns), F1(name, TZN, SUF##_tsns)
#define TFIELD(name, SUF)                                                                 \
    F1(name, TS, SUF##_ts), F1(name, TZ, SUF##_ts), F1(name, TSN, SUF##_tsns),            \
        F1(name, TZN, SUF##_tsns)
#define UNIT3(name, T, ret, fn) {name, 3, 3, {V, I, T}, ret, fn, NULL, unit_init, false, false}
#define DIFF(T, fn) {"date_diff", 3, 3, {V, T, T}, I, fn, NULL, unit_init, false, false}
#define TRUNC(T, fn) {"date_trunc", 2, 2, {V, T}, T, fn, NULL, unit_init, false, false}

const fn_scalar_def fn_date_defs[] = {
    FIELD("year", year), FIELD("quarter", quarter), FIELD("month", month),
    FIELD("week", week), FIELD("week_of_year", week),
    FIELD("day", day), FIELD("day_of_month", day),
    FIELD("day_of_week", dow), FIELD("dow", dow),
    FIELD("day_of_year", doy), FIELD("doy", doy),
    TFIELD("hour", hour), TFIELD("minute", minute), TFIELD("second", second),
    TFIELD("millisecond", millisecond),
    {"last_day_of_month", 1, 1, {DT}, DT, last_day_date, NULL, NULL, false, false},
    {"last_day_of_month", 1, 1, {TS}, DT, last_day_ts, NULL, NULL, false, false},
    {"last_day_of_month", 1, 1, {TZ}, DT, last_day_ts, NULL, NULL, false, false},
    UNIT3("date_add", DT, DT, date_add_date),
    UNIT3("date_add", TS, TS, date_add_ts),
    UNIT3("date_add", TZ, TZ, date_add_ts),
    DIFF(DT, date_diff_date), DIFF(TS, date_diff_ts), DIFF(TZ, date_diff_ts),
    TRUNC(DT, date_trunc_date), TRUNC(TS, date_trunc_ts), TRUNC(TZ, date_trunc_ts),
    {"current_date", 0, 0, {0}, DT, current_date_fn, NULL, NULL, false, true},
    {"current_timestamp", 0, 0, {0}, TZ, current_timestamp_fn, NULL, NULL, false, true},
    {"now", 0, 0, {0}, TZ, current_timestamp_fn, NULL, NULL, false, true},
};
const size_t fn_date_defs_count = FL_ARRAY_SIZE(fn_date_defs);
