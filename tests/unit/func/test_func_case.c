/*
 * test_func_case.c: Unicode case mapping (src/func/func_case.c), the way
 * Trino's upper/lower map code point by code point: letters beyond ASCII
 * (Latin Extended, Greek final sigma, title-case digraphs), 'ß' kept, byte
 * lengths that change (ȿ <-> Ȿ, ı -> I), invalid UTF-8 passed through.
 */
#include "../test.h"

#include <string.h>

#include "../../../src/func/func_internal.h"

static void check_case(const char *in, bool upper, const char *want)
{
    char out[256];
    size_t n = fn_utf8_case(in, strlen(in), out, upper);
    CHECK(n <= strlen(in) * FN_CASE_MAX_GROWTH);
    out[n] = '\0';
    CHECK_STR(out, want);
}

TEST(func_case_unicode_letters)
{
    check_case("hello, World 123", true, "HELLO, WORLD 123");
    check_case("hello, World 123", false, "hello, world 123");
    check_case("łódź", true, "ŁÓDŹ");
    check_case("ŁÓDŹ ČŠŽ Ő", false, "łódź čšž ő");
    check_case("straße", true, "STRAßE");           /* no single-character capital */
    check_case("ÿ ς ǅ", true, "Ÿ Σ Ǆ");
    check_case("Ÿ Σ Ǆ", false, "ÿ σ ǆ");
    check_case("ǅ", false, "ǆ");
    check_case("ȿ", true, "Ȿ");                     /* 2 bytes -> 3 bytes */
    check_case("Ȿ", false, "ȿ");
    check_case("ı", true, "I");                     /* 2 bytes -> 1 byte */
    check_case("𐐨", true, "𐐀");                     /* 4-byte Deseret */
    check_case("日本語", true, "日本語");
}

TEST(func_case_invalid_utf8_passes_through)
{
    /* a lone continuation byte, a truncated sequence, an overlong form, a surrogate */
    static const char in[] = "a\x80" "b\xC3" "\xC0\xAF" "\xED\xA0\x80" "c";
    char out[64];
    size_t n = fn_utf8_case(in, sizeof in - 1, out, true);
    static const char want[] = "A\x80" "B\xC3" "\xC0\xAF" "\xED\xA0\x80" "C";
    CHECK_MEM(out, n, want, sizeof want - 1);
}
