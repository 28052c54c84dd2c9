/*
 * test_sql_errors.c: the SQL parser's errors. Syntax errors carry SQLSTATE
 * 42601, the line and column of the offending token (in characters) and a
 * caret detail; malformed tokens (unterminated strings, identifiers and
 * comments) are errors; pathological nesting gives a clean "too deeply
 * nested" error instead of a stack overflow; allocation failures at every
 * point return FLOE_ENOMEM.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/alloc.h"
#include "../test.h"
#include "sql_test_util.h"

static void check_error(const char *sql, int code, const char *sqlstate, const char *message,
                        const char *detail)
{
    fl_error err;
    int rc = sqlt_parse_error(sql, strlen(sql), &err);
    CHECK_EQ(rc, code);
    CHECK_EQ(err.code, code);
    CHECK_STR(err.sqlstate, sqlstate);
    CHECK_STR(err.message, message);
    if (detail) CHECK_STR(err.detail, detail);
}

TEST(sql_error_line_and_column)
{
    check_error("SELECT 1,\n  2,\n  x.*  FORM t", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"FORM\" (line 3, column 8)", "  x.*  FORM t\n       ^");
    check_error("SELECT a FROM", FLOE_ESYNTAX, "42601",
                "syntax error at end of input (line 1, column 14)", "SELECT a FROM\n             ^");
    check_error("SELECT *\nFROM t\nORDER x", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"x\" (line 3, column 7)", "ORDER x\n      ^");
    /* columns count characters, not bytes */
    check_error("SELECT '\xC3\xA9', * FORM t", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"FORM\" (line 1, column 15)", NULL);
    check_error("SELECT * FROM t WHERE a = = b", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"=\" (line 1, column 27)", NULL);
    check_error("SELECT (1 + 2", FLOE_ESYNTAX, "42601",
                "syntax error at end of input (line 1, column 14)", NULL);
    check_error("SELECT 1 FROM t GROUP a", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"a\" (line 1, column 23)", NULL);
    check_error("SELECT 1;\nSELEC 2", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"SELEC\" (line 2, column 1)", NULL);
    check_error("SELECT select FROM t", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"select\" (line 1, column 8)", NULL);
    check_error("SELECT * FROM a LEFT b", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"b\" (line 1, column 22)", NULL);
    check_error("SELECT * FROM a JOIN b", FLOE_ESYNTAX, "42601",
                "syntax error at end of input (line 1, column 23)", NULL);
    check_error("CREATE TABLE t", FLOE_ESYNTAX, "42601",
                "syntax error at end of input (line 1, column 15)", NULL);
    check_error("SELECT CAST(a AS decimal(x))", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"x\" (line 1, column 26)", NULL);
    check_error("SELECT INTERVAL 30", FLOE_ESYNTAX, "42601",
                "syntax error at end of input (line 1, column 19)", NULL);
    check_error("SELECT a FROM t\tWHERE #", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"#\" (line 1, column 23)", "SELECT a FROM t\tWHERE #\n               \t      ^");
}

TEST(sql_error_crlf_and_null_err)
{
    /* \r\n line ends: lines count \n, the detail line stops before \r */
    check_error("SELECT 1,\r\n  2\r\nFROM t WHERE\r\n", FLOE_ESYNTAX, "42601",
                "syntax error at end of input (line 4, column 1)", NULL);
    check_error("SELECT 1\r\nFROM t GROUP x\r\n", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"x\" (line 2, column 14)", "FROM t GROUP x\n             ^");
    /* a multi-line string keeps the line of its start; later tokens count its newlines */
    check_error("SELECT 'a\nb\nc' FORM t", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"t\" (line 3, column 9)", NULL);
    /* err may be NULL */
    fl_arena *arena = fl_arena_new(0);
    sql_script s;
    CHECK_EQ(sql_parse(&s, "SELECT FROM", 11, arena, NULL), FLOE_ESYNTAX);
    CHECK_EQ(sql_parse(&s, "SELECT 'x", 9, arena, NULL), FLOE_ESYNTAX);
    sql_stmt *st;
    CHECK_EQ(sql_parse_statement(&st, "SELECT 1", 8, arena, NULL), 0);
    fl_arena_free(arena);
}

TEST(sql_error_caret_on_long_line)
{
    /* a long line is shown as a window around the error, caret aligned */
    char sql[2048];
    int n = snprintf(sql, sizeof sql, "SELECT ");
    for (int i = 0; i < 200; i++) n += snprintf(sql + n, sizeof sql - (size_t)n, "a%d + ", i);
    snprintf(sql + n, sizeof sql - (size_t)n, "FROM t");
    fl_error err;
    CHECK_EQ(sqlt_parse_error(sql, strlen(sql), &err), FLOE_ESYNTAX);
    CHECK(strstr(err.message, "syntax error at or near \"FROM\" (line 1, column ") != NULL);
    const char *nl = strchr(err.detail, '\n');
    CHECK(nl != NULL);
    if (nl) {
        const char *caret = strchr(nl + 1, '^');
        CHECK(caret != NULL);
        if (caret) {
            size_t col = (size_t)(caret - (nl + 1));
            CHECK(col < (size_t)(nl - err.detail));
            CHECK(strncmp(err.detail + col, "FROM", 4) == 0);
        }
    }
}

TEST(sql_error_unterminated_tokens)
{
    check_error("SELECT 'abc", FLOE_ESYNTAX, "42601",
                "unterminated quoted string at or near \"'abc\" (line 1, column 8)", NULL);
    check_error("SELECT 'it''s", FLOE_ESYNTAX, "42601",
                "unterminated quoted string at or near \"'it''s\" (line 1, column 8)", NULL);
    check_error("SELECT \"abc", FLOE_ESYNTAX, "42601",
                "unterminated quoted identifier at or near \"\"abc\" (line 1, column 8)", NULL);
    check_error("SELECT `abc", FLOE_ESYNTAX, "42601",
                "unterminated quoted identifier at or near \"`abc\" (line 1, column 8)", NULL);
    check_error("SELECT 1 /* open", FLOE_ESYNTAX, "42601",
                "unterminated /* comment at or near \"/*\" (line 1, column 10)", NULL);
    check_error("SELECT 1\n/* a /* b */", FLOE_ESYNTAX, "42601",
                "unterminated /* comment at or near \"/*\" (line 2, column 1)", NULL);
    check_error("SELECT \"\"", FLOE_ESYNTAX, "42601",
                "zero-length delimited identifier at or near \"\"\"\" (line 1, column 8)", NULL);
    check_error("SELECT 12abc", FLOE_ESYNTAX, "42601",
                "trailing junk after numeric literal at or near \"12abc\" (line 1, column 8)", NULL);
    check_error("SELECT a | b", FLOE_ESYNTAX, "42601",
                "syntax error at or near \"|\" (line 1, column 10)", NULL);
    /* a NUL byte inside the text is a stray character, not the end */
    fl_error err;
    CHECK_EQ(sqlt_parse_error("SELECT 1\0 2", 11, &err), FLOE_ESYNTAX);
    CHECK_STR(err.message, "syntax error at or near \"\" (line 1, column 9)");
}

static char *repeat3(const char *head, const char *unit, size_t n, const char *mid, const char *tail_unit)
{
    size_t hl = strlen(head), ul = strlen(unit), ml = strlen(mid), tl = strlen(tail_unit);
    char *s = fl_malloc(hl + n * (ul + tl) + ml + 1);
    if (!s) return NULL;
    char *p = s;
    memcpy(p, head, hl);
    p += hl;
    for (size_t i = 0; i < n; i++, p += ul) memcpy(p, unit, ul);
    memcpy(p, mid, ml);
    p += ml;
    for (size_t i = 0; i < n; i++, p += tl) memcpy(p, tail_unit, tl);
    *p = '\0';
    return s;
}

static void check_too_deep(const char *head, const char *unit, size_t n, const char *mid,
                           const char *tail_unit)
{
    char *sql = repeat3(head, unit, n, mid, tail_unit);
    CHECK(sql != NULL);
    if (!sql) return;
    fl_error err;
    int rc = sqlt_parse_error(sql, strlen(sql), &err);
    CHECK_EQ(rc, FLOE_ELIMIT);
    CHECK_STR(err.sqlstate, "54001");
    if (!CHECK(strstr(err.message, "too deeply nested") != NULL)) printf("  got: %s\n", err.message);
    fl_free(sql);
}

TEST(sql_error_pathological_nesting)
{
    check_too_deep("SELECT ", "(", 100000, "1", ")");
    check_too_deep("SELECT * FROM ", "(SELECT * FROM ", 100000, "t", ")");
    check_too_deep("SELECT ", "NOT ", 100000, "a", "");
    check_too_deep("SELECT ", "- ", 100000, "1", "");
    check_too_deep("SELECT ", "f(", 100000, "1", ")");
    check_too_deep("SELECT ", "CASE WHEN ", 100000, "1", " THEN 1 END");
    check_too_deep("SELECT CAST(a AS ", "array(", 100000, "int", ")");
    check_too_deep("SELECT * FROM ", "(", 100000, "t", ")");
    check_too_deep("", "EXPLAIN ", 100000, "SELECT 1", "");
    check_too_deep("SELECT ", "ARRAY[", 100000, "1", "]");
    check_too_deep("SELECT ", "{a: ", 100000, "1", "}");
    check_too_deep("SELECT 1 ", "+ 1 ", 100000, "", "");
    check_too_deep("SELECT ", "1 UNION SELECT ", 100000, "1", "");
    check_too_deep("SELECT * FROM t", " JOIN t USING (a)", 100000, "", "");
    check_too_deep("SELECT a", "[1]", 100000, "", "");
    /* nesting within the limits parses */
    char *ok = repeat3("SELECT ", "(", 200, "1", ")");
    CHECK(ok != NULL);
    if (ok) {
        fl_error err;
        CHECK_EQ(sqlt_parse_error(ok, strlen(ok), &err), 0);
        fl_free(ok);
    }
    char *chain = repeat3("SELECT 1", " OR a = 1", 3000, "", "");
    CHECK(chain != NULL);
    if (chain) {
        fl_error err;
        CHECK_EQ(sqlt_parse_error(chain, strlen(chain), &err), 0);
        fl_free(chain);
    }
}

TEST(sql_error_allocation_failures)
{
    const char *sql = "WITH a AS (SELECT x, sum(y) OVER (PARTITION BY z ORDER BY w) FROM t) "
                      "SELECT CAST(x AS decimal(7,2)), 'str''q', {'k': ARRAY[1]} FROM a JOIN b USING (x) "
                      "WHERE x IN (1, 2, 3) GROUP BY ROLLUP (x) ORDER BY 1; "
                      "CREATE TABLE t (a int) USING iceberg PARTITIONED BY (days(a)) TBLPROPERTIES ('k'='v')";
    bool succeeded = false;
    long failures = 0;
    for (long n = 0; n < 5000 && !succeeded; n++) {
        fl_arena *arena = fl_arena_new(256);
        if (!CHECK(arena != NULL)) break;
        fl_alloc_fail_after(n);
        fl_error err;
        sql_script s;
        int rc = sql_parse(&s, sql, strlen(sql), arena, &err);
        fl_alloc_fail_after(-1);
        fl_arena_free(arena);
        if (rc == 0) {
            succeeded = true;
        } else {
            failures++;
            if (!CHECK_EQ(rc, FLOE_ENOMEM)) {
                printf("  at n=%ld: %s\n", n, err.message);
                break;
            }
            CHECK_EQ(err.code, FLOE_ENOMEM);
        }
    }
    CHECK(succeeded);
    CHECK(failures > 10);   /* the sweep did hit the parser's allocations */
}
