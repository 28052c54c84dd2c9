/*
 * ice_projection.c: inclusive and strict projection of column predicates
 * through partition transforms (rules in ice_projection.h).
 */
#include "ice_projection.h"

#include <string.h>

#include "../base/decimal.h"

typedef struct proj {
    const ice_partition_field *pf;
    const ice_type *source;
    fl_arena *arena;
    fl_error *err;
    ice_pred *out;
} proj;

const char *ice_pred_op_name(ice_pred_op op)
{
    static const char *const names[] = {
        "true", "false", "isNull", "notNull", "isNaN", "notNaN", "<", "<=", ">", ">=", "=", "!=",
        "in", "notIn", "startsWith", "notStartsWith",
    };
    return (unsigned)op < FL_ARRAY_SIZE(names) ? names[op] : "?";
}

static int constant(proj *p, ice_pred_op op)
{
    memset(p->out, 0, sizeof(*p->out));
    p->out->op = op;
    p->out->field_id = p->pf->field_id;
    return 0;
}

/* Sets out to `op` over `n` values, allocating the value array. */
static fl_value *result(proj *p, ice_pred_op op, size_t n)
{
    fl_value *v = fl_arena_calloc(p->arena, (n ? n : 1) * sizeof(fl_value));
    if (v == NULL) {
        fl_error_set(p->err, FLOE_ENOMEM, "out of memory");
        return NULL;
    }
    p->out->op = op;
    p->out->field_id = p->pf->field_id;
    p->out->values = v;
    p->out->value_count = n;
    return v;
}

static int transform_to(proj *p, ice_pred_op op, const fl_value *in, size_t n)
{
    fl_value *v = result(p, op, n);
    if (v == NULL) return FLOE_ENOMEM;
    for (size_t i = 0; i < n; i++) FL_TRY(ice_transform_apply(&v[i], &p->pf->transform, p->source, &in[i], p->err));
    return 0;
}

/* in + delta (±1) in the source domain; false on overflow. */
static bool step(fl_value *out, const fl_value *in, int delta, const ice_type *t)
{
    *out = *in;
    if (t->id == ICE_TYPE_DECIMAL) {
        fl_int128 v = (t->precision <= 18 ? (fl_int128)in->v.i64 : in->v.i128) + delta;
        if (!fl_decimal_fits(v, t->precision)) return false;
        if (t->precision <= 18) out->v.i64 = (int64_t)v;
        else out->v.i128 = v;
        return true;
    }
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (t->id == ICE_TYPE_INT || t->id == ICE_TYPE_DATE) {
        lo = INT32_MIN;
        hi = INT32_MAX;
    }
    if ((delta < 0 && in->v.i64 <= lo) || (delta > 0 && in->v.i64 >= hi)) return false;
    out->v.i64 = in->v.i64 + delta;
    return true;
}

static bool is_time_transform(const ice_transform *t)
{
    return t->kind == ICE_TRANSFORM_YEAR || t->kind == ICE_TRANSFORM_MONTH ||
           t->kind == ICE_TRANSFORM_DAY || t->kind == ICE_TRANSFORM_HOUR;
}

/* Adds value+1 next to every negative value (Java's fix for old writers). */
static int widen_negatives(proj *p, ice_pred_op op)
{
    size_t neg = 0, n = p->out->value_count;
    for (size_t i = 0; i < n; i++) neg += p->out->values[i].v.i64 < 0;
    if (neg == 0) return 0;
    const fl_value *old = p->out->values;
    fl_value *v = result(p, op, n + neg);
    if (v == NULL) return FLOE_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        v[k++] = old[i];
        if (old[i].v.i64 < 0) {
            v[k] = old[i];
            v[k++].v.i64++;
        }
    }
    return 0;
}

static int fix_inclusive_time(proj *p)
{
    fl_value *v = (fl_value *)p->out->values;
    switch (p->out->op) {
    case ICE_PRED_LT:
    case ICE_PRED_LT_EQ:
        if (v[0].v.i64 < 0) v[0].v.i64++;
        return 0;
    case ICE_PRED_EQ: return widen_negatives(p, ICE_PRED_IN);
    case ICE_PRED_IN: return widen_negatives(p, ICE_PRED_IN);
    default: return 0;
    }
}

static int fix_strict_time(proj *p)
{
    fl_value *v = (fl_value *)p->out->values;
    switch (p->out->op) {
    case ICE_PRED_GT:
    case ICE_PRED_GT_EQ:
        if (v[0].v.i64 <= 0) v[0].v.i64++;
        return 0;
    case ICE_PRED_NOT_EQ: return widen_negatives(p, ICE_PRED_NOT_IN);
    case ICE_PRED_NOT_IN: return widen_negatives(p, ICE_PRED_NOT_IN);
    default: return 0;
    }
}

/* Order-preserving transforms over numbers, dates and timestamps. */
static int ordered_numeric(proj *p, const ice_pred *pred, bool strict)
{
    const fl_value *v = pred->values;
    fl_value adj;
    int rc;
    if (!strict) {
        switch (pred->op) {
        case ICE_PRED_LT:
            rc = step(&adj, v, -1, p->source) ? transform_to(p, ICE_PRED_LT_EQ, &adj, 1)
                                               : transform_to(p, ICE_PRED_LT_EQ, v, 1);
            break;
        case ICE_PRED_LT_EQ: rc = transform_to(p, ICE_PRED_LT_EQ, v, 1); break;
        case ICE_PRED_GT:
            rc = step(&adj, v, 1, p->source) ? transform_to(p, ICE_PRED_GT_EQ, &adj, 1)
                                              : transform_to(p, ICE_PRED_GT_EQ, v, 1);
            break;
        case ICE_PRED_GT_EQ: rc = transform_to(p, ICE_PRED_GT_EQ, v, 1); break;
        case ICE_PRED_EQ: rc = transform_to(p, ICE_PRED_EQ, v, 1); break;
        case ICE_PRED_IN: rc = transform_to(p, ICE_PRED_IN, v, pred->value_count); break;
        default: return constant(p, ICE_PRED_TRUE);
        }
        if (rc == 0 && is_time_transform(&p->pf->transform)) rc = fix_inclusive_time(p);
        return rc;
    }
    switch (pred->op) {
    case ICE_PRED_LT: rc = transform_to(p, ICE_PRED_LT, v, 1); break;
    case ICE_PRED_LT_EQ:
        if (!step(&adj, v, 1, p->source)) return constant(p, ICE_PRED_FALSE);
        rc = transform_to(p, ICE_PRED_LT, &adj, 1);
        break;
    case ICE_PRED_GT: rc = transform_to(p, ICE_PRED_GT, v, 1); break;
    case ICE_PRED_GT_EQ:
        if (!step(&adj, v, -1, p->source)) return constant(p, ICE_PRED_FALSE);
        rc = transform_to(p, ICE_PRED_GT, &adj, 1);
        break;
    case ICE_PRED_NOT_EQ: rc = transform_to(p, ICE_PRED_NOT_EQ, v, 1); break;
    case ICE_PRED_NOT_IN: rc = transform_to(p, ICE_PRED_NOT_IN, v, pred->value_count); break;
    default: return constant(p, ICE_PRED_FALSE);
    }
    if (rc == 0 && is_time_transform(&p->pf->transform)) rc = fix_strict_time(p);
    return rc;
}

/* Length of a string in code points, of a binary in bytes. */
static int64_t value_length(const ice_type *t, fl_strv s)
{
    if (t->id != ICE_TYPE_STRING) return s.len;
    int64_t n = 0;
    for (uint32_t i = 0; i < s.len; i++) n += ((uint8_t)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

/* truncate[W] over strings and binaries. */
static int truncate_bytes(proj *p, const ice_pred *pred, bool strict)
{
    const fl_value *v = pred->values;
    int64_t width = p->pf->transform.param;
    switch (pred->op) {
    case ICE_PRED_LT:
    case ICE_PRED_LT_EQ: return transform_to(p, strict ? ICE_PRED_LT : ICE_PRED_LT_EQ, v, 1);
    case ICE_PRED_GT:
    case ICE_PRED_GT_EQ: return transform_to(p, strict ? ICE_PRED_GT : ICE_PRED_GT_EQ, v, 1);
    case ICE_PRED_EQ:
        return strict ? constant(p, ICE_PRED_FALSE) : transform_to(p, ICE_PRED_EQ, v, 1);
    case ICE_PRED_IN:
        return strict ? constant(p, ICE_PRED_FALSE) : transform_to(p, ICE_PRED_IN, v, pred->value_count);
    case ICE_PRED_NOT_EQ:
        return strict ? transform_to(p, ICE_PRED_NOT_EQ, v, 1) : constant(p, ICE_PRED_TRUE);
    case ICE_PRED_NOT_IN:
        return strict ? transform_to(p, ICE_PRED_NOT_IN, v, pred->value_count) : constant(p, ICE_PRED_TRUE);
    case ICE_PRED_STARTS_WITH: {
        int64_t len = value_length(p->source, v->v.s);
        if (strict) {
            if (len > width) return constant(p, ICE_PRED_FALSE);
            return transform_to(p, ICE_PRED_STARTS_WITH, v, 1);
        }
        return transform_to(p, len >= width ? ICE_PRED_EQ : ICE_PRED_STARTS_WITH, v, 1);
    }
    case ICE_PRED_NOT_STARTS_WITH: {
        int64_t len = value_length(p->source, v->v.s);
        if (strict) return transform_to(p, ICE_PRED_NOT_STARTS_WITH, v, 1);
        if (len < width) return transform_to(p, ICE_PRED_NOT_STARTS_WITH, v, 1);
        if (len == width) return transform_to(p, ICE_PRED_NOT_EQ, v, 1);
        return constant(p, ICE_PRED_TRUE);
    }
    default: return constant(p, strict ? ICE_PRED_FALSE : ICE_PRED_TRUE);
    }
}

static int project(ice_pred *out, const ice_pred *pred, const ice_partition_field *pf,
                   const ice_type *source, fl_arena *arena, fl_error *err, bool strict)
{
    proj p = {pf, source, arena, err, out};
    ice_pred_op none = strict ? ICE_PRED_FALSE : ICE_PRED_TRUE;
    const ice_transform *t = &pf->transform;
    memset(out, 0, sizeof(*out));
    if (t->kind == ICE_TRANSFORM_VOID || t->kind == ICE_TRANSFORM_UNKNOWN ||
        !ice_transform_can_apply(t, source))
        return constant(&p, none);
    switch (pred->op) {
    case ICE_PRED_TRUE:
    case ICE_PRED_FALSE: return constant(&p, pred->op);
    case ICE_PRED_IS_NULL:
    case ICE_PRED_NOT_NULL: return constant(&p, pred->op);
    case ICE_PRED_IS_NAN:
    case ICE_PRED_NOT_NAN:
        return constant(&p, t->kind == ICE_TRANSFORM_IDENTITY ? pred->op : none);
    default: break;
    }
    if (pred->value_count == 0 || pred->values == NULL)
        return fl_error_set(err, FLOE_EINVAL, "predicate %s needs a value", ice_pred_op_name(pred->op));
    if ((pred->op != ICE_PRED_IN && pred->op != ICE_PRED_NOT_IN) && pred->value_count != 1)
        return fl_error_set(err, FLOE_EINVAL, "predicate %s takes one value", ice_pred_op_name(pred->op));
    for (size_t i = 0; i < pred->value_count; i++)
        if (pred->values[i].is_null)
            return fl_error_set(err, FLOE_EINVAL, "predicate %s cannot compare with null",
                                ice_pred_op_name(pred->op));
    if ((pred->op == ICE_PRED_STARTS_WITH || pred->op == ICE_PRED_NOT_STARTS_WITH) &&
        source->id != ICE_TYPE_STRING)
        return fl_error_set(err, FLOE_EINVAL, "%s applies only to strings", ice_pred_op_name(pred->op));
    switch (t->kind) {
    case ICE_TRANSFORM_IDENTITY: {
        fl_value *v = result(&p, pred->op, pred->value_count);
        if (v == NULL) return FLOE_ENOMEM;
        memcpy(v, pred->values, pred->value_count * sizeof(fl_value));
        return 0;
    }
    case ICE_TRANSFORM_BUCKET:
        if (!strict && (pred->op == ICE_PRED_EQ || pred->op == ICE_PRED_IN))
            return transform_to(&p, pred->op, pred->values, pred->value_count);
        if (strict && (pred->op == ICE_PRED_NOT_EQ || pred->op == ICE_PRED_NOT_IN))
            return transform_to(&p, pred->op, pred->values, pred->value_count);
        return constant(&p, none);
    case ICE_TRANSFORM_TRUNCATE:
        if (source->id == ICE_TYPE_STRING || source->id == ICE_TYPE_BINARY)
            return truncate_bytes(&p, pred, strict);
        return ordered_numeric(&p, pred, strict);
    default:
        if (pred->op == ICE_PRED_STARTS_WITH || pred->op == ICE_PRED_NOT_STARTS_WITH)
            return constant(&p, none);
        return ordered_numeric(&p, pred, strict);
    }
}

int ice_project_inclusive(ice_pred *out, const ice_pred *pred, const ice_partition_field *pf,
                          const ice_type *source, fl_arena *arena, fl_error *err)
{
    return project(out, pred, pf, source, arena, err, false);
}

int ice_project_strict(ice_pred *out, const ice_pred *pred, const ice_partition_field *pf,
                       const ice_type *source, fl_arena *arena, fl_error *err)
{
    return project(out, pred, pf, source, arena, err, true);
}
