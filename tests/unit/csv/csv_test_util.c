/*
 * csv_test_util.c: see csv_test_util.h.
 */
#include "csv_test_util.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/arena.h"
#include "../../../src/base/decimal.h"
#include "../../../src/base/time.h"

int ct_types(fl_type *types, const char *spec)
{
    int n = 0, depth = 0;
    const char *start = spec;
    for (const char *p = spec;; p++) {
        if (*p == '(') depth++;
        if (*p == ')') depth--;
        if (*p == 0 || (*p == ',' && depth == 0)) {
            if (n < 64 && fl_type_parse(&types[n], start, (size_t)(p - start), NULL) == 0) n++;
            else return -1;
            if (!*p) break;
            start = p + 1;
        }
    }
    return n;
}

void ct_render(fl_buf *out, const fl_column *col, size_t row)
{
    fl_value v;
    fl_column_get(col, row, &v);
    char buf[64];
    if (v.is_null) {
        fl_buf_append_str(out, "NULL");
        return;
    }
    switch ((fl_type_id)col->type.id) {
    case FL_TYPE_BOOL: fl_buf_append_str(out, v.v.b ? "true" : "false"); break;
    case FL_TYPE_INT8: case FL_TYPE_INT16: case FL_TYPE_INT32: case FL_TYPE_INT64:
        fl_buf_appendf(out, "%lld", (long long)v.v.i64);
        break;
    case FL_TYPE_UINT8: case FL_TYPE_UINT16: case FL_TYPE_UINT32: case FL_TYPE_UINT64:
        fl_buf_appendf(out, "%llu", (unsigned long long)v.v.u64);
        break;
    case FL_TYPE_FLOAT: fl_buf_appendf(out, "%.9g", v.v.f64); break;
    case FL_TYPE_DOUBLE: fl_buf_appendf(out, "%.17g", v.v.f64); break;
    case FL_TYPE_DECIMAL:
        fl_decimal_format(fl_decimal_is_wide(col->type) ? v.v.i128 : v.v.i64, col->type.scale, buf);
        fl_buf_append_str(out, buf);
        break;
    case FL_TYPE_DATE: fl_date_format((int32_t)v.v.i64, buf); fl_buf_append_str(out, buf); break;
    case FL_TYPE_TIME: fl_time_format(v.v.i64, buf); fl_buf_append_str(out, buf); break;
    case FL_TYPE_TIMESTAMP: case FL_TYPE_TIMESTAMP_NS:
        fl_buf_appendf(out, "%lld", (long long)v.v.i64);
        break;
    case FL_TYPE_TIMESTAMPTZ: case FL_TYPE_TIMESTAMPTZ_NS:
        fl_buf_appendf(out, "%lldZ", (long long)v.v.i64);
        break;
    case FL_TYPE_UUID:
        for (uint32_t i = 0; i < v.v.s.len; i++)
            fl_buf_appendf(out, "%02x", (unsigned char)v.v.s.ptr[i]);
        break;
    default:
        fl_buf_append_byte(out, '[');
        fl_buf_append(out, v.v.s.ptr, v.v.s.len);
        fl_buf_append_byte(out, ']');
        break;
    }
}

void ct_drain(csv_result *res, csv_reader *r, int n_columns)
{
    fl_arena *arena = fl_arena_new(0);
    fl_column *cols[64];
    for (;;) {
        size_t rows;
        fl_arena_reset(arena);
        int rc = csv_reader_next(r, arena, cols, &rows, &res->err);
        if (rc < 0) {
            res->rc = rc;
            break;
        }
        if (rows == 0) break;
        res->batches++;
        if (rows > res->max_batch) res->max_batch = rows;
        for (size_t i = 0; i < rows; i++) {
            for (int c = 0; c < n_columns; c++) {
                if (c) fl_buf_append_byte(&res->text, '|');
                ct_render(&res->text, cols[c], i);
            }
            fl_buf_append_byte(&res->text, '\n');
        }
    }
    res->rows = csv_reader_rows(r);
    res->bad_rows = csv_reader_bad_rows(r);
    csv_reader_free(r);
    fl_arena_free(arena);
}

void ct_read_mem(csv_result *res, const char *name, const char *text, size_t len,
                 const char *spec, const csv_opts *opts)
{
    memset(res, 0, sizeof *res);
    fl_buf_init(&res->text);
    fl_type types[64];
    int n = ct_types(types, spec);
    if (n < 0) {
        res->rc = FLOE_EINVAL;
        snprintf(res->err.message, sizeof res->err.message, "bad type spec %s", spec);
        return;
    }
    csv_reader *r;
    int rc = csv_reader_open_mem(&r, name, text, len, types, n, opts, &res->err);
    if (rc < 0) {
        res->rc = rc;
        return;
    }
    ct_drain(res, r, n);
}

void ct_result_dispose(csv_result *res) { fl_buf_dispose(&res->text); }
