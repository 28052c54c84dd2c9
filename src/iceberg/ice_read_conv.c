/*
 * ice_read_conv.c: the column work behind ice_read: converting a file
 * column to the table schema's type (Iceberg's allowed promotions plus the
 * relabellings Parquet writers make necessary), constant columns (identity
 * partition values, initial defaults, NULL), copying selected rows into
 * the caller's arena (deep: strings and nested children), and the
 * canonical key bytes equality deletes are hashed on.
 */
#include "ice_read_int.h"

#include <math.h>
#include <string.h>

#include "../base/decimal.h"

static bool int_family(uint8_t id)
{
    return id == FL_TYPE_INT8 || id == FL_TYPE_INT16 || id == FL_TYPE_INT32 || id == FL_TYPE_INT64 ||
           id == FL_TYPE_UINT8 || id == FL_TYPE_UINT16 || id == FL_TYPE_UINT32;
}

static bool ts_family(uint8_t id)
{
    return id == FL_TYPE_TIMESTAMP || id == FL_TYPE_TIMESTAMPTZ;
}

static bool ts_ns_family(uint8_t id)
{
    return id == FL_TYPE_TIMESTAMP_NS || id == FL_TYPE_TIMESTAMPTZ_NS;
}

static bool str_family(uint8_t id)
{
    return id == FL_TYPE_STRING || id == FL_TYPE_BINARY || id == FL_TYPE_FIXED || id == FL_TYPE_UUID;
}

bool ice_read_fl_type(fl_type *out, const ice_type *t)
{
    if (t->id == ICE_TYPE_VARIANT) {
        *out = fl_type_make(FL_TYPE_STRING);
        return true;
    }
    return ice_type_to_fl(out, t, NULL) == 0;
}

int ice_read_convert_value(fl_value *v, fl_type target, fl_error *err)
{
    if (v->is_null || fl_type_eq(v->type, target)) {
        v->type = target;
        return 0;
    }
    uint8_t from = v->type.id, to = target.id;
    if (int_family(from) && int_family(to)) {
        if (from >= FL_TYPE_UINT8 && from <= FL_TYPE_UINT32) v->v.i64 = (int64_t)v->v.u64;
    } else if ((from == FL_TYPE_FLOAT || from == FL_TYPE_DOUBLE) && (to == FL_TYPE_FLOAT || to == FL_TYPE_DOUBLE)) {
        /* f64 holds both */
    } else if (int_family(from) && (to == FL_TYPE_DOUBLE || to == FL_TYPE_FLOAT)) {
        v->v.f64 = (double)v->v.i64;
    } else if ((from == FL_TYPE_DECIMAL || int_family(from)) && to == FL_TYPE_DECIMAL) {
        fl_int128 x = from == FL_TYPE_DECIMAL ? (fl_decimal_is_wide(v->type) ? v->v.i128 : (fl_int128)v->v.i64)
                                              : (fl_int128)v->v.i64;
        int scale = from == FL_TYPE_DECIMAL ? v->type.scale : 0;
        if (fl_decimal_rescale(x, scale, target.scale, target.precision, &x) < 0)
            return fl_error_set(err, FLOE_ERANGE, "decimal value does not fit decimal(%d,%d)",
                                target.precision, target.scale);
        if (fl_decimal_is_wide(target)) v->v.i128 = x;
        else v->v.i64 = (int64_t)x;
    } else if ((ts_family(from) && ts_family(to)) || (ts_ns_family(from) && ts_ns_family(to)) ||
               (str_family(from) && str_family(to)) ||
               (from == FL_TYPE_INT64 && (ts_family(to) || to == FL_TYPE_TIME)) ||
               (from == FL_TYPE_INT32 && to == FL_TYPE_DATE)) {
        /* same representation */
    } else if (ts_ns_family(from) && ts_family(to)) {
        v->v.i64 = v->v.i64 >= 0 ? v->v.i64 / 1000 : -((-v->v.i64 + 999) / 1000);
    } else if (ts_family(from) && ts_ns_family(to)) {
        v->v.i64 *= 1000;
    } else {
        char a[48], b[48];
        fl_type_format(v->type, a, sizeof(a));
        fl_type_format(target, b, sizeof(b));
        return fl_error_set(err, FLOE_ETYPE, "cannot read a value of type %s as %s", a, b);
    }
    v->type = target;
    return 0;
}

/* Stores a converted value into row r of a flat column. */
static void put_value(fl_column *col, size_t r, const fl_value *v)
{
    if (v->is_null) {
        fl_column_set_null(col, r);
        return;
    }
    void *d = col->data;
    switch ((fl_type_id)col->type.id) {
    case FL_TYPE_BOOL: ((uint8_t *)d)[r] = v->v.b; break;
    case FL_TYPE_INT8: ((int8_t *)d)[r] = (int8_t)v->v.i64; break;
    case FL_TYPE_INT16: ((int16_t *)d)[r] = (int16_t)v->v.i64; break;
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: ((int32_t *)d)[r] = (int32_t)v->v.i64; break;
    case FL_TYPE_UINT8: ((uint8_t *)d)[r] = (uint8_t)v->v.u64; break;
    case FL_TYPE_UINT16: ((uint16_t *)d)[r] = (uint16_t)v->v.u64; break;
    case FL_TYPE_UINT32: ((uint32_t *)d)[r] = (uint32_t)v->v.u64; break;
    case FL_TYPE_UINT64: ((uint64_t *)d)[r] = v->v.u64; break;
    case FL_TYPE_FLOAT: ((float *)d)[r] = (float)v->v.f64; break;
    case FL_TYPE_DOUBLE: ((double *)d)[r] = v->v.f64; break;
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(col->type)) ((fl_int128 *)d)[r] = v->v.i128;
        else ((int64_t *)d)[r] = v->v.i64;
        break;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: ((fl_strv *)d)[r] = v->v.s; break;
    default: ((int64_t *)d)[r] = v->v.i64; break;
    }
}

int ice_read_null_column(fl_column **out, const ice_type *t, fl_type ft, size_t rows,
                         fl_arena *arena, fl_error *err)
{
    fl_column *col = fl_column_new(arena, ft, rows);
    if (col == NULL || fl_column_ensure_validity(col) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    col->len = rows;
    memset(col->validity, 0, (col->cap + 7) / 8);
    if (col->offsets) memset(col->offsets, 0, (rows + 1) * sizeof(int64_t));
    if (t && t->id == ICE_TYPE_STRUCT) {
        for (size_t i = 0; i < t->field_count; i++) {
            fl_type ct;
            fl_column *child;
            if (!ice_read_fl_type(&ct, t->fields[i].type)) ct = fl_type_make(FL_TYPE_NULL);
            FL_TRY(ice_read_null_column(&child, t->fields[i].type, ct, rows, arena, err));
            child->name = t->fields[i].name;
            if (fl_column_add_child(col, child) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
    } else if (t && (t->id == ICE_TYPE_LIST || t->id == ICE_TYPE_MAP)) {
        for (size_t i = 0; i < t->field_count; i++) {
            fl_type ct;
            fl_column *child;
            if (!ice_read_fl_type(&ct, t->fields[i].type)) ct = fl_type_make(FL_TYPE_NULL);
            FL_TRY(ice_read_null_column(&child, t->fields[i].type, ct, 0, arena, err));
            if (fl_column_add_child(col, child) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
    }
    *out = col;
    return 0;
}

int ice_read_const_column(fl_column **out, const ice_type *t, fl_type ft, const fl_value *v,
                          size_t rows, fl_arena *arena, fl_error *err)
{
    if (v == NULL || v->is_null || fl_type_is_nested(ft) || ft.id == FL_TYPE_NULL)
        return ice_read_null_column(out, t, ft, rows, arena, err);
    fl_value cv = *v;
    FL_TRY(ice_read_convert_value(&cv, ft, err));
    fl_column *col = fl_column_new(arena, ft, rows);
    if (col == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (fl_type_is_varlen(ft) &&
        fl_column_copy_str(col, cv.v.s.ptr, cv.v.s.len, &cv.v.s) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t r = 0; r < rows; r++) put_value(col, r, &cv);
    col->len = rows;
    *out = col;
    return 0;
}

int ice_read_convert_column(fl_column **out, fl_column *src, fl_type target, fl_arena *arena,
                            fl_error *err)
{
    if (fl_type_eq(src->type, target) || fl_type_is_nested(src->type) || fl_type_is_nested(target)) {
        *out = src;
        return 0;
    }
    if (src->type.id == FL_TYPE_NULL) return ice_read_null_column(out, NULL, target, src->len, arena, err);
    fl_column *col = fl_column_new(arena, target, src->len);
    if (col == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t r = 0; r < src->len; r++) {
        fl_value v;
        fl_column_get(src, r, &v);
        FL_TRY(ice_read_convert_value(&v, target, err));
        put_value(col, r, &v);
    }
    col->len = src->len;
    col->name = src->name;
    *out = col;
    return 0;
}

/* ---- copying selected rows ---- */

static int take_rows(fl_column **out, const fl_column *src, const uint32_t *idx, size_t n,
                     fl_arena *arena, fl_error *err);

static int take_list(fl_column *col, const fl_column *src, const uint32_t *idx, size_t n,
                     fl_arena *arena, fl_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += (size_t)(src->offsets[idx[i] + 1] - src->offsets[idx[i]]);
    uint32_t *child_idx = fl_arena_alloc(arena, (total ? total : 1) * sizeof(uint32_t));
    if (child_idx == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    size_t k = 0;
    col->offsets[0] = 0;
    for (size_t i = 0; i < n; i++) {
        for (int64_t j = src->offsets[idx[i]]; j < src->offsets[idx[i] + 1]; j++) child_idx[k++] = (uint32_t)j;
        col->offsets[i + 1] = (int64_t)k;
    }
    for (uint32_t c = 0; c < src->child_count; c++) {
        fl_column *child;
        FL_TRY(take_rows(&child, src->children[c], child_idx, total, arena, err));
        if (fl_column_add_child(col, child) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    return 0;
}

static int take_rows(fl_column **out, const fl_column *src, const uint32_t *idx, size_t n,
                     fl_arena *arena, fl_error *err)
{
    fl_column *col = fl_column_new(arena, src->type, n);
    if (col == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    col->name = src->name;
    if (src->validity) {
        if (fl_column_ensure_validity(col) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            if (!fl_bit_get(src->validity, idx[i])) fl_bit_clear(col->validity, i);
    }
    size_t width = fl_type_width(src->type);
    if (fl_type_is_varlen(src->type)) {
        const fl_strv *s = src->data;
        fl_strv *d = col->data;
        for (size_t i = 0; i < n; i++)
            if (fl_column_copy_str(col, s[idx[i]].ptr, s[idx[i]].len, &d[i]) < 0)
                return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    } else if (width && src->data) {
        for (size_t i = 0; i < n; i++)
            memcpy((char *)col->data + i * width, (const char *)src->data + (size_t)idx[i] * width, width);
    }
    if (src->type.id == FL_TYPE_STRUCT) {
        for (uint32_t c = 0; c < src->child_count; c++) {
            fl_column *child;
            FL_TRY(take_rows(&child, src->children[c], idx, n, arena, err));
            if (fl_column_add_child(col, child) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
    } else if (src->type.id == FL_TYPE_LIST || src->type.id == FL_TYPE_MAP) {
        FL_TRY(take_list(col, src, idx, n, arena, err));
    }
    col->len = n;
    *out = col;
    return 0;
}

int ice_read_take(fl_column **out, const fl_column *src, const uint32_t *idx, size_t n,
                  fl_arena *arena, fl_error *err)
{
    return take_rows(out, src, idx, n, arena, err);
}

/* ---- equality delete keys ---- */

int ice_read_key_append(fl_buf *key, const fl_column *col, size_t row)
{
    fl_value v;
    if (fl_type_is_nested(col->type) || col->type.id == FL_TYPE_NULL) {
        return fl_buf_append_byte(key, 0);
    }
    fl_column_get(col, row, &v);
    if (v.is_null) return fl_buf_append_byte(key, 0);
    FL_TRY(fl_buf_append_byte(key, 1));
    switch ((fl_type_id)v.type.id) {
    case FL_TYPE_BOOL: return fl_buf_append_byte(key, v.v.b);
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE: {
        double d = v.v.f64;
        if (isnan(d)) d = NAN;
        if (d == 0) d = 0.0;
        uint64_t bits;
        memcpy(&bits, &d, 8);
        return fl_buf_append_u64le(key, bits);
    }
    case FL_TYPE_DECIMAL: {
        fl_int128 x = fl_decimal_is_wide(v.type) ? v.v.i128 : (fl_int128)v.v.i64;
        return fl_buf_append(key, &x, sizeof(x));
    }
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID:
        FL_TRY(fl_buf_append_u32le(key, v.v.s.len));
        return fl_buf_append(key, v.v.s.ptr, v.v.s.len);
    default: return fl_buf_append_u64le(key, (uint64_t)v.v.i64);
    }
}
