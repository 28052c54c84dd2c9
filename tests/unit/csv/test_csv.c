/*
 * test_csv.c: the CSV reader on small inputs with exact expected values:
 * quoting, escapes, NULLs, headers, line ends, trailing delimiters, every
 * type with good and bad values (exact error text), skip_bad_rows, batch
 * sizes and option checks.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "csv_test_util.h"

/* Reads text and compares the rendered rows; prints both on a mismatch. */
static bool rows_are(const char *text, const char *spec, const csv_opts *opts, const char *expected)
{
    csv_result res;
    ct_read_mem(&res, "t.csv", text, strlen(text), spec, opts);
    bool ok = res.rc == 0 && strcmp(fl_buf_cstr(&res.text), expected) == 0;
    if (!ok)
        fprintf(stderr, "    input: %s\n    rc %d: %s\n    got:\n%s\n    expected:\n%s\n", text, res.rc,
                res.err.message, fl_buf_cstr(&res.text), expected);
    ct_result_dispose(&res);
    return ok;
}

/* Reads text and expects the error message (after any rows). */
static bool error_is(const char *text, const char *spec, const csv_opts *opts, const char *message)
{
    csv_result res;
    ct_read_mem(&res, "t.csv", text, strlen(text), spec, opts);
    bool ok = res.rc < 0 && strcmp(res.err.message, message) == 0;
    if (!ok)
        fprintf(stderr, "    input: %s\n    rc %d: \"%s\"\n    expected: \"%s\"\n", text, res.rc,
                res.err.message, message);
    ct_result_dispose(&res);
    return ok;
}

static csv_opts opts_with(char delimiter)
{
    csv_opts o;
    csv_opts_init(&o);
    o.delimiter = delimiter;
    return o;
}

TEST(csv_basic_rows)
{
    CHECK(rows_are("1,abc,2.50\n2,def,3\n", "int,varchar,decimal(7,2)", NULL,
                   "1|[abc]|2.50\n2|[def]|3.00\n"));
    CHECK(rows_are("", "int", NULL, ""));
    CHECK(rows_are("\n", "int", NULL, "NULL\n"));
    CHECK(rows_are("7", "int", NULL, "7\n"));
}

TEST(csv_quoting)
{
    CHECK(rows_are("\"a,b\",\"x\"\"y\",plain\n", "varchar,varchar,varchar", NULL,
                   "[a,b]|[x\"y]|[plain]\n"));
    /* quoted newlines, CRLF inside quotes kept */
    CHECK(rows_are("\"line1\nline2\",x\n\"a\r\nb\",y\n", "varchar,varchar", NULL,
                   "[line1\nline2]|[x]\n[a\r\nb]|[y]\n"));
    /* empty unquoted = NULL, quoted empty = empty string */
    CHECK(rows_are(",\"\",x\n", "varchar,varchar,varchar", NULL, "NULL|[]|[x]\n"));
    /* empty (quoted or not) is NULL for non-string types */
    CHECK(rows_are(",\"\"\n", "int,date", NULL, "NULL|NULL\n"));
    /* a quoted field at the end of the input without newline */
    CHECK(rows_are("1,\"end\"", "int,varchar", NULL, "1|[end]\n"));
    /* quotes inside an unquoted field are data */
    CHECK(rows_are("ab\"c,d\n", "varchar,varchar", NULL, "[ab\"c]|[d]\n"));
    /* only doubled quotes */
    CHECK(rows_are("\"\"\"\"\n", "varchar", NULL, "[\"]\n"));
    /* quote = 0: quotes are data */
    csv_opts o = opts_with(',');
    o.quote = 0;
    CHECK(rows_are("\"a\",b\n", "varchar,varchar", &o, "[\"a\"]|[b]\n"));
    /* another quote character */
    o = opts_with(',');
    o.quote = o.escape = '\'';
    CHECK(rows_are("'a,b','it''s'\n", "varchar,varchar", &o, "[a,b]|[it's]\n"));
}

TEST(csv_backslash_escape)
{
    csv_opts o = opts_with(',');
    o.escape = '\\';
    CHECK(rows_are("\"a\\\"b\",\"c\\\\d\",\"e\\,f\"\n", "varchar,varchar,varchar", &o,
                   "[a\"b]|[c\\d]|[e,f]\n"));
    /* a backslash outside quotes is data */
    CHECK(rows_are("a\\b,\"x\"\n", "varchar,varchar", &o, "[a\\b]|[x]\n"));
    CHECK(error_is("\"abc\\", "varchar", &o,
                   "could not parse \"t.csv\": line 1, column 1: unterminated quoted field"));
}

TEST(csv_header)
{
    csv_opts o = opts_with(',');
    o.header = true;
    CHECK(rows_are("a,b\n1,2\n3,4\n", "int,int", &o, "1|2\n3|4\n"));
    /* a header with a quoted newline, then a bad value: line 4 */
    CHECK(error_is("\"a\nb\",c\n1,2\n3,x\n", "int,int", &o,
                   "could not parse \"t.csv\": line 4, column 2: invalid integer \"x\""));
    /* a header only */
    CHECK(rows_are("a,b\n", "int,int", &o, ""));
    CHECK(rows_are("a,b", "int,int", &o, ""));
    /* no header: the first line is data */
    CHECK(error_is("a,b\n1,2\n", "int,int", NULL,
                   "could not parse \"t.csv\": line 1, column 1: invalid integer \"a\""));
}

TEST(csv_line_ends)
{
    CHECK(rows_are("1,a\r\n2,b\r\n", "int,varchar", NULL, "1|[a]\n2|[b]\n"));
    CHECK(rows_are("1,a\n2,b", "int,varchar", NULL, "1|[a]\n2|[b]\n"));
    CHECK(rows_are("1,a\r\n2,b", "int,varchar", NULL, "1|[a]\n2|[b]\n"));
    CHECK(rows_are("1,a\r\n2,b\r", "int,varchar", NULL, "1|[a]\n2|[b]\n"));
    CHECK(rows_are("1,\"a\"\r\n2,\"b\"\r\n", "int,varchar", NULL, "1|[a]\n2|[b]\n"));
    CHECK(rows_are("1,\r\n", "int,varchar", NULL, "1|NULL\n"));
    /* a lone CR inside a field is data */
    CHECK(rows_are("a\rb,c\n", "varchar,varchar", NULL, "[a\rb]|[c]\n"));
    /* blank lines are skipped with several columns, NULL rows with one */
    CHECK(rows_are("1,2\n\n\r\n3,4\n\n", "int,int", NULL, "1|2\n3|4\n"));
    CHECK(rows_are("1\n\n2\n", "int", NULL, "1\nNULL\n2\n"));
    /* line numbers count the skipped blank lines */
    CHECK(error_is("1,2\n\n\n3,x\n", "int,int", NULL,
                   "could not parse \"t.csv\": line 4, column 2: invalid integer \"x\""));
}

TEST(csv_trailing_delimiter)
{
    csv_opts o = opts_with('|');
    CHECK(rows_are("a|b|\nc|d|\n", "varchar,varchar", &o, "[a]|[b]\n[c]|[d]\n"));
    CHECK(rows_are("a||\n|b|", "varchar,varchar", &o, "[a]|NULL\nNULL|[b]\n"));
    CHECK(rows_are("a|b|\r\n", "varchar,varchar", &o, "[a]|[b]\n"));
    CHECK(rows_are("a|b\n", "varchar,varchar", &o, "[a]|[b]\n"));
    CHECK(error_is("a|b|c\n", "varchar,varchar", &o,
                   "could not parse \"t.csv\": line 1: expected 2 fields, found 3"));
    o.allow_trailing_delimiter = false;
    CHECK(error_is("a|b|\n", "varchar,varchar", &o,
                   "could not parse \"t.csv\": line 1: expected 2 fields, found 3"));
}

TEST(csv_null_string)
{
    csv_opts o = opts_with(',');
    o.null_str = "\\N";
    CHECK(rows_are("\\N,,\"\\N\"\n", "varchar,varchar,varchar", &o, "NULL|[]|[\\N]\n"));
    CHECK(rows_are("\\N,\n", "int,int", &o, "NULL|NULL\n"));
    o.null_str = "NULL";
    CHECK(rows_are("NULL,NULLx,\"NULL\"\n", "varchar,varchar,varchar", &o,
                   "NULL|[NULLx]|[NULL]\n"));
}

TEST(csv_types_good)
{
    CHECK(rows_are("true,-128,-32768,-2147483648,-9223372036854775808\n"
                   "F,127,32767,2147483647,9223372036854775807\n"
                   "yes,+1,007,0,-0\n"
                   "No,0,1,-1,1\n",
                   "boolean,tinyint,smallint,int,bigint", NULL,
                   "true|-128|-32768|-2147483648|-9223372036854775808\n"
                   "false|127|32767|2147483647|9223372036854775807\n"
                   "true|1|7|0|0\n"
                   "false|0|1|-1|1\n"));
    CHECK(rows_are("1.5,2.25,1e3,-0.1\n"
                   "inf,-Infinity,1.7976931348623157e308,4.9e-324\n"
                   "123456789012345678901234567890,.5,5.,1E-2\n",
                   "real,double,double,double", NULL,
                   "1.5|2.25|1000|-0.10000000000000001\n"
                   "inf|-inf|1.7976931348623157e+308|4.9406564584124654e-324\n"
                   "1.23456789e+29|0.5|5|0.01\n"));
    CHECK(rows_are("12.345,-0.005,99999.99,1e2,12345678901234567890.123456789\n",
                   "decimal(7,2),decimal(7,2),decimal(7,2),decimal(5,1),decimal(38,9)", NULL,
                   "12.35|-0.01|99999.99|100.0|12345678901234567890.123456789\n"));
    CHECK(rows_are("2024-02-29,13:45:01.5,2024-01-31 13:45:00,2024-01-31T13:45:00+01:00\n",
                   "date,time,timestamp,timestamptz", NULL,
                   "2024-02-29|13:45:01.5|1706708700000000|1706705100000000Z\n"));
    CHECK(rows_are("caf\xc3\xa9,\xff\x01,12345678-9abc-DEF0-1234-56789abcdef0,abcd\n",
                   "varchar,binary,uuid,fixed(4)", NULL,
                   "[caf\xc3\xa9]|[\xff\x01]|123456789abcdef0123456789abcdef0|[abcd]\n"));
}

TEST(csv_unsigned_types)
{
    fl_type t[4] = {fl_type_make(FL_TYPE_UINT8), fl_type_make(FL_TYPE_UINT16),
                    fl_type_make(FL_TYPE_UINT32), fl_type_make(FL_TYPE_UINT64)};
    const char *names[4] = {"u8", "u16", "u32", "u64"};
    csv_opts o = opts_with(',');
    o.column_names = names;
    const char *good = "255,65535,4294967295,18446744073709551615\n+0,0,1,2\n";
    csv_reader *r;
    fl_error err;
    CHECK_OK(csv_reader_open_mem(&r, "u.csv", good, strlen(good), t, 4, &o, &err), &err);
    csv_result res;
    memset(&res, 0, sizeof res);
    fl_buf_init(&res.text);
    ct_drain(&res, r, 4);
    CHECK_EQ(res.rc, 0);
    CHECK_STR(fl_buf_cstr(&res.text), "255|65535|4294967295|18446744073709551615\n0|0|1|2\n");
    ct_result_dispose(&res);
    const char *bad[] = {"256,0,0,0\n", "0,0,0,18446744073709551616\n", "0,-1,0,0\n"};
    const char *msg[] = {
        "could not parse \"u.csv\": line 1, column 1 (u8): value \"256\" is out of range for utinyint",
        "could not parse \"u.csv\": line 1, column 4 (u64): value \"18446744073709551616\" is out of "
        "range for ubigint",
        "could not parse \"u.csv\": line 1, column 2 (u16): invalid usmallint \"-1\"",
    };
    const int codes[] = {FLOE_ERANGE, FLOE_ERANGE, FLOE_EINVAL};
    for (int i = 0; i < 3; i++) {
        CHECK_OK(csv_reader_open_mem(&r, "u.csv", bad[i], strlen(bad[i]), t, 4, &o, &err), &err);
        memset(&res, 0, sizeof res);
        fl_buf_init(&res.text);
        ct_drain(&res, r, 4);
        CHECK_EQ(res.rc, codes[i]);
        CHECK_STR(res.err.message, msg[i]);
        ct_result_dispose(&res);
    }
}

TEST(csv_types_bad)
{
    struct { const char *spec, *text, *message; } cases[] = {
        {"int", "12x", "line 1, column 1: invalid integer \"12x\""},
        {"int", " 12", "line 1, column 1: invalid integer \" 12\""},
        {"int", "-", "line 1, column 1: invalid integer \"-\""},
        {"int", "2147483648", "line 1, column 1: value \"2147483648\" is out of range for integer"},
        {"tinyint", "-129", "line 1, column 1: value \"-129\" is out of range for tinyint"},
        {"smallint", "40000", "line 1, column 1: value \"40000\" is out of range for smallint"},
        {"bigint", "9223372036854775808",
         "line 1, column 1: value \"9223372036854775808\" is out of range for bigint"},
        {"bigint", "99999999999999999999999",
         "line 1, column 1: value \"99999999999999999999999\" is out of range for bigint"},
        {"boolean", "maybe", "line 1, column 1: invalid boolean \"maybe\""},
        {"double", "1.2.3", "line 1, column 1: invalid double \"1.2.3\""},
        {"double", "1e999", "line 1, column 1: value \"1e999\" is out of range for double"},
        {"real", "1e39", "line 1, column 1: value \"1e39\" is out of range for real"},
        {"real", "e5", "line 1, column 1: invalid real \"e5\""},
        {"decimal(7,2)", "123456", "line 1, column 1: value \"123456\" is out of range for decimal(7,2)"},
        {"decimal(7,2)", "1,5", "line 1: expected 1 fields, found 2"},
        {"decimal(7,2)", "1.5x", "line 1, column 1: invalid decimal \"1.5x\""},
        {"decimal(7,2)", " 1.5", "line 1, column 1: invalid decimal \" 1.5\""},
        {"date", "2023-02-29", "line 1, column 1: invalid date \"2023-02-29\""},
        {"time", "25:00", "line 1, column 1: invalid time \"25:00\""},
        {"timestamp", "2024-01-01 10:00x", "line 1, column 1: invalid timestamp \"2024-01-01 10:00x\""},
        {"timestamptz", "yesterday", "line 1, column 1: invalid timestamptz \"yesterday\""},
        {"varchar", "ab\xc3(", "line 1, column 1: invalid UTF-8 in varchar value at byte 3"},
        {"uuid", "12345678-9abc-def0-1234-56789abcdef", "line 1, column 1: invalid uuid "
         "\"12345678-9abc-def0-1234-56789abcdef\""},
        {"fixed(4)", "abc", "line 1, column 1: fixed(4) value must be 4 bytes, got 3"},
        {"int", "\x01\xff", "line 1, column 1: invalid integer \"\\x01\\xff\""},
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(cases); i++) {
        char expected[512];
        snprintf(expected, sizeof expected, "could not parse \"t.csv\": %s", cases[i].message);
        CHECK(error_is(cases[i].text, cases[i].spec, NULL, expected));
    }
    /* long values are cut in the message */
    char long_text[200];
    memset(long_text, '9', sizeof long_text - 2);
    long_text[0] = 'x';
    long_text[sizeof long_text - 2] = 0;
    char expected[256] = "could not parse \"t.csv\": line 1, column 1: invalid integer \"";
    size_t n = strlen(expected);
    memcpy(expected + n, long_text, 60);   /* the first 60 bytes, then "..." */
    memcpy(expected + n + 60, "...\"", 5);
    CHECK(error_is(long_text, "int", NULL, expected));
}

TEST(csv_malformed_records)
{
    const char *names[3] = {"a", "b", "c"};
    csv_opts o = opts_with(',');
    o.column_names = names;
    CHECK(error_is("1,2,3\n4,5\n", "int,int,int", &o,
                   "could not parse \"t.csv\": line 2: expected 3 fields, found 2"));
    CHECK(error_is("1,2,3\n4,5,6,7,\"8,9\"\n", "int,int,int", &o,
                   "could not parse \"t.csv\": line 2: expected 3 fields, found 5"));
    CHECK(error_is("1,2,3\n4,\"5\n\n", "int,int,int", &o,
                   "could not parse \"t.csv\": line 2, column 2 (b): unterminated quoted field"));
    CHECK(error_is("1,\"2\"x,3\n", "int,int,int", &o,
                   "could not parse \"t.csv\": line 1, column 2 (b): unexpected \"x\" after "
                   "closing quote"));
    /* line numbers after records with quoted newlines */
    CHECK(error_is("1,\"a\nb\nc\",3\n4,5,x\n", "int,varchar,int", &o,
                   "could not parse \"t.csv\": line 4, column 3 (c): invalid integer \"x\""));
    /* the rows before the error come first */
    csv_result res;
    const char *text = "1,2,3\n4,5,6\n7,8\n";
    ct_read_mem(&res, "t.csv", text, strlen(text), "int,int,int", &o);
    CHECK_STR(fl_buf_cstr(&res.text), "1|2|3\n4|5|6\n");
    CHECK_EQ(res.rc, FLOE_EINVAL);
    CHECK_EQ(res.rows, 2);
    ct_result_dispose(&res);
}

TEST(csv_skip_bad_rows)
{
    csv_opts o = opts_with(',');
    o.skip_bad_rows = true;
    const char *text =
        "1,a\n"
        "x,b\n"               /* bad integer */
        "2,c,extra\n"         /* too many */
        "3\n"                 /* too few */
        "4,\"q\"junk,\"z\n"   /* junk after quote; the skip honours the quote */
        "zz\"\n"
        "5,\"ok\nline\"\n"
        "6,\xff\n"            /* bad UTF-8 */
        "7,last\n"
        "8,\"unterminated\n";
    csv_result res;
    ct_read_mem(&res, "t.csv", text, strlen(text), "int,varchar", &o);
    CHECK_OK(res.rc, &res.err);
    CHECK_STR(fl_buf_cstr(&res.text), "1|[a]\n5|[ok\nline]\n7|[last]\n");
    CHECK_EQ(res.bad_rows, 6);
    CHECK_EQ(res.rows, 3);
    ct_result_dispose(&res);
}

TEST(csv_batches)
{
    csv_opts o = opts_with(',');
    o.batch_rows = 3;
    fl_buf text;
    fl_buf_init(&text);
    fl_buf expected;
    fl_buf_init(&expected);
    for (int i = 0; i < 100; i++) {
        fl_buf_appendf(&text, "%d,s%d\n", i, i);
        fl_buf_appendf(&expected, "%d|[s%d]\n", i, i);
    }
    csv_result res;
    ct_read_mem(&res, "t.csv", text.data, text.len, "int,varchar", &o);
    CHECK_OK(res.rc, &res.err);
    CHECK_STR(fl_buf_cstr(&res.text), fl_buf_cstr(&expected));
    CHECK_EQ(res.batches, 34);
    CHECK_EQ(res.max_batch, 3);
    ct_result_dispose(&res);
    /* tiny blocks: many rounds and blocks, batches still full */
    o.block_size = 7;
    ct_read_mem(&res, "t.csv", text.data, text.len, "int,varchar", &o);
    CHECK_OK(res.rc, &res.err);
    CHECK_STR(fl_buf_cstr(&res.text), fl_buf_cstr(&expected));
    CHECK_EQ(res.batches, 34);
    ct_result_dispose(&res);
    fl_buf_dispose(&text);
    fl_buf_dispose(&expected);
}

TEST(csv_bad_options)
{
    fl_type t = fl_type_make(FL_TYPE_INT32);
    csv_reader *r;
    fl_error err;
    csv_opts o = opts_with('\n');
    CHECK_EQ(csv_reader_open_mem(&r, "m", "1", 1, &t, 1, &o, &err), FLOE_EINVAL);
    CHECK_STR(err.message, "could not open \"m\": invalid csv delimiter");
    o = opts_with(',');
    o.quote = ',';
    CHECK_EQ(csv_reader_open_mem(&r, "m", "1", 1, &t, 1, &o, &err), FLOE_EINVAL);
    CHECK_EQ(csv_reader_open_mem(&r, "m", "1", 1, &t, 0, NULL, &err), FLOE_EINVAL);
    fl_type nested = fl_type_make(FL_TYPE_LIST);
    CHECK_EQ(csv_reader_open_mem(&r, "m", "1", 1, &nested, 1, NULL, &err), FLOE_EUNSUPPORTED);
    CHECK_STR(err.message, "could not open \"m\": csv columns cannot have type list (column 1)");
    CHECK_EQ(csv_reader_open(&r, "/nonexistent/x.csv", &t, 1, NULL, &err), FLOE_ENOTFOUND);
    /* a .zst name with plain bytes */
    CHECK_EQ(csv_reader_open_mem(&r, "x.zst", "1\n", 2, &t, 1, NULL, &err), FLOE_ECORRUPT);
    CHECK_STR(err.message, "could not read \"x.zst\": not a zstd file");
}

TEST(csv_error_is_sticky)
{
    fl_type t = fl_type_make(FL_TYPE_INT32);
    csv_reader *r;
    fl_error err;
    CHECK_OK(csv_reader_open_mem(&r, "m", "1\nx\n", 4, &t, 1, NULL, &err), &err);
    fl_arena *arena = fl_arena_new(0);
    fl_column *cols[1];
    size_t rows;
    CHECK_EQ(csv_reader_next(r, arena, cols, &rows, &err), 0);
    CHECK_EQ(rows, 1);
    CHECK_EQ(csv_reader_next(r, arena, cols, &rows, &err), FLOE_EINVAL);
    CHECK_EQ(rows, 0);
    CHECK_EQ(csv_reader_next(r, arena, cols, &rows, NULL), FLOE_EINVAL);
    CHECK_EQ(csv_reader_next(r, arena, cols, &rows, &err), FLOE_EINVAL);
    CHECK_STR(err.message, "could not parse \"m\": line 2, column 1: invalid integer \"x\"");
    csv_reader_free(r);
    fl_arena_free(arena);
}

TEST(csv_column_names_and_validity)
{
    const char *names[2] = {"id", "s"};
    csv_opts o = opts_with(',');
    o.column_names = names;
    fl_type t[2] = {fl_type_make(FL_TYPE_INT64), fl_type_make(FL_TYPE_STRING)};
    csv_reader *r;
    fl_error err;
    const char *text = "1,a\n,\n3,ccc\n";
    CHECK_OK(csv_reader_open_mem(&r, "m", text, strlen(text), t, 2, &o, &err), &err);
    fl_arena *arena = fl_arena_new(0);
    fl_column *cols[2];
    size_t rows;
    CHECK_OK(csv_reader_next(r, arena, cols, &rows, &err), &err);
    CHECK_EQ(rows, 3);
    CHECK_STR(cols[0]->name, "id");
    CHECK_STR(cols[1]->name, "s");
    CHECK_EQ(cols[0]->len, 3);
    CHECK_EQ(fl_column_null_count(cols[0]), 1);
    CHECK_EQ(fl_column_null_count(cols[1]), 1);
    CHECK_EQ(((int64_t *)cols[0]->data)[1], 0);
    CHECK_EQ(((fl_strv *)cols[1]->data)[1].len, 0);
    fl_strv s = ((fl_strv *)cols[1]->data)[2];
    CHECK_MEM(s.ptr, s.len, "ccc", 3);
    CHECK_OK(csv_reader_next(r, arena, cols, &rows, &err), &err);
    CHECK_EQ(rows, 0);
    CHECK_EQ(csv_reader_rows(r), 3);
    csv_reader_free(r);
    fl_arena_free(arena);
}

TEST(csv_every_split_point)
{
    /* every block size from 1 byte up: rounds end between \r and \n, inside
     * quotes, right after delimiters; the result must never change */
    const char *text = "1|\"a\r\nb\"|2.5|\r\n"
                       "22|x|30|\r\n"
                       "\r\n"
                       "3|\"q\"\"|\"|0.01\r\n"
                       "4||7\n"
                       "5|\"\"|\r\n"
                       "6|end|1.5";
    const char *expected = "1|[a\r\nb]|2.50\n22|[x]|30.00\n3|[q\"|]|0.01\n4|NULL|7.00\n"
                           "5|[]|NULL\n6|[end]|1.50\n";
    csv_opts o = opts_with('|');
    for (size_t bs = 0; bs <= 48; bs++) {
        o.block_size = bs;
        if (!CHECK(rows_are(text, "int,varchar,decimal(7,2)", &o, expected)))
            fprintf(stderr, "    block_size %zu\n", bs);
    }
    /* the same with an error on the last line: the line number never changes */
    char bad[256];
    snprintf(bad, sizeof bad, "%s\n7|\"x\ny\"|1.2.3\n", text);
    for (size_t bs = 0; bs <= 48; bs++) {
        o.block_size = bs;
        if (!CHECK(error_is(bad, "int,varchar,decimal(7,2)", &o,
                            "could not parse \"t.csv\": line 9, column 3: invalid decimal \"1.2.3\"")))
            fprintf(stderr, "    block_size %zu\n", bs);
    }
}
