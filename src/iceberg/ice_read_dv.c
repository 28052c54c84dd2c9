/*
 * ice_read_dv.c: deleted-position sets and the v3 deletion vector format:
 * the "deletion-vector-v1" Puffin blob (Puffin spec: 4-byte big-endian
 * length of magic + bitmap, magic D1 D3 39 64, the bitmap, CRC-32 of magic
 * + bitmap big-endian) around a portable 64-bit Roaring bitmap (Roaring
 * format spec "64-bit extension", the layout Iceberg's
 * RoaringPositionBitmap writes: bucket count as 8-byte little-endian, then
 * per bucket a 4-byte little-endian key and a portable 32-bit bitmap).
 *
 * 32-bit portable bitmaps: a cookie (12346 without run containers, followed
 * by the container count; or 12347 in the low 16 bits with count - 1 in the
 * high 16, followed by a run-container bitset), per container a 16-bit key
 * and cardinality - 1, an offset table (always without runs, else only when
 * there are at least 4 containers), then the containers: run (count, then
 * start/length - 1 pairs), array (cardinality <= 4096 sorted 16-bit values)
 * or bitset (8192 bytes). Every length is checked against the input.
 */
#include "ice_read.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/crc32.h"

#define SERIAL_COOKIE_NO_RUN 12346u
#define SERIAL_COOKIE 12347u
#define NO_OFFSET_THRESHOLD 4u
#define MAX_POSITIONS ((size_t)1 << 34)

void ice_posset_dispose(ice_posset *s)
{
    fl_free(s->pos);
    memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void ice_posset_finish(ice_posset *s)
{
    if (s->len < 2) return;
    bool sorted = true;
    for (size_t i = 1; i < s->len && sorted; i++) sorted = s->pos[i - 1] < s->pos[i];
    if (sorted) return;
    qsort(s->pos, s->len, sizeof(uint64_t), cmp_u64);
    size_t n = 1;
    for (size_t i = 1; i < s->len; i++)
        if (s->pos[i] != s->pos[n - 1]) s->pos[n++] = s->pos[i];
    s->len = n;
}

bool ice_posset_contains(const ice_posset *s, uint64_t pos)
{
    size_t lo = 0, hi = s->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->pos[mid] < pos) lo = mid + 1;
        else hi = mid;
    }
    return lo < s->len && s->pos[lo] == pos;
}

static int posset_add(ice_posset *s, uint64_t pos, fl_error *err)
{
    if (s->len == s->cap) {
        if (s->cap >= MAX_POSITIONS)
            return fl_error_set(err, FLOE_ELIMIT, "too many deleted positions");
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *p = fl_realloc(s->pos, cap * sizeof(uint64_t));
        if (p == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        s->pos = p;
        s->cap = cap;
    }
    s->pos[s->len++] = pos;
    return 0;
}

typedef struct cursor {
    const uint8_t *p;
    size_t len, at;
    fl_error *err;
} cursor;

static int need(cursor *c, size_t n, const char *what)
{
    if (c->len - c->at < n)
        return fl_error_set(c->err, FLOE_ECORRUPT,
                            "roaring bitmap is truncated: %s needs %zu bytes at offset %zu, %zu left",
                            what, n, c->at, c->len - c->at);
    return 0;
}

static int decode32(ice_posset *out, cursor *c, uint64_t high)
{
    FL_TRY(need(c, 4, "cookie"));
    uint32_t cookie = fl_load_u32le(c->p + c->at);
    c->at += 4;
    uint32_t size;
    const uint8_t *run_bits = NULL;
    bool has_runs = (cookie & 0xFFFFu) == SERIAL_COOKIE;
    if (has_runs) {
        size = (cookie >> 16) + 1;
        size_t nbytes = (size + 7) / 8;
        FL_TRY(need(c, nbytes, "run container bitset"));
        run_bits = c->p + c->at;
        c->at += nbytes;
    } else if (cookie == SERIAL_COOKIE_NO_RUN) {
        FL_TRY(need(c, 4, "container count"));
        size = fl_load_u32le(c->p + c->at);
        c->at += 4;
        if (size > 65536)
            return fl_error_set(c->err, FLOE_ECORRUPT, "roaring bitmap has %u containers, more than 65536",
                                size);
    } else {
        return fl_error_set(c->err, FLOE_ECORRUPT, "roaring bitmap has an unknown cookie %u", cookie);
    }
    FL_TRY(need(c, (size_t)size * 4, "container headers"));
    const uint8_t *headers = c->p + c->at;
    c->at += (size_t)size * 4;
    if (!has_runs || size >= NO_OFFSET_THRESHOLD) {
        FL_TRY(need(c, (size_t)size * 4, "offset header"));
        c->at += (size_t)size * 4;
    }
    int prev_key = -1;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t key = fl_load_u16le(headers + 4 * i);
        uint32_t card = (uint32_t)fl_load_u16le(headers + 4 * i + 2) + 1;
        if ((int)key <= prev_key)
            return fl_error_set(c->err, FLOE_ECORRUPT, "roaring bitmap container keys are not increasing");
        prev_key = (int)key;
        uint64_t base = (high << 32) | ((uint64_t)key << 16);
        if (run_bits && ((run_bits[i / 8] >> (i % 8)) & 1)) {
            FL_TRY(need(c, 2, "run count"));
            uint32_t runs = fl_load_u16le(c->p + c->at);
            c->at += 2;
            FL_TRY(need(c, (size_t)runs * 4, "runs"));
            for (uint32_t r = 0; r < runs; r++) {
                uint32_t start = fl_load_u16le(c->p + c->at + 4 * r);
                uint32_t length = fl_load_u16le(c->p + c->at + 4 * r + 2);
                if (start + length > 0xFFFFu)
                    return fl_error_set(c->err, FLOE_ECORRUPT, "roaring run container run passes 65535");
                for (uint32_t v = start; v <= start + length; v++) FL_TRY(posset_add(out, base | v, c->err));
            }
            c->at += (size_t)runs * 4;
        } else if (card <= 4096) {
            FL_TRY(need(c, (size_t)card * 2, "array container"));
            for (uint32_t k = 0; k < card; k++)
                FL_TRY(posset_add(out, base | fl_load_u16le(c->p + c->at + 2 * k), c->err));
            c->at += (size_t)card * 2;
        } else {
            FL_TRY(need(c, 8192, "bitset container"));
            for (uint32_t w = 0; w < 1024; w++) {
                uint64_t word = fl_load_u64le(c->p + c->at + 8 * w);
                while (word) {
                    int bit = __builtin_ctzll(word);
                    FL_TRY(posset_add(out, base | (w * 64u + (uint32_t)bit), c->err));
                    word &= word - 1;
                }
            }
            c->at += 8192;
        }
    }
    return 0;
}

int ice_roaring64_decode(ice_posset *out, const uint8_t *p, size_t len, fl_error *err)
{
    cursor c = {p, len, 0, err};
    FL_TRY(need(&c, 8, "bitmap count"));
    uint64_t buckets = fl_load_u64le(p);
    c.at = 8;
    if (buckets > (len - 8) / 8)
        return fl_error_set(err, FLOE_ECORRUPT, "roaring64 bitmap count %llu does not fit in %zu bytes",
                            (unsigned long long)buckets, len);
    int64_t prev = -1;
    for (uint64_t b = 0; b < buckets; b++) {
        FL_TRY(need(&c, 4, "bitmap key"));
        uint32_t key = fl_load_u32le(p + c.at);
        c.at += 4;
        if (key > 0x7FFFFFFFu)
            return fl_error_set(err, FLOE_ECORRUPT, "invalid unsigned key %u in roaring64 bitmap (positions must be below 2^63)",
                                key);
        if ((int64_t)key <= prev)
            return fl_error_set(err, FLOE_ECORRUPT, "roaring64 bitmap keys are not increasing");
        prev = key;
        FL_TRY(decode32(out, &c, key));
    }
    if (c.at != len)
        return fl_error_set(err, FLOE_ECORRUPT, "roaring64 bitmap has %zu trailing bytes", len - c.at);
    ice_posset_finish(out);
    return 0;
}

static uint32_t load_u32be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int ice_dv_decode(ice_posset *out, const uint8_t *p, size_t len, fl_error *err)
{
    static const uint8_t magic[4] = {0xD1, 0xD3, 0x39, 0x64};
    if (len < 12)
        return fl_error_set(err, FLOE_ECORRUPT, "deletion vector blob of %zu bytes is too short", len);
    uint32_t body = load_u32be(p);
    if ((size_t)body != len - 8)
        return fl_error_set(err, FLOE_ECORRUPT,
                            "deletion vector length field %u does not match the blob size %zu (expected %zu)",
                            body, len, len - 8);
    if (memcmp(p + 4, magic, 4) != 0)
        return fl_error_set(err, FLOE_ECORRUPT, "deletion vector magic is %02x %02x %02x %02x, expected d1 d3 39 64",
                            p[4], p[5], p[6], p[7]);
    uint32_t crc = load_u32be(p + 4 + body);
    uint32_t actual = fl_crc32(0, p + 4, body);
    if (crc != actual)
        return fl_error_set(err, FLOE_ECORRUPT, "deletion vector checksum mismatch: stored %08x, computed %08x",
                            crc, actual);
    return ice_roaring64_decode(out, p + 8, body - 4, err);
}
