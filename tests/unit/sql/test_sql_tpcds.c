/*
 * test_sql_tpcds.c: the parser against real workloads: all 99 TPC-DS
 * queries and the 24 TPC-DS CREATE TABLE files under the shared folder
 * (ft_shared("tpcds/...")), plus the lexer's keyword table invariants.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/alloc.h"
#include "../../../src/sql/parse/sql_lexer.h"
#include "../test.h"
#include "sql_test_util.h"

/* Parses the file; returns the number of statements or -1 (printing why). */
static int parse_file(const char *path, fl_buf *printed)
{
    size_t len;
    char *text = sqlt_read_file(path, &len);
    if (!text) {
        printf("  cannot read %s\n", path);
        return -1;
    }
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_script s;
    int rc = sql_parse(&s, text, len, arena, &err);
    int count = -1;
    if (rc < 0) {
        printf("  %s: %s\n%s\n", path, err.message, err.detail);
    } else {
        count = (int)s.count;
        for (uint32_t i = 0; i < s.count && printed; i++) sql_ast_print_stmt(printed, s.stmts[i]);
    }
    fl_arena_free(arena);
    fl_free(text);
    return count;
}

TEST(sql_tpcds_queries_parse)
{
    int parsed = 0;
    for (int q = 1; q <= 99; q++) {
        char rel[64];
        snprintf(rel, sizeof rel, "tpcds/queries/%02d.sql", q);
        fl_buf printed;
        fl_buf_init(&printed);
        int n = parse_file(ft_shared(rel), &printed);
        /* each file is one query (a few have two parts, e.g. 14, 23, 24, 39) */
        if (CHECK(n >= 1)) parsed++;
        CHECK(printed.len > 0 && strncmp(fl_buf_cstr(&printed), "(", 1) == 0);
        CHECK(strstr(fl_buf_cstr(&printed), "(?)") == NULL);   /* every node kind printed */
        fl_buf_dispose(&printed);
    }
    CHECK_EQ(parsed, 99);
}

TEST(sql_tpcds_query_shapes)
{
    /* spot checks of the trees for a few queries */
    fl_buf printed;
    fl_buf_init(&printed);
    CHECK_EQ(parse_file(ft_shared("tpcds/queries/14.sql"), &printed), 1);
    const char *s = fl_buf_cstr(&printed);
    CHECK(strstr(s, "(group-by (rollup channel i_brand_id i_class_id i_category_id))") != NULL);
    CHECK(strstr(s, "(derived (intersect (intersect (select") != NULL);
    CHECK(strstr(s, "(order-by (sort channel asc nulls-first)") != NULL);
    CHECK(strstr(s, "(limit 100)") != NULL);
    fl_buf_reset(&printed);
    CHECK_EQ(parse_file(ft_shared("tpcds/queries/02.sql"), &printed), 1);
    s = fl_buf_cstr(&printed);
    CHECK(strncmp(s, "(select (with (cte wscs (select (items sold_date_sk sales_price) (from (derived "
                     "(union all", 84) == 0);
    CHECK(strstr(s, "(= d_week_seq1 (- d_week_seq2 53))") != NULL);
    fl_buf_dispose(&printed);
}

TEST(sql_tpcds_schema_parses)
{
    static const char *const tables[] = {
        "call_center", "catalog_page", "catalog_returns", "catalog_sales", "customer",
        "customer_address", "customer_demographics", "date_dim", "household_demographics",
        "income_band", "inventory", "item", "promotion", "reason", "ship_mode", "store",
        "store_returns", "store_sales", "time_dim", "warehouse", "web_page", "web_returns",
        "web_sales", "web_site",
    };
    CHECK_EQ(FL_ARRAY_SIZE(tables), 24);
    for (size_t i = 0; i < FL_ARRAY_SIZE(tables); i++) {
        char rel[96];
        snprintf(rel, sizeof rel, "tpcds/schema/%s.sql", tables[i]);
        fl_buf printed;
        fl_buf_init(&printed);
        CHECK_EQ(parse_file(ft_shared(rel), &printed), 1);
        char head[128];
        snprintf(head, sizeof head, "(create-table %s (columns (", tables[i]);
        CHECK(strncmp(fl_buf_cstr(&printed), head, strlen(head)) == 0);
        fl_buf_dispose(&printed);
    }
    fl_buf printed;
    fl_buf_init(&printed);
    CHECK_EQ(parse_file(ft_shared("tpcds/schema/store_sales.sql"), &printed), 1);
    CHECK(strstr(fl_buf_cstr(&printed), "(ss_item_sk integer not-null)") != NULL);
    CHECK(strstr(fl_buf_cstr(&printed), "(ss_net_profit decimal(7,2)))") != NULL);
    fl_buf_dispose(&printed);
}

TEST(sql_keyword_table_sorted_and_consistent)
{
    size_t n = sql_keyword_count();
    CHECK(n > 100);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        sql_keyword kw;
        const char *name = sql_keyword_at(i, &kw);
        if (!CHECK(name != NULL)) break;
        if (prev) CHECK(strcmp(prev, name) < 0);
        prev = name;
        bool reserved;
        CHECK_EQ(sql_keyword_lookup(name, strlen(name), &reserved), kw);
        CHECK_STR(sql_keyword_name(kw), name);
        char upper[32];
        size_t len = strlen(name);
        CHECK(len < sizeof upper);
        for (size_t j = 0; j <= len && j < sizeof upper; j++)
            upper[j] = (name[j] >= 'a' && name[j] <= 'z') ? (char)(name[j] - 32) : name[j];
        CHECK_EQ(sql_keyword_lookup(upper, len, NULL), kw);
    }
    bool reserved = true;
    CHECK_EQ(sql_keyword_lookup("SeLeCt", 6, &reserved), SQL_KW_SELECT);
    CHECK(reserved);
    CHECK_EQ(sql_keyword_lookup("date", 4, &reserved), SQL_KW_DATE);
    CHECK(!reserved);
    CHECK_EQ(sql_keyword_lookup("selects", 7, NULL), SQL_KW_NONE);
    CHECK_EQ(sql_keyword_lookup("a_very_long_identifier_name", 27, NULL), SQL_KW_NONE);
    CHECK_EQ(sql_keyword_lookup("", 0, NULL), SQL_KW_NONE);
    CHECK_STR(sql_keyword_name(SQL_KW_NONE), "");
}

TEST(sql_lexer_tokens)
{
    const char *text = "SELECT \"Q\"\"x\", `b`, 'it''s', 1, 2.5, 1e3, .5, ? <> != <= >= == => :: || -- c\n"
                       "/* x */ [ ] { } : ; t.c";
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_token_list toks;
    CHECK_OK(sql_lex(&toks, text, strlen(text), arena, &err), &err);
    static const sql_token_kind want[] = {
        SQL_TOK_IDENT, SQL_TOK_QUOTED_IDENT, SQL_TOK_COMMA, SQL_TOK_QUOTED_IDENT, SQL_TOK_COMMA,
        SQL_TOK_STRING, SQL_TOK_COMMA, SQL_TOK_INTEGER, SQL_TOK_COMMA, SQL_TOK_DECIMAL, SQL_TOK_COMMA,
        SQL_TOK_DOUBLE, SQL_TOK_COMMA, SQL_TOK_DECIMAL, SQL_TOK_COMMA, SQL_TOK_PARAM, SQL_TOK_NE,
        SQL_TOK_NE, SQL_TOK_LE, SQL_TOK_GE, SQL_TOK_EQ, SQL_TOK_ARROW, SQL_TOK_DCOLON, SQL_TOK_CONCAT,
        SQL_TOK_LBRACKET, SQL_TOK_RBRACKET, SQL_TOK_LBRACE, SQL_TOK_RBRACE, SQL_TOK_COLON, SQL_TOK_SEMI,
        SQL_TOK_IDENT, SQL_TOK_DOT, SQL_TOK_IDENT, SQL_TOK_EOF,
    };
    CHECK_EQ(toks.count, FL_ARRAY_SIZE(want));
    for (size_t i = 0; i < FL_ARRAY_SIZE(want) && i < toks.count; i++) {
        if (!CHECK_EQ(toks.tokens[i].kind, want[i])) printf("  token %zu\n", i);
    }
    if (toks.count == FL_ARRAY_SIZE(want)) {
        CHECK_STR(toks.tokens[0].text, "select");
        CHECK_EQ(toks.tokens[0].kw, SQL_KW_SELECT);
        CHECK_STR(toks.tokens[1].text, "Q\"x");
        CHECK_EQ(toks.tokens[1].kw, SQL_KW_NONE);
        CHECK_STR(toks.tokens[3].text, "b");
        CHECK_STR(toks.tokens[5].text, "it's");
        CHECK_STR(toks.tokens[9].text, "2.5");
        CHECK_EQ(toks.tokens[24].line, 2);
        CHECK_EQ(toks.tokens[24].offset, (uint32_t)(strchr(text, '[') - text));
    }
    fl_arena_free(arena);
}
