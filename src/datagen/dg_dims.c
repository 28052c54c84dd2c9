/*
 * dg_dims.c: the fixed-size dimensions (date_dim, time_dim,
 * customer_demographics, household_demographics, income_band, ship_mode,
 * reason) and the small business dimensions (call_center, catalog_page,
 * promotion, store, warehouse, web_page, web_site).
 *
 * The fixed ones follow dsdgen's layout row for row (date_dim covers
 * 1900-01-02 .. 2100-01-01 with d_date_sk the julian day number;
 * customer_demographics is the full cross product in dsdgen's order). The
 * small dimensions carry dsdgen's vocabularies (syllable names, "site_N",
 * Williamson County addresses) and slowly-changing versions.
 */
#include <stdio.h>

#include "dg_int.h"

#include "../base/time.h"

static void bkey(dg_blk *b, int64_t key)
{
    char id[17];
    dg_business_key(id, key);
    dg_strn(b, id, 16);
}

static const char *yn(dg_rng *r, double pct_yes) { return dg_chance(r, pct_yes) ? "Y" : "N"; }

/* ---- date_dim ---- */

static void gen_date_dim(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_DATE_DIM, sk);
        int64_t jd = DG_DATE_FIRST + sk - 1;
        int32_t days = (int32_t)(jd - DG_JULIAN_EPOCH);
        int32_t y;
        int m, d;
        fl_civil_from_days(days, &y, &m, &d);
        int dow = fl_day_of_week(days), qoy = (m - 1) / 3 + 1;
        int32_t py;
        int pm, pd;
        fl_civil_from_days(days - 1, &py, &pm, &pd);
        bool holiday = (m == 1 && d == 1) || (m == 7 && d == 4) || (m == 12 && d == 25);
        bool following = (pm == 1 && pd == 1) || (pm == 7 && pd == 4) || (pm == 12 && pd == 25);
        int64_t first_dom = jd - d + 1;
        dg_row_begin(b, &r);
        dg_int(b, jd);
        bkey(b, jd);
        dg_date(b, jd);
        dg_int(b, (int64_t)(y - 1900) * 12 + m - 1);
        int64_t week_seq = (jd - DG_DATE_FIRST) / 7 + 1;
        int64_t quarter_seq = (int64_t)(y - 1900) * 4 + qoy;
        dg_int(b, week_seq);
        dg_int(b, quarter_seq);
        dg_int(b, y);
        dg_int(b, dow);
        dg_int(b, m);
        dg_int(b, d);
        dg_int(b, qoy);
        dg_int(b, y);
        dg_int(b, quarter_seq);
        dg_int(b, week_seq);
        dg_str(b, day_names[dow]);
        dg_strf(b, "%dQ%d", (int)y, qoy);
        dg_str(b, holiday ? "Y" : "N");
        dg_str(b, dow == 5 || dow == 6 ? "Y" : "N");   /* dsdgen's weekend: Friday, Saturday */
        dg_str(b, following ? "Y" : "N");
        dg_int(b, first_dom);
        dg_int(b, first_dom + fl_days_in_month(y, m) - 1);
        dg_int(b, fl_date_add_months(days, -12) + DG_JULIAN_EPOCH);
        dg_int(b, fl_date_add_months(days, -3) + DG_JULIAN_EPOCH);
        dg_str(b, "N");
        dg_str(b, "N");
        dg_str(b, y == 2003 && m == 1 ? "Y" : "N");
        dg_str(b, y == 2003 && qoy == 1 ? "Y" : "N");
        dg_str(b, y == 2003 ? "Y" : "N");
        dg_row_end(b);
    }
}

/* ---- time_dim ---- */

static void gen_time_dim(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_TIME_DIM, sk);
        int64_t t = sk - 1;
        int h = (int)(t / 3600), mi = (int)(t / 60 % 60), s = (int)(t % 60);
        dg_row_begin(b, &r);
        dg_int(b, t);
        bkey(b, t + 1);
        dg_int(b, t);
        dg_int(b, h);
        dg_int(b, mi);
        dg_int(b, s);
        dg_str(b, h < 12 ? "AM" : "PM");
        dg_str(b, h < 7 || h == 23 ? "third" : h < 15 ? "first" : "second");
        dg_str(b, h < 6 ? "night" : h < 12 ? "morning" : h < 17 ? "afternoon" : "evening");
        dg_str(b, h >= 6 && h <= 9 ? "breakfast" : h >= 12 && h <= 14 ? "lunch"
                  : h >= 17 && h <= 19 ? "dinner" : NULL);
        dg_row_end(b);
    }
}

/* ---- customer_demographics: the full cross product ---- */

static void gen_customer_demographics(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const gender[] = {"M", "F"};
    static const char *const marital[] = {"M", "S", "D", "W", "U"};
    static const char *const education[] = {"Primary", "Secondary", "College", "2 yr Degree",
                                            "4 yr Degree", "Advanced Degree", "Unknown"};
    static const char *const credit[] = {"Good", "High Risk", "Low Risk", "Unknown"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_CUSTOMER_DEMOGRAPHICS, sk);
        int64_t k = sk - 1;
        dg_row_begin(b, &r);
        dg_int(b, sk);
        dg_str(b, gender[k % 2]); k /= 2;
        dg_str(b, marital[k % 5]); k /= 5;
        dg_str(b, education[k % 7]); k /= 7;
        dg_int(b, (k % 20 + 1) * 500); k /= 20;
        dg_str(b, credit[k % 4]); k /= 4;
        dg_int(b, k % 7); k /= 7;
        dg_int(b, k % 7); k /= 7;
        dg_int(b, k % 7);
        dg_row_end(b);
    }
}

static void gen_household_demographics(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const potential[] = {"0-500", "501-1000", "1001-5000", "5001-10000",
                                            ">10000", "Unknown"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_HOUSEHOLD_DEMOGRAPHICS, sk);
        int vehicles = (int)(sk / 1200 % 6);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        dg_int(b, sk % 20 + 1);
        dg_str(b, potential[sk / 20 % 6]);
        dg_int(b, sk / 120 % 10);
        dg_int(b, vehicles == 5 ? -1 : vehicles);
        dg_row_end(b);
    }
}

static void gen_income_band(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_INCOME_BAND, sk);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        dg_int(b, sk == 1 ? 0 : (sk - 1) * 10000 + 1);
        dg_int(b, sk * 10000);
        dg_row_end(b);
    }
}

static void gen_ship_mode(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const types[] = {"EXPRESS", "NEXT DAY", "OVERNIGHT", "TWO DAY", "LIBRARY",
                                        "REGULAR"};
    static const char *const codes[] = {"AIR", "SURFACE", "SEA", "BIKE"};
    static const char *const carriers[] = {
        "UPS", "FEDEX", "AIRBORNE", "USPS", "DHL", "TBS", "ZHOU", "ZOUROS", "MSC", "LATVIAN",
        "ALLIANCE", "ORIENTAL", "BARIAN", "BOXBUNDLES", "GREAT EASTERN", "DIAMOND", "RUPEKSA",
        "GERMA", "HARMSTORF", "PRIVATECARRIER"};
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_SHIP_MODE, sk);
        int64_t k = sk - 1;
        char contract[24];
        int len = (int)dg_range(&r, 1, 20);
        for (int i = 0; i < len; i++) contract[i] = alnum[dg_range(&r, 0, 61)];
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        dg_str(b, types[k % 6]);
        dg_str(b, codes[k / 6 % 4]);
        dg_str(b, carriers[k % 20]);
        dg_strn(b, contract, (size_t)len);
        dg_row_end(b);
    }
}

static void gen_reason(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const reasons[] = {
        "Package was damaged", "Stopped working", "Did not get it on time",
        "Not the product that was ordred", "Parts missing",
        "Does not work with a product that I have", "Gift exchange", "Did not like the color",
        "Did not like the model", "Did not like the make", "Did not like the warranty",
        "No service location in my area", "Found a better price in a store",
        "Found a better extended warranty in a store", "Not working any more", "Did not fit",
        "Wrong size", "Lost my job", "unauthoized purchase", "duplicate purchase",
        "its is a boy", "it is a girl"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_REASON, sk);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        if (sk <= 22) dg_str(b, reasons[sk - 1]);
        else dg_strf(b, "reason %d", (int)sk);
        dg_row_end(b);
    }
}

/* ---- small business dimensions ---- */

static void syllable_col(dg_blk *b, int64_t n)
{
    char w[64];
    dg_syllables(w, sizeof(w), n);
    dg_strn(b, w, strlen(w));
}

static void text_col(dg_blk *b, dg_rng *r, int min_words, int max_words, size_t cap)
{
    char t[256];
    dg_text(t, cap < sizeof(t) ? cap + 1 : sizeof(t), r, min_words, max_words);
    dg_strn(b, t, strlen(t));
}

static void person_col(dg_blk *b, const dg_ctx *ctx, dg_rng *r)
{
    const char *f, *l;
    dg_names(ctx, r, &f, &l);
    dg_strf(b, "%s %s", f, l);
}

static void scd_cols(dg_blk *b, int64_t sk, int64_t d0, int64_t *key)
{
    int64_t start, end;
    dg_scd(sk, d0, key, &start, &end);
    bkey(b, *key);
    dg_date(b, start);
    dg_date(b, end);
}

static void gen_call_center(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const names[] = {"NY Metro", "Mid Atlantic", "North Midwest",
                                        "Pacific Northwest", "California", "Hawaii/Alaska",
                                        "Central", "South", "Southwest", "New England"};
    static const char *const classes[] = {"small", "medium", "large"};
    static const char *const hours[] = {"8AM-4PM", "8AM-12AM", "8AM-8AM"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_CALL_CENTER, sk);
        int64_t key;
        dg_row_begin(b, &r);
        dg_int(b, sk);
        scd_cols(b, sk, dg_julian(1998, 1, 1), &key);
        dg_null(b);
        dg_int(b, dg_range(&r, dg_julian(1998, 1, 1), dg_julian(2000, 12, 31)));
        dg_str(b, names[(key - 1) % 10]);
        dg_str(b, classes[dg_range(&r, 0, 2)]);
        dg_int(b, dg_range(&r, 1, 70000));
        dg_int(b, dg_range(&r, 10000, 2000000));
        dg_str(b, hours[dg_range(&r, 0, 2)]);
        person_col(b, ctx, &r);
        int mkt = (int)dg_range(&r, 1, 6);
        dg_int(b, mkt);
        text_col(b, &r, 3, 8, 50);
        text_col(b, &r, 6, 15, 100);
        person_col(b, ctx, &r);
        int div = (int)dg_range(&r, 1, 6);
        dg_int(b, div);
        syllable_col(b, div);
        int company = (int)dg_range(&r, 1, 6);
        dg_int(b, company);
        syllable_col(b, company);
        dg_address_small(b, ctx, &r, key, false);
        dg_dec(b, dg_range(&r, 0, 12));
        dg_row_end(b);
    }
}

static void gen_catalog_page(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const types[] = {"bi-annual", "quarterly", "monthly"};
    int64_t per_catalog = 108;
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_CATALOG_PAGE, sk);
        int64_t catalog = (sk - 1) / per_catalog + 1, page = (sk - 1) % per_catalog + 1;
        /* catalogs cycle through types: 2 bi-annual, 4 quarterly, 12 monthly a year */
        int64_t slot = (catalog - 1) % 18, year = 1998 + (catalog - 1) / 18;
        int type = slot < 2 ? 0 : slot < 6 ? 1 : 2;
        int64_t month = type == 0 ? slot * 6 + 1 : type == 1 ? (slot - 2) * 3 + 1 : slot - 5;
        int64_t months = type == 0 ? 6 : type == 1 ? 3 : 1;
        int32_t start = fl_days_from_civil(year, (int)month, 1);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        dg_int(b, start + DG_JULIAN_EPOCH);
        dg_int(b, fl_date_add_months(start, (int32_t)months) - 1 + DG_JULIAN_EPOCH);
        dg_str(b, "DEPARTMENT");
        dg_int(b, catalog);
        dg_int(b, page);
        text_col(b, &r, 8, 16, 100);
        dg_str(b, types[type]);
        dg_row_end(b);
    }
}

static void gen_promotion(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_PROMOTION, sk);
        int64_t start = dg_range(&r, DG_SALES_FIRST - 60, DG_SALES_LAST);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        dg_int(b, start);
        dg_int(b, start + dg_range(&r, 2, 60));
        dg_key(b, dg_range(&r, 1, ctx->rows[DG_ITEM]));
        dg_dec(b, 100000);
        dg_int(b, 1);
        syllable_col(b, dg_range(&r, 1, 9));
        for (int c = 0; c < 8; c++) dg_str(b, yn(&r, c == 0 ? 50 : 50));
        text_col(b, &r, 4, 12, 100);
        dg_str(b, "Unknown");
        dg_str(b, "N");
        dg_row_end(b);
    }
}

static void gen_store(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const hours[] = {"8AM-4PM", "8AM-12AM", "8AM-8AM"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_STORE, sk);
        int64_t key;
        dg_row_begin(b, &r);
        dg_int(b, sk);
        scd_cols(b, sk, dg_julian(1997, 3, 13), &key);
        if (dg_chance(&r, 15)) dg_int(b, dg_range(&r, DG_SALES_FIRST, DG_SALES_LAST));
        else dg_null(b);
        syllable_col(b, key % 10 ? key % 10 : 1);
        dg_int(b, dg_range(&r, 200, 300));
        dg_int(b, dg_range(&r, 5000000, 10000000));
        dg_str(b, hours[dg_range(&r, 0, 2)]);
        person_col(b, ctx, &r);
        dg_int(b, dg_range(&r, 1, 10));
        dg_str(b, "Unknown");
        text_col(b, &r, 6, 15, 100);
        person_col(b, ctx, &r);
        dg_int(b, 1);
        dg_str(b, "Unknown");
        dg_int(b, 1);
        dg_str(b, "Unknown");
        dg_address_small(b, ctx, &r, key, true);
        dg_dec(b, dg_range(&r, 0, 11));
        dg_row_end(b);
    }
}

static void gen_warehouse(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_WAREHOUSE, sk);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        text_col(b, &r, 2, 3, 20);
        dg_int(b, dg_range(&r, 50000, 1000000));
        dg_address_small(b, ctx, &r, sk, false);
        dg_row_end(b);
    }
}

static void gen_web_page(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const types[] = {"general", "welcome", "protected", "ad", "dynamic",
                                        "feedback", "order"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_WEB_PAGE, sk);
        int64_t key;
        dg_row_begin(b, &r);
        dg_int(b, sk);
        scd_cols(b, sk, dg_julian(1997, 9, 3), &key);
        dg_int(b, dg_range(&r, DG_SALES_FIRST - 10, DG_SALES_FIRST));
        dg_int(b, dg_range(&r, DG_SALES_LAST - 100, DG_SALES_LAST));
        bool autogen = dg_chance(&r, 30);
        dg_str(b, autogen ? "Y" : "N");
        if (autogen) dg_key(b, dg_range(&r, 1, ctx->rows[DG_CUSTOMER]));
        else dg_null(b);
        dg_str(b, "http://www.foo.com");
        dg_str(b, types[dg_range(&r, 0, 6)]);
        /* stratified over the rows (a permutation of equal-width strata),
         * so even a few dozen pages cover the range evenly; 7919 is a
         * prime, so the stride permutes the rows */
        int64_t n = ctx->rows[DG_WEB_PAGE];
        int64_t perm = ((sk - 1) * 7919 + (int64_t)(ctx->seed % (uint64_t)n)) % n;
        int64_t width = (8523 - 303 + n) / n;
        dg_int(b, 303 + perm * width + dg_range(&r, 0, width - 1));
        dg_int(b, dg_range(&r, 2, 25));
        dg_int(b, dg_range(&r, 1, 7));
        dg_int(b, dg_range(&r, 0, 4));
        dg_row_end(b);
    }
}

static void gen_web_site(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_WEB_SITE, sk);
        int64_t key;
        dg_row_begin(b, &r);
        dg_int(b, sk);
        scd_cols(b, sk, dg_julian(1997, 8, 16), &key);
        dg_strf(b, "site_%d", (int)((key - 1) / 6 % 10));
        dg_int(b, dg_range(&r, DG_SALES_FIRST - 30, DG_SALES_FIRST));
        if (dg_chance(&r, 20)) dg_int(b, dg_range(&r, dg_julian(1997, 1, 1), DG_SALES_FIRST));
        else dg_null(b);
        dg_str(b, "Unknown");
        person_col(b, ctx, &r);
        dg_int(b, dg_range(&r, 1, 6));
        text_col(b, &r, 4, 8, 50);
        text_col(b, &r, 6, 14, 100);
        person_col(b, ctx, &r);
        int company = (int)dg_range(&r, 1, 6);
        dg_int(b, company);
        syllable_col(b, company);
        dg_address_small(b, ctx, &r, key, false);
        dg_dec(b, dg_range(&r, 0, 12));
        dg_row_end(b);
    }
}

/* dg_people.c */
void dg_gen_customer(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b);
void dg_gen_customer_address(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b);
void dg_gen_item(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b);
void dg_gen_inventory(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b);

dg_dim_fn dg_dim_generator(int table)
{
    switch (table) {
    case DG_CALL_CENTER: return gen_call_center;
    case DG_CATALOG_PAGE: return gen_catalog_page;
    case DG_CUSTOMER: return dg_gen_customer;
    case DG_CUSTOMER_ADDRESS: return dg_gen_customer_address;
    case DG_CUSTOMER_DEMOGRAPHICS: return gen_customer_demographics;
    case DG_DATE_DIM: return gen_date_dim;
    case DG_HOUSEHOLD_DEMOGRAPHICS: return gen_household_demographics;
    case DG_INCOME_BAND: return gen_income_band;
    case DG_INVENTORY: return dg_gen_inventory;
    case DG_ITEM: return dg_gen_item;
    case DG_PROMOTION: return gen_promotion;
    case DG_REASON: return gen_reason;
    case DG_SHIP_MODE: return gen_ship_mode;
    case DG_STORE: return gen_store;
    case DG_TIME_DIM: return gen_time_dim;
    case DG_WAREHOUSE: return gen_warehouse;
    case DG_WEB_PAGE: return gen_web_page;
    case DG_WEB_SITE: return gen_web_site;
    default: return NULL;
    }
}
