/*
 * test_vec_misc.c: fl_vec, murmur3 (Iceberg spec appendix B values), UUIDs
 * and the strict parsers and helpers in strutil.
 */
#include "../test.h"

#include <math.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/murmur3.h"
#include "../../../src/base/strutil.h"
#include "../../../src/base/uuid.h"
#include "../../../src/base/vec.h"

/* ---- vec ---- */

typedef struct {
    int32_t a;
    double b;
    char c[5];
} rec;

TEST(vec_push_at_grow_pop_detach)
{
    fl_vec v;
    fl_vec_init(&v, sizeof(rec));
    CHECK_EQ(fl_vec_len(&v), 0);
    for (int i = 0; i < 1000; i++) {
        rec r = {i, i * 0.5, "abcd"};
        CHECK_EQ(fl_vec_push(&v, &r), 0);
    }
    CHECK_EQ(fl_vec_len(&v), 1000);
    rec *r = fl_vec_at(&v, 777);
    CHECK(r->a == 777 && r->b == 388.5 && strcmp(r->c, "abcd") == 0);
    rec last;
    CHECK_EQ(fl_vec_pop(&v, &last), 0);
    CHECK_EQ(last.a, 999);
    CHECK_EQ(fl_vec_len(&v), 999);
    rec *more = fl_vec_extend(&v, 3);
    CHECK(more != NULL && more[0].a == 0 && more[2].b == 0.0);
    CHECK_EQ(fl_vec_len(&v), 1002);
    size_t cap = v.cap;
    fl_vec_reset(&v);
    CHECK_EQ(fl_vec_len(&v), 0);
    CHECK_EQ(v.cap, cap);
    CHECK_EQ(fl_vec_pop(&v, NULL), FLOE_EINVAL);
    CHECK_EQ(fl_vec_reserve(&v, 5000), 0);
    CHECK(v.cap >= 5000);
    int32_t x = 5;
    fl_vec w;
    fl_vec_init(&w, sizeof x);
    fl_vec_push(&w, &x);
    size_t n;
    int32_t *arr = fl_vec_detach(&w, &n);
    CHECK(n == 1 && arr[0] == 5 && fl_vec_len(&w) == 0);
    fl_free(arr);
    fl_vec_dispose(&w);
    fl_vec_dispose(&v);
}

TEST(vec_overflow_and_oom)
{
    fl_vec v;
    fl_vec_init(&v, 1024);
    CHECK_EQ(fl_vec_reserve(&v, SIZE_MAX / 512), FLOE_ENOMEM);
    fl_alloc_fail_after(0);
    int32_t x = 1;
    int rc = fl_vec_push(&v, &x);
    fl_alloc_fail_after(-1);
    CHECK_EQ(rc, FLOE_ENOMEM);
    CHECK_EQ(fl_vec_len(&v), 0);
    fl_vec_dispose(&v);
}

/* ---- murmur3 ---- */

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

TEST(murmur3_reference_vectors)
{
    CHECK_EQ(fl_murmur3_32("", 0, 0), 0);
    CHECK_EQ(fl_murmur3_32("", 0, 1), 0x514E28B7u);
    CHECK_EQ(fl_murmur3_32("", 0, 0xffffffffu), 0x81F16F39u);
    CHECK_EQ(fl_murmur3_32("\0\0\0\0", 4, 0), 0x2362F9DEu);
    CHECK_EQ(fl_murmur3_32("aaaa", 4, 0x9747b28cu), 0x5A97808Au);
    CHECK_EQ(fl_murmur3_32("abc", 3, 0), 0xB3DD93FAu);
    CHECK_EQ(fl_murmur3_32("Hello, world!", 13, 0x9747b28cu), 0x24884CBAu);
}

/* Iceberg spec, appendix B "32-bit Hash Requirements" (values are Java ints). */
TEST(murmur3_iceberg_bucket_values)
{
    CHECK_EQ(days_from_civil(1970, 1, 1), 0);
    CHECK_EQ(days_from_civil(2000, 3, 1), 11017);
    /* int and long: hashLong(v) = hashBytes(8 little-endian bytes) */
    CHECK_EQ((int32_t)fl_murmur3_32_i64(34, 0), 2017239379);
    /* decimal 14.20: unscaled 1420 as minimal two's-complement big-endian: 05 8c */
    const unsigned char dec[] = {0x05, 0x8c};
    CHECK_EQ((int32_t)fl_murmur3_32(dec, 2, 0), -500754589);
    /* date 2017-11-16: days from epoch, hashed as a long */
    int64_t days = days_from_civil(2017, 11, 16);
    CHECK_EQ((int32_t)fl_murmur3_32_i64(days, 0), -653330422);
    /* time 22:31:08: microseconds from midnight */
    int64_t time_us = ((22 * 60 + 31) * 60 + 8) * INT64_C(1000000);
    CHECK_EQ((int32_t)fl_murmur3_32_i64(time_us, 0), -662762989);
    /* timestamp 2017-11-16T22:31:08 (and the tz form 14:31:08-08:00 is the same instant) */
    int64_t ts = days * 86400 * INT64_C(1000000) + time_us;
    CHECK_EQ((int32_t)fl_murmur3_32_i64(ts, 0), -2047944441);
    CHECK_EQ((int32_t)fl_murmur3_32_i64(ts + 1, 0), -1207196810);
    int64_t tstz = (days * 86400 + (14 * 60 + 31) * 60 + 8 + 8 * 3600) * INT64_C(1000000);
    CHECK_EQ((int32_t)fl_murmur3_32_i64(tstz, 0), -2047944441);
    /* string */
    CHECK_EQ((int32_t)fl_murmur3_32("iceberg", 7, 0), 1210000089);
    /* uuid: the 16 big-endian bytes */
    fl_uuid u;
    fl_error err;
    CHECK_OK(fl_uuid_parse(&u, "f79c3e09-677c-4bbd-a479-3f349cb785e7", 36, &err), &err);
    const unsigned char expect_uuid[16] = {0xF7, 0x9C, 0x3E, 0x09, 0x67, 0x7C, 0x4B, 0xBD,
                                           0xA4, 0x79, 0x3F, 0x34, 0x9C, 0xB7, 0x85, 0xE7};
    CHECK_MEM(u.b, 16, expect_uuid, 16);
    CHECK_EQ((int32_t)fl_murmur3_32(u.b, 16, 0), 1488055340);
    /* fixed / binary */
    const unsigned char bin[] = {0, 1, 2, 3};
    CHECK_EQ((int32_t)fl_murmur3_32(bin, 4, 0), -188683207);
    /* not bucketable today, but specified: boolean true = hashInt(1), doubles by bits */
    CHECK_EQ((int32_t)fl_murmur3_32_i64(1, 0), 1392991556);
    double one = 1.0, zero = 0.0;
    int64_t bits;
    memcpy(&bits, &one, 8);
    CHECK_EQ((int32_t)fl_murmur3_32_i64(bits, 0), -142385009);
    memcpy(&bits, &zero, 8);
    CHECK_EQ((int32_t)fl_murmur3_32_i64(bits, 0), 1669671676);
}

/* ---- uuid ---- */

TEST(uuid_v4_parse_format)
{
    fl_error err;
    fl_uuid a, b, c;
    CHECK_OK(fl_uuid_v4(&a, &err), &err);
    CHECK_OK(fl_uuid_v4(&b, &err), &err);
    CHECK(fl_uuid_cmp(&a, &b) != 0);
    CHECK_EQ(a.b[6] >> 4, 4);
    CHECK_EQ(a.b[8] >> 6, 2);
    char text[FL_UUID_TEXT_LEN + 1];
    fl_uuid_format(&a, text);
    CHECK_EQ(strlen(text), 36);
    CHECK(text[8] == '-' && text[13] == '-' && text[14] == '4' && text[18] == '-' && text[23] == '-');
    CHECK_OK(fl_uuid_parse(&c, text, 36, &err), &err);
    CHECK_EQ(fl_uuid_cmp(&a, &c), 0);
    CHECK_OK(fl_uuid_parse(&c, "F79C3E09-677C-4BBD-A479-3F349CB785E7", 36, &err), &err);
    fl_uuid_format(&c, text);
    CHECK_STR(text, "f79c3e09-677c-4bbd-a479-3f349cb785e7");
    const char *bad[] = {"", "f79c3e09677c4bbda4793f349cb785e7", "f79c3e09-677c-4bbd-a479-3f349cb785e",
                         "f79c3e09-677c-4bbd-a479-3f349cb785e7x", "g79c3e09-677c-4bbd-a479-3f349cb785e7",
                         "f79c3e09+677c-4bbd-a479-3f349cb785e7", "f79c3e0-9677c-4bbd-a479-3f349cb785e7"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(bad); i++)
        CHECK_EQ(fl_uuid_parse(&c, bad[i], strlen(bad[i]), &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "invalid UUID") != NULL);
}

/* ---- strutil ---- */

TEST(strutil_parse_integers)
{
    fl_error err;
    int64_t v;
    int32_t w;
    uint64_t u;
    CHECK_OK(fl_parse_i64(&v, "0", 1, &err), &err);
    CHECK_EQ(v, 0);
    CHECK_OK(fl_parse_i64(&v, "-9223372036854775808", 20, &err), &err);
    CHECK(v == INT64_MIN);
    CHECK_OK(fl_parse_i64(&v, "+9223372036854775807", 20, &err), &err);
    CHECK(v == INT64_MAX);
    CHECK_EQ(fl_parse_i64(&v, "9223372036854775808", 19, &err), FLOE_ERANGE);
    CHECK_STR(err.message, "value \"9223372036854775808\" is out of range for type bigint");
    CHECK_EQ(fl_parse_i64(&v, "-9223372036854775809", 20, &err), FLOE_ERANGE);
    CHECK_EQ(fl_parse_i64(&v, "99999999999999999999999x", 24, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_i64(&v, "12x", 3, &err), FLOE_EINVAL);
    CHECK_STR(err.message, "invalid input syntax for type bigint: \"12x\"");
    CHECK_EQ(fl_parse_i64(&v, " 12", 3, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_i64(&v, "", 0, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_i64(&v, "-", 1, &err), FLOE_EINVAL);
    CHECK_OK(fl_parse_i64(&v, "123456", 3, &err), &err);   /* length bounds the input */
    CHECK_EQ(v, 123);
    CHECK_OK(fl_parse_i32(&w, "-2147483648", 11, &err), &err);
    CHECK(w == INT32_MIN);
    CHECK_EQ(fl_parse_i32(&w, "2147483648", 10, &err), FLOE_ERANGE);
    CHECK_OK(fl_parse_u64(&u, "18446744073709551615", 20, &err), &err);
    CHECK(u == UINT64_MAX);
    CHECK_EQ(fl_parse_u64(&u, "18446744073709551616", 20, &err), FLOE_ERANGE);
    CHECK_EQ(fl_parse_u64(&u, "-1", 2, &err), FLOE_EINVAL);
}

TEST(strutil_parse_double_bool_and_helpers)
{
    fl_error err;
    double d;
    CHECK_OK(fl_parse_double(&d, "1.5e-3", 6, &err), &err);
    CHECK(d == 1.5e-3);
    CHECK_OK(fl_parse_double(&d, "-.5", 3, &err), &err);
    CHECK(d == -0.5);
    CHECK_OK(fl_parse_double(&d, "Infinity", 8, &err), &err);
    CHECK(isinf(d) && d > 0);
    CHECK_OK(fl_parse_double(&d, "-inf", 4, &err), &err);
    CHECK(isinf(d) && d < 0);
    CHECK_OK(fl_parse_double(&d, "NaN", 3, &err), &err);
    CHECK(isnan(d));
    CHECK_OK(fl_parse_double(&d, "1e-400", 6, &err), &err);   /* underflow: zero */
    CHECK(d == 0.0);
    CHECK_EQ(fl_parse_double(&d, "1e400", 5, &err), FLOE_ERANGE);
    CHECK_EQ(fl_parse_double(&d, "0x10", 4, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_double(&d, "1.5 ", 4, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_double(&d, " 1.5", 4, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_double(&d, "", 0, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_double(&d, "e", 1, &err), FLOE_EINVAL);
    CHECK_EQ(fl_parse_double(&d, "1.2.3", 5, &err), FLOE_EINVAL);
    CHECK_STR(err.message, "invalid input syntax for type double precision: \"1.2.3\"");
    char longnum[300];
    memset(longnum, '0', sizeof longnum);
    longnum[0] = '1';
    longnum[1] = '.';
    CHECK_OK(fl_parse_double(&d, longnum, sizeof longnum, &err), &err);
    CHECK(d == 1.0);

    bool b;
    CHECK_OK(fl_parse_bool(&b, "TRUE", 4, &err), &err);
    CHECK(b);
    CHECK_OK(fl_parse_bool(&b, "off", 3, &err), &err);
    CHECK(!b);
    CHECK_EQ(fl_parse_bool(&b, "maybe", 5, &err), FLOE_EINVAL);

    char small[5];
    CHECK_EQ(fl_str_copy(small, sizeof small, "abcdefgh"), 8);
    CHECK_STR(small, "abcd");
    CHECK_EQ(fl_str_copy(small, sizeof small, "ab"), 2);
    CHECK_STR(small, "ab");
    CHECK(fl_str_starts_with("s3://bucket", "s3://"));
    CHECK(!fl_str_starts_with("s3", "s3://"));
    CHECK(fl_str_ends_with("x.parquet", ".parquet"));
    CHECK(!fl_str_ends_with("parquet", "x.parquet"));
    fl_strv t = fl_strv_trim(fl_strv_cstr(" \t web \r\n"));
    CHECK(t.len == 3 && memcmp(t.ptr, "web", 3) == 0);
    t = fl_strv_trim(fl_strv_cstr("   "));
    CHECK_EQ(t.len, 0);
}
