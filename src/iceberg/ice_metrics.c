/*
 * ice_metrics.c: data-file metrics from a Parquet footer, as Iceberg Java's
 * ParquetUtil.footerMetrics computes them with the default metrics mode
 * truncate(16): per leaf column with a Parquet field id that the table
 * schema knows, column_sizes (compressed chunk bytes), value_counts (chunk
 * value counts, nulls included) and null_value_counts (when every row group
 * recorded one), summed over row groups; lower/upper bounds of top-level
 * primitive columns, and of primitive leaves nested only in structs (Java's
 * shouldStoreBounds: not inside lists or maps, not INT96), from the chunk
 * statistics (min of mins, max of maxes) in single-value binary form, strings truncated to 16 code points and
 * binaries to 16 bytes, the upper bound then incremented (dropped when it
 * cannot be); record_count, file_size_in_bytes and split_offsets (each row
 * group's starting position: its first column's dictionary page, else data
 * page).
 *
 * Top-level columns go through pq_chunk_stats_get (which knows every
 * Parquet encoding of a value); struct-nested leaves are decoded here from
 * the min_value/max_value statistics for the physical layouts that need no
 * unit conversion (booleans, ints, longs, floats, doubles, decimals,
 * microsecond and nanosecond times, strings, binaries, fixed); others get
 * no bounds, which is always safe.
 *
 * Not computed: NaN counts (a Parquet footer does not hold them; writers
 * count them while writing).
 */
#include <math.h>
#include <string.h>

#include "../base/decimal.h"
#include "../format/parquet/pq_reader.h"
#include "ice_manifest.h"
#include "ice_value.h"

typedef struct leaf_metrics {
    int32_t field_id;
    int leaf_index;
    int top_column;            /* top-level column index for bounds, -1 if nested */
    const pq_field *field;     /* the Parquet leaf */
    bool struct_nested;        /* nested in structs only: bounds decoded here */
    const ice_type *type;      /* Iceberg type of the field */
    int64_t size, values, nulls;
    bool nulls_known;
    fl_value lower, upper;
    bool has_lower, has_upper;
} leaf_metrics;

typedef struct metrics_ctx {
    leaf_metrics *leaves;
    size_t count, cap;
    fl_arena *arena;
    const ice_schema *schema;
} metrics_ctx;

static int collect(metrics_ctx *c, const pq_field *f, int top_column, bool struct_path,
                   fl_error *err)
{
    if (f->n_children == 0 && f->leaf_index >= 0) {
        if (!f->has_field_id) return 0;
        const ice_schema_entry *e = ice_schema_find_id(c->schema, f->field_id);
        if (!e || !ice_type_is_primitive(e->field->type)) return 0;
        if (c->count == c->cap) {
            size_t ncap = c->cap ? c->cap * 2 : 16;
            void *p = fl_arena_realloc(c->arena, c->leaves, c->cap * sizeof(leaf_metrics),
                                       ncap * sizeof(leaf_metrics));
            if (!p) return fl_error_set(err, FLOE_ENOMEM, "out of memory computing metrics");
            c->leaves = p;
            c->cap = ncap;
        }
        leaf_metrics *m = &c->leaves[c->count++];
        memset(m, 0, sizeof(*m));
        m->field_id = f->field_id;
        m->leaf_index = f->leaf_index;
        m->top_column = top_column;
        m->field = f;
        m->struct_nested = top_column < 0 && struct_path;
        m->type = e->field->type;
        m->nulls_known = true;
        return 0;
    }
    bool in_struct = struct_path && f->type.id == FL_TYPE_STRUCT;
    for (uint32_t i = 0; i < f->n_children; i++) {
        int rc = collect(c, &f->children[i], -1, in_struct, err);
        if (rc < 0) return rc;
    }
    return 0;
}

/* Byte length of the first n UTF-8 code points of s (all of it if shorter). */
static size_t utf8_prefix(const uint8_t *s, size_t len, int n, int *points)
{
    size_t i = 0;
    int k = 0;
    while (i < len && k < n) {
        uint8_t c = s[i];
        size_t step = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (i + step > len) step = len - i;
        i += step;
        k++;
    }
    *points = k;
    return i;
}

static size_t utf8_encode(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) { out[0] = (uint8_t)cp; return 1; }
    if (cp < 0x800) { out[0] = (uint8_t)(0xC0 | (cp >> 6)); out[1] = (uint8_t)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | (cp >> 12)); out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F)); return 3;
    }
    out[0] = (uint8_t)(0xF0 | (cp >> 18)); out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the code point starting at s[i]; returns its length. */
static size_t utf8_decode(const uint8_t *s, size_t len, size_t i, uint32_t *cp)
{
    uint8_t c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n > len) n = 1;
    uint32_t v = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; k++) v = (v << 6) | (s[i + k] & 0x3Fu);
    *cp = v;
    return n;
}

/* Truncated upper bound of a string: the first `limit` code points with
 * the last incrementable one incremented (surrogates skipped), as Java's
 * UnicodeUtil.truncateStringMax. false when none can be. */
static bool string_upper(fl_buf *out, const uint8_t *s, size_t len, int limit)
{
    int points;
    size_t cut = utf8_prefix(s, len, limit, &points);
    size_t starts[64];
    int n = 0;
    for (size_t i = 0; i < cut && n < 64;) {
        uint32_t cp;
        starts[n++] = i;
        i += utf8_decode(s, cut, i, &cp);
    }
    for (int k = n - 1; k >= 0; k--) {
        uint32_t cp;
        utf8_decode(s, cut, starts[k], &cp);
        uint32_t next = cp + 1;
        if (next >= 0xD800 && next <= 0xDFFF) next = 0xE000;
        if (next > 0x10FFFF) continue;
        uint8_t enc[4];
        size_t el = utf8_encode(next, enc);
        fl_buf_reset(out);
        if (fl_buf_append(out, s, starts[k]) < 0 || fl_buf_append(out, enc, el) < 0) return false;
        return true;
    }
    return false;
}

/* Serializes a bound, applying truncation; *ok false drops it. */
static int bound_bytes(fl_buf *out, const fl_value *v, const ice_type *t, bool upper, int limit,
                       bool *ok, fl_error *err)
{
    *ok = true;
    fl_buf_reset(out);
    int rc = ice_value_to_bytes(out, v, t, err);
    if (rc < 0) return rc;
    if (limit < 0) return 0;
    const uint8_t *p = (const uint8_t *)out->data;
    size_t len = out->len;
    if (t->id == ICE_TYPE_STRING) {
        int points;
        size_t cut = utf8_prefix(p, len, limit, &points);
        if (cut >= len) return 0;
        if (!upper) {
            out->len = cut;
            return 0;
        }
        fl_buf tmp;
        fl_buf_init(&tmp);
        *ok = string_upper(&tmp, p, len, limit);
        if (*ok) {
            fl_buf_reset(out);
            if (fl_buf_append(out, tmp.data, tmp.len) < 0) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        fl_buf_dispose(&tmp);
        return rc;
    }
    if (t->id == ICE_TYPE_BINARY && len > (size_t)limit) {
        out->len = (size_t)limit;
        if (!upper) return 0;
        for (int i = limit - 1; i >= 0; i--) {
            uint8_t *d = (uint8_t *)out->data;
            if (d[i] != 0xFF) {
                d[i]++;
                out->len = (size_t)i + 1;
                return 0;
            }
        }
        *ok = false;
    }
    return 0;
}

static int64_t row_group_start(const pq_row_group *g)
{
    if (g->n_columns < 1 || !g->columns[0].has_meta) return g->has_file_offset ? g->file_offset : 0;
    const pq_column_meta *m = &g->columns[0].meta;
    int64_t start = m->data_page_offset;
    if (m->has_dictionary_page_offset && m->dictionary_page_offset > 0 && m->dictionary_page_offset < start)
        start = m->dictionary_page_offset;
    return start;
}

static bool time_unit_is(const pq_field *f, int unit)
{
    const pq_schema_element *el = f->element;
    if (!el) return false;
    if (el->logical.kind == PQ_LT_TIME || el->logical.kind == PQ_LT_TIMESTAMP) return el->logical.unit == unit;
    return unit == PQ_UNIT_MICROS && (el->converted_type == PQ_CT_TIME_MICROS ||
                                      el->converted_type == PQ_CT_TIMESTAMP_MICROS);
}

/* One min_value/max_value statistic of a struct-nested leaf; false when
 * it cannot be used (see the header comment). Bytes are borrowed. */
static bool decode_nested_bound(const pq_field *f, fl_strv b, fl_value *v)
{
    const uint8_t *p = (const uint8_t *)b.ptr;
    uint8_t id = f->type.id;
    memset(v, 0, sizeof(*v));
    v->type = f->type;
    switch (f->physical_type) {
    case PQ_BOOLEAN:
        if (b.len != 1 || id != FL_TYPE_BOOL) return false;
        v->v.b = p[0] != 0;
        return true;
    case PQ_INT32:
        if (b.len != 4) return false;
        if (id == FL_TYPE_INT32 || id == FL_TYPE_DATE ||
            (id == FL_TYPE_DECIMAL && !fl_decimal_is_wide(f->type))) {
            v->v.i64 = (int32_t)fl_load_u32le(p);
            return true;
        }
        return false;
    case PQ_INT64:
        if (b.len != 8) return false;
        if (id == FL_TYPE_INT64 || (id == FL_TYPE_DECIMAL && !fl_decimal_is_wide(f->type)) ||
            ((id == FL_TYPE_TIME || id == FL_TYPE_TIMESTAMP || id == FL_TYPE_TIMESTAMPTZ) &&
             time_unit_is(f, PQ_UNIT_MICROS)) ||
            ((id == FL_TYPE_TIMESTAMP_NS || id == FL_TYPE_TIMESTAMPTZ_NS) && time_unit_is(f, PQ_UNIT_NANOS))) {
            v->v.i64 = (int64_t)fl_load_u64le(p);
            return true;
        }
        return false;
    case PQ_FLOAT: {
        if (b.len != 4 || id != FL_TYPE_FLOAT) return false;
        float x;
        memcpy(&x, p, 4);
        v->v.f64 = x;
        return !isnan(x);
    }
    case PQ_DOUBLE:
        if (b.len != 8 || id != FL_TYPE_DOUBLE) return false;
        memcpy(&v->v.f64, p, 8);
        return !isnan(v->v.f64);
    case PQ_BYTE_ARRAY:
    case PQ_FIXED_LEN_BYTE_ARRAY:
        if (id == FL_TYPE_DECIMAL) {
            fl_int128 x = 0;
            if (b.len == 0 || b.len > 16 || !fl_decimal_from_be_bytes(p, b.len, &x)) return false;
            if (fl_decimal_is_wide(f->type)) v->v.i128 = x;
            else v->v.i64 = (int64_t)x;
            return true;
        }
        if (id == FL_TYPE_FIXED || id == FL_TYPE_UUID) {
            if (b.len != (uint32_t)f->type_length) return false;
        } else if (id != FL_TYPE_STRING && id != FL_TYPE_BINARY) {
            return false;
        }
        v->v.s = b;
        return true;
    default:
        return false;   /* INT96 has no defined order */
    }
}

static void widen_bounds(leaf_metrics *m, const fl_value *lo, const fl_value *hi)
{
    if (lo && (!m->has_lower || fl_value_cmp(lo, &m->lower) < 0)) {
        m->lower = *lo;
        m->has_lower = true;
    }
    if (hi && (!m->has_upper || fl_value_cmp(hi, &m->upper) > 0)) {
        m->upper = *hi;
        m->has_upper = true;
    }
}

static void nested_bounds(leaf_metrics *m, const pq_column_meta *cm)
{
    if (!cm->has_stats) return;
    const pq_statistics *st = &cm->stats;
    fl_value lo, hi;
    bool has_lo = st->has_min_value && decode_nested_bound(m->field, st->min_value, &lo);
    bool has_hi = st->has_max_value && decode_nested_bound(m->field, st->max_value, &hi);
    /* a zero bound may have been written for either sign: widen it */
    bool fp = m->field->type.id == FL_TYPE_DOUBLE || m->field->type.id == FL_TYPE_FLOAT;
    if (fp && has_lo && lo.v.f64 == 0) lo.v.f64 = -0.0;
    if (fp && has_hi && hi.v.f64 == 0) hi.v.f64 = 0.0;
    widen_bounds(m, has_lo ? &lo : NULL, has_hi ? &hi : NULL);
}

static int gather(metrics_ctx *c, pq_file *file, const pq_file_meta *meta, fl_error *err)
{
    for (int32_t g = 0; g < meta->n_row_groups; g++) {
        const pq_row_group *rg = &meta->row_groups[g];
        for (size_t i = 0; i < c->count; i++) {
            leaf_metrics *m = &c->leaves[i];
            if (m->leaf_index >= rg->n_columns || !rg->columns[m->leaf_index].has_meta)
                return fl_error_set(err, FLOE_ECORRUPT, "row group %d lacks column chunk %d", (int)g,
                                    m->leaf_index);
            const pq_column_meta *cm = &rg->columns[m->leaf_index].meta;
            m->size += cm->total_compressed_size;
            m->values += cm->num_values;
            if (cm->has_stats && cm->stats.has_null_count) m->nulls += cm->stats.null_count;
            else m->nulls_known = false;
            if (m->struct_nested) {
                nested_bounds(m, cm);
                continue;
            }
            if (m->top_column < 0) continue;
            pq_chunk_stats st;
            int rc = pq_chunk_stats_get(file, g, m->top_column, &st, c->arena, err);
            if (rc < 0) return rc;
            widen_bounds(m, st.min.is_null ? NULL : &st.min, st.max.is_null ? NULL : &st.max);
        }
    }
    return 0;
}

static int emit(ice_data_file *out, metrics_ctx *c, int limit, fl_error *err)
{
    size_t n = c->count;
    fl_arena *a = c->arena;
    out->column_sizes = fl_arena_calloc(a, (n ? n : 1) * sizeof(ice_field_count));
    out->value_counts = fl_arena_calloc(a, (n ? n : 1) * sizeof(ice_field_count));
    out->null_value_counts = fl_arena_calloc(a, (n ? n : 1) * sizeof(ice_field_count));
    out->lower_bounds = fl_arena_calloc(a, (n ? n : 1) * sizeof(ice_field_bound));
    out->upper_bounds = fl_arena_calloc(a, (n ? n : 1) * sizeof(ice_field_bound));
    if (!out->column_sizes || !out->value_counts || !out->null_value_counts || !out->lower_bounds ||
        !out->upper_bounds)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory computing metrics");
    fl_buf tmp;
    fl_buf_init(&tmp);
    int rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        const leaf_metrics *m = &c->leaves[i];
        out->column_sizes[out->column_size_count++] = (ice_field_count){m->field_id, m->size};
        out->value_counts[out->value_count_count++] = (ice_field_count){m->field_id, m->values};
        if (m->nulls_known)
            out->null_value_counts[out->null_value_count_count++] = (ice_field_count){m->field_id, m->nulls};
        for (int k = 0; k < 2 && rc >= 0; k++) {
            bool upper = k == 1, ok;
            if (!(upper ? m->has_upper : m->has_lower)) continue;
            rc = bound_bytes(&tmp, upper ? &m->upper : &m->lower, m->type, upper, limit, &ok, err);
            if (rc < 0 || !ok) continue;
            char *p = fl_arena_alloc(a, tmp.len + 1);
            if (p) {
                if (tmp.len) memcpy(p, tmp.data, tmp.len);
                p[tmp.len] = '\0';
            }
            if (!p) {
                rc = fl_error_set(err, FLOE_ENOMEM, "out of memory computing metrics");
                break;
            }
            ice_field_bound b = {m->field_id, {p, (uint32_t)tmp.len}};
            if (upper) out->upper_bounds[out->upper_bound_count++] = b;
            else out->lower_bounds[out->lower_bound_count++] = b;
        }
    }
    fl_buf_dispose(&tmp);
    return rc;
}

int ice_metrics_from_parquet(ice_data_file *out, struct pq_file *file, uint64_t file_size,
                             const ice_schema *schema, const ice_metrics_opts *opts,
                             fl_arena *arena, fl_error *err)
{
    int limit = opts && opts->truncate_length ? opts->truncate_length : 16;
    const pq_file_meta *meta = pq_file_metadata(file);
    const pq_field *root = pq_file_schema(file);
    metrics_ctx c = {NULL, 0, 0, arena, schema};
    int rc;
    for (uint32_t i = 0; i < root->n_children; i++) {
        const pq_field *f = &root->children[i];
        bool top_primitive = f->n_children == 0 && f->leaf_index >= 0;
        if ((rc = collect(&c, f, top_primitive ? (int)i : -1, true, err)) < 0) return rc;
    }
    if ((rc = gather(&c, file, meta, err)) < 0) return rc;
    out->record_count = meta->num_rows;
    out->file_size_in_bytes = (int64_t)file_size;
    out->file_format = "PARQUET";
    out->column_size_count = out->value_count_count = out->null_value_count_count = 0;
    out->lower_bound_count = out->upper_bound_count = 0;
    out->nan_value_counts = NULL;
    out->nan_value_count_count = 0;
    if ((rc = emit(out, &c, limit, err)) < 0) return rc;
    size_t groups = meta->n_row_groups > 0 ? (size_t)meta->n_row_groups : 0;
    out->split_offsets = fl_arena_alloc(arena, (groups ? groups : 1) * sizeof(int64_t));
    if (!out->split_offsets) return fl_error_set(err, FLOE_ENOMEM, "out of memory computing metrics");
    for (size_t g = 0; g < groups; g++) out->split_offsets[g] = row_group_start(&meta->row_groups[g]);
    out->split_offset_count = groups;
    return 0;
}
