/*
 * test_datagen.c: the TPC-DS generator (src/datagen): the emitted schema
 * equals the TPC-DS DDL, row counts at SF 0.01 (and the scaling table at
 * SF 1 and 10), referential integrity of every foreign key, returns that
 * match their sales, pricing identities, determinism across thread counts,
 * and the dat/csv/parquet writers.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/threads.h"
#include "../../../src/base/time.h"
#include "../../../src/cli/ddl.h"
#include "../../../src/datagen/datagen.h"
#include "../../../src/datagen/dg_int.h"
#include "../../../src/format/parquet/pq_reader.h"

#define SCALE 0.01

TEST(datagen_schema_matches_ddl)
{
    for (int t = 0; t < DG_N_TABLES; t++) {
        fl_arena *arena = fl_arena_new(0);
        fl_error err;
        char rel[128];
        snprintf(rel, sizeof(rel), "tpcds/schema/%s.sql", dg_tables[t].name);
        ddl_table *ddl = NULL;
        if (CHECK_OK(ddl_load(&ddl, ft_shared(rel), arena, &err), &err)) {
            CHECK_STR(ddl->name, dg_tables[t].name);
            if (CHECK_EQ(ddl->n_columns, dg_tables[t].n_columns)) {
                for (int c = 0; c < ddl->n_columns; c++) {
                    const dg_coldef *def = &dg_tables[t].columns[c];
                    fl_type want = dg_column_type(def);
                    CHECK_STR(def->name, ddl->columns[c].name);
                    CHECK_EQ(want.id, ddl->columns[c].type.id);
                    CHECK_EQ(want.precision, ddl->columns[c].type.precision);
                    CHECK_EQ(want.scale, ddl->columns[c].type.scale);
                    CHECK_EQ(def->not_null, !ddl->columns[c].nullable);
                }
            }
        }
        fl_arena_free(arena);
    }
    CHECK_EQ(dg_table_lookup("web_sales"), DG_WEB_SALES);
    CHECK_EQ(dg_table_lookup("nope"), -1);
}

TEST(datagen_scaling_table)
{
    /* dsdgen's counts at SF 1 and 10 */
    static const struct { int t; int64_t sf1, sf10; } want[] = {
        {DG_CUSTOMER, 100000, 500000}, {DG_CUSTOMER_ADDRESS, 50000, 250000},
        {DG_ITEM, 18000, 102000}, {DG_WAREHOUSE, 5, 10}, {DG_WEB_PAGE, 60, 200},
        {DG_WEB_SITE, 30, 42}, {DG_PROMOTION, 300, 500}, {DG_REASON, 35, 45},
        {DG_INVENTORY, 11745000, 133110000}, {DG_CUSTOMER_DEMOGRAPHICS, 1920800, 1920800},
        {DG_DATE_DIM, 73049, 73049}, {DG_TIME_DIM, 86400, 86400}, {DG_CATALOG_PAGE, 11718, 12000},
        {DG_CALL_CENTER, 6, 24}, {DG_STORE, 12, 102}, {DG_SHIP_MODE, 20, 20},
        {DG_INCOME_BAND, 20, 20}, {DG_HOUSEHOLD_DEMOGRAPHICS, 7200, 7200},
        {DG_WEB_SALES, 719384, 7197566}, {DG_STORE_SALES, 2880404, 28800991},
        {DG_CATALOG_SALES, 1441548, 14401261}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        CHECK_EQ(dg_row_count(want[i].t, 1), want[i].sf1);
        CHECK_EQ(dg_row_count(want[i].t, 10), want[i].sf10);
    }
    /* returns are ~10% of sales (dsdgen: 71,763 web returns at SF 1) */
    CHECK(llabs(dg_row_count(DG_WEB_RETURNS, 1) - 71763) < 718);
    CHECK(llabs(dg_row_count(DG_STORE_RETURNS, 1) - 287514) < 2875);
    CHECK(llabs(dg_row_count(DG_CATALOG_RETURNS, 1) - 144067) < 1441);
    /* fractional scale: fixed dimensions keep their size, the rest shrink */
    CHECK_EQ(dg_row_count(DG_DATE_DIM, 0.01), 73049);
    CHECK_EQ(dg_row_count(DG_CUSTOMER, 0.01), 1000);
    CHECK_EQ(dg_row_count(DG_WEB_SALES, 0.1), 71938);
}

TEST(datagen_business_keys)
{
    char id[17];
    dg_business_key(id, 1);
    CHECK_STR(id, "AAAAAAAABAAAAAAA");
    dg_business_key(id, 2415022);
    CHECK_STR(id, "AAAAAAAAOKJNECAA");
    char w[64];
    dg_syllables(w, sizeof(w), 52);
    CHECK_STR(w, "callypri");
    dg_syllables(w, sizeof(w), 0);
    CHECK_STR(w, "ought");
}

/* ---- an in-memory sink keeping the integer columns ---- */

typedef struct icol {
    int64_t *v;       /* INT64_MIN = NULL */
    size_t len, cap;
} icol;

typedef struct mem_sink {
    icol cols[DG_N_TABLES][40];
    int64_t rows[DG_N_TABLES];
    bool keep[DG_N_TABLES];
    int64_t sales_checked;   /* web_sales rows whose pricing identities held */
    int64_t sales_bad;
} mem_sink;

static int64_t dec_at(fl_column *const *cols, const dg_tabledef *t, const char *name, size_t row,
                      bool *null)
{
    for (int c = 0; c < t->n_columns; c++) {
        if (strcmp(t->columns[c].name, name)) continue;
        if (!fl_column_is_valid(cols[c], row)) {
            *null = true;
            return 0;
        }
        return t->columns[c].type == DG_DEC ? ((const int64_t *)cols[c]->data)[row]
                                            : ((const int32_t *)cols[c]->data)[row];
    }
    *null = true;
    return 0;
}

static void check_web_pricing(mem_sink *ms, fl_column *const *cols, size_t rows)
{
    const dg_tabledef *t = &dg_tables[DG_WEB_SALES];
    for (size_t r = 0; r < rows; r++) {
        bool null = false;
        int64_t q = dec_at(cols, t, "ws_quantity", r, &null);
        int64_t sp = dec_at(cols, t, "ws_sales_price", r, &null);
        int64_t lp = dec_at(cols, t, "ws_list_price", r, &null);
        int64_t ext_sales = dec_at(cols, t, "ws_ext_sales_price", r, &null);
        int64_t ext_list = dec_at(cols, t, "ws_ext_list_price", r, &null);
        int64_t ext_disc = dec_at(cols, t, "ws_ext_discount_amt", r, &null);
        int64_t coupon = dec_at(cols, t, "ws_coupon_amt", r, &null);
        int64_t paid = dec_at(cols, t, "ws_net_paid", r, &null);
        int64_t tax = dec_at(cols, t, "ws_ext_tax", r, &null);
        int64_t paid_tax = dec_at(cols, t, "ws_net_paid_inc_tax", r, &null);
        int64_t ext_whole = dec_at(cols, t, "ws_ext_wholesale_cost", r, &null);
        int64_t profit = dec_at(cols, t, "ws_net_profit", r, &null);
        if (null) continue;
        bool ok = ext_sales == sp * q && ext_list == lp * q && ext_disc == (lp - sp) * q &&
                  paid == ext_sales - coupon && paid_tax == paid + tax &&
                  profit == paid - ext_whole && sp <= lp && q >= 1 && q <= 100;
        if (ok) ms->sales_checked++;
        else ms->sales_bad++;
    }
}

static int mem_block(void *ctx, int table, fl_column *const *cols, size_t rows,
                     const void *encoded, size_t encoded_len, fl_error *err)
{
    (void)encoded;
    (void)encoded_len;
    mem_sink *ms = ctx;
    ms->rows[table] += (int64_t)rows;
    if (table == DG_WEB_SALES) check_web_pricing(ms, cols, rows);
    if (!ms->keep[table]) return 0;
    const dg_tabledef *t = &dg_tables[table];
    for (int c = 0; c < t->n_columns; c++) {
        if (t->columns[c].type != DG_INT) continue;
        icol *ic = &ms->cols[table][c];
        if (ic->len + rows > ic->cap) {
            size_t cap = (ic->len + rows) * 2;
            int64_t *v = fl_realloc(ic->v, cap * sizeof(int64_t));
            if (!v) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            ic->v = v;
            ic->cap = cap;
        }
        for (size_t r = 0; r < rows; r++)
            ic->v[ic->len++] = fl_column_is_valid(cols[c], r) ? ((const int32_t *)cols[c]->data)[r]
                                                              : INT64_MIN;
    }
    return 0;
}

static void mem_free(mem_sink *ms)
{
    for (int t = 0; t < DG_N_TABLES; t++)
        for (int c = 0; c < 40; c++) fl_free(ms->cols[t][c].v);
    fl_free(ms);
}

static int col_index(int table, const char *name)
{
    for (int c = 0; c < dg_tables[table].n_columns; c++)
        if (!strcmp(dg_tables[table].columns[c].name, name)) return c;
    return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The table a *_sk column refers to, -1 for none. */
static int fk_target(const char *col)
{
    static const struct { const char *suffix; int table; } rules[] = {
        {"date_sk", DG_DATE_DIM}, {"time_sk", DG_TIME_DIM}, {"item_sk", DG_ITEM},
        {"customer_sk", DG_CUSTOMER}, {"cdemo_sk", DG_CUSTOMER_DEMOGRAPHICS},
        {"hdemo_sk", DG_HOUSEHOLD_DEMOGRAPHICS}, {"addr_sk", DG_CUSTOMER_ADDRESS},
        {"store_sk", DG_STORE}, {"promo_sk", DG_PROMOTION}, {"catalog_page_sk", DG_CATALOG_PAGE},
        {"web_page_sk", DG_WEB_PAGE}, {"web_site_sk", DG_WEB_SITE}, {"ship_mode_sk", DG_SHIP_MODE},
        {"warehouse_sk", DG_WAREHOUSE}, {"call_center_sk", DG_CALL_CENTER},
        {"reason_sk", DG_REASON}, {"income_band_sk", DG_INCOME_BAND}};
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (ends_with(col, rules[i].suffix)) return rules[i].table;
    return -1;
}

typedef struct sale_key { int64_t order, item, quantity; } sale_key;

static int cmp_sale(const void *a, const void *b)
{
    const sale_key *x = a, *y = b;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

static void check_returns(mem_sink *ms, int sales, int returns, const char *order_col,
                          const char *item_col, const char *qty_col, const char *r_order,
                          const char *r_item, const char *r_qty)
{
    icol *so = &ms->cols[sales][col_index(sales, order_col)];
    icol *si = &ms->cols[sales][col_index(sales, item_col)];
    icol *sq = &ms->cols[sales][col_index(sales, qty_col)];
    sale_key *keys = fl_malloc(sizeof(sale_key) * (so->len ? so->len : 1));
    if (!CHECK(keys != NULL)) return;
    for (size_t i = 0; i < so->len; i++) keys[i] = (sale_key){so->v[i], si->v[i], sq->v[i]};
    qsort(keys, so->len, sizeof(sale_key), cmp_sale);
    size_t dups = 0;
    for (size_t i = 1; i < so->len; i++) dups += cmp_sale(&keys[i - 1], &keys[i]) == 0;
    CHECK_EQ(dups, 0);   /* (order, item) is the sales key */
    icol *ro = &ms->cols[returns][col_index(returns, r_order)];
    icol *ri = &ms->cols[returns][col_index(returns, r_item)];
    icol *rq = &ms->cols[returns][col_index(returns, r_qty)];
    size_t missing = 0, too_many = 0;
    for (size_t i = 0; i < ro->len; i++) {
        sale_key k = {ro->v[i], ri->v[i], 0};
        sale_key *hit = bsearch(&k, keys, so->len, sizeof(sale_key), cmp_sale);
        if (!hit) missing++;
        else if (rq->v[i] != INT64_MIN && hit->quantity != INT64_MIN && rq->v[i] > hit->quantity)
            too_many++;
    }
    CHECK(ro->len > 0);
    CHECK_EQ(missing, 0);
    CHECK_EQ(too_many, 0);
    fl_free(keys);
}

TEST(datagen_counts_and_referential_integrity)
{
    mem_sink *ms = fl_calloc(1, sizeof(mem_sink));
    if (!CHECK(ms != NULL)) return;
    fl_pool *pool = NULL;
    CHECK_EQ(fl_pool_new(&pool, 1), 0);
    dg_opts opts = {SCALE, 42, pool, NULL, NULL};
    dg_sink sink = {NULL, mem_block, ms};
    fl_error err;
    for (int t = 0; t < DG_N_TABLES; t++) ms->keep[t] = t != DG_CUSTOMER_DEMOGRAPHICS;
    for (int t = 0; t < DG_N_TABLES; t++) {
        if (dg_sales_of(t) >= 0) continue;   /* returns come with their sales */
        CHECK_OK(dg_generate(&opts, t, true, &sink, NULL, &err), &err);
    }
    fl_pool_free(pool);
    for (int t = 0; t < DG_N_TABLES; t++) {
        int64_t want = dg_row_count(t, SCALE);
        bool approx = dg_sales_of(t) >= 0 || dg_returns_of(t) >= 0;
        if (approx) {   /* orders have random line counts; returns ~10% */
            double tol = dg_sales_of(t) >= 0 ? 0.12 : 0.03;
            if (!CHECK(ms->rows[t] > want * (1 - tol) && ms->rows[t] < want * (1 + tol)))
                fprintf(stderr, "  %s: %lld rows, expected about %lld\n", dg_tables[t].name,
                        (long long)ms->rows[t], (long long)want);
        } else if (!CHECK_EQ(ms->rows[t], want)) {
            fprintf(stderr, "  table %s\n", dg_tables[t].name);
        }
    }
    /* surrogate keys are 1..N in order (time_dim: 0..86399, date_dim: julian days) */
    for (int t = 0; t < DG_N_TABLES; t++) {
        if (!ms->keep[t] || !ends_with(dg_tables[t].columns[0].name, "_sk") ||
            dg_sales_of(t) >= 0 || dg_returns_of(t) >= 0 || t == DG_INVENTORY)
            continue;
        icol *pk = &ms->cols[t][0];
        int64_t base = t == DG_TIME_DIM ? 0 : t == DG_DATE_DIM ? DG_DATE_FIRST : 1;
        size_t bad = 0;
        for (size_t i = 0; i < pk->len; i++) bad += pk->v[i] != base + (int64_t)i;
        if (!CHECK_EQ(bad, 0)) fprintf(stderr, "  table %s\n", dg_tables[t].name);
    }
    /* every non-NULL foreign key resolves; NULLs stay rare */
    int checked = 0;
    for (int t = 0; t < DG_N_TABLES; t++) {
        if (!ms->keep[t]) continue;
        for (int c = 0; c < dg_tables[t].n_columns; c++) {
            const char *name = dg_tables[t].columns[c].name;
            int target = fk_target(name);
            if (target < 0 || (c == 0 && target == t) || dg_tables[t].columns[c].type != DG_INT)
                continue;
            int64_t lo = target == DG_TIME_DIM ? 0 : target == DG_DATE_DIM ? DG_DATE_FIRST : 1;
            int64_t hi = lo + dg_row_count(target, SCALE) - 1;
            icol *ic = &ms->cols[t][c];
            size_t bad = 0, nulls = 0;
            for (size_t i = 0; i < ic->len; i++) {
                if (ic->v[i] == INT64_MIN) nulls++;
                else bad += ic->v[i] < lo || ic->v[i] > hi;
            }
            checked++;
            if (!CHECK_EQ(bad, 0)) fprintf(stderr, "  %s.%s\n", dg_tables[t].name, name);
            bool nullable_by_design = !strcmp(name, "wp_customer_sk") ||
                                      !strcmp(name, "cc_closed_date_sk") ||
                                      !strcmp(name, "s_closed_date_sk") ||
                                      !strcmp(name, "web_close_date_sk");
            if (!nullable_by_design && !CHECK(nulls * 10 <= ic->len))
                fprintf(stderr, "  %s.%s: %zu NULLs of %zu\n", dg_tables[t].name, name, nulls, ic->len);
        }
    }
    CHECK(checked > 90);
    check_returns(ms, DG_WEB_SALES, DG_WEB_RETURNS, "ws_order_number", "ws_item_sk", "ws_quantity",
                  "wr_order_number", "wr_item_sk", "wr_return_quantity");
    check_returns(ms, DG_STORE_SALES, DG_STORE_RETURNS, "ss_ticket_number", "ss_item_sk",
                  "ss_quantity", "sr_ticket_number", "sr_item_sk", "sr_return_quantity");
    check_returns(ms, DG_CATALOG_SALES, DG_CATALOG_RETURNS, "cs_order_number", "cs_item_sk",
                  "cs_quantity", "cr_order_number", "cr_item_sk", "cr_return_quantity");
    CHECK(ms->sales_checked > 6000);
    CHECK_EQ(ms->sales_bad, 0);
    mem_free(ms);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = fl_malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
        fl_free(p);
        p = NULL;
    }
    fclose(f);
    if (p) p[n] = 0;
    *len = (size_t)n;
    return p;
}

static bool same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *pa = read_all(a, &la), *pb = read_all(b, &lb);
    bool same = pa && pb && la == lb && la > 0 && !memcmp(pa, pb, la);
    fl_free(pa);
    fl_free(pb);
    return same;
}

static int write_dir(const char *dir, int threads, uint64_t seed, dg_format format, const bool *want,
                     fl_error *err)
{
    fl_pool *pool = NULL;
    if (threads > 1 && fl_pool_new(&pool, threads - 1) < 0) return FLOE_ENOMEM;
    dg_opts opts = {SCALE, seed, pool, NULL, NULL};
    int64_t rows[DG_N_TABLES] = {0};
    int rc = dg_write_tables(&opts, want, format, dir, rows, err);
    fl_pool_free(pool);
    return rc;
}

TEST(datagen_deterministic_across_threads)
{
    bool want[DG_N_TABLES] = {0};
    want[DG_WEB_SALES] = want[DG_WEB_RETURNS] = want[DG_ITEM] = want[DG_CUSTOMER] = true;
    want[DG_STORE_RETURNS] = want[DG_CUSTOMER_ADDRESS] = true;
    char d1[512], d2[512], d3[512];
    snprintf(d1, sizeof(d1), "%s/t1", ft_tmpdir());
    snprintf(d2, sizeof(d2), "%s/t2", ft_tmpdir());
    snprintf(d3, sizeof(d3), "%s/s2", ft_tmpdir());
    fl_error err;
    char cmd[1600];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s' '%s'", d1, d2, d3);
    CHECK_EQ(system(cmd), 0);
    CHECK_OK(write_dir(d1, 1, 7, DG_FORMAT_DAT, want, &err), &err);
    CHECK_OK(write_dir(d2, 2, 7, DG_FORMAT_DAT, want, &err), &err);
    CHECK_OK(write_dir(d3, 2, 8, DG_FORMAT_DAT, want, &err), &err);
    for (int t = 0; t < DG_N_TABLES; t++) {
        if (!want[t]) continue;
        char a[600], b[600], c[600];
        snprintf(a, sizeof(a), "%s/%s.dat", d1, dg_tables[t].name);
        snprintf(b, sizeof(b), "%s/%s.dat", d2, dg_tables[t].name);
        snprintf(c, sizeof(c), "%s/%s.dat", d3, dg_tables[t].name);
        if (!CHECK(same_file(a, b))) fprintf(stderr, "  %s differs between 1 and 2 threads\n", a);
        CHECK(!same_file(a, c));   /* another seed, other data */
    }
}

TEST(datagen_dat_csv_parquet_output)
{
    bool want[DG_N_TABLES] = {0};
    want[DG_REASON] = want[DG_INCOME_BAND] = want[DG_DATE_DIM] = true;
    const char *dir = ft_tmpdir();
    fl_error err;
    CHECK_OK(write_dir(dir, 1, 0, DG_FORMAT_DAT, want, &err), &err);
    CHECK_OK(write_dir(dir, 1, 0, DG_FORMAT_CSV, want, &err), &err);
    CHECK_OK(write_dir(dir, 2, 0, DG_FORMAT_PARQUET, want, &err), &err);
    char path[600];
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/reason.dat", dir);
    char *dat = read_all(path, &len);
    if (CHECK(dat != NULL)) {
        CHECK(!strncmp(dat, "1|AAAAAAAABAAAAAAA|Package was damaged|\n2|AAAAAAAACAAAAAAA|", 59));
        CHECK(strstr(dat, "\n28|AAAAAAAAMBAAAAAA|reason 28|\n") != NULL);
        fl_free(dat);
    }
    snprintf(path, sizeof(path), "%s/income_band.csv", dir);
    char *csv = read_all(path, &len);
    if (CHECK(csv != NULL)) {
        CHECK(!strncmp(csv, "ib_income_band_sk,ib_lower_bound,ib_upper_bound\n1,0,10000\n2,10001,20000\n", 72));
        fl_free(csv);
    }
    /* date_dim: d_date_sk 2415022 is 1900-01-02; 2000-01-01 is month 1200 */
    snprintf(path, sizeof(path), "%s/date_dim.dat", dir);
    char *dd = read_all(path, &len);
    if (CHECK(dd != NULL)) {
        CHECK(!strncmp(dd, "2415022|AAAAAAAAOKJNECAA|1900-01-02|0|1|1|1900|", 47));
        CHECK(strstr(dd, "\n2451545|AAAAAAAAJFIGFCAA|2000-01-01|1200|") != NULL);
        CHECK(strstr(dd, "|Saturday|2000Q1|Y|Y|N|2451545|2451575|") != NULL);
        fl_free(dd);
    }
    snprintf(path, sizeof(path), "%s/date_dim.parquet", dir);
    pq_file *pf = NULL;
    if (CHECK_OK(pq_file_open_path(&pf, path, &err), &err)) {
        CHECK_EQ(pq_file_num_rows(pf), 73049);
        const pq_field *root = pq_file_schema(pf);
        CHECK_EQ(root->n_children, dg_tables[DG_DATE_DIM].n_columns);
        CHECK_EQ(root->children[2].type.id, FL_TYPE_DATE);
        CHECK(!root->children[0].nullable);
        pq_file_free(pf);
    }
}

TEST(datagen_rejects_bad_scale)
{
    dg_opts opts = {0, 0, NULL, NULL, NULL};
    mem_sink *ms = fl_calloc(1, sizeof(mem_sink));
    dg_sink sink = {NULL, mem_block, ms};
    fl_error err;
    CHECK_EQ(dg_generate(&opts, DG_REASON, false, &sink, NULL, &err), FLOE_EINVAL);
    CHECK(strstr(err.message, "scale factor") != NULL);
    opts.scale = 1;
    CHECK_EQ(dg_generate(&opts, 99, false, &sink, NULL, &err), FLOE_EINVAL);
    bool want[DG_N_TABLES] = {0};
    want[DG_REASON] = true;
    char path[600];
    const char *tmp = ft_tmpdir();
    snprintf(path, sizeof(path), "%s/plain", tmp);
    FILE *f = fopen(path, "w");
    if (CHECK(f != NULL)) fclose(f);
    snprintf(path, sizeof(path), "%s/plain/x", tmp);   /* below a regular file */
    CHECK(dg_write_tables(&opts, want, DG_FORMAT_DAT, path, NULL, &err) < 0);
    mem_free(ms);
}
