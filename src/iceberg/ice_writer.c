/*
 * ice_writer.c: the partitioned data-file writer (see ice_writer.h): per
 * row partition tuples from the default spec's transforms, a hash map from
 * the tuple's bytes to one open Parquet file per partition, gathering each
 * partition's rows of a batch into their own columns, rolling files at the
 * target size, and describing every finished file from its footer with
 * ice_metrics_from_parquet. The Parquet encoding is src/format/parquet's
 * writer; nothing here encodes values.
 */
#include "ice_writer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/hashmap.h"
#include "../base/strutil.h"
#include "../base/threads.h"
#include "../base/uuid.h"
#include "../format/parquet/pq_codec.h"
#include "../format/parquet/pq_reader.h"
#include "../format/parquet/pq_writer.h"
#include "ice_partition.h"
#include "ice_txn.h"

#define DEFAULT_TARGET_FILE_BYTES (512LL * 1024 * 1024)
#define PIECE_ROWS 4096   /* rows handed to the Parquet writer between roll checks */
#define MAX_OPEN_FILES 64 /* more partitions than this: the least recently written file is closed */

/* One partition of this write: its tuple and its open file, if any. */
typedef struct part_state {
    fl_value *values;            /* partition tuple (writer arena) */
    const char *dir;             /* "<location>/data[/<partition path>]" */
    int part_no;
    int file_no;                 /* files opened so far */
    io_writer *io;               /* open file, or NULL */
    pq_writer *pq;
    char *location;              /* of the open file (writer arena) */
    double pending_raw;          /* raw bytes handed over since the last flush */
    double flushed_raw;          /* raw bytes flushed to the file */
    uint64_t last_written;       /* io->written after the last write call */
    int64_t file_rows;
    uint64_t last_use;           /* writer's stamp of the last write */
} part_state;

struct ice_writer {
    const ice_table *t;
    const ice_schema *schema;
    const ice_partition_spec *spec;
    const ice_type *ptype;       /* partition tuple struct */
    size_t field_count;          /* top-level schema fields */
    fl_type *types;              /* their fl types */
    pq_field *root;
    pq_writer_opts pqo;
    fl_pool *pool;
    int64_t target;
    size_t *source_pos;          /* per partition field: top-level column */
    fl_arena *arena;             /* lives as long as the writer */
    fl_arena *scratch;           /* one batch */
    fl_hashmap parts_by_key;     /* tuple bytes -> index into parts */
    part_state **parts;
    size_t part_count, part_cap;
    ice_data_file *files;
    size_t file_count, file_cap;
    char **created;              /* every file created (for abort) */
    size_t created_count, created_cap;
    char op_uuid[FL_UUID_TEXT_LEN + 1];
    int64_t rows;
    size_t open_count;
    uint64_t stamp;
    bool failed, finished;
    bool sorted;                 /* ice_writer_set_sort_order: files carry sort_order_id */
    int32_t sort_order_id;
};

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

/* ---- Parquet schema, options, gather, describe (shared) ---- */

static int pq_node(pq_field *out, const ice_field *f, fl_arena *arena, fl_error *err)
{
    memset(out, 0, sizeof(*out));
    out->name = f->name;
    out->nullable = !f->required;
    out->field_id = f->id;
    out->has_field_id = true;
    out->leaf_index = -1;
    FL_TRY(ice_type_to_fl(&out->type, f->type, err));
    if (!fl_type_is_nested(out->type)) return 0;
    size_t n = f->type->field_count;
    out->children = fl_arena_calloc(arena, (n ? n : 1) * sizeof(pq_field));
    if (out->children == NULL) return oom(err);
    out->n_children = (uint32_t)n;
    for (size_t i = 0; i < n; i++) FL_TRY(pq_node(&out->children[i], &f->type->fields[i], arena, err));
    return 0;
}

int ice_pq_schema(pq_field **out, const ice_type *struct_type, fl_arena *arena, fl_error *err)
{
    pq_field *root = fl_arena_calloc(arena, sizeof(*root));
    size_t n = struct_type->field_count;
    if (root == NULL || (root->children = fl_arena_calloc(arena, (n ? n : 1) * sizeof(pq_field))) == NULL)
        return oom(err);
    root->name = "table";
    root->type = fl_type_make(FL_TYPE_STRUCT);
    root->leaf_index = -1;
    root->n_children = (uint32_t)n;
    for (size_t i = 0; i < n; i++) FL_TRY(pq_node(&root->children[i], &struct_type->fields[i], arena, err));
    *out = root;
    return 0;
}

static int gather_validity(fl_column *dst, const fl_column *src, const uint32_t *idx, size_t n)
{
    if (src->validity == NULL) return 0;
    if (fl_column_ensure_validity(dst) < 0) return FLOE_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!fl_bit_get(src->validity, idx[i])) fl_bit_clear(dst->validity, i);
    return 0;
}

/* LIST / MAP: offsets and the children's row indices. */
static int gather_ranges(fl_column *dst, const fl_column *src, const uint32_t *idx, size_t n,
                         fl_arena *arena, fl_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += (size_t)(src->offsets[idx[i] + 1] - src->offsets[idx[i]]);
    uint32_t *child_idx = fl_arena_alloc(arena, (total ? total : 1) * sizeof(uint32_t));
    if (child_idx == NULL) return oom(err);
    size_t k = 0;
    dst->offsets[0] = 0;
    for (size_t i = 0; i < n; i++) {
        for (int64_t j = src->offsets[idx[i]]; j < src->offsets[idx[i] + 1]; j++) child_idx[k++] = (uint32_t)j;
        dst->offsets[i + 1] = (int64_t)k;
    }
    for (uint32_t c = 0; c < src->child_count; c++) {
        fl_column *child;
        FL_TRY(ice_column_gather(&child, src->children[c], child_idx, total, arena, err));
        if (fl_column_add_child(dst, child) < 0) return oom(err);
    }
    return 0;
}

int ice_column_gather(fl_column **out, const fl_column *src, const uint32_t *idx, size_t n,
                      fl_arena *arena, fl_error *err)
{
    fl_column *dst = fl_column_new(arena, src->type, n);
    if (dst == NULL || gather_validity(dst, src, idx, n) < 0) return oom(err);
    dst->name = src->name;
    dst->len = n;
    size_t width = fl_type_width(src->type);
    if (width) {
        const char *s = src->data;
        char *d = dst->data;
        switch (width) {
        case 8:
            for (size_t i = 0; i < n; i++) ((uint64_t *)(void *)d)[i] = ((const uint64_t *)(const void *)s)[idx[i]];
            break;
        case 4:
            for (size_t i = 0; i < n; i++) ((uint32_t *)(void *)d)[i] = ((const uint32_t *)(const void *)s)[idx[i]];
            break;
        default:
            for (size_t i = 0; i < n; i++) memcpy(d + i * width, s + (size_t)idx[i] * width, width);
        }
    }
    if (src->type.id == FL_TYPE_LIST || src->type.id == FL_TYPE_MAP)
    {
        FL_TRY(gather_ranges(dst, src, idx, n, arena, err));
        *out = dst;
        return 0;
    }
    if (src->type.id == FL_TYPE_STRUCT) {
        for (uint32_t c = 0; c < src->child_count; c++) {
            fl_column *child;
            FL_TRY(ice_column_gather(&child, src->children[c], idx, n, arena, err));
            if (fl_column_add_child(dst, child) < 0) return oom(err);
        }
    }
    *out = dst;
    return 0;
}

int ice_pq_writer_opts(pq_writer_opts *out, const ice_metadata *md, const char *codec,
                       fl_error *err)
{
    pq_writer_opts_init(out);
    const char *name = codec ? codec : ice_metadata_property(md, "write.parquet.compression-codec");
    if (name != NULL) FL_TRY(pq_codec_parse(name, &out->codec, err));
    else out->codec = PQ_CODEC_ZSTD;
    int64_t v;
    const char *level = ice_metadata_property(md, "write.parquet.compression-level");
    if (level != NULL) {
        FL_TRY(ice_table_property_i64(md, "write.parquet.compression-level", 0, &v, err));
        out->level = v > 22 ? 22 : (int)v;
    }
    FL_TRY(ice_table_property_i64(md, "write.parquet.row-group-size-bytes", 128LL << 20, &v, err));
    out->row_group_bytes = v > 0 ? (size_t)v : 128u << 20;
    FL_TRY(ice_table_property_i64(md, "write.parquet.page-size-bytes", 1LL << 20, &v, err));
    out->page_bytes = v > 0 ? (size_t)v : 1u << 20;
    FL_TRY(ice_table_property_i64(md, "write.parquet.dict-size-bytes", 2LL << 20, &v, err));
    out->dict_page_bytes = v > 0 ? (size_t)v : 2u << 20;
    return 0;
}

int ice_pq_schema_kv(pq_kv *out, const ice_schema *schema, fl_arena *arena, fl_error *err)
{
    json_t *j = ice_schema_to_json(schema);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    out->key = fl_arena_strdup(arena, "iceberg.schema");
    out->value = text ? fl_arena_strdup(arena, text) : NULL;
    free(text);
    if (out->key == NULL || out->value == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

/* write.metadata.metrics.default: "truncate(N)" or "full"; others keep 16. */
static void metrics_opts(ice_metrics_opts *o, const ice_metadata *md)
{
    o->truncate_length = 0;
    const char *m = ice_metadata_property(md, "write.metadata.metrics.default");
    if (m == NULL) return;
    if (strcmp(m, "full") == 0) {
        o->truncate_length = -1;
    } else if (strncmp(m, "truncate(", 9) == 0) {
        int64_t n;
        fl_error ignored;
        const char *close = strchr(m + 9, ')');
        if (close && fl_parse_i64(&n, m + 9, (size_t)(close - m - 9), &ignored) == 0 && n > 0 &&
            n < 1 << 20)
            o->truncate_length = (int)n;
    }
}

int ice_describe_parquet(ice_data_file *out, io_fs *fs, const char *location,
                         const ice_metadata *md, const ice_schema *schema, fl_arena *arena,
                         fl_error *err)
{
    io_reader *r = NULL;
    pq_file *pf = NULL;
    FL_TRY(io_open(fs, location, &r, err));
    int rc = pq_file_open(&pf, r, err);
    ice_metrics_opts mo;
    metrics_opts(&mo, md);
    memset(out, 0, sizeof(*out));
    if (rc == 0) rc = ice_metrics_from_parquet(out, pf, r->size, schema, &mo, arena, err);
    pq_file_free(pf);
    io_reader_close(r);
    FL_TRY(rc);
    out->file_path = fl_arena_strdup(arena, location);
    return out->file_path ? 0 : oom(err);
}

/* ---- the writer ---- */

static int track_created(ice_writer *w, const char *location, fl_error *err)
{
    if (w->created_count == w->created_cap) {
        size_t cap = w->created_cap ? w->created_cap * 2 : 16;
        char **c = fl_arena_realloc(w->arena, w->created, w->created_cap * sizeof(char *),
                                    cap * sizeof(char *));
        if (c == NULL) return oom(err);
        w->created = c;
        w->created_cap = cap;
    }
    w->created[w->created_count++] = (char *)location;
    return 0;
}

int ice_writer_new(ice_writer **out, const ice_table *t, const ice_writer_options *opts,
                   fl_error *err)
{
    *out = NULL;
    const ice_metadata *md = t->md;
    if (md->format_version < 2)
        return fl_error_set(err, FLOE_EUNSUPPORTED, "cannot write to table \"%s.%s\": format version %d is not supported for writing",
                            t->ns, t->name, md->format_version);
    ice_writer *w = fl_calloc(1, sizeof(*w));
    if (w == NULL) return oom(err);
    int rc = 0;
    w->t = t;
    w->schema = ice_metadata_current_schema(md);
    w->spec = ice_metadata_default_spec(md);
    w->arena = fl_arena_new(0);
    w->scratch = fl_arena_new(1 << 20);
    if (w->arena == NULL || w->scratch == NULL || fl_hashmap_init(&w->parts_by_key, FL_HASHMAP_BYTES, 16) < 0) {
        rc = oom(err);
        goto fail;
    }
    if (w->schema == NULL || w->spec == NULL) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "table \"%s.%s\" has no current schema or default spec",
                          t->ns, t->name);
        goto fail;
    }
    if ((rc = ice_partition_type(&w->ptype, w->spec, w->schema, false, w->arena, err)) < 0) goto fail;
    const ice_type *st = w->schema->type;
    w->field_count = st->field_count;
    w->types = fl_arena_alloc(w->arena, (w->field_count + 1) * sizeof(fl_type));
    w->source_pos = fl_arena_alloc(w->arena, (w->spec->field_count + 1) * sizeof(size_t));
    if (w->types == NULL || w->source_pos == NULL) {
        rc = oom(err);
        goto fail;
    }
    for (size_t i = 0; i < w->field_count; i++)
        if ((rc = ice_type_to_fl(&w->types[i], st->fields[i].type, err)) < 0) goto fail;
    for (size_t p = 0; p < w->spec->field_count; p++) {
        const ice_partition_field *pf = &w->spec->fields[p];
        size_t k = 0;
        while (k < w->field_count && st->fields[k].id != pf->source_id) k++;
        if (k == w->field_count || pf->source_count != 1) {
            rc = fl_error_set(err, FLOE_EUNSUPPORTED,
                              "cannot write to table \"%s.%s\": partition field \"%s\" is not on a top-level column",
                              t->ns, t->name, pf->name);
            goto fail;
        }
        w->source_pos[p] = k;
    }
    if ((rc = ice_pq_schema(&w->root, st, w->arena, err)) < 0) goto fail;
    if ((rc = ice_pq_writer_opts(&w->pqo, md, opts ? opts->codec : NULL, err)) < 0) goto fail;
    pq_kv *schema_kv = fl_arena_alloc(w->arena, sizeof(*schema_kv));
    if (schema_kv == NULL) {
        rc = oom(err);
        goto fail;
    }
    if ((rc = ice_pq_schema_kv(schema_kv, w->schema, w->arena, err)) < 0) goto fail;
    w->pqo.kv = schema_kv;
    w->pqo.n_kv = 1;
    w->target = opts && opts->target_file_bytes > 0 ? opts->target_file_bytes : 0;
    if (w->target == 0 &&
        (rc = ice_table_property_i64(md, "write.target-file-size-bytes", DEFAULT_TARGET_FILE_BYTES,
                                     &w->target, err)) < 0)
        goto fail;
    if (w->target <= 0) w->target = DEFAULT_TARGET_FILE_BYTES;
    if ((int64_t)w->pqo.row_group_bytes > w->target) w->pqo.row_group_bytes = (size_t)w->target;
    if (opts && opts->threads > 1) {
        if ((rc = fl_pool_new(&w->pool, opts->threads)) < 0) {
            rc = fl_error_set(err, rc, "could not start %d writer threads", opts->threads);
            goto fail;
        }
        w->pqo.pool = w->pool;
    }
    fl_uuid u;
    if ((rc = fl_uuid_v4(&u, err)) < 0) goto fail;
    fl_uuid_format(&u, w->op_uuid);
    *out = w;
    return 0;
fail:
    ice_writer_free(w);
    return rc;
}

/* The partition of a tuple: found or created (values copied, path rendered). */
static int partition_for(ice_writer *w, const void *key, size_t key_len, const fl_value *values,
                         uint32_t *out, fl_error *err)
{
    uint64_t *slot;
    int ins = fl_hashmap_bytes_upsert(&w->parts_by_key, key, key_len, &slot);
    if (ins < 0) return oom(err);
    if (ins == 0) {
        *out = (uint32_t)*slot;
        return 0;
    }
    if (w->part_count == w->part_cap) {
        size_t cap = w->part_cap ? w->part_cap * 2 : 8;
        part_state **p = fl_arena_realloc(w->arena, w->parts, w->part_cap * sizeof(*p), cap * sizeof(*p));
        if (p == NULL) return oom(err);
        w->parts = p;
        w->part_cap = cap;
    }
    part_state *ps = fl_arena_calloc(w->arena, sizeof(*ps));
    size_t nv = w->spec->field_count;
    if (ps == NULL || (ps->values = fl_arena_calloc(w->arena, (nv ? nv : 1) * sizeof(fl_value))) == NULL)
        return oom(err);
    for (size_t i = 0; i < nv; i++) {
        ps->values[i] = values[i];
        if (!values[i].is_null && fl_type_is_varlen(values[i].type) && values[i].v.s.len > 0) {
            char *copy = fl_arena_memdup(w->arena, values[i].v.s.ptr, values[i].v.s.len);
            if (copy == NULL) return oom(err);
            ps->values[i].v.s.ptr = copy;
        }
    }
    fl_buf dir;
    fl_buf_init(&dir);
    int rc = fl_buf_appendf(&dir, "%s/data", w->t->md->location);
    if (rc == 0 && nv > 0) {
        rc = fl_buf_append(&dir, "/", 1);
        if (rc == 0) rc = ice_partition_path(&dir, w->spec, w->ptype, ps->values, err);
    } else if (rc < 0) {
        rc = oom(err);
    }
    if (rc == 0 && (ps->dir = fl_arena_strndup(w->arena, (const char *)dir.data, dir.len)) == NULL) rc = oom(err);
    fl_buf_dispose(&dir);
    FL_TRY(rc);
    ps->part_no = (int)w->part_count;
    w->parts[w->part_count] = ps;
    *slot = w->part_count;
    *out = (uint32_t)w->part_count++;
    return 0;
}

static int close_file(ice_writer *w, part_state *ps, fl_error *err);

static int open_file(ice_writer *w, part_state *ps, fl_error *err)
{
    if (w->open_count >= MAX_OPEN_FILES) {   /* keep file descriptors bounded */
        part_state *lru = NULL;
        for (size_t p = 0; p < w->part_count; p++) {
            part_state *c = w->parts[p];
            if (c->io != NULL && (lru == NULL || c->last_use < lru->last_use)) lru = c;
        }
        if (lru != NULL) FL_TRY(close_file(w, lru, err));
    }
    char name[160];
    ps->file_no++;
    snprintf(name, sizeof(name), "%05d-0-%s-%05d.parquet", ps->part_no, w->op_uuid, ps->file_no);
    size_t n = strlen(ps->dir) + strlen(name) + 2;
    if ((ps->location = fl_arena_alloc(w->arena, n)) == NULL) return oom(err);
    snprintf(ps->location, n, "%s/%s", ps->dir, name);
    FL_TRY(io_create(w->t->fs, ps->location, IO_CREATE_EXCLUSIVE, &ps->io, err));
    FL_TRY(track_created(w, ps->location, err));
    int rc = pq_writer_new(&ps->pq, ps->io, w->root, &w->pqo, err);
    if (rc < 0) {
        io_writer_abort(ps->io);
        ps->io = NULL;
        return rc;
    }
    w->open_count++;
    ps->pending_raw = ps->flushed_raw = 0;
    ps->last_written = ps->io->written;
    ps->file_rows = 0;
    return 0;
}

static int add_file(ice_writer *w, const ice_data_file *df, fl_error *err)
{
    if (w->file_count == w->file_cap) {
        size_t cap = w->file_cap ? w->file_cap * 2 : 8;
        ice_data_file *f = fl_arena_realloc(w->arena, w->files, w->file_cap * sizeof(*f), cap * sizeof(*f));
        if (f == NULL) return oom(err);
        w->files = f;
        w->file_cap = cap;
    }
    w->files[w->file_count++] = *df;
    return 0;
}

/* Closes the open file of ps and records it. */
static int close_file(ice_writer *w, part_state *ps, fl_error *err)
{
    if (ps->io == NULL) return 0;
    int rc = pq_writer_close(ps->pq, err);
    pq_writer_free(ps->pq);
    ps->pq = NULL;
    io_writer *io = ps->io;
    ps->io = NULL;
    w->open_count--;
    if (rc < 0) {
        io_writer_abort(io);
        return rc;
    }
    FL_TRY(io_writer_close(io, err));
    ice_data_file df;
    FL_TRY(ice_describe_parquet(&df, w->t->fs, ps->location, w->t->md, w->schema, w->arena, err));
    df.content = ICE_CONTENT_DATA;
    df.spec_id = w->spec->spec_id;
    df.partition_type = w->ptype;
    df.partition = ps->values;
    df.partition_count = w->spec->field_count;
    df.has_sort_order_id = w->sorted;
    df.sort_order_id = w->sort_order_id;
    return add_file(w, &df, err);
}

/* Raw size of rows of a column (fixed widths, string bytes, nested). */
static double raw_bytes(const fl_column *c, size_t rows)
{
    double b = (double)rows / 8;
    size_t width = fl_type_width(c->type);
    if (fl_type_is_varlen(c->type)) {
        const fl_strv *s = c->data;
        for (size_t i = 0; i < rows; i++) b += 4 + (double)s[i].len;
    } else if (width) {
        b += (double)width * (double)rows;
    }
    if (c->type.id == FL_TYPE_LIST || c->type.id == FL_TYPE_MAP) {
        size_t inner = rows ? (size_t)c->offsets[rows] : 0;
        b += 4.0 * (double)rows;
        for (uint32_t k = 0; k < c->child_count; k++) b += raw_bytes(c->children[k], inner);
    } else if (c->type.id == FL_TYPE_STRUCT) {
        for (uint32_t k = 0; k < c->child_count; k++) b += raw_bytes(c->children[k], rows);
    }
    return b;
}

static double estimate_bytes(const part_state *ps, double more_raw)
{
    double ratio = ps->flushed_raw > 0 ? (double)ps->io->written / ps->flushed_raw : 1.0;
    return (double)ps->io->written + (ps->pending_raw + more_raw) * ratio;
}

/* Hands `rows` rows to the partition's file, rolling it first when they
 * would take it past the target, and after when it reached the target. */
static int write_piece(ice_writer *w, part_state *ps, fl_column *const *cols, size_t rows,
                       fl_error *err)
{
    double raw = 0;
    for (size_t i = 0; i < w->field_count; i++) raw += raw_bytes(cols[i], rows);
    if (ps->io != NULL && ps->file_rows > 0 && estimate_bytes(ps, raw) > (double)w->target)
        FL_TRY(close_file(w, ps, err));
    if (ps->io == NULL) FL_TRY(open_file(w, ps, err));
    ps->last_use = ++w->stamp;
    FL_TRY(pq_writer_write(ps->pq, cols, rows, err));
    ps->file_rows += (int64_t)rows;
    ps->pending_raw += raw;
    uint64_t written = ps->io->written;
    if (written > 4 && written != ps->last_written) {   /* a row group went out (not just "PAR1") */
        ps->flushed_raw += ps->pending_raw;
        ps->pending_raw = 0;
        ps->last_written = written;
    }
    if (estimate_bytes(ps, 0) >= (double)w->target) FL_TRY(close_file(w, ps, err));
    return 0;
}

/* Writes rows idx[0..n) (NULL idx: rows 0..n) to ps in pieces of
 * piece_rows, so that files roll close to the target. */
static int write_rows(ice_writer *w, part_state *ps, fl_column *const *cols, const uint32_t *idx,
                      size_t n, size_t piece_rows, fl_error *err)
{
    if (idx == NULL && n <= piece_rows) return write_piece(w, ps, cols, n, err);
    uint32_t *seq = NULL;
    if (idx == NULL) {
        if ((seq = fl_arena_alloc(w->scratch, n * sizeof(uint32_t))) == NULL) return oom(err);
        for (size_t i = 0; i < n; i++) seq[i] = (uint32_t)i;
        idx = seq;
    }
    fl_column **piece = fl_arena_alloc(w->scratch, (w->field_count + 1) * sizeof(fl_column *));
    if (piece == NULL) return oom(err);
    for (size_t start = 0; start < n; start += piece_rows) {
        size_t m = n - start < piece_rows ? n - start : piece_rows;
        for (size_t c = 0; c < w->field_count; c++)
            FL_TRY(ice_column_gather(&piece[c], cols[c], idx + start, m, w->scratch, err));
        FL_TRY(write_piece(w, ps, piece, m, err));
    }
    return 0;
}

static int append_value_key(fl_buf *key, const fl_value *v)
{
    uint8_t tag = v->is_null ? 0 : 1;
    int rc = fl_buf_append(key, &tag, 1);
    if (v->is_null || rc < 0) return rc;
    if (fl_type_is_varlen(v->type)) {
        uint64_t len = v->v.s.len;   /* the length first: no tuple is a prefix of another */
        rc = fl_buf_append(key, &len, sizeof(len));
        if (rc == 0 && len) rc = fl_buf_append(key, v->v.s.ptr, v->v.s.len);
        return rc;
    }
    if (v->type.id == FL_TYPE_DECIMAL && fl_decimal_is_wide(v->type))
        return fl_buf_append(key, &v->v.i128, sizeof(v->v.i128));
    if (v->type.id == FL_TYPE_BOOL) {
        uint8_t b = v->v.b ? 1 : 0;
        return fl_buf_append(key, &b, 1);
    }
    return fl_buf_append(key, &v->v.i64, sizeof(v->v.i64));   /* ints, times, doubles: 8 bytes */
}

static int check_batch(const ice_writer *w, fl_column *const *cols, size_t col_count,
                       size_t row_count, fl_error *err)
{
    if (col_count != w->field_count)
        return fl_error_set(err, FLOE_EINVAL, "table \"%s.%s\" has %zu columns, not %zu",
                            w->t->ns, w->t->name, w->field_count, col_count);
    const ice_type *st = w->schema->type;
    for (size_t i = 0; i < col_count; i++) {
        if (cols[i] == NULL || cols[i]->type.id != w->types[i].id)
            return fl_error_set(err, FLOE_EINVAL, "column \"%s\" of table \"%s.%s\" is not of its table type",
                                st->fields[i].name, w->t->ns, w->t->name);
        if (cols[i]->len < row_count)
            return fl_error_set(err, FLOE_EINVAL, "column \"%s\" has %zu rows, fewer than %zu",
                                st->fields[i].name, cols[i]->len, row_count);
        if (st->fields[i].required && cols[i]->validity != NULL) {
            for (size_t r = 0; r < row_count; r++)
                if (!fl_bit_get(cols[i]->validity, r))
                    return fl_error_set(err, FLOE_EINVAL,
                                        "null value in column \"%s\" of table \"%s.%s\", which is required",
                                        st->fields[i].name, w->t->ns, w->t->name);
        }
    }
    return 0;
}

/* Partition number of every row into part_of. */
static int route_rows(ice_writer *w, fl_column *const *cols, size_t row_count, uint32_t *part_of,
                      fl_error *err)
{
    size_t nf = w->spec->field_count;
    fl_value vals[64];
    if (nf > 64) return fl_error_set(err, FLOE_EUNSUPPORTED, "more than 64 partition fields");
    fl_buf key;
    fl_buf_init(&key);
    int rc = 0;
    const ice_type *st = w->schema->type;
    for (size_t r = 0; r < row_count && rc == 0; r++) {
        fl_buf_reset(&key);
        for (size_t p = 0; p < nf && rc == 0; p++) {
            const ice_partition_field *pf = &w->spec->fields[p];
            size_t pos = w->source_pos[p];
            fl_value in;
            fl_column_get(cols[pos], r, &in);
            rc = ice_transform_apply(&vals[p], &pf->transform, st->fields[pos].type, &in, err);
            if (rc == 0 && append_value_key(&key, &vals[p]) < 0) rc = oom(err);
        }
        if (rc == 0) rc = partition_for(w, key.data, key.len, vals, &part_of[r], err);
    }
    fl_buf_dispose(&key);
    return rc;
}

int ice_writer_write(ice_writer *w, fl_column *const *cols, size_t col_count, size_t row_count,
                     fl_error *err)
{
    if (w->failed || w->finished)
        return fl_error_set(err, FLOE_EINVAL, "the writer of table \"%s.%s\" is %s", w->t->ns,
                            w->t->name, w->finished ? "finished" : "failed");
    FL_TRY(check_batch(w, cols, col_count, row_count, err));
    if (row_count == 0) return 0;
    if (row_count > UINT32_MAX) return fl_error_set(err, FLOE_EINVAL, "batch of %zu rows is too large", row_count);
    fl_arena_reset(w->scratch);
    int rc;
    /* pieces of at most a quarter of the target's raw bytes */
    double raw = 0;
    for (size_t i = 0; i < w->field_count; i++) raw += raw_bytes(cols[i], row_count);
    double per_row = raw / (double)row_count + 1;
    size_t piece_rows = PIECE_ROWS;
    if (per_row * PIECE_ROWS > (double)w->target / 4) {
        double p = (double)w->target / 4 / per_row;
        piece_rows = p < 1 ? 1 : (size_t)p;
    }
    uint32_t *part_of = fl_arena_alloc(w->scratch, row_count * sizeof(uint32_t));
    if (part_of == NULL) {
        rc = oom(err);
        goto done;
    }
    if (w->spec->field_count == 0) {
        uint32_t p;
        if ((rc = partition_for(w, "", 0, NULL, &p, err)) == 0)
            rc = write_rows(w, w->parts[p], cols, NULL, row_count, piece_rows, err);
        goto done;
    }
    if ((rc = route_rows(w, cols, row_count, part_of, err)) < 0) goto done;
    size_t np = w->part_count;
    size_t *count = fl_arena_calloc(w->scratch, np * sizeof(size_t));
    size_t *start = fl_arena_alloc(w->scratch, (np + 1) * sizeof(size_t));
    uint32_t *order = fl_arena_alloc(w->scratch, row_count * sizeof(uint32_t));
    if (count == NULL || start == NULL || order == NULL) {
        rc = oom(err);
        goto done;
    }
    for (size_t r = 0; r < row_count; r++) count[part_of[r]]++;
    if (count[part_of[0]] == row_count) {   /* one partition: no gathering by partition */
        rc = write_rows(w, w->parts[part_of[0]], cols, NULL, row_count, piece_rows, err);
        goto done;
    }
    start[0] = 0;
    for (size_t p = 0; p < np; p++) start[p + 1] = start[p] + count[p];
    memset(count, 0, np * sizeof(size_t));
    for (size_t r = 0; r < row_count; r++) order[start[part_of[r]] + count[part_of[r]]++] = (uint32_t)r;
    for (size_t p = 0; p < np && rc == 0; p++)
        if (count[p] > 0) rc = write_rows(w, w->parts[p], cols, order + start[p], count[p], piece_rows, err);
done:
    if (rc < 0) w->failed = true;
    else w->rows += (int64_t)row_count;
    return rc;
}

int ice_writer_finish(ice_writer *w, const ice_data_file **files, size_t *file_count,
                      fl_error *err)
{
    if (w->failed) return fl_error_set(err, FLOE_EINVAL, "the writer of table \"%s.%s\" failed", w->t->ns, w->t->name);
    if (!w->finished) {
        for (size_t p = 0; p < w->part_count; p++) {
            int rc = close_file(w, w->parts[p], err);
            if (rc < 0) {
                w->failed = true;
                return rc;
            }
        }
        w->finished = true;
    }
    *files = w->files;
    *file_count = w->file_count;
    return 0;
}

int64_t ice_writer_row_count(const ice_writer *w) { return w->rows; }

void ice_writer_set_sort_order(ice_writer *w, int32_t order_id)
{
    w->sorted = true;
    w->sort_order_id = order_id;
}

int ice_writer_roll(ice_writer *w, fl_error *err)
{
    if (w->failed || w->finished)
        return fl_error_set(err, FLOE_EINVAL, "the writer of table \"%s.%s\" is %s", w->t->ns,
                            w->t->name, w->failed ? "failed" : "finished");
    for (size_t p = 0; p < w->part_count; p++) {
        int rc = close_file(w, w->parts[p], err);
        if (rc < 0) {
            w->failed = true;
            return rc;
        }
    }
    return 0;
}

void ice_writer_abort(ice_writer *w)
{
    if (w == NULL) return;
    for (size_t p = 0; p < w->part_count; p++) {
        part_state *ps = w->parts[p];
        pq_writer_free(ps->pq);
        ps->pq = NULL;
        io_writer_abort(ps->io);
        ps->io = NULL;
    }
    for (size_t i = 0; i < w->created_count; i++) {
        fl_error ignored;
        io_remove(w->t->fs, w->created[i], &ignored);
    }
    ice_writer_free(w);
}

void ice_writer_free(ice_writer *w)
{
    if (w == NULL) return;
    for (size_t p = 0; p < w->part_count; p++) {
        part_state *ps = w->parts[p];
        pq_writer_free(ps->pq);
        if (ps->io) {   /* never finished: the partial file goes */
            io_writer_abort(ps->io);
            fl_error ignored;
            io_remove(w->t->fs, ps->location, &ignored);
        }
    }
    fl_pool_free(w->pool);
    fl_hashmap_dispose(&w->parts_by_key);
    fl_arena_free(w->scratch);
    fl_arena_free(w->arena);
    fl_free(w);
}
