/*
 * sql_lexer.h: the SQL tokenizer.
 *
 * sql_lex() turns a whole statement text into an array of tokens in an
 * arena, ending with a SQL_TOK_EOF token. Whitespace and comments (-- to end
 * of line, and block comments, which nest) are skipped. Identifiers are folded to lower
 * case and looked up in a sorted keyword table by binary search; quoted
 * identifiers ("x", `x`) and string literals ('it''s') are unescaped into the
 * arena. Each token keeps its byte offset and line so errors can point at
 * line and column. Malformed text (an unterminated string, quoted identifier
 * or comment, a stray character) is a syntax error, SQLSTATE 42601.
 */
#ifndef SQL_LEXER_H
#define SQL_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/arena.h"
#include "../../base/error.h"

typedef enum sql_token_kind {
    SQL_TOK_EOF,
    SQL_TOK_IDENT,          /* text folded to lower case; kw set when a keyword */
    SQL_TOK_QUOTED_IDENT,   /* "x" or `x`, unescaped */
    SQL_TOK_STRING,         /* 'x', unescaped */
    SQL_TOK_INTEGER,
    SQL_TOK_DECIMAL,
    SQL_TOK_DOUBLE,
    SQL_TOK_PARAM,          /* ? */
    SQL_TOK_LPAREN, SQL_TOK_RPAREN, SQL_TOK_LBRACKET, SQL_TOK_RBRACKET,
    SQL_TOK_LBRACE, SQL_TOK_RBRACE,
    SQL_TOK_COMMA, SQL_TOK_DOT, SQL_TOK_SEMI, SQL_TOK_COLON, SQL_TOK_DCOLON,
    SQL_TOK_PLUS, SQL_TOK_MINUS, SQL_TOK_STAR, SQL_TOK_SLASH, SQL_TOK_PERCENT,
    SQL_TOK_CONCAT,         /* || */
    SQL_TOK_EQ, SQL_TOK_NE, SQL_TOK_LT, SQL_TOK_LE, SQL_TOK_GT, SQL_TOK_GE,
    SQL_TOK_ARROW,          /* => */
} sql_token_kind;

typedef enum sql_keyword {
    SQL_KW_NONE = 0,
    SQL_KW_ADD,
    SQL_KW_ALL,
    SQL_KW_ALTER,
    SQL_KW_ANALYZE,
    SQL_KW_AND,
    SQL_KW_ANY,
    SQL_KW_ARRAY,
    SQL_KW_AS,
    SQL_KW_ASC,
    SQL_KW_BETWEEN,
    SQL_KW_BY,
    SQL_KW_CALL,
    SQL_KW_CASCADE,
    SQL_KW_CASE,
    SQL_KW_CAST,
    SQL_KW_COLUMN,
    SQL_KW_COLUMNS,
    SQL_KW_COMMENT,
    SQL_KW_COPY,
    SQL_KW_CREATE,
    SQL_KW_CROSS,
    SQL_KW_CUBE,
    SQL_KW_CURRENT,
    SQL_KW_DATA,
    SQL_KW_DATABASE,
    SQL_KW_DATABASES,
    SQL_KW_DATE,
    SQL_KW_DAY,
    SQL_KW_DAYS,
    SQL_KW_DBPROPERTIES,
    SQL_KW_DELETE,
    SQL_KW_DELIMITED,
    SQL_KW_DELIMITER,
    SQL_KW_DESC,
    SQL_KW_DESCRIBE,
    SQL_KW_DISTINCT,
    SQL_KW_DROP,
    SQL_KW_ELSE,
    SQL_KW_END,
    SQL_KW_ESCAPE,
    SQL_KW_EXCEPT,
    SQL_KW_EXECUTE,
    SQL_KW_EXISTS,
    SQL_KW_EXPLAIN,
    SQL_KW_EXTERNAL,
    SQL_KW_EXTRACT,
    SQL_KW_FALSE,
    SQL_KW_FETCH,
    SQL_KW_FIELD,
    SQL_KW_FIELDS,
    SQL_KW_FILTER,
    SQL_KW_FIRST,
    SQL_KW_FOLLOWING,
    SQL_KW_FOR,
    SQL_KW_FORMAT,
    SQL_KW_FROM,
    SQL_KW_FULL,
    SQL_KW_GROUP,
    SQL_KW_GROUPING,
    SQL_KW_GROUPS,
    SQL_KW_HAVING,
    SQL_KW_HOUR,
    SQL_KW_HOURS,
    SQL_KW_IF,
    SQL_KW_ILIKE,
    SQL_KW_IN,
    SQL_KW_INNER,
    SQL_KW_INSERT,
    SQL_KW_INTERSECT,
    SQL_KW_INTERVAL,
    SQL_KW_INTO,
    SQL_KW_IS,
    SQL_KW_JOIN,
    SQL_KW_LAST,
    SQL_KW_LATERAL,
    SQL_KW_LEFT,
    SQL_KW_LIKE,
    SQL_KW_LIMIT,
    SQL_KW_LINES,
    SQL_KW_LOCATION,
    SQL_KW_MATCHED,
    SQL_KW_MERGE,
    SQL_KW_MINUTE,
    SQL_KW_MINUTES,
    SQL_KW_MONTH,
    SQL_KW_MONTHS,
    SQL_KW_NATURAL,
    SQL_KW_NEXT,
    SQL_KW_NOT,
    SQL_KW_NULL,
    SQL_KW_NULLS,
    SQL_KW_OF,
    SQL_KW_OFFSET,
    SQL_KW_ON,
    SQL_KW_ONLY,
    SQL_KW_OPTIONS,
    SQL_KW_OR,
    SQL_KW_ORDER,
    SQL_KW_OUTER,
    SQL_KW_OVER,
    SQL_KW_OVERWRITE,
    SQL_KW_PARTITION,
    SQL_KW_PARTITIONED,
    SQL_KW_PRECEDING,
    SQL_KW_QUALIFY,
    SQL_KW_RANGE,
    SQL_KW_RECURSIVE,
    SQL_KW_RENAME,
    SQL_KW_REPLACE,
    SQL_KW_RESTRICT,
    SQL_KW_RIGHT,
    SQL_KW_ROLLUP,
    SQL_KW_ROW,
    SQL_KW_ROWS,
    SQL_KW_SCHEMA,
    SQL_KW_SCHEMAS,
    SQL_KW_SECOND,
    SQL_KW_SECONDS,
    SQL_KW_SELECT,
    SQL_KW_SET,
    SQL_KW_SETS,
    SQL_KW_SHOW,
    SQL_KW_STORED,
    SQL_KW_SYSTEM_TIME,
    SQL_KW_SYSTEM_VERSION,
    SQL_KW_TABLE,
    SQL_KW_TABLES,
    SQL_KW_TBLPROPERTIES,
    SQL_KW_TERMINATED,
    SQL_KW_THEN,
    SQL_KW_TIME,
    SQL_KW_TIMESTAMP,
    SQL_KW_TO,
    SQL_KW_TRUE,
    SQL_KW_TRY_CAST,
    SQL_KW_TYPE,
    SQL_KW_UNBOUNDED,
    SQL_KW_UNION,
    SQL_KW_UPDATE,
    SQL_KW_USE,
    SQL_KW_USING,
    SQL_KW_VALUES,
    SQL_KW_VERBOSE,
    SQL_KW_VERSION,
    SQL_KW_VIEW,
    SQL_KW_WEEK,
    SQL_KW_WEEKS,
    SQL_KW_WHEN,
    SQL_KW_WHERE,
    SQL_KW_WINDOW,
    SQL_KW_WITH,
    SQL_KW_YEAR,
    SQL_KW_YEARS,
    SQL_KW_ZONE,
    SQL_KW_COUNT_
} sql_keyword;

typedef struct sql_token {
    sql_token_kind kind;
    sql_keyword kw;         /* SQL_KW_NONE unless an unquoted keyword */
    bool reserved;          /* a reserved keyword: never an implicit alias */
    uint32_t offset;        /* byte offset in the text */
    uint32_t len;           /* bytes in the text */
    uint32_t line;          /* 1-based */
    uint32_t line_start;    /* byte offset of the line's first character */
    const char *text;       /* NUL-terminated value (see sql_token_kind) */
    uint32_t text_len;
    uint32_t match;         /* SQL_TOK_LPAREN: index of the matching ')', else UINT32_MAX */
} sql_token;

typedef struct sql_token_list {
    sql_token *tokens;
    uint32_t count;         /* including the final EOF token */
} sql_token_list;

/* Tokenizes text[0..len). The tokens live in arena. */
int sql_lex(sql_token_list *out, const char *text, size_t len, fl_arena *arena, fl_error *err);

/* The keyword spelled word[0..len) (any case), or SQL_KW_NONE. */
sql_keyword sql_keyword_lookup(const char *word, size_t len, bool *reserved);
/* Lower-case spelling of a keyword ("select"); "" for SQL_KW_NONE. */
const char *sql_keyword_name(sql_keyword kw);
/* Number of keywords and the i-th in table order (for tests). */
size_t sql_keyword_count(void);
const char *sql_keyword_at(size_t i, sql_keyword *kw);

/* 1-based line and column (in characters) of a byte offset. */
void sql_text_position(const char *text, size_t len, uint32_t offset, uint32_t *line,
                       uint32_t *column);
/* Sets err to a syntax-style error pointing at offset: the message is
 * "<what> (line L, column C)" and the detail shows the line with a caret.
 * Returns code. */
int sql_error_at(fl_error *err, int code, const char *sqlstate, const char *text, size_t len,
                 uint32_t offset, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
