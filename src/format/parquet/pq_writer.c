/*
 * pq_writer.c: the Parquet file writer (see pq_writer.h): schema layout,
 * row-group buffering, parallel chunk encoding and the footer.
 *
 * pq_writer_new copies the pq_field tree and derives the physical schema
 * from it: one SchemaElement per field (field ids on every field that has
 * one), 3-level lists `<name> (LIST) { repeated group list { element } }`,
 * maps `<name> (MAP) { repeated group key_value { required key; value } }`,
 * logical types plus the equivalent legacy converted types, and one pqw_leaf
 * per leaf column with its levels and its path of steps for shredding.
 *
 * pq_writer_write validates the batch, then shreds it into the leaves in
 * slices sized so that a row group holds about row_group_bytes of buffered
 * (uncompressed) data; a full row group is flushed: every leaf's chunk is
 * encoded (in parallel over the pool, when there is one), then the chunks
 * are written in column order and the RowGroup metadata is recorded.
 * pq_writer_close flushes the last row group and writes the FileMetaData
 * (key-value metadata, created_by, a TypeDefinedOrder per column).
 *
 * An error while shredding or encoding leaves buffers half-filled, so the
 * writer then refuses further calls; the caller aborts its io_writer.
 */
#include "pq_writer_int.h"

#include "../../base/alloc.h"
#include "../../base/decimal.h"
#include "../../base/threads.h"
#include "pq_codec.h"

#ifndef FLOE_VERSION
#define FLOE_VERSION "0.0.0"
#endif

#define MAX_LEVEL 255            /* levels are stored in one byte */
#define MAX_DEPTH (MAX_LEVEL + 1)
#define PARALLEL_SHRED_VALUES 65536   /* below this, shredding stays on the caller's thread */

struct pq_writer {
    io_writer *dst;
    fl_arena *arena;
    pq_field *root;
    pqw_leaf *leaves;
    int n_leaves;
    pqw_cfg cfg;
    size_t row_group_bytes;
    struct fl_pool *pool;

    pq_schema_element *schema;
    int32_t n_schema;
    pq_kv *kv;
    int32_t n_kv;
    pq_row_group *row_groups;    /* heap array */
    int32_t n_row_groups, cap_row_groups;
    int64_t num_rows;

    size_t rg_rows;              /* rows buffered in the current row group */
    double row_bytes;            /* estimated buffered bytes per row */
    uint64_t offset;             /* bytes written */
    bool started, closed, failed;
    pq_file_meta meta;
};

const char *pq_created_by(void) { return "floe version " FLOE_VERSION; }

void pq_writer_opts_init(pq_writer_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->codec = PQ_CODEC_ZSTD;
    opts->row_group_bytes = (size_t)128 << 20;
    opts->page_bytes = (size_t)1 << 20;
    opts->dict_page_bytes = (size_t)1 << 20;
    opts->page_version = 1;
    opts->page_rows = PQ_DEFAULT_PAGE_ROWS;
}

/* ---- schema ---- */

static int copy_field(pq_field *dst, const pq_field *src, fl_arena *arena, int depth,
                      fl_error *err)
{
    if (depth > MAX_DEPTH)
        return fl_error_set(err, FLOE_ELIMIT, "schema is nested more than %d levels deep",
                            MAX_DEPTH);
    memset(dst, 0, sizeof *dst);
    dst->name = fl_arena_strdup(arena, src->name ? src->name : "");
    if (!dst->name) return FLOE_ENOMEM;
    if (!src->name || !src->name[0])
        return fl_error_set(err, FLOE_EINVAL, "schema field without a name");
    dst->type = src->type;
    dst->nullable = src->nullable;
    dst->field_id = src->field_id;
    dst->has_field_id = src->has_field_id;
    dst->leaf_index = -1;
    if (src->n_children) {
        if (!src->children)
            return fl_error_set(err, FLOE_EINVAL, "field \"%s\" lacks its children", src->name);
        dst->children = fl_arena_calloc(arena, src->n_children * sizeof *dst->children);
        if (!dst->children) return FLOE_ENOMEM;
        dst->n_children = src->n_children;
        for (uint32_t i = 0; i < src->n_children; i++)
            FL_TRY(copy_field(&dst->children[i], &src->children[i], arena, depth + 1, err));
    }
    return 0;
}

/* Counts schema elements and leaves under f (LIST/MAP add a repeated group). */
static void count_nodes(const pq_field *f, int *elems, int *leaves)
{
    (*elems)++;
    if (f->type.id == FL_TYPE_LIST || f->type.id == FL_TYPE_MAP) (*elems)++;
    if (!fl_type_is_nested(f->type)) {
        (*leaves)++;
        return;
    }
    for (uint32_t i = 0; i < f->n_children; i++) count_nodes(&f->children[i], elems, leaves);
}

typedef struct build_ctx {
    pq_writer *w;
    int n_elems, n_leaves;
    int top;
    pqw_step steps[MAX_DEPTH];
    int n_steps;
    const char *path[MAX_DEPTH * 2];
    int path_len;
    fl_error *err;
} build_ctx;

static void set_int(pq_schema_element *e, pqw_leaf *L, int bits, bool is_signed)
{
    e->logical.kind = PQ_LT_INTEGER;
    e->logical.bit_width = (int8_t)bits;
    e->logical.is_signed = is_signed;
    static const int ct_signed[] = {PQ_CT_INT_8, PQ_CT_INT_16, PQ_CT_INT_32, PQ_CT_INT_64};
    static const int ct_unsigned[] = {PQ_CT_UINT_8, PQ_CT_UINT_16, PQ_CT_UINT_32, PQ_CT_UINT_64};
    int i = bits == 8 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : 3;
    e->converted_type = is_signed ? ct_signed[i] : ct_unsigned[i];
    if (bits == 64) {
        e->type = PQ_INT64;
        L->width = 8;
        L->sort = is_signed ? PQW_SORT_I64 : PQW_SORT_U64;
    } else {
        e->type = PQ_INT32;
        L->width = 4;
        L->sort = is_signed ? PQW_SORT_I32 : PQW_SORT_U32;
    }
}

static void set_time(pq_schema_element *e, pqw_leaf *L, int kind, int unit, bool utc)
{
    e->type = PQ_INT64;
    e->logical.kind = kind;
    e->logical.unit = unit;
    e->logical.is_adjusted_to_utc = utc;
    L->width = 8;
    L->sort = PQW_SORT_I64;
    /* LogicalTypes.md: local times and timestamps get the legacy annotation too */
    if (unit == PQ_UNIT_MICROS)
        e->converted_type = kind == PQ_LT_TIME ? PQ_CT_TIME_MICROS : PQ_CT_TIMESTAMP_MICROS;
}

/* Chooses the physical type and annotations of a leaf. */
static int map_leaf(pq_schema_element *e, pqw_leaf *L, fl_type t, const char *name, fl_error *err)
{
    switch (t.id) {
    case FL_TYPE_BOOL: e->type = PQ_BOOLEAN; L->width = 1; L->sort = PQW_SORT_BOOL; break;
    case FL_TYPE_INT8: set_int(e, L, 8, true); break;
    case FL_TYPE_INT16: set_int(e, L, 16, true); break;
    case FL_TYPE_INT32: set_int(e, L, 32, true); break;
    case FL_TYPE_INT64: e->type = PQ_INT64; L->width = 8; L->sort = PQW_SORT_I64; break;
    case FL_TYPE_UINT8: set_int(e, L, 8, false); break;
    case FL_TYPE_UINT16: set_int(e, L, 16, false); break;
    case FL_TYPE_UINT32: set_int(e, L, 32, false); break;
    case FL_TYPE_UINT64: set_int(e, L, 64, false); break;
    case FL_TYPE_FLOAT: e->type = PQ_FLOAT; L->width = 4; L->sort = PQW_SORT_FLOAT; break;
    case FL_TYPE_DOUBLE: e->type = PQ_DOUBLE; L->width = 8; L->sort = PQW_SORT_DOUBLE; break;
    case FL_TYPE_DECIMAL: {
        int p = t.precision, s = t.scale;
        if (p < 1 || p > FL_DECIMAL_MAX_PRECISION || s > p)
            return fl_error_set(err, FLOE_EINVAL, "column \"%s\" has invalid type decimal(%d,%d)",
                                name, p, s);
        e->logical.kind = PQ_LT_DECIMAL;
        e->logical.precision = p;
        e->logical.scale = s;
        e->converted_type = PQ_CT_DECIMAL;
        e->precision = p;
        e->scale = s;
        if (p <= 9) {
            e->type = PQ_INT32;
            L->width = 4;
            L->sort = PQW_SORT_I32;
        } else if (p <= 18) {
            e->type = PQ_INT64;
            L->width = 8;
            L->sort = PQW_SORT_I64;
        } else {
            e->type = PQ_FIXED_LEN_BYTE_ARRAY;
            e->type_length = fl_decimal_fixed_len(p);
            e->has_type_length = true;
            L->width = e->type_length;
            L->sort = PQW_SORT_FLBA_SIGNED;
        }
        break;
    }
    case FL_TYPE_DATE:
        e->type = PQ_INT32;
        e->logical.kind = PQ_LT_DATE;
        e->converted_type = PQ_CT_DATE;
        L->width = 4;
        L->sort = PQW_SORT_I32;
        break;
    case FL_TYPE_TIME: set_time(e, L, PQ_LT_TIME, PQ_UNIT_MICROS, false); break;
    case FL_TYPE_TIMESTAMP: set_time(e, L, PQ_LT_TIMESTAMP, PQ_UNIT_MICROS, false); break;
    case FL_TYPE_TIMESTAMPTZ: set_time(e, L, PQ_LT_TIMESTAMP, PQ_UNIT_MICROS, true); break;
    case FL_TYPE_TIMESTAMP_NS: set_time(e, L, PQ_LT_TIMESTAMP, PQ_UNIT_NANOS, false); break;
    case FL_TYPE_TIMESTAMPTZ_NS: set_time(e, L, PQ_LT_TIMESTAMP, PQ_UNIT_NANOS, true); break;
    case FL_TYPE_STRING:
        e->type = PQ_BYTE_ARRAY;
        e->logical.kind = PQ_LT_STRING;
        e->converted_type = PQ_CT_UTF8;
        L->width = 0;
        L->sort = PQW_SORT_BYTES;
        break;
    case FL_TYPE_BINARY: e->type = PQ_BYTE_ARRAY; L->width = 0; L->sort = PQW_SORT_BYTES; break;
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: {
        int32_t len = t.id == FL_TYPE_UUID ? 16 : t.fixed_len;
        if (len <= 0)
            return fl_error_set(err, FLOE_EINVAL, "column \"%s\" has invalid length %d for fixed",
                                name, len);
        e->type = PQ_FIXED_LEN_BYTE_ARRAY;
        e->type_length = len;
        e->has_type_length = true;
        if (t.id == FL_TYPE_UUID) e->logical.kind = PQ_LT_UUID;
        L->width = len;
        L->sort = PQW_SORT_BYTES;
        break;
    }
    case FL_TYPE_NULL:
        e->type = PQ_INT32;
        e->logical.kind = PQ_LT_UNKNOWN;
        L->width = 4;
        L->sort = PQW_SORT_NONE;
        break;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "column \"%s\" has type %s, which parquet "
                            "files cannot hold", name, fl_type_name(t.id));
    }
    L->physical_type = e->type;
    L->type_length = e->type_length;
    return 0;
}

static int add_leaf(build_ctx *b, const pq_field *f, pq_schema_element *e, int16_t def,
                    int16_t rep)
{
    pq_writer *w = b->w;
    pqw_leaf *L = &w->leaves[b->n_leaves++];
    L->type = f->type;
    L->top = b->top;
    L->max_def = def;
    L->max_rep = rep;
    L->n_steps = b->n_steps;
    L->steps = fl_arena_memdup(w->arena, b->steps, (size_t)b->n_steps * sizeof *b->steps);
    L->path = fl_arena_alloc(w->arena, (size_t)b->path_len * sizeof *L->path);
    if (!L->steps || !L->path) return FLOE_ENOMEM;
    L->path_len = b->path_len;
    fl_buf dotted;
    fl_buf_init(&dotted);
    int rc = 0;
    for (int i = 0; i < b->path_len && rc == 0; i++) {
        L->path[i] = (char *)b->path[i];
        if (i && fl_buf_append_byte(&dotted, '.') < 0) rc = FLOE_ENOMEM;
        if (rc == 0 && fl_buf_append_str(&dotted, b->path[i]) < 0) rc = FLOE_ENOMEM;
    }
    if (rc == 0) L->name = fl_arena_strdup(w->arena, fl_buf_cstr(&dotted));
    fl_buf_dispose(&dotted);
    if (rc < 0 || !L->name) return FLOE_ENOMEM;
    if (f->type.id == FL_TYPE_NULL && !f->nullable)
        return fl_error_set(b->err, FLOE_EINVAL, "column \"%s\" of type null must be nullable",
                            L->name);
    return map_leaf(e, L, f->type, L->name, b->err);
}

static pq_schema_element *new_elem(build_ctx *b, const char *name, int repetition)
{
    pq_schema_element *e = &b->w->schema[b->n_elems++];
    memset(e, 0, sizeof *e);
    e->type = -1;
    e->repetition = repetition;
    e->name = (char *)name;
    e->converted_type = PQ_CT_NONE;
    e->logical.kind = PQ_LT_NONE;
    return e;
}

static int add_field(build_ctx *b, const pq_field *f, const char *name, bool nullable,
                     int16_t def, int16_t rep)
{
    if (b->n_steps >= MAX_DEPTH - 1 || def + 2 > MAX_LEVEL || rep + 1 > MAX_LEVEL)
        return fl_error_set(b->err, FLOE_ELIMIT, "field \"%s\" is nested too deeply", name);
    pq_schema_element *e = new_elem(b, name, nullable ? PQ_OPTIONAL : PQ_REQUIRED);
    e->field_id = f->field_id;
    e->has_field_id = f->has_field_id;
    if (nullable) def++;
    b->path[b->path_len++] = name;
    pqw_step *step = &b->steps[b->n_steps++];
    memset(step, 0, sizeof *step);
    step->nullable = nullable;
    int rc = 0;
    switch (f->type.id) {
    case FL_TYPE_STRUCT:
        step->kind = PQW_STEP_STRUCT;
        if (f->n_children == 0)
            return fl_error_set(b->err, FLOE_EUNSUPPORTED,
                                "struct \"%s\" has no fields, which parquet cannot store", name);
        e->num_children = (int32_t)f->n_children;
        for (uint32_t i = 0; i < f->n_children && rc == 0; i++) {
            b->steps[b->n_steps - 1].child = i;
            const pq_field *c = &f->children[i];
            rc = add_field(b, c, c->name, c->nullable, def, rep);
        }
        break;
    case FL_TYPE_LIST:
    case FL_TYPE_MAP: {
        bool is_map = f->type.id == FL_TYPE_MAP;
        if (f->n_children != (is_map ? 2u : 1u))
            return fl_error_set(b->err, FLOE_EINVAL, "%s field \"%s\" has %u children",
                                fl_type_name(f->type.id), name, f->n_children);
        step->kind = is_map ? PQW_STEP_MAP : PQW_STEP_LIST;
        step->rep_level = (int16_t)(rep + 1);
        e->num_children = 1;
        e->converted_type = is_map ? PQ_CT_MAP : PQ_CT_LIST;
        e->logical.kind = is_map ? PQ_LT_MAP : PQ_LT_LIST;
        pq_schema_element *g = new_elem(b, is_map ? "key_value" : "list", PQ_REPEATED);
        g->num_children = is_map ? 2 : 1;
        b->path[b->path_len++] = g->name;
        if (is_map) {
            rc = add_field(b, &f->children[0], "key", false, (int16_t)(def + 1),
                           (int16_t)(rep + 1));
            b->steps[b->n_steps - 1].child = 1;
            if (rc == 0)
                rc = add_field(b, &f->children[1], "value", f->children[1].nullable,
                               (int16_t)(def + 1), (int16_t)(rep + 1));
        } else {
            rc = add_field(b, &f->children[0], "element", f->children[0].nullable,
                           (int16_t)(def + 1), (int16_t)(rep + 1));
        }
        b->path_len--;
        break;
    }
    default:
        step->kind = PQW_STEP_LEAF;
        rc = add_leaf(b, f, e, def, rep);
        break;
    }
    b->n_steps--;
    b->path_len--;
    return rc;
}

static int build_schema(pq_writer *w, fl_error *err)
{
    int n_elems = 1, n_leaves = 0;
    for (uint32_t i = 0; i < w->root->n_children; i++)
        count_nodes(&w->root->children[i], &n_elems, &n_leaves);
    w->schema = fl_arena_calloc(w->arena, (size_t)n_elems * sizeof *w->schema);
    w->leaves = fl_calloc((size_t)(n_leaves ? n_leaves : 1), sizeof *w->leaves);
    if (!w->schema || !w->leaves) return FLOE_ENOMEM;
    for (int i = 0; i < n_leaves; i++) {
        pqw_leaf *L = &w->leaves[i];
        fl_buf_init(&L->def);
        fl_buf_init(&L->rep);
        fl_buf_init(&L->values);
        fl_buf_init(&L->page);
        fl_buf_init(&L->vals_page);
        fl_buf_init(&L->comp);
        fl_buf_init(&L->chunk);
        pqw_dict_init(&L->dict);
        pqw_stats_init(&L->stats);
    }
    w->n_leaves = n_leaves;
    build_ctx *b = fl_calloc(1, sizeof *b);
    if (!b) return FLOE_ENOMEM;
    b->w = w;
    b->err = err;
    pq_schema_element *root = new_elem(b, "schema", PQ_REP_NONE);
    root->num_children = (int32_t)w->root->n_children;
    int rc = 0;
    for (uint32_t i = 0; i < w->root->n_children && rc == 0; i++) {
        const pq_field *f = &w->root->children[i];
        b->top = (int)i;
        rc = add_field(b, f, f->name, f->nullable, 0, 0);
    }
    FL_ASSERT(rc < 0 || (b->n_elems == n_elems && b->n_leaves == n_leaves));
    w->n_schema = n_elems;
    fl_free(b);
    return rc;
}

/* ---- lifecycle ---- */

static int check_opts(const pq_writer_opts *o, fl_error *err)
{
    switch (o->codec) {
    case PQ_CODEC_UNCOMPRESSED:
    case PQ_CODEC_SNAPPY:
    case PQ_CODEC_GZIP:
    case PQ_CODEC_BROTLI:
    case PQ_CODEC_ZSTD:
    case PQ_CODEC_LZ4_RAW: break;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "parquet writer does not support codec %d",
                            o->codec);
    }
    if (o->page_version != 0 && o->page_version != 1 && o->page_version != 2)
        return fl_error_set(err, FLOE_EINVAL, "parquet data page version %d is not 1 or 2",
                            o->page_version);
    if (o->n_kv < 0 || (o->n_kv > 0 && !o->kv))
        return fl_error_set(err, FLOE_EINVAL, "invalid key-value metadata");
    return 0;
}

static int copy_kv(pq_writer *w, const pq_writer_opts *o, fl_error *err)
{
    if (o->n_kv == 0) return 0;
    w->kv = fl_arena_calloc(w->arena, (size_t)o->n_kv * sizeof *w->kv);
    if (!w->kv) return FLOE_ENOMEM;
    for (int i = 0; i < o->n_kv; i++) {
        if (!o->kv[i].key)
            return fl_error_set(err, FLOE_EINVAL, "key-value metadata entry %d has no key", i);
        w->kv[i].key = fl_arena_strdup(w->arena, o->kv[i].key);
        if (!w->kv[i].key) return FLOE_ENOMEM;
        if (o->kv[i].value) {
            w->kv[i].value = fl_arena_strdup(w->arena, o->kv[i].value);
            if (!w->kv[i].value) return FLOE_ENOMEM;
        }
    }
    w->n_kv = o->n_kv;
    return 0;
}

static double estimate_row_bytes(const pq_writer *w)
{
    double bytes = 0;
    for (int i = 0; i < w->n_leaves; i++) {
        const pqw_leaf *L = &w->leaves[i];
        double b = (L->width ? L->width : 20) + (L->max_def ? 1 : 0);
        if (L->max_rep) b = (b + 1) * 4;   /* guess four elements per list */
        bytes += b;
    }
    return bytes > 1 ? bytes : 1;
}

int pq_writer_new(pq_writer **out, io_writer *dst, const pq_field *root,
                  const pq_writer_opts *opts, fl_error *err)
{
    *out = NULL;
    pq_writer_opts defaults;
    if (!opts) {
        pq_writer_opts_init(&defaults);
        opts = &defaults;
    }
    FL_TRY(check_opts(opts, err));
    if (!dst) return fl_error_set(err, FLOE_EINVAL, "parquet writer needs an output");
    if (!root || root->type.id != FL_TYPE_STRUCT)
        return fl_error_set(err, FLOE_EINVAL, "parquet schema root must be a struct");
    if (root->n_children == 0)
        return fl_error_set(err, FLOE_EINVAL, "parquet schema has no columns");
    pq_writer *w = fl_calloc(1, sizeof *w);
    if (!w) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = FLOE_ENOMEM;
    w->arena = fl_arena_new(0);
    w->root = w->arena ? fl_arena_calloc(w->arena, sizeof *w->root) : NULL;
    if (!w->root) goto fail;
    if ((rc = copy_field(w->root, root, w->arena, 0, err)) < 0) goto fail;
    if ((rc = build_schema(w, err)) < 0) goto fail;
    if ((rc = copy_kv(w, opts, err)) < 0) goto fail;
    w->dst = dst;
    w->pool = opts->pool;
    w->cfg.codec = opts->codec;
    w->cfg.level = opts->level;
    w->cfg.page_bytes = opts->page_bytes ? opts->page_bytes : (size_t)1 << 20;
    w->cfg.dict_page_bytes = opts->dict_page_bytes ? opts->dict_page_bytes : (size_t)1 << 20;
    w->cfg.no_dictionary = opts->no_dictionary;
    w->cfg.page_version = opts->page_version == 2 ? 2 : 1;
    w->cfg.page_crc = opts->page_crc;
    w->cfg.page_rows = opts->page_rows ? opts->page_rows : PQ_DEFAULT_PAGE_ROWS;
    w->row_group_bytes = opts->row_group_bytes ? opts->row_group_bytes : (size_t)128 << 20;
    w->row_bytes = estimate_row_bytes(w);
    *out = w;
    return 0;
fail:
    if (rc == FLOE_ENOMEM && (!err || err->code == 0)) fl_error_set(err, rc, "out of memory");
    pq_writer_free(w);
    return rc;
}

void pq_writer_free(pq_writer *w)
{
    if (!w) return;
    for (int i = 0; i < w->n_leaves; i++) {
        pqw_leaf *L = &w->leaves[i];
        fl_buf_dispose(&L->def);
        fl_buf_dispose(&L->rep);
        fl_buf_dispose(&L->values);
        fl_buf_dispose(&L->page);
        fl_buf_dispose(&L->vals_page);
        fl_buf_dispose(&L->comp);
        fl_buf_dispose(&L->chunk);
        pqw_dict_dispose(&L->dict);
        pqw_stats_dispose(&L->stats);
        fl_free(L->idx);
    }
    fl_free(w->leaves);
    fl_free(w->row_groups);
    fl_arena_free(w->arena);
    fl_free(w);
}

/* ---- row groups ---- */

static int write_bytes(pq_writer *w, const void *p, size_t len, fl_error *err)
{
    int rc = io_write(w->dst, p, len, err);
    if (rc < 0) return rc;
    w->offset += len;
    return 0;
}

static int start(pq_writer *w, fl_error *err)
{
    if (w->started) return 0;
    FL_TRY(write_bytes(w, "PAR1", 4, err));
    w->started = true;
    return 0;
}

static size_t buffered_bytes(const pq_writer *w)
{
    size_t n = 0;
    for (int i = 0; i < w->n_leaves; i++)
        n += w->leaves[i].values.len + w->leaves[i].def.len + w->leaves[i].rep.len;
    return n;
}

static void encode_task(void *ctx, size_t index, int worker)
{
    (void)worker;
    pq_writer *w = ctx;
    pqw_leaf *L = &w->leaves[index];
    fl_error_clear(&L->err);
    L->rc = pqw_chunk_encode(L, &w->cfg, &L->err);
    if (L->rc < 0 && L->err.code == 0)
        fl_error_set(&L->err, L->rc, "out of memory encoding column \"%s\"", L->name);
}

static bool writes_legacy_stats(int sort)
{
    return sort == PQW_SORT_BOOL || sort == PQW_SORT_I32 || sort == PQW_SORT_I64 ||
           sort == PQW_SORT_FLOAT || sort == PQW_SORT_DOUBLE;
}

/* Fills a ColumnChunk for leaf L written at file offset base. */
static int chunk_meta(pq_writer *w, pqw_leaf *L, uint64_t base, pq_column_chunk *cc)
{
    memset(cc, 0, sizeof *cc);
    cc->file_offset = (int64_t)base;
    cc->has_meta = true;
    pq_column_meta *m = &cc->meta;
    m->type = L->physical_type;
    m->encodings = fl_arena_memdup(w->arena, L->encodings, (size_t)L->n_encodings * sizeof(int));
    if (!m->encodings) return FLOE_ENOMEM;
    m->n_encodings = L->n_encodings;
    m->path_in_schema = L->path;
    m->path_len = L->path_len;
    m->codec = w->cfg.codec;
    m->num_values = (int64_t)L->n_entries;
    m->total_uncompressed_size = L->uncompressed_size;
    m->total_compressed_size = (int64_t)L->chunk.len;
    m->data_page_offset = (int64_t)base + L->data_page_rel;
    if (L->has_dict_page) {
        m->has_dictionary_page_offset = true;
        m->dictionary_page_offset = (int64_t)base + L->dict_page_rel;
    }
    m->has_stats = true;
    pq_statistics *st = &m->stats;
    st->null_count = L->n_nulls;
    st->has_null_count = true;
    const pqw_stats *s = &L->stats;
    if (s->has_minmax) {
        char *min = fl_arena_memdup(w->arena, s->min_len ? (const void *)s->min : "",
                                    s->min_len ? s->min_len : 1);
        char *max = fl_arena_memdup(w->arena, s->max_len ? (const void *)s->max : "",
                                    s->max_len ? s->max_len : 1);
        if (!min || !max) return FLOE_ENOMEM;
        st->min_value = fl_strv_make(min, s->min_len);
        st->max_value = fl_strv_make(max, s->max_len);
        st->has_min_value = st->has_max_value = true;
        st->is_min_value_exact = s->min_exact;
        st->is_max_value_exact = s->max_exact;
        st->has_is_min_value_exact = st->has_is_max_value_exact = true;
        if (writes_legacy_stats(L->sort)) {
            st->min = st->min_value;
            st->max = st->max_value;
            st->has_min = st->has_max = true;
        }
    }
    return 0;
}

static int grow_row_groups(pq_writer *w)
{
    if (w->n_row_groups < w->cap_row_groups) return 0;
    int32_t cap = w->cap_row_groups ? w->cap_row_groups * 2 : 8;
    pq_row_group *p = fl_realloc(w->row_groups, (size_t)cap * sizeof *p);
    if (!p) return FLOE_ENOMEM;
    w->row_groups = p;
    w->cap_row_groups = cap;
    return 0;
}

static void reset_leaves(pq_writer *w)
{
    for (int i = 0; i < w->n_leaves; i++) {
        pqw_leaf *L = &w->leaves[i];
        fl_buf_reset(&L->def);
        fl_buf_reset(&L->rep);
        fl_buf_reset(&L->values);
        L->n_entries = L->n_values = 0;
        L->n_nulls = 0;
    }
}

static int flush(pq_writer *w, fl_error *err)
{
    if (w->rg_rows == 0) return 0;
    FL_TRY(start(w, err));
    size_t buffered = buffered_bytes(w);
    fl_pool_run(w->pool, (size_t)w->n_leaves, encode_task, w);
    for (int i = 0; i < w->n_leaves; i++) {
        if (w->leaves[i].rc < 0) {
            if (err) *err = w->leaves[i].err;
            return w->leaves[i].rc;
        }
    }
    if (grow_row_groups(w) < 0) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    pq_row_group *rg = &w->row_groups[w->n_row_groups];
    memset(rg, 0, sizeof *rg);
    rg->columns = fl_arena_calloc(w->arena, (size_t)w->n_leaves * sizeof *rg->columns);
    if (!rg->columns) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    rg->n_columns = w->n_leaves;
    rg->file_offset = (int64_t)w->offset;
    rg->has_file_offset = true;
    for (int i = 0; i < w->n_leaves; i++) {
        pqw_leaf *L = &w->leaves[i];
        uint64_t base = w->offset;
        if (chunk_meta(w, L, base, &rg->columns[i]) < 0)
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        FL_TRY(write_bytes(w, L->chunk.data, L->chunk.len, err));
        rg->total_byte_size += L->uncompressed_size;
        rg->total_compressed_size += (int64_t)L->chunk.len;
    }
    rg->has_total_compressed_size = true;
    rg->num_rows = (int64_t)w->rg_rows;
    if (w->n_row_groups <= INT16_MAX) {
        rg->ordinal = (int16_t)w->n_row_groups;
        rg->has_ordinal = true;
    }
    w->n_row_groups++;
    w->num_rows += (int64_t)w->rg_rows;
    w->row_bytes = (double)buffered / (double)w->rg_rows;
    if (w->row_bytes < 1) w->row_bytes = 1;
    w->rg_rows = 0;
    reset_leaves(w);
    return 0;
}

/* ---- writing ---- */

typedef struct shred_ctx {
    pq_writer *w;
    fl_column *const *cols;
    size_t begin, end;
} shred_ctx;

static void shred_task(void *ctx, size_t index, int worker)
{
    (void)worker;
    shred_ctx *c = ctx;
    pqw_leaf *L = &c->w->leaves[index];
    fl_error_clear(&L->err);
    L->rc = pqw_shred(L, c->cols[L->top], c->begin, c->end, &L->err);
    if (L->rc < 0 && L->err.code == 0)
        fl_error_set(&L->err, L->rc, "out of memory buffering column \"%s\"", L->name);
}

static int shred_all(pq_writer *w, fl_column *const *cols, size_t begin, size_t end,
                     fl_error *err)
{
    shred_ctx c = {w, cols, begin, end};
    size_t work = (end - begin) * (size_t)w->n_leaves;
    fl_pool_run(work >= PARALLEL_SHRED_VALUES ? w->pool : NULL, (size_t)w->n_leaves, shred_task,
                &c);
    for (int i = 0; i < w->n_leaves; i++) {
        if (w->leaves[i].rc < 0) {
            if (err) *err = w->leaves[i].err;
            return w->leaves[i].rc;
        }
    }
    return 0;
}

/* Rows of the next slice: about what fills the current row group. */
static size_t slice_rows(const pq_writer *w, size_t left)
{
    size_t buffered = buffered_bytes(w);
    double per_row = w->rg_rows ? (double)buffered / (double)w->rg_rows : w->row_bytes;
    if (per_row < 1) per_row = 1;
    double room = buffered < w->row_group_bytes ? (double)(w->row_group_bytes - buffered) : 0;
    double n = room / per_row + 1;
    return n >= (double)left ? left : (size_t)n;
}

static int refuse(const pq_writer *w, fl_error *err)
{
    if (w->failed)
        return fl_error_set(err, FLOE_EINVAL, "parquet writer cannot continue after an error");
    return fl_error_set(err, FLOE_EINVAL, "parquet writer is already closed");
}

int pq_writer_write(pq_writer *w, fl_column *const *cols, size_t rows, fl_error *err)
{
    if (w->failed || w->closed) return refuse(w, err);
    if (rows == 0) return 0;
    if (!cols) return fl_error_set(err, FLOE_EINVAL, "parquet writer was given no columns");
    for (uint32_t i = 0; i < w->root->n_children; i++)
        FL_TRY(pqw_validate(&w->root->children[i], cols[i], 0, rows, err));
    size_t pos = 0;
    while (pos < rows) {
        size_t n = slice_rows(w, rows - pos);
        int rc = shred_all(w, cols, pos, pos + n, err);
        if (rc == 0) {
            w->rg_rows += n;
            pos += n;
            if (buffered_bytes(w) >= w->row_group_bytes) rc = flush(w, err);
        }
        if (rc < 0) {
            w->failed = true;
            return rc;
        }
    }
    return 0;
}

int pq_writer_close(pq_writer *w, fl_error *err)
{
    if (w->failed || w->closed) return refuse(w, err);
    int rc = flush(w, err);
    if (rc == 0) rc = start(w, err);
    if (rc < 0) {
        w->failed = true;
        return rc;
    }
    pq_file_meta *m = &w->meta;
    memset(m, 0, sizeof *m);
    m->version = w->cfg.page_version == 2 ? 2 : 1;
    m->schema = w->schema;
    m->n_schema = w->n_schema;
    m->num_rows = w->num_rows;
    m->row_groups = w->row_groups;
    m->n_row_groups = w->n_row_groups;
    m->kv = w->kv;
    m->n_kv = w->n_kv;
    m->created_by = (char *)pq_created_by();
    m->n_column_orders = w->n_leaves;
    fl_buf footer;
    fl_buf_init(&footer);
    rc = pq_file_meta_write(&footer, m, err);
    if (rc == 0 && footer.len > UINT32_MAX)
        rc = fl_error_set(err, FLOE_ELIMIT, "parquet footer is larger than 4 GiB");
    if (rc == 0 && (fl_buf_append_u32le(&footer, (uint32_t)footer.len) < 0 ||
                    fl_buf_append(&footer, "PAR1", 4) < 0))
        rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) rc = write_bytes(w, footer.data, footer.len, err);
    fl_buf_dispose(&footer);
    if (rc < 0) {
        w->failed = true;
        return rc;
    }
    w->closed = true;
    return 0;
}

const pq_file_meta *pq_writer_metadata(const pq_writer *w)
{
    return w && w->closed ? &w->meta : NULL;
}
