/*
 * dg_int.h: what the generator's files share: the counter-based RNG, the
 * per-block column builder the table generators write rows into, the scale
 * context (row counts of every table) and the generator entry points.
 *
 * Determinism: every row (every order for the sales tables) draws from its
 * own RNG stream seeded by (seed, table, row), so a value depends only on the
 * seed and the row number, never on block boundaries or threads.
 */
#ifndef DG_INT_H
#define DG_INT_H

#include <stdarg.h>
#include <string.h>

#include "datagen.h"
#include "../base/arena.h"

/* ---- RNG: splitmix64 over a per-row counter ---- */

typedef struct dg_rng { uint64_t state; } dg_rng;

static inline uint64_t dg_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline dg_rng dg_rng_make(uint64_t seed, int stream, int64_t row)
{
    dg_rng r = {dg_mix(seed * 0x9e3779b97f4a7c15ULL + (uint64_t)stream * 0xd1b54a32d192ed03ULL) ^
                dg_mix((uint64_t)row + 0x632be59bd9b4e019ULL)};
    return r;
}
static inline uint64_t dg_next(dg_rng *r)
{
    r->state += 0x9e3779b97f4a7c15ULL;
    return dg_mix(r->state);
}
/* Uniform in [lo, hi] (inclusive). */
static inline int64_t dg_range(dg_rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(((unsigned __int128)dg_next(r) * span) >> 64);
}
/* true with probability pct/100 (pct may be fractional). */
static inline bool dg_chance(dg_rng *r, double pct)
{
    return (double)(dg_next(r) >> 11) * (1.0 / 9007199254740992.0) * 100.0 < pct;
}

/* ---- vocabularies (dg_vocab.c) ---- */

typedef struct dg_wstr { const char *s; int w; } dg_wstr;
typedef struct dg_city { const char *name; int zip; int w; } dg_city;
typedef struct dg_county { const char *county; const char *state; int gmt; int zip_prefix; int w; } dg_county;
typedef struct dg_class { int category_id; const char *category; int class_id; const char *class_name; int w; } dg_class;
typedef struct dg_brand { int id; const char *name; } dg_brand;

/* A weighted list with its cumulative weights, for binary-search picks
 * (built from the `w` fields of the vocabulary arrays). */
typedef struct dg_dist {
    uint32_t *cum;
    int n;
    uint32_t total;
} dg_dist;

typedef struct dg_vocab {
    dg_dist cities, counties, first_names, last_names, street_types, colors, units, sizes;
} dg_vocab;

int dg_vocab_init(dg_vocab *v, fl_error *err);
void dg_vocab_dispose(dg_vocab *v);
int dg_dist_pick(const dg_dist *d, dg_rng *r);

extern const dg_city *const dg_city_list;
extern const dg_county *const dg_county_list;
extern const dg_wstr *const dg_first_name_list, *const dg_last_name_list, *const dg_street_type_list,
    *const dg_color_list, *const dg_unit_list, *const dg_size_list;
extern const char *const *const dg_street_word_list, *const *const dg_country_list, *const *const dg_word_list;
extern const int dg_n_street_words, dg_n_countries, dg_n_words;
extern const dg_class *const dg_class_list;
extern const int dg_n_classes;
extern const dg_brand *const dg_brand_list;
extern const int dg_n_brands;

/* ---- the scale context ---- */

#define DG_JULIAN_EPOCH 2440588          /* julian day number of 1970-01-01 */
#define DG_DATE_FIRST 2415022            /* 1900-01-02, the first d_date_sk */
#define DG_SALES_FIRST 2450816           /* 1998-01-02 */
#define DG_SALES_LAST 2452642            /* 2003-01-02 */

typedef struct dg_ctx {
    uint64_t seed;
    double scale;
    int64_t rows[DG_N_TABLES];     /* row counts (sales: targets) */
    int64_t orders[DG_N_TABLES];   /* sales tables: orders (tickets) */
    int64_t item_m24, item_m36, item_m48;   /* last days of item versions (dg_scd) */
    dg_vocab vocab;
} dg_ctx;

/* ---- the block builder ---- */

typedef struct dg_blk {
    fl_column **cols;
    int n_cols;
    const dg_coldef *defs;
    size_t row;              /* rows completed */
    int col;                 /* next column of the current row */
    double null_pct;         /* chance of NULL for nullable columns */
    dg_rng nulls;            /* the current row's NULL draws */
    fl_arena *arena;
    bool oom;                /* a string could not be copied: the runner fails */
} dg_blk;

static inline void dg_row_begin(dg_blk *b, const dg_rng *row_rng)
{
    b->col = 0;
    b->nulls.state = row_rng->state ^ 0x5851f42d4c957f2dULL;
}
static inline void dg_row_end(dg_blk *b) { b->row++; }

static inline bool dg_maybe_null(dg_blk *b)
{
    if (b->null_pct <= 0 || b->defs[b->col].not_null) return false;
    if (!dg_chance(&b->nulls, b->null_pct)) return false;
    fl_column *c = b->cols[b->col++];
    fl_bit_clear(c->validity, b->row);
    return true;
}
static inline void dg_null(dg_blk *b)
{
    fl_column *c = b->cols[b->col++];
    fl_bit_clear(c->validity, b->row);
}
static inline void dg_int(dg_blk *b, int64_t v)
{
    if (dg_maybe_null(b)) return;
    ((int32_t *)b->cols[b->col++]->data)[b->row] = (int32_t)v;
}
/* A key column: 0 means NULL (never a valid surrogate key). */
static inline void dg_key(dg_blk *b, int64_t v)
{
    if (v <= 0) { dg_null(b); return; }
    dg_int(b, v);
}
static inline void dg_dec(dg_blk *b, int64_t cents)
{
    if (dg_maybe_null(b)) return;
    ((int64_t *)b->cols[b->col++]->data)[b->row] = cents;
}
/* A date from its julian day number (a *_date_sk). */
static inline void dg_date(dg_blk *b, int64_t julian)
{
    if (julian <= 0) { dg_null(b); return; }
    if (dg_maybe_null(b)) return;
    ((int32_t *)b->cols[b->col++]->data)[b->row] = (int32_t)(julian - DG_JULIAN_EPOCH);
}
/* A string that outlives the block (a literal or vocabulary entry). */
static inline void dg_str(dg_blk *b, const char *s)
{
    if (!s) { dg_null(b); return; }
    if (dg_maybe_null(b)) return;
    ((fl_strv *)b->cols[b->col++]->data)[b->row] = fl_strv_make(s, strlen(s));
}
/* A string built for this row, copied into the block's arena. */
void dg_strn(dg_blk *b, const char *s, size_t len);
void dg_strf(dg_blk *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- shared value helpers (dg_values.c) ---- */

/* dsdgen's 16-character business key ("AAAAAAAABAAAAAAA" for 1). */
void dg_business_key(char out[17], int64_t key);
/* dsdgen's syllable words: 0 ought, 1 able, 2 pri, ... 9 bar, digit by digit. */
void dg_syllables(char *out, size_t cap, int64_t n);
/* Random words from the description vocabulary, up to max_len bytes. */
void dg_text(char *out, size_t cap, dg_rng *r, int min_words, int max_words);
/* An address: street number, name, type, suite, city, county, state, zip,
 * country, gmt offset, written as 10 columns. */
void dg_address(dg_blk *b, const dg_ctx *ctx, dg_rng *r);
/* The ten-column address of the small dimensions (store, warehouse, call
 * center, web site), which in dsdgen share the cities Fairview and Midway
 * in Williamson County, TN; `varied` (stores) puts every sixth business key
 * in one of a few other counties. */
void dg_address_small(dg_blk *b, const dg_ctx *ctx, dg_rng *r, int64_t key, bool varied);
/* The julian day number (a date_sk) of a civil date. */
int64_t dg_julian(int y, int m, int d);
/* A first/last name pair. */
void dg_names(const dg_ctx *ctx, dg_rng *r, const char **first, const char **last);
/* Slowly changing dimensions: row `sk` (1-based) of a table with SCD
 * versions: the business key number and the version's start/end (julian
 * day numbers; end 0 = current). The boundaries are per table. */
void dg_scd(int64_t sk, int64_t first_start, int64_t *bkey, int64_t *start, int64_t *end);

/* ---- generators ---- */

/* Writes rows [first, first + count) of a dimension table (sk = row + 1). */
typedef void (*dg_dim_fn)(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *out);
/* Writes orders [first, first + count) of a sales table and their returns. */
typedef void (*dg_sales_fn)(const dg_ctx *ctx, int64_t first, int64_t count, dg_blk *sales,
                            dg_blk *returns);

dg_dim_fn dg_dim_generator(int table);          /* NULL for sales/returns tables */
dg_sales_fn dg_sales_generator(int sales_table);
/* Most lines an order of this sales table can have. */
int dg_max_lines(int sales_table);
/* The NULL rate (percent) of a table's nullable columns. */
double dg_null_pct(int table);

void dg_ctx_scale(dg_ctx *ctx, double scale);

#endif
