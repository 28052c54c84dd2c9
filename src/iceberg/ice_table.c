/*
 * ice_table.c: the table handle (load through the catalog, refresh) and
 * table creation: a new format-v2 metadata document with fresh ids, written
 * create-if-absent and registered in the catalog. See ice_table.h.
 *
 * The new metadata is built as JSON and parsed back with
 * ice_metadata_from_json, so a table floe creates passes the same checks as
 * one read from disk, then written with ice_metadata_write (Java's layout).
 */
#include "ice_table.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/uuid.h"

int64_t ice_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ice_new_snapshot_id(int64_t *out, fl_error *err)
{
    fl_uuid u;
    FL_TRY(fl_uuid_v4(&u, err));
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; i++) {
        hi = hi << 8 | u.b[i];
        lo = lo << 8 | u.b[8 + i];
    }
    *out = (int64_t)((hi ^ lo) & INT64_MAX);
    return 0;
}

void ice_table_set_state(ice_table *t, char *location, ice_metadata *md)
{
    fl_free(t->metadata_location);
    ice_metadata_free(t->md);
    t->metadata_location = location;
    t->md = md;
}

void ice_table_free(ice_table *t)
{
    if (t == NULL) return;
    fl_free(t->ns);
    fl_free(t->name);
    ice_table_set_state(t, NULL, NULL);
    fl_free(t);
}

static int table_new(ice_table **out, cat_catalog *catalog, io_fs *fs, const char *ns,
                     const char *name, fl_error *err)
{
    ice_table *t = fl_calloc(1, sizeof(*t));
    if (t == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    t->catalog = catalog;
    t->fs = fs;
    t->ns = fl_strdup(ns);
    t->name = fl_strdup(name);
    if (t->ns == NULL || t->name == NULL) {
        ice_table_free(t);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    *out = t;
    return 0;
}

int ice_table_refresh(ice_table *t, fl_error *err)
{
    char *location = NULL;
    ice_metadata *md = NULL;
    FL_TRY(cat_table_load(t->catalog, t->ns, t->name, &location, NULL, err));
    if (t->metadata_location != NULL && t->md != NULL &&
        strcmp(location, t->metadata_location) == 0) {
        fl_free(location);
        return 0;
    }
    int rc = ice_metadata_read(&md, t->fs, location, err);
    if (rc < 0) {
        fl_free(location);
        return rc;
    }
    ice_table_set_state(t, location, md);
    return 0;
}

int ice_table_load(ice_table **out, cat_catalog *catalog, io_fs *fs, const char *ns,
                   const char *name, fl_error *err)
{
    ice_table *t;
    FL_TRY(table_new(&t, catalog, fs, ns, name, err));
    int rc = ice_table_refresh(t, err);
    if (rc < 0) {
        ice_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* ---- fresh ids (Java's AssignFreshIds: a struct's fields first, then
 * their types; list element; map key, value) ---- */

typedef struct id_map {
    int32_t *old_ids, *new_ids;
    size_t len, cap;
    int32_t next;
} id_map;

static int id_map_add(id_map *m, int32_t old_id, int32_t *new_id)
{
    if (m->len == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        int32_t *o = fl_realloc(m->old_ids, cap * sizeof(int32_t));
        if (o == NULL) return FLOE_ENOMEM;
        m->old_ids = o;
        int32_t *n = fl_realloc(m->new_ids, cap * sizeof(int32_t));
        if (n == NULL) return FLOE_ENOMEM;
        m->new_ids = n;
        m->cap = cap;
    }
    *new_id = ++m->next;
    m->old_ids[m->len] = old_id;
    m->new_ids[m->len++] = *new_id;
    return 0;
}

static bool id_map_get(const id_map *m, int32_t old_id, int32_t *out)
{
    for (size_t i = 0; i < m->len; i++)
        if (m->old_ids[i] == old_id) {
            *out = m->new_ids[i];
            return true;
        }
    return false;
}

static int renumber(json_t *obj, const char *key, id_map *m)
{
    int32_t new_id;
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v)) return FLOE_EINVAL;
    if (id_map_add(m, (int32_t)json_integer_value(v), &new_id) < 0) return FLOE_ENOMEM;
    return json_object_set_new(obj, key, json_integer(new_id)) < 0 ? FLOE_ENOMEM : 0;
}

static int fresh_ids(json_t *type, id_map *m)
{
    if (!json_is_object(type)) return 0;   /* a primitive */
    const char *kind = json_string_value(json_object_get(type, "type"));
    if (kind == NULL) return FLOE_EINVAL;
    int rc = 0;
    if (strcmp(kind, "struct") == 0) {
        json_t *fields = json_object_get(type, "fields");
        size_t i;
        json_t *f;
        json_array_foreach(fields, i, f) if ((rc = renumber(f, "id", m)) < 0) return rc;
        json_array_foreach(fields, i, f) if ((rc = fresh_ids(json_object_get(f, "type"), m)) < 0) return rc;
    } else if (strcmp(kind, "list") == 0) {
        if ((rc = renumber(type, "element-id", m)) < 0) return rc;
        rc = fresh_ids(json_object_get(type, "element"), m);
    } else if (strcmp(kind, "map") == 0) {
        if ((rc = renumber(type, "key-id", m)) < 0 || (rc = renumber(type, "value-id", m)) < 0)
            return rc;
        if ((rc = fresh_ids(json_object_get(type, "key"), m)) < 0) return rc;
        rc = fresh_ids(json_object_get(type, "value"), m);
    }
    return rc;
}

/* Rewrites "source-id" / "source-ids" of each field in arr. */
static int remap_sources(json_t *arr, const id_map *m, fl_error *err)
{
    size_t i;
    json_t *f;
    json_array_foreach(arr, i, f) {
        int32_t new_id;
        json_t *src = json_object_get(f, "source-id");
        if (src != NULL) {
            if (!id_map_get(m, (int32_t)json_integer_value(src), &new_id))
                return fl_error_set(err, FLOE_EINVAL, "source field %lld is not in the table schema",
                                    (long long)json_integer_value(src));
            json_object_set_new(f, "source-id", json_integer(new_id));
        }
        json_t *ids = json_object_get(f, "source-ids");
        size_t k;
        json_t *id;
        json_array_foreach(ids, k, id) {
            if (!id_map_get(m, (int32_t)json_integer_value(id), &new_id))
                return fl_error_set(err, FLOE_EINVAL, "source field %lld is not in the table schema",
                                    (long long)json_integer_value(id));
            json_array_set_new(ids, k, json_integer(new_id));
        }
    }
    return 0;
}

/* The new table's metadata document. */
static int create_doc(json_t **out, const char *location, const ice_table_create_opts *opts,
                      id_map *m, fl_error *err)
{
    fl_uuid u;
    char uuid[FL_UUID_TEXT_LEN + 1];
    FL_TRY(fl_uuid_v4(&u, err));
    fl_uuid_format(&u, uuid);
    json_t *schema = ice_schema_to_json(opts->schema);
    json_t *spec = opts->spec ? ice_partition_spec_to_json(opts->spec)
                              : json_pack("{s:i,s:[]}", "spec-id", 0, "fields");
    json_t *order = opts->sort_order ? ice_sort_order_to_json(opts->sort_order)
                                     : json_pack("{s:i,s:[]}", "order-id", 0, "fields");
    json_t *props = ice_json_from_str_map(opts->properties, opts->property_count);
    json_t *doc = NULL;
    int rc = 0;
    if (schema == NULL || spec == NULL || order == NULL || props == NULL) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto done;
    }
    json_object_set_new(schema, "schema-id", json_integer(0));
    if ((rc = fresh_ids(schema, m)) < 0) {
        rc = fl_error_set(err, rc, "could not assign field ids to the table schema");
        goto done;
    }
    json_t *ident = json_object_get(schema, "identifier-field-ids");
    size_t i;
    json_t *v;
    json_array_foreach(ident, i, v) {
        int32_t new_id;
        if (id_map_get(m, (int32_t)json_integer_value(v), &new_id))
            json_array_set_new(ident, i, json_integer(new_id));
    }
    json_t *spec_fields = json_object_get(spec, "fields");
    if ((rc = remap_sources(spec_fields, m, err)) < 0) goto done;
    json_array_foreach(spec_fields, i, v)
        json_object_set_new(v, "field-id", json_integer(ICE_PARTITION_DATA_ID_START + (json_int_t)i));
    json_object_set_new(spec, "spec-id", json_integer(0));
    json_t *order_fields = json_object_get(order, "fields");
    if ((rc = remap_sources(order_fields, m, err)) < 0) goto done;
    int order_id = json_array_size(order_fields) > 0 ? 1 : 0;
    json_object_set_new(order, "order-id", json_integer(order_id));
    doc = json_pack("{s:i,s:s,s:s,s:i,s:I,s:i,s:i,s:[O],s:i,s:[O],s:i,s:i,s:O,s:[O],s:I,"
                    "s:{},s:[],s:[],s:[],s:[],s:[]}",
                    "format-version", 2, "table-uuid", uuid, "location", location,
                    "last-sequence-number", 0, "last-updated-ms", (json_int_t)ice_now_ms(),
                    "last-column-id", (int)m->next, "current-schema-id", 0, "schemas", schema,
                    "default-spec-id", 0, "partition-specs", spec, "last-partition-id",
                    (int)(ICE_PARTITION_DATA_ID_START - 1 + json_array_size(spec_fields)),
                    "default-sort-order-id", order_id, "properties", props, "sort-orders", order,
                    "current-snapshot-id", (json_int_t)-1, "refs", "snapshots", "statistics",
                    "partition-statistics", "snapshot-log", "metadata-log");
    if (doc == NULL) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
done:
    json_decref(schema);
    json_decref(spec);
    json_decref(order);
    json_decref(props);
    if (rc == 0) *out = doc;
    return rc;
}

int ice_table_create(ice_table **out, cat_catalog *catalog, io_fs *fs, const char *warehouse,
                     const char *ns, const char *name, const ice_table_create_opts *opts,
                     fl_error *err)
{
    ice_table *t = NULL;
    json_t *doc = NULL;
    ice_metadata *md = NULL;
    char *meta_loc = NULL;
    fl_buf loc, text;
    id_map m = {0};
    bool written = false;
    fl_buf_init(&loc);
    fl_buf_init(&text);
    int rc = cat_check_table_name(ns, name, err);
    if (rc < 0) goto done;
    if (opts->location) rc = fl_buf_append_str(&loc, opts->location);
    else {
        rc = fl_buf_append_str(&loc, warehouse);
        for (const char *p = ns; rc == 0 && *p; p++) {   /* levels become directories */
            if (p == ns) rc = fl_buf_append_byte(&loc, '/');
            if (rc == 0) rc = fl_buf_append_byte(&loc, *p == '.' ? '/' : (uint8_t)*p);
        }
        if (rc == 0) rc = fl_buf_appendf(&loc, "/%s", name);
    }
    if (rc < 0) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = create_doc(&doc, fl_buf_cstr(&loc), opts, &m, err)) < 0) goto done;
    if ((rc = ice_metadata_from_json(&md, doc, err)) < 0) goto done;
    if ((rc = ice_metadata_write(&text, md, err)) < 0) goto done;
    char uuid[FL_UUID_TEXT_LEN + 1];
    fl_uuid u;
    if ((rc = fl_uuid_v4(&u, err)) < 0) goto done;
    fl_uuid_format(&u, uuid);
    size_t n = loc.len + 64;
    if ((meta_loc = fl_malloc(n)) == NULL) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(meta_loc, n, "%s/metadata/00000-%s.metadata.json", fl_buf_cstr(&loc), uuid);
    if ((rc = io_write_file(fs, meta_loc, IO_CREATE_EXCLUSIVE, text.data, text.len, err)) < 0)
        goto done;
    written = true;
    if ((rc = cat_table_create(catalog, ns, name, meta_loc, err)) < 0) goto done;
    if ((rc = table_new(&t, catalog, fs, ns, name, err)) < 0) goto done;
    ice_table_set_state(t, meta_loc, md);
    meta_loc = NULL;
    md = NULL;
    *out = t;
done:
    if (rc < 0 && written && rc != FLOE_EUNKNOWN) {
        fl_error ignored;
        io_remove(fs, meta_loc, &ignored);
    }
    fl_free(m.old_ids);
    fl_free(m.new_ids);
    fl_free(meta_loc);
    ice_metadata_free(md);
    json_decref(doc);
    fl_buf_dispose(&loc);
    fl_buf_dispose(&text);
    return rc;
}
