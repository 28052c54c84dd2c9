/*
 * fuzz_sql_parse.c: libFuzzer target for the SQL lexer and parser
 * (src/sql/parse).
 *
 * The input is SQL text, parsed as a script and as a single expression.
 * Besides "no crash, no out-of-bounds read, no stack overflow" (nesting is
 * capped by SQL_MAX_DEPTH / SQL_MAX_HEIGHT), the target checks that:
 *  - a failure is a syntax error (42601), a nesting limit (54001) or a
 *    length limit, and its message names a line and column;
 *  - a success prints (every statement) deterministically: parsing the same
 *    text again gives the same printout;
 *  - statement spans lie inside the text and do not overlap.
 * Good seeds: the TPC-DS queries and schema files under tpcds/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/base/buf.h"
#include "../src/sql/parse/sql_parser.h"

static void check(int ok)
{
    if (!ok) abort();
}

static int print_script(const char *text, size_t len, fl_buf *out, fl_error *err)
{
    fl_arena *arena = fl_arena_new(0);
    check(arena != NULL);
    sql_script s;
    int rc = sql_parse(&s, text, len, arena, err);
    if (rc == 0) {
        uint32_t prev_end = 0;
        for (uint32_t i = 0; i < s.count; i++) {
            const sql_stmt *st = s.stmts[i];
            check(st->loc >= prev_end && st->loc < st->end && st->end <= len);
            prev_end = st->end;
            check(sql_ast_print_stmt(out, st) == 0);
            check(fl_buf_append_byte(out, '\n') == 0);
        }
    }
    fl_arena_free(arena);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    fl_error err;
    fl_buf first, second;
    fl_buf_init(&first);
    fl_buf_init(&second);
    int rc = print_script(text, size, &first, &err);
    if (rc < 0) {
        check(rc == FLOE_ESYNTAX || rc == FLOE_ELIMIT);
        check(strcmp(err.sqlstate, "42601") == 0 || strcmp(err.sqlstate, "54001") == 0 ||
              strcmp(err.sqlstate, "54000") == 0);
        check(strstr(err.message, "(line ") != NULL || rc == FLOE_ELIMIT);
    } else {
        fl_error err2;
        check(print_script(text, size, &second, &err2) == 0);
        check(first.len == second.len && memcmp(fl_buf_cstr(&first), fl_buf_cstr(&second), first.len) == 0);
    }
    fl_buf_dispose(&first);
    fl_buf_dispose(&second);

    fl_arena *arena = fl_arena_new(0);
    check(arena != NULL);
    sql_expr *e;
    if (sql_parse_expression(&e, text, size, arena, &err) == 0) {
        fl_buf b;
        fl_buf_init(&b);
        check(sql_ast_print_expr(&b, e) == 0);
        fl_buf_dispose(&b);
    }
    fl_arena_free(arena);
    return 0;
}
