# tests/unit/cli: unit tests of the CLI's helpers (the helpers are CLI
# sources, not library sources, so they are listed here too).
UNIT_SRC += \
  tests/unit/cli/test_ddl.c \
  tests/unit/cli/test_render.c \
  src/cli/ddl.c \
  src/cli/render.c
