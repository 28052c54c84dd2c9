# src/main: external tables (coordinator's file; the rest of src/main is in main.mk).
LIB_SRC += src/main/ext_table.c
