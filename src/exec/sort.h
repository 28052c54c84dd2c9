/*
 * sort.h: sorting rows by ORDER BY keys, shared by ORDER BY (op/order.c),
 * TOPN (op/topn.c) and the window operator.
 *
 * Two pieces:
 *
 *   ex_rowbuf   a growable set of flat columns (the rows an operator keeps:
 *               chunks appended, string bytes copied into the buffer's
 *               arena), with gather by a permutation.
 *   ex_sort_*   sorting rows of key columns: each row's keys are encoded
 *               once into a memcmp-able byte string (DuckDB's normalized
 *               keys: a NULL byte placing NULLs first or last, then the
 *               value big-endian with the sign bit flipped, floats by the
 *               IEEE trick with -0 = 0 and NaN last, DESC by inverting the
 *               value bytes); strings contribute a 12-byte prefix and ties
 *               of equal prefixes fall back to a typed comparison of the
 *               whole keys. The sort is a stable merge sort over row
 *               numbers.
 *
 * Parallel ORDER BY: every thread sorts its own rows into a run
 * (ex_sort_run), and finalize merges the runs (ex_sort_merge) into one
 * order of (run, row) pairs.
 *
 * Key types: every non-nested type (bool, ints, floats, decimals narrow and
 * wide, date, time, timestamps, strings, binary, fixed, uuid). Payload
 * columns may be of any type (nested ones are copied row by row).
 */
#ifndef EX_SORT_H
#define EX_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/column.h"
#include "../base/error.h"
#include "vector.h"

/* ---------------------------------------------------------------- row buffers */

typedef struct ex_rowbuf {
    fl_arena *arena;          /* columns and string bytes */
    uint32_t col_count;
    fl_type *types;
    fl_column **cols;         /* flat, len = rows */
    size_t rows;
} ex_rowbuf;

/* An empty buffer with these column types; everything lives in arena. */
int ex_rowbuf_init(ex_rowbuf *b, fl_arena *arena, const fl_type *types, uint32_t col_count,
                   fl_error *err);
/* Appends rows sel[0..n) (or the first n when sel is NULL) of the vectors
 * vecs[0..col_count) (flat or constant; same types), copying strings. */
int ex_rowbuf_append(ex_rowbuf *b, const ex_vector *vecs, const uint32_t *sel, size_t n,
                     fl_error *err);
/* Copies rows perm[0..n) of src into a fresh buffer dst (in dst_arena). */
int ex_rowbuf_gather(ex_rowbuf *dst, fl_arena *dst_arena, const ex_rowbuf *src,
                     const uint32_t *perm, size_t n, fl_error *err);
/* Copies row src_row of column src into row dst_row of dst (same type, room
 * for it); strings are borrowed, not copied. Used to emit chunks. */
void ex_column_put(fl_column *dst, size_t dst_row, const fl_column *src, size_t src_row);

/* ---------------------------------------------------------------- sorting */

typedef struct ex_sort_key {
    uint32_t col;             /* column of the rows (ex_rowbuf column index) */
    bool desc;
    bool nulls_first;
} ex_sort_key;

/* A sorted run: rows of `buf` in key order (perm), with their normalized
 * keys (key_width bytes per row, indexed by buffer row). */
typedef struct ex_sort_run {
    const ex_rowbuf *buf;
    uint32_t *perm;
    size_t rows;
    uint8_t *keys;
    size_t key_width;
    bool ties;                /* keys may tie where the rows differ (string prefixes) */
} ex_sort_run;

/* Sorts the rows of buf by keys (stable): fills run (arrays in arena). */
int ex_sort_run_build(ex_sort_run *run, const ex_rowbuf *buf, const ex_sort_key *keys,
                      uint32_t key_count, fl_arena *arena, fl_error *err);

/* Sorts rows [0, n) of the key columns cols[0..key_count) (flat, len >= n)
 * into perm[0..n) (stable). specs[i].col is ignored (key i is cols[i]).
 * The building block for the window operator. */
int ex_sort_columns(uint32_t *perm, fl_column *const *cols, const ex_sort_key *specs,
                    uint32_t key_count, size_t n, fl_error *err);

/* Three-way comparison of row a of run ra with row b of run rb (buffer row
 * numbers) by the keys (runs built with the same keys). */
int ex_sort_cmp(const ex_sort_run *ra, size_t a, const ex_sort_run *rb, size_t b,
                const ex_sort_key *keys, uint32_t key_count);

/* A position in a set of runs. */
typedef struct ex_sort_ref {
    uint32_t run;
    uint32_t row;             /* buffer row in that run */
} ex_sort_ref;

/* Merges runs[0..run_count) into out (sum of their rows entries, in
 * arena): the global order, stable by run index. */
int ex_sort_merge(ex_sort_ref **out, size_t *out_count, const ex_sort_run *runs,
                  uint32_t run_count, const ex_sort_key *keys, uint32_t key_count,
                  fl_arena *arena, fl_error *err);

#endif
