/*
 * func_case.c: Unicode case mapping of UTF-8 text, as Trino's upper/lower
 * do it: code point by code point (Java's Character.toUpperCase /
 * toLowerCase, the simple mappings of UnicodeData), so 'ß' stays 'ß' and
 * 'ǅ' becomes 'Ǆ'. Used by upper, lower (func_string.c) and ILIKE
 * (func_like.c).
 *
 * The mappings come from the C library (towupper_l / towlower_l) in glibc's
 * built-in C.UTF-8 locale, opened once as a locale object, so the process
 * locale is never changed; ASCII is mapped inline. Should C.UTF-8 be missing
 * (a C library without it), letters outside ASCII pass through unchanged.
 * A mapped character may take more or fewer bytes than the original (ȿ is
 * 2 bytes, its capital Ȿ 3), so the output may differ in length: at most
 * FN_CASE_MAX_GROWTH times the input. Invalid UTF-8 bytes pass through.
 */
#include <locale.h>
#include <pthread.h>
#include <wctype.h>

#include "func_internal.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static locale_t utf8_locale = (locale_t)0;

static void open_locale(void) { utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

static inline bool is_cont(uint8_t b) { return (b & 0xC0) == 0x80; }

/* Decodes the code point at s[0..len): its length in *n, or 0 when the
 * bytes are not a well-formed sequence. */
static uint32_t decode(const uint8_t *s, size_t len, size_t *n)
{
    uint8_t b = s[0];
    uint32_t cp;
    size_t k;
    if (b >= 0xC2 && b <= 0xDF) cp = b & 0x1F, k = 2;
    else if (b >= 0xE0 && b <= 0xEF) cp = b & 0x0F, k = 3;
    else if (b >= 0xF0 && b <= 0xF4) cp = b & 0x07, k = 4;
    else return *n = 0, 0;
    if (k > len) return *n = 0, 0;
    for (size_t i = 1; i < k; i++) {
        if (!is_cont(s[i])) return *n = 0, 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    /* overlong forms, surrogates and values past U+10FFFF are not characters */
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return *n = 0, 0;
    *n = k;
    return cp;
}

static size_t encode(uint32_t cp, uint8_t *d)
{
    if (cp < 0x80) return d[0] = (uint8_t)cp, 1;
    if (cp < 0x800) {
        d[0] = (uint8_t)(0xC0 | cp >> 6);
        d[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (uint8_t)(0xE0 | cp >> 12);
        d[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        d[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (uint8_t)(0xF0 | cp >> 18);
    d[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    d[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    d[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t map_cp(uint32_t cp, bool upper)
{
    if (utf8_locale == (locale_t)0) return cp;
    wint_t m = upper ? towupper_l((wint_t)cp, utf8_locale) : towlower_l((wint_t)cp, utf8_locale);
    /* a mapping into the surrogates or beyond Unicode would not encode */
    if (m > 0x10FFFF || (m >= 0xD800 && m <= 0xDFFF)) return cp;
    return (uint32_t)m;
}

size_t fn_utf8_case(const char *src, size_t len, char *dst, bool upper)
{
    const uint8_t *s = (const uint8_t *)src;
    uint8_t *d = (uint8_t *)dst;
    size_t i = 0, o = 0;
    uint8_t lo = upper ? 'a' : 'A';
    while (i < len) {
        uint8_t b = s[i];
        if (b < 0x80) {
            d[o++] = (uint8_t)(b >= lo && b <= lo + 25 ? b ^ 0x20 : b);
            i++;
            continue;
        }
        pthread_once(&once, open_locale);
        size_t n;
        uint32_t cp = decode(s + i, len - i, &n);
        if (n == 0) {   /* not UTF-8: the byte as it is */
            d[o++] = b;
            i++;
            continue;
        }
        o += encode(map_cp(cp, upper), d + o);
        i += n;
    }
    return o;
}
