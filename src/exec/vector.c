/*
 * vector.c: chunks and vectors (see vector.h): allocation, constants,
 * flattening, row copies and appends.
 *
 * The hot paths (ex_chunk_append, flattening) copy fixed-width values with
 * one loop per value width, so a gather of an int64 column is a plain
 * indexed load/store loop; string bytes are copied once per append into a
 * single allocation of the destination column's arena. Nested columns
 * (STRUCT, LIST, MAP) go through the recursive per-row copy, which also
 * creates the destination's child columns on first use, because a chunk
 * made from types alone (ex_chunk_init) has no children yet.
 */
#include "vector.h"

#include <string.h>

int ex_column_alloc(fl_column **out, fl_arena *arena, fl_type type, size_t rows, fl_error *err)
{
    fl_column *col = fl_column_new(arena, type, rows ? rows : 1);
    if (!col) return fl_error_set(err, FLOE_ENOMEM, "out of memory allocating a column");
    col->len = rows;
    *out = col;
    return 0;
}

int ex_chunk_init(ex_chunk *chunk, fl_arena *arena, const fl_type *types, uint32_t col_count,
                  fl_error *err)
{
    return ex_chunk_init_rows(chunk, arena, types, col_count, EX_CHUNK_ROWS, err);
}

int ex_chunk_init_rows(ex_chunk *chunk, fl_arena *arena, const fl_type *types, uint32_t col_count,
                       size_t rows, fl_error *err)
{
    memset(chunk, 0, sizeof *chunk);
    chunk->arena = arena;
    chunk->col_count = col_count;
    if (col_count == 0) return 0;
    chunk->cols = fl_arena_calloc(arena, col_count * sizeof *chunk->cols);
    if (!chunk->cols) return fl_error_set(err, FLOE_ENOMEM, "out of memory allocating a chunk");
    for (uint32_t i = 0; i < col_count; i++) {
        chunk->cols[i].kind = EX_VECTOR_FLAT;
        chunk->cols[i].col = fl_column_new(arena, types[i], rows ? rows : 1);
        if (!chunk->cols[i].col)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory allocating a chunk");
    }
    return 0;
}

/* Stores v into the (already reserved) slot `row` of a non-nested column,
 * copying string bytes into the column's arena. */
static int store_value(fl_column *col, size_t row, const fl_value *v, fl_error *err)
{
    fl_value owned = *v;
    if (fl_type_is_varlen(col->type) &&
        fl_column_copy_str(col, v->v.s.ptr, v->v.s.len, &owned.v.s) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory copying a string");
    if (!fl_column_put(col, row, &owned))
        return fl_error_set(err, FLOE_EINTERNAL, "cannot store a scalar into a %s column",
                            fl_type_name((fl_type_id)col->type.id));
    return 0;
}

int ex_column_set(fl_column *col, size_t row, const fl_value *v, fl_error *err)
{
    if (row >= col->cap && fl_column_reserve(col, row + 1) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a column");
    if (v->is_null || col->type.id == FL_TYPE_NULL) {
        if (fl_column_set_null(col, row) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a column");
        return 0;
    }
    if (v->type.id != col->type.id)
        return fl_error_set(err, FLOE_EINTERNAL, "value of type %s stored into a %s column",
                            fl_type_name((fl_type_id)v->type.id),
                            fl_type_name((fl_type_id)col->type.id));
    FL_TRY(store_value(col, row, v, err));
    if (col->validity) fl_bit_set(col->validity, row);
    return 0;
}

int ex_vector_const(ex_vector *out, fl_arena *arena, const fl_value *v, fl_error *err)
{
    fl_column *col = NULL;
    FL_TRY(ex_column_alloc(&col, arena, v->type, 1, err));
    FL_TRY(ex_column_set(col, 0, v, err));
    out->kind = EX_VECTOR_CONST;
    out->col = col;
    return 0;
}

void ex_vector_get(const ex_vector *v, size_t i, fl_value *out)
{
    fl_column_get(v->col, ex_vector_row(v, i), out);
}

/* Creates dst's children after src's shape (a column from ex_chunk_init has
 * none) so nested rows can be copied into it. */
static int ensure_children(fl_column *dst, const fl_column *src, fl_error *err)
{
    while (dst->child_count < src->child_count) {
        const fl_column *sc = src->children[dst->child_count];
        fl_column *c = fl_column_new(dst->arena, sc->type, 16);
        if (!c || fl_column_add_child(dst, c) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory allocating a nested column");
        c->name = sc->name;
    }
    return 0;
}

static int copy_row(fl_column *dst, size_t dst_row, const fl_column *src, size_t src_row,
                    fl_error *err);

/* Appends src child rows [from, to) after dst child's current end. */
static int copy_child_range(fl_column *dst, const fl_column *src, int64_t from, int64_t to,
                            fl_error *err)
{
    size_t at = dst->len, n = (size_t)(to - from);
    if (at + n > dst->cap && fl_column_reserve(dst, at + n) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a nested column");
    for (size_t k = 0; k < n; k++) FL_TRY(copy_row(dst, at + k, src, (size_t)from + k, err));
    dst->len = at + n;
    return 0;
}

static int copy_row(fl_column *dst, size_t dst_row, const fl_column *src, size_t src_row,
                    fl_error *err)
{
    if (dst_row >= dst->cap && fl_column_reserve(dst, dst_row + 1) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a column");
    bool valid = fl_column_is_valid(src, src_row);
    switch ((fl_type_id)dst->type.id) {
    case FL_TYPE_STRUCT:
        FL_TRY(ensure_children(dst, src, err));
        for (uint32_t c = 0; c < dst->child_count && c < src->child_count; c++) {
            fl_column *dc = dst->children[c];
            FL_TRY(copy_row(dc, dst_row, src->children[c], src_row, err));
            if (dc->len < dst_row + 1) dc->len = dst_row + 1;
        }
        break;
    case FL_TYPE_LIST:
    case FL_TYPE_MAP: {
        FL_TRY(ensure_children(dst, src, err));
        int64_t start = dst->offsets[dst_row];
        int64_t from = valid ? src->offsets[src_row] : 0, to = valid ? src->offsets[src_row + 1] : 0;
        for (uint32_t c = 0; c < dst->child_count && c < src->child_count; c++) {
            fl_column *dc = dst->children[c];
            dc->len = (size_t)start;
            FL_TRY(copy_child_range(dc, src->children[c], from, to, err));
        }
        dst->offsets[dst_row + 1] = start + (to - from);
        break;
    }
    default:
        if (valid) {
            fl_value v;
            fl_column_get(src, src_row, &v);
            FL_TRY(store_value(dst, dst_row, &v, err));
        }
        break;
    }
    if (!valid) {
        if (fl_column_ensure_validity(dst) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a column");
        fl_bit_clear(dst->validity, dst_row);
        size_t width = fl_type_width(dst->type);
        if (width) memset((char *)dst->data + dst_row * width, 0, width);
    } else if (dst->validity) {
        fl_bit_set(dst->validity, dst_row);
    }
    return 0;
}

int ex_column_copy_row(fl_column *dst, size_t dst_row, const ex_vector *src, size_t src_row,
                       fl_error *err)
{
    return copy_row(dst, dst_row, src->col, ex_vector_row(src, src_row), err);
}

/* Gathers fixed-width values: dst[at + k] = src[rows[k]] (rows NULL: src[k];
 * a constant source repeats row 0). */
static void gather_fixed(void *dst, size_t at, const void *src, size_t width, bool is_const,
                         const uint32_t *sel, size_t n)
{
    char *d = (char *)dst + at * width;
    const char *s = src;
    if (is_const) {
        for (size_t k = 0; k < n; k++) memcpy(d + k * width, s, width);
        return;
    }
    if (!sel) {
        memcpy(d, s, n * width);
        return;
    }
    switch (width) {
    case 1:
        for (size_t k = 0; k < n; k++) ((uint8_t *)d)[k] = ((const uint8_t *)s)[sel[k]];
        break;
    case 2:
        for (size_t k = 0; k < n; k++) ((uint16_t *)d)[k] = ((const uint16_t *)s)[sel[k]];
        break;
    case 4:
        for (size_t k = 0; k < n; k++) ((uint32_t *)d)[k] = ((const uint32_t *)s)[sel[k]];
        break;
    case 8:
        for (size_t k = 0; k < n; k++) ((uint64_t *)d)[k] = ((const uint64_t *)s)[sel[k]];
        break;
    default:
        for (size_t k = 0; k < n; k++) memcpy(d + k * width, s + (size_t)sel[k] * width, width);
        break;
    }
}

/* Copies the string bytes of dst rows [at, at + n) into one allocation of
 * dst's arena, so the column no longer borrows from the source chunk. */
static int own_strings(fl_column *dst, size_t at, size_t n, fl_error *err)
{
    fl_strv *s = (fl_strv *)dst->data + at;
    size_t total = 0;
    for (size_t k = 0; k < n; k++) total += s[k].len;
    if (total == 0) return 0;
    char *p = fl_arena_alloc(dst->arena, total);
    if (!p) return fl_error_set(err, FLOE_ENOMEM, "out of memory copying strings");
    for (size_t k = 0; k < n; k++) {
        if (s[k].len) memcpy(p, s[k].ptr, s[k].len);
        s[k].ptr = p;
        p += s[k].len;
    }
    return 0;
}

static int append_column(fl_column *dst, size_t at, const ex_vector *src, const uint32_t *sel,
                         size_t n, fl_error *err);

/* Appends a dictionary vector's rows: the entries its indices (through sel)
 * name, gathered from the dictionary a block of rows at a time. */
static int append_dict(fl_column *dst, size_t at, const ex_vector *src, const uint32_t *sel,
                       size_t n, fl_error *err)
{
    uint32_t rows[256];
    ex_vector entries = {.kind = EX_VECTOR_FLAT, .col = src->col};
    for (size_t k = 0; k < n; k += 256) {
        size_t m = n - k < 256 ? n - k : 256;
        for (size_t j = 0; j < m; j++) rows[j] = src->idx[sel ? sel[k + j] : k + j];
        FL_TRY(append_column(dst, at + k, &entries, rows, m, err));
    }
    return 0;
}

static int append_column(fl_column *dst, size_t at, const ex_vector *src, const uint32_t *sel,
                         size_t n, fl_error *err)
{
    if (src->kind == EX_VECTOR_DICT) return append_dict(dst, at, src, sel, n, err);
    const fl_column *sc = src->col;
    bool is_const = src->kind == EX_VECTOR_CONST;
    if (at + n > dst->cap && fl_column_reserve(dst, at + n) < 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a column");
    if (fl_type_is_nested(dst->type)) {
        for (size_t k = 0; k < n; k++) {
            size_t r = is_const ? 0 : sel ? sel[k] : k;
            FL_TRY(copy_row(dst, at + k, sc, r, err));
        }
        return 0;
    }
    size_t width = fl_type_width(dst->type);
    if (width && sc->data) gather_fixed(dst->data, at, sc->data, width, is_const, sel, n);
    if (fl_type_is_varlen(dst->type)) FL_TRY(own_strings(dst, at, n, err));
    if (sc->validity || dst->validity) {
        if (fl_column_ensure_validity(dst) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory growing a column");
        for (size_t k = 0; k < n; k++) {
            size_t r = is_const ? 0 : sel ? sel[k] : k;
            if (fl_column_is_valid(sc, r)) fl_bit_set(dst->validity, at + k);
            else fl_bit_clear(dst->validity, at + k);
        }
    }
    return 0;
}

int ex_chunk_append(ex_chunk *dst, const ex_chunk *src, const uint32_t *sel, size_t n,
                    fl_error *err)
{
    FL_ASSERT(dst->col_count == src->col_count);
    size_t at = dst->count;
    for (uint32_t c = 0; c < dst->col_count; c++) {
        fl_column *dc = dst->cols[c].col;
        FL_ASSERT(dst->cols[c].kind == EX_VECTOR_FLAT);
        FL_TRY(append_column(dc, at, &src->cols[c], sel, n, err));
        dc->len = at + n;
    }
    dst->count = at + n;
    return 0;
}

int ex_vector_flatten(ex_vector *v, size_t rows, fl_arena *arena, fl_error *err)
{
    if (v->kind == EX_VECTOR_FLAT) return 0;
    if (v->kind == EX_VECTOR_DICT) {
        ex_vector entries = {.kind = EX_VECTOR_FLAT, .col = v->col};
        FL_TRY(ex_vector_slice(v, &entries, v->idx, rows, arena, err));
        return 0;
    }
    fl_column *col = NULL;
    FL_TRY(ex_column_alloc(&col, arena, v->col->type, rows, err));
    const fl_column *sc = v->col;
    if (fl_type_is_nested(col->type)) {
        for (size_t k = 0; k < rows; k++) FL_TRY(copy_row(col, k, sc, 0, err));
    } else {
        size_t width = fl_type_width(col->type);
        if (width && sc->data) gather_fixed(col->data, 0, sc->data, width, true, NULL, rows);
        if (!fl_column_is_valid(sc, 0)) {
            if (fl_column_ensure_validity(col) < 0)
                return fl_error_set(err, FLOE_ENOMEM, "out of memory flattening a vector");
            memset(col->validity, 0, (rows + 7) / 8);
        }
    }
    col->len = rows;
    v->kind = EX_VECTOR_FLAT;
    v->col = col;
    return 0;
}

void ex_vector_from_dict(ex_vector *out, const fl_dict_column *d)
{
    out->kind = EX_VECTOR_DICT;
    out->col = d->values;
    out->idx = d->idx;
    out->dict_id = d->id;
}

int ex_chunk_flatten_dicts(ex_chunk *chunk, fl_arena *arena, fl_error *err)
{
    for (uint32_t c = 0; c < chunk->col_count; c++)
        if (chunk->cols[c].kind == EX_VECTOR_DICT)
            FL_TRY(ex_vector_flatten(&chunk->cols[c], chunk->count, arena, err));
    return 0;
}

int ex_vector_slice(ex_vector *out, const ex_vector *src, const uint32_t *sel, size_t n,
                    fl_arena *arena, fl_error *err)
{
    if (src->kind == EX_VECTOR_CONST) {
        *out = *src;
        return 0;
    }
    if (src->kind == EX_VECTOR_DICT) {
        uint32_t *idx = fl_arena_alloc(arena, (n ? n : 1) * sizeof *idx);
        if (!idx) return fl_error_set(err, FLOE_ENOMEM, "out of memory slicing a vector");
        for (size_t k = 0; k < n; k++) idx[k] = src->idx[sel[k]];
        *out = *src;
        out->idx = idx;
        return 0;
    }
    const fl_column *sc = src->col;
    fl_column *col = NULL;
    FL_TRY(ex_column_alloc(&col, arena, sc->type, n, err));
    if (fl_type_is_nested(col->type)) {
        for (size_t k = 0; k < n; k++) FL_TRY(copy_row(col, k, sc, sel[k], err));
    } else {
        size_t width = fl_type_width(col->type);
        if (width && sc->data) gather_fixed(col->data, 0, sc->data, width, false, sel, n);
        if (sc->validity) {
            if (fl_column_ensure_validity(col) < 0)
                return fl_error_set(err, FLOE_ENOMEM, "out of memory slicing a vector");
            memset(col->validity, 0, (n + 7) / 8);
            for (size_t k = 0; k < n; k++)
                if (fl_bit_get(sc->validity, sel[k])) fl_bit_set(col->validity, k);
        }
    }
    col->len = n;
    out->kind = EX_VECTOR_FLAT;
    out->col = col;
    return 0;
}
