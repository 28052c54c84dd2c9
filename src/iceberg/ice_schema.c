/*
 * ice_schema.c: schemas, their id/name index and JSON form (see
 * ice_schema.h).
 */
#include "ice_schema.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/vec.h"
#include "ice_json.h"

typedef struct index_builder {
    fl_vec entries;   /* ice_schema_entry */
    fl_arena *arena;
    fl_error *err;
} index_builder;

static char *join(fl_arena *arena, const char *prefix, const char *name)
{
    if (prefix == NULL) return fl_arena_strdup(arena, name);
    size_t a = strlen(prefix), b = strlen(name);
    char *s = fl_arena_alloc(arena, a + b + 2);
    if (s == NULL) return NULL;
    memcpy(s, prefix, a);
    s[a] = '.';
    memcpy(s + a + 1, name, b + 1);
    return s;
}

static int index_type(index_builder *ib, const ice_type *t, int32_t parent, const char *full,
                      const char *shortp);

static int index_field(index_builder *ib, const ice_field *f, int32_t parent, const char *full,
                       const char *shortp, bool skip_short)
{
    ice_schema_entry e;
    e.id = f->id;
    e.parent_id = parent;
    e.field = f;
    e.name = join(ib->arena, full, f->name);
    /* an element/value segment is left out of its children's short names */
    e.short_name = skip_short ? NULL : join(ib->arena, shortp, f->name);
    if (e.name == NULL || (!skip_short && e.short_name == NULL))
        return fl_error_set(ib->err, FLOE_ENOMEM, "out of memory");
    const char *child_short = skip_short ? shortp : e.short_name;
    if (e.short_name == NULL) e.short_name = e.name;
    if (fl_vec_push(&ib->entries, &e) < 0) return fl_error_set(ib->err, FLOE_ENOMEM, "out of memory");
    return index_type(ib, f->type, f->id, e.name, child_short);
}

static int index_type(index_builder *ib, const ice_type *t, int32_t parent, const char *full,
                      const char *shortp)
{
    for (size_t i = 0; i < t->field_count; i++) {
        const ice_field *f = &t->fields[i];
        bool skip = false;
        if ((t->id == ICE_TYPE_LIST || (t->id == ICE_TYPE_MAP && i == 1)) &&
            f->type->id == ICE_TYPE_STRUCT)
            skip = true;
        FL_TRY(index_field(ib, f, parent, full, shortp, skip));
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    int32_t x = ((const ice_schema_entry *)a)->id, y = ((const ice_schema_entry *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check_index(ice_schema *s, fl_error *err)
{
    for (size_t i = 1; i < s->index_count; i++)
        if (s->index[i].id == s->index[i - 1].id)
            return fl_error_set(err, FLOE_ECORRUPT, "invalid schema: field id %d is used twice",
                                (int)s->index[i].id);
    const char **names = fl_calloc(s->index_count ? s->index_count : 1, sizeof(char *));
    if (names == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->index_count; i++) names[i] = s->index[i].name;
    qsort(names, s->index_count, sizeof(char *), cmp_name);
    int rc = 0;
    for (size_t i = 1; i < s->index_count && rc == 0; i++)
        if (strcmp(names[i], names[i - 1]) == 0)
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid schema: multiple fields for name \"%s\"",
                              names[i]);
    fl_free(names);
    return rc;
}

/* A copy of n elements (never NULL unless out of memory, even for n == 0). */
static void *copy_array(fl_arena *arena, const void *src, size_t n, size_t size)
{
    void *p = fl_arena_calloc(arena, (n ? n : 1) * size);
    if (p && n) memcpy(p, src, n * size);
    return p;
}

int ice_schema_new(ice_schema **out, int32_t schema_id, const ice_type *struct_type,
                   const int32_t *identifier_field_ids, size_t identifier_count,
                   fl_arena *arena, fl_error *err)
{
    FL_ASSERT(struct_type->id == ICE_TYPE_STRUCT);
    ice_schema *s = fl_arena_calloc(arena, sizeof(*s));
    if (s == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    s->schema_id = schema_id;
    s->type = struct_type;
    s->identifier_field_ids = copy_array(arena, identifier_field_ids, identifier_count, sizeof(int32_t));
    s->identifier_count = identifier_count;
    if (s->identifier_field_ids == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");

    index_builder ib = {.arena = arena, .err = err};
    fl_vec_init(&ib.entries, sizeof(ice_schema_entry));
    int rc = index_type(&ib, struct_type, -1, NULL, NULL);
    if (rc == 0) {
        size_t n = fl_vec_len(&ib.entries);
        s->index = copy_array(arena, ib.entries.data, n, sizeof(ice_schema_entry));
        s->index_count = n;
        if (s->index == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    fl_vec_dispose(&ib.entries);
    if (rc < 0) return rc;
    qsort(s->index, s->index_count, sizeof(ice_schema_entry), cmp_entry);
    FL_TRY(check_index(s, err));
    s->highest_field_id = s->index_count ? s->index[s->index_count - 1].id : 0;
    if (s->highest_field_id < 0) s->highest_field_id = 0;
    for (size_t i = 0; i < identifier_count; i++) {
        const ice_schema_entry *e = ice_schema_find_id(s, identifier_field_ids[i]);
        if (e == NULL)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "invalid schema: identifier field id %d does not exist",
                                (int)identifier_field_ids[i]);
        const ice_type *t = e->field->type;
        if (!ice_type_is_primitive(t) || !e->field->required || t->id == ICE_TYPE_FLOAT ||
            t->id == ICE_TYPE_DOUBLE)
            return fl_error_set(err, FLOE_ECORRUPT,
                                "invalid schema: identifier field \"%s\" must be a required "
                                "primitive field that is not float or double", e->name);
    }
    *out = s;
    return 0;
}

int ice_schema_from_json(ice_schema **out, const json_t *json, fl_arena *arena, fl_error *err)
{
    if (!json_is_object(json)) return fl_error_set(err, FLOE_ECORRUPT, "schema must be a JSON object");
    const json_t *kind = json_object_get(json, "type");
    if (!(json_is_string(kind) && strcmp(json_string_value(kind), "struct") == 0))
        return fl_error_set(err, FLOE_ECORRUPT, "cannot parse type from json: schema %s",
                            kind ? "must be a struct" : "has no \"type\"");
    int32_t schema_id = 0;
    FL_TRY(ice_json_opt_i32(json, "schema-id", &schema_id, NULL, "schema", err));
    ice_type *t;
    FL_TRY(ice_type_struct_from_json(&t, json, arena, err));
    const json_t *ids;
    int32_t *idv = NULL;
    size_t idn = 0;
    FL_TRY(ice_json_opt_array(json, "identifier-field-ids", &ids, "schema", err));
    if (ids) FL_TRY(ice_json_i32_array(ids, arena, &idv, &idn, "schema identifier-field-ids", err));
    return ice_schema_new(out, schema_id, t, idv, idn, arena, err);
}

json_t *ice_schema_to_json(const ice_schema *schema)
{
    json_t *o = json_object();
    if (o == NULL) return NULL;
    int rc = ice_json_put_str(o, "type", "struct");
    if (rc == 0) rc = ice_json_put_i64(o, "schema-id", schema->schema_id);
    if (rc == 0 && schema->identifier_count)
        rc = ice_json_put(o, "identifier-field-ids",
                          ice_json_from_i32_array(schema->identifier_field_ids,
                                                  schema->identifier_count));
    if (rc == 0) rc = ice_type_struct_fields_to_json(o, schema->type);
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

const ice_schema_entry *ice_schema_find_id(const ice_schema *schema, int32_t id)
{
    size_t lo = 0, hi = schema->index_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (schema->index[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < schema->index_count && schema->index[lo].id == id) return &schema->index[lo];
    return NULL;
}

int ice_schema_find_name(const ice_schema_entry **out, const ice_schema *schema,
                         const char *name, bool case_sensitive, fl_error *err)
{
    *out = NULL;
    /* full names win over short names, as in Java's index */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < schema->index_count; i++) {
            const ice_schema_entry *e = &schema->index[i];
            const char *n = pass == 0 ? e->name : e->short_name;
            bool match = case_sensitive ? strcmp(n, name) == 0 : strcasecmp(n, name) == 0;
            if (!match || *out == e) continue;
            if (*out != NULL)
                return fl_error_set(err, FLOE_EINVAL, "column name \"%s\" is ambiguous", name);
            *out = e;
        }
        if (*out) return 0;
    }
    return fl_error_set(err, FLOE_ENOTFOUND, "column \"%s\" does not exist in schema %d", name,
                        (int)schema->schema_id);
}

bool ice_schema_same_structure(const ice_schema *a, const ice_schema *b)
{
    if (a->identifier_count != b->identifier_count) return false;
    for (size_t i = 0; i < a->identifier_count; i++)
        if (a->identifier_field_ids[i] != b->identifier_field_ids[i]) return false;
    return ice_type_equal(a->type, b->type);
}
