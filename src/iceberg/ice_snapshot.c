/*
 * ice_snapshot.c: lookups in table metadata: schemas, specs, sort orders,
 * properties, refs and snapshots (by id, current, by ref, as of a time,
 * ancestry). See ice_metadata.h.
 */
#include "ice_metadata.h"

#include <string.h>

const ice_schema *ice_metadata_schema(const ice_metadata *md, int32_t schema_id)
{
    for (size_t i = 0; i < md->schema_count; i++)
        if (md->schemas[i]->schema_id == schema_id) return md->schemas[i];
    return NULL;
}

const ice_schema *ice_metadata_current_schema(const ice_metadata *md)
{
    return ice_metadata_schema(md, md->current_schema_id);
}

const ice_partition_spec *ice_metadata_spec(const ice_metadata *md, int32_t spec_id)
{
    for (size_t i = 0; i < md->spec_count; i++)
        if (md->specs[i]->spec_id == spec_id) return md->specs[i];
    return NULL;
}

const ice_partition_spec *ice_metadata_default_spec(const ice_metadata *md)
{
    return ice_metadata_spec(md, md->default_spec_id);
}

const ice_sort_order *ice_metadata_sort_order(const ice_metadata *md, int32_t order_id)
{
    for (size_t i = 0; i < md->sort_order_count; i++)
        if (md->sort_orders[i]->order_id == order_id) return md->sort_orders[i];
    return NULL;
}

const char *ice_metadata_property(const ice_metadata *md, const char *key)
{
    for (size_t i = 0; i < md->property_count; i++)
        if (strcmp(md->properties[i].key, key) == 0) return md->properties[i].value;
    return NULL;
}

const ice_snapshot_ref *ice_metadata_ref(const ice_metadata *md, const char *name)
{
    for (size_t i = 0; i < md->ref_count; i++)
        if (strcmp(md->refs[i].name, name) == 0) return &md->refs[i];
    return NULL;
}

const ice_snapshot *ice_metadata_snapshot(const ice_metadata *md, int64_t snapshot_id)
{
    for (size_t i = 0; i < md->snapshot_count; i++)
        if (md->snapshots[i].snapshot_id == snapshot_id) return &md->snapshots[i];
    return NULL;
}

const ice_snapshot *ice_metadata_current_snapshot(const ice_metadata *md)
{
    return md->has_current_snapshot ? ice_metadata_snapshot(md, md->current_snapshot_id) : NULL;
}

int ice_metadata_snapshot_by_ref(const ice_snapshot **out, const ice_metadata *md,
                                 const char *ref, fl_error *err)
{
    const ice_snapshot_ref *r = ice_metadata_ref(md, ref);
    *out = NULL;
    if (r == NULL) return fl_error_set(err, FLOE_ENOTFOUND, "table has no branch or tag \"%s\"", ref);
    *out = ice_metadata_snapshot(md, r->snapshot_id);
    if (*out == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND, "%s \"%s\" points to snapshot %lld, which does not exist",
                            r->is_tag ? "tag" : "branch", ref, (long long)r->snapshot_id);
    return 0;
}

int ice_metadata_snapshot_as_of(const ice_snapshot **out, const ice_metadata *md,
                                int64_t timestamp_ms, fl_error *err)
{
    const ice_snapshot_log_entry *best = NULL;
    *out = NULL;
    for (size_t i = 0; i < md->snapshot_log_count; i++)
        if (md->snapshot_log[i].timestamp_ms <= timestamp_ms) best = &md->snapshot_log[i];
    if (md->snapshot_log_count == 0)
        return fl_error_set(err, FLOE_ENOTFOUND, "cannot find a snapshot as of %lld: the table has no snapshot log",
                            (long long)timestamp_ms);
    if (best == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND,
                            "cannot find a snapshot older than %lld: the snapshot log starts at %lld",
                            (long long)timestamp_ms, (long long)md->snapshot_log[0].timestamp_ms);
    *out = ice_metadata_snapshot(md, best->snapshot_id);
    if (*out == NULL)
        return fl_error_set(err, FLOE_ENOTFOUND, "snapshot %lld, current as of %lld, has expired",
                            (long long)best->snapshot_id, (long long)timestamp_ms);
    return 0;
}

const ice_snapshot *ice_metadata_snapshot_parent(const ice_metadata *md, const ice_snapshot *s)
{
    return s->has_parent ? ice_metadata_snapshot(md, s->parent_id) : NULL;
}

bool ice_metadata_is_ancestor(const ice_metadata *md, const ice_snapshot *s, int64_t ancestor_id)
{
    /* bounded by the snapshot count so that a parent cycle cannot loop */
    for (size_t steps = 0; s != NULL && steps <= md->snapshot_count; steps++) {
        if (s->snapshot_id == ancestor_id) return true;
        s = ice_metadata_snapshot_parent(md, s);
    }
    return false;
}
