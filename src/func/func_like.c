/*
 * func_like.c: LIKE and ILIKE (value, pattern[, escape]) on varchar.
 *
 * A pattern compiles to tokens: literal runs, '_' (one code point) and '%'
 * (any run). When the pattern (and escape) are constants, init compiles it
 * once per call site and picks a fast path by shape: exact 'abc', prefix
 * 'abc%', suffix '%abc', infix '%abc%' (memmem), prefix-suffix 'ab%cd' and
 * match-all '%'; anything else runs the general matcher, the classic
 * wildcard algorithm that backtracks only to the last '%' (linear for
 * patterns without '_' after the last '%', never exponential).
 * Non-constant patterns compile per row into the call site's scratch.
 *
 * ILIKE lower-cases both sides as lower() does (every letter, code point by
 * code point: func_case.c), then matches as LIKE. The escape must be
 * one character and may only precede '%', '_' or itself (22025 otherwise,
 * as Trino).
 */
#include <string.h>

#include "func_internal.h"

#define FN_EXEC_ARGS \
    fn_exec_ctx *ctx, const ex_vector *args, uint32_t arg_count, size_t n, fl_column *out, fl_error *err

typedef enum tok_kind { TOK_LIT, TOK_ONE, TOK_ANY } tok_kind;

typedef struct like_tok {
    tok_kind kind;
    uint32_t off;   /* TOK_LIT: bytes in the pattern's literal buffer */
    uint32_t len;
} like_tok;

typedef enum like_shape {
    SHAPE_GENERAL, SHAPE_EXACT, SHAPE_PREFIX, SHAPE_SUFFIX, SHAPE_INFIX, SHAPE_PREFIX_SUFFIX,
    SHAPE_ALL,
} like_shape;

typedef struct like_pat {
    like_tok *toks;
    uint32_t ntoks, cap_toks;
    char *lits;          /* literal bytes, escapes removed (lower-cased for ILIKE) */
    uint32_t lits_cap;
    char *spare;         /* ILIKE: the other literal buffer (folding swaps them) */
    uint32_t spare_cap;
    like_shape shape;
} like_pat;

typedef struct like_state {
    bool compiled;       /* the pattern was constant */
    bool ci;             /* ILIKE */
    like_pat pat;
    char *fold;          /* ILIKE: the value folded to lower case */
    uint32_t fold_cap;
} like_state;

static inline bool is_cont(uint8_t b) { return (b & 0xC0) == 0x80; }

static int like_oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory in like"); }

static int escape_error(fl_error *err, fl_strv pat)
{
    return fl_error_set_sqlstate(err, FLOE_EINVAL, "22025",
                                 "invalid escape sequence in like pattern '%.*s': the escape must "
                                 "be followed by %%, _ or the escape character",
                                 (int)(pat.len > 100 ? 100 : pat.len), pat.ptr);
}

static bool push_tok(like_pat *p, tok_kind kind, uint32_t off, uint32_t len, fl_arena *arena)
{
    if (kind == TOK_LIT && p->ntoks && p->toks[p->ntoks - 1].kind == TOK_LIT) {
        p->toks[p->ntoks - 1].len += len;
        return true;
    }
    if (kind == TOK_ANY && p->ntoks && p->toks[p->ntoks - 1].kind == TOK_ANY) return true;
    if (p->ntoks == p->cap_toks) {
        uint32_t cap = p->cap_toks ? p->cap_toks * 2 : 8;
        like_tok *t = fl_arena_realloc(arena, p->toks, p->cap_toks * sizeof *t, cap * sizeof *t);
        if (!t) return false;
        p->toks = t;
        p->cap_toks = cap;
    }
    p->toks[p->ntoks++] = (like_tok){kind, off, len};
    return true;
}

static like_shape classify(const like_pat *p)
{
    const like_tok *t = p->toks;
    uint32_t n = p->ntoks;
    for (uint32_t i = 0; i < n; i++)
        if (t[i].kind == TOK_ONE) return SHAPE_GENERAL;
    if (n == 0) return SHAPE_EXACT;
    if (n == 1) return t[0].kind == TOK_ANY ? SHAPE_ALL : SHAPE_EXACT;
    if (n == 2) return t[0].kind == TOK_LIT ? SHAPE_PREFIX : SHAPE_SUFFIX;
    if (n == 3 && t[0].kind == TOK_ANY && t[2].kind == TOK_ANY) return SHAPE_INFIX;
    if (n == 3 && t[0].kind == TOK_LIT && t[2].kind == TOK_LIT) return SHAPE_PREFIX_SUFFIX;
    return SHAPE_GENERAL;
}

/* ILIKE: the literal runs lower-cased as the values are (fn_utf8_case,
 * which may change their byte lengths), into a new literal buffer. */
static int fold_literals(like_pat *p, uint32_t nl, fl_arena *arena, fl_error *err)
{
    uint32_t need = nl * FN_CASE_MAX_GROWTH;
    if (!p->spare || need > p->spare_cap) {
        p->spare = fl_arena_alloc(arena, need + 1);
        if (!p->spare) return like_oom(err);
        p->spare_cap = need;
    }
    char *l = p->spare;
    uint32_t at = 0;
    for (uint32_t t = 0; t < p->ntoks; t++) {
        like_tok *k = &p->toks[t];
        if (k->kind != TOK_LIT) continue;
        uint32_t n = (uint32_t)fn_utf8_case(p->lits + k->off, k->len, l + at, false);
        k->off = at;
        k->len = n;
        at += n;
    }
    p->spare = p->lits;   /* the raw literals' buffer, reused next time */
    uint32_t cap = p->lits_cap;
    p->lits = l;
    p->lits_cap = p->spare_cap;
    p->spare_cap = cap;
    return 0;
}

/* Compiles pattern text into p (reusing its buffers). escape: -1 for none. */
static int compile(like_pat *p, fl_strv pat, int escape, bool ci, fl_arena *arena, fl_error *err)
{
    p->ntoks = 0;
    if (pat.len > p->lits_cap) {
        char *l = fl_arena_alloc(arena, pat.len);
        if (!l) return like_oom(err);
        p->lits = l;
        p->lits_cap = pat.len;
    }
    uint32_t nl = 0;
    for (uint32_t i = 0; i < pat.len; i++) {
        char c = pat.ptr[i];
        bool ok = true;
        if (escape >= 0 && (unsigned char)c == (unsigned)escape) {
            if (i + 1 >= pat.len) return escape_error(err, pat);
            char nx = pat.ptr[++i];
            if (nx != '%' && nx != '_' && (unsigned char)nx != (unsigned)escape)
                return escape_error(err, pat);
            p->lits[nl] = nx;
            ok = push_tok(p, TOK_LIT, nl++, 1, arena);
        } else if (c == '%') {
            ok = push_tok(p, TOK_ANY, 0, 0, arena);
        } else if (c == '_') {
            ok = push_tok(p, TOK_ONE, 0, 0, arena);
        } else {
            p->lits[nl] = c;
            ok = push_tok(p, TOK_LIT, nl++, 1, arena);
        }
        if (!ok) return like_oom(err);
    }
    if (ci) FL_TRY(fold_literals(p, nl, arena, err));
    p->shape = classify(p);
    return 0;
}

/* Matches tokens [t, end) exactly at s[pos..]: returns the new position or -1. */
static int64_t match_fixed(const like_pat *p, uint32_t t, uint32_t end, const char *s, uint32_t len,
                           uint32_t pos)
{
    for (; t < end; t++) {
        const like_tok *k = &p->toks[t];
        if (k->kind == TOK_LIT) {
            if (len - pos < k->len || memcmp(s + pos, p->lits + k->off, k->len) != 0) return -1;
            pos += k->len;
        } else {
            if (pos >= len) return -1;
            pos++;
            while (pos < len && is_cont((uint8_t)s[pos])) pos++;
        }
    }
    return pos;
}

/* The general matcher: segments between '%' are matched greedily left to
 * right at the first position they fit; the last segment must end the string. */
static bool match_general(const like_pat *p, const char *s, uint32_t len)
{
    uint32_t t = 0, n = p->ntoks, pos = 0;
    /* leading segment: anchored at 0 */
    uint32_t seg_end = t;
    while (seg_end < n && p->toks[seg_end].kind != TOK_ANY) seg_end++;
    int64_t r = match_fixed(p, t, seg_end, s, len, pos);
    if (r < 0) return false;
    if (seg_end == n) return (uint32_t)r == len;
    pos = (uint32_t)r;
    t = seg_end;
    for (;;) {
        /* t is at a '%' */
        t++;
        seg_end = t;
        while (seg_end < n && p->toks[seg_end].kind != TOK_ANY) seg_end++;
        if (t == seg_end) {
            if (seg_end == n) return true;   /* trailing % */
            continue;
        }
        if (seg_end == n) {
            /* last segment: must end the string; try the rightmost fitting start */
            for (int64_t start = len; start >= (int64_t)pos; start--) {
                if (start < (int64_t)len && is_cont((uint8_t)s[start])) continue;
                int64_t e = match_fixed(p, t, seg_end, s, len, (uint32_t)start);
                if (e == (int64_t)len) return true;
            }
            return false;
        }
        bool found = false;
        for (uint32_t start = pos; start <= len; start++) {
            if (start < len && is_cont((uint8_t)s[start])) continue;
            int64_t e = match_fixed(p, t, seg_end, s, len, start);
            if (e >= 0) { pos = (uint32_t)e; found = true; break; }
        }
        if (!found) return false;
        t = seg_end;
    }
}

/* Substring search for the short needles of LIKE patterns: memchr for the
 * first byte, then a compare (glibc's memmem pays a setup cost per call). */
static inline bool contains(const char *s, uint32_t len, const char *needle, uint32_t nlen)
{
    if (nlen == 0) return true;
    if (nlen > len) return false;
    const char *end = s + len - nlen + 1;
    char first = needle[0];
    for (const char *q = s; q < end;) {
        q = memchr(q, first, (size_t)(end - q));
        if (!q) return false;
        if (memcmp(q + 1, needle + 1, nlen - 1) == 0) return true;
        q++;
    }
    return false;
}

static inline bool match(const like_pat *p, const char *s, uint32_t len)
{
    const like_tok *t = p->toks;
    switch (p->shape) {
    case SHAPE_ALL: return true;
    case SHAPE_EXACT:
        if (p->ntoks == 0) return len == 0;
        return len == t[0].len && memcmp(s, p->lits + t[0].off, len) == 0;
    case SHAPE_PREFIX:
        return len >= t[0].len && memcmp(s, p->lits + t[0].off, t[0].len) == 0;
    case SHAPE_SUFFIX:
        return len >= t[1].len && memcmp(s + len - t[1].len, p->lits + t[1].off, t[1].len) == 0;
    case SHAPE_INFIX:
        return contains(s, len, p->lits + t[1].off, t[1].len);
    case SHAPE_PREFIX_SUFFIX:
        return len >= t[0].len + t[2].len && memcmp(s, p->lits + t[0].off, t[0].len) == 0 &&
               memcmp(s + len - t[2].len, p->lits + t[2].off, t[2].len) == 0;
    case SHAPE_GENERAL:
    default:
        return match_general(p, s, len);
    }
}

static int escape_of(fl_strv e, int *out, fl_error *err)
{
    if (e.len != 1)
        return fl_error_set_sqlstate(err, FLOE_EINVAL, "22019",
                                     "like escape '%.*s' must be a single character",
                                     (int)(e.len > 20 ? 20 : e.len), e.ptr);
    *out = (unsigned char)e.ptr[0];
    return 0;
}

static int like_init_generic(fn_exec_ctx *ctx, const ex_vector *c, uint32_t argc, bool ci,
                             fl_error *err)
{
    like_state *st = fl_arena_calloc(ctx->arena, sizeof *st);
    if (!st) return like_oom(err);
    st->ci = ci;
    ctx->state = st;
    bool pat_const = c[1].col != NULL && c[1].kind == EX_VECTOR_CONST;
    bool esc_const = argc < 3 || (c[2].col != NULL && c[2].kind == EX_VECTOR_CONST);
    if (!pat_const || !esc_const) return 0;
    if (!fl_column_is_valid(c[1].col, 0)) return 0;
    if (argc > 2 && !fl_column_is_valid(c[2].col, 0)) return 0;
    int escape = -1;
    if (argc > 2) FL_TRY(escape_of(((const fl_strv *)c[2].col->data)[0], &escape, err));
    FL_TRY(compile(&st->pat, ((const fl_strv *)c[1].col->data)[0], escape, ci, ctx->arena, err));
    st->compiled = true;
    return 0;
}

static int like_init(fn_exec_ctx *ctx, const ex_vector *c, uint32_t argc, fl_error *err)
{
    return like_init_generic(ctx, c, argc, false, err);
}
static int ilike_init(fn_exec_ctx *ctx, const ex_vector *c, uint32_t argc, fl_error *err)
{
    return like_init_generic(ctx, c, argc, true, err);
}

static int like_exec_generic(FN_EXEC_ARGS, bool ci)
{
    like_state *st = ctx->state;
    if (!st) {
        /* no init call (an evaluator that skips init): compile per row */
        st = fl_arena_calloc(ctx->arena, sizeof *st);
        if (!st) return like_oom(err);
        st->ci = ci;
        ctx->state = st;
    }
    const fl_strv *v = args[0].col->data;
    size_t vs = fn_stride(&args[0]);
    const fl_strv *pv = args[1].col->data;
    size_t ps = fn_stride(&args[1]);
    uint8_t *r = out->data;
    if (st->compiled && !ci && vs == 1 && !out->validity) {
        /* the hot path: constant pattern, flat values: one loop per shape */
        const like_pat *p = &st->pat;
        const like_tok *t = p->toks;
        switch (p->shape) {
        case SHAPE_PREFIX: {
            const char *lit = p->lits + t[0].off;
            uint32_t ll = t[0].len;
            for (size_t i = 0; i < n; i++) r[i] = v[i].len >= ll && memcmp(v[i].ptr, lit, ll) == 0;
            return 0;
        }
        case SHAPE_SUFFIX: {
            const char *lit = p->lits + t[1].off;
            uint32_t ll = t[1].len;
            for (size_t i = 0; i < n; i++)
                r[i] = v[i].len >= ll && memcmp(v[i].ptr + v[i].len - ll, lit, ll) == 0;
            return 0;
        }
        case SHAPE_INFIX: {
            const char *lit = p->lits + t[1].off;
            uint32_t ll = t[1].len;
            for (size_t i = 0; i < n; i++) r[i] = contains(v[i].ptr, v[i].len, lit, ll);
            return 0;
        }
        default:
            for (size_t i = 0; i < n; i++) r[i] = match(p, v[i].ptr, v[i].len);
            return 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        r[i] = 0;
        if (!FN_VALID(out, i)) continue;
        if (!st->compiled) {
            int escape = -1;
            if (arg_count > 2) FL_TRY(escape_of(((const fl_strv *)args[2].col->data)[i * fn_stride(&args[2])], &escape, err));
            FL_TRY(compile(&st->pat, pv[i * ps], escape, ci, ctx->arena, err));
        }
        fl_strv s = v[i * vs];
        if (ci) {
            size_t need = (size_t)s.len * FN_CASE_MAX_GROWTH;
            if (need > st->fold_cap) {
                uint32_t cap = need < 64 ? 64 : (uint32_t)need * 2;
                st->fold = fl_arena_alloc(ctx->arena, cap);
                if (!st->fold) return like_oom(err);
                st->fold_cap = cap;
            }
            s.len = (uint32_t)fn_utf8_case(s.ptr, s.len, st->fold, false);
            s.ptr = st->fold;
        }
        r[i] = match(&st->pat, s.ptr, s.len);
    }
    return 0;
}

static int like_exec(FN_EXEC_ARGS) { return like_exec_generic(ctx, args, arg_count, n, out, err, false); }
static int ilike_exec(FN_EXEC_ARGS) { return like_exec_generic(ctx, args, arg_count, n, out, err, true); }

#define V FL_TYPE_STRING
const fn_scalar_def fn_like_defs[] = {
    {"like", 2, 3, {V, V, V}, FL_TYPE_BOOL, like_exec, NULL, like_init, false, false},
    {"ilike", 2, 3, {V, V, V}, FL_TYPE_BOOL, ilike_exec, NULL, ilike_init, false, false},
};
const size_t fn_like_defs_count = FL_ARRAY_SIZE(fn_like_defs);
