# tests/unit/datagen: the TPC-DS generator (engineer "datagen"). ddl.c (the
# CLI's DDL parser, used to compare the schema) is listed by tests/unit/cli.
UNIT_SRC += tests/unit/datagen/test_datagen.c
