/*
 * ice_expr.c: bound scan predicates: building, NOT push-down, and the
 * partition / range / row evaluators (rules in ice_expr.h). The text parser
 * lives in ice_expr_parse.c.
 */
#include "ice_expr.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/decimal.h"

static const ice_expr expr_true = {ICE_EXPR_TRUE, {ICE_PRED_TRUE, 0, NULL, 0}, NULL, NULL, NULL};
static const ice_expr expr_false = {ICE_EXPR_FALSE, {ICE_PRED_FALSE, 0, NULL, 0}, NULL, NULL, NULL};

const ice_expr *ice_expr_true(void) { return &expr_true; }
const ice_expr *ice_expr_false(void) { return &expr_false; }

static bool copy_value(fl_value *dst, const fl_value *src, fl_arena *arena)
{
    *dst = *src;
    if (!src->is_null && fl_type_is_varlen(src->type) && src->v.s.len > 0) {
        char *p = fl_arena_memdup(arena, src->v.s.ptr, src->v.s.len);
        if (p == NULL) return false;
        dst->v.s.ptr = p;
    }
    return true;
}

const ice_expr *ice_expr_pred(fl_arena *arena, ice_pred_op op, int32_t field_id,
                              const ice_type *type, const fl_value *values, size_t value_count)
{
    if (op == ICE_PRED_TRUE) return &expr_true;
    if (op == ICE_PRED_FALSE) return &expr_false;
    ice_expr *e = fl_arena_calloc(arena, sizeof(*e));
    if (e == NULL) return NULL;
    fl_value *vals = NULL;
    if (value_count > 0) {
        vals = fl_arena_calloc(arena, value_count * sizeof(fl_value));
        if (vals == NULL) return NULL;
        for (size_t i = 0; i < value_count; i++)
            if (!copy_value(&vals[i], &values[i], arena)) return NULL;
    }
    e->kind = ICE_EXPR_PRED;
    e->pred.op = op;
    e->pred.field_id = field_id;
    e->pred.values = vals;
    e->pred.value_count = value_count;
    e->type = type;
    return e;
}

static const ice_expr *node(fl_arena *arena, ice_expr_kind kind, const ice_expr *a,
                            const ice_expr *b)
{
    if (a == NULL || (kind != ICE_EXPR_NOT && b == NULL)) return NULL;
    ice_expr *e = fl_arena_calloc(arena, sizeof(*e));
    if (e == NULL) return NULL;
    e->kind = kind;
    e->left = a;
    e->right = b;
    return e;
}

const ice_expr *ice_expr_and(fl_arena *arena, const ice_expr *a, const ice_expr *b)
{
    if (a == NULL || b == NULL) return NULL;
    if (a->kind == ICE_EXPR_FALSE || b->kind == ICE_EXPR_FALSE) return &expr_false;
    if (a->kind == ICE_EXPR_TRUE) return b;
    if (b->kind == ICE_EXPR_TRUE) return a;
    return node(arena, ICE_EXPR_AND, a, b);
}

const ice_expr *ice_expr_or(fl_arena *arena, const ice_expr *a, const ice_expr *b)
{
    if (a == NULL || b == NULL) return NULL;
    if (a->kind == ICE_EXPR_TRUE || b->kind == ICE_EXPR_TRUE) return &expr_true;
    if (a->kind == ICE_EXPR_FALSE) return b;
    if (b->kind == ICE_EXPR_FALSE) return a;
    return node(arena, ICE_EXPR_OR, a, b);
}

const ice_expr *ice_expr_not(fl_arena *arena, const ice_expr *a)
{
    if (a == NULL) return NULL;
    if (a->kind == ICE_EXPR_TRUE) return &expr_false;
    if (a->kind == ICE_EXPR_FALSE) return &expr_true;
    if (a->kind == ICE_EXPR_NOT) return a->left;
    return node(arena, ICE_EXPR_NOT, a, NULL);
}

int ice_expr_bind(const ice_expr **out, const ice_schema *schema, const char *column,
                  ice_pred_op op, const fl_value *values, size_t value_count, fl_arena *arena,
                  fl_error *err)
{
    const ice_schema_entry *entry = NULL;
    int rc = ice_schema_find_name(&entry, schema, column, true, NULL);
    if (rc < 0) rc = ice_schema_find_name(&entry, schema, column, false, err);
    if (rc < 0) return fl_error_set(err, rc, "column \"%s\" does not exist", column);
    *out = ice_expr_pred(arena, op, entry->id, entry->field->type, values, value_count);
    return *out ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
}

static ice_pred_op negate_op(ice_pred_op op)
{
    switch (op) {
    case ICE_PRED_TRUE: return ICE_PRED_FALSE;
    case ICE_PRED_FALSE: return ICE_PRED_TRUE;
    case ICE_PRED_IS_NULL: return ICE_PRED_NOT_NULL;
    case ICE_PRED_NOT_NULL: return ICE_PRED_IS_NULL;
    case ICE_PRED_IS_NAN: return ICE_PRED_NOT_NAN;
    case ICE_PRED_NOT_NAN: return ICE_PRED_IS_NAN;
    case ICE_PRED_LT: return ICE_PRED_GT_EQ;
    case ICE_PRED_LT_EQ: return ICE_PRED_GT;
    case ICE_PRED_GT: return ICE_PRED_LT_EQ;
    case ICE_PRED_GT_EQ: return ICE_PRED_LT;
    case ICE_PRED_EQ: return ICE_PRED_NOT_EQ;
    case ICE_PRED_NOT_EQ: return ICE_PRED_EQ;
    case ICE_PRED_IN: return ICE_PRED_NOT_IN;
    case ICE_PRED_NOT_IN: return ICE_PRED_IN;
    case ICE_PRED_STARTS_WITH: return ICE_PRED_NOT_STARTS_WITH;
    case ICE_PRED_NOT_STARTS_WITH: return ICE_PRED_STARTS_WITH;
    }
    return ICE_PRED_TRUE;
}

static const ice_expr *push_not(fl_arena *arena, const ice_expr *e, bool negate)
{
    if (e == NULL) return NULL;
    switch (e->kind) {
    case ICE_EXPR_TRUE: return negate ? &expr_false : e;
    case ICE_EXPR_FALSE: return negate ? &expr_true : e;
    case ICE_EXPR_NOT: return push_not(arena, e->left, !negate);
    case ICE_EXPR_AND:
    case ICE_EXPR_OR: {
        const ice_expr *a = push_not(arena, e->left, negate);
        const ice_expr *b = push_not(arena, e->right, negate);
        bool is_and = (e->kind == ICE_EXPR_AND) != negate;
        return is_and ? ice_expr_and(arena, a, b) : ice_expr_or(arena, a, b);
    }
    case ICE_EXPR_PRED:
        if (!negate) return e;
        return ice_expr_pred(arena, negate_op(e->pred.op), e->pred.field_id, e->type,
                             e->pred.values, e->pred.value_count);
    }
    return NULL;
}

const ice_expr *ice_expr_rewrite_not(fl_arena *arena, const ice_expr *e)
{
    return push_not(arena, e, false);
}

int ice_expr_format(fl_buf *out, const ice_expr *e)
{
    switch (e->kind) {
    case ICE_EXPR_TRUE: return fl_buf_append_str(out, "true");
    case ICE_EXPR_FALSE: return fl_buf_append_str(out, "false");
    case ICE_EXPR_NOT:
        FL_TRY(fl_buf_append_str(out, "not "));
        return ice_expr_format(out, e->left);
    case ICE_EXPR_AND:
    case ICE_EXPR_OR:
        FL_TRY(fl_buf_append_str(out, "("));
        FL_TRY(ice_expr_format(out, e->left));
        FL_TRY(fl_buf_append_str(out, e->kind == ICE_EXPR_AND ? " and " : " or "));
        FL_TRY(ice_expr_format(out, e->right));
        return fl_buf_append_str(out, ")");
    case ICE_EXPR_PRED:
        FL_TRY(fl_buf_appendf(out, "#%d %s", (int)e->pred.field_id, ice_pred_op_name(e->pred.op)));
        for (size_t i = 0; i < e->pred.value_count; i++) {
            char tmp[64];
            const fl_value *v = &e->pred.values[i];
            FL_TRY(fl_buf_append_str(out, i == 0 ? " " : ", "));
            if (v->is_null) FL_TRY(fl_buf_append_str(out, "null"));
            else if (fl_type_is_varlen(v->type)) {
                FL_TRY(fl_buf_append_byte(out, '\''));
                FL_TRY(fl_buf_append(out, v->v.s.ptr, v->v.s.len));
                FL_TRY(fl_buf_append_byte(out, '\''));
            } else if (v->type.id == FL_TYPE_FLOAT || v->type.id == FL_TYPE_DOUBLE) {
                snprintf(tmp, sizeof(tmp), "%.17g", v->v.f64);
                FL_TRY(fl_buf_append_str(out, tmp));
            } else if (v->type.id == FL_TYPE_DECIMAL) {
                char dec[64];
                fl_int128 u = fl_decimal_is_wide(v->type) ? v->v.i128 : (fl_int128)v->v.i64;
                fl_decimal_format(u, v->type.scale, dec);
                FL_TRY(fl_buf_append_str(out, dec));
            } else if (v->type.id == FL_TYPE_BOOL) {
                FL_TRY(fl_buf_append_str(out, v->v.b ? "true" : "false"));
            } else {
                FL_TRY(fl_buf_appendf(out, "%lld", (long long)v->v.i64));
            }
        }
        return 0;
    }
    return 0;
}

static size_t collect_ids(const ice_expr *e, int32_t *ids, size_t cap, size_t n)
{
    if (e->kind == ICE_EXPR_PRED) {
        for (size_t i = 0; i < n && i < cap; i++)
            if (ids[i] == e->pred.field_id) return n;
        if (n < cap) ids[n] = e->pred.field_id;
        return n + 1;
    }
    if (e->left) n = collect_ids(e->left, ids, cap, n);
    if (e->right) n = collect_ids(e->right, ids, cap, n);
    return n;
}

size_t ice_expr_field_ids(const ice_expr *e, int32_t *ids, size_t cap)
{
    return collect_ids(e, ids, cap, 0);
}

/* ---- comparing values ---- */

static bool is_float(const fl_value *v)
{
    return v->type.id == FL_TYPE_FLOAT || v->type.id == FL_TYPE_DOUBLE;
}

static bool is_int_like(const fl_value *v)
{
    switch ((fl_type_id)v->type.id) {
    case FL_TYPE_INT8: case FL_TYPE_INT16: case FL_TYPE_INT32: case FL_TYPE_INT64:
    case FL_TYPE_DATE: case FL_TYPE_TIME: case FL_TYPE_TIMESTAMP: case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS: case FL_TYPE_TIMESTAMPTZ_NS:
        return true;
    default:
        return false;
    }
}

static fl_int128 dec_unscaled(const fl_value *v)
{
    return fl_decimal_is_wide(v->type) ? v->v.i128 : (fl_int128)v->v.i64;
}

int ice_value_cmp_loose(const fl_value *a, const fl_value *b, bool *comparable)
{
    *comparable = true;
    if (is_float(a) || is_float(b)) {
        double x, y;
        if (is_float(a)) x = a->v.f64;
        else if (is_int_like(a)) x = (double)a->v.i64;
        else goto no;
        if (is_float(b)) y = b->v.f64;
        else if (is_int_like(b)) y = (double)b->v.i64;
        else goto no;
        if (isnan(x) || isnan(y)) goto no;
        return x < y ? -1 : x > y;
    }
    if (is_int_like(a) && is_int_like(b)) return a->v.i64 < b->v.i64 ? -1 : a->v.i64 > b->v.i64;
    if (a->type.id == FL_TYPE_DECIMAL && b->type.id == FL_TYPE_DECIMAL) {
        fl_int128 x = dec_unscaled(a), y = dec_unscaled(b);
        int sa = a->type.scale, sb = b->type.scale;
        if (sa < sb) x *= fl_pow10_i128(sb - sa);
        else if (sb < sa) y *= fl_pow10_i128(sa - sb);
        return x < y ? -1 : x > y;
    }
    if (fl_type_is_varlen(a->type) && fl_type_is_varlen(b->type))
        return fl_strv_cmp(a->v.s, b->v.s);
    if (a->type.id == FL_TYPE_BOOL && b->type.id == FL_TYPE_BOOL) return (int)a->v.b - (int)b->v.b;
    if (a->type.id == b->type.id) return fl_value_cmp(a, b);
no:
    *comparable = false;
    return 0;
}

/* ---- rows ---- */

static bool value_is_nan(const fl_value *v)
{
    return !v->is_null && is_float(v) && isnan(v->v.f64);
}

static bool starts_with(const fl_value *v, const fl_value *prefix)
{
    if (!fl_type_is_varlen(v->type) || !fl_type_is_varlen(prefix->type)) return false;
    return v->v.s.len >= prefix->v.s.len &&
           (prefix->v.s.len == 0 || memcmp(v->v.s.ptr, prefix->v.s.ptr, prefix->v.s.len) == 0);
}

static bool in_list(const ice_pred *pred, const fl_value *v)
{
    for (size_t i = 0; i < pred->value_count; i++) {
        bool ok;
        if (pred->values[i].is_null) continue;
        if (ice_value_cmp_loose(v, &pred->values[i], &ok) == 0 && ok) return true;
    }
    return false;
}

bool ice_pred_test(const ice_pred *pred, const fl_value *v)
{
    switch (pred->op) {
    case ICE_PRED_TRUE: return true;
    case ICE_PRED_FALSE: return false;
    case ICE_PRED_IS_NULL: return v->is_null;
    case ICE_PRED_NOT_NULL: return !v->is_null;
    case ICE_PRED_IS_NAN: return value_is_nan(v);
    case ICE_PRED_NOT_NAN: return !v->is_null && !value_is_nan(v);
    default: break;
    }
    if (v->is_null) return false;
    if (pred->op == ICE_PRED_IN) return in_list(pred, v);
    if (pred->op == ICE_PRED_NOT_IN) return !in_list(pred, v);
    if (pred->value_count < 1 || pred->values[0].is_null) return false;
    if (pred->op == ICE_PRED_STARTS_WITH) return starts_with(v, &pred->values[0]);
    if (pred->op == ICE_PRED_NOT_STARTS_WITH) return !starts_with(v, &pred->values[0]);
    bool ok;
    int c = ice_value_cmp_loose(v, &pred->values[0], &ok);
    if (!ok) return pred->op == ICE_PRED_NOT_EQ && value_is_nan(v);
    switch (pred->op) {
    case ICE_PRED_LT: return c < 0;
    case ICE_PRED_LT_EQ: return c <= 0;
    case ICE_PRED_GT: return c > 0;
    case ICE_PRED_GT_EQ: return c >= 0;
    case ICE_PRED_EQ: return c == 0;
    case ICE_PRED_NOT_EQ: return c != 0;
    default: return false;
    }
}

/* NOT is evaluated by negating the predicates below it (SQL semantics: a
 * comparison with NULL stays false under NOT). */
static int eval_rows(uint8_t *sel, const ice_expr *e, bool negate, fl_column *const *cols,
                     const int32_t *field_ids, size_t col_count, size_t rows, fl_error *err)
{
    switch (e->kind) {
    case ICE_EXPR_TRUE:
    case ICE_EXPR_FALSE:
        memset(sel, (e->kind == ICE_EXPR_TRUE) != negate, rows);
        return 0;
    case ICE_EXPR_NOT:
        return eval_rows(sel, e->left, !negate, cols, field_ids, col_count, rows, err);
    case ICE_EXPR_AND:
    case ICE_EXPR_OR: {
        FL_TRY(eval_rows(sel, e->left, negate, cols, field_ids, col_count, rows, err));
        uint8_t *tmp = fl_malloc(rows ? rows : 1);
        if (tmp == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        int rc = eval_rows(tmp, e->right, negate, cols, field_ids, col_count, rows, err);
        bool is_and = (e->kind == ICE_EXPR_AND) != negate;
        if (rc == 0) {
            for (size_t r = 0; r < rows; r++) sel[r] = is_and ? (sel[r] && tmp[r]) : (sel[r] || tmp[r]);
        }
        fl_free(tmp);
        return rc;
    }
    case ICE_EXPR_PRED: {
        const fl_column *col = NULL;
        for (size_t i = 0; i < col_count; i++)
            if (field_ids[i] == e->pred.field_id) col = cols[i];
        if (col == NULL)
            return fl_error_set(err, FLOE_EINVAL, "filter column with field id %d is not read",
                                (int)e->pred.field_id);
        if (fl_type_is_nested(col->type))
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "filter on nested column with field id %d is not supported",
                                (int)e->pred.field_id);
        ice_pred pred = e->pred;
        if (negate) pred.op = negate_op(pred.op);
        for (size_t r = 0; r < rows; r++) {
            fl_value v;
            if (col->type.id == FL_TYPE_NULL) {
                memset(&v, 0, sizeof(v));
                v.is_null = true;
            } else {
                fl_column_get(col, r, &v);
            }
            sel[r] = ice_pred_test(&pred, &v);
        }
        return 0;
    }
    }
    return 0;
}

int ice_expr_eval_rows(uint8_t *sel, const ice_expr *e, fl_column *const *cols,
                       const int32_t *field_ids, size_t col_count, size_t rows, fl_error *err)
{
    return eval_rows(sel, e, false, cols, field_ids, col_count, rows, err);
}

/* ---- partitions ---- */

static const ice_type *field_type(const ice_schema *schema, int32_t field_id)
{
    const ice_schema_entry *entry = ice_schema_find_id(schema, field_id);
    return entry ? entry->field->type : NULL;
}

static int eval_partition(bool *out, const ice_expr *e, const ice_partition_spec *spec,
                          const ice_schema *schema, const fl_value *values, fl_arena *scratch,
                          fl_error *err)
{
    switch (e->kind) {
    case ICE_EXPR_TRUE: *out = true; return 0;
    case ICE_EXPR_FALSE: *out = false; return 0;
    case ICE_EXPR_NOT:
        return fl_error_set(err, FLOE_EINTERNAL, "partition evaluation needs a NOT-free expression");
    case ICE_EXPR_AND:
    case ICE_EXPR_OR: {
        bool a, b;
        FL_TRY(eval_partition(&a, e->left, spec, schema, values, scratch, err));
        if (e->kind == ICE_EXPR_AND && !a) { *out = false; return 0; }
        if (e->kind == ICE_EXPR_OR && a) { *out = true; return 0; }
        FL_TRY(eval_partition(&b, e->right, spec, schema, values, scratch, err));
        *out = b;
        return 0;
    }
    case ICE_EXPR_PRED: {
        *out = true;
        const ice_type *source = e->type ? e->type : field_type(schema, e->pred.field_id);
        if (source == NULL) return 0;
        for (size_t i = 0; i < spec->field_count && *out; i++) {
            const ice_partition_field *pf = &spec->fields[i];
            if (pf->source_count != 1 || pf->source_id != e->pred.field_id) continue;
            ice_pred projected;
            FL_TRY(ice_project_inclusive(&projected, &e->pred, pf, source, scratch, err));
            if (projected.op == ICE_PRED_TRUE) continue;
            *out = ice_pred_test(&projected, &values[i]);
        }
        return 0;
    }
    }
    return 0;
}

int ice_expr_eval_partition(bool *out, const ice_expr *e, const ice_partition_spec *spec,
                            const ice_schema *schema, const fl_value *partition_values,
                            fl_arena *scratch, fl_error *err)
{
    return eval_partition(out, e, spec, schema, partition_values, scratch, err);
}

static int project_expr(const ice_expr **out, const ice_expr *e, const ice_partition_spec *spec,
                        const ice_schema *schema, fl_arena *arena, fl_error *err)
{
    switch (e->kind) {
    case ICE_EXPR_TRUE:
    case ICE_EXPR_FALSE: *out = e; return 0;
    case ICE_EXPR_NOT:
        return fl_error_set(err, FLOE_EINTERNAL, "projection needs a NOT-free expression");
    case ICE_EXPR_AND:
    case ICE_EXPR_OR: {
        const ice_expr *a, *b;
        FL_TRY(project_expr(&a, e->left, spec, schema, arena, err));
        FL_TRY(project_expr(&b, e->right, spec, schema, arena, err));
        *out = e->kind == ICE_EXPR_AND ? ice_expr_and(arena, a, b) : ice_expr_or(arena, a, b);
        return *out ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    case ICE_EXPR_PRED: {
        const ice_expr *acc = &expr_true;
        const ice_type *source = e->type ? e->type : field_type(schema, e->pred.field_id);
        for (size_t i = 0; source && i < spec->field_count; i++) {
            const ice_partition_field *pf = &spec->fields[i];
            if (pf->source_count != 1 || pf->source_id != e->pred.field_id) continue;
            ice_pred p;
            const ice_type *rt;
            FL_TRY(ice_project_inclusive(&p, &e->pred, pf, source, arena, err));
            if (ice_transform_result_type(&rt, &pf->transform, source, NULL) < 0) continue;
            const ice_expr *pe = ice_expr_pred(arena, p.op, p.field_id, rt, p.values, p.value_count);
            acc = ice_expr_and(arena, acc, pe);
            if (acc == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        *out = acc;
        return 0;
    }
    }
    return 0;
}

int ice_expr_project(const ice_expr **out, const ice_expr *e, const ice_partition_spec *spec,
                     const ice_schema *schema, fl_arena *arena, fl_error *err)
{
    return project_expr(out, e, spec, schema, arena, err);
}

/* ---- ranges (InclusiveMetricsEvaluator) ---- */

void ice_range_stats_unknown(ice_range_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->may_have_null = true;
    st->may_have_nan = true;
}

static bool usable_bound(bool has, const fl_value *b)
{
    return has && !b->is_null && !value_is_nan(b);
}

/* cmp(bound, v); false when they cannot be compared. */
static bool bound_cmp(const fl_value *bound, const fl_value *v, int *c)
{
    bool ok;
    *c = ice_value_cmp_loose(bound, v, &ok);
    return ok;
}

static int prefix_cmp(const fl_value *bound, const fl_value *prefix)
{
    size_t n = bound->v.s.len < prefix->v.s.len ? bound->v.s.len : prefix->v.s.len;
    return fl_strv_cmp(fl_strv_make(bound->v.s.ptr, n), prefix->v.s);
}

bool ice_pred_might_match(const ice_pred *pred, const ice_range_stats *st, int64_t row_count)
{
    if (row_count == 0) return false;
    switch (pred->op) {
    case ICE_PRED_TRUE: return true;
    case ICE_PRED_FALSE: return false;
    case ICE_PRED_IS_NULL: return st->may_have_null;
    case ICE_PRED_NOT_NULL: return !st->all_null;
    case ICE_PRED_IS_NAN: return st->may_have_nan && !st->all_null;
    case ICE_PRED_NOT_NAN: return !st->all_nan;
    case ICE_PRED_NOT_EQ:
    case ICE_PRED_NOT_IN:
    case ICE_PRED_NOT_STARTS_WITH: return !st->all_null;
    default: break;
    }
    if (st->all_null || st->all_nan) return false;
    bool lo = usable_bound(st->has_lower, &st->lower);
    bool hi = usable_bound(st->has_upper, &st->upper);
    if (pred->op == ICE_PRED_IN) {
        for (size_t i = 0; i < pred->value_count; i++) {
            const fl_value *v = &pred->values[i];
            int c;
            if (v->is_null) continue;
            if (lo && bound_cmp(&st->lower, v, &c) && c > 0) continue;
            if (hi && bound_cmp(&st->upper, v, &c) && c < 0) continue;
            return true;
        }
        return false;
    }
    if (pred->value_count < 1) return true;
    const fl_value *v = &pred->values[0];
    if (v->is_null) return false;
    if (pred->op == ICE_PRED_STARTS_WITH) {
        if (!fl_type_is_varlen(v->type)) return true;
        if (lo && fl_type_is_varlen(st->lower.type) && prefix_cmp(&st->lower, v) > 0) return false;
        if (hi && fl_type_is_varlen(st->upper.type) && prefix_cmp(&st->upper, v) < 0) return false;
        return true;
    }
    int c;
    switch (pred->op) {
    case ICE_PRED_LT: return !(lo && bound_cmp(&st->lower, v, &c) && c >= 0);
    case ICE_PRED_LT_EQ: return !(lo && bound_cmp(&st->lower, v, &c) && c > 0);
    case ICE_PRED_GT: return !(hi && bound_cmp(&st->upper, v, &c) && c <= 0);
    case ICE_PRED_GT_EQ: return !(hi && bound_cmp(&st->upper, v, &c) && c < 0);
    case ICE_PRED_EQ:
        if (lo && bound_cmp(&st->lower, v, &c) && c > 0) return false;
        if (hi && bound_cmp(&st->upper, v, &c) && c < 0) return false;
        return true;
    default: return true;
    }
}

static int eval_ranges(bool *out, const ice_expr *e, ice_stats_fn stats, void *ctx,
                       int64_t row_count, fl_error *err)
{
    switch (e->kind) {
    case ICE_EXPR_TRUE: *out = row_count != 0; return 0;
    case ICE_EXPR_FALSE: *out = false; return 0;
    case ICE_EXPR_NOT:
        return fl_error_set(err, FLOE_EINTERNAL, "range evaluation needs a NOT-free expression");
    case ICE_EXPR_AND:
    case ICE_EXPR_OR: {
        bool a, b;
        FL_TRY(eval_ranges(&a, e->left, stats, ctx, row_count, err));
        if (e->kind == ICE_EXPR_AND && !a) { *out = false; return 0; }
        if (e->kind == ICE_EXPR_OR && a) { *out = true; return 0; }
        FL_TRY(eval_ranges(&b, e->right, stats, ctx, row_count, err));
        *out = b;
        return 0;
    }
    case ICE_EXPR_PRED: {
        ice_range_stats st;
        ice_range_stats_unknown(&st);
        FL_TRY(stats(ctx, e->pred.field_id, e->type, &st, err));
        *out = ice_pred_might_match(&e->pred, &st, row_count);
        return 0;
    }
    }
    return 0;
}

int ice_expr_eval_ranges(bool *out, const ice_expr *e, ice_stats_fn stats, void *ctx,
                         int64_t row_count, fl_error *err)
{
    return eval_ranges(out, e, stats, ctx, row_count, err);
}
