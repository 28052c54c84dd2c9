# src/sql/parse: the SQL lexer, parser and AST printer (see src/sql/README.md).
LIB_SRC += \
  src/sql/parse/sql_ast_print.c \
  src/sql/parse/sql_lexer.c \
  src/sql/parse/sql_parse_expr.c \
  src/sql/parse/sql_parse_query.c \
  src/sql/parse/sql_parse_stmt.c \
  src/sql/parse/sql_parse_util.c
