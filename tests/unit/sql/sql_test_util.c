/*
 * sql_test_util.c: helpers shared by the SQL parser's unit tests (see
 * sql_test_util.h).
 */
#include "sql_test_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/alloc.h"

static fl_buf result;

static const char *finish(fl_arena *arena)
{
    fl_arena_free(arena);
    return fl_buf_cstr(&result);
}

const char *sqlt_print(const char *sql)
{
    fl_buf_reset(&result);
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_stmt *stmt;
    if (sql_parse_statement(&stmt, sql, strlen(sql), arena, &err) < 0) {
        fl_buf_appendf(&result, "error: %s", err.message);
        return finish(arena);
    }
    sql_ast_print_stmt(&result, stmt);
    return finish(arena);
}

const char *sqlt_print_script(const char *sql)
{
    fl_buf_reset(&result);
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_script script;
    if (sql_parse(&script, sql, strlen(sql), arena, &err) < 0) {
        fl_buf_appendf(&result, "error: %s", err.message);
        return finish(arena);
    }
    for (uint32_t i = 0; i < script.count; i++) {
        if (i) fl_buf_append_str(&result, "\n");
        sql_ast_print_stmt(&result, script.stmts[i]);
    }
    return finish(arena);
}

int sqlt_parse_error(const char *sql, size_t len, fl_error *err)
{
    fl_arena *arena = fl_arena_new(0);
    sql_script script;
    int rc = sql_parse(&script, sql, len, arena, err);
    fl_arena_free(arena);
    return rc;
}

char *sqlt_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fl_buf b;
    fl_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (fl_buf_append(&b, chunk, n) < 0) {
            fclose(f);
            fl_buf_dispose(&b);
            return NULL;
        }
    }
    fclose(f);
    if (fl_buf_append_byte(&b, 0) < 0) {
        fl_buf_dispose(&b);
        return NULL;
    }
    size_t total;
    char *data = fl_buf_detach(&b, &total);
    *len = total - 1;
    return data;
}
