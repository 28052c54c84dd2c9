/*
 * pq_stats_write.c: min/max statistics of a column chunk, as the Parquet
 * writer stores them in ColumnMetaData.statistics.
 *
 * Values arrive in the writer's physical layout (see pq_writer_int.h); when
 * a chunk is dictionary-encoded the caller passes the dictionary entries,
 * which are exactly the distinct values, so the scan is short. Orders follow
 * the Parquet spec's ColumnOrder (TypeDefinedOrder): signed integers, INT32
 * and INT64 holding unsigned integers compared unsigned, floats ignoring NaN
 * (no min/max when every value is NaN; a zero min is written as -0.0 and a
 * zero max as +0.0), decimals in FIXED_LEN_BYTE_ARRAY as big-endian signed
 * numbers, strings/binary/fixed/UUID as unsigned bytes. Byte arrays longer
 * than PQW_STATS_TRUNCATE are truncated (min to a prefix, max to a prefix
 * with its last byte incremented, keeping UTF-8 valid for strings) and then
 * flagged inexact; the null count is the caller's.
 */
#include "pq_writer_int.h"

#include <math.h>

void pqw_stats_init(pqw_stats *s)
{
    memset(s, 0, sizeof *s);
    fl_buf_init(&s->trunc);
}

void pqw_stats_dispose(pqw_stats *s) { fl_buf_dispose(&s->trunc); }

static void set_own(pqw_stats *s, const void *min, const void *max, size_t len)
{
    memcpy(s->min_buf, min, len);
    memcpy(s->max_buf, max, len);
    s->min = s->min_buf;
    s->max = s->max_buf;
    s->min_len = s->max_len = len;
    s->has_minmax = true;
}

static void stats_bool(pqw_stats *s, const uint8_t *v, size_t n)
{
    uint8_t lo = 1, hi = 0;
    for (size_t i = 0; i < n; i++) {
        lo &= v[i];
        hi |= v[i];
    }
    set_own(s, &lo, &hi, 1);
}

#define MINMAX_LOOP(T, LOAD)                                    \
    do {                                                        \
        T lo = LOAD(vals), hi = lo;                             \
        for (size_t i = 1; i < n; i++) {                        \
            T x = LOAD(vals + i * sizeof(T));                   \
            lo = x < lo ? x : lo;                               \
            hi = x > hi ? x : hi;                               \
        }                                                       \
        set_own(s, &lo, &hi, sizeof(T));                        \
    } while (0)

static inline int32_t load_i32(const uint8_t *p) { return (int32_t)fl_load_u32le(p); }
static inline int64_t load_i64(const uint8_t *p) { return (int64_t)fl_load_u64le(p); }
static inline float load_f32(const uint8_t *p) { float f; memcpy(&f, p, 4); return f; }
static inline double load_f64(const uint8_t *p) { double d; memcpy(&d, p, 8); return d; }

/* FLOAT (width 4) and DOUBLE (width 8): floats are compared widened to
 * double, which is exact, and narrowed back for storing. */
static void stats_real(pqw_stats *s, const uint8_t *vals, size_t n, size_t width)
{
    bool any = false;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        double x = width == 4 ? (double)load_f32(vals + i * 4) : load_f64(vals + i * 8);
        if (isnan(x)) continue;
        if (!any) {
            lo = hi = x;
            any = true;
        } else {
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    }
    if (!any) return;
    if (lo == 0) lo = -0.0;
    if (hi == 0) hi = 0.0;
    if (width == 4) {
        float flo = (float)lo, fhi = (float)hi;
        set_own(s, &flo, &fhi, 4);
    } else {
        set_own(s, &lo, &hi, 8);
    }
}

/* big-endian two's complement compare of equal-length values */
static int cmp_signed_be(const uint8_t *a, const uint8_t *b, size_t w)
{
    if (w == 0) return 0;
    if (a[0] != b[0]) return (int8_t)a[0] < (int8_t)b[0] ? -1 : 1;
    return memcmp(a + 1, b + 1, w - 1);
}

static void stats_flba(pqw_stats *s, const uint8_t *vals, size_t n, size_t w, bool is_signed)
{
    const uint8_t *lo = vals, *hi = vals;
    for (size_t i = 1; i < n; i++) {
        const uint8_t *x = vals + i * w;
        int c_lo = is_signed ? cmp_signed_be(x, lo, w) : memcmp(x, lo, w);
        int c_hi = is_signed ? cmp_signed_be(x, hi, w) : memcmp(x, hi, w);
        if (c_lo < 0) lo = x;
        if (c_hi > 0) hi = x;
    }
    s->min = lo;
    s->max = hi;
    s->min_len = s->max_len = w;
    s->has_minmax = true;
}

static int cmp_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

/* Truncates the min to a prefix (at a UTF-8 boundary for strings). */
static void truncate_min(pqw_stats *s, bool is_string)
{
    size_t cut = PQW_STATS_TRUNCATE;
    if (is_string)
        while (cut > 0 && (s->min[cut] & 0xC0) == 0x80) cut--;
    s->min_len = cut;
    s->min_exact = false;
}

/* Truncates the max to a prefix whose last byte is incremented, so it stays
 * an upper bound; strings only increment an ASCII byte (keeps UTF-8 valid).
 * Leaves the max whole (exact) when no byte can be incremented. */
static int truncate_max(pqw_stats *s, bool is_string)
{
    size_t cut = PQW_STATS_TRUNCATE;
    size_t i = cut;
    while (i > 0) {
        uint8_t c = s->max[i - 1];
        if (is_string ? c < 0x7F : c < 0xFF) break;
        i--;
    }
    if (i == 0) return 0;
    fl_buf_reset(&s->trunc);
    if (fl_buf_append(&s->trunc, s->max, i) < 0) return FLOE_ENOMEM;
    s->trunc.data[i - 1] = (char)(s->max[i - 1] + 1);
    s->max = (const uint8_t *)s->trunc.data;
    s->max_len = i;
    s->max_exact = false;
    return 0;
}

static int stats_byte_array(pqw_stats *s, const uint8_t *vals, size_t vals_len, size_t n,
                            bool is_string)
{
    const uint8_t *lo = NULL, *hi = NULL;
    size_t lo_len = 0, hi_len = 0, off = 0;
    for (size_t i = 0; i < n; i++) {
        FL_ASSERT(off + 4 <= vals_len);
        size_t len = fl_load_u32le(vals + off);
        const uint8_t *v = vals + off + 4;
        off += 4 + len;
        FL_ASSERT(off <= vals_len);
        if (!lo || cmp_bytes(v, len, lo, lo_len) < 0) {
            lo = v;
            lo_len = len;
        }
        if (!hi || cmp_bytes(v, len, hi, hi_len) > 0) {
            hi = v;
            hi_len = len;
        }
    }
    s->min = lo;
    s->min_len = lo_len;
    s->max = hi;
    s->max_len = hi_len;
    s->has_minmax = true;
    if (lo_len > PQW_STATS_TRUNCATE) truncate_min(s, is_string);
    if (hi_len > PQW_STATS_TRUNCATE) return truncate_max(s, is_string);
    return 0;
}

int pqw_stats_compute(pqw_stats *s, int sort, int width, bool is_string, const uint8_t *vals,
                      size_t vals_len, size_t n)
{
    s->has_minmax = false;
    s->min_exact = s->max_exact = true;
    s->min = s->max = NULL;
    s->min_len = s->max_len = 0;
    if (n == 0) return 0;
    switch (sort) {
    case PQW_SORT_BOOL: stats_bool(s, vals, n); break;
    case PQW_SORT_I32: MINMAX_LOOP(int32_t, load_i32); break;
    case PQW_SORT_U32: MINMAX_LOOP(uint32_t, fl_load_u32le); break;
    case PQW_SORT_I64: MINMAX_LOOP(int64_t, load_i64); break;
    case PQW_SORT_U64: MINMAX_LOOP(uint64_t, fl_load_u64le); break;
    case PQW_SORT_FLOAT: stats_real(s, vals, n, 4); break;
    case PQW_SORT_DOUBLE: stats_real(s, vals, n, 8); break;
    case PQW_SORT_FLBA_SIGNED: stats_flba(s, vals, n, (size_t)width, true); break;
    case PQW_SORT_BYTES:
        if (width > 0)
            stats_flba(s, vals, n, (size_t)width, false);
        else
            return stats_byte_array(s, vals, vals_len, n, is_string);
        break;
    default: break;
    }
    return 0;
}
