/*
 * txn_properties.c: setting and removing table properties in one commit
 * (Iceberg Java's PropertiesUpdate). The change is re-applied on the
 * refreshed metadata after a conflict, so concurrent changes to other keys
 * survive. Keys Java reserves for values derived from the metadata
 * (TableProperties.RESERVED_PROPERTIES) are refused.
 */
#include "ice_evolve.h"

#include <string.h>

static const char *const RESERVED[] = {
    "format-version", "uuid", "snapshot-count", "current-snapshot-id", "current-snapshot-summary",
    "current-snapshot-timestamp-ms", "current-schema", "default-partition-spec", "default-sort-order",
};

typedef struct props_ctx {
    const ice_kv *set;
    size_t set_count;
    const char *const *remove;
    size_t remove_count;
} props_ctx;

static int props_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                       ice_written *written, fl_error *err)
{
    (void)t;
    (void)attempt;
    (void)now_ms;
    (void)written;
    props_ctx *c = ctx;
    json_t *props = json_object_get(doc, "properties");
    if (props == NULL) {
        if ((props = json_object()) == NULL || json_object_set_new(doc, "properties", props) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < c->remove_count; i++) json_object_del(props, c->remove[i]);
    for (size_t i = 0; i < c->set_count; i++)
        if (json_object_set_new(props, c->set[i].key, json_string(c->set[i].value)) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static int check_key(const ice_table *t, const char *key, fl_error *err)
{
    if (key == NULL || key[0] == '\0')
        return fl_error_set(err, FLOE_EINVAL, "a property key of table \"%s.%s\" must not be empty", t->ns, t->name);
    for (size_t i = 0; i < sizeof(RESERVED) / sizeof(RESERVED[0]); i++)
        if (strcmp(key, RESERVED[i]) == 0)
            return fl_error_set(err, FLOE_EINVAL, "table property \"%s\" is reserved and cannot be set or removed", key);
    return 0;
}

int ice_txn_update_properties(ice_table *t, const ice_kv *set, size_t set_count,
                              const char *const *remove, size_t remove_count,
                              ice_commit_stats *stats, fl_error *err)
{
    for (size_t i = 0; i < set_count; i++) {
        FL_TRY(check_key(t, set[i].key, err));
        if (set[i].value == NULL)
            return fl_error_set(err, FLOE_EINVAL, "table property \"%s\" has no value", set[i].key);
        for (size_t k = 0; k < remove_count; k++)
            if (strcmp(set[i].key, remove[k]) == 0)
                return fl_error_set(err, FLOE_EINVAL, "cannot remove and update the same table property \"%s\"",
                                    set[i].key);
    }
    for (size_t k = 0; k < remove_count; k++) FL_TRY(check_key(t, remove[k], err));
    props_ctx c = {.set = set, .set_count = set_count, .remove = remove, .remove_count = remove_count};
    return ice_commit_run(t, props_apply, &c, stats, err);
}
