# src/cli: the `floe datagen` command (engineer "datagen"; see src/datagen).
CLI_SRC += src/cli/cmd_datagen.c
