/*
 * cmd_iceberg_read.c: the `floe iceberg` commands that read beyond the
 * metadata JSON: `files` (the live data and delete files of a snapshot,
 * from its manifests), `manifests` (its manifest list) and `scan` (rows
 * with deletes applied, through ice_scan.h and ice_read.h, printed as CSV
 * or JSON lines with render.h like `parquet cat`).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../base/arena.h"
#include "../base/alloc.h"
#include "../base/time.h"
#include "../base/value_text.h"
#include "../iceberg/ice_expr.h"
#include "../iceberg/ice_manifest.h"
#include "../iceberg/ice_read.h"
#include "../iceberg/ice_scan.h"
#include "cli.h"
#include "cmd_iceberg.h"
#include "render.h"

typedef struct read_opts {
    ice_cli_where where;
    const char *table;
    const char *snapshot;   /* --snapshot ID */
    const char *as_of;      /* --as-of TIME */
    const char *ref;        /* --ref NAME */
    const char *columns;
    const char *filter;
    bool json;
    long long limit;        /* -1 = all */
} read_opts;

enum { OPT_SNAPSHOT = 1, OPT_SCAN = 2 };

static int parse_read_opts(read_opts *o, int argc, char **argv, unsigned allowed)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'W'},
        {"remap", required_argument, NULL, 'R'},
        {"format", required_argument, NULL, 'f'},
        {"snapshot", required_argument, NULL, 's'},
        {"as-of", required_argument, NULL, 'a'},
        {"ref", required_argument, NULL, 'r'},
        {"columns", required_argument, NULL, 'c'},
        {"filter", required_argument, NULL, 'w'},
        {"limit", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    o->limit = -1;
    bool scan = allowed & OPT_SCAN;
    int ch, idx = 0;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, &idx)) != -1) {
        if (!scan && (ch == 'a' || ch == 'r' || ch == 'c' || ch == 'w' || ch == 'n'))
            return cli_usage_error(iceberg_usage, "iceberg %s has no --%s option", argv[0],
                                   longopts[idx].name);
        switch (ch) {
        case 'W': o->where.warehouse = optarg; break;
        case 'R': {
            int u = ice_cli_add_remap(&o->where, optarg);
            if (u != CLI_OK) return u;
            break;
        }
        case 'f':
            if (!strcmp(optarg, "json")) o->json = true;
            else if (!strcmp(optarg, scan ? "csv" : "text")) o->json = false;
            else
                return cli_usage_error(iceberg_usage, "unknown format \"%s\" (%s or json)", optarg,
                                       scan ? "csv" : "text");
            break;
        case 's': o->snapshot = optarg; break;
        case 'a': o->as_of = optarg; break;
        case 'r': o->ref = optarg; break;
        case 'c':
            if (!*optarg) return cli_usage_error(iceberg_usage, "--columns needs column names");
            o->columns = optarg;
            break;
        case 'w': o->filter = optarg; break;
        case 'n':
            if (!cli_parse_int(optarg, 0, INT64_MAX, &o->limit))
                return cli_usage_error(iceberg_usage, "invalid --limit \"%s\"", optarg);
            break;
        case ':': return cli_usage_error(iceberg_usage, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(iceberg_usage, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if ((o->snapshot != NULL) + (o->as_of != NULL) + (o->ref != NULL) > 1)
        return cli_usage_error(iceberg_usage, "give only one of --snapshot, --as-of and --ref");
    if (argc - optind != 1) return cli_usage_error(iceberg_usage, "iceberg %s takes one TABLE", argv[0]);
    o->table = argv[optind];
    return CLI_OK;
}

/* The snapshot of --snapshot, or the current one (NULL: the table has none). */
static int pick_snapshot(const ice_snapshot **out, const ice_metadata *md, const read_opts *o,
                         fl_error *err)
{
    if (o->snapshot) return ice_cli_snapshot_arg(out, md, o->snapshot, err);
    *out = ice_metadata_current_snapshot(md);
    return 0;
}

static int oom(fl_error *err) { return fl_error_set(err, FLOE_ENOMEM, "out of memory"); }

/* ---- files ---- */

/* Appends {name=value, ...} of a partition tuple. */
static int append_partition(fl_buf *out, const ice_partition_spec *spec, const ice_data_file *f)
{
    int rc = fl_buf_append_byte(out, '{');
    for (size_t i = 0; i < f->partition_count && rc == 0; i++) {
        const char *name = spec && i < spec->field_count ? spec->fields[i].name : "?";
        if (i) rc = fl_buf_append(out, ", ", 2);
        if (!rc) rc = fl_buf_append(out, name, strlen(name));
        if (!rc) rc = fl_buf_append_byte(out, '=');
        if (!rc) {
            if (f->partition[i].is_null) rc = fl_buf_append(out, "NULL", 4);
            else rc = render_scalar_text(out, &f->partition[i]);
        }
    }
    if (!rc) rc = fl_buf_append_byte(out, '}');
    return rc;
}

static int file_json(fl_buf *out, const ice_data_file *f, const ice_partition_spec *spec,
                     const ice_manifest_entry *e)
{
    fl_buf part;
    fl_buf_init(&part);
    int rc = append_partition(&part, spec, f);
    json_t *o = json_object();
    if (rc < 0 || !o) {
        fl_buf_dispose(&part);
        json_decref(o);
        return FLOE_ENOMEM;
    }
    json_object_set_new(o, "content", json_string(ice_file_content_name(f->content)));
    json_object_set_new(o, "file_path", json_string(f->file_path));
    json_object_set_new(o, "file_format", json_string(f->file_format ? f->file_format : ""));
    json_object_set_new(o, "spec_id", json_integer(f->spec_id));
    json_object_set_new(o, "partition", json_stringn(part.data ? part.data : "", part.len));
    json_object_set_new(o, "record_count", json_integer(f->record_count));
    json_object_set_new(o, "file_size_in_bytes", json_integer(f->file_size_in_bytes));
    json_object_set_new(o, "status", json_string(e->status == ICE_ENTRY_ADDED ? "added" : "existing"));
    json_object_set_new(o, "snapshot_id", json_integer(e->snapshot_id));
    json_object_set_new(o, "sequence_number", json_integer(e->sequence_number));
    if (f->referenced_data_file)
        json_object_set_new(o, "referenced_data_file", json_string(f->referenced_data_file));
    fl_buf_dispose(&part);
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text) return FLOE_ENOMEM;
    rc = fl_buf_append(out, text, strlen(text));
    if (!rc) rc = fl_buf_append_byte(out, '\n');
    free(text);
    return rc;
}

static int file_text(fl_buf *out, const ice_data_file *f, const ice_partition_spec *spec)
{
    char num[96];
    const char *content = ice_file_content_name(f->content);
    int rc = fl_buf_append(out, content, strlen(content));
    if (!rc) rc = fl_buf_append_byte(out, '\t');
    if (!rc) rc = fl_buf_append(out, f->file_path, strlen(f->file_path));
    if (!rc) rc = fl_buf_append_byte(out, '\t');
    if (!rc && f->file_format) rc = fl_buf_append(out, f->file_format, strlen(f->file_format));
    if (!rc) rc = fl_buf_append_byte(out, '\t');
    if (!rc) rc = append_partition(out, spec, f);
    int n = snprintf(num, sizeof(num), "\t%" PRId64 "\t%" PRId64 "\n", f->record_count,
                     f->file_size_in_bytes);
    if (!rc) rc = fl_buf_append(out, num, (size_t)n);
    return rc;
}

static int list_files(ice_cli_table *t, const ice_snapshot *snap, bool json, fl_error *err)
{
    fl_buf out;
    fl_buf_init(&out);
    ice_manifest_list *list = NULL;
    int rc = 0;
    if (!json && fl_buf_append_str(&out, "content\tfile_path\tfile_format\tpartition\trecord_count\t"
                                          "file_size_in_bytes\n") < 0)
        rc = oom(err);
    if (rc == 0 && snap) rc = ice_snapshot_manifests(&list, t->fs, t->md, snap, err);
    for (size_t m = 0; rc == 0 && list && m < list->count; m++) {
        const ice_manifest_file *mf = &list->files[m];
        ice_manifest_reader *r = NULL;
        if ((rc = ice_manifest_reader_open(&r, t->fs, mf->manifest_path, mf, t->md, err)) < 0) break;
        const ice_partition_spec *spec = ice_manifest_reader_spec(r);
        const ice_manifest_entry *e;
        while ((rc = ice_manifest_reader_next(r, &e, err)) > 0) {
            if (e->status == ICE_ENTRY_DELETED) continue;
            int arc = json ? file_json(&out, &e->file, spec, e) : file_text(&out, &e->file, spec);
            if (arc < 0) {
                rc = oom(err);
                break;
            }
            if (out.len >= 1 << 16 && (rc = ice_cli_flush(&out, err)) < 0) break;
        }
        ice_manifest_reader_free(r);
    }
    if (rc >= 0) rc = ice_cli_flush(&out, err);
    ice_manifest_list_free(list);
    fl_buf_dispose(&out);
    return rc;
}

typedef int (*snapshot_lister)(ice_cli_table *t, const ice_snapshot *snap, bool json, fl_error *err);

/* files and manifests: open the table, pick the snapshot, list. */
static int run_lister(int argc, char **argv, snapshot_lister list)
{
    read_opts o;
    int u = parse_read_opts(&o, argc, argv, OPT_SNAPSHOT);
    if (u != CLI_OK) return u;
    fl_error err;
    ice_cli_table t;
    const ice_snapshot *snap = NULL;
    int rc = ice_cli_table_open(&t, o.table, &o.where, &err);
    if (rc == 0) rc = pick_snapshot(&snap, t.md, &o, &err);
    if (rc == 0) rc = list(&t, snap, o.json, &err);
    ice_cli_table_close(&t);
    return rc < 0 ? cli_fail(&err) : CLI_OK;
}

int cmd_iceberg_files(int argc, char **argv) { return run_lister(argc, argv, list_files); }

/* ---- manifests ---- */

static int list_manifests(ice_cli_table *t, const ice_snapshot *snap, bool json, fl_error *err)
{
    ice_manifest_list *list = NULL;
    if (snap) FL_TRY(ice_snapshot_manifests(&list, t->fs, t->md, snap, err));
    if (!json)
        printf("manifest_path\tlength\tspec_id\tcontent\tsequence_number\tmin_sequence_number\t"
               "added_snapshot_id\tadded_files\texisting_files\tdeleted_files\tadded_rows\t"
               "existing_rows\tdeleted_rows\n");
    int rc = 0;
    for (size_t m = 0; list && m < list->count; m++) {
        const ice_manifest_file *f = &list->files[m];
        if (!json) {
            printf("%s\t%" PRId64 "\t%" PRId32 "\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64
                   "\t%" PRId32 "\t%" PRId32 "\t%" PRId32 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n",
                   f->manifest_path, f->manifest_length, f->partition_spec_id,
                   ice_manifest_content_name(f->content), f->sequence_number,
                   f->min_sequence_number, f->added_snapshot_id, f->added_files_count,
                   f->existing_files_count, f->deleted_files_count, f->added_rows_count,
                   f->existing_rows_count, f->deleted_rows_count);
            continue;
        }
        json_t *o = json_object();
        if (!o) {
            rc = oom(err);
            break;
        }
        json_object_set_new(o, "manifest_path", json_string(f->manifest_path));
        json_object_set_new(o, "manifest_length", json_integer(f->manifest_length));
        json_object_set_new(o, "partition_spec_id", json_integer(f->partition_spec_id));
        json_object_set_new(o, "content", json_string(ice_manifest_content_name(f->content)));
        json_object_set_new(o, "sequence_number", json_integer(f->sequence_number));
        json_object_set_new(o, "min_sequence_number", json_integer(f->min_sequence_number));
        json_object_set_new(o, "added_snapshot_id", json_integer(f->added_snapshot_id));
        json_object_set_new(o, "added_files_count", json_integer(f->added_files_count));
        json_object_set_new(o, "existing_files_count", json_integer(f->existing_files_count));
        json_object_set_new(o, "deleted_files_count", json_integer(f->deleted_files_count));
        json_object_set_new(o, "added_rows_count", json_integer(f->added_rows_count));
        json_object_set_new(o, "existing_rows_count", json_integer(f->existing_rows_count));
        json_object_set_new(o, "deleted_rows_count", json_integer(f->deleted_rows_count));
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (!text) {
            rc = oom(err);
            break;
        }
        puts(text);
        free(text);
    }
    ice_manifest_list_free(list);
    if (rc == 0 && fflush(stdout) != 0)
        rc = fl_error_set(err, FLOE_EIO, "could not write to standard output");
    return rc;
}

int cmd_iceberg_manifests(int argc, char **argv) { return run_lister(argc, argv, list_manifests); }

/* ---- scan ---- */

/* Resolves --columns to top-level field ids (arena). */
static int resolve_columns(int32_t **ids, size_t *n, const char *list, const ice_schema *schema,
                           fl_arena *arena, fl_error *err)
{
    size_t cap = 1;
    for (const char *p = list; *p; p++) cap += *p == ',';
    *ids = fl_arena_alloc(arena, cap * sizeof(**ids));
    if (!*ids) return oom(err);
    *n = 0;
    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");
        char *name = fl_arena_strndup(arena, p, len);
        if (!name) return oom(err);
        const ice_schema_entry *e;
        fl_error ignored;
        if (ice_schema_find_name(&e, schema, name, true, &ignored) < 0 &&
            ice_schema_find_name(&e, schema, name, false, &ignored) < 0)
            return fl_error_set(err, FLOE_ENOTFOUND, "column \"%s\" does not exist", name);
        if (e->parent_id != -1)
            return fl_error_set(err, FLOE_EINVAL,
                                "column \"%s\" is not a top-level column (select its parent)", name);
        (*ids)[(*n)++] = e->id;
        if (!p[len]) break;
        p += len + 1;
    }
    return 0;
}

static int write_header(fl_buf *out, ice_reader *rd, bool json)
{
    if (json) return 0;
    fl_buf scratch;
    fl_buf_init(&scratch);
    int rc = 0;
    for (size_t c = 0; c < ice_reader_column_count(rd) && rc == 0; c++) {
        const ice_field *f = ice_reader_column_field(rd, c);
        fl_strv s = fl_strv_cstr(f->name);
        fl_column hdr = {0};
        hdr.type = fl_type_make(FL_TYPE_STRING);
        hdr.len = 1;
        hdr.data = &s;
        if (c) rc = fl_buf_append_byte(out, ',');
        if (!rc) rc = render_csv_field(out, &scratch, &hdr, 0, ',');
    }
    if (!rc) rc = fl_buf_append_byte(out, '\n');
    fl_buf_dispose(&scratch);
    return rc;
}

static int print_rows(ice_reader *rd, const read_opts *o, fl_arena *batch, fl_error *err)
{
    size_t ncols = ice_reader_column_count(rd);
    fl_column **cols = fl_malloc((ncols ? ncols : 1) * sizeof(*cols));
    fl_buf out, scratch;
    fl_buf_init(&out);
    fl_buf_init(&scratch);
    int rc = cols ? write_header(&out, rd, o->json) : FLOE_ENOMEM;
    if (rc < 0) rc = oom(err);
    long long printed = 0;
    while (rc == 0 && (o->limit < 0 || printed < o->limit)) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = ice_reader_next(rd, batch, cols, &rows, err)) < 0 || rows == 0) break;
        for (size_t r = 0; r < rows && (o->limit < 0 || printed < o->limit); r++, printed++) {
            int arc = o->json ? fl_buf_append_byte(&out, '{') : 0;
            for (size_t c = 0; c < ncols && arc == 0; c++) {
                if (c) arc = fl_buf_append_byte(&out, ',');
                if (o->json) {
                    const char *name = ice_reader_column_field(rd, c)->name;
                    if (!arc) arc = render_json_string(&out, name, strlen(name));
                    if (!arc) arc = fl_buf_append_byte(&out, ':');
                    if (!arc) arc = render_json_value(&out, cols[c], r);
                } else if (!arc) {
                    arc = render_csv_field(&out, &scratch, cols[c], r, ',');
                }
            }
            if (!arc && o->json) arc = fl_buf_append_byte(&out, '}');
            if (!arc) arc = fl_buf_append_byte(&out, '\n');
            if (arc < 0) {
                rc = oom(err);
                break;
            }
            if (out.len >= 1 << 16 && (rc = ice_cli_flush(&out, err)) < 0) break;
        }
    }
    if (rc == 0) rc = ice_cli_flush(&out, err);
    fl_buf_dispose(&out);
    fl_buf_dispose(&scratch);
    fl_free(cols);
    return rc;
}

static int scan_table(ice_cli_table *t, const read_opts *o, fl_error *err)
{
    fl_arena *arena = fl_arena_new(0), *batch = fl_arena_new(0);
    ice_scan_plan *plan = NULL;
    ice_reader *rd = NULL;
    int rc = 0;
    ice_scan_opts so = {0};
    ice_read_opts ro = {0};
    if (!arena || !batch) {
        rc = oom(err);
        goto done;
    }
    if (o->snapshot) {
        const ice_snapshot *s;
        if ((rc = ice_cli_snapshot_arg(&s, t->md, o->snapshot, err)) < 0) goto done;
        so.at = ICE_SCAN_SNAPSHOT_ID;
        so.snapshot_id = s->snapshot_id;
    } else if (o->as_of) {
        if ((rc = ice_cli_parse_time_ms(&so.as_of_ms, o->as_of, "--as-of", err)) < 0) goto done;
        so.at = ICE_SCAN_AS_OF_TIME;
    } else if (o->ref) {
        so.at = ICE_SCAN_REF;
        so.ref = o->ref;
    }
    const ice_snapshot *snap;
    if ((rc = ice_scan_snapshot(&snap, t->md, &so, err)) < 0) goto done;
    const ice_schema *schema = ice_scan_read_schema(t->md, &so, snap);
    if (!schema) {
        rc = fl_error_set(err, FLOE_ECORRUPT, "table has no schema to read with");
        goto done;
    }
    if (o->filter && (rc = ice_expr_parse(&so.filter, o->filter, schema, arena, err)) < 0) goto done;
    if (o->columns) {
        int32_t *ids = NULL;
        size_t n = 0;
        if ((rc = resolve_columns(&ids, &n, o->columns, schema, arena, err)) < 0) goto done;
        ro.field_ids = ids;
        ro.field_count = n;
    }
    if ((rc = ice_scan_plan_new(&plan, t->fs, t->md, &so, err)) < 0) goto done;
    if ((rc = ice_reader_new(&rd, t->fs, plan, &ro, err)) < 0) goto done;
    rc = print_rows(rd, o, batch, err);
done:
    ice_reader_free(rd);
    ice_scan_plan_free(plan);
    fl_arena_free(batch);
    fl_arena_free(arena);
    return rc;
}

int cmd_iceberg_scan(int argc, char **argv)
{
    read_opts o;
    int u = parse_read_opts(&o, argc, argv, OPT_SNAPSHOT | OPT_SCAN);
    if (u != CLI_OK) return u;
    fl_error err;
    ice_cli_table t;
    int rc = ice_cli_table_open(&t, o.table, &o.where, &err);
    if (rc == 0) rc = scan_table(&t, &o, &err);
    ice_cli_table_close(&t);
    return rc < 0 ? cli_fail(&err) : CLI_OK;
}
