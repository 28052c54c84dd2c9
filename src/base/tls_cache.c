/*
 * tls_cache.c: lazily created per-thread state freed by a pthread key
 * destructor at thread exit (see tls_cache.h).
 *
 * Each thread's block is a header (which cache it belongs to and the
 * address of the owner's _Thread_local pointer in that thread) followed by
 * the zeroed state. The key is created once per cache under its mutex; that
 * path runs only on a thread's first use.
 */
#include "tls_cache.h"

#include <stdbool.h>

#include "alloc.h"

typedef union tls_header {
    struct {
        fl_tls_cache *cache;
        void **slot;
    } h;
    max_align_t align;   /* keeps the state after the header suitably aligned */
} tls_header;

static void tls_destroy(void *arg)
{
    tls_header *hdr = arg;
    if (!hdr) return;
    void *state = hdr + 1;
    if (hdr->h.cache->release) hdr->h.cache->release(state);
    *hdr->h.slot = NULL;   /* runs in the exiting thread: no later use sees freed state */
    fl_free(hdr);
}

static bool key_ready(fl_tls_cache *cache)
{
    pthread_mutex_lock(&cache->lock);
    if (cache->key_state == 0)
        cache->key_state = pthread_key_create(&cache->key, tls_destroy) == 0 ? 1 : -1;
    bool ok = cache->key_state == 1;
    pthread_mutex_unlock(&cache->lock);
    return ok;
}

void *fl_tls_cache_get(fl_tls_cache *cache, void **slot, fl_error *err)
{
    if (*slot) return *slot;
    tls_header *hdr = fl_calloc(1, sizeof *hdr + cache->size);
    if (!hdr || !key_ready(cache) || pthread_setspecific(cache->key, hdr) != 0) {
        fl_free(hdr);
        fl_error_set(err, FLOE_ENOMEM, "out of memory creating %s", cache->what);
        return NULL;
    }
    hdr->h.cache = cache;
    hdr->h.slot = slot;
    *slot = hdr + 1;
    return *slot;
}

void *fl_zlib_alloc(void *opaque, unsigned items, unsigned size)
{
    (void)opaque;
    return fl_calloc(items, size);
}

void fl_zlib_free(void *opaque, void *ptr)
{
    (void)opaque;
    fl_free(ptr);
}
