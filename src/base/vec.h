/*
 * vec.h: a growable array of fixed-size elements.
 *
 * fl_vec is caller-embedded (fl_vec_init / fl_vec_dispose) and heap-backed
 * through fl_malloc. Elements are copied in by value; pointers returned by
 * fl_vec_at are valid until the next call that may grow the array (push,
 * reserve, extend). No macros: the element size is given at init, and typed
 * access is a cast at the call site:
 *
 *     fl_vec v;
 *     fl_vec_init(&v, sizeof(int64_t));
 *     int64_t x = 7;
 *     if (fl_vec_push(&v, &x) < 0) ...;
 *     int64_t *first = fl_vec_at(&v, 0);
 *
 * Not thread-safe; one owner at a time.
 */
#ifndef FL_VEC_H
#define FL_VEC_H

#include <stddef.h>

#include "error.h"

typedef struct fl_vec {
    void *data;
    size_t len;         /* elements in use */
    size_t cap;         /* elements allocated */
    size_t elem_size;
} fl_vec;

void fl_vec_init(fl_vec *v, size_t elem_size);
void fl_vec_dispose(fl_vec *v);
/* len = 0, keep capacity. */
void fl_vec_reset(fl_vec *v);
/* Room for at least `extra` more elements. 0 or FLOE_ENOMEM. */
int fl_vec_reserve(fl_vec *v, size_t extra);
/* Appends a copy of *elem. 0 or FLOE_ENOMEM. */
int fl_vec_push(fl_vec *v, const void *elem);
/* Appends n zeroed elements and returns the first (NULL on OOM). */
void *fl_vec_extend(fl_vec *v, size_t n);
/* Copies the last element to *out (when out is non-NULL) and removes it;
 * returns 0, or FLOE_EINVAL when empty. */
int fl_vec_pop(fl_vec *v, void *out);
/* Hands the array to the caller (free with fl_free); the vec is emptied. */
void *fl_vec_detach(fl_vec *v, size_t *len);

static inline size_t fl_vec_len(const fl_vec *v) { return v->len; }
static inline void *fl_vec_at(const fl_vec *v, size_t i)
{
    FL_ASSERT(i < v->len);
    return (char *)v->data + i * v->elem_size;
}

#endif
