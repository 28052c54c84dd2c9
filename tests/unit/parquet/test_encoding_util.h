/*
 * test_encoding_util.h: helpers shared by the Parquet encoding tests: a
 * seeded random generator (splitmix64), the value counts every round trip
 * covers, and exact-size heap copies so that AddressSanitizer catches any
 * read past a decoder's `len`.
 */
#ifndef TEST_ENCODING_UTIL_H
#define TEST_ENCODING_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t s;
} te_rng;

static inline uint64_t te_next(te_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* uniform in [0, 2^bits) */
static inline uint64_t te_bits(te_rng *r, int bits)
{
    if (bits == 0) return 0;
    return bits >= 64 ? te_next(r) : te_next(r) >> (64 - bits);
}

static const size_t te_counts[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

/* An exact-size heap copy of p[0..len) (len 0 gives a 1-byte block). */
static inline uint8_t *te_copy(const void *p, size_t len)
{
    uint8_t *c = malloc(len ? len : 1);
    if (len) memcpy(c, p, len);
    return c;
}

#endif
