/*
 * avro_schema.c: parses Avro schema JSON into avro_schema nodes.
 *
 * The JSON is parsed with jansson and kept alive with the nodes, so every
 * attribute (Iceberg's field-id, element-id, key-id, value-id, doc, default,
 * anything else) stays readable through the node's `json`. Named types
 * (record, enum, fixed) are registered under their full name before their
 * fields are parsed, so a record can refer to itself; references resolve
 * relative to the enclosing namespace first, then as given.
 *
 * After parsing, every node's min_size (the fewest bytes a datum encodes
 * to) is computed: the decoder uses it to bound counts by the bytes left.
 * A record that contains itself without an array, map or union in between
 * could never be encoded and is rejected.
 *
 * The shared-schema cache (avro_schema_parse_cached): every OCF reader parses
 * its header's schema, and a query opens one manifest list and some
 * manifests per scan whose schemas are the same few texts, so parsing them
 * was about a fifth of a trivial query's CPU. A parsed schema is read-only,
 * so one doc per distinct text is shared: the cache is process-wide (a doc
 * depends on nothing but its text), bounded (32 texts of at most 1 MiB, the
 * least recently used evicted), guarded by one mutex, and each doc counts
 * its users under that mutex; avro_schema_free drops one reference and the
 * last one frees it, so eviction never frees a doc a reader still holds.
 */
#include "avro.h"

#include <jansson.h>
#include <pthread.h>
#include <string.h>

#include "../../base/alloc.h"
#include "../../base/hashmap.h"
#include "../../base/murmur3.h"
#include "../../base/strutil.h"
#include "../../base/vec.h"

#define SCHEMA_MAX_DEPTH 256
#define MIN_SIZE_UNKNOWN UINT32_MAX
#define MIN_SIZE_BUSY (UINT32_MAX - 1)
#define MIN_SIZE_CAP (UINT32_MAX - 2)

struct avro_schema_doc {
    fl_arena *arena;
    json_t *root_json;
    avro_schema *root;
    char *text;
    size_t text_len;
    fl_hashmap names;       /* full name -> avro_schema* */
    fl_vec nodes;           /* avro_schema* of every node made */
    bool shared;            /* handed out by the cache: refs counts its users */
    uint32_t refs;          /* guarded by cache_lock */
};

typedef struct parse_ctx {
    avro_schema_doc *doc;
    fl_error *err;
} parse_ctx;

static const struct { const char *name; avro_type type; } k_primitives[] = {
    {"null", AVRO_NULL},     {"boolean", AVRO_BOOLEAN}, {"int", AVRO_INT},
    {"long", AVRO_LONG},     {"float", AVRO_FLOAT},     {"double", AVRO_DOUBLE},
    {"bytes", AVRO_BYTES},   {"string", AVRO_STRING},
};

const char *avro_type_name(avro_type t)
{
    static const char *names[] = {"null",   "boolean", "int",   "long",  "float",
                                  "double", "bytes",   "string", "record", "enum",
                                  "array",  "map",     "union", "fixed"};
    return (unsigned)t < FL_ARRAY_SIZE(names) ? names[t] : "unknown";
}

static int primitive_type(const char *name, avro_type *out)
{
    for (size_t i = 0; i < FL_ARRAY_SIZE(k_primitives); i++) {
        if (strcmp(name, k_primitives[i].name) == 0) {
            *out = k_primitives[i].type;
            return 1;
        }
    }
    return 0;
}

bool avro_json_int_attr(const struct json_t *obj, const char *key, int32_t *out)
{
    if (!obj || !json_is_object(obj)) return false;
    json_t *v = json_object_get(obj, key);
    if (!v) return false;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < INT32_MIN || i > INT32_MAX) return false;
        *out = (int32_t)i;
        return true;
    }
    if (json_is_string(v)) {   /* some writers quote ids */
        const char *s = json_string_value(v);
        int32_t i;
        if (fl_parse_i32(&i, s, strlen(s), NULL) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

const char *avro_json_str_attr(const struct json_t *obj, const char *key)
{
    if (!obj || !json_is_object(obj)) return NULL;
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static avro_schema *node_new(parse_ctx *cx, avro_type type, const json_t *json)
{
    avro_schema *s = fl_arena_calloc(cx->doc->arena, sizeof *s);
    if (!s || fl_vec_push(&cx->doc->nodes, &s) < 0) {
        fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
        return NULL;
    }
    s->type = type;
    s->json = json;
    s->min_size = MIN_SIZE_UNKNOWN;
    return s;
}

/* The spec wants [A-Za-z_][A-Za-z0-9_]* per dotted component; readers meet
 * files from many writers, so only empty components are refused. */
static bool valid_name(const char *s)
{
    bool start = true;
    for (; *s; s++) {
        if (*s == '.') {
            if (start) return false;
            start = true;
        } else {
            start = false;
        }
    }
    return !start;
}

/* full name of a named type and the namespace its children inherit */
static int full_name(parse_ctx *cx, const json_t *obj, const char *enclosing_ns,
                     const char **out_full, const char **out_ns)
{
    const char *name = avro_json_str_attr(obj, "name");
    if (!name)
        return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: named type without a \"name\"");
    if (!valid_name(name))
        return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: bad type name \"%s\"", name);
    const char *dot = strrchr(name, '.');
    if (dot) {
        *out_full = name;
        *out_ns = fl_arena_strndup(cx->doc->arena, name, (size_t)(dot - name));
    } else {
        const char *ns = avro_json_str_attr(obj, "namespace");
        if (!ns) ns = enclosing_ns;
        if (ns && *ns) {
            size_t nl = strlen(ns), len = strlen(name);
            char *f = fl_arena_alloc(cx->doc->arena, nl + len + 2);
            if (!f) return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
            memcpy(f, ns, nl);
            f[nl] = '.';
            memcpy(f + nl + 1, name, len + 1);
            *out_full = f;
        } else {
            *out_full = name;
        }
        *out_ns = ns ? ns : "";
    }
    if (!*out_full || !*out_ns)
        return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    return 0;
}

static int register_name(parse_ctx *cx, const char *full, avro_schema *s)
{
    uint64_t *slot;
    int rc = fl_hashmap_bytes_upsert(&cx->doc->names, full, strlen(full), &slot);
    if (rc < 0) return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    if (rc == 0)
        return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: type \"%s\" is defined twice",
                            full);
    *slot = fl_hashmap_from_ptr(s);
    s->name = full;
    return 0;
}

static avro_schema *lookup_name(parse_ctx *cx, const char *name, const char *ns)
{
    uint64_t *slot = NULL;
    if (!strchr(name, '.') && ns && *ns) {
        size_t nl = strlen(ns), len = strlen(name);
        char stackbuf[256];
        char *f = nl + len + 2 <= sizeof stackbuf ? stackbuf : fl_malloc(nl + len + 2);
        if (!f) return NULL;
        memcpy(f, ns, nl);
        f[nl] = '.';
        memcpy(f + nl + 1, name, len + 1);
        slot = fl_hashmap_bytes_find(&cx->doc->names, f, nl + len + 1);
        if (f != stackbuf) fl_free(f);
    }
    if (!slot) slot = fl_hashmap_bytes_find(&cx->doc->names, name, strlen(name));
    return slot ? fl_hashmap_to_ptr(*slot) : NULL;
}

static int parse_node(parse_ctx *cx, const json_t *j, const char *ns, int depth, avro_schema **out);

static int parse_aliases(parse_ctx *cx, const json_t *obj, const char ***out, size_t *count)
{
    json_t *a = json_object_get(obj, "aliases");
    *out = NULL;
    *count = 0;
    if (!a) return 0;
    if (!json_is_array(a))
        return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: \"aliases\" is not an array");
    size_t n = json_array_size(a);
    const char **list = fl_arena_calloc(cx->doc->arena, (n ? n : 1) * sizeof *list);
    if (!list) return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (!s) return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: alias is not a string");
        list[i] = s;
    }
    *out = list;
    *count = n;
    return 0;
}

static int parse_record(parse_ctx *cx, avro_schema *s, const json_t *obj, const char *ns, int depth)
{
    json_t *fields = json_object_get(obj, "fields");
    if (!json_is_array(fields))
        return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: record \"%s\" has no \"fields\" array",
                            s->name);
    size_t n = json_array_size(fields);
    s->fields = fl_arena_calloc(cx->doc->arena, (n ? n : 1) * sizeof *s->fields);
    if (!s->fields) return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    s->field_count = n;
    for (size_t i = 0; i < n; i++) {
        json_t *fj = json_array_get(fields, i);
        avro_field *f = &s->fields[i];
        const char *fname = avro_json_str_attr(fj, "name");
        if (!fname)
            return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: field %zu of record \"%s\" has no name",
                                i, s->name);
        for (size_t k = 0; k < i; k++) {
            if (strcmp(s->fields[k].name, fname) == 0)
                return fl_error_set(cx->err, FLOE_ECORRUPT,
                                    "invalid avro schema: record \"%s\" has field \"%s\" twice", s->name, fname);
        }
        json_t *ft = json_object_get(fj, "type");
        if (!ft)
            return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: field \"%s\" has no type", fname);
        f->name = fname;
        f->json = fj;
        f->has_field_id = avro_json_int_attr(fj, "field-id", &f->field_id);
        json_t *def = json_object_get(fj, "default");
        f->has_default = def != NULL;
        f->default_value = def;
        FL_TRY(parse_aliases(cx, fj, &f->aliases, &f->alias_count));
        FL_TRY(parse_node(cx, ft, ns, depth + 1, &f->type));
    }
    return 0;
}

static int parse_enum(parse_ctx *cx, avro_schema *s, const json_t *obj)
{
    json_t *syms = json_object_get(obj, "symbols");
    if (!json_is_array(syms))
        return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: enum \"%s\" has no \"symbols\" array",
                            s->name);
    size_t n = json_array_size(syms);
    s->symbols = fl_arena_calloc(cx->doc->arena, (n ? n : 1) * sizeof *s->symbols);
    if (!s->symbols) return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    s->symbol_count = n;
    for (size_t i = 0; i < n; i++) {
        s->symbols[i] = json_string_value(json_array_get(syms, i));
        if (!s->symbols[i])
            return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: enum \"%s\" has a non-string symbol",
                                s->name);
    }
    return 0;
}

static int parse_union(parse_ctx *cx, const json_t *arr, const char *ns, int depth, avro_schema **out)
{
    avro_schema *s = node_new(cx, AVRO_UNION, arr);
    if (!s) return FLOE_ENOMEM;
    size_t n = json_array_size(arr);
    if (n == 0) return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: empty union");
    s->branches = fl_arena_calloc(cx->doc->arena, n * sizeof *s->branches);
    if (!s->branches) return fl_error_set(cx->err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    s->branch_count = n;
    for (size_t i = 0; i < n; i++) {
        FL_TRY(parse_node(cx, json_array_get(arr, i), ns, depth + 1, &s->branches[i]));
        avro_schema *b = s->branches[i];
        if (b->type == AVRO_UNION)
            return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: union directly inside a union");
        for (size_t k = 0; k < i; k++) {
            avro_schema *o = s->branches[k];
            bool named = b->type == AVRO_RECORD || b->type == AVRO_ENUM || b->type == AVRO_FIXED;
            if (o->type == b->type && (!named || strcmp(o->name, b->name) == 0))
                return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: union has two \"%s\" branches",
                                    named ? b->name : avro_type_name(b->type));
        }
    }
    *out = s;
    return 0;
}

static void parse_common_attrs(avro_schema *s, const json_t *obj)
{
    s->logical_type = avro_json_str_attr(obj, "logicalType");
    s->has_element_id = avro_json_int_attr(obj, "element-id", &s->element_id);
    s->has_key_id = avro_json_int_attr(obj, "key-id", &s->key_id);
    s->has_value_id = avro_json_int_attr(obj, "value-id", &s->value_id);
    json_t *utc = json_object_get(obj, "adjust-to-utc");
    s->adjust_to_utc = json_is_true(utc);
    if (s->logical_type && strcmp(s->logical_type, "decimal") == 0) {
        avro_json_int_attr(obj, "precision", &s->precision);
        avro_json_int_attr(obj, "scale", &s->scale);
    }
}

static int parse_object(parse_ctx *cx, const json_t *obj, const char *ns, int depth, avro_schema **out)
{
    json_t *tj = json_object_get(obj, "type");
    if (!tj) return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: object without \"type\"");
    if (!json_is_string(tj)) {
        /* {"type": {...}} or {"type": [...]}: the nested schema itself */
        return parse_node(cx, tj, ns, depth + 1, out);
    }
    const char *t = json_string_value(tj);
    avro_type prim;
    avro_schema *s;
    if (primitive_type(t, &prim)) {
        if (!(s = node_new(cx, prim, obj))) return FLOE_ENOMEM;
        parse_common_attrs(s, obj);
        *out = s;
        return 0;
    }
    bool is_record = strcmp(t, "record") == 0 || strcmp(t, "error") == 0;
    bool is_enum = strcmp(t, "enum") == 0, is_fixed = strcmp(t, "fixed") == 0;
    if (is_record || is_enum || is_fixed) {
        const char *full = NULL, *child_ns = NULL;
        FL_TRY(full_name(cx, obj, ns, &full, &child_ns));
        s = node_new(cx, is_record ? AVRO_RECORD : is_enum ? AVRO_ENUM : AVRO_FIXED, obj);
        if (!s) return FLOE_ENOMEM;
        parse_common_attrs(s, obj);
        FL_TRY(register_name(cx, full, s));
        *out = s;
        if (is_record) return parse_record(cx, s, obj, child_ns, depth);
        if (is_enum) return parse_enum(cx, s, obj);
        if (!avro_json_int_attr(obj, "size", &s->size) || s->size < 0)
            return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: fixed \"%s\" has no valid \"size\"",
                                full);
        return 0;
    }
    if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
        bool arr = t[0] == 'a';
        if (!(s = node_new(cx, arr ? AVRO_ARRAY : AVRO_MAP, obj))) return FLOE_ENOMEM;
        parse_common_attrs(s, obj);
        json_t *inner = json_object_get(obj, arr ? "items" : "values");
        if (!inner)
            return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: %s without \"%s\"", t,
                                arr ? "items" : "values");
        *out = s;
        return parse_node(cx, inner, ns, depth + 1, arr ? &s->items : &s->values);
    }
    /* {"type": "some.Name"}: a reference with attributes */
    s = lookup_name(cx, t, ns);
    if (!s) return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: unknown type \"%s\"", t);
    *out = s;
    return 0;
}

static int parse_node(parse_ctx *cx, const json_t *j, const char *ns, int depth, avro_schema **out)
{
    if (depth > SCHEMA_MAX_DEPTH)
        return fl_error_set(cx->err, FLOE_ELIMIT, "invalid avro schema: nested deeper than %d levels",
                            SCHEMA_MAX_DEPTH);
    if (json_is_string(j)) {
        const char *t = json_string_value(j);
        avro_type prim;
        if (primitive_type(t, &prim)) {
            avro_schema *s = node_new(cx, prim, j);
            if (!s) return FLOE_ENOMEM;
            *out = s;
            return 0;
        }
        avro_schema *s = lookup_name(cx, t, ns);
        if (!s) return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: unknown type \"%s\"", t);
        *out = s;
        return 0;
    }
    if (json_is_array(j)) return parse_union(cx, j, ns, depth, out);
    if (json_is_object(j)) return parse_object(cx, j, ns, depth, out);
    return fl_error_set(cx->err, FLOE_ECORRUPT, "invalid avro schema: a schema must be a string, object or array");
}

static uint32_t add_cap(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s > MIN_SIZE_CAP ? MIN_SIZE_CAP : (uint32_t)s;
}

static int compute_min_size(avro_schema *s, fl_error *err, int depth)
{
    if (s->min_size == MIN_SIZE_BUSY)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "invalid avro schema: record \"%s\" contains itself without an array, map or union",
                            s->name ? s->name : "?");
    if (s->min_size != MIN_SIZE_UNKNOWN) return 0;
    if (depth > SCHEMA_MAX_DEPTH * 2)
        return fl_error_set(err, FLOE_ELIMIT, "invalid avro schema: nested too deeply");
    switch (s->type) {
    case AVRO_NULL: s->min_size = 0; break;
    case AVRO_FLOAT: s->min_size = 4; break;
    case AVRO_DOUBLE: s->min_size = 8; break;
    case AVRO_FIXED: s->min_size = (uint32_t)s->size; break;
    case AVRO_RECORD: {
        s->min_size = MIN_SIZE_BUSY;
        uint32_t sum = 0;
        for (size_t i = 0; i < s->field_count; i++) {
            FL_TRY(compute_min_size(s->fields[i].type, err, depth + 1));
            sum = add_cap(sum, s->fields[i].type->min_size);
        }
        s->min_size = sum;
        break;
    }
    default: s->min_size = 1; break;   /* boolean, int, long, bytes, string, enum, array, map, union */
    }
    return 0;
}

int avro_schema_parse(avro_schema_doc **out, const char *json, size_t len, fl_error *err)
{
    *out = NULL;
    avro_schema_doc *doc = fl_calloc(1, sizeof *doc);
    if (!doc) return fl_error_set(err, FLOE_ENOMEM, "out of memory parsing an avro schema");
    fl_vec_init(&doc->nodes, sizeof(avro_schema *));
    int rc = fl_hashmap_init(&doc->names, FL_HASHMAP_BYTES, 0);
    doc->arena = fl_arena_new(0);
    doc->text = fl_malloc(len + 1);
    if (rc < 0 || !doc->arena || !doc->text) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory parsing an avro schema");
        goto fail;
    }
    memcpy(doc->text, json, len);
    doc->text[len] = '\0';
    doc->text_len = len;
    json_error_t jerr;
    doc->root_json = json_loadb(json, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!doc->root_json) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "invalid avro schema: %s at line %d column %d", jerr.text,
                          jerr.line, jerr.column);
        goto fail;
    }
    parse_ctx cx = {doc, err};
    if ((rc = parse_node(&cx, doc->root_json, "", 0, &doc->root)) < 0) goto fail;
    for (size_t i = 0; i < doc->nodes.len; i++) {
        avro_schema *s = *(avro_schema **)fl_vec_at(&doc->nodes, i);
        if ((rc = compute_min_size(s, err, 0)) < 0) goto fail;
    }
    *out = doc;
    return 0;
fail:
    avro_schema_free(doc);
    return rc;
}

#define CACHE_SLOTS 32
#define CACHE_MAX_TEXT ((size_t)1 << 20)

typedef struct cache_slot {
    avro_schema_doc *doc;     /* holds one reference; NULL when empty */
    uint32_t hash;            /* of doc->text */
    uint64_t used;            /* last use, for eviction */
} cache_slot;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_slot cache[CACHE_SLOTS];
static uint64_t cache_clock;

static void doc_destroy(avro_schema_doc *doc)
{
    if (doc->root_json) json_decref(doc->root_json);
    fl_arena_free(doc->arena);
    fl_free(doc->text);
    fl_hashmap_dispose(&doc->names);
    fl_vec_dispose(&doc->nodes);
    fl_free(doc);
}

/* Drops the slot's reference under the lock; returns the doc when that was
 * its last reference (the caller frees it after unlocking). */
static avro_schema_doc *slot_clear_locked(cache_slot *c)
{
    avro_schema_doc *doc = c->doc;
    memset(c, 0, sizeof *c);
    return doc && --doc->refs == 0 ? doc : NULL;
}

static avro_schema_doc *cache_get(const char *json, size_t len, uint32_t hash)
{
    avro_schema_doc *doc = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        cache_slot *c = &cache[i];
        if (c->doc && c->hash == hash && c->doc->text_len == len && memcmp(c->doc->text, json, len) == 0) {
            c->used = ++cache_clock;
            c->doc->refs++;
            doc = c->doc;
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return doc;
}

/* Shares doc (just parsed, private) through the cache. Another thread may
 * have cached the same text meanwhile: then that slot is replaced, which
 * is harmless (both docs stay valid for their users). */
static void cache_put(avro_schema_doc *doc, uint32_t hash)
{
    pthread_mutex_lock(&cache_lock);
    cache_slot *victim = &cache[0];
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (!cache[i].doc) {
            victim = &cache[i];
            break;
        }
        if (cache[i].used < victim->used) victim = &cache[i];
    }
    avro_schema_doc *evicted = slot_clear_locked(victim);
    doc->shared = true;
    doc->refs = 2;                  /* the caller's and the cache's */
    victim->doc = doc;
    victim->hash = hash;
    victim->used = ++cache_clock;
    pthread_mutex_unlock(&cache_lock);
    if (evicted) doc_destroy(evicted);
}

int avro_schema_parse_cached(avro_schema_doc **out, const char *json, size_t len, fl_error *err)
{
    *out = NULL;
    if (len > CACHE_MAX_TEXT) return avro_schema_parse(out, json, len, err);
    uint32_t hash = fl_murmur3_32(json, len, 0);
    avro_schema_doc *doc = cache_get(json, len, hash);
    if (doc) {
        *out = doc;
        return 0;
    }
    FL_TRY(avro_schema_parse(&doc, json, len, err));
    cache_put(doc, hash);
    *out = doc;
    return 0;
}

void avro_schema_cache_clear(void)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        pthread_mutex_lock(&cache_lock);
        avro_schema_doc *to_free = slot_clear_locked(&cache[i]);
        pthread_mutex_unlock(&cache_lock);
        if (to_free) doc_destroy(to_free);
    }
}

void avro_schema_free(avro_schema_doc *doc)
{
    if (!doc) return;
    if (doc->shared) {
        pthread_mutex_lock(&cache_lock);
        bool last = --doc->refs == 0;
        pthread_mutex_unlock(&cache_lock);
        if (!last) return;
    }
    doc_destroy(doc);
}

const avro_schema *avro_schema_root(const avro_schema_doc *doc) { return doc->root; }

const char *avro_schema_text(const avro_schema_doc *doc, size_t *len)
{
    if (len) *len = doc->text_len;
    return doc->text;
}

const avro_schema *avro_schema_named(const avro_schema_doc *doc, const char *full_name)
{
    uint64_t *slot = fl_hashmap_bytes_find(&doc->names, full_name, strlen(full_name));
    return slot ? fl_hashmap_to_ptr(*slot) : NULL;
}

int avro_record_find(const avro_schema *record, int32_t field_id, const char *name)
{
    record = avro_schema_nonnull(record);
    if (!record || record->type != AVRO_RECORD) return -1;
    if (field_id >= 0) {
        for (size_t i = 0; i < record->field_count; i++) {
            if (record->fields[i].has_field_id && record->fields[i].field_id == field_id) return (int)i;
        }
    }
    if (!name) return -1;
    /* asked by id: a field with another id is another field, whatever its
     * name; only fields without ids (files written without them) match by name */
    for (size_t i = 0; i < record->field_count; i++) {
        const avro_field *f = &record->fields[i];
        if (field_id >= 0 && f->has_field_id) continue;
        if (strcmp(f->name, name) == 0) return (int)i;
    }
    for (size_t i = 0; i < record->field_count; i++) {
        const avro_field *f = &record->fields[i];
        if (field_id >= 0 && f->has_field_id) continue;
        for (size_t k = 0; k < f->alias_count; k++) {
            if (strcmp(f->aliases[k], name) == 0) return (int)i;
        }
    }
    return -1;
}

const avro_schema *avro_schema_nonnull(const avro_schema *s)
{
    if (!s || s->type != AVRO_UNION || s->branch_count != 2) return s;
    if (s->branches[0]->type == AVRO_NULL) return s->branches[1];
    if (s->branches[1]->type == AVRO_NULL) return s->branches[0];
    return s;
}

int avro_path_resolve(avro_path *out, const avro_schema *record, const avro_field_ref *steps,
                      size_t step_count, fl_error *err)
{
    memset(out, 0, sizeof *out);
    if (step_count == 0 || step_count > AVRO_PATH_MAX)
        return fl_error_set(err, FLOE_EINVAL, "avro field path of %zu steps (1 to %d allowed)", step_count,
                            AVRO_PATH_MAX);
    const avro_schema *s = record;
    for (size_t i = 0; i < step_count; i++) {
        int idx = avro_record_find(s, steps[i].field_id, steps[i].name);
        if (idx < 0 || idx > INT16_MAX)
            return fl_error_set(err, FLOE_ENOTFOUND, "avro schema has no field %s (field id %d)",
                                steps[i].name ? steps[i].name : "?", (int)steps[i].field_id);
        s = avro_schema_nonnull(s);
        out->index[i] = (int16_t)idx;
        s = s->fields[idx].type;
    }
    out->depth = (uint8_t)step_count;
    out->leaf = s;
    return 0;
}
