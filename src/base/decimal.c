/*
 * decimal.c: exact decimals as scaled integers (see decimal.h).
 *
 * Parsing is on the CSV hot path (TPC-DS has ~15 decimal columns per row),
 * so plain "[-]123.45" text with no more fraction digits than the scale and
 * at most 18 digits is handled by a single pass into a uint64 with no
 * allocation and no multiplication by 10^k beyond one table lookup. Anything
 * else (exponents, rounding, more than 18 digits) takes the general path,
 * which locates the digit runs first and then accumulates only the digits
 * that survive rounding, so arbitrarily long inputs never overflow.
 *
 * Leniency beyond decimal.h: surrounding ASCII spaces and tabs are ignored,
 * "1." and ".5" are accepted, and the exponent marker may be 'e' or 'E'.
 * Rounding is half away from zero: the first dropped digit decides.
 */
#include "decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 fl_uint128;

static const uint64_t pow10_u64[20] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL,
};

#define P19 ((fl_int128)10000000000000000000ULL)
static const fl_int128 pow10_i128[39] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL, 1000000000000000000LL,
    P19,
    P19 * 10, P19 * 100, P19 * 1000, P19 * 10000, P19 * 100000, P19 * 1000000,
    P19 * 10000000, P19 * 100000000, P19 * 1000000000, P19 * 10000000000LL,
    P19 * 100000000000LL, P19 * 1000000000000LL, P19 * 10000000000000LL,
    P19 * 100000000000000LL, P19 * 1000000000000000LL, P19 * 10000000000000000LL,
    P19 * 100000000000000000LL, P19 * 1000000000000000000LL, P19 * P19,
};

fl_int128 fl_pow10_i128(int n)
{
    FL_ASSERT(n >= 0 && n <= 38);
    return pow10_i128[n];
}

bool fl_decimal_fits(fl_int128 v, int precision)
{
    if (precision >= 39) return true;
    if (precision < 0) return false;
    fl_int128 lim = pow10_i128[precision];
    return v < lim && v > -lim;
}

static inline bool is_digit(char c) { return (unsigned)(c - '0') < 10u; }
static inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

static int parse_syntax_error(const char *s, size_t len, fl_error *err)
{
    int shown = len > 64 ? 64 : (int)len;
    return fl_error_set(err, FLOE_EINVAL, "invalid input syntax for type decimal: \"%.*s%s\"",
                        shown, s, len > 64 ? "..." : "");
}

static int parse_range_error(const char *s, size_t len, int precision, int scale, fl_error *err)
{
    int shown = len > 64 ? 64 : (int)len;
    return fl_error_set(err, FLOE_ERANGE, "value \"%.*s%s\" is out of range for decimal(%d,%d)",
                        shown, s, len > 64 ? "..." : "", precision, scale);
}

/* The general path: exponents, rounding, long inputs, surrounding blanks. */
static int parse_slow(const char *s, size_t len, int precision, int scale, fl_int128 *out,
                      fl_error *err)
{
    const char *p = s, *end = s + len;
    while (p < end && is_blank(*p)) p++;
    while (end > p && is_blank(end[-1])) end--;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    const char *int_start = p;
    while (p < end && is_digit(*p)) p++;
    size_t int_len = (size_t)(p - int_start);
    const char *frac_start = p;
    size_t frac_len = 0;
    if (p < end && *p == '.') {
        frac_start = ++p;
        while (p < end && is_digit(*p)) p++;
        frac_len = (size_t)(p - frac_start);
    }
    if (int_len + frac_len == 0) return parse_syntax_error(s, len, err);
    int64_t exp10 = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (p == end || !is_digit(*p)) return parse_syntax_error(s, len, err);
        while (p < end && is_digit(*p)) {
            if (exp10 < 100000) exp10 = exp10 * 10 + (*p - '0');   /* saturate */
            p++;
        }
        if (eneg) exp10 = -exp10;
    }
    if (p != end) return parse_syntax_error(s, len, err);

    /* Digits D = int digits ++ frac digits; value = D * 10^(exp10 - frac_len).
     * Unscaled result = D * 10^shift with shift = exp10 + scale - frac_len. */
    int64_t total = (int64_t)(int_len + frac_len);
    int64_t shift = exp10 + scale - (int64_t)frac_len;
    int64_t keep = shift < 0 ? total + shift : total;   /* digits that survive */
#define DIGIT_AT(i) ((size_t)(i) < int_len ? int_start[(i)] : frac_start[(size_t)(i) - int_len])
    fl_uint128 mag = 0;
    int sig = 0;
    int64_t i = 0;
    for (; i < keep; i++) {
        int d = DIGIT_AT(i) - '0';
        if (sig == 0 && d == 0) continue;
        if (++sig > 38) return parse_range_error(s, len, precision, scale, err);
        mag = mag * 10 + (unsigned)d;
    }
    if (keep >= 0 && keep < total && DIGIT_AT(keep) >= '5') {
        mag += 1;
        if (mag == (fl_uint128)pow10_i128[sig]) sig++;
    }
#undef DIGIT_AT
    if (mag != 0 && shift > 0) {
        if (sig + shift > precision) return parse_range_error(s, len, precision, scale, err);
        mag *= (fl_uint128)pow10_i128[shift];
    }
    if (mag >= (fl_uint128)pow10_i128[precision])
        return parse_range_error(s, len, precision, scale, err);
    *out = neg ? -(fl_int128)mag : (fl_int128)mag;
    return 0;
}

int fl_decimal_parse(const char *s, size_t len, int precision, int scale, fl_int128 *out,
                     fl_error *err)
{
    FL_ASSERT(precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision);
    /* Fast path: [-+]digits[.digits], <= 18 digits, fraction no longer than scale. */
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    const char *digits_start = p;
    uint64_t acc = 0;
    while (p < end && is_digit(*p)) acc = acc * 10 + (uint64_t)(*p++ - '0');
    size_t ndigits = (size_t)(p - digits_start);
    size_t frac_len = 0;
    if (p < end && *p == '.') {
        const char *frac_start = ++p;
        while (p < end && is_digit(*p)) acc = acc * 10 + (uint64_t)(*p++ - '0');
        frac_len = (size_t)(p - frac_start);
        ndigits += frac_len;
    }
    if (FL_LIKELY(p == end && ndigits - 1 < 18 && frac_len <= (size_t)scale)) {
        int lim = precision - scale + (int)frac_len;   /* acc must be < 10^lim */
        if (lim < 19 && acc >= pow10_u64[lim])
            return parse_range_error(s, len, precision, scale, err);
        fl_int128 v = (fl_int128)acc;
        int up = scale - (int)frac_len;
        if (up) v *= up < 20 ? (fl_int128)pow10_u64[up] : pow10_i128[up];
        *out = neg ? -v : v;
        return 0;
    }
    return parse_slow(s, len, precision, scale, out, err);
}

/* Writes the decimal digits of m (no sign) right-aligned ending at `end`;
 * returns the start. */
static char *u128_digits(fl_uint128 m, char *end)
{
    char *p = end;
    while (m > UINT64_MAX) {
        uint64_t chunk = (uint64_t)(m % 10000000000000000000ULL);
        m /= 10000000000000000000ULL;
        for (int i = 0; i < 19; i++) {
            *--p = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    uint64_t low = (uint64_t)m;
    do {
        *--p = (char)('0' + low % 10);
        low /= 10;
    } while (low);
    return p;
}

int fl_decimal_format(fl_int128 v, int scale, char *buf)
{
    char tmp[48];
    char *end = tmp + sizeof tmp;
    fl_uint128 mag = v < 0 ? (fl_uint128)0 - (fl_uint128)v : (fl_uint128)v;
    char *d = u128_digits(mag, end);
    int nd = (int)(end - d);
    int pos = 0;
    if (v < 0) buf[pos++] = '-';
    if (scale <= 0) {
        memcpy(buf + pos, d, (size_t)nd);
        pos += nd;
    } else if (nd > scale) {
        memcpy(buf + pos, d, (size_t)(nd - scale));
        pos += nd - scale;
        buf[pos++] = '.';
        memcpy(buf + pos, d + nd - scale, (size_t)scale);
        pos += scale;
    } else {
        buf[pos++] = '0';
        buf[pos++] = '.';
        memset(buf + pos, '0', (size_t)(scale - nd));
        pos += scale - nd;
        memcpy(buf + pos, d, (size_t)nd);
        pos += nd;
    }
    buf[pos] = 0;
    return pos;
}

int fl_decimal_rescale(fl_int128 v, int from_scale, int to_scale, int precision, fl_int128 *out)
{
    FL_ASSERT(from_scale >= 0 && to_scale >= 0 && precision >= 1 && precision <= 38);
    fl_int128 r;
    if (to_scale >= from_scale) {
        int up = to_scale - from_scale;
        if (up > 38 || !fl_decimal_fits(v, precision - up)) {
            if (v != 0) return FLOE_ERANGE;
            r = 0;
        } else {
            r = v * pow10_i128[up];
        }
    } else {
        int down = from_scale - to_scale;
        if (down > 38) {
            r = 0;
        } else {
            fl_int128 div = pow10_i128[down];
            r = v / div;
            fl_int128 rem = v % div;
            fl_uint128 arem = rem < 0 ? (fl_uint128)0 - (fl_uint128)rem : (fl_uint128)rem;
            if (arem * 2 >= (fl_uint128)div) r += v < 0 ? -1 : 1;
        }
    }
    if (!fl_decimal_fits(r, precision)) return FLOE_ERANGE;
    *out = r;
    return 0;
}

bool fl_decimal_add(fl_int128 a, fl_int128 b, fl_int128 *out)
{
    fl_int128 r;
    if (__builtin_add_overflow(a, b, &r) || !fl_decimal_fits(r, 38)) return false;
    *out = r;
    return true;
}

bool fl_decimal_mul(fl_int128 a, fl_int128 b, fl_int128 *out)
{
    fl_int128 r;
    if (__builtin_mul_overflow(a, b, &r) || !fl_decimal_fits(r, 38)) return false;
    *out = r;
    return true;
}

double fl_decimal_to_double(fl_int128 v, int scale)
{
    static const double pow10_dbl[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                         1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const fl_int128 exact = (fl_int128)1 << 53;
    /* Both operands exact: one correctly rounded division. */
    if (v < exact && v > -exact && scale >= 0 && scale <= 22)
        return (double)(int64_t)v / pow10_dbl[scale];
    char buf[64];
    fl_decimal_format(v, scale, buf);
    return strtod(buf, NULL);
}

int fl_decimal_to_be_bytes(fl_int128 v, uint8_t *out)
{
    uint8_t be[16];
    fl_uint128 u = (fl_uint128)v;
    for (int i = 15; i >= 0; i--) {
        be[i] = (uint8_t)u;
        u >>= 8;
    }
    uint8_t sign = v < 0 ? 0xff : 0x00;
    int start = 0;
    /* Drop a leading byte while it is pure sign extension of the next one. */
    while (start < 15 && be[start] == sign && ((be[start + 1] ^ sign) & 0x80) == 0) start++;
    int len = 16 - start;
    memcpy(out, be + start, (size_t)len);
    return len;
}

bool fl_decimal_to_be_fixed(fl_int128 v, uint8_t *out, int len)
{
    uint8_t tmp[16];
    int n = fl_decimal_to_be_bytes(v, tmp);
    if (len < n) return false;
    memset(out, v < 0 ? 0xff : 0x00, (size_t)(len - n));
    memcpy(out + (len - n), tmp, (size_t)n);
    return true;
}

bool fl_decimal_from_be_bytes(const uint8_t *p, size_t len, fl_int128 *out)
{
    if (len == 0) return false;
    if (len > 16) {
        uint8_t sign = (p[len - 16] & 0x80) ? 0xff : 0x00;
        for (size_t i = 0; i < len - 16; i++)
            if (p[i] != sign) return false;
        p += len - 16;
        len = 16;
    }
    fl_uint128 u = (p[0] & 0x80) ? ~(fl_uint128)0 : 0;
    for (size_t i = 0; i < len; i++) u = (u << 8) | p[i];
    *out = (fl_int128)u;
    return true;
}

int fl_decimal_fixed_len(int precision)
{
    if (precision < 1 || precision > 38) return FLOE_EINVAL;
    /* smallest n with 10^p - 1 <= 2^(8n-1) - 1, i.e. 10^p <= 2^(8n-1) */
    fl_uint128 need = (fl_uint128)pow10_i128[precision];
    for (int n = 1; n <= 16; n++)
        if (need <= ((fl_uint128)1 << (8 * n - 1))) return n;
    return 16;
}
