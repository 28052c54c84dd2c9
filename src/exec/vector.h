/*
 * vector.h: vectors and chunks, the unit of data flowing through the engine.
 *
 * A chunk holds up to EX_CHUNK_ROWS rows as one vector per column. A vector
 * wraps an fl_column (src/base/column.h: typed data + validity bitmap) and
 * says how to read it:
 *   EX_VECTOR_FLAT   row i is col row i (col->len >= chunk count)
 *   EX_VECTOR_CONST  every row is col row 0 (literals, broadcast values)
 *   EX_VECTOR_DICT   row i is col row idx[i]: col is a dictionary (a
 *                    Parquet column chunk's entries, or values computed
 *                    from them), dict_id names it (fl_dict_column.id) so
 *                    work done per entry can be cached across chunks
 *
 * Dictionary vectors come from table scans (dictionary-encoded string
 * columns) and travel only as far as operators that declare they take
 * them (ex_op_vtable.dict_execute / dict_sink: filter, projection); the
 * pipeline runner flattens them before any other operator, so the rest of
 * the engine and the function library see flat and constant vectors only.
 * The expression evaluator runs a subexpression that reads one dictionary
 * column on the dictionary's entries instead of on the rows (each entry
 * once per dictionary, see ex_expr_eval.c) and hands back a dictionary
 * vector of the results.
 *
 * This header is the data model shared by src/func (functions compute on
 * vectors) and the operators in src/exec; it includes only src/base, so the
 * function library can sit beneath the binder and the operators.
 *
 * Lifetime: a chunk's columns and string bytes live in the chunk's arena.
 * An operator's output chunk stays valid until the operator is asked for its
 * next chunk; strings in a vector may borrow bytes from the input chunk, so
 * anything that keeps rows beyond the current chunk (sinks: hash tables,
 * sort buffers, result collectors) copies them.
 */
#ifndef EX_VECTOR_H
#define EX_VECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/column.h"
#include "../base/error.h"
#include "../base/type.h"

#define EX_CHUNK_ROWS 2048

typedef enum ex_vector_kind {
    EX_VECTOR_FLAT,
    EX_VECTOR_CONST,
    EX_VECTOR_DICT,
} ex_vector_kind;

typedef struct ex_vector {
    ex_vector_kind kind;
    fl_column *col;
    const uint32_t *idx;   /* EX_VECTOR_DICT: per row, the entry of col */
    uint64_t dict_id;      /* EX_VECTOR_DICT: names col's entries (cache key; never 0) */
} ex_vector;

typedef struct ex_chunk {
    uint32_t col_count;
    ex_vector *cols;
    size_t count;          /* rows */
    fl_arena *arena;       /* where the chunk's own columns live (may be NULL for views) */
} ex_chunk;

/* Row index of logical row i in the vector's column. */
static inline size_t ex_vector_row(const ex_vector *v, size_t i)
{
    return v->kind == EX_VECTOR_FLAT ? i : v->kind == EX_VECTOR_CONST ? 0 : v->idx[i];
}
static inline bool ex_vector_is_valid(const ex_vector *v, size_t i)
{
    return fl_column_is_valid(v->col, ex_vector_row(v, i));
}

/* When work per dictionary entry pays (expressions, ex_expr_dict.c; GROUP
 * BY one dictionary column, op/hash_agg.c): per-entry arrays of larger
 * dictionaries cost more to allocate and clear than a morsel's rows, and
 * once a chunk's worth of rows has come, entries must on average serve two
 * rows (rows whose entries are nearly all new go row by row). */
#define EX_DICT_MAX_ENTRIES 65536
static inline bool ex_dict_pays(size_t rows, size_t entries_done)
{
    return rows < EX_CHUNK_ROWS || entries_done * 2 <= rows;
}

/* A chunk with col_count flat columns of the given types and room for
 * EX_CHUNK_ROWS rows (count 0), allocated in arena. */
int ex_chunk_init(ex_chunk *chunk, fl_arena *arena, const fl_type *types, uint32_t col_count,
                  fl_error *err);
/* The same with room for `rows` rows (1 <= rows; ex_chunk_append grows the
 * columns when more are appended): buffers that may stay small (a short
 * result, a CTE of a few rows) then allocate and zero only what they use. */
int ex_chunk_init_rows(ex_chunk *chunk, fl_arena *arena, const fl_type *types, uint32_t col_count,
                       size_t rows, fl_error *err);
/* A flat column of `rows` rows (len = rows, all valid, zeroed) in arena. */
int ex_column_alloc(fl_column **out, fl_arena *arena, fl_type type, size_t rows, fl_error *err);
/* A constant vector holding value v (strings copied into arena). */
int ex_vector_const(ex_vector *out, fl_arena *arena, const fl_value *v, fl_error *err);
/* Makes v flat with `rows` rows (copies a constant out, gathers a
 * dictionary's entries; strings stay borrowed), in arena. */
int ex_vector_flatten(ex_vector *v, size_t rows, fl_arena *arena, fl_error *err);
/* A dictionary vector over the entries of d (d->values, d->idx, d->id). */
void ex_vector_from_dict(ex_vector *out, const fl_dict_column *d);
/* Flattens every dictionary vector of chunk (columns allocated in arena). */
int ex_chunk_flatten_dicts(ex_chunk *chunk, fl_arena *arena, fl_error *err);
/* Copies row src_row of src into row dst_row of dst (same type; nested too;
 * strings copied into dst->arena). dst must have room (cap > dst_row). */
int ex_column_copy_row(fl_column *dst, size_t dst_row, const ex_vector *src, size_t src_row,
                       fl_error *err);
/* Appends the rows of src selected by sel[0..n) (or the first n rows when
 * sel is NULL) to dst (a flat chunk with the same types), growing columns. */
int ex_chunk_append(ex_chunk *dst, const ex_chunk *src, const uint32_t *sel, size_t n,
                    fl_error *err);
/* Reads row i of a vector (scalar types) as a value (strings borrowed). */
void ex_vector_get(const ex_vector *v, size_t i, fl_value *out);
/* Writes a value into row i of a flat column (strings copied into col->arena);
 * v->is_null sets the row NULL. Type ids must match. */
int ex_column_set(fl_column *col, size_t row, const fl_value *v, fl_error *err);
/* Gathers rows sel[0..n) of src into *out, a new flat vector in arena (a
 * constant stays constant, a dictionary vector stays one over the same
 * entries with the selected indices); strings are borrowed, not copied, so
 * the result lives no longer than src's bytes. (Filters, CASE branches.) */
int ex_vector_slice(ex_vector *out, const ex_vector *src, const uint32_t *sel, size_t n,
                    fl_arena *arena, fl_error *err);

#endif
