/*
 * fuzz_values.c: libFuzzer target for the text parsers on the CSV hot path:
 * decimals, dates, times, timestamps and fl_value_parse_text for every scalar
 * type. Besides "no crash, no out-of-bounds read", it checks round trips:
 * whatever parses must format to text that parses back to the same value.
 * The first input byte picks the decimal precision and scale.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/decimal.h"
#include "../src/base/time.h"
#include "../src/base/value_text.h"

static void check(int ok)
{
    if (!ok) abort();
}

static void fuzz_decimal(const char *s, size_t len, int precision, int scale)
{
    fl_int128 v;
    if (fl_decimal_parse(s, len, precision, scale, &v, NULL) != 0) return;
    check(fl_decimal_fits(v, precision));
    char buf[64];
    int n = fl_decimal_format(v, scale, buf);
    fl_int128 back;
    check(fl_decimal_parse(buf, (size_t)n, precision, scale, &back, NULL) == 0 && back == v);
    uint8_t be[16];
    int blen = fl_decimal_to_be_bytes(v, be);
    check(blen >= 1 && blen <= fl_decimal_fixed_len(precision));
    check(fl_decimal_from_be_bytes(be, (size_t)blen, &back) && back == v);
}

static void fuzz_temporal(const char *s, size_t len)
{
    char buf[64];
    int32_t d, d2;
    if (fl_date_parse(s, len, &d)) {
        int n = fl_date_format(d, buf);
        check(fl_date_parse(buf, (size_t)n, &d2) && d2 == d);
    }
    int64_t t, t2;
    if (fl_time_parse(s, len, &t)) {
        check(t >= 0 && t <= FL_MICROS_PER_DAY);
        int n = fl_time_format(t, buf);
        check(fl_time_parse(buf, (size_t)n, &t2) && t2 == t);
    }
    bool zone;
    if (fl_timestamp_parse(s, len, &t, &zone)) {
        int n = fl_timestamp_format(t, FL_TZ_NONE, buf);
        check(fl_timestamp_parse(buf, (size_t)n, &t2, &zone) && t2 == t && !zone);
    }
    if (fl_timestamp_ns_parse(s, len, &t, &zone)) {
        int n = fl_timestamp_ns_format(t, 0, buf);
        check(fl_timestamp_ns_parse(buf, (size_t)n, &t2, &zone) && t2 == t && zone);
    }
}

static void fuzz_values(const char *s, size_t len)
{
    fl_buf out;
    fl_buf_init(&out);
    uint8_t scratch[16];
    for (int id = FL_TYPE_BOOL; id <= FL_TYPE_UUID; id++) {
        fl_type type = id == FL_TYPE_DECIMAL ? fl_type_decimal(20, 3)
                       : id == FL_TYPE_FIXED ? fl_type_fixed(4)
                                             : fl_type_make((fl_type_id)id);
        fl_value v;
        if (fl_value_parse_text(&v, type, s, len, scratch, NULL) != 0) continue;
        for (int f = 0; f < 2; f++) {
            fl_text_style st = fl_text_style_make(f ? FL_TEXT_JSON : FL_TEXT_DUCKDB, 0);
            fl_buf_reset(&out);
            check(fl_value_render(&out, &v, &st) == 0);
        }
    }
    fl_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    int precision = 1 + data[0] % 38;
    int scale = (data[0] / 38) % (precision + 1);
    /* a private copy so reads past the end are caught */
    char *s = malloc(size - 1 ? size - 1 : 1);
    if (!s) return 0;
    memcpy(s, data + 1, size - 1);
    fuzz_decimal(s, size - 1, precision, scale);
    fuzz_temporal(s, size - 1);
    fuzz_values(s, size - 1);
    free(s);
    return 0;
}
