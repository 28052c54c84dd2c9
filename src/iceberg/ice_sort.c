/*
 * ice_sort.c: sort order JSON and comparison (see ice_sort.h).
 */
#include "ice_sort.h"

#include <string.h>

#include "ice_json.h"

static int field_from_json(ice_sort_field *f, const json_t *j, fl_arena *arena, fl_error *err)
{
    const char *what = "sort field", *s;
    if (!json_is_object(j)) return fl_error_set(err, FLOE_ECORRUPT, "sort field must be an object");
    FL_TRY(ice_json_req_str(j, "transform", arena, &s, what, err));
    FL_TRY(ice_transform_parse(&f->transform, s, arena, err));
    FL_TRY(ice_json_source_ids(j, arena, "sort field", NULL, what, &f->source_id, &f->source_ids,
                               &f->source_count, &f->multi_source, err));
    FL_TRY(ice_json_req_str(j, "direction", arena, &s, what, err));
    if (strcmp(s, "asc") == 0) f->descending = false;
    else if (strcmp(s, "desc") == 0) f->descending = true;
    else return fl_error_set(err, FLOE_ECORRUPT, "invalid sort direction \"%s\"", s);
    FL_TRY(ice_json_req_str(j, "null-order", arena, &s, what, err));
    if (strcmp(s, "nulls-first") == 0) f->nulls_first = true;
    else if (strcmp(s, "nulls-last") == 0) f->nulls_first = false;
    else return fl_error_set(err, FLOE_ECORRUPT, "invalid sort null order \"%s\"", s);
    return 0;
}

int ice_sort_order_from_json(ice_sort_order **out, const json_t *json, fl_arena *arena,
                             fl_error *err)
{
    const json_t *fields;
    if (!json_is_object(json)) return fl_error_set(err, FLOE_ECORRUPT, "sort order must be an object");
    ice_sort_order *o = fl_arena_calloc(arena, sizeof(*o));
    if (o == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    FL_TRY(ice_json_req_i32(json, "order-id", &o->order_id, "sort order", err));
    FL_TRY(ice_json_req_array(json, "fields", &fields, "sort order", err));
    size_t n = json_array_size(fields);
    o->fields = fl_arena_calloc(arena, (n ? n : 1) * sizeof(ice_sort_field));
    if (o->fields == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) FL_TRY(field_from_json(&o->fields[i], json_array_get(fields, i), arena, err));
    o->field_count = n;
    if (o->order_id == 0 && n > 0)
        return fl_error_set(err, FLOE_ECORRUPT, "sort order id 0 is reserved for the unsorted order");
    *out = o;
    return 0;
}

static int sort_field_fill(json_t *o, const void *ctx, size_t i)
{
    const ice_sort_field *f = &((const ice_sort_order *)ctx)->fields[i];
    char tbuf[256];
    ice_transform_format(&f->transform, tbuf, sizeof(tbuf));
    int rc = ice_json_put_str(o, "transform", tbuf);
    if (rc == 0) rc = ice_json_put_source_ids(o, f->multi_source, f->source_ids, f->source_count, f->source_id);
    if (rc == 0) rc = ice_json_put_str(o, "direction", f->descending ? "desc" : "asc");
    if (rc == 0) rc = ice_json_put_str(o, "null-order", f->nulls_first ? "nulls-first" : "nulls-last");
    return rc;
}

json_t *ice_sort_order_to_json(const ice_sort_order *order)
{
    json_t *o = json_object();
    int rc = o ? 0 : FLOE_ENOMEM;
    if (rc == 0) rc = ice_json_put_i64(o, "order-id", order->order_id);
    if (rc == 0) rc = ice_json_put(o, "fields", ice_json_objects(order, order->field_count, sort_field_fill));
    if (rc < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

bool ice_sort_order_equal(const ice_sort_order *a, const ice_sort_order *b)
{
    if (a->order_id != b->order_id || a->field_count != b->field_count) return false;
    for (size_t i = 0; i < a->field_count; i++) {
        const ice_sort_field *x = &a->fields[i], *y = &b->fields[i];
        char tx[256], ty[256];
        ice_transform_format(&x->transform, tx, sizeof(tx));
        ice_transform_format(&y->transform, ty, sizeof(ty));
        if (strcmp(tx, ty) != 0 || x->descending != y->descending || x->nulls_first != y->nulls_first ||
            x->source_count != y->source_count)
            return false;
        for (size_t k = 0; k < x->source_count; k++)
            if (x->source_ids[k] != y->source_ids[k]) return false;
    }
    return true;
}
