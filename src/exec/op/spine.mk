# src/exec/op: the simple operators (engineer "spine"): filter, projection,
# limit, constant sources, CTE materialization and scans, nested loop join.
LIB_SRC += \
  src/exec/op/filter.c \
  src/exec/op/project.c \
  src/exec/op/limit.c \
  src/exec/op/values.c \
  src/exec/op/cte.c \
  src/exec/op/nl_join.c
