/*
 * test_scan_variant.c: variant values decoded to JSON (ice_read_variant.c):
 * hand-encoded objects, arrays and primitives per the Parquet variant
 * encoding, and malformed inputs that must fail cleanly.
 */
#include <string.h>

#include "../test.h"
#include "../../../src/base/buf.h"
#include "../../../src/iceberg/ice_read_int.h"

/* version 1, 1-byte offsets, dictionary ["age", "name"] */
static const uint8_t META[] = {0x01, 0x02, 0x00, 0x03, 0x07, 'a', 'g', 'e', 'n', 'a', 'm', 'e'};
static const uint8_t EMPTY_META[] = {0x01, 0x00, 0x00};

static bool decodes_to(const uint8_t *meta, size_t mlen, const uint8_t *v, size_t vlen, const char *want)
{
    fl_buf b;
    fl_error err;
    fl_buf_init(&b);
    bool ok = CHECK_OK(ice_read_variant_json(&b, meta, mlen, v, vlen, &err), &err) &&
              CHECK_STR(fl_buf_cstr(&b), want);
    fl_buf_dispose(&b);
    return ok;
}

TEST(scan_variant_values)
{
    /* {"age": int8 30, "name": short string "Alice"} */
    static const uint8_t obj[] = {0x02, 0x02, 0x00, 0x01, 0x00, 0x02, 0x08,
                                  0x0C, 30, 0x15, 'A', 'l', 'i', 'c', 'e'};
    decodes_to(META, sizeof(META), obj, sizeof(obj), "{\"age\":30,\"name\":\"Alice\"}");
    /* [1, "x", null] */
    static const uint8_t arr[] = {0x03, 0x03, 0x00, 0x02, 0x04, 0x05, 0x0C, 0x01, 0x05, 'x', 0x00};
    decodes_to(EMPTY_META, sizeof(EMPTY_META), arr, sizeof(arr), "[1,\"x\",null]");
    static const uint8_t dec4[] = {0x20, 0x02, 0x3A, 0x01, 0x00, 0x00};
    decodes_to(EMPTY_META, sizeof(EMPTY_META), dec4, sizeof(dec4), "3.14");
    static const uint8_t i16[] = {0x10, 0x2E, 0xFB};   /* int16 -1234 */
    decodes_to(EMPTY_META, sizeof(EMPTY_META), i16, sizeof(i16), "-1234");
    static const uint8_t date[] = {0x2C, 0x00, 0x00, 0x00, 0x00};   /* date 0 */
    decodes_to(EMPTY_META, sizeof(EMPTY_META), date, sizeof(date), "\"1970-01-01\"");
    static const uint8_t esc[] = {0x15, 'a', '\t', '"', '\\', 0x01};
    decodes_to(EMPTY_META, sizeof(EMPTY_META), esc, sizeof(esc), "\"a\\t\\\"\\\\\\u0001\"");
    static const uint8_t bin[] = {0x3C, 0x04, 0x00, 0x00, 0x00, 0x0A, 0x0B, 0x0C, 0x0D};   /* binary */
    decodes_to(EMPTY_META, sizeof(EMPTY_META), bin, sizeof(bin), "\"CgsMDQ==\"");
    static const uint8_t t[] = {0x04};
    decodes_to(EMPTY_META, sizeof(EMPTY_META), t, sizeof(t), "true");
}

TEST(scan_variant_malformed)
{
    fl_buf b;
    fl_error err;
    fl_buf_init(&b);
    static const uint8_t obj[] = {0x02, 0x02, 0x00, 0x01, 0x00, 0x02, 0x08,
                                  0x0C, 30, 0x15, 'A', 'l', 'i', 'c', 'e'};
    /* every truncation of the value fails */
    for (size_t n = 0; n < sizeof(obj); n++) {
        fl_buf_reset(&b);
        CHECK(ice_read_variant_json(&b, META, sizeof(META), obj, n, &err) < 0);
    }
    /* a field id outside the dictionary */
    uint8_t bad_id[sizeof(obj)];
    memcpy(bad_id, obj, sizeof(obj));
    bad_id[4] = 9;
    CHECK_EQ(ice_read_variant_json(&b, META, sizeof(META), bad_id, sizeof(bad_id), &err), FLOE_ECORRUPT);
    /* metadata of another version */
    static const uint8_t meta2[] = {0x02, 0x00, 0x00};
    CHECK_EQ(ice_read_variant_json(&b, meta2, sizeof(meta2), obj, sizeof(obj), &err), FLOE_ECORRUPT);
    /* random bytes never crash (run under ASan) */
    uint32_t x = 12345;
    uint8_t buf[48];
    size_t failures = 0;
    for (int iter = 0; iter < 20000; iter++) {
        for (size_t i = 0; i < sizeof(buf); i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (uint8_t)(x >> 16);
        }
        fl_buf_reset(&b);
        failures += ice_read_variant_json(&b, META, sizeof(META), buf, (size_t)(x % sizeof(buf)), &err) < 0;
    }
    CHECK(failures > 0);
    fl_buf_dispose(&b);
}

TEST(scan_variant_overlapping_elements_are_bounded)
{
    /* 40 nested arrays of 10 elements that all start at the same bytes
     * (the next array): 10^40 elements if followed naively */
    uint8_t v[40 * 13 + 1];
    size_t at = 0;
    for (int level = 0; level < 40; level++) {
        v[at++] = 0x03;          /* array, 1-byte offsets */
        v[at++] = 10;
        for (int i = 0; i <= 10; i++) v[at++] = 0;
    }
    v[at++] = 0x00;              /* the innermost value: null */
    fl_buf b;
    fl_error err;
    fl_buf_init(&b);
    CHECK_EQ(ice_read_variant_json(&b, EMPTY_META, sizeof(EMPTY_META), v, at, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "expand") != NULL);
    /* two levels are fine: 10 x 10 nulls */
    fl_buf_reset(&b);
    uint8_t small[2 * 13 + 1];
    at = 0;
    for (int level = 0; level < 2; level++) {
        small[at++] = 0x03;
        small[at++] = 10;
        for (int i = 0; i <= 10; i++) small[at++] = 0;
    }
    small[at++] = 0x00;
    CHECK_OK(ice_read_variant_json(&b, EMPTY_META, sizeof(EMPTY_META), small, at, &err), &err);
    CHECK(b.len > 200);
    fl_buf_dispose(&b);
}
