/*
 * test_ice_metadata.c: table metadata against the fixture corpus written by
 * other implementations (shared/fixtures/iceberg): every metadata JSON file
 * parses (gzip- and zstd-compressed ones too) or, for the known-invalid
 * ones, fails with the expected message; a parse -> write -> parse round
 * trip loses no member of the original and reaches a fixed point; facts
 * from index.json (format version, current snapshot, snapshot count, types,
 * transforms) hold for every table's open metadata.
 */
#include "../test.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../../src/base/buf.h"
#include "../../../src/iceberg/ice_metadata.h"

static int read_all(const char *path, fl_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) fl_buf_append(out, chunk, n);
    fclose(f);
    return 0;
}

static int parse_file(ice_metadata **md, const char *path, fl_error *err)
{
    fl_buf b;
    fl_buf_init(&b);
    if (read_all(path, &b) < 0) {
        fl_buf_dispose(&b);
        return fl_error_set(err, FLOE_EIO, "cannot open %s", path);
    }
    int rc = ice_metadata_parse(md, b.data ? b.data : "", b.len, err);
    fl_buf_dispose(&b);
    return rc;
}

/* ---- the "nothing lost" comparison ---- */

static bool same_number(const json_t *a, const json_t *b)
{
    if (json_equal((json_t *)a, (json_t *)b)) return true;
    double x = json_number_value(a), y = json_number_value(b);
    return x == y || (float)x == (float)y;
}

static bool same_string(const char *a, const char *b)
{
    /* type strings may carry optional spaces ("decimal(9, 2)"); hex may be upper case */
    while (*a || *b) {
        if (*a == ' ') { a++; continue; }
        if (*b == ' ') { b++; continue; }
        char x = *a >= 'A' && *a <= 'F' ? (char)(*a + 32) : *a, y = *b >= 'A' && *b <= 'F' ? (char)(*b + 32) : *b;
        if (x != y) return false;
        a++;
        b++;
    }
    return true;
}

/* Every member of `orig` is in `out` with an equal value; returns the
 * number of differences, printing each with its path. */
static int diff(const json_t *orig, const json_t *out, const char *path, const char *file)
{
    char sub[512];
    if (json_is_object(orig)) {
        if (!json_is_object(out)) goto mismatch;
        int n = 0;
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)orig, key, v) {
            const json_t *w = json_object_get(out, key);
            snprintf(sub, sizeof(sub), "%s.%s", path, key);
            if (w == NULL) {
                /* null members, empty identifier lists and "no current snapshot" may be omitted */
                /* v2+ files upgraded from v1 keep the deprecated v1 members, which Java drops */
                if (strcmp(path, "$") == 0 && (strcmp(key, "schema") == 0 || strcmp(key, "partition-spec") == 0) &&
                    json_integer_value(json_object_get(orig, "format-version")) > 1)
                    continue;
                if (json_is_null(v) || (strcmp(key, "identifier-field-ids") == 0 && json_array_size(v) == 0) ||
                    (strcmp(key, "current-snapshot-id") == 0 && json_integer_value(v) == -1))
                    continue;
                fprintf(stderr, "  %s: %s missing after round trip\n", file, sub);
                n++;
                continue;
            }
            n += diff(v, w, sub, file);
        }
        return n;
    }
    if (json_is_array(orig)) {
        if (!json_is_array(out) || json_array_size(orig) != json_array_size(out)) goto mismatch;
        int n = 0;
        for (size_t i = 0; i < json_array_size(orig); i++) {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            n += diff(json_array_get(orig, i), json_array_get(out, i), sub, file);
        }
        return n;
    }
    if (json_is_number(orig) && json_is_number(out) && same_number(orig, out)) return 0;
    if (json_is_string(orig) && json_is_string(out) && same_string(json_string_value(orig), json_string_value(out)))
        return 0;
    if (json_equal((json_t *)orig, (json_t *)out)) return 0;
mismatch:;
    char *a = json_dumps(orig, JSON_ENCODE_ANY | JSON_COMPACT), *b = json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT);
    fprintf(stderr, "  %s: %s differs: %.80s vs %.80s\n", file, path, a ? a : "?", b ? b : "?");
    free(a);
    free(b);
    return 1;
}

static void round_trip(const char *path, const ice_metadata *md)
{
    fl_error err;
    fl_buf raw, text1, text2;
    fl_buf_init(&raw);
    fl_buf_init(&text1);
    fl_buf_init(&text2);
    ice_metadata *md2 = NULL;
    read_all(path, &raw);
    fl_buf plain;
    fl_buf_init(&plain);
    CHECK_OK(ice_metadata_decompress(&plain, raw.data, raw.len, &err), &err);
    json_t *orig = NULL;
    CHECK_OK(ice_json_loadb(&orig, plain.data, plain.len, 0, "metadata", &err), &err);
    if (CHECK_OK(ice_metadata_write(&text1, md, &err), &err) &&
        CHECK_OK(ice_metadata_parse(&md2, text1.data, text1.len, &err), &err) &&
        CHECK_OK(ice_metadata_write(&text2, md2, &err), &err)) {
        if (!CHECK(text1.len == text2.len && memcmp(text1.data, text2.data, text1.len) == 0))
            fprintf(stderr, "  %s: second write differs\n", path);
        json_t *out = json_loadb(text1.data, text1.len, 0, NULL);
        if (CHECK(orig != NULL && out != NULL)) CHECK_EQ(diff(orig, out, "$", path), 0);
        json_decref(out);
        CHECK_EQ(md2->snapshot_count, md->snapshot_count);
        CHECK_EQ(md2->current_snapshot_id, md->current_snapshot_id);
        CHECK_EQ(md2->schema_count, md->schema_count);
        for (size_t i = 0; i < md->schema_count && i < md2->schema_count; i++)
            CHECK(ice_schema_same_structure(md->schemas[i], md2->schemas[i]));
        for (size_t i = 0; i < md->spec_count && i < md2->spec_count; i++)
            CHECK(ice_partition_spec_equal(md->specs[i], md2->specs[i]));
    }
    json_decref(orig);
    ice_metadata_free(md2);
    fl_buf_dispose(&raw);
    fl_buf_dispose(&plain);
    fl_buf_dispose(&text1);
    fl_buf_dispose(&text2);
}

/* Where an object has the same members in both documents, they come in the
 * same order (the writer follows Java's layout). Returns the differences. */
static int order_diff(const json_t *orig, const json_t *out, const char *path)
{
    int n = 0;
    char sub[512];
    if (json_is_array(orig) && json_is_array(out) && json_array_size(orig) == json_array_size(out)) {
        for (size_t i = 0; i < json_array_size(orig); i++) {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            n += order_diff(json_array_get(orig, i), json_array_get(out, i), sub);
        }
        return n;
    }
    if (!json_is_object(orig) || !json_is_object(out)) return 0;
    if (strcmp(path, "$.properties") == 0 || strstr(path, ".summary") || strstr(path, "refs")) return 0;
    void *a = json_object_iter((json_t *)orig), *b = json_object_iter((json_t *)out);
    bool same_keys = json_object_size(orig) == json_object_size(out);
    for (void *it = a; same_keys && it; it = json_object_iter_next((json_t *)orig, it))
        same_keys = json_object_get(out, json_object_iter_key(it)) != NULL;
    for (; same_keys && a && b; a = json_object_iter_next((json_t *)orig, a), b = json_object_iter_next((json_t *)out, b)) {
        if (strcmp(json_object_iter_key(a), json_object_iter_key(b)) != 0) {
            fprintf(stderr, "  %s: member order differs: %s vs %s\n", path, json_object_iter_key(a), json_object_iter_key(b));
            return 1;
        }
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)orig, key, v) {
        snprintf(sub, sizeof(sub), "%s.%s", path, key);
        const json_t *w = json_object_get(out, key);
        if (w) n += order_diff(v, w, sub);
    }
    return n;
}

TEST(ice_metadata_java_layout)
{
    /* written by Iceberg Java 1.10 (Spark 4) and an older Java (Flink) */
    static const char *const files[] = {
        "fixtures/iceberg/spark_v3_deletion_vectors/metadata/v3.metadata.json",
        "fixtures/iceberg/spark_v2_eqdel_unpartitioned/metadata/v7.metadata.json",
        "fixtures/iceberg/spark_v3_all_types_defaults/metadata/v4.metadata.json",
        "fixtures/iceberg/flink_v2_eqdel_basic/metadata/v4.metadata.json",
    };
    for (size_t i = 0; i < FL_ARRAY_SIZE(files); i++) {
        fl_error err;
        ice_metadata *md = NULL;
        fl_buf raw, text;
        fl_buf_init(&raw);
        fl_buf_init(&text);
        read_all(ft_shared(files[i]), &raw);
        json_t *orig = json_loadb(raw.data, raw.len, 0, NULL), *out = NULL;
        if (CHECK(orig != NULL) && CHECK_OK(ice_metadata_parse(&md, raw.data, raw.len, &err), &err) &&
            CHECK_OK(ice_metadata_write(&text, md, &err), &err)) {
            out = json_loadb(text.data, text.len, 0, NULL);
            if (!CHECK_EQ(order_diff(orig, out, "$"), 0)) fprintf(stderr, "  in %s\n", files[i]);
        }
        json_decref(orig);
        json_decref(out);
        ice_metadata_free(md);
        fl_buf_dispose(&raw);
        fl_buf_dispose(&text);
    }
}

/* ---- the corpus walk ---- */

typedef struct expected_failure {
    const char *file;
    int code;
    const char *message;
} expected_failure;

static const expected_failure invalid[] = {
    {"TableMetadataUnsupportedVersion.json", FLOE_EUNSUPPORTED, "cannot read unsupported version"},
    {"TableMetadataV2MissingPartitionSpecs.json", FLOE_ECORRUPT, "partition-specs must exist in format v2"},
    {"TableMetadataV2MissingLastPartitionId.json", FLOE_ECORRUPT, "last-partition-id must exist in format v2"},
    {"TableMetadataV2MissingSortOrder.json", FLOE_ECORRUPT, "sort-orders must exist in format v2"},
    {"TableMetadataV2CurrentSchemaNotFound.json", FLOE_ECORRUPT, "cannot find schema with current-schema-id=2 from schemas"},
    {"TableMetadataV2MissingSchemas.json", FLOE_ECORRUPT, "schemas must exist in format v2"},
    {"TableMetadataV1MissingSchemaType.json", FLOE_ECORRUPT, "cannot parse type from json"},
    {"TableMetadataV1NoValidSchema.json", FLOE_ECORRUPT, "neither \"schema\" nor \"schemas\""},
    /* BigQuery's v0 placeholders hold only properties (README: "a stub") */
    {"bigquery_biglake_v1_gs_paths/metadata/v0.metadata.json", FLOE_ECORRUPT, "missing required field \"format-version\""},
    {"bigquery_v2_rewritten_paths/metadata/v0.metadata.json", FLOE_ECORRUPT, "missing required field \"format-version\""},
};

typedef struct walk_stats {
    int parsed, failed_as_expected;
} walk_stats;

static bool is_metadata_file(const char *dir, const char *name)
{
    size_t n = strlen(name);
    if (n > 14 && strcmp(name + n - 14, ".metadata.json") == 0) return true;
    /* the single-file corpus names its files plainly */
    return strstr(dir, "_unit/table_metadata") != NULL && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static void check_file(const char *path, walk_stats *st)
{
    fl_error err;
    ice_metadata *md = NULL;
    int rc = parse_file(&md, path, &err);
    for (size_t i = 0; i < FL_ARRAY_SIZE(invalid); i++) {
        size_t pl = strlen(path), fl = strlen(invalid[i].file);
        if (pl >= fl && strcmp(path + pl - fl, invalid[i].file) == 0 && (pl == fl || path[pl - fl - 1] == '/')) {
            if (!CHECK_EQ(rc, invalid[i].code) || !CHECK(strstr(err.message, invalid[i].message) != NULL))
                fprintf(stderr, "  %s: got \"%s\"\n", path, rc < 0 ? err.message : "success");
            st->failed_as_expected++;
            ice_metadata_free(md);
            return;
        }
    }
    if (!CHECK_OK(rc, &err)) {
        fprintf(stderr, "  in %s\n", path);
        return;
    }
    st->parsed++;
    CHECK(ice_metadata_current_schema(md) != NULL);
    CHECK(ice_metadata_default_spec(md) != NULL);
    round_trip(path, md);
    ice_metadata_free(md);
}

static void walk(const char *dir, walk_stats *st)
{
    DIR *d = opendir(dir);
    if (!CHECK(d != NULL)) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            if (strcmp(e->d_name, "data") != 0) walk(path, st);
        } else if (is_metadata_file(dir, e->d_name)) {
            check_file(path, st);
        }
    }
    closedir(d);
}

TEST(ice_metadata_fixture_corpus)
{
    walk_stats st = {0, 0};
    walk(ft_shared("fixtures/iceberg"), &st);
    /* 207 files named *metadata.json* plus the plain _unit ones */
    CHECK(st.parsed >= 200);
    CHECK_EQ(st.failed_as_expected, FL_ARRAY_SIZE(invalid));
}
