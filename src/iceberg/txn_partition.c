/*
 * txn_partition.c: partition spec evolution (spec "Partition Evolution";
 * Iceberg Java's BaseUpdatePartitionSpec) and choosing the default spec.
 *
 * The changes are applied in order to a working copy of the default spec's
 * fields (JSON). Adding a field resolves its term ("day(ts)",
 * "bucket(16, id)", "id") against the current schema, names it as Java's
 * spec updates do (column name for identity, <col>_day, <col>_bucket_16,
 * <col>_trunc_4, <col>_null) and gives it a field id: in v2+ the id of an
 * equal field (same source, same transform) of any older spec when there is
 * one, as Java recycles it, else last-partition-id + 1. Removing a field
 * drops it in v2+, and in v1 replaces its transform with void (the spec's
 * recommendation, so v1 field positions and ids stay stable). The result
 * becomes the default spec; an existing spec with the same fields (source,
 * field id, name, transform) is reused instead of added, else the new spec
 * gets the highest spec id + 1. The partition tuple type is built for the
 * result, so a transform that cannot take its column's type is refused.
 */
#include "ice_evolve.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/strutil.h"

#define OOM(err) fl_error_set(err, FLOE_ENOMEM, "out of memory")

static void trim(const char **p, const char **end)
{
    while (*p < *end && isspace((unsigned char)**p)) (*p)++;
    while (*end > *p && isspace((unsigned char)(*end)[-1])) (*end)--;
}

/* Parses "col", "f(col)" or "f(N, col)" and resolves col (see ice_evolve.h). */
int ice_evolve_term_parse(ice_evolve_term *out, const char *text, const ice_schema *schema,
                          fl_arena *arena, fl_error *err)
{
    memset(out, 0, sizeof(*out));
    if (text == NULL || text[0] == '\0') return fl_error_set(err, FLOE_EINVAL, "a partition or sort term must not be empty");
    const char *p = text, *end = text + strlen(text);
    trim(&p, &end);
    const char *open = memchr(p, '(', (size_t)(end - p));
    const char *col = p, *col_end = end;
    const char *fn = "identity";
    size_t fn_len = strlen(fn);
    char param[24] = "";
    if (open != NULL) {
        if (end[-1] != ')') return fl_error_set(err, FLOE_EINVAL, "term \"%s\" is malformed: missing ')'", text);
        const char *fn_end = open;
        trim(&p, &fn_end);
        fn = p;
        fn_len = (size_t)(fn_end - p);
        col = open + 1;
        col_end = end - 1;
        const char *comma = memchr(col, ',', (size_t)(col_end - col));
        if (comma != NULL) {
            const char *pe = comma;
            trim(&col, &pe);
            if ((size_t)(pe - col) >= sizeof(param) || pe == col)
                return fl_error_set(err, FLOE_EINVAL, "term \"%s\" has a malformed parameter", text);
            memcpy(param, col, (size_t)(pe - col));
            param[pe - col] = '\0';
            col = comma + 1;
        }
        trim(&col, &col_end);
    }
    if (col == col_end || (size_t)(col_end - col) >= sizeof(out->column))
        return fl_error_set(err, FLOE_EINVAL, "term \"%s\" names no column", text);
    memcpy(out->column, col, (size_t)(col_end - col));
    out->column[col_end - col] = '\0';
    bool takes_param = (fn_len == 6 && strncmp(fn, "bucket", 6) == 0) || (fn_len == 8 && strncmp(fn, "truncate", 8) == 0);
    if (takes_param != (param[0] != '\0'))
        return fl_error_set(err, FLOE_EINVAL, "term \"%s\": %.*s %s", text, (int)fn_len, fn,
                            takes_param ? "needs a parameter, as in bucket(16, col)" : "takes no parameter");
    int n = takes_param ? snprintf(out->transform, sizeof(out->transform), "%.*s[%s]", (int)fn_len, fn, param)
                        : snprintf(out->transform, sizeof(out->transform), "%.*s", (int)fn_len, fn);
    if (n < 0 || (size_t)n >= sizeof(out->transform))
        return fl_error_set(err, FLOE_EINVAL, "term \"%s\" has an unknown transform", text);
    int rc = ice_transform_parse(&out->t, out->transform, arena, err);
    if (rc == 0 && out->t.kind == ICE_TRANSFORM_UNKNOWN) rc = FLOE_EINVAL;
    if (rc < 0)
        return fl_error_set(err, FLOE_EINVAL, "term \"%s\" has an unknown transform \"%s\"", text, out->transform);
    const ice_schema_entry *e;
    rc = ice_schema_find_name(&e, schema, out->column, true, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set(err, FLOE_ENOTFOUND, "term \"%s\": column \"%s\" does not exist", text, out->column);
    if (rc < 0) return rc;
    out->source_id = e->id;
    out->source_name = e->name;
    if (!ice_transform_can_apply(&out->t, e->field->type)) {
        char tn[64];
        ice_type_format(e->field->type, tn, sizeof(tn));
        return fl_error_set(err, FLOE_EINVAL, "term \"%s\": transform %s cannot be applied to column \"%s\" of type %s",
                            text, out->transform, e->name, tn);
    }
    return 0;
}

/* Java's default partition field names for spec updates. */
static void default_name(char *out, size_t cap, const ice_evolve_term *t)
{
    switch (t->t.kind) {
    case ICE_TRANSFORM_IDENTITY: snprintf(out, cap, "%s", t->source_name); break;
    case ICE_TRANSFORM_BUCKET: snprintf(out, cap, "%s_bucket_%d", t->source_name, (int)t->t.param); break;
    case ICE_TRANSFORM_TRUNCATE: snprintf(out, cap, "%s_trunc_%d", t->source_name, (int)t->t.param); break;
    case ICE_TRANSFORM_YEAR: snprintf(out, cap, "%s_year", t->source_name); break;
    case ICE_TRANSFORM_MONTH: snprintf(out, cap, "%s_month", t->source_name); break;
    case ICE_TRANSFORM_DAY: snprintf(out, cap, "%s_day", t->source_name); break;
    case ICE_TRANSFORM_HOUR: snprintf(out, cap, "%s_hour", t->source_name); break;
    default: snprintf(out, cap, "%s_null", t->source_name); break;
    }
}

static bool is_time(ice_transform_kind k)
{
    return k == ICE_TRANSFORM_YEAR || k == ICE_TRANSFORM_MONTH || k == ICE_TRANSFORM_DAY || k == ICE_TRANSFORM_HOUR;
}

static const char *field_name(json_t *f) { return json_string_value(json_object_get(f, "name")); }
static int32_t field_source(json_t *f) { return (int32_t)json_integer_value(json_object_get(f, "source-id")); }
static const char *field_transform(json_t *f) { return json_string_value(json_object_get(f, "transform")); }

static json_t *find_named(json_t *fields, const char *name, size_t *index)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *n = field_name(f);
        if (n != NULL && strcmp(n, name) == 0) {
            if (index) *index = i;
            return f;
        }
    }
    return NULL;
}

typedef struct spec_ctx {
    const ice_spec_change *changes;
    size_t count;
    int32_t spec_id;              /* the resulting default spec */
    bool set_default_only;
} spec_ctx;

typedef struct spec_work {
    const ice_table *t;
    const ice_schema *schema;
    json_t *fields;
    int32_t last_id;
    fl_arena *arena;
} spec_work;

/* The id for a new field: an equal field's of an older spec (v2+), else new. */
static int32_t field_id_for(spec_work *w, const ice_evolve_term *tm)
{
    const ice_metadata *md = w->t->md;
    for (size_t s = 0; md->format_version >= 2 && s < md->spec_count; s++) {
        const ice_partition_spec *sp = md->specs[s];
        for (size_t i = 0; i < sp->field_count; i++) {
            const ice_partition_field *f = &sp->fields[i];
            if (f->source_count == 1 && f->source_id == tm->source_id && f->transform.kind == tm->t.kind &&
                f->transform.param == tm->t.param) {
                bool in_use = false;
                size_t k;
                json_t *jf;
                json_array_foreach(w->fields, k, jf) in_use |= json_integer_value(json_object_get(jf, "field-id")) == f->field_id;
                if (!in_use) return f->field_id;
            }
        }
    }
    return ++w->last_id;
}

static int add_field(spec_work *w, const ice_spec_change *c, fl_error *err)
{
    ice_evolve_term tm;
    FL_TRY(ice_evolve_term_parse(&tm, c->term, w->schema, w->arena, err));
    char name[600];
    if (c->name != NULL && c->name[0] != '\0') snprintf(name, sizeof(name), "%s", c->name);
    else default_name(name, sizeof(name), &tm);
    size_t i;
    json_t *f;
    json_array_foreach(w->fields, i, f) {
        const char *tr = field_transform(f);
        if (field_source(f) != tm.source_id || tr == NULL || strcmp(tr, "void") == 0) continue;
        if (strcmp(tr, tm.transform) == 0)
            return fl_error_set(err, FLOE_EINVAL, "cannot add duplicate partition field \"%s\" (%s): it conflicts with \"%s\"",
                                name, c->term, field_name(f));
        ice_transform other;
        if (ice_transform_parse(&other, tr, w->arena, err) == 0 && is_time(other.kind) && is_time(tm.t.kind))
            return fl_error_set(err, FLOE_EINVAL, "cannot add redundant partition field \"%s\" (%s): it conflicts with \"%s\" (%s)",
                                name, c->term, field_name(f), tr);
    }
    if (find_named(w->fields, name, NULL) != NULL)
        return fl_error_set(err, FLOE_EINVAL, "cannot add partition field \"%s\": a partition field of that name already exists",
                            name);
    const ice_schema_entry *col;
    fl_error ignored;
    if (ice_schema_find_name(&col, w->schema, name, true, &ignored) == 0 &&
        !(tm.t.kind == ICE_TRANSFORM_IDENTITY && col->id == tm.source_id))
        return fl_error_set(err, FLOE_EINVAL, "cannot add partition field \"%s\": the name is a column of the schema%s", name,
                            tm.t.kind == ICE_TRANSFORM_IDENTITY ? " other than its source" : "");
    json_t *nf = json_pack("{s:s,s:s,s:i,s:i}", "name", name, "transform", tm.transform, "source-id",
                           (int)tm.source_id, "field-id", (int)field_id_for(w, &tm));
    if (nf == NULL || json_array_append_new(w->fields, nf) < 0) return OOM(err);
    return 0;
}

/* A field by name, else by term. */
static json_t *find_field(spec_work *w, const char *name_or_term, size_t *index)
{
    json_t *f = find_named(w->fields, name_or_term, index);
    if (f != NULL) return f;
    ice_evolve_term tm;
    fl_error ignored;
    if (ice_evolve_term_parse(&tm, name_or_term, w->schema, w->arena, &ignored) < 0) return NULL;
    size_t i;
    json_array_foreach(w->fields, i, f) {
        const char *tr = field_transform(f);
        if (field_source(f) == tm.source_id && tr != NULL && strcmp(tr, tm.transform) == 0) {
            *index = i;
            return f;
        }
    }
    return NULL;
}

static int apply_change(spec_work *w, const ice_spec_change *c, fl_error *err)
{
    size_t index = 0;
    json_t *f;
    switch (c->op) {
    case ICE_SPEC_ADD_FIELD:
        return add_field(w, c, err);
    case ICE_SPEC_REMOVE_FIELD:
        if (c->name == NULL || (f = find_field(w, c->name, &index)) == NULL)
            return fl_error_set(err, FLOE_ENOTFOUND, "cannot find partition field to remove: \"%s\"", c->name ? c->name : "");
        if (w->t->md->format_version >= 2) {
            json_array_remove(w->fields, index);
            return 0;
        }
        if (strcmp(field_transform(f), "void") == 0)
            return fl_error_set(err, FLOE_ENOTFOUND, "cannot find partition field to remove: \"%s\" is already void", c->name);
        if (json_object_set_new(f, "transform", json_string("void")) < 0) return OOM(err);
        return 0;
    case ICE_SPEC_RENAME_FIELD:
        if (c->name == NULL || (f = find_field(w, c->name, &index)) == NULL)
            return fl_error_set(err, FLOE_ENOTFOUND, "cannot find partition field to rename: \"%s\"", c->name ? c->name : "");
        if (c->new_name == NULL || c->new_name[0] == '\0')
            return fl_error_set(err, FLOE_EINVAL, "cannot rename partition field \"%s\": the new name is empty", c->name);
        if (find_named(w->fields, c->new_name, NULL) != NULL)
            return fl_error_set(err, FLOE_EINVAL, "cannot rename partition field \"%s\" to \"%s\": a partition field of that name already exists",
                                c->name, c->new_name);
        if (json_object_set_new(f, "name", json_string(c->new_name)) < 0) return OOM(err);
        return 0;
    }
    return fl_error_set(err, FLOE_EINVAL, "unknown partition spec change %d", (int)c->op);
}

/* Java's compatibleWith: same fields in order (source, field id, name, transform). */
static bool same_fields(const ice_partition_spec *a, const ice_partition_spec *b)
{
    if (a->field_count != b->field_count) return false;
    for (size_t i = 0; i < a->field_count; i++) {
        const ice_partition_field *x = &a->fields[i], *y = &b->fields[i];
        if (x->source_id != y->source_id || x->field_id != y->field_id || strcmp(x->name, y->name) != 0 ||
            x->transform.kind != y->transform.kind || x->transform.param != y->transform.param)
            return false;
    }
    return true;
}

static int set_default(json_t *doc, const ice_metadata *md, int32_t spec_id, fl_error *err)
{
    if (json_object_set_new(doc, "default-spec-id", json_integer(spec_id)) < 0) return OOM(err);
    if (md->format_version == 1 && json_object_get(doc, "partition-spec") != NULL) {
        const ice_partition_spec *sp = ice_metadata_spec(md, spec_id);
        json_t *fields = sp ? ice_partition_fields_to_json(sp) : NULL;
        if (fields == NULL || json_object_set_new(doc, "partition-spec", fields) < 0) return OOM(err);
    }
    return 0;
}

static int install(spec_ctx *c, spec_work *w, json_t *doc, fl_error *err)
{
    const ice_metadata *md = w->t->md;
    json_t *obj = json_pack("{s:i,s:O}", "spec-id", 0, "fields", w->fields);
    if (obj == NULL) return OOM(err);
    ice_partition_spec *ns = NULL;
    const ice_type *ptype;
    int rc = ice_partition_spec_from_json(&ns, obj, w->arena, err);
    if (rc == 0) rc = ice_partition_type(&ptype, ns, w->schema, false, w->arena, err);
    if (rc < 0) {
        json_decref(obj);
        fl_error_prefix(err, "the evolved partition spec of table \"%s.%s\" is not valid: ", w->t->ns, w->t->name);
        return err->code = FLOE_EINVAL;
    }
    int32_t id = 0;
    bool reuse = false;
    for (size_t i = 0; i < md->spec_count && !reuse; i++) {
        if (same_fields(md->specs[i], ns)) {
            id = md->specs[i]->spec_id;
            reuse = true;
        } else if (md->specs[i]->spec_id >= id) {
            id = md->specs[i]->spec_id + 1;
        }
    }
    if (!reuse && (json_object_set_new(obj, "spec-id", json_integer(id)) < 0 ||
                   json_array_append(json_object_get(doc, "partition-specs"), obj) < 0)) {
        json_decref(obj);
        return OOM(err);
    }
    json_decref(obj);
    int32_t last = md->last_partition_id > w->last_id ? md->last_partition_id : w->last_id;
    if (json_object_set_new(doc, "last-partition-id", json_integer(last)) < 0) return OOM(err);
    c->spec_id = id;
    if (json_object_set_new(doc, "default-spec-id", json_integer(id)) < 0) return OOM(err);
    if (md->format_version == 1 && json_object_get(doc, "partition-spec") != NULL &&
        json_object_set(doc, "partition-spec", w->fields) < 0)
        return OOM(err);
    return 0;
}

static int spec_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                      ice_written *written, fl_error *err)
{
    (void)attempt;
    (void)now_ms;
    (void)written;
    spec_ctx *c = ctx;
    const ice_metadata *md = t->md;
    if (c->set_default_only) {
        if (ice_metadata_spec(md, c->spec_id) == NULL)
            return fl_error_set(err, FLOE_ENOTFOUND, "partition spec %d of table \"%s.%s\" does not exist", (int)c->spec_id,
                                t->ns, t->name);
        return set_default(doc, md, c->spec_id, err);
    }
    const ice_partition_spec *base = ice_metadata_default_spec(md);
    spec_work w = {.t = t, .schema = ice_metadata_current_schema(md), .last_id = md->last_partition_id};
    if (base == NULL || w.schema == NULL)
        return fl_error_set(err, FLOE_ECORRUPT, "table \"%s.%s\" has no default partition spec or current schema", t->ns,
                            t->name);
    json_t *spec_json = ice_partition_spec_to_json(base);
    if (spec_json == NULL) return OOM(err);
    w.fields = json_incref(json_object_get(spec_json, "fields"));
    json_decref(spec_json);
    if (w.fields == NULL || (w.arena = fl_arena_new(0)) == NULL) {
        json_decref(w.fields);
        return OOM(err);
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->count; i++) rc = apply_change(&w, &c->changes[i], err);
    if (rc == 0) rc = install(c, &w, doc, err);
    json_decref(w.fields);
    fl_arena_free(w.arena);
    return rc;
}

int ice_txn_update_spec(ice_table *t, const ice_spec_change *changes, size_t count,
                        ice_commit_stats *stats, fl_error *err)
{
    if (count == 0)
        return fl_error_set(err, FLOE_EINVAL, "no partition spec change given for table \"%s.%s\"", t->ns, t->name);
    spec_ctx c = {.changes = changes, .count = count};
    return ice_commit_run(t, spec_apply, &c, stats, err);
}

int ice_txn_set_default_spec(ice_table *t, int32_t spec_id, ice_commit_stats *stats, fl_error *err)
{
    spec_ctx c = {.spec_id = spec_id, .set_default_only = true};
    return ice_commit_run(t, spec_apply, &c, stats, err);
}
