# src/exec: vectors, compiled expressions, the physical planner, pipelines
# and EXPLAIN (engineer "spine").
LIB_SRC += \
  src/exec/vector.c \
  src/exec/ex_expr.c \
  src/exec/ex_expr_eval.c \
  src/exec/ex_expr_dict.c \
  src/exec/ex_plan.c \
  src/exec/ex_pipeline.c \
  src/exec/ex_explain.c
