/*
 * cmd_iceberg_write.c: the `floe iceberg` commands that change tables in
 * the warehouse catalog: `create` (schema from a DDL column list, partition
 * transforms, properties), `append` (Parquet files copied into the table's
 * data/ directory with metrics from their footers; delimited text converted
 * by the table schema into Parquet data files; one fast-append commit),
 * `rollback` (to an ancestor snapshot) and `expire` (snapshots older than a
 * time, with the files no retained snapshot reaches), `overwrite` (the data
 * files matching a filter replaced by new rows) and `delete` (the data files
 * matching a filter removed).
 *
 * Partitioned tables: rows (from delimited text, and from Parquet files,
 * which are read and re-written) go through ice_writer, which computes each
 * row's partition and writes one file per partition under
 * data/<partition path>/. Unpartitioned tables keep Parquet files as they
 * are (copied) and convert text into one file each. `overwrite` always
 * writes through ice_writer. A commit conflict that cannot be retried
 * (another writer changed the rows an overwrite or delete replaces) is
 * reported as "conflict: ...".
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/time.h"
#include "../base/uuid.h"
#include "../format/csv/csv.h"
#include "../format/parquet/pq_reader.h"
#include "../format/parquet/pq_schema.h"
#include "../format/parquet/pq_writer.h"
#include "../iceberg/ice_expr.h"
#include "../iceberg/ice_manifest.h"
#include "../iceberg/ice_partition.h"
#include "../iceberg/ice_table.h"
#include "../iceberg/ice_txn.h"
#include "../iceberg/ice_type.h"
#include "../iceberg/ice_writer.h"
#include "cli.h"
#include "cmd_iceberg.h"
#include "ddl.h"

#define MAX_PROPS 64

/* ---- create ---- */

/* The Iceberg type text of a DDL column type. */
static int iceberg_type_name(char *buf, size_t cap, fl_type t, const char *col, fl_error *err)
{
    const char *s = NULL;
    switch (t.id) {
    case FL_TYPE_BOOL: s = "boolean"; break;
    case FL_TYPE_INT8:
    case FL_TYPE_INT16:
    case FL_TYPE_INT32:
    case FL_TYPE_UINT8:
    case FL_TYPE_UINT16: s = "int"; break;
    case FL_TYPE_INT64:
    case FL_TYPE_UINT32: s = "long"; break;
    case FL_TYPE_FLOAT: s = "float"; break;
    case FL_TYPE_DOUBLE: s = "double"; break;
    case FL_TYPE_DATE: s = "date"; break;
    case FL_TYPE_TIME: s = "time"; break;
    case FL_TYPE_TIMESTAMP: s = "timestamp"; break;
    case FL_TYPE_TIMESTAMPTZ: s = "timestamptz"; break;
    case FL_TYPE_TIMESTAMP_NS: s = "timestamp_ns"; break;
    case FL_TYPE_TIMESTAMPTZ_NS: s = "timestamptz_ns"; break;
    case FL_TYPE_STRING: s = "string"; break;
    case FL_TYPE_BINARY: s = "binary"; break;
    case FL_TYPE_UUID: s = "uuid"; break;
    case FL_TYPE_DECIMAL:
        snprintf(buf, cap, "decimal(%d, %d)", t.precision, t.scale);
        return 0;
    case FL_TYPE_FIXED:
        snprintf(buf, cap, "fixed[%d]", (int)t.fixed_len);
        return 0;
    default:
        return fl_error_set(err, FLOE_EUNSUPPORTED, "column \"%s\" has a type Iceberg cannot store",
                            col);
    }
    snprintf(buf, cap, "%s", s);
    return 0;
}

static int build_schema(ice_schema **out, const char *ddl, fl_arena *arena, fl_error *err)
{
    ddl_table *d = NULL;
    FL_TRY(ddl_load(&d, ddl, arena, err));
    if (d->n_columns == 0) return fl_error_set(err, FLOE_EINVAL, "the schema has no columns");
    json_t *fields = json_array();
    json_t *root = json_pack("{s:s, s:i, s:o}", "type", "struct", "schema-id", 0, "fields", fields);
    if (!root) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = 0;
    for (int i = 0; i < d->n_columns && rc == 0; i++) {
        char type[64];
        rc = iceberg_type_name(type, sizeof(type), d->columns[i].type, d->columns[i].name, err);
        if (rc == 0 && json_array_append_new(fields, json_pack("{s:i, s:s, s:b, s:s}", "id", i + 1,
                                                               "name", d->columns[i].name,
                                                               "required", !d->columns[i].nullable,
                                                               "type", type)) != 0)
            rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    }
    if (rc == 0) rc = ice_schema_from_json(out, root, arena, err);
    json_decref(root);
    return rc;
}

/* Trims spaces of s[0..*len) in place; returns the new start. */
static const char *trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t')) s++, (*len)--;
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t')) (*len)--;
    return s;
}

/* One partition term: "col", "bucket(16, col)", "truncate(4, col)",
 * "day(ts)" / "days(ts)", "void(col)". Appends a field to arr. */
static int partition_term(json_t *arr, const char *s, size_t len, const ice_schema *schema,
                          int32_t field_id, fl_error *err)
{
    s = trim(s, &len);
    char fn[32] = "", arg[32] = "", col[256];
    const char *open = memchr(s, '(', len);
    if (!open) {
        if (len == 0 || len >= sizeof(col))
            return fl_error_set(err, FLOE_EINVAL, "invalid partition field \"%.*s\"", (int)len, s);
        snprintf(col, sizeof(col), "%.*s", (int)len, s);
        snprintf(fn, sizeof(fn), "identity");
    } else {
        size_t fl = (size_t)(open - s);
        const char *fs = trim(s, &fl);
        if (s[len - 1] != ')' || fl == 0 || fl >= sizeof(fn))
            return fl_error_set(err, FLOE_EINVAL, "invalid partition field \"%.*s\"", (int)len, s);
        snprintf(fn, sizeof(fn), "%.*s", (int)fl, fs);
        size_t al = len - fl - 2;
        const char *in = trim(open + 1, &al);
        const char *comma = memchr(in, ',', al);
        if (comma) {
            size_t nl = (size_t)(comma - in), cl = al - nl - 1;
            const char *n = trim(in, &nl), *c = trim(comma + 1, &cl);
            if (nl == 0 || nl >= sizeof(arg) || cl == 0 || cl >= sizeof(col))
                return fl_error_set(err, FLOE_EINVAL, "invalid partition field \"%.*s\"", (int)len, s);
            snprintf(arg, sizeof(arg), "%.*s", (int)nl, n);
            snprintf(col, sizeof(col), "%.*s", (int)cl, c);
        } else {
            if (al == 0 || al >= sizeof(col))
                return fl_error_set(err, FLOE_EINVAL, "invalid partition field \"%.*s\"", (int)len, s);
            snprintf(col, sizeof(col), "%.*s", (int)al, in);
        }
    }
    static const struct { const char *in, *transform, *suffix; bool takes_arg; } map[] = {
        {"identity", "identity", "", false}, {"bucket", "bucket", "_bucket", true},
        {"truncate", "truncate", "_trunc", true}, {"year", "year", "_year", false},
        {"years", "year", "_year", false},      {"month", "month", "_month", false},
        {"months", "month", "_month", false},   {"day", "day", "_day", false},
        {"days", "day", "_day", false},         {"hour", "hour", "_hour", false},
        {"hours", "hour", "_hour", false},      {"void", "void", "_null", false},
    };
    size_t k = 0;
    while (k < sizeof(map) / sizeof(map[0]) && strcmp(map[k].in, fn) != 0) k++;
    if (k == sizeof(map) / sizeof(map[0]))
        return fl_error_set(err, FLOE_EINVAL, "unknown partition transform \"%s\"", fn);
    if (map[k].takes_arg != (arg[0] != '\0'))
        return fl_error_set(err, FLOE_EINVAL, "partition transform %s %s", fn,
                            map[k].takes_arg ? "needs a width: bucket(N, col) or truncate(W, col)"
                                             : "takes one column");
    long long n = 0;
    if (map[k].takes_arg && !cli_parse_int(arg, 1, INT32_MAX, &n))
        return fl_error_set(err, FLOE_EINVAL, "invalid width \"%s\" of partition transform %s", arg, fn);
    const ice_schema_entry *e = NULL;
    int rc = ice_schema_find_name(&e, schema, col, true, err);
    if (rc == FLOE_ENOTFOUND)
        return fl_error_set(err, FLOE_EINVAL, "partition column \"%s\" is not in the schema", col);
    FL_TRY(rc);
    char transform[64], name[300];
    if (map[k].takes_arg) snprintf(transform, sizeof(transform), "%s[%lld]", map[k].transform, n);
    else snprintf(transform, sizeof(transform), "%s", map[k].transform);
    snprintf(name, sizeof(name), "%s%s", col, map[k].suffix);
    if (json_array_append_new(arr, json_pack("{s:i, s:i, s:s, s:s}", "source-id", e->id,
                                             "field-id", field_id, "name", name,
                                             "transform", transform)) != 0)
        return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return 0;
}

static int build_spec(ice_partition_spec **out, const char *text, const ice_schema *schema,
                      fl_arena *arena, fl_error *err)
{
    json_t *arr = json_array();
    if (!arr) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = 0, depth = 0;
    int32_t field_id = ICE_PARTITION_DATA_ID_START;
    const char *start = text;
    for (const char *p = text;; p++) {
        if (*p == '(') depth++;
        else if (*p == ')') depth--;
        if ((*p == ',' && depth == 0) || *p == '\0') {
            rc = partition_term(arr, start, (size_t)(p - start), schema, field_id++, err);
            if (rc < 0 || *p == '\0') break;
            start = p + 1;
        }
    }
    if (rc == 0) rc = ice_partition_fields_from_json(out, 0, arr, arena, err);
    const ice_type *pt;
    if (rc == 0) rc = ice_partition_type(&pt, *out, schema, false, arena, err);
    json_decref(arr);
    return rc;
}

static int create_table(const char *full, const char *ddl, const char *partition,
                        const ice_kv *props, size_t prop_count, const char *warehouse,
                        fl_error *err)
{
    char ns[1024];
    const char *name;
    FL_TRY(ice_cli_split_name(full, ns, sizeof(ns), &name, err));
    if (!warehouse) warehouse = ICE_CLI_DEFAULT_WAREHOUSE;
    fl_arena *arena = fl_arena_new(0);
    io_fs *fs = io_local_new();
    cat_catalog *cat = NULL;
    ice_table *t = NULL;
    ice_schema *schema = NULL;
    ice_partition_spec *spec = NULL;
    int rc = arena && fs ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) rc = build_schema(&schema, ddl, arena, err);
    if (rc == 0 && partition && *partition) rc = build_spec(&spec, partition, schema, arena, err);
    if (rc == 0) rc = ice_cli_catalog_open(&cat, warehouse, false, false, err);
    bool exists = false;
    if (rc == 0) rc = cat_namespace_exists(cat, ns, &exists, err);
    if (rc == 0 && !exists)
        rc = fl_error_set(err, FLOE_ENOTFOUND,
                          "namespace \"%s\" does not exist (create it with floe namespace create)", ns);
    if (rc == 0) {
        char wh[4096];
        char *abs = realpath(warehouse, NULL);
        snprintf(wh, sizeof(wh), "%s", abs ? abs : warehouse);
        free(abs);
        ice_table_create_opts o = {.schema = schema, .spec = spec, .properties = props,
                                   .property_count = prop_count};
        rc = ice_table_create(&t, cat, fs, wh, ns, name, &o, err);
        if (rc == FLOE_EEXISTS) rc = fl_error_set(err, FLOE_EEXISTS, "table \"%s\" already exists", full);
    }
    if (rc == 0) printf("created %s at %s\n", full, t->md->location);
    ice_table_free(t);
    cat_free(cat);
    io_fs_free(fs);
    fl_arena_free(arena);
    return rc;
}

static int cmd_create(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"schema", required_argument, NULL, 's'},
        {"partition", required_argument, NULL, 'p'},
        {"property", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL, *schema = NULL, *partition = NULL;
    ice_kv props[MAX_PROPS];
    size_t np = 0;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case 's': schema = optarg; break;
        case 'p': partition = optarg; break;
        case 'P': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return cli_usage_error(iceberg_usage, "invalid --property \"%s\" (KEY=VALUE)", optarg);
            if (np == MAX_PROPS) return cli_usage_error(iceberg_usage, "too many --property options");
            *eq = '\0';
            props[np].key = optarg;
            props[np].value = eq + 1;
            np++;
            break;
        }
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (!schema) return cli_usage_error(iceberg_usage, "iceberg create needs --schema");
    if (argc - optind != 1) return cli_usage_error(iceberg_usage, "iceberg create takes NS.TABLE");
    fl_error err;
    if (create_table(argv[optind], schema, partition, props, np, warehouse, &err) < 0)
        return cli_fail(&err);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

/* ---- append ---- */

typedef struct append_args {
    char delimiter;
    bool header;
    const char *null_str;
} append_args;

/* A new data file location in the table's data/ directory. */
static int new_data_location(char *buf, size_t cap, const ice_table *t, fl_error *err)
{
    fl_uuid u;
    FL_TRY(fl_uuid_v4(&u, err));
    char text[FL_UUID_TEXT_LEN + 1];
    fl_uuid_format(&u, text);
    if (snprintf(buf, cap, "%s/data/%s.parquet", t->md->location, text) >= (int)cap)
        return fl_error_set(err, FLOE_EINVAL, "table location is too long");
    return 0;
}

/* Parquet by magic bytes ("PAR1" at the start). */
static bool is_parquet(const char *path)
{
    FILE *f = fopen(path, "rb");
    char magic[4] = {0};
    if (!f) return false;
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic, "PAR1", 4) == 0;
}

/* Compares the top-level columns of a Parquet file with the table schema:
 * every column needs a field id of the table, of the same type (top level
 * only: nested children are not compared), optional only where the table
 * allows nulls; required table columns must be present. */
static int check_parquet_schema(const pq_field *root, const ice_schema *schema, const char *path,
                                fl_error *err)
{
    const ice_type *st = schema->type;
    for (size_t i = 0; i < st->field_count; i++) {
        const ice_field *f = &st->fields[i];
        const pq_field *match = NULL;
        for (uint32_t k = 0; k < root->n_children && !match; k++) {
            const pq_field *c = &root->children[k];
            if (c->has_field_id ? c->field_id == f->id : strcmp(c->name, f->name) == 0) match = c;
        }
        if (!match) {
            if (f->required)
                return fl_error_set(err, FLOE_EINVAL,
                                    "\"%s\" does not match the table schema: required column \"%s\" "
                                    "(field id %d) is missing", path, f->name, (int)f->id);
            continue;
        }
        if (!match->has_field_id)
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "\"%s\" has no Parquet field ids: write it with the table's field ids",
                                path);
        if (f->required && match->nullable)
            return fl_error_set(err, FLOE_EINVAL,
                                "\"%s\" does not match the table schema: column \"%s\" is optional "
                                "but the table requires it", path, match->name);
        fl_type want;
        FL_TRY(ice_type_to_fl(&want, f->type, err));
        bool same = want.id == match->type.id;
        if (same && want.id == FL_TYPE_DECIMAL)
            same = want.precision == match->type.precision && want.scale == match->type.scale;
        if (!same)
            return fl_error_set(err, FLOE_EINVAL,
                                "\"%s\" does not match the table schema: column \"%s\" (field id %d) "
                                "has another type", path, match->name, (int)f->id);
    }
    for (uint32_t k = 0; k < root->n_children; k++) {
        const pq_field *c = &root->children[k];
        if (!c->has_field_id)
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "\"%s\" has no Parquet field id for column \"%s\": write it with the "
                                "table's field ids", path, c->name);
        if (!ice_schema_find_id(schema, c->field_id))
            return fl_error_set(err, FLOE_EINVAL,
                                "\"%s\" does not match the table schema: column \"%s\" has field id "
                                "%d, which the table does not have", path, c->name, (int)c->field_id);
    }
    return 0;
}

/* Fills df from the footer of the data file at location (already in data/). */
static int describe_file(ice_data_file *df, ice_table *t, const char *location, const char *source,
                         bool check_schema, fl_arena *arena, fl_error *err)
{
    io_reader *r = NULL;
    pq_file *pf = NULL;
    FL_TRY(io_open(t->fs, location, &r, err));
    uint64_t size = r->size;
    int rc = pq_file_open(&pf, r, err);
    if (rc < 0) {
        io_reader_close(r);
        char why[sizeof(err->message)];
        snprintf(why, sizeof(why), "%s", err->message);
        const char *colon = strstr(why, "\": ");   /* drop the temporary location it names */
        return fl_error_set(err, rc, "\"%s\" is not a readable Parquet file: %s", source,
                            colon ? colon + 3 : why);
    }
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    if (check_schema) rc = check_parquet_schema(pq_file_schema(pf), schema, source, err);
    memset(df, 0, sizeof(*df));
    if (rc == 0) rc = ice_metrics_from_parquet(df, pf, size, schema, NULL, arena, err);
    pq_file_free(pf);
    io_reader_close(r);
    FL_TRY(rc);
    df->content = ICE_CONTENT_DATA;
    df->file_path = fl_arena_strdup(arena, location);
    df->spec_id = ice_metadata_default_spec(t->md)->spec_id;
    return df->file_path ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
}

/* Copies a Parquet file into the table. */
static int copy_file(ice_table *t, const char *src, const char *dst, fl_error *err)
{
    io_reader *r = NULL;
    io_writer *w = NULL;
    FL_TRY(io_open_local(src, &r, err));
    int rc = io_create(t->fs, dst, IO_CREATE_EXCLUSIVE, &w, err);
    char buf[1 << 16];
    for (uint64_t off = 0; rc == 0 && off < r->size;) {
        size_t n = r->size - off < sizeof(buf) ? (size_t)(r->size - off) : sizeof(buf);
        rc = io_read_at(r, off, buf, n, err);
        if (rc == 0) rc = io_write(w, buf, n, err);
        off += n;
    }
    io_reader_close(r);
    if (!w) return rc;
    if (rc < 0) {
        io_writer_abort(w);
        return rc;
    }
    return io_writer_close(w, err);
}

/* Converts delimited text by the table schema into a Parquet file at dst. */
static int convert_text(ice_table *t, const char *src, const char *dst, const append_args *a,
                        fl_arena *arena, fl_error *err)
{
    const ice_type *st = ice_metadata_current_schema(t->md)->type;
    int n = (int)st->field_count;
    fl_type *types = fl_arena_alloc(arena, (size_t)n * sizeof(*types));
    fl_column **cols = fl_arena_alloc(arena, (size_t)n * sizeof(*cols));
    pq_field root = {.name = "schema", .type = fl_type_make(FL_TYPE_STRUCT), .leaf_index = -1,
                     .children = fl_arena_calloc(arena, (size_t)n * sizeof(pq_field)),
                     .n_children = (uint32_t)n};
    if (!types || !cols || !root.children) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        const ice_field *f = &st->fields[i];
        FL_TRY(ice_type_to_fl(&types[i], f->type, err));
        if (fl_type_is_nested(types[i]))
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "column \"%s\" is nested: delimited text cannot fill it", f->name);
        pq_field *pf = &root.children[i];
        pf->name = f->name;
        pf->type = types[i];
        pf->nullable = !f->required;
        pf->field_id = f->id;
        pf->has_field_id = true;
        pf->leaf_index = -1;
    }
    csv_opts co;
    csv_opts_init(&co);
    co.delimiter = a->delimiter;
    co.header = a->header;
    if (a->null_str) co.null_str = a->null_str;
    co.batch_rows = 16384;
    csv_reader *reader = NULL;
    io_writer *w = NULL;
    pq_writer *pw = NULL;
    fl_arena *batch = fl_arena_new(1 << 20);
    int rc = batch ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) rc = csv_reader_open(&reader, src, types, n, &co, err);
    if (rc == 0) rc = io_create(t->fs, dst, IO_CREATE_EXCLUSIVE, &w, err);
    /* the table schema in the footer, as Iceberg Java writes data files */
    pq_kv schema_kv;
    pq_writer_opts po;
    pq_writer_opts_init(&po);
    if (rc == 0) rc = ice_pq_schema_kv(&schema_kv, ice_metadata_current_schema(t->md), arena, err);
    po.kv = &schema_kv;
    po.n_kv = 1;
    if (rc == 0) rc = pq_writer_new(&pw, w, &root, &po, err);
    while (rc == 0) {
        size_t rows = 0;
        fl_arena_reset(batch);
        rc = csv_reader_next(reader, batch, cols, &rows, err);
        if (rc < 0 || rows == 0) break;
        rc = pq_writer_write(pw, cols, rows, err);
    }
    if (rc == 0) rc = pq_writer_close(pw, err);
    if (rc == 0) {
        io_writer *closing = w;
        w = NULL;
        rc = io_writer_close(closing, err);
    }
    if (w) io_writer_abort(w);
    pq_writer_free(pw);
    csv_reader_free(reader);
    fl_arena_free(batch);
    return rc;
}

/* The fl types of the current schema's top-level fields (no nested ones:
 * delimited text cannot fill them). */
static int text_types(fl_type **out, const ice_table *t, fl_arena *arena, fl_error *err)
{
    const ice_type *st = ice_metadata_current_schema(t->md)->type;
    fl_type *types = fl_arena_alloc(arena, (st->field_count + 1) * sizeof(*types));
    if (!types) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    for (size_t i = 0; i < st->field_count; i++) {
        FL_TRY(ice_type_to_fl(&types[i], st->fields[i].type, err));
        if (fl_type_is_nested(types[i]))
            return fl_error_set(err, FLOE_EUNSUPPORTED,
                                "column \"%s\" is nested: delimited text cannot fill it", st->fields[i].name);
    }
    *out = types;
    return 0;
}

/* Delimited text, converted by the table schema, through the writer. */
static int write_text(ice_writer *w, const ice_table *t, const char *src, const append_args *a,
                      fl_error *err)
{
    fl_arena *arena = fl_arena_new(1 << 20);
    if (!arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    fl_type *types = NULL;
    int n = (int)ice_metadata_current_schema(t->md)->type->field_count;
    int rc = text_types(&types, t, arena, err);
    fl_column **cols = fl_arena_alloc(arena, (size_t)(n + 1) * sizeof(*cols));
    if (rc == 0 && !cols) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    csv_opts co;
    csv_opts_init(&co);
    co.delimiter = a->delimiter;
    co.header = a->header;
    if (a->null_str) co.null_str = a->null_str;
    co.batch_rows = 16384;
    csv_reader *reader = NULL;
    fl_arena *batch = fl_arena_new(1 << 20);
    if (rc == 0 && !batch) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0) rc = csv_reader_open(&reader, src, types, n, &co, err);
    while (rc == 0) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = csv_reader_next(reader, batch, cols, &rows, err)) < 0 || rows == 0) break;
        rc = ice_writer_write(w, cols, (size_t)n, rows, err);
    }
    csv_reader_free(reader);
    fl_arena_free(batch);
    fl_arena_free(arena);
    return rc;
}

/* A Parquet file's rows (columns matched by field id; optional table
 * columns it lacks are NULL) through the writer. */
static int write_parquet(ice_writer *w, const ice_table *t, const char *src, fl_error *err)
{
    const ice_schema *schema = ice_metadata_current_schema(t->md);
    const ice_type *st = schema->type;
    size_t n = st->field_count;
    pq_file *pf = NULL;
    pq_scan *scan = NULL;
    fl_arena *arena = fl_arena_new(0), *batch = fl_arena_new(1 << 20);
    int rc = arena && batch ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    if (rc == 0 && (rc = pq_file_open_path(&pf, src, err)) < 0)
        rc = fl_error_set(err, rc, "\"%s\" is not a readable Parquet file: %s", src, err->message);
    if (rc == 0) rc = check_parquet_schema(pq_file_schema(pf), schema, src, err);
    int *pick = arena ? fl_arena_alloc(arena, (n + 1) * sizeof(int)) : NULL;   /* scan column per field */
    int *wanted = arena ? fl_arena_alloc(arena, (n + 1) * sizeof(int)) : NULL;
    fl_type *types = arena ? fl_arena_alloc(arena, (n + 1) * sizeof(fl_type)) : NULL;
    fl_column **cols = arena ? fl_arena_alloc(arena, (n + 1) * sizeof(fl_column *)) : NULL;
    fl_column **scanned = arena ? fl_arena_alloc(arena, (n + 1) * sizeof(fl_column *)) : NULL;
    if (rc == 0 && !(pick && wanted && types && cols && scanned)) rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int nw = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const pq_field *root = pq_file_schema(pf);
        pick[i] = -1;
        rc = ice_type_to_fl(&types[i], st->fields[i].type, err);
        for (uint32_t k = 0; rc == 0 && k < root->n_children; k++) {
            if (root->children[k].has_field_id && root->children[k].field_id == st->fields[i].id) {
                pick[i] = nw;
                wanted[nw++] = (int)k;
                break;
            }
        }
    }
    pq_scan_opts so = {.columns = wanted, .n_columns = nw, .batch_rows = 16384};
    if (rc == 0) rc = pq_scan_new(&scan, pf, &so, err);
    while (rc == 0) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = pq_scan_next(scan, batch, scanned, &rows, err)) < 0 || rows == 0) break;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (pick[i] >= 0) {
                cols[i] = scanned[pick[i]];
                continue;
            }
            cols[i] = fl_column_new(batch, types[i], rows);
            if (!cols[i] || fl_column_ensure_validity(cols[i]) < 0) {
                rc = fl_error_set(err, FLOE_ENOMEM, "out of memory");
                break;
            }
            memset(cols[i]->validity, 0, (rows + 7) / 8);
            cols[i]->len = rows;
        }
        if (rc == 0) rc = ice_writer_write(w, cols, n, rows, err);
    }
    pq_scan_free(scan);
    pq_file_free(pf);
    fl_arena_free(batch);
    fl_arena_free(arena);
    return rc;
}

/* Every input file through the writer. */
static int write_inputs(ice_writer *w, const ice_table *t, char **files, int count,
                        const append_args *a, fl_error *err)
{
    for (int i = 0; i < count; i++) {
        FILE *probe = fopen(files[i], "rb");
        if (!probe) return fl_error_set(err, FLOE_ENOTFOUND, "could not open \"%s\"", files[i]);
        fclose(probe);
        if (is_parquet(files[i])) FL_TRY(write_parquet(w, t, files[i], err));
        else FL_TRY(write_text(w, t, files[i], a, err));
    }
    return 0;
}

/* Appends to a partitioned table: every row through one ice_writer. */
static int append_through_writer(ice_table *t, char **files, int count, const append_args *a,
                                 fl_error *err)
{
    ice_writer *w = NULL;
    FL_TRY(ice_writer_new(&w, t, NULL, err));
    const ice_data_file *out = NULL;
    size_t n = 0;
    ice_commit_stats st;
    int rc = write_inputs(w, t, files, count, a, err);
    if (rc == 0) rc = ice_writer_finish(w, &out, &n, err);
    if (rc == 0) rc = ice_txn_append(t, out, n, &st, err);
    if (rc == 0)
        printf("appended %zu file%s, %" PRId64 " rows: snapshot %" PRId64 "\n", n, n == 1 ? "" : "s",
               ice_writer_row_count(w), st.snapshot_id);
    if (rc == 0 || rc == FLOE_EUNKNOWN) ice_writer_free(w);   /* never delete what may be committed */
    else ice_writer_abort(w);
    return rc;
}

static int append_files(ice_table *t, char **files, int count, const append_args *a,
                        fl_error *err)
{
    if (ice_metadata_default_spec(t->md)->field_count > 0)
        return append_through_writer(t, files, count, a, err);
    fl_arena *arena = fl_arena_new(0);
    ice_data_file *dfs = arena ? fl_arena_calloc(arena, (size_t)count * sizeof(*dfs)) : NULL;
    char **written = arena ? fl_arena_calloc(arena, (size_t)count * sizeof(*written)) : NULL;
    int rc = dfs && written ? 0 : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int nw = 0;
    int64_t rows = 0;
    for (int i = 0; i < count && rc == 0; i++) {
        char dst[4096];
        rc = new_data_location(dst, sizeof(dst), t, err);
        if (rc < 0) break;
        FILE *probe = fopen(files[i], "rb");
        if (!probe) {
            rc = fl_error_set(err, FLOE_ENOTFOUND, "could not open \"%s\"", files[i]);
            break;
        }
        fclose(probe);
        bool parquet = is_parquet(files[i]);
        if (parquet) rc = copy_file(t, files[i], dst, err);
        else rc = convert_text(t, files[i], dst, a, arena, err);
        if (rc < 0) break;
        written[nw++] = fl_arena_strdup(arena, dst);
        rc = describe_file(&dfs[i], t, dst, files[i], parquet, arena, err);
        rows += dfs[i].record_count;
    }
    ice_commit_stats st;
    if (rc == 0) rc = ice_txn_append(t, dfs, (size_t)count, &st, err);
    if (rc == 0) {
        printf("appended %d file%s, %" PRId64 " rows: snapshot %" PRId64 "\n", count,
               count == 1 ? "" : "s", rows, st.snapshot_id);
    } else if (rc != FLOE_EUNKNOWN) {
        fl_error ignored;
        for (int i = 0; i < nw; i++)
            if (written[i]) io_remove(t->fs, written[i], &ignored);
    }
    fl_arena_free(arena);
    return rc;
}

static bool parse_delimiter(const char *s, char *out)
{
    if (!strcmp(s, "\\t") || !strcmp(s, "tab")) { *out = '\t'; return true; }
    if (strlen(s) != 1 || s[0] == '\n' || s[0] == '\r' || s[0] == '"') return false;
    *out = s[0];
    return true;
}

static int cmd_append(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"delimiter", required_argument, NULL, 'd'},
        {"header", no_argument, NULL, 'H'},
        {"null", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL;
    append_args a = {',', false, NULL};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case 'd':
            if (!parse_delimiter(optarg, &a.delimiter))
                return cli_usage_error(iceberg_usage, "invalid --delimiter \"%s\" (one character)",
                                       optarg);
            break;
        case 'H': a.header = true; break;
        case 'N': a.null_str = optarg; break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return cli_usage_error(iceberg_usage, "iceberg append takes NS.TABLE and FILE...");
    fl_error err;
    ice_cli_env e;
    int rc = ice_cli_env_open(&e, warehouse, argv[optind], &err);
    if (rc == 0) rc = append_files(e.table, argv + optind + 1, argc - optind - 1, &a, &err);
    ice_cli_env_close(&e);
    if (rc < 0) return cli_fail(&err);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

/* ---- overwrite, delete ---- */

static int parse_isolation(const char *s, ice_isolation *out)
{
    if (!strcmp(s, "serializable")) *out = ICE_ISOLATION_SERIALIZABLE;
    else if (!strcmp(s, "snapshot")) *out = ICE_ISOLATION_SNAPSHOT;
    else return -1;
    return 0;
}

static int64_t summary_value(const ice_table *t, const char *key)
{
    const ice_snapshot *s = ice_metadata_current_snapshot(t->md);
    for (size_t i = 0; s && i < s->summary_count; i++) {
        if (strcmp(s->summary[i].key, key) != 0) continue;
        long long v;
        return cli_parse_int(s->summary[i].value, 0, INT64_MAX, &v) ? v : 0;
    }
    return 0;
}

static int overwrite_or_delete(ice_table *t, const char *filter_text, char **files, int count,
                               const append_args *a, const ice_txn_opts *o, bool overwrite,
                               fl_error *err)
{
    fl_arena *arena = fl_arena_new(0);
    if (!arena) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    const ice_expr *filter = NULL;
    ice_writer *w = NULL;
    const ice_data_file *out = NULL;
    size_t n = 0;
    ice_commit_stats st;
    int rc = ice_expr_parse(&filter, filter_text, ice_metadata_current_schema(t->md), arena, err);
    if (rc == 0 && overwrite) {
        rc = ice_writer_new(&w, t, NULL, err);
        if (rc == 0) rc = write_inputs(w, t, files, count, a, err);
        if (rc == 0) rc = ice_writer_finish(w, &out, &n, err);
        if (rc == 0) rc = ice_txn_overwrite_by_filter(t, filter, out, n, o, &st, err);
    } else if (rc == 0) {
        rc = ice_txn_delete_where(t, filter, o, &st, err);
    }
    if (rc == 0 && overwrite)
        printf("overwrote %" PRId64 " files (%" PRId64 " rows) with %zu file%s (%" PRId64 " rows): snapshot %" PRId64 "\n",
               summary_value(t, "deleted-data-files"), summary_value(t, "deleted-records"), n,
               n == 1 ? "" : "s", ice_writer_row_count(w), st.snapshot_id);
    else if (rc == 0)
        printf("deleted %" PRId64 " files, %" PRId64 " rows: snapshot %" PRId64 "\n",
               summary_value(t, "deleted-data-files"), summary_value(t, "deleted-records"), st.snapshot_id);
    if (rc == FLOE_ECONFLICT) fl_error_prefix(err, "conflict: ");
    if (rc == 0 || rc == FLOE_EUNKNOWN) ice_writer_free(w);
    else ice_writer_abort(w);
    fl_arena_free(arena);
    return rc;
}

static int cmd_overwrite_delete(int argc, char **argv, bool overwrite)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"filter", required_argument, NULL, 'f'},
        {"isolation", required_argument, NULL, 'i'},
        {"delimiter", required_argument, NULL, 'd'},
        {"header", no_argument, NULL, 'H'},
        {"null", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL, *filter = NULL;
    append_args a = {',', false, NULL};
    ice_txn_opts o = {0};
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case 'f': filter = optarg; break;
        case 'i':
            if (parse_isolation(optarg, &o.isolation) < 0)
                return cli_usage_error(iceberg_usage, "invalid --isolation \"%s\" (serializable or snapshot)", optarg);
            break;
        case 'd':
            if (!overwrite || !parse_delimiter(optarg, &a.delimiter))
                return cli_usage_error(iceberg_usage, "invalid --delimiter \"%s\" (one character)", optarg);
            break;
        case 'H': a.header = true; break;
        case 'N': a.null_str = optarg; break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (!filter)
        return cli_usage_error(iceberg_usage, "iceberg %s needs --filter EXPR", overwrite ? "overwrite" : "delete");
    if (argc - optind < 1 || (!overwrite && argc - optind != 1))
        return cli_usage_error(iceberg_usage, overwrite ? "iceberg overwrite takes NS.TABLE and FILE..."
                                                        : "iceberg delete takes NS.TABLE");
    fl_error err;
    ice_cli_env e;
    int rc = ice_cli_env_open(&e, warehouse, argv[optind], &err);
    if (rc == 0)
        rc = overwrite_or_delete(e.table, filter, argv + optind + 1, argc - optind - 1, &a, &o,
                                 overwrite, &err);
    ice_cli_env_close(&e);
    if (rc < 0) return cli_fail(&err);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

/* ---- rollback, expire ---- */

static int cmd_rollback_expire(int argc, char **argv, bool expire)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"older-than", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL, *older = NULL;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case 'o':
            if (!expire) return cli_usage_error(iceberg_usage, "iceberg rollback takes no --older-than");
            older = optarg;
            break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (expire && (!older || argc - optind != 1))
        return cli_usage_error(iceberg_usage, "iceberg expire takes NS.TABLE and --older-than TIME");
    if (!expire && argc - optind != 2)
        return cli_usage_error(iceberg_usage, "iceberg rollback takes NS.TABLE and SNAPSHOT_ID");
    fl_error err;
    ice_cli_env e;
    int rc = ice_cli_env_open(&e, warehouse, argv[optind], &err);
    if (rc == 0 && expire) {
        int64_t ms = 0;
        ice_expire_result res = {0, 0, 0, 0};
        rc = ice_cli_parse_time_ms(&ms, older, "time", &err);
        if (rc == 0) rc = ice_txn_expire(e.table, ms, &res, NULL, &err);
        if (rc == 0)
            printf("expired %zu snapshots; deleted %zu manifest lists, %zu manifests, %zu data files\n",
                   res.expired_snapshots, res.deleted_manifest_lists, res.deleted_manifests,
                   res.deleted_data_files);
    } else if (rc == 0) {
        const ice_snapshot *s;
        int64_t id = 0;
        rc = ice_cli_snapshot_arg(&s, e.table->md, argv[optind + 1], &err);
        if (rc == 0) id = s->snapshot_id;   /* s dies with the old metadata */
        if (rc == 0) rc = ice_txn_rollback_to(e.table, id, NULL, &err);
        if (rc == 0) printf("current snapshot: %" PRId64 "\n", id);
    }
    ice_cli_env_close(&e);
    if (rc < 0) return cli_fail(&err);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAILED;
}

int cmd_iceberg_create(int argc, char **argv) { return cmd_create(argc, argv); }
int cmd_iceberg_append(int argc, char **argv) { return cmd_append(argc, argv); }
int cmd_iceberg_rollback(int argc, char **argv) { return cmd_rollback_expire(argc, argv, false); }
int cmd_iceberg_expire(int argc, char **argv) { return cmd_rollback_expire(argc, argv, true); }
int cmd_iceberg_overwrite(int argc, char **argv) { return cmd_overwrite_delete(argc, argv, true); }
int cmd_iceberg_delete(int argc, char **argv) { return cmd_overwrite_delete(argc, argv, false); }
