/*
 * dg_people.c: the scaled dimensions: customer, customer_address, item,
 * and inventory (weekly stock of every other item in every warehouse, as
 * dsdgen's count items/2 x warehouses x 261 weeks).
 *
 * Vocabularies (names, cities, counties, the category/class/brand
 * hierarchy, colours, units, sizes) come from dg_vocab.inc with dsdgen's
 * frequencies; item rows carry dsdgen's slowly-changing versions (one, two
 * or three versions per business key, six rows per three keys).
 */
#include <stdio.h>

#include "dg_int.h"

static void bkey(dg_blk *b, int64_t key)
{
    char id[17];
    dg_business_key(id, key);
    dg_strn(b, id, 16);
}

void dg_gen_customer(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const salutations[] = {"Dr.", "Dr.", "Dr.", "Dr.", "Dr.", "Mr.", "Mr.",
                                              "Mr.", "Sir", "Sir", "Sir", "Mrs.", "Mrs.", "Ms.",
                                              "Ms.", "Miss", "Miss"};
    static const char *const tlds[] = {"com", "org", "edu"};
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_CUSTOMER, sk);
        const char *fname, *lname;
        dg_names(ctx, &r, &fname, &lname);
        int64_t first_sale = dg_range(&r, dg_julian(1990, 1, 1), dg_julian(2002, 12, 31));
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        dg_key(b, dg_range(&r, 1, ctx->rows[DG_CUSTOMER_DEMOGRAPHICS]));
        dg_key(b, dg_range(&r, 1, ctx->rows[DG_HOUSEHOLD_DEMOGRAPHICS]));
        dg_key(b, dg_range(&r, 1, ctx->rows[DG_CUSTOMER_ADDRESS]));
        dg_int(b, first_sale + 30);
        dg_int(b, first_sale);
        dg_str(b, salutations[dg_range(&r, 0, 16)]);
        dg_str(b, fname);
        dg_str(b, lname);
        dg_str(b, dg_chance(&r, 50) ? "Y" : "N");
        dg_int(b, dg_range(&r, 1, 28));
        dg_int(b, dg_range(&r, 1, 12));
        dg_int(b, dg_range(&r, 1924, 1992));
        dg_str(b, dg_country_list[dg_range(&r, 0, dg_n_countries - 1)]);
        dg_null(b);   /* c_login: always empty in dsdgen */
        char dom[24];
        int dl = (int)dg_range(&r, 1, 15);
        for (int i = 0; i < dl; i++) dom[i] = alnum[dg_range(&r, 0, 61)];
        dom[dl] = 0;
        dg_strf(b, "%s.%s@%s.%s", fname, lname, dom, tlds[dg_range(&r, 0, 2)]);
        dg_int(b, dg_range(&r, dg_julian(2002, 1, 1), dg_julian(2002, 12, 31)));
        dg_row_end(b);
    }
}

void dg_gen_customer_address(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    static const char *const types[] = {"condo", "single family", "apartment"};
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_CUSTOMER_ADDRESS, sk);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, sk);
        /* 2% of addresses are in the stores' towns (local customers, for the
         * store-neighbourhood queries 24 and 54) */
        if (dg_chance(&r, 2)) dg_address_small(b, ctx, &r, dg_range(&r, 1, ctx->rows[DG_STORE]), true);
        else dg_address(b, ctx, &r);
        dg_str(b, types[dg_range(&r, 0, 2)]);
        dg_row_end(b);
    }
}

static const dg_brand *find_brand(int category_id, int class_id, dg_rng *r)
{
    int lo = -1, n = 0;
    int64_t prefix = (int64_t)category_id * 1000 + class_id;
    for (int i = 0; i < dg_n_brands; i++) {
        if (dg_brand_list[i].id / 1000 == prefix) {
            if (lo < 0) lo = i;
            n++;
        } else if (lo >= 0) {
            break;
        }
    }
    if (!n) return NULL;
    return &dg_brand_list[lo + dg_range(r, 0, n - 1)];
}

void dg_gen_item(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    int64_t class_total = 0;
    for (int i = 0; i < dg_n_classes; i++) class_total += dg_class_list[i].w;
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_ITEM, sk);
        int64_t key, start, end;
        dg_scd(sk, dg_julian(1997, 10, 27), &key, &start, &end);
        /* The business key's attributes come from the key's own stream, so
         * the versions of one item share description, hierarchy and brand. */
        dg_rng kr = dg_rng_make(ctx->seed, DG_ITEM + 100, key);
        int64_t pick = dg_range(&kr, 0, class_total - 1);
        int ci = 0;
        while (ci < dg_n_classes - 1 && pick >= dg_class_list[ci].w) pick -= dg_class_list[ci++].w;
        const dg_class *cl = &dg_class_list[ci];
        const dg_brand *br = find_brand(cl->category_id, cl->class_id, &kr);
        char desc[201];
        dg_text(desc, sizeof(desc), &kr, 8, 30);
        int64_t manufact = dg_range(&kr, 1, 1000);
        int64_t price = dg_range(&r, 9, 9999);
        dg_row_begin(b, &r);
        dg_int(b, sk);
        bkey(b, key);
        dg_date(b, start);
        dg_date(b, end);
        dg_strn(b, desc, strlen(desc));
        dg_dec(b, price);
        dg_dec(b, price * dg_range(&r, 10, 90) / 100 + 1);
        if (br) {
            dg_int(b, br->id);
            dg_str(b, br->name);
        } else {
            dg_int(b, (int64_t)cl->category_id * 1000000 + cl->class_id * 1000 + 1);
            dg_strf(b, "%s #1", cl->class_name);
        }
        dg_int(b, cl->class_id);
        dg_str(b, cl->class_name);
        dg_int(b, cl->category_id);
        dg_str(b, cl->category);
        dg_int(b, manufact);
        /* dsdgen's manufacturer names are not a function of the id: a name
         * is shared by items of several ids */
        char word[64];
        dg_syllables(word, sizeof(word), dg_range(&kr, 1, 333));
        dg_strn(b, word, strlen(word));
        dg_str(b, dg_size_list[dg_dist_pick(&ctx->vocab.sizes, &r)].s);
        const char *color = dg_color_list[dg_dist_pick(&ctx->vocab.colors, &r)].s;
        dg_strf(b, "%d%s%d", (int)dg_range(&r, 0, 99999), color, (int)dg_range(&r, 0, 9999999));
        dg_str(b, dg_color_list[dg_dist_pick(&ctx->vocab.colors, &r)].s);
        dg_str(b, dg_unit_list[dg_dist_pick(&ctx->vocab.units, &r)].s);
        dg_str(b, "Unknown");
        dg_int(b, dg_range(&r, 1, 100));
        dg_syllables(word, sizeof(word), sk - 1);
        dg_strn(b, word, strlen(word));
        dg_row_end(b);
    }
}

void dg_gen_inventory(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *b)
{
    int64_t items = (ctx->rows[DG_ITEM] + 1) / 2, warehouses = ctx->rows[DG_WAREHOUSE];
    for (int64_t sk = first + 1; sk <= first + count; sk++) {
        dg_rng r = dg_rng_make(ctx->seed, DG_INVENTORY, sk);
        int64_t k = sk - 1;
        int64_t week = k / (items * warehouses), rem = k % (items * warehouses);
        dg_row_begin(b, &r);
        dg_int(b, dg_julian(1998, 1, 1) + 7 * week);
        dg_int(b, 2 * (rem / warehouses) + 1);
        dg_int(b, rem % warehouses + 1);
        dg_int(b, dg_range(&r, 0, 1000));
        dg_row_end(b);
    }
}
