/*
 * test_func_like.c: LIKE and ILIKE: every fast-path shape and the general
 * matcher, constant and per-row patterns, escapes and their errors, UTF-8.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

/* value LIKE pattern: constant pattern (compiled in init) and the same
 * pattern as a flat column (compiled per row) must agree. */
static const char *like(fl_arena *a, const char *op, const char *values, const char *pattern)
{
    char cp[256];
    snprintf(cp, sizeof cp, "=%s", pattern);
    const char *c = ft_call2(a, op, "varchar", values, "varchar", cp);
    size_t rows = 1;
    for (const char *p = values; *p; p++) rows += *p == '|';
    char flat[1024] = "";
    for (size_t i = 0; i < rows; i++) {
        strncat(flat, pattern, sizeof flat - strlen(flat) - 1);
        if (i + 1 < rows) strncat(flat, "|", sizeof flat - strlen(flat) - 1);
    }
    const char *f = ft_call2(a, op, "varchar", values, "varchar", flat);
    CHECK_STR(f, c);
    return c;
}

TEST(func_like_shapes)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(like(a, "like", "abc|abcd|ab|", "abc"), "true|false|false|false");
    CHECK_STR(like(a, "like", "abc|xabc|ab", "ab%"), "true|false|true");
    CHECK_STR(like(a, "like", "abc|abcx|bc", "%bc"), "true|false|true");
    CHECK_STR(like(a, "like", "abc|xbz|ac", "%b%"), "true|true|false");
    CHECK_STR(like(a, "like", "xaab|aba|ab|a", "%ab%"), "true|true|true|false");
    CHECK_STR(like(a, "like", "abc|ac|a|abcbc", "a%c"), "true|true|false|true");
    CHECK_STR(like(a, "like", "|x|NULL", "%"), "true|true|NULL");
    CHECK_STR(like(a, "like", "|x", ""), "true|false");
    fl_arena_free(a);
}

TEST(func_like_general_matcher)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(like(a, "like", "é|ab||ée", "_"), "true|false|false|false");
    CHECK_STR(like(a, "like", "abcabc|abca|xbyya", "%b_a%"), "true|true|false");
    CHECK_STR(like(a, "like", "xaxbx|xbxax|ab", "%a%b%"), "true|false|true");
    CHECK_STR(like(a, "like", "abcbcd|abcd|abd", "a%b_d"), "true|true|false");
    CHECK_STR(like(a, "like", "aXbXb|aXbXbc", "a%X_"), "true|false");
    CHECK_STR(like(a, "like", "héllo wörld|hello world", "h_llo%w_rld"), "true|true");
    CHECK_STR(like(a, "like", "mississippi|missisippi", "%iss%ipp%"), "true|true");
    CHECK_STR(like(a, "like", "aaa|aa", "_%_%_"), "true|false");
    fl_arena_free(a);
}

TEST(func_like_escapes)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "like", "varchar", "a%b|axb", "varchar", "=a\\%b", "varchar", "=\\"), "true|false");
    CHECK_STR(ft_call3(a, "like", "varchar", "a_b|axb", "varchar", "=a#_b", "varchar", "=#"), "true|false");
    CHECK_STR(ft_call3(a, "like", "varchar", "a#b|a#xb", "varchar", "=a##%", "varchar", "=#"), "true|true");
    CHECK_STR(ft_call3(a, "like", "varchar", "100%|100", "varchar", "100!%|100!%", "varchar", "!|!"),
              "true|false");
    CHECK_STR(ft_call3(a, "like", "varchar", "ab", "varchar", "=a\\b", "varchar", "=\\"),
              "ERR 22025: invalid escape sequence in like pattern 'a\\b': the escape must be "
              "followed by %, _ or the escape character");
    CHECK_STR(ft_call3(a, "like", "varchar", "ab", "varchar", "=ab\\", "varchar", "=\\"),
              "ERR 22025: invalid escape sequence in like pattern 'ab\\': the escape must be "
              "followed by %, _ or the escape character");
    CHECK_STR(ft_call3(a, "like", "varchar", "ab", "varchar", "=ab", "varchar", "=xy"),
              "ERR 22019: like escape 'xy' must be a single character");
    fl_arena_free(a);
}

TEST(func_ilike)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(like(a, "ilike", "HeLLo|help|HX", "hel%"), "true|true|false");
    CHECK_STR(like(a, "ilike", "HELLO|hello|yellow", "%LLO"), "true|true|false");
    CHECK_STR(like(a, "ilike", "ABC", "a_c"), "true");
    CHECK_STR(like(a, "like", "ABC", "a_c"), "false");
    fl_arena_free(a);
}
