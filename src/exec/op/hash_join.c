/*
 * hash_join.c: PLAN_JOIN with equality conditions, the hash join (DuckDB's
 * PhysicalHashJoin): a build sink over the right child plus a streaming
 * probe over the left child's chunks.
 *
 * Build (sink, parallel): each thread evaluates the right keys of its chunks,
 * hashes them and appends rows (keys, then the right columns when the output
 * or a residual needs them) to its own row store (hashtable.h). Rows whose
 * key is NULL under SQL '=' can never match and are dropped, except for
 * RIGHT/FULL joins, which must emit them. Finalize links all stores into one
 * chained table (in parallel for large builds). The build also keeps the
 * min/max of an integer first key; the probe skips the bucket lookup for
 * keys outside that range.
 *
 * Probe (execute, parallel): a chunk's keys are hashed at once (after the
 * key-range pass when there is one, so only rows in range); every probe
 * row holds a pointer into its bucket's chain, and each round advances all
 * of them one step, comparing salted hashes and then the keys
 * column-at-a-time (ex_ht_match_keys). A round yields at most one pair per
 * probe row, so it fits one output chunk; rounds continue over repeated
 * execute calls (EX_HAVE_MORE_OUTPUT). Non-equality conditions and the
 * residual are one boolean expression evaluated on the candidate pairs
 * (left columns then right columns, the JOIN output order of plan.h).
 *
 * Join types: INNER emits pairs; LEFT/FULL also probe rows without a match
 * (right NULL) once the chunk's chains are exhausted; RIGHT/FULL set a
 * relaxed-atomic match byte in each matched build row, and the op's source
 * side (run by ex_pipeline.c as a follower pipeline after the probe) emits
 * the build rows never matched, left NULL. SEMI/ANTI emit probe rows with /
 * without a match (NOT EXISTS: a NULL key has no match). MARK appends
 * true / false / NULL (IN semantics: NULL when there is no match but the
 * probe key is NULL or the build side had a NULL key and was not empty).
 * SINGLE (scalar subquery) emits each probe row once with its match or
 * NULLs, and fails with SQLSTATE 21000 on a second match. RIGHT_SEMI /
 * RIGHT_ANTI (plan.h; opt_build_side.c) output the build rows: the probe
 * only marks the build rows it matches (after the residual), and the source
 * side emits the marked / unmarked ones (RIGHT_ANTI keeps NULL-key rows,
 * which never match).
 *
 * Speed: rows share a key's slot for a right column that is that key; keys
 * mixing integers and strings hash the integers only (finalize rehashes on
 * all keys if that leaves long chains); one integer key walks its chains in
 * a single pass per round (probe_round_int); the residual gathers only the
 * columns it reads.
 */
#include <stdatomic.h>
#include <string.h>

#include "../../func/func.h"
#include "../hashtable.h"
#include "hash_util.h"

typedef struct hj_cfg {
    plan_join_type type;
    uint32_t key_count;
    uint32_t hash_keys;          /* keys hashed: all, or the leading integer keys */
    ja_exprs lkeys, rkeys;
    bool *null_equal;
    uint32_t left_count, right_count;
    bool payload;                /* right columns stored in rows */
    uint32_t *payload_col;       /* layout column of right column c */
    uint32_t row_cols;           /* layout columns (keys, then stored right columns) */
    bool keep_null_keys;         /* RIGHT/FULL/RIGHT_ANTI */
    bool right_side;             /* RIGHT_SEMI/RIGHT_ANTI: output build rows */
    ex_expr *residual;           /* over left + right columns, or NULL */
    bool *residual_cols;         /* pair columns the residual reads */
    ex_ht_layout layout;
    fl_type *pair_types;
    uint32_t range_width;        /* 4 or 8: first key is an integer kept as min/max */
    bool int_key;                /* that integer is the only key (probe_round_int) */
} hj_cfg;

typedef struct hj_global {
    ja_arenas arenas;
    pthread_mutex_t mu;
    ex_rows **stores;
    uint32_t store_count, store_cap;
    bool has_null_key;
    ex_join_ht jt;
    ex_row_block **blocks;       /* RIGHT/FULL: every block, for the source */
    size_t block_count;
    int64_t min, max;            /* first key's range over linked build rows */
    bool has_range;
    uint32_t hash_keys;          /* keys the table is hashed on (cfg's, or all) */
} hj_global;

typedef struct hj_build_local {
    fl_arena *arena, *scratch;
    ja_exprs_state kst;
    ex_rows rows;
    ex_vector *cols;             /* keys then right columns */
    uint64_t *hashes;
    uint32_t *sel;
    bool has_null_key;
    int64_t min, max;
    bool has_range;
} hj_build_local;

typedef struct hj_probe_local {
    fl_arena *scratch;
    ja_exprs_state kst;
    ex_expr_state *rst;
    ex_vector *keys;
    ex_chunk pair;
    int phase;                   /* 0 new input, 1 matching, 2 final emission */
    size_t nactive;
    uint64_t hashes[EX_CHUNK_ROWS];
    int64_t kvals[EX_CHUNK_ROWS];        /* the single integer key (fast path) */
    uint8_t *ptrs[EX_CHUNK_ROWS];
    uint32_t active[EX_CHUNK_ROWS];
    uint32_t match[EX_CHUNK_ROWS];
    uint32_t mprobe[EX_CHUNK_ROWS];
    uint8_t *mrows[EX_CHUNK_ROWS];
    uint32_t psel[EX_CHUNK_ROWS];
    bool found[EX_CHUNK_ROWS];
    bool key_null[EX_CHUNK_ROWS];
    uint8_t *single_row[EX_CHUNK_ROWS];
} hj_probe_local;

/* ---------------------------------------------------------------- build */

static void global_free(void *arg)
{
    hj_global *g = arg;
    pthread_mutex_destroy(&g->mu);
}

static int hj_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    hj_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    FL_TRY(ja_arenas_init(&g->arenas, ctx->arena, err));
    pthread_mutex_init(&g->mu, NULL);
    if (fl_arena_on_reset(ctx->arena, global_free, g) < 0) {
        pthread_mutex_destroy(&g->mu);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    }
    *gstate = g;
    return 0;
}

static int hj_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                         void **lstate, fl_error *err)
{
    (void)ctx;
    (void)thread_arena;
    const hj_cfg *cfg = op->data;
    hj_global *g = gstate;
    fl_arena *a;
    FL_TRY(ja_arenas_new(&g->arenas, &a, err));
    hj_build_local *bl = fl_arena_calloc(a, sizeof *bl);
    if (!bl) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    bl->arena = a;
    bl->scratch = fl_arena_new_child(a, 0);
    bl->cols = fl_arena_calloc(a, (cfg->layout.col_count + 1) * sizeof *bl->cols);
    bl->hashes = fl_arena_alloc(a, EX_CHUNK_ROWS * sizeof *bl->hashes);
    bl->sel = fl_arena_alloc(a, EX_CHUNK_ROWS * sizeof *bl->sel);
    if (!bl->scratch || !bl->cols || !bl->hashes || !bl->sel)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    FL_TRY(ja_exprs_state_init(&bl->kst, &cfg->rkeys, a, err));
    ex_rows_init(&bl->rows, &cfg->layout, a);
    *lstate = bl;
    return 0;
}

static inline int64_t int_key(const ex_vector *v, size_t i, uint32_t width)
{
    size_t r = ex_vector_row(v, i);
    return width == 4 ? ((const int32_t *)v->col->data)[r] : ((const int64_t *)v->col->data)[r];
}

/* Min/max of the first key over the build rows kept (bloom-like filter for
 * the probe: keys outside the range skip the bucket lookup). */
static void track_range(const hj_cfg *cfg, hj_build_local *bl, const uint32_t *sel, size_t m)
{
    if (!cfg->range_width || !m) return;
    const ex_vector *k = &bl->cols[0];
    for (size_t j = 0; j < m; j++) {
        size_t i = sel ? sel[j] : j;
        if (!ex_vector_is_valid(k, i)) continue;
        int64_t v = int_key(k, i, cfg->range_width);
        if (!bl->has_range || v < bl->min) bl->min = v;
        if (!bl->has_range || v > bl->max) bl->max = v;
        bl->has_range = true;
    }
}

static bool key_is_null(const hj_cfg *cfg, const ex_vector *keys, size_t i)
{
    for (uint32_t k = 0; k < cfg->key_count; k++)
        if (!cfg->null_equal[k] && !ex_vector_is_valid(&keys[k], i)) return true;
    return false;
}

static int hj_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                   fl_error *err)
{
    (void)ctx;
    (void)gstate;
    const hj_cfg *cfg = op->data;
    hj_build_local *bl = lstate;
    size_t n = in->count;
    if (n > EX_CHUNK_ROWS)
        return fl_error_set(err, FLOE_EINTERNAL, "hash join build chunk of %zu rows", n);
    fl_arena_reset(bl->scratch);
    FL_TRY(ja_exprs_eval(&cfg->rkeys, &bl->kst, in, bl->cols, bl->scratch, err));
    if (cfg->payload)
        for (uint32_t c = 0; c < cfg->right_count; c++)
            if (cfg->payload_col[c] >= cfg->key_count) bl->cols[cfg->payload_col[c]] = in->cols[c];
    const uint32_t *sel = NULL;
    size_t m = n;
    if (!cfg->keep_null_keys) {
        m = 0;
        for (size_t i = 0; i < n; i++) {
            if (key_is_null(cfg, bl->cols, i)) bl->has_null_key = true;
            else bl->sel[m++] = (uint32_t)i;
        }
        sel = m == n ? NULL : bl->sel;
    }
    ex_hash_vectors(bl->cols, cfg->hash_keys, n, bl->hashes);
    track_range(cfg, bl, sel, m);
    return ex_rows_append(&bl->rows, bl->cols, bl->hashes, sel, m, NULL, err);
}

static int hj_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    hj_global *g = gstate;
    hj_build_local *bl = lstate;
    int rc = 0;
    pthread_mutex_lock(&g->mu);
    if (g->store_count == g->store_cap) {
        uint32_t cap = g->store_cap ? g->store_cap * 2 : 8;
        ex_rows **s = fl_arena_realloc(bl->arena, g->stores, g->store_cap * sizeof *s,
                                       cap * sizeof *s);
        if (!s) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
        else {
            g->stores = s;
            g->store_cap = cap;
        }
    }
    if (rc == 0) {
        g->stores[g->store_count++] = &bl->rows;
        g->has_null_key |= bl->has_null_key;
        if (bl->has_range) {
            if (!g->has_range || bl->min < g->min) g->min = bl->min;
            if (!g->has_range || bl->max > g->max) g->max = bl->max;
            g->has_range = true;
        }
    }
    pthread_mutex_unlock(&g->mu);
    return rc;
}

static int hj_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    const hj_cfg *cfg = op->data;
    hj_global *g = gstate;
    fl_pool *pool = ctx->threads > 1 ? ctx->pool : NULL;
    FL_TRY(ex_join_ht_build(&g->jt, &cfg->layout, g->stores, g->store_count, ctx->arena, pool,
                            err));
    g->hash_keys = cfg->hash_keys;
    if (cfg->hash_keys < cfg->key_count && g->jt.row_count >= 64 &&
        ex_join_ht_chain_count(&g->jt) * 4 < g->jt.row_count) {
        /* the integer keys alone repeat too much (long chains): hash all */
        ex_rows_rehash(g->stores, g->store_count, cfg->key_count);
        FL_TRY(ex_join_ht_build(&g->jt, &cfg->layout, g->stores, g->store_count, ctx->arena,
                                pool, err));
        g->hash_keys = cfg->key_count;
    }
    g->jt.has_null_key |= g->has_null_key;
    if (cfg->keep_null_keys || cfg->right_side) {
        size_t nb = 0;
        for (uint32_t i = 0; i < g->store_count; i++)
            for (ex_row_block *b = g->stores[i]->head; b; b = b->next) nb++;
        g->blocks = fl_arena_alloc(ctx->arena, (nb + 1) * sizeof *g->blocks);
        if (!g->blocks) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
        for (uint32_t i = 0; i < g->store_count; i++)
            for (ex_row_block *b = g->stores[i]->head; b; b = b->next) g->blocks[g->block_count++] = b;
    }
    return 0;
}

/* ---------------------------------------------------------------- probe */

static int hj_op_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                       void **lstate, fl_error *err)
{
    (void)ctx;
    (void)gstate;
    const hj_cfg *cfg = op->data;
    hj_probe_local *pl = fl_arena_calloc(thread_arena, sizeof *pl);
    if (!pl) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    pl->scratch = fl_arena_new_child(thread_arena, 0);
    pl->keys = fl_arena_calloc(thread_arena, (cfg->key_count + 1) * sizeof *pl->keys);
    if (!pl->scratch || !pl->keys) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    FL_TRY(ja_exprs_state_init(&pl->kst, &cfg->lkeys, thread_arena, err));
    if (cfg->residual) {
        FL_TRY(ex_expr_state_new(&pl->rst, cfg->residual, thread_arena, err));
        FL_TRY(ja_chunk_new(&pl->pair, thread_arena, cfg->pair_types,
                            cfg->left_count + cfg->right_count, err));
    }
    *lstate = pl;
    return 0;
}

/* key_null[i]: a key compared with SQL '=' is NULL in row i (no match). */
static void fill_key_null(const hj_cfg *cfg, const ex_vector *keys, size_t n, bool *key_null)
{
    memset(key_null, 0, n * sizeof *key_null);
    for (uint32_t k = 0; k < cfg->key_count; k++) {
        const uint8_t *b = keys[k].col->validity;
        if (cfg->null_equal[k] || !b) continue;
        if (keys[k].kind == EX_VECTOR_CONST) {
            if (!fl_bit_get(b, 0)) memset(key_null, 1, n * sizeof *key_null);
            continue;
        }
        for (size_t i = 0; i < n; i++) key_null[i] |= !fl_bit_get(b, i);
    }
}

/* probe_start when the first key is a flat integer vector (NULLs in it
 * never match) and the build side has a key range: one tight pass keeps
 * the rows inside the range (often few: a filtered dimension) whose keys
 * are not NULL, and only they are hashed and look up (and prefetch) their
 * buckets; key_null is filled. */
static int probe_start_ranged(const hj_cfg *cfg, const hj_global *g, hj_probe_local *pl,
                              size_t n)
{
    memset(pl->found, 0, n * sizeof *pl->found);
    memset(pl->single_row, 0, n * sizeof *pl->single_row);
    int64_t lo = g->min, hi = g->max;
    bool want_kvals = cfg->int_key;
    uint32_t *cand = pl->active;
    size_t nc = 0;
    if (cfg->range_width == 4) {
        const int32_t *d = (const int32_t *)pl->keys[0].col->data;
        for (size_t i = 0; i < n; i++) {
            int64_t v = d[i];
            cand[nc] = (uint32_t)i;
            nc += (v >= lo) & (v <= hi) & !pl->key_null[i];
        }
    } else {
        const int64_t *d = (const int64_t *)pl->keys[0].col->data;
        for (size_t i = 0; i < n; i++) {
            int64_t v = d[i];
            cand[nc] = (uint32_t)i;
            nc += (v >= lo) & (v <= hi) & !pl->key_null[i];
        }
    }
    /* through the selection when the pass dropped rows enough to pay for
     * its gather and scatter (~1.5x a flat hash per row), else all rows */
    if (nc * 3 < n * 2) ex_hash_vectors_sel(pl->keys, g->hash_keys, cand, nc, pl->hashes);
    else ex_hash_vectors(pl->keys, g->hash_keys, n, pl->hashes);
    for (size_t j = 0; j < nc; j++)
        __builtin_prefetch(&g->jt.buckets[pl->hashes[cand[j]] & g->jt.mask]);
    size_t na = 0;
    for (size_t j = 0; j < nc; j++) {
        uint32_t i = cand[j];
        if (want_kvals) pl->kvals[i] = int_key(&pl->keys[0], i, cfg->range_width);
        uint8_t *head = ex_join_ht_head(&g->jt, pl->hashes[i]);
        pl->ptrs[i] = head;
        pl->active[na] = i;   /* na <= j: compacting cand in place */
        na += head != NULL;
    }
    pl->nactive = na;
    for (size_t k = 0; k < na; k++) __builtin_prefetch(pl->ptrs[pl->active[k]]);
    return 0;
}

/* Starts probing chunk in: keys, hashes, chain heads. The range pass (when
 * it applies) runs before hashing, so rows it drops are never hashed. */
static int probe_start(const hj_cfg *cfg, const hj_global *g, hj_probe_local *pl,
                       const ex_chunk *in, fl_error *err)
{
    size_t n = in->count;
    if (n > EX_CHUNK_ROWS)
        return fl_error_set(err, FLOE_EINTERNAL, "hash join probe chunk of %zu rows", n);
    fl_arena_reset(pl->scratch);
    FL_TRY(ja_exprs_eval(&cfg->lkeys, &pl->kst, in, pl->keys, pl->scratch, err));
    pl->nactive = 0;
    bool any_null_key = false;
    for (uint32_t k = 0; k < cfg->key_count; k++)
        any_null_key |= !cfg->null_equal[k] && pl->keys[k].col->validity != NULL;
    /* RIGHT/FULL keep NULL-key rows unlinked, so the range covers only
     * linkable values; a probe key outside it has no match */
    bool ranged = cfg->range_width && g->has_range;
    if (any_null_key) fill_key_null(cfg, pl->keys, n, pl->key_null);
    else memset(pl->key_null, 0, n * sizeof *pl->key_null);
    if (ranged && pl->keys[0].kind == EX_VECTOR_FLAT &&
        (!pl->keys[0].col->validity || !cfg->null_equal[0]))
        return probe_start_ranged(cfg, g, pl, n);
    ex_hash_vectors(pl->keys, g->hash_keys, n, pl->hashes);
    /* bucket heads and then the rows are random accesses: prefetch a batch
     * ahead so their cache misses overlap */
    for (size_t i = 0; i < n; i++) __builtin_prefetch(&g->jt.buckets[pl->hashes[i] & g->jt.mask]);
    for (size_t i = 0; i < n; i++) {
        pl->found[i] = false;
        pl->single_row[i] = NULL;
        if (ranged && !pl->key_null[i] && ex_vector_is_valid(&pl->keys[0], i)) {
            int64_t v = int_key(&pl->keys[0], i, cfg->range_width);
            if (v < g->min || v > g->max) continue;
        }
        if (cfg->int_key && !pl->key_null[i])
            pl->kvals[i] = int_key(&pl->keys[0], i, cfg->range_width);
        uint8_t *head = ex_join_ht_head(&g->jt, pl->hashes[i]);
        pl->ptrs[i] = head;
        pl->active[pl->nactive] = (uint32_t)i;
        pl->nactive += head && !pl->key_null[i];
    }
    for (size_t k = 0; k < pl->nactive; k++) __builtin_prefetch(pl->ptrs[pl->active[k]]);
    return 0;
}

/* One round: the pairs (mprobe, mrows) whose keys match at the current chain
 * position of each active probe row; then every chain advances one step. */
static inline int64_t row_int_key(const uint8_t *row, uint32_t off, uint32_t width)
{
    if (width == 4) {
        int32_t v;
        memcpy(&v, row + off, 4);
        return v;
    }
    int64_t v;
    memcpy(&v, row + off, 8);
    return v;
}

/* probe_round for one integer key under SQL '=': the chain walk compares
 * hash and key at once (linked rows never hold a NULL key, active probe
 * rows neither), so a round is a single pass. */
static size_t probe_round_int(const hj_cfg *cfg, hj_probe_local *pl)
{
    uint32_t off = cfg->layout.offsets[0], width = cfg->range_width;
    size_t m = 0, left = 0;
    for (size_t k = 0; k < pl->nactive; k++) {
        uint32_t r = pl->active[k];
        uint8_t *p = pl->ptrs[r];
        uint64_t h = pl->hashes[r];
        int64_t key = pl->kvals[r];
        while (p && (ex_ht_row_hash(p) != h || row_int_key(p, off, width) != key))
            p = ex_ht_row_next(p);
        if (!p) continue;
        pl->mprobe[m] = r;
        pl->mrows[m++] = p;
        uint8_t *next = ex_ht_row_next(p);
        pl->ptrs[r] = next;
        if (next) {
            __builtin_prefetch(next);
            pl->active[left++] = r;
        }
    }
    pl->nactive = left;
    return m;
}

static size_t probe_round(const hj_cfg *cfg, hj_probe_local *pl)
{
    if (cfg->int_key) return probe_round_int(cfg, pl);
    size_t n = 0;
    for (size_t k = 0; k < pl->nactive; k++) {
        uint32_t r = pl->active[k];
        uint8_t *p = pl->ptrs[r];
        while (p && ex_ht_row_hash(p) != pl->hashes[r]) p = ex_ht_row_next(p);
        pl->ptrs[r] = p;
        if (p) pl->active[n++] = r;
    }
    pl->nactive = n;
    size_t m = ex_ht_match_keys(&cfg->layout, pl->keys, pl->ptrs, pl->active, n, pl->match, NULL,
                                NULL);
    for (size_t k = 0; k < m; k++) {
        pl->mprobe[k] = pl->match[k];
        pl->mrows[k] = pl->ptrs[pl->match[k]];
    }
    size_t left = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t r = pl->active[k];
        uint8_t *next = ex_ht_row_next(pl->ptrs[r]);
        pl->ptrs[r] = next;
        if (next) {
            /* the next round's rows: their misses overlap this round's
             * gathers and residual */
            __builtin_prefetch(next);
            pl->active[left++] = r;
        }
    }
    pl->nactive = left;
    return m;
}

/* Writes pairs [0, m) into out: left columns from in, right from the rows
 * (only the columns with only[c] set when only is not NULL). */
static int emit_pairs(const hj_cfg *cfg, const ex_chunk *in, const uint32_t *probe,
                      uint8_t *const *rows, size_t m, ex_chunk *out, const bool *only,
                      fl_error *err)
{
    for (uint32_t c = 0; c < cfg->left_count; c++)
        if (!only || only[c]) FL_TRY(ja_gather(out->cols[c].col, 0, &in->cols[c], probe, m, err));
    for (uint32_t c = 0; c < cfg->right_count; c++)
        if (!only || only[cfg->left_count + c])
            FL_TRY(ex_rows_gather(out->cols[cfg->left_count + c].col, 0, rows, m, &cfg->layout,
                              cfg->payload_col[c], err));
    ja_chunk_finish(out, m);
    return 0;
}

/* Keeps the pairs for which the residual is true. */
static int filter_pairs(const hj_cfg *cfg, hj_probe_local *pl, const ex_chunk *in, size_t *m,
                        fl_error *err)
{
    if (!cfg->residual || *m == 0) return 0;
    FL_TRY(emit_pairs(cfg, in, pl->mprobe, pl->mrows, *m, &pl->pair, cfg->residual_cols, err));
    size_t ns = 0;
    FL_TRY(ex_expr_select(pl->rst, &pl->pair, pl->psel, &ns, pl->scratch, err));
    for (size_t k = 0; k < ns; k++) {
        pl->mprobe[k] = pl->mprobe[pl->psel[k]];
        pl->mrows[k] = pl->mrows[pl->psel[k]];
    }
    *m = ns;
    return 0;
}

static void mark_build_rows(const hj_cfg *cfg, uint8_t *const *rows, size_t m)
{
    uint32_t off = cfg->layout.flag_offset;
    for (size_t k = 0; k < m; k++)
        if (!__atomic_load_n(rows[k] + off, __ATOMIC_RELAXED))
            __atomic_store_n(rows[k] + off, (uint8_t)1, __ATOMIC_RELAXED);
}

/* The per-probe-row output after all rounds (LEFT/FULL unmatched, SEMI,
 * ANTI, MARK, SINGLE). */
static int emit_final(const hj_cfg *cfg, const hj_global *g, hj_probe_local *pl,
                      const ex_chunk *in, ex_chunk *out, fl_error *err)
{
    size_t n = in->count, m = 0;
    plan_join_type t = cfg->type;
    if (t == PLAN_JOIN_MARK || t == PLAN_JOIN_SINGLE) {
        for (uint32_t c = 0; c < cfg->left_count; c++)
            FL_TRY(ja_gather(out->cols[c].col, 0, &in->cols[c], NULL, n, err));
        if (t == PLAN_JOIN_MARK) {
            fl_column *mc = out->cols[cfg->left_count].col;
            bool build_nonempty = g->jt.row_count > 0 || g->jt.has_null_key;
            for (size_t i = 0; i < n; i++) {
                bool is_null = !pl->found[i] && build_nonempty &&
                               (pl->key_null[i] || g->jt.has_null_key);
                ((uint8_t *)mc->data)[i] = pl->found[i];
                if (is_null) FL_TRY(ja_set_null(mc, i, 1, err));
                else if (mc->validity) fl_bit_set(mc->validity, i);
            }
        } else {
            for (uint32_t c = 0; c < cfg->right_count; c++) {
                fl_column *dst = out->cols[cfg->left_count + c].col;
                for (size_t i = 0; i < n; i++) {
                    if (pl->single_row[i])
                        FL_TRY(ex_rows_gather(dst, i, &pl->single_row[i], 1, &cfg->layout,
                                              cfg->payload_col[c], err));
                    else
                        FL_TRY(ja_set_null(dst, i, 1, err));
                }
            }
        }
        ja_chunk_finish(out, n);
        return 0;
    }
    bool want = t == PLAN_JOIN_SEMI;
    for (size_t i = 0; i < n; i++)
        if (pl->found[i] == want) pl->psel[m++] = (uint32_t)i;
    for (uint32_t c = 0; c < cfg->left_count; c++)
        FL_TRY(ja_gather(out->cols[c].col, 0, &in->cols[c], pl->psel, m, err));
    if (t == PLAN_JOIN_LEFT || t == PLAN_JOIN_FULL)
        for (uint32_t c = 0; c < cfg->right_count; c++)
            FL_TRY(ja_set_null(out->cols[cfg->left_count + c].col, 0, m, err));
    ja_chunk_finish(out, m);
    return 0;
}

static int single_error(fl_error *err)
{
    return fl_error_set_sqlstate(err, FLOE_EINVAL, "21000",
                                 "more than one row returned by a subquery used as an expression");
}

static int hj_execute(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                      ex_chunk *out, ex_op_result *res, fl_error *err)
{
    (void)ctx;
    (void)gstate;
    const hj_cfg *cfg = op->data;
    const hj_global *g = op->sink_state;
    hj_probe_local *pl = lstate;
    plan_join_type t = cfg->type;
    bool pairs_out = t == PLAN_JOIN_INNER || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_RIGHT ||
                     t == PLAN_JOIN_FULL;
    if (pl->phase == 0) {
        FL_TRY(probe_start(cfg, g, pl, in, err));
        pl->phase = 1;
    }
    while (pl->phase == 1 && pl->nactive) {
        size_t m = probe_round(cfg, pl);
        if (cfg->right_side && !cfg->residual) {
            mark_build_rows(cfg, pl->mrows, m);
            continue;
        }
        FL_TRY(filter_pairs(cfg, pl, in, &m, err));
        if (cfg->right_side) {
            mark_build_rows(cfg, pl->mrows, m);
            continue;
        }
        if (pairs_out) {
            for (size_t k = 0; k < m; k++) pl->found[pl->mprobe[k]] = true;
            if (t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_FULL) mark_build_rows(cfg, pl->mrows, m);
            if (m == 0) continue;
            FL_TRY(emit_pairs(cfg, in, pl->mprobe, pl->mrows, m, out, NULL, err));
            bool more = pl->nactive || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_FULL;
            if (!more) pl->phase = 0;
            else if (!pl->nactive) pl->phase = 2;
            *res = more ? EX_HAVE_MORE_OUTPUT : EX_NEED_MORE_INPUT;
            return 0;
        }
        for (size_t k = 0; k < m; k++) {
            uint32_t r = pl->mprobe[k];
            if (t == PLAN_JOIN_SINGLE) {
                if (pl->found[r]) return single_error(err);
                pl->single_row[r] = pl->mrows[k];
            }
            pl->found[r] = true;
        }
        if (t != PLAN_JOIN_SINGLE && m) {
            /* a row with a match needs no further chain steps */
            size_t left = 0;
            for (size_t k = 0; k < pl->nactive; k++)
                if (!pl->found[pl->active[k]]) pl->active[left++] = pl->active[k];
            pl->nactive = left;
        }
    }
    pl->phase = 0;
    if (t == PLAN_JOIN_INNER || t == PLAN_JOIN_RIGHT || cfg->right_side) {
        out->count = 0;
        *res = EX_NEED_MORE_INPUT;
        return 0;
    }
    FL_TRY(emit_final(cfg, g, pl, in, out, err));
    *res = EX_NEED_MORE_INPUT;
    return 0;
}

/* ---------------------------------------------------------------- source: unmatched build rows */

typedef struct hj_source {
    atomic_size_t next;
} hj_source;

typedef struct hj_source_local {
    size_t block;                /* current block + 1, 0 = none */
    uint32_t offset;
    uint8_t *rows[EX_CHUNK_ROWS];
} hj_src_local;

static int hj_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    hj_source *s = fl_arena_calloc(ctx->arena, sizeof *s);
    if (!s) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    atomic_init(&s->next, 0);
    *gstate = s;
    return 0;
}

static int hj_source_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                           void **lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)gstate;
    hj_src_local *sl = fl_arena_calloc(thread_arena, sizeof *sl);
    if (!sl) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    *lstate = sl;
    return 0;
}

static int hj_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                       ex_source_result *res, fl_error *err)
{
    (void)ctx;
    const hj_cfg *cfg = op->data;
    const hj_global *g = op->sink_state;
    hj_source *s = gstate;
    hj_src_local *sl = lstate;
    const ex_ht_layout *l = &cfg->layout;
    /* RIGHT/FULL/RIGHT_ANTI: the rows never matched; RIGHT_SEMI: the others */
    uint8_t want = cfg->type == PLAN_JOIN_RIGHT_SEMI;
    size_t m = 0;
    while (m < EX_CHUNK_ROWS) {
        if (!sl->block) {
            size_t idx = atomic_fetch_add(&s->next, 1);
            if (idx >= g->block_count) break;
            sl->block = idx + 1;
            sl->offset = 0;
        }
        const ex_row_block *b = g->blocks[sl->block - 1];
        while (sl->offset < b->count && m < EX_CHUNK_ROWS) {
            uint8_t *row = b->data + (size_t)sl->offset++ * l->row_width;
            if ((__atomic_load_n(row + l->flag_offset, __ATOMIC_RELAXED) != 0) == want)
                sl->rows[m++] = row;
        }
        if (sl->offset >= b->count) sl->block = 0;
    }
    uint32_t base = cfg->right_side ? 0 : cfg->left_count;
    if (!cfg->right_side)
        for (uint32_t c = 0; c < cfg->left_count; c++)
            FL_TRY(ja_set_null(out->cols[c].col, 0, m, err));
    for (uint32_t c = 0; c < cfg->right_count; c++)
        FL_TRY(ex_rows_gather(out->cols[base + c].col, 0, sl->rows, m, l,
                              cfg->payload_col[c], err));
    ja_chunk_finish(out, m);
    *res = m == EX_CHUNK_ROWS ? EX_SOURCE_HAVE_MORE : EX_SOURCE_DONE;
    return 0;
}

static int hj_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    static const char *names[] = {"INNER", "LEFT", "RIGHT", "FULL",   "SEMI",
                                  "ANTI",  "MARK", "SINGLE", "RIGHT_SEMI", "RIGHT_ANTI"};
    const hj_cfg *cfg = op->data;
    const plan_node *node = op->node;
    if (fl_buf_appendf(out, " %s", names[cfg->type]) < 0) goto oom;
    for (uint32_t i = 0; i < node->u.join.cond_count; i++) {
        const plan_join_cond *c = &node->u.join.conds[i];
        static const char *ops[] = {"=", "<>", "<", "<=", ">", ">=", "IS NOT DISTINCT FROM"};
        if (fl_buf_append_str(out, i ? " AND " : " ") < 0) goto oom;
        FL_TRY(plan_expr_to_string(out, c->left, err));
        if (fl_buf_appendf(out, " %s ", ops[c->cmp]) < 0) goto oom;
        FL_TRY(plan_expr_to_string(out, c->right, err));
    }
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory for EXPLAIN");
}

static const ex_op_vtable hj_vtable = {
    .name = "HASH_JOIN",
    .op_local = hj_op_local,
    .execute = hj_execute,
    .sink_global = hj_sink_global,
    .sink_local = hj_sink_local,
    .sink = hj_sink,
    .combine = hj_combine,
    .finalize = hj_finalize,
    .explain = hj_explain,
};

/* RIGHT/FULL: also a source of the build rows that never matched. */
static const ex_op_vtable hj_outer_vtable = {
    .name = "HASH_JOIN",
    .source_global = hj_source_global,
    .source_local = hj_source_local,
    .get_data = hj_get_data,
    .op_local = hj_op_local,
    .execute = hj_execute,
    .sink_global = hj_sink_global,
    .sink_local = hj_sink_local,
    .sink = hj_sink,
    .combine = hj_combine,
    .finalize = hj_finalize,
    .explain = hj_explain,
};

/* ---------------------------------------------------------------- construction */

/* left <op> right for a non-equality condition, bound through func. */
static int cond_expr(plan_expr **out, const plan_join_cond *c, fl_arena *a, fl_error *err)
{
    static const char *names[] = {"=", "<>", "<", "<=", ">", ">="};
    if (c->cmp == PLAN_CMP_NOT_DISTINCT)
        return fl_error_set(err, FLOE_EINTERNAL, "IS NOT DISTINCT FROM is a hash key, not a filter");
    fl_type types[2] = {c->left->type, c->right->type};
    const fn_scalar_bound *fn;
    FL_TRY(fn_scalar_bind(&fn, names[c->cmp], types, 2, a, err));
    plan_expr *e = plan_expr_new(a, PLAN_EX_FUNC, fn->ret, 2);
    if (!e) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join condition");
    e->name = names[c->cmp];
    e->u.fn = fn;
    e->args[0] = c->left;
    e->args[1] = c->right;
    *out = e;
    return 0;
}

static bool is_key_cond(const plan_join_cond *c)
{
    return (c->cmp == PLAN_CMP_EQ || c->cmp == PLAN_CMP_NOT_DISTINCT) &&
           !fl_type_is_nested(c->left->type);
}

/* Marks in used[] the columns of all[0..n) that e reads; false when e reads
 * something it cannot place (then every column is gathered). */
static bool mark_used(const plan_expr *e, const plan_binding *all, uint32_t n, bool *used)
{
    if (!e) return true;
    if (e->kind == PLAN_EX_COLREF) {
        for (uint32_t i = 0; i < n; i++)
            if (all[i].table == e->u.binding.table && all[i].column == e->u.binding.column) {
                used[i] = true;
                return true;
            }
        return false;
    }
    if (e->kind == PLAN_EX_AGG || e->kind == PLAN_EX_WINDOW) return false;
    for (uint32_t i = 0; i < e->arg_count; i++)
        if (!mark_used(e->args[i], all, n, used)) return false;
    return true;
}

/* The residual: non-key conditions AND the node's residual, compiled over
 * the left outputs followed by the right outputs. */
static int build_residual(hj_cfg *cfg, const plan_node *node, const plan_binding *lb,
                          uint32_t ln, const plan_binding *rb, uint32_t rn, fl_arena *a,
                          fl_error *err)
{
    uint32_t nc = node->u.join.cond_count, n = 0;
    plan_expr **terms = fl_arena_calloc(a, (nc + 2) * sizeof *terms);
    if (!terms) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join condition");
    for (uint32_t i = 0; i < nc; i++)
        if (!is_key_cond(&node->u.join.conds[i]))
            FL_TRY(cond_expr(&terms[n++], &node->u.join.conds[i], a, err));
    if (node->u.join.residual) terms[n++] = node->u.join.residual;
    if (!n) return 0;
    plan_expr *e = terms[0];
    if (n > 1) {
        e = plan_expr_new(a, PLAN_EX_AND, fl_type_make(FL_TYPE_BOOL), n);
        if (!e) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join condition");
        for (uint32_t i = 0; i < n; i++) e->args[i] = terms[i];
    }
    plan_binding *all = fl_arena_alloc(a, (ln + rn + 1) * sizeof *all);
    if (!all) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join condition");
    memcpy(all, lb, ln * sizeof *all);
    memcpy(all + ln, rb, rn * sizeof *all);
    cfg->residual_cols = fl_arena_calloc(a, (ln + rn + 1) * sizeof *cfg->residual_cols);
    if (!cfg->residual_cols) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a join condition");
    if (!mark_used(e, all, ln + rn, cfg->residual_cols)) cfg->residual_cols = NULL;
    return ex_expr_compile(&cfg->residual, e, all, ln + rn, a, err);
}

static bool integer_key(fl_type t)
{
    return t.id == FL_TYPE_INT32 || t.id == FL_TYPE_INT64 || t.id == FL_TYPE_DATE ||
           (t.id == FL_TYPE_DECIMAL && !fl_decimal_is_wide(t));
}

/* The key conditions, integer keys first: when the keys mix integers with
 * other types (strings), only the integer keys are hashed and the others
 * are compared as match keys (cheaper than hashing strings; finalize falls
 * back to hashing all keys if the integers alone make long chains). */
static int build_keys(hj_cfg *cfg, const plan_node *node, const plan_binding *lb, uint32_t ln,
                      const plan_binding *rb, uint32_t rn, fl_arena *a, fl_error *err)
{
    uint32_t nc = node->u.join.cond_count;
    plan_expr **le = fl_arena_calloc(a, (nc + 1) * sizeof *le);
    plan_expr **re = fl_arena_calloc(a, (nc + 1) * sizeof *re);
    cfg->null_equal = fl_arena_calloc(a, (nc + 1) * sizeof *cfg->null_equal);
    if (!le || !re || !cfg->null_equal)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for join keys");
    uint32_t ints = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < nc; i++) {
            const plan_join_cond *c = &node->u.join.conds[i];
            if (!is_key_cond(c) || integer_key(c->left->type) != (pass == 0)) continue;
            if (!fl_type_eq(c->left->type, c->right->type))
                return fl_error_set(err, FLOE_EINTERNAL, "join key %u compares different types", i);
            cfg->null_equal[cfg->key_count] = c->cmp == PLAN_CMP_NOT_DISTINCT;
            le[cfg->key_count] = c->left;
            re[cfg->key_count++] = c->right;
        }
        if (pass == 0) ints = cfg->key_count;
    }
    cfg->hash_keys = ints ? ints : cfg->key_count;
    FL_TRY(ja_exprs_compile(&cfg->lkeys, le, cfg->key_count, lb, ln, a, err));
    return ja_exprs_compile(&cfg->rkeys, re, cfg->key_count, rb, rn, a, err);
}

/* The row layout: the keys, then the right columns stored (a right column
 * that is also a key read straight from the input shares the key's slot,
 * except floats, whose keys are stored normalized). */
static int build_layout(hj_cfg *cfg, const ex_op *right, fl_arena *a, fl_error *err)
{
    uint32_t kc = cfg->key_count, n = kc;
    fl_type *types = fl_arena_calloc(a, (kc + cfg->right_count + 1) * sizeof *types);
    cfg->payload_col = fl_arena_calloc(a, (cfg->right_count + 1) * sizeof *cfg->payload_col);
    if (!types || !cfg->payload_col) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    for (uint32_t k = 0; k < kc; k++) types[k] = cfg->rkeys.types[k];
    for (uint32_t c = 0; c < cfg->right_count; c++) {
        uint32_t slot = UINT32_MAX;
        fl_type_id id = (fl_type_id)right->types[c].id;
        for (uint32_t k = 0; k < kc && slot == UINT32_MAX; k++)
            if (cfg->rkeys.col[k] == (int32_t)c && id != FL_TYPE_FLOAT && id != FL_TYPE_DOUBLE &&
                fl_type_eq(right->types[c], cfg->rkeys.types[k]))
                slot = k;
        if (slot == UINT32_MAX) {
            slot = n;
            types[n++] = right->types[c];
        }
        cfg->payload_col[c] = slot;
    }
    cfg->row_cols = n;
    return ex_ht_layout_init(&cfg->layout, a, types, kc, n, cfg->null_equal, 0, err);
}

int ex_hash_join_new(ex_op **out, const plan_node *node, ex_op *left, ex_op *right, ex_ctx *ctx,
                     fl_error *err)
{
    fl_arena *a = ctx->arena;
    if (node->kind != PLAN_JOIN || node->child_count != 2)
        return fl_error_set(err, FLOE_EINTERNAL, "hash join over a non-join plan node");
    hj_cfg *cfg = fl_arena_calloc(a, sizeof *cfg);
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    if (!cfg || !op) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    plan_binding *lb, *rb;
    fl_type *lt, *rt;
    uint32_t ln, rn;
    FL_TRY(ja_node_outputs(node->children[0], a, &lb, &lt, &ln, err));
    FL_TRY(ja_node_outputs(node->children[1], a, &rb, &rt, &rn, err));
    if (ln != left->col_count || rn != right->col_count)
        return fl_error_set(err, FLOE_EINTERNAL, "hash join inputs do not match their plan nodes");
    plan_join_type t = node->u.join.type;
    cfg->type = t;
    cfg->left_count = ln;
    FL_TRY(build_keys(cfg, node, lb, ln, rb, rn, a, err));
    FL_TRY(build_residual(cfg, node, lb, ln, rb, rn, a, err));
    if (cfg->key_count && !cfg->null_equal[0] && integer_key(cfg->rkeys.types[0]))
        cfg->range_width = (uint32_t)fl_type_width(cfg->rkeys.types[0]);
    cfg->int_key = cfg->key_count == 1 && cfg->range_width;
    cfg->right_side = t == PLAN_JOIN_RIGHT_SEMI || t == PLAN_JOIN_RIGHT_ANTI;
    bool right_out = t == PLAN_JOIN_INNER || t == PLAN_JOIN_LEFT || t == PLAN_JOIN_RIGHT ||
                     t == PLAN_JOIN_FULL || t == PLAN_JOIN_SINGLE;
    cfg->payload = right_out || cfg->residual || cfg->right_side;
    cfg->right_count = cfg->payload ? rn : 0;
    cfg->keep_null_keys = t == PLAN_JOIN_RIGHT || t == PLAN_JOIN_FULL || t == PLAN_JOIN_RIGHT_ANTI;
    FL_TRY(build_layout(cfg, right, a, err));
    cfg->pair_types = fl_arena_calloc(a, (ln + rn + 1) * sizeof *cfg->pair_types);
    if (!cfg->pair_types) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    memcpy(cfg->pair_types, left->types, ln * sizeof *cfg->pair_types);
    memcpy(cfg->pair_types + ln, right->types, rn * sizeof *cfg->pair_types);
    uint32_t ncols = cfg->right_side ? rn
                                     : ln + (right_out ? rn : 0) + (t == PLAN_JOIN_MARK ? 1 : 0);
    op->types = fl_arena_calloc(a, (ncols + 1) * sizeof *op->types);
    op->children = fl_arena_calloc(a, 2 * sizeof *op->children);
    if (!op->types || !op->children) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a hash join");
    if (cfg->right_side) {
        memcpy(op->types, right->types, rn * sizeof *op->types);
    } else {
        memcpy(op->types, left->types, ln * sizeof *op->types);
        if (right_out) memcpy(op->types + ln, right->types, rn * sizeof *op->types);
        if (t == PLAN_JOIN_MARK) op->types[ln] = fl_type_make(FL_TYPE_BOOL);
    }
    op->vt = cfg->keep_null_keys || cfg->right_side ? &hj_outer_vtable : &hj_vtable;
    op->children[0] = left;
    op->children[1] = right;
    op->child_count = 2;
    op->col_count = ncols;
    op->node = node;
    op->data = cfg;
    op->estimated_rows = node->estimated_rows;
    *out = op;
    return 0;
}
