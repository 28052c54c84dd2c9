/*
 * ice_read_remap.c: a filesystem wrapper that rewrites location prefixes
 * (see ice_read.h), so that tables whose metadata names their writer's
 * storage ("s3://bucket/t", "hdfs://host/warehouse/t", "data/persistent/t")
 * read from a local copy.
 */
#include "ice_read.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/buf.h"

typedef struct remap_rule {
    char *prefix;
    char *local;
} remap_rule;

typedef struct remap_fs {
    io_fs base;
    io_fs *inner;
    remap_rule *rules;
    size_t count;
} remap_fs;

static size_t match_len(const char *loc, const char *prefix)
{
    size_t n = strlen(prefix);
    while (n > 0 && prefix[n - 1] == '/') n--;
    if (n == 0 || strncmp(loc, prefix, n) != 0) return 0;
    if (loc[n] != '\0' && loc[n] != '/') return 0;
    return n;
}

/* The rule and the matched length for loc, trying loc without a "file:"
 * scheme as well. *skip receives the bytes of scheme dropped. */
static const remap_rule *find_rule(const remap_fs *fs, const char *loc, size_t *len, size_t *skip)
{
    const remap_rule *best = NULL;
    size_t best_len = 0, best_skip = 0;
    static const char *const schemes[] = {"", "file://", "file:"};
    for (size_t s = 0; s < FL_ARRAY_SIZE(schemes); s++) {
        size_t sl = strlen(schemes[s]);
        if (strncmp(loc, schemes[s], sl) != 0) continue;
        for (size_t i = 0; i < fs->count; i++) {
            size_t n = match_len(loc + sl, fs->rules[i].prefix);
            if (n > best_len) {
                best = &fs->rules[i];
                best_len = n;
                best_skip = sl;
            }
        }
        if (best) break;
    }
    *len = best_len;
    *skip = best_skip;
    return best;
}

static int map_to_buf(const remap_fs *fs, const char *loc, fl_buf *out)
{
    size_t len, skip;
    const remap_rule *r = find_rule(fs, loc, &len, &skip);
    if (r == NULL) return fl_buf_append_str(out, loc);
    FL_TRY(fl_buf_append_str(out, r->local));
    const char *rest = loc + skip + len;
    if (*rest == '/' && out->len > 0 && out->data[out->len - 1] == '/') rest++;
    return fl_buf_append_str(out, rest);
}

const char *ice_remap_location(io_fs *fs, const char *location, fl_arena *arena)
{
    fl_buf b;
    fl_buf_init(&b);
    const char *res = NULL;
    if (map_to_buf((const remap_fs *)fs, location, &b) == 0)
        res = fl_arena_strndup(arena, fl_buf_cstr(&b), b.len);
    fl_buf_dispose(&b);
    return res;
}

static int remap_open(io_fs *vfs, const char *location, io_reader **out, fl_error *err)
{
    remap_fs *fs = (remap_fs *)vfs;
    fl_buf b;
    fl_buf_init(&b);
    int rc = map_to_buf(fs, location, &b);
    if (rc < 0) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    else rc = io_open(fs->inner, fl_buf_cstr(&b), out, err);
    fl_buf_dispose(&b);
    return rc;
}

static int remap_create(io_fs *vfs, const char *location, int flags, io_writer **out, fl_error *err)
{
    remap_fs *fs = (remap_fs *)vfs;
    fl_buf b;
    fl_buf_init(&b);
    int rc = map_to_buf(fs, location, &b);
    if (rc < 0) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    else rc = io_create(fs->inner, fl_buf_cstr(&b), flags, out, err);
    fl_buf_dispose(&b);
    return rc;
}

static int remap_remove(io_fs *vfs, const char *location, fl_error *err)
{
    remap_fs *fs = (remap_fs *)vfs;
    fl_buf b;
    fl_buf_init(&b);
    int rc = map_to_buf(fs, location, &b);
    if (rc < 0) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    else rc = io_remove(fs->inner, fl_buf_cstr(&b), err);
    fl_buf_dispose(&b);
    return rc;
}

static int remap_list(io_fs *vfs, const char *prefix, io_list_fn fn, void *ctx, fl_error *err)
{
    remap_fs *fs = (remap_fs *)vfs;
    fl_buf b;
    fl_buf_init(&b);
    int rc = map_to_buf(fs, prefix, &b);
    if (rc < 0) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    else rc = io_list(fs->inner, fl_buf_cstr(&b), fn, ctx, err);
    fl_buf_dispose(&b);
    return rc;
}

static void remap_free(io_fs *vfs)
{
    remap_fs *fs = (remap_fs *)vfs;
    for (size_t i = 0; i < fs->count; i++) {
        fl_free(fs->rules[i].prefix);
        fl_free(fs->rules[i].local);
    }
    fl_free(fs->rules);
    fl_free(fs);
}

static const struct io_fs_ops remap_ops = {remap_open, remap_create, remap_remove, remap_list,
                                           remap_free};

io_fs *ice_remap_fs_new(io_fs *inner)
{
    remap_fs *fs = fl_calloc(1, sizeof(*fs));
    if (fs == NULL) return NULL;
    fs->base.ops = &remap_ops;
    fs->inner = inner;
    return &fs->base;
}

static char *dup_str(const char *s, size_t n)
{
    char *p = fl_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int ice_remap_fs_add(io_fs *vfs, const char *prefix, const char *local, fl_error *err)
{
    remap_fs *fs = (remap_fs *)vfs;
    if (prefix == NULL || *prefix == '\0')
        return fl_error_set(err, FLOE_EINVAL, "location prefix to remap is empty");
    for (size_t i = 0; i < fs->count; i++)
        if (strcmp(fs->rules[i].prefix, prefix) == 0) return 0;
    remap_rule *rules = fl_realloc(fs->rules, (fs->count + 1) * sizeof(*rules));
    if (rules == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    fs->rules = rules;
    char *p = dup_str(prefix, strlen(prefix));
    char *l = dup_str(local, strlen(local));
    if (p == NULL || l == NULL) {
        fl_free(p);
        fl_free(l);
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    rules[fs->count].prefix = p;
    rules[fs->count].local = l;
    fs->count++;
    return 0;
}

int ice_remap_fs_add_table(io_fs *fs, const ice_metadata *md, const char *local_dir,
                           fl_error *err)
{
    if (md->location && *md->location) FL_TRY(ice_remap_fs_add(fs, md->location, local_dir, err));
    for (size_t i = 0; i < md->snapshot_count; i++) {
        const char *ml = md->snapshots[i].manifest_list;
        const char *cut = ml ? strstr(ml, "/metadata/") : NULL;
        if (cut == NULL && ml && strncmp(ml, "metadata/", 9) == 0) continue;
        if (cut == NULL || cut == ml) continue;
        char *root = dup_str(ml, (size_t)(cut - ml));
        if (root == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        int rc = ice_remap_fs_add(fs, root, local_dir, err);
        fl_free(root);
        FL_TRY(rc);
    }
    return 0;
}
