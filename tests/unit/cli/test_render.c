/*
 * test_render.c: the CLI's CSV and JSON rendering of column rows
 * (src/cli/render.c): NULL versus empty strings, quoting, nested values.
 */
#include "../test.h"

#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/column.h"
#include "../../../src/cli/render.h"

static fl_column *strings(fl_arena *arena, const char *const *values, size_t n)
{
    fl_column *c = fl_column_new(arena, fl_type_make(FL_TYPE_STRING), n);
    for (size_t i = 0; i < n; i++) {
        if (!values[i]) {
            fl_column_set_null(c, i);
            continue;
        }
        fl_column_copy_str(c, values[i], strlen(values[i]), &((fl_strv *)c->data)[i]);
    }
    c->len = n;
    return c;
}

TEST(render_csv_null_empty_and_quoting)
{
    fl_arena *arena = fl_arena_new(0);
    const char *values[] = {"plain", "", NULL, "a,b", "say \"hi\"", "two\nlines"};
    fl_column *c = strings(arena, values, 6);
    const char *want[] = {"plain", "\"\"", "", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\""};
    fl_buf out, scratch;
    fl_buf_init(&out);
    fl_buf_init(&scratch);
    for (size_t i = 0; i < 6; i++) {
        fl_buf_reset(&out);
        CHECK_EQ(render_csv_field(&out, &scratch, c, i, ','), 0);
        CHECK_STR(fl_buf_cstr(&out), want[i]);
    }
    /* with '|' as the delimiter a comma needs no quotes */
    fl_buf_reset(&out);
    render_csv_field(&out, &scratch, c, 3, '|');
    CHECK_STR(fl_buf_cstr(&out), "a,b");
    fl_buf_dispose(&out);
    fl_buf_dispose(&scratch);
    fl_arena_free(arena);
}

TEST(render_csv_and_json_scalars)
{
    fl_arena *arena = fl_arena_new(0);
    fl_column *d = fl_column_new(arena, fl_type_decimal(7, 2), 2);
    ((int64_t *)d->data)[0] = -12345;
    fl_column_set_null(d, 1);
    d->len = 2;
    fl_buf out, scratch;
    fl_buf_init(&out);
    fl_buf_init(&scratch);
    render_csv_field(&out, &scratch, d, 0, ',');
    CHECK_STR(fl_buf_cstr(&out), "-123.45");
    fl_buf_reset(&out);
    render_json_value(&out, d, 0);
    fl_buf_append_byte(&out, ' ');
    render_json_value(&out, d, 1);
    CHECK_STR(fl_buf_cstr(&out), "-123.45 null");
    fl_buf_reset(&out);
    CHECK_EQ(render_json_string(&out, "q\"\\\n", 4), 0);
    CHECK_STR(fl_buf_cstr(&out), "\"q\\\"\\\\\\n\"");
    fl_buf_dispose(&out);
    fl_buf_dispose(&scratch);
    fl_arena_free(arena);
}

TEST(render_nested_list_json_and_csv)
{
    fl_arena *arena = fl_arena_new(0);
    fl_column *l = fl_column_new(arena, fl_type_make(FL_TYPE_LIST), 2);
    fl_column *e = fl_column_new(arena, fl_type_make(FL_TYPE_INT32), 3);
    fl_column_add_child(l, e);
    ((int32_t *)e->data)[0] = 1;
    fl_column_set_null(e, 1);
    ((int32_t *)e->data)[2] = 3;
    e->len = 3;
    l->offsets[0] = 0;
    l->offsets[1] = 3;
    l->offsets[2] = 3;
    l->len = 2;
    fl_buf out, scratch;
    fl_buf_init(&out);
    fl_buf_init(&scratch);
    render_json_value(&out, l, 0);
    CHECK_STR(fl_buf_cstr(&out), "[1,null,3]");
    fl_buf_reset(&out);
    render_json_value(&out, l, 1);
    CHECK_STR(fl_buf_cstr(&out), "[]");
    fl_buf_reset(&out);
    render_csv_field(&out, &scratch, l, 0, ',');
    CHECK_STR(fl_buf_cstr(&out), "\"[1, NULL, 3]\"");
    fl_buf_dispose(&out);
    fl_buf_dispose(&scratch);
    fl_arena_free(arena);
}
