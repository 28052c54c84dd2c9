/*
 * pq_meta_read.c: decodes Parquet's thrift metadata (FileMetaData and
 * PageHeader, parquet.thrift) into the structs of pq_meta.h.
 *
 * Each thrift struct has one static decoder that loops over its fields,
 * reads the ones pq_meta.h models and skips everything else, so files from
 * newer writers (new fields, new LogicalType members) still decode. A field
 * whose wire type differs from parquet.thrift's is skipped, as generated
 * Thrift code does; required fields are then checked by a bit mask. Errors
 * are raised through the thrift reader's sticky failure with a static reason
 * and turned into FLOE_ECORRUPT (or FLOE_ENOMEM) once, at the top.
 *
 * Structural validation only: negative counts and sizes, an empty schema,
 * num_children larger than the schema, empty column paths. Cross-references
 * (does the schema tree add up, do offsets point into the file) are checked
 * by the schema builder and the reader.
 */
#include "pq_meta.h"

#include <string.h>

#include "thrift.h"

typedef struct rd {
    thrift_in in;
    fl_arena *arena;
    bool oom;
} rd;

static void fail(rd *r, const char *why) { thrift_fail(&r->in, why); }

static void *rd_alloc(rd *r, size_t count, size_t size)
{
    if (r->in.failed) return NULL;
    size_t bytes = count * size;
    void *p = fl_arena_calloc(r->arena, bytes ? bytes : 1);
    if (!p) {
        r->oom = true;
        fail(r, "out of memory");
    }
    return p;
}

static char *rd_string(rd *r, fl_strv s)
{
    if (r->in.failed) return NULL;
    char *p = fl_arena_strndup(r->arena, s.ptr, s.len);
    if (!p) {
        r->oom = true;
        fail(r, "out of memory");
    }
    return p;
}

static fl_strv rd_bytes(rd *r, fl_strv s)
{
    fl_strv out = {"", 0};
    if (r->in.failed || s.len == 0) return out;
    char *p = fl_arena_memdup(r->arena, s.ptr, s.len);
    if (!p) {
        r->oom = true;
        fail(r, "out of memory");
        return out;
    }
    out.ptr = p;
    out.len = s.len;
    return out;
}

/* True if the field has the expected wire type; otherwise skips it. A bool
 * field matches THRIFT_TRUE whichever value it carries. */
static bool want(rd *r, uint8_t type, uint8_t expected)
{
    if (type == expected || (expected == THRIFT_TRUE && type == THRIFT_FALSE)) return true;
    thrift_skip(&r->in, type);
    return false;
}

/* Reads a list header whose elements must be of elem_type. */
static bool list_of(rd *r, uint8_t elem_type, uint32_t *count)
{
    uint8_t et;
    if (!thrift_read_list(&r->in, &et, count)) return false;
    if (*count > 0 && et != elem_type &&
        !(elem_type == THRIFT_TRUE && et == THRIFT_FALSE)) {
        fail(r, "unexpected list element type");
        return false;
    }
    return true;
}

/* Reads a list<struct> header. min_size is a lower bound on one element's
 * encoding (its required fields and STOP), so a count that cannot fit in
 * the remaining bytes is refused before anything is allocated for it: the
 * decoded model stays within a small multiple of the input size. */
enum {
    MIN_SCHEMA_ELEMENT = 3,   /* name (header, length) + STOP */
    MIN_KEY_VALUE = 3,        /* key + STOP */
    MIN_COLUMN_CHUNK = 3,     /* an empty encrypted_column_metadata + STOP */
    MIN_ROW_GROUP = 7,        /* columns list, total_byte_size, num_rows, STOP */
    MIN_SORTING_COLUMN = 5,   /* column_idx, descending, nulls_first, STOP */
};

static bool list_of_structs(rd *r, size_t min_size, uint32_t *count)
{
    if (!list_of(r, THRIFT_STRUCT, count)) return false;
    if (*count > (size_t)(r->in.end - r->in.p) / min_size) {
        fail(r, "list size exceeds the remaining data");
        *count = 0;
        return false;
    }
    return true;
}

/* Case body for a list<struct> field: arr (arena memory) and count get the
 * elements, each decoded by read_one(r, &arr[i]). */
#define READ_STRUCT_LIST(r, min_size, arr, count, read_one)                                 \
    do {                                                                                    \
        uint32_t n_;                                                                        \
        if (!list_of_structs((r), (min_size), &n_)) break;                                  \
        (arr) = rd_alloc((r), n_, sizeof *(arr));                                           \
        for (uint32_t i_ = 0; i_ < n_ && !(r)->in.failed; i_++) read_one((r), &(arr)[i_]); \
        (count) = (int32_t)n_;                                                              \
    } while (0)

static void nonneg(rd *r, int64_t v, const char *why)
{
    if (v < 0) fail(r, why);
}

static void required(rd *r, unsigned seen, unsigned need, const char *why)
{
    if ((seen & need) != need) fail(r, why);
}

#define BIT(id) (1u << (id))

/* The next field of a struct whose field ids 1..n_types-1 have the wire
 * types in types[] (0: not modelled): skips unknown and mistyped fields and
 * adds the id to *seen (when not NULL). False at the end of the struct. */
static bool next_field(rd *r, const uint8_t *types, size_t n_types, int16_t *id, uint8_t *t,
                       unsigned *seen)
{
    while (thrift_next_field(&r->in, id, t)) {
        if (*id < 1 || (size_t)*id >= n_types || types[*id] == 0) {
            thrift_skip(&r->in, *t);
            continue;
        }
        if (!want(r, *t, types[*id])) continue;
        if (seen) *seen |= BIT(*id);
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------- leaves */

static void read_statistics(rd *r, pq_statistics *st)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    memset(st, 0, sizeof *st);
    if (!thrift_struct_begin(in)) return;
    /* 1 max, 2 min (deprecated), 3 null_count, 4 distinct_count, 5 max_value,
     * 6 min_value, 7 is_max_value_exact, 8 is_min_value_exact; 9 nan_count is skipped */
    static const uint8_t types[] = {0, THRIFT_BINARY, THRIFT_BINARY, THRIFT_I64, THRIFT_I64,
                                    THRIFT_BINARY, THRIFT_BINARY, THRIFT_TRUE, THRIFT_TRUE};
    while (next_field(r, types, sizeof types, &id, &t, NULL)) {
        switch (id) {
        case 1:
            st->max = rd_bytes(r, thrift_read_binary(in));
            st->has_max = true;
            break;
        case 2:
            st->min = rd_bytes(r, thrift_read_binary(in));
            st->has_min = true;
            break;
        case 3:
            st->null_count = thrift_read_i64(in);
            st->has_null_count = true;
            break;
        case 4:
            st->distinct_count = thrift_read_i64(in);
            st->has_distinct_count = true;
            break;
        case 5:
            st->max_value = rd_bytes(r, thrift_read_binary(in));
            st->has_max_value = true;
            break;
        case 6:
            st->min_value = rd_bytes(r, thrift_read_binary(in));
            st->has_min_value = true;
            break;
        case 7:
            st->is_max_value_exact = thrift_read_bool(in, t);
            st->has_is_max_value_exact = true;
            break;
        case 8:
            st->is_min_value_exact = thrift_read_bool(in, t);
            st->has_is_min_value_exact = true;
            break;
        }
    }
    thrift_struct_end(in);
    if (st->has_null_count) nonneg(r, st->null_count, "negative null_count in statistics");
    if (st->has_distinct_count) nonneg(r, st->distinct_count, "negative distinct_count in statistics");
}

static void read_kv(rd *r, pq_kv *kv)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        if (id == 1 && want(r, t, THRIFT_BINARY)) {
            kv->key = rd_string(r, thrift_read_binary(in));
            seen |= BIT(1);
        } else if (id == 2 && want(r, t, THRIFT_BINARY)) {
            kv->value = rd_string(r, thrift_read_binary(in));
        } else if (id != 1 && id != 2) {
            thrift_skip(in, t);
        }
    }
    thrift_struct_end(in);
    required(r, seen, BIT(1), "key-value entry without a key");
}

static void read_kv_list(rd *r, pq_kv **out, int32_t *n_out)
{
    uint32_t n;
    if (!list_of_structs(r, MIN_KEY_VALUE, &n)) return;
    pq_kv *kv = rd_alloc(r, n, sizeof *kv);
    for (uint32_t i = 0; i < n && !r->in.failed; i++) read_kv(r, &kv[i]);
    *out = kv;
    *n_out = (int32_t)n;
}

static void read_string_list(rd *r, char ***out, int32_t *n_out)
{
    uint32_t n;
    if (!list_of(r, THRIFT_BINARY, &n)) return;
    char **v = rd_alloc(r, n, sizeof *v);
    for (uint32_t i = 0; i < n && !r->in.failed; i++) v[i] = rd_string(r, thrift_read_binary(&r->in));
    *out = v;
    *n_out = (int32_t)n;
}

/* ---------------------------------------------------------- schema, types */

/* TimeUnit union: 1 MILLIS, 2 MICROS, 3 NANOS; unknown members give 0. */
static int read_time_unit(rd *r)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    int unit = 0;
    if (!thrift_struct_begin(in)) return 0;
    while (thrift_next_field(in, &id, &t)) {
        if (id >= 1 && id <= 3 && t == THRIFT_STRUCT && unit == 0) unit = id;
        thrift_skip(in, t);
    }
    thrift_struct_end(in);
    return unit;
}

/* The member struct of a LogicalType union. Only DECIMAL, TIME, TIMESTAMP
 * and INTEGER have fields floe models; every other field is skipped. */
static void read_logical_member(rd *r, int kind, pq_logical_type *lt)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    bool timeish = kind == PQ_LT_TIME || kind == PQ_LT_TIMESTAMP;
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        uint8_t expect = 0;   /* 0: a field floe does not model */
        if (kind == PQ_LT_DECIMAL && (id == 1 || id == 2)) expect = THRIFT_I32;
        else if (timeish && id == 1) expect = THRIFT_TRUE;
        else if (timeish && id == 2) expect = THRIFT_STRUCT;
        else if (kind == PQ_LT_INTEGER && id == 1) expect = THRIFT_I8;
        else if (kind == PQ_LT_INTEGER && id == 2) expect = THRIFT_TRUE;
        if (!expect) {
            thrift_skip(in, t);   /* crs, algorithm, specification_version, newer fields */
            continue;
        }
        if (!want(r, t, expect)) continue;
        seen |= BIT(id);
        if (kind == PQ_LT_DECIMAL) {
            int32_t v = thrift_read_i32(in);
            if (id == 1) lt->scale = v; else lt->precision = v;
        } else if (timeish) {
            if (id == 1) lt->is_adjusted_to_utc = thrift_read_bool(in, t);
            else lt->unit = read_time_unit(r);
        } else if (id == 1) {
            lt->bit_width = thrift_read_i8(in);
        } else {
            lt->is_signed = thrift_read_bool(in, t);
        }
    }
    thrift_struct_end(in);
    if (kind == PQ_LT_DECIMAL || timeish || kind == PQ_LT_INTEGER)
        required(r, seen, BIT(1) | BIT(2), "logical type is missing a required field");
}

static bool known_logical(int16_t id)
{
    return (id >= PQ_LT_STRING && id <= PQ_LT_TIMESTAMP) ||
           (id >= PQ_LT_INTEGER && id <= PQ_LT_GEOGRAPHY);
}

static void read_logical_type(rd *r, pq_logical_type *lt)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    memset(lt, 0, sizeof *lt);
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        if (lt->kind != PQ_LT_NONE) {
            thrift_skip(in, t);   /* a union has one member; ignore extras */
        } else if (known_logical(id) && t == THRIFT_STRUCT) {
            lt->kind = id;
            read_logical_member(r, id, lt);
        } else {
            lt->kind = PQ_LT_OTHER;
            thrift_skip(in, t);
        }
    }
    thrift_struct_end(in);
}

static void read_schema_element(rd *r, pq_schema_element *el)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    el->type = -1;
    el->repetition = PQ_REP_NONE;
    el->converted_type = PQ_CT_NONE;
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        uint8_t expect = id == 4 ? THRIFT_BINARY : id == 10 ? THRIFT_STRUCT : THRIFT_I32;
        if (id < 1 || id > 10) {
            thrift_skip(in, t);
            continue;
        }
        if (!want(r, t, expect)) continue;
        seen |= BIT(id);
        switch (id) {
        case 1: el->type = thrift_read_i32(in); break;
        case 2: el->type_length = thrift_read_i32(in), el->has_type_length = true; break;
        case 3: el->repetition = thrift_read_i32(in); break;
        case 4: el->name = rd_string(r, thrift_read_binary(in)); break;
        case 5: el->num_children = thrift_read_i32(in); break;
        case 6: el->converted_type = thrift_read_i32(in); break;
        case 7: el->scale = thrift_read_i32(in); break;
        case 8: el->precision = thrift_read_i32(in); break;
        case 9: el->field_id = thrift_read_i32(in), el->has_field_id = true; break;
        case 10: read_logical_type(r, &el->logical); break;
        }
    }
    thrift_struct_end(in);
    required(r, seen, BIT(4), "schema element without a name");
    if (el->type < -1) fail(r, "negative physical type in schema element");
    if (el->repetition < PQ_REP_NONE) fail(r, "negative repetition type in schema element");
    if (el->converted_type < PQ_CT_NONE) fail(r, "negative converted type in schema element");
    nonneg(r, el->num_children, "negative num_children in schema element");
    nonneg(r, el->type_length, "negative type_length in schema element");
}

/* ------------------------------------------------------- columns, groups */

static void read_column_meta(rd *r, pq_column_meta *cm)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    if (!thrift_struct_begin(in)) return;
    /* unknown ids are skipped: encoding_stats, size/geospatial statistics, newer */
    static const uint8_t types[] = {
        0, THRIFT_I32, THRIFT_LIST, THRIFT_LIST, THRIFT_I32, THRIFT_I64, THRIFT_I64,
        THRIFT_I64, THRIFT_LIST, THRIFT_I64, THRIFT_I64, THRIFT_I64, THRIFT_STRUCT,
        0, THRIFT_I64, THRIFT_I32};
    while (next_field(r, types, sizeof types, &id, &t, &seen)) {
        uint32_t n;
        switch (id) {
        case 1: cm->type = thrift_read_i32(in); break;
        case 2:
            if (!list_of(r, THRIFT_I32, &n)) break;
            cm->encodings = rd_alloc(r, n, sizeof *cm->encodings);
            for (uint32_t i = 0; i < n && !in->failed; i++) cm->encodings[i] = thrift_read_i32(in);
            cm->n_encodings = (int32_t)n;
            break;
        case 3: read_string_list(r, &cm->path_in_schema, &cm->path_len); break;
        case 4: cm->codec = thrift_read_i32(in); break;
        case 5: cm->num_values = thrift_read_i64(in); break;
        case 6: cm->total_uncompressed_size = thrift_read_i64(in); break;
        case 7: cm->total_compressed_size = thrift_read_i64(in); break;
        case 8: read_kv_list(r, &cm->kv, &cm->n_kv); break;
        case 9: cm->data_page_offset = thrift_read_i64(in); break;
        case 10: cm->index_page_offset = thrift_read_i64(in), cm->has_index_page_offset = true; break;
        case 11:
            cm->dictionary_page_offset = thrift_read_i64(in);
            cm->has_dictionary_page_offset = true;
            break;
        case 12: read_statistics(r, &cm->stats), cm->has_stats = true; break;
        case 14:
            cm->bloom_filter_offset = thrift_read_i64(in);
            cm->has_bloom_filter_offset = true;
            break;
        case 15:
            cm->bloom_filter_length = thrift_read_i32(in);
            cm->has_bloom_filter_length = true;
            break;
        }
    }
    thrift_struct_end(in);
    required(r, seen, BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(9),
             "column metadata is missing a required field");
    if (cm->path_len == 0 && !in->failed) fail(r, "column metadata has an empty path_in_schema");
    if (cm->type < 0 || cm->codec < 0) fail(r, "negative type or codec in column metadata");
    nonneg(r, cm->num_values, "negative num_values in column metadata");
    nonneg(r, cm->total_uncompressed_size, "negative total_uncompressed_size in column metadata");
    nonneg(r, cm->total_compressed_size, "negative total_compressed_size in column metadata");
    nonneg(r, cm->data_page_offset, "negative data_page_offset in column metadata");
    if (cm->has_dictionary_page_offset)
        nonneg(r, cm->dictionary_page_offset, "negative dictionary_page_offset in column metadata");
    if (cm->has_index_page_offset)
        nonneg(r, cm->index_page_offset, "negative index_page_offset in column metadata");
    if (cm->has_bloom_filter_offset)
        nonneg(r, cm->bloom_filter_offset, "negative bloom_filter_offset in column metadata");
    if (cm->has_bloom_filter_length)
        nonneg(r, cm->bloom_filter_length, "negative bloom_filter_length in column metadata");
}

static void read_column_chunk(rd *r, pq_column_chunk *cc)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    if (!thrift_struct_begin(in)) return;
    static const uint8_t types[] = {0, THRIFT_BINARY, THRIFT_I64, THRIFT_STRUCT, THRIFT_I64,
                                    THRIFT_I32, THRIFT_I64, THRIFT_I32, THRIFT_STRUCT,
                                    THRIFT_BINARY};
    while (next_field(r, types, sizeof types, &id, &t, &seen)) {
        switch (id) {
        case 1: cc->file_path = rd_string(r, thrift_read_binary(in)); break;
        case 2: cc->file_offset = thrift_read_i64(in); break;
        case 3: read_column_meta(r, &cc->meta), cc->has_meta = true; break;
        case 4: cc->offset_index_offset = thrift_read_i64(in); break;
        case 5: cc->offset_index_length = thrift_read_i32(in); break;
        case 6: cc->column_index_offset = thrift_read_i64(in); break;
        case 7: cc->column_index_length = thrift_read_i32(in); break;
        case 8:
        case 9:
            cc->encrypted = true;
            thrift_skip(in, t);
            break;
        }
    }
    thrift_struct_end(in);
    /* file_offset is required with default 0 in parquet.thrift: accept its absence */
    cc->has_offset_index = (seen & (BIT(4) | BIT(5))) == (BIT(4) | BIT(5));
    cc->has_column_index = (seen & (BIT(6) | BIT(7))) == (BIT(6) | BIT(7));
    nonneg(r, cc->file_offset, "negative file_offset in column chunk");
    if (cc->has_offset_index) {
        nonneg(r, cc->offset_index_offset, "negative offset_index_offset in column chunk");
        nonneg(r, cc->offset_index_length, "negative offset_index_length in column chunk");
    }
    if (cc->has_column_index) {
        nonneg(r, cc->column_index_offset, "negative column_index_offset in column chunk");
        nonneg(r, cc->column_index_length, "negative column_index_length in column chunk");
    }
    if (!cc->has_meta && !cc->encrypted && !in->failed)
        fail(r, "column chunk has neither metadata nor encrypted metadata");
}

static void read_sorting_column(rd *r, pq_sorting_column *sc)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        if (id == 1 && want(r, t, THRIFT_I32)) {
            sc->column_idx = thrift_read_i32(in);
        } else if ((id == 2 || id == 3) && want(r, t, THRIFT_TRUE)) {
            bool v = thrift_read_bool(in, t);
            if (id == 2) sc->descending = v; else sc->nulls_first = v;
        } else if (id < 1 || id > 3) {
            thrift_skip(in, t);
            continue;
        } else {
            continue;
        }
        seen |= BIT(id);
    }
    thrift_struct_end(in);
    required(r, seen, BIT(1) | BIT(2) | BIT(3), "sorting column is missing a required field");
    nonneg(r, sc->column_idx, "negative column_idx in sorting column");
}

static void read_row_group(rd *r, pq_row_group *rg)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    if (!thrift_struct_begin(in)) return;
    static const uint8_t types[] = {0, THRIFT_LIST, THRIFT_I64, THRIFT_I64, THRIFT_LIST,
                                    THRIFT_I64, THRIFT_I64, THRIFT_I16};
    while (next_field(r, types, sizeof types, &id, &t, &seen)) {
        switch (id) {
        case 1:
            READ_STRUCT_LIST(r, MIN_COLUMN_CHUNK, rg->columns, rg->n_columns, read_column_chunk);
            break;
        case 2: rg->total_byte_size = thrift_read_i64(in); break;
        case 3: rg->num_rows = thrift_read_i64(in); break;
        case 4:
            READ_STRUCT_LIST(r, MIN_SORTING_COLUMN, rg->sorting, rg->n_sorting, read_sorting_column);
            break;
        case 5: rg->file_offset = thrift_read_i64(in), rg->has_file_offset = true; break;
        case 6:
            rg->total_compressed_size = thrift_read_i64(in);
            rg->has_total_compressed_size = true;
            break;
        case 7: rg->ordinal = thrift_read_i16(in), rg->has_ordinal = true; break;
        }
    }
    thrift_struct_end(in);
    required(r, seen, BIT(1) | BIT(2) | BIT(3), "row group is missing a required field");
    nonneg(r, rg->num_rows, "negative num_rows in row group");
    nonneg(r, rg->total_byte_size, "negative total_byte_size in row group");
    if (rg->has_file_offset) nonneg(r, rg->file_offset, "negative file_offset in row group");
    if (rg->has_total_compressed_size)
        nonneg(r, rg->total_compressed_size, "negative total_compressed_size in row group");
}

/* ------------------------------------------------------------ file meta */

static void read_column_orders(rd *r, pq_file_meta *m)
{
    uint32_t n;
    if (!list_of(r, THRIFT_STRUCT, &n)) return;
    for (uint32_t i = 0; i < n && !r->in.failed; i++) thrift_skip(&r->in, THRIFT_STRUCT);
    m->n_column_orders = (int32_t)n;
}

static void read_file_meta(rd *r, pq_file_meta *m)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    if (!thrift_struct_begin(in)) return;
    /* unknown ids are skipped: footer_signing_key_metadata, newer fields */
    static const uint8_t types[] = {0, THRIFT_I32, THRIFT_LIST, THRIFT_I64, THRIFT_LIST,
                                    THRIFT_LIST, THRIFT_BINARY, THRIFT_LIST, THRIFT_STRUCT};
    while (next_field(r, types, sizeof types, &id, &t, &seen)) {
        switch (id) {
        case 1: m->version = thrift_read_i32(in); break;
        case 2:
            READ_STRUCT_LIST(r, MIN_SCHEMA_ELEMENT, m->schema, m->n_schema, read_schema_element);
            break;
        case 3: m->num_rows = thrift_read_i64(in); break;
        case 4:
            READ_STRUCT_LIST(r, MIN_ROW_GROUP, m->row_groups, m->n_row_groups, read_row_group);
            break;
        case 5: read_kv_list(r, &m->kv, &m->n_kv); break;
        case 6: m->created_by = rd_string(r, thrift_read_binary(in)); break;
        case 7: read_column_orders(r, m); break;
        case 8:
            m->encrypted = true;
            thrift_skip(in, t);
            break;
        }
    }
    thrift_struct_end(in);
    required(r, seen, BIT(2) | BIT(3) | BIT(4), "file metadata is missing a required field");
    nonneg(r, m->num_rows, "negative num_rows in file metadata");
    if (!in->failed && m->n_schema == 0) fail(r, "schema is empty");
    for (int32_t i = 0; i < m->n_schema && !in->failed; i++)
        if (m->schema[i].num_children > m->n_schema - 1)
            fail(r, "num_children exceeds the number of schema elements");
}

static int finish(rd *r, const char *what, fl_error *err)
{
    if (!r->in.failed) return 0;
    if (r->oom) return fl_error_set(err, FLOE_ENOMEM, "out of memory decoding parquet %s", what);
    return fl_error_set(err, FLOE_ECORRUPT, "could not decode parquet %s: %s at byte %zu", what,
                        r->in.why, thrift_consumed(&r->in));
}

int pq_file_meta_read(pq_file_meta **out, const uint8_t *buf, size_t len, fl_arena *arena,
                      fl_error *err)
{
    rd r = {.arena = arena};
    *out = NULL;
    thrift_in_init(&r.in, buf, len);
    pq_file_meta *m = rd_alloc(&r, 1, sizeof *m);
    if (m) read_file_meta(&r, m);
    int rc = finish(&r, "file metadata", err);
    if (rc == 0) *out = m;
    return rc;
}

/* -------------------------------------------------------------- pages */

typedef struct sub_header {
    bool present;
    int32_t num_values, num_nulls, num_rows, def_len, rep_len;
    int encoding, def_enc, rep_enc;
    bool is_sorted, is_compressed;
    pq_statistics stats;
    bool has_stats;
} sub_header;

/* DataPageHeader (kind 0), DictionaryPageHeader (2) or DataPageHeaderV2 (3). */
static void read_sub_header(rd *r, int kind, sub_header *h)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0, need;
    int stats_id = kind == PQ_PAGE_DATA ? 5 : kind == PQ_PAGE_DATA_V2 ? 8 : -1;
    int bool_id = kind == PQ_PAGE_DICTIONARY ? 3 : kind == PQ_PAGE_DATA_V2 ? 7 : -1;
    int n_ints = kind == PQ_PAGE_DATA ? 4 : kind == PQ_PAGE_DICTIONARY ? 2 : 6;
    memset(h, 0, sizeof *h);
    h->present = true;
    h->is_compressed = true;
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        if (id == stats_id) {
            if (want(r, t, THRIFT_STRUCT)) read_statistics(r, &h->stats), h->has_stats = true;
            continue;
        }
        if (id == bool_id) {
            if (want(r, t, THRIFT_TRUE)) {
                bool v = thrift_read_bool(in, t);
                if (kind == PQ_PAGE_DICTIONARY) h->is_sorted = v; else h->is_compressed = v;
            }
            continue;
        }
        if (id < 1 || id > n_ints) {
            thrift_skip(in, t);
            continue;
        }
        if (!want(r, t, THRIFT_I32)) continue;
        int32_t v = thrift_read_i32(in);
        seen |= BIT(id);
        /* field ids: v1 1 num_values 2 encoding 3 def enc 4 rep enc; dictionary 1 num_values
         * 2 encoding; v2 1 num_values 2 num_nulls 3 num_rows 4 encoding 5 def len 6 rep len */
        switch (kind == PQ_PAGE_DATA_V2 ? id + 10 : id) {
        case 1: case 11: h->num_values = v; break;
        case 2: case 14: h->encoding = v; break;
        case 3: h->def_enc = v; break;
        case 4: h->rep_enc = v; break;
        case 12: h->num_nulls = v; break;
        case 13: h->num_rows = v; break;
        case 15: h->def_len = v; break;
        case 16: h->rep_len = v; break;
        }
    }
    thrift_struct_end(in);
    need = (BIT(n_ints + 1) - 1) & ~1u;
    required(r, seen, need, "page header is missing a required field");
    nonneg(r, h->num_values, "negative num_values in page header");
    nonneg(r, h->num_nulls, "negative num_nulls in page header");
    nonneg(r, h->num_rows, "negative num_rows in page header");
    nonneg(r, h->def_len, "negative definition_levels_byte_length in page header");
    nonneg(r, h->rep_len, "negative repetition_levels_byte_length in page header");
    nonneg(r, h->encoding, "negative encoding in page header");
}

static void read_page_header(rd *r, pq_page_header *ph)
{
    thrift_in *in = &r->in;
    int16_t id;
    uint8_t t;
    unsigned seen = 0;
    sub_header subs[4] = {{0}};
    if (!thrift_struct_begin(in)) return;
    while (thrift_next_field(in, &id, &t)) {
        if (id >= 1 && id <= 4) {
            if (!want(r, t, THRIFT_I32)) continue;
            int32_t v = thrift_read_i32(in);
            seen |= BIT(id);
            if (id == 1) ph->type = v;
            else if (id == 2) ph->uncompressed_page_size = v;
            else if (id == 3) ph->compressed_page_size = v;
            else ph->crc = v, ph->has_crc = true;
        } else if (id >= 5 && id <= 8) {
            if (!want(r, t, THRIFT_STRUCT)) continue;
            /* field 5 DATA_PAGE, 6 INDEX_PAGE, 7 DICTIONARY_PAGE, 8 DATA_PAGE_V2 */
            int kind = id - 5;
            if (kind == PQ_PAGE_INDEX) {
                subs[kind].present = true;
                thrift_skip(in, t);
            } else {
                read_sub_header(r, kind, &subs[kind]);
            }
        } else {
            thrift_skip(in, t);
        }
    }
    thrift_struct_end(in);
    required(r, seen, BIT(1) | BIT(2) | BIT(3), "page header is missing a required field");
    nonneg(r, ph->type, "negative page type in page header");
    nonneg(r, ph->uncompressed_page_size, "negative uncompressed_page_size in page header");
    nonneg(r, ph->compressed_page_size, "negative compressed_page_size in page header");
    ph->is_compressed = true;
    if (in->failed || ph->type > PQ_PAGE_DATA_V2 || !subs[ph->type].present) return;
    const sub_header *h = &subs[ph->type];
    ph->has_data_header = true;
    ph->num_values = h->num_values;
    ph->encoding = h->encoding;
    ph->definition_level_encoding = h->def_enc;
    ph->repetition_level_encoding = h->rep_enc;
    ph->is_sorted = h->is_sorted;
    ph->num_nulls = h->num_nulls;
    ph->num_rows = h->num_rows;
    ph->definition_levels_byte_length = h->def_len;
    ph->repetition_levels_byte_length = h->rep_len;
    ph->is_compressed = h->is_compressed;
    ph->stats = h->stats;
    ph->has_stats = h->has_stats;
}

int pq_page_header_read(pq_page_header *out, const uint8_t *buf, size_t len, size_t *consumed,
                        fl_arena *arena, fl_error *err)
{
    rd r = {.arena = arena};
    memset(out, 0, sizeof *out);
    *consumed = 0;
    thrift_in_init(&r.in, buf, len);
    read_page_header(&r, out);
    int rc = finish(&r, "page header", err);
    if (rc == 0) *consumed = thrift_consumed(&r.in);
    return rc;
}
