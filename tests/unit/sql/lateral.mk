# tests/unit/sql: LATERAL subqueries and decorrelation (engineer "lateral").
UNIT_SRC += tests/unit/sql/test_bind_lateral.c
