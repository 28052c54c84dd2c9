/*
 * murmur3.h: MurmurHash3 x86_32, the hash behind Iceberg's bucket transform
 * (spec appendix B: seed 0; ints and longs hashed as 8 little-endian bytes).
 * Results are identical to the reference (Austin Appleby's MurmurHash3.cpp)
 * and to Guava's murmur3_32 on every platform (blocks are read little-endian).
 */
#ifndef FL_MURMUR3_H
#define FL_MURMUR3_H

#include <stddef.h>
#include <stdint.h>

uint32_t fl_murmur3_32(const void *p, size_t len, uint32_t seed);

/* Iceberg's hashLong: murmur3_32 of the value's 8 little-endian bytes. */
static inline uint32_t fl_murmur3_32_i64(int64_t v, uint32_t seed)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    return fl_murmur3_32(b, 8, seed);
}

#endif
