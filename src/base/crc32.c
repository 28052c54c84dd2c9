/*
 * crc32.c: CRC-32 (IEEE) and CRC-32C (Castagnoli) checksums (see crc32.h).
 *
 * CRC-32 delegates to zlib's crc32_z, which is already table-driven (and
 * braided in recent versions); there is no point in a second copy.
 * CRC-32C uses the SSE4.2 crc32 instruction when the CPU has it (8 bytes per
 * instruction) and otherwise slicing-by-8 tables (8 bytes per step, 8 table
 * lookups). Both follow zlib's convention: the running value is the finished
 * CRC of the bytes so far, so crc = f(0, p, n) starts and f(crc, q, m)
 * continues. Tables are built once, on first use, under pthread_once.
 */
#include "crc32.h"

#include <pthread.h>
#include <string.h>
#include <zlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define HAVE_X86_CRC 1
#endif

uint32_t fl_crc32(uint32_t crc, const void *p, size_t len)
{
    if (len == 0) return crc;
    return (uint32_t)crc32_z(crc, (const Bytef *)p, (z_size_t)len);
}

/* ---- CRC-32C ---- */

#define CASTAGNOLI_REFLECTED 0x82F63B78u

static uint32_t table[8][256];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static uint32_t (*crc32c_impl)(uint32_t crc, const unsigned char *p, size_t len);

static uint32_t crc32c_soft(uint32_t crc, const unsigned char *p, size_t len)
{
    crc = ~crc;
    while (len > 0 && ((uintptr_t)p & 7)) {
        crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        len--;
    }
    while (len >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v);
#endif
        uint32_t lo = (uint32_t)v ^ crc, hi = (uint32_t)(v >> 32);
        crc = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^
              table[4][lo >> 24] ^ table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^
              table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
        p += 8;
        len -= 8;
    }
    while (len-- > 0) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#ifdef HAVE_X86_CRC
__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t crc, const unsigned char *p,
                                                            size_t len)
{
    crc = ~crc;
    while (len > 0 && ((uintptr_t)p & 7)) {
        crc = _mm_crc32_u8(crc, *p++);
        len--;
    }
#if defined(__x86_64__)
    uint64_t c64 = crc;
    while (len >= 32) {
        uint64_t a, b, c, d;
        memcpy(&a, p, 8);
        memcpy(&b, p + 8, 8);
        memcpy(&c, p + 16, 8);
        memcpy(&d, p + 24, 8);
        c64 = _mm_crc32_u64(c64, a);
        c64 = _mm_crc32_u64(c64, b);
        c64 = _mm_crc32_u64(c64, c);
        c64 = _mm_crc32_u64(c64, d);
        p += 32;
        len -= 32;
    }
    while (len >= 8) {
        uint64_t a;
        memcpy(&a, p, 8);
        c64 = _mm_crc32_u64(c64, a);
        p += 8;
        len -= 8;
    }
    crc = (uint32_t)c64;
#else
    while (len >= 4) {
        uint32_t a;
        memcpy(&a, p, 4);
        crc = _mm_crc32_u32(crc, a);
        p += 4;
        len -= 4;
    }
#endif
    while (len-- > 0) crc = _mm_crc32_u8(crc, *p++);
    return ~crc;
}
#endif

static void init_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (CASTAGNOLI_REFLECTED & (0u - (c & 1)));
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int s = 1; s < 8; s++) table[s][i] = (table[s - 1][i] >> 8) ^ table[0][table[s - 1][i] & 0xff];
    crc32c_impl = crc32c_soft;
#ifdef HAVE_X86_CRC
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) crc32c_impl = crc32c_hw;
#endif
}

uint32_t fl_crc32c(uint32_t crc, const void *p, size_t len)
{
    pthread_once(&init_once, init_tables);
    return crc32c_impl(crc, (const unsigned char *)p, len);
}

uint32_t fl_crc32c_portable(uint32_t crc, const void *p, size_t len)
{
    pthread_once(&init_once, init_tables);
    return crc32c_soft(crc, (const unsigned char *)p, len);
}
