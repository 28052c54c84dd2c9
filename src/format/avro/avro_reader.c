/*
 * avro_reader.c: reads Avro object container files block by block.
 *
 * Layout (Avro specification, "Object Container Files"): the magic "Obj" 1,
 * a map<bytes> of metadata ("avro.schema", "avro.codec", and for Iceberg
 * "schema", "partition-spec", "format-version", "content" ...), a 16-byte
 * sync marker; then blocks of (datum count, byte size, data, sync marker).
 *
 * The header is read with a growing prefix read (64 KiB first, doubled while
 * the metadata runs past it, up to max_header_size). The prefix is kept:
 * blocks inside it (all of a typical manifest) cost no further reads, which
 * matters on object storage. Then one block at a time is read, its sync marker checked, and it is decompressed into a
 * buffer that datums are decoded from; memory stays bounded by the largest
 * block. Counts and sizes are checked against the file size and the limits
 * before any read or allocation. A block must be consumed exactly by its
 * datums: leftover bytes mean the schema does not describe the data.
 *
 * The schema comes from avro_schema_parse_cached: manifests of one table
 * carry the same schema text, so it is parsed once per process, not once
 * per file.
 */
#include "avro.h"

#include <string.h>

#include "../../base/alloc.h"
#include "../../base/varint.h"

#define MAGIC "Obj\x01"
#define SYNC_LEN 16
#define DEFAULT_MAX_BLOCK (256u << 20)
#define DEFAULT_MAX_HEADER (64u << 20)
#define FIRST_HEADER_READ (64u << 10)
#define MAX_ZERO_SIZE_DATUMS (1u << 20)

struct avro_reader {
    io_reader *file;
    size_t max_block;
    size_t max_header;
    fl_arena *arena;            /* header metadata */
    avro_schema_doc *schema;
    avro_codec codec;
    uint8_t sync[SYNC_LEN];
    avro_meta *meta;
    size_t meta_count;
    uint64_t pos;               /* file offset of the next block */
    fl_buf raw;                 /* the block as stored */
    fl_buf data;                /* the block decompressed */
    const uint8_t *cur, *end;   /* unread datums of the current block */
    uint64_t block_left;        /* datums left in the current block */
    uint64_t block_index;
    uint64_t count;
    const avro_projection *proj;
    fl_buf prefix;              /* the file's first prefix.len bytes */
};

/* A cursor over the header prefix; `short_read` marks running off its end. */
typedef struct hdr_cursor {
    const uint8_t *p, *end;
    bool short_read;
} hdr_cursor;

static const char *loc(const avro_reader *r)
{
    return r->file->location ? r->file->location : "(memory)";
}

static int hdr_long(hdr_cursor *c, int64_t *out)
{
    uint64_t u;
    size_t n = fl_varint_decode(c->p, c->end, &u);
    if (n == 0) {
        if (c->end - c->p < 10) c->short_read = true;
        return FLOE_ECORRUPT;
    }
    c->p += n;
    *out = fl_zigzag_decode(u);
    return 0;
}

static int hdr_bytes(hdr_cursor *c, const uint8_t **out, size_t *len)
{
    int64_t n;
    FL_TRY(hdr_long(c, &n));
    if (n < 0) return FLOE_ECORRUPT;
    if ((uint64_t)n > (uint64_t)(c->end - c->p)) {
        c->short_read = true;
        return FLOE_ECORRUPT;
    }
    *out = c->p;
    *len = (size_t)n;
    c->p += n;
    return 0;
}

static int add_meta(avro_reader *r, size_t *cap, const uint8_t *k, size_t klen, const uint8_t *v, size_t vlen,
                    fl_error *err)
{
    if (r->meta_count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        avro_meta *m = fl_arena_realloc(r->arena, r->meta, *cap * sizeof *m, ncap * sizeof *m);
        if (!m) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading an avro header");
        r->meta = m;
        *cap = ncap;
    }
    avro_meta *m = &r->meta[r->meta_count++];
    m->key = fl_arena_strndup(r->arena, (const char *)k, klen);
    m->value = (const uint8_t *)fl_arena_strndup(r->arena, (const char *)v, vlen);
    m->len = vlen;
    if (!m->key || !m->value) return fl_error_set(err, FLOE_ENOMEM, "out of memory reading an avro header");
    return 0;
}

/* Parses the header from a prefix of the file. Returns 1 when the prefix
 * was too short, 0 when parsed (r->pos set), or an error. */
static int parse_header(avro_reader *r, const uint8_t *buf, size_t len, fl_error *err)
{
    hdr_cursor c = {buf, buf + len, false};
    size_t cap = 0;
    r->meta = NULL;
    r->meta_count = 0;
    fl_arena_reset(r->arena);
    if (len < 4) return r->file->size > len ? 1 : fl_error_set(err, FLOE_ECORRUPT, "file is too short for an avro header");
    if (memcmp(buf, MAGIC, 4) != 0) return fl_error_set(err, FLOE_ECORRUPT, "not an avro object container file (bad magic)");
    c.p += 4;
    for (;;) {
        int64_t count;
        if (hdr_long(&c, &count) < 0) goto bad;
        if (count == 0) break;
        if (count < 0) {
            int64_t size;
            if (count == INT64_MIN || hdr_long(&c, &size) < 0) goto bad;
            count = -count;
        }
        if ((uint64_t)count > (uint64_t)(c.end - c.p) / 2) {
            /* every entry takes at least two bytes */
            if (r->file->size > len) return 1;
            return fl_error_set(err, FLOE_ECORRUPT, "avro header metadata count %lld is larger than the file",
                                (long long)count);
        }
        for (int64_t i = 0; i < count; i++) {
            const uint8_t *k, *v;
            size_t klen, vlen;
            if (hdr_bytes(&c, &k, &klen) < 0 || hdr_bytes(&c, &v, &vlen) < 0) goto bad;
            FL_TRY(add_meta(r, &cap, k, klen, v, vlen, err));
        }
    }
    if (c.end - c.p < SYNC_LEN) {
        c.short_read = true;
        goto bad;
    }
    memcpy(r->sync, c.p, SYNC_LEN);
    r->pos = (uint64_t)(c.p + SYNC_LEN - buf);
    return 0;
bad:
    if (c.short_read && r->file->size > len) return 1;
    return fl_error_set(err, FLOE_ECORRUPT, "avro header is %s",
                        c.short_read ? "truncated" : "malformed (bad metadata map)");
}

static int read_header(avro_reader *r, fl_error *err)
{
    fl_buf *buf = &r->prefix;
    size_t want = FIRST_HEADER_READ;
    int rc;
    for (;;) {
        if (want > r->file->size) want = (size_t)r->file->size;
        fl_buf_reset(buf);
        if (!fl_buf_extend(buf, want) && want)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory reading an avro header");
        if (want && (rc = io_read_at(r->file, 0, buf->data, want, err)) < 0) return rc;
        rc = parse_header(r, (const uint8_t *)buf->data, want, err);
        if (rc != 1) return rc;
        if (want >= r->max_header)
            return fl_error_set(err, FLOE_ELIMIT, "avro header is larger than %zu bytes", r->max_header);
        want = want * 2 > r->max_header ? r->max_header : want * 2;
    }
}

/* Reads [off, off + len) from the kept prefix when it is there, else the file. */
static int read_range(avro_reader *r, uint64_t off, void *dst, size_t len, fl_error *err)
{
    if (off <= r->prefix.len && len <= r->prefix.len - off) {
        memcpy(dst, r->prefix.data + off, len);
        return 0;
    }
    return io_read_at(r->file, off, dst, len, err);
}

static int setup_schema(avro_reader *r, fl_error *err)
{
    size_t len;
    const uint8_t *s = avro_reader_meta(r, "avro.schema", &len);
    if (!s) return fl_error_set(err, FLOE_ECORRUPT, "avro header has no \"avro.schema\"");
    FL_TRY(avro_schema_parse_cached(&r->schema, (const char *)s, len, err));
    const uint8_t *codec = avro_reader_meta(r, "avro.codec", &len);
    r->codec = AVRO_CODEC_NULL;
    if (codec) FL_TRY(avro_codec_parse(&r->codec, (const char *)codec, len, err));
    return 0;
}

int avro_reader_open(avro_reader **out, io_reader *file, const avro_reader_opts *opts, fl_error *err)
{
    *out = NULL;
    avro_reader *r = fl_calloc(1, sizeof *r);
    if (!r) return fl_error_set(err, FLOE_ENOMEM, "out of memory opening an avro file");
    r->file = file;
    r->max_block = opts && opts->max_block_size ? opts->max_block_size : DEFAULT_MAX_BLOCK;
    r->max_header = opts && opts->max_header_size ? opts->max_header_size : DEFAULT_MAX_HEADER;
    fl_buf_init(&r->raw);
    fl_buf_init(&r->data);
    fl_buf_init(&r->prefix);
    int rc;
    if (!(r->arena = fl_arena_new(0))) {
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory opening an avro file");
        goto fail;
    }
    if ((rc = read_header(r, err)) < 0 || (rc = setup_schema(r, err)) < 0) goto fail;
    *out = r;
    return 0;
fail:
    if (rc != FLOE_ENOMEM) fl_error_prefix(err, "could not read avro file \"%s\": ", loc(r));
    avro_reader_free(r);
    return rc;
}

void avro_reader_free(avro_reader *r)
{
    if (!r) return;
    avro_schema_free(r->schema);
    fl_arena_free(r->arena);
    fl_buf_dispose(&r->raw);
    fl_buf_dispose(&r->data);
    fl_buf_dispose(&r->prefix);
    fl_free(r);
}

const avro_schema *avro_reader_schema(const avro_reader *r) { return avro_schema_root(r->schema); }
const avro_schema_doc *avro_reader_schema_doc(const avro_reader *r) { return r->schema; }
avro_codec avro_reader_codec(const avro_reader *r) { return r->codec; }
size_t avro_reader_meta_count(const avro_reader *r) { return r->meta_count; }
avro_meta avro_reader_meta_at(const avro_reader *r, size_t i) { return r->meta[i]; }
uint64_t avro_reader_count(const avro_reader *r) { return r->count; }
void avro_reader_set_projection(avro_reader *r, const avro_projection *proj) { r->proj = proj; }

const uint8_t *avro_reader_meta(const avro_reader *r, const char *key, size_t *len)
{
    for (size_t i = 0; i < r->meta_count; i++) {
        if (strcmp(r->meta[i].key, key) == 0) {
            if (len) *len = r->meta[i].len;
            return r->meta[i].value;
        }
    }
    return NULL;
}

/* Reads the block at r->pos; returns 1 when loaded, 0 at the end of file. */
static int load_block(avro_reader *r, fl_error *err)
{
    uint64_t size = r->file->size;
    if (r->pos >= size) return 0;
    uint8_t head[20];
    size_t head_len = size - r->pos < sizeof head ? (size_t)(size - r->pos) : sizeof head;
    FL_TRY(read_range(r, r->pos, head, head_len, err));
    uint64_t ucount, usize;
    size_t n1 = fl_varint_decode(head, head + head_len, &ucount);
    size_t n2 = n1 ? fl_varint_decode(head + n1, head + head_len, &usize) : 0;
    if (!n1 || !n2)
        return fl_error_set(err, FLOE_ECORRUPT, "block %llu header at offset %llu is truncated or malformed",
                            (unsigned long long)r->block_index, (unsigned long long)r->pos);
    int64_t count = fl_zigzag_decode(ucount), bsize = fl_zigzag_decode(usize);
    uint64_t data_at = r->pos + n1 + n2;
    if (count < 0 || bsize < 0)
        return fl_error_set(err, FLOE_ECORRUPT, "block %llu at offset %llu has a negative count or size",
                            (unsigned long long)r->block_index, (unsigned long long)r->pos);
    if ((uint64_t)bsize > r->max_block)
        return fl_error_set(err, FLOE_ELIMIT, "block %llu is %lld bytes, more than the limit of %zu",
                            (unsigned long long)r->block_index, (long long)bsize, r->max_block);
    if ((uint64_t)bsize + SYNC_LEN > size - data_at)
        return fl_error_set(err, FLOE_ECORRUPT, "block %llu of %lld bytes at offset %llu runs past the end of the file",
                            (unsigned long long)r->block_index, (long long)bsize, (unsigned long long)r->pos);
    fl_buf_reset(&r->raw);
    if (!fl_buf_extend(&r->raw, (size_t)bsize + SYNC_LEN))
        return fl_error_set(err, FLOE_ENOMEM, "out of memory reading an avro block");
    FL_TRY(read_range(r, data_at, r->raw.data, (size_t)bsize + SYNC_LEN, err));
    if (memcmp(r->raw.data + bsize, r->sync, SYNC_LEN) != 0)
        return fl_error_set(err, FLOE_ECORRUPT, "block %llu at offset %llu does not end with the sync marker",
                            (unsigned long long)r->block_index, (unsigned long long)r->pos);
    const uint8_t *bytes = (const uint8_t *)r->raw.data;
    size_t blen = (size_t)bsize;
    if (r->codec != AVRO_CODEC_NULL) {
        fl_buf_reset(&r->data);
        int rc = avro_decompress(r->codec, bytes, blen, r->max_block, &r->data, err);
        if (rc < 0) {
            fl_error_prefix(err, "block %llu: ", (unsigned long long)r->block_index);
            return rc;
        }
        bytes = (const uint8_t *)r->data.data;
        blen = r->data.len;
    }
    uint32_t min = avro_reader_schema(r)->min_size;
    if (min ? (uint64_t)count > blen / min : (uint64_t)count > MAX_ZERO_SIZE_DATUMS)
        return fl_error_set(err, FLOE_ECORRUPT, "block %llu claims %lld datums in %zu bytes",
                            (unsigned long long)r->block_index, (long long)count, blen);
    r->cur = bytes;
    r->end = bytes + blen;
    r->block_left = (uint64_t)count;
    r->pos = data_at + (uint64_t)bsize + SYNC_LEN;
    r->block_index++;
    if (count == 0 && blen != 0)
        return fl_error_set(err, FLOE_ECORRUPT, "block %llu has no datums but %zu bytes",
                            (unsigned long long)(r->block_index - 1), blen);
    return 1;
}

int avro_reader_next(avro_reader *r, avro_value **out, fl_arena *arena, fl_error *err)
{
    int rc;
    *out = NULL;
    while (r->block_left == 0) {
        rc = load_block(r, err);
        if (rc == 0) return 0;
        if (rc < 0) goto fail;
    }
    const uint8_t *p = r->cur;
    if ((rc = avro_decode_projected(out, avro_reader_schema(r), r->proj, &p, r->end, arena, err)) < 0) {
        fl_error_prefix(err, "datum %llu (block %llu): ", (unsigned long long)r->count,
                        (unsigned long long)(r->block_index - 1));
        goto fail;
    }
    r->cur = p;
    r->count++;
    if (--r->block_left == 0 && r->cur != r->end) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "block %llu has %zu bytes left after its last datum",
                          (unsigned long long)(r->block_index - 1), (size_t)(r->end - r->cur));
        goto fail;
    }
    return 1;
fail:
    *out = NULL;
    r->block_left = 0;
    r->pos = r->file->size;   /* a failed reader reports the end afterwards */
    if (rc != FLOE_ENOMEM) fl_error_prefix(err, "could not read avro file \"%s\": ", loc(r));
    return rc;
}
