/*
 * result.c: floe_result (include/floe.h): column names and types, the row
 * cursor and the chunk cursor over the chunks a statement produced, values
 * as numbers or as text in DuckDB's style (src/base/value_text.h), and the
 * builders src/main uses for the results of SHOW, DESCRIBE, EXPLAIN and
 * DML counts.
 *
 * A result owns the statement's arena: the chunks (and the strings they
 * point to) live exactly as long as the result.
 */
#include <string.h>

#include "../base/alloc.h"
#include "../base/value_text.h"
#include "../func/func.h"
#include "main_int.h"

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory building a result"); }

int result_new(floe_result **out, fl_arena *arena, uint32_t col_count, const char *const *names,
               const fl_type *types, ex_chunk *chunks, size_t chunk_count, fl_error *err)
{
    floe_result *r = fl_arena_calloc(arena, sizeof *r);
    if (!r) return oom(err);
    r->arena = arena;
    r->col_count = col_count;
    r->names = fl_arena_calloc(arena, (col_count + 1) * sizeof *r->names);
    r->types = fl_arena_calloc(arena, (col_count + 1) * sizeof *r->types);
    r->type_names = fl_arena_calloc(arena, (col_count + 1) * sizeof *r->type_names);
    r->text = fl_arena_calloc(arena, (col_count + 1) * sizeof *r->text);
    if (!r->names || !r->types || !r->type_names || !r->text) return oom(err);
    for (uint32_t i = 0; i < col_count; i++) {
        char buf[64];
        r->names[i] = fl_arena_strdup(arena, names && names[i] ? names[i] : "?");
        r->types[i] = types[i];
        if (fn_type_sql_name(types[i], buf, sizeof buf) < 0) fl_type_format(types[i], buf, sizeof buf);
        r->type_names[i] = fl_arena_strdup(arena, buf);
        if (!r->names[i] || !r->type_names[i]) return oom(err);
        fl_buf_init(&r->text[i]);
    }
    r->chunks = chunks;
    r->chunk_count = chunk_count;
    for (size_t i = 0; i < chunk_count; i++) r->row_count += (int64_t)chunks[i].count;
    r->cur_row = -1;
    *out = r;
    return 0;
}

int result_empty(floe_result **out, fl_arena *arena, fl_error *err)
{
    return result_new(out, arena, 0, NULL, NULL, NULL, 0, err);
}

int rows_init(row_builder *b, fl_arena *arena, uint32_t col_count, const char *const *names,
              const fl_type *types, fl_error *err)
{
    memset(b, 0, sizeof *b);
    b->arena = arena;
    b->col_count = col_count;
    b->names = fl_arena_calloc(arena, (col_count + 1) * sizeof *b->names);
    b->types = fl_arena_calloc(arena, (col_count + 1) * sizeof *b->types);
    if (!b->names || !b->types) return oom(err);
    for (uint32_t i = 0; i < col_count; i++) {
        b->names[i] = names[i];
        b->types[i] = types ? types[i] : fl_type_make(FL_TYPE_STRING);
    }
    return 0;
}

static int rows_last(row_builder *b, ex_chunk **out, fl_error *err)
{
    ex_chunk *last = b->chunk_count ? &b->chunks[b->chunk_count - 1] : NULL;
    if (!last || last->count == EX_CHUNK_ROWS) {
        if (b->chunk_count == b->chunk_cap) {
            size_t cap = b->chunk_cap ? b->chunk_cap * 2 : 4;
            ex_chunk *c = fl_arena_realloc(b->arena, b->chunks, b->chunk_cap * sizeof *c, cap * sizeof *c);
            if (!c) return oom(err);
            b->chunks = c;
            b->chunk_cap = cap;
        }
        last = &b->chunks[b->chunk_count++];
        FL_TRY(ex_chunk_init(last, b->arena, b->types, b->col_count, err));
    }
    *out = last;
    return 0;
}

int rows_add(row_builder *b, const fl_value *values, fl_error *err)
{
    ex_chunk *c = NULL;
    FL_TRY(rows_last(b, &c, err));
    for (uint32_t i = 0; i < b->col_count; i++) {
        fl_value v = values[i];
        if (v.is_null) v.type = b->types[i];
        FL_TRY(ex_column_set(c->cols[i].col, c->count, &v, err));
        c->cols[i].col->len = c->count + 1;
    }
    c->count++;
    return 0;
}

int rows_add_text(row_builder *b, const char *const *cells, fl_error *err)
{
    fl_value *vals = fl_arena_calloc(b->arena, (b->col_count + 1) * sizeof *vals);
    if (!vals) return oom(err);
    for (uint32_t i = 0; i < b->col_count; i++) {
        vals[i].type = fl_type_make(FL_TYPE_STRING);
        vals[i].is_null = cells[i] == NULL;
        if (cells[i]) vals[i].v.s = fl_strv_cstr(cells[i]);
    }
    return rows_add(b, vals, err);
}

int rows_finish(floe_result **out, row_builder *b, fl_error *err)
{
    return result_new(out, b->arena, b->col_count, b->names, b->types, b->chunks, b->chunk_count,
                      err);
}

int result_count(floe_result **out, fl_arena *arena, int64_t n, fl_error *err)
{
    row_builder b;
    const char *names[] = {"rows"};
    fl_type types[] = {fl_type_make(FL_TYPE_INT64)};
    FL_TRY(rows_init(&b, arena, 1, names, types, err));
    fl_value v = {.type = types[0]};
    v.v.i64 = n;
    FL_TRY(rows_add(&b, &v, err));
    FL_TRY(rows_finish(out, &b, err));
    (*out)->row_count = n;
    return 0;
}

/* ---------------------------------------------------------------- public API */

size_t floe_result_column_count(const floe_result *r) { return r ? r->col_count : 0; }

const char *floe_result_column_name(const floe_result *r, size_t col)
{
    return r && col < r->col_count ? r->names[col] : NULL;
}

floe_type floe_result_column_type(const floe_result *r, size_t col)
{
    if (!r || col >= r->col_count) return FLOE_TYPE_NULL;
    switch ((fl_type_id)r->types[col].id) {
    case FL_TYPE_BOOL: return FLOE_TYPE_BOOLEAN;
    case FL_TYPE_INT8: return FLOE_TYPE_TINYINT;
    case FL_TYPE_INT16:
    case FL_TYPE_UINT8: return FLOE_TYPE_SMALLINT;
    case FL_TYPE_INT32:
    case FL_TYPE_UINT16: return FLOE_TYPE_INTEGER;
    case FL_TYPE_INT64:
    case FL_TYPE_UINT32: return FLOE_TYPE_BIGINT;
    case FL_TYPE_FLOAT: return FLOE_TYPE_REAL;
    case FL_TYPE_DOUBLE: return FLOE_TYPE_DOUBLE;
    case FL_TYPE_DECIMAL: return FLOE_TYPE_DECIMAL;
    case FL_TYPE_STRING: return FLOE_TYPE_VARCHAR;
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED: return FLOE_TYPE_VARBINARY;
    case FL_TYPE_DATE: return FLOE_TYPE_DATE;
    case FL_TYPE_TIME: return FLOE_TYPE_TIME;
    case FL_TYPE_TIMESTAMP:
    case FL_TYPE_TIMESTAMP_NS: return FLOE_TYPE_TIMESTAMP;
    case FL_TYPE_TIMESTAMPTZ:
    case FL_TYPE_TIMESTAMPTZ_NS: return FLOE_TYPE_TIMESTAMPTZ;
    case FL_TYPE_UUID: return FLOE_TYPE_UUID;
    case FL_TYPE_NULL: return FLOE_TYPE_NULL;
    default: return FLOE_TYPE_OTHER;
    }
}

const char *floe_result_column_type_name(const floe_result *r, size_t col)
{
    return r && col < r->col_count ? r->type_names[col] : NULL;
}

int floe_result_next(floe_result *r)
{
    if (!r) return 0;
    r->cur_row++;
    while (r->cur_chunk < r->chunk_count && (size_t)r->cur_row >= r->chunks[r->cur_chunk].count) {
        r->cur_chunk++;
        r->cur_row = 0;
    }
    return r->cur_chunk < r->chunk_count ? 1 : 0;
}

static const ex_vector *cur_vec(const floe_result *r, size_t col, size_t *row)
{
    if (!r || col >= r->col_count || r->cur_row < 0 || r->cur_chunk >= r->chunk_count) return NULL;
    *row = (size_t)r->cur_row;
    return &r->chunks[r->cur_chunk].cols[col];
}

bool floe_result_is_null(const floe_result *r, size_t col)
{
    size_t row;
    const ex_vector *v = cur_vec(r, col, &row);
    return !v || v->col->type.id == FL_TYPE_NULL || !ex_vector_is_valid(v, row);
}

int64_t floe_result_get_int64(const floe_result *r, size_t col)
{
    size_t row;
    const ex_vector *v = cur_vec(r, col, &row);
    if (!v) return 0;
    fl_value val;
    ex_vector_get(v, row, &val);
    if (val.is_null) return 0;
    switch ((fl_type_id)val.type.id) {
    case FL_TYPE_BOOL: return val.v.b;
    case FL_TYPE_UINT8: case FL_TYPE_UINT16: case FL_TYPE_UINT32: case FL_TYPE_UINT64:
        return (int64_t)val.v.u64;
    case FL_TYPE_FLOAT: case FL_TYPE_DOUBLE: return (int64_t)val.v.f64;
    case FL_TYPE_DECIMAL: {
        fl_int128 x = fl_decimal_is_wide(val.type) ? val.v.i128 : val.v.i64;
        for (int i = 0; i < val.type.scale; i++) x /= 10;
        return (int64_t)x;
    }
    default: return val.v.i64;
    }
}

double floe_result_get_double(const floe_result *r, size_t col)
{
    size_t row;
    const ex_vector *v = cur_vec(r, col, &row);
    if (!v) return 0;
    fl_value val;
    ex_vector_get(v, row, &val);
    if (val.is_null) return 0;
    switch ((fl_type_id)val.type.id) {
    case FL_TYPE_FLOAT: case FL_TYPE_DOUBLE: return val.v.f64;
    case FL_TYPE_BOOL: return val.v.b;
    case FL_TYPE_UINT8: case FL_TYPE_UINT16: case FL_TYPE_UINT32: case FL_TYPE_UINT64:
        return (double)val.v.u64;
    case FL_TYPE_DECIMAL: {
        double x = fl_decimal_is_wide(val.type) ? (double)val.v.i128 : (double)val.v.i64;
        for (int i = 0; i < val.type.scale; i++) x /= 10;
        return x;
    }
    default: return (double)val.v.i64;
    }
}

static const char *render(floe_result *r, const ex_chunk *c, size_t col, size_t row)
{
    const ex_vector *v = &c->cols[col];
    if (v->col->type.id == FL_TYPE_NULL || !ex_vector_is_valid(v, row)) return NULL;
    fl_buf *b = &r->text[col];
    fl_buf_reset(b);
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    if (fl_column_render(b, v->col, ex_vector_row(v, row), &style) < 0) return NULL;
    return fl_buf_cstr(b);
}

const char *floe_result_get_text(floe_result *r, size_t col)
{
    size_t row;
    if (!cur_vec(r, col, &row)) return NULL;
    return render(r, &r->chunks[r->cur_chunk], col, row);
}

int floe_result_next_chunk(floe_result *r, size_t *rows)
{
    *rows = 0;
    if (!r) return 0;
    r->chunk_view = NULL;
    while (r->next_chunk < r->chunk_count && r->chunks[r->next_chunk].count == 0) r->next_chunk++;
    if (r->next_chunk >= r->chunk_count) return 0;
    r->chunk_view = &r->chunks[r->next_chunk++];
    *rows = r->chunk_view->count;
    return 0;
}

const char *floe_result_chunk_text(floe_result *r, size_t col, size_t row)
{
    if (!r || !r->chunk_view || col >= r->col_count || row >= r->chunk_view->count) return NULL;
    return render(r, r->chunk_view, col, row);
}

int64_t floe_result_row_count(const floe_result *r) { return r ? r->row_count : 0; }
int64_t floe_result_elapsed_us(const floe_result *r) { return r ? r->elapsed_us : 0; }

void floe_result_free(floe_result *r)
{
    if (!r) return;
    for (uint32_t i = 0; i < r->col_count; i++) fl_buf_dispose(&r->text[i]);
    fl_arena_free(r->arena);
}
