/*
 * column.h: a typed column of values with validity: the unit every decoder
 * (Parquet, CSV, Avro) produces and every encoder consumes.
 *
 * This lives in base rather than exec because the format layer sits beneath
 * exec and must decode into it; exec's flat vectors wrap fl_column without
 * copying. Representation per type: see type.h.
 *
 * - data: typed array of `cap` values (fl_type_width bytes each); NULL for
 *   STRUCT/LIST/MAP/NULL types.
 * - validity: bitmap, bit i set = row i non-NULL; NULL pointer = all valid.
 *   Value slots of NULL rows hold zero/empty but must not be relied upon.
 * - LIST and MAP: offsets[len + 1] into children[0] (LIST element) or into
 *   children[0] (key) and children[1] (value) of a MAP; the child columns hold
 *   offsets[len] values. STRUCT: children[i] has `len` rows, one per field.
 * - Memory (data, validity, offsets, children, string bytes) comes from
 *   `arena`; the column lives as long as the arena.
 */
#ifndef FL_COLUMN_H
#define FL_COLUMN_H

#include "arena.h"
#include "type.h"

typedef struct fl_column {
    fl_type type;
    size_t len;
    size_t cap;
    void *data;
    uint8_t *validity;
    int64_t *offsets;
    struct fl_column **children;
    uint32_t child_count;
    const char *name;          /* optional, borrowed or arena-owned */
    fl_arena *arena;
} fl_column;

/* A column with room for `cap` rows and no children (add them with
 * fl_column_add_child). NULL on OOM. */
fl_column *fl_column_new(fl_arena *arena, fl_type type, size_t cap);
int fl_column_add_child(fl_column *col, fl_column *child);   /* 0 or FLOE_ENOMEM */
/* Grows data, validity (if present) and offsets to hold `cap` rows. */
int fl_column_reserve(fl_column *col, size_t cap);
/* Allocates the validity bitmap, all rows valid. No-op if present. */
int fl_column_ensure_validity(fl_column *col);
/* Marks row i NULL (allocating validity) and zeroes its value slot. */
int fl_column_set_null(fl_column *col, size_t row);
/* Number of NULL rows among the first len. */
size_t fl_column_null_count(const fl_column *col);
/* Copies string bytes into the column's arena and returns the view. */
int fl_column_copy_str(fl_column *col, const char *p, size_t len, fl_strv *out);

/*
 * A dictionary-encoded column, as a decoder may hand it out instead of a
 * flat fl_column: row i is values row idx[i] (i < len). `values` holds each
 * entry once and, when some row is NULL, one NULL entry that those rows
 * point at (values->validity bit clear); nothing else about values is
 * promised (entries need not be distinct or all used). `id` names this
 * dictionary in the process: a decoder takes a fresh fl_dict_next_id() for
 * every dictionary it builds and hands out the same id (and the same values
 * column) for every batch it decodes against it, so a consumer may cache
 * what it computed over values under the id. values lives as long as the
 * decoder says (a Parquet column chunk); idx as long as the batch.
 */
typedef struct fl_dict_column {
    fl_column *values;
    const uint32_t *idx;
    size_t len;
    uint64_t id;
} fl_dict_column;

/* A process-wide unique dictionary id (never 0). Thread-safe. */
uint64_t fl_dict_next_id(void);

static inline bool fl_bit_get(const uint8_t *bits, size_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
static inline void fl_bit_set(uint8_t *bits, size_t i) { bits[i >> 3] |= (uint8_t)(1u << (i & 7)); }
static inline void fl_bit_clear(uint8_t *bits, size_t i) { bits[i >> 3] &= (uint8_t)~(1u << (i & 7)); }
static inline bool fl_column_is_valid(const fl_column *col, size_t row)
{
    return !col->validity || fl_bit_get(col->validity, row);
}

/* Reads row `row` of a non-nested column into *out (strings borrowed). */
void fl_column_get(const fl_column *col, size_t row, fl_value *out);
/* Writes a non-NULL scalar value (of the column's type) into the reserved
 * slot `row` of a column; strings are borrowed, not copied. The validity bit
 * is left as it is. Returns false for nested columns (no scalar slot); a
 * NULL-type column takes nothing and returns true. */
bool fl_column_put(fl_column *col, size_t row, const fl_value *v);

#endif
