/*
 * test_decimal.c: decimal parsing (fast and general paths, rounding,
 * overflow), formatting, rescaling, checked arithmetic, conversion to
 * double and the big-endian byte forms used by Parquet and Iceberg.
 */
#include "../test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../../src/base/decimal.h"

static fl_int128 parse_ok(const char *s, int p, int sc)
{
    fl_int128 v = 0;
    fl_error err;
    fl_error_clear(&err);
    int rc = fl_decimal_parse(s, strlen(s), p, sc, &v, &err);
    if (rc != 0) {
        CHECK_STR(err.message, "(no error)");
        return -424242;
    }
    return v;
}

static int parse_rc(const char *s, int p, int sc)
{
    fl_int128 v = 0;
    fl_error err;
    fl_error_clear(&err);
    int rc = fl_decimal_parse(s, strlen(s), p, sc, &v, &err);
    if (rc < 0) CHECK(err.message[0] != 0);
    return rc;
}

static const char *fmt(fl_int128 v, int scale)
{
    static char buf[4][64];
    static int idx;
    char *b = buf[idx++ & 3];
    int n = fl_decimal_format(v, scale, b);
    CHECK_EQ(n, (int)strlen(b));
    return b;
}

TEST(decimal_pow10_and_fits)
{
    CHECK(fl_pow10_i128(0) == 1);
    CHECK(fl_pow10_i128(18) == 1000000000000000000LL);
    CHECK(fl_pow10_i128(19) == (fl_int128)10000000000000000000ULL);
    CHECK_STR(fmt(fl_pow10_i128(38), 0), "100000000000000000000000000000000000000");
    CHECK(fl_decimal_fits(99999, 5));
    CHECK(!fl_decimal_fits(100000, 5));
    CHECK(fl_decimal_fits(-99999, 5));
    CHECK(!fl_decimal_fits(-100000, 5));
    CHECK(fl_decimal_fits(fl_pow10_i128(38) - 1, 38));
    CHECK(!fl_decimal_fits(fl_pow10_i128(38), 38));
}

TEST(decimal_parse_fast_path)
{
    CHECK(parse_ok("123.45", 7, 2) == 12345);
    CHECK(parse_ok("-123.45", 7, 2) == -12345);
    CHECK(parse_ok("+123.45", 7, 2) == 12345);
    CHECK(parse_ok("123.4", 7, 2) == 12340);
    CHECK(parse_ok("123", 7, 2) == 12300);
    CHECK(parse_ok("123.", 7, 2) == 12300);
    CHECK(parse_ok(".5", 7, 2) == 50);
    CHECK(parse_ok("-.5", 7, 2) == -50);
    CHECK(parse_ok("0", 7, 2) == 0);
    CHECK(parse_ok("-0.00", 7, 2) == 0);
    CHECK(parse_ok("99999.99", 7, 2) == 9999999);
    CHECK(parse_ok("12345678901234.5678", 18, 4) == 123456789012345678LL);
    /* fast path but wide scale */
    CHECK(parse_ok("1.5", 38, 30) == 15 * fl_pow10_i128(29));
    CHECK(parse_ok("00000000000000000001.25", 5, 2) == 125);   /* > 18 digits: slow path */
}

TEST(decimal_parse_rounds_half_away_from_zero)
{
    CHECK(parse_ok("1.005", 7, 2) == 101);
    CHECK(parse_ok("1.004999", 7, 2) == 100);
    CHECK(parse_ok("-1.005", 7, 2) == -101);
    CHECK(parse_ok("-1.0049", 7, 2) == -100);
    CHECK(parse_ok("2.5", 5, 0) == 3);
    CHECK(parse_ok("-2.5", 5, 0) == -3);
    CHECK(parse_ok("0.4", 5, 0) == 0);
    CHECK(parse_ok("0.5", 5, 0) == 1);
    CHECK(parse_ok("0.0000000001", 5, 2) == 0);
    CHECK(parse_ok("9.995", 4, 2) == 1000);
    /* rounding carries into a new digit: 99.995 -> 100.00 needs precision 5 */
    CHECK(parse_rc("99.995", 4, 2) == FLOE_ERANGE);
    CHECK(parse_ok("99.995", 5, 2) == 10000);
    /* very long fraction, many digits dropped */
    CHECK(parse_ok("3.14159265358979323846264338327950288419716939937510", 10, 8) == 314159265);
}

TEST(decimal_parse_exponents)
{
    CHECK(parse_ok("1e2", 7, 2) == 10000);
    CHECK(parse_ok("1.5E-1", 7, 2) == 15);
    CHECK(parse_ok("12345e-4", 7, 2) == 123);      /* 1.2345 -> 1.23 */
    CHECK(parse_ok("12355e-4", 7, 2) == 124);      /* 1.2355 -> 1.24 */
    CHECK(parse_ok("-1.25e+1", 7, 2) == -1250);
    CHECK(parse_ok("0e999999999", 7, 2) == 0);
    CHECK(parse_ok("5e-999999999", 7, 2) == 0);
    CHECK(parse_ok(".5e1", 3, 0) == 5);
    CHECK(parse_rc("1e999999", 38, 0) == FLOE_ERANGE);
    CHECK(parse_rc("1e5", 7, 2) == FLOE_ERANGE);
    CHECK(parse_ok("1e4", 7, 2) == 1000000);
}

TEST(decimal_parse_precision_overflow)
{
    CHECK(parse_rc("100000", 7, 2) == FLOE_ERANGE);
    CHECK(parse_rc("-100000.00", 7, 2) == FLOE_ERANGE);
    CHECK(parse_ok("99999.994", 7, 2) == 9999999);
    CHECK(parse_rc("99999.995", 7, 2) == FLOE_ERANGE);
    CHECK(parse_rc("1", 2, 2) == FLOE_ERANGE);
    CHECK(parse_ok("0.99", 2, 2) == 99);
    /* 38 digits fit, 39 do not */
    char nines[64];
    memset(nines, '9', 38);
    nines[38] = 0;
    CHECK(parse_ok(nines, 38, 0) == fl_pow10_i128(38) - 1);
    nines[38] = '9';
    nines[39] = 0;
    CHECK(parse_rc(nines, 38, 0) == FLOE_ERANGE);
    /* huge integer part with many digits: range, not a crash or wrap */
    CHECK(parse_rc("123456789012345678901234567890123456789012345678901234567890", 38, 0) ==
          FLOE_ERANGE);
    CHECK_STR(fmt(parse_ok("-12345678901234567890123456789012345678", 38, 0), 0),
              "-12345678901234567890123456789012345678");
    CHECK_STR(fmt(parse_ok("1234567890123456789012345678.9012345678", 38, 10), 10),
              "1234567890123456789012345678.9012345678");
}

TEST(decimal_parse_rejects_malformed)
{
    const char *bad[] = {"", "-", "+", ".", "-.", "1.2.3", "1e", "1e+", "abc", "1a", "--1",
                         "1 2", "1,5", "e5", "0x10", "1.5f", "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fl_int128 v;
        fl_error err;
        fl_error_clear(&err);
        int rc = fl_decimal_parse(bad[i], strlen(bad[i]), 10, 2, &v, &err);
        if (!CHECK_EQ(rc, FLOE_EINVAL)) printf("  input: \"%s\"\n", bad[i]);
        CHECK(strstr(err.message, "invalid input syntax for type decimal") != NULL);
    }
    /* whitespace around the number is tolerated */
    CHECK(parse_ok("  12.5\t", 5, 1) == 125);
    /* no NUL needed: parse a prefix of a longer buffer */
    fl_int128 v;
    CHECK_EQ(fl_decimal_parse("12.34567", 4, 5, 1, &v, NULL), 0);
    CHECK(v == 123);
}

TEST(decimal_format)
{
    CHECK_STR(fmt(12345, 2), "123.45");
    CHECK_STR(fmt(-12345, 2), "-123.45");
    CHECK_STR(fmt(5, 2), "0.05");
    CHECK_STR(fmt(-5, 2), "-0.05");
    CHECK_STR(fmt(0, 2), "0.00");
    CHECK_STR(fmt(0, 0), "0");
    CHECK_STR(fmt(100, 2), "1.00");
    CHECK_STR(fmt(-7, 0), "-7");
    CHECK_STR(fmt(1, 38), "0.00000000000000000000000000000000000001");
    fl_int128 min38 = -(fl_pow10_i128(38) - 1);
    CHECK_STR(fmt(min38, 10), "-9999999999999999999999999999.9999999999");
    /* the most negative __int128 must not overflow the formatter */
    fl_int128 most_neg = -(fl_int128)(((unsigned __int128)1 << 127) - 1) - 1;
    CHECK_STR(fmt(most_neg, 0), "-170141183460469231731687303715884105728");
}

TEST(decimal_parse_format_roundtrip)
{
    /* pseudo-random values at several precisions and scales */
    uint64_t x = 88172645463325252ULL;
    char buf[64];
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int p = 1 + (int)(x % 38);
        int sc = (int)((x >> 8) % (unsigned)(p + 1));
        fl_int128 v = (fl_int128)(x >> 1) * (fl_int128)((x >> 20) | 1);
        v %= fl_pow10_i128(p);
        if (x & 1) v = -v;
        int n = fl_decimal_format(v, sc, buf);
        fl_int128 back = 0;
        if (!CHECK_EQ(fl_decimal_parse(buf, (size_t)n, p, sc, &back, NULL), 0) || !CHECK(back == v)) {
            printf("  %s p=%d s=%d\n", buf, p, sc);
            break;
        }
    }
}

TEST(decimal_rescale)
{
    fl_int128 r;
    CHECK_EQ(fl_decimal_rescale(12345, 2, 4, 10, &r), 0);
    CHECK(r == 1234500);
    CHECK_EQ(fl_decimal_rescale(12345, 2, 1, 10, &r), 0);
    CHECK(r == 1235);
    CHECK_EQ(fl_decimal_rescale(-12345, 2, 1, 10, &r), 0);
    CHECK(r == -1235);
    CHECK_EQ(fl_decimal_rescale(12344, 2, 1, 10, &r), 0);
    CHECK(r == 1234);
    CHECK_EQ(fl_decimal_rescale(-149, 2, 0, 10, &r), 0);
    CHECK(r == -1);
    CHECK_EQ(fl_decimal_rescale(-150, 2, 0, 10, &r), 0);
    CHECK(r == -2);
    CHECK_EQ(fl_decimal_rescale(12345, 2, 4, 6, &r), FLOE_ERANGE);
    CHECK_EQ(fl_decimal_rescale(99999, 0, 0, 4, &r), FLOE_ERANGE);
    CHECK_EQ(fl_decimal_rescale(0, 0, 38, 38, &r), 0);
    CHECK(r == 0);
    CHECK_EQ(fl_decimal_rescale(1, 0, 38, 38, &r), FLOE_ERANGE);
    CHECK_EQ(fl_decimal_rescale(fl_pow10_i128(37), 37, 0, 1, &r), 0);
    CHECK(r == 1);
}

TEST(decimal_checked_arithmetic)
{
    fl_int128 r, max = fl_pow10_i128(38) - 1;
    CHECK(fl_decimal_add(2, 3, &r) && r == 5);
    CHECK(fl_decimal_add(max, -1, &r) && r == max - 1);
    CHECK(!fl_decimal_add(max, 1, &r));
    CHECK(!fl_decimal_add(-max, -1, &r));
    CHECK(fl_decimal_mul(-7, 6, &r) && r == -42);
    CHECK(fl_decimal_mul(fl_pow10_i128(19), fl_pow10_i128(18), &r) && r == fl_pow10_i128(37));
    CHECK(!fl_decimal_mul(fl_pow10_i128(19), fl_pow10_i128(19), &r));
    CHECK(!fl_decimal_mul(fl_pow10_i128(30), fl_pow10_i128(30), &r));   /* wraps int128 */
}

TEST(decimal_to_double)
{
    CHECK(fl_decimal_to_double(12345, 2) == 123.45);
    CHECK(fl_decimal_to_double(-1, 1) == -0.1);
    CHECK(fl_decimal_to_double(0, 5) == 0.0);
    CHECK(fl_decimal_to_double(fl_pow10_i128(38) - 1, 0) == 1e38);
    CHECK(fl_decimal_to_double(123456789012345678LL * (fl_int128)1000, 30) == 1.23456789012345678e-10);
}

static void check_be(fl_int128 v, const char *hex)
{
    uint8_t out[16], want[16];
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &want[i]);
    int len = fl_decimal_to_be_bytes(v, out);
    CHECK_MEM(out, (size_t)len, want, n);
    fl_int128 back = 0;
    CHECK(fl_decimal_from_be_bytes(out, (size_t)len, &back));
    CHECK(back == v);
}

TEST(decimal_be_bytes_minimal)
{
    check_be(0, "00");
    check_be(1, "01");
    check_be(-1, "ff");
    check_be(127, "7f");
    check_be(128, "0080");
    check_be(-128, "80");
    check_be(-129, "ff7f");
    check_be(255, "00ff");
    check_be(32767, "7fff");
    check_be(32768, "008000");
    check_be(-32768, "8000");
    check_be(12345, "3039");
    check_be(-12345, "cfc7");
    check_be(fl_pow10_i128(38) - 1, "4b3b4ca85a86c47a098a223fffffffff");
    check_be(-(fl_pow10_i128(38) - 1), "b4c4b357a5793b85f675ddc000000001");
}

TEST(decimal_be_fixed_and_from_bytes)
{
    uint8_t out[16];
    CHECK(fl_decimal_to_be_fixed(-2, out, 4));
    CHECK_MEM(out, 4, "\xff\xff\xff\xfe", 4);
    CHECK(fl_decimal_to_be_fixed(300, out, 5));
    CHECK_MEM(out, 5, "\x00\x00\x00\x01\x2c", 5);
    CHECK(!fl_decimal_to_be_fixed(300, out, 1));
    CHECK(fl_decimal_to_be_fixed(300, out, 2));
    fl_int128 v;
    CHECK(!fl_decimal_from_be_bytes(out, 0, &v));
    /* longer than 16 bytes: allowed only as pure sign extension */
    uint8_t wide[20];
    memset(wide, 0xff, sizeof wide);
    wide[19] = 0xfe;
    CHECK(fl_decimal_from_be_bytes(wide, 20, &v) && v == -2);
    memset(wide, 0, sizeof wide);
    wide[19] = 7;
    CHECK(fl_decimal_from_be_bytes(wide, 20, &v) && v == 7);
    wide[0] = 1;
    CHECK(!fl_decimal_from_be_bytes(wide, 20, &v));
    /* 0x00 padding followed by a byte with the top bit set is not sign extension
     * of a negative 16-byte value but is still positive padding */
    memset(wide, 0, sizeof wide);
    wide[4] = 0x80;
    CHECK(!fl_decimal_from_be_bytes(wide, 20, &v));
    /* FIXED_LEN_BYTE_ARRAY of 9 bytes holds a negative number */
    uint8_t nine[9] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x9c};
    CHECK(fl_decimal_from_be_bytes(nine, 9, &v) && v == -100);
}

TEST(decimal_fixed_len_rule)
{
    /* Parquet/Iceberg: minimal bytes with 2^(8n-1) >= 10^p */
    static const int want[39] = {0,  1,  1,  2,  2,  3,  3,  4,  4,  4,  5,  5,  6,
                                 6,  6,  7,  7,  8,  8,  9,  9,  9,  10, 10, 11, 11,
                                 11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
    for (int p = 1; p <= 38; p++)
        if (!CHECK_EQ(fl_decimal_fixed_len(p), want[p])) printf("  precision %d\n", p);
    CHECK(fl_decimal_fixed_len(0) < 0);
    CHECK(fl_decimal_fixed_len(39) < 0);
}
