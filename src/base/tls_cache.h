/*
 * tls_cache.h: lazily created per-thread state, freed at thread exit.
 *
 * For state that is costly to set up and used on a hot path (codec
 * contexts, for instance): each thread gets its own zeroed block of `size`
 * bytes on first use, and a pthread key destructor calls `release` on it
 * (then frees it) when the thread exits. The caller keeps a _Thread_local
 * pointer as the fast path and passes its address, which is cleared at
 * thread exit so no later use in that thread sees freed state:
 *
 *     static void release(void *state) { ... free what state holds ... }
 *     static fl_tls_cache cache = FL_TLS_CACHE_INIT(sizeof(my_state), release, "my state");
 *     static _Thread_local void *tl_state;
 *     my_state *s = tl_state ? tl_state : fl_tls_cache_get(&cache, &tl_state, err);
 *
 * Also here: allocator callbacks with zlib's (opaque, items, size) shape
 * that allocate through fl_calloc/fl_free.
 */
#ifndef FL_TLS_CACHE_H
#define FL_TLS_CACHE_H

#include <pthread.h>
#include <stddef.h>

#include "error.h"

typedef struct fl_tls_cache {
    size_t size;                     /* bytes of per-thread state, zeroed on creation */
    void (*release)(void *state);    /* frees what the state holds, not the block itself */
    const char *what;                /* names the state in the out-of-memory message */
    /* private, set on first use */
    pthread_mutex_t lock;
    pthread_key_t key;
    int key_state;                   /* 0 not yet created, 1 created, -1 creation failed */
} fl_tls_cache;

#define FL_TLS_CACHE_INIT(state_size, release_fn, what_text) \
    { .size = (state_size), .release = (release_fn), .what = (what_text), \
      .lock = PTHREAD_MUTEX_INITIALIZER }

/* The calling thread's state, creating it on first use and storing it in
 * *slot (the caller's _Thread_local pointer). NULL with FLOE_ENOMEM
 * ("out of memory creating <what>") if it cannot be created. */
void *fl_tls_cache_get(fl_tls_cache *cache, void **slot, fl_error *err);

/* zlib-style allocator callbacks (z_stream.zalloc / zfree) on fl_calloc/fl_free. */
void *fl_zlib_alloc(void *opaque, unsigned items, unsigned size);
void fl_zlib_free(void *opaque, void *ptr);

#endif
