# tests/unit/exec: COPY into sorted tables, GROUPS frames and DISTINCT window
# aggregates (engineer "featx").
UNIT_SRC += \
  tests/unit/exec/test_featx_copy.c \
  tests/unit/exec/test_featx_window.c
