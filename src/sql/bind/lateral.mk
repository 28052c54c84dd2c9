# src/sql/bind: LATERAL subqueries in FROM (engineer "lateral").
LIB_SRC += src/sql/bind/bind_lateral.c
