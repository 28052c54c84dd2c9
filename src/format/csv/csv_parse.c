/*
 * csv_parse.c: the block parser: one range of text to column buffers.
 *
 * A block parses the records that start in [start, stop) of a round's text
 * (see csv_internal.h); the reader runs many blocks in parallel and checks
 * afterwards that each one started at a true record boundary.
 *
 * Scanning: an unquoted field ends at the delimiter or '\n'; the scanner
 * tests eight bytes at a time for either (SWAR zero-byte test), relying on
 * a '\n' sentinel at text[len] and CSV_TEXT_PAD readable bytes after it, so
 * the inner loop has no bounds check. Reaching the sentinel means the field
 * runs past the text: the record is incomplete (the reader carries it into
 * the next round) unless the text ends the input. Quoted fields are found
 * with memchr for the quote (doubled-quote escapes) or a byte loop
 * (backslash-style escapes); only fields with escapes are copied, into the
 * block's scratch buffer. A '\r' before '\n' ends a line too (CRLF).
 *
 * Converted values go straight into the block's column buffers; strings
 * are appended to the column's heap (validated as UTF-8 first), so there
 * is no allocation per field, only the occasional doubling of a buffer.
 * A bad record rolls its columns back and either ends the block with an
 * error (line relative to the block) or, with skip_bad_rows, is skipped to
 * its end and counted.
 */
#include <stdio.h>
#include <string.h>

#include "csv_internal.h"
#include "../../base/alloc.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "csv_parse.c's word scanner assumes a little-endian target"
#endif

enum {
    K_GENERIC,      /* csv_convert_fixed_width */
    K_INT32,
    K_INT64,
    K_DEC64,        /* decimal with precision <= 18 */
    K_STRING,       /* first of the varlen kinds */
    K_BINARY,
    K_UUID,
    K_FIXED,
};

/* Outcome of parsing one record. */
enum { REC_OK, REC_BAD, REC_INCOMPLETE, REC_FATAL };

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

int csv_parse_cfg_init(csv_parse_cfg *cfg, fl_error *err)
{
    for (int c = 0; c < cfg->n_columns; c++) {
        fl_type t = cfg->types[c];
        uint8_t k;
        switch ((fl_type_id)t.id) {
        case FL_TYPE_INT32: k = K_INT32; break;
        case FL_TYPE_INT64: k = K_INT64; break;
        case FL_TYPE_STRING: k = K_STRING; break;
        case FL_TYPE_BINARY: k = K_BINARY; break;
        case FL_TYPE_UUID: k = K_UUID; break;
        case FL_TYPE_FIXED:
            if (t.fixed_len < 0)
                return fl_error_set(err, FLOE_EINVAL, "invalid fixed length %d for column %d",
                                    (int)t.fixed_len, c + 1);
            k = K_FIXED;
            break;
        case FL_TYPE_DECIMAL:
            if (t.precision < 1 || t.precision > FL_DECIMAL_MAX_PRECISION || t.scale > t.precision)
                return fl_error_set(err, FLOE_EINVAL, "invalid decimal(%d,%d) for column %d",
                                    t.precision, t.scale, c + 1);
            k = fl_decimal_is_wide(t) ? K_GENERIC : K_DEC64;
            break;
        case FL_TYPE_BOOL: case FL_TYPE_INT8: case FL_TYPE_INT16:
        case FL_TYPE_UINT8: case FL_TYPE_UINT16: case FL_TYPE_UINT32: case FL_TYPE_UINT64:
        case FL_TYPE_FLOAT: case FL_TYPE_DOUBLE: case FL_TYPE_DATE: case FL_TYPE_TIME:
        case FL_TYPE_TIMESTAMP: case FL_TYPE_TIMESTAMPTZ: case FL_TYPE_TIMESTAMP_NS:
        case FL_TYPE_TIMESTAMPTZ_NS:
            k = K_GENERIC;
            break;
        default:
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "csv columns cannot have type %s (column %d)",
                                fl_type_name((fl_type_id)t.id), c + 1);
        }
        cfg->kinds[c] = k;
        cfg->widths[c] = fl_type_width(t);
    }
    /* the number fast path must not read a numeric NULL string as a number */
    char n0 = cfg->null_len ? cfg->null_str[0] : 0;
    cfg->fast_numbers = !((n0 >= '0' && n0 <= '9') || n0 == '-' || n0 == '+' || n0 == '.');
    return 0;
}

void csv_block_dispose(csv_block *b, int n_columns)
{
    if (b->cols) {
        for (int c = 0; c < n_columns; c++) {
            fl_free(b->cols[c].data);
            fl_free(b->cols[c].valid);
            fl_free(b->cols[c].heap);
        }
    }
    fl_free(b->cols);
    fl_free(b->scratch);
    memset(b, 0, sizeof *b);
}

/* ---- buffers ---- */

static bool grow_rows(const csv_parse_cfg *cfg, csv_block *b)
{
    size_t cap = b->cap ? b->cap * 2 : 1024;
    if (!b->cols) {
        b->cols = fl_calloc((size_t)cfg->n_columns, sizeof *b->cols);
        if (!b->cols) return false;
    }
    for (int c = 0; c < cfg->n_columns; c++) {
        csv_colbuf *cb = &b->cols[c];
        uint8_t *d = fl_realloc(cb->data, cap * cfg->widths[c]);
        if (!d) return false;
        cb->data = d;
        uint8_t *v = fl_realloc(cb->valid, cap);
        if (!v) return false;
        cb->valid = v;
    }
    b->cap = cap;
    return true;
}

static bool heap_reserve(csv_colbuf *cb, size_t extra)
{
    if (cb->heap_len + extra <= cb->heap_cap) return true;
    size_t cap = cb->heap_cap ? cb->heap_cap * 2 : 4096;
    while (cap < cb->heap_len + extra) cap *= 2;
    char *h = fl_realloc(cb->heap, cap);
    if (!h) return false;
    cb->heap = h;
    cb->heap_cap = cap;
    return true;
}

static bool scratch_append(csv_block *b, size_t *used, const char *p, size_t n)
{
    if (n == 0) return true;
    if (*used + n > b->scratch_cap) {
        size_t cap = b->scratch_cap ? b->scratch_cap * 2 : 256;
        while (cap < *used + n) cap *= 2;
        char *s = fl_realloc(b->scratch, cap);
        if (!s) return false;
        b->scratch = s;
        b->scratch_cap = cap;
    }
    memcpy(b->scratch + *used, p, n);
    *used += n;
    return true;
}

/* ---- errors ---- */

/* Appends s[len] to a message, quoted, escaping control bytes and cutting
 * long values. */
static size_t put_value(char *dst, size_t cap, const char *s, size_t len)
{
    size_t n = 0;
    bool utf8 = csv_utf8_valid_prefix(s, len) == len;
    size_t shown = len > 60 ? 60 : len;
    if (n + 1 < cap) dst[n++] = '"';
    for (size_t i = 0; i < shown && n + 5 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && !utf8)) {
            static const char hex[] = "0123456789abcdef";
            dst[n++] = '\\';
            dst[n++] = 'x';
            dst[n++] = hex[ch >> 4];
            dst[n++] = hex[ch & 15];
        } else {
            dst[n++] = (char)ch;
        }
    }
    if (shown < len && n + 4 < cap) {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    if (n + 1 < cap) dst[n++] = '"';
    dst[n] = 0;
    return n;
}

static void set_error(csv_block *b, int64_t rel_line, int column, int code, const char *prefix,
                      const char *value, size_t value_len, const char *suffix)
{
    if (b->error.code) return;
    b->error.code = code;
    b->error.rel_line = rel_line;
    b->error.column = column;
    size_t cap = sizeof b->error.msg;
    size_t n = (size_t)snprintf(b->error.msg, cap, "%s", prefix);
    if (n >= cap) return;
    if (value) n += put_value(b->error.msg + n, cap - n, value, value_len);
    if (suffix && n < cap) snprintf(b->error.msg + n, cap - n, "%s", suffix);
}

static void conversion_error(csv_block *b, fl_type t, int64_t rel_line, int column,
                             csv_conv_status st, const char *s, size_t len)
{
    char tname[48], prefix[96];
    fl_type_format(t, tname, sizeof tname);
    switch (st) {
    case CSV_CONV_RANGE:
        snprintf(prefix, sizeof prefix, " is out of range for %s", tname);
        set_error(b, rel_line, column, FLOE_ERANGE, "value ", s, len, prefix);
        break;
    case CSV_CONV_UTF8: {
        size_t at = csv_utf8_valid_prefix(s, len);
        snprintf(prefix, sizeof prefix, "invalid UTF-8 in %s value at byte %zu", tname, at + 1);
        set_error(b, rel_line, column, FLOE_EINVAL, prefix, NULL, 0, NULL);
        break;
    }
    case CSV_CONV_LENGTH:
        snprintf(prefix, sizeof prefix, "%s value must be %d bytes, got %zu", tname,
                 (int)t.fixed_len, len);
        set_error(b, rel_line, column, FLOE_EINVAL, prefix, NULL, 0, NULL);
        break;
    default:
        snprintf(prefix, sizeof prefix, "invalid %s ", t.id == FL_TYPE_DECIMAL ? "decimal" : tname);
        set_error(b, rel_line, column, FLOE_EINVAL, prefix, s, len, NULL);
        break;
    }
}

/* ---- fields ---- */

/* First delimiter or '\n' at or after p (the sentinel guarantees one). */
static inline const char *scan_unquoted(const char *p, uint64_t dmask)
{
    const uint64_t nlmask = ONES * '\n';
    for (;;) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t a = w ^ dmask, n = w ^ nlmask;
        uint64_t z = (((a - ONES) & ~a) | ((n - ONES) & ~n)) & HIGHS;
        if (z) return p + (__builtin_ctzll(z) >> 3);
        p += 8;
    }
}

static inline size_t count_newlines(const char *p, const char *end)
{
    size_t n = 0;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* A quoted field starting at the quote p. On success: *val and *vlen are the
 * unescaped content, *after the byte after the closing quote, *nl the
 * newlines inside. Returns REC_OK, REC_INCOMPLETE (no closing quote before
 * end and more input follows), REC_BAD (unterminated at the end of input)
 * or REC_FATAL (out of memory). */
static int scan_quoted(const csv_parse_cfg *cfg, csv_block *b, const char *p, const char *end,
                       const char **val, size_t *vlen, const char **after, size_t *nl)
{
    const char quote = cfg->quote, esc = cfg->escape;
    const char *s = p + 1, *seg = s;
    size_t used = 0;
    bool copied = false;
    if (esc == quote) {
        for (;;) {
            const char *q = memchr(s, quote, (size_t)(end - s));
            if (!q) return b->eof ? REC_BAD : REC_INCOMPLETE;
            if (q + 1 < end && q[1] == quote) {
                if (!scratch_append(b, &used, seg, (size_t)(q + 1 - seg))) return REC_FATAL;
                copied = true;
                s = seg = q + 2;
                continue;
            }
            if (q + 1 == end && !b->eof) return REC_INCOMPLETE;
            *after = q + 1;
            if (copied && !scratch_append(b, &used, seg, (size_t)(q - seg))) return REC_FATAL;
            *val = copied ? b->scratch : seg;
            *vlen = copied ? used : (size_t)(q - seg);
            *nl = count_newlines(p + 1, q);
            return REC_OK;
        }
    }
    for (;;) {
        if (s >= end) return b->eof ? REC_BAD : REC_INCOMPLETE;
        char ch = *s;
        if (ch == esc) {
            if (s + 1 >= end) return b->eof ? REC_BAD : REC_INCOMPLETE;
            if (!scratch_append(b, &used, seg, (size_t)(s - seg)) ||
                !scratch_append(b, &used, s + 1, 1))
                return REC_FATAL;
            copied = true;
            s += 2;
            seg = s;
        } else if (ch == quote) {
            if (s + 1 == end && !b->eof) return REC_INCOMPLETE;
            *after = s + 1;
            if (copied && !scratch_append(b, &used, seg, (size_t)(s - seg))) return REC_FATAL;
            *val = copied ? b->scratch : seg;
            *vlen = copied ? used : (size_t)(s - seg);
            *nl = count_newlines(p + 1, s);
            return REC_OK;
        } else {
            s++;
        }
    }
}

/* Skips from p (the start of a field) to the end of the record, counting
 * the fields. *next is after the '\n' (or end at the end of input). */
static int skip_record(const csv_parse_cfg *cfg, csv_block *b, const char *p, const char *end,
                       const char **next, int *fields, size_t *nl)
{
    uint64_t dmask = ONES * (uint8_t)cfg->delimiter;
    *fields = 0;
    *nl = 0;
    for (;;) {
        ++*fields;
        const char *q;
        if (cfg->quote && *p == cfg->quote && p < end) {
            const char *val, *after;
            size_t vlen, qnl;
            int rc = scan_quoted(cfg, b, p, end, &val, &vlen, &after, &qnl);
            if (rc != REC_OK) return rc;
            *nl += qnl;
            /* junk after the closing quote belongs to this field */
            q = after < end && *after != cfg->delimiter && *after != '\n'
                    ? scan_unquoted(after, dmask) : after;
        } else {
            q = scan_unquoted(p, dmask);
        }
        if (q >= end) {
            if (!b->eof) return REC_INCOMPLETE;
            *next = end;
            return REC_OK;
        }
        if (*q == '\n') {
            ++*nl;
            *next = q + 1;
            return REC_OK;
        }
        p = q + 1;
    }
}

/* ---- the number fast path ---- */

static const uint64_t pow10_u64[19] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
    1000000000000000000ull,
};

/*
 * Parses an unquoted integer or narrow decimal at p in one pass, without
 * first scanning for the field's end: succeeds only when the number is
 * followed by the delimiter, '\n' or "\r\n" inside the text and has the
 * plain form ([-+]digits[.digits], at most 18 digits, no rounding needed,
 * within range). *q is the byte after the number; an empty field sets
 * *is_null. Anything else returns false and takes the general path, which
 * gives the same value or the error.
 */
static inline bool fast_number(const csv_parse_cfg *cfg, int c, uint8_t kind, const char *p,
                               const char *end, const char **q, int64_t *out, bool *is_null)
{
    const char delim = cfg->delimiter;
    const char *s = p;
    *is_null = false;
    if (*s == delim || *s == '\n') {
        if (s >= end) return false;
        *is_null = true;
        *out = 0;
        *q = s;
        return true;
    }
    bool neg = *s == '-';
    s += *s == '-' || *s == '+';
    const char *d0 = s;
    uint64_t m = 0;
    while ((unsigned)(*s - '0') < 10u) m = m * 10 + (uint64_t)(*s++ - '0');
    size_t nd = (size_t)(s - d0);
    if (nd > 18) return false;
    if (kind == K_DEC64) {
        fl_type t = cfg->types[c];
        size_t frac = 0;
        if (*s == '.') {
            const char *f0 = ++s;
            while ((unsigned)(*s - '0') < 10u) m = m * 10 + (uint64_t)(*s++ - '0');
            frac = (size_t)(s - f0);
        }
        if (nd + frac == 0 || frac > t.scale || nd + t.scale > 18) return false;
        m *= pow10_u64[t.scale - frac];
        if (m >= pow10_u64[t.precision]) return false;
    } else {
        if (nd == 0) return false;
        uint64_t max = kind == K_INT32 ? (uint64_t)INT32_MAX : (uint64_t)INT64_MAX;
        if (m > max + neg) return false;
    }
    if (s >= end || (*s != delim && *s != '\n' && !(*s == '\r' && s + 1 < end && s[1] == '\n')))
        return false;
    *q = s;
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return true;
}

/* ---- records ---- */

typedef struct field {
    const char *val;
    size_t len;
    bool quoted;
} field;

static inline bool is_null(const csv_parse_cfg *cfg, const field *f, uint8_t kind)
{
    if (!f->quoted) {
        if (cfg->null_is_empty ? f->len == 0
                               : f->len == cfg->null_len && memcmp(f->val, cfg->null_str, f->len) == 0)
            return true;
    }
    return f->len == 0 && kind != K_STRING && kind != K_BINARY;
}

/* Stores one field of row `row` in column c. */
static inline csv_conv_status store(const csv_parse_cfg *cfg, csv_block *b, int c, size_t row,
                                    const field *f)
{
    csv_colbuf *cb = &b->cols[c];
    uint8_t kind = cfg->kinds[c];
    size_t width = cfg->widths[c];
    uint8_t *dst = cb->data + row * width;
    if (is_null(cfg, f, kind)) {
        cb->valid[row] = 0;
        if (kind >= K_STRING) {
            fl_strv v = {(const char *)(uintptr_t)cb->heap_len, 0};
            memcpy(dst, &v, sizeof v);
        } else {
            memset(dst, 0, width);
        }
        return CSV_CONV_OK;
    }
    cb->valid[row] = 1;
    bool range;
    switch (kind) {
    case K_INT32: {
        int64_t v;
        if (!csv_parse_i64(f->val, f->len, INT32_MIN, INT32_MAX, &v, &range))
            return CSV_CONV_INVALID;
        if (range) return CSV_CONV_RANGE;
        int32_t x = (int32_t)v;
        memcpy(dst, &x, 4);
        return CSV_CONV_OK;
    }
    case K_INT64: {
        int64_t v;
        if (!csv_parse_i64(f->val, f->len, INT64_MIN, INT64_MAX, &v, &range))
            return CSV_CONV_INVALID;
        if (range) return CSV_CONV_RANGE;
        memcpy(dst, &v, 8);
        return CSV_CONV_OK;
    }
    case K_GENERIC:
    case K_DEC64:
        return csv_convert_fixed_width(cfg->types[c], f->val, f->len, dst);
    default:
        break;
    }
    const char *bytes = f->val;
    size_t n = f->len;
    uint8_t uuid[16];
    if (kind == K_STRING && csv_utf8_valid_prefix(bytes, n) != n) return CSV_CONV_UTF8;
    if (kind == K_UUID) {
        if (!csv_parse_uuid(bytes, n, uuid)) return CSV_CONV_INVALID;
        bytes = (const char *)uuid;
        n = 16;
    }
    if (kind == K_FIXED && n != (size_t)cfg->types[c].fixed_len) return CSV_CONV_LENGTH;
    if (!heap_reserve(cb, n)) return CSV_CONV_NOMEM;
    fl_strv v = {(const char *)(uintptr_t)cb->heap_len, (uint32_t)n};
    if (n) memcpy(cb->heap + cb->heap_len, bytes, n);
    cb->heap_len += n;
    memcpy(dst, &v, sizeof v);
    return CSV_CONV_OK;
}

/* Undoes the heap appends of a partly stored row. */
static void rollback_row(const csv_parse_cfg *cfg, csv_block *b, size_t row, int upto)
{
    for (int c = 0; c <= upto && c < cfg->n_columns; c++) {
        if (cfg->kinds[c] < K_STRING) continue;
        csv_colbuf *cb = &b->cols[c];
        if (row == 0) {
            cb->heap_len = 0;
        } else {
            fl_strv prev;
            memcpy(&prev, cb->data + (row - 1) * sizeof prev, sizeof prev);
            cb->heap_len = (size_t)(uintptr_t)prev.ptr + prev.len;
        }
    }
}

static inline bool at_line_end(const char *q, const char *end)
{
    return q >= end || *q == '\n' || (*q == '\r' && (q + 1 >= end || q[1] == '\n'));
}

/* Ends a bad record: fatal error stops the block; with skip_bad_rows the
 * rest of the record is skipped (from p, a field start, unless p is NULL
 * meaning the record already ended at *rec_end). */
static int bad_record(const csv_parse_cfg *cfg, csv_block *b, const char *p, const char *end,
                      const char **next, size_t *nl)
{
    if (!cfg->skip_bad_rows) return REC_FATAL;
    if (p) {
        int fields;
        size_t more;
        int rc = skip_record(cfg, b, p, end, next, &fields, &more);
        if (rc == REC_INCOMPLETE || rc == REC_FATAL) return rc;
        if (rc == REC_BAD) *next = end;   /* unterminated quote: the rest is this record */
        *nl += more;
    }
    return REC_BAD;
}

/* Parses the record at p. On REC_OK/REC_BAD *next is the next record and
 * *nl the newlines consumed. */
static int parse_record(const csv_parse_cfg *cfg, csv_block *b, const char *p, const char *end,
                        const char **next, size_t *nl)
{
    const char delim = cfg->delimiter, quote = cfg->quote;
    const uint64_t dmask = ONES * (uint8_t)delim;
    const int n = cfg->n_columns;
    const size_t row = b->rows;
    const int64_t line = b->lines;
    *nl = 0;
    for (int c = 0; c < n; c++) {
        field f;
        const char *q;
        bool stored = false;
        uint8_t kind = cfg->kinds[c];
        int64_t num;
        bool num_null;
        if (kind >= K_INT32 && kind <= K_DEC64 && cfg->fast_numbers &&
            fast_number(cfg, c, kind, p, end, &q, &num, &num_null)) {
            csv_colbuf *cb = &b->cols[c];
            cb->valid[row] = !num_null;
            if (kind == K_INT32) {
                int32_t x = (int32_t)num;
                memcpy(cb->data + row * 4, &x, 4);
            } else {
                memcpy(cb->data + row * 8, &num, 8);
            }
            stored = true;
            f.val = p;
            f.len = (size_t)(q - p);
            f.quoted = false;
            if (*q == '\r') q++;
        } else if (quote && *p == quote && p < end) {
            const char *after;
            size_t qnl;
            int rc = scan_quoted(cfg, b, p, end, &f.val, &f.len, &after, &qnl);
            if (rc == REC_INCOMPLETE || rc == REC_FATAL) return rc;
            if (rc == REC_BAD) {
                set_error(b, line, c, FLOE_EINVAL, "unterminated quoted field", NULL, 0, NULL);
                rollback_row(cfg, b, row, c - 1);
                *nl += count_newlines(p, end);
                *next = end;
                return cfg->skip_bad_rows ? REC_BAD : REC_FATAL;
            }
            *nl += qnl;
            f.quoted = true;
            q = after;
            if (q < end && *q != delim && !at_line_end(q, end)) {
                if (!cfg->skip_bad_rows) {
                    char what[64];
                    unsigned char ch = (unsigned char)*q;
                    if (ch >= 0x20 && ch < 0x7f)
                        snprintf(what, sizeof what, "unexpected \"%c\" after closing quote", ch);
                    else
                        snprintf(what, sizeof what, "unexpected byte 0x%02x after closing quote", ch);
                    set_error(b, line, c, FLOE_EINVAL, what, NULL, 0, NULL);
                }
                rollback_row(cfg, b, row, c - 1);
                return bad_record(cfg, b, q, end, next, nl);
            }
            if (q < end && *q == '\r') q++;
            if (q >= end && !b->eof) return REC_INCOMPLETE;
        } else {
            q = scan_unquoted(p, dmask);
            if (q >= end && !b->eof) return REC_INCOMPLETE;
            f.val = p;
            f.len = (size_t)(q - p);
            f.quoted = false;
            if ((q >= end || *q == '\n') && f.len && q[-1] == '\r') f.len--;
        }
        /* q: the delimiter, '\n', or end (end of input) after the field */
        bool line_end = q >= end || *q == '\n';
        if (line_end && c < n - 1) {
            char what[96];
            snprintf(what, sizeof what, "expected %d fields, found %d", n, c + 1);
            set_error(b, line, -1, FLOE_EINVAL, what, NULL, 0, NULL);
            rollback_row(cfg, b, row, c - 1);
            *nl += q < end;
            *next = q < end ? q + 1 : end;
            return cfg->skip_bad_rows ? REC_BAD : REC_FATAL;
        }
        csv_conv_status st = stored ? CSV_CONV_OK : store(cfg, b, c, row, &f);
        if (FL_UNLIKELY(st != CSV_CONV_OK)) {
            if (st == CSV_CONV_NOMEM) {
                b->oom = FLOE_ENOMEM;
                return REC_FATAL;
            }
            conversion_error(b, cfg->types[c], line, c, st, f.val, f.len);
            rollback_row(cfg, b, row, c);
            if (line_end) {
                *nl += q < end;
                *next = q < end ? q + 1 : end;
                return cfg->skip_bad_rows ? REC_BAD : REC_FATAL;
            }
            return bad_record(cfg, b, q + 1, end, next, nl);
        }
        if (line_end) {
            *nl += q < end;
            *next = q < end ? q + 1 : end;
            return REC_OK;
        }
        p = q + 1;   /* past the delimiter */
    }
    /* all columns read and the last one ended at a delimiter */
    if (cfg->allow_trailing_delimiter && at_line_end(p, end)) {
        const char *q = p < end && *p == '\r' ? p + 1 : p;
        if (q >= end && !b->eof) return REC_INCOMPLETE;
        *nl += q < end;
        *next = q < end ? q + 1 : end;
        return REC_OK;
    }
    /* too many fields: count them for the message */
    const char *after;
    int extra;
    size_t more;
    int rc = skip_record(cfg, b, p, end, &after, &extra, &more);
    if (rc == REC_INCOMPLETE || rc == REC_FATAL) return rc;
    if (rc == REC_BAD) after = end;
    char what[96];
    snprintf(what, sizeof what, "expected %d fields, found %d", n, n + extra);
    set_error(b, line, -1, FLOE_EINVAL, what, NULL, 0, NULL);
    rollback_row(cfg, b, row, n - 1);
    *nl += more;
    *next = after;
    return cfg->skip_bad_rows ? REC_BAD : REC_FATAL;
}

void csv_parse_block(const csv_parse_cfg *cfg, csv_block *b)
{
    b->rows = 0;
    b->lines = 0;
    b->bad_rows = 0;
    b->incomplete = false;
    b->oom = 0;
    b->error.code = 0;
    if (cfg->n_columns > 0 && !b->cols && !grow_rows(cfg, b)) {
        b->oom = FLOE_ENOMEM;
        b->end = b->start;
        return;
    }
    for (int c = 0; c < cfg->n_columns; c++) b->cols[c].heap_len = 0;
    const char *text = b->text, *end = b->text + b->len;
    const char *p = text + b->start, *stop = text + b->stop;
    if (b->skip_first && p < end) {
        const char *next;
        int fields;
        size_t nl;
        int rc = skip_record(cfg, b, p, end, &next, &fields, &nl);
        if (rc == REC_BAD) {
            set_error(b, 0, -1, FLOE_EINVAL, "unterminated quoted field in header", NULL, 0, NULL);
            b->end = b->start;
            return;
        }
        if (rc != REC_OK) {
            b->incomplete = rc == REC_INCOMPLETE;
            if (rc == REC_FATAL) b->oom = FLOE_ENOMEM;
            b->end = b->start;
            return;
        }
        b->lines += (int64_t)nl;
        p = next;
    }
    while (p < stop && p < end) {
        /* blank lines are skipped, unless a single column makes them NULLs */
        if (cfg->n_columns > 1 && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))) {
            p += *p == '\r' ? 2 : 1;
            b->lines++;
            continue;
        }
        if (FL_UNLIKELY(b->rows == b->cap) && !grow_rows(cfg, b)) {
            b->oom = FLOE_ENOMEM;
            break;
        }
        const char *next;
        size_t nl;
        int rc = parse_record(cfg, b, p, end, &next, &nl);
        if (rc == REC_OK) {
            b->rows++;
        } else if (rc == REC_BAD) {
            b->bad_rows++;
            b->error.code = 0;   /* skipped: forget it */
        } else if (rc == REC_INCOMPLETE) {
            b->incomplete = true;
            b->error.code = 0;   /* decided when the whole record is there */
            break;
        } else {
            if (!b->error.code && !b->oom) b->oom = FLOE_ENOMEM;
            break;
        }
        b->lines += (int64_t)nl;
        p = next;
    }
    b->end = (size_t)(p - text);
}
