# src/sql/plan: logical plan helpers and EXPLAIN text (engineer "binder").
LIB_SRC += \
  src/sql/plan/plan.c \
  src/sql/plan/plan_explain.c
