/*
 * test_func_regex.c: regexp_like, regexp_extract and regexp_replace with
 * constant and per-row patterns, groups, UTF-8 and pattern errors.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_regexp_like_extract)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call2(a, "regexp_like", "varchar", "abc123|abc|NULL", "varchar", "=\\d+"), "true|false|NULL");
    CHECK_STR(ft_call2(a, "regexp_like", "varchar", "abc|abc", "varchar", "^a|^b"), "true|false");
    CHECK_STR(ft_call2(a, "regexp_like", "varchar", "héllo", "varchar", "=^h.llo$"), "true");
    CHECK_STR(ft_call2(a, "regexp_matches", "varchar", "a1|b", "varchar", "=[0-9]"), "true|false");
    CHECK_STR(ft_call2(a, "regexp_extract", "varchar", "a1b22c333|xyz", "varchar", "=\\d+"), "1|NULL");
    CHECK_STR(ft_call3(a, "regexp_extract", "varchar", "key=val|k=v", "varchar", "=(\\w+)=(\\w+)",
                       "bigint", "2|1"),
              "val|k");
    CHECK_STR(ft_call3(a, "regexp_extract", "varchar", "ab", "varchar", "=(a)(x)?", "bigint", "2"), "NULL");
    CHECK_STR(ft_call3(a, "regexp_extract", "varchar", "ab", "varchar", "=(a)", "bigint", "2"),
              "ERR 22023: regexp_extract: pattern has 1 groups, cannot access group 2");
    CHECK_STR(ft_call2(a, "regexp_like", "varchar", "x", "varchar", "=(unclosed"),
              "ERR 2201B: invalid regular expression '(unclosed': missing closing parenthesis at offset 9");
    fl_arena_free(a);
}

TEST(func_regexp_replace)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "regexp_replace", "varchar", "a1b22c333|none", "varchar", "=\\d+", "varchar", "=#"),
              "a#b#c#|none");
    CHECK_STR(ft_call2(a, "regexp_replace", "varchar", "a1b22", "varchar", "=\\d"), "ab");
    CHECK_STR(ft_call3(a, "regexp_replace", "varchar", "john smith", "varchar", "=(\\w+) (\\w+)",
                       "varchar", "=$2, $1"),
              "smith, john");
    /* a long result grows the buffer */
    CHECK_STR(ft_call3(a, "regexp_replace", "varchar", "aaaa", "varchar", "=a", "varchar",
                       "=0123456789012345678901234567890123456789"),
              "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789");
    CHECK_STR(ft_call3(a, "regexp_replace", "varchar", "x|y", "varchar", "x|y", "varchar", "1|2"), "1|2");
    fl_arena_free(a);
}
