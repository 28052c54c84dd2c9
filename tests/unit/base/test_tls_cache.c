/*
 * test_tls_cache.c: per-thread cached state (src/base/tls_cache.h): one
 * zeroed block per thread, released at thread exit with the owner's
 * pointer cleared, out-of-memory reported; and the zlib allocator hooks.
 */
#include "../test.h"

#include <pthread.h>
#include <stdatomic.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/tls_cache.h"

typedef struct counter_state {
    int uses;
    long pad[3];
} counter_state;

static atomic_int released;
static atomic_int released_uses;

static void counter_release(void *arg)
{
    counter_state *s = arg;
    atomic_fetch_add(&released, 1);
    atomic_fetch_add(&released_uses, s->uses);
}

static fl_tls_cache counter_cache = FL_TLS_CACHE_INIT(sizeof(counter_state), counter_release, "test state");
static _Thread_local void *tl_counter;

typedef struct thread_result {
    void *first, *second;
    int uses;
    bool aligned, slot_set;
} thread_result;

static void *thread_main(void *arg)
{
    thread_result *r = arg;
    fl_error err;
    fl_error_clear(&err);
    counter_state *a = fl_tls_cache_get(&counter_cache, &tl_counter, &err);
    if (!a) return NULL;
    r->uses = a->uses;   /* zeroed on creation */
    a->uses += 3;
    counter_state *b = fl_tls_cache_get(&counter_cache, &tl_counter, &err);
    r->first = a;
    r->second = b;
    r->aligned = ((uintptr_t)a & (_Alignof(max_align_t) - 1)) == 0;
    r->slot_set = tl_counter == a;
    return NULL;
}

TEST(tls_cache_one_state_per_thread_released_at_exit)
{
    atomic_store(&released, 0);
    atomic_store(&released_uses, 0);
    thread_result res[3] = {{0}};
    pthread_t th[3];
    for (int i = 0; i < 3; i++) CHECK_EQ(pthread_create(&th[i], NULL, thread_main, &res[i]), 0);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) {
        CHECK(res[i].first != NULL);
        CHECK(res[i].first == res[i].second);
        CHECK_EQ(res[i].uses, 0);
        CHECK(res[i].aligned);
        CHECK(res[i].slot_set);
    }
    CHECK_EQ(atomic_load(&released), 3);
    CHECK_EQ(atomic_load(&released_uses), 9);
}

TEST(tls_cache_out_of_memory)
{
    fl_alloc_fail_after(0);
    fl_error err;
    fl_error_clear(&err);
    /* the calling thread: no state yet in a fresh cache */
    static fl_tls_cache fresh = FL_TLS_CACHE_INIT(64, NULL, "fresh state");
    static _Thread_local void *tl_fresh;
    void *p = fl_tls_cache_get(&fresh, &tl_fresh, &err);
    fl_alloc_fail_after(-1);
    CHECK(p == NULL);
    CHECK(tl_fresh == NULL);
    CHECK_EQ(err.code, FLOE_ENOMEM);
    CHECK_STR(err.message, "out of memory creating fresh state");
    p = fl_tls_cache_get(&fresh, &tl_fresh, &err);
    CHECK(p != NULL);
    CHECK(tl_fresh == p);
}

TEST(tls_cache_zlib_hooks_zero_and_free)
{
    unsigned char *p = fl_zlib_alloc(NULL, 4, 8);
    CHECK(p != NULL);
    int zero = 1;
    for (int i = 0; i < 32; i++) zero &= p[i] == 0;
    CHECK(zero);
    fl_zlib_free(NULL, p);
}
