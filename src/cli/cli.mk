# src/cli: the `floe` command (see src/cli/README.md).
CLI_SRC += \
  src/cli/main.c \
  src/cli/cmd_parquet.c \
  src/cli/cmd_parquet_read.c \
  src/cli/cmd_parquet_write.c \
  src/cli/ddl.c \
  src/cli/render.c \
  src/cli/cmd_iceberg.c \
  src/cli/cmd_iceberg_read.c \
  src/cli/cmd_namespace.c \
  src/cli/cmd_iceberg_write.c \
  src/cli/shell.c \
  src/cli/shell_split.c \
  src/cli/shell_render.c \
  src/cli/cmd_demo.c
