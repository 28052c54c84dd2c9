/*
 * uuid.h: 128-bit UUIDs (RFC 9562): random version 4, canonical text.
 *
 * Bytes are in network (big-endian) order, as Iceberg stores and hashes
 * them: "f79c3e09-677c-..." is bytes f7 9c 3e 09 67 7c ...
 */
#ifndef FL_UUID_H
#define FL_UUID_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct fl_uuid {
    uint8_t b[16];
} fl_uuid;

#define FL_UUID_TEXT_LEN 36   /* without the NUL */

/* A random version-4 UUID from the kernel's CSPRNG (getrandom). */
int fl_uuid_v4(fl_uuid *out, fl_error *err);
/* Parses the canonical 8-4-4-4-12 hex form (either case); anything else is
 * FLOE_EINVAL. */
int fl_uuid_parse(fl_uuid *out, const char *text, size_t len, fl_error *err);
/* Writes 36 lowercase characters and a NUL to out. */
void fl_uuid_format(const fl_uuid *u, char out[FL_UUID_TEXT_LEN + 1]);
int fl_uuid_cmp(const fl_uuid *a, const fl_uuid *b);   /* byte order */

#endif
