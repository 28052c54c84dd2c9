/*
 * ice_metadata_io.c: reading table metadata files: gzip (spec Appendix C,
 * "A metadata JSON file may be compressed with GZIP") and zstd inflation,
 * detected by their magic bytes, and the read-through-FileIO entry point.
 * Inflated sizes are capped so a small hostile file cannot exhaust memory.
 *
 * The parsed-document cache: every query loads its tables' metadata (the
 * binder to learn the schema, each scan again to plan), and parsing the
 * JSON is most of a small query's fixed cost. Metadata files are written
 * once and never changed (new versions get new names), but a location can
 * still come back with other bytes (a test warehouse deleted and made
 * again), so a cached document is handed out only when the file just read
 * has the same location and the same bytes; reading the file stays. The
 * cache is process-wide, like an allocator's free lists (documents do not
 * depend on the catalog or FileIO they came through), bounded (64 files
 * under 4 MiB each, least recently used evicted) and guarded by one mutex;
 * a cached document is shared read-only and freed with its last user.
 */
#include "ice_metadata.h"

#include <pthread.h>
#include <zlib.h>
#include <zstd.h>

#include "../base/alloc.h"
#include "../base/buf.h"

/* Far above any real metadata file (Java writes a few MB at most). */
#define MAX_INFLATED (UINT64_C(1) << 30)

static int gunzip(fl_buf *out, const uint8_t *p, size_t len, fl_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    int rc = 0, zrc = Z_OK;
    while (zrc != Z_STREAM_END) {
        if (out->len >= MAX_INFLATED) {
            rc = fl_error_set(err, FLOE_ELIMIT, "gzip-compressed metadata inflates to more than 1 GiB");
            break;
        }
        if (fl_buf_reserve(out, 65536) < 0) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            break;
        }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)(out->cap - out->len - 1);
        size_t before = zs.avail_out;
        zrc = inflate(&zs, Z_NO_FLUSH);
        out->len += before - zs.avail_out;
        if (zrc == Z_STREAM_END) break;
        if (zrc != Z_OK || (zs.avail_in == 0 && before == zs.avail_out)) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid gzip-compressed metadata: %s",
                              zs.msg ? zs.msg : "truncated stream");
            break;
        }
    }
    inflateEnd(&zs);
    if (out->data) out->data[out->len] = '\0';
    return rc;
}

static int unzstd(fl_buf *out, const uint8_t *p, size_t len, fl_error *err)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    if (ds == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    ZSTD_inBuffer in = {p, len, 0};
    int rc = 0;
    size_t zrc = 1;
    while (zrc != 0) {
        if (out->len >= MAX_INFLATED) {
            rc = fl_error_set(err, FLOE_ELIMIT, "zstd-compressed metadata inflates to more than 1 GiB");
            break;
        }
        if (fl_buf_reserve(out, 65536) < 0) {
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
            break;
        }
        ZSTD_outBuffer ob = {out->data + out->len, out->cap - out->len - 1, 0};
        zrc = ZSTD_decompressStream(ds, &ob, &in);
        out->len += ob.pos;
        if (ZSTD_isError(zrc)) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd-compressed metadata: %s", ZSTD_getErrorName(zrc));
            break;
        }
        if (zrc != 0 && in.pos == in.size && ob.pos == 0) {
            rc = fl_error_set(err, FLOE_ECORRUPT, "invalid zstd-compressed metadata: truncated stream");
            break;
        }
    }
    ZSTD_freeDStream(ds);
    if (out->data) out->data[out->len] = '\0';
    return rc;
}

int ice_metadata_decompress(fl_buf *out, const void *data, size_t len, fl_error *err)
{
    const uint8_t *p = data;
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) return gunzip(out, p, len, err);
    if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) return unzstd(out, p, len, err);
    if (fl_buf_append(out, data, len) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

#define CACHE_SLOTS 64
#define CACHE_MAX_BYTES ((size_t)4 << 20)

typedef struct cache_slot {
    char *location;
    uint8_t *raw;                 /* the file's bytes */
    size_t raw_len;
    ice_metadata *md;             /* holds one reference */
    uint64_t used;                /* last use, for eviction */
} cache_slot;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_slot cache[CACHE_SLOTS];
static uint64_t cache_clock;

static void md_destroy(ice_metadata *md)
{
    fl_arena_free(md->arena);
    fl_free(md);
}

/* Drops one reference under the lock; true when it was the last. */
static bool unref_locked(ice_metadata *md) { return --md->cache_refs == 0; }

static void slot_clear_locked(cache_slot *c, ice_metadata **to_free)
{
    fl_free(c->location);
    fl_free(c->raw);
    *to_free = c->md && unref_locked(c->md) ? c->md : NULL;
    memset(c, 0, sizeof *c);
}

static ice_metadata *cache_get(const char *location, const fl_buf *raw)
{
    if (raw->len == 0) return NULL;
    ice_metadata *md = NULL;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        cache_slot *c = &cache[i];
        if (c->md && c->raw_len == raw->len && strcmp(c->location, location) == 0 &&
            memcmp(c->raw, raw->data, raw->len) == 0) {
            c->used = ++cache_clock;
            c->md->cache_refs++;
            md = c->md;
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return md;
}

/* Puts md (just parsed from raw, not yet shared) into the cache; on any
 * failure md simply stays private. */
static void cache_put(const char *location, const fl_buf *raw, ice_metadata *md)
{
    if (raw->len == 0 || raw->len > CACHE_MAX_BYTES) return;
    char *loc = fl_strdup(location);
    uint8_t *bytes = fl_malloc(raw->len);
    if (!loc || !bytes) {
        fl_free(loc);
        fl_free(bytes);
        return;
    }
    memcpy(bytes, raw->data, raw->len);
    ice_metadata *evicted = NULL;
    pthread_mutex_lock(&cache_lock);
    cache_slot *victim = &cache[0];
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (!cache[i].md) {
            victim = &cache[i];
            break;
        }
        if (cache[i].used < victim->used) victim = &cache[i];
    }
    slot_clear_locked(victim, &evicted);
    md->cached = true;
    md->cache_refs = 2;                /* the caller's and the cache's */
    victim->location = loc;
    victim->raw = bytes;
    victim->raw_len = raw->len;
    victim->md = md;
    victim->used = ++cache_clock;
    pthread_mutex_unlock(&cache_lock);
    if (evicted) md_destroy(evicted);
}

void ice_metadata_cache_clear(void)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        ice_metadata *to_free = NULL;
        pthread_mutex_lock(&cache_lock);
        slot_clear_locked(&cache[i], &to_free);
        pthread_mutex_unlock(&cache_lock);
        if (to_free) md_destroy(to_free);
    }
}

void ice_metadata_free(ice_metadata *md)
{
    if (md == NULL) return;
    if (md->cached) {
        pthread_mutex_lock(&cache_lock);
        bool last = unref_locked(md);
        pthread_mutex_unlock(&cache_lock);
        if (!last) return;
    }
    md_destroy(md);
}

int ice_metadata_read(ice_metadata **out, io_fs *fs, const char *location, fl_error *err)
{
    fl_buf raw;
    fl_buf_init(&raw);
    int rc = io_read_file(fs, location, &raw, err);
    if (rc == 0) {
        ice_metadata *md = cache_get(location, &raw);
        if (md) {
            *out = md;
        } else {
            rc = ice_metadata_parse(&md, raw.data ? raw.data : "", raw.len, err);
            if (rc == 0) {
                cache_put(location, &raw, md);
                *out = md;
            }
        }
    }
    fl_buf_dispose(&raw);
    if (rc < 0) fl_error_prefix(err, "could not read table metadata \"%s\": ", location);
    return rc;
}
