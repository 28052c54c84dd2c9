/*
 * avro_datum.c: Avro binary encoding of one datum, both directions.
 *
 * Decoding walks the writer's schema and builds an avro_value tree in the
 * caller's arena. Every length and count is checked against the bytes that
 * remain before anything is allocated: a block of n array items needs at
 * least n * min_size(item) bytes. Items that encode to zero bytes (null,
 * empty records) cannot be bounded that way, so a datum may hold at most
 * ZERO_SIZE_BUDGET of them in total; nesting deeper than MAX_DEPTH (a
 * recursive schema) is refused. Negative block counts (a byte size follows)
 * are handled as the specification says.
 *
 * Encoding checks a value tree against the schema and appends the bytes;
 * the avro_enc_* primitives serve callers that stream without a tree.
 */
#include "avro.h"

#include <string.h>

#include "../../base/alloc.h"
#include "../../base/hashmap.h"
#include "../../base/varint.h"

#define MAX_DEPTH 512
#define ZERO_SIZE_BUDGET (1u << 20)

/* Projection modes of a record field: absent = skip. */
enum { PROJ_PATH = 1, PROJ_ALL = 2 };

struct avro_projection {
    fl_hashmap keep;            /* (record node, field index) -> PROJ_* */
};

typedef struct dec_ctx {
    const uint8_t *p, *end;
    fl_arena *arena;
    fl_error *err;
    uint32_t zero_budget;
    const avro_projection *proj;
} dec_ctx;

static int corrupt(dec_ctx *cx, const char *what)
{
    return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro data: %s", what);
}

static int oom(dec_ctx *cx)
{
    return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory decoding avro data");
}

static int read_long(dec_ctx *cx, int64_t *out)
{
    uint64_t u;
    size_t n = fl_varint_decode(cx->p, cx->end, &u);
    if (n == 0) return corrupt(cx, cx->p >= cx->end ? "unexpected end of data" : "bad varint");
    cx->p += n;
    *out = fl_zigzag_decode(u);
    return 0;
}

static int read_int(dec_ctx *cx, int32_t *out)
{
    int64_t v;
    FL_TRY(read_long(cx, &v));
    if (v < INT32_MIN || v > INT32_MAX) return corrupt(cx, "int value out of range");
    *out = (int32_t)v;
    return 0;
}

static int read_len(dec_ctx *cx, size_t *out)
{
    int64_t v;
    FL_TRY(read_long(cx, &v));
    if (v < 0) return corrupt(cx, "negative length");
    if ((uint64_t)v > (uint64_t)(cx->end - cx->p)) return corrupt(cx, "length runs past the end of the data");
    *out = (size_t)v;
    return 0;
}

static avro_value *new_value(dec_ctx *cx, avro_type type, const avro_schema *s)
{
    avro_value *v = fl_arena_alloc(cx->arena, sizeof *v);
    if (!v) return NULL;
    v->type = type;
    v->branch = -1;
    v->schema = s;
    return v;
}

static int decode(dec_ctx *cx, const avro_schema *s, int depth, bool all, avro_value **out);
static int skip(dec_ctx *cx, const avro_schema *s, int depth);

/* Reads the count of the next array/map block; 0 ends. */
static int block_count(dec_ctx *cx, uint32_t item_min, size_t *out)
{
    int64_t count;
    FL_TRY(read_long(cx, &count));
    if (count < 0) {
        if (count == INT64_MIN) return corrupt(cx, "bad block count");
        count = -count;
        int64_t bytes;
        FL_TRY(read_long(cx, &bytes));
        if (bytes < 0 || (uint64_t)bytes > (uint64_t)(cx->end - cx->p))
            return corrupt(cx, "block size runs past the end of the data");
    }
    size_t remaining = (size_t)(cx->end - cx->p);
    if (item_min > 0) {
        if ((uint64_t)count > remaining / item_min)
            return corrupt(cx, "block count is larger than the data can hold");
    } else {
        if ((uint64_t)count > cx->zero_budget)
            return fl_error_set(cx->err, FLOE_ECORRUPT,
                                "invalid avro data: more than %u zero-length items in one datum",
                                ZERO_SIZE_BUDGET);
        cx->zero_budget -= (uint32_t)count;
    }
    *out = (size_t)count;
    return 0;
}

static int grow(dec_ctx *cx, void **arr, size_t elem, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) ncap *= 2;
    void *n = fl_arena_realloc(cx->arena, *arr, *cap * elem, ncap * elem);
    if (!n) return oom(cx);
    *arr = n;
    *cap = ncap;
    return 0;
}

static int decode_array(dec_ctx *cx, const avro_schema *s, int depth, bool all, avro_value *v)
{
    size_t count = 0, cap = 0, n;
    avro_value **items = NULL;
    for (;;) {
        FL_TRY(block_count(cx, s->items->min_size, &n));
        if (n == 0) break;
        FL_TRY(grow(cx, (void **)&items, sizeof *items, &cap, count + n));
        for (size_t i = 0; i < n; i++) FL_TRY(decode(cx, s->items, depth + 1, all, &items[count++]));
    }
    v->u.list.items = items;
    v->u.list.count = count;
    return 0;
}

static int decode_map(dec_ctx *cx, const avro_schema *s, int depth, bool all, avro_value *v)
{
    size_t count = 0, cap = 0, n;
    avro_map_entry *entries = NULL;
    uint32_t entry_min = s->values->min_size + 1;
    for (;;) {
        FL_TRY(block_count(cx, entry_min, &n));
        if (n == 0) break;
        FL_TRY(grow(cx, (void **)&entries, sizeof *entries, &cap, count + n));
        for (size_t i = 0; i < n; i++) {
            size_t len;
            FL_TRY(read_len(cx, &len));
            char *key = fl_arena_strndup(cx->arena, (const char *)cx->p, len);
            if (!key) return oom(cx);
            cx->p += len;
            entries[count].key = fl_strv_make(key, len);
            FL_TRY(decode(cx, s->values, depth + 1, all, &entries[count].value));
            count++;
        }
    }
    v->u.map.entries = entries;
    v->u.map.count = count;
    return 0;
}

static int decode_bytes(dec_ctx *cx, size_t len, avro_value *v)
{
    char *copy = fl_arena_strndup(cx->arena, (const char *)cx->p, len);
    if (!copy) return oom(cx);
    cx->p += len;
    v->u.bytes = fl_strv_make(copy, len);
    return 0;
}

static uint64_t proj_key(const avro_schema *record, size_t field_index)
{
    return (uint64_t)(uintptr_t)record << 16 | (uint64_t)field_index;
}

static int decode_record(dec_ctx *cx, const avro_schema *s, int depth, bool all, avro_value *v)
{
    avro_value **items = NULL;
    if (s->field_count) {
        items = fl_arena_alloc(cx->arena, s->field_count * sizeof *items);
        if (!items) return oom(cx);
    }
    for (size_t i = 0; i < s->field_count; i++) {
        if (all) {
            FL_TRY(decode(cx, s->fields[i].type, depth + 1, true, &items[i]));
            continue;
        }
        uint64_t mode = 0;
        fl_hashmap_u64_get(&cx->proj->keep, proj_key(s, i), &mode);
        if (mode == 0) {
            items[i] = NULL;
            FL_TRY(skip(cx, s->fields[i].type, depth + 1));
        } else {
            FL_TRY(decode(cx, s->fields[i].type, depth + 1, mode == PROJ_ALL, &items[i]));
        }
    }
    v->u.list.items = items;
    v->u.list.count = s->field_count;
    return 0;
}

static int decode(dec_ctx *cx, const avro_schema *s, int depth, bool all, avro_value **out)
{
    if (depth > MAX_DEPTH)
        return fl_error_set(cx->err, FLOE_ELIMIT, "avro datum is nested deeper than %d levels", MAX_DEPTH);
    if (s->type == AVRO_UNION) {
        int64_t b;
        FL_TRY(read_long(cx, &b));
        if (b < 0 || (uint64_t)b >= s->branch_count) return corrupt(cx, "union branch index out of range");
        FL_TRY(decode(cx, s->branches[b], depth + 1, all, out));
        (*out)->branch = (int32_t)b;
        return 0;
    }
    avro_value *v = new_value(cx, s->type, s);
    if (!v) return oom(cx);
    *out = v;
    size_t len;
    switch (s->type) {
    case AVRO_NULL: return 0;
    case AVRO_BOOLEAN:
        if (cx->p >= cx->end) return corrupt(cx, "unexpected end of data");
        if (*cx->p > 1) return corrupt(cx, "boolean byte is neither 0 nor 1");
        v->u.b = *cx->p++ != 0;
        return 0;
    case AVRO_INT: return read_int(cx, &v->u.i);
    case AVRO_LONG: return read_long(cx, &v->u.l);
    case AVRO_FLOAT:
        if (cx->end - cx->p < 4) return corrupt(cx, "unexpected end of data");
        memcpy(&v->u.f, cx->p, 4);
        cx->p += 4;
        return 0;
    case AVRO_DOUBLE:
        if (cx->end - cx->p < 8) return corrupt(cx, "unexpected end of data");
        memcpy(&v->u.d, cx->p, 8);
        cx->p += 8;
        return 0;
    case AVRO_BYTES:
    case AVRO_STRING:
        FL_TRY(read_len(cx, &len));
        return decode_bytes(cx, len, v);
    case AVRO_FIXED:
        if ((size_t)(cx->end - cx->p) < (size_t)s->size) return corrupt(cx, "unexpected end of data");
        return decode_bytes(cx, (size_t)s->size, v);
    case AVRO_ENUM:
        FL_TRY(read_int(cx, &v->u.i));
        if (v->u.i < 0 || (size_t)v->u.i >= s->symbol_count) return corrupt(cx, "enum index out of range");
        return 0;
    case AVRO_RECORD: return decode_record(cx, s, depth, all, v);
    case AVRO_ARRAY: return decode_array(cx, s, depth, all, v);
    case AVRO_MAP: return decode_map(cx, s, depth, all, v);
    case AVRO_UNION: break;
    }
    return fl_error_set(cx->err, FLOE_EINTERNAL, "avro schema node of unknown type %d", (int)s->type);
}

static int skip_bytes(dec_ctx *cx, size_t n)
{
    if ((size_t)(cx->end - cx->p) < n) return corrupt(cx, "unexpected end of data");
    cx->p += n;
    return 0;
}

/* decode() without values: the same checks, nothing allocated */
static int skip(dec_ctx *cx, const avro_schema *s, int depth)
{
    if (depth > MAX_DEPTH)
        return fl_error_set(cx->err, FLOE_ELIMIT, "avro datum is nested deeper than %d levels", MAX_DEPTH);
    int64_t x = 0;
    int32_t i32 = 0;
    size_t len = 0, n = 0;
    switch (s->type) {
    case AVRO_NULL: return 0;
    case AVRO_BOOLEAN:
        if (cx->p >= cx->end) return corrupt(cx, "unexpected end of data");
        if (*cx->p > 1) return corrupt(cx, "boolean byte is neither 0 nor 1");
        cx->p++;
        return 0;
    case AVRO_INT: return read_int(cx, &i32);
    case AVRO_LONG: return read_long(cx, &x);
    case AVRO_FLOAT: return skip_bytes(cx, 4);
    case AVRO_DOUBLE: return skip_bytes(cx, 8);
    case AVRO_BYTES:
    case AVRO_STRING:
        FL_TRY(read_len(cx, &len));
        cx->p += len;
        return 0;
    case AVRO_FIXED: return skip_bytes(cx, (size_t)s->size);
    case AVRO_ENUM:
        FL_TRY(read_int(cx, &i32));
        if (i32 < 0 || (size_t)i32 >= s->symbol_count) return corrupt(cx, "enum index out of range");
        return 0;
    case AVRO_UNION:
        FL_TRY(read_long(cx, &x));
        if (x < 0 || (uint64_t)x >= s->branch_count) return corrupt(cx, "union branch index out of range");
        return skip(cx, s->branches[x], depth + 1);
    case AVRO_RECORD:
        for (size_t f = 0; f < s->field_count; f++) FL_TRY(skip(cx, s->fields[f].type, depth + 1));
        return 0;
    case AVRO_ARRAY:
    case AVRO_MAP: {
        bool map = s->type == AVRO_MAP;
        const avro_schema *item = map ? s->values : s->items;
        for (;;) {
            FL_TRY(block_count(cx, item->min_size + (map ? 1 : 0), &n));
            if (n == 0) return 0;
            for (size_t k = 0; k < n; k++) {
                if (map) {
                    FL_TRY(read_len(cx, &len));
                    cx->p += len;
                }
                FL_TRY(skip(cx, item, depth + 1));
            }
        }
    }
    }
    return fl_error_set(cx->err, FLOE_EINTERNAL, "avro schema node of unknown type %d", (int)s->type);
}

int avro_decode_projected(avro_value **out, const avro_schema *schema, const avro_projection *proj,
                          const uint8_t **p, const uint8_t *end, fl_arena *arena, fl_error *err)
{
    dec_ctx cx = {*p, end, arena, err, ZERO_SIZE_BUDGET, proj};
    int rc = decode(&cx, schema, 0, proj == NULL, out);
    if (rc < 0) return rc;
    *p = cx.p;
    return 0;
}

int avro_decode_datum(avro_value **out, const avro_schema *schema, const uint8_t **p,
                      const uint8_t *end, fl_arena *arena, fl_error *err)
{
    return avro_decode_projected(out, schema, NULL, p, end, arena, err);
}

int avro_skip_datum(const avro_schema *schema, const uint8_t **p, const uint8_t *end, fl_error *err)
{
    dec_ctx cx = {*p, end, NULL, err, ZERO_SIZE_BUDGET, NULL};
    int rc = skip(&cx, schema, 0);
    if (rc < 0) return rc;
    *p = cx.p;
    return 0;
}

int avro_projection_new(avro_projection **out, const avro_path *paths, size_t path_count,
                        const avro_schema *root, fl_error *err)
{
    *out = NULL;
    avro_projection *proj = fl_calloc(1, sizeof *proj);
    if (!proj || fl_hashmap_init(&proj->keep, FL_HASHMAP_U64, path_count * 2) < 0) {
        fl_free(proj);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory building an avro projection");
    }
    for (size_t k = 0; k < path_count; k++) {
        const avro_schema *s = root;
        for (uint8_t i = 0; i < paths[k].depth; i++) {
            s = avro_schema_nonnull(s);
            int16_t idx = paths[k].index[i];
            if (!s || s->type != AVRO_RECORD || idx < 0 || (size_t)idx >= s->field_count) {
                avro_projection_free(proj);
                return fl_error_set(err, FLOE_EINVAL, "avro projection path %zu does not fit the schema", k);
            }
            uint64_t *mode;
            if (fl_hashmap_u64_upsert(&proj->keep, proj_key(s, (size_t)idx), &mode) < 0) {
                avro_projection_free(proj);
                return fl_error_set(err, FLOE_ENOMEM, "out of memory building an avro projection");
            }
            uint64_t want = i + 1 == paths[k].depth ? PROJ_ALL : PROJ_PATH;
            if (*mode < want) *mode = want;
            s = s->fields[idx].type;
        }
    }
    *out = proj;
    return 0;
}

void avro_projection_free(avro_projection *p)
{
    if (!p) return;
    fl_hashmap_dispose(&p->keep);
    fl_free(p);
}

/* ---- encoding ---- */

int avro_enc_long(fl_buf *out, int64_t v)
{
    uint8_t *dst = fl_buf_extend(out, 10);
    if (!dst) return FLOE_ENOMEM;
    size_t n = fl_varint_encode(dst, fl_zigzag_encode(v));
    out->len -= 10 - n;
    out->data[out->len] = '\0';   /* fl_buf keeps a NUL past len */
    return 0;
}

int avro_enc_bool(fl_buf *out, bool v) { return fl_buf_append_byte(out, v ? 1 : 0); }

int avro_enc_float(fl_buf *out, float v) { return fl_buf_append(out, &v, 4); }

int avro_enc_double(fl_buf *out, double v) { return fl_buf_append(out, &v, 8); }

int avro_enc_bytes(fl_buf *out, const void *p, size_t len)
{
    FL_TRY(avro_enc_long(out, (int64_t)len));
    return len ? fl_buf_append(out, p, len) : 0;
}

int avro_enc_fixed(fl_buf *out, const void *p, size_t len) { return len ? fl_buf_append(out, p, len) : 0; }

typedef struct enc_ctx {
    fl_buf *out;
    fl_error *err;
} enc_ctx;

static int mismatch(enc_ctx *cx, const avro_schema *s, const avro_value *v)
{
    return fl_error_set(cx->err, FLOE_ETYPE, "cannot encode an avro %s value as %s%s%s",
                        v ? avro_type_name(v->type) : "missing", avro_type_name(s->type),
                        s->name ? " " : "", s->name ? s->name : "");
}

/* can a value of type vt be written as schema type st */
static bool compatible(avro_type st, avro_type vt)
{
    if (st == vt) return true;
    switch (st) {
    case AVRO_LONG: return vt == AVRO_INT;
    case AVRO_INT: return vt == AVRO_LONG;   /* range-checked when written */
    case AVRO_DOUBLE: return vt == AVRO_FLOAT || vt == AVRO_INT || vt == AVRO_LONG;
    case AVRO_FLOAT: return vt == AVRO_INT || vt == AVRO_LONG;
    case AVRO_STRING: return vt == AVRO_BYTES;
    case AVRO_BYTES: return vt == AVRO_STRING;
    default: return false;
    }
}

static int pick_branch(enc_ctx *cx, const avro_schema *s, const avro_value *v)
{
    if (v->branch >= 0 && (size_t)v->branch < s->branch_count &&
        compatible(s->branches[v->branch]->type, v->type))
        return v->branch;
    for (size_t i = 0; i < s->branch_count; i++) {
        const avro_schema *b = s->branches[i];
        if (b->type == v->type && (!v->schema || !b->name || !v->schema->name || strcmp(b->name, v->schema->name) == 0))
            return (int)i;
    }
    for (size_t i = 0; i < s->branch_count; i++) {
        if (compatible(s->branches[i]->type, v->type)) return (int)i;
    }
    return mismatch(cx, s, v);
}

static int encode(enc_ctx *cx, const avro_schema *s, const avro_value *v, int depth);

static int encode_list(enc_ctx *cx, const avro_schema *s, const avro_value *v, int depth)
{
    if (s->type == AVRO_RECORD) {
        if (v->u.list.count != s->field_count)
            return fl_error_set(cx->err, FLOE_ETYPE, "avro record %s has %zu fields but the value has %zu",
                                s->name, s->field_count, v->u.list.count);
        for (size_t i = 0; i < s->field_count; i++) {
            int rc = encode(cx, s->fields[i].type, v->u.list.items[i], depth + 1);
            if (rc < 0) {
                fl_error_prefix(cx->err, "field \"%s\": ", s->fields[i].name);
                return rc;
            }
        }
        return 0;
    }
    if (v->u.list.count) {
        if (avro_enc_long(cx->out, (int64_t)v->u.list.count) < 0) goto nomem;
        for (size_t i = 0; i < v->u.list.count; i++) FL_TRY(encode(cx, s->items, v->u.list.items[i], depth + 1));
    }
    if (avro_enc_long(cx->out, 0) < 0) goto nomem;
    return 0;
nomem:
    return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory encoding avro data");
}

static int encode_map(enc_ctx *cx, const avro_schema *s, const avro_value *v, int depth)
{
    if (v->u.map.count) {
        if (avro_enc_long(cx->out, (int64_t)v->u.map.count) < 0) goto nomem;
        for (size_t i = 0; i < v->u.map.count; i++) {
            const avro_map_entry *e = &v->u.map.entries[i];
            if (avro_enc_bytes(cx->out, e->key.ptr, e->key.len) < 0) goto nomem;
            FL_TRY(encode(cx, s->values, e->value, depth + 1));
        }
    }
    if (avro_enc_long(cx->out, 0) < 0) goto nomem;
    return 0;
nomem:
    return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory encoding avro data");
}

static int encode(enc_ctx *cx, const avro_schema *s, const avro_value *v, int depth)
{
    if (depth > MAX_DEPTH)
        return fl_error_set(cx->err, FLOE_ELIMIT, "avro value is nested deeper than %d levels", MAX_DEPTH);
    if (!v) return mismatch(cx, s, v);
    int rc = 0;
    if (s->type == AVRO_UNION) {
        int b = pick_branch(cx, s, v);
        if (b < 0) return b;
        if (avro_enc_long(cx->out, b) < 0) goto nomem;
        return encode(cx, s->branches[b], v, depth + 1);
    }
    if (!compatible(s->type, v->type)) return mismatch(cx, s, v);
    switch (s->type) {
    case AVRO_NULL: return 0;
    case AVRO_BOOLEAN: rc = avro_enc_bool(cx->out, v->u.b); break;
    case AVRO_INT:
    case AVRO_LONG: {
        int64_t x = v->type == AVRO_INT ? v->u.i : v->u.l;
        if (s->type == AVRO_INT && (x < INT32_MIN || x > INT32_MAX))
            return fl_error_set(cx->err, FLOE_ERANGE, "value %lld is out of range for avro int", (long long)x);
        rc = avro_enc_long(cx->out, x);
        break;
    }
    case AVRO_FLOAT:
    case AVRO_DOUBLE: {
        double x = v->type == AVRO_FLOAT ? v->u.f : v->type == AVRO_DOUBLE ? v->u.d
                   : v->type == AVRO_INT ? (double)v->u.i : (double)v->u.l;
        rc = s->type == AVRO_FLOAT ? avro_enc_float(cx->out, (float)x) : avro_enc_double(cx->out, x);
        break;
    }
    case AVRO_BYTES:
    case AVRO_STRING: rc = avro_enc_bytes(cx->out, v->u.bytes.ptr, v->u.bytes.len); break;
    case AVRO_FIXED:
        if (v->u.bytes.len != (uint32_t)s->size)
            return fl_error_set(cx->err, FLOE_ETYPE, "avro fixed %s needs %d bytes, the value has %u", s->name,
                                s->size, v->u.bytes.len);
        rc = avro_enc_fixed(cx->out, v->u.bytes.ptr, v->u.bytes.len);
        break;
    case AVRO_ENUM:
        if (v->u.i < 0 || (size_t)v->u.i >= s->symbol_count)
            return fl_error_set(cx->err, FLOE_ERANGE, "enum index %d is out of range for avro enum %s", v->u.i,
                                s->name);
        rc = avro_enc_long(cx->out, v->u.i);
        break;
    case AVRO_RECORD:
    case AVRO_ARRAY: return encode_list(cx, s, v, depth);
    case AVRO_MAP: return encode_map(cx, s, v, depth);
    case AVRO_UNION: break;
    }
    if (rc < 0) goto nomem;
    return 0;
nomem:
    return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory encoding avro data");
}

int avro_encode_datum(fl_buf *out, const avro_schema *schema, const avro_value *v, fl_error *err)
{
    enc_ctx cx = {out, err};
    size_t start = out->len;
    int rc = encode(&cx, schema, v, 0);
    if (rc < 0) out->len = start;   /* no partial datum */
    return rc;
}
