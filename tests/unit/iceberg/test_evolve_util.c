/*
 * test_evolve_util.c: helpers for the evolution tests (see
 * test_evolve_util.h).
 */
#include "test_evolve_util.h"

#include <stdio.h>
#include <string.h>

#include "../../../src/base/column.h"
#include "../../../src/base/value_text.h"
#include "../../../src/format/parquet/pq_reader.h"
#include "../../../src/format/parquet/pq_writer.h"
#include "../../../src/iceberg/ice_read.h"
#include "../../../src/iceberg/ice_scan.h"
#include "../test.h"

/* Creates db.<name> from a schema JSON (and optional spec JSON). */
bool te_create_table(tt_env *e, const char *name, const char *schema_json, const char *spec_json,
                         ice_table **out)
{
    fl_error err;
    fl_arena *a = fl_arena_new(0);
    json_t *js = json_loads(schema_json, 0, NULL);
    json_t *jp = spec_json ? json_loads(spec_json, 0, NULL) : NULL;
    ice_schema *schema = NULL;
    ice_partition_spec *spec = NULL;
    bool ok = CHECK(js) && CHECK_OK(ice_schema_from_json(&schema, js, a, &err), &err);
    if (ok && spec_json) ok = CHECK(jp) && CHECK_OK(ice_partition_spec_from_json(&spec, jp, a, &err), &err);
    ice_table_create_opts o = {.schema = schema, .spec = spec};
    ok = ok && CHECK_OK(ice_table_create(out, e->catalog, e->fs, e->dir, "db", name, &o, &err), &err);
    json_decref(js);
    json_decref(jp);
    fl_arena_free(a);
    return ok;
}

/* Writes <location>/data/<tag>.parquet from columns and fills *out. */
bool te_write_file(ice_table *t, io_fs *fs, const char *tag, pq_field *kids, uint32_t nk,
                       fl_column **cols, size_t n, ice_data_file *out, fl_arena *arena)
{
    fl_error err;
    char path[1024];
    snprintf(path, sizeof(path), "%s/data/%s.parquet", t->md->location, tag);
    pq_field root = {.name = "schema", .type = fl_type_make(FL_TYPE_STRUCT), .children = kids, .n_children = nk};
    io_writer *w = NULL;
    pq_writer *pw = NULL;
    if (!CHECK_OK(io_create(fs, path, IO_CREATE_EXCLUSIVE, &w, &err), &err)) return false;
    if (!CHECK_OK(pq_writer_new(&pw, w, &root, NULL, &err), &err)) {
        io_writer_abort(w);
        return false;
    }
    bool ok = CHECK_OK(pq_writer_write(pw, cols, n, &err), &err);
    ok = CHECK_OK(pq_writer_close(pw, &err), &err) && ok;
    pq_writer_free(pw);
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
    ok = CHECK_OK(ice_metrics_from_parquet(out, pf, size, ice_metadata_current_schema(t->md), NULL, arena, &err), &err);
    pq_file_free(pf);
    io_reader_close(r);
    out->content = ICE_CONTENT_DATA;
    out->file_path = fl_arena_strdup(arena, path);
    out->spec_id = ice_metadata_default_spec(t->md)->spec_id;
    return ok;
}

/* All rows of a snapshot (-1: current) as sorted "v1|v2|..." JSON-text
 * lines joined by newlines, plus the column names as "a,b,c". The plan
 * picks the schema: the current one for the current snapshot, the
 * snapshot's own for a snapshot id. */
bool te_read_rows(ice_table *t, int64_t snapshot_id, fl_buf *rows_out, fl_buf *names_out)
{
    fl_error err;
    ice_scan_opts so = {.at = snapshot_id < 0 ? ICE_SCAN_CURRENT : ICE_SCAN_SNAPSHOT_ID, .snapshot_id = snapshot_id};
    ice_scan_plan *plan = NULL;
    ice_reader *r = NULL;
    cat_list lines;
    cat_list_init(&lines);
    fl_buf_reset(rows_out);
    fl_buf_reset(names_out);
    if (!CHECK_OK(ice_scan_plan_new(&plan, t->fs, t->md, &so, &err), &err)) return false;
    bool ok = CHECK_OK(ice_reader_new(&r, t->fs, plan, NULL, &err), &err);
    size_t ncol = ok ? ice_reader_column_count(r) : 0;
    for (size_t c = 0; c < ncol; c++) {
        if (c) fl_buf_append(names_out, ",", 1);
        const char *nm = ice_reader_column_field(r, c)->name;
        fl_buf_append(names_out, nm, strlen(nm));
    }
    fl_arena *batch = fl_arena_new(0);
    fl_text_style style = fl_text_style_make(FL_TEXT_JSON, 0);
    fl_buf line;
    fl_buf_init(&line);
    while (ok) {
        fl_column *cols[16];
        size_t n;
        fl_arena_reset(batch);
        if (!CHECK(ncol <= 16) || !CHECK_OK(ice_reader_next(r, batch, cols, &n, &err), &err)) ok = false;
        if (!ok || n == 0) break;
        for (size_t i = 0; i < n; i++) {
            fl_buf_reset(&line);
            for (size_t c = 0; c < ncol; c++) {
                if (c) fl_buf_append(&line, "|", 1);
                fl_column_render(&line, cols[c], i, &style);
            }
            fl_buf_append(&line, "", 1);
            cat_list_push(&lines, (const char *)line.data, &err);
        }
    }
    cat_list_sort(&lines);
    for (size_t i = 0; i < lines.len; i++) {
        fl_buf_append(rows_out, lines.items[i], strlen(lines.items[i]));
        fl_buf_append(rows_out, "\n", 1);
    }
    fl_buf_append(rows_out, "", 1);
    fl_buf_append(names_out, "", 1);
    fl_buf_dispose(&line);
    fl_arena_free(batch);
    cat_list_dispose(&lines);
    ice_reader_free(r);
    ice_scan_plan_free(plan);
    return ok;
}

bool te_set_format_version(ice_table *t, int version)
{
    fl_error err;
    json_t *doc = NULL;
    ice_metadata *md = NULL;
    fl_buf text;
    fl_buf_init(&text);
    bool ok = CHECK_OK(ice_metadata_to_json(&doc, t->md, &err), &err);
    if (ok) {
        json_object_set_new(doc, "format-version", json_integer(version));
        if (version >= 3) json_object_set_new(doc, "next-row-id", json_integer(0));
        ok = CHECK_OK(ice_metadata_from_json(&md, doc, &err), &err) &&
             CHECK_OK(ice_metadata_write(&text, md, &err), &err);
    }
    char loc[1024];
    snprintf(loc, sizeof(loc), "%s/metadata/%05zu-v%d.metadata.json", t->md->location,
             t->md->metadata_log_count + 1, version);
    ok = ok && CHECK_OK(io_write_file(t->fs, loc, IO_CREATE_EXCLUSIVE, text.data, text.len, &err), &err) &&
         CHECK_OK(cat_table_commit(t->catalog, t->ns, t->name, t->metadata_location, loc, &err), &err) &&
         CHECK_OK(ice_table_refresh(t, &err), &err) && CHECK_EQ(t->md->format_version, version);
    json_decref(doc);
    ice_metadata_free(md);
    fl_buf_dispose(&text);
    return ok;
}
