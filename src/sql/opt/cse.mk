# src/sql/opt: common subexpressions of aggregate arguments computed once (engineer "cse").
LIB_SRC += \
  src/sql/opt/opt_cse.c
