/*
 * dg_run.c: scaling and the block runner.
 *
 * Row counts: the spec's scaling table at SF 1, 10, 100, 300 and 1000,
 * linear between those points; below SF 1 the scaled tables (facts,
 * customer, customer_address, item) shrink linearly with small minimums
 * while the fixed and small dimensions keep their SF 1 sizes.
 *
 * The runner cuts a table into fixed-size blocks (BLOCK_ROWS rows, or
 * BLOCK_ORDERS orders for sales), generates a wave of blocks in parallel on
 * the pool (each into its own slot: arena, columns, encode buffer), then
 * hands the wave's blocks to the sink in order on the calling thread.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dg_int.h"

#include "../base/alloc.h"
#include "../base/threads.h"

#define BLOCK_ROWS 8192
#define BLOCK_ORDERS 800

static const double scale_points[5] = {1, 10, 100, 300, 1000};

typedef struct scaling {
    int table;
    int64_t rows[5];
    bool fixed_below_1;   /* keeps its SF 1 size below SF 1 */
} scaling;

static const scaling scalings[] = {
    {DG_CALL_CENTER, {6, 24, 30, 36, 42}, true},
    {DG_CATALOG_PAGE, {11718, 12000, 20400, 26000, 30000}, true},
    {DG_CATALOG_SALES, {1441548, 14401261, 143997065, 431969836, 1439980416}, false},
    {DG_CUSTOMER, {100000, 500000, 2000000, 5000000, 12000000}, false},
    {DG_CUSTOMER_ADDRESS, {50000, 250000, 1000000, 2500000, 6000000}, false},
    {DG_ITEM, {18000, 102000, 204000, 264000, 300000}, false},
    {DG_PROMOTION, {300, 500, 1000, 1300, 1500}, true},
    {DG_REASON, {35, 45, 55, 60, 65}, true},
    {DG_STORE, {12, 102, 402, 804, 1002}, true},
    {DG_STORE_SALES, {2880404, 28800991, 287997024, 864001869, 2879987999}, false},
    {DG_WAREHOUSE, {5, 10, 15, 17, 20}, true},
    {DG_WEB_PAGE, {60, 200, 2040, 2604, 3000}, true},
    {DG_WEB_SALES, {719384, 7197566, 72001237, 216009853, 720000376}, false},
    {DG_WEB_SITE, {30, 42, 24, 54, 54}, true},
};

static int64_t scaled(const scaling *s, double scale)
{
    if (scale < 1) {
        if (s->fixed_below_1) return s->rows[0];
        int64_t n = (int64_t)llround((double)s->rows[0] * scale);
        return n < 100 ? 100 : n;
    }
    for (int i = 0; i < 4; i++) {
        if (scale <= scale_points[i + 1]) {
            double f = (scale - scale_points[i]) / (scale_points[i + 1] - scale_points[i]);
            return (int64_t)llround((double)s->rows[i] + f * (double)(s->rows[i + 1] - s->rows[i]));
        }
    }
    bool grows = s->table == DG_CATALOG_SALES || s->table == DG_STORE_SALES ||
                 s->table == DG_WEB_SALES || s->table == DG_CUSTOMER ||
                 s->table == DG_CUSTOMER_ADDRESS;
    return grows ? (int64_t)llround((double)s->rows[4] * scale / 1000.0) : s->rows[4];
}

/* Average lines per order: web (8 + 16) / 2, catalog (4 + 14) / 2, store
 * 98% of (8 + 16) / 2 and 2% of (1 + 7) / 2 (see dg_sales.c). */
static double avg_lines(int sales_table)
{
    return sales_table == DG_CATALOG_SALES ? 9.0 : sales_table == DG_STORE_SALES ? 11.84 : 12.0;
}

void dg_ctx_scale(dg_ctx *ctx, double scale)
{
    ctx->scale = scale;
    ctx->rows[DG_CUSTOMER_DEMOGRAPHICS] = 1920800;
    ctx->rows[DG_DATE_DIM] = 73049;
    ctx->rows[DG_TIME_DIM] = 86400;
    ctx->rows[DG_HOUSEHOLD_DEMOGRAPHICS] = 7200;
    ctx->rows[DG_INCOME_BAND] = 20;
    ctx->rows[DG_SHIP_MODE] = 20;
    for (size_t i = 0; i < sizeof(scalings) / sizeof(scalings[0]); i++)
        ctx->rows[scalings[i].table] = scaled(&scalings[i], scale);
    int64_t key, start;
    dg_scd(4, dg_julian(1997, 10, 27), &key, &start, &ctx->item_m24);
    dg_scd(2, dg_julian(1997, 10, 27), &key, &start, &ctx->item_m36);
    dg_scd(5, dg_julian(1997, 10, 27), &key, &start, &ctx->item_m48);
    ctx->rows[DG_INVENTORY] = (ctx->rows[DG_ITEM] + 1) / 2 * ctx->rows[DG_WAREHOUSE] * 261;
    static const int sales[3] = {DG_CATALOG_SALES, DG_STORE_SALES, DG_WEB_SALES};
    for (int i = 0; i < 3; i++) {
        int t = sales[i];
        int64_t orders = (int64_t)llround((double)ctx->rows[t] / avg_lines(t));
        ctx->orders[t] = orders < 1 ? 1 : orders;
        ctx->rows[dg_returns_of(t)] = ctx->rows[t] / 10;
    }
}

int64_t dg_row_count(int table, double scale)
{
    if (table < 0 || table >= DG_N_TABLES) return -1;
    dg_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    dg_ctx_scale(&ctx, scale);
    return ctx.rows[table];
}

int dg_table_lookup(const char *name)
{
    for (int i = 0; i < DG_N_TABLES; i++)
        if (!strcmp(dg_tables[i].name, name)) return i;
    return -1;
}

fl_type dg_column_type(const dg_coldef *col)
{
    switch (col->type) {
    case DG_INT: return fl_type_make(FL_TYPE_INT32);
    case DG_DEC: return fl_type_decimal(col->len_or_precision, col->scale);
    case DG_DATE: return fl_type_make(FL_TYPE_DATE);
    default: return fl_type_make(FL_TYPE_STRING);
    }
}

int dg_sales_of(int returns_table)
{
    switch (returns_table) {
    case DG_WEB_RETURNS: return DG_WEB_SALES;
    case DG_STORE_RETURNS: return DG_STORE_SALES;
    case DG_CATALOG_RETURNS: return DG_CATALOG_SALES;
    default: return -1;
    }
}

int dg_returns_of(int sales_table)
{
    switch (sales_table) {
    case DG_WEB_SALES: return DG_WEB_RETURNS;
    case DG_STORE_SALES: return DG_STORE_RETURNS;
    case DG_CATALOG_SALES: return DG_CATALOG_RETURNS;
    default: return -1;
    }
}

/* NULL rates of the nullable columns, as measured on dsdgen's SF 1 output
 * (web_sales 0.03%, web_returns 4.4%, customer 3.4%, ...). */
double dg_null_pct(int table)
{
    switch (table) {
    case DG_DATE_DIM: case DG_TIME_DIM: case DG_CUSTOMER_DEMOGRAPHICS:
    case DG_HOUSEHOLD_DEMOGRAPHICS: case DG_INCOME_BAND: case DG_SHIP_MODE: case DG_REASON:
    case DG_CALL_CENTER: case DG_STORE: case DG_WAREHOUSE: case DG_WEB_SITE:
        return 0;
    case DG_CUSTOMER: return 3.4;
    case DG_CUSTOMER_ADDRESS: return 3.0;
    case DG_PROMOTION: return 2.0;
    case DG_WEB_PAGE: return 1.7;
    case DG_ITEM: return 0.25;
    case DG_CATALOG_PAGE: case DG_INVENTORY: return 0.5;
    case DG_WEB_RETURNS: case DG_STORE_RETURNS: case DG_CATALOG_RETURNS: return 4.4;
    default: return 0.03;   /* sales */
    }
}

/* ---- the runner ---- */

typedef struct slot {
    fl_arena *arena;
    dg_blk blk[2];
    fl_buf encoded[2];
    int64_t first, count;     /* rows or orders */
    int rc;
} slot;

typedef struct run {
    const dg_ctx *ctx;
    const dg_sink *sink;
    int tables[2];            /* [0] the generated table, [1] its returns or -1 */
    bool deliver[2];
    slot *slots;
} run;

static int blk_init(dg_blk *b, int table, size_t cap, fl_arena *arena)
{
    const dg_tabledef *t = &dg_tables[table];
    memset(b, 0, sizeof(*b));
    b->cols = fl_arena_alloc(arena, sizeof(fl_column *) * (size_t)t->n_columns);
    if (!b->cols) return FLOE_ENOMEM;
    b->n_cols = t->n_columns;
    b->defs = t->columns;
    b->null_pct = dg_null_pct(table);
    b->arena = arena;
    for (int i = 0; i < t->n_columns; i++) {
        fl_column *c = fl_column_new(arena, dg_column_type(&t->columns[i]), cap ? cap : 1);
        if (!c || fl_column_ensure_validity(c) < 0) return FLOE_ENOMEM;
        c->name = t->columns[i].name;
        b->cols[i] = c;
    }
    return 0;
}

static void run_slot(void *arg, size_t index, int worker)
{
    (void)worker;
    run *rn = arg;
    slot *s = &rn->slots[index];
    if (s->count == 0) return;
    fl_arena_reset(s->arena);
    bool sales = rn->tables[1] >= 0;
    size_t cap = sales ? (size_t)s->count * (size_t)dg_max_lines(rn->tables[0]) : (size_t)s->count;
    for (int k = 0; k < (sales ? 2 : 1); k++) {
        if ((s->rc = blk_init(&s->blk[k], rn->tables[k], cap, s->arena)) < 0) return;
    }
    if (sales) dg_sales_generator(rn->tables[0])(rn->ctx, s->first, s->count, &s->blk[0], &s->blk[1]);
    else dg_dim_generator(rn->tables[0])(rn->ctx, s->first, s->count, &s->blk[0]);
    for (int k = 0; k < (sales ? 2 : 1); k++) {
        dg_blk *b = &s->blk[k];
        if (b->oom) {
            s->rc = FLOE_ENOMEM;
            return;
        }
        for (int i = 0; i < b->n_cols; i++) b->cols[i]->len = b->row;
        fl_buf_reset(&s->encoded[k]);
        if (rn->deliver[k] && rn->sink->encode &&
            (s->rc = rn->sink->encode(rn->sink->ctx, rn->tables[k], b->cols, b->row, &s->encoded[k])) < 0)
            return;
    }
}

int dg_generate(const dg_opts *opts, int table, bool want_returns, const dg_sink *sink,
                int64_t rows_out[DG_N_TABLES], fl_error *err)
{
    if (table < 0 || table >= DG_N_TABLES) return fl_error_set(err, FLOE_EINVAL, "unknown table %d", table);
    if (!(opts->scale > 0) || opts->scale > 100000)
        return fl_error_set(err, FLOE_EINVAL, "scale factor %g is out of range (0, 100000]", opts->scale);
    dg_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.seed = opts->seed;
    dg_ctx_scale(&ctx, opts->scale);
    int rc = dg_vocab_init(&ctx.vocab, err);
    if (rc < 0) return rc;

    run rn = {&ctx, sink, {table, -1}, {true, false}, NULL};
    int sales_table = dg_sales_of(table);
    if (sales_table >= 0) {
        rn.tables[0] = sales_table;
        rn.tables[1] = table;
        rn.deliver[0] = false;
        rn.deliver[1] = true;
    } else if (dg_returns_of(table) >= 0) {
        rn.tables[1] = dg_returns_of(table);
        rn.deliver[1] = want_returns;
    }
    bool sales = rn.tables[1] >= 0;
    int64_t total = sales ? ctx.orders[rn.tables[0]] : ctx.rows[table];
    int64_t per_block = sales ? BLOCK_ORDERS : BLOCK_ROWS;
    size_t n_slots = (size_t)(fl_pool_threads(opts->pool) + 1) * 2;
    rn.slots = fl_calloc(n_slots, sizeof(slot));
    if (!rn.slots) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory allocating generator blocks");
        goto done;
    }
    for (size_t i = 0; i < n_slots; i++) {
        fl_buf_init(&rn.slots[i].encoded[0]);
        fl_buf_init(&rn.slots[i].encoded[1]);
        if (!(rn.slots[i].arena = fl_arena_new(1 << 20))) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory allocating generator blocks");
            goto done;
        }
    }
    for (int64_t next = 0; next < total;) {
        size_t used = 0;
        for (; used < n_slots && next < total; used++) {
            slot *s = &rn.slots[used];
            s->first = next;
            s->count = total - next < per_block ? total - next : per_block;
            s->rc = 0;
            next += s->count;
        }
        fl_pool_run(opts->pool, used, run_slot, &rn);
        for (size_t i = 0; i < used; i++) {
            slot *s = &rn.slots[i];
            if (s->rc < 0) {
                rc = s->rc == FLOE_ENOMEM
                         ? fl_error_set(err, FLOE_ENOMEM, "out of memory generating table \"%s\"",
                                        dg_tables[table].name)
                         : fl_error_set(err, s->rc, "could not encode table \"%s\"",
                                        dg_tables[table].name);
                goto done;
            }
            for (int k = 0; k < 2; k++) {
                if (!rn.deliver[k]) continue;
                dg_blk *b = &s->blk[k];
                if ((rc = sink->block(sink->ctx, rn.tables[k], b->cols, b->row, s->encoded[k].data,
                                      s->encoded[k].len, err)) < 0)
                    goto done;
                if (rows_out) rows_out[rn.tables[k]] += (int64_t)b->row;
            }
            s->count = 0;
        }
        if (opts->progress) opts->progress(opts->progress_ctx, table, next, total);
    }
    rc = 0;
done:
    if (rn.slots) {
        for (size_t i = 0; i < n_slots; i++) {
            fl_arena_free(rn.slots[i].arena);
            fl_buf_dispose(&rn.slots[i].encoded[0]);
            fl_buf_dispose(&rn.slots[i].encoded[1]);
        }
        fl_free(rn.slots);
    }
    dg_vocab_dispose(&ctx.vocab);
    return rc;
}
