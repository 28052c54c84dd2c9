/*
 * func_string.c: string functions on varchar (UTF-8): substr/substring,
 * concat, concat_ws and ||, length, upper, lower, trim/ltrim/rtrim, replace,
 * strpos/position, split_part, lpad/rpad, starts_with, contains, reverse,
 * left, right.
 *
 * Positions and lengths count code points, as Trino does; substr is 1-based
 * and a negative start counts from the end. Results that are pieces of an
 * argument (substr, trim, split_part, left, right) borrow the argument's
 * bytes; new strings are written into the output chunk's arena, sized
 * before writing. upper/lower map every letter code point by code point as
 * Trino does (func_case.c).
 * Each function is one loop over the rows with per-argument strides
 * (0 for a constant argument); NULL rows are skipped.
 */
#include <string.h>

#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err
#define FN_UNUSED (void)ctx; (void)arg_count; (void)err

typedef struct str_arg {
    const fl_strv *s;
    size_t stride;
} str_arg;
typedef struct int_arg {
    const int64_t *v;
    size_t stride;
} int_arg;

static inline str_arg sarg(const ex_vector *v) { return (str_arg){v->col->data, fn_stride(v)}; }
static inline int_arg iarg(const ex_vector *v) { return (int_arg){v->col->data, fn_stride(v)}; }
static inline fl_strv sget(str_arg a, size_t i) { return a.s[i * a.stride]; }
static inline int64_t iget(int_arg a, size_t i) { return a.v[i * a.stride]; }

static int oom(fl_error *err, const char *fn)
{
    return fl_error_set(err, FLOE_ENOMEM, "out of memory in %s", fn);
}

/* ---------------------------------------------------------------- UTF-8 */

static inline bool is_cont(uint8_t b) { return (b & 0xC0) == 0x80; }

static size_t utf8_count(fl_strv s)
{
    size_t n = 0;
    for (uint32_t i = 0; i < s.len; i++) n += !is_cont((uint8_t)s.ptr[i]);
    return n;
}

/* Byte offset of code point k (k may be the count: returns len). */
static uint32_t utf8_offset(fl_strv s, size_t k)
{
    uint32_t i = 0;
    while (i < s.len && k > 0) {
        i++;
        while (i < s.len && is_cont((uint8_t)s.ptr[i])) i++;
        k--;
    }
    return i;
}

/* ---------------------------------------------------------------- length, substr */

static int str_length(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]);
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = FN_VALID(out, i) ? (int64_t)utf8_count(sget(s, i)) : 0;
    return 0;
}

/* Trino's substr: start 1-based, negative from the end, 0 -> empty. */
static fl_strv substr_cp(fl_strv s, int64_t start, int64_t len, bool has_len)
{
    fl_strv empty = {s.ptr, 0};
    if (start == 0 || (has_len && len <= 0)) return empty;
    size_t count = utf8_count(s);
    int64_t from;
    if (start > 0) {
        if ((uint64_t)start > count) return empty;
        from = start - 1;
    } else {
        if ((uint64_t)-start > count) return empty;
        from = (int64_t)count + start;
    }
    int64_t to = has_len && len < (int64_t)count - from ? from + len : (int64_t)count;
    uint32_t b0 = utf8_offset(s, (size_t)from);
    fl_strv rest = {s.ptr + b0, s.len - b0};
    uint32_t b1 = utf8_offset(rest, (size_t)(to - from));
    return fl_strv_make(rest.ptr, b1);
}

static int str_substr(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]);
    int_arg st = iarg(&args[1]);
    int_arg ln = arg_count > 2 ? iarg(&args[2]) : (int_arg){NULL, 0};
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        r[i] = substr_cp(sget(s, i), iget(st, i), ln.v ? iget(ln, i) : 0, ln.v != NULL);
    }
    return 0;
}

static int str_left(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]);
    int_arg k = iarg(&args[1]);
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i);
        int64_t len = iget(k, i);
        if (len < 0) {
            /* left(s, -k): all but the last k characters (DuckDB) */
            int64_t c = (int64_t)utf8_count(v) + len;
            len = c > 0 ? c : 0;
        }
        r[i] = fl_strv_make(v.ptr, utf8_offset(v, (size_t)len));
    }
    return 0;
}

static int str_right(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]);
    int_arg k = iarg(&args[1]);
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i);
        int64_t count = (int64_t)utf8_count(v), len = iget(k, i);
        int64_t skip = len >= 0 ? (len >= count ? 0 : count - len) : (-len > count ? count : -len);
        uint32_t off = utf8_offset(v, (size_t)skip);
        r[i] = fl_strv_make(v.ptr + off, v.len - off);
    }
    return 0;
}

/* ---------------------------------------------------------------- concat */

static int str_concat(FN_EXEC_ARGS)
{
    FN_UNUSED;
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        size_t total = 0;
        for (uint32_t k = 0; k < arg_count; k++) total += sget(sarg(&args[k]), i).len;
        if (total > UINT32_MAX) return fn_err_arg(err, "concat: result of %zu bytes is too long", total);
        char *p = fn_str_alloc(ctx, total);
        if (!p) return oom(err, "concat");
        size_t pos = 0;
        for (uint32_t k = 0; k < arg_count; k++) {
            fl_strv v = sget(sarg(&args[k]), i);
            if (v.len) memcpy(p + pos, v.ptr, v.len);
            pos += v.len;
        }
        r[i] = fl_strv_make(p, total);
    }
    return 0;
}

/* concat_ws(sep, s...): joins the non-NULL strings with sep; NULL only when
 * sep is (special_nulls: this function sets the validity itself). */
static int str_concat_ws(FN_EXEC_ARGS)
{
    FN_UNUSED;
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!ex_vector_is_valid(&args[0], i)) { FL_TRY(fl_column_set_null(out, i)); continue; }
        fl_strv sep = sget(sarg(&args[0]), i);
        size_t total = 0, parts = 0;
        for (uint32_t k = 1; k < arg_count; k++) {
            if (!ex_vector_is_valid(&args[k], i)) continue;
            total += sget(sarg(&args[k]), i).len + (parts++ ? sep.len : 0);
        }
        if (total > UINT32_MAX) return fn_err_arg(err, "concat_ws: result of %zu bytes is too long", total);
        char *p = fn_str_alloc(ctx, total);
        if (!p) return oom(err, "concat_ws");
        size_t pos = 0;
        parts = 0;
        for (uint32_t k = 1; k < arg_count; k++) {
            if (!ex_vector_is_valid(&args[k], i)) continue;
            fl_strv v = sget(sarg(&args[k]), i);
            if (parts++ && sep.len) { memcpy(p + pos, sep.ptr, sep.len); pos += sep.len; }
            if (v.len) memcpy(p + pos, v.ptr, v.len);
            pos += v.len;
        }
        r[i] = fl_strv_make(p, total);
    }
    return 0;
}

/* ---------------------------------------------------------------- case mapping */

static int str_case(fn_exec_ctx *ctx, const ex_vector *args, size_t n, fl_column *out,
                    fl_error *err, bool upper)
{
    str_arg s = sarg(&args[0]);
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i);
        char *p = fn_str_alloc(ctx, (size_t)v.len * FN_CASE_MAX_GROWTH);
        if (!p) return oom(err, upper ? "upper" : "lower");
        r[i] = fl_strv_make(p, (uint32_t)fn_utf8_case(v.ptr, v.len, p, upper));
    }
    return 0;
}

static int str_upper(FN_EXEC_ARGS) { (void)arg_count; return str_case(ctx, args, n, out, err, true); }
static int str_lower(FN_EXEC_ARGS) { (void)arg_count; return str_case(ctx, args, n, out, err, false); }

/* ---------------------------------------------------------------- trim */

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether the code point at s[i..] (of byte length cl) is one of `chars`. */
static bool in_set(const char *p, uint32_t cl, fl_strv chars)
{
    for (uint32_t j = 0; j + cl <= chars.len;) {
        uint32_t l = 1;
        while (j + l < chars.len && is_cont((uint8_t)chars.ptr[j + l])) l++;
        if (l == cl && memcmp(chars.ptr + j, p, cl) == 0) return true;
        j += l;
    }
    return false;
}

static fl_strv trim_one(fl_strv v, bool left, bool right, const fl_strv *chars)
{
    uint32_t b = 0, e = v.len;
    if (left) {
        while (b < e) {
            uint32_t l = 1;
            while (b + l < e && is_cont((uint8_t)v.ptr[b + l])) l++;
            if (chars ? !in_set(v.ptr + b, l, *chars) : !(l == 1 && is_space(v.ptr[b]))) break;
            b += l;
        }
    }
    if (right) {
        while (e > b) {
            uint32_t s = e - 1;
            while (s > b && is_cont((uint8_t)v.ptr[s])) s--;
            if (chars ? !in_set(v.ptr + s, e - s, *chars) : !(e - s == 1 && is_space(v.ptr[s]))) break;
            e = s;
        }
    }
    return fl_strv_make(v.ptr + b, e - b);
}

static int str_trim_generic(const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out,
                            bool left, bool right)
{
    str_arg s = sarg(&args[0]);
    str_arg c = arg_count > 1 ? sarg(&args[1]) : (str_arg){NULL, 0};
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv chars;
        if (c.s) chars = sget(c, i);
        r[i] = trim_one(sget(s, i), left, right, c.s ? &chars : NULL);
    }
    return 0;
}

static int str_trim(FN_EXEC_ARGS) { FN_UNUSED; return str_trim_generic(args, arg_count, n, out, true, true); }
static int str_ltrim(FN_EXEC_ARGS) { FN_UNUSED; return str_trim_generic(args, arg_count, n, out, true, false); }
static int str_rtrim(FN_EXEC_ARGS) { FN_UNUSED; return str_trim_generic(args, arg_count, n, out, false, true); }

/* ---------------------------------------------------------------- search */

static const char *find(fl_strv hay, uint32_t from, fl_strv needle)
{
    if (needle.len == 0) return hay.ptr + from;
    if (from > hay.len || hay.len - from < needle.len) return NULL;
    return memmem(hay.ptr + from, hay.len - from, needle.ptr, needle.len);
}

static int str_replace(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]), f = sarg(&args[1]);
    str_arg t = arg_count > 2 ? sarg(&args[2]) : (str_arg){NULL, 0};
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i), from = sget(f, i), to = t.s ? sget(t, i) : fl_strv_make("", 0);
        if (from.len == 0) {
            /* Trino: the replacement goes before every character and at the end */
            size_t cps = utf8_count(v), total = v.len + (cps + 1) * to.len;
            char *p = fn_str_alloc(ctx, total);
            if (!p) return oom(err, "replace");
            size_t pos = 0;
            for (uint32_t b = 0; b <= v.len;) {
                if (to.len) memcpy(p + pos, to.ptr, to.len);
                pos += to.len;
                if (b == v.len) break;
                uint32_t l = 1;
                while (b + l < v.len && is_cont((uint8_t)v.ptr[b + l])) l++;
                memcpy(p + pos, v.ptr + b, l);
                pos += l;
                b += l;
            }
            r[i] = fl_strv_make(p, total);
            continue;
        }
        size_t hits = 0;
        for (const char *q = find(v, 0, from); q; q = find(v, (uint32_t)(q - v.ptr) + from.len, from))
            hits++;
        if (hits == 0) { r[i] = v; continue; }
        size_t total = v.len + hits * to.len - hits * from.len;
        char *p = fn_str_alloc(ctx, total);
        if (!p) return oom(err, "replace");
        size_t pos = 0;
        uint32_t b = 0;
        for (const char *q = find(v, 0, from); q; q = find(v, b, from)) {
            uint32_t at = (uint32_t)(q - v.ptr);
            memcpy(p + pos, v.ptr + b, at - b);
            pos += at - b;
            if (to.len) memcpy(p + pos, to.ptr, to.len);
            pos += to.len;
            b = at + from.len;
        }
        memcpy(p + pos, v.ptr + b, v.len - b);
        r[i] = fl_strv_make(p, total);
    }
    return 0;
}

/* strpos(s, sub): 1-based code point position of the first match, 0 if none. */
static int64_t strpos1(fl_strv v, fl_strv sub)
{
    const char *q = find(v, 0, sub);
    if (!q) return 0;
    return (int64_t)utf8_count(fl_strv_make(v.ptr, (size_t)(q - v.ptr))) + 1;
}

static int str_strpos(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]), sub = sarg(&args[1]);
    int64_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = FN_VALID(out, i) ? strpos1(sget(s, i), sget(sub, i)) : 0;
    return 0;
}

/* position(sub, s): SQL's POSITION(sub IN s) */
static int str_position(FN_EXEC_ARGS)
{
    ex_vector swapped[2] = {args[1], args[0]};
    return str_strpos(ctx, swapped, arg_count, n, out, err);
}

static int str_starts_with(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]), p = sarg(&args[1]);
    uint8_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i), pre = sget(p, i);
        r[i] = v.len >= pre.len && (pre.len == 0 || memcmp(v.ptr, pre.ptr, pre.len) == 0);
    }
    return 0;
}

static int str_contains(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]), p = sarg(&args[1]);
    uint8_t *r = out->data;
    for (size_t i = 0; i < n; i++) r[i] = FN_VALID(out, i) && find(sget(s, i), 0, sget(p, i)) != NULL;
    return 0;
}

static int str_split_part(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]), d = sarg(&args[1]);
    int_arg k = iarg(&args[2]);
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i), delim = sget(d, i);
        int64_t idx = iget(k, i);
        if (idx <= 0) return fn_err_arg(err, "split_part: index %lld must be greater than zero", (long long)idx);
        if (delim.len == 0) {
            /* Trino: an empty delimiter splits nothing: part 1 is the string */
            if (idx == 1) r[i] = v;
            else FL_TRY(fl_column_set_null(out, i));
            continue;
        }
        uint32_t b = 0;
        int64_t part = 1;
        const char *q = find(v, 0, delim);
        while (part < idx && q) {
            b = (uint32_t)(q - v.ptr) + delim.len;
            q = find(v, b, delim);
            part++;
        }
        if (part < idx) { FL_TRY(fl_column_set_null(out, i)); continue; }
        uint32_t e = q ? (uint32_t)(q - v.ptr) : v.len;
        r[i] = fl_strv_make(v.ptr + b, e - b);
    }
    return 0;
}

/* ---------------------------------------------------------------- pad, reverse */

static int str_pad(fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n,
                   fl_column *out, fl_error *err, bool left)
{
    str_arg s = sarg(&args[0]);
    int_arg sz = iarg(&args[1]);
    str_arg p = arg_count > 2 ? sarg(&args[2]) : (str_arg){NULL, 0};
    fl_strv *r = out->data;
    const char *fname = left ? "lpad" : "rpad";
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i), pad = p.s ? sget(p, i) : fl_strv_make(" ", 1);
        int64_t size = iget(sz, i);
        if (size < 0 || size > INT32_MAX)
            return fn_err_arg(err, "%s: target length %lld is out of range", fname, (long long)size);
        size_t count = utf8_count(v);
        if ((size_t)size <= count) {
            r[i] = fl_strv_make(v.ptr, utf8_offset(v, (size_t)size));
            continue;
        }
        if (pad.len == 0) return fn_err_arg(err, "%s: padding string must not be empty", fname);
        size_t need = (size_t)size - count, pad_cps = utf8_count(pad);
        size_t full = need / pad_cps, rest = need % pad_cps;
        uint32_t rest_bytes = utf8_offset(pad, rest);
        size_t total = v.len + full * pad.len + rest_bytes;
        if (total > FN_MAX_STRING_BYTES)   /* PostgreSQL's limit: a 2-billion-character pad is no value */
            return fl_error_set(err, FLOE_ELIMIT, "%s: requested length too large (%zu bytes, at most %d)", fname,
                                total, FN_MAX_STRING_BYTES);
        char *o = fn_str_alloc(ctx, total);
        if (!o) return oom(err, fname);
        size_t pos = left ? 0 : v.len;
        /* the pad repeats: copy it once, then double the copied region */
        size_t fill = full * pad.len, done = full ? pad.len : 0;
        if (full) memcpy(o + pos, pad.ptr, pad.len);
        while (done < fill) {
            size_t k = done < fill - done ? done : fill - done;
            memcpy(o + pos + done, o + pos, k);
            done += k;
        }
        pos += fill;
        memcpy(o + pos, pad.ptr, rest_bytes);
        memcpy(o + (left ? total - v.len : 0), v.ptr, v.len);
        r[i] = fl_strv_make(o, total);
    }
    return 0;
}

static int str_lpad(FN_EXEC_ARGS) { return str_pad(ctx, args, arg_count, n, out, err, true); }
static int str_rpad(FN_EXEC_ARGS) { return str_pad(ctx, args, arg_count, n, out, err, false); }

static int str_reverse(FN_EXEC_ARGS)
{
    FN_UNUSED;
    str_arg s = sarg(&args[0]);
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        fl_strv v = sget(s, i);
        char *o = fn_str_alloc(ctx, v.len);
        if (!o) return oom(err, "reverse");
        uint32_t b = 0;
        while (b < v.len) {
            uint32_t l = 1;
            while (b + l < v.len && is_cont((uint8_t)v.ptr[b + l])) l++;
            memcpy(o + v.len - b - l, v.ptr + b, l);
            b += l;
        }
        r[i] = fl_strv_make(o, v.len);
    }
    return 0;
}

/* ---------------------------------------------------------------- table */

#define V FL_TYPE_STRING
#define I FL_TYPE_INT64
#define D(name, mn, mx, p0, p1, p2, ret, fn) {name, mn, mx, {p0, p1, p2}, ret, fn, NULL, NULL, false, false}

const fn_scalar_def fn_string_defs[] = {
    D("length", 1, 1, V, 0, 0, I, str_length),
    D("substr", 2, 3, V, I, I, V, str_substr),
    D("substring", 2, 3, V, I, I, V, str_substr),
    D("left", 2, 2, V, I, 0, V, str_left),
    D("right", 2, 2, V, I, 0, V, str_right),
    D("concat", 1, FN_VARIADIC, V, 0, 0, V, str_concat),
    D("||", 2, 2, V, V, 0, V, str_concat),
    {"concat_ws", 2, FN_VARIADIC, {V, V}, V, str_concat_ws, NULL, NULL, true, false},
    D("upper", 1, 1, V, 0, 0, V, str_upper),
    D("lower", 1, 1, V, 0, 0, V, str_lower),
    D("trim", 1, 2, V, V, 0, V, str_trim),
    D("ltrim", 1, 2, V, V, 0, V, str_ltrim),
    D("rtrim", 1, 2, V, V, 0, V, str_rtrim),
    D("replace", 2, 3, V, V, V, V, str_replace),
    D("strpos", 2, 2, V, V, 0, I, str_strpos),
    D("position", 2, 2, V, V, 0, I, str_position),
    D("starts_with", 2, 2, V, V, 0, FL_TYPE_BOOL, str_starts_with),
    D("contains", 2, 2, V, V, 0, FL_TYPE_BOOL, str_contains),
    D("split_part", 3, 3, V, V, I, V, str_split_part),
    D("lpad", 2, 3, V, I, V, V, str_lpad),
    D("rpad", 2, 3, V, I, V, V, str_rpad),
    D("reverse", 1, 1, V, 0, 0, V, str_reverse),
};
const size_t fn_string_defs_count = FL_ARRAY_SIZE(fn_string_defs);
