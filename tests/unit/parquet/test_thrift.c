/*
 * test_thrift.c: the Thrift compact protocol reader and writer (thrift.c):
 * every value type round-trips, field headers in short and long form, list
 * headers in short and long form, skipping of every type (maps and sets
 * included), and the defences: sticky failure, depth limit, counts and
 * lengths checked against the remaining bytes.
 */
#include "../test.h"

#include <float.h>

#include "../../../src/base/buf.h"
#include "../../../src/base/error.h"
#include "../../../src/format/parquet/thrift.h"

TEST(thrift_roundtrip_scalars)
{
    fl_buf b;
    fl_buf_init(&b);
    thrift_out o;
    thrift_out_init(&o, &b);
    thrift_write_root_begin(&o);
    thrift_write_i32_field(&o, 1, -1);
    thrift_write_i64_field(&o, 2, INT64_MIN);
    thrift_write_i8_field(&o, 3, -128);
    thrift_write_i16_field(&o, 4, INT16_MAX);
    thrift_write_bool_field(&o, 5, true);
    thrift_write_bool_field(&o, 6, false);
    thrift_write_string_field(&o, 7, "hello");
    thrift_write_double_field(&o, 8, -DBL_MAX);
    thrift_write_i32_field(&o, 40, INT32_MAX);    /* delta > 15: long form */
    thrift_write_i32_field(&o, 20, INT32_MIN);    /* decreasing id: long form */
    thrift_write_i64_field(&o, 21, INT64_MAX);    /* back to short form */
    thrift_write_binary_field(&o, 22, "", 0);
    thrift_write_struct_end(&o);
    CHECK(!o.failed);
    CHECK_EQ(o.depth, 0);

    thrift_in in;
    thrift_in_init(&in, (const uint8_t *)b.data, b.len);
    CHECK(thrift_struct_begin(&in));
    int16_t id;
    uint8_t t;
    int seen = 0;
    while (thrift_next_field(&in, &id, &t)) {
        seen++;
        switch (id) {
        case 1: CHECK_EQ(t, THRIFT_I32); CHECK_EQ(thrift_read_i32(&in), -1); break;
        case 2: CHECK_EQ(t, THRIFT_I64); CHECK(thrift_read_i64(&in) == INT64_MIN); break;
        case 3: CHECK_EQ(t, THRIFT_I8); CHECK_EQ(thrift_read_i8(&in), -128); break;
        case 4: CHECK_EQ(t, THRIFT_I16); CHECK_EQ(thrift_read_i16(&in), INT16_MAX); break;
        case 5: CHECK_EQ(t, THRIFT_TRUE); CHECK(thrift_read_bool(&in, t)); break;
        case 6: CHECK_EQ(t, THRIFT_FALSE); CHECK(!thrift_read_bool(&in, t)); break;
        case 7: {
            fl_strv s = thrift_read_binary(&in);
            CHECK_MEM(s.ptr, s.len, "hello", 5);
            break;
        }
        case 8: CHECK(thrift_read_double(&in) == -DBL_MAX); break;
        case 40: CHECK_EQ(thrift_read_i32(&in), INT32_MAX); break;
        case 20: CHECK_EQ(thrift_read_i32(&in), INT32_MIN); break;
        case 21: CHECK(thrift_read_i64(&in) == INT64_MAX); break;
        case 22: CHECK_EQ(thrift_read_binary(&in).len, 0); break;
        default: CHECK(!"unexpected field id"); thrift_skip(&in, t); break;
        }
    }
    thrift_struct_end(&in);
    CHECK(!in.failed);
    CHECK_EQ(seen, 12);
    CHECK_EQ(thrift_consumed(&in), b.len);
    fl_buf_dispose(&b);
}

TEST(thrift_field_header_bytes)
{
    /* field 1 i32 value 3 -> 0x15 0x06; field 17 (delta 16) -> 0x05 0x22 0x06 */
    fl_buf b;
    fl_buf_init(&b);
    thrift_out o;
    thrift_out_init(&o, &b);
    thrift_write_root_begin(&o);
    thrift_write_i32_field(&o, 1, 3);
    thrift_write_i32_field(&o, 17, 3);
    thrift_write_bool_field(&o, 18, true);
    thrift_write_struct_end(&o);
    const uint8_t want[] = {0x15, 0x06, 0x05, 0x22, 0x06, 0x11, 0x00};
    CHECK_MEM(b.data, b.len, want, sizeof want);
    fl_buf_dispose(&b);
}

static void write_list_of(fl_buf *b, uint32_t count)
{
    thrift_out o;
    thrift_out_init(&o, b);
    thrift_write_root_begin(&o);
    thrift_write_list_begin(&o, 1, THRIFT_I64, count);
    for (uint32_t i = 0; i < count; i++) thrift_write_i64(&o, (int64_t)i * -1000003);
    thrift_write_list_begin(&o, 2, THRIFT_STRUCT, count);
    for (uint32_t i = 0; i < count; i++) {
        thrift_write_elem_struct_begin(&o);
        thrift_write_i32_field(&o, 1, (int32_t)i);
        thrift_write_struct_end(&o);
    }
    thrift_write_i32_field(&o, 3, 77);
    thrift_write_struct_end(&o);
}

TEST(thrift_lists_short_and_long)
{
    const uint32_t counts[] = {0, 1, 14, 15, 16, 300};
    for (size_t c = 0; c < FL_ARRAY_SIZE(counts); c++) {
        fl_buf b;
        fl_buf_init(&b);
        write_list_of(&b, counts[c]);
        thrift_in in;
        thrift_in_init(&in, (const uint8_t *)b.data, b.len);
        thrift_struct_begin(&in);
        int16_t id;
        uint8_t t, et;
        uint32_t n;
        CHECK(thrift_next_field(&in, &id, &t) && id == 1 && t == THRIFT_LIST);
        CHECK(thrift_read_list(&in, &et, &n));
        CHECK_EQ(n, counts[c]);
        CHECK_EQ(et, THRIFT_I64);
        for (uint32_t i = 0; i < n; i++) CHECK_EQ(thrift_read_i64(&in), (int64_t)i * -1000003);
        /* skip the struct list, then read the trailing field */
        CHECK(thrift_next_field(&in, &id, &t) && id == 2);
        thrift_skip(&in, t);
        CHECK(thrift_next_field(&in, &id, &t) && id == 3);
        CHECK_EQ(thrift_read_i32(&in), 77);
        CHECK(!thrift_next_field(&in, &id, &t));
        CHECK(!in.failed);
        CHECK_EQ(thrift_consumed(&in), b.len);
        fl_buf_dispose(&b);
    }
}

TEST(thrift_skip_every_type)
{
    /* root { 1: map<i32,binary>{1:"a",2:"bc"}, 2: set<bool>{true,false},
     *        3: struct { 1: list<list<double>> [[1.0]], 2: i8 5, 3: bool true,
     *                    4: i16 -2, 5: map{} }, 4: i32 42 } */
    const uint8_t msg[] = {
        0x1b, 0x02, 0x58, 0x02, 0x01, 'a', 0x04, 0x02, 'b', 'c',   /* field 1 map */
        0x1a, 0x21, 0x01, 0x02,                                     /* field 2 set<bool> */
        0x1c,                                                       /* field 3 struct */
        0x19, 0x19, 0x17, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,            /* list<list<double>> */
        0x13, 0x05, 0x11, 0x14, 0x03, 0x1b, 0x00, 0x00,             /* i8, bool, i16, map{} */
        0x15, 0x54,                                                 /* field 4 i32 42 */
        0x00};
    thrift_in in;
    thrift_in_init(&in, msg, sizeof msg);
    thrift_struct_begin(&in);
    int16_t id;
    uint8_t t;
    int skipped = 0;
    while (thrift_next_field(&in, &id, &t)) {
        if (id == 4) {
            CHECK_EQ(thrift_read_i32(&in), 42);
        } else {
            thrift_skip(&in, t);
            skipped++;
        }
    }
    CHECK(!in.failed);
    CHECK_EQ(skipped, 3);
    CHECK_EQ(thrift_consumed(&in), sizeof msg);
}

TEST(thrift_sticky_failure_and_truncation)
{
    const uint8_t msg[] = {0x18, 0x0a, 'a', 'b'};   /* binary of length 5 with 2 bytes */
    thrift_in in;
    thrift_in_init(&in, msg, sizeof msg);
    thrift_struct_begin(&in);
    int16_t id;
    uint8_t t;
    CHECK(thrift_next_field(&in, &id, &t));
    fl_strv s = thrift_read_binary(&in);
    CHECK(in.failed);
    CHECK_EQ(s.len, 0);
    CHECK(in.why != NULL);
    const char *why = in.why;
    CHECK_EQ(thrift_read_i32(&in), 0);   /* sticky: later reads are inert */
    CHECK(!thrift_next_field(&in, &id, &t));
    CHECK(in.why == why);                /* the first reason is kept */

    /* unterminated varint */
    const uint8_t v[] = {0x15, 0x80, 0x80};
    thrift_in_init(&in, v, sizeof v);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    (void)thrift_read_i32(&in);
    CHECK(in.failed);

    /* i32 value beyond 32 bits */
    const uint8_t big[] = {0x15, 0xff, 0xff, 0xff, 0xff, 0x7f};
    thrift_in_init(&in, big, sizeof big);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    (void)thrift_read_i32(&in);
    CHECK(in.failed);

    /* a double needs 8 bytes */
    const uint8_t dbl[] = {0x17, 1, 2, 3};
    thrift_in_init(&in, dbl, sizeof dbl);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    (void)thrift_read_double(&in);
    CHECK(in.failed);

    /* invalid type nibble 13 */
    const uint8_t bad[] = {0x1d, 0x00};
    thrift_in_init(&in, bad, sizeof bad);
    thrift_struct_begin(&in);
    CHECK(!thrift_next_field(&in, &id, &t));
    CHECK(in.failed);
}

TEST(thrift_list_count_checked)
{
    /* list<i32> claiming 1,000,000 elements in 3 bytes */
    const uint8_t msg[] = {0x19, 0xf5, 0xc0, 0x84, 0x3d, 0x02, 0x02, 0x02};
    thrift_in in;
    thrift_in_init(&in, msg, sizeof msg);
    thrift_struct_begin(&in);
    int16_t id;
    uint8_t t, et;
    uint32_t n;
    CHECK(thrift_next_field(&in, &id, &t));
    CHECK(!thrift_read_list(&in, &et, &n));
    CHECK(in.failed);
    CHECK_EQ(n, 0);

    /* the same through skip */
    thrift_in_init(&in, msg, sizeof msg);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    thrift_skip(&in, t);
    CHECK(in.failed);

    /* list<double> of 2 needs 16 bytes */
    const uint8_t dbl[] = {0x19, 0x27, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    thrift_in_init(&in, dbl, sizeof dbl);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    CHECK(!thrift_read_list(&in, &et, &n));

    /* map with a huge count */
    const uint8_t map[] = {0x1b, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x55, 0x00};
    thrift_in_init(&in, map, sizeof map);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    thrift_skip(&in, t);
    CHECK(in.failed);
}

TEST(thrift_depth_limit)
{
    /* 200 nested struct fields, each "field 1 struct" = 0x1c */
    uint8_t msg[410];
    size_t n = 0;
    for (int i = 0; i < 200; i++) msg[n++] = 0x1c;
    for (int i = 0; i < 201; i++) msg[n++] = 0x00;
    thrift_in in;
    thrift_in_init(&in, msg, n);
    thrift_struct_begin(&in);
    int16_t id;
    uint8_t t;
    CHECK(thrift_next_field(&in, &id, &t));
    thrift_skip(&in, t);
    CHECK(in.failed);
    CHECK(in.why != NULL && strstr(in.why, "deep") != NULL);

    /* nested lists count against the same limit */
    n = 0;
    msg[n++] = 0x19;
    for (int i = 0; i < 200; i++) msg[n++] = 0x19;   /* list of 1 list ... */
    msg[n++] = 0x00;
    thrift_in_init(&in, msg, n);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    thrift_skip(&in, t);
    CHECK(in.failed);

    /* depth 60 is fine */
    n = 0;
    for (int i = 0; i < 60; i++) msg[n++] = 0x1c;
    for (int i = 0; i < 61; i++) msg[n++] = 0x00;
    thrift_in_init(&in, msg, n);
    thrift_struct_begin(&in);
    CHECK(thrift_next_field(&in, &id, &t));
    thrift_skip(&in, t);
    CHECK(!thrift_next_field(&in, &id, &t));
    CHECK(!in.failed);
    CHECK_EQ(thrift_consumed(&in), n);

    /* the writer refuses to nest beyond the limit */
    fl_buf b;
    fl_buf_init(&b);
    thrift_out o;
    thrift_out_init(&o, &b);
    thrift_write_root_begin(&o);
    for (int i = 0; i < THRIFT_MAX_DEPTH + 1; i++) thrift_write_struct_begin(&o, 1);
    CHECK(o.failed);
    fl_buf_dispose(&b);
}

TEST(thrift_list_bools)
{
    const uint8_t msg[] = {0x19, 0x31, 0x01, 0x02, 0x00, 0x00};
    thrift_in in;
    thrift_in_init(&in, msg, sizeof msg);
    thrift_struct_begin(&in);
    int16_t id;
    uint8_t t, et;
    uint32_t n;
    CHECK(thrift_next_field(&in, &id, &t));
    CHECK(thrift_read_list(&in, &et, &n));
    CHECK_EQ(n, 3);
    CHECK(thrift_read_bool(&in, 0));
    CHECK(!thrift_read_bool(&in, 0));
    CHECK(!thrift_read_bool(&in, 0));
    CHECK(!thrift_next_field(&in, &id, &t));
    CHECK(!in.failed);
}
