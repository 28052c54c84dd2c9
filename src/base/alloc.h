/*
 * alloc.h: the one allocator hook all floe memory goes through.
 *
 * fl_malloc/fl_calloc/fl_realloc/fl_free wrap the C allocator. Tests can make
 * the Nth allocation fail (fl_alloc_fail_after) to prove every path handles
 * FLOE_ENOMEM, and count live allocations to find leaks.
 */
#ifndef FL_ALLOC_H
#define FL_ALLOC_H

#include <stddef.h>

void *fl_malloc(size_t size);
void *fl_calloc(size_t count, size_t size);
void *fl_realloc(void *ptr, size_t size);
void fl_free(void *ptr);
char *fl_strdup(const char *s);
char *fl_strndup(const char *s, size_t len);

/* Test hook: after `count` more successful allocations, every allocation
 * fails until reset with a negative count. Not thread-safe by design. */
void fl_alloc_fail_after(long count);

#endif
