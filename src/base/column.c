/*
 * column.c: allocation and growth of fl_column (see column.h).
 */
#include "column.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

static atomic_uint_fast64_t next_dict_id = 1;

uint64_t fl_dict_next_id(void)
{
    return (uint64_t)atomic_fetch_add_explicit(&next_dict_id, 1, memory_order_relaxed);
}

fl_column *fl_column_new(fl_arena *arena, fl_type type, size_t cap)
{
    fl_column *col = fl_arena_calloc(arena, sizeof *col);
    if (!col) return NULL;
    col->type = type;
    col->arena = arena;
    if (fl_column_reserve(col, cap ? cap : 1) < 0) return NULL;
    return col;
}

int fl_column_add_child(fl_column *col, fl_column *child)
{
    fl_column **kids = fl_arena_realloc(col->arena, col->children,
                                        col->child_count * sizeof *kids,
                                        (col->child_count + 1) * sizeof *kids);
    if (!kids) return FLOE_ENOMEM;
    kids[col->child_count++] = child;
    col->children = kids;
    return 0;
}

int fl_column_reserve(fl_column *col, size_t cap)
{
    if (cap <= col->cap && (col->data || !fl_type_width(col->type))) return 0;
    size_t old = col->cap, want = cap;
    if (old && want < old * 2 && old < SIZE_MAX / 2) want = old * 2;
    size_t width = fl_type_width(col->type);
    /* a row count from a corrupt file must not wrap the byte sizes below */
    if (want > SIZE_MAX / 16 - 1 || (width && want > SIZE_MAX / 2 / width)) return FLOE_ENOMEM;
    if (width) {
        void *d = fl_arena_realloc(col->arena, col->data, old * width, want * width);
        if (!d) return FLOE_ENOMEM;
        memset((char *)d + old * width, 0, (want - old) * width);
        col->data = d;
    }
    if (col->validity) {
        size_t ob = (old + 7) / 8, nb = (want + 7) / 8;
        uint8_t *v = fl_arena_realloc(col->arena, col->validity, ob, nb);
        if (!v) return FLOE_ENOMEM;
        memset(v + ob, 0xff, nb - ob);
        col->validity = v;
    }
    if (col->type.id == FL_TYPE_LIST || col->type.id == FL_TYPE_MAP) {
        int64_t *o = fl_arena_realloc(col->arena, col->offsets,
                                      old ? (old + 1) * sizeof *o : 0, (want + 1) * sizeof *o);
        if (!o) return FLOE_ENOMEM;
        if (!old) o[0] = 0;
        col->offsets = o;
    }
    col->cap = want;
    return 0;
}

int fl_column_ensure_validity(fl_column *col)
{
    if (col->validity) return 0;
    size_t nb = (col->cap + 7) / 8;
    col->validity = fl_arena_alloc(col->arena, nb ? nb : 1);
    if (!col->validity) return FLOE_ENOMEM;
    memset(col->validity, 0xff, nb ? nb : 1);
    return 0;
}

int fl_column_set_null(fl_column *col, size_t row)
{
    FL_ASSERT(row < col->cap);
    if (fl_column_ensure_validity(col) < 0) return FLOE_ENOMEM;
    fl_bit_clear(col->validity, row);
    size_t width = fl_type_width(col->type);
    if (width) memset((char *)col->data + row * width, 0, width);
    return 0;
}

size_t fl_column_null_count(const fl_column *col)
{
    if (!col->validity) return 0;
    size_t nulls = 0, full = col->len / 8;
    for (size_t i = 0; i < full; i++) nulls += 8 - (size_t)__builtin_popcount(col->validity[i]);
    for (size_t i = full * 8; i < col->len; i++) nulls += !fl_bit_get(col->validity, i);
    return nulls;
}

int fl_column_copy_str(fl_column *col, const char *p, size_t len, fl_strv *out)
{
    char *dst = len ? fl_arena_alloc(col->arena, len) : (char *)"";
    if (!dst) return FLOE_ENOMEM;
    if (len) memcpy(dst, p, len);
    *out = fl_strv_make(dst, len);
    return 0;
}

void fl_column_get(const fl_column *col, size_t row, fl_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = col->type;
    if (!fl_column_is_valid(col, row)) {
        out->is_null = true;
        return;
    }
    const void *d = col->data;
    switch ((fl_type_id)col->type.id) {
    case FL_TYPE_BOOL: out->v.b = ((const uint8_t *)d)[row] != 0; break;
    case FL_TYPE_INT8: out->v.i64 = ((const int8_t *)d)[row]; break;
    case FL_TYPE_INT16: out->v.i64 = ((const int16_t *)d)[row]; break;
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: out->v.i64 = ((const int32_t *)d)[row]; break;
    case FL_TYPE_INT64:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: out->v.i64 = ((const int64_t *)d)[row]; break;
    case FL_TYPE_UINT8: out->v.u64 = ((const uint8_t *)d)[row]; break;
    case FL_TYPE_UINT16: out->v.u64 = ((const uint16_t *)d)[row]; break;
    case FL_TYPE_UINT32: out->v.u64 = ((const uint32_t *)d)[row]; break;
    case FL_TYPE_UINT64: out->v.u64 = ((const uint64_t *)d)[row]; break;
    case FL_TYPE_FLOAT: out->v.f64 = ((const float *)d)[row]; break;
    case FL_TYPE_DOUBLE: out->v.f64 = ((const double *)d)[row]; break;
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(col->type)) out->v.i128 = ((const fl_int128 *)d)[row];
        else out->v.i64 = ((const int64_t *)d)[row];
        break;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: out->v.s = ((const fl_strv *)d)[row]; break;
    default: out->is_null = true; break;
    }
}

bool fl_column_put(fl_column *c, size_t row, const fl_value *v)
{
    void *d = c->data;
    switch ((fl_type_id)c->type.id) {
    case FL_TYPE_BOOL: ((uint8_t *)d)[row] = v->v.b ? 1 : 0; break;
    case FL_TYPE_INT8: ((int8_t *)d)[row] = (int8_t)v->v.i64; break;
    case FL_TYPE_INT16: ((int16_t *)d)[row] = (int16_t)v->v.i64; break;
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: ((int32_t *)d)[row] = (int32_t)v->v.i64; break;
    case FL_TYPE_INT64:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: ((int64_t *)d)[row] = v->v.i64; break;
    case FL_TYPE_UINT8: ((uint8_t *)d)[row] = (uint8_t)v->v.u64; break;
    case FL_TYPE_UINT16: ((uint16_t *)d)[row] = (uint16_t)v->v.u64; break;
    case FL_TYPE_UINT32: ((uint32_t *)d)[row] = (uint32_t)v->v.u64; break;
    case FL_TYPE_UINT64: ((uint64_t *)d)[row] = v->v.u64; break;
    case FL_TYPE_FLOAT: ((float *)d)[row] = (float)v->v.f64; break;
    case FL_TYPE_DOUBLE: ((double *)d)[row] = v->v.f64; break;
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(c->type)) ((fl_int128 *)d)[row] = v->v.i128;
        else ((int64_t *)d)[row] = v->v.i64;
        break;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: ((fl_strv *)d)[row] = v->v.s; break;
    case FL_TYPE_NULL: break;
    default: return false;
    }
    return true;
}
