/*
 * strutil.c: strict number parsing and small string helpers (see strutil.h).
 */
#include "strutil.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static int syntax_error(fl_error *err, const char *type, const char *s, size_t len)
{
    return fl_error_set(err, FLOE_EINVAL, "invalid input syntax for type %s: \"%.*s\"", type,
                        (int)(len > 100 ? 100 : len), s);
}

static int range_error(fl_error *err, const char *type, const char *s, size_t len)
{
    return fl_error_set(err, FLOE_ERANGE, "value \"%.*s\" is out of range for type %s",
                        (int)(len > 100 ? 100 : len), s, type);
}

/* Parses [sign]digits into magnitude; 1 on overflow past limit, -1 on syntax. */
static int parse_magnitude(const char *s, size_t len, bool allow_minus, bool *neg, uint64_t limit,
                           uint64_t *mag)
{
    size_t i = 0;
    *neg = false;
    if (len > 0 && (s[0] == '+' || (allow_minus && s[0] == '-'))) {
        *neg = s[0] == '-';
        i = 1;
    }
    if (i == len) return -1;
    uint64_t v = 0;
    bool over = false;
    for (; i < len; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9) return -1;
        if (v > (limit - d) / 10) over = true;   /* keep scanning: junk is a syntax error */
        else v = v * 10 + d;
    }
    *mag = v;
    return over ? 1 : 0;
}

int fl_parse_i64(int64_t *out, const char *s, size_t len, fl_error *err)
{
    bool neg;
    uint64_t mag;
    int r = parse_magnitude(s, len, true, &neg, (uint64_t)INT64_MAX + 1, &mag);
    if (r < 0) return syntax_error(err, "bigint", s, len);
    if (r > 0 || (!neg && mag > (uint64_t)INT64_MAX)) return range_error(err, "bigint", s, len);
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return 0;
}

int fl_parse_i32(int32_t *out, const char *s, size_t len, fl_error *err)
{
    bool neg;
    uint64_t mag;
    int r = parse_magnitude(s, len, true, &neg, (uint64_t)INT32_MAX + 1, &mag);
    if (r < 0) return syntax_error(err, "integer", s, len);
    if (r > 0 || (!neg && mag > (uint64_t)INT32_MAX)) return range_error(err, "integer", s, len);
    *out = neg ? (int32_t)(0 - (int64_t)mag) : (int32_t)mag;
    return 0;
}

int fl_parse_u64(uint64_t *out, const char *s, size_t len, fl_error *err)
{
    bool neg;
    uint64_t mag;
    int r = parse_magnitude(s, len, false, &neg, UINT64_MAX, &mag);
    if (r < 0) return syntax_error(err, "unsigned bigint", s, len);
    if (r > 0) return range_error(err, "unsigned bigint", s, len);
    *out = mag;
    return 0;
}

int fl_parse_double(double *out, const char *s, size_t len, fl_error *err)
{
    if (len == 0) return syntax_error(err, "double precision", s, len);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == 'e' ||
                  c == 'E' || strchr("iInNfFtTyYaA", c) != NULL;
        if (!ok || c == 0) return syntax_error(err, "double precision", s, len);
    }
    char small[128];
    char *copy = len < sizeof small ? small : fl_malloc(len + 1);
    if (!copy) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    memcpy(copy, s, len);
    copy[len] = 0;
    char *end;
    errno = 0;
    double v = strtod(copy, &end);
    bool whole = end == copy + len;
    int e = errno;
    if (copy != small) fl_free(copy);
    if (!whole) return syntax_error(err, "double precision", s, len);
    if (e == ERANGE && isinf(v)) return range_error(err, "double precision", s, len);
    *out = v;
    return 0;
}

static bool ieq(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (n != len) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != word[i]) return false;
    }
    return true;
}

int fl_parse_bool(bool *out, const char *s, size_t len, fl_error *err)
{
    static const char *yes[] = {"true", "t", "1", "yes", "y", "on"};
    static const char *no[] = {"false", "f", "0", "no", "n", "off"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(yes); i++) {
        if (ieq(s, len, yes[i])) {
            *out = true;
            return 0;
        }
        if (ieq(s, len, no[i])) {
            *out = false;
            return 0;
        }
    }
    return syntax_error(err, "boolean", s, len);
}

size_t fl_str_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (cap > 0) {
        size_t c = n < cap ? n : cap - 1;
        memcpy(dst, src, c);
        dst[c] = 0;
    }
    return n;
}

bool fl_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool fl_str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return m <= n && memcmp(s + n - m, suffix, m) == 0;
}

static bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

fl_strv fl_strv_trim(fl_strv s)
{
    while (s.len > 0 && is_space(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && is_space(s.ptr[s.len - 1])) s.len--;
    return s;
}
