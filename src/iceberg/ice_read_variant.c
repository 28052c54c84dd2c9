/*
 * ice_read_variant.c: v3 variant values (Parquet "VariantEncoding": a
 * metadata dictionary of field names plus a self-describing value) read as
 * JSON text, the form floe hands variant columns to its callers (there is no
 * variant in-memory type yet).
 *
 * Metadata: a header byte (version 1 in bits 0-3, offset size - 1 in bits
 * 6-7), the dictionary size, size + 1 offsets, then the name bytes. Values:
 * a header byte whose low 2 bits are the basic type: 0 primitive (type id in
 * the upper 6 bits), 1 short string (length in the upper 6 bits), 2 object
 * (field id size, field offset size, is_large), 3 array (offset size,
 * is_large). JSON: numbers as numbers (decimals with their scale), dates
 * "YYYY-MM-DD", timestamps "YYYY-MM-DDTHH:MM:SS.ffffff[+00:00]", binary in
 * base64, uuid 8-4-4-4-12, strings escaped. Only unshredded variants (a
 * struct of metadata and value) are read; every length and offset is checked.
 */
#include "ice_read_int.h"

#include <stdio.h>
#include <string.h>

#include "../base/decimal.h"
#include "../base/value_text.h"
#include "ice_value.h"

typedef struct vmeta {
    const uint8_t *p;
    size_t len;
    uint32_t dict_size;
    uint32_t offset_size;
    const uint8_t *offsets;
    const uint8_t *names;
    size_t names_len;
} vmeta;

static uint32_t load_le(const uint8_t *p, uint32_t n)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < n; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static int bad(fl_error *err, const char *what)
{
    return fl_error_set(err, FLOE_ECORRUPT, "invalid variant value: %s", what);
}

static int meta_parse(vmeta *m, const uint8_t *p, size_t len, fl_error *err)
{
    if (len < 1 || (p[0] & 0x0F) != 1) return bad(err, "metadata version is not 1");
    m->p = p;
    m->len = len;
    m->offset_size = (uint32_t)((p[0] >> 6) & 3) + 1;
    if (len < 1 + m->offset_size) return bad(err, "metadata is truncated");
    m->dict_size = load_le(p + 1, m->offset_size);
    size_t need = 1 + (size_t)m->offset_size * ((size_t)m->dict_size + 2);
    if (m->dict_size > len || need > len) return bad(err, "metadata dictionary does not fit");
    m->offsets = p + 1 + m->offset_size;
    m->names = p + need;
    m->names_len = len - need;
    return 0;
}

static int meta_name(const vmeta *m, uint32_t id, const uint8_t **s, size_t *n, fl_error *err)
{
    if (id >= m->dict_size) return bad(err, "field id outside the metadata dictionary");
    uint32_t a = load_le(m->offsets + (size_t)id * m->offset_size, m->offset_size);
    uint32_t b = load_le(m->offsets + ((size_t)id + 1) * m->offset_size, m->offset_size);
    if (a > b || b > m->names_len) return bad(err, "metadata string offsets out of range");
    *s = m->names + a;
    *n = b - a;
    return 0;
}

static int vjson_string(fl_buf *out, const uint8_t *s, size_t n)
{
    FL_TRY(fl_buf_append_byte(out, '"'));
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc) FL_TRY(fl_buf_append_str(out, esc));
        else if (c < 0x20) FL_TRY(fl_buf_appendf(out, "\\u%04x", c));
        else FL_TRY(fl_buf_append_byte(out, c));
    }
    return fl_buf_append_byte(out, '"');
}

static int base64(fl_buf *out, const uint8_t *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FL_TRY(fl_buf_append_byte(out, '"'));
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        FL_TRY(fl_buf_append(out, q, 4));
    }
    return fl_buf_append_byte(out, '"');
}

static int64_t load_i64(const uint8_t *p, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
    if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~(uint64_t)0 << (8 * n);
    return (int64_t)v;
}

/* Primitive type id -> payload size (0 for variable, -1 unknown). */
static int primitive(fl_buf *out, uint32_t type, const uint8_t *p, size_t len, size_t *used, fl_error *err)
{
    static const int8_t sizes[] = {0, 0, 0, 1, 2, 4, 8, 8, 5, 9, 17, 4, 8, 8, 4, -2, -2, 8, 8, 8, 16};
    if (type >= sizeof(sizes)) return bad(err, "unknown primitive type");
    size_t need = sizes[type] > 0 ? (size_t)sizes[type] : 0;
    if (sizes[type] == -2) {
        if (len < 4) return bad(err, "truncated length");
        need = 4 + (size_t)load_le(p, 4);
    }
    if (need > len) return bad(err, "primitive value is truncated");
    *used = need;
    char tmp[96];
    switch (type) {
    case 0: return fl_buf_append_str(out, "null");
    case 1: return fl_buf_append_str(out, "true");
    case 2: return fl_buf_append_str(out, "false");
    case 3: case 4: case 5: case 6:
        return fl_buf_appendf(out, "%lld", (long long)load_i64(p, (uint32_t)need));
    case 7: {
        double d;
        memcpy(&d, p, 8);
        fl_format_double(d, tmp);
        return fl_buf_append_str(out, tmp);
    }
    case 14: {
        float f;
        memcpy(&f, p, 4);
        fl_format_float(f, tmp);
        return fl_buf_append_str(out, tmp);
    }
    case 8: case 9: case 10: {
        uint8_t scale = p[0];
        fl_int128 v = 0;
        if (type == 10) {
            uint64_t lo = (uint64_t)load_i64(p + 1, 8), hi = (uint64_t)load_i64(p + 9, 8);
            v = (fl_int128)(((unsigned __int128)hi << 64) | lo);
        } else {
            v = load_i64(p + 1, (uint32_t)need - 1);
        }
        if (scale > 38) return bad(err, "decimal scale above 38");
        fl_decimal_format(v, scale, tmp);
        return fl_buf_append_str(out, tmp);
    }
    case 11:
        ice_iso_date((int32_t)load_i64(p, 4), tmp);
        return fl_buf_appendf(out, "\"%s\"", tmp);
    case 12: case 13: case 18: case 19:
        ice_iso_timestamp(load_i64(p, 8), type >= 18 ? 1000000000 : 1000000, type == 12 || type == 18, tmp);
        return fl_buf_appendf(out, "\"%s\"", tmp);
    case 17:
        ice_iso_time(load_i64(p, 8), tmp);
        return fl_buf_appendf(out, "\"%s\"", tmp);
    case 15: return base64(out, p + 4, need - 4);
    case 16: return vjson_string(out, p + 4, need - 4);
    case 20:
        return fl_buf_appendf(out, "\"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\"", p[0], p[1],
                              p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]);
    }
    return bad(err, "unknown primitive type");
}

/* budget: nodes left to visit. Offsets may point several elements at the
 * same bytes, so without it a small value could expand exponentially. */
static int value_json(fl_buf *out, const vmeta *m, const uint8_t *p, size_t len, int depth, size_t *budget,
                      fl_error *err)
{
    if (depth > 100) return bad(err, "nested too deeply");
    if (*budget == 0) return bad(err, "elements overlap and expand beyond the value's size");
    (*budget)--;
    if (len < 1) return bad(err, "empty value");
    uint8_t basic = p[0] & 3, hdr = p[0] >> 2;
    if (basic == 0) {
        size_t used;
        return primitive(out, hdr, p + 1, len - 1, &used, err);
    }
    if (basic == 1) {
        if ((size_t)hdr + 1 > len) return bad(err, "short string is truncated");
        return vjson_string(out, p + 1, hdr);
    }
    bool object = basic == 2;
    uint32_t off_size = (hdr & 3) + 1;
    uint32_t id_size = object ? ((hdr >> 2) & 3) + 1 : 0;
    bool large = object ? (hdr >> 4) & 1 : (hdr >> 2) & 1;
    uint32_t count_size = large ? 4 : 1;
    if (len < 1 + count_size) return bad(err, "container is truncated");
    uint32_t n = load_le(p + 1, count_size);
    size_t ids_at = 1 + count_size;
    size_t offs_at = ids_at + (size_t)n * id_size;
    size_t data_at = offs_at + ((size_t)n + 1) * off_size;
    if (n > len || data_at > len) return bad(err, "container header does not fit");
    size_t data_len = len - data_at;
    FL_TRY(fl_buf_append_byte(out, object ? '{' : '['));
    for (uint32_t i = 0; i < n; i++) {
        if (i) FL_TRY(fl_buf_append_byte(out, ','));
        if (object) {
            const uint8_t *name = NULL;
            size_t name_len = 0;
            FL_TRY(meta_name(m, load_le(p + ids_at + (size_t)i * id_size, id_size), &name, &name_len, err));
            FL_TRY(vjson_string(out, name, name_len));
            FL_TRY(fl_buf_append_byte(out, ':'));
        }
        uint32_t a = load_le(p + offs_at + (size_t)i * off_size, off_size);
        if (a >= data_len) return bad(err, "element offset out of range");
        /* an element runs to the end of the data; its own header bounds it */
        FL_TRY(value_json(out, m, p + data_at + a, data_len - a, depth + 1, budget, err));
    }
    return fl_buf_append_byte(out, object ? '}' : ']');
}

int ice_read_variant_json(fl_buf *out, const uint8_t *metadata, size_t metadata_len, const uint8_t *value,
                          size_t value_len, fl_error *err)
{
    vmeta m;
    FL_TRY(meta_parse(&m, metadata, metadata_len, err));
    size_t budget = 4 * value_len + 64;
    return value_json(out, &m, value, value_len, 0, &budget, err);
}

int ice_read_variant_column(fl_column **out, const fl_column *src, fl_arena *arena, fl_error *err)
{
    const fl_column *meta = NULL, *val = NULL;
    if (src->type.id == FL_TYPE_STRUCT)
        for (uint32_t i = 0; i < src->child_count; i++) {
            const char *name = src->children[i]->name ? src->children[i]->name : "";
            if (strcmp(name, "metadata") == 0) meta = src->children[i];
            else if (strcmp(name, "value") == 0) val = src->children[i];
            else if (strcmp(name, "typed_value") == 0)
                return fl_error_set(err, FLOE_EUNSUPPORTED, "shredded variant columns are not supported");
        }
    if (meta == NULL || val == NULL || !fl_type_is_varlen(meta->type) || !fl_type_is_varlen(val->type))
        return fl_error_set(err, FLOE_ECORRUPT, "variant column \"%s\" is not a struct of metadata and value binaries",
                            src->name ? src->name : "?");
    fl_column *col = fl_column_new(arena, fl_type_make(FL_TYPE_STRING), src->len);
    if (col == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    fl_buf b;
    fl_buf_init(&b);
    int rc = 0;
    for (size_t r = 0; r < src->len && rc == 0; r++) {
        if (!fl_column_is_valid(src, r) || !fl_column_is_valid(meta, r) || !fl_column_is_valid(val, r)) {
            rc = fl_column_set_null(col, r);
            continue;
        }
        fl_strv ms = ((const fl_strv *)meta->data)[r], vs = ((const fl_strv *)val->data)[r];
        fl_buf_reset(&b);
        rc = ice_read_variant_json(&b, (const uint8_t *)ms.ptr, ms.len, (const uint8_t *)vs.ptr, vs.len, err);
        if (rc == 0 && fl_column_copy_str(col, b.data ? b.data : "", b.len, &((fl_strv *)col->data)[r]) < 0)
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    fl_buf_dispose(&b);
    col->len = src->len;
    col->name = src->name;
    *out = col;
    return rc;
}
