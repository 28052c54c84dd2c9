/*
 * arena.c: the region allocator (see arena.h).
 *
 * Blocks form a singly linked list, newest first; allocation bumps a pointer
 * in the newest block. Requests larger than a quarter of the block size get a
 * block of their own, inserted behind the current one so the current block's
 * free space is not wasted.
 *
 * Reset keeps the standard-size blocks on a spare list (up to SPARE_MAX_BYTES)
 * and reuses them before asking malloc again: an arena reset once per batch
 * would otherwise return its blocks to the C library, which trims them back
 * to the kernel, and every batch would pay page faults for fresh memory.
 */
#include "arena.h"

#include <stdint.h>
#include "alloc.h"
#include "error.h"

#include <string.h>

#define ALIGN 16
#define DEFAULT_BLOCK (64 * 1024)
#define SPARE_MAX_BYTES (32u * 1024 * 1024)

typedef struct block {
    struct block *next;
    size_t size;   /* usable bytes after the header */
    size_t used;
    _Alignas(16) unsigned char data[];
} block;

typedef struct callback {
    struct callback *next;
    void (*fn)(void *);
    void *arg;
} callback;

struct fl_arena {
    block *head;
    block *spare;          /* standard blocks kept by reset for reuse */
    size_t spare_bytes;
    size_t block_size;
    size_t used;
    callback *callbacks;
    fl_arena *children;    /* list of child arenas */
    fl_arena *next_sibling;
    fl_arena *parent;
};

static size_t align_up(size_t n) { return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

static block *block_new(size_t size)
{
    block *b = fl_malloc(sizeof(block) + size);
    if (!b) return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

fl_arena *fl_arena_new(size_t block_size)
{
    fl_arena *a = fl_calloc(1, sizeof *a);
    if (!a) return NULL;
    a->block_size = block_size ? align_up(block_size) : DEFAULT_BLOCK;
    return a;
}

fl_arena *fl_arena_new_child(fl_arena *parent, size_t block_size)
{
    fl_arena *a = fl_arena_new(block_size);
    if (!a) return NULL;
    a->parent = parent;
    a->next_sibling = parent->children;
    parent->children = a;
    return a;
}

static void run_callbacks(fl_arena *a)
{
    while (a->callbacks) {
        callback *cb = a->callbacks;
        a->callbacks = cb->next;   /* unlink first: fn may allocate in a */
        cb->fn(cb->arg);
    }
}

static void free_children(fl_arena *a)
{
    while (a->children) {
        fl_arena *c = a->children;
        a->children = c->next_sibling;
        c->parent = NULL;
        fl_arena_free(c);
    }
}

static void unlink_from_parent(fl_arena *a)
{
    if (!a->parent) return;
    fl_arena **pp = &a->parent->children;
    while (*pp && *pp != a) pp = &(*pp)->next_sibling;
    if (*pp) *pp = a->next_sibling;
    a->parent = NULL;
}

void fl_arena_free(fl_arena *a)
{
    if (!a) return;
    run_callbacks(a);
    free_children(a);
    unlink_from_parent(a);
    block *lists[2] = {a->head, a->spare};
    for (int i = 0; i < 2; i++) {
        block *b = lists[i];
        while (b) {
            block *next = b->next;
            fl_free(b);
            b = next;
        }
    }
    fl_free(a);
}

void fl_arena_reset(fl_arena *a)
{
    run_callbacks(a);
    free_children(a);
    /* keep one standard block as the head and spare the others (bounded) */
    block *keep = NULL;
    block *b = a->head;
    while (b) {
        block *next = b->next;
        if (b->size != a->block_size) {
            fl_free(b);
        } else if (!keep) {
            keep = b;
        } else if (a->spare_bytes + b->size <= SPARE_MAX_BYTES) {
            b->next = a->spare;
            a->spare = b;
            a->spare_bytes += b->size;
        } else {
            fl_free(b);
        }
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->used = 0;
}

/* Larger requests cannot be satisfied and would wrap align_up or block_new. */
#define MAX_REQUEST (SIZE_MAX / 2)

void *fl_arena_alloc(fl_arena *a, size_t size)
{
    if (FL_UNLIKELY(size > MAX_REQUEST)) return NULL;
    size = align_up(size ? size : 1);
    block *b = a->head;
    if (FL_LIKELY(b && b->size - b->used >= size)) {
        void *p = b->data + b->used;
        b->used += size;
        a->used += size;
        return p;
    }
    if (size > a->block_size / 4) {
        block *big = block_new(size);
        if (!big) return NULL;
        big->used = size;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            a->head = big;
        }
        a->used += size;
        return big->data;
    }
    block *nb = a->spare;
    if (nb) {
        a->spare = nb->next;
        a->spare_bytes -= nb->size;
        nb->used = 0;
    } else if (!(nb = block_new(a->block_size))) {
        return NULL;
    }
    nb->next = a->head;
    a->head = nb;
    nb->used = size;
    a->used += size;
    return nb->data;
}

void *fl_arena_calloc(fl_arena *a, size_t size)
{
    void *p = fl_arena_alloc(a, size);
    if (p) memset(p, 0, size);
    return p;
}

void *fl_arena_realloc(fl_arena *a, void *ptr, size_t old_size, size_t new_size)
{
    if (!ptr) return fl_arena_alloc(a, new_size);
    if (new_size <= old_size) return ptr;
    if (new_size > MAX_REQUEST) return NULL;
    block *b = a->head;
    size_t old_al = align_up(old_size ? old_size : 1);
    if (b && (unsigned char *)ptr + old_al == b->data + b->used) {
        size_t grow = align_up(new_size) - old_al;
        if (b->size - b->used >= grow) {
            b->used += grow;
            a->used += grow;
            return ptr;
        }
    }
    void *np = fl_arena_alloc(a, new_size);
    if (!np) return NULL;
    memcpy(np, ptr, old_size);
    return np;
}

char *fl_arena_strndup(fl_arena *a, const char *s, size_t len)
{
    char *p = fl_arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *fl_arena_strdup(fl_arena *a, const char *s) { return fl_arena_strndup(a, s, strlen(s)); }

void *fl_arena_memdup(fl_arena *a, const void *src, size_t len)
{
    void *p = fl_arena_alloc(a, len);
    if (p && len) memcpy(p, src, len);
    return p;
}

int fl_arena_on_reset(fl_arena *a, void (*fn)(void *), void *arg)
{
    callback *cb = fl_arena_alloc(a, sizeof *cb);
    if (!cb) return FLOE_ENOMEM;
    cb->fn = fn;
    cb->arg = arg;
    cb->next = a->callbacks;
    a->callbacks = cb;
    return 0;
}

size_t fl_arena_used(const fl_arena *a) { return a->used; }
