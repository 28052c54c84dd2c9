# tests/unit/exec: COPY into sorted tables (engineer "featx").
UNIT_SRC += \
  tests/unit/exec/test_featx_copy.c
