/*
 * test_func_string.c: string functions over UTF-8: code point positions,
 * borrowed and new results, NULLs, constants and argument errors.
 */
#include "func_test.h"

#include "../../../src/base/arena.h"

TEST(func_string_length_substr)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call1(a, "length", "varchar", "héllo||NULL"), "5|0|NULL");
    CHECK_STR(ft_call2(a, "substr", "varchar", "hello|hello|hello|hello|héllo", "bigint", "2|-3|0|10|2"),
              "ello|llo|||éllo");
    CHECK_STR(ft_call3(a, "substr", "varchar", "hello|hello|héllo|hello", "bigint", "2|-3|2|2",
                       "bigint", "3|2|2|-1"),
              "ell|ll|él|");
    /* integer arguments are coerced to bigint; substring is the same function */
    CHECK_STR(ft_call3(a, "substring", "varchar", "=abcdef", "integer", "1|4", "integer", "=2"), "ab|de");
    CHECK_STR(ft_call2(a, "left", "varchar", "hello|héllo", "bigint", "2|-3"), "he|hé");
    CHECK_STR(ft_call2(a, "right", "varchar", "hello|héllo", "bigint", "3|10"), "llo|héllo");
    fl_arena_free(a);
}

TEST(func_string_concat_case_trim)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "concat", "varchar", "a|x|NULL", "varchar", "b||y", "varchar", "=c"), "abc|xc|NULL");
    CHECK_STR(ft_call2(a, "||", "varchar", "ab|", "varchar", "=cd"), "abcd|cd");
    CHECK_STR(ft_call3(a, "concat_ws", "varchar", "=, ", "varchar", "a|NULL|NULL", "varchar", "b|c|NULL"),
              "a, b|c|");
    CHECK_STR(ft_call3(a, "concat_ws", "varchar", "NULL|-", "varchar", "a|a", "varchar", "b|b"), "NULL|a-b");
    CHECK_STR(ft_call1(a, "upper", "varchar", "héllo wörld|NULL|abc-123"), "HÉLLO WÖRLD|NULL|ABC-123");
    CHECK_STR(ft_call1(a, "lower", "varchar", "ÀÉÎ ΑΒΓ ПРИВЕТ Ёж"), "àéî αβγ привет ёж");
    CHECK_STR(ft_call1(a, "ucase", "varchar", "x"), "X");
    CHECK_STR(ft_call1(a, "trim", "varchar", "  a b  |\t x\n|   "), "a b|x|");
    CHECK_STR(ft_call1(a, "ltrim", "varchar", "  x "), "x ");
    CHECK_STR(ft_call1(a, "rtrim", "varchar", " x  "), " x");
    CHECK_STR(ft_call2(a, "trim", "varchar", "xxaxx|éaé", "varchar", "x|é"), "a|a");
    fl_arena_free(a);
}

TEST(func_string_search_replace_split)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "replace", "varchar", "banana|abc|abc", "varchar", "an|zz|", "varchar", "AN|y|-"),
              "bANANa|abc|-a-b-c-");
    CHECK_STR(ft_call2(a, "replace", "varchar", "banana", "varchar", "a"), "bnn");
    CHECK_STR(ft_call2(a, "strpos", "varchar", "héllo|abc|abc", "varchar", "l|z|"), "3|0|1");
    CHECK_STR(ft_call2(a, "position", "varchar", "l", "varchar", "hello"), "3");
    CHECK_STR(ft_call3(a, "split_part", "varchar", "=a,b,,c", "varchar", "=,", "bigint", "1|3|4|5"),
              "a||c|NULL");
    CHECK_STR(ft_call3(a, "split_part", "varchar", "a::b", "varchar", "::", "bigint", "2"), "b");
    CHECK_STR(ft_call3(a, "split_part", "varchar", "a,b", "varchar", ",", "bigint", "0"),
              "ERR 22023: split_part: index 0 must be greater than zero");
    CHECK_STR(ft_call2(a, "starts_with", "varchar", "hello|he|NULL", "varchar", "he|hello|x"),
              "true|false|NULL");
    CHECK_STR(ft_call2(a, "contains", "varchar", "hello|hello", "varchar", "ell|elo"), "true|false");
    CHECK_STR(ft_call1(a, "reverse", "varchar", "héllo|"), "olléh|");
    fl_arena_free(a);
}

TEST(func_string_pad)
{
    fl_arena *a = fl_arena_new(0);
    CHECK_STR(ft_call3(a, "lpad", "varchar", "abc|abc|abc", "bigint", "6|2|3", "varchar", "=xy"),
              "xyxabc|ab|abc");
    CHECK_STR(ft_call3(a, "rpad", "varchar", "abc", "bigint", "5", "varchar", "é"), "abcéé");
    CHECK_STR(ft_call3(a, "rpad", "varchar", "héllo", "bigint", "3", "varchar", "x"), "hél");
    CHECK_STR(ft_call2(a, "lpad", "varchar", "7", "bigint", "3"), "  7");
    CHECK_STR(ft_call3(a, "lpad", "varchar", "a", "bigint", "3", "varchar", "="),
              "ERR 22023: lpad: padding string must not be empty");
    CHECK_STR(ft_call3(a, "lpad", "varchar", "a", "bigint", "-1", "varchar", "x"),
              "ERR 22023: lpad: target length -1 is out of range");
    fl_arena_free(a);
}
