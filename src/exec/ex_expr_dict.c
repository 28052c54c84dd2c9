/*
 * ex_expr_dict.c: expressions over dictionary vectors, computed once per
 * dictionary entry instead of once per row.
 *
 * A step that reads exactly one input column, calls nothing volatile and
 * yields a scalar (ex_step.per_entry: `s = 'M'`, `s IN ('a', 'b')`,
 * `substr(s, 1, 3)`, `upper(s) LIKE 'A%'`) depends only on the value of that
 * column. When the column is a dictionary vector, the step is run on the
 * dictionary's entries and the rows get a dictionary vector over the
 * results, with the input's indices: a filter then tests one byte per row,
 * and a string comparison costs one call per distinct string.
 *
 * Entries are computed as rows first use them, never ahead: a chunk runs
 * the step on the entries its rows use that no earlier chunk of the same
 * dictionary did, and the results are kept per step and per dictionary
 * (ex_dict_cache, keyed by the dictionary id; a new id starts afresh). So
 * the step sees exactly the values the row-by-row evaluation would (errors
 * such as a failing CAST come from the same values, and only from rows an
 * earlier AND conjunct or CASE branch let through), each once.
 *
 * When the entries a dictionary's rows use are nearly all distinct (half
 * or more of the rows bring a new entry), the cache only adds work: the
 * step falls back to rows for the rest of that dictionary, as it does for
 * dictionaries over EX_DICT_MAX_ENTRIES entries (ex_dict_pays, vector.h).
 * The results are a dictionary of their own: a fresh id per source
 * dictionary and step.
 */
#include "ex_expr_int.h"

#include <string.h>

static int oom(fl_error *err)
{
    return fl_error_set(err, FLOE_ENOMEM, "out of memory evaluating an expression");
}

/* The step's cache, made anew (or emptied) for dictionary v. */
static int cache_for(ex_expr_state *st, uint32_t idx, const ex_vector *v, ex_dict_cache **out,
                     fl_error *err)
{
    ex_dict_cache *c = st->dicts[idx];
    if (!c) {
        c = fl_arena_calloc(st->arena, sizeof *c);
        if (!c || !(c->arena = fl_arena_new_child(st->arena, 0))) return oom(err);
        st->dicts[idx] = c;
    }
    if (c->id != v->dict_id || c->entries != v->col->len) {
        fl_arena_reset(c->arena);
        c->id = v->dict_id;
        c->res_id = fl_dict_next_id();
        c->entries = v->col->len;
        c->res = NULL;
        c->done = NULL;
        c->rows = c->computed = 0;
        c->off = c->entries > EX_DICT_MAX_ENTRIES;
    }
    *out = c;
    return 0;
}

/* The cache's result column and done flags, made at the dictionary's
 * first use. */
static int cache_columns(ex_dict_cache *c, fl_type type, fl_error *err)
{
    if (c->res) return 0;
    FL_TRY(ex_column_alloc(&c->res, c->arena, type, c->entries, err));
    if (fl_column_ensure_validity(c->res) < 0 ||
        !(c->done = fl_arena_calloc(c->arena, c->entries ? c->entries : 1)))
        return oom(err);
    c->validity = c->res->validity;
    c->res->validity = NULL;
    return 0;
}

/* Runs the step on entries todo[0..k) of dictionary v and stores the
 * results in the cache. */
static int compute_entries(ex_expr_state *st, uint32_t idx, const ex_chunk *in,
                           const ex_vector *v, ex_dict_cache *c, const uint32_t *todo, size_t k,
                           fl_arena *scratch, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    /* the step reads only column s->cols[0]: the others are left as they are */
    ex_chunk sub = *in;
    sub.count = k;
    sub.cols = fl_arena_alloc(scratch, in->col_count * sizeof *sub.cols);
    if (!sub.cols) return oom(err);
    memcpy(sub.cols, in->cols, in->col_count * sizeof *sub.cols);
    ex_vector entries = {.kind = EX_VECTOR_FLAT, .col = v->col};
    FL_TRY(ex_vector_slice(&sub.cols[s->cols[0]], &entries, todo, k, scratch, err));
    /* results (and the strings they make) live in the cache's arena */
    ex_vector r;
    FL_TRY(ex_eval_kind(st, idx, &sub, &r, c->arena, err));
    if (r.kind == EX_VECTOR_DICT) FL_TRY(ex_vector_flatten(&r, k, c->arena, err));
    bool had_nulls = c->res->validity != NULL;
    c->res->validity = c->validity;   /* the scatter keeps every entry's bit */
    FL_TRY(ex_eval_scatter(c->res, todo, NULL, k, &r, err));
    bool nulls = had_nulls || r.col->type.id == FL_TYPE_NULL;
    for (size_t j = 0; j < k && !nulls; j++) nulls = !fl_bit_get(c->validity, todo[j]);
    if (!nulls) c->res->validity = NULL;
    c->computed += k;
    return 0;
}

int ex_eval_on_dict(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                    fl_arena *out_arena, bool *done, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    const ex_vector *v = &in->cols[s->cols[0]];
    *done = false;
    ex_dict_cache *c = NULL;
    FL_TRY(cache_for(st, idx, v, &c, err));
    if (c->off) return 0;
    FL_TRY(cache_columns(c, s->type, err));
    size_t n = in->count;
    uint32_t *todo = fl_arena_alloc(out_arena, (n ? n : 1) * sizeof *todo);
    if (!todo) return oom(err);
    size_t k = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t e = v->idx[i];
        if (e >= c->entries) {
            rc = fl_error_set(err, FLOE_EINTERNAL,
                              "dictionary index %u beyond the dictionary's %zu entries", e,
                              c->entries);
            break;
        }
        todo[k] = e;
        k += !c->done[e];
        c->done[e] = 1;
    }
    if (rc == 0 && k > 0) rc = compute_entries(st, idx, in, v, c, todo, k, out_arena, err);
    if (rc < 0) {
        /* entries this chunk marked have no value: a later chunk computes them */
        for (size_t j = 0; j < k; j++) c->done[todo[j]] = 0;
        return rc;
    }
    c->rows += n;
    /* this chunk is answered either way; later chunks of a dictionary whose
     * rows mostly bring new entries go row by row */
    c->off = !ex_dict_pays(c->rows, c->computed);
    out->kind = EX_VECTOR_DICT;
    out->col = c->res;
    out->idx = v->idx;
    out->dict_id = c->res_id;
    *done = true;
    return 0;
}
