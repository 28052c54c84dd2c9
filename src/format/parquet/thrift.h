/*
 * thrift.h: the Thrift compact protocol, as far as Parquet metadata needs it.
 *
 * Reader: a cursor over a byte range with a sticky error flag; every read is
 * bounds-checked and returns 0/empty once the flag is set, so decoders check
 * `in->failed` once at the end of a struct. Nesting depth is limited
 * (THRIFT_MAX_DEPTH) so hostile input cannot recurse without bound.
 * Writer: appends to an fl_buf, tracking the last field id per struct level.
 */
#ifndef THRIFT_H
#define THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../base/buf.h"

#define THRIFT_MAX_DEPTH 64

/* compact protocol type ids */
enum {
    THRIFT_STOP = 0, THRIFT_TRUE = 1, THRIFT_FALSE = 2, THRIFT_I8 = 3, THRIFT_I16 = 4,
    THRIFT_I32 = 5, THRIFT_I64 = 6, THRIFT_DOUBLE = 7, THRIFT_BINARY = 8, THRIFT_LIST = 9,
    THRIFT_SET = 10, THRIFT_MAP = 11, THRIFT_STRUCT = 12
};

typedef struct thrift_in {
    const uint8_t *p;
    const uint8_t *end;
    const uint8_t *start;
    int depth;
    int16_t last_id[THRIFT_MAX_DEPTH + 1];
    bool failed;
    const char *why;    /* first failure reason, static string */
} thrift_in;

void thrift_in_init(thrift_in *in, const uint8_t *p, size_t len);
void thrift_fail(thrift_in *in, const char *why);
/* Enters a struct (call before reading its fields); false on depth overflow. */
bool thrift_struct_begin(thrift_in *in);
void thrift_struct_end(thrift_in *in);
/* Next field of the current struct; false at STOP or on failure.
 * For bool fields the value is in the type: THRIFT_TRUE / THRIFT_FALSE. */
bool thrift_next_field(thrift_in *in, int16_t *id, uint8_t *type);
int16_t thrift_read_i16(thrift_in *in);
int32_t thrift_read_i32(thrift_in *in);
int64_t thrift_read_i64(thrift_in *in);
int8_t thrift_read_i8(thrift_in *in);
double thrift_read_double(thrift_in *in);
/* Field bool: pass the field type; list-element bool: pass 0 to read a byte. */
bool thrift_read_bool(thrift_in *in, uint8_t field_type);
fl_strv thrift_read_binary(thrift_in *in);   /* borrowed from the input */
/* List/set header; count is checked against the remaining bytes. */
bool thrift_read_list(thrift_in *in, uint8_t *elem_type, uint32_t *count);
/* Skips one field value of `type` (any type, nested structs/lists/sets/maps
 * included); a field bool (THRIFT_TRUE/FALSE) has no payload. */
void thrift_skip(thrift_in *in, uint8_t type);
size_t thrift_consumed(const thrift_in *in);

typedef struct thrift_out {
    fl_buf *buf;
    int depth;
    int16_t last_id[THRIFT_MAX_DEPTH + 1];
    bool failed;   /* out of memory or depth */
} thrift_out;

void thrift_out_init(thrift_out *out, fl_buf *buf);
void thrift_write_field_begin(thrift_out *out, int16_t id, uint8_t type);
void thrift_write_i32_field(thrift_out *out, int16_t id, int32_t v);
void thrift_write_i64_field(thrift_out *out, int16_t id, int64_t v);
void thrift_write_i8_field(thrift_out *out, int16_t id, int8_t v);
void thrift_write_i16_field(thrift_out *out, int16_t id, int16_t v);
void thrift_write_double_field(thrift_out *out, int16_t id, double v);
void thrift_write_bool_field(thrift_out *out, int16_t id, bool v);
void thrift_write_binary_field(thrift_out *out, int16_t id, const void *p, size_t len);
void thrift_write_string_field(thrift_out *out, int16_t id, const char *s);
/* Begins a nested struct as field `id`; close with thrift_write_struct_end. */
void thrift_write_struct_begin(thrift_out *out, int16_t id);
void thrift_write_struct_end(thrift_out *out);   /* writes STOP, pops */
/* Top-level struct: no field header. */
void thrift_write_root_begin(thrift_out *out);
void thrift_write_list_begin(thrift_out *out, int16_t id, uint8_t elem_type, uint32_t count);
void thrift_write_i32(thrift_out *out, int32_t v);     /* list element */
void thrift_write_i64(thrift_out *out, int64_t v);
void thrift_write_binary(thrift_out *out, const void *p, size_t len);
/* A struct that is a list element: begin pushes a level without a header. */
void thrift_write_elem_struct_begin(thrift_out *out);

#endif
