/*
 * table_files.c: resolving file sets, cutting them into morsels, reading
 * morsels of delimited text or Parquet (see table_files.h), and sniffing the
 * columns of delimited text.
 *
 * Sniffing reuses the CSV reader for decompression and line splitting: the
 * first file is opened as one BINARY column with an impossible delimiter
 * and no quoting, so each batch row is one physical line; the lines are
 * then split by a small quote-aware splitter here.
 */
#include "table_files.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/strutil.h"
#include "../base/time.h"
#include "../exec/vector.h"
#include "../format/csv/csv.h"
#include "../format/parquet/pq_reader.h"
#include "func.h"

#define SNIFF_ROWS 2048

/* ---------------------------------------------------------------- resolving */

typedef struct list_ctx {
    fl_arena *arena;
    const char *pattern;         /* glob, or NULL for a directory listing */
    size_t prefix_len;           /* directory listing: skip hidden names after it */
    const char **paths;
    size_t count, cap;
    bool oom;
} list_ctx;

static bool hidden_after(const char *loc, size_t prefix_len)
{
    const char *p = loc + prefix_len;
    while (*p == '/') p++;
    for (;;) {
        if (*p == '.' || *p == '_') return true;
        const char *s = strchr(p, '/');
        if (s == NULL) return false;
        p = s + 1;
    }
}

static int collect(void *vctx, const char *location, uint64_t size)
{
    (void)size;
    list_ctx *c = vctx;
    if (c->pattern) {
        if (fnmatch(c->pattern, location, FNM_PATHNAME) != 0) return 0;
    } else if (hidden_after(location, c->prefix_len)) {
        return 0;
    }
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        const char **p = fl_arena_realloc(c->arena, c->paths, c->cap * sizeof(*p), cap * sizeof(*p));
        if (p == NULL) { c->oom = true; return 1; }
        c->paths = p;
        c->cap = cap;
    }
    c->paths[c->count] = fl_arena_strdup(c->arena, location);
    if (c->paths[c->count] == NULL) { c->oom = true; return 1; }
    c->count++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int fn_files_resolve(const char ***paths, size_t *count, io_fs *fs, const char *location,
                     fl_arena *arena, fl_error *err)
{
    list_ctx c = {arena, NULL, 0, NULL, 0, 0, false};
    const char *wild = strpbrk(location, "*?[");
    const char *prefix = location;
    char *owned = NULL;
    if (wild) {
        const char *slash = NULL;
        for (const char *p = location; p < wild; p++)
            if (*p == '/') slash = p;
        if (slash == NULL) {
            /* a pattern in the current directory: list "." and match "./pattern" */
            size_t n = strlen(location);
            owned = fl_arena_alloc(arena, n + 3);
            if (owned == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            memcpy(owned, "./", 2);
            memcpy(owned + 2, location, n + 1);
            c.pattern = owned;
            prefix = ".";
        } else {
            c.pattern = location;
            owned = fl_arena_strndup(arena, location, (size_t)(slash - location) + 1);
            if (owned == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            prefix = owned;
        }
    } else {
        c.prefix_len = strlen(location);
    }
    int rc = io_list(fs, prefix, collect, &c, err);
    if (c.oom) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc < 0) return rc;
    if (c.count == 0)
        return fl_error_set(err, FLOE_ENOTFOUND, "no files found that match the pattern \"%s\"",
                            location);
    if (wild == NULL) {
        /* a file exactly at location hides nothing else */
        for (size_t i = 0; i < c.count; i++)
            if (strcmp(c.paths[i], location) == 0) {
                c.paths[0] = c.paths[i];
                c.count = 1;
                break;
            }
    }
    qsort(c.paths, c.count, sizeof(*c.paths), cmp_str);
    *paths = c.paths;
    *count = c.count;
    return 0;
}

fn_file_format fn_file_format_of(const char *path)
{
    size_t n = strlen(path);
    if ((n >= 8 && strcasecmp(path + n - 8, ".parquet") == 0) ||
        (n >= 5 && strcasecmp(path + n - 5, ".parq") == 0))
        return FN_FILE_PARQUET;
    return FN_FILE_CSV;
}

/* ---------------------------------------------------------------- parquet */

static int open_parquet(io_fs *fs, const char *path, io_reader **src, pq_file **pq, fl_error *err)
{
    *src = NULL;
    *pq = NULL;
    FL_TRY(io_open(fs, path, src, err));
    int rc = pq_file_open(pq, *src, err);
    if (rc < 0) {
        fl_error_prefix(err, "could not read \"%s\": ", path);
        io_reader_close(*src);
        *src = NULL;
    }
    return rc;
}

int fn_files_parquet_schema(fn_files *f, fl_arena *arena, fl_error *err)
{
    io_reader *src;
    pq_file *pq;
    FL_TRY(open_parquet(f->fs, f->paths[0], &src, &pq, err));
    const pq_field *root = pq_file_schema(pq);
    int rc = 0;
    uint32_t n = root->n_children;
    f->column_names = fl_arena_calloc(arena, (n + 1) * sizeof(char *));
    f->column_types = fl_arena_calloc(arena, (n + 1) * sizeof(fl_type));
    if (f->column_names == NULL || f->column_types == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        f->column_names[i] = fl_arena_strdup(arena, root->children[i].name);
        f->column_types[i] = root->children[i].type;
        if (f->column_names[i] == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    f->column_count = n;
    pq_file_free(pq);
    io_reader_close(src);
    return rc;
}

static int find_column(const pq_file *pq, const char *name)
{
    int c = pq_file_column_index(pq, name);
    if (c >= 0) return c;
    const pq_field *root = pq_file_schema(pq);
    for (uint32_t i = 0; i < root->n_children; i++)
        if (strcasecmp(root->children[i].name, name) == 0) return (int)i;
    return -1;
}

/* ---------------------------------------------------------------- morsels */

int fn_files_morsels(fn_morsel **out, size_t *count, const fn_files *f, fl_arena *arena,
                     fl_error *err)
{
    size_t cap = f->path_count + 1, n = 0;
    fn_morsel *m = fl_arena_alloc(arena, cap * sizeof(*m));
    if (m == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < f->path_count; i++) {
        if (f->format == FN_FILE_CSV) {
            m[n++] = (fn_morsel){(uint32_t)i, 0, 0, -1};
            continue;
        }
        io_reader *src;
        pq_file *pq;
        FL_TRY(open_parquet(f->fs, f->paths[i], &src, &pq, err));
        int groups = pq_file_num_row_groups(pq);
        const pq_file_meta *meta = pq_file_metadata(pq);
        if (n + (size_t)groups + 1 > cap) {
            size_t ncap = (n + (size_t)groups + 1) * 2;
            fn_morsel *nm = fl_arena_realloc(arena, m, cap * sizeof(*m), ncap * sizeof(*m));
            if (nm == NULL) {
                pq_file_free(pq);
                io_reader_close(src);
                return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            }
            m = nm;
            cap = ncap;
        }
        for (int g = 0; g < groups; g++)
            m[n++] = (fn_morsel){(uint32_t)i, g, g + 1, meta->row_groups[g].num_rows};
        pq_file_free(pq);
        io_reader_close(src);
    }
    *out = m;
    *count = n;
    return 0;
}

/* ---------------------------------------------------------------- reading */

struct fn_file_reader {
    const fn_files *f;
    const fn_morsel *m;
    const uint32_t *column_ids;
    uint32_t n;
    /* CSV */
    csv_reader *csv;
    fl_column **all;             /* every file column of a batch */
    /* Parquet */
    io_reader *src;
    pq_file *pq;
    pq_scan *scan;
    int *pq_cols;                /* file column per requested column */
    fl_column **raw;
    int raw_count;
};

static int open_csv(fn_file_reader *r, fl_pool *pool, fl_error *err)
{
    const fn_files *f = r->f;
    const char *path = f->paths[r->m->file];
    uint32_t nc = f->column_count;
    fl_type *types = fl_calloc(nc + 1, sizeof(fl_type));
    r->all = fl_calloc(nc + 1, sizeof(fl_column *));
    if (types == NULL || r->all == NULL) {
        fl_free(types);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    for (uint32_t c = 0; c < nc; c++) types[c] = fl_type_make(FL_TYPE_BINARY);
    for (uint32_t i = 0; i < r->n; i++) types[r->column_ids[i]] = f->column_types[r->column_ids[i]];
    csv_opts o;
    csv_opts_init(&o);
    o.delimiter = f->delimiter ? f->delimiter : ',';
    o.quote = f->quote;
    o.escape = f->quote;
    o.header = f->header;
    o.null_str = f->null_str ? f->null_str : "";
    o.allow_trailing_delimiter = true;
    o.pool = pool;
    o.column_names = f->column_names;
    io_reader *src;
    int rc = io_open(f->fs, path, &src, err);
    if (rc == 0) rc = csv_reader_open_io(&r->csv, src, path, types, (int)nc, &o, err);
    fl_free(types);
    return rc;
}

static int open_pq(fn_file_reader *r, fl_error *err)
{
    const fn_files *f = r->f;
    const char *path = f->paths[r->m->file];
    FL_TRY(open_parquet(f->fs, path, &r->src, &r->pq, err));
    r->pq_cols = fl_calloc(r->n + 1, sizeof(int));
    r->raw = fl_calloc(r->n + 1, sizeof(fl_column *));
    if (r->pq_cols == NULL || r->raw == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < r->n; i++) {
        const char *name = f->column_names[r->column_ids[i]];
        int c = find_column(r->pq, name);
        if (c < 0)
            return fl_error_set(err, FLOE_ENOTFOUND, "column \"%s\" not found in \"%s\"", name, path);
        r->pq_cols[i] = c;
    }
    r->raw_count = (int)r->n;
    if (r->raw_count == 0) {
        /* count rows through the narrowest possible read: the first column */
        r->pq_cols[0] = 0;
        r->raw_count = 1;
    }
    pq_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.columns = r->pq_cols;
    o.n_columns = r->raw_count;
    o.row_group_begin = r->m->rg_begin;
    o.row_group_end = r->m->rg_end;
    o.batch_rows = EX_CHUNK_ROWS;
    int rc = pq_scan_new(&r->scan, r->pq, &o, err);
    if (rc < 0) fl_error_prefix(err, "could not read \"%s\": ", path);
    return rc;
}

int fn_file_reader_open(fn_file_reader **out, const fn_files *f, const fn_morsel *m,
                        const uint32_t *column_ids, uint32_t n, fl_pool *pool, fl_error *err)
{
    *out = NULL;
    fn_file_reader *r = fl_calloc(1, sizeof(*r));
    if (r == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    r->f = f;
    r->m = m;
    r->column_ids = column_ids;
    r->n = n;
    for (uint32_t i = 0; i < n; i++)
        if (column_ids[i] >= f->column_count) {
            fn_file_reader_free(r);
            return fl_error_set(err, FLOE_EINTERNAL, "column %u out of range", (unsigned)column_ids[i]);
        }
    int rc = f->format == FN_FILE_CSV ? open_csv(r, pool, err) : open_pq(r, err);
    if (rc < 0) {
        fn_file_reader_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int fn_file_reader_next(fn_file_reader *r, fl_arena *arena, fl_column **cols, size_t *rows,
                        fl_error *err)
{
    *rows = 0;
    if (r->csv) {
        FL_TRY(csv_reader_next(r->csv, arena, r->all, rows, err));
        for (uint32_t i = 0; i < r->n; i++) cols[i] = r->all[r->column_ids[i]];
        return 0;
    }
    size_t n = 0;
    int rc = pq_scan_next(r->scan, arena, r->raw, &n, err);
    if (rc < 0) {
        fl_error_prefix(err, "could not read \"%s\": ", r->f->paths[r->m->file]);
        return rc;
    }
    for (uint32_t i = 0; i < r->n && n > 0; i++) {
        fl_type want = r->f->column_types[r->column_ids[i]];
        fl_column *c = r->raw[i];
        if (!fl_type_eq(c->type, want)) {
            fl_column *conv = fl_column_new(arena, want, n);
            if (conv == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
            conv->len = n;
            ex_vector v = {.kind = EX_VECTOR_FLAT, .col = c};
            rc = fn_cast(&v, n, want, false, conv, arena, err);
            if (rc < 0) {
                fl_error_prefix(err, "column \"%s\" of \"%s\": ",
                                r->f->column_names[r->column_ids[i]], r->f->paths[r->m->file]);
                return rc;
            }
            c = conv;
        }
        cols[i] = c;
    }
    *rows = n;
    return 0;
}

void fn_file_reader_free(fn_file_reader *r)
{
    if (r == NULL) return;
    csv_reader_free(r->csv);
    pq_scan_free(r->scan);
    pq_file_free(r->pq);
    io_reader_close(r->src);
    fl_free(r->all);
    fl_free(r->pq_cols);
    fl_free(r->raw);
    fl_free(r);
}

/* ---------------------------------------------------------------- sniffing */

typedef struct sniff_line {
    const char *p;
    size_t len;
} sniff_line;

/* Splits a line into fields (quote-aware, quote doubled inside quotes);
 * returns the field count, filling at most cap (starts/lengths/quoted). */
static size_t split_line(const char *s, size_t len, char delim, char quote, const char **fs,
                         size_t *fl, bool *fq, size_t cap)
{
    size_t n = 0, i = 0;
    for (;;) {
        const char *start = s + i;
        size_t flen;
        bool quoted = false;
        if (quote && i < len && s[i] == quote) {
            quoted = true;
            size_t j = i + 1;
            while (j < len) {
                if (s[j] == quote) {
                    if (j + 1 < len && s[j + 1] == quote) { j += 2; continue; }
                    break;
                }
                j++;
            }
            start = s + i + 1;
            flen = (j < len ? j : len) - (i + 1);
            i = j + 1;
            while (i < len && s[i] != delim) i++;
        } else {
            size_t j = i;
            while (j < len && s[j] != delim) j++;
            flen = j - i;
            i = j;
        }
        if (n < cap) {
            fs[n] = start;
            fl[n] = flen;
            fq[n] = quoted;
        }
        n++;
        if (i >= len) break;
        i++;   /* the delimiter */
    }
    return n;
}

enum { SN_BOOL, SN_BIGINT, SN_DOUBLE, SN_DATE, SN_TIMESTAMP, SN_VARCHAR };

static bool parses_as(int kind, const char *s, size_t len)
{
    switch (kind) {
    case SN_BOOL:
        return (len == 4 && strncasecmp(s, "true", 4) == 0) ||
               (len == 5 && strncasecmp(s, "false", 5) == 0);
    case SN_BIGINT: { int64_t v; return fl_parse_i64(&v, s, len, NULL) == 0; }
    case SN_DOUBLE: { double v; return fl_parse_double(&v, s, len, NULL) == 0; }
    case SN_DATE: { int32_t v; return len >= 8 && fl_date_parse(s, len, &v); }
    case SN_TIMESTAMP: { int64_t v; bool z; return len >= 10 && fl_timestamp_parse(s, len, &v, &z); }
    default: return true;
    }
}

static fl_type sniff_type(int kind)
{
    static const fl_type_id ids[] = {FL_TYPE_BOOL, FL_TYPE_INT64, FL_TYPE_DOUBLE, FL_TYPE_DATE,
                                     FL_TYPE_TIMESTAMP, FL_TYPE_STRING};
    return fl_type_make(ids[kind]);
}

/* The first SNIFF_ROWS physical lines of the first file. */
static int sample_lines(const fn_files *f, sniff_line **lines, size_t *count, fl_arena *arena,
                        fl_error *err)
{
    fl_type t = fl_type_make(FL_TYPE_BINARY);
    csv_opts o;
    csv_opts_init(&o);
    o.delimiter = '\x01';
    o.quote = 0;
    o.escape = 0;
    o.null_str = "\x02\x03";
    o.batch_rows = SNIFF_ROWS;
    io_reader *src;
    csv_reader *r = NULL;
    FL_TRY(io_open(f->fs, f->paths[0], &src, err));
    int rc = csv_reader_open_io(&r, src, f->paths[0], &t, 1, &o, err);
    fl_column *col = NULL;
    size_t n = 0;
    if (rc == 0) rc = csv_reader_next(r, arena, &col, &n, err);
    if (rc < 0 && r) {
        /* a line with the impossible delimiter: give up on that file's sample */
        fl_error_prefix(err, "could not sniff \"%s\": ", f->paths[0]);
    }
    if (rc == 0) {
        *lines = fl_arena_alloc(arena, (n + 1) * sizeof(sniff_line));
        if (*lines == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        for (size_t i = 0; rc == 0 && i < n; i++) {
            fl_strv s = ((fl_strv *)col->data)[i];
            size_t len = fl_column_is_valid(col, i) ? s.len : 0;
            if (len && s.ptr[len - 1] == '\r') len--;
            (*lines)[i] = (sniff_line){s.ptr, len};
        }
        *count = n;
    }
    csv_reader_free(r);
    return rc;
}

static size_t field_count(const sniff_line *l, char delim, char quote)
{
    const char *fs[1];
    size_t fl[1];
    bool fq[1];
    return split_line(l->p, l->len, delim, quote, fs, fl, fq, 0);
}

/* dsdgen writes a delimiter after the last field: drop an empty last field
 * when every sampled line has one. */
static bool trailing_delimiter(const sniff_line *lines, size_t n, char delim)
{
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].len == 0) continue;
        if (lines[i].p[lines[i].len - 1] != delim) return false;
        seen++;
    }
    return seen > 0;
}

static char pick_delimiter(const sniff_line *lines, size_t n, char quote)
{
    static const char cands[] = {',', '|', ';', '\t'};
    char best = ',';
    size_t best_fields = 0;
    for (size_t c = 0; c < sizeof(cands); c++) {
        size_t fields = 0;
        bool consistent = true;
        for (size_t i = 0; i < n && i < 64; i++) {
            if (lines[i].len == 0) continue;
            size_t k = field_count(&lines[i], cands[c], quote);
            if (fields == 0) fields = k;
            else if (k != fields) { consistent = false; break; }
        }
        if (consistent && fields > best_fields) {
            best = cands[c];
            best_fields = fields;
        }
    }
    return best;
}

int fn_files_sniff_csv(fn_files *f, bool detect_delimiter, bool header_known, fl_arena *arena,
                       fl_error *err)
{
    sniff_line *lines = NULL;
    size_t n = 0;
    FL_TRY(sample_lines(f, &lines, &n, arena, err));
    while (n > 0 && lines[n - 1].len == 0) n--;
    if (n == 0) return fl_error_set(err, FLOE_EINVAL, "cannot detect the columns of \"%s\": the file is empty", f->paths[0]);
    if (detect_delimiter || f->delimiter == 0) f->delimiter = pick_delimiter(lines, n, f->quote);
    size_t nf = field_count(&lines[0], f->delimiter, f->quote);
    bool trailing = nf > 1 && trailing_delimiter(lines, n, f->delimiter);
    size_t ncols = trailing ? nf - 1 : nf;
    const char **fs = fl_arena_alloc(arena, (nf + 1) * sizeof(char *));
    size_t *fl = fl_arena_alloc(arena, (nf + 1) * sizeof(size_t));
    bool *fq = fl_arena_alloc(arena, (nf + 1) * sizeof(bool));
    int *kind = fl_arena_calloc(arena, (ncols + 1) * sizeof(int));
    const char **first = fl_arena_calloc(arena, (ncols + 1) * sizeof(char *));
    size_t *first_len = fl_arena_calloc(arena, (ncols + 1) * sizeof(size_t));
    if (!fs || !fl || !fq || !kind || !first || !first_len)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    const char *null_str = f->null_str ? f->null_str : "";
    size_t null_len = strlen(null_str);
    bool *seen = fl_arena_calloc(arena, (ncols + 1) * sizeof(bool));
    if (seen == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    /* rows after the first decide the types; the first row decides the header */
    bool have_first = false;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].len == 0 && ncols > 1) continue;
        size_t k = split_line(lines[i].p, lines[i].len, f->delimiter, f->quote, fs, fl, fq, nf);
        if (k != nf) continue;   /* the CSV reader will report malformed rows */
        if (i == 0) {
            have_first = true;
            for (size_t c = 0; c < ncols; c++) {
                first[c] = fs[c];
                first_len[c] = fq[c] || fl[c] != null_len ||
                                       memcmp(fs[c], null_str, null_len) != 0 ? fl[c] : 0;
            }
            if (!header_known || f->header) continue;
        }
        for (size_t c = 0; c < ncols; c++) {
            if (fl[c] == 0 || (!fq[c] && fl[c] == null_len && memcmp(fs[c], null_str, null_len) == 0))
                continue;
            seen[c] = true;
            while (kind[c] < SN_VARCHAR && !parses_as(kind[c], fs[c], fl[c])) kind[c]++;
        }
    }
    if (!header_known) {
        bool header = false;
        for (size_t c = 0; have_first && c < ncols; c++)
            if (seen[c] && kind[c] != SN_VARCHAR && first_len[c] > 0 &&
                !parses_as(kind[c], first[c], first_len[c]))
                header = true;
        if (!header) {
            /* not a header: its values type the columns as well */
            for (size_t c = 0; have_first && c < ncols; c++) {
                if (first_len[c] == 0) continue;
                seen[c] = true;
                while (kind[c] < SN_VARCHAR && !parses_as(kind[c], first[c], first_len[c])) kind[c]++;
            }
        }
        f->header = header;
    }
    for (size_t c = 0; c < ncols; c++)
        if (!seen[c]) kind[c] = SN_VARCHAR;
    f->column_count = (uint32_t)ncols;
    f->column_names = fl_arena_calloc(arena, (ncols + 1) * sizeof(char *));
    f->column_types = fl_arena_calloc(arena, (ncols + 1) * sizeof(fl_type));
    if (f->column_names == NULL || f->column_types == NULL)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t c = 0; c < ncols; c++) {
        f->column_types[c] = sniff_type(kind[c]);
        char name[32];
        if (f->header && first_len[c] > 0) f->column_names[c] = fl_arena_strndup(arena, first[c], first_len[c]);
        else {
            snprintf(name, sizeof(name), "column%zu", c);
            f->column_names[c] = fl_arena_strdup(arena, name);
        }
        if (f->column_names[c] == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---------------------------------------------------------------- file scans */

int fn_file_scan_resolve(fn_file_scan *s, const char *const *locations, size_t n,
                         fl_arena *arena, fl_error *err)
{
    const char **all = NULL;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const char **paths;
        size_t k;
        FL_TRY(fn_files_resolve(&paths, &k, s->files.fs, locations[i], arena, err));
        const char **grown = fl_arena_realloc(arena, all, count * sizeof(*all), (count + k) * sizeof(*all));
        if (grown == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        memcpy(grown + count, paths, k * sizeof(*all));
        all = grown;
        count += k;
    }
    if (count == 0) return fl_error_set(err, FLOE_EINVAL, "no file given");
    s->files.paths = all;
    s->files.path_count = count;
    return 0;
}

int fn_file_scan_prepare(fn_file_scan *s, bool header_known, fl_arena *arena, fl_error *err)
{
    fn_files *f = &s->files;
    if (f->column_count == 0) {
        if (f->format == FN_FILE_PARQUET) FL_TRY(fn_files_parquet_schema(f, arena, err));
        else FL_TRY(fn_files_sniff_csv(f, f->delimiter == 0, header_known, arena, err));
    }
    if (f->delimiter == 0) f->delimiter = ',';
    FL_TRY(fn_files_morsels(&s->morsels, &s->morsel_count, f, arena, err));
    s->estimated_rows = f->format == FN_FILE_PARQUET ? 0 : -1;
    for (size_t i = 0; f->format == FN_FILE_PARQUET && i < s->morsel_count; i++)
        s->estimated_rows += s->morsels[i].rows;
    return 0;
}
