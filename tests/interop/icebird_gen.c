/*
 * icebird_gen.c: floe-icebird-gen, the data-writing helper of
 * tests/interop/icebird_check.mjs for what the floe CLI cannot do (position
 * and equality deletes), an append path independent of the CLI's (files split
 * by partition here, with the schema in their footers), and the rows as CSV
 * for the CLI's own appends.
 *
 *   floe-icebird-gen append WAREHOUSE NS.TABLE FIRST COUNT
 *       rows FIRST..FIRST+COUNT-1 of the table's current schema, split by
 *       the default spec's transforms into one Parquet file per partition
 *       tuple (field ids on every column, metrics from the footers), one
 *       fast append (ice_txn_append); prints "snapshot <id>".
 *   floe-icebird-gen delete WAREHOUSE NS.TABLE EVERY
 *       one position delete file per live data file of the current
 *       snapshot (ice_write_position_deletes), deleting positions 0, EVERY,
 *       2*EVERY, ..., committed by ice_txn_row_delta ("delete" snapshot);
 *       prints "snapshot <id>".
 *   floe-icebird-gen eqdelete WAREHOUSE NS.TABLE COLUMN V1,V2,...
 *       a global equality delete (unpartitioned table) of the rows whose
 *       string COLUMN is one of the values (ice_write_equality_deletes,
 *       ice_txn_row_delta).
 *   floe-icebird-gen csv COLUMNS FIRST COUNT
 *       the same rows as CSV (no header) of the comma-separated COLUMNS.
 *
 * Row values are a function of the id, by column name: id (long), name
 * or label (one of six strings, one non-ASCII), ts (timestamp, from 1969-06-03 on in steps
 * of 37 days 5 h 13 min, so every temporal transform sees several values and
 * pre-1970 ones), d (the date of ts), amount (double id * 1.25, NULL when
 * id % 7 == 3), note ("note-<id>"); any other column is NULL. Data files
 * carry the table schema in the Parquet footer ("iceberg.schema"), as Iceberg
 * Java writes it. The WAREHOUSE
 * holds catalog.db as the floe CLI makes it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../src/base/arena.h"
#include "../../src/base/buf.h"
#include "../../src/base/time.h"
#include "../../src/base/column.h"
#include "../../src/base/uuid.h"
#include "../../src/base/value_text.h"
#include "../../src/catalog/catalog.h"
#include "../../src/format/parquet/pq_reader.h"
#include "../../src/format/parquet/pq_writer.h"
#include "../../src/iceberg/ice_manifest.h"
#include "../../src/iceberg/ice_scan.h"
#include "../../src/iceberg/ice_table.h"
#include "../../src/iceberg/ice_txn.h"
#include "../../src/iceberg/ice_writer.h"

#define MAX_COLS 32

static const char *const NAMES[] = {"alpha", "bravo", "charlie", "delta", "echo", "zo\xc3\xab"};
static const int64_t TS_BASE = -18316800LL * 1000000;   /* 1969-06-03 00:00:00 */
static const int64_t TS_STEP = ((37LL * 24 + 5) * 60 + 13) * 60 * 1000000;

static int die(const fl_error *err)
{
    fprintf(stderr, "floe-icebird-gen: %s\n", err->message);
    return 1;
}

static int open_table(cat_catalog **cat, io_fs **fs, ice_table **t, const char *wh, const char *full,
                      fl_error *err)
{
    char uri[4200], ns[1024];
    const char *dot = strrchr(full, '.');
    if (!dot || dot == full) return fl_error_set(err, FLOE_EINVAL, "table \"%s\" is not ns.table", full);
    snprintf(ns, sizeof(ns), "%.*s", (int)(dot - full), full);
    snprintf(uri, sizeof(uri), "sqlite:%s%s/catalog.db", wh[0] == '/' ? "//" : "", wh);
    FL_TRY(cat_open(cat, uri, NULL, err));
    if ((*fs = io_local_new()) == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    return ice_table_load(t, *cat, *fs, ns, dot + 1, err);
}

/* The value of column `name` (of fl type ft) for row id into *v. */
static void row_value(fl_value *v, const char *name, fl_type ft, int64_t id, fl_arena *a)
{
    memset(v, 0, sizeof(*v));
    v->type = ft;
    int64_t ts = TS_BASE + id * TS_STEP;
    if (!strcmp(name, "id")) {
        v->v.i64 = id;
    } else if (!strcmp(name, "name") || !strcmp(name, "label")) {
        const char *s = NAMES[id % 6];
        v->v.s = fl_strv_make(s, strlen(s));
    } else if (!strcmp(name, "ts")) {
        v->v.i64 = ts;
    } else if (!strcmp(name, "d")) {
        int64_t day = 86400LL * 1000000;
        v->v.i64 = ts >= 0 ? ts / day : -((-ts + day - 1) / day);
    } else if (!strcmp(name, "amount")) {
        if (id % 7 == 3) v->is_null = true;
        else v->v.f64 = (double)id * 1.25;
    } else if (!strcmp(name, "note")) {
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "note-%" PRId64, id);
        v->v.s = fl_strv_make(fl_arena_strndup(a, buf, (size_t)n), (size_t)n);
    } else {
        v->is_null = true;
    }
}

static void column_set(fl_column *c, size_t row, const fl_value *v)
{
    if (v->is_null) {
        fl_column_set_null(c, row);
        return;
    }
    switch (c->type.id) {
    case FL_TYPE_INT32:
    case FL_TYPE_DATE: ((int32_t *)c->data)[row] = (int32_t)v->v.i64; break;
    case FL_TYPE_DOUBLE: ((double *)c->data)[row] = v->v.f64; break;
    case FL_TYPE_FLOAT: ((float *)c->data)[row] = (float)v->v.f64; break;
    case FL_TYPE_STRING: fl_column_copy_str(c, v->v.s.ptr, v->v.s.len, &((fl_strv *)c->data)[row]); break;
    default: ((int64_t *)c->data)[row] = v->v.i64; break;
    }
}

typedef struct table_shape {
    const ice_schema *schema;
    size_t ncol;
    pq_field fields[MAX_COLS];
    const char *names[MAX_COLS];
} table_shape;

static int shape_of(table_shape *s, const ice_table *t, fl_error *err)
{
    memset(s, 0, sizeof(*s));
    s->schema = ice_metadata_current_schema(t->md);
    const ice_type *st = s->schema->type;
    if (st->field_count > MAX_COLS) return fl_error_set(err, FLOE_EINVAL, "too many columns");
    for (size_t i = 0; i < st->field_count; i++) {
        const ice_field *f = &st->fields[i];
        fl_type ft;
        FL_TRY(ice_type_to_fl(&ft, f->type, err));
        s->fields[i] = (pq_field){.name = f->name, .type = ft, .nullable = !f->required, .field_id = f->id,
                                  .has_field_id = true};
        s->names[i] = f->name;
    }
    s->ncol = st->field_count;
    return 0;
}

/* Writes rows ids[0..n) to path and describes the file. */
static int write_rows(ice_data_file *df, const ice_table *t, table_shape *s, const char *path,
                      const int64_t *ids, size_t n, fl_arena *a, fl_error *err)
{
    fl_column *cols[MAX_COLS];
    for (size_t c = 0; c < s->ncol; c++) {
        cols[c] = fl_column_new(a, s->fields[c].type, n);
        if (cols[c] == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
        for (size_t r = 0; r < n; r++) {
            fl_value v;
            row_value(&v, s->names[c], s->fields[c].type, ids[r], a);
            column_set(cols[c], r, &v);
        }
        cols[c]->len = n;
    }
    pq_field root = {.name = "table", .type = fl_type_make(FL_TYPE_STRUCT), .children = s->fields,
                     .n_children = (uint32_t)s->ncol};
    /* the table schema in the footer, as Iceberg Java writes it (readers
     * such as icebird use it to find columns by field id) */
    json_t *sj = ice_schema_to_json(s->schema);
    char *schema_text = sj ? json_dumps(sj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(sj);
    if (schema_text == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    pq_kv kv = {.key = "iceberg.schema", .value = schema_text};
    pq_writer_opts po;
    pq_writer_opts_init(&po);
    po.kv = &kv;
    po.n_kv = 1;
    io_writer *w = NULL;
    pq_writer *pw = NULL;
    int rc = io_create(t->fs, path, IO_CREATE_EXCLUSIVE, &w, err);
    if (rc < 0) {
        free(schema_text);
        return rc;
    }
    rc = pq_writer_new(&pw, w, &root, &po, err);
    free(schema_text);
    if (rc == 0) rc = pq_writer_write(pw, cols, n, err);
    if (rc == 0) rc = pq_writer_close(pw, err);
    pq_writer_free(pw);
    if (rc == 0) rc = io_writer_close(w, err);
    else io_writer_abort(w);
    if (rc < 0) return rc;
    io_reader *r = NULL;
    pq_file *pf = NULL;
    FL_TRY(io_open(t->fs, path, &r, err));
    uint64_t size = r->size;
    rc = pq_file_open(&pf, r, err);
    memset(df, 0, sizeof(*df));
    if (rc == 0) rc = ice_metrics_from_parquet(df, pf, size, s->schema, NULL, a, err);
    pq_file_free(pf);
    io_reader_close(r);
    df->content = ICE_CONTENT_DATA;
    df->file_path = fl_arena_strdup(a, path);
    return rc;
}

/* The partition tuple of row id under spec, its text key appended to key. */
static int tuple_of(fl_value *out, fl_buf *key, const ice_partition_spec *spec, const table_shape *s,
                    int64_t id, fl_arena *a, fl_error *err)
{
    fl_text_style style = fl_text_style_make(FL_TEXT_JSON, 0);
    for (size_t i = 0; i < spec->field_count; i++) {
        const ice_schema_entry *e = ice_schema_find_id(s->schema, spec->fields[i].source_id);
        if (e == NULL) return fl_error_set(err, FLOE_EINVAL, "partition source %d is not in the schema",
                                           (int)spec->fields[i].source_id);
        fl_type ft;
        FL_TRY(ice_type_to_fl(&ft, e->field->type, err));
        fl_value in;
        row_value(&in, e->name, ft, id, a);
        FL_TRY(ice_transform_apply(&out[i], &spec->fields[i].transform, e->field->type, &in, err));
        if (!out[i].is_null && fl_type_is_varlen(out[i].type)) {
            const char *p = fl_arena_memdup(a, out[i].v.s.ptr, out[i].v.s.len ? out[i].v.s.len : 1);
            out[i].v.s = fl_strv_make(p, out[i].v.s.len);
        }
        if (i) fl_buf_append(key, "|", 1);
        fl_value_render(key, &out[i], &style);
    }
    return 0;
}

static int cmd_append(const char *wh, const char *table, int64_t first, int64_t count)
{
    fl_error err;
    cat_catalog *cat = NULL;
    io_fs *fs = NULL;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    table_shape s;
    int rc = open_table(&cat, &fs, &t, wh, table, &err);
    if (rc == 0) rc = shape_of(&s, t, &err);
    const ice_partition_spec *spec = rc == 0 ? ice_metadata_default_spec(t->md) : NULL;
    size_t ngroups = 0;
    char **keys = fl_arena_calloc(a, (size_t)count * sizeof(char *));
    fl_value **tuples = fl_arena_calloc(a, (size_t)count * sizeof(fl_value *));
    int64_t **members = fl_arena_calloc(a, (size_t)count * sizeof(int64_t *));
    size_t *sizes = fl_arena_calloc(a, (size_t)count * sizeof(size_t));
    fl_buf key;
    fl_buf_init(&key);
    for (int64_t id = first; rc == 0 && id < first + count; id++) {
        fl_value *tuple = fl_arena_calloc(a, (spec->field_count + 1) * sizeof(fl_value));
        fl_buf_reset(&key);
        rc = tuple_of(tuple, &key, spec, &s, id, a, &err);
        fl_buf_append(&key, "", 1);
        size_t g = 0;
        while (rc == 0 && g < ngroups && strcmp(keys[g], (const char *)key.data) != 0) g++;
        if (rc == 0 && g == ngroups) {
            keys[g] = fl_arena_strdup(a, (const char *)key.data);
            tuples[g] = tuple;
            members[g] = fl_arena_calloc(a, (size_t)count * sizeof(int64_t));
            ngroups++;
        }
        if (rc == 0) members[g][sizes[g]++] = id;
    }
    fl_buf_dispose(&key);
    ice_data_file *files = fl_arena_calloc(a, (ngroups + 1) * sizeof(ice_data_file));
    for (size_t g = 0; rc == 0 && g < ngroups; g++) {
        fl_uuid u;
        char uuid[FL_UUID_TEXT_LEN + 1], path[4096];
        rc = fl_uuid_v4(&u, &err);
        fl_uuid_format(&u, uuid);
        snprintf(path, sizeof(path), "%s/data/%05zu-%s.parquet", t->md->location, g, uuid);
        if (rc == 0) rc = write_rows(&files[g], t, &s, path, members[g], sizes[g], a, &err);
        files[g].spec_id = spec->spec_id;
        files[g].partition = tuples[g];
        files[g].partition_count = spec->field_count;
    }
    ice_commit_stats st = {0};
    if (rc == 0) rc = ice_txn_append(t, files, ngroups, &st, &err);
    if (rc == 0) printf("snapshot %" PRId64 " (%zu files)\n", st.snapshot_id, ngroups);
    ice_table_free(t);
    io_fs_free(fs);
    cat_free(cat);
    fl_arena_free(a);
    return rc < 0 ? die(&err) : 0;
}

/* ---- deletes, through ice_write_*_deletes and ice_txn_row_delta ---- */

static int cmd_delete(const char *wh, const char *table, int64_t every)
{
    fl_error err;
    cat_catalog *cat = NULL;
    io_fs *fs = NULL;
    ice_table *t = NULL;
    ice_scan_plan *plan = NULL;
    fl_arena *a = fl_arena_new(0);
    ice_data_file *deletes = NULL;
    const char **referenced = NULL;
    size_t count = 0;
    int64_t positions = 0;
    int rc = open_table(&cat, &fs, &t, wh, table, &err);
    if (rc == 0 && every < 1) rc = fl_error_set(&err, FLOE_EINVAL, "EVERY must be positive");
    if (rc == 0) rc = ice_scan_plan_new(&plan, fs, t->md, NULL, &err);
    if (rc == 0) {
        deletes = fl_arena_calloc(a, (plan->task_count + 1) * sizeof(*deletes));
        referenced = fl_arena_calloc(a, (plan->task_count + 1) * sizeof(*referenced));
    }
    for (size_t i = 0; rc == 0 && i < plan->task_count; i++) {
        const ice_data_file *df = &plan->tasks[i].file;
        size_t n = (size_t)((df->record_count + every - 1) / every);
        int64_t *pos = fl_arena_calloc(a, (n + 1) * sizeof(int64_t));
        for (size_t k = 0; k < n; k++) pos[k] = (int64_t)k * every;
        rc = ice_write_position_deletes(&deletes[count], t, df, pos, n, a, &err);
        referenced[count++] = fl_arena_strdup(a, df->file_path);
        positions += (int64_t)n;
    }
    ice_row_delta delta = {.add_deletes = deletes, .add_delete_count = count, .referenced_data_files = referenced,
                           .referenced_count = count};
    ice_commit_stats st = {0};
    if (rc == 0) rc = ice_txn_row_delta(t, &delta, NULL, &st, &err);
    if (rc == 0) printf("snapshot %" PRId64 " (%zu delete files, %" PRId64 " positions)\n", st.snapshot_id, count,
                        positions);
    ice_scan_plan_free(plan);
    ice_table_free(t);
    io_fs_free(fs);
    cat_free(cat);
    fl_arena_free(a);
    return rc < 0 ? die(&err) : 0;
}

/* A global equality delete on column `column` (a string column of an
 * unpartitioned table) of the comma-separated values. */
static int cmd_eqdelete(const char *wh, const char *table, const char *column, const char *values)
{
    fl_error err;
    cat_catalog *cat = NULL;
    io_fs *fs = NULL;
    ice_table *t = NULL;
    fl_arena *a = fl_arena_new(0);
    int rc = open_table(&cat, &fs, &t, wh, table, &err);
    const ice_schema_entry *e = NULL;
    if (rc == 0) rc = ice_schema_find_name(&e, ice_metadata_current_schema(t->md), column, true, &err);
    if (rc == 0 && e->field->type->id != ICE_TYPE_STRING)
        rc = fl_error_set(&err, FLOE_EINVAL, "column \"%s\" is not a string", column);
    char *vals = fl_arena_strdup(a, values);
    size_t n = 1;
    for (const char *p = vals; *p; p++) n += *p == ',';
    fl_column *col = fl_column_new(a, fl_type_make(FL_TYPE_STRING), n);
    size_t rows = 0;
    for (char *p = vals; rc == 0 && p != NULL;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        fl_column_copy_str(col, p, strlen(p), &((fl_strv *)col->data)[rows++]);
        p = comma ? comma + 1 : NULL;
    }
    col->len = rows;
    ice_data_file del;
    int32_t ids[1] = {e ? e->id : 0};
    fl_column *cols[1] = {col};
    if (rc == 0) rc = ice_write_equality_deletes(&del, t, ids, 1, cols, rows, NULL, a, &err);
    ice_row_delta delta = {.add_deletes = &del, .add_delete_count = 1};
    ice_commit_stats st = {0};
    if (rc == 0) rc = ice_txn_row_delta(t, &delta, NULL, &st, &err);
    if (rc == 0) printf("snapshot %" PRId64 " (equality delete of %zu values)\n", st.snapshot_id, rows);
    ice_table_free(t);
    io_fs_free(fs);
    cat_free(cat);
    fl_arena_free(a);
    return rc < 0 ? die(&err) : 0;
}

/* The same rows as delimited text for `floe iceberg append`: the columns
 * given (comma-separated names), no header. */
static int cmd_csv(const char *columns, int64_t first, int64_t count)
{
    fl_arena *a = fl_arena_new(0);
    char cols[1024];
    snprintf(cols, sizeof(cols), "%s", columns);
    const char *names[MAX_COLS];
    size_t n = 0;
    for (char *p = cols; n < MAX_COLS;) {
        names[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma) break;
        *comma = '\0';
        p = comma + 1;
    }
    for (int64_t id = first; id < first + count; id++) {
        for (size_t c = 0; c < n; c++) {
            fl_value v;
            char buf[64];
            row_value(&v, names[c], fl_type_make(FL_TYPE_STRING), id, a);
            if (c) putchar(',');
            if (v.is_null) continue;
            if (!strcmp(names[c], "ts")) {
                fl_timestamp_format(v.v.i64, FL_TZ_NONE, buf);
                fputs(buf, stdout);
            } else if (!strcmp(names[c], "d")) {
                fl_date_format((int32_t)v.v.i64, buf);
                fputs(buf, stdout);
            } else if (!strcmp(names[c], "amount")) {
                printf("%.17g", v.v.f64);
            } else if (!strcmp(names[c], "id")) {
                printf("%" PRId64, v.v.i64);
            } else {
                fwrite(v.v.s.ptr, 1, v.v.s.len, stdout);
            }
        }
        putchar('\n');
    }
    fl_arena_free(a);
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "csv")) return cmd_csv(argv[2], strtoll(argv[3], NULL, 10), strtoll(argv[4], NULL, 10));
    if (argc == 6 && !strcmp(argv[1], "append"))
        return cmd_append(argv[2], argv[3], strtoll(argv[4], NULL, 10), strtoll(argv[5], NULL, 10));
    if (argc == 5 && !strcmp(argv[1], "delete")) return cmd_delete(argv[2], argv[3], strtoll(argv[4], NULL, 10));
    if (argc == 6 && !strcmp(argv[1], "eqdelete")) return cmd_eqdelete(argv[2], argv[3], argv[4], argv[5]);
    fprintf(stderr, "usage: floe-icebird-gen append WAREHOUSE NS.TABLE FIRST COUNT\n"
                    "       floe-icebird-gen delete WAREHOUSE NS.TABLE EVERY\n"
                    "       floe-icebird-gen eqdelete WAREHOUSE NS.TABLE COLUMN V1,V2,...\n"
                    "       floe-icebird-gen csv COLUMNS FIRST COUNT\n");
    return 2;
}
