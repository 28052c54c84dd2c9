# src/cli: `floe iceberg branch|tag|cherry-pick|alter` (engineer "iceevolve").
CLI_SRC += \
  src/cli/cmd_iceberg_evolve.c
