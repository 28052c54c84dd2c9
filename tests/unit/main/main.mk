# tests/unit/main: the public API end to end (engineer "spine").
UNIT_SRC += \
  tests/unit/main/test_api.c tests/unit/main/api_util.c
