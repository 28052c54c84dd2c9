/*
 * txn_schema.c: schema evolution (spec "Schema Evolution"; Iceberg Java's
 * SchemaUpdate): add, drop, rename, reorder columns, widen primitive types,
 * make columns optional and set docs, committed as a new current schema.
 *
 * The changes are applied in order to a JSON copy of the current schema
 * (Appendix C form), so a later change sees the earlier ones (a column can
 * be added and then moved). Names are resolved through an ice_schema built
 * from the working copy; fields are then found in the JSON by id, as struct
 * fields ("fields" arrays), list elements or map keys/values. New fields get
 * ids from last-column-id + 1: the field itself, then a nested type's fields
 * in Java's assignFreshIds order (a struct's fields first, then their
 * nested types). At the end the rules that span changes are checked against
 * the base schema (identifier fields kept and required; sources of the
 * default partition spec and sort order kept), the result is parsed as a
 * schema (duplicate names, defaults against their types) and either an
 * existing schema with the same structure becomes current again (Java
 * reuses its id) or the result is added with the highest schema id + 1.
 * last-column-id only grows.
 */
#include "ice_evolve.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/strutil.h"

#define OOM(err) fl_error_set(err, FLOE_ENOMEM, "out of memory")

/* Where a field lives in the JSON: a struct field (fields[index]) or the
 * element / key / value of a list or map object. */
typedef struct slot {
    json_t *fields;               /* struct fields array, or NULL */
    size_t index;
    json_t *holder;               /* the object holding the type member */
    const char *type_key;         /* "type", "element", "key", "value" */
    const char *required_key;     /* "required", "element-required", "value-required"; NULL: map key */
} slot;

static bool find_in_type(json_t *type, int32_t id, slot *out);

static bool find_in_fields(json_t *fields, int32_t id, slot *out)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        if (json_integer_value(json_object_get(f, "id")) == id) {
            *out = (slot){.fields = fields, .index = i, .holder = f, .type_key = "type", .required_key = "required"};
            return true;
        }
        if (find_in_type(json_object_get(f, "type"), id, out)) return true;
    }
    return false;
}

static bool find_in_type(json_t *type, int32_t id, slot *out)
{
    if (!json_is_object(type)) return false;
    const char *k = json_string_value(json_object_get(type, "type"));
    if (k == NULL) return false;
    if (strcmp(k, "struct") == 0) return find_in_fields(json_object_get(type, "fields"), id, out);
    if (strcmp(k, "list") == 0) {
        if (json_integer_value(json_object_get(type, "element-id")) == id) {
            *out = (slot){.holder = type, .type_key = "element", .required_key = "element-required"};
            return true;
        }
        return find_in_type(json_object_get(type, "element"), id, out);
    }
    if (strcmp(k, "map") == 0) {
        if (json_integer_value(json_object_get(type, "key-id")) == id) {
            *out = (slot){.holder = type, .type_key = "key"};
            return true;
        }
        if (json_integer_value(json_object_get(type, "value-id")) == id) {
            *out = (slot){.holder = type, .type_key = "value", .required_key = "value-required"};
            return true;
        }
        return find_in_type(json_object_get(type, "key"), id, out) ||
               find_in_type(json_object_get(type, "value"), id, out);
    }
    return false;
}

/* Java's assignFreshIds: a struct's fields first, then their nested types. */
static int assign_fresh(json_t *type, int32_t *last_id)
{
    if (!json_is_object(type)) return 0;
    const char *k = json_string_value(json_object_get(type, "type"));
    int rc = 0;
    if (k != NULL && strcmp(k, "struct") == 0) {
        json_t *fields = json_object_get(type, "fields");
        size_t i;
        json_t *f;
        json_array_foreach(fields, i, f) rc |= json_object_set_new(f, "id", json_integer(++*last_id));
        json_array_foreach(fields, i, f) rc |= assign_fresh(json_object_get(f, "type"), last_id);
    } else if (k != NULL && strcmp(k, "list") == 0) {
        rc |= json_object_set_new(type, "element-id", json_integer(++*last_id));
        rc |= assign_fresh(json_object_get(type, "element"), last_id);
    } else if (k != NULL && strcmp(k, "map") == 0) {
        rc |= json_object_set_new(type, "key-id", json_integer(++*last_id));
        rc |= json_object_set_new(type, "value-id", json_integer(++*last_id));
        rc |= assign_fresh(json_object_get(type, "key"), last_id);
        rc |= assign_fresh(json_object_get(type, "value"), last_id);
    }
    return rc;
}

typedef struct schema_ctx {
    const ice_schema_change *changes;
    size_t count;
    int32_t schema_id;            /* the resulting current schema */
} schema_ctx;

typedef struct work {
    const ice_table *t;
    json_t *schema;               /* the working schema object */
    int32_t last_id;
    fl_arena *arena;              /* for name lookups; reset per change */
} work;

/* Resolves a dotted column name of the working schema to its id and slot. */
static int resolve(const ice_schema_entry **entry, slot *s, work *w, const char *name,
                   const char *what, fl_error *err)
{
    if (name == NULL || name[0] == '\0')
        return fl_error_set(err, FLOE_EINVAL, "%s: no column name given", what);
    json_t *copy = json_deep_copy(w->schema);
    if (copy == NULL) return OOM(err);
    json_object_del(copy, "identifier-field-ids");   /* mid-way states may break them */
    fl_arena_reset(w->arena);
    ice_schema *sc = NULL;
    int rc = ice_schema_from_json(&sc, copy, w->arena, err);
    json_decref(copy);
    if (rc < 0) return rc;
    rc = ice_schema_find_name(entry, sc, name, true, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set(err, FLOE_ENOTFOUND, "%s: column \"%s\" does not exist in table \"%s.%s\"", what, name,
                            w->t->ns, w->t->name);
    if (rc < 0) return rc;
    if (!find_in_type(w->schema, (*entry)->id, s))
        return fl_error_set(err, FLOE_ECORRUPT, "%s: field %d is missing from the schema JSON", what, (int)(*entry)->id);
    return 0;
}

static bool sibling_named(json_t *fields, const char *name, size_t skip)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *n = json_string_value(json_object_get(f, "name"));
        if (i != skip && n != NULL && strcmp(n, name) == 0) return true;
    }
    return false;
}

/* The "fields" array a new column goes into. */
static int parent_fields(json_t **out, work *w, const char *parent, fl_error *err)
{
    if (parent == NULL) {
        *out = json_object_get(w->schema, "fields");
        return 0;
    }
    const ice_schema_entry *e;
    slot s;
    FL_TRY(resolve(&e, &s, w, parent, "cannot add column", err));
    json_t *type = json_object_get(s.holder, s.type_key);
    const char *k = json_is_object(type) ? json_string_value(json_object_get(type, "type")) : NULL;
    if (k != NULL && strcmp(k, "list") == 0) type = json_object_get(type, "element");
    else if (k != NULL && strcmp(k, "map") == 0) type = json_object_get(type, "value");
    k = json_is_object(type) ? json_string_value(json_object_get(type, "type")) : NULL;
    if (k == NULL || strcmp(k, "struct") != 0)
        return fl_error_set(err, FLOE_EINVAL, "cannot add a column to \"%s\": it is not a struct", parent);
    *out = json_object_get(type, "fields");
    return 0;
}

static int add_column(work *w, const ice_schema_change *c, fl_error *err)
{
    const ice_metadata *md = w->t->md;
    if (c->column == NULL || c->column[0] == '\0')
        return fl_error_set(err, FLOE_EINVAL, "cannot add column: no column name given");
    if (c->type == NULL)
        return fl_error_set(err, FLOE_EINVAL, "cannot add column \"%s\": no type given", c->column);
    json_t *fields = NULL;
    FL_TRY(parent_fields(&fields, w, c->parent, err));
    if (sibling_named(fields, c->column, (size_t)-1))
        return fl_error_set(err, FLOE_EINVAL, "cannot add column \"%s\": a column of that name already exists%s%s",
                            c->column, c->parent ? " in " : "", c->parent ? c->parent : "");
    if (c->default_json != NULL && md->format_version < 3)
        return fl_error_set(err, FLOE_EINVAL, "cannot add column \"%s\" with a default value: defaults need format version 3, table \"%s.%s\" is version %d",
                            c->column, w->t->ns, w->t->name, md->format_version);
    if (c->required && c->default_json == NULL)
        return fl_error_set(err, FLOE_EINVAL, "cannot add required column \"%s\" without a default value (incompatible change)",
                            c->column);
    json_t *type = c->type[0] == '{' ? json_loads(c->type, 0, NULL) : json_string(c->type);
    if (type == NULL)
        return fl_error_set(err, FLOE_EINVAL, "cannot add column \"%s\": type \"%s\" is not valid JSON", c->column, c->type);
    json_t *field = json_pack("{s:i,s:s,s:b,s:o}", "id", (int)++w->last_id, "name", c->column, "required",
                              (int)c->required, "type", type);
    if (field == NULL) return OOM(err);
    int rc = assign_fresh(type, &w->last_id);
    if (rc == 0 && c->doc != NULL) rc = json_object_set_new(field, "doc", json_string(c->doc));
    if (rc == 0 && c->default_json != NULL) {
        json_t *d = json_loads(c->default_json, JSON_DECODE_ANY, NULL);
        if (d == NULL) {
            json_decref(field);
            return fl_error_set(err, FLOE_EINVAL, "cannot add column \"%s\": default %s is not valid JSON", c->column,
                                c->default_json);
        }
        rc = json_object_set(field, "initial-default", d);
        rc |= json_object_set_new(field, "write-default", d);
    }
    if (rc != 0) {
        json_decref(field);
        return OOM(err);
    }
    /* the type on its own must parse (a clear message before the schema's) */
    fl_arena_reset(w->arena);
    const ice_type *parsed;
    if (ice_type_from_json(&parsed, type, w->arena, err) < 0) {
        json_decref(field);
        fl_error_prefix(err, "cannot add column \"%s\": ", c->column);
        return err->code = FLOE_EINVAL;
    }
    if (json_array_append_new(fields, field) < 0) return OOM(err);
    return 0;
}

/* Whether `to` is a valid promotion of `from` (primitive type strings). */
static bool can_widen(const char *from, const char *to)
{
    if (strcmp(from, "int") == 0) return strcmp(to, "long") == 0;
    if (strcmp(from, "float") == 0) return strcmp(to, "double") == 0;
    int p1, s1, p2, s2;
    char tail;
    if (sscanf(from, "decimal(%d,%d%c", &p1, &s1, &tail) == 3 && tail == ')' &&
        sscanf(to, "decimal(%d,%d%c", &p2, &s2, &tail) == 3 && tail == ')')
        return s1 == s2 && p2 > p1;
    return false;
}

static int widen(work *w, const ice_schema_change *c, fl_error *err)
{
    const ice_schema_entry *e;
    slot s;
    FL_TRY(resolve(&e, &s, w, c->column, "cannot widen column", err));
    if (c->type == NULL) return fl_error_set(err, FLOE_EINVAL, "cannot widen column \"%s\": no type given", c->column);
    if (strcmp(s.type_key, "key") == 0)
        return fl_error_set(err, FLOE_EINVAL, "cannot change the type of map key \"%s\"", c->column);
    const ice_type *to;
    fl_arena_reset(w->arena);
    if (ice_type_parse_primitive(&to, c->type, w->arena, err) < 0)
        return fl_error_set(err, FLOE_EINVAL, "cannot widen column \"%s\": \"%s\" is not a primitive type", c->column,
                            c->type);
    char from_s[64], to_s[64];
    const char *cur = json_string_value(json_object_get(s.holder, s.type_key));
    if (cur == NULL)
        return fl_error_set(err, FLOE_EINVAL, "cannot widen column \"%s\": it is not of a primitive type", c->column);
    const ice_type *from;
    if (ice_type_parse_primitive(&from, cur, w->arena, err) < 0) return err->code;
    ice_type_format(from, from_s, sizeof(from_s));
    ice_type_format(to, to_s, sizeof(to_s));
    if (strcmp(from_s, to_s) == 0) return 0;   /* no change */
    if (!can_widen(from_s, to_s))
        return fl_error_set(err, FLOE_EINVAL, "cannot change the type of column \"%s\" from %s to %s: not a valid promotion",
                            c->column, from_s, to_s);
    if (json_object_set_new(s.holder, s.type_key, json_string(to_s)) < 0) return OOM(err);
    return 0;
}

static int move(work *w, const ice_schema_change *c, fl_error *err)
{
    const ice_schema_entry *e;
    slot s;
    FL_TRY(resolve(&e, &s, w, c->column, "cannot move column", err));
    if (s.fields == NULL) return fl_error_set(err, FLOE_EINVAL, "cannot move \"%s\": it is not a struct field", c->column);
    json_t *f = json_incref(json_array_get(s.fields, s.index));
    size_t at = 0;
    if (c->op != ICE_SCHEMA_MOVE_FIRST) {
        const ice_schema_entry *oe;
        slot os;
        int rc = resolve(&oe, &os, w, c->other, "cannot move column", err);
        if (rc == 0 && oe->id == e->id)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot move column \"%s\" %s itself", c->column,
                              c->op == ICE_SCHEMA_MOVE_BEFORE ? "before" : "after");
        if (rc == 0 && os.fields != s.fields)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot move column \"%s\" %s \"%s\": they are not in the same struct",
                              c->column, c->op == ICE_SCHEMA_MOVE_BEFORE ? "before" : "after", c->other);
        if (rc < 0) {
            json_decref(f);
            return rc;
        }
        at = os.index + (c->op == ICE_SCHEMA_MOVE_AFTER);
        if (at > s.index) at--;   /* the index after removing the moved field */
    }
    json_array_remove(s.fields, s.index);
    if (json_array_insert_new(s.fields, at, f) < 0) return OOM(err);
    return 0;
}

static int apply_change(work *w, const ice_schema_change *c, fl_error *err)
{
    const ice_schema_entry *e;
    slot s;
    switch (c->op) {
    case ICE_SCHEMA_ADD_COLUMN:
        return add_column(w, c, err);
    case ICE_SCHEMA_WIDEN:
        return widen(w, c, err);
    case ICE_SCHEMA_MOVE_FIRST:
    case ICE_SCHEMA_MOVE_BEFORE:
    case ICE_SCHEMA_MOVE_AFTER:
        return move(w, c, err);
    case ICE_SCHEMA_DROP_COLUMN:
        FL_TRY(resolve(&e, &s, w, c->column, "cannot drop column", err));
        if (s.fields == NULL)
            return fl_error_set(err, FLOE_EINVAL, "cannot drop \"%s\": it is a list element or map key/value", c->column);
        json_array_remove(s.fields, s.index);
        return 0;
    case ICE_SCHEMA_RENAME_COLUMN:
        FL_TRY(resolve(&e, &s, w, c->column, "cannot rename column", err));
        if (s.fields == NULL)
            return fl_error_set(err, FLOE_EINVAL, "cannot rename \"%s\": it is a list element or map key/value", c->column);
        if (c->new_name == NULL || c->new_name[0] == '\0')
            return fl_error_set(err, FLOE_EINVAL, "cannot rename column \"%s\": the new name is empty", c->column);
        if (sibling_named(s.fields, c->new_name, s.index))
            return fl_error_set(err, FLOE_EINVAL, "cannot rename column \"%s\" to \"%s\": a column of that name already exists",
                                c->column, c->new_name);
        if (json_object_set_new(s.holder, "name", json_string(c->new_name)) < 0) return OOM(err);
        return 0;
    case ICE_SCHEMA_MAKE_OPTIONAL:
        FL_TRY(resolve(&e, &s, w, c->column, "cannot make column optional", err));
        if (s.required_key == NULL)
            return fl_error_set(err, FLOE_EINVAL, "cannot make \"%s\" optional: map keys are always required", c->column);
        if (json_object_set_new(s.holder, s.required_key, json_false()) < 0) return OOM(err);
        return 0;
    case ICE_SCHEMA_SET_DOC:
        FL_TRY(resolve(&e, &s, w, c->column, "cannot set the doc of column", err));
        if (s.fields == NULL)
            return fl_error_set(err, FLOE_EINVAL, "cannot set the doc of \"%s\": it is a list element or map key/value", c->column);
        if (c->doc == NULL) json_object_del(s.holder, "doc");
        else if (json_object_set_new(s.holder, "doc", json_string(c->doc)) < 0) return OOM(err);
        return 0;
    }
    return fl_error_set(err, FLOE_EINVAL, "unknown schema change %d", (int)c->op);
}

/* Rules that span changes, checked against the base schema. */
static int check_result(work *w, const ice_schema *base, fl_error *err)
{
    const ice_metadata *md = w->t->md;
    slot s;
    for (size_t i = 0; i < base->identifier_count; i++) {
        int32_t id = base->identifier_field_ids[i];
        const ice_schema_entry *e = ice_schema_find_id(base, id);
        const char *name = e ? e->name : "?";
        if (!find_in_type(w->schema, id, &s))
            return fl_error_set(err, FLOE_EINVAL, "cannot drop column \"%s\": it is an identifier field of table \"%s.%s\"",
                                name, w->t->ns, w->t->name);
        if (s.required_key == NULL || !json_is_true(json_object_get(s.holder, s.required_key)))
            return fl_error_set(err, FLOE_EINVAL, "cannot make column \"%s\" optional: it is an identifier field of table \"%s.%s\"",
                                name, w->t->ns, w->t->name);
    }
    const ice_partition_spec *spec = ice_metadata_default_spec(md);
    for (size_t i = 0; spec && i < spec->field_count; i++) {
        const ice_partition_field *pf = &spec->fields[i];
        if (pf->transform.kind == ICE_TRANSFORM_VOID) continue;
        for (size_t k = 0; k < pf->source_count; k++) {
            if (find_in_type(w->schema, pf->source_ids[k], &s)) continue;
            const ice_schema_entry *e = ice_schema_find_id(base, pf->source_ids[k]);
            return fl_error_set(err, FLOE_EINVAL,
                                "cannot drop column \"%s\": it is the source of partition field \"%s\" of the current partition spec of table \"%s.%s\"",
                                e ? e->name : "?", pf->name, w->t->ns, w->t->name);
        }
    }
    const ice_sort_order *order = ice_metadata_sort_order(md, md->default_sort_order_id);
    for (size_t i = 0; order && i < order->field_count; i++) {
        const ice_sort_field *sf = &order->fields[i];
        if (find_in_type(w->schema, sf->source_id, &s)) continue;
        const ice_schema_entry *e = ice_schema_find_id(base, sf->source_id);
        return fl_error_set(err, FLOE_EINVAL, "cannot drop column \"%s\": it is a source of the table's sort order",
                            e ? e->name : "?");
    }
    return 0;
}

/* Adds the schema (or reuses an equal one) and makes it current. */
static int install(schema_ctx *c, work *w, json_t *doc, fl_error *err)
{
    const ice_metadata *md = w->t->md;
    fl_arena_reset(w->arena);
    ice_schema *ns = NULL;
    int rc = ice_schema_from_json(&ns, w->schema, w->arena, err);
    if (rc < 0) {
        fl_error_prefix(err, "the evolved schema of table \"%s.%s\" is not valid: ", w->t->ns, w->t->name);
        return err->code = FLOE_EINVAL;
    }
    int32_t id = md->current_schema_id;
    bool reuse = false;
    for (size_t i = 0; i < md->schema_count && !reuse; i++) {
        if (ice_schema_same_structure(md->schemas[i], ns)) {
            id = md->schemas[i]->schema_id;
            reuse = true;
        } else if (md->schemas[i]->schema_id >= id) {
            id = md->schemas[i]->schema_id + 1;
        }
    }
    if (!reuse) {
        if (json_object_set_new(w->schema, "schema-id", json_integer(id)) < 0 ||
            json_array_append(json_object_get(doc, "schemas"), w->schema) < 0)
            return OOM(err);
    }
    int32_t last = md->last_column_id > w->last_id ? md->last_column_id : w->last_id;
    if (json_object_set_new(doc, "current-schema-id", json_integer(id)) < 0 ||
        json_object_set_new(doc, "last-column-id", json_integer(last)) < 0)
        return OOM(err);
    if (md->format_version == 1 && json_object_get(doc, "schema") != NULL &&
        json_object_set(doc, "schema", w->schema) < 0)
        return OOM(err);
    c->schema_id = id;
    return 0;
}

static int schema_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                        ice_written *written, fl_error *err)
{
    (void)attempt;
    (void)now_ms;
    (void)written;
    schema_ctx *c = ctx;
    const ice_schema *base = ice_metadata_current_schema(t->md);
    if (base == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "table \"%s.%s\" has no current schema", t->ns, t->name);
    work w = {.t = t, .schema = ice_schema_to_json(base), .last_id = t->md->last_column_id};
    if (w.schema == NULL || (w.arena = fl_arena_new(0)) == NULL) {
        json_decref(w.schema);
        return OOM(err);
    }
    if (base->highest_field_id > w.last_id) w.last_id = base->highest_field_id;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->count; i++) rc = apply_change(&w, &c->changes[i], err);
    if (rc == 0) rc = check_result(&w, base, err);
    if (rc == 0) rc = install(c, &w, doc, err);
    json_decref(w.schema);
    fl_arena_free(w.arena);
    return rc;
}

int ice_txn_update_schema(ice_table *t, const ice_schema_change *changes, size_t count,
                          ice_commit_stats *stats, fl_error *err)
{
    if (count == 0) return fl_error_set(err, FLOE_EINVAL, "no schema change given for table \"%s.%s\"", t->ns, t->name);
    schema_ctx c = {.changes = changes, .count = count};
    return ice_commit_run(t, schema_apply, &c, stats, err);
}
