/*
 * cmd_parquet.c: the `floe parquet` command group: dispatch, and the two
 * metadata tools, `schema` (the field tree) and `meta` (the footer as JSON,
 * built with jansson). `cat` and `scan` live in cmd_parquet_read.c, `write`
 * in cmd_parquet_write.c.
 *
 * These tools use the format layer directly (pq_reader.h); see README.md.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../format/parquet/pq_reader.h"
#include "cli.h"
#include "cmd_parquet.h"
#include "render.h"

const char parquet_usage[] =
    "usage: floe parquet schema FILE\n"
    "       floe parquet meta FILE\n"
    "       floe parquet cat FILE [--columns a,b] [--format csv|json] [--limit N]\n"
    "       floe parquet write --schema DDL [--delimiter C] [--header] [--null STR]\n"
    "                          [--codec zstd|snappy|gzip|lz4_raw|none] [--row-group-bytes N]\n"
    "                          [--threads N] IN OUT.parquet\n"
    "       floe parquet scan FILE [--threads N]\n"
    "\n"
    "  schema   the field tree: names, types (with the physical type), nullability, field ids\n"
    "  meta     footer, row groups, column chunks (encodings, codec, sizes, decoded\n"
    "           statistics), key-value metadata and created_by, as JSON\n"
    "  cat      rows as CSV with a header (default) or as JSON, one object per line\n"
    "  write    delimited text (optionally .zst/.gz) to Parquet, in parallel; DDL is a\n"
    "           column list (\"a int, b decimal(7,2) not null\") or a file holding a\n"
    "           CREATE TABLE; --delimiter default ',' (\\t for tab), --null default\n"
    "           empty, --codec default zstd, sizes accept K/M/G; reports rows and\n"
    "           seconds on stderr\n"
    "  scan     decodes every column of every row group (in parallel) and prints rows,\n"
    "           bytes (the file's column chunks, compressed and uncompressed) and seconds\n";

/* ---- schema ---------------------------------------------------------- */

static void print_field(const pq_field *f, int depth)
{
    char type_text[64];
    fl_type_format(f->type, type_text, sizeof type_text);
    printf("%*s%s: %s", depth * 2, "", f->name ? f->name : "", type_text);
    if (f->leaf_index >= 0) {
        printf(" [%s", pq_physical_type_name(f->physical_type));
        if (f->physical_type == PQ_FIXED_LEN_BYTE_ARRAY) printf("(%" PRId32 ")", f->type_length);
        const pq_schema_element *e = f->element;
        if (e && e->logical.kind != PQ_LT_NONE) printf(" %s", pq_logical_kind_name(e->logical.kind));
        else if (e && e->converted_type != PQ_CT_NONE)
            printf(" %s", pq_converted_type_name(e->converted_type));
        printf("]");
    }
    printf(" %s", f->nullable ? "nullable" : "not null");
    if (f->has_field_id) printf(" id=%" PRId32, f->field_id);
    printf("\n");
    for (uint32_t i = 0; i < f->n_children; i++) print_field(&f->children[i], depth + 1);
}

static int cmd_schema(int argc, char **argv)
{
    if (argc != 2) return cli_usage_error(parquet_usage, "parquet schema takes one FILE");
    fl_error err;
    pq_file *file = NULL;
    if (pq_file_open_path(&file, argv[1], &err) < 0) return cli_fail(&err);
    const pq_field *root = pq_file_schema(file);
    printf("%s: %" PRId64 " rows, %d row groups, %" PRIu32 " columns\n", argv[1],
           pq_file_num_rows(file), pq_file_num_row_groups(file), root->n_children);
    for (uint32_t i = 0; i < root->n_children; i++) print_field(&root->children[i], 1);
    pq_file_free(file);
    return CLI_OK;
}

/* ---- meta ------------------------------------------------------------ */

/* jansson helpers: a NULL from jansson means out of memory; json_object_set_new
 * steals the value even on failure, so errors are collected in *ok. */
static void jset(json_t *obj, const char *key, json_t *value, bool *ok)
{
    if (!value || json_object_set_new(obj, key, value) < 0) *ok = false;
}
static void jpush(json_t *arr, json_t *value, bool *ok)
{
    if (!value || json_array_append_new(arr, value) < 0) *ok = false;
}
/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq(const uint8_t *p, size_t avail)
{
    uint8_t c = p[0];
    size_t n;
    uint32_t cp;
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) n = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) n = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) n = 4, cp = c & 0x07;
    else return 0;
    if (n > avail) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* A JSON string of arbitrary bytes: invalid UTF-8 becomes U+FFFD (metadata
 * strings and binary statistics need not be UTF-8). NULL on OOM. */
static json_t *jtext(const char *s, size_t len)
{
    json_t *j = json_stringn(s, len);
    if (j) return j;
    fl_buf b;
    fl_buf_init(&b);
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0;) {
        size_t n = utf8_seq((const uint8_t *)s + i, len - i);
        if (n && s[i] != 0) {
            rc = fl_buf_append(&b, s + i, n);
            i += n;
        } else {
            rc = fl_buf_append_str(&b, "\xef\xbf\xbd");
            i++;
        }
    }
    j = rc == 0 ? json_stringn(fl_buf_cstr(&b), b.len) : NULL;
    fl_buf_dispose(&b);
    return j;
}

static json_t *kv_json(const pq_kv *kv, int n, bool *ok)
{
    json_t *obj = json_object();
    if (!obj) { *ok = false; return NULL; }
    for (int i = 0; i < n; i++) {
        json_t *v = kv[i].value ? jtext(kv[i].value, strlen(kv[i].value)) : json_null();
        /* keys must be UTF-8 for jansson too */
        json_t *key = jtext(kv[i].key ? kv[i].key : "", kv[i].key ? strlen(kv[i].key) : 0);
        if (!key) {
            json_decref(v);
            *ok = false;
            continue;
        }
        jset(obj, json_string_value(key), v, ok);
        json_decref(key);
    }
    return obj;
}

static json_t *value_json(const fl_value *v, bool *ok)
{
    if (v->is_null) return json_null();
    fl_buf b;
    fl_buf_init(&b);
    json_t *j = NULL;
    if (render_scalar_text(&b, v) == 0) j = jtext(fl_buf_cstr(&b), b.len);
    fl_buf_dispose(&b);
    if (!j) *ok = false;
    return j;
}

/* Statistics of chunk (rg, leaf): decoded for top-level primitive columns,
 * the raw counts otherwise. */
static json_t *stats_json(const pq_file *file, int rg, int top_column, const pq_column_meta *cm,
                          fl_arena *arena, bool *ok)
{
    if (!cm->has_stats) return json_null();
    json_t *s = json_object();
    if (!s) { *ok = false; return NULL; }
    const pq_statistics *st = &cm->stats;
    if (st->has_null_count) jset(s, "null_count", json_integer(st->null_count), ok);
    if (st->has_distinct_count) jset(s, "distinct_count", json_integer(st->distinct_count), ok);
    if (top_column >= 0) {
        pq_chunk_stats cs;
        fl_error err;
        if (pq_chunk_stats_get(file, rg, top_column, &cs, arena, &err) == 0) {
            jset(s, "min", value_json(&cs.min, ok), ok);
            jset(s, "max", value_json(&cs.max, ok), ok);
        } else {
            jset(s, "error", jtext(err.message, strlen(err.message)), ok);
        }
    }
    if (st->has_min_value) jset(s, "min_value_bytes", json_integer(st->min_value.len), ok);
    if (st->has_max_value) jset(s, "max_value_bytes", json_integer(st->max_value.len), ok);
    if (st->has_is_min_value_exact) jset(s, "is_min_value_exact", json_boolean(st->is_min_value_exact), ok);
    if (st->has_is_max_value_exact) jset(s, "is_max_value_exact", json_boolean(st->is_max_value_exact), ok);
    return s;
}

static json_t *chunk_json(const pq_file *file, int rg, const pq_column_chunk *cc, int top_column,
                          fl_arena *arena, bool *ok)
{
    json_t *c = json_object();
    if (!c) { *ok = false; return NULL; }
    const pq_column_meta *cm = &cc->meta;
    if (cc->file_path) jset(c, "file_path", jtext(cc->file_path, strlen(cc->file_path)), ok);
    jset(c, "file_offset", json_integer(cc->file_offset), ok);
    if (!cc->has_meta) {
        jset(c, "encrypted", json_boolean(cc->encrypted), ok);
        return c;
    }
    fl_buf path;
    fl_buf_init(&path);
    for (int i = 0; i < cm->path_len; i++) {
        if (i) fl_buf_append_byte(&path, '.');
        fl_buf_append_str(&path, cm->path_in_schema[i] ? cm->path_in_schema[i] : "");
    }
    jset(c, "path", jtext(fl_buf_cstr(&path), path.len), ok);
    fl_buf_dispose(&path);
    jset(c, "type", json_string(pq_physical_type_name(cm->type)), ok);
    jset(c, "codec", json_string(pq_codec_name(cm->codec)), ok);
    json_t *enc = json_array();
    if (!enc) *ok = false;
    for (int i = 0; enc && i < cm->n_encodings; i++)
        jpush(enc, json_string(pq_encoding_name(cm->encodings[i])), ok);
    jset(c, "encodings", enc, ok);
    jset(c, "num_values", json_integer(cm->num_values), ok);
    jset(c, "total_compressed_size", json_integer(cm->total_compressed_size), ok);
    jset(c, "total_uncompressed_size", json_integer(cm->total_uncompressed_size), ok);
    jset(c, "data_page_offset", json_integer(cm->data_page_offset), ok);
    if (cm->has_dictionary_page_offset)
        jset(c, "dictionary_page_offset", json_integer(cm->dictionary_page_offset), ok);
    if (cm->has_index_page_offset)
        jset(c, "index_page_offset", json_integer(cm->index_page_offset), ok);
    if (cm->has_bloom_filter_offset)
        jset(c, "bloom_filter_offset", json_integer(cm->bloom_filter_offset), ok);
    if (cc->has_column_index) jset(c, "column_index_offset", json_integer(cc->column_index_offset), ok);
    if (cc->has_offset_index) jset(c, "offset_index_offset", json_integer(cc->offset_index_offset), ok);
    jset(c, "statistics", stats_json(file, rg, top_column, cm, arena, ok), ok);
    if (cm->n_kv) jset(c, "key_value_metadata", kv_json(cm->kv, cm->n_kv, ok), ok);
    return c;
}

/* leaf index -> top-level column index when that column is primitive, else -1 */
static int *leaf_to_top(const pq_file *file, int n_leaves, fl_arena *arena)
{
    int *map = fl_arena_alloc(arena, (size_t)(n_leaves > 0 ? n_leaves : 1) * sizeof *map);
    if (!map) return NULL;
    for (int i = 0; i < n_leaves; i++) map[i] = -1;
    const pq_field *root = pq_file_schema(file);
    for (uint32_t i = 0; i < root->n_children; i++) {
        int leaf = root->children[i].leaf_index;
        if (leaf >= 0 && leaf < n_leaves) map[leaf] = (int)i;
    }
    return map;
}

static json_t *meta_json(const pq_file *file, const char *path, fl_arena *arena, bool *ok)
{
    const pq_file_meta *m = pq_file_metadata(file);
    json_t *root = json_object();
    if (!root) { *ok = false; return NULL; }
    struct stat st;
    jset(root, "file", jtext(path, strlen(path)), ok);
    if (stat(path, &st) == 0) jset(root, "file_size", json_integer(st.st_size), ok);
    jset(root, "version", json_integer(m->version), ok);
    jset(root, "num_rows", json_integer(m->num_rows), ok);
    jset(root, "created_by", m->created_by ? jtext(m->created_by, strlen(m->created_by)) : json_null(), ok);
    jset(root, "num_columns", json_integer(pq_field_leaf_count(pq_file_schema(file))), ok);
    jset(root, "num_row_groups", json_integer(m->n_row_groups), ok);
    jset(root, "column_orders", json_integer(m->n_column_orders), ok);
    jset(root, "key_value_metadata", kv_json(m->kv, m->n_kv, ok), ok);
    int n_leaves = pq_field_leaf_count(pq_file_schema(file));
    int *top = leaf_to_top(file, n_leaves, arena);
    if (!top) { *ok = false; return root; }
    json_t *rgs = json_array();
    if (!rgs) *ok = false;
    for (int r = 0; rgs && r < m->n_row_groups; r++) {
        const pq_row_group *rg = &m->row_groups[r];
        json_t *g = json_object();
        if (!g) { *ok = false; break; }
        jset(g, "num_rows", json_integer(rg->num_rows), ok);
        jset(g, "total_byte_size", json_integer(rg->total_byte_size), ok);
        if (rg->has_total_compressed_size)
            jset(g, "total_compressed_size", json_integer(rg->total_compressed_size), ok);
        if (rg->has_file_offset) jset(g, "file_offset", json_integer(rg->file_offset), ok);
        if (rg->has_ordinal) jset(g, "ordinal", json_integer(rg->ordinal), ok);
        json_t *cols = json_array();
        if (!cols) *ok = false;
        for (int c = 0; cols && c < rg->n_columns; c++)
            jpush(cols, chunk_json(file, r, &rg->columns[c], c < n_leaves ? top[c] : -1, arena, ok),
                  ok);
        jset(g, "columns", cols, ok);
        jpush(rgs, g, ok);
    }
    jset(root, "row_groups", rgs, ok);
    return root;
}

static int cmd_meta(int argc, char **argv)
{
    if (argc != 2) return cli_usage_error(parquet_usage, "parquet meta takes one FILE");
    fl_error err;
    pq_file *file = NULL;
    if (pq_file_open_path(&file, argv[1], &err) < 0) return cli_fail(&err);
    fl_arena *arena = fl_arena_new(0);
    bool ok = arena != NULL;
    json_t *j = ok ? meta_json(file, argv[1], arena, &ok) : NULL;
    char *text = ok && j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    int rc = CLI_OK;
    if (!text) {
        fl_error_set(&err, FLOE_ENOMEM, "out of memory while building the metadata of \"%s\"", argv[1]);
        rc = cli_fail(&err);
    } else {
        puts(text);
        free(text);
    }
    json_decref(j);
    fl_arena_free(arena);
    pq_file_free(file);
    return rc;
}

int cmd_parquet(int argc, char **argv)
{
    if (argc < 2) return cli_usage_error(parquet_usage, "missing parquet command");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(parquet_usage, stdout);
        return CLI_OK;
    }
    if (!strcmp(sub, "schema")) return cmd_schema(argc - 1, argv + 1);
    if (!strcmp(sub, "meta")) return cmd_meta(argc - 1, argv + 1);
    if (!strcmp(sub, "cat")) return cmd_parquet_cat(argc - 1, argv + 1);
    if (!strcmp(sub, "scan")) return cmd_parquet_scan(argc - 1, argv + 1);
    if (!strcmp(sub, "write")) return cmd_parquet_write(argc - 1, argv + 1);
    return cli_usage_error(parquet_usage, "unknown parquet command \"%s\"", sub);
}
