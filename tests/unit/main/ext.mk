UNIT_SRC += tests/unit/main/test_ext_table.c
