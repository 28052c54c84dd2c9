/*
 * crc32.h: CRC-32 (IEEE 802.3, the zlib/gzip/Parquet page polynomial) and
 * CRC-32C (Castagnoli, used by Snappy framing).
 */
#ifndef FL_CRC32_H
#define FL_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* crc = fl_crc32(0, p, n); continue with the previous result. */
uint32_t fl_crc32(uint32_t crc, const void *p, size_t len);
uint32_t fl_crc32c(uint32_t crc, const void *p, size_t len);
/* The table-driven CRC-32C, bypassing the hardware path (tests, benchmarks). */
uint32_t fl_crc32c_portable(uint32_t crc, const void *p, size_t len);

#endif
