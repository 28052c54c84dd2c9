/*
 * hash_agg.c: PLAN_AGGREGATE, the hash aggregate (DuckDB's
 * PhysicalHashAggregate with radix-partitioned thread-local tables).
 *
 * Sink (parallel): each thread keeps, per grouping set, its own find-or-create
 * table (hashtable.h) keyed by the set's group columns, with every
 * aggregate's state in the row's state area; a chunk is hashed once per set,
 * its groups found or created in one batch, and each aggregate's update runs
 * over the whole chunk with a state pointer per row (FILTER: rows that fail
 * the filter point at a per-thread scratch state instead). DISTINCT
 * aggregates do not update in the sink: each inserts (group keys, args) into
 * its own thread-local table, partitioned by the hash of the group keys
 * alone so that it lands in the same partition as its group.
 *
 * Finalize: thread-local tables are partitioned by hash bits (16 partitions
 * when running on more than one thread); one task per (set, partition) runs
 * on the pool, adopting the first row of each group and combining the
 * states of the others into it, then de-duplicating the DISTINCT tables the
 * same way and feeding each unique (group, args) row to its aggregate's
 * update. A set without group columns (global aggregate, the () of ROLLUP)
 * yields one row even on empty input (count 0, sum NULL).
 *
 * Source (parallel): threads take (set, partition) results one at a time and
 * emit them in chunks: the set's group columns (the others NULL), the
 * finalized aggregates, then GROUPING() values. Output order: plan.h.
 */
#include <stdatomic.h>
#include <string.h>

#include "../../func/func.h"
#include "../hashtable.h"
#include "hash_util.h"

typedef struct agg_info {
    const fn_agg_def *fn;
    uint32_t arg_first, arg_count;   /* into cfg->args */
    int32_t filter;                  /* into cfg->filters, or -1 */
    bool distinct;
    uint32_t state_off;              /* within the row's state area */
    uint32_t distinct_idx;
} agg_info;

typedef struct agg_set {
    uint32_t key_count;
    uint32_t *keys;                  /* group index of each key column */
    bool *has_group;                 /* per group */
    ex_ht_layout layout;             /* keys + states */
    ex_ht_layout *dlayout;           /* per DISTINCT aggregate: keys + its args */
} agg_set;

typedef struct hagg_cfg {
    uint32_t group_count, agg_count, grouping_count;
    ja_exprs groups, args, filters;
    agg_info *aggs;
    uint32_t distinct_count;
    uint32_t *distinct_aggs;
    agg_set *sets;
    uint32_t set_count;
    size_t state_size;
    uint32_t **grouping_groups;      /* per GROUPING(): group index of each argument */
    uint32_t *grouping_argc;
    uint32_t radix_bits;
} hagg_cfg;

/* GROUP BY one dictionary column: the group row of every entry of the
 * dictionary the rows last came with (table rows never move), so a row
 * finds its group with one load and each entry is looked up in the table
 * once per dictionary. Off for a dictionary whose rows keep bringing new
 * entries (unique strings) or with too many entries (ex_dict_pays). */
typedef struct hagg_dict_groups {
    uint64_t id;
    fl_arena *arena;                 /* map; reset per dictionary */
    uint8_t **map;                   /* per entry: its group row; NULL = not looked up */
    size_t entries, rows, looked_up;
    bool off;
} hagg_dict_groups;

typedef struct hagg_local {
    fl_arena *arena;                 /* tables, states (query lifetime) */
    fl_arena *scratch;               /* per chunk */
    ja_exprs_state gst, ast, fst;
    ex_ht *ht;                       /* per set */
    ex_ht *dht;                      /* per set x DISTINCT aggregate */
    void **dummy;                    /* per aggregate: absorbs filtered rows */
    ex_vector *gvec, *avec, *fvec, *keys;
    uint8_t **rows, **drows;
    void **states;
    uint64_t *hashes, *dhashes;
    uint32_t *created, *sel;
    hagg_dict_groups dg;
    struct hagg_local *next;
} hagg_local;

typedef struct hagg_result {
    uint32_t set;
    uint8_t **rows;
    size_t count;
} hagg_result;

typedef struct hagg_global {
    ja_arenas arenas;
    pthread_mutex_t mu;
    hagg_local *locals;
    hagg_result *results;
    size_t result_count;
} hagg_global;

typedef struct hagg_source {
    atomic_size_t next;
} hagg_source;

typedef struct hagg_source_local {
    size_t result;                   /* current result + 1, 0 = none */
    size_t offset;
    void **states;
} hagg_src_local;

/* ---------------------------------------------------------------- sink */

static void global_free(void *arg)
{
    hagg_global *g = arg;
    pthread_mutex_destroy(&g->mu);
}

static int hagg_sink_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    hagg_global *g = fl_arena_calloc(ctx->arena, sizeof *g);
    if (!g) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    FL_TRY(ja_arenas_init(&g->arenas, ctx->arena, err));
    pthread_mutex_init(&g->mu, NULL);
    if (fl_arena_on_reset(ctx->arena, global_free, g) < 0) {
        pthread_mutex_destroy(&g->mu);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    }
    *gstate = g;
    return 0;
}

#define ALLOC_N(arena, p, n) ((p) = fl_arena_calloc((arena), ((n) + 1) * sizeof *(p)))

static int hagg_sink_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                           void **lstate, fl_error *err)
{
    (void)ctx;
    (void)thread_arena;
    const hagg_cfg *cfg = op->data;
    hagg_global *g = gstate;
    fl_arena *a;
    FL_TRY(ja_arenas_new(&g->arenas, &a, err));
    hagg_local *lt = fl_arena_calloc(a, sizeof *lt);
    if (!lt) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    lt->arena = a;
    lt->scratch = fl_arena_new_child(a, 0);
    uint32_t nd = cfg->set_count * cfg->distinct_count;
    ALLOC_N(a, lt->ht, cfg->set_count);
    ALLOC_N(a, lt->dht, nd);
    ALLOC_N(a, lt->dummy, cfg->agg_count);
    ALLOC_N(a, lt->gvec, cfg->group_count);
    ALLOC_N(a, lt->avec, cfg->args.count);
    ALLOC_N(a, lt->fvec, cfg->filters.count);
    ALLOC_N(a, lt->keys, cfg->group_count + cfg->args.count);
    ALLOC_N(a, lt->rows, EX_CHUNK_ROWS);
    ALLOC_N(a, lt->drows, EX_CHUNK_ROWS);
    ALLOC_N(a, lt->states, EX_CHUNK_ROWS);
    ALLOC_N(a, lt->hashes, EX_CHUNK_ROWS);
    ALLOC_N(a, lt->dhashes, EX_CHUNK_ROWS);
    ALLOC_N(a, lt->created, EX_CHUNK_ROWS);
    ALLOC_N(a, lt->sel, EX_CHUNK_ROWS);
    if (!lt->scratch || !lt->ht || !lt->dht || !lt->dummy || !lt->gvec || !lt->avec ||
        !lt->fvec || !lt->keys || !lt->rows || !lt->drows || !lt->states || !lt->hashes ||
        !lt->dhashes || !lt->created || !lt->sel)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    FL_TRY(ja_exprs_state_init(&lt->gst, &cfg->groups, a, err));
    FL_TRY(ja_exprs_state_init(&lt->ast, &cfg->args, a, err));
    FL_TRY(ja_exprs_state_init(&lt->fst, &cfg->filters, a, err));
    for (uint32_t s = 0; s < cfg->set_count; s++) {
        FL_TRY(ex_ht_init(&lt->ht[s], &cfg->sets[s].layout, a, cfg->radix_bits, err));
        for (uint32_t d = 0; d < cfg->distinct_count; d++)
            FL_TRY(ex_ht_init(&lt->dht[s * cfg->distinct_count + d], &cfg->sets[s].dlayout[d], a,
                              cfg->radix_bits, err));
    }
    for (uint32_t i = 0; i < cfg->agg_count; i++) {
        const fn_agg_def *fn = cfg->aggs[i].fn;
        lt->dummy[i] = fl_arena_calloc(a, fn->state_size ? fn->state_size : 16);
        if (!lt->dummy[i]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
        fn->init(fn, lt->dummy[i]);
    }
    *lstate = lt;
    return 0;
}

static bool filter_true(const ex_vector *f, size_t i)
{
    size_t r = ex_vector_row(f, i);
    return fl_column_is_valid(f->col, r) && ((const uint8_t *)f->col->data)[r] != 0;
}

/* Inserts (group keys, args) of the rows passing the filter into the
 * DISTINCT table of aggregate a for set s. */
static int sink_distinct(const hagg_cfg *cfg, hagg_local *lt, uint32_t s, const agg_info *ai,
                         size_t n, fl_error *err)
{
    const agg_set *set = &cfg->sets[s];
    for (uint32_t j = 0; j < ai->arg_count; j++)
        lt->keys[set->key_count + j] = lt->avec[ai->arg_first + j];
    uint32_t nk = set->key_count + ai->arg_count;
    ex_hash_vectors(lt->keys, nk, n, lt->dhashes);
    const uint32_t *sel = NULL;
    size_t m = n;
    if (ai->filter >= 0) {
        const ex_vector *f = &lt->fvec[ai->filter];
        m = 0;
        for (size_t i = 0; i < n; i++)
            if (filter_true(f, i)) lt->sel[m++] = (uint32_t)i;
        sel = lt->sel;
    }
    ex_ht *dt = &lt->dht[s * cfg->distinct_count + ai->distinct_idx];
    return ex_ht_find_or_create(dt, lt->keys, lt->dhashes, lt->hashes, sel, m, lt->drows, NULL,
                                NULL, err);
}

/* Finds or creates the groups of rows_in[k] for the n key rows of
 * lt->keys, initializing the states of created groups. */
static int find_groups(const hagg_cfg *cfg, hagg_local *lt, uint32_t s, size_t n, uint8_t **rows,
                       fl_error *err)
{
    const agg_set *set = &cfg->sets[s];
    ex_hash_vectors(lt->keys, set->key_count, n, lt->hashes);
    size_t created = 0;
    FL_TRY(ex_ht_find_or_create(&lt->ht[s], lt->keys, lt->hashes, NULL, NULL, n, rows,
                                lt->created, &created, err));
    for (size_t k = 0; k < created; k++) {
        uint8_t *st = rows[lt->created[k]] + set->layout.state_offset;
        for (uint32_t i = 0; i < cfg->agg_count; i++)
            cfg->aggs[i].fn->init(cfg->aggs[i].fn, st + cfg->aggs[i].state_off);
    }
    return 0;
}

/* The groups of a single dictionary key (hagg_dict_groups): entries not
 * looked up yet go through the table once; *done false when the
 * dictionary is not worth it (the caller flattens and groups by rows). */
static int find_groups_dict(const hagg_cfg *cfg, hagg_local *lt, uint32_t s, size_t n,
                            bool *done, fl_error *err)
{
    const ex_vector *v = &lt->keys[0];
    hagg_dict_groups *dg = &lt->dg;
    *done = false;
    if (dg->id != v->dict_id || dg->entries != v->col->len) {
        if (!dg->arena && !(dg->arena = fl_arena_new_child(lt->arena, 0)))
            return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
        fl_arena_reset(dg->arena);
        dg->id = v->dict_id;
        dg->entries = v->col->len;
        dg->map = NULL;
        dg->rows = dg->looked_up = 0;
        dg->off = dg->entries > EX_DICT_MAX_ENTRIES;
    }
    if (dg->off) return 0;
    if (!dg->map && !(dg->map = fl_arena_calloc(dg->arena, (dg->entries ? dg->entries : 1) *
                                                               sizeof *dg->map)))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    /* entries no row has looked up yet, each once (marked in the map) */
    static uint8_t pending;
    uint32_t *todo = lt->sel;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t e = v->idx[i];
        if (e >= dg->entries) {
            for (size_t j = 0; j < k; j++) dg->map[todo[j]] = NULL;   /* not looked up */
            return fl_error_set(err, FLOE_EINTERNAL, "dictionary index %u beyond %zu entries", e,
                                dg->entries);
        }
        if (dg->map[e]) continue;
        dg->map[e] = &pending;
        todo[k++] = e;
    }
    if (k > 0) {
        ex_vector entries = {.kind = EX_VECTOR_FLAT, .col = v->col}, dict = *v;
        uint8_t **found = fl_arena_alloc(lt->scratch, k * sizeof *found);
        int rc = found ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
        if (rc == 0) rc = ex_vector_slice(&lt->keys[0], &entries, todo, k, lt->scratch, err);
        if (rc == 0) rc = find_groups(cfg, lt, s, k, found, err);
        lt->keys[0] = dict;
        if (rc < 0) {
            /* no entry may keep the pending mark: it is not a group row */
            for (size_t j = 0; j < k; j++) dg->map[todo[j]] = NULL;
            return rc;
        }
        for (size_t j = 0; j < k; j++) dg->map[todo[j]] = found[j];
        dg->looked_up += k;
    }
    for (size_t i = 0; i < n; i++) lt->rows[i] = dg->map[v->idx[i]];
    dg->rows += n;
    dg->off = !ex_dict_pays(dg->rows, dg->looked_up);
    *done = true;
    return 0;
}

static int sink_set(const hagg_cfg *cfg, hagg_local *lt, uint32_t s, size_t n, fl_error *err)
{
    const agg_set *set = &cfg->sets[s];
    const ex_ht_layout *l = &set->layout;
    for (uint32_t k = 0; k < set->key_count; k++) lt->keys[k] = lt->gvec[set->keys[k]];
    bool done = false;
    if (set->key_count == 1 && lt->keys[0].kind == EX_VECTOR_DICT)
        FL_TRY(find_groups_dict(cfg, lt, s, n, &done, err));
    if (!done) {
        FL_TRY(ja_flatten_dicts(lt->keys, set->key_count, n, lt->scratch, err));
        FL_TRY(find_groups(cfg, lt, s, n, lt->rows, err));
    }
    for (uint32_t i = 0; i < cfg->agg_count; i++) {
        const agg_info *ai = &cfg->aggs[i];
        if (ai->distinct) {
            FL_TRY(sink_distinct(cfg, lt, s, ai, n, err));
            continue;
        }
        uint32_t off = l->state_offset + ai->state_off;
        for (size_t r = 0; r < n; r++) lt->states[r] = lt->rows[r] + off;
        if (ai->filter >= 0) {
            const ex_vector *f = &lt->fvec[ai->filter];
            for (size_t r = 0; r < n; r++)
                if (!filter_true(f, r)) lt->states[r] = lt->dummy[i];
        }
        FL_TRY(ai->fn->update(ai->fn, lt->states, lt->avec + ai->arg_first, n, lt->arena, err));
    }
    return 0;
}

static int hagg_sink(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, const ex_chunk *in,
                     fl_error *err)
{
    (void)ctx;
    (void)gstate;
    const hagg_cfg *cfg = op->data;
    hagg_local *lt = lstate;
    size_t n = in->count;
    if (n > EX_CHUNK_ROWS)
        return fl_error_set(err, FLOE_EINTERNAL, "aggregate input chunk of %zu rows", n);
    fl_arena_reset(lt->scratch);
    /* the input may hold dictionary vectors (dict_sink): group keys stay
     * dictionaries when one key alone groups a set without DISTINCT
     * aggregates (find_groups_dict), everything else is flattened */
    FL_TRY(ja_exprs_eval_dict(&cfg->groups, &lt->gst, in, lt->gvec, lt->scratch, err));
    FL_TRY(ja_exprs_eval(&cfg->args, &lt->ast, in, lt->avec, lt->scratch, err));
    FL_TRY(ja_exprs_eval(&cfg->filters, &lt->fst, in, lt->fvec, lt->scratch, err));
    FL_TRY(ja_flatten_dicts(lt->avec, cfg->args.count, n, lt->scratch, err));
    FL_TRY(ja_flatten_dicts(lt->fvec, cfg->filters.count, n, lt->scratch, err));
    if (cfg->distinct_count > 0 || cfg->set_count > 1)
        FL_TRY(ja_flatten_dicts(lt->gvec, cfg->groups.count, n, lt->scratch, err));
    for (uint32_t s = 0; s < cfg->set_count; s++) FL_TRY(sink_set(cfg, lt, s, n, err));
    return 0;
}

static int hagg_combine(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)err;
    hagg_global *g = gstate;
    hagg_local *lt = lstate;
    pthread_mutex_lock(&g->mu);
    lt->next = g->locals;
    g->locals = lt;
    pthread_mutex_unlock(&g->mu);
    return 0;
}

/* ---------------------------------------------------------------- finalize */

typedef struct merge_job {
    const hagg_cfg *cfg;
    hagg_global *g;
    ja_task_error te;
} merge_job;

/* Appends row to a growable pointer list in arena. */
static int list_push(fl_arena *a, hagg_result *r, size_t *cap, uint8_t *row, fl_error *err)
{
    if (r->count == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        uint8_t **l = fl_arena_realloc(a, r->rows, *cap * sizeof *l, nc * sizeof *l);
        if (!l) return fl_error_set(err, FLOE_ENOMEM, "out of memory merging aggregate groups");
        r->rows = l;
        *cap = nc;
    }
    r->rows[r->count++] = row;
    return 0;
}

/* Merges partition p of every local table `which` (main or DISTINCT) into
 * merged; adopted rows go to out. combine: fold states of duplicates. */
static int merge_tables(const hagg_cfg *cfg, hagg_global *g, uint32_t s, int distinct_idx,
                        uint32_t p, ex_ht *merged, fl_arena *a, hagg_result *out, size_t *cap,
                        fl_error *err)
{
    uint8_t *src[EX_CHUNK_ROWS], *found[EX_CHUNK_ROWS];
    const ex_ht_layout *l = merged->layout;
    for (hagg_local *lt = g->locals; lt; lt = lt->next) {
        ex_ht *t = distinct_idx < 0 ? &lt->ht[s]
                                    : &lt->dht[s * cfg->distinct_count + (uint32_t)distinct_idx];
        for (ex_row_block *b = t->parts[p].head; b; b = b->next) {
            for (uint32_t off = 0; off < b->count; off += EX_CHUNK_ROWS) {
                uint32_t n = b->count - off < EX_CHUNK_ROWS ? b->count - off : EX_CHUNK_ROWS;
                for (uint32_t i = 0; i < n; i++) src[i] = b->data + (size_t)(off + i) * l->row_width;
                FL_TRY(ex_ht_merge_rows(merged, src, n, found, err));
                for (uint32_t i = 0; i < n; i++) {
                    if (!found[i]) {
                        FL_TRY(list_push(a, out, cap, src[i], err));
                        continue;
                    }
                    if (distinct_idx >= 0) continue;
                    for (uint32_t k = 0; k < cfg->agg_count; k++) {
                        const agg_info *ai = &cfg->aggs[k];
                        if (ai->distinct) continue;
                        uint32_t so = l->state_offset + ai->state_off;
                        FL_TRY(ai->fn->combine(ai->fn, found[i] + so, src[i] + so, a, err));
                    }
                }
            }
        }
    }
    return 0;
}

/* Feeds the unique (group, args) rows of DISTINCT aggregate d to its update. */
static int apply_distinct(const hagg_cfg *cfg, uint32_t s, uint32_t d, ex_ht *main,
                          const hagg_result *uniq, fl_arena *a, fl_error *err)
{
    const agg_set *set = &cfg->sets[s];
    const agg_info *ai = &cfg->aggs[cfg->distinct_aggs[d]];
    const ex_ht_layout *dl = &set->dlayout[d];
    uint32_t nk = dl->col_count;
    ex_vector *vecs = fl_arena_calloc(a, (nk + 1) * sizeof *vecs);
    uint64_t *h = fl_arena_alloc(a, EX_CHUNK_ROWS * sizeof *h);
    uint8_t **grp = fl_arena_alloc(a, EX_CHUNK_ROWS * sizeof *grp);
    void **states = fl_arena_alloc(a, EX_CHUNK_ROWS * sizeof *states);
    if (!vecs || !h || !grp || !states)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for a DISTINCT aggregate");
    for (uint32_t c = 0; c < nk; c++) {
        vecs[c].kind = EX_VECTOR_FLAT;
        vecs[c].col = fl_column_new(a, dl->types[c], EX_CHUNK_ROWS);
        if (!vecs[c].col) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a DISTINCT aggregate");
    }
    for (size_t off = 0; off < uniq->count; off += EX_CHUNK_ROWS) {
        size_t n = uniq->count - off < EX_CHUNK_ROWS ? uniq->count - off : EX_CHUNK_ROWS;
        for (uint32_t c = 0; c < nk; c++) {
            FL_TRY(ex_rows_gather(vecs[c].col, 0, uniq->rows + off, n, dl, c, err));
            vecs[c].col->len = n;
        }
        ex_hash_vectors(vecs, set->key_count, n, h);
        FL_TRY(ex_ht_find(main, vecs, h, NULL, n, grp, err));
        for (size_t i = 0; i < n; i++) {
            if (!grp[i]) return fl_error_set(err, FLOE_EINTERNAL, "DISTINCT aggregate row without its group");
            states[i] = grp[i] + set->layout.state_offset + ai->state_off;
        }
        FL_TRY(ai->fn->update(ai->fn, states, vecs + set->key_count, n, a, err));
    }
    return 0;
}

/* Whether partition p of set s holds no row in any thread's tables (main
 * and DISTINCT): then its task has nothing to merge. A set without groups
 * puts all its rows in one partition, small inputs leave most empty. */
static bool partition_empty(const hagg_cfg *cfg, const hagg_global *g, uint32_t s, uint32_t p)
{
    for (const hagg_local *lt = g->locals; lt; lt = lt->next) {
        if (lt->ht[s].parts[p].count) return false;
        for (uint32_t d = 0; d < cfg->distinct_count; d++)
            if (lt->dht[s * cfg->distinct_count + d].parts[p].count) return false;
    }
    return true;
}

static int merge_one(merge_job *job, size_t task, fl_error *err)
{
    const hagg_cfg *cfg = job->cfg;
    uint32_t nparts = 1u << cfg->radix_bits;
    uint32_t s = (uint32_t)(task / nparts), p = (uint32_t)(task % nparts);
    const agg_set *set = &cfg->sets[s];
    hagg_result *res = &job->g->results[task];
    res->set = s;
    if (partition_empty(cfg, job->g, s, p)) return 0;
    fl_arena *a;
    FL_TRY(ja_arenas_new(&job->g->arenas, &a, err));
    size_t cap = 0;
    ex_ht merged;
    FL_TRY(ex_ht_init(&merged, &set->layout, a, 0, err));
    FL_TRY(merge_tables(cfg, job->g, s, -1, p, &merged, a, res, &cap, err));
    for (uint32_t d = 0; d < cfg->distinct_count; d++) {
        ex_ht md;
        hagg_result uniq = {0};
        size_t ucap = 0;
        FL_TRY(ex_ht_init(&md, &set->dlayout[d], a, 0, err));
        FL_TRY(merge_tables(cfg, job->g, s, (int)d, p, &md, a, &uniq, &ucap, err));
        FL_TRY(apply_distinct(cfg, s, d, &merged, &uniq, a, err));
    }
    return 0;
}

/* A set without group columns (global aggregate, the () of ROLLUP) yields
 * one row even on empty input: init states, finalized as count 0, sum NULL. */
static int add_empty_groups(const hagg_cfg *cfg, hagg_global *g, fl_arena *a, fl_error *err)
{
    uint32_t nparts = 1u << cfg->radix_bits;
    for (uint32_t s = 0; s < cfg->set_count; s++) {
        const agg_set *set = &cfg->sets[s];
        if (set->key_count) continue;
        size_t total = 0;
        for (uint32_t p = 0; p < nparts; p++) total += g->results[(size_t)s * nparts + p].count;
        if (total) continue;
        uint8_t *row = fl_arena_calloc(a, set->layout.row_width);
        if (!row) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate row");
        for (uint32_t i = 0; i < cfg->agg_count; i++)
            cfg->aggs[i].fn->init(cfg->aggs[i].fn,
                                  row + set->layout.state_offset + cfg->aggs[i].state_off);
        size_t cap = 0;
        FL_TRY(list_push(a, &g->results[(size_t)s * nparts], &cap, row, err));
    }
    return 0;
}

static void merge_task(void *arg, size_t task, int worker)
{
    (void)worker;
    merge_job *job = arg;
    fl_error err;
    fl_error_clear(&err);
    int rc = merge_one(job, task, &err);
    if (rc < 0) ja_task_error_set(&job->te, rc, &err);
}

static int hagg_finalize(ex_op *op, ex_ctx *ctx, void *gstate, fl_error *err)
{
    const hagg_cfg *cfg = op->data;
    hagg_global *g = gstate;
    size_t tasks = (size_t)cfg->set_count << cfg->radix_bits;
    merge_job job = {.cfg = cfg, .g = g};
    g->results = fl_arena_calloc(ctx->arena, (tasks + 1) * sizeof *g->results);
    if (!g->results) return fl_error_set(err, FLOE_ENOMEM, "out of memory finalizing an aggregate");
    g->result_count = tasks;
    /* a few thousand rows merge faster on this thread than woken workers */
    size_t rows = 0;
    for (const hagg_local *lt = g->locals; lt; lt = lt->next)
        for (uint32_t s = 0; s < cfg->set_count; s++)
            for (uint32_t p = 0; p < (1u << cfg->radix_bits); p++) rows += lt->ht[s].parts[p].count;
    bool parallel = ctx->threads > 1 && (rows > 4096 || cfg->distinct_count > 0);
    ja_task_error_init(&job.te);
    fl_pool_run(parallel ? ctx->pool : NULL, tasks, merge_task, &job);
    FL_TRY(ja_task_error_take(&job.te, err));
    return add_empty_groups(cfg, g, ctx->arena, err);
}

/* ---------------------------------------------------------------- source */

static int hagg_source_global(ex_op *op, ex_ctx *ctx, void **gstate, fl_error *err)
{
    (void)op;
    hagg_source *src = fl_arena_calloc(ctx->arena, sizeof *src);
    if (!src) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    atomic_init(&src->next, 0);
    *gstate = src;
    return 0;
}

static int hagg_source_local(ex_op *op, ex_ctx *ctx, void *gstate, fl_arena *thread_arena,
                             void **lstate, fl_error *err)
{
    (void)op;
    (void)ctx;
    (void)gstate;
    hagg_src_local *sl = fl_arena_calloc(thread_arena, sizeof *sl);
    if (sl) sl->states = fl_arena_alloc(thread_arena, EX_CHUNK_ROWS * sizeof *sl->states);
    if (!sl || !sl->states) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    *lstate = sl;
    return 0;
}

static int write_grouping(fl_column *col, size_t n, int64_t v, fl_error *err)
{
    if (col->cap < n && fl_column_reserve(col, n) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for GROUPING()");
    col->validity = NULL;
    for (size_t i = 0; i < n; i++) {
        switch (fl_type_width(col->type)) {
        case 1: ((int8_t *)col->data)[i] = (int8_t)v; break;
        case 2: ((int16_t *)col->data)[i] = (int16_t)v; break;
        case 4: ((int32_t *)col->data)[i] = (int32_t)v; break;
        default: ((int64_t *)col->data)[i] = v; break;
        }
    }
    return 0;
}

static int emit_rows(const hagg_cfg *cfg, const hagg_result *res, size_t off, size_t n,
                     void **states, ex_chunk *out, fl_error *err)
{
    const agg_set *set = &cfg->sets[res->set];
    uint8_t **rows = res->rows + off;
    uint32_t col = 0;
    for (uint32_t gi = 0; gi < cfg->group_count; gi++, col++) {
        fl_column *dst = out->cols[col].col;
        if (!set->has_group[gi]) {
            FL_TRY(ja_set_null(dst, 0, n, err));
            continue;
        }
        uint32_t k = 0;
        while (set->keys[k] != gi) k++;
        FL_TRY(ex_rows_gather(dst, 0, rows, n, &set->layout, k, err));
    }
    for (uint32_t i = 0; i < cfg->agg_count; i++, col++) {
        const agg_info *ai = &cfg->aggs[i];
        fl_column *dst = out->cols[col].col;
        if (dst->cap < n && fl_column_reserve(dst, n) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory for aggregate results");
        if (dst->validity) memset(dst->validity, 0xff, (dst->cap + 7) / 8);
        dst->len = n;
        for (size_t r = 0; r < n; r++) states[r] = rows[r] + set->layout.state_offset + ai->state_off;
        FL_TRY(ai->fn->finalize(ai->fn, states, n, dst, out->arena ? out->arena : dst->arena, err));
    }
    for (uint32_t k = 0; k < cfg->grouping_count; k++, col++) {
        int64_t v = 0;
        for (uint32_t j = 0; j < cfg->grouping_argc[k]; j++)
            v = (v << 1) | (set->has_group[cfg->grouping_groups[k][j]] ? 0 : 1);
        FL_TRY(write_grouping(out->cols[col].col, n, v, err));
    }
    ja_chunk_finish(out, n);
    return 0;
}

static int hagg_get_data(ex_op *op, ex_ctx *ctx, void *gstate, void *lstate, ex_chunk *out,
                         ex_source_result *res, fl_error *err)
{
    (void)ctx;
    const hagg_cfg *cfg = op->data;
    hagg_global *g = op->sink_state;
    hagg_source *src = gstate;
    hagg_src_local *sl = lstate;
    for (;;) {
        if (!sl->result) {
            size_t idx = atomic_fetch_add(&src->next, 1);
            if (idx >= g->result_count) {
                out->count = 0;
                *res = EX_SOURCE_DONE;
                return 0;
            }
            sl->result = idx + 1;
            sl->offset = 0;
        }
        const hagg_result *r = &g->results[sl->result - 1];
        if (sl->offset >= r->count) {
            sl->result = 0;
            continue;
        }
        size_t n = r->count - sl->offset < EX_CHUNK_ROWS ? r->count - sl->offset : EX_CHUNK_ROWS;
        FL_TRY(emit_rows(cfg, r, sl->offset, n, sl->states, out, err));
        sl->offset += n;
        *res = EX_SOURCE_HAVE_MORE;
        return 0;
    }
}

/* EXPLAIN: the groups (and grouping set count) and the aggregates. */
static int hagg_explain(const ex_op *op, fl_buf *out, fl_error *err)
{
    const plan_node *node = op->node;
    if (node->kind != PLAN_AGGREGATE) return 0;
    uint32_t ng = node->u.aggregate.group_count, na = node->u.aggregate.agg_count;
    if (fl_buf_append_str(out, ng ? " groups=[" : "") < 0) goto oom;
    for (uint32_t i = 0; i < ng; i++) {
        if (i && fl_buf_append_str(out, ", ") < 0) goto oom;
        FL_TRY(plan_expr_to_string(out, node->u.aggregate.groups[i], err));
    }
    if (ng && fl_buf_append_str(out, "]") < 0) goto oom;
    if (node->u.aggregate.set_count &&
        fl_buf_appendf(out, " sets=%u", node->u.aggregate.set_count) < 0)
        goto oom;
    if (na && fl_buf_append_str(out, " aggs=[") < 0) goto oom;
    for (uint32_t i = 0; i < na; i++) {
        if (i && fl_buf_append_str(out, ", ") < 0) goto oom;
        FL_TRY(plan_expr_to_string(out, node->u.aggregate.aggs[i], err));
    }
    if (na && fl_buf_append_str(out, "]") < 0) goto oom;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory for EXPLAIN");
}

static const ex_op_vtable hagg_vtable = {
    .name = "HASH_GROUP_BY",
    .source_global = hagg_source_global,
    .source_local = hagg_source_local,
    .get_data = hagg_get_data,
    .sink_global = hagg_sink_global,
    .sink_local = hagg_sink_local,
    .sink = hagg_sink,
    .combine = hagg_combine,
    .finalize = hagg_finalize,
    .explain = hagg_explain,
    .dict_sink = true,
};

/* ---------------------------------------------------------------- construction */

/* The group index a GROUPING() argument refers to. */
static int grouping_arg(const plan_node *node, const plan_expr *arg, uint32_t *out,
                        fl_error *err)
{
    if (arg->kind == PLAN_EX_COLREF && arg->u.binding.table == node->u.aggregate.group_index &&
        arg->u.binding.column < node->u.aggregate.group_count) {
        *out = arg->u.binding.column;
        return 0;
    }
    for (uint32_t g = 0; g < node->u.aggregate.group_count; g++) {
        const plan_expr *ge = node->u.aggregate.groups[g];
        if (arg->kind == PLAN_EX_COLREF && ge->kind == PLAN_EX_COLREF &&
            plan_binding_eq(arg->u.binding, ge->u.binding)) {
            *out = g;
            return 0;
        }
    }
    return fl_error_set(err, FLOE_EUNSUPPORTED, "GROUPING() argument is not a grouping column");
}

static int build_sets(const plan_node *node, hagg_cfg *cfg, fl_arena *a, fl_error *err)
{
    uint32_t G = cfg->group_count;
    uint32_t nsets = node->u.aggregate.set_count ? node->u.aggregate.set_count : 1;
    if (node->u.aggregate.set_count && G > 64)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "grouping sets over more than 64 columns");
    cfg->set_count = nsets;
    ALLOC_N(a, cfg->sets, nsets);
    if (!cfg->sets) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    for (uint32_t s = 0; s < nsets; s++) {
        agg_set *set = &cfg->sets[s];
        ALLOC_N(a, set->keys, G);
        ALLOC_N(a, set->has_group, G);
        ALLOC_N(a, set->dlayout, cfg->distinct_count);
        fl_type *types = fl_arena_calloc(a, (G + cfg->args.count + 1) * sizeof *types);
        if (!set->keys || !set->has_group || !set->dlayout || !types)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
        for (uint32_t gi = 0; gi < G; gi++) {
            bool in = node->u.aggregate.set_count == 0 || ((node->u.aggregate.sets[s] >> gi) & 1);
            if (!in) continue;
            set->has_group[gi] = true;
            types[set->key_count] = cfg->groups.types[gi];
            set->keys[set->key_count++] = gi;
        }
        FL_TRY(ex_ht_layout_init(&set->layout, a, types, set->key_count, set->key_count, NULL,
                                 cfg->state_size, err));
        for (uint32_t d = 0; d < cfg->distinct_count; d++) {
            const agg_info *ai = &cfg->aggs[cfg->distinct_aggs[d]];
            for (uint32_t j = 0; j < ai->arg_count; j++)
                types[set->key_count + j] = cfg->args.types[ai->arg_first + j];
            uint32_t nk = set->key_count + ai->arg_count;
            FL_TRY(ex_ht_layout_init(&set->dlayout[d], a, types, nk, nk, NULL, 0, err));
        }
    }
    return 0;
}

static int collect_aggs(const plan_node *node, hagg_cfg *cfg, plan_expr ***args_out,
                        plan_expr ***filters_out, fl_arena *a, fl_error *err)
{
    uint32_t na = node->u.aggregate.agg_count, total_args = 0;
    for (uint32_t i = 0; i < na; i++) total_args += node->u.aggregate.aggs[i]->arg_count;
    plan_expr **args = fl_arena_calloc(a, (total_args + 1) * sizeof *args);
    plan_expr **filters = fl_arena_calloc(a, (na + 1) * sizeof *filters);
    ALLOC_N(a, cfg->aggs, na);
    ALLOC_N(a, cfg->distinct_aggs, na);
    if (!args || !filters || !cfg->aggs || !cfg->distinct_aggs)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    uint32_t nargs = 0, nfilters = 0;
    size_t state = 0;
    for (uint32_t i = 0; i < na; i++) {
        const plan_expr *e = node->u.aggregate.aggs[i];
        agg_info *ai = &cfg->aggs[i];
        if (e->kind != PLAN_EX_AGG || !e->u.agg.fn)
            return fl_error_set(err, FLOE_EINTERNAL, "aggregate %u is not a bound aggregate call", i);
        ai->fn = e->u.agg.fn;
        ai->arg_first = nargs;
        ai->arg_count = e->arg_count;
        for (uint32_t j = 0; j < e->arg_count; j++) args[nargs++] = e->args[j];
        ai->filter = -1;
        if (e->u.agg.filter) {
            ai->filter = (int32_t)nfilters;
            filters[nfilters++] = e->u.agg.filter;
        }
        ai->distinct = e->u.agg.distinct;
        if (ai->distinct) {
            ai->distinct_idx = cfg->distinct_count;
            cfg->distinct_aggs[cfg->distinct_count++] = i;
        }
        ai->state_off = (uint32_t)state;
        state += (ai->fn->state_size + 15) & ~(size_t)15;
    }
    cfg->state_size = state;
    *args_out = args;
    *filters_out = filters;
    cfg->args.count = nargs;
    cfg->filters.count = nfilters;
    return 0;
}

int ex_hash_agg_new(ex_op **out, const plan_node *node, ex_op *child, ex_ctx *ctx, fl_error *err)
{
    return ja_hash_agg_new_inputs(out, node, &child, 1, NULL, ctx, err);
}

int ja_hash_agg_new_inputs(ex_op **out, const plan_node *node, ex_op *const *children,
                           uint32_t child_count, const char *name, ex_ctx *ctx, fl_error *err)
{
    fl_arena *a = ctx->arena;
    if (node->kind != PLAN_AGGREGATE || node->child_count != 1 || child_count < 1)
        return fl_error_set(err, FLOE_EINTERNAL, "hash aggregate over a non-aggregate plan node");
    hagg_cfg *cfg = fl_arena_calloc(a, sizeof *cfg);
    ex_op *op = fl_arena_calloc(a, sizeof *op);
    if (!cfg || !op) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    plan_binding *in_b;
    fl_type *in_t;
    uint32_t in_n;
    FL_TRY(ja_node_outputs(node->children[0], a, &in_b, &in_t, &in_n, err));
    cfg->group_count = node->u.aggregate.group_count;
    cfg->agg_count = node->u.aggregate.agg_count;
    cfg->grouping_count = node->u.aggregate.grouping_count;
    cfg->radix_bits = ctx->threads > 1 ? 4 : 0;
    FL_TRY(ja_exprs_compile(&cfg->groups, node->u.aggregate.groups, cfg->group_count, in_b, in_n,
                            a, err));
    plan_expr **args = NULL, **filters = NULL;
    FL_TRY(collect_aggs(node, cfg, &args, &filters, a, err));
    FL_TRY(ja_exprs_compile(&cfg->args, args, cfg->args.count, in_b, in_n, a, err));
    FL_TRY(ja_exprs_compile(&cfg->filters, filters, cfg->filters.count, in_b, in_n, a, err));
    FL_TRY(build_sets(node, cfg, a, err));
    ALLOC_N(a, cfg->grouping_groups, cfg->grouping_count);
    ALLOC_N(a, cfg->grouping_argc, cfg->grouping_count);
    uint32_t ncols = cfg->group_count + cfg->agg_count + cfg->grouping_count;
    ALLOC_N(a, op->types, ncols);
    ALLOC_N(a, op->children, child_count);
    if (!cfg->grouping_groups || !cfg->grouping_argc || !op->types || !op->children)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
    for (uint32_t k = 0; k < cfg->grouping_count; k++) {
        const plan_expr *ge = node->u.aggregate.groupings[k];
        cfg->grouping_argc[k] = ge->arg_count;
        ALLOC_N(a, cfg->grouping_groups[k], ge->arg_count);
        if (!cfg->grouping_groups[k]) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
        for (uint32_t j = 0; j < ge->arg_count; j++)
            FL_TRY(grouping_arg(node, ge->args[j], &cfg->grouping_groups[k][j], err));
    }
    uint32_t c = 0;
    for (uint32_t i = 0; i < cfg->group_count; i++) op->types[c++] = node->u.aggregate.groups[i]->type;
    for (uint32_t i = 0; i < cfg->agg_count; i++) op->types[c++] = node->u.aggregate.aggs[i]->type;
    for (uint32_t i = 0; i < cfg->grouping_count; i++)
        op->types[c++] = node->u.aggregate.groupings[i]->type;
    op->vt = &hagg_vtable;
    if (name) {
        ex_op_vtable *vt = fl_arena_memdup(a, &hagg_vtable, sizeof hagg_vtable);
        if (!vt) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an aggregate");
        vt->name = name;
        op->vt = vt;
    }
    for (uint32_t i = 0; i < child_count; i++) {
        if (children[i]->col_count != in_n)
            return fl_error_set(err, FLOE_EINTERNAL, "aggregate input %u has %u columns, not %u", i,
                                children[i]->col_count, in_n);
        op->children[i] = children[i];
    }
    op->child_count = child_count;
    op->col_count = ncols;
    op->node = node;
    op->data = cfg;
    op->estimated_rows = node->estimated_rows;
    *out = op;
    return 0;
}
