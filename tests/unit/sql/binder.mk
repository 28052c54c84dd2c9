# tests/unit/sql: binder, plan and optimizer tests (engineer "binder").
UNIT_SRC += \
  tests/unit/sql/bind_test_env.c \
  tests/unit/sql/test_bind.c \
  tests/unit/sql/test_bind_tpcds.c \
  tests/unit/sql/test_opt.c
