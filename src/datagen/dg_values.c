/*
 * dg_values.c: value helpers the table generators share: business keys,
 * syllable words, text, names, addresses, slowly-changing-dimension
 * versions, and the block builder's string setters.
 */
#include <stdio.h>

#include "dg_int.h"

#include "../base/time.h"

void dg_strn(dg_blk *b, const char *s, size_t len)
{
    if (dg_maybe_null(b)) return;
    fl_column *c = b->cols[b->col++];
    char *p = fl_arena_alloc(b->arena, len ? len : 1);
    if (!p) {   /* out of memory: the runner fails the block */
        fl_bit_clear(c->validity, b->row);
        b->oom = true;
        return;
    }
    memcpy(p, s, len);
    ((fl_strv *)c->data)[b->row] = fl_strv_make(p, len);
}

void dg_strf(dg_blk *b, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof(buf)) n = (int)sizeof(buf) - 1;
    dg_strn(b, buf, (size_t)n);
}

void dg_business_key(char out[17], int64_t key)
{
    static const char xlate[] = "ABCDEFGHIJKLMNOP";
    uint64_t hi = (uint64_t)key >> 32, lo = (uint64_t)key & 0xffffffffu;
    for (int i = 0; i < 8; i++) {
        out[i] = xlate[(hi >> (4 * i)) & 15];
        out[8 + i] = xlate[(lo >> (4 * i)) & 15];
    }
    out[16] = 0;
}

void dg_syllables(char *out, size_t cap, int64_t n)
{
    static const char *const syl[] = {"ought", "able", "pri", "ese", "anti",
                                      "cally", "ation", "eing", "n st", "bar"};
    char digits[24];
    int nd = 0;
    if (n < 0) n = -n;
    do {
        digits[nd++] = (char)(n % 10);
        n /= 10;
    } while (n && nd < 20);
    size_t len = 0;
    out[0] = 0;
    for (int i = nd - 1; i >= 0; i--) {
        const char *s = syl[(int)digits[i]];
        size_t sl = strlen(s);
        if (len + sl + 1 > cap) break;
        memcpy(out + len, s, sl + 1);
        len += sl;
    }
}

void dg_text(char *out, size_t cap, dg_rng *r, int min_words, int max_words)
{
    int n = (int)dg_range(r, min_words, max_words);
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        const char *w = dg_word_list[dg_range(r, 0, dg_n_words - 1)];
        size_t wl = strlen(w);
        if (len + wl + 3 > cap) break;
        if (i) out[len++] = ' ';
        memcpy(out + len, w, wl);
        if (i == 0 && w[0] >= 'a' && w[0] <= 'z') out[len] = (char)(w[0] - 'a' + 'A');
        len += wl;
        out[len] = 0;
    }
    if (len + 1 < cap && len) {
        out[len++] = '.';
        out[len] = 0;
    }
}

void dg_names(const dg_ctx *ctx, dg_rng *r, const char **first, const char **last)
{
    *first = dg_first_name_list[dg_dist_pick(&ctx->vocab.first_names, r)].s;
    *last = dg_last_name_list[dg_dist_pick(&ctx->vocab.last_names, r)].s;
}

static void street(dg_blk *b, const dg_ctx *ctx, dg_rng *r)
{
    dg_strf(b, "%d", (int)dg_range(r, 1, 999));
    const char *w1 = dg_street_word_list[dg_range(r, 0, dg_n_street_words - 1)];
    if (dg_chance(r, 50)) {
        const char *w2 = dg_street_word_list[dg_range(r, 0, dg_n_street_words - 1)];
        dg_strf(b, "%s %s", w1, w2);
    } else {
        dg_str(b, w1);
    }
    dg_str(b, dg_street_type_list[dg_dist_pick(&ctx->vocab.street_types, r)].s);
    int suite = (int)dg_range(r, 0, 99);
    if (suite < 50) dg_strf(b, "Suite %d", suite * 10);
    else dg_strf(b, "Suite %c", 'A' + (suite - 50) % 26);
}

void dg_address(dg_blk *b, const dg_ctx *ctx, dg_rng *r)
{
    street(b, ctx, r);
    const dg_city *city = &dg_city_list[dg_dist_pick(&ctx->vocab.cities, r)];
    const dg_county *county = &dg_county_list[dg_dist_pick(&ctx->vocab.counties, r)];
    dg_str(b, city->name);
    dg_str(b, county->county);
    dg_str(b, county->state);
    dg_strf(b, "%05d", county->zip_prefix * 10000 + city->zip);
    dg_str(b, "United States");
    dg_dec(b, (int64_t)county->gmt * 100);
}

void dg_address_small(dg_blk *b, const dg_ctx *ctx, dg_rng *r, int64_t key, bool varied)
{
    /* dsdgen puts the small dimensions in Williamson County, TN, and (the
     * stores of query 73) a few other counties. */
    static const struct { const char *county, *state; int zip_prefix, gmt; } places[] = {
        {"Williamson County", "TN", 3, -5}, {"Orange County", "CA", 9, -8},
        {"Bronx County", "NY", 1, -5}, {"Franklin Parish", "LA", 7, -6}};
    street(b, ctx, r);
    bool fairview = (key % 2) == 1;
    int place = varied && key % 6 == 0 ? (int)(key / 6 % 3) + 1 : 0;
    dg_str(b, fairview ? "Fairview" : "Midway");
    dg_str(b, places[place].county);
    dg_str(b, places[place].state);
    dg_strf(b, "%d%04d", places[place].zip_prefix, fairview ? 5709 : 1904);
    dg_str(b, "United States");
    dg_dec(b, places[place].gmt * 100);
}

int64_t dg_julian(int y, int m, int d) { return fl_days_from_civil(y, m, d) + DG_JULIAN_EPOCH; }

void dg_scd(int64_t sk, int64_t first_start, int64_t *bkey, int64_t *start, int64_t *end)
{
    int64_t group = (sk - 1) / 6, pos = (sk - 1) % 6;
    int32_t d0 = (int32_t)(first_start - DG_JULIAN_EPOCH);
    int64_t m24 = fl_date_add_months(d0, 24) + DG_JULIAN_EPOCH;
    int64_t m36 = fl_date_add_months(d0, 36) + DG_JULIAN_EPOCH;
    int64_t m48 = fl_date_add_months(d0, 48) + DG_JULIAN_EPOCH;
    static const int key_of_pos[6] = {1, 2, 2, 3, 3, 3};
    *bkey = group * 3 + key_of_pos[pos];
    switch (pos) {
    case 0: *start = first_start; *end = 0; break;
    case 1: *start = first_start; *end = m36 - 1; break;
    case 2: *start = m36; *end = 0; break;
    case 3: *start = first_start; *end = m24; break;
    case 4: *start = m24 + 1; *end = m48 - 1; break;
    default: *start = m48; *end = 0; break;
    }
}
