/*
 * type.c: names, widths, parsing and comparison of value types (see type.h).
 */
#include "type.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fl_type_width(fl_type t)
{
    switch ((fl_type_id)t.id) {
    case FL_TYPE_BOOL:
    case FL_TYPE_INT8:
    case FL_TYPE_UINT8: return 1;
    case FL_TYPE_INT16:
    case FL_TYPE_UINT16: return 2;
    case FL_TYPE_INT32:
    case FL_TYPE_UINT32:
    case FL_TYPE_FLOAT:
    case FL_TYPE_DATE: return 4;
    case FL_TYPE_INT64:
    case FL_TYPE_UINT64:
    case FL_TYPE_DOUBLE:
    case FL_TYPE_TIME:
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMP_NS:
    case FL_TYPE_TIMESTAMPTZ_NS: return 8;
    case FL_TYPE_DECIMAL: return fl_decimal_is_wide(t) ? 16 : 8;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: return sizeof(fl_strv);
    default: return 0;
    }
}

static const char *const type_names[FL_TYPE__COUNT] = {
    [FL_TYPE_INVALID] = "invalid",   [FL_TYPE_BOOL] = "boolean",
    [FL_TYPE_INT8] = "tinyint",      [FL_TYPE_INT16] = "smallint",
    [FL_TYPE_INT32] = "integer",     [FL_TYPE_INT64] = "bigint",
    [FL_TYPE_UINT8] = "utinyint",    [FL_TYPE_UINT16] = "usmallint",
    [FL_TYPE_UINT32] = "uinteger",   [FL_TYPE_UINT64] = "ubigint",
    [FL_TYPE_FLOAT] = "real",        [FL_TYPE_DOUBLE] = "double",
    [FL_TYPE_DECIMAL] = "decimal",   [FL_TYPE_DATE] = "date",
    [FL_TYPE_TIME] = "time",         [FL_TYPE_TIMESTAMP] = "timestamp",
    [FL_TYPE_TIMESTAMPTZ] = "timestamptz", [FL_TYPE_TIMESTAMP_NS] = "timestamp_ns",
    [FL_TYPE_TIMESTAMPTZ_NS] = "timestamptz_ns", [FL_TYPE_STRING] = "varchar",
    [FL_TYPE_BINARY] = "varbinary",  [FL_TYPE_FIXED] = "fixed",
    [FL_TYPE_UUID] = "uuid",         [FL_TYPE_STRUCT] = "struct",
    [FL_TYPE_LIST] = "list",         [FL_TYPE_MAP] = "map",
    [FL_TYPE_NULL] = "null",
};

const char *fl_type_name(fl_type_id id)
{
    return (unsigned)id < FL_TYPE__COUNT && type_names[id] ? type_names[id] : "invalid";
}

int fl_type_format(fl_type t, char *buf, size_t cap)
{
    if (t.id == FL_TYPE_DECIMAL) return snprintf(buf, cap, "decimal(%d,%d)", t.precision, t.scale);
    if (t.id == FL_TYPE_FIXED) return snprintf(buf, cap, "fixed(%d)", (int)t.fixed_len);
    return snprintf(buf, cap, "%s", fl_type_name((fl_type_id)t.id));
}

/* Splits "name(args)" into a lowercase word sequence and the argument list. */
typedef struct {
    char words[64];
    long args[2];
    int nargs;
} type_tokens;

static int tokenize(type_tokens *tt, const char *s, size_t len)
{
    size_t i = 0, w = 0;
    tt->nargs = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            if (w && tt->words[w - 1] != ' ') {
                if (w + 1 >= sizeof tt->words) return -1;
                tt->words[w++] = ' ';
            }
            i++;
        } else if (c == '(') {
            i++;
            bool closed = false;
            while (i < len && !closed) {
                while (i < len && isspace((unsigned char)s[i])) i++;
                if (i >= len || !isdigit((unsigned char)s[i]) || tt->nargs == 2) return -1;
                long v = 0;
                while (i < len && isdigit((unsigned char)s[i])) {
                    v = v * 10 + (s[i] - '0');
                    if (v > 1000000000L) return -1;
                    i++;
                }
                tt->args[tt->nargs++] = v;
                while (i < len && isspace((unsigned char)s[i])) i++;
                if (i < len && s[i] == ',') { i++; continue; }
                if (i < len && s[i] == ')') { i++; closed = true; continue; }
                return -1;
            }
            if (!closed) return -1;
        } else if (isalnum(c) || c == '_') {
            if (w + 1 >= sizeof tt->words) return -1;
            tt->words[w++] = (char)tolower(c);
            i++;
        } else {
            return -1;
        }
    }
    while (w && tt->words[w - 1] == ' ') w--;
    tt->words[w] = 0;
    return 0;
}

int fl_type_parse(fl_type *out, const char *s, size_t len, fl_error *err)
{
    static const struct { const char *name; fl_type_id id; } simple[] = {
        {"boolean", FL_TYPE_BOOL},   {"bool", FL_TYPE_BOOL},
        {"tinyint", FL_TYPE_INT8},   {"byte", FL_TYPE_INT8},
        {"smallint", FL_TYPE_INT16}, {"short", FL_TYPE_INT16},
        {"int", FL_TYPE_INT32},      {"integer", FL_TYPE_INT32}, {"int4", FL_TYPE_INT32},
        {"bigint", FL_TYPE_INT64},   {"long", FL_TYPE_INT64},    {"int8", FL_TYPE_INT64},
        {"real", FL_TYPE_FLOAT},     {"float", FL_TYPE_FLOAT},   {"float4", FL_TYPE_FLOAT},
        {"double", FL_TYPE_DOUBLE},  {"double precision", FL_TYPE_DOUBLE}, {"float8", FL_TYPE_DOUBLE},
        {"date", FL_TYPE_DATE},
        {"time", FL_TYPE_TIME},      {"time without time zone", FL_TYPE_TIME},
        {"timestamp", FL_TYPE_TIMESTAMP}, {"timestamp without time zone", FL_TYPE_TIMESTAMP},
        {"timestamp_ntz", FL_TYPE_TIMESTAMP},
        {"timestamptz", FL_TYPE_TIMESTAMPTZ}, {"timestamp with time zone", FL_TYPE_TIMESTAMPTZ},
        {"timestamp_ltz", FL_TYPE_TIMESTAMPTZ},
        {"timestamp_ns", FL_TYPE_TIMESTAMP_NS}, {"timestamptz_ns", FL_TYPE_TIMESTAMPTZ_NS},
        {"varchar", FL_TYPE_STRING}, {"char", FL_TYPE_STRING},   {"character", FL_TYPE_STRING},
        {"character varying", FL_TYPE_STRING}, {"string", FL_TYPE_STRING}, {"text", FL_TYPE_STRING},
        {"varbinary", FL_TYPE_BINARY}, {"binary", FL_TYPE_BINARY}, {"bytea", FL_TYPE_BINARY},
        {"blob", FL_TYPE_BINARY},
        {"uuid", FL_TYPE_UUID},
    };
    type_tokens tt;
    if (tokenize(&tt, s, len) < 0 || !tt.words[0])
        return fl_error_set(err, FLOE_ESYNTAX, "invalid type name \"%.*s\"", (int)len, s);
    if (!strcmp(tt.words, "decimal") || !strcmp(tt.words, "numeric") || !strcmp(tt.words, "dec")) {
        long p = tt.nargs >= 1 ? tt.args[0] : 38, sc = tt.nargs >= 2 ? tt.args[1] : 0;
        if (p < 1 || p > FL_DECIMAL_MAX_PRECISION || sc > p)
            return fl_error_set(err, FLOE_EINVAL, "invalid decimal precision or scale in \"%.*s\"",
                                (int)len, s);
        *out = fl_type_decimal((int)p, (int)sc);
        return 0;
    }
    if (!strcmp(tt.words, "fixed")) {
        if (tt.nargs != 1 || tt.args[0] < 1)
            return fl_error_set(err, FLOE_EINVAL, "fixed type needs a length: \"%.*s\"", (int)len, s);
        *out = fl_type_fixed((int32_t)tt.args[0]);
        return 0;
    }
    /* "timestamp(6) with time zone": arguments are a precision we accept */
    for (size_t i = 0; i < FL_ARRAY_SIZE(simple); i++) {
        if (!strcmp(tt.words, simple[i].name)) {
            *out = fl_type_make(simple[i].id);
            return 0;
        }
    }
    return fl_error_set(err, FLOE_ESYNTAX, "unknown type \"%.*s\"", (int)len, s);
}

int fl_value_cmp(const fl_value *a, const fl_value *b)
{
    switch ((fl_type_id)a->type.id) {
    case FL_TYPE_BOOL: return (int)a->v.b - (int)b->v.b;
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16:
    case FL_TYPE_UINT32:
    case FL_TYPE_UINT64: return a->v.u64 < b->v.u64 ? -1 : a->v.u64 > b->v.u64;
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE: {
        double x = a->v.f64, y = b->v.f64;
        if (isnan(x) || isnan(y)) return isnan(x) - isnan(y);
        return x < y ? -1 : x > y;
    }
    case FL_TYPE_DECIMAL:
        if (fl_decimal_is_wide(a->type)) return a->v.i128 < b->v.i128 ? -1 : a->v.i128 > b->v.i128;
        return a->v.i64 < b->v.i64 ? -1 : a->v.i64 > b->v.i64;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: return fl_strv_cmp(a->v.s, b->v.s);
    default: return a->v.i64 < b->v.i64 ? -1 : a->v.i64 > b->v.i64;
    }
}
