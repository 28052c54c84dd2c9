/*
 * test_arena.c: the arena allocator, buffers and columns.
 */
#include "../test.h"

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/column.h"

static int callback_runs;
static void count_callback(void *arg) { callback_runs += *(int *)arg; }

TEST(arena_alloc_aligned_and_distinct)
{
    fl_arena *a = fl_arena_new(256);
    CHECK(a != NULL);
    char *p = fl_arena_alloc(a, 3), *q = fl_arena_alloc(a, 5);
    CHECK(((uintptr_t)p & 15) == 0);
    CHECK(((uintptr_t)q & 15) == 0);
    CHECK(p != q);
    void *big = fl_arena_alloc(a, 10000);   /* oversized: own block */
    CHECK(big != NULL);
    memset(big, 1, 10000);
    char *r = fl_arena_alloc(a, 8);         /* still served from the first block */
    CHECK(r == q + 16);
    fl_arena_free(a);
}

TEST(arena_realloc_grows_tail_in_place)
{
    fl_arena *a = fl_arena_new(1024);
    char *p = fl_arena_alloc(a, 16);
    memcpy(p, "0123456789abcdef", 16);
    char *p2 = fl_arena_realloc(a, p, 16, 64);
    CHECK(p2 == p);
    char *other = fl_arena_alloc(a, 16);
    char *p3 = fl_arena_realloc(a, p2, 64, 128);   /* no longer the tail: moves */
    CHECK(p3 != p2 && p3 != other);
    CHECK(memcmp(p3, "0123456789abcdef", 16) == 0);
    fl_arena_free(a);
}

TEST(arena_reset_runs_callbacks_and_frees_children)
{
    fl_arena *a = fl_arena_new(0);
    fl_arena *child = fl_arena_new_child(a, 0);
    int one = 1, ten = 10;
    callback_runs = 0;
    CHECK_EQ(fl_arena_on_reset(a, count_callback, &one), 0);
    CHECK_EQ(fl_arena_on_reset(child, count_callback, &ten), 0);
    fl_arena_alloc(child, 100);
    fl_arena_alloc(a, 100);
    CHECK(fl_arena_used(a) >= 100);
    fl_arena_reset(a);
    CHECK_EQ(callback_runs, 11);
    CHECK_EQ(fl_arena_used(a), 0);
    CHECK(fl_arena_alloc(a, 10) != NULL);
    fl_arena_free(a);
    CHECK_EQ(callback_runs, 11);
}

TEST(arena_child_freed_alone_unlinks)
{
    fl_arena *a = fl_arena_new(0);
    fl_arena *c1 = fl_arena_new_child(a, 0);
    fl_arena *c2 = fl_arena_new_child(a, 0);
    fl_arena_free(c1);
    CHECK(fl_arena_alloc(c2, 10) != NULL);
    fl_arena_free(a);   /* frees c2; must not touch c1 (ASan would tell) */
}

TEST(alloc_fail_after_returns_null)
{
    fl_alloc_fail_after(1);
    void *p = fl_malloc(10);
    void *q = fl_malloc(10);
    fl_alloc_fail_after(-1);
    CHECK(p != NULL);
    CHECK(q == NULL);
    fl_free(p);
    fl_arena *a;
    fl_alloc_fail_after(0);
    a = fl_arena_new(0);
    fl_alloc_fail_after(-1);
    CHECK(a == NULL);
}

TEST(buf_append_and_format)
{
    fl_buf b;
    fl_buf_init(&b);
    CHECK_STR(fl_buf_cstr(&b), "");
    CHECK_EQ(fl_buf_append_str(&b, "abc"), 0);
    CHECK_EQ(fl_buf_appendf(&b, "-%d-%s", 42, "x"), 0);
    CHECK_STR(fl_buf_cstr(&b), "abc-42-x");
    for (int i = 0; i < 1000; i++) fl_buf_append_byte(&b, 'z');
    CHECK_EQ(b.len, 1008);
    fl_buf_reset(&b);
    CHECK_EQ(b.len, 0);
    CHECK_STR(fl_buf_cstr(&b), "");
    fl_buf_dispose(&b);
}

TEST(strv_compare)
{
    CHECK(fl_strv_cmp(fl_strv_cstr("ab"), fl_strv_cstr("abc")) < 0);
    CHECK(fl_strv_cmp(fl_strv_cstr("b"), fl_strv_cstr("abc")) > 0);
    CHECK(fl_strv_cmp(fl_strv_cstr(""), fl_strv_cstr("")) == 0);
    CHECK(fl_strv_ieq(fl_strv_cstr("WeB_SaLeS"), fl_strv_cstr("web_sales")));
}

TEST(column_grow_nulls_and_get)
{
    fl_arena *a = fl_arena_new(0);
    fl_column *c = fl_column_new(a, fl_type_make(FL_TYPE_INT32), 2);
    for (int i = 0; i < 100; i++) {
        CHECK_EQ(fl_column_reserve(c, (size_t)i + 1), 0);
        ((int32_t *)c->data)[i] = i * 3;
        c->len = (size_t)i + 1;
    }
    CHECK_EQ(fl_column_null_count(c), 0);
    CHECK_EQ(fl_column_set_null(c, 7), 0);
    CHECK_EQ(fl_column_set_null(c, 99), 0);
    CHECK_EQ(fl_column_null_count(c), 2);
    fl_value v;
    fl_column_get(c, 7, &v);
    CHECK(v.is_null);
    fl_column_get(c, 8, &v);
    CHECK(!v.is_null && v.v.i64 == 24);
    CHECK_EQ(fl_column_reserve(c, 1000), 0);   /* validity grows, new rows valid */
    CHECK(fl_column_is_valid(c, 500));
    CHECK(!fl_column_is_valid(c, 99));
    fl_arena_free(a);
}

TEST(type_parse_and_format)
{
    fl_type t;
    fl_error err;
    char buf[64];
    CHECK_OK(fl_type_parse(&t, "decimal(7,2)", 12, &err), &err);
    CHECK(t.id == FL_TYPE_DECIMAL && t.precision == 7 && t.scale == 2);
    fl_type_format(t, buf, sizeof buf);
    CHECK_STR(buf, "decimal(7,2)");
    CHECK_OK(fl_type_parse(&t, " VARCHAR(16) ", 13, &err), &err);
    CHECK(t.id == FL_TYPE_STRING);
    CHECK_OK(fl_type_parse(&t, "timestamp with time zone", 24, &err), &err);
    CHECK(t.id == FL_TYPE_TIMESTAMPTZ);
    CHECK_OK(fl_type_parse(&t, "char(1)", 7, &err), &err);
    CHECK(t.id == FL_TYPE_STRING);
    CHECK_EQ(fl_type_parse(&t, "decimal(39,2)", 13, &err), FLOE_EINVAL);
    CHECK_EQ(fl_type_parse(&t, "blorp", 5, &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "blorp") != NULL);
    CHECK_EQ(fl_type_parse(&t, "int(", 4, &err), FLOE_ESYNTAX);
}
