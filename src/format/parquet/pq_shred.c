/*
 * pq_shred.c: turns columns into what Parquet stores per leaf column:
 * definition levels, repetition levels and the non-NULL values (Dremel
 * shredding), for the Parquet writer.
 *
 * A leaf's path from its top-level field is a list of steps (pq_writer_int.h).
 * Walking a row down the path, every optional node that is present adds one
 * definition level, every LIST/MAP element adds one more (the repeated
 * group), and the first element of a list inherits the repetition level of
 * its parent while later ones take the repeated group's level. A NULL (or an
 * empty list) ends the walk with one level entry and no value.
 *
 * Top-level primitive columns, by far the most common, take a bulk path:
 * levels straight from the validity bitmap and values converted in runs.
 * Values are converted to their physical form here (INT8/16 widen to INT32,
 * decimals narrow to INT32/INT64 or become big-endian FIXED_LEN_BYTE_ARRAY,
 * strings become PLAIN length-prefixed bytes), so the caller's columns may
 * be freed right after pq_writer_write returns.
 *
 * pqw_validate checks a column's structure against its field before any of
 * it is shredded (types, lengths, offsets), so shredding can trust it.
 */
#include "pq_writer_int.h"

#include "../../base/decimal.h"

static const int64_t pow10_i64[19] = {
    INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000), INT64_C(100000),
    INT64_C(1000000), INT64_C(10000000), INT64_C(100000000), INT64_C(1000000000),
    INT64_C(10000000000), INT64_C(100000000000), INT64_C(1000000000000),
    INT64_C(10000000000000), INT64_C(100000000000000), INT64_C(1000000000000000),
    INT64_C(10000000000000000), INT64_C(100000000000000000),
    INT64_C(1000000000000000000)};

int pqw_validate(const pq_field *f, const fl_column *col, size_t begin, size_t end,
                 fl_error *err)
{
    if (!col)
        return fl_error_set(err, FLOE_EINVAL, "column \"%s\" is missing", f->name);
    bool same = fl_type_is_nested(f->type) ? col->type.id == f->type.id
                                             : fl_type_eq(col->type, f->type);
    if (!same) {
        char want[64], got[64];
        fl_type_format(f->type, want, sizeof want);
        fl_type_format(col->type, got, sizeof got);
        return fl_error_set(err, FLOE_ETYPE, "column \"%s\" has type %s but the schema says %s",
                            f->name, got, want);
    }
    if (col->len < end)
        return fl_error_set(err, FLOE_EINVAL, "column \"%s\" has %zu rows, expected at least %zu",
                            f->name, col->len, end);
    if (begin == end) return 0;
    switch (f->type.id) {
    case FL_TYPE_STRUCT:
        if (col->child_count != f->n_children || !col->children)
            return fl_error_set(err, FLOE_EINVAL,
                                "struct column \"%s\" has %u fields, the schema has %u", f->name,
                                col->child_count, f->n_children);
        for (uint32_t i = 0; i < f->n_children; i++)
            FL_TRY(pqw_validate(&f->children[i], col->children[i], begin, end, err));
        return 0;
    case FL_TYPE_LIST:
    case FL_TYPE_MAP: {
        uint32_t want = f->type.id == FL_TYPE_LIST ? 1 : 2;
        if (!col->offsets || !col->children || col->child_count != want)
            return fl_error_set(err, FLOE_EINVAL, "%s column \"%s\" lacks offsets or children",
                                fl_type_name(f->type.id), f->name);
        const int64_t *o = col->offsets;
        if (o[begin] < 0)
            return fl_error_set(err, FLOE_EINVAL, "column \"%s\" has a negative offset", f->name);
        for (size_t i = begin; i < end; i++)
            if (o[i + 1] < o[i])
                return fl_error_set(err, FLOE_EINVAL,
                                    "column \"%s\" has decreasing offsets at row %zu", f->name, i);
        for (uint32_t i = 0; i < want; i++)
            FL_TRY(pqw_validate(&f->children[i], col->children[i], (size_t)o[begin],
                                (size_t)o[end], err));
        return 0;
    }
    case FL_TYPE_NULL: return 0;
    default:
        if (!col->data)
            return fl_error_set(err, FLOE_EINVAL, "column \"%s\" has no data", f->name);
        return 0;
    }
}

static int null_error(const pqw_leaf *L, fl_error *err)
{
    return fl_error_set(err, FLOE_EINVAL, "field \"%s\" is not nullable but has a NULL value",
                        L->name);
}

static int decimal_error(const pqw_leaf *L, fl_error *err)
{
    return fl_error_set(err, FLOE_ERANGE, "value of column \"%s\" does not fit decimal(%d,%d)",
                        L->name, L->type.precision, L->type.scale);
}

static inline void widen_i8(int32_t *dst, const int8_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++) dst[i] = src[i];
}

/* Converts values [b, e) of col (all non-NULL) to the physical layout. */
static int append_range(pqw_leaf *L, const fl_column *col, size_t b, size_t e, fl_error *err)
{
    size_t n = e - b;
    if (n == 0) return 0;
    fl_buf *out = &L->values;
    switch (L->type.id) {
    case FL_TYPE_BOOL: {
        const uint8_t *src = (const uint8_t *)col->data + b;
        uint8_t *dst = fl_buf_extend(out, n);
        if (!dst) return FLOE_ENOMEM;
        for (size_t i = 0; i < n; i++) dst[i] = src[i] != 0;
        break;
    }
    case FL_TYPE_INT8:
    case FL_TYPE_UINT8:
    case FL_TYPE_INT16:
    case FL_TYPE_UINT16: {
        int32_t *dst = fl_buf_extend(out, n * 4);
        if (!dst) return FLOE_ENOMEM;
        if (L->type.id == FL_TYPE_INT8)
            widen_i8(dst, (const int8_t *)col->data + b, n);
        else if (L->type.id == FL_TYPE_UINT8)
            for (size_t i = 0; i < n; i++) dst[i] = ((const uint8_t *)col->data)[b + i];
        else if (L->type.id == FL_TYPE_INT16)
            for (size_t i = 0; i < n; i++) dst[i] = ((const int16_t *)col->data)[b + i];
        else
            for (size_t i = 0; i < n; i++) dst[i] = ((const uint16_t *)col->data)[b + i];
        break;
    }
    case FL_TYPE_INT32:
    case FL_TYPE_UINT32:
    case FL_TYPE_DATE:
    case FL_TYPE_FLOAT:
        if (fl_buf_append(out, (const uint8_t *)col->data + b * 4, n * 4) < 0) return FLOE_ENOMEM;
        break;
    case FL_TYPE_INT64:
    case FL_TYPE_UINT64:
    case FL_TYPE_DOUBLE:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS:
        if (fl_buf_append(out, (const uint8_t *)col->data + b * 8, n * 8) < 0) return FLOE_ENOMEM;
        break;
    case FL_TYPE_DECIMAL: {
        int p = L->type.precision;
        if (p <= 18) {
            const int64_t *src = (const int64_t *)col->data + b;
            int64_t bound = pow10_i64[p];
            for (size_t i = 0; i < n; i++)
                if (src[i] >= bound || src[i] <= -bound) return decimal_error(L, err);
            if (p <= 9) {
                int32_t *dst = fl_buf_extend(out, n * 4);
                if (!dst) return FLOE_ENOMEM;
                for (size_t i = 0; i < n; i++) dst[i] = (int32_t)src[i];
            } else if (fl_buf_append(out, src, n * 8) < 0) {
                return FLOE_ENOMEM;
            }
        } else {
            const fl_int128 *src = (const fl_int128 *)col->data + b;
            int len = L->type_length;
            uint8_t *dst = fl_buf_extend(out, n * (size_t)len);
            if (!dst) return FLOE_ENOMEM;
            for (size_t i = 0; i < n; i++) {
                if (!fl_decimal_fits(src[i], p) ||
                    !fl_decimal_to_be_fixed(src[i], dst + i * (size_t)len, len))
                    return decimal_error(L, err);
            }
        }
        break;
    }
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY: {
        const fl_strv *src = (const fl_strv *)col->data + b;
        size_t total = 0;
        for (size_t i = 0; i < n; i++) total += 4 + (size_t)src[i].len;
        uint8_t *dst = fl_buf_extend(out, total);
        if (!dst) return FLOE_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            fl_store_u32le(dst, src[i].len);
            if (src[i].len) memcpy(dst + 4, src[i].ptr, src[i].len);
            dst += 4 + (size_t)src[i].len;
        }
        break;
    }
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: {
        const fl_strv *src = (const fl_strv *)col->data + b;
        size_t len = (size_t)L->type_length;
        uint8_t *dst = fl_buf_extend(out, n * len);
        if (!dst) return FLOE_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            if (src[i].len != len)
                return fl_error_set(err, FLOE_EINVAL,
                                    "value of column \"%s\" has %u bytes, expected %zu", L->name,
                                    src[i].len, len);
            memcpy(dst + i * len, src[i].ptr, len);
        }
        break;
    }
    default:
        return fl_error_set(err, FLOE_EINTERNAL, "column \"%s\": unexpected type %s", L->name,
                            fl_type_name(L->type.id));
    }
    L->n_values += n;
    return 0;
}

static int shred_flat(pqw_leaf *L, const fl_column *col, size_t b, size_t e, fl_error *err)
{
    size_t n = e - b;
    bool nullable = L->steps[0].nullable;
    L->n_entries += n;
    if (L->type.id == FL_TYPE_NULL) {
        if (!nullable) return null_error(L, err);
        uint8_t *d = fl_buf_extend(&L->def, n);
        if (!d) return FLOE_ENOMEM;
        memset(d, 0, n);
        L->n_nulls += (int64_t)n;
        return 0;
    }
    const uint8_t *valid = col->validity;
    if (!nullable) {
        if (valid)
            for (size_t i = b; i < e; i++)
                if (!fl_bit_get(valid, i)) return null_error(L, err);
        return append_range(L, col, b, e, err);
    }
    uint8_t *d = fl_buf_extend(&L->def, n);
    if (!d) return FLOE_ENOMEM;
    if (!valid) {
        memset(d, 1, n);
        return append_range(L, col, b, e, err);
    }
    size_t run = SIZE_MAX, nulls = 0;
    for (size_t i = b; i < e; i++) {
        uint8_t v = fl_bit_get(valid, i);
        *d++ = v;
        if (v) {
            if (run == SIZE_MAX) run = i;
        } else {
            nulls++;
            if (run != SIZE_MAX) {
                FL_TRY(append_range(L, col, run, i, err));
                run = SIZE_MAX;
            }
        }
    }
    L->n_nulls += (int64_t)nulls;
    if (run != SIZE_MAX) return append_range(L, col, run, e, err);
    return 0;
}

static inline int emit(pqw_leaf *L, int rep, int def)
{
    if (L->max_def && fl_buf_append_byte(&L->def, (uint8_t)def) < 0) return FLOE_ENOMEM;
    if (L->max_rep && fl_buf_append_byte(&L->rep, (uint8_t)rep) < 0) return FLOE_ENOMEM;
    L->n_entries++;
    if (def < L->max_def) L->n_nulls++;
    return 0;
}

/* Walks row `row` of col (the node at step k) down to the leaf. */
static int shred_rec(pqw_leaf *L, int k, const fl_column *col, size_t row, int rep, int def,
                     fl_error *err)
{
    const pqw_step *s = &L->steps[k];
    bool is_null = !fl_column_is_valid(col, row) ||
                   (s->kind == PQW_STEP_LEAF && L->type.id == FL_TYPE_NULL);
    if (is_null) {
        if (!s->nullable) return null_error(L, err);
        return emit(L, rep, def);
    }
    if (s->nullable) def++;
    switch (s->kind) {
    case PQW_STEP_LEAF:
        FL_TRY(emit(L, rep, def));
        return append_range(L, col, row, row + 1, err);
    case PQW_STEP_STRUCT:
        return shred_rec(L, k + 1, col->children[s->child], row, rep, def, err);
    default: {
        size_t b = (size_t)col->offsets[row], e = (size_t)col->offsets[row + 1];
        if (b == e) return emit(L, rep, def);
        const fl_column *child = col->children[s->child];
        for (size_t j = b; j < e; j++)
            FL_TRY(shred_rec(L, k + 1, child, j, j == b ? rep : s->rep_level, def + 1, err));
        return 0;
    }
    }
}

int pqw_shred(pqw_leaf *leaf, const fl_column *col, size_t begin, size_t end, fl_error *err)
{
    if (leaf->n_steps == 1) return shred_flat(leaf, col, begin, end, err);
    for (size_t row = begin; row < end; row++)
        FL_TRY(shred_rec(leaf, 0, col, row, 0, 0, err));
    return 0;
}
