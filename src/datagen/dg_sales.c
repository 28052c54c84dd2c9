/*
 * dg_sales.c: the three sales channels and their returns.
 *
 * A block is a range of orders (tickets); each order draws from its own RNG
 * stream seeded by (seed, table, order number), picks its customer, date and
 * channel keys, then 8-16 lines (catalog: 4-14) with distinct items. About
 * 10% of lines are returned: the return row is written with the sale, so it
 * refers to a real sale (same item and order number, quantity <= sold).
 *
 * Sale dates follow dsdgen's seasonality (sale_date).
 *
 * Pricing follows the spec's rules: quantity 1-100, wholesale cost
 * 1.00-100.00, list price = wholesale x (1 + markup 0-200%), sales price =
 * list x (1 - discount 0-100%), ext_* = price x quantity, tax 0-9% of the
 * extended sales price, coupons on some lines, net paid = ext sales -
 * coupon, net profit = net paid - ext wholesale cost; returns refund the
 * sales price times the returned quantity.
 *
 * Customers have favourite items (a hash of customer and slot): half of a
 * customer's lines pick one, so the same customer buys and returns the same
 * items across channels, as the multi-channel queries (17, 25, 29, 64, ...)
 * need.
 */
#include "dg_int.h"

#include "../base/time.h"

typedef struct line_price {
    int64_t quantity, wholesale, list, sales, ext_discount, ext_sales, ext_wholesale, ext_list;
    int64_t ext_tax, coupon, ship_cost, net_paid;
    int tax_pct_x100;   /* tax in 1/100 of a percent */
} line_price;

static int64_t pct_of(int64_t cents, int64_t pct_x100) { return (cents * pct_x100 + 5000) / 10000; }

static void price_line(dg_rng *r, line_price *p)
{
    p->quantity = dg_range(r, 1, 100);
    p->wholesale = dg_range(r, 100, 10000);
    p->list = p->wholesale + pct_of(p->wholesale, dg_range(r, 0, 20000));
    p->sales = p->list - pct_of(p->list, dg_range(r, 0, 10000));
    p->ext_discount = (p->list - p->sales) * p->quantity;
    p->ext_sales = p->sales * p->quantity;
    p->ext_wholesale = p->wholesale * p->quantity;
    p->ext_list = p->list * p->quantity;
    p->tax_pct_x100 = (int)dg_range(r, 0, 900);
    p->ext_tax = pct_of(p->ext_sales, p->tax_pct_x100);
    p->coupon = dg_chance(r, 30) ? pct_of(p->ext_sales, dg_range(r, 0, 10000)) : 0;
    p->ship_cost = pct_of(p->ext_list, dg_range(r, 0, 5000));
    p->net_paid = p->ext_sales - p->coupon;
}

typedef struct order_keys {
    int64_t date, time, customer, cdemo, hdemo, addr;
    int64_t ship_customer, ship_cdemo, ship_hdemo, ship_addr;
} order_keys;

/* A sale date with dsdgen's seasonality (its calendar's sales weights):
 * per day, August-October sell about 2.25 times and November-December 3.5
 * times as much as the rest of the year. */
static int64_t sale_date(dg_rng *r)
{
    for (;;) {
        int64_t jd = dg_range(r, DG_SALES_FIRST, DG_SALES_LAST);
        int32_t y;
        int m, d;
        fl_civil_from_days((int32_t)(jd - DG_JULIAN_EPOCH), &y, &m, &d);
        int weight = m <= 7 ? 20 : m <= 10 ? 45 : 70;
        if (dg_range(r, 0, 69) < weight) return jd;
    }
}

static void order_pick(const dg_ctx *ctx, dg_rng *r, order_keys *o)
{
    o->date = sale_date(r);
    o->time = dg_range(r, 0, 86399);
    o->customer = dg_range(r, 1, ctx->rows[DG_CUSTOMER]);
    o->cdemo = dg_range(r, 1, ctx->rows[DG_CUSTOMER_DEMOGRAPHICS]);
    o->hdemo = dg_range(r, 1, ctx->rows[DG_HOUSEHOLD_DEMOGRAPHICS]);
    o->addr = dg_range(r, 1, ctx->rows[DG_CUSTOMER_ADDRESS]);
    if (dg_chance(r, 90)) {
        o->ship_customer = o->customer;
        o->ship_cdemo = o->cdemo;
        o->ship_hdemo = o->hdemo;
        o->ship_addr = o->addr;
    } else {
        o->ship_customer = dg_range(r, 1, ctx->rows[DG_CUSTOMER]);
        o->ship_cdemo = dg_range(r, 1, ctx->rows[DG_CUSTOMER_DEMOGRAPHICS]);
        o->ship_hdemo = dg_range(r, 1, ctx->rows[DG_HOUSEHOLD_DEMOGRAPHICS]);
        o->ship_addr = dg_range(r, 1, ctx->rows[DG_CUSTOMER_ADDRESS]);
    }
}

/* The item row (i_item_sk) of business key `key` (0-based) that is valid
 * on `date`: rows come in groups of six holding three keys with one, two
 * and three versions (dg_scd), so popular keys spread over their versions
 * by date as dsdgen's do. */
static int64_t item_version(const dg_ctx *ctx, int64_t key, int64_t date)
{
    int64_t m24 = ctx->item_m24, m36 = ctx->item_m36, m48 = ctx->item_m48;
    int64_t g = key / 3, j = key % 3, sk;
    if (j == 0) sk = 6 * g + 1;
    else if (j == 1) sk = 6 * g + (date <= m36 ? 2 : 3);
    else sk = 6 * g + (date <= m24 ? 4 : date <= m48 ? 5 : 6);
    return sk <= ctx->rows[DG_ITEM] ? sk : ctx->rows[DG_ITEM];
}

static int64_t item_keys(const dg_ctx *ctx)
{
    int64_t n = ctx->rows[DG_ITEM], keys = n / 6 * 3;
    int64_t rest = n % 6;
    keys += rest >= 4 ? 3 : rest >= 2 ? 2 : rest;
    return keys;
}

/* Picks the items of an order's lines: distinct, some from the customer's
 * favourites, some from the day's popular items (dsdgen's orders of one
 * day share items), the rest uniform over the business keys; each key then
 * resolves to its version valid on the sale date. */
static void pick_items(const dg_ctx *ctx, dg_rng *r, int64_t customer, int64_t date, int n,
                       int64_t *items)
{
    int64_t n_keys = item_keys(ctx);
    for (int i = 0; i < n; i++) {
        for (int attempt = 0;; attempt++) {
            int64_t key;
            int64_t dice = dg_range(r, 0, 999);
            if (attempt < 4 && dice < 150) {
                uint64_t h = dg_mix(ctx->seed ^ ((uint64_t)customer * 0x9e3779b97f4a7c15ULL) ^
                                    (uint64_t)dg_range(r, 0, 7));
                key = (int64_t)(h % (uint64_t)n_keys);
            } else if (attempt < 4 && dice < 180) {
                uint64_t h = dg_mix(ctx->seed ^ ((uint64_t)date * 0xc2b2ae3d27d4eb4fULL) ^
                                    (uint64_t)dg_range(r, 0, 29));
                key = (int64_t)(h % (uint64_t)n_keys);
            } else {
                key = dg_range(r, 0, n_keys - 1);
            }
            int64_t item = item_version(ctx, key, date);
            bool dup = false;
            for (int j = 0; j < i; j++) dup |= items[j] == item;
            if (!dup || n_keys <= n) {
                items[i] = item;
                break;
            }
        }
    }
}

typedef struct return_price {
    int64_t quantity, amount, tax, fee, ship_cost, cash, reversed, credit, net_loss;
} return_price;

static void price_return(dg_rng *r, const line_price *p, return_price *rp)
{
    rp->quantity = dg_range(r, 1, p->quantity);
    rp->amount = p->sales * rp->quantity;
    rp->tax = pct_of(rp->amount, p->tax_pct_x100);
    rp->fee = dg_range(r, 50, 10000);
    rp->ship_cost = pct_of(p->list * rp->quantity, dg_range(r, 0, 5000));
    rp->cash = pct_of(rp->amount, dg_range(r, 0, 10000));
    rp->reversed = pct_of(rp->amount - rp->cash, dg_range(r, 0, 10000));
    rp->credit = rp->amount - rp->cash - rp->reversed;
    rp->net_loss = rp->ship_cost + rp->fee + rp->tax;
}

static void return_money(dg_blk *b, const return_price *rp)
{
    dg_int(b, rp->quantity);
    dg_dec(b, rp->amount);
    dg_dec(b, rp->tax);
    dg_dec(b, rp->amount + rp->tax);
    dg_dec(b, rp->fee);
    dg_dec(b, rp->ship_cost);
    dg_dec(b, rp->cash);
    dg_dec(b, rp->reversed);
    dg_dec(b, rp->credit);
    dg_dec(b, rp->net_loss);
}

static void sale_money(dg_blk *b, const line_price *p, bool shipped)
{
    dg_int(b, p->quantity);
    dg_dec(b, p->wholesale);
    dg_dec(b, p->list);
    dg_dec(b, p->sales);
    dg_dec(b, p->ext_discount);
    dg_dec(b, p->ext_sales);
    dg_dec(b, p->ext_wholesale);
    dg_dec(b, p->ext_list);
    dg_dec(b, p->ext_tax);
    dg_dec(b, p->coupon);
    if (shipped) dg_dec(b, p->ship_cost);
    dg_dec(b, p->net_paid);
    dg_dec(b, p->net_paid + p->ext_tax);
    if (shipped) {
        dg_dec(b, p->net_paid + p->ship_cost);
        dg_dec(b, p->net_paid + p->ship_cost + p->ext_tax);
    }
    dg_dec(b, p->net_paid - p->ext_wholesale);
}

#define MAX_LINES 16

static void gen_web(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *s, dg_blk *ret)
{
    for (int64_t k = 0; k < count; k++) {
        int64_t order = first + k + 1;
        dg_rng r = dg_rng_make(ctx->seed, DG_WEB_SALES, order);
        order_keys o;
        order_pick(ctx, &r, &o);
        int n = (int)dg_range(&r, 8, 16);
        int64_t items[MAX_LINES];
        pick_items(ctx, &r, o.customer, o.date, n, items);
        for (int l = 0; l < n; l++) {
            line_price p;
            price_line(&r, &p);
            int64_t ship_date = o.date + dg_range(&r, 1, 120);
            int64_t page = dg_range(&r, 1, ctx->rows[DG_WEB_PAGE]);
            dg_row_begin(s, &r);
            dg_key(s, o.date);
            dg_int(s, o.time);
            dg_key(s, ship_date);
            dg_int(s, items[l]);
            dg_key(s, o.customer);
            dg_key(s, o.cdemo);
            dg_key(s, o.hdemo);
            dg_key(s, o.addr);
            dg_key(s, o.ship_customer);
            dg_key(s, o.ship_cdemo);
            dg_key(s, o.ship_hdemo);
            dg_key(s, o.ship_addr);
            dg_key(s, page);
            dg_key(s, dg_range(&r, 1, ctx->rows[DG_WEB_SITE]));
            dg_key(s, dg_range(&r, 1, ctx->rows[DG_SHIP_MODE]));
            dg_key(s, dg_range(&r, 1, ctx->rows[DG_WAREHOUSE]));
            dg_key(s, dg_range(&r, 1, ctx->rows[DG_PROMOTION]));
            dg_int(s, order);
            sale_money(s, &p, true);
            dg_row_end(s);
            if (!dg_chance(&r, 10)) continue;
            return_price rp;
            price_return(&r, &p, &rp);
            dg_row_begin(ret, &r);
            dg_key(ret, ship_date + dg_range(&r, 1, 60));
            dg_int(ret, dg_range(&r, 0, 86399));
            dg_int(ret, items[l]);
            dg_key(ret, o.customer);
            dg_key(ret, o.cdemo);
            dg_key(ret, o.hdemo);
            dg_key(ret, o.addr);
            dg_key(ret, o.ship_customer);
            dg_key(ret, o.ship_cdemo);
            dg_key(ret, o.ship_hdemo);
            dg_key(ret, o.ship_addr);
            dg_key(ret, page);
            dg_key(ret, dg_range(&r, 1, ctx->rows[DG_REASON]));
            dg_int(ret, order);
            return_money(ret, &rp);
            dg_row_end(ret);
        }
    }
}

static void gen_store(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *s, dg_blk *ret)
{
    for (int64_t k = 0; k < count; k++) {
        int64_t ticket = first + k + 1;
        dg_rng r = dg_rng_make(ctx->seed, DG_STORE_SALES, ticket);
        order_keys o;
        order_pick(ctx, &r, &o);
        o.time = dg_range(&r, 8 * 3600, 22 * 3600 - 1);
        int64_t store = dg_range(&r, 1, ctx->rows[DG_STORE]);
        /* 8-16 lines, a few short tickets of 1-7 */
        int n = dg_chance(&r, 2) ? (int)dg_range(&r, 1, 7) : (int)dg_range(&r, 8, 16);
        int64_t items[MAX_LINES];
        pick_items(ctx, &r, o.customer, o.date, n, items);
        for (int l = 0; l < n; l++) {
            line_price p;
            price_line(&r, &p);
            dg_row_begin(s, &r);
            dg_key(s, o.date);
            dg_int(s, o.time);
            dg_int(s, items[l]);
            dg_key(s, o.customer);
            dg_key(s, o.cdemo);
            dg_key(s, o.hdemo);
            dg_key(s, o.addr);
            dg_key(s, store);
            dg_key(s, dg_range(&r, 1, ctx->rows[DG_PROMOTION]));
            dg_int(s, ticket);
            sale_money(s, &p, false);
            dg_row_end(s);
            if (!dg_chance(&r, 10)) continue;
            return_price rp;
            price_return(&r, &p, &rp);
            dg_row_begin(ret, &r);
            dg_key(ret, o.date + dg_range(&r, 1, 150));
            dg_int(ret, dg_range(&r, 8 * 3600, 22 * 3600 - 1));
            dg_int(ret, items[l]);
            dg_key(ret, o.customer);
            dg_key(ret, o.cdemo);
            dg_key(ret, o.hdemo);
            dg_key(ret, o.addr);
            dg_key(ret, store);
            dg_key(ret, dg_range(&r, 1, ctx->rows[DG_REASON]));
            dg_int(ret, ticket);
            return_money(ret, &rp);
            dg_row_end(ret);
        }
    }
}

static void gen_catalog(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *s, dg_blk *ret)
{
    for (int64_t k = 0; k < count; k++) {
        int64_t order = first + k + 1;
        dg_rng r = dg_rng_make(ctx->seed, DG_CATALOG_SALES, order);
        order_keys o;
        order_pick(ctx, &r, &o);
        int64_t call_center = dg_range(&r, 1, ctx->rows[DG_CALL_CENTER]);
        int n = (int)dg_range(&r, 4, 14);
        int64_t items[MAX_LINES];
        pick_items(ctx, &r, o.customer, o.date, n, items);
        for (int l = 0; l < n; l++) {
            line_price p;
            price_line(&r, &p);
            int64_t ship_date = o.date + dg_range(&r, 1, 120);
            int64_t page = dg_range(&r, 1, ctx->rows[DG_CATALOG_PAGE]);
            int64_t ship_mode = dg_range(&r, 1, ctx->rows[DG_SHIP_MODE]);
            int64_t warehouse = dg_range(&r, 1, ctx->rows[DG_WAREHOUSE]);
            dg_row_begin(s, &r);
            dg_key(s, o.date);
            dg_int(s, o.time);
            dg_key(s, ship_date);
            dg_key(s, o.customer);
            dg_key(s, o.cdemo);
            dg_key(s, o.hdemo);
            dg_key(s, o.addr);
            dg_key(s, o.ship_customer);
            dg_key(s, o.ship_cdemo);
            dg_key(s, o.ship_hdemo);
            dg_key(s, o.ship_addr);
            dg_key(s, call_center);
            dg_key(s, page);
            dg_key(s, ship_mode);
            dg_key(s, warehouse);
            dg_int(s, items[l]);
            dg_key(s, dg_range(&r, 1, ctx->rows[DG_PROMOTION]));
            dg_int(s, order);
            sale_money(s, &p, true);
            dg_row_end(s);
            if (!dg_chance(&r, 10)) continue;
            return_price rp;
            price_return(&r, &p, &rp);
            dg_row_begin(ret, &r);
            dg_key(ret, ship_date + dg_range(&r, 1, 60));
            dg_int(ret, dg_range(&r, 0, 86399));
            dg_int(ret, items[l]);
            dg_key(ret, o.customer);
            dg_key(ret, o.cdemo);
            dg_key(ret, o.hdemo);
            dg_key(ret, o.addr);
            dg_key(ret, o.ship_customer);
            dg_key(ret, o.ship_cdemo);
            dg_key(ret, o.ship_hdemo);
            dg_key(ret, o.ship_addr);
            dg_key(ret, call_center);
            dg_key(ret, page);
            dg_key(ret, ship_mode);
            dg_key(ret, warehouse);
            dg_key(ret, dg_range(&r, 1, ctx->rows[DG_REASON]));
            dg_int(ret, order);
            return_money(ret, &rp);
            dg_row_end(ret);
        }
    }
}

dg_sales_fn dg_sales_generator(int sales_table)
{
    switch (sales_table) {
    case DG_WEB_SALES: return gen_web;
    case DG_STORE_SALES: return gen_store;
    case DG_CATALOG_SALES: return gen_catalog;
    default: return NULL;
    }
}

int dg_max_lines(int sales_table) { return sales_table == DG_CATALOG_SALES ? 14 : MAX_LINES; }
