/*
 * test_scan_dv.c: deletion vectors and the portable 64-bit Roaring format
 * (ice_read_dv.c) against the Java golden payloads and the Roaring format
 * spec's test data in fixtures/iceberg/_unit, plus corruption sweeps.
 */
#include <stdlib.h>
#include <string.h>

#include "../test.h"
#include "../../../src/base/buf.h"
#include "../../../src/iceberg/ice_read.h"

static bool load(fl_buf *out, const char *rel)
{
    io_fs *fs = io_local_new();
    fl_error err;
    fl_buf_init(out);
    int rc = io_read_file(fs, ft_shared(rel), out, &err);
    io_fs_free(fs);
    return CHECK_OK(rc, &err);
}

static void check_dv(const char *name, const uint64_t *want, size_t n)
{
    fl_buf b;
    char rel[256];
    snprintf(rel, sizeof(rel), "fixtures/iceberg/_unit/deletion_vector_payloads/%s", name);
    if (!load(&b, rel)) return;
    ice_posset s = {0};
    fl_error err;
    if (CHECK_OK(ice_dv_decode(&s, (const uint8_t *)b.data, b.len, &err), &err)) {
        CHECK_EQ(s.len, n);
        for (size_t i = 0; i < n && i < s.len; i++) CHECK_EQ(s.pos[i], want[i]);
        for (size_t i = 0; i < n; i++) CHECK(ice_posset_contains(&s, want[i]));
    }
    ice_posset_dispose(&s);
    fl_buf_dispose(&b);
}

TEST(scan_dv_java_golden_payloads)
{
    check_dv("empty-position-index.bin", NULL, 0);
    static const uint64_t alt[] = {1, 3, 5, 7, 9};
    check_dv("small-alternating-values-position-index.bin", alt, 5);
    static const uint64_t sl[] = {100, 101, 2147483747ull, 2147483748ull};
    check_dv("small-and-large-values-position-index.bin", sl, 4);
}

TEST(scan_dv_all_container_types)
{
    fl_buf b;
    if (!load(&b, "fixtures/iceberg/_unit/deletion_vector_payloads/all-container-types-position-index.bin")) return;
    ice_posset s = {0};
    fl_error err;
    if (CHECK_OK(ice_dv_decode(&s, (const uint8_t *)b.data, b.len, &err), &err)) {
        /* sorted, distinct, in two high keys (below and at 2^32) */
        bool sorted = true, low = false, high = false;
        for (size_t i = 1; i < s.len; i++) sorted &= s.pos[i - 1] < s.pos[i];
        for (size_t i = 0; i < s.len; i++) {
            low |= s.pos[i] < (1ull << 32);
            high |= s.pos[i] >= (1ull << 32);
        }
        CHECK(sorted);
        CHECK(low && high);
        CHECK(s.len > 4096);   /* a bitset container holds more than an array can */
    }
    ice_posset_dispose(&s);
    fl_buf_dispose(&b);
}

TEST(scan_roaring64_maps)
{
    fl_buf b;
    fl_error err;
    ice_posset s = {0};
    if (load(&b, "fixtures/iceberg/_unit/deletion_vector_payloads/64mapempty.bin")) {
        CHECK_OK(ice_roaring64_decode(&s, (const uint8_t *)b.data, b.len, &err), &err);
        CHECK_EQ(s.len, 0);
        fl_buf_dispose(&b);
    }
    ice_posset_dispose(&s);
    if (load(&b, "fixtures/iceberg/_unit/deletion_vector_payloads/64map32bitvals.bin")) {
        CHECK_OK(ice_roaring64_decode(&s, (const uint8_t *)b.data, b.len, &err), &err);
        CHECK(s.len > 0);
        for (size_t i = 0; i < s.len; i++) CHECK(s.pos[i] < (1ull << 32));
        fl_buf_dispose(&b);
    }
    ice_posset_dispose(&s);
    if (load(&b, "fixtures/iceberg/_unit/deletion_vector_payloads/64mapspreadvals.bin")) {
        CHECK_OK(ice_roaring64_decode(&s, (const uint8_t *)b.data, b.len, &err), &err);
        CHECK(s.len > 0 && s.pos[s.len - 1] >= (1ull << 32));
        fl_buf_dispose(&b);
    }
    ice_posset_dispose(&s);
    /* Java rejects keys with the sign bit set ("Invalid unsigned key") */
    if (load(&b, "fixtures/iceberg/_unit/deletion_vector_payloads/64maphighvals.bin")) {
        CHECK_EQ(ice_roaring64_decode(&s, (const uint8_t *)b.data, b.len, &err), FLOE_ECORRUPT);
        CHECK(strstr(err.message, "invalid unsigned key") != NULL);
        fl_buf_dispose(&b);
    }
    ice_posset_dispose(&s);
}

TEST(scan_roaring64_format_spec_bitmap)
{
    /* odd... even values of [0, 2^16), [2^32, 2^32 + 1e6), 2^48: bitset,
     * run and array containers */
    fl_buf b;
    if (!load(&b, "fixtures/iceberg/_unit/roaring64_official/bitmap64.bin")) return;
    ice_posset s = {0};
    fl_error err;
    if (CHECK_OK(ice_roaring64_decode(&s, (const uint8_t *)b.data, b.len, &err), &err)) {
        CHECK_EQ(s.len, 32768 + 1000000 + 1);
        CHECK(ice_posset_contains(&s, 0));
        CHECK(ice_posset_contains(&s, 65534));
        CHECK(!ice_posset_contains(&s, 65533));
        CHECK(ice_posset_contains(&s, 1ull << 32));
        CHECK(ice_posset_contains(&s, (1ull << 32) + 999999));
        CHECK(!ice_posset_contains(&s, (1ull << 32) + 1000000));
        CHECK(ice_posset_contains(&s, 1ull << 48));
    }
    ice_posset_dispose(&s);
    fl_buf_dispose(&b);
}

TEST(scan_dv_corruption_is_an_error)
{
    fl_buf b;
    if (!load(&b, "fixtures/iceberg/_unit/deletion_vector_payloads/small-and-large-values-position-index.bin")) return;
    fl_error err;
    ice_posset s = {0};
    uint8_t *copy = malloc(b.len);
    /* every truncation fails cleanly */
    for (size_t n = 0; n < b.len; n++) {
        memcpy(copy, b.data, n);
        CHECK(ice_dv_decode(&s, copy, n, &err) < 0);
        s.len = 0;
    }
    /* every single bit flip is caught (length, magic or CRC) */
    size_t caught = 0;
    for (size_t i = 0; i < b.len * 8; i++) {
        memcpy(copy, b.data, b.len);
        copy[i / 8] ^= (uint8_t)(1u << (i % 8));
        caught += ice_dv_decode(&s, copy, b.len, &err) < 0;
        s.len = 0;
    }
    CHECK_EQ(caught, b.len * 8);
    memcpy(copy, b.data, b.len);
    copy[b.len - 1] ^= 1;
    CHECK_EQ(ice_dv_decode(&s, copy, b.len, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "checksum") != NULL);
    memcpy(copy, b.data, b.len);
    copy[4] = 0;
    CHECK_EQ(ice_dv_decode(&s, copy, b.len, &err), FLOE_ECORRUPT);
    CHECK(strstr(err.message, "magic") != NULL);
    free(copy);
    ice_posset_dispose(&s);
    fl_buf_dispose(&b);
}

TEST(scan_posset_sorts_and_dedups)
{
    ice_posset s = {0};
    s.cap = 8;
    s.pos = malloc(8 * sizeof(uint64_t));
    uint64_t in[] = {9, 3, 3, 7, 1, 9};
    memcpy(s.pos, in, sizeof(in));
    s.len = 6;
    ice_posset_finish(&s);
    CHECK_EQ(s.len, 4);
    CHECK(s.pos[0] == 1 && s.pos[1] == 3 && s.pos[2] == 7 && s.pos[3] == 9);
    CHECK(ice_posset_contains(&s, 7));
    CHECK(!ice_posset_contains(&s, 8));
    CHECK(!ice_posset_contains(&s, 10));
    free(s.pos);
}
