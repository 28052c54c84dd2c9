/*
 * arena.h: region allocator with lifetimes, as PostgreSQL's memory contexts.
 *
 * An arena hands out 16-byte aligned memory from large blocks and frees it
 * all at once. Child arenas are freed (and reset) with their parent. Reset
 * callbacks run, newest first, when the arena is reset or freed: use them to
 * release resources (file handles, heap objects) tied to the arena's life.
 * One arena is never shared between threads without external locking.
 */
#ifndef FL_ARENA_H
#define FL_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct fl_arena fl_arena;

/* A new top-level arena; block_size 0 picks the default (64 KiB). NULL on OOM. */
fl_arena *fl_arena_new(size_t block_size);
/* A child arena, freed when the parent is reset or freed. NULL on OOM. */
fl_arena *fl_arena_new_child(fl_arena *parent, size_t block_size);
/* Frees the arena, its children and everything allocated in it. NULL is a no-op. */
void fl_arena_free(fl_arena *arena);
/* Runs callbacks, frees children and all but the first block; keeps capacity. */
void fl_arena_reset(fl_arena *arena);

void *fl_arena_alloc(fl_arena *arena, size_t size);   /* NULL on OOM */
void *fl_arena_calloc(fl_arena *arena, size_t size);  /* zeroed */
/* Grows an allocation made in this arena; the tail allocation grows in place. */
void *fl_arena_realloc(fl_arena *arena, void *ptr, size_t old_size, size_t new_size);
char *fl_arena_strdup(fl_arena *arena, const char *s);
char *fl_arena_strndup(fl_arena *arena, const char *s, size_t len);
void *fl_arena_memdup(fl_arena *arena, const void *p, size_t len);

/* Registers fn(arg) to run on reset/free. Returns 0 or FLOE_ENOMEM. */
int fl_arena_on_reset(fl_arena *arena, void (*fn)(void *arg), void *arg);

/* Bytes handed out since creation or the last reset (children excluded). */
size_t fl_arena_used(const fl_arena *arena);

#endif
