/*
 * ice_expr_parse.c: the filter text parser (grammar in ice_expr.h), a
 * hand-written recursive-descent parser over a small tokenizer:
 *
 *   or_expr   := and_expr ("or" and_expr)*
 *   and_expr  := not_expr ("and" not_expr)*
 *   not_expr  := "not" not_expr | primary
 *   primary   := "(" or_expr ")" | "true" | "false" | column predicate
 *   predicate := cmp literal | ["not"] "between" literal "and" literal
 *              | ["not"] "in" "(" literal ("," literal)* ")"
 *              | "is" ["not"] ("null" | "nan") | ["not"] "starts" "with" literal
 *
 * Errors are FLOE_ESYNTAX (or FLOE_ENOTFOUND / FLOE_EINVAL for columns and
 * literals) and name the 1-based character position.
 */
#include "ice_expr.h"

#include <ctype.h>
#include <string.h>

#include "../base/value_text.h"

typedef enum { T_END, T_IDENT, T_STRING, T_NUMBER, T_PUNCT } tok_kind;

typedef struct tok {
    tok_kind kind;
    const char *p;     /* T_STRING: unescaped text in the arena */
    size_t len;
    size_t pos;        /* offset in the input */
} tok;

typedef struct parser {
    const char *text;
    size_t at;
    tok cur;
    const ice_schema *schema;
    fl_arena *arena;
    fl_error *err;
} parser;

static int syntax(parser *ps, const char *what)
{
    if (ps->cur.kind == T_END)
        return fl_error_set(ps->err, FLOE_ESYNTAX, "syntax error in filter at end of input: expected %s",
                            what);
    return fl_error_set(ps->err, FLOE_ESYNTAX, "syntax error in filter at position %zu near \"%.*s\": expected %s",
                        ps->cur.pos + 1, (int)(ps->cur.len > 32 ? 32 : ps->cur.len),
                        ps->text + ps->cur.pos, what);
}

static int next(parser *ps)
{
    const char *s = ps->text;
    size_t i = ps->at;
    while (s[i] && isspace((unsigned char)s[i])) i++;
    tok *t = &ps->cur;
    t->pos = i;
    t->p = s + i;
    if (!s[i]) {
        t->kind = T_END;
        t->len = 0;
    } else if (s[i] == '\'' || s[i] == '"') {
        char q = s[i];
        fl_buf b;
        fl_buf_init(&b);
        size_t j = i + 1;
        for (;;) {
            if (!s[j]) {
                fl_buf_dispose(&b);
                return fl_error_set(ps->err, FLOE_ESYNTAX,
                                    "syntax error in filter at position %zu: unterminated quoted text",
                                    i + 1);
            }
            if (s[j] == q) {
                if (s[j + 1] == q) { j += 2; fl_buf_append_byte(&b, (uint8_t)q); continue; }
                break;
            }
            if (fl_buf_append_byte(&b, (uint8_t)s[j]) < 0) break;
            j++;
        }
        char *copy = fl_arena_strndup(ps->arena, b.data ? b.data : "", b.len);
        size_t len = b.len;
        fl_buf_dispose(&b);
        if (copy == NULL) return fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
        t->kind = q == '"' ? T_IDENT : T_STRING;
        t->p = copy;
        t->len = len;
        i = j + 1;
    } else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
        size_t j = i;
        while (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '.' || s[j] == '$') j++;
        t->kind = T_IDENT;
        t->len = j - i;
        i = j;
    } else if (isdigit((unsigned char)s[i]) || ((s[i] == '-' || s[i] == '+' || s[i] == '.') &&
                                                (isdigit((unsigned char)s[i + 1]) || s[i + 1] == '.'))) {
        size_t j = i + 1;
        while (isalnum((unsigned char)s[j]) || s[j] == '.' ||
               ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E')))
            j++;
        t->kind = T_NUMBER;
        t->len = j - i;
        i = j;
    } else {
        static const char *const two[] = {"<=", ">=", "<>", "!=", "=="};
        t->kind = T_PUNCT;
        t->len = 1;
        for (size_t k = 0; k < FL_ARRAY_SIZE(two); k++)
            if (s[i] == two[k][0] && s[i + 1] == two[k][1]) t->len = 2;
        if (t->len == 1 && !strchr("()=<>,", s[i]))
            return fl_error_set(ps->err, FLOE_ESYNTAX,
                                "syntax error in filter at position %zu: unexpected character \"%c\"",
                                i + 1, s[i]);
        i += t->len;
    }
    ps->at = i;
    return 0;
}

static bool is_kw(const parser *ps, const char *kw)
{
    size_t n = strlen(kw);
    if (ps->cur.kind != T_IDENT || ps->cur.len != n || ps->text[ps->cur.pos] == '"') return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)ps->cur.p[i]) != kw[i]) return false;
    return true;
}

static bool is_punct(const parser *ps, const char *p)
{
    return ps->cur.kind == T_PUNCT && ps->cur.len == strlen(p) && memcmp(ps->cur.p, p, ps->cur.len) == 0;
}

static int expect_punct(parser *ps, const char *p)
{
    if (!is_punct(ps, p)) {
        char what[8];
        snprintf(what, sizeof(what), "\"%s\"", p);
        return syntax(ps, what);
    }
    return next(ps);
}

typedef struct column_ref {
    int32_t field_id;
    const ice_type *type;
    fl_type fl;
    const char *name;
} column_ref;

static int literal(parser *ps, const column_ref *col, fl_value *out)
{
    tok t = ps->cur;
    if (t.kind == T_IDENT && (is_kw(ps, "true") || is_kw(ps, "false"))) {
        if (col->fl.id != FL_TYPE_BOOL)
            return fl_error_set(ps->err, FLOE_ETYPE,
                                "invalid literal at position %zu: column \"%s\" is not boolean",
                                t.pos + 1, col->name);
    } else if (t.kind != T_STRING && t.kind != T_NUMBER) {
        return syntax(ps, "a literal");
    }
    uint8_t *scratch = fl_arena_calloc(ps->arena, 16);
    const char *text = t.kind == T_STRING ? t.p : fl_arena_strndup(ps->arena, t.p, t.len);
    if (scratch == NULL || text == NULL) return fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
    fl_error sub;
    fl_error_clear(&sub);
    if (fl_value_parse_text(out, col->fl, text, t.len, scratch, &sub) < 0)
        return fl_error_set(ps->err, FLOE_EINVAL,
                            "invalid literal \"%.*s\" at position %zu for column \"%s\": %s",
                            (int)t.len, text, t.pos + 1, col->name, sub.message);
    return next(ps);
}

static int resolve_column(parser *ps, column_ref *out)
{
    if (ps->cur.kind != T_IDENT) return syntax(ps, "a column name");
    char *name = fl_arena_strndup(ps->arena, ps->cur.p, ps->cur.len);
    if (name == NULL) return fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
    const ice_schema_entry *entry = NULL;
    if (ice_schema_find_name(&entry, ps->schema, name, true, NULL) < 0) {
        fl_error sub;
        fl_error_clear(&sub);
        int rc = ice_schema_find_name(&entry, ps->schema, name, false, &sub);
        if (rc == FLOE_EINVAL)
            return fl_error_set(ps->err, FLOE_EINVAL, "column name \"%s\" is ambiguous", name);
        if (rc < 0)
            return fl_error_set(ps->err, FLOE_ENOTFOUND,
                                "column \"%s\" at position %zu does not exist", name, ps->cur.pos + 1);
    }
    const ice_type *t = entry->field->type;
    fl_error sub;
    if (ice_type_is_nested(t) || ice_type_to_fl(&out->fl, t, &sub) < 0 || out->fl.id == FL_TYPE_NULL)
        return fl_error_set(ps->err, FLOE_EUNSUPPORTED,
                            "column \"%s\" cannot be filtered: type %s is not a primitive",
                            name, ice_type_id_name(t->id));
    out->field_id = entry->id;
    out->type = t;
    out->name = name;
    return next(ps);
}

static int make(parser *ps, const ice_expr **out, const column_ref *col, ice_pred_op op,
                const fl_value *vals, size_t n)
{
    *out = ice_expr_pred(ps->arena, op, col->field_id, col->type, vals, n);
    return *out ? 0 : fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
}

static int predicate(parser *ps, const ice_expr **out)
{
    column_ref col;
    FL_TRY(resolve_column(ps, &col));
    fl_value v[2];
    static const struct { const char *p; ice_pred_op op; } cmps[] = {
        {"=", ICE_PRED_EQ}, {"==", ICE_PRED_EQ}, {"!=", ICE_PRED_NOT_EQ}, {"<>", ICE_PRED_NOT_EQ},
        {"<", ICE_PRED_LT}, {"<=", ICE_PRED_LT_EQ}, {">", ICE_PRED_GT}, {">=", ICE_PRED_GT_EQ},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(cmps); i++) {
        if (!is_punct(ps, cmps[i].p)) continue;
        FL_TRY(next(ps));
        FL_TRY(literal(ps, &col, &v[0]));
        return make(ps, out, &col, cmps[i].op, v, 1);
    }
    if (is_kw(ps, "is")) {
        FL_TRY(next(ps));
        bool neg = is_kw(ps, "not");
        if (neg) FL_TRY(next(ps));
        ice_pred_op op;
        if (is_kw(ps, "null")) op = neg ? ICE_PRED_NOT_NULL : ICE_PRED_IS_NULL;
        else if (is_kw(ps, "nan")) op = neg ? ICE_PRED_NOT_NAN : ICE_PRED_IS_NAN;
        else return syntax(ps, "\"null\" or \"nan\"");
        FL_TRY(next(ps));
        return make(ps, out, &col, op, NULL, 0);
    }
    bool neg = is_kw(ps, "not");
    if (neg) FL_TRY(next(ps));
    if (is_kw(ps, "between")) {
        FL_TRY(next(ps));
        FL_TRY(literal(ps, &col, &v[0]));
        if (!is_kw(ps, "and")) return syntax(ps, "\"and\"");
        FL_TRY(next(ps));
        FL_TRY(literal(ps, &col, &v[1]));
        const ice_expr *lo, *hi;
        FL_TRY(make(ps, &lo, &col, ICE_PRED_GT_EQ, &v[0], 1));
        FL_TRY(make(ps, &hi, &col, ICE_PRED_LT_EQ, &v[1], 1));
        *out = ice_expr_and(ps->arena, lo, hi);
        if (*out && neg) *out = ice_expr_not(ps->arena, *out);
        return *out ? 0 : fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
    }
    if (is_kw(ps, "in")) {
        FL_TRY(next(ps));
        FL_TRY(expect_punct(ps, "("));
        size_t n = 0, cap = 8;
        fl_value *vals = fl_arena_alloc(ps->arena, cap * sizeof(fl_value));
        for (;;) {
            if (vals == NULL) return fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
            if (n == cap) {
                vals = fl_arena_realloc(ps->arena, vals, cap * sizeof(fl_value), 2 * cap * sizeof(fl_value));
                cap *= 2;
                continue;
            }
            FL_TRY(literal(ps, &col, &vals[n++]));
            if (is_punct(ps, ")")) break;
            FL_TRY(expect_punct(ps, ","));
        }
        FL_TRY(next(ps));
        return make(ps, out, &col, neg ? ICE_PRED_NOT_IN : ICE_PRED_IN, vals, n);
    }
    if (is_kw(ps, "starts")) {
        FL_TRY(next(ps));
        if (!is_kw(ps, "with")) return syntax(ps, "\"with\"");
        FL_TRY(next(ps));
        if (col.fl.id != FL_TYPE_STRING)
            return fl_error_set(ps->err, FLOE_ETYPE, "starts with needs a string column, \"%s\" is %s",
                                col.name, ice_type_id_name(col.type->id));
        FL_TRY(literal(ps, &col, &v[0]));
        return make(ps, out, &col, neg ? ICE_PRED_NOT_STARTS_WITH : ICE_PRED_STARTS_WITH, v, 1);
    }
    return syntax(ps, neg ? "\"between\", \"in\" or \"starts with\"" : "a comparison operator");
}

static int or_expr(parser *ps, const ice_expr **out, int depth);

static int primary(parser *ps, const ice_expr **out, int depth)
{
    if (depth > 200) return fl_error_set(ps->err, FLOE_ELIMIT, "filter is nested too deeply");
    if (is_kw(ps, "not")) {
        FL_TRY(next(ps));
        const ice_expr *a;
        FL_TRY(primary(ps, &a, depth + 1));
        *out = ice_expr_not(ps->arena, a);
        return *out ? 0 : fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
    }
    if (is_punct(ps, "(")) {
        FL_TRY(next(ps));
        FL_TRY(or_expr(ps, out, depth + 1));
        return expect_punct(ps, ")");
    }
    if (is_kw(ps, "true") || is_kw(ps, "false")) {
        *out = is_kw(ps, "true") ? ice_expr_true() : ice_expr_false();
        return next(ps);
    }
    return predicate(ps, out);
}

static int and_expr(parser *ps, const ice_expr **out, int depth)
{
    FL_TRY(primary(ps, out, depth));
    while (is_kw(ps, "and")) {
        const ice_expr *b;
        FL_TRY(next(ps));
        FL_TRY(primary(ps, &b, depth));
        *out = ice_expr_and(ps->arena, *out, b);
        if (*out == NULL) return fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
    }
    return 0;
}

static int or_expr(parser *ps, const ice_expr **out, int depth)
{
    FL_TRY(and_expr(ps, out, depth));
    while (is_kw(ps, "or")) {
        const ice_expr *b;
        FL_TRY(next(ps));
        FL_TRY(and_expr(ps, &b, depth));
        *out = ice_expr_or(ps->arena, *out, b);
        if (*out == NULL) return fl_error_set(ps->err, FLOE_ENOMEM, "out of memory");
    }
    return 0;
}

int ice_expr_parse(const ice_expr **out, const char *text, const ice_schema *schema,
                   fl_arena *arena, fl_error *err)
{
    parser ps = {text, 0, {T_END, NULL, 0, 0}, schema, arena, err};
    FL_TRY(next(&ps));
    if (ps.cur.kind == T_END) return fl_error_set(err, FLOE_ESYNTAX, "filter is empty");
    FL_TRY(or_expr(&ps, out, 0));
    if (ps.cur.kind != T_END) return syntax(&ps, "\"and\", \"or\" or the end of the filter");
    return 0;
}
