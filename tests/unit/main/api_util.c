/*
 * api_util.c: see api_util.h.
 */
#include "api_util.h"

#include <stdio.h>

#include "../test.h"

bool mt_api_open(mt_api *a, int threads)
{
    char errbuf[256] = "";
    snprintf(a->warehouse, sizeof a->warehouse, "%s", ft_tmpdir());
    floe_db_options o = {.warehouse = a->warehouse, .threads = threads};
    a->db = NULL;
    a->conn = NULL;
    if (!CHECK(floe_db_open(&a->db, &o, errbuf, sizeof errbuf) == 0)) {
        fprintf(stderr, "open: %s\n", errbuf);
        return false;
    }
    return CHECK(floe_conn_open(&a->conn, a->db) == 0);
}

void mt_api_close(mt_api *a)
{
    floe_conn_close(a->conn);
    floe_db_close(a->db);
}
