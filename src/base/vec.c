/*
 * vec.c: the growable array (see vec.h). Capacity doubles (at least 8
 * elements), with overflow checks on every size computation.
 */
#include "vec.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"

void fl_vec_init(fl_vec *v, size_t elem_size)
{
    FL_ASSERT(elem_size > 0);
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem_size = elem_size;
}

void fl_vec_dispose(fl_vec *v)
{
    fl_free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

void fl_vec_reset(fl_vec *v) { v->len = 0; }

int fl_vec_reserve(fl_vec *v, size_t extra)
{
    if (extra <= v->cap - v->len) return 0;
    if (extra > SIZE_MAX / v->elem_size - v->len) return FLOE_ENOMEM;
    size_t need = v->len + extra;
    size_t cap = v->cap ? v->cap : 8;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > SIZE_MAX / v->elem_size) cap = need;
    void *data = fl_realloc(v->data, cap * v->elem_size);
    if (!data) return FLOE_ENOMEM;
    v->data = data;
    v->cap = cap;
    return 0;
}

int fl_vec_push(fl_vec *v, const void *elem)
{
    if (v->len == v->cap) {
        int rc = fl_vec_reserve(v, 1);
        if (rc < 0) return rc;
    }
    memcpy((char *)v->data + v->len * v->elem_size, elem, v->elem_size);
    v->len++;
    return 0;
}

void *fl_vec_extend(fl_vec *v, size_t n)
{
    if (fl_vec_reserve(v, n) < 0) return NULL;
    char *p = (char *)v->data + v->len * v->elem_size;
    if (n) memset(p, 0, n * v->elem_size);
    v->len += n;
    return p;
}

int fl_vec_pop(fl_vec *v, void *out)
{
    if (v->len == 0) return FLOE_EINVAL;
    v->len--;
    if (out) memcpy(out, (char *)v->data + v->len * v->elem_size, v->elem_size);
    return 0;
}

void *fl_vec_detach(fl_vec *v, size_t *len)
{
    void *data = v->data;
    if (len) *len = v->len;
    v->data = NULL;
    v->len = v->cap = 0;
    return data;
}
