/*
 * func_registry.c: the function catalogue: type names, Trino's implicit
 * coercions and common supertypes, and resolution of a call (name plus
 * argument types) to one definition of the family tables.
 *
 * Resolution (Trino's rule, approximated by a cost): every definition of
 * the name whose parameters the arguments reach through implicit coercions
 * is a candidate; an exact match costs 0, each coerced argument costs 10
 * plus the distance between the types in the numeric ladder
 * (tinyint < smallint < integer < bigint < decimal < real < double), so the
 * most specific reachable overload wins (integer + bigint -> bigint
 * arithmetic, integer + decimal -> decimal, bigint + double -> double).
 * Ties go to the definition listed first. Lookup is a linear scan over a
 * few hundred definitions, done once per call site at bind time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../base/decimal.h"
#include "../base/value_text.h"
#include "func_internal.h"

/* ---------------------------------------------------------------- type names */

int fn_type_sql_name(fl_type t, char *buf, size_t cap)
{
    const char *name = NULL;
    switch ((fl_type_id)t.id) {
    case FL_TYPE_BOOL: name = "boolean"; break;
    case FL_TYPE_INT8: name = "tinyint"; break;
    case FL_TYPE_INT16: name = "smallint"; break;
    case FL_TYPE_INT32: name = "integer"; break;
    case FL_TYPE_INT64: name = "bigint"; break;
    case FL_TYPE_UINT8: name = "utinyint"; break;
    case FL_TYPE_UINT16: name = "usmallint"; break;
    case FL_TYPE_UINT32: name = "uinteger"; break;
    case FL_TYPE_UINT64: name = "ubigint"; break;
    case FL_TYPE_FLOAT: name = "real"; break;
    case FL_TYPE_DOUBLE: name = "double"; break;
    case FL_TYPE_DECIMAL:
        return snprintf(buf, cap, "decimal(%d,%d)", t.precision, t.scale);
    case FL_TYPE_DATE: name = "date"; break;
    case FL_TYPE_TIME: name = "time"; break;
    case FL_TYPE_TIMESTAMP: name = "timestamp"; break;
    case FL_TYPE_TIMESTAMPTZ: name = "timestamp with time zone"; break;
    case FL_TYPE_TIMESTAMP_NS: name = "timestamp(9)"; break;
    case FL_TYPE_TIMESTAMPTZ_NS: name = "timestamp(9) with time zone"; break;
    case FL_TYPE_STRING: name = "varchar"; break;
    case FL_TYPE_BINARY: name = "varbinary"; break;
    case FL_TYPE_FIXED:
        return snprintf(buf, cap, "fixed(%d)", (int)t.fixed_len);
    case FL_TYPE_UUID: name = "uuid"; break;
    case FL_TYPE_STRUCT: name = "row"; break;
    case FL_TYPE_LIST: name = "array"; break;
    case FL_TYPE_MAP: name = "map"; break;
    case FL_TYPE_NULL: name = "unknown"; break;
    default: name = "invalid"; break;
    }
    return snprintf(buf, cap, "%s", name);
}

/* ---------------------------------------------------------------- coercion */

int fn_int_digits(uint8_t id)
{
    switch (id) {
    case FL_TYPE_INT8: case FL_TYPE_UINT8: return 3;
    case FL_TYPE_INT16: case FL_TYPE_UINT16: return 5;
    case FL_TYPE_INT32: case FL_TYPE_UINT32: return 10;
    case FL_TYPE_INT64: return 19;
    case FL_TYPE_UINT64: return 20;
    default: return 0;
    }
}

fl_type fn_int_as_decimal(uint8_t id) { return fl_type_decimal(fn_int_digits(id), 0); }

/* Width rank of a signed integer (1..4) or of an unsigned one's value range. */
static int int_rank(uint8_t id)
{
    switch (id) {
    case FL_TYPE_INT8: return 1;
    case FL_TYPE_INT16: return 2;
    case FL_TYPE_INT32: return 3;
    case FL_TYPE_INT64: return 4;
    case FL_TYPE_UINT8: return 1;
    case FL_TYPE_UINT16: return 2;
    case FL_TYPE_UINT32: return 3;
    case FL_TYPE_UINT64: return 4;
    default: return 0;
    }
}

static bool int_widens(uint8_t from, uint8_t to)
{
    if (fn_is_signed_int(from))
        return fn_is_signed_int(to) && int_rank(to) > int_rank(from);
    /* unsigned: to a wider unsigned, or to a signed type with more bits */
    if (fn_is_unsigned_int(to)) return int_rank(to) > int_rank(from);
    return fn_is_signed_int(to) && int_rank(to) > int_rank(from);
}

static int time_rank(uint8_t id)
{
    switch (id) {
    case FL_TYPE_DATE: return 1;
    case FL_TYPE_TIMESTAMP: return 2;
    case FL_TYPE_TIMESTAMP_NS: return 3;
    case FL_TYPE_TIMESTAMPTZ: return 4;
    case FL_TYPE_TIMESTAMPTZ_NS: return 5;
    default: return 0;
    }
}

static bool time_widens(uint8_t from, uint8_t to)
{
    int rf = time_rank(from), rt = time_rank(to);
    if (!rf || !rt || rt <= rf) return false;
    /* timestamptz does not go back to nanoseconds-without-zone and the
     * nanosecond types do not lose precision */
    if (from == FL_TYPE_TIMESTAMP_NS && to == FL_TYPE_TIMESTAMPTZ) return false;
    return true;
}

bool fn_can_coerce(fl_type from, fl_type to)
{
    if (fl_type_eq(from, to)) return true;
    if (from.id == FL_TYPE_NULL) return true;
    if (fn_is_int(from.id)) {
        if (fn_is_int(to.id)) return int_widens(from.id, to.id);
        if (to.id == FL_TYPE_FLOAT || to.id == FL_TYPE_DOUBLE) return true;
        if (to.id == FL_TYPE_DECIMAL) return to.precision - to.scale >= fn_int_digits(from.id);
        return false;
    }
    if (from.id == FL_TYPE_DECIMAL) {
        if (to.id == FL_TYPE_DECIMAL)
            return to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale;
        return to.id == FL_TYPE_FLOAT || to.id == FL_TYPE_DOUBLE;
    }
    if (from.id == FL_TYPE_FLOAT) return to.id == FL_TYPE_DOUBLE;
    if (time_rank(from.id)) return time_widens(from.id, to.id);
    return false;
}

static fl_type common_decimal(fl_type a, fl_type b)
{
    int s = a.scale > b.scale ? a.scale : b.scale;
    int ia = a.precision - a.scale, ib = b.precision - b.scale;
    int p = (ia > ib ? ia : ib) + s;
    if (p > 38) p = 38;
    if (p < 1) p = 1;
    return fl_type_decimal(p, s);
}

static bool common_type(fl_type a, fl_type b, fl_type *out)
{
    if (fl_type_eq(a, b)) { *out = a; return true; }
    if (a.id == FL_TYPE_NULL) { *out = b; return true; }
    if (b.id == FL_TYPE_NULL) { *out = a; return true; }
    if (fn_can_coerce(a, b)) { *out = b; return true; }
    if (fn_can_coerce(b, a)) { *out = a; return true; }
    bool na = fn_is_numeric(a.id), nb = fn_is_numeric(b.id);
    if (na && nb) {
        if (a.id == FL_TYPE_DOUBLE || b.id == FL_TYPE_DOUBLE) { *out = fl_type_make(FL_TYPE_DOUBLE); return true; }
        if (a.id == FL_TYPE_FLOAT || b.id == FL_TYPE_FLOAT) { *out = fl_type_make(FL_TYPE_FLOAT); return true; }
        if (fn_is_int(a.id) && fn_is_int(b.id)) {
            /* mixed signedness with no wider type: bigint, or decimal(20,0) for ubigint */
            if (a.id == FL_TYPE_UINT64 || b.id == FL_TYPE_UINT64) { *out = fl_type_decimal(20, 0); return true; }
            *out = fl_type_make(FL_TYPE_INT64);
            return true;
        }
        fl_type da = a.id == FL_TYPE_DECIMAL ? a : fn_int_as_decimal(a.id);
        fl_type db = b.id == FL_TYPE_DECIMAL ? b : fn_int_as_decimal(b.id);
        *out = common_decimal(da, db);
        return true;
    }
    if (time_rank(a.id) && time_rank(b.id)) {
        /* e.g. timestamp_ns and timestamptz: the nanosecond zone type */
        *out = fl_type_make(FL_TYPE_TIMESTAMPTZ_NS);
        return true;
    }
    return false;
}

int fn_common_type(fl_type a, fl_type b, fl_type *out, fl_error *err)
{
    if (common_type(a, b, out)) return 0;
    char an[48], bn[48];
    fn_type_sql_name(a, an, sizeof an);
    fn_type_sql_name(b, bn, sizeof bn);
    return fl_error_set_sqlstate(err, FLOE_ETYPE, "42804",
                                 "types %s and %s cannot be matched", an, bn);
}

/* ---------------------------------------------------------------- errors */

int fn_err_range(fl_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fl_error_setv(err, FLOE_ERANGE, fmt, ap);
    va_end(ap);
    if (err) memcpy(err->sqlstate, "22003", 6);
    return rc;
}

int fn_err_div_zero(fl_error *err)
{
    return fl_error_set_sqlstate(err, FLOE_EINVAL, "22012", "division by zero");
}

int fn_err_arg(fl_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fl_error_setv(err, FLOE_EINVAL, fmt, ap);
    va_end(ap);
    if (err) memcpy(err->sqlstate, "22023", 6);
    return rc;
}

const char *fn_value_text(const fl_value *v, char *buf, size_t cap)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_text_style st = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    if (fl_value_render(&b, v, &st) < 0) {
        fl_buf_dispose(&b);
        snprintf(buf, cap, "?");
        return buf;
    }
    snprintf(buf, cap, "%s", fl_buf_cstr(&b));
    fl_buf_dispose(&b);
    return buf;
}

char *fn_str_alloc(fn_exec_ctx *ctx, size_t len)
{
    return fl_arena_alloc(ctx->out_arena, len ? len : 1);
}

/* ---------------------------------------------------------------- resolution */

typedef struct scalar_table {
    const fn_scalar_def *defs;
    const size_t *count;
} scalar_table;

static const scalar_table scalar_tables[] = {
    {fn_arith_defs, &fn_arith_defs_count},
    {fn_compare_defs, &fn_compare_defs_count},
    {fn_string_defs, &fn_string_defs_count},
    {fn_like_defs, &fn_like_defs_count},
    {fn_regex_defs, &fn_regex_defs_count},
    {fn_date_defs, &fn_date_defs_count},
    {fn_math_defs, &fn_math_defs_count},
    {fn_cond_defs, &fn_cond_defs_count},
};

/* Other spellings of the same function (Trino's and DuckDB's). */
static const struct { const char *alias, *name; } aliases[] = {
    {"mod", "%"}, {"ceiling", "ceil"}, {"pow", "power"}, {"trunc", "truncate"},
    {"instr", "strpos"}, {"char_length", "length"},
    {"character_length", "length"}, {"ucase", "upper"}, {"lcase", "lower"},
    {"dayofmonth", "day"}, {"dayofyear", "day_of_year"}, {"regexp_matches", "regexp_like"},
    {"weekofyear", "week"}, {"datediff", "date_diff"}, {"dateadd", "date_add"},
    {"ifnull", "coalesce"},
};

static const char *canonical(const char *name)
{
    for (size_t i = 0; i < FL_ARRAY_SIZE(aliases); i++)
        if (strcasecmp(aliases[i].alias, name) == 0) return aliases[i].name;
    return name;
}

static int ladder(uint8_t id)
{
    if (fn_is_int(id)) return int_rank(id);
    switch (id) {
    case FL_TYPE_DECIMAL: return 5;
    case FL_TYPE_FLOAT: return 6;
    case FL_TYPE_DOUBLE: return 7;
    default: return time_rank(id) ? 10 + time_rank(id) : 0;
    }
}

static int coerce_cost(fl_type from, fl_type to)
{
    if (fl_type_eq(from, to)) return 0;
    if (from.id == FL_TYPE_NULL) return 1;
    int d = ladder(to.id) - ladder(from.id);
    return 10 + (d > 0 ? d : 0);
}

static uint8_t param_at(const uint8_t *params, uint32_t declared, uint32_t i)
{
    return params[i < declared ? i : declared - 1];
}

/*
 * Whether args reach the parameters; fills targets and the cost. Shared by
 * scalar, aggregate and window resolution.
 */
static bool match_params(const uint8_t *params, uint32_t declared, const fl_type *args,
                         uint32_t n, fl_type *targets, int *cost_out)
{
    /* the type variable T: the common type of its arguments */
    fl_type t = fl_type_make(FL_TYPE_NULL);
    bool has_t = false;
    for (uint32_t i = 0; i < n; i++) {
        if (param_at(params, declared, i) != FN_P_T) continue;
        if (!has_t) { t = args[i]; has_t = true; continue; }
        if (!common_type(t, args[i], &t)) return false;
    }
    int cost = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t p = param_at(params, declared, i);
        fl_type a = args[i], target;
        if (p == FN_P_ANY) {
            target = a;
        } else if (p == FN_P_T) {
            target = t;
        } else if (p == FN_P_DECIMAL) {
            if (a.id == FL_TYPE_DECIMAL) target = a;
            else if (fn_is_int(a.id)) target = fn_int_as_decimal(a.id);
            else if (a.id == FL_TYPE_NULL) target = fl_type_decimal(1, 0);
            else return false;
        } else {
            target = fl_type_make((fl_type_id)p);
            if (!fn_can_coerce(a, target)) return false;
        }
        targets[i] = target;
        cost += coerce_cost(a, target);
    }
    *cost_out = cost;
    return true;
}

static uint32_t declared_params(uint8_t min_args, uint8_t max_args)
{
    uint32_t d = max_args == FN_VARIADIC ? min_args : max_args;
    return d ? d : 1;
}

static int no_function(const char *name, const fl_type *args, uint32_t n, fl_error *err)
{
    char sig[256];
    size_t pos = 0;
    for (uint32_t i = 0; i < n && pos < sizeof sig; i++) {
        char tn[48];
        fn_type_sql_name(args[i], tn, sizeof tn);
        int w = snprintf(sig + pos, sizeof sig - pos, "%s%s", i ? ", " : "", tn);
        if (w < 0) break;
        pos += (size_t)w;
    }
    if (pos >= sizeof sig) pos = sizeof sig - 1;
    sig[pos] = '\0';
    return fl_error_set_sqlstate(err, FLOE_ENOTFOUND, "42883", "function %s(%s) does not exist",
                                 name, sig);
}

#define MAX_CANDIDATES 64

typedef struct candidate {
    const fn_scalar_def *def;
    int cost;
    bool rejected;
} candidate;

static int try_scalar(const fn_scalar_bound **out, const fn_scalar_def *d, const fl_type *args,
                      uint32_t n, fl_arena *arena, fl_error *err)
{
    fl_type *targets = fl_arena_alloc(arena, sizeof(fl_type) * (n ? n : 1));
    fn_scalar_bound *b = fl_arena_calloc(arena, sizeof *b);
    if (!targets || !b) return fl_error_set(err, FLOE_ENOMEM, "out of memory binding %s", d->name);
    int cost;
    if (!match_params(d->params, declared_params(d->min_args, d->max_args), args, n, targets, &cost))
        return FLOE_ENOTFOUND;
    b->name = d->name;
    b->arg_types = targets;
    b->arg_count = n;
    b->exec = d->exec;
    b->init = d->init;
    b->special_nulls = d->special_nulls;
    b->is_volatile = d->is_volatile;
    if (d->ret == FN_R_T) {
        b->ret = n ? targets[0] : fl_type_make(FL_TYPE_NULL);
        for (uint32_t i = 0; i < n; i++) {
            if (param_at(d->params, declared_params(d->min_args, d->max_args), i) == FN_P_T) {
                b->ret = targets[i];
                break;
            }
        }
    } else if (d->ret != FN_R_SPECIAL) {
        b->ret = fl_type_make((fl_type_id)d->ret);
    }
    if (d->specialize) {
        int rc = d->specialize(b, arena, err);
        if (rc < 0) return rc;
    }
    *out = b;
    return 0;
}

int fn_scalar_bind(const fn_scalar_bound **out, const char *name, const fl_type *arg_types,
                   uint32_t arg_count, fl_arena *arena, fl_error *err)
{
    candidate cands[MAX_CANDIDATES];
    size_t nc = 0;
    fl_type targets[64];
    const char *shown = name;
    name = canonical(name);
    if (arg_count > FL_ARRAY_SIZE(targets)) return no_function(shown, arg_types, arg_count, err);
    for (size_t t = 0; t < FL_ARRAY_SIZE(scalar_tables); t++) {
        const fn_scalar_def *defs = scalar_tables[t].defs;
        for (size_t i = 0; i < *scalar_tables[t].count; i++) {
            const fn_scalar_def *d = &defs[i];
            if (strcasecmp(d->name, name) != 0) continue;
            if (arg_count < d->min_args) continue;
            if (d->max_args != FN_VARIADIC && arg_count > d->max_args) continue;
            int cost;
            if (!match_params(d->params, declared_params(d->min_args, d->max_args), arg_types,
                              arg_count, targets, &cost))
                continue;
            if (nc < MAX_CANDIDATES) cands[nc++] = (candidate){d, cost, false};
        }
    }
    for (;;) {
        candidate *best = NULL;
        for (size_t i = 0; i < nc; i++)
            if (!cands[i].rejected && (!best || cands[i].cost < best->cost)) best = &cands[i];
        if (!best) return no_function(shown, arg_types, arg_count, err);
        int rc = try_scalar(out, best->def, arg_types, arg_count, arena, err);
        if (rc != FLOE_ENOTFOUND) return rc;
        best->rejected = true;
    }
}

static bool name_in_scalar_tables(const char *name)
{
    name = canonical(name);
    for (size_t t = 0; t < FL_ARRAY_SIZE(scalar_tables); t++)
        for (size_t i = 0; i < *scalar_tables[t].count; i++)
            if (strcasecmp(scalar_tables[t].defs[i].name, name) == 0) return true;
    return false;
}

bool fn_scalar_exists(const char *name) { return name_in_scalar_tables(name); }

/* ---------------------------------------------------------------- aggregates */

typedef struct agg_table {
    const fn_agg_entry *entries;
    const size_t *count;
} agg_table;

static const agg_table agg_tables[] = {
    {fn_agg_entries, &fn_agg_entries_count},
    {fn_agg_stat_entries, &fn_agg_stat_entries_count},
    {fn_agg_hll_entries, &fn_agg_hll_entries_count},
    {fn_agg_by_entries, &fn_agg_by_entries_count},
};

int fn_agg_bind(const fn_agg_def **out, const char *name, const fl_type *arg_types,
                uint32_t arg_count, fl_arena *arena, fl_error *err)
{
    const fn_agg_entry *cands[MAX_CANDIDATES];
    int costs[MAX_CANDIDATES];
    size_t nc = 0;
    fl_type targets[8];
    if (arg_count > FL_ARRAY_SIZE(targets)) return no_function(name, arg_types, arg_count, err);
    for (size_t t = 0; t < FL_ARRAY_SIZE(agg_tables); t++) {
        for (size_t i = 0; i < *agg_tables[t].count; i++) {
            const fn_agg_entry *e = &agg_tables[t].entries[i];
            if (strcasecmp(e->name, name) != 0 || e->arg_count != arg_count) continue;
            int cost = 0;
            if (arg_count && !match_params(e->params, arg_count, arg_types, arg_count, targets, &cost))
                continue;
            if (nc < MAX_CANDIDATES) { cands[nc] = e; costs[nc++] = cost; }
        }
    }
    bool rejected[MAX_CANDIDATES] = {false};
    for (;;) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < nc; i++)
            if (!rejected[i] && (best == SIZE_MAX || costs[i] < costs[best])) best = i;
        if (best == SIZE_MAX) return no_function(name, arg_types, arg_count, err);
        const fn_agg_entry *e = cands[best];
        fn_agg_def *d = fl_arena_calloc(arena, sizeof *d);
        fl_type *tt = fl_arena_alloc(arena, sizeof(fl_type) * (arg_count ? arg_count : 1));
        if (!d || !tt) return fl_error_set(err, FLOE_ENOMEM, "out of memory binding %s", name);
        int cost;
        if (arg_count) match_params(e->params, arg_count, arg_types, arg_count, tt, &cost);
        d->name = e->name;
        d->arg_types = tt;
        d->arg_count = arg_count;
        int rc = e->specialize(d, arena, err);
        if (rc == 0) { *out = d; return 0; }
        if (rc != FLOE_ENOTFOUND) return rc;
        rejected[best] = true;
    }
}

bool fn_agg_exists(const char *name)
{
    for (size_t t = 0; t < FL_ARRAY_SIZE(agg_tables); t++)
        for (size_t i = 0; i < *agg_tables[t].count; i++)
            if (strcasecmp(agg_tables[t].entries[i].name, name) == 0) return true;
    return false;
}

/* ---------------------------------------------------------------- window */

int fn_window_bind(const fn_window_def **out, const char *name, const fl_type *arg_types,
                   uint32_t arg_count, fl_arena *arena, fl_error *err)
{
    const fn_window_entry *best = NULL;
    int best_cost = 0;
    fl_type targets[3];
    for (size_t i = 0; i < fn_window_entries_count; i++) {
        const fn_window_entry *e = &fn_window_entries[i];
        if (strcasecmp(e->name, name) != 0) continue;
        if (arg_count < e->min_args || arg_count > e->max_args) continue;
        int cost = 0;
        if (arg_count && !match_params(e->params, e->max_args, arg_types, arg_count, targets, &cost))
            continue;
        if (!best || cost < best_cost) { best = e; best_cost = cost; }
    }
    if (!best) return no_function(name, arg_types, arg_count, err);
    fn_window_def *d = fl_arena_calloc(arena, sizeof *d);
    fl_type *tt = fl_arena_alloc(arena, sizeof(fl_type) * (arg_count ? arg_count : 1));
    if (!d || !tt) return fl_error_set(err, FLOE_ENOMEM, "out of memory binding %s", name);
    int cost;
    if (arg_count) match_params(best->params, best->max_args, arg_types, arg_count, tt, &cost);
    d->name = best->name;
    d->kind = best->kind;
    d->arg_types = tt;
    d->arg_count = arg_count;
    d->ret = best->ret == FN_R_T ? tt[0] : fl_type_make((fl_type_id)best->ret);
    *out = d;
    return 0;
}

bool fn_window_exists(const char *name)
{
    for (size_t i = 0; i < fn_window_entries_count; i++)
        if (strcasecmp(fn_window_entries[i].name, name) == 0) return true;
    return false;
}
