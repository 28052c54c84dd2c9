/*
 * dg_output.c: writing generated tables to files: dsdgen's pipe-delimited
 * `dat` (every field followed by '|', NULL as empty, decimals with their
 * scale's digits, dates yyyy-mm-dd), `csv` with a header row (RFC 4180
 * quoting, NULL as an empty field), or Parquet through pq_writer with the
 * schema's types (INT32, DECIMAL(p,s), DATE, STRING; NOT NULL columns
 * required). Text is encoded on the worker threads (dg_sink.encode); the
 * calling thread only appends the encoded blocks in order.
 */
#include <stdio.h>
#include <string.h>

#include "dg_int.h"

#include "../base/alloc.h"
#include "../base/time.h"
#include "../format/parquet/pq_writer.h"
#include "../io/io.h"

typedef struct out_ctx {
    dg_format format;
    io_writer *w[DG_N_TABLES];
    pq_writer *pq[DG_N_TABLES];
    struct fl_pool *pool;
} out_ctx;

static char *put_int(char *p, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    if (v < 0) *p++ = '-';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n) *p++ = tmp[--n];
    return p;
}

static char *put_dec(char *p, int64_t unscaled, int scale)
{
    if (unscaled < 0) {
        *p++ = '-';
        unscaled = -unscaled;
    }
    int64_t pow = 1;
    for (int i = 0; i < scale; i++) pow *= 10;
    p = put_int(p, unscaled / pow);
    if (scale) {
        *p++ = '.';
        int64_t frac = unscaled % pow;
        for (int i = scale - 1; i >= 0; i--) {
            p[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += scale;
    }
    return p;
}

/* Encodes one block as dat (sep '|' after every field) or csv. */
static int encode_text(void *arg, int table, fl_column *const *cols, size_t rows, fl_buf *out)
{
    out_ctx *oc = arg;
    bool csv = oc->format == DG_FORMAT_CSV;
    const dg_tabledef *t = &dg_tables[table];
    for (size_t row = 0; row < rows; row++) {
        for (int c = 0; c < t->n_columns; c++) {
            const fl_column *col = cols[c];
            size_t need = 48;
            fl_strv sv = {0};
            if (t->columns[c].type == DG_STR && fl_column_is_valid(col, row)) {
                sv = ((const fl_strv *)col->data)[row];
                need += (size_t)sv.len * 2 + 2;
            }
            if (fl_buf_reserve(out, need) < 0) return FLOE_ENOMEM;
            char *p = out->data + out->len;
            if (fl_column_is_valid(col, row)) {
                switch (t->columns[c].type) {
                case DG_INT: p = put_int(p, ((const int32_t *)col->data)[row]); break;
                case DG_DEC: p = put_dec(p, ((const int64_t *)col->data)[row], t->columns[c].scale); break;
                case DG_DATE: p += fl_date_format(((const int32_t *)col->data)[row], p); break;
                default:
                    if (csv && (memchr(sv.ptr, ',', sv.len) || memchr(sv.ptr, '"', sv.len) ||
                                memchr(sv.ptr, '\n', sv.len))) {
                        *p++ = '"';
                        for (uint32_t i = 0; i < sv.len; i++) {
                            if (sv.ptr[i] == '"') *p++ = '"';
                            *p++ = sv.ptr[i];
                        }
                        *p++ = '"';
                    } else {
                        memcpy(p, sv.ptr, sv.len);
                        p += sv.len;
                    }
                }
            }
            if (!csv) *p++ = '|';
            else *p++ = c + 1 < t->n_columns ? ',' : '\n';
            out->len = (size_t)(p - out->data);
            *p = 0;
        }
        if (!csv && fl_buf_append_byte(out, '\n') < 0) return FLOE_ENOMEM;
    }
    return 0;
}

static int write_block(void *arg, int table, fl_column *const *cols, size_t rows,
                       const void *encoded, size_t encoded_len, fl_error *err)
{
    out_ctx *oc = arg;
    if (oc->format == DG_FORMAT_PARQUET) return pq_writer_write(oc->pq[table], cols, rows, err);
    return encoded_len ? io_write(oc->w[table], encoded, encoded_len, err) : 0;
}

static int open_table(out_ctx *oc, int table, const char *dir, fl_arena *arena, fl_error *err)
{
    static const char *const ext[] = {"dat", "csv", "parquet"};
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s.%s", dir, dg_tables[table].name, ext[oc->format]);
    if (n < 0 || (size_t)n >= sizeof(path))
        return fl_error_set(err, FLOE_EINVAL, "output directory path \"%s\" is too long", dir);
    int rc = io_create_local(path, 0, &oc->w[table], err);
    if (rc < 0) return rc;
    const dg_tabledef *t = &dg_tables[table];
    if (oc->format == DG_FORMAT_CSV) {
        fl_buf hdr;
        fl_buf_init(&hdr);
        for (int c = 0; c < t->n_columns && rc == 0; c++)
            rc = fl_buf_appendf(&hdr, "%s%c", t->columns[c].name, c + 1 < t->n_columns ? ',' : '\n');
        if (rc == 0) rc = io_write(oc->w[table], hdr.data, hdr.len, err);
        else rc = fl_error_set(err, FLOE_ENOMEM, "out of memory writing a csv header");
        fl_buf_dispose(&hdr);
        return rc;
    }
    if (oc->format == DG_FORMAT_PARQUET) {
        pq_field root;
        memset(&root, 0, sizeof(root));
        root.name = t->name;
        root.type = fl_type_make(FL_TYPE_STRUCT);
        root.children = fl_arena_calloc(arena, sizeof(pq_field) * (size_t)t->n_columns);
        if (!root.children) return fl_error_set(err, FLOE_ENOMEM, "out of memory building a schema");
        root.n_children = (uint32_t)t->n_columns;
        for (int c = 0; c < t->n_columns; c++) {
            pq_field *f = &root.children[c];
            f->name = t->columns[c].name;
            f->type = dg_column_type(&t->columns[c]);
            f->nullable = !t->columns[c].not_null;
            f->field_id = c + 1;
            f->has_field_id = true;
            f->leaf_index = -1;
        }
        pq_writer_opts wo;
        pq_writer_opts_init(&wo);
        wo.pool = oc->pool;
        return pq_writer_new(&oc->pq[table], oc->w[table], &root, &wo, err);
    }
    return 0;
}

static int close_table(out_ctx *oc, int table, fl_error *err)
{
    int rc = 0;
    if (oc->pq[table]) {
        rc = pq_writer_close(oc->pq[table], err);
        pq_writer_free(oc->pq[table]);
        oc->pq[table] = NULL;
    }
    if (oc->w[table]) {
        io_writer *w = oc->w[table];
        oc->w[table] = NULL;
        if (rc < 0) io_writer_abort(w);
        else rc = io_writer_close(w, err);
    }
    return rc;
}

static void abort_all(out_ctx *oc)
{
    for (int t = 0; t < DG_N_TABLES; t++) {
        pq_writer_free(oc->pq[t]);
        oc->pq[t] = NULL;
        io_writer_abort(oc->w[t]);
        oc->w[t] = NULL;
    }
}

int dg_write_tables(const dg_opts *opts, const bool want[DG_N_TABLES], dg_format format,
                    const char *dir, int64_t rows_out[DG_N_TABLES], fl_error *err)
{
    out_ctx oc;
    memset(&oc, 0, sizeof(oc));
    oc.format = format;
    oc.pool = opts->pool;
    dg_sink sink = {format == DG_FORMAT_PARQUET ? NULL : encode_text, write_block, &oc};
    fl_arena *arena = fl_arena_new(1 << 16);
    if (!arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = 0;
    for (int t = 0; t < DG_N_TABLES && rc == 0; t++) {
        if (!want[t] || (dg_sales_of(t) >= 0 && want[dg_sales_of(t)])) continue;
        int ret = dg_returns_of(t);
        bool with_returns = ret >= 0 && want[ret];
        if ((rc = open_table(&oc, t, dir, arena, err)) < 0) break;
        if (with_returns && (rc = open_table(&oc, ret, dir, arena, err)) < 0) break;
        if ((rc = dg_generate(opts, t, with_returns, &sink, rows_out, err)) < 0) break;
        if ((rc = close_table(&oc, t, err)) < 0) break;
        if (with_returns && (rc = close_table(&oc, ret, err)) < 0) break;
    }
    if (rc < 0) abort_all(&oc);
    fl_arena_free(arena);
    return rc;
}
