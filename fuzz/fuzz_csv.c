/*
 * fuzz_csv.c: libFuzzer target for the CSV reader (src/format/csv).
 *
 * The first four bytes pick the options (delimiter, quote/escape style,
 * header, NULL string, skip_bad_rows, trailing delimiter, block size) and
 * one of four column type sets; the rest is the CSV text, read from memory
 * with csv_reader_open_mem. Each input is read twice: once split into tiny
 * blocks parsed on a thread pool (so nearly every record boundary is a
 * block boundary and quoted newlines cross them), once as a single block on
 * the calling thread. Both must give the same values, the same bad-row
 * count and the same error message; any difference aborts. Besides the
 * sanitizers' checks, the target checks that every string value is valid
 * UTF-8 and every batch respects batch_rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/arena.h"
#include "../src/base/threads.h"
#include "../src/format/csv/csv.h"
#include "../src/format/csv/csv_internal.h"

typedef struct outcome {
    uint64_t hash;
    int64_t rows, bad_rows;
    int rc;
    char message[FL_ERROR_MSG_MAX];
} outcome;

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static void hash_batch(outcome *o, fl_column **cols, int n, size_t rows, size_t batch_rows)
{
    if (rows > batch_rows) abort();
    for (int c = 0; c < n; c++) {
        const fl_column *col = cols[c];
        if (col->len != rows) abort();
        size_t width = fl_type_width(col->type);
        for (size_t i = 0; i < rows; i++) {
            uint8_t valid = fl_column_is_valid(col, i);
            o->hash = mix(o->hash, &valid, 1);
            if (!valid) continue;
            if (fl_type_is_varlen(col->type)) {
                fl_strv s = ((const fl_strv *)col->data)[i];
                if (col->type.id == FL_TYPE_STRING && csv_utf8_valid_prefix(s.ptr, s.len) != s.len)
                    abort();
                o->hash = mix(o->hash, &s.len, sizeof s.len);
                o->hash = mix(o->hash, s.ptr, s.len);
            } else {
                o->hash = mix(o->hash, (const char *)col->data + i * width, width);
            }
        }
    }
}

static void run(outcome *o, const uint8_t *data, size_t size, const fl_type *types, int n,
                const csv_opts *opts)
{
    memset(o, 0, sizeof *o);
    o->hash = 14695981039346656037ull;
    fl_error err;
    csv_reader *r;
    o->rc = csv_reader_open_mem(&r, "fuzz.csv", data, size, types, n, opts, &err);
    if (o->rc < 0) {
        snprintf(o->message, sizeof o->message, "%s", err.message);
        return;
    }
    fl_arena *arena = fl_arena_new(0);
    fl_column *cols[16];
    size_t batch_rows = opts->batch_rows;
    for (;;) {
        size_t rows;
        fl_arena_reset(arena);
        int rc = csv_reader_next(r, arena, cols, &rows, &err);
        if (rc < 0) {
            o->rc = rc;
            snprintf(o->message, sizeof o->message, "%s", err.message);
            break;
        }
        if (rows == 0) break;
        hash_batch(o, cols, n, rows, batch_rows);
    }
    o->rows = csv_reader_rows(r);
    o->bad_rows = csv_reader_bad_rows(r);
    csv_reader_free(r);
    fl_arena_free(arena);
}

static void type_set(int which, fl_type *t, int *n)
{
    switch (which) {
    case 0:
        t[0] = fl_type_make(FL_TYPE_INT32);
        t[1] = fl_type_make(FL_TYPE_STRING);
        t[2] = fl_type_decimal(7, 2);
        *n = 3;
        break;
    case 1:
        t[0] = fl_type_make(FL_TYPE_INT64);
        t[1] = fl_type_make(FL_TYPE_DOUBLE);
        t[2] = fl_type_make(FL_TYPE_DATE);
        t[3] = fl_type_make(FL_TYPE_TIMESTAMP);
        t[4] = fl_type_make(FL_TYPE_BOOL);
        *n = 5;
        break;
    case 2:
        t[0] = fl_type_make(FL_TYPE_STRING);
        t[1] = fl_type_make(FL_TYPE_BINARY);
        t[2] = fl_type_make(FL_TYPE_UUID);
        t[3] = fl_type_fixed(3);
        t[4] = fl_type_make(FL_TYPE_INT16);
        t[5] = fl_type_make(FL_TYPE_TIME);
        t[6] = fl_type_make(FL_TYPE_TIMESTAMPTZ);
        t[7] = fl_type_decimal(38, 10);
        t[8] = fl_type_make(FL_TYPE_FLOAT);
        t[9] = fl_type_make(FL_TYPE_UINT8);
        *n = 10;
        break;
    default:
        t[0] = fl_type_make(FL_TYPE_STRING);
        *n = 1;
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fl_pool *pool;
    if (!pool && fl_pool_new(&pool, 2) < 0) return 0;
    if (size < 4) return 0;
    static const char delims[] = {',', '|', '\t', ';'};
    static const char *nulls[] = {"", "\\N", "NULL", "0"};
    csv_opts o;
    csv_opts_init(&o);
    o.delimiter = delims[data[0] & 3];
    switch ((data[0] >> 2) & 3) {
    case 0: break;
    case 1: o.escape = '\\'; break;
    case 2: o.quote = 0; break;
    default: o.quote = o.escape = '\''; break;
    }
    o.header = data[0] & 16;
    o.skip_bad_rows = data[0] & 32;
    o.allow_trailing_delimiter = !(data[0] & 64);
    o.null_str = nulls[data[1] & 3];
    o.batch_rows = 1 + (data[1] >> 2);
    fl_type types[16];
    int n;
    type_set(data[2] & 3, types, &n);
    size_t tiny = 1 + (size_t)data[3] % 64;
    data += 4;
    size -= 4;

    outcome a, b;
    o.pool = pool;
    o.block_size = tiny;
    run(&a, data, size, types, n, &o);
    o.pool = NULL;
    o.block_size = 0;
    run(&b, data, size, types, n, &o);
    if (a.hash != b.hash || a.rows != b.rows || a.bad_rows != b.bad_rows || a.rc != b.rc ||
        strcmp(a.message, b.message) != 0) {
        fprintf(stderr, "split parse differs: rows %lld/%lld bad %lld/%lld rc %d/%d\n  %s\n  %s\n",
                (long long)a.rows, (long long)b.rows, (long long)a.bad_rows, (long long)b.bad_rows,
                a.rc, b.rc, a.message, b.message);
        abort();
    }
    return 0;
}
