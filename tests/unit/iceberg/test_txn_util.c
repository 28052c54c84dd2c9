/*
 * test_txn_util.c: helpers for the table-operation tests (see
 * test_txn_util.h).
 */
#include "test_txn_util.h"

#include <ftw.h>
#include <stdio.h>
#include <string.h>

#include "../../../src/base/alloc.h"
#include "../../../src/base/column.h"
#include "../../../src/base/strutil.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../test.h"

static const char *SCHEMA = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
                            "{\"id\":1,\"name\":\"id\",\"required\":false,\"type\":\"long\"},"
                            "{\"id\":2,\"name\":\"v\",\"required\":false,\"type\":\"long\"}]}";

bool tt_env_open(tt_env *e)
{
    fl_error err;
    memset(e, 0, sizeof(*e));
    snprintf(e->dir, sizeof(e->dir), "%s", ft_tmpdir());
    snprintf(e->catalog_uri, sizeof(e->catalog_uri), "sqlite://%s/catalog.db", e->dir);
    e->fs = io_local_new();
    return CHECK_OK(cat_open(&e->catalog, e->catalog_uri, NULL, &err), &err) &&
           CHECK_OK(cat_namespace_create(e->catalog, "db", NULL, &err), &err);
}

void tt_env_close(tt_env *e)
{
    cat_free(e->catalog);
    io_fs_free(e->fs);
}

bool tt_create(tt_env *e, const char *name, const ice_kv *props, size_t prop_count,
               ice_table **out)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *j = json_loads(SCHEMA, 0, NULL);
    ice_schema *schema = NULL;
    bool ok = CHECK(j) && CHECK_OK(ice_schema_from_json(&schema, j, a, &err), &err);
    ice_table_create_opts o = {.schema = schema, .properties = props, .property_count = prop_count};
    ok = ok && CHECK_OK(ice_table_create(out, e->catalog, e->fs, e->dir, "db", name, &o, &err), &err);
    json_decref(j);
    fl_arena_free(a);
    return ok;
}

bool tt_data_file(ice_table *t, io_fs *fs, const char *tag, int64_t start, int64_t n,
                  ice_data_file *out, fl_arena *arena)
{
    fl_error err;
    char path[1024];
    snprintf(path, sizeof(path), "%s/data/%s.parquet", t->md->location, tag);
    pq_field kids[2] = {
        {.name = "id", .type = fl_type_make(FL_TYPE_INT64), .nullable = true, .field_id = 1, .has_field_id = true},
        {.name = "v", .type = fl_type_make(FL_TYPE_INT64), .nullable = true, .field_id = 2, .has_field_id = true},
    };
    pq_field root = {.name = "schema", .type = fl_type_make(FL_TYPE_STRUCT), .children = kids, .n_children = 2};
    io_writer *w = NULL;
    pq_writer *pw = NULL;
    if (!CHECK_OK(io_create(fs, path, IO_CREATE_EXCLUSIVE, &w, &err), &err)) return false;
    if (!CHECK_OK(pq_writer_new(&pw, w, &root, NULL, &err), &err)) {
        io_writer_abort(w);
        return false;
    }
    fl_arena *a = fl_arena_new(0);
    fl_column *cols[2] = {fl_column_new(a, kids[0].type, (size_t)n), fl_column_new(a, kids[1].type, (size_t)n)};
    for (int64_t i = 0; i < n; i++) {
        ((int64_t *)cols[0]->data)[i] = start + i;
        ((int64_t *)cols[1]->data)[i] = 2 * (start + i);
    }
    cols[0]->len = cols[1]->len = (size_t)n;
    bool ok = CHECK_OK(pq_writer_write(pw, cols, (size_t)n, &err), &err);
    ok = CHECK_OK(pq_writer_close(pw, &err), &err) && ok;
    pq_writer_free(pw);
    fl_arena_free(a);
    if (ok) ok = CHECK_OK(io_writer_close(w, &err), &err);
    else io_writer_abort(w);
    if (!ok) return false;
    io_reader *r = NULL;
    pq_file *pf = NULL;
    if (!CHECK_OK(io_open(fs, path, &r, &err), &err)) return false;
    uint64_t size = r->size;
    if (!CHECK_OK(pq_file_open(&pf, r, &err), &err)) {
        io_reader_close(r);
        return false;
    }
    memset(out, 0, sizeof(*out));
    ok = CHECK_OK(ice_metrics_from_parquet(out, pf, size, ice_metadata_current_schema(t->md), NULL,
                                           arena, &err), &err);
    pq_file_free(pf);
    io_reader_close(r);
    out->content = ICE_CONTENT_DATA;
    out->file_path = fl_arena_strdup(arena, path);
    out->spec_id = ice_metadata_default_spec(t->md)->spec_id;
    return ok && CHECK_EQ(out->record_count, n);
}

bool tt_read(ice_table *t, int64_t snapshot_id, int64_t *rows, int64_t *id_sum)
{
    fl_error err;
    ice_scan_opts so = {.at = snapshot_id < 0 ? ICE_SCAN_CURRENT : ICE_SCAN_SNAPSHOT_ID,
                        .snapshot_id = snapshot_id};
    ice_scan_plan *plan = NULL;
    ice_reader *r = NULL;
    *rows = *id_sum = 0;
    if (!CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, &so, &err), &err)) return false;
    /* only the id column: the current schema may have more (evolution) */
    static const int32_t id_field[1] = {1};
    ice_read_opts ro = {.field_ids = id_field, .field_count = 1};
    bool ok = CHECK_OK(ice_reader_new(&r, t->fs, plan, &ro, &err), &err);
    fl_arena *batch = fl_arena_new(0);
    while (ok) {
        fl_column *cols[1];
        size_t n;
        fl_arena_reset(batch);
        if (!CHECK_OK(ice_reader_next(r, batch, cols, &n, &err), &err)) ok = false;
        if (!ok || n == 0) break;
        for (size_t i = 0; i < n; i++) *id_sum += ((const int64_t *)cols[0]->data)[i];
        *rows += (int64_t)n;
    }
    fl_arena_free(batch);
    ice_reader_free(r);
    ice_scan_plan_free(plan);
    return ok;
}

static cat_list *list_target;

static int list_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    fl_error err;
    if (type == FTW_F && cat_list_push(list_target, path, &err) < 0) return 1;
    return 0;
}

bool tt_list(const char *dir, cat_list *out)
{
    cat_list_init(out);
    list_target = out;   /* the tests listing directories run on one thread */
    bool ok = CHECK_EQ(nftw(dir, list_one, 16, FTW_PHYS), 0);
    cat_list_sort(out);
    return ok;
}

int64_t tt_summary(const ice_snapshot *s, const char *key)
{
    for (size_t i = 0; s && i < s->summary_count; i++) {
        if (strcmp(s->summary[i].key, key) != 0) continue;
        int64_t v;
        fl_error err;
        return fl_parse_i64(&v, s->summary[i].value, strlen(s->summary[i].value), &err) == 0 ? v : -1;
    }
    return -1;
}

/* ---- the lying catalog ---- */

typedef struct lying {
    cat_catalog base;
    cat_catalog *inner;
    int mode;
} lying;

#define INNER(c) (((lying *)(c))->inner)

static int l_ns_create(cat_catalog *c, const char *ns, const cat_props *p, fl_error *err) { return cat_namespace_create(INNER(c), ns, p, err); }
static int l_ns_exists(cat_catalog *c, const char *ns, bool *out, fl_error *err) { return cat_namespace_exists(INNER(c), ns, out, err); }
static int l_ns_list(cat_catalog *c, const char *parent, cat_list *out, fl_error *err) { return cat_namespace_list(INNER(c), parent, out, err); }
static int l_ns_load(cat_catalog *c, const char *ns, cat_props *out, fl_error *err) { return cat_namespace_load(INNER(c), ns, out, err); }
static int l_ns_update(cat_catalog *c, const char *ns, const cat_props *set, const cat_list *rm, fl_error *err) { return cat_namespace_update(INNER(c), ns, set, rm, err); }
static int l_ns_drop(cat_catalog *c, const char *ns, fl_error *err) { return cat_namespace_drop(INNER(c), ns, err); }
static int l_t_create(cat_catalog *c, const char *ns, const char *n, const char *loc, fl_error *err) { return cat_table_create(INNER(c), ns, n, loc, err); }
static int l_t_load(cat_catalog *c, const char *ns, const char *n, char **loc, char **prev, fl_error *err) { return cat_table_load(INNER(c), ns, n, loc, prev, err); }
static int l_t_list(cat_catalog *c, const char *ns, cat_list *out, fl_error *err) { return cat_table_list(INNER(c), ns, out, err); }
static int l_t_rename(cat_catalog *c, const char *a, const char *b, const char *d, const char *e, fl_error *err) { return cat_table_rename(INNER(c), a, b, d, e, err); }
static int l_t_drop(cat_catalog *c, const char *ns, const char *n, char **last, fl_error *err) { return cat_table_drop(INNER(c), ns, n, last, err); }

static int l_t_commit(cat_catalog *c, const char *ns, const char *n, const char *expected,
                      const char *loc, fl_error *err)
{
    lying *l = (lying *)c;
    if (l->mode == TT_LIE_ALWAYS_CONFLICT)
        return fl_error_set(err, FLOE_ECONFLICT, "table \"%s.%s\" was changed concurrently (test double)", ns, n);
    int rc = cat_table_commit(l->inner, ns, n, expected, loc, err);
    if (rc == 0 && l->mode == TT_LIE_UNKNOWN_AFTER_SWAP)
        return fl_error_set(err, FLOE_EUNKNOWN, "connection lost while committing \"%s.%s\" (test double)", ns, n);
    return rc;
}

static void l_free(cat_catalog *c) { fl_free(c); }

static const struct cat_catalog_ops lying_ops = {
    l_ns_create, l_ns_exists, l_ns_list, l_ns_load, l_ns_update, l_ns_drop, l_t_create,
    l_t_load, l_t_list, l_t_rename, l_t_drop, l_t_commit, l_free,
    NULL, NULL, NULL, NULL, /* no external tables */
};

cat_catalog *tt_lying_catalog_new(cat_catalog *inner, int mode)
{
    lying *l = fl_calloc(1, sizeof(*l));
    if (l == NULL) return NULL;
    l->base.ops = &lying_ops;
    l->base.name = inner->name;
    l->inner = inner;
    l->mode = mode;
    return &l->base;
}
