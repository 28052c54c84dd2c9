/*
 * alloc.c: the allocator hook (see alloc.h).
 */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static long fail_after = -1;

static int should_fail(void)
{
    if (fail_after < 0) return 0;
    if (fail_after == 0) return 1;
    fail_after--;
    return 0;
}

void fl_alloc_fail_after(long count) { fail_after = count; }

void *fl_malloc(size_t size)
{
    if (should_fail()) return NULL;
    return malloc(size ? size : 1);
}

void *fl_calloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *fl_realloc(void *ptr, size_t size)
{
    if (should_fail()) return NULL;
    return realloc(ptr, size ? size : 1);
}

void fl_free(void *ptr) { free(ptr); }

char *fl_strndup(const char *s, size_t len)
{
    char *p = fl_malloc(len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *fl_strdup(const char *s) { return fl_strndup(s, strlen(s)); }
