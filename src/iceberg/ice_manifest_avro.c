/*
 * ice_manifest_avro.c: the Avro side of manifest partition tuples: reading
 * a partition datum into an fl_value of the partition field's Iceberg type
 * (tolerating Avro promotions and writers that used bytes for fixed or
 * string for uuid), writing one back, the Avro type JSON of each Iceberg
 * primitive as Iceberg Java's AvroSchemaUtil spells it, and a byte-counting
 * io_writer used to learn a manifest's length. See ice_manifest_int.h.
 */
#include "ice_manifest_int.h"

#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/uuid.h"

int ice_mf_decimal_bytes(int precision)
{
    /* smallest n with 10^p - 1 < 2^(8n-1) */
    int n = 1;
    fl_int128 limit = 128; /* 2^(8n-1) */
    fl_int128 max = 1;
    for (int i = 0; i < precision; i++) max *= 10;
    max -= 1;
    while (max >= limit && n < 16) {
        n++;
        limit <<= 8;
    }
    return n;
}

static int bad_value(const ice_type *t, const avro_value *v, fl_error *err)
{
    char name[64];
    ice_type_format(t, name, sizeof(name));
    return fl_error_set(err, FLOE_ECORRUPT, "partition value of type %s cannot be read from Avro %s",
                        name, avro_type_name(v->type));
}

static int decode_decimal(fl_value *out, const ice_type *t, fl_strv b, fl_error *err)
{
    if (b.len == 0 || b.len > 16)
        return fl_error_set(err, FLOE_ECORRUPT, "decimal partition value has %u bytes",
                            (unsigned)b.len);
    const uint8_t *p = (const uint8_t *)b.ptr;
    fl_int128 v = (p[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < b.len; i++) v = (fl_int128)(((unsigned __int128)v << 8) | p[i]);
    if (t->precision <= 18) {
        if (v < INT64_MIN || v > INT64_MAX)
            return fl_error_set(err, FLOE_ECORRUPT, "decimal partition value out of range");
        out->v.i64 = (int64_t)v;
    } else {
        out->v.i128 = v;
    }
    return 0;
}

int ice_mf_avro_to_value(fl_value *out, const ice_type *t, const avro_value *v, fl_error *err)
{
    int rc;
    memset(out, 0, sizeof(*out));
    if ((rc = ice_type_to_fl(&out->type, t, err)) < 0) return rc;
    if (avro_value_is_null(v) || t->id == ICE_TYPE_UNKNOWN) {
        out->is_null = true;
        return 0;
    }
    switch (t->id) {
    case ICE_TYPE_BOOLEAN:
        return avro_value_get_bool(v, &out->v.b, err);
    case ICE_TYPE_INT:
    case ICE_TYPE_DATE: {
        int rc = avro_value_get_long(v, &out->v.i64, err);
        if (rc == 0 && (out->v.i64 < INT32_MIN || out->v.i64 > INT32_MAX))
            return fl_error_set(err, FLOE_ECORRUPT, "partition value %lld does not fit type %s",
                                (long long)out->v.i64, ice_type_id_name(t->id));
        return rc;
    }
    case ICE_TYPE_LONG:
    case ICE_TYPE_TIME:
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS:
        return avro_value_get_long(v, &out->v.i64, err);
    case ICE_TYPE_FLOAT:
    case ICE_TYPE_DOUBLE:
        return avro_value_get_double(v, &out->v.f64, err);
    case ICE_TYPE_DECIMAL:
        if (v->type != AVRO_FIXED && v->type != AVRO_BYTES) return bad_value(t, v, err);
        return decode_decimal(out, t, v->u.bytes, err);
    case ICE_TYPE_UUID:
        if ((v->type == AVRO_FIXED || v->type == AVRO_BYTES) && v->u.bytes.len == 16) {
            out->v.s = v->u.bytes;
            return 0;
        }
        return bad_value(t, v, err);
    case ICE_TYPE_FIXED:
        if ((v->type == AVRO_FIXED || v->type == AVRO_BYTES) &&
            (int64_t)v->u.bytes.len == t->length) {
            out->v.s = v->u.bytes;
            return 0;
        }
        return bad_value(t, v, err);
    case ICE_TYPE_STRING:
    case ICE_TYPE_BINARY:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY:
        if (v->type != AVRO_STRING && v->type != AVRO_BYTES && v->type != AVRO_FIXED)
            return bad_value(t, v, err);
        out->v.s = v->u.bytes;
        return 0;
    default:
        return bad_value(t, v, err);
    }
}

int ice_mf_encode_value(fl_buf *out, const ice_type *t, const fl_value *v, fl_error *err)
{
    if (v->is_null || t->id == ICE_TYPE_UNKNOWN) return avro_enc_long(out, 0);
    int rc = avro_enc_long(out, 1);
    if (rc < 0) goto oom;
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: rc = avro_enc_bool(out, v->v.b); break;
    case ICE_TYPE_INT:
    case ICE_TYPE_LONG:
    case ICE_TYPE_DATE:
    case ICE_TYPE_TIME:
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS: rc = avro_enc_long(out, v->v.i64); break;
    case ICE_TYPE_FLOAT: rc = avro_enc_float(out, (float)v->v.f64); break;
    case ICE_TYPE_DOUBLE: rc = avro_enc_double(out, v->v.f64); break;
    case ICE_TYPE_DECIMAL: {
        int n = ice_mf_decimal_bytes(t->precision);
        fl_int128 u = t->precision <= 18 ? (fl_int128)v->v.i64 : v->v.i128;
        uint8_t b[16];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (uint8_t)(u & 0xff);
            u >>= 8;
        }
        rc = avro_enc_fixed(out, b, (size_t)n);
        break;
    }
    case ICE_TYPE_UUID:
    case ICE_TYPE_FIXED: {
        size_t want = t->id == ICE_TYPE_UUID ? 16 : (size_t)t->length;
        if (v->v.s.len != want)
            return fl_error_set(err, FLOE_EINVAL, "partition value has %u bytes, type needs %zu",
                                (unsigned)v->v.s.len, want);
        rc = avro_enc_fixed(out, v->v.s.ptr, want);
        break;
    }
    case ICE_TYPE_STRING:
    case ICE_TYPE_BINARY:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY: rc = avro_enc_bytes(out, v->v.s.ptr, v->v.s.len); break;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "partition values of type %s cannot be written",
                            ice_type_id_name(t->id));
    }
    if (rc < 0) goto oom;
    return 0;
oom:
    return fl_error_set(err, FLOE_ENOMEM, "out of memory encoding a partition value");
}

/* Named Avro types (fixed) may be defined once per schema: a later use of
 * the same name is a reference, as Java's AvroSchemaUtil prints it. */
static bool named_seen(fl_buf *defined, const char *name, int *rc)
{
    char key[80];
    snprintf(key, sizeof(key), "|%s|", name);
    *rc = 0;
    if (!defined) return false;
    if (strstr(fl_buf_cstr(defined), key)) return true;
    *rc = fl_buf_append_str(defined, key);
    return false;
}

int ice_mf_avro_type_json(fl_buf *out, const ice_type *t, fl_buf *defined, fl_error *err)
{
    int rc;
    char name[64];
    name[0] = '\0';
    if (t->id == ICE_TYPE_UUID) snprintf(name, sizeof(name), "uuid_fixed");
    else if (t->id == ICE_TYPE_FIXED) snprintf(name, sizeof(name), "fixed_%lld", (long long)t->length);
    else if (t->id == ICE_TYPE_DECIMAL) snprintf(name, sizeof(name), "decimal_%d_%d", t->precision, t->scale);
    if (name[0] && named_seen(defined, name, &rc)) {
        if (fl_buf_appendf(out, "\"%s\"", name) < 0) rc = FLOE_ENOMEM;
        if (rc < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory building an Avro schema");
        return 0;
    }
    if (name[0] && rc < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory building an Avro schema");
    switch (t->id) {
    case ICE_TYPE_BOOLEAN: rc = fl_buf_append_str(out, "\"boolean\""); break;
    case ICE_TYPE_INT: rc = fl_buf_append_str(out, "\"int\""); break;
    case ICE_TYPE_LONG: rc = fl_buf_append_str(out, "\"long\""); break;
    case ICE_TYPE_FLOAT: rc = fl_buf_append_str(out, "\"float\""); break;
    case ICE_TYPE_DOUBLE: rc = fl_buf_append_str(out, "\"double\""); break;
    case ICE_TYPE_STRING: rc = fl_buf_append_str(out, "\"string\""); break;
    case ICE_TYPE_BINARY:
    case ICE_TYPE_GEOMETRY:
    case ICE_TYPE_GEOGRAPHY: rc = fl_buf_append_str(out, "\"bytes\""); break;
    case ICE_TYPE_DATE:
        rc = fl_buf_append_str(out, "{\"type\":\"int\",\"logicalType\":\"date\"}");
        break;
    case ICE_TYPE_TIME:
        rc = fl_buf_append_str(out, "{\"type\":\"long\",\"logicalType\":\"time-micros\"}");
        break;
    case ICE_TYPE_TIMESTAMP:
    case ICE_TYPE_TIMESTAMPTZ:
        rc = fl_buf_appendf(out, "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\","
                                 "\"adjust-to-utc\":%s}",
                            t->id == ICE_TYPE_TIMESTAMPTZ ? "true" : "false");
        break;
    case ICE_TYPE_TIMESTAMP_NS:
    case ICE_TYPE_TIMESTAMPTZ_NS:
        rc = fl_buf_appendf(out, "{\"type\":\"long\",\"logicalType\":\"timestamp-nanos\","
                                 "\"adjust-to-utc\":%s}",
                            t->id == ICE_TYPE_TIMESTAMPTZ_NS ? "true" : "false");
        break;
    case ICE_TYPE_UUID:
        rc = fl_buf_append_str(out, "{\"type\":\"fixed\",\"name\":\"uuid_fixed\",\"size\":16,"
                                    "\"logicalType\":\"uuid\"}");
        break;
    case ICE_TYPE_FIXED:
        rc = fl_buf_appendf(out, "{\"type\":\"fixed\",\"name\":\"fixed_%lld\",\"size\":%lld}",
                            (long long)t->length, (long long)t->length);
        break;
    case ICE_TYPE_DECIMAL:
        rc = fl_buf_appendf(out, "{\"type\":\"fixed\",\"name\":\"decimal_%d_%d\",\"size\":%d,"
                                 "\"logicalType\":\"decimal\",\"precision\":%d,\"scale\":%d}",
                            t->precision, t->scale, ice_mf_decimal_bytes(t->precision),
                            t->precision, t->scale);
        break;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "partition fields of type %s have no Avro type",
                            ice_type_id_name(t->id));
    }
    if (rc < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory building an Avro schema");
    return 0;
}

int ice_mf_json_str(fl_buf *out, const char *s)
{
    int rc = fl_buf_append_byte(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; rc >= 0 && *p; p++) {
        if (*p == '"' || *p == '\\') {
            rc = fl_buf_append_byte(out, '\\');
            if (rc >= 0) rc = fl_buf_append_byte(out, *p);
        } else if (*p < 0x20) {
            rc = fl_buf_appendf(out, "\\u%04x", *p);
        } else {
            rc = fl_buf_append_byte(out, *p);
        }
    }
    if (rc >= 0) rc = fl_buf_append_byte(out, '"');
    return rc < 0 ? FLOE_ENOMEM : 0;
}

/* ---- counting writer ---- */

typedef struct counting_writer {
    io_writer base;
    io_writer *inner;
    uint64_t *count_out;
} counting_writer;

static int cw_write(io_writer *w, const void *p, size_t len, fl_error *err)
{
    counting_writer *cw = (counting_writer *)w;
    int rc = io_write(cw->inner, p, len, err);
    if (rc >= 0) {
        *cw->count_out += len;
        w->written += len;
    }
    return rc;
}

static int cw_close(io_writer *w, fl_error *err)
{
    counting_writer *cw = (counting_writer *)w;
    int rc = io_writer_close(cw->inner, err);
    fl_free(cw);
    return rc;
}

static void cw_abort(io_writer *w)
{
    counting_writer *cw = (counting_writer *)w;
    io_writer_abort(cw->inner);
    fl_free(cw);
}

static const struct io_writer_ops counting_ops = {cw_write, cw_close, cw_abort};

int ice_mf_counting_writer(io_writer **out, io_writer *inner, uint64_t *count_out, fl_error *err)
{
    counting_writer *cw = fl_calloc(1, sizeof(*cw));
    if (!cw) {
        io_writer_abort(inner);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory opening a manifest writer");
    }
    cw->base.ops = &counting_ops;
    cw->base.location = inner->location;
    cw->inner = inner;
    cw->count_out = count_out;
    *count_out = 0;
    *out = &cw->base;
    return 0;
}
