/*
 * ex_expr_eval.c: evaluation of compiled expressions (ex_expr_int.h) over
 * a chunk, one step at a time, each step producing a whole vector.
 *
 * - COLREF returns the input vector itself (no copy); CONST a constant
 *   vector; a step whose subtree is constant is computed once per state.
 * - FUNC calls the function library on vectors; the output's validity is
 *   the intersection of the arguments' unless the function handles NULLs
 *   itself; a call whose arguments are all constant computes one row and
 *   returns a constant.
 * - AND / OR follow SQL's three-valued logic and evaluate each further
 *   argument only on the rows not yet decided; CASE evaluates a branch only
 *   on the rows its WHEN selected, COALESCE an argument only on the rows
 *   still NULL. So `CASE WHEN x = 0 THEN NULL ELSE 1 / x END` never divides
 *   by zero. Such subsets are evaluated on a sliced chunk (only the columns
 *   the subtree reads are gathered) and scattered back.
 * - IN with constant items probes a hash set built once per state.
 * - A step over one dictionary column runs on the dictionary's entries
 *   (ex_expr_dict.c); elsewhere a dictionary vector is flattened where a
 *   step reads it, so functions see flat and constant vectors only.
 */
#include "ex_expr_int.h"

#include <string.h>

#include "../base/murmur3.h"

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory evaluating an expression"); }

static inline bool vec_valid(const ex_vector *v, size_t i)
{
    if (v->col->type.id == FL_TYPE_NULL) return false;
    return fl_column_is_valid(v->col, ex_vector_row(v, i));
}

static int new_column(fl_column **out, fl_arena *arena, fl_type type, size_t rows, fl_error *err)
{
    return ex_column_alloc(out, arena, type, rows, err);
}

static int const_null(ex_vector *out, fl_type type, fl_arena *arena, fl_error *err)
{
    fl_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    v.is_null = true;
    return ex_vector_const(out, arena, &v, err);
}

/* Makes every row of col NULL where v is NULL (rows [0, n)). */
static int and_validity(fl_column *col, const ex_vector *v, size_t n, fl_error *err)
{
    const fl_column *vc = v->col;
    if (v->kind == EX_VECTOR_CONST) {
        if (vec_valid(v, 0)) return 0;
        if (fl_column_ensure_validity(col) < 0) return oom(err);
        memset(col->validity, 0, (n + 7) / 8);
        return 0;
    }
    if (vc->type.id == FL_TYPE_NULL) {
        if (fl_column_ensure_validity(col) < 0) return oom(err);
        memset(col->validity, 0, (n + 7) / 8);
        return 0;
    }
    if (!vc->validity) return 0;
    if (!col->validity) {
        if (fl_column_ensure_validity(col) < 0) return oom(err);
        memcpy(col->validity, vc->validity, (n + 7) / 8);
        return 0;
    }
    for (size_t b = 0; b < (n + 7) / 8; b++) col->validity[b] &= vc->validity[b];
    return 0;
}

static int eval_rows(ex_expr_state *st, uint32_t idx, const ex_chunk *in, const uint32_t *sel,
                     size_t n, ex_vector *out, fl_arena *arena, bool keep_dict, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    int (*step)(ex_expr_state *, uint32_t, const ex_chunk *, ex_vector *, fl_arena *,
                fl_error *) = keep_dict ? ex_eval_step_dict : ex_eval_step;
    if (!sel || s->constant) return step(st, idx, in, out, arena, err);
    ex_chunk slice = *in;
    slice.count = n;
    slice.cols = fl_arena_alloc(arena, (in->col_count ? in->col_count : 1) * sizeof *slice.cols);
    if (!slice.cols) return oom(err);
    if (in->col_count) memcpy(slice.cols, in->cols, in->col_count * sizeof *slice.cols);
    for (uint32_t i = 0; i < s->col_count; i++) {
        uint32_t c = s->cols[i];
        FL_TRY(ex_vector_slice(&slice.cols[c], &in->cols[c], sel, n, arena, err));
    }
    return step(st, idx, &slice, out, arena, err);
}

int ex_eval_rows(ex_expr_state *st, uint32_t idx, const ex_chunk *in, const uint32_t *sel,
                 size_t n, ex_vector *out, fl_arena *arena, fl_error *err)
{
    return eval_rows(st, idx, in, sel, n, out, arena, false, err);
}

int ex_eval_rows_dict(ex_expr_state *st, uint32_t idx, const ex_chunk *in, const uint32_t *sel,
                      size_t n, ex_vector *out, fl_arena *arena, fl_error *err)
{
    return eval_rows(st, idx, in, sel, n, out, arena, true, err);
}

int ex_eval_scatter(fl_column *dst, const uint32_t *pos, const uint32_t *src_rows, size_t n,
                   const ex_vector *src, fl_error *err)
{
    if (fl_type_is_nested(dst->type))
        return fl_error_set(err, FLOE_EUNSUPPORTED,
                            "conditional expressions over nested values are not supported");
    size_t width = fl_type_width(dst->type);
    bool is_const = src->kind == EX_VECTOR_CONST;
    bool null_type = src->col->type.id == FL_TYPE_NULL;
    if (!null_type && width && src->col->type.id != dst->type.id)
        return fl_error_set(err, FLOE_EINTERNAL, "branch of type %s where %s was expected",
                            fl_type_name((fl_type_id)src->col->type.id),
                            fl_type_name((fl_type_id)dst->type.id));
    const char *sd = src->col->data;
    char *dd = dst->data;
    for (size_t k = 0; k < n; k++) {
        size_t r = pos ? pos[k] : k, sr = is_const ? 0 : src_rows ? src_rows[k] : k;
        if (null_type || !fl_column_is_valid(src->col, sr)) {
            fl_bit_clear(dst->validity, r);
            continue;
        }
        fl_bit_set(dst->validity, r);
        if (width) memcpy(dd + r * width, sd + sr * width, width);
    }
    return 0;
}

/* ---------------------------------------------------------------- functions and casts */

static int fn_init(ex_expr_state *st, uint32_t idx, const ex_step *s, fl_error *err)
{
    fn_exec_ctx *fc = &st->fctx[idx];
    fc->fn = s->fn;
    fc->arena = st->arena;
    if (s->fn->init) {
        ex_vector *cargs = fl_arena_calloc(st->arena, (s->arg_count ? s->arg_count : 1) * sizeof *cargs);
        if (!cargs) return oom(err);
        ex_chunk one = {.col_count = 0, .cols = NULL, .count = 1, .arena = st->arena};
        for (uint32_t i = 0; i < s->arg_count; i++) {
            if (st->x->steps[s->args[i]].constant)
                FL_TRY(ex_eval_step(st, s->args[i], &one, &cargs[i], st->arena, err));
            else
                cargs[i].kind = EX_VECTOR_FLAT;
        }
        FL_TRY(s->fn->init(fc, cargs, s->arg_count, err));
    }
    st->fn_ready[idx] = true;
    return 0;
}

static int eval_func(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                     fl_arena *arena, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    const fn_scalar_bound *fn = s->fn;
    ex_vector *args = fl_arena_alloc(arena, (s->arg_count ? s->arg_count : 1) * sizeof *args);
    if (!args) return oom(err);
    bool all_const = true;
    for (uint32_t i = 0; i < s->arg_count; i++) {
        FL_TRY(ex_eval_step(st, s->args[i], in, &args[i], arena, err));
        if (args[i].kind != EX_VECTOR_CONST) all_const = false;
        if (!fn->special_nulls && args[i].kind == EX_VECTOR_CONST && !vec_valid(&args[i], 0))
            return const_null(out, s->type, arena, err);
    }
    if (!st->fn_ready[idx]) FL_TRY(fn_init(st, idx, s, err));
    bool one_row = all_const && s->arg_count > 0 && !fn->is_volatile;
    size_t rows = one_row ? 1 : in->count;
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, fn->ret, rows, err));
    if (!fn->special_nulls)
        for (uint32_t i = 0; i < s->arg_count; i++) FL_TRY(and_validity(col, &args[i], rows, err));
    fn_exec_ctx *fc = &st->fctx[idx];
    fc->out_arena = arena;
    FL_TRY(fn->exec(fc, args, s->arg_count, rows, col, err));
    out->kind = one_row ? EX_VECTOR_CONST : EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}

static int eval_cast(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                     fl_arena *arena, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    ex_vector v;
    FL_TRY(ex_eval_step(st, s->args[0], in, &v, arena, err));
    if (fl_type_eq(v.col->type, s->type)) {
        *out = v;
        return 0;
    }
    if (v.col->type.id == FL_TYPE_NULL || (v.kind == EX_VECTOR_CONST && !vec_valid(&v, 0)))
        return const_null(out, s->type, arena, err);
    size_t rows = v.kind == EX_VECTOR_CONST ? 1 : in->count;
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, s->type, rows, err));
    FL_TRY(and_validity(col, &v, rows, err));
    FL_TRY(fn_cast(&v, rows, s->type, s->try_cast, col, arena, err));
    out->kind = v.kind;
    out->col = col;
    return 0;
}

/* ---------------------------------------------------------------- boolean logic */

static int eval_not(ex_expr_state *st, const ex_step *s, const ex_chunk *in, ex_vector *out,
                    fl_arena *arena, fl_error *err)
{
    ex_vector v;
    FL_TRY(ex_eval_step(st, s->args[0], in, &v, arena, err));
    size_t rows = v.kind == EX_VECTOR_CONST ? 1 : in->count;
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, fl_type_make(FL_TYPE_BOOL), rows, err));
    FL_TRY(and_validity(col, &v, rows, err));
    const uint8_t *src = v.col->data;
    uint8_t *dst = col->data;
    if (src)
        for (size_t i = 0; i < rows; i++) dst[i] = !src[i];
    out->kind = v.kind;
    out->col = col;
    return 0;
}

static int eval_is_null(ex_expr_state *st, const ex_step *s, const ex_chunk *in, ex_vector *out,
                        fl_arena *arena, fl_error *err)
{
    ex_vector v;
    FL_TRY(ex_eval_step(st, s->args[0], in, &v, arena, err));
    size_t rows = v.kind == EX_VECTOR_CONST ? 1 : in->count;
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, fl_type_make(FL_TYPE_BOOL), rows, err));
    uint8_t *dst = col->data;
    bool want_null = s->kind == PLAN_EX_IS_NULL;
    for (size_t i = 0; i < rows; i++) dst[i] = (uint8_t)(vec_valid(&v, i) != want_null);
    out->kind = v.kind;
    out->col = col;
    return 0;
}

/* AND (decider false) / OR (decider true): each argument is evaluated only
 * on the rows no earlier argument decided; NULL keeps a row undecided. */
static int eval_andor(ex_expr_state *st, const ex_step *s, const ex_chunk *in, ex_vector *out,
                      fl_arena *arena, fl_error *err)
{
    size_t rows = in->count;
    uint8_t decider = s->kind == PLAN_EX_OR;
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, fl_type_make(FL_TYPE_BOOL), rows, err));
    uint8_t *res = col->data;
    memset(res, !decider, rows);
    uint8_t *saw_null = fl_arena_calloc(arena, rows ? rows : 1);
    uint32_t *active = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *active);
    if (!saw_null || !active) return oom(err);
    size_t k = rows;
    bool all = true;   /* active is the identity */
    for (uint32_t a = 0; a < s->arg_count && k > 0; a++) {
        ex_vector v;
        FL_TRY(ex_eval_rows_dict(st, s->args[a], in, all ? NULL : active, k, &v, arena, err));
        const uint8_t *d = v.col->data;
        size_t m = 0;
        if (v.kind != EX_VECTOR_CONST && !v.col->validity && v.col->type.id == FL_TYPE_BOOL) {
            /* no NULLs: decided rows take the decider, the others stay (a
             * dictionary of results is read through its indices) */
            const uint32_t *ix = v.kind == EX_VECTOR_DICT ? v.idx : NULL;
            for (size_t j = 0; j < k; j++) {
                uint32_t r = all ? (uint32_t)j : active[j];
                bool decided = (d[ix ? ix[j] : j] != 0) == decider;
                if (decided) res[r] = decider;
                active[m] = r;
                m += !decided;
            }
            all = all && m == k;
            k = m;
            continue;
        }
        for (size_t j = 0; j < k; j++) {
            size_t r = all ? j : active[j];
            size_t vr = ex_vector_row(&v, j);
            if (!vec_valid(&v, j)) {
                saw_null[r] = 1;
                active[m++] = (uint32_t)r;
            } else if ((d[vr] != 0) == decider) {
                res[r] = decider;
            } else {
                active[m++] = (uint32_t)r;
            }
        }
        all = all && m == k;
        k = m;
    }
    for (size_t j = 0; j < k; j++) {
        size_t r = all ? j : active[j];
        if (saw_null[r] && fl_column_set_null(col, r) < 0) return oom(err);
    }
    out->kind = EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}

/* ---------------------------------------------------------------- CASE and COALESCE */

/* Splits rows rem[0..*k) (all: identity) by the boolean v into matched
 * (m rows, returned) and the rest (left in rem, *k updated). */
static size_t split_true(const ex_vector *v, uint32_t *rem, size_t *k, bool all, uint32_t *matched)
{
    const uint8_t *d = v->col->data;
    size_t m = 0, keep = 0;
    if (v->kind != EX_VECTOR_CONST && !v->col->validity && v->col->type.id == FL_TYPE_BOOL) {
        const uint32_t *ix = v->kind == EX_VECTOR_DICT ? v->idx : NULL;
        for (size_t j = 0; j < *k; j++) {   /* no NULLs: branch-free split */
            uint32_t r = all ? (uint32_t)j : rem[j];
            bool t = d[ix ? ix[j] : j] != 0;
            matched[m] = r;
            rem[keep] = r;
            m += t;
            keep += !t;
        }
        *k = keep;
        return m;
    }
    for (size_t j = 0; j < *k; j++) {
        uint32_t r = all ? (uint32_t)j : rem[j];
        size_t vr = ex_vector_row(v, j);
        if (vec_valid(v, j) && d[vr]) matched[m++] = r;
        else rem[keep++] = r;
    }
    *k = keep;
    return m;
}

/* Writes the value val (width bytes) to rows pos[0..n) (pos NULL: 0..n). */
static void fill_rows(char *dst, size_t width, const void *val, const uint32_t *pos, size_t n)
{
#define FILL(T)                                                                   \
    do {                                                                          \
        T v_;                                                                     \
        memcpy(&v_, val, sizeof v_);                                              \
        T *d_ = (T *)(void *)dst;                                                 \
        if (pos)                                                                  \
            for (size_t k_ = 0; k_ < n; k_++) d_[pos[k_]] = v_;                   \
        else                                                                      \
            for (size_t k_ = 0; k_ < n; k_++) d_[k_] = v_;                        \
    } while (0)
    switch (width) {
    case 1: FILL(uint8_t); break;
    case 2: FILL(uint16_t); break;
    case 4: FILL(uint32_t); break;
    case 8: FILL(uint64_t); break;
    default:
        for (size_t k = 0; k < n; k++) memcpy(dst + (pos ? pos[k] : k) * width, val, width);
    }
#undef FILL
}

/* Whether every THEN and the ELSE of a CASE are constants of a scalar type
 * (sum(CASE WHEN cond THEN 1 ELSE 0 END)): then the branches are written
 * as values, with no slicing, scattering or validity unless one is NULL. */
static bool case_const_branches(const ex_expr_state *st, const ex_step *s)
{
    if (fl_type_is_nested(s->type) || fl_type_width(s->type) == 0) return false;
    uint32_t when_count = (s->arg_count - (s->has_else ? 1 : 0)) / 2;
    for (uint32_t w = 0; w < when_count; w++)
        if (!st->x->steps[s->args[2 * w + 1]].constant) return false;
    return !s->has_else || st->x->steps[s->args[s->arg_count - 1]].constant;
}

/* A constant branch's value: *val NULL when it is NULL. */
static int branch_value(ex_expr_state *st, uint32_t idx, const ex_step *s, const ex_chunk *in,
                        const void **val, fl_arena *arena, fl_error *err)
{
    ex_vector v;
    FL_TRY(ex_eval_step(st, idx, in, &v, arena, err));
    *val = NULL;
    if (v.col->type.id == FL_TYPE_NULL || !vec_valid(&v, 0)) return 0;
    if (v.col->type.id != s->type.id)
        return fl_error_set(err, FLOE_EINTERNAL, "branch of type %s where %s was expected",
                            fl_type_name((fl_type_id)v.col->type.id),
                            fl_type_name((fl_type_id)s->type.id));
    *val = v.col->data;
    return 0;
}

static int eval_case_const(ex_expr_state *st, const ex_step *s, const ex_chunk *in,
                           ex_vector *out, fl_arena *arena, fl_error *err)
{
    size_t rows = in->count, width = fl_type_width(s->type);
    uint32_t when_count = (s->arg_count - (s->has_else ? 1 : 0)) / 2;
    uint32_t *rem = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *rem);
    uint32_t *matched = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *matched);
    if (!rem || !matched) return oom(err);
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, s->type, rows, err));
    const void *else_val = NULL;
    if (s->has_else) FL_TRY(branch_value(st, s->args[s->arg_count - 1], s, in, &else_val, arena, err));
    if (else_val) fill_rows(col->data, width, else_val, NULL, rows);
    if (!else_val) {   /* rows no WHEN takes are NULL */
        if (fl_column_ensure_validity(col) < 0) return oom(err);
        memset(col->validity, 0, (rows + 7) / 8);
    }
    size_t k = rows;
    bool all = true;
    for (uint32_t w = 0; w < when_count && k > 0; w++) {
        ex_vector c;
        FL_TRY(ex_eval_rows_dict(st, s->args[2 * w], in, all ? NULL : rem, k, &c, arena, err));
        size_t before = k;
        size_t m = split_true(&c, rem, &k, all, matched);
        all = all && k == before;
        if (m == 0) continue;
        const void *then_val = NULL;
        FL_TRY(branch_value(st, s->args[2 * w + 1], s, in, &then_val, arena, err));
        if (then_val) {
            fill_rows(col->data, width, then_val, matched, m);
            if (col->validity)
                for (size_t j = 0; j < m; j++) fl_bit_set(col->validity, matched[j]);
        } else {
            if (fl_column_ensure_validity(col) < 0) return oom(err);
            for (size_t j = 0; j < m; j++) fl_bit_clear(col->validity, matched[j]);
        }
    }
    out->kind = EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}

static int eval_case(ex_expr_state *st, const ex_step *s, const ex_chunk *in, ex_vector *out,
                     fl_arena *arena, fl_error *err)
{
    if (case_const_branches(st, s)) return eval_case_const(st, s, in, out, arena, err);
    size_t rows = in->count;
    uint32_t when_count = (s->arg_count - (s->has_else ? 1 : 0)) / 2;
    uint32_t *rem = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *rem);
    uint32_t *matched = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *matched);
    if (!rem || !matched) return oom(err);
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, s->type, rows, err));
    if (fl_column_ensure_validity(col) < 0) return oom(err);
    size_t k = rows;
    bool all = true;
    for (uint32_t w = 0; w < when_count && k > 0; w++) {
        ex_vector c;
        FL_TRY(ex_eval_rows_dict(st, s->args[2 * w], in, all ? NULL : rem, k, &c, arena, err));
        size_t before = k;
        size_t m = split_true(&c, rem, &k, all, matched);
        if (m == 0) {
            all = all && k == before;
            continue;
        }
        if (m == rows) {   /* every row takes this branch: no slicing */
            return ex_eval_step(st, s->args[2 * w + 1], in, out, arena, err);
        }
        ex_vector t;
        FL_TRY(ex_eval_rows(st, s->args[2 * w + 1], in, matched, m, &t, arena, err));
        FL_TRY(ex_eval_scatter(col, matched, NULL, m, &t, err));
        all = false;
    }
    if (k > 0) {
        if (s->has_else) {
            if (all) return ex_eval_step(st, s->args[s->arg_count - 1], in, out, arena, err);
            ex_vector e;
            FL_TRY(ex_eval_rows(st, s->args[s->arg_count - 1], in, rem, k, &e, arena, err));
            FL_TRY(ex_eval_scatter(col, rem, NULL, k, &e, err));
        } else {
            if (all) return const_null(out, s->type, arena, err);
            for (size_t j = 0; j < k; j++) fl_bit_clear(col->validity, rem[j]);
        }
    }
    out->kind = EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}

static int eval_coalesce(ex_expr_state *st, const ex_step *s, const ex_chunk *in, ex_vector *out,
                         fl_arena *arena, fl_error *err)
{
    size_t rows = in->count;
    ex_vector v;
    FL_TRY(ex_eval_step(st, s->args[0], in, &v, arena, err));
    bool no_nulls = v.col->type.id != FL_TYPE_NULL &&
                    (v.kind == EX_VECTOR_CONST ? vec_valid(&v, 0)
                                               : !v.col->validity || fl_column_null_count(v.col) == 0);
    if (no_nulls || s->arg_count == 1) {
        *out = v;
        return 0;
    }
    uint32_t *rem = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *rem);
    uint32_t *hit_pos = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *hit_pos);
    uint32_t *hit_src = fl_arena_alloc(arena, (rows ? rows : 1) * sizeof *hit_src);
    if (!rem || !hit_pos || !hit_src) return oom(err);
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, s->type, rows, err));
    if (fl_column_ensure_validity(col) < 0) return oom(err);
    memset(col->validity, 0, (rows + 7) / 8);
    size_t k = rows;
    bool all = true;
    for (uint32_t a = 0; a < s->arg_count && k > 0; a++) {
        if (a > 0) FL_TRY(ex_eval_rows(st, s->args[a], in, all ? NULL : rem, k, &v, arena, err));
        size_t m = 0, keep = 0;
        for (size_t j = 0; j < k; j++) {
            uint32_t r = all ? (uint32_t)j : rem[j];
            if (vec_valid(&v, v.kind == EX_VECTOR_CONST ? 0 : j)) {
                hit_pos[m] = r;
                hit_src[m++] = (uint32_t)j;
            } else {
                rem[keep++] = r;
            }
        }
        if (m) FL_TRY(ex_eval_scatter(col, hit_pos, hit_src, m, &v, err));
        all = false;
        k = keep;
    }
    out->kind = EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}

/* ---------------------------------------------------------------- IN lists */

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t value_hash(const fl_value *v)
{
    switch ((fl_type_id)v->type.id) {
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE: {
        double d = v->v.f64 == 0 ? 0.0 : v->v.f64;   /* -0.0 = 0.0 */
        if (d != d) return 0x7ff8;                   /* one hash for every NaN */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return mix64(bits);
    }
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(v->type))
            return mix64((uint64_t)v->v.i128 ^ mix64((uint64_t)(v->v.i128 >> 64)));
        return mix64((uint64_t)v->v.i64);
    case FL_TYPE_BOOL: return v->v.b;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: return fl_murmur3_32(v->v.s.ptr, v->v.s.len, 0x9747b28c);
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64: return mix64(v->v.u64);
    default: return mix64((uint64_t)v->v.i64);
    }
}

static bool value_eq(const fl_value *a, const fl_value *b)
{
    if (a->type.id == FL_TYPE_BOOL) return a->v.b == b->v.b;
    return fl_value_cmp(a, b) == 0;
}

static int build_set(ex_expr_state *st, uint32_t idx, const ex_step *s, ex_in_set **out,
                     fl_error *err)
{
    ex_in_set *set = fl_arena_calloc(st->arena, sizeof *set);
    if (!set) return oom(err);
    size_t cap = 8;
    while (cap < (size_t)s->arg_count * 2) cap *= 2;
    set->slots = fl_arena_calloc(st->arena, cap * sizeof *set->slots);
    set->used = fl_arena_calloc(st->arena, cap * sizeof *set->used);
    if (!set->slots || !set->used) return oom(err);
    set->mask = cap - 1;
    ex_chunk one = {.col_count = 0, .cols = NULL, .count = 1, .arena = st->arena};
    for (uint32_t i = 1; i < s->arg_count; i++) {
        ex_vector v;
        fl_value val;
        FL_TRY(ex_eval_step(st, s->args[i], &one, &v, st->arena, err));
        ex_vector_get(&v, 0, &val);
        if (val.is_null || v.col->type.id == FL_TYPE_NULL) {
            set->has_null = true;
            continue;
        }
        size_t h = (size_t)value_hash(&val) & set->mask;
        while (set->used[h] && !value_eq(&set->slots[h], &val)) h = (h + 1) & set->mask;
        set->used[h] = true;
        set->slots[h] = val;
    }
    (void)idx;
    *out = set;
    return 0;
}

static bool set_contains(const ex_in_set *set, const fl_value *v)
{
    size_t h = (size_t)value_hash(v) & set->mask;
    while (set->used[h]) {
        if (value_eq(&set->slots[h], v)) return true;
        h = (h + 1) & set->mask;
    }
    return false;
}

static int eval_in_list(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                        fl_arena *arena, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    ex_vector x;
    FL_TRY(ex_eval_step(st, s->args[0], in, &x, arena, err));
    size_t rows = x.kind == EX_VECTOR_CONST ? 1 : in->count;
    fl_column *col = NULL;
    FL_TRY(new_column(&col, arena, fl_type_make(FL_TYPE_BOOL), rows, err));
    uint8_t *res = col->data;
    if (s->const_items) {
        if (!st->sets[idx]) FL_TRY(build_set(st, idx, s, &st->sets[idx], err));
        const ex_in_set *set = st->sets[idx];
        for (size_t i = 0; i < rows; i++) {
            fl_value v;
            ex_vector_get(&x, i, &v);
            if (v.is_null || x.col->type.id == FL_TYPE_NULL) {
                if (fl_column_set_null(col, i) < 0) return oom(err);
            } else if (set_contains(set, &v)) {
                res[i] = 1;
            } else if (set->has_null) {
                if (fl_column_set_null(col, i) < 0) return oom(err);
            }
        }
        out->kind = x.kind;
        out->col = col;
        return 0;
    }
    rows = in->count;
    if (x.kind == EX_VECTOR_CONST) FL_TRY(ex_vector_flatten(&x, rows, arena, err));
    ex_vector *items = fl_arena_alloc(arena, s->arg_count * sizeof *items);
    if (!items) return oom(err);
    for (uint32_t a = 1; a < s->arg_count; a++)
        FL_TRY(ex_eval_step(st, s->args[a], in, &items[a], arena, err));
    FL_TRY(new_column(&col, arena, fl_type_make(FL_TYPE_BOOL), rows, err));
    res = col->data;
    for (size_t i = 0; i < rows; i++) {
        fl_value v;
        ex_vector_get(&x, i, &v);
        if (v.is_null || x.col->type.id == FL_TYPE_NULL) {
            if (fl_column_set_null(col, i) < 0) return oom(err);
            continue;
        }
        bool found = false, saw_null = false;
        for (uint32_t a = 1; a < s->arg_count && !found; a++) {
            fl_value w;
            ex_vector_get(&items[a], i, &w);
            if (w.is_null || items[a].col->type.id == FL_TYPE_NULL) saw_null = true;
            else if (value_eq(&v, &w)) found = true;
        }
        if (found) res[i] = 1;
        else if (saw_null && fl_column_set_null(col, i) < 0) return oom(err);
    }
    out->kind = EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}

/* ---------------------------------------------------------------- dispatch */

int ex_eval_kind(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                 fl_arena *arena, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    switch (s->kind) {
    case PLAN_EX_CONST: return ex_vector_const(out, arena, &s->value, err);
    case PLAN_EX_COLREF:
        if ((uint32_t)s->col >= in->col_count)
            return fl_error_set(err, FLOE_EINTERNAL, "column %d is beyond the input's %u columns",
                                s->col, in->col_count);
        *out = in->cols[s->col];
        return 0;
    case PLAN_EX_FUNC: return eval_func(st, idx, in, out, arena, err);
    case PLAN_EX_CAST: return eval_cast(st, idx, in, out, arena, err);
    case PLAN_EX_AND:
    case PLAN_EX_OR: return eval_andor(st, s, in, out, arena, err);
    case PLAN_EX_NOT: return eval_not(st, s, in, out, arena, err);
    case PLAN_EX_IS_NULL:
    case PLAN_EX_IS_NOT_NULL: return eval_is_null(st, s, in, out, arena, err);
    case PLAN_EX_CASE: return eval_case(st, s, in, out, arena, err);
    case PLAN_EX_COALESCE: return eval_coalesce(st, s, in, out, arena, err);
    case PLAN_EX_IN_LIST: return eval_in_list(st, idx, in, out, arena, err);
    default:
        return fl_error_set(err, FLOE_EINTERNAL, "expression kind %d cannot be evaluated",
                            (int)s->kind);
    }
}

int ex_eval_step(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                 fl_arena *out_arena, fl_error *err)
{
    FL_TRY(ex_eval_step_dict(st, idx, in, out, out_arena, err));
    if (out->kind == EX_VECTOR_DICT) FL_TRY(ex_vector_flatten(out, in->count, out_arena, err));
    return 0;
}

int ex_eval_step_dict(ex_expr_state *st, uint32_t idx, const ex_chunk *in, ex_vector *out,
                      fl_arena *out_arena, fl_error *err)
{
    const ex_step *s = &st->x->steps[idx];
    if (s->per_entry && in->cols[s->cols[0]].kind == EX_VECTOR_DICT) {
        bool done = false;
        FL_TRY(ex_eval_on_dict(st, idx, in, out, out_arena, &done, err));
        if (done) return 0;
    }
    if (!s->constant) return ex_eval_kind(st, idx, in, out, out_arena, err);
    if (!st->has_cached[idx]) {
        ex_chunk one = {.col_count = 0, .cols = NULL, .count = 1, .arena = st->arena};
        ex_vector v;
        FL_TRY(ex_eval_kind(st, idx, &one, &v, st->arena, err));
        v.kind = EX_VECTOR_CONST;
        st->cached[idx] = v;
        st->has_cached[idx] = true;
    }
    *out = st->cached[idx];
    return 0;
}
