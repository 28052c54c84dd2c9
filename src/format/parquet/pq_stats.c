/*
 * pq_stats.c: column chunk statistics as typed values, and row-group
 * skipping with simple predicates.
 *
 * min_value/max_value (written under a TypeDefinedOrder) are preferred. The
 * deprecated min/max were computed with signed comparison of the physical
 * value, so they are used only where that order is the type's order:
 * booleans, signed integers (and what is stored in them: dates, times,
 * timestamps, int-backed decimals), FLOAT and DOUBLE. Never for strings,
 * binary, unsigned integers, decimals on byte arrays, FLOAT16 or INT96.
 * Floating bounds follow PARQUET-1222: a NaN bound is ignored, a +0 min is
 * widened to -0 and a -0 max to +0.
 */
#include "pq_read_int.h"

#include <math.h>
#include <string.h>

#include "../../base/decimal.h"

static bool deprecated_order_ok(const pq_field *f)
{
    switch (f->physical_type) {
    case PQ_BOOLEAN: case PQ_FLOAT: case PQ_DOUBLE: return true;
    case PQ_INT32: case PQ_INT64:
        return f->type.id != FL_TYPE_UINT8 && f->type.id != FL_TYPE_UINT16 &&
               f->type.id != FL_TYPE_UINT32 && f->type.id != FL_TYPE_UINT64;
    default: return false;
    }
}

static int time_unit_of(const pq_field *f)
{
    const pq_schema_element *el = f->element;
    if (el->logical.kind == PQ_LT_TIME || el->logical.kind == PQ_LT_TIMESTAMP) return el->logical.unit;
    if (el->converted_type == PQ_CT_TIME_MILLIS || el->converted_type == PQ_CT_TIMESTAMP_MILLIS)
        return PQ_UNIT_MILLIS;
    return PQ_UNIT_MICROS;
}

/* Decodes one statistics bound; false when it is unusable. Strings are borrowed. */
static bool decode_bound(const pq_field *f, fl_strv b, bool is_min, fl_value *v)
{
    memset(v, 0, sizeof *v);
    v->type = f->type;
    const uint8_t *p = (const uint8_t *)b.ptr;
    int id = f->type.id;
    switch (f->physical_type) {
    case PQ_BOOLEAN:
        if (b.len < 1 || id != FL_TYPE_BOOL) return false;
        v->v.b = p[0] != 0;
        return true;
    case PQ_INT32: {
        if (b.len != 4) return false;
        int32_t x = (int32_t)fl_load_u32le(p);
        switch (id) {
        case FL_TYPE_UINT8: v->v.u64 = (uint8_t)x; return true;
        case FL_TYPE_UINT16: v->v.u64 = (uint16_t)x; return true;
        case FL_TYPE_UINT32: v->v.u64 = (uint32_t)x; return true;
        case FL_TYPE_TIME: v->v.i64 = (int64_t)x * 1000; return true;
        case FL_TYPE_DECIMAL:
            if (fl_decimal_is_wide(f->type)) v->v.i128 = x;
            else v->v.i64 = x;
            return true;
        case FL_TYPE_INT8: case FL_TYPE_INT16: case FL_TYPE_INT32: case FL_TYPE_DATE:
            v->v.i64 = x;
            return true;
        default: return false;
        }
    }
    case PQ_INT64: {
        if (b.len != 8) return false;
        int64_t x = (int64_t)fl_load_u64le(p);
        switch (id) {
        case FL_TYPE_UINT64: v->v.u64 = (uint64_t)x; return true;
        case FL_TYPE_DECIMAL:
            if (fl_decimal_is_wide(f->type)) v->v.i128 = x;
            else v->v.i64 = x;
            return true;
        case FL_TYPE_TIME: case FL_TYPE_TIMESTAMP: case FL_TYPE_TIMESTAMPTZ: {
            int unit = time_unit_of(f);
            if (unit == PQ_UNIT_MILLIS) {
                if (x > INT64_MAX / 1000 || x < INT64_MIN / 1000) return false;
                x *= 1000;
            } else if (unit == PQ_UNIT_NANOS) {
                /* floor for the min, ceiling for the max keeps the bound valid */
                int64_t q = x / 1000, r = x % 1000;
                if (is_min && r < 0) q--;
                if (!is_min && r > 0) q++;
                x = q;
            }
            v->v.i64 = x;
            return true;
        }
        case FL_TYPE_INT64: case FL_TYPE_TIMESTAMP_NS: case FL_TYPE_TIMESTAMPTZ_NS:
            v->v.i64 = x;
            return true;
        default: return false;
        }
    }
    case PQ_FLOAT:
    case PQ_DOUBLE: {
        double d;
        if (f->physical_type == PQ_FLOAT) {
            if (b.len != 4) return false;
            float x;
            memcpy(&x, p, 4);
            d = x;
        } else {
            if (b.len != 8) return false;
            memcpy(&d, p, 8);
        }
        if (isnan(d)) return false;
        if (d == 0) d = is_min ? -0.0 : 0.0;
        v->v.f64 = d;
        return true;
    }
    case PQ_BYTE_ARRAY:
    case PQ_FIXED_LEN_BYTE_ARRAY:
        if (id == FL_TYPE_DECIMAL) {
            fl_int128 x = 0;
            if (b.len > 16 || (b.len && !fl_decimal_from_be_bytes(p, b.len, &x))) return false;
            if (fl_decimal_is_wide(f->type)) v->v.i128 = x;
            else v->v.i64 = (int64_t)x;
            return true;
        }
        if (id == FL_TYPE_FLOAT) {
            if (b.len != 2) return false;
            double d = pq_half_to_float(fl_load_u16le(p));
            if (isnan(d)) return false;
            if (d == 0) d = is_min ? -0.0 : 0.0;
            v->v.f64 = d;
            return true;
        }
        if (id == FL_TYPE_STRING || id == FL_TYPE_BINARY || id == FL_TYPE_FIXED || id == FL_TYPE_UUID) {
            if ((id == FL_TYPE_FIXED || id == FL_TYPE_UUID) && b.len != (uint32_t)f->type_length)
                return false;
            v->v.s = b;
            return true;
        }
        return false;
    default:
        return false;   /* INT96: no defined order */
    }
}

static const pq_field *stats_field(const pq_file *file, int row_group, int column,
                                   const pq_column_meta **cm)
{
    if (row_group < 0 || row_group >= file->meta->n_row_groups) return NULL;
    if (column < 0 || (uint32_t)column >= file->root->n_children) return NULL;
    const pq_field *f = &file->root->children[column];
    if (f->n_children || f->leaf_index < 0) return NULL;
    const pq_row_group *g = &file->meta->row_groups[row_group];
    if (f->leaf_index >= g->n_columns || !g->columns[f->leaf_index].has_meta) return NULL;
    *cm = &g->columns[f->leaf_index].meta;
    return f;
}

static void stats_decode(const pq_field *f, const pq_column_meta *cm, pq_chunk_stats *out)
{
    memset(out, 0, sizeof *out);
    out->min.is_null = out->max.is_null = true;
    out->min.type = out->max.type = f->type;
    out->null_count = -1;
    if (!cm->has_stats) return;
    const pq_statistics *s = &cm->stats;
    if (s->has_null_count && s->null_count >= 0) out->null_count = s->null_count;
    bool have_new = s->has_min_value || s->has_max_value;
    if (have_new) {
        if (s->has_min_value && decode_bound(f, s->min_value, true, &out->min)) out->min.is_null = false;
        else out->min.is_null = true;
        if (s->has_max_value && decode_bound(f, s->max_value, false, &out->max)) out->max.is_null = false;
        else out->max.is_null = true;
    } else if (deprecated_order_ok(f)) {
        if (s->has_min && decode_bound(f, s->min, true, &out->min)) out->min.is_null = false;
        else out->min.is_null = true;
        if (s->has_max && decode_bound(f, s->max, false, &out->max)) out->max.is_null = false;
        else out->max.is_null = true;
    }
    out->min.type = out->max.type = f->type;
}

int pq_chunk_stats_get(const pq_file *file, int row_group, int column, pq_chunk_stats *out,
                       fl_arena *arena, fl_error *err)
{
    const pq_column_meta *cm = NULL;
    const pq_field *f = stats_field(file, row_group, column, &cm);
    if (!f) {
        if (row_group < 0 || row_group >= file->meta->n_row_groups || column < 0 ||
            (uint32_t)column >= file->root->n_children)
            return fl_error_set(err, FLOE_EINVAL, "no column %d in row group %d of \"%s\"", column,
                                row_group, file->location);
        memset(out, 0, sizeof *out);
        out->min.is_null = out->max.is_null = true;
        out->null_count = -1;
        return 0;   /* nested column: no chunk statistics */
    }
    stats_decode(f, cm, out);
    fl_value *vs[2] = {&out->min, &out->max};
    for (int i = 0; i < 2; i++) {
        if (vs[i]->is_null || !fl_type_is_varlen(f->type) || vs[i]->v.s.len == 0) continue;
        char *copy = fl_arena_memdup(arena, vs[i]->v.s.ptr, vs[i]->v.s.len);
        if (!copy) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        vs[i]->v.s.ptr = copy;
    }
    return 0;
}

static bool comparable(const fl_value *a, fl_type t)
{
    if (a->type.id != t.id) return false;
    if (t.id == FL_TYPE_DECIMAL && (a->type.scale != t.scale || (a->type.precision > 18) != (t.precision > 18)))
        return false;
    if ((t.id == FL_TYPE_FLOAT || t.id == FL_TYPE_DOUBLE) && isnan(a->v.f64)) return false;
    return true;
}

bool pq_row_group_may_match(const pq_file *file, int row_group, const pq_predicate *preds, int n_preds)
{
    if (row_group < 0 || row_group >= file->meta->n_row_groups) return true;
    int64_t num_rows = file->meta->row_groups[row_group].num_rows;
    for (int i = 0; i < n_preds; i++) {
        const pq_predicate *p = &preds[i];
        const pq_column_meta *cm = NULL;
        const pq_field *f = stats_field(file, row_group, p->column, &cm);
        if (!f) continue;
        pq_chunk_stats st;
        stats_decode(f, cm, &st);
        if (p->op == PQ_PRED_IS_NULL) {
            if (st.null_count == 0) return false;
            continue;
        }
        bool all_null = st.null_count >= 0 && st.null_count == num_rows && num_rows > 0;
        if (p->op == PQ_PRED_NOT_NULL) {
            if (all_null) return false;
            continue;
        }
        if (p->value.is_null || !comparable(&p->value, f->type)) continue;
        if (all_null) return false;   /* a comparison is never true for NULL */
        const fl_value *v = &p->value;
        bool has_min = !st.min.is_null, has_max = !st.max.is_null;
        switch (p->op) {
        case PQ_PRED_EQ:
            if (has_min && fl_value_cmp(v, &st.min) < 0) return false;
            if (has_max && fl_value_cmp(v, &st.max) > 0) return false;
            break;
        case PQ_PRED_LT:
            if (has_min && fl_value_cmp(&st.min, v) >= 0) return false;
            break;
        case PQ_PRED_LE:
            if (has_min && fl_value_cmp(&st.min, v) > 0) return false;
            break;
        case PQ_PRED_GT:
            if (has_max && fl_value_cmp(&st.max, v) <= 0) return false;
            break;
        case PQ_PRED_GE:
            if (has_max && fl_value_cmp(&st.max, v) < 0) return false;
            break;
        default:
            break;
        }
    }
    return true;
}
