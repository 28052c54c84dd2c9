/*
 * test_avro_files.c: the Avro reader on real Iceberg metadata written by
 * Spark/Java, PyIceberg, Trino, Impala, Flink, BigQuery, iceberg-rust/-go/
 * -cpp (shared/fixtures/iceberg): every .avro file reads to the end; every
 * manifest list agrees with the manifests it lists (length, file counts by
 * status, row counts, spec id, snapshot ids), found by field id; one table's
 * values are checked against its metadata JSON; and truncations and byte
 * flips of real manifests fail cleanly (or read), never crash.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../test.h"
#include "../../../src/base/alloc.h"
#include "../../../src/base/strutil.h"
#include "../../../src/format/avro/avro.h"

typedef struct avro_file_stats {
    int files, datums, lists, lists_checked, manifests_checked, projected;
} avro_file_stats;

static int read_path(const char *path, int *datums, fl_arena *arena, fl_error *err)
{
    io_reader *in;
    avro_reader *r;
    *datums = 0;
    int rc = io_open_local(path, &in, err);
    if (rc < 0) return rc;
    if ((rc = avro_reader_open(&r, in, NULL, err)) == 0) {
        avro_value *v;
        while ((rc = avro_reader_next(r, &v, arena, err)) == 1) (*datums)++;
        avro_reader_free(r);
    }
    io_reader_close(in);
    return rc;
}

/* Manifest entry tallies by status (0 existing, 1 added, 2 deleted). */
typedef struct tally {
    int64_t files[3], rows[3];
    int64_t added_snapshot;     /* snapshot id of added entries, -1 none, -2 mixed */
    const char *spec_id;        /* header "partition-spec-id" or NULL */
    const char *content;        /* header "content" */
    uint64_t size;
} tally;

static bool tally_manifest(const char *path, tally *t, fl_arena *arena)
{
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    memset(t, 0, sizeof *t);
    t->added_snapshot = -1;
    if (!CHECK_OK(io_open_local(path, &in, &err), &err)) return false;
    t->size = in->size;
    if (!CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        io_reader_close(in);
        return false;
    }
    const avro_schema *s = avro_reader_schema(r);
    int status_idx = avro_record_find(s, 0, "status");
    int snap_idx = avro_record_find(s, 1, "snapshot_id");
    avro_path count_path;
    static const avro_field_ref count_ref[] = {{2, "data_file"}, {103, "record_count"}};
    CHECK(status_idx >= 0);
    if (!CHECK_OK(avro_path_resolve(&count_path, s, count_ref, 2, &err), &err)) {
        avro_reader_free(r);
        io_reader_close(in);
        return false;
    }
    const uint8_t *m = avro_reader_meta(r, "partition-spec-id", NULL);
    t->spec_id = m ? fl_arena_strdup(arena, (const char *)m) : NULL;
    m = avro_reader_meta(r, "content", NULL);
    t->content = m ? fl_arena_strdup(arena, (const char *)m) : NULL;
    avro_value *v;
    int rc;
    bool ok = true;
    while ((rc = avro_reader_next(r, &v, arena, &err)) == 1) {
        int32_t status = -1;
        int64_t rows = 0, snap;
        ok &= CHECK_OK(avro_value_get_int(avro_value_field(v, status_idx), &status, &err), &err);
        ok &= CHECK(status >= 0 && status <= 2);
        if (!ok) break;
        ok &= CHECK_OK(avro_value_get_long(avro_value_at(v, &count_path), &rows, &err), &err);
        t->files[status]++;
        t->rows[status] += rows;
        const avro_value *sv = avro_value_field(v, snap_idx);
        if (status == 1 && !avro_value_is_null(sv) && avro_value_get_long(sv, &snap, &err) == 0)
            t->added_snapshot = t->added_snapshot == -1 || t->added_snapshot == snap ? snap : -2;
    }
    ok &= CHECK_OK(rc, &err);
    avro_reader_free(r);
    io_reader_close(in);
    return ok;
}

static bool opt_long(const avro_value *rec, int32_t id, const char *name, int64_t *out)
{
    const avro_value *v = avro_value_find(rec, id, name);
    fl_error err;
    return !avro_value_is_null(v) && avro_value_get_long(v, out, &err) == 0;
}

/* Checks a manifest list's entries against the manifests next to it. */
static void check_manifest_list(const char *dir, const char *path, avro_file_stats *st)
{
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    if (!CHECK_OK(io_open_local(path, &in, &err), &err)) return;
    if (!CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        io_reader_close(in);
        return;
    }
    fl_arena *arena = fl_arena_new(0);
    st->lists++;
    avro_value *v;
    int rc;
    bool checked_any = false;
    while ((rc = avro_reader_next(r, &v, arena, &err)) == 1) {
        fl_strv mp;
        if (!CHECK_OK(avro_value_get_bytes(avro_value_find(v, 500, "manifest_path"), &mp, &err), &err)) break;
        const char *base = strrchr(mp.ptr, '/');
        base = base ? base + 1 : mp.ptr;
        char local[4096];
        snprintf(local, sizeof local, "%s/%s", dir, base);
        struct stat sb;
        if (stat(local, &sb) != 0) continue;   /* a manifest kept elsewhere in the fixture */
        tally t;
        if (!tally_manifest(local, &t, arena)) continue;
        checked_any = true;
        st->manifests_checked++;
        int64_t x;
        /* Impala's and duckdb-iceberg's path rewriters re-serialised many
         * manifests but kept the old lengths: only Spark's files are as written */
        if (strstr(path, "/spark_") && opt_long(v, 501, "manifest_length", &x)) CHECK_EQ(x, t.size);
        static const struct { int32_t id; const char *name; int status; bool rows; } counts[] = {
            {504, "added_files_count", 1, false},    {505, "existing_files_count", 0, false},
            {506, "deleted_files_count", 2, false},  {512, "added_rows_count", 1, true},
            {513, "existing_rows_count", 0, true},   {514, "deleted_rows_count", 2, true},
        };
        for (size_t i = 0; i < FL_ARRAY_SIZE(counts); i++) {
            /* v1 lists may name them added_data_files_count ...: the id finds them */
            if (!opt_long(v, counts[i].id, counts[i].name, &x)) continue;
            /* PyIceberg 0.x counted the rows of an overwrite's existing files as added */
            if (counts[i].rows && strstr(path, "pyiceberg_v1_to_v3_upgrade")) continue;
            int64_t want = counts[i].rows ? t.rows[counts[i].status] : t.files[counts[i].status];
            if (!CHECK_EQ(x, want)) fprintf(stderr, "  %s: %s of %s\n", path, counts[i].name, base);
        }
        if (t.spec_id && opt_long(v, 502, "partition_spec_id", &x)) {
            int64_t hdr;
            if (CHECK_OK(fl_parse_i64(&hdr, t.spec_id, strlen(t.spec_id), &err), &err)) CHECK_EQ(hdr, x);
        }
        if (t.content && opt_long(v, 517, "content", &x))
            CHECK_EQ(x, strcmp(t.content, "deletes") == 0 ? 1 : 0);
        if (t.added_snapshot >= 0 && opt_long(v, 503, "added_snapshot_id", &x)) CHECK_EQ(x, t.added_snapshot);
    }
    CHECK_OK(rc, &err);
    if (checked_any) st->lists_checked++;
    fl_arena_free(arena);
    avro_reader_free(r);
    io_reader_close(in);
}

/* A manifest read twice, whole and projected to status and
 * data_file.file_path: the kept values agree, the rest is skipped. */
static void check_projection(const char *path, avro_file_stats *st)
{
    fl_error err = {0};
    io_reader *in1, *in2;
    avro_reader *full, *proj;
    if (!CHECK_OK(io_open_local(path, &in1, &err), &err)) return;
    if (!CHECK_OK(io_open_local(path, &in2, &err), &err)) {
        io_reader_close(in1);
        return;
    }
    if (CHECK_OK(avro_reader_open(&full, in1, NULL, &err), &err)) {
        if (CHECK_OK(avro_reader_open(&proj, in2, NULL, &err), &err)) {
            const avro_schema *s = avro_reader_schema(proj);
            static const avro_field_ref status_ref[] = {{0, "status"}};
            static const avro_field_ref path_ref[] = {{2, "data_file"}, {100, "file_path"}};
            static const avro_field_ref count_ref[] = {{2, "data_file"}, {103, "record_count"}};
            avro_path paths[3];
            avro_projection *pj = NULL;
            if (avro_path_resolve(&paths[0], s, status_ref, 1, &err) == 0 &&
                avro_path_resolve(&paths[1], s, path_ref, 2, &err) == 0 &&
                avro_path_resolve(&paths[2], s, count_ref, 2, &err) == 0 &&
                CHECK_OK(avro_projection_new(&pj, paths, 2, s, &err), &err)) {
                avro_reader_set_projection(proj, pj);
                fl_arena *a = fl_arena_new(0);
                avro_value *v1, *v2;
                int rc1, rc2;
                while ((rc1 = avro_reader_next(full, &v1, a, &err)) == 1) {
                    rc2 = avro_reader_next(proj, &v2, a, &err);
                    if (!CHECK_EQ(rc2, 1)) break;
                    fl_strv p1, p2;
                    int32_t s1 = -1, s2 = -2;
                    CHECK_OK(avro_value_get_int(avro_value_at(v1, &paths[0]), &s1, &err), &err);
                    CHECK_OK(avro_value_get_int(avro_value_at(v2, &paths[0]), &s2, &err), &err);
                    CHECK_EQ(s1, s2);
                    CHECK_OK(avro_value_get_bytes(avro_value_at(v1, &paths[1]), &p1, &err), &err);
                    CHECK_OK(avro_value_get_bytes(avro_value_at(v2, &paths[1]), &p2, &err), &err);
                    CHECK(fl_strv_eq(p1, p2));
                    CHECK(!avro_value_is_null(avro_value_at(v1, &paths[2])));
                    CHECK(avro_value_at(v2, &paths[2]) == NULL);   /* skipped */
                    st->projected++;
                }
                CHECK_OK(rc1, &err);
                CHECK_EQ(avro_reader_next(proj, &v2, a, &err), 0);
                fl_arena_free(a);
            }
            avro_projection_free(pj);
            avro_reader_free(proj);
        }
        avro_reader_free(full);
    }
    io_reader_close(in1);
    io_reader_close(in2);
}

static void walk(const char *dir, avro_file_stats *st)
{
    DIR *d = opendir(dir);
    if (!CHECK(d != NULL)) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            walk(path, st);
            continue;
        }
        if (!fl_str_ends_with(e->d_name, ".avro")) continue;
        fl_arena *arena = fl_arena_new(0);
        fl_error err = {0};
        int n;
        int rc = read_path(path, &n, arena, &err);
        fl_arena_free(arena);
        st->files++;
        if (strstr(e->d_name, "encrypted")) {
            /* iceberg-rust's encrypted manifest list is not an OCF file at all */
            CHECK_EQ(rc, FLOE_ECORRUPT);
            continue;
        }
        if (!CHECK_OK(rc, &err)) continue;
        st->datums += n;
        if (strncmp(e->d_name, "snap-", 5) == 0) check_manifest_list(dir, path, st);
        else check_projection(path, st);
    }
    closedir(d);
}

TEST(avro_iceberg_fixtures_all_read)
{
    avro_file_stats st = {0};
    walk(ft_shared("fixtures/iceberg"), &st);
    fprintf(stderr,
            "  avro fixtures: %d files, %d datums, %d manifest lists (%d cross-checked), %d manifests checked, "
            "%d entries projected\n",
            st.files, st.datums, st.lists, st.lists_checked, st.manifests_checked, st.projected);
    CHECK(st.files >= 290);
    CHECK(st.datums >= 500);
    CHECK(st.lists >= 90);
    CHECK(st.lists_checked >= 80);
    CHECK(st.manifests_checked >= 150);
    CHECK(st.projected >= 250);
}

/* spark_v2_uuid: one snapshot, one manifest, two data files of 5 rows. */
TEST(avro_iceberg_known_values)
{
    const char *dir = ft_shared("fixtures/iceberg/spark_v2_uuid/metadata");
    char path[4096];
    snprintf(path, sizeof path, "%s/00001-43fda1f4-1c96-4376-ad16-91beb71d0759.metadata.json", dir);
    json_error_t jerr;
    json_t *meta = json_load_file(path, 0, &jerr);
    if (!CHECK(meta != NULL)) return;
    json_t *snap = json_array_get(json_object_get(meta, "snapshots"), 0);
    int64_t snapshot_id = json_integer_value(json_object_get(snap, "snapshot-id"));
    const char *list = json_string_value(json_object_get(snap, "manifest-list"));
    const char *added = json_string_value(json_object_get(json_object_get(snap, "summary"), "added-records"));
    CHECK_EQ(snapshot_id, 3974286791591741252LL);
    CHECK(list && added);
    if (!list || !added) {
        json_decref(meta);
        return;
    }
    snprintf(path, sizeof path, "%s/%s", dir, strrchr(list, '/') + 1);

    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    fl_arena *a = fl_arena_new(0);
    avro_value *v;
    CHECK_OK(io_open_local(path, &in, &err), &err);
    if (CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        size_t len;
        const char *fv = (const char *)avro_reader_meta(r, "format-version", &len);
        CHECK(fv && strcmp(fv, "2") == 0);
        CHECK_EQ(avro_reader_codec(r), AVRO_CODEC_DEFLATE);
        CHECK_EQ(avro_reader_next(r, &v, a, &err), 1);
        fl_strv mp;
        int64_t id = 0, len_field = 0;
        CHECK_OK(avro_value_get_bytes(avro_value_find(v, 500, NULL), &mp, &err), &err);
        CHECK(fl_strv_eq(mp, fl_strv_cstr("data/persistent/uuid/metadata/69f1c254-2a62-4b99-93db-aa35863e91ff-m0.avro")));
        CHECK_OK(avro_value_get_long(avro_value_find(v, 503, "added_snapshot_id"), &id, &err), &err);
        CHECK_EQ(id, snapshot_id);
        CHECK_OK(avro_value_get_long(avro_value_find(v, 501, NULL), &len_field, &err), &err);
        CHECK_EQ(len_field, 7050);
        CHECK_EQ(avro_reader_next(r, &v, a, &err), 0);
        avro_reader_free(r);
    }
    io_reader_close(in);

    snprintf(path, sizeof path, "%s/69f1c254-2a62-4b99-93db-aa35863e91ff-m0.avro", dir);
    CHECK_OK(io_open_local(path, &in, &err), &err);
    if (CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        const avro_schema *s = avro_reader_schema(r);
        CHECK_STR(s->name, "manifest_entry");
        /* data_file.partition is an empty record r102; lower_bounds a map as array k126_v127 */
        const avro_schema *df = s->fields[avro_record_find(s, 2, NULL)].type;
        const avro_schema *lb = avro_schema_nonnull(df->fields[avro_record_find(df, 125, NULL)].type);
        CHECK_EQ(lb->type, AVRO_ARRAY);
        CHECK_STR(lb->logical_type, "map");
        CHECK_EQ(avro_record_find(lb->items, 126, NULL), 0);
        CHECK_EQ(avro_record_find(lb->items, 127, NULL), 1);
        avro_path p;
        static const avro_field_ref path_ref[] = {{2, NULL}, {100, NULL}};
        static const avro_field_ref missing[] = {{2, "data_file"}, {999, "no_such_field"}};
        static const avro_field_ref by_name[] = {{-1, "data_file"}, {-1, "file_format"}};
        CHECK_OK(avro_path_resolve(&p, s, path_ref, 2, &err), &err);
        CHECK_EQ(p.depth, 2);
        CHECK_EQ(p.leaf->type, AVRO_STRING);
        CHECK_EQ(avro_path_resolve(&p, s, missing, 2, &err), FLOE_ENOTFOUND);
        CHECK(strstr(err.message, "no_such_field") != NULL);
        avro_path fmt;
        CHECK_OK(avro_path_resolve(&fmt, s, by_name, 2, &err), &err);
        CHECK_OK(avro_path_resolve(&p, s, path_ref, 2, &err), &err);
        const char *content = (const char *)avro_reader_meta(r, "content", NULL);
        CHECK(content && strcmp(content, "data") == 0);
        int64_t total = 0;
        int n = 0, rc;
        while ((rc = avro_reader_next(r, &v, a, &err)) == 1) {
            int32_t status = -1;
            int64_t rows = 0, sid = 0;
            fl_strv fp;
            const avro_value *d = avro_value_find(v, 2, "data_file");
            CHECK_OK(avro_value_get_int(avro_value_find(v, 0, "status"), &status, &err), &err);
            CHECK_EQ(status, 1);
            CHECK_OK(avro_value_get_long(avro_value_find(v, 1, NULL), &sid, &err), &err);
            CHECK_EQ(sid, snapshot_id);
            CHECK_OK(avro_value_get_bytes(avro_value_find(d, 100, "file_path"), &fp, &err), &err);
            CHECK(fp.len > 8 && memcmp(fp.ptr, "data/persistent/uuid/data/00000-0-", 34) == 0);
            CHECK(fl_str_ends_with(fp.ptr, ".parquet"));
            fl_strv via_path, format;
            CHECK_OK(avro_value_get_bytes(avro_value_at(v, &p), &via_path, &err), &err);
            CHECK(fl_strv_eq(via_path, fp));
            CHECK_OK(avro_value_get_bytes(avro_value_at(v, &fmt), &format, &err), &err);
            CHECK(fl_strv_eq(format, fl_strv_cstr("PARQUET")));
            CHECK_OK(avro_value_get_long(avro_value_find(d, 103, "record_count"), &rows, &err), &err);
            CHECK_EQ(rows, 5);
            /* lower bound of column 1 (uuid) is 16 bytes */
            const avro_value *bounds = avro_value_find(d, 125, NULL);
            CHECK_EQ(bounds->u.list.count, 1);
            fl_strv b;
            CHECK_OK(avro_value_get_bytes(avro_value_find(bounds->u.list.items[0], 127, NULL), &b, &err), &err);
            CHECK_EQ(b.len, 16);
            total += rows;
            n++;
        }
        CHECK_OK(rc, &err);
        CHECK_EQ(n, 2);
        int64_t want;
        CHECK_OK(fl_parse_i64(&want, added, strlen(added), &err), &err);
        CHECK_EQ(total, want);
        avro_reader_free(r);
    }
    io_reader_close(in);
    fl_arena_free(a);
    json_decref(meta);
}

/* Reads a mutated copy; any outcome but a crash is fine, and a failure must say why. */
static int read_mutant(const uint8_t *data, size_t len, fl_arena *arena)
{
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    int rc = io_reader_from_memory(data, len, &in, &err);
    if (rc < 0) return rc;
    if ((rc = avro_reader_open(&r, in, NULL, &err)) == 0) {
        avro_value *v;
        int guard = 0;
        while ((rc = avro_reader_next(r, &v, arena, &err)) == 1 && ++guard < 100000) {
        }
        avro_reader_free(r);
    }
    io_reader_close(in);
    if (rc < 0) CHECK(err.message[0] != '\0');
    fl_arena_reset(arena);
    return rc;
}

static void sweep(const char *rel, int flip_step)
{
    fl_buf file;
    fl_buf_init(&file);
    fl_error err = {0};
    io_fs *fs = io_local_new();
    if (!CHECK_OK(io_read_file(fs, ft_shared(rel), &file, &err), &err)) {
        io_fs_free(fs);
        return;
    }
    io_fs_free(fs);
    fl_arena *arena = fl_arena_new(0);
    const uint8_t *orig = (const uint8_t *)file.data;
    CHECK_EQ(read_mutant(orig, file.len, arena), 0);
    /* every truncation is detected, except cuts right after a block's sync
     * marker (or the header's): those are complete files with fewer blocks */
    int undetected = 0;
    for (size_t cut = 0; cut < file.len; cut++) {
        if (read_mutant(orig, cut, arena) < 0) continue;
        undetected++;
        CHECK(cut >= 16 && memcmp(orig + cut - 16, orig + file.len - 16, 16) == 0);
    }
    CHECK(undetected >= 1);
    uint8_t *copy = fl_malloc(file.len);
    memcpy(copy, orig, file.len);
    for (size_t i = 0; i < file.len; i += (size_t)flip_step) {
        static const uint8_t masks[] = {0xff, 0x01, 0x80, 0x40};
        copy[i] ^= masks[i % FL_ARRAY_SIZE(masks)];
        read_mutant(copy, file.len, arena);
        copy[i] = orig[i];
    }
    fl_free(copy);
    fl_arena_free(arena);
    fl_buf_dispose(&file);
}

TEST(avro_truncation_and_flip_sweeps)
{
    /* deflate manifest (Spark) and uncompressed manifest and list (Hive) */
    sweep("fixtures/iceberg/spark_v2_uuid/metadata/69f1c254-2a62-4b99-93db-aa35863e91ff-m0.avro", 1);
    sweep("fixtures/iceberg/hive_v2_posdel_all_rows/metadata/236523f7-a5bc-459f-b4c9-16af5bd43bca-m0.avro", 1);
    sweep("fixtures/iceberg/hive_v2_posdel_all_rows/metadata/"
          "snap-444149380144800647-1-816400dd-012d-40c5-ab65-bc16ff18d2d7.avro", 1);
}

/* A v1 manifest list (Iceberg-Java 0.x names: added_data_files_count ...):
 * asking by field id with the v2 name still finds the field. */
TEST(avro_iceberg_v1_names_by_field_id)
{
    const char *path = ft_shared("fixtures/iceberg/spark_v1_unpartitioned_20files/metadata/"
                                 "snap-93996984692289973-1-9b8c72ab-43b9-42fb-a5e9-1dcfa1801a21.avro");
    fl_error err = {0};
    io_reader *in;
    avro_reader *r;
    if (!CHECK_OK(io_open_local(path, &in, &err), &err)) return;
    if (CHECK_OK(avro_reader_open(&r, in, NULL, &err), &err)) {
        const avro_schema *s = avro_reader_schema(r);
        int idx = avro_record_find(s, 504, "added_files_count");
        CHECK(idx >= 0);
        if (idx >= 0) CHECK_STR(s->fields[idx].name, "added_data_files_count");
        CHECK_EQ(avro_record_find(s, -1, "added_files_count"), -1);   /* the name alone does not */
        CHECK_EQ(avro_record_find(s, 517, "content"), -1);            /* v1 has no content */
        fl_arena *a = fl_arena_new(0);
        avro_value *v;
        CHECK_EQ(avro_reader_next(r, &v, a, &err), 1);
        int64_t added = 0, snap = 0;
        CHECK_OK(avro_value_get_long(avro_value_find(v, 504, "added_files_count"), &added, &err), &err);
        CHECK_EQ(added, 20);
        CHECK_OK(avro_value_get_long(avro_value_find(v, 503, "added_snapshot_id"), &snap, &err), &err);
        CHECK_EQ(snap, 93996984692289973LL);
        CHECK(avro_value_find(v, 517, "content") == NULL);
        fl_arena_free(a);
        avro_reader_free(r);
    }
    io_reader_close(in);
}
