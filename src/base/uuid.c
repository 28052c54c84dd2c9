/*
 * uuid.c: UUID generation, parsing and formatting (see uuid.h).
 */
#include "uuid.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

static int fill_random(void *p, size_t len, fl_error *err)
{
    char *c = p;
    while (len > 0) {
        ssize_t n = getrandom(c, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fl_error_set(err, FLOE_EIO, "could not generate random bytes: %s", strerror(errno));
        }
        c += n;
        len -= (size_t)n;
    }
    return 0;
}

int fl_uuid_v4(fl_uuid *out, fl_error *err)
{
    int rc = fill_random(out->b, sizeof out->b, err);
    if (rc < 0) return rc;
    out->b[6] = (uint8_t)((out->b[6] & 0x0f) | 0x40);   /* version 4 */
    out->b[8] = (uint8_t)((out->b[8] & 0x3f) | 0x80);   /* variant 10 */
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int fl_uuid_parse(fl_uuid *out, const char *text, size_t len, fl_error *err)
{
    if (len != FL_UUID_TEXT_LEN) goto bad;
    int byte = 0;
    for (size_t i = 0; i < len;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-') goto bad;
            i++;
            continue;
        }
        int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) goto bad;
        out->b[byte++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return 0;
bad:
    return fl_error_set(err, FLOE_EINVAL, "invalid UUID \"%.*s\": expected 8-4-4-4-12 hex digits",
                        (int)(len > 64 ? 64 : len), text);
}

void fl_uuid_format(const fl_uuid *u, char out[FL_UUID_TEXT_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
        *p++ = hex[u->b[i] >> 4];
        *p++ = hex[u->b[i] & 15];
    }
    *p = 0;
}

int fl_uuid_cmp(const fl_uuid *a, const fl_uuid *b) { return memcmp(a->b, b->b, 16); }
