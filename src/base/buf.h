/*
 * buf.h: growable byte buffers and borrowed string views.
 *
 * fl_buf is heap-backed (fl_malloc) and caller-embedded: fl_buf_init /
 * fl_buf_dispose. Appends return 0 or FLOE_ENOMEM. The data is always kept
 * NUL-terminated past len when non-empty, so fl_buf_cstr is O(1).
 * fl_strv is a borrowed (pointer, length) view; it owns nothing.
 */
#ifndef FL_BUF_H
#define FL_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fl_strv {
    const char *ptr;
    uint32_t len;
} fl_strv;

static inline fl_strv fl_strv_make(const char *p, size_t len)
{
    fl_strv s = {p, (uint32_t)len};
    return s;
}
static inline fl_strv fl_strv_cstr(const char *p) { return fl_strv_make(p, strlen(p)); }
static inline bool fl_strv_eq(fl_strv a, fl_strv b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}
/* memcmp order, shorter first on a common prefix */
int fl_strv_cmp(fl_strv a, fl_strv b);
bool fl_strv_ieq(fl_strv a, fl_strv b);  /* ASCII case-insensitive */

typedef struct fl_buf {
    char *data;
    size_t len;
    size_t cap;
} fl_buf;

void fl_buf_init(fl_buf *b);
void fl_buf_dispose(fl_buf *b);
void fl_buf_reset(fl_buf *b);                       /* len = 0, keep capacity */
int fl_buf_reserve(fl_buf *b, size_t extra);        /* room for `extra` more bytes (+NUL) */
int fl_buf_append(fl_buf *b, const void *p, size_t len);
int fl_buf_append_byte(fl_buf *b, uint8_t c);
int fl_buf_append_str(fl_buf *b, const char *s);
int fl_buf_appendf(fl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fl_buf_append_u32le(fl_buf *b, uint32_t v);
int fl_buf_append_u64le(fl_buf *b, uint64_t v);
/* Appends `len` uninitialised bytes and returns a pointer to them (NULL on OOM). */
void *fl_buf_extend(fl_buf *b, size_t len);
const char *fl_buf_cstr(fl_buf *b);                 /* "" when empty */
/* Hands the heap block to the caller (free with fl_free); the buffer is emptied. */
char *fl_buf_detach(fl_buf *b, size_t *len);

/* Little-endian loads and stores that do not assume alignment. */
static inline uint16_t fl_load_u16le(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t fl_load_u32le(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t fl_load_u64le(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline void fl_store_u32le(void *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void fl_store_u64le(void *p, uint64_t v) { memcpy(p, &v, 8); }

#endif
