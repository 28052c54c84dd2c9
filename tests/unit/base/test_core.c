/*
 * test_core.c: the base core modules beyond what test_arena.c covers:
 * fl_error formatting, fl_buf growth and byte helpers, type names, widths,
 * parsing and value comparison, and column validity and strings.
 */
#include "../test.h"

#include <math.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/column.h"
#include "../../../src/base/error.h"
#include "../../../src/base/type.h"

/* ---- error ---- */

TEST(error_set_prefix_detail_sqlstate)
{
    fl_error err;
    fl_error_clear(&err);
    CHECK_EQ(err.code, 0);
    CHECK_STR(err.message, "");
    CHECK_EQ(fl_error_set(&err, FLOE_ECORRUPT, "footer length %d is too small", 3), FLOE_ECORRUPT);
    CHECK_EQ(err.code, FLOE_ECORRUPT);
    CHECK_STR(err.sqlstate, "XX001");
    fl_error_prefix(&err, "could not read \"%s\": ", "x.parquet");
    CHECK_STR(err.message, "could not read \"x.parquet\": footer length 3 is too small");
    fl_error_detail(&err, "at offset %d", 7);
    CHECK_STR(err.detail, "at offset 7");
    fl_error_set(&err, FLOE_EINVAL, "again");
    CHECK_STR(err.detail, "");   /* a new error drops the old detail */
    CHECK_EQ(fl_error_set_sqlstate(&err, FLOE_ESYNTAX, "42P10", "bad %s", "thing"), FLOE_ESYNTAX);
    CHECK_STR(err.sqlstate, "42P10");
    CHECK_STR(err.message, "bad thing");
    /* NULL err: returns the code, touches nothing */
    CHECK_EQ(fl_error_set(NULL, FLOE_EIO, "ignored"), FLOE_EIO);
    fl_error_prefix(NULL, "x");
    fl_error_detail(NULL, "x");
    fl_error_clear(NULL);
}

TEST(error_long_messages_truncate)
{
    fl_error err;
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    fl_error_set(&err, FLOE_ERROR, "%s", big);
    CHECK_EQ(strlen(err.message), FL_ERROR_MSG_MAX - 1);
    fl_error_set(&err, FLOE_ERROR, "tail");
    fl_error_prefix(&err, "%s", big);   /* prefix alone overflows: still terminated */
    CHECK_EQ(strlen(err.message), FL_ERROR_MSG_MAX - 1);
    fl_error_set(&err, FLOE_ERROR, "%s", big + 1500);   /* 499 chars */
    fl_error_prefix(&err, "0123456789: ");
    CHECK_EQ(strlen(err.message), FL_ERROR_MSG_MAX - 1);
    CHECK(strncmp(err.message, "0123456789: aaa", 15) == 0);
}

TEST(error_status_names_and_sqlstates)
{
    CHECK_STR(fl_status_name(FLOE_OK), "FLOE_OK");
    CHECK_STR(fl_status_name(FLOE_ECONFLICT), "FLOE_ECONFLICT");
    CHECK_STR(fl_status_name(FLOE_ELIMIT), "FLOE_ELIMIT");
    CHECK_STR(fl_status_name(-999), "FLOE_E?");
    CHECK_STR(fl_status_sqlstate(FLOE_OK), "00000");
    CHECK_STR(fl_status_sqlstate(FLOE_ENOMEM), "53200");
    CHECK_STR(fl_status_sqlstate(FLOE_ERANGE), "22003");
    CHECK_STR(fl_status_sqlstate(-999), "XX000");
    /* every defined code has a name and a five-character SQLSTATE */
    for (int code = FLOE_OK; code >= FLOE_ELIMIT; code--) {
        CHECK(strcmp(fl_status_name(code), "FLOE_E?") != 0);
        CHECK_EQ(strlen(fl_status_sqlstate(code)), 5);
    }
}

/* ---- buf ---- */

TEST(buf_reserve_extend_detach_and_le)
{
    fl_buf b;
    fl_buf_init(&b);
    CHECK_EQ(fl_buf_reserve(&b, 100), 0);
    CHECK(b.cap >= 101);
    CHECK_EQ(b.len, 0);
    CHECK_EQ(fl_buf_append_u32le(&b, 0x04030201u), 0);
    CHECK_EQ(fl_buf_append_u64le(&b, 0x0c0b0a0908070605ull), 0);
    const unsigned char expect[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    CHECK_MEM(b.data, b.len, expect, 12);
    CHECK_EQ(fl_load_u32le(b.data), 0x04030201u);
    CHECK(fl_load_u64le(b.data + 4) == 0x0c0b0a0908070605ull);
    CHECK_EQ(fl_load_u16le(b.data + 1), 0x0302);
    char *p = fl_buf_extend(&b, 5000);
    CHECK(p != NULL);
    memset(p, 'x', 5000);
    CHECK_EQ(b.len, 5012);
    CHECK_EQ(b.data[b.len], 0);   /* still terminated */
    CHECK_EQ(fl_buf_append(&b, "", 0), 0);
    size_t len;
    char *owned = fl_buf_detach(&b, &len);
    CHECK_EQ(len, 5012);
    CHECK_EQ(owned[5011], 'x');
    fl_free(owned);
    CHECK_EQ(b.len, 0);
    CHECK_STR(fl_buf_cstr(&b), "");
    unsigned char st[8];
    fl_store_u32le(st, 0xdeadbeefu);
    fl_store_u64le(st, fl_load_u32le(st) | (uint64_t)1 << 40);
    CHECK(fl_load_u64le(st) == (0xdeadbeefull | (uint64_t)1 << 40));
    fl_buf_dispose(&b);
}

TEST(buf_out_of_memory_keeps_contents)
{
    fl_buf b;
    fl_buf_init(&b);
    CHECK_EQ(fl_buf_append_str(&b, "keep"), 0);
    fl_alloc_fail_after(0);
    char big[4096] = {0};
    int rc = fl_buf_append(&b, big, sizeof big);
    void *ext = fl_buf_extend(&b, 100000);
    int rc2 = fl_buf_appendf(&b, "%s-%0*d", "x", 9000, 1);
    fl_alloc_fail_after(-1);
    CHECK_EQ(rc, FLOE_ENOMEM);
    CHECK(ext == NULL);
    CHECK_EQ(rc2, FLOE_ENOMEM);
    CHECK_STR(fl_buf_cstr(&b), "keep");
    CHECK_EQ(fl_buf_appendf(&b, "%s-%0*d", "x", 9000, 1), 0);   /* long format grows */
    CHECK_EQ(b.len, 4 + 2 + 9000);
    fl_buf_dispose(&b);
}

/* ---- types ---- */

TEST(type_names_widths_and_format)
{
    char buf[64];
    CHECK_EQ(fl_type_width(fl_type_make(FL_TYPE_BOOL)), 1);
    CHECK_EQ(fl_type_width(fl_type_make(FL_TYPE_DATE)), 4);
    CHECK_EQ(fl_type_width(fl_type_make(FL_TYPE_TIMESTAMPTZ_NS)), 8);
    CHECK_EQ(fl_type_width(fl_type_decimal(18, 2)), 8);
    CHECK_EQ(fl_type_width(fl_type_decimal(19, 2)), 16);
    CHECK_EQ(fl_type_width(fl_type_make(FL_TYPE_STRING)), sizeof(fl_strv));
    CHECK_EQ(fl_type_width(fl_type_make(FL_TYPE_STRUCT)), 0);
    CHECK_EQ(fl_type_width(fl_type_make(FL_TYPE_NULL)), 0);
    CHECK_STR(fl_type_name(FL_TYPE_TIMESTAMPTZ), "timestamptz");
    CHECK_STR(fl_type_name((fl_type_id)200), "invalid");
    CHECK_EQ(fl_type_make(FL_TYPE_UUID).fixed_len, 16);
    CHECK_EQ(fl_type_format(fl_type_fixed(12), buf, sizeof buf), 9);
    CHECK_STR(buf, "fixed(12)");
    fl_type_format(fl_type_make(FL_TYPE_BINARY), buf, sizeof buf);
    CHECK_STR(buf, "varbinary");
    char tiny[4];
    CHECK_EQ(fl_type_format(fl_type_decimal(38, 10), tiny, sizeof tiny), 14);   /* snprintf-style */
    CHECK_STR(tiny, "dec");
    CHECK(fl_type_eq(fl_type_decimal(7, 2), fl_type_decimal(7, 2)));
    CHECK(!fl_type_eq(fl_type_decimal(7, 2), fl_type_decimal(7, 3)));
    CHECK(fl_type_is_nested(fl_type_make(FL_TYPE_MAP)));
    CHECK(fl_type_is_varlen(fl_type_make(FL_TYPE_UUID)));
}

TEST(type_parse_spellings_and_errors)
{
    fl_error err;
    fl_type t;
    struct { const char *text; fl_type_id id; } ok[] = {
        {"BIGINT", FL_TYPE_INT64}, {"long", FL_TYPE_INT64}, {"int", FL_TYPE_INT32},
        {"double precision", FL_TYPE_DOUBLE}, {"float", FL_TYPE_FLOAT}, {"bool", FL_TYPE_BOOL},
        {"timestamp(6) with time zone", FL_TYPE_TIMESTAMPTZ}, {"timestamp_ntz", FL_TYPE_TIMESTAMP},
        {"timestamp_ns", FL_TYPE_TIMESTAMP_NS}, {"character   varying(20)", FL_TYPE_STRING},
        {"bytea", FL_TYPE_BINARY}, {"UUID", FL_TYPE_UUID}, {"date", FL_TYPE_DATE},
        {"time", FL_TYPE_TIME}, {"smallint", FL_TYPE_INT16}, {"tinyint", FL_TYPE_INT8},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(ok); i++) {
        CHECK_OK(fl_type_parse(&t, ok[i].text, strlen(ok[i].text), &err), &err);
        CHECK_EQ(t.id, ok[i].id);
    }
    CHECK_OK(fl_type_parse(&t, "numeric", 7, &err), &err);
    CHECK(t.id == FL_TYPE_DECIMAL && t.precision == 38 && t.scale == 0);
    CHECK_OK(fl_type_parse(&t, "decimal( 10 , 3 )", 17, &err), &err);
    CHECK(t.precision == 10 && t.scale == 3);
    CHECK_OK(fl_type_parse(&t, "fixed(16)", 9, &err), &err);
    CHECK(t.id == FL_TYPE_FIXED && t.fixed_len == 16);
    const char *bad_syntax[] = {"", "   ", "int)", "decimal(1,2,3)", "decimal(a)", "int-8",
                                "decimal(99999999999)", "x(1"};
    for (size_t i = 0; i < FL_ARRAY_SIZE(bad_syntax); i++)
        CHECK_EQ(fl_type_parse(&t, bad_syntax[i], strlen(bad_syntax[i]), &err), FLOE_ESYNTAX);
    CHECK_EQ(fl_type_parse(&t, "decimal(5,6)", 12, &err), FLOE_EINVAL);
    CHECK_EQ(fl_type_parse(&t, "decimal(0)", 10, &err), FLOE_EINVAL);
    CHECK_EQ(fl_type_parse(&t, "fixed", 5, &err), FLOE_EINVAL);
    CHECK_EQ(fl_type_parse(&t, "fixed(0)", 8, &err), FLOE_EINVAL);
    CHECK_EQ(fl_type_parse(&t, "integer2", 8, &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "integer2") != NULL);
    /* the length bounds the input: no NUL needed */
    CHECK_OK(fl_type_parse(&t, "dateXYZ", 4, &err), &err);
    CHECK_EQ(t.id, FL_TYPE_DATE);
}

TEST(type_value_cmp)
{
    fl_value a = {0}, b = {0};
    a.type = b.type = fl_type_make(FL_TYPE_INT64);
    a.v.i64 = -5;
    b.v.i64 = 3;
    CHECK(fl_value_cmp(&a, &b) < 0 && fl_value_cmp(&b, &a) > 0 && fl_value_cmp(&a, &a) == 0);
    a.type = b.type = fl_type_make(FL_TYPE_UINT64);
    a.v.u64 = UINT64_MAX;
    b.v.u64 = 1;
    CHECK(fl_value_cmp(&a, &b) > 0);   /* unsigned, not -1 */
    a.type = b.type = fl_type_make(FL_TYPE_DOUBLE);
    a.v.f64 = NAN;
    b.v.f64 = INFINITY;
    CHECK(fl_value_cmp(&a, &b) > 0 && fl_value_cmp(&b, &a) < 0 && fl_value_cmp(&a, &a) == 0);
    a.v.f64 = -0.0;
    b.v.f64 = 0.0;
    CHECK_EQ(fl_value_cmp(&a, &b), 0);
    a.type = b.type = fl_type_decimal(30, 2);
    a.v.i128 = (fl_int128)1 << 100;
    b.v.i128 = -((fl_int128)1 << 100);
    CHECK(fl_value_cmp(&a, &b) > 0);
    a.type = b.type = fl_type_decimal(9, 2);
    a.v.i64 = -100;
    b.v.i64 = 99;
    CHECK(fl_value_cmp(&a, &b) < 0);
    a.type = b.type = fl_type_make(FL_TYPE_STRING);
    a.v.s = fl_strv_cstr("abc");
    b.v.s = fl_strv_cstr("abd");
    CHECK(fl_value_cmp(&a, &b) < 0);
    a.v.s = fl_strv_cstr("\xff");   /* bytes compare unsigned */
    CHECK(fl_value_cmp(&a, &b) > 0);
    a.type = b.type = fl_type_make(FL_TYPE_BOOL);
    a.v.b = true;
    b.v.b = false;
    CHECK(fl_value_cmp(&a, &b) > 0);
    a.type = b.type = fl_type_make(FL_TYPE_DATE);
    a.v.i64 = -1;
    b.v.i64 = 0;
    CHECK(fl_value_cmp(&a, &b) < 0);
}

/* ---- column ---- */

TEST(column_strings_validity_and_children)
{
    fl_arena *a = fl_arena_new(0);
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_STRING), 4);
    CHECK(c != NULL && c->validity == NULL && c->len == 0 && c->cap >= 4);
    char tmp[8] = "hello";
    fl_strv *vals = c->data;
    CHECK_EQ(fl_column_copy_str(c, tmp, 5, &vals[0]), 0);
    CHECK_EQ(fl_column_copy_str(c, "", 0, &vals[1]), 0);
    c->len = 2;
    memcpy(tmp, "XXXXX", 5);   /* the column holds its own copy */
    fl_value v;
    fl_column_get(c, 0, &v);
    CHECK(!v.is_null && v.v.s.len == 5 && memcmp(v.v.s.ptr, "hello", 5) == 0);
    fl_column_get(c, 1, &v);
    CHECK(!v.is_null && v.v.s.len == 0);
    CHECK_EQ(fl_column_ensure_validity(c), 0);
    CHECK(fl_column_is_valid(c, 0) && fl_column_is_valid(c, 1));
    CHECK_EQ(fl_column_set_null(c, 1), 0);
    CHECK_EQ(fl_column_null_count(c), 1);
    CHECK_EQ(vals[1].len, 0);
    fl_column_get(c, 1, &v);
    CHECK(v.is_null);

    fl_column *s = fl_column_new(a, fl_type_make(FL_TYPE_STRUCT), 2);
    CHECK(s != NULL && s->data == NULL);
    CHECK_EQ(fl_column_add_child(s, c), 0);
    CHECK_EQ(fl_column_add_child(s, fl_column_new(a, fl_type_make(FL_TYPE_INT32), 2)), 0);
    CHECK_EQ(s->child_count, 2);
    CHECK(s->children[0] == c);
    CHECK_EQ(s->children[1]->type.id, FL_TYPE_INT32);

    uint8_t bits[2] = {0, 0};
    fl_bit_set(bits, 9);
    CHECK(fl_bit_get(bits, 9) && !fl_bit_get(bits, 8) && bits[1] == 2);
    fl_bit_clear(bits, 9);
    CHECK_EQ(bits[1], 0);
    fl_arena_free(a);
}

/* Sizes from corrupt input (row counts, lengths) must fail cleanly rather
 * than wrap into a small allocation. */
TEST(core_huge_sizes_fail_without_wrapping)
{
    fl_buf b;
    fl_buf_init(&b);
    fl_buf_append_str(&b, "abc");
    CHECK_EQ(fl_buf_reserve(&b, SIZE_MAX), FLOE_ENOMEM);
    CHECK_EQ(fl_buf_reserve(&b, SIZE_MAX - 3), FLOE_ENOMEM);
    CHECK(fl_buf_extend(&b, SIZE_MAX - 2) == NULL);
    CHECK_EQ(fl_buf_append(&b, "x", SIZE_MAX), FLOE_ENOMEM);   /* fails before reading */
    CHECK_STR(fl_buf_cstr(&b), "abc");
    fl_buf_dispose(&b);

    fl_arena *a = fl_arena_new(0);
    CHECK(fl_arena_alloc(a, SIZE_MAX) == NULL);
    CHECK(fl_arena_alloc(a, SIZE_MAX - 8) == NULL);
    CHECK(fl_arena_calloc(a, SIZE_MAX / 2 + 1) == NULL);
    void *p = fl_arena_alloc(a, 16);
    CHECK(p != NULL);
    CHECK(fl_arena_realloc(a, p, 16, SIZE_MAX) == NULL);
    CHECK(fl_arena_realloc(a, p, 16, SIZE_MAX - 1) == NULL);

    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_INT64), 4);
    CHECK(c != NULL);
    CHECK_EQ(fl_column_reserve(c, SIZE_MAX / 4), FLOE_ENOMEM);
    CHECK_EQ(fl_column_reserve(c, SIZE_MAX), FLOE_ENOMEM);
    fl_column *l = fl_column_new(a, fl_type_make(FL_TYPE_LIST), 4);
    CHECK(l != NULL);
    CHECK_EQ(fl_column_reserve(l, SIZE_MAX / 8), FLOE_ENOMEM);
    CHECK_EQ(fl_column_reserve(c, 100), 0);   /* still usable */
    CHECK(c->cap >= 100);
    fl_arena_free(a);
}
