/*
 * test_fixture_tables.c: every table of the shared Iceberg fixture corpus
 * (fixtures/iceberg, see its README.md / EXPECTED.md / index.json) read end
 * to end through ice_scan + ice_read: the current snapshot and every
 * earlier one, deletes applied, compared with the rows or counts the source
 * repositories' tests expect; the deliberately broken fixtures must fail
 * with a clear error.
 *
 * Per table, every snapshot of the metadata the sources open is read:
 *   - where EXPECTED.md quotes rows or counts, they must match exactly
 *     (rows rendered DuckDB-style, tab-separated, compared as sorted sets);
 *   - a snapshot without delete files must give exactly its summary's
 *     total-records, and one with deletes at most that many.
 * Tables this reader cannot yet read right are listed in KNOWN_FAILURES
 * with the reason; their checks still run and must still fail (so a fix
 * shows up as an unexpected pass to remove from the list).
 *
 * Set FLOE_FIXTURE_DUMP=1 to print every table's rows while working on it.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../test.h"
#include "../../../src/base/arena.h"
#include "../../../src/base/buf.h"
#include "../../../src/base/value_text.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/iceberg/ice_expr.h"
#include "../../../src/iceberg/ice_json.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"

/* ---- reading a fixture ---- */

typedef struct fixture {
    char name[128];
    char dir[1024];
    io_fs *local;
    io_fs *fs;                 /* remapping */
    ice_metadata *md;
} fixture;

static json_t *g_index;

static json_t *load_index(void)
{
    if (g_index) return g_index;
    fl_buf raw;
    fl_buf_init(&raw);
    io_fs *fs = io_local_new();
    fl_error err;
    if (io_read_file(fs, ft_shared("fixtures/iceberg/index.json"), &raw, &err) == 0)
        ice_json_loadb(&g_index, raw.data, raw.len, 0, "index", &err);
    io_fs_free(fs);
    fl_buf_dispose(&raw);
    return g_index;
}

static const json_t *index_entry(const char *name)
{
    json_t *index = load_index();
    for (size_t i = 0; index && i < json_array_size(index); i++) {
        const json_t *e = json_array_get(index, i);
        const char *f = json_string_value(json_object_get(e, "fixture"));
        if (f && strcmp(f, name) == 0) return e;
    }
    return NULL;
}

static void fixture_close(fixture *fx)
{
    ice_metadata_free(fx->md);
    io_fs_free(fx->fs);
    io_fs_free(fx->local);
    memset(fx, 0, sizeof(*fx));
}

/* Opens the metadata the sources open, with index.json's remaps. */
static int fixture_open(fixture *fx, const char *name, const char *metadata, fl_error *err)
{
    memset(fx, 0, sizeof(*fx));
    snprintf(fx->name, sizeof(fx->name), "%s", name);
    const json_t *e = index_entry(name);
    if (e == NULL) return fl_error_set(err, FLOE_ENOTFOUND, "fixture %s is not in index.json", name);
    const char *table_dir = json_string_value(json_object_get(e, "table_dir"));
    const char *open = json_string_value(json_object_get(e, "open_metadata"));
    char rel[512];
    snprintf(rel, sizeof(rel), "fixtures/iceberg/%s", name);
    snprintf(fx->dir, sizeof(fx->dir), "%s", ft_shared(rel));
    fx->local = io_local_new();
    fx->fs = ice_remap_fs_new(fx->local);
    if (fx->local == NULL || fx->fs == NULL) return fl_error_set(err, FLOE_ENOMEM, "out of memory");
    const json_t *remap = json_object_get(e, "remap");
    for (size_t i = 0; i < json_array_size(remap); i++) {
        const json_t *r = json_array_get(remap, i);
        char local[1200];
        snprintf(local, sizeof(local), "%s/%s", fx->dir, json_string_value(json_object_get(r, "local")));
        FL_TRY(ice_remap_fs_add(fx->fs, json_string_value(json_object_get(r, "prefix")), local, err));
    }
    /* "metadata/v4.metadata.json (version-hint.text)": the path is the first word */
    char path[1400];
    if (metadata) open = metadata;
    size_t n = strcspn(open, " ");
    snprintf(path, sizeof(path), "%s/%.*s", fx->dir, (int)n, open);
    if (strchr(path, '*')) {   /* "metadata/00001-*.metadata.json": the one match */
        glob_t g;
        if (glob(path, 0, NULL, &g) != 0 || g.gl_pathc != 1) {
            globfree(&g);
            return fl_error_set(err, FLOE_ENOTFOUND, "no single metadata file matches %s", path);
        }
        snprintf(path, sizeof(path), "%s", g.gl_pathv[0]);
        globfree(&g);
    }
    FL_TRY(ice_metadata_read(&fx->md, fx->local, path, err));
    char table_root[1200];
    snprintf(table_root, sizeof(table_root), "%s/%s", fx->dir, table_dir ? table_dir : ".");
    return ice_remap_fs_add_table(fx->fs, fx->md, table_root, err);
}

static bool dump_enabled(void)
{
    const char *d = getenv("FLOE_FIXTURE_DUMP");
    return d && *d && strcmp(d, "0") != 0;
}

/* The rows of a scan: one tab-separated DuckDB-style line per row. */
typedef struct rowset {
    char **rows;
    size_t count, cap;
    int64_t deleted;
} rowset;

static void rowset_dispose(rowset *rs)
{
    for (size_t i = 0; i < rs->count; i++) free(rs->rows[i]);
    free(rs->rows);
    memset(rs, 0, sizeof(*rs));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int scan_rows(rowset *out, fixture *fx, const ice_scan_opts *opts, const char *filter,
                     const char *columns, bool render, fl_error *err)
{
    memset(out, 0, sizeof(*out));
    ice_scan_plan *plan = NULL;
    ice_reader *reader = NULL;
    fl_arena *arena = fl_arena_new(0);
    fl_buf line;
    fl_buf_init(&line);
    ice_scan_opts o = opts ? *opts : (ice_scan_opts){0};
    int rc = 0;
    ice_read_opts ro = {0};
    int32_t ids[64];
    if (filter || columns) {
        const ice_snapshot *snap;
        if ((rc = ice_scan_snapshot(&snap, fx->md, &o, err)) < 0) goto done;
        const ice_schema *schema = ice_scan_schema(fx->md, snap);
        if (filter && (rc = ice_expr_parse(&o.filter, filter, schema, arena, err)) < 0) goto done;
        if (columns && columns[0] == '-') {
            /* every top-level column but the listed ones */
            const ice_type *st = schema->type;
            for (size_t i = 0; i < st->field_count && ro.field_count < 64; i++) {
                char needle[160];
                snprintf(needle, sizeof(needle), ",%s,", st->fields[i].name);
                char list[512];
                snprintf(list, sizeof(list), ",%s,", columns + 1);
                if (strstr(list, needle) == NULL) ids[ro.field_count++] = st->fields[i].id;
            }
            columns = "";
        }
        for (const char *p = columns; p && *p && ro.field_count < 64;) {
            size_t n = strcspn(p, ",");
            char name[128];
            snprintf(name, sizeof(name), "%.*s", (int)n, p);
            const ice_schema_entry *e;
            if ((rc = ice_schema_find_name(&e, schema, name, true, err)) < 0 &&
                (rc = ice_schema_find_name(&e, schema, name, false, err)) < 0)
                goto done;
            ids[ro.field_count++] = e->id;
            p += n + (p[n] == ',');
        }
        if (columns) ro.field_ids = ids;   /* "" after an exclusion list */
    }
    if ((rc = ice_scan_plan_new(&plan, fx->fs, fx->md, &o, err)) < 0) goto done;
    if (dump_enabled()) {
        for (size_t t = 0; t < plan->task_count; t++) {
            const ice_scan_task *task = &plan->tasks[t];
            fprintf(stderr, "   task %s seq %lld records %lld\n", task->file.file_path,
                    (long long)task->data_sequence_number, (long long)task->file.record_count);
            for (size_t d = 0; d < task->delete_count; d++)
                fprintf(stderr, "     delete %s (%s, seq %lld)\n", task->deletes[d]->file.file_path,
                        ice_file_content_name(task->deletes[d]->file.content),
                        (long long)task->deletes[d]->data_sequence_number);
        }
        for (size_t d = 0; d < plan->delete_count; d++)
            fprintf(stderr, "   plan delete %s %s format %s ref %s seq %lld\n", plan->deletes[d].file.file_path,
                    ice_file_content_name(plan->deletes[d].file.content),
                    plan->deletes[d].file.file_format ? plan->deletes[d].file.file_format : "-",
                    plan->deletes[d].file.referenced_data_file ? plan->deletes[d].file.referenced_data_file : "-",
                    (long long)plan->deletes[d].data_sequence_number);
    }
    if ((rc = ice_reader_new(&reader, fx->fs, plan, &ro, err)) < 0) goto done;
    size_t ncols = ice_reader_column_count(reader);
    fl_column **cols = fl_arena_calloc(arena, (ncols + 1) * sizeof(fl_column *));
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    fl_arena *batch = fl_arena_new(0);
    for (;;) {
        size_t rows;
        fl_arena_reset(batch);
        if ((rc = ice_reader_next(reader, batch, cols, &rows, err)) < 0 || rows == 0) break;
        for (size_t r = 0; r < rows; r++) {
            fl_buf_reset(&line);
            for (size_t c = 0; render && c < ncols; c++) {
                if (c) fl_buf_append_byte(&line, '\t');
                if ((rc = fl_column_render(&line, cols[c], r, &style)) < 0) {
                    fl_error_set(err, rc, "could not render column %zu", c);
                    break;
                }
            }
            if (rc < 0) break;
            if (out->count == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->rows = realloc(out->rows, out->cap * sizeof(char *));
            }
            out->rows[out->count++] = strdup(fl_buf_cstr(&line));
        }
        if (rc < 0) break;
    }
    fl_arena_free(batch);
    out->deleted = ice_reader_deleted_rows(reader);
    if (out->count > 1) qsort(out->rows, out->count, sizeof(char *), cmp_str);
done:
    ice_reader_free(reader);
    ice_scan_plan_free(plan);
    fl_buf_dispose(&line);
    fl_arena_free(arena);
    return rc;
}


static const char *summary_value(const ice_snapshot *s, const char *key)
{
    for (size_t i = 0; i < s->summary_count; i++)
        if (strcmp(s->summary[i].key, key) == 0) return s->summary[i].value;
    return NULL;
}

/* ---- expectations ---- */

typedef struct expect {
    const char *fixture;
    int64_t snapshot_id;       /* 0 = the current snapshot */
    const char *filter;        /* NULL = every row */
    int64_t count;             /* -1 = not checked */
    const char *columns;       /* comma-separated column names; "-a,b": all but a and b; NULL = all */
    const char *rows;          /* "\n"-separated tab-separated rows in any order; NULL = unchecked */
    const char *metadata;      /* another metadata file of the table; NULL = index.json's */
} expect;

#include "fixture_expect.inc"

typedef struct known_failure {
    const char *fixture;
    const char *reason;
} known_failure;

static const known_failure KNOWN_FAILURES[] = {
#include "fixture_known_failures.inc"
    {NULL, NULL},
};

static const char *known_failure_reason(const char *fixture)
{
    for (size_t i = 0; KNOWN_FAILURES[i].fixture; i++)
        if (strcmp(KNOWN_FAILURES[i].fixture, fixture) == 0) return KNOWN_FAILURES[i].reason;
    return NULL;
}

/* Fixtures that must fail, at open or at the given snapshot, with an
 * error whose message contains `message`. */
typedef struct negative {
    const char *fixture;
    int64_t snapshot_id;       /* 0: the current snapshot */
    const char *message;
} negative;

static const negative NEGATIVES[] = {
    /* a Puffin blob without the deletion-vector-v1 framing (length, magic, CRC) */
    {"pyiceberg_v3_dv_legacy_bare_blob_INVALID", 0, "deletion vector"},
    /* source defect: the current snapshot's manifest list is missing upstream */
    {"spark_v2_eqdel_unpartitioned", 7342794868382145167LL, "snap-7342794868382145167-1-"},
};

static const negative *negative_for(const char *fixture, int64_t snapshot_id)
{
    for (size_t i = 0; i < FL_ARRAY_SIZE(NEGATIVES); i++)
        if (strcmp(NEGATIVES[i].fixture, fixture) == 0 && NEGATIVES[i].snapshot_id == snapshot_id)
            return &NEGATIVES[i];
    return NULL;
}

/* Splits text into lines (modifies it). */
static size_t split_lines(char *text, char **lines, size_t cap, char sep)
{
    size_t n = 0;
    char *p = text;
    while (n < cap) {
        char *nl = strchr(p, sep);
        if (nl) *nl = '\0';
        lines[n++] = p;
        if (!nl) break;
        p = nl + 1;
    }
    return n;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* If a timestamp starts at f ("YYYY-MM-DD HH:MM:SS[.frac][+HH[:MM]]"),
 * writes it in UTC without a zone suffix and with the fraction's trailing
 * zeros dropped, and returns its length; else 0. */
static size_t normalize_timestamp(const char *f, char *out, size_t cap)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(f, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19) return 0;
    const char *p = f + n;
    char frac[16] = "";
    if (*p == '.') {
        size_t k = strspn(p + 1, "0123456789");
        snprintf(frac, sizeof(frac), "%.*s", (int)(k < 9 ? k : 9), p + 1);
        p += 1 + k;
        size_t fl = strlen(frac);
        while (fl > 0 && frac[fl - 1] == '0') frac[--fl] = '\0';
    }
    int off_min = 0;
    if ((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9') {
        int oh = (p[1] - '0') * 10 + (p[2] - '0'), om = 0;
        const char *q = p + 3;
        if (*q == ':' && q[1] >= '0' && q[1] <= '9' && q[2] >= '0' && q[2] <= '9') {
            om = (q[1] - '0') * 10 + (q[2] - '0');
            q += 3;
        }
        off_min = (*p == '-' ? -1 : 1) * (oh * 60 + om);
        p = q;
    }
    int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
                   (int64_t)off_min * 60;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int64_t yy;
    unsigned mm, dd;
    civil_from_days(days, &yy, &mm, &dd);
    snprintf(out, cap, "%04lld-%02u-%02u %02d:%02d:%02d%s%s", (long long)yy, mm, dd, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), frac[0] ? "." : "", frac);
    return (size_t)(p - f);
}

/* Renderings differ between engines: timestamps (also inside nested
 * values) are brought to UTC without a zone suffix and without trailing
 * fraction zeros, true/false become 1/0, and quotes inside nested values
 * are dropped. Writes into out. */
static void normalize_field(const char *f, char *out, size_t cap)
{
    if (strcmp(f, "true") == 0 || strcmp(f, "false") == 0) {
        snprintf(out, cap, "%d", f[0] == 't');
        return;
    }
    bool nested = f[0] == '{' || f[0] == '[';
    size_t o = 0;
    for (size_t i = 0; f[i] && o + 64 < cap;) {
        char ts[64];
        size_t n = (i == 0 || f[i - 1] < '0' || f[i - 1] > '9') ? normalize_timestamp(f + i, ts, sizeof(ts)) : 0;
        if (n > 0) {
            o += (size_t)snprintf(out + o, cap - o, "%s", ts);
            i += n;
            continue;
        }
        if (!(nested && f[i] == '\'')) out[o++] = f[i];
        i++;
    }
    out[o] = '\0';
}

static void normalize_row(const char *row, fl_buf *out)
{
    char *copy = strdup(row);
    size_t cap = 1;
    for (const char *p = row; *p; p++) cap += *p == '\t';
    char **fields = calloc(cap, sizeof(char *));
    size_t n = split_lines(copy, fields, cap, '\t');
    fl_buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        char norm[4096];
        normalize_field(fields[i], norm, sizeof(norm));
        if (i) fl_buf_append_byte(out, '\t');
        fl_buf_append_str(out, norm);
    }
    free(fields);
    free(copy);
}

/* Impala prints "<unsupported-type>" for variant values it cannot render:
 * such an expected field accepts whatever floe renders there. */
static void mask_unsupported(const fl_buf *expected, fl_buf *got)
{
    static const char mark[] = "\"<unsupported-type>\"";
    if (expected->len == 0 || strstr(expected->data, mark) == NULL) return;
    char *e = strdup(expected->data), *g = strdup(got->data);
    char *ef[64], *gf[64];
    size_t ne = split_lines(e, ef, 64, '\t'), ng = split_lines(g, gf, 64, '\t');
    if (ne == ng) {
        fl_buf_reset(got);
        for (size_t i = 0; i < ng; i++) {
            if (i) fl_buf_append_byte(got, '\t');
            fl_buf_append_str(got, strcmp(ef[i], mark) == 0 ? mark : gf[i]);
        }
    }
    free(e);
    free(g);
}

static bool rows_match(const rowset *rs, const char *expected, const char *label)
{
    char *copy = strdup(expected);
    size_t cap = 1;
    for (const char *p = expected; *p; p++) cap += *p == '\n';
    char **lines = calloc(cap, sizeof(char *));
    size_t n = split_lines(copy, lines, cap, '\n');
    qsort(lines, n, sizeof(char *), cmp_str);
    bool ok = n == rs->count;
    bool *used = calloc(rs->count + 1, 1);
    fl_buf a, b;
    fl_buf_init(&a);
    fl_buf_init(&b);
    for (size_t i = 0; ok && i < n; i++) {
        normalize_row(lines[i], &a);
        bool found = false;
        for (size_t j = 0; j < rs->count && !found; j++) {
            if (used[j]) continue;
            normalize_row(rs->rows[j], &b);
            mask_unsupported(&a, &b);
            if (fl_text_loose_eq(a.data, a.len, b.data, b.len, 1e-6)) found = used[j] = true;
        }
        ok = found;
    }
    if (!ok) {
        fprintf(stderr, "  %s: rows differ\n    expected (%zu):\n", label, n);
        for (size_t i = 0; i < n && i < 100; i++) fprintf(stderr, "      [%s]\n", lines[i]);
        fprintf(stderr, "    got (%zu):\n", rs->count);
        for (size_t i = 0; i < rs->count && i < 100; i++) fprintf(stderr, "      [%s]\n", rs->rows[i]);
    }
    fl_buf_dispose(&a);
    fl_buf_dispose(&b);
    free(used);
    free(lines);
    free(copy);
    return ok;
}

/* Runs one expectation; returns whether it held. */
static bool check_expect(fixture *fx, const expect *ex)
{
    ice_scan_opts o = {0};
    if (ex->snapshot_id) {
        o.at = ICE_SCAN_SNAPSHOT_ID;
        o.snapshot_id = ex->snapshot_id;
    }
    rowset rs;
    fl_error err;
    fl_error_clear(&err);
    char label[512];
    snprintf(label, sizeof(label), "%s%s%s snapshot %lld%s%s", ex->fixture, ex->metadata ? " " : "",
             ex->metadata ? ex->metadata : "", (long long)ex->snapshot_id, ex->filter ? " filter " : "",
             ex->filter ? ex->filter : "");
    int rc = scan_rows(&rs, fx, &o, ex->filter, ex->columns, ex->rows != NULL, &err);
    bool ok = rc == 0;
    if (!ok) fprintf(stderr, "  %s: %s\n", label, err.message);
    if (ok && ex->count >= 0 && (int64_t)rs.count != ex->count) {
        fprintf(stderr, "  %s: %zu rows, expected %lld\n", label, rs.count, (long long)ex->count);
        ok = false;
    }
    if (ok && ex->rows) ok = rows_match(&rs, ex->rows, label);
    rowset_dispose(&rs);
    return ok;
}

/* Every snapshot: reads, and agrees with its summary's record totals. */
static bool check_snapshots(fixture *fx, bool quiet)
{
    bool all_ok = true;
    for (size_t i = 0; i < fx->md->snapshot_count; i++) {
        const ice_snapshot *s = &fx->md->snapshots[i];
        ice_scan_opts o = {0};
        o.at = ICE_SCAN_SNAPSHOT_ID;
        o.snapshot_id = s->snapshot_id;
        rowset rs;
        fl_error err;
        fl_error_clear(&err);
        bool dump = dump_enabled();
        int rc = scan_rows(&rs, fx, &o, NULL, NULL, dump, &err);
        const negative *neg = negative_for(fx->name, s->snapshot_id);
        if (neg == NULL && fx->md->has_current_snapshot && s->snapshot_id == fx->md->current_snapshot_id)
            neg = negative_for(fx->name, 0);
        if (neg) {
            bool ok = rc < 0 && strstr(err.message, neg->message) != NULL;
            if (!ok && !quiet)
                fprintf(stderr, "  %s snapshot %lld: expected an error containing \"%s\", got rc %d \"%s\"\n",
                        fx->name, (long long)s->snapshot_id, neg->message, rc, err.message);
            all_ok &= ok;
            rowset_dispose(&rs);
            continue;
        }
        if (rc < 0) {
            if (!quiet) fprintf(stderr, "  %s snapshot %lld: %s\n", fx->name, (long long)s->snapshot_id, err.message);
            all_ok = false;
            rowset_dispose(&rs);
            continue;
        }
        if (dump) {
            fprintf(stderr, "== %s snapshot %lld: %zu rows (%lld deleted)\n", fx->name,
                    (long long)s->snapshot_id, rs.count, (long long)rs.deleted);
            for (size_t r = 0; r < rs.count && r < 12; r++) fprintf(stderr, "   %s\n", rs.rows[r]);
        }
        const char *total = summary_value(s, "total-records");
        const char *del_files = summary_value(s, "total-delete-files");
        if (total) {
            long long want = strtoll(total, NULL, 10);
            bool has_deletes = del_files && strcmp(del_files, "0") != 0;
            bool ok = has_deletes ? (long long)rs.count <= want : (long long)rs.count == want;
            if (!ok && !quiet)
                fprintf(stderr, "  %s snapshot %lld: %zu rows, summary total-records %s (delete files %s)\n",
                        fx->name, (long long)s->snapshot_id, rs.count, total, del_files ? del_files : "none");
            all_ok &= ok;
        }
        rowset_dispose(&rs);
    }
    return all_ok;
}

static bool check_fixture(const char *name, bool quiet)
{
    fixture fx;
    fl_error err;
    fl_error_clear(&err);
    bool ok = true;
    if (fixture_open(&fx, name, NULL, &err) < 0) {
        if (!quiet) fprintf(stderr, "  %s: could not open: %s\n", name, err.message);
        fixture_close(&fx);
        return false;
    }
    ok &= check_snapshots(&fx, quiet);
    for (size_t i = 0; EXPECTATIONS[i].fixture; i++) {
        if (strcmp(EXPECTATIONS[i].fixture, name) != 0) continue;
        if (EXPECTATIONS[i].metadata == NULL) {
            ok &= check_expect(&fx, &EXPECTATIONS[i]);
            continue;
        }
        fixture other;
        if (fixture_open(&other, name, EXPECTATIONS[i].metadata, &err) < 0) {
            if (!quiet) fprintf(stderr, "  %s: could not open %s: %s\n", name, EXPECTATIONS[i].metadata, err.message);
            ok = false;
        } else {
            ok &= check_expect(&other, &EXPECTATIONS[i]);
        }
        fixture_close(&other);
    }
    fixture_close(&fx);
    return ok;
}

TEST(fixture_tables_every_table_reads)
{
    json_t *index = load_index();
    if (!CHECK(index != NULL)) return;
    CHECK_EQ(json_array_size(index), 66);
    size_t passed = 0, known = 0;
    for (size_t i = 0; i < json_array_size(index); i++) {
        const char *name = json_string_value(json_object_get(json_array_get(index, i), "fixture"));
        const char *only = getenv("FLOE_FIXTURE_ONLY");
        if (only && *only && strcmp(only, name) != 0) continue;
        const char *reason = known_failure_reason(name);
        bool ok = check_fixture(name, false);
        if (reason) {
            known++;
            fprintf(stderr, "  known failure %s: %s%s\n", name, reason,
                    ok ? " -- BUT IT NOW PASSES: remove it from the known failures" : "");
            CHECK(!ok);
            continue;
        }
        if (!ok) fprintf(stderr, "  FAILED fixture %s\n", name);
        CHECK(ok);
        passed += ok;
    }
    fprintf(stderr, "  fixture tables: %zu pass, %zu known failures, of %zu\n", passed, known,
            json_array_size(index));
    /* every expectation names a fixture of the corpus */
    for (size_t i = 0; EXPECTATIONS[i].fixture; i++) CHECK(index_entry(EXPECTATIONS[i].fixture) != NULL);
}

/* Renders every row of a Parquet file (all top-level columns) into rs. */
static int parquet_rows(rowset *rs, const char *path, fl_error *err)
{
    pq_file *pq;
    FL_TRY(pq_file_open_path(&pq, path, err));
    pq_scan *scan = NULL;
    pq_scan_opts o;
    memset(&o, 0, sizeof(o));
    int rc = pq_scan_new(&scan, pq, &o, err);
    int ncols = (int)pq_file_schema(pq)->n_children;
    fl_column **cols = calloc((size_t)ncols + 1, sizeof(fl_column *));
    fl_arena *batch = fl_arena_new(0);
    fl_text_style style = fl_text_style_make(FL_TEXT_DUCKDB, 0);
    fl_buf line;
    fl_buf_init(&line);
    while (rc == 0) {
        size_t rows = 0;
        fl_arena_reset(batch);
        if ((rc = pq_scan_next(scan, batch, cols, &rows, err)) < 0 || rows == 0) break;
        for (size_t r = 0; r < rows; r++) {
            fl_buf_reset(&line);
            for (int c = 0; c < ncols; c++) {
                if (c) fl_buf_append_byte(&line, '\t');
                fl_column_render(&line, cols[c], r, &style);
            }
            if (rs->count == rs->cap) {
                rs->cap = rs->cap ? rs->cap * 2 : 64;
                rs->rows = realloc(rs->rows, rs->cap * sizeof(char *));
            }
            rs->rows[rs->count++] = strdup(fl_buf_cstr(&line));
        }
    }
    fl_buf_dispose(&line);
    fl_arena_free(batch);
    free(cols);
    pq_scan_free(scan);
    pq_file_free(pq);
    return rc;
}

/* Spark's own result of the merge-on-read table (7 snapshots, position
 * deletes, ADD COLUMN, int -> long): every row, every column. */
TEST(fixture_tables_spark_mor_full_result)
{
    fixture fx;
    fl_error err;
    if (!CHECK_OK(fixture_open(&fx, "spark_v2_mor_posdel_schema_evolution_7snap", NULL, &err), &err)) {
        fixture_close(&fx);
        return;
    }
    rowset got, want;
    memset(&want, 0, sizeof(want));
    CHECK_OK(scan_rows(&got, &fx, NULL, NULL, NULL, true, &err), &err);
    char pattern[1200];
    snprintf(pattern, sizeof(pattern), "%s/expected_results/last/data/*.parquet", fx.dir);
    glob_t g;
    if (CHECK(glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc == 2))
        for (size_t i = 0; i < g.gl_pathc; i++) CHECK_OK(parquet_rows(&want, g.gl_pathv[i], &err), &err);
    globfree(&g);
    CHECK_EQ(got.count, 6592);
    CHECK_EQ(want.count, 6592);
    /* normalise, sort, compare pairwise */
    fl_buf a;
    fl_buf_init(&a);
    rowset *sets[2] = {&got, &want};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < sets[k]->count; i++) {
            normalize_row(sets[k]->rows[i], &a);
            free(sets[k]->rows[i]);
            sets[k]->rows[i] = strdup(fl_buf_cstr(&a));
        }
        qsort(sets[k]->rows, sets[k]->count, sizeof(char *), cmp_str);
    }
    size_t differ = 0;
    for (size_t i = 0; i < got.count && i < want.count; i++) {
        const char *x = got.rows[i], *y = want.rows[i];
        if (fl_text_loose_eq(x, strlen(x), y, strlen(y), 1e-6)) continue;
        if (differ++ < 3) fprintf(stderr, "  row %zu differs:\n    got  [%s]\n    want [%s]\n", i, x, y);
    }
    CHECK_EQ(differ, 0);
    fl_buf_dispose(&a);
    rowset_dispose(&got);
    rowset_dispose(&want);
    fixture_close(&fx);
}
