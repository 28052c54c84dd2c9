/*
 * txn_sort.c: replacing a table's default sort order (Iceberg Java's
 * ReplaceSortOrder / SortOrderBuilder). Each field is a transform term of a
 * column of the current schema (the same terms as partition fields, parsed
 * by ice_evolve_term_parse), a direction, and a null order that defaults
 * as Java's does (ascending: nulls first; descending: nulls last). No
 * fields means unsorted, which is always order 0. A new order reuses the id
 * of an existing order with the same fields, else takes the highest order
 * id + 1, and becomes default-sort-order-id.
 */
#include "ice_evolve.h"

#include <string.h>

#include "ice_sort.h"

typedef struct sort_ctx {
    const ice_sort_term *fields;
    size_t count;
    int32_t order_id;
} sort_ctx;

static bool same_order(const ice_sort_order *a, const ice_sort_order *b)
{
    if (a->field_count != b->field_count) return false;
    for (size_t i = 0; i < a->field_count; i++) {
        const ice_sort_field *x = &a->fields[i], *y = &b->fields[i];
        if (x->source_id != y->source_id || x->transform.kind != y->transform.kind ||
            x->transform.param != y->transform.param || x->descending != y->descending ||
            x->nulls_first != y->nulls_first)
            return false;
    }
    return true;
}

/* The order's JSON fields (new reference) for the current schema. */
static int build_fields(json_t **out, const sort_ctx *c, const ice_table *t, fl_arena *arena, fl_error *err)
{
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    if (schema == NULL) return fl_error_set(err, FLOE_ECORRUPT, "table \"%s.%s\" has no current schema", t->ns, t->name);
    json_t *fields = json_array();
    if (fields == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->count; i++) {
        const ice_sort_term *st = &c->fields[i];
        ice_evolve_term tm;
        int rc = ice_evolve_term_parse(&tm, st->term, schema, arena, err);
        if (rc == 0 && tm.t.kind == ICE_TRANSFORM_VOID)
            rc = fl_error_set(err, FLOE_EINVAL, "cannot sort table \"%s.%s\" by a void transform", t->ns, t->name);
        bool nulls_first = st->nulls == ICE_NULLS_DEFAULT ? !st->descending : st->nulls == ICE_NULLS_FIRST;
        json_t *f = rc == 0 ? json_pack("{s:s,s:i,s:s,s:s}", "transform", tm.transform, "source-id", (int)tm.source_id,
                                        "direction", st->descending ? "desc" : "asc", "null-order",
                                        nulls_first ? "nulls-first" : "nulls-last")
                            : NULL;
        if (rc == 0 && (f == NULL || json_array_append_new(fields, f) < 0))
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
        if (rc < 0) {
            json_decref(fields);
            return rc;
        }
    }
    *out = fields;
    return 0;
}

static int sort_apply(void *ctx, const ice_table *t, json_t *doc, int attempt, int64_t now_ms,
                      ice_written *written, fl_error *err)
{
    (void)attempt;
    (void)now_ms;
    (void)written;
    sort_ctx *c = ctx;
    const ice_metadata *md = t->md;
    fl_arena *arena = fl_arena_new(0);
    if (arena == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    json_t *fields = NULL, *obj = NULL;
    ice_sort_order *order = NULL;
    int rc = build_fields(&fields, c, t, arena, err);
    if (rc == 0 && (obj = json_pack("{s:i,s:O}", "order-id", 1, "fields", fields)) == NULL)
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) rc = ice_sort_order_from_json(&order, obj, arena, err);
    int32_t id = 1;
    bool reuse = false;
    if (rc == 0 && c->count == 0) {
        id = 0;
        reuse = ice_metadata_sort_order(md, 0) != NULL;
    }
    for (size_t i = 0; rc == 0 && c->count > 0 && i < md->sort_order_count && !reuse; i++) {
        const ice_sort_order *o = md->sort_orders[i];
        if (o->order_id != 0 && same_order(o, order)) {
            id = o->order_id;
            reuse = true;
        } else if (o->order_id >= id) {
            id = o->order_id + 1;
        }
    }
    if (rc == 0 && !reuse) {
        json_t *orders = json_object_get(doc, "sort-orders");
        if (json_object_set_new(obj, "order-id", json_integer(id)) < 0 || orders == NULL ||
            json_array_append(orders, obj) < 0)
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    if (rc == 0 && json_object_set_new(doc, "default-sort-order-id", json_integer(id)) < 0)
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) c->order_id = id;
    json_decref(fields);
    json_decref(obj);
    fl_arena_free(arena);
    return rc;
}

int ice_txn_replace_sort_order(ice_table *t, const ice_sort_term *fields, size_t count,
                               ice_commit_stats *stats, fl_error *err)
{
    sort_ctx c = {.fields = fields, .count = count};
    return ice_commit_run(t, sort_apply, &c, stats, err);
}
