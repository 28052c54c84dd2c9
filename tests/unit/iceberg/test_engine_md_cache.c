/*
 * test_engine_md_cache.c: ice_metadata_read's parsed-document cache
 * (ice_metadata_io.c): a file read again with the same bytes hands out the
 * same shared document, which lives until its last user frees it (cache
 * cleared or not); a location rewritten with other bytes is parsed anew;
 * errors are not cached.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/error.h"
#include "../../../src/iceberg/ice_metadata.h"
#include "../../../src/io/io.h"

static int write_md(io_fs *fs, const char *loc, const char *location_field, fl_error *err)
{
    char doc[2048];
    int n = snprintf(doc, sizeof doc,
                     "{\"format-version\": 2, \"table-uuid\": \"9c12d441-03fe-4693-9a96-a0705ddf69c1\", "
                     "\"location\": \"%s\", \"last-sequence-number\": 0, "
                     "\"last-updated-ms\": 1602638573590, \"last-column-id\": 1, "
                     "\"current-schema-id\": 0, \"schemas\": [{\"type\": \"struct\", \"schema-id\": 0, "
                     "\"fields\": [{\"id\": 1, \"name\": \"x\", \"required\": true, \"type\": \"long\"}]}], "
                     "\"default-spec-id\": 0, \"partition-specs\": [{\"spec-id\": 0, \"fields\": []}], "
                     "\"last-partition-id\": 999, \"default-sort-order-id\": 0, "
                     "\"sort-orders\": [{\"order-id\": 0, \"fields\": []}]}",
                     location_field);
    return io_write_file(fs, loc, 0, doc, (size_t)n, err);
}

TEST(engine_metadata_cache_shares_and_validates)
{
    fl_error err;
    fl_error_clear(&err);
    io_fs *fs = io_memory_new();
    if (!CHECK(fs)) return;
    const char *loc = "mem://wh/t/metadata/00000-a.metadata.json";
    ice_metadata *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    CHECK_OK(write_md(fs, loc, "mem://wh/t", &err), &err);
    CHECK_OK(ice_metadata_read(&a, fs, loc, &err), &err);
    CHECK_OK(ice_metadata_read(&b, fs, loc, &err), &err);
    if (!CHECK(a && b)) goto done;
    CHECK(a == b);                       /* the same bytes: one shared document */
    CHECK_STR(a->location, "mem://wh/t");
    ice_metadata_free(a);                /* b still holds it */
    CHECK_STR(b->location, "mem://wh/t");
    a = NULL;

    /* the same location with other bytes: parsed anew, the old one kept for b */
    CHECK_OK(write_md(fs, loc, "mem://wh/t2", &err), &err);
    CHECK_OK(ice_metadata_read(&c, fs, loc, &err), &err);
    if (!CHECK(c)) goto done;
    CHECK(c != b);
    CHECK_STR(c->location, "mem://wh/t2");
    CHECK_STR(b->location, "mem://wh/t");

    /* clearing the cache leaves documents in use alive */
    ice_metadata_cache_clear();
    CHECK_STR(c->location, "mem://wh/t2");
    CHECK_OK(ice_metadata_read(&d, fs, loc, &err), &err);
    if (!CHECK(d)) goto done;
    CHECK(d != c);                       /* not cached any more: a fresh parse */
    CHECK_STR(d->location, "mem://wh/t2");

    /* a missing file or a broken document is an error every time */
    ice_metadata *e = NULL;
    CHECK(ice_metadata_read(&e, fs, "mem://wh/t/metadata/missing.json", &err) < 0);
    CHECK_OK(io_write_file(fs, "mem://wh/t/metadata/bad.json", 0, "{\"format-version\": 2}", 21, &err),
             &err);
    CHECK(ice_metadata_read(&e, fs, "mem://wh/t/metadata/bad.json", &err) < 0);
    CHECK(ice_metadata_read(&e, fs, "mem://wh/t/metadata/bad.json", &err) < 0);
    CHECK(e == NULL);
done:
    ice_metadata_free(a);
    ice_metadata_free(b);
    ice_metadata_free(c);
    ice_metadata_free(d);
    io_fs_free(fs);
}

TEST(engine_metadata_cache_eviction)
{
    /* more files than the cache holds: all readable, all correct */
    fl_error err;
    fl_error_clear(&err);
    io_fs *fs = io_memory_new();
    if (!CHECK(fs)) return;
    ice_metadata *keep[80] = {0};
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 80; i++) {
            char loc[128], tl[64];
            snprintf(loc, sizeof loc, "mem://wh/t%d/metadata/00000-a.metadata.json", i);
            snprintf(tl, sizeof tl, "mem://wh/t%d", i);
            if (round == 0) CHECK_OK(write_md(fs, loc, tl, &err), &err);
            ice_metadata *md = NULL;
            CHECK_OK(ice_metadata_read(&md, fs, loc, &err), &err);
            if (!CHECK(md)) continue;
            CHECK_STR(md->location, tl);
            if (round == 0) keep[i] = md;
            else ice_metadata_free(md);
        }
    }
    for (int i = 0; i < 80; i++) {
        char tl[64];
        snprintf(tl, sizeof tl, "mem://wh/t%d", i);
        if (keep[i]) CHECK_STR(keep[i]->location, tl);
        ice_metadata_free(keep[i]);
    }
    ice_metadata_cache_clear();
    io_fs_free(fs);
}
