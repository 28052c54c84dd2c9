# tests/unit/hardening: error quality of the SQL engine through the public
# API (engineer "hardening"; see also tests/sql/robustness).
UNIT_SRC += tests/unit/hardening/test_sql_errors_api.c
