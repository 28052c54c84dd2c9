/*
 * cmd_iceberg.c: the `floe iceberg` command group: dispatch and usage,
 * opening a table (catalog name or metadata path, location remapping), and
 * the metadata-only commands `info`, `schema`, `history` and `snapshots`,
 * and `register` (catalog row for an existing metadata file). The commands
 * that read manifests and data are in cmd_iceberg_read.c.
 *
 * A local metadata file (given as a path, or from the catalog) read without
 * --remap has the table's own location prefixes (ice_remap_fs_add_table)
 * mapped to the directory that holds its metadata/ directory, so a table
 * copied from elsewhere reads as written.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "../base/alloc.h"
#include "../base/time.h"
#include "../iceberg/ice_read.h"
#include "../iceberg/ice_transform.h"
#include "cli.h"
#include "cmd_iceberg.h"
#include "cmd_iceberg_evolve.h"

const char iceberg_usage[] =
    "usage: floe iceberg <command> TABLE [options]\n"
    "\n"
    "TABLE is ns.table in the warehouse catalog, the path of a metadata JSON file, or a\n"
    "table directory with metadata/version-hint.text.\n"
    "\n"
    "commands:\n"
    "  info TABLE                    format, uuid, location, current snapshot, spec, properties\n"
    "  schema TABLE                  the field tree: ids, types, required, docs\n"
    "  history TABLE                 the snapshot log: time, id, parent, current ancestor\n"
    "  snapshots TABLE [--format text|json]\n"
    "                                id, parent, sequence number, time, operation, summary\n"
    "  files TABLE [--snapshot ID] [--format text|json]\n"
    "                                live data and delete files of a snapshot\n"
    "  manifests TABLE [--snapshot ID] [--format text|json]\n"
    "                                the manifests of a snapshot\n"
    "  register NS.TABLE METADATA    add an existing table to the catalog by its metadata file\n"
    "  scan TABLE [--snapshot ID | --as-of TIME | --ref NAME] [--columns a,b]\n"
    "       [--filter EXPR] [--format csv|json] [--limit N]\n"
    "                                rows with deletes applied\n"
    "  create NS.TABLE --schema DDL [--partition \"day(ts), bucket(16, id)\"]\n"
    "       [--property K=V]...      a new table (the namespace must exist); transforms:\n"
    "                                col, bucket(N, c), truncate(W, c), year/month/day/hour(c)\n"
    "                                (or years/months/days/hours), void(c)\n"
    "  append NS.TABLE FILE... [--delimiter C] [--header] [--null STR]\n"
    "                                add Parquet files (copied into data/) or delimited text\n"
    "                                (.zst/.gz too, converted by the table schema) as one\n"
    "                                snapshot; rows of partitioned tables (Parquet too) are\n"
    "                                written one file per partition\n"
    "  overwrite NS.TABLE --filter EXPR [FILE...] [--isolation serializable|snapshot]\n"
    "       [--delimiter C] [--header] [--null STR]\n"
    "                                replace the data files whose rows all match EXPR by the\n"
    "                                rows of FILE... (one snapshot; fails with \"conflict:\"\n"
    "                                when a concurrent commit touched those rows)\n"
    "  delete NS.TABLE --filter EXPR [--isolation serializable|snapshot]\n"
    "                                remove the data files whose rows all match EXPR\n"
    "  rollback NS.TABLE SNAPSHOT_ID make an ancestor snapshot current\n"
    "  expire NS.TABLE --older-than TIME\n"
    "                                drop older snapshots (TIME: epoch ms or timestamp) and\n"
    "                                delete the files no remaining snapshot reaches\n"
    "  branch create|replace|remove NS.TABLE NAME [--snapshot ID]\n"
    "       [--min-snapshots-to-keep N] [--max-snapshot-age-ms MS] [--max-ref-age-ms MS]\n"
    "  branch fast-forward NS.TABLE NAME TO\n"
    "  tag create|replace|remove NS.TABLE NAME [--snapshot ID] [--max-ref-age-ms MS]\n"
    "                                branches and tags (default: the current snapshot)\n"
    "  cherry-pick NS.TABLE SNAPSHOT_ID\n"
    "                                apply a snapshot onto main (fast-forward, or an append\n"
    "                                re-applied as a new snapshot)\n"
    "  alter NS.TABLE ACTION...      add-column NAME TYPE | drop-column NAME |\n"
    "                                rename-column OLD NEW | widen NAME TYPE |\n"
    "                                make-optional NAME | set-doc NAME DOC | move-first NAME |\n"
    "                                move-before NAME OTHER | move-after NAME OTHER |\n"
    "                                add-partition TERM | drop-partition NAME|TERM |\n"
    "                                rename-partition OLD NEW | set-default-spec ID |\n"
    "                                sort-order \"id desc, day(ts) nulls last\"|unsorted |\n"
    "                                set-property K=V | unset-property K\n"
    "\n"
    "options of every command:\n"
    "  --warehouse DIR               warehouse holding catalog.db (default ./warehouse)\n"
    "  --catalog URI                 catalog to use instead: sqlite:PATH, postgresql://...,\n"
    "                                or a libpq conninfo (default sqlite://WAREHOUSE/catalog.db)\n"
    "  --remap PREFIX=DIR            read locations under PREFIX from DIR (repeatable)\n";

/* ---- shared helpers ---- */

void ice_cli_format_ms(int64_t ms, char *buf)
{
    int64_t frac = ((ms % 1000) + 1000) % 1000;
    int n = fl_timestamp_format((ms - frac) * 1000, FL_TZ_NONE, buf);
    snprintf(buf + n, 8, ".%03d", (int)frac);
}

int ice_cli_flush(fl_buf *out, fl_error *err)
{
    if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
        return fl_error_set(err, FLOE_EIO, "could not write to standard output");
    fl_buf_reset(out);
    if (fflush(stdout) != 0) return fl_error_set(err, FLOE_EIO, "could not write to standard output");
    return 0;
}

int ice_cli_snapshot_arg(const ice_snapshot **out, const ice_metadata *md, const char *arg,
                         fl_error *err)
{
    long long id;
    if (!cli_parse_int(arg, INT64_MIN, INT64_MAX, &id))
        return fl_error_set(err, FLOE_EINVAL, "invalid snapshot id \"%s\"", arg);
    *out = ice_metadata_snapshot(md, id);
    if (!*out) return fl_error_set(err, FLOE_ENOTFOUND, "snapshot %lld does not exist", id);
    return 0;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* mkdir -p */
static int make_dirs(const char *dir, fl_error *err)
{
    char path[4096];
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
        return fl_error_set(err, FLOE_EINVAL, "warehouse path is too long");
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return fl_error_set(err, FLOE_EIO, "could not create directory \"%s\": %s", path,
                                    strerror(errno));
            *p = c;
            if (c == '\0') break;
        }
    }
    return 0;
}

const char *ice_cli_catalog_uri = NULL;

int ice_cli_take_catalog_opt(int argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < argc) argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(argv[i], "--catalog")) {
            if (i + 1 >= argc || !*argv[i + 1]) return -1;
            ice_cli_catalog_uri = argv[++i];
        } else if (!strncmp(argv[i], "--catalog=", 10)) {
            if (!argv[i][10]) return -1;
            ice_cli_catalog_uri = argv[i] + 10;
        } else {
            argv[out++] = argv[i];
        }
    }
    argv[out] = NULL;
    return out;
}

int ice_cli_catalog_open(cat_catalog **out, const char *warehouse, bool create, bool read_only,
                         fl_error *err)
{
    *out = NULL;
    if (ice_cli_catalog_uri) return cat_open(out, ice_cli_catalog_uri, NULL, err);
    if (!warehouse || !*warehouse) warehouse = ICE_CLI_DEFAULT_WAREHOUSE;
    char path[4096], uri[4200];
    if (snprintf(path, sizeof(path), "%s/catalog.db", warehouse) >= (int)sizeof(path))
        return fl_error_set(err, FLOE_EINVAL, "warehouse path is too long");
    if (!is_file(path)) {
        if (!create)
            return fl_error_set(err, FLOE_ENOTFOUND, "no catalog in warehouse \"%s\" (%s is missing)",
                                warehouse, path);
        FL_TRY(make_dirs(warehouse, err));
        read_only = false;
    }
    snprintf(uri, sizeof(uri), "sqlite:%s%s%s", path[0] == '/' ? "//" : "", path,
             read_only ? "?mode=ro" : "");
    return cat_open(out, uri, NULL, err);
}

int ice_cli_add_remap(ice_cli_where *where, const char *arg)
{
    if (!strchr(arg, '=') || arg[0] == '=')
        return cli_usage_error(iceberg_usage, "--remap needs PREFIX=DIR, not \"%s\"", arg);
    if (where->remap_count == ICE_CLI_MAX_REMAPS) return cli_usage_error(iceberg_usage, "too many --remap options");
    where->remaps[where->remap_count++] = arg;
    return CLI_OK;
}

int ice_cli_parse_time_ms(int64_t *ms, const char *s, const char *what, fl_error *err)
{
    long long v;
    if (cli_parse_int(s, INT64_MIN / 1000, INT64_MAX / 1000, &v)) {
        *ms = v;
        return 0;
    }
    int64_t micros;
    bool zone;
    if (!fl_timestamp_parse(s, strlen(s), &micros, &zone)) {
        int32_t days;
        if (!fl_date_parse(s, strlen(s), &days))
            return fl_error_set(err, FLOE_EINVAL, "invalid %s \"%s\" (epoch milliseconds or a timestamp)",
                                what, s);
        micros = (int64_t)days * 86400000000LL;
    }
    /* the last millisecond that is not after the given instant */
    *ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
    return 0;
}

int ice_cli_split_name(const char *full, char *ns, size_t cap, const char **name, fl_error *err)
{
    const char *dot = strrchr(full, '.');
    if (!dot || dot == full || !dot[1])
        return fl_error_set(err, FLOE_EINVAL, "table name \"%s\" is not of the form ns.table", full);
    if ((size_t)(dot - full) >= cap)
        return fl_error_set(err, FLOE_EINVAL, "namespace of \"%s\" is too long", full);
    snprintf(ns, cap, "%.*s", (int)(dot - full), full);
    *name = dot + 1;
    return 0;
}

int ice_cli_env_open(ice_cli_env *e, const char *warehouse, const char *full, fl_error *err)
{
    memset(e, 0, sizeof(*e));
    char ns[1024];
    const char *name;
    FL_TRY(ice_cli_split_name(full, ns, sizeof(ns), &name, err));
    FL_TRY(ice_cli_catalog_open(&e->catalog, warehouse, false, false, err));
    e->fs = io_local_new();
    if (!e->fs) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    int rc = ice_table_load(&e->table, e->catalog, e->fs, ns, name, err);
    if (rc == FLOE_ENOTFOUND) return fl_error_set(err, FLOE_ENOTFOUND, "table \"%s\" does not exist", full);
    return rc;
}

void ice_cli_env_close(ice_cli_env *e)
{
    ice_table_free(e->table);
    io_fs_free(e->fs);
    cat_free(e->catalog);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_metadata_path(const char *table)
{
    size_t n = strlen(table);
    return strchr(table, '/') || (n >= 5 && !strcmp(table + n - 5, ".json")) ||
           (n >= 3 && !strcmp(table + n - 3, ".gz")) || is_file(table) || is_dir(table);
}

/* A table directory: its metadata/version-hint.text names the current
 * metadata file (Hadoop tables; Impala's version-hint.txt too): "3" -> v3.metadata.json (or
 * v3.gz.metadata.json), otherwise "<hint>.metadata.json". */
static int resolve_table_dir(char *out, size_t cap, const char *dir, fl_error *err)
{
    char hint_path[4096], hint[512] = "";
    snprintf(hint_path, sizeof(hint_path), "%s/metadata/version-hint.text", dir);
    FILE *f = fopen(hint_path, "r");
    if (!f) {   /* Impala writes version-hint.txt */
        snprintf(hint_path, sizeof(hint_path), "%s/metadata/version-hint.txt", dir);
        f = fopen(hint_path, "r");
    }
    if (!f)
        return fl_error_set(err, FLOE_ENOTFOUND,
                            "\"%s\" is a directory without metadata/version-hint.text: give the "
                            "metadata JSON file", dir);
    size_t n = fread(hint, 1, sizeof(hint) - 1, f);
    fclose(f);
    hint[n] = '\0';
    hint[strcspn(hint, "\r\n \t")] = '\0';
    if (!hint[0] || strchr(hint, '/'))
        return fl_error_set(err, FLOE_ECORRUPT, "invalid version hint in \"%s\"", hint_path);
    bool number = strspn(hint, "0123456789") == strlen(hint);
    if (number) {
        snprintf(out, cap, "%s/metadata/v%s.metadata.json", dir, hint);
        if (is_file(out)) return 0;
        snprintf(out, cap, "%s/metadata/v%s.gz.metadata.json", dir, hint);
    } else {
        snprintf(out, cap, "%s/metadata/%s.metadata.json", dir, hint);
    }
    if (!is_file(out))
        return fl_error_set(err, FLOE_ENOTFOUND, "metadata file \"%s\" named by \"%s\" does not exist",
                            out, hint_path);
    return 0;
}

/* The directory holding the metadata/ directory of a metadata file path
 * (or the file's own directory when it is not in a metadata/ directory). */
static void table_dir_of(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    char *slash = strrchr(out, '/');
    if (!slash) {
        snprintf(out, cap, "..");
        return;
    }
    *slash = '\0';
    const char *last = strrchr(out, '/');
    last = last ? last + 1 : out;
    if (strcmp(last, "metadata") == 0) {
        if (last == out) snprintf(out, cap, ".");
        else if (last == out + 1) out[1] = '\0';
        else out[last - out - 1] = '\0';
    }
}

static int locate_in_catalog(ice_cli_table *t, const char *table, const ice_cli_where *where,
                             fl_error *err)
{
    const char *dot = strrchr(table, '.');
    if (!dot || dot == table || !dot[1])
        return fl_error_set(err, FLOE_EINVAL,
                            "table name \"%s\" is not of the form ns.table or a metadata path",
                            table);
    char ns[1024];
    if ((size_t)(dot - table) >= sizeof(ns))
        return fl_error_set(err, FLOE_EINVAL, "namespace of \"%s\" is too long", table);
    snprintf(ns, sizeof(ns), "%.*s", (int)(dot - table), table);
    cat_catalog *cat = NULL;
    FL_TRY(ice_cli_catalog_open(&cat, where->warehouse, false, true, err));
    char *loc = NULL;
    int rc = cat_table_load(cat, ns, dot + 1, &loc, NULL, err);
    cat_free(cat);
    if (rc < 0) return rc;
    const char *p = loc;
    if (strncmp(p, "file://", 7) == 0) p += 7;
    else if (strncmp(p, "file:", 5) == 0) p += 5;
    int n = snprintf(t->metadata_location, sizeof(t->metadata_location), "%s", p);
    fl_free(loc);
    if (n >= (int)sizeof(t->metadata_location))
        return fl_error_set(err, FLOE_EINVAL, "metadata location of \"%s\" is too long", table);
    return 0;
}

int ice_cli_table_open(ice_cli_table *t, const char *table, const ice_cli_where *where,
                       fl_error *err)
{
    memset(t, 0, sizeof(*t));
    t->local = io_local_new();
    t->fs = t->local ? ice_remap_fs_new(t->local) : NULL;
    if (!t->fs) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    bool by_path = is_metadata_path(table);
    if (by_path && is_dir(table)) {
        FL_TRY(resolve_table_dir(t->metadata_location, sizeof(t->metadata_location), table, err));
    } else if (by_path) {
        if (snprintf(t->metadata_location, sizeof(t->metadata_location), "%s", table) >=
            (int)sizeof(t->metadata_location))
            return fl_error_set(err, FLOE_EINVAL, "metadata path is too long");
    } else {
        FL_TRY(locate_in_catalog(t, table, where, err));
    }
    for (size_t i = 0; i < where->remap_count; i++) {
        const char *r = where->remaps[i];
        const char *eq = strchr(r, '=');
        char prefix[2048];
        snprintf(prefix, sizeof(prefix), "%.*s", (int)(eq - r), r);
        FL_TRY(ice_remap_fs_add(t->fs, prefix, eq + 1, err));
    }
    FL_TRY(ice_metadata_read(&t->md, t->local, t->metadata_location, err));
    /* a local metadata file (given, or from the catalog) without --remap:
     * the table's own prefixes map to its directory */
    if (where->remap_count == 0 && !strstr(t->metadata_location, "://")) {
        char dir[4096];
        table_dir_of(t->metadata_location, dir, sizeof(dir));
        FL_TRY(ice_remap_fs_add_table(t->fs, t->md, dir, err));
    }
    return 0;
}

void ice_cli_table_close(ice_cli_table *t)
{
    ice_metadata_free(t->md);
    io_fs_free(t->fs);
    io_fs_free(t->local);
    memset(t, 0, sizeof(*t));
}

/* Options shared by info/schema/history/snapshots. */
typedef struct meta_opts {
    ice_cli_where where;
    bool json;
    const char *table;
} meta_opts;

static int parse_meta_opts(meta_opts *o, int argc, char **argv, bool allow_format)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"remap", required_argument, NULL, 'R'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': o->where.warehouse = optarg; break;
        case 'R': {
            int u = ice_cli_add_remap(&o->where, optarg);
            if (u != CLI_OK) return u;
            break;
        }
        case 'f':
            if (!allow_format)
                return cli_usage_error(iceberg_usage, "iceberg %s has no --format option", argv[0]);
            if (!strcmp(optarg, "json")) o->json = true;
            else if (!strcmp(optarg, "text")) o->json = false;
            else return cli_usage_error(iceberg_usage, "unknown format \"%s\" (text or json)", optarg);
            break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 1) return cli_usage_error(iceberg_usage, "iceberg %s takes one TABLE", argv[0]);
    o->table = argv[optind];
    return CLI_OK;
}

/* ---- info ---- */

static void print_spec(const ice_partition_spec *spec, const ice_schema *schema)
{
    if (!spec) {
        printf("(unknown)\n");
        return;
    }
    printf("%" PRId32 " [", spec->spec_id);
    for (size_t i = 0; i < spec->field_count; i++) {
        const ice_partition_field *f = &spec->fields[i];
        char tr[64];
        ice_transform_format(&f->transform, tr, sizeof(tr));
        const ice_schema_entry *e = schema ? ice_schema_find_id(schema, f->source_id) : NULL;
        printf("%s%s: %s(%s) field %" PRId32, i ? ", " : "", f->name, tr, e ? e->name : "?",
               f->field_id);
    }
    printf("]\n");
}

static void print_sort_order(const ice_sort_order *o, const ice_schema *schema)
{
    if (!o) {
        printf("(unknown)\n");
        return;
    }
    printf("%" PRId32 " [", o->order_id);
    for (size_t i = 0; i < o->field_count; i++) {
        const ice_sort_field *f = &o->fields[i];
        char tr[64];
        ice_transform_format(&f->transform, tr, sizeof(tr));
        const ice_schema_entry *e = schema ? ice_schema_find_id(schema, f->source_id) : NULL;
        printf("%s%s(%s) %s %s", i ? ", " : "", tr, e ? e->name : "?",
               f->descending ? "desc" : "asc", f->nulls_first ? "nulls first" : "nulls last");
    }
    printf("]\n");
}

static const char *summary_get(const ice_snapshot *s, const char *key)
{
    for (size_t i = 0; s && i < s->summary_count; i++)
        if (!strcmp(s->summary[i].key, key)) return s->summary[i].value;
    return NULL;
}

static void print_info(const ice_cli_table *t)
{
    const ice_metadata *md = t->md;
    const ice_schema *schema = ice_metadata_current_schema(md);
    char ts[64];
    printf("metadata: %s\n", t->metadata_location);
    printf("format-version: %d\n", md->format_version);
    printf("table-uuid: %s\n", md->table_uuid ? md->table_uuid : "(none)");
    printf("location: %s\n", md->location ? md->location : "");
    ice_cli_format_ms(md->last_updated_ms, ts);
    printf("last-updated: %s\n", ts);
    printf("last-sequence-number: %" PRId64 "\n", md->last_sequence_number);
    const ice_snapshot *cur = ice_metadata_current_snapshot(md);
    if (cur) {
        ice_cli_format_ms(cur->timestamp_ms, ts);
        printf("current-snapshot: %" PRId64 " (%s%s%s)\n", cur->snapshot_id, ts,
               cur->operation ? ", " : "", cur->operation ? cur->operation : "");
    } else {
        printf("current-snapshot: none\n");
    }
    printf("snapshots: %zu\n", md->snapshot_count);
    printf("current-schema-id: %" PRId32 "\n", md->current_schema_id);
    printf("default-spec: ");
    print_spec(ice_metadata_default_spec(md), schema);
    printf("default-sort-order: ");
    print_sort_order(ice_metadata_sort_order(md, md->default_sort_order_id), schema);
    printf("refs:%s\n", md->ref_count ? "" : " none");
    for (size_t i = 0; i < md->ref_count; i++)
        printf("  %s: %s %" PRId64 "\n", md->refs[i].name, md->refs[i].is_tag ? "tag" : "branch",
               md->refs[i].snapshot_id);
    printf("properties:%s\n", md->property_count ? "" : " none");
    for (size_t i = 0; i < md->property_count; i++)
        printf("  %s=%s\n", md->properties[i].key, md->properties[i].value);
    static const char *const counts[] = {
        "total-records", "total-data-files", "total-delete-files", "total-position-deletes",
        "total-equality-deletes", "total-files-size",
    };
    if (cur && cur->has_summary) {
        printf("current-summary:\n");
        for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
            const char *v = summary_get(cur, counts[i]);
            if (v) printf("  %s=%s\n", counts[i], v);
        }
    }
}

/* ---- schema ---- */

static void print_field(const ice_field *f, int depth)
{
    char type[256];
    ice_type_format(f->type, type, sizeof(type));
    printf("%*s%" PRId32 " %s: %s %s", depth * 2, "", f->id, f->name, type,
           f->required ? "required" : "optional");
    if (f->doc) printf(" -- %s", f->doc);
    if (f->initial_default_json) printf(" (initial-default %s)", f->initial_default_json);
    if (f->write_default_json) printf(" (write-default %s)", f->write_default_json);
    putchar('\n');
    if (ice_type_is_nested(f->type))
        for (size_t i = 0; i < f->type->field_count; i++) print_field(&f->type->fields[i], depth + 1);
}

static void print_schema(const ice_schema *schema)
{
    printf("schema %" PRId32, schema->schema_id);
    if (schema->identifier_count) {
        printf(" (identifier fields:");
        for (size_t i = 0; i < schema->identifier_count; i++) {
            const ice_schema_entry *e = ice_schema_find_id(schema, schema->identifier_field_ids[i]);
            printf(" %s", e ? e->name : "?");
        }
        printf(")");
    }
    putchar('\n');
    for (size_t i = 0; i < schema->type->field_count; i++) print_field(&schema->type->fields[i], 1);
}

/* ---- history ---- */

static bool is_current_ancestor(const ice_metadata *md, int64_t id)
{
    const ice_snapshot *cur = ice_metadata_current_snapshot(md);
    return cur && ice_metadata_is_ancestor(md, cur, id);
}

static void print_history(const ice_metadata *md)
{
    printf("made_at\tsnapshot_id\tparent_id\tis_current_ancestor\n");
    for (size_t i = 0; i < md->snapshot_log_count; i++) {
        const ice_snapshot_log_entry *e = &md->snapshot_log[i];
        const ice_snapshot *s = ice_metadata_snapshot(md, e->snapshot_id);
        char ts[64], parent[32] = "";
        ice_cli_format_ms(e->timestamp_ms, ts);
        if (s && s->has_parent) snprintf(parent, sizeof(parent), "%" PRId64, s->parent_id);
        printf("%s\t%" PRId64 "\t%s\t%s\n", ts, e->snapshot_id, parent,
               is_current_ancestor(md, e->snapshot_id) ? "true" : "false");
    }
}

/* ---- snapshots ---- */

static int print_snapshots_json(const ice_metadata *md, fl_error *err)
{
    for (size_t i = 0; i < md->snapshot_count; i++) {
        const ice_snapshot *s = &md->snapshots[i];
        char ts[64];
        ice_cli_format_ms(s->timestamp_ms, ts);
        json_t *o = json_object();
        json_t *sum = json_object();
        if (!o || !sum) {
            json_decref(o);
            json_decref(sum);
            return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        }
        json_object_set_new(o, "snapshot-id", json_integer(s->snapshot_id));
        json_object_set_new(o, "parent-snapshot-id",
                            s->has_parent ? json_integer(s->parent_id) : json_null());
        json_object_set_new(o, "sequence-number", json_integer(s->sequence_number));
        json_object_set_new(o, "timestamp-ms", json_integer(s->timestamp_ms));
        json_object_set_new(o, "timestamp", json_string(ts));
        json_object_set_new(o, "operation", s->operation ? json_string(s->operation) : json_null());
        if (s->has_schema_id) json_object_set_new(o, "schema-id", json_integer(s->schema_id));
        json_object_set_new(o, "manifest-list",
                            s->manifest_list ? json_string(s->manifest_list) : json_null());
        json_object_set_new(o, "is-current-ancestor",
                            json_boolean(is_current_ancestor(md, s->snapshot_id)));
        for (size_t k = 0; k < s->summary_count; k++)
            json_object_set_new(sum, s->summary[k].key, json_string(s->summary[k].value));
        json_object_set_new(o, "summary", sum);
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!text) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        puts(text);
        free(text);
    }
    return 0;
}

static void print_snapshots_text(const ice_metadata *md)
{
    printf("snapshot_id\tparent_id\tsequence_number\ttimestamp\toperation\tsummary\n");
    for (size_t i = 0; i < md->snapshot_count; i++) {
        const ice_snapshot *s = &md->snapshots[i];
        char ts[64], parent[32] = "";
        ice_cli_format_ms(s->timestamp_ms, ts);
        if (s->has_parent) snprintf(parent, sizeof(parent), "%" PRId64, s->parent_id);
        printf("%" PRId64 "\t%s\t%" PRId64 "\t%s\t%s\t", s->snapshot_id, parent, s->sequence_number,
               ts, s->operation ? s->operation : "");
        for (size_t k = 0; k < s->summary_count; k++)
            printf("%s%s=%s", k ? "," : "", s->summary[k].key, s->summary[k].value);
        putchar('\n');
    }
}

/* ---- register ---- */

static int register_table(const char *name, const char *metadata, const char *warehouse,
                          fl_error *err)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || !dot[1])
        return fl_error_set(err, FLOE_EINVAL, "table name \"%s\" is not of the form ns.table", name);
    char ns[1024];
    if ((size_t)(dot - name) >= sizeof(ns))
        return fl_error_set(err, FLOE_EINVAL, "namespace of \"%s\" is too long", name);
    snprintf(ns, sizeof(ns), "%.*s", (int)(dot - name), name);
    char *abs = realpath(metadata, NULL);
    if (!abs)
        return fl_error_set(err, FLOE_ENOTFOUND, "metadata file \"%s\" does not exist", metadata);
    /* refuse files that are not table metadata */
    io_fs *local = io_local_new();
    ice_metadata *md = NULL;
    int rc = local ? ice_metadata_read(&md, local, abs, err) : fl_error_set(err, FLOE_ENOMEM, "out of memory");
    ice_metadata_free(md);
    io_fs_free(local);
    cat_catalog *cat = NULL;
    if (rc == 0) rc = ice_cli_catalog_open(&cat, warehouse, false, false, err);
    if (rc == 0) rc = cat_table_register(cat, ns, dot + 1, abs, err);
    cat_free(cat);
    free(abs);
    return rc;
}

static int cmd_register(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (ch) {
        case 'W': warehouse = optarg; break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error(iceberg_usage, "iceberg register takes NS.TABLE and METADATA");
    fl_error err;
    if (register_table(argv[optind], argv[optind + 1], warehouse, &err) < 0) return cli_fail(&err);
    return CLI_OK;
}

/* ---- dispatch ---- */

static int cmd_meta(int argc, char **argv)
{
    const char *sub = argv[0];
    bool is_snapshots = !strcmp(sub, "snapshots");
    meta_opts o;
    int u = parse_meta_opts(&o, argc, argv, is_snapshots);
    if (u != CLI_OK) return u;
    fl_error err;
    ice_cli_table t;
    int rc = ice_cli_table_open(&t, o.table, &o.where, &err);
    if (rc == 0) {
        if (!strcmp(sub, "info")) {
            print_info(&t);
        } else if (!strcmp(sub, "schema")) {
            const ice_schema *schema = ice_metadata_current_schema(t.md);
            if (schema) print_schema(schema);
            else rc = fl_error_set(&err, FLOE_ECORRUPT, "table has no current schema");
        } else if (!strcmp(sub, "history")) {
            print_history(t.md);
        } else if (o.json) {
            rc = print_snapshots_json(t.md, &err);
        } else {
            print_snapshots_text(t.md);
        }
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = fl_error_set(&err, FLOE_EIO, "could not write to standard output");
    ice_cli_table_close(&t);
    return rc < 0 ? cli_fail(&err) : CLI_OK;
}

int cmd_iceberg(int argc, char **argv)
{
    argc = ice_cli_take_catalog_opt(argc, argv);
    if (argc < 0) return cli_usage_error(iceberg_usage, "option --catalog needs a value");
    if (argc < 2) return cli_usage_error(iceberg_usage, "missing iceberg command");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(iceberg_usage, stdout);
        return CLI_OK;
    }
    if (!strcmp(sub, "info") || !strcmp(sub, "schema") || !strcmp(sub, "history") ||
        !strcmp(sub, "snapshots"))
        return cmd_meta(argc - 1, argv + 1);
    if (!strcmp(sub, "register")) return cmd_register(argc - 1, argv + 1);
    if (!strcmp(sub, "files")) return cmd_iceberg_files(argc - 1, argv + 1);
    if (!strcmp(sub, "manifests")) return cmd_iceberg_manifests(argc - 1, argv + 1);
    if (!strcmp(sub, "scan")) return cmd_iceberg_scan(argc - 1, argv + 1);
    if (!strcmp(sub, "create")) return cmd_iceberg_create(argc - 1, argv + 1);
    if (!strcmp(sub, "append")) return cmd_iceberg_append(argc - 1, argv + 1);
    if (!strcmp(sub, "rollback")) return cmd_iceberg_rollback(argc - 1, argv + 1);
    if (!strcmp(sub, "expire")) return cmd_iceberg_expire(argc - 1, argv + 1);
    if (!strcmp(sub, "overwrite")) return cmd_iceberg_overwrite(argc - 1, argv + 1);
    if (!strcmp(sub, "delete")) return cmd_iceberg_delete(argc - 1, argv + 1);
    if (!strcmp(sub, "branch")) return cmd_iceberg_branch(argc - 1, argv + 1);
    if (!strcmp(sub, "tag")) return cmd_iceberg_tag(argc - 1, argv + 1);
    if (!strcmp(sub, "cherry-pick")) return cmd_iceberg_cherry_pick(argc - 1, argv + 1);
    if (!strcmp(sub, "alter")) return cmd_iceberg_alter(argc - 1, argv + 1);
    return cli_usage_error(iceberg_usage, "unknown iceberg command \"%s\"", sub);
}
