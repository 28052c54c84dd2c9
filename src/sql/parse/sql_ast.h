/*
 * sql_ast.h: the abstract syntax tree the SQL parser produces.
 *
 * The tree is the first stage of the SQL front end (parse -> bind -> logical
 * plan -> optimizer -> physical plan, see src/sql/README.md). It records
 * what the text said, nothing more: names are not resolved, types are not
 * checked, `*` is not expanded. Every node lives in the arena passed to
 * sql_parse() and is freed with it; nodes are never shared between parents.
 *
 * Conventions the binder can rely on:
 *  - identifiers are NUL-terminated arena strings; unquoted identifiers are
 *    folded to lower case, quoted ones ("x", `x`) keep their spelling and set
 *    `quoted`;
 *  - a list is a pointer to an array of node pointers plus a count (the
 *    array is never NULL when the count is positive);
 *  - every node carries `loc`, the byte offset of its first token in the
 *    statement text, so later stages can report errors with line/column
 *    (sql_error_at in sql_lexer.h, which sql_parser.h includes);
 *  - optional parts are NULL / 0 when absent.
 * Node kinds are only ever appended, so the printer and the binder can
 * switch over them exhaustively.
 */
#ifndef SQL_AST_H
#define SQL_AST_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sql_query sql_query;
typedef struct sql_expr sql_expr;
typedef struct sql_stmt sql_stmt;
typedef struct sql_table_ref sql_table_ref;

typedef struct sql_ident {
    const char *name;  /* folded to lower case unless quoted */
    bool quoted;
} sql_ident;

/* A possibly qualified name: catalog.schema.table, t.column, system.proc. */
typedef struct sql_name {
    sql_ident *parts;
    uint32_t count;
} sql_name;

/* A type as written: decimal(7,2), varchar(20), timestamp(6) with time zone,
 * array(int), map(varchar, bigint), row(a int, b varchar), int[]. */
typedef struct sql_type {
    const char *name;         /* lower case; multi-word names joined by one space:
                                 "double precision", "timestamp with time zone" */
    int64_t *params;          /* numeric parameters: (7,2), (20), (6) */
    uint32_t param_count;
    struct sql_type **children;   /* element/key/value/field types */
    sql_ident *field_names;   /* row(...) field names, else NULL */
    uint32_t child_count;
    uint32_t loc;
} sql_type;

typedef enum sql_expr_kind {
    SQL_EXPR_LITERAL,
    SQL_EXPR_COLUMN,        /* name: a, t.a, s.t.a */
    SQL_EXPR_STAR,          /* *, t.* (name holds the qualifier) */
    SQL_EXPR_PARAM,         /* ? placeholder, numbered from 1 */
    SQL_EXPR_UNARY,
    SQL_EXPR_BINARY,
    SQL_EXPR_IS_NULL,       /* IS [NOT] NULL */
    SQL_EXPR_IS_BOOL,       /* IS [NOT] TRUE / FALSE */
    SQL_EXPR_IS_DISTINCT,   /* IS [NOT] DISTINCT FROM */
    SQL_EXPR_BETWEEN,
    SQL_EXPR_LIKE,          /* [NOT] LIKE / ILIKE [ESCAPE] */
    SQL_EXPR_IN_LIST,
    SQL_EXPR_IN_QUERY,
    SQL_EXPR_EXISTS,
    SQL_EXPR_SUBQUERY,      /* scalar subquery */
    SQL_EXPR_FUNCTION,
    SQL_EXPR_CASE,
    SQL_EXPR_CAST,          /* CAST, TRY_CAST, x::type */
    SQL_EXPR_EXTRACT,
    SQL_EXPR_INTERVAL,
    SQL_EXPR_STRUCT,        /* {'a': 1, b: 2} */
    SQL_EXPR_ARRAY,         /* ARRAY[1, 2] */
    SQL_EXPR_SUBSCRIPT,     /* a[1] */
    SQL_EXPR_NAMED_ARG,     /* name => value / name = value in a call */
    SQL_EXPR_ROW,           /* (a, b) or ROW(a, b) */
    SQL_EXPR_QUANTIFIED,    /* a = ANY (query), a > ALL (query), SOME = ANY */
    SQL_EXPR_AT_TIME_ZONE,  /* ts AT TIME ZONE 'UTC' */
} sql_expr_kind;

typedef enum sql_literal_kind {
    SQL_LIT_NULL,
    SQL_LIT_BOOL,
    SQL_LIT_INTEGER,        /* digits only */
    SQL_LIT_DECIMAL,        /* digits with a point: 1.5, .5, 2. */
    SQL_LIT_DOUBLE,         /* with an exponent: 1e10, 2.5E-3 */
    SQL_LIT_STRING,
    SQL_LIT_TYPED,          /* DATE '2000-01-01', TIMESTAMP '...': type + text */
} sql_literal_kind;

typedef enum sql_op {
    SQL_OP_OR, SQL_OP_AND, SQL_OP_NOT,
    SQL_OP_EQ, SQL_OP_NE, SQL_OP_LT, SQL_OP_LE, SQL_OP_GT, SQL_OP_GE,
    SQL_OP_CONCAT,
    SQL_OP_ADD, SQL_OP_SUB, SQL_OP_MUL, SQL_OP_DIV, SQL_OP_MOD,
    SQL_OP_NEG, SQL_OP_PLUS,
} sql_op;

typedef enum sql_interval_unit {
    SQL_UNIT_NONE,
    SQL_UNIT_YEAR, SQL_UNIT_MONTH, SQL_UNIT_WEEK, SQL_UNIT_DAY,
    SQL_UNIT_HOUR, SQL_UNIT_MINUTE, SQL_UNIT_SECOND,
} sql_interval_unit;

typedef enum sql_frame_kind { SQL_FRAME_NONE, SQL_FRAME_ROWS, SQL_FRAME_RANGE, SQL_FRAME_GROUPS } sql_frame_kind;

typedef enum sql_bound_kind {
    SQL_BOUND_NONE,
    SQL_BOUND_UNBOUNDED_PRECEDING,
    SQL_BOUND_PRECEDING,    /* offset PRECEDING */
    SQL_BOUND_CURRENT_ROW,
    SQL_BOUND_FOLLOWING,    /* offset FOLLOWING */
    SQL_BOUND_UNBOUNDED_FOLLOWING,
} sql_bound_kind;

typedef struct sql_frame_bound {
    sql_bound_kind kind;
    sql_expr *offset;
} sql_frame_bound;

typedef struct sql_order_item {
    sql_expr *expr;
    bool desc;
    int nulls;              /* 0 default, 1 NULLS FIRST, 2 NULLS LAST */
} sql_order_item;

/* OVER (...) or a WINDOW clause entry. */
typedef struct sql_window {
    const char *name;       /* WINDOW w AS (...): w; else NULL */
    const char *base;       /* OVER w / OVER (w ORDER BY ..): w; else NULL */
    sql_expr **partition;
    uint32_t partition_count;
    sql_order_item *order;
    uint32_t order_count;
    sql_frame_kind frame;
    sql_frame_bound start, end;   /* end.kind NONE when no BETWEEN */
    uint32_t loc;
} sql_window;

struct sql_expr {
    sql_expr_kind kind;
    uint32_t loc;
    union {
        struct {
            sql_literal_kind kind;
            const char *text;     /* number digits, string contents (unescaped) */
            bool boolean;
            sql_type *type;       /* SQL_LIT_TYPED */
        } lit;
        sql_name column;          /* SQL_EXPR_COLUMN, SQL_EXPR_STAR (qualifier, count may be 0) */
        uint32_t param_index;
        struct { sql_op op; sql_expr *arg; } unary;
        struct { sql_op op; sql_expr *left, *right; } binary;
        struct { sql_expr *arg; bool negated; bool value; } is;   /* IS_NULL, IS_BOOL */
        struct { sql_expr *left, *right; bool negated; } distinct;
        struct { sql_expr *arg, *low, *high; bool negated; } between;
        struct { sql_expr *arg, *pattern, *escape; bool negated, ilike; } like;
        struct { sql_expr *arg; sql_expr **items; uint32_t count; bool negated; } in_list;
        struct { sql_expr *arg; sql_query *query; bool negated; } in_query;
        struct { sql_op op; sql_expr *arg; sql_query *query; bool all; } quantified;
        sql_query *subquery;      /* EXISTS, SUBQUERY */
        struct {
            sql_name name;
            sql_expr **args;      /* may contain SQL_EXPR_NAMED_ARG */
            uint32_t arg_count;
            bool distinct;
            bool star;            /* count(*) */
            sql_order_item *order;    /* array_agg(x ORDER BY y) */
            uint32_t order_count;
            sql_expr *filter;     /* FILTER (WHERE ...) */
            sql_window *over;     /* OVER (...) */
        } func;
        struct {
            sql_expr *operand;    /* simple CASE, else NULL */
            sql_expr **whens, **thens;
            uint32_t when_count;
            sql_expr *else_expr;
        } case_;
        struct { sql_expr *arg; sql_type *type; bool try_; } cast;
        struct { const char *field; sql_expr *arg; } extract;   /* field lower case */
        struct {
            sql_expr *value;      /* string literal, number or expression */
            sql_interval_unit unit, to_unit;   /* to_unit: INTERVAL '1-2' YEAR TO MONTH */
        } interval;
        struct { sql_ident *names; sql_expr **values; uint32_t count; } struct_;
        struct { sql_expr **items; uint32_t count; } list;        /* ARRAY, ROW */
        struct { sql_expr *arg, *index; } subscript;
        struct { sql_expr *arg, *zone; } at_zone;
        struct { sql_ident name; sql_expr *value; } named;
    } u;
};

typedef enum sql_join_kind {
    SQL_JOIN_INNER, SQL_JOIN_LEFT, SQL_JOIN_RIGHT, SQL_JOIN_FULL, SQL_JOIN_CROSS,
} sql_join_kind;

typedef enum sql_table_ref_kind {
    SQL_TABLE_NAME,         /* a stored table or CTE */
    SQL_TABLE_SUBQUERY,
    SQL_TABLE_FUNCTION,     /* read_parquet('x'), UNNEST(a) */
    SQL_TABLE_JOIN,
} sql_table_ref_kind;

typedef enum sql_travel_kind { SQL_TRAVEL_NONE, SQL_TRAVEL_TIMESTAMP, SQL_TRAVEL_VERSION } sql_travel_kind;

struct sql_table_ref {
    sql_table_ref_kind kind;
    uint32_t loc;
    const char *alias;            /* NULL when none */
    bool alias_quoted;
    sql_ident *column_aliases;    /* t(a, b) */
    uint32_t column_alias_count;
    union {
        struct {
            sql_name name;
            sql_travel_kind travel;
            sql_expr *travel_value;
        } table;
        struct { sql_query *query; bool lateral; } subquery;
        struct { sql_expr *call; bool lateral; } function;   /* a SQL_EXPR_FUNCTION */
        struct {
            sql_join_kind kind;
            bool natural;
            bool comma;           /* FROM a, b: CROSS written as a comma */
            sql_table_ref *left, *right;
            sql_expr *on;
            sql_ident *using_cols;
            uint32_t using_count;
        } join;
    } u;
};

typedef struct sql_select_item {
    sql_expr *expr;
    const char *alias;
    bool alias_quoted;
} sql_select_item;

typedef enum sql_group_kind {
    SQL_GROUP_EXPR,         /* an expression or an ordinal */
    SQL_GROUP_ROLLUP,
    SQL_GROUP_CUBE,
    SQL_GROUP_SETS,         /* GROUPING SETS ((a, b), (a), ()) */
} sql_group_kind;

typedef struct sql_group_item {
    sql_group_kind kind;
    sql_expr *expr;               /* SQL_GROUP_EXPR */
    sql_expr ***sets;             /* ROLLUP/CUBE: each set one element list or a row;
                                     GROUPING SETS: each set a list */
    uint32_t *set_sizes;
    uint32_t set_count;
} sql_group_item;

typedef struct sql_cte {
    sql_ident name;
    sql_ident *columns;
    uint32_t column_count;
    sql_query *query;
} sql_cte;

typedef enum sql_query_kind {
    SQL_QUERY_SELECT,
    SQL_QUERY_SETOP,
    SQL_QUERY_VALUES,
    SQL_QUERY_NESTED,       /* (query) that carries a second WITH or ORDER BY/LIMIT:
                               (SELECT .. LIMIT 5) ORDER BY x */
} sql_query_kind;
typedef enum sql_setop { SQL_SETOP_UNION, SQL_SETOP_INTERSECT, SQL_SETOP_EXCEPT } sql_setop;

/* A query expression. Parentheses around a query are implied by nesting:
 * a set operation's operand or a subquery is itself a sql_query that may
 * carry its own WITH, ORDER BY and LIMIT. */
struct sql_query {
    sql_query_kind kind;
    uint32_t loc;
    bool recursive;               /* WITH RECURSIVE */
    sql_cte *ctes;
    uint32_t cte_count;
    union {
        struct {
            bool distinct;
            sql_select_item *items;
            uint32_t item_count;
            sql_table_ref *from;      /* NULL for SELECT without FROM */
            sql_expr *where;
            sql_group_item *group;
            uint32_t group_count;
            bool group_distinct;      /* GROUP BY DISTINCT */
            sql_expr *having;
            sql_window **windows;     /* named WINDOW clause */
            uint32_t window_count;
            sql_expr *qualify;
        } select;
        struct {
            sql_setop op;
            bool all;                 /* UNION ALL; DISTINCT is the default */
            sql_query *left, *right;
        } setop;
        struct {
            sql_expr ***rows;
            uint32_t *row_sizes;
            uint32_t row_count;
        } values;
        sql_query *nested;
    } u;
    sql_order_item *order;
    uint32_t order_count;
    sql_expr *limit;              /* LIMIT n / FETCH FIRST n ROWS ONLY; NULL = none (LIMIT ALL) */
    bool with_ties;               /* FETCH FIRST n ROWS WITH TIES */
    sql_expr *offset;
};

/* key = value in WITH (...), TBLPROPERTIES (...), OPTIONS (...), COPY options.
 * value is NULL for a bare option (COPY ... (HEADER)). */
typedef struct sql_property {
    const char *key;              /* identifier (lower case) or string literal text */
    sql_expr *value;
} sql_property;

typedef struct sql_column_def {
    sql_ident name;
    sql_type *type;
    bool not_null;
    const char *comment;
    uint32_t loc;
} sql_column_def;

typedef struct sql_assign {
    sql_name column;
    sql_expr *value;
} sql_assign;

typedef enum sql_stmt_kind {
    SQL_STMT_QUERY,
    SQL_STMT_INSERT,
    SQL_STMT_UPDATE,
    SQL_STMT_DELETE,
    SQL_STMT_MERGE,
    SQL_STMT_COPY,
    SQL_STMT_CREATE_SCHEMA,
    SQL_STMT_CREATE_TABLE,
    SQL_STMT_CREATE_VIEW,
    SQL_STMT_DROP,
    SQL_STMT_ALTER_TABLE,
    SQL_STMT_SHOW,
    SQL_STMT_DESCRIBE,
    SQL_STMT_EXPLAIN,
    SQL_STMT_USE,
    SQL_STMT_CALL,
} sql_stmt_kind;

typedef enum sql_merge_action { SQL_MERGE_UPDATE, SQL_MERGE_DELETE, SQL_MERGE_INSERT } sql_merge_action;

typedef struct sql_merge_clause {
    bool matched;                 /* WHEN MATCHED / WHEN NOT MATCHED */
    sql_expr *condition;          /* AND ... */
    sql_merge_action action;
    sql_assign *sets;             /* UPDATE SET */
    uint32_t set_count;
    bool update_star;             /* UPDATE SET * (Spark) */
    sql_ident *columns;           /* INSERT (cols) */
    uint32_t column_count;
    sql_expr **values;            /* INSERT VALUES (...) */
    uint32_t value_count;
    bool insert_star;             /* INSERT * (Spark) */
} sql_merge_clause;

typedef enum sql_object_kind { SQL_OBJECT_TABLE, SQL_OBJECT_SCHEMA, SQL_OBJECT_VIEW } sql_object_kind;

typedef enum sql_show_kind {
    SQL_SHOW_SCHEMAS, SQL_SHOW_TABLES, SQL_SHOW_COLUMNS, SQL_SHOW_CREATE_TABLE,
} sql_show_kind;

typedef enum sql_alter_kind {
    SQL_ALTER_ADD_COLUMN,
    SQL_ALTER_DROP_COLUMN,
    SQL_ALTER_RENAME_COLUMN,
    SQL_ALTER_COLUMN_TYPE,
    SQL_ALTER_SET_PROPERTIES,
    SQL_ALTER_ADD_PARTITION_FIELD,
    SQL_ALTER_DROP_PARTITION_FIELD,
    SQL_ALTER_EXECUTE,
    SQL_ALTER_RENAME_TABLE,
} sql_alter_kind;

typedef struct sql_alter_action {
    sql_alter_kind kind;
    sql_column_def *column;       /* ADD COLUMN */
    sql_name column_name;         /* DROP/RENAME/ALTER COLUMN (nested fields: a.b) */
    sql_ident new_name;           /* RENAME COLUMN .. TO x; ADD PARTITION FIELD .. AS x */
    sql_name new_table;           /* RENAME TO */
    sql_type *type;               /* ALTER COLUMN .. TYPE */
    sql_property *props;          /* SET TBLPROPERTIES */
    uint32_t prop_count;
    sql_expr *expr;               /* partition field transform; EXECUTE call */
    bool if_exists, if_not_exists;
} sql_alter_action;

struct sql_stmt {
    sql_stmt_kind kind;
    uint32_t loc;                 /* offset of the first token */
    uint32_t end;                 /* offset just past the last token */
    union {
        sql_query *query;
        struct {
            sql_name table;
            bool overwrite;
            sql_ident *columns;
            uint32_t column_count;
            sql_property *partition;  /* Spark: PARTITION (k = 'v', j) */
            uint32_t partition_count;
            sql_query *query;     /* SELECT or VALUES */
        } insert;
        struct {
            sql_name table;
            const char *alias;
            sql_assign *sets;
            uint32_t set_count;
            sql_expr *where;
        } update;
        struct { sql_name table; const char *alias; sql_expr *where; } delete_;
        struct {
            sql_name table;
            const char *alias;
            sql_table_ref *source;
            sql_expr *on;
            sql_merge_clause *clauses;
            uint32_t clause_count;
        } merge;
        struct {
            sql_name table;
            sql_ident *columns;
            uint32_t column_count;
            const char *path;
            sql_property *options;
            uint32_t option_count;
        } copy;
        struct {
            sql_name name;
            bool database;        /* spelled DATABASE */
            bool if_not_exists;
            const char *location;
            const char *comment;
            sql_property *props;  /* WITH (...) / WITH DBPROPERTIES */
            uint32_t prop_count;
        } create_schema;
        struct {
            sql_name name;
            bool or_replace, external, if_not_exists;
            sql_column_def *columns;
            uint32_t column_count;
            const char *using_format;     /* USING iceberg: lower case */
            sql_expr **partitioned_by;    /* columns or transform calls */
            sql_type **partition_types;   /* Hive PARTITIONED BY (dt string): per item, or NULL */
            uint32_t partition_count;
            const char *field_delimiter;  /* ROW FORMAT DELIMITED FIELDS TERMINATED BY */
            const char *line_delimiter;   /* LINES TERMINATED BY */
            const char *escape_char;      /* ESCAPED BY */
            const char *serde;            /* ROW FORMAT SERDE 'class' */
            sql_property *serde_props;    /* WITH SERDEPROPERTIES (...) */
            uint32_t serde_prop_count;
            const char *stored_as;        /* STORED AS PARQUET: lower case */
            const char *location;
            const char *comment;
            sql_property *tblproperties;
            uint32_t tblproperty_count;
            sql_property *with_props;     /* Trino WITH (format = 'PARQUET', ...) */
            uint32_t with_prop_count;
            sql_property *options;        /* Spark OPTIONS (...) */
            uint32_t option_count;
            sql_query *as_query;          /* CTAS */
        } create_table;
        struct { sql_name name; bool or_replace; bool if_not_exists; sql_query *query; } create_view;
        struct { sql_object_kind object; sql_name name; bool if_exists, cascade; } drop;
        struct { sql_name table; bool if_exists; sql_alter_action *actions; uint32_t action_count; } alter;
        struct { sql_show_kind kind; sql_name name; const char *like; } show;
        struct { sql_name table; bool extended; } describe;   /* DESCRIBE EXTENDED|FORMATTED */
        struct {
            sql_stmt *stmt;
            bool analyze, verbose;
            sql_property *options;    /* Trino: EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) */
            uint32_t option_count;
        } explain;
        struct { sql_name name; } use;
        struct { sql_name name; sql_expr **args; uint32_t arg_count; } call;
    } u;
};

#endif
