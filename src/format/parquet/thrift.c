/*
 * thrift.c: the Thrift compact protocol reader and writer (see thrift.h).
 *
 * The reader never trusts the input: every byte read is bounds-checked, the
 * first failure is sticky (later reads return zero values without touching
 * memory), nesting is limited to THRIFT_MAX_DEPTH, and list/set/map counts
 * are checked against the bytes that remain (every element takes at least
 * one byte), so a hostile count can neither make a caller allocate without
 * bound nor loop for long. thrift_skip walks any value, including types
 * Parquet never uses (sets, maps), so fields added by newer writers are
 * stepped over.
 *
 * Compact protocol recap: a field header byte is (id delta << 4) | type, or
 * type alone followed by the zigzag-varint i16 id when the delta does not fit
 * in 1..15; bool fields carry their value in the type (1 true, 2 false);
 * i16/i32/i64 are zigzag varints; i8 is one byte; double is 8 bytes little
 * endian; binary is a varint length then the bytes; a list header is
 * (size << 4) | elem_type, or 0xF0 | elem_type then a varint size when the
 * size is 15 or more; a map header is a varint size, then (when non-empty) a
 * byte (key_type << 4) | value_type.
 */
#include "thrift.h"

#include <string.h>

#include "../../base/varint.h"

/* ---------------------------------------------------------------- reader */

void thrift_in_init(thrift_in *in, const uint8_t *p, size_t len)
{
    in->p = p;
    in->start = p;
    in->end = p + len;
    in->depth = 0;
    in->last_id[0] = 0;
    in->failed = false;
    in->why = NULL;
}

void thrift_fail(thrift_in *in, const char *why)
{
    if (!in->failed) {
        in->failed = true;
        in->why = why;
    }
}

size_t thrift_consumed(const thrift_in *in) { return (size_t)(in->p - in->start); }

static size_t remaining(const thrift_in *in) { return (size_t)(in->end - in->p); }

static uint8_t read_byte(thrift_in *in)
{
    if (in->failed) return 0;
    if (in->p >= in->end) {
        thrift_fail(in, "unexpected end of data");
        return 0;
    }
    return *in->p++;
}

static uint64_t read_varint(thrift_in *in)
{
    if (in->failed) return 0;
    uint64_t v;
    size_t n = fl_varint_decode(in->p, in->end, &v);
    if (n == 0) {
        thrift_fail(in, in->end - in->p < 10 ? "unexpected end of data in varint"
                                             : "varint is too long");
        return 0;
    }
    in->p += n;
    return v;
}

bool thrift_struct_begin(thrift_in *in)
{
    if (in->failed) return false;
    if (in->depth >= THRIFT_MAX_DEPTH) {
        thrift_fail(in, "structures are nested too deeply");
        return false;
    }
    in->depth++;
    in->last_id[in->depth] = 0;
    return true;
}

void thrift_struct_end(thrift_in *in)
{
    if (in->depth > 0) in->depth--;
}

static bool valid_type(uint8_t type) { return type >= THRIFT_TRUE && type <= THRIFT_STRUCT; }

bool thrift_next_field(thrift_in *in, int16_t *id, uint8_t *type)
{
    if (in->failed) return false;
    if (in->depth == 0) {
        thrift_fail(in, "field read outside a structure");
        return false;
    }
    uint8_t b = read_byte(in);
    if (in->failed) return false;
    uint8_t t = b & 0x0f;
    if (t == THRIFT_STOP) return false;   /* the id nibble is ignored, as Thrift does */
    if (!valid_type(t)) {
        thrift_fail(in, "invalid field type");
        return false;
    }
    int32_t field_id;
    uint8_t delta = b >> 4;
    if (delta) {
        field_id = (int32_t)in->last_id[in->depth] + delta;
    } else {
        int64_t v = fl_zigzag_decode(read_varint(in));
        if (in->failed) return false;
        field_id = v < INT16_MIN || v > INT16_MAX ? INT32_MAX : (int32_t)v;
    }
    if (field_id > INT16_MAX) {
        thrift_fail(in, "field id out of range");
        return false;
    }
    in->last_id[in->depth] = (int16_t)field_id;
    *id = (int16_t)field_id;
    *type = t;
    return true;
}

int8_t thrift_read_i8(thrift_in *in) { return (int8_t)read_byte(in); }

int16_t thrift_read_i16(thrift_in *in)
{
    int64_t v = fl_zigzag_decode(read_varint(in));
    if (v < INT16_MIN || v > INT16_MAX) {
        thrift_fail(in, "i16 value out of range");
        return 0;
    }
    return (int16_t)v;
}

int32_t thrift_read_i32(thrift_in *in)
{
    int64_t v = fl_zigzag_decode(read_varint(in));
    if (v < INT32_MIN || v > INT32_MAX) {
        thrift_fail(in, "i32 value out of range");
        return 0;
    }
    return (int32_t)v;
}

int64_t thrift_read_i64(thrift_in *in) { return fl_zigzag_decode(read_varint(in)); }

double thrift_read_double(thrift_in *in)
{
    if (in->failed) return 0;
    if (remaining(in) < 8) {
        thrift_fail(in, "unexpected end of data in double");
        return 0;
    }
    uint64_t bits = fl_load_u64le(in->p);
    in->p += 8;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

bool thrift_read_bool(thrift_in *in, uint8_t field_type)
{
    if (in->failed) return false;
    if (field_type == THRIFT_TRUE) return true;
    if (field_type == THRIFT_FALSE) return false;
    if (field_type != 0) {
        thrift_fail(in, "value is not a bool");
        return false;
    }
    /* list element: 1 is true; 2 (Thrift) or 0 (some writers) is false */
    uint8_t b = read_byte(in);
    if (b > 2) thrift_fail(in, "invalid bool value");
    return b == 1;
}

fl_strv thrift_read_binary(thrift_in *in)
{
    fl_strv s = {"", 0};
    uint64_t len = read_varint(in);
    if (in->failed) return s;
    if (len > remaining(in) || len > UINT32_MAX) {
        thrift_fail(in, "binary length exceeds the remaining data");
        return s;
    }
    s.ptr = (const char *)in->p;
    s.len = (uint32_t)len;
    in->p += len;
    return s;
}

/* Smallest encoding of one collection element of `type`, in bytes. */
static size_t min_elem_size(uint8_t type) { return type == THRIFT_DOUBLE ? 8 : 1; }

bool thrift_read_list(thrift_in *in, uint8_t *elem_type, uint32_t *count)
{
    *elem_type = 0;
    *count = 0;
    uint8_t b = read_byte(in);
    if (in->failed) return false;
    uint8_t t = b & 0x0f;
    uint64_t n = b >> 4;
    if (n == 15) {
        n = read_varint(in);
        if (in->failed) return false;
    }
    if (!valid_type(t) && !(t == 0 && n == 0)) {   /* some writers leave an empty list untyped */
        thrift_fail(in, "invalid list element type");
        return false;
    }
    if (n > INT32_MAX || n > remaining(in) / min_elem_size(t)) {
        thrift_fail(in, "list size exceeds the remaining data");
        return false;
    }
    *elem_type = t;
    *count = (uint32_t)n;
    return true;
}

static void skip_value(thrift_in *in, uint8_t type, bool in_collection);

static void skip_collection_elems(thrift_in *in, uint8_t type, uint64_t count)
{
    for (uint64_t i = 0; i < count && !in->failed; i++) skip_value(in, type, true);
}

static void skip_map(thrift_in *in)
{
    uint64_t n = read_varint(in);
    if (in->failed || n == 0) return;
    uint8_t kv = read_byte(in);
    uint8_t kt = kv >> 4, vt = kv & 0x0f;
    if (in->failed) return;
    if (!valid_type(kt) || !valid_type(vt)) {
        thrift_fail(in, "invalid map key or value type");
        return;
    }
    if (n > remaining(in) / (min_elem_size(kt) + min_elem_size(vt))) {
        thrift_fail(in, "map size exceeds the remaining data");
        return;
    }
    for (uint64_t i = 0; i < n && !in->failed; i++) {
        skip_value(in, kt, true);
        skip_value(in, vt, true);
    }
}

static void skip_value(thrift_in *in, uint8_t type, bool in_collection)
{
    if (in->failed) return;
    switch (type) {
    case THRIFT_TRUE:
    case THRIFT_FALSE:
        if (in_collection) (void)read_byte(in);
        return;
    case THRIFT_I8: (void)read_byte(in); return;
    case THRIFT_I16:
    case THRIFT_I32:
    case THRIFT_I64: (void)read_varint(in); return;
    case THRIFT_DOUBLE: (void)thrift_read_double(in); return;
    case THRIFT_BINARY: (void)thrift_read_binary(in); return;
    default: break;
    }
    /* containers: count the nesting against the same depth limit */
    if (!thrift_struct_begin(in)) return;
    if (type == THRIFT_STRUCT) {
        int16_t id;
        uint8_t ft;
        while (thrift_next_field(in, &id, &ft)) skip_value(in, ft, false);
    } else if (type == THRIFT_LIST || type == THRIFT_SET) {
        uint8_t et;
        uint32_t n;
        if (thrift_read_list(in, &et, &n)) skip_collection_elems(in, et, n);
    } else if (type == THRIFT_MAP) {
        skip_map(in);
    } else {
        thrift_fail(in, "invalid type to skip");
    }
    thrift_struct_end(in);
}

void thrift_skip(thrift_in *in, uint8_t type) { skip_value(in, type, false); }

/* ---------------------------------------------------------------- writer */

void thrift_out_init(thrift_out *out, fl_buf *buf)
{
    out->buf = buf;
    out->depth = 0;
    out->last_id[0] = 0;
    out->failed = false;
}

static void put_byte(thrift_out *out, uint8_t b)
{
    if (out->failed) return;
    if (fl_buf_append_byte(out->buf, b) < 0) out->failed = true;
}

static void put_bytes(thrift_out *out, const void *p, size_t len)
{
    if (out->failed || len == 0) return;
    if (fl_buf_append(out->buf, p, len) < 0) out->failed = true;
}

static void put_varint(thrift_out *out, uint64_t v)
{
    uint8_t tmp[10];
    put_bytes(out, tmp, fl_varint_encode(tmp, v));
}

static void push(thrift_out *out)
{
    if (out->depth >= THRIFT_MAX_DEPTH) {
        out->failed = true;
        return;
    }
    out->depth++;
    out->last_id[out->depth] = 0;
}

void thrift_write_field_begin(thrift_out *out, int16_t id, uint8_t type)
{
    if (out->failed) return;
    int32_t delta = (int32_t)id - out->last_id[out->depth];
    if (delta > 0 && delta <= 15) {
        put_byte(out, (uint8_t)(delta << 4 | type));
    } else {
        put_byte(out, type);
        put_varint(out, fl_zigzag_encode(id));
    }
    out->last_id[out->depth] = id;
}

void thrift_write_i8_field(thrift_out *out, int16_t id, int8_t v)
{
    thrift_write_field_begin(out, id, THRIFT_I8);
    put_byte(out, (uint8_t)v);
}

void thrift_write_i16_field(thrift_out *out, int16_t id, int16_t v)
{
    thrift_write_field_begin(out, id, THRIFT_I16);
    put_varint(out, fl_zigzag_encode(v));
}

void thrift_write_i32_field(thrift_out *out, int16_t id, int32_t v)
{
    thrift_write_field_begin(out, id, THRIFT_I32);
    put_varint(out, fl_zigzag_encode(v));
}

void thrift_write_i64_field(thrift_out *out, int16_t id, int64_t v)
{
    thrift_write_field_begin(out, id, THRIFT_I64);
    put_varint(out, fl_zigzag_encode(v));
}

void thrift_write_double_field(thrift_out *out, int16_t id, double v)
{
    thrift_write_field_begin(out, id, THRIFT_DOUBLE);
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint8_t tmp[8];
    fl_store_u64le(tmp, bits);
    put_bytes(out, tmp, 8);
}

void thrift_write_bool_field(thrift_out *out, int16_t id, bool v)
{
    thrift_write_field_begin(out, id, v ? THRIFT_TRUE : THRIFT_FALSE);
}

void thrift_write_binary_field(thrift_out *out, int16_t id, const void *p, size_t len)
{
    thrift_write_field_begin(out, id, THRIFT_BINARY);
    thrift_write_binary(out, p, len);
}

void thrift_write_string_field(thrift_out *out, int16_t id, const char *s)
{
    thrift_write_binary_field(out, id, s, strlen(s));
}

void thrift_write_struct_begin(thrift_out *out, int16_t id)
{
    thrift_write_field_begin(out, id, THRIFT_STRUCT);
    push(out);
}

void thrift_write_struct_end(thrift_out *out)
{
    put_byte(out, THRIFT_STOP);
    if (out->depth > 0) out->depth--;
}

void thrift_write_root_begin(thrift_out *out) { push(out); }

void thrift_write_elem_struct_begin(thrift_out *out) { push(out); }

void thrift_write_list_begin(thrift_out *out, int16_t id, uint8_t elem_type, uint32_t count)
{
    thrift_write_field_begin(out, id, THRIFT_LIST);
    if (count < 15) {
        put_byte(out, (uint8_t)(count << 4 | elem_type));
    } else {
        put_byte(out, (uint8_t)(0xf0 | elem_type));
        put_varint(out, count);
    }
}

void thrift_write_i32(thrift_out *out, int32_t v) { put_varint(out, fl_zigzag_encode(v)); }

void thrift_write_i64(thrift_out *out, int64_t v) { put_varint(out, fl_zigzag_encode(v)); }

void thrift_write_binary(thrift_out *out, const void *p, size_t len)
{
    put_varint(out, len);
    put_bytes(out, p, len);
}
