# src/sql/opt: the optimizer, one rule per file (engineer "binder").
LIB_SRC += \
  src/sql/opt/opt.c \
  src/sql/opt/opt_cte.c \
  src/sql/opt/opt_dup_insensitive.c \
  src/sql/opt/opt_filter_pushdown.c \
  src/sql/opt/opt_fold.c \
  src/sql/opt/opt_join_order.c \
  src/sql/opt/opt_projection.c \
  src/sql/opt/opt_semi.c \
  src/sql/opt/opt_topn.c
