/*
 * func_regex.c: regular expressions with PCRE2 (Perl syntax, UTF-8):
 * regexp_like(s, pattern), regexp_extract(s, pattern[, group]),
 * regexp_replace(s, pattern[, replacement]).
 *
 * Trino's semantics: regexp_like searches (it is not anchored);
 * regexp_extract returns the first match (or its capturing group), NULL
 * when nothing matches; regexp_replace replaces every match, and the
 * replacement refers to groups as $1 or ${name}. A constant pattern is
 * compiled (and JIT-compiled) once per call site in init; a per-row
 * pattern is recompiled only when it differs from the previous row's.
 * PCRE2 allocates with malloc: the compiled code and match data are freed
 * by a reset callback on the query arena. Invalid UTF-8 in a subject never
 * matches across the bad bytes (PCRE2_MATCH_INVALID_UTF) instead of failing.
 * Errors: a bad pattern is 2201B naming the pattern and PCRE2's reason.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err

typedef struct regex_state {
    pcre2_code *code;
    pcre2_match_data *md;
    bool constant;
    char *last;          /* the pattern `code` was compiled from (per-row patterns) */
    uint32_t last_len, last_cap;
    bool has_last;
    uint32_t capture_count;
} regex_state;

static void regex_free(void *arg)
{
    regex_state *st = arg;
    pcre2_match_data_free(st->md);
    pcre2_code_free(st->code);
    st->md = NULL;
    st->code = NULL;
}

static int regex_oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory in regular expression"); }

static int compile(regex_state *st, fl_strv pat, bool jit, fl_error *err)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)(pat.ptr ? pat.ptr : ""), pat.len,
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "2201B",
                                     "invalid regular expression '%.*s': %s at offset %zu",
                                     (int)(pat.len > 100 ? 100 : pat.len), pat.ptr, (const char *)msg,
                                     (size_t)off);
    }
    if (jit) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);   /* falls back to the interpreter */
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) {
        pcre2_code_free(re);
        return regex_oom(err);
    }
    pcre2_match_data_free(st->md);
    pcre2_code_free(st->code);
    st->code = re;
    st->md = md;
    uint32_t cc = 0;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &cc);
    st->capture_count = cc;
    return 0;
}

static int regex_init(fn_exec_ctx *ctx, const ex_vector *c, uint32_t argc, fl_error *err)
{
    (void)argc;
    regex_state *st = fl_arena_calloc(ctx->arena, sizeof *st);
    if (!st) return regex_oom(err);
    if (fl_arena_on_reset(ctx->arena, regex_free, st) < 0) return regex_oom(err);
    ctx->state = st;
    if (c && c[1].col && c[1].kind == EX_VECTOR_CONST && fl_column_is_valid(c[1].col, 0)) {
        FL_TRY(compile(st, ((const fl_strv *)c[1].col->data)[0], true, err));
        st->constant = true;
    }
    return 0;
}

/* Makes st's code match row i's pattern. */
static int row_pattern(fn_exec_ctx *ctx, regex_state *st, const ex_vector *pv, size_t i, fl_error *err)
{
    if (st->constant) return 0;
    fl_strv p = ((const fl_strv *)pv->col->data)[i * fn_stride(pv)];
    if (st->has_last && st->last_len == p.len && (p.len == 0 || memcmp(st->last, p.ptr, p.len) == 0))
        return 0;
    FL_TRY(compile(st, p, false, err));
    if (p.len > st->last_cap) {
        st->last = fl_arena_alloc(ctx->arena, p.len);
        if (!st->last) return regex_oom(err);
        st->last_cap = p.len;
    }
    if (p.len) memcpy(st->last, p.ptr, p.len);
    st->last_len = p.len;
    st->has_last = true;
    return 0;
}

static int get_state(fn_exec_ctx *ctx, regex_state **out, fl_error *err)
{
    if (!ctx->state) FL_TRY(regex_init(ctx, NULL, 0, err));
    *out = ctx->state;
    return 0;
}

static int match_error(int rc, fl_error *err)
{
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(rc, msg, sizeof msg);
    return fl_error_set_sqlstate(err, FLOE_EINVAL, "2201B", "regular expression match failed: %s",
                                 (const char *)msg);
}

static int regexp_like_fn(FN_EXEC_ARGS)
{
    (void)arg_count;
    regex_state *st;
    FL_TRY(get_state(ctx, &st, err));
    const fl_strv *s = args[0].col->data;
    size_t ss = fn_stride(&args[0]);
    uint8_t *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        FL_TRY(row_pattern(ctx, st, &args[1], i, err));
        fl_strv v = s[i * ss];
        int rc = pcre2_match(st->code, (PCRE2_SPTR)(v.ptr ? v.ptr : ""), v.len, 0, 0, st->md, NULL);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) return match_error(rc, err);
        r[i] = rc >= 0;
    }
    return 0;
}

static int regexp_extract_fn(FN_EXEC_ARGS)
{
    regex_state *st;
    FL_TRY(get_state(ctx, &st, err));
    const fl_strv *s = args[0].col->data;
    size_t ss = fn_stride(&args[0]);
    const int64_t *gv = arg_count > 2 ? args[2].col->data : NULL;
    size_t gs = arg_count > 2 ? fn_stride(&args[2]) : 0;
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        FL_TRY(row_pattern(ctx, st, &args[1], i, err));
        int64_t group = gv ? gv[i * gs] : 0;
        if (group < 0 || (uint64_t)group > st->capture_count)
            return fn_err_arg(err, "regexp_extract: pattern has %u groups, cannot access group %lld",
                              st->capture_count, (long long)group);
        fl_strv v = s[i * ss];
        int rc = pcre2_match(st->code, (PCRE2_SPTR)(v.ptr ? v.ptr : ""), v.len, 0, 0, st->md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH) { FL_TRY(fl_column_set_null(out, i)); continue; }
        if (rc < 0) return match_error(rc, err);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(st->md);
        PCRE2_SIZE b = ov[2 * group], e = ov[2 * group + 1];
        if (b == PCRE2_UNSET || (int64_t)group >= rc) { FL_TRY(fl_column_set_null(out, i)); continue; }
        r[i] = fl_strv_make(v.ptr + b, e - b);
    }
    return 0;
}

static int regexp_replace_fn(FN_EXEC_ARGS)
{
    regex_state *st;
    FL_TRY(get_state(ctx, &st, err));
    const fl_strv *s = args[0].col->data;
    size_t ss = fn_stride(&args[0]);
    const fl_strv *rv = arg_count > 2 ? args[2].col->data : NULL;
    size_t rs = arg_count > 2 ? fn_stride(&args[2]) : 0;
    fl_strv *r = out->data;
    for (size_t i = 0; i < n; i++) {
        r[i] = fl_strv_make("", 0);
        if (!FN_VALID(out, i)) continue;
        FL_TRY(row_pattern(ctx, st, &args[1], i, err));
        fl_strv v = s[i * ss], rep = rv ? rv[i * rs] : fl_strv_make("", 0);
        PCRE2_SIZE cap = (PCRE2_SIZE)v.len * 2 + 64;
        for (int attempt = 0; attempt < 2; attempt++) {
            PCRE2_UCHAR *buf = (PCRE2_UCHAR *)fn_str_alloc(ctx, cap);
            if (!buf) return regex_oom(err);
            PCRE2_SIZE len = cap;
            int rc = pcre2_substitute(st->code, (PCRE2_SPTR)(v.ptr ? v.ptr : ""), v.len, 0,
                                      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                      st->md, NULL, (PCRE2_SPTR)(rep.ptr ? rep.ptr : ""), rep.len,
                                      buf, &len);
            if (rc == PCRE2_ERROR_NOMEMORY && attempt == 0) { cap = len + 1; continue; }
            if (rc < 0) {
                PCRE2_UCHAR msg[160];
                pcre2_get_error_message(rc, msg, sizeof msg);
                return fl_error_set_sqlstate(err, FLOE_EINVAL, "2201B",
                                             "regexp_replace: invalid replacement '%.*s': %s",
                                             (int)(rep.len > 100 ? 100 : rep.len), rep.ptr,
                                             (const char *)msg);
            }
            r[i] = fl_strv_make((const char *)buf, len);
            break;
        }
    }
    return 0;
}

#define V FL_TYPE_STRING
const fn_scalar_def fn_regex_defs[] = {
    {"regexp_like", 2, 2, {V, V}, FL_TYPE_BOOL, regexp_like_fn, NULL, regex_init, false, false},
    {"regexp_extract", 2, 3, {V, V, FL_TYPE_INT64}, V, regexp_extract_fn, NULL, regex_init, false, false},
    {"regexp_replace", 2, 3, {V, V, V}, V, regexp_replace_fn, NULL, regex_init, false, false},
};
const size_t fn_regex_defs_count = FL_ARRAY_SIZE(fn_regex_defs);
