/*
 * test_build_side.c: opt_build_side.c observed on EXPLAIN text (SF1 row
 * estimates of bind_test_env.c): EXISTS / NOT EXISTS whose outer side is at
 * least 4x smaller than the subquery's become RIGHT_SEMI / RIGHT_ANTI with
 * the children swapped and every condition re-oriented (ordered comparisons
 * mirrored); larger outer sides, IN / NOT IN (MARK), and a swappable join
 * on the probe side of a swapped one stay as they are.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "bind_test_env.h"

TEST(build_side_exists_small_outer_swaps)
{
    /* 30 web sites, 719k web_sales rows: the sites build */
    const char *p = bt_plan("SELECT web_name FROM web_site WHERE EXISTS (SELECT 1 FROM web_sales "
                            "WHERE ws_web_site_sk = web_site_sk)", true);
    CHECK(bt_has(p, "JOIN RIGHT_SEMI conds=[ws_web_site_sk = web_site_sk]\n"
                    "    PROJECT [ws_web_site_sk]\n"
                    "      GET web_sales [ws_web_site_sk]\n"
                    "    GET web_site [web_site_sk, web_name]"));
    p = bt_plan("SELECT web_name FROM web_site WHERE NOT EXISTS (SELECT 1 FROM web_sales "
                "WHERE ws_web_site_sk = web_site_sk)", true);
    CHECK(bt_has(p, "JOIN RIGHT_ANTI conds=[ws_web_site_sk = web_site_sk]\n"
                    "    PROJECT [ws_web_site_sk]\n"
                    "      GET web_sales [ws_web_site_sk]\n"
                    "    GET web_site [web_site_sk, web_name]"));
    CHECK(bt_lacks(p, "JOIN ANTI"));
}

TEST(build_side_conditions_mirrored)
{
    const char *p = bt_plan("SELECT web_name FROM web_site WHERE EXISTS (SELECT 1 FROM web_sales "
                            "WHERE ws_web_site_sk = web_site_sk AND web_site_sk < ws_item_sk AND "
                            "ws_warehouse_sk <> web_site_sk)", true);
    CHECK(bt_has(p, "JOIN RIGHT_SEMI conds=[ws_web_site_sk = web_site_sk, ws_item_sk > "
                    "web_site_sk, ws_warehouse_sk <> web_site_sk]"));
}

TEST(build_side_keeps_larger_outer_and_mark)
{
    /* web_sales outer, web_site inner: already building on the small side */
    const char *p = bt_plan("SELECT count(*) FROM web_sales WHERE EXISTS (SELECT 1 FROM web_site "
                            "WHERE ws_web_site_sk = web_site_sk)", true);
    CHECK(bt_has(p, "JOIN SEMI conds=[ws_web_site_sk = web_site_sk]"));
    CHECK(bt_lacks(p, "RIGHT_SEMI"));
    /* sizes within 4x: 71763 returns against 719384 sales is 10x, 50000
     * addresses against 100000 customers is not */
    p = bt_plan("SELECT count(*) FROM customer_address WHERE EXISTS (SELECT 1 FROM customer "
                "WHERE c_current_addr_sk = ca_address_sk)", true);
    CHECK(bt_has(p, "JOIN SEMI conds=[ca_address_sk = c_current_addr_sk]"));
    /* NOT IN is null-aware (MARK): never swapped */
    p = bt_plan("SELECT web_name FROM web_site WHERE web_site_sk NOT IN (SELECT ws_web_site_sk "
                "FROM web_sales)", true);
    CHECK(bt_lacks(p, "RIGHT_"));
}

TEST(build_side_one_swap_per_probe_path)
{
    /* the inner EXISTS (72k returns vs 719k sales) could swap, but it is the
     * probe side of the outer swapped join: only the outer one swaps */
    const char *p = bt_plan(
        "SELECT web_name FROM web_site WHERE EXISTS (SELECT 1 FROM web_returns WHERE "
        "wr_web_page_sk = web_site_sk AND EXISTS (SELECT 1 FROM web_sales WHERE "
        "ws_order_number = wr_order_number))", true);
    CHECK(bt_has(p, "JOIN RIGHT_SEMI"));
    CHECK(bt_has(p, "JOIN SEMI conds=[wr_order_number = ws_order_number]"));
}
