/*
 * hash_util.c: expression lists, output copying and per-thread arenas for
 * the hashing operators (see hash_util.h).
 */
#include "hash_util.h"

#include <string.h>

#include "../../base/alloc.h"

/* ---------------------------------------------------------------- expression lists */

static int find_binding(const plan_binding *b, uint32_t n, plan_binding want)
{
    for (uint32_t i = 0; i < n; i++)
        if (plan_binding_eq(b[i], want)) return (int)i;
    return -1;
}

int ja_exprs_compile(ja_exprs *out, plan_expr *const *exprs, uint32_t count,
                     const plan_binding *bindings, uint32_t binding_count, fl_arena *arena,
                     fl_error *err)
{
    memset(out, 0, sizeof *out);
    out->count = count;
    out->col = fl_arena_calloc(arena, (count + 1) * sizeof *out->col);
    out->x = fl_arena_calloc(arena, (count + 1) * sizeof *out->x);
    out->types = fl_arena_calloc(arena, (count + 1) * sizeof *out->types);
    if (!out->col || !out->x || !out->types)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory compiling expressions");
    for (uint32_t i = 0; i < count; i++) {
        const plan_expr *e = exprs[i];
        out->types[i] = e->type;
        out->col[i] = -1;
        if (e->kind == PLAN_EX_COLREF) {
            int pos = find_binding(bindings, binding_count, e->u.binding);
            if (pos < 0)
                return fl_error_set(err, FLOE_EINTERNAL,
                                    "column \"%s\" (%u.%u) is not in the operator's input",
                                    e->name ? e->name : "?", e->u.binding.table,
                                    e->u.binding.column);
            out->col[i] = pos;
            continue;
        }
        FL_TRY(ex_expr_compile(&out->x[i], e, bindings, binding_count, arena, err));
    }
    return 0;
}

int ja_exprs_state_init(ja_exprs_state *st, const ja_exprs *x, fl_arena *thread_arena,
                        fl_error *err)
{
    st->st = fl_arena_calloc(thread_arena, (x->count + 1) * sizeof *st->st);
    if (!st->st) return fl_error_set(err, FLOE_ENOMEM, "out of memory for expression state");
    for (uint32_t i = 0; i < x->count; i++)
        if (x->x[i]) FL_TRY(ex_expr_state_new(&st->st[i], x->x[i], thread_arena, err));
    return 0;
}

static int exprs_eval(const ja_exprs *x, ja_exprs_state *st, const ex_chunk *in, ex_vector *out,
                      fl_arena *out_arena, bool dict, fl_error *err)
{
    for (uint32_t i = 0; i < x->count; i++) {
        if (x->col[i] >= 0) {
            out[i] = in->cols[x->col[i]];
            continue;
        }
        if (dict) FL_TRY(ex_expr_eval_dict(st->st[i], in, &out[i], out_arena, err));
        else FL_TRY(ex_expr_eval(st->st[i], in, &out[i], out_arena, err));
    }
    return 0;
}

int ja_exprs_eval(const ja_exprs *x, ja_exprs_state *st, const ex_chunk *in, ex_vector *out,
                  fl_arena *out_arena, fl_error *err)
{
    return exprs_eval(x, st, in, out, out_arena, false, err);
}

int ja_exprs_eval_dict(const ja_exprs *x, ja_exprs_state *st, const ex_chunk *in, ex_vector *out,
                       fl_arena *out_arena, fl_error *err)
{
    return exprs_eval(x, st, in, out, out_arena, true, err);
}

int ja_flatten_dicts(ex_vector *v, uint32_t count, size_t rows, fl_arena *arena, fl_error *err)
{
    for (uint32_t i = 0; i < count; i++)
        if (v[i].kind == EX_VECTOR_DICT) FL_TRY(ex_vector_flatten(&v[i], rows, arena, err));
    return 0;
}

int ja_node_outputs(const plan_node *node, fl_arena *arena, plan_binding **bindings,
                    fl_type **types, uint32_t *count, fl_error *err)
{
    return plan_node_outputs(node, arena, bindings, types, count, err);
}

/* ---------------------------------------------------------------- output */

static int grow(fl_column *dst, size_t rows, fl_error *err)
{
    if (dst->cap >= rows) return 0;
    if (fl_column_reserve(dst, rows) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory growing an output column");
    return 0;
}

int ja_gather(fl_column *dst, size_t dst_off, const ex_vector *src, const uint32_t *sel,
              size_t n, fl_error *err)
{
    FL_ASSERT(src->kind != EX_VECTOR_DICT);   /* flattened by the pipeline runner (vector.h) */
    FL_TRY(grow(dst, dst_off + n, err));
    const fl_column *s = src->col;
    if (fl_type_is_nested(dst->type)) {
        for (size_t k = 0; k < n; k++)
            FL_TRY(ex_column_copy_row(dst, dst_off + k, src, sel ? sel[k] : k, err));
        return 0;
    }
    size_t w = fl_type_width(dst->type);
    bool cnst = src->kind == EX_VECTOR_CONST;
    uint8_t *d = (uint8_t *)dst->data + dst_off * w;
    const uint8_t *sd = s->data;
    if (w && sd) {
        if (cnst) {
            for (size_t k = 0; k < n; k++) memcpy(d + k * w, sd, w);
        } else if (!sel) {
            memcpy(d, sd, n * w);
        } else {
            switch (w) {
            case 8:
                for (size_t k = 0; k < n; k++) memcpy(d + k * 8, sd + (size_t)sel[k] * 8, 8);
                break;
            case 4:
                for (size_t k = 0; k < n; k++) memcpy(d + k * 4, sd + (size_t)sel[k] * 4, 4);
                break;
            case 16:
                for (size_t k = 0; k < n; k++) memcpy(d + k * 16, sd + (size_t)sel[k] * 16, 16);
                break;
            default:
                for (size_t k = 0; k < n; k++) memcpy(d + k * w, sd + (size_t)sel[k] * w, w);
                break;
            }
        }
    }
    bool src_nulls = s->validity != NULL || s->type.id == FL_TYPE_NULL;
    if (!src_nulls && !dst->validity) return 0;
    if (src_nulls && fl_column_ensure_validity(dst) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for output validity");
    for (size_t k = 0; k < n; k++) {
        size_t r = cnst ? 0 : sel ? sel[k] : k;
        bool valid = s->type.id != FL_TYPE_NULL && fl_column_is_valid(s, r);
        if (valid) fl_bit_set(dst->validity, dst_off + k);
        else fl_bit_clear(dst->validity, dst_off + k);
    }
    return 0;
}

int ja_set_null(fl_column *dst, size_t off, size_t n, fl_error *err)
{
    FL_TRY(grow(dst, off + n, err));
    if (fl_column_ensure_validity(dst) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory for output validity");
    size_t w = fl_type_width(dst->type);
    if (w && dst->data) memset((uint8_t *)dst->data + off * w, 0, n * w);
    for (size_t k = 0; k < n; k++) fl_bit_clear(dst->validity, off + k);
    if (dst->type.id == FL_TYPE_LIST || dst->type.id == FL_TYPE_MAP)
        for (size_t k = 0; k < n; k++) dst->offsets[off + k + 1] = dst->offsets[off + k];
    return 0;
}

void ja_chunk_finish(ex_chunk *out, size_t count)
{
    for (uint32_t c = 0; c < out->col_count; c++) {
        out->cols[c].kind = EX_VECTOR_FLAT;
        out->cols[c].col->len = count;
    }
    out->count = count;
}

int ja_chunk_new(ex_chunk *c, fl_arena *arena, const fl_type *types, uint32_t col_count,
                 fl_error *err)
{
    memset(c, 0, sizeof *c);
    c->col_count = col_count;
    c->arena = arena;
    c->cols = fl_arena_calloc(arena, (col_count + 1) * sizeof *c->cols);
    if (!c->cols) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a chunk");
    for (uint32_t i = 0; i < col_count; i++) {
        c->cols[i].kind = EX_VECTOR_FLAT;
        c->cols[i].col = fl_column_new(arena, types[i], EX_CHUNK_ROWS);
        if (!c->cols[i].col) return fl_error_set(err, FLOE_ENOMEM, "out of memory for a chunk");
    }
    return 0;
}

int ja_chunk_copy(ex_chunk *dst, const ex_chunk *src, fl_arena *a, fl_error *err)
{
    size_t n = src->count;
    memset(dst, 0, sizeof *dst);
    dst->col_count = src->col_count;
    dst->arena = a;
    dst->count = n;
    dst->cols = fl_arena_calloc(a, (src->col_count + 1) * sizeof *dst->cols);
    if (!dst->cols) return fl_error_set(err, FLOE_ENOMEM, "out of memory copying a chunk");
    for (uint32_t c = 0; c < src->col_count; c++) {
        fl_column *col = fl_column_new(a, src->cols[c].col->type, n ? n : 1);
        if (!col) return fl_error_set(err, FLOE_ENOMEM, "out of memory copying a chunk");
        FL_TRY(ja_gather(col, 0, &src->cols[c], NULL, n, err));
        col->len = n;
        if (fl_type_is_varlen(col->type)) {
            fl_strv *sv = col->data;
            size_t total = 0;
            for (size_t i = 0; i < n; i++) total += sv[i].len;
            char *buf = total ? fl_arena_alloc(a, total) : NULL;
            if (total && !buf) return fl_error_set(err, FLOE_ENOMEM, "out of memory copying a chunk");
            for (size_t i = 0; i < n; i++) {
                if (!sv[i].len) continue;
                memcpy(buf, sv[i].ptr, sv[i].len);
                sv[i].ptr = buf;
                buf += sv[i].len;
            }
        }
        dst->cols[c].kind = EX_VECTOR_FLAT;
        dst->cols[c].col = col;
    }
    return 0;
}

/* ---------------------------------------------------------------- per-thread arenas */

static void arenas_free(void *arg)
{
    ja_arenas *a = arg;
    for (size_t i = 0; i < a->count; i++) fl_arena_free(a->list[i]);
    fl_free(a->list);
    a->list = NULL;
    a->count = a->cap = 0;
    pthread_mutex_destroy(&a->mu);
}

int ja_arenas_init(ja_arenas *a, fl_arena *query_arena, fl_error *err)
{
    memset(a, 0, sizeof *a);
    pthread_mutex_init(&a->mu, NULL);
    if (fl_arena_on_reset(query_arena, arenas_free, a) < 0) {
        pthread_mutex_destroy(&a->mu);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory registering operator arenas");
    }
    return 0;
}

int ja_arenas_new(ja_arenas *a, fl_arena **out, fl_error *err)
{
    fl_arena *arena = fl_arena_new(256 * 1024);
    if (!arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory for an operator arena");
    pthread_mutex_lock(&a->mu);
    if (a->count == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        fl_arena **l = fl_realloc(a->list, cap * sizeof *l);
        if (!l) {
            pthread_mutex_unlock(&a->mu);
            fl_arena_free(arena);
            return fl_error_set(err, FLOE_ENOMEM, "out of memory for an operator arena");
        }
        a->list = l;
        a->cap = cap;
    }
    a->list[a->count++] = arena;
    pthread_mutex_unlock(&a->mu);
    *out = arena;
    return 0;
}

void ja_task_error_init(ja_task_error *te)
{
    pthread_mutex_init(&te->mu, NULL);
    te->rc = 0;
    fl_error_clear(&te->err);
}

void ja_task_error_set(ja_task_error *te, int rc, const fl_error *err)
{
    pthread_mutex_lock(&te->mu);
    if (te->rc == 0) {
        te->rc = rc;
        if (err) te->err = *err;
    }
    pthread_mutex_unlock(&te->mu);
}

int ja_task_error_take(ja_task_error *te, fl_error *err)
{
    int rc = te->rc;
    if (rc < 0 && err) *err = te->err;
    pthread_mutex_destroy(&te->mu);
    return rc;
}
