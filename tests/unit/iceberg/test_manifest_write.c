/*
 * test_manifest_write.c: manifest and manifest-list writers: write -> read
 * round trips (v1, v2, v3) with a partition spec using every transform and
 * every partition value type, partition summaries, sequence-number and
 * first-row-id assignment and inheritance, the exact Avro schemas (field
 * ids, element ids, key/value ids, header keys), and writer refusals.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../../../src/base/arena.h"
#include "../../../src/iceberg/ice_manifest.h"
#include "../../../src/iceberg/ice_value.h"
#include "../test.h"

static const char *SCHEMA_JSON =
    "{\"type\":\"struct\",\"schema-id\":3,\"fields\":["
    "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"int\"},"
    "{\"id\":2,\"name\":\"name\",\"required\":false,\"type\":\"string\"},"
    "{\"id\":3,\"name\":\"ts\",\"required\":false,\"type\":\"timestamp\"},"
    "{\"id\":4,\"name\":\"tstz\",\"required\":false,\"type\":\"timestamptz\"},"
    "{\"id\":5,\"name\":\"d\",\"required\":false,\"type\":\"date\"},"
    "{\"id\":6,\"name\":\"dec\",\"required\":false,\"type\":\"decimal(10,2)\"},"
    "{\"id\":7,\"name\":\"price\",\"required\":false,\"type\":\"double\"},"
    "{\"id\":8,\"name\":\"u\",\"required\":false,\"type\":\"uuid\"},"
    "{\"id\":9,\"name\":\"bin\",\"required\":false,\"type\":\"binary\"},"
    "{\"id\":10,\"name\":\"fx\",\"required\":false,\"type\":\"fixed[4]\"},"
    "{\"id\":11,\"name\":\"b\",\"required\":false,\"type\":\"boolean\"},"
    "{\"id\":12,\"name\":\"f\",\"required\":false,\"type\":\"float\"},"
    "{\"id\":13,\"name\":\"l\",\"required\":false,\"type\":\"long\"},"
    "{\"id\":14,\"name\":\"t\",\"required\":false,\"type\":\"time\"},"
    "{\"id\":15,\"name\":\"wide\",\"required\":false,\"type\":\"decimal(30,3)\"}]}";

static const char *SPEC_JSON =
    "{\"spec-id\":2,\"fields\":["
    "{\"name\":\"id\",\"transform\":\"identity\",\"source-id\":1,\"field-id\":1000},"
    "{\"name\":\"name_bucket\",\"transform\":\"bucket[16]\",\"source-id\":2,\"field-id\":1001},"
    "{\"name\":\"name_trunc\",\"transform\":\"truncate[3]\",\"source-id\":2,\"field-id\":1002},"
    "{\"name\":\"ts_year\",\"transform\":\"year\",\"source-id\":3,\"field-id\":1003},"
    "{\"name\":\"tstz_month\",\"transform\":\"month\",\"source-id\":4,\"field-id\":1004},"
    "{\"name\":\"d_day\",\"transform\":\"day\",\"source-id\":5,\"field-id\":1005},"
    "{\"name\":\"ts_hour\",\"transform\":\"hour\",\"source-id\":3,\"field-id\":1006},"
    "{\"name\":\"l_void\",\"transform\":\"void\",\"source-id\":13,\"field-id\":1007},"
    "{\"name\":\"dec\",\"transform\":\"identity\",\"source-id\":6,\"field-id\":1008},"
    "{\"name\":\"price\",\"transform\":\"identity\",\"source-id\":7,\"field-id\":1009},"
    "{\"name\":\"u\",\"transform\":\"identity\",\"source-id\":8,\"field-id\":1010},"
    "{\"name\":\"bin\",\"transform\":\"identity\",\"source-id\":9,\"field-id\":1011},"
    "{\"name\":\"fx\",\"transform\":\"identity\",\"source-id\":10,\"field-id\":1012},"
    "{\"name\":\"b\",\"transform\":\"identity\",\"source-id\":11,\"field-id\":1013},"
    "{\"name\":\"f\",\"transform\":\"identity\",\"source-id\":12,\"field-id\":1014},"
    "{\"name\":\"t\",\"transform\":\"identity\",\"source-id\":14,\"field-id\":1015},"
    "{\"name\":\"dec_trunc\",\"transform\":\"truncate[10]\",\"source-id\":6,\"field-id\":1016},"
    "{\"name\":\"wide\",\"transform\":\"identity\",\"source-id\":15,\"field-id\":1017}]}";

#define NPART 18

typedef struct fixture {
    fl_arena *arena;
    ice_schema *schema;
    ice_partition_spec *spec;
    const ice_type *ptype;
    io_fs *fs;
} fixture;

static bool fixture_init(fixture *fx)
{
    fl_error err;
    memset(fx, 0, sizeof(*fx));
    fx->arena = fl_arena_new(0);
    json_t *j = json_loads(SCHEMA_JSON, 0, NULL);
    bool ok = CHECK(j != NULL) && CHECK_OK(ice_schema_from_json(&fx->schema, j, fx->arena, &err), &err);
    json_decref(j);
    j = json_loads(SPEC_JSON, 0, NULL);
    ok = ok && CHECK(j != NULL) && CHECK_OK(ice_partition_spec_from_json(&fx->spec, j, fx->arena, &err), &err);
    json_decref(j);
    ok = ok && CHECK_OK(ice_partition_type(&fx->ptype, fx->spec, fx->schema, false, fx->arena, &err), &err);
    ok = ok && CHECK_EQ(fx->spec->field_count, NPART);
    fx->fs = io_memory_new();
    return ok && fx->fs;
}

static void fixture_dispose(fixture *fx)
{
    io_fs_free(fx->fs);
    fl_arena_free(fx->arena);
}

static fl_value ival(fl_type_id t, int64_t v)
{
    fl_value x;
    memset(&x, 0, sizeof(x));
    x.type = fl_type_make(t);
    x.v.i64 = v;
    return x;
}

static fl_value sval(fl_type t, const char *p, size_t len)
{
    fl_value x;
    memset(&x, 0, sizeof(x));
    x.type = t;
    x.v.s = fl_strv_make(p, len);
    return x;
}

/* Partition values of file k (k = 0: every value null). */
static void make_partition(fl_value *pv, const ice_type *ptype, int k)
{
    static const uint8_t uuid[16] = {0x15, 0x71, 0xef, 0xfb, 0xfa, 0xcd, 0x42, 0xa3,
                                     0x90, 0xe9, 0x0a, 0xf5, 0x22, 0xe9, 0xb6, 0xc2};
    static const char *names[] = {"", "abc", "xyz"};
    for (int i = 0; i < NPART; i++) {
        memset(&pv[i], 0, sizeof(fl_value));
        ice_type_to_fl(&pv[i].type, ptype->fields[i].type, NULL);
        pv[i].is_null = true;
    }
    if (k == 0) return;
    pv[0] = ival(FL_TYPE_INT32, k == 1 ? -5 : 70000);
    pv[1] = ival(FL_TYPE_INT32, k == 1 ? 3 : 15);
    pv[2] = sval(fl_type_make(FL_TYPE_STRING), names[k], 3);
    pv[3] = ival(FL_TYPE_INT32, k == 1 ? -1 : 54);            /* years from 1970 */
    pv[4] = ival(FL_TYPE_INT32, k == 1 ? 0 : 659);
    pv[5] = ival(FL_TYPE_DATE, k == 1 ? -1 : 19000);
    pv[6] = ival(FL_TYPE_INT32, k == 1 ? 447696 : 473976);
    /* 7: void stays null */
    pv[8] = ival(FL_TYPE_DECIMAL, k == 1 ? -12345 : 99999);
    pv[8].type = fl_type_decimal(10, 2);
    pv[9] = ival(FL_TYPE_DOUBLE, 0);
    pv[9].v.f64 = k == 1 ? NAN : 2.5;
    pv[10] = sval(fl_type_make(FL_TYPE_UUID), (const char *)uuid, 16);
    pv[11] = sval(fl_type_make(FL_TYPE_BINARY), k == 1 ? "\x00\x01" : "\xff", k == 1 ? 2 : 1);
    pv[12] = sval(fl_type_fixed(4), k == 1 ? "abcd" : "wxyz", 4);
    pv[13] = ival(FL_TYPE_BOOL, 0);
    pv[13].v.b = k == 2;
    pv[14] = ival(FL_TYPE_FLOAT, 0);
    pv[14].v.f64 = k == 1 ? 1.5 : -0.25;
    pv[15] = ival(FL_TYPE_TIME, k == 1 ? 0 : 86399999999LL);
    pv[16] = ival(FL_TYPE_DECIMAL, k == 1 ? -12350 : 99990);
    pv[16].type = fl_type_decimal(10, 2);
    pv[17].type = fl_type_decimal(30, 3);
    pv[17].is_null = false;
    pv[17].v.i128 = (fl_int128)k * 1000000000000000000LL * 1000;   /* beyond int64 */
}

static ice_field_count counts[2] = {{1, 100}, {2, 7}};
static ice_field_bound bounds[1] = {{1, {"\x01\x00\x00\x00", 4}}};
static int64_t splits[2] = {4, 1000};
static int32_t eq_ids[2] = {1, 2};

static ice_data_file make_file(const char *path, fl_value *pv, int64_t records)
{
    ice_data_file f;
    memset(&f, 0, sizeof(f));
    f.content = ICE_CONTENT_DATA;
    f.file_path = path;
    f.file_format = "PARQUET";
    f.partition = pv;
    f.partition_count = NPART;
    f.record_count = records;
    f.file_size_in_bytes = 1234 + records;
    f.column_sizes = counts;
    f.column_size_count = 2;
    f.value_counts = counts;
    f.value_count_count = 2;
    f.null_value_counts = counts;
    f.null_value_count_count = 1;
    f.lower_bounds = bounds;
    f.lower_bound_count = 1;
    f.upper_bounds = bounds;
    f.upper_bound_count = 1;
    f.split_offsets = splits;
    f.split_offset_count = 2;
    f.has_sort_order_id = true;
    f.sort_order_id = 0;
    return f;
}

static bool values_equal(const fl_value *a, const fl_value *b)
{
    if (a->is_null || b->is_null) return a->is_null == b->is_null;
    if (a->type.id != b->type.id) return false;
    switch (a->type.id) {
    case FL_TYPE_BOOL: return a->v.b == b->v.b;
    case FL_TYPE_FLOAT:
    case FL_TYPE_DOUBLE: return (isnan(a->v.f64) && isnan(b->v.f64)) || a->v.f64 == b->v.f64;
    case FL_TYPE_STRING:
    case FL_TYPE_BINARY:
    case FL_TYPE_FIXED:
    case FL_TYPE_UUID: return fl_strv_eq(a->v.s, b->v.s);
    case FL_TYPE_DECIMAL:
        return a->type.precision > 18 ? a->v.i128 == b->v.i128 : a->v.i64 == b->v.i64;
    default: return a->v.i64 == b->v.i64;
    }
}

static void roundtrip(int format_version)
{
    fixture fx;
    if (!fixture_init(&fx)) {
        fixture_dispose(&fx);
        return;
    }
    fl_error err;
    fl_value pv[3][NPART];
    for (int k = 0; k < 3; k++) make_partition(pv[k], fx.ptype, k);
    ice_manifest_writer_opts wo = {format_version, ICE_MANIFEST_DATA, fx.schema, fx.spec, 555, AVRO_CODEC_DEFLATE, 0};
    ice_manifest_writer *w = NULL;
    char loc[64];
    snprintf(loc, sizeof(loc), "t/metadata/m-v%d.avro", format_version);
    if (!CHECK_OK(ice_manifest_writer_open(&w, fx.fs, loc, &wo, &err), &err)) {
        fixture_dispose(&fx);
        return;
    }
    ice_data_file f0 = make_file("t/data/a.parquet", pv[0], 10);
    ice_data_file f1 = make_file("t/data/b.parquet", pv[1], 20);
    ice_data_file f2 = make_file("t/data/c.parquet", pv[2], 30);
    f1.has_key_metadata = true;
    f1.key_metadata = fl_strv_make("\x00key", 4);
    f2.column_sizes = NULL;   /* null map */
    f2.column_size_count = 0;
    CHECK_OK(ice_manifest_writer_add(w, &f0, &err), &err);
    CHECK_OK(ice_manifest_writer_existing(w, &f1, 111, 3, 4, &err), &err);
    CHECK_OK(ice_manifest_writer_delete(w, &f2, 2, 2, &err), &err);
    /* a partition tuple that does not match the spec is refused */
    ice_data_file bad = f0;
    bad.partition_count = 2;
    CHECK_EQ(ice_manifest_writer_add(w, &bad, &err), FLOE_EINVAL);
    ice_manifest_file mf;
    fl_arena *la = fl_arena_new(0);
    if (!CHECK_OK(ice_manifest_writer_close(w, &mf, la, &err), &err)) goto done;
    CHECK_STR(mf.manifest_path, loc);
    CHECK(mf.manifest_length > 100);
    CHECK_EQ(mf.partition_spec_id, 2);
    CHECK_EQ(mf.added_files_count, 1);
    CHECK_EQ(mf.existing_files_count, 1);
    CHECK_EQ(mf.deleted_files_count, 1);
    CHECK_EQ(mf.added_rows_count, 10);
    CHECK_EQ(mf.existing_rows_count, 20);
    CHECK_EQ(mf.deleted_rows_count, 30);
    CHECK_EQ(mf.sequence_number, ICE_SEQ_UNASSIGNED);
    CHECK_EQ(mf.min_sequence_number, 3);   /* the smallest explicit one of a live file */
    CHECK_EQ(mf.added_snapshot_id, 555);
    if (CHECK_EQ(mf.partition_count, NPART)) {
        /* every entry counts, the deleted one too (as Iceberg Java): a (all
         * null), b and c */
        CHECK(mf.partitions[0].contains_null);
        CHECK(mf.partitions[0].has_lower_bound && mf.partitions[0].lower_bound.len == 4);
        CHECK_MEM(mf.partitions[0].lower_bound.ptr, 4, "\xfb\xff\xff\xff", 4);   /* -5 */
        CHECK_MEM(mf.partitions[0].upper_bound.ptr, 4, "\x70\x11\x01\x00", 4);   /* 70000 */
        CHECK(mf.partitions[9].has_contains_nan && mf.partitions[9].contains_nan);
        CHECK_MEM(mf.partitions[9].lower_bound.ptr, mf.partitions[9].lower_bound.len,
                  "\x00\x00\x00\x00\x00\x00\x04\x40", 8);   /* 2.5: NaN is left out */
        CHECK_MEM(mf.partitions[12].lower_bound.ptr, mf.partitions[12].lower_bound.len, "abcd", 4);
        CHECK_MEM(mf.partitions[12].upper_bound.ptr, mf.partitions[12].upper_bound.len, "wxyz", 4);
        /* decimal(30,3) beyond int64: 2 * 10^21 unscaled, minimal big-endian */
        CHECK_MEM(mf.partitions[17].upper_bound.ptr, mf.partitions[17].upper_bound.len,
                  "\x6c\x6b\x93\x5b\x8b\xbd\x40\x00\x00", 9);
        CHECK(mf.partitions[0].has_contains_nan && !mf.partitions[0].contains_nan);
        CHECK(!mf.partitions[7].has_lower_bound && mf.partitions[7].contains_null);   /* void */
        CHECK_MEM(mf.partitions[2].lower_bound.ptr, mf.partitions[2].lower_bound.len, "abc", 3);
    }

    /* read back through a manifest-list entry with sequence number 9 */
    mf.sequence_number = 9;
    ice_manifest_reader *r = NULL;
    if (!CHECK_OK(ice_manifest_reader_open(&r, fx.fs, loc, &mf, NULL, &err), &err)) goto done;
    CHECK_EQ(ice_manifest_reader_format_version(r), format_version);
    CHECK_EQ(ice_manifest_reader_spec_id(r), 2);
    CHECK(ice_partition_spec_equal(ice_manifest_reader_spec(r), fx.spec));
    CHECK(ice_type_equal(ice_manifest_reader_partition_type(r), fx.ptype));
    const ice_manifest_entry *e;
    int n = 0;
    while (ice_manifest_reader_next(r, &e, &err) == 1) {
        const ice_data_file *want = n == 0 ? &f0 : n == 1 ? &f1 : &f2;
        CHECK_EQ(e->status, n == 0 ? ICE_ENTRY_ADDED : n == 1 ? ICE_ENTRY_EXISTING : ICE_ENTRY_DELETED);
        CHECK_STR(e->file.file_path, want->file_path);
        CHECK_STR(e->file.file_format, "PARQUET");
        CHECK_EQ(e->file.record_count, want->record_count);
        CHECK_EQ(e->file.file_size_in_bytes, want->file_size_in_bytes);
        for (int i = 0; i < NPART; i++)
            if (!CHECK(values_equal(&e->file.partition[i], &want->partition[i])))
                fprintf(stderr, "  entry %d partition field %d (v%d)\n", n, i, format_version);
        CHECK_EQ(e->file.value_count_count, 2);
        CHECK_EQ(e->file.null_value_count_count, 1);
        CHECK(e->file.nan_value_counts == NULL);
        CHECK_EQ(e->file.column_sizes == NULL, n == 2);
        int64_t c;
        CHECK(ice_field_count_get(e->file.value_counts, e->file.value_count_count, 2, &c) && c == 7);
        fl_value lo;
        bool found;
        CHECK_OK(ice_data_file_bound(&lo, &found, &e->file, fx.schema, 1, false, &err), &err);
        CHECK(found && lo.v.i64 == 1);
        CHECK_EQ(e->file.split_offset_count, 2);
        CHECK_EQ(e->file.split_offsets[1], 1000);
        CHECK(e->file.has_sort_order_id && e->file.sort_order_id == 0);
        CHECK_EQ(e->file.has_key_metadata, n == 1);
        if (n == 0) {
            CHECK_EQ(e->snapshot_id, 555);
            CHECK_EQ(e->sequence_number, format_version == 1 ? 0 : 9);   /* inherited */
            CHECK(!e->explicit_sequence_number);
            if (format_version >= 3) CHECK(!e->file.has_first_row_id);   /* no list first_row_id */
        } else if (n == 1) {
            CHECK_EQ(e->snapshot_id, 111);
            CHECK_EQ(e->sequence_number, format_version == 1 ? 0 : 3);
            CHECK_EQ(e->file_sequence_number, format_version == 1 ? 0 : 4);
            CHECK_MEM(e->file.key_metadata.ptr, e->file.key_metadata.len, "\x00key", 4);
        } else {
            CHECK_EQ(e->snapshot_id, 555);
        }
        n++;
    }
    CHECK_EQ(n, 3);
    ice_manifest_reader_free(r);
done:
    fl_arena_free(la);
    fixture_dispose(&fx);
}

TEST(manifest_roundtrip_v2_every_transform) { roundtrip(2); }
TEST(manifest_roundtrip_v1) { roundtrip(1); }
TEST(manifest_roundtrip_v3) { roundtrip(3); }

/* The Avro schema in a written manifest: field ids everywhere, the spec's
 * partition field ids, and the header keys. */
TEST(manifest_written_schema_has_field_ids)
{
    fixture fx;
    if (!fixture_init(&fx)) {
        fixture_dispose(&fx);
        return;
    }
    fl_error err;
    ice_manifest_writer_opts wo = {2, ICE_MANIFEST_DATA, fx.schema, fx.spec, 1, AVRO_CODEC_NULL, 0};
    ice_manifest_writer *w = NULL;
    if (CHECK_OK(ice_manifest_writer_open(&w, fx.fs, "m.avro", &wo, &err), &err))
        CHECK_OK(ice_manifest_writer_close(w, NULL, NULL, &err), &err);
    io_reader *file = NULL;
    avro_reader *ar = NULL;
    if (CHECK_OK(io_open(fx.fs, "m.avro", &file, &err), &err) &&
        CHECK_OK(avro_reader_open(&ar, file, NULL, &err), &err)) {
        const avro_schema *root = avro_reader_schema(ar);
        CHECK_STR(root->name, "manifest_entry");
        static const int32_t top_ids[] = {0, 1, 3, 4, 2};
        for (size_t i = 0; i < 5; i++) {
            int idx = avro_record_find(root, top_ids[i], NULL);
            CHECK(idx >= 0 && root->fields[idx].has_field_id);
        }
        const avro_schema *df = root->fields[avro_record_find(root, 2, NULL)].type;
        CHECK_STR(df->name, "r2");
        static const int32_t df_ids[] = {134, 100, 101, 102, 103, 104, 108, 109, 110, 137,
                                         125, 128, 131, 132, 135, 140, 143};
        for (size_t i = 0; i < FL_ARRAY_SIZE(df_ids); i++)
            if (!CHECK(avro_record_find(df, df_ids[i], NULL) >= 0)) fprintf(stderr, "  id %d\n", df_ids[i]);
        CHECK(avro_record_find(df, 142, NULL) < 0);   /* v3 only */
        const avro_schema *part = df->fields[avro_record_find(df, 102, NULL)].type;
        CHECK_STR(part->name, "r102");
        CHECK_EQ(part->field_count, NPART);
        for (size_t i = 0; i < part->field_count; i++) {
            CHECK_EQ(part->fields[i].field_id, 1000 + (int)i);
            CHECK_STR(part->fields[i].name, fx.spec->fields[i].name);
        }
        const avro_schema *u = avro_schema_nonnull(part->fields[10].type);
        CHECK(u->type == AVRO_FIXED && u->size == 16 && u->logical_type && strcmp(u->logical_type, "uuid") == 0);
        const avro_schema *dec = avro_schema_nonnull(part->fields[8].type);
        CHECK(dec->type == AVRO_FIXED && dec->size == 5 && dec->precision == 10 && dec->scale == 2);
        const avro_schema *ts = avro_schema_nonnull(part->fields[3].type);
        CHECK(ts->type == AVRO_INT);
        const avro_schema *cs = avro_schema_nonnull(df->fields[avro_record_find(df, 108, NULL)].type);
        CHECK(cs->type == AVRO_ARRAY && cs->logical_type && strcmp(cs->logical_type, "map") == 0);
        CHECK_EQ(cs->items->fields[0].field_id, 117);
        CHECK_EQ(cs->items->fields[1].field_id, 118);
        CHECK_STR(cs->items->name, "k117_v118");
        const avro_schema *so = avro_schema_nonnull(df->fields[avro_record_find(df, 132, NULL)].type);
        CHECK(so->type == AVRO_ARRAY && so->has_element_id && so->element_id == 133);
        size_t len;
        const uint8_t *v = avro_reader_meta(ar, "format-version", &len);
        CHECK(v && strcmp((const char *)v, "2") == 0);
        v = avro_reader_meta(ar, "partition-spec-id", &len);
        CHECK(v && strcmp((const char *)v, "2") == 0);
        v = avro_reader_meta(ar, "schema-id", &len);
        CHECK(v && strcmp((const char *)v, "3") == 0);
        v = avro_reader_meta(ar, "content", &len);
        CHECK(v && strcmp((const char *)v, "data") == 0);
        v = avro_reader_meta(ar, "partition-spec", &len);
        CHECK(v && v[0] == '[' && strstr((const char *)v, "\"bucket[16]\"") != NULL);
        v = avro_reader_meta(ar, "schema", &len);
        CHECK(v && strstr((const char *)v, "\"decimal(30,") != NULL && strstr((const char *)v, "\"schema-id\":3") != NULL);
        /* the spec's field-id attribute spelled as the spec does */
        const char *text = avro_schema_text(avro_reader_schema_doc(ar), &len);
        CHECK(strstr(text, "\"field-id\":1017") != NULL);
        CHECK(strstr(text, "\"element-id\":133") != NULL);
    }
    avro_reader_free(ar);
    io_reader_close(file);
    fixture_dispose(&fx);
}

/* A delete manifest (v2) and a manifest list with sequence numbers assigned
 * at write; then v3 first-row-id assignment and inheritance. */
static void list_roundtrip(int format_version)
{
    fixture fx;
    if (!fixture_init(&fx)) {
        fixture_dispose(&fx);
        return;
    }
    fl_error err;
    fl_arena *la = fl_arena_new(0);
    fl_value pv[NPART];
    make_partition(pv, fx.ptype, 2);
    ice_manifest_file mfs[2];
    /* data manifest: two added files */
    ice_manifest_writer_opts wo = {format_version, ICE_MANIFEST_DATA, fx.schema, fx.spec, 77, AVRO_CODEC_NULL, 0};
    ice_manifest_writer *w = NULL;
    bool ok = CHECK_OK(ice_manifest_writer_open(&w, fx.fs, "t/m-data.avro", &wo, &err), &err);
    ice_data_file a = make_file("t/data/a.parquet", pv, 5), b = make_file("t/data/b.parquet", pv, 6);
    ok = ok && CHECK_OK(ice_manifest_writer_add(w, &a, &err), &err);
    ok = ok && CHECK_OK(ice_manifest_writer_add(w, &b, &err), &err);
    ok = ok && CHECK_OK(ice_manifest_writer_close(w, &mfs[0], la, &err), &err);
    /* delete manifest: one equality delete file */
    wo.content = ICE_MANIFEST_DELETES;
    ok = ok && CHECK_OK(ice_manifest_writer_open(&w, fx.fs, "t/m-del.avro", &wo, &err), &err);
    ice_data_file d = make_file("t/data/eq.parquet", pv, 2);
    d.content = ICE_CONTENT_EQUALITY_DELETES;
    d.equality_ids = eq_ids;
    d.equality_id_count = 2;
    d.referenced_data_file = "t/data/a.parquet";
    /* a data file in a delete manifest is refused */
    ok = ok && CHECK_EQ(ice_manifest_writer_add(w, &a, &err), FLOE_EINVAL);
    ok = ok && CHECK_OK(ice_manifest_writer_add(w, &d, &err), &err);
    ok = ok && CHECK_OK(ice_manifest_writer_close(w, &mfs[1], la, &err), &err);
    if (!ok) goto done;

    ice_manifest_list_writer_opts lo = {format_version, 77, true, 66, 12, 1000, AVRO_CODEC_DEFLATE, 0};
    ice_manifest_list_writer *lw = NULL;
    int64_t next_row_id = 0;
    if (!CHECK_OK(ice_manifest_list_writer_open(&lw, fx.fs, "t/snap-77.avro", &lo, &err), &err)) goto done;
    CHECK_OK(ice_manifest_list_writer_add(lw, &mfs[0], &err), &err);
    CHECK_OK(ice_manifest_list_writer_add(lw, &mfs[1], &err), &err);
    /* another snapshot's manifest without a sequence number is refused */
    ice_manifest_file other = mfs[0];
    other.added_snapshot_id = 5;
    CHECK_EQ(ice_manifest_list_writer_add(lw, &other, &err), FLOE_EINVAL);
    if (!CHECK_OK(ice_manifest_list_writer_close(lw, &next_row_id, &err), &err)) goto done;
    CHECK_EQ(next_row_id, format_version >= 3 ? 1011 : 1000);

    ice_manifest_list *l = NULL;
    if (!CHECK_OK(ice_manifest_list_read(&l, fx.fs, "t/snap-77.avro", &err), &err)) goto done;
    CHECK_EQ(l->format_version, format_version);
    if (CHECK_EQ(l->count, 2)) {
        const ice_manifest_file *m0 = &l->files[0], *m1 = &l->files[1];
        CHECK_STR(m0->manifest_path, "t/m-data.avro");
        CHECK_EQ(m0->manifest_length, mfs[0].manifest_length);
        CHECK_EQ(m0->sequence_number, 12);
        CHECK_EQ(m0->min_sequence_number, 12);
        CHECK_EQ(m0->added_snapshot_id, 77);
        CHECK_EQ(m0->added_files_count, 2);
        CHECK_EQ(m0->added_rows_count, 11);
        CHECK_EQ(m0->existing_rows_count, 0);
        CHECK_EQ(m0->content, ICE_MANIFEST_DATA);
        CHECK_EQ(m1->content, ICE_MANIFEST_DELETES);
        CHECK_EQ(m0->partition_count, NPART);
        CHECK_EQ(m0->has_first_row_id, format_version >= 3);
        if (format_version >= 3) CHECK_EQ(m0->first_row_id, 1000);
        CHECK(!m1->has_first_row_id);
        for (size_t i = 0; i < NPART; i++) {
            CHECK_EQ(m0->partitions[i].has_lower_bound, mfs[0].partitions[i].has_lower_bound);
            CHECK_MEM(m0->partitions[i].upper_bound.ptr, m0->partitions[i].upper_bound.len,
                      mfs[0].partitions[i].upper_bound.ptr, mfs[0].partitions[i].upper_bound.len);
        }
        /* entries inherit the list's sequence number and (v3) row ids */
        ice_manifest_reader *r = NULL;
        if (CHECK_OK(ice_manifest_reader_open(&r, fx.fs, m0->manifest_path, m0, NULL, &err), &err)) {
            const ice_manifest_entry *e;
            int n = 0;
            while (ice_manifest_reader_next(r, &e, &err) == 1) {
                CHECK_EQ(e->sequence_number, 12);
                CHECK_EQ(e->file_sequence_number, 12);
                if (format_version >= 3) {
                    CHECK(e->file.has_first_row_id);
                    CHECK_EQ(e->file.first_row_id, n == 0 ? 1000 : 1005);
                }
                n++;
            }
            CHECK_EQ(n, 2);
            ice_manifest_reader_free(r);
        }
        if (CHECK_OK(ice_manifest_reader_open(&r, fx.fs, m1->manifest_path, m1, NULL, &err), &err)) {
            const ice_manifest_entry *e;
            CHECK_EQ(ice_manifest_reader_content(r), ICE_MANIFEST_DELETES);
            if (CHECK_EQ(ice_manifest_reader_next(r, &e, &err), 1)) {
                CHECK_EQ(e->file.content, ICE_CONTENT_EQUALITY_DELETES);
                CHECK_EQ(e->file.equality_id_count, 2);
                CHECK_EQ(e->file.equality_ids[1], 2);
                CHECK_STR(e->file.referenced_data_file, "t/data/a.parquet");
                CHECK(!e->file.has_first_row_id);   /* never for delete files */
                /* a deep copy outlives the reader */
                ice_data_file copy;
                CHECK_OK(ice_data_file_copy(&copy, &e->file, la, &err), &err);
                ice_manifest_reader_free(r);
                r = NULL;
                CHECK_STR(copy.file_path, "t/data/eq.parquet");
                CHECK_EQ(copy.equality_ids[0], 1);
                CHECK(values_equal(&copy.partition[2], &pv[2]));
            }
            ice_manifest_reader_free(r);
        }
    }
    ice_manifest_list_free(l);
done:
    fl_arena_free(la);
    fixture_dispose(&fx);
}

TEST(manifest_list_roundtrip_v2) { list_roundtrip(2); }
TEST(manifest_list_roundtrip_v3) { list_roundtrip(3); }

TEST(manifest_list_roundtrip_v1)
{
    fl_error err;
    io_fs *fs = io_memory_new();
    ice_manifest_list_writer_opts lo = {1, 9, false, 0, 0, 0, AVRO_CODEC_NULL, 0};
    ice_manifest_list_writer *lw = NULL;
    ice_manifest_file m;
    memset(&m, 0, sizeof(m));
    m.manifest_path = "m1.avro";
    m.manifest_length = 99;
    m.added_snapshot_id = 9;
    m.added_files_count = 3;
    m.existing_files_count = -1;   /* unknown: written as null */
    m.deleted_files_count = 0;
    m.added_rows_count = 30;
    m.existing_rows_count = -1;
    m.deleted_rows_count = 0;
    m.sequence_number = ICE_SEQ_UNASSIGNED;
    m.min_sequence_number = ICE_SEQ_UNASSIGNED;
    if (CHECK_OK(ice_manifest_list_writer_open(&lw, fs, "l.avro", &lo, &err), &err)) {
        CHECK_OK(ice_manifest_list_writer_add(lw, &m, &err), &err);
        m.content = ICE_MANIFEST_DELETES;
        CHECK_EQ(ice_manifest_list_writer_add(lw, &m, &err), FLOE_EINVAL);
        CHECK_OK(ice_manifest_list_writer_close(lw, NULL, &err), &err);
    }
    ice_manifest_list *l = NULL;
    if (CHECK_OK(ice_manifest_list_read(&l, fs, "l.avro", &err), &err)) {
        CHECK_EQ(l->format_version, 1);
        if (CHECK_EQ(l->count, 1)) {
            CHECK_EQ(l->files[0].sequence_number, 0);
            CHECK_EQ(l->files[0].added_files_count, 3);
            CHECK_EQ(l->files[0].existing_files_count, -1);
            CHECK_EQ(l->files[0].existing_rows_count, -1);
            CHECK(l->files[0].partitions == NULL);
        }
        ice_manifest_list_free(l);
    }
    /* the v1 list schema has no sequence numbers */
    fl_buf s;
    fl_buf_init(&s);
    CHECK_OK(ice_manifest_list_schema_json(&s, 1, &err), &err);
    CHECK(strstr(fl_buf_cstr(&s), "sequence_number") == NULL);
    fl_buf_reset(&s);
    CHECK_OK(ice_manifest_list_schema_json(&s, 3, &err), &err);
    CHECK(strstr(fl_buf_cstr(&s), "\"field-id\":520") != NULL);
    fl_buf_dispose(&s);
    io_fs_free(fs);
}

/* Truncated and corrupt manifests fail cleanly. */
TEST(manifest_corrupt_inputs)
{
    fixture fx;
    if (!fixture_init(&fx)) {
        fixture_dispose(&fx);
        return;
    }
    fl_error err;
    fl_value pv[NPART];
    make_partition(pv, fx.ptype, 1);
    ice_manifest_writer_opts wo = {2, ICE_MANIFEST_DATA, fx.schema, fx.spec, 1, AVRO_CODEC_NULL, 0};
    ice_manifest_writer *w = NULL;
    ice_data_file f = make_file("x.parquet", pv, 1);
    if (CHECK_OK(ice_manifest_writer_open(&w, fx.fs, "m.avro", &wo, &err), &err)) {
        for (int i = 0; i < 5; i++) CHECK_OK(ice_manifest_writer_add(w, &f, &err), &err);
        CHECK_OK(ice_manifest_writer_close(w, NULL, NULL, &err), &err);
    }
    fl_buf raw;
    fl_buf_init(&raw);
    CHECK_OK(io_read_file(fx.fs, "m.avro", &raw, &err), &err);
    for (size_t cut = 0; cut < raw.len; cut += 7) {
        io_reader *r = NULL;
        ice_manifest_reader *mr = NULL;
        CHECK_OK(io_reader_from_memory(raw.data, cut, &r, &err), &err);
        if (ice_manifest_reader_open_io(&mr, r, "cut.avro", NULL, NULL, &err) == 0) {
            const ice_manifest_entry *e;
            int rc;
            while ((rc = ice_manifest_reader_next(mr, &e, &err)) == 1) {}
            CHECK(rc <= 0);
            ice_manifest_reader_free(mr);
        }
        io_reader_close(r);
    }
    fl_buf_dispose(&raw);
    /* a manifest list is not a manifest */
    ice_manifest_list *l = NULL;
    CHECK(ice_manifest_list_read(&l, fx.fs, "m.avro", &err) < 0);
    fixture_dispose(&fx);
}

/* Reading with table metadata whose current schema dropped a partition
 * source column: the tuple keeps the type it had (from an older schema). */
TEST(manifest_read_after_source_column_dropped)
{
    static const char *md_json =
        "{\"format-version\":2,\"table-uuid\":\"9c12d441-03fe-4693-9a96-a0705ddf69c1\","
        "\"location\":\"t\",\"last-sequence-number\":1,\"last-updated-ms\":1,\"last-column-id\":2,"
        "\"schemas\":[{\"type\":\"struct\",\"schema-id\":0,\"fields\":["
        "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"int\"},"
        "{\"id\":2,\"name\":\"n\",\"required\":false,\"type\":\"long\"}]},"
        "{\"type\":\"struct\",\"schema-id\":1,\"fields\":["
        "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"int\"}]}],"
        "\"current-schema-id\":1,"
        "\"partition-specs\":[{\"spec-id\":0,\"fields\":[{\"name\":\"n\",\"transform\":\"identity\",\"source-id\":2,\"field-id\":1000}]}],"
        "\"default-spec-id\":0,\"last-partition-id\":1000,"
        "\"sort-orders\":[{\"order-id\":0,\"fields\":[]}],\"default-sort-order-id\":0}";
    fl_error err;
    ice_metadata *md = NULL;
    if (!CHECK_OK(ice_metadata_parse(&md, md_json, strlen(md_json), &err), &err)) return;
    io_fs *fs = io_memory_new();
    ice_manifest_writer_opts wo = {2, ICE_MANIFEST_DATA, ice_metadata_schema(md, 0), ice_metadata_spec(md, 0), 1,
                                   AVRO_CODEC_NULL, 0};
    ice_manifest_writer *w = NULL;
    fl_value pv;
    memset(&pv, 0, sizeof(pv));
    pv.type = fl_type_make(FL_TYPE_INT64);
    pv.v.i64 = 1LL << 40;
    ice_data_file f;
    memset(&f, 0, sizeof(f));
    f.file_path = "t/a.parquet";
    f.file_format = "PARQUET";
    f.partition = &pv;
    f.partition_count = 1;
    f.record_count = 1;
    f.file_size_in_bytes = 10;
    if (CHECK_OK(ice_manifest_writer_open(&w, fs, "m.avro", &wo, &err), &err)) {
        CHECK_OK(ice_manifest_writer_add(w, &f, &err), &err);
        CHECK_OK(ice_manifest_writer_close(w, NULL, NULL, &err), &err);
    }
    ice_manifest_reader *r = NULL;
    if (CHECK_OK(ice_manifest_reader_open(&r, fs, "m.avro", NULL, md, &err), &err)) {
        const ice_manifest_entry *e;
        if (CHECK_EQ(ice_manifest_reader_next(r, &e, &err), 1)) {
            CHECK_EQ(e->file.partition[0].type.id, FL_TYPE_INT64);
            CHECK_EQ(e->file.partition[0].v.i64, 1LL << 40);
        }
        ice_manifest_reader_free(r);
    }
    io_fs_free(fs);
    ice_metadata_free(md);
}
