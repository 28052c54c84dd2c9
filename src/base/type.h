/*
 * type.h: the value types shared by every layer, and a scalar value.
 *
 * One set of types serves the file formats (what a Parquet or CSV column
 * decodes to), Iceberg (its primitive types map 1:1) and later SQL. Each type
 * has one in-memory representation in a column (see column.h):
 *
 *   BOOL                     uint8_t (0 or 1)
 *   INT8/16/32/64            int8_t .. int64_t
 *   UINT8/16/32/64           uint8_t .. uint64_t
 *   FLOAT, DOUBLE            float, double (FLOAT16 files decode to FLOAT)
 *   DECIMAL(p,s)             int64_t when p <= 18, else fl_int128; unscaled
 *   DATE                     int32_t days since 1970-01-01
 *   TIME                     int64_t microseconds since midnight
 *   TIMESTAMP, TIMESTAMPTZ   int64_t microseconds since the epoch (TZ: UTC)
 *   TIMESTAMP_NS, _TZ_NS     int64_t nanoseconds since the epoch
 *   STRING, BINARY           fl_strv (STRING is UTF-8)
 *   FIXED(L), UUID           fl_strv of exactly L (UUID: 16) bytes
 *   STRUCT, LIST, MAP        no data; children (and offsets for LIST/MAP)
 */
#ifndef FL_TYPE_H
#define FL_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

typedef __int128 fl_int128;

typedef enum fl_type_id {
    FL_TYPE_INVALID = 0,
    FL_TYPE_BOOL,
    FL_TYPE_INT8,
    FL_TYPE_INT16,
    FL_TYPE_INT32,
    FL_TYPE_INT64,
    FL_TYPE_UINT8,
    FL_TYPE_UINT16,
    FL_TYPE_UINT32,
    FL_TYPE_UINT64,
    FL_TYPE_FLOAT,
    FL_TYPE_DOUBLE,
    FL_TYPE_DECIMAL,
    FL_TYPE_DATE,
    FL_TYPE_TIME,
    FL_TYPE_TIMESTAMP,
    FL_TYPE_TIMESTAMPTZ,
    FL_TYPE_TIMESTAMP_NS,
    FL_TYPE_TIMESTAMPTZ_NS,
    FL_TYPE_STRING,
    FL_TYPE_BINARY,
    FL_TYPE_FIXED,
    FL_TYPE_UUID,
    FL_TYPE_STRUCT,
    FL_TYPE_LIST,
    FL_TYPE_MAP,
    FL_TYPE_NULL,       /* only NULLs (Parquet's NullType / UNKNOWN) */
    FL_TYPE__COUNT
} fl_type_id;

#define FL_DECIMAL_MAX_PRECISION 38

typedef struct fl_type {
    uint8_t id;          /* fl_type_id */
    uint8_t precision;   /* DECIMAL */
    uint8_t scale;       /* DECIMAL */
    uint8_t reserved;
    int32_t fixed_len;   /* FIXED (UUID: 16) */
} fl_type;

static inline fl_type fl_type_make(fl_type_id id)
{
    fl_type t = {(uint8_t)id, 0, 0, 0, id == FL_TYPE_UUID ? 16 : 0};
    return t;
}
static inline fl_type fl_type_decimal(int precision, int scale)
{
    fl_type t = {FL_TYPE_DECIMAL, (uint8_t)precision, (uint8_t)scale, 0, 0};
    return t;
}
static inline fl_type fl_type_fixed(int32_t len)
{
    fl_type t = {FL_TYPE_FIXED, 0, 0, 0, len};
    return t;
}
static inline bool fl_type_eq(fl_type a, fl_type b)
{
    return a.id == b.id && a.precision == b.precision && a.scale == b.scale &&
           a.fixed_len == b.fixed_len;
}
static inline bool fl_type_is_nested(fl_type t)
{
    return t.id == FL_TYPE_STRUCT || t.id == FL_TYPE_LIST || t.id == FL_TYPE_MAP;
}
/* Values are fl_strv (STRING, BINARY, FIXED, UUID). */
static inline bool fl_type_is_varlen(fl_type t)
{
    return t.id == FL_TYPE_STRING || t.id == FL_TYPE_BINARY || t.id == FL_TYPE_FIXED ||
           t.id == FL_TYPE_UUID;
}
static inline bool fl_decimal_is_wide(fl_type t) { return t.precision > 18; }

/* Bytes per value in a column's data array (0 for nested and NULL types). */
size_t fl_type_width(fl_type t);
/* Lowercase SQL-ish name without parameters: "decimal", "timestamptz". */
const char *fl_type_name(fl_type_id id);
/* Full name with parameters into buf: "decimal(7,2)", "fixed(16)". Returns length. */
int fl_type_format(fl_type t, char *buf, size_t cap);
/*
 * Parses a type name as written in DDL (SQL, Spark, Iceberg spellings):
 * boolean, tinyint, smallint, int/integer, bigint/long, real/float, double
 * [precision], decimal/numeric(p[,s]), date, time, timestamp [(p)],
 * timestamptz / timestamp with time zone, timestamp_ns, varchar[(n)],
 * char[(n)], string, text, varbinary, binary, bytea, uuid, fixed(L).
 * Case-insensitive; surrounding spaces ignored. Nested types are not parsed.
 */
int fl_type_parse(fl_type *out, const char *s, size_t len, fl_error *err);

/* A scalar: predicates, statistics, literals. Strings are borrowed. */
typedef struct fl_value {
    fl_type type;
    bool is_null;
    union {
        bool b;
        int64_t i64;     /* all signed ints, DATE, TIME, TIMESTAMP*, narrow DECIMAL */
        uint64_t u64;    /* unsigned ints */
        double f64;      /* FLOAT and DOUBLE */
        fl_int128 i128;  /* wide DECIMAL */
        fl_strv s;       /* STRING, BINARY, FIXED, UUID */
    } v;
} fl_value;

/* Three-way compare of two non-null values of the same type id (decimals
 * must share a scale). Floats: NaN sorts after everything. */
int fl_value_cmp(const fl_value *a, const fl_value *b);

#endif
