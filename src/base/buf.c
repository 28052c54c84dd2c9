/*
 * buf.c: growable buffers and string views (see buf.h).
 */
#include "buf.h"

#include <stdint.h>
#include "alloc.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int fl_strv_cmp(fl_strv a, fl_strv b)
{
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

bool fl_strv_ieq(fl_strv a, fl_strv b)
{
    if (a.len != b.len) return false;
    for (uint32_t i = 0; i < a.len; i++) {
        unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y) return false;
    }
    return true;
}

void fl_buf_init(fl_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void fl_buf_dispose(fl_buf *b)
{
    fl_free(b->data);
    fl_buf_init(b);
}

void fl_buf_reset(fl_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

int fl_buf_reserve(fl_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX - b->len) return FLOE_ENOMEM;   /* len + extra + 1 would wrap */
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = fl_realloc(b->data, cap);
    if (!p) return FLOE_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

void *fl_buf_extend(fl_buf *b, size_t len)
{
    if (fl_buf_reserve(b, len) < 0) return NULL;
    void *p = b->data + b->len;
    b->len += len;
    b->data[b->len] = 0;
    return p;
}

int fl_buf_append(fl_buf *b, const void *p, size_t len)
{
    if (fl_buf_reserve(b, len) < 0) return FLOE_ENOMEM;
    if (len) memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = 0;
    return 0;
}

int fl_buf_append_byte(fl_buf *b, uint8_t c) { return fl_buf_append(b, &c, 1); }
int fl_buf_append_str(fl_buf *b, const char *s) { return fl_buf_append(b, s, strlen(s)); }
int fl_buf_append_u32le(fl_buf *b, uint32_t v) { return fl_buf_append(b, &v, 4); }
int fl_buf_append_u64le(fl_buf *b, uint64_t v) { return fl_buf_append(b, &v, 8); }

int fl_buf_appendf(fl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return FLOE_EINVAL;
    if (fl_buf_reserve(b, (size_t)n) < 0) return FLOE_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

const char *fl_buf_cstr(fl_buf *b) { return b->data ? b->data : ""; }

char *fl_buf_detach(fl_buf *b, size_t *len)
{
    char *p = b->data;
    if (len) *len = b->len;
    fl_buf_init(b);
    return p;
}
