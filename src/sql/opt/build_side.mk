# src/sql/opt: the build-side rule for SEMI/ANTI joins (engineer "join").
LIB_SRC += \
  src/sql/opt/opt_build_side.c
