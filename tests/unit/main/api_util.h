/*
 * api_util.h: a database and connection on a fresh temporary warehouse,
 * through the public API (include/floe.h), for the tests in tests/unit/main.
 */
#ifndef FLOE_TEST_MAIN_API_UTIL_H
#define FLOE_TEST_MAIN_API_UTIL_H

#include <stdbool.h>

#include "../../../include/floe.h"

typedef struct mt_api {
    floe_db *db;
    floe_conn *conn;
    char warehouse[512];
} mt_api;

/* Opens a database with `threads` threads and a connection (CHECKed). */
bool mt_api_open(mt_api *a, int threads);
void mt_api_close(mt_api *a);

#endif
